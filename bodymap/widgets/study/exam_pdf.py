"""The exam report as a PDF: A4, the date, the score per topic, what to look at again.

Painted with :class:`QPdfWriter` and the handout's text setting (:mod:`bodymap.widgets.
handout_flow`: plain text, measured and wrapped, DejaVu Sans for Cyrillic); further pages when
the list of mistakes is long. Painted in memory, checked whole, written atomically
(:func:`bodymap.safeio.atomic_write_bytes`): a failed save never leaves half a file.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from PySide6.QtCore import QBuffer, QDateTime, QIODevice, QLocale, QMarginsF, QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QPageLayout, QPageSize, QPainter, QPdfWriter, QPen

from bodymap.errors import BodymapError
from bodymap.exam import ExamReport
from bodymap.i18n import pick, tr
from bodymap.safeio import atomic_write_bytes
from bodymap.widgets.handout_flow import PDF_DPI, Block, Custom, Para, Space, Type, heading

__all__ = ["local_date", "report_lines", "save_report_pdf"]

PAGE_W, PAGE_H = 2480, 3508  # A4 at 300 dpi
MARGIN = 190
_SOFT = QColor("#6b625b")
_RULE = QColor("#c9c1b8")
_COLS = ("col_topic", "col_asked", "col_right", "col_wrong", "col_unanswered", "col_score")


def local_date(when: datetime, lang: str) -> str:
    """The date and time in the language's own format (QLocale of the language)."""
    locale = QLocale(QLocale.Language.Russian if lang == "ru" else QLocale.Language.English,
                     QLocale.Country.Russia if lang == "ru" else QLocale.Country.UnitedKingdom)
    stamp = QDateTime.fromSecsSinceEpoch(int(when.timestamp()))
    return locale.toString(stamp, QLocale.FormatType.LongFormat)


def report_lines(report: ExamReport, lang: str) -> dict[str, object]:
    """The report's words in ``lang`` (what the page and the PDF both show)."""
    deck = tr("study.deck.all", lang) if report.deck == "" else report.deck
    used = max(1, round(report.used.total_seconds() / 60))
    rows = [[tr(f"study.topic.{t.topic}", lang), str(t.asked), str(t.right), str(t.wrong),
             str(t.unanswered), f"{t.percent}%"] for t in report.topics]
    mistakes = [tr("study.exam.mistake", lang, prompt=pick(a.drill.prompt, lang),
                   answer=pick(a.drill.answer_text, lang).replace("\n", " "))
                for a in report.answers if not a.right]
    mistakes += [tr("study.exam.mistake", lang, prompt=pick(d.prompt, lang),
                    answer=pick(d.answer_text, lang).replace("\n", " "))
                 for d in report.unanswered]
    return {
        "title": tr("study.exam.report_title", lang),
        "deck": tr("study.exam.report_deck", lang, deck=deck,
                   date=local_date(report.finished.astimezone(), lang)),
        "total": tr("study.exam.report_total", lang, right=report.right, asked=report.asked,
                    percent=report.percent, used=used, minutes=report.minutes),
        "timed_out": tr("study.exam.report_timed_out", lang, n=len(report.unanswered))
        if report.timed_out else "",
        "header": [tr(f"study.exam.{c}", lang) for c in _COLS],
        "rows": rows,
        "mistakes_title": tr("study.exam.mistakes", lang),
        "mistakes": mistakes or [tr("study.exam.no_mistakes", lang)],
        "note": tr("study.exam.pdf_note", lang),
    }


def _table(header: list[str], rows: list[list[str]], t: Type) -> Custom:
    font, bold = t.font("body"), t.font("bold")
    from PySide6.QtGui import QFontMetricsF

    line = QFontMetricsF(font).lineSpacing() * 1.5
    height = line * (len(rows) + 1)

    def draw(p: QPainter, x: float, y: float, width: float) -> None:
        first = width * 0.40
        rest = (width - first) / (len(header) - 1)
        lefts = [x] + [x + first + i * rest for i in range(len(header) - 1)]
        for r, cells in enumerate([header, *rows]):
            p.setFont(bold if r == 0 else font)
            p.setPen(QColor("#2b2b2b"))
            top = y + r * line
            for c, text in enumerate(cells):
                w = first if c == 0 else rest
                p.drawText(QRectF(lefts[c], top, w - 20, line),
                           int(Qt.AlignmentFlag.AlignVCenter) | int(
                               Qt.AlignmentFlag.AlignLeft if c == 0
                               else Qt.AlignmentFlag.AlignRight), text)
            p.setPen(QPen(_RULE, 3))
            p.drawLine(QPointF(x, top + line), QPointF(x + width, top + line))

    return Custom(lambda _w: height, draw)


def _blocks(words: dict[str, object], t: Type) -> list[Block]:
    blocks: list[Block] = [Para(str(words["title"]), t.font("title")),
                           Para(str(words["deck"]), t.font("subtitle"), _SOFT, before=20),
                           Space(50), Para(str(words["total"]), t.font("heading"))]
    if words["timed_out"]:
        blocks.append(Para(str(words["timed_out"]), t.font("body"), QColor("#b3261e"),
                           before=15))
    blocks += [Space(40), _table(list(words["header"]), list(words["rows"]), t),  # type: ignore[arg-type]
               Space(40), heading(str(words["mistakes_title"]), t)]
    blocks += [Para(m, t.font("body"), bullet="•", indent=45, before=10)
               for m in words["mistakes"]]  # type: ignore[attr-defined]
    blocks += [Space(50), Para(str(words["note"]), t.font("small"), _SOFT)]
    return blocks


def render_pdf(report: ExamReport, lang: str) -> bytes:
    words = report_lines(report, lang)
    buffer = QBuffer()
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    writer = QPdfWriter(buffer)
    writer.setResolution(PDF_DPI)
    writer.setPageLayout(QPageLayout(QPageSize(QPageSize.PageSizeId.A4),
                                     QPageLayout.Orientation.Portrait, QMarginsF(0, 0, 0, 0)))
    writer.setTitle(f"{words['title']} — {words['deck']}")
    writer.setCreator("bodymap")
    painter = QPainter()
    if not painter.begin(writer):
        raise BodymapError("the PDF could not be started")
    try:
        painter.scale(writer.width() / PAGE_W, writer.height() / PAGE_H)
        t = Type(1.0)
        width = PAGE_W - 2 * MARGIN
        y = MARGIN
        for block in _blocks(words, t):
            h = block.height(width)
            if y + h > PAGE_H - MARGIN and y > MARGIN:
                writer.newPage()
                y = MARGIN
            block.draw(painter, MARGIN, y, width)
            y += h
    finally:
        painter.end()
    del writer
    buffer.close()
    return bytes(buffer.data())


def save_report_pdf(report: ExamReport, path: str | Path, lang: str) -> Path:
    """Write the report to ``path`` atomically; FileWriteError names the file."""
    data = render_pdf(report, lang)

    def check(raw: bytes) -> str | None:
        whole = raw.startswith(b"%PDF-") and b"%%EOF" in raw[-1024:]
        return None if whole else "the PDF came out incomplete"

    return atomic_write_bytes(Path(path), data, check=check)
