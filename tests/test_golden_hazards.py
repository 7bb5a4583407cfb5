"""Hazard-log checks that need no fixtures of their own (see docs/hazards.toml)."""

from __future__ import annotations

from bodymap.planner import Hernia, Profile, make_plan


def test_acute_phase_postpones(library, geometry):
    hernia = {"hernias": (Hernia("L5-S1", "left", "initial"),)}
    for cid, extra in (("radiculitis", {}), ("hernia", hernia)):
        p = make_plan(Profile(cid, present=frozenset({"acute-phase"}), **extra), library,
                      geometry)
        assert p.status == "postponed" and p.steps == ()
