"""The technique close-up, the compare view, the player's "Show me" and the motion language
on the map (issue 19 points 1 and 2)."""

from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtCore import QPoint
from PySide6.QtGui import QImage

from bodymap import i18n
from bodymap.motion import LIFTED, PRESSED
from bodymap.planner import technique_step
from bodymap.widgets.closeup import MotionPatch, TechniqueCloseUp
from bodymap.widgets.compare import ShowMeDialog, TechniqueCompare
from bodymap.widgets.glyphs import MIN_GLYPH_PX


@pytest.fixture
def fast(monkeypatch):
    """Close-up passes of a few dozen milliseconds."""
    monkeypatch.setattr(MotionPatch, "MS_PER_SECOND", 20)


@pytest.fixture(autouse=True)
def _english():
    yield
    i18n.set_language("en")


def test_close_up_animates_the_real_motion_only_while_shown(qtbot, library, fast):
    view = TechniqueCloseUp(library)
    qtbot.addWidget(view)
    view.set_technique("kneading", "deep-kneading")
    assert not view.patch.is_playing()  # not shown yet: nothing runs
    view.show()
    qtbot.waitUntil(view.patch.is_playing)
    anim = view.patch.findChild(type(view.patch._anim), "techniqueCloseUpAnimation")
    assert anim is not None and anim.duration() == view.patch.loop_ms()
    frames = view.patch.frame_count()
    qtbot.waitUntil(lambda: view.patch.frame_count() > frames + 3)
    d = view.demo()
    assert (d.motion, d.contact, d.pressure) == ("roll", "thumb", "deep")
    view.slow.setChecked(True)  # slow motion: a quarter of the speed, still running
    assert view.patch.loop_ms() == pytest.approx(4 * d.seconds * 20, rel=0.01)
    assert view.patch.is_playing()
    view.play.setChecked(False)
    assert not view.patch.is_playing()
    view.play.setChecked(True)
    qtbot.waitUntil(view.patch.is_playing)
    view.hide()
    assert not view.patch.is_playing()


def test_close_up_caption_cites_the_source_and_hides_for_a_drill(qtbot, library):
    view = TechniqueCloseUp(library)
    qtbot.addWidget(view)
    view.set_technique("rubbing", "circular-rubbing")
    text = view.text.toPlainText()
    assert view.title.text() == "Circular rubbing"
    assert 'Part 1, "Methodology"' in text
    assert "the finger pads" in text and "small tight circles" in text
    assert "Circular rubbing" in view.patch.accessibleName()
    view.set_show_caption(False)  # a drill: nothing may name the technique
    assert view.title.isHidden() and view.text.isHidden()
    assert view.title.text() == "" and view.text.toPlainText() == ""
    assert "rubbing" not in view.patch.accessibleName().lower()
    assert view.demo().motion == "circles"  # the animation itself is still there
    drill = TechniqueCloseUp(library, show_caption=False)
    qtbot.addWidget(drill)
    drill.set_technique("vibration", "tapping")
    assert drill.title.text() == "" and not drill.show_caption()
    i18n.set_language("ru")
    view.set_show_caption(True)
    assert view.title.text() == "Кругообразное растирание"
    assert "Часть 1" in view.text.toPlainText()


def test_percussion_says_the_rhythm_is_illustrative(qtbot, library):
    view = TechniqueCloseUp(library)
    qtbot.addWidget(view)
    view.set_technique("vibration", "patting")
    assert i18n.tr("motion.rhythm_note") in view.text.toPlainText()
    view.set_technique("stroking", "light-stroking")
    assert i18n.tr("motion.rhythm_note") not in view.text.toPlainText()


