"""The back's geometry, read from ``assets/zones.svg`` (pure: no Qt).

One coordinate system everywhere: the SVG's user units (``viewBox="0 0 600 900"``), x to the
right, y down, midline at ``x = 300``. The drawing is a posterior view, so every ``*-left``
region (the patient's left) has x < 300. See docs/ARCHITECTURE.md ("bodymap.geometry") for
the contract and docs/geometry.md for the drawing's ids and the tolerances the tests use.

The SVG is parsed with svgelements (which resolves transforms, basic shapes and path data);
every curve is flattened into points and turned into a shapely polygon once, when the file is
loaded. Hit-testing then runs on prepared geometries with a single vectorized
``shapely.intersects_xy`` call.
"""

from __future__ import annotations

import functools
import itertools
import math
import tomllib
import xml.etree.ElementTree as ET
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import TYPE_CHECKING

import numpy as np
import shapely
from shapely import affinity
from shapely.geometry import MultiPolygon, Point, Polygon
from shapely.geometry.base import BaseGeometry

from bodymap.errors import DataFileError
from bodymap.vocabulary import HALVES, HERNIA_SIDES, MIDLINE_X, SIDES, ZONES

if TYPE_CHECKING:
    import svgelements as se

__all__ = [
    "HERNIA_SIZE",
    "LANDMARK_ORDER",
    "MIDLINE_X",
    "REQUIRED_REGIONS",
    "SIDES",
    "ZONES",
    "BackGeometry",
    "Region",
    "UnknownRegionError",
    "load_geometry",
]

KINDS = ("zone", "half", "spine", "kidney", "scapula", "buttock", "outline")
#: Every id that must be drawn in the SVG as a shape (the parent zones are unions of halves).
REQUIRED_REGIONS = (
    "outline",
    *HALVES,
    "spine",
    "kidney-left",
    "kidney-right",
    "scapula-left",
    "scapula-right",
)
#: The midline landmarks (spinous processes), top to bottom.
LANDMARK_ORDER = (
    *(f"C{i}" for i in range(2, 8)),
    *(f"T{i}" for i in range(1, 13)),
    *(f"L{i}" for i in range(1, 6)),
    "S1",
)
#: Distance between flattened points along a curve, in user units (chord error well under
#: 0.05 units for the drawing's curvatures).
SAMPLE_STEP = 1.5
#: Width and height of a hernia no-touch site, in user units.
HERNIA_SIZE = (40.0, 28.0)
#: Distance of a left/right (paravertebral) hernia site's centre from the midline.
HERNIA_OFFSET = 28.0

# Hit-test order of features_at: most specific first.
_FEATURE_ORDER = (
    "spine",
    "kidney-left",
    "kidney-right",
    "scapula-left",
    "scapula-right",
    *HALVES,
    *ZONES,
    "buttock-left",
    "buttock-right",
    "outline",
)


class UnknownRegionError(KeyError, ValueError):
    """An id that is not a region of the back (both a KeyError and a ValueError)."""

    def __str__(self) -> str:
        return str(self.args[0]) if self.args else ""


@dataclass(frozen=True)
class Region:
    id: str  # "collar-left", "collar", "spine", "kidney-left", "scapula-right", "outline"
    kind: str  # "zone" | "half" | "spine" | "kidney" | "scapula" | "outline"
    names: Mapping[str, str]  # {"en": "Collar zone (left half)", "ru": "..."}
    side: str | None  # "left" | "right" | None (the patient's side)
    parent: str | None  # "collar" for "collar-left"
    polygon: Polygon  # parents are the union of their halves
    #: optional, for the patient (bodymap.plain): {"en": "your lower back", "ru": "поясница"}
    plain_names: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))
    #: optional, the same as a place: {"en": "on your lower back", "ru": "на пояснице"}
    plain_where: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))


@dataclass(frozen=True)
class _RegistryEntry:
    id: str
    kind: str
    names: Mapping[str, str]
    side: str | None
    parent: str | None
    plain_names: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))
    plain_where: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))


