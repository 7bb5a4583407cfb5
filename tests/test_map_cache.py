"""What the map's caches show is never stale (docs/map.md, "Layers and caching").

The screen keeps the legend column as pixmaps keyed on what it shows, packs the current
step's trails once, and an animation frame repaints only where the trails were and are. None
of this may show through: a map that has been through other plans, steps, languages and
sizes looks exactly like a fresh map in the same state, and frames repainted only where the
trails moved leave exactly what a full repaint would show.
"""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest
from PySide6.QtCore import QPoint
from PySide6.QtGui import QColor, QFont, QImage, QPalette, QRegion
from PySide6.QtWidgets import QApplication, QWidget

from bodymap import i18n
from bodymap.geometry import load_geometry
from bodymap.library import load_library
from bodymap.planner import Hernia, Profile, Scoliosis, make_plan
from bodymap.widgets.map import trails as trails_module
from bodymap.widgets.map.trails import Trails
from bodymap.widgets.mapview import BodyMapView

GEOMETRY = load_geometry()
LIBRARY = load_library()


def plan_for(condition, **kw):
    return make_plan(Profile(condition, **kw), LIBRARY, GEOMETRY)


@pytest.fixture
def new_map(qtbot):
    def make(size=(1100, 800)) -> BodyMapView:
        view = BodyMapView(GEOMETRY)
        qtbot.addWidget(view)
        view.resize(*size)
        view.set_playing(False)
        return view

    yield make
    i18n.set_language("en")


def legend_image(view: BodyMapView) -> QImage:
    return view.grab(view.legend_rect().toAlignedRect()).toImage()


def test_the_legend_speaks_russian_after_a_language_switch_and_english_again_after(new_map):
    view = new_map()
    view.set_plan(plan_for("hypertension", session=5))
    english, english_texts = legend_image(view), view.drawn_texts()
    assert "Back view (posterior)" in english_texts
    i18n.set_language("ru")
    russian_texts = view.drawn_texts()
    assert i18n.tr("view.posterior", "ru") in russian_texts
    assert i18n.tr("map.legend.no_touch", "ru") in russian_texts
    assert "Back view (posterior)" not in russian_texts
    russian = legend_image(view)
    assert russian != english
    fresh = new_map()
    fresh.set_plan(plan_for("hypertension", session=5))
    assert legend_image(fresh) == russian
    i18n.set_language("en")
    assert view.drawn_texts() == english_texts
    assert legend_image(view) == english


def test_the_legend_follows_a_new_plan_and_its_steps(new_map):
    view = new_map()
    hypertension = plan_for("hypertension", session=5)
    lumbago = plan_for("lumbago-sciatica", session=5)
    buttock = i18n.tr("map.legend.buttock")
    view.set_plan(hypertension)
    first = legend_image(view)
    assert buttock not in view.drawn_texts()
    view.set_plan(lumbago)
    assert buttock in view.drawn_texts()
    assert i18n.tr("map.step", n=1, total=len(lumbago.steps)) in view.drawn_texts()
    view.set_step(2)
    assert i18n.tr("map.step", n=3, total=len(lumbago.steps)) in view.drawn_texts()
    other = new_map()
    other.set_plan(lumbago)
    other.set_step(2)
    assert legend_image(view) == legend_image(other)
    view.set_plan(plan_for("hypertension", session=5))  # the same plan made again
    assert buttock not in view.drawn_texts()
    assert legend_image(view) == first


def test_the_legend_follows_the_application_font(new_map):
    app = QApplication.instance()
    view = new_map()
    view.set_plan(plan_for("hypertension", session=5))
    before = legend_image(view)
    font = app.font()
    italic = QFont(font)
    italic.setItalic(True)
    try:
        app.setFont(italic)
        assert legend_image(view) != before
    finally:
        app.setFont(font)
    assert legend_image(view) == before


def _go_round(view: BodyMapView) -> None:
    """Take a map through other sizes, languages, plans, steps and words."""
    view.set_plan(plan_for("scoliosis", session=3, curves=(Scoliosis("left", 1),)))
    view.grab()
    view.resize(1500, 900)
    view.set_step(1)
    view.grab()
    i18n.set_language("ru")
    view.set_plain_words(True)
    marked = plan_for("lumbago-sciatica", session=5, hernias=(Hernia("L4-L5", "left", "initial"),))
    view.set_plan(dataclasses.replace(marked, pain_points=((260.0, 420.0),)))
    view.grab()
    view.set_step_caption_visible(False)
    view.set_mark_mode("lesion")
    view.resize(800, 700)
    view.grab()
    i18n.set_language("en")
    view.set_plain_words(False)
    view.set_step_caption_visible(True)
    view.set_mark_mode(None)
    view.resize(1100, 800)


