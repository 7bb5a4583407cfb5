"""The course chart: minutes and intensity per session, phases shaded, the current session marked.

pyqtgraph is imported here. This module is imported only when the course pane's plot is made:
after the window's map, panels and steps have painted (``readiness.py``), never before.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pyqtgraph as pg
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWidget

from bodymap.i18n import tr
from bodymap.widgets.accessible import RetranslatesOnLanguageChange
from bodymap.widgets.plot_slot import COURSE_SIZE
from bodymap.widgets.timeline_plot import StaticPlot

if TYPE_CHECKING:
    from bodymap.plan_types import CourseSession, Plan

__all__ = ["PHASE_COLORS", "CoursePlot"]

PHASE_COLORS = {
    "introductory": (111, 168, 220, 45),
    "main": (147, 196, 125, 45),
    "final": (246, 178, 107, 55),
}
MINUTES_PEN = pg.mkPen("#1f5fa8", width=2.5)
INTENSITY_PEN = pg.mkPen("#b45f06", width=2.5, style=Qt.PenStyle.DashLine)


class CoursePlot(RetranslatesOnLanguageChange, StaticPlot):
    """The whole course at a glance; the plan's current session is marked."""

    def __init__(self, parent: QWidget | None = None) -> None:
        # StaticPlot's own (what super() reaches at run time: the mixin has no __init__); named,
        # because to mypy the mixin's QWidget base comes first and pyqtgraph's classes are Any
        StaticPlot.__init__(self, parent, axes=("left", "bottom", "right"))
        COURSE_SIZE.apply(self)
        self._plan: Plan | None = None
        item = self.getPlotItem()
        item.showGrid(x=False, y=True, alpha=0.25)
        item.showAxis("right")
        # Intensity (1..5) on its own axis, in a second view box linked on x.
        self._intensity_view = pg.ViewBox(enableMenu=False)
        item.scene().addItem(self._intensity_view)
        item.getAxis("right").linkToView(self._intensity_view)
        self._intensity_view.setXLink(item)
        self._intensity_view.setYRange(0, 5.5, padding=0)
        item.vb.sigResized.connect(self._sync_views)

        self.legend = item.addLegend(
            offset=(10, 26), labelTextColor="#222", brush=(255, 255, 255, 200)
        )
        self.minutes_curve = item.plot([], [], pen=MINUTES_PEN, symbol="o", symbolSize=6,
                                       symbolBrush="#1f5fa8", name="minutes")
        self.intensity_curve = pg.PlotDataItem([], [], pen=INTENSITY_PEN, symbol="s",
                                               symbolSize=5, symbolBrush="#b45f06")
        self._intensity_view.addItem(self.intensity_curve)
        self.legend.addItem(self.intensity_curve, "intensity")
        self.current_line = pg.InfiniteLine(angle=90, pen=pg.mkPen("#c00000", width=2))
        item.addItem(self.current_line)
        self._regions: list[pg.LinearRegionItem] = []
        self._phase_labels: list[pg.TextItem] = []
        self.retranslate()

    def _sync_views(self) -> None:
        self._intensity_view.setGeometry(self.getPlotItem().vb.sceneBoundingRect())
        self._intensity_view.linkedViewChanged(self.getPlotItem().vb, self._intensity_view.XAxis)

    def retranslate(self) -> None:
        item = self.getPlotItem()
        if item is None:  # closed (pyqtgraph drops its plot item), not yet destroyed
            return
        item.setLabel("bottom", tr("course.axis_session"))
        item.setLabel("left", tr("course.axis_minutes"))
        item.setLabel("right", tr("course.axis_intensity"))
        item.setTitle(tr("course.title"), color="#222")
        self.legend.clear()
        self.legend.addItem(self.minutes_curve, tr("course.legend_minutes"))
        self.legend.addItem(self.intensity_curve, tr("course.legend_intensity"))
        self._draw_phases()

    def set_plan(self, plan: Plan | None) -> None:
        self._plan = plan
        course = list(plan.course) if plan is not None else []
        xs = [c.number for c in course]
        self.minutes_curve.setData(xs, [c.minutes for c in course])
        self.intensity_curve.setData(xs, [c.intensity for c in course])
        if plan is not None and course:
            self.getPlotItem().setXRange(0.5, len(course) + 0.5, padding=0)
            top = max(c.minutes for c in course)
            self.getPlotItem().setYRange(0, top * 1.6 + 1, padding=0)  # room for the legend
            self.current_line.setValue(plan.session)
            self.current_line.show()
        else:
            self.current_line.hide()
        self._draw_phases()

    def phases(self) -> list[tuple[str, float, float]]:
        """The shaded phase spans, as (phase, first session - 0.5, last session + 0.5)."""
        course: list[CourseSession] = list(self._plan.course) if self._plan is not None else []
        spans: list[tuple[str, float, float]] = []
        for c in course:
            if spans and spans[-1][0] == c.phase:
                spans[-1] = (c.phase, spans[-1][1], c.number + 0.5)
            else:
                spans.append((c.phase, c.number - 0.5, c.number + 0.5))
        return spans

    def _draw_phases(self) -> None:
        item = self.getPlotItem()
        for region in self._regions:
            item.removeItem(region)
        for label in self._phase_labels:
            item.removeItem(label)
        self._regions, self._phase_labels = [], []
        for phase, start, end in self.phases():
            brush = pg.mkBrush(PHASE_COLORS.get(phase, (200, 200, 200, 40)))
            region = pg.LinearRegionItem(
                (start, end), movable=False, brush=brush, pen=pg.mkPen(None)
            )
            region.setZValue(-10)
            item.addItem(region)
            self._regions.append(region)
            label = pg.TextItem(tr(f"course.phase_short.{phase}"), color="#333", anchor=(0.5, 0))
            label.setPos((start + end) / 2, item.vb.viewRange()[1][1])
            item.addItem(label)
            self._phase_labels.append(label)
