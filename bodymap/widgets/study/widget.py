"""Study mode: drills on the body map with instant feedback, self-grading, decks, an exam,
mastery per topic and an Anki export.

``StudyWidget(library, geometry, parent=None, prompter=...)`` is a plain QWidget; the main
window shows it as a window (View -> Study mode). It owns a :class:`~bodymap.study.ProgressStore`
(the student's file in the user data folder) and runs one :class:`~bodymap.study.StudySession`
at a time over the chosen deck (the last one studied, remembered in the progress file). Each
drill kind has its card (:mod:`.cards`); after an answer the :class:`.feedback.FeedbackPanel`
shows why and takes the student's grade; at the end the :class:`.summary.SummaryPage` shows
counts and a plot. The exam (:mod:`.exam`), the mastery page (:mod:`.mastery`), the deck
chooser (:mod:`.decks`) and the menus (:mod:`.menu`) are their own parts. Questions go through
the prompter (tests pass a scripted one).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Signal
from PySide6.QtGui import QHideEvent, QShowEvent
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSizePolicy,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from bodymap.decks import Deck
from bodymap.i18n import pick, tr
from bodymap.study import Drill, ProgressStore, StudySession, Verdict, build_drills
from bodymap.widgets.accessible import RetranslatesOnLanguageChange
from bodymap.widgets.prompts import Prompter
from bodymap.widgets.study.cards import CARDS, Card
from bodymap.widgets.study.decks import DeckBar
from bodymap.widgets.study.exam import ExamRunner
from bodymap.widgets.study.feedback import FeedbackPanel
from bodymap.widgets.study.map import StudyMapView, study_label
from bodymap.widgets.study.menu import StudyMenus
from bodymap.widgets.study.summary import SummaryPage

if TYPE_CHECKING:
    from bodymap.geometry import BackGeometry
    from bodymap.library import Library

STUDY_PAGE, SUMMARY_PAGE, MASTERY_PAGE, REPORT_PAGE = range(4)


class StudyWidget(RetranslatesOnLanguageChange, QWidget):
    """Study mode. Signals: ``answered(drill_id, right)`` after every answer;
    ``sessionFinished()`` when the summary is shown."""

    answered = Signal(str, bool)
    sessionFinished = Signal()

    PANEL_WIDTH = 430
    TEXT_WIDTH = 820  # the panel alone, when a card has no map

    def __init__(self, library: Library, geometry: BackGeometry,
                 parent: QWidget | None = None, *,
                 store: ProgressStore | None = None, now: Callable[[], datetime] | None = None,
                 prompter: Prompter | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("studyWidget")
        self.library = library
        self.geometry_model = geometry
        self.prompter = prompter if prompter is not None else Prompter(self)
        self.store = store if store is not None else ProgressStore()
        self._now = now
        self.drills: list[Drill] = build_drills(library, geometry)
        self.deck: Deck = self.store.last_deck()
        self.session: StudySession | None = None
        self.verdict: Verdict | None = None
        self._problem_shown = False
        self._fitted = False
        self._build()
        self.cards: dict[str, Card] = {}
        for card_class in CARDS:
            card = card_class(self)
            self.cards[card.kind] = card
            self.answer_stack.addWidget(card.widget)
            if card.stage is not None:  # a card's own view, in the map's place
                card.stage.hide()
                self.row.insertWidget(self.row.indexOf(self.map) + 1, card.stage, 3)
        self.exam = ExamRunner(self)
        self.pages.addWidget(self.exam.report_page)
        self.menus = StudyMenus(self)
        self.outer.setMenuBar(self.menus.bar)
        self.start_session()

    # ----------------------------------------------------------------------- building
    def _build(self) -> None:
        outer = self.outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.setSpacing(0)
        self.deck_bar = DeckBar(self)
        outer.addWidget(self.deck_bar)
        self.pages = QStackedWidget()
        outer.addWidget(self.pages, 1)
        study = QWidget()
        row = QHBoxLayout(study)
        self.map = StudyMapView(self.geometry_model)
        self.map.zoneClicked.connect(lambda zone: self._card_input("zone_clicked", zone))
        self.map.pointClicked.connect(lambda x, y: self._card_input("point_clicked", x, y))
        # cards answered on the panel hide the map and give their text the room
        row.addWidget(self.map, 3)
        self.panel = self._build_panel()
        row.addWidget(self.panel, 2)
        self.row = row
        self.pages.addWidget(study)
        self.summary = SummaryPage()
        self.summary.reset_button.clicked.connect(self.reset_progress)
        self.summary.again_button.clicked.connect(lambda: self.start_session())
        self.pages.addWidget(self.summary)
        from bodymap.widgets.study.mastery import MasteryPage

        self.mastery = MasteryPage()
        self.mastery.back_button.clicked.connect(self.back_to_study)
        self.pages.addWidget(self.mastery)

    def _build_panel(self) -> QFrame:
        panel = QFrame()
        panel.setObjectName("studyPanel")
        panel.setFixedWidth(self.PANEL_WIDTH)
        panel.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Expanding)
        col = QVBoxLayout(panel)
        self.kind_label = study_label(bold=True, colour="#5a5048", name="studyKind")
        self.progress_label = study_label(colour="#6b625b", name="studyProgress")
        self.prompt_label = study_label(size=13.5, bold=True, name="studyPrompt")
        self.answer_stack = QStackedWidget()
        self.answer_stack.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Maximum)
        for w in (self.kind_label, self.progress_label, self.prompt_label, self.answer_stack):
            col.addWidget(w)
        self.feedback = FeedbackPanel()
        self.feedback.grades.graded.connect(self.grade)
        col.addWidget(self.feedback)
        col.addStretch(1)
        self.show_answer_button = QPushButton()
        self.show_answer_button.setObjectName("studyShowAnswer")
        self.show_answer_button.clicked.connect(self.reveal)
        self.end_button = QPushButton()
        self.end_button.setObjectName("studyEnd")
        self.end_button.clicked.connect(self.end_session)
        bottom = QHBoxLayout()
        bottom.addWidget(self.show_answer_button)
        bottom.addStretch(1)
        bottom.addWidget(self.end_button)
        col.addLayout(bottom)
        return panel

    # the feedback's labels, as the tests and the screen reader know them
    @property
    def verdict_label(self) -> QLabel:
        return self.feedback.verdict_label

    @property
    def answer_label(self) -> QLabel:
        return self.feedback.answer_label

    @property
    def explanation_label(self) -> QLabel:
        return self.feedback.explanation_label

    @property
    def source_label(self) -> QLabel:
        return self.feedback.source_label

    @property
    def clicked_label(self) -> QLabel:
        return self.feedback.clicked_label

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self.isWindow() and not self._fitted:
            self._fitted = True
            self._fit_screen()
        self.exam.resume()
        if self.store.problem and not self._problem_shown:
            self._problem_shown = True
            self.prompter.error(tr("study.corrupt.title"), self.store.problem)

    def _fit_screen(self) -> None:
        """A window opened larger than the screen's free area (1366x768 less a panel) is
        made to fit it, so nothing of the study window is off-screen."""
        screen = self.screen()
        if screen is None:
            return
        room = screen.availableGeometry()
        frame = self.frameGeometry().size() - self.geometry().size()
        width = min(self.width(), room.width() - frame.width())
        height = min(self.height(), room.height() - frame.height())
        if (width, height) != (self.width(), self.height()):
            self.resize(width, height)
            self.move(room.x() + (room.width() - width - frame.width()) // 2,
                      room.y() + (room.height() - height - frame.height()) // 2)

    def hideEvent(self, event: QHideEvent) -> None:
        self.exam.pause()
        super().hideEvent(event)

    def now(self) -> datetime:
        return self._now() if self._now is not None else datetime.now(UTC)

    # ------------------------------------------------------------------ decks
    def choose_deck(self, deck: Deck) -> None:
        """Study ``deck`` from now on (remembered for the next start)."""
        self.deck = deck
        self.store.use_deck(deck, self.now())
        self.save_store()
        self.start_session()

    def deck_cards(self, deck: Deck | None = None) -> list[Drill]:
        return (deck or self.deck).cards(self.drills)

    def save_store(self) -> None:
        try:
            self.store.save()
        except OSError as exc:
            self.prompter.error(tr("study.corrupt.title"), tr(
                "study.save_failed", path=str(self.store.path), error=str(exc)))

    # ------------------------------------------------------------------ the session
    def start_session(self, kinds: Iterable[str] | None = None) -> None:
        """A new session over the deck, or only its drills of ``kinds`` (e.g. ``("zone",)``)."""
        self.exam.abandon()
        kwargs: dict[str, Any] = {"now": self._now} if self._now is not None else {}
        if kinds is not None:
            kwargs["kinds"] = tuple(kinds)
        self.session = StudySession(self.drills, self.store, deck=self.deck, **kwargs)
        # the counter counts distinct cards: a card asked again keeps the total
        self._total = len({d.id for d in self.session.queue})
        self._seen: list[str] = []
        self.verdict = None
        self.pages.setCurrentIndex(STUDY_PAGE)
        self.deck_bar.refresh()
        if self.session.finished:
            self._show_summary(nothing_due=True)
            return
        self._show_card()

    def current_drill(self) -> Drill | None:
        if self.exam.active():
            return self.exam.current()
        return self.session.current if self.session is not None else None

    def attempt(self, drill_id: str) -> int:
        """How often ``drill_id`` was asked in this sitting (its options shuffle anew)."""
        return self.session.attempt(drill_id) if self.session is not None else 0

    def card(self, kind: str | None = None) -> Card:
        """The card of ``kind`` (default: the current drill's)."""
        drill = self.current_drill()
        return self.cards[kind or (drill.kind if drill is not None else "zone")]

    def answer(self, response: Any, point: tuple[float, float] | None = None) -> Verdict | None:
        """Answer the current card (what the map clicks and the card's buttons call);
        ``point``: where on the map the student clicked."""
        if self.exam.active():
            self.exam.answer(response, point)
            return None
        if self.session is None or self.session.current is None or self.verdict is not None:
            return None
        verdict = self.verdict = self.session.answer(response, point)
        self._report_save_error()
        self._show_feedback()
        self.answered.emit(verdict.drill.id, verdict.right)
        return verdict

    def reveal(self) -> Verdict | None:
        """Show the answer without answering; the student grades their own recall."""
        if self.exam.active() or self.session is None or self.session.current is None \
                or self.verdict is not None:
            return None
        self.verdict = self.session.reveal()
        self._show_feedback()
        return self.verdict

    def grade(self, grade: str) -> None:
        """The student's grade for the answer shown; then the next card."""
        if self.session is None or self.verdict is None or grade not in self.verdict.grades:
            return
        self.verdict = self.session.grade(grade)
        self._report_save_error()
        if self.verdict.revealed:
            self.answered.emit(self.verdict.drill.id, grade != "again")
        self.next_card()

    def next_card(self) -> None:
        """Go on (after an answer: with the grade given, by default Good or Again)."""
        if self.session is None:
            return
        if self.verdict is not None and self.verdict.grade is None:
            self.session.grade("again")  # shown, never graded: not known
        self.session.advance()
        self.verdict = None
        if self.session.finished:
            self._show_summary()
        else:
            self._show_card()

    def end_session(self) -> None:
        if self.exam.active():
            self.exam.finish(ask=True)
            return
        if self.session is not None:
            self.session.end()
        self.verdict = None
        self._show_summary()

    def back_to_study(self) -> None:
        self.start_session()

    def reset_progress(self) -> None:
        if not self.prompter.confirm(tr("study.reset_title"), tr("study.reset_question")):
            return
        self.store.reset()
        self.start_session()

    def _report_save_error(self) -> None:
        if self.session is not None and self.session.save_error is not None:
            self.prompter.error(tr("study.corrupt.title"), tr(
                "study.save_failed", path=str(self.store.path),
                error=str(self.session.save_error)))

    # --------------------------------------------------------------- showing a card
    def _card_input(self, method: str, *args: Any) -> None:
        drill = self.current_drill()
        if drill is not None and self.verdict is None and self.pages.currentIndex() == STUDY_PAGE:
            getattr(self.cards[drill.kind], method)(drill, *args)

    def show_card(self) -> None:
        """Show the current drill's card (the session's or the exam's)."""
        self._show_card()

    def _show_card(self) -> None:
        drill = self.current_drill()
        if drill is None:
            return
        card = self.cards[drill.kind]
        self.pages.setCurrentIndex(STUDY_PAGE)
        self.feedback.hide()
        self.answer_stack.show()
        self.answer_stack.setEnabled(True)
        self.map.set_student_mark(None)
        self.map.clear_selection()  # the zone clicked on the last card is not this card's
        self.map.set_quiet(card.quiet)  # the map while asking: never the answer
        self.map.set_guarded(card.guarded)
        self.map.set_legend_visible(not card.quiet)
        if drill.id not in self._seen:
            self._seen.append(drill.id)
        card.show(drill)
        for each in self.cards.values():
            if each.stage is not None:
                each.stage.setVisible(each is card)
        self.show_map(card.on_map)
        self._set_answer_page(card.widget)
        self.show_answer_button.setVisible(not self.exam.active())
        self.menus.update_state()
        self.retranslate()

    def map_shown(self) -> bool:
        """Whether the map is on screen (cards answered on the panel give it the room)."""
        return not self.map.isHidden()

    def show_map(self, shown: bool) -> None:
        self.map.setVisible(shown)
        staged = any(c.stage is not None and not c.stage.isHidden() for c in self.cards.values())
        if shown or staged:
            self.panel.setFixedWidth(self.PANEL_WIDTH)
        else:  # the text takes the room, in lines short enough to read
            self.panel.setMinimumWidth(self.PANEL_WIDTH)
            self.panel.setMaximumWidth(self.TEXT_WIDTH)

    def _set_answer_page(self, page: QWidget) -> None:
        """Show one answer page; the others take no room (a stack is as tall as its tallest)."""
        for i in range(self.answer_stack.count()):
            other = self.answer_stack.widget(i)
            if other is None:
                continue
            policy = QSizePolicy.Policy.Preferred if other is page else QSizePolicy.Policy.Ignored
            other.setSizePolicy(policy, policy)
        self.answer_stack.setCurrentWidget(page)
        self.answer_stack.adjustSize()

    def _show_feedback(self) -> None:
        v, session = self.verdict, self.session
        if v is None or session is None:
            return
        card = self.cards[v.drill.kind]
        self.answer_stack.setEnabled(False)
        if card.hide_answer_area:
            self.answer_stack.hide()
        self.map.set_quiet(False)
        self.map.set_guarded(False)
        card.show_feedback(v)
        where = card.where(v.response) if not v.revealed else ""
        self.feedback.show_verdict(v, where, card.hide_answer_area, session.intervals())
        self.feedback.show()
        self.show_answer_button.hide()
        self.feedback.grades.focus_default()
        self.menus.update_state()
        self.retranslate()

    def _show_summary(self, nothing_due: bool = False) -> None:
        self.map.set_playing(False)
        self.map.set_plan(None)
        self.pages.setCurrentIndex(SUMMARY_PAGE)
        s = self.session
        self.summary.show_summary(s.summary() if s is not None else None, self.store.days(),
                                  self._now_value, nothing_due)
        self.menus.update_state()
        self.sessionFinished.emit()

    def _now_value(self) -> datetime:
        return self.session.now() if self.session is not None else datetime.now().astimezone()

    def show_mastery(self) -> None:
        """Mastery per topic of the current deck."""
        self.exam.abandon()
        self.map.set_playing(False)
        self.mastery.show_mastery(self.deck_cards(), self.store, self.now(), self.deck)
        self.pages.setCurrentIndex(MASTERY_PAGE)
        self.menus.update_state()

    # -------------------------------------------------------------- texts
    def retranslate(self) -> None:
        self.setWindowTitle(tr("studymode.title"))
        self.end_button.setText(tr("study.exam.finish") if self.exam.active()
                                else tr("study.end"))
        self.show_answer_button.setText(tr("study.show_answer"))
        self.show_answer_button.setToolTip(tr("study.show_answer_tip"))
        self.summary.retranslate()
        self.mastery.retranslate()
        self.deck_bar.retranslate()
        self.menus.retranslate()
        self.exam.retranslate()
        self.feedback.retranslate()
        for each in self.cards.values():
            each.retranslate_controls()
        drill = self.current_drill()
        if self.pages.currentIndex() != STUDY_PAGE or drill is None:
            return
        self.kind_label.setText(tr(f"study.kind.{drill.kind}").upper())
        self.progress_label.setText(self._progress_text(drill))
        self.prompt_label.setText(pick(drill.prompt))
        self.cards[drill.kind].retranslate(drill, self.verdict)

    def _progress_text(self, drill: Drill) -> str:
        if self.exam.active():
            return self.exam.progress_text()
        s = self.session
        right, answered = (s.right, s.answered) if s is not None else (0, 0)
        progress = tr("study.progress", n=max(1, len(self._seen)), total=self._total,
                      right=right, wrong=answered - right)
        if self._seen and drill.id != self._seen[-1]:
            progress = tr("study.progress_retry", progress=progress)
        return progress


__all__ = ["StudyWidget"]