@pytest.mark.parametrize(("condition", "kw", "step", "lang"), [
    ("hypertension", {"session": 5}, 0, "en"),
    ("osteochondrosis-widespread", {"session": 5}, 11, "en"),
    ("lumbago-sciatica", {"session": 5, "hernias": (Hernia("L4-L5", "left", "initial"),)}, None,
     "ru"),
    ("scoliosis", {"session": 3, "curves": (Scoliosis("left", 1),)}, 1, "en"),
])
def test_a_map_that_has_been_elsewhere_looks_exactly_like_a_fresh_one(new_map, condition, kw,
                                                                      step, lang):
    plan = plan_for(condition, **kw)
    travelled = new_map()
    _go_round(travelled)
    images = []
    for view in (travelled, new_map()):
        i18n.set_language(lang)
        view.set_plan(plan)
        view.set_step(step)
        view.set_phase(0.3)
        images.append(view.grab().toImage())
        texts = view.drawn_texts()
    assert images[0] == images[1]
    assert texts == travelled.drawn_texts()


@pytest.mark.parametrize("shape", ["one rectangle", "bands"])
def test_frames_repainted_where_the_trails_moved_match_a_full_repaint(new_map, monkeypatch,
                                                                       shape):
    if shape == "bands":  # bands whenever they are smaller than the rectangle
        monkeypatch.setattr(trails_module, "SEGMENT_PX", 0)
        monkeypatch.setattr(trails_module, "RECT_PX", 0)
    else:
        monkeypatch.setattr(trails_module, "SEGMENT_PX", 10**9)
    view = new_map((1400, 900))
    plan = plan_for("osteochondrosis-widespread", session=5)
    view.set_plan(plan)
    view.set_step(next(i for i, s in enumerate(plan.steps) if s.technique == "vibration"))
    flags = QWidget.RenderFlag.DrawChildren
    shown = QImage(view.size(), QImage.Format.Format_ARGB32_Premultiplied)
    view.set_phase(0.9)  # the hands near the sides
    view.render(shown, QPoint(), QRegion(), flags)  # the whole widget
    full = QImage(view.size(), QImage.Format.Format_ARGB32_Premultiplied)
    rects = []
    for t in (0.05, 0.06, 0.5, 0.51, 0.7):  # first back beside the spine
        view.set_phase(t)
        region = view.last_update_region()
        rects.append(region.rectCount())
        # render() puts the region's top left at the target offset: keep it where it is
        view.render(shown, region.boundingRect().topLeft(), region, flags)
        view.render(full, QPoint(), QRegion(), flags)
        assert shown == full, f"phase {t}"
    assert (max(rects) > 1) == (shape == "bands")


