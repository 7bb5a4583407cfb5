"""The map's layers, one class per concern, each painting part of a :class:`MapScene`.

Every layer paints in back units (the painter's transform maps them to the target) and takes
its pens from the :class:`~bodymap.widgets.map.context.Context`, so the same code draws the
screen's cached pixmaps and the handout's vectors. Order (bottom to top): outline, zones,
glow, body (head, scapulae), roles, no-touch, landmarks, marks, guides, labels; the legend
(``legend.py``) and the moving trails (``trails.py``) come last.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

import numpy as np
from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontMetricsF,
    QPainter,
    QPainterPath,
    QPen,
    QPixmap,
    QPolygonF,
    QTransform,
)

from bodymap import i18n
from bodymap.findings import level_name
from bodymap.widgets import map_style as S  # noqa: N812
from bodymap.widgets.map.context import Context
from bodymap.widgets.map.qtgeom import draw_segments, qpath, qpolygon

if TYPE_CHECKING:
    from shapely.geometry.base import BaseGeometry

__all__ = [
    "BeyondLayer",
    "BodyLayer",
    "GlowCache",
    "GlowLayer",
    "GuidesLayer",
    "LabelsLayer",
    "LandmarksLayer",
    "Layer",
    "MarksLayer",
    "NoTouchLayer",
    "OutlineLayer",
    "RolesLayer",
    "ZonesLayer",
    "hatch",
    "no_entry",
    "paint_beyond",
    "paint_no_touch",
    "star",
]

#: glow around emphasised zones: (width in back units, alpha), widest first
GLOW_PENS = ((11.0, 50), (6.0, 110), (2.2, 255))
#: scoliosis hatching: spacing of the lines (back units), their alpha
ROLE_SPACING, ROLE_ALPHA = 8.0, 120


class Layer:
    """Paints one concern of the scene."""

    name = ""

    def paint(self, p: QPainter, ctx: Context) -> None:
        raise NotImplementedError


# ----------------------------------------------------------------------------- shared marks


def hatch(p: QPainter, path: QPainterPath, pen: QPen, spacing: float,
          direction: str = "diagonal") -> None:
    """Lines inside ``path`` (clipped to it) every ``spacing`` back units: ``diagonal``,
    ``horizontal``, ``vertical`` or ``grid``; all of one direction in one ``drawLines`` call."""
    r = path.boundingRect()
    if r.isEmpty():
        return
    if direction == "diagonal":
        h = r.height()
        xs = np.arange(r.left() - h, r.right() + spacing, spacing)
        pairs = np.empty((2 * len(xs), 2))
        pairs[0::2, 0], pairs[0::2, 1] = xs, r.bottom()
        pairs[1::2, 0], pairs[1::2, 1] = xs + h, r.top()
    else:
        ys = np.arange(r.top() + spacing / 2, r.bottom(), spacing)
        pairs = np.empty((2 * len(ys), 2))
        pairs[0::2, 0], pairs[0::2, 1] = r.left(), ys
        pairs[1::2, 0], pairs[1::2, 1] = r.right(), ys
        if direction in ("grid", "vertical"):
            xs = np.arange(r.left() + spacing / 2, r.right(), spacing)
            cols = np.empty((2 * len(xs), 2))
            cols[0::2, 0], cols[0::2, 1] = xs, r.top()
            cols[1::2, 0], cols[1::2, 1] = xs, r.bottom()
            pairs = cols if direction == "vertical" else np.vstack([pairs, cols])
    p.save()
    p.setClipPath(path, Qt.ClipOperation.IntersectClip)
    p.setPen(pen)
    draw_segments(p, pairs)
    p.restore()


def paint_no_touch(p: QPainter, ctx: Context, path: QPainterPath, spacing: float = 7.0) -> None:
    """Never touch: opaque pink (it reads as "no" over any zone colour), red hatching, red
    outline."""
    p.setPen(Qt.PenStyle.NoPen)
    p.setBrush(S.NO_TOUCH_FILL)
    p.drawPath(path)
    # under the clip a plain pen is far faster than a cosmetic one on the screen
    hatch(p, path, QPen(QColor(S.NO_TOUCH), 1.6), spacing)
    p.setPen(ctx.pen(S.NO_TOUCH, 1.8))
    p.setBrush(Qt.BrushStyle.NoBrush)
    p.drawPath(path)


def paint_caution(p: QPainter, ctx: Context, path: QPainterPath) -> None:
    """Not with the techniques the area names (the kidneys and vibration): dashed amber."""
    p.setPen(ctx.pen(S.CAUTION, 1.6, Qt.PenStyle.DashLine))
    p.setBrush(Qt.BrushStyle.NoBrush)
    p.drawPath(path)


def no_entry(p: QPainter, ctx: Context, x: float, y: float, r: float = 9.0) -> None:
    """A red no-entry sign centred at (x, y)."""
    p.setPen(ctx.pen("white", 1.5))
    p.setBrush(QColor(S.NO_TOUCH))
    p.drawEllipse(QPointF(x, y), r, r)
    p.setPen(Qt.PenStyle.NoPen)
    p.setBrush(QColor("white"))
    p.drawRect(QRectF(x - r * 0.62, y - r * 0.2, r * 1.24, r * 0.4))


def star(x: float, y: float, r: float) -> QPolygonF:
    """A five-pointed star (a pain point)."""
    a = np.arange(10) * math.pi / 5 - math.pi / 2
    rad = np.where(np.arange(10) % 2 == 0, r, r * 0.45)  # alternating outer/inner radius
    return qpolygon(np.column_stack([x + rad * np.cos(a), y + rad * np.sin(a)]))


def role_style(role: str) -> tuple[str, str]:
    """(colour, hatching direction) of a scoliosis role."""
    return (S.RELAX, "horizontal") if role == "relax" else (S.STRENGTHEN, "grid")


# ----------------------------------------------------------------------------------- layers


class OutlineLayer(Layer):
    """The back's skin and outline (the screen caches it per size)."""

    name = "outline"

    def paint(self, p: QPainter, ctx: Context) -> None:
        p.setBrush(QColor(S.SKIN))
        p.setPen(ctx.pen(S.SKIN_EDGE, 2.0))
        p.drawPath(ctx.paths.region("outline"))


