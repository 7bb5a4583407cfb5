"""The patient's restrictions, as a meet-semilattice (pure; no Qt, no shapely).

Everything that limits what the hands may do is a :class:`Restrictions`: the session's length
and overall intensity (each condition's course at this session, a sparing start included),
per half-zone and technique a :class:`Cell` (an intensity ceiling, whether deep variants may
work, whether the technique is excluded there; ``percussion`` stands for the percussive
variants, tapping and patting), each technique family's share of the session, the no-touch
areas (by id; their geometry is the plan's), the area caps (the kidneys) and what the plan
must do (:class:`Must`: relax a scoliosis' concave side, strengthen its convex side).

:meth:`Restrictions.meet` takes, per dimension, the stricter value: ``min`` for ceilings and
shares, ``and`` for allowances, union for exclusions, areas and musts. It is commutative,
associative and idempotent, so the restrictions of a patient are the same whatever the order
in which their conditions and findings were given (tests/test_restrictions.py proves it).
:data:`TOP` restricts nothing (the meet's identity). :meth:`Restrictions.within` is the
order: ``a.within(b)`` when ``a`` allows nothing that ``b`` does not.

Where the restrictions come from is :mod:`bodymap.restrict` (the third arrow of the pipeline
profile -> screening -> restrictions -> shape -> clip -> texts).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import reduce
from typing import Any

from bodymap.vocabulary import HALVES

__all__ = ["PERCUSSION", "TOP", "Cell", "Must", "Restrictions", "cells_over", "meet_all"]

#: the key of the percussive variants (tapping, patting) in a cell table
PERCUSSION = "percussion"
MAX_INTENSITY = 5


@dataclass(frozen=True, order=True)
class Cell:
    """What one technique may do on one half-zone."""

    max_intensity: int = MAX_INTENSITY
    deep: bool = True
    excluded: bool = False

    def meet(self, other: Cell) -> Cell:
        return Cell(min(self.max_intensity, other.max_intensity), self.deep and other.deep,
                    self.excluded or other.excluded)

    def within(self, other: Cell) -> bool:
        """Allows nothing that ``other`` does not."""
        return (self.excluded or not other.excluded) and (
            self.excluded or (self.max_intensity <= other.max_intensity
                              and (other.deep or not self.deep)))

    def allows(self, intensity: int, deep: bool) -> bool:
        return not self.excluded and intensity <= self.max_intensity and (self.deep or not deep)


TOP_CELL = Cell()


@dataclass(frozen=True, order=True)
class Must:
    """What the plan says it does and so must do: ``role`` (relax | strengthen) over halves."""

    role: str
    halves: tuple[str, ...]


def _merge_cells(a: Iterable[tuple[str, str, Cell]],
                 b: Iterable[tuple[str, str, Cell]]) -> tuple[tuple[str, str, Cell], ...]:
    table: dict[tuple[str, str], Cell] = {}
    for half, tech, cell in (*a, *b):
        key = (half, tech)
        table[key] = table[key].meet(cell) if key in table else cell
    return tuple(sorted((h, t, c) for (h, t), c in table.items() if c != TOP_CELL))


def _merge_shares(a: Iterable[tuple[tuple[str, ...], float]],
                  b: Iterable[tuple[tuple[str, ...], float]]
                  ) -> tuple[tuple[tuple[str, ...], float], ...]:
    table: dict[tuple[str, ...], float] = {}
    for techs, share in (*a, *b):
        table[techs] = min(table.get(techs, 1.0), share)
    return tuple(sorted(table.items()))


@dataclass(frozen=True)
class Restrictions:
    """The restrictions at one session of the course (see the module's docstring)."""

    #: the session's length, at most (``inf``: nothing limits it)
    max_minutes: float = math.inf
    #: the session's overall intensity, at most (each course's level at this session)
    max_intensity: float = float(MAX_INTENSITY)
    #: (half, technique or ``percussion``, cell), sorted; cells that restrict nothing left out
    cells: tuple[tuple[str, str, Cell], ...] = ()
    #: (technique ids, sorted; their share of the session at most), sorted
    shares: tuple[tuple[tuple[str, ...], float], ...] = ()
    #: no-touch areas by id (their geometry and techniques: the plan's ``no_touch``)
    no_touch: frozenset[str] = frozenset()
    #: caps over areas that are not whole zones (the kidneys), by id (the plan's ``caps``)
    area_caps: frozenset[str] = frozenset()
    musts: tuple[Must, ...] = ()
    _index: Mapping[tuple[str, str], Cell] = field(default_factory=dict, compare=False,
                                                    repr=False, hash=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_index", {(h, t): c for h, t, c in self.cells})

    def meet(self, other: Restrictions) -> Restrictions:
        """The strictest of both, per dimension."""
        return Restrictions(
            max_minutes=min(self.max_minutes, other.max_minutes),
            max_intensity=min(self.max_intensity, other.max_intensity),
            cells=_merge_cells(self.cells, other.cells),
            shares=_merge_shares(self.shares, other.shares),
            no_touch=self.no_touch | other.no_touch,
            area_caps=self.area_caps | other.area_caps,
            musts=tuple(sorted(set(self.musts) | set(other.musts))),
        )

    # reading ---------------------------------------------------------------------------------
    @property
    def level(self) -> int:
        """The session's overall intensity as a whole step of the scale (1..5)."""
        return max(1, min(MAX_INTENSITY, round(self.max_intensity)))

    def cell(self, half: str, technique: str) -> Cell:
        return self._index.get((half, technique), TOP_CELL)

    def limit(self, half: str, technique: str, percussive: bool = False) -> Cell:
        """What ``technique`` (a percussive variant of it, if so) may do on ``half``."""
        cell = self.cell(half, technique)
        return cell.meet(self.cell(half, PERCUSSION)) if percussive else cell

    def top(self, techniques: Iterable[str]) -> int:
        """The highest ceiling any of ``techniques`` has on any half where it is not excluded
        (the zones' limits alone, whatever the session's level; 0: excluded everywhere)."""
        return max((c.max_intensity for half in HALVES for t in techniques
                    for c in (self.cell(half, t),) if not c.excluded), default=0)

    def within(self, other: Restrictions, techniques: Iterable[str] = ()) -> bool:
        """``self`` allows nothing that ``other`` does not (the meet's order)."""
        keys = {(h, t) for h, t, _ in (*self.cells, *other.cells)}
        keys |= {(h, t) for h in HALVES for t in techniques}
        return (self.max_minutes <= other.max_minutes
                and self.max_intensity <= other.max_intensity
                and all(self.cell(h, t).within(other.cell(h, t)) for h, t in keys)
                and all(self.share_of(techs) <= s for techs, s in other.shares)
                and other.no_touch <= self.no_touch and other.area_caps <= self.area_caps
                and set(other.musts) <= set(self.musts))

    def share_of(self, techniques: tuple[str, ...]) -> float:
        """The share of the session ``techniques`` together may take, at most: a limit on a
        family that holds them all holds for them (1.0: no limit)."""
        return min((s for techs, s in self.shares if set(techs) >= set(techniques)),
                   default=1.0)

    def to_json(self) -> dict[str, Any]:
        """The meet, readable: per half-zone the techniques that are limited there."""
        grouped: dict[str, dict[Cell, list[str]]] = {}
        for half, tech, cell in self.cells:
            grouped.setdefault(half, {}).setdefault(cell, []).append(tech)
        zones = {half: [{"techniques": techs, **({"excluded": True} if cell.excluded else {
            "max_intensity": cell.max_intensity, "deep": cell.deep})}
            for cell, techs in sorted(by_cell.items())] for half, by_cell in grouped.items()}
        return {
            "max_minutes": None if math.isinf(self.max_minutes) else self.max_minutes,
            "max_intensity": self.level,
            "zones": zones,
            "shares": [{"techniques": list(t), "max_share": s} for t, s in self.shares],
            "no_touch": sorted(self.no_touch),
            "area_caps": sorted(self.area_caps),
            "musts": [{"role": m.role, "zones": list(m.halves)} for m in self.musts],
        }


TOP = Restrictions()


def meet_all(items: Iterable[Restrictions]) -> Restrictions:
    """The meet of any number of restrictions (:data:`TOP` for none)."""
    return reduce(Restrictions.meet, items, TOP)


def cells_over(halves: Iterable[str], techniques: Iterable[str], cell: Cell) -> Restrictions:
    """One ``cell`` for each of ``techniques`` on each of ``halves``."""
    techs = tuple(techniques)
    return Restrictions(cells=_merge_cells((), ((h, t, cell) for h in halves for t in techs)))
