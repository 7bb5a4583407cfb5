
"""The three defects of issue #10, each driven the way a user meets it.

* typing in Notes rewound the player to 0:00 (the keystroke re-planned);
* at the pain-point limit the map showed one star more than the document held;
* Protocols -> Reload left the Techniques dock on the old library.
"""

from __future__ import annotations

import dataclasses

import pytest
from PySide6.QtCore import Qt
from window_helpers import answer_all_no

from bodymap.planner import MAX_PAIN_POINTS


def test_typing_notes_neither_replans_nor_moves_the_playhead(make_window, qtbot):
    window = make_window(condition="hypertension")
    answer_all_no(window)
    clock = window.controller.clock
    clock.seek(clock.timeline.start_of(1) + 0.5)  # half a minute into step 2
    position, plan = clock.position(), window.plan
    assert window.parts.player.current_step() == 1

    window.parts.panel.notes_edit.setFocus()
    qtbot.keyClicks(window.parts.panel.notes_edit, "sore after work")
    qtbot.keyClicks(window.parts.panel.name_edit, "Anna")

    assert window.parts.panel.notes_edit.toPlainText() == "sore after work"
    assert clock.position() == pytest.approx(position), "the playhead moved"
    assert window.parts.player.current_step() == 1 and window.parts.map.current_step() == 1
    assert window.plan is plan, "a keystroke in the record re-planned"
    assert window.controller.document().notes == "sore after work"
    assert window.isWindowModified()  # but it is unsaved work all the same


def _click_back(qtbot, view, x: float, y: float) -> None:
    pos = view.back_to_widget(x, y).toPoint()
    qtbot.mouseClick(view, Qt.MouseButton.LeftButton, pos=pos)


def test_the_map_shows_exactly_the_pain_points_the_document_holds(make_window, qtbot):
    window = make_window(condition="radiculitis")
    answer_all_no(window)
    window.resize(1400, 900)
    view = window.parts.map
    # a column of places down the left side of the back, far enough apart not to toggle
    points = [(235.0, 250.0 + 35.0 * i) for i in range(MAX_PAIN_POINTS + 1)]
    for x, y in points:
        window.mark_actions["pain"].trigger()  # the tool marks once, then switches off
        _click_back(qtbot, view, x, y)
    held = window.controller.document().pain_points
    assert len(held) == MAX_PAIN_POINTS
    assert len(view.pain_points()) == MAX_PAIN_POINTS, "one star more than the document"
    assert [tuple(p) for p in view.pain_points()] == [tuple(p) for p in held]
    assert "12" in window.parts.change_notice.text()  # the limit is said, not hidden


def test_reload_shows_the_new_library_in_the_techniques_dock(make_window, monkeypatch, data):
    library, _ = data
    window = make_window(condition="hypertension")
    window.parts.techniques_dock.show()
    stroking = library.techniques["stroking"]
    edited = stroking.model_copy(
        update={"name": stroking.name.model_copy(update={"en": "Stroking (edited)"})})
    reloaded = dataclasses.replace(library, techniques={**library.techniques,
                                                        "stroking": edited})
    import bodymap.library

    monkeypatch.setattr(bodymap.library, "load_library", lambda *a, **k: reloaded)
    assert window.reload_protocols()
    tree = window.techniques.tree
    names = [tree.topLevelItem(i).text(0) for i in range(tree.topLevelItemCount())]
    assert "Stroking (edited)" in names
    window.techniques.select("stroking")
    assert window.techniques.closeup.title.text() == "Stroking (edited)"
    window.parts.techniques_dock.hide()
