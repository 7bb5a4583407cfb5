"""Subcommands of the ``bodymap`` command line (see bodymap.cli).

plan, conditions, contraindications and validate belong to the protocol library (issue 3).
Heavy modules (pydantic, shapely, the geometry) are imported inside the handlers, so that
``bodymap --help`` stays fast.
"""

from __future__ import annotations

import argparse
import json
import math
import re
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypedDict

from bodymap.errors import UsageError
from bodymap.errors import shown as _shown

if TYPE_CHECKING:
    from bodymap.document import PlanDocument
    from bodymap.findings import Hernia, Scoliosis
    from bodymap.geometry import BackGeometry
    from bodymap.library import Library
    from bodymap.plan_types import Plan, Profile


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add every subcommand parser to ``sub``; each sets ``handler``."""
    # --- protocol library (issue 3) ------------------------------------------------------
    p = sub.add_parser("plan", help="print a session and course plan")
    add_profile_options(p, from_file=True)
    p.add_argument("--json", action="store_true", help="print JSON")
    p.set_defaults(handler=cmd_plan)

    p = sub.add_parser("conditions", help="list the condition ids")
    p.add_argument("--json", action="store_true", help="print JSON")
    p.set_defaults(handler=cmd_conditions)

    p = sub.add_parser("contraindications", help="list the contraindication ids")
    p.add_argument("--json", action="store_true", help="print JSON")
    p.set_defaults(handler=cmd_contraindications)

    p = sub.add_parser("validate", help="check protocol files")
    p.add_argument("path", nargs="?", type=Path,
                   help="a protocol file or folder (default: shipped and user protocols)")
    p.set_defaults(handler=cmd_validate)

    p = sub.add_parser("autosaves", help="list the unsaved copies kept after crashes",
                       description="List every autosave in the autosave folder: whose it is, "
                       "the patient, when it was written, and how long a copy kept for later "
                       "stays. Nothing is changed; the window offers them at start.")
    p.add_argument("--json", action="store_true", help="print JSON")
    p.set_defaults(handler=cmd_autosaves)

    # --- export: the handout (issue 5) ---------------------------------------------------
    p = sub.add_parser("export", help="write the patient handout (PDF or PNG, pages as needed)")
    add_profile_options(p)
    p.add_argument("--lang", choices=("en", "ru"), default="en", help="handout language")
    p.add_argument("--patient", default="", metavar="NAME", help="patient name (plain text)")
    p.add_argument("--out", required=True, type=out_path, metavar="FILE.pdf|FILE.png",
                   help="where to write the handout")
    p.set_defaults(handler=cmd_export)


def add_profile_options(p: argparse.ArgumentParser, *, from_file: bool = False) -> None:
    """The patient-profile options shared by ``plan`` and ``export`` (see profile_from_args).
    ``from_file``: ``--from FILE`` may take the profile's place (``plan``)."""
    p.add_argument("--condition", required=not from_file, action="append", metavar="ID",
                   help="condition id (see 'conditions'); repeat for several: the first leads "
                        "the plan's emphasis and shape, every one adds all its restrictions")
    p.add_argument("--session", type=parse_session, default=None, metavar="N",
                   help="session number (default 1)")
    add_finding_options(p)
    if from_file:
        p.add_argument("--from", dest="from_file", type=Path, default=None, metavar="FILE",
                       help="plan from a saved plan document (.bodymap.json) instead of the "
                            "options above: the plan the window gives for it")


#: the options :func:`add_finding_options` adds, as ``args`` attributes and flags
FINDING_OPTIONS = (("hernia", "--hernia"), ("scoliosis", "--scoliosis"), ("contra", "--contra"),
                   ("cleared", "--cleared"), ("lesion", "--lesion"), ("pain", "--pain"))


