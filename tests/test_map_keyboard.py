"""The map from the keyboard (issue 12, point 4): Tab reaches it and walks the zone halves,
the arrows move between zones and halves, Enter or Space does what a click does in each mode,
Esc leaves a marking mode; the cursor is drawn and named."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QPushButton, QVBoxLayout, QWidget

from bodymap.geometry import load_geometry
from bodymap.widgets.mapview import BodyMapView

GEOMETRY = load_geometry()
ORDER = [f"{z}-{s}" for z in ("collar", "interscapular", "thoracic", "lumbosacral")
         for s in ("left", "right")]


def rep(half):
    pt = GEOMETRY.polygon(half).representative_point()
    return pt.x, pt.y


@pytest.fixture
def form(qtbot):
    """A button, the map, a button: the map between two ordinary Tab stops."""
    w = QWidget()
    lay = QVBoxLayout(w)
    before, after = QPushButton("before"), QPushButton("after")
    view = BodyMapView(GEOMETRY)
    for x in (before, view, after):
        lay.addWidget(x)
    qtbot.addWidget(w)
    w.resize(900, 1000)
    w.show()
    qtbot.waitExposed(w)
    before.setFocus()
    qtbot.waitUntil(before.hasFocus)
    return w, before, view, after


def focus_map(qtbot, form):
    _, before, view, _ = form
    qtbot.keyClick(before, Qt.Key.Key_Tab)
    qtbot.waitUntil(view.hasFocus)
    return view


def dark_pixels(view, half) -> int:
    """Near-black pixels inside the half's bounding box (its outline is the darkest there)."""
    image = view.grab().toImage()
    x0, y0, x1, y1 = GEOMETRY.polygon(half).bounds
    a, b = view.back_to_widget(x0, y0), view.back_to_widget(x1, y1)
    n = 0
    for x in range(int(a.x()), int(b.x()), 2):
        for y in range(int(a.y()), int(b.y()), 2):
            c = image.pixelColor(x, y)
            n += max(c.red(), c.green(), c.blue()) < 60
    return n


def test_tab_walks_the_zone_halves_in_reading_order_then_leaves_the_map(qtbot, form):
    after = form[3]
    view = focus_map(qtbot, form)
    seen = [view.keyboard_zone()]
    for _ in ORDER[1:]:
        qtbot.keyClick(view, Qt.Key.Key_Tab)
        seen.append(view.keyboard_zone())
    assert seen == ORDER
    qtbot.keyClick(view, Qt.Key.Key_Tab)  # past the last half: no keyboard trap
    qtbot.waitUntil(after.hasFocus)
    qtbot.keyClick(after, Qt.Key.Key_Backtab)  # back in from below: the last half
    qtbot.waitUntil(view.hasFocus)
    assert view.keyboard_zone() == "lumbosacral-right"
    qtbot.keyClick(view, Qt.Key.Key_Backtab)
    assert view.keyboard_zone() == "lumbosacral-left"


def test_arrows_move_between_zones_and_halves(qtbot, form):
    view = focus_map(qtbot, form)
    moves = [(Qt.Key.Key_Down, "interscapular-left"), (Qt.Key.Key_Right, "interscapular-right"),
             (Qt.Key.Key_Right, "interscapular-right"), (Qt.Key.Key_Down, "thoracic-right"),
             (Qt.Key.Key_Down, "lumbosacral-right"), (Qt.Key.Key_Down, "lumbosacral-right"),
             (Qt.Key.Key_Left, "lumbosacral-left"), (Qt.Key.Key_Up, "thoracic-left")]
    for key, want in moves:
        qtbot.keyClick(view, key)
        assert view.keyboard_zone() == want, key
    # the patient's left half is on the screen's left (posterior view)
    assert view.back_to_widget(*rep("thoracic-left")).x() < view.width() / 2


