"""The course view: minutes and intensity per session, phases shaded, the current session marked.

:class:`CoursePane` is the view of the session controller: the course chart while there is a
plan, a line of words until then. The chart is a pyqtgraph plot (``course_plot.py``), made by
:meth:`CoursePane.load_plot` after the window's map has painted (``readiness.py``); until then
a blank of its size holds its place (``plot_slot.py``). This module imports no pyqtgraph.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from bodymap.i18n import tr
from bodymap.widgets.accessible import RetranslatesOnLanguageChange
from bodymap.widgets.plot_slot import COURSE_SIZE, HoldsPlot, PlotSlot

if TYPE_CHECKING:
    from bodymap.plan_types import Plan
    from bodymap.widgets.controller import SessionController
    from bodymap.widgets.course_plot import CoursePlot

__all__ = ["CoursePane"]


class CoursePane(RetranslatesOnLanguageChange, HoldsPlot["CoursePlot"], QWidget):
    """The course plot of the controller's plan; never bare axes: without a plan, words say
    what to do."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("coursePanel")
        self._plan: Plan | None = None
        self.empty = QLabel(self)
        self.empty.setObjectName("courseEmpty")
        self.empty.setTextFormat(Qt.TextFormat.PlainText)
        self.empty.setWordWrap(True)
        self.empty.setMargin(6)
        box = QVBoxLayout(self)
        box.setContentsMargins(0, 0, 0, 0)
        box.addWidget(self.empty)
        self._slot: PlotSlot[CoursePlot] = PlotSlot(box, self, COURSE_SIZE, _make_plot,
                                                    lambda plot: plot.set_plan(self._plan), 1)
        self._slot.set_visible(False)
        self.retranslate()


    def bind(self, controller: SessionController) -> None:
        controller.planChanged.connect(self.set_plan)
        self.set_plan(controller.plan())

    def set_plan(self, plan: Plan | None) -> None:
        self._plan = plan
        if self._slot.is_loaded():
            self.plot.set_plan(plan)
        self._slot.set_visible(plan is not None)
        self.empty.setVisible(plan is None)

    def retranslate(self) -> None:
        self.empty.setText(tr("course.empty"))


def _make_plot(parent: QWidget) -> CoursePlot:
    from bodymap.widgets.course_plot import CoursePlot

    return CoursePlot(parent)
