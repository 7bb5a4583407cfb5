"""The protocol file format, validated with pydantic (documented in docs/protocols.md).

Three kinds of TOML file live in ``protocols/``:

* ``techniques.toml`` -- :class:`TechniqueRegistry`: the techniques, their variants and the
  stroke directions;
* ``contraindications.toml`` -- :class:`ContraRegistry`: the screening questions, the standing
  no-touch rules and the cautions/evidence notes that go with every plan;
* ``conditions/<id>.toml`` -- :class:`Condition`: one condition's emphasis, steps and course.

Every model forbids unknown fields. Cross references (technique and variant ids inside a
condition) are checked against the technique registry passed as validation context
(``{"techniques": TechniqueRegistry}``); zone ids against :data:`ZONE_IDS`, the zone naming
convention of BRIEF.md that ``assets/zones.svg`` follows.
"""

from __future__ import annotations

import itertools
import re
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    Strict,
    StringConstraints,
    ValidationInfo,
    field_validator,
    model_validator,
)
from pydantic_core import PydanticCustomError

from bodymap.schema_errors import expected_for, field_path  # noqa: F401  (re-exported)
from bodymap.vocabulary import HALVES, ZONE_IDS, ZONES  # noqa: F401 (re-exported)

# ---------------------------------------------------------------------------------------------
# Fixed vocabularies (BRIEF.md conventions, docs/ARCHITECTURE.md)

PHASES: tuple[str, ...] = ("introductory", "main", "final")
DIRECTIONS: tuple[str, ...] = (
    "spine-to-sides",
    "sacrum-to-neck",
    "along-spine-up",
    "toward-lymph-nodes",
)
TECHNIQUE_IDS: tuple[str, ...] = ("stroking", "rubbing", "kneading", "squeezing", "vibration")
NO_TOUCH_IDS: tuple[str, ...] = ("spine", "kidneys", "hernia-site", "lesion", "pain-point")
ACTIONS: tuple[str, ...] = ("refer", "block", "clearance", "postpone", "limit", "exclude-area")
#: a step's ``zones`` may also name the plan's emphasis zones with this token
EMPHASIS_TOKEN = "emphasis"

#: how the hands move: one family each in bodymap.motion (the map, the close-up and the sheet)
Motion = Literal["glide", "circles", "zigzag", "roll", "fold", "press", "tremble", "tap", "pat"]
Action = Literal["refer", "block", "clearance", "postpone", "limit", "exclude-area"]
PhaseId = Literal["introductory", "main", "final"]
DirectionId = Literal["spine-to-sides", "sacrum-to-neck", "along-spine-up", "toward-lymph-nodes"]
#: who a caution or evidence note is written for: the handout shows only "patient" and "both";
#: the app (students, therapists) shows "therapist" and "both"
Audience = Literal["therapist", "patient", "both"]
AUDIENCES: tuple[str, ...] = ("therapist", "patient", "both")

_ID_RE = r"^[a-z0-9]+(-[a-z0-9]+)*$"
Id = Annotated[str, StringConstraints(pattern=_ID_RE, min_length=1, max_length=60)]
Line = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=2000)]
# Strict types (issue 11): a quoted number or a boolean is not a number, and a number is finite
# and in a range the planner can use.
Intensity = Annotated[int, Strict(), Field(ge=1, le=5)]
#: the shortest step the planner works with (6 seconds); 5e-324 minutes is not a step
MIN_MINUTES = 0.1
Minutes = Annotated[float, Strict(), Field(allow_inf_nan=False, ge=MIN_MINUTES, le=120)]
Flag = Annotated[bool, Strict()]
SessionNo = Annotated[int, Strict(), Field(ge=1, le=60)]
#: the most steps one condition may have (the shipped ones have at most 10)
MAX_STEPS = 40

_CYRILLIC = re.compile(r"[А-Яа-яЁё]")


class _Model(BaseModel):
    # defer_build: a schema is built when first used to validate, so a start-up that takes the
    # validated library from its cache (bodymap.library_cache) never pays for building them
    model_config = ConfigDict(extra="forbid", frozen=True, strict=False, defer_build=True)


