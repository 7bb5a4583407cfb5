"""The planner: a patient's profile + the protocol library + the back geometry -> a plan.

:func:`make_plan` is pure and deterministic (same input, same plan, equal JSON). The rules,
each with its source (see docs/protocols.md):

* screening fails closed (:mod:`bodymap.screening`); steps exist only when status is ``ok``;
* the LEAD condition gives the session's steps, its phase and length and the course (Part 4,
  Part 5); stroking first, last and after each stage (Part 1, Part 2); further conditions add
  their emphasis within the lead's time and all their restrictions (:mod:`bodymap.combine`,
  bodymap's own rule: the strictest restriction wins);
* no-touch areas: the spinal line from the base of the skull (Part 1), the kidneys for
  vibration (Part 2), the hernia site at its level and side (Part 5), zones with skin lesions
  (Parts 1, 4, 6), painful places in the introductory sessions (Part 4);
* patient safeguards (:mod:`bodymap.safeguards`, ``protocols/safeguards.toml``): the neck never
  deep, care over the kidneys, no vibration over the thoracic spine, the hernia and scoliosis
  rules, whatever condition leads;
* each step's ``area`` is its zones minus every no-touch area that applies to its technique.
"""

from __future__ import annotations

from typing import Any

from shapely import Point
from shapely.ops import unary_union

from bodymap.combine import (
    conditions_of,
    describe,
    emphasis_of,
    limit_caps,
    with_areas,
    with_further_emphasis,
)
from bodymap.errors import UsageError, shown
from bodymap.findings import (
    LEVEL_NAMES,
    check_curves,
    check_hernias,
    disc_levels,
    grade_roman,
)
from bodymap.gates import clearance_ids, findings_present, gate_reasons
from bodymap.i18n import LANGUAGES, tr
from bodymap.library import Library
from bodymap.plan_steps import Geometry, build_steps, caption, half_round, zones_label
from bodymap.plan_types import (
    Cap,
    Cited,
    Combined,
    CourseSession,
    Hernia,
    NoTouch,
    Plan,
    Profile,
    Scoliosis,
    Step,
    note_text,
)
from bodymap.safeguards import resolve, text_of
from bodymap.schema import ZONE_IDS, ZONES, Condition
from bodymap.screening import Reason, check_ids, screen, status_of
from bodymap.vocabulary import HERNIA_SIDES

__all__ = [
    "HERNIA_SIDES",
    "NOTE",
    "Cap",
    "Cited",
    "Combined",
    "CourseSession",
    "Hernia",
    "NoTouch",
    "Plan",
    "Profile",
    "Reason",
    "Scoliosis",
    "Step",
    "hernia_levels",
    "make_plan",
    "standing_no_touch",
    "technique_step",
    "zones_label",
]

NOTE = note_text()
MAX_PAIN_POINTS = 12


# ---------------------------------------------------------------------------------------------
# validating a profile


def hernia_levels(geometry: Geometry) -> tuple[str, ...]:
    """Disc levels between consecutive landmarks: C2-C3 ... L5-S1."""
    return disc_levels(getattr(geometry, "landmarks", None) or LEVEL_NAMES)


def _bounds(geometry: Geometry) -> tuple[float, float, float, float]:
    return tuple(getattr(geometry, "bounds", (0.0, 0.0, 600.0, 900.0)))  # type: ignore[return-value]


def _check_profile(profile: Profile, cond: Condition, library: Library, geometry: Geometry) -> None:
    n = cond.course.sessions
    if not 1 <= profile.session <= n:
        raise UsageError(
            f"session {profile.session} is outside the {cond.id} course",
            expected=f"a session number from 1 to {n}",
        )
    check_ids(profile.present, library.contraindications)
    if profile.answered is not None:
        check_ids(profile.answered, library.contraindications)
    known = clearance_ids(library)
    for cid in sorted(profile.cleared):
        if cid not in known:
            raise UsageError(f"'{shown(cid)}' is not something a doctor clears here",
                             expected="one of " + ", ".join(sorted(known)))
    for z in sorted(profile.lesions):
        if z not in ZONE_IDS:
            raise UsageError(f"unknown zone '{z}'", expected="one of " + ", ".join(ZONE_IDS))
    check_hernias(profile.hernias, hernia_levels(geometry))
    check_curves(profile.curves)
    if len(profile.pain_points) > MAX_PAIN_POINTS:
        raise UsageError(f"{len(profile.pain_points)} painful places are marked",
                         expected=f"at most {MAX_PAIN_POINTS}")
    minx, miny, maxx, maxy = _bounds(geometry)
    for x, y in profile.pain_points:
        if not (minx <= x <= maxx and miny <= y <= maxy):
            raise UsageError(f"painful place ({x:g}, {y:g}) lies outside the back",
                             expected=f"x {minx:.0f}..{maxx:.0f}, y {miny:.0f}..{maxy:.0f}")


