"""The session's playback clock: time in minutes over the plan's timeline, and the step it is in.

One clock per session, owned by the :class:`~bodymap.widgets.controller.SessionController`.
The current step is derived from the position (``SessionTimeline.locate``), never stored
elsewhere: the player, the map, the steps table and the presentation all hear it from here.
One named QTimer advances the position while playing (tests prove it stops).
"""

from __future__ import annotations

import time

from PySide6.QtCore import QObject, QTimer, Signal

from bodymap.timeline import SPEEDS, SessionTimeline


class PlaybackClock(QObject):
    """Session time in minutes, advanced by a timer while playing, at 1x, 2x or 10x."""

    positionChanged = Signal(float)
    stepChanged = Signal(int)  # -1: nothing to play
    playingChanged = Signal(bool)
    finished = Signal()

    TICK_MS = 40  # 25 updates a second is plenty for a playhead; tests may lower it

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._timeline = SessionTimeline(())
        self._position = 0.0
        self._step = -1
        self._speed = SPEEDS[0]
        self._timer = QTimer(self)
        self._timer.setObjectName("sessionPlayerClock")
        self._timer.setInterval(self.TICK_MS)
        self._timer.timeout.connect(self._tick)
        self._last = 0.0
        self._stopped = False  # stopped by set_timeline(announce=False), not yet said

    # state -----------------------------------------------------------------------------------
    @property
    def timeline(self) -> SessionTimeline:
        return self._timeline

    def set_timeline(self, timeline: SessionTimeline, *, announce: bool = True) -> None:
        """A new timeline: paused, back to 0:00, at the step there. ``announce=False``: nothing
        is emitted yet; the owner calls :meth:`announce` once all its own state is updated."""
        was_playing = self.is_playing()
        self._timer.stop()
        self._timeline = timeline
        self._position = 0.0
        self._step = timeline.locate(0.0)[0]
        self._stopped = self._stopped or was_playing
        if announce:
            self.announce()

    def announce(self) -> None:
        """Say where the clock is: stopped (if it was stopped silently), the step, 0:00."""
        if self._stopped:
            self._stopped = False
            self.playingChanged.emit(False)
        self.stepChanged.emit(self._step)
        self.positionChanged.emit(self._position)

    def position(self) -> float:
        return self._position

    def step(self) -> int:
        """The step the playhead is in (-1 when the timeline is empty)."""
        return self._step

    def speed(self) -> float:
        return self._speed

    def set_speed(self, speed: float) -> None:
        self._speed = float(speed)

    def is_playing(self) -> bool:
        return self._timer.isActive()

    # control ---------------------------------------------------------------------------------
    def play(self) -> None:
        if self._timeline.total <= 0 or self.is_playing():
            return
        if self._position >= self._timeline.total:
            self.seek(0.0)
        self._last = time.monotonic()
        self._stopped = False
        self._timer.start()
        self.playingChanged.emit(True)

    def pause(self) -> None:
        if self.is_playing():
            self._timer.stop()
            self.playingChanged.emit(False)

    def toggle(self) -> None:
        self.pause() if self.is_playing() else self.play()

    def seek(self, minutes: float) -> None:
        position = self._timeline.clamp(minutes)
        if position == self._position and minutes != 0.0:
            return
        self._position = position
        step = self._timeline.locate(position)[0]
        if step != self._step:
            self._step = step
            self.stepChanged.emit(step)
        self.positionChanged.emit(position)

    def seek_step(self, index: int) -> None:
        self.seek(self._timeline.start_of(index))

    def next_step(self) -> None:
        self.seek(self._timeline.next_start(self._position))

    def previous_step(self) -> None:
        self.seek(self._timeline.previous_start(self._position))

    def _tick(self) -> None:
        now = time.monotonic()
        elapsed_min = (now - self._last) / 60.0 * self._speed
        self._last = now
        self.seek(self._position + elapsed_min)
        if self._position >= self._timeline.total:
            self.pause()
            self.finished.emit()


__all__ = ["PlaybackClock"]
