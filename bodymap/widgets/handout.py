"""The patient handout: A4 portrait pages, as a PDF (text stays text) or a PNG.

One drawing routine paints the page in "dots" (1/300 inch, A4 = 2480 x 3508) on any
QPainter: :class:`QPdfWriter` at 300 dpi for the PDF, a 150 dpi :class:`QImage` (the same
painter scaled by one half) for the PNG, so both have the same layout.

The words come from :mod:`bodymap.handout_text` (pure, tested without Qt). The map is the
screen's: the same :class:`~bodymap.map_scene.MapScene` painted by the same layers
(:mod:`bodymap.widgets.map.painter`), here as vectors with print pens and the patient's plain
words, so it prints sharply, its text stays selectable, and screen and paper cannot disagree.
The legend's swatches come from the same code as the screen's legend. Nothing on the page is
rich text, so a patient's name is printed exactly as typed (:mod:`.handout_flow`).

Fitting: every text is measured with QFontMetricsF and wrapped. If the page overflows, the
whole page is set a little smaller (down to :data:`ONE_PAGE_MIN`); if it still does not fit,
it is set at the normal size on two pages (or more), each numbered, and nothing is cut: a
caution that does not fit on page one continues on page two (issue 17.6).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

from PySide6.QtCore import QBuffer, QIODevice, QPointF, QRectF, Qt
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontMetricsF,
    QImage,
    QPainter,
    QPen,
)

from bodymap.errors import BodymapError, UsageError
from bodymap.handout_text import Handout, build_handout
from bodymap.i18n import tr
from bodymap.map_scene import LegendRow, MapScene, SceneBuilder
from bodymap.safeio import atomic_write_bytes
from bodymap.widgets import map_style as ms
from bodymap.widgets.a4_pdf import PAGE_H, PAGE_W, PDF_DPI, a4_pdf, ensure_gui_app
from bodymap.widgets.handout_flow import (
    Block,
    Box,
    Custom,
    Para,
    Space,
    Type,
    draw_flow,
    family,
    flow_height,
    heading,
    split_flow,
    wrap,
)
from bodymap.widgets.map.context import Context, MapOptions, Paths
from bodymap.widgets.map.legend import paint_swatch
from bodymap.widgets.map.painter import BACK_H, BACK_W, paint_map

if TYPE_CHECKING:
    from bodymap.geometry import BackGeometry
    from bodymap.library import Library
    from bodymap.plan_types import Plan

__all__ = ["PAGE_SIZE_DOTS", "PNG_DPI", "export_handout", "handout_pages", "map_rect",
           "paint_handout"]

PNG_DPI = 150
PAGE_SIZE_DOTS = (PAGE_W, PAGE_H)
MARGIN = 165  # 14 mm
CONTENT_W = PAGE_W - 2 * MARGIN
#: the sizes tried for one page; below the last, the handout takes a second page instead
SCALES = (1.15, 1.1, 1.05, 1.0, 0.95, 0.9, 0.85, 0.8, 0.75, 0.7)
ONE_PAGE_MIN = SCALES[-1]
#: the size of a handout on several pages (larger than the smallest one-page size)
PAGED_SCALE = 0.9
EXTENSIONS = (".pdf", ".png")

_INK = QColor(ms.TEXT)
_SOFT = QColor(ms.TEXT_SOFT)
_NOTE_FILL = QColor("#fff4d6")
_NOTE_BAR = QColor("#d99a00")
_STOP_FILL = QColor("#fdeceb")
_STOP = QColor("#b3261e")
_PHASE_COLOURS = {"introductory": "#b9d6ee", "main": "#7fb3dc", "final": "#c9c1e6"}


# ---------------------------------------------------------------------------------------------
# the public entry point


def export_handout(
    plan: Plan,
    path: str | os.PathLike[str],
    *,
    geometry: BackGeometry,
    library: Library,
    lang: str = "en",
    patient_name: str = "",
) -> Path:
    """Write the handout for ``plan`` to ``path`` (.pdf or .png); returns the path.

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
    if os.path.isdir(out):
        raise UsageError(f"cannot write '{out}': it is a folder", expected="a file name")
    folder = out.parent if str(out.parent) else Path(".")
    if not os.path.isdir(folder):
        why = "is not a folder" if os.path.lexists(folder) else "does not exist"
        raise UsageError(f"cannot write '{out}': '{folder}' {why}")
    content = build_handout(
        plan, geometry=geometry, library=library, lang=lang, patient_name=patient_name
    )
    ensure_gui_app()
    # Painted in memory, checked complete, then written atomically (temp beside the target,
    # fsync, read back, rename): a full disk never replaces a good handout with a broken one,
    # and errors name the user's file (issue 11).
    render = _write_pdf if kind == ".pdf" else _write_png
    atomic_write_bytes(out, render(out, content, plan, geometry), check=_incomplete(kind))
    return out


