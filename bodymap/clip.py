"""The shape laid under the restrictions (pure): the fifth arrow of the pipeline
``profile -> screening -> restrictions -> shape -> clip -> texts -> Plan``.

For each step of the shape, on each half-zone it works, the restrictions' cell for its
technique (:meth:`~bodymap.restrictions.Restrictions.limit`) decides: excluded there, the
half is left out; otherwise the step's intensity is the lowest of its own, the session's level
and the cell's ceiling, and a deep variant switches to its light form where deep work is not
allowed (or where it would fall below moderate). A step whose halves come out differently is
split; a stroking step follows any two stages that a split brings together (Part 2). Each
step's area is its zones minus every no-touch area for its technique and every area cap (the
kidneys) it is too strong for; a step left with (almost) no room is left out.

Minutes: the shape's shares are scaled to the session's length (the restrictions'
``max_minutes``); a technique family's share of the session is kept within its limit (back
pain: rubbing and kneading stay brief; in a session of at most 15 minutes each technique but
stroking takes about 2-3 minutes, Part 1); time freed by what is left out goes to stroking, never
to the stronger steps; the minutes are rounded to half minutes and add up to exactly the
session's length, so the plan and its course table agree.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from typing import Any, Protocol

from shapely import MultiPolygon, Polygon
from shapely.ops import unary_union

from bodymap.plan_text import caption
from bodymap.plan_types import Cap, NoTouch, Step
from bodymap.restrictions import MAX_INTENSITY, Restrictions
from bodymap.safeguards import halves_of
from bodymap.shape import ShapeStep
from bodymap.vocabulary import ZONES

__all__ = ["DEEP_MIN_INTENSITY", "MIN_AREA_SHARE", "Geometry", "clip", "compose", "reachable"]

#: a deep variant below this intensity is a contradiction ("Deep kneading ... light"): it
#: switches to its light form
DEEP_MIN_INTENSITY = 3
#: a step whose allowed area is less than this share of its zones' area has no room to be done
MIN_AREA_SHARE = 0.02
#: the stroking the planner puts between two stages that a split brought together (minutes)
BETWEEN_MINUTES = 0.5
#: Part 1 ("Methodology"): in a back massage of at most 15 minutes each kind of technique takes
#: about 2-3 minutes; in a session that short no technique but stroking takes more than 3
SHORT_SESSION_MINUTES = 15.0
PER_TECHNIQUE_MINUTES = 3.0


class Geometry(Protocol):  # the part of bodymap.geometry.BackGeometry the planner uses
    regions: Mapping[str, Any]
    landmarks: Mapping[str, tuple[float, float]]

    def polygon(self, region_id: str) -> Polygon: ...
    def spine_strip(self, margin: float = 0.0) -> Polygon: ...
    def kidney_area(self) -> MultiPolygon: ...
    def level_y(self, level: str) -> float: ...
    def zone_at(self, x: float, y: float) -> str | None: ...
    def hernia_site(self, level: str, side: str = "central") -> Polygon: ...


@dataclass(frozen=True)
class _Piece:
    """A step's halves that come out the same: what works them, how firmly, for how long."""

    shape: ShapeStep
    technique: str
    variant: str | None
    halves: tuple[str, ...]
    intensity: int
    minutes: float


def compose(halves: tuple[str, ...] | list[str]) -> tuple[str, ...]:
    """Halves back into zone ids: both halves of a zone make the whole zone."""
    out: list[str] = []
    for z in ZONES:
        left, right = f"{z}-left" in halves, f"{z}-right" in halves
        if left and right:
            out.append(z)
        elif left or right:
            out.append(f"{z}-left" if left else f"{z}-right")
    return tuple(out)


def reachable(shape: Iterable[ShapeStep], r: Restrictions, library: Any) -> int:
    """The strongest intensity any step of ``shape`` can reach under ``r``'s zone limits,
    whatever the session's level (0: none): what a session of this shape can be at most, so
    the course table never promises more than the steps do (a neck capped at moderate)."""
    free = replace(r, max_intensity=float(MAX_INTENSITY))
    return max((p.intensity for step in shape for p in _pieces(step, free, library, 0.0)),
               default=0)


