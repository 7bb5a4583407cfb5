"""The plan's words (pure): the sixth arrow of the pipeline
``profile -> screening -> restrictions -> shape -> clip -> texts -> Plan``.

Every sentence is written from the clipped plan, never from the unclipped shape: a step's
caption names its own zones and intensity; the scoliosis note says the convex side is
strengthened only when a step does it; what each condition contributed names the restrictions
that actually hold (its limits, its course's length and intensity at this session, what its
findings need). Captions and zone labels are here too (:func:`caption`, :func:`zones_label`).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from bodymap.findings import grade_roman, level_name
from bodymap.i18n import LANGUAGES, tr
from bodymap.plan_types import Cited, Combined, Profile, Step
from bodymap.safeguards import halves_of, text_of
from bodymap.schema import EMPHASIS_TOKEN, Condition
from bodymap.screening import Reason
from bodymap.vocabulary import ZONES, zone_name

__all__ = ["caption", "combined_of", "curve_reasons", "hernia_reasons", "left_out_reason",
           "notes_of", "sources_of", "zones_label"]


def zones_label(geometry: Any, zones: tuple[str, ...] | list[str], lang: str) -> str:
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
            intensity: int, role: str | None, geometry: Any) -> dict[str, str]:
    """``Circular rubbing: Lumbosacral zone; from the spine out to the sides; light.``"""
    out = {}
    for lang in LANGUAGES:
        name = getattr(variant.name if variant else tech.name, lang)
        where = zones_label(geometry, zones, lang)
        how = getattr(direction.name, lang)
        extra = f"; {tr(f'plan.role.{role}', lang)}" if role else ""
        out[lang] = f"{name}: {where}; {how}; {tr(f'plan.intensity.{intensity}', lang)}{extra}."
    return out


def _all(key: str, **fields: object) -> dict[str, str]:
    return {lang: tr(key, lang, **fields) for lang in LANGUAGES}


# ---------------------------------------------------------------------------------------------
# reasons written from the clipped plan


def left_out_reason(library: Any, geometry: Any, technique: str, variant: str | None,
                    zones: tuple[str, ...]) -> Reason:
    """A step the no-touch areas leave no room for: the plan says it is left out, and why."""
    tech = library.techniques[technique]
    name = tech.variant(variant).name if variant else tech.name
    text = {lang: tr("plan.reason.step_left_out", lang, step=getattr(name, lang),
                     zones=zones_label(geometry, zones, lang)) for lang in LANGUAGES}
    return Reason(f"left-out-{variant or technique}", "exclude", text)


def hernia_reasons(profile: Profile) -> list[Reason]:
    from bodymap.restrict import hernia_site_id

    return [Reason(hernia_site_id(h), "exclude", {
        lang: tr("plan.reason.hernia_site", lang, level=level_name(h.level, lang),
                 side=tr(f"plan.side.{h.side}", lang)) for lang in LANGUAGES})
        for h in profile.hernias]


def curve_reasons(profile: Profile, steps: Sequence[Step], status: str) -> list[Reason]:
    """Each curve: what is done on each side, as the steps of this plan do it."""
    out = []
    for c in profile.curves:
        if c.grade is None or c.grade >= 4:
            continue
        convex = {f"{z}-{c.convex}" for z in c.zones}
        toned = any(s.role == "strengthen" and set(halves_of(s.zones)) & convex for s in steps)
        whole = c.region == "whole"
        key = "plan.reason.scoliosis" if whole else "gates.scoliosis_curve"
        if status == "ok" and not toned:
            key = "gates.scoliosis_not_toned"
        out.append(Reason("scoliosis" if whole else f"scoliosis-{c.region}", "note", {
            lang: tr(key, lang, grade=grade_roman(c.grade),
                     convex=tr(f"plan.side_adj.{c.convex}", lang),
                     concave=tr(f"plan.side_adj.{c.concave}", lang),
                     kind=tr(f"plan.scoliosis_kind.{c.convex}", lang),
                     region=tr(f"gates.region.{c.region}", lang))
            for lang in LANGUAGES}))
    return out


def combined_of(conds: tuple[Condition, ...], rconds: tuple[Condition, ...],
                added: list[tuple[str, ...]], phase: str, geometry: Any,
                course_of: Any) -> tuple[tuple[Combined, ...], tuple[Reason, ...]]:
    """What each condition contributed, in both languages: the lead (its emphasis and shape),
    each further condition and each condition a finding brings (their restrictions). Empty
    for a single condition that no finding joins. ``course_of(cond)``: (minutes, intensity)
    of its course at this session."""
    if len(rconds) < 2:
        return (), ()
    lead = conds[0]
    emphasis_steps = any(EMPHASIS_TOKEN in s.zones for s in lead.steps_in(phase))
    out = [Combined(lead.id, "lead", added[0], {
        lang: tr("plan.combined.lead", lang, name=getattr(lead.name, lang)) + " "
        + tr("plan.combined.rule", lang) for lang in LANGUAGES})]
    further = list(zip(conds[1:], added[1:], strict=True))
    further += [(c, ()) for c in rconds[len(conds):]]
    for i, (cond, new) in enumerate(further):
        role = "further" if i < len(conds) - 1 else "finding"
        text = {lang: _further_text(cond, new, role, emphasis_steps, geometry, course_of(cond),
                                    lang) for lang in LANGUAGES}
        out.append(Combined(cond.id, role, tuple(new), text))
    reasons = tuple(Reason(f"combined-{c.condition}", "note", c.text) for c in out)
    return tuple(out), reasons


def _further_text(cond: Condition, new: Iterable[str], role: str, emphasis_steps: bool,
                  geometry: Any, course: tuple[float, float], lang: str) -> str:
    name = getattr(cond.name, lang)
    new = tuple(new)
    if role == "finding":
        parts = [tr("plan.combined.from_finding", lang, name=name)]
    elif not new:
        parts = [tr("plan.combined.no_emphasis", lang, name=name)]
    else:
        key = "emphasis" if emphasis_steps else "emphasis_no_steps"
        parts = [tr(f"plan.combined.{key}", lang, name=name,
                    zones=zones_label(geometry, new, lang))]
    minutes, intensity = course
    items = [tr("plan.combined.course", lang, minutes=minutes,
                intensity=tr(f"plan.intensity.{max(1, round(intensity))}", lang))]
    items += [getattr(lim.text, lang) for lim in cond.limit]
    if cond.needs:
        items.append(tr(f"plan.combined.needs_{cond.needs}", lang))
    parts.append(tr("plan.combined.restrictions", lang, items="; ".join(items)))
    if cond.caution or cond.evidence:
        parts.append(tr("plan.combined.cautions", lang))
    return " ".join(parts)


# ---------------------------------------------------------------------------------------------
# notes and sources


def _cited(c: Any) -> Cited:
    editorial = getattr(c, "editorial", None)
    return Cited(text_of(c.text), c.cites(), c.audience, c.cites("ru"),
                 tuple(getattr(c, "regions", ())), text_of(editorial) if editorial else {})


def notes_of(library: Any, conds: Iterable[Condition], guards: Iterable[Any]
             ) -> tuple[tuple[Cited, ...], tuple[Cited, ...], tuple[Cited, ...]]:
    """Cautions (library, safeguards, conditions), evidence and work beyond the map, each text
    once."""
    cautions: list[Any] = [*library.cautions, *guards]
    evidence: list[Any] = []
    beyond: list[Any] = []
    for cond in conds:
        cautions += cond.caution
        evidence += cond.evidence
        beyond += cond.beyond_map
    evidence += library.evidence

    def unique(items: list[Any]) -> tuple[Cited, ...]:
        seen: dict[str, Cited] = {}
        for c in items:
            seen.setdefault(c.text.en, _cited(c))
        return tuple(seen.values())

    return unique(cautions), unique(evidence), unique(beyond)


def sources_of(lead: Condition, conds: Iterable[Condition], phase: str,
               guards: Iterable[Any]) -> list[Any]:
    """Every source the plan rests on: the lead's course and steps, each condition's own,
    its notes' and limits', the safeguards'."""
    sources: list[Any] = [*lead.course.sources]
    for cond in conds:
        sources += cond.sources
        for spec in (lead.steps_in(phase) if cond is lead else ()):
            sources += spec.sources
        cited: list[Any] = [*cond.caution, *cond.evidence, *cond.beyond_map, *cond.limit]
        for c in cited:
            sources += c.sources
    for g in guards:
        sources += g.sources
    return sources
