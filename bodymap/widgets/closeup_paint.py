"""Painting a technique's motion on a patch of back (:mod:`bodymap.motion_demo`): the close-up
on screen, frame by frame, and the technique sheet's cells, whole.

Everything is drawn in patch units (``motion_demo.PATCH`` square) through one transform; pens
are cosmetic, in device pixels, with the map's motion language (``map/trail_paint.py``): a
white halo under a stroke in the tempo's colour, its width and shadow by pressure, the pressed
parts heavier, nothing where the hand is lifted, and the hand's glyph at the head.
"""

from __future__ import annotations

import math

import numpy as np
from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QBrush, QColor, QPainter, QPainterPath, QPen, QPolygonF, QTransform

from bodymap.motion import LIFTED, PRESSED
from bodymap.motion_demo import PATCH, SPINE_HALF, SPINE_X, Demo
from bodymap.widgets import map_style as S  # noqa: N812
from bodymap.widgets.glyphs import ANCHOR, GLYPH_UNITS, paint_hand
from bodymap.widgets.map.qtgeom import qpolygon
from bodymap.widgets.map.trail_paint import (
    HALO,
    HALO_EXTRA_PX,
    PRESSED_EXTRA_PX,
    PRESSURE_PX,
    SHADOW,
    SHADOW_PX,
)

__all__ = ["PatchPens", "Runs", "paint_guide", "paint_hand_at", "paint_skin", "paint_track",
           "patch_transform"]

MUSCLE = QColor("#ead5c6")
VERTEBRA = QColor("#fff6f2")


def patch_transform(rect: QRectF) -> QTransform:
    """Patch units to ``rect``, aspect kept, centred."""
    k = min(rect.width(), rect.height()) / PATCH
    ox = rect.x() + (rect.width() - PATCH * k) / 2.0
    oy = rect.y() + (rect.height() - PATCH * k) / 2.0
    return QTransform(k, 0, 0, k, ox, oy)


def _cosmetic(colour: QColor | Qt.GlobalColor, width: float,
              style: Qt.PenStyle = Qt.PenStyle.SolidLine) -> QPen:
    pen = QPen(colour, width, style, Qt.PenCapStyle.RoundCap, Qt.PenJoinStyle.RoundJoin)
    pen.setCosmetic(True)
    return pen


def paint_skin(p: QPainter, px: float = 1.0) -> None:
    """The patch: skin, the long back muscle beside the spine, the spine as a hatched
    no-touch strip (as on the map) with its spinous processes. ``px``: pixels per unit."""
    p.setPen(_cosmetic(QColor(S.SKIN_EDGE), 1.2))
    p.setBrush(QColor(S.SKIN))
    p.drawRoundedRect(QRectF(0, 0, PATCH, PATCH), 10, 10)
    p.setPen(Qt.PenStyle.NoPen)
    p.setBrush(MUSCLE)
    for side in (-1, 1):  # the long back muscles either side of the spine
        x0 = SPINE_X + side * (SPINE_HALF + 2.0)
        x1 = SPINE_X + side * (SPINE_HALF + 42.0)
        band = QRectF(min(x0, x1), 6, abs(x1 - x0), PATCH - 12)
        band = band.intersected(QRectF(1, 1, PATCH - 2, PATCH - 2))
        p.drawRoundedRect(band, 14, 14)
    strip = QRectF(SPINE_X - SPINE_HALF, 0.5, 2 * SPINE_HALF, PATCH - 1)
    p.setBrush(S.NO_TOUCH_FILL)
    p.drawRect(strip)
    p.save()
    p.setClipRect(strip)
    p.setPen(_cosmetic(QColor(S.NO_TOUCH), max(1.0, 0.9 * px)))
    step = 6.0
    y = -2 * SPINE_HALF
    while y < PATCH + 2 * SPINE_HALF:
        p.drawLine(QPointF(strip.left(), y + 2 * SPINE_HALF), QPointF(strip.right(), y))
        y += step
    p.restore()
    p.setPen(_cosmetic(QColor(S.SKIN_EDGE), 1.0))
    p.setBrush(VERTEBRA)
    for i in range(6):
        cy = 14.0 + i * 42.0
        p.drawRoundedRect(QRectF(SPINE_X - 5.0, cy, 10.0, 16.0), 4, 4)
    p.setPen(_cosmetic(QColor(S.NO_TOUCH), max(1.2, 1.2 * px)))
    p.setBrush(Qt.BrushStyle.NoBrush)
    p.drawLine(QPointF(strip.left(), 0.5), QPointF(strip.left(), PATCH - 0.5))
    p.drawLine(QPointF(strip.right(), 0.5), QPointF(strip.right(), PATCH - 0.5))


def paint_guide(p: QPainter, demo: Demo, colour: QColor, px: float = 1.0) -> None:
    """The direction the hand travels: a dashed line with an arrow head at its end."""
    g = demo.guide
    c = QColor(colour)
    c.setAlpha(150)
    p.setPen(_cosmetic(c, max(1.5, 1.4 * px), Qt.PenStyle.DashLine))
    p.setBrush(Qt.BrushStyle.NoBrush)
    p.drawPolyline(qpolygon(g))
    tip = g[-1]
    d = tip - g[-4]
    d = d / (math.hypot(*d) or 1.0)
    n = np.array([-d[1], d[0]])
    head = np.array([tip + d * 3, tip - d * 9 + n * 6, tip - d * 9 - n * 6])
    p.setPen(Qt.PenStyle.NoPen)
    p.setBrush(c)
    p.drawPolygon(qpolygon(head))


