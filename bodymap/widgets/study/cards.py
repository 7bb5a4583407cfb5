"""One card class per drill kind: how the card asks, takes the answer and shows the feedback.

A card owns its answer area (``card.widget``, one page of the study panel) and says what the
map does while asking. Rendering is separate from retranslating: :meth:`Card.show` and
:meth:`Card.show_feedback` set what is shown (plans on the map, list contents, colours);
:meth:`Card.retranslate` only sets the texts of the current language.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from bodymap.i18n import pick, tr
from bodymap.study import overlay_plan
from bodymap.widgets.accessible import name as a11y_name
from bodymap.widgets.closeup import TechniqueCloseUp
from bodymap.widgets.study.map import RIGHT_COLOUR, WRONG_COLOUR, study_label

if TYPE_CHECKING:
    from bodymap.drills import Drill
    from bodymap.study import Verdict
    from bodymap.widgets.study.widget import StudyWidget

_ROLE_ID = Qt.ItemDataRole.UserRole


def _column(*widgets: QWidget) -> tuple[QWidget, QVBoxLayout]:
    page = QWidget()
    layout = QVBoxLayout(page)
    layout.setContentsMargins(0, 0, 0, 0)
    for w in widgets:
        layout.addWidget(w)
    return page, layout


class Card:
    """A drill kind's card. ``study`` is the StudyWidget (its map, its ``answer``)."""

    kind: ClassVar[str] = ""
    on_map: ClassVar[bool] = True  # the map is shown while asking
    quiet: ClassVar[bool] = False  # hover names nothing while asking
    guarded: ClassVar[bool] = False  # legend and hover never tell where not to press
    hide_answer_area: ClassVar[bool] = False  # the answer area gives way to the feedback

    def __init__(self, study: StudyWidget) -> None:
        self.study = study
        self.map = study.map
        #: the card's own view in the map's place (None: the card uses the map or nothing)
        self.stage: QWidget | None = None
        self.widget = self._build()

    def _build(self) -> QWidget:
        self.hint = study_label(colour="#6b625b")
        return _column(self.hint)[0]

    def show(self, drill: Drill) -> None:
        """Ask ``drill``: the map and the answer area as this kind needs them."""
        self.map.set_plan(None)

    def zone_clicked(self, drill: Drill, zone: str) -> None:
        """A zone half clicked on the map while asking."""

    def point_clicked(self, drill: Drill, x: float, y: float) -> None:
        """A point of the back clicked while asking."""

    def show_feedback(self, verdict: Verdict) -> None:
        """Show the right answer after ``verdict``."""

    def where(self, response: Any) -> str:
        """Where the student clicked, in words ("" when the card is not answered on the map)."""
        return ""

    def retranslate_controls(self) -> None:
        """The texts and accessible names of the card's controls (every card, shown or not)."""

    def retranslate(self, drill: Drill | None, verdict: Verdict | None) -> None:
        self.hint.setText(tr("study.click_map"))

    def _name(self, rid: str) -> str:
        regions = self.study.geometry_model.regions
        return pick(regions[rid].names) if rid in regions else str(rid)


class ZoneCard(Card):
    """Find the zone: one click on the map answers. A click beside the zones (the spine, just
    off the back) answers too, so that a near miss is told as one."""

    kind = "zone"
    quiet = True
    hide_answer_area = True

    def __init__(self, study: StudyWidget) -> None:
        super().__init__(study)
        self._point: tuple[float, float] | None = None

    def point_clicked(self, drill: Drill, x: float, y: float) -> None:
        # the map sends the point first; a zone half under it follows as zone_clicked
        if self.study.geometry_model.zone_at(x, y) is None:
            self.study.answer("", point=(x, y))
        else:
            self._point = (x, y)

    def zone_clicked(self, drill: Drill, zone: str) -> None:
        point, self._point = self._point, None
        self.study.answer(zone, point=point)

    def show_feedback(self, verdict: Verdict) -> None:
        self.map.set_plan(overlay_plan(verdict.drill.highlight))

    def where(self, response: Any) -> str:
        return self._name(response) if response else tr("study.outside_zones")


class NoTouchCard(Card):
    """Where not to press: a point on the back answers; the step's no-touch areas explain."""

    kind = "notouch"
    hide_answer_area = True
    guarded = True

    def point_clicked(self, drill: Drill, x: float, y: float) -> None:
        self.study.answer((x, y), point=(x, y))

    def show_feedback(self, verdict: Verdict) -> None:
        drill = verdict.drill
        self.map.set_plan(drill.plan)
        self.map.set_step(drill.step)
        self.map.set_student_mark(verdict.response, verdict.right)

    def where(self, response: Any) -> str:
        geo = self.study.geometry_model
        feats = [f for f in geo.features_at(*response)
                 if f in geo.regions and geo.regions[f].kind in ("spine", "kidney", "half")]
        return ", ".join(self._name(f) for f in feats[:2]) or tr("study.outside")


