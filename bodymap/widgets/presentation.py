"""Presentation mode: the plan shown to a patient, full screen, high contrast, plain words.

A separate full-screen window over the main window, which is left exactly as it was. It has its
own large map and shows the session controller's plan, step and clock (one clock, one source of
time); its keys are requests to the controller: Space plays or pauses, the arrow keys move
between steps, Esc (or F5) leaves.

The patient's text (the title, the step, its caption, what we avoid) is never clipped, at any
screen size and in either language (issue 20.5): it sits in a scroll area, and after every
change of text or size it is set as large as fits (:meth:`PresentationWindow.fit_text`, down to
:data:`MIN_TEXT_SCALE` of its size); what still does not fit scrolls, with a visible scroll bar
and a "more below" cue.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, ClassVar

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import (
    QCloseEvent,
    QFont,
    QHideEvent,
    QKeyEvent,
    QResizeEvent,
    QScreen,
    QShowEvent,
)
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from bodymap import i18n
from bodymap.handout_text import patient_reasons
from bodymap.i18n import tr
from bodymap.plain import plain_avoid, plain_caption
from bodymap.plan_state import PlanState, plan_state, state_words
from bodymap.widgets.accessible import RetranslatesOnLanguageChange
from bodymap.widgets.panels import plain_label, plan_title

if TYPE_CHECKING:
    from bodymap.plan_types import Plan, Step
    from bodymap.records.model import Patient
    from bodymap.widgets.controller import SessionController
    from bodymap.widgets.records.controller import RecordsController
    from bodymap.widgets.records.progress import ProgressPage

BACKGROUND = "#0d0f12"
TEXT = "#ffffff"
ACCENT = "#ffd54f"
ALERT = "#ff8a80"
SOFT = "#c9d1d9"
#: the patient's text is set smaller, down to this share of its size, before it scrolls
MIN_TEXT_SCALE = 0.6
TEXT_SCALES = (1.0, 0.9, 0.8, 0.7, MIN_TEXT_SCALE)


def _font(points: float, bold: bool = False) -> QFont:
    font = QFont()
    font.setPointSizeF(points)
    font.setBold(bold)
    return font


class PresentationWindow(RetranslatesOnLanguageChange, QWidget):
    """Full-screen patient view of the controller's plan, step and clock."""

    left = Signal()

    def __init__(self, controller: SessionController, parent: QWidget | None = None) -> None:
        super().__init__(parent, Qt.WindowType.Window)
        self.setObjectName("presentationWindow")
        self.controller = controller
        self.setStyleSheet(
            f"#presentationWindow {{ background: {BACKGROUND}; }}"
            f" QLabel {{ color: {TEXT}; background: transparent; }}"
            f" QPushButton {{ color: {TEXT}; background: #263238; border: 2px solid #607d8b;"
            f" border-radius: 10px; padding: 0.4em 0.8em; }}"
            f" QPushButton:hover {{ background: #37474f; }}"
            f" QPushButton:disabled {{ color: #78909c; border-color: #37474f; }}"
            f" QScrollArea, #presentationText {{ background: transparent; border: none; }}"
            f" QScrollBar:vertical {{ background: #263238; width: 16px; border-radius: 8px; }}"
            f" QScrollBar::handle:vertical {{ background: {SOFT}; border-radius: 8px;"
            f" min-height: 40px; }}"
            f" QScrollBar::add-line, QScrollBar::sub-line {{ height: 0px; }}"
        )
        self._text_scale = 1.0
        self._window_scale = 1.0
        self.setAutoFillBackground(True)
        pal = self.palette()
        pal.setColor(self.backgroundRole(), Qt.GlobalColor.black)
        self.setPalette(pal)

        self._build_map()
        self._build_texts()
        self._build_layout()

        # Keys are handled here rather than by QActions: the presentation's keys (Space, the
        # arrows, Esc, F5) win over the main window's shortcuts while it is shown.
        # Qt.Key is an IntEnum: QKeyEvent.key()'s int finds its handler
        self._keys: dict[int, Callable[[], object]] = {
            Qt.Key.Key_Escape: self.close,
            Qt.Key.Key_F5: self.close,
            Qt.Key.Key_Space: controller.request_toggle_play,
            Qt.Key.Key_Left: controller.request_previous_step,
            Qt.Key.Key_Up: controller.request_previous_step,
            Qt.Key.Key_PageUp: controller.request_previous_step,
            Qt.Key.Key_Right: controller.request_next_step,
            Qt.Key.Key_Down: controller.request_next_step,
            Qt.Key.Key_PageDown: controller.request_next_step,
            Qt.Key.Key_P: self.toggle_progress,
        }
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)

        self.retranslate()

    def _build_map(self) -> None:
        from bodymap.widgets.mapview import BodyMapView

        # the same back, its regions named in the patient's words (legend and hover)
        self.map = BodyMapView(patient_geometry(self.controller.geometry), self)
        self.map.set_plain_words(True)
        self.map.setObjectName("presentationMap")
        self.map.set_playing(False)
        self.map.set_step_caption_visible(False)  # the caption is shown large beside the map
        # read from a few steps away: the map's legend and labels keep larger minimum sizes
        self.map.MIN_LEGEND_PT = 12.0
        self.map.MIN_LABEL_PT = 10.0
        self.map.setFocusPolicy(Qt.FocusPolicy.NoFocus)


    def _build_texts(self) -> None:
        self.title = plain_label("", self)
        self.title.setObjectName("presentationTitle")
        self.title.setFont(_font(26, bold=True))
        self.step_label = plain_label("", self)
        self.step_label.setObjectName("presentationStep")
        self.step_label.setFont(_font(22, bold=True))
        self.step_label.setStyleSheet(f"color: {SOFT};")
        self.caption = plain_label("", self)
        self.caption.setObjectName("presentationCaption")
        self.caption.setFont(_font(30, bold=True))
        self.caption.setStyleSheet(f"color: {ACCENT};")
        self.caption.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        self.avoid = plain_label("", self)
        self.avoid.setObjectName("presentationAvoid")
        self.avoid.setFont(_font(18))
        self.avoid.setStyleSheet(f"color: {ALERT};")
        self.more_cue = plain_label("", self, wrap=False)
        self.more_cue.setObjectName("presentationMore")
        self.more_cue.setFont(_font(14, bold=True))
        self.more_cue.setStyleSheet(f"color: {ACCENT};")
        self.more_cue.hide()
        self.time_label = plain_label("", self, wrap=False)
        self.time_label.setObjectName("presentationTime")
        self.time_label.setFont(_font(20))
        self.time_label.setStyleSheet(f"color: {SOFT};")

        self.prev_button = QPushButton(self)
        self.play_button = QPushButton(self)
        self.next_button = QPushButton(self)
        for button in (self.prev_button, self.play_button, self.next_button):
            button.setFont(_font(18, bold=True))
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # Space belongs to play/pause
        self.prev_button.clicked.connect(self.controller.request_previous_step)
        self.play_button.clicked.connect(self.controller.request_toggle_play)
        self.next_button.clicked.connect(self.controller.request_next_step)
        self.keys = plain_label("", self)
        self.keys.setObjectName("presentationKeys")
        self.keys.setFont(_font(14))
        self.keys.setStyleSheet(f"color: {SOFT};")

        self.disclaimer = plain_label("", self)
        self.disclaimer.setObjectName("presentationDisclaimer")
        self.disclaimer.setFont(_font(17, bold=True))
        self.disclaimer.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.disclaimer.setStyleSheet(
            f"color: {TEXT}; background: #1e272e; border: 2px solid {SOFT};"
            " border-radius: 8px; padding: 8px;"
        )


    def _build_layout(self) -> None:
        text = QWidget()
        text.setObjectName("presentationText")
        texts = QVBoxLayout(text)
        texts.setContentsMargins(0, 0, 8, 0)
        texts.setSpacing(18)
        for label in (self.title, self.step_label, self.caption, self.avoid):
            texts.addWidget(label)
        texts.addStretch(1)
        self.text_box = text
        self.text_scroll = QScrollArea(self)
        self.text_scroll.setObjectName("presentationScroll")
        self.text_scroll.setWidget(text)
        self.text_scroll.setWidgetResizable(True)
        self.text_scroll.setFrameShape(QFrame.Shape.NoFrame)
        self.text_scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.text_scroll.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAsNeeded)
        self.text_scroll.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.text_scroll.viewport().setAutoFillBackground(False)
        self.text_scroll.installEventFilter(self)  # refit once the layout has sized it
        bar = self.text_scroll.verticalScrollBar()
        bar.valueChanged.connect(self._update_cue)
        bar.rangeChanged.connect(self._update_cue)

        side = QVBoxLayout()
        side.setSpacing(12)
        side.addWidget(self.text_scroll, 1)
        side.addWidget(self.more_cue)
        side.addWidget(self.time_label)
        controls = QHBoxLayout()
        controls.addWidget(self.prev_button)
        controls.addWidget(self.play_button)
        controls.addWidget(self.next_button)
        controls.addStretch(1)
        side.addLayout(controls)
        side.addWidget(self.keys)
        side_frame = QFrame(self)
        side_frame.setLayout(side)
        self.side_frame = side_frame

        body = QHBoxLayout()
        body.setSpacing(28)
        body.addWidget(self.map, 3)
        body.addWidget(side_frame, 2)
        plan_page = QWidget(self)
        plan_page.setObjectName("presentationPlanPage")
        body.setContentsMargins(0, 0, 0, 0)
        plan_page.setLayout(body)
        self.pages = QStackedWidget(self)
        self.pages.addWidget(plan_page)
        self.progress_button = QPushButton(self)
        self.progress_button.setObjectName("presentationProgressButton")
        self.progress_button.setFont(_font(18, bold=True))
        self.progress_button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.progress_button.clicked.connect(self.toggle_progress)
        self.progress_button.hide()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(32, 24, 32, 20)
        layout.setSpacing(16)
        layout.addWidget(self.pages, 1)
        bottom = QHBoxLayout()
        bottom.setSpacing(16)
        bottom.addWidget(self.disclaimer, 1)
        bottom.addWidget(self.progress_button)
        layout.addLayout(bottom)
        self.progress_page: ProgressPage | None = None
        self._records: RecordsController | None = None


    # following the controller ----------------------------------------------------------------
    def bind(self) -> None:
        """Follow the controller: its plan, its step, its clock."""
        c = self.controller
        c.planChanged.connect(self._on_plan)
        c.stepChanged.connect(self._on_step)
        c.playingChanged.connect(self._on_playing)
        c.positionChanged.connect(self._on_position)
        self._on_plan(c.plan())
        self._on_step(c.step())
        self._on_playing(c.is_playing())

    def bind_records(self, records: RecordsController) -> None:
        """Follow the open patient of the records: their own progress can be shown (P)."""
        self._records = records
        records.patientChanged.connect(self._on_patient)
        self._on_patient(records.patient())

    def _on_patient(self, patient: Patient | None) -> None:
        self.progress_button.setVisible(patient is not None and bool(patient.visits))
        if patient is None or not patient.visits:
            self.show_progress(False)
        elif self.progress_page is not None:
            self.progress_page.set_patient(patient)

    def toggle_progress(self) -> None:
        self.show_progress(not self.showing_progress())

    def showing_progress(self) -> bool:
        return self.pages.currentIndex() == 1

    def show_progress(self, shown: bool) -> None:
        """The patient's own progress (pain before and after across their visits, in plain
        words), or the plan again."""
        patient = self._records.patient() if self._records is not None else None
        if shown and (patient is None or not patient.visits):
            shown = False
        if shown and self.progress_page is None:
            from bodymap.widgets.records.progress import ProgressPage

            self.progress_page = ProgressPage(self)
            self.pages.addWidget(self.progress_page)
        if shown and self.progress_page is not None:
            self.progress_page.set_patient(patient)
        self.pages.setCurrentIndex(1 if shown else 0)
        self._render_controls()

    def _on_plan(self, plan: Plan | None) -> None:
        self.map.set_plan(plan)
        self._render()

    def _on_step(self, index: int) -> None:
        if 0 <= index < len(self.map.steps()):
            self.map.set_step(index)
        self._render()

    def _on_playing(self, playing: bool) -> None:
        self.map.set_playing(playing and self.isVisible())
        self._render_controls()

    def _on_position(self, minutes: float) -> None:
        if not self.controller.is_playing():
            self.map.set_phase(minutes * 60_000.0 / self.map.ANIMATION_MS)
        self._render_time()

    # texts -------------------------------------------------------------------------------------
    def retranslate(self) -> None:
        self.setWindowTitle(tr("present.window_title"))
        self.disclaimer.setText(tr("app.disclaimer"))
        self.keys.setText(tr("present.keys"))
        self.prev_button.setText(tr("present.prev"))
        self.next_button.setText(tr("present.next"))
        self._render()

    def _render(self) -> None:
        plan, playable = self.controller.plan(), self.controller.playable_plan()
        if plan is None:
            self.title.setText(tr("present.no_plan"))
            self.step_label.setText("")
            self.caption.setText(tr("present.choose"))
            self.avoid.setText("")
        else:
            name = plan_title(plan, self.controller.library)
            self.title.setText(tr("present.title", name=name, session=plan.session,
                                  total=plan.course_sessions))
            if playable is not None:
                index = max(0, min(self.controller.step(), len(plan.steps) - 1))
                step = plan.steps[index]
                n = index + 1
                minutes = i18n.number(float(step.minutes))  # 2,5 мин
                self.step_label.setText(tr("present.step", n=n, total=len(plan.steps),
                                           minutes=minutes))
                self.caption.setText(self.caption_for(step))
                self.avoid.setText(tr("present.avoid") + "\n" + "\n".join(
                    "• " + line for line in self.avoid_lines()))
            else:
                state = plan_state(plan)
                self.step_label.setText(state_words(state, "patient"))
                self.caption.setText(self.reasons_text(plan, state))
                self.avoid.setText("")
        self._render_time()
        self._render_controls()
        self.fit_text()

    def reasons_text(self, plan: Any, state: PlanState) -> str:
        """Why there is no session today, in the patient's words (the handout's): what stops
        it, or, while the plan waits for answers, that a few questions remain."""
        if state is PlanState.INCOMPLETE:
            return tr("present.incomplete")
        if state is PlanState.MISSING:
            return tr("present.missing")
        lines = patient_reasons(plan, self.controller.library, i18n.language())
        return "\n".join(lines)

    def caption_for(self, step: Step) -> str:
        """A step in the patient's words (bodymap.plain), in the current language."""
        c = self.controller
        return plain_caption(step, c.library, c.geometry, i18n.language())

    def avoid_lines(self) -> tuple[str, ...]:
        """The plan's no-touch areas in the patient's words (the map shows where they are)."""
        plan = self.controller.plan()
        if plan is None:
            return ()
        return plain_avoid(plan.no_touch, i18n.language(), self.controller.geometry)

    def _render_time(self) -> None:
        playable = self.controller.playable_plan()
        if playable is None:
            self.time_label.setText("")
            return
        self.time_label.setText(tr("present.time", now=_mmss(self.controller.position()),
                                   total=_mmss(playable.total_minutes)))

    def _render_controls(self) -> None:
        ok = self.controller.playable_plan() is not None
        for button in (self.prev_button, self.play_button, self.next_button):
            button.setEnabled(ok)
        playing = self.controller.is_playing()
        self.play_button.setText(tr("player.pause") if playing else tr("player.play"))
        progress = self.showing_progress()
        self.progress_button.setText(tr("present.show_plan") if progress
                                     else tr("present.show_progress"))
        for button in (self.prev_button, self.play_button, self.next_button):
            button.setVisible(not progress)

    # window ------------------------------------------------------------------------------------
    def event(self, event: QEvent) -> bool:
        if (event.type() == QEvent.Type.ShortcutOverride and isinstance(event, QKeyEvent)
                and event.key() in self._keys):
            event.accept()  # deliver it to keyPressEvent, not to a shortcut
            return True
        return super().event(event)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is getattr(self, "text_scroll", None) and event.type() == QEvent.Type.Resize:
            self.fit_text()
        return super().eventFilter(watched, event)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        handler = self._keys.get(event.key())
        if handler is None:
            super().keyPressEvent(event)
            return
        event.accept()
        handler()

    #: point sizes at a 1080-pixel-high screen; scaled to the window's height
    FONT_SIZES: ClassVar[dict[str, int]] = {
        "title": 26, "step_label": 22, "caption": 30, "avoid": 18, "time_label": 20,
        "keys": 14, "disclaimer": 17, "prev_button": 18, "play_button": 18, "next_button": 18,
        "progress_button": 18, "more_cue": 14,
    }

    #: the patient's words: set smaller together (``fit_text``) before they scroll
    FITTED: ClassVar[tuple[str, ...]] = ("title", "step_label", "caption", "avoid")
    #: the smallest each of them is set to fit (points)
    MIN_POINTS: ClassVar[dict[str, float]] = {
        "title": 12.0, "step_label": 12.0, "caption": 15.0, "avoid": 12.0}

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        scale = min(1.6, self.height() / 1080.0, self.width() / 1920.0)
        self._window_scale = max(0.5, scale)
        self._apply_fonts()
        self.side_frame.setMinimumWidth(int(380 * self._window_scale))
        self.fit_text()

    def _apply_fonts(self) -> None:
        for name, points in self.FONT_SIZES.items():
            widget = getattr(self, name)
            font = widget.font()
            size = points * self._window_scale
            if name in self.FITTED:  # smaller to fit, never below what reads from a couch
                size = max(min(size, self.MIN_POINTS[name]), size * self._text_scale)
            font.setPointSizeF(size)
            widget.setFont(font)

    def text_height(self, width: int | None = None) -> int:
        """The height the patient's text needs at ``width`` (the scroll area's viewport's)."""
        width = self.text_scroll.viewport().width() if width is None else width
        layout = self.text_box.layout()
        assert layout is not None
        m = layout.contentsMargins()
        inner = width - m.left() - m.right()
        shown: list[QLabel] = [getattr(self, n) for n in self.FITTED if getattr(self, n).text()]
        need: int = sum(label.heightForWidth(inner) for label in shown)
        return need + layout.spacing() * max(0, len(shown) - 1) + m.top() + m.bottom()

    def fit_text(self) -> None:
        """Set the patient's text as large as fits the scroll area (down to
        :data:`MIN_TEXT_SCALE`); if it still does not fit, it scrolls, and the cue says so."""
        if not hasattr(self, "text_scroll"):
            return
        layout = self.layout()
        assert layout is not None
        layout.activate()
        full, room = self.text_scroll.width(), self.text_scroll.height()
        need = 0
        for factor in TEXT_SCALES:
            self._text_scale = factor
            self._apply_fonts()
            need = self.text_height(full)
            if need <= room:
                break
        else:  # it scrolls: the scroll bar takes its width from the text
            need = self.text_height(full - self.text_scroll.verticalScrollBar().sizeHint().width())
        # the box is never squeezed below what its text needs: the rest scrolls
        self.text_box.setMinimumHeight(need)
        self._update_cue()

    def _update_cue(self, *_args: object) -> None:
        bar = self.text_scroll.verticalScrollBar()
        more = bar.maximum() > 0 and bar.value() < bar.maximum()
        self.more_cue.setText(tr("present.more") if more else "")
        self.more_cue.setVisible(more)

    def show_on(self, screen: QScreen | None) -> None:
        """Full screen on ``screen`` without taking the keyboard (a second screen, the patient's;
        the main window stays the remote), or, with None, over the main window, with the keys."""
        self.setAttribute(Qt.WidgetAttribute.WA_ShowWithoutActivating, screen is not None)
        if screen is not None:
            self.create()
            self.windowHandle().setScreen(screen)
            self.setGeometry(screen.geometry())
        self.showFullScreen()
        if screen is None:
            self.raise_()
            self.activateWindow()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self.map.set_playing(self.controller.is_playing())
        self.setFocus(Qt.FocusReason.ActiveWindowFocusReason)

    def hideEvent(self, event: QHideEvent) -> None:
        self.map.set_playing(False)
        super().hideEvent(event)

    def closeEvent(self, event: QCloseEvent) -> None:
        self.map.set_playing(False)
        super().closeEvent(event)
        self.left.emit()


