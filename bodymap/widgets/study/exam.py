"""Exam mode in the study window: the setup, the timed questions, the report and its PDF.

:class:`ExamRunner` belongs to the :class:`~bodymap.widgets.study.StudyWidget`. While an exam
runs, the study page asks its questions with the same cards but no feedback and no grades
(an exam never touches the schedule: :mod:`bodymap.exam`), the panel counts down, and when the
time is up (or the last question is answered, or the student finishes) the
:class:`ExamReportPage` shows the score per topic; Save as PDF writes it with the date.
The countdown's one-second timer runs only while the window is shown.
"""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Qt, QTimer
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from bodymap import i18n
from bodymap.errors import DataFileError
from bodymap.exam import DEFAULT_COUNT, DEFAULT_MINUTES, MAX_COUNT, MAX_MINUTES, Exam, ExamReport
from bodymap.i18n import tr
from bodymap.widgets.accessible import name as a11y_name
from bodymap.widgets.study.decks import deck_title
from bodymap.widgets.study.exam_pdf import report_lines, save_report_pdf
from bodymap.widgets.study.map import study_label

if TYPE_CHECKING:
    from bodymap.drills import Drill
    from bodymap.widgets.study.widget import StudyWidget

__all__ = ["ExamReportPage", "ExamRunner", "ExamSetup"]


def clock_text(left: timedelta) -> str:
    seconds = max(0, int(left.total_seconds() + 0.999))
    return f"{seconds // 60}:{seconds % 60:02d}"


class ExamSetup(QDialog):
    """How many questions, how many minutes."""

    def __init__(self, parent: QWidget, deck: str, cards: int) -> None:
        super().__init__(parent)
        self.setObjectName("studyExamSetup")
        self.setWindowTitle(tr("study.exam.title"))
        self.count = QSpinBox(self)
        self.count.setObjectName("studyExamCount")
        self.count.setRange(1, max(1, min(MAX_COUNT, cards)))
        self.count.setValue(min(DEFAULT_COUNT, cards))
        self.minutes = QSpinBox(self)
        self.minutes.setObjectName("studyExamMinutes")
        self.minutes.setRange(1, MAX_MINUTES)
        self.minutes.setValue(DEFAULT_MINUTES)
        form = QFormLayout()
        for label, box in (("study.exam.count", self.count), ("study.exam.minutes",
                                                             self.minutes)):
            lab = QLabel(tr(label), self)
            lab.setBuddy(box)
            form.addRow(lab, box)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel, parent=self)
        start = buttons.addButton(tr("study.exam.start"), QDialogButtonBox.ButtonRole.AcceptRole)
        start.setDefault(True)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        col = QVBoxLayout(self)
        col.addWidget(study_label(tr("study.exam.setup", deck=deck)))
        col.addLayout(form)
        col.addWidget(buttons)


