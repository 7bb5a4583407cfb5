"""Benchmark the body map against BRIEF.md's performance targets, as ratios in one run.

Run with ``make bench`` (QT_QPA_PLATFORM=offscreen). Prints one line per figure, the ratio
checks, and as its last line one JSON object:

* ``frame_ms``: one animation frame of the map at 1920x1080 (the widget's paint rendered
  into a 1920x1080 QImage; median over many frames after warm-up).
* ``floor_ms``: drawing one cached 1920x1080 pixmap into the same QImage (the floor).
* ``naive_svg_ms``: QSvgRenderer rendering assets/zones.svg at that size (the naive way).
* ``map_ready_s``: process start to *map ready* (bodymap.widgets.readiness: the map painted
  with its zones and the plan's emphasis and no-touch areas, the condition list filled, the
  banner and the steps painted; pyqtgraph not imported yet) for ``python main.py --condition
  hypertension``, measured end to end from the spawn of the process to its line, each run
  with fresh settings and user folders (median). Target: at most 2.5x ``bare_startup_s``.
* ``ready_s``: the same run, to *ready*: pyqtgraph imported and the plots painted too.
  Target: at most 1.3x ``stack_floor_s``.
* ``bare_startup_s``: the same clock for a bare PySide6 QMainWindow script, to its first paint.
* ``stack_floor_s``: the same clock for that window with numpy, shapely and pyqtgraph imported
  and one pyqtgraph plot painted: the floor the required stack sets (nothing of bodymap's).
* ``map_floor_s``: the bare window with what the map's first paint cannot do without imported
  first (numpy and shapely: the zones and no-touch areas are shapely geometry; pydantic: the
  protocols are validated models), nothing of bodymap's: the floor under ``map_ready_s``.
* ``ready_rss_mb`` / ``bare_rss_mb``: resident memory at ready, and of the bare window at its
  first paint (same size), medians of the same runs. Target: at most 2.5x. ``stack_rss_mb``:
  the stack floor's window, for comparison.
* ``play_cpu_pct``: playing a session at 1920x1080 (scripts/bench_play.py), CPU time as a
  share of one core, with ``python_share`` / ``qt_share`` / ``native_share`` of that time.
  Target: at most 10%.
* ``replan_ms``: change condition, ``make_plan``, ``set_plan``, redraw (median).
* ``hit_test_ms``: one hover hit-test (widget position to the ids under it).

* ``records_open_ms``, ``records_save_ms`` (and the disk's ``records_commit_floor_ms``): a
  patient with 200 visits opened and one visit saved, on a generated database of 1,000
  patients and 20,000 visits (scripts/bench_records.py).

Targets: frame <= 2x floor, naive >= 5x frame, map ready <= 2.5x bare, ready <= 1.3x stack
floor, memory at ready <= 2.5x bare, playing <= 10% of a core, replan < 30 ms, hit-test <
0.2 ms, records open < 100 ms and save < 20 ms. ``python scripts/bench.py --startup``
measures start-up (and memory) only; ``--play`` playing only; ``--records`` the records only.
"""

from __future__ import annotations

import json
import os
import queue
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

W, H = 1920, 1080
FRAMES = 300
STARTUP_RUNS = 7
PLAY_RUNS = 3
PLAY_SECONDS = 5.0
SPAWN_TIMEOUT_S = 120.0  # a start that never reports is given up (and killed) after this

# resident memory now (MB), as bodymap.widgets.app.resident_mb measures it
_RSS = r"""
def rss_mb():
    import os
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 1e6
"""

# A bare PySide6 window, the size bodymap's opens at, to its first paint (flushed).
_BARE = _RSS + r"""
import sys
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMainWindow
{imports}

class Window(QMainWindow):
    def paintEvent(self, event):
        super().paintEvent(event)
        if not getattr(self, "_done", False):
            self._done = True
            QTimer.singleShot(0, lambda: (print(f"first_paint rss_mb={{rss_mb():.1f}}",
                                                flush=True), QApplication.instance().quit()))

app = QApplication(sys.argv)
w = Window()
w.setWindowTitle("bare")
w.resize(1400, 900)
w.show()
sys.exit(app.exec())
"""
BARE = _BARE.format(imports="")
# The floor under "map ready": the bare window with the libraries the map's first paint needs
# imported (the zones and no-touch areas are shapely geometry on numpy; the protocols are
# pydantic models), nothing of bodymap's.
MAP_FLOOR = _BARE.format(imports="import numpy, shapely, pydantic")