def test_a_frame_samples_every_path_as_the_path_itself_says(new_map):
    """The packed, vectorised sampling of all trails at once gives, for each path, every
    DECIMATE-th vertex back from the hand to the trail's start (a segment where the hand is lifted
    goes far off the map: nothing drawn), the pressed segments again, and where the hand is
    (its glyph's place)."""
    view = new_map()
    plan = plan_for("osteochondrosis-widespread", session=5)
    view.set_plan(plan)
    for step in range(len(plan.steps)):
        view.set_step(step)
        paths = view.stroke_paths()
        packed = Trails(paths)
        k = Trails.DECIMATE
        for phase in np.linspace(0.0, 1.0, 23):
            for trail in (44.0, 28.0):
                pairs, heads, pressed = packed.frame(phase, trail)
                got = pairs.reshape(-1, 2, 2)
                want, want_heads, want_pressed = [], [], []
                nowhere = packed.points[-1]
                for i, path in enumerate(paths):
                    cum = packed.cum[packed.start[i]:packed.end[i] + 1]
                    s = packed.offset[i] + (phase * path.speed) % 1.0 * path.length
                    last = len(path.points) - 1
                    head = min(max(int(np.searchsorted(cum, s)), 1), last)
                    tail = int(np.searchsorted(cum, max(s - trail, packed.offset[i])))
                    tail = min(max(tail, 0), head - 1)
                    n = max((head - tail) // k, 1)
                    for j in range(n):
                        end = head - k * j
                        pair = (path.points[max(end - k, tail)], path.points[end])
                        if path.weight[end] == 0:
                            pair = (nowhere, nowhere)
                        want.append(pair)
                        if path.weight[end] == 2:
                            want_pressed.append(pair)
                    want_heads.append(path.points[head])
                assert np.array_equal(got, np.array(want))
                assert np.array_equal(heads, np.array(want_heads))
                assert np.array_equal(pressed.reshape(-1, 2, 2),
                                      np.array(want_pressed).reshape(-1, 2, 2))


def test_strokes_shared_between_plans_are_the_ones_each_step_gets(new_map):
    """A step seen before keeps its strokes; a hernia site, a lesion or another technique
    gives the same-looking step strokes of its own."""
    from bodymap.strokes import stroke_paths

    view = new_map()
    plans = [
        plan_for("hypertension", session=5),
        plan_for("hypertension", session=5, hernias=(Hernia("T6-T7", "right", "initial"),)),
        plan_for("hypertension", session=5, lesions=frozenset({"thoracic-left"})),
        plan_for("osteochondrosis-widespread", session=5),
        plan_for("hypertension", session=6, further=("osteochondrosis-widespread",)),
        plan_for("hypertension", session=5),
    ]
    for plan in plans:
        view.set_plan(plan)
        for i, step in enumerate(plan.steps):
            view.set_step(i)
            applying = [nt.area for nt in plan.no_touch if nt.applies_to(step.technique)]
            want = stroke_paths(step, GEOMETRY, no_touch=applying,
                                motif_scale=view._motif_scale)  # the size the map shows
            got = view.stroke_paths()
            assert len(got) == len(want), (plan.condition, i)
            for a, b in zip(got, want, strict=True):
                assert np.array_equal(a.points, b.points) and np.array_equal(a.guide, b.guide)
                assert (a.motion, a.tempo, a.speed, a.technique) == (
                    b.motion, b.tempo, b.speed, b.technique)
    assert view._strokes.misses < sum(len(p.steps) for p in plans)  # some were shared


def _pixels(image: QImage) -> np.ndarray:
    image = image.convertToFormat(QImage.Format.Format_RGB32)
    data = np.frombuffer(image.constBits(), np.uint8)
    rows = data.reshape(image.height(), image.bytesPerLine() // 4, 4)
    return rows[:, :image.width(), :3].astype(int)  # a copy: the image's memory goes with it


@pytest.mark.parametrize(("condition", "step"), [("osteochondrosis-widespread", 11),
                                                 ("hypertension", 0)])
def test_parts_kept_rasterised_look_as_if_drawn_on_the_scene(new_map, monkeypatch, condition,
                                                              step):
    """The head, the spine, the kidneys and the guides are laid over each scene from images
    drawn once; the scene looks as when they are drawn onto it (a channel may round by a
    couple of levels where they are translucent)."""
    from bodymap.widgets.map.sprites import SpriteCache

    plan = plan_for(condition, session=5)
    images = []
    for direct in (False, True):
        if direct:
            monkeypatch.setattr(SpriteCache, "draw",
                                lambda self, p, key, bounds, paint, keep=None: paint(p))
        view = new_map((1400, 900))
        view.set_plan(plan)
        view.set_step(step)
        images.append(_pixels(view.grab().toImage()))
    diff = np.abs(images[0] - images[1])
    assert diff.max() <= 3
    assert (diff > 0).mean() < 0.01


def test_kept_parts_stay_within_their_memory_budget(new_map):
    from bodymap.widgets.map.sprites import SpriteCache

    view = new_map((1920, 1080))
    for condition in ("hypertension", "osteochondrosis-widespread", "lumbago-sciatica"):
        plan = plan_for(condition, session=5)
        view.set_plan(plan)
        for i in range(len(plan.steps)):
            view.set_step(i)
            view.grab()
    sprites = view._cache.sprites
    scene = view._cache.scene
    budget = max(SpriteCache.BUDGET_MIN,
                 SpriteCache.BUDGET_SCENES * scene.width() * scene.height() * 4)
    assert 0 < sprites._bytes <= budget
    assert sprites._bytes == sum(image.sizeInBytes() for image, _, _ in
                                 sprites._items.values())


def test_the_legend_follows_a_resize_and_not_the_palette(new_map):
    app = QApplication.instance()
    view = new_map((1100, 800))
    plan = plan_for("lumbago-sciatica", session=5)
    view.set_plan(plan)
    small = legend_image(view)
    view.resize(1600, 1000)
    big = legend_image(view)
    assert big.size() != small.size()
    fresh = new_map((1600, 1000))
    fresh.set_plan(plan)
    assert big == legend_image(fresh)
    # the map draws in its own colours: a dark palette changes nothing on it
    whole = view.grab().toImage()
    palette = app.palette()
    dark = QPalette(palette)
    for role in (QPalette.ColorRole.Window, QPalette.ColorRole.Base):
        dark.setColor(role, QColor("#202020"))
    dark.setColor(QPalette.ColorRole.WindowText, QColor("#f0f0f0"))
    try:
        app.setPalette(dark)
        assert view.grab().toImage() == whole
    finally:
        app.setPalette(palette)
