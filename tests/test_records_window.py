"""The window's course records (issue 22, point 3): the patient list, today's visit recorded
through the form, the course chart, two visits compared on the map, the patient's progress in
the presentation, the records' database setting. Each test has its own SQLite file (tmp_path)
and settings file (the ``env`` fixture): nothing leaks between tests or to the user."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QColor

from bodymap import i18n
from bodymap.records.model import Moment, Soap, StepOutcome, VisitDraft
from bodymap.records.store import Records
from bodymap.records.visit_day import GROUPS, group_ids
from bodymap.widgets import settings as prefs

LEAD = "osteochondrosis-lumbosacral"
FIRST_POINTS = ((250.0, 640.0), (350.0, 650.0))
LAST_POINTS = ((300.0, 300.0),)


def _answers(library, present=()):
    return {"present": list(present), "answered": sorted(library.contraindications)}


@pytest.fixture
def db(tmp_path, library, geometry):
    """A records file with two patients: Anna K. (two visits, the second with a skipped step)
    and Boris T. (none)."""
    path = tmp_path / "records.sqlite"
    records = Records.open(str(path), library=library, geometry=geometry)
    now = datetime.now().astimezone().replace(microsecond=0)
    anna = records.add_patient("Anna K.", [LEAD], birth_year=1978,
                               at=Moment.of(now - timedelta(days=10)))
    for i, (points, before, after, skipped) in enumerate(
            ((FIRST_POINTS, 7, 5, False), (LAST_POINTS, 5, 2, True))):
        steps = (StepOutcome(0, "stroking"), StepOutcome(1, "rubbing", "skipped", reason="red")
                 if skipped else StepOutcome(1, "rubbing"))
        records.record_visit(anna.id, VisitDraft(
            session=i + 1, at=Moment.of(now - timedelta(days=6 - 3 * i)),
            profile={**_answers(library), "pain_points": [list(p) for p in points]},
            pain_before=before, pain_after=after, steps=steps, soap=Soap("stiff")), sign=True)
    records.add_patient("Boris T.", ["hypertension"], birth_year=1965)
    records.close()
    return path


@pytest.fixture
def window(make_window, env, db, qtbot):
    env.setValue(prefs.RECORDS_DB, str(db))
    w = make_window()
    yield w
    w.parts.records.close()


def _settled(w, qtbot):
    """Qt animates a dock into place and a line edit's clear button in: let that end."""
    from PySide6.QtCore import QAbstractAnimation

    qtbot.waitUntil(lambda: all(a.state() != QAbstractAnimation.State.Running
                                for a in w.findChildren(QAbstractAnimation)), timeout=5000)


def _open_records(window, qtbot, tab="patients"):
    window.show_records(tab)
    view = window.parts.records_view
    assert view is not None
    qtbot.waitUntil(lambda: view.isVisible())
    _settled(window, qtbot)
    return view


def _open_anna(window, qtbot):
    view = _open_records(window, qtbot)
    tree = view.patients.tree
    assert tree.topLevelItem(0).text(0).startswith("Anna K.")
    tree.setFocus()
    tree.setCurrentItem(tree.topLevelItem(0))
    qtbot.keyClick(tree, Qt.Key.Key_Return)
    return view


# ---------------------------------------------------------------------------------------------
# the patient list


def test_the_patient_list_shows_last_and_next_visit_and_searches(window, qtbot):
    view = _open_records(window, qtbot)
    tree = view.patients.tree
    rows = [[tree.topLevelItem(i).text(c) for c in range(3)]
            for i in range(tree.topLevelItemCount())]
    assert [r[0] for r in rows] == ["Anna K. (1978)\nOsteochondrosis, lumbosacral",
                                    "Boris T. (1965)\nHypertension"]
    assert rows[0][2] == "session 3 of 10"  # two visits recorded: the third is next
    assert rows[1][1] == "no visit yet" and rows[1][2].startswith("session 1 of ")
    assert rows[0][1] != "no visit yet"
    qtbot.keyClicks(view.patients.search, "bor")
    assert tree.topLevelItemCount() == 1 and tree.topLevelItem(0).text(0).startswith("Boris")
    assert view.patients.count.text() == "1 patient"
    _settled(window, qtbot)


