"""The one-page patient handout: A4 portrait, as a PDF (text stays text) or a PNG.

One drawing routine paints the page in "dots" (1/300 inch, A4 = 2480 x 3508) on any
QPainter: :class:`QPdfWriter` at 300 dpi for the PDF, a 150 dpi :class:`QImage` (the same
painter scaled by one half) for the PNG, so both have the same layout.

The words come from :mod:`bodymap.handout_text` (pure, tested without Qt). The map is drawn
here as vectors straight from the geometry and ``assets/zones.svg`` in the map's colours
(:mod:`bodymap.widgets.map_style`), so it prints sharply and its text stays selectable;
nothing on the page is rich text, so a patient's name is printed exactly as typed.

Fitting: every text is measured with QFontMetricsF and wrapped. If the page overflows, the
whole page is set a little smaller (down to :data:`MIN_SCALE`); if it still does not fit, the
lower sections are cut at a line ending in "…" and a line says that not everything fits.
It is always exactly one page.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, ClassVar

from PySide6.QtCore import QMarginsF, QPointF, QRectF, Qt
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontDatabase,
    QFontMetricsF,
    QGuiApplication,
    QImage,
    QPageLayout,
    QPageSize,
    QPainter,
    QPainterPath,
    QPdfWriter,
    QPen,
)
from PySide6.QtSvg import QSvgRenderer

from bodymap.errors import BodymapError, UsageError
from bodymap.handout_text import Handout, build_handout
from bodymap.resources import resource_path
from bodymap.vocabulary import MIDLINE_X, side_of
from bodymap.widgets import map_style as ms

__all__ = ["PAGE_SIZE_DOTS", "PNG_DPI", "export_handout", "paint_handout"]

PDF_DPI = 300
PNG_DPI = 150
#: A4 at 300 dpi (210 x 297 mm)
PAGE_W, PAGE_H = 2480, 3508
PAGE_SIZE_DOTS = (PAGE_W, PAGE_H)
MARGIN = 165  # 14 mm
CONTENT_W = PAGE_W - 2 * MARGIN
SCALES = (1.15, 1.1, 1.05, 1.0, 0.95, 0.9, 0.85, 0.8, 0.75, 0.7)
MIN_SCALE = SCALES[-1]
EXTENSIONS = (".pdf", ".png")
FONT_FAMILY = "DejaVu Sans"  # has Cyrillic; any default font is the fallback

_INK = QColor(ms.TEXT)
_SOFT = QColor(ms.TEXT_SOFT)
_RULE = QColor("#d9d3cc")
_NOTE_FILL = QColor("#fff4d6")
_NOTE_BAR = QColor("#d99a00")
_STOP_FILL = QColor("#fdeceb")
_STOP = QColor("#b3261e")
_PHASE_COLOURS = {"introductory": "#b9d6ee", "main": "#7fb3dc", "final": "#c9c1e6"}


# ---------------------------------------------------------------------------------------------
# the public entry point


def export_handout(
    plan: Any,
    path: str | os.PathLike[str],
    *,
    geometry: Any,
    library: Any,
    lang: str = "en",
    patient_name: str = "",
) -> Path:
    """Write the one-page handout for ``plan`` to ``path`` (.pdf or .png); returns the path.

    Raises :class:`UsageError` for an unknown extension or an unwritable place, and
    :class:`BodymapError` if writing fails; the file appears whole or not at all.
    """
    out = Path(path).expanduser()
    kind = out.suffix.lower()
    if kind not in EXTENSIONS:
        raise UsageError(
            f"cannot export to '{out}': unknown file type '{out.suffix or '(none)'}'",
            expected="a file name ending in .pdf or .png",
        )
    if out.is_dir():
        raise UsageError(f"cannot write '{out}': it is a folder", expected="a file name")
    folder = out.parent if str(out.parent) else Path(".")
    if not folder.is_dir():
        why = "is not a folder" if folder.exists() else "does not exist"
        raise UsageError(f"cannot write '{out}': '{folder}' {why}")
    content = build_handout(
        plan, geometry=geometry, library=library, lang=lang, patient_name=patient_name
    )
    _ensure_gui_app()
    try:
        fd, tmp_name = tempfile.mkstemp(prefix=f".{out.stem}-", suffix=kind, dir=folder)
    except OSError as exc:
        raise UsageError(f"cannot write '{out}': {exc.strerror or exc}") from None
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        if kind == ".pdf":
            _write_pdf(tmp, content, plan, geometry)
        else:
            _write_png(tmp, content, plan, geometry)
        os.replace(tmp, out)
    except OSError as exc:
        raise BodymapError(f"cannot write '{out}': {exc.strerror or exc}") from None
    finally:
        with contextlib.suppress(OSError):
            tmp.unlink()
    return out


def _ensure_gui_app() -> None:
    """Fonts need a QGuiApplication; make a headless one if the caller has none."""
    if QGuiApplication.instance() is None:
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
        _APP.append(QGuiApplication(["bodymap-export"]))


_APP: list[QGuiApplication] = []  # keeps an app made here alive for the process


def _write_pdf(path: Path, content: Handout, plan: Any, geometry: Any) -> None:
    writer = QPdfWriter(str(path))
    writer.setResolution(PDF_DPI)
    writer.setPageLayout(
        QPageLayout(
            QPageSize(QPageSize.PageSizeId.A4),
            QPageLayout.Orientation.Portrait,
            QMarginsF(0, 0, 0, 0),
        )
    )
    writer.setTitle(content.title)
    writer.setCreator("bodymap")
    painter = QPainter()
    if not painter.begin(writer):
        raise BodymapError(f"cannot write '{path}': the PDF could not be started")
    try:
        painter.scale(writer.width() / PAGE_W, writer.height() / PAGE_H)
        paint_handout(painter, content, plan, geometry)
    finally:
        painter.end()
    if not path.exists() or path.stat().st_size == 0:
        raise BodymapError(f"cannot write '{path}': the PDF is empty")


def _write_png(path: Path, content: Handout, plan: Any, geometry: Any) -> None:
    w = round(PAGE_W * PNG_DPI / PDF_DPI)
    h = round(PAGE_H * PNG_DPI / PDF_DPI)
    image = QImage(w, h, QImage.Format.Format_RGB32)
    image.fill(QColor("white"))
    dpm = round(PNG_DPI / 0.0254)
    image.setDotsPerMeterX(dpm)
    image.setDotsPerMeterY(dpm)
    painter = QPainter(image)
    try:
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setRenderHint(QPainter.RenderHint.TextAntialiasing)
        painter.scale(w / PAGE_W, h / PAGE_H)
        paint_handout(painter, content, plan, geometry)
    finally:
        painter.end()
    if not image.save(str(path), "PNG"):
        raise BodymapError(f"cannot write '{path}': the image could not be saved")


# ---------------------------------------------------------------------------------------------
# text setting


def _family() -> str:
    return FONT_FAMILY if FONT_FAMILY in QFontDatabase.families() else QFont().family()


@dataclass
class _Type:
    """The page's fonts at one scale (sizes in points, set as 300 dpi pixels)."""

    scale: float
    fonts: dict[str, QFont] = field(default_factory=dict)

    SIZES: ClassVar[dict[str, tuple[float, bool]]] = {  # name: (points, bold)
        "title": (20, True),
        "subtitle": (11.5, False),
        "patient": (11.5, True),
        "note": (11, True),
        "heading": (12.5, True),
        "body": (10, False),
        "bold": (10, True),
        "small": (8, False),
        "tiny": (7, False),
        "map": (8.5, False),
        "banner": (13, True),
    }

    def __post_init__(self) -> None:
        family = _family()
        for name, (pt, bold) in self.SIZES.items():
            f = QFont(family)
            f.setPixelSize(max(8, round(pt * PDF_DPI / 72 * self.scale)))
            f.setBold(bold)
            f.setHintingPreference(QFont.HintingPreference.PreferNoHinting)
            for tag in ("liga", "clig"):  # "fi" stays two letters when copied from the PDF
                f.setFeature(QFont.Tag(tag), 0)
            self.fonts[name] = f

    def font(self, name: str) -> QFont:
        return self.fonts[name]

    def dots(self, value: float) -> float:
        return value * self.scale


