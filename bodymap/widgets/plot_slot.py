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

__all__ = ["COURSE_SIZE", "SHORT_SCREEN", "TIMELINE_SIZE", "PlotPlaceholder", "PlotSize",
           "PlotSlot"]


@dataclass(frozen=True)
class PlotSize:
    """What a plot asks of its layout. pyqtgraph's ``PlotWidget`` (a QGraphicsView) hints
    640x480 (at most three quarters of the screen) with a 68x68 minimum and expands both
    ways; the views add a fixed or a minimum height."""

    hint: tuple[int, int] = (640, 480)
    minimum_hint: tuple[int, int] = (68, 68)
    fixed_height: int | None = None
    minimum_height: int = 0
    #: the heights on a short screen (1366 x 768: the map needs the room); None: the same
    fixed_height_short: int | None = None
    minimum_height_short: int | None = None

    def apply(self, widget: QWidget) -> None:
        """Give ``widget`` (the plot, or its placeholder) these heights, for the screen it
        is on."""
        short = widget.screen().availableGeometry().height() < SHORT_SCREEN
        if self.fixed_height is not None:
            fixed = self.fixed_height_short if short and self.fixed_height_short else None
            widget.setFixedHeight(fixed or self.fixed_height)
        else:
            least = self.minimum_height_short if short else None
            widget.setMinimumHeight(self.minimum_height if least is None else least)


#: screens whose free height is under this are short: the plots are lower there
SHORT_SCREEN = 1000
#: the session player's timeline (``timeline_plot.SessionTimelinePlot``)
TIMELINE_SIZE = PlotSize(fixed_height=110, fixed_height_short=90)
#: the course chart (``course_plot.CoursePlot``)
COURSE_SIZE = PlotSize(minimum_height=160, minimum_height_short=136)


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
        # as QGraphicsView's: its scene's size, at most three quarters of the screen's
        virtual = self.screen().virtualSize()
        return QSize(*self._size.hint).boundedTo(virtual * 3 / 4)

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


class HoldsPlot(Generic[P]):
    """A pane whose plot stands in a :class:`PlotSlot` (the session player, the course pane):
    the plot made on first use, and what holds its place until then."""

    _slot: PlotSlot[P]

    @property
    def plot(self) -> P:
        """The plot (made now if it was not yet: this imports pyqtgraph)."""
        return self._slot.load()

    def load_plot(self) -> None:
        """Make the plot in place of its placeholder (idempotent)."""
        self._slot.load()

    def plot_loaded(self) -> bool:
        return self._slot.is_loaded()

    def plot_area(self) -> QWidget:
        """What holds the plot's place now: the plot, or its placeholder."""
        return self._slot.widget()
