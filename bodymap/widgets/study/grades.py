"""The self-grading buttons: Again / Hard / Good / Easy, each with its next interval, as in
Anki. Keys 1 to 4 press them: the study window's Answer menu holds those shortcuts
(:mod:`bodymap.widgets.study.menu`) and calls :meth:`GradeBar.press`."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import timedelta

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QHBoxLayout, QPushButton, QWidget

from bodymap.i18n import tr
from bodymap.study import GRADES, interval_text
from bodymap.widgets.accessible import name as a11y_name

__all__ = ["GradeBar"]

_COLOURS = {"again": "#b3261e", "hard": "#8a5a00", "good": "#1d7a3a", "easy": "#1f5f99"}


class GradeBar(QWidget):
    """Four grade buttons; ``graded(grade)`` when one is pressed (or its key, 1-4).

    :meth:`show_grades` shows the grades an answer allows with their intervals; the others
    are hidden and :meth:`press` ignores them."""

    graded = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("studyGrades")
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        self.buttons: dict[str, QPushButton] = {}
        self._intervals: dict[str, timedelta] = {}
        self._allowed: tuple[str, ...] = ()
        self._default = "good"
        for grade in GRADES:
            b = QPushButton(self)
            b.setObjectName(f"studyGrade-{grade}")
            b.setMinimumHeight(44)
            b.setStyleSheet(f"QPushButton {{ color: {_COLOURS[grade]}; font-weight: bold; }}")
            b.clicked.connect(lambda _=False, g=grade: self.press(g))
            row.addWidget(b, 1)
            self.buttons[grade] = b
        self.show_grades((), {})

    def show_grades(self, allowed: tuple[str, ...], intervals: Mapping[str, timedelta],
                    default: str = "good") -> None:
        self._allowed = tuple(allowed)
        self._intervals = dict(intervals)
        self._default = default if default in self._allowed else (self._allowed or ("",))[0]
        for grade, b in self.buttons.items():
            b.setVisible(grade in self._allowed)
        self.retranslate()

    def allowed(self) -> tuple[str, ...]:
        return self._allowed

    def default_grade(self) -> str:
        return self._default

    def focus_default(self) -> None:
        if self._default in self.buttons and self._allowed:
            self.buttons[self._default].setFocus()

    def press(self, grade: str) -> None:
        if grade in self._allowed and self.isVisibleTo(self.window()):
            self.graded.emit(grade)

    def retranslate(self) -> None:
        for i, (grade, b) in enumerate(self.buttons.items(), start=1):
            name = tr(f"study.grade.{grade}")
            when = self._intervals.get(grade)
            interval = interval_text(when) if when is not None else ""
            b.setText(f"{name}\n{interval}")
            tip = tr("study.grade.tip", grade=name, shortcut=str(i), interval=interval)
            b.setToolTip(tip)
            a11y_name(b, tip)
