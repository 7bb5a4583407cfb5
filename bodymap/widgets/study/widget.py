"""Study mode: drills on the body map with instant feedback, FSRS scheduling and a progress plot.

``StudyWidget(library, geometry, parent=None, prompter=...)`` is a plain QWidget; the main
window shows it as a window (View -> Study mode). It owns a :class:`~bodymap.study.ProgressStore`
(the student's file in the user data folder) and runs one :class:`~bodymap.study.StudySession`
at a time. Each drill kind has its card (:mod:`bodymap.widgets.study.cards`); at the end the
:class:`~bodymap.widgets.study.summary.SummaryPage` shows counts and a plot. Questions go
through the prompter (tests pass a scripted one).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QPushButton,
    QSizePolicy,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from bodymap.i18n import pick, tr
from bodymap.study import Drill, ProgressStore, StudySession, Verdict, build_drills
from bodymap.widgets.accessible import RetranslatesOnLanguageChange
from bodymap.widgets.prompts import Prompter
from bodymap.widgets.study.cards import CARDS, Card
from bodymap.widgets.study.map import RIGHT_COLOUR, WRONG_COLOUR, StudyMapView, study_label
from bodymap.widgets.study.summary import SummaryPage


class StudyWidget(RetranslatesOnLanguageChange, QWidget):
    """Study mode. Signals: ``answered(drill_id, right)`` after every answer;
    ``sessionFinished()`` when the summary is shown."""

    answered = Signal(str, bool)
    sessionFinished = Signal()

    PANEL_WIDTH = 430
    TEXT_WIDTH = 820  # the panel alone, when a card has no map

    def __init__(self, library: Any, geometry: Any, parent: QWidget | None = None, *,
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
        self.session: StudySession | None = None
        self.verdict: Verdict | None = None
        self._problem_shown = False
        self._build()
        self.cards: dict[str, Card] = {}
        for card_class in CARDS:
            card = card_class(self)
            self.cards[card.kind] = card
            self.answer_stack.addWidget(card.widget)
        self.start_session()

    # ----------------------------------------------------------------------- building
    def _build(self) -> None:
        self.pages = QStackedWidget()
        QVBoxLayout(self).addWidget(self.pages)
        self.layout().setContentsMargins(0, 0, 0, 0)
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
        col.addWidget(self._build_feedback())
        col.addStretch(1)
        self.end_button = QPushButton()
        self.end_button.setObjectName("studyEnd")
        self.end_button.clicked.connect(self.end_session)
        bottom = QHBoxLayout()
        bottom.addStretch(1)
        bottom.addWidget(self.end_button)
        col.addLayout(bottom)
        return panel

    def _build_feedback(self) -> QFrame:
        self.feedback = QFrame()
        self.feedback.setObjectName("studyFeedback")
        self.feedback.setFrameShape(QFrame.Shape.StyledPanel)
        fl = QVBoxLayout(self.feedback)
        self.verdict_label = study_label(size=15, bold=True, name="studyVerdict")
        self.clicked_label = study_label(name="studyClicked")
        self.answer_label = study_label(bold=True, name="studyAnswer")
        self.explanation_label = study_label(name="studyExplanation")
        self.source_label = study_label(colour="#6b625b", name="studySource")
        font = self.source_label.font()
        font.setPointSizeF(max(7.0, font.pointSizeF() * 0.9))
        self.source_label.setFont(font)
        for w in (self.verdict_label, self.clicked_label, self.answer_label,
                  self.explanation_label, self.source_label):
            fl.addWidget(w)
        self.next_button = QPushButton()
        self.next_button.setObjectName("studyNext")
        self.next_button.setDefault(True)
        self.next_button.clicked.connect(self.next_card)
        nb = QHBoxLayout()
        nb.addStretch(1)
        nb.addWidget(self.next_button)
        fl.addLayout(nb)
        return self.feedback

    def showEvent(self, event) -> None:
        super().showEvent(event)
        if self.store.problem and not self._problem_shown:
            self._problem_shown = True
            self.prompter.error(tr("study.corrupt.title"), self.store.problem)

    # ------------------------------------------------------------------ the session
    def start_session(self, kinds: Any = None) -> None:
        """A new session over every kind of drill, or only ``kinds`` (e.g. ``("zone",)``)."""
        kwargs: dict[str, Any] = {"now": self._now} if self._now is not None else {}
        if kinds is not None:
            kwargs["kinds"] = tuple(kinds)
        self.session = StudySession(self.drills, self.store, **kwargs)
        # the counter counts distinct cards: a card asked again keeps the total
        self._total = len({d.id for d in self.session.queue})
        self._seen: list[str] = []
        self.verdict = None
        self.pages.setCurrentIndex(0)
        if self.session.finished:
            self._show_summary(nothing_due=True)
            return
        self._show_card()

    def current_drill(self) -> Drill | None:
        return self.session.current if self.session is not None else None

    def card(self, kind: str | None = None) -> Card:
        """The card of ``kind`` (default: the current drill's)."""
        return self.cards[kind or self.current_drill().kind]

    def answer(self, response: Any) -> Verdict | None:
        """Answer the current card (what the map clicks and the card's buttons call)."""
        if self.session is None or self.session.current is None or self.verdict is not None:
            return None
        verdict = self.verdict = self.session.answer(response)
        if self.session.save_error is not None:
            self.prompter.error(tr("study.corrupt.title"), tr(
                "study.save_failed", path=str(self.store.path),
                error=str(self.session.save_error)))
        self._show_feedback()
        self.answered.emit(verdict.drill.id, verdict.right)
        return verdict

    def next_card(self) -> None:
        if self.session is None:
            return
        self.session.advance()
        self.verdict = None
        if self.session.finished:
            self._show_summary()
        else:
            self._show_card()

    def end_session(self) -> None:
        if self.session is not None:
            self.session.end()
        self.verdict = None
        self._show_summary()

    def reset_progress(self) -> None:
        if not self.prompter.confirm(tr("study.reset_title"), tr("study.reset_question")):
            return
        self.store.reset()
        self.start_session()

    # --------------------------------------------------------------- showing a card
    def _card_input(self, method: str, *args: Any) -> None:
        drill = self.current_drill()
        if drill is not None and self.verdict is None and self.pages.currentIndex() == 0:
            getattr(self.cards[drill.kind], method)(drill, *args)

    def _show_card(self) -> None:
        drill = self.current_drill()
        card = self.cards[drill.kind]
        self.feedback.hide()
        self.answer_stack.show()
        self.answer_stack.setEnabled(True)
        self.map.set_student_mark(None)
        self.map.clear_selection()  # the zone clicked on the last card is not this card's
        self.map.set_quiet(card.quiet)  # the map while asking: never the answer
        self.map.set_legend_visible(not card.quiet)
        if drill.id not in self._seen:
            self._seen.append(drill.id)
        card.show(drill)
        self.show_map(card.on_map)
        self._set_answer_page(card.widget)
        self.retranslate()

    def map_shown(self) -> bool:
        """Whether the map is on screen (cards answered on the panel give it the room)."""
        return not self.map.isHidden()

    def show_map(self, shown: bool) -> None:
        self.map.setVisible(shown)
        if shown:
            self.panel.setFixedWidth(self.PANEL_WIDTH)
        else:  # the text takes the room, in lines short enough to read
            self.panel.setMinimumWidth(self.PANEL_WIDTH)
            self.panel.setMaximumWidth(self.TEXT_WIDTH)

    def _set_answer_page(self, page: QWidget) -> None:
        """Show one answer page; the others take no room (a stack is as tall as its tallest)."""
        for i in range(self.answer_stack.count()):
            other = self.answer_stack.widget(i)
            policy = QSizePolicy.Policy.Preferred if other is page else QSizePolicy.Policy.Ignored
            other.setSizePolicy(policy, policy)
        self.answer_stack.setCurrentWidget(page)
        self.answer_stack.adjustSize()

    def _show_feedback(self) -> None:
        card = self.cards[self.verdict.drill.kind]
        self.answer_stack.setEnabled(False)
        if card.hide_answer_area:
            self.answer_stack.hide()
        self.map.set_quiet(False)
        card.show_feedback(self.verdict)
        self.feedback.show()
        self.next_button.setFocus()
        self.retranslate()

    def _show_summary(self, nothing_due: bool = False) -> None:
        self.map.set_playing(False)
        self.map.set_plan(None)
        self.pages.setCurrentIndex(1)
        s = self.session
        self.summary.show_summary(s.summary() if s is not None else None, self.store.days(),
                                  self._now_value, nothing_due)
        self.sessionFinished.emit()

    def _now_value(self) -> datetime:
        return self.session.now() if self.session is not None else datetime.now().astimezone()

    # -------------------------------------------------------------- texts
    def retranslate(self) -> None:
        self.end_button.setText(tr("study.end"))
        self.next_button.setText(tr("study.next"))
        self.summary.retranslate()
        for each in self.cards.values():
            each.retranslate_controls()
        drill = self.current_drill()
        if self.pages.currentIndex() == 1 or drill is None:
            return
        s, v = self.session, self.verdict
        self.kind_label.setText(tr(f"study.kind.{drill.kind}").upper())
        progress = tr("study.progress", n=max(1, len(self._seen)), total=self._total,
                      right=s.right, wrong=s.answered - s.right)
        if self._seen and drill.id != self._seen[-1]:
            progress = tr("study.progress_retry", progress=progress)
        self.progress_label.setText(progress)
        self.prompt_label.setText(pick(drill.prompt))
        card = self.cards[drill.kind]
        card.retranslate(drill, v)
        if v is not None:
            self._retranslate_feedback(card, v)

    def _retranslate_feedback(self, card: Card, v: Verdict) -> None:
        drill = v.drill
        self.verdict_label.setText(tr("study.right") if v.right else tr("study.wrong"))
        self.verdict_label.setStyleSheet(f"color: {RIGHT_COLOUR if v.right else WRONG_COLOUR};")
        where = card.where(v.response)
        self.clicked_label.setVisible(bool(where))
        self.clicked_label.setText(tr("study.you_clicked", where=where) if where else "")
        text = pick(drill.answer_text)
        answer = tr("study.answer", answer=("\n" + text) if "\n" in text else text)
        if card.hide_answer_area:
            answer += "\n" + tr("study.answer_shown")
        self.answer_label.setText(answer)
        self.explanation_label.setText(pick(drill.explanation))
        self.source_label.setText(tr("study.source", sources="; ".join(drill.sources)))


__all__ = ["StudyWidget"]
