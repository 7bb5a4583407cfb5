"""Remembered settings (QSettings): language, window layout, last folder, recent files, the
plan file open when the window last closed.

One INI file per user (``QSettings.IniFormat``, user scope, "bodymap"/"bodymap"); on Linux it
lives under ``$XDG_CONFIG_HOME``, which the tests redirect, so tests never touch the real user.
QSettings' INI backend returns a bare string for a one-item list and ``None`` for an empty one;
the helpers here always hand back plain Python values.
"""

from __future__ import annotations

from pathlib import Path

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
#: the height the user gave the bottom docks (session player, course), in pixels
BOTTOM_HEIGHT = "window/bottom_height"
#: a remembered height outside these bounds is not one a screen could show: not restored
BOTTOM_HEIGHT_RANGE = (40, 4000)


def app_settings() -> QSettings:
    return QSettings(QSettings.Format.IniFormat, QSettings.Scope.UserScope, "bodymap", "bodymap")


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
    kept, removed = [], []
    for p in recent_files(settings):
        (kept if Path(p).is_file() else removed).append(p)
    if removed:
        set_recent_files(settings, kept)
    return kept, removed
