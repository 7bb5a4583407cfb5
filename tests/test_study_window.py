"""Study that a student would choose (issue 19.4) and the study fixes (issue 20.6), on screen:
grade buttons with intervals and keys 1-4, Show answer, decks chosen and remembered, exam mode
with its report and PDF, mastery per topic, the Anki export, near misses, a legend that keeps
the answer to itself, sources in the interface's language."""

from __future__ import annotations

import json
import shutil
import subprocess
import zipfile
from datetime import UTC, datetime, timedelta

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QStandardItemModel

from bodymap import i18n
from bodymap.decks import Deck
from bodymap.drill_base import TOPICS
from bodymap.study import ProgressStore, interval_text
from bodymap.widgets.prompts import Prompter
from bodymap.widgets.study import StudyWidget

T0 = datetime(2025, 3, 3, 9, 0, tzinfo=UTC)


class Clock:
    def __init__(self) -> None:
        self.t = T0

    def __call__(self) -> datetime:
        return self.t


class Scripted(Prompter):
    def __init__(self) -> None:
        super().__init__()
        self.yes = True
        self.save_to: str | None = None
        self.errors: list[str] = []
        self.infos: list[str] = []

    def confirm(self, title, text):
        return self.yes

    def error(self, title, text):
        self.errors.append(text)

    def inform(self, title, text):
        self.infos.append(text)

    def choose_save_file(self, title, suggested, file_filter):
        self.suggested = suggested
        return self.save_to


@pytest.fixture
def clock():
    return Clock()


@pytest.fixture
def make_widget(qtbot, library, geometry, tmp_path, clock):
    def make(kinds=None, path=None) -> StudyWidget:
        store = ProgressStore(path or tmp_path / "study-progress.json")
        w = StudyWidget(library, geometry, store=store, now=clock, prompter=Scripted())
        qtbot.addWidget(w)
        if kinds is not None:
            w.start_session(kinds=kinds)
        w.show()
        qtbot.waitExposed(w)
        w.resize(1366, 740)  # after the first show, which fits the window to the screen
        return w

    return make


def _click_back(qtbot, w, x, y):
    pos = w.map.back_to_widget(x, y)
    qtbot.mouseClick(w.map, Qt.MouseButton.LeftButton, pos=QPoint(round(pos.x()), round(pos.y())))


def _activate(qtbot, w):
    w.activateWindow()
    qtbot.waitUntil(w.isActiveWindow)


def _visible_grades(w):
    return [g for g, b in w.feedback.grades.buttons.items() if b.isVisible()]


# -- self-grading ------------------------------------------------------------------------------


def test_after_a_right_answer_four_grades_show_their_intervals_and_keys_grade(
        qtbot, make_widget, geometry):
    w = make_widget(kinds=("zone",))
    drill = w.current_drill()
    expected = w.session.intervals()
    p = geometry.polygon(drill.highlight[0]).representative_point()
    _click_back(qtbot, w, p.x, p.y)
    assert w.verdict.right
    assert _visible_grades(w) == ["again", "hard", "good", "easy"]
    for grade, b in w.feedback.grades.buttons.items():
        assert b.text() == f"{i18n.tr(f'study.grade.{grade}')}\n{interval_text(expected[grade])}"
        assert interval_text(expected[grade]) in b.toolTip()
    assert w.focusWidget() is w.feedback.grades.buttons["good"]
    _activate(qtbot, w)
    # key 4 (Easy), as in Anki: the card is scheduled with Easy's interval, the next card comes
    qtbot.keyClick(w, Qt.Key.Key_4)
    assert w.store.due(drill.id) == T0 + expected["easy"]
    assert w.current_drill().id != drill.id and w.verdict is None


