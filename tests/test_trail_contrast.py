"""The trails stay readable over every fill and hatching of the map, in light and dark system
palettes (issue 19: "the blue stroke lines disappear into the blue relax hatching").

A trail is a stroke in its tempo's colour on a white halo. We paint a real trail
(``trail_paint.paint_trails`` with the map's own style at the map's size) across each place of
the real map that shows a fill or hatching (every zone half plain, emphasised and faded; the
relax hatching and the strengthen grid of scoliosis; the no-touch hatching of the spine, a
lesion and the kidneys; the kidneys' dashed caution outline; the buttocks' tint; the skin), in
each tempo's colour and at each pressure, and measure across the line: the stroke's colour
against the ring of pixels right beside it must have a WCAG 2 contrast of at least 3:1 (the
level WCAG asks of graphics, SC 1.4.11) and a CIEDE2000 difference of at least 30, whatever
lies under the halo. The close-up's patch is held to the same over its skin, muscle and
spine.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
import shapely
from PySide6.QtGui import QColor, QImage, QPainter, QPalette

from bodymap.planner import Hernia, Profile, Scoliosis, make_plan
from bodymap.strokes import StrokePath
from bodymap.widgets.accessible import contrast

pytestmark = pytest.mark.filterwarnings("ignore::UserWarning")  # colour: "SciPy not installed"
colour = pytest.importorskip("colour")

MIN_CONTRAST = 3.0
MIN_DELTA_E = 30.0
SIZE = (550, 420)  # the map's size in the window at 1366x768: the thinnest lines drawn


def _dark_palette() -> QPalette:
    pal = QPalette()
    for role, value in ((QPalette.ColorRole.Window, "#2b2b2b"),
                        (QPalette.ColorRole.WindowText, "#eeeeee"),
                        (QPalette.ColorRole.Base, "#1e1e1e"),
                        (QPalette.ColorRole.Text, "#eeeeee"),
                        (QPalette.ColorRole.Button, "#353535"),
                        (QPalette.ColorRole.ButtonText, "#eeeeee")):
        pal.setColor(role, QColor(value))
    return pal


@pytest.fixture(params=["light", "dark"])
def palette(request, qapp):
    before = qapp.palette()
    if request.param == "dark":
        qapp.setPalette(_dark_palette())
    yield request.param
    qapp.setPalette(before)


def _lab(rgb: np.ndarray) -> np.ndarray:
    linear = colour.models.eotf_sRGB(np.asarray(rgb, dtype=float) / 255.0)
    xyz = colour.RGB_to_XYZ(linear, colour.RGB_COLOURSPACES["sRGB"], apply_cctf_decoding=False)
    return colour.XYZ_to_Lab(xyz)


def _places(library, geometry):
    """(what, plan, step index or None, (x, y) in back units) for every fill and hatching."""
    from bodymap.widgets.screenshot import fill_point

    halves = [h for z in geometry.ZONES for h in geometry.halves(z)]
    points = {h: fill_point(geometry, h) for h in halves}
    places = [(f"{h} plain", None, None, (points[h].x, points[h].y)) for h in halves]
    lumbar = make_plan(Profile("osteochondrosis-lumbosacral", session=5), library, geometry)
    for h in halves:
        places.append((f"{h} in a plan", lumbar, None, (points[h].x, points[h].y)))
    scoliosis = make_plan(Profile("scoliosis", session=5, curves=(Scoliosis("right", 2),)),
                          library, geometry)
    for h in halves:
        places.append((f"{h} scoliosis role", scoliosis, None, (points[h].x, points[h].y)))
    spine = geometry.spine_strip().representative_point()
    places.append(("spine no-touch", lumbar, None, (spine.x, spine.y)))
    lesion = make_plan(Profile("osteochondrosis-lumbosacral", session=5,
                               lesions=frozenset({"thoracic-right"})), library, geometry)
    p = points["thoracic-right"]
    places.append(("lesion no-touch", lesion, None, (p.x, p.y)))
    hernia = make_plan(Profile("lumbago-sciatica", session=5,
                               hernias=(Hernia("L4-L5", "left", "initial"),)),
                       library, geometry)
    buttock = geometry.polygon("buttock-left").representative_point()
    places.append(("buttocks beyond the back", hernia, None, (buttock.x, buttock.y)))
    kidney = geometry.polygon("kidney-left")
    edge = kidney.exterior.interpolate(0.5, normalized=True)
    places.append(("kidney caution outline", lumbar, None, (edge.x, edge.y)))
    widespread = make_plan(Profile("osteochondrosis-widespread", session=5), library, geometry)
    vib = next(i for i, s in enumerate(widespread.steps) if s.technique == "vibration")
    centre = kidney.representative_point()
    places.append(("kidney no-touch (vibration)", widespread, vib, (centre.x, centre.y)))
    neck = shapely.Point(300, geometry.landmarks["C2"][1])
    places.append(("skin of the neck", None, None, (neck.x - 30, neck.y)))
    return places


def _across(image: QImage, x: float, y: float, core: float, ring: float) -> list[tuple]:
    """(stroke colour, ring colours) at columns along a horizontal trail through (x, y)."""
    out = []
    for dx in range(-12, 13, 4):
        cx = math.floor(x + dx)
        stroke = image.pixelColor(cx, math.floor(y))
        # the pixels covering the points halfway across the halo, either side of the stroke
        beside = [image.pixelColor(cx, math.floor(y + s * (core / 2 + ring))) for s in (-1, 1)]
        out.append((stroke, beside))
    return out


def _measure(view, base: QImage, point, tempo: str, pressure: str):
    from PySide6.QtCore import QPointF

    from bodymap.widgets.map.trail_paint import paint_trails, trail_style
    from bodymap.widgets.map.trails import Trails

    x, y = point
    track = np.column_stack([np.linspace(x - 30, x + 30, 61), np.full(61, y)])
    path = StrokePath(points=track, guide=track, motion="glide", tempo=tempo, speed=1.0,
                      arrow=True, pressure=pressure)
    trails = Trails([path])
    a, b = view.back_to_widget(0.0, 0.0), view.back_to_widget(100.0, 0.0)
    scale = (b.x() - a.x()) / 100.0
    style = trail_style([path], scale, 1.0, glyphs=False)
    image = base.copy()
    p = QPainter(image)
    p.translate(QPointF(a.x(), a.y()))
    p.scale(scale, scale)
    paint_trails(p, trails, 0.999, 1000.0, style)
    p.end()
    w = view.back_to_widget(x, y)
    core = style.core.widthF()
    ring = (style.halo.widthF() - core) / 4  # the middle of the halo beside the stroke
    return _across(image, w.x(), w.y(), core, ring), style


def test_trails_are_readable_over_every_fill_and_hatching(qtbot, library, geometry, palette):
    from bodymap.widgets.map_style import TEMPO_COLOURS
    from bodymap.widgets.mapview import BodyMapView

    view = BodyMapView(geometry)
    qtbot.addWidget(view)
    view.resize(*SIZE)
    view.set_playing(False)
    worst = (99.0, "")
    pairs: list[tuple[tuple[int, int, int], tuple[int, int, int], str]] = []
    shown: tuple = ()
    for what, plan, step, point in _places(library, geometry):
        if (plan, step) != shown:
            view.set_plan(plan)
            view.set_step(step)
            shown = (plan, step)
            base = view._ensure_composite().toImage()  # the map's layers, without the trails
        for tempo in TEMPO_COLOURS:
            for pressure in ("light", "firm", "deep"):
                samples, style = _measure(view, base, point, tempo, pressure)
                for stroke, beside in samples:
                    assert stroke.name() == style.core.color().name(), (what, tempo)
                    for ring in beside:
                        ratio = contrast(stroke, ring)
                        where = f"{what}, {tempo}, {pressure}"
                        worst = min(worst, (ratio, where))
                        assert ratio >= MIN_CONTRAST, (where, ratio)
                        pairs.append((stroke.getRgb()[:3], ring.getRgb()[:3], where))
    assert len(pairs) > 3000 and worst[0] >= MIN_CONTRAST
    delta = colour.delta_E(_lab(np.array([a for a, _, _ in pairs])),
                           _lab(np.array([b for _, b, _ in pairs])), method="CIE 2000")
    k = int(np.argmin(delta))
    assert delta[k] >= MIN_DELTA_E, (pairs[k][2], float(delta[k]))


def test_the_map_draws_the_same_in_a_dark_palette(qtbot, library, geometry, qapp):
    """The trails and what they lie on do not change with the system palette."""
    from bodymap.widgets.mapview import BodyMapView

    plan = make_plan(Profile("scoliosis", session=5, curves=(Scoliosis("right", 2),)),
                     library, geometry)
    images = []
    before = qapp.palette()
    try:
        for pal in (before, _dark_palette()):
            qapp.setPalette(pal)
            view = BodyMapView(geometry)
            qtbot.addWidget(view)
            view.resize(*SIZE)
            view.set_playing(False)
            view.set_plan(plan)
            view.set_step(2)
            view.set_phase(0.4)
            images.append(view.grab().toImage())
    finally:
        qapp.setPalette(before)
    assert images[0] == images[1]


def test_close_up_trail_is_readable_over_its_patch(qtbot, library, palette):
    """The close-up's stroke against its halo over the skin, the back muscle and the spine's
    hatching, in both palettes; the words under the patch follow the palette."""
    from PySide6.QtCore import QPointF

    from bodymap.motion_demo import demo
    from bodymap.widgets.closeup import MotionPatch
    from bodymap.widgets.closeup_paint import patch_transform

    patch = MotionPatch()
    qtbot.addWidget(patch)
    patch.resize(360, 390)
    patch.set_playing(False)
    for tid, vid in (("stroking", "light-stroking"), ("squeezing", None),
                     ("vibration", "patting")):
        d = demo(library, tid, vid)
        patch.set_demo(d)
        patch.set_phase(0.5)
        image = patch.grab().toImage()
        core = patch._pens.core.widthF()
        ring = (patch._pens.halo.widthF() - core) / 4
        # along the trail below the hand (the hand moves up): the last drawn stretch
        checked = 0
        for k in range(d.track.at(0.5 - patch._trail_window()), d.head(0.5) - 12, 3):
            near = np.hypot(*(d.track.points - d.track.points[k]).T) < 12.0
            if (d.track.weight[near] != 1).any():
                continue  # only a plain stretch, away from a press or a strike
            x, y = d.track.points[k]
            w = patch_transform(patch._patch_rect()).map(QPointF(float(x), float(y)))
            stroke = image.pixelColor(math.floor(w.x()), math.floor(w.y()))
            if stroke.name() != patch._pens.core.color().name():
                continue  # a curve's inside: not a place to measure across
            for s in (-1, 1):
                ring_px = image.pixelColor(math.floor(w.x() + s * (core / 2 + ring)),
                                           math.floor(w.y()))
                assert contrast(stroke, ring_px) >= MIN_CONTRAST, (tid, vid)
                checked += 1
        assert checked >= 2 or d.motion == "pat", (tid, vid)