def test_the_records_open_only_when_first_needed(make_window, env, db):
    env.setValue(prefs.RECORDS_DB, str(db))
    w = make_window()
    assert w.parts.records_view is None and w.parts.records._records is None
    assert not w.parts.records_dock.isVisible()


def test_opening_a_patient_loads_the_plan_and_asks_the_screening_again(window, qtbot):
    view = _open_anna(window, qtbot)
    doc = window.controller.document()
    assert doc.conditions == (LEAD,) and doc.patient_name == "Anna K."
    assert doc.profile.session == 3  # the next session of the course
    assert doc.profile.answered == () and doc.pain_points == ()  # nothing carried over
    assert window.plan.status != "ok"  # blocked until the screening is asked again
    assert view.current_tab() == "visit"
    form = view.visit
    assert form.session.value() == 3
    assert "Anna K." in form.header.text() and "session 3 of 10" in form.header.text()
    assert form.last_label.text().startswith("2 visits so far; the last on ")
    assert form.last_label.text().endswith("(session 2), pain 5 → 2.")
    assert form.pain_before.score() is None and form.pain_after.score() is None
    assert "still to ask" in form.screening_status.text()
    assert form.table.isHidden()  # no plan yet: no steps to record
    assert not window.documents.is_modified()


# ---------------------------------------------------------------------------------------------
# today's visit


def test_recording_a_visit_takes_a_handful_of_interactions(window, qtbot, tmp_path, db,
                                                          library, geometry):
    """Open the patient (Enter), answer the rest of the screening "no" (one click), mark the
    pain on the map (two clicks), type the pain before and after, skip a step with its reason,
    Ctrl+Enter: the visit is in the records with all of it."""
    view = _open_anna(window, qtbot)  # 1: Enter on the list
    form = view.visit
    window.act("mark_all_no").trigger()  # 2: every question answered "no"
    assert window.plan.status == "ok"
    assert form.table.rowCount() == len(window.plan.steps)  # pre-filled from the plan
    assert form.screening_status.text() == "Every question is answered today."
    qtbot.mouseClick(form.mark_pain, Qt.MouseButton.LeftButton)  # 3: the map's pain tool
    body_map = window.parts.map
    spot = body_map.back_to_widget(300.0, 660.0).toPoint()
    qtbot.mouseClick(body_map, Qt.MouseButton.LeftButton, pos=spot)  # 4: where it hurts
    assert len(window.controller.document().pain_points) == 1
    assert "1 pain point" in form.marks_label.text()
    window.activateWindow()
    form.pain_before.setFocus()
    qtbot.waitUntil(form.pain_before.hasFocus)
    qtbot.keyClicks(form.pain_before, "6")  # 5: pain before
    qtbot.keyClick(form.pain_before, Qt.Key.Key_Tab)
    qtbot.waitUntil(form.pain_after.hasFocus)
    qtbot.keyClicks(form.pain_after, "3")  # 6: pain after
    form.set_outcome(2, "skipped", "patient asked to stop")  # 7: a step skipped, and why
    qtbot.keyClick(form.pain_after, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)  # 8
    saved = window.parts.records.visit()
    assert saved is not None, window.prompter.errors
    records = Records.open(str(db), library=library, geometry=geometry)
    try:
        visit = records.visit(saved.id)
        assert (visit.session, visit.pain_before, visit.pain_after) == (3, 6, 3)
        assert len(visit.pain_points) == 1
        assert set(visit.profile["answered"]) == set(library.contraindications)
        assert [s.outcome for s in visit.steps].count("skipped") == 1
        assert visit.steps[2].reason == "patient asked to stop"
        assert visit.plan is not None and visit.plan["session"] == 3
        assert visit.confirmed == ()  # answered today, not carried over
        assert not visit.signed
        assert len(records.patient(visit.patient_id).visits) == 3
    finally:
        records.close()
    assert "Saved" in form.saved_label.text()
    assert not window.documents.is_modified()  # kept in the records: no plan file to save
    assert window.prompter.errors == []


