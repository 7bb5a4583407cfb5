"""The moving stroke trails: the current step's paths packed for per-frame sampling (numpy).

A frame draws the trails with a few ``drawLines`` calls (shadow, halo, stroke, the pressed
parts) and one hand glyph per head, straight from numpy buffers (``trail_paint.py``);
:meth:`Trails.boxes` says where they lie so the view repaints only those bands. Where the hand
is lifted (tapping, patting) a segment is moved far off the map: nothing is drawn.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, cast

import numpy as np
import shiboken6
from PySide6.QtCore import (
    QElapsedTimer,
    QObject,
    QPoint,
    QPointF,
    QRect,
    Qt,
    QTimer,
)
from PySide6.QtGui import QPainter, QPixmap, QRegion

from bodymap.glyph_room import GlyphPlaces
from bodymap.motion import LIFTED, PRESSED
from bodymap.strokes import StrokePath, motion_for, stroke_paths, tempo_for
from bodymap.widgets.map.qtgeom import band_rects, region_from_rects

if TYPE_CHECKING:
    from shapely.geometry.base import BaseGeometry

    from bodymap.geometry import BackGeometry
    from bodymap.plan_types import Step

__all__ = [
    "StrokeCache",
    "StrokeClock",
    "Trails",
    "device_boxes",
    "repaint_region",
]


#: one frame of the trails: segment pairs, head points, bounding boxes, pressed segment pairs
_Frame = tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]


class Trails:
    """The current step's stroke paths packed for per-frame sampling with a few numpy calls.

    Everything that does not depend on the phase is prepared here, once per step: the packed
    points, where each path starts and ends, and the buffers a frame writes into (so a frame
    allocates almost nothing and ``trail_paint.paint_trails`` hands Qt the same memory every time).
    The arrays :meth:`frame` returns are views of those buffers: valid until the next frame.
    """

    #: a trail is drawn with one segment per this many path vertices (they are <= 1.5 apart:
    #: a segment is at most 6 back units, seven to a circle of rubbing at full size)
    DECIMATE = 4

    def __init__(self, paths: Sequence[StrokePath]) -> None:
        self.paths = list(paths)
        self.count = len(self.paths)
        self.segments = 0  # line segments drawn in the last frame computed
        self._key: tuple[float, float] | None = None
        self._data: _Frame | None = None
        if not self.paths:
            return
        pts = [p.points for p in self.paths]
        sizes = np.array([len(p) for p in pts])
        self.start = np.concatenate([[0], np.cumsum(sizes)[:-1]])
        self.end = self.start + sizes - 1  # index of the last vertex of each path
        # one more point far off the map: where a lifted segment is drawn (clipped away)
        self.nowhere = int(sizes.sum())
        self.points = np.ascontiguousarray(np.vstack([*pts, [[-1e5, -1e5]]]), dtype=np.float64)
        lengths = np.array([p.length for p in self.paths])
        gap = 1.0
        self.offset = np.concatenate([[0.0], np.cumsum(lengths + gap)[:-1]])
        self.cum = np.concatenate(
            [p.cumlen + o for p, o in zip(self.paths, self.offset, strict=True)]
        )
        self.lengths = lengths
        self.speed = np.array([p.speed for p in self.paths])
        weight = np.concatenate([*(p.weight for p in self.paths), [1]])  # and "nowhere"
        # where the hand is in the air (segments collapse) and where it presses (drawn again,
        # heavier): None when a motion has none, so a glide pays nothing for them
        self.lifted = (weight == LIFTED) if (weight == LIFTED).any() else None
        self.pressed = (weight == PRESSED) if (weight == PRESSED).any() else None
        n, k = self.count, self.DECIMATE
        self.start1 = self.start + 1
        # rows of the per-frame index table: head, tail, trail middle
        self._idx = np.empty((3, n), dtype=np.intp)
        self._firsts = np.empty((2, n), dtype=np.intp)
        self._backs: tuple[float, np.ndarray] | None = None
        # at most max(size // k, 1) segments per path
        most = int(np.maximum(sizes // k, 1).sum())
        self._steps = k * np.arange(most, dtype=np.intp)
        self._pair_idx = np.empty(2 * most, dtype=np.intp)
        self._pairs = np.empty((2 * most, 2))
        self._pressed_pairs = np.empty((2 * most, 2))
        self._picked = np.empty((3, n, 2))  # points at the rows of _idx
        self._boxes = np.empty((n, 4))
        # Qt reads the segments straight from these buffers (they live as long as the Trails)
        self.pairs_ptr = _point_ptr(self._pairs)
        self.pressed_ptr = _point_ptr(self._pressed_pairs)
        # the hands' glyphs: one QPainter.PixmapFragment (ten doubles: centre x, y, source
        # left, top, width, height, scale x, y, rotation, opacity) per head
        self._fragments = np.zeros((n, 10))
        self._fragments_of: tuple[object, ...] = ()
        # where each vertex's glyph stands (bodymap.glyph_room): its top-left corner (back
        # units) and whether it is drawn there; None: on the head, everywhere
        self.glyph_places: GlyphPlaces | None = None
        self.glyph_key: tuple[object, ...] | None = None  # what they were computed for
        self._corners: np.ndarray | None = None
        self._shown: np.ndarray | None = None
        # a PixmapFragment over the buffer's first row (wrapInstance's stub says Shiboken.Object)
        self.fragments_ptr = cast(QPainter.PixmapFragment, shiboken6.wrapInstance(
            self._fragments.__array_interface__["data"][0], QPainter.PixmapFragment))

    def _frame(self, phase: float, trail: float) -> _Frame:
        key = (phase, trail)
        if self._data is None or key != self._key:
            self._key, self._data = key, self._compute(phase, trail)
        return self._data

    def frame(self, phase: float, trail: float) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(trail segment pairs, head points, the pressed segments' pairs) at ``phase``."""
        data = self._frame(phase, trail)
        return data[0], data[1], data[3]

    def boxes(self, phase: float, trail: float) -> np.ndarray:
        """(n, 4) bounding boxes (x0, y0, x1, y1) of every path's trail at ``phase``."""
        return self._frame(phase, trail)[2]

    def set_glyph_places(self, places: GlyphPlaces | None,
                         key: tuple[object, ...] | None = None) -> None:
        """Where the glyph stands at each vertex of the packed paths (computed when the plan,
        the step or the size changes: ``bodymap.glyph_room.glyph_places`` over
        :attr:`points` without its last, off-map point); None: standing on the head."""
        self._fragments_of = ()  # the opacities are set afresh
        self.glyph_places, self.glyph_key = places, key
        if places is None or not self.count:
            self._corners = self._shown = None
            return
        self._corners = np.vstack([places.corner, [[-1e5, -1e5]]])
        self._shown = np.concatenate([places.shown, [False]]).astype(np.float64)

    def has_glyph_places(self) -> bool:
        return self._corners is not None

    def place_glyphs(self, glyph: QPixmap, transform: tuple[float, float, float]) -> int:
        """Put a ``glyph`` fragment over each head of the last frame computed, ``transform``
        being (scale, x, y): a head's widget position times scale plus (x, y) is the glyph's
        top-left corner; with glyph places set (:meth:`set_glyph_places`), the place's corner
        times scale plus (x, y), and a glyph not shown there is drawn fully transparent.
        Returns how many there are."""
        if not self.count:
            return 0
        frag = self._fragments
        dpr = glyph.devicePixelRatio()
        key = (glyph.width(), glyph.height(), dpr)
        if key != self._fragments_of:
            frag[:, 2:4] = 0.0
            frag[:, 4], frag[:, 5] = glyph.width(), glyph.height()
            frag[:, 6:8] = 1.0 / dpr
            frag[:, 8], frag[:, 9] = 0.0, 1.0
            self._fragments_of = key
        s, x, y = transform
        half = (glyph.width() / dpr / 2.0, glyph.height() / dpr / 2.0)
        centres = frag[:, :2]
        if self._corners is not None and self._shown is not None:
            head = self._idx[0]
            self._corners.take(head, axis=0, out=centres)
            centres *= s
            self._shown.take(head, out=frag[:, 9])
        else:
            np.multiply(self._picked[0], s, out=centres)  # the heads
        centres += (x, y)
        np.rint(centres, out=centres)  # whole pixels: a crisp glyph
        centres += half
        return self.count

    def head_corners(self, phase: float, trail: float) -> np.ndarray | None:
        """(n, 2) the glyph places' top-left corners (back units) at the heads at ``phase``;
        None without glyph places."""
        if self._corners is None:
            return None
        self.frame(phase, trail)
        corners: np.ndarray = self._corners.take(self._idx[0], axis=0)
        return corners

    def glyph_rects(self) -> np.ndarray:
        """(n, 4) boxes (x0, y0, x1, y1, widget pixels) of the glyphs the last
        :meth:`place_glyphs` put down and shows (a hidden one is left out)."""
        if not self.count or not self._fragments_of:
            return np.empty((0, 4))
        frag = self._fragments
        shown = frag[frag[:, 9] > 0.0]
        half = np.column_stack([shown[:, 4] * shown[:, 6], shown[:, 5] * shown[:, 7]]) / 2.0
        return np.hstack([shown[:, :2] - half, shown[:, :2] + half])

    def _compute(self, phase: float, trail: float) -> _Frame:
        # few, plain ufunc calls writing into prepared buffers: at a few dozen paths the cost
        # of a frame is the number of numpy calls, not the arithmetic
        n, k = self.count, self.DECIMATE
        s_head = np.multiply(self.speed, phase)
        np.mod(s_head, 1.0, out=s_head)
        s_head *= self.lengths
        s_head += self.offset
        # head and tail: one searchsorted, clamped to the path
        if self._backs is None or self._backs[0] != trail:
            self._backs = (trail, np.array([[0.0], [trail]]))
        query = np.subtract(s_head, self._backs[1])
        np.maximum(query, self.offset, out=query)
        # every query lies within its path's [offset, offset + length]: the index found lies
        # within the path already; the head must leave one vertex behind it, the tail stays
        # behind the head
        idx = self._idx
        idx[:2] = self.cum.searchsorted(query.ravel()).reshape(2, n)
        head, tail = idx[0], idx[1]
        np.maximum(head, self.start1, out=head)
        np.minimum(tail, head - 1, out=tail)
        np.add(head, tail, out=idx[2])
        idx[2] //= 2
        # segments every k vertices counted back from the head, so the trail ends on it
        count = head - tail
        count //= k
        np.maximum(count, 1, out=count)
        total = int(count.sum())
        first = np.cumsum(count)
        first -= count
        first *= k
        first += head
        firsts = self._firsts
        firsts[0], firsts[1] = first, tail
        ends, tails = np.repeat(firsts, count, axis=1)
        ends -= self._steps[:total]
        pair_idx = self._pair_idx[: 2 * total]
        pair_idx[1::2] = ends
        ends -= k
        np.maximum(ends, tails, out=pair_idx[0::2])
        if self.lifted is not None:  # in the air: the segment goes where nothing is seen
            pair2 = pair_idx.reshape(total, 2)
            np.copyto(pair2, self.nowhere, where=self.lifted[pair_idx[1::2]][:, None])
        pairs = self._pairs[: 2 * total]
        self.points.take(pair_idx, axis=0, out=pairs)
        pressed = self._pressed_pairs[:0]
        if self.pressed is not None:  # the pressed segments, drawn again with a heavier pen
            chosen = self.pressed[pair_idx[1::2]]
            m = int(np.count_nonzero(chosen))
            pressed = self._pressed_pairs[: 2 * m]
            np.compress(chosen, pairs.reshape(total, 2, 2), axis=0,
                        out=pressed.reshape(m, 2, 2))
        # head, tail and middle points in one gather
        picked = self._picked
        self.points.take(idx, axis=0, out=picked)
        tip, a, middle = picked
        # bounding boxes from the trail's ends and middle (the caller pads them by more than
        # any wiggle's reach)
        boxes = self._boxes
        lo, hi = boxes[:, :2], boxes[:, 2:]
        np.minimum(a, middle, out=lo)
        np.minimum(lo, tip, out=lo)
        np.maximum(a, middle, out=hi)
        np.maximum(hi, tip, out=hi)
        self.segments = total + len(pressed) // 2
        return pairs, tip, boxes, pressed


