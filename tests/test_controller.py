"""The session controller: one owner, one kind of signal per kind of change."""

from __future__ import annotations

import dataclasses

import pytest

from bodymap.document import PlanDocument
from bodymap.planner import MAX_PAIN_POINTS
from bodymap.widgets.controller import SessionController


@pytest.fixture
def session(qtbot, library, geometry):
    controller = SessionController(library, geometry)
    heard: list[str] = []
    for name in ("libraryChanged", "documentReplaced", "profileChanged", "planChanged",
                 "recordChanged", "stepChanged", "playingChanged"):
        getattr(controller, name).connect(lambda *_a, name=name: heard.append(name))
    controller.heard = heard
    yield controller
    controller.request_pause()


def _ready(controller, condition="hypertension"):
    controller.request_document(PlanDocument.new(
        condition, answered=tuple(controller.library.contraindications)))
    assert controller.playable_plan() is not None
    controller.heard.clear()


def test_a_profile_change_replans_and_announces_profile_then_plan_then_step(session):
    session.request_profile(conditions=("hypertension",))
    assert session.plan() is not None and session.plan().condition == "hypertension"
    heard = session.heard
    assert heard.index("profileChanged") < heard.index("planChanged") < heard.index("stepChanged")
    assert session.playable_plan() is None  # nothing answered yet: fail-closed


def test_the_record_never_replans_and_keeps_the_clock(session):
    _ready(session)
    session.request_step(2)
    position, plan = session.position(), session.plan()
    session.heard.clear()
    session.request_record("Anna", "sore after work")
    assert session.heard == ["recordChanged"]
    assert session.plan() is plan and session.position() == position and session.step() == 2
    assert session.document().notes == "sore after work"
    session.request_record("Anna", "sore after work")  # the same again: nothing to say
    assert session.heard == ["recordChanged"]


def test_the_record_typed_before_a_condition_is_kept_in_the_draft(session):
    session.request_record("Olga", "")
    assert session.document().is_draft and session.document().patient_name == "Olga"
    assert session.heard == ["recordChanged"]  # saved and autosaved; nothing to plan
    session.request_profile(conditions=("stress",))
    assert session.document().patient_name == "Olga"


def test_pain_points_stop_at_the_planner_limit_and_toggle(session):
    _ready(session, "radiculitis")
    for i in range(MAX_PAIN_POINTS):
        assert session.request_pain_point(250.0, 300.0 + 30 * i) == "added"
    session.heard.clear()
    assert session.request_pain_point(250.0, 700.0) == "limit"
    assert session.heard == []  # refused: nothing changed, nothing announced
    assert len(session.document().pain_points) == MAX_PAIN_POINTS
    assert session.request_pain_point(252.0, 302.0) == "removed"
    assert len(session.document().pain_points) == MAX_PAIN_POINTS - 1


def test_steps_come_from_the_clock_alone(session):
    _ready(session)
    steps = session.playable_plan().steps
    session.request_next_step()
    assert session.step() == 1
    session.request_seek(session.clock.timeline.total)
    assert session.step() == len(steps) - 1
    session.request_previous_step()
    assert session.step() in (len(steps) - 1, len(steps) - 2)


def test_new_protocols_are_announced_and_the_patient_kept(session, library):
    _ready(session)
    doc = session.document()
    session.set_library(dataclasses.replace(library))
    assert session.heard[0] == "libraryChanged"
    assert session.document() == doc and session.plan() is not None


def test_a_condition_gone_from_the_protocols_leaves_a_draft(session, library):
    _ready(session)
    session.request_record("Anna", "")
    fewer = {k: v for k, v in library.conditions.items() if k != "hypertension"}
    session.set_library(dataclasses.replace(library, conditions=fewer))
    doc = session.document()
    assert doc.is_draft and doc.patient_name == "Anna" and session.plan() is None


def test_no_conditions_make_the_document_a_draft(session):
    _ready(session)
    session.request_profile(conditions=())
    assert session.document().is_draft and session.plan() is None
    # the answers stay with the patient
    assert session.document().profile.answered == tuple(sorted(session.library.contraindications))
    assert session.playable_plan() is None and session.step() == -1