def add_finding_options(p: argparse.ArgumentParser) -> None:
    """The findings and answers of a patient profile: ``plan``, ``export`` and ``screenshot``
    read them with this one parser (values are checked by :func:`profile_from_args`)."""
    p.add_argument("--hernia", action="append", default=[],
                   metavar="LEVEL[:left|right|central][,stage=initial|advanced]",
                   help="a disc hernia, e.g. L4-L5:left,stage=initial; repeat for each hernia. "
                        "Without its stage the plan waits for it")
    p.add_argument("--scoliosis", action="append", default=[],
                   metavar="convex=left|right,grade=1..4[,region=whole|thoracic|lumbar]",
                   help="a scoliosis curve, e.g. convex=right,grade=2; an S-shape is two curves: "
                        "--scoliosis convex=right,grade=2,region=thoracic --scoliosis "
                        "convex=left,grade=2,region=lumbar. Without its grade the plan waits")
    p.add_argument("--contra", nargs="+", action="extend", default=[], metavar="ID",
                   help="contraindications present; every other one counts as answered 'no'")
    p.add_argument("--cleared", nargs="+", action="extend", default=[], metavar="ID",
                   help="what a doctor has cleared: a clearance question answered yes "
                        "(osteoporosis, spinal-surgery, recent-fracture), a condition that "
                        "needs it, scoliosis-grade-3 (a doctor's plan) or hernia-advanced")
    p.add_argument("--lesion", nargs="+", action="extend", default=[], metavar="ZONE",
                   help="zones (or halves) with skin lesions")
    p.add_argument("--pain", action="append", default=[], metavar="X,Y",
                   help="a painful place in map coordinates (zones.svg units), e.g. 250,640; "
                        "the introductory sessions keep off it (Part 4)")


def findings_given(args: argparse.Namespace) -> list[str]:
    """The flags of :func:`add_finding_options` that were given, in their order there."""
    return [flag for attr, flag in FINDING_OPTIONS if getattr(args, attr, None)]


# ---------------------------------------------------------------------------------------------
# parsing values


# Each helper turns one option's text into a value or raises UsageError (one line, exit 2).
# Numbers are ASCII digits only and short: str.isdigit() accepts '²' and '①', which int()
# refuses, and int() of 5,000 digits raises ValueError (issue 11).


def out_path(value: str) -> Path:
    """``--out FILE``: a file name, not a folder (``x.pdf/`` would become ``x.pdf`` as a Path),
    and not a pipe, a device or a folder that is already there (checked before any work)."""
    import os

    from bodymap.safeio import kind_problem

    if value.endswith(("/", os.sep)) or value in ("", ".", ".."):
        raise argparse.ArgumentTypeError(f"'{_shown(value)}' names a folder, not a file")
    path = Path(value)
    try:
        there = os.path.lexists(path)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{_shown(value)}' is not a file name") from None
    problem = kind_problem(path) if there else None
    if problem is not None and not problem.startswith(("does not exist", "is a symbolic")):
        raise argparse.ArgumentTypeError(f"'{_shown(value)}' {problem}")
    return path


def print_path(path: Path) -> None:
    """A written file's name on stdout exactly as the system has it (a name that is not UTF-8
    keeps its bytes, so a script can use the line)."""
    import os

    sys.stdout.flush()
    buffer = getattr(sys.stdout, "buffer", None)
    if buffer is None:
        print(path)
        return
    buffer.write(os.fsencode(path) + b"\n")
    buffer.flush()


def parse_session(value: str) -> int:
    """``--session N``: a whole number in ASCII digits (argparse ``type``); the planner checks
    it against the condition's course."""
    if not re.fullmatch(r"[0-9]{1,4}", value.strip()):
        raise argparse.ArgumentTypeError(f"'{_shown(value)}' is not a session number")
    return int(value)


def _key_values(value: str, flag: str, keys: tuple[str, ...], form: str) -> dict[str, str]:
    """``k=v,k=v`` into a dict: only ``keys``, each at most once (one line, exit 2)."""
    fields: dict[str, str] = {}
    for part in value.split(","):
        key, sep, val = part.partition("=")
        key = key.strip()
        if not sep or key not in keys:
            raise UsageError(f"{flag} '{_shown(value)}' is malformed", expected=form)
        if key in fields:
            raise UsageError(f"{flag} '{_shown(value)}' gives '{key}' twice", expected=form)
        fields[key] = val.strip()
    return fields


