"""Remembered settings (QSettings): language, window layout, last folder, recent files.

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
LAST_CONDITION = "plan/last_condition"


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
