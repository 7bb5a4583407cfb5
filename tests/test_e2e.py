
"""End to end: what a therapist does with the window, driven through its widgets."""

from __future__ import annotations

import json

import pytest
from PySide6.QtCore import Qt
from window_helpers import Prompts, answer, answer_all_no

from bodymap.widgets.clock import PlaybackClock


@pytest.fixture
def fast_clock(monkeypatch):
    monkeypatch.setattr(PlaybackClock, "TICK_MS", 5)


def test_pick_condition_plan_shown_then_play_moves_playhead_and_map(
        make_window, qtbot, fast_clock):
    window = make_window()
    combo = window.parts.panel.condition_combo
    combo.setCurrentIndex(combo.findData("hypertension", Qt.ItemDataRole.UserRole))
    assert window.plan is not None and window.plan.condition == "hypertension"
    answer_all_no(window)
    assert window.plan.status == "ok"
    assert window.parts.steps.rowCount() == len(window.plan.steps) >= 3
    assert window.parts.steps.isVisible()
    assert window.parts.map.current_step() == 0

    player = window.parts.player
    player.set_speed(10.0)
    # start just before step 2 so that 10x reaches it quickly
    clock = window.controller.clock
    clock.seek(clock.timeline.start_of(1) - 0.01)
    assert window.parts.map.current_step() == 0
    before = player.plot.playhead()
    with qtbot.waitSignal(window.controller.playingChanged, timeout=2000):
        player.play_button.click()
    assert window.parts.map.is_playing()
    qtbot.waitUntil(lambda: player.plot.playhead() > before + 0.005, timeout=5000)
    qtbot.waitUntil(lambda: window.parts.map.current_step() == 1, timeout=5000)
    assert window.parts.steps.current_step() == 1
    player.play_button.click()
    assert not clock.is_playing() and not window.parts.map.is_playing()


def test_blocking_contraindication_hides_the_plan_and_says_why(make_window, data):
    library, _ = data
    window = make_window(condition="hypertension")
    # unanswered: blocked with "screening incomplete"
    assert window.plan.status == "blocked"
    assert any(r.kind == "unanswered" for r in window.plan.reasons)
    assert "Screening incomplete" in window.parts.banner.text()
    assert window.parts.steps_pane.currentWidget() is window.parts.steps_pane.empty
    assert window.controller.clock.timeline.total == 0

    answer_all_no(window)
    assert window.plan.status == "ok" and window.controller.clock.timeline.total > 0

    # one unanswered question is enough to block again
    answer(window, "alcohol", None)
    assert window.plan.status == "blocked"
    assert "Screening incomplete: 1 question is not answered yet" in window.parts.banner.text()

    answer(window, "alcohol", False)
    window.parts.panel.checklist.questions["fever"].yes.click()
    assert window.plan.status == "blocked"
    assert window.parts.banner.kind == "blocked"
    assert library.contraindications["fever"].explanation.en in window.parts.banner.text()
    assert "No massage" in window.parts.banner.text()
    assert window.parts.steps.rowCount() == 0
    assert window.parts.steps_pane.currentWidget() is window.parts.steps_pane.empty
    assert not window.parts.player.play_button.isEnabled()
    assert window.controller.clock.timeline.total == 0


def test_save_then_reopen_gives_the_same_plan(make_window, tmp_path):
    window = make_window(condition="hernia")
    answer_all_no(window)
    window.parts.panel.add_hernia("L5-S1", "right", "initial")
    window.parts.panel.toggle_lesion("collar-left")
    window.parts.panel.session_spin.setValue(4)
    window.parts.panel.name_edit.setText("Ivan Petrov")
    window.parts.panel.notes_edit.setPlainText("pain after long sitting\nsecond line")
    plan, doc = window.plan, window.controller.document()
    window.prompter.save_path = str(tmp_path / "ivan.bodymap.json")
    assert window.documents.save_as()
    assert json.loads((tmp_path / "ivan.bodymap.json").read_text())["patient"]["name"] == \
        "Ivan Petrov"

    other = make_window(condition="hypertension")
    assert other.documents.open_document(tmp_path / "ivan.bodymap.json"), other.prompter.errors
    assert other.controller.document() == doc
    assert other.plan.to_json() == plan.to_json()
    assert other.parts.steps.rowCount() == len(plan.steps)
    assert other.parts.panel.notes_edit.toPlainText() == "pain after long sitting\nsecond line"
    assert not other.isWindowModified()
    assert other.windowTitle().startswith("ivan.bodymap.json")