def parse_hernia(value: str) -> Hernia:
    """``LEVEL[:SIDE][,stage=initial|advanced]``; the stage may be left out (the plan waits)."""
    from bodymap.findings import HERNIA_STAGES, Hernia
    from bodymap.planner import HERNIA_SIDES

    form = "LEVEL[:left|right|central][,stage=initial|advanced]"
    site, _, rest = value.partition(",")
    stage = None
    if rest:
        stage = _key_values(rest, "--hernia", ("stage",), form)["stage"]
        if stage not in HERNIA_STAGES:
            raise UsageError(f"--hernia stage '{_shown(stage)}' is unknown",
                             expected="initial or advanced")
    level, _, side = site.partition(":")
    side = side.strip() or "central"
    if not level.strip():
        raise UsageError(f"--hernia '{_shown(value)}' has no level", expected=form)
    if len(level.strip()) > 8 or not level.isascii():
        raise UsageError(f"--hernia level '{_shown(level)}' is not a disc level",
                         expected="a level such as L4-L5")
    if side not in HERNIA_SIDES:
        raise UsageError(f"--hernia side '{_shown(side)}' is unknown",
                         expected="left, right or central")
    return Hernia(level.strip().upper(), side, stage)


def parse_point(value: str) -> tuple[float, float]:
    x, sep, y = value.partition(",")
    try:
        if not sep or len(value) > 40 or not value.isascii():  # float() reads other digits
            raise ValueError
        point = float(x), float(y)
        if not all(math.isfinite(v) for v in point):
            raise ValueError
        return point
    except ValueError:
        raise UsageError(
            f"--pain '{_shown(value)}' is not a point", expected="X,Y such as 250,640"
        ) from None


def parse_scoliosis(value: str) -> Scoliosis:
    """``convex=left|right[,grade=1..4][,region=whole|thoracic|lumbar]``: one curve; the grade
    may be left out (the plan waits for it), the region defaults to the whole back."""
    from bodymap.findings import CURVE_REGIONS, Scoliosis

    form = "convex=left|right,grade=1..4[,region=whole|thoracic|lumbar]"
    fields = _key_values(value, "--scoliosis", ("convex", "grade", "region"), form)
    if "convex" not in fields:
        raise UsageError(f"--scoliosis '{_shown(value)}' needs the convex side", expected=form)
    if fields["convex"] not in ("left", "right"):
        raise UsageError(f"--scoliosis convex side '{_shown(fields['convex'])}' is unknown",
                         expected="left or right")
    grade = fields.get("grade")
    if grade is not None and not re.fullmatch(r"[1-4]", grade):
        raise UsageError(f"--scoliosis grade '{_shown(grade)}' is out of range",
                         expected="1..4")
    region = fields.get("region", "whole")
    if region not in CURVE_REGIONS:
        raise UsageError(f"--scoliosis region '{_shown(region)}' is unknown",
                         expected="whole, thoracic or lumbar")
    return Scoliosis(fields["convex"], int(grade) if grade is not None else None, region)


def _no_repeats(flag: str, values: list[str]) -> None:
    """An exact repeat of a flag's value is a mistake, said in one line (exit 2)."""
    seen: set[str] = set()
    for v in values:
        if v in seen:
            raise UsageError(f"{flag} '{_shown(v)}' is given twice",
                             expected=f"each {flag} once")
        seen.add(v)


def _library() -> Library:
    """The library; every skipped user file named on stderr (conditions, plan, export...)."""
    from bodymap.library import load_library

    library = load_library()
    for line in problem_lines(library.problems):
        print(f"bodymap: warning: skipped {line}", file=sys.stderr)
    return library


#: a broken file may have thousands of problems: this many are printed for each file
PROBLEMS_PER_FILE = 20


