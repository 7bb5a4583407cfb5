"""Where a patient's restrictions come from (pure): the third arrow of the pipeline
``profile -> screening -> restrictions -> shape -> clip -> texts -> Plan``.

Every condition and every finding contributes, and :func:`patient_restrictions` takes their
meet (:mod:`bodymap.restrictions`), so the result is the same whatever the order of the
conditions and whichever of them leads:

* each condition's course at this session: the session's length and overall intensity (a
  sparing start such as radiculitis' holds whether it leads or not). A session past a
  condition's own course takes its last session's figures;
* each condition's ``[[limit]]``s: per zone an intensity ceiling, no deep variants, excluded
  techniques (hypertension: no percussion on the collar zone), a family's share of the session
  (back pain: rubbing and kneading stay brief);
* a finding brings the restrictions of the condition that needs it (a hernia: the hernia's
  course and limits, even when the hernia is not among the conditions; a scoliosis: the
  scoliosis'), and what the plan must do (relax each curve's concave side, strengthen its
  convex side);
* the patient safeguards (``protocols/safeguards.toml``: the neck, the kidneys, the thoracic
  spine, the hernia's zone and site, the concave side), the screening's ``limit`` answers,
  skin lesions, the spinal line and the painful places (while any condition is in its
  introductory phase).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from typing import Any

from shapely import Point, Polygon

from bodymap.findings import Hernia
from bodymap.i18n import LANGUAGES, tr
from bodymap.plan_types import Cap, CourseSession, NoTouch, Profile
from bodymap.restrictions import PERCUSSION, Cell, Must, Restrictions, cells_over, meet_all
from bodymap.safeguard_schema import Safeguard
from bodymap.safeguards import halves_of, resolve, text_of, zone_union
from bodymap.schema import Condition
from bodymap.vocabulary import ZONES

__all__ = [
    "PatientRestrictions",
    "condition_limits",
    "course_point",
    "course_table",
    "hernia_site_id",
    "limit_caps",
    "patient_restrictions",
    "restricting_conditions",
    "standing_no_touch_areas",
]


@dataclass(frozen=True)
class PatientRestrictions:
    """The meet, and the geometry behind it (for the map, the handout and the tests)."""

    restrictions: Restrictions
    no_touch: tuple[NoTouch, ...]
    caps: tuple[Cap, ...]
    guards: tuple[Safeguard, ...]
    #: every condition whose restrictions hold: the profile's, then those its findings bring
    conditions: tuple[Condition, ...]


def restricting_conditions(conds: Iterable[Condition], profile: Profile,
                           library: Any) -> tuple[Condition, ...]:
    """The profile's conditions, then each condition a finding brings (a hernia brings the
    condition that needs a hernia's level, a scoliosis the one that needs its shape)."""
    out = list(conds)
    ids = {c.id for c in out}
    for needs, given in (("hernia", bool(profile.hernias)), ("scoliosis", bool(profile.curves))):
        if not given:
            continue
        for cond in library.conditions.values():
            if cond.needs == needs and cond.id not in ids:
                out.append(cond)
                ids.add(cond.id)
    return tuple(out)


def _lerp(a: float, b: float, first: int, last: int, n: int) -> float:
    return a if last == first else a + (b - a) * (n - first) / (last - first)


def half_round(x: float) -> float:
    return max(0.5, round(x * 2) / 2)


def course_point(cond: Condition, session: int) -> tuple[str, float, float]:
    """(phase, minutes, intensity) of ``cond``'s course at ``session`` (past its last session:
    its last session's)."""
    n = min(session, cond.course.sessions)
    p = cond.course.phase_of(n)
    return (p.id, half_round(_lerp(p.minutes[0], p.minutes[1], p.first, p.last, n)),
            round(_lerp(p.intensity[0], p.intensity[1], p.first, p.last, n), 2))


def _course(cond: Condition, session: int) -> Restrictions:
    _, minutes, intensity = course_point(cond, session)
    return Restrictions(max_minutes=minutes, max_intensity=intensity)


def _techniques(value: Any, library: Any) -> tuple[str, ...]:
    return tuple(library.techniques) if value == "all" else tuple(value)


def condition_limits(cond: Condition, library: Any) -> Restrictions:
    """A condition's own ``[[limit]]``s as restrictions (per half-zone cells and shares)."""
    parts: list[Restrictions] = []
    for lim in cond.limit:
        techs = _techniques(lim.techniques, library)
        keys = (PERCUSSION,) if lim.percussive else techs
        cell = Cell(lim.max_intensity or 5, lim.deep, lim.exclude)
        parts.append(cells_over(halves_of(lim.zones), keys, cell))
        if lim.max_share is not None:
            parts.append(Restrictions(shares=((tuple(sorted(techs)), lim.max_share),)))
    return meet_all(parts)


def _caps(caps: Iterable[Cap], library: Any) -> Restrictions:
    parts: list[Restrictions] = []
    for cap in caps:
        if cap.by_zone:
            cell = Cell(cap.max_intensity, cap.deep)
            parts.append(cells_over(halves_of(cap.zones),
                                    _techniques(cap.techniques, library), cell))
        else:
            parts.append(Restrictions(area_caps=frozenset({cap.id})))
    return meet_all(parts)