# The floor the required stack sets (BRIEF: PySide6, pyqtgraph, shapely): the bare window with
# numpy, shapely and pyqtgraph imported and one pyqtgraph plot painted in it. Nothing bodymap
# does is in it; ``ready`` can come no closer to ``bare`` than this.
_STACK = _RSS + r"""
import sys
from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication, QMainWindow
import numpy, shapely
import pyqtgraph as pg

class Painted(QObject):
    done = False
    def eventFilter(self, obj, event):
        if event.type() == QEvent.Type.Paint and not self.done:
            self.done = True
            QTimer.singleShot(0, lambda: (print(f"first_paint rss_mb={rss_mb():.1f}",
                                                flush=True), QApplication.instance().quit()))
        return False

app = QApplication(sys.argv)
w = QMainWindow()
plot = pg.PlotWidget()
plot.plot([1, 2, 3], [3, 1, 2])
w.setCentralWidget(plot)
w.resize(1400, 900)
watch = Painted()
plot.viewport().installEventFilter(watch)
w.show()
sys.exit(app.exec())
"""


def _median_ms(fn, n: int, warmup: int = 10) -> float:
    for _ in range(warmup):
        fn()
    times = []
    for _ in range(n):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times) * 1000.0


def spawn_until(args: list[str], marker: str, env: dict[str, str] | None = None,
                cwd: Path = ROOT) -> float | None:
    """Seconds from spawning ``args`` to the stdout line starting with ``marker``."""
    return spawn_lines(args, [marker], env, cwd)[0].get(marker, (None, ""))[0]


def spawn_timed(args: list[str], marker: str, env: dict[str, str] | None = None,
                cwd: Path = ROOT) -> tuple[float | None, float]:
    """(wall seconds to ``marker`` or None, CPU seconds the process used in all)."""
    seen, cpu = spawn_lines(args, [marker], env, cwd)
    return seen.get(marker, (None, ""))[0], cpu


def spawn_lines(args: list[str], markers: list[str], env: dict[str, str] | None = None,
                cwd: Path = ROOT) -> tuple[dict[str, tuple[float, str]], float]:
    """({marker: (wall seconds from the spawn to the stdout line starting with it, the line)},
    CPU seconds the process used in all). Waits for the last marker (or the process's end).

    Each run gets fresh settings and user folders (a new temporary XDG/BODYMAP_USER_DIR tree):
    no remembered condition, layout or autosave changes what is measured. The process quits
    right after its last marker line (the benchmark hooks), so its CPU time is the work done
    to get there: a figure that other programs on a shared machine disturb far less than the
    wall clock.
    """
    cpu0 = _children_cpu()
    seen: dict[str, tuple[float, str]] = {}
    with tempfile.TemporaryDirectory(prefix="bodymap-bench-") as tmp:
        run_env = dict(os.environ if env is None else env)
        run_env.setdefault("QT_QPA_PLATFORM", "offscreen")
        for var in ("XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_CACHE_HOME", "BODYMAP_USER_DIR"):
            run_env[var] = str(Path(tmp) / var.lower())
        run_env["BODYMAP_BENCH_EXIT_ON_PAINT" if markers == ["first_paint"]
                else "BODYMAP_BENCH_EXIT_ON_READY"] = "1"
        t0 = time.perf_counter()
        proc = subprocess.Popen(
            args, cwd=cwd, env=run_env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
        )
        lines: queue.Queue[str | None] = queue.Queue()

        def read() -> None:
            for line in proc.stdout:  # type: ignore[union-attr]
                lines.put(line)
            lines.put(None)

        threading.Thread(target=read, daemon=True).start()
        deadline = t0 + SPAWN_TIMEOUT_S
        try:
            while (left := deadline - time.perf_counter()) > 0 and len(seen) < len(markers):
                try:
                    line = lines.get(timeout=left)
                except queue.Empty:
                    break
                if line is None:
                    break
                for marker in markers:
                    if line.startswith(marker) and marker not in seen:
                        seen[marker] = (time.perf_counter() - t0, line.strip())
        finally:
            try:
                proc.wait(timeout=30 if len(seen) == len(markers) else 0.1)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
        if len(seen) < len(markers):
            err = proc.stderr.read() if proc.stderr else ""  # type: ignore[union-attr]
            missing = [m for m in markers if m not in seen]
            print(f"  ({' '.join(args)[:80]} never reported {missing}: {err.strip()[-300:]})")
        return seen, _children_cpu() - cpu0