def problem_lines(problems: Any) -> list[str]:
    """Each problem as one escaped line, at most :data:`PROBLEMS_PER_FILE` for each file (then
    how many more)."""
    from bodymap.errors import one_line

    lines: list[str] = []
    per_file: dict[str, int] = {}
    for problem in problems:
        where = str(getattr(problem, "path", None))
        per_file[where] = per_file.get(where, 0) + 1
        if per_file[where] <= PROBLEMS_PER_FILE:
            lines.append(one_line(str(problem)))
    for where, count in per_file.items():
        if count > PROBLEMS_PER_FILE and where != "None":
            lines.append(one_line(f"{where}: {count - PROBLEMS_PER_FILE} more problems"))
    return lines


def _load() -> tuple[Library, BackGeometry]:
    from bodymap.geometry import load_geometry

    return _library(), load_geometry()


def _dump(data: Any) -> None:
    print(json.dumps(data, ensure_ascii=False, indent=2))


# ---------------------------------------------------------------------------------------------
# handlers


def cmd_plan(args: argparse.Namespace) -> int:
    from bodymap.planner import make_plan

    library, geometry = _load()
    if args.from_file is not None:
        profile = profile_from_document(args, library, geometry)
    else:
        if not args.condition:
            raise UsageError("no condition is given", expected="--condition ID or --from FILE")
        profile = profile_from_args(args)
    plan = make_plan(profile, library, geometry)
    if args.json:
        _dump(plan.to_json())
    else:
        print(format_plan(plan))
    return 0


def profile_from_document(args: argparse.Namespace, library: Any, geometry: Any) -> Profile:
    """``--from FILE``: the profile a saved plan document holds, checked as the window checks
    it (every id known, the session inside the course). The other profile options may not be
    given beside it: the file is the whole answer."""
    from bodymap.document import load_document

    given = [flag for flag, value in (("--condition", args.condition),
                                      ("--session", args.session)) if value]
    given += findings_given(args)
    if given:
        raise UsageError(f"--from is given with {', '.join(given)}",
                         expected="either --from FILE or the profile options, not both")
    doc = load_document(args.from_file).checked(library, geometry, args.from_file)
    return doc.to_profile()


def _with_editorial(item: Mapping[str, Any]) -> str:
    """A text of the plan JSON with the therapist's editorial note, if any, in brackets."""
    note = item.get("editorial")
    return f"{item['text']} ({note})" if note else str(item["text"])


def format_plan(plan: Plan) -> str:
    """A readable text plan (English)."""
    d = plan.to_json()
    lines = [
        f"{d['name'].get('en', d['condition'])} ({d['condition']}): session {d['session']} of "
        f"{d['course_sessions']}, {d['phase']} phase",
        f"Status: {d['status'].upper()}",
    ]
    if len(d["conditions"]) > 1:
        lines.append("Conditions: " + ", ".join(d["conditions"]) + " (the first leads)")
    for r in d["reasons"]:
        lines.append(f"  [{r['kind']}] {r['id']}: {_with_editorial(r)}")
    if d["emphasis_zones"]:
        lines.append("Emphasis: " + ", ".join(d["emphasis_zones"]))
    lines.append("Do not touch:")
    for n in d["no_touch"]:
        techs = n["techniques"] if isinstance(n["techniques"], str) else ", ".join(n["techniques"])
        lines.append(f"  - {n['id']} ({techs}): {n['text']}")
    if d["steps"]:
        lines.append(f"Steps ({d['total_minutes']:g} min):")
        for i, s in enumerate(d["steps"], 1):
            lines.append(f"  {i}. {s['minutes']:>4g} min  intensity {s['intensity']}  {s['text']}")
    for b in d["beyond_map"]:
        lines.append(f"Beyond the map: {b['text']} ({'; '.join(b['sources'])})")
    lines.append("Course: " + "  ".join(
        f"{c['number']}:{c['minutes']:g}min" for c in d["course"]))
    if d["cautions"]:
        lines.append("Cautions:")
        lines.extend(f"  - {_with_editorial(c)} ({'; '.join(c['sources'])})"
                     for c in d["cautions"])
    if d["evidence"]:
        lines.append("Evidence:")
        lines.extend(f"  - {c['text']} ({'; '.join(c['sources'])})" for c in d["evidence"])
    lines.append("Sources: " + "; ".join(d["sources"]))
    lines.append(f"Note: {d['note']}")
    return "\n".join(lines)


