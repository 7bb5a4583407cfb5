"""A patient's findings: disc hernias and scoliosis curves, as lists (pure, no Qt, no shapely).

A patient may have several hernias (L4-L5 and L5-S1 is common), each protected, and a
scoliosis of one curve over the whole back (a C-shape) or of two curves, a thoracic and a
lumbar one (an S-shape, each with its own convex side). Nothing is assumed:

* a hernia's ``stage`` (``initial`` or ``advanced``) and a curve's ``grade`` (I-IV) are asked;
  until they are given the plan waits (Part 1, "Indications and general rules": only the
  *initial stages* of disc hernias and of scoliosis are indications). For a scoliosis the
  stage *is* its grade: grades I and II are the initial stages; grade III needs a doctor's
  plan; grade IV rules massage out (Part 1, "Methodology");
* the findings are kept in one canonical order (hernias top to bottom, then by side; curves
  thoracic above lumbar), so the order in which they were entered never changes a plan.

:func:`check_hernias` and :func:`check_curves` raise :class:`~bodymap.errors.UsageError`
(one line) for unknown values, exact duplicates and curves that overlap.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable
from dataclasses import dataclass

from bodymap.errors import UsageError, shown
from bodymap.vocabulary import HERNIA_SIDES, ZONES

__all__ = [
    "CURVE_REGIONS",
    "HERNIA_STAGES",
    "LEVEL_NAMES",
    "MAX_CURVES",
    "MAX_HERNIAS",
    "REGION_ZONES",
    "Hernia",
    "Scoliosis",
    "canonical_curves",
    "canonical_hernias",
    "check_curves",
    "check_hernias",
    "curve_of_zone",
    "disc_levels",
    "grade_roman",
    "level_name",
]

#: a hernia's stage: the source's indication is the *initial* stage (Part 1)
HERNIA_STAGES: tuple[str, ...] = ("initial", "advanced")
#: where a scoliosis curve lies: over the whole back (one C-shaped curve), or a thoracic or a
#: lumbar curve (two of them make an S-shape)
CURVE_REGIONS: tuple[str, ...] = ("whole", "thoracic", "lumbar")
#: the zones each curve region covers (bodymap's own choice: the source names no zones per
#: side; the neck and collar zone belong to a curve only when it spans the whole back)
REGION_ZONES: dict[str, tuple[str, ...]] = {
    "whole": ZONES,
    "thoracic": ("interscapular", "thoracic"),
    "lumbar": ("lumbosacral",),
}
#: the vertebral landmarks top to bottom (zones.svg): disc levels lie between neighbours
LEVEL_NAMES: tuple[str, ...] = (
    *(f"C{i}" for i in range(2, 8)), *(f"T{i}" for i in range(1, 13)),
    *(f"L{i}" for i in range(1, 6)), "S1",
)
MAX_HERNIAS = 8
MAX_CURVES = 2


def disc_levels(landmarks: Iterable[str] = LEVEL_NAMES) -> tuple[str, ...]:
    """Disc levels between consecutive landmarks: C2-C3 ... L5-S1."""
    names = list(landmarks)
    return tuple(f"{a}-{b}" for a, b in itertools.pairwise(names))


_LEVEL_RANK = {level: i for i, level in enumerate(disc_levels())}

_THORACIC = re.compile(r"\bT(\d{1,2})\b")


def level_name(level: str, lang: str | None = None) -> str:
    """A vertebra or disc level as a reader of ``lang`` writes it: the ids are ``T1``..``T12``
    (``T6-T7``); Russian writes the thoracic vertebrae ``Th1``..``Th12`` (``Th6-Th7``). Other
    levels (``C5-C6``, ``L4-L5``, ``L5-S1``) read the same in both languages. ``lang`` None:
    the interface's current language."""
    if lang is None:
        from bodymap.i18n import language

        lang = language()
    return _THORACIC.sub(r"Th\1", level) if lang == "ru" else level


def grade_roman(grade: int) -> str:
    return ("I", "II", "III", "IV")[grade - 1]


@dataclass(frozen=True)
class Hernia:
    """One disc hernia: its level (``"L4-L5"``), the patient's side and its stage."""

    level: str
    side: str = "central"  # left | right | central (the patient's side)
    #: initial | advanced; None: not given yet (the plan waits for it)
    stage: str | None = None

    @property
    def key(self) -> tuple[str, str]:
        """What makes two hernias the same site: level and side."""
        return (self.level, self.side)

    @property
    def label(self) -> str:
        """``L4-L5:left`` (the command line's form)."""
        return f"{self.level}:{self.side}"