class BackGeometry:
    """The regions and landmarks of the back, with fast hit-testing.

    Built once by :func:`load_geometry`; immutable afterwards.
    """

    ZONES = ZONES

    def __init__(
        self,
        source: Path,
        regions: Mapping[str, Region],
        landmarks: Mapping[str, tuple[float, float]],
    ) -> None:
        self.source = Path(source)
        self.regions: Mapping[str, Region] = MappingProxyType(dict(regions))
        self.landmarks: Mapping[str, tuple[float, float]] = MappingProxyType(dict(landmarks))
        outline = self.regions["outline"].polygon
        minx, miny, maxx, maxy = outline.bounds
        self.bounds = (float(minx), float(miny), float(maxx), float(maxy))

        names = list(self.landmarks)
        self._landmark_y = {name: float(xy[1]) for name, xy in self.landmarks.items()}
        self._disc_levels = tuple(f"{a}-{b}" for a, b in itertools.pairwise(names))
        self._disc_y = np.array(
            [(self._landmark_y[a] + self._landmark_y[b]) / 2 for a, b in itertools.pairwise(names)]
        )
        self._next = dict(itertools.pairwise(names))

        # Hit-testing: one vectorized call over prepared geometries.
        feature_ids = [rid for rid in _FEATURE_ORDER if rid in self.regions]
        feature_ids += [rid for rid in self.regions if rid not in feature_ids]
        self._feature_ids = tuple(feature_ids)
        self._feature_geoms = np.array(
            [self.regions[rid].polygon for rid in feature_ids], dtype=object
        )
        shapely.prepare(self._feature_geoms)
        half_ids = [rid for rid in feature_ids if self.regions[rid].kind == "half"]
        self._half_ids = tuple(half_ids)
        self._half_geoms = np.array([self.regions[rid].polygon for rid in half_ids], dtype=object)
        shapely.prepare(self._half_geoms)
        self._strips: dict[float, Polygon] = {}
        self._kidneys = MultiPolygon(
            [self.regions[rid].polygon for rid in ("kidney-left", "kidney-right")]
        )

    def __repr__(self) -> str:
        return f"BackGeometry({str(self.source)!r}, {len(self.regions)} regions)"

    # -- regions ---------------------------------------------------------------------------
    def region(self, region_id: str) -> Region:
        """The :class:`Region` with this id; :class:`UnknownRegionError` if there is none."""
        try:
            return self.regions[region_id]
        except KeyError:
            raise UnknownRegionError(
                f"unknown region id {region_id!r}; expected one of {', '.join(self.regions)}"
            ) from None

    def polygon(self, region_id: str) -> Polygon:
        return self.region(region_id).polygon

    def halves(self, zone_id: str) -> tuple[str, str]:
        """``("collar-left", "collar-right")`` for ``"collar"``."""
        if zone_id not in ZONES:
            raise UnknownRegionError(
                f"unknown zone id {zone_id!r}; expected one of {', '.join(ZONES)}"
            )
        return (f"{zone_id}-left", f"{zone_id}-right")

    def kidney_area(self) -> MultiPolygon:
        """Both kidney areas."""
        return self._kidneys

    def spine_strip(self, margin: float = 0.0) -> Polygon:
        """The spinal no-touch strip (the base of the skull to the coccyx), widened by ``margin``
        units."""
        margin = float(margin)
        if not math.isfinite(margin) or margin < 0:
            raise ValueError(f"spine strip margin must be a number >= 0, not {margin!r}")
        strip = self._strips.get(margin)
        if strip is None:
            spine = self.regions["spine"].polygon
            strip = spine if margin == 0 else spine.buffer(margin, quad_segs=8)
            self._strips[margin] = strip
        return strip

    # -- hit-testing -----------------------------------------------------------------------
    def zone_at(self, x: float, y: float) -> str | None:
        """The zone *half* id under the point (edges count as inside), or None."""
        hits = np.flatnonzero(shapely.intersects_xy(self._half_geoms, x, y))
        return self._half_ids[hits[0]] if hits.size else None

    def features_at(self, x: float, y: float) -> list[str]:
        """Every region id containing the point, most specific first.

        Order: spine, kidney, scapula, zone half, parent zone, buttock, outline.
        """
        x0, y0, x1, y1 = self.bounds
        if not (x0 <= x <= x1 and y0 <= y <= y1):
            return []
        hits = np.flatnonzero(shapely.intersects_xy(self._feature_geoms, x, y))
        return [self._feature_ids[i] for i in hits]

    # -- vertebral levels ------------------------------------------------------------------
    @property
    def disc_levels(self) -> tuple[str, ...]:
        """Every disc level between adjacent landmarks, top to bottom ("C2-C3" .. "L5-S1")."""
        return self._disc_levels

    def level_y(self, level: str) -> float:
        """The y of a vertebra (``"L4"``) or of the disc between two (``"L4-L5"``).

        Raises ValueError with a readable message for anything else.
        """
        key = _normalize_level(level)
        if key in self._landmark_y:
            return self._landmark_y[key]
        if "-" in key:
            upper, _, lower = key.partition("-")
            if upper in self._landmark_y and lower in self._landmark_y:
                if self._next.get(upper) == lower:
                    return (self._landmark_y[upper] + self._landmark_y[lower]) / 2
                hint = self._next.get(upper)
                suggestion = f" (did you mean '{upper}-{hint}'?)" if hint else ""
                raise ValueError(
                    f"vertebral level {level!r} is not a disc level: {upper} and {lower} are "
                    f"not adjacent vertebrae{suggestion}"
                )
        first, last = next(iter(self._landmark_y)), list(self._landmark_y)[-1]
        raise ValueError(
            f"unknown vertebral level {level!r}; expected a vertebra from {first} to {last} "
            f"(e.g. 'L4') or a disc level between adjacent vertebrae (e.g. 'L4-L5')"
        )

    def nearest_level(self, y: float) -> str:
        """The disc level ("X-Y") whose height is nearest to ``y``."""
        return self._disc_levels[int(np.argmin(np.abs(self._disc_y - float(y))))]

    def hernia_site(self, level: str, side: str = "central") -> Polygon:
        """A small rounded no-touch area at the level: on the midline or paravertebral.

        ``side`` is the patient's side: ``left`` lies at x < 300 (posterior view).
        """
        y = self.level_y(level)
        side_key = str(side).strip().lower()
        if side_key not in HERNIA_SIDES:
            raise ValueError(
                f"unknown hernia side {side!r}; expected one of {', '.join(HERNIA_SIDES)}"
            )
        offset = {"central": 0.0, "left": -HERNIA_OFFSET, "right": HERNIA_OFFSET}[side_key]
        circle = Point(MIDLINE_X + offset, y).buffer(1.0, quad_segs=16)
        return affinity.scale(circle, HERNIA_SIZE[0] / 2, HERNIA_SIZE[1] / 2)


