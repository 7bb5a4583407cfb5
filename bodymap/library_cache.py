"""A ready-validated copy of the shipped protocol library, so start-up need not re-read it.

Reading the shipped protocols means parsing 22 TOML files and validating them with pydantic,
whose model schemas are built on first use: together about a fifth of a second, every start,
for files that change only when bodymap itself changes. The validated registries are stored
once, with :mod:`pickle`, in ``protocols/library.cache.pickle`` beside them, under the
start-up caches' one key (:mod:`bodymap.startup_cache`): the package's source, the exact bytes
of every shipped protocol file, and the Python and pydantic versions (a pickle of pydantic
models is only read back by the pydantic that wrote it).

:func:`read` hands the registries back only when the key matches; any difference (a protocol
or any module was edited, another pydantic, a damaged, foreign or special file) and the caller
reads the TOML files as before. The cache can make start-up faster but never makes it wrong,
and it never covers the user's own condition files, which are always read and validated.

Why pickle: the validated objects are nested, frozen pydantic models with validators that have
already run; pickle restores them exactly, without re-validating, where a JSON copy would have
to be validated again (the cost this module exists to avoid). The file is never taken from a
user folder, only from the installation's own ``protocols/`` (as trusted as its ``.py``
files), and it is read with an unpickler that resolves only the classes such a file can hold
(:class:`_Unpickler`): a file naming anything else is refused like a damaged one.

Rebuilt by ``python -m bodymap.library_cache``; the Makefile does it whenever a protocol file
or the package's source is newer.
"""

from __future__ import annotations

import io
import pickle
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

FILE = "library.cache.pickle"
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
    """The cache's key (:func:`bodymap.startup_cache.key`) for the protocols in ``folder``."""
    import pydantic

    from bodymap import startup_cache

    versions = (f"python {sys.version_info[0]}.{sys.version_info[1]}\n"
                f"pydantic {pydantic.VERSION}")
    return startup_cache.key("library", ((p.relative_to(folder).as_posix(), p)
                                         for p in protocol_files(folder)), versions)


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
    from bodymap import startup_cache

    try:
        content = startup_cache.read(cache_path(folder), data_key(folder), _MAX_BYTES)
        if content is None:
            return None
        shipped = _Unpickler(io.BytesIO(content)).load()
        return shipped if isinstance(shipped, Shipped) else None
    except Exception:  # damaged, foreign, or from other code: read the TOML instead
        return None


def write(folder: Path, shipped: Shipped) -> Path:
    """Store ``shipped`` (read from ``folder`` just now) as its cache, atomically."""
    from bodymap import startup_cache

    return startup_cache.write(cache_path(folder), data_key(folder),
                               pickle.dumps(shipped, protocol=pickle.HIGHEST_PROTOCOL),
                               "made by `python -m bodymap.library_cache`; used only while "
                               "its key matches")


def rebuild(folder: Path | None = None) -> Path:
    """Read and validate the shipped protocols afresh and write their cache."""
    from bodymap import library

    folder = folder or library.shipped_dir()
    return write(folder, library.read_shipped(folder))


if __name__ == "__main__":
    print(rebuild())
