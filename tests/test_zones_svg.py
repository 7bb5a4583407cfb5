"""assets/zones.svg renders the same in a browser-grade renderer (librsvg) and in Qt.

The map view draws the SVG with Qt's QSvgRenderer (SVG Tiny 1.2); Inkscape and browsers use a
full SVG renderer. Both must accept the file, and both must paint each zone half's colour
where bodymap.geometry says that half is.
"""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import shutil
import struct
import subprocess
import xml.etree.ElementTree as ET
import zlib
from pathlib import Path

import pytest

from bodymap.geometry import LANDMARK_ORDER, REQUIRED_REGIONS, ZONES, load_geometry
from bodymap.resources import resource_path

SVG = resource_path("assets", "zones.svg")
SVG_NS = "{http://www.w3.org/2000/svg}"
BACKGROUND = (0xFB, 0xFA, 0xF7)
TOLERANCE = 10  # per channel, for anti-aliasing and colour management differences


def zone_fills() -> dict[str, tuple[int, int, int]]:
    """The fill colour each zone group declares, e.g. {"collar": (174, 203, 232)}."""
    root = ET.parse(SVG).getroot()
    fills = {}
    for group in root.iter(f"{SVG_NS}g"):
        if group.get("id") in ZONES:
            value = group.get("fill", "")
            assert value.startswith("#") and len(value) == 7, (group.get("id"), value)
            fills[group.get("id")] = tuple(int(value[i : i + 2], 16) for i in (1, 3, 5))
    assert set(fills) == set(ZONES)
    return fills


def probe_points() -> dict[str, tuple[float, float]]:
    """A point well inside each zone half, clear of the spine, kidneys and scapulae."""
    geo = load_geometry()
    overlays = (
        geo.spine_strip(6)
        .union(geo.kidney_area().buffer(6))
        .union(geo.polygon("scapula-left").buffer(6))
        .union(geo.polygon("scapula-right").buffer(6))
    )
    points = {}
    for zone in ZONES:
        for half in geo.halves(zone):
            clear = geo.polygon(half).buffer(-8).difference(overlays)
            assert not clear.is_empty, half
            p = clear.representative_point()
            points[half] = (p.x, p.y)
    return points


def close(a, b) -> bool:
    return all(abs(int(x) - int(y)) <= TOLERANCE for x, y in zip(a, b, strict=False))


# -- librsvg --------------------------------------------------------------------------------------
def read_png(data: bytes) -> tuple[int, int, list[list[tuple[int, ...]]]]:
    """Decode an 8-bit RGB/RGBA, non-interlaced PNG (what rsvg-convert writes)."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    pos, idat, header = 8, b"", None
    while pos < len(data):
        (length,) = struct.unpack(">I", data[pos : pos + 4])
        kind, body = data[pos + 4 : pos + 8], data[pos + 8 : pos + 8 + length]
        pos += 12 + length
        if kind == b"IHDR":
            header = struct.unpack(">IIBBBBB", body)
        elif kind == b"IDAT":
            idat += body
    assert header is not None
    width, height, depth, colour, _, _, interlace = header
    assert depth == 8 and colour in (2, 6) and interlace == 0, header
    bpp = 4 if colour == 6 else 3
    raw = zlib.decompress(idat)
    stride = width * bpp
    rows, previous = [], bytearray(stride)
    for y in range(height):
        kind = raw[y * (stride + 1)]
        line = bytearray(raw[y * (stride + 1) + 1 : (y + 1) * (stride + 1)])
        for i in range(stride):
            a = line[i - bpp] if i >= bpp else 0
            b = previous[i]
            c = previous[i - bpp] if i >= bpp else 0
            if kind == 1:
                line[i] = (line[i] + a) & 0xFF
            elif kind == 2:
                line[i] = (line[i] + b) & 0xFF
            elif kind == 3:
                line[i] = (line[i] + (a + b) // 2) & 0xFF
            elif kind == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                pred = a if pa <= pb and pa <= pc else (b if pb <= pc else c)
                line[i] = (line[i] + pred) & 0xFF
        rows.append([tuple(line[x * bpp : x * bpp + bpp]) for x in range(width)])
        previous = line
    return width, height, rows


@pytest.fixture(scope="module")
def rsvg_png(tmp_path_factory) -> Path:
    exe = shutil.which("rsvg-convert")
    if exe is None:
        pytest.skip("rsvg-convert (librsvg) is not on PATH; install librsvg2-bin to run this")
    out = tmp_path_factory.mktemp("rsvg") / "zones.png"
    subprocess.run([exe, "-w", "150", str(SVG), "-o", str(out)], check=True, timeout=60)
    return out


def test_rsvg_renders_the_drawing(rsvg_png):
    width, height, rows = read_png(rsvg_png.read_bytes())
    assert (width, height) == (150, 225)  # viewBox 600 x 900 at a quarter
    painted = sum(1 for row in rows for px in row if px[-1] > 0 and not close(px[:3], BACKGROUND))
    assert painted > 0.3 * width * height


def test_rsvg_paints_each_zone_where_geometry_puts_it(rsvg_png):
    _, _, rows = read_png(rsvg_png.read_bytes())
    fills = zone_fills()
    for half, (x, y) in probe_points().items():
        pixel = rows[int(y / 4)][int(x / 4)][:3]
        assert close(pixel, fills[half.rsplit("-", 1)[0]]), (half, pixel)


# -- Qt -------------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def qt_renderer():
    pytest.importorskip("PySide6.QtSvg", reason="PySide6 with QtSvg is not installed")
    from PySide6.QtSvg import QSvgRenderer
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance() or QApplication([])
    renderer = QSvgRenderer(str(SVG))
    yield renderer
    del app


def test_qt_reports_the_svg_valid(qt_renderer):
    assert qt_renderer.isValid()
    box = qt_renderer.viewBoxF()
    assert (box.x(), box.y(), box.width(), box.height()) == (0, 0, 600, 900)
    for rid in (*REQUIRED_REGIONS, *ZONES, *LANDMARK_ORDER):
        assert qt_renderer.elementExists(rid), rid


def test_qt_places_landmarks_where_geometry_does(qt_renderer):
    geo = load_geometry()
    for name, (x, y) in geo.landmarks.items():
        centre = qt_renderer.boundsOnElement(name).center()
        assert (centre.x(), centre.y()) == pytest.approx((x, y), abs=0.5), name


def test_qt_paints_each_zone_where_geometry_puts_it(qt_renderer):
    from PySide6.QtGui import QColor, QImage, QPainter

    image = QImage(600, 900, QImage.Format.Format_ARGB32)
    image.fill(QColor("white"))
    painter = QPainter(image)
    qt_renderer.render(painter)
    painter.end()
    fills = zone_fills()
    for half, (x, y) in probe_points().items():
        colour = image.pixelColor(int(x), int(y))
        pixel = (colour.red(), colour.green(), colour.blue())
        assert close(pixel, fills[half.rsplit("-", 1)[0]]), (half, pixel)
