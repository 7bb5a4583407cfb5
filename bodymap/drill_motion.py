"""The motion drill (pure): name the technique from its animation alone.

One drill per technique variant (and per technique without variants): the card plays that
variant's close-up on its own -- one step of it (:func:`bodymap.planner.technique_step`) as
:func:`bodymap.motion_demo.demo_for_step` lays it: the hand, its path, pressure and tempo, no
name -- and asks which technique it is. The options are the right variant and variants that
*look different* there (:func:`motion_signature`: another family of :mod:`bodymap.motion`,
tempo, pressure or contact part), each unlike every other: a student is never asked to tell
apart two options whose animations are the same. Nothing here imports Qt.
"""

from __future__ import annotations

import zlib
from collections.abc import Mapping, Sequence
from typing import Any

from bodymap.drill_base import Drill, Option, cites, overlay_plan
from bodymap.drill_base import data_texts as _data
from bodymap.drill_base import join_texts as _join
from bodymap.drill_base import texts as _texts
from bodymap.library import Library
from bodymap.motion_demo import demo_for_step
from bodymap.planner import standing_no_touch, technique_step

__all__ = ["MOTION_OPTIONS", "motion_drills", "motion_signature", "variants"]

#: how many names a motion card offers (the right one among them)
MOTION_OPTIONS = 5
_DEFAULT_DIRECTION = "spine-to-sides"
_DEFAULT_INTENSITY = 3


def variants(library: Library) -> list[tuple[str, str | None]]:
    """Every (technique, variant) the library draws: its variants, or the technique itself."""
    out: list[tuple[str, str | None]] = []
    for tid, tech in library.techniques.items():
        out += [(tid, v.id) for v in tech.variants] or [(tid, None)]
    return out


def option_id(technique: str, variant: str | None) -> str:
    return f"{technique}/{variant}" if variant else technique


def motion_signature(library: Library, step: Any) -> tuple[str, str, str, str]:
    """What the close-up shows of a step: its family's path, its tempo, its pressure and the
    hand's contact part (the glyph). Two steps alike in all four animate alike (the direction
    is the plan's, not the technique's, so it does not tell them apart)."""
    shown = demo_for_step(library, step)
    return (shown.motion, shown.tempo, shown.pressure, shown.contact)


def _as_in_plans(scen: Sequence[Any], technique: str, variant: str | None) -> tuple[str, int]:
    """The direction and intensity a real plan gives this variant (the first found)."""
    for s in scen:
        for st in s.plan.steps:
            if st.technique == technique and st.variant == variant:
                return st.direction, st.intensity
    return _DEFAULT_DIRECTION, _DEFAULT_INTENSITY


def motion_drills(library: Library, geometry: Any, scen: Sequence[Any]) -> list[Drill]:
    no_touch = standing_no_touch(library, geometry)
    steps = {}
    for tid, vid in variants(library):
        direction, intensity = _as_in_plans(scen, tid, vid)
        steps[option_id(tid, vid)] = technique_step(
            library, geometry, tid, vid, direction=direction, intensity=intensity,
            no_touch=no_touch)
    names = {oid: _name(library, st.technique, st.variant) for oid, st in steps.items()}
    looks = {oid: motion_signature(library, st) for oid, st in steps.items()}
    out = []
    for oid, step in steps.items():
        chosen = _options(oid, looks)
        options = tuple(Option(o, names[o]) for o in sorted(chosen, key=list(steps).index))
        tech = library.techniques[step.technique]
        v = tech.variant(step.variant)
        does = _data(v.does) if v is not None else _data(tech.does)
        out.append(Drill(
            id=f"motion:{oid}",
            kind="motion",
            prompt=_texts("study.prompt.motion"),
            answer_text=names[oid],
            explanation=_join([does, _data(tech.how)], sep=" "),
            sources=cites(tech.sources),
            accept=frozenset({oid}),
            options=options,
            plan=overlay_plan(steps=(step,), no_touch=no_touch),
            step=0,
            technique=step.technique,
        ))
    return out


def _options(right: str, looks: Mapping[str, tuple[str, ...]]) -> list[str]:
    """The right option and up to ``MOTION_OPTIONS - 1`` others in a stable pseudo-random
    order, each looking unlike the right one and unlike every other chosen."""
    chosen, seen = [right], {looks[right]}
    for other in sorted(looks, key=lambda o: _mix(right, o)):
        if len(chosen) == MOTION_OPTIONS:
            break
        if looks[other] not in seen:
            chosen.append(other)
            seen.add(looks[other])
    return chosen


def _mix(a: str, b: str) -> int:
    """A stable pseudo-random order of the distractors, per card."""
    return zlib.crc32(f"{a}:{b}".encode())


def _name(library: Library, technique: str, variant: str | None) -> dict[str, str]:
    tech = library.techniques[technique]
    v = tech.variant(variant)
    return _data(v.name if v is not None else tech.name)
