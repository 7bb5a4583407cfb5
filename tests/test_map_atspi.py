"""The map as Orca reads it (issue 21, point 4): bodymap on a real X display (Xvfb) in its own
D-Bus session, with Qt's AT-SPI bridge on, read by a small pyatspi client
(tests/atspi/reader.py) with the system's Python, as a screen reader reads it.

Skips where AT-SPI cannot run: not Linux, or at-spi2-core, python3-pyatspi, D-Bus or Xvfb
missing (.ci/run installs them from Debian), or Qt's X11 platform cannot start.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
SYSTEM_PYTHON = "/usr/bin/python3"  # Debian's python3-pyatspi is built for it
BUS_LAUNCHERS = ("/usr/libexec/at-spi-bus-launcher", "/usr/lib/at-spi2-core/at-spi-bus-launcher")
NO_XCB = 'Could not load the Qt platform plugin "xcb"'


def missing() -> str | None:
    """Why AT-SPI cannot run here, or None."""
    if not sys.platform.startswith("linux"):
        return "AT-SPI is the Linux accessibility bus"
    for tool, package in (("dbus-run-session", "dbus"), ("xvfb-run", "xvfb"),
                          ("Xvfb", "xvfb"), ("xauth", "xauth")):
        if shutil.which(tool) is None:
            return f"{tool} is not installed (Debian: {package})"
    if not any(Path(p).exists() for p in BUS_LAUNCHERS):
        return "at-spi2-core is not installed"
    if not Path(SYSTEM_PYTHON).exists():
        return f"{SYSTEM_PYTHON} is not there"
    probe = subprocess.run([SYSTEM_PYTHON, "-c", "import pyatspi"], capture_output=True,
                           timeout=60)
    if probe.returncode != 0:
        return "python3-pyatspi is not installed"
    return None


@pytest.fixture(scope="module")
def atspi(tmp_path_factory):
    """What the reader saw: the map, the focus moves, the map in Russian."""
    reason = missing()
    if reason:
        pytest.skip(reason)
    folder = tmp_path_factory.mktemp("atspi")
    env = {k: v for k, v in os.environ.items()
           if k not in ("QT_QPA_PLATFORM", "DISPLAY", "DBUS_SESSION_BUS_ADDRESS",
                        "AT_SPI_BUS_ADDRESS")}
    run = subprocess.run(
        ["dbus-run-session", "--", "xvfb-run", "-a", "-s", "-screen 0 1366x768x24",
         SYSTEM_PYTHON, str(HERE / "atspi" / "reader.py"), str(folder), sys.executable,
         str(HERE / "atspi" / "app.py")],
        env=env, capture_output=True, text=True, timeout=300)
    app_err = (folder / "app.err").read_text(errors="replace") if (folder / "app.err").exists() \
        else ""
    if NO_XCB in app_err:
        pytest.skip("Qt's X11 platform (xcb) cannot start here: " + app_err.strip()[-300:])
    result = folder / "atspi.json"
    assert result.exists(), f"the reader wrote nothing: {run.stderr[-2000:]}"
    data = json.loads(result.read_text(encoding="utf-8"))
    assert "error" not in data, (data["error"], app_err[-2000:], run.stderr[-2000:])
    return data


def test_orca_reads_the_map_as_a_named_graphic_with_its_zones_and_no_touch_areas(atspi):
    from bodymap import i18n
    from bodymap.geometry import load_geometry
    from bodymap.vocabulary import labelled

    geo = load_geometry()
    found = atspi["map"]
    assert found is not None, "no image with the zones as children on the bus"
    assert found["role"] == "image"  # QAccessible::Graphic over AT-SPI
    assert found["name"].startswith(i18n.tr("map.a11y.name", "en"))
    kids = found["kids"]
    halves = [h for z in geo.ZONES for h in geo.halves(z)]
    assert {k["name"] for k in kids[:8]} == {geo.regions[h].names["en"] for h in halves}
    hernia = i18n.tr("map.a11y.hernia", "en", level="L4-L5",
                     side=i18n.tr("map.a11y.side_left", "en"))
    site = next(k for k in kids if k["name"] == hernia)
    assert site["description"].startswith("No-touch: ")
    lumbar = next(k for k in kids if k["name"] == geo.regions["lumbosacral-left"].names["en"])
    assert i18n.tr("map.hover.emphasis", "en") in lumbar["description"]
    assert labelled(i18n.tr("map.hover.no_touch", "en"), hernia) in lumbar["description"]
    # bounds on the screen: inside the map, the hernia site inside its half
    mx, my, mw, mh = found["extents"]
    for k in kids:
        x, y, w, h = k["extents"]
        assert w > 0 and h > 0 and mx <= x and x + w <= mx + mw and my <= y and y + h <= my + mh
    lx, ly, lw, lh = lumbar["extents"]
    sx, sy, sw, sh = site["extents"]
    assert lx <= sx + sw / 2 <= lx + lw and ly <= sy + sh / 2 <= ly + lh


def test_orca_hears_the_keyboard_cursor_move_from_half_to_half(atspi):
    from bodymap.geometry import load_geometry

    geo = load_geometry()
    moves = [f["name"] for f in atspi["focus"] if f["role"] == "image" and f["children"] == 0]
    assert moves[:2] == [geo.regions["collar-left"].names["en"],
                         geo.regions["interscapular-left"].names["en"]]


def test_orca_reads_the_new_names_after_a_switch_to_russian(atspi):
    from bodymap import i18n
    from bodymap.geometry import load_geometry

    geo = load_geometry()
    found = atspi["map_ru"]
    assert found is not None, "the names never changed to Russian"
    names = [k["name"] for k in found["kids"]]
    assert names[0] == geo.regions["collar-left"].names["ru"]
    assert i18n.tr("map.a11y.hernia", "ru", level="L4-L5",
                   side=i18n.tr("map.a11y.side_left", "ru")) in names
