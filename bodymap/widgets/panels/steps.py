"""The steps: the plan's steps in a table (the current step selected; choosing a row asks the
session controller to seek there), or, while there is nothing to carry out, why not."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from PySide6.QtCore import QRect, Qt, Signal
from PySide6.QtGui import QFontMetrics, QResizeEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFrame,
    QHeaderView,
    QLabel,
    QScrollArea,
    QStackedWidget,
    QTableWidget,
    QTableWidgetItem,
    QWidget,
)

from bodymap import i18n
from bodymap.i18n import pick, tr
from bodymap.widgets.accessible import RetranslatesOnLanguageChange
from bodymap.widgets.accessible import name as a11y_name
from bodymap.widgets.panels.common import direction_name, technique_name, zones_text
from bodymap.widgets.plaintext import plain_tip

if TYPE_CHECKING:
    from bodymap.geometry import BackGeometry
    from bodymap.library import Library
    from bodymap.plan_types import Plan, Step
    from bodymap.widgets.controller import SessionController


#: room a cell's text leaves on each side (pixels), and a header section's besides its text
CELL_PAD = 6
HEADER_PAD = 10
WRAP = int(Qt.TextFlag.TextWordWrap)


def wrapped_width(metrics: QFontMetrics, text: str) -> int:
    """The width ``text`` needs when wrapped as tightly as word wrap allows (its widest word,
    or piece of a hyphenated word): a narrower cell would cut it."""
    if not text:
        return 0
    return metrics.boundingRect(QRect(0, 0, 1, 100_000), WRAP, text).width()


class StepsTable(QTableWidget):
    """The plan's steps; the current step is selected; choosing a row asks to seek there.

    Every cell's text wraps and is never cut: each column is at least as wide as its widest
    word and its header. Where the five columns do not fit (a small screen, Russian), the table
    is *compact*: the zones join the technique's cell and the minutes the intensity's."""

    stepActivated = Signal(int)
    COLUMNS = ("technique", "zones", "direction", "minutes", "intensity")
    #: the columns that take the width left over, and in what proportion
    STRETCH: ClassVar[dict[int, int]] = {0: 3, 1: 2, 2: 3}

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(0, len(self.COLUMNS), parent)
        self.setObjectName("stepsTable")
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setWordWrap(True)
        self.setTextElideMode(Qt.TextElideMode.ElideNone)
        self.setAlternatingRowColors(True)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOn)
        self.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header = self.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        header.setMinimumSectionSize(8)
        self.itemSelectionChanged.connect(self._on_selection)
        self._plan: Plan | None = None
        self._library: Library | None = None
        self._geometry: BackGeometry | None = None
        self._syncing = False
        self.compact = False
        self._fitting = False
        self.retranslate()

    def set_plan(self, plan: Plan | None, library: Library | None,
                 geometry: BackGeometry | None) -> None:
        self._plan, self._library, self._geometry = plan, library, geometry
        self._fill()

    def _values(self, step: Step, compact: bool) -> tuple[str, str, str, str, str]:
        technique = (technique_name(self._library, step.technique, step.variant)
                     + (f" ({tr('steps.role.' + step.role)})" if step.role else ""))
        zones = zones_text(self._geometry, step.zones)
        minutes = i18n.number(float(step.minutes))
        intensity = ("●" * step.intensity + "○" * (5 - step.intensity)
                     + "\n" + tr(f"steps.intensity.{step.intensity}"))
        if compact:
            return (f"{technique}\n{zones}", "", direction_name(self._library, step.direction),
                    "", f"{intensity}\n{minutes} {tr('player.min')}")
        return technique, zones, direction_name(self._library, step.direction), minutes, intensity

    def headers(self, compact: bool) -> list[str]:
        keys = list(self.COLUMNS)
        if compact:
            keys[0] = "technique_zones"
        return [tr(f"steps.col.{c}") for c in keys]

    def _fill(self) -> None:
        steps: list[Step] = list(self._plan.steps) if self._plan is not None else []
        self._syncing = True
        try:
            self.clearContents()
            self.setRowCount(len(steps))
            for row, step in enumerate(steps):
                for col, value in enumerate(self._values(step, self.compact)):
                    item = QTableWidgetItem(value)
                    item.setToolTip(plain_tip(pick(step.text)))
                    if col >= 3:
                        item.setTextAlignment(Qt.AlignmentFlag.AlignCenter)
                    self.setItem(row, col, item)
            self.setHorizontalHeaderLabels(self.headers(self.compact))
            for col in (1, 3):
                self.setColumnHidden(col, self.compact)
        finally:
            self._syncing = False
        self.fit_columns()

    # column widths -----------------------------------------------------------------------------
    def least_widths(self, compact: bool) -> dict[int, int]:
        """Each shown column's least width: its header and its widest word, padded."""
        steps: list[Step] = list(self._plan.steps) if self._plan is not None else []
        cells, heads = self.fontMetrics(), self.horizontalHeader().fontMetrics()
        widths: dict[int, int] = {}
        for col, head in enumerate(self.headers(compact)):
            if compact and col in (1, 3):
                continue
            need = heads.horizontalAdvance(head) + 2 * HEADER_PAD
            for step in steps:
                need = max(need, wrapped_width(cells, self._values(step, compact)[col])
                           + 2 * CELL_PAD)
            widths[col] = need
        return widths

    def _chrome(self) -> int:
        """What the table's width holds besides its columns: row numbers, scroll bar, frame."""
        return (max(self.verticalHeader().width(), self.verticalHeader().sizeHint().width())
                + self.verticalScrollBar().sizeHint().width() + 2 * self.frameWidth() + 2)

    def least_width(self) -> int:
        """The narrowest the table can be with every text whole (compact)."""
        return sum(self.least_widths(True).values()) + self._chrome()

    def fit_columns(self) -> None:
        """Full or compact, whichever fits; each column its least width, the text columns
        share what is left."""
        if self._fitting:
            return
        self._fitting = True
        try:
            room = self.viewport().width()
            full = self.least_widths(False)
            compact = sum(full.values()) > room
            if compact != self.compact:
                self.compact = compact
                current = self.current_step()
                self._fitting = False
                self._fill()
                self.select_step(current)
                return
            widths = full if not compact else self.least_widths(True)
            spare = max(0, room - sum(widths.values()))
            shares = {c: w for c, w in self.STRETCH.items() if c in widths}
            total = sum(shares.values())
            for col, width in widths.items():
                extra = spare * shares.get(col, 0) // total if total else 0
                self.setColumnWidth(col, width + extra)
            # the table keeps the room its words need while it shows; hidden behind the
            # reasons' page it asks for none (the map keeps its place in either language)
            pane = self.parentWidget()
            shown = not isinstance(pane, QStackedWidget) or pane.currentWidget() is self
            self.setMinimumWidth(self.least_width() if shown else 0)
            self.resizeRowsToContents()
        finally:
            self._fitting = False

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self.fit_columns()

    def select_step(self, index: int) -> None:
        self._syncing = True
        try:
            if 0 <= index < self.rowCount():
                self.selectRow(index)
                item = self.item(index, 0)
                if item is not None:
                    self.scrollToItem(item)
            else:
                self.clearSelection()
        finally:
            self._syncing = False

    def current_step(self) -> int:
        rows = self.selectionModel().selectedRows()
        return rows[0].row() if rows else -1

    def _on_selection(self) -> None:
        if not self._syncing and self.current_step() >= 0:
            self.stepActivated.emit(self.current_step())

    def retranslate(self) -> None:
        self.setToolTip(tr("steps.tip"))
        a11y_name(self, tr("tab.steps"))
        current = self.current_step()
        self._fill()
        self.select_step(current)



