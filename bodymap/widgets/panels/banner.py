"""The status banner: what the plan's status means, in plain words, with the reasons' texts."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import QFrame, QScrollArea, QVBoxLayout, QWidget

from bodymap.i18n import pick, tr
from bodymap.plan_state import PlanState, plan_state, state_words
from bodymap.widgets.accessible import RetranslatesOnLanguageChange
from bodymap.widgets.panels.common import plain_label, plan_title

if TYPE_CHECKING:
    from bodymap.library import Library
    from bodymap.plan_types import Plan
    from bodymap.widgets.controller import SessionController

BANNER_STYLES = {
    "ok": ("#e8f5e9", "#1b5e20", "#66bb6a"),
    "postponed": ("#fff3e0", "#8a4b00", "#ffa726"),
    "blocked": ("#fdecea", "#8b0000", "#e57373"),
    "refer": ("#fbe3e6", "#7a0010", "#c62828"),
    "none": ("#eef1f5", "#2b3440", "#b0bec5"),
}

#: How many lines of reasons the banner shows before they scroll (a scroll bar says there is
#: more): fewer on a short screen, where the map needs the height (the blocked session's steps
#: pane shows them all, see StepsPane).
DETAIL_LINES = 4
DETAIL_LINES_SHORT = 2
#: screens whose free height is under this are short
SHORT_SCREEN = 1000


class StatusBanner(RetranslatesOnLanguageChange, QFrame):
    """What the plan's status means, in plain words, with the reasons' texts."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("statusBanner")
        self.title = plain_label("", self)
        self.title.setObjectName("bannerTitle")
        font = self.title.font()
        font.setPointSizeF(font.pointSizeF() * 1.25)
        font.setBold(True)
        self.title.setFont(font)
        self.details = plain_label("", self)
        self.details.setObjectName("bannerDetails")
        self.details.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        # the reasons scroll past a few lines: the banner never pushes the map off the window
        self.details_area = QScrollArea(self)
        self.details_area.setObjectName("bannerDetailsArea")
        self.details_area.setWidgetResizable(True)
        self.details_area.setFrameShape(QFrame.Shape.NoFrame)
        self.details_area.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.details_area.setWidget(self.details)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 6, 12, 6)
        layout.setSpacing(2)
        layout.addWidget(self.title)
        layout.addWidget(self.details_area)
        self._plan: Plan | None = None
        self._library: Library | None = None
        self.kind = "none"
        self.set_plan(None, None)

    def bind(self, controller: SessionController) -> None:
        """Show the controller's plan, with its library's names."""
        controller.planChanged.connect(lambda plan: self.set_plan(plan, controller.library))
        self.set_plan(controller.plan(), controller.library)

    def text(self) -> str:
        return self.title.text() + "\n" + self.details.text()

    def set_plan(self, plan: Plan | None, library: Library | None, loading: bool = False
                 ) -> None:
        self._plan, self._library, self._loading = plan, library, loading
        self._render()

    def retranslate(self) -> None:
        self._render()

    def _render(self) -> None:
        kind, title, lines = banner_content(self._plan, self._library, self._loading)
        self.kind = kind
        bg, fg, border = BANNER_STYLES[kind]
        self.setStyleSheet(
            f"#statusBanner {{ background: {bg}; border: 1px solid {border};"
            f" border-left: 6px solid {border}; border-radius: 4px; }}"
            f" #statusBanner QLabel {{ color: {fg}; background: transparent; }}"
        )
        self.title.setText(title)
        self.details.setText("\n".join(lines))
        self.details_area.setVisible(bool(lines))
        self._fit_details()

    def detail_lines(self) -> int:
        """How many lines of reasons show before they scroll (fewer on a short screen)."""
        screen = self.screen()
        short = screen is not None and screen.availableGeometry().height() < SHORT_SCREEN
        return DETAIL_LINES_SHORT if short else DETAIL_LINES

    def _fit_details(self) -> None:
        """The reasons' area as tall as its text, up to :meth:`detail_lines` lines."""
        width = max(self.details_area.viewport().width(), 100)
        need = self.details.heightForWidth(width)
        if need < 0:
            need = self.details.sizeHint().height()
        cap = self.details.fontMetrics().lineSpacing() * self.detail_lines() + 1
        self.details_area.setFixedHeight(max(0, min(need, cap)))
        self.details_area.setVerticalScrollBarPolicy(
            Qt.ScrollBarPolicy.ScrollBarAlwaysOn if need > cap
            else Qt.ScrollBarPolicy.ScrollBarAlwaysOff)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._fit_details()


def banner_content(plan: Plan | None, library: Library | None,
                   loading: bool = False) -> tuple[str, str, list[str]]:
    """What the banner says of ``plan``: its kind (a key of :data:`BANNER_STYLES`), its title
    and its lines of reasons (each "• ...")."""
    lines: list[str] = []
    if plan is None:
        return "none", tr("banner.loading") if loading else tr("banner.no_condition"), lines
    name = plan_title(plan, library)
    unanswered = [r for r in plan.reasons if r.kind == "unanswered"]
    screening = [r for r in unanswered if r.question or _is_question(library, r.id)]
    others = [r for r in plan.reasons if r not in screening]
    state = plan_state(plan)  # one state for the banner, the legend, the presentation, handout
    if state is PlanState.OK:
        kind = "ok"
        title = tr(
            "banner.ok", name=name, session=plan.session, total=plan.course_sessions,
            phase=tr(f"course.phase.{plan.phase}"), minutes=float(plan.total_minutes),
        )
    else:
        kind = state.value if state.value in BANNER_STYLES else "blocked"
        title = state_words(state, "banner")
    if screening:
        lines.append("• " + tr("banner.unanswered", n=len(screening)))
    order = {"refer": 0, "block": 1, "unanswered": 2, "postpone": 3, "limit": 4,
             "exclude": 5, "note": 6}
    for r in sorted(others, key=lambda r: order.get(r.kind, 9)):
        note = pick(r.editorial) if r.editorial else ""  # the therapist's note, in brackets
        lines.append("• " + pick(r.text) + (f" ({note})" if note else ""))
    lines += _own_protocols(plan, library)
    if plan.status != "ok":
        lines.append(tr("banner.hidden"))
    return kind, title, lines


def _own_protocols(plan: Plan, lib: Library | None) -> list[str]:
    """A line for each condition planned from the user's own file (an override of a shipped
    condition says so)."""
    out = []
    for cid, source in getattr(plan, "protocol_sources", {}).items():
        if source == "shipped":
            continue
        cond = lib.conditions.get(cid) if lib is not None else None
        name = pick({"en": cond.name.en, "ru": cond.name.ru}) if cond is not None else cid
        key = ("banner.own_protocol_override" if lib is not None and cid in lib.overrides
               else "banner.own_protocol")
        out.append("• " + tr(key, name=name, path=source))
    return out


def _is_question(lib: Library | None, rid: str) -> bool:
    return lib is not None and rid in lib.contraindications
