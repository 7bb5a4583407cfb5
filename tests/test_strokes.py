"""bodymap.strokes: directions follow the source; no stroke enters a no-touch area."""

from __future__ import annotations

import numpy as np
import pytest
import shapely
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from shapely.geometry import LineString

from bodymap.geometry import load_geometry
from bodymap.library import load_library
from bodymap.planner import Hernia, Profile, Scoliosis, make_plan
from bodymap.strokes import (
    DIRECTIONS,
    MOTIONS,
    StrokePath,
    motion_for,
    stroke_paths,
    tempo_for,
)

GEOMETRY = load_geometry()
LIBRARY = load_library()
MID = 300.0


def _forbidden(plan, step):
    """Every no-touch area that applies to the step's technique, and the spine always."""
    areas = [nt.area for nt in plan.no_touch if nt.applies_to(step.technique)]
    areas.append(GEOMETRY.spine_strip())
    return shapely.union_all(areas)


def _assert_clean(plan, step, paths):
    forbidden = _forbidden(plan, step)
    inner = forbidden.buffer(-1e-6)
    allowed = step.area
    for path in paths:
        line = LineString(path.points)
        assert not line.intersects(inner), (
            f"{plan.condition} {step.technique} {step.direction}: a stroke enters a no-touch area"
        )
        assert not line.intersects(LineString(path.guide).intersection(inner))
        xs, ys = path.points[:, 0], path.points[:, 1]
        assert shapely.contains_xy(allowed, xs, ys).all(), "a stroke leaves the step's area"


def _plans():
    for cid in LIBRARY.conditions:
        for session in (1, 5, 10):
            yield make_plan(Profile(cid, session=session), LIBRARY, GEOMETRY)
    yield make_plan(Profile("scoliosis", session=5, curves=(Scoliosis("right", 2),)),
                    LIBRARY, GEOMETRY)
    yield make_plan(Profile("lumbago-sciatica", session=5, hernias=(Hernia("L4-L5", "left",
                                                                           "initial"),),
                            lesions=frozenset({"thoracic-right"})), LIBRARY, GEOMETRY)


@pytest.mark.slow
def test_no_stroke_of_any_shipped_protocol_enters_a_no_touch_area():
    checked = 0
    for plan in _plans():
        for step in plan.steps:
            paths = stroke_paths(step, GEOMETRY, no_touch=plan.no_touch)
            _assert_clean(plan, step, paths)
            checked += len(paths)
    assert checked > 500  # the protocols really produce strokes


@pytest.mark.slow
@settings(max_examples=250, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    condition=st.sampled_from(["hernia", "lumbago-sciatica", "osteochondrosis-widespread"]),
    level=st.sampled_from(GEOMETRY.disc_levels),
    side=st.sampled_from(["left", "right", "central"]),
    session=st.integers(1, 10),
    pick=st.integers(0, 50),
)
def test_random_hernia_sites_are_never_crossed(condition, level, side, session, pick):
    plan = make_plan(Profile(condition, session=session, hernias=(Hernia(level, side, "initial"),)),
                     LIBRARY, GEOMETRY)
    if not plan.steps:
        return
    step = plan.steps[pick % len(plan.steps)]
    _assert_clean(plan, step, stroke_paths(step, GEOMETRY, no_touch=plan.no_touch))


def test_vibration_strokes_avoid_the_kidneys():
    plan = make_plan(Profile("lumbago-sciatica", session=5), LIBRARY, GEOMETRY)
    steps = [s for s in plan.steps if s.technique == "vibration"]
    assert steps
    kidneys = GEOMETRY.kidney_area()
    for step in steps:
        for path in stroke_paths(step, GEOMETRY, no_touch=plan.no_touch):
            assert not LineString(path.points).intersects(kidneys)


class _Step:
    """A Step-like object for direction tests (area: the zones, minus the spine)."""

    def __init__(self, technique, zones, direction, variant=None, intensity=3, role=None):
        self.technique, self.zones, self.direction = technique, tuple(zones), direction
        self.variant, self.intensity, self.role = variant, intensity, role
        tech = LIBRARY.techniques[technique]  # as the planner does: motion from the registry
        self.motion, self.percussive = tech.motion_of(variant), tech.percussive_of(variant)
        halves = [h for z in zones for h in GEOMETRY.halves(z)]
        self.area = shapely.union_all([GEOMETRY.polygon(h) for h in halves])


def test_spine_to_sides_runs_from_the_spine_outward():
    paths = stroke_paths(_Step("stroking", GEOMETRY.ZONES, "spine-to-sides"), GEOMETRY)
    assert len(paths) >= 16
    for p in paths:
        assert abs(p.guide[-1, 0] - MID) > abs(p.guide[0, 0] - MID)


