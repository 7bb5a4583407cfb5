"""Today's visit without Qt (bodymap.records.today) and the store's one-transaction recording of
a visit with its signature and the findings found that day."""

from __future__ import annotations

from datetime import timedelta

import pytest

from bodymap.records.errors import BadRecordError, ConcurrentEditError
from bodymap.records.model import Confirmation, Moment, Soap, StepOutcome, VisitSummary
from bodymap.records.today import (
    PlannedStep,
    VisitEntry,
    course_series,
    findings_change,
    make_draft,
    next_session,
    planned_outcomes,
    progress_lines,
)

LEAD = "osteochondrosis-lumbosacral"


def _summary(i: int, before: int | None, after: int | None, shortened: int = 0,
             skipped: int = 0) -> VisitSummary:
    return VisitSummary(i, Moment.now(), i, before, after, False, shortened, skipped)


def test_each_planned_step_is_done_unless_said_otherwise() -> None:
    steps = [PlannedStep(0, "stroking", 3.0), PlannedStep(1, "rubbing", 4.0),
             PlannedStep(2, "kneading", 5.0)]
    out = planned_outcomes(steps, {1: ("skipped", "  red skin "), 0: ("done", "ignored")})
    assert [(s.step, s.technique, s.outcome, s.reason) for s in out] == [
        (0, "stroking", "done", ""), (1, "rubbing", "skipped", "red skin"),
        (2, "kneading", "done", "")]


def test_the_draft_takes_the_days_profile_and_the_forms_session() -> None:
    entry = VisitEntry(at=Moment.now(), session=4, pain_before=6, pain_after=2,
                       steps=(StepOutcome(0, "stroking"),), reaction="calm",
                       soap=Soap(subjective="better"), sign=True)
    profile = {"conditions": [LEAD], "session": 3, "answered": ["fever"], "present": [],
               "pain_points": [[250.0, 640.0]]}
    confirmed = (Confirmation("refer", "2025-03-04"),)
    draft = make_draft(entry, profile, {"session": 4, "steps": []}, confirmed)
    assert draft.session == 4 and draft.profile["session"] == 4
    assert draft.profile["pain_points"] == [[250.0, 640.0]]
    assert (draft.pain_before, draft.pain_after, draft.reaction) == (6, 2, "calm")
    assert draft.confirmed == confirmed and draft.plan == {"session": 4, "steps": []}


def test_the_next_session_stops_at_the_end_of_the_course(records) -> None:
    patient = records.add_patient("Anna K.", [LEAD])
    assert next_session(patient, 10) == 1
    summary = records.patients()[0]
    assert next_session(summary, 10) == 1
    from bodymap.records.model import VisitDraft

    records.record_visit(patient.id, VisitDraft(session=10, profile={},
                                                at=Moment.of(Moment.now().utc
                                                             - timedelta(hours=1))))
    assert next_session(records.patients()[0], 10) is None
    assert next_session(records.patient(patient.id), 12) == 11


def test_the_course_series_marks_shortened_and_skipped_visits() -> None:
    series = course_series([_summary(1, 7, 5), _summary(2, None, 3, shortened=1),
                            _summary(3, 4, 2, skipped=2)])
    assert series.x == (1, 2, 3) and series.before == (7, None, 4)
    assert series.changed == (2, 3) and series.shortened == (2,) and series.skipped == (3,)


@pytest.mark.parametrize("lang", ["en", "ru"])
def test_progress_in_the_patients_words(lang: str) -> None:
    lines = progress_lines([_summary(1, 7, 5), _summary(2, 6, 6), _summary(3, 3, 1)], lang)
    text = " ".join(lines)
    if lang == "en":
        assert lines[0] == "You have had 3 visits."
        assert "the pain was 7 out of 10; before the latest, 3 out of 10" in text
        assert "less after the massage than before it at 2 of 3 visits" in text
    else:
        assert lines[0] == "У вас было 3 визита."
        assert "7 из 10" in text and "3 из 10" in text and "на 2 визитах из 3" in text
    for word in ("NRS", "SOAP", "session", "protocol"):
        assert word not in text  # no jargon
    worse = " ".join(progress_lines([_summary(1, 3, 3), _summary(2, 6, 6)], lang))
    assert ("6 out of 10" if lang == "en" else "6 из 10") in worse
    assert progress_lines([], lang) == (("No visits yet.",) if lang == "en"
                                        else ("Визитов пока не было.",))


def test_findings_found_that_day_are_a_change_only_when_they_differ(records) -> None:
    patient = records.add_patient("Anna K.", [LEAD])
    same = {"conditions": [LEAD], "session": 2, "hernias": [], "answered": ["fever"]}
    assert findings_change(patient, same) is None
    found = {**same, "hernias": [{"level": "L4-L5", "side": "left", "stage": None}]}
    change = findings_change(patient, found)
    assert change is not None and change[0] == (LEAD,)
    assert change[1]["hernias"][0]["level"] == "L4-L5"


def test_a_visit_records_its_signature_and_new_findings_in_one_transaction(records) -> None:
    from bodymap.records.model import VisitDraft

    patient = records.add_patient("Anna K.", [LEAD])
    hernia = {"hernias": [{"level": "L4-L5", "side": "left"}]}
    visit = records.record_visit(patient.id, VisitDraft(session=1, profile={}), sign=True,
                                 change=([LEAD], hernia), version=patient.version)
    assert visit.signed
    after = records.patient(patient.id)
    assert len(after.history) == 2 and after.current.findings["hernias"][0]["level"] == "L4-L5"
    assert visit.profile["hernias"][0]["level"] == "L4-L5"
    # based on an older version of the patient: refused, nothing written
    with pytest.raises(ConcurrentEditError):
        records.record_visit(patient.id, VisitDraft(session=2, profile={}),
                             change=([LEAD], {}), version=patient.version)
    # a bad change of findings: refused before anything is written
    with pytest.raises(BadRecordError):
        records.record_visit(patient.id, VisitDraft(session=2, profile={}),
                             change=(["no-such-condition"], {}), version=after.version)
    final = records.patient(patient.id)
    assert len(final.visits) == 1 and len(final.history) == 2


def test_an_edit_can_sign_the_visit_in_the_same_transaction(records) -> None:
    from bodymap.records.model import VisitDraft

    patient = records.add_patient("Anna K.", [LEAD])
    visit = records.record_visit(patient.id, VisitDraft(session=1, profile={}))
    edited = records.edit_visit(visit.id, visit.version,
                                VisitDraft(session=1, profile={}, pain_after=2), sign=True)
    assert edited.signed and edited.pain_after == 2 and edited.version == visit.version + 1
