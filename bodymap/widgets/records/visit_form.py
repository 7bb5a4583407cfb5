"""Today's visit: the form a therapist fills in once the session is done.

Pre-filled so that recording takes seconds: the date and time now, the session the patient is
at, each of the plan's steps done as planned. What the form cannot know is asked, never
assumed: pain before and after (0-10 numeric rating scale) start at "not asked", and the
screening is answered again today, in the Patient panel's checklist, or per group with one
deliberate click "unchanged since <the last visit's date>". That day's pain points and lesions
are the ones marked on the map. Tab moves from field to field, digits type a pain score,
Ctrl+Enter saves (one transaction); a saved visit stays editable until it is signed or its day
ends.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

from PySide6.QtCore import QDateTime, Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateTimeEdit,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from bodymap.i18n import tr
from bodymap.widgets.accessible import RetranslatesOnLanguageChange
from bodymap.widgets.accessible import name as a11y_name
from bodymap.widgets.panels.common import plain_label, technique_name

if TYPE_CHECKING:
    from bodymap.document import PlanDocument
    from bodymap.library import Library
    from bodymap.records.model import Outcome, Patient, Visit
    from bodymap.records.today import PlannedStep, VisitEntry
    from bodymap.widgets.records.controller import RecordsController

__all__ = ["PainSpin", "VisitForm"]

OUTCOME_KEYS = ("done", "shortened", "skipped")


class PainSpin(QSpinBox):
    """0-10 on the numeric rating scale, or "not asked" (below 0): never a silent score."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setRange(-1, 10)
        self.setValue(-1)
        self.setSpecialValueText("—")
        self.setAccelerated(False)
        self.setMinimumWidth(70)

    def score(self) -> int | None:
        return None if self.value() < 0 else self.value()

    def set_score(self, value: int | None) -> None:
        self.setValue(-1 if value is None else value)


