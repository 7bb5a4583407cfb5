
"""Findings as lists (issue 17, point 3): several hernias, each protected; a scoliosis of one or
two curves (an S-shape); nothing assumed (a hernia's stage, a curve's grade); the doctor's
clearances (grade III, a hernia beyond its initial stage, osteoporosis, recent spinal surgery,
a recent fracture); the same on the command line and in plan documents."""

from __future__ import annotations

import json

import pytest
from window_helpers import answer, answer_all_no

from bodymap.cli import main
from bodymap.document import PlanDocument, load_document
from bodymap.findings import Hernia, Scoliosis
from bodymap.planner import Profile, make_plan
from bodymap.safeguards import halves_of

EPS = 1e-6
L45 = Hernia("L4-L5", "left", "initial")
L5S1 = Hernia("L5-S1", "central", "initial")


def plan(library, geometry, condition, **kw):
    return make_plan(Profile(condition, **kw), library, geometry)


def run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


# ---------------------------------------------------------------------------------------------
# several hernias


def test_several_hernias_are_each_protected(library, geometry):
    p = plan(library, geometry, "hernia", session=6, hernias=(L45, L5S1))
    assert p.status == "ok"
    sites = {n.id: n for n in p.no_touch if n.id.startswith("hernia-site")}
    assert set(sites) == {"hernia-site-L4-L5-left", "hernia-site-L5-S1-central"}
    for h in (L45, L5S1):
        site = geometry.hernia_site(h.level, h.side)
        assert all(s.area.intersection(site).area < EPS for s in p.steps), h
    # the plan names both, in both languages
    texts = [r.text["en"] for r in p.reasons if r.kind == "exclude"]
    assert any("L4-L5" in t for t in texts) and any("L5-S1" in t for t in texts)


def test_the_order_hernias_and_curves_are_given_in_changes_nothing(library, geometry):
    a = Profile("hernia", 6, hernias=(L5S1, L45),
                curves=(Scoliosis("left", 2, "lumbar"), Scoliosis("right", 2, "thoracic")))
    b = Profile("hernia", 6, hernias=(L45, L5S1),
                curves=(Scoliosis("right", 2, "thoracic"), Scoliosis("left", 2, "lumbar")))
    assert a == b
    assert json.dumps(make_plan(a, library, geometry).to_json()) == json.dumps(
        make_plan(b, library, geometry).to_json())


def test_a_hernia_elsewhere_adds_its_zone_and_site(library, geometry):
    p = plan(library, geometry, "hernia", session=6,
             hernias=(L45, Hernia("C5-C6", "right", "initial")))
    assert p.status == "ok" and set(p.emphasis_zones) == {"collar", "lumbosacral"}
    for h in ("hernia-site-L4-L5-left", "hernia-site-C5-C6-right"):
        assert h in {n.id for n in p.no_touch}


# ---------------------------------------------------------------------------------------------
# scoliosis: one or two curves


def test_an_s_shaped_scoliosis_relaxes_each_curves_concave_side(library, geometry):
    s = (Scoliosis("right", 2, "thoracic"), Scoliosis("left", 2, "lumbar"))
    p = plan(library, geometry, "scoliosis", session=6, curves=s)
    assert p.status == "ok"
    concave = {"interscapular-left", "thoracic-left", "lumbosacral-right"}
    convex = {"interscapular-right", "thoracic-right", "lumbosacral-left"}
    relax = {h for st in p.steps if st.role == "relax" for h in halves_of(st.zones)}
    tone = {h for st in p.steps if st.role == "strengthen" for h in halves_of(st.zones)}
    assert relax == concave and tone == convex
    for st in p.steps:  # the concave side of each curve: light only, never deep
        if set(halves_of(st.zones)) & concave:
            assert st.intensity <= 2 and not library.techniques[st.technique].is_deep(st.variant)
    ids = {r.id for r in p.reasons}
    assert {"scoliosis-thoracic", "scoliosis-lumbar"} <= ids
    lumbar = next(r for r in p.reasons if r.id == "scoliosis-lumbar")
    assert "lumbar" in lumbar.text["en"] and "поясничном" in lumbar.text["ru"]


