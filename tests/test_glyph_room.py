"""bodymap.glyph_room: a hand glyph never stands on a no-touch area (a safety rule, hazard
H35): a hand drawn on the spine or a hernia site reads as "put the hand
here".

Pure geometry over every shipped condition, each with hernias at several levels and skin
lesions, at the map's scale in the window at 1366x768 and 1920x1080: at every vertex of every
track (every place a frame can put a head, so every animation phase) the glyph's square, where
shown, touches no no-touch shape and no no-entry sign, and no trail point lies in one.
"""

from __future__ import annotations

import numpy as np
import pytest
import shapely

from bodymap.findings import Hernia
from bodymap.geometry import load_geometry
from bodymap.glyph_room import CANDIDATES, glyph_places, keep_out
from bodymap.library import load_library
from bodymap.map_scene import SceneBuilder
from bodymap.planner import Profile, make_plan
from bodymap.strokes import stroke_paths
from bodymap.widgets.glyphs import MIN_GLYPH_PX
from bodymap.widgets.map.trail_paint import GLYPH_BACK_UNITS, GLYPH_MAX_PX, motif_scale

GEOMETRY = load_geometry()
LIBRARY = load_library()
#: the map's scale (widget pixels per back unit) in the window at 1366x768 and 1920x1080
#: (bodymap.widgets.screenshot.map_transform of `bodymap screenshot --size ...`)
SCALES = {"1366x768": 0.389, "1920x1080": 0.767}
#: hernias at several levels and sides, and lesions: each shipped condition is planned with
#: each set
FINDINGS = (
    ((Hernia("C6-C7", "right", "initial"), Hernia("L4-L5", "left", "initial")),
     frozenset({"thoracic-right"})),
    ((Hernia("T11-T12", "central", "initial"), Hernia("L5-S1", "right", "initial")),
     frozenset({"collar-left", "lumbosacral-left"})),
)
SIGN_R = {"hernia": 10.5, "lesion": 12.5}  # the no-entry signs with their rim (layers.py)


def _glyph_px(scale: float) -> int:
    """The glyph's size on the map (trail_paint.trail_style's rule)."""
    return int(min(GLYPH_MAX_PX, max(MIN_GLYPH_PX, round(GLYPH_BACK_UNITS * scale))))


def _plans():
    for cid in LIBRARY.conditions:
        for hernias, lesions in FINDINGS:
            further = () if cid == "hernia" else ("hernia",)
            plan = make_plan(Profile(cid, session=5, hernias=hernias, lesions=lesions,
                                     further=further), LIBRARY, GEOMETRY)
            if plan.steps:
                yield cid, plan


def _no_touch(plan, index):
    """Every no-touch shape in force at the step (the spine, the kidneys, the plan's areas
    for its technique) and the no-entry signs: what a glyph must never touch."""
    step = plan.steps[index]
    scene = SceneBuilder(GEOMETRY).build(plan, index)
    areas = [GEOMETRY.spine_strip(), GEOMETRY.polygon("spine")]
    areas += [nt.area for nt in plan.no_touch if nt.applies_to(step.technique)]
    signs = [shapely.Point(m.x, m.y).buffer(SIGN_R[m.kind]) for m in scene.marks
             if m.kind in SIGN_R]
    return areas, signs, scene


@pytest.mark.slow
@pytest.mark.parametrize("size", list(SCALES))
def test_no_hand_glyph_of_any_shipped_plan_stands_on_a_no_touch_area(size):
    scale = SCALES[size]
    px = _glyph_px(scale)
    assert px >= 24  # legible (issue 19)
    glyph = (px + 1.0) / scale  # back units, a pixel for rounding
    gap = 3.0 / scale
    checked = shown_total = 0
    hernia_plans = 0
    for cid, plan in _plans():
        hernia_plans += any(nt.id.startswith("hernia-site") for nt in plan.no_touch)
        for index, step in enumerate(plan.steps):
            areas, signs, scene = _no_touch(plan, index)
            # the kidneys too: no hand is drawn on them, even where the step may pass over
            shapes = [*areas, GEOMETRY.kidney_area()]
            applying = [nt.area for nt in plan.no_touch if nt.applies_to(step.technique)]
            paths = stroke_paths(step, GEOMETRY, no_touch=applying,
                                 motif_scale=motif_scale(scale))
            if not paths:
                continue
            forbidden = shapely.union_all([*shapes, *signs])
            shapely.prepare(forbidden)
            no_trail = shapely.union_all(areas)
            shapely.prepare(no_trail)
            keep = keep_out(shapes, [s.bounds for s in signs], gap)
            for path in paths:
                places = glyph_places(path.points, glyph, scene.midline, keep)
                x0, y0 = places.corner[:, 0], places.corner[:, 1]
                boxes = shapely.box(x0, y0, x0 + glyph, y0 + glyph)
                on = shapely.intersects(forbidden, boxes) & places.shown
                where = f"{cid} step {index} ({step.technique}) at {size}"
                assert not on.any(), f"{where}: a hand glyph on a no-touch area at " \
                    f"{path.points[np.flatnonzero(on)[0]]}"
                inside = shapely.contains_xy(no_trail, path.points[:, 0], path.points[:, 1])
                assert not (inside & (path.weight > 0)).any(), f"{where}: a trail point in one"
                # every phase: the head a frame draws is one of these vertices
                for phase in np.linspace(0.0, 1.0, 24, endpoint=False):
                    head = path.head_index(phase)
                    if places.shown[head]:
                        assert not shapely.intersects(forbidden, boxes[head])
                checked += len(path.points)
                shown_total += int(places.shown.sum())
    assert hernia_plans >= len(LIBRARY.conditions)  # every condition with its hernias
    assert checked > 10_000
    # the hands are still seen: most places keep their glyph (moved beside the head if need be)
    assert shown_total / checked > 0.5, f"only {shown_total / checked:.0%} of places show a hand"


def test_a_glyph_steps_aside_from_the_spine_rather_than_standing_on_it():
    keep = keep_out([GEOMETRY.spine_strip()], [], 2.0)
    mid = (GEOMETRY.spine_strip().bounds[0] + GEOMETRY.spine_strip().bounds[2]) / 2
    right = GEOMETRY.spine_strip().bounds[2]
    # a head just right of the spine, a glyph of 40 units: standing on the head would cover
    # the spine, so it goes outward beside it
    places = glyph_places(np.array([[right + 6.0, 500.0]]), 40.0, mid, keep)
    assert places.shown[0]
    assert places.corner[0, 0] > right + 2.0
    # standing on the head where that is free
    far = glyph_places(np.array([[right + 120.0, 500.0]]), 40.0, mid, keep)
    assert np.allclose(far.corner[0], [right + 120.0 - 20.0, 500.0 + CANDIDATES[0][1] * 40.0])
    # mirrored on the patient's left: outward is toward smaller x
    left = GEOMETRY.spine_strip().bounds[0]
    places = glyph_places(np.array([[left - 6.0, 500.0]]), 40.0, mid, keep)
    assert places.shown[0] and places.corner[0, 0] + 40.0 < left - 2.0


def test_a_head_hemmed_in_on_every_side_shows_no_glyph():
    ring = shapely.Point(100, 100).buffer(200).difference(shapely.Point(100, 100).buffer(10))
    places = glyph_places(np.array([[100.0, 100.0]]), 40.0, 300.0, keep_out([ring], [], 1.0))
    assert not places.shown[0]
