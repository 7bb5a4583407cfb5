"""The findings as lists: several hernias and a scoliosis of one or two curves, and the
doctor's clearances the profile calls for (a part of the side panel, :mod:`.patient`).

Each list has an editor row under it: choose the values, then **Add**; select an entry and its
values show in the row, where a change edits that entry; **Remove** takes it out. Nothing is
assumed: a hernia's stage and a curve's grade start as "not given" (the plan waits for them).
The widgets emit ``changed``; the panel turns that into the controller's request.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING

from PySide6.QtCore import QSignalBlocker, Qt, Signal
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import (
    QComboBox,
    QGridLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QWidget,
)

from bodymap.findings import (
    CURVE_REGIONS,
    HERNIA_STAGES,
    Hernia,
    Scoliosis,
    grade_roman,
    level_name,
)
from bodymap.i18n import pick, tr
from bodymap.widgets.accessible import name as a11y_name
from bodymap.widgets.panels.common import HERNIA_SIDE_CHOICES

if TYPE_CHECKING:
    from bodymap.gates import Clearance

__all__ = ["ClearanceList", "FindingList"]

_SIDES = ("left", "right")
#: an entry of a list: a hernia, or a scoliosis curve
Finding = Hernia | Scoliosis
_ROLE = Qt.ItemDataRole.UserRole


def hernia_text(h: Hernia) -> str:
    """``L4-L5, patient's left, initial stage`` (the list's line)."""
    stage = tr(f"findings.stages.{h.stage}") if h.stage else tr("findings.stage_not_given")
    return f"{level_name(h.level)}, {tr(f'panel.side.{h.side}')}, {stage}"


def curve_text(c: Scoliosis) -> str:
    """``Convex to the patient's right, thoracic curve, grade II``."""
    grade = (tr("findings.grade_n", grade=grade_roman(c.grade)) if c.grade
             else tr("findings.grade_not_given"))
    return f"{tr(f'findings.convex.{c.convex}')}, {tr(f'findings.regions.{c.region}')}, {grade}"


def _wrapping(view: QListWidget) -> None:
    """A list whose lines wrap to its width instead of scrolling sideways."""
    view.setWordWrap(True)
    view.setTextElideMode(Qt.TextElideMode.ElideNone)
    view.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    view.setResizeMode(QListWidget.ResizeMode.Adjust)


