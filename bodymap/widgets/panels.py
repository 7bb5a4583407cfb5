"""The side panel (condition and patient), the status banner, the steps table and plan notes.

Every text that comes from a file (protocols, plan documents) is shown as plain text: labels
use ``Qt.PlainText``, editors ``setPlainText``/``setText`` on plain-text widgets, and the one
rich-text view (:class:`PlanNotes`) escapes every data string with :func:`html.escape`.

The panel holds the patient's answers; it never plans. It emits :attr:`PatientPanel.changed`
and the main window re-plans (widgets subscribe, models never call widgets).
"""

from __future__ import annotations

import html
from collections.abc import Callable, Mapping
from typing import Any

from PySide6.QtCore import QSignalBlocker, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QFont, QStandardItem, QStandardItemModel
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFormLayout,
    QFrame,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QTextBrowser,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from bodymap.i18n import language, pick, tr

ZONES = ("collar", "interscapular", "thoracic", "lumbosacral")
HALVES = tuple(f"{z}-{s}" for z in ZONES for s in ("left", "right"))
HERNIA_SIDES = ("left", "right", "central")
# How a contraindication changes the plan, most serious first; colours for the row marker.
ACTION_COLORS = {
    "refer": "#b00020",
    "block": "#d32f2f",
    "postpone": "#ef8a00",
    "limit": "#b8860b",
    "exclude-area": "#5e7fa8",
}


def plain_label(text: str = "", parent: QWidget | None = None, *, wrap: bool = True) -> QLabel:
    label = QLabel(parent)
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setWordWrap(wrap)
    label.setText(text)
    return label


def zone_name(geometry: Any, zone: str) -> str:
    region = getattr(geometry, "regions", {}).get(zone) if geometry is not None else None
    names = getattr(region, "names", None)
    return pick(names) if names else zone


def zones_text(geometry: Any, zones: tuple[str, ...] | list[str]) -> str:
    """Zone names, short: "Whole back", "Whole back, left half" (see planner.zones_label)."""
    from bodymap.planner import zones_label

    return zones_label(geometry, zones, language())


def technique_name(library: Any, technique: str, variant: str | None = None) -> str:
    tech = library.techniques.get(technique) if library is not None else None
    if tech is None:
        return technique
    v = tech.variant(variant) if variant else None
    return pick(_text(v.name if v is not None else tech.name))


def direction_name(library: Any, direction: str) -> str:
    d = library.directions.get(direction) if library is not None else None
    return pick(_text(d.name)) if d is not None else direction


def _text(t: Any) -> Mapping[str, str]:
    """A protocol ``Text`` model (``.en``/``.ru``) or a plain mapping, as a mapping."""
    if isinstance(t, Mapping):
        return t
    return {"en": getattr(t, "en", ""), "ru": getattr(t, "ru", "")}


# ---------------------------------------------------------------------------------------------
# Screening checklist


class _Question(QWidget):
    """One contraindication question, answered yes / no, or not yet (the default)."""

    answerChanged = Signal()

    def __init__(self, contra: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.contra = contra
        self.marker = QFrame(self)
        self.marker.setFixedWidth(4)
        color = ACTION_COLORS.get(contra.action, "#888")
        self.marker.setStyleSheet(f"background: {color}; border-radius: 2px;")
        self.label = plain_label("", self)
        self.label.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        self.yes = QToolButton(self)
        self.no = QToolButton(self)
        for button, name in ((self.yes, "yes"), (self.no, "no")):
            button.setCheckable(True)
            button.setObjectName(f"answer-{name}")
            button.setAutoRaise(False)
            button.setMinimumWidth(44)
            button.clicked.connect(lambda checked, b=button: self._clicked(b, checked))
        self.yes.setStyleSheet("QToolButton:checked { background: #f4c7c3; font-weight: bold; }")
        self.no.setStyleSheet("QToolButton:checked { background: #c8e6c9; font-weight: bold; }")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 2, 0, 2)
        layout.addWidget(self.marker)
        layout.addWidget(self.label, 1)
        layout.addWidget(self.yes, 0, Qt.AlignmentFlag.AlignTop)
        layout.addWidget(self.no, 0, Qt.AlignmentFlag.AlignTop)
        self.retranslate()

    def answer(self) -> bool | None:
        if self.yes.isChecked():
            return True
        if self.no.isChecked():
            return False
        return None

    def set_answer(self, answer: bool | None) -> None:
        self.yes.setChecked(answer is True)
        self.no.setChecked(answer is False)
        self._restyle()

    def _clicked(self, button: QToolButton, checked: bool) -> None:
        other = self.no if button is self.yes else self.yes
        if checked:
            other.setChecked(False)
        self._restyle()
        self.answerChanged.emit()

    def _restyle(self) -> None:
        unanswered = self.answer() is None
        font = self.label.font()
        font.setItalic(unanswered)
        self.label.setFont(font)

    def retranslate(self) -> None:
        c = self.contra
        self.label.setText(pick(_text(c.question)))
        self.yes.setText(tr("panel.yes"))
        self.no.setText(tr("panel.no"))
        tip = "\n".join(
            [
                tr(f"panel.action.{c.action}"),
                pick(_text(c.explanation)),
                tr("panel.sources", sources="; ".join(s.cite() for s in c.sources)),
            ]
        )
        for widget in (self, self.label, self.yes, self.no):
            widget.setToolTip(tip)
        self.yes.setToolTip(tr("panel.yes_tip") + "\n\n" + tip)
        self.no.setToolTip(tr("panel.no_tip") + "\n\n" + tip)