def _incomplete(kind: str) -> Callable[[bytes], str | None]:
    """Why the rendered bytes are not a whole PDF or PNG (None: they are)."""
    from bodymap.safeio import incomplete

    return incomplete(kind)


def _write_pdf(path: Path, content: Handout, plan: Plan, geometry: BackGeometry) -> bytes:
    """The PDF's bytes, one page or more (``path`` names the user's file in errors)."""

    def paint(painter: QPainter, new_page: Callable[[], object]) -> None:
        paint_handout(painter, content, plan, geometry, new_page=new_page)

    return a4_pdf(content.title, paint,
                  failed=f"cannot write '{path}': the PDF could not be started")


def _write_png(path: Path, content: Handout, plan: Plan, geometry: BackGeometry) -> bytes:
    """The PNG's bytes (``path`` names the user's file in errors): the pages one under the
    other, each A4 at 150 dpi."""
    pages = handout_pages(content, plan, geometry)
    w = round(PAGE_W * PNG_DPI / PDF_DPI)
    h = round(PAGE_H * PNG_DPI / PDF_DPI)
    image = QImage(w, h * pages, QImage.Format.Format_RGB32)
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
    buffer = QBuffer()
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    # PySide6 takes the format's name as text (bytes are refused); the stub asks for bytes
    if not image.save(buffer, "PNG"):  # type: ignore[call-overload]
        raise BodymapError(f"cannot write '{path}': the image could not be saved")
    return bytes(buffer.data().data())


# ---------------------------------------------------------------------------------------------
# the map


class _PageMap:
    """The plan's map on the page: the screen's scene and layers, print pens, plain words.

    No step is current on paper: technique-specific areas (the kidneys) show as cautions."""

    #: legend keys of the handout's texts -> the swatch the map's legend draws for them
    SWATCHES: ClassVar[dict[str, LegendRow]] = {
        "zone": LegendRow("muted"),
        "no_touch": LegendRow("no_touch"),
        "spine": LegendRow("spine"),
        "limited": LegendRow("caution"),
        "relax": LegendRow("relax"),
        "strengthen": LegendRow("strengthen"),
        "buttock": LegendRow("buttock"),
    }

    def __init__(self, plan: Plan, geometry: BackGeometry, content: Handout) -> None:
        self.geometry, self.content = geometry, content
        self.scene: MapScene = SceneBuilder(geometry).build(plan, None)
        self.paths = Paths(geometry)
        self.placed = QRectF()  # where the back's viewBox was last drawn, in page dots

    @staticmethod
    def aspect() -> float:
        return BACK_H / BACK_W

    def options(self, t: Type) -> MapOptions:
        return MapOptions(lang=self.content.lang, plain_words=True, font_family=family(),
                          min_label_pt=7.0 * t.scale, min_legend_pt=9.0 * t.scale)

    def draw(self, painter: QPainter, rect: QRectF, t: Type) -> None:
        paint_map(painter, rect, self.scene, self.geometry, px_per_pt=PDF_DPI / 72,
                  options=self.options(t), paths=self.paths)
        self.placed = map_rect(rect)
        if self.content.blocked:
            self._banner(painter, map_rect(rect), t)

    def legend_keys(self) -> list[str]:
        """The handout's legend entries for what this map shows."""
        scene = self.scene
        shown = {
            "emphasis": bool(scene.emphasis),
            "zone": True,
            "no_touch": bool(scene.active),
            "spine": True,
            "limited": scene.kidneys == "caution" or bool(scene.caution),
            "relax": scene.role("relax") is not None,
            "strengthen": scene.role("strengthen") is not None,
            "buttock": bool(scene.beyond),
        }
        return [k for k in self.content.legend if shown.get(k, False)]

    def swatch(self, painter: QPainter, key: str, box: QRectF, t: Type) -> None:
        """The map legend's swatch for ``key``, scaled into ``box`` (26 x 14 legend units)."""
        row = self.SWATCHES.get(key)
        if key == "emphasis":
            zone = next((z for z in self.geometry.ZONES
                         if self.scene.states.get(f"{z}-left") == "emphasis"), "collar")
            row = LegendRow("zone", zone, "emphasis")
        if row is None:
            return
        u = box.height() / 14.0
        ctx = Context(self.scene, self.geometry, self.paths, scale=u, px_per_pt=PDF_DPI / 72,
                      cosmetic=False, options=self.options(t))
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.translate(box.x() + (box.width() - 26 * u) / 2, box.y())
        painter.scale(u, u)
        paint_swatch(painter, ctx, row, QRectF(0, 0, 26, 14))
        painter.restore()

    def _banner(self, painter: QPainter, rect: QRectF, t: Type) -> None:
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


