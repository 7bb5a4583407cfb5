"""The main window's layout: the banner, the map with its marking toolbar, the steps and notes
tabs, and the docks (patient, player, course, techniques). Built once, after the first paint,
by :func:`build_window`; :func:`retranslate_window` sets their texts.

Layout only: what the widgets show comes from the session controller (see
``MainWindow._connect``).
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import (
    QDockWidget,
    QLabel,
    QSplitter,
    QStackedWidget,
    QTabWidget,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

from bodymap.i18n import tr
from bodymap.widgets import settings as prefs


def build_window(win: Any) -> None:
    """Fill ``win`` (a MainWindow whose controller exists) with its widgets and docks."""
    from bodymap.widgets.panels import PatientPanel, StatusBanner

    c = win.controller
    central = QWidget(win)
    layout = QVBoxLayout(central)
    layout.setContentsMargins(6, 6, 6, 0)
    layout.setSpacing(6)
    win.banner = StatusBanner(central)
    layout.addWidget(win.banner)
    win.splitter = QSplitter(Qt.Orientation.Horizontal, central)
    win.splitter.setObjectName("centralSplitter")
    win.splitter.addWidget(_map_holder(win))
    win.splitter.addWidget(_plan_tabs(win))
    win.splitter.setStretchFactor(0, 3)
    win.splitter.setStretchFactor(1, 2)
    layout.addWidget(win.splitter, 1)
    win.setCentralWidget(central)
    central.show()  # made after the window was shown: not shown by itself
    win.loading_label = None
    win.hover_label = QLabel(win.statusBar())
    win.hover_label.setTextFormat(Qt.TextFormat.PlainText)
    win.statusBar().addPermanentWidget(win.hover_label)
    from bodymap.widgets.dialogs import ProblemsButton

    win.problems_button = ProblemsButton(win.show_status, win.statusBar())
    win.statusBar().addPermanentWidget(win.problems_button)

    win.panel = PatientPanel(prompter=win.prompter)
    win.panel.set_library(c.library, c.geometry)
    win.panel_dock = _dock(win, "patientDock", Qt.DockWidgetArea.LeftDockWidgetArea, win.panel)
    _player_and_course(win)
    _techniques(win)
    win.docks_compact = False
    apply_default_sizes(win)
    # the default, as built: View -> Reset layout brings it back
    win.default_layout = win.saveState(prefs.LAYOUT_VERSION)
    state = prefs.get_bytes(win.settings, prefs.STATE)
    if state is not None and win.restoreState(state, prefs.LAYOUT_VERSION):
        splitter = prefs.get_bytes(win.settings, prefs.SPLITTER)
        if splitter is not None and win.splitter.restoreState(splitter):
            win.splitter_default = False  # the user's own split stays as it is
        win.bottom_height = prefs.get_int(win.settings, prefs.BOTTOM_HEIGHT,
                                          *prefs.BOTTOM_HEIGHT_RANGE)
    win.splitter.splitterMoved.connect(lambda *_: setattr(win, "splitter_default", False))


QWIDGETSIZE_MAX = 16_777_215  # Qt's "no maximum"

#: the default share of the map beside the plan tabs, and the docks' default sizes (pixels)
MAP_SHARE = 0.67
MAP_SHARE_WITH_PLAN = 0.56  # the steps table needs its columns once there are steps
PANEL_WIDTH = 365
BOTTOM_HEIGHT = 230  # the bottom docks' height until the user gives them their own


def apply_default_sizes(win: Any) -> None:
    """The default sizes: the patient panel narrow, the map wide, the bottom docks compact
    until there is a plan (:func:`fit_bottom_docks`), then at :data:`BOTTOM_HEIGHT`."""
    win.resizeDocks([win.panel_dock], [PANEL_WIDTH], Qt.Orientation.Horizontal)
    docks = [win.player_dock, win.course_dock]
    win.resizeDocks(docks, [2, 1], Qt.Orientation.Horizontal)
    win.splitter_default = True
    win.docks_compact = False
    win.bottom_height = None  # the user's height of the bottom docks; None: BOTTOM_HEIGHT
    win.bottom_open = False  # both show something: they have the height above
    win.bottom_laid_out = False  # ...and the window has laid them out so since
    _watch_bottom_docks(win)
    fit_bottom_docks(win)


def fit_bottom_docks(win: Any) -> None:
    """The player and course docks keep to one line of words while they have nothing to show
    (no plan to play, no course). When both show something again they open to the user's
    height (:func:`remember_bottom_height`), or :data:`BOTTOM_HEIGHT` until there is one. The
    map's share beside the plan tabs follows too, until the user moves the divider."""
    empty = {win.player_dock: win.controller.playable_plan() is None,
             win.course_dock: win.controller.plan() is None}
    bottom = bottom_docks(win)
    is_open = bool(bottom) and not any(empty[d] for d in bottom)
    if win.bottom_open and not is_open:
        remember_bottom_height(win)  # before the empty one shrinks the row with it
    for dock, is_empty in empty.items():
        widget = dock.widget()
        widget.setMaximumHeight(widget.sizeHint().height() if is_empty else QWIDGETSIZE_MAX)
    if is_open and not win.bottom_open:
        win.bottom_laid_out = False
        win.resizeDocks(bottom, [bottom_height(win)] * len(bottom), Qt.Orientation.Vertical)
    win.bottom_open = is_open
    win.docks_compact = all(empty.values())
    if win.splitter_default:  # until the user moves it: the map leads, the steps get room
        share = MAP_SHARE if win.controller.plan() is None else MAP_SHARE_WITH_PLAN
        width = max(win.splitter.width(), 600)
        win.splitter.setSizes([round(width * share), round(width * (1 - share))])


