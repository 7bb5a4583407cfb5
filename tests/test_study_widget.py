"""Study mode on screen: map clicks answer, feedback shows, languages switch, progress is safe."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from PySide6.QtCore import QPoint, Qt

from bodymap import i18n
from bodymap.geometry import load_geometry
from bodymap.library import load_library
from bodymap.study import ProgressStore
from bodymap.widgets.prompts import Prompter
from bodymap.widgets.study import StudyWidget

T0 = datetime(2025, 3, 3, 9, 0, tzinfo=UTC)


@pytest.fixture(scope="module")
def data():
    return load_library(None), load_geometry()


class Scripted(Prompter):
    """Answers "confirm" with ``yes`` and records the errors shown."""

    def __init__(self) -> None:
        super().__init__()
        self.yes = True
        self.errors: list[str] = []

    def confirm(self, title, text):
        return self.yes

    def error(self, title, text):
        self.errors.append(text)


@pytest.fixture
def make_widget(qtbot, data, tmp_path):
    def make(store: ProgressStore | None = None, kinds=None) -> StudyWidget:
        library, geometry = data
        w = StudyWidget(library, geometry, store=store or ProgressStore(tmp_path / "p.json"),
                        now=lambda: T0, prompter=Scripted())
        qtbot.addWidget(w)
        if kinds is not None:
            w.start_session(kinds=kinds)
        w.resize(1100, 800)
        w.show()
        qtbot.waitExposed(w)
        return w

    return make


def _click_back(qtbot, w: StudyWidget, x: float, y: float) -> None:
    pos = w.map.back_to_widget(x, y)
    qtbot.mouseClick(w.map, Qt.MouseButton.LeftButton, pos=QPoint(round(pos.x()), round(pos.y())))


def _next(w: StudyWidget) -> None:
    """Go on as the feedback offers: its default grade's button (Good, or Again if wrong)."""
    grades = w.feedback.grades
    grades.buttons[grades.default_grade()].click()


def test_clicking_the_right_zone_on_the_map_counts_as_right(qtbot, make_widget, data):
    _, geometry = data
    w = make_widget(kinds=("zone",))
    drill = w.current_drill()
    assert drill.kind == "zone"
    assert w.prompt_label.text() == drill.prompt["en"]
    with qtbot.waitSignal(w.answered) as sig:
        p = geometry.polygon(drill.highlight[0]).representative_point()
        _click_back(qtbot, w, p.x, p.y)
    assert sig.args == [drill.id, True]
    assert w.verdict.right and w.feedback.isVisible()
    assert w.verdict_label.text() == i18n.tr("study.right")
    assert w.store.last_right(drill.id) is True


def test_a_wrong_zone_counts_as_wrong_and_the_answer_is_shown(qtbot, make_widget):
    w = make_widget(kinds=("zone",))
    drill = w.current_drill()
    wrong = "lumbosacral-right" if not drill.id.startswith("zone:lumbosacral") else "collar-left"
    w.map.zoneClicked.emit(wrong)
    assert w.verdict is not None and not w.verdict.right
    assert w.feedback.isVisible()
    assert w.verdict_label.text() == i18n.tr("study.wrong")
    assert drill.answer_text["en"] in w.answer_label.text()
    assert w.source_label.text().startswith("Source:")
    assert w.explanation_label.text() == drill.explanation["en"]
    # the right answer is highlighted on the map
    assert tuple(w.map.plan().emphasis_zones) == drill.highlight
    # more clicks do not answer again; Next moves on
    w.map.zoneClicked.emit(drill.highlight[0])
    assert not w.verdict.right
    _next(w)
    assert w.verdict is None and not w.feedback.isVisible()


def test_where_not_to_press_takes_a_point_on_the_map(qtbot, make_widget, data):
    _, geometry = data
    w = make_widget(kinds=("notouch",))
    assert w.current_drill().kind == "notouch"
    p = geometry.polygon("spine").representative_point()
    _click_back(qtbot, w, p.x, p.y)
    assert w.verdict.right
    assert w.map.current_step() == w.verdict.drill.step  # the step's no-touch areas shown
    w.next_card()
    d = w.current_drill()
    far = geometry.polygon("collar-right").representative_point()
    assert not d.area.buffer(5).contains(far)
    _click_back(qtbot, w, far.x, far.y)
    assert not w.verdict.right


def test_order_and_choice_and_zone_selection_cards(qtbot, make_widget):
    w = make_widget(kinds=("order",))
    d = w.current_drill()
    card = w.card("order")
    assert card.order_ids() != list(d.order)  # shuffled
    # put the list in the right order with the arrow buttons' logic
    for target, oid in enumerate(d.order):
        row = card.order_ids().index(oid, target)
        card.order_list.setCurrentRow(row)
        while card.order_list.currentRow() > target:
            card.up_button.click()
    card.check_order_button.click()
    assert w.verdict.right

    w.start_session(kinds=("contra",))
    d = w.current_drill()
    button = next(b for b in w.card().choice_buttons if b.property("optionId") in d.accept)
    button.click()
    assert w.verdict.right

    w.start_session(kinds=("condzone",))
    d = w.current_drill()
    for zone in sorted(d.accept):
        w.map.zoneClicked.emit(f"{zone}-left")
    w.card().check_zones_button.click()
    assert w.verdict.right