class FindingList(QWidget):
    """A list of hernias or of scoliosis curves, with its editor row (see the module)."""

    changed = Signal()

    def __init__(self, kind: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.kind = kind  # "hernia" | "curve"
        self._loading = False
        self.list = QListWidget(self)
        self.list.setObjectName("herniaList" if kind == "hernia" else "curveList")
        self.list.setMaximumHeight(72)
        _wrapping(self.list)
        self.list.currentRowChanged.connect(self._load_row)
        self.first, self.second, self.third = QComboBox(self), QComboBox(self), QComboBox(self)
        names = (("herniaLevel", "herniaSide", "herniaStage") if kind == "hernia"
                 else ("scoliosisSide", "scoliosisRegion", "scoliosisGrade"))
        for combo, name in zip((self.first, self.second, self.third), names, strict=True):
            combo.setObjectName(name)
        if kind == "hernia":
            self.first.addItem("", None)
            for side in HERNIA_SIDE_CHOICES:
                self.second.addItem("", side)
            for stage in (None, *HERNIA_STAGES):
                self.third.addItem("", stage)
        else:
            for curve_side in (None, *_SIDES):  # None: not given
                self.first.addItem("", curve_side)
            for region in CURVE_REGIONS:
                self.second.addItem("", region)
            for grade in (None, 1, 2, 3, 4):
                self.third.addItem("", grade)
        self.add_button, self.remove_button = QPushButton(self), QPushButton(self)
        self.add_button.setObjectName(f"{kind}Add")
        self.remove_button.setObjectName(f"{kind}Remove")
        self.add_button.clicked.connect(self.add_from_row)
        for combo in (self.first, self.second, self.third):
            combo.currentIndexChanged.connect(self._edit_current)
        self.remove_button.clicked.connect(self.remove_current)
        self.labels = [QLabel(self) for _ in range(3)]
        grid = QGridLayout(self)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.addWidget(self.list, 0, 0, 1, 2)
        for row, (label, combo) in enumerate(zip(self.labels, (self.first, self.second,
                                                               self.third), strict=True), 1):
            label.setBuddy(combo)
            grid.addWidget(label, row, 0)
            grid.addWidget(combo, row, 1)
        grid.addWidget(self.add_button, 4, 0)
        grid.addWidget(self.remove_button, 4, 1)
        self._update_buttons()

    # values ------------------------------------------------------------------------------------
    def set_levels(self, levels: Iterable[str]) -> None:
        """The disc levels a hernia may be at (the drawing's)."""
        with QSignalBlocker(self.first):
            self.first.clear()
            self.first.addItem("", None)
            for level in levels:
                self.first.addItem(level_name(level), level)

    def values(self) -> tuple[Finding, ...]:
        """The entries: :class:`Hernia` or :class:`Scoliosis` objects, in the list's order."""
        return tuple(self.list.item(i).data(_ROLE) for i in range(self.list.count()))

    def set_values(self, values: Iterable[Finding]) -> None:
        """Show these entries (quietly: no ``changed``). An entry that was not there before
        (a hernia marked on the map) is selected, so that its stage can be given at once."""
        self._loading = True
        try:
            before, current = self.values(), self.list.currentRow()
            self.list.clear()
            for v in values:
                self._append(v)
            new = [i for i, v in enumerate(self.values()) if v not in before]
            if new:
                current = new[-1]
            if 0 <= current < self.list.count():
                self.list.setCurrentRow(current)
                self._show_row(self.list.currentItem().data(_ROLE))
            else:
                self._show_row(None)
        finally:
            self._loading = False
        self._update_buttons()

    def add(self, value: Finding) -> None:
        """Add an entry (or select the same site/region already listed) and say so."""
        same = self._find(value)
        if same < 0:
            self._append(value)
            same = self.list.count() - 1
        self.list.setCurrentRow(same)
        self._update_buttons()
        self.changed.emit()

    def remove(self, row: int) -> None:
        if 0 <= row < self.list.count():
            self.list.takeItem(row)
            self._update_buttons()
            self.changed.emit()

    # the editor row ----------------------------------------------------------------------------
    def _row_value(self) -> Finding | None:
        a, b, c = self.first.currentData(), self.second.currentData(), self.third.currentData()
        if a is None:
            return None
        return Hernia(a, b, c) if self.kind == "hernia" else Scoliosis(a, c, b)

    def _show_row(self, value: Finding | None) -> None:
        blockers = [QSignalBlocker(w) for w in (self.first, self.second, self.third)]
        if value is None:
            self.first.setCurrentIndex(0)
            self.second.setCurrentIndex(0)
            self.third.setCurrentIndex(0)
        elif isinstance(value, Hernia):  # the hernia list's entries
            self.first.setCurrentIndex(max(self.first.findData(value.level), 0))
            self.second.setCurrentIndex(max(self.second.findData(value.side), 0))
            self.third.setCurrentIndex(max(self.third.findData(value.stage), 0))
        else:
            self.first.setCurrentIndex(max(self.first.findData(value.convex), 0))
            self.second.setCurrentIndex(max(self.second.findData(value.region), 0))
            self.third.setCurrentIndex(max(self.third.findData(value.grade), 0))
        del blockers

    def add_from_row(self) -> None:
        value = self._row_value()
        if value is not None:
            self.add(value)

    def remove_current(self) -> None:
        self.remove(self.list.currentRow())

    def _load_row(self, row: int) -> None:
        item = self.list.item(row) if row >= 0 else None
        self._show_row(item.data(_ROLE) if item is not None else None)
        self._update_buttons()

    def _edit_current(self, *_args: object) -> None:
        """A change in the row edits the selected entry (nothing selected: wait for Add)."""
        self._update_buttons()
        item = self.list.currentItem()
        value = self._row_value()
        if self._loading or item is None or value is None or item.data(_ROLE) == value:
            return
        item.setData(_ROLE, value)
        item.setText(self._text(value))
        self.changed.emit()

    def _update_buttons(self) -> None:
        self.add_button.setEnabled(self._row_value() is not None)
        self.remove_button.setEnabled(self.list.currentItem() is not None)

    # items -------------------------------------------------------------------------------------
    def _text(self, value: Finding) -> str:
        return hernia_text(value) if isinstance(value, Hernia) else curve_text(value)

    def _append(self, value: Finding) -> None:
        item = QListWidgetItem(self._text(value), self.list)
        item.setData(_ROLE, value)

    def _find(self, value: Finding) -> int:
        for i, v in enumerate(self.values()):
            if _same_place(v, value):
                return i
        return -1

    def retranslate(self) -> None:
        for i, v in enumerate(self.values()):
            self.list.item(i).setText(self._text(v))
        if self.kind == "hernia":
            keys = ("panel.hernia", "panel.hernia_side", "findings.stage_label")
            for i in range(1, self.first.count()):  # Th6-Th7 in Russian
                self.first.setItemText(i, level_name(str(self.first.itemData(i))))
            for i, side in enumerate(HERNIA_SIDE_CHOICES):
                self.second.setItemText(i, tr(f"panel.side.{side}"))
            for i, stage in enumerate((None, *HERNIA_STAGES)):
                self.third.setItemText(i, tr(f"findings.stages.{stage}") if stage
                                       else tr("findings.stage_not_given"))
            self.list.setToolTip(tr("findings.hernias_tip"))
            self.third.setToolTip(tr("findings.stage_tip"))
        else:
            keys = ("panel.scoliosis", "findings.region_label", "panel.grade")
            for i, key in enumerate(("convex.left", "convex.right"), 1):
                self.first.setItemText(i, tr(f"panel.{key}"))
            for i, region in enumerate(CURVE_REGIONS):
                self.second.setItemText(i, tr(f"findings.regions.{region}"))
            for i, grade in enumerate((None, 1, 2, 3, 4)):
                self.third.setItemText(i, tr("findings.grade_n", grade=grade_roman(grade))
                                       if grade else tr("findings.grade_not_given"))
            self.list.setToolTip(tr("findings.curves_tip"))
            self.third.setToolTip(tr("findings.grade_tip"))
        for label, key in zip(self.labels, keys, strict=True):
            label.setText(tr(key))
        self.add_button.setText(tr("findings.add"))
        self.remove_button.setText(tr("findings.remove"))
        a11y_name(self.list, tr("findings.hernias" if self.kind == "hernia" else "findings.curves"))


def _same_place(a: Finding, b: Finding) -> bool:
    """The same hernia site (level and side), or the same curve region: one entry each."""
    if isinstance(a, Hernia) and isinstance(b, Hernia):
        return a.key == b.key
    if isinstance(a, Scoliosis) and isinstance(b, Scoliosis):
        return a.region == b.region
    return False


class ClearanceList(QListWidget):
    """The doctor's clearances the profile calls for, each a question ticked when given."""

    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("clearanceList")
        _wrapping(self)
        self._texts: dict[str, Mapping[str, str]] = {}
        self.itemChanged.connect(lambda _item: self.changed.emit())

    def show_needed(self, needed: Iterable[Clearance], cleared: Iterable[str]) -> None:
        """``needed``: :class:`bodymap.gates.Clearance` items; ``cleared``: ids ticked."""
        done = set(cleared)
        with QSignalBlocker(self):
            self.clear()
            for c in needed:
                item = QListWidgetItem(pick(c.question), self)
                item.setData(_ROLE, c.id)
                item.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsUserCheckable)
                item.setCheckState(Qt.CheckState.Checked if c.id in done
                                   else Qt.CheckState.Unchecked)
                self._texts[c.id] = c.question
        self.setVisible(self.count() > 0)
        self._fit()

    def _fit(self) -> None:
        """As tall as its (wrapped) questions: the panel scrolls, this list never does."""
        self.doItemsLayout()
        rows = sum(self.visualItemRect(self.item(i)).height() for i in range(self.count()))
        self.setFixedHeight(rows + 2 * self.frameWidth() + 4 if self.count() else 0)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        if self.count():
            self._fit()

    def cleared(self) -> tuple[str, ...]:
        return tuple(sorted(
            self.item(i).data(_ROLE) for i in range(self.count())
            if self.item(i).checkState() == Qt.CheckState.Checked))

    def retranslate(self) -> None:
        with QSignalBlocker(self):
            for i in range(self.count()):
                item = self.item(i)
                item.setText(pick(self._texts[item.data(_ROLE)]))
        self.setToolTip(tr("findings.clearance_tip"))
        a11y_name(self, tr("findings.clearances"))