class BeyondLayer(Layer):
    """Work the plan names beyond the back's zones (the buttocks for lumbago and sciatica,
    Part 5): a soft brown tint, light vertical lines and a brown outline, under the zones
    (where a buttock overlaps the lumbosacral zone, the zone shows)."""

    name = "beyond"

    def paint(self, p: QPainter, ctx: Context) -> None:
        if ctx.scene.beyond_area is not None:  # one dissolved outline for both buttocks
            paint_beyond(p, ctx, ctx.paths.area(ctx.scene.beyond_area))


def paint_beyond(p: QPainter, ctx: Context, path: QPainterPath, spacing: float = 12.0) -> None:
    """A soft brown tint with a solid outline (one stroke: a dashed one costs several times
    more on the screen) and light vertical lines (no other meaning uses vertical lines)."""
    p.setPen(ctx.pen(S.BEYOND, 1.2))
    p.setBrush(S.BEYOND_FILL)
    p.drawPath(path)
    line = QColor(S.BEYOND)
    line.setAlpha(70)
    pen = QPen(line, 1.0)
    if ctx.cosmetic:  # one-device-pixel lines without antialiasing: several times faster
        pen.setWidthF(ctx.dpr)
        pen.setCosmetic(True)
        p.setRenderHint(QPainter.RenderHint.Antialiasing, False)
    hatch(p, path, pen, spacing, "vertical")
    p.setRenderHint(QPainter.RenderHint.Antialiasing, True)


class ZonesLayer(Layer):
    """The zone halves: plain (no plan), emphasis (stronger tone) or muted (washed out)."""

    name = "zones"

    def paint(self, p: QPainter, ctx: Context) -> None:
        p.setPen(ctx.pen(S.ZONE_EDGE, 0.8))
        for half, state in ctx.scene.states.items():
            p.setBrush(S.zone_colour(half, state))
            p.drawPath(ctx.paths.region(half))


