"""The main window's parts: staged start-up, side panel, map marking, documents, settings, help.

Prompts never block: every window made here is given a scripted prompter (:class:`Prompts`)
that answers at once and records what was asked (the window routes every dialog through its
prompter). Settings live in a per-test INI file, autosaves in a per-test folder.
"""

from __future__ import annotations

import dataclasses
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QPlainTextEdit
from window_helpers import Prompts, answer, answer_all_no

from bodymap import i18n
from bodymap.errors import DataFileError
from bodymap.findings import Hernia
from bodymap.widgets import settings as prefs
from bodymap.widgets.mainwindow import MainWindow

ROOT = Path(__file__).resolve().parents[1]


# ---------------------------------------------------------------------------------------------
# start-up


@pytest.mark.slow
def hernias_of(window) -> tuple[Hernia, ...]:
    return window.controller.document().to_profile().hernias


def test_first_paint_does_not_wait_for_heavy_modules(tmp_path):
    """Before the first paint: no pyqtgraph, shapely, pydantic, planner or map (BRIEF start-up)."""
    code = r"""
import sys
from PySide6.QtWidgets import QApplication
app = QApplication(sys.argv)
from bodymap.widgets.mainwindow import MainWindow
from bodymap.widgets.prompts import Prompter
w = MainWindow()
heavy = ("pyqtgraph", "shapely", "pydantic", "bodymap.planner", "bodymap.widgets.mapview",
         "numpy")
seen = {}
def painted():
    seen["at_paint"] = [m for m in heavy if m in sys.modules]
w.firstPainted.connect(painted)
w.ready.connect(lambda: (seen.setdefault("ready", True), app.quit()))
w.show()
app.exec()
print("AT_PAINT", ",".join(seen["at_paint"]) or "-")
print("READY", seen.get("ready"), "pyqtgraph" in sys.modules)
"""
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", XDG_CONFIG_HOME=str(tmp_path),
               XDG_DATA_HOME=str(tmp_path))
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True,
                         text=True, timeout=120)
    assert "AT_PAINT -" in out.stdout, out.stdout + out.stderr
    # built is not painted: pyqtgraph comes after the map's paint (tests/test_progressive_start.py)
    assert "READY True False" in out.stdout, out.stdout + out.stderr


def test_missing_data_is_an_error_from_the_constructor(qtbot, monkeypatch, env):
    import bodymap.resources

    def missing(kind):
        raise FileNotFoundError(f"bodymap's {kind}/ folder was not found")

    monkeypatch.setattr(bodymap.resources, "resource_dir", missing)
    with pytest.raises(DataFileError, match="assets"):
        MainWindow(settings=env)


def test_malformed_data_after_paint_is_shown_and_exits(qtbot, monkeypatch, env):
    import bodymap.geometry

    def broken(path=None):
        raise DataFileError("malformed SVG", path="zones.svg", field="collar-left")

    monkeypatch.setattr(bodymap.geometry, "load_geometry", broken)
    prompts = Prompts()
    window = MainWindow(settings=env, prompter=prompts)
    qtbot.addWidget(window)
    window.ensure_loaded()
    assert not window.is_ready()
    assert prompts.errors and "zones.svg" in prompts.errors[0]
    assert "collar-left" in prompts.errors[0]


def test_user_protocol_problems_are_reported_without_blocking(make_window, data):
    library, _ = data
    problem = DataFileError("bad value", path="/home/x/protocols/mine.toml", field="step[2]")
    window = make_window(library=dataclasses.replace(library, problems=[problem]))
    assert window.parts.problems_button is not None and window.parts.problems_button.isVisible()
    assert "1" in window.parts.problems_button.text()
    assert window.prompter.errors == [] and window.prompter.asked == []
    window.parts.problems_button.click()
    dialog = window.parts.problems_button.dialog
    assert dialog.isVisible() and not dialog.isModal()
    text = dialog.findChild(QPlainTextEdit, "problemsText").toPlainText()
    assert "mine.toml" in text and "step[2]" in text