def test_the_hand_lifts_between_strikes_and_presses_when_kneading(qtbot, library):
    """The close-up draws the lifted hand larger with its shadow on the skin, the pressed
    hand smaller; nothing of the trail where the hand was in the air."""
    patch = MotionPatch()
    qtbot.addWidget(patch)
    patch.resize(360, 390)
    patch.set_playing(False)
    from bodymap.motion_demo import demo

    d = demo(library, "vibration", "patting")
    patch.set_demo(d)
    sizes = {}
    for t in np.linspace(0.1, 0.6, 80):
        patch.set_phase(float(t))
        patch.grab()
        sizes.setdefault(int(d.track.weight[d.head(patch.phase())]), patch.hand_rect().width())
    assert sizes[LIFTED] > sizes[PRESSED]
    assert sizes[PRESSED] >= 40  # a large hand in the close-up


def test_compare_shows_the_pairs_students_confuse(qtbot, library, fast):
    view = TechniqueCompare(library)
    qtbot.addWidget(view)
    assert view.pair() == (("rubbing", "circular-rubbing"), ("kneading", "deep-kneading"))
    assert [v.demo().motion for v in view.views] == ["circles", "roll"]
    view.preset_buttons["tap_pat"].click()
    assert [v.demo().motion for v in view.views] == ["tap", "pat"]
    assert [v.demo().contact for v in view.views] == ["fist", "cupped"]
    view.pickers[1].setCurrentIndex(0)
    assert view.views[1].current() == ("stroking", "light-stroking")
    view.show()
    qtbot.waitUntil(lambda: all(v.patch.is_playing() for v in view.views))
    view.hide()
    assert not any(v.patch.is_playing() for v in view.views)
    i18n.set_language("ru")
    assert view.preset_buttons["rub_knead"].text() == "Растирание и разминание"
    assert view.pickers[0].itemText(0) == "Лёгкое поглаживание"


def test_show_me_follows_the_players_step(qtbot, library, geometry, fast):
    from bodymap.document import PlanDocument
    from bodymap.widgets.controller import SessionController
    from bodymap.widgets.player import SessionPlayer

    controller = SessionController(library, geometry)
    controller.request_document(PlanDocument.new(
        "osteochondrosis-widespread", session=5, answered=tuple(library.contraindications)))
    plan = controller.plan()
    assert plan is not None and plan.status == "ok"
    player = SessionPlayer()
    qtbot.addWidget(player)
    assert not player.show_me_action.isEnabled()  # no registry to describe the steps yet
    player.bind(controller)
    assert player.show_me_action.isEnabled()
    player.show_me_button.click()
    dialog = player.show_me_dialog
    assert dialog is not None and dialog.isVisible()
    step = plan.steps[0]
    assert dialog.closeup.current() == (step.technique, step.variant)
    assert dialog.closeup.demo().direction == step.direction
    i = next(k for k, s in enumerate(plan.steps) if s.motion == "circles")
    controller.request_seek(sum(s.minutes for s in plan.steps[:i]) + 0.1)
    qtbot.waitUntil(lambda: dialog.closeup.current() == (plan.steps[i].technique,
                                                          plan.steps[i].variant))
    # compare: the step's own technique beside the one it is most often taken for
    assert [v.demo().motion for v in dialog.compare.views] == ["circles", "roll"]
    assert "Step" in dialog.step_label.text()
    qtbot.waitUntil(dialog.closeup.patch.is_playing)
    dialog.close()
    assert not dialog.closeup.patch.is_playing()


def test_show_me_dialog_on_its_own(qtbot, library, geometry):
    step = technique_step(library, geometry, "vibration", "tapping", "spine-to-sides")
    dialog = ShowMeDialog(library)
    qtbot.addWidget(dialog)
    dialog.show_step(step, 2, 7)
    assert "Tapping" in dialog.windowTitle()
    assert dialog.compare.pair() == (("vibration", "tapping"), ("vibration", "patting"))
    i18n.set_language("ru")
    assert "Поколачивание" in dialog.windowTitle()
    assert dialog.tabs.tabText(1) == "Сравнить"


# ------------------------------------------------------------------------------- the map


