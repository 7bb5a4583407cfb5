"""The main window: docks and layout around one session controller.

The window holds no session state. :class:`~bodymap.widgets.controller.SessionController` owns
the document, the library, the plan, the current step and the clock; the window lays out the
widgets that render it and connects them (:meth:`MainWindow._connect`). Plan files are
:class:`~bodymap.widgets.documents.DocumentManager`'s, the menus and shortcuts
:class:`~bodymap.widgets.actions.ActionTable`'s, and every dialog goes through the injected
:class:`~bodymap.widgets.prompts.Prompter` (tests pass a scripted one).

Start-up is staged so that the first paint never waits for the heavy parts (BRIEF.md): the
constructor builds only menus, an empty central label and the status bar, and checks that the
shipped data files exist. After the first paint :meth:`MainWindow.ensure_loaded` loads the
geometry and the library, builds the controller and the widgets (pyqtgraph is imported then),
and emits :attr:`MainWindow.ready`. A data error found then is shown and the application exits
with code 1.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from PySide6.QtCore import QSettings, QSize, QTimer, Signal
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import QLabel, QMainWindow, QWidget

import bodymap
from bodymap import i18n
from bodymap.findings import Hernia
from bodymap.i18n import tr
from bodymap.widgets import settings as prefs
from bodymap.widgets.actions import MARK_MODES, ActionTable
from bodymap.widgets.prompts import Prompter

# Only what the first paint needs is imported above: every other Qt class (and its enums,
# which PySide6 creates on first use) is imported when the window is filled in.

__all__ = ["MARK_MODES", "MainWindow"]


def _check_data_files() -> None:
    """Cheap check, before the first paint, that the shipped data is there at all."""
    from bodymap.errors import DataFileError
    from bodymap.resources import resource_dir

    for kind, parts in (("assets", ("zones.svg", "zones.toml")), ("protocols", ())):
        try:
            folder = resource_dir(kind)
        except FileNotFoundError as exc:
            raise DataFileError(str(exc)) from None
        for name in parts:
            if not (folder / name).is_file():
                raise DataFileError("the file is missing", path=folder / name,
                                    expected="a complete bodymap installation")


class MainWindow(QMainWindow):
    """The guide application's main window."""

    firstPainted = Signal()
    ready = Signal()

    #: Autosave interval (ms); tests shorten it.
    AUTOSAVE_MS = 60_000

    def __init__(self, condition: str | Sequence[str] | None = None, *, library: Any = None,
                 geometry: Any = None, settings: QSettings | None = None,
                 prompter: Prompter | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("bodymapMainWindow")
        self.settings = settings if settings is not None else prefs.app_settings()
        self.prompter = prompter if prompter is not None else Prompter()
        self.prompter.set_parent(self)
        lang = prefs.get_str(self.settings, prefs.LANGUAGE, i18n.language())
        if lang in i18n.LANGUAGES:
            i18n.set_language(lang)
        if library is None or geometry is None:
            _check_data_files()
        self._data = (library, geometry)
        # the conditions asked for (the first leads), as `bodymap --condition A --condition B`
        self._initial = (condition,) if isinstance(condition, str) else tuple(condition or ())
        self._painted = self._loaded = self._built = False
        self._fatal: BaseException | None = None
        self._shown_plan: Any = self  # the plan the widgets show (self: none shown yet)
        self.controller: Any = None
        self.documents: Any = None
        self.map = self.player = self.course = None
        self.presentation: Any = None
        self.study_window: Any = None
        self._dialogs: dict[str, Any] = {}
        self.problems_button: Any = None  # made with the status bar's widgets (layout.py)
        self.actions_table = ActionTable(self)
        self.mark_actions = self.actions_table.mark_actions
        self.lang_actions = self.actions_table.lang_actions
        self.actions_table.mark_group.triggered.connect(self._on_mark_action)
        self.actions_table.build_menus(self.menuBar())
        self.menus = self.actions_table.menus
        # Before the first paint nothing may touch PySide6's ``Qt`` namespace: its first use
        # creates every Qt.* enum, which costs more than a bare window's paint.
        self.loading_label: Any = QLabel(self)
        self.setCentralWidget(self.loading_label)
        self.statusBar()  # created now: a child made after show() would stay hidden
        self.hover_label: Any = None
        self.autosave_timer = QTimer(self)
        self.autosave_timer.setObjectName("autosaveTimer")
        self.autosave_timer.setInterval(self.AUTOSAVE_MS)
        self.autosave_timer.timeout.connect(lambda: self.documents and
                                            self.documents.autosave_now())
        self._remove_listener = i18n.on_language_changed(lambda _lang: self.retranslate())
        self.destroyed.connect(lambda *_: self._remove_listener())
        self.resize(1400, 900)
        geometry_bytes = prefs.get_bytes(self.settings, prefs.GEOMETRY)
        if geometry_bytes is not None:
            self.restoreGeometry(geometry_bytes)
        self.retranslate()

    # what the window shows (read from the controller) -----------------------------------------
    @property
    def plan(self) -> Any:
        return self.controller.plan() if self.controller is not None else None

    @property
    def techniques(self) -> Any:
        """The technique library (made on first use: it starts hidden), or None before the
        window is built."""
        if not self._built:
            return None
        from bodymap.widgets.layout import ensure_techniques

        return ensure_techniques(self)

    @property
    def library(self) -> Any:
        return self.controller.library if self.controller is not None else self._data[0]

    @property
    def back_geometry(self) -> Any:
        return self.controller.geometry if self.controller is not None else self._data[1]

    def document(self) -> Any:
        return self.controller.document() if self.controller is not None else None

    def act(self, key: str) -> Any:
        """The QAction of the action table's ``key`` (e.g. ``"save"``)."""
        return self.actions_table[key]

    def show_status(self, text: str, ms: int = 5000) -> None:
        self.statusBar().showMessage(text, ms)

    # staged start-up --------------------------------------------------------------------------
    def paintEvent(self, event) -> None:
        super().paintEvent(event)
        if not self._painted:
            self._painted = True
            # announce first (the start-up benchmark stops here), then fill the window in
            self.firstPainted.emit()
            QTimer.singleShot(0, self._after_first_paint)

    def _after_first_paint(self) -> None:
        self.actions_table.install_shortcuts()
        QTimer.singleShot(0, self.ensure_loaded)

    def is_ready(self) -> bool:
        return self._built and self._fatal is None

    def ensure_ready(self) -> bool:
        self.ensure_loaded()
        return self.is_ready()

    def ensure_loaded(self) -> None:
        """Load data, build the controller and the widgets (idempotent); then emit ``ready``."""
        if self._loaded:
            return
        self._loaded = True
        self.actions_table.install_shortcuts()
        from bodymap.errors import BodymapError
        from bodymap.widgets.controller import SessionController
        from bodymap.widgets.documents import DocumentManager

        library, geometry = self._data
        try:
            if geometry is None:
                from bodymap.geometry import load_geometry

                geometry = load_geometry()
            if library is None:
                from bodymap.library import load_library

                library = load_library()
        except BodymapError as exc:
            self._fail(exc)
            return
        self.controller = SessionController(library, geometry, self)
        self.documents = DocumentManager(self.controller, self.settings, self.prompter,
                                         self.show_status, self)
        self.documents.changed.connect(self._update_title)
        from PySide6.QtWidgets import QApplication

        from bodymap.widgets.accessible import install_focus_style
        from bodymap.widgets.layout import build_window

        install_focus_style(QApplication.instance())
        build_window(self)
        self._connect()
        self._built = True
        self.retranslate()
        self._start_session()
        if self.isVisible():
            self.autosave_timer.start()
        self.ready.emit()

    def _start_session(self) -> None:
        """The conditions asked for (or the last plan's), recent files, then crash recovery."""
        conditions = self._initial or self._remembered_conditions()
        if conditions and not self.panel.set_conditions(conditions):
            if self._initial:
                self.show_status(tr("status.unknown_condition", id=", ".join(conditions)),
                                 10000)
            self.panel.set_conditions(())
        self.documents.saved = self.controller.document()
        if self._shown_plan is not self.controller.plan():  # not shown yet (no re-plan ran)
            self._show_plan(self.controller.plan())
        self.problems_button.show_library(self.library)
        self.documents.prune_recent()
        self.documents.offer_recovery()
        self._update_title()

    def _remembered_conditions(self) -> tuple[str, ...]:
        """The last plan's conditions the library has; the status bar names the rest."""
        known, message = prefs.remembered_conditions(self.settings, self.library.conditions)
        if message:
            self.show_status(message, 15000)
        return known

    def _fail(self, exc: BaseException) -> None:
        """A data file is missing or malformed: name it and leave (exit code 1)."""
        self._fatal = exc
        print(f"bodymap: error: {exc}", file=sys.stderr)
        self.prompter.error(tr("app.name"), str(exc))
        self.prompter.quit_app(1)
        if self.loading_label is not None:
            self.loading_label.setText(str(exc))

    # the controller's announcements -> widgets ------------------------------------------------
    def _connect(self) -> None:
        c = self.controller
        self.panel.bind(c)
        self.player.bind(c)
        c.planChanged.connect(self._show_plan)
        c.profileChanged.connect(
            lambda doc: self.map.set_pain_points(doc.pain_points if doc is not None else ()))
        c.stepChanged.connect(self._show_step)
        c.playingChanged.connect(lambda playing: self.map.set_playing(
            playing and not self.is_presenting()))
        c.positionChanged.connect(self._on_position)
        c.planFailed.connect(lambda text: self.show_status(text, 10000))
        self.problems_button.bind(c)
        self.steps.stepActivated.connect(c.request_step)
        recent = self.menus["recent"]
        recent.aboutToShow.connect(lambda: self.documents.fill_recent_menu(recent))
        self.map.herniaPlaced.connect(self._on_hernia_placed)
        self.map.painPointPlaced.connect(self._on_pain_point)
        self.map.lesionToggled.connect(c.request_toggle_lesion)
        self.map.markingCancelled.connect(  # Esc on the map: no marking action stays checked
            lambda: [a.setChecked(False) for a in self.mark_actions.values()])
        self.map.zoneClicked.connect(lambda zone: self.show_status(self._zone_name(zone), 5000))
        self.map.zoneHovered.connect(
            lambda zone: self.hover_label.setText(self._zone_name(zone) if zone else ""))

    def _show_plan(self, plan: Any) -> None:
        self._shown_plan = plan
        playable = self.controller.playable_plan()
        self.banner.set_plan(plan, self.library)
        self.steps.set_plan(playable, self.library, self.back_geometry)
        self.steps_stack.setCurrentWidget(self.steps if playable else self.steps_empty)
        self._update_steps_empty()
        self.notes.set_plan(plan)
        self.map.set_plan(plan)
        self.course.set_plan(plan)
        self.course.setVisible(plan is not None)  # never bare axes: the words say what to do
        self.course_empty.setVisible(plan is None)
        from bodymap.widgets.layout import fit_bottom_docks

        fit_bottom_docks(self)
        self.actions_table.set_state(ready=True, plan=plan is not None)

    def _show_step(self, index: int) -> None:
        if 0 <= index < len(self.map.steps()):
            self.map.set_step(index)
        self.steps.select_step(index)

    def _on_position(self, minutes: float) -> None:
        if not self.controller.is_playing():  # scrubbing the timeline moves the hands, too
            self.map.set_phase(minutes * 60_000.0 / self.map.ANIMATION_MS)

    def _update_steps_empty(self) -> None:
        key = "steps.empty_none" if self.plan is None else "steps.empty_blocked"
        self.steps_empty.setText(tr(key))

    def _zone_name(self, zone: str) -> str:
        from bodymap.widgets.panels import zone_name

        return zone_name(self.back_geometry, zone)

    # map marking -> requests ------------------------------------------------------------------
    def _on_mark_action(self, _action: Any) -> None:
        mode = next((m for m, a in self.mark_actions.items() if a.isChecked()), None)
        if self.map is not None:
            self.map.set_mark_mode(mode)
        if mode is not None:
            self.show_status(tr(f"mark.{mode}_hint"), 8000)

    def _on_hernia_placed(self, level: str, side: str) -> None:
        """A hernia marked on the map is added (its stage not given yet); a click on one
        already marked there removes it again."""
        doc = self.controller.document()
        hernias = list(doc.to_profile().hernias) if doc is not None else []
        kept = [h for h in hernias if h.key != (level, side)]
        if len(kept) == len(hernias):
            kept.append(Hernia(level, side))
            key = "status.hernia_placed"
        else:
            key = "status.hernia_removed"
        self.controller.request_profile(hernias=tuple(kept))
        self.show_status(tr(key, level=level, side=tr(f"panel.side.{side}")), 8000)

    def _on_pain_point(self, x: float, y: float) -> None:
        """Mark a painful place (or unmark one clicked again): the introductory sessions keep
        off it (Part 4). At the planner's limit the mark is refused and the limit said."""
        from bodymap.planner import MAX_PAIN_POINTS

        outcome = self.controller.request_pain_point(x, y)
        if outcome == "limit":
            self.show_status(tr("status.pain_limit", n=MAX_PAIN_POINTS), 8000)
        elif outcome == "removed":
            self.show_status(tr("status.pain_removed"), 8000)
        elif outcome == "added":
            half = self.back_geometry.zone_at(x, y)
            where = self._zone_name(half) if half else tr("status.outside_zones")
            self.show_status(tr("status.pain_placed", where=where), 8000)

    # protocols --------------------------------------------------------------------------------
    def reload_protocols(self) -> bool:
        """Read the protocols again, keeping the patient (``protocol_folder.reload``)."""
        from bodymap.widgets import protocol_folder

        return self.ensure_ready() and protocol_folder.reload(self)

    def open_protocol_folder(self) -> Path:
        """Create the user protocol folder if needed and show it in the file manager."""
        from bodymap.widgets import protocol_folder

        return protocol_folder.show(self)

    # other windows ----------------------------------------------------------------------------
    def enter_presentation(self) -> None:
        """Show the plan to the patient, full screen. With a second screen the presentation
        opens there and this window stays the therapist's remote (play, pause, steps, the
        plan; F5 again leaves); with one screen it covers this window until Esc."""
        if not self.ensure_ready():
            return
        if self.is_presenting():
            self.leave_presentation()
            return
        if self.presentation is None:
            from bodymap.widgets.presentation import PresentationWindow

            self.presentation = PresentationWindow(self.controller, self)
            self.presentation.bind()
            self.presentation.left.connect(self._left_presentation)
        self.map.set_playing(False)
        from bodymap.widgets.presentation import other_screen

        patient = other_screen(self)
        self.act("presentation").setEnabled(patient is not None)  # one screen: F5 is its own
        self.presentation.show_on(patient)
        if patient is not None:
            self.activateWindow()  # the keyboard stays with the therapist
            self.show_status(tr("present.on_screen", screen=patient.name()), 8000)

    def leave_presentation(self) -> None:
        if self.is_presenting():
            self.presentation.close()

    def _left_presentation(self) -> None:
        self.act("presentation").setEnabled(True)
        self.map.set_playing(self.controller.is_playing())
        self.raise_()
        self.activateWindow()

    def is_presenting(self) -> bool:
        return self.presentation is not None and self.presentation.isVisible()

    def open_study(self) -> None:
        from PySide6.QtCore import Qt

        if not self.ensure_ready():
            return
        if self.study_window is None:
            from bodymap.widgets.study import StudyWidget

            self.study_window = StudyWidget(self.library, self.back_geometry, parent=self,
                                            prompter=self.prompter)
            self.study_window.setWindowFlag(Qt.WindowType.Window, True)
            self.study_window.setObjectName("studyWindow")
            self.study_window.resize(1100, 800)
        self.study_window.setWindowTitle(tr("studymode.title"))
        self.study_window.show()
        self.study_window.raise_()
        self.study_window.activateWindow()

    def reset_layout(self) -> None:
        from bodymap.widgets.layout import reset_layout

        reset_layout(self)

    # help -------------------------------------------------------------------------------------
    def show_about(self) -> None:
        self.prompter.about(tr("about.title"), tr("about.text", version=bodymap.__version__,
                                                  disclaimer=tr("app.disclaimer")))

    def show_shortcuts(self) -> None:
        from bodymap.widgets.dialogs import ShortcutsDialog

        dialog = self._dialogs.get("shortcuts")
        if dialog is None:
            dialog = self._dialogs["shortcuts"] = ShortcutsDialog(self.shortcut_rows, self)
        dialog.retranslate()
        dialog.show()
        dialog.raise_()

    def shortcut_rows(self) -> list[tuple[str, str]]:
        return self.actions_table.shortcut_rows()

    # language, title, window events -----------------------------------------------------------
    def set_language(self, lang: str) -> None:
        i18n.set_language(lang)
        self.settings.setValue(prefs.LANGUAGE, lang)

    def retranslate(self) -> None:
        self.actions_table.retranslate()
        if self.loading_label is not None and self._fatal is None:
            self.loading_label.setText(tr("banner.loading"))
        if self._built:
            from bodymap.widgets.layout import retranslate_window

            retranslate_window(self)
            self._update_steps_empty()
            self.problems_button.retranslate()
        if "shortcuts" in self._dialogs:
            self._dialogs["shortcuts"].retranslate()
        if self.study_window is not None:
            self.study_window.setWindowTitle(tr("studymode.title"))
        self._update_title()

    def _update_title(self) -> None:
        docs = self.documents
        name = docs.display_name() if docs is not None else tr("doc.untitled")
        self.setWindowTitle(f"{name}[*] — {tr('app.name')}")
        self.setWindowModified(bool(self._built and docs.is_modified()))

    def showEvent(self, event) -> None:
        super().showEvent(event)
        if self._built:
            self.autosave_timer.start()

    def hideEvent(self, event) -> None:
        self.autosave_timer.stop()
        super().hideEvent(event)

    def changeEvent(self, event) -> None:
        super().changeEvent(event)
        from PySide6.QtCore import QEvent

        if event.type() == QEvent.Type.LanguageChange:  # Qt's own path (a translator installed)
            self.retranslate()
        minimized = event.type() == QEvent.Type.WindowStateChange and self.isMinimized()
        if minimized and self.controller is not None:
            self.controller.request_pause()

    def closeEvent(self, event: QCloseEvent) -> None:
        if self._built and not self.documents.maybe_save():
            event.ignore()
            return
        if self._built:
            self.documents.discard_autosaves()
            self.controller.request_pause()
        self.autosave_timer.stop()
        problems = self.problems_button.dialog if self.problems_button is not None else None
        for window in (self.presentation, self.study_window, problems, *self._dialogs.values()):
            if window is not None:
                window.close()
        self.settings.setValue(prefs.GEOMETRY, self.saveGeometry())
        if self._built:
            from bodymap.widgets.layout import save_layout

            save_layout(self)
        self.settings.sync()
        event.accept()

    def sizeHint(self) -> QSize:
        return QSize(1400, 900)

