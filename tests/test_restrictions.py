"""The patient's restrictions, in any order (issue 17, points 1, 2 and 6's course figures).

* the meet is commutative, associative and idempotent, and never looser than either side
  (hypothesis over random restrictions);
* the order of 2-3 conditions (with findings) changes neither the status, the session's
  length, the per-zone ceilings nor what is excluded, at every session of the course;
* the facts the review found wrong in combined plans: the hernia's zone, radiculitis' sparing
  start, back pain's brief rubbing and kneading, percussion on a hypertensive neck, the
  scoliosis' convex side, the course table.
"""

from __future__ import annotations

import itertools

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from test_planner_properties import GEO, LIB, SETTINGS, _with, profiles

from bodymap.findings import Hernia, Scoliosis
from bodymap.planner import Profile, conditions_of, make_plan
from bodymap.restrict import course_point, patient_restrictions
from bodymap.restrictions import PERCUSSION, TOP, Cell, Must, Restrictions, cells_over
from bodymap.safeguards import halves_of, hernia_zone
from bodymap.vocabulary import HALVES

TECHS = (*LIB.techniques, PERCUSSION)

# ---------------------------------------------------------------------------------------------
# the algebra

cells = st.builds(Cell, st.integers(1, 5), st.booleans(), st.booleans())
restrictions = st.builds(
    lambda minutes, level, table, shares, no_touch, musts: Restrictions(
        max_minutes=minutes, max_intensity=level,
        cells=_table(table),
        shares=tuple(sorted({t: s for t, s in shares}.items())),
        no_touch=frozenset(no_touch), musts=tuple(sorted(set(musts)))),
    st.sampled_from((5.0, 7.5, 15.0, 30.0, float("inf"))),
    st.sampled_from((1.0, 1.5, 2.0, 3.25, 5.0)),
    st.lists(st.tuples(st.sampled_from(HALVES[:3]), st.sampled_from(TECHS[:3]), cells),
             max_size=5),
    st.lists(st.tuples(st.sampled_from((("kneading", "rubbing"), ("vibration",))),
                       st.sampled_from((0.2, 0.25, 0.5))), max_size=2),
    st.frozensets(st.sampled_from(("spine", "kidneys", "lesion-collar"))),
    st.lists(st.builds(Must, st.sampled_from(("relax", "strengthen")),
                       st.just(("collar-left",)))),
)


def _table(table: list) -> tuple:
    """Random cells, one per (half, technique), as a Restrictions holds them."""
    out = TOP
    for h, t, c in table:
        out = out.meet(cells_over((h,), (t,), c))
    return out.cells


@settings(SETTINGS, max_examples=200)
@given(restrictions, restrictions, restrictions)
def test_the_meet_is_commutative_associative_and_idempotent(a, b, c):
    assert a.meet(b) == b.meet(a)
    assert a.meet(b).meet(c) == a.meet(b.meet(c))
    assert a.meet(a) == a and a.meet(TOP) == a
    m = a.meet(b)
    assert m.within(a, TECHS) and m.within(b, TECHS)  # never looser than either
    assert a.within(TOP, TECHS)


# ---------------------------------------------------------------------------------------------
# order-free


def _orders(profile: Profile) -> list[Profile]:
    out = []
    for ids in itertools.permutations(profile.conditions):
        out.append(_with(profile, condition=ids[0], further=tuple(ids[1:])))
    return out


def _restrictions_at(profile: Profile, session: int) -> tuple[object, ...]:
    """What restricts the patient at ``session``, as the planner computes it."""
    p = _with(profile, session=session)
    conds = conditions_of(p, LIB)
    plan_r = patient_restrictions(p, conds, LIB, GEO, None)
    return plan_r.restrictions, frozenset(c.id for c in plan_r.conditions)


