"""Where the back and the legend lie in the map widget, the coordinates between them, and
what lies at a place (hit-test).

:func:`fit_layout` fits the back (600 x 900 back units) and the legend column to a widget,
aspect kept; :class:`MapLayoutMixin` gives :class:`~bodymap.widgets.map.view.BodyMapView`
its coordinate and text-place API (``back_to_widget``, ``legend_rect``, ``text_rects``, ...).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import shapely
from PySide6.QtCore import QPointF, QRectF
from PySide6.QtGui import QPixmap, QTransform
from PySide6.QtWidgets import QWidget

from bodymap.vocabulary import side_of

if TYPE_CHECKING:
    from shapely.geometry.base import BaseGeometry

    from bodymap.geometry import BackGeometry
    from bodymap.plan_types import NoTouch
    from bodymap.widgets.map.screen import ScreenLayers

    _Widget = QWidget
else:
    _Widget = object

__all__ = ["FitLayout", "MapLayoutMixin", "click_action", "fit_layout"]


@dataclass(frozen=True)
class FitLayout:
    scale: float
    ox: float
    oy: float
    legend_shown: bool  # the legend fits at this size (or was not asked for)
    legend_w: float  # back units (wider when the map is small)
    legend_k: float  # legend text scale (>= 1 keeps it at MIN_LEGEND_PT)


def fit_layout(w: int, h: int, legend: bool, px_per_pt: float, view: MapLayoutMixin
               ) -> FitLayout:
    """Fit the back and the legend column to a w x h widget (aspect kept).

    The legend's text keeps at least MIN_LEGEND_PT: on a small map its column gets that many
    device pixels and the back the rest; when the back would shrink below MIN_BACK_SHARE of
    what it could be alone, the legend is left out.
    """
    bw, bh = view.BACK_W, view.BACK_H
    alone = min(w / bw, h / bh)
    shown, legend_w, k = legend, view.LEGEND_W, 1.0
    s = min(w / (bw + legend_w), h / bh) if shown else alone
    least = view.MIN_LEGEND_PT * px_per_pt / view.LEGEND_FONT
    if shown and s < least:
        column = view.LEGEND_W * least  # device pixels
        s = min((w - column) / bw, h / bh)
        if s < view.MIN_BACK_SHARE * alone:
            shown, s = False, alone
        else:
            legend_w, k = column / s, least / s
    ww = bw + (legend_w if shown else 0.0)
    return FitLayout(s, (w - ww * s) / 2.0, (h - bh * s) / 2.0, shown or not legend, legend_w, k)


def click_action(geo: BackGeometry, midline: float, mode: str | None, x: float, y: float,
                 half: str | None = None) -> tuple[str, tuple[Any, ...]] | None:
    """What a click at back point (x, y) does in marking ``mode`` (None: not marking), as
    (what, its arguments): ``("hernia", (level, side))``, ``("pain", (x, y))``,
    ``("lesion", (zone,))``, ``("select", (zone,))``, or None. The keyboard gives the
    ``half`` it acts on (a hernia then goes to that half's side)."""
    zone = half or geo.zone_at(x, y)
    on_back = half is not None or "outline" in geo.features_at(x, y)
    if mode == "hernia" and on_back:
        side = geo.regions[half].side if half else side_of(x, midline)
        return "hernia", (geo.nearest_level(y), side)
    if mode == "pain" and on_back:
        return "pain", (x, y)
    if mode == "lesion" and zone:
        return "lesion", (zone,)
    if mode is None and zone:
        return "select", (zone,)
    return None


class MapLayoutMixin(_Widget):
    """The layout part of the map view: fitted on demand, per size, legend and DPI (listed
    before the QWidget). The view's class sets the sizes below (back units and points)."""

    BACK_W: float
    BACK_H: float
    LEGEND_W: float
    LEGEND_FONT: float
    MIN_LEGEND_PT: float
    MIN_BACK_SHARE: float
    _layout: FitLayout
    _layout_key: tuple[int, int, bool, float, float] | None
    _transform: QTransform
    _legend: bool
    _cache: ScreenLayers
    _no_touch_prepared: list[tuple[NoTouch, BaseGeometry]]

    if TYPE_CHECKING:
        @property
        def geometry_model(self) -> BackGeometry: ...
        def _ensure_composite(self) -> QPixmap: ...

    def legend_shown(self) -> bool:
        """Whether the legend is drawn (asked for, and the map is large enough to hold it)."""
        self._ensure_layout()
        return self._legend and self._layout.legend_shown

    def legend_rect(self) -> QRectF:
        """Where the legend column lies, in widget coordinates (empty when it is not shown)."""
        if not self.legend_shown():
            return QRectF()
        lay = self._layout
        s = lay.scale
        return QRectF(lay.ox + self.BACK_W * s, lay.oy, lay.legend_w * s, self.BACK_H * s)

    def drawn_texts(self) -> list[str]:
        """Every text the static scene shows (labels, legend), as last drawn."""
        self._ensure_composite()
        drawn = self._cache.drawn
        return list(drawn.drawn_texts) if drawn else []

    def text_rects(self) -> dict[str, QRectF]:
        """Widget rectangles of the texts on the back (``side-left``, ``landmark-C7``, ...)."""
        self._ensure_composite()
        lay = self._layout
        s, ox, oy = lay.scale, lay.ox, lay.oy
        rects = self._cache.drawn.text_rects if self._cache.drawn else {}
        return {
            k: QRectF(ox + r.x() * s, oy + r.y() * s, r.width() * s, r.height() * s)
            for k, r in rects.items()
        }

    def back_to_widget(self, x: float, y: float) -> QPointF:
        self._ensure_layout()
        lay = self._layout
        return QPointF(lay.ox + x * lay.scale, lay.oy + y * lay.scale)

    def widget_to_back(self, pos: QPointF) -> tuple[float, float]:
        self._ensure_layout()
        lay = self._layout
        return (pos.x() - lay.ox) / lay.scale, (pos.y() - lay.oy) / lay.scale

    def _px_per_pt(self) -> float:
        return max(72.0, float(self.logicalDpiY())) / 72.0

    def _ensure_layout(self) -> None:
        w, h = max(1, self.width()), max(1, self.height())
        key = (w, h, self._legend, self._px_per_pt(), self.MIN_LEGEND_PT)
        if key == self._layout_key:
            return
        self._layout_key = key
        self._layout = lay = fit_layout(w, h, self._legend, self._px_per_pt(), self)
        self._transform = QTransform(lay.scale, 0, 0, lay.scale, lay.ox, lay.oy)

    def hit_test(self, pos: QPointF) -> tuple[str, ...]:
        """Ids under a widget position, most specific first: no-touch entries, then features."""
        return self.features_at_back(*self.widget_to_back(pos))

    def features_at_back(self, x: float, y: float) -> tuple[str, ...]:
        """Ids at a place of the back, most specific first (see :meth:`hit_test`)."""
        feats = self.geometry_model.features_at(x, y)
        if not feats:
            return ()
        extra = [
            nt.id for nt, area in self._no_touch_prepared
            if nt.id != "spine" and shapely.contains_xy(area, x, y)
        ]
        return (*extra, *feats)
