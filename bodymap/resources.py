"""Locate the data that ships with bodymap: ``assets/`` and ``protocols/``.

In a source checkout they sit at the repository's top level; in an installed wheel they are
copied into ``bodymap/data/`` (see ``[tool.hatch.build.targets.wheel.force-include]`` in
pyproject.toml). :func:`resource_path` is the one place that knows both layouts.
"""

from __future__ import annotations

from pathlib import Path

_PACKAGE_DIR = Path(__file__).resolve().parent
_KINDS = ("assets", "protocols")


def resource_dir(kind: str) -> Path:
    """Return the folder of a shipped resource kind (``"assets"`` or ``"protocols"``)."""
    if kind not in _KINDS:
        raise ValueError(f"unknown resource kind {kind!r}; expected one of {', '.join(_KINDS)}")
    for candidate in (_PACKAGE_DIR / "data" / kind, _PACKAGE_DIR.parent / kind):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError(
        f"bodymap's {kind}/ folder was not found next to the package ({_PACKAGE_DIR}); "
        "the installation is incomplete"
    )


def resource_path(kind: str, *parts: str) -> Path:
    """Return the path of a shipped file, e.g. ``resource_path("assets", "zones.svg")``."""
    return resource_dir(kind).joinpath(*parts)