def _point_ptr(buffer: np.ndarray) -> QPointF:
    """A QPointF* onto a C-contiguous (..., 2) float64 buffer, for drawLines(QPointF*, n)."""
    assert buffer.flags.c_contiguous and buffer.dtype == np.float64
    # shiboken's stub says wrapInstance returns a plain Shiboken.Object; it is an instance of
    # the class asked for (here a QPointF wrapping the buffer's first point)
    return cast(QPointF, shiboken6.wrapInstance(buffer.__array_interface__["data"][0], QPointF))


class StrokeCache:
    """The stroke paths of the last steps shown, packed as :class:`Trails`, keyed on what
    :func:`bodymap.strokes.stroke_paths` reads: the step's technique, zones, direction,
    motion, tempo, intensity (the pressure) and area, the no-touch areas that apply to it, and
    the motif's scale (the map's size).

    Plans share steps (stroking opens and closes every session; a further condition or the
    next session often keeps a step as it was): such a step's shapely clipping is done once.
    """

    SIZE = 24  #: steps kept (a plan has up to about fifteen)

    def __init__(self) -> None:
        self._items: OrderedDict[tuple[object, ...], Trails] = OrderedDict()
        self.misses = 0  # stroke paths computed (tests)

    def clear(self) -> None:
        self._items.clear()

    def get(self, step: Step, geometry: BackGeometry, no_touch: Sequence[BaseGeometry],
            motif_scale: float = 1.0) -> Trails:
        """The trails of ``step`` avoiding ``no_touch`` (geometries) on ``geometry``, the
        motion's shape ``motif_scale`` times its size (``stroke_paths``)."""
        area = getattr(step, "area", None)
        key = (id(geometry), step.technique, tuple(step.zones), step.direction,
               motion_for(step), tempo_for(step), step.intensity, getattr(step, "deep", False),
               None if area is None else area.wkb, tuple(a.wkb for a in no_touch), motif_scale)
        trails = self._items.get(key)
        if trails is None:
            self.misses += 1
            trails = Trails(stroke_paths(step, geometry, no_touch=list(no_touch),
                                         motif_scale=motif_scale))
            self._items[key] = trails
            while len(self._items) > self.SIZE:
                self._items.popitem(last=False)
        else:
            self._items.move_to_end(key)
        return trails


