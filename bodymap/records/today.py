"""What the window's record views compute, without Qt: today's visit as a draft from the form
and the plan, the patient list's "next" visit, the course's pain series and the patient's own
progress in plain words.

The form (``bodymap.widgets.records``) gathers a :class:`VisitEntry`; :func:`make_draft` joins it
with that day's profile (the plan document's: conditions, findings, screening answers, lesions
and pain points, as the therapist left them on the plan and the map), the plan as it was and
the screening groups confirmed "unchanged since <date>", into the store's
:class:`~bodymap.records.model.VisitDraft`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from bodymap.i18n import tr
from bodymap.records.checks import finding_keys
from bodymap.records.model import (
    Confirmation,
    Moment,
    Outcome,
    Patient,
    PatientSummary,
    Soap,
    StepOutcome,
    VisitDraft,
    VisitSummary,
)

__all__ = ["CourseSeries", "PlannedStep", "VisitEntry", "course_series", "findings_change",
           "make_draft", "next_session", "planned_outcomes", "progress_lines"]


@dataclass(frozen=True)
class PlannedStep:
    """One step of the day's plan as the form lists it."""

    index: int
    technique: str
    minutes: float
    variant: str | None = None


@dataclass(frozen=True)
class VisitEntry:
    """What the therapist typed into the visit form."""

    at: Moment
    session: int
    pain_before: int | None = None
    pain_after: int | None = None
    steps: tuple[StepOutcome, ...] = ()
    reaction: str = ""
    notes: str = ""
    soap: Soap = field(default_factory=Soap)
    sign: bool = False


def planned_outcomes(steps: Sequence[PlannedStep],
                     chosen: Mapping[int, tuple[Outcome, str]]) -> tuple[StepOutcome, ...]:
    """Each planned step with what became of it: ``chosen`` by step index (outcome, reason),
    otherwise done as planned (a done step needs no reason: one typed is dropped)."""
    out: list[StepOutcome] = []
    for step in steps:
        outcome, reason = chosen.get(step.index, ("done", ""))
        out.append(StepOutcome(step.index, step.technique, outcome,
                               reason=reason.strip() if outcome != "done" else ""))
    return tuple(out)


def visit_profile(profile: Mapping[str, Any]) -> dict[str, Any]:
    """The plan document's profile (JSON) as a visit keeps it: everything of that day."""
    return {k: v for k, v in profile.items() if v not in (None,)}


def make_draft(entry: VisitEntry, profile: Mapping[str, Any], plan: Mapping[str, Any] | None,
               confirmed: Sequence[Confirmation] = ()) -> VisitDraft:
    """The store's draft: the form's entry, that day's profile (the session is the form's),
    the plan as it was, and the groups confirmed unchanged."""
    day = visit_profile(profile)
    day["session"] = entry.session
    return VisitDraft(session=entry.session, profile=day, at=entry.at,
                      pain_before=entry.pain_before, pain_after=entry.pain_after,
                      confirmed=tuple(confirmed), steps=entry.steps, reaction=entry.reaction,
                      notes=entry.notes, soap=entry.soap,
                      plan=dict(plan) if plan is not None else None)


def findings_change(patient: Patient, profile: Mapping[str, Any]
                    ) -> tuple[tuple[str, ...], dict[str, Any]] | None:
    """The conditions and findings of that day's profile when they differ from the patient's
    (found during the visit: they become the patient's, dated), else None."""
    conditions = tuple(profile.get("conditions") or ())
    keys = finding_keys()
    found = {k: profile[k] for k in keys if k in profile and profile[k] not in ((), [], None)}
    current = {k: v for k, v in patient.current.findings.items() if v not in ((), [], None)}
    if conditions == tuple(patient.conditions) and _same(found, current):
        return None
    return conditions, found


def _same(a: Mapping[str, Any], b: Mapping[str, Any]) -> bool:
    import json

    return json.dumps(a, sort_keys=True, default=list) == json.dumps(b, sort_keys=True,
                                                                      default=list)


def next_session(summary: PatientSummary | Patient, course_sessions: int | None) -> int | None:
    """The session the patient's next visit is (None once the course is complete)."""
    last = summary.last_session if isinstance(summary, PatientSummary) else (
        summary.visits[-1].session if summary.visits else None)
    number = 1 if last is None else last + 1
    if course_sessions is not None and number > course_sessions:
        return None
    return number


@dataclass(frozen=True)
class CourseSeries:
    """The pain chart's data: one x per visit (1, 2, ... in date order)."""

    x: tuple[int, ...]
    sessions: tuple[int, ...]
    before: tuple[int | None, ...]
    after: tuple[int | None, ...]
    #: the x of visits where a step was shortened or skipped
    changed: tuple[int, ...]
    shortened: tuple[int, ...]
    skipped: tuple[int, ...]


def course_series(visits: Sequence[VisitSummary]) -> CourseSeries:
    xs = tuple(range(1, len(visits) + 1))
    return CourseSeries(
        x=xs, sessions=tuple(v.session for v in visits),
        before=tuple(v.pain_before for v in visits),
        after=tuple(v.pain_after for v in visits),
        changed=tuple(x for x, v in zip(xs, visits, strict=True) if v.shortened or v.skipped),
        shortened=tuple(x for x, v in zip(xs, visits, strict=True) if v.shortened),
        skipped=tuple(x for x, v in zip(xs, visits, strict=True) if v.skipped))


def progress_lines(visits: Sequence[VisitSummary], lang: str) -> tuple[str, ...]:
    """The patient's own progress in everyday words: how many visits, how the pain before the
    massage went from the first visit to the last, and how much it eased on the day. Never a
    judgement the numbers do not show (a rise is said as plainly as a fall)."""
    scored = [v for v in visits if v.pain_before is not None]
    lines = [tr("records.progress.visits", lang, n=len(visits))]
    if not visits:
        return (tr("records.progress.none", lang),)
    if len(scored) >= 2:
        first, last = scored[0], scored[-1]
        assert first.pain_before is not None and last.pain_before is not None
        change = last.pain_before - first.pain_before
        key = "less" if change < 0 else "more" if change > 0 else "same"
        lines.append(tr(f"records.progress.{key}", lang, first=first.pain_before,
                        last=last.pain_before))
    elif scored:
        only = scored[0].pain_before
        lines.append(tr("records.progress.one", lang, pain=only))
    eased = [v.pain_before - v.pain_after for v in visits
             if v.pain_before is not None and v.pain_after is not None]
    if eased:
        better = sum(1 for e in eased if e > 0)
        lines.append(tr("records.progress.eased", lang, n=better, total=len(eased)))
    lines.append(tr("records.progress.scale", lang))
    return tuple(lines)
