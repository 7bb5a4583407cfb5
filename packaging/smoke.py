"""Smoke-test the built bundle as a user without Python would run it (``make bundle-smoke``).

Every command runs ``dist/bodymap/bodymap`` with a cleared environment
(``env -i HOME=<tmp> PATH=/usr/bin:/bin``, plus ``QT_QPA_PLATFORM=offscreen`` for the window)
from a temporary working folder, never the checkout:

* ``--version`` prints the checkout's version;
* ``plan --condition hypertension --json`` prints the plan;
* ``export --condition hypertension --out x.pdf`` writes a one-page PDF (read back with
  ``pdfinfo`` when installed, else with pypdf);
* the window starts offscreen and becomes ready (bodymap.widgets.readiness);
* ``screenshot`` writes a PNG whose map is painted: the colour at each zone half's
  representative point, mapped through the view's transform, is one of its fills;
* the bundle carries qtbase_ru and leaves out Qt's Network, Qml/Quick, PDF and Wayland, the
  OpenGL and theme plugins;
* the bundle carries the three start-up caches `make` built, byte for byte, and the source
  key they were made under (bodymap/startup_cache.py), so it uses them;
* nothing was written into the bundle's folder.

This script runs with the checkout's Python (it reads the screenshot and the PDF); the bundle
does not. Its last line reads "smoke: N passed, N failed"; the exit code is 1 on any failure.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
APP_DIR = ROOT / "dist" / "bodymap"
EXE = APP_DIR / ("bodymap.exe" if sys.platform.startswith("win") else "bodymap")
sys.path.insert(0, str(ROOT))

# (pyqtgraph 0.14 imports QtOpenGL and QtOpenGLWidgets unconditionally: those two stay)
UNWANTED = re.compile(r"Qt6(Network|Qml|Quick|Wayland|WlShell|EglFs|Pdf|Test)|plugins[\\/]"
                      r"(wayland|tls|networkinformation|xcbglintegrations|egldeviceintegrations|"
                      r"platformthemes|sqldrivers|qmltooling)")


def cleared_env(home: Path, **extra: str) -> dict[str, str]:
    env = {"HOME": str(home), "PATH": "/usr/bin:/bin"}
    env.update(extra)
    return env


def run(args: list[str], home: Path, cwd: Path, **extra: str) -> subprocess.CompletedProcess:
    return subprocess.run([str(EXE), *args], cwd=cwd, env=cleared_env(home, **extra),
                          capture_output=True, text=True, timeout=300, stdin=subprocess.DEVNULL)


def snapshot(folder: Path) -> dict[str, tuple[int, int]]:
    return {str(p.relative_to(folder)): (p.stat().st_size, p.stat().st_mtime_ns)
            for p in folder.rglob("*") if p.is_file()}


def pdf_pages(path: Path) -> int:
    exe = shutil.which("pdfinfo")
    if exe:
        out = subprocess.run([exe, str(path)], capture_output=True, text=True, check=True).stdout
        found = re.search(r"^Pages:\s+(\d+)", out, re.MULTILINE)
        return int(found.group(1)) if found else 0
    from pypdf import PdfReader

    return len(PdfReader(str(path)).pages)


def main() -> int:
    if not EXE.is_file():
        print(f"smoke: {EXE} is missing: run 'make bundle' first", file=sys.stderr)
        return 1
    from bodymap.version import version

    before = snapshot(APP_DIR)
    results: list[tuple[str, bool, str]] = []
    with tempfile.TemporaryDirectory(prefix="bodymap-smoke-") as tmp:
        home, work = Path(tmp) / "home", Path(tmp) / "work"
        home.mkdir()
        work.mkdir()

        def check(name: str, fn: Callable[[], str]) -> None:
            try:
                detail = fn()
                results.append((name, True, detail))
            except Exception as exc:  # a smoke test reports every failure and goes on
                results.append((name, False, f"{type(exc).__name__}: {exc}"))

        def expect(ok: bool, message: str) -> None:
            if not ok:
                raise AssertionError(message)

        def version_cmd() -> str:
            r = run(["--version"], home, work)
            expect(r.returncode == 0 and r.stdout.strip() == f"bodymap {version()}",
                   f"exit {r.returncode}, {r.stdout!r} {r.stderr[-300:]!r}")
            return r.stdout.strip()

        def plan_cmd() -> str:
            r = run(["plan", "--condition", "hypertension", "--json"], home, work)
            expect(r.returncode == 0, f"exit {r.returncode}: {r.stderr[-400:]}")
            plan = json.loads(r.stdout)
            expect(plan["condition"] == "hypertension" and plan["steps"], "no steps")
            return f"{len(plan['steps'])} steps, {plan['total_minutes']} min"

        def export_cmd() -> str:
            out = work / "x.pdf"
            r = run(["export", "--condition", "hypertension", "--out", "x.pdf"], home, work)
            expect(r.returncode == 0, f"exit {r.returncode}: {r.stderr[-400:]}")
            expect(out.read_bytes().startswith(b"%PDF-"), "not a PDF")
            pages = pdf_pages(out)
            expect(pages == 1, f"{pages} pages")
            return f"{out.stat().st_size} bytes, 1 page"

        def window_cmd() -> str:
            r = run(["--condition", "hypertension"], home, work, QT_QPA_PLATFORM="offscreen",
                    BODYMAP_BENCH_EXIT_ON_READY="1")
            lines = r.stdout.splitlines()
            # both moments: the map first, then everything (bodymap.widgets.readiness)
            expect(r.returncode == 0 and any(x.startswith("map_ready_s=") for x in lines)
                   and any(x.startswith("ready_s=") for x in lines),
                   f"exit {r.returncode}: {r.stdout[-200:]} {r.stderr[-400:]}")
            return r.stdout.strip().splitlines()[-1]

        def screenshot_cmd() -> str:
            details = []
            for lang in ("en", "ru"):
                out = work / f"shot-{lang}.png"
                r = run(["screenshot", "--out", out.name, "--condition", "hypertension",
                         "--lang", lang, "--size", "1366x768"], home, work)
                expect(r.returncode == 0, f"exit {r.returncode}: {r.stderr[-400:]}")
                problems = map_problems(out)
                expect(not problems, "; ".join(problems))
                details.append(f"{lang}: {out.stat().st_size} bytes")
            return ", ".join(details) + ", every zone painted"

        def records_cmd() -> str:
            src = work / "patient.json"
            src.write_text(json.dumps({
                "format": "bodymap-patient", "version": 1,
                "patient": {"name": "Smoke Test", "conditions": ["hypertension"]},
                "visits": [{"date": "2025-03-04", "session": 1, "pain_before": 6,
                            "pain_after": 3, "notes": "", "pain_points": [[250, 640]]}]}))
            for args in (["patients", "import", src.name], ["db", "check"],
                         ["patients", "export", "1", "--pdf", "--out", "course.pdf"]):
                r = run(args, home, work)
                expect(r.returncode == 0, f"{args[:2]}: exit {r.returncode}: {r.stderr[-400:]}")
            pages = pdf_pages(work / "course.pdf")
            expect(pages == 2, f"the course report has {pages} pages")
            r = run(["patients", "list", "--db", "postgresql://me@/bodymap"], home, work)
            expect(r.returncode == 1 and "SQLite only" in r.stderr,
                   f"a PostgreSQL URL: exit {r.returncode}: {r.stderr[-300:]}")
            return f"imported, checked, course report of {pages} pages"

        def contents() -> str:
            files = [str(p.relative_to(APP_DIR)) for p in APP_DIR.rglob("*")]
            expect(any(f.endswith("qtbase_ru.qm") for f in files), "qtbase_ru.qm missing")
            unwanted = [f for f in files if UNWANTED.search(f)]
            expect(not unwanted, f"unused Qt parts shipped: {unwanted[:5]}")
            expect((APP_DIR / "_internal" / "assets" / "zones.svg").is_file()
                   or any(f.endswith("assets/zones.svg") for f in files), "no assets/zones.svg")
            return f"{len(files)} files"

        check("--version", version_cmd)
        check("plan --json", plan_cmd)
        check("export PDF", export_cmd)
        check("window ready (offscreen)", window_cmd)
        check("screenshot, map painted", screenshot_cmd)
        check("records: import, db check, course PDF", records_cmd)

        def caches() -> str:
            from bodymap import startup_cache

            def inside(rel: str) -> Path:
                found = [p for p in APP_DIR.rglob(Path(rel).name)
                         if p.as_posix().endswith("/" + rel)]
                expect(len(found) == 1, f"{rel}: {len(found)} copies in the bundle")
                return found[0]

            made = ["assets/zones.geometry.json", "protocols/library.cache.pickle",
                    "bodymap/i18n/strings/strings.cache.json"]
            for rel in made:
                expect(inside(rel).read_bytes() == (ROOT / rel).read_bytes(),
                       f"{rel} is not the one make built")
            key = inside(f"bodymap/{startup_cache.KEY_FILE}").read_text().strip()
            expect(key == startup_cache.compute_source_key(), "the source key differs")
            return f"{len(made)} caches, source key {key[:12]}"

        check("bundle contents", contents)
        check("start-up caches carried", caches)
        check("nothing written into the bundle",
              lambda: "" if snapshot(APP_DIR) == before else _raise("the bundle changed"))

    for name, ok, detail in results:
        print(f"[{'PASS' if ok else 'FAIL'}] {name}: {detail}")
    failed = sum(1 for _, ok, _ in results if not ok)
    print(f"smoke: {len(results) - failed} passed, {failed} failed")
    return 1 if failed else 0


def _raise(message: str) -> str:
    raise AssertionError(message)


_APP: list = []


def map_problems(path: Path) -> list[str]:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtGui import QGuiApplication

    from bodymap.widgets.screenshot import map_problems as problems

    if QGuiApplication.instance() is None:
        _APP.append(QGuiApplication([sys.argv[0]]))
    return problems(path)


if __name__ == "__main__":
    sys.exit(main())
