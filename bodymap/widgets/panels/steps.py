"""The steps: the plan's steps in a table (the current step selected; choosing a row asks the
session controller to seek there), or, while there is nothing to carry out, why not."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QFrame,
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
    from bodymap.widgets.controller import SessionController


class StepsTable(QTableWidget):
    """The plan's steps; the current step is selected; choosing a row asks to seek there."""

    stepActivated = Signal(int)
    COLUMNS = ("technique", "zones", "direction", "minutes", "intensity")

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(0, len(self.COLUMNS), parent)
        self.setObjectName("stepsTable")
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setWordWrap(True)
        self.setTextElideMode(Qt.TextElideMode.ElideNone)
        self.setAlternatingRowColors(True)
        self.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header = self.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(4, QHeaderView.ResizeMode.ResizeToContents)
        self.itemSelectionChanged.connect(self._on_selection)
        self._plan = None
        self._library = None
        self._geometry = None
        self._syncing = False
        self.retranslate()

    def set_plan(self, plan: Any | None, library: Any, geometry: Any) -> None:
        self._plan, self._library, self._geometry = plan, library, geometry
        self._fill()

    def _fill(self) -> None:
        steps: list[Any] = list(self._plan.steps) if self._plan is not None else []
        self._syncing = True
        try:
            self.clearContents()
            self.setRowCount(len(steps))
            for row, step in enumerate(steps):
                values = (
                    technique_name(self._library, step.technique, step.variant)
                    + (f" ({tr('steps.role.' + step.role)})" if step.role else ""),
                    zones_text(self._geometry, step.zones),
                    direction_name(self._library, step.direction),
                    i18n.number(float(step.minutes)),
                    "●" * step.intensity + "○" * (5 - step.intensity)
                    + "\n" + tr(f"steps.intensity.{step.intensity}"),
                )
                for col, value in enumerate(values):
                    item = QTableWidgetItem(value)
                    item.setToolTip(plain_tip(pick(step.text)))
                    if col >= 3:
                        item.setTextAlignment(Qt.AlignmentFlag.AlignCenter)
                    self.setItem(row, col, item)
        finally:
            self._syncing = False

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
        self.setHorizontalHeaderLabels([tr(f"steps.col.{c}") for c in self.COLUMNS])
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
