"""Starting the app: a clear message instead of a Qt abort when there is no display."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from bodymap.widgets.app import display_available

ROOT = Path(__file__).resolve().parents[1]


def _env_without_display() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in {"DISPLAY", "WAYLAND_DISPLAY"}}
    env.pop("QT_QPA_PLATFORM", None)
    return env


@pytest.mark.parametrize(
    ("environ", "platform", "expected"),
    [
        ({}, "linux", False),
        ({"DISPLAY": ":0"}, "linux", True),
        ({"WAYLAND_DISPLAY": "wayland-0"}, "linux", True),
        ({"QT_QPA_PLATFORM": "offscreen"}, "linux", True),
        ({"QT_QPA_PLATFORM": "xcb"}, "linux", False),
        ({"QT_QPA_PLATFORM": "wayland", "DISPLAY": ":0"}, "linux", False),
        ({}, "win32", True),
        ({}, "darwin", True),
    ],
)
def test_display_detection(environ, platform, expected):
    assert display_available(environ, platform) is expected


@pytest.mark.skipif(
    not sys.platform.startswith("linux"), reason="display servers are a Linux thing"
)
def test_no_display_prints_a_clear_message_and_exits_nonzero():
    result = subprocess.run(
        [sys.executable, "main.py"],
        cwd=ROOT,
        env=_env_without_display(),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 1
    assert "needs a graphical display" in result.stderr
    assert "xvfb-run" in result.stderr
    assert "Traceback" not in result.stderr
    assert "Aborted" not in result.stderr


def _missing_icccm(path):
    raise OSError("libxcb-icccm.so.4: cannot open shared object file: No such file or directory")


@pytest.mark.parametrize(
    ("environ", "platform", "expected"),
    [
        ({"DISPLAY": ":0"}, "linux", "libxcb-icccm.so.4"),
        ({"DISPLAY": ":0", "QT_QPA_PLATFORM": "xcb"}, "linux", "libxcb-icccm.so.4"),
        ({"DISPLAY": ":0", "QT_QPA_PLATFORM": "offscreen"}, "linux", None),
        ({"DISPLAY": ":0", "WAYLAND_DISPLAY": "wayland-0"}, "linux", None),
        ({"DISPLAY": ":0"}, "win32", None),
    ],
)
def test_a_missing_x11_library_is_named_instead_of_a_qt_abort(environ, platform, expected):
    from bodymap.widgets.app import xcb_problem

    assert xcb_problem(environ, platform, load=_missing_icccm) == expected


def test_run_gui_says_what_to_install(monkeypatch, capsys):
    from bodymap.widgets import app

    monkeypatch.setattr(app, "display_available", lambda: True)
    monkeypatch.setattr(app, "xcb_problem", lambda: "libxcb-cursor.so.0")
    assert app.run_gui() == 1
    err = capsys.readouterr().err
    assert "libxcb-cursor.so.0" in err and "apt install" in err
