"""Study drills (pure): each drill kind built from the protocol data, and how an answer is
checked.

Every drill's answer is computed from the same data the planner uses -- the protocol
:class:`~bodymap.library.Library`, :func:`~bodymap.planner.make_plan` and the back geometry --
so a drill can never disagree with the plan the app shows. Each drill has a stable id:

==============================================  ==============================================
``zone:collar`` / ``zone:collar-left``           click the zone (a half counts for its zone)
``notouch:<scenario>:<technique>``               click a place not to press during that step
``order:<scenario>``                             put the session's steps in order
``condzone:<scenario>``                          select the zones the condition emphasises
``contra:<id>``                                  what to do when the answer is "yes"
``technique:<id>``                               name the technique from its animation
==============================================  ==============================================

A *scenario* is a condition id, extended with the patient detail the condition needs
(``hernia-L4-L5-left``, ``scoliosis-convex-right``). Scheduling and the progress file are
:mod:`bodymap.study`'s. Nothing here imports Qt.
"""

from __future__ import annotations

import zlib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from shapely import MultiPolygon, Point, Polygon
from shapely.ops import unary_union

from bodymap.i18n import LANGUAGES, tr
from bodymap.library import Library
from bodymap.planner import Hernia, Plan, Profile, Scoliosis, hernia_levels, make_plan
from bodymap.schema import ACTIONS, ZONES
from bodymap.vocabulary import zone_names

KINDS: tuple[str, ...] = ("zone", "notouch", "order", "condzone", "contra", "technique")
#: a click this close (map units) to a no-touch area counts as inside it (the spine is narrow)
NO_TOUCH_TOLERANCE = 4.0
HERNIA_LEVEL = "L4-L5"
HERNIA_SIDE = "left"
SCOLIOSIS = Scoliosis(convex="right", grade=2)
#: the extra where-not-to-press patient: a skin lesion on this zone half
LESION_CONDITION = "back-pain"
LESION_ZONE = "thoracic-left"


Texts = Mapping[str, str]


def _texts(key: str, **fields: Any) -> dict[str, str]:
    """An interface string in every language; ``fields`` values may themselves be per-language."""
    out = {}
    for lang in LANGUAGES:
        values = {k: (v[lang] if isinstance(v, Mapping) else v) for k, v in fields.items()}
        out[lang] = tr(key, lang, **values)
    return out


def _data(t: Any) -> dict[str, str]:
    """A schema ``Text`` (``.en``/``.ru``) or a mapping, as ``{"en": .., "ru": ..}``."""
    if isinstance(t, Mapping):
        return {lang: t.get(lang) or t.get("en", "") for lang in LANGUAGES}
    return {lang: getattr(t, lang) for lang in LANGUAGES}


def _join(parts: Iterable[Texts], sep: str = ", ") -> dict[str, str]:
    parts = list(parts)
    return {lang: sep.join(p[lang] for p in parts) for lang in LANGUAGES}


# ---------------------------------------------------------------------------------------------
# drills


@dataclass(frozen=True)
class Option:
    """A choice the student can pick (multiple choice) or move (ordering)."""

    id: str
    label: Texts


@dataclass(frozen=True)
class Drill:
    id: str
    kind: str  # one of KINDS
    prompt: Texts
    #: the right answer in plain words
    answer_text: Texts
    #: why, in plain words, and where it comes from
    explanation: Texts
    sources: tuple[str, ...]
    #: zone: accepted region ids; condzone: the emphasis zones; contra/technique: the option id
    accept: frozenset[str] = frozenset()
    #: order: the right sequence of option ids (options with equal keys are interchangeable)
    order: tuple[str, ...] = ()
    order_keys: Mapping[str, Any] = field(default_factory=dict)
    options: tuple[Option, ...] = ()
    #: notouch: the union of the no-touch areas that apply to the step
    area: Polygon | MultiPolygon | None = field(default=None, compare=False)
    #: the plan the drill is about (what the map shows with the answer), and its step
    plan: Plan | None = field(default=None, compare=False)
    step: int | None = None
    #: region ids to highlight on the map as the right answer (zone, condzone)
    highlight: tuple[str, ...] = ()

    def shuffled_options(self, attempt: int = 0) -> tuple[Option, ...]:
        """The options in a stable pseudo-random order; for ``order`` never the right one."""
        opts = list(self.options)
        if len(opts) < 2:
            return tuple(opts)
        seed = zlib.crc32(f"{self.id}#{attempt}".encode())
        keyed = sorted(opts, key=lambda o: zlib.crc32(f"{seed}:{o.id}".encode()))
        if self.kind == "order" and _same_order(self, [o.id for o in keyed]):
            keyed = keyed[1:] + keyed[:1]
            if _same_order(self, [o.id for o in keyed]):
                keyed.reverse()
        return tuple(keyed)


