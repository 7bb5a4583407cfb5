
"""Crash recovery never discards work the user did not see (issue 18): every crashed copy's
autosave is offered, one at a time; a reused process number hides nothing; kept copies have an
age limit and a listing."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from window_helpers import Prompts

from bodymap import autosave
from bodymap.autosave import AutosaveStore, Recoverable
from bodymap.document import PlanDocument

ROOT = Path(__file__).resolve().parents[1]


def dead_pid() -> int:
    done = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                          capture_output=True, text=True, check=True)
    return int(done.stdout)


def crashed_autosave(folder: Path, name: str, pid: int, *, hours_ago: float = 1.0,
                     offered_days_ago: float | None = None, condition: str = "stress") -> Path:
    """An autosave as a copy of bodymap with process number ``pid`` leaves it at a crash."""
    folder.mkdir(parents=True, exist_ok=True)
    when = datetime.now(UTC) - timedelta(hours=hours_ago)
    payload = {"original": None, "saved_at": when.isoformat(timespec="seconds"),
               "document": PlanDocument.new(condition, name=name).to_json()}
    if offered_days_ago is not None:
        payload["offered_at"] = (datetime.now(UTC) - timedelta(days=offered_days_ago)
                                 ).isoformat(timespec="seconds")
    path = folder / f"untitled.{pid}.autosave.json"
    path.write_text(json.dumps(payload), encoding="utf-8")
    stamp = when.timestamp()
    os.utime(path, (stamp, stamp))
    return path


# --- the store ---------------------------------------------------------------------------------


def test_an_autosave_whose_process_number_was_reused_is_offered(tmp_path):
    """After a reboot the number may belong to any process: pid 1 always runs, and so does a
    `sleep` here. Neither holds the autosave lock, so both autosaves are offered."""
    sleeper = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    try:
        crashed_autosave(tmp_path, "Anna", 1)
        crashed_autosave(tmp_path, "Boris", sleeper.pid, hours_ago=3)
        names = [r.document.patient_name for r in AutosaveStore(tmp_path).pending()]
        assert names == ["Anna", "Boris"], "newest first, none hidden by a live process number"
    finally:
        sleeper.kill()
        sleeper.wait()


def test_a_running_copy_is_told_by_its_lock_not_its_process_number(tmp_path):
    code = ("import sys; from pathlib import Path; from bodymap.autosave import AutosaveStore; "
            "from bodymap.document import PlanDocument; "
            "AutosaveStore(Path(sys.argv[1])).write(PlanDocument.new('stress', name='Live'), "
            "None); print('saved', flush=True); sys.stdin.read()")
    other = subprocess.Popen([sys.executable, "-c", code, str(tmp_path)], text=True, cwd=ROOT,
                             stdin=subprocess.PIPE, stdout=subprocess.PIPE)
    try:
        assert other.stdout.readline().strip() == "saved"
        path = next(tmp_path.glob("*.autosave.json"))
        old = datetime.now(UTC).timestamp() - 86400  # long ago: the lock alone tells
        os.utime(path, (old, old))
        assert AutosaveStore(tmp_path).pending() == []
        listing = AutosaveStore(tmp_path).listing()
        assert [(r.running, r.recoverable.document.patient_name) for r in listing] == \
            [(True, "Live")]
    finally:
        other.stdin.close()
        other.wait(timeout=30)
        other.stdout.close()
    assert [r.document.patient_name for r in AutosaveStore(tmp_path).pending()] == ["Live"]


def test_autosaves_and_their_folder_are_owner_only(tmp_path):
    if os.name != "posix":
        pytest.skip("POSIX permissions")
    folder = tmp_path / "autosave"
    folder.mkdir(mode=0o755)
    os.chmod(folder, 0o755)  # made by an older bodymap
    path = AutosaveStore(folder).write(PlanDocument.new("stress", notes="private"), None)
    assert oct(path.stat().st_mode & 0o777) == "0o600"
    assert oct(folder.stat().st_mode & 0o777) == "0o700"


def test_a_kept_copy_is_removed_30_days_after_its_first_offer_and_an_unseen_one_never(tmp_path):
    crashed_autosave(tmp_path, "Unseen", dead_pid(), hours_ago=24 * 400)
    crashed_autosave(tmp_path, "Kept", dead_pid(), offered_days_ago=autosave.KEEP_DAYS - 1)
    expired = crashed_autosave(tmp_path, "Expired", dead_pid(),
                               offered_days_ago=autosave.KEEP_DAYS + 1)
    store = AutosaveStore(tmp_path)
    names = sorted(r.document.patient_name for r in store.pending())
    assert names == ["Kept", "Unseen"]
    assert [r.document.patient_name for r in store.expired] == ["Expired"]
    assert not expired.exists()


def test_keeping_a_copy_stamps_its_first_offer_once(tmp_path):
    crashed_autosave(tmp_path, "Anna", dead_pid())
    store = AutosaveStore(tmp_path)
    rec = store.mark_offered(store.pending()[0])
    assert rec.offered_at is not None
    again = AutosaveStore(tmp_path).pending()[0]
    assert again.offered_at == rec.offered_at and again.document == rec.document
    assert AutosaveStore(tmp_path).mark_offered(again).offered_at == rec.offered_at
    assert again.kept_until() == datetime.fromisoformat(rec.offered_at) + timedelta(
        days=autosave.KEEP_DAYS)


def test_the_cli_lists_every_autosave(tmp_path, monkeypatch, capsys):
    from bodymap.cli import main

    monkeypatch.setenv("BODYMAP_USER_DIR", str(tmp_path))
    crashed_autosave(tmp_path / "autosave", "Anna", dead_pid())
    crashed_autosave(tmp_path / "autosave", "Boris", dead_pid(), hours_ago=5,
                     offered_days_ago=2)
    broken = tmp_path / "autosave" / f"untitled.{dead_pid()}.autosave.json"
    broken.write_text("{broken")
    assert main(["autosaves"]) == 0
    out = capsys.readouterr().out
    assert "Anna" in out and "Boris" in out and "unreadable" in out
    assert "kept until" in out
    assert main(["autosaves", "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert [r["patient"] for r in rows if r["patient"]] == ["Anna", "Boris"]
    assert broken.exists(), "listing changes nothing"


# --- the window's flow ------------------------------------------------------------------------


class Answers(Prompts):
    """Answers each recovery offer in turn from ``answers``; records each offer's text."""

    def __init__(self, *answers: str) -> None:
        super().__init__()
        self.answers = list(answers)
        self.offers: list[str] = []

    def ask(self, title, text, *, choices=("yes", "no"), default="no"):
        if "recover" in choices:
            self.asked.append((title, text, tuple(choices)))
            self.offers.append(text)
            return self.answers.pop(0)
        return super().ask(title, text, choices=choices, default=default)