def wrap(text: str, font: QFont, width: float) -> list[str]:
    """Break ``text`` into lines no wider than ``width`` (words first, then characters)."""
    fm = QFontMetricsF(font)
    width = max(1.0, width)
    lines: list[str] = []
    for paragraph in text.split("\n"):
        line = ""
        for word in paragraph.split(" "):
            candidate = f"{line} {word}" if line else word
            if fm.horizontalAdvance(candidate) <= width:
                line = candidate
                continue
            if line:
                lines.append(line)
            line = ""
            while fm.horizontalAdvance(word) > width and len(word) > 1:  # one over-long word
                cut = len(word) - 1
                while cut > 1 and fm.horizontalAdvance(word[:cut]) > width:
                    cut -= 1
                lines.append(word[:cut])
                word = word[cut:]
            line = word
        lines.append(line)
    return lines


def elide(text: str, font: QFont, width: float) -> str:
    """``text`` shortened to ``width`` with a trailing "…" (always ends with "…")."""
    fm = QFontMetricsF(font)
    base = text.rstrip(" .,;:…")
    while base and fm.horizontalAdvance(base + "…") > width:
        base = base[:-1]
    return base.rstrip(" .,;:") + "…"


class _Block:
    """Something in a vertical flow: measured for a width, then drawn at (x, y)."""

    splittable = False

    def height(self, width: float) -> float:
        raise NotImplementedError

    def draw(self, painter: QPainter, x: float, y: float, width: float) -> None:
        raise NotImplementedError