def map_rect(rect: QRectF) -> QRectF:
    """Where the back's viewBox lands when the map is drawn in ``rect`` (aspect kept)."""
    s = min(rect.width() / BACK_W, rect.height() / BACK_H)
    w, h = BACK_W * s, BACK_H * s
    return QRectF(rect.x() + (rect.width() - w) / 2, rect.y() + (rect.height() - h) / 2, w, h)


def _legend_block(content: Handout, t: Type, page_map: _PageMap) -> Block:
    font = t.font("small")
    fm = QFontMetricsF(font)
    sw = fm.height() * 1.6
    gap = sw * 0.5
    keys = page_map.legend_keys()

    def rows(width: float) -> list[tuple[str, list[str]]]:
        return [(k, wrap(content.legend[k], font, width - sw - gap)) for k in keys]

    def height(width: float) -> float:
        return sum(max(sw, len(lines) * fm.lineSpacing()) + gap * 0.6 for _, lines in rows(width))

    def draw(painter: QPainter, x: float, y: float, width: float) -> None:
        for key, lines in rows(width):
            box = QRectF(x, y + (fm.lineSpacing() - sw * 0.55) / 2 + 2, sw, sw * 0.55)
            page_map.swatch(painter, key, box, t)
            painter.setFont(font)
            painter.setPen(_INK)
            ly = y
            for line in lines:
                painter.drawText(QPointF(x + sw + gap, ly + fm.ascent()), line)
                ly += fm.lineSpacing()
            y += max(sw, len(lines) * fm.lineSpacing()) + gap * 0.6

    return Custom(height, draw)


@dataclass
class _Layout:
    """The first page's parts at one scale: header, map column, steps column, the rest."""

    scale: float
    header: list[Block]
    left: list[Block]
    right: list[Block]
    avoid: list[Block]
    course: list[Block]
    small: list[Block]
    left_w: float
    gutter: float

    @property
    def right_w(self) -> float:
        return CONTENT_W - self.left_w - self.gutter

    def middle_height(self) -> float:
        return max(flow_height(self.left, self.left_w), flow_height(self.right, self.right_w))

    @property
    def bottom(self) -> list[Block]:
        return [*self.avoid, *self.course, *self.small]

    def height(self) -> float:
        return (
            flow_height(self.header, CONTENT_W)
            + self.middle_height()
            + flow_height(self.bottom, CONTENT_W)
        )


@dataclass
class _Page:
    """One page: a full-width top, the two columns (page one only), a full-width flow."""

    top: list[Block]
    flow: list[Block]
    left: list[Block] = field(default_factory=list)
    right: list[Block] = field(default_factory=list)


@dataclass
class _Pages:
    layout: _Layout
    pages: list[_Page]
    footer: Callable[[int, int], Block] | None = None  # (page, pages) -> its footer



def _course_block(content: Handout, t: Type) -> Block:
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

    return Custom(height, draw)


