"""``bodymap technique-sheet``: every technique's motion on one printable study sheet (PNG).

One labelled cell per variant (a technique without variants: one for itself), each the
close-up's patch of back (``closeup_paint.py``) with the hand's whole pass drawn: the path,
the glyph of the part of the hand on the skin, the pressure (the line's weight and shadow, its
pressed parts heavier, nothing where the hand is lifted) and the tempo (the line's colour);
beside it the four cues in words and the source's part and heading. A last cell explains the
marks. Painted without a display (Qt's offscreen platform), written atomically.
"""

from __future__ import annotations

import html
import math
import os
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QPointF, QRectF, Qt
from PySide6.QtGui import (
    QColor,
    QFont,
    QGuiApplication,
    QImage,
    QPainter,
    QPen,
    QTextDocument,
)

from bodymap import i18n
from bodymap.i18n import pick, tr
from bodymap.motion_demo import Demo, demo, entries
from bodymap.widgets import map_style as S  # noqa: N812
from bodymap.widgets.closeup_paint import (
    PatchPens,
    Runs,
    paint_guide,
    paint_hand_at,
    paint_skin,
    paint_track,
    patch_transform,
    pressure_marks,
)
from bodymap.widgets.panels.common import _text

if TYPE_CHECKING:
    from bodymap.library import Library

__all__ = ["DEFAULT_SIZE", "MIN_SIZE", "render_sheet", "write_sheet"]

#: A4 landscape at 200 dots per inch; the smallest sheet whose words stay legible
DEFAULT_SIZE = (2339, 1654)
MIN_SIZE = (1000, 700)
#: where along its pass each cell shows the hand
HAND_AT = 0.62
INK = QColor(S.TEXT)
SOFT = QColor(S.TEXT_SOFT)


def _font(px: float, bold: bool = False) -> QFont:
    font = QFont()
    font.setPixelSize(max(8, round(px)))
    font.setBold(bold)
    return font


def _text_block(p: QPainter, rect: QRectF, text: str, px: float, *, bold: bool = False,
                colour: QColor = INK) -> float:
    """Word-wrapped ``text`` at the top of ``rect``; returns the y under it."""
    p.setFont(_font(px, bold))
    p.setPen(colour)
    flags = int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop
                | Qt.TextFlag.TextWordWrap)
    used = p.boundingRect(rect, flags, text)
    p.drawText(rect, flags, text)
    return used.bottom()


def _name(library: Library, d: Demo) -> tuple[str, str]:
    tech = library.techniques[d.technique]
    v = tech.variant(d.variant)
    if v is None:
        return pick(_text(tech.name)), ""
    return pick(_text(v.name)), tr("closeup.variant_of", name=pick(_text(tech.name)))


def _document(html_text: str, width: float, px: float) -> QTextDocument:
    doc = QTextDocument()
    doc.setDocumentMargin(0)
    doc.setDefaultFont(_font(px))
    doc.setHtml(html_text)
    doc.setTextWidth(width)
    return doc


def _fit(html_text: str, rect: QRectF, px: float) -> float:
    """The largest font size up to ``px`` at which ``html_text`` fits ``rect``."""
    while px > 9 and _document(html_text, rect.width(), px).size().height() > rect.height():
        px *= 0.94
    return px


def _draw(p: QPainter, rect: QRectF, html_text: str, px: float) -> None:
    doc = _document(html_text, rect.width(), px)
    p.save()
    p.translate(rect.topLeft())
    doc.drawContents(p, QRectF(0, 0, rect.width(), rect.height()))
    p.restore()


