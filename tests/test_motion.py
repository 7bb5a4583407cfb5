"""The motion language (issue 19): one family per way of moving, drawn so that no two are
confused at a glance, with hand glyphs a browser opens and a student can read at 24 px.

The distinguishability test renders each family's close-up frame by frame, as a student sees
it for a few seconds, and measures six cues from the frames (docs/map.md, "Telling the
families apart"): how wide the hand swings across its line (*loop*), how much path it covers
per unit of progress (*wander*), how often its swing repeats (*beat*), how sharply it turns
from frame to frame (*turn*), and the share of frames in which its glyph is drawn raised
(*lift*) or pressed in (*press*).
"""

from __future__ import annotations

import itertools
import math
import typing
import xml.etree.ElementTree as ET

import numpy as np
import pytest

from bodymap import i18n
from bodymap.motion import (
    CONTACTS,
    FAMILIES,
    LIFTED,
    ON_SKIN,
    PRESSED,
    contact_for,
    lay,
    pressure_for,
)
from bodymap.motion_demo import demo, entries
from bodymap.resources import resource_path

INK = np.array([0x1D, 0x27, 0x33], dtype=float)  # the glyphs' dark ink


def _rgb(image) -> np.ndarray:
    from PySide6.QtGui import QImage

    image = image.convertToFormat(QImage.Format.Format_RGB888)
    w, h, bpl = image.width(), image.height(), image.bytesPerLine()
    buf = np.frombuffer(image.constBits(), np.uint8, count=bpl * h).reshape(h, bpl)
    return buf[:, : 3 * w].reshape(h, w, 3).astype(float)


def _ink(pixels: np.ndarray) -> np.ndarray:
    return np.linalg.norm(pixels - INK, axis=2) < 40


# ------------------------------------------------------------------------ the language itself


def test_every_motion_of_the_schema_has_a_family_words_and_a_glyph(library):
    from bodymap.schema import Motion

    assert set(typing.get_args(Motion)) == set(FAMILIES)
    for lang in ("en", "ru"):
        for fid in FAMILIES:
            for key in (f"motion.path.{fid}", f"motion.how.{fid}"):
                assert i18n.tr(key, lang) != key
        for contact in CONTACTS:
            assert i18n.tr(f"motion.contact.{contact}", lang) != f"motion.contact.{contact}"
    for fam in FAMILIES.values():
        assert fam.contact in CONTACTS
    # every technique of the registry moves in one of them, with a glyph for its hand
    for tid, vid in entries(library):
        tech = library.techniques[tid]
        motion = tech.motion_of(vid)
        assert motion in FAMILIES
        assert resource_path("assets", "hands", f"{contact_for(motion)}.svg").is_file()


def test_the_source_decides_contact_and_pressure(library):
    """Deep stroking lays one hand on the other (Part 1); deep variants press deep;
    intensity lightens or deepens a family's own pressure; percussion strikes with the fist
    or the cupped hand (Part 1)."""
    tech = library.techniques["stroking"]
    assert contact_for("glide", tech.is_deep("deep-stroking")) == "palms"
    assert contact_for("glide", tech.is_deep("light-stroking")) == "palm"
    assert pressure_for("roll", deep=True) == "deep"
    assert pressure_for("roll", intensity=1) == "light"
    assert pressure_for("glide", intensity=1) == "light"  # never lighter than light
    assert pressure_for("circles", intensity=5) == "deep"
    assert contact_for("tap") == "fist" and contact_for("pat") == "cupped"
    assert library.techniques["vibration"].motion_of("tapping") == "tap"
    assert library.techniques["vibration"].motion_of("patting") == "pat"
    assert library.techniques["squeezing"].motion_of(None) == "press"


@pytest.mark.parametrize("motion", sorted(FAMILIES))
def test_a_motif_laid_along_a_guide_keeps_its_promises(motion):
    guide = np.array([[0.0, 200.0], [0.0, 0.0]])
    track = lay(guide, motion, step=1.5)
    pts = track.points
    assert np.hypot(*np.diff(pts, axis=0).T).max() <= 1.5 + 1e-9  # dense: the clip is safe
    assert np.all(np.diff(track.time) >= -1e-12)
    assert track.time[0] == pytest.approx(0.0) and track.time[-1] == pytest.approx(1.0)
    assert np.abs(pts[:, 0]).max() <= FAMILIES[motion].across + 1e-6  # within its reach
    weights = set(np.unique(track.weight).tolist())
    assert weights <= {LIFTED, ON_SKIN, PRESSED}
    if motion in ("tap", "pat"):  # strikes: the hand is in the air between them
        assert LIFTED in weights and PRESSED in weights
    elif motion in ("roll", "fold", "press"):  # they press in each cycle
        assert weights == {ON_SKIN, PRESSED}
    else:
        assert weights == {ON_SKIN}
    # the hand gets from one end to the other
    assert pts[0, 1] > 150 and pts[-1, 1] < 50


