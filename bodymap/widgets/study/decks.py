"""Choosing what to study: the deck bar above the study window, and the deck chooser.

:class:`DeckBar` shows the deck being studied (a combo box of "All cards" and the student's
decks) and how many of its cards are due and new. :class:`DeckDialog` (Study -> Decks...,
Ctrl+D) lists the decks and edits one: its name, topics, drill kinds, conditions and
techniques, and how many new cards a session brings; it shows at once how many cards match.
Every change is saved with the progress (:mod:`bodymap.decks`).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Protocol

from PySide6.QtCore import QSignalBlocker, Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from bodymap.decks import ALL, MAX_NAME, MAX_NEW, Deck, clean_name
from bodymap.drill_base import KINDS, TOPICS
from bodymap.i18n import pick, tr
from bodymap.widgets.accessible import name as a11y_name
from bodymap.widgets.study.map import study_label

if TYPE_CHECKING:
    from bodymap.schema import Text
    from bodymap.widgets.study.widget import StudyWidget

__all__ = ["DeckBar", "DeckDialog", "deck_title"]

_NAME = Qt.ItemDataRole.UserRole


def deck_title(deck: Deck) -> str:
    return tr("study.deck.all") if deck.builtin else deck.name


def _counts(study: StudyWidget, deck: Deck) -> tuple[int, int, int]:
    """(due now, new, total) cards of ``deck``."""
    cards = deck.cards(study.drills)
    now = study.now()
    due = sum(1 for d in cards if (t := study.store.due(d.id)) is not None and t <= now)
    new = sum(1 for d in cards if study.store.card(d.id) is None)
    return due, new, len(cards)


class _Named(Protocol):
    """A condition or a technique: what a deck's lists show of it."""

    @property
    def name(self) -> Text: ...


class DeckBar(QWidget):
    """The deck being studied, above the study window's pages."""

    def __init__(self, study: StudyWidget) -> None:
        super().__init__(study)
        self.study = study
        self.setObjectName("studyDeckBar")
        row = QHBoxLayout(self)
        row.setContentsMargins(10, 6, 10, 2)
        self.label = QLabel(self)
        self.combo = QComboBox(self)
        self.combo.setObjectName("studyDeckCombo")
        self.combo.setMinimumContentsLength(18)
        self.combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.combo.activated.connect(self._chosen)
        self.label.setBuddy(self.combo)
        self.counts = study_label(colour="#6b625b", name="studyDeckCounts")
        self.counts.setWordWrap(False)
        self.edit_button = QPushButton(self)
        self.edit_button.setObjectName("studyDecksButton")
        self.edit_button.clicked.connect(lambda: study.menus.open_decks())
        self.mastery_button = QPushButton(self)
        self.mastery_button.setObjectName("studyMasteryButton")
        self.mastery_button.clicked.connect(lambda: study.show_mastery())
        self.exam_button = QPushButton(self)
        self.exam_button.setObjectName("studyExamButton")
        self.exam_button.clicked.connect(lambda: study.exam.open_setup())
        row.addWidget(self.label)
        row.addWidget(self.combo)
        row.addWidget(self.edit_button)
        row.addSpacing(12)
        row.addWidget(self.counts, 1)
        row.addWidget(self.mastery_button)
        row.addWidget(self.exam_button)

    def refresh(self) -> None:
        decks = self.study.store.decks()
        with QSignalBlocker(self.combo):
            self.combo.clear()
            for deck in decks:
                self.combo.addItem(deck_title(deck), deck.name)
            self.combo.setCurrentIndex(max(0, self.combo.findData(self.study.deck.name)))
        self.retranslate()

    def update_state(self) -> None:
        """Nothing of the deck changes during an exam."""
        in_exam = self.study.exam.active()
        for w in (self.combo, self.edit_button, self.mastery_button, self.exam_button):
            w.setEnabled(not in_exam)

    def _chosen(self, index: int) -> None:
        deck = self.study.store.find_deck(self.combo.itemData(index))
        if deck is not None and deck != self.study.deck:
            self.study.choose_deck(deck)

    def retranslate(self) -> None:
        self.label.setText(tr("study.deck.label"))
        self.edit_button.setText(tr("study.menu.decks"))
        self.edit_button.setToolTip(tr("study.deck.decks_tip"))
        self.mastery_button.setText(tr("study.menu.mastery"))
        self.mastery_button.setToolTip(tr("study.deck.mastery_tip"))
        self.exam_button.setText(tr("study.menu.exam"))
        self.exam_button.setToolTip(tr("study.deck.exam_tip"))
        self.update_state()
        tip = tr("study.deck.tip")
        self.combo.setToolTip(tip)
        a11y_name(self.combo, tr("study.deck.label"))
        if self.combo.count():
            self.combo.setItemText(0, tr("study.deck.all"))
        due, new, total = _counts(self.study, self.study.deck)
        self.counts.setText(tr("study.deck.counts", due=due, new=new, total=total))


