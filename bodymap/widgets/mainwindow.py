"""The main window: side panel, body map, plan, player, course, documents, presentation mode.

Start-up is staged so that the first paint never waits for the heavy parts (BRIEF.md: the first
paint at most 1.5x a bare PySide6 window). The constructor builds only light Qt widgets (menus,
the empty side panel, dock shells) and checks that the shipped data files exist. After the first
paint, :meth:`MainWindow.ensure_loaded` (queued with ``QTimer.singleShot(0, ...)``) loads the
geometry and the protocol library, builds the map, and imports pyqtgraph for the player and
course docks; then it emits :attr:`MainWindow.ready`. Tests may call ``ensure_loaded()``
directly. A data error found then is fatal: it is shown and the application exits with code 1,
as app.py does for errors raised by the constructor.

Prompts go through small overridable methods (:meth:`_ask`, :meth:`_inform`, :meth:`_error`,
:meth:`_choose_open_path` ...) so that tests answer them without a modal dialog.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from PySide6.QtCore import QSettings, QSize, QTimer, Signal
from PySide6.QtGui import QAction, QActionGroup, QCloseEvent, QKeySequence
from PySide6.QtWidgets import QApplication, QLabel, QMainWindow, QWidget

import bodymap
from bodymap import i18n
from bodymap.i18n import tr
from bodymap.widgets import settings as prefs
from bodymap.widgets.plaintext import plain_tip

# Only what the first paint needs is imported above: every other Qt class (and its enums,
# which PySide6 creates on first use) is imported when the window is filled in.

SUFFIX = ".bodymap.json"
MARK_MODES = ("hernia", "pain", "lesion")


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
    planChanged = Signal(object)

    #: Autosave interval (ms); tests shorten it.
    AUTOSAVE_MS = 60_000

    def __init__(
        self,
        condition: str | None = None,
        *,
        library: Any = None,
        geometry: Any = None,
        settings: QSettings | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("bodymapMainWindow")
        self.settings = settings if settings is not None else prefs.app_settings()
        lang = prefs.get_str(self.settings, prefs.LANGUAGE, i18n.language())
        if lang in i18n.LANGUAGES:
            i18n.set_language(lang)
        if library is None or geometry is None:
            _check_data_files()
        self.library, self.back_geometry = library, geometry
        self._initial_condition = condition
        self.plan: Any = None
        self.path: Path | None = None
        self._saved_doc: Any = None
        self._painted = False
        self._loaded = False
        self._fatal: BaseException | None = None
        self._store: Any = None
        self._pain_points: list[tuple[float, float]] = []
        self.map: Any = None
        self.player: Any = None
        self.course: Any = None
        self.techniques: Any = None
        self.presentation: Any = None
        self.study_window: Any = None
        self._problems_dialog: Any = None
        self._shortcuts_dialog: Any = None

        self._built = False
        self.problems_button: Any = None
        self._build_actions()
        self._build_menus()
        # Before the first paint nothing may touch PySide6's ``Qt`` namespace: its first use
        # creates every Qt.* enum, which costs more than a bare window's paint.
        self.loading_label = QLabel(self)
        self.setCentralWidget(self.loading_label)
        self.statusBar()  # created now: a child made after show() would stay hidden
        self.hover_label: Any = None

        self.autosave_timer = QTimer(self)
        self.autosave_timer.setObjectName("autosaveTimer")
        self.autosave_timer.setInterval(self.AUTOSAVE_MS)
        self.autosave_timer.timeout.connect(self.autosave_now)

        self._remove_listener = i18n.on_language_changed(lambda _lang: self.retranslate())
        self.destroyed.connect(lambda *_: self._remove_listener())

        self.resize(1400, 900)
        geometry_bytes = prefs.get_bytes(self.settings, prefs.GEOMETRY)
        if geometry_bytes is not None:
            self.restoreGeometry(geometry_bytes)
        self.retranslate()

    # =========================================================================================
    # construction

    def _action(self, name: str, shortcut: QKeySequence | str | None = None, slot=None,
                checkable: bool = False) -> QAction:
        action = QAction(self)
        action.setObjectName(name)
        if shortcut is not None:
            # set after the first paint (see _install_shortcuts): setShortcut's first call
            # makes PySide6 create every Qt.* enum
            self._shortcuts[action] = shortcut
        if checkable:
            action.setCheckable(True)
        if slot is not None:
            action.triggered.connect(slot)
        self.addAction(action)
        return action

    def _install_shortcuts(self) -> None:
        for action, shortcut in self._shortcuts.items():
            action.setShortcut(QKeySequence(shortcut))
        self._shortcuts.clear()

    def _build_actions(self) -> None:
        self._shortcuts: dict[QAction, Any] = {}
        keys = QKeySequence.StandardKey
        self.act_new = self._action("actNew", keys.New, self.new_document)
        self.act_open = self._action("actOpen", keys.Open, lambda: self.open_document())
        self.act_save = self._action("actSave", keys.Save, self.save)
        self.act_save_as = self._action("actSaveAs", "Ctrl+Shift+S", self.save_as)
        self.act_export = self._action("actExport", "Ctrl+E", self.export_handout)
        self.act_quit = self._action("actQuit", "Ctrl+Q", self.close)
        self.act_quit.setMenuRole(QAction.MenuRole.QuitRole)
        self.act_presentation = self._action("actPresentation", "F5", self.enter_presentation)
        self.act_study = self._action("actStudy", "Ctrl+T", self.open_study)
        self.act_mark_all_no = self._action("actMarkAllNo", None, self._mark_all_no)
        self.act_reload = self._action("actReloadProtocols", "Ctrl+R", self.reload_protocols)
        self.act_protocol_folder = self._action("actProtocolFolder", None,
                                                self.open_protocol_folder)
        self.act_about = self._action("actAbout", None, self.show_about)
        self.act_about.setMenuRole(QAction.MenuRole.AboutRole)
        self.act_shortcuts = self._action("actShortcuts", "F1", self.show_shortcuts)
        self.lang_group = QActionGroup(self)
        self.lang_actions: dict[str, QAction] = {}
        for lang in i18n.LANGUAGES:
            action = QAction(i18n.LANGUAGE_NAMES[lang], self)
            action.setObjectName(f"actLanguage_{lang}")
            action.setCheckable(True)
            action.triggered.connect(lambda _=False, lang=lang: self.set_language(lang))
            self.lang_group.addAction(action)
            self.lang_actions[lang] = action
        # marking modes of the map: at most one at a time
        self.mark_group = QActionGroup(self)
        self.mark_group.setExclusionPolicy(QActionGroup.ExclusionPolicy.ExclusiveOptional)
        self.mark_actions: dict[str, QAction] = {}
        for mode in MARK_MODES:
            action = self._action(f"actMark_{mode}", None, checkable=True)
            self.mark_group.addAction(action)
            self.mark_actions[mode] = action
        self.mark_group.triggered.connect(self._on_mark_action)
        for a in (self.act_save, self.act_save_as, self.act_export, self.act_presentation,
                  self.act_study):
            a.setEnabled(False)

    def _build_menus(self) -> None:
        bar = self.menuBar()
        self.file_menu = bar.addMenu("")
        self.file_menu.addAction(self.act_new)
        self.file_menu.addAction(self.act_open)
        self.recent_menu = self.file_menu.addMenu("")
        self.recent_menu.setObjectName("recentMenu")
        self.recent_menu.aboutToShow.connect(self._fill_recent_menu)
        self.file_menu.addSeparator()
        self.file_menu.addAction(self.act_save)
        self.file_menu.addAction(self.act_save_as)
        self.file_menu.addSeparator()
        self.file_menu.addAction(self.act_export)
        self.file_menu.addSeparator()
        self.file_menu.addAction(self.act_quit)

        self.patient_menu = bar.addMenu("")
        self.patient_menu.addAction(self.act_mark_all_no)
        self.patient_menu.addSeparator()
        for action in self.mark_actions.values():
            self.patient_menu.addAction(action)

        self.protocols_menu = bar.addMenu("")
        self.protocols_menu.addAction(self.act_reload)
        self.protocols_menu.addAction(self.act_protocol_folder)

        self.view_menu = bar.addMenu("")
        self.view_menu.addAction(self.act_presentation)
        self.view_menu.addAction(self.act_study)
        self.view_menu.addSeparator()
        self.docks_menu_anchor = self.view_menu.addSeparator()
        self.language_menu = self.view_menu.addMenu("")
        self.language_menu.setObjectName("languageMenu")
        for action in self.lang_actions.values():
            self.language_menu.addAction(action)

        self.help_menu = bar.addMenu("")
        self.help_menu.addAction(self.act_shortcuts)
        self.help_menu.addAction(self.act_about)

    def _build_ui(self) -> None:
        """Everything below the menus: built after the first paint, once data is loaded."""
        from PySide6.QtCore import Qt
        from PySide6.QtWidgets import QSplitter, QStackedWidget, QTabWidget, QToolBar, QVBoxLayout

        from bodymap.widgets.mapview import BodyMapView
        from bodymap.widgets.panels import PatientPanel, PlanNotes, StatusBanner, StepsTable

        central = QWidget(self)
        layout = QVBoxLayout(central)
        layout.setContentsMargins(6, 6, 6, 0)
        layout.setSpacing(6)
        self.banner = StatusBanner(central)
        layout.addWidget(self.banner)

        self.splitter = QSplitter(Qt.Orientation.Horizontal, central)
        self.splitter.setObjectName("centralSplitter")
        self.map_holder = QWidget(self.splitter)
        self.map_holder.setObjectName("mapHolder")
        map_layout = QVBoxLayout(self.map_holder)
        map_layout.setContentsMargins(0, 0, 0, 0)
        map_layout.setSpacing(0)
        self.map_toolbar = QToolBar(self.map_holder)
        self.map_toolbar.setObjectName("mapToolbar")
        self.map_toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        self.map_toolbar_label = QLabel(self.map_toolbar)
        self.map_toolbar.addWidget(self.map_toolbar_label)
        for action in self.mark_actions.values():
            self.map_toolbar.addAction(action)
        map_layout.addWidget(self.map_toolbar)
        self.map = BodyMapView(self.back_geometry, self.map_holder)
        self.map.set_playing(False)
        map_layout.addWidget(self.map, 1)
        self.map.herniaPlaced.connect(self._on_hernia_placed)
        self.map.painPointPlaced.connect(self._on_pain_point)
        self.map.zoneClicked.connect(self._on_zone_clicked)
        self.map.zoneHovered.connect(self._on_zone_hovered)

        self.tabs = QTabWidget(self.splitter)
        self.tabs.setObjectName("planTabs")
        self.steps_stack = QStackedWidget(self.tabs)
        self.steps = StepsTable(self.steps_stack)
        self.steps_empty = QLabel(self.steps_stack)
        self.steps_empty.setObjectName("stepsEmpty")
        self.steps_empty.setTextFormat(Qt.TextFormat.PlainText)
        self.steps_empty.setWordWrap(True)
        self.steps_empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.steps_empty.setMargin(24)
        self.steps_stack.addWidget(self.steps_empty)
        self.steps_stack.addWidget(self.steps)
        self.notes = PlanNotes(self.tabs)
        self.tabs.addTab(self.steps_stack, "")
        self.tabs.addTab(self.notes, "")
        self.splitter.addWidget(self.map_holder)
        self.splitter.addWidget(self.tabs)
        self.splitter.setStretchFactor(0, 1)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setSizes([530, 470])
        layout.addWidget(self.splitter, 1)
        self.setCentralWidget(central)
        central.show()  # made after the window was shown: not shown by itself
        self.loading_label = None
        self.steps.stepActivated.connect(self._seek_step)
        self.hover_label = QLabel(self.statusBar())
        self.hover_label.setTextFormat(Qt.TextFormat.PlainText)
        self.statusBar().addPermanentWidget(self.hover_label)

        self.panel = PatientPanel(ask=lambda *a, **k: self._ask(*a, **k))
        self.panel.set_library(self.library, self.back_geometry)
        self.panel.changed.connect(self._replan)
        self.map.lesionToggled.connect(self.panel.toggle_lesion)
        self.panel_dock = self._dock("patientDock", Qt.DockWidgetArea.LeftDockWidgetArea,
                                     self.panel)
        self._build_player_and_course()
        self._build_techniques()
        self.resizeDocks([self.panel_dock], [370], Qt.Orientation.Horizontal)
        self.resizeDocks([self.player_dock, self.course_dock], [230, 230],
                         Qt.Orientation.Vertical)
        self.resizeDocks([self.player_dock, self.course_dock], [820, 420],
                         Qt.Orientation.Horizontal)
        state = prefs.get_bytes(self.settings, prefs.STATE)
        if state is not None:
            self.restoreState(state)
        self._built = True

    def _dock(self, name: str, area: Any, widget: QWidget) -> Any:

        from PySide6.QtWidgets import QDockWidget

        dock = QDockWidget(self)
        dock.setObjectName(name)
        dock.setWidget(widget)
        dock.setFeatures(
            QDockWidget.DockWidgetFeature.DockWidgetMovable
            | QDockWidget.DockWidgetFeature.DockWidgetFloatable
            | QDockWidget.DockWidgetFeature.DockWidgetClosable
        )
        self.addDockWidget(area, dock)
        dock.show()  # made after the window was shown: not shown by itself
        self.view_menu.insertAction(self.docks_menu_anchor, dock.toggleViewAction())
        return dock

    def _build_player_and_course(self) -> None:
        from PySide6.QtCore import Qt

        from bodymap.widgets.course import CoursePlot
        from bodymap.widgets.player import SessionPlayer

        self.player = SessionPlayer()
        self.player_dock = self._dock("playerDock", Qt.DockWidgetArea.BottomDockWidgetArea,
                                      self.player)
        self.course = CoursePlot()
        self.course_dock = self._dock("courseDock", Qt.DockWidgetArea.BottomDockWidgetArea,
                                      self.course)
        self.splitDockWidget(self.player_dock, self.course_dock, Qt.Orientation.Horizontal)
        self.player.stepChanged.connect(self._on_step_changed)
        self.player.playingChanged.connect(self._on_playing_changed)
        self.player.positionChanged.connect(self._on_position_changed)

    def _build_techniques(self) -> None:
        from PySide6.QtCore import Qt

        from bodymap.widgets.techniques import TechniqueLibrary

        self.techniques = TechniqueLibrary(self.library, self.back_geometry)
        self.techniques_dock = self._dock("techniquesDock",
                                          Qt.DockWidgetArea.RightDockWidgetArea, self.techniques)
        self.techniques_dock.toggleViewAction().setShortcut(QKeySequence("Ctrl+L"))
        # a window of its own by default (the user may dock it): the plan keeps its room
        self.techniques_dock.setFloating(True)
        self.techniques_dock.resize(940, 680)
        self.techniques_dock.hide()

    def _ensure_problems_button(self) -> Any:
        if self.problems_button is None:
            from PySide6.QtWidgets import QToolButton

            self.problems_button = QToolButton(self.statusBar())
            self.problems_button.setObjectName("problemsButton")
            self.problems_button.setAutoRaise(True)
            self.problems_button.clicked.connect(self.show_problems)
            self.statusBar().addPermanentWidget(self.problems_button)
        return self.problems_button

    # =========================================================================================
    # staged start-up

    def paintEvent(self, event) -> None:
        super().paintEvent(event)
        if not self._painted:
            self._painted = True
            # announce first (the start-up benchmark stops here), then fill the window in
            self.firstPainted.emit()
            QTimer.singleShot(0, self._after_first_paint)

    def _after_first_paint(self) -> None:
        self._install_shortcuts()
        QTimer.singleShot(0, self.ensure_loaded)

    def is_ready(self) -> bool:
        return self._built and self._fatal is None

    def ensure_loaded(self) -> None:
        """Load data, build the map, player and course (idempotent); then emit ``ready``."""
        if self._loaded:
            return
        self._loaded = True
        self._install_shortcuts()
        from bodymap.errors import BodymapError

        try:
            if self.back_geometry is None:
                from bodymap.geometry import load_geometry

                self.back_geometry = load_geometry()
            if self.library is None:
                from bodymap.library import load_library

                self.library = load_library()
        except BodymapError as exc:
            self._fail(exc)
            return

        self._build_ui()
        self.retranslate()
        for a in (self.act_presentation, self.act_study):
            a.setEnabled(True)

        last = prefs.get_str(self.settings, prefs.LAST_CONDITION)
        condition = self._initial_condition or last or None
        if condition is not None and not self.panel.set_condition(condition):
            if self._initial_condition:
                self.statusBar().showMessage(tr("status.unknown_condition", id=condition), 10000)
            self.panel.set_condition(None)
        self._saved_doc = self._current_doc()
        self._replan()
        self._report_library_problems()
        self._prune_recent_on_start()
        self._offer_recovery()
        if self.isVisible():
            self.autosave_timer.start()
        self.ready.emit()

    def _fail(self, exc: BaseException) -> None:
        """A data file is missing or malformed: name it and leave (exit code 1)."""
        self._fatal = exc
        print(f"bodymap: error: {exc}", file=sys.stderr)
        self._error(tr("app.name"), str(exc))
        self._quit_app(1)
        if self.loading_label is not None:
            self.loading_label.setText(str(exc))

    # =========================================================================================
    # planning

    def _current_doc(self) -> Any:
        state = self.panel.state()
        if state is None:
            return None
        from bodymap.document import PlanDocument

        return PlanDocument(**state, pain_points=tuple(self._pain_points))

    @staticmethod
    def profile_of(doc: Any) -> Any:
        from bodymap.planner import Hernia, Profile, Scoliosis

        return Profile(
            condition=doc.condition,
            session=doc.session,
            hernia=Hernia(*doc.hernia) if doc.hernia else None,
            scoliosis=Scoliosis(*doc.scoliosis) if doc.scoliosis else None,
            lesions=frozenset(doc.lesions),
            present=frozenset(doc.present),
            answered=None if doc.answered is None else frozenset(doc.answered),
            pain_points=tuple(doc.pain_points),
        )

    def _replan(self) -> None:
        """Re-plan from the panel (pure and fast) and show the result everywhere."""
        if not self._built:
            return
        from bodymap.errors import BodymapError
        from bodymap.planner import make_plan

        doc = self._current_doc()
        plan = None
        if doc is not None:
            try:
                plan = make_plan(self.profile_of(doc), self.library, self.back_geometry)
            except BodymapError as exc:
                self.statusBar().showMessage(str(exc), 10000)
        self.plan = plan
        self._show_plan()
        if doc is not None:
            self.settings.setValue(prefs.LAST_CONDITION, doc.condition)
        self._update_modified()
        self.planChanged.emit(plan)

    def _show_plan(self) -> None:
        plan = self.plan
        ok = plan is not None and plan.status == "ok"
        self.banner.set_plan(plan, self.library)
        self.steps.set_plan(plan if ok else None, self.library, self.back_geometry)
        self.steps_stack.setCurrentWidget(self.steps if ok else self.steps_empty)
        self._update_steps_empty()
        self.notes.set_plan(plan)
        if self.map is not None:
            self.map.set_plan(plan)
            self.map.set_pain_points(self._pain_points)
        if self.player is not None:
            self.player.set_plan(plan if ok else None, self._step_name)
        if self.course is not None:
            self.course.set_plan(plan)
        if self.presentation is not None:
            self.presentation.set_plan(plan)
        self.act_export.setEnabled(plan is not None)
        self.act_save.setEnabled(plan is not None)
        self.act_save_as.setEnabled(plan is not None)

    def _update_steps_empty(self) -> None:
        plan = self.plan
        if plan is None:
            self.steps_empty.setText(tr("steps.empty_none"))
        else:
            self.steps_empty.setText(tr("steps.empty_blocked"))

    def _step_name(self, step: Any) -> str:
        from bodymap.widgets.panels import technique_name

        return technique_name(self.library, step.technique, step.variant)

    # player -> map, steps ----------------------------------------------------------------------
    def _seek_step(self, index: int) -> None:
        if self.player is not None:
            self.player.clock.seek(self.player.clock.timeline.start_of(index))

    def _on_step_changed(self, index: int) -> None:
        if self.map is not None and self.map.plan() is not None and self.map.steps():
            self.map.set_current_step(index if index >= 0 else None)
        self.steps.select_step(index)
        if self.presentation is not None:
            self.presentation.on_step(index)

    def _on_playing_changed(self, playing: bool) -> None:
        if self.map is not None:
            presenting = self.presentation is not None and self.presentation.isVisible()
            self.map.set_playing(playing and not presenting)
        if self.presentation is not None:
            self.presentation.on_playing(playing)

    def _on_position_changed(self, minutes: float) -> None:
        if self.map is not None and not self.player.clock.is_playing():
            # scrubbing the timeline moves the hands, too
            self.map.set_phase(minutes * 60_000.0 / self.map.ANIMATION_MS)
        if self.presentation is not None:
            self.presentation.on_position(minutes)

    # map -> panel ------------------------------------------------------------------------------
    def _on_mark_action(self, _action: QAction) -> None:
        mode = next((m for m, a in self.mark_actions.items() if a.isChecked()), None)
        if self.map is not None:
            self.map.set_mark_mode(mode)
        if mode is not None:
            self.statusBar().showMessage(tr(f"mark.{mode}_hint"), 8000)

    def _on_hernia_placed(self, level: str, side: str) -> None:
        self.panel.set_hernia(level, side)
        self.statusBar().showMessage(
            tr("status.hernia_placed", level=level, side=tr(f"panel.side.{side}")), 8000
        )

    #: a click this close (map units) to a marked painful place removes it again
    PAIN_TOGGLE_RADIUS = 14.0

    def _on_pain_point(self, x: float, y: float) -> None:
        """Mark a painful place (or unmark one clicked again) and re-plan: the introductory
        sessions keep off it (Part 4)."""
        from bodymap.planner import MAX_PAIN_POINTS
        from bodymap.widgets.panels import zone_name

        near = [p for p in self._pain_points
                if (p[0] - x) ** 2 + (p[1] - y) ** 2 <= self.PAIN_TOGGLE_RADIUS ** 2]
        if near:
            self._pain_points.remove(near[0])
            self.statusBar().showMessage(tr("status.pain_removed"), 8000)
        elif len(self._pain_points) >= MAX_PAIN_POINTS:
            self.statusBar().showMessage(tr("status.pain_limit", n=MAX_PAIN_POINTS), 8000)
            return
        else:
            self._pain_points.append((round(x, 1), round(y, 1)))
            half = self.back_geometry.zone_at(x, y) if self.back_geometry is not None else None
            where = zone_name(self.back_geometry, half) if half else tr("status.outside_zones")
            self.statusBar().showMessage(tr("status.pain_placed", where=where), 8000)
        self._replan()

    def _on_zone_clicked(self, zone: str) -> None:
        from bodymap.widgets.panels import zone_name

        self.statusBar().showMessage(zone_name(self.back_geometry, zone), 5000)

    def _on_zone_hovered(self, zone: str) -> None:
        from bodymap.widgets.panels import zone_name

        self.hover_label.setText(zone_name(self.back_geometry, zone) if zone else "")

    def _mark_all_no(self) -> None:
        if self.ensure_ready():
            self.panel.mark_all_no()

    # =========================================================================================
    # documents

    def document(self) -> Any:
        return self._current_doc()

    def is_modified(self) -> bool:
        return self._built and self._current_doc() != self._saved_doc

    def _update_modified(self) -> None:
        self.setWindowModified(self.is_modified())
        self._update_title()

    def _update_title(self) -> None:
        name = self.path.name if self.path is not None else tr("doc.untitled")
        self.setWindowTitle(f"{name}[*] — {tr('app.name')}")

    def _autosave_store(self) -> Any:
        if self._store is None:
            from bodymap.document import AutosaveStore, autosave_dir

            self._store = AutosaveStore(autosave_dir())
        return self._store

    def maybe_save(self) -> bool:
        """Ask about unsaved changes; True when it is fine to go on."""
        if not self.is_modified():
            return True
        answer = self._ask(
            tr("doc.unsaved_title"),
            tr("doc.unsaved_text", name=self.path.name if self.path else tr("doc.untitled")),
            choices=("save", "discard", "cancel"),
            default="save",
        )
        if answer == "save":
            return self.save()
        if answer == "discard":
            self._autosave_store().discard(self.path)
            return True
        return False

    def new_document(self) -> None:
        if not self.ensure_ready() or not self.maybe_save():
            return
        self._set_document(None, None)
        self.statusBar().showMessage(tr("status.new"), 5000)

    def _set_document(self, doc: Any, path: Path | None, saved: Any = "same") -> None:
        """Show ``doc`` (None: a blank patient, the condition kept) as the open document."""
        self.panel.set_state(doc)
        self.path = path
        self._pain_points = list(doc.pain_points) if doc is not None else []
        self._saved_doc = self._current_doc() if saved == "same" else saved
        self._replan()
        if self.player is not None:
            self.player.clock.seek(0.0)

    def open_document(self, path: str | Path | None = None) -> bool:
        if not self.ensure_ready() or not self.maybe_save():
            return False
        if path is None:
            path = self._choose_open_path()
            if not path:
                return False
        return self.open_path(Path(path))

    def open_path(self, path: Path) -> bool:
        """Open a plan file; on any problem show the error and keep the current state."""
        from bodymap.document import load_document
        from bodymap.errors import BodymapError

        try:
            doc = self._normalized(load_document(path), path)
        except BodymapError as exc:
            self._error(tr("doc.open_failed_title"), tr("doc.open_failed", error=str(exc)))
            return False
        self._autosave_store().discard(self.path)
        self._set_document(doc, path.resolve())
        self._remember_file(path)
        self.statusBar().showMessage(tr("status.opened", name=path.name), 5000)
        return True

    def _normalized(self, doc: Any, path: Path) -> Any:
        """Check a document against the library and geometry; fields named in errors."""
        import dataclasses

        from bodymap.errors import DataFileError

        lib, geo = self.library, self.back_geometry
        if doc.condition not in lib.conditions:
            raise DataFileError(f"unknown condition '{doc.condition}'", path=path,
                                field="profile.condition",
                                expected="one of " + ", ".join(sorted(lib.conditions)))
        sessions = lib.conditions[doc.condition].course.sessions
        if not 1 <= doc.session <= sessions:
            raise DataFileError(f"session {doc.session} is outside the course", path=path,
                                field="profile.session", expected=f"1..{sessions}")
        for name in ("present", "answered"):
            for cid in getattr(doc, name) or ():
                if cid not in lib.contraindications:
                    raise DataFileError(f"unknown contraindication '{cid}'", path=path,
                                        field=f"profile.{name}",
                                        expected="an id from 'bodymap contraindications'")
        lesions: list[str] = []
        for z in doc.lesions:
            if z in geo.ZONES:
                lesions += list(geo.halves(z))
            elif z in geo.regions and geo.regions[z].kind == "half":
                lesions.append(z)
            else:
                raise DataFileError(f"unknown zone '{z}'", path=path, field="profile.lesions",
                                    expected="zone or zone-half ids such as collar-left")
        minx, miny, maxx, maxy = geo.bounds
        for x, y in doc.pain_points:
            if not (minx <= x <= maxx and miny <= y <= maxy):
                raise DataFileError(f"painful place ({x:g}, {y:g}) lies outside the back",
                                    path=path, field="profile.pain_points",
                                    expected="points inside the drawing of the back")
        if doc.hernia and doc.hernia[0] not in geo.disc_levels:
            raise DataFileError(f"unknown disc level '{doc.hernia[0]}'", path=path,
                                field="profile.hernia.level", expected="a level such as L4-L5")
        return dataclasses.replace(doc, lesions=tuple(dict.fromkeys(lesions)))

    def save(self) -> bool:
        if self.path is None:
            return self.save_as()
        return self._save_to(self.path)

    def save_as(self) -> bool:
        if self._current_doc() is None:
            return False
        suggested = self.path or Path(
            prefs.get_str(self.settings, prefs.LAST_FOLDER) or Path.home()
        ) / (self._suggested_name() + SUFFIX)
        path = self._choose_save_path(suggested)
        if not path:
            return False
        path = Path(path)
        if not path.name.endswith(SUFFIX):
            path = path.with_name(path.name.removesuffix(".json") + SUFFIX)
        return self._save_to(path)

    def _suggested_name(self) -> str:
        doc = self._current_doc()
        name = (doc.patient_name if doc else "").strip() or (doc.condition if doc else "plan")
        safe = "".join(c if c.isalnum() or c in "-_ " else "_" for c in name).strip()
        return safe or "plan"

    def _save_to(self, path: Path) -> bool:
        from bodymap.document import save_document

        doc = self._current_doc()
        if doc is None:
            return False
        try:
            save_document(doc, path)
        except OSError as exc:
            self._error(tr("doc.save_failed_title"),
                        tr("doc.save_failed", path=str(path), error=exc.strerror or str(exc)))
            return False
        store = self._autosave_store()
        store.discard(self.path)
        store.discard(None)
        self.path = path.resolve()
        store.discard(self.path)
        self._saved_doc = doc
        self._remember_file(path)
        self._update_modified()
        self.statusBar().showMessage(tr("status.saved", name=path.name), 5000)
        return True

    def _remember_file(self, path: Path) -> None:
        prefs.add_recent_file(self.settings, path)
        self.settings.setValue(prefs.LAST_FOLDER, str(Path(path).resolve().parent))

    def _fill_recent_menu(self) -> None:
        self.recent_menu.clear()
        files = prefs.recent_files(self.settings)
        for i, p in enumerate(files):
            action = self.recent_menu.addAction(f"&{i + 1}  {Path(p).name}")
            action.setToolTip(plain_tip(p))
            action.setStatusTip(p)
            action.triggered.connect(lambda _=False, p=p: self.open_recent(p))
        if not files:
            empty = self.recent_menu.addAction(tr("menu.recent_empty"))
            empty.setEnabled(False)
        else:
            self.recent_menu.addSeparator()
            clear = self.recent_menu.addAction(tr("menu.recent_clear"))
            clear.triggered.connect(lambda: prefs.set_recent_files(self.settings, []))

    def open_recent(self, path: str) -> bool:
        if not Path(path).is_file():
            prefs.set_recent_files(self.settings,
                               [p for p in prefs.recent_files(self.settings) if p != path])
            self._inform(tr("doc.recent_missing_title"), tr("doc.recent_missing", path=path))
            return False
        return self.open_document(path)

    def _prune_recent_on_start(self) -> None:
        from bodymap.document import clean_stale_saves

        kept, removed = prefs.prune_missing(self.settings)
        clean_stale_saves(kept + removed)  # temp files of killed saves hold patient text
        if removed:
            self.statusBar().showMessage(
                tr("status.recent_pruned", n=len(removed), names=", ".join(
                    Path(p).name for p in removed)), 15000)

    # autosave and recovery ---------------------------------------------------------------------
    def autosave_now(self) -> Path | None:
        """Write an autosave copy if there are unsaved changes; returns its path."""
        if not self.is_modified():
            return None
        doc = self._current_doc()
        if doc is None:
            return None
        try:
            return self._autosave_store().write(doc, self.path)
        except OSError as exc:
            self.statusBar().showMessage(tr("status.autosave_failed", error=str(exc)), 10000)
            return None

    def _offer_recovery(self) -> None:
        store = self._autosave_store()
        pending = store.pending()
        for problem in store.problems:
            self.statusBar().showMessage(str(problem), 15000)
        store.problems.clear()
        if not pending:
            return
        rec = max(pending, key=lambda r: r.saved_at)
        name = rec.original.name if rec.original else tr("doc.untitled")
        answer = self._ask(
            tr("doc.recover_title"),
            tr("doc.recover_text", name=name, when=rec.saved_at or "?",
               patient=rec.document.patient_name or "—"),
            choices=("recover", "discard"),
            default="recover",
        )
        if answer != "recover":
            for r in pending:
                r.autosave.unlink(missing_ok=True)
            return
        from bodymap.errors import BodymapError

        try:
            doc = self._normalized(rec.document, rec.autosave)
        except BodymapError as exc:
            self._error(tr("doc.open_failed_title"), tr("doc.open_failed", error=str(exc)))
            return
        saved = None
        original = rec.original if rec.original and rec.original.is_file() else None
        if original is not None:
            from bodymap.document import load_document

            try:
                saved = load_document(original)
            except BodymapError:
                saved = None
        self._set_document(doc, original, saved=saved)
        if rec.original is not None and original is None:
            # the original file is gone: recovered work is an untitled document
            rec.autosave.unlink(missing_ok=True)
        self.statusBar().showMessage(tr("status.recovered", name=name), 10000)

    # =========================================================================================
    # export, presentation, study

    def ensure_ready(self) -> bool:
        self.ensure_loaded()
        return self.is_ready()

    # user protocols ----------------------------------------------------------------------------
    def reload_protocols(self) -> bool:
        """Read the protocols again (after editing a file in the user folder), keeping the
        patient. A broken shipped file keeps the library that was loaded; a broken user file
        is skipped and listed, as at start-up."""
        if not self.ensure_ready():
            return False
        from bodymap.errors import BodymapError
        from bodymap.library import load_library

        try:
            library = load_library()
        except BodymapError as exc:
            self._error(tr("protocols.reload_failed_title"), str(exc))
            return False
        doc = self._current_doc()
        self.library = library
        self.panel.set_library(library, self.back_geometry)
        if doc is not None and doc.condition in library.conditions:
            self.panel.set_state(doc)
        if self.study_window is not None:  # its drills come from the protocols: rebuild
            self.study_window.close()
            self.study_window.deleteLater()
            self.study_window = None
        self._replan()
        self._report_library_problems()
        if not library.problems:
            self.statusBar().showMessage(
                tr("protocols.reloaded", n=len(library.conditions)), 8000)
        return True

    def open_protocol_folder(self) -> Path:
        """Create the user protocol folder if needed and show it in the file manager."""
        from bodymap.library import user_protocol_dir

        folder = user_protocol_dir()
        folder.mkdir(parents=True, exist_ok=True)
        self._show_folder(folder)
        self.statusBar().showMessage(tr("protocols.folder", path=str(folder)), 15000)
        return folder

    def _show_folder(self, folder: Path) -> None:  # tests replace this
        from PySide6.QtCore import QUrl
        from PySide6.QtGui import QDesktopServices

        QDesktopServices.openUrl(QUrl.fromLocalFile(str(folder)))

    def export_handout(self) -> bool:
        if not self.ensure_ready() or self.plan is None:
            return False
        try:
            from bodymap.widgets.handout import export_handout
        except ImportError:
            self._error(tr("export.title"), tr("export.unavailable"))
            return False
        folder = Path(prefs.get_str(self.settings, prefs.LAST_FOLDER) or Path.home())
        path = self._choose_export_path(folder / (self._suggested_name() + ".pdf"))
        if not path:
            return False
        path = Path(path)
        if path.suffix.lower() not in (".pdf", ".png"):
            path = path.with_suffix(".pdf")
        from bodymap.errors import BodymapError

        doc = self._current_doc()
        try:
            export_handout(self.plan, path, geometry=self.back_geometry, library=self.library,
                           lang=i18n.language(), patient_name=doc.patient_name if doc else "")
        except (BodymapError, OSError, ValueError) as exc:
            self._error(tr("export.title"), tr("export.failed", path=str(path), error=str(exc)))
            return False
        self.settings.setValue(prefs.LAST_FOLDER, str(path.resolve().parent))
        self.statusBar().showMessage(tr("status.exported", name=path.name), 8000)
        return True

    def enter_presentation(self) -> None:
        if not self.ensure_ready():
            return
        from bodymap.widgets.presentation import PresentationWindow

        if self.presentation is None:
            self.presentation = PresentationWindow(self)
            self.presentation.left.connect(self._left_presentation)
        self.presentation.set_plan(self.plan)
        if self.player is not None:
            self.presentation.on_step(self.player.current_step())
            self.presentation.on_position(self.player.clock.position())
            self.presentation.on_playing(self.player.clock.is_playing())
        if self.map is not None:
            self.map.set_playing(False)
        self.act_presentation.setEnabled(False)  # F5 belongs to the presentation now
        self.presentation.showFullScreen()
        self.presentation.raise_()
        self.presentation.activateWindow()

    def leave_presentation(self) -> None:
        if self.presentation is not None and self.presentation.isVisible():
            self.presentation.close()

    def _left_presentation(self) -> None:
        self.act_presentation.setEnabled(True)
        if self.map is not None and self.player is not None:
            self.map.set_playing(self.player.clock.is_playing())
        self.raise_()
        self.activateWindow()

    def is_presenting(self) -> bool:
        return self.presentation is not None and self.presentation.isVisible()

    def open_study(self) -> None:
        from PySide6.QtCore import Qt

        if not self.ensure_ready():
            return
        try:
            from bodymap.widgets.study import StudyWidget
        except ImportError:
            self._error(tr("studymode.title"), tr("studymode.unavailable"))
            return
        if self.study_window is None:
            self.study_window = StudyWidget(self.library, self.back_geometry, parent=self)
            self.study_window.setWindowFlag(Qt.WindowType.Window, True)
            self.study_window.setObjectName("studyWindow")
            self.study_window.resize(1100, 800)
        self.study_window.setWindowTitle(tr("studymode.title"))
        self.study_window.show()
        self.study_window.raise_()
        self.study_window.activateWindow()

    # =========================================================================================
    # help, problems

    def show_about(self) -> None:
        self._about(tr("about.title"), tr("about.text", version=bodymap.__version__,
                                          disclaimer=tr("app.disclaimer")))

    def show_shortcuts(self) -> None:
        from PySide6.QtWidgets import (
            QDialog,
            QDialogButtonBox,
            QHeaderView,
            QTableWidget,
            QVBoxLayout,
        )

        if self._shortcuts_dialog is None:
            dialog = QDialog(self)
            dialog.setObjectName("shortcutsDialog")
            table = QTableWidget(0, 2, dialog)
            table.setObjectName("shortcutsTable")
            table.verticalHeader().hide()
            table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
            table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
            buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, dialog)
            buttons.rejected.connect(dialog.close)
            layout = QVBoxLayout(dialog)
            layout.addWidget(table)
            layout.addWidget(buttons)
            dialog.resize(560, 620)
            self._shortcuts_dialog = dialog
        self._fill_shortcuts()
        self._shortcuts_dialog.show()
        self._shortcuts_dialog.raise_()

    def shortcut_rows(self) -> list[tuple[str, str]]:
        native = QKeySequence.SequenceFormat.NativeText
        rows = []
        actions = [self.act_new, self.act_open, self.act_save, self.act_save_as, self.act_export,
                   self.act_quit, self.act_presentation, self.act_study,
                   *self.mark_actions.values(), self.act_shortcuts]
        for a in actions:
            rows.append((a.text().replace("&", "").rstrip("…."), a.shortcut().toString(native)))
        rows += [(tr(f"shortcuts.{k}"), v) for k, v in (
            ("play", "Space"), ("prev", "Ctrl+Left"), ("next", "Ctrl+Right"),
            ("speed", "Ctrl+1 / Ctrl+2 / Ctrl+3"), ("present_keys", "Space, ←, →"),
            ("present_leave", "Esc"),
        )]
        return rows

    def _fill_shortcuts(self) -> None:
        from PySide6.QtWidgets import QTableWidget, QTableWidgetItem

        dialog = self._shortcuts_dialog
        if dialog is None:
            return
        dialog.setWindowTitle(tr("shortcuts.title"))
        table: QTableWidget = dialog.findChild(QTableWidget, "shortcutsTable")
        table.setHorizontalHeaderLabels([tr("shortcuts.action"), tr("shortcuts.keys")])
        rows = self.shortcut_rows()
        table.setRowCount(len(rows))
        for r, (name, keys) in enumerate(rows):
            table.setItem(r, 0, QTableWidgetItem(name))
            table.setItem(r, 1, QTableWidgetItem(keys))
        table.resizeColumnToContents(1)

    def _report_library_problems(self) -> None:
        problems = list(getattr(self.library, "problems", ()) or ())
        if not problems:
            if self.problems_button is not None:
                self.problems_button.hide()
            return
        self._ensure_problems_button().show()
        self._retranslate_problems()
        self.statusBar().showMessage(tr("problems.status", n=len(problems)), 20000)

    def _retranslate_problems(self) -> None:
        n = len(getattr(self.library, "problems", ()) or ())
        if self.problems_button is None:
            return
        self.problems_button.setText("⚠ " + tr("problems.button", n=n))
        self.problems_button.setToolTip(tr("problems.tip"))

    def show_problems(self) -> None:
        """The user-protocol problems, in a non-modal dialog (plain text)."""
        from PySide6.QtWidgets import QDialog, QDialogButtonBox, QPlainTextEdit, QVBoxLayout

        from bodymap.widgets.panels import plain_label

        if self._problems_dialog is None:
            dialog = QDialog(self)
            dialog.setObjectName("problemsDialog")
            dialog.setModal(False)
            text = QPlainTextEdit(dialog)
            text.setObjectName("problemsText")
            text.setReadOnly(True)
            buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, dialog)
            buttons.rejected.connect(dialog.close)
            layout = QVBoxLayout(dialog)
            self._problems_intro = plain_label("", dialog)
            layout.addWidget(self._problems_intro)
            layout.addWidget(text)
            layout.addWidget(buttons)
            dialog.resize(720, 360)
            self._problems_dialog = dialog
        dialog = self._problems_dialog
        dialog.setWindowTitle(tr("problems.title"))
        self._problems_intro.setText(tr("problems.intro"))
        dialog.findChild(QPlainTextEdit, "problemsText").setPlainText(
            "\n".join(str(p) for p in (self.library.problems if self.library else ()))
        )
        dialog.show()
        dialog.raise_()

    # =========================================================================================
    # prompts (tests override these)

    def _ask(self, title: str, text: str, *, choices: tuple[str, ...] = ("yes", "no"),
             default: str = "no") -> str:
        """A question; returns one of ``choices`` (yes/no/save/discard/cancel/recover)."""
        from PySide6.QtCore import Qt
        from PySide6.QtWidgets import QMessageBox

        std = QMessageBox.StandardButton
        box = QMessageBox(QMessageBox.Icon.Question, title, text, parent=self)
        box.setTextFormat(Qt.TextFormat.PlainText)
        mapping: dict[Any, str] = {}
        for choice in choices:
            if choice == "recover":
                button = box.addButton(tr("doc.recover"), QMessageBox.ButtonRole.AcceptRole)
            elif choice == "discard" and "recover" in choices:
                button = box.addButton(tr("doc.discard_autosave"),
                                       QMessageBox.ButtonRole.DestructiveRole)
            else:
                button = box.addButton({"yes": std.Yes, "no": std.No, "save": std.Save,
                                        "discard": std.Discard, "cancel": std.Cancel}[choice])
            mapping[button] = choice
            if choice == default:
                box.setDefaultButton(button)
        box.exec()
        return mapping.get(box.clickedButton(), "cancel" if "cancel" in choices else choices[-1])

    def _quit_app(self, code: int) -> None:
        app = QApplication.instance()
        if app is not None:
            app.exit(code)

    def _inform(self, title: str, text: str) -> None:
        from PySide6.QtCore import Qt
        from PySide6.QtWidgets import QMessageBox

        box = QMessageBox(QMessageBox.Icon.Information, title, text, parent=self)
        box.setTextFormat(Qt.TextFormat.PlainText)
        box.exec()

    def _error(self, title: str, text: str) -> None:
        from PySide6.QtCore import Qt
        from PySide6.QtWidgets import QMessageBox

        box = QMessageBox(QMessageBox.Icon.Warning, title, text, parent=self)
        box.setTextFormat(Qt.TextFormat.PlainText)
        box.exec()

    def _about(self, title: str, text: str) -> None:
        from PySide6.QtCore import Qt
        from PySide6.QtWidgets import QMessageBox

        box = QMessageBox(QMessageBox.Icon.Information, title, text, parent=self)
        box.setTextFormat(Qt.TextFormat.PlainText)
        box.exec()

    def _choose_open_path(self) -> str | None:
        from PySide6.QtWidgets import QFileDialog

        path, _ = QFileDialog.getOpenFileName(
            self, tr("doc.open_title"), prefs.get_str(self.settings, prefs.LAST_FOLDER),
            tr("doc.filter"))
        return path or None

    def _choose_save_path(self, suggested: Path) -> str | None:
        from PySide6.QtWidgets import QFileDialog

        path, _ = QFileDialog.getSaveFileName(self, tr("doc.save_title"), str(suggested),
                                              tr("doc.filter"))
        return path or None

    def _choose_export_path(self, suggested: Path) -> str | None:
        from PySide6.QtWidgets import QFileDialog

        path, _ = QFileDialog.getSaveFileName(self, tr("export.title"), str(suggested),
                                              tr("export.filter"))
        return path or None

    # =========================================================================================
    # language, window events

    def set_language(self, lang: str) -> None:
        i18n.set_language(lang)
        self.settings.setValue(prefs.LANGUAGE, lang)

    def retranslate(self) -> None:
        self.lang_actions[i18n.language()].setChecked(True)
        self.file_menu.setTitle(tr("menu.file"))
        self.recent_menu.setTitle(tr("menu.recent"))
        self.patient_menu.setTitle(tr("menu.patient"))
        self.protocols_menu.setTitle(tr("menu.protocols"))
        self.view_menu.setTitle(tr("menu.view"))
        self.language_menu.setTitle(tr("menu.language"))
        self.help_menu.setTitle(tr("menu.help"))
        texts = {
            self.act_new: "new", self.act_open: "open", self.act_save: "save",
            self.act_save_as: "save_as", self.act_export: "export", self.act_quit: "quit",
            self.act_presentation: "presentation", self.act_study: "study",
            self.act_mark_all_no: "mark_all_no", self.act_about: "about",
            self.act_shortcuts: "shortcuts", self.act_reload: "reload_protocols",
            self.act_protocol_folder: "protocol_folder",
        }
        for action, key in texts.items():
            action.setText(tr(f"action.{key}"))
            action.setToolTip(tr(f"action.{key}_tip"))
            action.setStatusTip(tr(f"action.{key}_tip"))
        for mode, action in self.mark_actions.items():
            action.setText(tr(f"mark.{mode}"))
            action.setToolTip(tr(f"mark.{mode}_tip"))
            action.setStatusTip(tr(f"mark.{mode}_tip"))
        if self.loading_label is not None and self._fatal is None:
            self.loading_label.setText(tr("banner.loading"))
        if self._built:
            self.map_toolbar_label.setText(tr("mark.toolbar") + "  ")
            self.map_toolbar.setWindowTitle(tr("mark.toolbar"))
            self.panel_dock.setWindowTitle(tr("dock.patient"))
            self.player_dock.setWindowTitle(tr("dock.player"))
            self.course_dock.setWindowTitle(tr("dock.course"))
            self.techniques_dock.setWindowTitle(tr("dock.techniques"))
            self.tabs.setTabText(0, tr("tab.steps"))
            self.tabs.setTabText(1, tr("tab.notes"))
            self.tabs.setTabToolTip(0, tr("tab.steps_tip"))
            self.tabs.setTabToolTip(1, tr("tab.notes_tip"))
            self.panel.retranslate()
            self.banner.retranslate()
            self.steps.retranslate()
            self.notes.retranslate()
            self._update_steps_empty()
            self._retranslate_problems()
        if self._shortcuts_dialog is not None:
            self._fill_shortcuts()
        if self.study_window is not None:
            self.study_window.setWindowTitle(tr("studymode.title"))
        self._update_title()

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

        minimized = event.type() == QEvent.Type.WindowStateChange and self.isMinimized()
        if minimized and self.player is not None:
            self.player.clock.pause()

    def closeEvent(self, event: QCloseEvent) -> None:
        if self._built and not self.maybe_save():
            event.ignore()
            return
        if self._built:
            self._autosave_store().discard(self.path)
            self._autosave_store().discard(None)
        self.autosave_timer.stop()
        if self.player is not None:
            self.player.clock.pause()
        for window in (self.presentation, self.study_window, self._problems_dialog,
                       self._shortcuts_dialog):
            if window is not None:
                window.close()
        self.settings.setValue(prefs.GEOMETRY, self.saveGeometry())
        self.settings.setValue(prefs.STATE, self.saveState())
        self.settings.sync()
        event.accept()

    def sizeHint(self) -> QSize:
        return QSize(1400, 900)


__all__ = ["MainWindow"]