class VisitForm(RetranslatesOnLanguageChange, QScrollArea):
    """The open patient's visit today; saves through the records controller."""

    markRequested = Signal(str)  # "pain" or "lesion": the map's marking tool

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("visitForm")
        self.setWidgetResizable(True)
        self.setFrameShape(QScrollArea.Shape.NoFrame)
        # everything wraps to the dock's width: never a sideways scroll
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self._rc: RecordsController | None = None
        self._steps: list[PlannedStep] = []
        self._loading = False
        body = QWidget(self)
        self.setWidget(body)
        box = QVBoxLayout(body)
        box.setContentsMargins(6, 6, 6, 6)
        # the sections, top to bottom (creation order is the Tab order)
        self.header, self.last_label, self.saved_label = _title_section(body, box)
        self.when, self.session = _when_session_fields(body)
        self._date_format()
        self.session.valueChanged.connect(self._session_changed)
        (self.pain_before, self.pain_after, self.before_label, self.after_label,
         pains) = _pain_fields(body)
        self.when_label, self.session_label, self.pain_label = _form_rows(
            body, box, self.when, self.session, pains)
        self.screening, self.screening_status, self.since_label, self.groups = (
            _screening_section(body, box))
        self._group_rows: dict[str, tuple[QLabel, QPushButton]] = {}
        self.marks, self.marks_label, self.mark_pain, self.mark_lesion = _marks_section(body, box)
        self.mark_pain.clicked.connect(lambda: self.markRequested.emit("pain"))
        self.mark_lesion.clicked.connect(lambda: self.markRequested.emit("lesion"))
        self.steps_box, self.steps_empty, self.table = _steps_section(body, box)
        (self.notes_box, self.reaction, self.reaction_label, self.soap,
         self.soap_labels) = _notes_section(body, box)
        self.sign, self.save_button = _save_section(body, box)
        self.save_button.clicked.connect(self.save)
        self.save_shortcut, self.save_shortcut2 = _save_shortcuts(self)
        self.save_shortcut.activated.connect(self.save)
        self.save_shortcut2.activated.connect(self.save)
        self.retranslate()
        self._show_patient(None)

    def _date_format(self) -> None:
        from PySide6.QtCore import QLocale

        from bodymap.widgets.dates import interface_locale

        locale = interface_locale()
        self.when.setLocale(locale)
        self.when.setDisplayFormat(locale.dateTimeFormat(QLocale.FormatType.ShortFormat))

    # following the controllers ------------------------------------------------------------------
    def bind(self, rc: RecordsController) -> None:
        self._rc = rc
        rc.patientChanged.connect(self._patient_changed)
        rc.visitChanged.connect(self._visit_changed)
        rc.confirmedChanged.connect(lambda _c: self._show_screening())
        s = rc.session
        s.planChanged.connect(lambda _plan: self._show_steps())
        s.profileChanged.connect(self._profile_changed)
        s.documentReplaced.connect(self._profile_changed)
        self._show_patient(rc.patient())

    def _patient_changed(self, patient: Patient | None) -> None:
        rc = self._rc
        if rc is not None and rc.visit() is None:
            self._show_patient(patient)
        else:
            self._show_header()

    def _show_patient(self, patient: Patient | None) -> None:
        """A patient opened (or none): a fresh form for today's visit."""
        self._loading = True
        try:
            now = QDateTime.currentDateTime()
            self.when.setMaximumDateTime(now.addSecs(300))
            self.when.setDateTime(now)
            for spin in (self.pain_before, self.pain_after):
                spin.set_score(None)
            self.reaction.clear()
            for edit in self.soap.values():
                edit.clear()
            self.sign.setChecked(False)
            self._steps = []
            self.table.setRowCount(0)
        finally:
            self._loading = False
        enabled = patient is not None
        for widget in (self.when, self.session, self.pain_before, self.pain_after, self.table,
                       self.reaction, self.sign, self.save_button, self.mark_pain,
                       self.mark_lesion, *self.soap.values()):
            widget.setEnabled(enabled)
        self.saved_label.setText("")
        self._show_header()
        self._profile_changed(None)
        self._show_screening()
        self._show_steps()
        if enabled and self.isVisible():
            self.pain_before.setFocus()
            self.pain_before.selectAll()

    def _visit_changed(self, visit: Visit | None) -> None:
        if visit is None:
            self._show_patient(self._rc.patient() if self._rc is not None else None)
            return
        from bodymap.widgets.dates import format_datetime

        if visit.signed:
            when = format_datetime(visit.signed_at.utc if visit.signed_at else visit.at.utc)
            self.saved_label.setText(tr("records.visit_signed", when=when))
            for widget in (self.when, self.session, self.pain_before, self.pain_after,
                           self.table, self.reaction, self.sign, self.save_button,
                           *self.soap.values()):
                widget.setEnabled(False)
        else:
            self.saved_label.setText(tr("records.visit_saved",
                                        when=format_datetime(visit.at.utc)))
        self.save_button.setText(tr("records.save_changes") if not visit.signed
                                 else tr("records.save"))
        self._show_header()

    def _show_header(self) -> None:
        rc = self._rc
        patient = rc.patient() if rc is not None else None
        if patient is None or rc is None:
            self.header.setText(tr("records.no_patient"))
            self.last_label.setText("")
            return
        total = rc.course_sessions(patient.conditions)
        self.header.setText(tr("records.visit_header", name=patient.name,
                               session=self.session.value(), total=total or "?"))
        self.last_label.setText(self._course_line(patient))

    def _course_line(self, patient: Patient) -> str:
        """The course so far in one line: the visits recorded before today's, the last one."""
        from bodymap.widgets.dates import format_date

        rc = self._rc
        today = rc.visit() if rc is not None else None
        before = [v for v in patient.visits if today is None or v.id != today.id]
        if not before:
            return tr("records.first_visit")
        last = before[-1]
        dash = "—"
        return tr("records.last_line", n=len(before), date=format_date(last.at.local.date()),
                  session=last.session,
                  before=dash if last.pain_before is None else last.pain_before,
                  after=dash if last.pain_after is None else last.pain_after)

    def _profile_changed(self, _doc: PlanDocument | None) -> None:
        rc = self._rc
        if rc is None:
            return
        doc = rc.session.document()
        if not doc.is_draft:
            self._loading = True
            self.session.setMaximum(rc.course_sessions(doc.conditions) or 60)  # the course's
            if self.session.value() != doc.profile.session:
                self.session.setValue(doc.profile.session)
            self._loading = False
            self._show_header()
        self._show_marks(doc)
        self._show_screening()

    def _session_changed(self, number: int) -> None:
        if self._loading or self._rc is None:
            return
        doc = self._rc.session.document()
        if not doc.is_draft and doc.profile.session != number:
            self._rc.session.request_profile(session=number)  # the plan follows
        self._show_header()

    def _show_marks(self, doc: PlanDocument) -> None:
        from bodymap.vocabulary import zone_name

        geometry = self._rc.session.geometry if self._rc is not None else None
        lesions = ", ".join(zone_name(geometry, z) for z in doc.profile.lesions) or "—"
        self.marks_label.setText(tr("records.marks", n=len(doc.pain_points), lesions=lesions))

    def _show_screening(self) -> None:
        from datetime import date

        from bodymap.records.visit_day import GROUPS, group_ids
        from bodymap.widgets.dates import format_date

        rc = self._rc
        patient = rc.patient() if rc is not None else None
        if rc is None or patient is None:
            self.screening_status.setText("")
            self.since_label.hide()
            for label, button in self._group_rows.values():
                label.hide()
                button.hide()
            return
        doc = rc.session.document()
        contras = rc.session.library.contraindications
        done = set(doc.profile.answered) | set(doc.profile.present)
        last = rc.last_visit()
        confirmed = {c.group: c.since for c in rc.confirmed()}
        missing = 0
        row = 0
        for group in GROUPS:
            ids = group_ids(contras, group)
            if not ids:
                continue
            label, button = self._group_row(group)
            label.setWordWrap(True)
            open_ids = ids - done
            missing += bool(open_ids)
            if group in confirmed:
                state = tr("records.group_confirmed",
                           date=format_date(date.fromisoformat(confirmed[group])))
            elif open_ids:
                state = tr("records.group_open", n=len(open_ids))
            else:
                state = tr("records.group_answered")
            label.setText(f"{tr(f'records.group.{group}')}: {state}")
            can = last is not None and group not in confirmed
            button.setVisible(last is not None)
            visit = rc.visit()
            button.setEnabled(can and (visit is None or not visit.signed))
            if last is not None:
                day = format_date(last.at.local.date())
                button.setText(tr("records.unchanged"))
                button.setToolTip(tr("records.unchanged_tip", date=day))
                a11y_name(button, tr("records.unchanged_since", date=day) + ": "
                          + tr(f"records.group.{group}"))
            label.show()
            self.groups.addWidget(label, row, 0)
            self.groups.addWidget(button, row, 1)
            row += 1
        self.screening_status.setText(tr("records.screening_todo", n=missing) if missing
                                      else tr("records.screening_done"))
        self.since_label.setVisible(last is not None)
        if last is not None:
            self.since_label.setText(tr("records.since_hint",
                                        date=format_date(last.at.local.date())))
        colour = "#9a3412" if missing else "#166534"
        self.screening_status.setStyleSheet(f"color: {colour}; font-weight: bold;")

    def _group_row(self, group: str) -> tuple[QLabel, QPushButton]:
        if group not in self._group_rows:
            label = plain_label("", self.screening)
            button = QPushButton(self.screening)
            button.setObjectName(f"unchanged_{group}")
            button.clicked.connect(lambda _=False, g=group: self._confirm(g))
            self._group_rows[group] = (label, button)
        return self._group_rows[group]

    def _confirm(self, group: str) -> None:
        if self._rc is not None:
            self._rc.request_confirm_unchanged(group)

    def _show_steps(self) -> None:
        """The plan's steps, each done as planned unless the therapist says otherwise (what
        was chosen for a step that is still planned is kept)."""
        rc = self._rc
        kept = self.outcomes()
        steps = rc.planned_steps() if rc is not None and rc.patient() is not None else []
        same = [(s.index, s.technique) for s in steps] == [(s.index, s.technique)
                                                           for s in self._steps]
        self._steps = steps
        self.steps_empty.setVisible(not steps)
        self.table.setVisible(bool(steps))
        if same and self.table.rowCount() == len(steps):
            return
        self.table.setRowCount(len(steps))
        library = rc.session.library if rc is not None else None
        for row, step in enumerate(steps):
            item = QTableWidgetItem(_step_text(library, row, step))
            item.setFlags(Qt.ItemFlag.ItemIsEnabled)
            self.table.setItem(row, 0, item)
            combo = QComboBox(self.table)
            combo.setObjectName(f"outcome_{row}")
            a11y_name(combo, tr("records.outcome_of", n=row + 1))
            for key in OUTCOME_KEYS:
                combo.addItem(tr(f"records.outcome.{key}"), key)
            reason = QLineEdit(self.table)
            reason.setObjectName(f"reason_{row}")
            a11y_name(reason, tr("records.reason_of", n=row + 1))
            reason.setPlaceholderText(tr("records.reason"))
            outcome, text = kept.get(step.index, ("done", ""))
            combo.setCurrentIndex(OUTCOME_KEYS.index(outcome))
            reason.setText(text)
            reason.setEnabled(outcome != "done")
            combo.currentIndexChanged.connect(
                lambda i, r=reason: r.setEnabled(OUTCOME_KEYS[i] != "done"))
            self.table.setCellWidget(row, 1, combo)
            self.table.setCellWidget(row, 2, reason)
        first = self.table.cellWidget(0, 1) if steps else None
        if first is not None:
            self.table.setColumnWidth(1, first.sizeHint().width())
        from bodymap.widgets.wheel import guard_wheel

        guard_wheel(self)  # the new outcome lists: a wheel turn never changes one by accident
        self.table.resizeRowsToContents()
        rows = sum(self.table.rowHeight(r) for r in range(len(steps)))
        self.table.setFixedHeight(rows + self.table.horizontalHeader().height() + 4)

    # what was typed ------------------------------------------------------------------------------
    def outcomes(self) -> dict[int, tuple[Outcome, str]]:
        """What the therapist chose for each step (by its index in the plan)."""
        chosen: dict[int, tuple[Outcome, str]] = {}
        for row, step in enumerate(self._steps[:self.table.rowCount()]):
            combo = self.table.cellWidget(row, 1)
            reason = self.table.cellWidget(row, 2)
            if isinstance(combo, QComboBox) and isinstance(reason, QLineEdit):
                key = cast("Outcome", OUTCOME_KEYS[max(0, combo.currentIndex())])
                chosen[step.index] = (key, reason.text())
        return chosen

    def set_outcome(self, row: int, outcome: str, reason: str = "") -> None:
        combo, edit = self.table.cellWidget(row, 1), self.table.cellWidget(row, 2)
        if isinstance(combo, QComboBox) and isinstance(edit, QLineEdit):
            combo.setCurrentIndex(OUTCOME_KEYS.index(outcome))
            edit.setText(reason)

    def entry(self) -> VisitEntry:
        from datetime import datetime

        from bodymap.records.model import Moment, Soap
        from bodymap.records.today import VisitEntry, planned_outcomes

        when = self.when.dateTime().toPython()
        assert isinstance(when, datetime)
        soap = Soap(**{k: e.toPlainText().strip() for k, e in self.soap.items()})
        return VisitEntry(at=Moment.of(when.replace(second=0, microsecond=0)),
                          session=self.session.value(), pain_before=self.pain_before.score(),
                          pain_after=self.pain_after.score(),
                          steps=planned_outcomes(self._steps, self.outcomes()),
                          reaction=self.reaction.text().strip(), soap=soap,
                          sign=self.sign.isChecked())

    def save(self) -> Visit | None:
        """Record the visit (or save the changes to it); returns the saved visit or None."""
        if self._rc is None or not self.save_button.isEnabled():
            return None
        missing = [name for name, ok in (
            ("step", all(o == "done" or r.strip() for o, r in self.outcomes().values())),)
            if not ok]
        if missing:
            self._rc.status(tr("records.reason_needed"), 8000)
            self._rc.prompter.error(tr("records.title"), tr("records.reason_needed"))
            return None
        return self._rc.request_save_visit(self.entry())

    def retranslate(self) -> None:
        self._date_format()
        self.when_label.setText(tr("records.when"))
        self.session_label.setText(tr("records.session"))
        a11y_name(self.when, tr("records.when"))
        a11y_name(self.session, tr("records.session"))
        a11y_name(self.table, tr("records.steps"))
        a11y_name(self.reaction, tr("records.reaction"))
        self.pain_label.setText(tr("records.pain"))
        self.before_label.setText(tr("records.before"))
        self.after_label.setText(tr("records.after"))
        for spin, key in ((self.pain_before, "before"), (self.pain_after, "after")):
            spin.setToolTip(tr("records.pain_tip"))
            a11y_name(spin, tr(f"records.pain_{key}"))
        self.session.setToolTip(tr("records.session_tip"))
        self.when.setToolTip(tr("records.when_tip"))
        self.screening.setTitle(tr("records.screening"))
        self.marks.setTitle(tr("records.marks_title"))
        self.mark_pain.setText(tr("records.mark_pain"))
        self.mark_pain.setToolTip(tr("mark.pain_tip"))
        self.mark_lesion.setText(tr("records.mark_lesion"))
        self.mark_lesion.setToolTip(tr("mark.lesion_tip"))
        self.steps_box.setTitle(tr("records.steps"))
        self.steps_empty.setText(tr("records.no_steps"))
        self.table.setHorizontalHeaderLabels([tr("records.col.step"), tr("records.col.outcome"),
                                              tr("records.col.reason")])
        self.notes_box.setTitle(tr("records.notes"))
        self.reaction_label.setText(tr("records.reaction"))
        self.reaction.setPlaceholderText(tr("records.reaction_hint"))
        for section, label in self.soap_labels.items():
            label.setText(tr(f"records.soap.{section}"))
            a11y_name(self.soap[section], tr(f"records.soap.{section}"))
        self.sign.setText(tr("records.sign"))
        self.sign.setToolTip(tr("records.sign_tip"))
        visit = self._rc.visit() if self._rc is not None else None
        self.save_button.setText(tr("records.save_changes") if visit is not None
                                 else tr("records.save"))
        self.save_button.setToolTip(tr("records.save_tip"))
        if self._rc is not None:
            self._show_header()
            self._show_screening()
            self._show_marks(self._rc.session.document())
            self._rebuild_step_texts()

    def _rebuild_step_texts(self) -> None:
        library = self._rc.session.library if self._rc is not None else None
        for row, step in enumerate(self._steps[:self.table.rowCount()]):
            item = self.table.item(row, 0)
            if item is not None:
                item.setText(_step_text(library, row, step))
            combo = self.table.cellWidget(row, 1)
            if isinstance(combo, QComboBox):
                a11y_name(combo, tr("records.outcome_of", n=row + 1))
                for i, key in enumerate(OUTCOME_KEYS):
                    combo.setItemText(i, tr(f"records.outcome.{key}"))
            reason = self.table.cellWidget(row, 2)
            if isinstance(reason, QLineEdit):
                reason.setPlaceholderText(tr("records.reason"))
                a11y_name(reason, tr("records.reason_of", n=row + 1))
        first = self.table.cellWidget(0, 1) if self.table.rowCount() else None
        if first is not None:
            self.table.setColumnWidth(1, first.sizeHint().width())


