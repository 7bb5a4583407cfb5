"""Study that a student would choose (issue 19.4), the pure part: decks saved with the
progress, self-grading with FSRS intervals, the motion drill, exam mode, mastery per topic,
the Anki export; and the study fixes of issue 20.6 that live in the drills."""

from __future__ import annotations

import json
import re
import sqlite3
import zipfile
from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest

from bodymap.decks import ALL, Deck
from bodymap.drill_base import NEAR_MISS, NO_TOUCH_TOLERANCE, TOPICS, near_miss
from bodymap.drill_motion import motion_drills, motion_signature
from bodymap.drills import build_drills, check
from bodymap.errors import DataFileError
from bodymap.exam import Exam
from bodymap.mastery import mastery
from bodymap.motion_demo import demo_for_step
from bodymap.planner import technique_step
from bodymap.progress_file import read_progress
from bodymap.study import GRADES, ProgressStore, StudySession, interval_text

T0 = datetime(2025, 3, 3, 9, 0, tzinfo=UTC)


class Clock:
    def __init__(self, t: datetime = T0) -> None:
        self.t = t

    def __call__(self) -> datetime:
        return self.t


@pytest.fixture(scope="module")
def drills(library, geometry):
    return build_drills(library, geometry)


@pytest.fixture(scope="module")
def by_id(drills):
    return {d.id: d for d in drills}


def _right(d):
    if d.kind == "zone":
        return d.highlight[0]
    if d.kind == "notouch":
        p = d.area.representative_point()
        return (p.x, p.y)
    if d.kind == "order":
        return list(d.order)
    if d.kind == "condzone":
        return list(d.accept)
    return next(iter(d.accept))


# -- decks -------------------------------------------------------------------------------------


def test_a_deck_chooses_cards_by_topic_kind_condition_and_technique(drills):
    assert {d.topic for d in drills} == set(TOPICS)
    zones = Deck("Zones", topics=frozenset({"zones"}))
    assert {d.kind for d in zones.cards(drills)} == {"zone"}
    hernia = Deck("Hernia", topics=frozenset({"notouch", "order", "conditions"}),
                  conditions=frozenset({"hernia"}))
    chosen = hernia.cards(drills)
    assert chosen and {d.condition for d in chosen} == {"hernia"}
    assert {d.kind for d in chosen} == {"notouch", "order", "condzone"}
    rubbing = Deck("Rubbing", topics=frozenset({"motions"}), kinds=frozenset({"motion"}),
                   techniques=frozenset({"rubbing", "kneading"}))
    assert {d.id for d in rubbing.cards(drills)} == {
        "motion:rubbing/circular-rubbing", "motion:rubbing/zigzag-rubbing",
        "motion:kneading/superficial-kneading", "motion:kneading/deep-kneading",
        "motion:kneading/skin-fold-rolling"}
    assert len(ALL.cards(drills)) == len(drills)


def test_a_session_studies_only_its_decks_cards_and_its_new_card_count(tmp_path, drills):
    deck = Deck("Contra", topics=frozenset({"contra"}), new_per_session=4)
    session = StudySession(drills, ProgressStore(tmp_path / "p.json"), now=Clock(), deck=deck)
    assert session.new_count == 4
    assert {d.kind for d in session.queue} == {"contra"}


def test_decks_are_saved_with_the_progress_and_the_last_deck_is_remembered(tmp_path):
    path = tmp_path / "study-progress.json"
    store = ProgressStore(path)
    deck = Deck("Before the exam", topics=frozenset({"zones", "notouch"}),
                kinds=frozenset({"zone", "notouch"}), conditions=frozenset({"hernia"}),
                new_per_session=7)
    store.save_deck(deck, T0)
    store.save()
    data = json.loads(path.read_text(encoding="utf-8"))
    assert data["version"] == 2
    assert data["decks"]["Before the exam"]["topics"] == ["zones", "notouch"]
    assert data["deck"]["name"] == "Before the exam"
    again = ProgressStore(path)
    assert again.problem is None
    assert again.find_deck("Before the exam") == deck
    assert again.last_deck() == deck
    assert [d.name for d in again.decks()] == ["", "Before the exam"]


