"""Study decks (pure): what a student chooses to study, saved by name with the progress.

A :class:`Deck` picks cards by topic (zones, no-touch areas, technique order, conditions,
contraindications, the motions), by drill kind, and optionally by condition and by technique
(those two filter only the cards that are about a condition or a technique). The built-in deck
"All cards" (:data:`ALL`, name ``""``) takes everything and cannot be deleted.

Decks live in the progress file (:mod:`bodymap.progress_file`, version 2) beside the cards:
``"decks": {name: {...deck..., "changed": ISO time, "deleted": bool}}`` and ``"deck": {"name":
..., "changed": ...}`` (the last deck studied). Two running copies merge them like cards: per
deck the newest change wins, and a deletion is kept as a dated tombstone so that the other
copy's older save cannot bring the deck back. Nothing here imports Qt.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, Strict, field_validator

from bodymap.drill_base import KINDS, TOPICS, Drill
from bodymap.schema import _ID_RE

__all__ = [
    "ALL",
    "MAX_DECKS",
    "MAX_NAME",
    "Deck",
    "DeckEntry",
    "DeckModel",
    "LastDeckModel",
    "Shelf",
    "clean_name",
    "merge_shelves",
]

MAX_NAME = 60
MAX_DECKS = 200
NEW_PER_SESSION = 10
MAX_NEW = 100


def clean_name(name: str) -> str:
    """A deck name as kept: trimmed, inner runs of white space as one space; ``ValueError``
    (with the reason) for an empty, overlong or control-character name."""
    text = " ".join(str(name).split())
    if not text:
        raise ValueError("a deck needs a name")
    if len(text) > MAX_NAME:
        raise ValueError(f"a deck name has at most {MAX_NAME} characters")
    if any(unicodedata.category(ch)[0] == "C" for ch in text):
        raise ValueError("a deck name cannot hold control characters")
    return text


@dataclass(frozen=True)
class Deck:
    """Which cards to study. Empty ``conditions``/``techniques``: every one."""

    name: str = ""
    topics: frozenset[str] = frozenset(TOPICS)
    kinds: frozenset[str] = frozenset(KINDS)
    conditions: frozenset[str] = frozenset()
    techniques: frozenset[str] = frozenset()
    new_per_session: int = NEW_PER_SESSION

    @property
    def builtin(self) -> bool:
        return self.name == ""

    def includes(self, drill: Drill) -> bool:
        if drill.topic not in self.topics or drill.kind not in self.kinds:
            return False
        if self.conditions and drill.condition is not None \
                and drill.condition not in self.conditions:
            return False
        return not (self.techniques and drill.technique is not None
                    and drill.technique not in self.techniques)

    def cards(self, drills: Iterable[Drill]) -> list[Drill]:
        return [d for d in drills if self.includes(d)]

    def renamed(self, name: str) -> Deck:
        return replace(self, name=clean_name(name))

    def to_json(self) -> dict[str, Any]:
        return {
            "topics": [t for t in TOPICS if t in self.topics],
            "kinds": [k for k in KINDS if k in self.kinds],
            "conditions": sorted(self.conditions),
            "techniques": sorted(self.techniques),
            "new_per_session": self.new_per_session,
        }


ALL = Deck()

# ---------------------------------------------------------------------------------------------
# in the progress file

_Id = Annotated[str, Strict(), Field(min_length=1, max_length=60, pattern=_ID_RE)]
_Stamp = Annotated[str, Strict(), Field(max_length=64)]


def _aware(value: str) -> str:
    when = datetime.fromisoformat(value)  # ValueError: pydantic reports it with the field
    if when.tzinfo is None:
        raise ValueError("a date and time without a time zone")
    return value


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class DeckModel(_Model):
    topics: Annotated[list[Annotated[str, Strict()]], Field(max_length=len(TOPICS))]
    kinds: Annotated[list[Annotated[str, Strict()]], Field(max_length=len(KINDS))]
    conditions: Annotated[list[_Id], Field(max_length=500)] = []
    techniques: Annotated[list[_Id], Field(max_length=500)] = []
    new_per_session: Annotated[int, Strict(), Field(ge=0, le=MAX_NEW)] = NEW_PER_SESSION
    changed: _Stamp
    deleted: Annotated[bool, Strict()] = False

    @field_validator("topics")
    @classmethod
    def _topics(cls, value: list[str]) -> list[str]:
        unknown = [t for t in value if t not in TOPICS]
        if unknown:
            raise ValueError(f"unknown topic {unknown[0]!r}; expected some of {', '.join(TOPICS)}")
        return value

    @field_validator("kinds")
    @classmethod
    def _kinds(cls, value: list[str]) -> list[str]:
        unknown = [k for k in value if k not in KINDS]
        if unknown:
            raise ValueError(f"unknown drill kind {unknown[0]!r}; expected some of "
                             f"{', '.join(KINDS)}")
        return value

    @field_validator("changed")
    @classmethod
    def _changed(cls, value: str) -> str:
        return _aware(value)


class LastDeckModel(_Model):
    name: Annotated[str, Strict(), Field(max_length=MAX_NAME)]
    changed: _Stamp

    @field_validator("changed")
    @classmethod
    def _changed(cls, value: str) -> str:
        return _aware(value)


def check_deck_names(value: Mapping[str, Any]) -> None:
    """Every saved deck's name is a clean name (``ValueError`` names the first that is not)."""
    if len(value) > MAX_DECKS:
        raise ValueError(f"at most {MAX_DECKS} decks")
    for name in value:
        try:
            ok = clean_name(name) == name
        except ValueError:
            ok = False
        if not ok:
            raise ValueError(f"deck name {name[:80]!r} is not a clean name (1 to {MAX_NAME} "
                             "characters, no control characters or outer spaces)")