def _unknown(kind: str, value: str, valid: list[str] | tuple[str, ...]) -> PydanticCustomError:
    return PydanticCustomError(
        "unknown_id",
        "unknown {kind} '{value}'",
        {"kind": kind, "value": value, "expected": "one of " + ", ".join(valid)},
    )


def _known_techniques(value: Any, info: ValidationInfo) -> Any:
    known = _technique_ids(info)
    if isinstance(value, list) and known is not None:
        for t in value:
            if t not in known:
                raise _unknown("technique", t, sorted(known))
    return value


def _zone_ids(value: list[str]) -> list[str]:
    for z in value:
        if z not in ZONE_IDS:
            raise _unknown("zone", z, ZONE_IDS)
    return value


#: "all" or technique ids known to the technique registry (validation context)
TechniqueSet = Annotated[
    Literal["all"] | Annotated[list[Id], Field(min_length=1)], AfterValidator(_known_techniques)
]
#: zone or half ids
ZoneList = Annotated[list[str], AfterValidator(_zone_ids)]


class Text(_Model):
    """A text in English and Russian."""

    en: Line
    ru: Line

    @field_validator("ru")
    @classmethod
    def _russian(cls, value: str) -> str:
        if not _CYRILLIC.search(value):
            raise PydanticCustomError(
                "not_russian", "has no Russian text", {"expected": "text in Russian (Cyrillic)"}
            )
        return value


#: file names users must never see as a source (our own notes, not references)
_FILE_NAME = re.compile(r"\.(md|toml|txt|py|json)\b|CONTENT", re.IGNORECASE)


class Source(_Model):
    """Where a rule comes from: a part of the seed source, an outside reference, or bodymap's
    own choice (``own = true``; the heading says what was chosen)."""

    part: Annotated[int, Strict(), Field(ge=1, le=6)] | None = None
    heading: Line
    ref: Line | None = None
    own: Literal[True] | None = None
    #: optional: which passage under the heading is meant, or what a reader should know about
    #: it (e.g. Part 4 "Price": "the table of session lengths")
    note: Text | None = None

    @field_validator("ref")
    @classmethod
    def _not_a_file(cls, value: str | None) -> str | None:
        if value is not None and _FILE_NAME.search(value):
            raise PydanticCustomError(
                "own_file", "'{value}' is one of our files, not a reference",
                {"value": value, "expected": "the reference's real name "
                 "(e.g. NICE guideline NG59 (2016, updated 2020))"},
            )
        return value

    @model_validator(mode="after")
    def _one_kind(self) -> Source:
        kinds = [k for k in (self.part, self.ref, self.own) if k is not None]
        if len(kinds) != 1:
            raise PydanticCustomError(
                "source_kind",
                "a source names a part of the seed source, an outside reference or bodymap's "
                "own choice",
                {"expected": "exactly one of 'part' (1..6), 'ref' and 'own = true'"},
            )
        return self

    def cite(self, lang: str = "en") -> str:
        """``Part 4, "Price" (the table of session lengths)``; in Russian
        ``Часть 4 — Цена (...)`` with the heading in Russian (not in «»: it is our rendering,
        not the source's own words)."""
        if lang == "ru":
            from bodymap.headings import russian_cite

            text = russian_cite(self.part, self.ref, self.heading)
        elif self.part is not None:
            text = f'Part {self.part}, "{self.heading}"'
        elif self.ref is not None:
            text = f'{self.ref}, "{self.heading}"'
        else:
            text = f"bodymap's own choice — {self.heading}"  # no colon: "Source: ..." has one
        if self.note is not None:
            text += f" ({getattr(self.note, lang, None) or self.note.en})"
        return text


Sources = Annotated[list[Source], Field(min_length=1)]


class Cited(_Model):
    """A caution or evidence note with its sources.

    ``audience``: "therapist" (technical, for students and therapists: shown in the app, never
    on the patient's handout), "patient" (plain words for the handout) or "both" (default).
    ``editorial``: the therapist's note on the text's basis ("the massage source does not
    discuss this"): shown after the text in the app, never to the patient.
    """

    text: Text
    sources: Sources
    audience: Audience = "both"
    editorial: Text | None = None

    @property
    def for_patient(self) -> bool:
        return self.audience != "therapist"

    @property
    def for_therapist(self) -> bool:
        return self.audience != "patient"

    def cites(self, lang: str = "en") -> tuple[str, ...]:
        return tuple(s.cite(lang) for s in self.sources)


