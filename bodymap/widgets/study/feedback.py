"""The feedback after an answer: right, wrong or a near miss; where the student clicked; the
right answer, why, and the sources (in the interface's language); then the grade buttons."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import timedelta

from PySide6.QtWidgets import QFrame, QVBoxLayout, QWidget

from bodymap.i18n import pick, tr
from bodymap.study import Verdict
from bodymap.widgets.study.grades import GradeBar
from bodymap.widgets.study.map import RIGHT_COLOUR, WRONG_COLOUR, study_label

__all__ = ["NEAR_COLOUR", "FeedbackPanel"]

NEAR_COLOUR = "#9a5b00"


class FeedbackPanel(QFrame):
    """Shows a :class:`~bodymap.study.Verdict` (:meth:`show_verdict`); its :attr:`grades`
    bar takes the student's grade."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("studyFeedback")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        fl = QVBoxLayout(self)
        self.verdict_label = study_label(size=15, bold=True, name="studyVerdict")
        self.clicked_label = study_label(name="studyClicked")
        self.answer_label = study_label(bold=True, name="studyAnswer")
        self.explanation_label = study_label(name="studyExplanation")
        self.source_label = study_label(colour="#6b625b", name="studySource")
        font = self.source_label.font()
        font.setPointSizeF(max(7.0, font.pointSizeF() * 0.9))
        self.source_label.setFont(font)
        self.grade_hint = study_label(colour="#6b625b", name="studyGradeHint")
        self.grades = GradeBar(self)
        for w in (self.verdict_label, self.clicked_label, self.answer_label,
                  self.explanation_label, self.source_label, self.grade_hint, self.grades):
            fl.addWidget(w)
        self._verdict: Verdict | None = None
        self._where = ""
        self._on_map = False

    def show_verdict(self, verdict: Verdict, where: str, answer_on_map: bool,
                     intervals: Mapping[str, timedelta]) -> None:
        """``where``: where the student clicked, in words ("" if not on the map)."""
        self._verdict, self._where, self._on_map = verdict, where, answer_on_map
        default = verdict.grade or "good"
        self.grades.show_grades(verdict.grades, intervals, default)
        self.retranslate()

    def retranslate(self) -> None:
        self.grades.retranslate()
        v = self._verdict
        if v is None:
            return
        drill = v.drill
        if v.revealed:
            text, colour = tr("study.revealed"), "#5a5048"
        elif v.right:
            text, colour = tr("study.right"), RIGHT_COLOUR
        elif v.near:
            text, colour = tr("study.near_miss"), NEAR_COLOUR
        else:
            text, colour = tr("study.wrong"), WRONG_COLOUR
        self.verdict_label.setText(text)
        self.verdict_label.setStyleSheet(f"color: {colour};")
        where = self._where
        self.clicked_label.setVisible(bool(where))
        if where and v.near:
            self.clicked_label.setText(tr("study.near_miss_where", where=where))
        else:
            self.clicked_label.setText(tr("study.you_clicked", where=where) if where else "")
        answer_text = pick(drill.answer_text)
        answer = tr("study.answer", answer=("\n" + answer_text) if "\n" in answer_text
                    else answer_text)
        if self._on_map:
            answer += "\n" + tr("study.answer_shown")
        self.answer_label.setText(answer)
        self.explanation_label.setText(pick(drill.explanation))
        self.source_label.setText(tr("study.source",
                                     sources="; ".join(pick(s) for s in drill.sources)))
        self.grade_hint.setText(tr("study.grade.how") if len(v.grades) > 1
                                else tr("study.grade.wrong_only"))