class _Cell:
    """Where one variant's parts go in its cell, and its words."""

    def __init__(self, p: QPainter, rect: QRectF, library: Library, d: Demo, u: float) -> None:
        self.rect, self.d, self.u = rect, d, u
        inner = rect.adjusted(u * 0.9, u * 0.7, -u * 0.9, -u * 0.7)
        self.inner = inner
        self.name, self.sub = _name(library, d)
        # the name on at most two lines: a long one (Russian) in a smaller type
        self.name_px = u * 1.15
        flags = int(Qt.AlignmentFlag.AlignLeft | Qt.TextFlag.TextWordWrap)
        while True:
            p.setFont(_font(self.name_px, bold=True))
            height = p.boundingRect(QRectF(0, 0, inner.width(), 10 * u), flags,
                                    self.name).height()
            if height <= self.name_px * 2.6 or self.name_px <= u * 0.75:
                break
            self.name_px *= 0.92
        y = inner.top() + height
        if self.sub:
            p.setFont(_font(u * 0.8))
            y += p.boundingRect(QRectF(0, 0, inner.width(), 10 * u), flags, self.sub).height()
        y += u * 0.4
        lang = i18n.language()
        tech = library.techniques[d.technique]
        v = tech.variant(d.variant)
        note = tr("motion.rhythm_note") if d.rhythmic else (
            tr("motion.squeeze_note") if d.motion == "press" else "")
        cites = "; ".join(s.cite(lang) for s in (v or tech).sources)
        self.foot = (f"<span style='color:{SOFT.name()}'>"
                     + html.escape(f"{tr('closeup.source')} {cites}")
                     + (f"<br><i>{html.escape(note)}</i>" if note else "") + "</span>")
        foot_h = u * (2.6 if note else 1.5)
        self.foot_rect = QRectF(inner.left(), inner.bottom() - foot_h, inner.width(), foot_h)
        bottom = self.foot_rect.top() - u * 0.3
        side = max(u * 4, min(inner.width() * 0.44, bottom - y))
        self.patch = QRectF(inner.left(), y, side, side)
        self.cues = QRectF(self.patch.right() + u * 0.7, y,
                           inner.right() - self.patch.right() - u * 0.7, bottom - y)
        self.cue_html = _cue_html(d)

    def paint(self, p: QPainter, cue_px: float, foot_px: float) -> None:
        u, d, inner = self.u, self.d, self.inner
        p.setPen(QPen(QColor("#c9bfb6"), max(1.0, u * 0.12)))
        p.setBrush(QColor("#ffffff"))
        p.drawRoundedRect(self.rect, u, u)
        y = _text_block(p, QRectF(inner.left(), inner.top(), inner.width(), u * 10),
                        self.name, self.name_px, bold=True)
        if self.sub:
            _text_block(p, QRectF(inner.left(), y, inner.width(), u * 10), self.sub, u * 0.8,
                        colour=SOFT)
        patch = self.patch
        t = patch_transform(patch)
        runs = Runs(d)
        pens = PatchPens(d, t.m11())
        p.save()
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        p.setTransform(t)
        paint_skin(p, t.m11())
        paint_guide(p, d, pens.colour, t.m11())
        paint_track(p, runs, pens, 0, len(runs.points) - 1)
        paint_hand_at(p, d, d.head(HAND_AT), max(28.0, patch.width() * 0.2))
        p.restore()
        # the pressure's bars in the patch's corner, on a white card
        card = QRectF(patch.right() - u * 2.4, patch.bottom() - u * 1.8, u * 2.0, u * 1.4)
        p.setPen(Qt.PenStyle.NoPen)
        p.setBrush(QColor(255, 255, 255, 220))
        p.drawRoundedRect(card, u * 0.3, u * 0.3)
        pressure_marks(p, card.adjusted(u * 0.3, u * 0.2, -u * 0.3, -u * 0.2), d.pressure, INK)
        _draw(p, self.cues, self.cue_html, cue_px)
        _draw(p, self.foot_rect, self.foot, foot_px)


def _cue_html(d: Demo) -> str:
    colour = S.TEMPO_COLOURS[d.tempo]
    rows = [("motion.cue.contact", tr(f"motion.contact.{d.contact}"), S.TEXT),
            ("motion.cue.path", tr(f"motion.path.{d.motion}"), S.TEXT),
            ("motion.cue.pressure", tr(f"motion.pressure.{d.pressure}"), S.TEXT),
            ("motion.cue.tempo", tr(f"map.tempo.{d.tempo}"), colour)]
    return "".join(
        f"<p style='margin:0 0 4px 0'><span style='color:{S.TEXT_SOFT}'>"
        f"{html.escape(tr(key))}</span><br><b style='color:{shade}'>{html.escape(value)}</b></p>"
        for key, value, shade in rows)


def _legend(p: QPainter, rect: QRectF, u: float) -> None:
    """The last cell: what the marks mean."""
    p.setPen(QPen(QColor("#c9bfb6"), max(1.0, u * 0.12)))
    p.setBrush(QColor("#faf7f3"))
    p.drawRoundedRect(rect, u, u)
    inner = rect.adjusted(u, u * 0.8, -u, -u * 0.8)
    x, y, w = inner.left(), inner.top(), inner.width()
    u = min(u, inner.height() / 15.5)  # its own unit: all of it fits the cell
    p.setRenderHint(QPainter.RenderHint.Antialiasing)
    for tempo, colour in S.TEMPO_COLOURS.items():
        p.setPen(QPen(QColor(colour), u * 0.35, Qt.PenStyle.SolidLine, Qt.PenCapStyle.RoundCap))
        p.drawLine(QPointF(x, y + u * 0.6), QPointF(x + u * 2.2, y + u * 0.6))
        y = _text_block(p, QRectF(x + u * 3, y, w - u * 3, u * 2),
                        f"{tr('motion.cue.tempo')} {tr(f'map.tempo.{tempo}')}", u * 0.85)
        y += u * 0.3
    y += u * 0.3
    for pressure, width in (("light", 0.2), ("firm", 0.32), ("deep", 0.5)):
        p.setPen(QPen(INK, u * width, Qt.PenStyle.SolidLine, Qt.PenCapStyle.RoundCap))
        p.drawLine(QPointF(x, y + u * 0.6), QPointF(x + u * 2.2, y + u * 0.6))
        y = _text_block(p, QRectF(x + u * 3, y, w - u * 3, u * 2),
                        f"{tr('motion.cue.pressure')} {tr(f'motion.pressure.{pressure}')}",
                        u * 0.85)
        y += u * 0.3
    y += u * 0.3
    for key in ("sheet.pressed", "sheet.lifted", "closeup.spine"):
        y = _text_block(p, QRectF(x, y, w, u * 3), "• " + tr(key), u * 0.85) + u * 0.3