def _step_text(library: Library | None, row: int, step: PlannedStep) -> str:
    from bodymap import i18n

    name = technique_name(library, step.technique, step.variant)
    return f"{row + 1}. {name} ({i18n.number(step.minutes)} {tr('records.min')})"


# the form's sections, built in the order they are shown ------------------------------------------
def _title_section(body: QWidget, box: QVBoxLayout) -> tuple[QLabel, QLabel, QLabel]:
    """The patient and session, the course so far in one line, when the visit was saved."""
    header = plain_label("", body)
    header.setObjectName("visitHeader")
    header.setStyleSheet("font-weight: bold; font-size: 11pt;")
    box.addWidget(header)
    last_label = plain_label("", body)  # the course so far, in one line
    last_label.setObjectName("visitLast")
    box.addWidget(last_label)
    saved_label = plain_label("", body)
    saved_label.setObjectName("visitSaved")
    box.addWidget(saved_label)
    return header, last_label, saved_label


def _when_session_fields(body: QWidget) -> tuple[QDateTimeEdit, QSpinBox]:
    when = QDateTimeEdit(body)
    when.setObjectName("visitWhen")
    when.setCalendarPopup(True)
    session = QSpinBox(body)
    session.setObjectName("visitSession")
    session.setRange(1, 60)
    return when, session