def device_boxes(trails: Trails, phase: float, trail: float, pad: float,
                 transform: tuple[float, float, float],
                 glyph: tuple[float, float, float, float] | None = None,
                 placed: bool = False) -> np.ndarray:
    """Integer device-pixel boxes (x0, y0, x1, y1) around every trail at ``phase``, padded by
    ``pad`` back units; ``transform`` is (scale, ox, oy) from back units to the widget;
    ``glyph`` the hand's box round each head in widget pixels (left, top, right, bottom
    offsets from the head; ``placed``: from the corner of the head's glyph place,
    :meth:`Trails.set_glyph_places`), which the boxes grow to hold."""
    s, ox, oy = transform
    dev = trails.boxes(phase, trail) * s
    dev += (ox - pad * s, oy - pad * s, ox + pad * s, oy + pad * s)
    if glyph is not None:
        # each head's glyph: at its place where the trails have glyph places (``glyph`` then
        # round the place's top-left corner), else round the head
        corners = trails.head_corners(phase, trail) if placed else None
        heads = (trails.frame(phase, trail)[1] if corners is None else corners) * s
        heads += (ox, oy)
        np.minimum(dev[:, :2], heads + glyph[:2], out=dev[:, :2])
        np.maximum(dev[:, 2:], heads + glyph[2:], out=dev[:, 2:])
    np.floor(dev[:, :2], out=dev[:, :2])
    np.ceil(dev[:, 2:], out=dev[:, 2:])
    return dev