def render_sheet(library: Library, *, lang: str = "en",
                 size: tuple[int, int] = DEFAULT_SIZE) -> QImage:
    """The sheet as an image of ``size`` pixels, in ``lang``."""
    _ensure_app()
    previous = i18n.language()
    i18n.set_language(lang)
    try:
        return _render(library, size)
    finally:
        i18n.set_language(previous)


def _render(library: Library, size: tuple[int, int]) -> QImage:
    width, height = size
    image = QImage(width, height, QImage.Format.Format_RGB32)
    image.fill(QColor("#f6f1ec"))
    p = QPainter(image)
    p.setRenderHint(QPainter.RenderHint.Antialiasing)
    p.setRenderHint(QPainter.RenderHint.TextAntialiasing)
    items = [demo(library, tid, vid) for tid, vid in entries(library)]
    cols = 4 if width >= height else 3
    rows = math.ceil((len(items) + 1) / cols)
    margin = width * 0.022
    u = min(width / (cols * 19.0), height / (rows * 13.5 + 8))  # the sheet's type unit
    top = _text_block(p, QRectF(margin, margin * 0.7, width - 2 * margin, u * 3),
                      tr("sheet.title"), u * 1.9, bold=True)
    top = _text_block(p, QRectF(margin, top + u * 0.2, width - 2 * margin, u * 3),
                      tr("sheet.subtitle"), u * 0.95, colour=SOFT) + u * 0.8
    footer = u * 1.8
    gap = u * 0.7
    cell_w = (width - 2 * margin - (cols - 1) * gap) / cols
    cell_h = (height - top - margin - footer - (rows - 1) * gap) / rows
    rects = [QRectF(margin + c * (cell_w + gap), top + r * (cell_h + gap), cell_w, cell_h)
             for r, c in (divmod(i, cols) for i in range(len(items) + 1))]
    cells = [_Cell(p, rect, library, d, u) for rect, d in zip(rects, items, strict=False)]
    # each cell's words as large as fit it, the sources in one size for all
    foot_px = min(_fit(c.foot, c.foot_rect, u * 0.68) for c in cells)
    for cell in cells:
        cell.paint(p, _fit(cell.cue_html, cell.cues, u * 0.85), foot_px)
    _legend(p, rects[-1], u)
    _text_block(p, QRectF(margin, height - margin * 0.5 - footer, width - 2 * margin, footer),
                tr("sheet.footer"), u * 0.8, colour=SOFT)
    p.end()
    return image


def _png_bytes(image: QImage) -> bytes:
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buffer, "PNG")  # type: ignore[call-overload]  # a format name: str works
    buffer.close()
    return bytes(data.data())


def _whole_png(data: bytes) -> str | None:
    whole = data.startswith(b"\x89PNG\r\n\x1a\n") and data.endswith(b"IEND\xaeB`\x82")
    return None if whole else "the PNG came out incomplete"


_APP: list[QGuiApplication] = []  # an application made here lives as long as the process


def _ensure_app() -> None:
    """Text needs a QGuiApplication: a headless one if the caller has none."""
    if QGuiApplication.instance() is None:
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
        _APP.append(QGuiApplication(["bodymap-technique-sheet"]))


def write_sheet(out: str | Path, library: Library | None = None, *, lang: str = "en",
                size: tuple[int, int] = DEFAULT_SIZE) -> Path:
    """Render the sheet and write it to ``out`` atomically (temp beside it, checked, renamed);
    the previous file stays as it was if anything fails."""
    from bodymap.safeio import atomic_write_bytes

    if library is None:
        from bodymap.library import load_library

        library = load_library(None)
    data = _png_bytes(render_sheet(library, lang=lang, size=size))
    return atomic_write_bytes(out, data, check=_whole_png)
