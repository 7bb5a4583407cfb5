"""The screen's pixmap caches of the static layers (docs/map.md, "Layers and caching").

* **base**: background and outline, per size and device pixel ratio;
* **scene**: the base plus every other static layer of the current scene (the glow comes
  from its own cache, per area and size);
* **composite**: the scene plus the hover and selection outlines.

A frame only blits the composite and draws the trails on top.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QColor, QPainter, QPen, QPixmap, QTransform

from bodymap.widgets import map_style as S  # noqa: N812
from bodymap.widgets.map.context import Context, Paths
from bodymap.widgets.map.layers import GlowCache
from bodymap.widgets.map.legend import LegendCache
from bodymap.widgets.map.painter import BASE_LAYERS, SCENE_LAYERS, paint_layers
from bodymap.widgets.map.sprites import SpriteCache

if TYPE_CHECKING:
    from bodymap.geometry import BackGeometry

__all__ = ["ScreenLayers"]


class ScreenLayers:
    """Renders a :class:`Context` into cached pixmaps for a widget of a given size."""

    def __init__(self) -> None:
        self.glow = GlowCache()
        self.legend = LegendCache()
        self.sprites = SpriteCache()
        self.paths: Paths | None = None
        self.scene: QPixmap | None = None
        self.composite: QPixmap | None = None
        self.drawn: Context | None = None  # the context of the last scene paint
        self._base: tuple[tuple[object, ...], QPixmap] | None = None
        self._spare: QPixmap | None = None  # the last scene's pixmap, drawn over by the next

    def set_geometry(self, geometry: BackGeometry | None) -> None:
        # None: the view's default geometry, whose paths paths_for() makes when first asked
        self.paths = Paths(geometry) if geometry is not None else None
        self.glow.clear()
        self.legend.clear()
        self.sprites.clear()
        self._base = None
        self.invalidate()

    def paths_for(self, geometry: BackGeometry) -> Paths:
        if self.paths is None or self.paths.geometry is not geometry:
            self.paths = Paths(geometry)
        return self.paths

    def invalidate(self) -> None:
        if self.scene is not None:
            self._spare = self.scene
        self.scene = self.composite = None

    def render_scene(self, ctx: Context, size: tuple[int, int], dpr: float,
                     transform: QTransform) -> QPixmap:
        """The scene pixmap: the cached base (per size) plus every static layer of ``ctx``."""
        key = (*size, dpr, ctx.options.legend is not None, transform)
        if self._base is None or self._base[0] != key:
            fresh = QPixmap(max(1, round(size[0] * dpr)), max(1, round(size[1] * dpr)))
            fresh.setDevicePixelRatio(dpr)
            fresh.fill(QColor(S.BACKGROUND))
            p = QPainter(fresh)
            p.setTransform(transform)
            paint_layers(p, ctx, BASE_LAYERS)
            p.end()
            self._base = (key, fresh)
        base = self._base[1]
        # the last scene's memory is drawn over (a new 8 MB image per scene cost more: its
        # pages are mapped afresh each time); nothing else holds it once it is replaced
        pm, self._spare = self._spare, None
        if pm is None or pm.size() != base.size() or pm.devicePixelRatio() != dpr:
            pm = QPixmap(base.size())
            pm.setDevicePixelRatio(dpr)
        p = QPainter(pm)
        p.drawPixmap(0, 0, base)
        p.setTransform(transform)
        self.legend.target = pm
        try:
            paint_layers(p, ctx, SCENE_LAYERS)
        finally:
            self.legend.target = None
            p.end()
        self.scene, self.composite, self.drawn = pm, None, ctx
        return pm

    def render_composite(self, transform: QTransform, hover: str | None,
                         selected: str | None, focus: str | None = None,
                         focused: bool = False) -> QPixmap:
        """The scene with the hover, selection and keyboard-focus outlines and, while the map
        has focus, a focus frame round it (the scene itself without any of them)."""
        assert self.scene is not None and self.drawn is not None
        if hover is None and selected is None and focus is None and not focused:
            self.composite = self.scene
            return self.scene
        ctx = self.drawn
        pm = QPixmap(self.scene)
        p = QPainter(pm)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        p.setTransform(transform)
        if selected:
            p.setPen(ctx.pen(S.SELECT, 2.2, Qt.PenStyle.DashLine))
            p.setBrush(Qt.BrushStyle.NoBrush)
            p.drawPath(ctx.paths.region(selected))
        if hover:
            p.setPen(ctx.pen(QColor(20, 20, 20, 200), 2.0))
            p.setBrush(QColor(255, 255, 255, 40))
            p.drawPath(ctx.paths.region(hover))
        if focus:  # the keyboard cursor: a wide white ring under a solid dark one
            p.setBrush(Qt.BrushStyle.NoBrush)
            p.setPen(ctx.pen("white", 5.0))
            p.drawPath(ctx.paths.region(focus))
            p.setPen(ctx.pen(S.FOCUS, 2.6))
            p.drawPath(ctx.paths.region(focus))
        if focused:
            self._focus_frame(p)
        p.end()
        self.composite = pm
        return pm

    @staticmethod
    def _focus_frame(p: QPainter) -> None:
        """A frame just inside the widget's edge: the map has the keyboard focus."""
        p.resetTransform()
        dpr = p.device().devicePixelRatioF()
        w, h = p.device().width() / dpr, p.device().height() / dpr
        pen = QPen(QColor(S.FOCUS), 3.0)
        pen.setJoinStyle(Qt.PenJoinStyle.MiterJoin)
        p.setPen(pen)
        p.setBrush(Qt.BrushStyle.NoBrush)
        p.drawRect(QRectF(1.5, 1.5, w - 3.0, h - 3.0))