def cmd_conditions(args: argparse.Namespace) -> int:
    library = _library()
    rows = [
        {
            "id": c.id,
            "name": c.name.en,
            "name_ru": c.name.ru,
            "zones_from_source": c.zones_from_source,
            "emphasis": list(c.emphasis),
            "needs": c.needs,
            "clearance": c.clearance,
            "course_sessions": c.course.sessions,
            "source": library.protocol_source(c.id),
            "overrides_shipped": c.id in library.overrides,
        }
        for c in library.conditions.values()
    ]
    if args.json:
        _dump(rows)
    else:
        for r in rows:
            extra = "" if r["zones_from_source"] else "  (no zones in the source)"
            if r["overrides_shipped"]:
                extra += f"  (your own file, overrides the shipped {r['id']}: {r['source']})"
            elif r["source"] != "shipped":
                extra += f"  (your own file: {r['source']})"
            print(f"{r['id']:<28} {r['name']}{extra}")
    return 0


def cmd_contraindications(args: argparse.Namespace) -> int:
    from bodymap.screening import checklist

    library = _library()
    rows = [
        {
            "id": c.id,
            "action": c.action,
            "question": c.question.en,
            "question_ru": c.question.ru,
            "max_intensity": c.max_intensity,
            "sources": [s.cite() for s in c.sources],
        }
        for c in checklist(library.contraindications)
    ]
    if args.json:
        _dump(rows)
    else:
        for r in rows:
            print(f"{r['id']:<28} {r['action']:<13} {r['question']}")
    return 0


def cmd_validate(args: argparse.Namespace) -> int:
    from bodymap.errors import one_line
    from bodymap.library import default_validate_paths, validate_paths

    paths = [args.path] if args.path is not None else default_validate_paths()
    notes: list[str] = []
    checked, problems = validate_paths(paths, notes)
    for note in notes:
        print(one_line(note))
    for line in problem_lines(problems):
        print(line)
    if problems:
        print(f"{len(problems)} problem(s) in {checked} file(s)", file=sys.stderr)
        return 1
    print(f"{checked} files OK")
    return 0


class AutosaveRow(TypedDict):
    """One autosave as ``bodymap autosaves --json`` lists it."""

    file: str
    state: str  # running | unreadable | recoverable
    original: str | None
    patient: str | None
    conditions: list[str]
    saved_at: str | None
    offered_at: str | None
    kept_until: str | None
    problem: str | None


def cmd_autosaves(args: argparse.Namespace) -> int:
    from bodymap.autosave import AutosaveStore, autosave_dir

    folder = autosave_dir()
    rows: list[AutosaveRow] = []
    for row in AutosaveStore(folder).listing():
        rec = row.recoverable
        rows.append({
            "file": str(row.path),
            "state": "running" if row.running else ("unreadable" if rec is None
                                                    else "recoverable"),
            "original": str(rec.original) if rec and rec.original else None,
            "patient": rec.document.patient_name if rec else None,
            "conditions": list(rec.document.conditions) if rec else [],
            "saved_at": rec.saved_at if rec else None,
            "offered_at": rec.offered_at if rec else None,
            "kept_until": (rec.kept_until().isoformat(timespec="seconds")
                           if rec and rec.offered_at else None),
            "problem": row.problem or None,
        })
    if args.json:
        _dump(rows)
        return 0
    print(f"{_shown(str(folder), 300)}: {len(rows)} autosave(s)")
    for r in rows:
        what = (f"{_shown(Path(r['original']).name) if r['original'] else 'untitled'}, "
                f"patient {_shown(r['patient'] or '-')}, {r['saved_at'] or '?'}")
        if r["state"] == "running":
            what += " (a running copy's work)"
        elif r["state"] == "unreadable":
            what = f"unreadable: {_shown(r['problem'] or '', 200)}"
        elif r["kept_until"]:
            what += f" (kept until {r['kept_until']})"
        print(f"  {_shown(Path(r['file']).name, 120)}  {what}")
    return 0