def _normalize_level(level: object) -> str:
    text = str(level).strip().upper()
    for dash in ("\u2013", "\u2014", "/"):
        text = text.replace(dash, "-")
    return text.replace(" ", "")


# -- loading ---------------------------------------------------------------------------------
def load_geometry(path: Path | str | None = None) -> BackGeometry:
    """Load the back's geometry from ``path`` (default: the shipped ``assets/zones.svg``).

    The default geometry is built once and cached. The registry (kinds, sides, parents, names)
    is read from a ``.toml`` beside the SVG with the same stem, else from the shipped
    ``assets/zones.toml``. Raises :class:`~bodymap.errors.DataFileError` naming the file and
    the id for a missing or malformed file, a missing id or a region that is not an area.
    """
    if path is None:
        return _load_default()
    return _load(Path(path))


@functools.lru_cache(maxsize=1)
def _load_default() -> BackGeometry:
    return _load(_shipped("zones.svg"))


def _shipped(name: str) -> Path:
    from bodymap.resources import resource_path

    try:
        return resource_path("assets", name)
    except FileNotFoundError as exc:
        raise DataFileError(str(exc), path=Path("assets") / name) from None


def _registry_path(svg_path: Path) -> Path:
    sibling = svg_path.with_suffix(".toml")
    return sibling if sibling.is_file() else _shipped("zones.toml")


