"""Study mode (pure): sessions of drills, FSRS scheduling, and the student's progress file.

The drills themselves (each kind built from the protocol data, and how an answer is checked)
are :mod:`bodymap.drills`; their names are re-exported here. Scheduling uses the ``fsrs``
package. An answer is checked and scheduled at once (right -> ``Rating.Good``, wrong ->
``Rating.Again``); after a right answer, or after "Show answer", the student may grade their
own recall (Again / Hard / Good / Easy, :data:`GRADES`), which schedules the card again from
where it was before the answer. A session studies one :class:`~bodymap.decks.Deck`. Progress
is kept in
``<user data dir>/study-progress.json`` (versioned JSON, written atomically); a corrupt file is
moved aside as ``study-progress.json.corrupt-<timestamp>`` and study starts fresh. Nothing here
imports Qt.
"""

from __future__ import annotations

import contextlib
import zlib
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import fsrs

from bodymap.decks import ALL, Deck, DeckEntry
from bodymap.drills import KINDS, Drill, Option, build_drills, check, near_miss, overlay_plan
from bodymap.i18n import number, tr
from bodymap.progress_file import Progress, read_progress, save_progress
from bodymap.protocol_files import user_data_dir
from bodymap.safeio import clean_stale_temps
from bodymap.schema import ACTIONS

__all__ = [
    "ACTIONS",
    "GRADES",
    "KINDS",
    "Deck",
    "Drill",
    "Option",
    "ProgressStore",
    "StudySession",
    "Summary",
    "Verdict",
    "build_drills",
    "check",
    "interval_text",
    "overlay_plan",
    "progress_path",
]

#: new drills are introduced round-robin over kinds, in this order
_INTRO_ORDER: tuple[str, ...] = ("zone", "contra", "condzone", "order", "notouch", "technique",
                                  "motion")
#: the self-grades, as in Anki, and fsrs's ratings for them
GRADES: tuple[str, ...] = ("again", "hard", "good", "easy")
_RATING = {"again": fsrs.Rating.Again, "hard": fsrs.Rating.Hard, "good": fsrs.Rating.Good,
           "easy": fsrs.Rating.Easy}
NEW_PER_SESSION = 10
#: a card falling due within this window comes back in the same session (Anki's learn-ahead)
LEARN_AHEAD = timedelta(minutes=20)
#: how many other cards come between a wrong answer and its retry
RETRY_GAP = 3
#: a drill is asked at most this often in one session (then it waits for its due date)
MAX_ATTEMPTS = 3
PROGRESS_FILE = "study-progress.json"

# ---------------------------------------------------------------------------------------------
# the progress file


def progress_path() -> Path:
    """``platformdirs.user_data_dir("bodymap")/study-progress.json`` ($BODYMAP_USER_DIR wins)."""
    return user_data_dir() / PROGRESS_FILE


def _card_number(drill_id: str) -> int:
    return zlib.crc32(drill_id.encode("utf-8")) + 1


@dataclass(frozen=True)
class DayStats:
    day: str  # ISO date, local to the review's UTC day
    reviewed: int
    right: int

    @property
    def accuracy(self) -> float:
        return self.right / self.reviewed if self.reviewed else 0.0