# ---------------------------------------------------------------------------------------------
# techniques.toml


class Lighter(_Model):
    """The light form a deep technique switches to where a cap forbids deep work."""

    technique: Id
    variant: Id | None = None
    #: the most the light form is given (light stroking stays light)
    max_intensity: Intensity | None = None


class Variant(_Model):
    id: Id
    name: Text
    does: Text
    #: a deep variant (deep stroking, deep kneading): never where a cap forbids deep work
    deep: Flag = False
    #: what it becomes there (required for a deep variant)
    lighter: Lighter | None = None
    motion: Motion | None = None  # None: the technique's motion
    percussive: Flag | None = None  # None: the technique's flag
    #: optional: what the hands do, in a patient's words (bodymap.plain)
    plain: Text | None = None
    sources: Sources


class Technique(_Model):
    id: Id
    name: Text
    does: Text
    how: Text
    motion: Motion
    percussive: Flag = False
    default_minutes: Annotated[float, Strict(), Field(allow_inf_nan=False, ge=MIN_MINUTES, le=15)]
    variants: list[Variant] = []
    #: a deep technique whatever the variant (squeezing: Part 6)
    deep: Flag = False
    lighter: Lighter | None = None
    #: optional: what the hands do, in a patient's words (bodymap.plain)
    plain: Text | None = None
    sources: Sources

    @model_validator(mode="after")
    def _unique_variants(self) -> Technique:
        ids = [v.id for v in self.variants]
        if len(ids) != len(set(ids)):
            raise PydanticCustomError(
                "duplicate", "variant ids repeat", {"expected": "unique variant ids"}
            )
        forms: list[Technique | Variant] = [self, *self.variants]
        for v in forms:
            if v.deep and v.lighter is None:
                raise PydanticCustomError(
                    "lighter", "'{id}' is deep but names no lighter form",
                    {"id": v.id, "expected": "lighter = { technique = ..., variant = ... }"},
                )
        return self

    def is_deep(self, variant_id: str | None) -> bool:
        v = self.variant(variant_id)
        return self.deep or (v is not None and v.deep)

    def lighter_of(self, variant_id: str | None) -> Lighter | None:
        v = self.variant(variant_id)
        if v is not None and v.deep:
            return v.lighter
        return self.lighter if self.deep else None

    def variant(self, variant_id: str | None) -> Variant | None:
        for v in self.variants:
            if v.id == variant_id:
                return v
        return None

    def motion_of(self, variant_id: str | None) -> str:
        v = self.variant(variant_id)
        return v.motion if v is not None and v.motion is not None else self.motion

    def percussive_of(self, variant_id: str | None) -> bool:
        v = self.variant(variant_id)
        return v.percussive if v is not None and v.percussive is not None else self.percussive


class Direction(_Model):
    id: DirectionId
    name: Text
    how: Text
    #: optional: which way the hands go, in a patient's words (bodymap.plain)
    plain: Text | None = None
    sources: Sources


class TechniqueRegistry(_Model):
    technique: Annotated[list[Technique], Field(min_length=1)]
    direction: Annotated[list[Direction], Field(min_length=1)]

    @model_validator(mode="after")
    def _complete(self) -> TechniqueRegistry:
        ids = [t.id for t in self.technique]
        if len(ids) != len(set(ids)):
            raise PydanticCustomError(
                "duplicate", "technique ids repeat", {"expected": "unique technique ids"}
            )
        missing = [t for t in TECHNIQUE_IDS if t not in ids]
        if missing:
            raise PydanticCustomError(
                "missing_id",
                "technique(s) {missing} missing",
                {"missing": ", ".join(missing), "expected": ", ".join(TECHNIQUE_IDS)},
            )
        by_id = {t.id: t for t in self.technique}
        for t in self.technique:
            forms: list[Technique | Variant] = [t, *t.variants]
            for v in forms:
                ref = v.lighter
                if ref is None:
                    continue
                target = by_id.get(ref.technique)
                if target is None or (ref.variant is not None and target.variant(ref.variant)
                                      is None) or target.is_deep(ref.variant):
                    raise PydanticCustomError(
                        "lighter", "the lighter form of '{id}' is not a known light technique",
                        {"id": v.id, "expected": "a technique (and variant) that is not deep"},
                    )
        dirs = [d.id for d in self.direction]
        missing = [d for d in DIRECTIONS if d not in dirs]
        if missing or len(dirs) != len(set(dirs)):
            raise PydanticCustomError(
                "missing_id",
                "directions incomplete or repeated",
                {"expected": "each of " + ", ".join(DIRECTIONS) + " once"},
            )
        return self


