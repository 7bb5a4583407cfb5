"""What the plan must know, and who must clear it, before any step is planned (pure).

The second arrow of the pipeline (profile -> screening -> restrictions -> shape -> clip ->
texts): besides the screening checklist (:mod:`bodymap.screening`), the patient's findings and
conditions open *gates*. A gate that is not passed blocks the plan with a reason that says
what is missing; nothing is assumed:

* a condition that needs a finding waits for it: a hernia's level, a scoliosis' convex side;
* every hernia's stage and every curve's grade must be given (Part 1, "Indications and general
  rules": only the initial stages of disc hernias and of scoliosis are indications);
* a hernia beyond its initial stage, a grade III curve (a doctor's plan) and a condition that
  needs it (a traumatic spine injury, recovery after a stroke) wait for a doctor's clearance;
  so do the screening's clearance questions (osteoporosis, recent spinal surgery, a recent
  fracture: :func:`bodymap.screening.screen`);
* grade IV rules massage out (the screening's ``scoliosis-grade-4``, added from the finding).

:func:`clearances_needed` lists the clearances a profile calls for (the window shows them as
questions; the command line takes ``--cleared ID``).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from bodymap.findings import grade_roman, level_name
from bodymap.i18n import LANGUAGES, tr
from bodymap.plan_types import Profile
from bodymap.screening import Reason, clearance_texts

#: clearance ids that findings open (conditions and clearance questions bring their own ids)
HERNIA_ADVANCED = "hernia-advanced"
SCOLIOSIS_GRADE_3 = "scoliosis-grade-3"
FINDING_CLEARANCES: tuple[str, ...] = (HERNIA_ADVANCED, SCOLIOSIS_GRADE_3)


@dataclass(frozen=True)
class Clearance:
    """A doctor's clearance the plan waits for: its id and the question, in every language."""

    id: str
    question: Mapping[str, str]


def _texts(key: str, **fields: object) -> dict[str, str]:
    return {lang: tr(key, lang, **fields) for lang in LANGUAGES}


def _named(key: str, cond: Any, **fields: object) -> dict[str, str]:
    return {lang: tr(key, lang, name=getattr(cond.name, lang), **fields) for lang in LANGUAGES}


def findings_present(profile: Profile) -> frozenset[str]:
    """Screening answers the findings give: a grade IV curve is ``scoliosis-grade-4``."""
    return frozenset({"scoliosis-grade-4"}) if profile.max_grade == 4 else frozenset()


def clearances_needed(profile: Profile, library: Any) -> tuple[Clearance, ...]:
    """Every doctor's clearance this profile calls for, in a stable order."""
    out: list[Clearance] = []
    for cid in sorted(profile.present):
        contra = library.contraindications.get(cid)
        if contra is not None and contra.clearance is not None:
            out.append(Clearance(cid, {"en": contra.clearance.en, "ru": contra.clearance.ru}))
    if any(h.stage == "advanced" for h in profile.hernias):
        out.append(Clearance(HERNIA_ADVANCED, _texts("gates.clearance.hernia_advanced")))
    if profile.max_grade == 3:
        out.append(Clearance(SCOLIOSIS_GRADE_3, _texts("gates.clearance.scoliosis_grade_3")))
    for cid in profile.conditions:
        cond = library.conditions.get(cid)
        if cond is not None and cond.clearance:
            out.append(Clearance(cid, _named("gates.clearance.condition", cond)))
    return tuple({c.id: c for c in out}.values())


def clearance_ids(library: Any) -> frozenset[str]:
    """Every id a doctor can clear: clearance questions, conditions that need clearance and
    the findings' own (:data:`FINDING_CLEARANCES`)."""
    ids = {c.id for c in library.contraindications.values() if c.action == "clearance"}
    ids |= {c.id for c in library.conditions.values() if c.clearance}
    return frozenset(ids | set(FINDING_CLEARANCES))


def gate_reasons(profile: Profile, conds: Iterable[Any]) -> list[Reason]:
    """The findings' and conditions' gates, in a stable order (see the module's docstring)."""
    conds = tuple(conds)
    out: list[Reason] = []
    needs = {c.needs for c in conds}
    if "hernia" in needs and not profile.hernias:
        cond = next(c for c in conds if c.needs == "hernia")
        out.append(Reason("hernia-level", "unanswered", _named("plan.reason.hernia_level", cond)))
    if "scoliosis" in needs and not profile.curves:
        cond = next(c for c in conds if c.needs == "scoliosis")
        out.append(Reason("scoliosis-shape", "unanswered",
                          _named("plan.reason.scoliosis_shape", cond)))
    for h in profile.hernias:
        if h.stage is None:
            out.append(Reason(f"hernia-stage-{h.level}-{h.side}", "unanswered",
                              {lang: tr("gates.hernia_stage", lang,
                                        level=level_name(h.level, lang))
                               for lang in LANGUAGES}))
    if any(c.grade is None for c in profile.curves):
        out.append(Reason("scoliosis-grade", "unanswered", _texts("gates.scoliosis_grade")))
    cleared = profile.cleared
    if any(h.stage == "advanced" for h in profile.hernias):
        out.append(_clearance_reason(HERNIA_ADVANCED, cleared,
                                     _texts("gates.hernia_advanced")))
    if profile.max_grade == 3:
        out.append(_clearance_reason(SCOLIOSIS_GRADE_3, cleared,
                                     _texts("gates.scoliosis_grade_3", grade=grade_roman(3))))
    for cond in conds:
        if cond.clearance:
            out.append(_clearance_reason(cond.id, cleared,
                                         _named("gates.condition_clearance", cond)))
    return out


def _clearance_reason(cid: str, cleared: frozenset[str], what: Mapping[str, str]) -> Reason:
    """Blocked until a doctor clears ``cid``; once cleared, a note that says so."""
    if cid in cleared:
        return Reason(f"cleared-{cid}", "note", clearance_texts(what, True))
    return Reason(f"clearance-{cid}", "block", clearance_texts(what, False))
