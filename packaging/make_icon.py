"""Write packaging/bodymap.svg, the application icon: the back map itself, simplified.

Drawn from the same geometry (assets/zones.svg through bodymap.geometry) and zone colours
(bodymap.widgets.map_style) as the app's map: the outline, the four zones' halves, the spinal
line in the no-touch red. Run it again when the drawing changes:

    .venv/bin/python packaging/make_icon.py
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

# The colours are plain data in map_style; Qt is only needed to import it.
from bodymap.geometry import load_geometry  # noqa: E402
from bodymap.widgets import map_style as S  # noqa: E402, N812 - as in mapview


def _path(geom) -> str:
    geom = geom.simplify(1.0)
    polys = getattr(geom, "geoms", [geom])
    out = []
    for poly in polys:
        for ring in (poly.exterior, *poly.interiors):
            pts = list(ring.coords)
            out.append("M" + " L".join(f"{x:.1f},{y:.1f}" for x, y in pts) + " Z")
    return " ".join(out)


def icon_svg() -> str:
    g = load_geometry()
    x0, _, x1, y1 = g.bounds
    y0 = 5.0  # the top of the head (assets/zones.svg, id "head")
    side = max(x1 - x0, y1 - y0) + 20
    cx = (x0 + x1) / 2
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="{cx - side / 2:.0f} {y0 - 10:.0f} '
        f'{side:.0f} {side:.0f}" width="256" height="256">',
        "<title>bodymap</title>",
        f'<rect x="{cx - side / 2:.0f}" y="{y0 - 10:.0f}" width="{side:.0f}" height="{side:.0f}"'
        f' rx="{side * 0.12:.0f}" fill="{S.BACKGROUND}"/>',
        f'<ellipse cx="300" cy="72" rx="80" ry="67" fill="{S.HEAD}" stroke="{S.SKIN_EDGE}"'
        ' stroke-width="8"/>',
        f'<path d="{_path(g.polygon("outline"))}" fill="{S.SKIN}" stroke="{S.SKIN_EDGE}"'
        ' stroke-width="8" stroke-linejoin="round"/>',
    ]
    for zone in g.ZONES:
        for half in g.halves(zone):
            parts.append(f'<path d="{_path(g.polygon(half))}" fill="{S.zone_colour(half).name()}"'
                         f' stroke="{S.ZONE_EDGE}" stroke-width="3" stroke-linejoin="round"/>')
    parts.append(f'<path d="{_path(g.polygon("spine"))}" fill="{S.NO_TOUCH}"/>')
    parts.append("</svg>")
    return "\n".join(parts) + "\n"


if __name__ == "__main__":
    target = ROOT / "packaging" / "bodymap.svg"
    target.write_text(icon_svg(), encoding="utf-8")
    print(target)
