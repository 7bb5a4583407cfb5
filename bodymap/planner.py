"""The planner: a patient's profile + the protocol library + the back geometry -> a plan.

:func:`make_plan` is pure and deterministic (same input, same plan, equal JSON). The rules,
each with its source (see docs/protocols.md):

* screening fails closed (:mod:`bodymap.screening`); steps exist only when status is ``ok``;
* the session's phase and length come from the condition's course (Part 4, Part 5); steps
  are the condition's steps for that phase, stroking first and last (Part 1, Part 2);
* no-touch areas: the spinal line always (Part 1), the kidneys for vibration (Part 2), the
  hernia site at its level and side (Part 5), zones with skin lesions (Parts 1, 3, 4, 6);
  each step's ``area`` is its zones minus every no-touch area that applies to its technique;
* a hernia caps rubbing, kneading and squeezing at intensity 2 (Part 5: no strong rubbing or
  kneading); a ``limit`` contraindication caps every step;
* scoliosis: the concave side is relaxed, the convex side strengthened (Part 1, Part 3).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from itertools import pairwise
from typing import Any, Protocol

from shapely import MultiPolygon, Point, Polygon
from shapely.geometry import mapping
from shapely.ops import unary_union

from bodymap.errors import UsageError
from bodymap.library import Library
from bodymap.schema import EMPHASIS_TOKEN, HALVES, ZONE_IDS, ZONES, Condition, StepSpec
from bodymap.screening import Reason, check_ids, screen, status_of

__all__ = [
    "NOTE",
    "CourseSession",
    "Hernia",
    "NoTouch",
    "Plan",
    "Profile",
    "Reason",
    "Scoliosis",
    "Step",
    "make_plan",
]

NOTE = {
    "en": "Schematic guide for study and explanation, not a diagnosis or a prescription.",
    "ru": "Схема для обучения и объяснения, а не диагноз и не назначение.",
}
HERNIA_SIDES = ("left", "right", "central")
#: Part 5: "the masseur excludes strong rubbing and kneading" -> at most this intensity
HERNIA_MAX_INTENSITY = 2
HERNIA_CAPPED = ("rubbing", "kneading", "squeezing")
_DEFAULT_LEVELS = ("C7", *(f"T{i}" for i in range(1, 13)), *(f"L{i}" for i in range(1, 6)), "S1")


class Geometry(Protocol):  # the part of bodymap.geometry.BackGeometry the planner uses
    regions: Mapping[str, Any]
    landmarks: Mapping[str, tuple[float, float]]

    def polygon(self, region_id: str) -> Polygon: ...
    def spine_strip(self, margin: float = 0.0) -> Polygon: ...
    def kidney_area(self) -> MultiPolygon: ...
    def level_y(self, level: str) -> float: ...
    def zone_at(self, x: float, y: float) -> str | None: ...
    def hernia_site(self, level: str, side: str = "central") -> Polygon: ...


# ---------------------------------------------------------------------------------------------
# the data


@dataclass(frozen=True)
class Hernia:
    level: str  # a disc level such as "L4-L5"
    side: str = "central"  # left | right | central (the patient's side)


@dataclass(frozen=True)
class Scoliosis:
    convex: str  # left | right: the side the curve bulges toward
    grade: int  # 1..4


@dataclass(frozen=True)
class Profile:
    condition: str
    session: int = 1
    hernia: Hernia | None = None
    scoliosis: Scoliosis | None = None
    lesions: frozenset[str] = frozenset()  # zone or half ids with skin lesions
    present: frozenset[str] = frozenset()  # contraindication ids answered "yes"
    #: ids answered at all; None = the whole checklist was answered (the command line)
    answered: frozenset[str] | None = None
    #: painful places marked on the map, in back coordinates (zones.svg user units)
    pain_points: tuple[tuple[float, float], ...] = ()


@dataclass(frozen=True)
class NoTouch:
    id: str
    zones: tuple[str, ...]
    area: Polygon | MultiPolygon
    techniques: str | tuple[str, ...]  # "all" or technique ids
    text: Mapping[str, str]

    def applies_to(self, technique: str) -> bool:
        return self.techniques == "all" or technique in self.techniques


@dataclass(frozen=True)
class Step:
    technique: str
    variant: str | None
    zones: tuple[str, ...]
    direction: str
    minutes: float
    intensity: int  # 1 very light .. 5 deep
    role: str | None  # relax | strengthen (scoliosis) | None
    area: Polygon | MultiPolygon = field(compare=False)
    text: Mapping[str, str] = field(default_factory=dict)
    #: how the hands move (the library's ``Technique.motion_of(variant)``): glide, circles,
    #: zigzag, roll or tremble; drawn by bodymap.strokes
    motion: str = "glide"
    #: tapping, patting: percussion (the library's ``Technique.percussive_of(variant)``)
    percussive: bool = False


@dataclass(frozen=True)
class CourseSession:
    number: int
    phase: str
    minutes: float
    intensity: float


@dataclass(frozen=True)
class Cited:
    text: Mapping[str, str]
    sources: tuple[str, ...]
    #: who the text is written for: "therapist", "patient" or "both" (the handout shows only
    #: patient and both; the app shows therapist and both)
    audience: str = "both"

    def for_patient(self) -> bool:
        return self.audience in ("patient", "both")

    def for_therapist(self) -> bool:
        return self.audience in ("therapist", "both")


@dataclass(frozen=True)
class Plan:
    condition: str
    session: int
    course_sessions: int
    phase: str  # introductory | main | final
    status: str  # ok | blocked | postponed
    reasons: tuple[Reason, ...]
    emphasis_zones: tuple[str, ...]
    no_touch: tuple[NoTouch, ...]
    steps: tuple[Step, ...]
    course: tuple[CourseSession, ...]
    cautions: tuple[Cited, ...]
    sources: tuple[str, ...]
    evidence: tuple[Cited, ...]
    name: Mapping[str, str] = field(default_factory=dict)
    zones_from_source: bool = True
    max_intensity: int | None = None  # the cap applied to every step, if any

    @property
    def total_minutes(self) -> float:
        return round(float(sum(s.minutes for s in self.steps)), 1)

    def to_json(self) -> dict[str, Any]:
        """The plan as plain JSON data (BRIEF.md); deterministic for equal plans."""
        return {
            "condition": self.condition,
            "name": dict(self.name),
            "session": self.session,
            "course_sessions": self.course_sessions,
            "phase": self.phase,
            "status": self.status,
            "reasons": [
                {"id": r.id, "kind": r.kind, "text": r.text["en"], "text_ru": r.text["ru"]}
                for r in self.reasons
            ],
            "total_minutes": self.total_minutes,
            "emphasis_zones": list(self.emphasis_zones),
            "zones_from_source": self.zones_from_source,
            "max_intensity": self.max_intensity,
            "no_touch": [
                {
                    "id": n.id,
                    "zones": list(n.zones),
                    "techniques": n.techniques if isinstance(n.techniques, str)
                    else list(n.techniques),
                    "text": n.text["en"],
                    "text_ru": n.text["ru"],
                    "geometry": _geojson(n.area),
                }
                for n in self.no_touch
            ],
            "steps": [
                {
                    "technique": s.technique,
                    "variant": s.variant,
                    "zones": list(s.zones),
                    "direction": s.direction,
                    "minutes": s.minutes,
                    "intensity": s.intensity,
                    "role": s.role,
                    "text": s.text["en"],
                    "text_ru": s.text["ru"],
                }
                for s in self.steps
            ],
            "course": [
                {"number": c.number, "phase": c.phase, "minutes": c.minutes,
                 "intensity": c.intensity}
                for c in self.course
            ],
            "cautions": [_cited_json(c) for c in self.cautions],
            "evidence": [_cited_json(c) for c in self.evidence],
            "sources": list(self.sources),
            "note": NOTE["en"],
            "note_ru": NOTE["ru"],
        }


def _cited_json(c: Cited) -> dict[str, Any]:
    return {"text": c.text["en"], "text_ru": c.text["ru"], "sources": list(c.sources),
            "audience": c.audience}


def _round(value: Any, digits: int = 2) -> Any:
    if isinstance(value, float):
        r = round(value, digits)
        return 0.0 if r == 0 else r
    if isinstance(value, (list, tuple)):
        return [_round(v, digits) for v in value]
    if isinstance(value, dict):
        return {k: _round(v, digits) for k, v in value.items()}
    return value


def _geojson(geom: Polygon | MultiPolygon) -> dict[str, Any]:
    return _round(mapping(geom))


# ---------------------------------------------------------------------------------------------
# validating a profile


def hernia_levels(geometry: Geometry) -> tuple[str, ...]:
    """Disc levels between consecutive landmarks: C7-T1 ... L5-S1."""
    names = list(getattr(geometry, "landmarks", None) or _DEFAULT_LEVELS)
    return tuple(f"{a}-{b}" for a, b in pairwise(names))


MAX_PAIN_POINTS = 12


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
    for z in sorted(profile.lesions):
        if z not in ZONE_IDS:
            raise UsageError(f"unknown zone '{z}'", expected="one of " + ", ".join(ZONE_IDS))
    if profile.hernia is not None:
        levels = hernia_levels(geometry)
        if profile.hernia.level not in levels:
            raise UsageError(
                f"unknown hernia level '{profile.hernia.level}'",
                expected=f"a disc level {levels[0]} ... {levels[-1]}, e.g. L4-L5",
            )
        if profile.hernia.side not in HERNIA_SIDES:
            raise UsageError(
                f"unknown hernia side '{profile.hernia.side}'", expected="left, right or central"
            )
    if len(profile.pain_points) > MAX_PAIN_POINTS:
        raise UsageError(f"{len(profile.pain_points)} painful places are marked",
                         expected=f"at most {MAX_PAIN_POINTS}")
    minx, miny, maxx, maxy = _bounds(geometry)
    for x, y in profile.pain_points:
        if not (minx <= x <= maxx and miny <= y <= maxy):
            raise UsageError(f"painful place ({x:g}, {y:g}) lies outside the back",
                             expected=f"x {minx:.0f}..{maxx:.0f}, y {miny:.0f}..{maxy:.0f}")
    if profile.scoliosis is not None:
        s = profile.scoliosis
        if s.convex not in ("left", "right"):
            raise UsageError(f"unknown convex side '{s.convex}'", expected="left or right")
        if not (isinstance(s.grade, int) and 1 <= s.grade <= 4):
            raise UsageError(f"scoliosis grade '{s.grade}' is out of range", expected="1..4")


# ---------------------------------------------------------------------------------------------
# the planner


def _note(rid: str, kind: str, en: str, ru: str) -> Reason:
    return Reason(rid, kind, {"en": en, "ru": ru})


def _lerp(a: float, b: float, first: int, last: int, n: int) -> float:
    return a if last == first else a + (b - a) * (n - first) / (last - first)


def _half_round(x: float) -> float:
    return max(0.5, round(x * 2) / 2)


def course_of(cond: Condition) -> tuple[CourseSession, ...]:
    out = []
    for p in cond.course.phases:
        for n in range(p.first, p.last + 1):
            out.append(
                CourseSession(
                    n,
                    p.id,
                    _half_round(_lerp(p.minutes[0], p.minutes[1], p.first, p.last, n)),
                    round(_lerp(p.intensity[0], p.intensity[1], p.first, p.last, n), 2),
                )
            )
    return tuple(out)


def _emphasis(cond: Condition, profile: Profile, geometry: Geometry) -> tuple[str, ...]:
    if cond.needs == "hernia" and profile.hernia is not None:
        y = geometry.level_y(profile.hernia.level)
        x0 = 300.0
        for dx in (40.0, 60.0, 25.0, 80.0):
            half = geometry.zone_at(x0 - dx, y) or geometry.zone_at(x0 + dx, y)
            if half:
                region = geometry.regions.get(half)
                parent = getattr(region, "parent", None) or half.rsplit("-", 1)[0]
                if parent in ZONES:
                    return (parent,)
    return tuple(cond.emphasis)


def _side_half(zone: str, side: str) -> str:
    if zone in HALVES:
        return zone
    return f"{zone}-{side}"


def _expand_zones(
    spec: StepSpec, emphasis: tuple[str, ...], scoliosis: Scoliosis | None
) -> list[str]:
    zones: list[str] = []
    for z in spec.zones:
        zones.extend(emphasis if z == EMPHASIS_TOKEN else (z,))
    if spec.side != "both" and scoliosis is not None:
        concave = "left" if scoliosis.convex == "right" else "right"
        side = scoliosis.convex if spec.side == "convex" else concave
        zones = [_side_half(z, side) for z in zones if z in ZONES or z.endswith("-" + side)]
    return list(dict.fromkeys(zones))


def _without_lesions(zones: list[str], lesions: frozenset[str]) -> list[str]:
    out: list[str] = []
    for z in zones:
        parent = z.rsplit("-", 1)[0] if z in HALVES else z
        if z in lesions or parent in lesions:
            continue
        if z in ZONES:
            left, right = f"{z}-left", f"{z}-right"
            if left in lesions and right in lesions:
                continue
            if left in lesions:
                out.append(right)
                continue
            if right in lesions:
                out.append(left)
                continue
        out.append(z)
    return list(dict.fromkeys(out))


def _zone_name(geometry: Geometry, zone: str, lang: str) -> str:
    region = geometry.regions.get(zone) if hasattr(geometry, "regions") else None
    names = getattr(region, "names", None) or {}
    return names.get(lang) or zone


_WHOLE_BACK = {"en": "Whole back", "ru": "Вся спина"}
_HALF = {
    "left": {"en": "left half", "ru": "левая половина"},
    "right": {"en": "right half", "ru": "правая половина"},
}


def zones_label(geometry: Geometry, zones: tuple[str, ...] | list[str], lang: str) -> str:
    """Zone names for captions and tables, short: "Whole back", "Whole back, left half",
    "Collar zone, Thoracic zone (right half)"; otherwise each zone's name."""
    parents: dict[str, set[str]] = {}
    for z in zones:
        parent, _, side = z.rpartition("-")
        if parent in ZONES and side in _HALF:
            parents.setdefault(parent, set()).add(side)
        elif z in ZONES:
            parents.setdefault(z, set()).update(_HALF)
        else:
            return ", ".join(_zone_name(geometry, x, lang) for x in zones)
    sides = {frozenset(s) for s in parents.values()}
    if len(sides) != 1:
        return ", ".join(_zone_name(geometry, x, lang) for x in zones)
    (side_set,) = sides
    whole = set(parents) == set(ZONES)
    if len(side_set) == 2:
        if whole:
            return _WHOLE_BACK[lang]
        return ", ".join(_zone_name(geometry, p, lang) for p in ZONES if p in parents)
    (side,) = side_set
    if whole:
        return f"{_WHOLE_BACK[lang]}, {_HALF[side][lang]}"
    names = ", ".join(_zone_name(geometry, p, lang) for p in ZONES if p in parents)
    return f"{names} ({_HALF[side][lang]})"


