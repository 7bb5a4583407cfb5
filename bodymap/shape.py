"""The session's shape (pure): the fourth arrow of the pipeline
``profile -> screening -> restrictions -> shape -> clip -> texts -> Plan``.

The lead condition alone gives the shape: which steps, in what order, with what share of the
session each, and where the emphasis lies (its own emphasis zones first; a further condition's
emphasis zones join the lead's emphasis steps, within their time, or get a short light stroking
when the lead has none). Nothing here limits the hands: :mod:`bodymap.clip` lays the shape
under the patient's restrictions.

What the plan promises must be in the shape whoever leads: with a scoliosis finding, each
curve's concave side relaxed and its convex side strengthened (:class:`~bodymap.restrictions.
Must`). When the lead's steps do not do it, the steps of the condition that needs a scoliosis
(its sided steps of this phase) are put in before the closing stroking, and share the session.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from bodymap.findings import Scoliosis, curve_of_zone
from bodymap.plan_types import Profile
from bodymap.restrictions import Must
from bodymap.safeguards import halves_of, hernia_zone
from bodymap.schema import EMPHASIS_TOKEN, Condition, Source, StepSpec
from bodymap.vocabulary import HALVES, ZONES

__all__ = ["ShapeStep", "emphasis_of", "session_shape"]


@dataclass(frozen=True)
class ShapeStep:
    """One step of the shape: what the lead's file (or a must) asks, over half-zones."""

    technique: str
    variant: str | None
    halves: tuple[str, ...]
    direction: str
    #: its share of the session (the file's minutes at a full-length session)
    weight: float
    #: the most this step ever gets (the file's intensity)
    intensity: int
    role: str | None
    sources: tuple[Source, ...] = ()


def own_emphasis(cond: Condition, profile: Profile, geometry: Any) -> tuple[str, ...]:
    """A condition's emphasis zones for this patient (a hernia: the zones of its levels)."""
    if cond.needs == "hernia" and profile.hernias:
        zones = {hernia_zone(geometry, h.level) for h in profile.hernias}
        found = tuple(z for z in ZONES if z in zones)
        if found:
            return found
    return tuple(cond.emphasis)


def emphasis_of(conds: tuple[Condition, ...], profile: Profile,
                geometry: Any) -> tuple[tuple[str, ...], list[tuple[str, ...]]]:
    """(the plan's emphasis zones, what each condition added), lead first."""
    zones: list[str] = []
    added: list[tuple[str, ...]] = []
    for cond in conds:
        new = tuple(z for z in own_emphasis(cond, profile, geometry) if z not in zones)
        zones.extend(new)
        added.append(new)
    return tuple(z for z in ZONES if z in zones), added


def _with_further_emphasis(specs: list[StepSpec],
                           added: list[tuple[str, ...]]) -> list[StepSpec]:
    """When the lead has no emphasis step, the zones further conditions add get a short light
    stroking before the closing stroking (its share comes out of the session's)."""
    extra = [z for zones in added[1:] for z in zones]
    if not extra or any(EMPHASIS_TOKEN in s.zones for s in specs):
        return specs
    stroke = StepSpec(technique="stroking", variant="light-stroking", zones=extra,
                      direction="spine-to-sides", minutes=2, intensity=1)
    return [*specs[:-1], stroke, specs[-1]]


def _with_musts(specs: list[StepSpec], musts: Iterable[Must], phase: str,
                sided: Condition | None) -> list[StepSpec]:
    """The lead's steps, and the scoliosis' sided steps when the lead's do not relax and
    strengthen what the plan says it does."""
    roles = {m.role for m in musts}
    if not roles or sided is None:
        return specs
    have = {s.role for s in specs if s.side != "both"}
    if roles <= have:
        return specs
    extra = [s for s in sided.steps_in(phase) if s.side != "both"]
    return [*specs[:-1], *extra, specs[-1]] if extra else specs


def _halves(spec: StepSpec, emphasis: tuple[str, ...],
            curves: tuple[Scoliosis, ...]) -> tuple[str, ...]:
    """A step's half-zones: the emphasis token expanded; a sided step (concave or convex)
    keeps, of each zone a curve covers, the half on that side of that curve."""
    zones: list[str] = []
    for z in spec.zones:
        zones.extend(emphasis if z == EMPHASIS_TOKEN else (z,))
    halves = halves_of(zones)
    if spec.side != "both":
        kept = []
        for half in halves:
            zone, _, side = half.rpartition("-")
            curve = curve_of_zone(curves, zone)
            if curve is not None and side == (curve.convex if spec.side == "convex"
                                              else curve.concave):
                kept.append(half)
        halves = tuple(kept)
    return tuple(h for h in HALVES if h in halves)


def session_shape(lead: Condition, phase: str, emphasis: tuple[str, ...],
                  added: list[tuple[str, ...]], profile: Profile, musts: Iterable[Must],
                  sided: Condition | None) -> list[ShapeStep]:
    """The lead's steps for ``phase``, with the further emphasis and the musts. A step left
    with no half-zone (a sided step where no curve lies) stays in the shape: its share of the
    session is freed for stroking, not given to the other steps."""
    specs = _with_musts(_with_further_emphasis(lead.steps_in(phase), added), musts, phase,
                        sided)
    return [ShapeStep(spec.technique, spec.variant, _halves(spec, emphasis, profile.curves),
                      spec.direction, spec.minutes, spec.intensity, spec.role,
                      tuple(spec.sources))
            for spec in specs]
