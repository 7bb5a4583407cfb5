"""The technique library: every technique and variant, what it does, how it moves, its sources.

Three tabs beside the list: the **close-up** (``closeup.py``: a patch of back with the hand
moving with its contact, pressure and tempo, the seed's description and its citations), the
technique **on the back** (its own small map: a one-step plan over the whole back, the spinal
line, and the kidneys for vibration and percussion, left out as in every plan; the demo step
comes from ``bodymap.planner.technique_step``, so its allowed area and its motion are the
planner's own) and **compare** (two techniques side by side, ``compare.py``).
"""

from __future__ import annotations

import html
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QSplitter,
    QTabWidget,
    QTextBrowser,
    QToolButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from bodymap import i18n
from bodymap.i18n import pick, tr
from bodymap.widgets.accessible import RetranslatesOnLanguageChange
from bodymap.widgets.accessible import name as a11y_name
from bodymap.widgets.panels import _text, direction_name
from bodymap.widgets.plaintext import plain_tip

if TYPE_CHECKING:
    from bodymap.geometry import BackGeometry
    from bodymap.library import Library
    from bodymap.plan_types import Plan
    from bodymap.widgets.controller import SessionController

#: the direction each technique is shown with first (the user may pick another)
DEMO_DIRECTION = {
    "stroking": "sacrum-to-neck",
    "rubbing": "along-spine-up",
    "kneading": "spine-to-sides",
    "squeezing": "spine-to-sides",
    "vibration": "spine-to-sides",
}
DEMO_INTENSITY = 3


def demo_plan(library: Library, geometry: BackGeometry, technique: str,
              variant: str | None = None, direction: str | None = None) -> Plan:
    """A one-step plan showing ``technique`` (``variant``) over the whole back."""
    from bodymap.planner import Plan, standing_no_touch, technique_step

    direction = direction or DEMO_DIRECTION.get(technique, "spine-to-sides")
    no_touch = standing_no_touch(library, geometry)
    step = technique_step(library, geometry, technique, variant, direction,
                          intensity=DEMO_INTENSITY, no_touch=no_touch)
    tech = library.techniques[technique]
    v = tech.variant(variant)
    return Plan(condition="", session=1, course_sessions=1, phase="main", status="ok",
                reasons=(), emphasis_zones=(), no_touch=no_touch, steps=(step,),
                course=(), cautions=(), sources=(), evidence=(),
                name=dict(_text(v.name if v is not None else tech.name)))