def test_unchanged_since_is_one_deliberate_click_per_group(window, qtbot, library):
    view = _open_anna(window, qtbot)
    form = view.visit
    contras = library.contraindications
    refer = group_ids(contras, "refer")
    button = form._group_rows["refer"][1]
    assert button.isVisible() and button.text() == "Unchanged"
    assert "unchanged since the last visit" in form.since_label.text().lower()
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    doc = window.controller.document()
    assert refer <= set(doc.profile.answered)  # that group's answers, from the last visit
    others = set(contras) - refer
    assert not others & set(doc.profile.answered)  # no other group carried over
    assert window.plan.status != "ok"
    assert not button.isEnabled()
    assert "unchanged since" in form._group_rows["refer"][0].text()
    for group in GROUPS:
        if group != "refer" and group_ids(contras, group):
            qtbot.mouseClick(form._group_rows[group][1], Qt.MouseButton.LeftButton)
    assert window.plan.status == "ok"
    form.pain_before.set_score(4)
    visit = form.save()
    assert visit is not None
    assert {c.group for c in visit.confirmed} == {g for g in GROUPS if group_ids(contras, g)}
    last_day = window.parts.records.last_visit().at.day()
    assert all(c.since == last_day for c in visit.confirmed)


def test_ctrl_enter_saves_from_the_notes_and_no_wheel_turn_changes_a_choice(window, qtbot):
    from PySide6.QtCore import QPointF
    from PySide6.QtGui import QWheelEvent
    from PySide6.QtWidgets import QApplication

    from bodymap.widgets.wheel import WHEEL_GUARDED, guarded_controls

    view = _open_anna(window, qtbot)
    window.act("mark_all_no").trigger()
    form = view.visit
    controls = guarded_controls(view)
    assert controls and all(c.property(WHEEL_GUARDED) for c in controls)
    combo = form.table.cellWidget(0, 1)
    pos = QPointF(combo.rect().center())
    wheel = QWheelEvent(pos, combo.mapToGlobal(pos), QPoint(0, 0), QPoint(0, -120),
                        Qt.MouseButton.NoButton, Qt.KeyboardModifier.NoModifier,
                        Qt.ScrollPhase.NoScrollPhase, False)
    QApplication.sendEvent(combo, wheel)
    assert combo.currentIndex() == 0  # still "done"
    window.activateWindow()
    notes = form.soap["assessment"]
    notes.setFocus()
    qtbot.waitUntil(notes.hasFocus)
    qtbot.keyClicks(notes, "easing")
    qtbot.keyClick(notes, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    visit = window.parts.records.visit()
    assert visit is not None and visit.soap.assessment == "easing"


def test_a_step_changed_without_a_reason_is_not_saved(window, qtbot):
    view = _open_anna(window, qtbot)
    window.act("mark_all_no").trigger()
    view.visit.set_outcome(0, "shortened", "")
    assert view.visit.save() is None
    assert window.parts.records.visit() is None
    assert window.prompter.errors == ["Say why each shortened or skipped step was changed: "
                                      "nothing was saved."]


def test_a_signed_visit_is_locked_in_the_form(window, qtbot):
    view = _open_anna(window, qtbot)
    window.act("mark_all_no").trigger()
    form = view.visit
    first = form.save()
    assert first is not None and not first.signed and form.save_button.text() == "Save changes"
    form.pain_after.set_score(1)
    form.sign.setChecked(True)
    visit = form.save()  # the change and the signature together
    assert visit is not None and visit.signed and visit.pain_after == 1
    assert not form.save_button.isEnabled() and not form.pain_before.isEnabled()
    assert "Signed" in form.saved_label.text()


def test_an_edit_made_elsewhere_is_never_overwritten(window, qtbot, db, library, geometry):
    """Saved here, changed in another window (a row version later): saving here again is
    refused with one clear message, and the other change stays."""
    view = _open_anna(window, qtbot)
    window.act("mark_all_no").trigger()
    form = view.visit
    form.pain_before.set_score(5)
    first = form.save()
    assert first is not None
    other = Records.open(str(db), library=library, geometry=geometry)
    try:
        elsewhere = other.visit(first.id)
        other.edit_visit(first.id, elsewhere.version, VisitDraft(
            session=first.session, profile=dict(first.profile), pain_before=8,
            steps=first.steps))
        form.pain_before.set_score(2)
        assert form.save() is None
        assert len(window.prompter.errors) == 1
        assert "changed elsewhere" in window.prompter.errors[0]
        assert "Nothing was overwritten" in window.prompter.errors[0]
        assert other.visit(first.id).pain_before == 8
    finally:
        other.close()


def test_a_new_visit_on_a_patient_changed_elsewhere_is_refused(window, qtbot, db, library,
                                                               geometry):
    view = _open_anna(window, qtbot)
    window.act("mark_all_no").trigger()
    patient = window.parts.records.patient()
    other = Records.open(str(db), library=library, geometry=geometry)
    try:
        other.edit_patient(patient.id, patient.version, notes="moved to the evening list")
        before = len(other.patient(patient.id).visits)
        assert view.visit.save() is None
        assert "changed elsewhere" in window.prompter.errors[-1]
        assert len(other.patient(patient.id).visits) == before
    finally:
        other.close()


def test_findings_found_at_the_visit_become_the_patients(window, qtbot, db, library, geometry):
    view = _open_anna(window, qtbot)
    window.act("mark_all_no").trigger()
    window.controller.request_hernia("L4-L5", "left")
    assert view.visit.save() is not None
    records = Records.open(str(db), library=library, geometry=geometry)
    try:
        patient = records.patient(window.parts.records.patient().id)
        assert len(patient.history) == 2
        assert patient.current.findings["hernias"][0]["level"] == "L4-L5"
    finally:
        records.close()


# ---------------------------------------------------------------------------------------------
# the course and the comparison


def test_the_course_plots_pain_before_and_after_and_marks_changed_steps(window, qtbot):
    _open_anna(window, qtbot)
    view = _open_records(window, qtbot, "course")
    plot = view.course.plot
    xs, before = plot.before_curve.getData()
    _, after = plot.after_curve.getData()
    assert list(xs) == [1, 2] and list(before) == [7, 5] and list(after) == [5, 2]
    marks = plot.changed_marks.getData()
    assert list(marks[0]) == [2]  # the second visit skipped a step
    assert view.course.visits.topLevelItemCount() == 2
    first_row = view.course.visits.topLevelItem(0)  # newest first
    assert first_row.text(2) == "5 → 2" and first_row.text(3) == "1 skipped"


def test_the_map_compares_two_visits_in_two_styles(window, qtbot):
    from bodymap.widgets.records.compare import EARLIER, LATER

    _open_anna(window, qtbot)
    view = _open_records(window, qtbot, "compare")
    compare = view.compare
    compare.resize(500, 900)
    a, b = compare.chosen()
    assert a.pain_points == FIRST_POINTS and b.pain_points == LAST_POINTS
    shown = compare.map.shown()
    assert shown == {"earlier": FIRST_POINTS, "later": LAST_POINTS}

    def colour_at(point):
        image = compare.map.grab().toImage()
        ratio = image.devicePixelRatio()
        p = compare.map.to_widget(*point)
        return QColor(image.pixel(QPoint(round(p.x() * ratio), round(p.y() * ratio))))

    def near(c, target):
        return max(abs(c.red() - target.red()), abs(c.green() - target.green()),
                   abs(c.blue() - target.blue())) < 40

    assert near(colour_at(LAST_POINTS[0]), LATER)  # a filled star
    qtbot.mouseClick(compare.show_buttons["earlier"], Qt.MouseButton.LeftButton)
    assert compare.map.shown() == {"earlier": FIRST_POINTS, "later": ()}
    assert not near(colour_at(LAST_POINTS[0]), LATER)
    ring = compare.map.to_widget(*FIRST_POINTS[0])
    r = max(8.0, 15.0 * compare.map.back_rect().width() / 600.0) * 1.25
    image = compare.map.grab().toImage()
    ratio = image.devicePixelRatio()
    edge = QColor(image.pixel(QPoint(round((ring.x() + r) * ratio), round(ring.y() * ratio))))
    assert near(edge, EARLIER)  # a ring in the other style
    compare.slider.setValue(0)  # the slider walks the later visit back to the first
    assert compare.chosen()[1].pain_points == FIRST_POINTS


# ---------------------------------------------------------------------------------------------
# the presentation, the setting, the menus


@pytest.mark.parametrize("lang", ["en", "ru"])
def test_the_presentation_shows_the_patient_their_progress(window, qtbot, lang):
    _open_anna(window, qtbot)
    window.set_language(lang)
    window.present_progress()
    p = window.presentation
    assert p is not None and p.isVisible() and p.showing_progress()
    words = p.progress_page.lines.text()
    if lang == "en":
        assert "You have had 2 visits." in words
        assert "the pain was 7 out of 10; before the latest, 5 out of 10" in words
    else:
        assert "У вас было 2 визита." in words and "7 из 10" in words
    _xs, before = p.progress_page.plot.before_curve.getData()
    assert list(before) == [7, 5]
    qtbot.keyClick(p, Qt.Key.Key_P)
    assert not p.showing_progress()
    window.leave_presentation()
    i18n.set_language("en")


def test_the_database_setting_is_remembered_and_a_bad_one_keeps_the_records(
        window, qtbot, tmp_path, env):
    from bodymap.widgets.records.patients import DatabaseDialog

    view = _open_records(window, qtbot)
    rc = window.parts.records
    dialog = DatabaseDialog(rc, window)
    dialog.edit.setText("mysql://nobody@nowhere/x")
    dialog.accept()
    assert dialog.result() == 0 and len(window.prompter.errors) == 1
    assert "mysql" in window.prompter.errors[0]
    assert view.patients.tree.topLevelItemCount() == 2  # the records in use stay
    other = tmp_path / "other.sqlite"
    dialog.edit.setText(str(other))
    dialog.accept()
    assert env.value(prefs.RECORDS_DB) == str(other)
    assert view.patients.tree.topLevelItemCount() == 0 and other.exists()
    assert str(other) in view.patients.where.text()
    dialog.edit.clear()  # the default file again
    dialog.accept()
    assert not env.contains(prefs.RECORDS_DB)


def test_the_records_menu_has_shortcuts_and_words_in_both_languages(window):
    keys = ("patients", "record_visit", "patient_course", "compare_visits", "show_progress",
            "records_database")
    menu = window.menus["records"]
    assert [a for a in menu.actions() if not a.isSeparator()] == [window.act(k) for k in keys]
    assert window.act("patients").shortcut().toString() == "Ctrl+Shift+P"
    for lang in ("en", "ru"):
        window.set_language(lang)
        for key in keys:
            assert window.act(key).text() and window.act(key).toolTip()
        assert window.parts.records_dock.windowTitle() == i18n.tr("dock.records", lang)
    window.set_language("en")


def test_a_new_patient_is_added_with_the_plans_conditions(window, qtbot):
    view = _open_records(window, qtbot)
    pane = view.patients
    qtbot.keyClicks(pane.new_name, "Clara M.")
    qtbot.keyClick(pane.new_name, Qt.Key.Key_Return)
    assert window.prompter.errors == [i18n.tr("records.need_conditions")]  # a draft: no plan
    window.controller.request_profile(conditions=("hypertension",))
    qtbot.keyClick(pane.new_name, Qt.Key.Key_Return)
    patient = window.parts.records.patient()
    assert patient is not None and patient.name == "Clara M."
    assert patient.conditions == ("hypertension",)
    assert pane.tree.topLevelItemCount() == 3


@pytest.mark.parametrize("lang", ["en", "ru"])
def test_every_records_control_has_a_name(window, qtbot, lang):
    from test_accessibility import unnamed

    view = _open_anna(window, qtbot)
    window.act("mark_all_no").trigger()
    window.set_language(lang)
    for tab in ("patients", "visit", "course", "compare"):
        window.show_records(tab)
    assert unnamed(view) == []
    window.set_language("en")


def test_the_records_dock_fits_the_window_the_first_time_then_stays_where_it_was_left(
        make_window, env, db, qtbot):
    from PySide6.QtCore import Qt as _Qt

    env.setValue(prefs.RECORDS_DB, str(db))
    w = make_window()
    w.resize(1366, 768)
    _open_records(w, qtbot)
    parts = w.parts
    assert parts.records_dock in w.tabifiedDockWidgets(parts.panel_dock)  # a narrow window
    w.removeDockWidget(parts.records_dock)  # the user moves it beside the map
    w.addDockWidget(_Qt.DockWidgetArea.RightDockWidgetArea, parts.records_dock)
    parts.records_dock.show()
    parts.records_dock.hide()
    w.show_records("patients")
    _settled(w, qtbot)
    assert parts.records_dock not in w.tabifiedDockWidgets(parts.panel_dock)
    assert w.dockWidgetArea(parts.records_dock) == _Qt.DockWidgetArea.RightDockWidgetArea
    w.reset_layout()
    assert not parts.records_dock.isVisible() and not env.contains(prefs.RECORDS_PLACED)
    _settled(w, qtbot)
    w.parts.records.close()


def test_a_wide_window_has_the_records_beside_the_map(make_window, env, db, qtbot):
    env.setValue(prefs.RECORDS_DB, str(db))
    w = make_window()
    w.resize(1920, 1080)
    qtbot.waitUntil(lambda: w.width() == 1920)
    _open_records(w, qtbot)
    parts = w.parts
    assert parts.records_dock not in w.tabifiedDockWidgets(parts.panel_dock)
    assert parts.records_dock.width() >= 400 and parts.panel_dock.isVisible()
    w.parts.records.close()


def test_a_records_dock_left_open_comes_back_after_the_window_is_ready(make_window, env, db,
                                                                       data, qtbot):
    from window_helpers import Prompts

    from bodymap.widgets.mainwindow import MainWindow

    env.setValue(prefs.RECORDS_DB, str(db))
    first = make_window()
    _open_records(first, qtbot)
    first.close()  # the layout is saved with the dock shown
    second = MainWindow(library=data[0], geometry=data[1], settings=env, prompter=Prompts())
    qtbot.addWidget(second)
    seen: list[object] = []
    second.startup.map_ready.connect(lambda _t: seen.append(second.parts.records_view))
    with qtbot.waitSignal(second.startup.ready, timeout=20_000):
        second.show()
    assert seen == [None]  # the records are not opened on the way to the first plan
    parts = second.parts
    assert parts.panel_dock.widget().isVisible()  # the conditions in front, the list behind
    qtbot.waitUntil(lambda: parts.records_view is not None)
    qtbot.waitUntil(lambda: parts.records_view.patients.tree.topLevelItemCount() == 2)
    _settled(second, qtbot)
    parts.records.close()


def test_the_forms_session_drives_the_plan_within_the_course(window, qtbot):
    view = _open_anna(window, qtbot)
    window.act("mark_all_no").trigger()
    form = view.visit
    assert form.session.maximum() == 10  # the lead condition's course
    form.session.setValue(9)
    assert window.controller.document().profile.session == 9
    assert window.plan.session == 9 and "session 9 of 10" in form.header.text()
    assert form.table.rowCount() == len(window.plan.steps)
    window.controller.undo()  # the plan's own undo brings the form back too
    assert form.session.value() == 3
