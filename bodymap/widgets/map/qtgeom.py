"""numpy and shapely to Qt, without per-point Python: polygons, paths, segments, regions."""

from __future__ import annotations

from typing import cast

import numpy as np
import shiboken6
from PySide6.QtCore import QPointF, QRect, Qt
from PySide6.QtGui import QPainter, QPainterPath, QPolygonF, QRegion
from shapely.geometry.base import BaseGeometry

__all__ = [
    "band_rects",
    "draw_segments",
    "qpath",
    "qpolygon",
    "region_from_boxes",
    "region_from_rects",
]


def qpolygon(coords: np.ndarray) -> QPolygonF:
    """A QPolygonF filled from an (N, 2) array through its memory (no per-point Python)."""
    coords = np.ascontiguousarray(coords, dtype=np.float64)
    poly = QPolygonF()
    poly.resize(len(coords))
    if len(coords):
        # shiboken's stub wrongly has VoidPtr(int) only and no buffer protocol: at run time it
        # takes (wrapped object, size, writable) and is a writable buffer over that memory
        buf = shiboken6.VoidPtr(poly.data(), coords.nbytes, True)  # type: ignore[call-arg, arg-type]
        np.frombuffer(buf, np.float64).reshape(-1, 2)[:] = coords  # type: ignore[call-overload]  # a buffer (above)
    return poly


def _polygons(geom: BaseGeometry | None) -> list[BaseGeometry]:
    if geom is None or geom.is_empty:
        return []
    if geom.geom_type == "Polygon":
        return [geom]
    parts = list(getattr(geom, "geoms", []))
    return [g for g in parts if g.geom_type == "Polygon"] + [
        p for g in parts if g.geom_type == "MultiPolygon" for p in g.geoms
    ]


def qpath(geom: BaseGeometry | None) -> QPainterPath:
    """A QPainterPath of a shapely (Multi)Polygon, holes included."""
    path = QPainterPath()
    path.setFillRule(Qt.FillRule.OddEvenFill)
    for poly in _polygons(geom):
        for ring in (poly.exterior, *poly.interiors):
            path.addPolygon(qpolygon(np.asarray(ring.coords)))
            path.closeSubpath()
    return path


def draw_segments(painter: QPainter, pairs: np.ndarray) -> None:
    """Draw line segments given as an (2n, 2) float64 array of point pairs, in one call."""
    pairs = np.ascontiguousarray(pairs, dtype=np.float64)
    n = len(pairs) // 2
    if n:
        # wrapInstance's stub says Shiboken.Object; it is a QPointF over the array's first point
        painter.drawLines(cast(QPointF, shiboken6.wrapInstance(pairs.ctypes.data, QPointF)), n)


def band_rects(boxes: np.ndarray) -> np.ndarray:
    """Horizontal bands covering integer device-pixel boxes (x0, y0, x1, y1, inclusive): boxes
    are merged into bands that do not overlap vertically; an (m, 4) int32 array laid out as
    QRect (x1, y1, x2, y2, inclusive)."""
    order = np.argsort(boxes[:, 1], kind="stable")
    b = boxes[order]
    run_max = np.maximum.accumulate(b[:, 3])
    new_band = np.concatenate([[True], b[1:, 1] > run_max[:-1] + 1])
    starts = np.flatnonzero(new_band)
    rects = np.empty((len(starts), 4), dtype=np.int32)
    rects[:, 0] = np.minimum.reduceat(b[:, 0], starts)
    rects[:, 1] = b[starts, 1]
    rects[:, 2] = np.maximum.reduceat(b[:, 2], starts)
    rects[:, 3] = np.maximum.reduceat(b[:, 3], starts)
    return rects


def region_from_rects(rects: np.ndarray) -> QRegion:
    """A QRegion of non-overlapping rects (:func:`band_rects`' layout), set in one call."""
    region = QRegion()
    if len(rects):
        rects = np.ascontiguousarray(rects, dtype=np.int32)
        # wrapInstance's stub says Shiboken.Object; it is a QRect over the array's first row
        region.setRects(cast(QRect, shiboken6.wrapInstance(rects.ctypes.data, QRect)), len(rects))
    return region


def region_from_boxes(boxes: np.ndarray) -> QRegion:
    """A QRegion of horizontal bands covering integer device-pixel boxes (x0, y0, x1, y1)."""
    if not len(boxes):
        return QRegion()
    return region_from_rects(band_rects(boxes))
