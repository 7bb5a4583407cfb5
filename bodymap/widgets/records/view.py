"""The records dock's contents: the patient list (home), today's visit, the course and the
comparison of two visits, as tabs; each view binds itself to the records controller.
Opening a patient turns to today's visit, ready to record."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import QTabWidget, QWidget

from bodymap.i18n import tr
from bodymap.widgets.accessible import RetranslatesOnLanguageChange

if TYPE_CHECKING:
    from bodymap.geometry import BackGeometry
    from bodymap.records.model import Patient
    from bodymap.widgets.records.compare import VisitCompare
    from bodymap.widgets.records.controller import RecordsController
    from bodymap.widgets.records.course_view import CourseView
    from bodymap.widgets.records.patients import PatientsPane
    from bodymap.widgets.records.visit_form import VisitForm

__all__ = ["TABS", "RecordsView"]

TABS = ("patients", "visit", "course", "compare")


class RecordsView(RetranslatesOnLanguageChange, QTabWidget):
    """Patients, today's visit, the course, two visits compared."""

    def __init__(self, geometry: BackGeometry, parent: QWidget | None = None) -> None:
        from bodymap.widgets.records.compare import VisitCompare
        from bodymap.widgets.records.course_view import CourseView
        from bodymap.widgets.records.patients import PatientsPane
        from bodymap.widgets.records.visit_form import VisitForm

        super().__init__(parent)
        self.setObjectName("recordsView")
        self.patients: PatientsPane = PatientsPane(self)
        self.visit: VisitForm = VisitForm(self)
        self.course: CourseView = CourseView(self)
        self.compare: VisitCompare = VisitCompare(geometry, self)
        for widget in (self.patients, self.visit, self.course, self.compare):
            self.addTab(widget, "")
        self._patient_id: int | None = None
        self.retranslate()

    def bind(self, rc: RecordsController) -> None:
        self.patients.bind(rc)
        self.visit.bind(rc)
        self.course.bind(rc)
        self.compare.bind(rc)
        rc.patientChanged.connect(self._patient)
        self._patient(rc.patient())

    def _patient(self, patient: Patient | None) -> None:
        """A patient opened: today's visit, ready to record (a reload of the same one stays)."""
        pid = patient.id if patient is not None else None
        if pid is not None and pid != self._patient_id:
            self.show_tab("visit")
        self._patient_id = pid
        for i in (1, 2, 3):
            self.setTabEnabled(i, patient is not None)

    def show_tab(self, key: str) -> None:
        self.setCurrentIndex(TABS.index(key))
        if key == "visit":
            self.visit.pain_before.setFocus()
        elif key == "patients":
            self.patients.search.setFocus()

    def current_tab(self) -> str:
        return TABS[self.currentIndex()]

    def retranslate(self) -> None:
        for i, key in enumerate(TABS):
            self.setTabText(i, tr(f"records.tab.{key}"))
            self.setTabToolTip(i, tr(f"records.tab.{key}_tip"))
