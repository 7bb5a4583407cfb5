"""The records' own behaviour, on SQLite and PostgreSQL: patients, visits, dated findings,
signing and addenda, row versions, and bad input that leaves the database unchanged."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from bodymap.records.errors import (
    BadRecordError,
    ConcurrentEditError,
    DuplicatePatientError,
    LockedError,
    NotFoundError,
)
from bodymap.records.exchange import export_patient
from bodymap.records.model import Confirmation, Moment, Soap, StepOutcome, VisitDraft
from bodymap.records.store import Records

HERNIA = {"hernia": {"level": "L4-L5", "side": "left"}}


def at(days_ago: float, hour: int = 10, offset_min: int = 180) -> Moment:
    """A moment ``days_ago`` days back, on a clock ``offset_min`` east of UTC."""
    from datetime import timezone

    tz = timezone(timedelta(minutes=offset_min))
    day = datetime.now(tz) - timedelta(days=days_ago)
    return Moment.of(day.replace(hour=hour, minute=0, second=0, microsecond=0))


def draft(session: int = 1, **kw) -> VisitDraft:
    kw.setdefault("profile", {"pain_points": [[250.0, 640.0]], "lesions": ["collar-left"]})
    kw.setdefault("at", at(1))
    return VisitDraft(session=session, **kw)


@pytest.fixture
def anna(records: Records):
    return records.add_patient("Anna  K.", ["osteochondrosis-lumbosacral"], findings=HERNIA,
                               birth_year=1970, at=at(30))


def test_a_patient_and_a_visit_are_kept_whole(records: Records, anna) -> None:
    visit = records.record_visit(anna.id, draft(
        1, pain_before=7, pain_after=4, reaction="relaxed, slight redness",
        notes="free note", soap=Soap("stiff", "tight paraspinals", "improving", "repeat"),
        steps=(StepOutcome(0, "stroking"), StepOutcome(2, "kneading", "shortened", 3.0, "pain"),
               StepOutcome(4, "vibration", "skipped", None, "patient tired")),
        plan={"session": 1, "steps": []}))
    again = records.visit(visit.id)
    assert again == visit
    assert again.pain_before == 7 and again.pain_after == 4
    assert again.pain_points == ((250.0, 640.0),)
    assert again.lesions == ("collar-left",)
    assert again.soap.objective == "tight paraspinals"
    assert [s.outcome for s in again.steps] == ["done", "shortened", "skipped"]
    assert again.steps[2].reason == "patient tired"
    assert again.plan == {"session": 1, "steps": []}
    # that day's profile holds the patient's conditions and findings as they were
    assert again.profile["conditions"] == ["osteochondrosis-lumbosacral"]
    assert again.profile["hernias"] == [{"level": "L4-L5", "side": "left", "stage": None}]
    patient = records.patient(anna.id)
    assert patient.name == "Anna K."  # spaces collapsed
    assert [v.id for v in patient.visits] == [visit.id]
    assert patient.visits[0].shortened == 1 and patient.visits[0].skipped == 1
    assert patient.next_session == 2


def test_the_patient_list_shows_the_last_visit_and_searches(records: Records, anna) -> None:
    boris = records.add_patient("Boris", ["hypertension"])
    records.record_visit(anna.id, draft(1, at=at(5)))
    records.record_visit(anna.id, draft(2, at=at(2)))
    listed = {p.name: p for p in records.patients()}
    assert listed["Anna K."].visits == 2 and listed["Anna K."].last_session == 2
    assert listed["Anna K."].last_visit == at(2)
    assert listed["Boris"].visits == 0 and listed["Boris"].last_visit is None
    assert [p.id for p in records.patients("ann")] == [anna.id]
    assert [p.id for p in records.patients("BOR")] == [boris.id]
    assert records.patients("%") == []  # a wildcard is a character, not a pattern


def test_findings_change_during_the_course_each_dated(records: Records, anna) -> None:
    records.record_visit(anna.id, draft(1, at=at(10)))
    changed = records.change_findings(anna.id, records.patient(anna.id).version,
                                      ["osteochondrosis-lumbosacral", "hypertension"],
                                      {"hernia": {"level": "L5-S1", "side": "right"}},
                                      at=at(5))
    assert [h.conditions for h in changed.history] == [
        ("osteochondrosis-lumbosacral",), ("osteochondrosis-lumbosacral", "hypertension")]
    assert changed.history[0].at == at(30) and changed.history[1].at == at(5)
    later = records.record_visit(anna.id, draft(2, at=at(1)))
    assert later.profile["conditions"] == ["osteochondrosis-lumbosacral", "hypertension"]
    assert later.profile["hernias"][0]["level"] == "L5-S1"
    first = records.visit(records.patient(anna.id).visits[0].id)
    assert first.profile["hernias"][0]["level"] == "L4-L5"  # what held that day is kept


def test_a_signed_visit_is_locked_and_corrected_by_a_dated_addendum(records: Records,
                                                                    anna) -> None:
    visit = records.record_visit(anna.id, draft(1, at=at(0, hour=0), notes="original"))
    signed = records.sign_visit(visit.id, visit.version)
    assert signed.signed and not signed.editable()
    with pytest.raises(LockedError):
        records.edit_visit(visit.id, signed.version, draft(1, notes="rewritten"))
    with pytest.raises(LockedError):
        records.sign_visit(visit.id, signed.version)
    corrected = records.add_addendum(visit.id, "pain after was 3, not 4", "pain_after")
    assert corrected.notes == "original"  # the original is kept
    assert [(a.section, a.text) for a in corrected.addenda] == [
        ("pain_after", "pain after was 3, not 4")]
    exported = export_patient(records, anna.id)["visits"][0]
    assert exported["notes"] == "original"
    assert exported["addenda"][0]["text"] == "pain after was 3, not 4"
    assert exported["signed"] == signed.signed_at.iso()


def test_an_unsigned_visit_is_editable_until_its_day_ends(records: Records, anna) -> None:
    today = records.record_visit(anna.id, draft(1, at=at(0, hour=0, offset_min=0),
                                                pain_after=5))
    edited = records.edit_visit(today.id, today.version, draft(1, pain_after=3, at=None),
                                now=Moment(today.at.utc + timedelta(hours=23), 0))
    assert edited.pain_after == 3 and edited.at == today.at and edited.version == 2
    next_day = Moment(today.at.utc + timedelta(hours=24, minutes=1), 0)
    assert not edited.editable(next_day)
    with pytest.raises(LockedError, match="its day is over"):
        records.edit_visit(today.id, edited.version, draft(1, pain_after=2, at=None),
                           now=next_day)


def test_an_edit_from_an_older_version_is_refused_never_overwriting(records: Records,
                                                                    records_db: str,
                                                                    anna) -> None:
    """Two windows (or two computers) with the same patient open: the second edit is
    refused and the first one is kept."""
    other = Records.open(records_db)
    try:
        mine = records.patient(anna.id)
        theirs = other.patient(anna.id)
        other.edit_patient(anna.id, theirs.version, notes="their note")
        with pytest.raises(ConcurrentEditError):
            records.edit_patient(anna.id, mine.version, notes="my note")
        assert records.patient(anna.id).notes == "their note"
        with pytest.raises(ConcurrentEditError):
            records.change_findings(anna.id, mine.version, ["hypertension"], {})
        visit = records.record_visit(anna.id, draft(1, at=at(0, hour=0)))
        other.edit_visit(visit.id, visit.version, draft(1, pain_after=2, at=None))
        with pytest.raises(ConcurrentEditError):
            records.edit_visit(visit.id, visit.version, draft(1, pain_after=9, at=None))
        assert records.visit(visit.id).pain_after == 2
    finally:
        other.close()


def test_every_change_raises_the_patients_row_version(records: Records, anna) -> None:
    versions = [records.patient(anna.id).version]
    visit = records.record_visit(anna.id, draft(1, at=at(0, hour=0)))
    versions.append(records.patient(anna.id).version)
    visit = records.sign_visit(visit.id, visit.version)
    versions.append(records.patient(anna.id).version)
    records.add_addendum(visit.id, "note")
    versions.append(records.patient(anna.id).version)
    assert versions == sorted(set(versions))


def test_screening_confirmed_unchanged_is_recorded_per_group(records: Records, anna) -> None:
    visit = records.record_visit(anna.id, draft(
        2, confirmed=(Confirmation("block", "2025-03-04"),),
        profile={"present": ["fever"], "answered": ["fever", "saddle-numbness"]}))
    assert visit.confirmed == (Confirmation("block", "2025-03-04"),)
    assert visit.profile["present"] == ["fever"]


# ---------------------------------------------------------------------------------------------
# bad input: one clear error, the database unchanged


def _snapshot(records: Records) -> list:
    return [(p, records.visits(p.id)) for p in records.patients()]


@pytest.mark.parametrize(("change", "words"), [
    (lambda r, p: r.record_visit(p.id, draft(1, pain_before=11)), "pain 11 is not on the 0-10"),
    (lambda r, p: r.record_visit(p.id, draft(1, pain_after=-1)), "pain -1"),
    (lambda r, p: r.record_visit(p.id, draft(1, pain_after=True)), "pain true"),
    (lambda r, p: r.record_visit(p.id, draft(1, pain_after="5")), "pain '5'"),
    (lambda r, p: r.record_visit(p.id, draft(1, at=at(-2))), "is in the future"),
    (lambda r, p: r.record_visit(p.id, draft(99)), "session 99"),
    (lambda r, p: r.record_visit(p.id, draft(1, profile={"pain_points": [[-500, 2]]})),
     "outside the back"),
    (lambda r, p: r.record_visit(p.id, draft(1, profile={"present": ["no-such"]})),
     "unknown contraindication"),
    (lambda r, p: r.add_patient("Someone", ["no-such-condition"]), "unknown condition"),
    (lambda r, p: r.add_patient("Someone", ["hypertension"], findings={"mood": 1}),
     "unknown finding"),
    (lambda r, p: r.add_patient("Anna k.", ["hypertension"], birth_year=1970),
     "already in the records"),
    (lambda r, p: r.add_patient("  ", ["hypertension"]), "the name is empty"),
    (lambda r, p: r.add_patient("X", ["hypertension"], birth_year=1850), "not a year"),
    (lambda r, p: r.record_visit(p.id + 100, draft(1)), "there is no patient"),
    (lambda r, p: r.add_addendum(10_000, "x"), "there is no visit"),
])
def test_bad_input_is_refused_and_changes_nothing(records: Records, anna, change,
                                                  words: str) -> None:
    records.record_visit(anna.id, draft(1))
    before = _snapshot(records)
    with pytest.raises(BadRecordError, match=words.replace("(", r"\(")) as caught:
        change(records, anna)
    assert "\n" not in str(caught.value)
    assert _snapshot(records) == before


def test_a_duplicate_and_a_missing_patient_are_their_own_errors(records: Records, anna) -> None:
    with pytest.raises(DuplicatePatientError):
        records.add_patient("ANNA K.", ["stress"], birth_year=1970)
    records.add_patient("Anna K.", ["stress"], birth_year=1971)  # another person
    with pytest.raises(NotFoundError):
        records.patient(123456)


def test_moments_keep_the_local_offset_and_day() -> None:
    m = Moment.of(datetime(2025, 3, 4, 0, 30, tzinfo=UTC).astimezone(
        __import__("datetime").timezone(timedelta(hours=3))))
    assert m.utc_text() == "2025-03-04T00:30:00Z"
    assert m.iso() == "2025-03-04T03:30:00+03:00" and m.day() == "2025-03-04"
    late = Moment.of(datetime.fromisoformat("2025-03-04T23:30:00-05:00"))
    assert late.utc_text() == "2025-03-05T04:30:00Z" and late.day() == "2025-03-04"


# ---------------------------------------------------------------------------------------------
# today's visit: the screening is asked again; "unchanged since" is one act per group


def test_a_new_visit_asks_the_screening_again(records: Records, anna, library,
                                               geometry) -> None:
    from bodymap.document import PlanDocument
    from bodymap.planner import make_plan
    from bodymap.records.visit_day import new_visit, unanswered_groups

    records.record_visit(anna.id, draft(1, profile={
        "present": [], "answered": sorted(library.contraindications)}))  # all asked that day
    today = new_visit(records.patient(anna.id))
    assert today.session == 2 and today.confirmed == ()
    assert today.profile["answered"] == [] and today.profile["present"] == []
    assert today.profile["hernias"][0]["level"] == "L4-L5"  # findings are the patient's
    assert set(unanswered_groups(today, library.contraindications)) == {
        c.action for c in library.contraindications.values()}
    doc = PlanDocument.model_validate({"profile": dict(today.profile)})
    plan = make_plan(doc.to_profile(), library, geometry)
    assert plan.status == "blocked"  # not answered yet: fail-closed
    assert any(r.kind == "unanswered" for r in plan.reasons)


def test_unchanged_since_copies_one_group_and_is_recorded(records: Records, anna,
                                                          library) -> None:
    from bodymap.records.visit_day import confirm_unchanged, group_ids, new_visit

    contra = library.contraindications
    block = group_ids(contra, "block")
    last = records.record_visit(anna.id, draft(
        1, at=at(7), profile={"present": ["varicose-veins"], "answered": sorted(block)}))
    today = confirm_unchanged(new_visit(records.patient(anna.id), at=at(0, hour=0)), "block",
                              last, contra)
    assert set(today.profile["answered"]) == block
    assert today.profile["present"] == ["varicose-veins"]
    assert today.confirmed == (Confirmation("block", last.at.day()),)
    refer = group_ids(contra, "refer")
    assert not refer & set(today.profile["answered"])  # other groups are still to be asked
    saved = records.record_visit(anna.id, today)
    assert saved.confirmed == today.confirmed and saved.profile["present"] == ["varicose-veins"]


def test_a_visit_keeps_the_plan_as_it_was_compactly(records: Records, anna, library,
                                                    geometry) -> None:
    """The plan's snapshot keeps the session as planned (steps in both languages, what was
    not to be touched) but not the drawing's geometry or the long cited texts."""
    import json

    from bodymap.planner import Profile, make_plan

    plan = make_plan(Profile("osteochondrosis-lumbosacral", session=1), library,
                     geometry).to_json()
    visit = records.record_visit(anna.id, draft(1, plan=plan))
    kept = visit.plan
    assert kept["steps"] == plan["steps"] and kept["status"] == plan["status"]
    assert [n["id"] for n in kept["no_touch"]] == [n["id"] for n in plan["no_touch"]]
    assert "cautions" not in kept and all("text" not in n for n in kept["no_touch"])
    assert len(json.dumps(kept)) < len(json.dumps(plan)) / 5
    from bodymap.records.model import plan_snapshot

    assert plan_snapshot(kept) == kept  # an export re-imported keeps it as it is
