"""The session player and the course view, driven by real plans."""

from __future__ import annotations

import pytest

pytest.importorskip("pyqtgraph")

from bodymap.document import PlanDocument
from bodymap.geometry import load_geometry
from bodymap.library import load_library
from bodymap.planner import Profile, make_plan
from bodymap.widgets.clock import PlaybackClock
from bodymap.widgets.controller import SessionController
from bodymap.widgets.course_plot import CoursePlot
from bodymap.widgets.player import TECHNIQUE_COLORS, SessionPlayer


@pytest.fixture(scope="module")
def plan():
    return make_plan(Profile(condition="radiculitis", session=6), load_library(), load_geometry())


@pytest.fixture
def session(qtbot, library, geometry, monkeypatch):
    """A session controller on the radiculitis plan of session 6 (everything answered)."""
    monkeypatch.setattr(PlaybackClock, "TICK_MS", 5)
    controller = SessionController(library, geometry)
    controller.request_document(PlanDocument.new("radiculitis", session=6,
                                                 answered=tuple(library.contraindications)))
    yield controller
    controller.request_pause()


@pytest.fixture
def player(qtbot, session):
    widget = SessionPlayer()
    qtbot.addWidget(widget)
    widget.bind(session)
    widget.show()
    return widget


def test_one_coloured_block_per_step(player, plan, session):
    assert plan.status == "ok" and len(plan.steps) >= 4
    assert player.plot.block_colors() == [TECHNIQUE_COLORS[s.technique] for s in plan.steps]
    assert session.timeline().total == pytest.approx(plan.total_minutes)


def test_playing_moves_the_playhead_and_changes_the_step(player, qtbot, session):
    steps = []
    session.stepChanged.connect(steps.append)
    player.set_speed(10.0)
    assert session.speed() == 10.0  # the speed box is a request to the controller
    # At 10x, skip to just before the second step so the test sees a step change quickly.
    session.request_seek(session.timeline().starts[1] - 0.01)
    start = player.plot.playhead()
    with qtbot.waitSignal(session.playingChanged):
        player.play_action.trigger()
    qtbot.waitUntil(lambda: player.plot.playhead() > start + 0.005, timeout=5000)
    qtbot.waitUntil(lambda: player.current_step() == 1, timeout=5000)
    assert 1 in steps
    assert "2" in player.caption.text()  # "Step 2 of N: ..."
    session.request_pause()
    assert not session.is_playing()


def test_next_and_previous_step_buttons(player):
    player.next_action.trigger()
    assert player.current_step() == 1
    player.next_action.trigger()
    assert player.current_step() == 2
    player.prev_action.trigger()
    assert player.current_step() == 1


def test_hiding_the_player_stops_the_clock(player, session):
    session.request_play()
    assert session.is_playing()
    player.hide()
    assert not session.is_playing()


def test_a_blocked_plan_leaves_nothing_to_play(player, session):
    session.request_profile(present=("fever",))
    assert session.plan().status == "blocked"
    assert not player.play_button.isEnabled()
    assert player.plot.isHidden() and "No session" in player.caption.text()
    assert player.current_step() == -1
    session.request_play()
    assert not session.is_playing()


def test_course_plot_shades_phases_and_marks_the_session(qtbot, plan):
    plot = CoursePlot()
    qtbot.addWidget(plot)
    plot.set_plan(plan)
    phases = [p for p, _, _ in plot.phases()]
    assert phases[0] == "introductory" and "main" in phases
    assert plot.current_line.value() == plan.session
    xs, ys = plot.minutes_curve.getData()
    assert list(xs) == [c.number for c in plan.course]
    assert ys[-1] >= ys[0], "the load rises over the course"


def test_right_click_on_the_plots_offers_no_zoom_menu(player, qtbot, plan):
    """The timeline and the course only show: pyqtgraph's view menus (zoom, export, plot
    options) are neither offered nor built."""
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QApplication, QMenu

    course = CoursePlot()
    qtbot.addWidget(course)
    course.set_plan(plan)
    course.show()
    for plot in (player.plot, course):
        assert plot.getPlotItem().vb.menu is None
        centre = plot.viewport().rect().center()
        qtbot.mouseClick(plot.viewport(), Qt.MouseButton.RightButton, pos=centre)
        QApplication.processEvents()
        assert not [m for m in QApplication.topLevelWidgets()
                    if isinstance(m, QMenu) and m.isVisible()]


def test_the_playhead_is_redrawn_only_when_it_moves_on_screen(player, session):
    """Playing at 1x moves the playhead a fraction of a pixel per tick: the plot is redrawn
    when it has moved half a pixel, and the position asked for is never lost."""
    plot = player.plot
    plot.resize(800, 110)
    per_pixel = plot.getPlotItem().getViewBox().viewPixelSize()[0]
    drawn = []
    plot._playhead.sigPositionChanged.connect(lambda line: drawn.append(line.value()))
    plot.set_playhead(1.0)
    assert drawn == [1.0]
    plot.set_playhead(1.0 + per_pixel * 0.2)  # a fifth of a pixel: not redrawn...
    assert drawn == [1.0]
    assert plot.playhead() == pytest.approx(1.0 + per_pixel * 0.2)  # ...but kept
    plot.set_playhead(1.0 + per_pixel * 0.6)
    assert drawn == [1.0, pytest.approx(1.0 + per_pixel * 0.6)]
