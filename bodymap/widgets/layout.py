"""The main window's layout: the banner, the map with its marking toolbar, the steps and notes
tabs, the docks (patient, player, course, techniques) and the status bar's parts.

:func:`build_window` makes them once, after the first paint, binds each view to the session
controller (``view.bind(controller)``: each follows the controller by itself) and returns them
as one typed :class:`WindowParts`. Nothing is set on the window but its central widget, its
docks and its status bar's widgets. :class:`DockSizes` keeps the docks' sizes: compact while
they have nothing to show, the user's height of the bottom docks, View -> Reset layout.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, QSettings, Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import (
    QDockWidget,
    QLabel,
    QMainWindow,
    QSplitter,
    QTabWidget,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

from bodymap.i18n import tr
from bodymap.widgets import settings as prefs

if TYPE_CHECKING:
    from bodymap.widgets.actions import ActionTable
    from bodymap.widgets.controller import SessionController
    from bodymap.widgets.course import CoursePane
    from bodymap.widgets.dialogs import ProblemsButton
    from bodymap.widgets.documents import DocumentManager
    from bodymap.widgets.history import ChangeNotice, HistoryActions
    from bodymap.widgets.map.binding import MapBinding
    from bodymap.widgets.map.view import BodyMapView
    from bodymap.widgets.panels import PatientPanel, PlanNotes, StatusBanner, StepsPane
    from bodymap.widgets.panels.steps import StepsTable
    from bodymap.widgets.player import SessionPlayer
    from bodymap.widgets.prompts import Prompter
    from bodymap.widgets.records.controller import RecordsController
    from bodymap.widgets.records.view import RecordsView
    from bodymap.widgets.techniques import TechniqueLibrary

Status = Callable[[str, int], None]


@dataclass
class WindowParts:
    """Every part of the built window, typed: what the window, the tests and the start-up
    watch reach."""

    banner: StatusBanner
    splitter: QSplitter
    map_toolbar: QToolBar
    map_toolbar_label: QLabel
    map: BodyMapView
    map_binding: MapBinding
    tabs: QTabWidget
    steps_pane: StepsPane
    notes: PlanNotes
    panel: PatientPanel
    panel_dock: QDockWidget
    player: SessionPlayer
    player_dock: QDockWidget
    course: CoursePane
    course_dock: QDockWidget
    techniques_dock: QDockWidget
    hover_label: QLabel
    problems_button: ProblemsButton
    change_notice: ChangeNotice
    history: HistoryActions
    docks: DockSizes
    #: the course records (patients, visits): opened when first needed
    records: RecordsController
    records_dock: QDockWidget
    #: the technique library, made when its dock is first shown (:func:`ensure_techniques`)
    techniques: TechniqueLibrary | None = field(default=None)
    #: the records' views, made when their dock is first shown (:func:`ensure_records`)
    records_view: RecordsView | None = field(default=None)

    @property
    def steps(self) -> StepsTable:
        return self.steps_pane.table


@dataclass
class _Central:
    """The central widget's parts: the map's column beside the plan's."""

    splitter: QSplitter
    toolbar: QToolBar
    toolbar_label: QLabel
    map: BodyMapView
    banner: StatusBanner
    tabs: QTabWidget
    steps_pane: StepsPane
    notes: PlanNotes


def build_window(win: QMainWindow, controller: SessionController, actions: ActionTable,
                 settings: QSettings, prompter: Prompter, status: Status,
                 documents: DocumentManager | None = None) -> WindowParts:
    """Make the window's widgets and docks around ``controller``; each view binds itself."""
    from bodymap.widgets.dialogs import ProblemsButton
    from bodymap.widgets.history import ChangeNotice, HistoryActions
    from bodymap.widgets.records.controller import RecordsController

    c = _central(win, actions, controller)
    bar = win.statusBar()
    change_notice = ChangeNotice(bar)
    bar.addWidget(change_notice, 1)
    hover_label = QLabel(bar)
    hover_label.setTextFormat(Qt.TextFormat.PlainText)
    bar.addPermanentWidget(hover_label)
    problems_button = ProblemsButton(status, bar)
    bar.addPermanentWidget(problems_button)
    panel, player, course, docks = _docks(win, actions, controller, prompter)
    parts = WindowParts(
        banner=c.banner, splitter=c.splitter, map_toolbar=c.toolbar,
        map_toolbar_label=c.toolbar_label, map=c.map, map_binding=c.map.bind(controller),
        tabs=c.tabs, steps_pane=c.steps_pane, notes=c.notes, panel=panel, panel_dock=docks[0],
        player=player, player_dock=docks[1], course=course, course_dock=docks[2],
        techniques_dock=docks[3], hover_label=hover_label, problems_button=problems_button,
        change_notice=change_notice, history=HistoryActions(actions["undo"], actions["redo"]),
        docks=DockSizes(win, controller, settings),
        records=RecordsController(controller, settings, prompter, status, documents, win),
        records_dock=docks[4])
    _techniques_dock(parts, controller)
    _records_dock(parts, actions, controller)
    _bind_views(parts, actions, status, controller)
    from bodymap.widgets.wheel import guard_wheel

    guard_wheel(win)
    return parts


