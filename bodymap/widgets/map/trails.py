"""The moving stroke trails: the current step's paths packed for per-frame sampling (numpy).

A frame draws every trail with one ``drawLines`` call and every chevron head with another,
straight from numpy buffers (:func:`paint_trails`); :meth:`Trails.boxes` says where they lie so
the view repaints only those bands.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np
from PySide6.QtCore import QAbstractAnimation, QObject, Qt, QVariantAnimation
from PySide6.QtGui import QColor, QPainter, QPen

from bodymap.strokes import StrokePath
from bodymap.widgets import map_style as S  # noqa: N812
from bodymap.widgets.map.qtgeom import draw_segments

__all__ = ["StrokeClock", "Trails", "device_boxes", "paint_trails", "trail_pens"]


class Trails:
    """The current step's stroke paths packed for per-frame sampling with a few numpy calls."""

    #: a trail is drawn with one segment per this many path vertices (they are <= 1.5 apart)
    DECIMATE = 2

    def __init__(self, paths: Sequence[StrokePath]) -> None:
        self.paths = list(paths)
        self.count = len(self.paths)
        self._key: tuple | None = None
        self._data: tuple = ()
        if not self.paths:
            return
        pts = [p.points for p in self.paths]
        sizes = np.array([len(p) for p in pts])
        self.start = np.concatenate([[0], np.cumsum(sizes)[:-1]])
        self.end = self.start + sizes - 1  # index of the last vertex of each path
        self.start1 = self.start + 1
        self.points = np.ascontiguousarray(np.vstack(pts), dtype=np.float64)
        lengths = np.array([p.length for p in self.paths])
        gap = 1.0
        self.offset = np.concatenate([[0.0], np.cumsum(lengths + gap)[:-1]])
        self.cum = np.concatenate(
            [p.cumlen + o for p, o in zip(self.paths, self.offset, strict=True)]
        )
        self.lengths = lengths
        self.speed = np.array([p.speed for p in self.paths])
        self.head_size = 7.0 if self.paths[0].motion == "glide" else 5.0

    def frame(self, phase: float, trail: float) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(trail segment pairs, head points, arrow-head segment pairs) at ``phase``."""
        key = (phase, trail)
        if key != self._key:
            self._key, self._data = key, self._compute(phase, trail)
        return self._data[:3]

    def boxes(self, phase: float, trail: float) -> np.ndarray:
        """(n, 4) bounding boxes (x0, y0, x1, y1) of every path's trail at ``phase``."""
        self.frame(phase, trail)
        return self._data[3]

    def _compute(self, phase: float, trail: float) -> tuple:
        # plain ufuncs with out= (np.clip and friends cost more in wrappers than in work)
        frac = np.mod(phase * self.speed, 1.0)
        s_head = self.offset + frac * self.lengths
        head = np.searchsorted(self.cum, s_head)
        np.minimum(np.maximum(head, self.start1, out=head), self.end, out=head)
        tail = np.searchsorted(self.cum, np.maximum(s_head - trail, self.offset))
        np.minimum(np.maximum(tail, self.start, out=tail), head - 1, out=tail)
        back = np.searchsorted(self.cum, np.maximum(s_head - 5.0, self.offset))
        np.minimum(np.maximum(back, self.start, out=back), head - 1, out=back)
        # segments every DECIMATE vertices, counted back from the head so the trail ends on it
        k = self.DECIMATE
        n = np.maximum((head - tail) // k, 1)
        total = int(n.sum())
        first = np.cumsum(n) - n
        end = np.repeat(head + k * first, n) - k * np.arange(total)
        start_ = np.maximum(end - k, np.repeat(tail, n))
        pts = self.points
        pairs = np.empty((2 * total, 2))
        pairs[0::2] = pts[start_]
        pairs[1::2] = pts[end]
        tip = pts[head]
        # bounding boxes from the trail's ends and middle (the caller pads them by more than
        # any wiggle's reach)
        a, m = pts[tail], pts[(tail + head) // 2]
        boxes = np.empty((len(tip), 4))
        np.minimum(np.minimum(a, m), tip, out=boxes[:, :2])
        np.maximum(np.maximum(a, m), tip, out=boxes[:, 2:])
        # a chevron at every head, along the last few units of the track: it points the way
        # a glide goes and spins round with circles and loops
        d = tip - pts[back]
        norm = np.hypot(d[:, 0], d[:, 1])
        norm[norm == 0] = 1.0
        d /= norm[:, None]
        size = self.head_size
        side = d[:, ::-1] * (size * 0.7)
        side[:, 0] *= -1.0  # the normal (-dy, dx)
        arrows = np.empty((4 * len(tip), 2))
        base = tip - d * size
        arrows[0::4] = base + side
        arrows[1::4] = tip
        arrows[2::4] = base - side
        arrows[3::4] = tip
        return pairs, tip, arrows, boxes


def trail_pens(
    paths: Sequence[StrokePath], technique: str | None, scale: float
) -> tuple[QPen, QPen]:
    """(trail pen, arrow-head pen) in the step's tempo colour, cosmetic (device pixels)."""
    tempo = paths[0].tempo if paths else "moderate"
    colour = QColor(S.TEMPO_COLOURS.get(tempo, S.TEMPO_COLOURS["moderate"]))
    width = 2.0 if technique == "vibration" else 2.6
    pen = QPen(colour, max(1.5, width * scale), Qt.PenStyle.SolidLine, Qt.PenCapStyle.FlatCap,
               Qt.PenJoinStyle.BevelJoin)
    pen.setCosmetic(True)
    head = QPen(colour.darker(130), max(2.0, 2.8 * scale), Qt.PenStyle.SolidLine,
                Qt.PenCapStyle.FlatCap)
    head.setCosmetic(True)
    return pen, head


def paint_trails(painter: QPainter, trails: Trails, phase: float, trail: float,
                 pens: tuple[QPen, QPen]) -> None:
    """The trails at ``phase`` in two ``drawLines`` calls (the painter's transform is the map's)."""
    pairs, _heads, arrows = trails.frame(phase, trail)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setPen(pens[0])
    draw_segments(painter, pairs)
    painter.setPen(pens[1])
    draw_segments(painter, arrows)


def device_boxes(trails: Trails, phase: float, trail: float, pad: float,
                 transform: tuple[float, float, float]) -> np.ndarray:
    """Integer device-pixel boxes (x0, y0, x1, y1) around every trail at ``phase``, padded by
    ``pad`` back units; ``transform`` is (scale, ox, oy) from back units to the widget."""
    s, ox, oy = transform
    world = trails.boxes(phase, trail)
    dev = np.empty_like(world)
    dev[:, 0] = np.floor(ox + (world[:, 0] - pad) * s)
    dev[:, 1] = np.floor(oy + (world[:, 1] - pad) * s)
    dev[:, 2] = np.ceil(ox + (world[:, 2] + pad) * s)
    dev[:, 3] = np.ceil(oy + (world[:, 3] + pad) * s)
    return dev


class StrokeClock(QObject):
    """The trails' clock: a looping ``QVariantAnimation`` (named ``bodyMapStrokeAnimation``)
    whose value is the phase 0..1 of a loop. It runs only when asked to play and allowed
    (:meth:`sync`); :meth:`seek` puts the phase anywhere, running or not."""

    def __init__(self, parent: QObject, on_phase: Callable[[], None]) -> None:
        super().__init__(parent)
        self.phase = 0.0
        self.want = True  # asked to play
        self._on_phase = on_phase
        self.anim = QVariantAnimation(self)
        self.anim.setObjectName("bodyMapStrokeAnimation")
        self.anim.setStartValue(0.0)
        self.anim.setEndValue(1.0)
        self.anim.setLoopCount(-1)
        self.anim.valueChanged.connect(self._on_value)

    def running(self) -> bool:
        return self.anim.state() == QAbstractAnimation.State.Running

    def sync(self, allowed: bool, duration_ms: int) -> None:
        """Run while asked to play and ``allowed`` (visible, with strokes); stop otherwise."""
        run, running = self.want and allowed, self.running()
        if run and not running:
            self.anim.setDuration(duration_ms)
            self.anim.start()
            self.anim.setCurrentTime(int(self.phase * duration_ms))
        elif not run and running:
            self.anim.stop()

    def seek(self, t: float) -> None:
        t = float(t) % 1.0
        if self.running():
            self.anim.setCurrentTime(int(t * self.anim.duration()))
        else:
            self.phase = t
            self._on_phase()

    def _on_value(self, value: float) -> None:
        self.phase = float(value)
        self._on_phase()
