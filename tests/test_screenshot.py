"""`bodymap screenshot`, "ready", `--version` and Qt's own translations (issues 12 and 13)."""

from __future__ import annotations

import os
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings
from PySide6.QtGui import QColor, QImage

from bodymap import i18n

ROOT = Path(__file__).resolve().parents[1]


def run_cli(*args: str, env: dict[str, str] | None = None, cwd: Path | None = None):
    return subprocess.run(
        [sys.executable, str(ROOT / "main.py"), *args],
        cwd=cwd or ROOT, env=env or dict(os.environ), capture_output=True, text=True,
        timeout=180,
    )


def pyproject_version() -> str:
    with (ROOT / "pyproject.toml").open("rb") as fh:
        return tomllib.load(fh)["project"]["version"]


# ---------------------------------------------------------------------------------------------
# screenshot


@pytest.fixture(scope="module")
def shots(tmp_path_factory):
    """Screenshots made by the command, as a user would run it (one process each)."""
    out = tmp_path_factory.mktemp("shots")
    made = {}
    for name, args in {
        "en": ["--condition", "hypertension", "--size", "1366x768"],
        "ru": ["--condition", "hypertension", "--lang", "ru", "--size", "1366x768"],
        "presentation": ["--condition", "hypertension", "--presentation", "--size", "1280x800",
                         "--session", "3"],
        "empty": [],
    }.items():
        path = out / f"{name}.png"
        result = run_cli("screenshot", "--out", str(path), *args)
        assert result.returncode == 0, result.stderr
        assert result.stdout.strip() == str(path)
        made[name] = path
    return made


@pytest.mark.parametrize("name", ["en", "ru", "presentation", "empty"])
def test_screenshot_has_every_zone_painted(shots, name, geometry):
    from bodymap.widgets.screenshot import map_problems

    assert map_problems(shots[name], geometry) == []


@pytest.mark.parametrize(("name", "size"), [("en", (1366, 768)), ("presentation", (1280, 800)),
                                            ("empty", (1920, 1080))])
def test_screenshot_has_the_requested_size(shots, name, size):
    image = QImage(str(shots[name]))
    assert (image.width(), image.height()) == size


def test_english_and_russian_screenshots_differ_only_in_words(shots, geometry):
    """Both languages paint the same map at the same place; the texts around it differ."""
    from bodymap.widgets.screenshot import map_transform, zone_pixels

    en, ru = QImage(str(shots["en"])), QImage(str(shots["ru"]))
    assert map_transform(en) == map_transform(ru)
    assert {h: c.name() for h, (_, c) in zone_pixels(en, geometry).items()} == \
        {h: c.name() for h, (_, c) in zone_pixels(ru, geometry).items()}
    assert en != ru


def test_presentation_screenshot_is_the_dark_patient_screen(shots):
    image = QImage(str(shots["presentation"]))
    corner = QColor(image.pixel(4, image.height() - 4))
    assert corner.lightness() < 60  # the presentation's dark background, not the main window


def test_a_blank_map_fails_the_check(tmp_path, shots, geometry):
    """The check can fail: the same image with the map area wiped is reported zone by zone."""
    from bodymap.widgets.screenshot import MAP_KEY, map_problems

    image = QImage(str(shots["en"]))
    blank = QImage(image.size(), image.format())
    blank.fill(QColor("#fbfaf7"))
    blank.setText(MAP_KEY, image.text(MAP_KEY))
    path = tmp_path / "blank.png"
    assert blank.save(str(path))
    problems = map_problems(path, geometry)
    assert len(problems) == 8 and all("none of its fills" in p for p in problems)


@pytest.mark.parametrize(
    "args",
    [
        ["--out", "x.png", "--size", "big"],
        ["--out", "x.png", "--size", "10x10"],
        ["--out", "x.jpg"],
        ["--out", "no/such/folder/x.png"],
        ["--out", "x.png", "--condition", "no-such-condition"],
        ["--out", "x.png", "--session", "0"],
        ["--out", "x.png", "--lang", "de"],
        [],
    ],
)
def test_bad_arguments_get_one_line_and_exit_2(tmp_path, args):
    result = run_cli("screenshot", *args, cwd=tmp_path)
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 or lines[-1].startswith("bodymap: error:"), result.stderr
    assert lines[-1].startswith("bodymap: error:") and "Traceback" not in result.stderr
    assert not list(tmp_path.glob("*.png"))