def _map(qtbot, library, geometry, size, technique, variant, direction="spine-to-sides"):
    from bodymap.widgets.mapview import BodyMapView
    from bodymap.widgets.techniques import demo_plan

    view = BodyMapView(geometry)
    qtbot.addWidget(view)
    view.resize(*size)
    view.set_playing(False)
    view.set_plan(demo_plan(library, geometry, technique, variant, direction))
    return view


def test_map_trails_at_1366x768_are_legible(qtbot, library, geometry):
    """The map's size in the window at 1366x768: the motion is enlarged until its circles
    are circles a student sees, the hand's glyph is at least 24 px and the line 2 px."""
    small = _map(qtbot, library, geometry, (550, 420), "rubbing", "circular-rubbing")
    large = _map(qtbot, library, geometry, (1350, 950), "rubbing", "circular-rubbing")
    for view in (small, large):
        view.grab()
    assert small._motif_scale > large._motif_scale >= 1.0
    style = small._style
    assert style.glyph is not None and style.glyph_px >= MIN_GLYPH_PX
    assert style.core.widthF() >= 2.0
    assert style.halo.widthF() >= style.core.widthF() + 3.0
    # a circle of circular rubbing is at least 8 px across on the small map
    across = small._motif_scale * 6.5 * 2 * small._layout.scale
    assert across >= 8.0
    # resizing picks the motion's size again (computed on resize, never per frame)
    misses = small._strokes.misses
    small.resize(1350, 950)
    small.grab()
    assert small._motif_scale == large._motif_scale and small._strokes.misses == misses + 1
    small.set_phase(0.3)
    small.set_phase(0.31)
    assert small._strokes.misses == misses + 1


def test_map_draws_nothing_where_the_hand_is_lifted(qtbot, library, geometry):
    """Tapping on the map: rings where the hand strikes and no line between them; a frame
    repaints round the hands' glyphs too."""
    view = _map(qtbot, library, geometry, (900, 700), "vibration", "tapping")
    trails = view._trails
    assert trails.lifted is not None and trails.pressed is not None
    view.grab()
    pairs, heads, pressed = trails.frame(0.4, view._trail_length())
    far = pairs.reshape(-1, 2, 2)[:, :, 0].min(axis=1) < -1e4
    assert far.any() and (~far).any()
    assert len(pressed)
    view.set_phase(0.4)
    view.set_phase(0.41)
    region = view.last_update_region()
    box = view._style.glyph_box()
    for x, y in heads:
        p = view.back_to_widget(float(x), float(y))
        corner = QPoint(int(p.x() + box[0]) + 1, int(p.y() + box[1]) + 1)
        assert region.contains(corner), "the glyph's top-left is repainted"


def test_map_pressure_is_the_weight_and_shadow_of_the_line(qtbot, library, geometry):
    light = _map(qtbot, library, geometry, (900, 700), "stroking", "light-stroking")
    deep = _map(qtbot, library, geometry, (900, 700), "stroking", "deep-stroking")
    for view in (light, deep):
        view.grab()
    assert light.stroke_paths()[0].pressure == "light"
    assert deep.stroke_paths()[0].pressure == "deep"
    assert deep._style.core.widthF() > light._style.core.widthF() + 1.5
    assert light._style.shadow is None and deep._style.shadow is not None
    assert deep.stroke_paths()[0].contact == "palms" and light.stroke_paths()[0].contact == "palm"


def test_map_frame_paints_the_hands_over_the_trails(qtbot, library, geometry):
    view = _map(qtbot, library, geometry, (900, 700), "kneading", "deep-kneading")
    view.set_phase(0.4)
    image = view.grab().toImage()
    heads = view._trails.frame(0.4, view._trail_length())[1]
    box = view._style.glyph_box()
    found = 0
    for x, y in heads:
        p = view.back_to_widget(float(x), float(y))
        cx = int(p.x() + (box[0] + box[2]) / 2)
        cy = int(p.y() + (box[1] + box[3]) / 2)
        if 0 <= cx < image.width() and 0 <= cy < image.height():
            block = [image.pixelColor(cx + dx, cy + dy) for dx in range(-6, 7)
                     for dy in range(-6, 7)]
            dark = sum(c.lightness() < 70 for c in block)
            found += dark > 5
    assert found >= len(heads) * 0.8


