
"""The first screen (issue #12): the map leads, empty docks say what to do in words, and the
layout the user changes is remembered until View -> Reset layout."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from window_helpers import answer_all_no

from bodymap.i18n import tr


def map_share(window, width, height):
    window.resize(width, height)
    QApplication.processEvents()
    assert (window.width(), window.height()) == (width, height)
    return window.parts.map.width() * window.parts.map.height() / (width * height)


@pytest.mark.parametrize(("size", "least"), [((1920, 1080), 0.40), ((1366, 768), 0.35)])
def test_the_map_leads_on_a_fresh_profile(make_window, size, least):
    window = make_window()
    assert window.parts.map.isVisible()
    assert map_share(window, *size) >= least


def test_in_russian_the_map_leads_and_the_panels_stay_whole(make_window):
    window = make_window()
    window.set_language("ru")
    assert map_share(window, 1366, 768) >= 0.35
    bar = window.parts.tabs.tabBar()  # «Предостережения и источники» is not cut off
    assert bar.width() >= bar.sizeHint().width()
    no = next(iter(window.parts.panel.checklist.questions.values())).no
    assert no.visibleRegion().boundingRect().width() == no.width()  # «Нет» not cut off


def test_empty_docks_are_compact_and_say_what_to_do(make_window):
    window = make_window()
    map_share(window, 1366, 768)
    # no bare 0..1 axes: the course dock says in words what to do, the timeline is hidden
    assert not window.parts.course.plot.isVisible() and window.parts.course.empty.isVisible()
    assert window.parts.course.empty.text() == tr("course.empty")
    player = window.parts.player
    assert not player.plot.isVisible() and not player.time_label.isVisible()
    assert window.parts.player.caption.text() == tr("player.no_plan")
    assert window.parts.player_dock.height() < 100 and window.parts.course_dock.height() < 100
    # once there is a plan, the course is drawn and the docks open
    window.parts.panel.set_conditions(("hypertension",))
    answer_all_no(window)
    QApplication.processEvents()
    assert window.parts.course.plot.isVisible() and not window.parts.course.empty.isVisible()
    assert window.parts.player.plot.isVisible()
    assert window.parts.player_dock.height() >= 150
    # the steps table gets room for its columns beside the map (no word cut: each column at
    # least its widest word; test_small_screens measures every cell)
    sizes = window.parts.splitter.sizes()
    assert sizes[1] >= window.parts.steps.least_width()


def test_a_divider_the_user_moved_stays_when_a_plan_arrives(make_window):
    window = make_window()
    QApplication.processEvents()  # the first layout settled, as before any drag
    window.parts.splitter.splitterMoved.emit(300, 1)  # as a drag of the divider announces it
    window.parts.splitter.setSizes([300, 700])
    before = window.parts.splitter.sizes()
    window.parts.panel.set_conditions(("hypertension",))
    answer_all_no(window)
    QApplication.processEvents()
    assert window.parts.splitter.sizes() == before


def test_a_changed_layout_is_remembered_and_reset_restores_the_default(make_window, env):
    window = make_window()
    default = window.parts.splitter.sizes()
    window.parts.course_dock.close()
    window.parts.splitter.setSizes([1, 10_000])  # the divider moved as far toward the map goes
    QApplication.processEvents()
    moved = window.parts.splitter.sizes()
    assert moved[0] < default[0] - 50
    window.close()
    again = make_window(settings=env)
    QApplication.processEvents()
    assert not again.parts.course_dock.isVisible()
    assert abs(again.parts.splitter.sizes()[0] - moved[0]) <= 5
    reset = again.act("reset_layout")
    assert reset in again.menus["view"].actions() and reset.isEnabled()
    again.resize(1366, 768)  # the default is laid out at the window's size when reset
    QApplication.processEvents()
    reset.trigger()
    QApplication.processEvents()
    assert again.parts.course_dock.isVisible() and again.parts.player_dock.isVisible()
    assert again.dockWidgetArea(again.parts.course_dock) == Qt.DockWidgetArea.BottomDockWidgetArea
    assert map_share(again, 1366, 768) >= 0.35


def test_a_layout_saved_by_another_version_is_not_restored(make_window, env):
    from bodymap.widgets import settings as prefs

    window = make_window()
    window.parts.course_dock.close()
    env.setValue(prefs.STATE, window.saveState(prefs.LAYOUT_VERSION - 1))
    again = make_window(settings=env)
    QApplication.processEvents()
    assert again.parts.course_dock.isVisible()
