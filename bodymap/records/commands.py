"""``bodymap patients ...`` and ``bodymap db ...``: the records on the command line.

The contract (docs/records.md): ``patients list [--json]``, ``patients import FILE.json``,
``patients export ID --json`` or ``--pdf --out FILE [--lang en|ru]``, ``db check``,
``db backup --out FILE``; each takes ``--db PATH|URL``. Bad input is one line and exit code 2
with the database unchanged; a damaged database is shown read-only from its backup with one
line on stderr. SQLAlchemy is loaded by the handlers only: ``bodymap --help`` and the window's
start-up never pay for it.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from bodymap.errors import UsageError, shown

if TYPE_CHECKING:
    from bodymap.records.store import Records

DB_HELP = ("the records: a SQLite file (default: bodymap.sqlite in the user data folder) or "
           "postgresql://user@host/bodymap for a clinic's server")


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser],
             course_exporter: Callable[[Any, Path], object] | None = None) -> None:
    """Add ``patients`` and ``db`` with their own subcommands. ``course_exporter(report,
    path)`` paints the course PDF (the widget layer's, handed in by the entry point)."""
    patients = sub.add_parser("patients", help="the course records: list, import, export")
    psub = patients.add_subparsers(dest="patients_command", metavar="ACTION", required=True,
                                   parser_class=type(patients))

    p = psub.add_parser("list", help="list the patients (id, name, visits, last visit)")
    p.add_argument("--json", action="store_true", help="print JSON")
    p.add_argument("--search", default="", metavar="TEXT", help="only names containing TEXT")
    _db_option(p)
    p.set_defaults(handler=cmd_list)

    p = psub.add_parser("import", help="import one patient and their visits (all or nothing)",
                        description="Import a bodymap-patient file (docs/records.md) or a "
                        "plan document (*.bodymap.json, a patient with no visits) in one "
                        "transaction: all of it or nothing.")
    p.add_argument("file", type=Path, metavar="FILE.json")
    _db_option(p)
    p.set_defaults(handler=cmd_import)

    p = psub.add_parser("export", help="one patient's course as JSON or as a PDF report")
    p.add_argument("id", metavar="ID", help="the patient's id (see 'patients list')")
    kind = p.add_mutually_exclusive_group(required=True)
    kind.add_argument("--json", action="store_true",
                      help="the patient and every visit as JSON (imports back)")
    kind.add_argument("--pdf", action="store_true",
                      help="the course report: pain chart, visits, first and last pain maps")
    p.add_argument("--out", type=Path, metavar="FILE",
                   help="where to write (required with --pdf; JSON goes to standard output "
                        "without it)")
    p.add_argument("--lang", choices=("en", "ru"), default="en", help="the report's language")
    _db_option(p)
    p.set_defaults(handler=cmd_export, course_exporter=course_exporter)

    db = sub.add_parser("db", help="the records database: check, back up")
    dsub = db.add_subparsers(dest="db_command", metavar="ACTION", required=True,
                             parser_class=type(db))
    p = dsub.add_parser("check", help="check the database (exit 0 sound, 1 a problem)")
    _db_option(p)
    p.set_defaults(handler=cmd_check)
    p = dsub.add_parser("backup", help="copy the database to FILE (pg_dump on PostgreSQL)")
    p.add_argument("--out", type=Path, required=True, metavar="FILE")
    _db_option(p)
    p.set_defaults(handler=cmd_backup)


def _db_option(p: argparse.ArgumentParser) -> None:
    p.add_argument("--db", metavar="PATH|URL", default=None, help=DB_HELP)


def open_records(args: argparse.Namespace, *, checked: bool = False) -> Records:
    """The records ``--db`` names; a notice (a backup shown) is one line on stderr."""
    from bodymap.records.store import Records

    library = geometry = None
    if checked:
        from bodymap.geometry import load_geometry
        from bodymap.library import load_library

        library, geometry = load_library(), load_geometry()
    records = Records.open(args.db, library=library, geometry=geometry)
    for line in (records.notice, *records.warnings):
        if line:
            print(f"bodymap: warning: {line}", file=sys.stderr)
    return records


def patient_id(value: str) -> int:
    if not value.isascii() or not value.isdigit() or len(value) > 12:
        raise UsageError(f"'{shown(value)}' is not a patient id",
                         expected="a number from 'bodymap patients list'")
    return int(value)


def cmd_list(args: argparse.Namespace) -> int:
    records = open_records(args)
    try:
        found = records.patients(args.search)
    finally:
        records.close()
    if args.json:
        print(json.dumps([_summary_json(p) for p in found], ensure_ascii=False, indent=2))
        return 0
    if not found:
        print("no patients" + (f" matching '{args.search}'" if args.search else ""))
    for p in found:
        last = f"last visit {p.last_visit.day()} (session {p.last_session})" \
            if p.last_visit else "no visits yet"
        born = f" ({p.birth_year})" if p.birth_year else ""
        print(f"{p.id:>5}  {p.name}{born}  {', '.join(p.conditions)}  {p.visits} visit(s), "
              f"{last}")
    return 0


def _summary_json(p: Any) -> dict[str, Any]:
    return {"id": p.id, "name": p.name, "birth_year": p.birth_year,
            "conditions": list(p.conditions), "visits": p.visits,
            "last_visit": p.last_visit.iso() if p.last_visit else None,
            "last_session": p.last_session,
            "next_session": (p.last_session or 0) + 1}


def cmd_import(args: argparse.Namespace) -> int:
    from bodymap.records.exchange import import_file

    records = open_records(args, checked=True)
    try:
        done = import_file(records, args.file)
    finally:
        records.close()
    p = done.patient
    print(f"imported patient {p.id}: {p.name} ({len(p.visits)} visit(s))")
    if done.left_out:
        print(f"bodymap: note: {args.file}: {', '.join(done.left_out)} belong to a visit and a "
              "plan document has no visit date: not imported", file=sys.stderr)
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    pid = patient_id(args.id)
    if args.pdf:
        return _export_pdf(args, pid)
    from bodymap.records.exchange import export_patient

    records = open_records(args)
    try:
        data = export_patient(records, pid)
    finally:
        records.close()
    text = json.dumps(data, ensure_ascii=False, indent=2) + "\n"
    if args.out is None:
        sys.stdout.write(text)
    else:
        print(write_private(args.out, text.encode("utf-8")))
    return 0


def write_private(path: Path, data: bytes, check: Callable[[bytes], str | None] | None = None
                  ) -> Path:
    """Write patient data atomically to an owner-only file (0600): a new file is made
    owner-only before its content arrives (the atomic write keeps the target's mode); an
    existing file keeps the mode its owner gave it."""
    import contextlib
    import os

    from bodymap.safeio import atomic_write_bytes

    made = False
    with contextlib.suppress(FileExistsError, OSError):
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
        made = True
    try:
        return atomic_write_bytes(path, data, check=check)
    except BaseException:
        if made:
            with contextlib.suppress(OSError):
                os.unlink(path)
        raise


def _export_pdf(args: argparse.Namespace, pid: int) -> int:
    out: Path | None = args.out
    if out is None:
        raise UsageError("--pdf needs --out FILE.pdf", expected="--out course.pdf")
    if out.suffix.lower() != ".pdf":
        raise UsageError(f"--out '{out}' is not a .pdf file", expected="FILE.pdf")
    if not (out.parent if str(out.parent) else Path(".")).is_dir():
        raise UsageError(f"--out '{out}': the folder does not exist")
    from bodymap.records.report import build_report

    records = open_records(args, checked=True)
    try:
        report = build_report(records, pid, lang=args.lang)
    finally:
        records.close()
    print(args.course_exporter(report, out))
    return 0


def cmd_check(args: argparse.Namespace) -> int:
    from bodymap.records.maintenance import check

    ok, line = check(args.db)
    print(line, file=sys.stdout if ok else sys.stderr)
    return 0 if ok else 1


def cmd_backup(args: argparse.Namespace) -> int:
    from bodymap.records.maintenance import backup

    print(backup(args.db, args.out))
    return 0
