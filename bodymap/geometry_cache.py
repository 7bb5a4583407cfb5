"""A precomputed copy of the back's geometry, so that start-up need not parse the SVG.

Parsing ``assets/zones.svg`` with svgelements (and importing svgelements) is the largest part
of loading the geometry. The polygons and landmarks it yields are stored once, as WKB, in
``assets/zones.geometry.json`` beside the drawing, together with the SHA-256 of the exact
bytes they were made from (the SVG and its ``.toml`` registry) and :data:`FORMAT`.

:func:`read` hands them back only when those hashes match the files on disk; any difference
(the drawing was edited, a user points at another SVG) and the caller parses the SVG as
before. So the cache can make start-up faster but never makes it wrong.

Rebuilt by ``python -m bodymap.geometry_cache`` (the Makefile does it whenever zones.svg or
zones.toml is newer). Bump :data:`FORMAT` when bodymap.geometry changes how it turns the SVG
into polygons; tests/test_geometry_cache.py compares the cache with a fresh parse.
"""

from __future__ import annotations

import base64
import hashlib
import json
from pathlib import Path

import shapely
from shapely.geometry.base import BaseGeometry

#: Bumped whenever the way polygons are made from the SVG changes.
FORMAT = 1
SUFFIX = ".geometry.json"


def cache_path(svg_path: Path) -> Path:
    return svg_path.with_name(svg_path.stem + SUFFIX)


def source_key(svg_path: Path, registry_path: Path) -> str:
    digest = hashlib.sha256(f"bodymap-geometry-{FORMAT}\n".encode())
    for path in (svg_path, registry_path):
        digest.update(path.read_bytes())
        digest.update(b"\0")
    return digest.hexdigest()


def read(svg_path: Path, registry_path: Path
         ) -> tuple[dict[str, BaseGeometry], dict[str, tuple[float, float]]] | None:
    """(polygons by region id, landmarks by name) when the cache matches the files, else None."""
    path = cache_path(svg_path)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        if data.get("format") != FORMAT or data.get("key") != source_key(svg_path,
                                                                          registry_path):
            return None
        polygons = {rid: shapely.from_wkb(base64.b64decode(blob))
                    for rid, blob in data["polygons"].items()}
        landmarks = {name: (float(x), float(y)) for name, (x, y) in data["landmarks"].items()}
    except (OSError, ValueError, KeyError, TypeError, shapely.errors.ShapelyError):
        return None
    return polygons, landmarks


def write(svg_path: Path, registry_path: Path, polygons: dict[str, BaseGeometry],
          landmarks: dict[str, tuple[float, float]]) -> Path:
    """Store the polygons and landmarks made from these two files (atomically)."""
    data = {
        "format": FORMAT,
        "key": source_key(svg_path, registry_path),
        "note": "made by `python -m bodymap.geometry_cache` from zones.svg and zones.toml; "
                "used only while their SHA-256 matches 'key'",
        "polygons": {rid: base64.b64encode(shapely.to_wkb(poly)).decode("ascii")
                     for rid, poly in polygons.items()},
        "landmarks": {name: [x, y] for name, (x, y) in landmarks.items()},
    }
    path = cache_path(svg_path)
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(json.dumps(data, indent=0) + "\n", encoding="utf-8")
    tmp.replace(path)
    return path


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