class DeckDialog(QDialog):
    """The decks: pick one on the left, change it on the right, Save, Study this deck."""

    def __init__(self, study: StudyWidget) -> None:
        super().__init__(study)
        self.study = study
        self.setObjectName("studyDeckDialog")
        self.decks = QListWidget(self)
        self.decks.setObjectName("studyDeckList")
        self.decks.currentItemChanged.connect(lambda *_: self._load())
        self.name_label = QLabel(self)
        self.name_edit = QLineEdit(self)
        self.name_edit.setObjectName("studyDeckName")
        self.name_edit.setMaxLength(MAX_NAME)
        self.name_edit.textEdited.connect(lambda _t: self._changed())
        self.name_label.setBuddy(self.name_edit)
        self.topics = self._boxes(TOPICS, "studyTopic")
        self.kinds = self._boxes(KINDS, "studyKindBox")
        self.conditions = self._checklist("studyDeckConditions")
        self.techniques = self._checklist("studyDeckTechniques")
        self.new_label = QLabel(self)
        self.new_spin = QSpinBox(self)
        self.new_spin.setObjectName("studyDeckNew")
        self.new_spin.setRange(0, MAX_NEW)
        self.new_spin.valueChanged.connect(lambda _v: self._changed())
        self.new_label.setBuddy(self.new_spin)
        self.matches = study_label(bold=True, name="studyDeckMatches")
        self.problem = study_label(colour="#b3261e", name="studyDeckProblem")
        self.note = study_label(colour="#6b625b")
        self.buttons = {key: QPushButton(self) for key in
                        ("new", "duplicate", "delete", "save", "study")}
        for key, b in self.buttons.items():
            b.setObjectName(f"studyDeck-{key}")
            b.clicked.connect(getattr(self, f"_{key}"))
        self.buttons["study"].setDefault(True)
        self._layout()
        self.resize(860, 600)
        self.fill()

    # ----------------------------------------------------------------- building
    def _boxes(self, ids: tuple[str, ...], prefix: str) -> dict[str, QCheckBox]:
        out = {}
        for i in ids:
            box = QCheckBox(self)
            box.setObjectName(f"{prefix}-{i}")
            box.toggled.connect(lambda _on: self._changed())
            out[i] = box
        return out

    def _checklist(self, name: str) -> QListWidget:
        lst = QListWidget(self)
        lst.setObjectName(name)
        lst.itemChanged.connect(lambda _item: self._changed())
        return lst

    def _layout(self) -> None:
        left = QVBoxLayout()
        left.addWidget(self.decks, 1)
        for key in ("new", "duplicate", "delete"):
            left.addWidget(self.buttons[key])
        form = QFormLayout()
        form.addRow(self.name_label, self.name_edit)
        form.addRow(self.new_label, self.new_spin)
        self.topic_group = QGroupBox(self)
        grid = QGridLayout(self.topic_group)
        for i, box in enumerate(self.topics.values()):
            grid.addWidget(box, i // 2, i % 2)
        self.kind_group = QGroupBox(self)
        grid = QGridLayout(self.kind_group)
        for i, box in enumerate(self.kinds.values()):
            grid.addWidget(box, i // 2, i % 2)
        self.condition_group = QGroupBox(self)
        QVBoxLayout(self.condition_group).addWidget(self.conditions)
        self.technique_group = QGroupBox(self)
        QVBoxLayout(self.technique_group).addWidget(self.techniques)
        lists = QHBoxLayout()
        lists.addWidget(self.condition_group, 3)
        lists.addWidget(self.technique_group, 2)
        right = QVBoxLayout()
        right.addLayout(form)
        for w in (self.note, self.topic_group, self.kind_group):
            right.addWidget(w)
        right.addLayout(lists, 1)
        right.addWidget(self.matches)
        right.addWidget(self.problem)
        bottom = QHBoxLayout()
        bottom.addStretch(1)
        bottom.addWidget(self.buttons["save"])
        bottom.addWidget(self.buttons["study"])
        right.addLayout(bottom)
        outer = QHBoxLayout(self)
        outer.addLayout(left, 1)
        outer.addLayout(right, 3)

    # ------------------------------------------------------------------- showing
    def fill(self, select: str | None = None) -> None:
        """The deck list; ``select`` (a name) or the deck being studied is made current."""
        want = self.study.deck.name if select is None else select
        with QSignalBlocker(self.decks):
            self.decks.clear()
            for deck in self.study.store.decks():
                item = QListWidgetItem(deck_title(deck), self.decks)
                item.setData(_NAME, deck.name)
            rows = [self.decks.item(i).data(_NAME) for i in range(self.decks.count())]
            self.decks.setCurrentRow(rows.index(want) if want in rows else 0)
        self._load()

    def current(self) -> Deck:
        item = self.decks.currentItem()
        found = self.study.store.find_deck(item.data(_NAME)) if item is not None else None
        return found if found is not None else ALL

    def _load(self) -> None:
        deck = self.current()
        self._loading = True
        self.name_edit.setText(deck_title(deck))
        for tid, box in self.topics.items():
            box.setChecked(tid in deck.topics)
        for kind, box in self.kinds.items():
            box.setChecked(kind in deck.kinds)
        self._fill_list(self.conditions, self.study.library.conditions, deck.conditions)
        self._fill_list(self.techniques, self.study.library.techniques, deck.techniques)
        self.new_spin.setValue(deck.new_per_session)
        self._loading = False
        editable = not deck.builtin
        for w in (self.name_edit, self.topic_group, self.kind_group, self.condition_group,
                  self.technique_group, self.new_spin):
            w.setEnabled(editable)
        self.buttons["delete"].setEnabled(editable)
        self.note.setVisible(deck.builtin)
        self._changed()

    def _fill_list(self, lst: QListWidget, items: Mapping[str, _Named],
                   ticked: frozenset[str]) -> None:
        with QSignalBlocker(lst):
            lst.clear()
            for iid, obj in items.items():
                item = QListWidgetItem(pick({"en": obj.name.en, "ru": obj.name.ru}), lst)
                item.setData(_NAME, iid)
                item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
                item.setCheckState(Qt.CheckState.Checked if iid in ticked
                                   else Qt.CheckState.Unchecked)

    def edited(self) -> Deck:
        """The deck as the form shows it (its name not checked yet)."""
        def ticked(lst: QListWidget) -> frozenset[str]:
            return frozenset(lst.item(i).data(_NAME) for i in range(lst.count())
                             if lst.item(i).checkState() == Qt.CheckState.Checked)

        return Deck(
            name=self.name_edit.text(),
            topics=frozenset(t for t, b in self.topics.items() if b.isChecked()),
            kinds=frozenset(k for k, b in self.kinds.items() if b.isChecked()),
            conditions=ticked(self.conditions),
            techniques=ticked(self.techniques),
            new_per_session=self.new_spin.value(),
        )

    def _changed(self) -> None:
        if getattr(self, "_loading", False):
            return
        deck = self.current() if self.current().builtin else self.edited()
        due, new, total = _counts(self.study, deck)
        self.matches.setText(tr("study.deck.matches", n=total, due=due, new=new))
        problem = self._problem(deck)
        self.problem.setText(problem)
        self.problem.setVisible(bool(problem))
        self.buttons["save"].setEnabled(not self.current().builtin and not problem)
        self.buttons["study"].setEnabled(not problem)

    def _problem(self, deck: Deck) -> str:
        if not deck.cards(self.study.drills):
            return tr("study.deck.empty")
        if deck.builtin:
            return ""
        try:
            name = clean_name(deck.name)
        except ValueError as exc:
            return tr("study.deck.bad_name", reason=str(exc))
        other = self.study.store.find_deck(name)
        if other is not None and name != self.current().name:
            return tr("study.deck.name_taken", name=name)
        return ""

    # ------------------------------------------------------------------- actions
    def _store(self, deck: Deck, replaces: str | None = None) -> None:
        self.study.store.save_deck(deck, self.study.now(), replaces=replaces)
        self.study.save_store()
        self.fill(select=deck.name)
        self.study.deck_bar.refresh()

    def _free_name(self, base: str) -> str:
        name, n = base, 2
        while self.study.store.find_deck(name) is not None:
            name, n = f"{base} {n}", n + 1
        return name[:MAX_NAME]

    def _new(self) -> None:
        self._store(Deck(name=self._free_name(tr("study.deck.untitled"))))

    def _duplicate(self) -> None:
        deck = self.current() if self.current().builtin else self.edited()
        title = tr("study.deck.copy_of", name=deck_title(self.current()))
        self._store(Deck(**{**deck.__dict__, "name": self._free_name(title[:MAX_NAME])}))

    def _delete(self) -> None:
        deck = self.current()
        if deck.builtin or not self.study.prompter.confirm(
                tr("study.deck.delete_title"), tr("study.deck.delete_question", name=deck.name)):
            return
        self.study.store.delete_deck(deck.name, self.study.now())
        self.study.save_store()
        if self.study.deck.name == deck.name:
            self.study.choose_deck(ALL)
        self.fill(select="")
        self.study.deck_bar.refresh()

    def _save(self) -> None:
        old = self.current()
        if old.builtin or self._problem(self.edited()):
            return
        deck = self.edited().renamed(self.name_edit.text())
        self._store(deck, replaces=old.name)
        if self.study.deck.name == old.name:
            self.study.choose_deck(deck)

    def _study(self) -> None:
        if not self.current().builtin:
            self._save()
        self.study.choose_deck(self.current())
        self.accept()

    def retranslate(self) -> None:
        self.setWindowTitle(tr("study.deck.dialog_title"))
        self.name_label.setText(tr("study.deck.name"))
        self.new_label.setText(tr("study.deck.new_per_session"))
        self.topic_group.setTitle(tr("study.deck.topics"))
        self.kind_group.setTitle(tr("study.deck.kinds"))
        self.condition_group.setTitle(tr("study.deck.conditions"))
        self.technique_group.setTitle(tr("study.deck.techniques"))
        self.note.setText(tr("study.deck.builtin_note"))
        drills = self.study.drills
        for tid, box in self.topics.items():
            n = sum(1 for d in drills if d.topic == tid)
            box.setText(f"{tr(f'study.topic.{tid}')} ({n})")
        for kind, box in self.kinds.items():
            n = sum(1 for d in drills if d.kind == kind)
            box.setText(f"{tr(f'study.kind.{kind}')} ({n})")
        for key, b in self.buttons.items():
            b.setText(tr(f"study.deck.{key}"))
        if self.decks.count():
            self.decks.item(0).setText(tr("study.deck.all"))
        if self.current().builtin:
            self.name_edit.setText(tr("study.deck.all"))
        self._changed()
