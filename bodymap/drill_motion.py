"""The motion drill (pure): name the technique from its animation alone.

One drill per technique variant (and per technique without variants): the card plays that
variant's strokes on their own -- one step of it (:func:`bodymap.planner.technique_step`),
no plan, no emphasis, no legend -- and asks which technique it is. The options are the right
variant and variants that *move differently* (another motion or another tempo, as
:mod:`bodymap.strokes` draws them): a student is never asked to tell apart two variants
whose animations are the same. Nothing here imports Qt.
"""

from __future__ import annotations

import zlib
from collections.abc import Sequence
from typing import Any

from bodymap.drill_base import Drill, Option, cites, overlay_plan
from bodymap.drill_base import data_texts as _data
from bodymap.drill_base import join_texts as _join
from bodymap.drill_base import texts as _texts
from bodymap.library import Library
from bodymap.planner import standing_no_touch, technique_step
from bodymap.strokes import motion_for, tempo_for

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


def motion_signature(step: Any) -> tuple[str, str]:
    """What the animation shows of a step: its motion and its tempo."""
    return (motion_for(step), tempo_for(step))


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
    out = []
    for oid, step in steps.items():
        look = motion_signature(step)
        others = [o for o, st in steps.items() if motion_signature(st) != look]
        others.sort(key=lambda o: _mix(oid, o))
        chosen = [oid, *others[: MOTION_OPTIONS - 1]]
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


def _mix(a: str, b: str) -> int:
    """A stable pseudo-random order of the distractors, per card."""
    return zlib.crc32(f"{a}:{b}".encode())


def _name(library: Library, technique: str, variant: str | None) -> dict[str, str]:
    tech = library.techniques[technique]
    v = tech.variant(variant)
    return _data(v.name if v is not None else tech.name)
