"""The records' schema migrations: Alembic revisions shipped in the package.

The revisions live in ``bodymap/records/migrations/versions`` (inside the wheel). On open,
:func:`upgrade` reads the database's revision; when it is older than :data:`HEAD`, it takes a
backup (SQLite) and runs the missing revisions through Alembic, each in its own transaction.
An up-to-date database never loads Alembic. A database from a newer bodymap, or a file that is
not bodymap's, is refused with one line and left as it is.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from bodymap.records.errors import RecordsError

if TYPE_CHECKING:
    from bodymap.records.database import Database

#: the newest revision; tests/test_records_migrations.py checks it is Alembic's head
HEAD = "0001"
VERSION_TABLE = "alembic_version"


def script_location() -> Path:
    return Path(__file__).with_name("migrations")


def alembic_config(connection: Connection | None = None) -> Any:
    """Alembic's configuration for the shipped revisions (no ini file), on ``connection``."""
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(script_location()))
    config.attributes["connection"] = connection
    return config


def revisions() -> list[str]:
    """Every shipped revision, oldest first."""
    return list(_revisions_in(str(script_location())))


@functools.cache
def _revisions_in(location: str) -> tuple[str, ...]:
    from alembic.script import ScriptDirectory

    script = ScriptDirectory.from_config(alembic_config())
    return tuple(r.revision for r in reversed(list(script.walk_revisions())))


def current(con: Connection) -> str | None:
    """The database's revision; None for an empty database. A database with tables but no
    revision is not bodymap's: RecordsError."""
    inspector = sa.inspect(con)
    if not inspector.has_table(VERSION_TABLE):
        if inspector.get_table_names():
            raise RecordsError("is not a bodymap records database (it holds other tables)",
                               path=_where(con))
        return None
    rows = con.execute(sa.text(f"SELECT version_num FROM {VERSION_TABLE}")).scalars().all()
    return rows[0] if len(rows) == 1 else None


def check_current(con: Connection, path: Path | str | None = None) -> None:
    """Refuse a database whose revision this bodymap does not know (a newer bodymap's)."""
    rev = current(con)
    if rev is not None and rev not in revisions():
        raise RecordsError(f"was written by a newer bodymap (records revision {rev})",
                           path=path or _where(con),
                           expected="update bodymap to open these records")


def upgrade(db: Database, before: Callable[[str], object] | None,
            to: str = HEAD) -> str | None:
    """Bring ``db`` to revision ``to``; ``before(revision)`` runs first (the backup) when the
    database already holds records. Returns the revision it was at."""
    with db.engine.connect() as con:
        with con.begin():
            was = current(con)
        if was == to:
            return was
        if was is not None:
            check_current(con, db.target.describe())
            if before is not None:
                before(was)
        con = con.execution_options(bodymap_write=True)
        from alembic import command

        command.upgrade(alembic_config(con), to)
        if con.in_transaction():
            con.commit()
    return was


def downgrade(db: Database, to: str) -> None:
    """For tests of the migrations only: take ``db`` back to revision ``to`` (``base``)."""
    with db.engine.connect() as con:
        from alembic import command

        command.downgrade(alembic_config(con.execution_options(bodymap_write=True)), to)
        if con.in_transaction():
            con.commit()


def _where(con: Connection) -> str:
    return con.engine.url.render_as_string(hide_password=True)
