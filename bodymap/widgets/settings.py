"""Remembered settings (QSettings): language, window layout, last folder, recent files, the
plan file open when the window last closed.

One INI file per user (``QSettings.IniFormat``, user scope, "bodymap"/"bodymap"); on Linux it
lives under ``$XDG_CONFIG_HOME``, which the tests redirect, so tests never touch the real user.
QSettings' INI backend returns a bare string for a one-item list and ``None`` for an empty one;
the helpers here always hand back plain Python values.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import QByteArray, QSettings

MAX_RECENT = 8

LANGUAGE = "ui/language"
GEOMETRY = "window/geometry"
STATE = "window/state"
SPLITTER = "window/splitter"
#: version of the saved dock layout: a layout saved by another version is not restored
LAYOUT_VERSION = 2
LAST_FOLDER = "files/last_folder"
RECENT = "files/recent"
#: the plan file open when the window last closed (opened, saved): a restart opens it again.
#: File -> New forgets it: a new patient never starts with the previous one's conditions.
LAST_DOCUMENT = "files/last_document"
#: the records' database: a SQLite file or a postgresql:// URL (missing: the default file)
RECORDS_DB = "records/database"
#: the records dock was placed (the first time it opened): from then on it is where it was left
RECORDS_PLACED = "window/records_placed"
#: the height the user gave the bottom docks (session player, course), in pixels
BOTTOM_HEIGHT = "window/bottom_height"
#: a remembered height outside these bounds is not one a screen could show: not restored
BOTTOM_HEIGHT_RANGE = (40, 4000)


#: a settings file larger than this is not one bodymap wrote (a few kB): not read
MAX_SETTINGS_BYTES = 4 * 1024 * 1024


def app_settings() -> QSettings:
    """The user's settings; kept in memory for this session only (:class:`SessionSettings`)
    when a settings file Qt would read is not a regular file of a sane size: Qt reads the file
    in the constructor, and a named pipe there would stop start-up for good."""
    for path in settings_files():
        problem = _file_problem(path)
        if problem:
            return SessionSettings(path, problem)
    return QSettings(QSettings.Format.IniFormat, QSettings.Scope.UserScope, "bodymap", "bodymap")


def settings_files() -> list[Path]:
    """The INI files QSettings reads for bodymap in user scope: the application's, then the
    organisation's fallback (Qt's make_user_path: XDG or Windows through QStandardPaths,
    ``$XDG_CONFIG_HOME`` or ``~/.config`` on macOS)."""
    import os
    import sys

    from PySide6.QtCore import QStandardPaths

    if sys.platform == "darwin":
        env = os.environ.get("XDG_CONFIG_HOME", "")
        base = Path(env) if env.startswith("/") else Path.home() / (env or ".config")
    else:
        base = Path(QStandardPaths.writableLocation(
            QStandardPaths.StandardLocation.GenericConfigLocation))
    return [base / "bodymap" / "bodymap.ini", base / "bodymap.ini"]


def _file_problem(path: Path) -> str | None:
    import os

    from bodymap.safeio import kind_problem

    try:
        if not os.path.lexists(path):
            return None
    except ValueError:
        return "has an invalid name"
    problem = kind_problem(path)
    if problem is None and path.stat().st_size > MAX_SETTINGS_BYTES:
        problem = f"is larger than {MAX_SETTINGS_BYTES // (1024 * 1024)} MB"
    return problem


class SessionSettings(QSettings):
    """Settings held in memory for this session only: ``problem`` says why the settings file
    (``fileName()``) is neither read nor written. Nothing reaches Qt's own storage, so nothing
    is ever written through the bad file (or a link to a device)."""

    def __init__(self, path: Path, problem: str) -> None:
        import secrets
        import tempfile

        # Qt's own object is given a file in a folder that does not exist: it reads nothing,
        # and as every access is answered here, it never has anything to write
        nowhere = Path(tempfile.gettempdir()) / f"bodymap-unused-{secrets.token_hex(8)}"
        super().__init__(str(nowhere / "settings.ini"), QSettings.Format.IniFormat)
        self._path = path
        self.problem = problem
        self._values: dict[str, Any] = {}

    def fileName(self) -> str:
        return str(self._path)

    def value(self, key: str, default: Any = None, type: Any = None) -> Any:
        return self._values.get(key, default)

    def setValue(self, key: str, value: Any) -> None:
        self._values[key] = value

    def remove(self, key: str) -> None:
        for k in [k for k in self._values if k == key or k.startswith(key + "/")]:
            del self._values[k]

    def contains(self, key: str) -> bool:
        return key in self._values

    def sync(self) -> None:
        pass


def settings_problem(settings: QSettings) -> str:
    """Why the settings are kept for this session only ("" when they are remembered)."""
    from bodymap.errors import shown

    if isinstance(settings, SessionSettings):
        return f"{shown(settings.fileName(), 200)}: {settings.problem}"
    return ""


def get_str(settings: QSettings, key: str, default: str = "") -> str:
    value = settings.value(key, default)
    return value if isinstance(value, str) else default


def get_bytes(settings: QSettings, key: str) -> QByteArray | None:
    value = settings.value(key)
    return value if isinstance(value, QByteArray) and not value.isEmpty() else None


def get_list(settings: QSettings, key: str) -> list[str]:
    value = settings.value(key)
    if value is None:
        return []
    if isinstance(value, str):
        return [value] if value else []
    if isinstance(value, (list, tuple)):
        return [str(v) for v in value if isinstance(v, str) and v]
    return []


def get_int(settings: QSettings, key: str, low: int, high: int) -> int | None:
    """A whole number from ``low`` to ``high`` (the INI file holds it as text), else None."""
    value = settings.value(key)
    if isinstance(value, str):
        text = value.strip()
        value = int(text) if text.isascii() and text.isdigit() and len(text) <= 9 else None
    if isinstance(value, int) and not isinstance(value, bool) and low <= value <= high:
        return value
    return None


def recent_files(settings: QSettings) -> list[str]:
    return get_list(settings, RECENT)[:MAX_RECENT]


def set_recent_files(settings: QSettings, paths: list[str]) -> None:
    unique = list(dict.fromkeys(paths))[:MAX_RECENT]
    settings.setValue(RECENT, unique)


def add_recent_file(settings: QSettings, path: str | Path) -> list[str]:
    """Put ``path`` first in the recent list (at most MAX_RECENT, no duplicates)."""
    text = str(Path(path).resolve())
    paths = [text, *(p for p in recent_files(settings) if p != text)]
    set_recent_files(settings, paths)
    return recent_files(settings)


def prune_missing(settings: QSettings) -> tuple[list[str], list[str]]:
    """Drop recent files that no longer exist; returns (kept, removed)."""
    kept: list[str] = []
    removed: list[str] = []
    for p in recent_files(settings):
        (kept if Path(p).is_file() else removed).append(p)
    if removed:
        set_recent_files(settings, kept)
    return kept, removed
