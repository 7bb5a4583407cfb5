"""Study mode, the pure part: drills come from the protocol data, FSRS scheduling, progress file."""

from __future__ import annotations

import json
import re
import shutil
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bodymap.drills import KINDS, build_drills, check, scenarios
from bodymap.library import load_library, shipped_dir
from bodymap.planner import make_plan
from bodymap.study import NEW_PER_SESSION, ProgressStore, StudySession

T0 = datetime(2025, 3, 3, 9, 0, tzinfo=UTC)




@pytest.fixture(scope="module")
def drills(library, geometry):
    return {d.id: d for d in build_drills(library, geometry)}


class Clock:
    def __init__(self, t: datetime = T0) -> None:
        self.t = t

    def __call__(self) -> datetime:
        return self.t


def _inside(geom):
    p = geom.representative_point()
    return (p.x, p.y)


# -- drills come from the data -----------------------------------------------------------------


def test_every_kind_of_drill_is_built_with_unique_stable_ids(library, geometry, drills):
    assert {d.kind for d in drills.values()} == set(KINDS)
    again = [d.id for d in build_drills(library, geometry)]
    assert again == list(drills)
    for expected in (
        "zone:collar",
        "zone:collar-left",
        "order:radiculitis",
        "condzone:hypertension",
        "contra:fever",
        "technique:kneading",
        "notouch:hernia-L4-L5-left:stroking",
    ):
        assert expected in drills
    for d in drills.values():
        assert d.prompt["en"] and d.prompt["ru"] and d.explanation["en"] and d.sources


def test_condition_zone_answers_are_the_plans_emphasis_zones(library, geometry, drills):
    for s in scenarios(library, geometry):
        d = drills.get(f"condzone:{s.id}")
        if not s.plan.emphasis_zones:
            assert d is None
            continue
        assert set(d.accept) == set(make_plan(s.profile, library, geometry).emphasis_zones)
        assert check(d, list(s.plan.emphasis_zones))
        # halves count as their zone
        assert check(d, [f"{z}-left" for z in s.plan.emphasis_zones])


def test_order_answers_are_the_plans_step_order(library, geometry, drills):
    d = drills["order:radiculitis"]
    s = next(s for s in scenarios(library, geometry) if s.id == "radiculitis")
    # every step is on a line, in the plan's order (a repeated step rides on the line before)
    covered = [step for oid in d.order for step in d.order_keys[oid]]
    assert covered == [(st.technique, st.variant, tuple(st.zones), st.direction)
                       for st in s.plan.steps]
    assert check(d, list(d.order))
    assert not check(d, list(reversed(d.order)))
    shuffled = [o.id for o in d.shuffled_options()]
    assert sorted(shuffled) == sorted(d.order) and not check(d, shuffled)


def test_order_the_steps_never_shows_two_identical_lines(drills):
    """Issue 20.6: back pain showed four identical "Light stroking — the whole back" lines."""
    orders = [d for d in drills.values() if d.kind == "order"]
    assert len(orders) >= 15
    for d in orders:
        for lang in ("en", "ru"):
            labels = [o.label[lang] for o in d.options]
            assert len(set(labels)) == len(labels), (d.id, lang, labels)
    back = drills["order:back-pain"]
    assert any("then light stroking" in o.label["en"] for o in back.options)
    assert any("затем лёгкое поглаживание" in o.label["ru"] for o in back.options)


def test_zone_answers_come_from_the_geometry(geometry, drills):
    whole, left = drills["zone:collar"], drills["zone:collar-left"]
    assert check(whole, "collar-left") and check(whole, "collar-right") and check(whole, "collar")
    assert check(left, "collar-left")
    assert not check(left, "collar-right") and not check(whole, "thoracic-left")
    x, y = _inside(geometry.polygon("collar-left"))
    assert check(left, geometry.zone_at(x, y))


