"""Study mode (pure): sessions of drills, FSRS scheduling, and the student's progress file.

The drills themselves (each kind built from the protocol data, and how an answer is checked)
are :mod:`bodymap.drills`; their names are re-exported here. Scheduling uses the ``fsrs``
package: right -> ``Rating.Good``, wrong -> ``Rating.Again``. Progress is kept in
``<user data dir>/study-progress.json`` (versioned JSON, written atomically); a corrupt file is
moved aside as ``study-progress.json.corrupt-<timestamp>`` and study starts fresh. Nothing here
imports Qt.
"""

from __future__ import annotations

import contextlib
import zlib
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import fsrs

from bodymap.drills import KINDS, Drill, Option, build_drills, check, overlay_plan
from bodymap.i18n import tr
from bodymap.library import user_data_dir
from bodymap.progress_file import Progress, read_progress, save_progress
from bodymap.safeio import clean_stale_temps
from bodymap.schema import ACTIONS

__all__ = [
    "ACTIONS",
    "KINDS",
    "Drill",
    "Option",
    "ProgressStore",
    "StudySession",
    "Summary",
    "Verdict",
    "build_drills",
    "check",
    "overlay_plan",
    "progress_path",
]

#: new drills are introduced round-robin over kinds, in this order
_INTRO_ORDER: tuple[str, ...] = ("zone", "contra", "condzone", "order", "notouch", "technique")
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
    """The student's progress: one FSRS card per drill id, daily counts, last results.

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
        self._cards: dict[str, fsrs.Card] = {}
        self._days: dict[str, list[int]] = {}
        self._last: dict[str, bool] = {}
        self.load()

    # -- reading ---------------------------------------------------------------------------
    def load(self) -> None:
        self._cards, self._days, self._last = {}, {}, {}
        self._new_days: dict[str, list[int]] = {}  # counts since the last save (to merge)
        clean_stale_temps([self.path.parent])  # a save killed mid-write leaves its temp file
        if not self.path.exists() and not self.path.is_symlink():
            return
        try:
            self._adopt(read_progress(self.path))
        except Exception as exc:  # any unreadable file: report it, move it aside
            self._cards, self._days, self._last = {}, {}, {}
            self._set_aside(exc)

    def _adopt(self, progress: Progress) -> None:
        self._cards, self._days, self._last = progress.cards, progress.days, progress.last

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

    # -- state -----------------------------------------------------------------------------
    def card(self, drill_id: str) -> fsrs.Card | None:
        return self._cards.get(drill_id)

    def known(self) -> set[str]:
        return set(self._cards)

    def last_right(self, drill_id: str) -> bool | None:
        return self._last.get(drill_id)

    def due(self, drill_id: str) -> datetime | None:
        c = self._cards.get(drill_id)
        return c.due if c is not None else None

    def review(self, drill_id: str, right: bool, when: datetime) -> fsrs.Card:
        card = self._cards.get(drill_id) or fsrs.Card(card_id=_card_number(drill_id), due=when)
        rating = fsrs.Rating.Good if right else fsrs.Rating.Again
        card, _log = self.scheduler.review_card(card, rating, review_datetime=when)
        self._cards[drill_id] = card
        self._last[drill_id] = bool(right)
        day = when.astimezone().date().isoformat()
        for table in (self._days, self._new_days):
            counts = table.setdefault(day, [0, 0])
            counts[0] += 1
            counts[1] += int(bool(right))
        return card

    def days(self) -> list[DayStats]:
        return [DayStats(d, c[0], c[1]) for d, c in sorted(self._days.items())]

    def next_due(self, ids: Iterable[str] | None = None) -> datetime | None:
        pool = self._cards if ids is None else {i: self._cards[i] for i in ids if i in self._cards}
        return min((c.due for c in pool.values()), default=None)

    # -- writing ---------------------------------------------------------------------------
    def to_json(self) -> dict[str, Any]:
        return Progress(self._cards, self._days, self._last).to_json()

    def save(self) -> None:
        """Save under a lock, merged with what another running copy saved meanwhile (newest
        review wins): two copies never lose each other's progress (bodymap.progress_file)."""
        mine = Progress(self._cards, self._days, self._last)
        self._adopt(save_progress(self.path, mine, self._new_days, self._set_aside))
        self._new_days = {}

    def reset(self) -> None:
        """Forget everything and delete the file (the student confirmed)."""
        self._cards, self._days, self._last = {}, {}, {}
        self.problem = None
        with contextlib.suppress(FileNotFoundError):
            self.path.unlink()


# ---------------------------------------------------------------------------------------------
# a study session


@dataclass(frozen=True)
class Verdict:
    drill: Drill
    right: bool
    response: Any
    due: datetime  # when this card comes back


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
    """One sitting: due drills first (oldest first), then up to ``new_limit`` new ones.

    A wrong answer comes back after ``RETRY_GAP`` other cards (its card is due again in ten
    minutes, inside the learn-ahead window). ``now`` is a clock function (tests pass their own).
    """

    def __init__(
        self,
        drills: Sequence[Drill],
        store: ProgressStore,
        *,
        now: Callable[[], datetime] = _utcnow,
        new_limit: int = NEW_PER_SESSION,
        kinds: Iterable[str] | None = None,
    ) -> None:
        self.store = store
        self.now = now
        self.all = {d.id: d for d in drills}
        wanted = set(kinds) if kinds is not None else set(KINDS)
        pool = [d for d in drills if d.kind in wanted]
        t = now()
        due = sorted(
            (d for d in pool if store.card(d.id) is not None and store.due(d.id) <= t),
            key=lambda d: (store.due(d.id), d.id),
        )
        new = _round_robin([d for d in pool if store.card(d.id) is None])[: max(0, new_limit)]
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

    def answer(self, response: Any) -> Verdict:
        """Check the current drill, schedule it, save progress. The drill stays current until
        :meth:`advance` (so the feedback can show it)."""
        drill = self.current
        if drill is None:
            raise RuntimeError("the session is finished")
        right = check(drill, response)
        when = self.now()
        card = self.store.review(drill.id, right, when)
        try:
            self.store.save()
            self.save_error = None
        except OSError as exc:  # the session goes on; the widget tells the student
            self.save_error = exc
        self.answered += 1
        self.right += int(right)
        self._attempts[drill.id] = self._attempts.get(drill.id, 0) + 1
        if not right and drill.id not in self._wrong_ids:
            self._wrong_ids.append(drill.id)
        self.last = Verdict(drill, right, response, card.due)
        return self.last

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
