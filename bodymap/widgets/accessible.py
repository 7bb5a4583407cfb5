"""Accessible names and visible focus, shared by the window's widgets.

:func:`name` gives a control the name a screen reader says (its label's words without the
mnemonic ``&`` and the trailing colon); widgets call it from their ``retranslate`` so the name
follows the language. :data:`FOCUS_STYLE` is the application-wide focus outline
(:func:`install_focus_style`).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from PySide6.QtCore import QEvent
    from PySide6.QtGui import QColor
    from PySide6.QtWidgets import QApplication, QWidget

    _Widget = QWidget
else:  # the mixin's base at run time: the Qt class comes after it in each widget's bases
    _Widget = object

#: a clear focus ring on buttons and check boxes (Fusion shows none on tool buttons); line edits,
#: combo boxes, spin boxes and lists keep the style's own focus frame (the highlight colour)
FOCUS_COLOUR = "#1a73e8"
FOCUS_STYLE = (
    "QPushButton:focus, QToolButton:focus, QCheckBox:focus, QRadioButton:focus"
    f" {{ border: 2px solid {FOCUS_COLOUR}; border-radius: 3px; padding: 2px 6px; }}"
)


def luminance(colour: QColor) -> float:
    """WCAG 2 relative luminance of a QColor."""
    def channel(c: float) -> float:
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    return (0.2126 * channel(colour.redF()) + 0.7152 * channel(colour.greenF())
            + 0.0722 * channel(colour.blueF()))


def contrast(a: QColor, b: QColor) -> float:
    """WCAG 2 contrast ratio of two QColors (1..21)."""
    hi, lo = sorted((luminance(a), luminance(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


def readable(colour: str, background: QColor, least: float = 4.5) -> str:
    """``colour`` (a hex name), made lighter on a dark ``background`` or darker on a light one
    until their contrast reaches ``least`` (WCAG AA for text): the hue says the same thing,
    and the text stays readable under a dark system palette."""
    from PySide6.QtGui import QColor

    c = QColor(colour)
    dark = luminance(background) < 0.18
    for _ in range(40):
        if contrast(c, background) >= least:
            break
        h, s, lightness, a = c.hslHueF(), c.hslSaturationF(), c.lightnessF(), c.alphaF()
        lightness = min(1.0, lightness + 0.04) if dark else max(0.0, lightness - 0.04)
        c = QColor.fromHslF(max(h, 0.0), s, lightness, a)
    return c.name()


class RetranslatesOnLanguageChange(_Widget):
    """Mixin (listed before the Qt base): Qt's own ``LanguageChange`` event, sent when a
    translator is installed, calls ``retranslate()`` as the i18n listeners do."""

    if TYPE_CHECKING:
        #: every widget with this mixin has one (declared only: the widget's own is called)
        retranslate: Callable[[], None]

    def changeEvent(self, event: QEvent) -> None:
        from PySide6.QtCore import QEvent

        super().changeEvent(event)
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()


def label_words(text: str) -> str:
    return text.replace("&", "").strip().rstrip(":：").strip()


def name(widget: QWidget, text: str) -> None:
    """Set ``widget``'s accessible name from a label's ``text``."""
    widget.setAccessibleName(label_words(text))


def install_focus_style(app: QApplication) -> None:
    """Add :data:`FOCUS_STYLE` to ``app``'s style sheet (once)."""
    sheet = app.styleSheet()
    if FOCUS_STYLE not in sheet:
        app.setStyleSheet(f"{sheet}\n{FOCUS_STYLE}" if sheet else FOCUS_STYLE)


__all__ = ["FOCUS_STYLE", "RetranslatesOnLanguageChange", "contrast", "install_focus_style",
           "label_words", "luminance", "name", "readable"]
