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
def _language_bridge(request):
    """Widgets retranslate on Qt's LanguageChange, which the one language bridge sends (as in
    the app): every test with a QApplication has it."""
    if not {"qtbot", "qapp"} & set(request.fixturenames):
        yield
        return
    request.getfixturevalue("qapp")
    from bodymap.widgets.language import install_language_bridge

    install_language_bridge()
    yield


@pytest.fixture(autouse=True)
def _own_user_dir(monkeypatch):
    """Each test has a user folder of its own (user protocols, study progress, autosaves):
    no test ever finds another's autosave and is asked to recover it."""
    folder = Path(tempfile.mkdtemp(prefix="user-", dir=_SANDBOX))
    monkeypatch.setenv("BODYMAP_USER_DIR", str(folder))
    yield folder


# ---------------------------------------------------------------------------------------------
# windows (the helpers they use are in window_helpers.py)


@pytest.fixture(scope="session")
def data(library, geometry):
    """The shipped library and drawing, as a window is given them."""
    return library, geometry


@pytest.fixture
def env(tmp_path, monkeypatch):
    """Per-test settings file and data folder (autosaves), English interface."""
    from PySide6.QtCore import QSettings

    from bodymap import i18n

    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    monkeypatch.setenv("BODYMAP_USER_DIR", str(tmp_path / "data" / "bodymap"))
    settings = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
    yield settings
    i18n.set_language("en")


@pytest.fixture
def make_window(qtbot, data, env):
    """``make_window(condition=None, prompts=None, settings=None)`` -> a shown, loaded window
    whose prompter (``window.prompter``) is a scripted :class:`window_helpers.Prompts`."""
    from window_helpers import Prompts

    from bodymap.widgets.mainwindow import MainWindow

    def make(condition=None, prompts=None, settings=None, library=None, show=True):
        lib, geo = data
        window = MainWindow(condition=condition, library=library or lib, geometry=geo,
                            settings=settings or env, prompter=prompts or Prompts())
        qtbot.addWidget(window)
        if show:
            with qtbot.waitSignal(window.startup.ready, timeout=20_000):
                window.show()
        else:
            window.ensure_loaded()
        return window

    return make


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
