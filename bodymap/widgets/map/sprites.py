"""Parts of the scene kept rasterised between scenes (the screen only): drawn once into a
transparent image, then laid over each new scene that shows them.

Stroking and filling with antialiasing is what a scene costs (the head and scapulae, the
spine's hatching, the kidneys' dashes, the guides' dashes: each a raster pass of its own),
and these parts change far less often than the scene: the spine and the head only with the
size, the kidneys with their style, the guides with the step. A part is drawn with the
scene's own transform into an image as large as the scene (only its rectangle is touched),
so its edges fall on the same device pixels as when drawn straight onto the scene; laying
it over the scene may round a colour channel by one where the part is translucent.

No text is drawn this way: text drawn onto a transparent image loses the subpixel
antialiasing some screens use.
"""

from __future__ import annotations

import math
from collections import OrderedDict
from collections.abc import Callable

from PySide6.QtCore import QPointF, QRect, QRectF, Qt
from PySide6.QtGui import QImage, QPainter, QTransform

__all__ = ["SpriteCache"]


class SpriteCache:
    """Rasterised parts keyed on what they show, for one scene size and transform at a time
    (a new size drops them all), within a memory budget."""

    #: bytes kept: at least this, or the scene's own size this many times
    BUDGET_MIN, BUDGET_SCENES = 8 << 20, 1.5
    #: margin round a part's bounds: its widest pen (back units) and antialiasing (pixels)
    PAD_UNITS, PAD_PX = 3.0, 2

    def __init__(self) -> None:
        # key -> (image, where, the objects the key names by id: kept alive with it)
        self._items: OrderedDict[tuple[object, ...], tuple[QImage, QPointF, object]] = (
            OrderedDict())
        self._frame: tuple[object, ...] | None = None
        self._bytes = 0
        self.misses = 0  # parts drawn (tests)

    def clear(self) -> None:
        self._items.clear()
        self._bytes = 0

    def __len__(self) -> int:
        return len(self._items)

    def draw(self, p: QPainter, key: tuple[object, ...],
             bounds: tuple[float, float, float, float],
             paint: Callable[[QPainter], None], keep: object = None) -> None:
        """Lay the part ``key`` over ``p``, drawing it with ``paint`` first if it is new.

        ``bounds`` (x0, y0, x1, y1, back units) holds everything ``paint`` draws but its pens;
        ``keep``: objects whose ``id()`` is part of ``key``, kept alive with the part.
        """
        t = p.worldTransform()
        device = p.device()
        dpr = device.devicePixelRatioF()
        width, height = device.width(), device.height()
        frame = (t.m11(), t.m22(), t.dx(), t.dy(), dpr, width, height)
        if frame != self._frame:
            self.clear()
            self._frame = frame
        full = (key, int(p.renderHints().value))
        hit = self._items.get(full)
        if hit is None:
            self.misses += 1
            image, at = self._render(p, t, dpr, width, height, bounds, paint)
            hit = (image, at, keep)
            self._items[full] = hit
            self._bytes += image.sizeInBytes()
            budget = max(self.BUDGET_MIN, self.BUDGET_SCENES * width * height * 4)
            while self._bytes > budget and len(self._items) > 1:
                _, (old, _, _) = self._items.popitem(last=False)
                self._bytes -= old.sizeInBytes()
        else:
            self._items.move_to_end(full)
        image, at, _ = hit
        if image.isNull():
            return
        p.save()
        p.resetTransform()
        p.drawImage(at, image)
        p.restore()

    def _render(self, p: QPainter, t: QTransform, dpr: float, width: int, height: int,
                bounds: tuple[float, float, float, float],
                paint: Callable[[QPainter], None]) -> tuple[QImage, QPointF]:
        x0, y0, x1, y1 = bounds
        pad = self.PAD_UNITS
        left = max(0, math.floor((t.dx() + (x0 - pad) * t.m11()) * dpr) - self.PAD_PX)
        top = max(0, math.floor((t.dy() + (y0 - pad) * t.m22()) * dpr) - self.PAD_PX)
        right = min(width, math.ceil((t.dx() + (x1 + pad) * t.m11()) * dpr) + self.PAD_PX)
        bottom = min(height, math.ceil((t.dy() + (y1 + pad) * t.m22()) * dpr) + self.PAD_PX)
        if right <= left or bottom <= top:
            return QImage(), QPointF()
        rect = QRect(left, top, right - left, bottom - top)
        # as large as the scene, so the part's device coordinates are the scene's to the bit;
        # only its rectangle is cleared and painted (the rest of the memory is never touched)
        canvas = QImage(width, height, QImage.Format.Format_ARGB32_Premultiplied)
        canvas.setDevicePixelRatio(dpr)
        q = QPainter(canvas)
        logical = QRectF(left / dpr, top / dpr, rect.width() / dpr, rect.height() / dpr)
        q.setCompositionMode(QPainter.CompositionMode.CompositionMode_Source)
        q.fillRect(logical.adjusted(-1, -1, 1, 1), Qt.GlobalColor.transparent)
        q.setCompositionMode(QPainter.CompositionMode.CompositionMode_SourceOver)
        q.setClipRect(logical)
        q.setRenderHints(p.renderHints())
        q.setTransform(t)
        try:
            paint(q)
        finally:
            q.end()
        return canvas.copy(rect), QPointF(left / dpr, top / dpr)
