"""Session time arithmetic for the player: where in the plan a moment falls. Pure, no Qt."""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from itertools import accumulate

SPEEDS: tuple[float, ...] = (1.0, 2.0, 10.0)


@dataclass(frozen=True)
class SessionTimeline:
    """Steps laid end to end on a minutes axis."""

    durations: tuple[float, ...]

    @classmethod
    def from_minutes(cls, minutes: Sequence[float]) -> SessionTimeline:
        return cls(tuple(max(0.0, float(m)) for m in minutes))

    @property
    def starts(self) -> tuple[float, ...]:
        return (0.0, *accumulate(self.durations))[:-1] if self.durations else ()

    @property
    def total(self) -> float:
        return float(sum(self.durations))

    def clamp(self, t: float) -> float:
        return min(max(0.0, t), self.total)

    def locate(self, t: float) -> tuple[int, float]:
        """The step index at minute ``t`` and how far into that step (0..1). -1 if empty."""
        if not self.durations:
            return -1, 0.0
        t = self.clamp(t)
        index = min(bisect_right(self.starts, t) - 1, len(self.durations) - 1)
        # Zero-length steps are skipped over: they cannot hold the playhead.
        while index > 0 and self.durations[index] == 0:
            index -= 1
        duration = self.durations[index]
        into = (t - self.starts[index]) / duration if duration else 0.0
        return index, min(max(into, 0.0), 1.0)

    def start_of(self, index: int) -> float:
        if not self.durations:
            return 0.0
        index = min(max(index, 0), len(self.durations) - 1)
        return self.starts[index]

    def next_start(self, t: float) -> float:
        """Start of the step after the one at ``t`` (or the end)."""
        index, _ = self.locate(t)
        return self.start_of(index + 1) if index + 1 < len(self.durations) else self.total

    def previous_start(self, t: float, grace: float = 0.05) -> float:
        """Start of the current step, or of the previous one when already at its start."""
        index, _ = self.locate(t)
        if index < 0:
            return 0.0
        if t - self.start_of(index) > grace or index == 0:
            return self.start_of(index)
        return self.start_of(index - 1)


#: the ellipsis an elided label ends with
ELLIPSIS = "…"


def fit_label(text: str, width: float, measure: Callable[[str], float],
              max_lines: int = 2) -> str:
    """``text`` as it fits a block ``width`` wide, where ``measure(s)`` is the width of ``s``:
    whole on one line; else wrapped at spaces onto up to ``max_lines`` lines; else its lines
    elided with "…"; "" when not even "…" fits. Each line of the result measures at most
    ``width``, so neighbouring blocks' labels never overlap (the whole name is the block's
    tooltip)."""
    if width <= 0 or not text:
        return ""
    if measure(text) <= width:
        return text
    words = text.split()
    lines: list[str] = []
    for word in words:
        if lines and measure(f"{lines[-1]} {word}") <= width:
            lines[-1] = f"{lines[-1]} {word}"
        else:
            lines.append(word)
    if len(lines) > max_lines:
        lines = [*lines[:max_lines - 1], " ".join(lines[max_lines - 1:])]
    fitted = [_elide(line, width, measure) for line in lines]
    if not fitted or not fitted[0]:
        return ""
    return "\n".join(line for line in fitted if line)


def _elide(line: str, width: float, measure: Callable[[str], float]) -> str:
    """``line`` cut at its end and ended with "…" to fit ``width`` ("" if "…" does not)."""
    if measure(line) <= width:
        return line
    for end in range(len(line) - 1, 0, -1):
        cut = line[:end].rstrip() + ELLIPSIS
        if measure(cut) <= width:
            return cut
    return ELLIPSIS if measure(ELLIPSIS) <= width else ""
