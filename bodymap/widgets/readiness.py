""""Ready": the window as the user first sees it, defined once (issue 12, point 2).

The main window is *ready* when

* its start-up work is done (``MainWindow.ready``: data loaded, the interface built, the plan
  made when a condition was given),
* the condition list is filled,
* and, after that, the map has painted (with its zones: the map is built on the loaded
  geometry) and, when there is a plan, the session player and the course plot have painted.

A paint is seen by an event filter on the widget (and on the viewports of any scroll area in
it: pyqtgraph's plots paint there), so this does not depend on how each widget draws.
:class:`ReadyWatch` emits ``ready`` once, from the event loop's next turn after the last of
those paints, when everything painted has been flushed.

``make bench`` stops its start-up clock here (``ready_s``), ``bodymap screenshot`` grabs the
window here, and tests can wait on it.
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


def condition_list_filled(window: QWidget) -> bool:
    combo = window.findChild(QComboBox, CONDITION_LIST)
    return combo is not None and combo.count() > 0


def parts_to_paint(window: MainWindow) -> dict[str, QWidget]:
    """The widgets whose paint completes "ready": the map, and player and course with a plan."""
    if not window.is_ready():
        return {}
    built = window.parts
    parts: dict[str, QWidget] = {"map": built.map}
    if window.plan is not None:
        for name, widget in (("player", built.player), ("course", built.course.plot)):
            if widget.isVisible():
                parts[name] = widget
    return parts


class ReadyWatch(QObject):
    """Emits ``ready(seconds)`` once the window is ready (see the module docstring).

    ``seconds`` is ``time.perf_counter()`` when readiness was seen. ``prepare(window)``, when
    given, runs once the window's start-up work is done and before the paints are awaited
    (``bodymap screenshot`` sets the session there).
    """

    ready = Signal(float)

    def __init__(self, window: MainWindow,
                 prepare: Callable[[MainWindow], object] | None = None) -> None:
        super().__init__(window)
        self.window = window
        self._prepare = prepare
        self._pending: dict[QObject, str] = {}
        self._painted: set[str] = set()
        self._parts: set[str] = set()
        self._done = False
        self.ready_at: float | None = None
        if window.is_ready():
            QTimer.singleShot(0, lambda: self._arm(force=True))
        else:
            window.ready.connect(self._on_window_ready)

    def is_ready(self) -> bool:
        return self._done

    def parts(self) -> set[str]:
        """The parts awaited (``map``, ``player``, ``course``)."""
        return set(self._parts)

    def _on_window_ready(self) -> None:
        self.window.ready.disconnect(self._on_window_ready)
        self._arm(force=False)

    def _arm(self, force: bool) -> None:
        if self._prepare is not None:
            self._prepare(self.window)
        if not condition_list_filled(self.window):
            raise RuntimeError("the window is built but its condition list is empty")
        parts = parts_to_paint(self.window)
        if "map" not in parts:
            raise RuntimeError("the window is built but has no map")
        self._parts = set(parts)
        for name, widget in parts.items():
            targets = [widget, *(a.viewport() for a in widget.findChildren(QAbstractScrollArea))]
            if isinstance(widget, QAbstractScrollArea):
                targets.append(widget.viewport())
            for target in targets:
                self._pending[target] = name
                target.installEventFilter(self)
            if force:
                widget.update()
                for target in targets[1:]:
                    target.update()

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint and obj in self._pending and not self._done:
            self._painted.add(self._pending[obj])
            if self._painted >= self._parts:
                self._done = True
                self._release()
                # after this paint pass has finished and been flushed
                QTimer.singleShot(0, self._emit)
        return False

    def _release(self) -> None:
        for target in list(self._pending):
            target.removeEventFilter(self)
        self._pending.clear()

    def _emit(self) -> None:
        self.ready_at = time.perf_counter()
        self.ready.emit(self.ready_at)