def bottom_docks(win: Any) -> list[Any]:
    """The player and course docks that are shown, docked, in the bottom area."""
    return [d for d in (win.player_dock, win.course_dock)
            if d.isVisibleTo(win) and not d.isFloating()
            and win.dockWidgetArea(d) == Qt.DockWidgetArea.BottomDockWidgetArea]


def bottom_height(win: Any) -> int:
    """The height the bottom docks open to: the user's, else the default."""
    return win.bottom_height or BOTTOM_HEIGHT


def remember_bottom_height(win: Any) -> None:
    """Take the bottom docks' height as the user's, if they are open and laid out, and it is
    not the height they were given nor a squeeze by a window too small for it."""
    bottom = bottom_docks(win)
    if not (win.bottom_open and win.bottom_laid_out and bottom and win.isVisible()):
        return
    height = max(d.height() for d in bottom)
    given = bottom_height(win)
    if abs(height - given) <= 2:
        return  # as given: a default stays a default
    central = win.centralWidget()
    if height < given and central.height() <= central.minimumSizeHint().height() + 2:
        return  # the window left no more room: that is not the user's choice
    low, high = prefs.BOTTOM_HEIGHT_RANGE
    win.bottom_height = min(max(height, low), high)


class _BottomDockWatcher(QObject):
    """Notes that the open bottom docks were laid out (a height read now is a real one)."""

    def __init__(self, win: Any) -> None:
        super().__init__(win)
        self.win = win

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Resize and self.win.bottom_open:
            self.win.bottom_laid_out = True
        return False


def _watch_bottom_docks(win: Any) -> None:
    if getattr(win, "bottom_watcher", None) is None:
        win.bottom_watcher = _BottomDockWatcher(win)
        for dock in (win.player_dock, win.course_dock):
            dock.installEventFilter(win.bottom_watcher)


def reset_layout(win: Any) -> None:
    """View -> Reset layout: the docks where they were at first, at their first sizes (the
    user's height of the bottom docks forgotten)."""
    win.restoreState(win.default_layout, prefs.LAYOUT_VERSION)
    for dock in (win.panel_dock, win.player_dock, win.course_dock):
        dock.setFloating(False)
        dock.show()
    win.techniques_dock.hide()
    apply_default_sizes(win)


def save_layout(win: Any) -> None:
    win.settings.setValue(prefs.STATE, win.saveState(prefs.LAYOUT_VERSION))
    win.settings.setValue(prefs.SPLITTER, win.splitter.saveState())
    remember_bottom_height(win)
    if win.bottom_height is None:
        win.settings.remove(prefs.BOTTOM_HEIGHT)
    else:
        win.settings.setValue(prefs.BOTTOM_HEIGHT, win.bottom_height)


def _map_holder(win: Any) -> QWidget:
    from bodymap.widgets.mapview import BodyMapView

    holder = QWidget(win.splitter)
    holder.setObjectName("mapHolder")
    layout = QVBoxLayout(holder)
    layout.setContentsMargins(0, 0, 0, 0)
    layout.setSpacing(0)
    win.map_toolbar = QToolBar(holder)
    win.map_toolbar.setObjectName("mapToolbar")
    win.map_toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
    win.map_toolbar_label = QLabel(win.map_toolbar)
    win.map_toolbar.addWidget(win.map_toolbar_label)
    for action in win.mark_actions.values():
        win.map_toolbar.addAction(action)
    layout.addWidget(win.map_toolbar)
    win.map = BodyMapView(win.controller.geometry, holder)
    win.map.set_playing(False)
    layout.addWidget(win.map, 1)
    return holder


def _plan_tabs(win: Any) -> QTabWidget:
    from bodymap.widgets.panels import PlanNotes, StepsTable

    win.tabs = QTabWidget(win.splitter)
    win.tabs.setObjectName("planTabs")
    win.steps_stack = QStackedWidget(win.tabs)
    win.steps = StepsTable(win.steps_stack)
    win.steps_empty = QLabel(win.steps_stack)
    win.steps_empty.setObjectName("stepsEmpty")
    win.steps_empty.setTextFormat(Qt.TextFormat.PlainText)
    win.steps_empty.setWordWrap(True)
    win.steps_empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
    win.steps_empty.setMargin(24)
    win.steps_stack.addWidget(win.steps_empty)
    win.steps_stack.addWidget(win.steps)
    win.notes = PlanNotes(win.tabs)
    win.tabs.addTab(win.steps_stack, "")
    win.tabs.addTab(win.notes, "")
    return win.tabs


