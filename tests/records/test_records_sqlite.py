"""The SQLite file on one computer: pragmas, owner-only files, rotating backups, a damaged
file shown read-only from its newest good backup, and a full disk."""

from __future__ import annotations

import contextlib
import os
import shutil
import sqlite3
import stat
import subprocess
from datetime import date, timedelta
from pathlib import Path

import pytest

from bodymap.cli import main
from bodymap.records import sqlite as rsqlite
from bodymap.records.errors import ReadOnlyError, RecordsError
from bodymap.records.model import Soap, VisitDraft
from bodymap.records.store import Records


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def filled(path: Path, patients: int = 2) -> Records:
    records = Records.open(str(path))
    for i in range(patients):
        p = records.add_patient(f"Patient {i}", ["hypertension"])
        records.record_visit(p.id, VisitDraft(session=1, profile={}, pain_before=5,
                                              notes=f"note {i}"))
    return records


def test_the_connection_runs_wal_foreign_keys_full_sync_and_waits(tmp_path: Path) -> None:
    records = Records.open(str(tmp_path / "r.sqlite"))
    try:
        with records.db.reading() as con:
            pragma = {name: con.exec_driver_sql(f"PRAGMA {name}").scalar()
                      for name in ("journal_mode", "foreign_keys", "synchronous", "busy_timeout")}
    finally:
        records.close()
    assert pragma == {"journal_mode": "wal", "foreign_keys": 1, "synchronous": 2,
                      "busy_timeout": rsqlite.BUSY_TIMEOUT_MS}


def test_the_file_its_companions_and_backups_are_owner_only(tmp_path: Path) -> None:
    old = os.umask(0o022)
    try:
        path = tmp_path / "new" / "r.sqlite"
        filled(path).close()
        records = Records.open(str(path))  # the second open of the day takes the backup
        records.patients()
        wal, shm = path.with_name("r.sqlite-wal"), path.with_name("r.sqlite-shm")
        assert wal.exists() and shm.exists()
        assert (mode(path), mode(wal), mode(shm)) == (0o600, 0o600, 0o600)
        records.close()
    finally:
        os.umask(old)
    assert mode(path.parent) == 0o700
    folder = rsqlite.backups_dir(path)
    assert mode(folder) == 0o700
    backups = list(folder.iterdir())
    assert backups and all(mode(b) == 0o600 for b in backups)


def test_a_file_left_readable_by_others_is_narrowed_and_check_says_so(tmp_path: Path,
                                                                       capsys) -> None:
    path = tmp_path / "r.sqlite"
    filled(path).close()
    path.chmod(0o644)
    assert main(["db", "check", "--db", str(path)]) == 1
    assert "can be read by other users" in capsys.readouterr().err
    Records.open(str(path)).close()
    assert mode(path) == 0o600
    assert main(["db", "check", "--db", str(path)]) == 0


def test_daily_backups_keep_the_last_7_days_and_those_before_migrations(tmp_path: Path) -> None:
    path = tmp_path / "r.sqlite"
    filled(path).close()
    start = date(2025, 3, 1)
    for i in range(10):
        assert rsqlite.daily_backup(path, today=start + timedelta(days=i)) is not None
    assert rsqlite.daily_backup(path, today=start + timedelta(days=9)) is None  # one a day
    migration = rsqlite.migration_backup(path, "0001")
    names = sorted(p.name for p in rsqlite.backups_dir(path).iterdir())
    days = [n for n in names if "before" not in n]
    assert days[-7:] == [f"r-{start + timedelta(days=i)}.sqlite" for i in range(3, 10)]
    assert f"r-{start + timedelta(days=2)}.sqlite" not in names
    assert migration.name in names
    assert all(rsqlite.check_backup(rsqlite.backups_dir(path) / n) for n in names)


def corrupt(path: Path) -> None:
    """Overwrite the pages after the first with garbage (the header stays)."""
    with open(path, "r+b") as f:
        f.seek(4096)
        f.write(os.urandom(8192))


