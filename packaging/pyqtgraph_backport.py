"""Install pyqtgraph 0.14.0 with one upstream fix that its release lacks: a lazy Qt shim.

pyqtgraph 0.14.0 mirrors PySide6's QtCore, QtGui and QtWidgets into its own modules at import
(``_copy_attrs``), which makes PySide6 create every one of their classes and enums at once:
about 0.15 s of every bodymap start, more than a bare PySide6 window's whole start-up. pyqtgraph
fixed this upstream after 0.14.0 (commit 92096ee2, "populate QtCore, QtGui, QtWidgets lazily");
until a release carries it, ``make`` installs 0.14.0 with that commit applied
(``packaging/patches/pyqtgraph-0.14.0-lazy-qt.patch``):

1. the 0.14.0 wheel is downloaded from the package index (``pip download``),
2. unpacked, patched with the upstream diff, and packed again with the ``wheel`` tool under the
   build tag ``1lazyqt`` (same version, its RECORD rewritten),
3. installed in place of the plain 0.14.0.

Nothing is done when the installed pyqtgraph is not 0.14.0 or is already lazy. When a step
fails (no index, no ``patch`` program), a note says so and the plain wheel stays: bodymap works
the same, it only starts slower. ``tests/test_startup_deps.py`` checks the result.

Run by the Makefile after installing the project: ``python packaging/pyqtgraph_backport.py``.
"""

from __future__ import annotations

import importlib.metadata
import importlib.util
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
VERSION = "0.14.0"
BUILD_TAG = "1lazyqt"
PATCH = ROOT / "packaging" / "patches" / f"pyqtgraph-{VERSION}-lazy-qt.patch"
CACHE = ROOT / "build" / "pyqtgraph-backport"


def installed_version() -> str | None:
    try:
        return importlib.metadata.version("pyqtgraph")
    except importlib.metadata.PackageNotFoundError:
        return None


def shim_is_lazy() -> bool:
    """Whether the installed pyqtgraph's Qt shim no longer copies PySide6's modules at import
    (read from its source, without importing it)."""
    spec = importlib.util.find_spec("pyqtgraph")
    if spec is None or spec.origin is None:
        return False
    shim = Path(spec.origin).parent / "Qt" / "__init__.py"
    return "_copy_attrs(PySide6.QtCore" not in shim.read_text(encoding="utf-8")


def _run(*args: str, cwd: Path | None = None) -> None:
    subprocess.run(args, cwd=cwd, check=True, stdout=subprocess.DEVNULL)


def build_wheel(workdir: Path) -> Path:
    """The patched wheel, made in ``workdir`` (cached in build/ once made)."""
    cached = sorted(CACHE.glob(f"pyqtgraph-{VERSION}-{BUILD_TAG}-*.whl"))
    if cached:
        return cached[0]
    pip = [sys.executable, "-m", "pip"]
    _run(*pip, "install", "--quiet", "wheel>=0.40")
    _run(*pip, "download", "--quiet", "--no-deps", "--only-binary", ":all:",
         f"pyqtgraph=={VERSION}", "-d", str(workdir))
    plain = next(workdir.glob(f"pyqtgraph-{VERSION}-*.whl"))
    unpacked = workdir / "unpacked"
    _run(sys.executable, "-m", "wheel", "unpack", str(plain), "-d", str(unpacked))
    tree = next(unpacked.iterdir())
    _run("patch", "-p1", "--batch", "--forward", "--silent", "-i", str(PATCH), cwd=tree)
    out = workdir / "out"
    out.mkdir()
    _run(sys.executable, "-m", "wheel", "pack", str(tree), "-d", str(out),
         "--build-number", BUILD_TAG)
    made = next(out.glob("*.whl"))
    CACHE.mkdir(parents=True, exist_ok=True)
    return Path(shutil.copy2(made, CACHE / made.name))


def main() -> int:
    version = installed_version()
    if version != VERSION:
        print(f"pyqtgraph backport: pyqtgraph {version} installed, nothing to do")
        return 0
    if shim_is_lazy():
        print("pyqtgraph backport: the lazy Qt shim is already installed")
        return 0
    try:
        with tempfile.TemporaryDirectory(prefix="bodymap-pyqtgraph-") as tmp:
            wheel = build_wheel(Path(tmp))
            _run(sys.executable, "-m", "pip", "install", "--quiet", "--no-deps",
                 "--force-reinstall", str(wheel))
    except (OSError, subprocess.CalledProcessError, StopIteration) as exc:
        print(f"pyqtgraph backport: not applied ({exc}); bodymap works the same, "
              "its start-up is slower", file=sys.stderr)
        return 0
    print(f"pyqtgraph backport: installed {wheel.name} (lazy Qt shim, upstream 92096ee2)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
