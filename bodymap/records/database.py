"""Opening the records: a SQLite file on one computer, or a clinic's PostgreSQL server.

:func:`open_database` takes what ``--db`` takes (a path, a ``sqlite:///`` or
``postgresql://`` URL, or None for ``<user data dir>/bodymap.sqlite``) and returns a
:class:`Database` that is checked, migrated and backed up:

* SQLite: the file is made owner-only, its integrity checked; a damaged file opens read-only
  from its newest good backup (:attr:`Database.notice` says so in one line) and nothing is
  written; otherwise a daily backup is taken and the schema migrated (after a backup).
* PostgreSQL: the same schema and migrations; backups are ``pg_dump``'s (``db backup``).

Every change runs in one transaction (:meth:`Database.writing`); a database error becomes one
line (:func:`translate`): a full disk, a busy database, a lost server.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.engine import Connection, Engine

from bodymap.errors import UsageError, shown
from bodymap.records import migrate, sqlite
from bodymap.records.errors import (
    DatabaseDamagedError,
    MissingDriverError,
    ReadOnlyError,
    RecordsError,
)

DEFAULT_NAME = "bodymap.sqlite"


@dataclass(frozen=True)
class Target:
    """Where the records are: a SQLite file (``path``) or a server (``url``)."""

    url: str
    path: Path | None = None

    @property
    def is_sqlite(self) -> bool:
        return self.path is not None

    def describe(self) -> str:
        """For messages: the file, or the server URL without its password."""
        if self.path is not None:
            return str(self.path)
        return sa.make_url(self.url).render_as_string(hide_password=True)


def default_path() -> Path:
    """``<user data dir>/bodymap.sqlite`` (``$BODYMAP_USER_DIR`` wins, as for protocols)."""
    from bodymap.protocol_files import user_data_dir

    return user_data_dir() / DEFAULT_NAME


def resolve(db: str | None) -> Target:
    """``--db``'s value as a target; a malformed one is a UsageError (exit 2)."""
    if db is None or db == "":
        return Target(f"sqlite:///{default_path()}", default_path())
    if "://" not in db:
        path = Path(db).expanduser().absolute()
        return Target(f"sqlite:///{path}", path)
    try:
        url = sa.make_url(db)
    except (sa.exc.ArgumentError, ValueError):
        raise UsageError(f"--db '{shown(db)}' is not a database URL",
                         expected="a file path or postgresql://user@host/bodymap") from None
    backend = url.get_backend_name()
    if backend == "sqlite":
        if not url.database:
            raise UsageError("--db names no SQLite file", expected="sqlite:///PATH")
        path = Path(url.database).expanduser().absolute()
        return Target(f"sqlite:///{path}", path)
    if backend != "postgresql":
        raise UsageError(f"--db '{shown(db)}': the records do not run on '{backend}'",
                         expected="a SQLite file or postgresql://user@host/bodymap")
    return Target(url.set(drivername="postgresql+psycopg").render_as_string(
        hide_password=False))


@dataclass
class Database:
    """An open, checked records database."""

    engine: Engine
    target: Target
    read_only: bool = False
    #: one line for the user when the records are not what was asked for (a backup shown)
    notice: str | None = None
    #: the backup shown read-only in place of a damaged file
    source: Path | None = None
    #: what went wrong on the side without stopping the records (today's backup not written)
    warnings: list[str] = field(default_factory=list)

    @property
    def dialect(self) -> str:
        return self.engine.dialect.name

    @contextlib.contextmanager
    def reading(self) -> Iterator[Connection]:
        """A connection in one read transaction (a consistent view of the records)."""
        with translate(self.target), self.engine.connect() as con, con.begin():
            yield con

    @contextlib.contextmanager
    def writing(self) -> Iterator[Connection]:
        """One change: a transaction that commits whole or not at all."""
        if self.read_only:
            why = self.notice or "the records are read-only"
            raise ReadOnlyError(f"nothing was changed: {why}")
        with translate(self.target), self.engine.connect() as con:
            con = con.execution_options(bodymap_write=True)
            with con.begin():
                yield con

    def close(self) -> None:
        self.engine.dispose()


def open_database(db: str | Target | None = None, *, create: bool = True,
                  revision: str = migrate.HEAD, maintain: bool = True) -> Database:
    """Open the records at ``db`` (see :func:`resolve`), checked and migrated to the newest
    schema. ``create`` False: a missing SQLite file is an error rather than a new database.
    ``revision``: migrate only that far (the migration tests build every earlier one).
    ``maintain`` False (``db check``): no backup, no migration, nothing written."""
    target = db if isinstance(db, Target) else resolve(db)
    if target.path is not None:
        return _open_sqlite(target, create, revision, maintain)
    return _open_server(target, revision, maintain)


