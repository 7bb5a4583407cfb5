
"""Presentation mode: full screen, plain captions, the disclaimer, keyboard control, Esc back."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from window_helpers import answer, answer_all_no

from bodymap.i18n import tr
from bodymap.plain import plain_caption
from bodymap.plan_state import PlanState, state_words
from bodymap.widgets.clock import PlaybackClock

#: words a patient should not meet on the presentation screen (zone and technique jargon)
JARGON = {
    "en": ("lumbosacral", "sacrum", "interscapular", "thoracic", "collar zone", "variant",
           "intensity", "paravertebral", "spinous"),
    "ru": ("пояснично-крестц", "крестец", "крестца", "межлопаточн", "грудной отдел",
           "воротников", "интенсивност", "паравертебр", "остист"),
}


def plain(window, index, lang="en"):
    return plain_caption(window.plan.steps[index], window.library, window.back_geometry, lang)


def assert_no_jargon(text, lang):
    low = text.lower()
    assert not [w for w in JARGON[lang] if w in low], text


@pytest.fixture
def presenting(make_window, qtbot):
    window = make_window(condition="hypertension")
    answer_all_no(window)
    QApplication.processEvents()  # let the dock layout settle before taking its state
    state = (window.saveState(), window.geometry(), window.isFullScreen(),
             window.parts.panel_dock.isVisible(), window.parts.player_dock.isVisible())
    window.act("presentation").trigger()
    pres = window.presentation
    qtbot.waitUntil(pres.isVisible)
    return window, pres, state


def test_enters_full_screen_with_captions_and_disclaimer(presenting):
    window, pres, _ = presenting
    assert window.is_presenting()
    assert pres.isFullScreen()
    assert pres.caption.isVisible() and pres.disclaimer.isVisible()
    assert pres.disclaimer.text() == tr("app.disclaimer")
    assert pres.caption.text() == plain(window, 0)
    assert_no_jargon(pres.caption.text(), "en")
    assert_no_jargon(pres.avoid.text(), "en")
    assert pres.caption.font().pointSizeF() >= 1.5 * window.font().pointSizeF()
    assert pres.caption.textFormat() == Qt.TextFormat.PlainText
    assert pres.map.plan() is window.plan
    # the presentation's map names the regions in everyday words; the main map keeps its own
    assert pres.map.geometry_model.regions["lumbosacral"].names["en"] == "Your lower back"
    assert pres.map.geometry_model.regions["collar-left"].names["ru"] == "Шея и плечо слева"
    assert window.back_geometry.regions["lumbosacral"].names["en"] == "Lumbosacral zone"


def test_keyboard_controls_the_player(presenting, qtbot):
    window, pres, _ = presenting
    qtbot.keyClick(pres, Qt.Key.Key_Right)
    assert window.parts.player.current_step() == 1
    assert pres.caption.text() == plain(window, 1)
    assert pres.map.current_step() == 1
    assert "2" in pres.step_label.text()
    qtbot.keyClick(pres, Qt.Key.Key_Left)
    assert window.parts.player.current_step() == 0
    with qtbot.waitSignal(window.controller.playingChanged):
        qtbot.keyClick(pres, Qt.Key.Key_Space)
    assert window.controller.clock.is_playing()
    assert pres.map.is_playing() and not window.parts.map.is_playing()
    with qtbot.waitSignal(window.controller.playingChanged):
        qtbot.keyClick(pres, Qt.Key.Key_Space)
    assert not window.controller.clock.is_playing()


def test_playing_advances_the_captions(presenting, qtbot, monkeypatch):
    window, pres, _ = presenting
    clock = window.controller.clock
    clock._timer.setInterval(5)
    window.parts.player.set_speed(10.0)
    clock.seek(clock.timeline.start_of(1) - 0.01)
    qtbot.keyClick(pres, Qt.Key.Key_Space)
    qtbot.waitUntil(lambda: pres.caption.text() == plain(window, 1), timeout=5000)
    qtbot.keyClick(pres, Qt.Key.Key_Space)
    assert PlaybackClock.TICK_MS > 5  # the class default is untouched


def test_esc_leaves_and_the_window_is_as_it_was(presenting, qtbot):
    window, pres, state = presenting
    qtbot.keyClick(pres, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: not pres.isVisible())
    assert not window.is_presenting()
    assert (window.saveState(), window.geometry(), window.isFullScreen(),
            window.parts.panel_dock.isVisible(), window.parts.player_dock.isVisible()) == state
    assert window.isVisible()
    # F5 enters again
    window.act("presentation").trigger()
    qtbot.waitUntil(pres.isVisible)
    qtbot.keyClick(pres, Qt.Key.Key_F5)
    qtbot.waitUntil(lambda: not pres.isVisible())


def test_blocked_plan_says_no_massage_in_plain_words(presenting, qtbot, data):
    window, pres, _ = presenting
    answer(window, "fever", True)
    assert pres.step_label.text() == state_words(PlanState.BLOCKED, "patient")
    library, _ = data
    assert library.contraindications["fever"].explanation.en in pres.caption.text()
    assert not pres.play_button.isEnabled()
    answer(window, "fever", None)
    assert pres.caption.text() == tr("present.incomplete")


def test_presentation_follows_the_language(presenting, qtbot):
    window, pres, _ = presenting
    window.set_language("ru")
    assert pres.disclaimer.text() == tr("app.disclaimer", "ru")
    assert pres.caption.text() == plain(window, 0, "ru")
    assert_no_jargon(pres.caption.text(), "ru")
    assert_no_jargon(pres.avoid.text(), "ru")
    for i in range(1, len(window.plan.steps)):  # every step of the plan, in Russian
        qtbot.keyClick(pres, Qt.Key.Key_Right)
        assert pres.caption.text() == plain(window, i, "ru")
        assert_no_jargon(pres.caption.text(), "ru")
    window.set_language("en")
    assert pres.caption.text() == plain(window, window.parts.player.current_step())
    assert_no_jargon(pres.caption.text(), "en")


def test_the_patient_map_speaks_plainly_while_the_main_map_stays_technical(make_window, qtbot):
    window = make_window(condition="scoliosis")
    answer_all_no(window)
    window.parts.panel.scoliosis_side.setCurrentIndex(2)  # convex right
    window.parts.panel.scoliosis_grade.setCurrentIndex(2)  # grade II
    window.parts.panel.curves.add_button.click()
    assert window.plan.status == "ok"
    window.act("presentation").trigger()
    pres = window.presentation
    qtbot.waitUntil(pres.isVisible)
    shown = " | ".join(pres.map.drawn_texts())
    assert tr("plainmap.map.on_map.relax") in shown
    assert tr("plainmap.map.on_map.strengthen") in shown
    if pres.map.legend_shown():  # the legend gives way on small screens
        assert tr("plainmap.view.posterior") in shown
    for word in ("posterior", "concave", "convex"):
        assert word not in shown.lower(), shown
    main = " | ".join(window.parts.map.drawn_texts())
    assert tr("view.posterior") in main and "concave" in main.lower()
    pres.close()