def _pain_fields(body: QWidget) -> tuple[PainSpin, PainSpin, QLabel, QLabel, QHBoxLayout]:
    """Pain before and after, side by side in one row."""
    pain_before, pain_after = PainSpin(body), PainSpin(body)
    pain_before.setObjectName("painBefore")
    pain_after.setObjectName("painAfter")
    pains = QHBoxLayout()
    before_label, after_label = QLabel(body), QLabel(body)
    pains.addWidget(before_label)
    pains.addWidget(pain_before)
    pains.addSpacing(12)
    pains.addWidget(after_label)
    pains.addWidget(pain_after)
    pains.addStretch(1)
    return pain_before, pain_after, before_label, after_label, pains


def _form_rows(body: QWidget, box: QVBoxLayout, when: QDateTimeEdit, session: QSpinBox,
               pains: QHBoxLayout) -> tuple[QLabel, QLabel, QLabel]:
    """When, which session, pain: labelled rows; returns their labels."""
    form = QFormLayout()
    form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
    form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
    when_label, session_label, pain_label = QLabel(body), QLabel(body), QLabel(body)
    form.addRow(when_label, when)
    form.addRow(session_label, session)
    form.addRow(pain_label, pains)
    box.addLayout(form)
    return when_label, session_label, pain_label


