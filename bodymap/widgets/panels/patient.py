"""The side panel: conditions and session, the screening checklist, findings, patient record.

The panel is a form over the session controller's document (a draft until a condition is
chosen); it plans nothing and keeps no copy of the session. An edit of the profile
(conditions, session, answers, findings) emits ``changed`` and, once bound
(:meth:`PatientPanel.bind`), becomes ``controller.request_profile`` (one undoable step); an
edit of the name or the notes becomes ``controller.request_record`` (saved and autosaved,
never re-planned). The panel shows what the controller announces: a whole document
(``documentReplaced``) or a changed profile (``profileChanged``: a hernia placed on the map,
an undo).
"""

from __future__ import annotations

import contextlib
import itertools
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QEvent, QSignalBlocker, Qt, Signal
from PySide6.QtWidgets import (
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from bodymap.document import NAME_MAX_CHARS, NOTES_MAX_CHARS
from bodymap.findings import Hernia, Scoliosis
from bodymap.i18n import tr
from bodymap.vocabulary import HALVES, zone_name
from bodymap.widgets.accessible import RetranslatesOnLanguageChange
from bodymap.widgets.accessible import name as a11y_name
from bodymap.widgets.panels.checklist import ScreeningChecklist
from bodymap.widgets.panels.common import plain_label
from bodymap.widgets.panels.conditions import ConditionPicker
from bodymap.widgets.panels.findings import ClearanceList, FindingList
from bodymap.widgets.plaintext import limit_line, limit_typing

if TYPE_CHECKING:
    from bodymap.document import PlanDocument
    from bodymap.geometry import BackGeometry
    from bodymap.library import Library
    from bodymap.widgets.controller import SessionController
    from bodymap.widgets.prompts import Prompter


class PatientPanel(RetranslatesOnLanguageChange, QScrollArea):
    """Conditions, screening, findings, session, patient record."""

    changed = Signal()  # the profile was edited here
    recordEdited = Signal(str, str)  # name, notes

    def __init__(self, prompter: Prompter | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.prompter = prompter
        self.library: Library | None = None
        # not ``self.geometry``: that would hide QWidget.geometry()
        self.back_geometry: BackGeometry | None = None
        self._loading = False
        self.setWidgetResizable(True)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        body = QWidget(self)
        self.setWidget(body)
        layout = QVBoxLayout(body)
        layout.setContentsMargins(6, 6, 6, 6)
        self.conditions_box = ConditionPicker(body)
        self.conditions_box.changed.connect(self.send_profile)
        # the picker's parts the window and the tests reach
        self.condition_combo = self.conditions_box.condition_combo
        self.session_spin = self.conditions_box.session_spin
        self.summary = self.conditions_box.summary
        layout.addWidget(self.conditions_box)
        layout.addWidget(self._build_screening(body))
        layout.addWidget(self._build_findings(body))
        layout.addWidget(self._build_record(body))
        layout.addStretch(1)
        self.setMinimumWidth(320)
        self._set_enabled(False)
        self.retranslate()

    def _build_screening(self, body: QWidget) -> QGroupBox:
        self.screening_box = QGroupBox(body)
        sl = QVBoxLayout(self.screening_box)
        self.screening_hint = plain_label("", self.screening_box)
        self.screening_status = plain_label("", self.screening_box)
        self.screening_status.setObjectName("screeningStatus")
        self.checklist = ScreeningChecklist(self.screening_box)
        self.checklist.changed.connect(self.send_profile)
        self.clearances = ClearanceList(self.screening_box)
        self.clearances.changed.connect(self.send_profile)
        self.clearances_label = plain_label("", self.screening_box)
        self.all_no_button = QPushButton(self.screening_box)
        self.all_no_button.setObjectName("markAllNo")
        self.all_no_button.clicked.connect(self.mark_all_no)
        top = QHBoxLayout()
        top.addWidget(self.screening_status, 1)
        top.addWidget(self.all_no_button)
        sl.addWidget(self.screening_hint)
        sl.addLayout(top)
        sl.addWidget(self.checklist)
        sl.addWidget(self.clearances_label)
        sl.addWidget(self.clearances)
        return self.screening_box

    def _build_findings(self, body: QWidget) -> QGroupBox:
        box = self.findings_box = QGroupBox(body)
        fl = QFormLayout(box)
        fl.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.hernias = FindingList("hernia", box)
        self.curves = FindingList("curve", box)
        for findings in (self.hernias, self.curves):
            findings.changed.connect(self.send_profile)
        # the editor rows' parts the window and the tests reach
        self.hernia_level, self.hernia_side = self.hernias.first, self.hernias.second
        self.hernia_stage = self.hernias.third
        self.scoliosis_side, self.scoliosis_grade = self.curves.first, self.curves.third
        self.scoliosis_region = self.curves.second
        self.lesions = QListWidget(box)
        self.lesions.setObjectName("lesionList")
        for half in HALVES:
            item = QListWidgetItem(half, self.lesions)
            item.setData(Qt.ItemDataRole.UserRole, half)
            item.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Unchecked)
        self.lesions.setFixedHeight(self.lesions.sizeHintForRow(0) * len(HALVES) + 6)
        self.lesions.itemChanged.connect(self.send_profile)
        self.hernia_label, self.scoliosis_label = QLabel(box), QLabel(box)
        self.lesions_label = QLabel(box)
        self.lesions_label.setWordWrap(True)
        fl.addRow(self.hernia_label)
        fl.addRow(self.hernias)
        fl.addRow(self.scoliosis_label)
        fl.addRow(self.curves)
        fl.addRow(self.lesions_label)
        fl.addRow(self.lesions)
        return box

    def _build_record(self, body: QWidget) -> QGroupBox:
        self.patient_box = QGroupBox(body)
        pl = QFormLayout(self.patient_box)
        self.name_edit = QLineEdit(self.patient_box)
        self.name_edit.setObjectName("patientName")
        limit_line(self.name_edit, NAME_MAX_CHARS)  # whole characters, not UTF-16
        self.name_edit.textChanged.connect(self._send_record)
        self.notes_edit = QPlainTextEdit(self.patient_box)
        self.notes_edit.setObjectName("patientNotes")
        self.notes_edit.setFixedHeight(90)
        self.notes_edit.setTabChangesFocus(True)  # Tab moves on: the notes are no keyboard trap
        self.notes_count = QLabel(self.patient_box)  # "n / 20000": what a plan file reads back
        self.notes_count.setObjectName("notesCount")
        limit_typing(self.notes_edit, NOTES_MAX_CHARS, self.notes_count)
        self.notes_edit.textChanged.connect(self._send_record)
        self.name_label = QLabel(self.patient_box)
        self.notes_label = QLabel(self.patient_box)
        self.name_label.setBuddy(self.name_edit)
        pl.addRow(self.name_label, self.name_edit)
        pl.addRow(self.notes_label, self.notes_edit)
        pl.addRow("", self.notes_count)
        return self.patient_box

    # the controller ----------------------------------------------------------------------------
    def bind(self, controller: SessionController) -> None:
        """Send this form's edits to ``controller`` and show what it announces."""
        self.set_library(controller.library, controller.geometry)
        self.changed.connect(lambda: controller.request_profile(**self.profile_fields()))
        self.recordEdited.connect(controller.request_record)
        controller.documentReplaced.connect(self.set_state)
        controller.profileChanged.connect(self.show_profile)
        controller.libraryChanged.connect(lambda lib: self.set_library(lib, controller.geometry))
        self.set_state(controller.document())

    # data ------------------------------------------------------------------------------------
    def set_library(self, library: Library, geometry: BackGeometry | None) -> None:
        from bodymap.screening import checklist

        self.library, self.back_geometry = library, geometry
        self.hernias.set_levels(getattr(geometry, "disc_levels", ()))
        self.checklist.set_contraindications(list(checklist(library.contraindications)))
        self._order_tabs()
        self.conditions_box.set_library(library, geometry)
        self._set_enabled(True)
        self.retranslate()

    def _order_tabs(self) -> None:
        """Tab goes down the panel as it reads: Mark rest "no", every question's Yes and No,
        then the findings (the questions are made after the findings, when the protocols are
        known, and would otherwise come last)."""
        chain = [self.all_no_button, *(b for q in self.checklist.questions.values()
                                       for b in (q.yes, q.no)), self.hernia_level]
        for first, second in itertools.pairwise(chain):
            QWidget.setTabOrder(first, second)

    def _set_enabled(self, enabled: bool) -> None:
        for box in (self.conditions_box, self.screening_box, self.findings_box, self.patient_box):
            box.setEnabled(enabled)

    def condition(self) -> str | None:
        """The lead condition, or None while none is chosen."""
        return self.conditions_box.condition()

    def conditions(self) -> tuple[str, ...]:
        return self.conditions_box.conditions()

    def set_condition(self, condition: str | None) -> bool:
        """Choose a lead condition (alone) as the user would: the profile is sent."""
        return self.set_conditions((condition,) if condition else ())

    def set_conditions(self, conditions: tuple[str, ...]) -> bool:
        """Choose the conditions (the first leads) as the user would: the profile is sent.
        False, and nothing changed, if one of them is unknown."""
        if not self.conditions_box.set_conditions(tuple(conditions)):
            return False
        self.send_profile()
        return True

    def send_profile(self, *_args: object) -> None:
        """The form's profile changed: update the screening line and say so (unless loading)."""
        self._name_empty_choices()
        self._update_screening_status()
        if not self._loading:
            self.changed.emit()

    def _needs(self) -> set[str]:
        """What the chosen conditions need to know ("hernia", "scoliosis")."""
        if self.library is None:
            return set()
        conditions = self.library.conditions
        needs = (conditions[c].needs for c in self.conditions() if c in conditions)
        return {n for n in needs if n is not None}

    def _name_empty_choices(self) -> None:
        """The first choice of the hernia level and scoliosis lists: "No hernia" / "No
        scoliosis", or, when a chosen condition is that finding, "not given yet" (a hernia
        as a condition with "No hernia" beside it would contradict itself)."""
        needs = self._needs()
        if self.hernia_level.count():
            self.hernia_level.setItemText(0, tr("panel.hernia_not_given" if "hernia" in needs
                                                else "panel.no_hernia"))
        if self.scoliosis_side.count():
            self.scoliosis_side.setItemText(0, tr("panel.scoliosis_not_given"
                                                  if "scoliosis" in needs
                                                  else "panel.no_scoliosis"))

    def _send_record(self) -> None:
        if not self._loading:
            self.recordEdited.emit(self.name_edit.text(), self.notes_edit.toPlainText())

    def _update_screening_status(self) -> None:
        total = len(self.checklist.questions)
        left = len(self.checklist.unanswered())
        if not total:
            self.screening_status.setText("")
        elif left:
            self.screening_status.setText(tr("panel.screening_left", n=left, total=total))
            self._status_colour("#b00020")
        else:
            self.screening_status.setText(tr("panel.screening_done", n=total))
            self._status_colour("#2e7d32")
        self.all_no_button.setEnabled(left > 0)

    def _status_colour(self, colour: str) -> None:
        """Red or green, readable on this panel's background (light or dark palette)."""
        from PySide6.QtGui import QPalette

        from bodymap.widgets.accessible import readable

        background = self.palette().color(QPalette.ColorRole.Window)
        self.screening_status.setStyleSheet(
            f"color: {readable(colour, background)}; font-weight: bold;")

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        from PySide6.QtCore import QEvent

        if event.type() == QEvent.Type.PaletteChange and getattr(self, "checklist", None):
            self._update_screening_status()

    def mark_all_no(self) -> None:
        """Answer every unanswered question "no", after asking the therapist to confirm."""
        left = self.checklist.unanswered()
        if not left:
            return
        if self.prompter is not None and self.prompter.ask(
                tr("panel.all_no_title"), tr("panel.all_no_text", left=len(left)),
                choices=("yes", "cancel"), default="cancel") != "yes":
            return
        with self._quiet():
            self.checklist.mark_unanswered_no()
        self.send_profile()

    # findings ---------------------------------------------------------------------------------
    def add_hernia(self, level: str, side: str = "central", stage: str | None = None) -> None:
        """Add a hernia (its stage not given unless said) as the user would: the profile is
        sent."""
        self.hernias.add(Hernia(level, side, stage))

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
    def profile_fields(self) -> dict[str, Any]:
        """The form's profile as document fields; ``conditions=()`` while none is chosen."""
        answers = self.checklist.answers()
        return {
            "conditions": self.conditions(),
            "session": self.session_spin.value(),
            "hernias": self.hernias.values(),
            "scoliosis": self.curves.values(),
            "lesions": self.lesion_zones(),
            "present": tuple(sorted(c for c, a in answers.items() if a is True)),
            "answered": tuple(sorted(c for c, a in answers.items() if a is not None)),
            "cleared": self.clearances.cleared(),
        }

    def set_state(self, doc: PlanDocument) -> None:
        """Show a whole document (its record and its profile), quietly."""
        with self._quiet():
            if self.name_edit.text() != doc.patient_name:
                self.name_edit.setText(doc.patient_name)
            if self.notes_edit.toPlainText() != doc.notes:
                self.notes_edit.setPlainText(doc.notes)
        self.show_profile(doc)

    def show_profile(self, doc: PlanDocument) -> None:
        """Show the document's profile, quietly."""
        with self._quiet():
            self._show_profile(doc)
        self._name_empty_choices()
        self._update_screening_status()

    def _show_profile(self, doc: PlanDocument) -> None:
        from bodymap.gates import clearances_needed

        p = doc.profile
        if self.conditions() != p.conditions:
            self.conditions_box.set_conditions(p.conditions)
        self.session_spin.setValue(p.session)
        self.checklist.set_answers(set(p.present), set(p.answered))
        self.hernias.set_values(tuple(Hernia(h.level, h.side, h.stage) for h in p.hernias))
        self.curves.set_values(tuple(Scoliosis(c.convex, c.grade, c.region)
                                     for c in p.scoliosis))
        self._show_lesions(p.lesions)
        needed = (clearances_needed(doc.to_profile(), self.library)
                  if self.library is not None and not doc.is_draft else ())
        self.clearances.show_needed(needed, p.cleared)
        self.clearances_label.setVisible(bool(needed))

    def _show_lesions(self, lesions: tuple[str, ...]) -> None:
        for i in range(self.lesions.count()):
            item = self.lesions.item(i)
            on = item.data(Qt.ItemDataRole.UserRole) in lesions
            item.setCheckState(Qt.CheckState.Checked if on else Qt.CheckState.Unchecked)

    @contextlib.contextmanager
    def _quiet(self) -> Iterator[None]:
        """While showing data, the form's own edit signals are not sent."""
        self._loading = True
        try:
            yield
        finally:
            self._loading = False

    # language --------------------------------------------------------------------------------
    def retranslate(self) -> None:
        self.conditions_box.retranslate()
        self.screening_box.setTitle(tr("panel.screening"))
        self.screening_hint.setText(tr("panel.screening_hint"))
        self.all_no_button.setText(tr("panel.all_no"))
        self.all_no_button.setToolTip(tr("panel.all_no_tip"))
        self.findings_box.setTitle(tr("panel.findings"))
        self.hernia_label.setText(tr("findings.hernias"))
        self.scoliosis_label.setText(tr("findings.curves"))
        self.hernias.retranslate()
        self.curves.retranslate()
        self.clearances.retranslate()
        self.clearances_label.setText(tr("findings.clearances"))
        self._name_empty_choices()
        self.lesions_label.setText(tr("panel.lesions"))
        self.lesions.setToolTip(tr("panel.lesions_tip"))
        with QSignalBlocker(self.lesions):
            for i in range(self.lesions.count()):
                item = self.lesions.item(i)
                item.setText(zone_name(self.back_geometry, item.data(Qt.ItemDataRole.UserRole)))
        self.patient_box.setTitle(tr("panel.patient"))
        self.name_label.setText(tr("panel.name"))
        self.name_edit.setPlaceholderText(tr("panel.name_placeholder"))
        self.notes_label.setText(tr("panel.notes"))
        self.notes_edit.setPlaceholderText(tr("panel.notes_placeholder"))
        for widget, key in ((self.hernia_level, "panel.hernia"),
                            (self.hernia_side, "panel.hernia_side"),
                            (self.hernia_stage, "findings.stage_label"),
                            (self.scoliosis_side, "panel.scoliosis"),
                            (self.scoliosis_region, "findings.region_label"),
                            (self.scoliosis_grade, "a11y.grade"), (self.lesions, "panel.lesions"),
                            (self.name_edit, "panel.name"), (self.notes_edit, "panel.notes")):
            a11y_name(widget, tr(key))
        self.checklist.retranslate()
        self._update_screening_status()


__all__ = ["PatientPanel"]
