"""Presentation on the patient's screen (issue #12): with a second screen the presentation
opens full screen there and the main window stays the therapist's remote. Qt's offscreen
platform reads its screens from a JSON file, so each case runs in a subprocess."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

SCRIPT = r"""
import json, sys
from PySide6.QtCore import QEventLoop, QSettings, QTimer
from PySide6.QtWidgets import QApplication
app = QApplication(sys.argv)
from bodymap.widgets.mainwindow import MainWindow
from bodymap.widgets.prompts import Prompter

def wait_until(test, ms=5000):
    loop, timer = QEventLoop(), QTimer()
    timer.setSingleShot(True)
    timer.timeout.connect(loop.quit)
    timer.start(ms)
    poll = QTimer()
    poll.timeout.connect(lambda: test() and loop.quit())
    poll.start(10)
    if not test():
        loop.exec()
    return bool(test())

settings = QSettings(sys.argv[1], QSettings.Format.IniFormat)
w = MainWindow(condition="hypertension", settings=settings, prompter=Prompter())
w.move(10, 10)
w.show()
w.ensure_loaded()
w.parts.panel.checklist.mark_unanswered_no()
w.parts.panel.send_profile()
w.activateWindow()
wait_until(lambda: app.activeWindow() is w)
w.act("presentation").trigger()
p = w.presentation
wait_until(lambda: p.isVisible() and p.geometry() == p.screen().geometry())
out = {"screens": [s.name() for s in app.screens()], "main_screen": w.screen().name(),
       "pres_screen": p.screen().name(), "full": p.isFullScreen(),
       "pres_geometry": list(p.geometry().getRect()), "main_visible": w.isVisible(),
       "active_is_main": app.activeWindow() is w, "step0": p.step_label.text(),
       "time0": p.time_label.text(), "plan_rows": w.parts.steps.model().rowCount()}
w.parts.player.next_button.click()
out["step1"] = p.step_label.text()
w.parts.player.play_button.click()
moved = wait_until(lambda: w.controller.position() > w.controller.clock.timeline.starts[1])
out["time_moved"] = moved and p.time_label.text() != out["time0"]
out["playing_in_pres"] = p.play_button.text()
w.parts.player.play_button.click()
out["act_enabled"] = w.act("presentation").isEnabled()
w.act("presentation").trigger()
out["left"] = not p.isVisible()
print("RESULT " + json.dumps(out))
"""


def run(tmp_path, screens):
    config = tmp_path / "screens.json"
    config.write_text(json.dumps({"screens": screens}), encoding="utf-8")
    env = dict(os.environ, QT_QPA_PLATFORM=f"offscreen:configfile={config}",
               XDG_CONFIG_HOME=str(tmp_path / "cfg"), XDG_DATA_HOME=str(tmp_path / "data"),
               BODYMAP_USER_DIR=str(tmp_path / "data" / "bodymap"))
    proc = subprocess.run([sys.executable, "-c", SCRIPT, str(tmp_path / "s.ini")], cwd=ROOT,
                          env=env, capture_output=True, text=True, timeout=120)
    lines = [ln for ln in proc.stdout.splitlines() if ln.startswith("RESULT ")]
    assert lines, proc.stdout + proc.stderr
    return json.loads(lines[0][7:])


LAPTOP = {"name": "laptop", "x": 0, "y": 0, "width": 1366, "height": 768, "logicalDpi": 96,
          "dpr": 1}
PATIENT = {"name": "patient", "x": 1366, "y": 0, "width": 1920, "height": 1080,
           "logicalDpi": 96, "dpr": 1}


@pytest.mark.slow
def test_with_two_screens_the_patient_sees_it_and_the_main_window_is_the_remote(tmp_path):
    out = run(tmp_path, [LAPTOP, PATIENT])
    assert out["screens"] == ["laptop", "patient"]
    assert out["main_screen"] == "laptop"
    assert out["pres_screen"] == "patient", out
    assert out["full"] and out["pres_geometry"] == [1366, 0, 1920, 1080]
    assert out["main_visible"] and out["active_is_main"]
    assert out["plan_rows"] > 0  # the plan stays in view for the therapist
    # the main window's player drives the presentation: next step, then play
    assert out["step1"] != out["step0"] and out["step1"].startswith(("Step 2", "2"))
    assert out["time_moved"]
    assert out["act_enabled"] and out["left"]  # F5 on the remote ends the presentation


@pytest.mark.slow
def test_with_one_screen_it_covers_the_main_window(tmp_path):
    out = run(tmp_path, [LAPTOP])
    assert out["pres_screen"] == "laptop" and out["full"]
    assert out["pres_geometry"] == [0, 0, 1366, 768]
    assert not out["act_enabled"]  # F5 and Esc belong to the presentation


SAME_NAME = r"""
import json
from PySide6.QtWidgets import QApplication, QWidget
from bodymap.widgets.presentation import other_screen
app = QApplication([])
w = QWidget()
w.move(10, 10)
w.show()
app.processEvents()
screens = app.screens()
other = other_screen(w)
print("RESULT " + json.dumps({"names": [s.name() for s in screens],
                              "mine": screens.index(w.screen()),
                              "other": None if other is None else screens.index(other)}))
"""


@pytest.mark.slow
def test_two_screens_with_one_name_are_still_two_screens(tmp_path):
    """Two monitors of one model can report the same name: the patient's screen is chosen as
    a screen object, not by its name, so the other one is still found (issue 20.5)."""
    config = tmp_path / "screens.json"
    config.write_text(json.dumps({"screens": [dict(LAPTOP, name="HDMI"),
                                              dict(PATIENT, name="HDMI")]}), encoding="utf-8")
    env = dict(os.environ, QT_QPA_PLATFORM=f"offscreen:configfile={config}")
    proc = subprocess.run([sys.executable, "-c", SAME_NAME], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=120)
    lines = [ln for ln in proc.stdout.splitlines() if ln.startswith("RESULT ")]
    assert lines, proc.stdout + proc.stderr
    out = json.loads(lines[0][7:])
    assert out["names"] == ["HDMI", "HDMI"]
    assert out["other"] is not None and out["other"] != out["mine"], out