# ---------------------------------------------------------------------------------------------
# contraindications.toml


class Contraindication(_Model):
    id: Id
    action: Action
    question: Text
    explanation: Text
    #: the therapist's note on the explanation's basis (never shown to the patient)
    editorial: Text | None = None
    #: for ``limit``: the highest intensity any step may have while this is present
    max_intensity: Intensity | None = None
    #: for ``clearance``: what the doctor must have cleared, asked when the answer is "yes"
    clearance: Text | None = None
    sources: Sources

    @model_validator(mode="after")
    def _limit(self) -> Contraindication:
        if (self.action == "limit") != (self.max_intensity is not None):
            raise PydanticCustomError(
                "limit",
                "'max_intensity' goes with action 'limit' and only with it",
                {"expected": "max_intensity 1..5 exactly when action = 'limit'"},
            )
        if (self.action == "clearance") != (self.clearance is not None):
            raise PydanticCustomError(
                "clearance",
                "'clearance' goes with action 'clearance' and only with it",
                {"expected": "clearance = { en, ru } (the doctor's clearance, asked) exactly "
                 "when action = 'clearance'"},
            )
        return self


NoTouchId = Literal["spine", "kidneys", "hernia-site", "lesion", "pain-point"]


class NoTouchRule(_Model):
    id: NoTouchId
    name: Text
    text: Text
    techniques: TechniqueSet
    #: widening of the area in map units (zones.svg user units)
    margin: Annotated[float, Strict(), Field(allow_inf_nan=False, ge=0, le=60)] = 0.0
    #: the course phases in which the rule holds; absent: always
    phases: Annotated[list[PhaseId], Field(min_length=1)] | None = None
    sources: Sources

    def holds_in(self, phase: str) -> bool:
        return self.phases is None or phase in self.phases


class ContraRegistry(_Model):
    contraindication: Annotated[list[Contraindication], Field(min_length=1)]
    no_touch: Annotated[list[NoTouchRule], Field(min_length=1)]
    caution: list[Cited] = []
    evidence: list[Cited] = []

    @model_validator(mode="after")
    def _complete(self) -> ContraRegistry:
        ids = [c.id for c in self.contraindication]
        if len(ids) != len(set(ids)):
            raise PydanticCustomError(
                "duplicate", "contraindication ids repeat", {"expected": "unique ids"}
            )
        rules = [r.id for r in self.no_touch]
        if sorted(rules) != sorted(NO_TOUCH_IDS):
            raise PydanticCustomError(
                "missing_id",
                "no-touch rules incomplete or repeated",
                {"expected": "each of " + ", ".join(NO_TOUCH_IDS) + " once"},
            )
        return self


# ---------------------------------------------------------------------------------------------
# conditions/<id>.toml


class Phase(_Model):
    id: PhaseId
    first: SessionNo
    last: SessionNo
    #: session length in minutes at the phase's first and last session (linear between)
    minutes: tuple[Minutes, Minutes]
    #: overall intensity at the phase's first and last session (linear between)
    intensity: tuple[Intensity, Intensity]
    text: Text


