"""The planner: a patient's profile + the protocol library + the back geometry -> a plan.

:func:`make_plan` is pure and deterministic (same input, same plan, equal JSON). It runs one
way through small pure modules, one per arrow (docs/ARCHITECTURE.md, "The planner")::

    profile -> screening -> restrictions -> shape -> clip -> texts -> Plan
               screening,    restrict,       shape     clip    plan_text
               gates         (restrictions)

* screening fails closed (:mod:`bodymap.screening`): an unanswered question blocks; the
  findings' and conditions' gates wait for what is not known yet and for a doctor's clearance
  (:mod:`bodymap.gates`); steps exist only when the status is ``ok``;
* the patient's restrictions are the meet of every condition's and finding's
  (:mod:`bodymap.restrict`): the same whatever the order of the conditions;
* the LEAD condition gives only the emphasis and the shape of the session
  (:mod:`bodymap.shape`); stroking first, last and after each stage (Part 1, Part 2);
* the shape is laid under the restrictions (:mod:`bodymap.clip`): every step within them,
  the session exactly as long as the restrictions allow;
* every text is written from the clipped plan (:mod:`bodymap.plan_text`).
"""

from __future__ import annotations

from typing import Any

from shapely.ops import unary_union

from bodymap.clip import Geometry, clip, reachable
from bodymap.errors import UsageError, shown
from bodymap.findings import (
    LEVEL_NAMES,
    Hernia,
    Scoliosis,
    check_curves,
    check_hernias,
    disc_levels,
)
from bodymap.gates import clearance_ids, findings_present, gate_reasons
from bodymap.i18n import LANGUAGES, tr
from bodymap.library import Library
from bodymap.plan_text import (
    caption,
    combined_of,
    curve_reasons,
    hernia_reasons,
    left_out_reason,
    notes_of,
    sources_of,
    zones_label,
)
from bodymap.plan_types import (
    Cap,
    Cited,
    Combined,
    CourseSession,
    NoTouch,
    Plan,
    Profile,
    Step,
    note_text,
)
from bodymap.protocol_files import check_condition_list
from bodymap.restrict import (
    course_point,
    course_table,
    patient_restrictions,
    standing_no_touch_areas,
)
from bodymap.safeguards import resolve, text_of
from bodymap.schema import Condition
from bodymap.screening import Reason, check_ids, screen, status_of
from bodymap.shape import emphasis_of, session_shape
from bodymap.vocabulary import HERNIA_SIDES, ZONE_IDS, ZONES

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
    "conditions_of",
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
    minx, miny, maxx, maxy = getattr(geometry, "bounds", (0.0, 0.0, 600.0, 900.0))
    return (float(minx), float(miny), float(maxx), float(maxy))


def conditions_of(profile: Profile, library: Library) -> tuple[Condition, ...]:
    """The profile's conditions, lead first; unknown or repeated ids are a UsageError."""
    check_condition_list(profile.conditions)
    return tuple(library.condition(cid) for cid in profile.conditions)


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


def _screen(profile: Profile, conds: tuple[Condition, ...], library: Library
            ) -> tuple[list[Reason], int | None]:
    """Screening and gates: (reasons, the screening's global cap)."""
    present = set(profile.present) | findings_present(profile)
    if profile.lesions:
        present.add("skin-lesion")
    present &= set(library.contraindications)
    answered = None if profile.answered is None else set(profile.answered) | present
    scr = screen(library.contraindications, present, answered, profile.cleared)
    reasons = list(scr.reasons)
    if "skin-lesion" in present and not profile.lesions:
        reasons.append(Reason("skin-lesion-zones", "unanswered", {
            lang: tr("plan.reason.skin_lesion_zones", lang) for lang in LANGUAGES}))
    reasons += gate_reasons(profile, conds)
    for i, cond in enumerate(conds):
        if not cond.zones_from_source:
            rid = "no-zones-in-source" if i == 0 else f"no-zones-in-source-{cond.id}"
            reasons.append(Reason(rid, "note", {
                lang: tr("plan.reason.no_zones_in_source", lang, name=getattr(cond.name, lang))
                for lang in LANGUAGES}))
    return reasons, scr.max_intensity