class PatchPens:
    """The pens of one demo at one size: the motion language's widths by pressure."""

    def __init__(self, demo: Demo, px: float, dpr: float = 1.0) -> None:
        colour = QColor(S.TEMPO_COLOURS.get(demo.tempo, S.TEMPO_COLOURS["moderate"]))
        self.colour = colour
        grow = max(1.0, px * 0.8) * dpr
        core = PRESSURE_PX[demo.pressure] * grow
        pressed = core + PRESSED_EXTRA_PX * grow
        self.core = _cosmetic(colour, core)
        self.pressed = _cosmetic(colour.darker(115), pressed)
        self.halo = _cosmetic(HALO, pressed + HALO_EXTRA_PX * dpr)
        shadow = SHADOW_PX[demo.pressure] * grow
        self.shadow = _cosmetic(SHADOW, core) if shadow > 0 else None
        self.shadow_px = shadow / dpr
        faint = QColor(colour)
        faint.setAlpha(70)
        self.faint = _cosmetic(faint, max(1.0, core * 0.5))


class Runs:
    """A demo's track cut where its weight changes: (start, stop, weight) index runs and the
    points as one QPolygonF each, built once per demo (a frame draws slices of them)."""

    def __init__(self, demo: Demo) -> None:
        w = demo.track.weight
        pts = demo.track.points
        cuts = np.flatnonzero(np.diff(w.astype(np.int16))) + 1
        starts = np.concatenate([[0], cuts])
        stops = np.concatenate([cuts, [len(w)]])
        # a run's segments arrive at its points: it starts from the point before it
        self.runs = [(int(max(a - 1, 0)), int(b), int(w[a])) for a, b in
                     zip(starts, stops, strict=True)]
        self.points = [QPointF(float(x), float(y)) for x, y in pts.tolist()]

    def between(self, tail: int, head: int) -> list[tuple[list[QPointF], int]]:
        """The drawn pieces of the track from ``tail`` to ``head`` with their weights."""
        out = []
        for a, b, w in self.runs:
            lo, hi = max(a, tail), min(b, head + 1)
            if hi - lo >= 2 and w != LIFTED:
                out.append((self.points[lo:hi], w))
        return out


def paint_track(p: QPainter, runs: Runs, pens: PatchPens, tail: int, head: int,
                shadow: bool = True) -> None:
    """The track from ``tail`` to ``head``: shadow, halo, stroke, pressed parts heavier."""
    pieces = runs.between(tail, head)
    if not pieces:
        return
    if shadow and pens.shadow is not None:
        t = p.transform()
        p.setTransform(t * QTransform.fromTranslate(pens.shadow_px, pens.shadow_px))
        p.setPen(pens.shadow)
        for pts, _w in pieces:
            p.drawPolyline(QPolygonF(pts))
        p.setTransform(t)
    p.setPen(pens.halo)
    for pts, _w in pieces:
        p.drawPolyline(QPolygonF(pts))
    for pts, w in pieces:
        p.setPen(pens.pressed if w == PRESSED else pens.core)
        p.drawPolyline(QPolygonF(pts))


def paint_faint(p: QPainter, runs: Runs, pens: PatchPens) -> None:
    """The whole pass, faint: where the hand will go."""
    p.setPen(pens.faint)
    for pts, _w in runs.between(0, len(runs.points) - 1):
        p.drawPolyline(QPolygonF(pts))


def paint_hand_at(p: QPainter, demo: Demo, index: int, size_px: float) -> QRectF:
    """The hand's glyph at track point ``index``, ``size_px`` pixels square: pressed a little
    smaller (pushed into the skin), lifted larger and higher with its shadow left on the
    skin. Returns where it was drawn (widget pixels)."""
    t = p.transform()
    x, y = demo.track.points[index]
    at = t.map(QPointF(float(x), float(y)))
    weight = int(demo.track.weight[index])
    k = {LIFTED: 1.12, PRESSED: 0.92}.get(weight, 1.0)
    side = size_px * k
    rise = size_px * 0.18 if weight == LIFTED else 0.0
    p.save()
    p.resetTransform()
    if weight == LIFTED:  # the hand in the air: its shadow stays on the skin below
        p.setPen(Qt.PenStyle.NoPen)
        p.setBrush(QBrush(QColor(20, 16, 12, 70)))
        p.drawEllipse(at, size_px * 0.28, size_px * 0.1)
    u = side / GLYPH_UNITS
    rect = QRectF(at.x() - ANCHOR[0] * u, at.y() - ANCHOR[1] * u - rise, side, side)
    paint_hand(p, demo.contact, rect)
    p.restore()
    return rect


def pressure_marks(p: QPainter, rect: QRectF, pressure: str, colour: QColor) -> None:
    """Three bars, as many filled as the pressure is heavy (light 1, firm 2, deep 3)."""
    level = {"light": 1, "firm": 2, "deep": 3}[pressure]
    w = rect.width() / 3.6
    for i in range(3):
        h = rect.height() * (0.45 + 0.275 * i)
        bar = QRectF(rect.x() + i * w * 1.3, rect.bottom() - h, w, h)
        path = QPainterPath()
        path.addRoundedRect(bar, 1.5, 1.5)
        p.setPen(_cosmetic(colour, 1.2))
        p.setBrush(colour if i < level else Qt.BrushStyle.NoBrush)
        p.drawPath(path)
