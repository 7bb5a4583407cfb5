"""The two moments of start-up, defined once (issue 21, point 1): *map ready*, then *ready*.

The main window starts in stages (``mainwindow.py``): an empty shell paints first, then the
data is loaded and the window built (``MainWindow.ready``: nothing painted of it yet), then

* **map ready**: the map has painted with its zones (and, with a plan, the plan's emphasis and
  no-touch areas: the map is built on the loaded geometry and the plan is set before it first
  paints), the condition list is filled, and the plan's banner and the steps have painted. This
  is what a user looks at; pyqtgraph is not imported yet. The plots' places are held by blanks
  of their size (``plot_slot.py``).
* Right after, on the event loop, the window makes its plots (``MainWindow.load_plots``: the
  player's timeline and the course chart; this imports pyqtgraph) in place of the blanks.
* **ready**: the plots are made and, when there is a plan, the timeline and the course chart
  have painted too. Everything the window shows is there.

A paint is seen by an event filter on the widget (and on the viewports of any scroll area in
it: pyqtgraph's plots and the steps table paint there), so this does not depend on how each
widget draws. Each moment is signalled once, from the event loop's next turn after the last of
its paints, when everything painted has been flushed, with ``time.perf_counter()`` then.

Every main window has one :class:`ReadyWatch` (``MainWindow.startup``); its ``map_ready`` is
what starts the plots' loading, and ``make bench`` stops its two clocks at its signals
(``map_ready_s``, ``ready_s``). Others may be made (``bodymap screenshot``, tests): a watch made
after the window was built asks the parts it waits for to paint again.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, QTimer, Signal
from PySide6.QtWidgets import QAbstractScrollArea, QComboBox, QWidget

if TYPE_CHECKING:
    from bodymap.widgets.mainwindow import MainWindow

CONDITION_LIST = "conditionCombo"

__all__ = ["CONDITION_LIST", "ReadyWatch", "condition_list_filled", "map_parts", "plot_parts"]


def condition_list_filled(window: QWidget) -> bool:
    combo = window.findChild(QComboBox, CONDITION_LIST)
    return combo is not None and combo.count() > 0


def map_parts(window: MainWindow) -> dict[str, QWidget]:
    """The widgets whose paint makes *map ready*: the map, the condition panel, the banner and
    the steps (with a plan; the steps pane says what to do without one)."""
    if not window.is_ready():
        return {}
    built = window.parts
    parts: dict[str, QWidget] = {"map": built.map}
    combo = window.findChild(QComboBox, CONDITION_LIST)
    if combo is not None and combo.isVisible():
        parts["conditions"] = combo
    for name, widget in (("banner", built.banner), ("steps", built.steps_pane)):
        if widget.isVisible():
            parts[name] = widget
    return parts


def plot_parts(window: MainWindow) -> dict[str, QWidget]:
    """The plots whose paint, once made, makes *ready*: with a plan, the player's timeline and
    the course chart (where they are shown)."""
    if not window.is_ready() or not window.plots_loaded() or window.plan is None:
        return {}
    built = window.parts
    parts: dict[str, QWidget] = {}
    for name, widget in (("player", built.player.plot_area()),
                         ("course", built.course.plot_area())):
        if widget.isVisible():
            parts[name] = widget
    return parts


class ReadyWatch(QObject):
    """Emits ``map_ready(seconds)`` and then ``ready(seconds)`` once each (module docstring).

    ``seconds`` is ``time.perf_counter()`` when the moment was seen. ``prepare(window)``, when
    given, runs once the window's start-up work is done and before the paints are awaited
    (``bodymap screenshot`` sets the session there).
    """

    map_ready = Signal(float)
    ready = Signal(float)

    def __init__(self, window: MainWindow,
                 prepare: Callable[[MainWindow], object] | None = None) -> None:
        super().__init__(window)
        self.window = window
        self._prepare = prepare
        self._pending: dict[QObject, str] = {}
        self._painted: set[str] = set()
        self._parts: dict[str, set[str]] = {"map": set(), "plots": set()}
        self._widgets: dict[str, QWidget] = {}  # each awaited part's own widget
        self._stage = ""  # "map", then "plots", then "done"
        self._late = False  # made after the window was built: ask for the paints
        self.map_ready_at: float | None = None
        self.ready_at: float | None = None
        if window.is_ready():
            self._late = True
            QTimer.singleShot(0, self._on_window_built)
        else:
            window.ready.connect(self._on_window_built)

    def is_map_ready(self) -> bool:
        return self.map_ready_at is not None

    def is_ready(self) -> bool:
        return self.ready_at is not None

    def parts(self) -> set[str]:
        """The parts awaited so far (``map``, ``conditions``, ``banner``, ``steps``, then
        ``player``, ``course``)."""
        return self._parts["map"] | self._parts["plots"]

    # the map stage ---------------------------------------------------------------------------
    def _on_window_built(self) -> None:
        if not self._late:
            self.window.ready.disconnect(self._on_window_built)
        if self._stage:
            return
        if self._prepare is not None:
            self._prepare(self.window)
        parts = map_parts(self.window)
        if "map" not in parts:
            raise RuntimeError("the window is built but has no map")
        self._stage = "map"
        self._parts["map"] = set(parts)
        self._watch(parts, force=self._late)

    def _map_painted(self) -> None:
        self.map_ready_at = time.perf_counter()
        self._stage = "plots"
        self.map_ready.emit(self.map_ready_at)
        if self.window.plots_loaded():
            self._late = True  # the plots were made before this watch saw them
            QTimer.singleShot(0, self._on_plots_loaded)
        else:
            self.window.plotsLoaded.connect(self._on_plots_loaded)

    # the plots stage -------------------------------------------------------------------------
    def _on_plots_loaded(self) -> None:
        if self._stage != "plots":
            return
        self._stage = "plots-awaited"
        if not self._late:
            self.window.plotsLoaded.disconnect(self._on_plots_loaded)
        parts = plot_parts(self.window)
        self._parts["plots"] = set(parts)
        if not parts:  # nothing to paint (no plan): ready once the plots are made
            QTimer.singleShot(0, self._ready)
            return
        self._painted.clear()
        self._watch(parts, force=self._late)

    def _ready(self) -> None:
        self._stage = "done"
        self.ready_at = time.perf_counter()
        self.ready.emit(self.ready_at)

    # paints ----------------------------------------------------------------------------------
    def _watch(self, parts: dict[str, QWidget], force: bool) -> None:
        for name, widget in parts.items():
            self._widgets[name] = widget
            targets = [widget, *(a.viewport() for a in widget.findChildren(QAbstractScrollArea))]
            if isinstance(widget, QAbstractScrollArea):
                targets.append(widget.viewport())
            for target in targets:
                self._pending[target] = name
                target.installEventFilter(self)
            if force:
                for target in targets:
                    target.update()

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:
        kind = event.type()
        if kind in (QEvent.Type.Paint, QEvent.Type.Hide) and obj in self._pending:
            if kind == QEvent.Type.Paint:
                self._painted.add(self._pending[obj])
            stage = "map" if self._stage == "map" else "plots"
            # a part hidden since it was awaited (a dock restored in front of it, a tab
            # switched) is not shown, so there is nothing of it to wait for
            shown = {n for n in self._parts[stage]
                     if n not in self._widgets or self._widgets[n].isVisible()}
            if self._painted >= shown and (stage != "map" or "map" in self._painted):
                self._release()
                # after this paint pass has finished and been flushed
                QTimer.singleShot(0, self._map_painted if stage == "map" else self._ready)
        return False

    def _release(self) -> None:
        for target in list(self._pending):
            target.removeEventFilter(self)
        self._pending.clear()
