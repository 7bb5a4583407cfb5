"""One technique's motion on a patch of back, for the close-up and the technique sheet (pure).

The patch is a square of back ``PATCH`` units wide with the spine near its left edge (the
spinal line is never touched: the hand works beside it). The hand follows a guide up beside
the spine or out from it to the side, laying the technique's motif (:mod:`bodymap.motion`)
at :data:`MOTIF_SCALE`; one *pass* is the hand's trip along the whole guide, timed by the
family's rhythm and the tempo. Built when the technique changes, never per frame.
"""

from __future__ import annotations

from dataclasses import dataclass
from types import SimpleNamespace
from typing import Any

import numpy as np

from bodymap.motion import FAMILIES, TEMPO_RATE, Track, contact_for, lay, pressure_for

__all__ = ["MOTIF_SCALE", "PATCH", "PRESETS", "SPINE_HALF", "SPINE_X", "Demo", "confused_with",
           "demo", "demo_for_step", "entries", "patch_guide", "presets"]

#: the patch's side (back units), where its spine runs, the spinal strip's half width
PATCH = 240.0
SPINE_X = 52.0
SPINE_HALF = 9.0
#: the motif drawn this much larger than on the full map (the close-up is for seeing it)
MOTIF_SCALE = 1.8
#: the directions that go out from the spine to the side (the others go up beside it)
OUTWARD = ("spine-to-sides", "toward-lymph-nodes")


def patch_guide(direction: str | None) -> np.ndarray:
    """The hand's guide on the patch: out to the side, or up beside the spine."""
    if direction in OUTWARD:
        x = np.linspace(SPINE_X + SPINE_HALF + 30.0, PATCH - 24.0, 48)
        u = (x - x[0]) / (x[-1] - x[0])
        return np.column_stack([x, PATCH * 0.46 + 16.0 * u**1.6])  # out and a little down
    y = np.linspace(PATCH - 22.0, 22.0, 48)
    return np.column_stack([np.full_like(y, SPINE_X + SPINE_HALF + 56.0), y])


@dataclass(frozen=True, eq=False)
class Demo:
    """One technique's motion on the patch: what it is, its four cues and its track."""

    technique: str
    variant: str | None
    motion: str
    contact: str
    pressure: str
    tempo: str
    rhythmic: bool
    direction: str
    guide: np.ndarray
    track: Track
    #: one pass along the guide at the normal speed
    seconds: float

    def head(self, phase: float) -> int:
        """Index of the track point the hand is at, ``phase`` (0..1) through a pass."""
        return self.track.at(phase)

    def beats(self) -> int:
        """Motif cycles in a pass (strikes, loops, circles...)."""
        return self.track.cycles

    def key(self) -> tuple[str, str | None, str, str, str, str]:
        """What the demo's pictures depend on (a close-up caches its frames by it)."""
        return (self.technique, self.variant, self.motion, self.pressure, self.tempo,
                self.direction)


def demo(library: Any, technique: str, variant: str | None = None, *,
         direction: str | None = None, intensity: int = 3, role: str | None = None) -> Demo:
    """The demo of ``technique`` (``variant``) from the technique registry: its motion, its
    contact and pressure (a deep variant presses deep), its tempo at ``intensity``."""
    from bodymap.strokes import tempo_for

    tech = library.techniques[technique]
    motion = tech.motion_of(variant)
    deep = tech.is_deep(variant)
    step = SimpleNamespace(percussive=tech.percussive_of(variant), role=role,
                           intensity=intensity)
    tempo = tempo_for(step)
    direction = direction or "along-spine-up"
    guide = patch_guide(direction)
    track = lay(guide, motion, 1.0, MOTIF_SCALE)
    fam = FAMILIES[motion]
    seconds = track.cycles / (fam.beat_hz * TEMPO_RATE[tempo])
    if fam.id == "glide":
        length = float(np.hypot(*np.diff(guide, axis=0).T).sum())
        seconds = length / (fam.wave * MOTIF_SCALE) / (fam.beat_hz * TEMPO_RATE[tempo])
    return Demo(technique=technique, variant=variant, motion=motion,
                contact=contact_for(motion, deep),
                pressure=pressure_for(motion, deep, None if deep else intensity),
                tempo=tempo, rhythmic=fam.rhythmic, direction=direction, guide=guide,
                track=track, seconds=float(seconds))


def demo_for_step(library: Any, step: Any) -> Demo:
    """The demo of a plan's step: its technique, variant, direction, intensity and role."""
    return demo(library, step.technique, step.variant, direction=step.direction,
                intensity=int(step.intensity), role=getattr(step, "role", None))


def entries(library: Any) -> list[tuple[str, str | None]]:
    """Every technique's variants (a technique without variants: itself), in registry order:
    what a close-up or the technique sheet can show."""
    out: list[tuple[str, str | None]] = []
    for tid, tech in library.techniques.items():
        if tech.variants:
            out.extend((tid, v.id) for v in tech.variants)
        else:
            out.append((tid, None))
    return out


#: pairs of techniques easily taken for one another, shown side by side (issue 19): the
#: small circles of rubbing and the loops of kneading, the two percussions, the two glides
PRESETS: dict[str, tuple[tuple[str, str | None], tuple[str, str | None]]] = {
    "rub_knead": (("rubbing", "circular-rubbing"), ("kneading", "deep-kneading")),
    "tap_pat": (("vibration", "tapping"), ("vibration", "patting")),
    "stroke_squeeze": (("stroking", "deep-stroking"), ("squeezing", None)),
}

#: the family a student most often takes each family for
_CONFUSED = {"circles": "roll", "roll": "circles", "tap": "pat", "pat": "tap", "glide": "press",
             "press": "glide", "zigzag": "circles", "fold": "roll", "tremble": "tap"}


def presets(library: Any) -> dict[str, tuple[tuple[str, str | None], tuple[str, str | None]]]:
    """The :data:`PRESETS` whose techniques and variants ``library`` has."""
    have = set(entries(library))
    return {k: pair for k, pair in PRESETS.items() if pair[0] in have and pair[1] in have}


def confused_with(library: Any, technique: str, variant: str | None
                  ) -> tuple[str, str | None] | None:
    """The first entry of ``library`` whose motion a student most often confuses with this
    one's (kneading for circular rubbing, patting for tapping...), or None."""
    tech = library.techniques.get(technique)
    if tech is None:
        return None
    other = _CONFUSED.get(tech.motion_of(variant))
    for tid, vid in entries(library):
        if library.techniques[tid].motion_of(vid) == other:
            return tid, vid
    return None
