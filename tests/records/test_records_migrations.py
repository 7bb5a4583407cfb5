"""Migrations: every earlier revision (and an empty database) is brought to the newest on both
engines, with its records intact, and ends with exactly the schema of bodymap.records.tables.

Each revision may have a seed below: rows written in that revision's own schema (plain SQL, as
an old bodymap wrote them) and checked after the upgrade through today's records API. A test
with a made-up next revision proves the harness (and the backup before a migration) works
before a second real revision exists.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
import sqlalchemy as sa

from bodymap.records import migrate
from bodymap.records.database import open_database
from bodymap.records.errors import RecordsError
from bodymap.records.store import Records
from bodymap.records.tables import metadata


def _seed_0001(con: sa.Connection) -> None:
    con.execute(sa.text(
        "INSERT INTO patients (id, uid, name, name_key, birth_year, notes, created_utc, "
        "created_offset, version) VALUES (1, '6f1c1f0e-8b1a-4a53-9d7e-0d7f1a2b3c4d', "
        "'Old Patient', 'old patient', 1960, '', '2024-01-02T09:00:00Z', 180, 3)"))
    con.execute(sa.text(
        "INSERT INTO findings (patient_id, at_utc, at_offset, conditions, findings) VALUES "
        "(1, '2024-01-02T09:00:00Z', 180, '[\"hypertension\"]', '{}')"))
    con.execute(sa.text(
        "INSERT INTO visits (id, uid, patient_id, at_utc, at_offset, session, pain_before, "
        "pain_after, profile, confirmed, steps, shortened, skipped, reaction, notes, "
        "subjective, objective, assessment, soap_plan, plan, signed_utc, signed_offset, "
        "version) VALUES (1, '0b5c2d7e-1111-4f00-8000-000000000001', 1, "
        "'2024-01-03T09:00:00Z', 180, 1, 6, 3, "
        "'{\"conditions\": [\"hypertension\"], \"session\": 1}', '[]', "
        "'[{\"step\": 0, \"technique\": \"stroking\", \"outcome\": \"done\"}]', 0, 0, "
        "'calm', 'n', 's', 'o', 'a', 'p', NULL, '2024-01-03T10:00:00Z', 180, 2)"))
    con.execute(sa.text(
        "INSERT INTO addenda (visit_id, at_utc, at_offset, section, text) VALUES "
        "(1, '2024-01-04T09:00:00Z', 180, 'notes', 'added later')"))


def _check_0001(records: Records) -> None:
    (summary,) = records.patients()
    assert (summary.name, summary.birth_year, summary.visits) == ("Old Patient", 1960, 1)
    (visit,) = records.visits(summary.id)
    assert (visit.pain_before, visit.pain_after, visit.soap.plan) == (6, 3, "p")
    assert visit.signed and visit.addenda[0].text == "added later"


#: revision -> (write rows in that revision's schema, check them after the upgrade)
SEEDS: dict[str, tuple[Callable[[sa.Connection], None], Callable[[Records], None]]] = {
    "0001": (_seed_0001, _check_0001),
}


def test_head_is_alembics_head_and_every_revision_has_a_seed() -> None:
    assert migrate.revisions()[-1] == migrate.HEAD
    assert set(SEEDS) == set(migrate.revisions())


def _schema_differences(con: sa.Connection) -> list:
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    return compare_metadata(MigrationContext.configure(con), metadata)


@pytest.mark.parametrize("start", [None, *migrate.revisions()])
def test_every_earlier_revision_migrates_to_the_newest(records_db: str, start: str | None,
                                                       recwarn) -> None:
    if start is not None:
        db = open_database(records_db, revision=start)
        with db.writing() as con:
            SEEDS[start][0](con)
        db.close()
    records = Records.open(records_db)
    try:
        with records.db.reading() as con:
            assert migrate.current(con) == migrate.HEAD
            assert _schema_differences(con) == []
        if start is not None:
            SEEDS[start][1](records)
    finally:
        records.close()


def test_down_to_nothing_and_up_again(records_db: str) -> None:
    db = open_database(records_db)
    migrate.downgrade(db, "base")
    with db.reading() as con:
        assert set(sa.inspect(con).get_table_names()) <= {"alembic_version"}
    db.close()
    again = open_database(records_db)
    with again.reading() as con:
        assert migrate.current(con) == migrate.HEAD
    again.close()


def test_a_database_from_a_newer_bodymap_is_refused_unchanged(records_db: str) -> None:
    db = open_database(records_db)
    with db.writing() as con:
        con.execute(sa.text("UPDATE alembic_version SET version_num = '9999'"))
    db.close()
    with pytest.raises(RecordsError, match="newer bodymap"):
        open_database(records_db)
    db = open_database(records_db, revision="9999")  # as the newer bodymap would
    with db.reading() as con:
        assert migrate.current(con) == "9999"
    db.close()


def test_a_database_that_is_not_bodymaps_is_refused(tmp_path: Path) -> None:
    import sqlite3

    path = tmp_path / "other.sqlite"
    con = sqlite3.connect(path)
    con.execute("CREATE TABLE accounts (id INTEGER)")
    con.commit()
    con.close()
    with pytest.raises(RecordsError, match="not a bodymap records database"):
        open_database(str(path))
    con = sqlite3.connect(path)
    assert [r[0] for r in con.execute("SELECT name FROM sqlite_master")] == ["accounts"]
    con.close()


NEXT = '''
"""A made-up next revision for the harness test: a column on visits."""
import sqlalchemy as sa
from alembic import op

revision = "9000"
down_revision = "{head}"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("visits") as batch:
        batch.add_column(sa.Column("room", sa.Text, nullable=False, server_default=""))


def downgrade() -> None:
    with op.batch_alter_table("visits") as batch:
        batch.drop_column("room")
'''


def test_a_next_revision_migrates_after_a_backup(tmp_path: Path, monkeypatch,
                                                 records_db: str) -> None:
    """With one more revision than today, the harness migrates a database holding records
    (a SQLite file is backed up first) and keeps every row."""
    location = tmp_path / "migrations"
    shutil.copytree(migrate.script_location(), location,
                    ignore=shutil.ignore_patterns("__pycache__"))
    (location / "versions" / "9000_next.py").write_text(NEXT.format(head=migrate.HEAD))
    db = open_database(records_db)
    with db.writing() as con:
        _seed_0001(con)
    db.close()
    monkeypatch.setattr(migrate, "script_location", lambda: location)
    monkeypatch.setattr(migrate, "HEAD", "9000")
    monkeypatch.setattr("bodymap.records.database.migrate.HEAD", "9000")
    db = open_database(records_db, revision="9000")
    try:
        with db.reading() as con:
            assert migrate.current(con) == "9000"
            assert "room" in {c["name"] for c in sa.inspect(con).get_columns("visits")}
        _check_0001(Records(db))
    finally:
        db.close()
    if records_db.endswith(".sqlite"):
        path = Path(records_db)
        (before,) = (path.parent / f"{path.stem}-backups").glob(f"{path.stem}-before-0001-*")
        import sqlite3

        con = sqlite3.connect(before)
        assert con.execute("SELECT version_num FROM alembic_version").fetchone() == ("0001",)
        assert con.execute("SELECT count(*) FROM visits").fetchone() == (1,)
        con.close()
