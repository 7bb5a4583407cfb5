"""The map's meaning survives colour blindness (issue 12).

The map tells a student or a patient three things by colour: where to work (the emphasis
zones), where never to press (the no-touch areas) and where to take care (the kidney area while
another technique than vibration is current). Those must stay distinguishable for the commonest
colour-vision deficiencies. We render the real map, average a small patch at each area (the
hatching is part of what an eye sees), simulate full deuteranopia and protanopia with the
Machado, Oliveira and Fernandes (2009) model and require a clear CIEDE2000 difference between
every pair of meanings.

colour-science implements both the CVD model and the colour difference; it is a maintained,
widely used colour library, better than hand-copied matrices.
"""

from __future__ import annotations

from itertools import combinations

import numpy as np
import pytest

pytestmark = pytest.mark.filterwarnings("ignore::UserWarning")  # colour: "SciPy not installed"
colour = pytest.importorskip("colour")

from bodymap.planner import Hernia, Profile, make_plan  # noqa: E402

#: CIEDE2000 below ~2 is invisible, ~5 is a small but clear difference; meanings on a map
#: need more than that to be told apart at a glance.
MIN_DELTA_E = 8.0


def _linear(rgb255: np.ndarray) -> np.ndarray:
    return colour.models.eotf_sRGB(rgb255 / 255.0)


def _lab(linear_rgb: np.ndarray) -> np.ndarray:
    xyz = colour.RGB_to_XYZ(linear_rgb, colour.RGB_COLOURSPACES["sRGB"], apply_cctf_decoding=False)
    return colour.XYZ_to_Lab(xyz)


def _simulate(rgb255: np.ndarray, deficiency: str | None) -> np.ndarray:
    linear = _linear(rgb255)
    if deficiency is not None:
        matrix = colour.blindness.matrix_cvd_Machado2009(deficiency, 1.0)
        linear = np.clip(linear @ matrix.T, 0.0, 1.0)
    return _lab(linear)


def _patch(view, image, x: float, y: float, r: int = 4) -> np.ndarray:
    p = view.back_to_widget(x, y)
    px, py = int(p.x()), int(p.y())
    cols = [image.pixelColor(px + dx, py + dy).getRgb()[:3]
            for dx in range(-r, r + 1) for dy in range(-r, r + 1)]
    return np.mean(np.array(cols, dtype=float), axis=0)


@pytest.fixture
def samples(qtbot, library, geometry):
    from bodymap.widgets.mapview import BodyMapView

    view = BodyMapView(geometry)
    qtbot.addWidget(view)
    view.resize(1200, 1000)
    # a hernia above the lumbar vibration, so that both a hernia site and the kidneys during
    # vibration are on the map (a hernia forbids vibration on its own zone)
    plan = make_plan(Profile("lumbago-sciatica", session=5, hernias=(Hernia("T8-T9", "left",
                                                                            "initial"),)),
                     library, geometry)
    assert plan.status == "ok"
    view.set_plan(plan)
    vib = next(i for i, s in enumerate(plan.steps) if s.technique == "vibration")
    other = next(i for i, s in enumerate(plan.steps) if s.technique == "stroking")
    emphasis = plan.emphasis_zones[0]
    muted = next(z for z in ("collar", "interscapular", "thoracic", "lumbosacral")
                 if z not in plan.emphasis_zones)
    site = next(n for n in plan.no_touch
                if n.id.startswith("hernia-site")).area.representative_point()
    kidney = geometry.polygon("kidney-right").centroid

    def rep(region: str) -> tuple[float, float]:
        pt = geometry.polygon(f"{region}-right").representative_point()
        return pt.x, pt.y

    view.set_current_step(other)
    image = view.grab().toImage()
    out = {
        "emphasis": _patch(view, image, *rep(emphasis)),
        "rest of the back": _patch(view, image, *rep(muted)),
        "no-touch (hernia site)": _patch(view, image, site.x, site.y, r=2),
    }
    view.set_current_step(vib)
    image = view.grab().toImage()
    out["no-touch (kidneys in vibration)"] = _patch(view, image, kidney.x, kidney.y)
    return out


DISTINCT = [
    ("emphasis", "rest of the back"),
    ("emphasis", "no-touch (hernia site)"),
    ("emphasis", "no-touch (kidneys in vibration)"),
    ("rest of the back", "no-touch (hernia site)"),
    ("rest of the back", "no-touch (kidneys in vibration)"),
]

#: the outline colours that carry a meaning, by what they mean (bodymap.widgets.map_style)
LINES = {
    "emphasis glow": "GLOW",
    "no-touch": "NO_TOUCH",
    "kidney care (dashed)": "CAUTION",
    "scoliosis: relax": "RELAX",
    "scoliosis: strengthen": "STRENGTHEN",
    "buttock: worked too (Part 5)": "BEYOND",
}
MIN_LINE_DELTA_E = 12.0


@pytest.mark.parametrize("deficiency", [None, "Deuteranomaly", "Protanomaly"])
def test_map_meanings_stay_distinguishable_under_colour_blindness(samples, deficiency):
    lab = {name: _simulate(rgb, deficiency) for name, rgb in samples.items()}
    too_close = []
    for a, b in DISTINCT:
        d = float(colour.delta_E(lab[a], lab[b], method="CIE 2000"))
        if d < MIN_DELTA_E:
            too_close.append(f"{a} vs {b}: dE2000 {d:.1f}")
    assert not too_close, f"{deficiency or 'normal vision'}: " + "; ".join(too_close)


@pytest.mark.parametrize("deficiency", [None, "Deuteranomaly", "Protanomaly"])
def test_outline_colours_with_a_meaning_stay_apart_under_colour_blindness(deficiency):
    from PySide6.QtGui import QColor

    from bodymap.widgets import map_style

    def rgb(name: str) -> np.ndarray:
        return np.array(QColor(getattr(map_style, name)).getRgb()[:3], dtype=float)

    lab = {meaning: _simulate(rgb(name), deficiency) for meaning, name in LINES.items()}
    too_close = [
        f"{a} vs {b}: dE2000 {d:.1f}"
        for a, b in combinations(LINES, 2)
        if (d := float(colour.delta_E(lab[a], lab[b], method="CIE 2000"))) < MIN_LINE_DELTA_E
    ]
    assert not too_close, f"{deficiency or 'normal vision'}: " + "; ".join(too_close)


def test_the_simulation_can_tell_red_from_green_apart_only_with_normal_vision():
    # The check itself can fail: a pure red and a green of the same lightness merge for a
    # deuteranope in this model.
    red, green = np.array([200.0, 60.0, 40.0]), np.array([110.0, 120.0, 40.0])
    normal = float(colour.delta_E(_simulate(red, None), _simulate(green, None), method="CIE 2000"))
    deutan = float(colour.delta_E(_simulate(red, "Deuteranomaly"),
                                  _simulate(green, "Deuteranomaly"), method="CIE 2000"))
    assert normal > 2 * MIN_DELTA_E
    assert deutan < normal / 2
