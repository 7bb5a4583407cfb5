"""The course report as a PDF: A4 portrait pages painted from a pure
:class:`~bodymap.records.report.CourseReport`.

Page one holds the patient, the pain chart (before and after, visit by visit; a triangle over
the visits where a step was shortened or skipped) and the first and last visit's pain maps,
painted by the project's one map painter (:func:`bodymap.widgets.map.painter.paint_map`) as
the handout paints its map: vectors, print pens, selectable text. The visit list follows,
page after page as long as it needs, its header repeated; every page ends with the note and
its number. Text stays text (pdftotext reads it back); nothing is rich text.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontMetricsF,
    QPainter,
    QPainterPath,
    QPen,
)

from bodymap.records.report import CourseReport, VisitRow, pain_scene
from bodymap.safeio import incomplete
from bodymap.widgets import map_style as ms
from bodymap.widgets.a4_pdf import PAGE_H, PAGE_W, PDF_DPI, a4_pdf
from bodymap.widgets.handout_flow import Type, family, wrap
from bodymap.widgets.map.context import MapOptions, Paths
from bodymap.widgets.map.painter import BACK_H, BACK_W, paint_map

if TYPE_CHECKING:
    from bodymap.geometry import BackGeometry

__all__ = ["AFTER", "BEFORE", "export_course_report", "paint_report"]

MARGIN = 165
CONTENT_W = PAGE_W - 2 * MARGIN
FOOTER_H = 170
#: the pain lines: colour and marker shape both tell them apart (colour-blind safe)
BEFORE = QColor("#b3261e")
AFTER = QColor("#1f5fa8")
_INK = QColor(ms.TEXT)
_SOFT = QColor(ms.TEXT_SOFT)
_RULE = QColor("#c8ccd2")
_CHANGED = QColor("#d99a00")
#: the visit list's column widths, as shares of the content width
COLUMNS = (0.15, 0.10, 0.13, 0.26, 0.36)


def export_course_report(report: CourseReport, path: str | os.PathLike[str], *,
                         geometry: BackGeometry | None = None) -> Path:
    """Write the course report PDF to ``path`` atomically (owner-only); returns the path."""
    from bodymap.records.commands import write_private

    out = Path(path).expanduser()
    if geometry is None:
        from bodymap.geometry import load_geometry

        geometry = load_geometry()
    write_private(out, _pdf_bytes(out, report, geometry), check=incomplete(".pdf"))
    return out


def _pdf_bytes(path: Path, report: CourseReport, geometry: BackGeometry) -> bytes:
    def paint(painter: QPainter, new_page: Callable[[], object]) -> None:
        paint_report(painter, report, geometry, new_page=new_page)

    return a4_pdf(f"{report.title}: {report.patient}", paint,
                  failed=f"cannot write '{path}': the PDF could not be started")


@dataclass
class _Row:
    cells: list[list[str]]
    height: float
    changed: bool


def paint_report(painter: QPainter, report: CourseReport, geometry: BackGeometry, *,
                 new_page: Callable[[], object]) -> int:
    """Paint every page (``new_page()`` starts the next); returns the number of pages."""
    t = Type(1.0)
    rows = [_measure(row, t) for row in report.rows]
    pages = _paginate(rows, t)
    total = 1 + len(pages)
    _first_page(painter, report, geometry, t)
    _footer(painter, report, t, 1, total)
    for n, chunk in enumerate(pages, start=2):
        new_page()
        y = _text(painter, report.visits_title, t.font("heading"), MARGIN, MARGIN)
        y = _table_header(painter, report, t, y + t.dots(20))
        for row in chunk:
            y = _table_row(painter, row, t, y)
        _footer(painter, report, t, n, total)
    return total


# ---------------------------------------------------------------------------------------------
# page one: the patient, the chart, the maps


def _first_page(painter: QPainter, report: CourseReport, geometry: BackGeometry, t: Type
                ) -> None:
    y = _text(painter, report.title, t.font("title"), MARGIN, MARGIN)
    y = _text(painter, report.patient, t.font("patient"), MARGIN, y + t.dots(10))
    for line in report.details:
        y = _wrapped(painter, line, t.font("body"), MARGIN, y + t.dots(6), CONTENT_W)
    y = _text(painter, report.printed, t.font("small"), MARGIN, y + t.dots(6), _SOFT)
    y = _text(painter, report.chart_title, t.font("heading"), MARGIN, y + t.dots(50))
    chart = QRectF(MARGIN, y + t.dots(20), CONTENT_W, t.dots(760))
    _chart(painter, report, chart, t)
    y = chart.bottom() + t.dots(60)
    if not report.maps:
        return
    y = _text(painter, report.maps_title, t.font("heading"), MARGIN, y)
    bottom = PAGE_H - MARGIN - FOOTER_H - t.dots(150)
    gap = t.dots(80)
    width = min((CONTENT_W - gap) / 2, (bottom - y) * BACK_W / BACK_H)
    height = width * BACK_H / BACK_W
    paths = Paths(geometry)
    options = MapOptions(lang=report.lang, plain_words=True, font_family=family(),
                         min_label_pt=7.0, min_legend_pt=9.0)
    x = MARGIN + (CONTENT_W - 2 * width - gap) / 2
    for plate in report.maps:
        rect = QRectF(x, y + t.dots(20), width, height)
        paint_map(painter, rect, pain_scene(geometry, plate), geometry,
                  px_per_pt=PDF_DPI / 72, options=options, paths=paths)
        _wrapped(painter, plate.caption, t.font("small"), x, rect.bottom() + t.dots(10), width)
        x += width + gap
    _wrapped(painter, report.map_legend, t.font("small"), MARGIN,
             y + t.dots(20) + height + t.dots(110), CONTENT_W, _SOFT)


def _chart(painter: QPainter, report: CourseReport, box: QRectF, t: Type) -> None:
    small = t.font("small")
    fm = QFontMetricsF(small)
    labels = report.chart_labels
    left = box.x() + fm.horizontalAdvance("10") + t.dots(30)
    head = fm.lineSpacing() + t.dots(90)  # the legend, then the row of triangles
    plot = QRectF(left, box.y() + head, box.right() - left - t.dots(20),
                  box.height() - head - fm.lineSpacing() * 2 - t.dots(30))
    painter.save()
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setFont(small)
    for value in range(0, 11, 2):  # the 0-10 scale's grid
        yy = plot.bottom() - plot.height() * value / 10
        painter.setPen(QPen(_RULE, t.dots(2)))
        painter.drawLine(QPointF(plot.left(), yy), QPointF(plot.right(), yy))
        painter.setPen(_SOFT)
        painter.drawText(QPointF(box.x(), yy + fm.ascent() / 2 - 2), str(value))
    points = report.points
    n = len(points)
    step = plot.width() / max(n, 1)

    def x_of(i: int) -> float:
        return plot.left() + step * (i + 0.5)

    every = max(1, round(n / 30))  # at most about 30 session labels
    for i, p in enumerate(points):
        if i % every == 0 or i == n - 1:
            label = str(p.session)
            painter.setPen(_SOFT)
            painter.drawText(QPointF(x_of(i) - fm.horizontalAdvance(label) / 2,
                                     plot.bottom() + fm.ascent() + t.dots(8)), label)
        if p.changed:
            _triangle(painter, x_of(i), plot.top() - t.dots(24), t.dots(16))
    axis = labels["axis_visit"]
    painter.setPen(_SOFT)
    painter.drawText(QPointF(plot.center().x() - fm.horizontalAdvance(axis) / 2,
                             plot.bottom() + fm.lineSpacing() + fm.ascent() + t.dots(12)), axis)
    for key, colour, square in (("before", BEFORE, False), ("after", AFTER, True)):
        values = [(x_of(i), getattr(p, key)) for i, p in enumerate(points)]
        _series(painter, plot, values, colour, square, t)
    _chart_legend(painter, report, box, t)
    painter.restore()


def _series(painter: QPainter, plot: QRectF, values: list[tuple[float, int | None]],
            colour: QColor, square: bool, t: Type) -> None:
    def y_of(v: int) -> float:
        return plot.bottom() - plot.height() * v / 10

    path = QPainterPath()
    started = False
    for x, v in values:
        if v is None:
            started = False  # a missing score breaks the line: never drawn as zero
            continue
        if started:
            path.lineTo(x, y_of(v))
        else:
            path.moveTo(x, y_of(v))
            started = True
    painter.setPen(QPen(colour, t.dots(7)))
    painter.setBrush(Qt.BrushStyle.NoBrush)
    painter.drawPath(path)
    painter.setBrush(colour)
    r = t.dots(13)
    for x, v in values:
        if v is None:
            continue
        if square:
            painter.drawRect(QRectF(x - r, y_of(v) - r, 2 * r, 2 * r))
        else:
            painter.drawEllipse(QPointF(x, y_of(v)), r, r)


def _chart_legend(painter: QPainter, report: CourseReport, box: QRectF, t: Type) -> None:
    small = t.font("small")
    fm = QFontMetricsF(small)
    x, y = box.x(), box.y() + fm.ascent()
    r = t.dots(13)
    for key, colour, square in (("before", BEFORE, False), ("after", AFTER, True)):
        painter.setPen(QPen(colour, t.dots(7)))
        painter.drawLine(QPointF(x, y - fm.ascent() / 3), QPointF(x + t.dots(90),
                                                                  y - fm.ascent() / 3))
        painter.setBrush(colour)
        centre = QPointF(x + t.dots(45), y - fm.ascent() / 3)
        if square:
            painter.drawRect(QRectF(centre.x() - r, centre.y() - r, 2 * r, 2 * r))
        else:
            painter.drawEllipse(centre, r, r)
        painter.setPen(_INK)
        label = report.chart_labels[key]
        painter.drawText(QPointF(x + t.dots(110), y), label)
        x += t.dots(150) + fm.horizontalAdvance(label)
    if any(p.changed for p in report.points):
        _triangle(painter, x + t.dots(60), y - fm.ascent() / 3, t.dots(16))
        painter.setPen(_INK)
        painter.drawText(QPointF(x + t.dots(95), y), report.chart_labels["changed_steps"])


def _triangle(painter: QPainter, x: float, y: float, r: float) -> None:
    path = QPainterPath(QPointF(x, y - r))
    path.lineTo(x + r, y + r)
    path.lineTo(x - r, y + r)
    path.closeSubpath()
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(_CHANGED)
    painter.drawPath(path)


# ---------------------------------------------------------------------------------------------
# the visit list


def _measure(row: VisitRow, t: Type) -> _Row:
    body = t.font("small")
    fm = QFontMetricsF(body)
    cells: list[list[str]] = []
    texts = ([row.date], [row.session], [row.pain], list(row.done), list(row.notes))
    for share, parts in zip(COLUMNS, texts, strict=True):
        width = CONTENT_W * share - t.dots(24)
        lines: list[str] = []
        for part in parts:
            lines += wrap(part, body, width)
        cells.append(lines)
    height = max(len(c) for c in cells) * fm.lineSpacing() + t.dots(28)
    return _Row(cells, height, row.changed)


def _paginate(rows: list[_Row], t: Type) -> list[list[_Row]]:
    top = MARGIN + QFontMetricsF(t.font("heading")).lineSpacing() + t.dots(20) + \
        QFontMetricsF(t.font("bold")).lineSpacing() * 2 + t.dots(30)
    room = PAGE_H - MARGIN - FOOTER_H - top
    pages: list[list[_Row]] = []
    used = room + 1.0
    for row in rows:
        height = min(row.height, room)
        if used + height > room:
            pages.append([])
            used = 0.0
        pages[-1].append(row)
        used += height
    return pages


def _table_header(painter: QPainter, report: CourseReport, t: Type, y: float) -> float:
    bold = t.font("bold")
    fm = QFontMetricsF(bold)
    x = float(MARGIN)
    height = 0.0
    for share, title in zip(COLUMNS, report.columns, strict=True):
        lines = wrap(title, bold, CONTENT_W * share - t.dots(24))
        _lines(painter, lines, bold, x + t.dots(8), y, _INK)
        height = max(height, len(lines) * fm.lineSpacing())
        x += CONTENT_W * share
    y += height + t.dots(14)
    painter.setPen(QPen(_INK, t.dots(3)))
    painter.drawLine(QPointF(MARGIN, y), QPointF(MARGIN + CONTENT_W, y))
    return y


def _table_row(painter: QPainter, row: _Row, t: Type, y: float) -> float:
    body = t.font("small")
    fm = QFontMetricsF(body)
    room = PAGE_H - MARGIN - FOOTER_H - y - t.dots(28)
    most = max(1, int(room // fm.lineSpacing()))  # a row taller than a page is cut, said so
    x = float(MARGIN)
    for share, lines in zip(COLUMNS, row.cells, strict=True):
        shown = lines if len(lines) <= most else [*lines[:most - 1], "…"]
        _lines(painter, shown, body, x + t.dots(8), y + t.dots(14), _INK)
        x += CONTENT_W * share
    if row.changed:
        _triangle(painter, MARGIN - t.dots(30), y + t.dots(14) + fm.ascent() / 2, t.dots(12))
    y += min(row.height, room + t.dots(28))
    painter.setPen(QPen(_RULE, t.dots(2)))
    painter.drawLine(QPointF(MARGIN, y), QPointF(MARGIN + CONTENT_W, y))
    return y


# ---------------------------------------------------------------------------------------------
# text


def _footer(painter: QPainter, report: CourseReport, t: Type, n: int, total: int) -> None:
    small = t.font("small")
    y = PAGE_H - MARGIN - FOOTER_H + t.dots(40)
    painter.setPen(QPen(_RULE, t.dots(2)))
    painter.drawLine(QPointF(MARGIN, y), QPointF(MARGIN + CONTENT_W, y))
    page = report.page_words(n, total)
    fm = QFontMetricsF(small)
    width = CONTENT_W - fm.horizontalAdvance(page) - t.dots(60)
    _wrapped(painter, report.note, small, MARGIN, y + t.dots(16), width, _SOFT)
    _text(painter, page, small, MARGIN + CONTENT_W - fm.horizontalAdvance(page),
          y + t.dots(16), _SOFT)


def _lines(painter: QPainter, lines: list[str], font: QFont, x: float, y: float,
           colour: QColor) -> float:
    fm = QFontMetricsF(font)
    painter.setFont(font)
    painter.setPen(colour)
    for line in lines:
        painter.drawText(QPointF(x, y + fm.ascent()), line)
        y += fm.lineSpacing()
    return y


def _text(painter: QPainter, text: str, font: QFont, x: float, y: float,
          colour: QColor = _INK) -> float:
    return _lines(painter, [text], font, x, y, colour)


def _wrapped(painter: QPainter, text: str, font: QFont, x: float, y: float, width: float,
             colour: QColor = _INK) -> float:
    return _lines(painter, wrap(text, font, width), font, x, y, colour)
