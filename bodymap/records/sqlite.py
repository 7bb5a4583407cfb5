"""The records on one computer: a SQLite file, kept safe.

* The file is created owner-only (0600) before SQLite opens it; SQLite gives its ``-wal`` and
  ``-shm`` files the database's mode, and an existing file left more open is narrowed.
* Every connection runs in WAL mode with foreign keys on, ``synchronous=FULL`` (a change
  reported saved survives a power cut) and a busy timeout (a second copy of bodymap waits for
  the first instead of failing). A change begins ``BEGIN IMMEDIATE``: two copies writing at once
  queue rather than deadlock, and neither loses a write.
* :func:`check_file` runs ``PRAGMA integrity_check`` (``quick_check`` on large files) before the
  records are used.
* :func:`backup_file` copies a consistent snapshot through SQLite's backup API; the daily
  backups of the last 7 days are kept (:func:`rotate`), and one before each migration.
"""

from __future__ import annotations

import contextlib
import os
import re
import sqlite3
import stat
from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path
from typing import Any

from bodymap.errors import shown
from bodymap.records.errors import RecordsError

#: above this size the open runs ``quick_check`` (O(N)) instead of ``integrity_check``
QUICK_CHECK_BYTES = 64 * 1024 * 1024
BUSY_TIMEOUT_MS = 10_000
KEEP_DAYS = 7
#: daily backups: ``<stem>-YYYY-MM-DD.sqlite``; before a migration: ``<stem>-before-<rev>-...``
_DAILY = re.compile(r"-(\d{4}-\d{2}-\d{2})\.sqlite$")
OWNER_ONLY = 0o600


def backups_dir(path: Path) -> Path:
    """Where the backups of the database at ``path`` live: ``<folder>/<stem>-backups``."""
    return path.with_name(f"{path.stem}-backups")


