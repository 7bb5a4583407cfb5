"""What start-up relies on from its dependencies, checked in a fresh interpreter each."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def fresh(code: str) -> dict:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, check=True,
                         capture_output=True, text=True, timeout=120).stdout
    return json.loads(out.strip().splitlines()[-1])


def test_pyqtgraph_plots_draw(qtbot) -> None:
    """The plain pyqtgraph wheel, as `pip install -e .` installs it, draws a curve."""
    import pyqtgraph as pg
    from PySide6.QtGui import QColor

    plot = pg.PlotWidget()
    plot.setBackground("w")
    plot.plot([0, 1, 2], [0, 2, 1], pen=pg.mkPen((200, 0, 0), width=6))
    plot.resize(300, 200)
    qtbot.addWidget(plot)
    plot.show()
    qtbot.waitExposed(plot)
    image = plot.grab().toImage()
    reds = sum(1 for x in range(0, image.width(), 3) for y in range(0, image.height(), 3)
               if QColor(image.pixel(x, y)).red() > 150 and QColor(image.pixel(x, y)).green() < 80)
    assert reds > 20  # the red curve was drawn


def test_a_start_with_the_cache_never_builds_a_protocol_schema() -> None:
    """The shipped protocols come validated from their cache (bodymap.library_cache), and the
    models' schemas are built only when something is validated (pydantic defer_build)."""
    seen = fresh(
        "import json\n"
        "from bodymap import library_cache\n"
        "from bodymap.library import load_library, shipped_dir\n"
        "from bodymap.schema import Condition, TechniqueRegistry\n"
        "cached = library_cache.read(shipped_dir()) is not None\n"
        "lib = load_library(None)\n"
        "print(json.dumps({'cached': cached, 'conditions': len(lib.conditions), 'built': "
        "[m.__name__ for m in (Condition, TechniqueRegistry) if m.__pydantic_complete__]}))")
    if not seen["cached"]:
        import pytest

        pytest.skip("no protocol cache built (run through make)")
    assert seen["conditions"] >= 19
    assert seen["built"] == []


def test_checking_a_condition_id_loads_no_validator() -> None:
    """`bodymap --condition X` checks X before the window opens: by file names only, so the
    window's first paint does not wait for pydantic and the protocol schema."""
    seen = fresh(
        "import json, sys\n"
        "from bodymap.protocol_files import check_condition_id\n"
        "from bodymap.errors import UsageError\n"
        "check_condition_id('hypertension')\n"
        "try:\n"
        "    check_condition_id('no-such-condition')\n"
        "    unknown = 'accepted'\n"
        "except UsageError as exc:\n"
        "    unknown = str(exc)\n"
        "print(json.dumps({'pydantic': 'pydantic' in sys.modules, 'unknown': unknown}))")
    assert not seen["pydantic"]
    assert "unknown condition 'no-such-condition'" in seen["unknown"]
    assert "hypertension" in seen["unknown"]  # the message lists the known ones
