"""Where start-up's time goes, up to *map ready* and to *ready*: ``python
scripts/startup_profile.py`` (QT_QPA_PLATFORM=offscreen, fresh settings).

Runs ``main.py --condition hypertension`` in this process under cProfile and sorts every
function's own time (not its callees') into a few kinds, at *map ready* and at *ready*
(bodymap.widgets.readiness):

* ``numpy/shapely/pydantic``, ``pyqtgraph``, ``PySide6 (Python side)``: those packages' own
  Python code, mostly run when they are imported;
* ``Qt calls``: time inside PySide6's C++ functions called from Python (making widgets,
  showing them, painting);
* ``PySide6 reading sources``: PySide6 reads every module imported after it (``inspect``,
  ``linecache``, ``tokenize``) to see whether it uses its ``__feature__`` switches;
* ``import machinery``: finding, reading and unmarshalling modules (bytecode already compiled);
* ``stdlib at import``: dataclasses, enum, typing, re... run by module bodies;
* ``bodymap``: bodymap's own Python code.

The profiler slows Python functions down more than C ones: the shares are indicative, and
``make bench`` measures the wall times. Prints a table and, last, one JSON object.
"""

from __future__ import annotations

import cProfile
import json
import os
import pstats
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

KINDS = ("bodymap", "numpy/shapely/pydantic", "pyqtgraph", "PySide6 (Python side)",
         "Qt calls", "PySide6 reading sources", "import machinery", "stdlib at import",
         "other")


def kind_of(filename: str, name: str) -> str:
    if filename == "~":
        if "PySide6" in name or "shiboken" in name:
            return "Qt calls"
        if "marshal" in name or "_imp." in name or "exec_dynamic" in name or "create_dynamic" \
                in name or "builtins.exec" in name or "__build_class__" in name:
            return "import machinery"
        return "other"
    path = filename.replace("\\", "/")
    if "/bodymap/" in path or path.endswith("main.py"):
        return "bodymap"
    if "/pyqtgraph/" in path:
        return "pyqtgraph"
    if any(f"/{p}/" in path for p in ("numpy", "shapely", "pydantic", "pydantic_core",
                                      "typing_extensions.py", "annotated_types")):
        return "numpy/shapely/pydantic"
    if "shiboken" in path or "PySide6" in path or "signature" in path:
        return "PySide6 (Python side)"
    if any(path.endswith(f"/{m}.py") for m in ("inspect", "linecache", "tokenize")):
        return "PySide6 reading sources"
    if "importlib" in path or path.startswith("<frozen"):
        return "import machinery"
    return "stdlib at import"


def shares(profile: cProfile.Profile) -> dict[str, float]:
    totals = dict.fromkeys(KINDS, 0.0)
    top: dict[str, list[tuple[float, str]]] = {k: [] for k in KINDS}
    for (filename, line, name), row in pstats.Stats(profile).stats.items():  # type: ignore[attr-defined]
        if filename == "~" and "exec" in name and ("QApplication" in name
                                                    or "QCoreApplication" in name):
            continue  # the event loop's own time: waiting, and Qt's work under it
        kind = kind_of(filename, name)
        totals[kind] += row[2]
        top[kind].append((row[2], f"{filename}:{line}({name})"))
    if os.environ.get("BODYMAP_PROFILE_TOP"):
        for kind, rows in top.items():
            for seconds, where in sorted(rows, reverse=True)[:4]:
                print(f"  {kind:24s} {seconds:7.3f} {where[-90:]}")
    return totals


def main() -> int:
    folder = tempfile.mkdtemp(prefix="bodymap-profile-")
    for var in ("XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_CACHE_HOME", "BODYMAP_USER_DIR"):
        os.environ[var] = str(Path(folder) / var.lower())
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    os.environ["BODYMAP_BENCH_EXIT_ON_READY"] = "1"
    profile = cProfile.Profile()
    moments: dict[str, dict[str, float]] = {}
    profile.enable()  # from the first import on, as a start does
    import bodymap.widgets.app as app_module

    def at_ready(_app: object, _at: float) -> None:
        profile.disable()
        moments["ready"] = shares(profile)
        report(moments)
        os._exit(0)

    app_module._report_ready = at_ready  # type: ignore[assignment]
    from bodymap.widgets import mainwindow

    def at_map_ready(_at: float) -> None:
        moments.setdefault("map_ready", shares(profile))  # this stops the profiler...
        profile.enable()  # ...which goes on to ready

    def watch_map(window: mainwindow.MainWindow) -> None:
        window.startup.map_ready.connect(at_map_ready)

    real_init = mainwindow.MainWindow.__init__

    def init(self: mainwindow.MainWindow, *args: object, **kwargs: object) -> None:
        real_init(self, *args, **kwargs)  # type: ignore[arg-type]
        watch_map(self)

    mainwindow.MainWindow.__init__ = init  # type: ignore[method-assign]
    sys.argv = [str(ROOT / "main.py"), "--condition", "hypertension"]
    from bodymap.cli import main as cli_main

    return cli_main()


def report(moments: dict[str, dict[str, float]]) -> None:
    print(f"{'CPU seconds under the profiler':32s} {'to map ready':>13s} {'to ready':>10s}")
    for kind in KINDS:
        print(f"{kind:32s} {moments['map_ready'][kind]:13.3f} {moments['ready'][kind]:10.3f}")
    print(f"{'in all':32s} {sum(moments['map_ready'].values()):13.3f} "
          f"{sum(moments['ready'].values()):10.3f}")
    print(json.dumps({m: {k: round(v, 4) for k, v in d.items()} for m, d in moments.items()}),
          flush=True)


if __name__ == "__main__":
    sys.exit(main())
