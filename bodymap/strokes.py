"""Stroke paths: where and how each massage technique moves over the back (pure, no Qt).

``stroke_paths(step, geometry)`` turns one planner ``Step`` into a list of :class:`StrokePath`
in back coordinates (``assets/zones.svg`` user units, y down). It runs when the plan or the
current step changes, never per animation frame; the map widget only samples the cached
polylines at a 0..1 phase (:meth:`StrokePath.head_index`).

How a path is made:

1. A *base path* follows the direction the source gives (CONTENT.md, "Directions of
   movement"): ``spine-to-sides`` (Part 2, Part 6), ``sacrum-to-neck`` (Part 2),
   ``along-spine-up`` (Part 1), ``toward-lymph-nodes`` (Part 4).
2. It is clipped to the step's allowed area (``step.area`` minus any extra ``no_touch`` and
   always minus the spinal strip) shrunk by :data:`INSET`, with a shapely ``intersection``;
   pieces shorter than :data:`MIN_LENGTH` are dropped. These clipped base paths are the
   static direction *guides*.
3. The technique's *motion* is laid along each guide (``bodymap.motion.lay``: the family's
   motif, from stroking's glide to the strikes of tapping) and the result is clipped again,
   so that even the wiggles stay inside the allowed area. Looping motions cross themselves,
   and a polygon intersection would cut them at every self-crossing, so this
   second clip keeps runs of densely spaced vertices (at most :data:`STEP` apart, less than
   the inset) that lie inside the inset area: no segment can then reach a no-touch area.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np
import shapely
from shapely.geometry import LineString, MultiLineString
from shapely.geometry.base import BaseGeometry

from bodymap import motion as motion_language
from bodymap.motion import FAMILIES, cumulative

if TYPE_CHECKING:
    from bodymap.geometry import BackGeometry

__all__ = [
    "DIRECTIONS",
    "INSET",
    "MIN_LENGTH",
    "MOTIONS",
    "STEP",
    "StrokePath",
    "allowed_area",
    "motion_for",
    "pressure_of",
    "stroke_paths",
    "tempo_for",
]

DIRECTIONS = ("spine-to-sides", "sacrum-to-neck", "along-spine-up", "toward-lymph-nodes")
MOTIONS = tuple(FAMILIES)
TEMPOS = ("calming", "moderate", "toning")

#: Distance (back units) every stroke keeps from the edge of its allowed area.
INSET = 3.0
#: Maximum spacing of vertices in a motion path; must stay below INSET (see module docstring).
STEP = 1.5
#: Spacing of the rows of spine-to-sides strokes (back units).
ROW_SPACING = 44.0
#: Clipped pieces shorter than this (back units, along the piece) are dropped.
MIN_LENGTH = 14.0

#: Animation passes per loop for each tempo (the widget's loop lasts ANIMATION_MS).
TEMPO_SPEED = {"calming": 1.0, "moderate": 2.0, "toning": 3.0}


@dataclass(eq=False)
class StrokePath:
    """One animated stroke: a polyline in back coordinates and how it moves.

    ``points`` is the hand's track (the motion laid along the guide), ``guide`` the clipped
    base path it follows (drawn as a static arrow). ``weight`` says, per point, whether the
    segment arriving there is drawn lifted (0: nothing drawn, the hand is in the air), on the
    skin (1) or pressing (2) (:mod:`bodymap.motion`). ``pressure`` is the step's (light, firm,
    deep). ``cumlen`` holds cumulative lengths so that a frame finds its position with one
    ``searchsorted``.
    """

    points: np.ndarray
    guide: np.ndarray
    motion: str
    tempo: str
    speed: float
    arrow: bool
    technique: str = ""
    zone: str | None = None
    weight: np.ndarray | None = None
    pressure: str = "firm"
    cumlen: np.ndarray = field(init=False, repr=False)

    def __post_init__(self) -> None:
        self.points = np.ascontiguousarray(self.points, dtype=float)
        self.guide = np.ascontiguousarray(self.guide, dtype=float)
        if self.weight is None:
            self.weight = np.full(len(self.points), motion_language.ON_SKIN, dtype=np.uint8)
        self.weight = np.ascontiguousarray(self.weight, dtype=np.uint8)
        self.cumlen = cumulative(self.points)

    @property
    def contact(self) -> str:
        """The hand's part on the skin (a glyph id, :data:`bodymap.motion.CONTACTS`)."""
        return motion_language.contact_for(self.motion, self.pressure == "deep")

    @property
    def length(self) -> float:
        return float(self.cumlen[-1])

    def head_index(self, phase: float) -> int:
        """Index of the vertex the hand has reached at ``phase`` (0..1, looping)."""
        frac = (phase * self.speed) % 1.0
        i = int(np.searchsorted(self.cumlen, frac * self.cumlen[-1]))
        return min(i, len(self.points) - 1)

    def tail_index(self, head: int, trail: float) -> int:
        """Index where a trail of length ``trail`` (back units) ending at ``head`` starts."""
        i = int(np.searchsorted(self.cumlen, self.cumlen[head] - trail))
        return max(0, min(i, head))

    def position(self, phase: float) -> tuple[float, float]:
        x, y = self.points[self.head_index(phase)]
        return float(x), float(y)