def test_switching_language_changes_the_prompt(qtbot, make_widget):
    w = make_widget(kinds=("zone",))
    drill = w.current_drill()
    try:
        i18n.set_language("ru")
        assert w.prompt_label.text() == drill.prompt["ru"]
        assert w.end_button.text() == i18n.tr("study.end", "ru")
        w.map.zoneClicked.emit(drill.highlight[0])
        assert w.verdict_label.text() == i18n.tr("study.right", "ru")
        i18n.set_language("en")
        assert w.prompt_label.text() == drill.prompt["en"]
        assert w.explanation_label.text() == drill.explanation["en"]
    finally:
        i18n.set_language("en")


def test_summary_shows_counts_and_the_progress_plot(qtbot, make_widget):
    w = make_widget(kinds=("zone",))
    drill = w.current_drill()
    w.map.zoneClicked.emit(drill.highlight[0])
    w.next_card()
    w.map.zoneClicked.emit("not-a-zone")
    with qtbot.waitSignal(w.sessionFinished):
        w.end_button.click()
    assert w.pages.currentIndex() == 1
    assert w.summary.counts.text() == "Answered 2: 1 right, 1 wrong."
    assert "Find the zone" in w.summary.review.text()
    assert w.summary.plot is not None and w.summary.plot.isVisible()


def test_corrupt_progress_is_reported_and_study_starts_fresh(qtbot, make_widget, tmp_path):
    path = tmp_path / "bad.json"
    path.write_text("{ not json", encoding="utf-8")
    w = make_widget(store=ProgressStore(path))
    assert len(w.prompter.errors) == 1 and str(path) in w.prompter.errors[0]
    assert not path.exists() and w.store.moved_to.exists()
    assert w.current_drill() is not None  # a fresh session


def test_reset_asks_first(qtbot, make_widget):
    w = make_widget(kinds=("zone",))
    w.map.zoneClicked.emit(w.current_drill().highlight[0])
    assert w.store.known()
    w.prompter.yes = False
    w.reset_progress()
    assert w.store.known()
    w.prompter.yes = True
    w.reset_progress()
    assert not w.store.known() and not w.store.path.exists()
    assert w.pages.currentIndex() == 0


def test_the_technique_card_animates_and_stops_when_hidden(qtbot, make_widget):
    w = make_widget(kinds=("technique",))
    d = w.current_drill()
    assert len(w.map.plan().steps) == 1
    assert w.map.is_playing()
    next(b for b in w.card().choice_buttons if b.property("optionId") in d.accept).click()
    assert w.verdict.right
    w.hide()
    assert not w.map.is_playing()


@pytest.mark.parametrize("kind", ["zone", "notouch", "order", "condzone", "contra", "technique"])
def test_the_map_is_on_screen_only_where_it_answers_or_explains(qtbot, make_widget, kind):
    w = make_widget(kinds=(kind,))
    d = w.current_drill()
    panel_only = kind in ("contra", "order")
    assert w.map_shown() is not panel_only
    assert w.map.isVisible() is not panel_only
    if panel_only:  # no large empty panel: the text takes the room
        assert w.panel.width() > 1.5 * w.PANEL_WIDTH
        assert w.prompt_label.width() > 1.4 * w.PANEL_WIDTH
    if kind == "contra":
        next(b for b in w.card().choice_buttons if b.property("optionId") in d.accept).click()
        assert not w.map_shown()  # still nothing to do there
    if kind == "order":
        w.card().check_order_button.click()
        assert w.map_shown() and w.map.plan() is d.plan  # the session appears on the map
        assert w.panel.width() == w.PANEL_WIDTH


def test_the_zone_clicked_wrongly_is_not_outlined_on_the_next_card(qtbot, make_widget, data):
    _, geometry = data
    w = make_widget(kinds=("zone",))
    drill = w.current_drill()
    wrong = next(z for z in ("lumbosacral-right", "collar-left") if z not in drill.accept)
    p = geometry.polygon(wrong).representative_point()
    _click_back(qtbot, w, p.x, p.y)
    assert not w.verdict.right
    assert w.map.selected_zone() == wrong  # drawn with a dashed outline
    _next(w)
    assert w.current_drill().id != drill.id
    assert w.map.selected_zone() is None


def test_the_card_counter_keeps_its_total(qtbot, make_widget):
    w = make_widget(kinds=("zone",))
    import re

    seen = []
    for _ in range(6):
        seen.append(w.progress_label.text())
        zone = "collar-left" if "collar-left" not in w.current_drill().accept else "thoracic-left"
        w.map.zoneClicked.emit(zone)  # mostly wrong: wrong cards come back
        seen.append(w.progress_label.text())
        _next(w)
        if w.session.finished:
            break
    totals = {re.search(r"of (\d+)", text).group(1) for text in seen}
    numbers = [int(re.search(r"Card (\d+)", text).group(1)) for text in seen]
    assert len(totals) == 1, seen
    assert numbers == sorted(numbers), seen
    assert any("asked again" in text for text in seen) or len(set(numbers)) == len(seen) // 2
