"""The moving trails and hands kept off the no-touch areas and the map's names (a safety rule:
docs/hazards.toml H35).

Two controls, both prepared when the scene is drawn (plan, step, language, size), never per
frame:

* the hands' glyphs stand only where their square touches no keep-out shape
  (:mod:`bodymap.glyph_room`: the no-touch areas, the kidneys, the landmarks' tags, the
  hernia's label and the no-entry signs, grown by a gap);
* a *cover* is laid over the trails each frame: the static map's own pixels inside the
  no-touch areas, the marks and the names (grown by the same gap), so that no trail, halo or
  glyph is ever seen there, and they read above the motion layer.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QPointF, QRect, QRectF, Qt
from PySide6.QtGui import QImage, QPainter, QPixmap, QTransform
from shapely.geometry.base import BaseGeometry

from bodymap.glyph_room import GAP_PX, GlyphPlaces, glyph_places, keep_out
from bodymap.widgets.map.qtgeom import qpath

__all__ = ["Cover", "glyph_keep_out", "keep_clear", "place_glyphs", "shown_keep_out"]

#: the no-entry signs' radii (back units, layers.no_entry) and their white rim
_SIGN_R = {"hernia": 9.0, "lesion": 11.0}
_RIM = 1.5


#: the names the cover keeps above the trails (the side labels and the marking banner lie
#: off the back, where no trail goes)
_COVERED = ("landmark-", "hernia", "role-")


def _rects(scene: Any, text_rects: dict[str, QRectF],
           only: tuple[str, ...] = ()) -> list[tuple[float, float, float, float]]:
    rects = [(r.left(), r.top(), r.right(), r.bottom()) for k, r in text_rects.items()
             if not only or k.startswith(only)]
    for m in scene.marks:
        r = _SIGN_R.get(m.kind)
        if r is not None:
            r += _RIM
            rects.append((m.x - r, m.y - r, m.x + r, m.y + r))
    return rects


def _in_force(scene: Any) -> list[BaseGeometry]:
    """The plan's no-touch areas in force at the scene's step (the spine's and the kidneys'
    entries too: the scene's own ``active`` leaves those to the map's drawing of them)."""
    plan, step = scene.plan, scene.step
    if plan is None:
        return []
    return [nt.area for nt in plan.no_touch
            if nt.techniques == "all" or (step is not None and nt.applies_to(step.technique))]


def shown_keep_out(scene: Any, geometry: Any, text_rects: dict[str, QRectF],
                   scale: float) -> BaseGeometry:
    """What the cover shows above the trails: the spine, the plan's no-touch areas in force,
    the kidneys while they are no-touch, the names on the back and the no-entry signs, grown by
    :data:`GAP_PX` (``scale`` widget pixels per back unit)."""
    shapes = [geometry.spine_strip(), geometry.polygon("spine"), *_in_force(scene)]
    shapes += [a.area for a in scene.active]
    if scene.kidneys == "no-touch":
        shapes.append(geometry.kidney_area())
    return keep_out(shapes, _rects(scene, text_rects, _COVERED), GAP_PX / max(scale, 1e-6))


def glyph_keep_out(scene: Any, geometry: Any, text_rects: dict[str, QRectF],
                   scale: float) -> BaseGeometry:
    """Where no hand glyph may stand: the spine, the plan's no-touch areas in force for the
    step, the kidneys always (bodymap's own conservative rule: a hand drawn on them reads as
    "put the hand here", even where the step may pass over them), the names and the no-entry
    signs, grown by :data:`GAP_PX`. An area that forbids other techniques only (the hernia's
    zone forbids vibration) is not kept clear of another technique's hands."""
    shapes = [geometry.spine_strip(), geometry.polygon("spine"), geometry.kidney_area()]
    shapes += [*_in_force(scene), *(a.area for a in scene.active)]
    return keep_out(shapes, _rects(scene, text_rects), GAP_PX / max(scale, 1e-6))


def keep_clear(scene: Any, geometry: Any, text_rects: dict[str, QRectF], scale: float,
               trails: Any, glyph_px: int) -> BaseGeometry:
    """Both controls for a scene just drawn: the glyphs placed on ``trails`` clear of
    :func:`glyph_keep_out`, and the cover's shapes (:func:`shown_keep_out`), returned."""
    place_glyphs(trails, glyph_px, scale, scene.midline,
                 glyph_keep_out(scene, geometry, text_rects, scale))
    return shown_keep_out(scene, geometry, text_rects, scale)


def place_glyphs(trails: Any, glyph_px: int, scale: float, midline: float,
                 keep: BaseGeometry) -> GlyphPlaces | None:
    """Every vertex's glyph place for ``trails`` (``Trails``), set on them; None without any."""
    if not trails.count or glyph_px <= 0:
        trails.set_glyph_places(None)
        return None
    key = (glyph_px, scale, midline, keep.wkb)
    if key == trails.glyph_key:  # the same step, size and keep-out: placed already
        placed: GlyphPlaces | None = trails.glyph_places
        return placed
    # a pixel more than the glyph: its corner is rounded to whole pixels when drawn
    size = (glyph_px + 1.0) / max(scale, 1e-6)
    places = glyph_places(trails.points[:-1], size, midline, keep)
    trails.set_glyph_places(places, key)
    return places


class Cover:
    """The static map's pixels inside the keep-out shapes, laid over each frame's trails."""

    def __init__(self) -> None:
        self.image: QImage | None = None
        self.at = QPointF()

    def clear(self) -> None:
        self.image = None

    def update(self, composite: QPixmap, keep: BaseGeometry, transform: QTransform) -> None:
        """Cut the cover from ``composite`` (the scene as drawn, each time it is drawn) where
        ``keep`` lies (back units, ``transform`` to the widget)."""
        self.image = None
        if keep.is_empty:
            return
        dpr = composite.devicePixelRatio()
        device = transform * QTransform.fromScale(dpr, dpr)
        path = device.map(qpath(keep))
        bounds = path.boundingRect().toAlignedRect().adjusted(-1, -1, 1, 1)
        bounds = bounds.intersected(QRect(0, 0, composite.width(), composite.height()))
        if bounds.isEmpty():
            return
        image = QImage(bounds.size(), QImage.Format.Format_ARGB32_Premultiplied)
        image.fill(Qt.GlobalColor.transparent)
        p = QPainter(image)
        # no antialiasing: every pixel of the cover is the scene's own, or nothing
        p.translate(-bounds.x(), -bounds.y())
        p.fillPath(path, Qt.GlobalColor.black)
        p.setCompositionMode(QPainter.CompositionMode.CompositionMode_SourceIn)
        p.resetTransform()
        p.drawPixmap(QRectF(0, 0, bounds.width(), bounds.height()), composite, QRectF(bounds))
        p.end()
        image.setDevicePixelRatio(dpr)
        self.image = image
        self.at = QPointF(bounds.x() / dpr, bounds.y() / dpr)

    def paint(self, painter: QPainter) -> None:
        """Lay the cover over what ``painter`` drew (its transform is reset and restored)."""
        if self.image is None:
            return
        t = painter.transform()
        painter.resetTransform()
        painter.drawImage(self.at, self.image)
        painter.setTransform(t)
