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
