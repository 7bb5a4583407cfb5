"""On the map as drawn, no hand glyph and no trail is seen on a no-touch area, a landmark's
name, the hernia's label or a no-entry sign (hazard H35).

The finding it guards: at 1366x768 the hands at the start of the strokes sat on the hernia's
no-touch circle (the picture read as a hand on the hernia) and hid the C7, L4 and S1 names
and the hernia label's no-entry sign. The map is sized as in the window at 1366x768 and
1920x1080; every step of the plan is played through sampled phases.
"""

from __future__ import annotations

import numpy as np
import pytest
import shapely
import shapely.affinity
from PySide6.QtGui import QColor, QImage, QPainter

from bodymap.findings import Hernia
from bodymap.planner import Profile, make_plan
from bodymap.widgets.glyphs import MIN_GLYPH_PX
from bodymap.widgets.map.qtgeom import qpath
from bodymap.widgets.mapview import BodyMapView

#: the map view's size in the window at 1366x768 and at 1920x1080 (same scale as there)
SIZES = {"1366x768": (546, 350), "1920x1080": (1000, 690)}
PHASES = np.linspace(0.0, 1.0, 30, endpoint=False)
SIGN_R = {"hernia": 10.5, "lesion": 12.5}


def _plans(library, geometry):
    yield "lumbosacral + hernia L4-L5 left", make_plan(
        Profile("osteochondrosis-lumbosacral", session=1, further=("hernia",),
                hernias=(Hernia("L4-L5", "left", "initial"),)), library, geometry)
    yield "widespread + hernias C6-C7, L5-S1, lesion", make_plan(
        Profile("osteochondrosis-widespread", session=5, further=("hernia",),
                hernias=(Hernia("C6-C7", "right", "initial"), Hernia("L5-S1", "central",
                                                                      "initial")),
                lesions=frozenset({"thoracic-right"})), library, geometry)


def _view(qtbot, geometry, size, keep_clear=True):
    view = BodyMapView(geometry)
    view.KEEP_CLEAR = keep_clear
    qtbot.addWidget(view)
    view.resize(*size)
    view.set_playing(False)
    return view


def _forbidden_widget(view, geometry, kidneys=True):
    """Every no-touch shape in force, the names and the no-entry signs, in widget pixels
    (the kidneys: always, or only while they are no-touch)."""
    scene = view.scene()
    step = scene.step
    to_widget = view.back_to_widget(0, 0)
    s = view.back_to_widget(1, 0).x() - to_widget.x()
    areas = [geometry.spine_strip(), geometry.polygon("spine")]
    if kidneys or scene.kidneys == "no-touch":
        areas.append(geometry.kidney_area())
    areas += [nt.area for nt in scene.plan.no_touch if nt.applies_to(step.technique)]
    areas += [shapely.Point(m.x, m.y).buffer(SIGN_R[m.kind]) for m in scene.marks
              if m.kind in SIGN_R]
    back = shapely.union_all(areas)
    widget = shapely.affinity.affine_transform(back, [s, 0, 0, s, to_widget.x(), to_widget.y()])
    names = [shapely.box(r.left(), r.top(), r.right(), r.bottom())
             for k, r in view.text_rects().items() if k.startswith(("landmark-", "hernia"))]
    return shapely.union_all([widget, *names])


def _hands_on_no_touch(view, geometry):
    """(phases x steps) where a drawn hand touches a forbidden shape, and hands drawn."""
    bad, drawn = [], 0
    for index in range(len(view.steps())):
        view.set_step(index)
        view.grab()
        forbidden = _forbidden_widget(view, geometry)
        shapely.prepare(forbidden)
        for phase in PHASES:
            view.set_phase(phase)
            view.grab()
            for r in view.hand_rects():
                assert r.width() >= MIN_GLYPH_PX  # legible (issue 19)
                drawn += 1
                if forbidden.intersects(shapely.box(r.left(), r.top(), r.right(), r.bottom())):
                    bad.append((index, round(float(phase), 3), r))
    return bad, drawn


@pytest.mark.parametrize("size", list(SIZES))
def test_no_hand_is_drawn_on_a_no_touch_area_a_name_or_a_sign(qtbot, library, geometry, size):
    for what, plan in _plans(library, geometry):
        view = _view(qtbot, geometry, SIZES[size])
        view.set_plan(plan)
        assert view.steps(), what
        bad, drawn = _hands_on_no_touch(view, geometry)
        assert not bad, f"{what} at {size}: hands on no-touch areas or names: {bad[:5]}"
        assert drawn > 50, f"{what} at {size}: the hands are hardly drawn ({drawn})"


def test_without_the_control_the_hands_do_cover_them(qtbot, library, geometry):
    """The finding, reproduced with the control switched off (what the test above guards)."""
    _, plan = next(_plans(library, geometry))
    view = _view(qtbot, geometry, SIZES["1366x768"], keep_clear=False)
    view.set_plan(plan)
    bad, _ = _hands_on_no_touch(view, geometry)
    assert bad


def _mask(view, geometry) -> QImage:
    """The no-touch areas in force, the names and the signs, a pixel and a half inside their
    edges (antialiasing), as an 8-bit image of the widget."""
    keep = _forbidden_widget(view, geometry, kidneys=False).buffer(-1.5)
    image = QImage(view.width(), view.height(), QImage.Format.Format_Grayscale8)
    image.fill(0)
    p = QPainter(image)
    p.fillPath(qpath(keep), QColor(255, 255, 255))
    p.end()
    return image


def _array(image: QImage) -> np.ndarray:
    image = image.convertToFormat(QImage.Format.Format_RGB32)
    ptr = image.constBits()
    return np.frombuffer(ptr, np.uint8).reshape(image.height(), image.bytesPerLine())[
        :, : image.width() * 4].reshape(image.height(), image.width(), 4)[..., :3].copy()


@pytest.mark.parametrize("size", list(SIZES))
def test_a_rendered_frame_shows_the_static_map_on_every_no_touch_area(qtbot, library,
                                                                       geometry, size):
    """Pixels: on a rendered frame, inside the no-touch areas, the names and the signs, every
    pixel is the static map's own (no trail, halo or hand drawn there), while the trails and
    hands do show elsewhere."""
    _, plan = next(_plans(library, geometry))
    view = _view(qtbot, geometry, SIZES[size])
    view.set_plan(plan)
    moved = 0
    for index in range(len(view.steps())):
        view.set_step(index)
        view.set_phase(0.13)
        frame = _array(view.grab().toImage())
        still = _array(view.still().toImage())
        mask = _array(_mask(view, geometry))[..., 0] > 0
        differs = (frame != still).any(axis=2)
        assert mask.sum() > 1000
        assert not (differs & mask).any(), (
            f"step {index} at {size}: {(differs & mask).sum()} pixels of a trail or a hand on "
            "a no-touch area, a name or a sign")
        moved += int((differs & ~mask).sum())
    assert moved > 500  # the trails and hands are drawn
