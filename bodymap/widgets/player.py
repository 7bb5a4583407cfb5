"""The session player: a pyqtgraph timeline of the plan's steps with a playhead, and controls.

The player is a view of the session controller (:meth:`SessionPlayer.bind`): it shows the
controller's playable plan, step and clock, and every button, key and drag is a request to the
controller (play, pause, seek, next, previous, speed). It never decides which step is current
and never touches the clock itself.

pyqtgraph is imported here, and this module is imported only after the main window's first
paint (importing pyqtgraph costs more than a bare window's whole start-up).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

import pyqtgraph as pg
from PySide6.QtCore import QPointF, Qt, Signal
from PySide6.QtGui import QAction, QColor, QFont, QFontMetricsF, QHideEvent, QKeySequence
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
from bodymap.timeline import SPEEDS, SessionTimeline, fit_label
from bodymap.widgets.accessible import RetranslatesOnLanguageChange
from bodymap.widgets.accessible import name as a11y_name

if TYPE_CHECKING:
    from bodymap.library import Library
    from bodymap.plan_types import Plan, Step
    from bodymap.widgets.compare import ShowMeDialog
    from bodymap.widgets.controller import SessionController

# One calm colour per technique; shared by the timeline and the course view's legend.
TECHNIQUE_COLORS: dict[str, str] = {
    "stroking": "#6fa8dc",
    "rubbing": "#f6b26b",
    "kneading": "#93c47d",
    "squeezing": "#8e7cc3",
    "vibration": "#e06666",
}
_FALLBACK_COLOR = "#b7b7b7"
#: screens whose free height is under this are short (the timeline is lower)
SHORT_SCREEN = 1000


__all__ = ["TECHNIQUE_COLORS", "SessionPlayer", "technique_color"]


def technique_color(technique: str) -> QColor:
    return QColor(TECHNIQUE_COLORS.get(technique, _FALLBACK_COLOR))


class StaticPlot(pg.PlotWidget):
    """A white pyqtgraph plot that only shows: no mouse zoom, context menu or auto-range
    button; the given axes drawn in calm greys."""

    def __init__(self, parent: QWidget | None = None, axes: tuple[str, ...] = ("bottom",)) -> None:
        # no context menus: made without them (pyqtgraph builds a view box menu otherwise)
        super().__init__(parent, background="w", enableMenu=False)
        self.setMenuEnabled(False)
        self.setMouseEnabled(x=False, y=False)
        self.hideButtons()
        for axis in axes:
            self.getPlotItem().getAxis(axis).setPen(pg.mkPen("#555"))
            self.getPlotItem().getAxis(axis).setTextPen(pg.mkPen("#333"))


class SessionTimelinePlot(StaticPlot):
    """One coloured block per step on a minutes axis, and a draggable playhead."""

    seekRequested = Signal(float)
    #: the plot's height (pixels); on a short screen (1366 x 768) the map needs the room
    HEIGHT = 110
    HEIGHT_SHORT = 90
    #: pixels kept clear between a label and its block's ends
    LABEL_GAP = 2

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent, axes=("bottom",))
        short = self.screen().availableGeometry().height() < SHORT_SCREEN
        self.setFixedHeight(self.HEIGHT_SHORT if short else self.HEIGHT)
        item = self.getPlotItem()
        item.hideAxis("left")
        item.showGrid(x=True, y=False, alpha=0.2)
        item.setYRange(0, 1.3, padding=0)
        self._blocks: list[pg.QtWidgets.QGraphicsRectItem] = []
        self._labels: list[pg.TextItem] = []
        self._playhead = pg.InfiniteLine(
            pos=0, angle=90, movable=True, pen=pg.mkPen("#c00000", width=3),
            hoverPen=pg.mkPen("#ff4040", width=4),
        )
        self._playhead.setZValue(10)
        self._playhead.sigDragged.connect(lambda line: self.seekRequested.emit(line.value()))
        self.addItem(self._playhead)
        self._steps: list = []
        self._timeline = SessionTimeline(())
        self._names: Callable[[Step], str] = lambda step: step.technique
        self._label_font = QFont()
        self._label_font.setPointSize(8)
        item.vb.sigResized.connect(lambda *_: self.fit_labels())
        item.vb.sigXRangeChanged.connect(lambda *_: self.fit_labels())
        self.retranslate()

    def retranslate(self) -> None:
        self.getPlotItem().setLabel("bottom", tr("player.axis_minutes"))
        self._draw_labels()

    def set_steps(self, steps: Sequence[Step], timeline: SessionTimeline,
                  names: Callable[[Step], str]) -> None:
        """Lay out the blocks; ``names(step) -> str`` gives each block's short label."""
        for item in self._blocks + self._labels:
            self.removeItem(item)
        self._blocks, self._labels = [], []
        self._steps, self._timeline, self._names = list(steps), timeline, names
        layout = zip(self._steps, timeline.starts, timeline.durations, strict=True)
        for step, start, minutes in layout:
            rect = pg.QtWidgets.QGraphicsRectItem(start, 0.1, minutes, 0.8)
            rect.setBrush(pg.mkBrush(technique_color(step.technique)))
            rect.setPen(pg.mkPen("w", width=0))
            self.addItem(rect)
            self._blocks.append(rect)
        self._draw_labels()
        total = max(timeline.total, 1.0)
        self.getPlotItem().setXRange(0, total, padding=0.01)
        self._playhead.setBounds((0, total))

    def _draw_labels(self) -> None:
        for rect, step, minutes in zip(self._blocks, self._steps, self._timeline.durations,
                                       strict=False):
            rect.setToolTip(f"{self._names(step)}: {i18n.number(float(minutes))}"
                            f" {tr('player.min')}")  # 2,5 мин
        for label in self._labels:
            self.removeItem(label)
        self._labels = []
        for step, start, minutes in zip(
            self._steps, self._timeline.starts, self._timeline.durations, strict=True
        ):
            label = pg.TextItem(self._names(step), color="#1a1a1a", anchor=(0.5, 0.5))
            label.setPos(start + minutes / 2, 0.5)
            label.setFont(self._label_font)
            label.setToolTip(f"{self._names(step)}: {i18n.number(float(minutes))}"
                             f" {tr('player.min')}")
            self.addItem(label)
            self._labels.append(label)
        self.fit_labels()

    def label_names(self) -> list[str]:
        """Each block's whole name (its label may show it shortened, see fit_labels)."""
        return [self._names(step) for step in self._steps]

    def block_span(self, index: int) -> tuple[float, float]:
        """Where block ``index`` lies across the plot, in the plot's pixels (left, right)."""
        vb = self.getPlotItem().vb
        start = self._timeline.starts[index]
        end = start + self._timeline.durations[index]
        left = self.mapFromScene(vb.mapViewToScene(QPointF(start, 0.5))).x()
        right = self.mapFromScene(vb.mapViewToScene(QPointF(end, 0.5))).x()
        return float(left), float(right)

    def fit_labels(self) -> None:
        """Each block's label fits its block: whole, on two lines, or ended with "…" (the
        whole name is the block's tooltip); labels never overlap, in any language or size."""
        if not self._labels:
            return
        metrics = QFontMetricsF(self._label_font)
        for index, (label, name) in enumerate(zip(self._labels, self.label_names(),
                                                  strict=True)):
            left, right = self.block_span(index)
            margin = label.textItem.document().documentMargin()
            room = right - left - 2 * (margin + self.LABEL_GAP)
            label.setText(fit_label(name, room, metrics.horizontalAdvance))

    def block_colors(self) -> list[str]:
        return [rect.brush().color().name() for rect in self._blocks]

    def set_playhead(self, minutes: float) -> None:
        self._playhead.setValue(minutes)

    def playhead(self) -> float:
        return float(self._playhead.value())


class SessionPlayer(RetranslatesOnLanguageChange, QWidget):
    """Timeline, transport controls, speed and a plain-language caption of the current step:
    a view of the session controller's playable plan and clock (:meth:`bind`)."""

    def __init__(self, parent: QWidget | None = None, *,
                 names: Callable[[Step], str] | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("sessionPlayer")
        self.controller: SessionController | None = None
        self.plot = SessionTimelinePlot(self)
        self._plan: Plan | None = None
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
        self.plot.seekRequested.connect(self._on_seek)
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
        layout.addWidget(self.plot)

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
        timeline = SessionTimeline.from_minutes([s.minutes for s in steps])
        self.plot.set_steps(steps, timeline, self._names)
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
        self.plot.setVisible(enabled)  # an empty minutes axis says nothing; the caption does
        self.time_label.setVisible(enabled)  # nor does "0:00 / 0:00"
        self._update_caption()

    def _on_position(self, minutes: float) -> None:
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


def _mmss(minutes: float) -> str:
    seconds = round(minutes * 60)
    return f"{seconds // 60}:{seconds % 60:02d}"
