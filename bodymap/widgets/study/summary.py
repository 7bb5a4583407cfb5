"""The end of a study session: counts, when the next cards are due, what to review, and a
pyqtgraph plot of daily accuracy and reviews (pyqtgraph imported when first shown)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from PySide6.QtWidgets import QHBoxLayout, QPushButton, QVBoxLayout, QWidget

from bodymap.i18n import pick, tr
from bodymap.widgets.dates import format_datetime, format_day
from bodymap.widgets.study.map import RIGHT_COLOUR, study_label

if TYPE_CHECKING:
    from bodymap.study import DayStats, Summary


class SummaryPage(QWidget):
    """Shows a session's summary (:meth:`show_summary`); ``again``/``reset`` are its buttons."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        sv = QVBoxLayout(self)
        sv.setContentsMargins(24, 18, 24, 18)
        sv.setSpacing(8)
        self.title = study_label(size=17, bold=True, name="studySummaryTitle")
        self.counts = study_label(size=13, name="studySummaryCounts")
        self.next_due = study_label(name="studySummaryNext")
        self.review_title = study_label(bold=True)
        self.review = study_label(name="studySummaryReview")
        self.plot_title = study_label(bold=True)
        for w in (self.title, self.counts, self.next_due, self.review_title, self.review,
                  self.plot_title):
            sv.addWidget(w)
        self.plot_holder = QVBoxLayout()
        sv.addLayout(self.plot_holder, 1)
        self.plot_empty = study_label(colour="#6b625b")
        self.plot_holder.addWidget(self.plot_empty)
        self.plot: Any = None
        sb = QHBoxLayout()
        self.reset_button = QPushButton()
        self.reset_button.setObjectName("studyReset")
        self.again_button = QPushButton()
        self.again_button.setObjectName("studyAgain")
        sb.addWidget(self.reset_button)
        sb.addStretch(1)
        sb.addWidget(self.again_button)
        sv.addLayout(sb)
        self._summary: Summary | None = None
        self._nothing_due = False
        self._now: Callable[[], datetime] = lambda: datetime.now().astimezone()

    def show_summary(self, summary: Summary | None, days: Sequence[DayStats],
                     now: Callable[[], datetime],
                     nothing_due: bool = False) -> None:
        """Render ``summary`` (a StudySession summary or None) and the progress ``days``."""
        self._summary, self._now, self._nothing_due = summary, now, nothing_due
        self._update_plot(days)
        self.retranslate()

    def _update_plot(self, days: Sequence[DayStats]) -> None:
        if not days:
            self.plot_empty.show()
            if self.plot is not None:
                self.plot.hide()
            return
        self.plot_empty.hide()
        import pyqtgraph as pg  # lazily: only the summary needs it

        if self.plot is None:
            self._make_plot(pg)
        self.plot.show()
        first = date.fromisoformat(days[0].day)
        xs = [(date.fromisoformat(d.day) - first).days for d in days]
        self._acc.clear()
        self._rev.clear()
        self._acc.plot(xs, [round(100 * d.accuracy) for d in days],
                       pen=pg.mkPen(RIGHT_COLOUR, width=2.5), symbol="o", symbolSize=8,
                       symbolBrush=RIGHT_COLOUR, symbolPen="w")
        self._rev.addItem(pg.BarGraphItem(x=xs, height=[d.reviewed for d in days], width=0.6,
                                          brush="#6fa8dc", pen="#3d6f9c"))
        self._rev.setYRange(0, max(d.reviewed for d in days) * 1.15 + 1, padding=0)
        self._acc.setXRange(-0.6, max(xs[-1] + 0.6, 6.6), padding=0)
        step = max(1, len(days) // 8)
        ticks = [(xs[i], format_day(date.fromisoformat(days[i].day)))
                 for i in range(0, len(days), step)]
        for plot in (self._acc, self._rev):
            plot.getAxis("bottom").setTicks([ticks])

    def _make_plot(self, pg: Any) -> None:
        self.plot = pg.GraphicsLayoutWidget()
        self.plot.setObjectName("studyPlot")
        self.plot.setBackground("w")
        self.plot.setMinimumHeight(260)
        self._acc = self.plot.addPlot(row=0, col=0)
        self._rev = self.plot.addPlot(row=1, col=0)
        self._rev.setXLink(self._acc)
        for plot in (self._acc, self._rev):
            plot.showGrid(x=False, y=True, alpha=0.25)
            plot.setMouseEnabled(x=False, y=False)
            plot.hideButtons()
            plot.getAxis("left").setWidth(44)
        self._acc.setYRange(0, 100, padding=0.05)
        self.plot_holder.addWidget(self.plot, 1)

    def retranslate(self) -> None:
        self.reset_button.setText(tr("study.reset"))
        self.again_button.setText(tr("study.again"))
        self.title.setText(tr("study.summary.title"))
        self.plot_title.setText(tr("study.plot.title"))
        self.plot_empty.setText(tr("study.plot.empty"))
        if self.plot is not None:
            self._acc.setTitle(tr("study.plot.accuracy"))
            self._rev.setTitle(tr("study.plot.reviewed"))
            self._rev.setLabel("bottom", tr("study.plot.day"))
        s = self._summary
        if s is None:
            return
        if self._nothing_due and not s.answered:
            self.counts.setText(tr("study.nothing_due"))
        else:
            self.counts.setText(tr("study.summary.counts", answered=s.answered, right=s.right,
                                   wrong=s.wrong))
        if s.next_due is None:
            self.next_due.setText(tr("study.summary.next_none"))
        elif self._now() >= s.next_due:
            self.next_due.setText(tr("study.summary.next_due_now", count=s.due_within_day))
        else:
            when = format_datetime(s.next_due)
            self.next_due.setText(tr("study.summary.next_due", when=when,
                                     count=s.due_within_day))
        self.review_title.setText(tr("study.summary.review"))
        self.review.setText("\n".join(f"• {tr(f'study.kind.{d.kind}')}: {pick(d.prompt)}"
                                      for d in s.to_review) or tr("study.summary.review_none"))


__all__ = ["SummaryPage"]