def _central(win: QMainWindow, actions: ActionTable, controller: SessionController
             ) -> _Central:
    """The map's column (its marking toolbar, the map) beside the plan's column (the banner
    over the steps and notes tabs): the map has the window's whole height between the menus
    and the bottom docks."""
    from bodymap.widgets.panels import PlanNotes, StatusBanner, StepsPane

    central = QWidget(win)
    layout = QVBoxLayout(central)
    layout.setContentsMargins(6, 6, 6, 0)
    layout.setSpacing(6)
    splitter = QSplitter(Qt.Orientation.Horizontal, central)
    splitter.setObjectName("centralSplitter")
    holder, toolbar, toolbar_label, body_map = _map_holder(splitter, actions, controller)
    splitter.addWidget(holder)
    plan_column = QWidget(splitter)
    plan_column.setObjectName("planColumn")
    column = QVBoxLayout(plan_column)
    column.setContentsMargins(0, 0, 0, 0)
    column.setSpacing(6)
    banner = StatusBanner(plan_column)
    column.addWidget(banner)
    tabs = QTabWidget(plan_column)
    tabs.setObjectName("planTabs")
    # the tab titles stay whole (Russian ones are longer), and so do the steps' columns: the
    # tabs' least width holds both (no explicit minimum that would hide either)
    tabs.tabBar().setUsesScrollButtons(False)
    tabs.tabBar().setElideMode(Qt.TextElideMode.ElideNone)
    steps_pane, notes = StepsPane(tabs), PlanNotes(tabs)
    tabs.addTab(steps_pane, "")
    tabs.addTab(notes, "")
    column.addWidget(tabs, 1)
    splitter.addWidget(plan_column)
    # a larger window (maximised) gives the map its share of the added width too
    splitter.setStretchFactor(0, round(MAP_SHARE_WITH_PLAN * 100))
    splitter.setStretchFactor(1, round((1 - MAP_SHARE_WITH_PLAN) * 100))
    splitter.setChildrenCollapsible(False)
    layout.addWidget(splitter, 1)
    win.setCentralWidget(central)
    central.show()  # made after the window was shown: not shown by itself
    return _Central(splitter, toolbar, toolbar_label, body_map, banner, tabs, steps_pane, notes)


def _docks(win: QMainWindow, actions: ActionTable, controller: SessionController,
           prompter: Prompter
           ) -> tuple[PatientPanel, SessionPlayer, CoursePane, list[QDockWidget]]:
    """The patient panel (left), the player and the course (bottom, side by side), and the
    techniques' and records' holders (right, filled when first shown); their docks in that
    order."""
    from bodymap.widgets.course import CoursePane
    from bodymap.widgets.panels import PatientPanel
    from bodymap.widgets.panels.common import technique_name
    from bodymap.widgets.player import SessionPlayer

    panel = PatientPanel(prompter=prompter)
    bottom = Qt.DockWidgetArea.BottomDockWidgetArea
    player = SessionPlayer(names=lambda step: technique_name(
        controller.library, step.technique, step.variant))
    course = CoursePane()
    techniques_holder = QWidget()
    techniques_holder.setObjectName("techniquesHolder")
    QVBoxLayout(techniques_holder).setContentsMargins(0, 0, 0, 0)
    records_holder = QWidget()
    records_holder.setObjectName("recordsHolder")
    QVBoxLayout(records_holder).setContentsMargins(0, 0, 0, 0)
    right = Qt.DockWidgetArea.RightDockWidgetArea
    docks = [_dock(win, actions, name, area, widget) for name, area, widget in (
        ("patientDock", Qt.DockWidgetArea.LeftDockWidgetArea, panel),
        ("playerDock", bottom, player), ("courseDock", bottom, course),
        ("techniquesDock", right, techniques_holder), ("recordsDock", right, records_holder))]
    win.splitDockWidget(docks[1], docks[2], Qt.Orientation.Horizontal)
    return panel, player, course, docks


