"""Where protocol files are, found without reading them (no pydantic, nothing parsed).

The shipped protocols (``resource_dir("protocols")``), the user's own condition files (in
``<user data dir>/protocols``: ``platformdirs.user_data_dir("bodymap")``, or
``$BODYMAP_USER_DIR`` when set), and :func:`check_condition_id`, which the command line runs
before a window opens: kept apart from :mod:`bodymap.library` so that this check does not load
the validator (pydantic) and delay the window's first paint.
"""

from __future__ import annotations

import os
from pathlib import Path

from bodymap.resources import resource_dir

TECHNIQUES_FILE = "techniques.toml"
CONTRA_FILE = "contraindications.toml"
SAFEGUARDS_FILE = "safeguards.toml"
#: files in a protocol folder that are not condition files
REGISTRIES = (TECHNIQUES_FILE, CONTRA_FILE, SAFEGUARDS_FILE, "headings.toml")
CONDITIONS_DIR = "conditions"


def user_data_dir() -> Path:
    """The user's bodymap data folder (``$BODYMAP_USER_DIR`` overrides the platform's)."""
    override = os.environ.get("BODYMAP_USER_DIR")
    if override:
        return Path(override)
    import platformdirs

    return Path(platformdirs.user_data_dir("bodymap", appauthor=False))


def user_protocol_dir() -> Path:
    return user_data_dir() / "protocols"


def shipped_dir() -> Path:
    return resource_dir("protocols")


def condition_files(folder: Path) -> list[Path]:
    """``conditions/*.toml`` in a protocol folder, sorted."""
    sub = folder / CONDITIONS_DIR
    return sorted(sub.glob("*.toml")) if sub.is_dir() else []


def user_files(folder: Path) -> list[Path]:
    """Condition files in a user folder: ``*.toml`` at its top level and in ``conditions/``."""
    files = [p for p in sorted(folder.glob("*.toml")) if p.name not in REGISTRIES]
    return files + condition_files(folder)


def check_condition_id(condition_id: str) -> None:
    """Raise UsageError unless a condition file ``<id>.toml`` exists (shipped or the user's).

    Cheap on purpose: it lists file names and parses nothing, so the window's start-up is not
    delayed; a user file of that name that turns out broken is reported by the window.
    """
    from bodymap.errors import UsageError, shown

    ids = {p.stem for p in condition_files(shipped_dir())}
    user = user_protocol_dir()
    try:
        if user.is_dir():
            ids |= {p.stem for p in user_files(user)}
    except OSError:
        pass
    if condition_id not in ids:
        raise UsageError(f"unknown condition '{shown(condition_id)}'",
                         expected="one of " + ", ".join(sorted(ids)))


#: the most conditions one plan holds (a plan document's limit too)
MAX_CONDITIONS = 8


def check_conditions_given(conditions: list[str] | tuple[str, ...]) -> None:
    """Raise UsageError for a condition given twice or more than :data:`MAX_CONDITIONS`
    conditions (the window and the screenshot check this before any window opens)."""
    from bodymap.errors import UsageError, shown

    seen: set[str] = set()
    for cid in conditions:
        if cid in seen:
            raise UsageError(f"condition '{shown(cid)}' is given twice",
                             expected="each condition once (the first one leads)")
        seen.add(cid)
    if len(conditions) > MAX_CONDITIONS:
        raise UsageError(f"{len(conditions)} conditions are given",
                         expected=f"at most {MAX_CONDITIONS}")
