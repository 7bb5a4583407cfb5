"""How the moving trails look (the motion language on the map, docs/map.md): their pens and
hand glyph, chosen once per step and size (:func:`trail_style`), and the few calls a frame
makes (:func:`paint_trails`).

Over every zone colour and hatching a trail stays readable: a white halo runs under a dark
stroke in the tempo's colour. Pressure is the stroke's weight and shadow (light: thin, no
shadow; firm; deep: thick with a deeper shadow); the motion's pressed parts (kneading's press,
a strike) are drawn again with a heavier pen; at each head the hand's glyph shows the part of
the hand on the skin.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from PySide6.QtCore import QPointF, Qt
from PySide6.QtGui import QColor, QPainter, QPen, QPixmap, QTransform

from bodymap.motion import FAMILIES
from bodymap.strokes import StrokePath
from bodymap.widgets import map_style as S  # noqa: N812
from bodymap.widgets.glyphs import MIN_GLYPH_PX, anchor_offset, hand_pixmap
from bodymap.widgets.map.trails import Trails

__all__ = ["PRESSURE_PX", "TrailStyle", "motif_scale", "paint_trails", "trail_length",
           "trail_style"]

#: stroke width (device pixels at a scale of one pixel per back unit or less) per pressure,
#: and the shadow's offset: the heavier the hand, the wider the line and the deeper its shadow
PRESSURE_PX = {"light": 2.2, "firm": 3.0, "deep": 4.2}
SHADOW_PX = {"light": 0.0, "firm": 1.5, "deep": 3.0}
#: how much wider a pressed part is drawn, and the halo round the widest line (device pixels)
PRESSED_EXTRA_PX = 2.4
HALO_EXTRA_PX = 4.0
HALO = QColor(255, 255, 255)
SHADOW = QColor(20, 16, 12, 96)
#: the hand glyph's size in back units (never under MIN_GLYPH_PX pixels, nor over GLYPH_MAX_PX)
GLYPH_BACK_UNITS = 24.0
GLYPH_MAX_PX = 36


#: A motion's shape is drawn at least this many widget pixels per back unit of its motif (a
#: small map enlarges the circles, loops and strikes, and spaces its rows to match), in steps
#: of MOTIF_STEP up to MOTIF_MAX times their size.
MOTIF_PX = 1.4
MOTIF_STEP = 0.25
MOTIF_MAX = 3.0


def motif_scale(scale: float) -> float:
    """How much larger than its own size a motion is drawn on a map of ``scale`` widget
    pixels per back unit (computed when the size changes, never per frame)."""
    k = min(MOTIF_MAX, max(1.0, MOTIF_PX / max(scale, 1e-6)))
    return round(k / MOTIF_STEP) * MOTIF_STEP


def trail_length(paths: Sequence[StrokePath], scale: float) -> float:
    """The moving trail behind each hand, in back units along its track: the family's own
    (a loop or two of kneading, a few strikes of tapping) at the motif's ``scale``."""
    return FAMILIES[paths[0].motion].trail * scale if paths else 0.0


@dataclass
class TrailStyle:
    """The pens and glyph of one step's trails at one size (device-pixel cosmetic pens)."""

    core: QPen
    halo: QPen
    pressed: QPen
    shadow: QPen | None
    shadow_px: float
    glyph: QPixmap | None
    glyph_at: QPointF  # the glyph's top-left corner relative to a head (widget pixels)
    glyph_px: int

    def glyph_box(self, placed: bool = False) -> tuple[float, float, float, float] | None:
        """The glyph's box round a head (left, top, right, bottom offsets, widget pixels);
        ``placed``: round its top-left corner instead (a glyph place, ``bodymap.glyph_room``)."""
        if self.glyph is None:
            return None
        if placed:
            px = self.glyph_px
            return (-1.0, -1.0, px + 2.0, px + 2.0)  # a pixel round, and one for rounding
        x, y = self.glyph_at.x(), self.glyph_at.y()
        return (x - 1.0, y - 1.0, x + self.glyph_px + 1.0, y + self.glyph_px + 1.0)