class GlowCache:
    """The screen's glow pixmaps, per emphasis area and device transform."""

    def __init__(self) -> None:
        # key -> (pixmap, place, the area: kept alive while its id is part of a key)
        self._items: dict[tuple[object, ...], tuple[QPixmap, QPointF, object]] = {}

    def clear(self) -> None:
        self._items.clear()

    def get(self, p: QPainter, ctx: Context, geom: BaseGeometry) -> tuple[QPixmap, QPointF]:
        t = p.worldTransform()
        dpr = p.device().devicePixelRatioF()
        key = (id(geom), t.m11(), t.dx(), t.dy(), dpr)
        hit = self._items.get(key)
        if hit is not None:
            return hit[0], hit[1]
        if len(self._items) > 32:
            self._items.clear()
        s, ox, oy = t.m11(), t.dx(), t.dy()
        pad = 8.0
        x0, y0, x1, y1 = geom.bounds
        left, top = math.floor(ox + (x0 - pad) * s), math.floor(oy + (y0 - pad) * s)
        w = math.ceil((x1 - x0 + 2 * pad) * s) + 2
        h = math.ceil((y1 - y0 + 2 * pad) * s) + 2
        pm = QPixmap(max(1, round(w * dpr)), max(1, round(h * dpr)))
        pm.setDevicePixelRatio(dpr)
        pm.fill(Qt.GlobalColor.transparent)
        q = QPainter(pm)
        q.setRenderHint(QPainter.RenderHint.Antialiasing)
        q.setTransform(QTransform(s, 0, 0, s, ox - left, oy - top))
        GlowLayer.stroke(q, ctx, geom)
        q.end()
        self._items[key] = (pm, QPointF(left, top), geom)
        return pm, QPointF(left, top)


class GlowLayer(Layer):
    """A gold glow around the dissolved union of the emphasised zones: one outline, so no
    glow line runs where two emphasised zones meet. Wide soft pens are the slowest thing the
    map draws: the screen caches the glow as a pixmap per area and size."""

    name = "glow"

    @staticmethod
    def stroke(p: QPainter, ctx: Context, geom: BaseGeometry) -> None:
        path = qpath(geom.simplify(0.4))
        p.setBrush(Qt.BrushStyle.NoBrush)
        for width, alpha in GLOW_PENS:
            glow = QColor(S.GLOW)
            glow.setAlpha(alpha)
            p.setPen(ctx.pen(glow, width))
            p.drawPath(path)

    def paint(self, p: QPainter, ctx: Context) -> None:
        geom = ctx.scene.emphasis_area
        if geom is None:
            return
        if ctx.glow_cache is None:
            self.stroke(p, ctx, geom)
            return
        pm, at = ctx.glow_cache.get(p, ctx, geom)
        p.save()
        p.resetTransform()
        p.drawPixmap(at, pm)
        p.restore()


class BodyLayer(Layer):
    """The head (an oval over the neck, as in zones.svg) and the scapulae's outlines."""

    name = "body"

    SCAPULAE = ("scapula-left", "scapula-right")

    def paint(self, p: QPainter, ctx: Context) -> None:
        geo = ctx.geometry
        head = self._head(ctx)
        if ctx.sprites is None:
            self._paint(p, ctx, head)
            return
        boxes = [(head.left(), head.top(), head.right(), head.bottom())]
        boxes += [geo.polygon(rid).bounds for rid in self.SCAPULAE if rid in geo.regions]
        bounds = (min(b[0] for b in boxes), min(b[1] for b in boxes),
                  max(b[2] for b in boxes), max(b[3] for b in boxes))
        ctx.sprites.draw(p, ("body", id(geo), head.x(), head.y()), bounds,
                         lambda q: self._paint(q, ctx, head), keep=geo)

    @staticmethod
    def _head(ctx: Context) -> QRectF:
        _, y0, _, _ = ctx.geometry.bounds
        return QRectF(ctx.scene.midline - 64, y0 - 94, 128, 136)

    def _paint(self, p: QPainter, ctx: Context, head: QRectF) -> None:
        p.setPen(ctx.pen(S.SKIN_EDGE, 1.2))
        p.setBrush(QColor(S.HEAD))
        p.drawEllipse(head)
        p.setBrush(Qt.BrushStyle.NoBrush)  # the zone colour stays visible through them
        p.setPen(ctx.pen(S.SCAPULA_EDGE, 1.3))
        for rid in self.SCAPULAE:
            if rid in ctx.geometry.regions:
                p.drawPath(ctx.paths.region(rid))