class _Para(_Block):
    splittable = True

    def __init__(
        self,
        text: str,
        font: QFont,
        colour: QColor = _INK,
        *,
        indent: float = 0.0,
        bullet: str = "",
        before: float = 0.0,
        max_lines: int | None = None,
        align_right: bool = False,
    ) -> None:
        self.text, self.font, self.colour = text, font, colour
        self.indent, self.bullet, self.before = indent, bullet, before
        self.max_lines, self.align_right = max_lines, align_right
        self._lines: list[str] | None = None
        self._width = -1.0
        self.cut_to: int | None = None  # keep this many lines, the last one elided

    @property
    def line_height(self) -> float:
        return QFontMetricsF(self.font).lineSpacing()

    def lines(self, width: float) -> list[str]:
        if self._lines is None or self._width != width:
            lines = wrap(self.text, self.font, width - self.indent)
            if self.max_lines and len(lines) > self.max_lines:
                lines = lines[: self.max_lines]
                lines[-1] = elide(lines[-1] + " …", self.font, width - self.indent)
            self._lines, self._width = lines, width
        lines = self._lines
        if self.cut_to is not None and self.cut_to < len(lines):
            lines = lines[: self.cut_to]
            if lines:
                lines[-1] = elide(lines[-1], self.font, width - self.indent)
        return lines

    def height(self, width: float) -> float:
        return self.before + len(self.lines(width)) * self.line_height

    def draw(self, painter: QPainter, x: float, y: float, width: float) -> None:
        fm = QFontMetricsF(self.font)
        painter.setFont(self.font)
        painter.setPen(self.colour)
        y += self.before
        if self.bullet:
            painter.drawText(QPointF(x, y + fm.ascent()), self.bullet)
        for line in self.lines(width):
            lx = x + self.indent
            if self.align_right:
                lx = x + width - fm.horizontalAdvance(line)
            painter.drawText(QPointF(lx, y + fm.ascent()), line)
            y += fm.lineSpacing()


class _Space(_Block):
    def __init__(self, dots: float) -> None:
        self.dots = dots

    def height(self, width: float) -> float:
        return self.dots

    def draw(self, painter: QPainter, x: float, y: float, width: float) -> None:
        pass


class _Custom(_Block):
    def __init__(
        self,
        height: Callable[[float], float],
        draw: Callable[[QPainter, float, float, float], None],
    ) -> None:
        self._height, self._draw = height, draw

    def height(self, width: float) -> float:
        return self._height(width)

    def draw(self, painter: QPainter, x: float, y: float, width: float) -> None:
        self._draw(painter, x, y, width)


class _Box(_Block):
    """A flow inside a tinted box with a coloured bar on the left (the note, the stop sign)."""

    def __init__(self, blocks: list[_Block], fill: QColor, bar: QColor, pad: float) -> None:
        self.blocks, self.fill, self.bar, self.pad = blocks, fill, bar, pad

    def inner(self, width: float) -> float:
        return width - 2 * self.pad - self.pad * 0.6

    def height(self, width: float) -> float:
        return flow_height(self.blocks, self.inner(width)) + 2 * self.pad

    def draw(self, painter: QPainter, x: float, y: float, width: float) -> None:
        h = self.height(width)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(self.fill)
        painter.drawRoundedRect(QRectF(x, y, width, h), self.pad * 0.6, self.pad * 0.6)
        painter.setBrush(self.bar)
        painter.drawRect(QRectF(x, y, self.pad * 0.6, h))
        painter.setBrush(Qt.BrushStyle.NoBrush)
        draw_flow(painter, self.blocks, x + self.pad * 1.6, y + self.pad, self.inner(width))


def flow_height(blocks: Sequence[_Block], width: float) -> float:
    return sum(b.height(width) for b in blocks)


def draw_flow(painter: QPainter, blocks: Sequence[_Block], x: float, y: float, w: float) -> float:
    for b in blocks:
        b.draw(painter, x, y, w)
        y += b.height(w)
    return y