def _bind_views(parts: WindowParts, actions: ActionTable, status: Status,
                controller: SessionController) -> None:
    """Each view binds itself to the controller (the map did when its binding was made)."""
    parts.banner.bind(controller)
    parts.steps_pane.bind(controller)
    parts.notes.bind(controller)
    parts.panel.bind(controller)
    parts.player.bind(controller)
    parts.course.bind(controller)
    parts.problems_button.bind(controller)
    parts.change_notice.bind(controller)
    parts.history.bind(controller)
    actions.bind(controller)
    parts.docks.bind(parts)
    _bind_marks(parts, actions, status, controller)


def load_plots(parts: WindowParts) -> None:
    """Make the window's plots in place of their blanks: the player's timeline and the course
    chart (this imports pyqtgraph; ``MainWindow.load_plots`` calls it once the map painted)."""
    parts.player.load_plot()
    parts.course.load_plot()


def _map_holder(splitter: QSplitter, actions: ActionTable, controller: SessionController
                ) -> tuple[QWidget, QToolBar, QLabel, BodyMapView]:
    from bodymap.widgets.map.view import BodyMapView

    holder = QWidget(splitter)
    holder.setObjectName("mapHolder")
    layout = QVBoxLayout(holder)
    layout.setContentsMargins(0, 0, 0, 0)
    layout.setSpacing(0)
    toolbar = QToolBar(holder)
    toolbar.setObjectName("mapToolbar")
    toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
    label = QLabel(toolbar)
    toolbar.addWidget(label)
    for action in actions.mark_actions.values():
        toolbar.addAction(action)
    layout.addWidget(toolbar)
    body_map = BodyMapView(controller.geometry, holder)
    body_map.set_playing(False)
    layout.addWidget(body_map, 1)
    return holder, toolbar, label, body_map


def _dock(win: QMainWindow, actions: ActionTable, name: str, area: Qt.DockWidgetArea,
          widget: QWidget) -> QDockWidget:
    dock = QDockWidget(win)
    dock.setObjectName(name)
    dock.setWidget(widget)
    features = QDockWidget.DockWidgetFeature
    dock.setFeatures(features.DockWidgetMovable | features.DockWidgetFloatable
                     | features.DockWidgetClosable)
    win.addDockWidget(area, dock)
    dock.show()  # made after the window was shown: not shown by itself
    view = actions.menus["view"]
    if actions.docks_anchor is not None:
        view.insertAction(actions.docks_anchor, dock.toggleViewAction())
    else:
        view.addAction(dock.toggleViewAction())
    return dock


def _bind_marks(parts: WindowParts, actions: ActionTable, status: Status,
                controller: SessionController) -> None:
    """The marking tools: a checked tool sets the map's mode (and says how to mark); the map
    ends the mode after one mark, or on Esc, and the tool unchecks. Hover and clicks name the
    zone in the status bar."""
    body_map = parts.map

    def chosen(_action: object) -> None:
        mode = next((m for m, a in actions.mark_actions.items() if a.isChecked()), None)
        body_map.set_mark_mode(mode)
        if mode is not None:
            status(tr(f"mark.{mode}_hint"), 8000)

    def mode_changed(mode: str) -> None:
        for key, action in actions.mark_actions.items():
            action.setChecked(key == mode)

    def zone_name(zone: str) -> str:
        from bodymap.vocabulary import zone_name as name_of

        return name_of(controller.geometry, zone)

    actions.mark_group.triggered.connect(chosen)
    body_map.markModeChanged.connect(mode_changed)
    body_map.zoneClicked.connect(lambda zone: status(zone_name(zone), 5000))
    body_map.zoneHovered.connect(
        lambda zone: parts.hover_label.setText(zone_name(zone) if zone else ""))


def _techniques_dock(parts: WindowParts, controller: SessionController) -> None:
    """The technique library's dock: its contents (a map of its own, a demo plan) are made when
    it is first shown (:func:`ensure_techniques`), not at start-up, where it starts hidden."""
    dock = parts.techniques_dock
    dock.toggleViewAction().setShortcut(QKeySequence("Ctrl+L"))
    # a window of its own by default (the user may dock it): the plan keeps its room
    dock.setFloating(True)
    dock.resize(940, 680)
    dock.hide()
    dock.visibilityChanged.connect(lambda shown: shown and ensure_techniques(parts, controller))


