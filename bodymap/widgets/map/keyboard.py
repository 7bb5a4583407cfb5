"""The map from the keyboard and for assistive technology (issue 12, point 4).

:class:`MapKeyboard` keeps a keyboard cursor on one zone half of a :class:`BodyMapView`:

* Tab / Shift+Tab walk the halves in reading order (collar, interscapular, thoracic,
  lumbosacral; the patient's left half, then the right); past the last (or before the first)
  half focus leaves the map as usual, so the map is never a keyboard trap;
* Up / Down move between zones, Left / Right between the halves of a zone (the posterior view:
  the patient's left half is on the screen's left);
* Enter or Space does what a click on that half does in the current mode (select, toggle a
  lesion, place the hernia at the disc level nearest the half's middle on the half's side, a
  pain point at its representative point);
* Esc leaves a marking mode (the view emits ``markModeChanged("")``).

The cursor's half is named as hover names it (``zoneHovered``, the tooltip) and in the map's
accessible name, with an accessibility event on each move.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QAccessible, QAccessibleEvent, QKeyEvent
from PySide6.QtWidgets import QToolTip

from bodymap import i18n
from bodymap.widgets.map import accessible
from bodymap.widgets.plaintext import plain_tip

if TYPE_CHECKING:
    from PySide6.QtCore import QEvent
    from PySide6.QtGui import QFocusEvent
    from PySide6.QtWidgets import QWidget

    from bodymap.widgets.map.screen import ScreenLayers
    from bodymap.widgets.map.view import BodyMapView

    _Widget = QWidget
else:
    _Widget = object

__all__ = ["MapKeyboard", "MapKeyboardMixin"]

_KEY = Qt.Key
#: Qt.Key is an IntEnum: QKeyEvent.key()'s int finds its move
_MOVES: dict[int, tuple[int, int]] = {
    _KEY.Key_Up: (-1, 0),
    _KEY.Key_Down: (1, 0),
    _KEY.Key_Left: (0, -1),
    _KEY.Key_Right: (0, 1),
}
_ACTIVATE = (_KEY.Key_Return, _KEY.Key_Enter, _KEY.Key_Space, _KEY.Key_Select)


class MapKeyboard:
    """The keyboard cursor of one map view (see the module docstring)."""

    def __init__(self, view: BodyMapView) -> None:
        self.view = view
        self.cursor: str | None = None
        #: the cursor and the focus frame are drawn once the keyboard is used (focus by Tab,
        #: a key), not when a mouse click gives the map focus
        self.visible = False
        view.setFocusPolicy(Qt.FocusPolicy.StrongFocus)

    # ------------------------------------------------------------------------ the grid

    def rows(self) -> list[tuple[str, str]]:
        """Per zone, top to bottom, its halves: the patient's left (screen left) first."""
        geo = self.view.geometry_model
        out = []
        for zone in geo.ZONES:
            halves = sorted(geo.halves(zone), key=lambda h: geo.polygon(h).centroid.x)
            out.append((halves[0], halves[1]))
        return out

    def order(self) -> list[str]:
        return [h for row in self.rows() for h in row]

    def point(self, half: str) -> tuple[float, float]:
        """Where the keyboard acts on ``half``: its representative point (back units)."""
        pt = self.view.geometry_model.polygon(half).representative_point()
        return pt.x, pt.y

    # ----------------------------------------------------------------------- the moves

    def move_to(self, half: str | None) -> None:
        if half == self.cursor:
            return
        self.cursor = half
        self.view._focus_changed()
        self.announce()

    def tab(self, forward: bool) -> bool:
        """Tab inside the map: True when the cursor moved, False at either end (focus leaves)."""
        order = self.order()
        if self.cursor not in order:
            self.move_to(order[0] if forward else order[-1])
            return True
        i = order.index(self.cursor) + (1 if forward else -1)
        if not 0 <= i < len(order):
            return False
        self.move_to(order[i])
        return True

    def focus_in(self, reason: Qt.FocusReason) -> None:
        order = self.order()
        if reason == Qt.FocusReason.BacktabFocusReason:
            self.visible = True
            self.move_to(order[-1])
        elif reason == Qt.FocusReason.TabFocusReason:
            self.visible = True
            self.move_to(order[0])
        elif reason == Qt.FocusReason.MouseFocusReason:
            self.visible = False

    def focus_out(self) -> None:
        """The cursor is no longer drawn; the status stops naming it (hover names again)."""
        if self.visible and self.cursor is not None:
            self.view.zoneHovered.emit(self.view.hovered_zone() or "")
        self.view._focus_changed()

    def clicked(self, half: str | None) -> None:
        """A mouse click: the cursor follows it quietly (Enter then acts on that half)."""
        self.visible = False
        if half is not None:
            self.cursor = half
            self.view.setAccessibleName(self.name())

    def drawn(self) -> str | None:
        """The half to outline now (None while the mouse is in charge or focus is away)."""
        return self.cursor if self.visible and self.view.hasFocus() else None

    def wants(self, event: QKeyEvent) -> bool:
        """Whether a key is the map's while it has focus: it goes before the window's
        shortcuts. Space acts on the keyboard cursor's half while that is shown; after a mouse
        click it plays or pauses the session, as on the player."""
        key = event.key()
        mod = Qt.KeyboardModifier
        if event.modifiers() & (mod.ControlModifier | mod.AltModifier | mod.MetaModifier):
            return False
        acts = self.cursor is not None and (self.visible or key != _KEY.Key_Space)
        return (key in _MOVES or (key in _ACTIVATE and acts)
                or (key == _KEY.Key_Escape and self.view.mark_mode() is not None))

    def key_press(self, event: QKeyEvent) -> bool:
        """Handle a key; False when it is not the map's (the view passes it on)."""
        key = event.key()
        mod = Qt.KeyboardModifier
        if event.modifiers() & (mod.ControlModifier | mod.AltModifier | mod.MetaModifier):
            return False  # the window's shortcuts
        if key in _MOVES:
            if self.visible and self.cursor is not None:
                self._step(*_MOVES[key])
            else:  # the first arrow shows the cursor where it is (the first half, or clicked)
                self.visible = True
                if self.cursor is None:
                    self.move_to(self.order()[0])
                else:
                    self.announce()
            self.view._focus_changed()
            return True
        if key in _ACTIVATE and self.cursor is not None and (self.visible
                                                              or key != _KEY.Key_Space):
            self.visible = True
            self.view.click_back(*self.point(self.cursor), half=self.cursor)
            self.view._focus_changed()
            return True
        if key == _KEY.Key_Escape and self.view.mark_mode() is not None:
            self.view.set_mark_mode(None)
            return True
        return False

    def _step(self, drow: int, dcol: int) -> None:
        rows = self.rows()
        r, c = 0, 0
        for i, row in enumerate(rows):
            if self.cursor in row:
                r, c = i, row.index(self.cursor)
                r, c = min(max(r + drow, 0), len(rows) - 1), min(max(c + dcol, 0), 1)
        self.move_to(rows[r][c])

    # ------------------------------------------------------------------ names and words

    def quiet(self) -> bool:
        """A study quiz asks where a zone is: the cursor is named by its place, not its name."""
        return bool(getattr(self.view, "_quiet", False))

    def name(self) -> str:
        """The map's accessible name: what it is, and the half the cursor is on."""
        base = i18n.tr("map.a11y.name")
        if self.cursor is None:
            return base
        if self.quiet():
            row = next(i for i, r in enumerate(self.rows()) if self.cursor in r)
            side = self.view.geometry_model.regions[self.cursor].side
            return f"{base}: " + i18n.tr("map.a11y.position", row=row + 1, rows=len(self.rows()),
                                         side=i18n.tr(f"map.a11y.{side}"))
        return f"{base}: {i18n.pick(self.view.geometry_model.regions[self.cursor].names)}"

    def description(self) -> str:
        if self.cursor is None or self.quiet():
            return i18n.tr("map.a11y.description")
        return self.view.describe(self.view.features_at_back(*self.point(self.cursor)))

    def announce(self) -> None:
        """Name the cursor's half: accessible name and description, an accessibility event,
        the hover signal (the window's status) and the tooltip."""
        view = self.view
        view.setAccessibleName(self.name())
        view.setAccessibleDescription(self.description())
        for kind in (QAccessible.Event.NameChanged, QAccessible.Event.DescriptionChanged):
            QAccessible.updateAccessibility(QAccessibleEvent(view, kind))
        accessible.announce_focus(view)  # focus moves to the half's child (map/accessible.py)
        if self.cursor is None or not view.hasFocus() or self.quiet():
            return
        view.zoneHovered.emit(self.cursor)
        text = self.description()
        if text:
            at = view.back_to_widget(*self.point(self.cursor))
            QToolTip.showText(view.mapToGlobal(QPoint(int(at.x()), int(at.y()))),
                              plain_tip(text), view)


