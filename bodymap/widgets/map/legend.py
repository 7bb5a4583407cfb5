"""The legend: one swatch per style the scene uses, and the current step.

:func:`paint_swatch` draws the swatch of a legend row in any rectangle with the map's own
styles; the screen's legend column (:class:`LegendLayer`) and the handout's legend block both
use it, so a swatch always looks like what it explains on the map.
"""

from __future__ import annotations

import math
from collections import OrderedDict
from collections.abc import Mapping
from typing import Any

from PySide6.QtCore import QPointF, QRect, QRectF, Qt
from PySide6.QtGui import QColor, QPainter, QPainterPath, QPen, QPixmap

from bodymap import i18n
from bodymap.map_scene import LegendRow
from bodymap.plan_state import state_words
from bodymap.widgets import map_style as S  # noqa: N812
from bodymap.widgets.glyphs import paint_hand
from bodymap.widgets.map.context import Context
from bodymap.widgets.map.layers import (
    Layer,
    hatch,
    no_entry,
    paint_beyond,
    paint_caution,
    paint_no_touch,
    role_style,
    star,
)

__all__ = ["LegendCache", "LegendLayer", "paint_swatch"]


class _NullPainter:
    """Takes any QPainter call and does nothing: lays text out (with QFontMetricsF) without
    drawing, so the legend can be measured before it is painted."""

    def __getattr__(self, _name: str) -> Any:
        return _noop


def _noop(*_args: Any, **_kwargs: Any) -> None:
    return None


_NULL_PAINTER: Any = _NullPainter()


def paint_swatch(p: QPainter, ctx: Context, row: LegendRow, r: QRectF) -> None:
    """The swatch for ``row`` in ``r`` (back units), drawn as the map draws that style."""
    key, u = row.key, r.height() / 14.0
    if key == "zone":
        p.setPen(ctx.pen(S.ZONE_EDGE, 0.8))
        left, right = f"{row.zone}-left", f"{row.zone}-right"
        p.setBrush(S.zone_colour(left, row.state))
        p.drawRect(QRectF(r.x(), r.y(), r.width() / 2, r.height()))
        p.setBrush(S.zone_colour(right, row.state))
        p.drawRect(QRectF(r.center().x(), r.y(), r.width() / 2, r.height()))
        if row.state == "emphasis":
            p.setPen(ctx.pen(S.GLOW, 2.2))
            p.setBrush(Qt.BrushStyle.NoBrush)
            p.drawRect(r.adjusted(-1, -u, 1, u))
    elif key == "emphasis":
        p.setPen(ctx.pen(S.GLOW, 3.0))
        p.setBrush(QColor("#ffffff"))
        p.drawRect(r.adjusted(1, u, -1, -u))
    elif key == "muted":
        p.setPen(ctx.pen(S.ZONE_EDGE, 0.8))
        p.setBrush(S.zone_colour(f"{row.zone or 'thoracic'}-left", "muted"))
        p.drawRect(r)
    elif key in ("no_touch", "spine"):
        box = QPainterPath()
        if key == "spine":
            box.addRect(QRectF(r.center().x() - r.width() * 0.12, r.y(), r.width() * 0.24,
                               r.height()))
        else:
            box.addRect(r)
        paint_no_touch(p, ctx, box, spacing=4.0 * u)
    elif key in ("kidneys", "kidneys_now", "caution"):
        oval = QPainterPath()
        oval.addEllipse(QRectF(r.center().x() - 8 * u, r.y() - u, 16 * u, 16 * u))
        if key == "kidneys_now":
            paint_no_touch(p, ctx, oval, spacing=4.0 * u)
        elif key == "kidneys" and ctx.scene.plan is None:
            p.setPen(ctx.pen(S.KIDNEY_EDGE, 1.6, Qt.PenStyle.DashLine))
            p.setBrush(Qt.BrushStyle.NoBrush)
            p.drawPath(oval)
        else:
            paint_caution(p, ctx, oval)
    elif key in ("caution_area", "active_area"):
        box = QPainterPath()
        box.addRect(r.adjusted(2 * u, 0, -2 * u, 0))
        if key == "active_area":
            paint_no_touch(p, ctx, box, spacing=4.0 * u)
        else:
            paint_caution(p, ctx, box)
    elif key in ("hernia", "lesion"):
        no_entry(p, ctx, r.center().x(), r.center().y(), 8 * u)
    elif key in ("relax", "strengthen"):
        colour, direction = role_style(key)
        box = QPainterPath()
        box.addRect(r)
        hatch(p, box, QPen(QColor(colour), 1.0), 4.0 * u, direction)
        p.setPen(ctx.pen(colour, 1.6, Qt.PenStyle.DashLine))
        p.setBrush(Qt.BrushStyle.NoBrush)
        p.drawRect(r)
    elif key == "buttock":
        box = QPainterPath()
        box.addRoundedRect(r.adjusted(2 * u, 0, -2 * u, 0), 5 * u, 5 * u)
        paint_beyond(p, ctx, box, spacing=4.0 * u)
    elif key == "pain":
        p.setPen(ctx.pen("white", 1.2))
        p.setBrush(QColor(S.PAIN))
        p.drawPolygon(star(r.center().x(), r.center().y(), 8 * u))