def _field(line: str, key: str) -> float | None:
    """``key=value`` from a marker line (``ready_s=0.81 rss_mb=140.2``), as a number."""
    for word in line.split():
        if word.startswith(key + "="):
            return float(word.split("=", 1)[1])
    return None


def _children_cpu() -> float:
    import resource

    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _median(values: list[float | None]) -> float | None:
    ok = [v for v in values if v is not None]
    return statistics.median(ok) if ok else None


APP = [sys.executable, str(ROOT / "main.py")]
READY_ARGS = ["--condition", "hypertension"]

#: the targets (BRIEF.md, issue 21), as ratios
MAP_READY_VS_BARE = 2.5
READY_VS_STACK = 1.3
MEMORY_VS_BARE = 2.5
PLAY_CPU_PCT = 10.0


def startup(runs: int = STARTUP_RUNS, app: list[str] | None = None) -> dict[str, float | None]:
    """Medians of ``runs`` interleaved runs: the bare window, the map's floor, the stack's
    floor, and the app to *map ready* and *ready* (one run gives both), with memory."""
    app = APP if app is None else app
    got: dict[str, list[float | None]] = {k: [] for k in (
        "bare_startup_s", "map_floor_s", "stack_floor_s", "map_ready_s", "ready_s",
        "bare_rss_mb", "stack_rss_mb", "map_ready_rss_mb", "ready_rss_mb", "bare_cpu_s",
        "ready_cpu_s")}
    for _ in range(runs):  # interleaved, so that all see the same machine state
        seen, cpu = spawn_lines([sys.executable, "-c", BARE], ["first_paint"])
        bare = seen.get("first_paint")
        got["bare_startup_s"].append(bare and bare[0])
        got["bare_rss_mb"].append(bare and _field(bare[1], "rss_mb"))
        got["bare_cpu_s"].append(cpu)
        got["map_floor_s"].append(spawn_until([sys.executable, "-c", MAP_FLOOR], "first_paint"))
        seen, _cpu = spawn_lines([sys.executable, "-c", _STACK], ["first_paint"])
        stack = seen.get("first_paint")
        got["stack_floor_s"].append(stack and stack[0])
        got["stack_rss_mb"].append(stack and _field(stack[1], "rss_mb"))
        seen, cpu = spawn_lines([*app, *READY_ARGS], ["map_ready_s", "ready_s"])
        for key in ("map_ready", "ready"):
            line = seen.get(f"{key}_s")
            got[f"{key}_s"].append(line and line[0])
            got[f"{key}_rss_mb"].append(line and _field(line[1], "rss_mb"))
        got["ready_cpu_s"].append(cpu if "ready_s" in seen else None)
    return {k: _median(v) for k, v in got.items()}


def _ratio(a: float | None, b: float | None) -> float | None:
    return None if not a or not b else a / b