class ScreeningChecklist(QWidget):
    """Every contraindication as a yes / no question; unanswered until the therapist asks."""

    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.questions: dict[str, _Question] = {}
        self._layout = QVBoxLayout(self)
        self._layout.setContentsMargins(0, 0, 0, 0)
        self._layout.setSpacing(0)

    def set_contraindications(self, contras: list[Any]) -> None:
        for q in self.questions.values():
            q.deleteLater()
        self.questions = {}
        for c in contras:
            q = _Question(c, self)
            q.answerChanged.connect(self.changed)
            self._layout.addWidget(q)
            self.questions[c.id] = q

    def answers(self) -> dict[str, bool | None]:
        return {cid: q.answer() for cid, q in self.questions.items()}

    def unanswered(self) -> list[str]:
        return [cid for cid, a in self.answers().items() if a is None]

    def set_answers(self, present: set[str], answered: set[str] | None) -> None:
        """``answered=None``: every question was answered (yes if present, else no)."""
        for cid, q in self.questions.items():
            if cid in present:
                q.set_answer(True)
            elif answered is None or cid in answered:
                q.set_answer(False)
            else:
                q.set_answer(None)

    def mark_unanswered_no(self) -> int:
        count = 0
        for q in self.questions.values():
            if q.answer() is None:
                q.set_answer(False)
                count += 1
        return count

    def retranslate(self) -> None:
        for q in self.questions.values():
            q.retranslate()


# ---------------------------------------------------------------------------------------------
# The side panel