# ------------------------------------------------------------------------------- the glyphs


@pytest.mark.parametrize("contact", CONTACTS)
def test_hand_glyphs_are_plain_svg_a_browser_opens(contact):
    import svgelements
    from PySide6.QtSvg import QSvgRenderer

    path = resource_path("assets", "hands", f"{contact}.svg")
    root = ET.parse(path).getroot()
    assert root.tag == "{http://www.w3.org/2000/svg}svg"
    assert root.get("viewBox") == "0 0 48 48"
    assert root.get("width") == "48" and root.get("height") == "48"
    title = root.find("{http://www.w3.org/2000/svg}title")
    assert title is not None and title.text and len(title.text) > 10
    contact_group = root.find(".//{http://www.w3.org/2000/svg}g[@id='contact']")
    assert contact_group is not None and len(contact_group) >= 1  # the part on the skin
    shapes = list(svgelements.SVG.parse(str(path)).elements(
        lambda e: isinstance(e, svgelements.Shape)))
    assert len(shapes) >= 3
    assert QSvgRenderer(str(path)).isValid()


@pytest.mark.parametrize("contact", CONTACTS)
def test_hand_glyphs_read_at_24_pixels(qtbot, contact):
    """At the smallest size drawn (24 px) a glyph is a white hand with a dark outline and a
    dark contact part: both are plainly there, and the outline reaches 2 px."""
    from bodymap.widgets.glyphs import MIN_GLYPH_PX, hand_pixmap

    assert MIN_GLYPH_PX >= 24
    pixmap = hand_pixmap(contact, 12)  # asked smaller: drawn at the minimum
    assert pixmap.width() == MIN_GLYPH_PX
    image = pixmap.toImage()
    rgba = _rgb(image)
    alpha = np.array([[image.pixelColor(x, y).alpha() for x in range(image.width())]
                      for y in range(image.height())])
    opaque = alpha > 200
    ink = _ink(rgba) & opaque
    white = (rgba.min(axis=2) > 235) & opaque
    assert ink.sum() >= 0.08 * ink.size, "too little dark ink to read"
    assert white.sum() >= 0.05 * ink.size, "no white hand to read the ink on"
    # the outline: some row crosses at least two ink pixels in a run
    runs = [np.diff(np.flatnonzero(np.diff(np.concatenate([[0], row.astype(int), [0]]))))[::2]
            for row in ink]
    assert max((r.max() for r in runs if len(r)), default=0) >= 2


# ----------------------------------------------------------------- telling families apart

FPS = 24
SECONDS = 2.5
START = 0.12


def _family_examples(library) -> dict[str, tuple[str, str | None]]:
    out: dict[str, tuple[str, str | None]] = {}
    for tid, vid in entries(library):
        out.setdefault(library.techniques[tid].motion_of(vid), (tid, vid))
    return out


def _reference_ink(contact: str, px: float, at: tuple[float, float]) -> int:
    """Ink pixels of the glyph drawn on the skin at ``px``, at the same fraction of a pixel
    as a frame's (thin details fall on the same pixels); pressed ones are smaller, lifted ones
    larger."""
    from PySide6.QtCore import QRectF
    from PySide6.QtGui import QColor, QImage, QPainter

    from bodymap.widgets import map_style
    from bodymap.widgets.glyphs import paint_hand

    side = math.ceil(px) + 6
    image = QImage(side, side, QImage.Format.Format_RGB32)
    image.fill(QColor(map_style.SKIN))
    p = QPainter(image)
    p.setRenderHint(QPainter.RenderHint.Antialiasing)
    paint_hand(p, contact, QRectF(2 + at[0] % 1.0, 2 + at[1] % 1.0, px, px))
    p.end()
    return int(_ink(_rgb(image)).sum())


