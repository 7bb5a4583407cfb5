"""The body map: zones, spine, landmarks, a plan's emphasis and no-touch areas, animated strokes.

``BodyMapView`` is a plain QWidget with its own ``paintEvent`` (cheaper than a
QGraphicsView for one picture with a few moving lines). Everything is drawn with one world
transform from back coordinates (``assets/zones.svg``'s viewBox 0 0 600 900, plus a legend
column to its right) to the widget, keeping the aspect ratio.

Layers and caching (docs/map.md):

* **scene**: a QPixmap at the device pixel ratio holding everything that only changes with
  data: the back, the zones (plain, emphasised or muted), no-touch hatching, scoliosis styles,
  the current step's direction guides, landmarks, labels and the legend. Rebuilt on resize,
  plan, step, marks or language changes only.
* **composite**: the scene plus the hover/selection outline; rebuilt when those change.
* **frame**: one ``drawPixmap`` of the composite plus the moving stroke trails, drawn in two
  ``drawLines`` calls and one ``drawPoints`` call straight from numpy buffers. Stroke shapes
  come from :func:`bodymap.strokes.stroke_paths`, computed when the step changes.

The map never calls the planner: clicks in a marking mode emit signals and the owner of the
plan re-plans and calls :meth:`BodyMapView.set_plan` again.
"""

from __future__ import annotations

import math
import weakref
from collections.abc import Iterable, Sequence
from typing import Any

import numpy as np
import shapely
import shiboken6
from PySide6.QtCore import (
    QAbstractAnimation,
    QPointF,
    QRect,
    QRectF,
    QSize,
    Qt,
    QVariantAnimation,
    Signal,
)
from PySide6.QtGui import (
    QBrush,
    QColor,
    QFont,
    QFontMetricsF,
    QPainter,
    QPainterPath,
    QPen,
    QPixmap,
    QPolygonF,
    QRegion,
    QTransform,
)
from PySide6.QtWidgets import QSizePolicy, QToolTip, QWidget
from shapely.geometry.base import BaseGeometry

from bodymap import i18n
from bodymap.i18n import pick, tr
from bodymap.strokes import StrokePath, stroke_paths
from bodymap.vocabulary import CENTRAL_BAND, side_of
from bodymap.widgets import map_style as S  # noqa: N812

__all__ = ["BodyMapView"]

MARK_MODES = ("hernia", "pain", "lesion")
_LEVEL_LABELS_BIG = {"C7", "T12", "L5"}


# ------------------------------------------------------------------------- numpy <-> Qt


def _qpolygon(coords: np.ndarray) -> QPolygonF:
    """A QPolygonF filled from an (N, 2) array through its memory (no per-point Python)."""
    coords = np.ascontiguousarray(coords, dtype=np.float64)
    poly = QPolygonF()
    poly.resize(len(coords))
    if len(coords):
        buf = shiboken6.VoidPtr(poly.data(), coords.nbytes, True)
        np.frombuffer(buf, np.float64).reshape(-1, 2)[:] = coords
    return poly


def _polygons(geom: BaseGeometry | None) -> list:
    if geom is None or geom.is_empty:
        return []
    if geom.geom_type == "Polygon":
        return [geom]
    return [g for g in getattr(geom, "geoms", []) if g.geom_type == "Polygon"] + [
        p for g in getattr(geom, "geoms", []) if g.geom_type == "MultiPolygon" for p in g.geoms
    ]


def _qpath(geom: BaseGeometry | None) -> QPainterPath:
    """A QPainterPath of a shapely (Multi)Polygon, holes included."""
    path = QPainterPath()
    path.setFillRule(Qt.FillRule.OddEvenFill)
    for poly in _polygons(geom):
        for ring in (poly.exterior, *poly.interiors):
            path.addPolygon(_qpolygon(np.asarray(ring.coords)))
            path.closeSubpath()
    return path


def _draw_segments(painter: QPainter, pairs: np.ndarray) -> None:
    """Draw line segments given as an (2n, 2) float64 array of point pairs, in one call."""
    n = len(pairs) // 2
    if n:
        painter.drawLines(shiboken6.wrapInstance(pairs.ctypes.data, QPointF), n)


def _draw_points(painter: QPainter, points: np.ndarray) -> None:
    if len(points):
        painter.drawPoints(shiboken6.wrapInstance(points.ctypes.data, QPointF), len(points))


def _region_from_boxes(boxes: np.ndarray) -> QRegion:
    """A QRegion of horizontal bands covering integer device-pixel boxes (x0, y0, x1, y1).

    Boxes are merged into bands that do not overlap vertically, and the region is set in one
    ``setRects`` call from an int32 array laid out as QRect (x1, y1, x2, y2, inclusive).
    """
    region = QRegion()
    if not len(boxes):
        return region
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
    region.setRects(shiboken6.wrapInstance(rects.ctypes.data, QRect), len(rects))
    return region


class _NullPainter:
    """Takes any QPainter call and does nothing: lays text out (with QFontMetricsF) without
    drawing, so the legend can be measured before it is painted."""

    def __getattr__(self, _name: str) -> Any:
        return _noop


def _noop(*_args: Any, **_kwargs: Any) -> None:
    return None


_NULL_PAINTER: Any = _NullPainter()


def _dissolve(polygons: Sequence[BaseGeometry]) -> BaseGeometry:
    """The union of neighbouring polygons as one outline: the hairline slivers left between
    zones that share a border (their edges do not match exactly) are closed, so an outline of
    the union has no lines inside it."""
    union = shapely.union_all(list(polygons))
    return union.buffer(0.5, join_style="mitre").buffer(-0.5, join_style="mitre")


class _Trails:
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


# ----------------------------------------------------------------------------- the view


