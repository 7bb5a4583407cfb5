"""The ``bodymap`` command: the window, or plan/conditions/contraindications/validate/export.

Pure argparse; Qt is imported only by the subcommands that need it (the window and export),
so scripts that print plans start fast and work without a display.
"""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import MutableMapping, Sequence
from typing import TYPE_CHECKING, Any, NoReturn, cast

from bodymap.errors import BodymapError, UsageError

EXIT_OK = 0
EXIT_ERROR = 1
EXIT_USAGE = 2

if TYPE_CHECKING:
    import argparse
    from pathlib import Path

    from bodymap.geometry import BackGeometry
    from bodymap.library import Library
    from bodymap.plan_types import Plan
    from bodymap.records.report import CourseReport

    #: the subcommands' parsers (bodymap's own ArgumentParser, which exits with one line)
    Subparsers = argparse._SubParsersAction[argparse.ArgumentParser]


def build_parser() -> argparse.ArgumentParser:
    import argparse  # here, not at the top: plain `bodymap` opens the window without it

    class _Parser(argparse.ArgumentParser):
        """argparse that reports a bad value as one line and exit code 2 (its own default)."""

        def error(self, message: str) -> NoReturn:
            self.exit(EXIT_USAGE, f"bodymap: error: {message}\n")

    class _VersionAction(argparse.Action):
        """``--version``: the metadata is read only when asked (importlib.metadata is slow)."""

        def __call__(self, parser: argparse.ArgumentParser, namespace: argparse.Namespace,
                     values: str | Sequence[Any] | None, option_string: str | None = None
                     ) -> None:
            from bodymap.version import version

            print(f"bodymap {version()}")
            parser.exit(EXIT_OK)

    parser = _Parser(
        prog="bodymap",
        description="An offline guide to therapeutic back massage. "
        "Without a subcommand, opens the window.",
    )
    parser.add_argument("--version", action=_VersionAction, nargs=0,
                        help="print bodymap's version and exit")
    parser.add_argument(
        "--condition", action="append", metavar="ID",
        help="open the window on this condition's plan; repeat for further conditions "
             "(the first leads)")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    # the subcommands' parsers are _Parser, an ArgumentParser; typeshed's _SubParsersAction is
    # invariant in its parser class, so the registrations see it as making ArgumentParsers
    add_subcommands(cast("Subparsers", sub))
    return parser


def add_subcommands(sub: Subparsers) -> None:
    """Register the subcommands. Each sets ``handler`` to a function(args) -> exit code."""
    from bodymap import commands
    from bodymap.records import commands as records_commands

    commands.register(sub)
    sub.choices["export"].set_defaults(exporter=export_handout)
    add_screenshot(sub)
    add_technique_sheet(sub)
    records_commands.register(sub, course_exporter=export_course_report)


def export_handout(plan: Plan, path: str | os.PathLike[str], *, geometry: BackGeometry,
                   library: Library, lang: str = "en", patient_name: str = "") -> Path:
    """The handout painter from the widget layer, loaded only when a handout is written.

    This module is the composition root: the only module outside ``bodymap.widgets`` that may
    import it (tests/test_architecture.py), and only inside functions, so that plan, conditions
    and validate never load Qt."""
    import os

    # Headless by default: the export draws nothing on screen, so it must not need a display.
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from bodymap.widgets.handout import export_handout as export

    return export(plan, path, geometry=geometry, library=library, lang=lang,
                  patient_name=patient_name)