# ---------------------------------------------------------------------------------------------
# the planner


def _reason(rid: str, kind: str, key: str, named: Any = None, **fields: object) -> Reason:
    """A reason in every language; ``named`` (a condition), when given, fills ``{name}`` in
    each language with its own name."""
    return Reason(rid, kind, {lang: tr(key, lang, **fields, **(
        {"name": getattr(named.name, lang)} if named is not None else {}))
        for lang in LANGUAGES})


def _left_out(library: Library, geometry: Geometry, technique: str, variant: str | None,
              zones: tuple[str, ...]) -> Reason:
    """A step the no-touch areas leave no room for: the plan says it is left out, and why."""
    tech = library.techniques[technique]
    name = tech.variant(variant).name if variant else tech.name
    text = {lang: tr("plan.reason.step_left_out", lang, step=getattr(name, lang),
                     zones=zones_label(geometry, zones, lang)) for lang in LANGUAGES}
    return Reason(f"left-out-{variant or technique}", "exclude", text)


def _lerp(a: float, b: float, first: int, last: int, n: int) -> float:
    return a if last == first else a + (b - a) * (n - first) / (last - first)


def course_of(cond: Condition) -> tuple[CourseSession, ...]:
    out = []
    for p in cond.course.phases:
        for n in range(p.first, p.last + 1):
            out.append(
                CourseSession(
                    n,
                    p.id,
                    half_round(_lerp(p.minutes[0], p.minutes[1], p.first, p.last, n)),
                    round(_lerp(p.intensity[0], p.intensity[1], p.first, p.last, n), 2),
                )
            )
    return tuple(out)


def _finding_reasons(profile: Profile, conds: tuple[Condition, ...],
                     present: set[str]) -> list[Reason]:
    """What the findings and the conditions' needs say before any step is planned."""
    out: list[Reason] = []
    if "skin-lesion" in present and not profile.lesions:
        out.append(_reason("skin-lesion-zones", "unanswered", "plan.reason.skin_lesion_zones"))
    out += gate_reasons(profile, conds)
    for i, cond in enumerate(conds):
        if not cond.zones_from_source:
            rid = "no-zones-in-source" if i == 0 else f"no-zones-in-source-{cond.id}"
            out.append(Reason(rid, "note", {
                lang: tr("plan.reason.no_zones_in_source", lang, name=getattr(cond.name, lang))
                for lang in LANGUAGES}))
    for h in profile.hernias:
        out.append(Reason(hernia_site_id(h), "exclude", {
            lang: tr("plan.reason.hernia_site", lang, level=h.level,
                     side=tr(f"plan.side.{h.side}", lang)) for lang in LANGUAGES}))
    for c in profile.curves:
        if c.grade is None or c.grade >= 4:
            continue
        rid = "scoliosis" if c.region == "whole" else f"scoliosis-{c.region}"
        out.append(Reason(rid, "note", {
            lang: tr("plan.reason.scoliosis" if c.region == "whole"
                     else "gates.scoliosis_curve", lang, grade=grade_roman(c.grade),
                     convex=tr(f"plan.side_adj.{c.convex}", lang),
                     concave=tr(f"plan.side_adj.{c.concave}", lang),
                     kind=tr(f"plan.scoliosis_kind.{c.convex}", lang),
                     region=tr(f"gates.region.{c.region}", lang))
            for lang in LANGUAGES}))
    return out


