"""bodymap's version, from the package metadata (one source: ``pyproject.toml``).

``importlib.metadata`` costs tens of milliseconds to import, so nothing asks for the version
at start-up: ``bodymap.__version__`` and :func:`version` compute it on first use.

Where it comes from, first found wins:

1. the installed distribution's metadata (``pip install``, ``pip install -e .``, the wheel);
2. a ``VERSION`` file beside this module: the frozen bundle (packaging/bodymap.spec writes it
   from the metadata at build time, so the bundle needs no ``importlib.metadata`` at all);
3. ``pyproject.toml`` of a source checkout that was never installed;
4. ``0+unknown``.
"""

from __future__ import annotations

import sys
from functools import lru_cache
from pathlib import Path

UNKNOWN = "0+unknown"
_HERE = Path(__file__).resolve().parent


@lru_cache(maxsize=1)
def version() -> str:
    if not getattr(sys, "frozen", False):
        found = _from_metadata()
        if found:
            return found
    for finder in (_from_file, _from_pyproject):
        found = finder()
        if found:
            return found
    return UNKNOWN


def _from_metadata() -> str | None:
    from importlib import metadata

    try:
        return metadata.version("bodymap")
    except metadata.PackageNotFoundError:
        return None


def _from_file() -> str | None:
    try:
        text = (_HERE / "VERSION").read_text(encoding="utf-8").strip()
    except OSError:
        return None
    return text or None


def _from_pyproject() -> str | None:
    import tomllib

    try:
        with (_HERE.parent / "pyproject.toml").open("rb") as fh:
            data = tomllib.load(fh)
    except (OSError, tomllib.TOMLDecodeError):
        return None
    value = data.get("project", {}).get("version")
    return value if isinstance(value, str) else None