class ProgressStore:
    """The student's progress: one FSRS card per drill id, daily counts, last results, decks.

    ``problem`` is set (a one-line message naming the file) when the file on disk could not be
    read; it has then been moved aside to ``moved_to`` and the store starts fresh.
    """

    def __init__(self, path: Path | None = None) -> None:
        self.path = Path(path) if path is not None else progress_path()
        self.scheduler = fsrs.Scheduler(
            learning_steps=(timedelta(minutes=10),),
            relearning_steps=(timedelta(minutes=10),),
            enable_fuzzing=False,
        )
        self.problem: str | None = None
        self.moved_to: Path | None = None
        self._progress = Progress()
        #: each card as it was before its latest review in this run (None: it was new), so
        #: that a self-grade schedules from there
        self._before: dict[str, fsrs.Card | None] = {}
        self.load()

    # -- reading ---------------------------------------------------------------------------
    def load(self) -> None:
        self._progress = Progress()
        self._new_days: dict[str, list[int]] = {}  # counts since the last save (to merge)
        clean_stale_temps([self.path.parent])  # a save killed mid-write leaves its temp file
        if not self.path.exists() and not self.path.is_symlink():
            return
        try:
            self._progress = read_progress(self.path)
        except Exception as exc:  # any unreadable file: report it, move it aside
            self._progress = Progress()
            self._set_aside(exc)

    def _set_aside(self, exc: Exception) -> None:
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%fZ")
        target = self.path.with_name(f"{self.path.name}.corrupt-{stamp}")
        try:
            self.path.replace(target)
            self.moved_to = target
            where = tr("study.corrupt.moved", path=str(target))
        except OSError as move_exc:
            self.moved_to = None
            where = tr("study.corrupt.not_moved", error=str(move_exc))
        detail = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        self.problem = tr(
            "study.corrupt.message", path=str(self.path), detail=detail[:200], where=where
        )

    # -- cards -----------------------------------------------------------------------------
    @property
    def _cards(self) -> dict[str, fsrs.Card]:
        return self._progress.cards

    def card(self, drill_id: str) -> fsrs.Card | None:
        return self._cards.get(drill_id)

    def known(self) -> set[str]:
        return set(self._cards)

    def last_right(self, drill_id: str) -> bool | None:
        return self._progress.last.get(drill_id)

    def due(self, drill_id: str) -> datetime | None:
        c = self._cards.get(drill_id)
        return c.due if c is not None else None

    def retrievability(self, drill_id: str, when: datetime) -> float | None:
        """FSRS's chance of recalling the card at ``when`` (None: never studied)."""
        c = self._cards.get(drill_id)
        if c is None:
            return None
        return float(self.scheduler.get_card_retrievability(c, current_datetime=when))

    def review(self, drill_id: str, right: bool, when: datetime,
               grade: str | None = None) -> fsrs.Card:
        """Schedule an answer (``grade`` defaults to good when right, again when wrong) and
        count it for the day."""
        before = self._cards.get(drill_id)
        card = self._scheduled(drill_id, before, grade or ("good" if right else "again"), when)
        self._before[drill_id] = before
        self._cards[drill_id] = card
        self._progress.last[drill_id] = bool(right)
        day = when.astimezone().date().isoformat()
        for table in (self._progress.days, self._new_days):
            counts = table.setdefault(day, [0, 0])
            counts[0] += 1
            counts[1] += int(bool(right))
        return card

    def regrade(self, drill_id: str, grade: str, when: datetime) -> fsrs.Card:
        """The student's own grade for the answer just given: schedule the card again from
        where it was before that answer (the day's counts stay as checked)."""
        if drill_id not in self._before:
            raise KeyError(f"{drill_id} was not answered in this run")
        card = self._scheduled(drill_id, self._before[drill_id], grade, when)
        self._cards[drill_id] = card
        return card

    def intervals(self, drill_id: str, when: datetime, answered: bool) -> dict[str, timedelta]:
        """How long until the card comes back for each grade, as Anki shows on its buttons
        (``answered``: from where the card was before the answer just given)."""
        before = self._before.get(drill_id) if answered else self._cards.get(drill_id)
        return {g: self._scheduled(drill_id, before, g, when).due - when for g in GRADES}

    def _scheduled(self, drill_id: str, card: fsrs.Card | None, grade: str,
                   when: datetime) -> fsrs.Card:
        card = card or fsrs.Card(card_id=_card_number(drill_id), due=when)
        return self.scheduler.review_card(card, _RATING[grade], review_datetime=when)[0]

    def days(self) -> list[DayStats]:
        return [DayStats(d, c[0], c[1]) for d, c in sorted(self._progress.days.items())]

    def next_due(self, ids: Iterable[str] | None = None) -> datetime | None:
        pool = self._cards if ids is None else {i: self._cards[i] for i in ids if i in self._cards}
        return min((c.due for c in pool.values()), default=None)

    # -- decks -----------------------------------------------------------------------------
    def decks(self) -> list[Deck]:
        """"All cards" first, then the student's decks by name."""
        return self._progress.shelf.decks()

    def find_deck(self, name: str) -> Deck | None:
        return self._progress.shelf.find(name)

    def last_deck(self) -> Deck:
        return self._progress.shelf.last_deck()

    def save_deck(self, deck: Deck, when: datetime, replaces: str | None = None) -> None:
        """Keep ``deck`` (a new one, or a changed one; ``replaces``: its old name when renamed)
        and remember it as the last deck. The built-in deck is never saved."""
        shelf = self._progress.shelf
        if replaces is not None and replaces != deck.name and replaces in shelf.entries:
            shelf.entries[replaces] = DeckEntry(shelf.entries[replaces].deck, when, deleted=True)
        if not deck.builtin:
            shelf.entries[deck.name] = DeckEntry(deck, when)
        shelf.last = (deck.name, when)

    def delete_deck(self, name: str, when: datetime) -> None:
        shelf = self._progress.shelf
        entry = shelf.entries.get(name)
        if entry is not None and not entry.deleted:
            shelf.entries[name] = DeckEntry(entry.deck, when, deleted=True)
        if shelf.last is not None and shelf.last[0] == name:
            shelf.last = (ALL.name, when)

    def use_deck(self, deck: Deck, when: datetime) -> None:
        """Remember ``deck`` as the one studied last."""
        self._progress.shelf.last = (deck.name, when)

    # -- writing ---------------------------------------------------------------------------
    def to_json(self) -> dict[str, Any]:
        return self._progress.to_json()

    def save(self) -> None:
        """Save under a lock, merged with what another running copy saved meanwhile (newest
        review wins): two copies never lose each other's progress (bodymap.progress_file)."""
        self._progress = save_progress(self.path, self._progress, self._new_days,
                                       self._set_aside)
        self._new_days = {}

    def reset(self) -> None:
        """Forget every card and count and delete the file (the student confirmed); the decks
        are the student's own choice and stay."""
        shelf = self._progress.shelf
        self._progress = Progress()
        self._before = {}
        self.problem = None
        with contextlib.suppress(FileNotFoundError):
            self.path.unlink()
        if shelf.entries or shelf.last is not None:
            self._progress.shelf = shelf


