"""The profile's undo history: its commands, the Edit menu's Undo / Redo, the status notice.

Every change to the conditions, the findings, the marks on the map and the screening answers
is a :class:`ProfileCommand` on the session controller's ``QUndoStack``: it keeps the profile
before and after (the whole ``ProfileModel``, whatever fields it has) and its words in every
language (:func:`bodymap.changes.describe_texts`). Undoing puts the earlier profile back with
the patient's name and notes as they are now.

:class:`HistoryActions` keeps Edit -> Undo / Redo named after the change they would undo or
redo ("Undo: Hernia moved: L4-L5 left → T6-T7 right"). :class:`ChangeNotice` says in the
status bar what just changed, with an Undo (or Redo) button beside it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt, QTimer
from PySide6.QtGui import QAction, QHideEvent, QShowEvent, QUndoCommand
from PySide6.QtWidgets import QHBoxLayout, QLabel, QSizePolicy, QToolButton, QWidget

from bodymap.i18n import pick, tr
from bodymap.widgets.accessible import RetranslatesOnLanguageChange

if TYPE_CHECKING:
    from bodymap.document import ProfileModel
    from bodymap.widgets.controller import SessionController

__all__ = ["ChangeNotice", "HistoryActions", "ProfileCommand"]

#: fields whose consecutive changes are one step (a spin box's arrows: 1 -> 2 -> 3 is 1 -> 3)
_MERGED_FIELDS = (("session",),)


class ProfileCommand(QUndoCommand):
    """One change of the profile: ``before`` and ``after``, and its words (``texts``)."""

    def __init__(self, controller: SessionController, before: ProfileModel,
                 after: ProfileModel) -> None:
        super().__init__()
        self._controller = controller
        self.before, self.after = before, after
        old, new = before.model_dump(), after.model_dump()
        fields = tuple(sorted(k for k in old.keys() | new.keys() if old.get(k) != new.get(k)))
        self._id = _MERGED_FIELDS.index(fields) + 1 if fields in _MERGED_FIELDS else -1
        self.texts: dict[str, str] = {}
        self._describe()

    def _describe(self) -> None:
        from bodymap.changes import describe_texts

        c = self._controller
        self.texts = describe_texts(self.before.model_dump(), self.after.model_dump(),
                                    c.library, c.geometry)
        self.setText(pick(self.texts))

    def id(self) -> int:
        return self._id

    def mergeWith(self, other: QUndoCommand) -> bool:
        if not isinstance(other, ProfileCommand) or self._id < 0 or other.id() != self._id:
            return False
        self.after = other.after
        self._describe()
        self.setObsolete(self.before == self.after)  # back where it started: no step at all
        return True

    def redo(self) -> None:
        self._controller.apply_profile(self.after)

    def undo(self) -> None:
        self._controller.apply_profile(self.before)


class HistoryActions(QObject):
    """Edit -> Undo / Redo following the controller's history: enabled when there is a step,
    named after it, in the interface language. It lives as long as the Undo action."""

    def __init__(self, undo: QAction, redo: QAction) -> None:
        super().__init__(undo)
        self.undo, self.redo = undo, redo
        self._controller: SessionController | None = None
        self.refresh()

    def bind(self, controller: SessionController) -> None:
        self._controller = controller
        controller.undo_stack.indexChanged.connect(self._index_changed)
        # the stack clears itself (and says so) as it is deleted: by then it is not ours
        controller.destroyed.connect(self._unbind)
        self.refresh()

    def _index_changed(self, _index: int) -> None:
        self.refresh()

    def _unbind(self) -> None:
        self._controller = None

    def refresh(self) -> None:
        c = self._controller
        stack = c.undo_stack if c is not None else None
        for action, key, index, able in (
                (self.undo, "undo", stack.index() - 1 if stack else -1,
                 stack.canUndo() if stack else False),
                (self.redo, "redo", stack.index() if stack else -1,
                 stack.canRedo() if stack else False)):
            command = stack.command(index) if stack is not None and able else None
            action.setEnabled(able)
            if isinstance(command, ProfileCommand):
                action.setText(tr(f"action.{key}_named", what=pick(command.texts)))
            else:
                action.setText(tr(f"action.{key}"))


class ChangeNotice(RetranslatesOnLanguageChange, QWidget):
    """"Hernia moved: L4-L5 left → T6-T7 right  [Undo]" in the status bar, for a while after
    each change (and "Undone: …  [Redo]" after an undo)."""

    #: how long a notice stays (ms); tests shorten it
    SHOWN_MS = 12_000

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("changeNotice")
        self.label = QLabel(self)
        self.label.setObjectName("changeNoticeText")
        self.label.setTextFormat(Qt.TextFormat.PlainText)
        self.label.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Preferred)
        self.button = QToolButton(self)
        self.button.setObjectName("changeNoticeButton")
        self.button.clicked.connect(self._clicked)
        policy = self.button.sizePolicy()
        policy.setRetainSizeWhenHidden(True)  # the status bar keeps its height: nothing jumps
        self.button.setSizePolicy(policy)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.label)
        layout.addWidget(self.button)  # right after the words it takes back
        layout.addStretch(1)
        self._timer = QTimer(self)
        self._timer.setObjectName("changeNoticeTimer")
        self._timer.setSingleShot(True)
        self._timer.setInterval(self.SHOWN_MS)
        self._timer.timeout.connect(self.clear)
        self._controller: SessionController | None = None
        self._texts: dict[str, str] = {}
        self._how = "done"
        self.clear()

    def bind(self, controller: SessionController) -> None:
        self._controller = controller
        controller.changeNoted.connect(self.show_change)
        controller.documentReplaced.connect(lambda _doc: self.clear())

    def show_change(self, texts: dict[str, str], how: str) -> None:
        """Say what changed (``how``: done, undone, redone), with the button that takes it
        back (or, after an undo, makes it again); or why nothing changed (``refused``)."""
        self._texts, self._how = dict(texts), how
        self.retranslate()
        if self.window().isVisible():  # a window not shown yet starts it when it is
            self._timer.start(self.SHOWN_MS)

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self._texts and not self._timer.isActive():
            self._timer.start(self.SHOWN_MS)

    def clear(self) -> None:
        """Nothing to say (a while after a change, or another document shown)."""
        self._timer.stop()
        self._texts = {}
        self.retranslate()

    def text(self) -> str:
        """The notice as a user reads it ("… — Undo")."""
        if self.button.isHidden():
            return self.label.text()
        return f"{self.label.text()} — {self.button.text()}"

    def retranslate(self) -> None:
        what = pick(self._texts) if self._texts else ""
        said = what if self._how in ("done", "refused") else tr(f"change.{self._how}", what=what)
        self.label.setText(said)
        self.label.setToolTip(said)
        self.button.setText(tr("change.redo_button" if self._how == "undone"
                               else "change.undo_button"))
        # nothing changed (refused), or nothing said: nothing to undo
        self.button.setVisible(bool(self._texts) and self._how != "refused")
        self.setToolTip(tr("change.notice_tip"))

    def _clicked(self) -> None:
        if self._controller is None:
            return
        if self._how == "undone":
            self._controller.redo()
        else:
            self._controller.undo()

    def hideEvent(self, event: QHideEvent) -> None:
        # hidden by the window closing: no timer runs on (a status message hiding the notice
        # for a moment leaves it to end as it would)
        if not self.window().isVisible():
            self.clear()
        super().hideEvent(event)