def _dock(win: Any, name: str, area: Any, widget: QWidget) -> QDockWidget:
    dock = QDockWidget(win)
    dock.setObjectName(name)
    dock.setWidget(widget)
    features = QDockWidget.DockWidgetFeature
    dock.setFeatures(features.DockWidgetMovable | features.DockWidgetFloatable
                     | features.DockWidgetClosable)
    win.addDockWidget(area, dock)
    dock.show()  # made after the window was shown: not shown by itself
    win.menus["view"].insertAction(win.actions_table.docks_anchor, dock.toggleViewAction())
    return dock


def _player_and_course(win: Any) -> None:
    from bodymap.widgets.course import CoursePlot
    from bodymap.widgets.panels import technique_name
    from bodymap.widgets.player import SessionPlayer

    c = win.controller
    win.player = SessionPlayer(clock=c.clock, names=lambda step: technique_name(
        c.library, step.technique, step.variant))
    area = Qt.DockWidgetArea.BottomDockWidgetArea
    win.player_dock = _dock(win, "playerDock", area, win.player)
    win.course = CoursePlot()
    win.course_empty = QLabel(tr("course.empty"))
    win.course_empty.setObjectName("courseEmpty")
    win.course_empty.setTextFormat(Qt.TextFormat.PlainText)
    win.course_empty.setWordWrap(True)
    win.course_empty.setMargin(6)
    holder = QWidget()
    holder.setObjectName("coursePanel")
    box = QVBoxLayout(holder)
    box.setContentsMargins(0, 0, 0, 0)
    box.addWidget(win.course_empty)
    box.addWidget(win.course, 1)
    win.course.hide()
    win.course_dock = _dock(win, "courseDock", area, holder)
    win.splitDockWidget(win.player_dock, win.course_dock, Qt.Orientation.Horizontal)


def _techniques(win: Any) -> None:
    """The technique library's dock: its contents (a map of its own, a demo plan) are made when
    it is first shown (:func:`ensure_techniques`), not at start-up, where it starts hidden."""
    holder = QWidget()
    holder.setObjectName("techniquesHolder")
    QVBoxLayout(holder).setContentsMargins(0, 0, 0, 0)
    win.techniques_dock = _dock(win, "techniquesDock", Qt.DockWidgetArea.RightDockWidgetArea,
                                holder)
    win.techniques_dock.toggleViewAction().setShortcut(QKeySequence("Ctrl+L"))
    # a window of its own by default (the user may dock it): the plan keeps its room
    win.techniques_dock.setFloating(True)
    win.techniques_dock.resize(940, 680)
    win.techniques_dock.hide()
    win.techniques_dock.visibilityChanged.connect(
        lambda shown: shown and ensure_techniques(win))


def ensure_techniques(win: Any) -> Any:
    """The technique library, made (and bound to the session) on first use."""
    library = getattr(win, "_technique_library", None)
    if library is None:
        from bodymap.widgets.techniques import TechniqueLibrary

        library = TechniqueLibrary(win.controller.library, win.controller.geometry)
        library.bind(win.controller)
        win.techniques_dock.widget().layout().addWidget(library)
        if win.techniques_dock.isVisible():
            library.show()  # a child added to a shown widget waits for the event loop
        win._technique_library = library
    return library


def retranslate_window(win: Any) -> None:
    win.map_toolbar_label.setText(tr("mark.toolbar") + "  ")
    win.map_toolbar.setWindowTitle(tr("mark.toolbar"))
    for dock, key in ((win.panel_dock, "patient"), (win.player_dock, "player"),
                      (win.course_dock, "course"), (win.techniques_dock, "techniques")):
        dock.setWindowTitle(tr(f"dock.{key}"))
    for i, key in enumerate(("steps", "notes")):
        win.tabs.setTabText(i, tr(f"tab.{key}"))
        win.tabs.setTabToolTip(i, tr(f"tab.{key}_tip"))
    # the tab titles stay whole (Russian ones are longer); the map takes the rest
    win.tabs.setMinimumWidth(win.tabs.tabBar().sizeHint().width() + 6)
    win.course_empty.setText(tr("course.empty"))
    win.panel.retranslate()
    win.banner.retranslate()
    win.steps.retranslate()
    win.notes.retranslate()


__all__ = ["apply_default_sizes", "bottom_docks", "bottom_height", "build_window",
           "ensure_techniques", "fit_bottom_docks", "remember_bottom_height", "reset_layout",
           "retranslate_window", "save_layout"]
