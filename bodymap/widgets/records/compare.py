"""Two visits on one map: where it hurt at an earlier visit (hollow teal rings) and at a later
one (filled purple stars, as the map marks pain), their lesions hatched as no-touch areas. A
toggle shows the earlier, both or the later; a slider walks the later visit through the course.

The back is painted by the project's one map painter (``paint_map``, as the course PDF paints
its maps) into a pixmap kept per size and per set of lesions; the marks are drawn over it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QPointF, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QPainter, QPaintEvent, QPen, QPixmap, QPolygonF, QShowEvent
from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSizePolicy,
    QSlider,
    QVBoxLayout,
    QWidget,
)

from bodymap.i18n import tr
from bodymap.widgets.accessible import RetranslatesOnLanguageChange
from bodymap.widgets.accessible import name as a11y_name
from bodymap.widgets.panels.common import plain_label

if TYPE_CHECKING:
    from bodymap.geometry import BackGeometry
    from bodymap.records.model import Patient, Visit
    from bodymap.widgets.map.context import Paths
    from bodymap.widgets.records.controller import RecordsController

__all__ = ["EARLIER", "LATER", "CompareMap", "VisitCompare"]

#: the two visits' styles: colour and shape both differ (colour-blind safe)
EARLIER = QColor("#00897b")
LATER = QColor("#7d2fb3")  # the map's own pain colour (map_style.PAIN)
SHOW = ("earlier", "both", "later")


def star(x: float, y: float, r: float) -> QPolygonF:
    import math

    points = []
    for i in range(10):
        a = i * math.pi / 5 - math.pi / 2
        rad = r if i % 2 == 0 else r * 0.45
        points.append(QPointF(x + rad * math.cos(a), y + rad * math.sin(a)))
    return QPolygonF(points)


class CompareMap(QWidget):
    """The back with two visits' pain points in two styles."""

    def __init__(self, geometry: BackGeometry, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("compareMap")
        self.back = geometry
        self.setMinimumSize(220, 300)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.earlier: tuple[tuple[float, float], ...] = ()
        self.later: tuple[tuple[float, float], ...] = ()
        self.lesions: tuple[str, ...] = ()
        self.show_mode = "both"
        self._base: tuple[tuple[int, int, float, tuple[str, ...]], QPixmap] | None = None
        self._paths: Paths | None = None

    def set_marks(self, earlier: tuple[tuple[float, float], ...],
                  later: tuple[tuple[float, float], ...], lesions: tuple[str, ...],
                  show: str) -> None:
        self.earlier, self.later, self.show_mode = earlier, later, show
        self.lesions = tuple(sorted(set(lesions)))
        self.update()

    def shown(self) -> dict[str, tuple[tuple[float, float], ...]]:
        """The points drawn now, by style."""
        return {"earlier": self.earlier if self.show_mode in ("earlier", "both") else (),
                "later": self.later if self.show_mode in ("later", "both") else ()}

    def back_rect(self) -> QRectF:
        from bodymap.widgets.map.painter import BACK_H, BACK_W

        r = QRectF(self.rect()).adjusted(4, 4, -4, -4)
        s = min(r.width() / BACK_W, r.height() / BACK_H)
        w, h = BACK_W * s, BACK_H * s
        return QRectF(r.x() + (r.width() - w) / 2, r.y() + (r.height() - h) / 2, w, h)

    def to_widget(self, x: float, y: float) -> QPointF:
        """A point in back units (zones.svg) where it is drawn on the widget."""
        from bodymap.widgets.map.painter import BACK_W

        rect = self.back_rect()
        s = rect.width() / BACK_W
        return QPointF(rect.x() + x * s, rect.y() + y * s)

    def _base_pixmap(self) -> QPixmap:
        from bodymap.records.report import MapPlate, pain_scene
        from bodymap.widgets.map.context import MapOptions, Paths
        from bodymap.widgets.map.painter import paint_map

        ratio = self.devicePixelRatioF()
        key = (self.width(), self.height(), ratio, self.lesions)
        if self._base is not None and self._base[0] == key:
            return self._base[1]
        pixmap = QPixmap(QSize(max(1, round(self.width() * ratio)),
                               max(1, round(self.height() * ratio))))
        pixmap.setDevicePixelRatio(ratio)
        pixmap.fill(self.palette().window().color())
        if self._paths is None:
            self._paths = Paths(self.back)
        p = QPainter(pixmap)
        scene = pain_scene(self.back, MapPlate("", (), self.lesions))
        paint_map(p, self.back_rect(), scene, self.back, px_per_pt=self.logicalDpiY() / 72,
                  options=MapOptions(step_caption=False, min_label_pt=7.0), paths=self._paths)
        p.end()
        self._base = (key, pixmap)
        return pixmap

    def paintEvent(self, event: QPaintEvent) -> None:
        p = QPainter(self)
        p.drawPixmap(0, 0, self._base_pixmap())
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        scale = self.back_rect().width() / 600.0
        r = max(8.0, 15.0 * scale)
        shown = self.shown()
        ring = QPen(EARLIER, max(2.0, 3.2 * scale))
        for x, y in shown["earlier"]:
            c = self.to_widget(x, y)
            p.setPen(QPen(QColor("white"), ring.widthF() + 2.5))
            p.setBrush(Qt.BrushStyle.NoBrush)
            p.drawEllipse(c, r * 1.25, r * 1.25)
            p.setPen(ring)
            p.drawEllipse(c, r * 1.25, r * 1.25)
            p.drawLine(c + QPointF(-r * 0.35, 0), c + QPointF(r * 0.35, 0))
            p.drawLine(c + QPointF(0, -r * 0.35), c + QPointF(0, r * 0.35))
        for x, y in shown["later"]:
            c = self.to_widget(x, y)
            p.setPen(QPen(QColor("white"), 1.5))
            p.setBrush(LATER)
            p.drawPolygon(star(c.x(), c.y(), r * 1.3))
        p.end()


class VisitCompare(RetranslatesOnLanguageChange, QWidget):
    """Choose two visits (the first and the latest by default); show one, the other or both."""

    def __init__(self, geometry: BackGeometry, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("visitCompare")
        self._rc: RecordsController | None = None
        self._visits: list[Visit] = []
        self._stale = True
        self.title = plain_label("", self)
        self.title.setStyleSheet("font-weight: bold; font-size: 11pt;")
        self.earlier_combo, self.later_combo = QComboBox(self), QComboBox(self)
        self.earlier_combo.setObjectName("compareEarlier")
        self.later_combo.setObjectName("compareLater")
        for combo in (self.earlier_combo, self.later_combo):
            combo.currentIndexChanged.connect(lambda _i: self._render())
            combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
            combo.setMinimumContentsLength(14)
        self.slider = QSlider(Qt.Orientation.Horizontal, self)
        self.slider.setObjectName("compareSlider")
        self.slider.setPageStep(1)
        self.slider.valueChanged.connect(self.later_combo.setCurrentIndex)
        self.later_combo.currentIndexChanged.connect(self.slider.setValue)
        self.buttons = QButtonGroup(self)
        self.buttons.setExclusive(True)
        row = QHBoxLayout()
        self.show_label = QLabel(self)
        row.addWidget(self.show_label)
        self.show_buttons: dict[str, QPushButton] = {}
        for i, key in enumerate(SHOW):
            button = QPushButton(self)
            button.setObjectName(f"compareShow_{key}")
            button.setCheckable(True)
            self.buttons.addButton(button, i)
            self.show_buttons[key] = button
            row.addWidget(button)
        row.addStretch(1)
        self.show_buttons["both"].setChecked(True)
        self.buttons.idToggled.connect(self._toggled)
        self.earlier_key, self.later_key = QLabel(self), QLabel(self)
        for label, colour in ((self.earlier_key, EARLIER), (self.later_key, LATER)):
            label.setTextFormat(Qt.TextFormat.PlainText)
            label.setStyleSheet(f"color: {colour.name()}; font-weight: bold;")
            label.setWordWrap(True)
        self.map = CompareMap(geometry, self)
        grid = QGridLayout()
        self.earlier_label, self.later_label = QLabel(self), QLabel(self)
        grid.addWidget(self.earlier_label, 0, 0)
        grid.addWidget(self.earlier_combo, 0, 1)
        grid.addWidget(self.later_label, 1, 0)
        grid.addWidget(self.later_combo, 1, 1)
        grid.addWidget(self.slider, 2, 1)
        grid.setColumnStretch(1, 1)
        box = QVBoxLayout(self)
        box.setContentsMargins(6, 6, 6, 6)
        box.addWidget(self.title)
        box.addLayout(grid)
        box.addLayout(row)
        box.addWidget(self.earlier_key)
        box.addWidget(self.later_key)
        box.addWidget(self.map, 1)
        self.retranslate()

    def bind(self, rc: RecordsController) -> None:
        self._rc = rc
        rc.patientChanged.connect(lambda _p: self._changed())
        self._changed()

    def _changed(self) -> None:
        self._stale = True
        if self.isVisible():
            self.reload()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self._stale:
            self.reload()

    def reload(self) -> None:
        """The open patient's visits (the first and the latest chosen)."""
        rc = self._rc
        self._stale = False
        patient: Patient | None = rc.patient() if rc is not None else None
        self._visits = rc.visits() if rc is not None and patient is not None else []
        self.title.setText(tr("records.compare_title", name=patient.name) if patient
                           else tr("records.no_patient"))
        self._fill()

    def _fill(self) -> None:
        from bodymap.widgets.dates import format_date

        texts = [tr("records.visit_item", date=format_date(v.at.local.date()),
                    session=v.session, n=len(v.pain_points)) for v in self._visits]
        for combo in (self.earlier_combo, self.later_combo):
            combo.blockSignals(True)
            combo.clear()
            combo.addItems(texts)
            combo.blockSignals(False)
        self.slider.blockSignals(True)
        self.slider.setRange(0, max(0, len(texts) - 1))
        self.slider.blockSignals(False)
        if texts:
            self.earlier_combo.setCurrentIndex(0)
            self.later_combo.setCurrentIndex(len(texts) - 1)
            self.slider.setValue(len(texts) - 1)
        for widget in (self.earlier_combo, self.later_combo, self.slider,
                       *self.show_buttons.values()):
            widget.setEnabled(bool(texts))
        self._render()

    def _toggled(self, _index: int, checked: bool) -> None:
        if checked:
            self._render()

    def set_show(self, key: str) -> None:
        self.show_buttons[key].setChecked(True)

    def show_mode(self) -> str:
        return SHOW[max(0, self.buttons.checkedId())]

    def chosen(self) -> tuple[Visit | None, Visit | None]:
        a, b = self.earlier_combo.currentIndex(), self.later_combo.currentIndex()
        visits = self._visits
        return (visits[a] if 0 <= a < len(visits) else None,
                visits[b] if 0 <= b < len(visits) else None)

    def _render(self) -> None:
        from bodymap.widgets.dates import format_date

        a, b = self.chosen()
        mode = self.show_mode()
        lesions = ((a.lesions if a is not None and mode != "later" else ())
                   + (b.lesions if b is not None and mode != "earlier" else ()))
        self.map.set_marks(a.pain_points if a is not None else (),
                           b.pain_points if b is not None else (), lesions, mode)
        for label, visit, key in ((self.earlier_key, a, "earlier"), (self.later_key, b, "later")):
            label.setVisible(visit is not None)
            if visit is not None:
                label.setText(tr(f"records.key_{key}", date=format_date(visit.at.local.date()),
                                 session=visit.session, n=len(visit.pain_points)))

    def retranslate(self) -> None:
        self.earlier_label.setText(tr("records.earlier"))
        self.later_label.setText(tr("records.later"))
        a11y_name(self.earlier_combo, tr("records.earlier"))
        a11y_name(self.later_combo, tr("records.later"))
        self.show_label.setText(tr("records.show"))
        for key, button in self.show_buttons.items():
            button.setText(tr(f"records.show_{key}"))
            button.setToolTip(tr(f"records.show_{key}_tip"))
        self.slider.setToolTip(tr("records.slider_tip"))
        a11y_name(self.slider, tr("records.slider_tip"))
        if self._rc is not None and not self._stale:
            self.reload()