#: What a frame's repaint costs on Qt's raster engine, counted in pixels blitted (measured
#: at 1920x1080): one rectangle costs its area; a region of several rectangles makes Qt clip
#: every antialiased trail segment against it (about SEGMENT_PX pixels' worth per segment)
#: and blit each rectangle apart (RECT_PX each).
SEGMENT_PX = 2000
RECT_PX = 20000


def repaint_region(boxes: np.ndarray, segments: int, dpr: float = 1.0) -> QRegion:
    """Where a frame repaints: the rectangle round ``boxes`` (integer widget pixels, inclusive,
    where the trails were and are), or horizontal bands round them when the bands spare more
    pixels than clipping ``segments`` trail segments to several rectangles costs."""
    x0, y0 = boxes[:, :2].min(axis=0)
    x1, y1 = boxes[:, 2:].max(axis=0)
    device_px = dpr * dpr
    whole = (x1 - x0 + 1) * (y1 - y0 + 1) * device_px
    clip_cost = segments * SEGMENT_PX + RECT_PX
    if whole > clip_cost + RECT_PX:  # otherwise no bands can be cheaper
        rects = band_rects(boxes)
        area = float(((rects[:, 2] - rects[:, 0] + 1) * (rects[:, 3] - rects[:, 1] + 1)).sum())
        if area * device_px + clip_cost + RECT_PX * len(rects) < whole:
            return region_from_rects(rects)
    return QRegion(QRect(QPoint(int(x0), int(y0)), QPoint(int(x1), int(y1))))