def _caption(spec_tech: Any, variant: Any, direction: Any, zones: tuple[str, ...],
             intensity: int, role: str | None, geometry: Geometry) -> dict[str, str]:
    words = {
        "en": ("very light", "light", "moderate", "firm", "deep"),
        "ru": ("очень легко", "легко", "умеренно", "с нажимом", "глубоко"),
    }
    roles = {
        "relax": {"en": "to relax the tense side", "ru": "чтобы расслабить напряжённую сторону"},
        "strengthen": {"en": "to tone the weak side", "ru": "чтобы укрепить ослабленную сторону"},
    }
    out = {}
    for lang in ("en", "ru"):
        name = getattr(variant.name if variant else spec_tech.name, lang)
        where = zones_label(geometry, zones, lang)
        how = getattr(direction.name, lang)
        extra = f"; {roles[role][lang]}" if role else ""
        out[lang] = f"{name}: {where}; {how}; {words[lang][intensity - 1]}{extra}."
    return out


def make_plan(profile: Profile, library: Library, geometry: Geometry) -> Plan:
    """Plan one session of ``profile.condition`` (pure, deterministic)."""
    cond = library.condition(profile.condition)
    _check_profile(profile, cond, library, geometry)

    present = set(profile.present)
    answered = None if profile.answered is None else set(profile.answered)
    if profile.scoliosis is not None and profile.scoliosis.grade == 4:
        present.add("scoliosis-grade-4")
    if profile.lesions:
        present.add("skin-lesion")
    present &= set(library.contraindications)
    if answered is not None:
        answered |= present
    scr = screen(library.contraindications, present, answered)
    reasons = list(scr.reasons)

    if "skin-lesion" in present and not profile.lesions:
        reasons.append(_note(
            "skin-lesion-zones", "unanswered",
            "Skin lesions are present but not marked on the map: mark the affected zones so that "
            "they can be left out.",
            "Есть поражения кожи, но они не отмечены на карте: отметьте эти зоны, чтобы их "
            "обойти.",
        ))
    if cond.needs == "hernia" and profile.hernia is None:
        reasons.append(_note(
            "hernia-level", "unanswered",
            "The hernia's level (and side) is needed to keep its site untouched.",
            "Нужно указать уровень (и сторону) грыжи, чтобы не затрагивать её место.",
        ))
    if cond.needs == "scoliosis" and profile.scoliosis is None:
        reasons.append(_note(
            "scoliosis-shape", "unanswered",
            "The convex side and the grade of the curve are needed: the two sides are worked "
            "differently.",
            "Нужно указать выпуклую сторону и степень искривления: стороны массируют по-разному.",
        ))
    if not cond.zones_from_source:
        reasons.append(_note(
            "no-zones-in-source", "note",
            "The source names this as an indication but gives no zones; the plan is a general "
            "gentle back session.",
            "Источник называет это показанием, но не указывает зон; план — общий щадящий "
            "массаж спины.",
        ))
    if profile.hernia is not None:
        reasons.append(_note(
            "hernia-site", "exclude",
            f"Hernia at {profile.hernia.level} ({profile.hernia.side}): its site is not touched, "
            "only the tissue around it; no strong rubbing or kneading (Part 5).",
            f"Грыжа на уровне {profile.hernia.level} ({_SIDE_RU[profile.hernia.side]}): место "
            "грыжи не массируют, только окружающие ткани; без сильного растирания и "
            "разминания (часть 5).",
        ))
    status = status_of(reasons)

    course = course_of(cond)
    today = course[profile.session - 1]
    phase = cond.course.phase_of(profile.session)
    emphasis = _emphasis(cond, profile, geometry)
    no_touch = _no_touch(profile, library, geometry, phase.id)

    steps: tuple[Step, ...] = ()
    if status == "ok":
        steps = _steps(cond, profile, library, geometry, phase.id, today, emphasis, no_touch,
                       scr.max_intensity)
        if not steps:
            reasons.append(_note(
                "nothing-left", "block",
                "Every zone of this session is excluded; there is nothing left to massage.",
                "Все зоны этого сеанса исключены; массировать нечего.",
            ))
            status = "blocked"

    cautions = [*library.cautions, *cond.caution]
    evidence = [*cond.evidence, *library.evidence]
    sources: list[str] = []
    for src in [*cond.sources, *cond.course.sources]:
        sources.append(src.cite())
    for c in cond.caution + cond.evidence:
        sources.extend(c.cites())
    return Plan(
        condition=cond.id,
        session=profile.session,
        course_sessions=cond.course.sessions,
        phase=phase.id,
        status=status,
        reasons=tuple(reasons),
        emphasis_zones=emphasis,
        no_touch=no_touch,
        steps=steps,
        course=course,
        cautions=tuple(Cited(_text(c.text), c.cites(), c.audience) for c in cautions),
        sources=tuple(dict.fromkeys(sources)),
        evidence=tuple(Cited(_text(c.text), c.cites(), c.audience) for c in evidence),
        name=_text(cond.name),
        zones_from_source=cond.zones_from_source,
        max_intensity=scr.max_intensity,
    )


