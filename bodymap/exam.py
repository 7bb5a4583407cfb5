"""Exam mode (pure): a timed, mixed, unscheduled set of questions and its report per topic.

An :class:`Exam` draws ``count`` drills from a deck, spread over the deck's topics in turn
(each topic's drills in a seeded random order), and gives ``minutes`` to answer them. It never
touches the schedule or the progress file: answers are only checked. When the time is up the
questions not answered count as unanswered. :meth:`Exam.report` gives the score per topic.
Nothing here imports Qt.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from bodymap.drill_base import TOPICS, Drill, check, near_miss

__all__ = ["DEFAULT_COUNT", "DEFAULT_MINUTES", "Exam", "ExamAnswer", "ExamReport", "TopicScore"]

DEFAULT_COUNT = 20
DEFAULT_MINUTES = 15
MAX_COUNT = 100
MAX_MINUTES = 180


@dataclass(frozen=True)
class ExamAnswer:
    drill: Drill
    response: Any
    right: bool
    near: bool = False


@dataclass(frozen=True)
class TopicScore:
    topic: str
    asked: int
    right: int
    wrong: int
    unanswered: int

    @property
    def percent(self) -> int:
        return round(100 * self.right / self.asked) if self.asked else 0


@dataclass(frozen=True)
class ExamReport:
    deck: str  # the deck's name ("" for All cards)
    started: datetime
    finished: datetime
    minutes: int
    timed_out: bool
    topics: tuple[TopicScore, ...]
    answers: tuple[ExamAnswer, ...]
    unanswered: tuple[Drill, ...]

    @property
    def asked(self) -> int:
        return sum(t.asked for t in self.topics)

    @property
    def right(self) -> int:
        return sum(t.right for t in self.topics)

    @property
    def percent(self) -> int:
        return round(100 * self.right / self.asked) if self.asked else 0

    @property
    def used(self) -> timedelta:
        return self.finished - self.started


def _utcnow() -> datetime:
    return datetime.now(UTC)


class Exam:
    """One sitting of an exam. ``now`` is a clock function (tests pass their own)."""

    def __init__(self, drills: Sequence[Drill], *, count: int = DEFAULT_COUNT,
                 minutes: int = DEFAULT_MINUTES, seed: int | None = None, deck: str = "",
                 now: Callable[[], datetime] = _utcnow) -> None:
        if not 1 <= count <= MAX_COUNT:
            raise ValueError(f"an exam has 1 to {MAX_COUNT} questions, not {count}")
        if not 1 <= minutes <= MAX_MINUTES:
            raise ValueError(f"an exam lasts 1 to {MAX_MINUTES} minutes, not {minutes}")
        self.now = now
        self.deck = deck
        self.minutes = minutes
        self.questions: tuple[Drill, ...] = tuple(mixed(drills, count, seed))
        self.started = now()
        self.deadline = self.started + timedelta(minutes=minutes)
        self.answers: list[ExamAnswer] = []
        self._finished: datetime | None = None

    @property
    def current(self) -> Drill | None:
        if self.finished:
            return None
        i = len(self.answers)
        return self.questions[i] if i < len(self.questions) else None

    @property
    def number(self) -> int:
        """The current question's number, from 1."""
        return min(len(self.answers) + 1, len(self.questions))

    @property
    def finished(self) -> bool:
        return self._finished is not None or len(self.answers) >= len(self.questions)

    def remaining(self) -> timedelta:
        return max(timedelta(0), self.deadline - self.now())

    def timed_out(self) -> bool:
        return self.now() >= self.deadline

    def answer(self, response: Any, point: tuple[float, float] | None = None) -> ExamAnswer:
        """Check the current question (once the time is up, nothing more is taken)."""
        drill = self.current
        if drill is None:
            raise RuntimeError("the exam is over")
        if self.timed_out():
            self.finish()
            raise RuntimeError("the time is up")
        right = check(drill, response)
        ans = ExamAnswer(drill, response, right, near_miss(drill, response, point))
        self.answers.append(ans)
        if len(self.answers) >= len(self.questions):
            self.finish()
        return ans

    def finish(self) -> None:
        if self._finished is None:
            self._finished = min(self.now(), self.deadline)

    def report(self) -> ExamReport:
        self.finish()
        finished = self._finished or self.now()
        answered = {id(a.drill): a for a in self.answers}
        unanswered = tuple(q for q in self.questions if id(q) not in answered)
        scores = []
        for topic in TOPICS:
            asked = [q for q in self.questions if q.topic == topic]
            if not asked:
                continue
            right = sum(1 for a in self.answers if a.drill.topic == topic and a.right)
            missing = sum(1 for q in unanswered if q.topic == topic)
            scores.append(TopicScore(topic, len(asked), right, len(asked) - right - missing,
                                     missing))
        return ExamReport(self.deck, self.started, finished, self.minutes,
                          finished >= self.deadline and bool(unanswered), tuple(scores),
                          tuple(self.answers), unanswered)


def mixed(drills: Sequence[Drill], count: int, seed: int | None) -> list[Drill]:
    """``count`` drills (or all there are), the topics taken in turn, shuffled by ``seed``."""
    rng = random.Random(seed)
    by_topic: dict[str, list[Drill]] = {}
    for d in drills:
        by_topic.setdefault(d.topic, []).append(d)
    for pool in by_topic.values():
        rng.shuffle(pool)
    order = [t for t in TOPICS if t in by_topic]
    rng.shuffle(order)
    out: list[Drill] = []
    while len(out) < count and any(by_topic.values()):
        for t in order:
            if by_topic[t] and len(out) < count:
                out.append(by_topic[t].pop())
    rng.shuffle(out)
    return out