def _load(svg_path: Path, use_cache: bool = True) -> BackGeometry:
    registry_path = _registry_path(svg_path)
    registry, landmark_order = _load_registry(registry_path)
    if use_cache:
        # the polygons precomputed from these exact files (bodymap.geometry_cache), if any
        from bodymap import geometry_cache

        cached = geometry_cache.read(svg_path, registry_path) if svg_path.is_file() else None
        if cached is not None and set(cached[0]) == set(registry):
            regions: dict[str, Region] = {
                rid: Region(rid, e.kind, e.names, e.side, e.parent, cached[0][rid],
                            e.plain_names, e.plain_where) for rid, e in registry.items()}
            return BackGeometry(svg_path, regions, cached[1])

    svg = _parse_svg(svg_path)
    to_user = _user_units(svg)

    polygons: dict[str, Polygon] = {}
    for rid, entry in registry.items():
        if entry.kind == "zone":
            continue
        element = _element(svg, svg_path, rid)
        polygons[rid] = _area(element, to_user, svg_path, rid)

    regions = {}
    for rid, entry in registry.items():
        if entry.kind == "zone":
            children = [polygons[c] for c, e in registry.items() if e.parent == rid]
            poly = _union(children, svg_path, rid)
        else:
            poly = polygons[rid]
        _check_side(entry, poly, svg_path)
        regions[rid] = Region(rid, entry.kind, entry.names, entry.side, entry.parent, poly,
                              entry.plain_names, entry.plain_where)

    landmarks: dict[str, tuple[float, float]] = {}
    previous: tuple[str, float] | None = None
    for name in landmark_order:
        element = _element(svg, svg_path, name)
        x, y = _centre(element, to_user, svg_path, name)
        if previous is not None and not y > previous[1]:
            raise DataFileError(
                f"landmark id '{name}' (y={y:.1f}) is not below '{previous[0]}' "
                f"(y={previous[1]:.1f})",
                path=svg_path,
                expected="landmarks running strictly top to bottom",
            )
        landmarks[name] = (x, y)
        previous = (name, y)

    return BackGeometry(svg_path, regions, landmarks)


def _parse_svg(path: Path) -> se.SVG:
    # svgelements is imported only when a drawing is really parsed (not with a fresh cache)
    global se
    import svgelements as se

    if not path.is_file():
        raise DataFileError("the back drawing was not found", path=path, expected="an SVG file")
    try:
        svg = se.SVG.parse(str(path), reify=True)
    except ET.ParseError as exc:
        raise DataFileError(f"not well-formed XML ({exc})", path=path) from None
    except Exception as exc:  # svgelements raises assorted errors on broken attributes
        raise DataFileError(
            f"could not be read as SVG ({type(exc).__name__}: {exc})", path=path
        ) from None
    if not isinstance(svg, se.SVG):
        raise DataFileError("the root element is not <svg>", path=path)
    return svg


def _user_units(svg: se.SVG) -> se.Matrix:
    """The matrix from svgelements' output (viewport pixels) back to viewBox user units."""
    text = svg.viewbox_transform
    if not text:
        return se.Matrix()
    return ~se.Matrix(text)


def _element(svg: se.SVG, path: Path, rid: str) -> se.SVGElement:
    element = svg.get_element_by_id(rid)
    if element is None:
        raise DataFileError(f"required element id '{rid}' is missing", path=path)
    return element


def _shapes(element: se.SVGElement) -> list[se.Shape]:
    if isinstance(element, se.Shape):
        return [element]
    if isinstance(element, se.Group):
        return [e for e in element.select() if isinstance(e, se.Shape)]
    return []


def _rings(shape: se.Shape, to_user: se.Matrix) -> Iterable[np.ndarray]:
    """Flatten a shape into closed rings of points (in svgelements' output units).

    Curves are sampled every :data:`SAMPLE_STEP` *user* units, whatever the document's size.
    """
    step = SAMPLE_STEP / math.sqrt(abs(to_user.a * to_user.d - to_user.b * to_user.c) or 1.0)
    path = shape if isinstance(shape, se.Path) else se.Path(shape)
    ring: list[np.ndarray] = []
    for seg in path:
        if isinstance(seg, se.Move):
            if len(ring) > 0:
                yield np.vstack(ring)
            ring = [np.array([[seg.end.x, seg.end.y]])] if seg.end is not None else []
            continue
        if seg.start is None or seg.end is None:
            continue
        if not ring:
            ring = [np.array([[seg.start.x, seg.start.y]])]
        if isinstance(seg, (se.Line, se.Close)):
            ring.append(np.array([[seg.end.x, seg.end.y]]))
            continue
        rough = np.asarray(seg.npoint(np.linspace(0.0, 1.0, 17)), dtype=float)
        length = float(np.hypot(*np.diff(rough, axis=0).T).sum())
        n = max(4, math.ceil(length / step))
        ring.append(np.asarray(seg.npoint(np.linspace(0.0, 1.0, n + 1)[1:]), dtype=float))
    if len(ring) > 0:
        yield np.vstack(ring)