@dataclass(frozen=True)
class DeckEntry:
    """A saved deck (or a deletion) and when it was last changed."""

    deck: Deck
    changed: datetime
    deleted: bool = False

    @classmethod
    def from_model(cls, name: str, m: DeckModel) -> DeckEntry:
        deck = Deck(name=name, topics=frozenset(m.topics), kinds=frozenset(m.kinds),
                    conditions=frozenset(m.conditions), techniques=frozenset(m.techniques),
                    new_per_session=m.new_per_session)
        return cls(deck, datetime.fromisoformat(m.changed), m.deleted)

    def to_json(self) -> dict[str, Any]:
        return {**self.deck.to_json(), "changed": self.changed.isoformat(),
                "deleted": self.deleted}


@dataclass
class Shelf:
    """The saved decks and the last one studied, as the progress file holds them."""

    entries: dict[str, DeckEntry] = field(default_factory=dict)
    last: tuple[str, datetime] | None = None

    def decks(self) -> list[Deck]:
        """The built-in deck first, then the saved ones by name."""
        saved = sorted((e.deck for e in self.entries.values() if not e.deleted),
                       key=lambda d: d.name.casefold())
        return [ALL, *saved]

    def find(self, name: str) -> Deck | None:
        if name == "":
            return ALL
        entry = self.entries.get(name)
        return entry.deck if entry is not None and not entry.deleted else None

    def last_deck(self) -> Deck:
        """The deck studied last (the built-in one if it was deleted meanwhile)."""
        found = self.find(self.last[0]) if self.last is not None else None
        return found if found is not None else ALL

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "decks": {n: self.entries[n].to_json() for n in sorted(self.entries)}}
        if self.last is not None:
            out["deck"] = {"name": self.last[0], "changed": self.last[1].isoformat()}
        return out


def merge_shelves(mine: Shelf, disk: Shelf) -> Shelf:
    """Per deck name the newest change wins (ties: ``mine``); so does the last deck."""
    entries = dict(disk.entries)
    for name, entry in mine.entries.items():
        theirs = entries.get(name)
        if theirs is None or entry.changed >= theirs.changed:
            entries[name] = entry
    last = disk.last
    if mine.last is not None and (last is None or mine.last[1] >= last[1]):
        last = mine.last
    return Shelf(entries, last)
