
"""Accessibility and language (issue #12): every control is named in both languages, focus is
visible, a dark palette stays readable, Qt's LanguageChange retranslates, numbers are written
the language's way."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QAbstractSpinBox,
    QApplication,
    QComboBox,
    QHeaderView,
    QLineEdit,
    QPlainTextEdit,
    QTextEdit,
    QWidget,
)
from window_helpers import answer_all_no

from bodymap import i18n

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
    window.parts.techniques_dock.show()
    names = unnamed(window.techniques)
    window.parts.techniques_dock.hide()
    window.study_window.close()
    assert names == []


def changed_pixels(before, after) -> int:
    a, b = before.toImage(), after.toImage()
    count = 0
    for y in range(a.height()):
        for x in range(a.width()):
            p, q = a.pixelColor(x, y), b.pixelColor(x, y)
            if max(abs(p.red() - q.red()), abs(p.green() - q.green()),
                   abs(p.blue() - q.blue())) > 60:
                count += 1
    return count


def test_keyboard_focus_is_visible_on_buttons(make_window, qtbot):
    window = make_window(condition="hypertension")
    button = window.parts.panel.all_no_button
    window.activateWindow()
    other = window.parts.panel.conditions_box.condition_combo
    other.setFocus()
    qtbot.waitUntil(lambda: other.hasFocus())
    plain = button.grab()
    button.setFocus()
    qtbot.waitUntil(button.hasFocus)
    focused = button.grab()
    ring = 2 * (button.width() + button.height())
    assert changed_pixels(plain, focused) >= ring  # a ring all round, not a faint hint


def dark_palette():
    from PySide6.QtGui import QColor, QPalette

    pal = QPalette()
    role = QPalette.ColorRole
    for r, c in ((role.Window, "#202124"), (role.WindowText, "#e8eaed"), (role.Base, "#171717"),
                 (role.Text, "#e8eaed"), (role.Button, "#303134"), (role.ButtonText, "#e8eaed"),
                 (role.AlternateBase, "#2a2b2e"), (role.ToolTipBase, "#303134"),
                 (role.ToolTipText, "#e8eaed")):
        pal.setColor(r, QColor(c))
    return pal


def text_contrast(label) -> float:
    """The contrast a reader sees: the label's most common colour (its background) against the
    pixel that stands out most from it (its text)."""
    from collections import Counter

    from bodymap.widgets.accessible import contrast

    image = label.parentWidget().grab(label.geometry()).toImage()  # as drawn on its parent
    colours = Counter(image.pixel(x, y) for y in range(image.height())
                      for x in range(image.width()))
    from PySide6.QtGui import QColor

    background = QColor.fromRgb(colours.most_common(1)[0][0])
    return max(contrast(background, QColor.fromRgb(c)) for c in colours)


@pytest.mark.parametrize("answered", [False, True])
def test_a_dark_palette_keeps_the_banner_and_the_screening_status_readable(
        make_window, qtbot, answered):
    app = QApplication.instance()
    old = app.palette()
    app.setPalette(dark_palette())
    try:
        window = make_window(condition="hypertension")
        if answered:
            answer_all_no(window)
        status = window.parts.panel.screening_status
        assert status.text()
        assert text_contrast(status) >= 4.5
        assert text_contrast(window.parts.banner.title) >= 4.5
        yes = next(iter(window.parts.panel.checklist.questions.values())).yes
        yes.setChecked(True)
        assert text_contrast(yes) >= 4.5
    finally:
        app.setPalette(old)


def test_qt_language_change_retranslates_the_window(make_window, monkeypatch, qtbot):
    from bodymap.widgets.language import load_qt_translation

    window = make_window(condition="hypertension")
    answer_all_no(window)
    window.open_study()
    monkeypatch.setattr(i18n, "_current", "ru")  # no i18n listener is told
    translator = load_qt_translation("ru")  # Qt's own Russian (an empty one sends no event)
    assert translator is not None
    app = QApplication.instance()
    app.installTranslator(translator)  # Qt sends LanguageChange to every widget
    try:
        qtbot.waitUntil(lambda: window.menus["file"].title() == i18n.tr("menu.file", "ru"))
        assert window.parts.player.speed_box.accessibleName() == "Скорость воспроизведения"
        assert window.parts.course.plot.getPlotItem().titleLabel.text.startswith("Курс")
        assert window.study_window.end_button.text() != "End session"
        assert "Шаги" in window.parts.tabs.tabText(0)
    finally:
        app.removeTranslator(translator)
        window.study_window.close()


def test_numbers_are_written_with_the_decimal_comma_in_russian(make_window):
    window = make_window(condition="headache")  # 2.5 minutes a step in session 1
    answer_all_no(window)
    window.set_language("ru")
    halves = [s for s in window.plan.steps if s.minutes != int(s.minutes)]
    assert halves, "the plan has a step with half minutes"
    texts = [window.parts.steps.item(r, c).text() for r in range(window.parts.steps.rowCount())
             for c in range(window.parts.steps.columnCount()) if window.parts.steps.item(r, c)]
    wanted = i18n.number(float(halves[0].minutes))
    # a cell of its own, or the intensity's cell where the table is compact ("2,5 мин")
    assert "," in wanted and any(t == wanted or f"\n{wanted} мин" in t for t in texts)
    assert not any("." in t and t.replace(".", "").isdigit() for t in texts)
    total = i18n.number(window.plan.total_minutes)
    assert window.parts.banner.title.text().endswith(f"{total} мин")
    tips = [b.toolTip() for b in window.parts.player.plot._blocks]
    assert any(wanted + " мин" in t for t in tips), tips
