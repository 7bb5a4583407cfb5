"""What every layer needs to paint a scene: pens for the target, words, fonts and text.

The same layers paint the screen and the handout; a :class:`Context` says how. On the
screen pens are *cosmetic* (stroked in device pixels, several times faster than pens under a
scaling transform) and as wide as ``width`` back units at the current scale; on paper they
are plain pens ``width`` back units wide, so a PDF keeps them as vectors at any zoom.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QPainter, QPainterPath, QPen
from shapely.geometry.base import BaseGeometry

from bodymap import i18n
from bodymap.i18n import tr
from bodymap.map_scene import MapScene
from bodymap.widgets import map_style as S  # noqa: N812
from bodymap.widgets.map.qtgeom import qpath

if TYPE_CHECKING:
    from bodymap.geometry import BackGeometry
    from bodymap.strokes import StrokePath
    from bodymap.widgets.map.layers import GlowCache
    from bodymap.widgets.map.legend import LegendCache
    from bodymap.widgets.map.sprites import SpriteCache

__all__ = ["Context", "LegendBox", "MapOptions", "Paths"]

#: wrapped paragraphs' heights, per text, font and width (the legend measures every
#: paragraph, then draws it, on every plan and step)
_PARA_HEIGHTS: dict[tuple[object, ...], float] = {}
_PARA_HEIGHTS_MAX = 4096


@dataclass(frozen=True)
class LegendBox:
    """The legend column right of the back: its width (back units) and text scale (>= 1)."""

    width: float
    k: float = 1.0


@dataclass
class MapOptions:
    """How to word and lay out the map (the scene says what it shows)."""

    lang: str | None = None  # None: the interface's current language
    plain_words: bool = False  # patient-facing words (presentation, handout)
    mark_mode: str | None = None  # the marking mode's banner on top
    step_caption: bool = True  # the current step's caption in the legend
    side_labels: bool = True
    legend: LegendBox | None = None  # None: no legend column
    min_label_pt: float = 8.0
    min_legend_pt: float = 9.0
    font_family: str | None = None


class Paths:
    """QPainterPaths of the geometry's regions and of plan areas, built once each."""

    def __init__(self, geometry: BackGeometry) -> None:
        self.geometry = geometry
        self._regions: dict[str, QPainterPath] = {}
        self._areas: dict[int, tuple[BaseGeometry, QPainterPath]] = {}
        self._points: tuple[tuple[str, ...], list[tuple[float, float]]] | None = None
        #: layouts that depend on the geometry, the size and the fonts only (a few kept)
        self.memo: dict[tuple[object, ...], Any] = _Memo(8)

    def region(self, rid: str) -> QPainterPath:
        path = self._regions.get(rid)
        if path is None:
            geo = self.geometry
            path = qpath(geo.polygon(rid)) if rid in geo.regions else QPainterPath()
            self._regions[rid] = path
        return path

    def representative_points(self, region_ids: Iterable[str]) -> list[tuple[float, float]]:
        """Each region's ``representative_point()`` (where tests and hover look for it)."""
        key = tuple(region_ids)
        if self._points is None or self._points[0] != key:
            pts = [self.geometry.polygon(r).representative_point() for r in key]
            self._points = (key, [(pt.x, pt.y) for pt in pts])
        return self._points[1]

    def area(self, geom: BaseGeometry) -> QPainterPath:
        """The path of a plan's area (no-touch, role, kidneys), kept while the area lives."""
        hit = self._areas.get(id(geom))
        if hit is not None and hit[0] is geom:
            return hit[1]
        if len(self._areas) > 64:
            self._areas.clear()
        path = qpath(geom)
        self._areas[id(geom)] = (geom, path)
        return path


class _Memo(dict[tuple[object, ...], Any]):
    """A dict that forgets everything once it holds more than ``size`` entries."""

    def __init__(self, size: int) -> None:
        super().__init__()
        self.size = size

    def __setitem__(self, key: tuple[object, ...], value: Any) -> None:
        if len(self) >= self.size:
            self.clear()
        super().__setitem__(key, value)


