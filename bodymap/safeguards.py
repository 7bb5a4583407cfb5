"""Safeguards that belong to the patient: rules that protect a body area in every plan.

The rules are data (``protocols/safeguards.toml``, :class:`bodymap.schema.Safeguard`); this
module turns those that hold for a profile into concrete restrictions over the back's
geometry: :class:`~bodymap.plan_types.NoTouch` areas and intensity :class:`~bodymap.plan_types.Cap`
s, plus the cautions they bring. Which condition leads the plan does not matter: a hernia
finding brings the hernia rules, a scoliosis finding the scoliosis rules, and the neck, the
kidneys and the thoracic spine are protected always. Pure and deterministic.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from shapely import MultiPolygon, Polygon, box
from shapely.ops import unary_union

from bodymap.plan_types import Cap, NoTouch, Profile
from bodymap.safeguard_schema import Safeguard
from bodymap.schema import HALVES, ZONES

MIDLINE_X = 300.0
#: half the width of the thoracic-spine band (the spine and the strip just beside it), in map
#: units: about 3 cm each side of the midline
THORACIC_BAND_HALF_WIDTH = 30.0


def holds(rule: Safeguard, profile: Profile) -> bool:
    """Whether ``rule`` applies to the patient."""
    if rule.when == "always":
        return True
    if rule.when == "hernia":
        return bool(profile.hernias)
    if rule.when == "scoliosis":
        return bool(profile.curves)
    if rule.when == "scoliosis-grade-3":
        return (profile.max_grade or 0) >= 3
    return False


def hernia_zone(geometry: Any, level: str) -> str | None:
    """The zone (whole) at a disc level: where a hernia there lies."""
    y = geometry.level_y(level)
    for dx in (40.0, 60.0, 25.0, 80.0):
        half = geometry.zone_at(MIDLINE_X - dx, y) or geometry.zone_at(MIDLINE_X + dx, y)
        if half:
            region = geometry.regions.get(half)
            parent = getattr(region, "parent", None) or half.rsplit("-", 1)[0]
            if parent in ZONES:
                return parent
    return None


def thoracic_spine(geometry: Any) -> Polygon:
    """The band beside the spine from T1 to T12 (Part 2: no vibration there)."""
    top = geometry.level_y("C7-T1")
    bottom = geometry.level_y("T12-L1")
    w = THORACIC_BAND_HALF_WIDTH
    return box(MIDLINE_X - w, top, MIDLINE_X + w, bottom)


def halves_of(zones: Iterable[str]) -> tuple[str, ...]:
    out: list[str] = []
    for z in zones:
        out.extend((f"{z}-left", f"{z}-right") if z in ZONES else (z,))
    return tuple(dict.fromkeys(out))


def _zones_of(name: str, profile: Profile, geometry: Any) -> tuple[str, ...]:
    if name == "back":
        return ZONES
    if name == "hernia-zone":
        found = {hernia_zone(geometry, h.level) for h in profile.hernias}
        return tuple(z for z in ZONES if z in found)
    if name == "concave-side":
        return tuple(f"{z}-{c.concave}" for c in profile.curves for z in c.zones)
    return (name,) if name in ZONES or name in HALVES else ()


def _where(rule: Safeguard, profile: Profile, geometry: Any) -> tuple[tuple[str, ...], Any, bool]:
    """(zone ids, area, by_zone) of a rule's ``where``."""
    zones: list[str] = []
    areas: list[Polygon | MultiPolygon] = []
    by_zone = True
    for name in rule.where:
        if name == "kidneys":
            areas.append(geometry.kidney_area())
            zones += ["kidney-left", "kidney-right"]
            by_zone = False
        elif name == "thoracic-spine":
            areas.append(_band(geometry))
            by_zone = False
        else:
            found = _zones_of(name, profile, geometry)
            zones += found
            if found:
                areas.append(zone_union(geometry, found))
    area = (areas[0] if len(areas) == 1 else unary_union(areas)) if areas else Polygon()
    return tuple(dict.fromkeys(zones)), area, by_zone


_BANDS: dict[int, tuple[Any, Polygon]] = {}
_UNIONS: dict[tuple[int, tuple[str, ...]], tuple[Any, Any]] = {}


def zone_union(geometry: Any, zones: Iterable[str]) -> Any:
    """The union of zone polygons, cached per geometry (re-planning stays fast)."""
    key = (id(geometry), tuple(zones))
    cached = _UNIONS.get(key)
    if cached is not None and cached[0] is geometry:
        return cached[1]
    if len(_UNIONS) > 512:
        _UNIONS.clear()
    area = unary_union([geometry.polygon(z) for z in key[1]])
    _UNIONS[key] = (geometry, area)
    return area


def _band(geometry: Any) -> Polygon:
    cached = _BANDS.get(id(geometry))
    if cached is not None and cached[0] is geometry:
        return cached[1]
    band = thoracic_spine(geometry)
    _BANDS[id(geometry)] = (geometry, band)
    return band


def _techs(t: Any) -> str | tuple[str, ...]:
    return t if isinstance(t, str) else tuple(t)


def text_of(t: Any) -> dict[str, str]:
    return {"en": t.en, "ru": t.ru}


def resolve(
    rules: Mapping[str, Safeguard], profile: Profile, geometry: Any
) -> tuple[tuple[NoTouch, ...], tuple[Cap, ...], tuple[Safeguard, ...]]:
    """The no-touch areas, caps and rules (for their cautions) that hold for ``profile``."""
    no_touch: list[NoTouch] = []
    caps: list[Cap] = []
    applied: list[Safeguard] = []
    for rule in rules.values():
        if not holds(rule, profile):
            continue
        applied.append(rule)
        if not rule.where:
            continue
        zones, area, by_zone = _where(rule, profile, geometry)
        if area.is_empty:
            continue
        if rule.no_touch:
            no_touch.append(NoTouch(rule.id, zones, area, _techs(rule.techniques),
                                    text_of(rule.name)))
        elif rule.max_intensity is not None or not rule.deep:
            caps.append(Cap(rule.id, zones, area, _techs(rule.techniques),
                            rule.max_intensity or 5, rule.deep, by_zone, text_of(rule.name)))
    return tuple(no_touch), tuple(caps), tuple(applied)


def zone_cap(
    caps: Iterable[Cap], technique: str, half: str
) -> tuple[int, bool]:
    """The strictest (max intensity, deep allowed) that zone-wide caps give ``half``."""
    top, deep = 5, True
    for cap in caps:
        if cap.by_zone and cap.applies_to(technique) and half in halves_of(cap.zones):
            top = min(top, cap.max_intensity)
            deep = deep and cap.deep
    return top, deep