def test_a_version_1_file_reads_and_is_kept_with_decks_added(tmp_path):
    path = tmp_path / "study-progress.json"
    v1 = {"format": "bodymap-study", "version": 1,
          "cards": {"zone:collar": {"card_id": 5, "state": 2, "step": None, "stability": 3.1,
                                    "difficulty": 5.0, "due": "2025-03-05T09:00:00+00:00",
                                    "last_review": "2025-03-03T09:00:00+00:00"}},
          "days": {"2025-03-03": [1, 1]}, "last": {"zone:collar": True}}
    path.write_text(json.dumps(v1), encoding="utf-8")
    store = ProgressStore(path)
    assert store.problem is None and store.card("zone:collar") is not None
    assert store.last_deck() == ALL
    store.save_deck(Deck("Mine"), T0)
    store.save()
    data = json.loads(path.read_text(encoding="utf-8"))
    assert data["version"] == 2 and "zone:collar" in data["cards"] and "Mine" in data["decks"]


@pytest.mark.parametrize(("deck", "field"), [
    ({"topics": ["zones", "astrology"], "kinds": [], "changed": "2025-03-03T09:00:00+00:00"},
     "decks.x.topics"),
    ({"topics": [], "kinds": ["zone"], "new_per_session": "5",
      "changed": "2025-03-03T09:00:00+00:00"}, "decks.x.new_per_session"),
    ({"topics": [], "kinds": [], "changed": "2025-03-03T09:00:00"}, "decks.x.changed"),
    ({"topics": [], "kinds": [], "changed": "2025-03-03T09:00:00+00:00", "colour": "red"},
     "decks.x.colour"),
])
def test_a_wrong_deck_in_the_file_is_refused_with_the_field_named(tmp_path, deck, field):
    path = tmp_path / "p.json"
    path.write_text(json.dumps({"format": "bodymap-study", "version": 2, "decks": {"x": deck}}),
                    encoding="utf-8")
    with pytest.raises(DataFileError) as info:
        read_progress(path)
    assert field in str(info.value) and str(path) in str(info.value)


def test_a_deck_name_with_control_characters_is_refused(tmp_path):
    path = tmp_path / "p.json"
    deck = {"topics": [], "kinds": [], "changed": "2025-03-03T09:00:00+00:00"}
    path.write_text(json.dumps({"format": "bodymap-study", "version": 2,
                                "decks": {"a\u0007b": deck}}), encoding="utf-8")
    with pytest.raises(DataFileError, match="decks"):
        read_progress(path)


def test_two_copies_keep_each_others_decks_and_a_deletion_stays_deleted(tmp_path):
    path = tmp_path / "p.json"
    one, two = ProgressStore(path), ProgressStore(path)
    one.save_deck(Deck("One"), T0)
    one.save()
    two.save_deck(Deck("Two"), T0 + timedelta(minutes=1))
    two.save()  # merges: both decks on disk
    assert {d.name for d in two.decks()} == {"", "One", "Two"}
    two.delete_deck("One", T0 + timedelta(minutes=2))
    two.save()
    one.save_deck(Deck("Three"), T0 + timedelta(minutes=3))
    one.save()  # one still holds "One" from before: the newer deletion wins
    assert {d.name for d in ProgressStore(path).decks()} == {"", "Two", "Three"}


def test_resetting_progress_keeps_the_students_decks(tmp_path):
    store = ProgressStore(tmp_path / "p.json")
    store.save_deck(Deck("Keep me"), T0)
    store.review("zone:collar", True, T0)
    store.save()
    store.reset()
    assert store.known() == set() and store.find_deck("Keep me") is not None


# -- self-grading --------------------------------------------------------------------------------


def test_each_grade_shows_the_interval_it_gives_as_in_anki(tmp_path, by_id):
    session = StudySession([by_id["zone:collar"]], ProgressStore(tmp_path / "p.json"),
                           now=Clock())
    before = session.intervals()
    assert list(before) == list(GRADES)
    assert before["again"] < before["hard"] < before["good"] < before["easy"]
    v = session.answer("collar-left")
    assert v.right and v.grades == GRADES and v.grade == "good"
    shown = session.intervals()
    assert shown == before  # from where the card was before the answer
    v = session.grade("easy")
    assert v.due - T0 == shown["easy"]
    v = session.grade("hard")
    assert v.due - T0 == shown["hard"]
    assert session.store.due("zone:collar") == T0 + shown["hard"]
    assert ProgressStore(session.store.path).due("zone:collar") == T0 + shown["hard"]