def test_screenshot_leaves_the_users_settings_and_files_alone(tmp_path):
    """Fresh settings: the user's language and files are neither read nor written."""
    config, data, user = tmp_path / "config", tmp_path / "data", tmp_path / "user"
    ini = config / "bodymap" / "bodymap.ini"
    ini.parent.mkdir(parents=True)
    ini.write_text("[ui]\nlanguage=ru\n[plan]\nlast_condition=scoliosis\n", encoding="utf-8")
    (user / "protocols").mkdir(parents=True)
    (user / "protocols" / "broken.toml").write_text("not = [valid", encoding="utf-8")
    data.mkdir()
    before = {p: p.read_bytes() for p in tmp_path.rglob("*") if p.is_file()}
    env = dict(os.environ, XDG_CONFIG_HOME=str(config), XDG_DATA_HOME=str(data),
               BODYMAP_USER_DIR=str(user))
    out = tmp_path / "shot.png"
    result = run_cli("screenshot", "--out", str(out), env=env)
    assert result.returncode == 0, result.stderr
    after = {p: p.read_bytes() for p in tmp_path.rglob("*") if p.is_file() and p != out}
    assert after == before


# ---------------------------------------------------------------------------------------------
# ready


@pytest.fixture
def fresh_settings(tmp_path, monkeypatch):
    """A fresh profile: own settings file, no autosaves (no recovery prompt), English."""
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    monkeypatch.setenv("BODYMAP_USER_DIR", str(tmp_path / "user"))
    yield QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
    i18n.set_language("en")


def test_ready_comes_after_the_map_then_the_course_painted(qtbot, fresh_settings):
    from bodymap.widgets.mainwindow import MainWindow
    from bodymap.widgets.readiness import ReadyWatch

    window = MainWindow(condition="hypertension", settings=fresh_settings)
    qtbot.addWidget(window)
    watch = ReadyWatch(window)
    seen = {}
    window.firstPainted.connect(lambda: seen.setdefault("at_first_paint", watch.is_ready()))
    window.ready.connect(lambda: seen.setdefault("at_window_ready", watch.is_map_ready()))
    watch.map_ready.connect(lambda _at: seen.setdefault("at_map_ready", watch.is_ready()))
    with qtbot.waitSignal(watch.ready, timeout=30_000):
        window.show()
    # the first paint of an empty shell, and the end of building, are not "ready"; the map
    # comes first, the plots after it
    assert seen == {"at_first_paint": False, "at_window_ready": False, "at_map_ready": False}
    assert watch.map_ready_at is not None and watch.ready_at is not None
    assert watch.map_ready_at < watch.ready_at
    # a fresh profile: the screening is still to be asked, nothing to play; the course shows
    assert watch.parts() == {"map", "conditions", "banner", "steps", "course"}
    assert window.plan is not None and window.parts.map.frame_count() > 0
    from PySide6.QtWidgets import QComboBox

    assert window.findChild(QComboBox, "conditionCombo").count() > 1


def test_ready_without_a_condition_needs_only_the_map(qtbot, fresh_settings):
    from bodymap.widgets.mainwindow import MainWindow
    from bodymap.widgets.readiness import ReadyWatch

    window = MainWindow(settings=fresh_settings)
    qtbot.addWidget(window)
    with qtbot.waitSignal(window.ready, timeout=30_000):
        window.show()
    watch = ReadyWatch(window)  # made after the window was built: forces the paints it needs
    with qtbot.waitSignal(watch.ready, timeout=30_000):
        pass
    assert watch.parts() == {"map", "conditions", "banner", "steps"}
    assert window.parts.map.frame_count() > 0


# ---------------------------------------------------------------------------------------------
# version


def test_version_comes_from_the_package_metadata():
    from importlib import metadata

    import bodymap
    from bodymap.version import version

    assert version() == metadata.version("bodymap") == pyproject_version()
    assert bodymap.__version__ == version()