def _pieces(step: ShapeStep, r: Restrictions, library: Any, minutes: float) -> list[_Piece]:
    """``step``'s halves grouped by what the restrictions leave them, the strongest first;
    the minutes of the halves left out are not in any piece."""
    tech = library.techniques[step.technique]
    base = min(step.intensity, r.level)
    groups: dict[tuple[bool, str, str | None, int], list[str]] = {}
    for half in step.halves:
        technique, variant = step.technique, step.variant
        cell = r.limit(half, technique, tech.percussive_of(variant))
        if cell.excluded:
            continue
        level = min(base, cell.max_intensity)
        switch = tech.is_deep(variant) and (not cell.deep or level < DEEP_MIN_INTENSITY)
        if switch:
            lighter = tech.lighter_of(variant)
            technique, variant = lighter.technique, lighter.variant
            light = library.techniques[technique]
            cell = r.limit(half, technique, light.percussive_of(variant))
            if cell.excluded:
                continue
            level = min(level, lighter.max_intensity or level, cell.max_intensity)
        groups.setdefault((switch, technique, variant, max(1, level)), []).append(half)
    share = minutes / len(step.halves) if step.halves else 0.0
    order = sorted(groups, key=lambda k: (k[0], -k[3]))
    return [_Piece(step, k[1], k[2], tuple(groups[k]), k[3], share * len(groups[k]))
            for k in order]


def clip(shape: list[ShapeStep], r: Restrictions, library: Any, geometry: Geometry,
         no_touch: tuple[NoTouch, ...], caps: tuple[Cap, ...], context: Any
         ) -> tuple[tuple[Step, ...], list[Step]]:
    """(the session's steps, the steps left out for want of room), see the module."""
    total = r.max_minutes
    weights = sum(s.weight for s in shape)
    scale = total / weights if weights and math.isfinite(total) else 0.0
    out: list[Step] = []
    left_out: list[Step] = []
    for spec in shape:
        pieces = _pieces(spec, r, library, spec.weight * scale)
        if spec.halves and not pieces:  # excluded wherever it would work: said, not hidden
            whole = _Piece(spec, spec.technique, spec.variant, spec.halves, 1, 0.0)
            left_out.append(replace(_step(whole, library, geometry, (), (), context),
                                    area=Polygon()))
        for piece in pieces:
            step = _step(piece, library, geometry, no_touch, caps, context)
            if no_room(step, geometry):
                left_out.append(step)
                continue
            if out and "stroking" not in (out[-1].technique, step.technique) and (
                out[-1].technique != step.technique
            ):
                out.append(_between(out[-1], library, geometry, no_touch, caps, context))
            out.append(step)
    return _timed(out, r, total), left_out


def _between(before: Step, library: Any, geometry: Geometry, no_touch: tuple[NoTouch, ...],
             caps: tuple[Cap, ...], context: Any) -> Step:
    """Stroking after a stage (Part 2), over the zones of the stage before."""
    spec = ShapeStep("stroking", "light-stroking", (), "spine-to-sides", BETWEEN_MINUTES, 1,
                     None)
    piece = _Piece(spec, "stroking", "light-stroking", halves_of(before.zones), 1,
                   BETWEEN_MINUTES)
    return _step(piece, library, geometry, no_touch, caps, context)