def test_a_wrong_answer_can_only_be_graded_again(tmp_path, by_id):
    session = StudySession([by_id["zone:collar"]], ProgressStore(tmp_path / "p.json"),
                           now=Clock())
    v = session.answer("thoracic-left")
    assert not v.right and v.grades == ("again",)
    with pytest.raises(ValueError, match="not a grade"):
        session.grade("easy")
    assert v.due - T0 == timedelta(minutes=10)


def test_show_answer_lets_the_student_grade_their_own_recall(tmp_path, by_id):
    store = ProgressStore(tmp_path / "p.json")
    session = StudySession([by_id["contra:fever"]], store, now=Clock())
    intervals = session.intervals()
    v = session.reveal()
    assert v.revealed and v.grades == GRADES and store.card("contra:fever") is None
    v = session.grade("good")
    assert v.due - T0 == intervals["good"] and session.answered == 1 and session.right == 1
    assert store.last_right("contra:fever") is True


@pytest.mark.parametrize(("delta", "en", "ru"), [
    (timedelta(minutes=10), "10 min", "10 мин"),
    (timedelta(hours=5), "5 h", "5 ч"),
    (timedelta(days=8), "8 d", "8 дн"),
    (timedelta(days=46), "1.5 mo", "1,5 мес"),
    (timedelta(days=500), "1.4 y", "1,4 г"),
])
def test_intervals_read_as_anki_shows_them_in_both_languages(delta, en, ru):
    assert interval_text(delta, "en") == en
    assert interval_text(delta, "ru") == ru


# -- the motion drill ----------------------------------------------------------------------------


def test_every_technique_variant_has_a_motion_card_whose_options_all_move_differently(
        library, geometry, drills):
    motion = [d for d in drills if d.kind == "motion"]
    variants = sum(len(t.variants) or 1 for t in library.techniques.values())
    assert len(motion) == variants
    for d in motion:
        step = d.plan.steps[0]
        assert not d.plan.emphasis_zones  # the motion alone: no plan around it
        assert check(d, _right(d)) and len(d.options) >= 4
        look = motion_signature(library, step)
        others = [d2 for d2 in motion if d2.id != d.id
                  and next(iter(d2.accept)) in {o.id for o in d.options}]
        for other in others:
            assert motion_signature(library, other.plan.steps[0]) != look, (d.id, other.id)


def _looks_on_screen(library, motion_cards):
    """What each option's own card plays in the close-up: its family, contact, pressure and
    tempo, as :func:`bodymap.motion_demo.demo_for_step` lays them (not the drill's own
    signature), per option id."""
    out = {}
    for d in motion_cards:
        shown = demo_for_step(library, d.plan.steps[0])
        out[next(iter(d.accept))] = (shown.motion, shown.contact, shown.pressure, shown.tempo)
    return out


def _look_alike_library(library):
    """The shipped library with three more variants of stroking that move exactly as light
    stroking does (another name, the same hand, path, pressure and tempo)."""
    stroking = library.techniques["stroking"]
    light = stroking.variant("light-stroking")
    twins = [light.model_copy(update={"id": f"light-stroking-{i}"}) for i in (2, 3, 4)]
    techniques = dict(library.techniques)
    techniques["stroking"] = stroking.model_copy(
        update={"variants": [*stroking.variants, *twins]})
    return replace(library, techniques=techniques)


@pytest.mark.parametrize("look_alikes", [False, True])
def test_no_motion_card_offers_two_options_whose_animations_are_the_same(
        library, geometry, drills, look_alikes):
    lib = _look_alike_library(library) if look_alikes else library
    motion = [d for d in (build_drills(lib, geometry) if look_alikes else drills)
              if d.kind == "motion"]
    looks = _looks_on_screen(lib, motion)
    if look_alikes:
        assert len(set(looks.values())) < len(looks)  # the twins are there to be avoided
    for d in motion:
        shown = [looks[o.id] for o in d.options]
        assert len(set(shown)) == len(shown) >= 4, (d.id, shown)