def test_where_not_to_press_answers_come_from_the_plans_no_touch_areas(geometry, drills):
    vib = drills["notouch:lumbago-sciatica:vibration"]
    step = vib.plan.steps[vib.step]
    assert step.technique == "vibration"
    assert {n.id for n in vib.plan.no_touch if n.applies_to("vibration")} == {
        "spine", "kidneys", "thoracic-spine-no-vibration"}
    assert check(vib, _inside(geometry.polygon("kidney-left")))
    assert check(vib, _inside(geometry.polygon("spine")))
    assert not check(vib, _inside(geometry.polygon("collar-right")))
    hernia = drills["notouch:hernia-L4-L5-left:stroking"]
    site = geometry.hernia_site("L4-L5", "left")
    assert check(hernia, _inside(site))
    # kidneys are not a no-touch area for stroking
    assert not check(hernia, _inside(geometry.polygon("kidney-right").difference(site)))
    assert not check(hernia, None)


def test_contraindication_answers_are_the_librarys_actions(library, drills):
    for c in library.contraindications.values():
        d = drills[f"contra:{c.id}"]
        assert check(d, c.action)
        assert all(not check(d, o.id) for o in d.options if o.id != c.action)


def test_editing_the_protocol_data_changes_the_expected_answers(tmp_path, geometry):
    copy = tmp_path / "protocols"
    shutil.copytree(shipped_dir(), copy)
    cond = copy / "conditions" / "hypertension.toml"
    text = cond.read_text(encoding="utf-8")
    assert 'emphasis = ["collar"]' in text
    cond.write_text(
        text.replace('emphasis = ["collar"]', 'emphasis = ["collar", "interscapular"]'),
        encoding="utf-8",
    )
    contra = copy / "contraindications.toml"
    text = contra.read_text(encoding="utf-8")
    fever = 'id = "fever"\naction = "block"'
    assert fever in text
    contra.write_text(text.replace(fever, 'id = "fever"\naction = "postpone"'), encoding="utf-8")

    before = {d.id: d for d in build_drills(load_library(None), geometry)}
    after = {d.id: d for d in build_drills(load_library(None, shipped=copy), geometry)}

    assert before["condzone:hypertension"].accept == {"collar"}
    assert after["condzone:hypertension"].accept == {"collar", "interscapular"}
    assert check(before["condzone:hypertension"], ["collar"])
    assert not check(after["condzone:hypertension"], ["collar"])
    assert check(after["condzone:hypertension"], ["collar-left", "interscapular-right"])

    assert check(before["contra:fever"], "block") and not check(before["contra:fever"], "postpone")
    assert check(after["contra:fever"], "postpone") and not check(after["contra:fever"], "block")


def test_prompts_are_in_both_languages(drills):
    cyrillic = re.compile("[А-Яа-я]")
    for d in drills.values():
        assert cyrillic.search(d.prompt["ru"]), d.id
        assert not cyrillic.search(d.prompt["en"]), d.id


# -- scheduling --------------------------------------------------------------------------------


def test_a_failed_card_comes_back_sooner_than_a_passed_one(tmp_path, drills):
    store = ProgressStore(tmp_path / "p.json")
    passed = store.review("zone:collar", True, T0)
    failed = store.review("zone:thoracic", False, T0)
    assert failed.due < passed.due
    assert failed.due <= T0 + timedelta(minutes=10)
    assert passed.due >= T0 + timedelta(days=1)
    # passing again pushes it further out; failing a learned card brings it back at once
    later = store.review("zone:collar", True, passed.due)
    assert later.due - passed.due > passed.due - T0
    lapse = store.review("zone:collar", False, later.due)
    assert lapse.due - later.due <= timedelta(minutes=10)


