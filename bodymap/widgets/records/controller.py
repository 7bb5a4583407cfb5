"""The records' side of the session: the one owner of the open records, the open patient and
today's visit (:class:`RecordsController`).

It opens the records (the database the settings name: the default SQLite file, another file,
or a ``postgresql://`` URL) when a view first needs them, never at start-up. Opening a patient
shows their conditions and findings as the session's plan, with nothing answered yet (the
screening is asked again at every visit) and the next session of the course; the therapist
answers the screening, marks that day's pain points and lesions on the map, and the visit form
saves it all with what they typed, through the store, in one transaction. Views render what
it announces and send it requests; they keep no copy.

Signals::

    opened(str)            the records (re)opened: where they are ("" when they could not be)
    patientsChanged()      the patient list may read differently (a patient or visit added)
    patientChanged(obj)    the open patient (Patient, or None), reloaded after each change
    visitChanged(obj)      today's visit as saved (Visit), or None while it is not saved yet
    confirmedChanged(obj)  the screening groups confirmed unchanged today (tuple)
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QSettings, Signal

from bodymap.i18n import tr
from bodymap.widgets import settings as prefs

if TYPE_CHECKING:
    from bodymap.records.model import (
        Confirmation,
        Patient,
        PatientSummary,
        Visit,
    )
    from bodymap.records.store import Records
    from bodymap.records.today import PlannedStep, VisitEntry
    from bodymap.widgets.controller import SessionController
    from bodymap.widgets.documents import DocumentManager
    from bodymap.widgets.prompts import Prompter

__all__ = ["RecordsController"]

Status = Callable[[str, int], None]


class RecordsController(QObject):
    """The records, the open patient and today's visit."""

    opened = Signal(str)
    patientsChanged = Signal()
    patientChanged = Signal(object)
    visitChanged = Signal(object)
    confirmedChanged = Signal(object)

    def __init__(self, session: SessionController, settings: QSettings, prompter: Prompter,
                 status: Status, documents: DocumentManager | None = None,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("recordsController")
        self.session = session
        self.settings = settings
        self.prompter = prompter
        self.status = status
        self.documents = documents
        self._records: Records | None = None
        self._tried = False
        self._patient: Patient | None = None
        self._last: Visit | None = None
        self._visit: Visit | None = None
        self._confirmed: tuple[Confirmation, ...] = ()
        self._visits: tuple[int, int, list[Visit]] | None = None  # (patient, version, visits)
        self._started = False

    def started(self) -> bool:
        """The window is ready (everything shown): a dock left open may open the records."""
        return self._started

    def set_started(self) -> None:
        self._started = True

    # the database -----------------------------------------------------------------------------
    def database(self) -> str:
        """The database the settings name ("" for the default SQLite file)."""
        return prefs.get_str(self.settings, prefs.RECORDS_DB, "")

    def describe(self, db: str | None = None) -> str:
        """Where the records are, for the user (a URL without its password)."""
        from bodymap.errors import BodymapError
        from bodymap.records.database import resolve

        try:
            return resolve(self.database() if db is None else db).describe()
        except BodymapError as exc:
            return str(exc)

    def records(self) -> Records | None:
        """The open records, opened on first use (None when they cannot be opened: said)."""
        if self._records is None and not self._tried:
            self._tried = True
            self._records = self._open(self.database())
            self._announce(self.database())
        return self._records

    def set_database(self, db: str) -> bool:
        """Use the records at ``db`` ("" for the default file) from now on, remembered; if they
        cannot be opened, the records in use stay (and nothing is remembered)."""
        db = db.strip()
        records = self._open(db)
        if records is None:
            return False
        if self._records is not None:
            self._records.close()
        self._records = records
        self._tried = True
        if db:
            self.settings.setValue(prefs.RECORDS_DB, db)
        else:
            self.settings.remove(prefs.RECORDS_DB)
        self._set_patient(None)
        self._announce(db)
        self.patientsChanged.emit()
        return True

    def _open(self, db: str) -> Records | None:
        """The records at ``db``, or None (said in one message)."""
        from bodymap.errors import BodymapError
        from bodymap.records.store import Records

        try:
            return Records.open(db or None, library=self.session.library,
                                geometry=self.session.geometry)
        except BodymapError as exc:
            self._error(tr("records.open_failed", where=self.describe(db), error=str(exc)))
            return None

    def _announce(self, db: str) -> None:
        records = self._records
        if records is None:
            self.opened.emit("")
            return
        where = self.describe(db)
        self.opened.emit(where)
        if records.notice:
            self.prompter.error(tr("records.title"), records.notice)
        for warning in records.warnings:
            self.status(warning, 10000)
        self.status(tr("records.status.opened", where=where), 5000)

    def close(self) -> None:
        if self._records is not None:
            self._records.close()
            self._records = None

    def _error(self, text: str) -> None:
        """One clear message: in a box (it needs the user) and in the status bar."""
        self.status(text, 10000)
        self.prompter.error(tr("records.title"), text)

    # reading ----------------------------------------------------------------------------------
    def patients(self, search: str = "") -> list[PatientSummary]:
        records = self.records()
        return records.patients(search) if records is not None else []

    def patient(self) -> Patient | None:
        return self._patient

    def last_visit(self) -> Visit | None:
        """The open patient's latest visit before today's (its answers may be confirmed)."""
        return self._last

    def visit(self) -> Visit | None:
        """Today's visit once saved (then the form edits it), else None."""
        return self._visit

    def confirmed(self) -> tuple[Confirmation, ...]:
        return self._confirmed

    def visits(self) -> list[Visit]:
        """The open patient's visits in full, oldest first (read once per change)."""
        patient, records = self._patient, self._records
        if patient is None or records is None:
            return []
        if self._visits is None or self._visits[:2] != (patient.id, patient.version):
            self._visits = (patient.id, patient.version, records.visits(patient.id))
        return self._visits[2]

    def course_sessions(self, conditions: Sequence[str]) -> int | None:
        """The lead condition's course length (None without one)."""
        lead = self.session.library.conditions.get(conditions[0]) if conditions else None
        course = getattr(lead, "course", None)
        return int(course.sessions) if course is not None else None

    def read_only(self) -> bool:
        return self._records is not None and self._records.read_only

    # requests ---------------------------------------------------------------------------------
    def request_add_patient(self, name: str, birth_year: int | None) -> Patient | None:
        """A new patient with the plan's conditions and findings; opened at once."""
        from bodymap.errors import BodymapError
        from bodymap.records.checks import finding_keys

        records = self.records()
        if records is None:
            return None
        doc = self.session.document()
        if doc.is_draft:
            self._error(tr("records.need_conditions"))
            return None
        profile = doc.profile.model_dump(mode="json")
        findings = {k: profile[k] for k in finding_keys() if profile.get(k)}
        try:
            patient = records.add_patient(name, list(doc.conditions), findings=findings,
                                          birth_year=birth_year, notes=doc.notes)
        except BodymapError as exc:
            self._error(str(exc))
            return None
        self.patientsChanged.emit()
        self.status(tr("records.status.added", name=patient.name), 5000)
        self.request_open_patient(patient.id, ask=False)
        return patient

    def request_open_patient(self, patient_id: int, *, ask: bool = True) -> bool:
        """Show the patient: their conditions and findings as the plan, the next session, the
        screening not answered yet (asked again), no pain points yet; today's visit to record."""
        from bodymap.document import PlanDocument
        from bodymap.errors import BodymapError
        from bodymap.records.today import next_session

        records = self.records()
        if records is None:
            return False
        if ask and self.documents is not None and not self.documents.maybe_save():
            return False
        try:
            patient = records.patient(patient_id)
            last = records.last_visit(patient_id)
        except BodymapError as exc:
            self._error(str(exc))
            return False
        total = self.course_sessions(patient.conditions)
        session = next_session(patient, total) or (total or 1)
        findings = dict(patient.current.findings)
        try:
            doc = PlanDocument.model_validate({
                "patient": {"name": patient.name, "notes": patient.notes},
                "profile": {"conditions": list(patient.conditions), **findings,
                            "session": session},
            })
        except ValueError as exc:
            self._error(str(exc))
            return False
        self._last = last
        self._visit = None
        self._confirmed = ()
        self._set_patient(patient)
        if self.documents is not None:
            self.documents.show_document(doc, None)
        else:
            self.session.request_document(doc)
        self.confirmedChanged.emit(self._confirmed)
        self.visitChanged.emit(None)
        self.status(tr("records.status.opened_patient", name=patient.name, session=session),
                    5000)
        return True

    def request_close_patient(self) -> None:
        self._last = self._visit = None
        self._confirmed = ()
        self._set_patient(None)
        self.visitChanged.emit(None)
        self.confirmedChanged.emit(())

    def request_confirm_unchanged(self, group: str) -> bool:
        """One deliberate click: ``group``'s answers as at the last visit, recorded as
        "unchanged since <that date>"; the plan follows (one undoable step)."""
        from bodymap.records.model import VisitDraft
        from bodymap.records.visit_day import confirm_unchanged

        last = self._last
        if last is None or self._patient is None:
            return False
        profile = self.session.document().profile.model_dump(mode="json")
        draft = VisitDraft(session=profile["session"], profile=profile,
                           confirmed=self._confirmed)
        after = confirm_unchanged(draft, group, last, self.session.library.contraindications)
        self._confirmed = after.confirmed
        self.session.request_profile(present=tuple(after.profile["present"]),
                                     answered=tuple(after.profile["answered"]))
        self.confirmedChanged.emit(self._confirmed)
        self.status(tr("records.status.confirmed", group=tr(f"records.group.{group}"),
                       date=last.at.day()), 5000)
        return True

    def request_save_visit(self, entry: VisitEntry) -> Visit | None:
        """Record today's visit (one transaction), or save the changes to it while it is
        editable. A change made elsewhere since (another computer, another window) is never
        overwritten: one message says what to do."""
        from bodymap.errors import BodymapError
        from bodymap.records.errors import ConcurrentEditError, LockedError
        from bodymap.records.today import findings_change, make_draft

        records, patient = self.records(), self._patient
        if records is None or patient is None:
            self._error(tr("records.no_patient"))
            return None
        doc, plan = self.session.document(), self.session.plan()
        if doc.is_draft:
            self._error(tr("records.need_conditions"))
            return None
        profile = doc.profile.model_dump(mode="json")
        draft = make_draft(entry, profile, plan.to_json() if plan is not None else None,
                           self._confirmed)
        try:
            if self._visit is None:
                visit = records.record_visit(patient.id, draft, sign=entry.sign,
                                             change=findings_change(patient, profile),
                                             version=patient.version)
            else:
                visit = records.edit_visit(self._visit.id, self._visit.version, draft,
                                           sign=entry.sign)
        except ConcurrentEditError:
            self._error(tr("records.concurrent", name=patient.name))
            return None
        except LockedError as exc:
            self._error(tr("records.locked", error=str(exc)))
            return None
        except BodymapError as exc:
            self._error(str(exc))
            return None
        self._visit = visit
        self._set_patient(records.patient(patient.id))
        if self.documents is not None:
            self.documents.mark_recorded()
        self.patientsChanged.emit()
        self.visitChanged.emit(visit)
        key = "records.status.signed" if visit.signed else "records.status.saved"
        self.status(tr(key, name=patient.name, session=visit.session), 8000)
        return visit

    def planned_steps(self) -> list[PlannedStep]:
        """The steps of the session's plan when it may be carried out (else none)."""
        from bodymap.records.today import PlannedStep

        plan = self.session.playable_plan()
        if plan is None:
            return []
        return [PlannedStep(i, s.technique, float(s.minutes), s.variant)
                for i, s in enumerate(plan.steps)]

    def _set_patient(self, patient: Patient | None) -> None:
        self._patient = patient
        if patient is None:
            self._visits = None
        self.patientChanged.emit(patient)

    # for views that need words of the library ------------------------------------------------
    def condition_names(self, conditions: Sequence[str]) -> str:
        from bodymap import i18n

        library = self.session.library
        names = []
        for cid in conditions:
            c = library.conditions.get(cid)
            names.append(getattr(c.name, i18n.language()) if c is not None else cid)
        return ", ".join(names)