_SIDE_RU = {"left": "слева", "right": "справа", "central": "по центру"}


def _text(t: Any) -> dict[str, str]:
    return {"en": t.en, "ru": t.ru}


def _no_touch(
    profile: Profile, library: Library, geometry: Geometry, phase: str = "main"
) -> tuple[NoTouch, ...]:
    rules = library.no_touch_rules

    def techniques(rule_id: str) -> str | tuple[str, ...]:
        t = rules[rule_id].techniques
        return t if isinstance(t, str) else tuple(t)

    out = [
        NoTouch("spine", ("spine",), geometry.spine_strip(rules["spine"].margin),
                techniques("spine"), _text(rules["spine"].text)),
        NoTouch("kidneys", ("kidney-left", "kidney-right"), geometry.kidney_area(),
                techniques("kidneys"), _text(rules["kidneys"].text)),
    ]
    if profile.hernia is not None:
        rule = rules["hernia-site"]
        site = geometry.hernia_site(profile.hernia.level, profile.hernia.side)
        if rule.margin:
            site = site.buffer(rule.margin)
        out.append(NoTouch("hernia-site", (profile.hernia.level,), site,
                           techniques("hernia-site"), _text(rule.text)))
    rule = rules["lesion"]
    for z in sorted(profile.lesions):
        area = geometry.polygon(z)
        if rule.margin:
            area = area.buffer(rule.margin)
        out.append(NoTouch(f"lesion-{z}", (z,), area, techniques("lesion"), _text(rule.text)))
    rule = rules["pain-point"]
    if profile.pain_points and rule.holds_in(phase):
        # Part 4: the introductory sessions work slightly above the injured place, not on it.
        for i, (x, y) in enumerate(profile.pain_points, start=1):
            zone = geometry.zone_at(x, y)
            out.append(NoTouch(f"pain-point-{i}", (zone,) if zone else (),
                               Point(x, y).buffer(max(rule.margin, 1.0)),
                               techniques("pain-point"), _text(rule.text)))
    return tuple(out)