def test_sessions_bring_due_cards_first_and_introduce_new_ones_gradually(tmp_path, drills):
    clock = Clock()
    store = ProgressStore(tmp_path / "p.json")
    first = StudySession(list(drills.values()), store, now=clock)
    assert first.due_count == 0 and first.new_count == NEW_PER_SESSION
    assert len({d.kind for d in first.queue}) >= 5  # new cards mix the kinds
    seen = []
    while not first.finished:
        assert len(seen) < 50
        d = first.current
        seen.append(d.id)
        right = len(seen) > 1  # get only the very first answer wrong
        first.answer(_right_answer(d) if right else None)
        first.advance()
    # the wrong card was asked again later in the same session, and the session ended
    assert seen.count(seen[0]) == 2
    summary = first.summary()
    assert summary.answered == NEW_PER_SESSION + 1
    assert summary.wrong == 1 and summary.right == NEW_PER_SESSION
    assert [d.id for d in summary.to_review] == [seen[0]]
    assert summary.next_due is not None and summary.next_due > clock.t

    clock.t = T0 + timedelta(days=30)
    second = StudySession(list(drills.values()), store, now=clock)
    assert second.due_count == NEW_PER_SESSION
    assert {d.id for d in second.queue[: second.due_count]} == set(seen)
    assert all(store.card(d.id) is None for d in second.queue[second.due_count :])


def _right_answer(d):
    if d.kind == "zone":
        return d.highlight[0]
    if d.kind == "notouch":
        return _inside(d.area)
    if d.kind == "order":
        return list(d.order)
    if d.kind == "condzone":
        return list(d.accept)
    return next(iter(d.accept))


def test_every_drill_accepts_its_own_right_answer(drills):
    for d in drills.values():
        assert check(d, _right_answer(d)), d.id


# -- the progress file -------------------------------------------------------------------------


def test_progress_survives_a_restart(tmp_path, drills):
    path = tmp_path / "study-progress.json"
    clock = Clock()
    session = StudySession(list(drills.values()), ProgressStore(path), now=clock)
    answered = session.current
    session.answer(_right_answer(answered))
    data = json.loads(path.read_text(encoding="utf-8"))
    assert data["format"] == "bodymap-study" and data["version"] == 2

    again = ProgressStore(path)
    assert again.problem is None
    assert again.card(answered.id) is not None
    assert again.due(answered.id) == session.store.due(answered.id)
    assert again.last_right(answered.id) is True
    assert [(d.reviewed, d.right) for d in again.days()] == [(1, 1)]
    assert again.to_json() == session.store.to_json()


@pytest.mark.parametrize(
    "content",
    [
        b"{ this is not json",
        b"\x00\x01\x02",
        json.dumps({"format": "bodymap-study", "version": 99, "cards": {}}).encode(),
        json.dumps({"format": "bodymap-study", "version": 1, "cards": {"zone:collar": 7}}).encode(),
        json.dumps(
            {"format": "bodymap-study", "version": 1, "cards": {}, "days": {"2025-01-01": [1, 5]}}
        ).encode(),
        json.dumps([1, 2, 3]).encode(),
    ],
    ids=["syntax", "binary", "version", "card", "counts", "not-a-table"],
)
def test_a_corrupt_progress_file_is_reported_moved_aside_and_study_starts_fresh(tmp_path, content):
    path = tmp_path / "study-progress.json"
    path.write_bytes(content)
    store = ProgressStore(path)  # no exception
    assert store.problem is not None and str(path) in store.problem
    assert store.moved_to is not None and store.moved_to.name.startswith(
        "study-progress.json.corrupt-"
    )
    assert store.moved_to.read_bytes() == content
    assert str(store.moved_to) in store.problem
    assert not path.exists()
    assert store.known() == set() and store.days() == []
    store.review("zone:collar", True, T0)
    store.save()
    assert ProgressStore(path).card("zone:collar") is not None


def test_reset_forgets_everything(tmp_path):
    path = tmp_path / "study-progress.json"
    store = ProgressStore(path)
    store.review("zone:collar", False, T0)
    store.save()
    store.reset()
    assert store.known() == set() and not path.exists()
    assert ProgressStore(path).known() == set()


def test_the_default_progress_file_is_in_the_user_data_dir(sandbox_dir):
    store = ProgressStore()
    assert store.path.name == "study-progress.json"
    assert Path(sandbox_dir) in store.path.parents