class PatientPanel(QScrollArea):
    """Condition, screening, findings, session, patient record. Emits ``changed``."""

    changed = Signal()

    def __init__(self, ask: Callable[..., str] | None = None, parent: QWidget | None = None):
        super().__init__(parent)
        self._ask = ask
        self.library = None
        self.geometry = None
        self._loading = False
        self.setWidgetResizable(True)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        body = QWidget(self)
        self.setWidget(body)
        layout = QVBoxLayout(body)
        layout.setContentsMargins(6, 6, 6, 6)

        # condition
        self.condition_box = QGroupBox(body)
        form = QVBoxLayout(self.condition_box)
        self.condition_combo = QComboBox(self.condition_box)
        self.condition_combo.setObjectName("conditionCombo")
        self.condition_combo.setModel(QStandardItemModel(self.condition_combo))
        self.condition_combo.setMaxVisibleItems(20)
        self.condition_combo.currentIndexChanged.connect(self._on_condition)
        self.summary = plain_label("", self.condition_box)
        self.summary.setObjectName("conditionSummary")
        form.addWidget(self.condition_combo)
        form.addWidget(self.summary)
        session_row = QHBoxLayout()
        self.session_label = QLabel(self.condition_box)
        self.session_spin = QSpinBox(self.condition_box)
        self.session_spin.setObjectName("sessionSpin")
        self.session_spin.setRange(1, 1)
        self.session_spin.valueChanged.connect(self._emit)
        self.session_label.setBuddy(self.session_spin)
        session_row.addWidget(self.session_label)
        session_row.addWidget(self.session_spin, 1)
        form.addLayout(session_row)
        layout.addWidget(self.condition_box)

        # screening
        self.screening_box = QGroupBox(body)
        sl = QVBoxLayout(self.screening_box)
        self.screening_hint = plain_label("", self.screening_box)
        self.screening_status = plain_label("", self.screening_box)
        self.screening_status.setObjectName("screeningStatus")
        self.checklist = ScreeningChecklist(self.screening_box)
        self.checklist.changed.connect(self._emit)
        self.all_no_button = QPushButton(self.screening_box)
        self.all_no_button.setObjectName("markAllNo")
        self.all_no_button.clicked.connect(self.mark_all_no)
        top = QHBoxLayout()
        top.addWidget(self.screening_status, 1)
        top.addWidget(self.all_no_button)
        sl.addWidget(self.screening_hint)
        sl.addLayout(top)
        sl.addWidget(self.checklist)
        layout.addWidget(self.screening_box)

        # findings
        self.findings_box = QGroupBox(body)
        fl = QFormLayout(self.findings_box)
        fl.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.hernia_level = QComboBox(self.findings_box)
        self.hernia_level.setObjectName("herniaLevel")
        self.hernia_side = QComboBox(self.findings_box)
        self.hernia_side.setObjectName("herniaSide")
        for _ in HERNIA_SIDES:
            self.hernia_side.addItem("")
        self.hernia_level.currentIndexChanged.connect(self._on_hernia)
        self.hernia_side.currentIndexChanged.connect(self._emit)
        self.scoliosis_side = QComboBox(self.findings_box)
        self.scoliosis_side.setObjectName("scoliosisSide")
        for _ in range(3):
            self.scoliosis_side.addItem("")
        self.scoliosis_grade = QSpinBox(self.findings_box)
        self.scoliosis_grade.setObjectName("scoliosisGrade")
        self.scoliosis_grade.setRange(1, 4)
        self.scoliosis_side.currentIndexChanged.connect(self._on_scoliosis)
        self.scoliosis_grade.valueChanged.connect(self._emit)
        self.lesions = QListWidget(self.findings_box)
        self.lesions.setObjectName("lesionList")
        for half in HALVES:
            item = QListWidgetItem(half, self.lesions)
            item.setData(Qt.ItemDataRole.UserRole, half)
            item.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Unchecked)
        self.lesions.setFixedHeight(self.lesions.sizeHintForRow(0) * len(HALVES) + 6)
        self.lesions.itemChanged.connect(self._emit)
        self.hernia_label = QLabel(self.findings_box)
        self.hernia_side_label = QLabel(self.findings_box)
        self.scoliosis_label = QLabel(self.findings_box)
        self.grade_label = QLabel(self.findings_box)
        self.lesions_label = QLabel(self.findings_box)
        self.lesions_label.setWordWrap(True)
        fl.addRow(self.hernia_label, self.hernia_level)
        fl.addRow(self.hernia_side_label, self.hernia_side)
        fl.addRow(self.scoliosis_label, self.scoliosis_side)
        fl.addRow(self.grade_label, self.scoliosis_grade)
        fl.addRow(self.lesions_label)
        fl.addRow(self.lesions)
        layout.addWidget(self.findings_box)

        # patient record
        self.patient_box = QGroupBox(body)
        pl = QFormLayout(self.patient_box)
        self.name_edit = QLineEdit(self.patient_box)
        self.name_edit.setObjectName("patientName")
        self.name_edit.setMaxLength(200)
        self.name_edit.textChanged.connect(self._emit)
        self.notes_edit = QPlainTextEdit(self.patient_box)
        self.notes_edit.setObjectName("patientNotes")
        self.notes_edit.setFixedHeight(90)
        self.notes_edit.textChanged.connect(self._emit)
        self.name_label = QLabel(self.patient_box)
        self.notes_label = QLabel(self.patient_box)
        self.name_label.setBuddy(self.name_edit)
        pl.addRow(self.name_label, self.name_edit)
        pl.addRow(self.notes_label, self.notes_edit)
        layout.addWidget(self.patient_box)
        layout.addStretch(1)

        self.setMinimumWidth(320)
        self._set_enabled(False)
        self.retranslate()

    # data ------------------------------------------------------------------------------------
    def set_library(self, library: Any, geometry: Any) -> None:
        from bodymap.screening import checklist

        self.library, self.geometry = library, geometry
        with QSignalBlocker(self.hernia_level):
            self.hernia_level.clear()
            self.hernia_level.addItem("", None)
            for level in getattr(geometry, "disc_levels", ()):
                self.hernia_level.addItem(level, level)
        self.checklist.set_contraindications(list(checklist(library.contraindications)))
        self._fill_conditions()
        self._set_enabled(True)
        self.retranslate()

    def _set_enabled(self, enabled: bool) -> None:
        for box in (self.condition_box, self.screening_box, self.findings_box, self.patient_box):
            box.setEnabled(enabled)

    def _fill_conditions(self) -> None:
        current = self.condition()
        model: QStandardItemModel = self.condition_combo.model()
        with QSignalBlocker(self.condition_combo):
            model.clear()
            groups: dict[tuple[int, str], list[tuple[str, str]]] = {}
            for cid, cond in self.library.conditions.items():
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
                    item.setData(cid, Qt.ItemDataRole.UserRole)
                    item.setToolTip(pick(_text(self.library.conditions[cid].summary)))
                    model.appendRow(item)
            self.condition_combo.setCurrentIndex(self._index_of(current))
        self._update_condition_details()

    def _group_of(self, cond: Any) -> tuple[int, str]:
        if not cond.zones_from_source:
            return (9, tr("panel.group.general"))
        emphasis = list(cond.emphasis)
        if not emphasis or set(ZONES) <= set(emphasis) or cond.needs is not None:
            if cond.needs is not None:
                return (5, tr("panel.group.spine"))
            return (6, tr("panel.group.whole"))
        first = min(emphasis, key=ZONES.index)
        return (ZONES.index(first), tr("panel.group.zone", zone=zone_name(self.geometry, first)))

    def _index_of(self, condition: str | None) -> int:
        if condition is None:
            return -1
        return self.condition_combo.findData(condition, Qt.ItemDataRole.UserRole)

    def condition(self) -> str | None:
        data = self.condition_combo.currentData(Qt.ItemDataRole.UserRole)
        return data if isinstance(data, str) else None

    def set_condition(self, condition: str | None) -> bool:
        index = self._index_of(condition)
        if condition is not None and index < 0:
            return False
        self.condition_combo.setCurrentIndex(index)
        return True

    def _on_condition(self, _index: int) -> None:
        self._update_condition_details()
        self._emit()

    def _update_condition_details(self) -> None:
        cid = self.condition()
        cond = self.library.conditions.get(cid) if (self.library and cid) else None
        with QSignalBlocker(self.session_spin):
            if cond is None:
                self.summary.setText(tr("panel.no_condition") if self.library else "")
                self.session_spin.setRange(1, 1)
            else:
                self.summary.setText(pick(_text(cond.summary)))
                self.session_spin.setRange(1, cond.course.sessions)
            self.session_spin.setSuffix(
                tr("panel.session_of", total=self.session_spin.maximum())
            )
        self.session_spin.setEnabled(cond is not None)

    def _on_hernia(self, _index: int) -> None:
        self.hernia_side.setEnabled(self.hernia_level.currentData() is not None)
        self._emit()

    def _on_scoliosis(self, _index: int) -> None:
        self.scoliosis_grade.setEnabled(self.scoliosis_side.currentIndex() > 0)
        self._emit()

    def _emit(self, *_args: object) -> None:
        self._update_screening_status()
        if not self._loading:
            self.changed.emit()

    def _update_screening_status(self) -> None:
        total = len(self.checklist.questions)
        left = len(self.checklist.unanswered())
        if not total:
            self.screening_status.setText("")
        elif left:
            self.screening_status.setText(tr("panel.screening_left", n=left, total=total))
            self.screening_status.setStyleSheet("color: #b00020; font-weight: bold;")
        else:
            self.screening_status.setText(tr("panel.screening_done", n=total))
            self.screening_status.setStyleSheet("color: #2e7d32; font-weight: bold;")
        self.all_no_button.setEnabled(left > 0)

    def mark_all_no(self) -> None:
        left = self.checklist.unanswered()
        if not left:
            return
        if self._ask is not None:
            answer = self._ask(
                tr("panel.all_no_title"),
                tr("panel.all_no_text", left=len(left)),
                choices=("yes", "cancel"),
                default="cancel",
            )
            if answer != "yes":
                return
        self._loading = True
        try:
            self.checklist.mark_unanswered_no()
        finally:
            self._loading = False
        self._emit()

    # findings from the map -------------------------------------------------------------------
    def set_hernia(self, level: str | None, side: str = "central") -> None:
        self._loading = True
        try:
            index = self.hernia_level.findData(level) if level else 0
            self.hernia_level.setCurrentIndex(max(index, 0))
            if side in HERNIA_SIDES:
                self.hernia_side.setCurrentIndex(HERNIA_SIDES.index(side))
        finally:
            self._loading = False
        self._emit()

    def toggle_lesion(self, zone: str) -> None:
        for i in range(self.lesions.count()):
            item = self.lesions.item(i)
            if item.data(Qt.ItemDataRole.UserRole) == zone:
                checked = item.checkState() == Qt.CheckState.Checked
                item.setCheckState(Qt.CheckState.Unchecked if checked else Qt.CheckState.Checked)
                return

    def lesion_zones(self) -> tuple[str, ...]:
        return tuple(
            self.lesions.item(i).data(Qt.ItemDataRole.UserRole)
            for i in range(self.lesions.count())
            if self.lesions.item(i).checkState() == Qt.CheckState.Checked
        )

    # the document ----------------------------------------------------------------------------
    def state(self) -> dict[str, Any] | None:
        """The panel's content as PlanDocument fields, or None while no condition is chosen."""
        cid = self.condition()
        if cid is None:
            return None
        answers = self.checklist.answers()
        level = self.hernia_level.currentData()
        sc = self.scoliosis_side.currentIndex()
        return {
            "condition": cid,
            "session": self.session_spin.value(),
            "hernia": (level, HERNIA_SIDES[self.hernia_side.currentIndex()]) if level else None,
            "scoliosis": (("left", "right")[sc - 1], self.scoliosis_grade.value()) if sc else None,
            "lesions": self.lesion_zones(),
            "present": tuple(sorted(c for c, a in answers.items() if a is True)),
            "answered": tuple(sorted(c for c, a in answers.items() if a is not None)),
            "patient_name": self.name_edit.text(),
            "notes": self.notes_edit.toPlainText(),
        }

    def set_state(self, doc: Any | None) -> None:
        """Show a PlanDocument (or a blank patient when None) without emitting per field."""
        self._loading = True
        try:
            if doc is None:
                self.checklist.set_answers(set(), set())
                self.hernia_level.setCurrentIndex(0)
                self.hernia_side.setCurrentIndex(HERNIA_SIDES.index("central"))
                self.scoliosis_side.setCurrentIndex(0)
                self.scoliosis_grade.setValue(1)
                for i in range(self.lesions.count()):
                    self.lesions.item(i).setCheckState(Qt.CheckState.Unchecked)
                self.name_edit.setText("")
                self.notes_edit.setPlainText("")
                self.session_spin.setValue(1)
            else:
                self.condition_combo.setCurrentIndex(self._index_of(doc.condition))
                self.session_spin.setValue(doc.session)
                answered = None if doc.answered is None else set(doc.answered)
                self.checklist.set_answers(set(doc.present), answered)
                if doc.hernia:
                    self.hernia_level.setCurrentIndex(max(0, self.hernia_level.findData(
                        doc.hernia[0])))
                    self.hernia_side.setCurrentIndex(HERNIA_SIDES.index(doc.hernia[1]))
                else:
                    self.hernia_level.setCurrentIndex(0)
                    self.hernia_side.setCurrentIndex(HERNIA_SIDES.index("central"))
                if doc.scoliosis:
                    self.scoliosis_side.setCurrentIndex(1 + ("left", "right").index(
                        doc.scoliosis[0]))
                    self.scoliosis_grade.setValue(doc.scoliosis[1])
                else:
                    self.scoliosis_side.setCurrentIndex(0)
                    self.scoliosis_grade.setValue(1)
                for i in range(self.lesions.count()):
                    item = self.lesions.item(i)
                    zone = item.data(Qt.ItemDataRole.UserRole)
                    item.setCheckState(
                        Qt.CheckState.Checked if zone in doc.lesions else Qt.CheckState.Unchecked
                    )
                # Plain text only: a name such as "<b>x</b>" is shown as typed.
                self.name_edit.setText(doc.patient_name)
                self.notes_edit.setPlainText(doc.notes)
        finally:
            self._loading = False
        self.hernia_side.setEnabled(self.hernia_level.currentData() is not None)
        self.scoliosis_grade.setEnabled(self.scoliosis_side.currentIndex() > 0)
        self._update_screening_status()

    # language --------------------------------------------------------------------------------
    def retranslate(self) -> None:
        self.condition_box.setTitle(tr("panel.condition"))
        self.condition_combo.setPlaceholderText(tr("panel.choose_condition"))
        self.condition_combo.setToolTip(tr("panel.condition_tip"))
        self.session_label.setText(tr("panel.session"))
        self.session_spin.setToolTip(tr("panel.session_tip"))
        self.screening_box.setTitle(tr("panel.screening"))
        self.screening_hint.setText(tr("panel.screening_hint"))
        self.all_no_button.setText(tr("panel.all_no"))
        self.all_no_button.setToolTip(tr("panel.all_no_tip"))
        self.findings_box.setTitle(tr("panel.findings"))
        self.hernia_label.setText(tr("panel.hernia"))
        self.hernia_side_label.setText(tr("panel.hernia_side"))
        self.hernia_level.setToolTip(tr("panel.hernia_tip"))
        if self.hernia_level.count():
            self.hernia_level.setItemText(0, tr("panel.no_hernia"))
        for i, side in enumerate(HERNIA_SIDES):
            self.hernia_side.setItemText(i, tr(f"panel.side.{side}"))
        self.scoliosis_label.setText(tr("panel.scoliosis"))
        self.scoliosis_side.setToolTip(tr("panel.scoliosis_tip"))
        self.scoliosis_side.setItemText(0, tr("panel.no_scoliosis"))
        self.scoliosis_side.setItemText(1, tr("panel.convex.left"))
        self.scoliosis_side.setItemText(2, tr("panel.convex.right"))
        self.grade_label.setText(tr("panel.grade"))
        self.lesions_label.setText(tr("panel.lesions"))
        self.lesions.setToolTip(tr("panel.lesions_tip"))
        with QSignalBlocker(self.lesions):
            for i in range(self.lesions.count()):
                item = self.lesions.item(i)
                item.setText(zone_name(self.geometry, item.data(Qt.ItemDataRole.UserRole)))
        self.patient_box.setTitle(tr("panel.patient"))
        self.name_label.setText(tr("panel.name"))
        self.name_edit.setPlaceholderText(tr("panel.name_placeholder"))
        self.notes_label.setText(tr("panel.notes"))
        self.notes_edit.setPlaceholderText(tr("panel.notes_placeholder"))
        self.checklist.retranslate()
        if self.library is not None:
            self._fill_conditions()
        self._update_screening_status()