def test_the_cursor_and_the_focus_are_drawn(qtbot, form):
    _, before, view, _ = form
    unfocused = view.grab().toImage()
    view = focus_map(qtbot, form)
    focused = view.grab().toImage()
    # a focus frame round the map
    edge = [focused.pixelColor(x, 1) for x in range(10, view.width() - 10, 40)]
    assert all(max(c.red(), c.green(), c.blue()) < 80 for c in edge)
    assert unfocused.pixelColor(view.width() // 2, 1) != focused.pixelColor(view.width() // 2, 1)
    # the cursor's half has a dark ring, which moves with the cursor
    ringed = dark_pixels(view, "collar-left")
    for _ in range(3):
        qtbot.keyClick(view, Qt.Key.Key_Down)
    assert ringed > dark_pixels(view, "collar-left") + 20
    before.setFocus()
    qtbot.waitUntil(lambda: not view.hasFocus())
    assert max(focused.pixelColor(view.width() // 2, 1).getRgb()[:3]) < 80
    assert max(view.grab().toImage().pixelColor(view.width() // 2, 1).getRgb()[:3]) > 200


def test_the_cursor_is_named_as_hover_names_a_zone(qtbot, form):
    view = focus_map(qtbot, form)
    hovered = []
    view.zoneHovered.connect(hovered.append)
    qtbot.keyClick(view, Qt.Key.Key_Down)
    assert hovered[-1:] == ["interscapular-left"]  # the window's status shows it
    form[1].setFocus()
    qtbot.waitUntil(lambda: hovered[-1] == "")  # and stops when the focus leaves
    assert "Interscapular" in view.accessibleDescription()


@pytest.mark.parametrize("key", [Qt.Key.Key_Return, Qt.Key.Key_Space])
def test_enter_or_space_selects_the_half_as_a_click_does(qtbot, form, key):
    view = focus_map(qtbot, form)
    qtbot.keyClick(view, Qt.Key.Key_Right)
    with qtbot.waitSignal(view.zoneClicked) as clicked:
        qtbot.keyClick(view, key)
    assert clicked.args == ["collar-right"]
    assert view.selected_zone() == "collar-right"


def test_enter_in_lesion_mode_toggles_the_half(qtbot, form):
    view = focus_map(qtbot, form)
    view.set_mark_mode("lesion")
    qtbot.keyClick(view, Qt.Key.Key_Down)
    with qtbot.waitSignal(view.lesionToggled) as toggled:
        qtbot.keyClick(view, Qt.Key.Key_Return)
    assert toggled.args == ["interscapular-left"]


@pytest.mark.parametrize("half", ["lumbosacral-left", "lumbosacral-right"])
def test_enter_in_hernia_mode_places_it_at_the_half_s_level_and_side(qtbot, form, half):
    view = focus_map(qtbot, form)
    view.set_mark_mode("hernia")
    for _ in range(3):
        qtbot.keyClick(view, Qt.Key.Key_Down)
    if half.endswith("right"):
        qtbot.keyClick(view, Qt.Key.Key_Right)
    with qtbot.waitSignal(view.herniaPlaced) as placed:
        qtbot.keyClick(view, Qt.Key.Key_Enter)
    level, side = placed.args
    assert side == half.rpartition("-")[2]
    assert level == GEOMETRY.nearest_level(rep(half)[1])
    assert level[0] in "LS"  # a lumbar disc, not a thoracic one


def test_enter_in_pain_mode_marks_the_half_s_own_point(qtbot, form):
    view = focus_map(qtbot, form)
    view.set_mark_mode("pain")
    qtbot.keyClick(view, Qt.Key.Key_Down)
    qtbot.keyClick(view, Qt.Key.Key_Down)
    with qtbot.waitSignal(view.painPointPlaced) as placed:
        qtbot.keyClick(view, Qt.Key.Key_Space)
    x, y = placed.args
    assert GEOMETRY.zone_at(x, y) == "thoracic-left"


def test_esc_leaves_the_marking_mode(qtbot, form):
    view = focus_map(qtbot, form)
    view.set_mark_mode("pain")
    with qtbot.waitSignal(view.markModeChanged, check_params_cb=lambda mode: mode == ""):
        qtbot.keyClick(view, Qt.Key.Key_Escape)
    assert view.mark_mode() is None
    with qtbot.assertNotEmitted(view.painPointPlaced):
        qtbot.keyClick(view, Qt.Key.Key_Return)  # Enter selects again
    assert view.selected_zone() == "collar-left"


def test_study_drills_answer_from_the_keyboard(qtbot):
    """Click-the-zone and where-not-to-press cards hear Enter as a click on the half."""
    from bodymap.widgets.study.map import StudyMapView

    view = StudyMapView(GEOMETRY)
    qtbot.addWidget(view)
    view.resize(900, 900)
    view.show()
    qtbot.waitExposed(view)
    view.setFocus(Qt.FocusReason.TabFocusReason)
    qtbot.waitUntil(view.hasFocus)
    for key in (Qt.Key.Key_Up, Qt.Key.Key_Up, Qt.Key.Key_Down):
        qtbot.keyClick(view, key)  # to the top row whatever the focus reason, then down
    assert view.keyboard_zone() == "interscapular-left"
    points, zones = [], []
    view.pointClicked.connect(lambda x, y: points.append((x, y)))
    view.zoneClicked.connect(zones.append)
    qtbot.keyClick(view, Qt.Key.Key_Return)
    assert [GEOMETRY.zone_at(*p) for p in points] == ["interscapular-left"]
    assert zones == ["interscapular-left"]


def test_esc_on_the_map_unchecks_the_window_s_marking_action(qtbot, tmp_path, monkeypatch):
    from PySide6.QtCore import QSettings

    from bodymap.widgets.mainwindow import MainWindow
    from bodymap.widgets.prompts import Prompter

    monkeypatch.setenv("BODYMAP_USER_DIR", str(tmp_path / "user"))

    class Discard(Prompter):
        def ask(self, *args, **kwargs):
            return "discard"

    win = MainWindow("hypertension", prompter=Discard(),
                     settings=QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat))
    qtbot.addWidget(win)
    with qtbot.waitSignal(win.ready, timeout=10_000):
        win.show()
    win.mark_actions["lesion"].trigger()
    assert win.parts.map.mark_mode() == "lesion"
    qtbot.keyClick(win.parts.map, Qt.Key.Key_Escape)
    assert win.parts.map.mark_mode() is None
    assert not any(a.isChecked() for a in win.mark_actions.values())
    win.mark_actions["hernia"].trigger()  # and the actions still work after it
    assert win.parts.map.mark_mode() == "hernia"


# ------------------------------------------------------------------ assistive technology


@pytest.fixture
def spy_accessibility(monkeypatch):
    """Records the accessibility events the map sends (no screen reader runs in a test)."""
    from PySide6.QtGui import QAccessible

    from bodymap.widgets.map import keyboard

    sent = []

    class Spy:
        Event = QAccessible.Event

        @staticmethod
        def updateAccessibility(event):
            sent.append((event.object(), event.type()))

    monkeypatch.setattr(keyboard, "QAccessible", Spy)
    return sent


@pytest.mark.parametrize(("lang", "name", "zone"), [
    ("en", "Back map, seen from behind", "Interscapular zone"),
    ("ru", "Карта спины, вид сзади", "Межлопаточная область"),
])
def test_the_map_and_its_focused_zone_have_accessible_names(qtbot, form, spy_accessibility,
                                                            lang, name, zone):
    from bodymap import i18n

    view = form[2]
    try:
        i18n.set_language(lang)
        assert view.accessibleName() == name
        assert "Tab" in view.accessibleDescription()
        view = focus_map(qtbot, form)
        sent_before = len(spy_accessibility)
        qtbot.keyClick(view, Qt.Key.Key_Down)
        assert view.accessibleName().startswith(name + ": ")
        assert zone in view.accessibleName()
        assert zone in view.accessibleDescription()
        assert len(spy_accessibility) > sent_before
        assert spy_accessibility[-1][0] is view
    finally:
        i18n.set_language("en")
    assert view.accessibleName() == "Back map, seen from behind: Interscapular zone (left half)"


def test_a_mouse_click_gives_focus_without_a_keyboard_ring_and_enter_acts_on_the_clicked_half(
        qtbot, form):
    from PySide6.QtCore import QPoint

    view = form[2]
    plain = view.grab().toImage()
    at = view.back_to_widget(*rep("lumbosacral-right"))
    with qtbot.waitSignal(view.zoneClicked):
        qtbot.mouseClick(view, Qt.MouseButton.LeftButton, pos=QPoint(int(at.x()), int(at.y())))
    qtbot.waitUntil(view.hasFocus)
    clicked = view.grab().toImage()
    assert clicked.pixelColor(view.width() // 2, 1) == plain.pixelColor(view.width() // 2, 1)
    assert dark_pixels(view, "collar-left") < 50  # no ring on the first half
    with qtbot.waitSignal(view.zoneClicked) as again:
        qtbot.keyClick(view, Qt.Key.Key_Return)
    assert again.args == ["lumbosacral-right"]
    assert max(view.grab().toImage().pixelColor(view.width() // 2, 1).getRgb()[:3]) < 80
    qtbot.keyClick(view, Qt.Key.Key_Up)  # the keyboard goes on from the clicked half
    assert view.keyboard_zone() == "thoracic-right"


def test_space_on_the_focused_map_selects_instead_of_the_window_s_space_shortcut(qtbot, form):
    """The session player's Space (play/pause) is a window shortcut; on the focused map Space
    selects the half, elsewhere it still plays."""
    from PySide6.QtGui import QAction, QKeySequence

    w = form[0]
    play = QAction(w)
    play.setShortcut(QKeySequence("Space"))
    w.addAction(play)
    played = []
    play.triggered.connect(lambda: played.append(True))
    view = focus_map(qtbot, form)
    with qtbot.waitSignal(view.zoneClicked):
        qtbot.keyClick(view, Qt.Key.Key_Space)
    assert played == []


def test_a_quiet_study_map_names_the_cursor_by_its_place_not_the_zone(qtbot):
    """A click-the-zone quiz asks where a zone is: the keyboard cursor must not say it."""
    from bodymap.widgets.study.map import StudyMapView

    view = StudyMapView(GEOMETRY)
    qtbot.addWidget(view)
    view.resize(900, 900)
    view.set_quiet(True)
    view.show()
    qtbot.waitExposed(view)
    view.setFocus(Qt.FocusReason.TabFocusReason)
    qtbot.waitUntil(view.hasFocus)
    with qtbot.assertNotEmitted(view.zoneHovered):
        for key in (Qt.Key.Key_Up, Qt.Key.Key_Up, Qt.Key.Key_Down, Qt.Key.Key_Right):
            qtbot.keyClick(view, key)  # to the top row whatever the focus reason, then on
    assert view.keyboard_zone() == "interscapular-right"
    name = view.accessibleName()
    assert name.endswith("row 2 of 4, patient's right half"), name
    assert "nterscapular" not in name + view.accessibleDescription()
