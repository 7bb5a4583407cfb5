"""Property tests of the planner over thousands of random patients (real geometry, real library).

* no step's area overlaps a no-touch area that applies to its technique, and no step works a
  zone with a skin lesion;
* vibration (shaking, tapping, patting) never lands on the kidneys;
* a blocking or red-flag contraindication always blocks (no steps);
* adding a contraindication, a lesion or a hernia never adds a (technique, zone) pair, never
  raises the intensity on a zone and never grows the area worked by any technique;
* the same input gives the same plan.
"""

from __future__ import annotations

import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from shapely.ops import unary_union

from bodymap.geometry import load_geometry
from bodymap.library import load_library
from bodymap.planner import Hernia, Profile, Scoliosis, hernia_levels, make_plan
from bodymap.schema import HALVES, ZONE_IDS, ZONES

LIB = load_library(None)
GEO = load_geometry()
LEVELS = hernia_levels(GEO)
CONTRA = sorted(LIB.contraindications)
BLOCKING = sorted(c.id for c in LIB.contraindications.values() if c.action in ("block", "refer"))
EPS = 1e-6

SETTINGS = settings(
    max_examples=1200,
    deadline=None,
    derandomize=True,  # reproducible in CI; every run checks the same thousands of patients
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
FEWER = settings(SETTINGS, max_examples=500)

hernias = st.builds(Hernia, st.sampled_from(LEVELS), st.sampled_from(("left", "right", "central")))
scolioses = st.builds(Scoliosis, st.sampled_from(("left", "right")), st.integers(1, 4))
lesion_sets = st.one_of(
    st.just(frozenset()), st.frozensets(st.sampled_from(ZONE_IDS), max_size=3)
)
# mostly few answers "yes", so that most plans have steps to check
# painful places anywhere on the back (the outline's bounding box, integers keep it readable)
_MINX, _MINY, _MAXX, _MAXY = (int(v) for v in GEO.bounds)
pain_points = st.tuples(st.integers(_MINX + 1, _MAXX - 1), st.integers(_MINY + 1, _MAXY - 1))
pain_sets = st.one_of(st.just(()), st.lists(pain_points, max_size=3).map(tuple))
present_sets = st.one_of(
    st.just(frozenset()),
    st.frozensets(st.sampled_from(["anticoagulants", "low-platelets", "menstruation"]), max_size=1),
    st.frozensets(st.sampled_from(CONTRA), max_size=2),
)


@st.composite
def profiles(draw, allow_hernia: bool = True):
    cid = draw(st.sampled_from(sorted(LIB.conditions)))
    cond = LIB.conditions[cid]
    hernia = None
    if cond.needs == "hernia":
        hernia = draw(hernias)
    elif allow_hernia:
        hernia = draw(st.one_of(st.none(), hernias))
    scoliosis = draw(scolioses) if cond.needs == "scoliosis" else None
    return Profile(
        condition=cid,
        session=draw(st.integers(1, cond.course.sessions)),
        hernia=hernia,
        scoliosis=scoliosis,
        lesions=draw(lesion_sets),
        present=draw(present_sets),
        answered=None,
        pain_points=draw(pain_sets),
    )


def _halves(zones) -> set[str]:
    out = set()
    for z in zones:
        out |= {f"{z}-left", f"{z}-right"} if z in ZONES else {z}
    return out


def _lesioned(lesions) -> set[str]:
    return _halves(lesions)


@SETTINGS
@given(profiles())
def test_no_step_touches_a_no_touch_area(profile):
    plan = make_plan(profile, LIB, GEO)
    if plan.status != "ok":
        assert plan.steps == ()
        return
    assert plan.steps[0].technique == "stroking" and plan.steps[-1].technique == "stroking"
    kidneys = GEO.kidney_area()
    spine = GEO.spine_strip()
    bad = _lesioned(profile.lesions)
    for step in plan.steps:
        assert not (_halves(step.zones) & bad), (step.zones, profile.lesions)
        for nt in plan.no_touch:
            if nt.applies_to(step.technique):
                assert step.area.intersection(nt.area).area < EPS, (step.technique, nt.id)
        assert step.area.intersection(spine).area < EPS
        tech = LIB.techniques[step.technique]
        if step.technique == "vibration" or tech.percussive_of(step.variant):
            assert step.area.intersection(kidneys).area < EPS
        if profile.hernia is not None:
            site = GEO.hernia_site(profile.hernia.level, profile.hernia.side)
            assert step.area.intersection(site).area < EPS
            if step.technique in ("rubbing", "kneading", "squeezing"):
                assert step.intensity <= 2


@SETTINGS
@given(profiles(), st.sampled_from(BLOCKING))
def test_a_blocking_contraindication_always_blocks(profile, cid):
    p = Profile(**{**profile.__dict__, "present": profile.present | {cid}})
    plan = make_plan(p, LIB, GEO)
    assert plan.status == "blocked"
    assert plan.steps == ()
    assert any(r.id == cid and r.kind in ("block", "refer") for r in plan.reasons)


def _summary(plan):
    pairs: set[tuple[str, str]] = set()
    top: dict[str, int] = {}
    areas: dict[str, list] = {}
    for s in plan.steps:
        for z in _halves(s.zones):
            pairs.add((s.technique, z))
            top[z] = max(top.get(z, 0), s.intensity)
        areas.setdefault(s.technique, []).append(s.area)
    return pairs, top, {t: unary_union(a).area for t, a in areas.items()}


def _never_widens(before, after):
    pairs0, top0, area0 = _summary(before)
    pairs1, top1, area1 = _summary(after)
    assert pairs1 <= pairs0, pairs1 - pairs0
    for z, i in top1.items():
        assert i <= top0[z], (z, i, top0[z])
    for t, a in area1.items():
        assert a <= area0[t] + EPS, (t, a, area0[t])


@FEWER
@given(profiles(), st.sampled_from(CONTRA))
def test_adding_a_contraindication_never_widens(profile, cid):
    before = make_plan(profile, LIB, GEO)
    after = make_plan(Profile(**{**profile.__dict__, "present": profile.present | {cid}}), LIB, GEO)
    _never_widens(before, after)


@FEWER
@given(profiles(), st.sampled_from(ZONE_IDS))
def test_adding_a_lesion_never_widens(profile, zone):
    before = make_plan(profile, LIB, GEO)
    after = make_plan(Profile(**{**profile.__dict__, "lesions": profile.lesions | {zone}}),
                      LIB, GEO)
    if any(r.id == "skin-lesion-zones" for r in before.reasons):
        # "skin lesions: yes" without marked zones fails closed (blocked, unanswered); marking
        # the zones answers that question rather than adding a lesion, so it may unblock
        assert before.status == "blocked"
        return
    _never_widens(before, after)


@FEWER
@given(profiles(allow_hernia=False), hernias)
def test_adding_a_hernia_never_widens(profile, hernia):
    if LIB.conditions[profile.condition].needs == "hernia":
        return  # without a level the hernia protocol is blocked; nothing to widen from
    before = make_plan(profile, LIB, GEO)
    after = make_plan(Profile(**{**profile.__dict__, "hernia": hernia}), LIB, GEO)
    _never_widens(before, after)


@FEWER
@given(profiles(), pain_points)
def test_adding_a_painful_place_never_widens(profile, point):
    before = make_plan(profile, LIB, GEO)
    points = (*profile.pain_points, point)
    after = make_plan(Profile(**{**profile.__dict__, "pain_points": points}), LIB, GEO)
    _never_widens(before, after)
    # Part 4: the introductory sessions keep off the painful place; later phases work it.
    marked = {nt.id for nt in after.no_touch if nt.id.startswith("pain-point-")}
    if after.phase == "introductory":
        assert f"pain-point-{len(points)}" in marked
    else:
        assert not marked


@FEWER
@given(profiles())
def test_same_input_same_plan(profile):
    a = make_plan(profile, LIB, GEO).to_json()
    b = make_plan(Profile(**profile.__dict__), LIB, GEO).to_json()
    assert json.dumps(a, sort_keys=True) == json.dumps(b, sort_keys=True)


def test_zone_vocabulary_matches_the_drawing():
    for z in ZONE_IDS:
        assert z in GEO.regions, z
    for half in HALVES:
        assert GEO.regions[half].parent == half.rsplit("-", 1)[0]


@pytest.mark.parametrize("level", LEVELS)
def test_every_hernia_level_plans(level):
    plan = make_plan(Profile("hernia", 5, hernia=Hernia(level, "right")), LIB, GEO)
    assert plan.status == "ok" and plan.emphasis_zones