def ensure_techniques(parts: WindowParts, controller: SessionController) -> TechniqueLibrary:
    """The technique library, made (and bound to the session) on first use."""
    if parts.techniques is None:
        from bodymap.widgets.techniques import TechniqueLibrary
        from bodymap.widgets.wheel import guard_wheel

        library = TechniqueLibrary(controller.library, controller.geometry)
        library.bind(controller)
        holder = parts.techniques_dock.widget()
        holder_layout = holder.layout() if holder is not None else None
        if holder_layout is not None:
            holder_layout.addWidget(library)
        if parts.techniques_dock.isVisible():
            library.show()  # a child added to a shown widget waits for the event loop
        guard_wheel(library)
        parts.techniques = library
    return parts.techniques


def _records_dock(parts: WindowParts, actions: ActionTable,
                  controller: SessionController) -> None:
    """The records' dock: hidden at first (the user's layout remembers it shown); its views
    are made, and the records opened, when it is first shown (:func:`ensure_records`)."""
    dock = parts.records_dock
    dock.hide()
    # shown by the user's restored layout at start-up, the views are made once the window is
    # ready (MainWindow: opening the records is never on the way to the first plan); after
    # that, whenever the dock is shown

    def shown(visible: bool) -> None:
        if visible and parts.records_view is None and parts.records.started():
            ensure_records(parts, actions, controller)

    dock.visibilityChanged.connect(shown)


def ensure_records(parts: WindowParts, actions: ActionTable,
                   controller: SessionController) -> RecordsView:
    """The records' views, made (and bound to the records controller) on first use."""
    if parts.records_view is None:
        from bodymap.widgets.records.view import RecordsView
        from bodymap.widgets.wheel import guard_wheel

        view = RecordsView(controller.geometry)
        holder = parts.records_dock.widget()
        holder_layout = holder.layout() if holder is not None else None
        if holder_layout is not None:
            holder_layout.addWidget(view)
        parts.records_view = view
        view.bind(parts.records)
        view.visit.markRequested.connect(lambda mode: actions.mark_actions[mode].trigger())
        if parts.records_dock.isVisible():
            view.show()
        guard_wheel(view)
    return parts.records_view


def place_records(win: QMainWindow, parts: WindowParts) -> None:
    """Where the records dock goes the first time it is opened (after that, where the user
    left it): beside the map on a wide window (a third of it); on a narrower one (a
    1366-pixel laptop) a tab beside the patient panel, so that the map and the plan keep their
    room (the dock's tabs switch between the two)."""
    dock = parts.records_dock
    if dock.isFloating():
        return
    if win.width() < RECORDS_BESIDE and parts.panel_dock.isVisible():
        win.tabifyDockWidget(parts.panel_dock, dock)
        dock.raise_()
        return
    width = min(RECORDS_WIDTH[1], max(RECORDS_WIDTH[0], round(win.width() * 0.27)))
    # the patient panel keeps its width: its checklist is asked during the visit
    panel = [parts.panel_dock] if parts.panel_dock.isVisible() else []
    win.resizeDocks([*panel, dock], [PANEL_WIDTH] * len(panel) + [width],
                    Qt.Orientation.Horizontal)


def retranslate_window(parts: WindowParts) -> None:
    """The texts the window itself owns: dock titles, tab titles, the toolbar's label. Each
    view retranslates itself (Qt's LanguageChange)."""
    parts.map_toolbar_label.setText(tr("mark.toolbar") + "  ")
    parts.map_toolbar.setWindowTitle(tr("mark.toolbar"))
    for dock, key in ((parts.panel_dock, "patient"), (parts.player_dock, "player"),
                      (parts.course_dock, "course"), (parts.techniques_dock, "techniques"),
                      (parts.records_dock, "records")):
        dock.setWindowTitle(tr(f"dock.{key}"))
    for i, key in enumerate(("steps", "notes")):
        parts.tabs.setTabText(i, tr(f"tab.{key}"))
        parts.tabs.setTabToolTip(i, tr(f"tab.{key}_tip"))
    parts.history.refresh()


# ---------------------------------------------------------------------------------------------
# the docks' sizes

QWIDGETSIZE_MAX = 16_777_215  # Qt's "no maximum"

