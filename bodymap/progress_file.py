"""The study progress file: a strict format, and a locked read-merge-write.

Two copies of bodymap may run at once (two windows, a window and a script). Each keeps its own
progress in memory and saves after every answer. A plain "write what I have" would drop the
other copy's reviews, so :func:`save_progress`:

1. takes a lock on ``study-progress.json.lock`` (the ``filelock`` package: fcntl on POSIX,
   msvcrt on Windows; a lock held by a killed process is released by the system);
2. reads the file as it is now (the other copy may have saved since);
3. merges by card id, the newest review winning (``last_review``), and adds this copy's
   daily counts made since its last save to the counts on disk;
4. writes the result atomically (:mod:`bodymap.safeio`) and hands it back, so this copy
   now sees the other's work too.

The format is strict: a quoted number or a boolean is not a count, dates carry a time zone,
numbers are finite; any problem is a :class:`DataFileError` naming the file and the field.

Version 2 adds the student's decks (``decks``, ``deck``: :mod:`bodymap.decks`), merged the
same way (the newest change of each deck wins). A version 1 file reads as having no decks;
what is written is always version 2.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Annotated, Any, Literal

import fsrs
from fsrs.card import CardDict
from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    Strict,
    ValidationError,
    field_validator,
    model_validator,
)

from bodymap.decks import (
    DeckEntry,
    DeckModel,
    LastDeckModel,
    Shelf,
    check_deck_names,
    merge_shelves,
)
from bodymap.errors import DataFileError, FileWriteError
from bodymap.safeio import atomic_write_text, parse_json, read_text_bounded

FORMAT = "bodymap-study"
VERSION = 2
#: the oldest version read (version 1 had no decks)
FIRST_VERSION = 1
#: a progress file is read, merged and written after every answer (in the window's thread).
#: Measured on the 2-core development machine under load: the shipped 96 drills make a file
#: of about 20 kB; 1,000 cards (196 kB) save in 0.07 s; 10,000 cards (2 MB) in 0.6 s, a
#: noticeable freeze on every answer. So a file over 1 MB (about 5,000 cards, 50 times what
#: the shipped drills make) is refused with that said, moved aside whole, never slowly read
MAX_BYTES = 1024 * 1024
MAX_DAYS = 3650
#: how long a save waits for another copy's save to finish
LOCK_TIMEOUT_S = 15.0

_Int = Annotated[int, Strict()]
_Num = Annotated[float, Strict(), Field(allow_inf_nan=False, ge=0, le=1e9)]
_Key = Annotated[str, Field(min_length=1, max_length=300)]


def _aware(value: str) -> str:
    when = datetime.fromisoformat(value)  # ValueError: pydantic reports it with the field
    if when.tzinfo is None:
        raise ValueError("a date and time without a time zone")
    return value


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class CardModel(_Model):
    card_id: Annotated[int, Strict(), Field(ge=1, le=2**53)]
    state: Annotated[int, Strict(), Field(ge=1, le=3)]
    step: Annotated[int, Strict(), Field(ge=0, le=100)] | None
    stability: _Num | None
    difficulty: _Num | None
    due: Annotated[str, Strict(), Field(max_length=64)]
    last_review: Annotated[str, Strict(), Field(max_length=64)] | None

    @field_validator("due", "last_review")
    @classmethod
    def _dates(cls, value: str | None) -> str | None:
        return None if value is None else _aware(value)

    def card_dict(self) -> CardDict:
        """The card as fsrs reads it back (:meth:`fsrs.Card.from_dict`)."""
        return CardDict(card_id=self.card_id, state=self.state, step=self.step,
                        stability=self.stability, difficulty=self.difficulty, due=self.due,
                        last_review=self.last_review)

    @model_validator(mode="after")
    def _schedulable(self) -> CardModel:
        """What the scheduler needs to review the card in its state (fsrs asserts it): a
        learning card has a step; a reviewed card (state 2, or 3 relearning) has a stability
        of at least fsrs' minimum and a difficulty from 1 to 10; a relearning one also a step.
        """
        if self.state in (1, 3) and self.step is None:
            raise ValueError(f"a card in state {self.state} needs a 'step'")
        if (self.stability is None) != (self.difficulty is None):
            raise ValueError("'stability' and 'difficulty' come together")
        if self.state in (2, 3) and self.stability is None:
            raise ValueError(f"a card in state {self.state} needs 'stability' and 'difficulty'")
        if self.stability is not None and self.stability < fsrs.scheduler.STABILITY_MIN:
            raise ValueError(f"'stability' {self.stability:g} is below "
                             f"{fsrs.scheduler.STABILITY_MIN:g}")
        if self.difficulty is not None and not 1 <= self.difficulty <= 10:
            raise ValueError(f"'difficulty' {self.difficulty:g} is not from 1 to 10")
        return self


class ProgressModel(_Model):
    format: Literal["bodymap-study"]
    version: Annotated[int, Strict(), Field(ge=FIRST_VERSION, le=VERSION)]
    cards: dict[_Key, CardModel] = {}
    days: dict[_Key, tuple[Annotated[int, Strict(), Field(ge=0)], Annotated[
        int, Strict(), Field(ge=0)]]] = {}
    last: dict[_Key, Annotated[bool, Strict()]] = {}
    decks: dict[Annotated[str, Strict()], DeckModel] = {}
    deck: LastDeckModel | None = None

    @field_validator("decks")
    @classmethod
    def _deck_names(cls, value: dict[str, DeckModel]) -> dict[str, DeckModel]:
        check_deck_names(value)
        return value

    @field_validator("days")
    @classmethod
    def _days(cls, value: dict[str, tuple[int, int]]) -> dict[str, tuple[int, int]]:
        for day, (reviewed, right) in value.items():
            date.fromisoformat(day)
            if right > reviewed:
                raise ValueError(f"day {day}: more right answers than reviews")
        return value


@dataclass
class Progress:
    """What the file holds, in memory."""

    cards: dict[str, fsrs.Card] = field(default_factory=dict)
    days: dict[str, list[int]] = field(default_factory=dict)  # day: [reviewed, right]
    last: dict[str, bool] = field(default_factory=dict)
    shelf: Shelf = field(default_factory=Shelf)

    def to_json(self) -> dict[str, Any]:
        days = dict(sorted(self.days.items())[-MAX_DAYS:])
        return {
            "format": FORMAT,
            "version": VERSION,
            "cards": {k: self.cards[k].to_dict() for k in sorted(self.cards)},
            "days": days,
            "last": dict(sorted(self.last.items())),
            **self.shelf.to_json(),
        }


def parse_progress(data: Any, path: Path | str) -> Progress:
    """Validate a decoded progress file strictly; DataFileError names the file and field."""
    if isinstance(data, dict) and data.get("format") == FORMAT:
        version = data.get("version")
        if type(version) is int and version > VERSION:
            raise DataFileError(f"was written by a newer bodymap (version {version})", path=path,
                                field="version", expected=f"version {VERSION}")
    try:
        model = ProgressModel.model_validate(data)
    except ValidationError as exc:
        from bodymap.schema import expected_for, field_path

        err = exc.errors(include_url=False)[0]
        raise DataFileError(err.get("msg", "invalid"), path=path,
                            field=field_path(tuple(err.get("loc", ()))) or "(file)",
                            expected=expected_for(err) or "a bodymap study progress file",
                            ) from None
    return Progress(
        cards={k: fsrs.Card.from_dict(c.card_dict()) for k, c in model.cards.items()},
        days={k: [v[0], v[1]] for k, v in model.days.items()},
        last=dict(model.last),
        shelf=Shelf(
            {name: DeckEntry.from_model(name, m) for name, m in model.decks.items()},
            None if model.deck is None else (model.deck.name,
                                             datetime.fromisoformat(model.deck.changed)),
        ),
    )


def read_progress(path: Path) -> Progress:
    """The progress file at ``path`` (which must exist); any problem is a DataFileError."""
    text = read_text_bounded(path, MAX_BYTES, expected="a bodymap study progress file (JSON)")
    return parse_progress(parse_json(text, path), path)


def merge(mine: Progress, disk: Progress, new_days: dict[str, list[int]]) -> Progress:
    """Cards by id, the newest review winning (ties: ``mine``); ``new_days`` (this copy's
    counts since its last save) added to the counts on disk."""
    out = Progress(cards=dict(disk.cards), days={d: list(c) for d, c in disk.days.items()},
                   last=dict(disk.last), shelf=merge_shelves(mine.shelf, disk.shelf))
    for cid, card in mine.cards.items():
        theirs = disk.cards.get(cid)
        if theirs is None or _stamp(card) >= _stamp(theirs):
            out.cards[cid] = card
            if cid in mine.last:
                out.last[cid] = mine.last[cid]
    for cid, right in mine.last.items():
        out.last.setdefault(cid, right)
    for day, (reviewed, correct) in new_days.items():
        counts = out.days.setdefault(day, [0, 0])
        counts[0] += reviewed
        counts[1] += correct
    return out


#: a review dated later than this after now is not believed (a clock set wrong when it was made)
FUTURE_SLACK_S = 300.0


def _stamp(card: fsrs.Card) -> float:
    """When the card was last reviewed, for the merge; a review dated in the future (a clock
    error) counts as older than any real one, so it never swallows new answers."""
    if card.last_review is None:
        return float("-inf")
    stamp = card.last_review.timestamp()
    if stamp > datetime.now().timestamp() + FUTURE_SLACK_S:
        return float("-inf")
    return stamp


def save_progress(
    path: Path,
    mine: Progress,
    new_days: dict[str, list[int]],
    on_unreadable: Callable[[Exception], None],
) -> Progress:
    """Lock, re-read, merge, write atomically; returns what is now on disk.

    ``on_unreadable(exc)`` is called when the file on disk cannot be read (it should move it
    aside); the save then goes on with this copy's progress alone. A lock that cannot be had
    in :data:`LOCK_TIMEOUT_S` is a :class:`FileWriteError` naming the file.
    """
    import filelock

    from bodymap.safeio import describe_os_error, private_folder

    private_folder(path.parent)
    lock_path = Path(str(path) + ".lock")
    lock = filelock.FileLock(str(lock_path), timeout=LOCK_TIMEOUT_S)
    try:
        with lock:
            disk = Progress()
            if path.exists() or path.is_symlink():
                try:
                    disk = read_progress(path)
                except DataFileError as exc:
                    on_unreadable(exc)
            merged = merge(mine, disk, new_days)
            atomic_write_text(path, json.dumps(merged.to_json(), ensure_ascii=False, indent=1),
                              private=True)
    except filelock.Timeout:
        raise FileWriteError("is locked by another bodymap that does not let go",
                             path=path, expected="the other copy to finish saving") from None
    except FileWriteError:
        raise
    except OSError as exc:  # the lock file itself: another account's, a folder, read-only...
        raise FileWriteError(
            f"cannot be saved: its lock file {lock_path.name} {describe_os_error(exc)}"
            + _owner_words(lock_path), path=path,
            expected="a lock file of your own; remove it if no bodymap is running") from None
    return merged


def _owner_words(path: Path) -> str:
    import os

    try:
        uid = path.lstat().st_uid
    except OSError:
        return ""
    if not hasattr(os, "geteuid") or uid == os.geteuid():
        return ""
    from bodymap.safeio import owner_name

    return f" (it belongs to {owner_name(uid)})"
