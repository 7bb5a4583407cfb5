"""``make bundle``: build the standalone application and report its size and speed.

1. PyInstaller builds ``dist/bodymap/`` from packaging/bodymap.spec. Its work folder and its
   cache of processed binaries stay inside the project (``build/pyinstaller``,
   ``build/pyinstaller-cache``), so a second build only redoes what changed.
2. The archive ``dist/bodymap-<version>-<os>-<machine>.tar.gz`` holds that folder, a
   ``.desktop`` file, the SVG icon (the back map) and ``INSTALL.txt``.
3. It prints the folder's and the archive's sizes against their targets, and the bundle's
   start-to-ready against the checkout's, measured in the same run (medians of interleaved
   runs, each with fresh settings: scripts/bench.py's clock).

Exit code: 1 when the build fails, a size is over its target or the bundled window never
becomes ready; the speed ratio is reported only (a shared, noisy machine should not fail a
build), with PASS or FAIL beside it.
"""

from __future__ import annotations

import argparse
import io
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tarfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGING = ROOT / "packaging"
DIST = ROOT / "dist"
BUILD = ROOT / "build"
APP_DIR = DIST / "bodymap"
MB = 1_000_000
FOLDER_TARGET_MB = 160
ARCHIVE_TARGET_MB = 70
READY_TARGET = 1.5
EXTRAS = ("bodymap.desktop", "bodymap.svg", "INSTALL.txt")

sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))


def executable(app_dir: Path = APP_DIR) -> Path:
    return app_dir / ("bodymap.exe" if sys.platform.startswith("win") else "bodymap")


def platform_tag() -> str:
    system = {"linux": "linux", "darwin": "macos", "win32": "windows"}.get(sys.platform,
                                                                          sys.platform)
    return f"{system}-{platform.machine().lower() or 'unknown'}"


def run_pyinstaller() -> float:
    env = dict(os.environ, PYINSTALLER_CONFIG_DIR=str(BUILD / "pyinstaller-cache"))
    cmd = [sys.executable, "-m", "PyInstaller", "--noconfirm", "--log-level", "WARN",
           "--distpath", str(DIST), "--workpath", str(BUILD / "pyinstaller"),
           str(PACKAGING / "bodymap.spec")]
    t0 = time.perf_counter()
    subprocess.run(cmd, cwd=ROOT, env=env, check=True)
    return time.perf_counter() - t0


def strip_debug_info(folder: Path) -> int:
    """Linux: drop debug sections from the ELF files (the pyenv-built libpython alone carries
    17 MB of them). Libraries patched by auditwheel (``*.libs/``: numpy's OpenBLAS, GEOS) are
    left alone, as stripping breaks their program headers. Returns the bytes saved."""
    strip = shutil.which("strip")
    if not sys.platform.startswith("linux") or strip is None:
        return 0
    files = []
    for path in folder.rglob("*"):
        if path.is_file() and not path.is_symlink() and not any(
                part.endswith(".libs") for part in path.relative_to(folder).parts):
            with path.open("rb") as fh:
                if fh.read(4) == b"\x7fELF":
                    files.append(path)
    before = sum(p.stat().st_size for p in files)
    for i in range(0, len(files), 100):
        subprocess.run([strip, "--strip-debug", *map(str, files[i:i + 100])], check=True)
    return before - sum(p.stat().st_size for p in files)


def folder_bytes(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file() and not p.is_symlink())


def make_archive(version: str) -> Path:
    top = f"bodymap-{version}"
    archive = DIST / f"bodymap-{version}-{platform_tag()}.tar.gz"
    tmp = archive.with_suffix(".tmp")

    def clean(info: tarfile.TarInfo) -> tarfile.TarInfo:
        info.uid = info.gid = 0
        info.uname = info.gname = ""
        return info

    with tarfile.open(tmp, "w:gz", compresslevel=6) as tar:
        tar.add(APP_DIR, arcname=f"{top}/bodymap", filter=clean)
        for name in EXTRAS:
            text = (PACKAGING / name).read_text(encoding="utf-8").replace("@VERSION@", version)
            data = text.encode("utf-8")
            info = clean(tarfile.TarInfo(f"{top}/{name}"))
            info.size, info.mode, info.mtime = len(data), 0o644, int(time.time())
            tar.addfile(info, io.BytesIO(data))
    tmp.replace(archive)
    return archive


def compare_ready(runs: int) -> tuple[float | None, float | None]:
    """Medians of start-to-ready: the bundle and the checkout, interleaved in one run."""
    from bench import APP, READY_ARGS, spawn_until

    bundle, checkout = [], []
    for _ in range(runs):
        bundle.append(spawn_until([str(executable()), *READY_ARGS], "ready", cwd=DIST))
        checkout.append(spawn_until([*APP, *READY_ARGS], "ready"))

    def med(values: list[float | None]) -> float | None:
        ok = [v for v in values if v is not None]
        return statistics.median(ok) if ok else None

    return med(bundle), med(checkout)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5, help="start-up runs of each (default 5)")
    parser.add_argument("--no-build", action="store_true", help="measure the existing build")
    args = parser.parse_args(argv)

    from bodymap.version import version

    ver = version()
    if not args.no_build:
        seconds = run_pyinstaller()
        print(f"PyInstaller: {seconds:.0f} s")
        saved = strip_debug_info(APP_DIR)
        print(f"debug information stripped: {saved / MB:.1f} MB")
    exe = executable()
    if not exe.is_file():
        print(f"bundle: {exe} was not built", file=sys.stderr)
        return 1
    t0 = time.perf_counter()
    archive = make_archive(ver)
    print(f"archive written in {time.perf_counter() - t0:.0f} s")

    folder_mb = folder_bytes(APP_DIR) / MB
    archive_mb = archive.stat().st_size / MB
    ok_folder, ok_archive = folder_mb <= FOLDER_TARGET_MB, archive_mb <= ARCHIVE_TARGET_MB
    print(f"folder:  {APP_DIR.relative_to(ROOT)}/  {folder_mb:.1f} MB "
          f"[{'PASS' if ok_folder else 'FAIL'} <= {FOLDER_TARGET_MB} MB]")
    print(f"archive: {archive.relative_to(ROOT)}  {archive_mb:.1f} MB "
          f"[{'PASS' if ok_archive else 'FAIL'} <= {ARCHIVE_TARGET_MB} MB]")

    if args.runs > 0:
        bundle_s, checkout_s = compare_ready(args.runs)
        if bundle_s and checkout_s:
            ratio = bundle_s / checkout_s
            verdict = "PASS" if ratio <= READY_TARGET else "FAIL"
            print(f"start to ready ({args.runs} runs, medians): bundle {bundle_s:.3f} s, "
                  f"checkout {checkout_s:.3f} s, {ratio:.2f}x [{verdict} <= {READY_TARGET}x]")
        else:
            print(f"start to ready: not measured (bundle {bundle_s}, checkout {checkout_s})")
            if bundle_s is None:
                print("bundle: the bundled window never became ready", file=sys.stderr)
                return 1
    return 0 if ok_folder and ok_archive else 1


if __name__ == "__main__":
    sys.exit(main())
