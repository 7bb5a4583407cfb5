"""Every outline the map draws is explained (issue 12, lead's note of 08:50): each
technique-specific area (the thoracic-spine band, a hernia's zone) has its own legend row in
the plan's words, en and ru, dashed while another technique is current and hatched while a step
it restricts is; no unexplained sign sits at the bottom of the spine."""

from __future__ import annotations

import pytest

from bodymap import i18n
from bodymap.geometry import load_geometry
from bodymap.library import load_library
from bodymap.map_scene import build_scene
from bodymap.planner import Hernia, Profile, make_plan
from bodymap.widgets.mapview import BodyMapView

GEOMETRY = load_geometry()
LIBRARY = load_library()


def plan_for(condition, **kw):
    return make_plan(Profile(condition, **kw), LIBRARY, GEOMETRY)


@pytest.fixture
def view(qtbot):
    v = BodyMapView(GEOMETRY)
    qtbot.addWidget(v)
    v.resize(1100, 900)
    v.set_playing(False)
    yield v
    i18n.set_language("en")


def test_every_caution_area_drawn_has_a_legend_row_in_the_plan_s_words():
    plan = plan_for("lumbago-sciatica", session=5, hernias=(Hernia("L4-L5", "left", "initial"),))
    scene = build_scene(GEOMETRY, plan, None)
    drawn = {a.id for a in scene.caution}
    assert {"thoracic-spine-no-vibration", "hernia-zone-no-vibration"} <= drawn
    rows = [r for r in scene.legend if r.key == "caution_area"]
    words = {nt.id: nt.text["en"] for nt in plan.no_touch}
    assert sorted(r.text["en"] for r in rows) == sorted(words[i] for i in drawn)


def test_a_vibration_step_shows_the_band_hatched_and_says_so():
    plan = plan_for("lumbago-sciatica", session=5)
    vib = next(i for i, s in enumerate(plan.steps) if s.technique == "vibration")
    scene = build_scene(GEOMETRY, plan, vib)
    assert "thoracic-spine-no-vibration" in {a.id for a in scene.active}
    assert [r.text["en"] for r in scene.legend if r.key == "active_area"] == [
        "Thoracic spine: no vibration"]
    assert not [r for r in scene.legend if r.key == "caution_area"]


@pytest.mark.parametrize(("lang", "dashed"), [
    ("en", "Thoracic spine: no vibration (dashed)"),
    ("ru", "Грудной отдел позвоночника: без вибрации (пунктир)"),
])
@pytest.mark.parametrize("kind", ["no step", "blocked"])
def test_the_thoracic_band_is_explained_with_no_step_and_on_a_blocked_plan(view, lang, dashed,
                                                                            kind):
    i18n.set_language(lang)
    if kind == "blocked":
        plan = plan_for("hypertension", present=frozenset({"fever"}))
        assert plan.status == "blocked"
    else:
        plan = plan_for("hypertension", session=5)
    assert any(nt.id == "thoracic-spine-no-vibration" for nt in plan.no_touch)
    view.set_plan(plan)
    view.set_step(None)
    assert dashed in view.drawn_texts()


def test_no_sign_sits_below_s1_without_a_hernia(view):
    """The red no-entry sign means a hernia site or a lesion (the legend says so); a plain map
    has none at the bottom of the spine."""
    image = view.grab().toImage()
    mid = (GEOMETRY.spine_strip().bounds[0] + GEOMETRY.spine_strip().bounds[2]) / 2
    s1 = GEOMETRY.landmarks["S1"][1]
    bottom = GEOMETRY.spine_strip().bounds[3]
    centre = view.back_to_widget(mid, (s1 + bottom) / 2 + 4)
    white = [
        (dx, dy) for dx in range(-4, 5) for dy in range(-1, 2)
        if min(image.pixelColor(int(centre.x()) + dx, int(centre.y()) + dy).getRgb()[:3]) > 245
    ]
    assert not white, "a no-entry sign's white bar below S1"