class LegendLayer(Layer):
    """The legend column right of the back, at the text scale that fits its height.

    On the screen (``ctx.legend_cache``) the column is drawn once into a pixmap per
    :meth:`cache_key` and blitted: its text layout costs milliseconds, and a new plan, step or
    language often shows a legend already drawn. On paper it is painted as vectors."""

    name = "legend"
    BACK_W, BACK_H = 600.0, 900.0
    #: the column's left edge for the screen's pixmap (back units): nothing else is drawn
    #: right of it, and the legend's swatches and text start at BACK_W + 5
    LEFT = BACK_W + 2.0

    def paint(self, p: QPainter, ctx: Context) -> None:
        if ctx.options.legend is None:
            return
        if ctx.legend_cache is not None:
            ctx.legend_cache.draw(p, ctx, self)
        else:
            self.paint_vectors(p, ctx)

    @staticmethod
    def cache_key(ctx: Context) -> tuple[object, ...]:
        """Everything the legend column shows, as :meth:`_paint` reads it from the scene, the
        words and the pens: the screen's pixmap is reused while this stays equal (whatever
        :meth:`_paint` comes to read must be added here)."""
        scene, opts = ctx.scene, ctx.options
        step = scene.step
        lead = ctx.strokes[0] if ctx.strokes else None
        return (
            opts.lang or i18n.language(),
            opts.plain_words,
            opts.step_caption,
            opts.legend,
            ctx.font_key,
            id(ctx.geometry),
            scene.status,
            scene.state,
            bool(scene.emphasis),
            scene.plan is None,
            tuple((r.key, r.zone, r.state, _frozen(r.text)) for r in scene.legend),
            None if step is None else (scene.step_index, len(scene.steps),
                                       _frozen(getattr(step, "text", None))),
            None if lead is None else (lead.tempo, lead.motion, lead.pressure, lead.contact),
            ctx.scale,
            ctx.dpr,
            ctx.cosmetic,
        )

    def paint_vectors(self, p: QPainter, ctx: Context) -> None:
        """Measure the legend (nothing drawn), shrink it until it fits, then draw it."""
        box = ctx.options.legend
        assert box is not None
        u = box.k
        limit = self.BACK_H - 8
        drawn = len(ctx.drawn_texts)
        for _ in range(4):  # measure first (nothing drawn), shrink until it fits
            bottom = self._paint(_NULL_PAINTER, ctx, u)
            del ctx.drawn_texts[drawn:]
            if bottom <= limit:
                break
            u *= max(0.5, (limit - 18) / (bottom - 18)) * 0.98
        self._paint(p, ctx, u)

    def _paint(self, p: QPainter, ctx: Context, u: float) -> float:
        """Draw the legend with sizes times ``u``; returns the y below it."""
        scene = ctx.scene
        x0 = self.BACK_W + 6
        box = ctx.options.legend
        assert box is not None  # the legend is painted only when the options give its box
        w = box.width - 10
        y = 18.0
        sw, gap = 26 * u, 34 * u  # swatch width, text indent
        for row in scene.legend:
            key = row.key
            if key == "title":
                y = ctx.para(p, x0, y, w, ctx.words("view.posterior"), 15 * u, bold=True) + 4 * u
                continue
            if key == "status":
                words = state_words(scene.state, "patient" if ctx.options.plain_words
                                    else "legend", ctx.options.lang)
                y = ctx.para(p, x0, y, w, words, 12 * u, bold=True, colour=S.NO_TOUCH) + 6 * u
                continue
            if key == "zones":
                y = ctx.para(p, x0, y, w, ctx.tr("map.legend.zones"), 12 * u, bold=True,
                             colour=S.TEXT_SOFT)
                continue
            if key == "emphasis" or (key == "no_touch" and not scene.emphasis):
                y += 6 * u  # a gap after the zones
            paint_swatch(p, ctx, row, QRectF(x0, y + 2 * u, sw, 14 * u))
            if key == "zone":
                text = ctx.pick(ctx.geometry.regions[row.zone].names)
            elif key in ("relax", "strengthen"):
                text = ctx.words(f"map.legend.{key}")
            elif key in ("caution_area", "active_area"):
                text = ctx.tr(f"map.legend.{key}", text=ctx.pick(row.text))
            else:
                text = ctx.tr(f"map.legend.{key}")
            y = ctx.para(p, x0 + gap, y, w - gap, text, 12 * u, bold=key == "no_touch")
            y += 6 * u if key == "muted" else 3 * u
        return self._step_box(p, ctx, x0, y + 10 * u, w, u)

    def _step_box(self, p: QPainter, ctx: Context, x0: float, y: float, w: float,
                  u: float) -> float:
        scene = ctx.scene
        step, index = scene.step, scene.step_index
        if step is None or index is None:  # a step is shown exactly when it has an index
            return y
        p.setPen(ctx.pen(S.ZONE_EDGE, 0.8))
        p.drawLine(QPointF(x0, y - 4 * u), QPointF(x0 + w, y - 4 * u))
        y = ctx.para(p, x0, y, w, ctx.tr("map.step", n=index + 1,
                                         total=len(scene.steps)), 13 * u, bold=True) + 2 * u
        caption = ctx.pick(step.text) if getattr(step, "text", None) else ""
        if caption and ctx.options.step_caption:
            y = ctx.para(p, x0, y, w, caption, 11.5 * u, colour=S.TEXT) + 4 * u
        if not ctx.strokes:
            return y
        lead = ctx.strokes[0]
        tempo, motion = lead.tempo, lead.motion
        colour = QColor(S.TEMPO_COLOURS[tempo])
        # the hand's glyph, as the trails draw it at each hand
        if isinstance(p, QPainter):  # not while measuring
            paint_hand(p, lead.contact, QRectF(x0, y, 26 * u, 26 * u))
        text = ctx.tr("map.legend.strokes", motion=ctx.tr(f"motion.path.{motion}"),
                      tempo=ctx.tr(f"map.tempo.{tempo}"))
        y = ctx.para(p, x0 + 34 * u, y, w - 34 * u, text, 11.5 * u, colour=colour.name())
        hand = ctx.tr("motion.legend", contact=ctx.tr(f"motion.contact.{lead.contact}"),
                      pressure=ctx.tr(f"motion.pressure.{lead.pressure}"))
        return max(y + 2 * u, ctx.para(p, x0 + 34 * u, y + 2 * u, w - 34 * u, hand, 11 * u,
                                       colour=S.TEXT))