def test_after_a_wrong_answer_only_again_is_offered(qtbot, make_widget):
    w = make_widget(kinds=("contra",))
    d = w.current_drill()
    wrong = next(b for b in w.card().choice_buttons if b.property("optionId") not in d.accept)
    wrong.click()
    _activate(qtbot, w)
    assert _visible_grades(w) == ["again"]
    assert w.feedback.grade_hint.text() == i18n.tr("study.grade.wrong_only")
    qtbot.keyClick(w, Qt.Key.Key_4)  # Easy is not offered: nothing happens
    assert w.verdict is not None
    assert not w.menus.actions["grade_easy"].isEnabled()
    qtbot.keyClick(w, Qt.Key.Key_1)
    assert w.verdict is None
    assert w.store.due(d.id) == T0 + timedelta(minutes=10)


def test_show_answer_reveals_it_and_the_student_grades_their_recall(qtbot, make_widget):
    w = make_widget(kinds=("contra",))
    d = w.current_drill()
    assert w.show_answer_button.isVisible()
    w.menus.actions["show_answer"].trigger()
    assert w.verdict.revealed and w.store.card(d.id) is None
    assert w.verdict_label.text() == i18n.tr("study.revealed")
    assert d.answer_text["en"] in w.answer_label.text()
    assert _visible_grades(w) == ["again", "hard", "good", "easy"]
    w.feedback.grades.buttons["hard"].click()
    assert w.store.card(d.id) is not None and w.store.last_right(d.id) is True


# -- decks ---------------------------------------------------------------------------------------


def test_a_deck_made_in_the_chooser_is_studied_saved_and_remembered(
        qtbot, make_widget, tmp_path, library):
    w = make_widget()
    dialog = w.menus.open_decks()
    assert dialog.isVisible() and dialog.current().builtin
    assert not dialog.name_edit.isEnabled()  # "All cards" cannot be changed
    dialog.buttons["new"].click()
    assert not dialog.current().builtin
    dialog.name_edit.setText("Spine and hernia")
    for topic, box in dialog.topics.items():
        box.setChecked(topic in ("notouch", "conditions"))
    hernia = next(dialog.conditions.item(i) for i in range(dialog.conditions.count())
                  if dialog.conditions.item(i).data(Qt.ItemDataRole.UserRole) == "hernia")
    hernia.setCheckState(Qt.CheckState.Checked)
    assert "cards" in dialog.matches.text()
    dialog.buttons["study"].click()
    assert w.deck.name == "Spine and hernia"
    asked = {d.id for d in w.session.queue}
    assert asked and all(d.startswith(("notouch:hernia", "condzone:hernia")) for d in asked)
    assert w.deck_bar.combo.currentText() == "Spine and hernia"
    saved = json.loads(w.store.path.read_text(encoding="utf-8"))
    assert saved["deck"]["name"] == "Spine and hernia"
    assert saved["decks"]["Spine and hernia"]["conditions"] == ["hernia"]
    # a new window (a restart) studies the same deck
    again = make_widget(path=w.store.path)
    assert again.deck.name == "Spine and hernia"
    assert {d.id for d in again.session.queue} == asked


def test_the_chooser_refuses_an_empty_deck_and_a_taken_name(qtbot, make_widget):
    w = make_widget()
    w.store.save_deck(Deck("Taken"), T0)
    dialog = w.menus.open_decks()
    dialog.buttons["new"].click()
    for box in dialog.kinds.values():
        box.setChecked(False)
    assert dialog.problem.text() == i18n.tr("study.deck.empty")
    assert not dialog.buttons["save"].isEnabled() and not dialog.buttons["study"].isEnabled()
    for box in dialog.kinds.values():
        box.setChecked(True)
    dialog.name_edit.setText("Taken")
    dialog._changed()
    assert dialog.problem.text() == i18n.tr("study.deck.name_taken", name="Taken")
    assert not dialog.buttons["save"].isEnabled()


def test_deleting_the_deck_being_studied_goes_back_to_all_cards(qtbot, make_widget):
    w = make_widget()
    w.choose_deck(Deck("Short", topics=frozenset({"zones"})))
    w.store.save_deck(w.deck, T0)
    dialog = w.menus.open_decks()
    dialog.fill(select="Short")
    dialog.buttons["delete"].click()
    assert w.deck.builtin and w.store.find_deck("Short") is None
    assert [dialog.decks.item(i).text() for i in range(dialog.decks.count())] == ["All cards"]


