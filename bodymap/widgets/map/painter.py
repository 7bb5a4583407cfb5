"""One painter of the map: a :class:`~bodymap.map_scene.MapScene` through the layers onto any
QPainter.

The screen (``view.py``) paints the static layers into cached pixmaps at the device pixel ratio
with cosmetic pens and blits them; a frame adds only the moving trails. The handout calls
:func:`paint_map` to paint the same layers as vectors straight onto the PDF (or the PNG) with
print pens. Both draw from the same scene, so screen and print cannot disagree.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from PySide6.QtCore import QRectF
from PySide6.QtGui import QPainter, QTransform

from bodymap.map_scene import MapScene
from bodymap.widgets.map.context import Context, MapOptions, Paths
from bodymap.widgets.map.layers import (
    BeyondLayer,
    BodyLayer,
    GlowLayer,
    GuidesLayer,
    LabelsLayer,
    LandmarksLayer,
    Layer,
    MarksLayer,
    NoTouchLayer,
    OutlineLayer,
    RolesLayer,
    ZonesLayer,
)
from bodymap.widgets.map.legend import LegendLayer

if TYPE_CHECKING:
    from bodymap.geometry import BackGeometry

__all__ = ["BACK_H", "BACK_W", "BASE_LAYERS", "SCENE_LAYERS", "paint_layers", "paint_map"]

#: the back's viewBox (zones.svg), in back units
BACK_W, BACK_H = 600.0, 900.0
#: depends on the size only: the screen caches it apart
BASE_LAYERS: tuple[Layer, ...] = (OutlineLayer(),)
#: everything else that only changes with data, bottom to top
SCENE_LAYERS: tuple[Layer, ...] = (
    BeyondLayer(),
    ZonesLayer(),
    GlowLayer(),
    BodyLayer(),
    RolesLayer(),
    NoTouchLayer(),
    LandmarksLayer(),
    MarksLayer(),
    GuidesLayer(),
    LabelsLayer(),
    LegendLayer(),
)


def paint_layers(p: QPainter, ctx: Context, layers: Sequence[Layer]) -> None:
    """Paint ``layers`` of ``ctx.scene`` with the painter's current transform (back units)."""
    p.setRenderHint(QPainter.RenderHint.Antialiasing)
    p.setRenderHint(QPainter.RenderHint.TextAntialiasing)
    for layer in layers:
        layer.paint(p, ctx)


def fit(rect: QRectF, width: float = BACK_W, height: float = BACK_H) -> QTransform:
    """Back units to ``rect``: the viewBox centred in it, aspect kept."""
    s = min(rect.width() / width, rect.height() / height)
    ox = rect.x() + (rect.width() - width * s) / 2
    oy = rect.y() + (rect.height() - height * s) / 2
    return QTransform(s, 0, 0, s, ox, oy)


def paint_map(
    p: QPainter,
    rect: QRectF,
    scene: MapScene,
    geometry: BackGeometry,
    *,
    px_per_pt: float,
    options: MapOptions | None = None,
    paths: Paths | None = None,
) -> Context:
    """Paint the back of ``scene`` into ``rect`` of ``p`` as vectors (print pens), every layer
    but the legend column; returns the context (what was drawn, where)."""
    p.save()
    t = fit(rect)
    p.setTransform(t, True)
    scale = p.worldTransform().m11()  # device units per back unit
    ctx = Context(scene, geometry, paths or Paths(geometry), scale=scale,
                  px_per_pt=px_per_pt * scale / t.m11() if t.m11() else px_per_pt,
                  cosmetic=False, options=options or MapOptions())
    paint_layers(p, ctx, BASE_LAYERS + SCENE_LAYERS)
    p.restore()
    return ctx