def interval_text(delta: timedelta, lang: str | None = None) -> str:
    """An interval as Anki's buttons show it: ``10 min``, ``3 h``, ``4 d``, ``1.5 mo``,
    ``1.1 y`` (the language's own units and decimal mark)."""
    seconds = max(0.0, delta.total_seconds())
    minutes = seconds / 60
    days = seconds / 86400
    if minutes < 60:
        return tr("study.interval.minutes", lang, n=max(1, round(minutes)))
    if days < 1:
        return tr("study.interval.hours", lang, n=round(minutes / 60))
    if days < 30:
        return tr("study.interval.days", lang, n=round(days))
    if days < 365:
        return tr("study.interval.months", lang, n=number(round(days / 30.4, 1), lang))
    return tr("study.interval.years", lang, n=number(round(days / 365.25, 1), lang))


# ---------------------------------------------------------------------------------------------
# a study session


@dataclass(frozen=True)
class Verdict:
    drill: Drill
    right: bool
    response: Any
    due: datetime | None  # when this card comes back (None: not scheduled yet)
    #: a wrong click close to the right place (zone, where-not-to-press)
    near: bool = False
    #: the answer was shown without answering: the student grades their own recall
    revealed: bool = False
    #: the grade the card is scheduled with (None: "Show answer", not graded yet)
    grade: str | None = None

    @property
    def grades(self) -> tuple[str, ...]:
        """The grades the student may give: all four after a right answer or "Show answer",
        only Again after a wrong one."""
        return GRADES if (self.right or self.revealed) else ("again",)


@dataclass(frozen=True)
class Summary:
    answered: int
    right: int
    wrong: int
    to_review: tuple[Drill, ...]  # drills answered wrong at least once in this session
    next_due: datetime | None  # the earliest due date over all drills
    due_within_day: int  # drills due in the next 24 hours


def _utcnow() -> datetime:
    return datetime.now(UTC)