# -- the motion drill ----------------------------------------------------------------------------


def _names_of(library, option_id):
    """The answer's technique and variant names, in both languages."""
    technique, _, variant = option_id.partition("/")
    tech = library.techniques[technique]
    texts = [tech.name] + ([tech.variant(variant).name] if variant else [])
    return {t.model_dump()[lang].lower() for t in texts for lang in ("en", "ru")}


def _words_shown(w):
    """Every text the study window shows or gives a screen reader while it asks, but the
    option buttons' own labels (which are the question): labels, tooltips, accessible names
    and descriptions, window titles; and all of the close-up's, shown or not."""
    from PySide6.QtWidgets import QAbstractButton, QLabel, QTextEdit, QWidget

    options = set(w.card().choice_buttons)
    closeup = set(w.card().closeup.findChildren(QWidget)) | {w.card().closeup}
    out = [w.windowTitle()]
    for child in w.findChildren(QWidget):
        if child not in closeup and (child in options or not child.isVisible()):
            continue
        out += [child.toolTip(), child.accessibleName(), child.accessibleDescription(),
                child.windowTitle(), child.statusTip(), child.whatsThis()]
        if isinstance(child, (QLabel, QAbstractButton)) and child not in options:
            out.append(child.text())
        if isinstance(child, QTextEdit):
            out.append(child.toPlainText())
    return " | ".join(out).lower()


def test_the_motion_card_plays_the_close_up_of_the_technique_alone(qtbot, make_widget, library):
    from bodymap.drill_motion import motion_signature

    w = make_widget(kinds=("motion",))
    d = w.current_drill()
    card = w.card()
    assert d.kind == "motion" and not w.map_shown()  # the close-up takes the map's place
    closeup = card.closeup
    assert closeup.isVisible() and not closeup.show_caption()
    step = d.plan.steps[0]
    assert closeup.current() == (step.technique, step.variant)
    shown = closeup.demo()
    assert (shown.motion, shown.tempo, shown.pressure, shown.contact) == \
        motion_signature(library, step)
    # the hand moves: the animation runs and paints frame after frame
    assert closeup.patch.is_playing()
    frames = closeup.patch.frame_count()
    qtbot.waitUntil(lambda: closeup.patch.frame_count() > frames + 2, timeout=5000)
    assert closeup.width() >= 500 and closeup.patch.hand_rect().width() >= 24
    assert closeup.patch.width() > 0.9 * closeup.width()  # no caption: the patch has its room
    assert {b.property("optionId") for b in card.choice_buttons} == {o.id for o in d.options}
    next(b for b in card.choice_buttons if b.property("optionId") in d.accept).click()
    assert w.verdict.right
    w.hide()
    assert not closeup.patch.is_playing()
    w.show()
    qtbot.waitExposed(w)
    assert closeup.patch.is_playing()  # the feedback keeps it moving beside the answer
    w.close()
    assert not closeup.patch.is_playing()


def test_nothing_on_the_motion_card_names_the_technique(qtbot, make_widget, library):
    w = make_widget(kinds=("motion",))
    try:
        for lang in ("en", "ru", "en"):
            i18n.set_language(lang)
            for _ in range(3):
                d = w.current_drill()
                assert d.kind == "motion"
                words = _words_shown(w)
                assert "close-up" in words or "крупный план" in words  # read to a screen reader
                for name in _names_of(library, next(iter(d.accept))):
                    assert name not in words, (lang, d.id, name)
                w.reveal()
                w.next_card()
    finally:
        i18n.set_language("en")


