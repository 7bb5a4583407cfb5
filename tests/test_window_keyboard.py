"""The window from the keyboard (issue 20, point 3).

* every screening answer is reached with Tab, and the answers are one group for the arrow
  keys (Left / Right within a question, Up / Down between questions);
* Space belongs to the focused control (a Yes button, the lesion list); it plays or pauses
  only on the player, the map and the presentation.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from window_helpers import answer_all_no


def focused():
    return QApplication.focusWidget()


def shown(qtbot, window):
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window, timeout=3000)


def test_tab_reaches_every_screening_answer(make_window, qtbot):
    window = make_window(condition="hypertension")
    shown(qtbot, window)
    questions = window.parts.panel.checklist.questions
    answers = {b for q in questions.values() for b in (q.yes, q.no)}
    assert len(answers) == 2 * len(questions) >= 60
    window.parts.panel.condition_combo.setFocus(Qt.FocusReason.TabFocusReason)
    reached = set()
    for _ in range(len(answers) + 60):
        qtbot.keyClick(focused(), Qt.Key.Key_Tab)
        reached.add(focused())
        if answers <= reached:
            break
    assert answers <= reached, f"{len(answers - reached)} answers never reached by Tab"


def test_the_arrow_keys_move_within_and_between_questions(make_window, qtbot):
    window = make_window(condition="hypertension")
    shown(qtbot, window)
    first, second = list(window.parts.panel.checklist.questions.values())[:2]
    first.yes.setFocus(Qt.FocusReason.TabFocusReason)
    for key, expected in ((Qt.Key.Key_Right, first.no), (Qt.Key.Key_Down, second.no),
                          (Qt.Key.Key_Left, second.yes), (Qt.Key.Key_Up, first.yes)):
        qtbot.keyClick(focused(), key)
        assert focused() is expected
    qtbot.keyClick(focused(), Qt.Key.Key_Space)
    assert first.answer() is True  # Space answers the focused button


def test_space_on_a_focused_answer_answers_it_and_plays_nothing(make_window, qtbot):
    window = make_window(condition="hypertension")
    answer_all_no(window)
    assert window.controller.playable_plan() is not None
    shown(qtbot, window)
    question = window.parts.panel.checklist.questions["fever"]
    question.yes.setFocus(Qt.FocusReason.TabFocusReason)
    qtbot.keyClick(question.yes, Qt.Key.Key_Space)
    assert question.answer() is True
    assert window.controller.document().profile.present == ("fever",)
    assert not window.controller.is_playing()


def test_space_in_the_lesion_list_marks_a_lesion_and_plays_nothing(make_window, qtbot):
    window = make_window(condition="hypertension")
    answer_all_no(window)
    shown(qtbot, window)
    lesions = window.parts.panel.lesions
    lesions.setFocus(Qt.FocusReason.TabFocusReason)
    lesions.setCurrentRow(0)
    qtbot.keyClick(lesions, Qt.Key.Key_Space)
    assert window.controller.document().profile.lesions == ("collar-left",)
    assert not window.controller.is_playing()


def test_space_plays_on_the_player_and_on_the_map(make_window, qtbot):
    window = make_window(condition="hypertension")
    answer_all_no(window)
    shown(qtbot, window)
    c = window.controller
    window.parts.player.play_button.setFocus(Qt.FocusReason.TabFocusReason)
    qtbot.keyClick(focused(), Qt.Key.Key_Space)
    assert c.is_playing()
    view = window.parts.map
    qtbot.mouseClick(view, Qt.MouseButton.LeftButton, pos=view.rect().center())
    assert focused() is view
    qtbot.keyClick(view, Qt.Key.Key_Space)
    assert not c.is_playing()
    qtbot.keyClick(view, Qt.Key.Key_Space)
    assert c.is_playing()
    c.request_pause()
