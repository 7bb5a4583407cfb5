"""The session player: a pyqtgraph timeline of the plan's steps with a playhead, and controls.

The player is a view of the session controller (:meth:`SessionPlayer.bind`): it shows the
controller's playable plan, step and clock, and every button, key and drag is a request to the
controller (play, pause, seek, next, previous, speed). It never decides which step is current
and never touches the clock itself.

The timeline is a pyqtgraph plot (``timeline_plot.py``), made by :meth:`SessionPlayer.load_plot`
after the window's map has painted (``readiness.py``); until then a blank of its size holds its
place (``plot_slot.py``) and the player keeps what it will show. This module imports no
pyqtgraph: importing it costs more than a bare window's whole start-up.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QColor, QHideEvent, QKeySequence
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QSizePolicy,
    QStyle,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from bodymap import i18n
from bodymap.i18n import tr
from bodymap.timeline import SPEEDS, SessionTimeline
from bodymap.widgets.accessible import RetranslatesOnLanguageChange
from bodymap.widgets.accessible import name as a11y_name
from bodymap.widgets.plot_slot import TIMELINE_SIZE, HoldsPlot, PlotSlot

if TYPE_CHECKING:
    from bodymap.library import Library
    from bodymap.plan_types import Plan, Step
    from bodymap.widgets.compare import ShowMeDialog
    from bodymap.widgets.controller import SessionController
    from bodymap.widgets.timeline_plot import SessionTimelinePlot

# One calm colour per technique; shared by the timeline and the course view's legend.
TECHNIQUE_COLORS: dict[str, str] = {
    "stroking": "#6fa8dc",
    "rubbing": "#f6b26b",
    "kneading": "#93c47d",
    "squeezing": "#8e7cc3",
    "vibration": "#e06666",
}
_FALLBACK_COLOR = "#b7b7b7"


__all__ = ["TECHNIQUE_COLORS", "SessionPlayer", "technique_color"]


def technique_color(technique: str) -> QColor:
    return QColor(TECHNIQUE_COLORS.get(technique, _FALLBACK_COLOR))


class SessionPlayer(RetranslatesOnLanguageChange, HoldsPlot["SessionTimelinePlot"], QWidget):
    """Timeline, transport controls, speed and a plain-language caption of the current step:
    a view of the session controller's playable plan and clock (:meth:`bind`)."""

    def __init__(self, parent: QWidget | None = None, *,
                 names: Callable[[Step], str] | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("sessionPlayer")
        self.controller: SessionController | None = None
        self._plan: Plan | None = None
        self._timeline = SessionTimeline(())
        self._playhead = 0.0
        self._names: Callable[[Step], str] = names or (lambda step: step.technique)

        self.play_button = QToolButton(self)
        self.prev_button = QToolButton(self)
        self.next_button = QToolButton(self)
        self.speed_box = QComboBox(self)
        self.speed_box.setObjectName("speedBox")
        for speed in SPEEDS:
            self.speed_box.addItem(f"{speed:g}×", speed)
        self.caption = QLabel(self)
        self.caption.setWordWrap(True)
        self.caption.setTextFormat(Qt.TextFormat.PlainText)
        self.caption.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        font = self.caption.font()
        font.setPointSizeF(font.pointSizeF() * 1.15)
        self.caption.setFont(font)
        self.time_label = QLabel(self)

        self.play_action = self._action("Space", lambda c: c.request_toggle_play())
        # Space is the player's while focus is in it; the map and the presentation have their
        # own. Anywhere else Space belongs to the focused control (a Yes button, a list).
        self.play_action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.prev_action = self._action("Ctrl+Left", lambda c: c.request_previous_step())
        self.next_action = self._action("Ctrl+Right", lambda c: c.request_next_step())
        self.speed_actions = [
            self._action(f"Ctrl+{i + 1}", self._speed_setter(speed))
            for i, speed in enumerate(SPEEDS)]
        style = self.style()
        self.prev_action.setIcon(style.standardIcon(QStyle.StandardPixmap.SP_MediaSkipBackward))
        self.next_action.setIcon(style.standardIcon(QStyle.StandardPixmap.SP_MediaSkipForward))
        for button, action in ((self.play_button, self.play_action),
                               (self.prev_button, self.prev_action),
                               (self.next_button, self.next_action)):
            button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
            button.setDefaultAction(action)
        self.speed_box.currentIndexChanged.connect(self._on_speed_chosen)
        # "Show me": the current step's technique in close-up (widgets/compare.py)
        self._library: Library | None = None
        self.show_me_dialog: ShowMeDialog | None = None
        self.show_me_action = QAction(self)
        self.show_me_action.triggered.connect(self.show_me)
        self.show_me_button = QToolButton(self)
        self.show_me_button.setObjectName("playerShowMe")
        self.show_me_button.setDefaultAction(self.show_me_action)
        self._lay_out()
        self.retranslate()
        self._set_enabled(False)

    def _action(self, keys: str, run: Callable[[SessionController], object]) -> QAction:
        """A player action: its shortcut works anywhere in the window (the player's Space only
        in the player); it is a request to the controller."""
        action = QAction(self)
        action.setShortcut(QKeySequence(keys))
        action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        action.triggered.connect(lambda _=False: self.controller is not None
                                 and run(self.controller))
        self.addAction(action)
        return action

    def _speed_setter(self, speed: float) -> Callable[[SessionController], object]:
        return lambda _controller: self.set_speed(speed)

    def _lay_out(self) -> None:
        controls = QHBoxLayout()
        for widget in (self.prev_button, self.play_button, self.next_button, self.speed_box,
                       self.time_label, self.show_me_button):
            controls.addWidget(widget)
        controls.addWidget(self.caption, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addLayout(controls)
        self._slot: PlotSlot[SessionTimelinePlot] = PlotSlot(
            layout, self, TIMELINE_SIZE, _make_timeline, self._fill_plot)

    # the timeline plot (made after the map's first paint: HoldsPlot) -------------------------
    def _fill_plot(self, plot: SessionTimelinePlot) -> None:
        steps = list(self._plan.steps) if self._plan is not None else []
        plot.set_steps(steps, self._timeline, self._names)
        plot.set_playhead(self._playhead)
        plot.seekRequested.connect(self._on_seek)

    # public ----------------------------------------------------------------------------------
    def bind(self, controller: SessionController) -> None:
        """Show the controller's playable plan and clock; send it every request."""
        self.controller = controller
        controller.planChanged.connect(lambda _plan: self.show_plan(controller.playable_plan()))
        controller.positionChanged.connect(self._on_position)
        controller.stepChanged.connect(self._on_step)
        controller.playingChanged.connect(self._on_playing)
        self.show_plan(controller.playable_plan())
        self._on_position(controller.position())
        self._on_playing(controller.is_playing())
        self.set_library(controller.library)
        controller.libraryChanged.connect(self.set_library)

    def set_library(self, library: Library) -> None:
        """The technique registry "Show me" describes the steps' techniques from."""
        self._library = library
        if self.show_me_dialog is not None:
            self.show_me_dialog.set_library(library)
        self._set_enabled(bool(self._plan is not None and self._plan.steps))

    def show_me(self) -> None:
        """Open (or raise) the close-up of the current step's technique."""
        step = self._current_step_object()
        if step is None or self._library is None or self._plan is None:
            return
        if self.show_me_dialog is None:
            from bodymap.widgets.compare import ShowMeDialog

            self.show_me_dialog = ShowMeDialog(self._library, self.window())
        self.show_me_dialog.show_step(step, self._step_index(), len(self._plan.steps))
        self.show_me_dialog.show()
        self.show_me_dialog.raise_()

    def show_plan(self, plan: Plan | None, names: Callable[[Step], str] | None = None) -> None:
        """Draw ``plan``'s steps as blocks; ``names(step) -> str`` labels them (default: the
        technique id). The controller times the clock."""
        self._plan = plan
        if names is not None:
            self._names = names
        steps = list(plan.steps) if plan is not None else []
        self._timeline = SessionTimeline.from_minutes([s.minutes for s in steps])
        if self._slot.is_loaded():
            self.plot.set_steps(steps, self._timeline, self._names)
        self._set_enabled(bool(steps))

    def current_step(self) -> int:
        return self.controller.step() if self.controller is not None else -1

    def set_speed(self, speed: float) -> None:
        self.speed_box.setCurrentIndex(SPEEDS.index(speed))

    def hideEvent(self, event: QHideEvent) -> None:
        if self.controller is not None:
            self.controller.request_pause()  # nothing plays where nobody can see it
        super().hideEvent(event)

    def retranslate(self) -> None:
        self._on_playing(self.controller is not None and self.controller.is_playing())
        self.play_action.setToolTip(tr("player.play_tip"))
        self.prev_action.setText(tr("player.prev"))
        self.prev_action.setToolTip(tr("player.prev_tip"))
        self.next_action.setText(tr("player.next"))
        self.next_action.setToolTip(tr("player.next_tip"))
        self.show_me_action.setText(tr("closeup.show_me"))
        self.show_me_action.setToolTip(tr("closeup.show_me_tip"))
        self.speed_box.setToolTip(tr("player.speed_tip"))
        a11y_name(self.speed_box, tr("a11y.speed"))
        for i, speed in enumerate(SPEEDS):
            self.speed_box.setItemText(i, f"{i18n.number(float(speed))}×")  # 1,5× in Russian
        for action, speed in zip(self.speed_actions, SPEEDS, strict=True):
            action.setText(tr("player.speed", speed=float(speed)))
        if self._slot.is_loaded():
            self.plot.retranslate()
        self._update_caption()

    # internals -------------------------------------------------------------------------------
    def _step_index(self) -> int:
        return self.controller.step() if self.controller is not None else -1

    def _current_step_object(self) -> Step | None:
        index = self._step_index()
        if self._plan is None or not 0 <= index < len(self._plan.steps):
            return None
        return self._plan.steps[index]

    def _on_speed_chosen(self, index: int) -> None:
        if self.controller is not None:
            self.controller.request_speed(float(self.speed_box.itemData(index)))

    def _on_seek(self, minutes: float) -> None:
        if self.controller is not None:
            self.controller.request_seek(minutes)

    def _set_enabled(self, enabled: bool) -> None:
        for widget in (self.play_button, self.prev_button, self.next_button, self.speed_box):
            widget.setEnabled(enabled)
        self.show_me_action.setEnabled(enabled and self._library is not None)
        self._slot.set_visible(enabled)  # an empty minutes axis says nothing; the caption does
        self.time_label.setVisible(enabled)  # nor does "0:00 / 0:00"
        self._update_caption()

    def _on_position(self, minutes: float) -> None:
        self._playhead = minutes
        if self._slot.is_loaded():
            self.plot.set_playhead(minutes)
        total = self.controller.timeline().total if self.controller is not None else 0.0
        self.time_label.setText(f"{_mmss(minutes)} / {_mmss(total)}")

    def _on_step(self, _index: int) -> None:
        self._update_caption()
        dialog = self.show_me_dialog
        step = self._current_step_object()
        if dialog is not None and dialog.isVisible() and step is not None and self._plan:
            dialog.show_step(step, self._step_index(), len(self._plan.steps))  # follow the step

    def _on_playing(self, playing: bool) -> None:
        self.play_action.setText(tr("player.pause") if playing else tr("player.play"))
        pixmap = QStyle.StandardPixmap
        icon = pixmap.SP_MediaPause if playing else pixmap.SP_MediaPlay
        self.play_action.setIcon(self.style().standardIcon(icon))

    def _update_caption(self) -> None:
        index = self.current_step()
        if self._plan is None or not 0 <= index < len(self._plan.steps):
            self.caption.setText(tr("player.no_plan"))
            return
        step = self._plan.steps[index]
        self.caption.setText(
            tr("player.caption", n=index + 1, total=len(self._plan.steps),
               text=i18n.pick(step.text))
        )


def _make_timeline(parent: QWidget) -> SessionTimelinePlot:
    from bodymap.widgets.timeline_plot import SessionTimelinePlot

    return SessionTimelinePlot(parent)


def _mmss(minutes: float) -> str:
    seconds = round(minutes * 60)
    return f"{seconds // 60}:{seconds % 60:02d}"