# --------------------------------------------------------------------------- public API


def motion_for(step: Any) -> str:
    """The motion a step draws (a family of :mod:`bodymap.motion`: glide, circles, ...).

    The planner copies it from the technique registry (``Technique.motion_of(variant)`` in
    protocols/techniques.toml), so the map never keeps a table of its own.
    """
    return getattr(step, "motion", None) or "glide"


def tempo_for(step: Any) -> str:
    """Calming (slow, shallow), moderate, or toning (fast, energetic) (Part 3).

    Percussion (tapping, patting) tones; the scoliosis roles decide next (relax the concave
    side, strengthen the convex side); otherwise the step's intensity (1..5) decides.
    """
    if getattr(step, "percussive", False):
        return "toning"
    role = getattr(step, "role", None)
    if role == "relax":
        return "calming"
    if role == "strengthen":
        return "toning"
    intensity = int(getattr(step, "intensity", 3) or 3)
    if intensity <= 2:
        return "calming"
    if intensity >= 4:
        return "toning"
    return "moderate"


def allowed_area(step: Any, geometry: BackGeometry, no_touch: Any = None) -> BaseGeometry:
    """Where the step's strokes may go: ``step.area`` minus ``no_touch`` minus the spine."""
    area = getattr(step, "area", None)
    if area is None or area.is_empty:
        area = shapely.union_all([geometry.polygon(h) for h in _halves(step.zones, geometry)])
    area = area.difference(geometry.spine_strip())
    for extra in _iter_geoms(no_touch):
        area = area.difference(extra)
    return area


def stroke_paths(
    step: Any,
    geometry: BackGeometry,
    no_touch: Any = None,
    *,
    motion: str | None = None,
    inset: float = INSET,
    min_length: float = MIN_LENGTH,
    motif_scale: float = 1.0,
) -> list[StrokePath]:
    """The stroke paths of ``step`` (a planner ``Step``), clipped to its allowed area.

    ``no_touch``: extra areas to avoid (a geometry, or an iterable of geometries or of
    objects with an ``area``, such as the plan's ``NoTouch`` entries). ``motion`` overrides
    the step's own motion. ``motif_scale`` enlarges the motion's shape, and the spacing of
    the rows to match, for a small map (the circles stay circles a student can see).
    """
    if inset <= STEP:
        raise ValueError(f"inset ({inset}) must exceed the vertex spacing STEP ({STEP})")
    motion = motion or motion_for(step)
    if motion not in MOTIONS:
        raise ValueError(f"unknown motion {motion!r}; expected one of {', '.join(MOTIONS)}")
    tempo = tempo_for(step)
    pressure = pressure_of(step)
    allowed = allowed_area(step, geometry, no_touch)
    # Douglas-Peucker first (deviation 0.3, a tenth of the inset): the SVG's flattened curves
    # carry thousands of vertices and buffering costs per vertex; it also closes the hairline
    # slits between neighbouring halves, which a bare negative buffer would widen into gaps
    simple = shapely.simplify(allowed, 0.3, preserve_topology=False)
    safe = simple.buffer(-inset, quad_segs=2)
    if safe.is_empty:
        return []
    shapely.prepare(safe)

    paths: list[StrokePath] = []
    reach = FAMILIES[motion].across * motif_scale + inset
    for zone, base in _base_paths(step.direction, step.zones, geometry, reach, motif_scale):
        for guide in _clip_line(base, safe, min_length):
            track = motion_language.lay(guide, motion, STEP, motif_scale)
            for run in _clip_dense(track.points, safe, min_length):
                paths.append(
                    StrokePath(
                        points=track.points[run],
                        guide=guide,
                        motion=motion,
                        tempo=tempo,
                        speed=TEMPO_SPEED[tempo],
                        arrow=True,
                        technique=step.technique,
                        zone=zone,
                        weight=track.weight[run],
                        pressure=pressure,
                    )
                )
    return paths