def test_deep_and_light_stroking_at_one_tempo_may_be_asked_against_each_other(
        library, geometry):
    """Deep stroking presses deep with one palm on the other; light stroking glides with one
    palm, lightly: at the same tempo they still look different in the close-up."""
    light, deep = (technique_step(library, geometry, "stroking", v, intensity=3)
                   for v in ("light-stroking", "deep-stroking"))
    assert motion_signature(library, light) != motion_signature(library, deep)
    lib = replace(library, techniques={
        k: t for k, t in library.techniques.items() if k in ("stroking", "rubbing")})
    cards = {d.id: d for d in motion_drills(lib, geometry, [])}  # every step at intensity 3
    offered = {o.id for o in cards["motion:stroking/light-stroking"].options}
    assert "stroking/deep-stroking" in offered


# -- issue 20.6, in the drills -------------------------------------------------------------------


def test_sources_name_the_source_article_in_both_languages_never_our_files(drills):
    cyrillic = re.compile("[А-Яа-яЁё]")
    for d in drills:
        assert d.sources, d.id
        for src in d.sources:
            for lang in ("en", "ru"):
                assert "zones" not in src[lang].lower() or "svg" not in src[lang].lower(), d.id
                assert not re.search(r"\.(svg|toml|json|py)\b", src[lang]), (d.id, src[lang])
            assert re.match(r"(Part \d|NICE|Cochrane|bodymap's own)", src["en"]) or \
                "," in src["en"], (d.id, src["en"])
            assert cyrillic.search(src["ru"]) and not src["ru"].startswith("Part "), src["ru"]
    zone = next(d for d in drills if d.id == "zone:collar")
    assert zone.sources[0]["en"].startswith('Part 3, "Therapeutic back massage"')
    assert zone.sources[0]["ru"].startswith("Часть 3 — Лечебный массаж спины")


def test_a_near_miss_is_told_apart_from_a_plain_miss(geometry, by_id):
    left = by_id["zone:collar-left"]
    spine = geometry.polygon("spine")
    # on the spine beside the left collar half: a near miss
    y = geometry.polygon("collar-left").representative_point().y
    x = spine.centroid.x
    assert near_miss(left, "", (x, y))
    # the other half of the same zone: the wrong side, not a near miss
    r = geometry.polygon("collar-right").representative_point()
    assert not near_miss(left, "collar-right", (r.x, r.y))
    far = geometry.polygon("lumbosacral-right").representative_point()
    assert not near_miss(left, "lumbosacral-right", (far.x, far.y))
    assert not near_miss(left, "collar-left", None)
    hernia = by_id["notouch:hernia-L4-L5-left:stroking"]
    site = geometry.hernia_site("L4-L5", "left")
    minx, miny, _maxx, maxy = site.bounds
    from shapely import Point

    y = (miny + maxy) / 2
    x = next(minx - k for k in range(1, 80)
             if hernia.area.distance(Point(minx - k, y)) >= NO_TOUCH_TOLERANCE + 3)
    beside = (x, y)
    assert hernia.area.distance(Point(*beside)) < NO_TOUCH_TOLERANCE + NEAR_MISS
    assert not check(hernia, beside) and near_miss(hernia, beside, beside)
    far = (x - 40, y)
    assert not check(hernia, far) and not near_miss(hernia, far, far)


# -- exam --------------------------------------------------------------------------------------


def test_an_exam_mixes_topics_never_touches_the_schedule_and_reports_per_topic(tmp_path, drills):
    path = tmp_path / "p.json"
    store = ProgressStore(path)
    store.review("zone:collar", True, T0)
    store.save()
    before = path.read_bytes()
    clock = Clock()
    exam = Exam(drills, count=20, minutes=15, seed=7, now=clock)
    assert len(exam.questions) == 20 and len({q.id for q in exam.questions}) == 20
    assert {q.topic for q in exam.questions} == set(TOPICS)
    right = 0
    for i in range(12):
        q = exam.current
        answer = _right(q) if i % 3 else None
        right += bool(check(q, answer))
        exam.answer(answer)
        clock.t += timedelta(seconds=30)
    clock.t = T0 + timedelta(minutes=16)  # the time runs out
    assert exam.timed_out()
    with pytest.raises(RuntimeError):
        exam.answer(None)
    report = exam.report()
    assert report.timed_out and report.asked == 20 and report.right == right
    assert len(report.unanswered) == 8
    assert sum(t.unanswered for t in report.topics) == 8
    assert sum(t.right + t.wrong + t.unanswered for t in report.topics) == 20
    assert report.finished == exam.deadline
    assert path.read_bytes() == before  # no review scheduled, nothing written
    assert ProgressStore(path).known() == {"zone:collar"}


