"""Today's visit, before it is recorded: the draft a view pre-fills, and the screening asked
again (pure; the window's record form will use these through the session controller).

A new visit starts from the patient's current conditions and findings and the next session
number, with **no screening answers**: the checklist is asked again, and the plan stays
blocked ("not answered") until it is (fail-closed, as a new plan document). A group of
questions (the contraindication actions: refer, block, postpone, limit, exclude-area) may be
confirmed "unchanged since <date of the last visit>": one deliberate act per group, which
copies that group's answers from the last visit and is recorded with the visit. Nothing is
carried over silently.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from typing import Any

from bodymap.records.errors import BadRecordError
from bodymap.records.model import Confirmation, Moment, Patient, Visit, VisitDraft
from bodymap.schema import ACTIONS

#: the screening groups, in the checklist's order: the schema's own actions, so a new kind of
#: question (a doctor's clearance) is asked again at each visit too
GROUPS: tuple[str, ...] = ACTIONS


def new_visit(patient: Patient, at: Moment | None = None, session: int | None = None,
              course_sessions: int | None = None) -> VisitDraft:
    """Today's visit for ``patient``: current conditions and findings, the next session (kept
    within ``course_sessions`` when given), nothing answered, no pain points yet."""
    number = session if session is not None else patient.next_session
    if course_sessions is not None:
        number = min(number, course_sessions)
    profile: dict[str, Any] = {"conditions": list(patient.conditions),
                               **dict(patient.current.findings),
                               "present": [], "answered": [], "lesions": [], "pain_points": []}
    return VisitDraft(session=number, profile=profile, at=at)


def group_ids(contraindications: Mapping[str, Any], group: str) -> frozenset[str]:
    """The contraindication ids in one screening group."""
    if group not in GROUPS:
        raise BadRecordError(f"unknown screening group '{group}'", expected=", ".join(GROUPS))
    return frozenset(cid for cid, c in contraindications.items() if c.action == group)


def confirm_unchanged(draft: VisitDraft, group: str, last: Visit,
                      contraindications: Mapping[str, Any]) -> VisitDraft:
    """``draft`` with one group's answers taken from ``last`` and the confirmation recorded
    ("unchanged since <last visit's date>"). Only questions the last visit answered are
    copied; one it never answered stays unanswered."""
    ids = group_ids(contraindications, group)
    before = last.profile
    # a missing or empty answer list means nothing was answered (fail-closed)
    answered_then = frozenset(before.get("answered") or ())
    present_then = frozenset(before.get("present") or ())
    profile = dict(draft.profile)
    present = set(profile.get("present") or ()) - ids
    present |= present_then & ids
    answered_now = set(profile.get("answered") or ())
    profile["answered"] = sorted((answered_now - ids) | (answered_then & ids)
                                 | (present_then & ids))
    profile["present"] = sorted(present)
    kept = tuple(c for c in draft.confirmed if c.group != group)
    return replace(draft, profile=profile,
                   confirmed=(*kept, Confirmation(group, last.at.day())))


def unanswered_groups(draft: VisitDraft, contraindications: Mapping[str, Any]) -> list[str]:
    """The groups with a question not yet answered today (what the form still asks)."""
    done = set(draft.profile.get("answered") or ()) | set(draft.profile.get("present") or ())
    return [g for g in GROUPS if group_ids(contraindications, g) - done]
