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


# --- issue 18: files the strict format let through, dates from a wrong clock, size, the lock ---


@pytest.mark.parametrize(
    ("changes", "words"),
    [
        ({"card_stability": None, "card_difficulty": None}, "needs 'stability'"),
        ({"card_stability": 0.0}, "below"),
        ({"card_difficulty": None}, "come together"),
        ({"card_difficulty": 0.5}, "from 1 to 10"),
        ({"card_state": 1, "card_step": None}, "needs a 'step'"),
        ({"card_state": 3, "card_step": None}, "needs a 'step'"),
    ],
    ids=["review without stability", "zero stability", "half a memory state",
         "difficulty out of range", "learning without step", "relearning without step"],
)
def test_cards_the_scheduler_cannot_review_are_refused(tmp_path, changes, words):
    """Such a card passed the format and crashed the scheduler at the first answer."""
    path = tmp_path / "p.json"
    path.write_text(json.dumps(_file(**changes)))
    with pytest.raises(DataFileError, match=words) as info:
        progress_file.read_progress(path)
    assert "field 'cards.zone:collar'" in str(info.value)
    store = ProgressStore(path)
    assert store.problem is not None and store.moved_to is not None
    store.review("zone:collar", True, datetime.now(UTC))  # a fresh card: answering works


def test_a_review_dated_in_the_future_never_swallows_new_answers(tmp_path):
    """One day of clock error in the file: the new answers are kept, not merged away."""
    path = tmp_path / "p.json"
    tomorrow = (datetime.now(UTC) + timedelta(days=1)).isoformat(timespec="seconds")
    path.write_text(json.dumps(_file(card_last_review=tomorrow, card_due=tomorrow)))
    store = ProgressStore(path)
    before = store.card("zone:collar")
    for i in range(3):
        store.review("zone:collar", True, datetime.now(UTC) + timedelta(seconds=i))
        store.save()
    after = ProgressStore(path).card("zone:collar")
    assert after.last_review < datetime.now(UTC) + timedelta(minutes=1)
    assert after.due != before.due and after.last_review != before.last_review


def test_a_progress_file_over_the_limit_is_refused_clearly_and_kept(tmp_path):
    """A 32 MB file froze the window for seconds on every answer: now it is refused in one
    line, moved aside byte for byte, and answering is quick again."""
    path = tmp_path / "p.json"
    data = _file()
    data["last"] = {f"zone:x{i}": True for i in range(200_000)}
    text = json.dumps(data)
    assert len(text) > progress_file.MAX_BYTES
    path.write_text(text)
    store = ProgressStore(path)
    assert store.problem is not None and "larger than 2 MB" in store.problem
    assert store.moved_to is not None and store.moved_to.read_text() == text
    store.review("zone:collar", True, datetime.now(UTC))
    store.save()
    assert path.stat().st_size < 10_000


def test_a_lock_file_that_cannot_be_opened_is_named_in_one_line(tmp_path):
    """After `sudo bodymap` the lock belongs to root: the save says which file and what to do
    (here the lock is a folder, which no account can open as a file)."""
    path = tmp_path / "p.json"
    (tmp_path / "p.json.lock").mkdir()
    store = ProgressStore(path)
    store.review("zone:collar", True, datetime.now(UTC))
    with pytest.raises(DataFileError) as info:
        store.save()
    text = str(info.value)
    assert "p.json.lock" in text and "Errno" not in text and "\n" not in text
    assert "remove it if no bodymap is running" in text
