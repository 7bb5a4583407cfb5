"""The session's steps: a condition's step specs, laid over the patient's back.

Part of :mod:`bodymap.planner` (pure). For each step of the phase: its zones (emphasis,
scoliosis side, lesions left out), its intensity (the step's own, the session's, every cap),
deep variants switched to their light form where a cap forbids deep work, a step split where
a zone-wide cap covers only part of it, the area it works (its zones minus every no-touch area
that applies, minus capped areas it is too strong for) and its minutes (shares of the
session's length, rounded to half minutes without ever running past the session's length).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Protocol

from shapely import MultiPolygon, Polygon
from shapely.ops import unary_union

from bodymap.findings import curve_of_zone
from bodymap.i18n import LANGUAGES, tr
from bodymap.plan_types import Cap, CourseSession, NoTouch, Profile, Scoliosis, Step
from bodymap.safeguards import halves_of, zone_cap
from bodymap.schema import EMPHASIS_TOKEN, HALVES, ZONES, StepSpec
from bodymap.vocabulary import zone_name

#: a deep variant below this intensity is a contradiction ("Deep kneading ... light"): it
#: switches to its light form
DEEP_MIN_INTENSITY = 3


class Geometry(Protocol):  # the part of bodymap.geometry.BackGeometry the planner uses
    regions: Mapping[str, Any]
    landmarks: Mapping[str, tuple[float, float]]

    def polygon(self, region_id: str) -> Polygon: ...
    def spine_strip(self, margin: float = 0.0) -> Polygon: ...
    def kidney_area(self) -> MultiPolygon: ...
    def level_y(self, level: str) -> float: ...
    def zone_at(self, x: float, y: float) -> str | None: ...
    def hernia_site(self, level: str, side: str = "central") -> Polygon: ...


def half_round(x: float) -> float:
    return max(0.5, round(x * 2) / 2)


# ---------------------------------------------------------------------------------------------
# zones


def _side_half(zone: str, side: str) -> str:
    return zone if zone in HALVES else f"{zone}-{side}"


def expand_zones(
    spec: StepSpec, emphasis: tuple[str, ...], curves: tuple[Scoliosis, ...]
) -> list[str]:
    """A step's zones: the emphasis token expanded; a scoliosis step (``side`` concave or
    convex) keeps, of each zone a curve covers, the half on that side of that curve."""
    zones: list[str] = []
    for z in spec.zones:
        zones.extend(emphasis if z == EMPHASIS_TOKEN else (z,))
    if spec.side != "both":
        sided: list[str] = []
        for z in zones:
            curve = curve_of_zone(curves, z.rsplit("-", 1)[0] if z in HALVES else z)
            if curve is None:
                continue
            side = curve.convex if spec.side == "convex" else curve.concave
            if z in ZONES or z.endswith("-" + side):
                sided.append(_side_half(z, side))
        zones = sided
    return list(dict.fromkeys(zones))


def without_lesions(zones: list[str], lesions: frozenset[str]) -> list[str]:
    out: list[str] = []
    for z in zones:
        parent = z.rsplit("-", 1)[0] if z in HALVES else z
        if z in lesions or parent in lesions:
            continue
        if z in ZONES:
            left, right = f"{z}-left", f"{z}-right"
            if left in lesions and right in lesions:
                continue
            if left in lesions or right in lesions:
                out.append(right if left in lesions else left)
                continue
        out.append(z)
    return list(dict.fromkeys(out))


def _compose(halves: list[str]) -> tuple[str, ...]:
    """Halves back into zone ids: both halves of a zone make the whole zone."""
    out: list[str] = []
    for z in ZONES:
        left, right = f"{z}-left" in halves, f"{z}-right" in halves
        if left and right:
            out.append(z)
        elif left or right:
            out.append(f"{z}-left" if left else f"{z}-right")
    return tuple(out)


# ---------------------------------------------------------------------------------------------
# captions


def zones_label(geometry: Geometry, zones: tuple[str, ...] | list[str], lang: str) -> str:
    """Zone names for captions and tables, short: "Whole back", "Whole back, left half",
    "Collar zone, Thoracic zone (right half)"; otherwise each zone's name."""
    parents: dict[str, set[str]] = {}
    for z in zones:
        parent, _, side = z.rpartition("-")
        if parent in ZONES and side in ("left", "right"):
            parents.setdefault(parent, set()).add(side)
        elif z in ZONES:
            parents.setdefault(z, set()).update(("left", "right"))
        else:
            return ", ".join(zone_name(geometry, x, lang) for x in zones)
    sides = {frozenset(s) for s in parents.values()}
    if len(sides) != 1:
        return ", ".join(zone_name(geometry, x, lang) for x in zones)
    (side_set,) = sides
    whole = set(parents) == set(ZONES)
    names = ", ".join(zone_name(geometry, p, lang) for p in ZONES if p in parents)
    if len(side_set) == 2:
        return tr("plan.whole_back", lang) if whole else names
    (side,) = side_set
    half = tr(f"plan.half.{side}", lang)
    if whole:
        return f"{tr('plan.whole_back', lang)}, {half}"
    return f"{names} ({half})"