# --- export: the handout (issue 5) -----------------------------------------------------------


def profile_from_args(args: argparse.Namespace) -> Profile:
    """The patient profile from the ``plan``/``export`` options (ids are checked by the
    planner). A value repeated exactly is a mistake (one line, exit 2): findings add up, and
    nothing given twice silently wins."""
    from bodymap.planner import Profile
    from bodymap.protocol_files import check_condition_list

    conditions = list(args.condition) if isinstance(args.condition, list) else [args.condition]
    check_condition_list(conditions)  # as plan documents and the window: at most 8, each once
    _no_repeats("--hernia", list(args.hernia))
    _no_repeats("--scoliosis", list(args.scoliosis))
    return Profile(
        condition=conditions[0],
        further=tuple(conditions[1:]),
        session=1 if args.session is None else args.session,
        hernias=tuple(parse_hernia(v) for v in args.hernia),
        curves=tuple(parse_scoliosis(v) for v in args.scoliosis),
        lesions=frozenset(args.lesion),
        present=frozenset(args.contra),
        answered=None,  # the command line's --contra is the complete answer
        cleared=frozenset(args.cleared),
        pain_points=tuple(parse_point(v) for v in args.pain),
    )


#: ``--screening no``: every screening question answered "no" (those given to ``--contra``
#: "yes"), as the screening panel's "mark the rest no" does
SCREENING_ANSWERS = ("no",)


def add_screening_option(p: argparse.ArgumentParser) -> None:
    p.add_argument("--screening", choices=SCREENING_ANSWERS, default=None,
                   help="'no': answer every screening question 'no' (those given to --contra "
                        "'yes'); without it only --contra's questions are answered and the "
                        "window asks the rest")


def document_from_args(args: argparse.Namespace, library: Library,
                       geometry: BackGeometry) -> PlanDocument:
    """The plan document the window shows for the ``plan`` options (:func:`add_profile_options`)
    and ``--screening``: the profile read and checked as ``plan`` reads it (the same one-line
    errors), then the screening answers: ``--contra``'s questions "yes", every other one "no"
    with ``--screening no``, else unanswered. Without a condition only the answers may be
    given (a new patient's screening)."""
    from bodymap.document import PlanDocument
    from bodymap.planner import make_plan
    from bodymap.screening import checklist

    screening = getattr(args, "screening", None)
    if not args.condition:
        given = findings_given(args)
        if given:
            raise UsageError(f"{', '.join(given)} without a condition",
                             expected="--condition ID with the findings")
        everything = [c.id for c in checklist(library.contraindications)] if screening else []
        return PlanDocument.new((), answered=everything)
    profile = profile_from_args(args)
    make_plan(profile, library, geometry)  # every id and value checked, as `plan` checks them
    answered = set(profile.present)
    if screening == "no":
        answered |= {c.id for c in checklist(library.contraindications)}
    doc = PlanDocument.new(
        profile.conditions, session=profile.session, hernias=profile.hernias,
        scoliosis=profile.curves, lesions=profile.lesions, present=profile.present,
        answered=answered, cleared=profile.cleared, pain_points=profile.pain_points)
    return doc.checked(library, geometry)


def cmd_export(args: argparse.Namespace) -> int:
    from bodymap.planner import make_plan

    if args.out.suffix.lower() not in (".pdf", ".png"):  # before loading anything heavy
        raise UsageError(f"cannot export to '{args.out}': unknown file type",
                         expected="a file name ending in .pdf or .png")
    library, geometry = _load()
    plan = make_plan(profile_from_args(args), library, geometry)

    # The page is painted by the widget layer; the entry point (bodymap.cli, the one module of
    # the core that may reach it) hands the painter in as ``args.exporter``.
    out = args.exporter(plan, args.out, geometry=geometry, library=library, lang=args.lang,
                        patient_name=args.patient)
    print_path(Path(out))
    return 0