@dataclass(frozen=True)
class Scoliosis:
    """One scoliosis curve: the side it bulges toward, its grade (I-IV) and where it lies."""

    convex: str  # left | right
    #: 1..4; None: not given yet (the plan waits for it)
    grade: int | None = None
    region: str = "whole"  # whole | thoracic | lumbar

    @property
    def concave(self) -> str:
        return "left" if self.convex == "right" else "right"

    @property
    def zones(self) -> tuple[str, ...]:
        return REGION_ZONES.get(self.region, ())


def canonical_hernias(hernias: Iterable[Hernia]) -> tuple[Hernia, ...]:
    """Top to bottom, then by side (central, left, right): one order whatever was typed."""
    def rank(h: Hernia) -> tuple[int, str, str, str]:
        return (_LEVEL_RANK.get(h.level, len(_LEVEL_RANK)), h.level, h.side, h.stage or "")
    return tuple(sorted(hernias, key=rank))


def canonical_curves(curves: Iterable[Scoliosis]) -> tuple[Scoliosis, ...]:
    """Whole, then thoracic above lumbar: one order whatever was typed."""
    def rank(c: Scoliosis) -> tuple[int, str, int]:
        region = CURVE_REGIONS.index(c.region) if c.region in CURVE_REGIONS else 9
        return (region, c.convex, c.grade or 0)
    return tuple(sorted(curves, key=rank))


def check_hernias(hernias: Iterable[Hernia], levels: tuple[str, ...]) -> None:
    """Every hernia at a known level, side and stage; no site given twice."""
    seen: dict[tuple[str, str], Hernia] = {}
    count = 0
    for h in hernias:
        count += 1
        if h.level not in levels:
            raise UsageError(f"unknown hernia level '{shown(h.level)}'",
                             expected=f"a disc level {levels[0]} ... {levels[-1]}, "
                             "e.g. L4-L5 or C5-C6")
        if h.side not in HERNIA_SIDES:
            raise UsageError(f"unknown hernia side '{shown(h.side)}'",
                             expected="left, right or central")
        if h.stage is not None and h.stage not in HERNIA_STAGES:
            raise UsageError(f"unknown hernia stage '{shown(h.stage)}'",
                             expected="initial or advanced")
        if h.key in seen:
            raise UsageError(f"the hernia at {h.level} ({h.side}) is given twice",
                             expected="each hernia once")
        seen[h.key] = h
    if count > MAX_HERNIAS:
        raise UsageError(f"{count} hernias are given", expected=f"at most {MAX_HERNIAS}")


def check_curves(curves: Iterable[Scoliosis]) -> None:
    """Each curve with a known side, grade and region; curves never overlap (one over the
    whole back, or at most one thoracic and one lumbar curve)."""
    items = list(curves)
    regions: list[str] = []
    for c in items:
        if c.convex not in ("left", "right"):
            raise UsageError(f"unknown convex side '{shown(c.convex)}'", expected="left or right")
        if c.grade is not None and not (
            isinstance(c.grade, int) and not isinstance(c.grade, bool) and 1 <= c.grade <= 4
        ):
            raise UsageError(f"scoliosis grade '{shown(str(c.grade))}' is out of range",
                             expected="1..4")
        if c.region not in CURVE_REGIONS:
            raise UsageError(f"unknown scoliosis region '{shown(c.region)}'",
                             expected="whole, thoracic or lumbar")
        if c.region in regions:
            raise UsageError(f"two scoliosis curves are given for the {c.region} region",
                             expected="one curve per region (an S-shape: one thoracic and one "
                             "lumbar curve)")
        regions.append(c.region)
    if "whole" in regions and len(regions) > 1:
        raise UsageError("a curve over the whole back is given with another curve",
                         expected="one curve over the whole back, or a thoracic and a lumbar "
                         "curve (region=thoracic, region=lumbar)")


def curve_of_zone(curves: Iterable[Scoliosis], zone: str) -> Scoliosis | None:
    """The curve whose region holds ``zone`` (a zone id), if any."""
    for c in curves:
        if zone in c.zones:
            return c
    return None