#: the default share of the map beside the plan tabs, and the docks' default sizes (pixels)
MAP_SHARE = 0.67
MAP_SHARE_WITH_PLAN = 0.64  # the steps table needs its columns once there are steps
PANEL_WIDTH = 365
BOTTOM_HEIGHT = 230  # the bottom docks' height until the user gives them their own
RECORDS_WIDTH = (400, 520)  # the records dock's first width: 27% of the window, within
RECORDS_BESIDE = 1600  # narrower windows: the records dock is a tab beside the patient panel
#: on a small screen (under SMALL_SCREEN wide or SHORT_SCREEN high, free area) the map leads:
#: the patient panel narrower, the bottom docks a share of the height (no less than they need)
SMALL_SCREEN = 1500
SHORT_SCREEN = 1000
PANEL_WIDTH_SMALL = 352  # holds the panel whole in English and Russian
MAP_SHARE_WITH_PLAN_SMALL = 0.62
BOTTOM_SHARE_SHORT = 0.2


def screen_room(widget: QWidget) -> tuple[int, int]:
    """The free area (width, height) of the screen ``widget`` is on."""
    room = widget.screen().availableGeometry()
    return room.width(), room.height()


class DockSizes(QObject):
    """The docks' sizes: the patient panel narrow, the map wide; the player and course docks
    keep to a line of words until there is something to show (:meth:`fit`), then open to the
    user's height (:meth:`remember_bottom_height`) or :data:`BOTTOM_HEIGHT`; the layout is
    saved with ``settings.LAYOUT_VERSION`` and View -> Reset layout restores the default."""

    def __init__(self, win: QMainWindow, controller: SessionController,
                 settings: QSettings) -> None:
        super().__init__(win)
        self.win, self.controller, self.settings = win, controller, settings
        self.splitter_default = True  # the user has not moved the map's divider
        self.docks_compact = False
        self.bottom_height: int | None = None  # the user's height; None: BOTTOM_HEIGHT
        self.bottom_open = False  # both show something: they have the height above
        self.bottom_laid_out = False  # ...and the window has laid them out so since
        self.default_layout = b""
        self._parts: WindowParts | None = None

    def bind(self, parts: WindowParts) -> None:
        """Lay out ``parts`` at the default sizes, remember that as the default, restore the
        user's layout, then follow the controller's plan."""
        self._parts = parts
        for dock in (parts.player_dock, parts.course_dock):
            dock.installEventFilter(self)
        self.apply_default_sizes()
        self.default_layout = bytes(self.win.saveState(prefs.LAYOUT_VERSION).data())
        state = prefs.get_bytes(self.settings, prefs.STATE)
        if state is not None and self.win.restoreState(state, prefs.LAYOUT_VERSION):
            splitter = prefs.get_bytes(self.settings, prefs.SPLITTER)
            if splitter is not None and parts.splitter.restoreState(splitter):
                self.splitter_default = False  # the user's own split stays as it is
            self.bottom_height = prefs.get_int(self.settings, prefs.BOTTOM_HEIGHT,
                                               *prefs.BOTTOM_HEIGHT_RANGE)
            if parts.records_dock in self.win.tabifiedDockWidgets(parts.panel_dock):
                parts.panel_dock.raise_()  # a start shows the plan's conditions, not the list
        parts.splitter.splitterMoved.connect(self._splitter_moved)
        self.controller.planChanged.connect(lambda _plan: self.fit())

    @property
    def parts(self) -> WindowParts:
        if self._parts is None:
            raise RuntimeError("the docks are not laid out yet")
        return self._parts

    def _splitter_moved(self, _pos: int, _index: int) -> None:
        self.splitter_default = False

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """Notes that the open bottom docks were laid out (a height read now is a real one)."""
        if event.type() == QEvent.Type.Resize and self.bottom_open:
            self.bottom_laid_out = True
        return False

    def panel_width(self) -> int:
        """The patient panel's default width: narrower on a small screen, never so narrow
        that its contents are cut."""
        if screen_room(self.win)[0] >= SMALL_SCREEN:
            return PANEL_WIDTH
        return max(PANEL_WIDTH_SMALL, self.parts.panel.least_width())

    def map_share_with_plan(self) -> float:
        """The map's share beside the plan's column once there is a plan: on a small screen a
        little less, so that the column holds the Russian tab titles and the compact steps
        (the map then stands at the same place in either language)."""
        small = screen_room(self.win)[0] < SMALL_SCREEN
        return MAP_SHARE_WITH_PLAN_SMALL if small else MAP_SHARE_WITH_PLAN

    def default_height(self) -> int:
        """The bottom docks' default height: :data:`BOTTOM_HEIGHT`, or on a short screen a
        share of its height (never less than the docks need)."""
        room_h = screen_room(self.win)[1]
        if room_h >= SHORT_SCREEN:
            return BOTTOM_HEIGHT
        return min(BOTTOM_HEIGHT, round(room_h * BOTTOM_SHARE_SHORT))

    def apply_default_sizes(self) -> None:
        p = self.parts
        self.win.resizeDocks([p.panel_dock], [self.panel_width()], Qt.Orientation.Horizontal)
        self.win.resizeDocks([p.player_dock, p.course_dock], [2, 1], Qt.Orientation.Horizontal)
        self.splitter_default = True
        self.docks_compact = False
        self.bottom_height = None
        self.bottom_open = False
        self.bottom_laid_out = False
        self.fit()

    def fit(self) -> None:
        """Empty bottom docks keep to one line of words; when both show something again they
        open to the user's height. The map's share beside the plan tabs follows too, until
        the user moves the divider."""
        p, c = self.parts, self.controller
        empty = {p.player_dock: c.playable_plan() is None, p.course_dock: c.plan() is None}
        bottom = self.bottom_docks()
        is_open = bool(bottom) and not any(empty[d] for d in bottom)
        if self.bottom_open and not is_open:
            self.remember_bottom_height()  # before the empty one shrinks the row with it
        for dock, is_empty in empty.items():
            widget = dock.widget()
            if widget is not None:
                widget.setMaximumHeight(widget.sizeHint().height() if is_empty
                                        else QWIDGETSIZE_MAX)
        if is_open and not self.bottom_open:
            self.bottom_laid_out = False
            self.win.resizeDocks(bottom, [self.height()] * len(bottom), Qt.Orientation.Vertical)
        self.bottom_open = is_open
        self.docks_compact = all(empty.values())
        if self.splitter_default:  # until the user moves it: the map leads, the steps get room
            share = MAP_SHARE if c.plan() is None else self.map_share_with_plan()
            width = max(p.splitter.width(), 600)
            p.splitter.setSizes([round(width * share), round(width * (1 - share))])

    def bottom_docks(self) -> list[QDockWidget]:
        """The player and course docks that are shown, docked, in the bottom area."""
        p = self.parts
        return [d for d in (p.player_dock, p.course_dock)
                if d.isVisibleTo(self.win) and not d.isFloating()
                and self.win.dockWidgetArea(d) == Qt.DockWidgetArea.BottomDockWidgetArea]

    def height(self) -> int:
        """The height the bottom docks open to: the user's, else the default."""
        return self.bottom_height or self.default_height()

    def remember_bottom_height(self) -> None:
        """Take the bottom docks' height as the user's, if they are open and laid out, and it
        is not the height they were given nor a squeeze by a window too small for it."""
        bottom = self.bottom_docks()
        if not (self.bottom_open and self.bottom_laid_out and bottom and self.win.isVisible()):
            return
        height = max(d.height() for d in bottom)
        given = self.height()
        if abs(height - given) <= 2:
            return  # as given: a default stays a default
        central = self.win.centralWidget()
        if (central is not None and height < given
                and central.height() <= central.minimumSizeHint().height() + 2):
            return  # the window left no more room: that is not the user's choice
        low, high = prefs.BOTTOM_HEIGHT_RANGE
        self.bottom_height = min(max(height, low), high)

    def reset(self) -> None:
        """View -> Reset layout: the docks where they were at first, at their first sizes (the
        user's height of the bottom docks forgotten)."""
        p = self.parts
        self.win.restoreState(self.default_layout, prefs.LAYOUT_VERSION)
        for dock in (p.panel_dock, p.player_dock, p.course_dock):
            dock.setFloating(False)
            dock.show()
        p.techniques_dock.hide()
        p.records_dock.hide()
        self.settings.remove(prefs.RECORDS_PLACED)  # placed afresh when next opened
        self.apply_default_sizes()

    def save(self) -> None:
        self.settings.setValue(prefs.STATE, self.win.saveState(prefs.LAYOUT_VERSION))
        self.settings.setValue(prefs.SPLITTER, self.parts.splitter.saveState())
        self.remember_bottom_height()
        if self.bottom_height is None:
            self.settings.remove(prefs.BOTTOM_HEIGHT)
        else:
            self.settings.setValue(prefs.BOTTOM_HEIGHT, self.bottom_height)


__all__ = ["BOTTOM_HEIGHT", "DockSizes", "WindowParts", "build_window", "ensure_records",
           "ensure_techniques", "load_plots", "place_records", "retranslate_window"]