class StudySession:
    """One sitting over a deck: due drills first (oldest first), then up to the deck's
    ``new_per_session`` new ones.

    A wrong answer comes back after ``RETRY_GAP`` other cards (its card is due again in ten
    minutes, inside the learn-ahead window). ``now`` is a clock function (tests pass their own).
    ``kinds`` narrows the deck to those drill kinds.
    """

    def __init__(
        self,
        drills: Sequence[Drill],
        store: ProgressStore,
        *,
        now: Callable[[], datetime] = _utcnow,
        new_limit: int | None = None,
        kinds: Iterable[str] | None = None,
        deck: Deck = ALL,
    ) -> None:
        self.store = store
        self.now = now
        self.deck = deck
        pool = deck.cards(drills)
        if kinds is not None:
            wanted = set(kinds)
            pool = [d for d in pool if d.kind in wanted]
        self.all = {d.id: d for d in pool}
        t = now()
        when = {d.id: c.due for d in pool if (c := store.card(d.id)) is not None}
        due = sorted((d for d in pool if d.id in when and when[d.id] <= t),
                     key=lambda d: (when[d.id], d.id))
        limit = deck.new_per_session if new_limit is None else new_limit
        new = _round_robin([d for d in pool if store.card(d.id) is None])[: max(0, limit)]
        self.queue: list[Drill] = due + new
        self.new_count = len(new)
        self.due_count = len(due)
        self.answered = 0
        self.right = 0
        self._wrong_ids: list[str] = []
        self._attempts: dict[str, int] = {}
        self.last: Verdict | None = None
        self.save_error: OSError | None = None

    @property
    def current(self) -> Drill | None:
        return self.queue[0] if self.queue else None

    @property
    def finished(self) -> bool:
        return not self.queue

    def attempt(self, drill_id: str) -> int:
        return self._attempts.get(drill_id, 0)

    def answer(self, response: Any, point: tuple[float, float] | None = None) -> Verdict:
        """Check the current drill, schedule it, save progress. The drill stays current until
        :meth:`advance` (so the feedback can show it). ``point``: where on the map the student
        clicked (tells a near miss)."""
        drill = self._current()
        right = check(drill, response)
        card = self.store.review(drill.id, right, self.now())
        self._count(drill, right)
        near = near_miss(drill, response, point)
        self.last = Verdict(drill, right, response, card.due, near=near,
                            grade="good" if right else "again")
        self._save()
        return self.last

    def reveal(self) -> Verdict:
        """Show the current drill's answer without answering: the student then grades their
        own recall (:meth:`grade`); nothing is scheduled until then."""
        drill = self._current()
        self.last = Verdict(drill, False, None, None, revealed=True)
        return self.last

    def grade(self, grade: str) -> Verdict:
        """The student's own grade for the current drill (one of :attr:`Verdict.grades`)."""
        v = self.last
        if v is None or v.drill is not self.current:
            raise RuntimeError("grade after an answer or Show answer")
        if grade not in v.grades:
            raise ValueError(f"{grade!r} is not a grade for this answer; expected one of "
                             f"{', '.join(v.grades)}")
        when = self.now()
        if v.revealed and v.grade is None:
            right = grade != "again"
            card = self.store.review(v.drill.id, right, when, grade=grade)
            self._count(v.drill, right)
        elif grade != v.grade:
            card = self.store.regrade(v.drill.id, grade, when)
        else:
            return v
        self.last = replace(v, due=card.due, grade=grade)
        self._save()
        return self.last

    def intervals(self) -> dict[str, timedelta]:
        """The next interval for each grade of the current drill (for the grade buttons)."""
        v = self.last
        drill = self._current()
        answered = v is not None and v.grade is not None
        return self.store.intervals(drill.id, self.now(), answered)

    def _current(self) -> Drill:
        drill = self.current
        if drill is None:
            raise RuntimeError("the session is finished")
        return drill

    def _count(self, drill: Drill, right: bool) -> None:
        self.answered += 1
        self.right += int(right)
        self._attempts[drill.id] = self._attempts.get(drill.id, 0) + 1
        if not right and drill.id not in self._wrong_ids:
            self._wrong_ids.append(drill.id)

    def _save(self) -> None:
        try:
            self.store.save()
            self.save_error = None
        except OSError as exc:  # the session goes on; the widget tells the student
            self.save_error = exc

    def advance(self) -> Drill | None:
        """Move past the answered drill; a drill due again soon is asked again later."""
        if not self.queue:
            return None
        drill = self.queue.pop(0)
        due = self.store.due(drill.id)
        if (
            self.last is not None
            and self.last.drill.id == drill.id
            and due is not None
            and due <= self.now() + LEARN_AHEAD
            and self.attempt(drill.id) < MAX_ATTEMPTS
        ):
            self.queue.insert(min(RETRY_GAP, len(self.queue)), drill)
        self.last = None
        return self.current

    def end(self) -> None:
        self.queue.clear()

    def summary(self) -> Summary:
        t = self.now()
        ids = list(self.all)
        horizon = t + timedelta(days=1)
        soon = [i for i in ids if (d := self.store.due(i)) is not None and d <= horizon]
        return Summary(
            answered=self.answered,
            right=self.right,
            wrong=self.answered - self.right,
            to_review=tuple(self.all[i] for i in self._wrong_ids if i in self.all),
            next_due=self.store.next_due(ids),
            due_within_day=len(soon),
        )


def _round_robin(drills: Sequence[Drill]) -> list[Drill]:
    by_kind: dict[str, list[Drill]] = {k: [] for k in _INTRO_ORDER}
    for d in drills:
        by_kind.setdefault(d.kind, []).append(d)
    out: list[Drill] = []
    while any(by_kind.values()):
        for k in list(by_kind):
            if by_kind[k]:
                out.append(by_kind[k].pop(0))
    return out