def _frozen(text: Any) -> Any:
    """A hashable stand-in for a text (a mapping of languages, a string or None)."""
    if isinstance(text, Mapping):
        return tuple(sorted(text.items()))
    return text


class LegendCache:
    """The screen's legend column as pixmaps, the few last drawn, keyed on
    :meth:`LegendLayer.cache_key` and on the scene pixmap's size and transform.

    A new legend is painted straight onto the scene pixmap (``target``), then the column
    (from ``LegendLayer.LEFT`` to the column's right edge, top to bottom of the pixmap, where
    nothing else is drawn) is copied out; a legend seen before is blitted there instead.
    Either way the scene gets the same pixels. What the legend drew (``drawn_texts``) is kept
    with it and reported on every use.
    """

    SIZE = 6  #: pixmaps kept (a few conditions or steps back and forth)

    def __init__(self) -> None:
        self._items: OrderedDict[tuple[object, ...], tuple[QPixmap, QRectF, tuple[str, ...]]] = (
            OrderedDict()
        )
        #: the scene pixmap being painted (ScreenLayers.render_scene sets it)
        self.target: QPixmap | None = None
        self.misses = 0  # legends painted (tests)

    def clear(self) -> None:
        self._items.clear()

    def __len__(self) -> int:
        return len(self._items)

    def draw(self, p: QPainter, ctx: Context, layer: LegendLayer) -> None:
        """Put the legend of ``ctx`` onto ``p``, which paints :attr:`target`."""
        target = self.target
        if target is None:
            layer.paint_vectors(p, ctx)
            return
        t = p.worldTransform()
        dpr = target.devicePixelRatio()
        key = (layer.cache_key(ctx), t.m11(), t.dx(), t.dy(), dpr, target.width(),
               target.height())
        hit = self._items.get(key)
        if hit is not None:
            self._items.move_to_end(key)
            pm, at, texts = hit
            ctx.drawn_texts.extend(texts)
            p.save()
            p.resetTransform()
            p.drawPixmap(at, pm, QRectF(pm.rect()))
            p.restore()
            return
        self.misses += 1
        drawn = len(ctx.drawn_texts)
        layer.paint_vectors(p, ctx)
        # the column in device pixels, to its right edge (the legend wraps its text inside)
        box = ctx.options.legend
        assert box is not None  # the legend is painted only when the options give its box
        left = max(0, math.floor((t.dx() + layer.LEFT * t.m11()) * dpr))
        right = math.ceil((t.dx() + (layer.BACK_W + box.width) * t.m11()) * dpr) + 2
        right = min(target.width(), max(right, left + 1))
        column = target.copy(QRect(left, 0, right - left, target.height()))
        at = QRectF(left / dpr, 0.0, column.width() / dpr, column.height() / dpr)
        self._items[key] = (column, at, tuple(ctx.drawn_texts[drawn:]))
        while len(self._items) > self.SIZE:
            self._items.popitem(last=False)
