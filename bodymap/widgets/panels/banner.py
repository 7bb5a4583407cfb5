"""The status banner: what the plan's status means, in plain words, with the reasons' texts."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QVBoxLayout, QWidget

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
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 8, 12, 8)
        layout.setSpacing(2)
        layout.addWidget(self.title)
        layout.addWidget(self.details)
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
        plan = self._plan
        lines: list[str] = []
        if plan is None:
            kind = "none"
            title = tr("banner.loading") if self._loading else tr("banner.no_condition")
        else:
            name = plan_title(plan, self._library)
            unanswered = [r for r in plan.reasons if r.kind == "unanswered"]
            screening = [r for r in unanswered if r.question or self._is_question(r.id)]
            others = [r for r in plan.reasons if r not in screening]
            state = plan_state(plan)
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
                note = pick(r.editorial) if r.editorial else ""
                lines.append("• " + pick(r.text) + (f" ({note})" if note else ""))
            lines += self._own_protocols(plan)
            if plan.status != "ok":
                lines.append(tr("banner.hidden"))
        self.kind = kind
        bg, fg, border = BANNER_STYLES[kind]
        self.setStyleSheet(
            f"#statusBanner {{ background: {bg}; border: 1px solid {border};"
            f" border-left: 6px solid {border}; border-radius: 4px; }}"
            f" #statusBanner QLabel {{ color: {fg}; background: transparent; }}"
        )
        self.title.setText(title)
        self.details.setText("\n".join(lines))
        self.details.setVisible(bool(lines))

    def _own_protocols(self, plan: Plan) -> list[str]:
        """A line for each condition planned from the user's own file (an override of a
        shipped condition says so)."""
        lib = self._library
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

    def _is_question(self, rid: str) -> bool:
        lib = self._library
        return lib is not None and rid in lib.contraindications

