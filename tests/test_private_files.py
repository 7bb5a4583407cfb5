
"""Private files (issue 18): patient and student records are owner-only; Save never replaces a
read-only file or another account's, nor silently a file that changed on disk; a file others
can read is pointed out when it is opened."""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path

import pytest

from bodymap.document import PlanDocument, load_document, save_document
from bodymap.errors import FileWriteError

posix = pytest.mark.skipif(os.name != "posix", reason="POSIX permissions")
DOC = PlanDocument.new("stress", name="Anna", notes="private notes")


def mode(path: Path) -> str:
    return oct(stat.S_IMODE(path.stat().st_mode))


@posix
def test_a_new_plan_file_is_owner_only_and_an_existing_one_keeps_its_mode(tmp_path):
    old = os.umask(0o022)
    try:
        new = save_document(DOC, tmp_path / "new.bodymap.json")
        assert mode(new) == "0o600"
        shared = tmp_path / "shared.bodymap.json"
        shared.write_text("{}")
        os.chmod(shared, 0o640)  # the owner chose to share it with the group
        save_document(DOC, shared)
        assert mode(shared) == "0o640"
    finally:
        os.umask(old)


@posix
def test_study_progress_and_its_new_folder_are_owner_only(tmp_path):
    from bodymap.progress_file import Progress, save_progress

    path = tmp_path / "fresh" / "study-progress.json"
    save_progress(path, Progress(), {}, lambda exc: None)
    assert mode(path) == "0o600"
    assert mode(path.parent) == "0o700"


@posix
def test_save_refuses_a_read_only_file_and_says_why(tmp_path):
    path = tmp_path / "locked.bodymap.json"
    save_document(DOC, path)
    before = path.read_bytes()
    os.chmod(path, 0o444)
    with pytest.raises(FileWriteError, match="is read-only: it was not replaced"):
        save_document(DOC.with_record("Boris", ""), path)
    assert path.read_bytes() == before and mode(path) == "0o444"


@posix
def test_save_refuses_another_accounts_file_in_a_shared_folder(tmp_path):
    if os.geteuid() != 0:
        pytest.skip("giving a file to another account needs root (CI runs as root)")
    import pwd

    nobody = pwd.getpwnam("nobody")
    path = tmp_path / "theirs.bodymap.json"
    save_document(DOC, path)
    os.chown(path, nobody.pw_uid, nobody.pw_gid)
    before = path.read_bytes()
    with pytest.raises(FileWriteError, match="belongs to another account \\(nobody\\)"):
        save_document(DOC.with_record("Boris", ""), path)
    assert path.read_bytes() == before and path.stat().st_uid == nobody.pw_uid


@posix
def test_the_window_says_why_a_read_only_file_was_not_saved(make_window, tmp_path):
    path = tmp_path / "locked.bodymap.json"
    save_document(DOC, path)
    window = make_window()
    assert window.documents.open_path(path)
    window.parts.panel.name_edit.setText("Boris")
    os.chmod(path, 0o444)
    assert not window.documents.save()
    assert "read-only" in window.prompter.errors[-1]
    assert load_document(path).patient_name == "Anna"


@posix
def test_opening_a_file_others_can_read_says_so(make_window, tmp_path):
    path = tmp_path / "open.bodymap.json"
    save_document(DOC, path)
    os.chmod(path, 0o644)
    window = make_window()
    assert window.documents.open_path(path)
    message = window.statusBar().currentMessage()
    assert "other accounts" in message and "chmod 600" in message
    os.chmod(path, 0o600)
    window.statusBar().clearMessage()
    assert window.documents.open_path(path)
    assert "other accounts" not in window.statusBar().currentMessage()


def test_two_copies_saving_the_same_file_ask_before_replacing(make_window, tmp_path):
    """The file changed on disk since it was opened here (another copy saved it): Save asks;
    No keeps the other copy's version."""
    path = tmp_path / "shared.bodymap.json"
    save_document(DOC, path)
    window = make_window()
    assert window.documents.open_path(path)
    window.parts.panel.name_edit.setText("Mine")
    save_document(DOC.with_record("Theirs", ""), path)  # the other copy saves meanwhile
    window.prompter.replies["confirm"] = "no"
    assert not window.documents.save()
    assert load_document(path).patient_name == "Theirs"
    assert any("changed on disk" in text for _, text, _ in window.prompter.asked)
    window.prompter.replies["confirm"] = "yes"
    assert window.documents.save()
    assert load_document(path).patient_name == "Mine"
    window.prompter.asked.clear()
    window.parts.panel.name_edit.setText("Mine again")
    assert window.documents.save(), "saved here last: no question"
    assert not window.prompter.asked


def test_saved_plan_json_is_unchanged_by_the_privacy_rules(tmp_path):
    path = save_document(DOC, tmp_path / "a.bodymap.json")
    assert json.loads(path.read_text())["patient"]["name"] == "Anna"