def play(runs: int = PLAY_RUNS, seconds: float = PLAY_SECONDS) -> dict[str, float | None]:
    """Medians of ``runs`` runs of scripts/bench_play.py (each a fresh process)."""
    results = []
    for _ in range(runs):
        with tempfile.TemporaryDirectory(prefix="bodymap-bench-") as tmp:
            env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
            for var in ("XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_CACHE_HOME"):
                env[var] = str(Path(tmp) / var.lower())
            out = subprocess.run([sys.executable, str(ROOT / "scripts" / "bench_play.py"),
                                  str(seconds)], cwd=ROOT, env=env, capture_output=True,
                                 text=True, timeout=SPAWN_TIMEOUT_S + 60)
        lines = out.stdout.strip().splitlines()
        if out.returncode != 0 or not lines:
            print(f"  (bench_play.py failed: {out.stderr.strip()[-300:]})")
            continue
        results.append(json.loads(lines[-1]))
    keys = ("play_cpu_pct", "play_fps", "python_share", "qt_share", "native_share")
    return {k: _median([r.get(k) for r in results]) for k in keys}


def _fmt(value: float | None, unit: str = "", digits: int = 3) -> str:
    return "not measured" if value is None else f"{value:.{digits}f}{unit}"


def startup_checks(times: dict[str, float | None]) -> list[tuple[str, bool, str]]:
    map_ratio = _ratio(times["map_ready_s"], times["bare_startup_s"])
    ready_ratio = _ratio(times["ready_s"], times["stack_floor_s"])
    memory = _ratio(times["ready_rss_mb"], times["bare_rss_mb"])
    floor = _ratio(times["map_floor_s"], times["bare_startup_s"])
    return [
        (f"map ready <= {MAP_READY_VS_BARE}x bare", map_ratio is not None
         and map_ratio <= MAP_READY_VS_BARE, _fmt(map_ratio, "x", 2)
         + f" (its floor, bare + numpy, shapely and pydantic: {_fmt(floor, 'x', 2)})"),
        (f"ready <= {READY_VS_STACK}x stack floor", ready_ratio is not None
         and ready_ratio <= READY_VS_STACK, _fmt(ready_ratio, "x", 2)),
        (f"memory at ready <= {MEMORY_VS_BARE}x bare", memory is not None
         and memory <= MEMORY_VS_BARE, _fmt(memory, "x", 2)),
    ]


def play_checks(figures: dict[str, float | None]) -> list[tuple[str, bool, str]]:
    cpu = figures["play_cpu_pct"]
    return [(f"playing <= {PLAY_CPU_PCT:g}% of a core", cpu is not None and cpu <= PLAY_CPU_PCT,
             _fmt(cpu, "%", 1))]


def startup_lines(times: dict[str, float | None], runs: int) -> None:
    bare = times["bare_startup_s"]

    def vs_bare(key: str) -> str:
        r = _ratio(times[key], bare)
        return f"{_fmt(times[key], ' s')} ({_fmt(r, 'x bare', 2)})"

    print(f"start-up ({runs} interleaved runs, medians; `main.py --condition hypertension`, "
          f"fresh settings):")
    print(f"  bare_startup_s  {_fmt(bare, ' s')}  (a bare PySide6 window, first paint)")
    print(f"  map_floor_s     {vs_bare('map_floor_s')}  (bare + numpy, shapely, pydantic)")
    print(f"  stack_floor_s   {vs_bare('stack_floor_s')}  (bare + numpy, shapely, pyqtgraph, "
          f"one plot painted)")
    print(f"  map_ready_s     {vs_bare('map_ready_s')}  (the map with the plan, panels, banner, "
          f"steps painted)")
    print(f"  ready_s         {vs_bare('ready_s')}; "
          f"{_fmt(_ratio(times['ready_s'], times['stack_floor_s']), 'x stack floor', 2)}")
    print(f"  CPU used to ready {_fmt(times['ready_cpu_s'], ' s')}, bare "
          f"{_fmt(times['bare_cpu_s'], ' s')} ("
          f"{_fmt(_ratio(times['ready_cpu_s'], times['bare_cpu_s']), 'x', 2)})")
    print(f"memory: {_fmt(times['ready_rss_mb'], ' MB', 1)} resident at ready "
          f"({_fmt(times['map_ready_rss_mb'], ' MB', 1)} at map ready), bare window "
          f"{_fmt(times['bare_rss_mb'], ' MB', 1)}; the stack floor's window "
          f"{_fmt(times['stack_rss_mb'], ' MB', 1)} "
          f"({_fmt(_ratio(times['stack_rss_mb'], times['bare_rss_mb']), 'x bare', 2)})")


