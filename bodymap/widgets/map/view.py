"""``BodyMapView``: the map on screen, with caching, hit-test, hover, marking and animation.

A plain QWidget with its own ``paintEvent`` (cheaper than a QGraphicsView for one picture with
a few moving lines). What it shows is a :class:`~bodymap.map_scene.MapScene`, rebuilt when the
plan, the step or the pain points change; the layers of ``painter.py`` draw it with one world
transform from back units (the viewBox 0 0 600 900, plus a legend column to its right) to the
widget, aspect kept.

Caching (docs/map.md): **base** (background and outline) per size; **glow** per emphasis area
and size; **scene** (base plus every static layer) on data, language or size changes;
**composite** (scene plus hover/selection outline); a **frame** blits the composite where the
trails were and are, and draws the trails (``trails.py``).

The map never calls the planner and never picks its own step: the owner of the session
calls :meth:`BodyMapView.set_plan` and :meth:`BodyMapView.set_step`; clicks in a marking mode
only emit signals.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import numpy as np
import shapely
from PySide6.QtCore import (
    QEvent,
    QRectF,
    QSize,
    Qt,
    Signal,
)
from PySide6.QtGui import (
    QHideEvent,
    QMouseEvent,
    QPainter,
    QPaintEvent,
    QPixmap,
    QRegion,
    QResizeEvent,
    QShowEvent,
    QTransform,
)
from PySide6.QtWidgets import QSizePolicy, QToolTip, QWidget

from bodymap.map_scene import MapScene, SceneBuilder, describe_place, plan_steps
from bodymap.strokes import StrokePath
from bodymap.vocabulary import CENTRAL_BAND
from bodymap.widgets.map import accessible
from bodymap.widgets.map.context import Context, LegendBox, MapOptions
from bodymap.widgets.map.keep_clear import Cover, keep_clear
from bodymap.widgets.map.keyboard import MapKeyboard, MapKeyboardMixin
from bodymap.widgets.map.layout import FitLayout, MapLayoutMixin
from bodymap.widgets.map.marking import MARK_MODES, MapMarkingMixin
from bodymap.widgets.map.screen import ScreenLayers
from bodymap.widgets.map.trail_paint import motif_scale, paint_trails, trail_length, trail_style
from bodymap.widgets.map.trails import (
    StrokeCache,
    StrokeClock,
    Trails,
    device_boxes,
    repaint_region,
)
from bodymap.widgets.plaintext import plain_tip

if TYPE_CHECKING:
    from shapely.geometry.base import BaseGeometry

    from bodymap.geometry import BackGeometry
    from bodymap.plan_types import NoTouch, Plan, Step

__all__ = ["MARK_MODES", "BodyMapView"]


class BodyMapView(MapKeyboardMixin, MapMarkingMixin, MapLayoutMixin, QWidget):
    """The back, its zones and a plan's emphasis, no-touch areas and animated strokes.

    Signals (the owner of the plan reacts and calls :meth:`set_plan` again):

    * ``herniaPlaced(level, side)``: hernia mode click, level snapped to a disc ("L4-L5"),
      side ``left``/``right``/``central`` (:func:`bodymap.vocabulary.side_of`).
    * ``painPointPlaced(x, y)``: pain mode click, in back coordinates. The map does not keep
      the point: the plan it is given marks the painful places it was made for.
    * ``lesionToggled(zone_id)``: lesion mode click on a zone half.
    * ``zoneClicked(zone_id)``: a click on a zone half with no marking mode.
    * ``zoneHovered(zone_id)``: the hovered zone half changed ("" when none); the keyboard
      cursor's half too (``keyboard.py``).
    * ``markModeChanged(mode)``: the marking mode changed ("" when none): a mark was placed
      (a marking tool is used once), Esc left it, or the owner set it.

    Marking and :meth:`bind` (a view of the session controller) are ``map/marking.py``'s,
    the keyboard's events ``map/keyboard.py``'s.
    """

    herniaPlaced = Signal(str, str)
    painPointPlaced = Signal(float, float)
    lesionToggled = Signal(str)
    zoneClicked = Signal(str)
    zoneHovered = Signal(str)
    markModeChanged = Signal(str)

    #: One animation loop (ms); calming strokes pass once per loop, toning ones three times.
    ANIMATION_MS = 6000
    #: Margin around a trail's box repainted each frame (arrow head, loops), back units.
    TRAIL_PAD = 14.0
    #: Draw the hand's glyph at each head (the technique's part of the hand on the skin).
    HAND_GLYPHS = True
    #: Keep the glyphs and trails off the no-touch areas and the names (``map/keep_clear.py``;
    #: a safety rule: off only to measure what it costs).
    KEEP_CLEAR = True
    #: The back's viewBox and the legend column to its right, in back units.
    BACK_W, BACK_H = 600.0, 900.0
    LEGEND_W = 270.0
    CENTRAL_BAND = CENTRAL_BAND  #: a hernia click this near the midline is central
    #: Text keeps to these point sizes however small the map gets (the legend column widens
    #: in back units instead); below MIN_BACK_SHARE of the size the back could have alone,
    #: the legend steps aside (hover still explains every place).
    MIN_LEGEND_PT = 9.0
    MIN_LABEL_PT = 8.0
    MIN_BACK_SHARE = 0.6
    #: The legend's body text size in back units at full scale.
    LEGEND_FONT = 12.0

    def __init__(self, geometry: BackGeometry | None = None, parent: QWidget | None = None
                 ) -> None:
        accessible.install()  # assistive technology sees the zones (map/accessible.py)
        super().__init__(parent)
        self.setObjectName("bodyMapView")
        self.setAttribute(Qt.WidgetAttribute.WA_OpaquePaintEvent, True)
        self.setMouseTracking(True)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setMinimumSize(320, 300)

        self._geometry: BackGeometry | None = geometry
        self._builder: SceneBuilder | None = None
        self._plan: Plan | None = None
        self._step_index: int | None = None
        self._map_scene: MapScene | None = None
        self._options = MapOptions()
        self._legend = True
        self._hover: str | None = None
        self._hover_features: tuple[str, ...] = ()
        self._selected: str | None = None

        self._frames = 0
        self._prev_boxes: np.ndarray | None = None
        self._last_region = QRegion()

        # caches (see the module docstring)
        self._cache = ScreenLayers()
        self._no_touch_prepared: list[tuple[NoTouch, BaseGeometry]] = []
        self._strokes = StrokeCache()
        self._step_trails: dict[int, Trails] = {}
        self._trails = Trails([])
        self._motif_scale = 1.0
        self._transform = QTransform()
        self._layout_key: tuple[int, int, bool, float, float] | None = None
        self._layout = FitLayout(1.0, 0.0, 0.0, True, self.LEGEND_W, 1.0)
        self._style = trail_style([], 1.0)
        self._cover = Cover()
        self._keep: Any = None

        self._clock = StrokeClock(self, self._update_moving)
        self._anim = self._clock.anim

        self._keys = MapKeyboard(self)
        self._keys.announce()

    # ------------------------------------------------------------------ public API: data

    @property
    def geometry_model(self) -> BackGeometry:
        """The :class:`bodymap.geometry.BackGeometry` drawn (the shipped one by default)."""
        if self._geometry is None:
            from bodymap.geometry import load_geometry

            self._geometry = load_geometry()
        return self._geometry

    def set_geometry(self, geometry: BackGeometry | None) -> None:
        self._geometry = geometry
        self._builder = None
        self._cache.set_geometry(geometry)
        self._strokes.clear()
        self.set_plan(self._plan)

    def plan(self) -> Plan | None:
        return self._plan

    def scene(self) -> MapScene:
        """What the map shows now (a pure :class:`~bodymap.map_scene.MapScene`)."""
        if self._map_scene is None:
            if self._builder is None:
                self._builder = SceneBuilder(self.geometry_model)
            self._map_scene = self._builder.build(self._plan, self._step_index)
        return self._map_scene

    def set_plan(self, plan: Plan | None) -> None:
        """Show a ``Plan`` (or None); step 0 is current until the owner calls :meth:`set_step`."""
        self._plan = plan
        self._step_trails.clear()
        self._no_touch_prepared = []
        if plan is not None:
            for nt in plan.no_touch:
                shapely.prepare(nt.area)
                self._no_touch_prepared.append((nt, nt.area))
        self._step_index = 0 if self.steps() else None
        self._load_step()
        accessible.announce_children(self)

    def steps(self) -> tuple[Step, ...]:
        return plan_steps(self._plan)

    def current_step(self) -> int | None:
        return self._step_index

    def set_step(self, index: int | None) -> None:
        """Make step ``index`` of the plan current (None: no step, no strokes)."""
        steps = self.steps()
        if index is not None and not 0 <= index < len(steps):
            raise IndexError(f"step {index} out of range: the plan has {len(steps)} steps")
        if index == self._step_index:
            return
        self._step_index = index
        self._load_step()

    set_current_step = set_step

    def stroke_paths(self) -> list[StrokePath]:
        """The current step's stroke paths (computed once per step)."""
        return list(self._trails.paths)

    def pain_points(self) -> list[tuple[float, float]]:
        """The painful places marked: the plan's (back units)."""
        return list(self.scene().pain_points)

    def set_legend_visible(self, visible: bool) -> None:
        if visible != self._legend:
            self._legend = visible
            self._layout_key = None
            self._invalidate_scene()

    def set_plain_words(self, plain: bool) -> None:
        """Patient-facing labels (presentation): "the tighter side", not "concave side"."""
        if plain != self._options.plain_words:
            self._options.plain_words = plain
            self._invalidate_scene()

    def set_step_caption_visible(self, visible: bool) -> None:
        """Show the current step's caption in the legend (a presentation shows it apart)."""
        if visible != self._options.step_caption:
            self._options.step_caption = visible
            self._invalidate_scene()

    # --------------------------------------------------------- public API: interaction

    def hovered_zone(self) -> str | None:
        return self._hover

    def selected_zone(self) -> str | None:
        return self._selected

    def hover_text(self) -> str:
        """What the tooltip says about the hovered place (empty when nothing is hovered)."""
        return self.describe(self._hover_features) if self._hover_features else ""

    def describe(self, features: Sequence[str]) -> str:
        """Plain text about a place: its name, and what the current plan does there."""
        return describe_place(self.scene(), self.geometry_model, features)

    # -------------------------------------------------------- public API: animation

    def phase(self) -> float:
        return self._clock.phase

    def frame_count(self) -> int:
        """Frames painted so far (tests wait on it)."""
        return self._frames

    def is_playing(self) -> bool:
        return self._clock.running()

    def set_playing(self, playing: bool) -> None:
        """Run or pause the built-in animation (it only runs while visible and with strokes)."""
        self._clock.want = bool(playing)
        self._sync_animation()

    def set_phase(self, t: float) -> None:
        """Put the strokes at position ``t`` (0..1 of a loop), e.g. from the session player."""
        self._clock.seek(t)

    def hand_rects(self) -> list[QRectF]:
        """The hand glyphs drawn in the last frame painted (widget rectangles)."""
        return [QRectF(x0, y0, x1 - x0, y1 - y0) for x0, y0, x1, y1 in
                self._trails.glyph_rects().tolist()]

    def still(self) -> QPixmap:
        """The map as drawn under the moving trails (the static scene with its outlines)."""
        return self._ensure_composite()

    def last_update_region(self) -> QRegion:
        """The region the last animation frame asked to repaint (what moved)."""
        return QRegion(self._last_region)

    # ------------------------------------------------------------- coordinates

    # ------------------------------------------------------------------- Qt events

    def sizeHint(self) -> QSize:
        return QSize(860, 900)

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self._sync_animation()

    def hideEvent(self, event: QHideEvent) -> None:
        super().hideEvent(event)
        self._clock.stop()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._ensure_layout()
        if motif_scale(self._layout.scale) != self._motif_scale:  # the motion's size anew
            self._step_trails.clear()
            self._load_step()
        self._invalidate_scene()

    #: events after which the cached pixmaps are drawn anew (text starts from the
    #: application font; nothing is drawn from the palette today, but a pixmap must never
    #: outlive a change of what the map is drawn with)
    _REDRAW_ON = frozenset({
        QEvent.Type.DevicePixelRatioChange,
        QEvent.Type.FontChange,
        QEvent.Type.ApplicationFontChange,
        QEvent.Type.PaletteChange,
        QEvent.Type.ApplicationPaletteChange,
        QEvent.Type.StyleChange,
    })

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() in self._REDRAW_ON:
            self._cache.legend.clear()
            self._cache.sprites.clear()
            self._invalidate_scene()
        elif event.type() == QEvent.Type.LanguageChange:  # words, and the keyboard place
            self._invalidate_scene()
            self._keys.announce()
            accessible.announce_children(self)

    def paintEvent(self, event: QPaintEvent) -> None:
        composite = self._ensure_composite()
        painter = QPainter(self)
        # blit the cached layers rect by rect: far cheaper than one blit under a region clip
        dpr = composite.devicePixelRatio()
        rects = list(event.region())  # type: ignore[call-overload]  # iterable; not in the stubs
        if dpr == 1.0:
            for r in rects:
                painter.drawPixmap(r, composite, r)
        else:
            for r in rects:
                src = QRectF(r.x() * dpr, r.y() * dpr, r.width() * dpr, r.height() * dpr)
                painter.drawPixmap(QRectF(r), composite, src)
        if self._trails.count and self._step_index is not None:
            painter.setTransform(self._transform)
            paint_trails(painter, self._trails, self._clock.phase, self._trail_length(),
                         self._style)
            self._cover.paint(painter)  # the no-touch areas and the names above the motion
            if self._prev_boxes is None:  # a full repaint: the next frame erases these trails
                self._prev_boxes = self._trail_boxes()
        painter.end()
        self._frames += 1

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        features = self.hit_test(event.position())
        if features != self._hover_features:
            self._hover_features = features
            zone = next((f for f in features if f in self.scene().states), None)
            if zone != self._hover:
                self._hover = zone
                self._cache.composite = None
                self.update()
                self.zoneHovered.emit(zone or "")
            text = self.hover_text()
            if text:
                QToolTip.showText(event.globalPosition().toPoint(), plain_tip(text), self)
            else:
                QToolTip.hideText()
        super().mouseMoveEvent(event)

    def leaveEvent(self, event: QEvent) -> None:
        if self._hover is not None or self._hover_features:
            self._hover, self._hover_features = None, ()
            self._cache.composite = None
            self.update()
            self.zoneHovered.emit("")
        super().leaveEvent(event)

    def mousePressEvent(self, event: QMouseEvent) -> None:
        if event.button() != Qt.MouseButton.LeftButton:
            super().mousePressEvent(event)
            return
        x, y = self.widget_to_back(event.position())
        self._keys.clicked(self.geometry_model.zone_at(x, y))
        self._focus_changed()
        self.click_back(x, y)
        event.accept()

    # ------------------------------------------------------------------ internals

    def _load_step(self) -> None:
        idx = self._step_index
        trails = Trails([])
        self._ensure_layout()
        self._motif_scale = motif_scale(self._layout.scale)
        plan = self._plan
        if idx is not None and plan is not None:  # a step is current only on a plan
            if idx not in self._step_trails:
                step = self.steps()[idx]
                applying = [nt.area for nt in plan.no_touch if nt.applies_to(step.technique)]
                self._step_trails[idx] = self._strokes.get(step, self.geometry_model, applying,
                                                           self._motif_scale)
            trails = self._step_trails[idx]
        self._trails = trails
        self._invalidate_scene(data=True)
        self._sync_animation()

    def _sync_animation(self) -> None:
        self._clock.sync(self.isVisible() and self._trails.count > 0, self.ANIMATION_MS)

    def _trail_length(self) -> float:
        return trail_length(self._trails.paths, self._motif_scale)

    def _update_moving(self) -> None:
        """Repaint only where trails were and are now (one rectangle, or bands: repaint_region)."""
        if not self._trails.count or self._cache.scene is None:
            self._prev_boxes = None
            self.update()
            return
        dev = self._trail_boxes()
        both = dev if self._prev_boxes is None else np.vstack([dev, self._prev_boxes])
        self._prev_boxes = dev
        self._last_region = repaint_region(both, self._trails.segments, self.devicePixelRatioF())
        self.update(self._last_region)

    def _trail_boxes(self) -> np.ndarray:
        """Widget-pixel boxes round the trails at the current phase (padded by TRAIL_PAD)."""
        lay = self._layout
        placed = self._trails.has_glyph_places()
        return device_boxes(self._trails, self._clock.phase, self._trail_length(),
                            self.TRAIL_PAD, (lay.scale, lay.ox, lay.oy),
                            self._style.glyph_box(placed), placed)

    def _invalidate_scene(self, data: bool = False) -> None:
        if data:
            self._map_scene = None
        self._cache.invalidate()
        self._prev_boxes = None
        self.update()

    # -------------------------------------------------------------------- layout, caches

    def _ensure_composite(self) -> QPixmap:
        cache = self._cache
        if cache.scene is None:
            self._ensure_layout()
            cache.render_scene(self._context(), (self.width(), self.height()),
                               self.devicePixelRatioF(), self._transform)
            self._style = trail_style(self._trails.paths, self._layout.scale,
                                      self.devicePixelRatioF(), self.HAND_GLYPHS)
            self._keep_clear()
        composite = cache.composite
        if composite is None:
            focus = self._keys.drawn()
            composite = cache.render_composite(self._transform, self._hover, self._selected,
                                               focus, focus is not None)
            if self._keep is not None:
                self._cover.update(composite, self._keep, self._transform)
        return composite

    def _keep_clear(self) -> None:
        """The glyphs' places and the cover's shapes for the scene just drawn (bodymap's
        safety rule H35: keep_clear.py)."""
        ctx = self._cache.drawn
        if not self.KEEP_CLEAR or ctx is None or self._step_index is None:
            self._keep = None
            self._cover.clear()
            self._trails.set_glyph_places(None)
            return
        self._keep = keep_clear(self.scene(), self.geometry_model, ctx.text_rects,
                                self._layout.scale, self._trails, self._style.glyph_px)

    def _context(self) -> Context:
        lay = self._layout
        opts = self._options
        opts.min_label_pt, opts.min_legend_pt = self.MIN_LABEL_PT, self.MIN_LEGEND_PT
        opts.legend = LegendBox(lay.legend_w, lay.legend_k) if self.legend_shown() else None
        return Context(self.scene(), self.geometry_model,
                       self._cache.paths_for(self.geometry_model), scale=lay.scale,
                       px_per_pt=self._px_per_pt(), cosmetic=True, options=opts,
                       dpr=self.devicePixelRatioF(),
                       strokes=self._trails.paths, glow_cache=self._cache.glow,
                       legend_cache=self._cache.legend, sprites=self._cache.sprites)
