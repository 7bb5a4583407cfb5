"""What a plan's status means, as one word for every view (pure, no Qt).

The banner, the map's legend, the presentation and the handout all say what state the plan is
in. They used to decide it each on their own, so the legend and the handout said "Session
blocked: no massage today" when the screening was merely incomplete. :func:`plan_state` decides
it once; :func:`state_words` gives each view its words for it (bodymap.i18n, ``plan_state.*``):

- ``none``: no condition chosen yet;
- ``ok``: a session is planned;
- ``refer``: a red flag: see a doctor, no massage;
- ``blocked``: a contraindication (or a doctor's clearance not yet given): no massage;
- ``postponed``: not today (an acute phase, menstruation ...);
- ``incomplete``: screening questions are still unanswered: no plan yet;
- ``missing``: a finding the plan needs is missing (a hernia's level, a scoliosis grade, the
  zones of a skin lesion): no plan yet.

The strongest state wins: a red flag over a block, a block over what is not known yet; a
postponement is the state when nothing else stops the plan (the planner's status).
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any, Literal

from bodymap.i18n import tr

__all__ = ["VIEWS", "PlanState", "plan_state", "state_words"]


class PlanState(StrEnum):
    NONE = "none"
    OK = "ok"
    REFER = "refer"
    BLOCKED = "blocked"
    POSTPONED = "postponed"
    INCOMPLETE = "incomplete"
    MISSING = "missing"

    @property
    def planned(self) -> bool:
        """A session is planned (there are steps to do)."""
        return self is PlanState.OK


#: who reads the words: the therapist's banner, the map's legend line, the patient's heading
#: (handout and presentation) and the stamp over the handout's map
View = Literal["banner", "legend", "patient", "stamp"]
VIEWS: tuple[View, ...] = ("banner", "legend", "patient", "stamp")


def plan_state(plan: Any | None) -> PlanState:
    """The state of ``plan`` (None: no condition chosen)."""
    if plan is None:
        return PlanState.NONE
    if plan.status == "ok":
        return PlanState.OK
    kinds = {r.kind for r in plan.reasons}
    if "refer" in kinds:
        return PlanState.REFER
    if "block" in kinds:
        return PlanState.BLOCKED
    if plan.status == "postponed":
        return PlanState.POSTPONED
    unanswered = [r for r in plan.reasons if r.kind == "unanswered"]
    if any(getattr(r, "question", False) for r in unanswered):
        return PlanState.INCOMPLETE
    if unanswered:
        return PlanState.MISSING
    return PlanState.BLOCKED  # not planned for a reason no rule names: never "ok"


def state_words(state: PlanState, view: View, lang: str | None = None) -> str:
    """What ``view`` says for ``state`` ("" for a planned session or no plan: each view has
    its own words for those, with the plan's figures)."""
    if state in (PlanState.OK, PlanState.NONE):
        return ""
    return tr(f"plan_state.{state.value}.{view}", lang)