def make_plan(profile: Profile, library: Library, geometry: Geometry) -> Plan:
    """Plan one session for ``profile`` (pure, deterministic; see the module's docstring)."""
    conds = conditions_of(profile, library)
    lead = conds[0]
    _check_profile(profile, lead, library, geometry)

    reasons, screening_cap = _screen(profile, conds, library)
    status = status_of(reasons)
    patient = patient_restrictions(profile, conds, library, geometry, screening_cap)
    r = patient.restrictions
    phase = lead.course.phase_of(profile.session)
    emphasis, added = emphasis_of(conds, profile, geometry)
    sided = next((c for c in library.conditions.values() if c.needs == "scoliosis"), None)

    steps: tuple[Step, ...] = ()
    left_out: list[Step] = []
    if status == "ok":
        shape = session_shape(lead, phase.id, emphasis, added, profile, r.musts, sided)
        steps, left_out = clip(shape, r, library, geometry, patient.no_touch, patient.caps,
                               _context(profile, library))
        if not steps:
            reasons.append(Reason("nothing-left", "block", {
                lang: tr("plan.reason.nothing_left", lang) for lang in LANGUAGES}))
            status = "blocked"
    reasons += hernia_reasons(profile)
    reasons += curve_reasons(profile, steps, status)
    for gone in dict.fromkeys((s.technique, s.variant, s.zones) for s in left_out):
        reasons.append(left_out_reason(library, geometry, *gone))

    def course_at(cond: Condition) -> tuple[float, float]:
        return course_point(cond, profile.session)[1:]

    combined, notes = combined_of(conds, patient.conditions, added, phase.id, geometry,
                                  course_at)
    reasons += notes
    def ceiling(n: int, minutes: float, level: float) -> float:
        """A session's intensity in the course table: no more than its own steps can reach
        (the session's shape under the zones' limits), so the table never says "firm" where
        every step is capped at moderate."""
        shape = session_shape(lead, lead.course.phase_of(n).id, emphasis, added, profile,
                              r.musts, sided)
        return min(level, float(reachable(shape, r, library) or 1))

    course = course_table(lead, patient.conditions, profile, ceiling)
    cautions, evidence, beyond = notes_of(library, patient.conditions, patient.guards)
    sources = sources_of(lead, patient.conditions, phase.id, patient.guards)
    return Plan(
        condition=lead.id,
        session=profile.session,
        course_sessions=lead.course.sessions,
        phase=phase.id,
        status=status,
        reasons=tuple(reasons),
        emphasis_zones=emphasis,
        no_touch=patient.no_touch,
        steps=steps,
        course=course,
        cautions=cautions,
        sources=tuple(dict.fromkeys(s.cite() for s in sources)),
        sources_ru=tuple(dict.fromkeys(s.cite("ru") for s in sources)),
        evidence=evidence,
        name=text_of(lead.name),
        zones_from_source=lead.zones_from_source,
        max_intensity=screening_cap,
        conditions=tuple(c.id for c in conds),
        pain_points=tuple(profile.pain_points),
        caps=patient.caps,
        combined=combined,
        beyond_map=beyond,
        restrictions=r,
        protocol_sources=_protocol_sources(patient.conditions, library),
    )


def _context(profile: Profile, library: Library) -> tuple[Any, ...]:
    """What a step's area depends on besides its zones (the area cache's key)."""
    margins = tuple(sorted((r.id, r.margin) for r in library.no_touch_rules.values()))
    return (tuple(h.key for h in profile.hernias), margins, tuple(profile.pain_points))


def _protocol_sources(conds: tuple[Condition, ...], library: Library) -> dict[str, str]:
    """Each condition the plan rests on: ``"shipped"`` or the path of the user's own file."""
    return {cond.id: library.protocol_source(cond.id) for cond in conds}


# ---------------------------------------------------------------------------------------------
# a technique on its own


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
    return (*standing_no_touch_areas(profile, library, geometry), *guards)
