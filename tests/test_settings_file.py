
"""The settings file (QSettings' INI) as a pipe, a device, a folder, a link to a device or a
huge file: start-up never waits on it and never writes through it; the settings are kept for
the session and the status bar says why (issue 18)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
posix = pytest.mark.skipif(os.name != "posix", reason="named pipes and devices are POSIX")

PROBE = ("from bodymap.widgets import settings as p\n"
         "s = p.app_settings()\n"
         "s.setValue('ui/language', 'ru')\n"
         "s.sync()\n"
         "print(type(s).__name__, '|', p.settings_problem(s), flush=True)\n")


def make_bad(kind: str, ini: Path) -> None:
    ini.parent.mkdir(parents=True, exist_ok=True)
    if kind == "a named pipe":
        os.mkfifo(ini)
    elif kind == "a folder":
        ini.mkdir()
    elif kind == "a link to /dev/zero":
        ini.symlink_to("/dev/zero")
    elif kind == "a 5 MB file":
        ini.write_bytes(b"[ui]\n" + b"x" * (5 * 1024 * 1024))


@posix
@pytest.mark.parametrize("where", ["bodymap/bodymap.ini", "bodymap.ini"])
@pytest.mark.parametrize("kind", ["a named pipe", "a folder", "a link to /dev/zero",
                                  "a 5 MB file"])
def test_a_bad_settings_file_never_hangs_and_is_never_written(tmp_path, kind, where):
    config = tmp_path / "config"
    ini = config / where
    make_bad(kind, ini)
    before = os.lstat(ini)
    env = dict(os.environ, XDG_CONFIG_HOME=str(config), HOME=str(tmp_path),
               QT_QPA_PLATFORM="offscreen")
    done = subprocess.run([sys.executable, "-c", PROBE], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    name, _, problem = done.stdout.partition("|")
    assert name.strip() == "SessionSettings"
    assert str(ini) in problem
    after = os.lstat(ini)
    assert (after.st_mode, after.st_ino, after.st_size) == (before.st_mode, before.st_ino,
                                                             before.st_size)
    assert Path("/dev/zero").is_char_device()


def test_a_regular_settings_file_is_used_as_before(tmp_path):
    """(In its own process: Qt keeps the first user-scope folder it computes.)"""
    code = ("from pathlib import Path; from bodymap.widgets import settings as p\n"
            "s = p.app_settings(); assert type(s).__name__ == 'QSettings', type(s)\n"
            "assert Path(s.fileName()) == p.settings_files()[0], s.fileName()\n"
            "s.setValue('ui/language', 'ru'); s.sync()\n"
            "print(p.app_settings().value('ui/language'))\n")
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True,
                          text=True, timeout=60,
                          env=dict(os.environ, XDG_CONFIG_HOME=str(tmp_path),
                                   QT_QPA_PLATFORM="offscreen"))
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "ru"
    assert (tmp_path / "bodymap" / "bodymap.ini").is_file()


def test_session_settings_answer_like_settings():
    from bodymap.widgets import settings as prefs

    s = prefs.SessionSettings(Path("/x/bodymap.ini"), "is a FIFO (named pipe), not a file")
    assert s.value("files/recent") is None and s.value("a", "b") == "b"
    s.setValue("files/recent", ["a", "b"])
    assert prefs.recent_files(s) == ["a", "b"]
    s.remove("files")
    assert not s.contains("files/recent")
    assert s.fileName() == "/x/bodymap.ini"


@posix
def test_the_window_says_the_settings_are_for_this_session_only(make_window, tmp_path,
                                                               monkeypatch):
    from bodymap.widgets import settings as prefs

    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    make_bad("a named pipe", tmp_path / "config" / "bodymap" / "bodymap.ini")
    window = make_window(settings=prefs.app_settings())
    message = window.statusBar().currentMessage()
    assert "not remembered this time" in message and "named pipe" in message
    window.close()
