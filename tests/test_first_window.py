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
    from bodymap.widgets.prompts import Prompter

    class Discard(Prompter):  # a recovery offer left by another test is declined
        def ask(self, *args, **kwargs):
            return "discard"

    # the real start-up path: data loaded after the paint
    win = MainWindow(settings=settings, prompter=Discard())
    qtbot.addWidget(win)
    win.resize(1280, 860)
    with qtbot.waitSignal(win.firstPainted, timeout=10_000):
        win.show()
    qtbot.waitUntil(lambda: win.is_ready() and win.parts.map.isVisible(), timeout=10_000)
    yield win
    i18n.set_language("en")


def test_window_paints_the_back_offscreen(window, qtbot):
    """Each half of each zone is painted in its own colour at its representative point (no
    condition chosen: the plain colours), the patient's left on the viewer's left."""
    from PySide6.QtGui import QCursor, QGuiApplication

    from bodymap.widgets.map_style import zone_colour

    # the pointer off the window (a hovered half is drawn lighter), and no legend box over a
    # zone (on a small map it may cover the right half)
    QCursor.setPos(QGuiApplication.primaryScreen().geometry().bottomRight())
    qtbot.waitUntil(lambda: window.parts.map.hovered_zone() is None, timeout=3000)
    window.parts.map.set_legend_visible(False)
    image = window.parts.map.grab().toImage()
    geo = load_geometry()
    for half in ("lumbosacral-left", "lumbosacral-right", "collar-left", "thoracic-right"):
        # away from the midline, where the landmark tags (C7, L2, ...) sit on light labels
        inside = geo.regions[half].polygon.difference(geo.spine_strip(40.0))
        x, y = inside.representative_point().coords[0]
        p = window.parts.map.back_to_widget(x, y)
        got = image.pixelColor(int(p.x()), int(p.y()))
        want = zone_colour(half, "plain")
        diff = max(abs(got.red() - want.red()), abs(got.green() - want.green()),
                   abs(got.blue() - want.blue()))
        assert diff <= 10, f"{half}: painted {got.name()}, its colour is {want.name()}"


def test_hovering_the_collar_names_it(window, qtbot):
    geo = load_geometry()
    x, y = geo.regions["collar-left"].polygon.representative_point().coords[0]
    pos = window.parts.map.back_to_widget(x, y).toPoint()
    QTest.mouseMove(window.parts.map, pos)
    qtbot.waitUntil(lambda: window.parts.map.hovered_zone() == "collar-left", timeout=3000)
    assert "Collar" in window.parts.map.hover_text()
    assert "Collar" in window.parts.hover_label.text()
    QTest.mouseMove(window.parts.map, QPoint(2, 2))  # off the back: the name goes
    qtbot.waitUntil(lambda: window.parts.map.hovered_zone() is None, timeout=3000)
    assert window.parts.hover_label.text() == ""