def test_a_crash_in_the_middle_of_a_save_keeps_the_previous_file(
    make_window, tmp_path, monkeypatch
):
    window = make_window(condition="hypertension")
    answer_all_no(window)
    path = tmp_path / "plan.bodymap.json"
    window.prompter.save_path = str(path)
    assert window.documents.save_as()
    before = path.read_bytes()

    window.parts.panel.session_spin.setValue(3)  # an unsaved change
    import bodymap.safeio as safeio

    def power_cut(src, dst):  # the new file is written, but the rename never happens
        raise OSError(5, "Input/output error")

    monkeypatch.setattr(safeio.os, "replace", power_cut)
    assert not window.documents.save()
    monkeypatch.undo()

    assert path.read_bytes() == before, "the previous file is intact"
    assert [p.name for p in tmp_path.iterdir()] == ["plan.bodymap.json"], "temp file left"
    assert window.prompter.errors and "plan.bodymap.json" in window.prompter.errors[-1]
    assert window.isWindowModified(), "the change is still marked unsaved"
    assert window.documents.save()  # and saving again works
    assert json.loads(path.read_text())["profile"]["session"] == 3


def test_patient_name_from_a_file_is_shown_literally(make_window, tmp_path):
    name = "<b>Bold</b><img src=x>"
    path = tmp_path / "html.bodymap.json"
    path.write_text(json.dumps({
        "format": "bodymap-plan", "version": 1,
        "patient": {"name": name, "notes": "<i>not italic</i>"},
        "profile": {"condition": "hypertension", "answered": None},
    }))
    window = make_window()
    assert window.documents.open_document(path), window.prompter.errors
    assert window.parts.panel.name_edit.text() == name
    assert window.parts.panel.notes_edit.toPlainText() == "<i>not italic</i>"
    assert window.windowTitle().startswith("html.bodymap.json")
    # every label in the window that shows file text is plain text
    window.enter_presentation()
    try:
        for label in window.findChildren(type(window.parts.panel.summary)):
            if name in label.text():
                assert label.textFormat() == Qt.TextFormat.PlainText
    finally:
        window.leave_presentation()


def test_autosave_then_recovery_offered_on_next_start(make_window, qtbot, monkeypatch):
    from bodymap.widgets.mainwindow import MainWindow

    monkeypatch.setattr(MainWindow, "AUTOSAVE_MS", 50)
    window = make_window(condition="hypertension")
    assert window.autosave_timer.objectName() == "autosaveTimer"
    assert window.autosave_timer.isActive()
    answer_all_no(window)
    window.parts.panel.name_edit.setText("Olga")
    store = window.documents.store()
    qtbot.waitUntil(lambda: store.path_for(None).exists(), timeout=3000)
    # simulate a crash: the window goes away without the clean-close discard
    window.autosave_timer.stop()
    monkeypatch.setattr(store, "discard", lambda original: None)
    window.hide()

    prompts = Prompts()
    prompts.replies["recover"] = "recover"
    again = make_window(prompts=prompts)
    assert any("recover" in choices for _, _, choices in prompts.asked)
    assert "Olga" in next(text for _, text, c in prompts.asked if "recover" in c)
    assert again.parts.panel.name_edit.text() == "Olga"
    assert again.plan.status == "ok"
    assert again.isWindowModified()  # recovered work is not saved yet


def test_declining_recovery_discards_the_copy(make_window, qtbot, monkeypatch):
    window = make_window(condition="hypertension")
    answer(window, "fever", False)
    path = window.documents.autosave_now()
    assert path is not None and path.exists()
    window.hide()
    prompts = Prompts()
    prompts.replies["recover"] = "discard"
    again = make_window(prompts=prompts)
    assert prompts.asked and not path.exists()
    assert again.parts.panel.checklist.answers()["fever"] is None


def test_unsaved_changes_prompt_on_close(make_window, tmp_path):
    window = make_window(condition="hypertension")
    answer(window, "fever", False)
    window.prompter.replies["unsaved"] = "cancel"
    assert not window.close()
    assert window.isVisible()
    assert window.prompter.asked[-1][2] == ("save", "discard", "cancel")
    window.prompter.replies["unsaved"] = "save"
    window.prompter.save_path = str(tmp_path / "closing.bodymap.json")
    assert window.close()
    assert (tmp_path / "closing.bodymap.json").exists()
    assert not window.documents.store().path_for(None).exists()


def test_switching_language_changes_visible_text(make_window):
    window = make_window(condition="hypertension")
    before = (window.menus["file"].title(), window.parts.panel.screening_box.title(),
              window.parts.banner.text(), window.parts.player.play_action.text())
    window.lang_actions["ru"].trigger()
    after = (window.menus["file"].title(), window.parts.panel.screening_box.title(),
             window.parts.banner.text(), window.parts.player.play_action.text())
    assert all(a != b for a, b in zip(before, after, strict=True))
    assert window.menus["view"].title() == "&Вид" and window.menus["help"].title() == "&Справка"
    assert "Гипертоническая болезнь" in window.parts.panel.condition_combo.currentText()
    answer_all_no(window)
    assert "Гипертоническая болезнь" in window.parts.banner.text()
    window.lang_actions["en"].trigger()
    assert window.menus["file"].title() == "&File"
    assert "Hypertension" in window.parts.banner.text()

