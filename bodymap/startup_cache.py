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
* **the file** is one header line (JSON: the format, the key, the SHA-256 of the content) and
  the content; a byte changed anywhere in it makes it unusable, even where the key matches;
* **reading** (:func:`read`, :func:`read_json`) goes through :mod:`bodymap.safeio`: a regular
  file only (a FIFO is never waited on), at most a bounded size, JSON without
  ``RecursionError``. Any problem (missing, a pipe or a device, damaged, foreign, stale: the
  key differs) is ``None``, and the caller reads the sources: a cache can make start-up
  faster, never wrong, and never stop it;
* **writing** (:func:`write`, :func:`write_json`) is safeio's atomic writer: a killed build
  leaves the old cache or the new one.

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


def read(path: Path, expected_key: str, limit: int) -> bytes | None:
    """A cache's content when the file is one of this :data:`FORMAT` with this key, and its
    content is whole (its SHA-256 matches the header's); else None.

    The file is one header line (JSON: format, key, the content's SHA-256, a note), then the
    content: a cache damaged in any byte is never used, even one whose key still matches.
    """
    from bodymap.errors import DataFileError
    from bodymap.safeio import parse_json, read_bytes_bounded

    try:
        raw = read_bytes_bounded(path, limit)
        head, sep, content = raw.partition(b"\n")
        if not sep or len(head) > 4096:
            return None
        header = parse_json(head.decode("ascii"), path)
    except (DataFileError, UnicodeDecodeError):
        return None
    if not isinstance(header, dict) or header.get("format") != FORMAT or \
            header.get("key") != expected_key or \
            header.get("sha256") != hashlib.sha256(content).hexdigest():
        return None
    return content


def write(path: Path, cache_key: str, content: bytes, note: str) -> Path:
    """Store ``content`` under its key (atomically), as :func:`read` reads it."""
    import json

    from bodymap.safeio import atomic_write_bytes

    header = json.dumps({"format": FORMAT, "key": cache_key,
                         "sha256": hashlib.sha256(content).hexdigest(), "note": note})
    return atomic_write_bytes(path, header.encode("ascii") + b"\n" + content)


def read_json(path: Path, expected_key: str, limit: int) -> Any:
    """A JSON cache's content (see :func:`read`), or None."""
    from bodymap.errors import DataFileError
    from bodymap.safeio import parse_json

    content = read(path, expected_key, limit)
    if content is None:
        return None
    try:
        return parse_json(content.decode("utf-8"), path)
    except (DataFileError, UnicodeDecodeError):
        return None


def write_json(path: Path, cache_key: str, content: Any, note: str) -> Path:
    import json

    return write(path, cache_key, json.dumps(content, ensure_ascii=False, indent=0).encode(),
                 note)


__all__ = ["FORMAT", "KEY_FILE", "compute_source_key", "key", "read", "read_json",
           "source_key", "write", "write_json", "write_key_file"]
