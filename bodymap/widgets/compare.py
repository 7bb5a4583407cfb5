"""Two techniques side by side (:class:`TechniqueCompare`: rubbing and kneading, tapping and
patting...) and the player's "Show me" window (:class:`ShowMeDialog`): the current step's
close-up, and the technique it is most often taken for beside it."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QTabWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from bodymap import i18n
from bodymap.i18n import tr
from bodymap.motion_demo import confused_with, entries, presets
from bodymap.widgets.accessible import RetranslatesOnLanguageChange
from bodymap.widgets.accessible import name as a11y_name
from bodymap.widgets.closeup import TechniqueCloseUp
from bodymap.widgets.panels.common import technique_name

if TYPE_CHECKING:
    from bodymap.library import Library
    from bodymap.plan_types import Step

__all__ = ["ShowMeDialog", "TechniqueCompare"]

Entry = tuple[str, str | None]


class TechniqueCompare(RetranslatesOnLanguageChange, QWidget):
    """Two close-ups side by side, each with its picker, and buttons for the pairs students
    confuse most (``motion_demo.PRESETS``)."""

    def __init__(self, library: Library, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("techniqueCompare")
        self.library = library
        self.preset_buttons: dict[str, QToolButton] = {}
        self._entries: list[Entry] = []
        self.pickers = (QComboBox(self), QComboBox(self))
        self.views = (TechniqueCloseUp(library, self, compact=True),
                      TechniqueCloseUp(library, self, compact=True))
        self.pick_labels = (QLabel(self), QLabel(self))
        self._presets_row = QHBoxLayout()
        grid = QGridLayout()
        for i, (picker, view, label) in enumerate(zip(self.pickers, self.views,
                                                       self.pick_labels, strict=True)):
            picker.setObjectName(f"comparePicker{i + 1}")
            picker.currentIndexChanged.connect(lambda _i, k=i: self._picked(k))
            label.setBuddy(picker)
            row = QHBoxLayout()
            row.addWidget(label)
            row.addWidget(picker, 1)
            grid.addLayout(row, 0, i)
            grid.addWidget(view, 1, i)
        layout = QVBoxLayout(self)
        layout.addLayout(self._presets_row)
        layout.addLayout(grid, 1)
        self._fill()
        self.retranslate()
        first = next(iter(presets(library)), None)
        if first is not None:
            self.set_preset(first)

    def _fill(self) -> None:
        for button in self.preset_buttons.values():
            self._presets_row.removeWidget(button)
            button.deleteLater()
        self.preset_buttons = {}
        for key in presets(self.library):
            button = QToolButton(self)
            button.setObjectName(f"comparePreset_{key}")
            button.clicked.connect(lambda _=False, k=key: self.set_preset(k))
            self._presets_row.addWidget(button)
            self.preset_buttons[key] = button
        self._presets_row.addStretch(1)
        self._entries = entries(self.library)
        for picker in self.pickers:
            picker.blockSignals(True)
            picker.clear()
            for _entry in self._entries:
                picker.addItem("")
            picker.blockSignals(False)

    # -------------------------------------------------------------------------- public API
    def set_library(self, library: Library) -> None:
        keep = self.pair()
        self.library = library
        for view in self.views:
            view.set_library(library)
        self._fill()
        self.retranslate()
        have = set(entries(library))
        if all(e in have for e in keep):
            self.set_pair(*keep)
        elif presets(library):
            self.set_preset(next(iter(presets(library))))

    def set_pair(self, left: Entry, right: Entry) -> None:
        """Show ``left`` and ``right`` (technique, variant) side by side."""
        for k, entry in enumerate((left, right)):
            if entry not in self._entries:
                raise ValueError(f"no technique {entry!r} in the library")
            self.pickers[k].setCurrentIndex(self._entries.index(entry))
            self._picked(k)

    def set_preset(self, key: str) -> None:
        """One of ``motion_demo.PRESETS`` ("rub_knead", "tap_pat", "stroke_squeeze")."""
        self.set_pair(*presets(self.library)[key])

    def pair(self) -> tuple[Entry, Entry]:
        return (self._entry(0), self._entry(1))

    def _entry(self, k: int) -> Entry:
        index = self.pickers[k].currentIndex()
        return self._entries[index] if 0 <= index < len(self._entries) else ("", None)

    def set_playing(self, playing: bool) -> None:
        for view in self.views:
            view.set_playing(playing)

    def retranslate(self) -> None:
        for key, button in self.preset_buttons.items():
            button.setText(tr(f"closeup.preset.{key}"))
            button.setToolTip(tr("closeup.preset_tip"))
        for i, (picker, label) in enumerate(zip(self.pickers, self.pick_labels, strict=True)):
            label.setText(f"{tr('closeup.pick')} {i + 1}:")
            a11y_name(picker, f"{tr('closeup.pick')} {i + 1}")
            for j, (tid, vid) in enumerate(self._entries):
                picker.setItemText(j, technique_name(self.library, tid, vid))

    def _picked(self, k: int) -> None:
        entry = self._entry(k)
        if entry[0] and entry != self.views[k].current():
            self.views[k].set_technique(*entry)


class ShowMeDialog(RetranslatesOnLanguageChange, QDialog):
    """The player's "Show me": the current step's technique in close-up, as the step does it
    (direction, intensity), and a tab comparing it with the technique it is most often taken
    for. Not modal: it follows the player's step while open."""

    def __init__(self, library: Library, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("showMeDialog")
        self.library = library
        self._step: Step | None = None
        self._where = (0, 0)
        self.tabs = QTabWidget(self)
        self.tabs.setObjectName("showMeTabs")
        self.closeup = TechniqueCloseUp(library, self)
        self.compare = TechniqueCompare(library, self)
        self.tabs.addTab(self.closeup, "")
        self.tabs.addTab(self.compare, "")
        self.step_label = QLabel(self)
        self.step_label.setTextFormat(Qt.TextFormat.PlainText)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.close)
        layout = QVBoxLayout(self)
        layout.addWidget(self.step_label)
        layout.addWidget(self.tabs, 1)
        layout.addWidget(buttons)
        self.resize(940, 620)
        self.retranslate()

    def show_step(self, step: Step, index: int = 0, total: int = 1) -> None:
        """Show plan step ``step`` (number ``index`` + 1 of ``total``)."""
        if step is self._step:
            return
        self._step, self._where = step, (index, total)
        self.closeup.set_step(step)
        other = confused_with(self.library, step.technique, step.variant)
        if other is not None and other != (step.technique, step.variant):
            self.compare.set_pair((step.technique, step.variant), other)
        self.retranslate()

    def set_library(self, library: Library) -> None:
        self.library = library
        self.closeup.set_library(library)
        self.compare.set_library(library)

    def retranslate(self) -> None:
        self.tabs.setTabText(0, tr("closeup.title"))
        self.tabs.setTabText(1, tr("closeup.compare"))
        a11y_name(self.tabs, tr("closeup.title"))
        step = self._step
        name = technique_name(self.library, step.technique, step.variant) if step else ""
        self.setWindowTitle(tr("closeup.dialog_title", name=name))
        index, total = self._where
        self.step_label.setText(
            f"{tr('closeup.step', n=index + 1, total=total)}: {i18n.pick(step.text)}"
            if step is not None and step.text else "")