@pytest.mark.parametrize("curves", [
    (Scoliosis("right", 2), Scoliosis("left", 2, "lumbar")),  # whole back + another
    (Scoliosis("right", 2, "lumbar"), Scoliosis("left", 2, "lumbar")),  # two in one region
])
def test_overlapping_curves_are_refused(library, geometry, curves):
    from bodymap.errors import UsageError

    with pytest.raises(UsageError):
        plan(library, geometry, "scoliosis", curves=curves)


# ---------------------------------------------------------------------------------------------
# nothing assumed: stage and grade; the doctor's clearances


def test_a_hernias_stage_is_asked_before_any_session(library, geometry):
    p = plan(library, geometry, "hernia", session=5, hernias=(Hernia("L4-L5", "left"),))
    assert p.status == "blocked" and p.steps == ()
    reason = next(r for r in p.reasons if r.id == "hernia-stage-L4-L5-left")
    assert reason.kind == "unanswered" and "initial stages" in reason.text["en"]
    assert "начальные стадии" in reason.text["ru"]
    # given with another condition, the same
    p = plan(library, geometry, "back-pain", session=5, hernias=(Hernia("L4-L5", "left"),))
    assert p.status == "blocked"


def test_a_curves_grade_is_never_assumed(library, geometry):
    p = plan(library, geometry, "scoliosis", session=5, curves=(Scoliosis("right"),))
    assert p.status == "blocked" and any(r.id == "scoliosis-grade" and r.kind == "unanswered"
                                         for r in p.reasons)
    p = plan(library, geometry, "hypertension", session=5,
             curves=(Scoliosis("right", 2, "thoracic"), Scoliosis("left", None, "lumbar")))
    assert p.status == "blocked"


def test_grade_three_needs_a_doctors_plan_and_grade_four_blocks(library, geometry):
    g3 = plan(library, geometry, "scoliosis", session=6, curves=(Scoliosis("right", 3),))
    assert g3.status == "blocked"
    why = next(r for r in g3.reasons if r.id == "clearance-scoliosis-grade-3")
    assert why.kind == "block" and "doctor" in why.text["en"] and "врач" in why.text["ru"]
    ok = plan(library, geometry, "scoliosis", session=6, curves=(Scoliosis("right", 3),),
              cleared=frozenset({"scoliosis-grade-3"}))
    assert ok.status == "ok" and any(r.id == "cleared-scoliosis-grade-3" for r in ok.reasons)
    # an S-shape takes the higher grade of its curves
    s = (Scoliosis("right", 2, "thoracic"), Scoliosis("left", 3, "lumbar"))
    assert plan(library, geometry, "scoliosis", session=6, curves=s).status == "blocked"
    g4 = plan(library, geometry, "back-pain", session=6, curves=(Scoliosis("right", 4),),
              cleared=frozenset({"scoliosis-grade-3"}))
    assert g4.status == "blocked" and any(r.id == "scoliosis-grade-4" for r in g4.reasons)


def test_a_hernia_beyond_its_initial_stage_needs_a_doctors_clearance(library, geometry):
    h = Hernia("L4-L5", "left", "advanced")
    p = plan(library, geometry, "hernia", session=5, hernias=(h,))
    assert p.status == "blocked" and any(r.id == "clearance-hernia-advanced" for r in p.reasons)
    ok = plan(library, geometry, "hernia", session=5, hernias=(h,),
              cleared=frozenset({"hernia-advanced"}))
    assert ok.status == "ok"
    assert any(n.id == "hernia-site-L4-L5-left" for n in ok.no_touch)


@pytest.mark.parametrize("cid", ["osteoporosis", "spinal-surgery", "recent-fracture"])
def test_osteoporosis_surgery_and_fracture_need_a_doctors_clearance(library, geometry, cid):
    assert library.contraindications[cid].action == "clearance"
    p = plan(library, geometry, "back-pain", session=5, present=frozenset({cid}))
    assert p.status == "blocked" and p.steps == ()
    assert next(r for r in p.reasons if r.id == cid).kind == "block"
    ok = plan(library, geometry, "back-pain", session=5, present=frozenset({cid}),
              cleared=frozenset({cid}))
    assert ok.status == "ok" and next(r for r in ok.reasons if r.id == cid).kind == "note"
    # unanswered, the question blocks as every other does
    unanswered = plan(library, geometry, "back-pain", session=5,
                      answered=frozenset(library.contraindications) - {cid})
    assert any(r.id == cid and r.kind == "unanswered" for r in unanswered.reasons)