class Course(_Model):
    sessions: SessionNo
    phases: Annotated[list[Phase], Field(min_length=1, max_length=3)]
    load: Text
    repeat: Text | None = None
    sources: Sources

    @model_validator(mode="after")
    def _contiguous(self) -> Course:
        order = [p.id for p in self.phases]
        if order != [p for p in PHASES if p in order] or order[0] != "introductory":
            raise PydanticCustomError(
                "phase_order",
                "phases out of order",
                {"expected": "introductory, then main, then final, each at most once"},
            )
        expect = 1
        for p in self.phases:
            if p.first != expect or p.last < p.first:
                raise PydanticCustomError(
                    "phase_range",
                    "phase '{phase}' covers sessions {first}..{last}",
                    {
                        "phase": p.id,
                        "first": p.first,
                        "last": p.last,
                        "expected": f"phases following each other from session 1 (next: {expect})",
                    },
                )
            expect = p.last + 1
        if expect - 1 != self.sessions:
            raise PydanticCustomError(
                "phase_range",
                "phases end at session {end} but the course has {sessions}",
                {
                    "end": expect - 1,
                    "sessions": self.sessions,
                    "expected": "phases up to 'sessions'",
                },
            )
        previous = (0.0, 0)
        for p in self.phases:
            if p.minutes[0] < previous[0] or p.minutes[1] < p.minutes[0] or (
                p.intensity[0] < previous[1] or p.intensity[1] < p.intensity[0]
            ):
                raise PydanticCustomError(
                    "load",
                    "load falls in phase '{phase}'",
                    {"phase": p.id, "expected": "minutes and intensity that never fall (Part 4)"},
                )
            previous = (p.minutes[1], p.intensity[1])
        return self

    def phase_of(self, session: int) -> Phase:
        for p in self.phases:
            if p.first <= session <= p.last:
                return p
        raise ValueError(session)


class StepSpec(_Model):
    technique: Id
    variant: Id | None = None
    zones: Annotated[list[str], Field(min_length=1)]
    direction: DirectionId
    #: minutes at a full-length session; the planner scales them to the course's session length
    minutes: Minutes
    intensity: Intensity
    phases: Annotated[list[PhaseId], Field(min_length=1)] = ["introductory", "main", "final"]
    #: scoliosis: work only the concave or the convex side
    side: Literal["both", "concave", "convex"] = "both"
    role: Literal["relax", "strengthen"] | None = None
    #: optional: where this particular step comes from (a part, a reference, or own = true)
    sources: list[Source] = []

    @field_validator("zones")
    @classmethod
    def _zones(cls, value: list[str]) -> list[str]:
        for z in value:
            if z not in ZONE_IDS and z != EMPHASIS_TOKEN:
                raise _unknown("zone", z, [*ZONE_IDS, EMPHASIS_TOKEN])
        return value

    @field_validator("technique")
    @classmethod
    def _technique(cls, value: str, info: ValidationInfo) -> str:
        known = _technique_ids(info)
        if known is not None and value not in known:
            raise _unknown("technique", value, sorted(known))
        return value

    @model_validator(mode="after")
    def _variant(self, info: ValidationInfo) -> StepSpec:
        reg = _registry(info)
        if reg is not None and self.variant is not None:
            tech = next((t for t in reg.technique if t.id == self.technique), None)
            if tech is not None and tech.variant(self.variant) is None:
                raise PydanticCustomError(
                    "unknown_id",
                    "unknown variant '{value}' of {technique}",
                    {
                        "value": self.variant,
                        "technique": self.technique,
                        "expected": "one of " + ", ".join(v.id for v in tech.variants),
                    },
                )
        return self


class Limit(_Model):
    """A condition's own restriction; it holds whenever the condition is present, leading or
    not, and combines with every other to the strictest. Over ``zones`` (default the whole
    back), for ``techniques`` (only their percussive variants, tapping and patting, with
    ``percussive = true``): no step above ``max_intensity``; with ``deep = false`` no deep
    variant either (it switches to its light form); with ``exclude = true`` the techniques do
    not work there at all. ``max_share``: the techniques take at most this share of the
    session (back pain's brief rubbing and kneading)."""

    techniques: TechniqueSet
    max_intensity: Intensity | None = None
    zones: ZoneList = list(ZONES)
    #: False: no deep variant either (it switches to its light form)
    deep: Flag = True
    #: True: the techniques do not work over ``zones`` at all
    exclude: Flag = False
    #: True: the limit is on the techniques' percussive variants only (tapping, patting)
    percussive: Flag = False
    #: the techniques' share of the session's minutes, at most
    max_share: Annotated[float, Strict(), Field(allow_inf_nan=False, gt=0, le=1)] | None = None
    text: Text
    sources: Sources

    @model_validator(mode="after")
    def _restricts(self) -> Limit:
        if self.max_intensity is None and self.deep and not self.exclude and (
            self.max_share is None
        ):
            raise PydanticCustomError(
                "limit", "the limit restricts nothing",
                {"expected": "max_intensity, deep = false, exclude = true or max_share"},
            )
        return self


