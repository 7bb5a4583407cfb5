"""What the map shows for a plan and a step (bodymap.map_scene): pure, no Qt."""

from __future__ import annotations

import pytest

from bodymap.i18n import tr
from bodymap.map_scene import SceneBuilder, build_scene, describe_place, dissolve
from bodymap.planner import Hernia, Profile, Scoliosis, make_plan
from bodymap.vocabulary import HALVES


@pytest.fixture(scope="module")
def plan_for(library, geometry):
    def make(condition, **kw):
        return make_plan(Profile(condition, **kw), library, geometry)

    return make


def test_without_a_plan_every_half_is_plain_and_nothing_is_marked(geometry):
    scene = build_scene(geometry, None)
    assert scene.status == "none" and scene.step is None
    assert set(scene.states) == set(HALVES) and set(scene.states.values()) == {"plain"}
    assert scene.emphasis_area is None and scene.kidneys == "outline"
    assert scene.active == scene.caution == scene.roles == scene.marks == ()
    keys = scene.legend_keys()
    assert keys[:2] == ["title", "zones"] and "emphasis" not in keys and "status" not in keys
    assert {r.state for r in scene.legend if r.key == "zone"} == {"plain"}


@pytest.mark.parametrize("condition", ["hypertension", "heart-disease", "lumbago-sciatica"])
def test_emphasis_is_exactly_the_plans_zones_and_one_outline(geometry, plan_for, condition):
    plan = plan_for(condition)
    scene = build_scene(geometry, plan, None)
    wanted = {h for z in plan.emphasis_zones for h in geometry.halves(z)}
    assert scene.emphasis == wanted
    for half, state in scene.states.items():
        assert state == ("emphasis" if half in wanted else "muted"), half
    # neighbouring zones dissolve into one polygon: no seam, no sliver inside
    area = scene.emphasis_area
    parts = list(getattr(area, "geoms", [area]))
    assert all(len(p.interiors) == 0 for p in parts)
    assert area.area == pytest.approx(
        sum(geometry.polygon(h).area for h in wanted), rel=0.02)
    assert {"emphasis", "muted"} <= set(scene.legend_keys())


def test_heart_disease_emphasis_has_no_seam_between_its_neighbouring_zones(geometry, plan_for):
    plan = plan_for("heart-disease")
    assert {"interscapular", "thoracic"} <= set(plan.emphasis_zones)
    area = build_scene(geometry, plan).emphasis_area
    # per-half outlines would meet along the shared border; the dissolved area has one outline
    x0, _, x1, y1 = geometry.polygon("interscapular-right").bounds
    assert area.geom_type == "Polygon"
    assert area.contains(area.__class__([(x0 + 5, y1 - 2), (x1 - 5, y1 - 2),
                                         (x1 - 5, y1 + 2), (x0 + 5, y1 + 2)]))


def test_kidneys_are_no_touch_only_while_a_vibration_step_is_current(geometry, plan_for):
    plan = plan_for("lumbago-sciatica", session=5)
    vib = next(i for i, s in enumerate(plan.steps) if s.technique == "vibration")
    other = next(i for i, s in enumerate(plan.steps) if s.technique == "stroking")
    builder = SceneBuilder(geometry)
    assert builder.build(plan, vib).kidneys == "no-touch"
    assert "kidneys_now" in builder.build(plan, vib).legend_keys()
    assert builder.build(plan, other).kidneys == "caution"
    assert builder.build(plan, None).kidneys == "caution"  # print: no step is current
    assert "kidneys" in builder.build(plan, other).legend_keys()


@pytest.mark.parametrize(("side", "label_side"),
                         [("left", "left"), ("right", "right"), ("central", "left")])
def test_a_hernia_site_is_no_touch_with_a_mark_on_its_own_side(geometry, plan_for, side,
                                                               label_side):
    plan = plan_for("hernia", session=5, hernias=(Hernia("L4-L5", side, "initial"),))
    scene = build_scene(geometry, plan)
    site = next(a for a in scene.active if a.id.startswith("hernia-site"))
    (mark,) = [m for m in scene.marks if m.kind == "hernia"]
    assert mark.label == "L4-L5" and mark.side == label_side
    x0, y0, x1, y1 = site.area.bounds
    assert (mark.x < x0) if label_side == "left" else (mark.x > x1)
    assert y0 < mark.y < y1
    assert "hernia" in scene.legend_keys()
    assert all(a.id not in ("spine", "kidneys") for a in scene.active + scene.caution)