def test_the_close_up_stops_on_a_card_of_another_kind_and_on_the_summary(qtbot, make_widget):
    w = make_widget(kinds=("zone", "motion"))
    closeup = w.cards["motion"].closeup
    seen = set()
    while w.current_drill() is not None and len(seen) < 2:
        d = w.current_drill()
        seen.add(d.kind)
        assert closeup.patch.is_playing() == (d.kind == "motion")
        assert closeup.isVisible() == (d.kind == "motion") != w.map_shown()
        w.reveal()
        w.next_card()
    assert seen == {"zone", "motion"}
    w.end_session()
    assert not closeup.isVisible() and not closeup.patch.is_playing()


# -- issue 20.6 on screen ----------------------------------------------------------------------


def test_where_not_to_press_keeps_its_answer_out_of_the_legend_and_the_hover(
        qtbot, make_widget, geometry):
    w = make_widget(kinds=("notouch",))
    assert w.map.legend_shown()
    keys = {row.key for row in w.map.scene().legend}
    assert "zone" in keys and not keys & {"no_touch", "kidneys", "kidneys_now"}
    assert w.map.describe(["spine", "outline"]) == ""
    assert "never" not in w.map.describe(["kidney-left", "thoracic-left", "thoracic", "outline"])
    p = geometry.polygon("spine").representative_point()
    _click_back(qtbot, w, p.x, p.y)
    # the feedback explains with the full legend again
    assert "no_touch" in {row.key for row in w.map.scene().legend}


def test_a_near_miss_says_so(qtbot, make_widget, geometry):
    w = make_widget(kinds=("zone",))
    while w.current_drill().id != "zone:collar-left":
        w.session.queue.append(w.session.queue.pop(0))
    w.show_card()
    from shapely import Point

    asked = geometry.polygon("collar-left")
    # a click in the zone below, just across the border: a near miss, not a plain miss
    below = geometry.polygon("interscapular-left").union(geometry.polygon("thoracic-left"))
    x0, y0, x1, y1 = below.bounds
    point = next((x0 + (x1 - x0) * i / 40, y0 + (y1 - y0) * j / 80)
                 for j in range(80) for i in range(40)
                 if below.contains(Point(x0 + (x1 - x0) * i / 40, y0 + (y1 - y0) * j / 80))
                 and 3 < asked.distance(Point(x0 + (x1 - x0) * i / 40,
                                              y0 + (y1 - y0) * j / 80)) < 8)
    _click_back(qtbot, w, *point)
    assert w.verdict is not None and not w.verdict.right and w.verdict.near
    assert w.verdict_label.text() == i18n.tr("study.near_miss")
    assert "just outside" in w.clicked_label.text()


def test_source_lines_name_the_article_in_the_interface_language(qtbot, make_widget):
    w = make_widget(kinds=("zone",))
    w.card().zone_clicked(w.current_drill(), "thoracic-left")
    assert w.source_label.text().startswith('Source: Part 3, "Therapeutic back massage"')
    try:
        i18n.set_language("ru")
        text = w.source_label.text()
        assert text.startswith("Источник: Часть 3 — Лечебный массаж спины"), text
        assert "svg" not in text and "Part" not in text
    finally:
        i18n.set_language("en")


def test_bronchitis_is_grouped_under_the_zones_its_drill_answers(library, geometry, qtbot):
    from bodymap.drills import build_drills
    from bodymap.widgets.panels.conditions import ConditionPicker

    picker = ConditionPicker()
    qtbot.addWidget(picker)
    picker.set_library(library, geometry)
    model = picker.condition_combo.model()
    assert isinstance(model, QStandardItemModel)
    header = ""
    group_of = {}
    for row in range(model.rowCount()):
        item = model.item(row)
        cid = item.data(Qt.ItemDataRole.UserRole)
        if isinstance(cid, str):
            group_of[cid] = header
        else:
            header = item.text()
    checked = 0
    for d in build_drills(library, geometry):
        if d.kind == "condzone" and d.condition in group_of and len(d.accept) < 4 and \
                library.conditions[d.condition].needs is None:
            assert group_of[d.condition] == i18n.tr("panel.group.zone", zone=d.answer_text["en"])
            checked += 1
    assert group_of["bronchitis"] == "Emphasis: Interscapular zone, Thoracic zone"
    assert checked >= 5


