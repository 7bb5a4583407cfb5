"""The patient's own progress, for the presentation: pain before and after across their visits,
large, on the presentation's dark ground, with a few lines in everyday words
(:func:`bodymap.records.today.progress_lines`), in the interface language."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont, QResizeEvent
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from bodymap import i18n
from bodymap.i18n import tr
from bodymap.widgets.accessible import RetranslatesOnLanguageChange
from bodymap.widgets.panels.common import plain_label

if TYPE_CHECKING:
    from bodymap.records.model import Patient

__all__ = ["ProgressPage"]


class ProgressPage(RetranslatesOnLanguageChange, QWidget):
    """"Your progress": the chart and the words."""

    def __init__(self, parent: QWidget | None = None) -> None:
        from bodymap.widgets.records.course_view import PainCoursePlot

        super().__init__(parent)
        self.setObjectName("presentationProgress")
        self.title = plain_label("", self)
        self.title.setObjectName("progressTitle")
        self.lines = plain_label("", self)
        self.lines.setObjectName("progressLines")
        self.lines.setStyleSheet("color: #ffd54f;")
        self.plot = PainCoursePlot(self, plain=True, dark=True)
        self.plot.setObjectName("progressPlot")
        self.legend = QLabel(self)
        self.legend.setObjectName("progressLegend")
        self.legend.setTextFormat(Qt.TextFormat.RichText)  # our own words, escaped
        self.legend.setStyleSheet("color: #ffffff;")
        box = QVBoxLayout(self)
        box.setContentsMargins(0, 0, 0, 0)
        box.setSpacing(18)
        box.addWidget(self.title)
        box.addWidget(self.legend)
        box.addWidget(self.plot, 3)
        box.addWidget(self.lines, 1)
        self._patient: Patient | None = None
        self._fonts(1.0)
        self.retranslate()

    def _fonts(self, scale: float) -> None:
        for label, points in ((self.title, 28), (self.lines, 22), (self.legend, 20)):
            font = QFont(label.font())
            font.setPointSizeF(points * scale)
            font.setBold(label is self.title)
            label.setFont(font)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._fonts(max(0.5, min(1.6, self.height() / 900.0, self.width() / 1800.0)))

    def set_patient(self, patient: Patient | None) -> None:
        self._patient = patient
        self.plot.set_visits(patient.visits if patient is not None else ())
        self.retranslate_texts()

    def retranslate_texts(self) -> None:
        from bodymap.records.today import progress_lines

        visits = self._patient.visits if self._patient is not None else ()
        self.title.setText(tr("records.progress.title"))
        self.legend.setText(self.plot.legend_html())
        self.lines.setText("\n".join(progress_lines(visits, i18n.language())))

    def retranslate(self) -> None:
        self.retranslate_texts()
