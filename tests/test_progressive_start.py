"""Progressive start (issue 21, point 1): the map, the condition panel, the banner and the steps
paint first (*map ready*); pyqtgraph and the plots come right after, in blanks of their size
(*ready*). Both moments are bodymap.widgets.readiness's."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

# The window as `bodymap --condition hypertension` opens it, with a plot loader made slow on
# purpose: what is true at each moment is written down as it happens.
_SLOW_LOADER = r"""
import json, sys, time
from PySide6.QtWidgets import QApplication
app = QApplication(sys.argv)
from bodymap.widgets import layout
from bodymap.widgets.mainwindow import MainWindow

events = []
real = layout.load_plots

def slow_loader(parts):
    events.append(["loader starts", "pyqtgraph" in sys.modules])
    time.sleep(0.3)  # a slow machine: the map must not wait for this
    real(parts)
    events.append(["loader ends", "pyqtgraph" in sys.modules])

layout.load_plots = slow_loader
w = MainWindow(condition="hypertension")

def at_map_ready(_at):
    parts = w.parts
    events.append(["map_ready", "pyqtgraph" in sys.modules, {
        "map_frames": parts.map.frame_count(),
        "map_plan_is_the_windows": parts.map.plan() is w.plan and w.plan is not None,
        "no_touch": len(w.plan.no_touch), "emphasis": len(w.plan.emphasis_zones),
        "banner": parts.banner.text(), "plots_made": w.plots_loaded()}])

def at_ready(_at):
    events.append(["ready", "pyqtgraph" in sys.modules, {
        "course_sessions": len(w.parts.course.plot.minutes_curve.getData()[0]),
        "plan_sessions": len(w.plan.course), "startup_parts": sorted(w.startup.parts())}])
    app.quit()

w.startup.map_ready.connect(at_map_ready)
w.startup.ready.connect(at_ready)
w.show()
app.exec()
print(json.dumps(events))
"""


def test_the_map_paints_before_pyqtgraph_is_imported_and_ready_follows(tmp_path):
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", XDG_CONFIG_HOME=str(tmp_path / "c"),
               XDG_DATA_HOME=str(tmp_path / "d"), BODYMAP_USER_DIR=str(tmp_path / "u"))
    out = subprocess.run([sys.executable, "-c", _SLOW_LOADER], cwd=ROOT, env=env,
                         capture_output=True, text=True, timeout=180)
    assert out.returncode == 0, out.stderr[-2000:]
    events = json.loads(out.stdout.strip().splitlines()[-1])
    assert [e[0] for e in events] == ["map_ready", "loader starts", "loader ends", "ready"]
    (_, pg_at_map, seen), (_, pg_at_load), (_, pg_loaded), (_, pg_at_ready, done) = events
    # the map first: pyqtgraph not imported, the plots not made...
    assert pg_at_map is False and pg_at_load is False and seen["plots_made"] is False
    # ...and what the user waits for is there: the map painted with the plan's emphasis and
    # no-touch areas, the banner (a fresh profile: the screening is still to be asked, so the
    # steps pane says so and the player has nothing to play)
    assert seen["map_frames"] > 0 and seen["map_plan_is_the_windows"]
    assert seen["no_touch"] > 0 and seen["emphasis"] > 0
    assert "Screening" in seen["banner"]
    # then pyqtgraph and the plots: ready once the course chart painted the plan's course
    assert pg_loaded is True and pg_at_ready is True
    assert done["course_sessions"] == done["plan_sessions"] > 0
    assert set(done["startup_parts"]) == {"map", "conditions", "banner", "steps", "course"}


def test_the_plots_take_the_place_and_size_of_their_blanks(qtbot, data, env):
    """Nothing moves when the plots replace their placeholders: each plot gets the geometry
    its blank had, and the docks keep their sizes."""
    from window_helpers import Prompts, answer_all_no

    from bodymap.widgets.mainwindow import MainWindow

    lib, geo = data
    window = MainWindow(condition="hypertension", library=lib, geometry=geo, settings=env,
                        prompter=Prompts())
    qtbot.addWidget(window)
    window.resize(1366, 768)
    window.ensure_loaded()  # built before it is shown: the screening answered, a full plan
    answer_all_no(window)
    assert window.controller.playable_plan() is not None
    with qtbot.waitSignal(window.startup.map_ready, timeout=30_000):
        window.show()
    assert not window.plots_loaded()
    parts = window.parts
    blanks = {"player": parts.player.plot_area(), "course": parts.course.plot_area()}
    assert {type(b).__name__ for b in blanks.values()} == {"PlotPlaceholder"}
    before = {name: (b.geometry(), b.isVisible()) for name, b in blanks.items()}
    docks = {d.objectName(): d.geometry() for d in (parts.player_dock, parts.course_dock)}
    map_rect = parts.map.geometry()
    assert all(visible and rect.height() > 100 for rect, visible in before.values())
    with qtbot.waitSignal(window.startup.ready, timeout=30_000):
        pass
    plots = {"player": parts.player.plot_area(), "course": parts.course.plot_area()}
    assert {type(p).__name__ for p in plots.values()} == {"SessionTimelinePlot", "CoursePlot"}
    assert {name: (p.geometry(), p.isVisible()) for name, p in plots.items()} == before
    assert {d.objectName(): d.geometry() for d in (parts.player_dock, parts.course_dock)} == docks
    assert parts.map.geometry() == map_rect


def test_a_blank_asks_its_layout_for_what_its_plot_asks(qtbot):
    from bodymap.widgets.course_plot import CoursePlot
    from bodymap.widgets.plot_slot import COURSE_SIZE, TIMELINE_SIZE, PlotPlaceholder
    from bodymap.widgets.timeline_plot import SessionTimelinePlot

    for size, plot in ((TIMELINE_SIZE, SessionTimelinePlot()), (COURSE_SIZE, CoursePlot())):
        blank = PlotPlaceholder(size)
        qtbot.addWidget(plot)
        qtbot.addWidget(blank)
        for ask in ("sizeHint", "minimumSizeHint", "minimumSize", "maximumSize"):
            assert getattr(blank, ask)() == getattr(plot, ask)(), (type(plot).__name__, ask)
        assert blank.sizePolicy() == plot.sizePolicy(), type(plot).__name__


def test_a_window_never_shown_makes_its_plots_when_asked(make_window):
    """Code that reaches a plot before the map painted gets it made at once."""
    window = make_window(condition="hypertension", show=False)
    assert not window.plots_loaded()
    assert len(window.parts.player.plot.block_colors()) == len(window.plan.steps)
    window.load_plots()
    assert window.plots_loaded() and window.parts.course.plot_loaded()


def test_a_part_hidden_while_awaited_does_not_hold_up_the_start(qtbot, data, env):
    """A part the watch awaits that is hidden or covered before it paints (a dock restored in
    front of the patient panel) is not shown, so Qt never paints it: the map and then the plots
    are still announced, and the plots load."""
    from window_helpers import Prompts

    from bodymap.widgets.mainwindow import MainWindow

    lib, geo = data
    window = MainWindow(condition="hypertension", library=lib, geometry=geo, settings=env,
                        prompter=Prompts())
    qtbot.addWidget(window)
    hidden = []

    def hide_panel() -> None:  # connected after the watch's own slot: it awaits the panel
        assert "conditions" in window.startup.parts()
        window.parts.panel_dock.hide()
        hidden.append(True)

    window.ready.connect(hide_panel)
    with qtbot.waitSignal(window.startup.ready, timeout=30_000):
        window.show()
    assert hidden and window.startup.is_map_ready() and window.plots_loaded()
