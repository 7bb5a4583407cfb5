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
from typing import Any

from bodymap.errors import DataFileError
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
    """Condition files in a user folder: ``*.toml`` at its top level and in ``conditions/``
    (a folder that cannot be read gives none: :func:`user_files_and_problems` says why)."""
    return user_files_and_problems(folder)[0]


def user_files_and_problems(folder: Path) -> tuple[list[Path], list[DataFileError]]:
    """Condition files in a user folder (top level and ``conditions/``) and, for the folder or
    its ``conditions/`` when one cannot be read, a problem naming it: an unreadable folder never
    stops the shipped protocols, and is never silently empty."""
    problems: list[DataFileError] = []
    top = _toml_names(folder, problems)
    files = [folder / n for n in top or () if n not in REGISTRIES]
    sub = folder / CONDITIONS_DIR
    if top is not None and readable_dir(sub, problems):
        files += [sub / n for n in _toml_names(sub, problems) or ()]
    return files, problems


def readable_dir(path: Path, problems: list[Any]) -> bool:
    """Whether ``path`` is a folder; one that cannot even be looked at is a problem."""
    from bodymap.safeio import describe_os_error

    try:
        return path.is_dir()
    except OSError as exc:
        problems.append(DataFileError(describe_os_error(exc), path=path,
                                      expected="a folder bodymap can read"))
        return False


def _toml_names(folder: Path, problems: list[DataFileError]) -> list[str] | None:
    """The sorted ``*.toml`` names in ``folder``; None (and a problem) when it cannot be read."""
    from bodymap.safeio import describe_os_error

    try:
        with os.scandir(folder) as entries:
            return sorted(e.name for e in entries if e.name.endswith(".toml"))
    except OSError as exc:
        words = describe_os_error(exc).replace("cannot be opened", "cannot be read", 1)
        problems.append(DataFileError(f"{words}: its condition files were not read",
                                      path=folder, expected="a folder bodymap can read"))
        return None


#: the most conditions one plan combines (plan documents hold at most this many)
MAX_CONDITIONS = 8


def check_condition_list(conditions: list[str] | tuple[str, ...]) -> None:
    """The ``--condition`` list of the window, ``plan``, ``export`` and ``screenshot``: each
    condition once, at most :data:`MAX_CONDITIONS` (a UsageError, exit 2, otherwise)."""
    from bodymap.errors import UsageError, shown

    if len(conditions) > MAX_CONDITIONS:
        raise UsageError(f"{len(conditions)} conditions given; a plan combines at most "
                         f"{MAX_CONDITIONS}", expected=f"at most {MAX_CONDITIONS} --condition")
    seen: set[str] = set()
    for cid in conditions:
        if cid in seen:
            raise UsageError(f"condition '{shown(cid)}' is given twice",
                             expected="each condition once (the first one leads)")
        seen.add(cid)


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
