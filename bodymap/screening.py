"""Contraindication screening: a checklist that fails closed.

Every contraindication in the library is a yes/no question. :func:`screen` turns the answers
into a status and reasons:

* ``refer`` (red flags) -> status ``blocked``, reason kind ``refer``: urgent referral, no massage;
* ``block`` -> ``blocked``; ``postpone`` -> ``postponed`` (unless something blocks);
* ``limit`` -> no change of status; the lowest ``max_intensity`` caps every step;
* ``exclude-area`` -> no change of status; the planner excludes the marked zones;
* ``clearance`` (osteoporosis, recent spinal surgery, a recent fracture) -> ``blocked`` until a
  doctor has cleared massage (the id is in ``cleared``); once cleared, a note says so;
* a question not answered at all -> ``blocked`` with reason kind ``unanswered``.

``answered=None`` means the whole checklist was answered (the command line treats ``--contra``
as the complete answer: listed = yes, the rest = no).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from bodymap.errors import UsageError
from bodymap.i18n import LANGUAGES, tr
from bodymap.schema import ACTIONS, Contraindication

#: Reason kinds: what each means for the plan
REASON_KINDS = ("refer", "block", "unanswered", "postpone", "limit", "exclude", "note")
_KIND_OF_ACTION = {
    "refer": "refer",
    "block": "block",
    "postpone": "postpone",
    "limit": "limit",
    "exclude-area": "exclude",
    "clearance": "block",
}


@dataclass(frozen=True)
class Reason:
    id: str
    kind: str  # refer | block | unanswered | postpone | limit | exclude | note
    text: Mapping[str, str]
    #: the therapist's note on the text's basis (the banner shows it; the patient never does)
    editorial: Mapping[str, str] = field(default_factory=dict)
    #: an unanswered screening question (not a missing finding such as a hernia's level)
    question: bool = False


@dataclass(frozen=True)
class Screening:
    status: str  # ok | blocked | postponed
    reasons: tuple[Reason, ...]
    max_intensity: int | None  # the cap from 'limit' answers, None: no cap


def checklist(contraindications: Mapping[str, Contraindication]) -> tuple[Contraindication, ...]:
    """The screening questions, red flags first, then by action, then by id."""
    rank = {a: i for i, a in enumerate(ACTIONS)}
    return tuple(sorted(contraindications.values(), key=lambda c: (rank[c.action], c.id)))


def check_ids(ids: Iterable[str], contraindications: Mapping[str, Contraindication]) -> None:
    for cid in sorted(ids):
        if cid not in contraindications:
            raise UsageError(
                f"unknown contraindication '{cid}'",
                expected="one of " + ", ".join(sorted(contraindications)),
            )


def clearance_texts(what: Mapping[str, str], cleared: bool) -> dict[str, str]:
    """"<what>. A doctor's clearance is needed first ..." (or "... has cleared massage")."""
    key = "gates.cleared" if cleared else "gates.not_cleared"
    return {lang: tr(key, lang, what=what[lang].rstrip(" .")) for lang in LANGUAGES}


def status_of(reasons: Iterable[Reason]) -> str:
    kinds = {r.kind for r in reasons}
    if kinds & {"refer", "block", "unanswered"}:
        return "blocked"
    if "postpone" in kinds:
        return "postponed"
    return "ok"


def screen(
    contraindications: Mapping[str, Contraindication],
    present: Iterable[str],
    answered: Iterable[str] | None = None,
    cleared: Iterable[str] = (),
) -> Screening:
    present = frozenset(present)
    cleared = frozenset(cleared)
    check_ids(present, contraindications)
    if answered is None:
        answered_set = frozenset(contraindications)
    else:
        answered_set = frozenset(answered) | present
        check_ids(answered_set, contraindications)
    reasons: list[Reason] = []
    cap: int | None = None
    for c in checklist(contraindications):
        if c.id in present:
            kind = _KIND_OF_ACTION[c.action]
            text = {"en": c.explanation.en, "ru": c.explanation.ru}
            if c.action == "refer":
                text = {lang: tr("screening.refer", lang, text=text[lang]) for lang in LANGUAGES}
            elif c.action == "clearance":
                kind = "note" if c.id in cleared else "block"
                text = clearance_texts(text, c.id in cleared)
            editorial = {"en": c.editorial.en, "ru": c.editorial.ru} if c.editorial else {}
            reasons.append(Reason(c.id, kind, text, editorial))
            if c.action == "limit" and c.max_intensity is not None:
                cap = c.max_intensity if cap is None else min(cap, c.max_intensity)
        elif c.id not in answered_set:
            reasons.append(
                Reason(
                    c.id,
                    "unanswered",
                    {lang: tr("screening.unanswered", lang, question=getattr(c.question, lang))
                     for lang in LANGUAGES},
                    question=True,
                )
            )
    rank = {k: i for i, k in enumerate(REASON_KINDS)}
    reasons.sort(key=lambda r: rank[r.kind])  # stable: checklist order within a kind
    return Screening(status_of(reasons), tuple(reasons), cap)