def play_lines(figures: dict[str, float | None]) -> None:
    print(f"playing at {W}x{H} (median of {PLAY_RUNS} runs of {PLAY_SECONDS:g} s): "
          f"{_fmt(figures['play_cpu_pct'], '% of one core', 1)} at "
          f"{_fmt(figures['play_fps'], ' frames/s', 1)}; of that time: Python "
          f"{_fmt(_pct(figures['python_share']), '%', 0)}, "
          f"Qt {_fmt(_pct(figures['qt_share']), '%', 0)}, "
          f"numpy and other native {_fmt(_pct(figures['native_share']), '%', 0)}")


def _pct(share: float | None) -> float | None:
    return None if share is None else 100.0 * share


def _rounded(values: dict[str, float | None]) -> dict[str, float | None]:
    return {k: None if v is None else round(v, 4) for k, v in values.items()}


def startup_report(runs: int = STARTUP_RUNS) -> int:
    """``--startup``: start-up and memory only, printed like the full bench (last line JSON)."""
    times = startup(runs)
    startup_lines(times, runs)
    for name, ok, value in startup_checks(times):
        print(f"[{'PASS' if ok else 'FAIL'}] {name}: {value}")
    print(json.dumps(_rounded(times)))
    return 0


def play_report() -> int:
    """``--play``: playing only (last line JSON)."""
    figures = play()
    play_lines(figures)
    for name, ok, value in play_checks(figures):
        print(f"[{'PASS' if ok else 'FAIL'}] {name}: {value}")
    print(json.dumps(_rounded(figures)))
    return 0


