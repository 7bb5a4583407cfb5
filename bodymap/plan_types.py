"""The planner's data: a patient's profile in, a plan out (see :mod:`bodymap.planner`).

Pure dataclasses, no rules: :class:`Profile` (the lead condition, further conditions and the
findings), :class:`Plan` (status, reasons, steps, course, the restrictions that shaped it) and
their parts. ``Plan.to_json`` is the command line's JSON (BRIEF.md).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from shapely import MultiPolygon, Polygon
from shapely.geometry import mapping

from bodymap.findings import Hernia, Scoliosis, canonical_curves, canonical_hernias
from bodymap.i18n import LANGUAGES, tr
from bodymap.restrictions import Restrictions
from bodymap.screening import Reason


def note_text() -> dict[str, str]:
    """The note every plan carries (a schematic guide, not a prescription)."""
    return {lang: tr("plan.note", lang) for lang in LANGUAGES}


@dataclass(frozen=True)
class Profile:
    """A patient, as the planner reads it. Findings are lists (several hernias; a scoliosis of
    one or two curves), kept in one canonical order (:mod:`bodymap.findings`)."""

    #: the LEAD condition: it gives the session's emphasis and shape
    condition: str
    session: int = 1
    #: every disc hernia, each protected (canonical order: top to bottom)
    hernias: tuple[Hernia, ...] = ()
    #: the scoliosis curves: one over the whole back, or a thoracic and a lumbar one
    curves: tuple[Scoliosis, ...] = ()
    lesions: frozenset[str] = frozenset()  # zone or half ids with skin lesions
    present: frozenset[str] = frozenset()  # contraindication ids answered "yes"
    #: ids answered at all; None = the whole checklist was answered (the command line)
    answered: frozenset[str] | None = None
    #: painful places marked on the map, in back coordinates (zones.svg user units)
    pain_points: tuple[tuple[float, float], ...] = ()
    #: the patient's other conditions, in order: each adds its emphasis where the session's
    #: time allows, and all its restrictions
    further: tuple[str, ...] = ()
    #: what a doctor has cleared: clearance questions answered "yes" (osteoporosis, recent
    #: spinal surgery, a recent fracture), conditions that need clearance (a traumatic spine
    #: injury), ``scoliosis-grade-3`` (a doctor's plan) and ``hernia-advanced``
    cleared: frozenset[str] = frozenset()

    def __post_init__(self) -> None:
        object.__setattr__(self, "hernias", canonical_hernias(self.hernias))
        object.__setattr__(self, "curves", canonical_curves(self.curves))

    @property
    def conditions(self) -> tuple[str, ...]:
        """Every condition, the lead first."""
        return (self.condition, *self.further)

    @property
    def max_grade(self) -> int | None:
        """The highest grade of the scoliosis curves given (None: none given)."""
        grades = [c.grade for c in self.curves if c.grade is not None]
        return max(grades) if grades else None


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
class Cap:
    """An intensity limit over an area: no step of ``techniques`` is above ``max_intensity``
    there, and with ``deep`` False no deep variant works there (it switches to its light one).

    ``by_zone``: the area is whole zones or halves (``zones``): a step over them is split and
    its part there capped; otherwise (the kidney area) a stronger step leaves the area out.
    """

    id: str
    zones: tuple[str, ...]
    area: Polygon | MultiPolygon
    techniques: str | tuple[str, ...]
    max_intensity: int
    deep: bool
    by_zone: bool
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
    #: a deep variant (deep stroking, deep kneading, squeezing): drawn with deep pressure
    #: (the library's ``Technique.is_deep(variant)``)
    deep: bool = False


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
    #: the same citations in Russian (the headings in Russian, not in «»: not the source's words)
    sources_ru: tuple[str, ...] = ()
    #: work beyond the back: the regions of the drawing it is on (buttock-left, ...)
    regions: tuple[str, ...] = ()
    #: the therapist's note on the text's basis ("the massage source does not discuss this"):
    #: the app shows it after the text; the handout and the presentation never do
    editorial: Mapping[str, str] = field(default_factory=dict)

    def therapist_text(self, lang: str) -> str:
        """The text as the app shows it: with the editorial note, if any, in brackets."""
        text = self.text.get(lang) or self.text.get("en", "")
        note = self.editorial.get(lang) or self.editorial.get("en", "")
        return f"{text} ({note})" if note else text

    def for_patient(self) -> bool:
        return self.audience in ("patient", "both")

    def for_therapist(self) -> bool:
        return self.audience in ("therapist", "both")


@dataclass(frozen=True)
class Combined:
    """What one condition contributed to a plan of several."""

    condition: str
    role: str  # lead | further
    emphasis_added: tuple[str, ...]
    text: Mapping[str, str]


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
    #: every condition, the lead first
    conditions: tuple[str, ...] = ()
    #: intensity limits over areas (patient safeguards, condition limits, screening)
    caps: tuple[Cap, ...] = ()
    #: what each condition contributed (several conditions)
    combined: tuple[Combined, ...] = ()
    sources_ru: tuple[str, ...] = ()
    #: work the plan names beyond the back map (e.g. the buttocks and legs), with sources
    beyond_map: tuple[Cited, ...] = ()
    #: the painful places it was planned around (back units): every view of the plan marks them
    pain_points: tuple[tuple[float, float], ...] = ()
    #: the meet of every condition's and finding's restrictions at this session (None: a plan
    #: made without them)
    restrictions: Restrictions | None = None
    #: each condition the plan rests on: "shipped", or the path of the user's own file that
    #: overrides (or adds) it
    protocol_sources: Mapping[str, str] = field(default_factory=dict)

    @property
    def total_minutes(self) -> float:
        return round(float(sum(s.minutes for s in self.steps)), 1)

    def to_json(self) -> dict[str, Any]:
        """The plan as plain JSON data (BRIEF.md); deterministic for equal plans."""
        note = note_text()
        return {
            "condition": self.condition,
            "conditions": list(self.conditions or (self.condition,)),
            "name": dict(self.name),
            "session": self.session,
            "course_sessions": self.course_sessions,
            "phase": self.phase,
            "status": self.status,
            "reasons": [
                {"id": r.id, "kind": r.kind, "text": r.text["en"], "text_ru": r.text["ru"],
                 **({"editorial": r.editorial["en"], "editorial_ru": r.editorial["ru"]}
                    if r.editorial else {})}
                for r in self.reasons
            ],
            "combined": [
                {"condition": c.condition, "role": c.role,
                 "emphasis_added": list(c.emphasis_added),
                 "text": c.text["en"], "text_ru": c.text["ru"]}
                for c in self.combined
            ],
            "total_minutes": self.total_minutes,
            "emphasis_zones": list(self.emphasis_zones),
            "zones_from_source": self.zones_from_source,
            "max_intensity": self.max_intensity,
            "no_touch": [
                {
                    "id": n.id,
                    "zones": list(n.zones),
                    "techniques": _techs(n.techniques),
                    "text": n.text["en"],
                    "text_ru": n.text["ru"],
                    "geometry": _geojson(n.area),
                }
                for n in self.no_touch
            ],
            "caps": [
                {"id": c.id, "zones": list(c.zones), "techniques": _techs(c.techniques),
                 "max_intensity": c.max_intensity, "deep": c.deep,
                 "text": c.text["en"], "text_ru": c.text["ru"]}
                for c in self.caps
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
            "beyond_map": [{**_cited_json(c), "regions": list(c.regions)}
                           for c in self.beyond_map],
            "course": [
                {"number": c.number, "phase": c.phase, "minutes": c.minutes,
                 "intensity": c.intensity}
                for c in self.course
            ],
            "cautions": [_cited_json(c) for c in self.cautions],
            "evidence": [_cited_json(c) for c in self.evidence],
            "sources": list(self.sources),
            "sources_ru": list(self.sources_ru),
            "protocol_sources": dict(self.protocol_sources),
            "restrictions": (self.restrictions.to_json() if self.restrictions is not None
                             else None),
            "note": note["en"],
            "note_ru": note["ru"],
        }


def _techs(t: str | tuple[str, ...]) -> str | list[str]:
    return t if isinstance(t, str) else list(t)


def _cited_json(c: Cited) -> dict[str, Any]:
    return {"text": c.text["en"], "text_ru": c.text["ru"], "sources": list(c.sources),
            "sources_ru": list(c.sources_ru), "audience": c.audience,
            **({"editorial": c.editorial["en"], "editorial_ru": c.editorial["ru"]}
               if c.editorial else {})}


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
    out: dict[str, Any] = _round(mapping(geom))
    return out