@dataclass
class Context:
    """One paint of one scene: the target's scale and pens, the words, what was drawn."""

    scene: MapScene
    geometry: BackGeometry
    paths: Paths
    scale: float  # device units per back unit
    px_per_pt: float  # device units per typographic point
    cosmetic: bool  # screen pens (see the module docstring)
    options: MapOptions = field(default_factory=MapOptions)
    strokes: Sequence[StrokePath] = ()  # the current step's stroke paths (guides, legend)
    glow_cache: GlowCache | None = None  # the screen's glow pixmaps
    #: the screen's device pixel ratio: cosmetic pens are in device pixels, so they are this
    #: many times wider to keep their weight at a ratio of 2 (``scale`` stays in logical units)
    dpr: float = 1.0
    legend_cache: LegendCache | None = None  # the screen's legend pixmaps
    sprites: SpriteCache | None = None  # the screen's rasterised parts
    text_rects: dict[str, QRectF] = field(default_factory=dict)  # back units
    drawn_texts: list[str] = field(default_factory=list)
    #: the application font all text starts from (QFont()): part of every text cache's key
    font_key: str = field(init=False, default="")

    def __post_init__(self) -> None:
        self.font_key = QFont().key()

    # -- pens

    def pen(self, colour: QColor | str, width: float = 1.0,
            style: Qt.PenStyle = Qt.PenStyle.SolidLine) -> QPen:
        """A pen ``width`` back units wide (at least 0.8 device pixels on the screen)."""
        if self.cosmetic:
            pen = QPen(QColor(colour), max(0.8, width * self.scale) * self.dpr, style,
                       Qt.PenCapStyle.RoundCap, Qt.PenJoinStyle.RoundJoin)
            pen.setCosmetic(True)
            return pen
        return QPen(QColor(colour), width, style, Qt.PenCapStyle.RoundCap,
                    Qt.PenJoinStyle.RoundJoin)

    # -- words

    def tr(self, key: str, **fields: object) -> str:
        return tr(key, self.options.lang, **fields)

    def words(self, key: str, **fields: object) -> str:
        """``tr(key)``, or its ``plainmap.`` twin when plain words are on and one exists."""
        if self.options.plain_words and f"plainmap.{key}" in i18n.strings():
            return tr(f"plainmap.{key}", self.options.lang, **fields)
        return tr(key, self.options.lang, **fields)

    def pick(self, texts: Mapping[str, str]) -> str:
        return i18n.pick(texts, self.options.lang)

    # -- text

    def min_scale(self, size: float, points: float) -> float:
        """Factor (>= 1) for text of ``size`` back units to be at least ``points`` large."""
        return max(1.0, points * self.px_per_pt / (size * self.scale))

    def font(self, size: float, bold: bool = False) -> QFont:
        f = QFont(self.options.font_family) if self.options.font_family else QFont()
        f.setPixelSize(max(1, round(size)))
        f.setBold(bold)
        return f

    def para(self, p: QPainter, x: float, y: float, w: float, text: str, size: float,
             bold: bool = False, colour: str = S.TEXT) -> float:
        """Draw wrapped text at (x, y); returns the y below it."""
        self.drawn_texts.append(text)
        font = self.font(size, bold)
        flags = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop | Qt.TextFlag.TextWordWrap
        key = (text, font.pixelSize(), bold, self.options.font_family, self.font_key, w)
        height = _PARA_HEIGHTS.get(key)
        if height is None:  # laying the text out is what costs: once per text, size, width
            height = QFontMetricsF(font).boundingRect(QRectF(x, y, w, 1000), flags,
                                                      text).height()
            if len(_PARA_HEIGHTS) >= _PARA_HEIGHTS_MAX:
                _PARA_HEIGHTS.clear()
            _PARA_HEIGHTS[key] = height
        p.setFont(font)
        p.setPen(QColor(colour))
        p.drawText(QRectF(x, y, w, height + 2), flags, text)
        return y + height

    def text(self, p: QPainter, rect: QRectF, text: str, size: float, bold: bool = False,
             align: Qt.AlignmentFlag = Qt.AlignmentFlag.AlignLeft, colour: str = S.TEXT,
             halo: bool = False) -> QRectF:
        """Draw ``text`` in ``rect`` (never clipped: it may spill, callers size the rect);
        returns the rectangle the text covers."""
        self.drawn_texts.append(text)
        font = self.font(size, bold)
        p.setFont(font)
        flags = align | Qt.TextFlag.TextDontClip
        if halo:
            p.setPen(QColor(255, 255, 255, 210))
            d = max(0.8, 1.1 / self.scale)  # about one device pixel
            for dx, dy in ((-d, 0), (d, 0), (0, -d), (0, d)):
                p.drawText(rect.translated(dx, dy), flags, text)
        p.setPen(QColor(colour))
        p.drawText(rect, flags, text)
        return QFontMetricsF(font).boundingRect(rect, flags, text)