def _header(content: Handout, t: Type) -> list[Block]:
    gap_m = t.dots(45)
    header: list[Block] = [
        Para(content.title, t.font("title"), _INK, max_lines=3),
        Para(content.session_line, t.font("subtitle"), _SOFT, before=t.dots(6)),
    ]
    if content.patient:
        header.append(Para(content.patient, t.font("patient"), _INK, before=t.dots(10),
                           max_lines=2))
    note = Box([Para(content.disclaimer, t.font("note"), _INK)], _NOTE_FILL, _NOTE_BAR,
               t.dots(28))
    return [*header, Space(gap_m), note, Space(gap_m)]


def _map_column(content: Handout, t: Type, page_map: _PageMap, width: float) -> list[Block]:
    """The map (with the view's name over it) and its legend."""
    label_font = t.font("small")
    map_h = min(width * page_map.aspect(), t.dots(1350))

    def draw_map(painter: QPainter, x: float, y: float, w: float) -> None:
        fm = QFontMetricsF(label_font)
        painter.setFont(label_font)
        painter.setPen(_SOFT)
        view = content.map_labels["view"]
        painter.drawText(QPointF(x + (w - fm.horizontalAdvance(view)) / 2, y + fm.ascent()), view)
        page_map.draw(painter, QRectF(x, y + fm.lineSpacing() * 1.2, w, map_h), t)

    def map_height(_w: float) -> float:
        return QFontMetricsF(label_font).lineSpacing() * 1.2 + map_h

    return [
        Custom(map_height, draw_map),
        Space(t.dots(45) * 0.6),
        Para(content.legend_heading, t.font("bold"), _INK),
        Space(t.dots(18) * 0.6),
        _legend_block(content, t, page_map),
    ]


def _steps_column(content: Handout, t: Type) -> list[Block]:
    """Today's steps, or why there are none (a blocked or postponed plan)."""
    if content.blocked:
        inner: list[Block] = [
            Para(content.status_heading, t.font("heading"), _STOP),
            Para(content.status_intro, t.font("body"), _INK, before=t.dots(14)),
        ]
        inner += [
            Para(r, t.font("body"), _INK, bullet="•", indent=t.dots(40), before=t.dots(12))
            for r in content.reasons
        ]
        return [Box(inner, _STOP_FILL, _STOP, t.dots(30))]
    right: list[Block] = [heading(content.today_heading, t)]
    for s in content.steps:
        right.append(Para(s.head, t.font("bold"), _INK, before=t.dots(22), keep_with_next=True))
        right.append(Para(s.where, t.font("body"), _SOFT, indent=t.dots(48)))
    right.append(Space(t.dots(18)))
    right.append(Para(content.total, t.font("bold"), _INK, before=t.dots(10)))
    return right


def _bullets(title: str, lines: Iterable[str], t: Type) -> list[Block]:
    return [Space(t.dots(45)), heading(title, t)] + [
        Para(line, t.font("body"), _INK, bullet="•", indent=t.dots(40), before=t.dots(10))
        for line in lines
    ]


def _layout(content: Handout, t: Type, page_map: _PageMap) -> _Layout:
    left_w = CONTENT_W * 0.42
    avoid = _bullets(content.avoid_heading, content.avoid, t)
    if content.notes:
        avoid += _bullets(content.notes_heading, content.notes, t)
    course: list[Block] = [Space(t.dots(45)), heading(content.course_heading, t)]
    if content.course_line:
        course.append(Para(content.course_line, t.font("body"), _INK, before=t.dots(8)))
    course += [Space(t.dots(18)), _course_block(content, t)]
    small: list[Block] = [
        Space(t.dots(45)),
        Para(f"{content.sources_heading}: " + "; ".join(content.sources), t.font("tiny"), _SOFT),
    ]
    if content.evidence:
        small.append(Para(f"{content.evidence_heading}: " + " ".join(content.evidence),
                          t.font("tiny"), _SOFT, before=t.dots(8)))
    return _Layout(t.scale, _header(content, t), _map_column(content, t, page_map, left_w),
                   _steps_column(content, t), avoid, course, small, left_w, t.dots(70))