def pressure_of(step: Any) -> str:
    """The step's pressure (light, firm or deep: :func:`bodymap.motion.pressure_for`) from its
    motion, whether its variant is deep, and its intensity."""
    intensity = getattr(step, "intensity", None)
    return motion_language.pressure_for(motion_for(step), bool(getattr(step, "deep", False)),
                                        None if intensity is None else int(intensity))


# --------------------------------------------------------------------------- base paths


def _halves(zones: Iterable[str], geometry: BackGeometry) -> list[str]:
    out: list[str] = []
    for z in zones:
        if z in getattr(geometry, "ZONES", ()):
            out.extend(geometry.halves(z))
        elif z in geometry.regions and geometry.regions[z].kind == "half":
            out.append(z)
    return list(dict.fromkeys(out))


def _iter_geoms(no_touch: Any) -> Iterable[BaseGeometry]:
    if no_touch is None:
        return
    if isinstance(no_touch, BaseGeometry):
        if not no_touch.is_empty:
            yield no_touch
        return
    for item in no_touch:
        geom = getattr(item, "area", item)
        if isinstance(geom, BaseGeometry) and not geom.is_empty:
            yield geom


def _spine_frame(geometry: BackGeometry) -> tuple[float, float]:
    """(midline x, half width of the spinal strip)."""
    minx, _, maxx, _ = geometry.spine_strip().bounds
    return (minx + maxx) / 2.0, (maxx - minx) / 2.0


def _side_of(half: str, geometry: BackGeometry) -> int:
    side = geometry.regions[half].side
    return -1 if side == "left" else 1  # posterior view: patient's left has x < midline


def _level(geometry: BackGeometry, name: str, default: float) -> float:
    point = geometry.landmarks.get(name)
    return float(point[1]) if point is not None else default


_EXTENTS: dict[int, tuple[Any, np.ndarray, np.ndarray, np.ndarray]] = {}


def _outline_extent(geometry: BackGeometry, y: float, side: int, mid: float) -> float:
    """Distance from the midline to the outline's edge at height y on one side.

    Read from a table of the outline's extent every 2 units, built once per geometry.
    """
    entry = _EXTENTS.get(id(geometry))
    if entry is None or entry[0] is not geometry:
        outline = geometry.polygon("outline")
        minx, miny, maxx, maxy = outline.bounds
        ys = np.arange(miny + 0.5, maxy, 2.0)
        lines = shapely.linestrings(
            np.stack([np.column_stack([np.full_like(ys, minx - 1), ys]),
                      np.column_stack([np.full_like(ys, maxx + 1), ys])], axis=1)
        )
        cuts = shapely.intersection(lines, outline)
        left = np.empty_like(ys)
        right = np.empty_like(ys)
        for i, cut in enumerate(cuts):
            xs = shapely.get_coordinates(cut)[:, 0] if not cut.is_empty else np.array([mid])
            left[i], right[i] = xs.min(), xs.max()
        entry = (geometry, ys, left, right)
        _EXTENTS[id(geometry)] = entry
    _, ys, left, right = entry
    if side < 0:
        return float(mid - np.interp(y, ys, left))
    return float(np.interp(y, ys, right) - mid)