class BodyMapView(QWidget):
    """The back, its zones and a plan's emphasis, no-touch areas and animated strokes.

    Signals (the owner of the plan reacts and calls :meth:`set_plan` again):

    * ``herniaPlaced(level, side)``: hernia mode click, level snapped to a disc ("L4-L5"),
      side ``left``/``right``/``central`` (the patient's side).
    * ``painPointPlaced(x, y)``: pain mode click, in back coordinates.
    * ``lesionToggled(zone_id)``: lesion mode click on a zone half.
    * ``zoneClicked(zone_id)``: a click on a zone half with no marking mode.
    * ``zoneHovered(zone_id)``: the hovered zone half changed ("" when none).
    """

    herniaPlaced = Signal(str, str)
    painPointPlaced = Signal(float, float)
    lesionToggled = Signal(str)
    zoneClicked = Signal(str)
    zoneHovered = Signal(str)

    #: One animation loop (ms); calming strokes pass once per loop, toning ones three times.
    ANIMATION_MS = 6000
    #: Length of the moving trail behind each hand, in back units (along the hand's track:
    #: circles, loops and trembles get a shorter one, their track is several times longer).
    TRAIL = 44.0
    TRAIL_WIGGLE = 28.0
    #: Margin around a trail's box repainted each frame (arrow head, loops), back units.
    TRAIL_PAD = 14.0
    #: The back's viewBox and the legend column to its right, in back units.
    BACK_W, BACK_H = 600.0, 900.0
    LEGEND_W = 270.0
    #: Half width of the band around the midline where a hernia click counts as central.
    CENTRAL_BAND = CENTRAL_BAND
    #: Text keeps to these point sizes however small the map gets (the legend column widens
    #: in back units instead); below MIN_BACK_SHARE of the size the back could have alone,
    #: the legend steps aside (hover still explains every place).
    MIN_LEGEND_PT = 9.0
    MIN_LABEL_PT = 8.0
    MIN_BACK_SHARE = 0.6
    #: The legend's body text size in back units at full scale.
    LEGEND_FONT = 12.0
    #: Boxes (back units) for the side labels, left and right of the head, above the shoulders.
    SIDE_BOX = ((4.0, 234.0), (366.0, 596.0))
    SIDE_BOTTOM = 196.0

    def __init__(self, geometry: Any = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("bodyMapView")
        self.setAttribute(Qt.WidgetAttribute.WA_OpaquePaintEvent, True)
        self.setMouseTracking(True)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setMinimumSize(320, 300)

        self._geometry = geometry
        self._plan: Any = None
        self._step_index: int | None = None
        self._mark_mode: str | None = None
        self._pain_points: list[tuple[float, float]] = []
        self._legend = True
        self._plain_words = False
        self._step_caption = True
        self._hover: str | None = None
        self._hover_features: tuple[str, ...] = ()
        self._selected: str | None = None

        self._phase = 0.0
        self._frames = 0
        self._prev_boxes: np.ndarray | None = None
        self._last_region = QRegion()
        self._want_play = True

        # caches (see the module docstring)
        self._paths: dict[str, QPainterPath] = {}
        self._glow_cache: dict[tuple, tuple[QPixmap, QPointF]] = {}
        self._base: tuple[tuple, QPixmap] | None = None
        self._plan_paths: dict[str, QPainterPath] = {}
        self._no_touch_prepared: list[tuple[Any, BaseGeometry]] = []
        self._step_paths: dict[int, list[StrokePath]] = {}
        self._trails = _Trails([])
        self._scene: QPixmap | None = None
        self._composite: QPixmap | None = None
        self._transform = QTransform()
        self._scale, self._ox, self._oy = 1.0, 0.0, 0.0
        self._layout_key: tuple | None = None
        self._legend_shown = True  # the legend fits at this size
        self._legend_w = self.LEGEND_W  # back units (wider when the map is small)
        self._legend_k = 1.0  # legend text scale (>= 1 keeps it at MIN_LEGEND_PT)
        self._union_cache: dict[tuple, BaseGeometry] = {}
        self._text_rects: dict[str, QRectF] = {}  # back units, filled when the scene is drawn
        self._drawn_texts: list[str] = []  # every label and legend line of the scene
        self._trail_pen = QPen()
        self._head_pen = QPen()

        self._anim = QVariantAnimation(self)
        self._anim.setObjectName("bodyMapStrokeAnimation")
        self._anim.setStartValue(0.0)
        self._anim.setEndValue(1.0)
        self._anim.setDuration(self.ANIMATION_MS)
        self._anim.setLoopCount(-1)
        self._anim.valueChanged.connect(self._on_anim_value)

        ref = weakref.ref(self)

        def _retranslate(_lang: str) -> None:
            view = ref()
            if view is not None:
                view._invalidate_scene()

        self._unlisten = i18n.on_language_changed(_retranslate)
        self.destroyed.connect(self._unlisten)

    # ------------------------------------------------------------------ public API: data

    @property
    def geometry_model(self) -> Any:
        """The :class:`bodymap.geometry.BackGeometry` drawn (the shipped one by default)."""
        if self._geometry is None:
            from bodymap.geometry import load_geometry

            self._geometry = load_geometry()
        return self._geometry

    def set_geometry(self, geometry: Any) -> None:
        self._geometry = geometry
        self._paths.clear()
        self._union_cache.clear()
        self._glow_cache.clear()
        self.set_plan(self._plan)

    def plan(self) -> Any:
        return self._plan

    def set_plan(self, plan: Any) -> None:
        """Show a planner ``Plan`` (or None): emphasis, no-touch areas, steps. Step 0 is current."""
        self._plan = plan
        self._step_paths.clear()
        self._plan_paths.clear()
        self._no_touch_prepared = []
        if plan is not None:
            for nt in plan.no_touch:
                area = nt.area
                shapely.prepare(area)
                self._no_touch_prepared.append((nt, area))
        steps = self._steps()
        self._step_index = 0 if steps else None
        self._load_step()

    def steps(self) -> tuple:
        return self._steps()

    def current_step(self) -> int | None:
        return self._step_index

    def set_current_step(self, index: int | None) -> None:
        """Make step ``index`` of the plan current (None: no step, no strokes)."""
        steps = self._steps()
        if index is not None and not 0 <= index < len(steps):
            raise IndexError(f"step {index} out of range: the plan has {len(steps)} steps")
        if index == self._step_index:
            return
        self._step_index = index
        self._load_step()

    def stroke_paths(self) -> list[StrokePath]:
        """The current step's stroke paths (computed once per step)."""
        return list(self._trails.paths)

    def set_pain_points(self, points: Iterable[tuple[float, float]]) -> None:
        self._pain_points = [(float(x), float(y)) for x, y in points]
        self._invalidate_scene()

    def pain_points(self) -> list[tuple[float, float]]:
        return list(self._pain_points)

    def set_legend_visible(self, visible: bool) -> None:
        if visible != self._legend:
            self._legend = visible
            self._layout_key = None
            self._invalidate_scene()

    def set_plain_words(self, plain: bool) -> None:
        """Patient-facing labels (presentation mode): "Your back, seen from behind" rather
        than "Back view (posterior)", "the tighter side" rather than "concave side"."""
        if plain != self._plain_words:
            self._plain_words = plain
            self._layout_key = None
            self._invalidate_scene()

    def _words(self, key: str, **fields: Any) -> str:
        """``tr(key)``, or its ``plainmap.`` twin when plain words are on and one exists."""
        if self._plain_words and f"plainmap.{key}" in i18n.strings():
            return tr(f"plainmap.{key}", **fields)
        return tr(key, **fields)

    def set_step_caption_visible(self, visible: bool) -> None:
        """Show the current step's caption in the legend (a presentation shows it larger
        beside the map instead)."""
        if visible != self._step_caption:
            self._step_caption = visible
            self._invalidate_scene()

    def legend_shown(self) -> bool:
        """Whether the legend is drawn (asked for, and the map is large enough to hold it)."""
        self._ensure_layout()
        return self._legend and self._legend_shown

    def legend_rect(self) -> QRectF:
        """Where the legend column lies, in widget coordinates (empty when it is not shown)."""
        if not self.legend_shown():
            return QRectF()
        s = self._scale
        return QRectF(self._ox + self.BACK_W * s, self._oy, self._legend_w * s, self.BACK_H * s)

    def drawn_texts(self) -> list[str]:
        """Every text the static scene shows (labels, legend), as last drawn."""
        self._ensure_composite()
        return list(self._drawn_texts)

    def text_rects(self) -> dict[str, QRectF]:
        """Widget rectangles of the texts drawn on the back: ``side-left``, ``side-right``,
        ``mode``, ``landmark-<name>``, ``role-<role>``, ``hernia`` (after a paint)."""
        self._ensure_composite()
        s, ox, oy = self._scale, self._ox, self._oy
        return {
            k: QRectF(ox + r.x() * s, oy + r.y() * s, r.width() * s, r.height() * s)
            for k, r in self._text_rects.items()
        }

    # --------------------------------------------------------- public API: interaction

    def mark_mode(self) -> str | None:
        return self._mark_mode

    def set_mark_mode(self, mode: str | None) -> None:
        """Clicks place a ``hernia`` site, a ``pain`` point, toggle a ``lesion``, or select."""
        if mode is not None and mode not in MARK_MODES:
            raise ValueError(f"unknown mark mode {mode!r}; expected one of {MARK_MODES} or None")
        self._mark_mode = mode
        self.setCursor(Qt.CursorShape.CrossCursor if mode else Qt.CursorShape.ArrowCursor)
        self._invalidate_scene()

    def hovered_zone(self) -> str | None:
        return self._hover

    def selected_zone(self) -> str | None:
        return self._selected

    def hover_text(self) -> str:
        """What the tooltip says about the hovered place (empty when nothing is hovered)."""
        if not self._hover_features:
            return ""
        return self.describe(self._hover_features)

    # -------------------------------------------------------- public API: animation

    def phase(self) -> float:
        return self._phase

    def frame_count(self) -> int:
        """Frames painted so far (tests wait on it)."""
        return self._frames

    def is_playing(self) -> bool:
        return self._anim.state() == QAbstractAnimation.State.Running

    def set_playing(self, playing: bool) -> None:
        """Run or pause the built-in animation (it only runs while visible and with strokes)."""
        self._want_play = bool(playing)
        self._sync_animation()

    def set_phase(self, t: float) -> None:
        """Put the strokes at position ``t`` (0..1 of a loop), e.g. from the session player."""
        t = float(t) % 1.0
        if self.is_playing():
            self._anim.setCurrentTime(int(t * self._anim.duration()))
        else:
            self._phase = t
            self._update_moving()

    def last_update_region(self) -> QRegion:
        """The region the last animation frame asked to repaint (what moved)."""
        return QRegion(self._last_region)

    # ------------------------------------------------------------- coordinates

    def back_to_widget(self, x: float, y: float) -> QPointF:
        self._ensure_layout()
        return QPointF(self._ox + x * self._scale, self._oy + y * self._scale)

    def widget_to_back(self, pos: QPointF) -> tuple[float, float]:
        self._ensure_layout()
        return (pos.x() - self._ox) / self._scale, (pos.y() - self._oy) / self._scale

    def hit_test(self, pos: QPointF) -> tuple[str, ...]:
        """Ids under a widget position, most specific first: no-touch entries, then features."""
        x, y = self.widget_to_back(pos)
        return self._features_at(x, y)

    # ------------------------------------------------------------------- Qt events

    def sizeHint(self) -> QSize:
        return QSize(860, 900)

    def showEvent(self, event) -> None:
        super().showEvent(event)
        self._sync_animation()

    def hideEvent(self, event) -> None:
        super().hideEvent(event)
        self._anim.stop()

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        self._invalidate_scene()

    def changeEvent(self, event) -> None:
        super().changeEvent(event)
        if event.type() == event.Type.DevicePixelRatioChange:
            self._invalidate_scene()

    def paintEvent(self, event) -> None:
        composite = self._ensure_composite()
        painter = QPainter(self)
        # blit the cached layers rect by rect: far cheaper than one blit under a region clip
        dpr = composite.devicePixelRatio()
        if dpr == 1.0:
            for r in event.region():
                painter.drawPixmap(r, composite, r)
        else:
            for r in event.region():
                src = QRectF(r.x() * dpr, r.y() * dpr, r.width() * dpr, r.height() * dpr)
                painter.drawPixmap(QRectF(r), composite, src)
        if self._trails.count and self._step_index is not None:
            pairs, _heads, arrows = self._trails.frame(self._phase, self._trail_length())
            painter.setRenderHint(QPainter.RenderHint.Antialiasing)
            painter.setTransform(self._transform)
            painter.setPen(self._trail_pen)
            _draw_segments(painter, pairs)
            painter.setPen(self._head_pen)
            _draw_segments(painter, arrows)
        painter.end()
        self._frames += 1

    def mouseMoveEvent(self, event) -> None:
        features = self.hit_test(event.position())
        if features != self._hover_features:
            self._hover_features = features
            zone = next((f for f in features if f in self._halves()), None)
            if zone != self._hover:
                self._hover = zone
                self._composite = None
                self.update()
                self.zoneHovered.emit(zone or "")
            text = self.hover_text()
            if text:
                QToolTip.showText(event.globalPosition().toPoint(), text, self)
            else:
                QToolTip.hideText()
        super().mouseMoveEvent(event)

    def leaveEvent(self, event) -> None:
        if self._hover is not None or self._hover_features:
            self._hover, self._hover_features = None, ()
            self._composite = None
            self.update()
            self.zoneHovered.emit("")
        super().leaveEvent(event)

    def mousePressEvent(self, event) -> None:
        if event.button() != Qt.MouseButton.LeftButton:
            super().mousePressEvent(event)
            return
        x, y = self.widget_to_back(event.position())
        geo = self.geometry_model
        zone = geo.zone_at(x, y)
        mode = self._mark_mode
        if mode == "hernia":
            if "outline" in geo.features_at(x, y):
                level = geo.nearest_level(y)
                self.herniaPlaced.emit(level, self._side_of_x(x))
        elif mode == "pain":
            if "outline" in geo.features_at(x, y):
                self._pain_points.append((x, y))
                self._invalidate_scene()
                self.painPointPlaced.emit(x, y)
        elif mode == "lesion":
            if zone:
                self.lesionToggled.emit(zone)
        elif zone:
            self._selected = zone
            self._composite = None
            self.update()
            self.zoneClicked.emit(zone)
        event.accept()

    # ------------------------------------------------------------------ internals

    def _side_of_x(self, x: float) -> str:
        return side_of(x, self._midline())

    def _midline(self) -> float:
        minx, _, maxx, _ = self.geometry_model.spine_strip().bounds
        return (minx + maxx) / 2.0

    def _halves(self) -> tuple[str, ...]:
        geo = self.geometry_model
        return tuple(h for z in geo.ZONES for h in geo.halves(z))

    def _steps(self) -> tuple:
        plan = self._plan
        if plan is None or getattr(plan, "status", "ok") != "ok":
            return ()
        return tuple(plan.steps)

    def _current(self) -> Any:
        steps = self._steps()
        if self._step_index is None or not steps:
            return None
        return steps[self._step_index]

    def _features_at(self, x: float, y: float) -> tuple[str, ...]:
        feats = self.geometry_model.features_at(x, y)
        if not feats:
            return ()
        extra = [
            nt.id
            for nt, area in self._no_touch_prepared
            if nt.id != "spine" and shapely.contains_xy(area, x, y)
        ]
        return (*extra, *feats)

    def _load_step(self) -> None:
        step = self._current()
        paths: list[StrokePath] = []
        if step is not None:
            idx = self._step_index
            if idx not in self._step_paths:
                plan_no_touch = self._plan.no_touch if self._plan is not None else ()
                applying = [nt.area for nt in plan_no_touch if nt.applies_to(step.technique)]
                self._step_paths[idx] = stroke_paths(step, self.geometry_model, no_touch=applying)
            paths = self._step_paths[idx]
        self._trails = _Trails(paths)
        self._invalidate_scene()
        self._sync_animation()

    def _sync_animation(self) -> None:
        run = self._want_play and self.isVisible() and self._trails.count > 0
        running = self.is_playing()
        if run and not running:
            self._anim.setDuration(self.ANIMATION_MS)
            self._anim.start()
            self._anim.setCurrentTime(int(self._phase * self.ANIMATION_MS))
        elif not run and running:
            self._anim.stop()

    def _on_anim_value(self, value: float) -> None:
        self._phase = float(value)
        self._update_moving()

    def _trail_length(self) -> float:
        paths = self._trails.paths
        return self.TRAIL if not paths or paths[0].motion == "glide" else self.TRAIL_WIGGLE

    def _update_moving(self) -> None:
        """Repaint only where trails were and are now (bands of device pixels)."""
        if not self._trails.count or self._scene is None:
            self._prev_boxes = None
            self.update()
            return
        pad = self.TRAIL_PAD
        world = self._trails.boxes(self._phase, self._trail_length())
        s, ox, oy = self._scale, self._ox, self._oy
        dev = np.empty_like(world)
        dev[:, 0] = np.floor(ox + (world[:, 0] - pad) * s)
        dev[:, 1] = np.floor(oy + (world[:, 1] - pad) * s)
        dev[:, 2] = np.ceil(ox + (world[:, 2] + pad) * s)
        dev[:, 3] = np.ceil(oy + (world[:, 3] + pad) * s)
        both = dev if self._prev_boxes is None else np.vstack([dev, self._prev_boxes])
        self._prev_boxes = dev
        self._last_region = _region_from_boxes(both)
        self.update(self._last_region)

    def _invalidate_scene(self) -> None:
        self._scene = None
        self._composite = None
        self._prev_boxes = None
        self.update()

    # -------------------------------------------------------------------- layout

    def _world_size(self) -> tuple[float, float]:
        shown = self._legend and self._legend_shown
        return self.BACK_W + (self._legend_w if shown else 0.0), self.BACK_H

    def _px_per_pt(self) -> float:
        return max(72.0, float(self.logicalDpiY())) / 72.0

    def _min_scale(self, size: float, points: float) -> float:
        """Factor (>= 1) for text of ``size`` back units to be at least ``points`` on screen."""
        return max(1.0, points * self._px_per_pt() / (size * self._scale))

    def _ensure_layout(self) -> None:
        """Fit the back and the legend column to the widget (aspect kept).

        The legend's text keeps at least MIN_LEGEND_PT: on a small map its column gets that
        many device pixels and the back the rest; when the back would shrink below
        MIN_BACK_SHARE of what it could be alone, the legend is left out.
        """
        w, h = max(1, self.width()), max(1, self.height())
        key = (w, h, self._legend, self._px_per_pt())
        if key == self._layout_key:
            return
        self._layout_key = key
        bw, bh = self.BACK_W, self.BACK_H
        alone = min(w / bw, h / bh)
        shown, legend_w, k = self._legend, self.LEGEND_W, 1.0
        s = min(w / (bw + legend_w), h / bh) if shown else alone
        least = self.MIN_LEGEND_PT * self._px_per_pt() / self.LEGEND_FONT
        if shown and s < least:
            column = self.LEGEND_W * least  # device pixels
            s = min((w - column) / bw, h / bh)
            if s < self.MIN_BACK_SHARE * alone:
                shown, s = False, alone
            else:
                legend_w, k = column / s, least / s
        self._legend_shown, self._legend_w, self._legend_k = shown or not self._legend, legend_w, k
        ww = bw + (legend_w if shown else 0.0)
        self._scale, self._ox, self._oy = s, (w - ww * s) / 2.0, (h - bh * s) / 2.0
        self._transform = QTransform(s, 0, 0, s, self._ox, self._oy)

    def _ensure_composite(self) -> QPixmap:
        if self._scene is None:
            self._ensure_layout()
            self._scene = self._render_scene()
            self._composite = None
            self._make_pens()
        if self._composite is None:
            self._composite = self._render_composite(self._scene)
        return self._composite

    def _make_pens(self) -> None:
        step = self._current()
        tempo = self._trails.paths[0].tempo if self._trails.count else "moderate"
        colour = QColor(S.TEMPO_COLOURS.get(tempo, S.TEMPO_COLOURS["moderate"]))
        s = self._scale
        width = 2.6 if step is None or step.technique != "vibration" else 2.0
        pen = QPen(colour, max(1.5, width * s), Qt.PenStyle.SolidLine, Qt.PenCapStyle.FlatCap,
                   Qt.PenJoinStyle.BevelJoin)
        pen.setCosmetic(True)
        self._trail_pen = pen
        head = QPen(colour.darker(130), max(2.0, 2.8 * s), Qt.PenStyle.SolidLine,
                    Qt.PenCapStyle.FlatCap)
        head.setCosmetic(True)
        self._head_pen = head

    def _new_pixmap(self) -> QPixmap:
        dpr = self.devicePixelRatioF()
        pm = QPixmap(max(1, round(self.width() * dpr)), max(1, round(self.height() * dpr)))
        pm.setDevicePixelRatio(dpr)
        return pm

    # --------------------------------------------------------------------- painting

    def _pen(self, colour: Any, width: float = 1.0, style=Qt.PenStyle.SolidLine) -> QPen:
        """A cosmetic pen ``width`` back units wide at the current scale (cosmetic pens are
        stroked in device space, several times faster than pens under a scaling transform)."""
        pen = QPen(QColor(colour), max(0.8, width * self._scale), style,
                   Qt.PenCapStyle.RoundCap, Qt.PenJoinStyle.RoundJoin)
        pen.setCosmetic(True)
        return pen

    def _union(self, halves: Iterable[str]) -> BaseGeometry:
        """The dissolved union of zone halves (computed once per set of halves)."""
        key = tuple(sorted(halves))
        geom = self._union_cache.get(key)
        if geom is None:
            geo = self.geometry_model
            geom = _dissolve([geo.polygon(h) for h in key])
            self._union_cache[key] = geom
        return geom

    def _glow(self, halves: Iterable[str]) -> tuple[QPixmap, QPointF]:
        """A transparent pixmap holding the gold glow around the union of ``halves`` (one
        outline: no glow line where two emphasised zones meet), and its place."""
        dpr = self.devicePixelRatioF()
        names = tuple(sorted(halves))
        key = (names, self._scale, self._ox, self._oy, dpr)
        hit = self._glow_cache.get(key)
        if hit is not None:
            return hit
        if len(self._glow_cache) > 32:
            self._glow_cache.clear()
        geom = self._union(names).simplify(0.4)
        path = _qpath(geom)
        pad = 8.0
        x0, y0, x1, y1 = geom.bounds
        s = self._scale
        left = math.floor(self._ox + (x0 - pad) * s)
        top = math.floor(self._oy + (y0 - pad) * s)
        w = math.ceil((x1 - x0 + 2 * pad) * s) + 2
        h = math.ceil((y1 - y0 + 2 * pad) * s) + 2
        pm = QPixmap(max(1, round(w * dpr)), max(1, round(h * dpr)))
        pm.setDevicePixelRatio(dpr)
        pm.fill(Qt.GlobalColor.transparent)
        p = QPainter(pm)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        p.setTransform(QTransform(s, 0, 0, s, self._ox - left, self._oy - top))
        p.setBrush(Qt.BrushStyle.NoBrush)
        for width, alpha in ((11.0, 50), (6.0, 110), (2.2, 255)):
            glow = QColor(S.GLOW)
            glow.setAlpha(alpha)
            p.setPen(self._pen(glow, width))
            p.drawPath(path)
        p.end()
        hit = (pm, QPointF(left, top))
        self._glow_cache[key] = hit
        return hit

    def _region_path(self, rid: str) -> QPainterPath:
        path = self._paths.get(rid)
        if path is None:
            geo = self.geometry_model
            path = _qpath(geo.polygon(rid)) if rid in geo.regions else QPainterPath()
            self._paths[rid] = path
        return path

    def _plan_path(self, key: str, geom: BaseGeometry) -> QPainterPath:
        path = self._plan_paths.get(key)
        if path is None:
            path = _qpath(geom)
            self._plan_paths[key] = path
        return path

    def _render_composite(self, scene: QPixmap) -> QPixmap:
        if self._hover is None and self._selected is None:
            return scene
        pm = QPixmap(scene)
        p = QPainter(pm)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        p.setTransform(self._transform)
        if self._selected:
            pen = self._pen(S.SELECT, 2.2, Qt.PenStyle.DashLine)
            pen.setCosmetic(True)
            p.setPen(pen)
            p.setBrush(Qt.BrushStyle.NoBrush)
            p.drawPath(self._region_path(self._selected))
        if self._hover:
            pen = self._pen(QColor(20, 20, 20, 200), 2.0)
            pen.setCosmetic(True)
            p.setPen(pen)
            p.setBrush(QColor(255, 255, 255, 40))
            p.drawPath(self._region_path(self._hover))
        p.end()
        return pm

    def _base_layer(self) -> QPixmap:
        """Background and the back's outline: depends on the size only, cached."""
        key = (self.width(), self.height(), self.devicePixelRatioF(), self._legend)
        if self._base is None or self._base[0] != key:
            pm = self._new_pixmap()
            pm.fill(QColor(S.BACKGROUND))
            p = QPainter(pm)
            p.setRenderHint(QPainter.RenderHint.Antialiasing)
            p.setTransform(self._transform)
            p.setBrush(QColor(S.SKIN))
            p.setPen(self._pen(S.SKIN_EDGE, 2.0))
            p.drawPath(self._region_path("outline"))
            p.end()
            self._base = (key, pm)
        return self._base[1]

    def _render_scene(self) -> QPixmap:
        pm = QPixmap(self._base_layer())
        p = QPainter(pm)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        p.setRenderHint(QPainter.RenderHint.TextAntialiasing)
        p.setTransform(self._transform)
        self._text_rects = {}
        self._drawn_texts = []
        try:
            self._paint_back(p)
            self._paint_plan(p)
            self._paint_landmarks(p)
            self._paint_marks(p)
            self._paint_guides(p)
            self._paint_side_labels(p)
            if self._legend and self._legend_shown:
                self._paint_fitted_legend(p)
        finally:
            p.end()
        return pm

    # state of the plan as the map shows it ------------------------------------------

    def _emphasis_halves(self) -> set[str]:
        plan = self._plan
        if plan is None:
            return set()
        return set(self._expand(plan.emphasis_zones))

    def _expand(self, zones: Iterable[str]) -> list[str]:
        geo = self.geometry_model
        out = []
        for z in zones:
            if z in geo.ZONES:
                out.extend(geo.halves(z))
            elif z in geo.regions and geo.regions[z].kind == "half":
                out.append(z)
        return out

    def _role_halves(self, role: str) -> set[str]:
        return {h for s in self._steps() if s.role == role for h in self._expand(s.zones)}

    def _no_touch_now(self) -> tuple[list, list]:
        """(no-touch entries that apply now, technique-specific ones that do not)."""
        plan = self._plan
        if plan is None:
            return [], []
        step = self._current()
        active, caution = [], []
        for nt in plan.no_touch:
            if nt.techniques == "all" or (step is not None and nt.applies_to(step.technique)):
                active.append(nt)
            else:
                caution.append(nt)
        return active, caution

    def _kidneys_no_go(self) -> bool:
        step = self._current()
        if step is None:
            return False
        active, _ = self._no_touch_now()
        if any(nt.id == "kidneys" for nt in active):
            return True
        return step.technique == "vibration"  # the map's own rule if a plan forgot it

    # layers -----------------------------------------------------------------------

    def _paint_back(self, p: QPainter) -> None:
        geo = self.geometry_model
        emphasis = self._emphasis_halves()
        plan = self._plan
        edge = self._pen(S.ZONE_EDGE, 0.8)
        p.setPen(edge)
        for half in self._halves():
            if plan is None:
                state = "plain"
            elif half in emphasis:
                state = "emphasis"
            else:
                state = "muted"
            p.setBrush(S.zone_colour(half, state))
            p.drawPath(self._region_path(half))

        # a gold glow around the emphasised zones' union (neighbours share one outline, so
        # no glow line runs between them): cached per set of zones and size, because
        # stroking wide soft pens is the slowest thing the map draws
        if emphasis:
            p.save()
            p.resetTransform()
            pm, at = self._glow(emphasis)
            p.drawPixmap(at, pm)
            p.restore()

        # head (decorative, as in zones.svg): an oval over the top of the neck
        _, y0, _, _ = geo.bounds
        mid = self._midline()
        p.setPen(self._pen(S.SKIN_EDGE, 1.2))
        p.setBrush(QColor(S.HEAD))
        p.drawEllipse(QRectF(mid - 64, y0 - 94, 128, 136))

        # scapulae: outlines only, the zone colour stays visible through them
        p.setBrush(Qt.BrushStyle.NoBrush)
        p.setPen(self._pen(S.SCAPULA_EDGE, 1.3))
        for rid in ("scapula-left", "scapula-right"):
            if rid in geo.regions:
                p.drawPath(self._region_path(rid))

    def _paint_plan(self, p: QPainter) -> None:
        geo = self.geometry_model
        # scoliosis: relax the concave side, strengthen the convex side
        for role, colour, style in (
            ("relax", S.RELAX, Qt.BrushStyle.HorPattern),
            ("strengthen", S.STRENGTHEN, Qt.BrushStyle.CrossPattern),
        ):
            halves = self._role_halves(role)
            if not halves:
                continue
            path = self._plan_path(f"role-{role}", self._union(halves))
            c = QColor(colour)
            c.setAlpha(120)
            p.setPen(Qt.PenStyle.NoPen)
            brush = QBrush(c, style)
            brush.setTransform(QTransform.fromScale(1.6 / self._scale, 1.6 / self._scale))
            p.setBrush(brush)
            p.drawPath(path)
            pen = self._pen(colour, 2.4, Qt.PenStyle.DashLine)
            p.setPen(pen)
            p.setBrush(Qt.BrushStyle.NoBrush)
            p.drawPath(path)

        # kidneys: dashed outline always; red when a vibration step is current
        kidneys_red = self._kidneys_no_go()
        active, caution = self._no_touch_now()
        kid = self._plan_path("kidneys", geo.kidney_area())
        if kidneys_red:
            self._paint_no_touch(p, kid)
        else:
            edge = S.KIDNEY_EDGE if self._plan is None else S.CAUTION
            pen = self._pen(edge, 1.6, Qt.PenStyle.DashLine)
            p.setPen(pen)
            p.setBrush(QColor(255, 255, 255, 0))
            p.drawPath(kid)

        # spine: always no-touch
        spine = self._region_path("spine")
        p.setPen(Qt.PenStyle.NoPen)
        p.setBrush(QColor(S.SPINE_FILL))
        p.drawPath(spine)
        self._paint_no_touch(p, spine, spacing=5.0)

        # the plan's other no-touch areas (hernia site, lesions ...)
        for nt in active:
            if nt.id in ("spine", "kidneys"):
                continue
            self._paint_no_touch(p, self._plan_path(f"nt-{nt.id}", nt.area))
        for nt in caution:
            if nt.id in ("spine", "kidneys"):
                continue
            pen = self._pen(S.CAUTION, 1.6, Qt.PenStyle.DashLine)
            p.setPen(pen)
            p.setBrush(Qt.BrushStyle.NoBrush)
            p.drawPath(self._plan_path(f"nt-{nt.id}", nt.area))

    def _paint_no_touch(self, p: QPainter, path: QPainterPath, spacing: float = 7.0) -> None:
        p.setPen(Qt.PenStyle.NoPen)
        p.setBrush(S.NO_TOUCH_FILL)
        p.drawPath(path)
        p.save()
        p.setClipPath(path, Qt.ClipOperation.IntersectClip)
        r = path.boundingRect()
        h = r.height()
        xs = np.arange(r.left() - h, r.right() + spacing, spacing)
        pairs = np.empty((2 * len(xs), 2))
        pairs[0::2, 0], pairs[0::2, 1] = xs, r.bottom()
        pairs[1::2, 0], pairs[1::2, 1] = xs + h, r.top()
        p.setPen(QPen(QColor(S.NO_TOUCH), 1.6))  # under the clip: non-cosmetic is far faster
        _draw_segments(p, pairs)
        p.restore()
        p.setPen(self._pen(S.NO_TOUCH, 1.8))
        p.setBrush(Qt.BrushStyle.NoBrush)
        p.drawPath(path)

    def _no_entry(self, p: QPainter, x: float, y: float, r: float = 9.0) -> None:
        p.setPen(self._pen("white", 1.5))
        p.setBrush(QColor(S.NO_TOUCH))
        p.drawEllipse(QPointF(x, y), r, r)
        p.setPen(Qt.PenStyle.NoPen)
        p.setBrush(QColor("white"))
        p.drawRect(QRectF(x - r * 0.62, y - r * 0.2, r * 1.24, r * 0.4))

    def _paint_landmarks(self, p: QPainter) -> None:
        """Dots on the spine and names beside it on small light tags (legible under the
        stroke guides; a frame's moving trails pass over them). Names that would touch a
        neighbour at this size are left out, the larger C7/T12/L5 first kept."""
        geo = self.geometry_model
        _, _, maxx, _ = geo.spine_strip().bounds
        items = list(geo.landmarks.items())
        p.setPen(Qt.PenStyle.NoPen)
        p.setBrush(QColor(S.LANDMARK))
        for name, (x, y) in items:
            r = 2.8 if name in _LEVEL_LABELS_BIG else 2.0
            p.drawEllipse(QPointF(x, y), r, r)
        k = self._min_scale(8.0, self.MIN_LABEL_PT)
        placed: list[QRectF] = []
        order = sorted(range(len(items)), key=lambda i: (items[i][0] not in _LEVEL_LABELS_BIG, i))
        tag = QColor(255, 255, 255, 215)
        for i in order:
            name, (_x, y) = items[i]
            big = name in _LEVEL_LABELS_BIG
            font = self._font((10.0 if big else 8.0) * k, bold=big)
            fm = QFontMetricsF(font)
            pad = 1.5 * k
            w, h = fm.horizontalAdvance(name) + 2 * pad, fm.height()
            rect = QRectF(maxx + 2.0, y - h / 2, w, h)
            if any(rect.adjusted(0, -1, 0, 1).intersects(r) for r in placed):
                continue
            placed.append(rect)
            self._text_rects[f"landmark-{name}"] = rect
            p.setPen(Qt.PenStyle.NoPen)
            p.setBrush(tag)
            p.drawRoundedRect(rect, 2.5 * k, 2.5 * k)
            p.setFont(font)
            p.setPen(QColor(S.LANDMARK))
            p.drawText(rect, Qt.AlignmentFlag.AlignCenter, name)
        spine_bottom = geo.spine_strip().bounds[3]
        s1 = geo.landmarks.get("S1", (self._midline(), spine_bottom - 60))[1]
        self._no_entry(p, self._midline(), (s1 + spine_bottom) / 2 + 4, 8.0)

    def _paint_marks(self, p: QPainter) -> None:
        active, _ = self._no_touch_now()
        mid = self._midline()
        k = self._min_scale(12.0, self.MIN_LABEL_PT)
        for nt in active:
            if nt.id == "hernia-site":
                minx, miny, maxx, maxy = nt.area.bounds
                cx = (minx + maxx) / 2
                left = side_of(cx, mid) != "right"  # a central site's label goes left
                mx = minx - 12 if left else maxx + 12
                my = (miny + maxy) / 2
                self._no_entry(p, mx, my)
                label = tr("map.mark.hernia", level=nt.zones[0] if nt.zones else "")
                font = self._font(12 * k, bold=True)
                fm = QFontMetricsF(font)
                w, h = fm.horizontalAdvance(label) + 4, fm.height()
                x = max(4.0, mx - 12 - w) if left else min(mx + 12, self.BACK_W - 4 - w)
                rect = QRectF(x, my - h / 2, w, h)
                self._text_rects["hernia"] = rect
                self._text(p, rect, label, 12 * k, bold=True, align=Qt.AlignmentFlag.AlignCenter,
                           colour=S.NO_TOUCH, halo=True)
            elif nt.id.startswith("lesion"):
                c = nt.area.centroid
                minx, miny, maxx, maxy = nt.area.bounds
                self._no_entry(p, c.x, miny + (maxy - miny) * 0.2 + 4, 11.0)
        for x, y in self._pain_points:
            p.setPen(self._pen("white", 1.5))
            p.setBrush(QColor(S.PAIN))
            star = self._star(x, y, 8.0)
            p.drawPolygon(star)
        # scoliosis labels on the hips, below the zones, on each styled side
        geo = self.geometry_model
        for role, colour in (("relax", S.RELAX), ("strengthen", S.STRENGTHEN)):
            halves = self._role_halves(role)
            if not halves:
                continue
            left = any(geo.regions[h].side == "left" for h in halves)
            box = QRectF(6, 794, 286, 90) if left else QRectF(308, 794, 286, 90)
            rect = self._text(p, box, self._words(f"map.on_map.{role}"), 12 * k, bold=True,
                              align=Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop
                              | Qt.TextFlag.TextWordWrap, colour=colour, halo=True)
            self._text_rects[f"role-{role}"] = rect

    @staticmethod
    def _star(x: float, y: float, r: float) -> QPolygonF:
        a = np.arange(10) * math.pi / 5 - math.pi / 2
        # alternating outer/inner radius
        rad = np.where(np.arange(10) % 2 == 0, r, r * 0.45)
        return _qpolygon(np.column_stack([x + rad * np.cos(a), y + rad * np.sin(a)]))

    def _paint_guides(self, p: QPainter) -> None:
        """The current step's base paths: faint lines with an arrow head at the end."""
        if not self._trails.count:
            return
        tempo = self._trails.paths[0].tempo
        colour = QColor(S.TEMPO_COLOURS.get(tempo, S.TEMPO_COLOURS["moderate"]))
        colour.setAlpha(120)
        pen = QPen(colour, 1.2, Qt.PenStyle.DashLine)
        p.setPen(pen)
        p.setBrush(Qt.BrushStyle.NoBrush)
        seen: set[int] = set()
        heads = []
        for path in self._trails.paths:
            if id(path.guide) in seen:
                continue
            seen.add(id(path.guide))
            g = path.guide
            p.drawPolyline(_qpolygon(g))
            if len(g) >= 2:
                tip = g[-1]
                k = max(0, len(g) - 1 - 4)
                d = tip - g[k]
                n = math.hypot(*d) or 1.0
                d = d / n
                nrm = np.array([-d[1], d[0]])
                heads.append(np.array([tip - d * 8 + nrm * 4.5, tip, tip - d * 8 - nrm * 4.5]))
        colour.setAlpha(200)
        p.setPen(Qt.PenStyle.NoPen)
        p.setBrush(colour)
        for h in heads:
            p.drawPolygon(_qpolygon(h))


    def _paint_side_labels(self, p: QPainter) -> None:
        """'Patient's left / right' in the corners beside the head, above the shoulders
        (wrapped when the map is small), and the marking mode's hint on a banner on top."""
        top = 6.0
        if self._mark_mode:
            k = self._min_scale(12.0, self.MIN_LEGEND_PT)
            font = self._font(12 * k)
            flags = Qt.AlignmentFlag.AlignLeft | Qt.TextFlag.TextWordWrap
            box = QRectF(14, top + 3 * k, self.BACK_W - 28, 400)
            rect = QFontMetricsF(font).boundingRect(box, flags, tr(f"map.mode.{self._mark_mode}"))
            banner = rect.adjusted(-6, -3 * k, 6, 3 * k)
            self._text_rects["mode"] = banner
            p.setPen(self._pen(S.PAIN if self._mark_mode == "pain" else S.NO_TOUCH, 1.2))
            p.setBrush(QColor(255, 255, 255, 230))
            p.drawRoundedRect(banner, 5, 5)
            self._text(p, rect, tr(f"map.mode.{self._mark_mode}"), 12 * k, align=flags,
                       colour=S.PAIN if self._mark_mode == "pain" else S.NO_TOUCH)
            top = banner.bottom() + 4
        k = self._min_scale(14.0, self.MIN_LEGEND_PT)
        font = self._font(14 * k, bold=True)
        fm = QFontMetricsF(font)
        for key, (x0, x1), text, side in (
            ("side-left", self.SIDE_BOX[0], "\u2190\u00a0" + tr("side.patient_left"),
             Qt.AlignmentFlag.AlignLeft),
            ("side-right", self.SIDE_BOX[1], tr("side.patient_right") + "\u00a0\u2192",
             Qt.AlignmentFlag.AlignRight),
        ):
            flags = side | Qt.AlignmentFlag.AlignTop | Qt.TextFlag.TextWordWrap
            need = fm.boundingRect(QRectF(x0, 0, x1 - x0, 1000), flags, text)
            y = max(top, self.SIDE_BOTTOM - need.height())
            rect = self._text(p, QRectF(x0, y, x1 - x0, need.height() + 2), text, 14 * k,
                              bold=True, align=flags, halo=True)
            self._text_rects[key] = rect

    # legend ------------------------------------------------------------------------

    def _paint_fitted_legend(self, p: QPainter) -> None:
        """The legend at the text scale that fits the column's height (measured first)."""
        u = self._legend_k
        limit = self.BACK_H - 8
        for _ in range(4):
            bottom = self._paint_legend(_NULL_PAINTER, u)
            if bottom <= limit:
                break
            u *= max(0.5, (limit - 18) / (bottom - 18)) * 0.98
        self._paint_legend(p, u)

    def _paint_legend(self, p: QPainter, u: float = 1.0) -> float:
        """Draw the legend with sizes times ``u``; returns the y below it."""
        x0 = self.BACK_W + 6
        w = self._legend_w - 10
        y = 18.0
        sw, gap = 26 * u, 34 * u  # swatch width, text indent
        geo = self.geometry_model
        y = self._para(p, x0, y, w, self._words("view.posterior"), 15 * u, bold=True) + 4 * u
        plan = self._plan
        if plan is not None and getattr(plan, "status", "ok") != "ok":
            y = self._para(p, x0, y, w, tr(f"map.status.{plan.status}"), 12 * u, bold=True,
                           colour=S.NO_TOUCH) + 6 * u
        y = self._para(p, x0, y, w, tr("map.legend.zones"), 12 * u, bold=True,
                       colour=S.TEXT_SOFT)
        emphasis = self._emphasis_halves()
        for zone in geo.ZONES:
            left, right = geo.halves(zone)
            state = "plain"
            if plan is not None:
                state = "emphasis" if left in emphasis or right in emphasis else "muted"
            p.setPen(self._pen(S.ZONE_EDGE, 0.8))
            p.setBrush(S.zone_colour(left, state))
            p.drawRect(QRectF(x0, y + 2 * u, sw / 2, 14 * u))
            p.setBrush(S.zone_colour(right, state))
            p.drawRect(QRectF(x0 + sw / 2, y + 2 * u, sw / 2, 14 * u))
            if state == "emphasis":
                p.setPen(self._pen(S.GLOW, 2.2))
                p.setBrush(Qt.BrushStyle.NoBrush)
                p.drawRect(QRectF(x0 - 1, y + u, sw + 2, 16 * u))
            y = self._para(p, x0 + gap, y, w - gap, pick(geo.regions[zone].names), 12 * u) + 3 * u
        y += 6 * u
        if plan is not None and emphasis:
            self._swatch_glow(p, x0, y, u)
            y = self._para(p, x0 + gap, y, w - gap, tr("map.legend.emphasis"), 12 * u) + 3 * u
            p.setPen(self._pen(S.ZONE_EDGE, 0.8))
            p.setBrush(S.zone_colour("thoracic-left", "muted"))
            p.drawRect(QRectF(x0, y + 2 * u, sw, 14 * u))
            y = self._para(p, x0 + gap, y, w - gap, tr("map.legend.muted"), 12 * u) + 6 * u
        # no-touch
        swatch = QPainterPath()
        swatch.addRect(QRectF(x0, y + 2 * u, sw, 14 * u))
        self._paint_no_touch(p, swatch, spacing=4.0 * u)
        y = self._para(p, x0 + gap, y, w - gap, tr("map.legend.no_touch"), 12 * u,
                       bold=True) + 3 * u
        kid = QPainterPath()
        kid.addEllipse(QRectF(x0 + 5 * u, y + u, 16 * u, 16 * u))
        if self._kidneys_no_go():
            self._paint_no_touch(p, kid, spacing=4.0 * u)
            text = tr("map.legend.kidneys_now")
        else:
            edge = S.KIDNEY_EDGE if plan is None else S.CAUTION
            p.setPen(self._pen(edge, 1.6, Qt.PenStyle.DashLine))
            p.setBrush(Qt.BrushStyle.NoBrush)
            p.drawPath(kid)
            text = tr("map.legend.kidneys")
        y = self._para(p, x0 + gap, y, w - gap, text, 12 * u) + 3 * u
        active, _ = self._no_touch_now()
        if any(nt.id == "hernia-site" for nt in active):
            self._no_entry(p, x0 + sw / 2, y + 9 * u, 8 * u)
            y = self._para(p, x0 + gap, y, w - gap, tr("map.legend.hernia"), 12 * u) + 3 * u
        if any(nt.id.startswith("lesion") for nt in active):
            self._no_entry(p, x0 + sw / 2, y + 9 * u, 8 * u)
            y = self._para(p, x0 + gap, y, w - gap, tr("map.legend.lesion"), 12 * u) + 3 * u
        for role, colour, style in (
            ("relax", S.RELAX, Qt.BrushStyle.HorPattern),
            ("strengthen", S.STRENGTHEN, Qt.BrushStyle.CrossPattern),
        ):
            if self._role_halves(role):
                c = QColor(colour)
                brush = QBrush(c, style)
                brush.setTransform(QTransform.fromScale(1.6 / self._scale, 1.6 / self._scale))
                p.setPen(QPen(c, 1.6, Qt.PenStyle.DashLine))
                p.setBrush(brush)
                p.drawRect(QRectF(x0, y + 2 * u, sw, 14 * u))
                y = self._para(p, x0 + gap, y, w - gap, self._words(f"map.legend.{role}"),
                                  12 * u) + 3 * u
        if self._pain_points:
            p.setPen(self._pen("white", 1.2))
            p.setBrush(QColor(S.PAIN))
            p.drawPolygon(self._star(x0 + sw / 2, y + 9 * u, 8 * u))
            y = self._para(p, x0 + gap, y, w - gap, tr("map.legend.pain"), 12 * u) + 3 * u
        return self._paint_step_box(p, x0, y + 10 * u, w, u)

    def _swatch_glow(self, p: QPainter, x: float, y: float, u: float = 1.0) -> None:
        p.setPen(self._pen(S.GLOW, 3.0))
        p.setBrush(QColor("#ffffff"))
        p.drawRect(QRectF(x + 1, y + 3 * u, 26 * u - 2, 12 * u))

    def _paint_step_box(self, p: QPainter, x0: float, y: float, w: float,
                        u: float = 1.0) -> float:
        step = self._current()
        if step is None:
            return y
        steps = self._steps()
        p.setPen(self._pen(S.ZONE_EDGE, 0.8))
        p.drawLine(QPointF(x0, y - 4 * u), QPointF(x0 + w, y - 4 * u))
        y = self._para(p, x0, y, w, tr("map.step", n=self._step_index + 1, total=len(steps)),
                       13 * u, bold=True) + 2 * u
        caption = pick(step.text) if getattr(step, "text", None) else ""
        if caption and self._step_caption:
            y = self._para(p, x0, y, w, caption, 11.5 * u, colour=S.TEXT) + 4 * u
        tempo = self._trails.paths[0].tempo if self._trails.count else None
        motion = self._trails.paths[0].motion if self._trails.count else None
        if tempo and motion:
            colour = QColor(S.TEMPO_COLOURS[tempo])
            pen = QPen(colour, 2.6, Qt.PenStyle.SolidLine, Qt.PenCapStyle.RoundCap)
            p.setPen(pen)
            m = y + 9 * u
            p.drawLine(QPointF(x0, m), QPointF(x0 + 20 * u, m))
            p.drawLine(QPointF(x0 + 20 * u, m), QPointF(x0 + 14 * u, m - 4 * u))
            p.drawLine(QPointF(x0 + 20 * u, m), QPointF(x0 + 14 * u, m + 4 * u))
            text = tr("map.legend.strokes", motion=tr(f"map.motion.{motion}"),
                      tempo=tr(f"map.tempo.{tempo}"))
            y = self._para(p, x0 + 34 * u, y, w - 34 * u, text, 11.5 * u, colour=colour)
        return y

    # text helpers --------------------------------------------------------------------

    @staticmethod
    def _font(size: float, bold: bool = False) -> QFont:
        f = QFont()
        f.setPixelSize(max(1, round(size)))
        f.setBold(bold)
        return f

    def _para(self, p: QPainter, x: float, y: float, w: float, text: str, size: float,
              bold: bool = False, colour: str = S.TEXT) -> float:
        """Draw wrapped text at (x, y); returns the y below it."""
        self._drawn_texts.append(text)
        font = self._font(size, bold)
        flags = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop | Qt.TextFlag.TextWordWrap
        rect = QFontMetricsF(font).boundingRect(QRectF(x, y, w, 1000), flags, text)
        p.setFont(font)
        p.setPen(QColor(colour))
        p.drawText(QRectF(x, y, w, rect.height() + 2), flags, text)
        return y + rect.height()

    def _text(self, p: QPainter, rect: QRectF, text: str, size: float, bold: bool = False,
              align: Any = Qt.AlignmentFlag.AlignLeft, colour: str = S.TEXT,
              halo: bool = False) -> QRectF:
        """Draw ``text`` in ``rect`` (never clipped: it may spill, callers size the rect);
        returns the rectangle the text covers."""
        self._drawn_texts.append(text)
        font = self._font(size, bold)
        p.setFont(font)
        flags = align | Qt.TextFlag.TextDontClip
        if halo:
            p.setPen(QColor(255, 255, 255, 210))
            d = max(0.8, 1.1 / self._scale)  # about one device pixel
            for dx, dy in ((-d, 0), (d, 0), (0, -d), (0, d)):
                p.drawText(rect.translated(dx, dy), flags, text)
        p.setPen(QColor(colour))
        p.drawText(rect, flags, text)
        return QFontMetricsF(font).boundingRect(rect, flags, text)

    # hover text ------------------------------------------------------------------------

    def describe(self, features: Sequence[str]) -> str:
        """Plain text about a place: its name, and what the current plan does there."""
        geo = self.geometry_model
        plan = self._plan
        lines: list[str] = []
        no_touch = {nt.id: nt for nt in (plan.no_touch if plan is not None else ())}
        for f in features:
            if f in no_touch and f not in ("spine", "kidneys"):
                lines.append(tr("map.hover.no_touch", text=pick(no_touch[f].text)))
        if "spine" in features:
            lines.append(tr("map.hover.spine"))
        kidney = next((f for f in features if f.startswith("kidney-")), None)
        if kidney:
            lines.append(pick(geo.regions[kidney].names) + ": " + tr("map.hover.kidney"))
        scapula = next((f for f in features if f.startswith("scapula-")), None)
        half = next((f for f in features if f in self._halves()), None)
        if half:
            lines.insert(0, pick(geo.regions[half].names))
            if scapula:
                lines.insert(1, pick(geo.regions[scapula].names))
            if plan is not None:
                lines.extend(self._plan_here(half))
        elif scapula:
            lines.insert(0, pick(geo.regions[scapula].names))
        return "\n".join(lines)

    def _plan_here(self, half: str) -> list[str]:
        plan = self._plan
        out = []
        if half in self._emphasis_halves():
            out.append(tr("map.hover.emphasis"))
        else:
            out.append(tr("map.hover.muted"))
        geo = self.geometry_model
        parent = geo.regions[half].parent
        for nt in plan.no_touch:
            if half in nt.zones or parent in nt.zones:
                out.append(tr("map.hover.no_touch", text=pick(nt.text)))
        steps = [
            f"{i + 1}. {tr(f'map.technique.{s.technique}')}"
            + (f" ({tr('map.hover.role_' + s.role)})" if s.role else "")
            for i, s in enumerate(self._steps())
            if half in s.zones or parent in s.zones
        ]
        if steps:
            out.append(tr("map.hover.steps", steps=", ".join(steps)))
        elif getattr(plan, "status", "ok") == "ok":
            out.append(tr("map.hover.no_steps"))
        return out
