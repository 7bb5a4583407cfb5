"""A stand-in for the session controller, for presentation tests that only need a plan and a
step (no document, no clock): the presentation reads these and binds to these signals."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QObject, Signal


class PlanOnly(QObject):
    planChanged = Signal(object)
    stepChanged = Signal(int)
    positionChanged = Signal(float)
    playingChanged = Signal(bool)

    def __init__(self, library: Any, geometry: Any, plan: Any = None) -> None:
        super().__init__()
        self.library, self.geometry = library, geometry
        self._plan, self._step = plan, 0

    def plan(self) -> Any:
        return self._plan

    def playable_plan(self) -> Any:
        p = self._plan
        return p if p is not None and p.status == "ok" and p.steps else None

    def step(self) -> int:
        return self._step

    def is_playing(self) -> bool:
        return False

    def position(self) -> float:
        return 0.0

    def set_plan(self, plan: Any) -> None:
        self._plan, self._step = plan, 0
        self.planChanged.emit(plan)

    def set_step(self, index: int) -> None:
        self._step = index
        self.stepChanged.emit(index)

    def request_toggle_play(self) -> None:
        pass

    def request_previous_step(self) -> None:
        pass

    def request_next_step(self) -> None:
        pass