# ---------------------------------------------------------------------------------------------
# side panel


def test_conditions_are_grouped_named_and_summarised(make_window, data):
    library, _ = data
    window = make_window()
    combo = window.parts.panel.condition_combo
    model = combo.model()
    headers = [model.item(i) for i in range(model.rowCount())
               if model.item(i).data(Qt.ItemDataRole.UserRole) is None]
    ids = [model.item(i).data(Qt.ItemDataRole.UserRole) for i in range(model.rowCount())]
    assert headers and all(not h.isEnabled() for h in headers)
    assert sorted(i for i in ids if i) == sorted(library.conditions)
    window.parts.panel.set_condition("hypertension")
    name = library.conditions["hypertension"].name
    assert name.en in combo.currentText()
    assert window.parts.panel.summary.text() == library.conditions["hypertension"].summary.en
    assert window.parts.panel.session_spin.maximum() == \
        library.conditions["hypertension"].course.sessions


def test_checklist_starts_unanswered_and_blocks(make_window, data):
    library, _ = data
    window = make_window(condition="hypertension")
    answers = window.parts.panel.checklist.answers()
    assert set(answers) == set(library.contraindications)
    assert all(a is None for a in answers.values())
    assert window.plan.status == "blocked"
    assert window.parts.steps.rowCount() == 0
    assert window.parts.steps_pane.currentWidget() is window.parts.steps_pane.empty


def test_mark_all_no_asks_first(make_window):
    window = make_window(condition="hypertension")
    window.prompter.replies["confirm"] = "cancel"
    window.parts.panel.all_no_button.click()
    assert window.prompter.asked and "no" in window.prompter.asked[-1][1].lower()
    assert window.plan.status == "blocked"
    window.prompter.replies["confirm"] = "yes"
    answer(window, "fever", True)
    window.parts.panel.all_no_button.click()
    answers = window.parts.panel.checklist.answers()
    assert answers["fever"] is True  # a "yes" is never overwritten
    assert all(a is not None for a in answers.values())


def test_yes_no_buttons_toggle_back_to_unanswered(make_window):
    window = make_window(condition="hypertension")
    q = window.parts.panel.checklist.questions["fever"]
    q.yes.click()
    assert q.answer() is True
    q.no.click()
    assert q.answer() is False
    q.no.click()
    assert q.answer() is None


def test_findings_change_the_plan(make_window):
    window = make_window(condition="hernia")
    answer_all_no(window)
    assert window.plan.status == "blocked"  # the hernia's level is needed
    assert any(r.id == "hernia-level" for r in window.plan.reasons)
    window.parts.panel.add_hernia("L4-L5", "left", "initial")
    assert window.plan.status == "ok"
    assert any(n.id.startswith("hernia-site") for n in window.plan.no_touch)
    window.parts.panel.toggle_lesion("thoracic-right")
    assert "lesion-thoracic-right" in {n.id for n in window.plan.no_touch}
    window.parts.panel.session_spin.setValue(5)
    assert window.plan.session == 5