def caption(tech: Any, variant: Any, direction: Any, zones: tuple[str, ...],
            intensity: int, role: str | None, geometry: Geometry) -> dict[str, str]:
    out = {}
    for lang in LANGUAGES:
        name = getattr(variant.name if variant else tech.name, lang)
        where = zones_label(geometry, zones, lang)
        how = getattr(direction.name, lang)
        extra = f"; {tr(f'plan.role.{role}', lang)}" if role else ""
        out[lang] = f"{name}: {where}; {how}; {tr(f'plan.intensity.{intensity}', lang)}{extra}."
    return out


# ---------------------------------------------------------------------------------------------
# steps


def _groups(zones: list[str], technique: str, variant: str | None, base: int,
            caps: tuple[Cap, ...], tech: Any) -> list[tuple[list[str], int, bool]]:
    """The step's halves grouped by what the zone-wide caps leave them:
    (halves, intensity, switch to the light form), the strongest group first."""
    deep = tech.is_deep(variant)
    groups: dict[tuple[int, bool], list[str]] = {}
    for half in halves_of(zones):
        top, deep_ok = zone_cap(caps, technique, half)
        level = min(base, top)
        switch = deep and (not deep_ok or level < DEEP_MIN_INTENSITY)
        groups.setdefault((level, switch), []).append(half)
    order = sorted(groups, key=lambda k: (k[1], -k[0]))
    return [(groups[k], k[0], k[1]) for k in order]


def build_steps(
    specs: list[StepSpec],
    profile: Profile,
    library: Any,
    geometry: Geometry,
    today: CourseSession,
    emphasis: tuple[str, ...],
    no_touch: tuple[NoTouch, ...],
    caps: tuple[Cap, ...],
    left_out: list[Step] | None = None,
) -> tuple[Step, ...]:
    """The session's steps; a step with no room left (:func:`no_room`) goes to ``left_out``."""
    left_out = [] if left_out is None else left_out
    # minutes: the steps' shares scaled to today's session length (before any zone is removed,
    # so that excluding a zone shortens the session instead of lengthening the rest)
    scale = today.minutes / sum(s.minutes for s in specs)
    level = max(1, round(today.intensity))
    context = _context(profile, library)
    out: list[Step] = []
    for spec in specs:
        zones = without_lesions(expand_zones(spec, emphasis, profile.curves), profile.lesions)
        if not zones:
            continue
        tech = library.techniques[spec.technique]
        groups = _groups(zones, spec.technique, spec.variant, min(spec.intensity, level),
                         caps, tech)
        n = sum(len(g[0]) for g in groups)
        for halves, intensity, switch in groups:
            technique, variant = spec.technique, spec.variant
            if switch:
                lighter = tech.lighter_of(spec.variant)
                technique, variant = lighter.technique, lighter.variant
                intensity = min(intensity, lighter.max_intensity or intensity)
                for half in halves:
                    intensity = min(intensity, zone_cap(caps, technique, half)[0])
            step = _step(spec, technique, variant, _compose(halves), intensity,
                         spec.minutes * scale * len(halves) / n, library, geometry,
                         no_touch, caps, context)
            if no_room(step, geometry):
                left_out.append(step)  # its minutes are not given to the other steps
                continue
            if out and "stroking" not in (out[-1].technique, technique) and (
                out[-1].technique != technique
            ):
                # a split or a lighter form put two stages side by side: stroking follows
                # each stage (Part 2)
                out.append(_step(_BETWEEN, "stroking", "light-stroking", out[-1].zones, 1, 0.5,
                                 library, geometry, no_touch, caps, context))
            out.append(step)
    return fit_minutes(out, today.minutes)