@pytest.fixture
def two_crashes(tmp_path, env):
    folder = tmp_path / "data" / "bodymap" / "autosave"
    older = crashed_autosave(folder, "Anna", dead_pid(), hours_ago=2)
    newer = crashed_autosave(folder, "Boris", dead_pid(), hours_ago=1)
    return older, newer


def test_declining_never_deletes_a_copy_that_was_not_shown(make_window, two_crashes):
    older, newer = two_crashes
    prompts = Answers("discard", "later")
    make_window(condition="stress", prompts=prompts)
    assert len(prompts.offers) == 2, "each copy is offered"
    assert "Boris" in prompts.offers[0] and "Anna" in prompts.offers[1], "newest first"
    assert not newer.exists(), "the one discarded"
    assert older.exists(), "the one kept for later"
    kept = AutosaveStore(older.parent).pending()
    assert [r.document.patient_name for r in kept] == ["Anna"] and kept[0].offered_at


def test_recovering_one_keeps_the_others_for_the_next_start(make_window, two_crashes):
    older, _newer = two_crashes
    prompts = Answers("recover")
    window = make_window(prompts=prompts)
    assert len(prompts.offers) == 1
    assert window.parts.panel.name_edit.text() == "Boris"
    assert older.exists() and "1 more unsaved copy" in window.statusBar().currentMessage()
    assert window.isWindowModified()


def test_the_offer_says_how_long_a_kept_copy_stays(make_window, two_crashes):
    prompts = Answers("later", "later")
    make_window(condition="stress", prompts=prompts)
    assert all("Later" in text and "until" in text for text in prompts.offers)
    assert "(1 of 2)" in prompts.asked[0][0] and "(2 of 2)" in prompts.asked[1][0]


def test_the_real_box_keeps_the_copy_when_closed_with_escape(qtbot, monkeypatch):
    """Closing the question (Esc) is "Later", never "Discard"."""
    from PySide6.QtWidgets import QMessageBox

    from bodymap.widgets.prompts import Prompter

    def close_at_once(box):
        box.reject()
        return 0

    monkeypatch.setattr(QMessageBox, "exec", close_at_once)
    answer = Prompter().ask("Recover?", "text", choices=("recover", "discard", "later"),
                            default="recover")
    assert answer == "later"


def test_a_recoverable_keeps_until_counts_from_now_when_never_offered():
    rec = Recoverable(Path("x"), None, PlanDocument.new("stress"), "")
    now = datetime.now(UTC)
    assert rec.kept_until(now) == now + timedelta(days=autosave.KEEP_DAYS)
