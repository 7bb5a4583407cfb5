"""Several copies of bodymap on one database, and copies killed mid-write (kill -9).

Two processes recording visits of the same patient at once both keep every visit. A writer
killed at random moments leaves a database that passes ``db check``, where every patient and
visit is whole or absent, and where everything it reported saved is there.
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

from bodymap.records.maintenance import check
from bodymap.records.store import Records

WORKER = Path(__file__).with_name("records_worker.py")
sys.path.insert(0, str(WORKER.parent))
from records_worker import VISITS  # noqa: E402


def spawn(*args: str) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, str(WORKER), *args], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)


def test_two_processes_never_lose_a_write(records_db: str) -> None:
    records = Records.open(records_db)
    patient = records.add_patient("Shared", ["hypertension"])
    records.close()
    n = 25
    workers = [spawn(records_db, "visits", str(patient.id), str(n), tag) for tag in "AB"]
    imports = [spawn(records_db, "imports", str(first), "3") for first in (100, 200)]
    for w in workers + imports:
        out, err = w.communicate(timeout=300)
        assert w.returncode == 0, err
        assert out.count("saved") == (n if w in workers else 3)
    records = Records.open(records_db)
    try:
        notes = sorted(v.notes for v in records.visits(patient.id))
        assert notes == sorted(f"{tag} {i}" for tag in "AB" for i in range(n))
        names = {p.name for p in records.patients()}
        assert {f"Patient {i}" for i in (100, 101, 102, 200, 201, 202)} <= names
    finally:
        records.close()


def _reported(out: str) -> list[str]:
    """What the killed worker said it saved: whole lines only (a cut last line is ignored)."""
    lines = out.split("\n")
    return [line.removeprefix("saved ") for line in lines[:-1] if line.startswith("saved ")]


def test_kill_9_during_imports_and_visit_saves_loses_nothing_reported(records_db: str) -> None:
    records = Records.open(records_db)
    patient = records.add_patient("Killed", ["hypertension"])
    records.close()
    rounds = 8 if records_db.endswith(".sqlite") else 4
    rng = random.Random(22)
    saved_visits: set[int] = set()
    saved_names: set[str] = set()
    for k in range(rounds):
        worker = (spawn(records_db, "imports", str(1000 * (k + 1)), "500") if k % 2
                  else spawn(records_db, "visits", str(patient.id), "5000", f"K{k}"))
        # let it start (importing SQLAlchemy takes a moment) and write for a random while
        deadline = time.monotonic() + 60
        first = worker.stdout.readline()  # type: ignore[union-attr]
        assert first.startswith("saved"), worker.stderr.read()  # type: ignore[union-attr]
        assert time.monotonic() < deadline
        time.sleep(rng.uniform(0.02, 0.3))
        os.kill(worker.pid, signal.SIGKILL)
        rest, _ = worker.communicate(timeout=60)
        said = _reported(first + rest)
        if k % 2:
            saved_names.update(said)
        else:
            saved_visits.update(int(v) for v in said)
        ok, line = check(records_db)
        assert ok, line
    records = Records.open(records_db)
    try:
        # everything reported saved is there, whole
        visits = {v.id: v for v in records.visits(patient.id)}
        assert saved_visits <= set(visits)
        for v in visits.values():
            assert v.notes.startswith("K") and v.soap.subjective == "s" * 200
            assert v.pain_points == ((250.0, 640.0),)
        listed = {p.name: p for p in records.patients()}
        assert saved_names <= set(listed)
        # every imported patient is either absent or complete (the import is one transaction)
        for name, p in listed.items():
            if name.startswith("Patient "):
                assert p.visits == VISITS, name
                assert [v.notes for v in records.visits(p.id)] == [
                    f"visit {d} of {name}" for d in range(1, VISITS + 1)]
    finally:
        records.close()
    assert saved_visits and saved_names  # the loop did write and kill mid-way