def _screening_section(body: QWidget,
                       box: QVBoxLayout) -> tuple[QGroupBox, QLabel, QLabel, QGridLayout]:
    """The screening, asked again today: a status line, a hint, one row per group."""
    screening = QGroupBox(body)
    screening.setObjectName("visitScreening")
    grid = QVBoxLayout(screening)
    status = plain_label("", screening)
    status.setObjectName("visitScreeningStatus")
    grid.addWidget(status)
    since_label = plain_label("", screening)
    since_label.setObjectName("visitSinceHint")
    grid.addWidget(since_label)
    groups = QGridLayout()
    groups.setColumnStretch(0, 1)
    grid.addLayout(groups)
    box.addWidget(screening)
    return screening, status, since_label, groups


def _marks_section(body: QWidget,
                   box: QVBoxLayout) -> tuple[QGroupBox, QLabel, QPushButton, QPushButton]:
    """That day's pain points and lesions: the map's, with the buttons that mark them."""
    marks = QGroupBox(body)
    marks.setObjectName("visitMarksBox")
    marks_box = QVBoxLayout(marks)
    marks_label = plain_label("", marks)
    marks_label.setObjectName("visitMarks")
    mark_pain = QPushButton(marks)
    mark_lesion = QPushButton(marks)
    buttons = QHBoxLayout()
    buttons.addWidget(mark_pain)
    buttons.addWidget(mark_lesion)
    buttons.addStretch(1)
    marks_box.addWidget(marks_label)
    marks_box.addLayout(buttons)
    box.addWidget(marks)
    return marks, marks_label, mark_pain, mark_lesion