def _base_paths(
    direction: str, zones: Sequence[str], geometry: BackGeometry, reach: float = 0.0,
    spread: float = 1.0,
) -> list[tuple[str | None, np.ndarray]]:
    """Unclipped base paths; ``reach`` is how far the motion swings across the path,
    ``spread`` how much wider than usual neighbouring paths lie (a larger motif)."""
    mid, hw = _spine_frame(geometry)
    hw += reach
    halves = _halves(zones, geometry)
    out: list[tuple[str | None, np.ndarray]] = []
    if direction == "sacrum-to-neck":
        sides = sorted({_side_of(h, geometry) for h in halves})
        for side in sides:
            path = _sacrum_to_neck(geometry, side, mid, hw)
            out.append((None, path))
        return out
    if direction in ("spine-to-sides", "along-spine-up"):
        # one set of rows (or lines) per side over all of the step's halves on that side,
        # so that neighbouring zones do not stack their strokes on top of each other
        for side in sorted({_side_of(h, geometry) for h in halves}):
            union = shapely.union_all(
                [geometry.polygon(h) for h in halves if _side_of(h, geometry) == side]
            )
            for poly in _parts(union):
                _, miny, _, maxy = poly.bounds
                make = _spine_to_sides if direction == "spine-to-sides" else _along_spine_up
                for p in make(side, mid, hw, miny, maxy, spread):
                    out.append((_zone_of(geometry, p, halves), p))
        return out
    if direction != "toward-lymph-nodes":
        raise ValueError(
            f"unknown direction {direction!r}; expected one of {', '.join(DIRECTIONS)}"
        )
    for half in halves:
        side = _side_of(half, geometry)
        bounds = geometry.polygon(half).bounds
        parent = geometry.regions[half].parent
        out.extend((half, p) for p in _toward_nodes(geometry, side, mid, hw, bounds, parent))
    return out


def _parts(geom: BaseGeometry) -> list[BaseGeometry]:
    if geom.is_empty:
        return []
    return list(getattr(geom, "geoms", [geom]))


