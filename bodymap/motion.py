"""The motion language: how each technique family is drawn, so that two are never confused at
a glance (pure, no Qt).

A *family* is one way of moving the hands (``Technique.motion_of(variant)`` in
protocols/techniques.toml). Each is drawn with four cues, every one of them from the seed
source's description of the technique (the close-up cites it):

* **contact**: the part of the hand on the skin, a glyph drawn from ``assets/hands/<id>.svg``
  (palm, the palms one on the other, fingertips, the edge of the hand, thumb and fingers
  grasping, the thumbs behind a fold, the heel of the hand, the fist, the cupped hand);
* **path**: the shape the hand traces: a long glide, small tight circles, a zigzag,
  lift-and-press loops, the arches of a rolling fold, a press-and-slide ladder, a fine
  tremble, or the separate strikes of tapping and patting;
* **pressure**: the stroke's weight (pen width and shadow): light, firm or deep;
* **tempo**: how fast the hand goes (calming, moderate, toning) and, for vibration and
  percussion, a rhythm. The source names no rate for either ("a certain frequency and
  force", Part 3): the rhythm drawn is illustrative, and the close-up says so.

A family's path is a *motif*: one cycle in local coordinates (``along`` the direction of
travel, ``across`` it, and a weight per point: 0 the hand is lifted, 1 on the skin, 2
pressing), tiled along a guide by :func:`lay`. The map (``bodymap.strokes``), the close-up and
the printed technique sheet all lay the same motifs, so the three always agree.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

__all__ = [
    "CONTACTS",
    "FAMILIES",
    "LIFTED",
    "ON_SKIN",
    "PRESSED",
    "PRESSURES",
    "TEMPO_RATE",
    "Family",
    "Track",
    "contact_for",
    "family",
    "lay",
    "pressure_for",
    "resample",
]

#: the weight of a track point: the hand is lifted (nothing drawn), on the skin, or pressing
LIFTED, ON_SKIN, PRESSED = 0, 1, 2

#: the hand's part on the skin: one glyph each in assets/hands/<id>.svg
CONTACTS = ("palm", "palms", "fingertips", "edge", "thumb", "thumbs", "heel", "fist", "cupped")
PRESSURES = ("light", "firm", "deep")
#: how much faster than moderate a tempo moves (Part 3: slow and shallow calms, fast tones)
TEMPO_RATE = {"calming": 0.6, "moderate": 1.0, "toning": 1.6}


@dataclass(frozen=True)
class Family:
    """How one family of techniques moves (sizes in back units, the map's viewBox units)."""

    id: str
    contact: str
    pressure: str
    #: the widest swing across the direction of travel (for clipping: the reach)
    across: float
    #: guide length one cycle of the motif covers
    wave: float
    #: length of the moving trail on the map, along the hand's track
    trail: float
    #: motif cycles per second in the close-up at a moderate tempo
    beat_hz: float
    #: vibration and percussion: the rhythm shown is illustrative (the source names no rate)
    rhythmic: bool = False


FAMILIES: dict[str, Family] = {
    f.id: f
    for f in (
        # Part 1 "Methodology": stroking glides over the skin without shifting it
        Family("glide", "palm", "light", 0.0, 30.0, 60.0, 0.8),
        # Part 1: rubbing "with the pads of the fingers", in small circles shifting the skin
        Family("circles", "fingertips", "firm", 6.5, 8.0, 60.0, 1.6),
        # Part 1: rubbing with "the rib" (the edge) of the palm, in a zigzag
        Family("zigzag", "edge", "firm", 9.0, 11.0, 60.0, 1.8),
        # Part 6: kneading grasps the muscle, pulls it back and rotates it: lift, then press
        Family("roll", "thumb", "firm", 12.0, 26.0, 110.0, 0.9),
        # Part 1: skin-fold rolling, a fold of skin moved along the line of the spine
        Family("fold", "thumbs", "firm", 9.0, 24.0, 70.0, 0.8),
        # squeezing: the source names it only; the heel of the hand presses and slides slowly
        Family("press", "heel", "deep", 8.0, 20.0, 60.0, 0.5),
        # Part 3: vibration passes trembling "of a certain frequency and force" (no rate given)
        Family("tremble", "palm", "light", 3.0, 3.4, 40.0, 6.0, rhythmic=True),
        # Part 1: tapping with the fingertips or the fist: quick light strikes, hands alternating
        Family("tap", "fist", "firm", 9.0, 16.0, 60.0, 2.5, rhythmic=True),
        # Part 1: patting with the palm or the cupped hand ("boat"): broader, slower strikes
        Family("pat", "cupped", "firm", 7.5, 28.0, 70.0, 1.0, rhythmic=True),
    )
}


def family(motion: str) -> Family:
    """The family drawn for ``motion`` (a step's or a technique's motion id)."""
    try:
        return FAMILIES[motion]
    except KeyError:
        raise ValueError(
            f"unknown motion {motion!r}; expected one of {', '.join(FAMILIES)}"
        ) from None


def contact_for(motion: str, deep: bool = False) -> str:
    """The hand's part on the skin; deep stroking lays one hand on the other (Part 1,
    "Methodology": "weighting ... placing a hand on it")."""
    fam = family(motion)
    if deep and fam.contact == "palm" and not fam.rhythmic:
        return "palms"
    return fam.contact


def pressure_for(motion: str, deep: bool = False, intensity: int | None = None) -> str:
    """Light, firm or deep: a deep variant presses deep; otherwise the family's own pressure,
    a level lighter at intensity 1-2 and a level deeper at 4-5."""
    if deep:
        return "deep"
    level = PRESSURES.index(family(motion).pressure)
    if intensity is not None:
        if intensity <= 2:
            level -= 1
        elif intensity >= 4:
            level += 1
    return PRESSURES[max(0, min(level, len(PRESSURES) - 1))]


# --------------------------------------------------------------------------- motifs

#: one motif cycle sampled at ``t``: offsets along the line, across it, and the hand's weight
_Motif = tuple[np.ndarray, np.ndarray, np.ndarray]

#: points sampled per motif cycle before the track is resampled to even spacing
_SAMPLES = 48


def _glide(t: np.ndarray, _k: np.ndarray, _f: Family) -> _Motif:
    return t * 0.0, t * 0.0, np.full(t.shape, ON_SKIN)


def _circles(t: np.ndarray, _k: np.ndarray, f: Family) -> _Motif:
    # a tight coil: each small circle overlaps the last (the skin shifts with the fingers)
    ang = 2.0 * math.pi * t
    r = f.across
    return r * (np.cos(ang) - 1.0), r * np.sin(ang), np.full(t.shape, ON_SKIN)


def _zigzag(t: np.ndarray, _k: np.ndarray, f: Family) -> _Motif:
    # straight runs out and back across the line, with sharp corners (one hand's edge zigzags;
    # not sawing, where both hands' edges move in opposite directions)
    c = np.interp(t, [0.0, 0.25, 0.75, 1.0], [0.0, 1.0, -1.0, 0.0])
    return t * 0.0, f.across * c, np.full(t.shape, ON_SKIN)


def _roll(t: np.ndarray, _k: np.ndarray, f: Family) -> _Motif:
    # kneading: grasp the muscle and lift it (a light arc back across the line), then press it
    # and roll it forward (a heavy arc): one large loop per grip, about twice a rubbing circle
    ang = 2.0 * math.pi * t
    along = -12.0 * np.sin(ang)
    across = -f.across * np.cos(ang)
    weight = np.where(np.cos(ang) < 0.0, PRESSED, ON_SKIN)
    return along, across, weight


def _fold(t: np.ndarray, _k: np.ndarray, f: Family) -> _Motif:
    # skin-fold rolling: the thumbs push the fold forward in arches (a cycloid: the fold rolls),
    # regripping at each cusp, all on one side of the line
    ang = 2.0 * math.pi * t
    r = f.wave / (2.0 * math.pi)
    along = -r * np.sin(ang)
    across = f.across * 0.5 * (1.0 - np.cos(ang))
    weight = np.where(np.cos(ang) > 0.6, PRESSED, ON_SKIN)
    return along, across, weight


def _press(t: np.ndarray, _k: np.ndarray, f: Family) -> _Motif:
    # squeezing: slide forward, stop, and press down hard across the muscle (a heavy bar)
    h = f.across
    along = f.wave * np.minimum(t / 0.6, 1.0) - f.wave * t
    across = np.interp(t, [0.0, 0.6, 0.7, 0.9, 1.0], [0.0, 0.0, h, -h, 0.0])
    weight = np.where(t < 0.6, ON_SKIN, PRESSED)
    return along, across, weight


def _tremble(t: np.ndarray, _k: np.ndarray, f: Family) -> _Motif:
    ang = 2.0 * math.pi * t
    return t * 0.0, f.across * np.sin(ang), np.full(t.shape, ON_SKIN)


def _strike(t: np.ndarray, f: Family, centre: np.ndarray, previous: np.ndarray,
            radius: float) -> _Motif:
    """A hop through the air (lifted, nothing drawn) from the last strike to this cycle's,
    then a ring where the hand lands (pressed). The strike sits at the end of the cycle."""
    hop = 0.35
    h = np.clip(t / hop, 0.0, 1.0)
    ang = 2.0 * math.pi * np.clip((t - hop) / (1.0 - hop), 0.0, 1.0)
    flying = t < hop
    # the ring is centred on the strike; the hand lands on (and leaves from) its near side
    along = np.where(flying, f.wave * h, f.wave + radius * np.sin(ang)) - f.wave * t
    across = np.where(flying, previous - radius + (centre - previous) * h,
                      centre - radius * np.cos(ang))
    return along, across, np.where(flying, LIFTED, PRESSED)


def _tap(t: np.ndarray, k: np.ndarray, f: Family) -> _Motif:
    radius = 2.6
    side = np.where(k % 2 == 0, 1.0, -1.0) * (f.across - radius - 0.5)  # two fists in turn
    return _strike(t, f, side, -side, radius)


def _pat(t: np.ndarray, k: np.ndarray, f: Family) -> _Motif:
    centre = np.zeros_like(t)
    return _strike(t, f, centre, centre, 5.5)


_MOTIFS: dict[str, Callable[[np.ndarray, np.ndarray, Family], _Motif]] = {
    "glide": _glide, "circles": _circles, "zigzag": _zigzag, "roll": _roll, "fold": _fold,
    "press": _press, "tremble": _tremble, "tap": _tap, "pat": _pat,
}


# --------------------------------------------------------------------------- laying a motif


@dataclass(eq=False)
class Track:
    """The hand's track: points (N, 2), the weight of the segment arriving at each point
    (``weight[0]`` repeats ``weight[1]``): LIFTED, ON_SKIN or PRESSED, and when the hand is
    there (``time``, 0..1 over the track: every cycle of the motif takes the same time, so a
    strike's hop is quick and a squeeze's press lingers)."""

    points: np.ndarray
    weight: np.ndarray
    time: np.ndarray
    cycles: int = 1

    def at(self, phase: float) -> int:
        """Index of the point the hand is at, ``phase`` (0..1) through the track."""
        i = int(np.searchsorted(self.time, phase % 1.0, side="right")) - 1
        return max(0, min(i, len(self.points) - 1))


def cumulative(points: np.ndarray) -> np.ndarray:
    """Cumulative length along a polyline (0 at its first point)."""
    if len(points) < 2:
        return np.zeros(len(points))
    seg = np.hypot(*np.diff(points, axis=0).T)
    return np.concatenate([[0.0], np.cumsum(seg)])


def resample(points: np.ndarray, step: float, weight: np.ndarray | None = None,
             time: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Points at most ``step`` apart along ``points``; each new point's weight is that of the
    segment it lies on, its time interpolated (by default: the share of the length)."""
    cum = cumulative(points)
    total = cum[-1] if len(cum) else 0.0
    w = np.full(len(points), ON_SKIN, dtype=np.uint8) if weight is None else weight
    if total <= 0:
        return points[:1].copy(), w[:1].copy(), np.zeros(1)
    s = np.linspace(0.0, total, max(2, math.ceil(total / step) + 1))
    out = np.column_stack([np.interp(s, cum, points[:, 0]), np.interp(s, cum, points[:, 1])])
    seg = np.clip(np.searchsorted(cum, s, side="left"), 1, len(points) - 1)
    new_w = w[seg].astype(np.uint8)
    new_w[0] = new_w[1] if len(new_w) > 1 else new_w[0]
    new_t = s / total if time is None else np.interp(s, cum, time)
    return out, new_w, new_t


def lay(guide: np.ndarray, motion: str, step: float = 1.5, scale: float = 1.0) -> Track:
    """The hand's track: ``motion``'s motif tiled along ``guide`` (back units, or any units
    with ``scale`` times the motif's size), points at most ``step`` apart."""
    fam = family(motion)
    base = resample(np.asarray(guide, dtype=float), 0.5 * scale)[0]
    cum = cumulative(base)
    length = cum[-1]
    if fam.id == "glide" or length <= 0:
        return Track(*resample(base, step))
    wave = fam.wave * scale
    cycles = max(1, int(length // wave))
    t = np.linspace(0.0, cycles, cycles * _SAMPLES + 1)
    k = np.minimum(np.floor(t), cycles - 1)
    f = t - k
    along, across, weight = _MOTIFS[fam.id](f, k, fam)
    s = np.clip((k + f) * wave + np.asarray(along) * scale + (length - cycles * wave) / 2.0,
                0.0, length)
    x = np.interp(s, cum, base[:, 0])
    y = np.interp(s, cum, base[:, 1])
    tangent = np.gradient(base, axis=0)
    norm = np.hypot(tangent[:, 0], tangent[:, 1])
    norm[norm == 0] = 1.0
    tx = np.interp(s, cum, tangent[:, 0] / norm)
    ty = np.interp(s, cum, tangent[:, 1] / norm)
    c = np.asarray(across) * scale
    pts = np.column_stack([x - ty * c, y + tx * c])
    pts, w, when = resample(pts, step, np.asarray(weight, dtype=np.uint8), t / cycles)
    return Track(pts, w, when, cycles)