class RolesLayer(Layer):
    """Scoliosis: blue lines = relax the concave side, orange grid = strengthen the convex."""

    name = "roles"

    def paint(self, p: QPainter, ctx: Context) -> None:
        for role in ctx.scene.roles:
            colour, direction = role_style(role.role)
            path = ctx.paths.area(role.area)
            c = QColor(colour)
            c.setAlpha(ROLE_ALPHA)
            pen = QPen(c, 1.0)
            if ctx.cosmetic:  # crisp one-pixel lines on the screen, as a pattern brush draws
                pen.setWidthF(ctx.dpr)
                pen.setCosmetic(True)
                p.setRenderHint(QPainter.RenderHint.Antialiasing, False)
            hatch(p, path, pen, ROLE_SPACING, direction)
            p.setRenderHint(QPainter.RenderHint.Antialiasing, True)
            p.setPen(ctx.pen(colour, 2.4, Qt.PenStyle.DashLine))
            p.setBrush(Qt.BrushStyle.NoBrush)
            p.drawPath(path)


class NoTouchLayer(Layer):
    """The kidneys (dashed; hatched red while vibration is current), the spine (always
    hatched red), the plan's no-touch areas (red) and technique-specific ones (dashed)."""

    name = "no-touch"

    def paint(self, p: QPainter, ctx: Context) -> None:
        scene, paths, geo = ctx.scene, ctx.paths, ctx.geometry
        # the kidneys in one of three styles and the spine: the same on every plan
        kidneys = geo.kidney_area()
        spine = geo.polygon("spine")
        if ctx.sprites is None:
            self._kidneys(p, ctx, kidneys)
            self._spine(p, ctx)
        else:
            ctx.sprites.draw(p, ("kidneys", id(kidneys), scene.kidneys), kidneys.bounds,
                             lambda q: self._kidneys(q, ctx, kidneys), keep=kidneys)
            ctx.sprites.draw(p, ("spine", id(spine)), spine.bounds,
                             lambda q: self._spine(q, ctx), keep=spine)
        for area in scene.active:
            paint_no_touch(p, ctx, paths.area(area.area))
        for area in scene.caution:
            paint_caution(p, ctx, paths.area(area.area))

    @staticmethod
    def _kidneys(p: QPainter, ctx: Context, area: BaseGeometry) -> None:
        kidneys = ctx.paths.area(area)
        if ctx.scene.kidneys == "no-touch":
            paint_no_touch(p, ctx, kidneys)
        else:
            edge = S.KIDNEY_EDGE if ctx.scene.kidneys == "outline" else S.CAUTION
            p.setPen(ctx.pen(edge, 1.6, Qt.PenStyle.DashLine))
            p.setBrush(Qt.BrushStyle.NoBrush)
            p.drawPath(kidneys)

    @staticmethod
    def _spine(p: QPainter, ctx: Context) -> None:
        spine = ctx.paths.region("spine")
        p.setPen(Qt.PenStyle.NoPen)
        p.setBrush(QColor(S.SPINE_FILL))
        p.drawPath(spine)
        paint_no_touch(p, ctx, spine, spacing=5.0)


