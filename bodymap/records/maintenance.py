"""``db check`` and ``db backup``: the records' health and copies.

:func:`check` never changes anything and never falls back to a backup: it says in one line
whether the database is sound (integrity, foreign keys, schema revision, owner-only files).
:func:`backup` copies a SQLite file through SQLite's backup API (a consistent snapshot while
bodymap writes) or runs ``pg_dump`` for PostgreSQL, or says how to when it is not installed.
"""

from __future__ import annotations

import os
import shutil
import stat
import subprocess
from pathlib import Path

import sqlalchemy as sa

from bodymap.errors import shown
from bodymap.records import migrate, sqlite
from bodymap.records.database import Target, open_database, resolve, translate
from bodymap.records.errors import RecordsError
from bodymap.records.tables import patients, visits


def check(db: str | None) -> tuple[bool, str]:
    """(sound, one line). Sound: integrity and foreign keys hold, the schema is current (or
    one this bodymap migrates), and a SQLite file and its companions are owner-only."""
    target = resolve(db)
    where = target.describe()
    try:
        if target.path is not None:
            problem = _file_problem(target.path)
            if problem:
                return False, f"{where}: {problem}"
        opened = open_database(target, create=False, maintain=False)
        try:
            if opened.read_only:  # cannot happen after the check above; never report sound
                return False, opened.notice or f"{where}: opened read-only"
            with opened.reading() as con:
                n_patients = con.execute(sa.select(sa.func.count()).select_from(patients))
                n_visits = con.execute(sa.select(sa.func.count()).select_from(visits))
                counts = (n_patients.scalar_one(), n_visits.scalar_one())
                revision = migrate.current(con)
        finally:
            opened.close()
    except RecordsError as exc:
        return False, str(exc)
    later = "" if revision == migrate.HEAD else (
        f"; bodymap brings it to schema {migrate.HEAD} when it next opens it")
    return True, (f"{where}: ok ({counts[0]} patient(s), {counts[1]} visit(s), "
                  f"schema {revision}{later})")


def _file_problem(path: Path) -> str | None:
    if not path.exists():
        return "there are no records here yet"
    problem = sqlite.check_file(path)
    if problem is not None:
        return f"damaged: {problem}"
    for p in (path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")):
        try:
            mode = stat.S_IMODE(p.stat().st_mode)
        except FileNotFoundError:
            continue
        if mode & 0o077:
            return (f"{p.name} can be read by other users (mode {mode:04o}); bodymap makes it "
                    "owner-only (0600) when it next opens the records")
    return None


def backup(db: str | None, out: Path) -> Path:
    """Copy the records at ``db`` to ``out`` (owner-only); returns ``out``."""
    target = resolve(db)
    out = out.expanduser()
    folder = out.parent if str(out.parent) else Path(".")
    if not folder.is_dir():
        from bodymap.errors import UsageError

        raise UsageError(f"--out '{out}': the folder does not exist")
    if target.path is None:
        return _pg_dump(target, out)
    if not target.path.exists():
        raise RecordsError("there are no records here yet", path=target.path)
    problem = sqlite.check_file(target.path)
    if problem is not None:
        raise RecordsError(f"is damaged ({problem}): not backed up; its own backups are in "
                           f"{sqlite.backups_dir(target.path)}", path=target.path)
    return sqlite.backup_file(target.path, out)


def _pg_dump(target: Target, out: Path) -> Path:
    url = sa.make_url(target.url).set(drivername="postgresql")
    command = shutil.which("pg_dump")
    how = (f"pg_dump --format=custom --file={shown(str(out))} "
           f"'{url.render_as_string(hide_password=True)}'")
    if command is None:
        raise RecordsError(f"pg_dump is not installed: install PostgreSQL's client tools "
                           f"and run: {how}")
    with translate(target):  # the server answers and holds bodymap's records
        opened = open_database(target)
        opened.close()
    env = dict(os.environ)
    if url.password:
        env["PGPASSWORD"] = str(url.password)
    tmp = out.with_name(f".{out.name}.{os.getpid()}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    os.close(fd)
    plain = url.set(password=None).render_as_string(hide_password=False)
    try:
        done = subprocess.run([command, "--format=custom", f"--file={tmp}", plain], env=env,
                              capture_output=True, text=True, timeout=3600, check=False)
        if done.returncode != 0:
            first = (done.stderr.strip().splitlines() or ["no message"])[0]
            raise RecordsError(f"pg_dump failed ({shown(first, 160)})",
                               path=target.describe())
        os.replace(tmp, out)
    finally:
        if tmp.exists():
            tmp.unlink()
    return out