def _pen(colour: QColor, width: float) -> QPen:
    # square caps: a round cap costs the raster engine about three times as much per segment
    # (the whole frame, measured by scripts/bench.py), and a square one closes the notch where
    # two segments meet at an angle as well
    pen = QPen(colour, width, Qt.PenStyle.SolidLine, Qt.PenCapStyle.SquareCap,
               Qt.PenJoinStyle.MiterJoin)
    pen.setCosmetic(True)
    return pen


def trail_style(paths: Sequence[StrokePath], scale: float, dpr: float = 1.0,
                glyphs: bool = True) -> TrailStyle:
    """The style of ``paths`` (one step's) on a map of ``scale`` widget pixels per back unit
    at device pixel ratio ``dpr``."""
    lead = paths[0] if paths else None
    tempo = lead.tempo if lead is not None else "moderate"
    pressure = lead.pressure if lead is not None else "firm"
    colour = QColor(S.TEMPO_COLOURS.get(tempo, S.TEMPO_COLOURS["moderate"]))
    grow = max(1.0, scale) * dpr
    core_px = PRESSURE_PX[pressure] * grow
    pressed_px = core_px + PRESSED_EXTRA_PX * dpr
    has_pressed = any(p.weight is not None and (p.weight == 2).any() for p in paths[:1])
    halo_px = (pressed_px if has_pressed else core_px) + HALO_EXTRA_PX * dpr
    shadow_px = SHADOW_PX[pressure] * dpr
    glyph: QPixmap | None = None
    size = 0
    at = QPointF()
    if glyphs and lead is not None:
        size = int(min(GLYPH_MAX_PX, max(MIN_GLYPH_PX, round(GLYPH_BACK_UNITS * scale))))
        glyph = hand_pixmap(lead.contact, size, dpr)
        at = anchor_offset(size)
    return TrailStyle(
        core=_pen(colour, core_px),
        halo=_pen(HALO, halo_px),
        pressed=_pen(colour.darker(115), pressed_px),
        shadow=_pen(SHADOW, core_px) if shadow_px > 0 else None,
        shadow_px=shadow_px,
        glyph=glyph,
        glyph_at=at,
        glyph_px=size,
    )


def paint_trails(painter: QPainter, trails: Trails, phase: float, trail: float,
                 style: TrailStyle) -> None:
    """The trails at ``phase`` (the painter's transform is the map's, back units to widget):
    shadow, halo, pressed parts and stroke, one ``drawLines`` call each, then the hands."""
    pairs, _heads, pressed = trails.frame(phase, trail)  # the hands: Trails.place_glyphs
    n = len(pairs) // 2
    # the shadow and the halo without antialiasing: a wide antialiased line costs the raster
    # engine several times a plain one (scripts/bench.py), and the stroke drawn over them,
    # antialiased, is what the eye follows
    painter.setRenderHint(QPainter.RenderHint.Antialiasing, False)
    if style.shadow is not None:
        t = painter.transform()
        d = style.shadow_px / max(painter.device().devicePixelRatioF(), 1.0)
        painter.setTransform(t * QTransform.fromTranslate(d, d))
        painter.setPen(style.shadow)
        painter.drawLines(trails.pairs_ptr, n)
        painter.setTransform(t)
    painter.setPen(style.halo)
    painter.drawLines(trails.pairs_ptr, n)
    if len(pressed):  # the pressed parts wider, under the stroke
        painter.setPen(style.pressed)
        painter.drawLines(trails.pressed_ptr, len(pressed) // 2)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setPen(style.core)
    painter.drawLines(trails.pairs_ptr, n)
    if style.glyph is not None:  # every hand in one call, from a buffer of fragments
        t = painter.transform()
        if trails.has_glyph_places():  # each vertex's own place, clear of every no-touch area
            at = (t.m11(), t.dx(), t.dy())
        else:
            at = (t.m11(), t.dx() + style.glyph_at.x(), t.dy() + style.glyph_at.y())
        count = trails.place_glyphs(style.glyph, at)
        painter.resetTransform()
        painter.drawPixmapFragments(trails.fragments_ptr, count, style.glyph)
        painter.setTransform(t)

