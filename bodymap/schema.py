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

import re
from typing import Annotated, Any, Literal

from pydantic import (
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
ACTIONS: tuple[str, ...] = ("refer", "block", "postpone", "limit", "exclude-area")
#: a step's ``zones`` may also name the plan's emphasis zones with this token
EMPHASIS_TOKEN = "emphasis"

Motion = Literal["glide", "circles", "zigzag", "roll", "tremble"]
Action = Literal["refer", "block", "postpone", "limit", "exclude-area"]
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
    model_config = ConfigDict(extra="forbid", frozen=True, strict=False)


def _unknown(kind: str, value: str, valid: list[str] | tuple[str, ...]) -> PydanticCustomError:
    return PydanticCustomError(
        "unknown_id",
        "unknown {kind} '{value}'",
        {"kind": kind, "value": value, "expected": "one of " + ", ".join(valid)},
    )


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


class Source(_Model):
    """Where a rule comes from: a part of the seed source, or an outside reference."""

    part: Annotated[int, Strict(), Field(ge=1, le=6)] | None = None
    heading: Line
    ref: Line | None = None
    #: optional: which passage under the heading is meant, or what a reader should know about
    #: it (e.g. Part 4 "Price": "the table of session lengths")
    note: Text | None = None

    @model_validator(mode="after")
    def _one_kind(self) -> Source:
        if (self.part is None) == (self.ref is None):
            raise PydanticCustomError(
                "source_kind",
                "a source names either a part of the seed source or an outside reference",
                {"expected": "exactly one of 'part' (1..6) and 'ref'"},
            )
        return self

    def cite(self, lang: str = "en") -> str:
        """``Part 4, "Price" (the table of session lengths)``; the note in ``lang``."""
        text = (
            f'Part {self.part}, "{self.heading}"'
            if self.part is not None
            else f'{self.ref}, "{self.heading}"'
        )
        if self.note is not None:
            text += f" ({getattr(self.note, lang, None) or self.note.en})"
        return text


Sources = Annotated[list[Source], Field(min_length=1)]


class Cited(_Model):
    """A caution or evidence note with its sources.

    ``audience``: "therapist" (technical, for students and therapists: shown in the app, never
    on the patient's handout), "patient" (plain words for the handout) or "both" (default).
    """

    text: Text
    sources: Sources
    audience: Audience = "both"

    @property
    def for_patient(self) -> bool:
        return self.audience != "therapist"

    @property
    def for_therapist(self) -> bool:
        return self.audience != "patient"

    def cites(self) -> tuple[str, ...]:
        return tuple(s.cite() for s in self.sources)


# ---------------------------------------------------------------------------------------------
# techniques.toml


class Variant(_Model):
    id: Id
    name: Text
    does: Text
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
        return self

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
    #: for ``limit``: the highest intensity any step may have while this is present
    max_intensity: Intensity | None = None
    sources: Sources

    @model_validator(mode="after")
    def _limit(self) -> Contraindication:
        if (self.action == "limit") != (self.max_intensity is not None):
            raise PydanticCustomError(
                "limit",
                "'max_intensity' goes with action 'limit' and only with it",
                {"expected": "max_intensity 1..5 exactly when action = 'limit'"},
            )
        return self


NoTouchId = Literal["spine", "kidneys", "hernia-site", "lesion", "pain-point"]


class NoTouchRule(_Model):
    id: NoTouchId
    name: Text
    text: Text
    techniques: Literal["all"] | Annotated[list[Id], Field(min_length=1)]
    #: widening of the area in map units (zones.svg user units)
    margin: Annotated[float, Strict(), Field(allow_inf_nan=False, ge=0, le=60)] = 0.0
    #: the course phases in which the rule holds; absent: always
    phases: Annotated[list[PhaseId], Field(min_length=1)] | None = None
    sources: Sources

    def holds_in(self, phase: str) -> bool:
        return self.phases is None or phase in self.phases

    @field_validator("techniques")
    @classmethod
    def _known(cls, value: Any, info: ValidationInfo) -> Any:
        known = _technique_ids(info)
        if isinstance(value, list) and known is not None:
            for t in value:
                if t not in known:
                    raise _unknown("technique", t, sorted(known))
        return value


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
    phases: Annotated[list[PhaseId], Field(min_length=1)] = list(PHASES)
    #: scoliosis: work only the concave or the convex side
    side: Literal["both", "concave", "convex"] = "both"
    role: Literal["relax", "strengthen"] | None = None

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


class Condition(_Model):
    id: Id
    name: Text
    summary: Text
    #: False: the source names this as an indication but gives no zones
    zones_from_source: Flag
    emphasis: list[str] = []
    #: what the planner must know about the patient: a hernia's level, a scoliosis' shape
    needs: Literal["hernia", "scoliosis"] | None = None
    course: Course
    step: Annotated[list[StepSpec], Field(min_length=2, max_length=MAX_STEPS)]
    caution: list[Cited] = []
    evidence: list[Cited] = []
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


#: what a pydantic error type expected, for the one-line messages
_EXPECTED = {
    "missing": "this field to be present",
    "extra_forbidden": "only the documented fields (see docs/protocols.md)",
    "float_parsing": "a number",
    "finite_number": "a finite number",
    "float_type": "a number",
    "int_parsing": "a whole number",
    "int_type": "a whole number",
    "int_from_float": "a whole number",
    "bool_parsing": "true or false",
    "bool_type": "true or false",
    "string_type": "a text in quotes",
    "list_type": "a list [ ... ]",
    "tuple_type": "a list of two values [start, end]",
    "model_type": "a table { ... }",
    "model_attributes_type": "a table { ... }",
    "dict_type": "a table { ... }",
    "too_short": "more entries",
    "too_long": "fewer entries",
    "string_too_short": "a non-empty text",
    "string_too_long": "a shorter text",
    "string_pattern_mismatch": "an id of lowercase letters, digits and hyphens",
}


def expected_for(error: dict[str, Any]) -> str | None:
    """What a pydantic error (``ValidationError.errors()`` item) expected, in plain words."""
    ctx = error.get("ctx") or {}
    kind = error.get("type", "")
    if "expected" in ctx:
        return str(ctx["expected"])
    if kind == "greater_than":
        return f"a number greater than {ctx.get('gt')}"
    if kind == "greater_than_equal":
        return f"a number of at least {ctx.get('ge')}"
    if kind == "less_than_equal":
        return f"a number of at most {ctx.get('le')}"
    if kind == "less_than":
        return f"a number below {ctx.get('lt')}"
    if kind == "too_short":
        return f"at least {ctx.get('min_length')} entries"
    if kind == "too_long":
        return f"at most {ctx.get('max_length')} entries"
    if kind == "string_too_long":
        return f"a text of at most {ctx.get('max_length')} characters"
    return _EXPECTED.get(kind)


def field_path(loc: tuple[Any, ...]) -> str:
    """``('step', 2, 'minutes')`` -> ``step[3].minutes`` (entries counted from 1, as people do)."""
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part + 1}]"
        else:
            out += ("." if out else "") + str(part)
    return out
