"""Crash and full-disk tests: saves killed at random points (SIGKILL) and saves and exports to
a full disk (a small tmpfs) never lose the previous file, and leave no patient text behind
after the next start."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
from fuzzkit import ROOT, clean_message, fill

from bodymap import safeio
from bodymap.autosave import AutosaveStore
from bodymap.document import (
    PlanDocument,
    clean_stale_saves,
    load_document,
    save_document,
)
from bodymap.errors import DataFileError
from bodymap.study import ProgressStore

posix_only = pytest.mark.skipif(os.name != "posix", reason="SIGKILL and tmpfs are POSIX")

_SAVER = textwrap.dedent(
    """
    import sys
    from datetime import UTC, datetime, timedelta
    from pathlib import Path
    from bodymap.autosave import AutosaveStore
    from bodymap.document import PlanDocument, save_document
    from bodymap.study import ProgressStore

    kind, path = sys.argv[1], Path(sys.argv[2])
    store = ProgressStore(path) if kind == "progress" else None
    autosave = AutosaveStore(path.parent) if kind == "autosave" else None
    n = 0
    while True:
        n += 1
        doc = PlanDocument.new("stress", name="Anna",
                               notes=f"SECRET-{n} " + "private words " * 1000)
        print(n, flush=True)  # a save starts: the parent may kill it anywhere from here on
        if kind == "plan":
            save_document(doc, path)
        elif kind == "autosave":
            autosave.write(doc, None)
        else:
            store.review(f"zone:{n % 50}", True, datetime(2026, 3, 2, tzinfo=UTC)
                         + timedelta(seconds=n))
            store.save()
    """
)

KILLS = 5


def _kill_after_some_saves(kind: str, path: Path, rng: random.Random) -> None:
    proc = subprocess.Popen([sys.executable, "-c", _SAVER, kind, str(path)], cwd=ROOT,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        for _ in range(rng.randint(2, 6)):
            line = proc.stdout.readline()
            assert line, proc.stderr.read()
        # a save is under way: kill it at a random point in it (a random delay is the point of
        # this test, not a wait for something to happen)
        time.sleep(rng.uniform(0, 0.004))
        os.kill(proc.pid, signal.SIGKILL)
    finally:
        proc.kill()
        proc.wait(timeout=30)
        proc.stdout.close()
        proc.stderr.close()


@posix_only
@pytest.mark.parametrize("kind", ["plan", "autosave", "progress"])
def test_saves_killed_at_random_points_lose_nothing_and_leave_no_patient_text(tmp_path, kind):
    rng = random.Random(11)
    folder = tmp_path / kind
    folder.mkdir()
    path = folder / {"plan": "anna.bodymap.json", "autosave": "untitled.autosave.json",
                     "progress": "study-progress.json"}[kind]
    for _ in range(KILLS):
        _kill_after_some_saves(kind, path, rng)
        # the next start: what the window and study mode do first
        if kind == "plan":
            clean_stale_saves([path])
            assert load_document(path).notes.startswith("SECRET-")
        elif kind == "autosave":  # each killed copy left its own autosave: all recoverable
            store = AutosaveStore(folder)
            found = store.pending()
            assert found and not store.problems
            assert all(r.document.notes.startswith("SECRET-") for r in found)
        else:
            store = ProgressStore(path)
            assert store.problem is None and store.known()
        for left in folder.iterdir():  # no temp file holding patient text
            assert not left.name.endswith(safeio.TEMP_SUFFIX), left
            assert left.name in (path.name, "study-progress.json.lock") or (
                kind == "autosave" and left.name.endswith((".autosave.json", ".lock"))), left
            assert not left.name.endswith(".lock") or left.stat().st_size == 0, "no text"


# --- a full disk ---------------------------------------------------------------------------------


def test_saving_a_plan_to_a_full_disk_keeps_the_previous_file(small_tmpfs):
    path = small_tmpfs / "anna.bodymap.json"
    save_document(PlanDocument.new("stress", notes="the good version"), path)
    fill(small_tmpfs, leave=4096)
    with pytest.raises(DataFileError) as info:
        save_document(PlanDocument.new("stress", notes="x" * 19_000), path)
    clean_message(str(info.value), path=path)
    assert "full" in str(info.value)
    assert load_document(path).notes == "the good version"
    assert not [p for p in small_tmpfs.iterdir() if p.name.endswith(safeio.TEMP_SUFFIX)]


def test_progress_and_autosave_on_a_full_disk(small_tmpfs):
    from datetime import UTC, datetime

    progress = small_tmpfs / "study-progress.json"
    store = ProgressStore(progress)
    store.review("zone:collar", True, datetime(2026, 3, 2, tzinfo=UTC))
    store.save()
    before = progress.read_bytes()
    fill(small_tmpfs, leave=2048)
    for i in range(200):
        store.review(f"zone:n{i}", True, datetime(2026, 3, 2, tzinfo=UTC))
    with pytest.raises(OSError) as info:  # the study session reports it and goes on
        store.save()
    clean_message(str(info.value), path=progress)
    assert progress.read_bytes() == before
    autosave = AutosaveStore(small_tmpfs / "autosave")
    with pytest.raises(OSError):
        autosave.write(PlanDocument.new("stress", notes="y" * 19_000), None)
    assert not [p for p in small_tmpfs.rglob("*") if p.name.endswith(safeio.TEMP_SUFFIX)]


@pytest.mark.parametrize("suffix", [".pdf", ".png"])
def test_exporting_to_a_full_disk_fails_clearly_and_keeps_the_good_handout(
    qapp, small_tmpfs, capsys, suffix
):
    from bodymap.cli import main

    out = small_tmpfs / f"handout{suffix}"
    assert main(["export", "--condition", "hernia", "--hernia", "L4-L5,stage=initial", "--out",
                 str(out)]) == 0
    good = out.read_bytes()
    capsys.readouterr()
    fill(small_tmpfs, leave=len(good) // 3)
    code = main(["export", "--condition", "stress", "--patient", "Anna", "--out", str(out)])
    err = capsys.readouterr().err
    assert code == 1
    clean_message(err, path=out)
    assert "full" in err and safeio.TEMP_SUFFIX not in err
    assert out.read_bytes() == good, "the good handout is intact"
    assert not [p for p in small_tmpfs.iterdir() if p.name.endswith(safeio.TEMP_SUFFIX)]

