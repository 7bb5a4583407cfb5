"""Plan documents: round trip, atomic saving, clear errors, autosave and recovery."""

from __future__ import annotations

import json
import os

import pytest

from bodymap.autosave import AutosaveStore
from bodymap.document import PlanDocument, load_document, save_document
from bodymap.errors import DataFileError

DOC = PlanDocument.new(
    ("hernia", "scoliosis"),
    session=5,
    hernias=[("L4-L5", "left", "initial")],
    scoliosis=[("right", 2)],
    lesions=("thoracic-left",),
    present=("menstruation",),
    answered=("fever", "menstruation"),
    pain_points=((250.0, 640.5), (330.0, 420.0)),
    name="<b>Ivan</b> Petrov",
    notes="Line one\nЛиния два <i>not markup</i>",
)


def test_save_then_open_gives_the_same_document(tmp_path):
    path = save_document(DOC, tmp_path / "plan.bodymap.json")
    assert load_document(path) == DOC
    data = json.loads(path.read_text(encoding="utf-8"))
    assert data["format"] == "bodymap-plan" and data["version"] == 3
    assert data["profile"]["conditions"] == ["hernia", "scoliosis"]


def test_a_crash_in_the_middle_of_a_save_leaves_the_previous_file_intact(tmp_path, monkeypatch):
    path = tmp_path / "plan.bodymap.json"
    save_document(DOC, path)
    before = path.read_bytes()

    real_fsync = os.fsync

    def crash(fd):  # the new content is written but not yet durable: the machine dies
        raise OSError(5, "simulated power loss")

    monkeypatch.setattr(os, "fsync", crash)
    with pytest.raises(OSError, match="cannot be written") as info:
        save_document(PlanDocument.new("hypertension"), path)
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
    store.write(PlanDocument.new("stress"), None)

    # A new run (after a crash) finds both.
    pending = AutosaveStore(tmp_path / "autosave").pending()
    by_original = {r.original: r.document for r in pending}
    assert by_original == {original: DOC, None: PlanDocument.new("stress")}

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


def test_a_version_1_file_opens_migrated_and_saves_as_version_3(tmp_path):
    old = tmp_path / "old.bodymap.json"
    old.write_text(json.dumps({
        "format": "bodymap-plan", "version": 1, "saved_at": "2025-01-02T03:04:05+00:00",
        "patient": {"name": "Olga", "notes": ""},
        "profile": {"condition": "hypertension", "session": 2, "answered": None},
    }), encoding="utf-8")
    doc = load_document(old)
    assert doc.conditions == ("hypertension",) and doc.condition == "hypertension"
    assert doc.profile.session == 2 and doc.patient_name == "Olga"
    saved = json.loads(save_document(doc, tmp_path / "new.bodymap.json").read_text())
    assert saved["version"] == 3 and saved["profile"]["conditions"] == ["hypertension"]
    assert "condition" not in saved["profile"]
    # version 1's "answered": null read as "every question answered": now nothing is (fail
    # closed), so the plan waits for the screening
    assert saved["profile"]["answered"] == [] and doc.to_profile().answered == frozenset()


@pytest.mark.parametrize(
    ("profile", "field"),
    [
        ({"conditions": ["hernia", "hernia"]}, "profile.conditions"),
        ({"conditions": ["hernia"], "session": "2"}, "profile.session"),
        ({"conditions": ["hernia"], "session": True}, "profile.session"),
        ({"conditions": ["hernia"], "pain_points": [["1", 2]]}, "profile.pain_points"),
    ],
)
def test_the_one_validator_is_strict_and_names_the_field(tmp_path, profile, field):
    path = tmp_path / "strict.bodymap.json"
    path.write_text(json.dumps({"format": "bodymap-plan", "version": 2, "profile": profile}))
    with pytest.raises(DataFileError, match=f"field '{field}"):
        load_document(path)


def test_the_record_is_not_the_profile():
    """Name and notes change the record only; the planner's profile stays equal."""
    doc = PlanDocument.new("hernia", session=3, hernias=[("L4-L5", "left", "initial")], name="Ivan")
    edited = doc.with_record("Anna", "new notes")
    assert edited.profile == doc.profile and edited.to_profile() == doc.to_profile()
    assert edited != doc and edited.notes == "new notes"


def test_checking_against_the_library_names_the_unknown_condition(library, geometry):
    doc = PlanDocument.new(("hernia", "no-such-thing"))
    with pytest.raises(DataFileError, match=r"profile\.conditions\[1\].*no-such-thing"):
        doc.checked(library, geometry, "x.bodymap.json")
    zoned = PlanDocument.new("hernia", lesions=("collar",)).checked(library, geometry)
    assert zoned.profile.lesions == ("collar-left", "collar-right")