def _steps(
    cond: Condition,
    profile: Profile,
    library: Library,
    geometry: Geometry,
    phase: str,
    today: CourseSession,
    emphasis: tuple[str, ...],
    no_touch: tuple[NoTouch, ...],
    cap: int | None,
) -> tuple[Step, ...]:
    specs = cond.steps_in(phase)
    # minutes: the steps' shares scaled to today's session length (before any zone is removed,
    # so that excluding a zone shortens the session instead of lengthening the rest)
    scale = today.minutes / sum(s.minutes for s in specs)
    level = max(1, round(today.intensity))
    hernia = (profile.hernia.level, profile.hernia.side) if profile.hernia else None
    margins = tuple(sorted((r.id, r.margin) for r in library.no_touch_rules.values()))
    pains = tuple(profile.pain_points)
    out: list[Step] = []
    for spec in specs:
        zones = _without_lesions(_expand_zones(spec, emphasis, profile.scoliosis), profile.lesions)
        if not zones:
            continue
        intensity = min(spec.intensity, level)
        if cap is not None:
            intensity = min(intensity, cap)
        if profile.hernia is not None and spec.technique in HERNIA_CAPPED:
            intensity = min(intensity, HERNIA_MAX_INTENSITY)
        applying = tuple(n for n in no_touch if n.applies_to(spec.technique))
        key = (tuple(zones), tuple(n.id for n in applying), hernia, margins, pains)
        area = _area(geometry, key, applying)
        tech = library.techniques[spec.technique]
        variant = tech.variant(spec.variant)
        direction = library.directions[spec.direction]
        out.append(
            Step(
                technique=spec.technique,
                variant=spec.variant,
                zones=tuple(zones),
                direction=spec.direction,
                minutes=_half_round(spec.minutes * scale),
                intensity=max(1, intensity),
                role=spec.role,
                area=area,
                text=_caption(tech, variant, direction, tuple(zones), max(1, intensity),
                              spec.role, geometry),
                motion=tech.motion_of(spec.variant),
                percussive=tech.percussive_of(spec.variant),
            )
        )
    return tuple(out)