class StrokeClock(QObject):
    """The trails' clock: the phase 0..1 of a loop, advanced by a timer (named
    ``bodyMapStrokeAnimation``) every :attr:`FRAME_MS` from the time elapsed, so a slow frame
    never slows the strokes. It runs only when asked to play and allowed (:meth:`sync`);
    :meth:`seek` puts the phase anywhere, running or not.

    A fixed frame rate, not the screen's: the strokes move a few pixels a frame at 40 frames a
    second, and each frame costs the same whatever the screen refreshes at (a Qt animation
    would tick at about 60 a second, half as much again for nothing seen).
    """

    #: milliseconds between two frames (40 a second)
    FRAME_MS = 25

    def __init__(self, parent: QObject, on_phase: Callable[[], None]) -> None:
        super().__init__(parent)
        self.phase = 0.0
        self.want = True  # asked to play
        self._on_phase = on_phase
        self._duration_ms = 1
        self._start_phase = 0.0
        self._elapsed = QElapsedTimer()
        self.anim = QTimer(self)
        self.anim.setObjectName("bodyMapStrokeAnimation")
        self.anim.setTimerType(Qt.TimerType.PreciseTimer)
        self.anim.setInterval(self.FRAME_MS)
        self.anim.timeout.connect(self._tick)

    def running(self) -> bool:
        return self.anim.isActive()

    def sync(self, allowed: bool, duration_ms: int) -> None:
        """Run while asked to play and ``allowed`` (visible, with strokes); stop otherwise."""
        run, running = self.want and allowed, self.running()
        if run and not running:
            self._duration_ms = max(int(duration_ms), 1)
            self._restart(self.phase)
            self.anim.start()
        elif not run and running:
            self.anim.stop()

    def stop(self) -> None:
        self.anim.stop()

    def seek(self, t: float) -> None:
        t = float(t) % 1.0
        if self.running():
            self._restart(t)
        self.phase = t
        self._on_phase()

    def _restart(self, phase: float) -> None:
        self._start_phase = phase
        self._elapsed.start()

    def _tick(self) -> None:
        self.phase = (self._start_phase + self._elapsed.elapsed() / self._duration_ms) % 1.0
        self._on_phase()
