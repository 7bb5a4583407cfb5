"""One A4 portrait PDF, painted in page "dots" (1/300 inch): the handout, the course report and
the exam report all set their pages up here, so their paper, margins and resolution cannot
drift apart.

:func:`a4_pdf` opens a :class:`QPdfWriter` on a memory buffer (A4 portrait, no printer margins,
300 dpi), scales the painter so that one page is :data:`PAGE_W` x :data:`PAGE_H` dots, lets the
caller paint (``new_page()`` starts the next page) and returns the finished PDF's bytes. The
caller writes them (atomically) where the user asked.
"""

from __future__ import annotations

import os
from collections.abc import Callable

from PySide6.QtCore import QBuffer, QIODevice, QMarginsF
from PySide6.QtGui import QGuiApplication, QPageLayout, QPageSize, QPainter, QPdfWriter

from bodymap.errors import BodymapError

__all__ = ["PAGE_H", "PAGE_W", "PDF_DPI", "a4_pdf", "ensure_gui_app"]

PDF_DPI = 300
#: A4 at 300 dpi (210 x 297 mm)
PAGE_W, PAGE_H = 2480, 3508

#: paints the pages: (the painter, in page dots; a call that starts the next page)
Paint = Callable[[QPainter, Callable[[], object]], None]


def a4_pdf(title: str, paint: Paint, *, failed: str = "the PDF could not be started") -> bytes:
    """The bytes of an A4 portrait PDF titled ``title``, painted by ``paint(painter,
    new_page)`` in page dots (A4 = 2480 x 3508). ``failed``: the error's words when the PDF
    cannot be started (:class:`BodymapError`)."""
    ensure_gui_app()
    buffer = QBuffer()
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    writer = QPdfWriter(buffer)
    writer.setResolution(PDF_DPI)
    writer.setPageLayout(QPageLayout(QPageSize(QPageSize.PageSizeId.A4),
                                     QPageLayout.Orientation.Portrait, QMarginsF(0, 0, 0, 0)))
    writer.setTitle(title)
    writer.setCreator("bodymap")
    painter = QPainter()
    if not painter.begin(writer):
        raise BodymapError(failed)
    try:
        painter.scale(writer.width() / PAGE_W, writer.height() / PAGE_H)
        paint(painter, writer.newPage)
    finally:
        painter.end()
    del writer  # flushes the PDF into the buffer
    buffer.close()
    return bytes(buffer.data().data())


def ensure_gui_app() -> None:
    """Fonts need a QGuiApplication; make a headless one if the caller has none."""
    if QGuiApplication.instance() is None:
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
        _APP.append(QGuiApplication(["bodymap-export"]))


_APP: list[QGuiApplication] = []  # keeps an app made here alive for the process