def fit_flow(
    blocks: Sequence[_Block], width: float, max_height: float
) -> tuple[list[_Block], bool]:
    """The blocks that fit in ``max_height``; the last paragraph is cut at a line with "…"."""
    out: list[_Block] = []
    used = 0.0
    for i, b in enumerate(blocks):
        h = b.height(width)
        if used + h <= max_height:
            out.append(b)
            used += h
            continue
        if isinstance(b, _Para):
            room = max_height - used - b.before
            keep = int(room // b.line_height)
            if keep >= 1:
                b.cut_to = keep
                out.append(b)
        # trailing spaces and headings without anything under them are dropped
        while out and (isinstance(out[-1], _Space) or getattr(out[-1], "is_heading", False)):
            out.pop()
        return out, i < len(blocks)
    return out, False


def _heading(text: str, t: _Type, before: float = 0.0) -> _Para:
    p = _Para(text, t.font("heading"), _INK, before=before)
    p.is_heading = True  # type: ignore[attr-defined]
    return p


# ---------------------------------------------------------------------------------------------
# the map


class _MapPainter:
    """The back drawn from zones.svg and the geometry, with the plan's emphasis and no-touch."""

    LAYERS_OVER = ("scapulae", "kidneys", "contours", "spine")
    #: no-touch areas are painted opaque so that they read the same over any zone colour
    NO_TOUCH_BASE = QColor("#fbdcd8")

    def __init__(self, plan: Any, geometry: Any, content: Handout) -> None:
        self.plan, self.geometry, self.content = plan, geometry, content
        self.svg = QSvgRenderer(str(getattr(geometry, "source", None)
                                    or resource_path("assets", "zones.svg")))
        x0, y0, x1, y1 = geometry.bounds
        y0 -= 94  # the head (see draw)
        pad = 8.0
        self.source = QRectF(x0 - pad, y0 - pad, (x1 - x0) + 2 * pad, (y1 - y0) + 2 * pad)

    def aspect(self) -> float:
        return self.source.height() / self.source.width()

    def _element_rect(self, element: str) -> QRectF:
        return self.svg.transformForElement(element).mapRect(self.svg.boundsOnElement(element))

    def _render(self, painter: QPainter, element: str) -> None:
        if self.svg.isValid() and self.svg.elementExists(element):
            self.svg.render(painter, element, self._element_rect(element))

    def placement(self, rect: QRectF) -> tuple[float, float, float]:
        """(scale, x, y) of the map's source rectangle centred in ``rect``."""
        s = min(rect.width() / self.source.width(), rect.height() / self.source.height())
        ox = rect.x() + (rect.width() - self.source.width() * s) / 2
        oy = rect.y() + (rect.height() - self.source.height() * s) / 2
        return s, ox, oy

    def to_device(self, rect: QRectF, x: float, y: float) -> QPointF:
        """Where the back point (x, y) lands when the map is drawn in ``rect``."""
        s, ox, oy = self.placement(rect)
        return QPointF(ox + (x - self.source.x()) * s, oy + (y - self.source.y()) * s)

    def draw(self, painter: QPainter, rect: QRectF, t: _Type) -> None:
        s, ox, oy = self.placement(rect)
        w, h = self.source.width() * s, self.source.height() * s
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.translate(ox, oy)
        painter.scale(s, s)
        painter.translate(-self.source.x(), -self.source.y())
        unit = 1.0 / s  # one dot in map units

        self._render(painter, "outline")
        ok = self.plan.status == "ok"
        emphasis = set(self.plan.emphasis_zones) if ok else set()
        halves = [r for r in self.geometry.regions.values() if r.kind == "half"]
        for r in halves:
            state = "emphasis" if (r.id in emphasis or r.parent in emphasis) else "muted"
            painter.setPen(QPen(QColor(ms.ZONE_EDGE), 1.0))
            painter.setBrush(ms.zone_colour(r.id, state))
            painter.drawPath(_path(r.polygon))
        for r in halves:
            if r.id in emphasis or r.parent in emphasis:
                painter.setPen(QPen(QColor(ms.GLOW), 4.0))
                painter.setBrush(Qt.BrushStyle.NoBrush)
                painter.drawPath(_path(r.polygon))
        # the head as the on-screen map draws it (mapview.py): a calm oval over the neck
        painter.setPen(QPen(QColor(ms.SKIN_EDGE), 1.2))
        painter.setBrush(QColor(ms.HEAD))
        painter.drawEllipse(QRectF(MIDLINE_X - 64, self.geometry.bounds[1] - 94, 128, 136))
        for layer in self.LAYERS_OVER:
            self._render(painter, layer)

        for n in self.plan.no_touch:
            path = _path(n.area)
            if n.id == "spine":
                painter.setPen(QPen(QColor(ms.NO_TOUCH), 2.0))
                painter.setBrush(self.NO_TOUCH_BASE)
                painter.drawPath(path)
                continue
            if n.techniques == "all":
                colour, fill = QColor(ms.NO_TOUCH), self.NO_TOUCH_BASE
                pen = QPen(colour, 3.0)
            else:
                colour, fill = QColor(ms.CAUTION), QColor(199, 120, 0, 35)
                pen = QPen(colour, 2.5, Qt.PenStyle.DashLine)
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(fill)
            painter.drawPath(path)
            _hatch(painter, path, colour, spacing=9.0, width=1.6)
            painter.setPen(pen)
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawPath(path)

        self._render(painter, "landmarks")
        self._landmark_labels(painter, t, unit)
        if ok:
            self._role_marks(painter, t, unit)
        painter.restore()
        if not ok:
            self._banner(painter, QRectF(ox, oy, w, h), t)

    def _landmark_labels(self, painter: QPainter, t: _Type, unit: float) -> None:
        marks = self.geometry.landmarks
        wanted = [m for m in ("C7", "T12", "L5") if m in marks]
        for n in self.plan.no_touch:
            if n.id == "hernia-site" and n.zones:
                wanted.append(n.zones[0])
        font = QFont(t.font("map"))
        font.setPixelSize(max(6, round(font.pixelSize() * unit)))
        painter.setFont(font)
        fm = QFontMetricsF(font)
        for name in wanted:
            if name in marks:
                x, y = marks[name]
            else:
                try:
                    y = self.geometry.level_y(name)
                except ValueError:
                    continue
                x = 300.0
            is_hernia = name not in ("C7", "T12", "L5")
            label_x = x + 14
            if is_hernia:  # beside the hernia site, on its own side, outside it
                site = next(n.area for n in self.plan.no_touch if n.id == "hernia-site")
                x0, _, x1, _ = site.bounds
                left_side = side_of(site.centroid.x) != "right"
                label_x = x0 - 8 - fm.horizontalAdvance(name) if left_side else x1 + 8
            painter.setPen(QColor(ms.NO_TOUCH) if is_hernia else QColor(ms.LANDMARK))
            painter.drawText(QPointF(label_x, y + fm.ascent() * 0.35), name)

    def _role_marks(self, painter: QPainter, t: _Type, unit: float) -> None:
        seen: set[str] = set()
        font = QFont(t.font("map"))
        font.setBold(True)
        font.setPixelSize(max(6, round(font.pixelSize() * 1.2 * unit)))
        fm = QFontMetricsF(font)
        for step in self.plan.steps:
            role = getattr(step, "role", None)
            if role not in ("relax", "strengthen"):
                continue
            colour = QColor(ms.RELAX if role == "relax" else ms.STRENGTHEN)
            mark = self.content.map_labels[role]
            for z in step.zones:
                if z in seen or z not in self.geometry.regions:
                    continue
                seen.add(z)
                p = self.geometry.polygon(z).representative_point()
                r = fm.height() * 0.75
                painter.setPen(QPen(QColor("white"), 2.0))
                painter.setBrush(colour)
                painter.drawEllipse(QPointF(p.x, p.y), r, r)
                painter.setFont(font)
                painter.setPen(QColor("white"))
                painter.drawText(
                    QRectF(p.x - r, p.y - r, 2 * r, 2 * r), Qt.AlignmentFlag.AlignCenter, mark
                )

    def _banner(self, painter: QPainter, rect: QRectF, t: _Type) -> None:
        font = t.font("banner")
        fm = QFontMetricsF(font)
        lines = wrap(self.content.map_labels["banner"], font, rect.width() * 0.8)
        pad = fm.height() * 0.5
        h = len(lines) * fm.lineSpacing() + 2 * pad
        w = max(fm.horizontalAdvance(line) for line in lines) + 3 * pad
        box = QRectF(rect.center().x() - w / 2, rect.y() + rect.height() * 0.42 - h / 2, w, h)
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(QPen(_STOP, t.dots(6)))
        painter.setBrush(QColor(255, 255, 255, 235))
        painter.drawRoundedRect(box, pad, pad)
        painter.setFont(font)
        painter.setPen(_STOP)
        y = box.y() + pad
        for line in lines:
            painter.drawText(
                QPointF(box.center().x() - fm.horizontalAdvance(line) / 2, y + fm.ascent()), line
            )
            y += fm.lineSpacing()
        painter.restore()


def _path(geom: Any) -> QPainterPath:
    path = QPainterPath()
    path.setFillRule(Qt.FillRule.OddEvenFill)
    polys = getattr(geom, "geoms", None)
    for poly in polys if polys is not None else [geom]:
        if poly.is_empty or not hasattr(poly, "exterior"):
            continue
        for ring in (poly.exterior, *poly.interiors):
            pts = list(ring.coords)
            path.moveTo(*pts[0])
            for x, y in pts[1:]:
                path.lineTo(x, y)
            path.closeSubpath()
    return path


def _hatch(painter: QPainter, path: QPainterPath, colour: QColor, spacing: float,
           width: float) -> None:
    """Diagonal lines inside ``path`` (drawn, so they print the same at any resolution)."""
    r = path.boundingRect()
    painter.save()
    painter.setClipPath(path, Qt.ClipOperation.IntersectClip)
    painter.setPen(QPen(colour, width))
    span = r.width() + r.height()
    x = r.left() - r.height()
    while x < r.left() + span:
        painter.drawLine(QPointF(x, r.bottom()), QPointF(x + r.height(), r.top()))
        x += spacing
    painter.restore()


# ---------------------------------------------------------------------------------------------
# the page


@dataclass
class _Layout:
    scale: float
    header: list[_Block]
    left: list[_Block]
    right: list[_Block]
    avoid: list[_Block]
    course: list[_Block]
    small: list[_Block]
    left_w: float
    gutter: float
    truncated: bool = False
    notice: _Block | None = None

    def middle_height(self) -> float:
        right_w = CONTENT_W - self.left_w - self.gutter
        return max(flow_height(self.left, self.left_w), flow_height(self.right, right_w))

    @property
    def bottom(self) -> list[_Block]:
        return [*self.avoid, *self.course, *self.small]

    def height(self) -> float:
        return (
            flow_height(self.header, CONTENT_W)
            + self.middle_height()
            + flow_height(self.bottom, CONTENT_W)
            + (self.notice.height(CONTENT_W) if self.notice else 0.0)
        )


def _legend_block(content: Handout, plan: Any, t: _Type, map_painter: _MapPainter) -> _Block:
    font = t.font("small")
    fm = QFontMetricsF(font)
    sw = fm.height() * 1.6
    gap = sw * 0.5
    emphasis = tuple(plan.emphasis_zones) if plan.status == "ok" else ()
    keys = [k for k in content.legend if k != "emphasis" or emphasis]
    ids = {n.id for n in plan.no_touch}
    if not any(n.techniques == "all" and n.id != "spine" for n in plan.no_touch):
        keys = [k for k in keys if k != "no_touch"]
    if "kidneys" not in ids and not any(n.techniques != "all" for n in plan.no_touch):
        keys = [k for k in keys if k != "limited"]

    def rows(width: float) -> list[tuple[str, list[str]]]:
        return [(k, wrap(content.legend[k], font, width - sw - gap)) for k in keys]

    def height(width: float) -> float:
        return sum(max(sw, len(lines) * fm.lineSpacing()) + gap * 0.6 for _, lines in rows(width))

    def draw(painter: QPainter, x: float, y: float, width: float) -> None:
        for key, lines in rows(width):
            box = QRectF(x, y + (fm.lineSpacing() - sw * 0.8) / 2 + 2, sw, sw * 0.8)
            _swatch(painter, key, box, emphasis[0] if emphasis else "collar")
            painter.setFont(font)
            painter.setPen(_INK)
            ly = y
            for line in lines:
                painter.drawText(QPointF(x + sw + gap, ly + fm.ascent()), line)
                ly += fm.lineSpacing()
            y += max(sw, len(lines) * fm.lineSpacing()) + gap * 0.6

    return _Custom(height, draw)


def _swatch(painter: QPainter, key: str, box: QRectF, zone: str = "collar") -> None:
    painter.save()
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    path = QPainterPath()
    path.addRoundedRect(box, box.height() * 0.2, box.height() * 0.2)
    if key == "emphasis":
        painter.setPen(QPen(QColor(ms.GLOW), box.height() * 0.14))
        painter.setBrush(ms.zone_colour(f"{zone}-left", "emphasis"))
        painter.drawPath(path)
    elif key == "zone":
        painter.setPen(QPen(QColor(ms.ZONE_EDGE), 2))
        painter.setBrush(ms.zone_colour("collar-left", "muted"))
        painter.drawPath(path)
    elif key in ("no_touch", "limited"):
        colour = QColor(ms.NO_TOUCH if key == "no_touch" else ms.CAUTION)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(_MapPainter.NO_TOUCH_BASE if key == "no_touch"
                         else QColor(colour.red(), colour.green(), colour.blue(), 50))
        painter.drawPath(path)
        _hatch(painter, path, colour, spacing=box.height() * 0.28, width=box.height() * 0.06)
        pen = QPen(colour, box.height() * 0.1)
        if key == "limited":
            pen.setStyle(Qt.PenStyle.DashLine)
        painter.setPen(pen)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawPath(path)
    elif key == "spine":
        strip = QRectF(box.center().x() - box.width() * 0.12, box.y(), box.width() * 0.24,
                       box.height())
        painter.setPen(QPen(QColor(ms.NO_TOUCH), box.height() * 0.08))
        painter.setBrush(_MapPainter.NO_TOUCH_BASE)
        painter.drawRect(strip)
    elif key in ("relax", "strengthen"):
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(QColor(ms.RELAX if key == "relax" else ms.STRENGTHEN))
        r = box.height() / 2
        painter.drawEllipse(QPointF(box.center().x(), box.center().y()), r, r)
    painter.restore()


def _course_block(content: Handout, t: _Type) -> _Block:
    font, bold = t.font("body"), t.font("bold")
    fm = QFontMetricsF(font)
    chart_h = t.dots(230)

    def chart_w(width: float) -> float:
        return min(width * 0.36, t.dots(26) * max(1, len(content.course_minutes)))

    def text_rows(width: float) -> list[tuple[QFont, str]]:
        tw = width - chart_w(width) - t.dots(50)
        rows: list[tuple[QFont, str]] = []
        for row in content.course_rows:
            f = bold if row.current else font
            rows += [(f, line) for line in wrap(row.text, f, tw)]
        rows += [(bold, line) for line in wrap(content.course_today, bold, tw)]
        return rows

    def height(width: float) -> float:
        return max(chart_h + fm.lineSpacing(), len(text_rows(width)) * fm.lineSpacing())

    def draw(painter: QPainter, x: float, y: float, width: float) -> None:
        cw = chart_w(width)
        sessions = content.course_minutes
        if sessions:
            top = max(m for _, _, m, _ in sessions) or 1.0
            slot = cw / len(sessions)
            base = y + chart_h
            painter.save()
            painter.setRenderHint(QPainter.RenderHint.Antialiasing)
            for i, (number, phase, minutes, _) in enumerate(sessions):
                bh = chart_h * 0.85 * minutes / top
                bar = QRectF(x + i * slot + slot * 0.12, base - bh, slot * 0.76, bh)
                painter.setPen(Qt.PenStyle.NoPen)
                painter.setBrush(QColor(_PHASE_COLOURS.get(phase, "#cccccc")))
                if number == content.session:
                    painter.setBrush(QColor("#2f5f8a"))
                painter.drawRect(bar)
            painter.setPen(QPen(_SOFT, t.dots(3)))
            painter.drawLine(QPointF(x, base), QPointF(x + cw, base))
            small = t.font("tiny")
            sfm = QFontMetricsF(small)
            painter.setFont(small)
            painter.setPen(_SOFT)
            # first, today, last: today wins a clash, then the first; labels never overlap
            wanted = [content.session, 1, len(sessions)]
            taken: list[tuple[float, float]] = []
            for number in dict.fromkeys(wanted):
                if not 1 <= number <= len(sessions):
                    continue
                label = str(number)
                lw = sfm.horizontalAdvance(label)
                lx = x + (number - 1) * slot + slot / 2 - lw / 2
                if any(lx < b + t.dots(12) and lx + lw > a - t.dots(12) for a, b in taken):
                    continue
                taken.append((lx, lx + lw))
                painter.drawText(QPointF(lx, base + sfm.ascent() + 4), label)
            painter.restore()
        tx = x + cw + t.dots(50)
        ty = y
        for f, line in text_rows(width):
            painter.setFont(f)
            painter.setPen(_INK)
            painter.drawText(QPointF(tx, ty + QFontMetricsF(f).ascent()), line)
            ty += fm.lineSpacing()

    return _Custom(height, draw)


def _layout(content: Handout, plan: Any, geometry: Any, t: _Type, mp: _MapPainter) -> _Layout:
    gap_s, gap_m = t.dots(18), t.dots(45)

    header: list[_Block] = [
        _Para(content.title, t.font("title"), _INK, max_lines=2),
        _Para(content.session_line, t.font("subtitle"), _SOFT, before=t.dots(6)),
    ]
    if content.patient:
        header.append(_Para(content.patient, t.font("patient"), _INK, before=t.dots(10),
                            max_lines=2))
    header += [
        _Space(gap_m),
        _Box([_Para(content.disclaimer, t.font("note"), _INK)], _NOTE_FILL, _NOTE_BAR,
             t.dots(28)),
        _Space(gap_m),
    ]

    left_w = CONTENT_W * 0.42
    gutter = t.dots(70)
    map_w = left_w
    map_h = min(map_w * mp.aspect(), t.dots(1350))
    label_font = t.font("small")

    def draw_map(painter: QPainter, x: float, y: float, w: float) -> None:
        fm = QFontMetricsF(label_font)
        painter.setFont(label_font)
        painter.setPen(_SOFT)
        view = content.map_labels["view"]
        painter.drawText(QPointF(x + (w - fm.horizontalAdvance(view)) / 2, y + fm.ascent()), view)
        top = y + fm.lineSpacing() * 1.2
        mp.draw(painter, QRectF(x, top, w, map_h), t)
        by = top + map_h + fm.lineSpacing() * 0.3
        half = w / 2 - t.dots(10)
        left_lines = wrap("← " + content.map_labels["left"], label_font, half)
        right_lines = wrap(content.map_labels["right"] + " →", label_font, half)
        painter.setPen(_INK)
        for i, line in enumerate(left_lines):
            painter.drawText(QPointF(x, by + fm.ascent() + i * fm.lineSpacing()), line)
        for i, line in enumerate(right_lines):
            painter.drawText(
                QPointF(x + w - fm.horizontalAdvance(line),
                        by + fm.ascent() + i * fm.lineSpacing()),
                line,
            )

    def map_height(w: float) -> float:
        fm = QFontMetricsF(label_font)
        half = w / 2 - t.dots(10)
        n = max(len(wrap("← " + content.map_labels["left"], label_font, half)),
                len(wrap(content.map_labels["right"] + " →", label_font, half)))
        return fm.lineSpacing() * 1.5 + map_h + n * fm.lineSpacing()

    left: list[_Block] = [
        _Custom(map_height, draw_map),
        _Space(gap_m * 0.6),
        _Para(content.legend_heading, t.font("bold"), _INK),
        _Space(gap_s * 0.6),
        _legend_block(content, plan, t, mp),
    ]

    right: list[_Block] = []
    if content.blocked:
        inner: list[_Block] = [
            _Para(content.status_heading, t.font("heading"), _STOP),
            _Para(content.status_intro, t.font("body"), _INK, before=t.dots(14)),
        ]
        inner += [
            _Para(r, t.font("body"), _INK, bullet="•", indent=t.dots(40), before=t.dots(12))
            for r in content.reasons
        ]
        right.append(_Box(inner, _STOP_FILL, _STOP, t.dots(30)))
    else:
        right.append(_heading(content.today_heading, t))
        for s in content.steps:
            right.append(_Para(s.head, t.font("bold"), _INK, before=t.dots(22)))
            right.append(_Para(s.where, t.font("body"), _SOFT, indent=t.dots(48)))
        right.append(_Space(gap_s))
        right.append(_Para(content.total, t.font("bold"), _INK, before=t.dots(10)))

    avoid: list[_Block] = [_Space(gap_m), _heading(content.avoid_heading, t)]
    for line in content.avoid:
        avoid.append(_Para(line, t.font("body"), _INK, bullet="•", indent=t.dots(40),
                           before=t.dots(10)))
    if content.notes:
        avoid += [_Space(gap_m), _heading(content.notes_heading, t)]
        for line in content.notes:
            avoid.append(_Para(line, t.font("body"), _INK, bullet="•", indent=t.dots(40),
                               before=t.dots(10)))
    course: list[_Block] = [_Space(gap_m), _heading(content.course_heading, t)]
    if content.course_line:
        course.append(_Para(content.course_line, t.font("body"), _INK, before=t.dots(8)))
    course += [_Space(gap_s), _course_block(content, t)]
    small: list[_Block] = [
        _Space(gap_m),
        _Para(f"{content.sources_heading}: " + "; ".join(content.sources), t.font("tiny"), _SOFT),
    ]
    if content.evidence:
        small.append(_Para(f"{content.evidence_heading}: " + " ".join(content.evidence),
                           t.font("tiny"), _SOFT, before=t.dots(8)))
    return _Layout(t.scale, header, left, right, avoid, course, small, left_w, gutter)


def _fit(content: Handout, plan: Any, geometry: Any, mp: _MapPainter) -> _Layout:
    available = PAGE_H - 2 * MARGIN
    layout = None
    for scale in SCALES:
        layout = _layout(content, plan, geometry, _Type(scale), mp)
        if layout.height() <= available:
            return layout
    assert layout is not None
    # Still too long at the smallest size: cut, and say so.
    t = _Type(MIN_SCALE)
    notice = _Para(content.truncated_note, t.font("bold"), _STOP, before=t.dots(20))
    layout.notice = notice
    room = available - flow_height(layout.header, CONTENT_W) - notice.height(CONTENT_W)
    right_w = CONTENT_W - layout.left_w - layout.gutter
    left_h = flow_height(layout.left, layout.left_w)
    right_cap = max(left_h, room * 0.6)
    cut_right = False
    if flow_height(layout.right, right_w) > right_cap:
        layout.right, cut_right = _fit_nested(layout.right, right_w, right_cap)
    room -= layout.middle_height()
    # The course (short, fixed) stays; the cautions are cut before it, the sources last.
    course_h = flow_height(layout.course, CONTENT_W)
    small_min = min(flow_height(layout.small, CONTENT_W),
                    t.dots(45) + 2 * QFontMetricsF(t.font("tiny")).lineSpacing())
    if course_h + small_min > room:
        layout.course, _ = fit_flow(layout.course, CONTENT_W, max(0.0, room))
        layout.avoid, layout.small = [], []
        cut_bottom = True
    else:
        layout.avoid, cut_avoid = fit_flow(layout.avoid, CONTENT_W, room - course_h - small_min)
        room -= flow_height(layout.avoid, CONTENT_W) + course_h
        layout.small, cut_small = fit_flow(layout.small, CONTENT_W, max(0.0, room))
        cut_bottom = cut_avoid or cut_small
    layout.truncated = cut_right or cut_bottom
    if not layout.truncated:
        layout.notice = None
    return layout


def _fit_nested(blocks: list[_Block], width: float, cap: float) -> tuple[list[_Block], bool]:
    """fit_flow, also reaching into a box (a blocked plan's list of reasons)."""
    if len(blocks) == 1 and isinstance(blocks[0], _Box):
        box = blocks[0]
        inner, cut = fit_flow(box.blocks, box.inner(width), cap - 2 * box.pad)
        return [_Box(inner, box.fill, box.bar, box.pad)], cut
    return fit_flow(blocks, width, cap)


def paint_handout(painter: QPainter, content: Handout, plan: Any, geometry: Any) -> None:
    """Paint the page on ``painter``, whose coordinates are A4 at 300 dpi (2480 x 3508)."""
    mp = _MapPainter(plan, geometry, content)
    layout = _fit(content, plan, geometry, mp)
    painter.save()
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setRenderHint(QPainter.RenderHint.TextAntialiasing)
    x, y = float(MARGIN), float(MARGIN)
    y = draw_flow(painter, layout.header, x, y, CONTENT_W)
    right_w = CONTENT_W - layout.left_w - layout.gutter
    draw_flow(painter, layout.left, x, y, layout.left_w)
    draw_flow(painter, layout.right, x + layout.left_w + layout.gutter, y, right_w)
    y += layout.middle_height()
    y = draw_flow(painter, layout.bottom, x, y, CONTENT_W)
    if layout.notice is not None:
        layout.notice.draw(painter, x, y, CONTENT_W)
    painter.restore()