class StepsPane(RetranslatesOnLanguageChange, QStackedWidget):
    """The steps table while the plan can be carried out; otherwise why there are no steps:
    no condition chosen, or the session is blocked or postponed, with every reason in full
    (the banner above may show only their first lines)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("stepsPane")
        self.table = StepsTable(self)
        self.empty_label = QLabel()
        self.empty_label.setObjectName("stepsEmpty")
        self.empty_label.setTextFormat(Qt.TextFormat.PlainText)
        self.empty_label.setWordWrap(True)
        self.empty_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.empty_label.setMargin(16)
        #: the page shown instead of the table (the label, scrolling when the reasons are long)
        self.empty = QScrollArea(self)
        self.empty.setObjectName("stepsEmptyPage")
        self.empty.setWidgetResizable(True)
        self.empty.setFrameShape(QFrame.Shape.NoFrame)
        self.empty.setWidget(self.empty_label)
        # see-through (setWidget made the label opaque): the pane itself still paints, which
        # the start-up watch (readiness.py) waits for
        self.empty_label.setAutoFillBackground(False)
        self.empty.viewport().setAutoFillBackground(False)
        self.addWidget(self.empty)
        self.addWidget(self.table)
        self._controller: SessionController | None = None
        self.retranslate()

    def bind(self, controller: SessionController) -> None:
        self._controller = controller
        controller.planChanged.connect(lambda _plan: self._show())
        controller.stepChanged.connect(self.table.select_step)
        self.table.stepActivated.connect(controller.request_step)
        self._show()

    def _show(self) -> None:
        c = self._controller
        if c is None:
            return
        playable = c.playable_plan()
        self.table.set_plan(playable, c.library, c.geometry)
        self.table.select_step(c.step())
        self.setCurrentWidget(self.table if playable else self.empty)
        self.table.fit_columns()
        self._empty_text()

    def _empty_text(self) -> None:
        from bodymap.widgets.panels.banner import banner_content

        c = self._controller
        plan = c.plan() if c is not None else None
        if plan is None or c is None:
            self.empty_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
            self.empty_label.setText(tr("steps.empty_none"))
            return
        _kind, title, lines = banner_content(plan, c.library)
        hidden = tr("banner.hidden")
        self.empty_label.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        self.empty_label.setText("\n\n".join(
            [tr("steps.empty_blocked"), title, *(x for x in lines if x != hidden)]))

    def empty_text(self) -> str:
        """What the pane says instead of the steps (empty while the steps show)."""
        return self.empty_label.text() if self.currentWidget() is self.empty else ""

    def retranslate(self) -> None:
        self.table.retranslate()
        self._empty_text()
