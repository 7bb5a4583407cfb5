"""The screening checklist: every contraindication as a yes / no question, unanswered until
the therapist asks (fail-closed: an unanswered question blocks the plan).

From the keyboard the answers are one group of buttons: Tab reaches every Yes and No, Left and
Right move between a question's two answers, Up and Down to the same answer of the question
before or after, and Space answers (Space again takes the answer back)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QScrollArea,
    QSizePolicy,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from bodymap.i18n import language, pick, tr
from bodymap.widgets.panels.common import ACTION_COLORS, _text, plain_label
from bodymap.widgets.plaintext import plain_tip

if TYPE_CHECKING:
    from bodymap.schema import Contraindication


def _checklist_style() -> str:
    """One style sheet for the whole checklist (not three per question: Qt parses and applies
    each widget's own sheet separately, a cost paid 32 times at start-up). The action markers
    by colour; a checked answer in a light colour under dark text in any palette (a dark
    palette's text is light)."""
    markers = "".join(f'QFrame#answerMarker[action="{action}"] {{ background: {colour}; '
                      "border-radius: 2px; }\n" for action, colour in ACTION_COLORS.items())
    return (markers
            + "QFrame#answerMarker { background: #888; border-radius: 2px; }\n"
            + "QToolButton#answer-yes:checked { background: #f4c7c3; color: #1a1a1a; "
              "font-weight: bold; }\n"
            + "QToolButton#answer-no:checked { background: #c8e6c9; color: #1a1a1a; "
              "font-weight: bold; }\n")


class _Question(QWidget):
    """One contraindication question, answered yes / no, or not yet (the default)."""

    answerChanged = Signal()

    def __init__(self, contra: Contraindication, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.contra = contra
        self.marker = QFrame(self)
        self.marker.setObjectName("answerMarker")
        self.marker.setProperty("action", contra.action)  # coloured by CHECKLIST_STYLE
        self.marker.setFixedWidth(4)
        self.label = plain_label("", self)
        self.label.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        self.yes = QToolButton(self)
        self.no = QToolButton(self)
        for button, name in ((self.yes, "yes"), (self.no, "no")):
            button.setCheckable(True)
            button.setObjectName(f"answer-{name}")
            button.setAutoRaise(False)
            button.setMinimumWidth(44)
            button.setFocusPolicy(Qt.FocusPolicy.StrongFocus)  # Tab and a click reach it
            button.clicked.connect(lambda checked, b=button: self._clicked(b, checked))
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 2, 0, 2)
        layout.addWidget(self.marker)
        layout.addWidget(self.label, 1)
        layout.addWidget(self.yes, 0, Qt.AlignmentFlag.AlignTop)
        layout.addWidget(self.no, 0, Qt.AlignmentFlag.AlignTop)
        self.retranslate()

    def answer(self) -> bool | None:
        if self.yes.isChecked():
            return True
        if self.no.isChecked():
            return False
        return None

    def set_answer(self, answer: bool | None) -> None:
        self.yes.setChecked(answer is True)
        self.no.setChecked(answer is False)
        self._restyle()

    def _clicked(self, button: QToolButton, checked: bool) -> None:
        other = self.no if button is self.yes else self.yes
        if checked:
            other.setChecked(False)
        self._restyle()
        self.answerChanged.emit()

    def _restyle(self) -> None:
        unanswered = self.answer() is None
        font = self.label.font()
        font.setItalic(unanswered)
        self.label.setFont(font)

    def retranslate(self) -> None:
        c = self.contra
        self.label.setText(pick(_text(c.question)))
        self.yes.setText(tr("panel.yes"))
        self.no.setText(tr("panel.no"))
        tip = "\n".join(
            [
                tr(f"panel.action.{c.action}"),
                pick(_text(c.explanation)),
                tr("panel.sources", sources="; ".join(s.cite(language()) for s in c.sources)),
            ]
        )
        for widget in (self, self.label, self.yes, self.no):
            widget.setToolTip(plain_tip(tip))
        self.yes.setToolTip(plain_tip(tr("panel.yes_tip") + "\n\n" + tip))
        self.no.setToolTip(plain_tip(tr("panel.no_tip") + "\n\n" + tip))


class ScreeningChecklist(QWidget):
    """Every contraindication as a yes / no question; unanswered until the therapist asks."""

    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.questions: dict[str, _Question] = {}
        self.setStyleSheet(_checklist_style())
        self._layout = QVBoxLayout(self)
        self._layout.setContentsMargins(0, 0, 0, 0)
        self._layout.setSpacing(0)

    def set_contraindications(self, contras: list[Contraindication]) -> None:
        # Made while the list is hidden: a row shown in a visible list is styled and laid out
        # at once, and the list again with each row (35 questions: a fifth of the window's
        # start-up); shown again, the list lays out all of them in one pass.
        shown = self.isVisible()
        if shown:
            self.hide()
        for q in self.questions.values():
            q.deleteLater()
        self.questions = {}
        for c in contras:
            q = _Question(c, self)
            q.answerChanged.connect(self.changed)
            for button in (q.yes, q.no):
                button.installEventFilter(self)
            self._layout.addWidget(q)
            self.questions[c.id] = q
        if shown:
            self.show()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """The arrow keys on an answer: to the question's other answer (Left, Right), or to
        the same answer of the question before or after (Up, Down)."""
        if event.type() != QEvent.Type.KeyPress or not isinstance(event, QKeyEvent):
            return False
        if event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier:
            return False
        rows = [(q.yes, q.no) for q in self.questions.values()]
        here = next(((r, c) for r, row in enumerate(rows) for c, b in enumerate(row)
                     if b is watched), None)
        moves = {Qt.Key.Key_Left: (0, -1), Qt.Key.Key_Right: (0, 1),
                 Qt.Key.Key_Up: (-1, 0), Qt.Key.Key_Down: (1, 0)}
        if here is None or event.key() not in moves:
            return False
        dr, dc = moves[Qt.Key(event.key())]
        r, c = here[0] + dr, here[1] + dc
        if 0 <= r < len(rows) and 0 <= c < 2:
            target = rows[r][c]
            target.setFocus(Qt.FocusReason.TabFocusReason)
            scroll = _scroll_area_of(self)
            if scroll is not None:
                scroll.ensureWidgetVisible(target)
        return True

    def answers(self) -> dict[str, bool | None]:
        return {cid: q.answer() for cid, q in self.questions.items()}

    def unanswered(self) -> list[str]:
        return [cid for cid, a in self.answers().items() if a is None]

    def set_answers(self, present: set[str], answered: set[str] | None) -> None:
        """``answered=None``: every question was answered (yes if present, else no)."""
        for cid, q in self.questions.items():
            if cid in present:
                q.set_answer(True)
            elif answered is None or cid in answered:
                q.set_answer(False)
            else:
                q.set_answer(None)

    def mark_unanswered_no(self) -> int:
        count = 0
        for q in self.questions.values():
            if q.answer() is None:
                q.set_answer(False)
                count += 1
        return count

    def retranslate(self) -> None:
        for q in self.questions.values():
            q.retranslate()



def _scroll_area_of(widget: QWidget) -> QScrollArea | None:
    parent = widget.parentWidget()
    while parent is not None and not isinstance(parent, QScrollArea):
        parent = parent.parentWidget()
    return parent