def test_a_lesion_is_no_touch_with_a_sign(geometry, plan_for):
    plan = plan_for("osteochondrosis-widespread", lesions=frozenset({"thoracic-right"}))
    scene = build_scene(geometry, plan)
    lesion = next(a for a in scene.active if a.id.startswith("lesion"))
    (mark,) = [m for m in scene.marks if m.kind == "lesion"]
    assert lesion.area.contains(lesion.area.centroid)
    x0, y0, x1, y1 = lesion.area.bounds
    assert x0 < mark.x < x1 and y0 < mark.y < y1
    assert "lesion" in scene.legend_keys()


def test_technique_specific_areas_are_cautions_unless_their_technique_is_current(
        geometry, plan_for):
    plan = plan_for("lumbago-sciatica", session=5)
    specific = [nt for nt in plan.no_touch if nt.techniques != "all"
                and nt.id not in ("spine", "kidneys")]
    builder = SceneBuilder(geometry)
    scene = builder.build(plan, None)
    assert {a.id for a in scene.caution} == {nt.id for nt in specific}
    for i, step in enumerate(plan.steps):
        now = builder.build(plan, i)
        for nt in specific:
            in_active = nt.id in {a.id for a in now.active}
            assert in_active == nt.applies_to(step.technique), (nt.id, step.technique)


def test_scoliosis_relaxes_the_concave_side_and_strengthens_the_convex_side(geometry, plan_for):
    plan = plan_for("scoliosis", curves=(Scoliosis("right", 2),))
    scene = build_scene(geometry, plan)
    relax, strengthen = scene.role("relax"), scene.role("strengthen")
    assert relax.halves == {h for s in plan.steps if s.role == "relax" for h in s.zones}
    assert relax.side == "left" and strengthen.side == "right"  # concave = opposite the convex
    assert not relax.halves & strengthen.halves
    for role in (relax, strengthen):  # one outline per side: no lines inside
        parts = list(getattr(role.area, "geoms", [role.area]))
        assert all(len(p.interiors) == 0 for p in parts), role.role
    assert scene.legend_keys()[-2:] == ["relax", "strengthen"]


def test_pain_points_are_marked_with_a_legend_row(geometry, plan_for):
    scene = build_scene(geometry, plan_for("hypertension"), 0, [(320, 600), (280.5, 500)])
    assert [(m.kind, m.x, m.y) for m in scene.marks] == [("pain", 320, 600), ("pain", 280.5, 500)]
    assert scene.legend_keys()[-1] == "pain"


def test_a_blocked_plan_has_no_steps_and_says_so_in_the_legend(geometry, library):
    plan = make_plan(Profile("hypertension", present=frozenset({"fever"})), library, geometry)
    scene = build_scene(geometry, plan)
    assert scene.status == "blocked" and scene.steps == () and scene.step is None
    assert scene.legend_keys()[:2] == ["title", "status"]
    with pytest.raises(IndexError):
        build_scene(geometry, plan, 0)


def test_the_builder_keeps_one_union_per_set_of_halves(geometry):
    builder = SceneBuilder(geometry)
    a = builder.union(["collar-left", "collar-right"])
    assert builder.union(["collar-right", "collar-left"]) is a
    assert a.equals(dissolve([geometry.polygon("collar-left"), geometry.polygon("collar-right")]))


def test_describe_place_names_it_and_says_what_the_plan_does(geometry, plan_for):
    plan = plan_for("hypertension")
    scene = build_scene(geometry, plan, 0)
    text = describe_place(scene, geometry, ["collar-left", "collar", "outline"])
    lines = text.splitlines()
    assert lines[0] == geometry.regions["collar-left"].names["en"]
    assert tr("map.hover.emphasis") in lines and tr("map.hover.muted") not in lines
    assert "rubbing" in text.lower()  # the steps that work here
    assert tr("map.hover.spine") in describe_place(scene, geometry, ["spine", "outline"])
    muted = describe_place(scene, geometry, ["lumbosacral-left", "outline"]).splitlines()
    assert tr("map.hover.muted") in muted
    assert describe_place(build_scene(geometry, None), geometry, []) == ""
