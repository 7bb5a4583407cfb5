"""The ``bodymap`` command: the window, or plan/conditions/contraindications/validate/export.

Pure argparse; Qt is imported only by the subcommands that need it (the window and export),
so scripts that print plans start fast and work without a display.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING

from bodymap import __version__
from bodymap.errors import BodymapError, UsageError

EXIT_OK = 0
EXIT_ERROR = 1
EXIT_USAGE = 2

if TYPE_CHECKING:
    import argparse


def build_parser() -> argparse.ArgumentParser:
    import argparse  # here, not at the top: plain `bodymap` opens the window without it

    class _Parser(argparse.ArgumentParser):
        """argparse that reports a bad value as one line and exit code 2 (its own default)."""

        def error(self, message: str) -> None:  # type: ignore[override]
            self.exit(EXIT_USAGE, f"bodymap: error: {message}\n")

    parser = _Parser(
        prog="bodymap",
        description="An offline guide to therapeutic back massage. "
        "Without a subcommand, opens the window.",
    )
    parser.add_argument("--version", action="version", version=f"bodymap {__version__}")
    parser.add_argument(
        "--condition", metavar="ID", help="open the window on this condition's plan"
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    add_subcommands(sub)
    return parser


def add_subcommands(sub: argparse._SubParsersAction) -> None:
    """Register the subcommands. Each sets ``handler`` to a function(args) -> exit code."""
    from bodymap import commands

    commands.register(sub)


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if not argv:
        # Plain `bodymap` opens the window: skip building the parser (and importing every
        # subcommand), which would delay the first paint for nothing.
        from bodymap.widgets.app import run_gui

        return run_gui()
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        if args.command is None:
            from bodymap.widgets.app import run_gui

            return run_gui(condition=args.condition)
        return int(args.handler(args))
    except UsageError as exc:
        print(f"bodymap: error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except BodymapError as exc:
        print(f"bodymap: error: {exc}", file=sys.stderr)
        return EXIT_ERROR
    except KeyboardInterrupt:
        return 130