def _cues(patch, d) -> dict[str, float]:
    """Render the patch frame by frame for SECONDS at FPS and measure the five cues."""
    frames = min(int(FPS * SECONDS), int(FPS * d.seconds * (1.0 - START) * 0.95))
    heads, ratio = [], []
    for k in range(frames):
        patch.set_phase(START + k / FPS / d.seconds)
        pixels = _rgb(patch.grab().toImage())
        rect = patch.hand_rect()
        x0, y0 = max(0, int(rect.left())), max(0, int(rect.top()))
        x1, y1 = int(rect.right()) + 1, int(rect.bottom()) + 1
        ink = _ink(pixels[y0:y1, x0:x1])
        ref = _reference_ink(d.contact, patch._glyph_px(), (rect.left(), rect.top()))
        assert ink.sum() > 0.3 * ref, "the hand is drawn where the frame says"
        _ys, xs = np.nonzero(ink)
        head = patch.head_point()
        # the glyph's ink sits over the point of the skin the hand is at
        assert abs(x0 + xs.mean() - head.x()) < rect.width() * 0.35
        heads.append((head.x(), head.y()))
        ratio.append(ink.sum() / ref)
    c = np.array(heads)
    n = len(c)
    lateral = c[:, 0] - np.polyval(np.polyfit(np.arange(n), c[:, 0], 1), np.arange(n))
    loop = 2.0 * lateral.std()
    spectrum = np.abs(np.fft.rfft(lateral * np.hanning(n)))
    freqs = np.fft.rfftfreq(n, 1.0 / FPS)
    beat = 0.0 if loop < 3.0 else float(freqs[1:][np.argmax(spectrum[1:])])
    steps = np.diff(c, axis=0)
    lengths = np.hypot(*steps.T)
    wander = lengths.sum() / max(np.hypot(*(c[-1] - c[0])), 1e-9)
    heading = np.arctan2(steps[:, 1], steps[:, 0])
    moving = (lengths[1:] > 1.0) & (lengths[:-1] > 1.0)
    turns = np.abs(np.angle(np.exp(1j * np.diff(heading))))[moving]
    turn = float(np.degrees(np.median(turns))) if len(turns) else 0.0
    ratio_a = np.array(ratio)
    return {"loop": loop, "wander": wander, "beat": beat, "turn": turn,
            "lift": float((ratio_a > 1.127).mean()), "press": float((ratio_a < 0.923).mean())}


#: a cue counts as "clearly different" at a 1.5x ratio (loop, wander, beat) or a quarter of
#: the time (lift, press); two families must differ clearly in at least one cue
RATIO = 1.5
SHARE = 0.25
FLOORS = {"loop": 2.0, "beat": 0.25, "wander": 0.0, "turn": 5.0}


def distance(a: dict[str, float], b: dict[str, float]) -> tuple[float, str]:
    """The largest difference of two families' cues, in units of a clear difference."""
    parts = {k: abs(math.log((a[k] + f) / (b[k] + f))) / math.log(RATIO)
             for k, f in FLOORS.items()}
    parts.update({k: abs(a[k] - b[k]) / SHARE for k in ("lift", "press")})
    key = max(parts, key=lambda k: parts[k])
    return parts[key], key


def test_no_two_families_look_alike_in_their_rendered_frames(qtbot, library):
    from bodymap.widgets.closeup import MotionPatch

    cues = {}
    for family, (tid, vid) in _family_examples(library).items():
        patch = MotionPatch()
        qtbot.addWidget(patch)
        patch.resize(300, 330)
        patch.set_playing(False)
        d = demo(library, tid, vid)
        patch.set_demo(d)
        cues[family] = _cues(patch, d)
    assert set(cues) == set(FAMILIES)
    # what a student is meant to see
    assert cues["glide"]["loop"] < 3.0 and cues["glide"]["wander"] < 1.1
    assert cues["roll"]["loop"] > 1.5 * cues["circles"]["loop"]  # loops twice a circle
    assert cues["roll"]["press"] > SHARE > cues["circles"]["press"]
    assert cues["tremble"]["beat"] > 2.0 * max(cues[f]["beat"] for f in ("circles", "roll"))
    assert cues["circles"]["turn"] > 2.0 * cues["zigzag"]["turn"]  # curves, not straight runs
    for f in ("tap", "pat"):
        assert cues[f]["lift"] > SHARE  # the hand leaves the skin between strikes
    for f in ("glide", "circles", "zigzag", "roll", "fold", "press", "tremble"):
        assert cues[f]["lift"] < 0.05
    close = sorted(((*distance(cues[a], cues[b]), a, b)
                    for a, b in itertools.combinations(cues, 2)))
    nearest = close[0]
    assert nearest[0] >= 1.5, f"{nearest[2]} and {nearest[3]} look alike ({nearest[1]})"