def test_version_command_and_about_agree(qtbot, fresh_settings):
    result = run_cli("--version")
    assert result.returncode == 0
    assert result.stdout.strip() == f"bodymap {pyproject_version()}"

    from bodymap.widgets.mainwindow import MainWindow
    from bodymap.widgets.prompts import Prompter

    shown = []

    class About(Prompter):  # Help > About answered without a dialog
        def about(self, title, text):
            shown.append(text)

    window = MainWindow(settings=fresh_settings, prompter=About())
    qtbot.addWidget(window)
    window.act("about").trigger()
    assert pyproject_version() in shown[-1]


def test_frozen_bundle_reads_the_version_file(monkeypatch, tmp_path):
    from bodymap import version as v

    monkeypatch.setattr(v.sys, "frozen", True, raising=False)
    monkeypatch.setattr(v, "_HERE", tmp_path)
    v.version.cache_clear()
    try:
        assert v.version() == v.UNKNOWN
        (tmp_path / "VERSION").write_text("9.8.7\n", encoding="utf-8")
        v.version.cache_clear()
        assert v.version() == "9.8.7"
    finally:
        v.version.cache_clear()


def test_startup_does_not_read_the_metadata():
    """importlib.metadata costs tens of ms: plain start-up never imports it."""
    code = ("import sys, bodymap.cli, bodymap.widgets.app, bodymap.widgets.mainwindow\n"
            "print('importlib.metadata' in sys.modules)")
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True,
                            text=True, timeout=60)
    assert result.stdout.strip() == "False", result.stderr


# ---------------------------------------------------------------------------------------------
# Qt's own translations


def _standard_button_texts() -> dict[str, str]:
    from PySide6.QtWidgets import QMessageBox

    std = QMessageBox.StandardButton
    box = QMessageBox()
    box.setStandardButtons(std.Save | std.Discard | std.Cancel)
    texts = {name: box.button(getattr(std, name)).text().replace("&", "")
             for name in ("Save", "Discard", "Cancel")}
    box.deleteLater()
    return texts


def test_qt_standard_buttons_speak_russian_and_switch_back(qapp):
    from bodymap.widgets.app import install_qt_translations, uninstall_qt_translations
    from bodymap.widgets.language import qt_translations_dir

    assert (qt_translations_dir() / "qtbase_ru.qm").is_file()
    install_qt_translations(qapp)
    try:
        i18n.set_language("ru")
        assert _standard_button_texts() == {"Save": "Сохранить", "Discard": "Отклонить",
                                            "Cancel": "Отмена"}
        i18n.set_language("en")
        assert _standard_button_texts() == {"Save": "Save", "Discard": "Discard",
                                            "Cancel": "Cancel"}
    finally:
        i18n.set_language("en")
        uninstall_qt_translations()


def test_the_app_installs_qt_translations_so_prompts_follow_the_language(qapp, monkeypatch):
    """run_gui (what `bodymap` runs) installs qtbase_<lang>: switching the interface to Russian
    turns the unsaved-changes prompt's Save / Discard / Cancel Russian."""
    from PySide6.QtCore import Signal
    from PySide6.QtWidgets import QApplication, QMainWindow

    from bodymap.widgets import app as app_module
    from bodymap.widgets import mainwindow

    class Shell(QMainWindow):  # the window itself is not what is tested here
        firstPainted = Signal()

        def __init__(self, condition=None):
            super().__init__()

    monkeypatch.setattr(mainwindow, "MainWindow", Shell)
    monkeypatch.setattr(app_module, "display_available", lambda: True)
    monkeypatch.setattr(app_module, "xcb_problem", lambda: None)
    monkeypatch.setattr(QApplication, "exec", lambda *_: 0)
    app_module.uninstall_qt_translations()
    assert app_module.run_gui() == 0
    try:
        i18n.set_language("ru")
        assert _standard_button_texts()["Cancel"] == "Отмена"
    finally:
        i18n.set_language("en")
        app_module.uninstall_qt_translations()
    assert _standard_button_texts()["Cancel"] == "Cancel"