def test_clearing_something_that_needs_no_clearance_is_refused(library, geometry):
    from bodymap.errors import UsageError

    with pytest.raises(UsageError, match="not something a doctor clears"):
        plan(library, geometry, "back-pain", cleared=frozenset({"fever"}))


# ---------------------------------------------------------------------------------------------
# the command line


def test_repeated_hernia_flags_add_up(capsys):
    code, out, err = run(capsys, "plan", "--condition", "hernia", "--session", "5",
                         "--hernia", "L4-L5:left,stage=initial", "--hernia", "L5-S1,stage=initial",
                         "--json")
    assert code == 0, err
    d = json.loads(out)
    ids = [n["id"] for n in d["no_touch"]]
    assert "hernia-site-L4-L5-left" in ids and "hernia-site-L5-S1-central" in ids


@pytest.mark.parametrize(("argv", "words"), [
    (["--condition", "hernia", "--hernia", "L4-L5:left", "--hernia", "L4-L5:left"],
     "--hernia 'L4-L5:left' is given twice"),
    (["--condition", "hernia", "--hernia", "L4-L5:left,stage=initial", "--hernia",
      "L4-L5:left,stage=advanced"], "is given twice"),
    (["--condition", "scoliosis", "--scoliosis", "convex=right,grade=2", "--scoliosis",
      "convex=right,grade=2"], "--scoliosis 'convex=right,grade=2' is given twice"),
    (["--condition", "scoliosis", "--scoliosis", "convex=right,grade=2", "--scoliosis",
      "convex=left,grade=2,region=lumbar"], "whole back"),
    (["--condition", "hernia", "--condition", "hernia"], "condition 'hernia' is given twice"),
    (["--condition", "hernia", "--hernia", "L4-L5,stage=late"], "stage 'late'"),
    (["--condition", "scoliosis", "--scoliosis", "convex=right,region=neck"], "region 'neck'"),
    (["--condition", "back-pain", "--cleared", "fever"], "not something a doctor clears"),
])
def test_repeats_and_contradictions_are_one_line_and_exit_2(capsys, argv, words):
    code, out, err = run(capsys, "plan", *argv, "--json")
    assert code == 2 and out == ""
    assert err.count("\n") == 1 and words in err and "Traceback" not in err


def test_an_s_curve_and_a_missing_grade_on_the_command_line(capsys):
    code, out, _ = run(capsys, "plan", "--condition", "scoliosis", "--session", "6",
                       "--scoliosis", "convex=right,grade=2,region=thoracic",
                       "--scoliosis", "convex=left,grade=2,region=lumbar", "--json")
    assert code == 0 and json.loads(out)["status"] == "ok"
    code, out, _ = run(capsys, "plan", "--condition", "scoliosis", "--scoliosis", "convex=right",
                       "--json")
    d = json.loads(out)
    assert code == 0 and d["status"] == "blocked"
    assert "scoliosis-grade" in [r["id"] for r in d["reasons"]]


def test_clearance_on_the_command_line(capsys):
    code, out, _ = run(capsys, "plan", "--condition", "back-pain", "--contra", "osteoporosis",
                       "--json")
    assert code == 0 and json.loads(out)["status"] == "blocked"
    code, out, _ = run(capsys, "plan", "--condition", "back-pain", "--contra", "osteoporosis",
                       "--cleared", "osteoporosis", "--json")
    assert code == 0 and json.loads(out)["status"] == "ok"


@pytest.mark.parametrize("argv", [
    ["--condition", "hernia", "--condition", "hernia"],
    ["screenshot", "--out", "x.png", "--condition", "stress", "--condition", "stress"],
])
def test_a_condition_given_twice_never_opens_a_window(capsys, argv):
    code, _out, err = run(capsys, *argv)
    assert code == 2 and err.count("\n") == 1 and "given twice" in err
    assert "Traceback" not in err and "ValidationError" not in err


# ---------------------------------------------------------------------------------------------
# plan documents: version 3, migration, the safe defaults, plan --from