def _step(piece: _Piece, library: Any, geometry: Geometry, no_touch: tuple[NoTouch, ...],
          caps: tuple[Cap, ...], context: Any) -> Step:
    tech = library.techniques[piece.technique]
    zones = compose(piece.halves)
    deep = tech.is_deep(piece.variant)
    applying = tuple(n for n in no_touch if n.applies_to(piece.technique))
    # an area cap (the kidneys) keeps a step that is too strong for it out of the area
    avoided = tuple(c for c in caps if not c.by_zone and c.applies_to(piece.technique)
                    and (piece.intensity > c.max_intensity or (deep and not c.deep)))
    key = (zones, tuple(n.id for n in applying), tuple(c.id for c in avoided), context)
    area = cached_area(geometry, key, [n.area for n in applying] + [c.area for c in avoided])
    role = piece.shape.role
    return Step(
        technique=piece.technique,
        variant=piece.variant,
        zones=zones,
        direction=piece.shape.direction,
        minutes=piece.minutes,
        intensity=piece.intensity,
        role=role,
        area=area,
        text=caption(tech, tech.variant(piece.variant), library.directions[piece.shape.direction],
                     zones, piece.intensity, role, geometry),
        motion=tech.motion_of(piece.variant),
        percussive=tech.percussive_of(piece.variant),
        deep=deep,
    )


def no_room(step: Step, geometry: Geometry) -> bool:
    """True when the no-touch areas and caps leave a step (almost) nowhere to go: less than
    :data:`MIN_AREA_SHARE` of its zones. Such a step is left out, never drawn on a sliver."""
    whole = cached_area(geometry, (step.zones, "whole"), [])  # the zones, nothing removed
    return bool(step.area.is_empty or step.area.area < MIN_AREA_SHARE * whole.area)


# ---------------------------------------------------------------------------------------------
# minutes


def _timed(steps: list[Step], r: Restrictions, total: float) -> tuple[Step, ...]:
    """The steps' minutes: each family within its share (and, in a session of at most 15
    minutes, each technique but stroking within about 3 minutes: Part 1), the rest of the
    session's length to stroking, half minutes that add up to exactly ``total``."""
    if not steps or not math.isfinite(total):
        return tuple(steps)
    minutes = [s.minutes for s in steps]
    limits = [(techs, share * total) for techs, share in r.shares]
    if total <= SHORT_SESSION_MINUTES:
        limits += [((t,), PER_TECHNIQUE_MINUTES) for t in {s.technique for s in steps}
                   if t != "stroking"]
    for techs, most in limits:
        family = [i for i, s in enumerate(steps) if s.technique in techs]
        used = sum(minutes[i] for i in family)
        if used > most:
            for i in family:
                minutes[i] *= most / used
    stroking = [i for i, s in enumerate(steps) if s.technique == "stroking"] or list(
        range(len(steps)))
    spare = total - sum(minutes)
    if spare > 0:  # what was left out goes to stroking, never to the stronger steps
        weight = sum(minutes[i] for i in stroking)
        for i in stroking:
            minutes[i] += spare * (minutes[i] / weight if weight else 1 / len(stroking))
    elif spare < 0:
        minutes = [m * total / sum(minutes) for m in minutes]
    halves = _half_minutes(minutes, total, set(stroking))
    return tuple(s if s.minutes == m else replace(s, minutes=m)
                 for s, m in zip(steps, halves, strict=True))


def _half_minutes(minutes: list[float], total: float, stroking: set[int]) -> list[float]:
    """Half minutes (at least one each) adding up to ``total``: each step's minutes rounded
    down, then the half minutes still to give go to stroking steps (largest remainder first);
    a total too short for every step's half minute takes them off the longest steps."""
    units = round(total * 2)
    floor = [max(1, math.floor(m * 2 + 1e-9)) for m in minutes]
    rest = units - sum(floor)
    order = sorted(range(len(minutes)), key=lambda i: (i not in stroking,
                                                       -(minutes[i] * 2 - floor[i]), i))
    i = 0
    while rest > 0:
        floor[order[i % len(order)]] += 1
        rest -= 1
        i += 1
    while rest < 0 and max(floor) > 1:
        longest = max(range(len(floor)), key=lambda j: (floor[j], -j))
        floor[longest] -= 1
        rest += 1
    return [u / 2 for u in floor]


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