def hernia_site_id(hernia: Hernia) -> str:
    """The no-touch id of a hernia's site: ``hernia-site-L4-L5-left``."""
    return f"hernia-site-{hernia.level}-{hernia.side}"


def make_plan(profile: Profile, library: Library, geometry: Geometry) -> Plan:
    """Plan one session for ``profile`` (pure, deterministic): its lead condition's session,
    with every further condition's emphasis and restrictions and every safeguard."""
    conds = conditions_of(profile, library)
    lead = conds[0]
    _check_profile(profile, lead, library, geometry)

    present = set(profile.present)
    answered = None if profile.answered is None else set(profile.answered)
    present |= findings_present(profile)
    if profile.lesions:
        present.add("skin-lesion")
    present &= set(library.contraindications)
    if answered is not None:
        answered |= present
    scr = screen(library.contraindications, present, answered, profile.cleared)
    reasons = [*scr.reasons, *_finding_reasons(profile, conds, present)]
    status = status_of(reasons)

    course = course_of(lead)
    today = course[profile.session - 1]
    phase = lead.course.phase_of(profile.session)
    emphasis, added = emphasis_of(conds, profile, geometry)
    guard_no_touch, guard_caps, guards = resolve(library.safeguards, profile, geometry)
    no_touch = (*_no_touch(profile, library, geometry, phase.id), *guard_no_touch)
    caps = with_areas((*_screening_caps(scr.max_intensity), *guard_caps, *limit_caps(conds)),
                      geometry)
    combined, notes = describe(conds, added, phase.id, geometry)
    reasons += notes

    steps: tuple[Step, ...] = ()
    if status == "ok":
        specs = with_further_emphasis(lead.steps_in(phase.id), added)
        left_out: list[Step] = []
        steps = build_steps(specs, profile, library, geometry, today, emphasis, no_touch, caps,
                            left_out)
        for gone in dict.fromkeys((s.technique, s.variant, s.zones) for s in left_out):
            reasons.append(_left_out(library, geometry, *gone))
        if not steps:
            reasons.append(_reason("nothing-left", "block", "plan.reason.nothing_left"))
            status = "blocked"

    cautions, evidence, beyond = _notes(library, conds, guards)
    sources: list[Any] = [*lead.course.sources]
    for cond in conds:
        sources += cond.sources
        for spec in (lead.steps_in(phase.id) if cond is lead else ()):
            sources += spec.sources
        for c in (*cond.caution, *cond.evidence, *cond.beyond_map):
            sources += c.sources
    for g in guards:
        sources += g.sources
    return Plan(
        condition=lead.id,
        session=profile.session,
        course_sessions=lead.course.sessions,
        phase=phase.id,
        status=status,
        reasons=tuple(reasons),
        emphasis_zones=emphasis,
        no_touch=no_touch,
        steps=steps,
        course=course,
        cautions=cautions,
        sources=tuple(dict.fromkeys(s.cite() for s in sources)),
        sources_ru=tuple(dict.fromkeys(s.cite("ru") for s in sources)),
        evidence=evidence,
        name=text_of(lead.name),
        zones_from_source=lead.zones_from_source,
        max_intensity=scr.max_intensity,
        conditions=tuple(c.id for c in conds),
        pain_points=tuple(profile.pain_points),
        caps=caps,
        combined=combined,
        beyond_map=beyond,
    )


def _cited(c: Any) -> Cited:
    return Cited(text_of(c.text), c.cites(), c.audience, c.cites("ru"),
                 tuple(getattr(c, "regions", ())))


def _notes(library: Library, conds: tuple[Condition, ...],
           guards: Any) -> tuple[tuple[Cited, ...], tuple[Cited, ...], tuple[Cited, ...]]:
    """Cautions (library, safeguards, conditions), evidence and work beyond the map, each text
    once."""
    cautions = [*library.cautions, *guards]
    evidence: list[Any] = []
    beyond: list[Any] = []
    for cond in conds:
        cautions += cond.caution
        evidence += cond.evidence
        beyond += cond.beyond_map
    evidence += library.evidence

    def unique(items: list[Any]) -> tuple[Cited, ...]:
        seen: dict[str, Cited] = {}
        for c in items:
            seen.setdefault(c.text.en, _cited(c))
        return tuple(seen.values())

    return unique(cautions), unique(evidence), unique(beyond)