def main() -> int:
    from PySide6.QtCore import QPoint, QPointF, QRectF, Qt
    from PySide6.QtGui import QImage, QPainter, QRegion
    from PySide6.QtSvg import QSvgRenderer
    from PySide6.QtWidgets import QApplication, QWidget

    app = QApplication.instance() or QApplication([sys.argv[0]])

    from bodymap.geometry import load_geometry
    from bodymap.library import load_library
    from bodymap.planner import Profile, make_plan
    from bodymap.resources import resource_path
    from bodymap.widgets.mapview import BodyMapView

    geometry = load_geometry()
    library = load_library()
    view = BodyMapView(geometry)
    view.resize(W, H)
    view.set_playing(False)
    plan = make_plan(Profile("osteochondrosis-widespread", session=5), library, geometry)
    view.set_plan(plan)
    # the busiest step: the one with the most stroke points
    best, most = 0, -1
    for i in range(len(plan.steps)):
        view.set_current_step(i)
        n = sum(len(p.points) for p in view.stroke_paths())
        if n > most:
            best, most = i, n
    view.set_current_step(best)

    target = QImage(W, H, QImage.Format.Format_ARGB32_Premultiplied)
    target.fill(0)
    flags = QWidget.RenderFlag.DrawChildren
    phase = [0.0]

    view.render(target, QPoint(), QRegion(), flags)  # first paint: builds the cached layers
    regions = []

    def frame() -> None:
        # one animation frame as the widget paints it: set the phase (the widget computes the
        # region where trails were and are), then paint that region of the widget
        phase[0] = (phase[0] + 1.0 / 180.0) % 1.0
        view.set_phase(phase[0])
        region = view.last_update_region()
        regions.append(region)  # its area is summed after the clock: a frame never does that
        view.render(target, QPoint(), region, flags)

    frame_ms = _median_ms(frame, FRAMES, warmup=20)
    frames_painted = view.frame_count()
    area = [sum(r.width() * r.height() for r in region) for region in regions]

    cached = view.grab()  # a 1920x1080 image of the map, cached like the map's own layer

    def floor() -> None:
        p = QPainter(target)
        p.drawPixmap(0, 0, cached)
        p.end()

    floor_ms = _median_ms(floor, FRAMES, warmup=20)

    renderer = QSvgRenderer(str(resource_path("assets", "zones.svg")))
    renderer.setAspectRatioMode(Qt.AspectRatioMode.KeepAspectRatio)

    def naive() -> None:
        p = QPainter(target)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        renderer.render(p, QRectF(0, 0, W, H))
        p.end()

    naive_ms = _median_ms(naive, 100, warmup=5)

    conditions = ["hypertension", "osteochondrosis-widespread", "lumbago-sciatica", "scoliosis"]
    profiles = []
    for c in conditions:
        kw = {}
        if c == "scoliosis":
            from bodymap.planner import Scoliosis

            kw["curves"] = (Scoliosis("right", 2),)  # findings are lists (one curve here)
        profiles.append(Profile(c, session=5, **kw))
    k = [0]

    def replan() -> None:
        k[0] += 1
        p = make_plan(profiles[k[0] % len(profiles)], library, geometry)
        view.set_plan(p)
        view.render(target, QPoint(), QRegion(), flags)

    replan_ms = _median_ms(replan, 24, warmup=4)

    import random

    rng = random.Random(1)
    points = [QPointF(rng.uniform(0, W), rng.uniform(0, H)) for _ in range(2000)]
    j = [0]

    def hit() -> None:
        j[0] = (j[0] + 1) % len(points)
        view.hit_test(points[j[0]])

    hit_ms = _median_ms(hit, 2000, warmup=50)
    del app  # the QApplication stays alive until exit; subprocesses follow

    times = startup()
    figures = play()
    import bench_records

    records = bench_records.measure()

    result = {
        "frame_ms": round(frame_ms, 4),
        "floor_ms": round(floor_ms, 4),
        "naive_svg_ms": round(naive_ms, 4),
        **_rounded(times),
        "map_ready_ratio": _ratio(times["map_ready_s"], times["bare_startup_s"]),
        "ready_vs_stack_ratio": _ratio(times["ready_s"], times["stack_floor_s"]),
        "memory_ratio": _ratio(times["ready_rss_mb"], times["bare_rss_mb"]),
        **_rounded(figures),
        "replan_ms": round(replan_ms, 4),
        "hit_test_ms": round(hit_ms, 5),
        **records,
    }
    for key in ("map_ready_ratio", "ready_vs_stack_ratio", "memory_ratio"):
        value = result[key]
        result[key] = None if value is None else round(value, 3)
    share = statistics.mean(area) / (W * H) * 100
    print(f"map frame at {W}x{H}: {frame_ms:.3f} ms ({most} stroke points, "
          f"{frames_painted} frames painted, repainting {share:.0f}% of the widget per frame)")
    print(f"floor (one cached {W}x{H} pixmap): {floor_ms:.3f} ms")
    print(f"naive zones.svg render: {naive_ms:.3f} ms")
    startup_lines(times, STARTUP_RUNS)
    play_lines(figures)
    print(f"re-plan + redraw: {replan_ms:.3f} ms; hover hit-test: {hit_ms * 1000:.1f} us")
    bench_records.report(records)

    checks = [
        ("frame <= 2x floor", frame_ms <= 2 * floor_ms, f"{frame_ms / floor_ms:.2f}x"),
        ("naive >= 5x frame", naive_ms >= 5 * frame_ms, f"{naive_ms / frame_ms:.1f}x"),
        *startup_checks(times),
        *play_checks(figures),
        ("replan < 30 ms", replan_ms < 30, f"{replan_ms:.1f} ms"),
        ("hit-test < 0.2 ms", hit_ms < 0.2, f"{hit_ms:.4f} ms"),
        *bench_records.checks(records),
    ]
    for name, ok, value in checks:
        print(f"[{'PASS' if ok else 'FAIL'}] {name}: {value}")
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    if "--startup" in sys.argv[1:]:
        sys.exit(startup_report())
    if "--play" in sys.argv[1:]:
        sys.exit(play_report())
    if "--records" in sys.argv[1:]:
        import bench_records

        sys.exit(bench_records.main([]))
    sys.exit(main())
