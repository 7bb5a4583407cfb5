"""The study map: the body map with what a quiz needs (raw clicks, quiet hover, the student's
mark)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from typing import TYPE_CHECKING

from PySide6.QtCore import QPointF, Qt, Signal
from PySide6.QtGui import QColor, QFont, QMouseEvent, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import QLabel, QWidget

from bodymap.drill_base import NEAR_MISS, NO_TOUCH_TOLERANCE
from bodymap.map_scene import MapScene
from bodymap.widgets.mapview import BodyMapView

if TYPE_CHECKING:
    from bodymap.geometry import BackGeometry

RIGHT_COLOUR = "#1d7a3a"
WRONG_COLOUR = "#b3261e"


class StudyMapView(BodyMapView):
    """The body map with what a quiz needs: raw clicks, quiet hover, the student's mark.

    * ``pointClicked(x, y)``: every left click on the back, in back coordinates (the plain
      map emits ``zoneClicked`` only on zone halves, and the spine lies between them);
    * ``set_quiet(True)`` suppresses hover highlight and tooltips (they would name the zone
      or the technique a question asks about);
    * ``set_student_mark(point, right)`` draws where the student clicked;
    * ``set_guarded(True)`` keeps the answer of a where-not-to-press question to itself: the
      legend shows the zones only (not what must not be touched) and hover names only the
      zone, not "never massaged directly".

    A click just beside the back (within a near miss of it) is a ``pointClicked`` too, so a
    near miss gets its feedback.
    """

    #: legend rows and hover lines that tell where not to press
    GUARDED_ROWS = frozenset({"no_touch", "kidneys", "kidneys_now", "active_area",
                              "caution_area", "hernia", "lesion"})

    pointClicked = Signal(float, float)

    def __init__(self, geometry: BackGeometry | None = None, parent: QWidget | None = None) -> None:
        super().__init__(geometry, parent)
        self.setObjectName("studyMapView")
        self._quiet = False
        self._guarded = False
        self._mark: tuple[float, float, bool] | None = None

    def set_quiet(self, quiet: bool) -> None:
        self._quiet = bool(quiet)

    def set_guarded(self, guarded: bool) -> None:
        if guarded != self._guarded:
            self._guarded = guarded
            self._invalidate_scene(data=True)  # the scene (and its legend) is built anew

    def guarded(self) -> bool:
        return self._guarded

    def scene(self) -> MapScene:
        scene = super().scene()
        if self._guarded and any(r.key in self.GUARDED_ROWS for r in scene.legend):
            legend = tuple(r for r in scene.legend if r.key not in self.GUARDED_ROWS)
            scene = replace(scene, legend=legend)
            self._map_scene = scene
        return scene

    def describe(self, features: Sequence[str]) -> str:
        if not self._guarded:
            return super().describe(features)
        regions = self.geometry_model.regions
        half = next((f for f in features if f in regions and regions[f].kind == "half"), None)
        return super().describe([half]) if half else ""

    def set_student_mark(self, point: tuple[float, float] | None, right: bool = True) -> None:
        self._mark = None if point is None else (float(point[0]), float(point[1]), bool(right))
        self.update()

    def clear_selection(self) -> None:
        """Forget the zone the student clicked (its dashed outline belongs to the last card)."""
        if self.selected_zone() is not None:
            self._selected = None
            self._cache.composite = None
            self.update()

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        if self._quiet:
            event.accept()
            return
        super().mouseMoveEvent(event)

    def click_back(self, x: float, y: float, half: str | None = None) -> None:
        # a click, or Enter on the keyboard cursor's half (at its representative point)
        if half is not None or self._near_back(x, y):
            self.pointClicked.emit(x, y)
        super().click_back(x, y, half)

    def _near_back(self, x: float, y: float) -> bool:
        geo = self.geometry_model
        if "outline" in geo.features_at(x, y):
            return True
        outline = geo.regions.get("outline")
        if outline is None:
            return False
        from shapely import Point

        return bool(outline.polygon.distance(Point(x, y)) <= NEAR_MISS + NO_TOUCH_TOLERANCE)

    def paintEvent(self, event: QPaintEvent) -> None:
        super().paintEvent(event)
        if self._mark is None:
            return
        x, y, right = self._mark
        c = self.back_to_widget(x, y)
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        colour = QColor(RIGHT_COLOUR if right else WRONG_COLOUR)
        p.setPen(QPen(QColor("white"), 5))
        p.drawEllipse(c, 9, 9)
        p.setPen(QPen(colour, 3))
        p.drawEllipse(c, 9, 9)
        p.drawLine(c + QPointF(-14, 0), c + QPointF(-5, 0))
        p.drawLine(c + QPointF(5, 0), c + QPointF(14, 0))
        p.drawLine(c + QPointF(0, -14), c + QPointF(0, -5))
        p.drawLine(c + QPointF(0, 5), c + QPointF(0, 14))
        p.end()



def study_label(text: str = "", *, size: float | None = None, bold: bool = False,
                colour: str | None = None, name: str | None = None) -> QLabel:
    """A selectable plain-text label (data texts are never rich text)."""
    label = QLabel(text)
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setWordWrap(True)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    if size is not None or bold:
        f = QFont(label.font())
        if size is not None:
            f.setPointSizeF(size)
        f.setBold(bold)
        label.setFont(f)
    if colour:
        label.setStyleSheet(f"color: {colour};")
    if name:
        label.setObjectName(name)
    return label


__all__ = ["RIGHT_COLOUR", "WRONG_COLOUR", "StudyMapView", "study_label"]
