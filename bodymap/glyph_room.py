"""Where the hands' glyphs may be drawn: never over a no-touch area, nor over a landmark's
name or a no-touch mark (pure, no Qt).

A safety rule (docs/hazards.toml, H35): a hand glyph drawn on the spine's
line or a hernia site reads as "put the hand here". The map's glyph is a square standing on
the hand's point of contact (the trail's head); where that square would touch a *keep-out*
shape (the no-touch areas, the kidneys, the landmarks' tags, the hernia's label and the
no-entry signs, each grown by a gap), the square moves to the first free place beside the
head (outward from the spine first), and where none is free the glyph is not drawn at that
point of the track. This is bodymap's own conservative rule; the source says nothing about
drawings.

Everything here runs when the plan, the step, the language or the map's size changes, never
per animation frame: :func:`glyph_places` gives every vertex of the packed tracks its glyph's
top-left corner and whether it is shown; a frame only looks them up.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
import shapely
from shapely.geometry.base import BaseGeometry

__all__ = ["CANDIDATES", "GAP_PX", "GlyphPlaces", "glyph_places", "keep_out"]

#: the clear gap kept round every keep-out shape (widget pixels)
GAP_PX = 3.0

#: where a glyph may stand round its head, tried in this order: the square's top-left corner
#: in glyph sizes from the head, for a head on the patient's right (x > midline); mirrored on
#: the left. Standing on the head (the anchor, the middle of the bottom edge), then outward
#: beside it, outward above and below, below it, then inward.
CANDIDATES: tuple[tuple[float, float], ...] = (
    (-0.5, -46.0 / 48.0),  # on the head: the anchor at (24, 46) of the 48-unit glyph
    (0.15, -0.5),  # outward, beside the head
    (0.15, -1.0),  # outward, above
    (0.15, 0.0),  # outward, below
    (-0.5, 0.15),  # below the head
    (-1.15, -0.5),  # inward, beside
    (-1.15, -1.0),
    (-1.15, 0.0),
)


def keep_out(shapes: Iterable[BaseGeometry],
             rects: Iterable[tuple[float, float, float, float]], gap: float) -> BaseGeometry:
    """The union of ``shapes`` (no-touch areas) and ``rects`` (x0, y0, x1, y1: labels and
    marks), each grown by ``gap`` (back units)."""
    parts = [g for g in shapes if g is not None and not g.is_empty]
    parts += [shapely.box(*r) for r in rects]
    if not parts:
        return shapely.Polygon()
    return shapely.union_all(parts).buffer(gap, quad_segs=4)


@dataclass(eq=False)
class GlyphPlaces:
    """Per vertex of the packed tracks: the glyph's top-left corner (back units) and whether
    it is drawn there."""

    corner: np.ndarray  # (N, 2)
    shown: np.ndarray  # (N,) bool


def glyph_places(points: np.ndarray, size: float, midline: float,
                 keep: BaseGeometry) -> GlyphPlaces:
    """The glyph's place at every point of ``points`` (N, 2, back units): a ``size`` square
    (back units) at the first of :data:`CANDIDATES` that does not touch ``keep``; hidden where
    none is free (or where the head itself lies in ``keep``)."""
    pts = np.asarray(points, dtype=float).reshape(-1, 2)
    n = len(pts)
    corner = np.empty((n, 2))
    shown = np.zeros(n, dtype=bool)
    if n == 0:
        return GlyphPlaces(corner, shown)
    corner[:] = pts + np.array(CANDIDATES[0]) * size
    if keep.is_empty:
        shown[:] = True
        return GlyphPlaces(corner, shown)
    shapely.prepare(keep)
    finite = np.isfinite(pts).all(axis=1) & (np.abs(pts) < 1e4).all(axis=1)
    outward = np.where(pts[:, 0] < midline, -1.0, 1.0)
    head_free = finite & ~shapely.contains_xy(keep, pts[:, 0], pts[:, 1])
    todo = np.flatnonzero(head_free)
    # a square lies within the disc round its centre through its corners: where that disc
    # misses ``keep`` (one prepared point-in-polygon test per point against ``keep`` grown by
    # the half-diagonal, a little more: a buffer's arcs are chords inside the true arc, 2%
    # in at four segments a quarter) the square is free without testing it
    near = keep.buffer(size * math.sqrt(0.5) * 1.03 + 1e-3, quad_segs=4)
    shapely.prepare(near)
    for fx, fy in CANDIDATES:
        if not len(todo):
            break
        p = pts[todo]
        # mirrored on the left: the box's left edge is -(fx + 1) sizes from the head there
        x0 = p[:, 0] + np.where(outward[todo] > 0, fx, -fx - 1.0) * size
        y0 = p[:, 1] + fy * size
        free = ~shapely.contains_xy(near, x0 + size / 2.0, y0 + size / 2.0)
        test = np.flatnonzero(~free)
        if len(test):
            boxes = shapely.box(x0[test], y0[test], x0[test] + size, y0[test] + size)
            free[test] = ~shapely.intersects(keep, boxes)
        hit = todo[free]
        corner[hit, 0], corner[hit, 1] = x0[free], y0[free]
        shown[hit] = True
        todo = todo[~free]
    return GlyphPlaces(corner, shown)