def test_map_marking_updates_the_panel_and_the_plan(make_window):
    window = make_window(condition="hernia")
    answer_all_no(window)
    window.mark_actions["hernia"].trigger()
    assert window.parts.map.mark_mode() == "hernia"
    window.parts.map.herniaPlaced.emit("L3-L4", "right")
    # the hernia is added and selected; its stage is not given yet, so the plan waits for it
    assert window.parts.panel.hernia_level.currentData() == "L3-L4"
    assert window.parts.panel.hernia_side.currentIndex() == 1
    assert window.plan.status == "blocked"
    assert "hernia-stage-L3-L4-right" in {r.id for r in window.plan.reasons}
    window.parts.panel.hernia_stage.setCurrentIndex(1)  # initial stage: edits the selected hernia
    assert window.plan.status == "ok"
    assert hernias_of(window) == (Hernia("L3-L4", "right", "initial"),)
    window.parts.map.herniaPlaced.emit("L5-S1", "left")  # a second hernia is added, not a swap
    assert [h.level for h in hernias_of(window)] == ["L3-L4", "L5-S1"]
    window.parts.map.herniaPlaced.emit("L5-S1", "left")  # a click on a marked one removes it
    assert [h.level for h in hernias_of(window)] == ["L3-L4"]
    assert window.plan.status == "ok"
    window.mark_actions["lesion"].trigger()
    assert window.parts.map.mark_mode() == "lesion"
    window.parts.map.lesionToggled.emit("collar-left")
    assert "collar-left" in window.parts.panel.lesion_zones()
    assert "lesion-collar-left" in {n.id for n in window.plan.no_touch}
    window.parts.map.painPointPlaced.emit(250.0, 700.0)
    assert window.parts.map.pain_points() == [(250.0, 700.0)]
    window.parts.map.painPointPlaced.emit(252.0, 703.0)  # clicked again: removed
    assert window.parts.map.pain_points() == []
    window.mark_actions["lesion"].trigger()  # unchecking leaves marking mode
    assert window.parts.map.mark_mode() is None


def test_selecting_a_step_seeks_the_player(make_window):
    window = make_window(condition="hypertension")
    answer_all_no(window)
    assert window.parts.steps.rowCount() == len(window.plan.steps) >= 3
    window.parts.steps.selectRow(2)
    start = window.controller.clock.timeline.start_of(2)
    assert window.controller.clock.position() == pytest.approx(start)
    assert window.parts.player.current_step() == 2
    assert window.parts.map.current_step() == 2


def test_banner_reasons_in_plain_words(make_window, data):
    library, _ = data
    window = make_window(condition="hypertension")
    answer_all_no(window)
    assert window.parts.banner.kind == "ok"
    refer = next(c for c in library.contraindications.values() if c.action == "refer")
    answer(window, refer.id, True)
    assert window.parts.banner.kind == "refer"
    assert "doctor" in window.parts.banner.text().lower()
    postpone = next(c for c in library.contraindications.values() if c.action == "postpone")
    answer(window, refer.id, False)
    answer(window, postpone.id, True)
    assert window.plan.status == "postponed" and window.parts.banner.kind == "postponed"
    assert postpone.explanation.en in window.parts.banner.text()


# ---------------------------------------------------------------------------------------------
# documents


def test_title_shows_file_name_and_modified_marker(make_window, tmp_path):
    window = make_window(condition="hypertension")
    assert "Untitled plan" in window.windowTitle() and not window.isWindowModified()
    answer(window, "fever", False)
    assert window.isWindowModified()
    window.prompter.save_path = str(tmp_path / "anna")
    assert window.documents.save()
    assert window.documents.path == (tmp_path / "anna.bodymap.json").resolve()
    assert window.windowTitle().startswith("anna.bodymap.json")
    assert not window.isWindowModified()
    answer(window, "fever", None)  # back to what is saved? no: saved had fever answered
    assert window.isWindowModified()
    answer(window, "fever", False)
    assert not window.isWindowModified()  # equal to the saved document again


def test_open_error_names_file_and_field_and_keeps_state(make_window, tmp_path):
    window = make_window(condition="hypertension")
    answer_all_no(window)
    before = window.controller.document()
    bad = tmp_path / "bad.bodymap.json"
    bad.write_text(json.dumps({"format": "bodymap-plan", "version": 1,
                               "profile": {"condition": "hypertension", "session": "two"}}))
    assert not window.documents.open_document(bad)
    assert "bad.bodymap.json" in window.prompter.errors[-1]
    assert "profile.session" in window.prompter.errors[-1]
    unknown = tmp_path / "unknown.bodymap.json"
    unknown.write_text(json.dumps({"format": "bodymap-plan", "version": 1,
                                   "profile": {"condition": "no-such-thing"}}))
    assert not window.documents.open_document(unknown)
    assert "profile.conditions" in window.prompter.errors[-1]
    assert "no-such-thing" in window.prompter.errors[-1]
    assert window.controller.document() == before and window.documents.path is None