# ---------------------------------------------------------------------------------------------
# The status banner


BANNER_STYLES = {
    "ok": ("#e8f5e9", "#1b5e20", "#66bb6a"),
    "postponed": ("#fff3e0", "#8a4b00", "#ffa726"),
    "blocked": ("#fdecea", "#8b0000", "#e57373"),
    "refer": ("#fbe3e6", "#7a0010", "#c62828"),
    "none": ("#eef1f5", "#2b3440", "#b0bec5"),
}


class StatusBanner(QFrame):
    """What the plan's status means, in plain words, with the reasons' texts."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("statusBanner")
        self.title = plain_label("", self)
        self.title.setObjectName("bannerTitle")
        font = self.title.font()
        font.setPointSizeF(font.pointSizeF() * 1.25)
        font.setBold(True)
        self.title.setFont(font)
        self.details = plain_label("", self)
        self.details.setObjectName("bannerDetails")
        self.details.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 8, 12, 8)
        layout.setSpacing(2)
        layout.addWidget(self.title)
        layout.addWidget(self.details)
        self._plan = None
        self._library = None
        self.kind = "none"
        self.set_plan(None, None)

    def text(self) -> str:
        return self.title.text() + "\n" + self.details.text()

    def set_plan(self, plan: Any | None, library: Any | None, loading: bool = False) -> None:
        self._plan, self._library, self._loading = plan, library, loading
        self._render()

    def retranslate(self) -> None:
        self._render()

    def _render(self) -> None:
        plan = self._plan
        lines: list[str] = []
        if plan is None:
            kind = "none"
            title = tr("banner.loading") if self._loading else tr("banner.no_condition")
        else:
            name = pick(plan.name) if plan.name else plan.condition
            kinds = {r.kind for r in plan.reasons}
            unanswered = [r for r in plan.reasons if r.kind == "unanswered"]
            screening = [r for r in unanswered if self._is_question(r.id)]
            others = [r for r in plan.reasons if r not in screening]
            if plan.status == "ok":
                kind = "ok"
                title = tr(
                    "banner.ok", name=name, session=plan.session, total=plan.course_sessions,
                    phase=tr(f"course.phase.{plan.phase}"), minutes=f"{plan.total_minutes:g}",
                )
            elif "refer" in kinds:
                kind = "refer"
                title = tr("banner.refer")
            elif plan.status == "postponed":
                kind = "postponed"
                title = tr("banner.postponed")
            elif kinds & {"block", "refer"}:
                kind = "blocked"
                title = tr("banner.blocked")
            elif screening:
                kind = "blocked"
                title = tr("banner.incomplete")
            else:
                kind = "blocked"
                title = tr("banner.missing")
            if screening:
                lines.append("• " + tr("banner.unanswered", n=len(screening)))
            order = {"refer": 0, "block": 1, "unanswered": 2, "postpone": 3, "limit": 4,
                     "exclude": 5, "note": 6}
            for r in sorted(others, key=lambda r: order.get(r.kind, 9)):
                lines.append("• " + pick(r.text))
            if plan.status != "ok":
                lines.append(tr("banner.hidden"))
        self.kind = kind
        bg, fg, border = BANNER_STYLES[kind]
        self.setStyleSheet(
            f"#statusBanner {{ background: {bg}; border: 1px solid {border};"
            f" border-left: 6px solid {border}; border-radius: 4px; }}"
            f" #statusBanner QLabel {{ color: {fg}; background: transparent; }}"
        )
        self.title.setText(title)
        self.details.setText("\n".join(lines))
        self.details.setVisible(bool(lines))

    def _is_question(self, rid: str) -> bool:
        lib = self._library
        return lib is not None and rid in lib.contraindications


# ---------------------------------------------------------------------------------------------
# The steps table


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
        steps = list(self._plan.steps) if self._plan is not None else []
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
                    f"{step.minutes:g}",
                    "●" * step.intensity + "○" * (5 - step.intensity)
                    + "\n" + tr(f"steps.intensity.{step.intensity}"),
                )
                for col, value in enumerate(values):
                    item = QTableWidgetItem(value)
                    item.setToolTip(pick(step.text))
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
                self.scrollToItem(self.item(index, 0))
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
        current = self.current_step()
        self._fill()
        self.select_step(current)


# ---------------------------------------------------------------------------------------------
# Plan notes: cautions, no-touch areas, sources, evidence


class PlanNotes(QTextBrowser):
    """Cautions, no-touch areas, sources and evidence notes; every data string escaped."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("planNotes")
        self.setOpenLinks(False)
        self.setOpenExternalLinks(False)
        self._plan = None
        self._render()

    def set_plan(self, plan: Any | None) -> None:
        self._plan = plan
        self._render()

    def retranslate(self) -> None:
        self._render()

    def _render(self) -> None:
        plan = self._plan
        esc = html.escape
        if plan is None:
            self.setHtml(f"<p>{esc(tr('notes.empty'))}</p>")
            return
        parts = [f"<h3>{esc(tr('notes.no_touch'))}</h3><ul>"]
        parts += [f"<li>{esc(pick(n.text))}</li>" for n in plan.no_touch]
        parts.append("</ul>")
        parts.append(f"<h3>{esc(tr('notes.cautions'))}</h3><ul>")
        for c in (c for c in plan.cautions if c.for_therapist()):
            cite = esc("; ".join(c.sources))
            parts.append(f"<li>{esc(pick(c.text))} <i style='color:#666'>({cite})</i></li>")
        parts.append("</ul>")
        parts.append(f"<h3>{esc(tr('notes.evidence'))}</h3><ul>")
        for c in (c for c in plan.evidence if c.for_therapist()):
            cite = esc("; ".join(c.sources))
            parts.append(f"<li>{esc(pick(c.text))} <i style='color:#666'>({cite})</i></li>")
        parts.append("</ul>")
        parts.append(f"<h3>{esc(tr('notes.sources'))}</h3><ul>")
        parts += [f"<li>{esc(s)}</li>" for s in plan.sources]
        parts.append("</ul>")
        parts.append(f"<p><b>{esc(tr('app.disclaimer'))}</b></p>")
        self.setHtml("".join(parts))


__all__ = [
    "PatientPanel",
    "PlanNotes",
    "ScreeningChecklist",
    "StatusBanner",
    "StepsTable",
    "direction_name",
    "plain_label",
    "technique_name",
    "zone_name",
]