def _same_order(drill: Drill, ids: Sequence[str]) -> bool:
    keys = drill.order_keys
    return [keys.get(i) for i in ids] == [keys.get(i) for i in drill.order]


@dataclass(frozen=True)
class Scenario:
    id: str
    profile: Profile
    plan: Plan
    label: Texts  # "Intervertebral hernia (L4-L5, left)"


def scenarios(library: Library, geometry: Any) -> list[Scenario]:
    """One patient per condition, at the first session of the main phase (the full step set)."""
    out = []
    for cond in library.conditions.values():
        kwargs: dict[str, Any] = {}
        sid = cond.id
        label = _data(cond.name)
        if cond.needs == "hernia":
            levels = hernia_levels(geometry)
            level = HERNIA_LEVEL if HERNIA_LEVEL in levels else levels[-2]
            kwargs["hernias"] = (Hernia(level, HERNIA_SIDE, "initial"),)
            sid = f"{cond.id}-{level}-{HERNIA_SIDE}"
            label = _texts(
                "study.scenario.hernia",
                name=label,
                level=level,
                side=_texts(f"study.side.{HERNIA_SIDE}"),
            )
        elif cond.needs == "scoliosis":
            kwargs["curves"] = (SCOLIOSIS,)
            sid = f"{cond.id}-convex-{SCOLIOSIS.convex}"
            label = _texts(
                "study.scenario.scoliosis",
                name=label,
                side=_texts(f"study.side.{SCOLIOSIS.convex}"),
                grade=SCOLIOSIS.grade,
            )
        if cond.clearance:  # studied as it is planned once a doctor has cleared it
            kwargs["cleared"] = frozenset({cond.id})
        profile = Profile(condition=cond.id, session=_main_session(cond), **kwargs)
        plan = make_plan(profile, library, geometry)
        if plan.status != "ok" or not plan.steps:
            continue
        out.append(Scenario(sid, profile, plan, label))
    return out


def _main_session(cond: Any) -> int:
    main = next((p for p in cond.course.phases if p.id == "main"), cond.course.phases[0])
    return main.first


def _technique_name(library: Library, technique: str, variant: str | None = None) -> dict[str, str]:
    tech = library.techniques[technique]
    v = tech.variant(variant)
    return _data(v.name if v is not None else tech.name)


def _cites(sources: Iterable[Any]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(s.cite() for s in sources))


def build_drills(library: Library, geometry: Any) -> list[Drill]:
    """Every drill the library and geometry support, in a stable order (ids are unique)."""
    drills: list[Drill] = []
    drills += _zone_drills(geometry)
    scen = scenarios(library, geometry)
    drills += _notouch_drills(_notouch_scenarios(library, geometry, scen), library)
    for s in scen:
        d = _order_drill(s, library, geometry)
        if d is not None:
            drills.append(d)
    for s in scen:
        d = _condzone_drill(s, library, geometry)
        if d is not None:
            drills.append(d)
    drills += _contra_drills(library)
    drills += _technique_drills(scen, library)
    seen: set[str] = set()
    unique = []
    for d in drills:
        if d.id not in seen:
            seen.add(d.id)
            unique.append(d)
    return unique


def _zone_drills(geometry: Any) -> list[Drill]:
    out = []
    for zone in ZONES:
        if zone not in geometry.regions:
            continue
        halves = [h for h in geometry.halves(zone) if h in geometry.regions]
        for rid, accept in [(zone, {zone, *halves})] + [(h, {h}) for h in halves]:
            name = zone_names(geometry, rid)
            region = geometry.regions[rid]
            if region.kind == "half":
                why = _texts(
                    "study.why.zone_half", zone=name, side=_texts(f"study.side.{region.side}")
                )
            else:
                why = _texts("study.why.zone", zone=name)
            out.append(
                Drill(
                    id=f"zone:{rid}",
                    kind="zone",
                    prompt=_texts("study.prompt.zone", zone=name),
                    answer_text=name,
                    explanation=why,
                    sources=(_geometry_source(geometry),),
                    accept=frozenset(accept),
                    highlight=(rid,),
                )
            )
    return out