# -- exam ----------------------------------------------------------------------------------------


def test_an_exam_runs_on_time_leaves_the_schedule_alone_and_saves_a_dated_pdf(
        qtbot, make_widget, clock, tmp_path):
    w = make_widget()
    w.store.review("zone:collar", True, T0)
    w.store.save()
    before = w.store.path.read_bytes()
    w.exam.start(count=20, minutes=15, seed=3)
    assert w.exam.active() and w.exam.timer.isActive()
    assert "Question 1 of 20" in w.progress_label.text() and "15:00 left" in w.progress_label.text()
    assert not w.show_answer_button.isVisible()
    for _ in range(5):  # answer five: no feedback between questions
        d = w.current_drill()
        if d.kind in ("contra", "technique", "motion"):
            w.answer(next(iter(d.accept)))
        else:
            w.answer(None)
        assert w.verdict is None
    clock.t = T0 + timedelta(minutes=14, seconds=30)
    w.exam.tick()
    assert "0:30 left" in w.progress_label.text()
    clock.t = T0 + timedelta(minutes=15, seconds=1)
    w.exam.tick()  # the time is up: the report
    assert not w.exam.active() and not w.exam.timer.isActive()
    page = w.exam.report_page
    assert w.pages.currentWidget() is page
    report = page.report
    assert report.timed_out and report.asked == 20 and len(report.unanswered) == 15
    assert page.table.rowCount() == len(report.topics)
    assert {page.table.item(r, 0).text() for r in range(page.table.rowCount())} <= {
        i18n.tr(f"study.topic.{t}") for t in TOPICS}
    assert w.store.path.read_bytes() == before
    # Save as PDF, with the date
    w.prompter.save_to = str(tmp_path / "exam")
    page.pdf_button.click()
    pdf = tmp_path / "exam.pdf"
    assert pdf.read_bytes().startswith(b"%PDF-")
    assert "2025-03-03" in w.prompter.suggested
    assert w.prompter.infos and str(pdf) in w.prompter.infos[-1]
    if shutil.which("pdftotext"):
        text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True,
                              check=True).stdout
        assert "Exam report" in text and "2025" in text and "Score: " in text
        assert i18n.tr(f"study.topic.{report.topics[0].topic}") in text


def test_the_exam_report_is_in_russian_too(qtbot, make_widget, tmp_path):
    w = make_widget()
    w.exam.start(count=3, minutes=5, seed=1)
    try:
        i18n.set_language("ru")
        w.end_button.click()
        page = w.exam.report_page
        assert page.title.text() == "Результаты экзамена"
        assert "Колода: Все карточки" in page.deck.text() and "2025" in page.deck.text()
        w.prompter.save_to = str(tmp_path / "экзамен.pdf")
        page.pdf_button.click()
        assert (tmp_path / "экзамен.pdf").read_bytes().startswith(b"%PDF-")
        if shutil.which("pdftotext"):
            text = subprocess.run(["pdftotext", str(tmp_path / "экзамен.pdf"), "-"],
                                  capture_output=True, text=True, check=True).stdout
            assert "Результаты экзамена" in text and "марта 2025" in text
    finally:
        i18n.set_language("en")


# -- mastery -------------------------------------------------------------------------------------


def test_mastery_plots_each_topics_retention_and_due_cards(qtbot, make_widget, clock):
    w = make_widget()
    zones = [d for d in w.drills if d.topic == "zones"]
    for d in zones[:3]:
        w.store.review(d.id, True, T0)
    w.store.review(zones[3].id, False, T0)
    clock.t = T0 + timedelta(hours=1)
    w.menus.actions["mastery"].trigger()
    page = w.mastery
    assert w.pages.currentWidget() is page and page.plot.isVisible()
    assert page.counts("zones") == {"due_now": 1, "due_week": 3, "later": 0,
                                    "new": len(zones) - 4}
    assert [r.topic for r in page.rows] == list(TOPICS)
    ticks = page.retention_plot.getAxis("left")._tickLevels[0]
    assert [t[1] for t in ticks] == [i18n.tr(f"study.topic.{t}") for t in TOPICS]
    assert "Zones: " in page.rows_label.text() and "not studied yet" in page.rows_label.text()
    page.back_button.click()
    assert w.pages.currentIndex() == 0