class MapKeyboardMixin(_Widget):
    """The map's keyboard and focus events, handed to its :class:`MapKeyboard` (listed
    before the QWidget in :class:`~bodymap.widgets.map.view.BodyMapView`)."""

    _keys: MapKeyboard
    _cache: ScreenLayers

    def event(self, event: QEvent) -> bool:
        if (event.type() == event.Type.ShortcutOverride and isinstance(event, QKeyEvent)
                and self._keys.wants(event)):
            event.accept()  # the map's own keys go before the window's shortcuts
            return True
        return super().event(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if not self._keys.key_press(event):
            super().keyPressEvent(event)

    def focusNextPrevChild(self, forward: bool) -> bool:
        if self.hasFocus() and self._keys.tab(forward):
            return True
        return super().focusNextPrevChild(forward)

    def focusInEvent(self, event: QFocusEvent) -> None:
        super().focusInEvent(event)
        self._keys.focus_in(event.reason())
        self._focus_changed()

    def focusOutEvent(self, event: QFocusEvent) -> None:
        super().focusOutEvent(event)
        self._keys.focus_out()

    def keyboard_zone(self) -> str | None:
        """The zone half the keyboard cursor is on (outlined while the map has focus)."""
        return self._keys.cursor

    def _focus_changed(self) -> None:
        self._cache.composite = None
        self.update()