def test_along_spine_up_goes_up_beside_the_spine():
    paths = stroke_paths(_Step("stroking", ["thoracic"], "along-spine-up"), GEOMETRY)
    assert paths
    for p in paths:
        assert p.guide[-1, 1] < p.guide[0, 1]  # y down: upward means y falls
        assert np.all(np.abs(p.guide[:, 0] - MID) < 80)


def test_sacrum_to_neck_climbs_then_returns_down_the_sides():
    paths = stroke_paths(_Step("stroking", GEOMETRY.ZONES, "sacrum-to-neck"), GEOMETRY)
    guides = {id(p.guide): p.guide for p in paths}.values()
    first = min(guides, key=lambda g: -g[0, 1])  # the piece starting lowest: at the sacrum
    assert first[0, 1] > GEOMETRY.landmarks["L3"][1]
    assert first[-1, 1] < first[0, 1]
    tops = [g for g in guides if g[:, 1].min() < GEOMETRY.landmarks["C7"][1] + 5]
    assert tops, "no semicircle over the shoulders"
    # some piece goes down along the side (far from the midline)
    assert any(g[-1, 1] > g[0, 1] and abs(g[:, 0] - MID).mean() > 120 for g in guides)


def test_lymph_strokes_head_to_the_armpit_above_and_the_groin_below():
    up = stroke_paths(_Step("stroking", ["interscapular"], "toward-lymph-nodes"), GEOMETRY)
    low = stroke_paths(_Step("stroking", ["lumbosacral"], "toward-lymph-nodes"), GEOMETRY)
    assert up and low
    for p in up:
        assert abs(p.guide[-1, 0] - MID) > abs(p.guide[0, 0] - MID)
    for p in low:
        assert p.guide[-1, 1] > p.guide[0, 1]


@pytest.mark.parametrize("technique,motion", [
    ("stroking", "glide"), ("rubbing", "circles"), ("kneading", "roll"),
    ("squeezing", "press"), ("vibration", "tremble"),
])
def test_each_technique_moves_its_own_way(technique, motion):
    step = _Step(technique, ["lumbosacral"], "spine-to-sides")
    assert motion_for(step) == motion
    paths = stroke_paths(step, GEOMETRY)
    assert paths and all(p.motion == motion for p in paths)
    p = max(paths, key=lambda p: len(p.guide))
    track, guide = p.length, LineString(p.guide).length
    if motion == "glide":
        assert track == pytest.approx(guide, rel=0.02)
    else:  # the wiggles make the hand's track much longer than its guide
        assert track > 1.5 * guide


def test_zigzag_variant_and_tempo():
    assert motion_for(_Step("rubbing", ["collar"], "spine-to-sides", "zigzag-rubbing")) == "zigzag"
    assert tempo_for(_Step("stroking", ["collar"], "spine-to-sides", intensity=1)) == "calming"
    assert tempo_for(_Step("vibration", ["collar"], "spine-to-sides", "tapping")) == "toning"
    assert tempo_for(_Step("rubbing", ["collar"], "spine-to-sides", role="strengthen")) == "toning"
    calm = stroke_paths(_Step("stroking", ["collar"], "spine-to-sides", intensity=1), GEOMETRY)
    fast = stroke_paths(_Step("kneading", ["collar"], "spine-to-sides", intensity=5), GEOMETRY)
    assert calm[0].speed < fast[0].speed


def test_sampling_is_cheap_and_loops():
    paths = stroke_paths(_Step("rubbing", ["thoracic"], "spine-to-sides"), GEOMETRY)
    p: StrokePath = paths[0]
    assert p.head_index(0.0) == 0
    assert p.head_index(0.999 / p.speed) >= len(p.points) - 3
    assert p.position(1.0) == p.position(0.0)
    assert 0 <= p.tail_index(p.head_index(0.5), 30.0) <= p.head_index(0.5)


def test_unknown_direction_and_motion_are_refused():
    with pytest.raises(ValueError, match="unknown direction"):
        stroke_paths(_Step("stroking", ["collar"], "sideways"), GEOMETRY)
    with pytest.raises(ValueError, match="unknown motion"):
        stroke_paths(_Step("stroking", ["collar"], "spine-to-sides"), GEOMETRY, motion="hop")
    assert set(DIRECTIONS) == {"spine-to-sides", "sacrum-to-neck", "along-spine-up",
                               "toward-lymph-nodes"}
    assert "tremble" in MOTIONS


@pytest.mark.slow
def test_motion_and_percussion_come_from_the_technique_registry():
    """The map draws what protocols/techniques.toml says: no second table of motions."""
    seen = set()
    for plan in _plans():
        for step in plan.steps:
            tech = LIBRARY.techniques[step.technique]
            assert step.motion == tech.motion_of(step.variant)
            assert step.percussive == tech.percussive_of(step.variant)
            paths = stroke_paths(step, GEOMETRY)
            assert all(p.motion == step.motion for p in paths)
            if step.percussive:
                assert tempo_for(step) == "toning"
            seen.add(step.motion)
    assert {"glide", "circles", "roll", "tremble"} <= seen
