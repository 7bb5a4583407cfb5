"""The precomputed geometry (assets/zones.geometry.json): fresh, equal to a parse, never wrong."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

from bodymap import geometry, geometry_cache

ROOT = Path(__file__).resolve().parents[1]
SVG = ROOT / "assets" / "zones.svg"
TOML = ROOT / "assets" / "zones.toml"


def test_shipped_cache_matches_the_drawing():
    """Fails when zones.svg or zones.toml changed and the cache was not rebuilt
    (`make assets/zones.geometry.json`, or `python -m bodymap.geometry_cache`)."""
    assert geometry_cache.read(SVG, TOML) is not None


def test_cached_geometry_equals_a_fresh_parse():
    cached = geometry.load_geometry(SVG)
    parsed = geometry._load(SVG, use_cache=False)
    assert set(cached.regions) == set(parsed.regions)
    for rid, region in parsed.regions.items():
        assert cached.regions[rid].polygon.equals_exact(region.polygon, 1e-9), rid
        assert cached.regions[rid].names == region.names
    assert dict(cached.landmarks) == dict(parsed.landmarks)


def test_an_edited_drawing_is_parsed_not_taken_from_a_stale_cache(tmp_path):
    for src in (SVG, TOML, geometry_cache.cache_path(SVG)):
        shutil.copy2(src, tmp_path / src.name)
    svg = tmp_path / "zones.svg"
    text = svg.read_text(encoding="utf-8").replace("</svg>", "")
    # move the whole drawing 10 units right: a stale cache would keep the old place
    start = text.index(">", text.index("<svg")) + 1
    svg.write_text(text[:start] + '<g transform="translate(10,0)">' + text[start:] + "</g></svg>",
                   encoding="utf-8")
    assert geometry_cache.read(svg, tmp_path / "zones.toml") is None
    moved = geometry.load_geometry(svg)
    shipped = geometry.load_geometry()
    assert moved.bounds[0] > shipped.bounds[0] + 5


def test_a_damaged_cache_is_ignored(tmp_path):
    for src in (SVG, TOML):
        shutil.copy2(src, tmp_path / src.name)
    geometry_cache.cache_path(tmp_path / "zones.svg").write_text("{not json", encoding="utf-8")
    assert geometry_cache.read(tmp_path / "zones.svg", tmp_path / "zones.toml") is None
    assert set(geometry.load_geometry(tmp_path / "zones.svg").regions) == \
        set(geometry.load_geometry().regions)


def test_start_up_does_not_import_the_svg_parser():
    code = ("import sys\nfrom bodymap.geometry import load_geometry\nload_geometry()\n"
            "print('svgelements' in sys.modules)")
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True,
                            text=True, timeout=120)
    assert result.stdout.strip() == "False", result.stderr