def test_new_prompts_for_unsaved_changes(make_window):
    window = make_window(condition="hypertension")
    answer(window, "fever", True)
    window.prompter.replies["unsaved"] = "cancel"
    window.documents.new_document()
    assert window.parts.panel.checklist.answers()["fever"] is True
    window.prompter.replies["unsaved"] = "discard"
    window.documents.new_document()
    assert window.parts.panel.checklist.answers()["fever"] is None
    assert window.parts.panel.condition() is None  # a new patient: nothing carried over
    assert window.controller.document().is_draft
    assert not window.isWindowModified()


def test_recent_files_capped_and_missing_pruned(make_window, tmp_path, env):
    paths = []
    for i in range(10):
        p = tmp_path / f"p{i}.bodymap.json"
        p.write_text("{}")
        prefs.add_recent_file(env, p)
        paths.append(p)
    assert len(prefs.recent_files(env)) == prefs.MAX_RECENT
    assert prefs.recent_files(env)[0] == str(paths[-1].resolve())
    paths[-1].unlink()
    # Park the pointer off the window: hovering a toolbar button replaces the status message
    # with the button's tip (a pointer left over the toolbar by an earlier test did just that).
    from PySide6.QtGui import QCursor, QGuiApplication

    QCursor.setPos(QGuiApplication.primaryScreen().geometry().bottomRight())
    window = make_window()
    assert str(paths[-1].resolve()) not in prefs.recent_files(env)
    assert "no longer exist" in window.statusBar().currentMessage()
    paths[-2].unlink()
    assert not window.documents.open_recent(str(paths[-2].resolve()))
    assert window.prompter.infos and "p8.bodymap.json" in window.prompter.infos[-1]
    window.menus["recent"].aboutToShow.emit()
    names = [a.text() for a in window.menus["recent"].actions()]
    assert not any("p8" in n for n in names) and any("p7" in n for n in names)


def test_export_calls_the_handout(make_window, tmp_path, monkeypatch):
    import bodymap.widgets.handout as handout

    calls = []

    def fake(plan, path, *, geometry, library, lang, patient_name=""):
        calls.append((plan, Path(path), lang, patient_name))
        Path(path).write_bytes(b"%PDF-1.4")
        return Path(path)

    monkeypatch.setattr(handout, "export_handout", fake)
    window = make_window(condition="hypertension")
    answer_all_no(window)
    window.parts.panel.name_edit.setText("Anna")
    window.prompter.export_path = str(tmp_path / "handout")
    assert window.documents.export_handout()
    plan, path, lang, name = calls[-1]
    assert plan is window.plan and path.suffix == ".pdf" and lang == "en" and name == "Anna"


def test_export_real_png(make_window, tmp_path):
    window = make_window(condition="hypertension")
    answer_all_no(window)
    window.prompter.export_path = str(tmp_path / "handout.png")
    assert window.documents.export_handout(), window.prompter.errors
    from PySide6.QtGui import QImage

    image = QImage(str(tmp_path / "handout.png"))
    assert not image.isNull(), "the handout is a readable PNG"
    assert image.height() / image.width() == pytest.approx(297 / 210, rel=0.01)  # one A4 page


# ---------------------------------------------------------------------------------------------
# settings, language, help


def test_settings_are_remembered(make_window, env, qtbot):
    window = make_window(condition="back-pain")
    window.set_language("ru")
    window.resize(1150, 690)
    size = (window.width(), window.height())
    window.close()
    assert prefs.get_str(env, prefs.LANGUAGE) == "ru"
    i18n.set_language("en")
    again = make_window()
    assert i18n.language() == "ru"
    # the plan was never saved (its changes discarded): no file to reopen, and never the last
    # patient's conditions on a blank form
    assert again.parts.panel.condition() is None
    # the height fits the offscreen screen (800 x 800) and comes back as it was; the width is
    # more than the screen holds, so restoreGeometry clamps it to the screen (Qt's documented
    # behaviour), and the window's minimum width may widen it again
    assert abs(again.height() - size[1]) <= 20
    screen_width = again.screen().availableGeometry().width()
    assert again.width() >= min(size[0], screen_width) - 20
    assert prefs.get_bytes(env, prefs.STATE) is not None


