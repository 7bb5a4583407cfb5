"""Test set-up shared by every test: headless Qt, isolated user folders, no leftover timers."""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

# Headless: set before anything imports Qt.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

# Isolate the user's data and settings: tests never read or write the real ones.
_SANDBOX = Path(tempfile.mkdtemp(prefix="bodymap-tests-"))
for var, sub in (
    ("XDG_DATA_HOME", "data"),
    ("XDG_CONFIG_HOME", "config"),
    ("XDG_CACHE_HOME", "cache"),
    ("BODYMAP_USER_DIR", "user"),
):
    os.environ[var] = str(_SANDBOX / sub)

import pytest  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="session")
def library():
    """The shipped protocol library (user folders are never read by tests that use this)."""
    from bodymap.library import load_library

    return load_library(None)


@pytest.fixture(scope="session")
def geometry():
    """The shipped back drawing."""
    from bodymap.geometry import load_geometry

    return load_geometry()


@pytest.fixture
def sandbox_dir() -> Path:
    return _SANDBOX


@pytest.fixture(autouse=True)
def _no_leftover_timers(request):
    """Fail any test that leaves a QTimer or an animation running (napari does the same).

    Widgets under test are closed by qtbot at teardown; a closed (hidden) widget must have
    stopped its animation, so anything still running afterwards is a leak.
    """
    yield
    if "PySide6.QtWidgets" not in sys.modules:
        return
    from PySide6.QtCore import QAbstractAnimation, QTimeLine, QTimer
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance()
    if app is None:
        return
    running = []
    for widget in app.topLevelWidgets():
        if widget.isVisible():
            continue  # still shown on purpose (a test's own window); qtbot closes it
        for timer in widget.findChildren(QTimer):
            # bodymap's own timers carry an objectName; Qt's internal ones do not.
            if timer.isActive() and timer.objectName():
                running.append(f"QTimer '{timer.objectName()}' in {type(widget).__name__}")
        for anim in widget.findChildren(QAbstractAnimation):
            if anim.state() == QAbstractAnimation.State.Running:
                running.append(f"{type(anim).__name__} in {type(widget).__name__}")
        for line in widget.findChildren(QTimeLine):
            if line.state() == QTimeLine.State.Running:
                running.append(f"QTimeLine in {type(widget).__name__}")
    if running:
        pytest.fail("left running after the test: " + "; ".join(running))
