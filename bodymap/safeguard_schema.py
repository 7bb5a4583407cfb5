"""The ``protocols/safeguards.toml`` format (pydantic): rules that protect a body area in every
plan, whatever condition brings the patient (applied by :mod:`bodymap.safeguards`)."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field, field_validator, model_validator
from pydantic_core import PydanticCustomError

from bodymap.schema import (
    Audience,
    Flag,
    Id,
    Intensity,
    Sources,
    TechniqueSet,
    Text,
    _Model,
    _unknown,
)
from bodymap.vocabulary import ZONE_IDS

#: when a safeguard holds: always, or with a finding of the patient
SafeguardWhen = Literal["always", "hernia", "scoliosis", "scoliosis-grade-3"]
#: where it holds: a zone or half, or an area named by the finding
SAFEGUARD_AREAS: tuple[str, ...] = (
    "back", "kidneys", "thoracic-spine", "hernia-zone", "concave-side",
)


class Safeguard(_Model):
    id: Id
    when: SafeguardWhen
    #: zones/halves or named areas (back, kidneys, thoracic-spine, hernia-zone, concave-side);
    #: empty: a caution only
    where: list[str] = Field(default_factory=list)
    techniques: TechniqueSet = "all"
    #: a cap: no step of the techniques above this over ``where``
    max_intensity: Intensity | None = None
    #: False: no deep variant over ``where`` (it switches to its light form)
    deep: Flag = True
    #: True: the techniques never touch ``where`` at all
    no_touch: Flag = False
    name: Text
    #: the caution shown with every plan the rule applies to
    text: Text
    audience: Audience = "both"
    #: the therapist's note on the text's basis (the app only, never the patient's)
    editorial: Text | None = None
    sources: Sources

    @field_validator("where")
    @classmethod
    def _where(cls, value: list[str]) -> list[str]:
        for w in value:
            if w not in ZONE_IDS and w not in SAFEGUARD_AREAS:
                raise _unknown("area", w, [*ZONE_IDS, *SAFEGUARD_AREAS])
        return value

    @model_validator(mode="after")
    def _kind(self) -> Safeguard:
        restricts = self.no_touch or self.max_intensity is not None or not self.deep
        if self.no_touch and (self.max_intensity is not None or not self.deep):
            raise PydanticCustomError(
                "safeguard", "a rule is either no-touch or a cap",
                {"expected": "no_touch = true, or max_intensity/deep, not both"},
            )
        if restricts and not self.where:
            raise PydanticCustomError(
                "safeguard", "a restriction names no area",
                {"expected": "where = [zones or named areas]"},
            )
        return self

    def cites(self, lang: str = "en") -> tuple[str, ...]:
        return tuple(s.cite(lang) for s in self.sources)


class SafeguardRegistry(_Model):
    safeguard: Annotated[list[Safeguard], Field(min_length=1)]

    @model_validator(mode="after")
    def _unique(self) -> SafeguardRegistry:
        ids = [g.id for g in self.safeguard]
        if len(ids) != len(set(ids)):
            raise PydanticCustomError("duplicate", "safeguard ids repeat",
                                      {"expected": "unique ids"})
        return self