def _steps_section(body: QWidget, box: QVBoxLayout) -> tuple[QGroupBox, QLabel, QTableWidget]:
    """Each planned step: done, shortened or skipped (with a reason)."""
    steps_box = QGroupBox(body)
    steps_box.setObjectName("visitStepsBox")
    steps = QVBoxLayout(steps_box)
    steps_empty = plain_label("", steps_box)
    table = QTableWidget(0, 3, steps_box)
    table.setObjectName("visitSteps")
    table.verticalHeader().setVisible(False)
    header = table.horizontalHeader()
    header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
    header.setSectionResizeMode(1, QHeaderView.ResizeMode.Fixed)  # the outcome's list
    header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
    table.setTabKeyNavigation(False)  # Tab goes from one control to the next
    steps.addWidget(steps_empty)
    steps.addWidget(table)
    box.addWidget(steps_box)
    return steps_box, steps_empty, table


def _notes_section(body: QWidget, box: QVBoxLayout) -> tuple[
        QGroupBox, QLineEdit, QLabel, dict[str, QPlainTextEdit], dict[str, QLabel]]:
    """The reaction and the SOAP notes."""
    notes_box = QGroupBox(body)
    notes_box.setObjectName("visitNotesBox")
    notes = QFormLayout(notes_box)
    notes.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapAllRows)  # the edits get the width
    reaction = QLineEdit(notes_box)
    reaction.setObjectName("visitReaction")
    reaction_label = QLabel(notes_box)
    notes.addRow(reaction_label, reaction)
    soap: dict[str, QPlainTextEdit] = {}
    soap_labels: dict[str, QLabel] = {}
    for section in ("subjective", "objective", "assessment", "plan"):
        edit = QPlainTextEdit(notes_box)
        edit.setObjectName(f"soap_{section}")
        edit.setTabChangesFocus(True)
        edit.setFixedHeight(edit.fontMetrics().lineSpacing() * 3 + 12)
        label = QLabel(notes_box)
        notes.addRow(label, edit)
        soap[section], soap_labels[section] = edit, label
    box.addWidget(notes_box)
    return notes_box, reaction, reaction_label, soap, soap_labels


def _save_section(body: QWidget, box: QVBoxLayout) -> tuple[QCheckBox, QPushButton]:
    """Sign, and the save button (the default one) at the bottom right."""
    bottom = QHBoxLayout()
    sign = QCheckBox(body)
    sign.setObjectName("visitSign")
    save_button = QPushButton(body)
    save_button.setObjectName("saveVisitButton")
    save_button.setDefault(True)
    bottom.addStretch(1)
    bottom.addWidget(save_button)
    box.addWidget(sign)
    box.addLayout(bottom)
    box.addStretch(1)
    return sign, save_button


def _save_shortcuts(form: QWidget) -> tuple[QShortcut, QShortcut]:
    """Ctrl+Enter saves, from either Enter key, anywhere in the form."""
    shortcuts = (QShortcut(QKeySequence("Ctrl+Return"), form),
                 QShortcut(QKeySequence("Ctrl+Enter"), form))
    for shortcut in shortcuts:
        shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
    return shortcuts
