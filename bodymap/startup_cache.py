"""One rule for the three start-up caches: the validated protocols, the back's geometry and the
interface strings.

Each cache is a file made once from its sources (``make`` builds them; so do a built wheel and
the bundle) and read at start instead of them, because reading the sources is slow: 22 TOML
files validated by pydantic, an SVG parsed by svgelements, a dozen TOML string tables. The rule
is the same for all three:

* **the key** is one SHA-256 of the cache's kind, :data:`FORMAT`, anything else its content
  depends on (the Python and pydantic versions for a pickle), the package's source
  (:func:`source_key`: every ``.py`` file of ``bodymap``) and the exact bytes of its data files
  (:func:`key`). Editing any module or any data file changes it; nothing is kept by hand;
* **reading** (:func:`read_bytes`, :func:`read_json`) goes through :mod:`bodymap.safeio`: a
  regular file only (a FIFO is never waited on), at most a bounded size, JSON without
  ``RecursionError``. Any problem (missing, a pipe or a device, damaged, foreign, stale: the
  key differs) is ``None``, and the caller reads the sources: a cache can make start-up
  faster, never wrong, and never stop it;
* **writing** (:func:`write_bytes`, :func:`write_json`) is safeio's atomic writer: a killed
  build leaves the old cache or the new one.

A frozen bundle has no ``.py`` files: its source key is the one computed from the sources it
was built from, which packaging/bodymap.spec stores beside the modules (:data:`KEY_FILE`,
written by :func:`write_key_file`). A bundle without it never matches, and reads the sources.
"""

from __future__ import annotations

import hashlib
import os
import sys
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path
from typing import Any

#: bumped when the rule itself changes (every cache is then rebuilt)
FORMAT = 2
#: the frozen bundle's source key, beside its modules (written at build time)
KEY_FILE = "SOURCE_KEY"
_PACKAGE = Path(__file__).resolve().parent
#: never matches a key made from sources
NO_SOURCES = "no sources"
#: the largest data file a cache is made from
_MAX_DATA_BYTES = 64 * 1024 * 1024


def _package_files(package: Path) -> list[Path]:
    found: list[Path] = []
    for folder, dirs, files in os.walk(package):
        dirs[:] = sorted(d for d in dirs if d != "__pycache__" and not d.startswith("."))
        found += [Path(folder) / f for f in files if f.endswith(".py")]
    return sorted(found, key=lambda p: p.relative_to(package).as_posix())


def compute_source_key(package: Path = _PACKAGE) -> str:
    """SHA-256 of every ``.py`` file of the package (its path inside it and its bytes)."""
    digest = hashlib.sha256(b"bodymap-source\0")
    for path in _package_files(package):
        digest.update(path.relative_to(package).as_posix().encode() + b"\0")
        digest.update(path.read_bytes() + b"\0")
    return digest.hexdigest()


@lru_cache(maxsize=1)
def source_key() -> str:
    """The package's source key (computed once a process); a frozen bundle's stored one."""
    try:
        if getattr(sys, "frozen", False):
            text = (_PACKAGE / KEY_FILE).read_text(encoding="ascii").strip()
            return text if len(text) == 64 else NO_SOURCES
        return compute_source_key()
    except (OSError, ValueError):
        return NO_SOURCES


def write_key_file(folder: Path) -> Path:
    """Store the source key of this checkout in ``folder`` (the bundle's build step)."""
    from bodymap.safeio import atomic_write_text

    return atomic_write_text(Path(folder) / KEY_FILE, compute_source_key() + "\n")


def key(kind: str, files: Iterable[tuple[str, Path]], extra: str = "") -> str:
    """The key of a cache of ``kind`` made from ``files`` (each a name and a path).

    Raises DataFileError when a data file is not a readable regular file: the cache is then
    not used (or written).
    """
    from bodymap.safeio import read_bytes_bounded

    digest = hashlib.sha256(f"bodymap-{kind}-{FORMAT}\n{extra}\n{source_key()}\n".encode())
    for name, path in files:
        digest.update(name.encode("utf-8", "surrogateescape") + b"\0")
        digest.update(read_bytes_bounded(path, _MAX_DATA_BYTES) + b"\0")
    return digest.hexdigest()


def read_bytes(path: Path, limit: int) -> bytes | None:
    """A cache file's bytes (a regular file of at most ``limit`` bytes), else None."""
    from bodymap.errors import DataFileError
    from bodymap.safeio import read_bytes_bounded

    try:
        return read_bytes_bounded(path, limit)
    except DataFileError:
        return None


def read_json(path: Path, expected_key: str, limit: int) -> dict[str, Any] | None:
    """A JSON cache's table when it is one, of this :data:`FORMAT`, with this key; else None."""
    from bodymap.errors import DataFileError
    from bodymap.safeio import parse_json

    raw = read_bytes(path, limit)
    if raw is None:
        return None
    try:
        data = parse_json(raw.decode("utf-8"), path)
    except (DataFileError, UnicodeDecodeError):
        return None
    if not isinstance(data, dict) or data.get("format") != FORMAT or data.get("key") != \
            expected_key:
        return None
    return data


def write_json(path: Path, cache_key: str, content: dict[str, Any], note: str) -> Path:
    """Store ``content`` with its key (atomically)."""
    import json

    from bodymap.safeio import atomic_write_text

    data = {"format": FORMAT, "key": cache_key, "note": note, **content}
    return atomic_write_text(path, json.dumps(data, ensure_ascii=False, indent=0) + "\n")


def write_bytes(path: Path, data: bytes) -> Path:
    from bodymap.safeio import atomic_write_bytes

    return atomic_write_bytes(path, data)


__all__ = ["FORMAT", "KEY_FILE", "compute_source_key", "key", "read_bytes", "read_json",
           "source_key", "write_bytes", "write_json", "write_key_file"]
