"""Locate the data that ships with bodymap: ``assets/`` and ``protocols/``.

In a source checkout they sit at the repository's top level; in an installed wheel they are
copied into ``bodymap/data/`` (see ``[tool.hatch.build.targets.wheel.force-include]`` in
pyproject.toml); in the PyInstaller bundle (packaging/bodymap.spec) they sit at the top of the
bundle's folder, ``sys._MEIPASS``. :func:`resource_path` is the one place that knows the three
layouts.
"""

from __future__ import annotations

import sys
from pathlib import Path

_PACKAGE_DIR = Path(__file__).resolve().parent
_KINDS = ("assets", "protocols")


def _roots() -> list[Path]:
    """Where shipped folders may be, most specific first."""
    roots = [_PACKAGE_DIR / "data"]
    bundle = getattr(sys, "_MEIPASS", None)
    if getattr(sys, "frozen", False) and bundle:
        roots.append(Path(bundle))
    roots.append(_PACKAGE_DIR.parent)
    return roots


def resource_dir(kind: str) -> Path:
    """Return the folder of a shipped resource kind (``"assets"`` or ``"protocols"``)."""
    if kind not in _KINDS:
        raise ValueError(f"unknown resource kind {kind!r}; expected one of {', '.join(_KINDS)}")
    for root in _roots():
        candidate = root / kind
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError(
        f"bodymap's {kind}/ folder was not found next to the package ({_PACKAGE_DIR}); "
        "the installation is incomplete"
    )


def resource_path(kind: str, *parts: str) -> Path:
    """Return the path of a shipped file, e.g. ``resource_path("assets", "zones.svg")``."""
    return resource_dir(kind).joinpath(*parts)
