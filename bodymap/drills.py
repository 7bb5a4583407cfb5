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

from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any

from shapely.ops import unary_union

from bodymap.drill_base import (
    KIND_TOPIC,
    KINDS,
    NEAR_MISS,
    NO_TOUCH_TOLERANCE,
    TOPICS,
    Drill,
    Option,
    Texts,
    check,
    cites,
    near_miss,
    overlay_plan,
    unique_texts,
)
from bodymap.drill_base import data_texts as _data
from bodymap.drill_base import join_texts as _join
from bodymap.drill_base import texts as _texts
from bodymap.findings import level_name
from bodymap.i18n import LANGUAGES
from bodymap.library import Library
from bodymap.planner import Hernia, Plan, Profile, Scoliosis, hernia_levels, make_plan
from bodymap.schema import ACTIONS, Source, Text
from bodymap.vocabulary import ZONES, zone_names

__all__ = [
    "KINDS",
    "KIND_TOPIC",
    "NEAR_MISS",
    "NO_TOUCH_TOLERANCE",
    "TOPICS",
    "Drill",
    "Option",
    "Scenario",
    "build_drills",
    "check",
    "near_miss",
    "overlay_plan",
    "scenarios",
]

HERNIA_LEVEL = "L4-L5"
HERNIA_SIDE = "left"
SCOLIOSIS = Scoliosis(convex="right", grade=2)
#: the extra where-not-to-press patient: a skin lesion on this zone half
LESION_CONDITION = "back-pain"
LESION_ZONE = "thoracic-left"
#: where the source names the back's zones: Part 3's opening ("Back massage is performed on the
#: area from the nape to the tailbone - massage of the collar zone, thoracic and lumbosacral
#: sections"); the halves are the patient's left and right (CONTENT.md, "The back and its zones")
ZONES_SOURCE = Source(part=3, heading="Therapeutic back massage", note=Text(
    en="the article's opening section", ru="вступительный раздел статьи"))


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
                level={lang: level_name(level, lang) for lang in LANGUAGES},
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
    return int(main.first)


def _technique_name(library: Library, technique: str, variant: str | None = None) -> dict[str, str]:
    tech = library.techniques[technique]
    v = tech.variant(variant)
    return _data(v.name if v is not None else tech.name)


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
    from bodymap.drill_motion import motion_drills  # it builds on this module's scenarios

    drills += motion_drills(library, geometry, scen)
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
                    sources=cites([ZONES_SOURCE]),
                    accept=frozenset(accept),
                    area=region.polygon,
                    highlight=(rid,),
                )
            )
    return out


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
            level={lang: level_name(level, lang) for lang in LANGUAGES},
            side=_texts("study.side.right"),
        )
        if plan.status == "ok" and plan.steps:
            extra.append(Scenario(f"{cond.id}-{level}-right", profile, plan, label))
    return [*scen, *extra]


def _notouch_drills(scen: Sequence[Scenario], library: Library) -> list[Drill]:
    """One drill per distinct set of no-touch areas (the same areas give the same answer)."""
    out = []
    seen: set[tuple[tuple[str, tuple[str, ...]], ...]] = set()
    for s in scen:
        for i, step in enumerate(s.plan.steps):
            applying = [n for n in s.plan.no_touch if n.applies_to(step.technique)]
            key = tuple(sorted((n.id, tuple(n.zones)) for n in applying))
            if not applying or key in seen:
                continue
            seen.add(key)
            out.append(_notouch_drill(s, i, step, applying, library))
    return out


def _notouch_drill(s: Scenario, i: int, step: Any, applying: list[Any],
                   library: Library) -> Drill:
    tech = _technique_name(library, step.technique)
    # a no-touch rule of contraindications.toml, or a patient safeguard (safeguards.toml)
    rules = [library.no_touch_rules.get(_rule_id(n.id)) or library.safeguards[n.id]
             for n in applying]
    names = _join(_data(r.name) for r in rules)
    why = _join((_data(n.text) for n in applying), sep=" ")
    sources = [c for r in rules for c in cites(r.sources)]
    return Drill(
        id=f"notouch:{s.id}:{step.technique}",
        kind="notouch",
        prompt=_texts(
            "study.prompt.notouch", scenario=s.label, session=s.plan.session, technique=tech
        ),
        answer_text=names,
        explanation=why,
        sources=unique_texts(sources),
        area=unary_union([n.area for n in applying]),
        plan=s.plan,
        step=i,
        condition=s.profile.condition,
        technique=step.technique,
    )


def _rule_id(no_touch_id: str) -> str:
    for rule in ("lesion", "hernia-site"):  # one area per lesion, per hernia: <rule>-<which>
        if no_touch_id.startswith(rule + "-"):
            return rule
    return no_touch_id


def _step_key(step: Any) -> tuple[str, str | None, tuple[str, ...], str]:
    """What the ordering drill shows of a step: steps that look the same are interchangeable."""
    return (step.technique, step.variant, tuple(step.zones), step.direction)


def _order_lines(steps: Sequence[Any]) -> list[list[int]]:
    """The steps as the ordering drill's lines: a step that repeats an earlier line exactly
    (the stroking the source puts after each stage, Part 1 and Part 2) joins the line before
    it ("…, then light stroking"), so that no two lines read the same."""
    lines: list[list[int]] = []
    heads: set[tuple[str, str | None, tuple[str, ...], str]] = set()
    for i, step in enumerate(steps):
        key = _step_key(step)
        if key in heads and lines:
            lines[-1].append(i)
        else:
            heads.add(key)
            lines.append([i])
    return lines


def _order_label(steps: Sequence[Any], line: list[int], library: Library,
                 geometry: Any) -> dict[str, str]:
    head = steps[line[0]]
    if set(ZONES) <= set(head.zones):
        where = _texts("study.whole_back")
    else:
        where = _join(zone_names(geometry, z) for z in head.zones)
    label = _texts("study.order.item",
                   technique=_technique_name(library, head.technique, head.variant),
                   zones=where, direction=_data(library.directions[head.direction].name))
    for i in line[1:]:
        name = _technique_name(library, steps[i].technique, steps[i].variant)
        label = _texts("study.order.then", line=label,
                       technique={k: v[:1].lower() + v[1:] for k, v in name.items()})
    return label


def _order_drill(s: Scenario, library: Library, geometry: Any) -> Drill | None:
    steps = s.plan.steps
    lines = _order_lines(steps)
    if len(lines) < 3:
        return None
    keys = {str(line[0]): tuple(_step_key(steps[i]) for i in line) for line in lines}
    options = tuple(Option(str(line[0]), _order_label(steps, line, library, geometry))
                    for line in lines)
    if any(len({o.label[lang] for o in options}) < len(options) for lang in LANGUAGES):
        return None  # never two lines that read the same
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
        sources=unique_texts([*cites(library.techniques["stroking"].sources),
                              *cites(library.conditions[s.profile.condition].sources)]),
        order=tuple(keys),
        order_keys=keys,
        options=options,
        plan=s.plan,
        condition=s.profile.condition,
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
        sources=cites(cond.sources),
        accept=frozenset(zones),
        plan=s.plan,
        highlight=zones,
        condition=s.profile.condition,
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
                sources=cites(c.sources),
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
                sources=cites(tech.sources),
                accept=frozenset({tid}),
                options=options,
                plan=single,
                step=0,
                technique=tid,
            )
        )
    return out
