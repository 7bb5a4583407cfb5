"""Text from files shown as plain text, never as rich text.

A QLabel can be told ``Qt.PlainText``, but a tooltip cannot: Qt guesses (``Qt::mightBeRichText``)
and renders ``<b>``, ``<img>`` or ``<a>`` in a protocol's summary or a file name. So every
tooltip that carries text from a file goes through :func:`plain_tip`: the text is escaped and
wrapped in a paragraph that keeps its line breaks, and Qt shows it exactly as written.

:func:`limit_typing` keeps a text field within the length its file format reads back, with a
visible count (the patient notes: :data:`bodymap.document.NOTES_MAX_CHARS`); :func:`limit_line`
does the same for a one-line field (the patient's name), counting characters as the file does.
"""

from __future__ import annotations

import html

from PySide6.QtCore import QObject
from PySide6.QtGui import QTextCursor, QValidator
from PySide6.QtWidgets import QLabel, QLineEdit, QPlainTextEdit

__all__ = ["limit_line", "limit_typing", "plain_tip"]


def plain_tip(text: str) -> str:
    """A tooltip showing ``text`` literally (line breaks kept); "" stays "" (no tooltip)."""
    if not text:
        return ""
    return "<p style='white-space:pre-wrap'>" + html.escape(text, quote=False) + "</p>"


def limit_typing(edit: QPlainTextEdit, max_chars: int, counter: QLabel) -> None:
    """Stop ``edit`` at ``max_chars`` characters (counted as the file format counts them) and
    show "n / max" in ``counter``. Connect this before any other ``textChanged`` handler.

    Whatever was typed or pasted past the limit is cut where it went in (the end of a paste),
    so the text before and after the cursor stays as it was; undo still works.
    """

    def enforce() -> None:
        text = edit.toPlainText()
        excess = len(text) - max_chars
        if excess > 0:
            pos16 = edit.textCursor().position()
            at = len(text.encode("utf-16-le")[: 2 * pos16].decode("utf-16-le", "ignore"))
            start = at - excess if at >= excess else max_chars
            end = at if at >= excess else len(text)
            cursor = QTextCursor(edit.document())
            cursor.setPosition(_utf16_len(text[:start]))
            cursor.setPosition(_utf16_len(text[:end]), QTextCursor.MoveMode.KeepAnchor)
            cursor.removeSelectedText()  # textChanged again, now within the limit
            return
        counter.setText(f"{len(text)} / {max_chars}")

    edit.textChanged.connect(enforce)
    enforce()


class _CodePoints(QValidator):
    """Refuses an edit that would make the text longer than ``max_chars`` characters."""

    def __init__(self, max_chars: int, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.max_chars = max_chars

    def validate(self, text: str, pos: int) -> tuple[QValidator.State, str, int]:
        ok = len(text) <= self.max_chars
        return (QValidator.State.Acceptable if ok else QValidator.State.Invalid), text, pos


def limit_line(edit: QLineEdit, max_chars: int) -> None:
    """Keep a one-line field within ``max_chars`` characters as a file counts them (code
    points). ``QLineEdit.maxLength`` counts UTF-16 units, so alone it would cut a name of
    emoji or rare CJK characters in half when a file is opened; here it is only a backstop
    (no text of ``max_chars`` characters is longer), and typing or pasting past the limit is
    refused."""
    edit.setMaxLength(2 * max_chars)
    edit.setValidator(_CodePoints(max_chars, edit))


def _utf16_len(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2