def test_findings_lists_are_saved_and_read_back(tmp_path):
    doc = PlanDocument.new(("hernia", "scoliosis"), session=4,
                           hernias=[L5S1, ("L4-L5", "left", "initial")],
                           scoliosis=[("left", 2, "lumbar"), Scoliosis("right", 3, "thoracic")],
                           cleared=("scoliosis-grade-3",))
    from bodymap.document import save_document

    again = load_document(save_document(doc, tmp_path / "p.bodymap.json"))
    assert again == doc
    profile = again.to_profile()
    assert profile.hernias == (L45, L5S1)
    assert profile.curves == (Scoliosis("right", 3, "thoracic"), Scoliosis("left", 2, "lumbar"))
    assert profile.cleared == frozenset({"scoliosis-grade-3"})


def test_a_version_2_file_migrates_and_waits_for_what_it_never_asked(tmp_path, library,
                                                                      geometry):
    path = tmp_path / "old.bodymap.json"
    path.write_text(json.dumps({
        "format": "bodymap-plan", "version": 2,
        "profile": {"conditions": ["hernia"], "session": 5,
                    "hernia": {"level": "L4-L5", "side": "left"},
                    "scoliosis": {"convex": "right", "grade": 2},
                    "answered": sorted(library.contraindications)},
    }), encoding="utf-8")
    doc = load_document(path)
    assert doc.version == 3
    profile = doc.to_profile()
    assert profile.hernias == (Hernia("L4-L5", "left", None),)
    assert profile.curves == (Scoliosis("right", 2, "whole"),)
    p = make_plan(profile, library, geometry)
    assert p.status == "blocked"  # the stage was never asked: the plan waits for it
    assert [r.id for r in p.reasons if r.kind == "unanswered"] == ["hernia-stage-L4-L5-left"]


@pytest.mark.parametrize("answered", ["missing", None])
def test_a_file_without_answers_counts_every_question_as_unanswered(tmp_path, library,
                                                                    geometry, answered):
    profile = {"conditions": ["hypertension"]}
    if answered != "missing":
        profile["answered"] = answered
    path = tmp_path / "p.bodymap.json"
    path.write_text(json.dumps({"format": "bodymap-plan", "version": 2, "profile": profile}),
                    encoding="utf-8")
    p = make_plan(load_document(path).to_profile(), library, geometry)
    assert p.status == "blocked" and p.steps == ()
    assert len([r for r in p.reasons if r.kind == "unanswered"]) == len(
        library.contraindications)


@pytest.mark.parametrize(("profile", "field"), [
    ({"conditions": ["hernia"], "hernias": [{"level": "L4-L5"}, {"level": "L4-L5"}]},
     "profile.hernias"),
    ({"conditions": ["hernia"], "hernias": [{"level": "L4-L5", "stage": "late"}]},
     "profile.hernias"),
    ({"conditions": ["scoliosis"], "scoliosis": [{"convex": "left", "grade": 2},
                                                 {"convex": "right", "region": "lumbar"}]},
     "profile.scoliosis"),
    ({"conditions": ["scoliosis"], "scoliosis": [{"convex": "left", "grade": "2"}]},
     "profile.scoliosis"),
    ({"conditions": ["hypertension"], "answered": None}, "profile.answered"),
])
def test_malformed_findings_in_a_file_name_the_field(tmp_path, profile, field):
    from bodymap.errors import DataFileError

    path = tmp_path / "bad.bodymap.json"
    path.write_text(json.dumps({"format": "bodymap-plan", "version": 3, "profile": profile}),
                    encoding="utf-8")
    with pytest.raises(DataFileError) as info:
        load_document(path)
    assert str(path) in str(info.value) and field in str(info.value)


def test_plan_from_a_saved_document_prints_the_windows_plan(capsys, tmp_path, library,
                                                           geometry):
    from bodymap.document import save_document

    doc = PlanDocument.new(("osteochondrosis-lumbosacral", "hernia"), session=6,
                           hernias=[L45, L5S1], answered=tuple(library.contraindications),
                           present=("anticoagulants",), lesions=("thoracic-right",))
    path = save_document(doc, tmp_path / "p.bodymap.json")
    code, out, err = run(capsys, "plan", "--from", str(path), "--json")
    assert code == 0, err
    window = make_plan(doc.checked(library, geometry).to_profile(), library, geometry)
    assert json.loads(out) == json.loads(json.dumps(window.to_json()))
    code, out, _ = run(capsys, "plan", "--from", str(path))
    assert code == 0 and "osteochondrosis-lumbosacral" in out


