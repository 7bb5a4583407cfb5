
"""Protocols > Reload never drops the open patient (issue 18): when the file that defines the
patient's condition breaks, the document, the plan and the protocols stay, and the error names
the file and its problem."""

from __future__ import annotations

from pathlib import Path

from window_helpers import answer_all_no

from bodymap.library import load_library

ROOT = Path(__file__).resolve().parents[1]


def own_condition(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    text = (ROOT / "protocols" / "conditions" / "stress.toml").read_text(encoding="utf-8")
    path = folder / "myc.toml"
    path.write_text(text.replace('id = "stress"', 'id = "myc"', 1), encoding="utf-8")
    return path


def test_a_broken_condition_file_keeps_the_unsaved_patient(make_window, tmp_path, monkeypatch,
                                                           qtbot):
    monkeypatch.setenv("BODYMAP_USER_DIR", str(tmp_path / "user"))
    path = own_condition(tmp_path / "user" / "protocols")
    window = make_window(condition="myc", library=load_library(path.parent))
    answer_all_no(window)
    window.parts.panel.name_edit.setText("Anna")
    window.parts.panel.notes_edit.setPlainText("left shoulder tender")
    before = window.plan.to_json()
    assert window.documents.is_modified()

    path.write_text(path.read_text(encoding="utf-8") + "\nnot toml [[[\n", encoding="utf-8")
    assert not window.reload_protocols()

    doc = window.controller.document()
    assert doc is not None and doc.conditions == ("myc",)
    assert window.parts.panel.name_edit.text() == "Anna"
    assert window.parts.panel.notes_edit.toPlainText() == "left shoulder tender"
    assert window.plan.to_json() == before
    error = window.prompter.errors[-1]
    assert "myc.toml" in error and "'myc'" in error and "TOML" in error
    assert window.parts.problems_button.isVisible()
    # save still works, and fixing the file then reloading goes through
    window.prompter.save_path = str(tmp_path / "anna.bodymap.json")
    assert window.documents.save()
    own_condition(path.parent)
    assert window.reload_protocols()
    assert window.controller.document().patient_name == "Anna"


def test_a_deleted_condition_file_is_named_too(make_window, tmp_path, monkeypatch):
    monkeypatch.setenv("BODYMAP_USER_DIR", str(tmp_path / "user"))
    path = own_condition(tmp_path / "user" / "protocols")
    window = make_window(condition="myc", library=load_library(path.parent))
    window.parts.panel.name_edit.setText("Boris")
    path.unlink()
    assert not window.reload_protocols()
    assert window.parts.panel.name_edit.text() == "Boris"
    assert "myc.toml" in window.prompter.errors[-1] and "gone" in window.prompter.errors[-1]
