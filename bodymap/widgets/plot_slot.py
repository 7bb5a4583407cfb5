"""Where a pyqtgraph plot will be: a placeholder of the plot's size until the plot is made.

The window paints its map, panels, banner and steps first (``readiness.py``: *map ready*);
pyqtgraph is imported and the plots are made right after, on the event loop (``ready``). Until
then each plot's place in its layout is held by a :class:`PlotPlaceholder` that asks the layout
for exactly what the plot will ask for (size hint, minimum size hint, size policy, fixed or
minimum height: :class:`PlotSize`), so the layout does not move when the plot replaces it.
``tests/test_progressive_start.py`` checks the sizes against the real plots.

:class:`PlotSlot` is the one way a view reaches its plot: :meth:`PlotSlot.load` makes it (the
view's factory imports pyqtgraph) and puts it where the placeholder was; until then the view
keeps what the plot should show and gives it to the plot when it is made.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Generic, TypeVar

from PySide6.QtCore import QSize
from PySide6.QtGui import QColor, QPainter, QPaintEvent
from PySide6.QtWidgets import QBoxLayout, QSizePolicy, QWidget

__all__ = ["COURSE_SIZE", "TIMELINE_SIZE", "PlotPlaceholder", "PlotSize", "PlotSlot"]


@dataclass(frozen=True)
class PlotSize:
    """What a plot asks of its layout. pyqtgraph's ``PlotWidget`` (a QGraphicsView) hints
    600x480 with a 68x68 minimum and expands both ways; the views add a fixed or a minimum
    height."""

    hint: tuple[int, int] = (600, 480)
    minimum_hint: tuple[int, int] = (68, 68)
    fixed_height: int | None = None
    minimum_height: int = 0

    def apply(self, widget: QWidget) -> None:
        """Give ``widget`` (the plot, or its placeholder) these heights."""
        if self.fixed_height is not None:
            widget.setFixedHeight(self.fixed_height)
        else:
            widget.setMinimumHeight(self.minimum_height)


#: the session player's timeline (``timeline_plot.SessionTimelinePlot``)
TIMELINE_SIZE = PlotSize(fixed_height=110)
#: the course chart (``course_plot.CoursePlot``)
COURSE_SIZE = PlotSize(minimum_height=160)


class PlotPlaceholder(QWidget):
    """A blank of the plot's size and background (white), shown until the plot is made."""

    def __init__(self, size: PlotSize, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("plotPlaceholder")
        self._size = size
        expanding = QSizePolicy.Policy.Expanding
        self.setSizePolicy(expanding, expanding)
        size.apply(self)

    def sizeHint(self) -> QSize:
        return QSize(*self._size.hint)

    def minimumSizeHint(self) -> QSize:
        return QSize(*self._size.minimum_hint)

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.fillRect(event.rect(), QColor("white"))
        painter.end()


P = TypeVar("P", bound=QWidget)


class PlotSlot(Generic[P]):
    """A plot's place in ``layout``: the placeholder now, the plot once :meth:`load` made it.

    ``make(parent)`` makes the plot (importing pyqtgraph); ``ready(plot)`` gives it what the
    view holds (its data, its texts) once made. The slot's visibility is the plot's.
    """

    def __init__(self, layout: QBoxLayout, parent: QWidget, size: PlotSize,
                 make: Callable[[QWidget], P], ready: Callable[[P], object],
                 stretch: int = 0) -> None:
        self._layout, self._parent, self._size = layout, parent, size
        self._make, self._ready = make, ready
        self.placeholder: PlotPlaceholder | None = PlotPlaceholder(size, parent)
        self.plot: P | None = None
        self._visible = True
        layout.addWidget(self.placeholder, stretch)

    def widget(self) -> QWidget:
        """What holds the place now: the plot, or the placeholder."""
        if self.plot is not None:
            return self.plot
        assert self.placeholder is not None
        return self.placeholder

    def is_loaded(self) -> bool:
        return self.plot is not None

    def load(self) -> P:
        """The plot, made now if it was not (idempotent)."""
        if self.plot is None:
            plot = self._make(self._parent)
            self._size.apply(plot)
            placeholder = self.placeholder
            assert placeholder is not None
            plot.setVisible(False)
            self._layout.replaceWidget(placeholder, plot)
            self.plot, self.placeholder = plot, None
            placeholder.hide()
            placeholder.deleteLater()
            self._ready(plot)
            plot.setVisible(self._visible)
        return self.plot

    def set_visible(self, visible: bool) -> None:
        self._visible = visible
        self.widget().setVisible(visible)

    def is_hidden(self) -> bool:
        return not self._visible
