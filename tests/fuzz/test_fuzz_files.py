"""Fuzz: plan documents, autosaves and study progress files.

Invariants: each file opens whole or is refused with one clean line naming it; nothing raises
past the loader; a hostile file is never changed (or, for progress and autosaves, is moved aside
byte for byte); whatever loads can be saved and read back unchanged.
"""

from __future__ import annotations

import json
import random

from fuzzkit import clean_message, fuzz, time_limit
from hypothesis import given
from hypothesis import strategies as st

from bodymap.autosave import AutosaveStore
from bodymap.document import PlanDocument, load_document, save_document
from bodymap.errors import DataFileError
from bodymap.study import ProgressStore

MARK = "@@hostile@@"
RAW_VALUES = ['"3"', "true", "false", "null", "NaN", "Infinity", "-Infinity", "1e999", "5e-324",
              "-1", "0", "61", "1.5", "9" * 5000, '""', '"' + "x" * 25_000 + '"', "[]", "{}",
              "[1, 2]", '[[1, 2], [3, "4"]]', "[" * 3000 + "]" * 3000,
              '{"a": ' * 50 + "1" + "}" * 50, '"<b>x</b>"', '"\\u0000"', '"\\ud800"',
              '"2026-13-45T99:00:00"', '"2026-03-02T09:00:00"', '{"extra": 1}']

PLAN = PlanDocument.new("hernia", session=3, hernias=[("L4-L5", "left", "initial")],
                        lesions=("collar",),
                        present=("fever",), answered=("fever", "pregnancy"),
                        pain_points=((250.0, 640.0),), name="Anna",
                        notes="line 1\nline 2").to_json()
CARD = {"card_id": 7, "state": 2, "step": None, "stability": 3.2, "difficulty": 5.1,
        "due": "2026-03-05T09:00:00+00:00", "last_review": "2026-03-02T09:00:00+00:00"}
PROGRESS = {"format": "bodymap-study", "version": 1, "cards": {"zone:collar": CARD},
            "days": {"2026-03-02": [3, 2]}, "last": {"zone:collar": True}}


def _paths(data, prefix=()):
    yield prefix
    if isinstance(data, dict):
        for k, v in data.items():
            yield from _paths(v, (*prefix, k))
    elif isinstance(data, list):
        for i, v in enumerate(data):
            yield from _paths(v, (*prefix, i))


@st.composite
def mutated_json(draw, base: dict) -> bytes:
    """``base`` as JSON with one or two places replaced, dropped or joined by a stranger."""
    data = json.loads(json.dumps(base))
    raws = []
    for _ in range(draw(st.integers(1, 2))):
        places = [p for p in _paths(data) if p]
        where = draw(st.sampled_from(places))
        parent = data
        for part in where[:-1]:
            parent = parent[part]
        action = draw(st.sampled_from(["set"] * 4 + ["drop", "add"]))
        if action == "drop" and isinstance(parent, dict):
            del parent[where[-1]]
        elif action == "add" and isinstance(parent, dict):
            parent[draw(st.sampled_from(["extra", "notes", "x"]))] = MARK
            raws.append(draw(st.sampled_from(RAW_VALUES)))
        else:
            parent[where[-1]] = MARK
            raws.append(draw(st.sampled_from(RAW_VALUES)))
    text = json.dumps(data, ensure_ascii=False)
    for raw in raws:
        text = text.replace(json.dumps(MARK), raw, 1)
    data = text.encode("utf-8", "surrogatepass")
    tail = draw(st.sampled_from(["", "", "", "bom", "cut", "latin"]))
    if tail == "bom":
        data = b"\xef\xbb\xbf" + data
    elif tail == "cut":
        data = data[: draw(st.integers(0, len(data)))]
    elif tail == "latin":
        data = data.replace(b"Anna", "Änna".encode("latin-1"))
    return data


@fuzz(max_examples=150)
@given(data=st.one_of(mutated_json(PLAN), st.binary(max_size=200)))
def test_plan_documents(tmp_path_factory, data):
    folder = tmp_path_factory.mktemp("plans", numbered=True)
    path = folder / "p.bodymap.json"
    path.write_bytes(data)
    with time_limit(5):
        try:
            doc = load_document(path)
        except DataFileError as exc:
            clean_message(str(exc), path=path)
            doc = None
    assert path.read_bytes() == data, "reading never changes the file"
    if doc is not None:  # what loads can be saved and read back as it was
        again = folder / "again.bodymap.json"
        save_document(doc, again)
        assert load_document(again) == doc


@fuzz(max_examples=100)
@given(data=st.one_of(mutated_json(PROGRESS), st.binary(max_size=200)))
def test_progress_files(tmp_path_factory, data):
    path = tmp_path_factory.mktemp("progress", numbered=True) / "study-progress.json"
    path.write_bytes(data)
    with time_limit(5):
        store = ProgressStore(path)  # never raises
    if store.problem is not None:
        assert store.moved_to is not None and store.moved_to.read_bytes() == data
        clean_message(store.problem.splitlines()[0])
        assert str(path) in store.problem
    else:
        assert path.read_bytes() == data
    store.review("zone:thoracic", True, _when())
    store.save()
    assert ProgressStore(path).problem is None, "a saved file reads back"


@fuzz(max_examples=60)
@given(data=st.one_of(mutated_json({"original": None, "saved_at": "2026-03-02T09:00:00+00:00",
                                    "document": PLAN}), st.binary(max_size=100)))
def test_autosaves(tmp_path_factory, data):
    folder = tmp_path_factory.mktemp("autosave", numbered=True)
    path = folder / "untitled.autosave.json"
    path.write_bytes(data)
    store = AutosaveStore(folder)
    with time_limit(5):
        found = store.pending()  # never raises
    if found:
        assert len(found) == 1 and path.exists()
    else:
        assert not path.exists() and (folder / "untitled.autosave.corrupt").read_bytes() == data
        assert len(store.problems) == 1
        clean_message(str(store.problems[0]))


def _when():
    from datetime import UTC, datetime, timedelta

    return datetime(2026, 3, 2, 9, tzinfo=UTC) + timedelta(minutes=random.Random(1).randint(1, 9))