def export_course_report(report: CourseReport, path: str | os.PathLike[str], *,
                         geometry: BackGeometry | None = None) -> Path:
    """The course report's painter (``patients export --pdf``), loaded only when asked."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from bodymap.widgets.course_report import export_course_report as export

    return export(report, path, geometry=geometry)


def add_screenshot(sub: Subparsers) -> None:
    """``bodymap screenshot``: the window as the user sees it once ready, as a PNG (offscreen)."""
    p = sub.add_parser(
        "screenshot",
        help="render the window, once ready, to a PNG without a display",
        description="Render the window as a user sees it once start-up is complete (the map "
        "painted, the plan, player and course drawn) into a PNG, on Qt's offscreen platform "
        "and with fresh settings: your own settings, protocols and autosaves are not read.",
    )
    from bodymap.commands import add_finding_options, add_screening_option, out_path

    p.add_argument("--out", required=True, type=out_path, metavar="FILE.png",
                   help="where to write the PNG")
    p.add_argument("--condition", action="append", default=[], metavar="ID",
                   help="condition id; repeat for further conditions (the first leads)")
    p.add_argument("--session", type=_session_number, default=None, metavar="N",
                   help="session number (default 1)")
    add_finding_options(p)  # as `plan` takes them: one parser for both
    add_screening_option(p)
    p.add_argument("--size", default="1920x1080", metavar="WxH",
                   help="window size in pixels (default 1920x1080)")
    p.add_argument("--lang", choices=("en", "ru"), default="en", help="interface language")
    p.add_argument("--presentation", action="store_true",
                   help="render the patient's presentation screen instead of the main window")
    p.set_defaults(handler=cmd_screenshot)


def _session_number(value: str) -> int:
    """``--session N`` in ASCII digits, as ``plan`` reads it (argparse reports the rest)."""
    from bodymap.commands import parse_session

    return parse_session(value)


def parse_size(value: str) -> tuple[int, int]:
    """``"1366x768"`` -> (1366, 768); a UsageError for anything else or out of range."""
    w, sep, h = value.lower().partition("x")
    if not sep or not (w + h).isascii() or not w.isdigit() or not h.isdigit():
        raise UsageError(f"--size '{value}' is not WIDTHxHEIGHT", expected="e.g. 1920x1080")
    width, height = int(w), int(h)
    if not (320 <= width <= 7680 and 240 <= height <= 4320):
        raise UsageError(f"--size '{value}' is out of range",
                         expected="320x240 to 7680x4320")
    return width, height


def png_out(out: Path) -> Path:
    """``--out FILE.png`` (already a path, as :func:`bodymap.commands.out_path` reads it): a
    .png name in a folder that exists, not a folder itself."""
    from bodymap.errors import shown

    if out.suffix.lower() != ".png":
        raise UsageError(f"--out '{shown(str(out))}' is not a .png file", expected="FILE.png")
    if out.is_dir():
        raise UsageError(f"--out '{shown(str(out))}' is a folder", expected="FILE.png")
    if not out.parent.is_dir():
        raise UsageError(f"--out '{shown(str(out))}': the folder does not exist")
    return out


def cmd_screenshot(args: argparse.Namespace) -> int:
    """Check every argument before Qt starts; then render (bodymap.widgets.screenshot)."""
    size = parse_size(args.size)
    if not args.condition and args.session is not None and not 1 <= args.session <= 60:
        raise UsageError(f"--session {args.session} is out of range", expected="1 to 60")
    from bodymap.commands import print_path
    from bodymap.errors import shown

    out = png_out(args.out)
    from bodymap.commands import document_from_args
    from bodymap.geometry import load_geometry
    from bodymap.library import load_library

    library = load_library(None)  # the shipped protocols: the render reads no user files
    if args.condition:
        from bodymap.protocol_files import check_condition_list

        check_condition_list(args.condition)
        known = library.conditions
        for cid in args.condition:
            if cid not in known:
                raise UsageError(f"unknown condition '{shown(cid)}'",
                                 expected=", ".join(sorted(known)))
        sessions = known[args.condition[0]].course.sessions
        if args.session is not None and not 1 <= args.session <= sessions:
            # as `plan` says it: the lead condition's course decides
            raise UsageError(f"session {args.session} is outside the {args.condition[0]} "
                             "course", expected=f"a session number from 1 to {sessions}")
    # the findings and answers, read and checked as `plan` reads them, before Qt starts
    document = document_from_args(args, library, load_geometry())
    from bodymap.widgets.screenshot import render_screenshot

    path = render_screenshot(out, conditions=tuple(args.condition), session=args.session,
                             size=size, lang=args.lang, presentation=args.presentation,
                             document=document)
    print_path(path)
    return EXIT_OK


def add_technique_sheet(sub: Subparsers) -> None:
    """``bodymap technique-sheet``: every technique's motion on one printable PNG."""
    p = sub.add_parser(
        "technique-sheet",
        help="render every technique's motion on one printable study sheet (PNG)",
        description="Render a study sheet with one labelled cell per technique variant: the "
        "path the hand traces, the part of the hand on the skin, the pressure and the tempo, "
        "with the source of each. No display is needed.",
    )
    from bodymap.commands import out_path

    p.add_argument("--out", required=True, type=out_path, metavar="FILE.png",
                   help="where to write the PNG")
    p.add_argument("--lang", choices=("en", "ru"), default="en", help="the sheet's language")
    p.add_argument("--size", default=None, metavar="WxH",
                   help="image size in pixels (default 2339x1654: A4 landscape at 200 dpi)")
    p.set_defaults(handler=cmd_technique_sheet)


def cmd_technique_sheet(args: argparse.Namespace) -> int:
    """Check the arguments before Qt starts; then render and write the sheet atomically."""
    from bodymap.commands import print_path

    out = png_out(args.out)
    size = None
    if args.size is not None:
        size = parse_size(args.size)
        if size[0] < 1000 or size[1] < 700:
            raise UsageError(f"--size '{args.size}' is too small for a legible sheet",
                             expected="at least 1000x700")
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from bodymap.widgets.technique_sheet import DEFAULT_SIZE, write_sheet

    print_path(write_sheet(out, lang=args.lang, size=size or DEFAULT_SIZE))
    return EXIT_OK