# -- Anki export -------------------------------------------------------------------------------


def test_the_deck_exports_to_anki_with_pictures_of_the_map(qtbot, make_widget, tmp_path):
    from bodymap.widgets.study.anki_media import export_deck

    w = make_widget()
    w.choose_deck(Deck("Zones", topics=frozenset({"zones", "motions"}),
                       kinds=frozenset({"zone", "motion"})))
    result = export_deck(w, str(tmp_path / "zones.apkg"))
    cards = w.deck_cards()
    assert result.notes == len(cards) and result.media == 2 * len(cards)
    with zipfile.ZipFile(tmp_path / "zones.apkg") as z:
        media = json.loads(z.read("media"))
        assert len(media) == 2 * len(cards)
        for index in list(media)[:4]:
            assert z.read(index).startswith(b"\x89PNG")
    assert w.prompter.infos and "zones.apkg" in w.prompter.infos[-1]
    assert not w.map.is_playing()


def test_a_motion_card_goes_to_anki_as_a_frame_of_its_close_up(qtbot, make_widget, library):
    from PySide6.QtGui import QImage

    from bodymap.motion_demo import demo_for_step
    from bodymap.widgets.closeup import MotionPatch
    from bodymap.widgets.study.anki_media import PHASE, MapPictures

    w = make_widget()
    cards = {d.id: d for d in w.drills if d.kind == "motion"}
    pictures = MapPictures(w.geometry_model, library)
    shown = MotionPatch()
    try:
        seen = set()
        for card_id in ("motion:rubbing/circular-rubbing", "motion:vibration/tapping"):
            d = cards[card_id]
            question, answer = pictures(d, "en")
            assert question and answer
            image = QImage.fromData(question)
            # the frame a student would see in the close-up, the hand PHASE through its pass
            shown.resize(520, 560)
            shown.set_demo(demo_for_step(library, d.plan.steps[0]))
            shown.set_phase(PHASE)
            expected = shown.grab().toImage().convertToFormat(image.format())
            assert image.size() == expected.size() and image == expected
            assert shown.hand_rect().width() >= 24  # the hand's glyph is on it
            seen.add(question)
        assert len(seen) == 2  # each card its own motion
    finally:
        pictures.close()
        shown.deleteLater()


# -- menus and languages ---------------------------------------------------------------------


def test_the_study_window_fits_a_small_screen(qtbot, library, geometry, tmp_path):
    w = StudyWidget(library, geometry, store=ProgressStore(tmp_path / "p.json"),
                    prompter=Scripted())
    qtbot.addWidget(w)
    room = w.screen().availableGeometry()
    w.resize(room.width() + 300, room.height() + 100)  # larger than the screen's free area
    w.show()
    qtbot.waitExposed(w)
    assert w.width() <= room.width() and w.height() <= room.height()
    assert room.contains(w.geometry())


def test_the_study_window_has_menus_with_shortcuts_in_both_languages(qtbot, make_widget):
    w = make_widget()
    shortcuts = {k: a.shortcut().toString() for k, a in w.menus.actions.items()}
    assert shortcuts["decks"] == "Ctrl+D" and shortcuts["exam"] == "Ctrl+E"
    assert shortcuts["mastery"] == "Ctrl+M" and shortcuts["grade_again"] == "1"
    assert shortcuts["grade_easy"] == "4" and shortcuts["show_answer"] == "Ctrl+Return"
    try:
        i18n.set_language("ru")
        assert w.menus.study_menu.title() == "&Обучение"
        assert w.menus.actions["exam"].text() == "&Экзамен…"
        assert w.deck_bar.combo.itemText(0) == "Все карточки"
        assert w.show_answer_button.text() == "Показать ответ"
    finally:
        i18n.set_language("en")
