"""Study mode: drills on the body map with instant feedback, FSRS scheduling and a progress plot.

``StudyWidget(library, geometry, parent=None)`` is a plain QWidget; the main window shows it as
a window or a tab (View -> Study mode). It owns a :class:`~bodymap.study.ProgressStore` (the
student's file in the user data folder) and runs one :class:`~bodymap.study.StudySession` at a
time; at the end it shows a summary and a pyqtgraph plot of daily accuracy and reviews.

pyqtgraph is imported only when the summary is first shown. Prompts to the student go through
:meth:`StudyWidget.confirm` and :meth:`StudyWidget.inform`, which tests override.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from typing import Any

from PySide6.QtCore import QPointF, Qt, Signal
from PySide6.QtGui import QColor, QFont, QPainter, QPen
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFrame,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPushButton,
    QSizePolicy,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from bodymap import i18n
from bodymap.i18n import pick, tr
from bodymap.study import (
    Drill,
    ProgressStore,
    StudySession,
    Verdict,
    build_drills,
    overlay_plan,
)
from bodymap.widgets.mapview import BodyMapView

__all__ = ["StudyMapView", "StudyWidget"]

RIGHT_COLOUR = "#1d7a3a"
WRONG_COLOUR = "#b3261e"
_ROLE_ID = Qt.ItemDataRole.UserRole


class StudyMapView(BodyMapView):
    """The body map with what a quiz needs: raw clicks, quiet hover, the student's mark.

    * ``pointClicked(x, y)``: every left click on the back, in back coordinates (the plain
      map emits ``zoneClicked`` only on zone halves, and the spine lies between them);
    * ``set_quiet(True)`` suppresses hover highlight and tooltips (they would name the zone
      or the technique a question asks about);
    * ``set_student_mark(point, right)`` draws where the student clicked.
    """

    pointClicked = Signal(float, float)

    def __init__(self, geometry: Any = None, parent: QWidget | None = None) -> None:
        super().__init__(geometry, parent)
        self.setObjectName("studyMapView")
        self._quiet = False
        self._mark: tuple[float, float, bool] | None = None

    def set_quiet(self, quiet: bool) -> None:
        self._quiet = bool(quiet)

    def set_student_mark(self, point: tuple[float, float] | None, right: bool = True) -> None:
        self._mark = None if point is None else (float(point[0]), float(point[1]), bool(right))
        self.update()

    def mouseMoveEvent(self, event) -> None:
        if self._quiet:
            event.accept()
            return
        super().mouseMoveEvent(event)

    def mousePressEvent(self, event) -> None:
        if event.button() == Qt.MouseButton.LeftButton:
            x, y = self.widget_to_back(event.position())
            if "outline" in self.geometry_model.features_at(x, y):
                self.pointClicked.emit(x, y)
        super().mousePressEvent(event)

    def paintEvent(self, event) -> None:
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


def _label(
    text: str = "",
    *,
    size: float | None = None,
    bold: bool = False,
    colour: str | None = None,
    name: str | None = None,
) -> QLabel:
    label = QLabel(text)
    label.setTextFormat(Qt.TextFormat.PlainText)  # data texts are never rich text
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


class StudyWidget(QWidget):
    """Study mode. Signals:

    * ``answered(drill_id, right)`` after every answer;
    * ``sessionFinished()`` when the summary is shown.
    """

    answered = Signal(str, bool)
    sessionFinished = Signal()

    PANEL_WIDTH = 430

    def __init__(
        self,
        library: Any,
        geometry: Any,
        parent: QWidget | None = None,
        *,
        store: ProgressStore | None = None,
        now: Callable[[], datetime] | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("studyWidget")
        self.library = library
        self.geometry_model = geometry
        self.store = store if store is not None else ProgressStore()
        self._now = now
        self.drills: list[Drill] = build_drills(library, geometry)
        self.session: StudySession | None = None
        self.verdict: Verdict | None = None
        self._selected: list[str] = []
        self._problem_shown = False
        self._plot: Any = None

        self._build()
        self._unlisten = i18n.on_language_changed(lambda _lang: self.retranslate())
        self.destroyed.connect(self._unlisten)
        self.start_session()

    # ----------------------------------------------------------------------- building
    def _build(self) -> None:
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        self.pages = QStackedWidget()
        outer.addWidget(self.pages)

        # -- the study page: map on the left, the card on the right
        study = QWidget()
        row = QHBoxLayout(study)
        self.map = StudyMapView(self.geometry_model)
        self.map.zoneClicked.connect(self._on_zone_clicked)
        self.map.pointClicked.connect(self._on_point_clicked)
        # cards answered on the panel (contraindications; order before Check) swap the map
        # for a note that points there, so nothing on the left invites a click
        self.map_stack = QStackedWidget()
        self.map_stack.setObjectName("studyMapStack")
        self.map_stack.addWidget(self.map)
        self.map_note = _label(size=15, colour="#5a5048", name="studyMapNote")
        self.map_note.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.map_note.setMargin(40)
        self.map_note.setTextInteractionFlags(Qt.TextInteractionFlag.NoTextInteraction)
        self.map_note.setStyleSheet(
            "color: #5a5048; background: #f4f1ec; border: 2px dashed #cfc6bb;"
            " border-radius: 14px;"
        )
        self.map_stack.addWidget(self.map_note)
        row.addWidget(self.map_stack, 3)

        panel = QFrame()
        panel.setObjectName("studyPanel")
        panel.setFixedWidth(self.PANEL_WIDTH)
        panel.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Expanding)
        col = QVBoxLayout(panel)
        self.kind_label = _label(bold=True, colour="#5a5048", name="studyKind")
        self.progress_label = _label(colour="#6b625b", name="studyProgress")
        self.prompt_label = _label(size=13.5, bold=True, name="studyPrompt")
        col.addWidget(self.kind_label)
        col.addWidget(self.progress_label)
        col.addSpacing(6)
        col.addWidget(self.prompt_label)
        col.addSpacing(6)

        self.answer_stack = QStackedWidget()
        self.answer_stack.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Maximum)
        # click on the map
        self.click_hint = _label(colour="#6b625b")
        self.answer_stack.addWidget(self.click_hint)
        # multi-select zones on the map
        sel = QWidget()
        sl = QVBoxLayout(sel)
        sl.setContentsMargins(0, 0, 0, 0)
        self.selected_label = _label(name="studySelected")
        sl.addWidget(self.selected_label)
        buttons = QHBoxLayout()
        self.clear_button = QPushButton()
        self.clear_button.clicked.connect(self._clear_selection)
        self.check_zones_button = QPushButton()
        self.check_zones_button.setObjectName("studyCheckZones")
        self.check_zones_button.clicked.connect(self._check_zones)
        buttons.addWidget(self.clear_button)
        buttons.addStretch(1)
        buttons.addWidget(self.check_zones_button)
        sl.addLayout(buttons)
        self.answer_stack.addWidget(sel)
        # ordering
        order = QWidget()
        ol = QVBoxLayout(order)
        ol.setContentsMargins(0, 0, 0, 0)
        self.order_list = QListWidget()
        self.order_list.setObjectName("studyOrderList")
        self.order_list.setDragDropMode(QAbstractItemView.DragDropMode.InternalMove)
        self.order_list.setDefaultDropAction(Qt.DropAction.MoveAction)
        self.order_list.setWordWrap(True)
        self.order_list.setAlternatingRowColors(True)
        self.order_list.setMinimumHeight(220)
        ol.addWidget(self.order_list)
        ob = QHBoxLayout()
        self.up_button = QPushButton("▲")
        self.up_button.clicked.connect(lambda: self._move(-1))
        self.down_button = QPushButton("▼")
        self.down_button.clicked.connect(lambda: self._move(1))
        self.check_order_button = QPushButton()
        self.check_order_button.setObjectName("studyCheckOrder")
        self.check_order_button.clicked.connect(self._check_order)
        ob.addWidget(self.up_button)
        ob.addWidget(self.down_button)
        ob.addStretch(1)
        ob.addWidget(self.check_order_button)
        ol.addLayout(ob)
        self.answer_stack.addWidget(order)
        # multiple choice
        self.choice_box = QWidget()
        self.choice_layout = QVBoxLayout(self.choice_box)
        self.choice_layout.setContentsMargins(0, 0, 0, 0)
        self.choice_buttons: list[QPushButton] = []
        self.answer_stack.addWidget(self.choice_box)
        col.addWidget(self.answer_stack)

        # feedback
        self.feedback = QFrame()
        self.feedback.setObjectName("studyFeedback")
        self.feedback.setFrameShape(QFrame.Shape.StyledPanel)
        fl = QVBoxLayout(self.feedback)
        self.verdict_label = _label(size=15, bold=True, name="studyVerdict")
        self.clicked_label = _label(name="studyClicked")
        self.answer_label = _label(bold=True, name="studyAnswer")
        self.explanation_label = _label(name="studyExplanation")
        self.source_label = _label(colour="#6b625b", name="studySource")
        f = QFont(self.source_label.font())
        f.setPointSizeF(max(7.0, f.pointSizeF() * 0.9))
        self.source_label.setFont(f)
        self.next_button = QPushButton()
        self.next_button.setObjectName("studyNext")
        self.next_button.setDefault(True)
        self.next_button.clicked.connect(self.next_card)
        for w in (
            self.verdict_label,
            self.clicked_label,
            self.answer_label,
            self.explanation_label,
            self.source_label,
        ):
            fl.addWidget(w)
        nb = QHBoxLayout()
        nb.addStretch(1)
        nb.addWidget(self.next_button)
        fl.addLayout(nb)
        col.addWidget(self.feedback)
        col.addStretch(1)

        bottom = QHBoxLayout()
        self.end_button = QPushButton()
        self.end_button.setObjectName("studyEnd")
        self.end_button.clicked.connect(self.end_session)
        bottom.addStretch(1)
        bottom.addWidget(self.end_button)
        col.addLayout(bottom)
        row.addWidget(panel, 2)
        self.pages.addWidget(study)

        # -- the summary page
        summary = QWidget()
        sv = QVBoxLayout(summary)
        sv.setContentsMargins(24, 18, 24, 18)
        sv.setSpacing(8)
        self.summary_title = _label(size=17, bold=True, name="studySummaryTitle")
        self.summary_counts = _label(size=13, name="studySummaryCounts")
        self.summary_next = _label(name="studySummaryNext")
        self.summary_review_title = _label(bold=True)
        self.summary_review = _label(name="studySummaryReview")
        for w in (
            self.summary_title,
            self.summary_counts,
            self.summary_next,
            self.summary_review_title,
            self.summary_review,
        ):
            sv.addWidget(w)
        self.plot_title = _label(bold=True)
        sv.addWidget(self.plot_title)
        self.plot_holder = QVBoxLayout()
        sv.addLayout(self.plot_holder, 1)
        self.plot_empty = _label(colour="#6b625b")
        self.plot_holder.addWidget(self.plot_empty)
        sb = QHBoxLayout()
        self.reset_button = QPushButton()
        self.reset_button.setObjectName("studyReset")
        self.reset_button.clicked.connect(self.reset_progress)
        self.again_button = QPushButton()
        self.again_button.setObjectName("studyAgain")
        self.again_button.clicked.connect(lambda: self.start_session())
        sb.addWidget(self.reset_button)
        sb.addStretch(1)
        sb.addWidget(self.again_button)
        sv.addLayout(sb)
        self.pages.addWidget(summary)

    # ------------------------------------------------------------- overridable prompts
    def confirm(self, title: str, question: str) -> bool:
        """Ask yes/no (tests override)."""
        answer = QMessageBox.question(
            self,
            title,
            question,
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No,
        )
        return answer == QMessageBox.StandardButton.Yes

    def inform(self, title: str, message: str) -> None:
        """Tell the student something went wrong (tests override)."""
        box = QMessageBox(QMessageBox.Icon.Warning, title, message, parent=self)
        box.setTextFormat(Qt.TextFormat.PlainText)
        box.exec()

    def showEvent(self, event) -> None:
        super().showEvent(event)
        if self.store.problem and not self._problem_shown:
            self._problem_shown = True
            self.inform(tr("study.corrupt.title"), self.store.problem)

    # ------------------------------------------------------------------ the session
    def start_session(self, kinds: Any = None) -> None:
        """A new session over every kind of drill, or only ``kinds`` (e.g. ``("zone",)``)."""
        kwargs: dict[str, Any] = {"now": self._now} if self._now is not None else {}
        if kinds is not None:
            kwargs["kinds"] = tuple(kinds)
        self.session = StudySession(self.drills, self.store, **kwargs)
        self.verdict = None
        self.pages.setCurrentIndex(0)
        if self.session.finished:
            self._show_summary(nothing_due=True)
            return
        self._show_card()

    def current_drill(self) -> Drill | None:
        return self.session.current if self.session is not None else None

    def answer(self, response: Any) -> Verdict | None:
        """Answer the current card (what the map clicks and buttons call)."""
        if self.session is None or self.session.current is None or self.verdict is not None:
            return None
        verdict = self.session.answer(response)
        self.verdict = verdict
        if self.session.save_error is not None:
            self.inform(
                tr("study.corrupt.title"),
                tr(
                    "study.save_failed",
                    path=str(self.store.path),
                    error=str(self.session.save_error),
                ),
            )
        self._show_feedback()
        self.answered.emit(verdict.drill.id, verdict.right)
        return verdict

    def next_card(self) -> None:
        if self.session is None:
            return
        self.session.advance()
        self.verdict = None
        if self.session.finished:
            self._show_summary()
        else:
            self._show_card()

    def end_session(self) -> None:
        if self.session is not None:
            self.session.end()
        self.verdict = None
        self._show_summary()

    def reset_progress(self) -> None:
        if not self.confirm(tr("study.reset_title"), tr("study.reset_question")):
            return
        self.store.reset()
        self.start_session()

    # --------------------------------------------------------------- showing a card
    def _show_card(self) -> None:
        drill = self.current_drill()
        self.feedback.hide()
        self.answer_stack.show()
        self.answer_stack.setEnabled(True)
        self.map.set_student_mark(None)
        self._selected = []
        kind = drill.kind
        # the map while asking: never the answer
        self.map.set_quiet(kind in ("zone", "technique"))
        self.map.set_legend_visible(kind not in ("zone", "technique"))
        if kind == "technique":
            self.map.set_plan(drill.plan)
            self.map.set_current_step(0)
            self.map.set_playing(True)
        elif kind == "condzone":
            self.map.set_plan(overlay_plan())
        else:
            self.map.set_plan(None)
        if kind == "order":
            attempt = self.session.attempt(drill.id)
            self.order_list.clear()
            for opt in drill.shuffled_options(attempt):
                item = QListWidgetItem(pick(opt.label))
                item.setData(_ROLE_ID, opt.id)
                self.order_list.addItem(item)
            self.order_list.setCurrentRow(0)
            self._fit_order_list()
        if kind in ("contra", "technique"):
            self._build_choices(drill)
        self._show_map(kind not in ("contra", "order"))
        self._set_answer_page({"zone": 0, "notouch": 0, "condzone": 1, "order": 2}.get(kind, 3))
        self.retranslate()

    def map_shown(self) -> bool:
        """Whether the map (rather than the note pointing to the panel) is on screen."""
        return self.map_stack.currentWidget() is self.map

    def _show_map(self, shown: bool) -> None:
        self.map_stack.setCurrentWidget(self.map if shown else self.map_note)

    def _fit_order_list(self) -> None:
        rows = sum(
            max(self.order_list.sizeHintForRow(i), 18) for i in range(self.order_list.count())
        )
        self.order_list.setFixedHeight(rows + 2 * self.order_list.frameWidth() + 6)

    def _set_answer_page(self, index: int) -> None:
        """Show one answer page; the others take no room (a stack is as tall as its tallest)."""
        for i in range(self.answer_stack.count()):
            page = self.answer_stack.widget(i)
            policy = QSizePolicy.Policy.Preferred if i == index else QSizePolicy.Policy.Ignored
            page.setSizePolicy(policy, policy)
        self.answer_stack.setCurrentIndex(index)
        self.answer_stack.adjustSize()

    def _build_choices(self, drill: Drill) -> None:
        for b in self.choice_buttons:
            self.choice_layout.removeWidget(b)
            b.deleteLater()
        self.choice_buttons = []
        for opt in drill.options:
            b = QPushButton()
            b.setProperty("optionId", opt.id)
            b.setObjectName(f"studyChoice-{opt.id}")
            b.setStyleSheet("text-align: left; padding: 6px 10px;")
            b.clicked.connect(lambda _=False, oid=opt.id: self.answer(oid))
            self.choice_layout.addWidget(b)
            self.choice_buttons.append(b)

    # ---------------------------------------------------------------- answering
    def _on_zone_clicked(self, zone: str) -> None:
        drill = self.current_drill()
        if drill is None or self.verdict is not None:
            return
        if drill.kind == "zone":
            self.answer(zone)
        elif drill.kind == "condzone":
            parent = self._parent(zone)
            if parent in self._selected:
                self._selected.remove(parent)
            else:
                self._selected.append(parent)
            self.map.set_plan(overlay_plan(self._selected))
            self.retranslate()

    def _on_point_clicked(self, x: float, y: float) -> None:
        drill = self.current_drill()
        if drill is None or self.verdict is not None or drill.kind != "notouch":
            return
        self._click_point = (x, y)
        self.answer((x, y))

    def _parent(self, rid: str) -> str:
        region = self.geometry_model.regions.get(rid)
        return getattr(region, "parent", None) or rid

    def _clear_selection(self) -> None:
        self._selected = []
        self.map.set_plan(overlay_plan())
        self.retranslate()

    def _check_zones(self) -> None:
        self.answer(list(self._selected))

    def _order_ids(self) -> list[str]:
        return [self.order_list.item(i).data(_ROLE_ID) for i in range(self.order_list.count())]

    def _move(self, delta: int) -> None:
        row = self.order_list.currentRow()
        target = row + delta
        if row < 0 or not 0 <= target < self.order_list.count():
            return
        item = self.order_list.takeItem(row)
        self.order_list.insertItem(target, item)
        self.order_list.setCurrentRow(target)

    def _check_order(self) -> None:
        self.answer(self._order_ids())

    # ---------------------------------------------------------------- feedback
    def _show_feedback(self) -> None:
        v = self.verdict
        drill = v.drill
        self.answer_stack.setEnabled(False)
        if drill.kind in ("zone", "notouch", "condzone"):
            self.answer_stack.hide()
        self.map.set_quiet(False)
        if drill.kind in ("zone", "condzone"):
            self.map.set_plan(overlay_plan(drill.highlight))
        elif drill.kind == "notouch":
            self.map.set_plan(drill.plan)
            self.map.set_current_step(drill.step)
            self.map.set_student_mark(v.response, v.right)
        elif drill.kind == "technique":
            self.map.set_quiet(False)
        elif drill.kind == "order":
            self.map.set_plan(drill.plan)  # the plan in the right order, on the map
            self._show_map(True)
            self.order_list.setCurrentRow(-1)
            for i, oid in enumerate(self._order_ids()):
                ok = drill.order_keys.get(oid) == drill.order_keys.get(drill.order[i])
                item = self.order_list.item(i)
                item.setForeground(QColor(RIGHT_COLOUR if ok else WRONG_COLOUR))
                item.setText(("✓ " if ok else "✗ ") + item.text())
        if drill.kind == "contra" or drill.kind == "technique":
            for b in self.choice_buttons:
                oid = b.property("optionId")
                if oid in drill.accept:
                    b.setStyleSheet(
                        f"text-align: left; padding: 6px 10px; font-weight: bold;"
                        f" color: white; background: {RIGHT_COLOUR};"
                    )
                elif oid == v.response:
                    b.setStyleSheet(
                        f"text-align: left; padding: 6px 10px;"
                        f" color: white; background: {WRONG_COLOUR};"
                    )
        self.feedback.show()
        self.next_button.setFocus()
        self.retranslate()

    def _where(self, response: Any) -> str:
        drill = self.verdict.drill
        geo = self.geometry_model
        if drill.kind == "zone":
            return pick(geo.regions[response].names) if response in geo.regions else str(response)
        if drill.kind == "notouch":
            x, y = response
            feats = [
                f
                for f in geo.features_at(x, y)
                if f in geo.regions and geo.regions[f].kind in ("spine", "kidney", "half")
            ]
            names = [pick(geo.regions[f].names) for f in feats[:2]]
            return ", ".join(names) or tr("study.outside")
        if drill.kind == "condzone":
            return ", ".join(pick(geo.regions[z].names) for z in response) or "—"
        return ""

    # ------------------------------------------------------------------ summary
    def _show_summary(self, nothing_due: bool = False) -> None:
        self.map.set_playing(False)
        self.map.set_plan(None)
        self.pages.setCurrentIndex(1)
        self._nothing_due = nothing_due
        self._update_plot()
        self.retranslate()
        self.sessionFinished.emit()

    def _update_plot(self) -> None:
        days = self.store.days()
        if not days:
            self.plot_empty.show()
            if self._plot is not None:
                self._plot.hide()
            return
        self.plot_empty.hide()
        import pyqtgraph as pg  # lazily: only the summary needs it

        if self._plot is None:
            self._plot = pg.GraphicsLayoutWidget()
            self._plot.setObjectName("studyPlot")
            self._plot.setBackground("w")
            self._plot.setMinimumHeight(260)
            self._acc = self._plot.addPlot(row=0, col=0)
            self._rev = self._plot.addPlot(row=1, col=0)
            self._rev.setXLink(self._acc)
            for plot in (self._acc, self._rev):
                plot.showGrid(x=False, y=True, alpha=0.25)
                plot.setMouseEnabled(x=False, y=False)
                plot.hideButtons()
                plot.getAxis("left").setWidth(44)
            self._acc.setYRange(0, 100, padding=0.05)
            self.plot_holder.addWidget(self._plot, 1)
        self._plot.show()
        first = date.fromisoformat(days[0].day)
        xs = [(date.fromisoformat(d.day) - first).days for d in days]
        acc = [round(100 * d.accuracy) for d in days]
        self._acc.clear()
        self._rev.clear()
        self._acc.plot(
            xs,
            acc,
            pen=pg.mkPen(RIGHT_COLOUR, width=2.5),
            symbol="o",
            symbolSize=8,
            symbolBrush=RIGHT_COLOUR,
            symbolPen="w",
        )
        bars = pg.BarGraphItem(
            x=xs, height=[d.reviewed for d in days], width=0.6, brush="#6fa8dc", pen="#3d6f9c"
        )
        self._rev.addItem(bars)
        self._rev.setYRange(0, max(d.reviewed for d in days) * 1.15 + 1, padding=0)
        self._acc.setXRange(-0.6, max(xs[-1] + 0.6, 6.6), padding=0)
        step = max(1, len(days) // 8)
        ticks = [(xs[i], days[i].day[5:]) for i in range(0, len(days), step)]
        for plot in (self._acc, self._rev):
            plot.getAxis("bottom").setTicks([ticks])
        self._days = days

    # -------------------------------------------------------------- texts
    def retranslate(self) -> None:
        self.end_button.setText(tr("study.end"))
        self.next_button.setText(tr("study.next"))
        self.clear_button.setText(tr("study.clear"))
        self.check_zones_button.setText(tr("study.check"))
        self.check_order_button.setText(tr("study.check"))
        self.up_button.setToolTip(tr("study.up"))
        self.down_button.setToolTip(tr("study.down"))
        self.click_hint.setText(tr("study.click_map"))
        self.reset_button.setText(tr("study.reset"))
        self.again_button.setText(tr("study.again"))
        if self.pages.currentIndex() == 1:
            self._retranslate_summary()
            return
        drill = self.current_drill()
        if drill is None:
            return
        s = self.session
        self.kind_label.setText(tr(f"study.kind.{drill.kind}").upper())
        self.progress_label.setText(
            tr(
                "study.progress",
                n=min(s.answered + 1, s.answered + len(s.queue)),
                total=s.answered + len(s.queue),
                right=s.right,
                wrong=s.answered - s.right,
            )
        )
        self.prompt_label.setText(pick(drill.prompt))
        note = "study.map_note.contra" if drill.kind == "contra" else "study.map_note.order"
        if drill.kind == "contra" and self.verdict is not None:
            note = "study.map_note.answered"
        self.map_note.setText(tr(note))
        if self._selected:
            names = ", ".join(pick(self.geometry_model.regions[z].names) for z in self._selected)
            self.selected_label.setText(tr("study.selected", zones=names))
        else:
            self.selected_label.setText(tr("study.selected_none"))
        by_id = {o.id: o for o in drill.options}
        for i in range(self.order_list.count()):
            item = self.order_list.item(i)
            opt = by_id.get(item.data(_ROLE_ID))
            if opt is not None:
                mark = item.text()[:2] if item.text()[:2] in ("✓ ", "✗ ") else ""
                item.setText(mark + pick(opt.label))
        for b in self.choice_buttons:
            opt = by_id.get(b.property("optionId"))
            if opt is not None:
                b.setText(pick(opt.label))
        v = self.verdict
        if v is None:
            return
        self.verdict_label.setText(tr("study.right") if v.right else tr("study.wrong"))
        self.verdict_label.setStyleSheet(f"color: {RIGHT_COLOUR if v.right else WRONG_COLOUR};")
        where = self._where(v.response)
        self.clicked_label.setVisible(bool(where))
        self.clicked_label.setText(tr("study.you_clicked", where=where) if where else "")
        text = pick(drill.answer_text)
        answer = tr("study.answer", answer=("\n" + text) if "\n" in text else text)
        if drill.kind in ("zone", "notouch", "condzone"):
            answer += "\n" + tr("study.answer_shown")
        self.answer_label.setText(answer)
        self.explanation_label.setText(pick(drill.explanation))
        self.source_label.setText(tr("study.source", sources="; ".join(drill.sources)))

    def _retranslate_summary(self) -> None:
        s = self.session
        summary = s.summary() if s is not None else None
        self.summary_title.setText(tr("study.summary.title"))
        if getattr(self, "_nothing_due", False) and summary is not None and not summary.answered:
            self.summary_counts.setText(tr("study.nothing_due"))
        elif summary is not None:
            self.summary_counts.setText(
                tr(
                    "study.summary.counts",
                    answered=summary.answered,
                    right=summary.right,
                    wrong=summary.wrong,
                )
            )
        if summary is not None:
            if summary.next_due is None:
                self.summary_next.setText(tr("study.summary.next_none"))
            elif self._now_value() >= summary.next_due:
                self.summary_next.setText(
                    tr("study.summary.next_due_now", count=summary.due_within_day)
                )
            else:
                when = summary.next_due.astimezone().strftime("%Y-%m-%d %H:%M")
                self.summary_next.setText(
                    tr("study.summary.next_due", when=when, count=summary.due_within_day)
                )
            self.summary_review_title.setText(tr("study.summary.review"))
            if summary.to_review:
                self.summary_review.setText(
                    "\n".join(
                        f"• {tr(f'study.kind.{d.kind}')}: {pick(d.prompt)}"
                        for d in summary.to_review
                    )
                )
            else:
                self.summary_review.setText(tr("study.summary.review_none"))
        self.plot_title.setText(tr("study.plot.title"))
        self.plot_empty.setText(tr("study.plot.empty"))
        if self._plot is not None:
            self._acc.setTitle(tr("study.plot.accuracy"))
            self._rev.setTitle(tr("study.plot.reviewed"))
            self._rev.setLabel("bottom", tr("study.plot.day"))

    def _now_value(self) -> datetime:
        return self.session.now() if self.session is not None else datetime.now().astimezone()