def test_default_settings_stay_in_the_sandbox(sandbox_dir):
    settings = prefs.app_settings()
    assert Path(settings.fileName()).is_relative_to(sandbox_dir)


def test_russian_interface(make_window):
    window = make_window(condition="hypertension")
    window.lang_actions["ru"].trigger()
    assert window.menus["file"].title() == "&Файл"
    assert window.parts.panel.screening_box.title().startswith("1. Противопоказания")
    assert "Опрос не завершён" in window.parts.banner.text()
    assert window.parts.tabs.tabText(0) == "Шаги сеанса"
    answer_all_no(window)
    assert window.parts.steps.horizontalHeaderItem(0).text() == "Приём"
    assert window.parts.steps.item(0, 0).text() == "Поглаживание" or \
        window.parts.steps.item(0, 0).text().startswith(("Поглаж", "Лёгкое", "Плоскостное"))


def test_about_and_shortcuts(make_window):
    window = make_window()
    window.act("about").trigger()
    text = window.prompter.about_texts[-1]
    import bodymap

    assert bodymap.__version__ in text and i18n.tr("app.disclaimer") in text
    window.act("shortcuts").trigger()
    rows = dict((k, v) for k, v in window.shortcut_rows())
    assert "Ctrl+S" in rows.values() and "F5" in rows.values() and "Esc" in rows.values()
    assert window._dialogs["shortcuts"].isVisible()


def test_technique_library_shows_each_technique_alone(make_window, data, qtbot):
    library, geometry = data
    window = make_window()
    window.parts.techniques_dock.show()
    lib = window.techniques
    for tid in library.techniques:
        lib.select(tid)
        assert lib.map.plan().steps[0].technique == tid
        assert len(lib.map.steps()) == 1
        assert lib.map.stroke_paths(), tid
        assert lib.closeup.title.text() == library.techniques[tid].name.en
        assert lib.closeup.demo().technique == tid
        assert "Part " in lib.text.toPlainText()  # the seed's description, cited
    # the close-up is the first tab: it plays; the map plays once its tab is shown
    qtbot.waitUntil(lib.closeup.patch.is_playing)
    lib.tabs.setCurrentIndex(1)
    lib.select("vibration")
    kidneys = next(n for n in lib.map.plan().no_touch if n.id == "kidneys")
    assert kidneys.applies_to("vibration")
    assert lib.map.plan().steps[0].area.intersection(geometry.kidney_area()).area < 1e-6
    qtbot.waitUntil(lib.map.is_playing)
    assert not lib.closeup.patch.is_playing()  # its tab is hidden: it stops
    window.parts.techniques_dock.hide()
    assert not lib.map.is_playing()


def test_study_mode_opens_in_its_own_window(make_window):
    window = make_window()
    window.act("study").trigger()
    study = window.study_window
    assert study is not None and study.isVisible() and study.isWindow()
    assert window.prompter.errors == []
    study.close()


def test_cautions_tab_shows_texts_for_therapists_not_their_patient_twins(qtbot, data):
    """Each rule is shown once in the app: the therapist wording, never the patient twin."""
    from bodymap.planner import Profile, make_plan
    from bodymap.widgets.panels import PlanNotes

    library, geometry = data
    plan = make_plan(Profile(condition="hernia"), library, geometry)
    patient_only = [c for c in plan.cautions + plan.evidence if c.audience == "patient"]
    therapist = [c for c in plan.cautions + plan.evidence if c.audience != "patient"]
    assert patient_only and therapist, "the protocols carry both kinds of text"
    notes = PlanNotes()
    qtbot.addWidget(notes)
    notes.set_plan(plan)
    shown = notes.toPlainText()
    for c in therapist:
        assert c.text["en"] in shown
    for c in patient_only:
        assert c.text["en"] not in shown