# ------------------------------------------------------------------ bodymap technique-sheet


def _run(*args: str, cwd=None):
    import os
    import subprocess
    import sys
    from pathlib import Path

    root = Path(__file__).resolve().parents[1]
    return subprocess.run([sys.executable, str(root / "main.py"), *args], cwd=cwd or root,
                          env=dict(os.environ), capture_output=True, text=True, timeout=180)


def test_technique_sheet_has_a_cell_per_variant_in_both_languages(qtbot, tmp_path, library):
    from bodymap.motion_demo import entries

    for lang in ("en", "ru"):
        out = tmp_path / f"sheet-{lang}.png"
        result = _run("technique-sheet", "--out", str(out), "--lang", lang, "--size",
                      "1400x1000")
        assert result.returncode == 0, result.stderr
        assert result.stdout.strip() == str(out) and result.stderr == ""
        image = QImage(str(out))
        assert (image.width(), image.height()) == (1400, 1000)
        assert not list(tmp_path.glob(".*bodymap-tmp"))  # written through a temporary file
    # the sheet's cells: a card per variant and one for the legend
    from bodymap.widgets.technique_sheet import render_sheet

    image = render_sheet(library, lang="en", size=(1400, 1000))
    assert _cards(image) == len(entries(library)) + 1 == 12


def _cards(image) -> int:
    """Cards on the sheet, counted by their top and bottom edges: long horizontal runs of the
    cards' border colour, in bands of neighbouring rows, two bands of edges per row of cards."""
    from test_motion import _rgb

    border = np.linalg.norm(_rgb(image) - np.array([0xC9, 0xBF, 0xB6]), axis=2) < 30
    edges, current = 0, 0
    for row in border:
        ends = np.flatnonzero(np.diff(np.concatenate([[0], row.astype(np.int8), [0]])))
        wide = int(((ends[1::2] - ends[::2]) > image.width() / 8).sum())
        if wide:
            current = max(current, wide)
        elif current:
            edges, current = edges + current, 0
    return (edges + current) // 2


@pytest.mark.parametrize("args", [
    ["--out", "x.jpg"],
    ["--out", "no/such/folder/x.png"],
    ["--out", "x.png", "--size", "big"],
    ["--out", "x.png", "--size", "640x480"],
    ["--out", "x.png", "--lang", "de"],
    [],
])
def test_technique_sheet_bad_arguments_get_one_line_and_exit_2(tmp_path, args):
    result = _run("technique-sheet", *args, cwd=tmp_path)
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert lines[-1].startswith("bodymap: error:") and "Traceback" not in result.stderr
    assert not list(tmp_path.glob("*.png"))


def test_technique_sheet_never_leaves_half_a_file(qtbot, tmp_path, library, monkeypatch):
    """A failed write keeps the previous sheet whole and says so in one line."""
    from bodymap.errors import BodymapError
    from bodymap.widgets import technique_sheet

    out = tmp_path / "sheet.png"
    out.write_bytes(b"previous")
    monkeypatch.setattr(technique_sheet, "_png_bytes", lambda image: b"\x89PNG\r\n\x1a\ncut")
    with pytest.raises(BodymapError, match="incomplete"):
        technique_sheet.write_sheet(out, library, size=(1000, 700))
    assert out.read_bytes() == b"previous"
    folder = tmp_path / "a-folder.png"
    folder.mkdir()
    result = _run("technique-sheet", "--out", str(folder))
    assert result.returncode == 2 and "folder" in result.stderr
