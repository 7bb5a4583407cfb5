"""The map stays crisp at a device pixel ratio of 2 (issue 12, point 4).

Qt's offscreen platform with ``QT_SCALE_FACTOR=2`` gives the widget a device pixel ratio of 2,
as a high-DPI laptop screen does. The cached layers must be built at that ratio: a zone border
then changes colour within a couple of device pixels, as sharp as at ratio 1, and keeps its
weight (not a hairline half as thick). A cache built at ratio 1 and blown up two times, as a
naive cache would be, smears the same border over more pixels.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QImage

ROOT = Path(__file__).resolve().parent.parent

SCRIPT = r"""
import json, sys
from PySide6.QtWidgets import QApplication
app = QApplication([])
from bodymap.geometry import load_geometry
from bodymap.widgets.mapview import BodyMapView
geo = load_geometry()
view = BodyMapView(geo)
view.resize(700, 700)
view.show()
pm = view.grab()
pm.toImage().save(sys.argv[1])
x0, y0, x1, _ = geo.polygon("interscapular-right").bounds
# vertical scans across the collar / interscapular border, in device pixels
scans = []
for x in (x0 + (x1 - x0) * f for f in (0.55, 0.7, 0.85)):
    p = view.back_to_widget(x, y0)
    scans.append([p.x(), p.y()])
print(json.dumps({"dpr": pm.devicePixelRatio(), "widget_dpr": view.devicePixelRatioF(),
                  "scans": scans}))
"""

FILL_ABOVE = (179, 209, 238)  # collar, right half
FILL_BELOW = (178, 226, 207)  # interscapular, right half


def _render(tmp_path: Path, factor: int) -> tuple[dict, QImage]:
    out = tmp_path / f"map-{factor}.png"
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "QT_SCALE_FACTOR": str(factor)}
    run = subprocess.run([sys.executable, "-c", SCRIPT, str(out)], cwd=ROOT, env=env,
                         capture_output=True, text=True, timeout=120, check=False)
    assert run.returncode == 0, run.stderr[-2000:]
    info = json.loads(run.stdout.strip().splitlines()[-1])
    return info, QImage(str(out))


def _off(c, fill, tol=10) -> bool:
    return any(abs(a - b) > tol for a, b in zip(c, fill, strict=True))


def _span(image: QImage, x: int, y: int, reach: int) -> int:
    """Device pixels between the two fills on a vertical scan: the border and its blur."""
    col = [image.pixelColor(x, y + d).getRgb()[:3] for d in range(-reach, reach + 1)]
    assert not _off(col[0], FILL_ABOVE) and not _off(col[-1], FILL_BELOW), (col[0], col[-1])
    return sum(1 for c in col if _off(c, FILL_ABOVE) and _off(c, FILL_BELOW))


def _ink(image: QImage, x: int, y: int, reach: int) -> float:
    """How much line a vertical scan crosses: per pixel, how far it is from the nearer fill
    (0..~2.5 per pixel); a line twice as thick in device pixels has about twice the ink."""
    total = 0.0
    for d in range(-reach, reach + 1):
        c = image.pixelColor(x, y + d).getRgb()[:3]
        total += min(max(abs(a - b) for a, b in zip(c, fill, strict=True))
                     for fill in (FILL_ABOVE, FILL_BELOW)) / 100.0
    return total


@pytest.fixture(scope="module")
def renders(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("hidpi")
    return _render(tmp, 1), _render(tmp, 2)


def test_the_map_is_painted_at_the_device_pixel_ratio(renders):
    (_, img1), (two, img2) = renders
    assert two["widget_dpr"] == 2.0 and two["dpr"] == 2.0
    assert (img2.width(), img2.height()) == (2 * img1.width(), 2 * img1.height())


def test_a_zone_border_stays_sharp_and_keeps_its_weight_at_ratio_2(renders):
    (one, img1), (two, img2) = renders
    blurry = img1.scaled(img1.width() * 2, img1.height() * 2,
                         Qt.AspectRatioMode.IgnoreAspectRatio,
                         Qt.TransformationMode.SmoothTransformation)
    for (x1, y1), (x2, y2) in zip(one["scans"], two["scans"], strict=True):
        sharp = _span(img2, round(x2 * 2), round(y2 * 2), 14)
        at_one = _span(img1, round(x1), round(y1), 7)
        smeared = _span(blurry, round(x1 * 2), round(y1 * 2), 14)
        assert sharp <= 3, f"border smeared over {sharp} device pixels at ratio 2"
        assert smeared > sharp, (smeared, sharp)
        # the same weight in logical pixels: about twice the ink of ratio 1 (a pen in device
        # pixels left alone would be a hairline half as thick)
        assert sharp >= at_one, (sharp, at_one)
        ink1 = _ink(img1, round(x1), round(y1), 7)
        ink2 = _ink(img2, round(x2 * 2), round(y2 * 2), 14)
        assert 1.6 * ink1 <= ink2 <= 2.5 * ink1, (ink1, ink2)
