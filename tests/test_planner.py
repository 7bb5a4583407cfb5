"""The planner's rules, and golden plans for several patients.

Golden fixtures live in tests/golden/<name>.json. They hold the plan JSON without the no-touch
``geometry`` (that depends on the drawing in assets/zones.svg; the property tests check the
geometry). After an intended change to the protocols or the planner, regenerate them with

    BODYMAP_REGEN_GOLDEN=1 .venv/bin/python -m pytest tests/test_planner.py -k golden

and review the diff (git diff tests/golden) before committing.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from bodymap.errors import UsageError
from bodymap.geometry import load_geometry
from bodymap.library import load_library
from bodymap.planner import NOTE, Hernia, Profile, Scoliosis, make_plan

GOLDEN = Path(__file__).parent / "golden"


@pytest.fixture(scope="module")
def lib():
    return load_library(None)


@pytest.fixture(scope="module")
def geo():
    return load_geometry()


def plan(lib, geo, condition, **kw):
    return make_plan(Profile(condition, **kw), lib, geo)


# ---------------------------------------------------------------------------------------------
# golden plans

CASES = {
    "hypertension-s1": dict(condition="hypertension", session=1),
    "radiculitis-s2": dict(condition="radiculitis", session=2),
    "radiculitis-s8": dict(condition="radiculitis", session=8),
    "hernia-l4-l5-left-s5": dict(condition="hernia", session=5, hernias=(Hernia("L4-L5", "left",
                                                                                "initial"),)),
    "scoliosis-convex-right-g2-s6": dict(condition="scoliosis", session=6,
                                         curves=(Scoliosis("right", 2),)),
    "osteochondrosis-lumbosacral-lesion-s6": dict(
        condition="osteochondrosis-lumbosacral", session=6,
        lesions=frozenset({"lumbosacral-left"})),
    "osteochondrosis-widespread-anticoagulants-s9": dict(
        condition="osteochondrosis-widespread", session=9,
        present=frozenset({"anticoagulants"})),
    "stress-s4-no-zones": dict(condition="stress", session=4),
    "blocked-hypertension-fever-s3": dict(condition="hypertension", session=3,
                                          present=frozenset({"fever"})),
    "blocked-back-pain-red-flag": dict(condition="back-pain",
                                       present=frozenset({"saddle-numbness"})),
    "postponed-radiculitis-acute-s1": dict(condition="radiculitis",
                                           present=frozenset({"acute-phase"})),
}


def golden_json(p) -> dict:
    data = p.to_json()
    for n in data["no_touch"]:
        n.pop("geometry")
    return data


@pytest.mark.parametrize("name", sorted(CASES))
def test_golden(lib, geo, name):
    data = golden_json(make_plan(Profile(**CASES[name]), lib, geo))
    text = json.dumps(data, ensure_ascii=False, indent=2, sort_keys=False) + "\n"
    path = GOLDEN / f"{name}.json"
    if os.environ.get("BODYMAP_REGEN_GOLDEN"):
        GOLDEN.mkdir(exist_ok=True)
        path.write_text(text, encoding="utf-8")
    assert path.is_file(), f"missing golden {path.name}: regenerate (see module docstring)"
    assert json.loads(path.read_text(encoding="utf-8")) == data


def test_golden_cases_cover_every_status(lib, geo):
    statuses = {make_plan(Profile(**kw), lib, geo).status for kw in CASES.values()}
    assert statuses == {"ok", "blocked", "postponed"}


# ---------------------------------------------------------------------------------------------
# the rules


def test_stroking_opens_and_closes_every_session(lib, geo):
    for cid, cond in lib.conditions.items():
        extra = {}
        if cond.needs == "hernia":
            extra["hernias"] = (Hernia("L5-S1", "right", "initial"),)
        if cond.needs == "scoliosis":
            extra["curves"] = (Scoliosis("left", 3),)
            extra["cleared"] = frozenset({"scoliosis-grade-3"})
        for n in range(1, cond.course.sessions + 1):
            p = plan(lib, geo, cid, session=n, **extra)
            assert p.status == "ok", (cid, n, p.reasons)
            assert p.steps[0].technique == "stroking" and p.steps[-1].technique == "stroking"
            assert p.total_minutes == pytest.approx(sum(s.minutes for s in p.steps))
            assert all(1 <= s.intensity <= 5 for s in p.steps)


def test_course_phases_and_rising_load(lib, geo):
    for cid in lib.conditions:
        cond = lib.conditions[cid]
        extra = ({"hernias": (Hernia("L4-L5", "central", "initial"),)}
                 if cond.needs == "hernia" else {})
        p = plan(lib, geo, cid, **extra)
        assert 10 <= p.course_sessions <= 15
        assert [c.number for c in p.course] == list(range(1, p.course_sessions + 1))
        assert [c.phase for c in p.course[:3]] == ["introductory"] * 3
        assert p.course[3].phase == "main" and p.course[-1].phase == "final"
        minutes = [c.minutes for c in p.course]
        intensity = [c.intensity for c in p.course]
        assert minutes == sorted(minutes) and intensity == sorted(intensity)
        assert minutes[0] < minutes[-1]


def test_radiculitis_sparing_start(lib, geo):
    for n in (1, 2, 3):
        p = plan(lib, geo, "radiculitis", session=n)
        assert 5 <= p.total_minutes <= 10  # Part 5: first sessions 5-10 minutes
        assert max(s.intensity for s in p.steps) == 1
        assert p.phase == "introductory"
    late = plan(lib, geo, "radiculitis", session=8)
    assert 25 <= late.total_minutes <= 31  # Part 5: about 30 minutes
    assert max(s.intensity for s in late.steps) > 1
    assert late.emphasis_zones == ("lumbosacral",)


def test_hernia_rules(lib, geo):
    p = plan(lib, geo, "hernia", session=6, hernias=(Hernia("L4-L5", "left", "initial"),))
    assert p.status == "ok"
    site = next(n for n in p.no_touch if n.id.startswith("hernia-site"))
    assert site.techniques == "all"
    assert site.area.contains(geo.hernia_site("L4-L5", "left"))
    for s in p.steps:
        assert s.area.intersection(site.area).area < 1e-6
        if s.technique in ("rubbing", "kneading", "squeezing"):
            assert s.intensity <= 2  # Part 5: no strong rubbing or kneading
    assert p.emphasis_zones == ("lumbosacral",)
    # without a level the site cannot be kept free: fail closed
    blind = plan(lib, geo, "hernia")
    assert blind.status == "blocked" and not blind.steps
    assert any(r.kind == "unanswered" and r.id == "hernia-level" for r in blind.reasons)
    # acute phase postpones
    acute = plan(lib, geo, "hernia", hernias=(Hernia("L4-L5", "central", "initial"),),
                 present=frozenset({"acute-phase"}))
    assert acute.status == "postponed" and not acute.steps


def test_hernia_on_another_condition_caps_rubbing(lib, geo):
    base = plan(lib, geo, "osteochondrosis-lumbosacral", session=9)
    with_h = plan(lib, geo, "osteochondrosis-lumbosacral", session=9,
                  hernias=(Hernia("L3-L4", "central", "initial"),))
    assert max(s.intensity for s in base.steps if s.technique == "kneading") > 2
    assert max(s.intensity for s in with_h.steps if s.technique == "kneading") <= 2


def test_scoliosis_sides(lib, geo):
    p = plan(lib, geo, "scoliosis", session=6, curves=(Scoliosis("right", 2),))
    relax = [s for s in p.steps if s.role == "relax"]
    strengthen = [s for s in p.steps if s.role == "strengthen"]
    assert relax and strengthen
    assert all(z.endswith("-left") for s in relax for z in s.zones)  # concave = left
    assert all(z.endswith("-right") for s in strengthen for z in s.zones)
    assert {s.technique for s in relax} <= {"stroking", "kneading"}
    assert {s.technique for s in strengthen} <= {"kneading", "rubbing"}
    assert max(s.intensity for s in relax) < max(s.intensity for s in strengthen)
    mirrored = plan(lib, geo, "scoliosis", session=6, curves=(Scoliosis("left", 2),))
    assert all(z.endswith("-right") for s in mirrored.steps if s.role == "relax" for z in s.zones)
    g4 = plan(lib, geo, "scoliosis", session=6, curves=(Scoliosis("right", 4),))
    assert g4.status == "blocked" and not g4.steps
    assert any(r.id == "scoliosis-grade-4" and r.kind == "block" for r in g4.reasons)
    assert plan(lib, geo, "scoliosis").status == "blocked"


def test_fail_closed_screening(lib, geo):
    nothing = plan(lib, geo, "hypertension", answered=frozenset())
    assert nothing.status == "blocked" and not nothing.steps
    assert {r.id for r in nothing.reasons if r.kind == "unanswered"} == set(lib.contraindications)
    all_but_one = frozenset(lib.contraindications) - {"pregnancy"}
    p = plan(lib, geo, "hypertension", answered=all_but_one)
    assert p.status == "blocked"
    assert [r.id for r in p.reasons if r.kind == "unanswered"] == ["pregnancy"]
    full = plan(lib, geo, "hypertension", answered=frozenset(lib.contraindications))
    assert full.status == "ok"


def test_red_flag_says_refer(lib, geo):
    p = plan(lib, geo, "lumbago-sciatica", present=frozenset({"leg-weakness-both"}))
    assert p.status == "blocked" and not p.steps
    r = p.reasons[0]
    assert r.kind == "refer" and "Refer urgently" in r.text["en"] and "Срочно" in r.text["ru"]


def test_limit_caps_every_step(lib, geo):
    p = plan(lib, geo, "osteochondrosis-widespread", session=10,
             present=frozenset({"low-platelets"}))
    assert p.status == "ok" and p.max_intensity == 2
    assert max(s.intensity for s in p.steps) <= 2
    assert any(r.kind == "limit" for r in p.reasons)


def test_skin_lesion_without_zones_fails_closed(lib, geo):
    p = plan(lib, geo, "back-pain", present=frozenset({"skin-lesion"}))
    assert p.status == "blocked"
    assert any(r.id == "skin-lesion-zones" and r.kind == "unanswered" for r in p.reasons)


def test_lesions_leave_zones_out(lib, geo):
    p = plan(lib, geo, "osteochondrosis-widespread", session=5, lesions=frozenset({"collar-left"}))
    for s in p.steps:
        assert "collar-left" not in s.zones and "collar" not in s.zones
    assert "collar-right" in p.steps[0].zones
    everything = frozenset({"collar", "interscapular", "thoracic", "lumbosacral"})
    gone = plan(lib, geo, "back-pain", lesions=everything)
    assert gone.status == "blocked" and not gone.steps


def test_no_zone_conditions_say_so(lib, geo):
    for cid in ("gastritis", "intestinal-hypotonia", "headache", "stress", "posture-disorders",
                "sedentary-prophylaxis"):
        p = plan(lib, geo, cid)
        assert p.status == "ok" and p.emphasis_zones == ()
        note = next(r for r in p.reasons if r.id == "no-zones-in-source")
        assert "gives no zones" in note.text["en"]
        assert "general gentle back session" in note.text["en"]
        assert p.total_minutes <= 15


def test_vibration_avoids_the_kidneys(lib, geo):
    p = plan(lib, geo, "lumbago-sciatica", session=10)
    vib = [s for s in p.steps if s.technique == "vibration"]
    assert vib
    for s in vib:
        assert s.area.intersection(geo.kidney_area()).area < 1e-6


def test_steps_share_cached_areas(lib, geo):
    p = plan(lib, geo, "back-pain", session=5)
    strokes = [s for s in p.steps if s.technique == "stroking" and len(s.zones) == 4]
    assert len(strokes) >= 2 and strokes[0].area is strokes[-1].area


def test_unknown_ids(lib, geo):
    cases = [
        (dict(condition="flu"), "unknown condition 'flu'", "hypertension"),
        (dict(condition="hypertension", present=frozenset({"cold-feet"})),
         "unknown contraindication 'cold-feet'", "fever"),
        (dict(condition="hypertension", lesions=frozenset({"neck"})), "unknown zone 'neck'",
         "collar"),
        (dict(condition="hernia", hernias=(Hernia("L7-L8", "central", "initial"),)),
         "unknown hernia level 'L7-L8'", "L5-S1"),
        (dict(condition="hernia", hernias=(Hernia("L4-L5", "up", "initial"),)),
         "unknown hernia side", "central"),
        (dict(condition="hypertension", session=11), "session 11", "1 to 10"),
        (dict(condition="scoliosis", curves=(Scoliosis("up", 2),)), "convex side", "left or right"),
    ]
    for kw, message, listed in cases:
        with pytest.raises(UsageError) as info:
            make_plan(Profile(**kw), lib, geo)
        text = str(info.value)
        assert message in text and listed in text and "\n" not in text


def test_json_shape_and_determinism(lib, geo):
    kw = dict(condition="hernia", session=4, hernias=(Hernia("L5-S1", "right", "initial"),),
              lesions=frozenset({"thoracic-right", "collar"}))
    a = plan(lib, geo, **kw).to_json()
    b = plan(lib, geo, **kw).to_json()
    assert json.dumps(a, sort_keys=True) == json.dumps(b, sort_keys=True)
    for key in ("condition", "session", "course_sessions", "phase", "status", "reasons",
                "total_minutes", "emphasis_zones", "no_touch", "steps", "course", "cautions",
                "sources", "note"):
        assert key in a
    assert a["note"] == NOTE["en"]
    n = a["no_touch"][0]
    assert n["id"] == "spine" and n["techniques"] == "all"
    assert n["geometry"]["type"] in ("Polygon", "MultiPolygon")
    kid = next(x for x in a["no_touch"] if x["id"] == "kidneys")
    assert kid["techniques"] == ["vibration"]
    for s in a["steps"]:
        assert set(s) >= {"technique", "variant", "zones", "direction", "minutes", "intensity",
                          "role", "text", "text_ru"}
    json.dumps(a)  # plain JSON


@pytest.mark.parametrize(
    ("zones", "en", "ru"),
    [
        (("collar", "interscapular", "thoracic", "lumbosacral"), "Whole back", "Вся спина"),
        (
            ("collar-left", "interscapular-left", "thoracic-left", "lumbosacral-left"),
            "Whole back, left half",
            "Вся спина, левая половина",
        ),
        (("collar-right", "thoracic-right"), "Collar zone, Thoracic zone (right half)", None),
        (("lumbosacral",), "Lumbosacral zone", None),
        (("collar-left", "thoracic-right"), "Collar zone (left half)", None),
    ],
)
def test_zone_labels_are_short(zones, en, ru):
    from bodymap.planner import zones_label

    geometry = load_geometry()
    assert zones_label(geometry, zones, "en").startswith(en)
    if ru:
        assert zones_label(geometry, zones, "ru") == ru
