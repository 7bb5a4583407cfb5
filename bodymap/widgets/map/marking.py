"""The map as input: the marking tools, what a click (or Enter) on the back does, and the
binding to the session controller. A part of :class:`~bodymap.widgets.map.view.BodyMapView`.

A marking tool is used once: the click that places its mark (a hernia at its disc level and
side, a painful place, a skin lesion on a zone half) also ends the mode, so a later click can
only select a zone and never moves a finding (``markModeChanged("")`` tells the window's
tool buttons). Esc ends a mode too (``keyboard.py``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, SignalInstance
from PySide6.QtWidgets import QWidget

from bodymap.widgets.actions import MARK_MODES
from bodymap.widgets.map.layout import click_action

if TYPE_CHECKING:
    from bodymap.geometry import BackGeometry
    from bodymap.map_scene import MapScene
    from bodymap.widgets.controller import SessionController
    from bodymap.widgets.map.binding import MapBinding
    from bodymap.widgets.map.context import MapOptions
    from bodymap.widgets.map.screen import ScreenLayers

__all__ = ["MARK_MODES", "MapMarkingMixin"]


if TYPE_CHECKING:
    _Widget = QWidget
else:
    _Widget = object


class MapMarkingMixin(_Widget):
    """Marking modes, clicks on the back, and :meth:`bind` (listed before the QWidget)."""

    _options: MapOptions
    _selected: str | None
    _cache: ScreenLayers
    herniaPlaced: SignalInstance
    painPointPlaced: SignalInstance
    lesionToggled: SignalInstance
    zoneClicked: SignalInstance
    markModeChanged: SignalInstance

    if TYPE_CHECKING:
        @property
        def geometry_model(self) -> BackGeometry: ...
        def scene(self) -> MapScene: ...
        def _invalidate_scene(self, data: bool = False) -> None: ...

    def mark_mode(self) -> str | None:
        return self._options.mark_mode

    def set_mark_mode(self, mode: str | None) -> None:
        """The next click places a ``hernia`` site, a ``pain`` point or toggles a ``lesion``
        (then the mode ends: one mark per use of a tool); None: clicks select."""
        if mode is not None and mode not in MARK_MODES:
            raise ValueError(f"unknown mark mode {mode!r}; expected one of {MARK_MODES} or None")
        if mode == self._options.mark_mode:
            return
        self._options.mark_mode = mode
        self.setCursor(Qt.CursorShape.CrossCursor if mode else Qt.CursorShape.ArrowCursor)
        self._invalidate_scene()
        self.markModeChanged.emit(mode or "")

    def click_back(self, x: float, y: float, half: str | None = None) -> None:
        """Do what a click at (x, y) of the back does in the current mode (``click_action``)."""
        action = click_action(self.geometry_model, self.scene().midline,
                              self._options.mark_mode, x, y, half)
        if action is None:
            return
        what, args = action
        if what == "select":
            self._selected = args[0]
            self._cache.composite = None
            self.update()
        else:
            self.set_mark_mode(None)  # the tool is used once: a later click never moves it
        signals = {"hernia": self.herniaPlaced, "pain": self.painPointPlaced,
                   "lesion": self.lesionToggled, "select": self.zoneClicked}
        signals[what].emit(*args)

    def bind(self, controller: SessionController) -> MapBinding:
        """Show the controller's plan, step and playback; send it the marks placed here; Space
        on the focused map plays or pauses (``map/binding.py``)."""
        from bodymap.widgets.map.binding import MapBinding
        from bodymap.widgets.map.view import BodyMapView

        assert isinstance(self, BodyMapView)
        return MapBinding(self, controller)
