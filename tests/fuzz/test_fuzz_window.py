"""Fuzz: malformed plan files opened in the window. Invariant: a clear error naming the file,
the window's state kept (the same document, the same plan), never an exception."""


from __future__ import annotations

import pytest
from fuzzkit import fuzz, time_limit
from hypothesis import given
from hypothesis import strategies as st
from test_fuzz_files import PLAN, mutated_json
from window_helpers import answer_all_no


@pytest.fixture
def window(make_window):
    w = make_window(condition="hypertension")
    answer_all_no(w)
    w.parts.panel.name_edit.setText("Kept")
    return w


@fuzz(max_examples=40)
@given(content=st.one_of(mutated_json(PLAN), st.binary(max_size=100)))
def test_opening_malformed_plan_files_keeps_the_window_state(window, tmp_path_factory, content):
    before, plan_before = window.controller.document(), window.plan
    path = tmp_path_factory.mktemp("open", numbered=True) / "p.bodymap.json"
    path.write_bytes(content)
    window.prompter.errors.clear()
    with time_limit(10):
        opened = window.documents.open_path(path)
    if opened:
        assert not window.prompter.errors
        # a valid file: the window shows it; go back for the next example
        window.documents.show_document(before, None)
    else:
        assert len(window.prompter.errors) == 1
        assert str(path) in window.prompter.errors[0]
        assert window.controller.document() == before and window.plan == plan_before
