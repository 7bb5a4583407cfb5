"""The main window: docks and layout around one session controller.

The window holds no session state. :class:`~bodymap.widgets.controller.SessionController` owns
the document, the library, the plan, the current step, the clock and the undo history; the
window lays out the views that render it (:func:`~bodymap.widgets.layout.build_window`
returns them as one typed :class:`~bodymap.widgets.layout.WindowParts`, each view already
bound to the controller). Plan files are :class:`~bodymap.widgets.documents.DocumentManager`'s,
the menus and shortcuts :class:`~bodymap.widgets.actions.ActionTable`'s, and every dialog goes
through the injected :class:`~bodymap.widgets.prompts.Prompter` (tests pass a scripted one).

Start-up is staged so that the first paint never waits for the heavy parts (BRIEF.md): the
constructor builds only menus, an empty central label and the status bar, and checks that the
shipped data files exist. After the first paint :meth:`MainWindow.ensure_loaded` loads the
geometry and the library, builds the controller and the views, opens the session (recovered
work, else the plan file open at the last close) and emits :attr:`MainWindow.ready` (built,
not yet painted). Once the map, the panels, the banner and the steps have painted (*map ready*,
``readiness.py``: :attr:`MainWindow.startup`), :meth:`MainWindow.load_plots` imports pyqtgraph
and makes the player's timeline and the course chart in place of blanks of their size, and
emits :attr:`MainWindow.plotsLoaded`; once they have painted the window is *ready*. A data
error found while loading is shown and the application exits with code 1. A window closed
before that never loads at all.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QSettings, QSize, QTimer, Signal
from PySide6.QtGui import QAction, QCloseEvent, QHideEvent, QPaintEvent, QShowEvent
from PySide6.QtWidgets import QLabel, QMainWindow, QWidget

import bodymap
from bodymap import i18n
from bodymap.i18n import tr
from bodymap.widgets import settings as prefs
from bodymap.widgets.actions import MARK_MODES, ActionTable
from bodymap.widgets.prompts import Prompter

if TYPE_CHECKING:
    from bodymap.geometry import BackGeometry
    from bodymap.library import Library
    from bodymap.plan_types import Plan
    from bodymap.widgets.controller import SessionController
    from bodymap.widgets.documents import DocumentManager
    from bodymap.widgets.layout import WindowParts
    from bodymap.widgets.presentation import PresentationWindow
    from bodymap.widgets.records.window import WindowRecords
    from bodymap.widgets.study import StudyWidget
    from bodymap.widgets.techniques import TechniqueLibrary

# Only what the first paint needs is imported above: every other Qt class (and its enums,
# which PySide6 creates on first use) is imported when the window is filled in.

__all__ = ["FIRST_SIZE", "MARK_MODES", "MainWindow"]

#: The first window's size where the screen holds it (pixels)
FIRST_SIZE = (1400, 900)
#: Room left around it for the window manager's frame and title bar (pixels)
FRAME_ALLOWANCE = (16, 48)
#: The smallest screen the window is fitted to (its least size needs about this much); on a
#: smaller one it opens at FIRST_SIZE as it always did
LEAST_SCREEN = (1024, 600)


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


def _forget_read_sources() -> None:
    """Drop the source text of every module imported since PySide6 was.

    PySide6 reads each module imported after it through ``linecache`` (to see whether the
    module uses its ``__feature__`` switches), and the cache keeps all those lines: megabytes
    of source text (numpy's, pydantic's, pyqtgraph's, bodymap's...) kept for nothing. Dropped
    after each stage of start-up that imports many modules (the data, the window, the plots),
    the next stage reuses that memory: 15 MB less resident at ready (``make bench``) than
    when all of it is held at once. The cache refills itself when a traceback needs a file's
    lines."""
    import linecache

    linecache.clearcache()


def _fit_screen(window: QMainWindow) -> bool:
    """The first window's size: :data:`FIRST_SIZE` where the screen's free area holds it
    with a window frame around it; on a smaller screen (1366 x 768, 1280 x 720) it opens
    maximised (True: to maximise on show), so that no dock lies off the screen, and
    un-maximised it still fits."""
    room = window.screen().availableGeometry()
    want_w, want_h = FIRST_SIZE
    frame_w, frame_h = FRAME_ALLOWANCE
    fits = room.width() >= want_w + frame_w and room.height() >= want_h + frame_h
    too_small = room.width() < LEAST_SCREEN[0] or room.height() < LEAST_SCREEN[1]
    if fits or too_small:  # too small for the window's least size (Qt's offscreen 800x800)
        window.resize(want_w, want_h)
        return False
    window.resize(max(room.width() - frame_w, 640), max(room.height() - frame_h, 480))
    window.move(room.topLeft())
    return True


def _study_window(window: MainWindow) -> StudyWidget:
    """The study mode's own window (its drills from the window's library and geometry)."""
    from PySide6.QtCore import Qt

    from bodymap.widgets.study import StudyWidget
    from bodymap.widgets.wheel import guard_wheel

    study = StudyWidget(window.controller.library, window.controller.geometry,
                        parent=window, prompter=window.prompter)
    study.setWindowFlag(Qt.WindowType.Window, True)
    study.setObjectName("studyWindow")
    study.resize(1100, 800)
    guard_wheel(study)
    return study


class MainWindow(QMainWindow):
    """The guide application's main window."""

    firstPainted = Signal()
    #: the window is built (data loaded, views made, session opened); nothing painted of it yet
    ready = Signal()
    #: the plots (player timeline, course chart) are made: pyqtgraph is imported
    plotsLoaded = Signal()

    #: Autosave interval (ms); tests shorten it.
    AUTOSAVE_MS = 60_000

    def __init__(self, condition: str | Sequence[str] | None = None, *,
                 library: Library | None = None, geometry: BackGeometry | None = None,
                 settings: QSettings | None = None, prompter: Prompter | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._texts_ready = False  # a language change before the menus exist waits for them
        self.setObjectName("bodymapMainWindow")
        self.settings = settings if settings is not None else prefs.app_settings()
        self.prompter = prompter if prompter is not None else Prompter()
        self.prompter.set_parent(self)
        lang = prefs.get_str(self.settings, prefs.LANGUAGE, i18n.language())
        if lang in i18n.LANGUAGES:
            i18n.set_language(lang)
        from bodymap.widgets.language import install_language_bridge

        install_language_bridge()  # the one path by which the window retranslates
        if library is None or geometry is None:
            _check_data_files()
        self._data = (library, geometry)
        # the conditions asked for (the first leads), as `bodymap --condition A --condition B`
        self._initial = (condition,) if isinstance(condition, str) else tuple(condition or ())
        self._painted = self._loaded = self._closed = self._plots = False
        self._fatal: BaseException | None = None
        self._controller: SessionController | None = None
        self._documents: DocumentManager | None = None
        self._parts: WindowParts | None = None
        self._records: WindowRecords | None = None  # the records' commands, once built
        self.presentation: PresentationWindow | None = None
        self.study_window: StudyWidget | None = None
        self._dialogs: dict[str, QWidget] = {}
        self.actions_table = ActionTable(self)
        self.mark_actions = self.actions_table.mark_actions
        self.lang_actions = self.actions_table.lang_actions
        self.actions_table.build_menus(self.menuBar())
        self.menus = self.actions_table.menus
        # Before the first paint nothing may touch PySide6's ``Qt`` namespace: its first use
        # creates every Qt.* enum, which costs more than a bare window's paint.
        self.loading_label: QLabel | None = QLabel(self)
        self.setCentralWidget(self.loading_label)
        self.statusBar()  # created now: a child made after show() would stay hidden
        self.autosave_timer = QTimer(self)
        self.autosave_timer.setObjectName("autosaveTimer")
        self.autosave_timer.setInterval(self.AUTOSAVE_MS)
        self.autosave_timer.timeout.connect(self._autosave)
        self._maximize_on_show = False
        geometry_bytes = prefs.get_bytes(self.settings, prefs.GEOMETRY)
        if geometry_bytes is None or not self.restoreGeometry(geometry_bytes):
            self._maximize_on_show = _fit_screen(self)
        self._texts_ready = True
        self.retranslate()
        from bodymap.widgets.readiness import ReadyWatch

        #: the two moments of start-up (``readiness.py``): the plots load once the map painted
        self.startup = ReadyWatch(self)
        self.startup.map_ready.connect(lambda _at: QTimer.singleShot(0, self.load_plots))
        # a records dock left open: its records open once everything else is shown
        self.startup.ready.connect(lambda _at: QTimer.singleShot(0, self._records_left_open))

    def set_first_size(self, width: int, height: int) -> None:
        """Open at ``width`` x ``height`` whatever the screen (``bodymap screenshot --size``):
        never maximised."""
        self._maximize_on_show = False
        self.resize(width, height)

    def setVisible(self, visible: bool) -> None:
        """Shown for the first time on a small screen: shown maximised (``_fit_screen``)."""
        if visible and self._maximize_on_show:
            self._maximize_on_show = False
            self.showMaximized()  # sets the state, then shows (back here, with the flag off)
            return
        super().setVisible(visible)

    # what the window holds once loaded --------------------------------------------------------
    @property
    def controller(self) -> SessionController:
        if self._controller is None:
            raise RuntimeError("the window has not loaded its data yet (ensure_ready)")
        return self._controller

    @property
    def documents(self) -> DocumentManager:
        if self._documents is None:
            raise RuntimeError("the window has not loaded its data yet (ensure_ready)")
        return self._documents

    @property
    def parts(self) -> WindowParts:
        """The window's views and docks (:class:`~bodymap.widgets.layout.WindowParts`)."""
        if self._parts is None:
            raise RuntimeError("the window is not built yet (ensure_ready)")
        return self._parts

    @property
    def plan(self) -> Plan | None:
        return self._controller.plan() if self._controller is not None else None

    @property
    def techniques(self) -> TechniqueLibrary | None:
        """The technique library (made on first use: it starts hidden), or None before the
        window is built."""
        if self._parts is None:
            return None
        from bodymap.widgets.layout import ensure_techniques

        return ensure_techniques(self._parts, self.controller)

    @property
    def library(self) -> Library | None:
        return self._controller.library if self._controller is not None else self._data[0]

    @property
    def back_geometry(self) -> BackGeometry | None:
        return self._controller.geometry if self._controller is not None else self._data[1]

    def act(self, key: str) -> QAction:
        """The QAction of the action table's ``key`` (e.g. ``"save"``)."""
        return self.actions_table[key]

    def show_status(self, text: str, ms: int = 5000) -> None:
        """One line in the status bar: file names and values from files may hold newlines,
        terminal escapes or 100 kB; they are escaped and cut (bodymap.errors.one_line)."""
        from bodymap.errors import one_line

        self.statusBar().showMessage(one_line(text, 1000), ms)

    # staged start-up --------------------------------------------------------------------------
    def paintEvent(self, event: QPaintEvent) -> None:
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
        return self._parts is not None and self._fatal is None

    def ensure_ready(self) -> bool:
        self.ensure_loaded()
        return self.is_ready()

    def ensure_loaded(self) -> None:
        """Load data, build the controller and the views (idempotent; never once the window
        was closed); then open the session and emit ``ready``."""
        if self._loaded or self._closed:
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
        _forget_read_sources()  # numpy's, shapely's, pydantic's: before more are read
        controller = self._controller = SessionController(library, geometry, self)
        documents = self._documents = DocumentManager(controller, self.settings,
                                                      self.prompter, self.show_status, self)
        documents.changed.connect(self._update_title)
        controller.planFailed.connect(lambda text: self.show_status(text, 10000))
        recent = self.menus["recent"]
        recent.aboutToShow.connect(lambda: documents.fill_recent_menu(recent))
        from PySide6.QtWidgets import QApplication

        from bodymap.widgets.accessible import install_focus_style
        from bodymap.widgets.layout import build_window

        app = QApplication.instance()
        if isinstance(app, QApplication):
            install_focus_style(app)
        self._parts = build_window(self, controller, self.actions_table, self.settings,
                                   self.prompter, self.show_status, documents)
        from bodymap.widgets.records.window import WindowRecords

        self._records = WindowRecords(self, self._parts, self.actions_table, controller,
                                      self.settings, self.show_status)
        _forget_read_sources()
        self.loading_label = None
        self.retranslate()
        self._start_session()
        if self.isVisible():
            self.autosave_timer.start()
        self.ready.emit()

    def load_plots(self) -> None:
        """Make the player's timeline and the course chart (importing pyqtgraph) where their
        blanks are, then emit ``plotsLoaded`` (idempotent; nothing before the window is built
        or once it was closed)."""
        if self._plots or self._closed or not self.is_ready():
            return
        self._plots = True
        from bodymap.widgets.layout import load_plots

        load_plots(self.parts)
        _forget_read_sources()
        self.plotsLoaded.emit()

    def plots_loaded(self) -> bool:
        return self._plots

    def _start_session(self) -> None:
        """The conditions asked for; else recovered work after a crash; else the plan file
        open when the window last closed; else a blank draft. Never the last patient's
        conditions on a blank form."""
        documents = self.documents
        documents.prune_recent()
        if self._initial:
            from bodymap.document import PlanDocument

            known = self.controller.library.conditions
            unknown = [c for c in self._initial if c not in known]
            if unknown:
                self.show_status(tr("status.unknown_condition", id=", ".join(unknown)), 10000)
            else:
                documents.show_document(PlanDocument.new(self._initial), None)
        recovered = documents.offer_recovery()
        if not (recovered or self._initial):
            documents.open_last()
        self._update_title()

    def _fail(self, exc: BaseException) -> None:
        """A data file is missing or malformed: name it and leave (exit code 1)."""
        self._fatal = exc
        print(f"bodymap: error: {exc}", file=sys.stderr)
        self.prompter.error(tr("app.name"), str(exc))
        self.prompter.quit_app(1)
        if self.loading_label is not None:
            self.loading_label.setText(str(exc))

    def _autosave(self) -> None:
        if self._documents is not None:
            self._documents.autosave_now()

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
            self.presentation.bind_records(self.parts.records)
            self.presentation.left.connect(self._left_presentation)
        self.parts.map_binding.set_suspended(True)  # one animation at a time
        from bodymap.widgets.presentation import other_screen

        patient = other_screen(self)
        self.act("presentation").setEnabled(patient is not None)  # one screen: F5 is its own
        self.presentation.show_on(patient)
        if patient is not None:
            self.activateWindow()  # the keyboard stays with the therapist
            self.show_status(tr("present.on_screen", screen=patient.name()), 8000)

    def leave_presentation(self) -> None:
        if self.presentation is not None and self.is_presenting():
            self.presentation.close()

    def _left_presentation(self) -> None:
        self.act("presentation").setEnabled(True)
        self.parts.map_binding.set_suspended(False)
        self.raise_()
        self.activateWindow()

    def is_presenting(self) -> bool:
        return self.presentation is not None and self.presentation.isVisible()

    def open_study(self) -> None:
        if not self.ensure_ready():
            return
        if self.study_window is None:
            self.study_window = _study_window(self)
        self.study_window.setWindowTitle(tr("studymode.title"))
        self.study_window.show()
        self.study_window.raise_()
        self.study_window.activateWindow()

    def close_study(self) -> None:
        """Close and forget the study window (its drills are rebuilt from new protocols)."""
        if self.study_window is not None:
            self.study_window.close()
            self.study_window.deleteLater()
            self.study_window = None

    # the course records ------------------------------------------------------------------------
    def show_records(self, tab: str = "patients") -> None:
        """The records' dock, on ``tab`` (patients, visit, course, compare)."""
        if self.ensure_ready() and self._records is not None:
            self._records.show(tab)

    def _records_left_open(self) -> None:
        if self._records is not None:
            self._records.left_open()

    def choose_records_database(self) -> None:
        """Where the records are: the default file, another SQLite file or a server's URL."""
        if self.ensure_ready() and self._records is not None:
            self._records.choose_database()

    def present_progress(self) -> None:
        """The presentation, on the open patient's own progress."""
        if not (self.ensure_ready() and self._records is not None and self._records.has_course()):
            return
        if not self.is_presenting():
            self.enter_presentation()
        if self.presentation is not None:
            self.presentation.show_progress(True)

    def reset_layout(self) -> None:
        if self.ensure_ready():
            self.parts.docks.reset()

    # help -------------------------------------------------------------------------------------
    def show_about(self) -> None:
        self.prompter.about(tr("about.title"), tr("about.text", version=bodymap.__version__,
                                                  disclaimer=tr("app.disclaimer")))

    def show_shortcuts(self) -> None:
        from bodymap.widgets.dialogs import ShortcutsDialog

        dialog = self._dialogs.get("shortcuts")
        if not isinstance(dialog, ShortcutsDialog):
            dialog = ShortcutsDialog(self.shortcut_rows, self)
            self._dialogs["shortcuts"] = dialog
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
        """The window's own texts: menus, actions, title, dock and tab titles. Every view
        retranslates itself on Qt's LanguageChange (``widgets/language.py``)."""
        self.actions_table.retranslate()
        if self.loading_label is not None and self._fatal is None:
            self.loading_label.setText(tr("banner.loading"))
        if self._parts is not None:
            from bodymap.widgets.layout import retranslate_window

            retranslate_window(self._parts)
        if self.study_window is not None:
            self.study_window.setWindowTitle(tr("studymode.title"))
        self._update_title()

    def _update_title(self) -> None:
        docs = self._documents
        name = docs.display_name() if docs is not None else tr("doc.untitled")
        self.setWindowTitle(f"{name}[*] — {tr('app.name')}")
        self.setWindowModified(docs is not None and docs.is_modified())

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self._parts is not None:
            self.autosave_timer.start()

    def hideEvent(self, event: QHideEvent) -> None:
        self.autosave_timer.stop()
        if self._parts is not None:
            self._parts.change_notice.clear()
        super().hideEvent(event)

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.LanguageChange and self._texts_ready:
            self.retranslate()
        minimized = event.type() == QEvent.Type.WindowStateChange and self.isMinimized()
        if minimized and self._controller is not None:
            self._controller.request_pause()

    def closeEvent(self, event: QCloseEvent) -> None:
        built = self._parts is not None and self._documents is not None
        if built and not self.documents.maybe_save():
            event.ignore()
            return
        self._closed = True  # a start-up still queued never builds a hidden window
        if built:
            self.documents.discard_autosaves()
            self.controller.request_pause()
        self.autosave_timer.stop()
        problems = self._parts.problems_button.dialog if self._parts is not None else None
        for window in (self.presentation, self.study_window, problems, *self._dialogs.values()):
            if window is not None:
                window.close()
        self.settings.setValue(prefs.GEOMETRY, self.saveGeometry())
        if self._parts is not None:
            self._parts.docks.save()
            self._parts.records.close()
        self.settings.sync()
        event.accept()

    def sizeHint(self) -> QSize:
        return QSize(*FIRST_SIZE)