@pytest.mark.parametrize(("argv", "code", "words"), [
    (["--from", "{tmp}/missing.bodymap.json"], 1, "missing.bodymap.json"),
    (["--from", "{tmp}/p.bodymap.json", "--session", "3"], 2, "--from is given with --session"),
    (["--from", "{tmp}/bad.bodymap.json"], 1, "field 'profile.conditions.0'"),
    (["--from", "{tmp}/unknown.bodymap.json"], 1, "unknown condition 'flu'"),
])
def test_plan_from_a_bad_file_is_one_line(capsys, tmp_path, argv, code, words):
    from bodymap.document import save_document

    save_document(PlanDocument.new("stress"), tmp_path / "p.bodymap.json")
    (tmp_path / "bad.bodymap.json").write_text(
        '{"format": "bodymap-plan", "version": 3, "profile": {"conditions": [1]}}')
    (tmp_path / "unknown.bodymap.json").write_text(
        '{"format": "bodymap-plan", "version": 3, "profile": {"conditions": ["flu"]}}')
    got, out, err = run(capsys, "plan", *[a.format(tmp=tmp_path) for a in argv], "--json")
    assert got == code and out == "" and err.count("\n") == 1 and words in err, err


# ---------------------------------------------------------------------------------------------
# the window


def test_the_panel_lists_several_hernias_and_an_s_curve(make_window):
    window = make_window(condition="hernia")
    answer_all_no(window)
    panel = window.parts.panel
    panel.add_hernia("L4-L5", "left", "initial")
    panel.add_hernia("L5-S1", "central", "initial")
    assert panel.hernias.list.count() == 2
    assert {n.id for n in window.plan.no_touch} >= {"hernia-site-L4-L5-left",
                                                   "hernia-site-L5-S1-central"}
    # the S-curve from the editor row: thoracic convex right, lumbar convex left, grade II
    for side, region in ((2, 1), (1, 2)):
        panel.curves.list.setCurrentRow(-1)
        panel.scoliosis_side.setCurrentIndex(side)
        panel.scoliosis_region.setCurrentIndex(region)
        panel.scoliosis_grade.setCurrentIndex(2)
        panel.curves.add_button.click()
    assert window.controller.document().to_profile().curves == (
        Scoliosis("right", 2, "thoracic"), Scoliosis("left", 2, "lumbar"))
    assert window.plan.status == "ok"
    # remove one hernia: its site is no longer a no-touch area, the other's still is
    panel.hernias.list.setCurrentRow(0)
    panel.hernias.remove_button.click()
    ids = {n.id for n in window.plan.no_touch}
    assert "hernia-site-L4-L5-left" not in ids and "hernia-site-L5-S1-central" in ids


def test_the_panel_asks_the_doctors_clearance(make_window):
    from PySide6.QtCore import Qt

    window = make_window(condition="back-pain")
    answer_all_no(window)
    assert window.plan.status == "ok" and window.parts.panel.clearances.count() == 0
    answer(window, "osteoporosis", True)
    assert window.plan.status == "blocked"
    clearances = window.parts.panel.clearances
    assert clearances.count() == 1 and not clearances.isHidden()
    assert "osteoporosis" in clearances.item(0).text()
    clearances.item(0).setCheckState(Qt.CheckState.Checked)
    assert window.plan.status == "ok"
    assert window.controller.document().profile.cleared == ("osteoporosis",)


def test_a_stage_or_grade_not_given_reads_back_as_not_given(make_window, tmp_path):
    window = make_window(condition="hernia")
    answer_all_no(window)
    window.parts.panel.add_hernia("L4-L5", "left")  # stage not given
    assert window.plan.status == "blocked"
    assert window.parts.panel.hernias.list.item(0).text().endswith("stage not given yet")
    path = tmp_path / "w.bodymap.json"
    assert window.documents.save_to(path)
    assert json.loads(path.read_text())["profile"]["hernias"] == [
        {"level": "L4-L5", "side": "left", "stage": None}]
