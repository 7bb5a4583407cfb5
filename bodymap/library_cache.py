"""A ready-validated copy of the shipped protocol library, so start-up need not re-read it.

Reading the shipped protocols means parsing 22 TOML files and validating them with pydantic,
whose model schemas are built on first use: together about a fifth of a second, every start,
for files that change only when bodymap itself changes. The validated registries are stored
once, with :mod:`pickle`, in ``protocols/library.cache.pickle`` beside them, together with two
SHA-256 keys:

* ``data``: the exact bytes of every shipped protocol file, this format, the Python and pydantic
  versions (a pickle of pydantic models is only read back by the pydantic that wrote it);
* ``code``: the source of the modules that define and validate those models
  (:data:`CODE_MODULES`). A frozen bundle has no sources, and its code cannot change after it
  is built, so there only ``data`` is checked.

:func:`read` hands the registries back only when both keys match; any difference (a protocol
or the schema was edited, another pydantic, a damaged or foreign file) and the caller reads the
TOML files as before. The cache can make start-up faster but never makes it wrong, and it never
covers the user's own condition files, which are always read and validated.

Why pickle: the validated objects are nested, frozen pydantic models with validators that have
already run; pickle restores them exactly, without re-validating, where a JSON copy would have
to be validated again (the cost this module exists to avoid). The file is never taken from a
user folder, only from the installation's own ``protocols/`` (as trusted as its ``.py``
files), and it is read with an unpickler that resolves only the classes such a file can hold
(:class:`_Unpickler`): a file naming anything else is refused like a damaged one.

Rebuilt by ``python -m bodymap.library_cache``; the Makefile does it whenever a protocol file
or one of :data:`CODE_MODULES` is newer. Bump :data:`FORMAT` when what is stored changes.
"""

from __future__ import annotations

import hashlib
import io
import pickle
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

#: Bumped whenever what the cache holds changes.
FORMAT = 1
FILE = "library.cache.pickle"
#: the modules whose source decides what a validated protocol is
CODE_MODULES = ("schema", "safeguard_schema", "schema_errors", "vocabulary", "library",
                "protocol_files", "library_cache")
#: where the classes a cache may hold are defined (nothing else is resolved)
_MODEL_MODULES = ("bodymap.schema", "bodymap.safeguard_schema")
_MAX_BYTES = 16 * 1024 * 1024


@dataclass(frozen=True)
class Shipped:
    """The shipped protocols, validated: what :func:`bodymap.library.load_library` reads first."""

    techniques: Any  # TechniqueRegistry
    contraindications: Any  # ContraRegistry
    safeguards: Any  # SafeguardRegistry
    #: condition id -> (Condition, its file's path relative to the protocols folder)
    conditions: dict[str, tuple[Any, str]]


def cache_path(folder: Path) -> Path:
    return folder / FILE


def protocol_files(folder: Path) -> list[Path]:
    """The shipped files a library is made of, in a fixed order."""
    from bodymap.protocol_files import (
        CONDITIONS_DIR,
        CONTRA_FILE,
        SAFEGUARDS_FILE,
        TECHNIQUES_FILE,
    )

    top = [folder / TECHNIQUES_FILE, folder / CONTRA_FILE, folder / SAFEGUARDS_FILE]
    return top + sorted((folder / CONDITIONS_DIR).glob("*.toml"))


def data_key(folder: Path) -> str:
    import pydantic

    digest = hashlib.sha256(
        f"bodymap-library-{FORMAT}\npython {sys.version_info[0]}.{sys.version_info[1]}\n"
        f"pydantic {pydantic.VERSION}\n".encode())
    for path in protocol_files(folder):
        digest.update(path.relative_to(folder).as_posix().encode() + b"\0")
        digest.update(path.read_bytes() + b"\0")
    return digest.hexdigest()


def code_key() -> str | None:
    """SHA-256 of :data:`CODE_MODULES`' sources; None where there are none (a frozen bundle)."""
    if getattr(sys, "frozen", False):
        return None
    here = Path(__file__).resolve().parent
    digest = hashlib.sha256()
    for name in CODE_MODULES:
        try:
            digest.update((here / f"{name}.py").read_bytes() + b"\0")
        except OSError:
            return "no sources"  # never matches a key made from sources
    return digest.hexdigest()


class _Unpickler(pickle.Unpickler):
    """Resolves only :class:`Shipped` and the protocol models (pickle's "Restricting Globals"
    recipe): a file that names any other class or function fails to load, like a damaged one."""

    def find_class(self, module: str, name: str) -> Any:
        if module == __name__ and name == "Shipped":
            return Shipped
        if module in _MODEL_MODULES:
            from pydantic import BaseModel

            found = super().find_class(module, name)
            if isinstance(found, type) and issubclass(found, BaseModel):
                return found
        raise pickle.UnpicklingError(f"{module}.{name} is not part of a protocol library")


def read(folder: Path) -> Shipped | None:
    """The validated shipped protocols of ``folder`` when its cache matches them, else None."""
    from bodymap.safeio import read_bytes_bounded

    try:
        # a regular file only, never more than _MAX_BYTES (a FIFO or device is not waited on)
        stored = _Unpickler(io.BytesIO(read_bytes_bounded(cache_path(folder), _MAX_BYTES))).load()
        if not isinstance(stored, dict) or stored.get("format") != FORMAT:
            return None
        code = code_key()
        if stored.get("data") != data_key(folder) or (code is not None
                                                      and stored.get("code") != code):
            return None
        shipped = stored["shipped"]
        if not isinstance(shipped, Shipped):
            return None
        return shipped
    except Exception:  # missing, damaged, foreign, or from other code: read the TOML instead
        return None


def write(folder: Path, shipped: Shipped) -> Path:
    """Store ``shipped`` (read from ``folder`` just now) as its cache, atomically."""
    from bodymap.safeio import atomic_write_bytes

    data = {"format": FORMAT, "data": data_key(folder), "code": code_key(), "shipped": shipped,
            "note": "made by `python -m bodymap.library_cache`; used only while its keys match"}
    return atomic_write_bytes(cache_path(folder),
                              pickle.dumps(data, protocol=pickle.HIGHEST_PROTOCOL))


def rebuild(folder: Path | None = None) -> Path:
    """Read and validate the shipped protocols afresh and write their cache."""
    from bodymap import library

    folder = folder or library.shipped_dir()
    return write(folder, library.read_shipped(folder))


if __name__ == "__main__":
    print(rebuild())