class ZoneSetCard(Card):
    """Which zones does a condition call for: zones toggled on the map, then Check."""

    kind = "condzone"
    hide_answer_area = True

    def _build(self) -> QWidget:
        self.selected: list[str] = []
        self.selected_label = study_label(name="studySelected")
        self.clear_button = QPushButton()
        self.clear_button.clicked.connect(self.clear)
        self.check_zones_button = QPushButton()
        self.check_zones_button.setObjectName("studyCheckZones")
        self.check_zones_button.clicked.connect(lambda: self.study.answer(list(self.selected)))
        page, layout = _column(self.selected_label)
        buttons = QHBoxLayout()
        buttons.addWidget(self.clear_button)
        buttons.addStretch(1)
        buttons.addWidget(self.check_zones_button)
        layout.addLayout(buttons)
        return page

    def show(self, drill: Drill) -> None:
        self.selected = []
        self.map.set_plan(overlay_plan())

    def zone_clicked(self, drill: Drill, zone: str) -> None:
        region = self.study.geometry_model.regions.get(zone)
        parent = getattr(region, "parent", None) or zone
        if parent in self.selected:
            self.selected.remove(parent)
        else:
            self.selected.append(parent)
        self.map.set_plan(overlay_plan(self.selected))
        self.retranslate(drill, None)

    def clear(self) -> None:
        self.selected = []
        self.map.set_plan(overlay_plan())
        self.retranslate(None, None)

    def show_feedback(self, verdict: Verdict) -> None:
        self.map.set_plan(overlay_plan(verdict.drill.highlight))

    def where(self, response: Any) -> str:
        return ", ".join(self._name(z) for z in response) or "—"

    def retranslate_controls(self) -> None:
        self.clear_button.setText(tr("study.clear"))
        self.check_zones_button.setText(tr("study.check"))

    def retranslate(self, drill: Drill | None, verdict: Verdict | None) -> None:
        names = ", ".join(self._name(z) for z in self.selected)
        self.selected_label.setText(tr("study.selected", zones=names) if names
                                    else tr("study.selected_none"))


class OrderCard(Card):
    """Order the techniques: a shuffled list, moved with the arrows (or dragged), then Check."""

    kind = "order"
    on_map = False

    def _build(self) -> QWidget:
        self.order_list = QListWidget()
        self.order_list.setObjectName("studyOrderList")
        self.order_list.setDragDropMode(QAbstractItemView.DragDropMode.InternalMove)
        self.order_list.setDefaultDropAction(Qt.DropAction.MoveAction)
        self.order_list.setWordWrap(True)
        self.order_list.setAlternatingRowColors(True)
        self.order_list.setMinimumHeight(220)
        self.up_button = QPushButton("▲")
        self.up_button.clicked.connect(lambda: self.move(-1))
        self.down_button = QPushButton("▼")
        self.down_button.clicked.connect(lambda: self.move(1))
        self.check_order_button = QPushButton()
        self.check_order_button.setObjectName("studyCheckOrder")
        self.check_order_button.clicked.connect(lambda: self.study.answer(self.order_ids()))
        page, layout = _column(self.order_list)
        buttons = QHBoxLayout()
        for b in (self.up_button, self.down_button):
            buttons.addWidget(b)
        buttons.addStretch(1)
        buttons.addWidget(self.check_order_button)
        layout.addLayout(buttons)
        return page

    def show(self, drill: Drill) -> None:
        self.map.set_plan(None)
        self.order_list.clear()
        for opt in drill.shuffled_options(self.study.attempt(drill.id)):
            item = QListWidgetItem(pick(opt.label))
            item.setData(_ROLE_ID, opt.id)
            self.order_list.addItem(item)
        self.order_list.setCurrentRow(0)
        rows = sum(max(self.order_list.sizeHintForRow(i), 18)
                   for i in range(self.order_list.count()))
        self.order_list.setFixedHeight(rows + 2 * self.order_list.frameWidth() + 6)

    def order_ids(self) -> list[str]:
        return [self.order_list.item(i).data(_ROLE_ID) for i in range(self.order_list.count())]

    def move(self, delta: int) -> None:
        row = self.order_list.currentRow()
        target = row + delta
        if row < 0 or not 0 <= target < self.order_list.count():
            return
        self.order_list.insertItem(target, self.order_list.takeItem(row))
        self.order_list.setCurrentRow(target)

    def show_feedback(self, verdict: Verdict) -> None:
        drill = verdict.drill
        self.map.set_plan(drill.plan)  # the plan in the right order, on the map
        self.study.show_map(True)
        self.order_list.setCurrentRow(-1)
        for i, oid in enumerate(self.order_ids()):
            ok = drill.order_keys.get(oid) == drill.order_keys.get(drill.order[i])
            item = self.order_list.item(i)
            item.setForeground(QColor(RIGHT_COLOUR if ok else WRONG_COLOUR))
            item.setData(Qt.ItemDataRole.UserRole + 1, "✓ " if ok else "✗ ")

    def retranslate_controls(self) -> None:
        self.check_order_button.setText(tr("study.check"))
        for button, key in ((self.up_button, "study.up"), (self.down_button, "study.down")):
            button.setToolTip(tr(key))
            a11y_name(button, tr(key))
        a11y_name(self.order_list, tr("a11y.order_list"))

    def retranslate(self, drill: Drill | None, verdict: Verdict | None) -> None:
        by_id = {o.id: o for o in drill.options} if drill is not None else {}
        for i in range(self.order_list.count()):
            item = self.order_list.item(i)
            opt = by_id.get(item.data(_ROLE_ID))
            if opt is not None:
                mark = item.data(Qt.ItemDataRole.UserRole + 1) or ""
                item.setText(mark + pick(opt.label))


