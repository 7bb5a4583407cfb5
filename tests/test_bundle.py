"""The standalone bundle's pieces that can be checked without building it (`make bundle` and
`make bundle-smoke` build and run the real one; .ci/run does both)."""

from __future__ import annotations

import configparser
import sys
from pathlib import Path

from bodymap import resources

ROOT = Path(__file__).resolve().parents[1]


def test_frozen_bundle_finds_its_data_beside_the_modules(monkeypatch, tmp_path):
    """In a PyInstaller bundle, assets/ and protocols/ sit in sys._MEIPASS."""
    bundle = tmp_path / "_internal"
    for kind in ("assets", "protocols"):
        (bundle / kind).mkdir(parents=True)
    monkeypatch.setattr(sys, "frozen", True, raising=False)
    monkeypatch.setattr(sys, "_MEIPASS", str(bundle), raising=False)
    monkeypatch.setattr(resources, "_PACKAGE_DIR", tmp_path / "elsewhere" / "bodymap")
    assert resources.resource_path("assets", "zones.svg") == bundle / "assets" / "zones.svg"
    assert resources.resource_dir("protocols") == bundle / "protocols"


def test_desktop_file_runs_bodymap_with_its_icon():
    entry = configparser.ConfigParser(interpolation=None)
    entry.optionxform = str
    entry.read(ROOT / "packaging" / "bodymap.desktop", encoding="utf-8")
    desktop = entry["Desktop Entry"]
    assert desktop["Type"] == "Application" and desktop["Exec"] == "bodymap"
    assert desktop["Icon"] == "bodymap" and desktop["Terminal"] == "false"
    assert "Comment[ru]" in desktop


def test_icon_is_the_back_map(qapp):
    """The icon is the map drawn small (packaging/make_icon.py): outline, eight zone halves in
    the map's colours, the spinal line; a valid SVG that Qt renders."""
    from PySide6.QtSvg import QSvgRenderer

    path = ROOT / "packaging" / "bodymap.svg"
    text = path.read_text(encoding="utf-8")
    assert QSvgRenderer(str(path)).isValid()
    assert text.count("<path ") == 1 + 8 + 1
    from bodymap.widgets import map_style

    for half in ("collar-left", "collar-right", "lumbosacral-left", "lumbosacral-right"):
        assert map_style.zone_colour(half).name() in text


def test_spec_keeps_what_the_app_needs_and_refuses_the_leaking_binding():
    spec = (ROOT / "packaging" / "bodymap.spec").read_text(encoding="utf-8")
    for needed in ('"qxcb"', '"qoffscreen"', '"qsvg"', '"qsvgicon"', "qtbase_ru.qm",
                   '"assets"', '"protocols"', "bodymap/i18n/strings"):
        assert needed in spec, needed
    assert "(6, 12)" in spec and "(3, 11)" in spec  # PySide6 6.12 on CPython 3.11: refused