@settings(SETTINGS, max_examples=60)
@given(profiles(min_conditions=2))
def test_the_order_of_the_conditions_changes_nothing_that_restricts(profile):
    orders = _orders(profile)
    sessions = min(LIB.conditions[c].course.sessions for c in profile.conditions)
    # at every session of the course: the same restrictions (length, level, per-zone
    # ceilings, depth, exclusions, shares, no-touch areas, musts)
    for n in range(1, sessions + 1):
        first = _restrictions_at(orders[0], n)
        assert all(_restrictions_at(o, n) == first for o in orders[1:]), n
    # and at the patient's session, the same plan as far as restrictions go
    plans = [make_plan(o, LIB, GEO) for o in orders]
    base = plans[0]
    for plan in plans[1:]:
        assert plan.status == base.status
        assert plan.total_minutes == base.total_minutes
        assert plan.restrictions == base.restrictions
        assert {n.id for n in plan.no_touch} == {n.id for n in base.no_touch}
        # the course's length is the restrictions' (order-free); its intensity is what this
        # session's steps reach (the lead's shape), never above the common ceiling
        mine, theirs = plan.course[profile.session - 1], base.course[profile.session - 1]
        assert mine.minutes == theirs.minutes
        ceiling = min(course_point(c, profile.session)[2] for c in conditions_of(profile, LIB))
        assert max(mine.intensity, theirs.intensity) <= ceiling


# ---------------------------------------------------------------------------------------------
# the facts that were wrong when a condition did not lead


def plan(*conditions: str, **kw: object):
    return make_plan(Profile(conditions[0], further=conditions[1:], **kw), LIB, GEO)


L45 = (Hernia("L4-L5", "left", "initial"),)


@pytest.mark.parametrize("order", [("osteochondrosis-lumbosacral", "hernia"),
                                   ("hernia", "osteochondrosis-lumbosacral")])
def test_the_hernias_zone_is_light_and_never_deep_whoever_leads(order):
    for session in range(1, 11):
        p = plan(*order, session=session, hernias=L45)
        assert p.status == "ok" and p.total_minutes <= 30
        for s in p.steps:
            deep = LIB.techniques[s.technique].is_deep(s.variant)
            if "lumbosacral" in {h.rsplit("-", 1)[0] for h in halves_of(s.zones)}:
                assert s.intensity <= 2 and not deep, s.text["en"]
        assert max(c.intensity for c in p.course) <= 2  # the course never rises to firm
    # the same two conditions give the same session, in either order
    a, b = (plan(*o, session=9, hernias=L45) for o in (order, order[::-1]))
    assert a.total_minutes == b.total_minutes and a.restrictions == b.restrictions


def test_a_hernia_alone_brings_its_zone_rule_to_any_lead():
    p = plan("osteochondrosis-lumbosacral", session=9, hernias=L45)
    zone = hernia_zone(GEO, "L4-L5")
    for s in p.steps:
        if zone in {h.rsplit("-", 1)[0] for h in halves_of(s.zones)}:
            assert s.intensity <= 2 and not LIB.techniques[s.technique].is_deep(s.variant)
    assert "hernia-zone-light" in {c.id for c in p.caps}
    assert all(c.intensity <= 2 for c in p.course)  # the hernia's own course holds too
    assert p.protocol_sources == {"osteochondrosis-lumbosacral": "shipped", "hernia": "shipped"}
    assert any(c.role == "finding" and c.condition == "hernia" for c in p.combined)


@pytest.mark.parametrize("lead", ["osteochondrosis-widespread", "hypertension", "back-pain"])
def test_radiculitis_sparing_start_holds_when_it_does_not_lead(lead):
    alone = [course_point(LIB.conditions["radiculitis"], n)[1] for n in (1, 2, 3)]
    assert alone == [5.0, 7.5, 10.0]
    for n, minutes in zip((1, 2, 3), alone, strict=True):
        p = plan(lead, "radiculitis", session=n)
        assert p.total_minutes <= minutes and p.course[n - 1].minutes <= minutes
        assert all(s.intensity == 1 for s in p.steps), p.steps


def test_back_pains_rubbing_and_kneading_stay_brief_when_it_does_not_lead():
    for lead in ("osteochondrosis-lumbosacral", "osteochondrosis-widespread", "scoliosis"):
        kw = {"curves": (Scoliosis("right", 2),)} if lead == "scoliosis" else {}
        for session in (4, 9):
            p = plan(lead, "back-pain", session=session, **kw)
            heavy = sum(s.minutes for s in p.steps
                        if s.technique in ("rubbing", "kneading", "squeezing"))
            assert heavy <= 0.25 * p.total_minutes, (lead, session, heavy)
            assert all(s.intensity <= 2 for s in p.steps
                       if s.technique in ("rubbing", "kneading", "squeezing"))