# -- mastery -----------------------------------------------------------------------------------


def test_mastery_per_topic_counts_due_cards_and_estimates_retention(tmp_path, drills):
    store = ProgressStore(tmp_path / "p.json")
    zones = [d for d in drills if d.topic == "zones"]
    for d in zones[:4]:
        store.review(d.id, True, T0)  # due in two days
    store.review(zones[4].id, False, T0)  # due in ten minutes
    rows = {r.topic: r for r in mastery(drills, store, T0 + timedelta(hours=1))}
    z = rows["zones"]
    assert z.cards == len(zones) and z.studied == 5 and z.new == len(zones) - 5
    assert z.due_now == 1 and z.due_week == 4 and z.later == 0
    assert 0.5 < z.retention <= 1.0 and z.retention_week < z.retention
    assert rows["contra"].studied == 0 and rows["contra"].retention is None
    assert list(rows) == [t for t in TOPICS if t in rows]


# -- Anki export -------------------------------------------------------------------------------


def test_the_anki_export_is_a_package_anki_opens_with_notes_and_pictures(tmp_path, drills):
    from bodymap.anki_export import export_apkg

    png = b"\x89PNG\r\n\x1a\nfake"
    chosen = [d for d in drills if d.kind in ("zone", "order", "contra")][:20]
    out = tmp_path / "deck.apkg"
    result = export_apkg(chosen, out, lang="ru", deck_title="bodymap::Все карточки",
                         images=lambda d, lang: (png, png) if d.kind == "zone" else (None, None),
                         timestamp=1.0e9)
    zones = sum(1 for d in chosen if d.kind == "zone")
    assert result.notes == len(chosen) and result.media == 2 * zones
    with zipfile.ZipFile(out) as z:
        names = z.namelist()
        assert "collection.anki2" in names
        media = json.loads(z.read("media"))
        assert len(media) == 2 * zones
        assert all(z.read(i) == png for i in media)
        (tmp_path / "col").write_bytes(z.read("collection.anki2"))
    db = sqlite3.connect(tmp_path / "col")
    try:
        notes = db.execute("select guid, flds from notes").fetchall()
        decks = json.loads(db.execute("select decks from col").fetchone()[0])
    finally:
        db.close()
    assert len(notes) == len(chosen)
    assert any(d["name"] == "bodymap::Все карточки" for d in decks.values())
    fields = [n[1].split("\x1f") for n in notes]
    assert all(len(f) == 8 for f in fields)
    pictured = [f for f in fields if f[1]]
    assert len(pictured) == zones
    for f in pictured:
        assert re.fullmatch(r'<img src="bodymap-zone-[a-z-]+-q-ru\.png">', f[1])
        assert f[1][10:-2] in media.values()
    assert any("Нажмите на карте" in f[0] for f in fields)  # in the chosen language
    assert all("<script" not in "".join(f) for f in fields)
    # the same export again keeps the notes' ids (a re-import updates, never doubles)
    export_apkg(chosen, tmp_path / "again.apkg", lang="ru", deck_title="x", timestamp=2.0e9)
    with zipfile.ZipFile(tmp_path / "again.apkg") as z:
        (tmp_path / "col2").write_bytes(z.read("collection.anki2"))
    db = sqlite3.connect(tmp_path / "col2")
    try:
        again = {g for (g,) in db.execute("select guid from notes")}
    finally:
        db.close()
    assert again == {n[0] for n in notes}


def test_an_anki_export_that_cannot_be_written_names_the_file(tmp_path, drills):
    from bodymap.anki_export import export_apkg

    blocker = tmp_path / "not-a-folder"
    blocker.write_bytes(b"a file where a folder should be")
    target = blocker / "deck.apkg"
    with pytest.raises(DataFileError) as info:
        export_apkg(drills[:3], target, lang="en", deck_title="x")
    assert str(target) in str(info.value)
    assert "Traceback" not in str(info.value)
    assert blocker.read_bytes() == b"a file where a folder should be"