class ExamReportPage(QWidget):
    """The score per topic, the mistakes, Save as PDF."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("studyExamReport")
        col = QVBoxLayout(self)
        col.setContentsMargins(24, 18, 24, 18)
        self.title = study_label(size=17, bold=True, name="studyExamTitle")
        self.deck = study_label(colour="#6b625b", name="studyExamDeck")
        self.total = study_label(size=13, bold=True, name="studyExamTotal")
        self.timed_out = study_label(colour="#b3261e", name="studyExamTimedOut")
        self.table = QTableWidget(0, 6, self)
        self.table.setObjectName("studyExamTable")
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.horizontalHeader().setStretchLastSection(False)
        self.mistakes_title = study_label(bold=True)
        self.mistakes = study_label(name="studyExamMistakes")
        self.mistakes.setContentsMargins(0, 0, 12, 0)
        self.mistakes.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        scroll = QScrollArea(self)
        scroll.setObjectName("studyExamMistakesArea")
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(self.mistakes)
        for w in (self.title, self.deck, self.total, self.timed_out):
            col.addWidget(w)
        col.addWidget(self.table, 0, Qt.AlignmentFlag.AlignLeft)
        col.addWidget(self.mistakes_title)
        col.addWidget(scroll, 1)
        row = QHBoxLayout()
        self.back_button = QPushButton(self)
        self.back_button.setObjectName("studyExamBack")
        self.pdf_button = QPushButton(self)
        self.pdf_button.setObjectName("studyExamPdf")
        row.addWidget(self.back_button)
        row.addStretch(1)
        row.addWidget(self.pdf_button)
        col.addLayout(row)
        self.report: ExamReport | None = None

    def show_report(self, report: ExamReport) -> None:
        self.report = report
        self.retranslate()

    def retranslate(self) -> None:
        a11y_name(self.table, tr("study.exam.report_title"))
        self.back_button.setText(tr("study.exam.cancel"))
        self.pdf_button.setText(tr("study.exam.save_pdf"))
        if self.report is None:
            return
        words = report_lines(self.report, i18n.language())
        self.title.setText(words.title)
        self.deck.setText(words.deck)
        self.total.setText(words.total)
        self.timed_out.setText(words.timed_out)
        self.timed_out.setVisible(bool(words.timed_out))
        self.table.setHorizontalHeaderLabels(words.header)
        self.table.setRowCount(len(words.rows))
        for r, cells in enumerate(words.rows):
            for c, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if c:  # the counts, right-aligned
                    item.setTextAlignment(Qt.AlignmentFlag.AlignRight
                                          | Qt.AlignmentFlag.AlignVCenter)
                self.table.setItem(r, c, item)
        self.table.resizeColumnsToContents()
        self.table.resizeRowsToContents()
        frame = 2 * self.table.frameWidth()
        self.table.setFixedSize(
            sum(self.table.columnWidth(c) for c in range(self.table.columnCount())) + frame,
            self.table.horizontalHeader().height() + frame
            + sum(self.table.rowHeight(r) for r in range(len(words.rows))))
        self.mistakes_title.setText(words.mistakes_title)
        self.mistakes.setText("\n".join(f"• {m}" for m in words.mistakes))


class ExamRunner(QObject):
    """The exam's state in the study window (None between exams) and its countdown."""

    TICK_MS = 1000

    def __init__(self, study: StudyWidget) -> None:
        super().__init__(study)
        self.study = study
        self.exam: Exam | None = None
        self.timer = QTimer(self)
        self.timer.setInterval(self.TICK_MS)
        self.timer.timeout.connect(self.tick)
        self.report_page = ExamReportPage()
        self.report_page.back_button.clicked.connect(study.back_to_study)
        self.report_page.pdf_button.clicked.connect(self.save_pdf)

    def active(self) -> bool:
        return self.exam is not None and not self.exam.finished

    def current(self) -> Drill | None:
        return self.exam.current if self.exam is not None else None

    def open_setup(self) -> None:
        cards = self.study.deck_cards()
        if not cards:
            self.study.prompter.inform(tr("study.exam.title"), tr("study.exam.empty"))
            return
        setup = ExamSetup(self.study, deck_title(self.study.deck), len(cards))
        if setup.exec() == QDialog.DialogCode.Accepted:
            self.start(setup.count.value(), setup.minutes.value())

    def start(self, count: int = DEFAULT_COUNT, minutes: int = DEFAULT_MINUTES,
              seed: int | None = None) -> None:
        """Start an exam over the deck being studied."""
        cards = self.study.deck_cards()
        self.exam = Exam(cards, count=min(count, len(cards)), minutes=minutes, seed=seed,
                         deck=self.study.deck.name, now=self.study.now)
        self.study.verdict = None
        self.resume()
        self.study.show_card()

    def answer(self, response: Any, point: tuple[float, float] | None) -> None:
        exam = self.exam
        if exam is None or exam.finished:
            return
        if exam.timed_out():
            self.finish()
            return
        exam.answer(response, point)
        if exam.finished:
            self.finish()
        else:
            self.study.show_card()

    def tick(self) -> None:
        if self.exam is None:
            self.timer.stop()
            return
        if self.exam.timed_out():
            self.finish()
        else:
            self.study.progress_label.setText(self.progress_text())

    def progress_text(self) -> str:
        exam = self.exam
        if exam is None:
            return ""
        return (tr("study.exam.progress", n=exam.number, total=len(exam.questions)) + " · "
                + tr("study.exam.left", time=clock_text(exam.remaining())))

    def finish(self, ask: bool = False) -> None:
        """End the exam and show its report (``ask``: confirm first, time permitting)."""
        exam = self.exam
        if exam is None:
            return
        if ask and not exam.timed_out() and not self.study.prompter.confirm(
                tr("study.exam.title"), tr("study.exam.finish_question")):
            return
        self.timer.stop()
        exam.finish()
        self.study.map.set_playing(False)
        self.study.map.set_plan(None)
        self.report_page.show_report(exam.report())
        self.study.pages.setCurrentWidget(self.report_page)
        self.study.menus.update_state()

    def abandon(self) -> None:
        """Leave the exam (a new session or page): nothing is kept, nothing scheduled."""
        self.timer.stop()
        self.exam = None

    def pause(self) -> None:
        self.timer.stop()

    def resume(self) -> None:
        if self.active():
            self.timer.start()
            self.tick()

    def save_pdf(self) -> None:
        report = self.report_page.report
        if report is None:
            return
        lang = i18n.language()
        day = report.finished.astimezone().date().isoformat()
        path = self.study.prompter.choose_save_file(
            tr("study.exam.report_title"), tr("study.exam.pdf_name", date=day),
            tr("study.exam.pdf_filter"))
        if not path:
            return
        if not path.lower().endswith(".pdf"):
            path += ".pdf"
        try:
            written = save_report_pdf(report, path, lang)
        except DataFileError as exc:
            self.study.prompter.error(tr("study.exam.report_title"),
                                      tr("study.exam.pdf_failed", error=str(exc)))
            return
        self.study.prompter.inform(tr("study.exam.report_title"),
                                   tr("study.exam.pdf_saved", path=str(written)))

    def retranslate(self) -> None:
        self.report_page.retranslate()
