"""The patient list, the therapist's home: search by name, each patient's last and next visit,
open one (Enter or a double click) to record today's visit; a new patient from the plan on
screen; and where the records are (:class:`DatabaseDialog`: the default SQLite file, another
file or a ``postgresql://`` URL, remembered)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QDate, Qt
from PySide6.QtGui import QKeyEvent, QShowEvent
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QToolButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from bodymap.i18n import tr
from bodymap.widgets.accessible import RetranslatesOnLanguageChange
from bodymap.widgets.accessible import name as a11y_name
from bodymap.widgets.panels.common import plain_label

if TYPE_CHECKING:
    from bodymap.records.model import PatientSummary
    from bodymap.widgets.records.controller import RecordsController

__all__ = ["DatabaseDialog", "PatientsPane"]

ID_ROLE = Qt.ItemDataRole.UserRole


class PatientTree(QTreeWidget):
    """The list itself: Enter opens the current patient (as a double click does)."""

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self.currentItem():
            self.itemActivated.emit(self.currentItem(), 0)
            return
        super().keyPressEvent(event)


class PatientsPane(RetranslatesOnLanguageChange, QWidget):
    """Search, the list (name and conditions, last visit, next visit), open, add."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("patientsPane")
        self._rc: RecordsController | None = None
        self._stale = True
        self._refreshing = False
        self.where = plain_label("", self)
        self.where.setObjectName("recordsWhere")
        self.database_button = QPushButton(self)
        self.database_button.setObjectName("recordsDatabaseButton")
        self.search = QLineEdit(self)
        self.search.setObjectName("patientSearch")
        self.search.setClearButtonEnabled(True)
        self.search.textChanged.connect(lambda _t: self.refresh())
        self.search.returnPressed.connect(self._open_first)
        self.tree = PatientTree(self)
        self.tree.setObjectName("patientList")
        self.tree.setRootIsDecorated(False)
        self.tree.setAlternatingRowColors(True)
        self.tree.setColumnCount(3)
        self.tree.setWordWrap(False)
        header = self.tree.header()
        header.setStretchLastSection(False)
        # the patient (their conditions on a second line, elided) takes what the dates leave
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for column in (1, 2):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        self.tree.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.tree.itemActivated.connect(lambda item, _c: self._open(item))
        self.open_button = QPushButton(self)
        self.open_button.setObjectName("openPatientButton")
        self.open_button.clicked.connect(lambda: self._open(self.tree.currentItem()))
        self.count = plain_label("", self, wrap=False)
        # a new patient: name (or initials), year of birth, the conditions of the plan shown
        self.new_name = QLineEdit(self)
        self.new_name.setObjectName("newPatientName")
        self.new_year = QSpinBox(self)
        self.new_year.setObjectName("newPatientYear")
        self.new_year.setRange(1899, QDate.currentDate().year())
        self.new_year.setValue(1899)
        self.new_year.setSpecialValueText("—")
        self.add_button = QPushButton(self)
        self.add_button.setObjectName("addPatientButton")
        self.add_button.clicked.connect(self._add)
        self.new_name.returnPressed.connect(self._add)
        self.new_hint = plain_label("", self)

        top = QHBoxLayout()
        top.addWidget(self.where, 1)
        top.addWidget(self.database_button)
        row = QHBoxLayout()
        row.addWidget(self.count, 1)
        row.addWidget(self.open_button)
        new = QHBoxLayout()
        new.addWidget(self.new_name, 1)
        new.addWidget(self.new_year)
        new.addWidget(self.add_button)
        box = QVBoxLayout(self)
        box.setContentsMargins(6, 6, 6, 6)
        box.addLayout(top)
        box.addWidget(self.search)
        box.addWidget(self.tree, 1)
        box.addLayout(row)
        self.new_title = plain_label("", self)
        self.new_title.setStyleSheet("font-weight: bold;")
        box.addWidget(self.new_title)
        box.addLayout(new)
        box.addWidget(self.new_hint)
        self.retranslate()

    def bind(self, rc: RecordsController) -> None:
        self._rc = rc
        rc.patientsChanged.connect(self._changed)
        rc.opened.connect(lambda _where: self._changed())
        rc.patientChanged.connect(lambda _p: self._mark_open())
        self._changed()

    # the list -----------------------------------------------------------------------------------
    def _changed(self) -> None:
        self._stale = True
        if self.isVisible():
            self.refresh()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self._stale:
            self.refresh()

    def refresh(self) -> None:
        """The list again, as the records and the search say (opens the records if needed)."""
        rc = self._rc
        if rc is None or self._refreshing:
            return
        self._stale = False
        self._refreshing = True  # opening the records announces them: one list, not two
        try:
            found = rc.patients(self.search.text())
        finally:
            self._refreshing = False
        self.where.setText(tr("records.where", where=rc.describe())
                           + (" " + tr("records.read_only") if rc.read_only() else ""))
        self.where.setToolTip(rc.describe())
        self.tree.clear()
        items = [self._item(p) for p in found]
        self.tree.addTopLevelItems(items)
        if items:
            self.tree.setCurrentItem(items[0])
        self.count.setText(tr("records.count", n=len(found)))
        self.open_button.setEnabled(bool(items))
        self._mark_open()

    def _item(self, p: PatientSummary) -> QTreeWidgetItem:
        from bodymap.records.today import next_session
        from bodymap.widgets.dates import format_date

        rc = self._rc
        assert rc is not None
        name = p.name + (f" ({p.birth_year})" if p.birth_year else "")
        last = format_date(p.last_visit.local.date()) if p.last_visit else tr("records.never")
        total = rc.course_sessions(p.conditions)
        number = next_session(p, total)
        nxt = (tr("records.next", session=number, total=total or "?") if number is not None
               else tr("records.course_done"))
        conditions = rc.condition_names(p.conditions)
        item = QTreeWidgetItem([f"{name}\n{conditions}", last, nxt])
        item.setData(0, ID_ROLE, p.id)
        item.setToolTip(0, f"{name}\n{conditions}")
        return item

    def _mark_open(self) -> None:
        rc = self._rc
        patient = rc.patient() if rc is not None else None
        for i in range(self.tree.topLevelItemCount()):
            item = self.tree.topLevelItem(i)
            if item is None:
                continue
            font = item.font(0)
            font.setBold(patient is not None and item.data(0, ID_ROLE) == patient.id)
            item.setFont(0, font)

    def _open(self, item: QTreeWidgetItem | None) -> None:
        if item is not None and self._rc is not None:
            self._rc.request_open_patient(int(item.data(0, ID_ROLE)))

    def _open_first(self) -> None:
        self._open(self.tree.currentItem())

    def _add(self) -> None:
        rc = self._rc
        if rc is None:
            return
        year = self.new_year.value()
        if rc.request_add_patient(self.new_name.text(), None if year < 1900 else year):
            self.new_name.clear()
            self.new_year.setValue(1899)

    def retranslate(self) -> None:
        a11y_name(self.tree, tr("records.tab.patients"))
        for clear in self.search.findChildren(QToolButton):  # the line's clear button
            a11y_name(clear, tr("records.clear_search"))
        self.search.setPlaceholderText(tr("records.search"))
        a11y_name(self.search, tr("records.search"))
        self.tree.setHeaderLabels([tr(f"records.col.{c}") for c in ("name", "last", "next")])
        self.open_button.setText(tr("records.open"))
        self.open_button.setToolTip(tr("records.open_tip"))
        self.database_button.setText(tr("records.database"))
        self.database_button.setToolTip(tr("records.database_tip"))
        self.new_title.setText(tr("records.new_title"))
        self.new_name.setPlaceholderText(tr("records.new_name"))
        a11y_name(self.new_name, tr("records.new_name"))
        self.new_year.setToolTip(tr("records.new_year"))
        a11y_name(self.new_year, tr("records.new_year"))
        self.add_button.setText(tr("records.add"))
        self.add_button.setToolTip(tr("records.add_tip"))
        self.new_hint.setText(tr("records.add_hint"))
        if self._rc is not None and not self._stale:
            self.refresh()