class ChoiceCard(Card):
    """One answer among buttons; after the answer the right one is green, a wrong one red."""

    def _build(self) -> QWidget:
        self.choice_buttons: list[QPushButton] = []
        page, self.choice_layout = _column()
        return page

    def show(self, drill: Drill) -> None:
        self.map.set_plan(None)
        for b in self.choice_buttons:
            self.choice_layout.removeWidget(b)
            b.hide()  # gone now, not at the next turn of the event loop
            b.deleteLater()
        self.choice_buttons = []
        for opt in drill.options:
            b = QPushButton()
            b.setProperty("optionId", opt.id)
            b.setObjectName(f"studyChoice-{opt.id}")
            b.setStyleSheet("text-align: left; padding: 6px 10px;")
            b.clicked.connect(lambda _=False, oid=opt.id: self.study.answer(oid))
            self.choice_layout.addWidget(b)
            self.choice_buttons.append(b)

    def show_feedback(self, verdict: Verdict) -> None:
        base = "text-align: left; padding: 6px 10px;"
        for b in self.choice_buttons:
            oid = b.property("optionId")
            if oid in verdict.drill.accept:
                b.setStyleSheet(f"{base} font-weight: bold; color: white;"
                                f" background: {RIGHT_COLOUR};")
            elif oid == verdict.response:
                b.setStyleSheet(f"{base} color: white; background: {WRONG_COLOUR};")

    def retranslate(self, drill: Drill | None, verdict: Verdict | None) -> None:
        by_id = {o.id: o for o in drill.options} if drill is not None else {}
        for b in self.choice_buttons:
            opt = by_id.get(b.property("optionId"))
            if opt is not None:
                b.setText(pick(opt.label))


class ContraCard(ChoiceCard):
    """Contraindications: answered on the panel; the map gives way to a note."""

    kind = "contra"
    on_map = False


class TechniqueCard(ChoiceCard):
    """Which technique is this: the map plays it (quietly), the buttons name it."""

    kind = "technique"
    quiet = True

    def show(self, drill: Drill) -> None:
        super().show(drill)
        self.map.set_plan(drill.plan)
        self.map.set_step(0)
        self.map.set_playing(True)


class MotionCard(ChoiceCard):
    """Name the technique from its motion alone: the technique's close-up in the map's place
    (one step of it: the hand with its contact part, its path, pressure and tempo), without
    anything that names it -- no caption, tooltip or accessible name (``show_caption=False``).
    Its animation runs only while the card is on screen (the close-up stops when hidden)."""

    kind = "motion"
    on_map = False
    quiet = True

    def _build(self) -> QWidget:
        self.closeup = TechniqueCloseUp(self.study.library, show_caption=False)
        self.closeup.setObjectName("studyMotionCloseUp")
        self.stage = self.closeup
        return super()._build()

    def show(self, drill: Drill) -> None:
        super().show(drill)
        plan, step = drill.plan, drill.step
        assert plan is not None and step is not None  # a motion drill shows a step of its plan
        self.closeup.set_step(plan.steps[step])
        self.closeup.set_playing(True)


CARDS: tuple[type[Card], ...] = (ZoneCard, NoTouchCard, ZoneSetCard, OrderCard, ContraCard,
                                 TechniqueCard, MotionCard)

__all__ = ["CARDS", "Card", "ChoiceCard", "ContraCard", "MotionCard", "NoTouchCard",
           "OrderCard", "TechniqueCard", "ZoneCard", "ZoneSetCard"]