@pytest.mark.parametrize("order", [("lumbago-sciatica", "hypertension"),
                                   ("hypertension", "lumbago-sciatica")])
def test_no_percussion_on_a_hypertensive_patients_collar_zone(order):
    for session in range(1, 11):
        p = plan(*order, session=session)
        for s in p.steps:
            if s.percussive:
                assert not {h for h in halves_of(s.zones) if h.startswith("collar")}, s.text
    lumbago = plan("lumbago-sciatica", session=9)
    assert any(s.percussive for s in lumbago.steps)  # the rule is what removes it
    hyper = LIB.conditions["hypertension"].limit
    assert any(lim.percussive and lim.exclude and any(src.own for src in lim.sources)
               for lim in hyper), "labelled as bodymap's own rule"


@pytest.mark.parametrize("lead", ["hypertension", "back-pain", "stress", "scoliosis",
                                  "osteochondrosis-lumbosacral"])
def test_what_the_plan_says_of_a_scoliosis_a_step_does_whoever_leads(lead):
    for session in (2, 8):
        conds = (lead,) if lead == "scoliosis" else (lead, "scoliosis")
        p = plan(*conds, session=session, curves=(Scoliosis("right", 2),))
        assert p.status == "ok"
        relax = {h for s in p.steps if s.role == "relax" for h in halves_of(s.zones)}
        tone = {h for s in p.steps if s.role == "strengthen" for h in halves_of(s.zones)}
        assert relax and all(h.endswith("-left") for h in relax), lead
        assert tone and all(h.endswith("-right") for h in tone), lead
        note = next(r for r in p.reasons if r.id == "scoliosis")
        assert "strengthened" in note.text["en"] and "укрепляют" in note.text["ru"]


def every_single_plan():
    """Every shipped condition alone at every session of its course, with the finding or the
    clearance it needs."""
    for cid, cond in LIB.conditions.items():
        kw: dict[str, object] = {}
        if cond.needs == "hernia":
            kw["hernias"] = L45
        if cond.needs == "scoliosis":
            kw["curves"] = (Scoliosis("right", 2),)
        if cond.clearance:
            kw["cleared"] = frozenset({cid})
        for n in range(1, cond.course.sessions + 1):
            yield cid, n, make_plan(Profile(cid, n, **kw), LIB, GEO)  # type: ignore[arg-type]


def test_the_course_table_and_the_session_agree_in_every_plan():
    for cid, n, p in every_single_plan():
        assert p.status == "ok", (cid, n)
        assert p.total_minutes == p.course[n - 1].minutes, (cid, n)
        # the table's pressure is what the session's steps reach: never more, never less
        assert max(s.intensity for s in p.steps) == max(1, round(p.course[n - 1].intensity))


def test_the_course_never_says_firm_where_the_steps_stay_moderate():
    """Cervical osteochondrosis: every step of its late sessions is capped at moderate by the
    neck's safeguard, so the course table says moderate there, not firm (it said firm)."""
    for n in (8, 9, 10):
        p = make_plan(Profile("osteochondrosis-cervical", session=n), LIB, GEO)
        assert max(s.intensity for s in p.steps) == 3
        assert round(p.course[n - 1].intensity) == 3, n


def test_a_short_session_gives_each_technique_about_two_to_three_minutes():
    """Part 1: each kind of technique about 2-3 minutes in a massage of at most 15."""
    for cid, n, p in every_single_plan():
        if p.total_minutes > 15:
            continue
        for tech in {s.technique for s in p.steps} - {"stroking"}:
            assert sum(s.minutes for s in p.steps if s.technique == tech) <= 3, (cid, n)


def test_the_plan_json_shows_the_meet():
    p = plan("lumbago-sciatica", "hypertension", "back-pain", session=9, hernias=L45)
    d = p.to_json()["restrictions"]
    assert d["max_minutes"] == p.total_minutes
    collar = d["zones"]["collar-left"]
    assert any(row.get("excluded") and row["techniques"] == [PERCUSSION] for row in collar)
    assert {"techniques": ["kneading", "rubbing", "squeezing"], "max_share": 0.25} in d["shares"]
    assert "hernia-site-L4-L5-left" in d["no_touch"]