#: regions a plan may name beyond the back's zones (assets/zones.toml, kind "buttock")
BEYOND_REGIONS: tuple[str, ...] = ("buttock-left", "buttock-right")


class BeyondMap(Cited):
    """Work a plan names beyond the back's zones; ``regions``: where the map can show it."""

    regions: list[Literal["buttock-left", "buttock-right"]] = []


class Condition(_Model):
    id: Id
    name: Text
    summary: Text
    #: False: the source names this as an indication but gives no zones
    zones_from_source: Flag
    emphasis: list[str] = []
    #: what the planner must know about the patient: a hernia's level, a scoliosis' shape
    needs: Literal["hernia", "scoliosis"] | None = None
    #: True: no plan until a doctor has cleared massage for this condition (``--cleared ID``)
    clearance: Flag = False
    course: Course
    step: Annotated[list[StepSpec], Field(min_length=2, max_length=MAX_STEPS)]
    caution: list[Cited] = []
    evidence: list[Cited] = []
    #: restrictions that hold whenever the condition is present (leading or further)
    limit: list[Limit] = []
    #: work the plan names beyond the back map (the buttocks and legs, the limbs)
    beyond_map: list[BeyondMap] = []
    sources: Sources

    @field_validator("emphasis")
    @classmethod
    def _emphasis(cls, value: list[str]) -> list[str]:
        for z in value:
            if z not in ZONES:
                raise _unknown("zone", z, ZONES)
        return value

    @model_validator(mode="after")
    def _rules(self) -> Condition:
        if not self.zones_from_source and self.emphasis:
            raise PydanticCustomError(
                "emphasis",
                "emphasis zones given although zones_from_source is false",
                {"expected": "emphasis = [] when the source gives no zones"},
            )
        for i, s in enumerate(self.step):
            if s.side != "both" and self.needs != "scoliosis":
                raise PydanticCustomError(
                    "side",
                    "step {i} works one side but the condition does not need a scoliosis shape",
                    {"i": i + 1, "expected": "side = 'both', or needs = 'scoliosis'"},
                )
            if EMPHASIS_TOKEN in s.zones and not self.emphasis:
                raise PydanticCustomError(
                    "emphasis",
                    "step {i} uses the 'emphasis' token but no emphasis zones are given",
                    {"i": i + 1, "expected": "emphasis zones, or explicit zone ids"},
                )
        for phase in PHASES:
            steps = [s for s in self.step if phase in s.phases]
            if not steps:
                continue
            for a, b in itertools.pairwise(steps):
                if "stroking" not in (a.technique, b.technique) and a.technique != b.technique:
                    raise PydanticCustomError(
                        "stroking",
                        "{a} is followed by {b} without stroking in the {phase} phase",
                        {"a": a.technique, "b": b.technique, "phase": phase,
                         "expected": "stroking after each stage (Part 2, 'Features of "
                         "technology for various diseases')"},
                    )
            for end, s in (("first", steps[0]), ("last", steps[-1])):
                if s.technique != "stroking" or not set(ZONES) <= set(s.zones) or (
                    s.side != "both"
                ):
                    raise PydanticCustomError(
                        "stroking",
                        "the {end} step of the {phase} phase is not stroking over the whole back",
                        {
                            "end": end,
                            "phase": phase,
                            "expected": "stroking over all four zones opens and closes every "
                            "session (Part 1, Part 2)",
                        },
                    )
        return self

    def steps_in(self, phase: str) -> list[StepSpec]:
        return [s for s in self.step if phase in s.phases]


# ---------------------------------------------------------------------------------------------
# validation context helpers


def _registry(info: ValidationInfo) -> TechniqueRegistry | None:
    ctx = info.context or {}
    reg = ctx.get("techniques")
    return reg if isinstance(reg, TechniqueRegistry) else None


def _technique_ids(info: ValidationInfo) -> set[str] | None:
    reg = _registry(info)
    return {t.id for t in reg.technique} if reg is not None else None
