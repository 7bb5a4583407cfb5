"""Remembered settings (QSettings): language, window layout, last folder, recent files, the
last plan's conditions.

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
#: the lead condition alone: what versions before the list below wrote and read; still written
#: (an older copy of the app keeps its lead) and read (settings written by an older version)
LAST_CONDITION = "plan/last_condition"
#: the last plan's conditions, the lead first
LAST_CONDITIONS = "plan/last_conditions"
#: a remembered list longer than this is not one the app wrote (bodymap.document.MAX_CONDITIONS)
MAX_LAST_CONDITIONS = 8
#: a condition id's longest length (bodymap.document.Ident)
MAX_ID_CHARS = 64
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


def last_conditions(settings: QSettings) -> tuple[tuple[str, ...], bool]:
    """The last plan's conditions (lead first) and whether what is stored could be read.

    Not checked against the library (the caller knows which ids exist). Settings written by
    an older version hold the lead alone (:data:`LAST_CONDITION`); so does a copy of such a
    version that changed the lead later (the lead the list starts with is not its lead any
    more). A stored list that is not a list of ids, or longer than a plan can be, is
    unreadable: then the lead alone, as an older version would have it.
    """
    lead = get_str(settings, LAST_CONDITION).strip()
    only_lead = (lead,) if lead else ()
    value = settings.value(LAST_CONDITIONS)
    items = [value] if isinstance(value, str) else value
    if value is None or (isinstance(items, list)  # nothing stored (INI: an empty list is None)
                         and all(isinstance(i, str) and not i.strip() for i in items)):
        return only_lead, True
    if not (isinstance(items, (list, tuple)) and len(items) <= MAX_LAST_CONDITIONS
            and all(isinstance(i, str) and 0 < len(i.strip()) <= MAX_ID_CHARS for i in items)):
        return only_lead, False
    conditions = tuple(dict.fromkeys(i.strip() for i in items))
    if lead and conditions[0] != lead:
        return only_lead, True
    return conditions, True


def remembered_conditions(settings: QSettings, known: Any) -> tuple[tuple[str, ...], str]:
    """The last plan's conditions that ``known`` (ids) has, lead first, and what the status bar
    should say about the rest: which ids are unknown, whether the stored list was unreadable
    ("" when all is well)."""
    from bodymap.i18n import tr

    remembered, readable = last_conditions(settings)
    kept = tuple(c for c in remembered if c in known)
    unknown = [c if len(c) <= 40 else c[:39] + "…" for c in remembered if c not in kept]
    messages = [] if readable else [tr("status.last_conditions_unreadable",
                                       path=settings.fileName(), setting=LAST_CONDITIONS)]
    if unknown:
        messages.append(tr("status.unknown_condition", id=", ".join(unknown)))
    return kept, "  ".join(messages)


def set_last_conditions(settings: QSettings, conditions: tuple[str, ...]) -> None:
    """Remember a plan's conditions (lead first); the lead also where older versions read it."""
    if conditions:
        settings.setValue(LAST_CONDITIONS, list(conditions))
        settings.setValue(LAST_CONDITION, conditions[0])


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