def _apply(matrix: se.Matrix, pts: np.ndarray) -> np.ndarray:
    x, y = pts[:, 0], pts[:, 1]
    return np.column_stack(
        (matrix.a * x + matrix.c * y + matrix.e, matrix.b * x + matrix.d * y + matrix.f)
    )


def _area(element: se.SVGElement, to_user: se.Matrix, path: Path, rid: str) -> Polygon:
    """The element's filled area as one valid polygon (even-odd over its subpaths)."""
    not_area = DataFileError(
        f"element id '{rid}' is not a valid area",
        path=path,
        expected="a closed shape with a positive area",
    )
    geom: BaseGeometry | None = None
    try:
        for shape in _shapes(element):
            for ring in _rings(shape, to_user):
                pts = _apply(to_user, ring)
                if len(np.unique(pts.round(6), axis=0)) < 3:
                    continue
                part = shapely.make_valid(Polygon(pts))
                geom = part if geom is None else geom.symmetric_difference(part)
    except (ValueError, TypeError, ArithmeticError, shapely.errors.GEOSException):
        raise not_area from None
    poly = _single_polygon(geom)
    if poly is None:
        raise not_area
    if poly.area < 0.999 * _polygonal_area(geom):
        raise DataFileError(
            f"element id '{rid}' is made of separate pieces",
            path=path,
            expected="one connected area",
        )
    return poly


def _polygonal_area(geom: BaseGeometry | None) -> float:
    if geom is None:
        return 0.0
    return float(sum(p.area for p in _polygons_in(geom)))


def _polygons_in(geom: BaseGeometry) -> list[Polygon]:
    if isinstance(geom, Polygon):
        return [geom] if not geom.is_empty else []
    if hasattr(geom, "geoms"):
        return [p for g in geom.geoms for p in _polygons_in(g)]
    return []


def _single_polygon(geom: BaseGeometry | None) -> Polygon | None:
    """The largest polygon in ``geom`` (None if there is no area)."""
    if geom is None:
        return None
    parts = [p for p in _polygons_in(shapely.make_valid(geom)) if p.area > 1e-9]
    if not parts:
        return None
    return max(parts, key=lambda p: p.area)


def _union(children: list[Polygon], path: Path, rid: str) -> Polygon:
    if not children:
        raise DataFileError(f"zone id '{rid}' has no halves", path=path)
    union = shapely.union_all(children)
    if not isinstance(union, Polygon):
        # Close hairline gaps left by flattening along the shared midline edge.
        union = union.buffer(0.05, join_style="mitre").buffer(-0.05, join_style="mitre")
    if not isinstance(union, Polygon) or union.is_empty:
        raise DataFileError(
            f"the halves of zone id '{rid}' do not meet",
            path=path,
            expected="left and right halves sharing the midline",
        )
    return union


def _centre(
    element: se.SVGElement, to_user: se.Matrix, path: Path, rid: str
) -> tuple[float, float]:
    shapes = _shapes(element)
    boxes = [s.bbox() for s in shapes]
    boxes = [b for b in boxes if b is not None]
    if not boxes:
        raise DataFileError(
            f"landmark id '{rid}' has no position", path=path, expected="a small circle"
        )
    x0 = min(b[0] for b in boxes)
    y0 = min(b[1] for b in boxes)
    x1 = max(b[2] for b in boxes)
    y1 = max(b[3] for b in boxes)
    ((cx, cy),) = _apply(to_user, np.array([[(x0 + x1) / 2, (y0 + y1) / 2]]))
    return float(cx), float(cy)


