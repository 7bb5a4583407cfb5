"""The study window's menus and shortcuts.

Study: New session (Ctrl+N), Decks... (Ctrl+D), Study deck (a radio list), Exam... (Ctrl+E),
Mastery by topic (Ctrl+M), Export deck to Anki... (Ctrl+Shift+E), Reset progress..., Close
(Ctrl+W). Answer: Show answer (Ctrl+Enter) and the four grades on keys 1 to 4, as in Anki.
Each action calls a method of the :class:`~bodymap.widgets.study.StudyWidget` or its parts;
:meth:`StudyMenus.update_state` enables what applies to the page shown.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import TYPE_CHECKING

from PySide6.QtGui import QAction, QActionGroup, QKeySequence
from PySide6.QtWidgets import QMenu, QMenuBar

from bodymap.i18n import tr
from bodymap.study import GRADES

if TYPE_CHECKING:
    from bodymap.widgets.study.decks import DeckDialog
    from bodymap.widgets.study.widget import StudyWidget

__all__ = ["StudyMenus"]


class StudyMenus:
    def __init__(self, study: StudyWidget) -> None:
        self.study = study
        self.bar = QMenuBar(study)
        self.bar.setObjectName("studyMenuBar")
        self.study_menu = QMenu(self.bar)
        self.answer_menu = QMenu(self.bar)
        self.deck_menu = QMenu(self.study_menu)
        self.deck_menu.aboutToShow.connect(self._fill_decks)
        self.deck_group = QActionGroup(self.deck_menu)
        self.actions: dict[str, QAction] = {}
        add = self._add
        add(self.study_menu, "new_session", "Ctrl+N", lambda: study.start_session())
        add(self.study_menu, "decks", "Ctrl+D", self.open_decks)
        self.study_menu.addMenu(self.deck_menu)
        self.study_menu.addSeparator()
        add(self.study_menu, "exam", "Ctrl+E", study.exam.open_setup)
        add(self.study_menu, "mastery", "Ctrl+M", study.show_mastery)
        add(self.study_menu, "anki", "Ctrl+Shift+E", self.export_anki)
        self.study_menu.addSeparator()
        add(self.study_menu, "reset", "", study.reset_progress)
        add(self.study_menu, "close", "Ctrl+W", study.close)
        add(self.answer_menu, "show_answer", "Ctrl+Return", study.reveal)
        self.answer_menu.addSeparator()
        for i, grade in enumerate(GRADES, start=1):
            add(self.answer_menu, f"grade_{grade}", str(i),
                partial(study.feedback.grades.press, grade))
        self.bar.addMenu(self.study_menu)
        self.bar.addMenu(self.answer_menu)
        self.dialog: DeckDialog | None = None

    def _add(self, menu: QMenu, key: str, shortcut: str, slot: Callable[[], object]) -> None:
        action = QAction(menu)
        action.setObjectName(f"studyAction-{key}")
        if shortcut:
            action.setShortcut(QKeySequence(shortcut))
        action.triggered.connect(lambda _=False: slot())
        menu.addAction(action)
        self.study.addAction(action)  # the shortcut works wherever the window has focus
        self.actions[key] = action

    def _fill_decks(self) -> None:
        self.deck_menu.clear()
        from bodymap.widgets.study.decks import deck_title

        for deck in self.study.store.decks():
            action = QAction(deck_title(deck), self.deck_menu)
            action.setCheckable(True)
            action.setChecked(deck.name == self.study.deck.name)
            action.setActionGroup(self.deck_group)
            action.triggered.connect(lambda _=False, d=deck: self.study.choose_deck(d))
            self.deck_menu.addAction(action)

    def open_decks(self) -> DeckDialog:
        """The deck chooser (one, kept while the window lives); returns it."""
        from bodymap.widgets.study.decks import DeckDialog

        if self.dialog is None:
            self.dialog = DeckDialog(self.study)
        self.dialog.fill()
        self.dialog.retranslate()
        self.dialog.show()
        self.dialog.raise_()
        return self.dialog

    def export_anki(self) -> None:
        from bodymap.widgets.study.anki_media import export_deck

        export_deck(self.study)

    def update_state(self) -> None:
        study = self.study
        asking = study.pages.currentIndex() == 0 and study.verdict is None \
            and not study.exam.active() and study.current_drill() is not None
        self.actions["show_answer"].setEnabled(asking)
        verdict = study.verdict
        for grade in GRADES:
            allowed = verdict is not None and grade in verdict.grades
            self.actions[f"grade_{grade}"].setEnabled(allowed)
        in_exam = study.exam.active()
        for key in ("decks", "anki", "mastery", "new_session"):
            self.actions[key].setEnabled(not in_exam)
        self.deck_menu.setEnabled(not in_exam)
        study.deck_bar.update_state()

    def retranslate(self) -> None:
        self.study_menu.setTitle(tr("study.menu.study"))
        self.answer_menu.setTitle(tr("study.menu.answer"))
        self.deck_menu.setTitle(tr("study.menu.deck"))
        for key, action in self.actions.items():
            if key.startswith("grade_"):
                action.setText(tr(f"study.grade.{key[6:]}"))
            elif key == "show_answer":
                action.setText(tr("study.show_answer"))
            else:
                action.setText(tr(f"study.menu.{key}"))
        if self.dialog is not None:
            self.dialog.retranslate()