class LandmarksLayer(Layer):
    """Dots on the spine and names beside it on small light tags. Names that would touch a
    neighbour at this size are left out, the larger C7/T12/L5 kept first; so are names whose
    tag would cover a zone half's representative point (on a small map the minimum text
    size makes tags wide: the zone's colour stays visible where screen, print and tests look
    for it; hover still names every place). No sign closes the spine's line: a no-entry sign
    on the map always means a hernia site or a lesion, as the legend says."""

    name = "landmarks"

    def paint(self, p: QPainter, ctx: Context) -> None:
        marks = ctx.scene.landmarks
        p.setPen(Qt.PenStyle.NoPen)
        p.setBrush(QColor(S.LANDMARK))
        for m in marks:
            r = 2.8 if m.big else 2.0
            p.drawEllipse(QPointF(m.x, m.y), r, r)
        k, tags = self.tags(ctx)
        tag = QColor(255, 255, 255, 215)
        for name, rect, font in tags:
            ctx.text_rects[f"landmark-{name}"] = rect
            p.setPen(Qt.PenStyle.NoPen)
            p.setBrush(tag)
            p.drawRoundedRect(rect, 2.5 * k, 2.5 * k)
            p.setFont(font)
            p.setPen(QColor(S.LANDMARK))
            text = level_name(name, ctx.options.lang or i18n.language())  # Th12 in Russian
            p.drawText(rect, Qt.AlignmentFlag.AlignCenter, text)
            ctx.drawn_texts.append(text)

    @staticmethod
    def tags(ctx: Context) -> tuple[float, list[tuple[str, QRectF, QFont]]]:
        """(text scale, [(landmark id, tag rectangle, font)]) of the names drawn, each as the
        language writes it (``T12``; ``Th12`` in Russian): measuring them is
        most of this layer's cost, and depends only on the size, the fonts and the places
        kept clear, so it is kept with the paths (``Paths.memo``)."""
        geo = ctx.geometry
        marks = ctx.scene.landmarks
        k = ctx.min_scale(8.0, ctx.options.min_label_pt)
        clear_of = ctx.paths.representative_points(ctx.scene.states)
        margin = 3.0 / ctx.scale  # three device pixels
        lang = ctx.options.lang or i18n.language()  # the names depend on it (Th12 in Russian)
        key = ("landmark-tags", tuple(marks), tuple(clear_of), k, margin, ctx.font_key,
               ctx.options.font_family, lang)
        hit: tuple[float, list[tuple[str, QRectF, QFont]]] | None = ctx.paths.memo.get(key)
        if hit is not None:
            return hit
        maxx = geo.spine_strip().bounds[2]
        keep_clear = [QPointF(*xy) for xy in clear_of]
        placed: list[QRectF] = []
        tags: list[tuple[str, QRectF, QFont]] = []
        for m in sorted(marks, key=lambda m: not m.big):  # stable: big first, then in order
            font = ctx.font((10.0 if m.big else 8.0) * k, bold=m.big)
            fm = QFontMetricsF(font)
            pad = 1.5 * k
            name = level_name(m.name, lang)  # Th12 in Russian
            w, h = fm.horizontalAdvance(name) + 2 * pad, fm.height()
            rect = QRectF(maxx + 2.0, m.y - h / 2, w, h)
            clear = rect.adjusted(-margin, -margin, margin, margin)  # antialiased edges
            if any(rect.adjusted(0, -1, 0, 1).intersects(r) for r in placed) or any(
                    clear.contains(pt) for pt in keep_clear):
                continue
            placed.append(rect)
            tags.append((m.name, rect, font))
        ctx.paths.memo[key] = (k, tags)
        return k, tags


class MarksLayer(Layer):
    """No-entry signs at a hernia site (with its level) and on lesions; pain points' stars."""

    name = "marks"

    def paint(self, p: QPainter, ctx: Context) -> None:
        k = ctx.min_scale(12.0, ctx.options.min_label_pt)
        for m in ctx.scene.marks:
            if m.kind == "hernia":
                no_entry(p, ctx, m.x, m.y)
                label = ctx.tr("map.mark.hernia", level=level_name(m.label, ctx.options.lang))
                fm = QFontMetricsF(ctx.font(12 * k, bold=True))
                w, h = fm.horizontalAdvance(label) + 4, fm.height()
                left = m.side == "left"
                x = max(4.0, m.x - 12 - w) if left else min(m.x + 12, 600.0 - 4 - w)
                rect = QRectF(x, m.y - h / 2, w, h)
                ctx.text_rects["hernia"] = rect
                ctx.text(p, rect, label, 12 * k, bold=True, align=Qt.AlignmentFlag.AlignCenter,
                         colour=S.NO_TOUCH, halo=True)
            elif m.kind == "lesion":
                no_entry(p, ctx, m.x, m.y, 11.0)
            elif m.kind == "pain":
                p.setPen(ctx.pen("white", 1.5))
                p.setBrush(QColor(S.PAIN))
                p.drawPolygon(star(m.x, m.y, 8.0))


class GuidesLayer(Layer):
    """The current step's base paths: faint dashed lines with an arrow head at the end."""

    name = "guides"

    def paint(self, p: QPainter, ctx: Context) -> None:
        if not ctx.strokes:
            return
        if ctx.sprites is None:
            self._paint(p, ctx)
            return
        points = np.vstack([path.guide for path in ctx.strokes])
        (x0, y0), (x1, y1) = points.min(axis=0) - 9.0, points.max(axis=0) + 9.0  # heads
        strokes = ctx.strokes
        ctx.sprites.draw(p, ("guides", id(strokes), strokes[0].tempo), (x0, y0, x1, y1),
                         lambda q: self._paint(q, ctx), keep=strokes)

    def _paint(self, p: QPainter, ctx: Context) -> None:
        tempo = ctx.strokes[0].tempo
        colour = QColor(S.TEMPO_COLOURS.get(tempo, S.TEMPO_COLOURS["moderate"]))
        colour.setAlpha(120)
        pen = QPen(colour, 1.2, Qt.PenStyle.DashLine)
        if ctx.cosmetic:  # the same dashes (they scale with the width), stroked several times
            pen.setWidthF(1.2 * ctx.scale * ctx.dpr)  # faster in device pixels
            pen.setCosmetic(True)
        p.setPen(pen)
        p.setBrush(Qt.BrushStyle.NoBrush)
        seen: set[int] = set()
        heads = []
        for path in ctx.strokes:
            if id(path.guide) in seen:
                continue
            seen.add(id(path.guide))
            g = path.guide
            p.drawPolyline(qpolygon(g))
            if len(g) >= 2:
                tip = g[-1]
                d = tip - g[max(0, len(g) - 1 - 4)]
                d = d / (math.hypot(*d) or 1.0)
                nrm = np.array([-d[1], d[0]])
                heads.append(np.array([tip - d * 8 + nrm * 4.5, tip, tip - d * 8 - nrm * 4.5]))
        colour.setAlpha(200)
        p.setPen(Qt.PenStyle.NoPen)
        p.setBrush(colour)
        for h in heads:
            p.drawPolygon(qpolygon(h))