def _zone_of(geometry: BackGeometry, path: np.ndarray, halves: Sequence[str]) -> str | None:
    """The half a base path mostly runs through (its middle vertex), if one of ``halves``."""
    x, y = path[len(path) // 2]
    zone = geometry.zone_at(float(x), float(y))
    return zone if zone in halves else None


def _spine_to_sides(side: int, mid: float, hw: float, miny: float, maxy: float,
                    spread: float = 1.0) -> list[np.ndarray]:
    height = maxy - miny
    rows = max(2, round(height / (ROW_SPACING * spread)))
    pad = height * 0.5 / rows
    u = np.linspace(0.0, 1.0, 24)
    out = []
    for y in np.linspace(miny + pad, maxy - pad, rows):
        x = mid + side * (hw + 1.0 + u * 330.0)
        yy = y + 14.0 * u**1.6  # a gentle arc out and slightly down toward the flank
        out.append(np.column_stack([x, yy]))
    return out


def _along_spine_up(side: int, mid: float, hw: float, miny: float, maxy: float,
                    spread: float = 1.0) -> list[np.ndarray]:
    out = []
    for offset in (6.0, 6.0 + 24.0 * spread):
        x = mid + side * (hw + offset)
        y = np.linspace(maxy + 5.0, miny - 5.0, 30)
        out.append(np.column_stack([np.full_like(y, x), y]))
    return out


def _toward_nodes(geometry: BackGeometry, side: int, mid: float, hw: float,
                  bounds: tuple[float, float, float, float], parent: str | None
                  ) -> list[np.ndarray]:
    _, miny, _, maxy = bounds
    if parent == "lumbosacral":  # toward the inguinal nodes: down and out to the groin
        ny = geometry.bounds[3]
        node = (mid + side * _outline_extent(geometry, maxy, side, mid), ny)
    else:  # toward the axillary nodes: the armpit, at the lateral edge about T3-T4
        ny = _level(geometry, "T4", (geometry.bounds[1] + geometry.bounds[3]) * 0.3)
        node = (mid + side * (_outline_extent(geometry, ny, side, mid) + 10.0), ny)
    out = []
    height = maxy - miny
    for fy in (0.25, 0.75):
        for fx in (0.15, 0.5):
            sx = mid + side * (hw + 8.0 + fx * (abs(node[0] - mid) - hw))
            sy = miny + fy * height
            t = np.linspace(0.0, 1.0, 24)[:, None]
            start = np.array([sx, sy])
            end = np.array(node)
            bend = np.array([0.0, -12.0 if node[1] < sy else 12.0]) * np.sin(np.pi * t)
            out.append(start + (end - start) * t + bend)
    return out


def _sacrum_to_neck(geometry: BackGeometry, side: int, mid: float, hw: float) -> np.ndarray:
    b = geometry.bounds
    y_top = _level(geometry, "C7", b[1] + 0.12 * (b[3] - b[1]))
    y_sacrum = _level(geometry, "S1", b[1] + 0.85 * (b[3] - b[1]))
    y_lumbar = _level(geometry, "L3", y_sacrum - 0.15 * (b[3] - b[1]))
    d = hw + 16.0
    # 1. up beside the spine from the sacrum to the neck
    up_y = np.linspace(y_sacrum, y_top, 60)
    up = np.column_stack([np.full_like(up_y, mid + side * d), up_y])
    # 2. a semicircle over the shoulder
    reach = _outline_extent(geometry, y_top + 40.0, side, mid) - 22.0
    r = max(20.0, (reach - d) / 2.0)
    cx = mid + side * (d + r)
    ang = np.linspace(math.pi, 0.0, 40)
    arc = np.column_stack([cx - side * r * np.cos(ang), y_top - r * 0.8 * np.sin(ang)])
    # 3. back down along the side to the lumbar region, then in toward the spine
    down_y = np.linspace(y_top, y_lumbar, 60)
    lat = np.array([_outline_extent(geometry, y, side, mid) for y in down_y[::6]])
    lat = np.interp(down_y, down_y[::6], lat) - 20.0
    down = np.column_stack([mid + side * lat, down_y])
    turn_t = np.linspace(0.0, 1.0, 20)
    lx = lat[-1]
    turn = np.column_stack(
        [
            mid + side * (lx + (d + 12.0 - lx) * turn_t),
            y_lumbar + 30.0 * np.sin(turn_t * math.pi / 2),
        ]
    )
    return np.vstack([up, arc[1:], down[1:], turn[1:]])


# --------------------------------------------------------------------------- motion + clip


def _clip_line(points: np.ndarray, area: BaseGeometry, min_length: float) -> list[np.ndarray]:
    """Pieces of the polyline inside ``area`` (shapely intersection), in the path's direction."""
    line = LineString(points)
    cut = line.intersection(area)
    if cut.is_empty:
        return []
    if isinstance(cut, LineString):
        parts = [cut]
    elif isinstance(cut, MultiLineString):
        parts = list(cut.geoms)
    else:
        parts = [g for g in getattr(cut, "geoms", []) if isinstance(g, LineString)]
    out = []
    for part in parts:
        if part.length < min_length:
            continue
        coords = np.asarray(part.coords)
        if line.project(shapely.Point(coords[0])) > line.project(shapely.Point(coords[-1])):
            coords = coords[::-1]
        out.append((line.project(shapely.Point(coords[0])), coords))
    out.sort(key=lambda item: item[0])
    return [coords for _, coords in out]


def _clip_dense(points: np.ndarray, area: BaseGeometry, min_length: float) -> list[slice]:
    """Runs of consecutive vertices inside ``area`` (vertices are at most STEP apart), as
    slices of ``points``."""
    inside = shapely.contains_xy(area, points[:, 0], points[:, 1])
    if inside.all():
        return [slice(0, len(points))] if cumulative(points)[-1] >= min_length else []
    out = []
    edges = np.flatnonzero(np.diff(np.concatenate([[0], inside.astype(np.int8), [0]])))
    for start, stop in zip(edges[::2], edges[1::2], strict=True):
        run = points[start:stop]
        if len(run) >= 2 and cumulative(run)[-1] >= min_length:
            out.append(slice(int(start), int(stop)))
    return out