#: a step whose allowed area is less than this share of its zones' area has no room to be done
MIN_AREA_SHARE = 0.02


def no_room(step: Step, geometry: Geometry) -> bool:
    """True when the no-touch areas and caps leave a step (almost) nowhere to go: less than
    :data:`MIN_AREA_SHARE` of its zones. Such a step is left out, never drawn on a sliver."""
    whole = cached_area(geometry, (step.zones, "whole"), [])  # the zones, nothing removed
    return step.area.is_empty or step.area.area < MIN_AREA_SHARE * whole.area


#: the stroking the planner puts between two stages that a split brought together
_BETWEEN = StepSpec(technique="stroking", variant="light-stroking", zones=list(ZONES),
                    direction="spine-to-sides", minutes=0.5, intensity=1)


def _context(profile: Profile, library: Any) -> tuple[Any, ...]:
    margins = tuple(sorted((r.id, r.margin) for r in library.no_touch_rules.values()))
    hernias = tuple(h.key for h in profile.hernias)
    return (hernias, margins, tuple(profile.pain_points))


def _step(spec: StepSpec, technique: str, variant: str | None, zones: tuple[str, ...],
          intensity: int, minutes: float, library: Any, geometry: Geometry,
          no_touch: tuple[NoTouch, ...], caps: tuple[Cap, ...], context: Any) -> Step:
    tech = library.techniques[technique]
    intensity = max(1, intensity)
    deep = tech.is_deep(variant)
    applying = tuple(n for n in no_touch if n.applies_to(technique))
    # an area cap (the kidneys) keeps a step that is too strong for it out of the area
    avoided = tuple(c for c in caps if not c.by_zone and c.applies_to(technique)
                    and (intensity > c.max_intensity or (deep and not c.deep)))
    key = (zones, tuple(n.id for n in applying), tuple(c.id for c in avoided), context)
    area = cached_area(geometry, key, [n.area for n in applying] + [c.area for c in avoided])
    direction = library.directions[spec.direction]
    return Step(
        technique=technique,
        variant=variant,
        zones=zones,
        direction=spec.direction,
        minutes=half_round(minutes),
        intensity=intensity,
        role=spec.role,
        area=area,
        text=caption(tech, tech.variant(variant), direction, zones, intensity, spec.role,
                     geometry),
        motion=tech.motion_of(variant),
        percussive=tech.percussive_of(variant),
        deep=tech.is_deep(variant),
    )


def fit_minutes(steps: list[Step], limit: float) -> tuple[Step, ...]:
    """Take half minutes off the longest steps until the session fits its course's length
    (rounding each step to half minutes must never run past it)."""
    minutes = [s.minutes for s in steps]
    while sum(minutes) > limit + 1e-9:
        longest = max(range(len(minutes)), key=lambda i: (minutes[i], -i))
        if minutes[longest] <= 0.5:
            break
        minutes[longest] -= 0.5
    return tuple(
        s if s.minutes == m else _with_minutes(s, m) for s, m in zip(steps, minutes, strict=True)
    )


def _with_minutes(step: Step, minutes: float) -> Step:
    from dataclasses import replace

    return replace(step, minutes=minutes)


# Step areas depend only on the geometry, the zones and the areas taken out of them, so they
# are cached across plans (re-planning on every change stays well under the 30 ms target).
_AREA_CACHE: dict[tuple[int, Any], Polygon | MultiPolygon] = {}
_AREA_CACHE_OWNERS: dict[int, Geometry] = {}
_AREA_CACHE_MAX = 4096


def cached_area(geometry: Geometry, key: Any, remove: list[Any]) -> Polygon | MultiPolygon:
    full_key = (id(geometry), key)
    area = _AREA_CACHE.get(full_key)
    if area is not None and _AREA_CACHE_OWNERS.get(id(geometry)) is geometry:
        return area
    if len(_AREA_CACHE) >= _AREA_CACHE_MAX:
        _AREA_CACHE.clear()
    area = unary_union([geometry.polygon(z) for z in key[0]])
    if remove:
        area = area.difference(unary_union(remove))
    _AREA_CACHE[full_key] = area
    _AREA_CACHE_OWNERS[id(geometry)] = geometry  # keeps id() unique while cached
    return area