def utf8_locale(environ: MutableMapping[str, str]) -> None:
    """Under the bare "C" or "POSIX" locale (a cleared environment, a service, ``LC_ALL=C``),
    ask for C.UTF-8 as CPython itself does (PEP 538): Qt needs a UTF-8 locale and would
    otherwise print a warning at start; a frozen bundle's bootloader does not do this for us."""
    forced = environ.get("LC_ALL")
    if forced in ("C", "POSIX"):
        # Qt switches such a forced locale to C.UTF-8 itself, with a four-line warning on
        # every run: the same switch, made before Qt starts, without the warning
        environ["LC_ALL"] = "C.UTF-8"
        return
    if forced:
        return  # the user forced a locale: theirs to choose (as PEP 538)
    for name in ("LC_CTYPE", "LANG"):
        value = environ.get(name)
        if value:
            if value in ("C", "POSIX"):
                break
            return
    environ["LC_CTYPE"] = "C.UTF-8"


def main(argv: Sequence[str] | None = None) -> int:
    """Run ``bodymap``; returns the exit code. Whatever the input, the result is the output,
    or one line on stderr and exit code 2 (usage) or 1 (data or I/O): never a traceback."""
    argv = list(sys.argv[1:] if argv is None else argv)
    utf8_locale(os.environ)
    # bodymap uses no pydantic plugins: spare every start pydantic's search for them (a scan
    # of every installed package's entry points)
    os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")
    if not argv:
        # Plain `bodymap` opens the window: skip building the parser (and importing every
        # subcommand), which would delay the first paint for nothing.
        from bodymap.widgets.app import run_gui

        return run_gui()
    _tolerant_output()
    try:
        code = _run(argv)
        sys.stdout.flush()  # a full disk or a closed pipe shows here, not at exit
    except UsageError as exc:
        return _fail(exc, EXIT_USAGE)
    except BodymapError as exc:
        return _fail(exc, EXIT_ERROR)
    except KeyboardInterrupt:
        return 130
    except SystemExit as exc:  # argparse: --help, --version, a usage error (already printed)
        return _exit_code(exc)
    except OSError as exc:
        return _fail(_io_words(exc), EXIT_ERROR)
    except Exception as exc:  # never a traceback (tests treat this line as a bug)
        return _fail(f"internal error ({type(exc).__name__}: {_short(str(exc))})", EXIT_ERROR)
    return code


def _run(argv: list[str]) -> int:
    args = build_parser().parse_args(argv)
    if args.command is None:
        if args.condition is not None:
            # an unknown id: one line and exit 2 before any window opens (README, BRIEF)
            from bodymap.protocol_files import check_condition_id, check_condition_list

            check_condition_list(args.condition)  # twice, or more than a plan holds: exit 2
            for condition in args.condition:
                check_condition_id(condition)
        from bodymap.widgets.app import run_gui

        return run_gui(condition=args.condition)
    return int(args.handler(args))


def _fail(message: object, code: int) -> int:
    from bodymap.errors import one_line

    with contextlib.suppress(OSError, ValueError):  # stderr gone: the exit code is what is left
        print(f"bodymap: error: {one_line(str(message))}", file=sys.stderr, flush=True)
    return code


def _exit_code(exc: SystemExit) -> int:
    if exc.code is None:
        code = EXIT_OK
    elif isinstance(exc.code, int):
        code = exc.code
    else:
        code = _fail(exc.code, EXIT_ERROR)
    try:
        sys.stdout.flush()
    except OSError as err:
        return _fail(_io_words(err), EXIT_ERROR)
    return code


def _io_words(exc: OSError) -> str:
    """An OSError as one line; a closed or full standard output is said as such."""
    import errno

    if exc.filename is None and exc.errno in (errno.EPIPE, errno.ENOSPC, errno.EBADF):
        _silence_stdout()
        what = "was closed" if exc.errno != errno.ENOSPC else "is on a full disk"
        return f"the output {what} before everything was written"
    from bodymap.safeio import describe_os_error

    where = f"{exc.filename}: " if exc.filename is not None else ""
    return where + describe_os_error(exc)


def _silence_stdout() -> None:
    """After a failed write to stdout, point it at the null device so that the interpreter's
    own flush at exit cannot print a second error (Python's documented EPIPE recipe)."""
    import os

    with contextlib.suppress(OSError, ValueError, AttributeError):
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)


def _tolerant_output() -> None:
    """File names that are not valid UTF-8 print as escapes instead of failing."""
    for stream in (sys.stdout, sys.stderr):
        # a TextIOWrapper's; a stream put in place of one may lack it
        reconfigure = getattr(stream, "reconfigure", None)
        with contextlib.suppress(AttributeError, ValueError, OSError):
            if reconfigure is not None:
                reconfigure(errors="backslashreplace")


def _short(text: str, limit: int = 200) -> str:
    line = text.splitlines()[0] if text else ""
    return line if len(line) <= limit else line[:limit] + "…"