# Step areas depend only on the geometry, the zones and the no-touch areas that apply, so they
# are cached across plans (re-planning on every change stays well under the 30 ms target).
_AREA_CACHE: dict[tuple[int, Any], Polygon | MultiPolygon] = {}
_AREA_CACHE_OWNERS: dict[int, Geometry] = {}
_AREA_CACHE_MAX = 2048


def _area(geometry: Geometry, key: Any, applying: tuple[NoTouch, ...]) -> Polygon | MultiPolygon:
    full_key = (id(geometry), key)
    area = _AREA_CACHE.get(full_key)
    if area is not None and _AREA_CACHE_OWNERS.get(id(geometry)) is geometry:
        return area
    if len(_AREA_CACHE) >= _AREA_CACHE_MAX:
        _AREA_CACHE.clear()
    zones = key[0]
    area = unary_union([geometry.polygon(z) for z in zones])
    if applying:
        area = area.difference(unary_union([n.area for n in applying]))
    _AREA_CACHE[full_key] = area
    _AREA_CACHE_OWNERS[id(geometry)] = geometry  # keeps id() unique while cached
    return area


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
        no_touch = _no_touch(Profile(condition=""), library, geometry)
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
        text=_caption(tech, v, d, zones, intensity, None, geometry),
        motion=tech.motion_of(variant),
        percussive=tech.percussive_of(variant),
    )


def standing_no_touch(library: Library, geometry: Geometry) -> tuple[NoTouch, ...]:
    """The no-touch areas of every plan (the spinal line; the kidneys for vibration)."""
    return _no_touch(Profile(condition=""), library, geometry)