def _check_side(entry: _RegistryEntry, poly: Polygon, path: Path) -> None:
    if entry.side is None:
        return
    x = poly.representative_point().x
    if (entry.side == "left") != (x < MIDLINE_X):
        raise DataFileError(
            f"element id '{entry.id}' lies on the wrong side of the midline (x={x:.0f})",
            path=path,
            expected=(
                f"the patient's {entry.side} at x {'<' if entry.side == 'left' else '>'} "
                f"{MIDLINE_X:g} (posterior view)"
            ),
        )


def _load_registry(path: Path) -> tuple[dict[str, _RegistryEntry], tuple[str, ...]]:
    if not path.is_file():
        raise DataFileError("the region registry was not found", path=path, expected="a TOML file")
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise DataFileError(f"not valid TOML ({exc})", path=path) from None

    def bad(field: str, message: str, expected: str | None = None) -> DataFileError:
        return DataFileError(message, path=path, field=field, expected=expected)

    table = data.get("regions")
    if not isinstance(table, dict):
        raise bad("regions", "missing", "a [regions.<id>] table per region")
    entries: dict[str, _RegistryEntry] = {}
    for rid, raw in table.items():
        where = f"regions.{rid}"
        if not isinstance(raw, dict):
            raise bad(where, "is not a table")
        kind = raw.get("kind")
        if kind not in KINDS:
            raise bad(f"{where}.kind", f"is {kind!r}", " | ".join(KINDS))
        names = {}
        for lang in ("en", "ru"):
            name = raw.get(f"name_{lang}")
            if not isinstance(name, str) or not name.strip():
                raise bad(f"{where}.name_{lang}", "is missing or empty", "a non-empty string")
            names[lang] = name
        plain: dict[str, dict[str, str]] = {"plain": {}, "plain_where": {}}
        for key, texts in plain.items():  # optional: everyday words for the patient
            for lang in ("en", "ru"):
                text = raw.get(f"{key}_{lang}")
                if text is None:
                    continue
                if not isinstance(text, str) or not text.strip():
                    raise bad(f"{where}.{key}_{lang}", "is empty", "a non-empty string")
                texts[lang] = text.strip()
        side = raw.get("side")
        if side is not None and side not in SIDES:
            raise bad(f"{where}.side", f"is {side!r}", "left | right")
        parent = raw.get("parent")
        if kind == "half":
            if side is None:
                raise bad(f"{where}.side", "is missing", "left | right for a half")
            if not isinstance(parent, str):
                raise bad(f"{where}.parent", "is missing", "the zone id this half belongs to")
        elif parent is not None:
            raise bad(f"{where}.parent", "is set on a region that is not a half")
        entries[rid] = _RegistryEntry(
            rid, kind, MappingProxyType(names), side, parent,
            MappingProxyType(plain["plain"]), MappingProxyType(plain["plain_where"]),
        )

    for rid, entry in entries.items():
        if entry.parent is not None and (
            entry.parent not in entries or entries[entry.parent].kind != "zone"
        ):
            raise bad(f"regions.{rid}.parent", f"is {entry.parent!r}", "a region of kind 'zone'")
    for rid in (*REQUIRED_REGIONS, *ZONES):
        if rid not in entries:
            raise bad(f"regions.{rid}", "is missing", "every region id of the back")
    for zone in ZONES:
        halves = {e.id for e in entries.values() if e.parent == zone}
        if halves != {f"{zone}-left", f"{zone}-right"}:
            raise bad(
                f"regions.{zone}", f"has halves {sorted(halves)}", f"{zone}-left and {zone}-right"
            )

    landmarks = data.get("landmarks", {})
    order = landmarks.get("order") if isinstance(landmarks, dict) else None
    if not isinstance(order, list) or not all(isinstance(n, str) for n in order):
        raise bad("landmarks.order", "is missing", "a list of landmark ids, top to bottom")
    missing = [n for n in LANDMARK_ORDER if n not in order]
    if missing:
        raise bad("landmarks.order", f"lacks {', '.join(missing)}", ", ".join(LANDMARK_ORDER))
    if len(set(order)) != len(order):
        raise bad("landmarks.order", "repeats an id")
    return entries, tuple(order)
