"""A precomputed copy of the back's geometry, so that start-up need not parse the SVG.

Parsing ``assets/zones.svg`` with svgelements (and importing svgelements) is the largest part
of loading the geometry. The polygons and landmarks it yields are stored once, as WKB, in
``assets/zones.geometry.json`` beside the drawing, under the start-up caches' one key
(:mod:`bodymap.startup_cache`: the package's source and the exact bytes of the SVG and its
``.toml`` registry).

:func:`read` hands them back only when that key matches and every polygon and landmark is
sound (valid WKB of an area, finite coordinates); any difference or damage (the drawing was
edited, a user points at another SVG, the file is a pipe, ``[]``, deeply nested or garbage) and
the caller parses the SVG as before. So the cache can make start-up faster but never makes it
wrong.

Rebuilt by ``python -m bodymap.geometry_cache`` (the Makefile does it whenever the drawing or
the package's source is newer); tests/test_geometry_cache.py compares the cache with a fresh
parse.
"""

from __future__ import annotations

import base64
import math
from pathlib import Path

import shapely
from shapely.geometry.base import BaseGeometry

from bodymap import startup_cache

SUFFIX = ".geometry.json"
_MAX_BYTES = 8 * 1024 * 1024


def cache_path(svg_path: Path) -> Path:
    return svg_path.with_name(svg_path.stem + SUFFIX)


def source_key(svg_path: Path, registry_path: Path) -> str:
    """The cache's key: the package's source, the drawing and its registry (OSError if one of
    them cannot be read)."""
    return startup_cache.key("geometry", (("drawing", svg_path), ("registry", registry_path)))


def read(svg_path: Path, registry_path: Path
         ) -> tuple[dict[str, BaseGeometry], dict[str, tuple[float, float]]] | None:
    """(polygons by region id, landmarks by name) when the cache matches the files, else None."""
    try:
        data = startup_cache.read_json(cache_path(svg_path), source_key(svg_path, registry_path),
                                       _MAX_BYTES)
        if data is None:
            return None
        polygons = {str(rid): shapely.from_wkb(base64.b64decode(blob, validate=True))
                    for rid, blob in data["polygons"].items()}
        landmarks = {str(name): (float(x), float(y))
                     for name, (x, y) in data["landmarks"].items()}
    except Exception:  # missing, damaged or foreign in any way: parse the drawing instead
        return None
    sound = all(isinstance(p, BaseGeometry) and p.geom_type in ("Polygon", "MultiPolygon")
                and not p.is_empty for p in polygons.values())
    finite = all(math.isfinite(v) for xy in landmarks.values() for v in xy)
    return (polygons, landmarks) if sound and finite else None


def write(svg_path: Path, registry_path: Path, polygons: dict[str, BaseGeometry],
          landmarks: dict[str, tuple[float, float]]) -> Path:
    """Store the polygons and landmarks made from these two files (atomically)."""
    content = {
        "polygons": {rid: base64.b64encode(shapely.to_wkb(poly)).decode("ascii")
                     for rid, poly in polygons.items()},
        "landmarks": {name: [x, y] for name, (x, y) in landmarks.items()},
    }
    return startup_cache.write_json(
        cache_path(svg_path), source_key(svg_path, registry_path), content,
        "made by `python -m bodymap.geometry_cache` from zones.svg and zones.toml; used only "
        "while 'key' matches them and bodymap's source")


def rebuild(svg_path: Path | None = None) -> Path:
    """Parse the (shipped) drawing afresh and write its cache."""
    from bodymap import geometry

    svg_path = svg_path or geometry._shipped("zones.svg")
    registry_path = geometry._registry_path(svg_path)
    parsed = geometry._load(svg_path, use_cache=False)
    polygons = {rid: region.polygon for rid, region in parsed.regions.items()}
    return write(svg_path, registry_path, polygons, dict(parsed.landmarks))


if __name__ == "__main__":
    print(rebuild())
