"""Mastery per topic (pure): how well each topic is known now, and what is due.

For each topic of a deck: how many cards it has, how many were ever studied, FSRS's estimate
of the chance of recalling them now (the mean retrievability of the studied cards: the
*retention* Anki's FSRS statistics show) and in a week if nothing is reviewed, and how many
cards are due now, due within the week, or still new. Nothing here imports Qt.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Protocol

from bodymap.drill_base import TOPICS, Drill

__all__ = ["WEEK", "TopicMastery", "mastery"]

WEEK = timedelta(days=7)


class _Store(Protocol):
    def due(self, drill_id: str) -> datetime | None: ...

    def retrievability(self, drill_id: str, when: datetime) -> float | None: ...


@dataclass(frozen=True)
class TopicMastery:
    topic: str
    cards: int
    studied: int
    retention: float | None  # mean chance of recall now, over studied cards (None: none)
    retention_week: float | None  # the same a week from now, with no review meanwhile
    due_now: int
    due_week: int  # due after now, within the week
    new: int

    @property
    def later(self) -> int:
        return self.studied - self.due_now - self.due_week


def mastery(drills: Iterable[Drill], store: _Store, now: datetime) -> list[TopicMastery]:
    """One row per topic that has cards, in :data:`TOPICS` order."""
    by_topic: dict[str, list[Drill]] = {}
    for d in drills:
        by_topic.setdefault(d.topic, []).append(d)
    rows = []
    for topic in TOPICS:
        cards = by_topic.get(topic, [])
        if not cards:
            continue
        now_r: list[float] = []
        week_r: list[float] = []
        due_now = due_week = 0
        for d in cards:
            due = store.due(d.id)
            if due is None:
                continue
            now_r.append(store.retrievability(d.id, now) or 0.0)
            week_r.append(store.retrievability(d.id, now + WEEK) or 0.0)
            if due <= now:
                due_now += 1
            elif due <= now + WEEK:
                due_week += 1
        rows.append(TopicMastery(
            topic=topic,
            cards=len(cards),
            studied=len(now_r),
            retention=sum(now_r) / len(now_r) if now_r else None,
            retention_week=sum(week_r) / len(week_r) if week_r else None,
            due_now=due_now,
            due_week=due_week,
            new=len(cards) - len(now_r),
        ))
    return rows