class DatabaseDialog(QDialog):
    """Where the records are: a SQLite file (the default one, or another) or a PostgreSQL
    server's URL. OK opens them; if they cannot be opened, the records in use stay."""

    def __init__(self, rc: RecordsController, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("recordsDatabaseDialog")
        self.rc = rc
        self.setWindowTitle(tr("records.database_title"))
        self.text = QLabel(tr("records.database_text"), self)
        self.text.setWordWrap(True)
        self.text.setTextFormat(Qt.TextFormat.PlainText)
        self.edit = QLineEdit(rc.database(), self)
        self.edit.setObjectName("recordsDatabaseEdit")
        self.edit.setPlaceholderText(self.default_text())
        self.edit.setToolTip(tr("records.database_edit_tip"))
        a11y_name(self.edit, tr("records.database_title"))
        self.browse = QPushButton(tr("records.browse"), self)
        self.browse.clicked.connect(self._browse)
        self.default = QPushButton(tr("records.use_default"), self)
        self.default.setToolTip(self.default_text())
        self.default.clicked.connect(self.edit.clear)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                   | QDialogButtonBox.StandardButton.Cancel, self)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        row = QHBoxLayout()
        row.addWidget(self.edit, 1)
        row.addWidget(self.browse)
        row.addWidget(self.default)
        box = QVBoxLayout(self)
        box.addWidget(self.text)
        box.addLayout(row)
        box.addWidget(buttons)
        self.resize(640, self.sizeHint().height())

    def default_text(self) -> str:
        from bodymap.records.database import default_path

        return tr("records.default_db", path=str(default_path()))

    def _browse(self) -> None:
        path, _filter = QFileDialog.getSaveFileName(
            self, tr("records.database_title"), self.edit.text() or "",
            "SQLite (*.sqlite *.db);;*", options=QFileDialog.Option.DontConfirmOverwrite)
        if path:
            self.edit.setText(path)

    def accept(self) -> None:
        if self.rc.set_database(self.edit.text()):
            super().accept()
