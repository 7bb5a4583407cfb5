"""The body map widget: colours at known places, no-touch styling, animation, hover, marking."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QEvent, Qt, QTimer
from PySide6.QtGui import QColor, QMouseEvent
from PySide6.QtWidgets import QApplication

from bodymap import i18n
from bodymap.geometry import load_geometry
from bodymap.library import load_library
from bodymap.planner import Hernia, Profile, Scoliosis, make_plan
from bodymap.widgets import map_style
from bodymap.widgets.mapview import BodyMapView

GEOMETRY = load_geometry()
LIBRARY = load_library()
HALVES = [h for z in GEOMETRY.ZONES for h in GEOMETRY.halves(z)]


class FastMap(BodyMapView):
    ANIMATION_MS = 400


@pytest.fixture
def view(qtbot):
    v = FastMap(GEOMETRY)
    qtbot.addWidget(v)
    v.resize(1000, 900)
    return v


def plan_for(condition, **kw):
    return make_plan(Profile(condition, **kw), LIBRARY, GEOMETRY)


def pixel(view, image, x, y) -> QColor:
    p = view.back_to_widget(x, y)
    return image.pixelColor(int(p.x()), int(p.y()))


def rep(region_id):
    pt = GEOMETRY.polygon(region_id).representative_point()
    return pt.x, pt.y


def close(a: QColor, b: QColor, tol: int = 6) -> bool:
    return all(abs(u - v) <= tol for u, v in zip(a.getRgb()[:3], b.getRgb()[:3], strict=True))


def is_red(c: QColor) -> bool:
    return c.red() > c.green() + 30 and c.red() > c.blue() + 30


def test_without_a_plan_every_half_shows_its_own_calm_colour(view):
    image = view.grab().toImage()
    colours = set()
    for half in HALVES:
        got = pixel(view, image, *rep(half))
        assert close(got, map_style.zone_colour(half, "plain")), half
        colours.add(got.name())
    assert len(colours) == len(HALVES)  # halves are distinct


@pytest.mark.parametrize("condition", ["hypertension", "heart-disease", "lumbago-sciatica"])
def test_emphasis_colours_appear_exactly_on_the_emphasis_zones(view, condition):
    plan = plan_for(condition)
    assert plan.emphasis_zones
    view.set_plan(plan)
    view.set_current_step(None)  # no stroke guides over the sampled pixels
    image = view.grab().toImage()
    emphasis = {h for z in plan.emphasis_zones for h in GEOMETRY.halves(z)}
    for half in HALVES:
        got = pixel(view, image, *rep(half))
        state = "emphasis" if half in emphasis else "muted"
        assert close(got, map_style.zone_colour(half, state)), (half, state, got.name())


def test_spine_is_red_always_and_a_placed_hernia_site_is_red(view):
    image = view.grab().toImage()
    assert is_red(pixel(view, image, *rep("spine")))

    plan = plan_for("hernia", hernias=(Hernia("L4-L5", "left", "initial"),))
    view.set_plan(plan)
    view.set_current_step(None)
    image = view.grab().toImage()
    site = next(nt for nt in plan.no_touch if nt.id.startswith("hernia-site"))
    pt = site.area.representative_point()
    assert is_red(pixel(view, image, pt.x, pt.y))
    # an equally sized spot on the other side stays free
    mirror = 600 - pt.x
    assert not is_red(pixel(view, image, mirror - 8, pt.y))


def test_kidneys_turn_no_go_only_while_a_vibration_step_is_current(view):
    plan = plan_for("lumbago-sciatica", session=5)
    view.set_plan(plan)
    vib = next(i for i, s in enumerate(plan.steps) if s.technique == "vibration")
    other = next(i for i, s in enumerate(plan.steps) if s.technique == "stroking")
    kidney = GEOMETRY.polygon("kidney-right").centroid
    view.set_current_step(other)
    assert not is_red(pixel(view, view.grab().toImage(), kidney.x, kidney.y))
    view.set_current_step(vib)
    assert is_red(pixel(view, view.grab().toImage(), kidney.x, kidney.y))


def test_lesion_zone_is_hatched_red(view):
    plan = plan_for("osteochondrosis-widespread", lesions=frozenset({"thoracic-right"}))
    view.set_plan(plan)
    view.set_current_step(None)
    image = view.grab().toImage()
    x, y = rep("thoracic-right")
    assert is_red(pixel(view, image, x, y))


def test_scoliosis_roles_are_labelled_under_their_own_sides(view):
    plan = plan_for("scoliosis", curves=(Scoliosis("right", 2),))
    view.set_plan(plan)
    view.set_current_step(None)
    rects = view.text_rects()
    mid = view.back_to_widget(300, 0).x()
    assert rects["role-relax"].right() < mid < rects["role-strengthen"].left()
    assert view.scene().role("relax").side == "left"  # concave side, opposite the convex
    image = view.grab().toImage()
    # the relax side's dashed outline is blue, the strengthen side's orange
    relax = view.scene().role("relax").area.exterior if hasattr(
        view.scene().role("relax").area, "exterior") else None
    assert relax is not None
    colours = [pixel(view, image, x, y) for x, y in list(relax.coords)[::7]]
    assert any(close(c, QColor(map_style.RELAX), 40) for c in colours)


def test_animation_advances_while_shown_and_stops_when_hidden(qtbot, view):
    view.set_plan(plan_for("hypertension"))
    assert view.stroke_paths()
    view.show()
    qtbot.waitExposed(view)
    assert view.is_playing()
    f0, p0 = view.frame_count(), view.phase()
    qtbot.waitUntil(lambda: view.frame_count() > f0 + 3 and view.phase() != p0, timeout=3000)
    view.hide()
    assert not view.is_playing()
    clock = view.findChild(QTimer, "bodyMapStrokeAnimation")
    assert clock is not None and not clock.isActive()


def test_external_phase_and_play_control(qtbot, view):
    view.set_plan(plan_for("hypertension"))
    view.set_playing(False)
    view.show()
    qtbot.waitExposed(view)
    assert not view.is_playing()
    qtbot.waitUntil(lambda: view.frame_count() > 0, timeout=1000)
    frames = view.frame_count()
    view.set_phase(0.25)
    assert view.phase() == pytest.approx(0.25)
    # only where the trails move is repainted, and the frame does get painted
    region = view.last_update_region()
    assert not region.isEmpty()
    assert region.boundingRect().width() * region.boundingRect().height() < 1000 * 900
    qtbot.waitUntil(lambda: view.frame_count() > frames, timeout=1000)
    view.set_playing(True)
    assert view.is_playing()
    view.set_plan(None)  # no strokes: nothing to animate
    assert not view.is_playing()


def test_strokes_are_computed_per_step_not_per_frame(view):
    view.set_plan(plan_for("hypertension"))
    first = view.stroke_paths()
    view.set_phase(0.5)
    view.grab()
    assert view.stroke_paths()[0] is first[0]


def _move(view, x, y):
    pos = view.back_to_widget(x, y)
    event = QMouseEvent(QEvent.Type.MouseMove, pos, view.mapToGlobal(pos), Qt.MouseButton.NoButton,
                        Qt.MouseButton.NoButton, Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(view, event)


def test_hover_over_the_collar_names_it_and_says_what_the_plan_does(qtbot, view):
    view.set_plan(plan_for("hypertension"))
    view.show()
    qtbot.waitExposed(view)
    with qtbot.waitSignal(view.zoneHovered) as blocker:
        _move(view, *rep("collar-left"))
    assert blocker.args == ["collar-left"]
    assert view.hovered_zone() == "collar-left"
    text = view.hover_text()
    assert "Collar" in text
    assert i18n.tr("map.hover.emphasis") in text
    assert "rubbing" in text  # the steps that work here
    _move(view, *rep("spine"))
    assert i18n.tr("map.hover.spine") in view.hover_text()


def test_hit_test_maps_widget_to_back_coordinates(view):
    x, y = rep("thoracic-right")
    ids = view.hit_test(view.back_to_widget(x, y))
    assert ids[0] == "thoracic-right"
    assert view.widget_to_back(view.back_to_widget(x, y)) == pytest.approx((x, y))


def test_clicking_in_hernia_mode_emits_a_snapped_level_and_side(qtbot, view):
    y = GEOMETRY.level_y("L4-L5") + 3
    for x, side in ((262, "left"), (338, "right"), (300, "central")):
        view.set_mark_mode("hernia")
        pos = view.back_to_widget(x, y).toPoint()
        with qtbot.waitSignal(view.herniaPlaced) as blocker:
            qtbot.mouseClick(view, Qt.MouseButton.LeftButton, pos=pos)
        assert blocker.args == ["L4-L5", side]
        assert view.mark_mode() is None  # placed: the tool is off, a later click selects


def test_pain_lesion_and_select_clicks(qtbot, view):
    x, y = rep("lumbosacral-right")
    pos = view.back_to_widget(x, y).toPoint()
    view.set_mark_mode("pain")
    with qtbot.waitSignal(view.painPointPlaced) as blocker:
        qtbot.mouseClick(view, Qt.MouseButton.LeftButton, pos=pos)
    assert blocker.args == pytest.approx([x, y], abs=1.5)
    # the map keeps no copy: the owner of the document decides (it may refuse a 13th point);
    # the plan made with the point marks it
    assert view.pain_points() == []
    assert "pain" not in view.scene().legend_keys()
    point = (round(blocker.args[0], 1), round(blocker.args[1], 1))
    view.set_plan(plan_for("radiculitis", pain_points=(point,)))
    assert view.pain_points() == [point]
    star = pixel(view, view.grab().toImage(), *blocker.args)
    assert close(star, QColor(map_style.PAIN), 30), star.name()
    view.set_mark_mode("lesion")
    with qtbot.waitSignal(view.lesionToggled) as blocker:
        qtbot.mouseClick(view, Qt.MouseButton.LeftButton, pos=pos)
    assert blocker.args == ["lumbosacral-right"]
    view.set_mark_mode(None)
    with qtbot.waitSignal(view.zoneClicked) as blocker:
        qtbot.mouseClick(view, Qt.MouseButton.LeftButton, pos=pos)
    assert blocker.args == ["lumbosacral-right"]
    assert view.selected_zone() == "lumbosacral-right"
    with pytest.raises(ValueError):
        view.set_mark_mode("tattoo")


def test_blocked_plan_shows_no_strokes(view):
    plan = make_plan(Profile("hypertension", present=frozenset({"fever"})), LIBRARY, GEOMETRY)
    assert plan.status == "blocked"
    view.set_plan(plan)
    assert view.stroke_paths() == []
    assert view.current_step() is None
    view.grab()


def test_language_switch_rebuilds_the_texts(view):
    view.set_plan(plan_for("hypertension"))
    view.grab()
    try:
        english = view.drawn_texts()
        i18n.set_language("ru")
        russian = view.drawn_texts()  # redrawn in Russian on the next paint
        assert i18n.tr("side.patient_left") in " ".join(russian)
        assert russian != english and i18n.tr("view.posterior") in russian
        first = view.describe(["collar-left"]).splitlines()[0]
        assert first == GEOMETRY.regions["collar-left"].names["ru"]
    finally:
        i18n.set_language("en")


def test_scales_with_the_widget_and_keeps_aspect(view):
    view.resize(600, 900)
    small = view.back_to_widget(600, 900)
    view.resize(1800, 900)
    big = view.back_to_widget(600, 900)
    a, b = view.back_to_widget(0, 0), view.back_to_widget(600, 900)
    assert (b.x() - a.x()) / (b.y() - a.y()) == pytest.approx(600 / 900)
    # the back fills the height; back and legend sit in the middle of the wider widget
    assert a.y() == pytest.approx(0, abs=1) and b.y() == pytest.approx(900, abs=1)
    legend = view.legend_rect()
    assert legend.left() == pytest.approx(b.x(), abs=1)
    assert a.x() == pytest.approx(1800 - legend.right(), abs=1)
    assert big.x() > small.x()


def test_a_shared_border_of_two_emphasis_zones_shows_no_glow_line(view):
    plan = plan_for("heart-disease")  # interscapular and thoracic: neighbours
    assert {"interscapular", "thoracic"} <= set(plan.emphasis_zones)
    view.set_plan(plan)
    view.set_current_step(None)
    image = view.grab().toImage()
    # just inside the thoracic zone, below its shared border with the interscapular zone
    # (the glow's wide soft pen would reach 5 units either side of a drawn outline)
    x0, _, x1, y1 = GEOMETRY.polygon("interscapular-right").bounds
    x = (x0 + x1) / 2 + 6
    got = pixel(view, image, x, y1 + 3)
    assert GEOMETRY.zone_at(x, y1 + 3) == "thoracic-right"
    assert close(got, map_style.zone_colour("thoracic-right", "emphasis")), got.name()


@pytest.mark.parametrize("lang", ["en", "ru"])
@pytest.mark.parametrize("size", [(900, 650), (1920, 1080), (700, 560), (810, 730)])
def test_side_labels_and_landmarks_lie_inside_and_clear_of_the_legend(view, lang, size):
    plan = plan_for("hernia", session=5, hernias=(Hernia("L4-L5", "left", "initial"),))
    view.resize(*size)
    view.set_plan(plan)
    try:
        i18n.set_language(lang)
        view.set_mark_mode("hernia")
        rects = view.text_rects()
        legend = view.legend_rect()
        assert view.legend_shown() and not legend.isEmpty()
        inside = view.rect().toRectF()
        for key in ("side-left", "side-right", "hernia", "mode", "landmark-C7", "landmark-L5"):
            r = rects[key]
            assert inside.contains(r), (key, r, inside)
            assert not r.intersects(legend), (key, r, legend)
        assert not rects["side-left"].intersects(rects["side-right"])
        assert not rects["mode"].intersects(rects["side-right"])
        # readable: at least MIN_LEGEND_PT on screen for the side labels
        px = view.MIN_LEGEND_PT * view.logicalDpiY() / 72
        assert rects["side-right"].height() >= px
        labels = [r for k, r in rects.items() if k.startswith("landmark-")]
        assert all(not a.intersects(b) for i, a in enumerate(labels) for b in labels[i + 1:])
    finally:
        i18n.set_language("en")
        view.set_mark_mode(None)


def test_a_small_map_leaves_the_legend_out_rather_than_shrinking_its_text(view):
    view.resize(320, 300)
    assert not view.legend_shown()
    rects = view.text_rects()
    assert view.rect().toRectF().contains(rects["side-right"])
    view.resize(1000, 700)
    assert view.legend_shown()


@pytest.mark.parametrize("size", [(471, 502), (700, 560), (1366, 620), (1920, 1080)])
def test_landmark_tags_never_cover_a_zones_representative_point(view, size):
    """On a small map the labels keep their minimum size and grow wide: a tag that would hide
    a zone's colour at its representative point is left out (the first window's map is
    small; the screenshot check and the print test look there)."""
    view.resize(*size)
    rects = view.text_rects()
    tags = [r for k, r in rects.items() if k.startswith("landmark-")]
    image = view.grab().toImage()
    for half in HALVES:
        p = view.back_to_widget(*rep(half))
        assert not any(t.contains(p) for t in tags), (half, size)
        assert close(pixel(view, image, *rep(half)), map_style.zone_colour(half, "plain")), half
    if size[0] >= 700:
        assert "landmark-C7" in rects and "landmark-T12" in rects  # the counting points