def _geometry_source(geometry: Any) -> str:
    name = Path(getattr(geometry, "source", "zones.svg")).name
    return f'{name}; Part 3, "Therapeutic back massage"'


def _notouch_scenarios(library: Library, geometry: Any, scen: Sequence[Scenario]) -> list[Scenario]:
    """The planner's scenarios plus two that add no-touch areas: a skin lesion, another hernia."""
    extra = []
    if LESION_CONDITION in library.conditions:
        profile = Profile(
            condition=LESION_CONDITION,
            session=_main_session(library.conditions[LESION_CONDITION]),
            lesions=frozenset({LESION_ZONE}),
        )
        plan = make_plan(profile, library, geometry)
        name = _data(library.conditions[LESION_CONDITION].name)
        label = _texts("study.scenario.lesion", name=name, zone=zone_names(geometry, LESION_ZONE))
        if plan.status == "ok" and plan.steps:
            extra.append(Scenario(f"{LESION_CONDITION}-lesion-{LESION_ZONE}", profile, plan, label))
    for s in scen:
        if len(s.profile.hernias) != 1:
            continue
        levels = hernia_levels(geometry)
        level = levels[-1]
        if level == s.profile.hernias[0].level:
            continue
        cond = library.conditions[s.profile.condition]
        profile = replace(s.profile, hernias=(Hernia(level, "right", "initial"),))
        plan = make_plan(profile, library, geometry)
        label = _texts(
            "study.scenario.hernia",
            name=_data(cond.name),
            level=level,
            side=_texts("study.side.right"),
        )
        if plan.status == "ok" and plan.steps:
            extra.append(Scenario(f"{cond.id}-{level}-right", profile, plan, label))
    return [*scen, *extra]


def _notouch_drills(scen: Sequence[Scenario], library: Library) -> list[Drill]:
    """One drill per distinct set of no-touch areas (the same areas give the same answer)."""
    out = []
    seen: set[tuple] = set()
    for s in scen:
        for i, step in enumerate(s.plan.steps):
            applying = [n for n in s.plan.no_touch if n.applies_to(step.technique)]
            key = tuple(sorted((n.id, tuple(n.zones)) for n in applying))
            if not applying or key in seen:
                continue
            seen.add(key)
            out.append(_notouch_drill(s, i, step, applying, library))
    return out


def _notouch_drill(s: Scenario, i: int, step: Any, applying: list, library: Library) -> Drill:
    tech = _technique_name(library, step.technique)
    # a no-touch rule of contraindications.toml, or a patient safeguard (safeguards.toml)
    rules = [library.no_touch_rules.get(_rule_id(n.id)) or library.safeguards[n.id]
             for n in applying]
    names = _join(_data(r.name) for r in rules)
    why = _join((_data(n.text) for n in applying), sep=" ")
    sources: list[str] = []
    for r in rules:
        sources += _cites(r.sources)
    return Drill(
        id=f"notouch:{s.id}:{step.technique}",
        kind="notouch",
        prompt=_texts(
            "study.prompt.notouch", scenario=s.label, session=s.plan.session, technique=tech
        ),
        answer_text=names,
        explanation=why,
        sources=tuple(dict.fromkeys(sources)),
        area=unary_union([n.area for n in applying]),
        plan=s.plan,
        step=i,
    )


def _rule_id(no_touch_id: str) -> str:
    for rule in ("lesion", "hernia-site"):  # one area per lesion, per hernia: <rule>-<which>
        if no_touch_id.startswith(rule + "-"):
            return rule
    return no_touch_id


def _step_key(step: Any) -> tuple:
    """What the ordering drill shows of a step: steps that look the same are interchangeable."""
    return (step.technique, step.variant, tuple(step.zones))


def _order_drill(s: Scenario, library: Library, geometry: Any) -> Drill | None:
    steps = s.plan.steps
    keys = {str(i): _step_key(st) for i, st in enumerate(steps)}
    if len(set(keys.values())) < 3:
        return None
    options = []
    for i, st in enumerate(steps):
        if set(ZONES) <= set(st.zones):
            where = _texts("study.whole_back")
        else:
            where = _join(zone_names(geometry, z) for z in st.zones)
        label = _texts(
            "study.order.item",
            technique=_technique_name(library, st.technique, st.variant),
            zones=where,
        )
        options.append(Option(str(i), label))
    answer = _join(
        ({lang: f"{i + 1}. {o.label[lang]}" for lang in LANGUAGES} for i, o in enumerate(options)),
        sep="\n",
    )
    return Drill(
        id=f"order:{s.id}",
        kind="order",
        prompt=_texts("study.prompt.order", scenario=s.label, session=s.plan.session),
        answer_text=answer,
        explanation=_texts("study.why.order"),
        sources=tuple(
            dict.fromkeys(
                [
                    *_cites(library.techniques["stroking"].sources),
                    *_cites(library.conditions[s.profile.condition].sources),
                ]
            )
        ),
        order=tuple(keys),
        order_keys=keys,
        options=tuple(options),
        plan=s.plan,
    )