def other_screen(window: QWidget) -> QScreen | None:
    """A screen other than ``window``'s (the patient's), or None with one screen. Screens are
    told apart as objects, never by name: two monitors of one model can share a name."""
    from PySide6.QtGui import QGuiApplication

    mine = window.screen()
    return next((s for s in QGuiApplication.screens() if s is not mine), None)


def patient_geometry(geometry: Any) -> Any:
    """``geometry`` with every region named in everyday words ("Your lower back" rather than
    "Lumbosacral zone"), for the map a patient sees. Same ids, polygons and landmarks; a region
    without plain names keeps its own; anything that is not a BackGeometry is returned as is."""
    from dataclasses import replace

    from bodymap.geometry import BackGeometry

    if geometry is None:
        from bodymap.geometry import load_geometry

        geometry = load_geometry()
    if not isinstance(geometry, BackGeometry):
        return geometry
    regions = {}
    for rid, region in geometry.regions.items():
        plain = dict(getattr(region, "plain_names", None) or {})
        names = {lang: text[:1].upper() + text[1:] for lang, text in plain.items()}
        regions[rid] = replace(region, names={**region.names, **names}) if names else region
    return BackGeometry(geometry.source, regions, geometry.landmarks)


def _mmss(minutes: float) -> str:
    seconds = round(minutes * 60)
    return f"{seconds // 60}:{seconds % 60:02d}"
