"""The exam report as a PDF: A4, the date, the score per topic, what to look at again.

Painted with :class:`QPdfWriter` and the handout's text setting (:mod:`bodymap.widgets.
handout_flow`: plain text, measured and wrapped, DejaVu Sans for Cyrillic); further pages when
the list of mistakes is long. Painted in memory, checked whole, written atomically
(:func:`bodymap.safeio.atomic_write_bytes`): a failed save never leaves half a file.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from PySide6.QtCore import QDateTime, QLocale, QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QPainter, QPen

from bodymap.exam import ExamReport
from bodymap.i18n import pick, tr
from bodymap.safeio import atomic_write_bytes
from bodymap.widgets.a4_pdf import PAGE_H, PAGE_W, a4_pdf
from bodymap.widgets.handout_flow import Block, Custom, Para, Space, Type, heading

__all__ = ["ReportWords", "local_date", "report_lines", "save_report_pdf"]

MARGIN = 190
_SOFT = QColor("#6b625b")
_RULE = QColor("#c9c1b8")
_COLS = ("col_topic", "col_asked", "col_right", "col_wrong", "col_unanswered", "col_score")


def local_date(when: datetime, lang: str) -> str:
    """The date and the time of day in the language's own format (its QLocale)."""
    locale = QLocale(QLocale.Language.Russian if lang == "ru" else QLocale.Language.English,
                     QLocale.Country.Russia if lang == "ru" else QLocale.Country.UnitedKingdom)
    local = QDateTime.fromSecsSinceEpoch(int(when.timestamp())).toLocalTime()
    return (f"{locale.toString(local.date(), QLocale.FormatType.LongFormat)}, "
            f"{locale.toString(local.time(), QLocale.FormatType.ShortFormat)}")


@dataclass(frozen=True)
class ReportWords:
    """The report's words in one language (what the page and the PDF both show)."""

    title: str
    deck: str
    total: str
    timed_out: str  # "" when the time did not run out
    header: list[str]
    rows: list[list[str]]
    mistakes_title: str
    mistakes: list[str]
    note: str


def report_lines(report: ExamReport, lang: str) -> ReportWords:
    """The report's words in ``lang``."""
    deck = tr("study.deck.all", lang) if report.deck == "" else report.deck
    used = max(1, round(report.used.total_seconds() / 60))
    rows = [[tr(f"study.topic.{t.topic}", lang), str(t.asked), str(t.right), str(t.wrong),
             str(t.unanswered), f"{t.percent}%"] for t in report.topics]
    missed = [a.drill for a in report.answers if not a.right] + list(report.unanswered)
    mistakes = [tr("study.exam.mistake", lang, prompt=pick(d.prompt, lang),
                   answer=pick(d.answer_text, lang).replace("\n", " ")) for d in missed]
    return ReportWords(
        title=tr("study.exam.report_title", lang),
        deck=tr("study.exam.report_deck", lang, deck=deck,
                date=local_date(report.finished.astimezone(), lang)),
        total=tr("study.exam.report_total", lang, right=report.right, asked=report.asked,
                 percent=report.percent, used=used, minutes=report.minutes),
        timed_out=tr("study.exam.report_timed_out", lang, n=len(report.unanswered))
        if report.timed_out else "",
        header=[tr(f"study.exam.{c}", lang) for c in _COLS],
        rows=rows,
        mistakes_title=tr("study.exam.mistakes", lang),
        mistakes=mistakes or [tr("study.exam.no_mistakes", lang)],
        note=tr("study.exam.pdf_note", lang),
    )


def _table(header: list[str], rows: list[list[str]], t: Type) -> Custom:
    """The score per topic: the topic column takes what the number columns leave (each as
    wide as its widest cell, so no heading runs into the next)."""
    from PySide6.QtGui import QFontMetricsF

    font, bold = t.font("body"), t.font("bold")
    line = QFontMetricsF(font).lineSpacing() * 1.5
    height = line * (len(rows) + 1)
    pad = 40.0
    widths = [max(QFontMetricsF(bold).horizontalAdvance(header[c]),
                  *(QFontMetricsF(font).horizontalAdvance(r[c]) for r in rows)) + pad
              for c in range(1, len(header))]

    def draw(p: QPainter, x: float, y: float, width: float) -> None:
        first = width - sum(widths)
        lefts = [x, *(x + first + sum(widths[:i]) for i in range(len(widths)))]
        spans = [first, *widths]
        for r, cells in enumerate([header, *rows]):
            p.setFont(bold if r == 0 else font)
            p.setPen(QColor("#2b2b2b"))
            top = y + r * line
            for c, text in enumerate(cells):
                align = Qt.AlignmentFlag.AlignLeft if c == 0 else Qt.AlignmentFlag.AlignRight
                p.drawText(QRectF(lefts[c], top, spans[c] - (0 if c == 0 else 10), line),
                           int(Qt.AlignmentFlag.AlignVCenter) | int(align), text)
            p.setPen(QPen(_RULE, 3))
            p.drawLine(QPointF(x, top + line), QPointF(x + width, top + line))

    return Custom(lambda _w: height, draw)


def _blocks(words: ReportWords, t: Type) -> list[Block]:
    blocks: list[Block] = [Para(words.title, t.font("title")),
                           Para(words.deck, t.font("subtitle"), _SOFT, before=20),
                           Space(50), Para(words.total, t.font("heading"))]
    if words.timed_out:
        blocks.append(Para(words.timed_out, t.font("body"), QColor("#b3261e"), before=15))
    blocks += [Space(40), _table(words.header, words.rows, t), Space(40),
               heading(words.mistakes_title, t)]
    blocks += [Para(m, t.font("body"), bullet="•", indent=45, before=10)
               for m in words.mistakes]
    blocks += [Space(50), Para(words.note, t.font("small"), _SOFT)]
    return blocks


def render_pdf(report: ExamReport, lang: str) -> bytes:
    words = report_lines(report, lang)

    def paint(painter: QPainter, new_page: Callable[[], object]) -> None:
        t = Type(1.0)
        width = PAGE_W - 2 * MARGIN
        y = float(MARGIN)
        for block in _blocks(words, t):
            h = block.height(width)
            if y + h > PAGE_H - MARGIN and y > MARGIN:
                new_page()
                y = MARGIN
            block.draw(painter, MARGIN, y, width)
            y += h

    return a4_pdf(f"{words.title} — {words.deck}", paint)


def save_report_pdf(report: ExamReport, path: str | Path, lang: str) -> Path:
    """Write the report to ``path`` atomically; FileWriteError names the file."""
    data = render_pdf(report, lang)

    def check(raw: bytes) -> str | None:
        whole = raw.startswith(b"%PDF-") and b"%%EOF" in raw[-1024:]
        return None if whole else "the PDF came out incomplete"

    return atomic_write_bytes(Path(path), data, check=check)