class TechniqueLibrary(RetranslatesOnLanguageChange, QWidget):
    """Pick a technique (or variant); read about it; watch it move on a small map."""

    def __init__(self, library: Library, geometry: BackGeometry,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("techniqueLibrary")
        # not ``self.geometry``: that would hide QWidget.geometry()
        self.library, self.back_geometry = library, geometry
        self.tree = QTreeWidget(self)
        self.tree.setObjectName("techniqueTree")
        self.tree.setHeaderHidden(True)
        self.tree.currentItemChanged.connect(lambda *_: self._show_current())

        from bodymap.widgets.mapview import BodyMapView

        self.map = BodyMapView(geometry, self)
        self.map.setObjectName("techniqueMap")
        self.map.set_legend_visible(False)
        self.map.setMinimumSize(300, 320)
        self.direction = QComboBox(self)
        self.direction.setObjectName("techniqueDirection")
        for did in library.directions:
            self.direction.addItem(did, did)
        self.direction.currentIndexChanged.connect(self._direction_changed)
        self.play = QToolButton(self)
        self.play.setObjectName("techniquePlay")
        self.play.setCheckable(True)
        self.play.setChecked(True)
        self.play.toggled.connect(self._on_play)
        self.direction_label = QLabel(self)
        self.direction_text = QTextBrowser(self)
        self.direction_text.setObjectName("techniqueDirectionText")
        self.direction_text.setOpenLinks(False)
        self.direction_text.setMaximumHeight(120)

        from bodymap.widgets.closeup import TechniqueCloseUp
        from bodymap.widgets.compare import TechniqueCompare

        self.closeup = TechniqueCloseUp(library, self)
        self.text = self.closeup.text  # the seed's description and its sources
        self.compare = TechniqueCompare(library, self)

        controls = QFormLayout()
        controls.addRow(self.direction_label, self.direction)
        row = QHBoxLayout()
        row.addLayout(controls, 1)
        row.addWidget(self.play)
        on_back = QWidget(self)
        rl = QVBoxLayout(on_back)
        rl.addWidget(self.map, 3)
        rl.addLayout(row)
        rl.addWidget(self.direction_text, 1)
        self.tabs = QTabWidget(self)
        self.tabs.setObjectName("techniqueTabs")
        self.tabs.addTab(self.closeup, "")
        self.tabs.addTab(on_back, "")
        self.tabs.addTab(self.compare, "")
        splitter = QSplitter(Qt.Orientation.Horizontal, self)
        splitter.addWidget(self.tree)
        splitter.addWidget(self.tabs)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([170, 330])
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(splitter)

        self._fill_tree()
        self.retranslate()
        self._select_first()

    def bind(self, controller: SessionController) -> None:
        """Show the controller's library: reloaded protocols reach this dock too."""
        controller.libraryChanged.connect(self.set_library)

    def set_library(self, library: Library) -> None:
        """Show ``library``'s techniques and directions, keeping the one selected."""
        current = self.current()
        self.library = library
        self.direction.blockSignals(True)
        self.direction.clear()
        for did in library.directions:
            self.direction.addItem(did, did)
        self.direction.blockSignals(False)
        self.closeup.set_library(library)
        self.compare.set_library(library)
        self._fill_tree()
        self.retranslate()
        if current is not None and current[0] in library.techniques:
            self.select(*current)
        else:
            self._select_first()
        self._show_current()

    def _top_items(self) -> list[QTreeWidgetItem]:
        """The techniques' rows (each with its variants' rows as children)."""
        rows = (self.tree.topLevelItem(i) for i in range(self.tree.topLevelItemCount()))
        return [row for row in rows if row is not None]

    @staticmethod
    def _children(item: QTreeWidgetItem) -> list[QTreeWidgetItem]:
        rows = (item.child(j) for j in range(item.childCount()))
        return [row for row in rows if row is not None]

    def _select_first(self) -> None:
        first = self.tree.topLevelItem(0)
        if first is not None:  # an empty library: nothing to select
            self.tree.setCurrentItem(first)

    def _fill_tree(self) -> None:
        self.tree.clear()
        for tid, tech in self.library.techniques.items():
            item = QTreeWidgetItem(self.tree, [tid])
            item.setData(0, Qt.ItemDataRole.UserRole, (tid, None))
            for v in tech.variants:
                child = QTreeWidgetItem(item, [v.id])
                child.setData(0, Qt.ItemDataRole.UserRole, (tid, v.id))
            item.setExpanded(True)

    def select(self, technique: str, variant: str | None = None) -> None:
        for item in self._top_items():
            for it in [item, *self._children(item)]:
                if it.data(0, Qt.ItemDataRole.UserRole) == (technique, variant):
                    self.tree.setCurrentItem(it)
                    return

    def current(self) -> tuple[str, str | None] | None:
        item = self.tree.currentItem()
        return item.data(0, Qt.ItemDataRole.UserRole) if item is not None else None

    def _show_current(self) -> None:
        current = self.current()
        if current is None:
            return
        technique, _ = current
        with_default = DEMO_DIRECTION.get(technique, "spine-to-sides")
        self.direction.blockSignals(True)
        self.direction.setCurrentIndex(max(0, self.direction.findData(with_default)))
        self.direction.blockSignals(False)
        self._show_demo()
        self._show_text()

    def _direction_changed(self, *_args: object) -> None:
        self._show_demo()
        self._show_text()

    def _show_demo(self) -> None:
        current = self.current()
        if current is None:
            return
        if not self.isVisible():  # hidden (as at start-up): plan the demo when first shown
            self._demo_pending = True
            return
        self._demo_pending = False
        technique, variant = current
        self.plan = demo_plan(self.library, self.back_geometry, technique, variant,
                              self.direction.currentData())
        self.map.set_plan(self.plan)
        self.map.set_step(0)
        self.map.set_playing(self.play.isChecked())

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if getattr(self, "_demo_pending", False):
            self._show_demo()

    def _show_text(self) -> None:
        current = self.current()
        if current is None:
            return
        esc = html.escape
        technique, variant = current
        if self.closeup.current() != current:
            self.closeup.set_technique(technique, variant,
                                       direction=DEMO_DIRECTION.get(technique))
        tech = self.library.techniques[technique]
        motion = tech.motion_of(variant)
        parts = [f"<p><b>{esc(tr('tech.movement'))}</b> {esc(tr(f'motion.how.{motion}'))}"
                 + (f" · {esc(tr('tech.percussive'))}" if tech.percussive_of(variant)
                    else "") + "</p>"]
        d = self.library.directions.get(self.direction.currentData())
        if d is not None:
            lang = i18n.language()
            parts.append(f"<p><b>{esc(pick(_text(d.name)))}</b>: {esc(pick(_text(d.how)))}</p>"
                         f"<p><small>{esc(tr('tech.sources'))} "
                         f"{esc('; '.join(s.cite(lang) for s in d.sources))}</small></p>")
        self.direction_text.setHtml("".join(parts))

    def _on_play(self, playing: bool) -> None:
        self.play.setText(tr("player.pause") if playing else tr("player.play"))
        self.map.set_playing(playing)

    def retranslate(self) -> None:
        for item in self._top_items():
            tid, _ = item.data(0, Qt.ItemDataRole.UserRole)
            tech = self.library.techniques[tid]
            item.setText(0, pick(_text(tech.name)))
            item.setToolTip(0, plain_tip(pick(_text(tech.does))))
            for child in self._children(item):
                v = tech.variant(child.data(0, Qt.ItemDataRole.UserRole)[1])
                if v is None:  # never: _fill_tree made a row per variant of this technique
                    continue
                child.setText(0, pick(_text(v.name)))
                child.setToolTip(0, plain_tip(pick(_text(v.does))))
        for i in range(self.direction.count()):
            self.direction.setItemText(i, direction_name(self.library, self.direction.itemData(i)))
        self.direction_label.setText(tr("tech.direction"))
        self.direction.setToolTip(tr("tech.direction_tip"))
        a11y_name(self.direction, tr("tech.direction"))
        a11y_name(self.tree, tr("a11y.techniques"))
        a11y_name(self.direction_text, tr("tech.direction"))
        for i, key in enumerate(("closeup.title", "closeup.on_back", "closeup.compare")):
            self.tabs.setTabText(i, tr(key))
        a11y_name(self.tabs, tr("closeup.title"))
        self.play.setText(tr("player.pause") if self.play.isChecked() else tr("player.play"))
        self.play.setToolTip(tr("tech.play_tip"))
        self._show_text()
