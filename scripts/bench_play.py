"""Playing a session, for ``make bench`` (scripts/bench.py), or alone: ``python
scripts/bench_play.py [SECONDS]``; prints one JSON object as its last line.

The main window as a user has it (1920x1080, the osteochondrosis plan with every screening
question answered "no", so that it has steps to play), once *ready*, playing at 1x:

* ``play_cpu_pct``: the CPU time this process used while playing, as a share of one core
  (wall time ``SECONDS``, default 5, after a second of warm-up). Target: at most 10%.
* ``play_fps``: the map's frames painted per second meanwhile.
* ``python_share``, ``qt_share``, ``native_share``: where that CPU time goes, from a further
  profiled interval (cProfile): time in bodymap's and pyqtgraph's Python code; time in Qt
  (PySide6 calls made from Python, and Qt's own event loop, painting and flushing, i.e. the
  process's CPU time that no Python function accounts for); time in numpy and other native
  calls. The profiler slows Python down a little, so the Python share is an upper bound.
"""

from __future__ import annotations

import json
import os
import resource
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

W, H = 1920, 1080
CONDITION = "osteochondrosis-widespread"


def _cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def measure(seconds: float = 5.0) -> dict[str, float]:
    import cProfile
    import pstats

    from PySide6.QtCore import QEventLoop, QSettings, QTimer
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance() or QApplication([sys.argv[0]])
    app.setApplicationName("bodymap-bench")
    from bodymap.widgets.mainwindow import MainWindow

    folder = Path(tempfile.mkdtemp(prefix="bodymap-bench-play-"))
    os.environ["BODYMAP_USER_DIR"] = str(folder / "user")
    settings = QSettings(str(folder / "settings.ini"), QSettings.Format.IniFormat)
    window = MainWindow(condition=CONDITION, settings=settings)
    window.resize(W, H)
    loop = QEventLoop()

    def run_for(s: float) -> None:
        QTimer.singleShot(int(s * 1000), loop.quit)
        loop.exec()

    window.startup.ready.connect(lambda _at: loop.quit())
    QTimer.singleShot(120_000, loop.quit)
    window.show()
    loop.exec()
    if not window.startup.is_ready():
        raise SystemExit("the window was not ready within 120 s")
    panel = window.parts.panel  # the screening answered "no", as the therapist does
    panel.checklist.mark_unanswered_no()
    panel.send_profile()
    controller = window.controller
    if controller.playable_plan() is None:
        raise SystemExit(f"{CONDITION}: no plan to play")
    controller.request_toggle_play()
    run_for(1.0)  # warm-up: the first frames build the caches
    view = window.parts.map
    f0, c0, t0 = view.frame_count(), _cpu(), time.perf_counter()
    run_for(seconds)
    f1, c1, t1 = view.frame_count(), _cpu(), time.perf_counter()
    playing = controller.is_playing()

    profile = cProfile.Profile()
    c2 = _cpu()
    profile.enable()
    run_for(min(seconds, 3.0))
    profile.disable()
    profiled_cpu = _cpu() - c2
    python = qt = native = 0.0
    stats = pstats.Stats(profile).stats  # type: ignore[attr-defined]
    for (filename, _line, name), (_cc, _nc, tottime, _ct, _callers) in stats.items():
        if filename == "~":  # a built-in: a C function called from Python
            if "exec" in name and "QEventLoop" in name:
                continue  # the event loop's own time: waiting, and Qt's work (below)
            if "PySide6" in name or "shiboken" in name:
                qt += tottime
            else:
                native += tottime
        else:
            python += tottime
    qt += max(profiled_cpu - python - qt - native, 0.0)  # Qt's event loop, paint, flush
    total = python + qt + native or 1.0
    controller.request_pause()
    window.hide()
    return {
        "play_cpu_pct": round(100.0 * (c1 - c0) / (t1 - t0), 2),
        "play_fps": round((f1 - f0) / (t1 - t0), 1),
        "python_share": round(python / total, 3),
        "qt_share": round(qt / total, 3),
        "native_share": round(native / total, 3),
        "playing": float(playing),
    }


def main(argv: list[str]) -> int:
    seconds = float(argv[0]) if argv else 5.0
    result = measure(seconds)
    print(json.dumps(result), flush=True)
    os._exit(0)  # no teardown: nothing after the figures matters


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
