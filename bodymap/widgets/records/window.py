"""The main window's records commands: the records' dock on a tab, a dock left open at the last
close opened again once the window is ready, and the database chooser.

:class:`WindowRecords` is made with the built window (``MainWindow.ensure_loaded``) and takes
what it needs in its constructor; the window's own methods (``show_records``,
``choose_records_database``) delegate to it. Nothing here imports the records stack: the views
and the records open when first needed (``layout.ensure_records``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from bodymap.i18n import tr
from bodymap.widgets import settings as prefs

if TYPE_CHECKING:
    from PySide6.QtCore import QSettings
    from PySide6.QtWidgets import QMainWindow

    from bodymap.widgets.actions import ActionTable
    from bodymap.widgets.controller import SessionController
    from bodymap.widgets.layout import Status, WindowParts

__all__ = ["WindowRecords"]


class WindowRecords:
    """The records as the main window opens them."""

    def __init__(self, window: QMainWindow, parts: WindowParts, actions: ActionTable,
                 controller: SessionController, settings: QSettings, status: Status) -> None:
        self._window = window
        self._parts = parts
        self._actions = actions
        self._controller = controller
        self._settings = settings
        self._status = status

    def show(self, tab: str = "patients") -> None:
        """The records' dock, on ``tab`` (patients, visit, course, compare); a tab about a
        patient with none open shows the patients instead."""
        from bodymap.widgets.layout import ensure_records, place_records

        parts = self._parts
        dock = parts.records_dock
        dock.show()
        if not self._settings.value(prefs.RECORDS_PLACED, False, type=bool):
            place_records(self._window, parts)  # the first time: where it fits this window
            self._settings.setValue(prefs.RECORDS_PLACED, True)
        dock.raise_()
        view = ensure_records(parts, self._actions, self._controller)
        if tab != "patients" and parts.records.patient() is None:
            self._status(tr("records.no_patient"), 5000)
            tab = "patients"
        view.show_tab(tab)

    def left_open(self) -> None:
        """The window is ready: the records may open; a dock left open shows them now."""
        self._parts.records.set_started()
        if self._parts.records_dock.isVisible():
            from bodymap.widgets.layout import ensure_records

            ensure_records(self._parts, self._actions, self._controller)

    def choose_database(self) -> None:
        """Where the records are: the default file, another SQLite file or a server's URL."""
        from bodymap.widgets.records.patients import DatabaseDialog

        DatabaseDialog(self._parts.records, self._window).exec()

    def has_course(self) -> bool:
        """A patient is open and has visits to show; else says why not in the status bar."""
        patient = self._parts.records.patient()
        if patient is None or not patient.visits:
            self._status(tr("records.no_patient") if patient is None
                         else tr("records.course_empty"), 5000)
            return False
        return True
