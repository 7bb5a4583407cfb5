"""The session player's timeline: one coloured block per step and a draggable playhead.

pyqtgraph is imported here. This module is imported only when the player's plot is made: after
the window's map, panels and steps have painted (``readiness.py``), never before.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

import pyqtgraph as pg
from PySide6.QtCore import Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QGraphicsRectItem, QWidget

from bodymap import i18n
from bodymap.i18n import tr
from bodymap.timeline import SessionTimeline
from bodymap.widgets.player import technique_color
from bodymap.widgets.plot_slot import TIMELINE_SIZE

if TYPE_CHECKING:
    from bodymap.plan_types import Step

__all__ = ["SessionTimelinePlot", "StaticPlot"]


class StaticPlot(pg.PlotWidget):
    """A white pyqtgraph plot that only shows: no mouse zoom, context menu or auto-range
    button; the given axes drawn in calm greys."""

    def __init__(self, parent: QWidget | None = None, axes: tuple[str, ...] = ("bottom",)) -> None:
        # no context menus: made without them (pyqtgraph builds a view box menu otherwise)
        super().__init__(parent, background="w", enableMenu=False)
        self.setMenuEnabled(False)
        self.setMouseEnabled(x=False, y=False)
        self.hideButtons()
        for axis in axes:
            self.getPlotItem().getAxis(axis).setPen(pg.mkPen("#555"))
            self.getPlotItem().getAxis(axis).setTextPen(pg.mkPen("#333"))


class SessionTimelinePlot(StaticPlot):
    """One coloured block per step on a minutes axis, and a draggable playhead."""

    seekRequested = Signal(float)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent, axes=("bottom",))
        TIMELINE_SIZE.apply(self)
        item = self.getPlotItem()
        item.hideAxis("left")
        item.showGrid(x=True, y=False, alpha=0.2)
        item.setYRange(0, 1.3, padding=0)
        self._blocks: list[QGraphicsRectItem] = []
        self._labels: list[pg.TextItem] = []
        self._playhead = pg.InfiniteLine(
            pos=0, angle=90, movable=True, pen=pg.mkPen("#c00000", width=3),
            hoverPen=pg.mkPen("#ff4040", width=4),
        )
        self._playhead.setZValue(10)
        self._pending: float | None = None
        self._playhead.sigDragged.connect(lambda line: self.seekRequested.emit(line.value()))
        self.addItem(self._playhead)
        self._steps: list[Step] = []
        self._timeline = SessionTimeline(())
        self._names: Callable[[Step], str] = lambda step: step.technique
        self.retranslate()

    def retranslate(self) -> None:
        self.getPlotItem().setLabel("bottom", tr("player.axis_minutes"))
        self._draw_labels()

    def set_steps(self, steps: Sequence[Step], timeline: SessionTimeline,
                  names: Callable[[Step], str]) -> None:
        """Lay out the blocks; ``names(step) -> str`` gives each block's short label."""
        for item in self._blocks + self._labels:
            self.removeItem(item)
        self._blocks, self._labels = [], []
        self._steps, self._timeline, self._names = list(steps), timeline, names
        layout = zip(self._steps, timeline.starts, timeline.durations, strict=True)
        for step, start, minutes in layout:
            rect = QGraphicsRectItem(start, 0.1, minutes, 0.8)
            rect.setBrush(pg.mkBrush(technique_color(step.technique)))
            rect.setPen(pg.mkPen("w", width=0))
            self.addItem(rect)
            self._blocks.append(rect)
        self._draw_labels()
        total = max(timeline.total, 1.0)
        self.getPlotItem().setXRange(0, total, padding=0.01)
        self._playhead.setBounds((0, total))

    def _draw_labels(self) -> None:
        for rect, step, minutes in zip(self._blocks, self._steps, self._timeline.durations,
                                       strict=False):
            rect.setToolTip(f"{self._names(step)}: {i18n.number(float(minutes))}"
                            f" {tr('player.min')}")  # 2,5 мин
        for label in self._labels:
            self.removeItem(label)
        self._labels = []
        for step, start, minutes in zip(
            self._steps, self._timeline.starts, self._timeline.durations, strict=True
        ):
            label = pg.TextItem(self._names(step), color="#1a1a1a", anchor=(0.5, 0.5))
            label.setPos(start + minutes / 2, 0.5)
            font = QFont()
            font.setPointSize(8)
            label.setFont(font)
            self.addItem(label)
            self._labels.append(label)

    def block_colors(self) -> list[str]:
        return [rect.brush().color().name() for rect in self._blocks]

    def set_playhead(self, minutes: float) -> None:
        """Move the playhead, when that moves it on screen: at 1x a session's minute is a
        few dozen pixels wide, and redrawing the plot for a move of a tenth of a pixel, 25
        times a second, was the player's largest cost while playing."""
        shown = float(self._playhead.value())
        self._pending = None
        if shown == minutes:
            return
        per_pixel = self.getPlotItem().getViewBox().viewPixelSize()[0]
        if not per_pixel or abs(minutes - shown) >= 0.5 * per_pixel:
            self._playhead.setValue(minutes)
        else:
            self._pending = minutes  # less than half a pixel: kept, drawn with the next move

    def playhead(self) -> float:
        """Where the playhead is, in minutes (the latest position given, drawn or not)."""
        return float(self._pending if self._pending is not None else self._playhead.value())