def _no_touch(areas: Iterable[NoTouch], guards: Mapping[str, Safeguard],
              library: Any) -> Restrictions:
    """No-touch areas by id; those over whole zones (a lesion, the hernia's zone for
    vibration) also exclude their techniques there, so no step claims to work them."""
    parts = [Restrictions(no_touch=frozenset(n.id for n in areas))]
    for n in areas:
        zoned = n.id.startswith("lesion-") or (n.id in guards and all(
            w not in ("kidneys", "thoracic-spine") for w in guards[n.id].where))
        if zoned:
            parts.append(cells_over(halves_of(n.zones), _techniques(n.techniques, library),
                                    Cell(excluded=True)))
    return meet_all(parts)


def _musts(profile: Profile) -> Restrictions:
    """A scoliosis: each curve's concave side relaxed, its convex side strengthened."""
    known = [c for c in profile.curves if c.grade is not None]
    if not known:
        return Restrictions()
    concave = tuple(sorted(f"{z}-{c.concave}" for c in known for z in c.zones))
    convex = tuple(sorted(f"{z}-{c.convex}" for c in known for z in c.zones))
    return Restrictions(musts=(Must("relax", concave), Must("strengthen", convex)))


def patient_restrictions(profile: Profile, conds: tuple[Condition, ...], library: Any,
                         geometry: Any, screening_cap: int | None) -> PatientRestrictions:
    """The meet of every restriction of ``profile`` at its session (see the module)."""
    rconds = restricting_conditions(conds, profile, library)
    guard_no_touch, guard_caps, guards = resolve(library.safeguards, profile, geometry)
    phases = frozenset(course_point(c, profile.session)[0] for c in rconds)
    no_touch = (*standing_no_touch_areas(profile, library, geometry, phases), *guard_no_touch)
    caps = _with_areas((*_screening_caps(screening_cap), *guard_caps, *limit_caps(rconds)),
                       geometry)
    lesions = cells_over(halves_of(profile.lesions), tuple(library.techniques),
                         Cell(excluded=True))
    restrictions = meet_all([
        *(_course(c, profile.session) for c in rconds),
        *(condition_limits(c, library) for c in rconds),
        _caps(caps, library),
        _no_touch(no_touch, library.safeguards, library),
        lesions,
        _musts(profile),
    ])
    return PatientRestrictions(restrictions, no_touch, caps, guards, rconds)


def course_table(lead: Condition, rconds: Iterable[Condition], profile: Profile,
                 ceiling_of: Any) -> tuple[CourseSession, ...]:
    """The plan's course: each session of the lead's course with the combined figures (the
    shortest length and the lowest intensity any condition allows there; the intensity at
    most what the restrictions let that session's steps reach,
    ``ceiling_of(number, minutes, intensity)``)."""
    rconds = tuple(rconds)
    out = []
    for n in range(1, lead.course.sessions + 1):
        points = [course_point(c, n) for c in rconds]
        minutes = min(p[1] for p in points)
        intensity = min(p[2] for p in points)
        out.append(CourseSession(n, lead.course.phase_of(n).id, minutes,
                                 ceiling_of(n, minutes, intensity)))
    return tuple(out)


# ---------------------------------------------------------------------------------------------
# the geometry behind the restrictions


def limit_caps(conds: Iterable[Condition]) -> tuple[Cap, ...]:
    """Every condition's own intensity limits as caps (they hold whether it leads or not)."""
    out = []
    for cond in conds:
        for i, lim in enumerate(cond.limit, start=1):
            if lim.max_intensity is None and lim.deep:
                continue  # an exclusion or a share, not a cap
            techs = lim.techniques if isinstance(lim.techniques, str) else tuple(lim.techniques)
            out.append(Cap(f"{cond.id}-limit-{i}", tuple(lim.zones), Polygon(), techs,
                           lim.max_intensity or 5, lim.deep, True, text_of(lim.text)))
    return tuple(out)


def _with_areas(caps: tuple[Cap, ...], geometry: Any) -> tuple[Cap, ...]:
    """Zone-wide caps with their area filled in (for the map and the property tests)."""
    return tuple(
        replace(c, area=zone_union(geometry, c.zones)) if c.by_zone and c.area.is_empty else c
        for c in caps
    )


def _screening_caps(cap: int | None) -> tuple[Cap, ...]:
    """A ``limit`` answer (anticoagulants, low platelets): no deep pressure anywhere."""
    if cap is None:
        return ()
    text = {lang: tr("plan.cap.screening", lang) for lang in LANGUAGES}
    return (Cap("screening-limit", ZONES, Polygon(), "all", cap, False, True, text),)


def hernia_site_id(hernia: Hernia) -> str:
    """The no-touch id of a hernia's site: ``hernia-site-L4-L5-left``."""
    return f"hernia-site-{hernia.level}-{hernia.side}"


def standing_no_touch_areas(profile: Profile, library: Any, geometry: Any,
                            phases: frozenset[str] = frozenset()) -> tuple[NoTouch, ...]:
    """The spinal line, the kidneys (vibration), every hernia's site, every lesioned zone and,
    while any condition's course is in a phase the rule holds in (the introductory sessions),
    each painful place (Part 4, "Features")."""
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
    if profile.pain_points and any(rule.holds_in(p) for p in phases):
        for i, (x, y) in enumerate(profile.pain_points, start=1):
            zone = geometry.zone_at(x, y)
            out.append(NoTouch(f"pain-point-{i}", (zone,) if zone else (),
                               Point(x, y).buffer(max(rule.margin, 1.0)),
                               techniques("pain-point"), text_of(rule.text)))
    return tuple(out)
