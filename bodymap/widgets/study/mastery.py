"""Mastery per topic: retention and due cards for each topic of the deck, plotted with
pyqtgraph (imported when the page is first shown).

Two plots side by side, one row per topic: the retention FSRS estimates now and a week from
now without review (bars, 0-100 %), and the topic's cards split into due now, due this week,
later and new (stacked bars). A line of text per topic says the same for a screen reader.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

from PySide6.QtWidgets import QHBoxLayout, QPushButton, QVBoxLayout, QWidget

from bodymap.decks import Deck
from bodymap.i18n import number, tr
from bodymap.mastery import TopicMastery, mastery
from bodymap.widgets.study.decks import deck_title
from bodymap.widgets.study.map import study_label

if TYPE_CHECKING:
    from collections.abc import Iterable

    from bodymap.drills import Drill
    from bodymap.study import ProgressStore

__all__ = ["SEGMENT_COLOURS", "MasteryPage"]

RETENTION_COLOURS = ("#1d7a3a", "#9ccfa9")  # now, in a week
#: the card counts' segments, left to right
SEGMENT_COLOURS = {"due_now": "#b3261e", "due_week": "#e0a030", "later": "#1d7a3a",
                   "new": "#b8b0a8"}


class MasteryPage(QWidget):
    """``show_mastery(drills, store, now, deck)``; ``back_button`` returns to study."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("studyMastery")
        col = QVBoxLayout(self)
        col.setContentsMargins(24, 18, 24, 18)
        self.title = study_label(size=17, bold=True, name="studyMasteryTitle")
        self.deck = study_label(colour="#6b625b", name="studyMasteryDeck")
        self.rows_label = study_label(name="studyMasteryRows")
        col.addWidget(self.title)
        col.addWidget(self.deck)
        self.plot_row = QHBoxLayout()
        col.addLayout(self.plot_row, 1)
        col.addWidget(self.rows_label)
        bottom = QHBoxLayout()
        self.back_button = QPushButton(self)
        self.back_button.setObjectName("studyMasteryBack")
        bottom.addStretch(1)
        bottom.addWidget(self.back_button)
        col.addLayout(bottom)
        self.plot: Any = None
        self.rows: list[TopicMastery] = []
        self._deck: Deck | None = None

    def show_mastery(self, drills: Iterable[Drill], store: ProgressStore, now: datetime,
                     deck: Deck) -> None:
        self.rows = mastery(drills, store, now)
        self._deck = deck
        import pyqtgraph as pg  # lazily: only this page and the summary need it

        if self.plot is None:
            self._make_plots(pg)
        self._draw(pg)
        self.retranslate()

    def _make_plots(self, pg: Any) -> None:
        self.plot = pg.GraphicsLayoutWidget()
        self.plot.setObjectName("studyMasteryPlot")
        self.plot.setBackground("w")
        self.plot.setMinimumHeight(240)
        self.retention_plot = self.plot.addPlot(row=0, col=0)
        self.cards_plot = self.plot.addPlot(row=0, col=1)
        self.cards_plot.setYLink(self.retention_plot)
        for p in (self.retention_plot, self.cards_plot):
            p.setMouseEnabled(x=False, y=False)
            p.hideButtons()
            p.showGrid(x=True, y=False, alpha=0.25)
            p.invertY(True)
            p.getAxis("bottom").setHeight(28)  # the two plots' rows line up
        self.retention_legend = self.retention_plot.addLegend(offset=(-8, -8))
        self.cards_legend = self.cards_plot.addLegend(offset=(-8, 8))
        self.retention_plot.setXRange(0, 100, padding=0.02)
        self.cards_plot.getAxis("left").setStyle(showValues=False)
        self.plot_row.addWidget(self.plot, 1)

    def _draw(self, pg: Any) -> None:
        rows = self.rows
        ys = list(range(len(rows)))
        self.retention_plot.clear()
        self.cards_plot.clear()
        self.retention_legend.clear()
        self.cards_legend.clear()
        now = [100 * (r.retention or 0.0) for r in rows]
        week = [100 * (r.retention_week or 0.0) for r in rows]
        self._bars: dict[str, Any] = {}
        for key, offset, widths, colour in (("now", -0.17, now, RETENTION_COLOURS[0]),
                                            ("week", 0.17, week, RETENTION_COLOURS[1])):
            bar = pg.BarGraphItem(x0=0, y=[y + offset for y in ys], height=0.32, width=widths,
                                  brush=colour, pen=colour)
            self.retention_plot.addItem(bar)
            self._bars[key] = bar
        left = [0.0] * len(rows)
        for key, colour in SEGMENT_COLOURS.items():
            widths = [float(getattr(r, key)) for r in rows]
            bar = pg.BarGraphItem(x0=list(left), y=ys, height=0.6, width=widths, brush=colour,
                                  pen="w")
            self.cards_plot.addItem(bar)
            self._bars[key] = bar
            left = [a + b for a, b in zip(left, widths, strict=True)]
        self.cards_plot.setXRange(0, max(left, default=1) * 1.05 + 0.5, padding=0)
        self.retention_plot.setYRange(-0.6, max(0.6, len(rows) - 0.4), padding=0)

    def counts(self, topic: str) -> dict[str, int]:
        """The card counts drawn for ``topic`` (what the stacked bar shows)."""
        row = next(r for r in self.rows if r.topic == topic)
        return {key: getattr(row, key) for key in SEGMENT_COLOURS}

    def retranslate(self) -> None:
        self.title.setText(tr("study.mastery.title"))
        self.back_button.setText(tr("study.mastery.back"))
        if self._deck is not None:
            self.deck.setText(tr("study.mastery.deck", deck=deck_title(self._deck)))
        self.rows_label.setText("\n".join(self._row_text(r) for r in self.rows))
        if self.plot is None:
            return
        for legend, keys in ((self.retention_legend, ("now", "week")),
                             (self.cards_legend, tuple(SEGMENT_COLOURS))):
            legend.clear()
            for key in keys:
                legend.addItem(self._bars[key], tr(f"study.mastery.{key}"))
        ticks = [[(i, tr(f"study.topic.{r.topic}")) for i, r in enumerate(self.rows)]]
        self.retention_plot.getAxis("left").setTicks(ticks)
        self.retention_plot.setTitle(tr("study.mastery.retention"))
        self.cards_plot.setTitle(tr("study.mastery.cards"))

    @staticmethod
    def _row_text(r: TopicMastery) -> str:
        topic = tr(f"study.topic.{r.topic}")
        if r.retention is None:
            return tr("study.mastery.none", topic=topic, cards=r.cards)
        retention = f"{number(round(100 * r.retention))}%"
        return tr("study.mastery.row", topic=topic, retention=retention, studied=r.studied,
                  cards=r.cards, due=r.due_now)
