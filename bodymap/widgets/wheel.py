"""Findings never change by accident: a wheel turn changes a choice only while it is edited.

Qt's combo boxes and spin boxes take the mouse wheel whenever the pointer passes over them. In
a long side panel scrolled with the wheel that turned "L4-L5" into "L5-S1" on its way past the
hernia level. :func:`guard_wheel` gives every combo box and spin box under a widget the focus
policy ``StrongFocus`` (a wheel turn no longer gives it focus) and an event filter: while the
control does not have focus (the user clicked it, or reached it with Tab) a wheel turn over it
is passed on to what holds it, so the panel scrolls and the value stays.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtWidgets import QAbstractSpinBox, QComboBox, QWidget

__all__ = ["WHEEL_GUARDED", "WheelGuard", "guard_wheel", "guarded_controls"]

#: the dynamic property set on each guarded control (tests check every control has it)
WHEEL_GUARDED = "bodymapWheelGuarded"


class WheelGuard(QObject):
    """Passes a wheel turn over an unfocused control on to its parent."""

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (event.type() == QEvent.Type.Wheel and isinstance(watched, QWidget)
                and not watched.hasFocus()):
            event.ignore()  # not accepted: Qt offers it to the parent (the scroll area)
            return True  # and the control itself never sees it
        return False


def guarded_controls(root: QWidget) -> list[QWidget]:
    """Every combo box and spin box under ``root``: what a wheel turn could change."""
    return [*root.findChildren(QComboBox), *root.findChildren(QAbstractSpinBox)]


def guard_wheel(root: QWidget) -> int:
    """Guard every combo box and spin box under ``root`` (again: only the new ones); returns
    how many were newly guarded."""
    guard = root.findChild(WheelGuard, "wheelGuard", Qt.FindChildOption.FindDirectChildrenOnly)
    if guard is None:
        guard = WheelGuard(root)
        guard.setObjectName("wheelGuard")
    count = 0
    for control in guarded_controls(root):
        if control.property(WHEEL_GUARDED):
            continue
        control.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        control.installEventFilter(guard)
        control.setProperty(WHEEL_GUARDED, True)
        count += 1
    return count
