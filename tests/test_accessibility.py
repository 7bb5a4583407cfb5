# ruff: noqa: F811  (fixtures imported from test_mainwindow are used as arguments)
"""Accessibility and language (issue #12): every control is named in both languages, focus is
visible, a dark palette stays readable, Qt's LanguageChange retranslates, numbers are written
the language's way."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QAbstractSpinBox,
    QComboBox,
    QHeaderView,
    QLineEdit,
    QPlainTextEdit,
    QTextEdit,
    QWidget,
)
from test_mainwindow import Prompts, answer_all_no, data, env, make_window  # noqa: F401

INTERACTIVE = (QAbstractButton, QComboBox, QAbstractSpinBox, QLineEdit, QAbstractItemView,
               QPlainTextEdit, QTextEdit)


def unnamed(root: QWidget) -> list[str]:
    """Interactive widgets with neither an accessible name nor visible text."""
    missing = []
    for widget in root.findChildren(QWidget):
        if not isinstance(widget, INTERACTIVE) or widget.parent() is None:
            continue
        if (isinstance(widget, QHeaderView) or widget.objectName().startswith("qt_")
                or widget.parent().metaObject().className() == "QComboBoxPrivateContainer"):
            continue  # a header's sections carry their text; Qt's inner parts are the control's
        text = widget.text() if isinstance(widget, QAbstractButton) else ""
        if isinstance(widget, QAbstractButton) and widget.icon().isNull() is False and not text:
            text = widget.toolTip()
        if not (widget.accessibleName().strip() or text.replace("&", "").strip()):
            missing.append(f"{type(widget).__name__} {widget.objectName()!r} "
                           f"in {type(widget.parent()).__name__}")
    return missing


@pytest.mark.parametrize("lang", ["en", "ru"])
def test_every_control_of_the_main_window_and_study_has_a_name(make_window, lang):
    window = make_window(condition="hypertension")
    answer_all_no(window)
    window.set_language(lang)
    window.open_study()
    assert unnamed(window) == []
    assert unnamed(window.study_window) == []
    window.techniques_dock.show()
    names = unnamed(window.techniques)
    window.techniques_dock.hide()
    window.study_window.close()
    assert names == []
