"""Subcommands of the ``bodymap`` command line (see bodymap.cli)."""

from __future__ import annotations

import argparse


def register(sub: argparse._SubParsersAction) -> None:
    """Add every subcommand parser to ``sub``; each sets ``handler``."""
    # plan, conditions, contraindications, validate: the protocol library (issue 3).
    # export: the handout (issue 5).
