"""The hand glyphs (``assets/hands/<contact>.svg``): the part of the hand on the skin, drawn
once per size into pixmaps for the map's trails, the close-up and the technique sheet.

Each glyph is a plain 48x48 SVG (a browser and Inkscape open it): a white hand with a dark
outline, the part touching the skin in solid dark ink, so it reads over every zone colour and
hatching. Its *anchor* (where the hand meets the skin, in glyph units) is the middle of its
bottom edge.
"""

from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QImage, QPainter, QPixmap
from PySide6.QtSvg import QSvgRenderer

from bodymap.motion import CONTACTS
from bodymap.resources import resource_path

__all__ = ["ANCHOR", "GLYPH_UNITS", "MIN_GLYPH_PX", "glyph_path", "hand_pixmap", "paint_hand"]

#: the glyphs' viewBox (square) and where the hand meets the skin in it
GLYPH_UNITS = 48.0
ANCHOR = (24.0, 46.0)
#: no glyph is drawn smaller than this (legible at 1366x768, issue 19)
MIN_GLYPH_PX = 24

_renderers: dict[str, QSvgRenderer] = {}
_pixmaps: dict[tuple[str, int, float], QPixmap] = {}


def glyph_path(contact: str) -> str:
    """The SVG file of ``contact`` (one of :data:`bodymap.motion.CONTACTS`)."""
    if contact not in CONTACTS:
        raise ValueError(f"unknown contact {contact!r}; expected one of {', '.join(CONTACTS)}")
    return str(resource_path("assets", "hands", f"{contact}.svg"))


def _renderer(contact: str) -> QSvgRenderer:
    renderer = _renderers.get(contact)
    if renderer is None:
        renderer = QSvgRenderer(glyph_path(contact))
        _renderers[contact] = renderer
    return renderer


def paint_hand(painter: QPainter, contact: str, rect: QRectF) -> None:
    """Draw the glyph of ``contact`` into ``rect`` (vectors: print and the sheet)."""
    _renderer(contact).render(painter, rect)


def hand_pixmap(contact: str, px: int, dpr: float = 1.0) -> QPixmap:
    """The glyph ``px`` logical pixels square (at least :data:`MIN_GLYPH_PX`), at ``dpr``;
    drawn once per contact, size and ratio."""
    px = max(MIN_GLYPH_PX, int(px))
    key = (contact, px, float(dpr))
    pixmap = _pixmaps.get(key)
    if pixmap is None:
        side = max(1, round(px * dpr))
        image = QImage(side, side, QImage.Format.Format_ARGB32_Premultiplied)
        image.fill(Qt.GlobalColor.transparent)
        painter = QPainter(image)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        _renderer(contact).render(painter, QRectF(0, 0, side, side))
        painter.end()
        pixmap = QPixmap.fromImage(image)
        pixmap.setDevicePixelRatio(dpr)
        if len(_pixmaps) > 64:
            _pixmaps.clear()
        _pixmaps[key] = pixmap
    return pixmap


def anchor_offset(px: int) -> QPointF:
    """Where to put a ``px`` glyph's top-left corner so that its anchor lands on (0, 0)."""
    px = max(MIN_GLYPH_PX, int(px))
    k = px / GLYPH_UNITS
    return QPointF(-ANCHOR[0] * k, -ANCHOR[1] * k)