def _condzone_drill(s: Scenario, library: Library, geometry: Any) -> Drill | None:
    zones = tuple(z for z in s.plan.emphasis_zones if z in ZONES)
    if not zones:
        return None
    cond = library.conditions[s.profile.condition]
    return Drill(
        id=f"condzone:{s.id}",
        kind="condzone",
        prompt=_texts("study.prompt.condzone", scenario=s.label),
        answer_text=_join(zone_names(geometry, z) for z in zones),
        explanation=_data(cond.summary),
        sources=_cites(cond.sources),
        accept=frozenset(zones),
        plan=s.plan,
        highlight=zones,
    )


def _contra_drills(library: Library) -> list[Drill]:
    options = tuple(Option(a, _texts(f"study.action.{a}")) for a in ACTIONS)
    out = []
    for c in library.contraindications.values():
        out.append(
            Drill(
                id=f"contra:{c.id}",
                kind="contra",
                prompt=_texts("study.prompt.contra", question=_data(c.question)),
                answer_text=_texts(f"study.action.{c.action}"),
                explanation=_data(c.explanation),
                sources=_cites(c.sources),
                accept=frozenset({c.action}),
                options=options,
            )
        )
    return out


def _technique_drills(scen: Sequence[Scenario], library: Library) -> list[Drill]:
    options = tuple(Option(t, _data(library.techniques[t].name)) for t in library.techniques)
    out = []
    for tid, tech in library.techniques.items():
        found = None
        for s in scen:  # prefer the plain technique over a variant
            for st in s.plan.steps:
                if st.technique == tid and (found is None or (found[1].variant and not st.variant)):
                    found = (s, st)
        if found is None:
            continue  # no plan uses it: nothing honest to animate
        s, st = found
        single = replace(s.plan, steps=(st,))
        out.append(
            Drill(
                id=f"technique:{tid}",
                kind="technique",
                prompt=_texts("study.prompt.technique"),
                answer_text=_data(tech.name),
                explanation=_join([_data(tech.does), _data(tech.how)], sep=" "),
                sources=_cites(tech.sources),
                accept=frozenset({tid}),
                options=options,
                plan=single,
                step=0,
            )
        )
    return out


# ---------------------------------------------------------------------------------------------
# checking an answer


def check(drill: Drill, response: Any) -> bool:
    """Is ``response`` right? Its type depends on the drill's kind:

    * ``zone``: the clicked region id (a half of the asked zone counts);
    * ``notouch``: the clicked point ``(x, y)`` in map units;
    * ``order``: the option ids in the student's order;
    * ``condzone``: the selected zone ids (halves count as their zone);
    * ``contra``, ``technique``: the chosen option id.
    """
    kind = drill.kind
    if kind == "zone":
        return isinstance(response, str) and response in drill.accept
    if kind == "notouch":
        if drill.area is None or response is None:
            return False
        x, y = response
        return drill.area.distance(Point(float(x), float(y))) <= NO_TOUCH_TOLERANCE
    if kind == "order":
        ids = list(response or ())
        return sorted(ids) == sorted(drill.order) and _same_order(drill, ids)
    if kind == "condzone":
        picked = {_parent_zone(z) for z in (response or ())}
        return picked == set(drill.accept)
    if kind in ("contra", "technique"):
        return response in drill.accept
    raise ValueError(f"unknown drill kind {kind!r}")


def _parent_zone(rid: str) -> str:
    for z in ZONES:
        if rid in (z, f"{z}-left", f"{z}-right"):
            return z
    return rid




def overlay_plan(emphasis: Iterable[str] = ()) -> Plan:
    """An empty plan that only emphasises ``emphasis`` (zone or half ids): the map's highlight."""
    return Plan(
        condition="",
        session=1,
        course_sessions=1,
        phase="main",
        status="ok",
        reasons=(),
        emphasis_zones=tuple(emphasis),
        no_touch=(),
        steps=(),
        course=(),
        cautions=(),
        sources=(),
        evidence=(),
    )