def prepare_file(path: Path) -> None:
    """Make sure ``path`` is a regular, owner-only file (created empty if missing) in an
    existing folder (created owner-only if missing), and its -wal/-shm files owner-only.

    An existing database is never opened here, only looked at and chmod'ed by name: closing
    any descriptor of the file would drop the POSIX locks SQLite holds on it in this process
    (SQLite's "how to corrupt a database", 2.2), and another copy of bodymap could then
    checkpoint and remove the WAL under this one's feet."""
    folder = path.parent
    try:
        if not folder.exists():
            folder.mkdir(mode=0o700, parents=True)
        if not path.exists():
            with contextlib.suppress(FileExistsError):  # another copy made it just now
                os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, OWNER_ONLY))
        info = path.stat()
        if not stat.S_ISREG(info.st_mode):
            raise RecordsError("is not a regular file", path=path,
                               expected="a bodymap records file (SQLite)")
        for p in (path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")):
            with contextlib.suppress(FileNotFoundError):
                if stat.S_IMODE(p.stat().st_mode) & 0o077:
                    p.chmod(OWNER_ONLY)
    except OSError as exc:
        raise RecordsError(f"cannot open the records ({exc.strerror or exc})", path=path) from None


def on_connect(dbapi_connection: sqlite3.Connection, read_only: bool) -> None:
    """Every new connection: pragmas, and transactions begun by bodymap (see :func:`on_begin`)."""
    dbapi_connection.isolation_level = None  # pysqlite would begin late, and deferred
    cursor = dbapi_connection.cursor()
    try:
        cursor.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA foreign_keys = ON")
        if not read_only:
            cursor.execute("PRAGMA journal_mode = WAL")
            cursor.execute("PRAGMA synchronous = FULL")
    finally:
        cursor.close()


def on_begin(connection: Any) -> None:
    """A change takes the write lock at its start (``BEGIN IMMEDIATE``); a read does not."""
    write = connection.get_execution_options().get("bodymap_write", False)
    connection.exec_driver_sql("BEGIN IMMEDIATE" if write else "BEGIN")


def check_file(path: Path) -> str | None:
    """Why the database at ``path`` is damaged (one line), or None when it is sound."""
    try:
        size = path.stat().st_size
    except OSError as exc:
        return exc.strerror or str(exc)
    if size == 0:
        return None  # new: nothing to check yet
    pragma = "quick_check" if size > QUICK_CHECK_BYTES else "integrity_check"
    try:
        con = sqlite3.connect(f"file:{_uri_path(path)}?mode=rw", uri=True,
                              timeout=BUSY_TIMEOUT_MS / 1000)
    except sqlite3.Error as exc:
        return str(exc)
    try:
        rows = con.execute(f"PRAGMA {pragma}").fetchall()
        fk = con.execute("PRAGMA foreign_key_check").fetchall()
    except sqlite3.Error as exc:
        return str(exc)
    finally:
        con.close()
    problems = [str(r[0]) for r in rows if r and r[0] != "ok"]
    if problems:
        more = f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""
        return shown(problems[0], 120) + more
    if fk:
        return f"{len(fk)} row(s) refer to a missing patient or visit (table {fk[0][0]})"
    return None


def check_backup(path: Path) -> bool:
    """Whether a backup file opens and passes its integrity check (read-only)."""
    try:
        con = sqlite3.connect(f"file:{_uri_path(path)}?mode=ro", uri=True)
    except sqlite3.Error:
        return False
    try:
        return bool(con.execute("PRAGMA integrity_check").fetchone() == ("ok",))
    except sqlite3.Error:
        return False
    finally:
        con.close()


def backup_file(source: Path, dest: Path) -> Path:
    """Copy the database at ``source`` to ``dest`` through SQLite's backup API: a consistent
    snapshot even while another copy of bodymap writes. The copy is owner-only, in rollback
    (not WAL) mode so it opens read-only anywhere, written beside ``dest`` and renamed."""
    dest.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    tmp = dest.with_name(f".{dest.name}.{os.getpid()}.tmp")
    with contextlib.suppress(FileNotFoundError):
        tmp.unlink()
    try:
        os.close(os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, OWNER_ONLY))
        src = sqlite3.connect(f"file:{_uri_path(source)}?mode=rw", uri=True,
                              timeout=BUSY_TIMEOUT_MS / 1000)
        try:
            dst = sqlite3.connect(tmp)
            try:
                src.backup(dst)
                dst.execute("PRAGMA journal_mode = DELETE")
            finally:
                dst.close()
        finally:
            src.close()
        fd = os.open(tmp, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
        os.replace(tmp, dest)
    except (OSError, sqlite3.Error) as exc:
        with contextlib.suppress(OSError):
            tmp.unlink()
        why = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
        raise RecordsError(f"the backup was not written ({why})", path=dest) from None
    return dest


def daily_backup(path: Path, today: date | None = None) -> Path | None:
    """Today's backup of ``path`` unless there is one; older daily backups rotated away.
    Returns the new backup, or None when today's already exists or the file is new."""
    day = (today or date.today()).isoformat()
    folder = backups_dir(path)
    dest = folder / f"{path.stem}-{day}.sqlite"
    if dest.exists() or not _has_tables(path):
        return None
    backup_file(path, dest)
    rotate(folder, path.stem)
    return dest


def rotate(folder: Path, stem: str, keep: int = KEEP_DAYS) -> list[Path]:
    """Remove daily backups beyond the newest ``keep`` days; returns what was removed.
    Backups taken before a migration are kept."""
    daily = sorted(_daily(folder, stem), reverse=True)
    removed = []
    for _, old in daily[keep:]:
        with contextlib.suppress(FileNotFoundError):
            old.unlink()
            removed.append(old)
    return removed


def migration_backup(path: Path, revision: str) -> Path:
    stamp = datetime.now().strftime("%Y%m%dT%H%M%S")
    return backup_file(path, backups_dir(path) / f"{path.stem}-before-{revision}-{stamp}.sqlite")


def backups(path: Path) -> list[Path]:
    """Every backup of ``path``, newest first."""
    folder = backups_dir(path)
    try:
        found = [p for p in folder.glob(f"{path.stem}-*.sqlite") if p.is_file()]
    except OSError:
        return []
    return sorted(found, key=lambda p: p.stat().st_mtime, reverse=True)


def newest_good_backup(path: Path) -> Path | None:
    return next((b for b in backups(path) if check_backup(b)), None)


def _daily(folder: Path, stem: str) -> Iterator[tuple[str, Path]]:
    with contextlib.suppress(OSError):
        for p in folder.glob(f"{stem}-*.sqlite"):
            m = _DAILY.search(p.name)
            if m and p.name == f"{stem}-{m.group(1)}.sqlite":
                yield m.group(1), p


def _has_tables(path: Path) -> bool:
    try:
        con = sqlite3.connect(f"file:{_uri_path(path)}?mode=ro", uri=True)
        try:
            return int(con.execute("SELECT count(*) FROM sqlite_master").fetchone()[0]) > 0
        finally:
            con.close()
    except sqlite3.Error:
        return False


def _uri_path(path: Path) -> str:
    """A path as a ``file:`` URI's path (``?`` and ``#`` in a folder name kept literal)."""
    from urllib.parse import quote

    return quote(str(path.resolve()), safe="/")
