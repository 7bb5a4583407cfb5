"""The first window (issue 2): it opens and paints offscreen; hovering the collar names it."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, QSettings
from PySide6.QtTest import QTest

from bodymap import i18n
from bodymap.geometry import load_geometry
from bodymap.widgets.mainwindow import MainWindow


@pytest.fixture
def window(qtbot, tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    monkeypatch.setenv("BODYMAP_USER_DIR", str(tmp_path / "data" / "bodymap"))
    settings = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
    win = MainWindow(settings=settings)  # the real start-up path: data loaded after the paint
    win._ask = lambda *a, **k: "discard"
    qtbot.addWidget(win)
    win.resize(1280, 860)
    with qtbot.waitSignal(win.firstPainted, timeout=10_000):
        win.show()
    qtbot.waitUntil(lambda: win.map is not None and win.map.isVisible(), timeout=10_000)
    yield win
    i18n.set_language("en")


def test_window_paints_the_back_offscreen(window):
    image = window.map.grab().toImage()
    geo = load_geometry()
    x, y = geo.regions["lumbosacral-left"].polygon.representative_point().coords[0]
    p = window.map.back_to_widget(x, y)
    colour = image.pixelColor(int(p.x()), int(p.y()))
    background = image.pixelColor(2, image.height() - 2)
    assert colour != background, "the back is drawn where the lumbosacral zone is"


def test_hovering_the_collar_names_it(window, qtbot):
    geo = load_geometry()
    x, y = geo.regions["collar-left"].polygon.representative_point().coords[0]
    pos = window.map.back_to_widget(x, y).toPoint()
    QTest.mouseMove(window.map, pos)
    qtbot.waitUntil(lambda: window.map.hovered_zone() == "collar-left", timeout=3000)
    assert "Collar" in window.map.hover_text()
    assert "Collar" in window.hover_label.text()
    QTest.mouseMove(window.map, QPoint(2, 2))  # off the back: the name goes
    qtbot.waitUntil(lambda: window.map.hovered_zone() is None, timeout=3000)
    assert window.hover_label.text() == ""
