"""Accessible names and visible focus, shared by the window's widgets.

:func:`name` gives a control the name a screen reader says (its label's words without the
mnemonic ``&`` and the trailing colon); widgets call it from their ``retranslate`` so the name
follows the language. :data:`FOCUS_STYLE` is the application-wide focus outline
(:func:`install_focus_style`).
"""

from __future__ import annotations

from typing import Any

#: a clear focus ring on every control that takes the keyboard (the default Fusion hint is faint)
FOCUS_COLOUR = "#1a73e8"
FOCUS_STYLE = (
    "QAbstractButton:focus, QComboBox:focus, QAbstractSpinBox:focus, QLineEdit:focus,"
    " QAbstractItemView:focus, QPlainTextEdit:focus, QTextEdit:focus"
    f" {{ outline: 2px solid {FOCUS_COLOUR}; border: 2px solid {FOCUS_COLOUR}; }}"
)


def label_words(text: str) -> str:
    return text.replace("&", "").strip().rstrip(":：").strip()


def name(widget: Any, text: str) -> None:
    """Set ``widget``'s accessible name from a label's ``text``."""
    widget.setAccessibleName(label_words(text))


def install_focus_style(app: Any) -> None:
    """Add :data:`FOCUS_STYLE` to ``app``'s style sheet (once)."""
    sheet = app.styleSheet()
    if FOCUS_STYLE not in sheet:
        app.setStyleSheet(f"{sheet}\n{FOCUS_STYLE}" if sheet else FOCUS_STYLE)


__all__ = ["FOCUS_STYLE", "install_focus_style", "label_words", "name"]
