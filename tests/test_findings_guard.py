"""Findings never change by accident (issue 20, point 2), each as a therapist meets it.

* a wheel turn over a combo box or spin box scrolls the panel; it changes a value only while
  the control is being edited (every such control in the window is tried, so a new one that
  is not guarded fails here);
* a marking tool marks once: a later click on the map never moves the hernia;
* moving the hernia (and every other change of conditions, findings, marks and answers) can be
  undone and redone, from Edit, Ctrl+Z / Ctrl+Shift+Z and the status bar, which says what
  changed in the interface language;
* choosing another lead condition keeps every other condition;
* File -> New starts a new patient with nothing of the previous one.
"""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtGui import QWheelEvent
from PySide6.QtWidgets import QAbstractSpinBox, QApplication, QComboBox, QWidget
from window_helpers import answer, answer_all_no

from bodymap.i18n import tr

HERNIA_CONDITIONS = ("osteochondrosis-lumbosacral", "hernia", "scoliosis")


def wheel(widget: QWidget, notches: int = -1) -> QWheelEvent:
    """One turn of the mouse wheel over the middle of ``widget`` (down by default)."""
    centre = QPointF(widget.rect().center())
    event = QWheelEvent(centre, QPointF(widget.mapToGlobal(centre.toPoint())), QPoint(0, 0),
                        QPoint(0, 120 * notches), Qt.MouseButton.NoButton,
                        Qt.KeyboardModifier.NoModifier, Qt.ScrollPhase.NoScrollPhase, False)
    QApplication.sendEvent(widget, event)
    return event


def value_of(control: QWidget) -> object:
    if isinstance(control, QComboBox):
        return control.currentIndex()
    assert isinstance(control, QAbstractSpinBox)
    return control.text()


# ---------------------------------------------------------------------------------------------
# the wheel


def test_a_wheel_turn_over_any_choice_changes_nothing_while_it_is_not_edited(make_window):
    window = make_window(condition=HERNIA_CONDITIONS)
    answer_all_no(window)
    window.controller.request_profile(hernias=[("L4-L5", "left", "initial")],
                                      scoliosis=[("left", 2)])
    window.parts.player.show()
    QApplication.processEvents()
    before = window.controller.document()
    controls = [c for c in (*window.findChildren(QComboBox),
                            *window.findChildren(QAbstractSpinBox)) if c.isEnabled()]
    names = {c.objectName() for c in controls}
    assert {"herniaLevel", "herniaSide", "herniaStage", "scoliosisSide", "scoliosisRegion",
            "scoliosisGrade", "conditionCombo", "sessionSpin", "speedBox"} <= names
    window.setFocus()
    for control in controls:
        assert control.focusPolicy() != Qt.FocusPolicy.WheelFocus, control.objectName()
        assert not control.hasFocus()
        for notches in (-1, 1, -1):
            value = value_of(control)
            wheel(control, notches)
            assert value_of(control) == value, control.objectName()
        assert not control.hasFocus(), control.objectName()  # a wheel turn gives no focus
    assert window.controller.document() == before
    assert not window.controller.undo_stack.canRedo()


def test_the_wheel_goes_on_to_the_panel_over_the_hernia_level(make_window):
    """The turn is left unaccepted, which is what makes Qt offer a real (spontaneous) wheel
    event to the parent: the scroll area. (A synthetic event is never passed on by Qt, so
    the scrolling itself is shown by the scripted walk under Xvfb, docs/walkthrough.md.)"""
    window = make_window(condition=HERNIA_CONDITIONS)
    window.controller.request_hernia("L4-L5", "left")
    level = window.parts.panel.hernia_level
    event = wheel(level, -1)
    assert not event.isAccepted()
    assert level.currentData() == "L4-L5"


def test_a_choice_being_edited_still_takes_the_wheel(make_window, qtbot):
    window = make_window(condition=HERNIA_CONDITIONS)
    window.controller.request_hernia("L4-L5", "left")
    level = window.parts.panel.hernia_level
    window.activateWindow()
    level.setFocus(Qt.FocusReason.MouseFocusReason)
    qtbot.waitUntil(level.hasFocus, timeout=2000)
    wheel(level, -1)
    assert level.currentData() == "L5-S1"
    assert window.controller.document().profile.hernias[0].level == "L5-S1"


# ---------------------------------------------------------------------------------------------
# marking tools and undo


def click_back(qtbot, window, x: float, y: float) -> None:
    view = window.parts.map
    qtbot.mouseClick(view, Qt.MouseButton.LeftButton, pos=view.back_to_widget(x, y).toPoint())


