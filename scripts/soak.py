"""Soak test: the body map animating continuously, checking for crashes and memory growth.

BRIEF.md: ten minutes of continuous animation, no crash, memory growth under 5 MB. Run with
``make soak`` (10 minutes) or ``python scripts/soak.py --seconds 60`` for a quick look.

The map plays the busiest step we have (many stroke points, a vibration step with kidney
masks) at 1920x1080, offscreen, with every frame actually painted. Resident memory is read
after a one-minute warm-up (caches, glyphs, allocator pools) and at the end; the last line is
one JSON object.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def rss_mb() -> float:
    """Current resident set size in MB (Linux /proc; elsewhere the peak from resource)."""
    status = Path("/proc/self/status")
    if status.exists():
        for line in status.read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024.0
    import resource

    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / (1024.0 * 1024.0 if sys.platform == "darwin" else 1024.0)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=600.0, help="how long to animate")
    parser.add_argument("--warmup", type=float, default=None, help="seconds before the baseline")
    args = parser.parse_args()
    warmup = args.warmup if args.warmup is not None else min(60.0, args.seconds / 5)

    from PySide6.QtCore import QEventLoop, QTimer
    from PySide6.QtWidgets import QApplication

    from bodymap.geometry import load_geometry
    from bodymap.library import load_library
    from bodymap.planner import Profile, make_plan
    from bodymap.widgets.mapview import BodyMapView

    _app = QApplication.instance() or QApplication(sys.argv)  # kept alive for the run
    geometry, library = load_geometry(), load_library()
    plan = make_plan(
        Profile(condition="osteochondrosis-widespread", session=5), library, geometry
    )
    vibration = [i for i, s in enumerate(plan.steps) if s.technique == "vibration"]
    view = BodyMapView(geometry)
    view.resize(1920, 1080)
    view.set_plan(plan)
    view.set_current_step(vibration[0] if vibration else 0)
    view.show()
    view.set_playing(True)

    # Cycle through the steps every few seconds too: re-planning paths must not leak either.
    def next_step() -> None:
        current = getattr(view, "_soak_step", 0) + 1
        view._soak_step = current % len(plan.steps)
        view.set_current_step(view._soak_step)

    stepper = QTimer()
    stepper.setObjectName("soakStepper")
    stepper.timeout.connect(next_step)
    stepper.start(5000)

    def run_for(seconds: float) -> None:
        loop = QEventLoop()
        QTimer.singleShot(int(seconds * 1000), loop.quit)
        loop.exec()

    start = time.monotonic()
    run_for(warmup)
    base_rss, base_frames = rss_mb(), view.frame_count()
    run_for(max(0.0, args.seconds - warmup))
    end_rss, frames = rss_mb(), view.frame_count() - base_frames
    stepper.stop()
    view.set_playing(False)
    elapsed = time.monotonic() - start
    growth = end_rss - base_rss
    result = {
        "seconds": round(elapsed, 1),
        "frames_after_warmup": frames,
        "rss_start_mb": round(base_rss, 1),
        "rss_end_mb": round(end_rss, 1),
        "rss_growth_mb": round(growth, 2),
        "none_refcount": sys.getrefcount(None),
        "ok": growth < 5.0 and frames > 0,
    }
    print(f"{'PASS' if result['ok'] else 'FAIL'}: memory growth {growth:.2f} MB "
          f"over {frames} frames (target < 5 MB)")
    print(json.dumps(result))
    return 0 if result["ok"] else 1


if __name__ == "__main__":
    sys.exit(main())
