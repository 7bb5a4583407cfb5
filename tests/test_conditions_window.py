
"""Several conditions in the window (issue #9): add and remove further conditions, see the plan
follow, save and reopen them."""

from __future__ import annotations

import json

from PySide6.QtCore import Qt
from window_helpers import answer_all_no

from bodymap import i18n


def add(window, cid: str) -> None:
    """Choose ``cid`` in "Add another condition…", as the user does."""
    combo = window.parts.panel.conditions_box.add_combo
    index = combo.findData(cid, Qt.ItemDataRole.UserRole)
    assert index >= 0 and combo.model().item(index).isEnabled()
    combo.setCurrentIndex(index)
    combo.activated.emit(index)


def remove(window, cid: str) -> None:
    box = window.parts.panel.conditions_box
    row = [box.further_list.item(i).data(Qt.ItemDataRole.UserRole)
           for i in range(box.further_list.count())].index(cid)
    box.further_list.setCurrentRow(row)
    box.remove_button.click()


def test_further_conditions_are_added_shown_and_removed(make_window, data):
    library, _ = data
    window = make_window(condition="hypertension")
    box = window.parts.panel.conditions_box
    assert not box.further_list.isVisible() and not box.remove_button.isEnabled()
    add(window, "scoliosis")
    assert window.controller.document().conditions == ("hypertension", "scoliosis")
    assert box.further_list.isVisible()
    assert box.further_list.item(0).text() == library.conditions["scoliosis"].name.en
    # a chosen condition cannot be added twice, nor the lead again
    combo = box.add_combo
    for cid in ("hypertension", "scoliosis"):
        assert not combo.model().item(combo.findData(cid, Qt.ItemDataRole.UserRole)).isEnabled()
    add(window, "stress")
    remove(window, "scoliosis")
    assert window.controller.document().conditions == ("hypertension", "stress")
    # choosing a further condition as the lead moves it, it is never listed twice, and the
    # condition that led stays with the patient, under "Also"
    box.condition_combo.setCurrentIndex(
        box.condition_combo.findData("stress", Qt.ItemDataRole.UserRole))
    assert window.controller.document().conditions == ("stress", "hypertension")
    assert box.further_list.count() == 1


def test_conditions_are_saved_and_reopened_in_order(make_window, tmp_path):
    window = make_window(condition="hypertension")
    answer_all_no(window)
    add(window, "scoliosis")
    add(window, "stress")
    path = tmp_path / "two.bodymap.json"
    assert window.documents.save_to(path)
    saved = json.loads(path.read_text(encoding="utf-8"))
    assert saved["version"] == 3
    assert saved["profile"]["conditions"] == ["hypertension", "scoliosis", "stress"]

    other = make_window(condition="back-pain")
    assert other.documents.open_path(path), other.prompter.errors
    assert other.controller.document().conditions == ("hypertension", "scoliosis", "stress")
    assert other.parts.panel.conditions() == ("hypertension", "scoliosis", "stress")
    assert not other.isWindowModified()


def test_the_picker_speaks_russian(make_window):
    window = make_window(condition="hypertension")
    add(window, "scoliosis")
    window.set_language("ru")
    box = window.parts.panel.conditions_box
    assert box.also_label.text() == "А также:"
    assert box.remove_button.text() == "Убрать"
    assert box.add_combo.placeholderText() == "Добавить ещё заболевание…"
    assert box.further_list.item(0).text() == window.library.conditions["scoliosis"].name.ru
    i18n.set_language("en")


def test_a_further_condition_changes_the_plan_the_map_and_the_notes(make_window, data):
    """Hypertension (collar zone) with bronchitis: the bronchitis zones join the emphasis, the
    steps and the map follow, and the notes say which condition leads and what the other
    changed, in both languages."""
    library, _ = data
    window = make_window(condition="hypertension")
    answer_all_no(window)
    window.parts.panel.session_spin.setValue(5)
    alone = window.plan
    assert alone.emphasis_zones == ("collar",)
    add(window, "bronchitis")
    plan = window.plan
    assert plan.status == "ok" and plan.conditions == ("hypertension", "bronchitis")
    assert set(plan.emphasis_zones) > set(alone.emphasis_zones)
    assert [s.zones for s in plan.steps] != [s.zones for s in alone.steps]
    assert window.parts.map.plan() is plan and window.parts.steps.rowCount() == len(plan.steps)
    assert library.conditions["bronchitis"].name.en in window.parts.banner.text()
    notes = window.parts.notes.toPlainText()
    assert "Several conditions" in notes
    assert all(c.text["en"] in notes for c in plan.combined)
    window.set_language("ru")
    notes = window.parts.notes.toPlainText()
    assert "Несколько заболеваний" in notes and plan.combined[0].text["ru"] in notes
    i18n.set_language("en")
    remove(window, "bronchitis")
    assert window.plan.conditions == ("hypertension",)
    assert window.plan.emphasis_zones == ("collar",)
    assert "Several conditions" not in window.parts.notes.toPlainText()


def test_adding_a_condition_never_widens_the_no_touch_areas(make_window):
    window = make_window(condition="back-pain")
    answer_all_no(window)
    window.parts.panel.add_hernia("L4-L5", "left", "initial")
    before = {n.id for n in window.plan.no_touch}
    add(window, "hernia")
    after = {n.id for n in window.plan.no_touch}
    assert before <= after and "hernia-site-L4-L5-left" in after


def test_the_window_opens_on_several_conditions(make_window, monkeypatch):
    """`bodymap --condition hypertension --condition bronchitis`: the window opens on both."""
    import bodymap.widgets.app as app
    from bodymap import cli

    asked = []
    monkeypatch.setattr(app, "run_gui", lambda condition=None: asked.append(condition) or 0)
    assert cli.main(["--condition", "hypertension", "--condition", "bronchitis"]) == 0
    assert asked == [["hypertension", "bronchitis"]]

    window = make_window(condition=tuple(asked[0]))
    assert window.controller.document().conditions == ("hypertension", "bronchitis")
    assert window.parts.panel.conditions() == ("hypertension", "bronchitis")
    assert window.plan.conditions == ("hypertension", "bronchitis")


def test_the_hernia_level_list_never_says_no_hernia_beside_a_hernia(qtbot):
    """With a hernia among the conditions, the level's empty choice says the level is not
    given yet (not "No hernia"); without one it says "No hernia". The same for scoliosis."""
    from bodymap import i18n
    from bodymap.geometry import load_geometry
    from bodymap.library import load_library
    from bodymap.widgets.panels import PatientPanel

    panel = PatientPanel()
    qtbot.addWidget(panel)
    panel.set_library(load_library(None), load_geometry())
    panel.set_conditions(("osteochondrosis-lumbosacral",))
    assert panel.hernia_level.itemText(0) == "No hernia"
    assert panel.scoliosis_side.itemText(0) == "No scoliosis"
    panel.set_conditions(("osteochondrosis-lumbosacral", "hernia"))
    assert panel.hernia_level.itemText(0) == "Level not given yet"
    panel.set_conditions(("scoliosis",))
    assert panel.hernia_level.itemText(0) == "No hernia"
    assert panel.scoliosis_side.itemText(0) == "Shape not given yet"
    i18n.set_language("ru")
    panel.retranslate()  # as the main window does on a language change
    try:
        assert panel.scoliosis_side.itemText(0) == "Форма ещё не указана"
        panel.set_conditions(("hernia",))
        assert panel.hernia_level.itemText(0) == "Уровень ещё не указан"
        assert panel.scoliosis_side.itemText(0) == "Сколиоза нет"
    finally:
        i18n.set_language("en")