def place_hernia(qtbot, window, level: str, x: float) -> None:
    window.mark_actions["hernia"].trigger()
    click_back(qtbot, window, x, window.controller.geometry.level_y(level) + 2)


def sites(window) -> list[tuple[str, str]]:
    return [(h.level, h.side) for h in window.controller.document().profile.hernias]


def test_the_hernia_tool_marks_once_and_a_later_click_moves_nothing(make_window, qtbot):
    window = make_window(condition=HERNIA_CONDITIONS)
    answer_all_no(window)
    window.resize(1400, 900)
    place_hernia(qtbot, window, "L4-L5", 270)
    assert sites(window) == [("L4-L5", "left")]
    assert window.parts.map.mark_mode() is None
    assert not window.mark_actions["hernia"].isChecked()
    click_back(qtbot, window, 330, window.controller.geometry.level_y("T6-T7"))  # later
    assert sites(window) == [("L4-L5", "left")]
    assert window.parts.map.selected_zone() is not None  # the click selected a zone


def test_a_moved_hernia_can_be_undone_and_redone_and_the_status_bar_says_so(make_window,
                                                                           qtbot):
    window = make_window(condition=HERNIA_CONDITIONS)
    answer_all_no(window)
    window.resize(1400, 900)
    place_hernia(qtbot, window, "L4-L5", 270)
    notice = window.parts.change_notice
    assert notice.text() == "Hernia placed: L4-L5 left — Undo"
    panel = window.parts.panel
    panel.hernias.list.setCurrentRow(0)  # the marked hernia, edited in the panel
    panel.hernia_level.setCurrentIndex(panel.hernia_level.findData("T6-T7"))
    panel.hernia_side.setCurrentIndex(panel.hernia_side.findData("right"))
    assert sites(window) == [("T6-T7", "right")]
    assert notice.text() == "Hernia moved: T6-T7 left → T6-T7 right — Undo"
    assert window.act("undo").text().replace("&", "") == \
        "Undo: Hernia moved: T6-T7 left → T6-T7 right"
    window.activateWindow()
    window.parts.map.setFocus()
    qtbot.keyClick(window.parts.map, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClick(window.parts.map, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert sites(window) == [("L4-L5", "left")]
    assert panel.hernia_level.currentData() == "L4-L5"  # the form follows
    assert notice.text() == "Undone: Hernia moved: L4-L5 left → T6-T7 left — Redo"
    assert any(n.id.startswith("hernia-site") for n in window.plan.no_touch)
    qtbot.keyClick(window.parts.map, Qt.Key.Key_Z,
                   Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    assert sites(window) == [("T6-T7", "left")]
    notice.button.click()  # the status bar's Undo
    assert sites(window) == [("L4-L5", "left")]


def test_a_second_hernia_marked_on_the_map_is_added_and_undone(make_window, qtbot):
    window = make_window(condition=HERNIA_CONDITIONS)
    answer_all_no(window)
    window.resize(1400, 900)
    place_hernia(qtbot, window, "L4-L5", 270)
    place_hernia(qtbot, window, "L5-S1", 330)
    assert sites(window) == [("L4-L5", "left"), ("L5-S1", "right")]
    assert window.parts.change_notice.text() == "Hernia placed: L5-S1 right — Undo"
    window.controller.undo()
    assert sites(window) == [("L4-L5", "left")]


def test_the_change_is_said_in_russian(make_window, qtbot):
    window = make_window(condition=HERNIA_CONDITIONS)
    answer_all_no(window)
    window.controller.request_profile(hernias=[("L4-L5", "left", "initial")])
    window.controller.request_profile(hernias=[("T6-T7", "right", "initial")])
    window.set_language("ru")
    assert window.parts.change_notice.text() == \
        "Грыжа перенесена: L4-L5, слева → Th6-Th7, справа — Отменить"  # Th: thoracic, in Russian
    assert window.act("undo").text().replace("&", "") == \
        "Отменить: Грыжа перенесена: L4-L5, слева → Th6-Th7, справа"


@pytest.mark.parametrize("change", ["condition", "lead", "session", "scoliosis", "lesion", "pain",
                                    "answer", "all_no", "hernia_form"])
def test_every_change_of_the_profile_can_be_undone(make_window, change):
    window = make_window(condition=("hypertension", "scoliosis"))
    panel = window.parts.panel
    if change != "all_no":
        answer_all_no(window)
    c = window.controller
    before = c.document()
    box = panel.conditions_box
    if change == "condition":
        box.add_condition("stress")
    elif change == "lead":
        box.condition_combo.setCurrentIndex(
            box.condition_combo.findData("scoliosis", Qt.ItemDataRole.UserRole))
    elif change == "session":
        panel.session_spin.setValue(3)
    elif change == "scoliosis":
        panel.scoliosis_side.setCurrentIndex(2)
        panel.curves.add_button.click()
    elif change == "lesion":
        c.request_toggle_lesion("thoracic-left")
    elif change == "pain":
        assert c.request_pain_point(250.0, 640.0) == "added"
    elif change == "answer":
        answer(window, "fever", True)
    elif change == "all_no":
        window.act("mark_all_no").trigger()
    elif change == "hernia_form":
        box.add_condition("hernia")
        before = c.document()
        panel.hernia_level.setCurrentIndex(panel.hernia_level.findData("L3-L4"))
        panel.hernias.add_button.click()
    assert c.document() != before
    said = window.parts.change_notice.text()
    assert said.endswith(" — Undo") and len(said) > len(" — Undo") + 5
    window.act("undo").trigger()
    assert c.document() == before
    assert panel.profile_fields() == {**panel.profile_fields(),
                                      "conditions": before.conditions,
                                      "session": before.profile.session}
    window.act("redo").trigger()
    assert c.document() != before


def test_undo_keeps_the_name_typed_since(make_window):
    window = make_window(condition="hypertension")
    answer_all_no(window)
    window.controller.request_toggle_lesion("collar-left")
    window.parts.panel.name_edit.setText("Anna")
    window.act("undo").trigger()
    assert window.controller.document().patient_name == "Anna"
    assert window.controller.document().profile.lesions == ()


def test_spin_box_steps_are_one_undo_step(make_window):
    window = make_window(condition="hypertension")
    spin = window.parts.panel.session_spin
    for value in (2, 3, 4):
        spin.setValue(value)
    assert window.parts.change_notice.text() == "Session 1 → 4 — Undo"
    window.act("undo").trigger()
    assert window.controller.document().profile.session == 1
    assert not window.controller.undo_stack.canUndo() or \
        window.controller.undo_stack.command(0).text() != "Session 1 → 2"


def test_a_new_or_opened_document_starts_a_new_history(make_window):
    window = make_window(condition="hypertension")
    answer_all_no(window)
    assert window.act("undo").isEnabled()
    window.documents.new_document()
    assert not window.act("undo").isEnabled() and not window.act("redo").isEnabled()
    assert window.act("undo").text().replace("&", "") == tr("action.undo").replace("&", "")


# ---------------------------------------------------------------------------------------------
# conditions and new patients


def test_choosing_the_other_condition_as_lead_keeps_the_first(make_window):
    """Hypertension + scoliosis, scoliosis made the lead: hypertension stays, under Also."""
    window = make_window(condition=("hypertension", "scoliosis"))
    combo = window.parts.panel.conditions_box.condition_combo
    combo.setCurrentIndex(combo.findData("scoliosis", Qt.ItemDataRole.UserRole))
    assert window.controller.document().conditions == ("scoliosis", "hypertension")
    assert window.parts.panel.conditions() == ("scoliosis", "hypertension")
    assert window.parts.change_notice.text() == \
        "Lead condition: Scoliosis (Hypertension kept under “Also”) — Undo"
    combo.setCurrentIndex(combo.findData("stress", Qt.ItemDataRole.UserRole))
    assert window.controller.document().conditions == ("stress", "scoliosis", "hypertension")


def test_file_new_carries_nothing_over_not_even_a_name_typed_before_a_condition(make_window):
    window = make_window()
    panel = window.parts.panel
    panel.name_edit.setText("Previous Patient")
    panel.notes_edit.setPlainText("private notes")
    answer(window, "fever", True)
    window.documents.new_document()  # the scripted prompter discards
    assert panel.name_edit.text() == "" and panel.notes_edit.toPlainText() == ""
    panel.set_conditions(("hypertension",))
    doc = window.controller.document()
    assert doc.patient_name == "" and doc.notes == "" and doc.profile.present == ()
    assert doc.profile.answered == ()


def test_a_name_typed_before_a_condition_stays_with_the_patient(make_window):
    window = make_window()
    window.parts.panel.name_edit.setText("Olga")
    assert window.controller.document().is_draft
    assert window.isWindowModified()  # typed work is work: it is asked about, autosaved
    window.parts.panel.set_conditions(("stress",))
    assert window.controller.document().patient_name == "Olga"
