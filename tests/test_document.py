"""Plan documents: round trip, atomic saving, clear errors, autosave and recovery."""

from __future__ import annotations

import json
import os

import pytest

from bodymap.document import AutosaveStore, PlanDocument, load_document, save_document
from bodymap.errors import DataFileError

DOC = PlanDocument(
    condition="hernia",
    session=5,
    hernia=("L4-L5", "left"),
    scoliosis=("right", 2),
    lesions=("thoracic-left",),
    present=("menstruation",),
    answered=("fever", "menstruation"),
    pain_points=((250.0, 640.5), (330.0, 420.0)),
    patient_name="<b>Ivan</b> Petrov",
    notes="Line one\nЛиния два <i>not markup</i>",
)


def test_save_then_open_gives_the_same_document(tmp_path):
    path = save_document(DOC, tmp_path / "plan.bodymap.json")
    assert load_document(path) == DOC
    data = json.loads(path.read_text(encoding="utf-8"))
    assert data["format"] == "bodymap-plan" and data["version"] == 1


def test_a_crash_in_the_middle_of_a_save_leaves_the_previous_file_intact(tmp_path, monkeypatch):
    path = tmp_path / "plan.bodymap.json"
    save_document(DOC, path)
    before = path.read_bytes()

    real_fsync = os.fsync

    def crash(fd):  # the new content is written but not yet durable: the machine dies
        raise OSError(5, "simulated power loss")

    monkeypatch.setattr(os, "fsync", crash)
    with pytest.raises(OSError, match="input/output error") as info:
        save_document(PlanDocument(condition="hypertension"), path)
    monkeypatch.setattr(os, "fsync", real_fsync)
    assert str(info.value).startswith(str(path)), "the error names the user's file"

    assert path.read_bytes() == before
    assert load_document(path) == DOC
    assert [p.name for p in tmp_path.iterdir()] == ["plan.bodymap.json"], "temp file left behind"


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "empty"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\xff\xfe", "not a text file"),
        (b"{not json", "not valid JSON"),
        (b'{"format": "bodymap-plan", "version": 1}', "field 'profile'"),
        (b'{"format": "something-else", "version": 1, "profile": {"condition": "x"}}', "format"),
        (
            b'{"format": "bodymap-plan", "version": 1, '
            b'"profile": {"condition": "x", "session": -3}}',
            "field 'profile.session'",
        ),
        (
            b'{"format": "bodymap-plan", "version": 7, "profile": {"condition": "x"}}',
            "newer bodymap",
        ),
    ],
)
def test_malformed_files_name_the_file_and_field(tmp_path, content, message):
    path = tmp_path / "bad.bodymap.json"
    path.write_bytes(content)
    with pytest.raises(DataFileError) as info:
        load_document(path)
    text = str(info.value)
    assert str(path) in text
    assert message in text
    assert "\n" not in text


def test_missing_file_is_a_clear_error(tmp_path):
    with pytest.raises(DataFileError, match="does not exist"):
        load_document(tmp_path / "nope.bodymap.json")


def test_autosave_is_found_after_a_crash_and_discarded_after_save(tmp_path):
    store = AutosaveStore(tmp_path / "autosave")
    original = tmp_path / "plan.bodymap.json"
    store.write(DOC, original)
    store.write(PlanDocument(condition="stress"), None)

    # A new run (after a crash) finds both.
    pending = AutosaveStore(tmp_path / "autosave").pending()
    by_original = {r.original: r.document for r in pending}
    assert by_original == {original: DOC, None: PlanDocument(condition="stress")}

    store.discard(original)
    store.discard(None)
    assert AutosaveStore(tmp_path / "autosave").pending() == []


def test_a_corrupt_autosave_is_reported_and_moved_aside(tmp_path):
    folder = tmp_path / "autosave"
    folder.mkdir()
    (folder / "untitled.autosave.json").write_text("{garbage", encoding="utf-8")
    store = AutosaveStore(folder)
    assert store.pending() == []
    assert len(store.problems) == 1 and "untitled.autosave.json" in str(store.problems[0])
    assert (folder / "untitled.autosave.corrupt").exists()