def _open_sqlite(target: Target, create: bool, revision: str, maintain: bool) -> Database:
    path = target.path
    assert path is not None
    if not create and not path.exists():
        raise RecordsError("there are no records here yet", path=path,
                           expected="an existing bodymap records file")
    sqlite.prepare_file(path)
    problem = sqlite.check_file(path)
    if problem is not None:
        return _open_backup(target, problem)
    db = Database(_sqlite_engine(path, read_only=False), target)
    try:
        with translate(target):
            if not maintain:
                with db.reading() as con:
                    migrate.check_current(con, path)
                return db
            try:
                sqlite.daily_backup(path)
            except RecordsError as exc:  # a full disk must not keep the records from opening
                db.warnings.append(f"today's backup was not taken: {exc}")
            migrate.upgrade(db, before=lambda rev: sqlite.migration_backup(path, rev),
                            to=revision)
    except BaseException:
        db.close()
        raise
    sqlite.prepare_file(path)  # the -wal and -shm files SQLite just made: owner-only
    return db


def _open_backup(target: Target, problem: str) -> Database:
    path = target.path
    assert path is not None
    backup = sqlite.newest_good_backup(path)
    if backup is None:
        raise DatabaseDamagedError(f"is damaged ({problem}) and has no good backup; nothing was "
                                   "changed", path=path)
    engine = _sqlite_engine(backup, read_only=True)
    notice = (f"{path} is damaged ({problem}): showing its backup {backup.name} read-only; "
              "nothing was changed")
    db = Database(engine, target, read_only=True, notice=notice, source=backup)
    with translate(target), db.reading() as con:
        migrate.check_current(con, backup)
    return db


def _sqlite_engine(path: Path, *, read_only: bool) -> Engine:
    mode = "ro" if read_only else "rw"
    from urllib.parse import quote

    url = f"sqlite:///file:{quote(str(path), safe='/')}?mode={mode}&uri=true"
    engine = sa.create_engine(url)
    event.listen(engine, "connect", lambda con, _rec: sqlite.on_connect(con, read_only))
    event.listen(engine, "begin", sqlite.on_begin)
    return engine


def _open_server(target: Target, revision: str, maintain: bool) -> Database:
    try:
        import psycopg  # noqa: F401  (only to say what is missing, before SQLAlchemy does)
    except ImportError:
        import sys

        if getattr(sys, "frozen", False):
            raise MissingDriverError(
                "this standalone bodymap keeps its records in SQLite only",
                expected="for a PostgreSQL server, bodymap installed with "
                         "pip install 'bodymap[postgres]'") from None
        raise MissingDriverError("PostgreSQL needs the psycopg package",
                                 expected="pip install 'bodymap[postgres]'") from None
    engine = sa.create_engine(target.url, pool_pre_ping=True)
    db = Database(engine, target)
    try:
        with translate(target):
            if maintain:
                migrate.upgrade(db, before=None, to=revision)
            else:
                with db.reading() as con:
                    migrate.check_current(con, target.describe())
    except BaseException:
        db.close()
        raise
    return db


#: SQLite's and PostgreSQL's words for a full disk, a held lock, a read-only place
_WORDS = (
    (("disk is full", "database or disk is full", "no space left", "could not extend file",
      "diskfull"), "the disk is full: nothing was saved"),
    (("database is locked", "lock timeout", "could not obtain lock"),
     "the records are busy in another copy of bodymap: nothing was saved; try again"),
    (("readonly database", "read-only", "permission denied"),
     "the records cannot be written here (read-only or not yours): nothing was saved"),
    (("file is not a database", "malformed", "disk i/o error"),
     "the records file is damaged: run 'bodymap db check'"),
    (("could not connect", "connection refused", "no such file or directory",
      "connection failed", "server closed the connection", "terminating connection"),
     "the database server cannot be reached"),
    (("password authentication failed", "does not exist"), "the server refused the records"),
)


@contextlib.contextmanager
def translate(target: Target) -> Iterator[None]:
    """A database error inside becomes one :class:`RecordsError` line naming the records."""
    try:
        yield
    except sa.exc.DBAPIError as exc:
        raise RecordsError(words_for(exc), path=target.describe()) from None


def words_for(exc: sa.exc.DBAPIError) -> str:
    text = str(exc.orig).lower() if exc.orig is not None else str(exc).lower()
    for needles, words in _WORDS:
        if any(n in text for n in needles):
            return words
    first = str(exc.orig).strip().splitlines()[0] if exc.orig is not None else type(exc).__name__
    return f"the database refused the change ({shown(first, 160)})"