def test_a_pain_point_keeps_the_introductory_sessions_off_it_and_is_saved(make_window, tmp_path):
    """Part 4: sessions 1-3 work slightly above the painful place; the mark is part of the plan."""
    window = make_window(condition="radiculitis")
    answer_all_no(window)
    window.parts.panel.session_spin.setValue(1)
    window.parts.map.painPointPlaced.emit(250.0, 640.0)
    assert window.plan.phase == "introductory"
    spot = next(n for n in window.plan.no_touch if n.id == "pain-point-1")
    assert all(s.area.intersection(spot.area).area < 1e-6 for s in window.plan.steps)
    assert window.isWindowModified()

    path = tmp_path / "pain.bodymap.json"
    assert window.documents.save_to(path)
    window.documents.new_document()
    assert window.parts.map.pain_points() == []
    assert window.documents.open_path(path)
    assert window.parts.map.pain_points() == [(250.0, 640.0)]

    window.parts.panel.session_spin.setValue(6)  # the main phase works the place again
    assert window.plan.phase == "main"
    assert not any(n.id.startswith("pain-point") for n in window.plan.no_touch)


def test_reloading_protocols_picks_up_a_user_file_and_keeps_the_patient(
    make_window, tmp_path, monkeypatch
):
    """A therapist adds a protocol to their folder and reloads: no restart, nothing lost."""
    monkeypatch.setenv("BODYMAP_USER_DIR", str(tmp_path / "user"))
    window = make_window(condition="hypertension")
    answer_all_no(window)
    window.parts.panel.name_edit.setText("Anna")
    folder = window.open_protocol_folder()
    assert folder == tmp_path / "user" / "protocols" and folder.is_dir()
    assert window.prompter.infos[-1] == f"folder {folder}"

    text = (ROOT / "protocols" / "conditions" / "hypertension.toml").read_text(encoding="utf-8")
    mine = text.replace('id = "hypertension"', 'id = "my-hypertension"', 1)
    assert mine != text
    (folder / "my-hypertension.toml").write_text(mine, encoding="utf-8")
    (folder / "broken.toml").write_text("id = [", encoding="utf-8")
    before = window.plan.to_json()

    assert window.reload_protocols()
    assert "my-hypertension" in window.library.conditions
    ids = [window.parts.panel.condition_combo.itemData(i, Qt.ItemDataRole.UserRole)
           for i in range(window.parts.panel.condition_combo.count())]
    assert "my-hypertension" in ids
    assert window.parts.panel.condition() == "hypertension"
    assert window.parts.panel.name_edit.text() == "Anna"
    assert window.plan.to_json() == before
    assert any("broken.toml" in str(p) for p in window.library.problems)
    assert window.parts.problems_button is not None and window.parts.problems_button.isVisible()


def test_cautions_tab_cites_the_russian_headings_in_russian(qtbot, data):
    """In Russian the sources are the source's parts with their headings in Russian, after a
    dash and not in «» (our rendering of the English headings, not the source's words)."""
    from bodymap import i18n
    from bodymap.planner import Hernia, Profile, make_plan
    from bodymap.widgets.panels import PlanNotes

    library, geometry = data
    plan = make_plan(Profile(condition="hernia", hernias=(Hernia("L4-L5", "left", "initial"),)),
                     library,
                     geometry)
    notes = PlanNotes()
    qtbot.addWidget(notes)
    i18n.set_language("ru")
    try:
        notes.set_plan(plan)
        shown = notes.toPlainText()
    finally:
        i18n.set_language("en")
    assert "Часть 5 — Межпозвонковая грыжа. Массажные процедуры" in shown
    assert 'Part 5, "' not in shown and "Часть 5, «" not in shown
    notes.set_plan(plan)
    assert 'Part 5, "' in notes.toPlainText()