class LabelsLayer(Layer):
    """'Patient's left / right' beside the head, above the shoulders (wrapped when the map
    is small); the marking mode's hint on a banner on top; the scoliosis roles' names on the
    hips, each under its side."""

    name = "labels"
    #: boxes (back units) for the side labels, left and right of the head, and their bottom
    SIDE_BOX = ((4.0, 234.0), (366.0, 596.0))
    SIDE_BOTTOM = 196.0

    def paint(self, p: QPainter, ctx: Context) -> None:
        top = self._mode_banner(p, ctx) if ctx.options.mark_mode else 6.0
        if ctx.options.side_labels:
            self._sides(p, ctx, top)
        k = ctx.min_scale(12.0, ctx.options.min_label_pt)
        for role in ctx.scene.roles:
            colour, _ = role_style(role.role)
            box = QRectF(6, 794, 286, 90) if role.side == "left" else QRectF(308, 794, 286, 90)
            flags = (Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop
                     | Qt.TextFlag.TextWordWrap)
            rect = ctx.text(p, box, ctx.words(f"map.on_map.{role.role}"), 12 * k, bold=True,
                            align=flags, colour=colour, halo=True)
            ctx.text_rects[f"role-{role.role}"] = rect

    def _mode_banner(self, p: QPainter, ctx: Context) -> float:
        mode = ctx.options.mark_mode
        k = ctx.min_scale(12.0, ctx.options.min_legend_pt)
        flags = Qt.AlignmentFlag.AlignLeft | Qt.TextFlag.TextWordWrap
        box = QRectF(14, 6.0 + 3 * k, 600.0 - 28, 400)
        text = ctx.tr(f"map.mode.{mode}")
        rect = QFontMetricsF(ctx.font(12 * k)).boundingRect(box, flags, text)
        banner = rect.adjusted(-6, -3 * k, 6, 3 * k)
        ctx.text_rects["mode"] = banner
        colour = S.PAIN if mode == "pain" else S.NO_TOUCH
        p.setPen(ctx.pen(colour, 1.2))
        p.setBrush(QColor(255, 255, 255, 230))
        p.drawRoundedRect(banner, 5, 5)
        ctx.text(p, rect, text, 12 * k, align=flags, colour=colour)
        return banner.bottom() + 4

    def _sides(self, p: QPainter, ctx: Context, top: float) -> None:
        k = ctx.min_scale(14.0, ctx.options.min_legend_pt)
        fm = QFontMetricsF(ctx.font(14 * k, bold=True))
        for key, (x0, x1), text, side in (
            ("side-left", self.SIDE_BOX[0], "\u2190\u00a0" + ctx.tr("side.patient_left"),
             Qt.AlignmentFlag.AlignLeft),
            ("side-right", self.SIDE_BOX[1], ctx.tr("side.patient_right") + "\u00a0\u2192",
             Qt.AlignmentFlag.AlignRight),
        ):
            flags = side | Qt.AlignmentFlag.AlignTop | Qt.TextFlag.TextWordWrap
            need = fm.boundingRect(QRectF(x0, 0, x1 - x0, 1000), flags, text)
            y = max(top, self.SIDE_BOTTOM - need.height())
            rect = ctx.text(p, QRectF(x0, y, x1 - x0, need.height() + 2), text, 14 * k,
                            bold=True, align=flags, halo=True)
            ctx.text_rects[key] = rect