def _paginate(content: Handout, page_map: _PageMap) -> _Pages:
    """One page, set a little smaller if need be (down to :data:`ONE_PAGE_MIN`); otherwise
    the normal size on as many pages as the text needs. Nothing is ever cut: a caution that
    does not fit on page one continues on the next."""
    available = PAGE_H - 2 * MARGIN
    for scale in SCALES:
        layout = _layout(content, Type(scale), page_map)
        if layout.height() <= available:
            return _Pages(layout, [_Page(layout.header, layout.bottom, layout.left,
                                         layout.right)])
    t = Type(PAGED_SCALE)
    layout = _layout(content, t, page_map)

    def footer(n: int, total: int) -> Block:
        return Para(tr("handout.page", content.lang, n=n, total=total), t.font("small"),
                    _SOFT, before=t.dots(30), align_right=True)

    room = available - footer(1, 1).height(CONTENT_W)
    first_room = room - flow_height(layout.header, CONTENT_W)
    right: list[Block] = layout.right
    spill: list[Block] = []
    if flow_height(right, layout.right_w) > first_room:  # a very long list of steps
        right, spill = split_flow(right, layout.right_w, first_room)
    left_h = flow_height(layout.left, layout.left_w)
    middle = max(left_h, flow_height(right, layout.right_w))
    head, rest = split_flow([*spill, *layout.bottom], CONTENT_W, first_room - middle)
    pages = [_Page(layout.header, head, layout.left, right)]
    top = _continued(content, t)
    while rest:
        head, after = split_flow(rest, CONTENT_W, room - flow_height(top, CONTENT_W))
        if not head:  # a block taller than a page: it goes on a page of its own
            head, after = rest[:1], rest[1:]
        pages.append(_Page(top, head))
        rest = after
    return _Pages(layout, pages, footer)


def _continued(content: Handout, t: Type) -> list[Block]:
    """The top of a further page: whose handout it is, and which session."""
    top: list[Block] = [
        Para(tr("handout.continued", content.lang, title=content.title), t.font("heading"),
             _INK, max_lines=3),
        Para(content.session_line, t.font("subtitle"), _SOFT, before=t.dots(6)),
    ]
    if content.patient:
        top.append(Para(content.patient, t.font("subtitle"), _SOFT, before=t.dots(6),
                        max_lines=1))
    return [*top, Space(t.dots(45))]


def paint_handout(painter: QPainter, content: Handout, plan: Plan, geometry: BackGeometry, *,
                  new_page: Callable[[], object] | None = None) -> QRectF:
    """Paint the handout on ``painter``, whose coordinates are A4 at 300 dpi (2480 x 3508) per
    page: ``new_page()`` starts each further page (without it, further pages are painted
    below the first, one page height apart). Returns where the back's viewBox (0 0 600 900)
    lies on page one, in those dots."""
    page_map = _PageMap(plan, geometry, content)
    paged = _paginate(content, page_map)
    layout, total = paged.layout, len(paged.pages)
    painter.save()
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setRenderHint(QPainter.RenderHint.TextAntialiasing)
    for n, page in enumerate(paged.pages, start=1):
        if n > 1:
            if new_page is not None:
                new_page()
            else:
                painter.translate(0, PAGE_H)
        x, y = float(MARGIN), float(MARGIN)
        y = draw_flow(painter, page.top, x, y, CONTENT_W)
        if page.left or page.right:
            draw_flow(painter, page.left, x, y, layout.left_w)
            draw_flow(painter, page.right, x + layout.left_w + layout.gutter, y,
                      layout.right_w)
            y += max(flow_height(page.left, layout.left_w),
                     flow_height(page.right, layout.right_w))
        draw_flow(painter, page.flow, x, y, CONTENT_W)
        if paged.footer is not None:
            foot = paged.footer(n, total)
            foot.draw(painter, x, PAGE_H - MARGIN - foot.height(CONTENT_W), CONTENT_W)
    painter.restore()
    return page_map.placed


def handout_pages(content: Handout, plan: Plan, geometry: BackGeometry) -> int:
    """How many pages the handout takes (one, unless its text needs more)."""
    return len(_paginate(content, _PageMap(plan, geometry, content)).pages)
