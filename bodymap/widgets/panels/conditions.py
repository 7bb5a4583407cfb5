"""The condition picker: the lead condition, the further ones, and the session number.

The lead condition (the combo box) gives the session's structure and course; every further
condition (the "Also" list, filled from "Add another condition…" and emptied with "Remove")
adds its emphasis where time allows and all its restrictions (issue #9's combining rule, in the
planner). Choosing another lead never drops a condition: the one that led joins "Also" (the
patient still has it; only "Remove" takes a condition away). The picker only shows and edits
the list; it emits ``changed`` and plans nothing.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QSignalBlocker, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QFont, QStandardItem, QStandardItemModel
from PySide6.QtWidgets import (
    QComboBox,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from bodymap.i18n import pick, tr
from bodymap.vocabulary import ZONES, zone_name
from bodymap.widgets.accessible import name as a11y_name
from bodymap.widgets.panels.common import _text, plain_label
from bodymap.widgets.plaintext import plain_tip

if TYPE_CHECKING:
    from bodymap.geometry import BackGeometry
    from bodymap.library import Library
    from bodymap.schema import Condition

_ID = Qt.ItemDataRole.UserRole


class ConditionPicker(QGroupBox):
    """Lead condition, further conditions and session; ``changed`` after every edit."""

    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.library: Library | None = None
        # not ``self.geometry``: that would hide QWidget.geometry()
        self.back_geometry: BackGeometry | None = None
        self._further: list[str] = []
        self._lead: str | None = None  # the lead shown before the combo box changed
        self.condition_combo = self._grouped_combo("conditionCombo")
        self.condition_combo.currentIndexChanged.connect(self._on_lead)
        self.summary = plain_label("", self)
        self.summary.setObjectName("conditionSummary")
        self.also_label = QLabel(self)
        self.further_list = QListWidget(self)
        self.further_list.setObjectName("furtherConditions")
        self.further_list.itemSelectionChanged.connect(self._update_buttons)
        self.add_combo = self._grouped_combo("addConditionCombo")
        self.add_combo.activated.connect(self._on_add)
        self.remove_button = QPushButton(self)
        self.remove_button.setObjectName("removeCondition")
        self.remove_button.clicked.connect(self.remove_selected)
        self.session_label = QLabel(self)
        self.session_spin = QSpinBox(self)
        self.session_spin.setObjectName("sessionSpin")
        self.session_spin.setRange(1, 1)
        self.session_spin.valueChanged.connect(self.changed)
        self.session_label.setBuddy(self.session_spin)

        layout = QVBoxLayout(self)
        layout.addWidget(self.condition_combo)
        layout.addWidget(self.summary)
        layout.addWidget(self.also_label)
        layout.addWidget(self.further_list)
        add_row = QHBoxLayout()
        add_row.addWidget(self.add_combo, 1)
        add_row.addWidget(self.remove_button)
        layout.addLayout(add_row)
        session_row = QHBoxLayout()
        session_row.addWidget(self.session_label)
        session_row.addWidget(self.session_spin, 1)
        layout.addLayout(session_row)
        self._show_further()

    def _grouped_combo(self, name: str) -> QComboBox:
        combo = QComboBox(self)
        combo.setObjectName(name)
        combo.setModel(QStandardItemModel(combo))
        combo.setMaxVisibleItems(20)
        # long condition names must not widen the side panel: the popup shows them in full
        combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        combo.setMinimumContentsLength(12)
        return combo

    # data ------------------------------------------------------------------------------------
    def set_library(self, library: Library, geometry: BackGeometry | None) -> None:
        self.library, self.back_geometry = library, geometry
        self._further = [c for c in self._further if c in library.conditions]
        self._fill()

    def conditions(self) -> tuple[str, ...]:
        """(lead, *further), or () while no lead condition is chosen."""
        lead = self.condition()
        return () if lead is None else (lead, *self._further)

    def condition(self) -> str | None:
        data = self.condition_combo.currentData(_ID)
        return data if isinstance(data, str) else None

    def set_conditions(self, conditions: tuple[str, ...]) -> bool:
        """Show ``conditions`` (lead first) without emitting; False if one is unknown."""
        if conditions and self._index_of(conditions[0]) < 0:
            return False
        if self.library is not None and not set(conditions) <= set(self.library.conditions):
            return False
        with QSignalBlocker(self.condition_combo):
            self.condition_combo.setCurrentIndex(self._index_of(conditions[0])
                                                 if conditions else -1)
        self._lead = conditions[0] if conditions else None
        self._further = list(conditions[1:])
        self._update_details()
        self._show_further()
        return True

    def add_condition(self, cid: str) -> None:
        """Add a further condition (ignored if it is already chosen or unknown)."""
        if cid in self.conditions() or self.library is None or cid not in self.library.conditions:
            return
        self._further.append(cid)
        self._show_further()
        self.changed.emit()

    def remove_selected(self) -> None:
        """Remove the selected further condition (the last one added, unless another is
        selected)."""
        row = self.further_list.currentRow()
        if 0 <= row < len(self._further):
            del self._further[row]
            self._show_further()
            self.changed.emit()

    def _on_lead(self, _index: int) -> None:
        lead, old = self.condition(), self._lead
        if lead in self._further:
            self._further.remove(lead)  # a condition is either the lead or a further one
        if old is not None and old != lead and old not in self._further:
            self._further.insert(0, old)  # the patient still has it: it stays, under "Also"
        self._lead = lead
        self._update_details()
        self._show_further()
        self.changed.emit()

    def _on_add(self, index: int) -> None:
        cid = self.add_combo.itemData(index, _ID)
        with QSignalBlocker(self.add_combo):
            self.add_combo.setCurrentIndex(-1)
        if isinstance(cid, str):
            self.add_condition(cid)

    # showing ---------------------------------------------------------------------------------
    def _fill(self) -> None:
        """Both combos: the conditions grouped by the zone they emphasise, names sorted."""
        lead = self.condition()
        for combo in (self.condition_combo, self.add_combo):
            model = combo.model()
            assert isinstance(model, QStandardItemModel)  # made so in _grouped_combo
            with QSignalBlocker(combo):
                self._fill_combo(model)
        with QSignalBlocker(self.condition_combo):
            self.condition_combo.setCurrentIndex(self._index_of(lead))
        with QSignalBlocker(self.add_combo):
            self.add_combo.setCurrentIndex(-1)
        self._update_details()
        self._show_further()

    def _fill_combo(self, model: QStandardItemModel) -> None:
        model.clear()
        library = self.library
        if library is None:  # nothing to list before set_library
            return
        groups: dict[tuple[int, str], list[tuple[str, str]]] = {}
        for cid, cond in library.conditions.items():
            groups.setdefault(self._group_of(cond), []).append((pick(_text(cond.name)), cid))
        bold = QFont()
        bold.setBold(True)
        for (_, title), items in sorted(groups.items()):
            header = QStandardItem(title)
            header.setFlags(Qt.ItemFlag.NoItemFlags)
            header.setFont(bold)
            header.setBackground(QBrush(QColor("#e3e8ef")))
            header.setForeground(QBrush(QColor("#37474f")))
            model.appendRow(header)
            for name, cid in sorted(items, key=lambda x: x[0].casefold()):
                item = QStandardItem(name)
                item.setData(cid, _ID)
                item.setToolTip(plain_tip(pick(_text(library.conditions[cid].summary))))
                model.appendRow(item)

    def _group_of(self, cond: Condition) -> tuple[int, str]:
        if not cond.zones_from_source:
            return (9, tr("panel.group.general"))
        emphasis = list(cond.emphasis)
        if not emphasis or set(ZONES) <= set(emphasis) or cond.needs is not None:
            if cond.needs is not None:
                return (5, tr("panel.group.spine"))
            return (6, tr("panel.group.whole"))
        # grouped by every zone it emphasises, as the plan (and the study drill) names them:
        # bronchitis is interscapular *and* thoracic, not interscapular alone
        zones = [z for z in ZONES if z in emphasis]
        names = ", ".join(zone_name(self.back_geometry, z) for z in zones)
        return (ZONES.index(zones[0]), tr("panel.group.zone", zone=names))

    def _index_of(self, condition: str | None) -> int:
        if condition is None:
            return -1
        return self.condition_combo.findData(condition, _ID)

    def _name(self, cid: str) -> str:
        cond = self.library.conditions.get(cid) if self.library is not None else None
        return pick(_text(cond.name)) if cond is not None else cid

    def _show_further(self) -> None:
        """The "Also" list, and which conditions may still be added."""
        with QSignalBlocker(self.further_list):
            self.further_list.clear()
            for cid in self._further:
                item = QListWidgetItem(self._name(cid), self.further_list)
                item.setData(_ID, cid)
            self.further_list.setCurrentRow(len(self._further) - 1)  # Remove takes the last
        rows = max(1, len(self._further))
        self.further_list.setFixedHeight(self.further_list.sizeHintForRow(0) * rows + 8
                                         if self._further else 0)
        self.further_list.setVisible(bool(self._further))
        chosen = set(self.conditions())
        model = self.add_combo.model()
        if isinstance(model, QStandardItemModel):
            for row in range(model.rowCount()):
                entry = model.item(row)
                cid = entry.data(_ID)
                if isinstance(cid, str):
                    entry.setEnabled(cid not in chosen)
        self.add_combo.setEnabled(self.condition() is not None)
        self._update_buttons()

    def _update_buttons(self) -> None:
        self.remove_button.setEnabled(bool(self._further))

    def _update_details(self) -> None:
        cid = self.condition()
        cond = self.library.conditions.get(cid) if (self.library and cid) else None
        with QSignalBlocker(self.session_spin):
            if cond is None:
                self.summary.setText(tr("panel.no_condition") if self.library else "")
                self.session_spin.setRange(1, 1)
            else:
                self.summary.setText(pick(_text(cond.summary)))
                self.session_spin.setRange(1, cond.course.sessions)
            self.session_spin.setSuffix(tr("panel.session_of", total=self.session_spin.maximum()))
        self.session_spin.setEnabled(cond is not None)

    def retranslate(self) -> None:
        self.setTitle(tr("panel.condition"))
        self.condition_combo.setPlaceholderText(tr("panel.choose_condition"))
        self.condition_combo.setToolTip(tr("panel.condition_tip"))
        self.also_label.setText(tr("panel.also"))
        self.also_label.setToolTip(tr("panel.also_tip"))
        self.further_list.setToolTip(tr("panel.also_tip"))
        self.add_combo.setPlaceholderText(tr("panel.add_condition"))
        self.add_combo.setToolTip(tr("panel.add_condition_tip"))
        self.remove_button.setText(tr("panel.remove_condition"))
        self.remove_button.setToolTip(tr("panel.remove_condition_tip"))
        self.session_label.setText(tr("panel.session"))
        self.session_spin.setToolTip(tr("panel.session_tip"))
        a11y_name(self.condition_combo, tr("panel.condition"))
        a11y_name(self.add_combo, tr("panel.add_condition"))
        a11y_name(self.further_list, tr("a11y.further"))
        a11y_name(self.session_spin, tr("panel.session"))
        if self.library is not None:
            self._fill()


__all__ = ["ConditionPicker"]
