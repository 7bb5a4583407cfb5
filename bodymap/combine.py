"""Several conditions in one plan (bodymap's own rule; the source treats them one at a time).

The lead condition gives the session's structure (its steps), its length and the course. Every
further condition adds its emphasis zones to the lead's emphasis steps, within the time the
lead gives them, and all its restrictions: its limits, its needs (a hernia's level, a
scoliosis' shape), its cautions and evidence. Restrictions combine to the strictest: a cap is
the lowest of all, a no-touch area the union. Pure.
"""

from __future__ import annotations

from typing import Any

from bodymap.i18n import LANGUAGES, tr
from bodymap.plan_steps import zones_label
from bodymap.plan_types import Cap, Combined, Profile
from bodymap.protocol_files import check_condition_list
from bodymap.safeguards import hernia_zone, text_of, zone_union
from bodymap.schema import EMPHASIS_TOKEN, ZONES, Condition, StepSpec
from bodymap.screening import Reason


def conditions_of(profile: Profile, library: Any) -> tuple[Condition, ...]:
    """The profile's conditions, lead first; unknown or repeated ids are a UsageError."""
    check_condition_list(profile.conditions)
    return tuple(library.condition(cid) for cid in profile.conditions)


def own_emphasis(cond: Condition, profile: Profile, geometry: Any) -> tuple[str, ...]:
    """A condition's emphasis zones for this patient (a hernia: the zone at its level)."""
    if cond.needs == "hernia" and profile.hernias:
        zones = [hernia_zone(geometry, h.level) for h in profile.hernias]
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


def limit_caps(conds: tuple[Condition, ...]) -> tuple[Cap, ...]:
    """Every condition's own limits as caps (they hold whether it leads or not)."""
    from shapely import Polygon

    out = []
    for cond in conds:
        for i, lim in enumerate(cond.limit, start=1):
            techs = lim.techniques if isinstance(lim.techniques, str) else tuple(lim.techniques)
            out.append(Cap(f"{cond.id}-limit-{i}", tuple(lim.zones), Polygon(), techs,
                           lim.max_intensity, lim.deep, True, text_of(lim.text)))
    return tuple(out)


def with_areas(caps: tuple[Cap, ...], geometry: Any) -> tuple[Cap, ...]:
    """Zone-wide caps with their area filled in (for the map and the property tests)."""
    from dataclasses import replace

    return tuple(
        replace(c, area=zone_union(geometry, c.zones))
        if c.by_zone and c.area.is_empty else c
        for c in caps
    )


def describe(conds: tuple[Condition, ...], added: list[tuple[str, ...]], phase: str,
             geometry: Any) -> tuple[tuple[Combined, ...], tuple[Reason, ...]]:
    """What each condition contributed, in both languages; empty for a single condition."""
    if len(conds) < 2:
        return (), ()
    lead = conds[0]
    emphasis_steps = any(EMPHASIS_TOKEN in s.zones for s in lead.steps_in(phase))
    out = [Combined(lead.id, "lead", added[0], {
        lang: tr("plan.combined.lead", lang, name=getattr(lead.name, lang)) + " "
        + tr("plan.combined.rule", lang) for lang in LANGUAGES})]
    for cond, new in zip(conds[1:], added[1:], strict=True):
        text = {}
        for lang in LANGUAGES:
            name = getattr(cond.name, lang)
            if not new:
                parts = [tr("plan.combined.no_emphasis", lang, name=name)]
            else:
                key = "emphasis" if emphasis_steps else "emphasis_no_steps"
                parts = [tr(f"plan.combined.{key}", lang, name=name,
                            zones=zones_label(geometry, new, lang))]
            items = [getattr(lim.text, lang) for lim in cond.limit]
            if cond.needs:
                items.append(tr(f"plan.combined.needs_{cond.needs}", lang))
            if items:
                parts.append(tr("plan.combined.restrictions", lang, items="; ".join(items)))
            if cond.caution or cond.evidence:
                parts.append(tr("plan.combined.cautions", lang))
            text[lang] = " ".join(parts)
        out.append(Combined(cond.id, "further", new, text))
    reasons = tuple(Reason(f"combined-{c.condition}", "note", c.text) for c in out)
    return tuple(out), reasons


def with_further_emphasis(specs: list[StepSpec], added: list[tuple[str, ...]]) -> list[StepSpec]:
    """The lead's steps; when they have no emphasis step, the zones the further conditions add
    get a short light stroking before the closing stroking (its share comes out of the other
    steps: the session keeps the lead's length)."""
    extra = [z for zones in added[1:] for z in zones]
    if not extra or any(EMPHASIS_TOKEN in s.zones for s in specs):
        return specs
    stroke = StepSpec(technique="stroking", variant="light-stroking", zones=extra,
                      direction="spine-to-sides", minutes=2, intensity=1)
    return [*specs[:-1], stroke, specs[-1]]
