"""Study progress: two running copies never lose each other's reviews; the format is strict."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bodymap import progress_file
from bodymap.errors import DataFileError
from bodymap.study import ProgressStore

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
ROOT = Path(__file__).resolve().parents[1]

_WORKER = textwrap.dedent(
    """
    import sys
    from datetime import UTC, datetime, timedelta
    from pathlib import Path
    from bodymap.study import ProgressStore

    path, name, n = Path(sys.argv[1]), sys.argv[2], int(sys.argv[3])
    store = ProgressStore(path)
    t0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
    for i in range(n):
        store.review(f"zone:{name}-{i}", i % 3 != 0, t0 + timedelta(seconds=i))
        store.review("zone:shared", True, t0 + timedelta(seconds=i))
        store.save()
    print("done", flush=True)
    """
)


def test_two_processes_saving_at_once_lose_no_review(tmp_path):
    path = tmp_path / "study-progress.json"
    n = 60
    procs = [
        subprocess.Popen([sys.executable, "-c", _WORKER, str(path), name, str(n)], cwd=ROOT,
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        for name in ("a", "b")
    ]
    for p in procs:
        out, err = p.communicate(timeout=120)
        assert p.returncode == 0 and "done" in out, err
    store = ProgressStore(path)
    assert store.problem is None
    for name in ("a", "b"):
        assert all(store.card(f"zone:{name}-{i}") is not None for i in range(n)), name
    reviewed = sum(d.reviewed for d in store.days())
    assert reviewed == 2 * 2 * n, "every review of both copies is counted"
    right = sum(d.right for d in store.days())
    assert right == 2 * (n + sum(1 for i in range(n) if i % 3 != 0))


def test_merge_keeps_the_newest_review_of_each_card(tmp_path):
    path = tmp_path / "study-progress.json"
    first, second = ProgressStore(path), ProgressStore(path)
    first.review("zone:collar", False, T0)
    first.review("zone:thoracic", True, T0)
    first.save()
    second.review("zone:collar", True, T0 + timedelta(hours=1))  # newer: wins
    second.save()
    first.review("zone:thoracic", False, T0 + timedelta(minutes=5))
    first.save()  # still has the old collar card in memory: must not win
    again = ProgressStore(path)
    assert again.last_right("zone:collar") is True
    assert again.card("zone:collar").last_review == T0 + timedelta(hours=1)
    assert again.last_right("zone:thoracic") is False
    assert sum(d.reviewed for d in again.days()) == 4
    assert first.last_right("zone:collar") is True, "the saving copy sees the other's work"


def _file(**changes) -> dict:
    card = {"card_id": 7, "state": 2, "step": None, "stability": 3.2, "difficulty": 5.1,
            "due": "2026-03-05T09:00:00+00:00", "last_review": "2026-03-02T09:00:00+00:00"}
    data = {"format": "bodymap-study", "version": 1, "cards": {"zone:collar": card},
            "days": {"2026-03-02": [3, 2]}, "last": {"zone:collar": True}}
    for key, value in changes.items():
        if key.startswith("card_"):
            card[key[5:]] = value
        else:
            data[key] = value
    return data


def test_a_strict_file_reads_back(tmp_path):
    path = tmp_path / "p.json"
    path.write_text(json.dumps(_file()))
    store = ProgressStore(path)
    assert store.problem is None and store.last_right("zone:collar") is True


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"card_state": "2"}, "cards.zone:collar.state"),
        ({"card_state": True}, "cards.zone:collar.state"),
        ({"card_stability": "3.2"}, "cards.zone:collar.stability"),
        ({"card_due": "2026-03-05T09:00:00"}, "cards.zone:collar.due"),
        ({"days": {"2026-03-02": ["3", 2]}}, "days.2026-03-02[1]"),
        ({"days": {"2026-03-02": [True, 0]}}, "days.2026-03-02[1]"),
        ({"days": {"2026-03-02": [1, 3]}}, "days"),
        ({"last": {"zone:collar": 1}}, "last.zone:collar"),
        ({"version": True}, "version"),
    ],
)
def test_wrong_types_are_refused_with_the_field_named(tmp_path, changes, field):
    path = tmp_path / "p.json"
    path.write_text(json.dumps(_file(**changes)))
    with pytest.raises(DataFileError) as info:
        progress_file.read_progress(path)
    assert str(path) in str(info.value) and f"field '{field}'" in str(info.value)
    store = ProgressStore(path)
    assert store.problem is not None and store.moved_to is not None


def test_nan_in_a_progress_file_is_refused(tmp_path):
    path = tmp_path / "p.json"
    path.write_text(json.dumps(_file()).replace("3.2", "NaN"))
    with pytest.raises(DataFileError, match="finite"):
        progress_file.read_progress(path)


def test_a_lock_held_too_long_is_a_clear_error(tmp_path, monkeypatch):
    import filelock

    path = tmp_path / "study-progress.json"
    store = ProgressStore(path)
    store.review("zone:collar", True, T0)
    monkeypatch.setattr(progress_file, "LOCK_TIMEOUT_S", 0.2)
    code = ("import filelock, sys, time; l = filelock.FileLock(sys.argv[1]); l.acquire(); "
            "print('locked', flush=True); time.sleep(30)")
    holder = subprocess.Popen([sys.executable, "-c", code, str(path) + ".lock"],
                              stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "locked"
        with pytest.raises(OSError) as info:  # the study session reports OSErrors
            store.save()
        assert str(info.value).startswith(str(path)) and "locked" in str(info.value)
    finally:
        holder.kill()
        holder.wait()
    assert filelock  # imported: the lock is the library's, not ours
    store.save()
    assert ProgressStore(path).card("zone:collar") is not None
