"""The steps: the plan's steps in a table (the current step selected; choosing a row asks the
session controller to seek there), or, while there is nothing to carry out, why not."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLabel,
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
        self._plan: Plan | None = None
        self._library: Library | None = None
        self._geometry: BackGeometry | None = None
        self._syncing = False
        self.retranslate()

    def set_plan(self, plan: Plan | None, library: Library | None,
                 geometry: BackGeometry | None) -> None:
        self._plan, self._library, self._geometry = plan, library, geometry
        self._fill()

    def _fill(self) -> None:
        steps: list[Step] = list(self._plan.steps) if self._plan is not None else []
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
    """The steps table while the plan can be carried out; otherwise a line saying why there
    are no steps (no condition chosen, or the session is blocked or postponed)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("stepsPane")
        self.table = StepsTable(self)
        self.empty = QLabel(self)
        self.empty.setObjectName("stepsEmpty")
        self.empty.setTextFormat(Qt.TextFormat.PlainText)
        self.empty.setWordWrap(True)
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty.setMargin(24)
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
        none = self._controller is None or self._controller.plan() is None
        self.empty.setText(tr("steps.empty_none" if none else "steps.empty_blocked"))

    def retranslate(self) -> None:
        self.table.retranslate()
        self._empty_text()