@pytest.mark.parametrize("damage", ["pages", "header"])
def test_a_damaged_file_opens_read_only_from_its_newest_good_backup(tmp_path: Path, capsys,
                                                                     damage: str) -> None:
    path = tmp_path / "r.sqlite"
    records = filled(path, patients=3)
    records.close()
    Records.open(str(path)).close()  # today's backup holds the three patients
    # checkpoint the WAL into the file, then damage the file
    con = sqlite3.connect(path)
    con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    con.close()
    if damage == "pages":
        corrupt(path)
    else:
        path.write_bytes(b"this is not a database at all" * 100)
    damaged = path.read_bytes()

    records = Records.open(str(path))
    try:
        assert records.read_only
        assert records.notice and "is damaged" in records.notice and "read-only" in records.notice
        assert "\n" not in records.notice
        assert [p.name for p in records.patients()] == ["Patient 0", "Patient 1", "Patient 2"]
        with pytest.raises(ReadOnlyError):
            records.add_patient("New", ["hypertension"])
    finally:
        records.close()
    assert path.read_bytes() == damaged  # nothing written to the damaged file

    assert main(["db", "check", "--db", str(path)]) == 1
    err = capsys.readouterr().err
    assert "damaged" in err and err.count("\n") == 1
    assert main(["patients", "list", "--db", str(path)]) == 0
    out, err = capsys.readouterr()
    assert "Patient 2" in out and "warning:" in err and "read-only" in err
    assert main(["patients", "import", str(_some_patient(tmp_path)), "--db", str(path)]) == 1
    assert "nothing was changed" in capsys.readouterr().err
    assert path.read_bytes() == damaged


def test_a_damaged_file_without_a_good_backup_is_one_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "r.sqlite"
    path.write_bytes(b"garbage" * 1000)
    with pytest.raises(RecordsError, match=r"is damaged .* no good backup"):
        Records.open(str(path))
    assert path.read_bytes() == b"garbage" * 1000


def _some_patient(tmp_path: Path) -> Path:
    import json

    path = tmp_path / "one.json"
    path.write_text(json.dumps({"format": "bodymap-patient", "version": 1,
                                "patient": {"name": "One", "conditions": ["stress"]}}))
    return path


def _visits_until_full(records: Records, pid: int) -> tuple[list[int], RecordsError]:
    saved = [v.id for v in records.visits(pid)]
    for i in range(10_000):
        try:
            v = records.record_visit(pid, VisitDraft(session=1, profile={},
                                                     notes=f"{i} " + "x" * 4000,
                                                     soap=Soap("s" * 4000)))
        except RecordsError as exc:
            return saved, exc
        saved.append(v.id)
    raise AssertionError("the disk never filled")


def _fill_until_full(path: Path) -> None:
    """Save visits until the disk is full: one clear line, every visit saved before is there
    (and no half one), and the database passes its check."""
    from bodymap.records.maintenance import check

    records = Records.open(str(path))
    try:
        pid = records.patients()[0].id
        saved, exc = _visits_until_full(records, pid)
        assert len(saved) > 2
        assert "the disk is full: nothing was saved" in str(exc) and "\n" not in str(exc)
        assert [v.id for v in records.visits(pid)] == saved
    finally:
        records.close()
    ok, line = check(str(path))
    assert ok, line


def test_a_full_disk_loses_nothing_saved(tmp_path: Path, monkeypatch) -> None:
    """SQLite's own limit on the file's pages gives the error a full disk gives (SQLITE_FULL)
    at a chosen size."""
    path = tmp_path / "r.sqlite"
    filled(path).close()
    on_connect = rsqlite.on_connect

    def limited(con: sqlite3.Connection, read_only: bool) -> None:
        on_connect(con, read_only)
        pages = con.execute("PRAGMA page_count").fetchone()[0]
        con.execute(f"PRAGMA max_page_count = {pages + 40}")

    monkeypatch.setattr(rsqlite, "on_connect", limited)
    _fill_until_full(path)


@pytest.fixture
def tiny_disk(tmp_path: Path):
    """A 600 kB tmpfs (root only, where mounting is allowed)."""
    mount = shutil.which("mount")
    point = tmp_path / "disk"
    point.mkdir()
    if os.geteuid() != 0 or mount is None:
        pytest.skip("mounting a small tmpfs needs root")
    done = subprocess.run([mount, "-t", "tmpfs", "-o", "size=600k,mode=0700", "tmpfs",
                           str(point)], capture_output=True, check=False)
    if done.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {done.stderr.decode().strip()}")
    yield point
    subprocess.run(["umount", "-l", str(point)], check=False)


def test_a_real_full_disk_loses_nothing_saved(tiny_disk: Path) -> None:
    path = tiny_disk / "r.sqlite"
    filled(path).close()
    _fill_until_full(path)
    with contextlib.suppress(OSError):
        shutil.rmtree(rsqlite.backups_dir(path))