def _screening_caps(cap: int | None) -> tuple[Cap, ...]:
    """A ``limit`` answer (anticoagulants, low platelets): no deep pressure anywhere."""
    from shapely import Polygon

    if cap is None:
        return ()
    text = {lang: tr("plan.cap.screening", lang) for lang in LANGUAGES}
    return (Cap("screening-limit", ZONES, Polygon(), "all", cap, False, True, text),)


def _no_touch(
    profile: Profile, library: Library, geometry: Geometry, phase: str = "main"
) -> tuple[NoTouch, ...]:
    rules = library.no_touch_rules

    def techniques(rule_id: str) -> str | tuple[str, ...]:
        t = rules[rule_id].techniques
        return t if isinstance(t, str) else tuple(t)

    out = [
        NoTouch("spine", ("spine",), geometry.spine_strip(rules["spine"].margin),
                techniques("spine"), text_of(rules["spine"].text)),
        NoTouch("kidneys", ("kidney-left", "kidney-right"), geometry.kidney_area(),
                techniques("kidneys"), text_of(rules["kidneys"].text)),
    ]
    rule = rules["hernia-site"]
    for hernia in profile.hernias:
        site = geometry.hernia_site(hernia.level, hernia.side)
        if rule.margin:
            site = site.buffer(rule.margin)
        out.append(NoTouch(hernia_site_id(hernia), (hernia.level,), site,
                           techniques("hernia-site"), text_of(rule.text)))
    rule = rules["lesion"]
    for z in sorted(profile.lesions):
        area = geometry.polygon(z)
        if rule.margin:
            area = area.buffer(rule.margin)
        out.append(NoTouch(f"lesion-{z}", (z,), area, techniques("lesion"), text_of(rule.text)))
    rule = rules["pain-point"]
    if profile.pain_points and rule.holds_in(phase):
        # Part 4: the introductory sessions work slightly above the injured place, not on it.
        for i, (x, y) in enumerate(profile.pain_points, start=1):
            zone = geometry.zone_at(x, y)
            out.append(NoTouch(f"pain-point-{i}", (zone,) if zone else (),
                               Point(x, y).buffer(max(rule.margin, 1.0)),
                               techniques("pain-point"), text_of(rule.text)))
    return tuple(out)


def technique_step(
    library: Library,
    geometry: Geometry,
    technique: str,
    variant: str | None = None,
    direction: str = "sacrum-to-neck",
    intensity: int = 3,
    zones: tuple[str, ...] | None = None,
    no_touch: tuple[NoTouch, ...] | None = None,
) -> Step:
    """One step of ``technique`` on its own, with the standing no-touch areas respected.

    For the technique library and drills: a technique shown outside any condition's plan.
    """
    tech = library.techniques[technique]
    v = tech.variant(variant)
    zones = tuple(zones or ZONES)
    if no_touch is None:
        no_touch = standing_no_touch(library, geometry)
    applying = tuple(n for n in no_touch if n.applies_to(technique))
    area = unary_union([geometry.polygon(z) for z in zones])
    if applying:
        area = area.difference(unary_union([n.area for n in applying]))
    d = library.directions[direction]
    return Step(
        technique=technique,
        variant=variant,
        zones=zones,
        direction=direction,
        minutes=float(tech.default_minutes),
        intensity=intensity,
        role=None,
        area=area,
        text=caption(tech, v, d, zones, intensity, None, geometry),
        motion=tech.motion_of(variant),
        percussive=tech.percussive_of(variant),
        deep=tech.is_deep(variant),
    )


def standing_no_touch(library: Library, geometry: Geometry) -> tuple[NoTouch, ...]:
    """The no-touch areas of every plan (the spinal line; the kidneys and the thoracic spine
    for vibration)."""
    profile = Profile(condition="")
    guards = resolve(library.safeguards, profile, geometry)[0]
    return (*_no_touch(profile, library, geometry), *guards)
