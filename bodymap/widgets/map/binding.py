"""The window's map as a view of the session controller (``BodyMapView.bind``).

It shows the controller's plan (with its painful places), its current step and its playback,
and sends the controller the marks placed on the map (each one undoable). Space on the focused
map plays or pauses, as on the player and in the presentation; anywhere else Space belongs to
the focused control. While a presentation shows the plan the window's own map holds its strokes
still (:meth:`MapBinding.set_suspended`): one animation at a time.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QAction, QKeySequence

if TYPE_CHECKING:
    from bodymap.plan_types import Plan
    from bodymap.widgets.controller import SessionController
    from bodymap.widgets.map.view import BodyMapView

__all__ = ["MapBinding"]


class MapBinding(QObject):
    """One map following one controller."""

    def __init__(self, view: BodyMapView, controller: SessionController) -> None:
        super().__init__(view)
        self.view, self.controller = view, controller
        self.suspended = False
        c = controller
        c.planChanged.connect(self._on_plan)
        c.stepChanged.connect(self._on_step)
        c.playingChanged.connect(self._on_playing)
        c.positionChanged.connect(self._on_position)
        view.herniaPlaced.connect(c.request_hernia)
        view.painPointPlaced.connect(c.request_pain_point)
        view.lesionToggled.connect(c.request_toggle_lesion)
        self.play_action = QAction(view)
        self.play_action.setObjectName("mapPlayAction")
        self.play_action.setShortcut(QKeySequence(Qt.Key.Key_Space))
        self.play_action.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
        self.play_action.triggered.connect(c.request_toggle_play)
        view.addAction(self.play_action)
        self._on_plan(c.plan())
        self._on_step(c.step())
        self._on_playing(c.is_playing())

    def set_suspended(self, suspended: bool) -> None:
        """Hold the strokes still (a presentation animates the plan elsewhere) or let them
        follow the playback again."""
        self.suspended = suspended
        self._on_playing(self.controller.is_playing())

    def _on_plan(self, plan: Plan | None) -> None:
        self.view.set_plan(plan)

    def _on_step(self, index: int) -> None:
        if 0 <= index < len(self.view.steps()):
            self.view.set_step(index)

    def _on_playing(self, playing: bool) -> None:
        self.view.set_playing(playing and not self.suspended)

    def _on_position(self, minutes: float) -> None:
        if not self.controller.is_playing():  # scrubbing the timeline moves the hands, too
            self.view.set_phase(minutes * 60_000.0 / self.view.ANIMATION_MS)
