"""The course, visit by visit: pain before and after each visit (0-10 numeric rating scale)
plotted with pyqtgraph, a triangle over each visit where a step was shortened or skipped, and
the list of visits below. pyqtgraph is imported with this module, after the first paint (as
``widgets/course.py``).

:class:`PainCoursePlot` serves the therapist's course view and, in patient colours and words,
the presentation's progress page.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pyqtgraph as pg
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QTreeWidget, QTreeWidgetItem, QVBoxLayout, QWidget

from bodymap.i18n import tr
from bodymap.widgets.accessible import RetranslatesOnLanguageChange
from bodymap.widgets.panels.common import plain_label
from bodymap.widgets.timeline_plot import StaticPlot

if TYPE_CHECKING:
    from bodymap.records.model import Patient, VisitSummary
    from bodymap.records.today import CourseSeries
    from bodymap.widgets.records.controller import RecordsController

__all__ = ["CourseView", "PainCoursePlot"]

#: colour and marker shape both tell the lines apart (colour-blind safe), as in the PDF
BEFORE = "#b3261e"
AFTER = "#1f5fa8"
CHANGED = "#d99a00"
#: where the triangles stand: above the 0-10 scale, below the legend's row
CHANGED_Y = 10.6


class PainCoursePlot(RetranslatesOnLanguageChange, StaticPlot):
    """Pain before (circles) and after (squares) per visit; triangles mark changed steps."""

    def __init__(self, parent: QWidget | None = None, *, plain: bool = False,
                 dark: bool = False) -> None:
        # StaticPlot's own, named (as in widgets/course.py): to mypy the mixin's QWidget base
        # comes first and pyqtgraph's classes are Any
        StaticPlot.__init__(self, parent, axes=("left", "bottom"))
        self.plain = plain
        self.setObjectName("painCoursePlot")
        self.setMinimumHeight(170)
        ink = "#eeeeee" if dark else "#222222"
        if dark:
            self.setBackground("#0d0f12")
            for axis in ("left", "bottom"):
                self.getPlotItem().getAxis(axis).setPen(pg.mkPen("#9aa4ad"))
                self.getPlotItem().getAxis(axis).setTextPen(pg.mkPen(ink))
        self._ink = ink
        width = 4 if plain else 2.5
        size = 14 if plain else 8
        item = self.getPlotItem()
        item.showGrid(x=False, y=True, alpha=0.25)
        item.setYRange(-0.3, 11.3, padding=0)  # the triangles' row above the 0-10 scale
        item.getAxis("left").setTicks([[(v, str(v)) for v in range(0, 11, 2)]])
        self.dark = dark
        self.before_curve = item.plot([], [], pen=pg.mkPen(BEFORE if not dark else "#ff8a80",
                                                           width=width),
                                      symbol="o", symbolSize=size,
                                      symbolBrush=BEFORE if not dark else "#ff8a80")
        self.after_curve = item.plot([], [], pen=pg.mkPen(AFTER if not dark else "#82b1ff",
                                                          width=width,
                                                          style=Qt.PenStyle.DashLine),
                                     symbol="s", symbolSize=size,
                                     symbolBrush=AFTER if not dark else "#82b1ff")
        self.changed_marks = pg.ScatterPlotItem(symbol="t", size=size + 2,
                                                brush=pg.mkBrush(CHANGED), pen=pg.mkPen("#7a5500"))
        item.addItem(self.changed_marks)
        if plain:  # read from a few steps away
            from PySide6.QtGui import QFont

            font = QFont()
            font.setPointSize(14)
            for axis in ("left", "bottom"):
                item.getAxis(axis).setStyle(tickFont=font)
        self._series: CourseSeries | None = None
        self._ticks: list[tuple[float, str]] = []
        self.retranslate()

    def retranslate(self) -> None:
        item = self.getPlotItem()
        if item is None:
            return
        p = "plain_" if self.plain else ""
        size = {"font-size": "15pt"} if self.plain else {}
        item.setLabel("left", tr(f"records.chart.{p}axis_pain"), color=self._ink, **size)
        item.setLabel("bottom", tr(f"records.chart.{p}axis_visit"), color=self._ink, **size)

    def legend_html(self) -> str:
        """The key to the lines and marks, for a label beside the plot (it wraps there, and
        hides no mark as a legend inside the plot would)."""
        import html

        p = "plain_" if self.plain else ""
        keys = [("●", "#ff8a80" if self.dark else BEFORE, tr(f"records.chart.{p}before")),
                ("■", "#82b1ff" if self.dark else AFTER, tr(f"records.chart.{p}after"))]
        if not self.plain:
            keys.append(("▲", CHANGED, tr("records.chart.changed")))
        return " &nbsp; ".join(
            f'<span style="color:{colour}">{mark}</span>&nbsp;{html.escape(words)}'
            for mark, colour, words in keys)

    def set_visits(self, visits: tuple[VisitSummary, ...] | list[VisitSummary]) -> None:
        from bodymap.records.today import course_series

        series = self._series = course_series(list(visits))
        self.before_curve.setData(*_defined(series.x, series.before))
        self.after_curve.setData(*_defined(series.x, series.after))
        if self.plain:
            self.changed_marks.setData([], [])
        else:
            self.changed_marks.setData(list(series.changed), [CHANGED_Y] * len(series.changed))
        n = max(1, len(series.x))
        self.getPlotItem().setXRange(0.5, n + 0.5, padding=0)
        step = max(1, n // 12)  # at most a dozen labels: they never run into each other
        # the therapist reads session numbers; the patient counts their visits
        labels = series.x if self.plain else series.sessions
        self._ticks = [(x, str(s)) for x, s in zip(series.x, labels, strict=True)
                       if (x - 1) % step == 0]
        self.getPlotItem().getAxis("bottom").setTicks([self._ticks])

    def series(self) -> CourseSeries | None:
        return self._series


def _defined(xs: tuple[int, ...], ys: tuple[int | None, ...]) -> tuple[list[int], list[int]]:
    """The points with a score (a visit where it was not asked has none)."""
    pairs = [(x, y) for x, y in zip(xs, ys, strict=True) if y is not None]
    return [x for x, _ in pairs], [y for _, y in pairs]


class CourseView(RetranslatesOnLanguageChange, QWidget):
    """The open patient's course: the pain chart and the visits."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("recordsCourse")
        self._rc: RecordsController | None = None
        self.title = plain_label("", self)
        self.title.setObjectName("courseTitle")
        self.title.setStyleSheet("font-weight: bold; font-size: 11pt;")
        self.summary = plain_label("", self)
        self.plot = PainCoursePlot(self)
        self.legend = QLabel(self)
        self.legend.setObjectName("courseLegend")
        self.legend.setTextFormat(Qt.TextFormat.RichText)  # our own words, escaped
        self.legend.setWordWrap(True)
        self.visits = QTreeWidget(self)
        self.visits.setObjectName("courseVisits")
        self.visits.setRootIsDecorated(False)
        self.visits.setUniformRowHeights(True)
        self.visits.setAlternatingRowColors(True)
        box = QVBoxLayout(self)
        box.setContentsMargins(6, 6, 6, 6)
        box.addWidget(self.title)
        box.addWidget(self.summary)
        box.addWidget(self.legend)
        box.addWidget(self.plot, 3)
        box.addWidget(self.visits, 2)
        self.retranslate()

    def bind(self, rc: RecordsController) -> None:
        self._rc = rc
        rc.patientChanged.connect(self.show_patient)
        self.show_patient(rc.patient())

    def show_patient(self, patient: Patient | None) -> None:
        self.visits.clear()
        if patient is None:
            self.title.setText(tr("records.no_patient"))
            self.summary.setText("")
            self.plot.set_visits(())
            return
        self.title.setText(tr("records.course_title", name=patient.name))
        self.plot.set_visits(patient.visits)
        self.summary.setText(self._summary(patient))
        self.visits.addTopLevelItems([self._item(v) for v in reversed(patient.visits)])
        for column in range(self.visits.columnCount()):
            self.visits.resizeColumnToContents(column)

    def _summary(self, patient: Patient) -> str:
        from bodymap.widgets.dates import format_date

        rc = self._rc
        total = rc.course_sessions(patient.conditions) if rc is not None else None
        if not patient.visits:
            return tr("records.course_empty")
        first, last = patient.visits[0], patient.visits[-1]
        return tr("records.course_summary", n=len(patient.visits),
                  first=format_date(first.at.local.date()),
                  last=format_date(last.at.local.date()), session=last.session,
                  total=total or "?")

    def _item(self, v: VisitSummary) -> QTreeWidgetItem:
        from bodymap.widgets.dates import format_date

        dash = "—"
        pain = (f"{dash if v.pain_before is None else v.pain_before} → "
                f"{dash if v.pain_after is None else v.pain_after}")
        steps = []
        if v.shortened:
            steps.append(tr("records.n_shortened", n=v.shortened))
        if v.skipped:
            steps.append(tr("records.n_skipped", n=v.skipped))
        local = v.at.local
        item = QTreeWidgetItem([format_date(local.date()), str(v.session), pain,
                                ", ".join(steps) or tr("records.as_planned")])
        state = tr("records.signed") if v.signed else tr("records.open_visit")
        item.setToolTip(0, f"{format_date(local.date())} {local.hour:02d}:{local.minute:02d}, "
                           f"{state}")
        return item

    def retranslate(self) -> None:
        from bodymap.widgets.accessible import name as a11y_name

        a11y_name(self.visits, tr("records.visits_list"))
        self.legend.setText(self.plot.legend_html())
        self.visits.setHeaderLabels([tr(f"records.col.{c}") for c in
                                     ("date", "session", "pain", "done")])
        self.visits.headerItem().setToolTip(2, tr("records.col.pain_tip"))
        if self._rc is not None:
            self.show_patient(self._rc.patient())
        else:
            self.title.setText(tr("records.no_patient"))
