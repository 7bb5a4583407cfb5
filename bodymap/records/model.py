"""What the records hold, as plain typed values (no database, no Qt).

A :class:`Patient` has a name (or initials), an optional year of birth, free notes and the
dated history of their conditions and findings (:class:`FindingsChange`); their course is the
list of :class:`Visit`. A visit holds its moment (UTC plus the local offset), the session
number, that day's profile (screening answers, lesions and pain points, as the plan document's
``profile``), pain before and after on the 0-10 numeric rating scale, what was done against the
plan (:class:`StepOutcome`), the patient's reaction, SOAP notes (:class:`Soap`), the plan as it
was that day (a snapshot) and, once signed, its signature time and dated addenda.

Everything here is frozen: the store returns new values after each change, and a view never
holds a copy it could edit behind the store's back.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta, timezone
from typing import Any, Literal

#: the numeric rating scale for pain (NRS 0-10)
PAIN_MIN, PAIN_MAX = 0, 10
#: what became of a planned step
OUTCOMES: tuple[str, ...] = ("done", "shortened", "skipped")
Outcome = Literal["done", "shortened", "skipped"]
#: the SOAP note's sections, in their order
SOAP_SECTIONS: tuple[str, ...] = ("subjective", "objective", "assessment", "plan")
NAME_MAX = 200
TEXT_MAX = 20_000


@dataclass(frozen=True)
class Moment:
    """A point in time as recorded: UTC, and the local offset where it was recorded (so a
    visit is shown on the day it happened, wherever it is read)."""

    utc: datetime  # aware, UTC
    offset_min: int  # minutes east of UTC at the place and time of recording

    @classmethod
    def now(cls) -> Moment:
        local = datetime.now().astimezone()
        offset = local.utcoffset() or timedelta(0)
        return cls(local.astimezone(UTC).replace(microsecond=0), int(offset.total_seconds() // 60))

    @classmethod
    def of(cls, value: datetime) -> Moment:
        """An aware datetime (any zone) as a moment; a naive one is taken as local time."""
        aware = value if value.tzinfo is not None else value.astimezone()
        offset = aware.utcoffset() or timedelta(0)
        return cls(aware.astimezone(UTC), int(offset.total_seconds() // 60))

    @property
    def local(self) -> datetime:
        """The moment on the clock where it was recorded."""
        return self.utc.astimezone(timezone(timedelta(minutes=self.offset_min)))

    def iso(self) -> str:
        """ISO 8601 with the local offset, e.g. ``2025-03-04T10:30:00+03:00``."""
        return self.local.isoformat(timespec="seconds")

    def utc_text(self) -> str:
        """ISO 8601 in UTC (``...Z``): how the database stores and sorts it."""
        return self.utc.strftime("%Y-%m-%dT%H:%M:%SZ")

    def day(self) -> str:
        """The local date, ``YYYY-MM-DD``."""
        return self.local.date().isoformat()


@dataclass(frozen=True)
class StepOutcome:
    """One planned step and what became of it (a reason when shortened or skipped)."""

    step: int  # the step's index in that day's plan, from 0
    technique: str
    outcome: Outcome = "done"
    minutes: float | None = None  # how long it took, when not as planned
    reason: str = ""


@dataclass(frozen=True)
class Soap:
    """Free notes in the four SOAP sections."""

    subjective: str = ""
    objective: str = ""
    assessment: str = ""
    plan: str = ""

    def sections(self) -> tuple[tuple[str, str], ...]:
        return tuple((name, getattr(self, name)) for name in SOAP_SECTIONS)

    def is_empty(self) -> bool:
        return not any(text for _, text in self.sections())


@dataclass(frozen=True)
class Confirmation:
    """A screening group confirmed "unchanged since <date>": one deliberate act that day,
    never a silent carry-over. ``since`` is the visit whose answers were confirmed."""

    group: str  # a contraindication action: refer, block, postpone, limit, exclude-area
    since: str  # that earlier visit's local date, YYYY-MM-DD


@dataclass(frozen=True)
class Addendum:
    """A dated correction or addition to a signed visit; the original stays as it was."""

    id: int
    at: Moment
    text: str
    section: str = ""  # what it corrects (a SOAP section, "pain_after", ...), or "" for all


@dataclass(frozen=True)
class VisitDraft:
    """What a therapist records for one visit; the store checks it and saves it whole.

    ``profile`` is that day's profile in the plan document's shape (conditions, findings,
    session, screening answers, lesions, pain points): bodymap.document.ProfileModel's JSON.
    """

    session: int
    profile: Mapping[str, Any]
    at: Moment | None = None  # None: now
    pain_before: int | None = None
    pain_after: int | None = None
    confirmed: tuple[Confirmation, ...] = ()
    steps: tuple[StepOutcome, ...] = ()
    reaction: str = ""
    notes: str = ""
    soap: Soap = Soap()
    #: the plan as it was that day (bodymap.plan_types.Plan.to_json()), or None
    plan: Mapping[str, Any] | None = None


@dataclass(frozen=True)
class VisitSummary:
    """One line of the course: enough for the visit list and the pain chart."""

    id: int
    at: Moment
    session: int
    pain_before: int | None
    pain_after: int | None
    signed: bool
    #: how many steps were shortened and skipped
    shortened: int = 0
    skipped: int = 0


@dataclass(frozen=True)
class Visit:
    """One visit as recorded."""

    id: int
    uid: str
    patient_id: int
    at: Moment
    session: int
    profile: Mapping[str, Any]
    pain_before: int | None
    pain_after: int | None
    confirmed: tuple[Confirmation, ...]
    steps: tuple[StepOutcome, ...]
    reaction: str
    notes: str
    soap: Soap
    plan: Mapping[str, Any] | None
    signed_at: Moment | None
    addenda: tuple[Addendum, ...]
    version: int  # the row version: an edit based on an older one is refused

    @property
    def pain_points(self) -> tuple[tuple[float, float], ...]:
        return tuple((float(x), float(y)) for x, y in self.profile.get("pain_points", ()))

    @property
    def lesions(self) -> tuple[str, ...]:
        return tuple(self.profile.get("lesions", ()))

    @property
    def signed(self) -> bool:
        return self.signed_at is not None

    def editable(self, now: Moment | None = None) -> bool:
        """Until it is signed or its day ends (on the clock where it was recorded)."""
        if self.signed_at is not None:
            return False
        current = (now or Moment.now()).utc.astimezone(self.at.local.tzinfo)
        return current.date() == self.at.local.date()

    def summary(self) -> VisitSummary:
        return VisitSummary(
            self.id, self.at, self.session, self.pain_before, self.pain_after, self.signed,
            shortened=sum(s.outcome == "shortened" for s in self.steps),
            skipped=sum(s.outcome == "skipped" for s in self.steps),
        )


@dataclass(frozen=True)
class FindingsChange:
    """The patient's conditions (lead first) and findings from ``at`` on."""

    at: Moment
    conditions: tuple[str, ...]
    #: the findings in the plan document's profile shape (e.g. ``hernia``, ``scoliosis``)
    findings: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class PatientSummary:
    """One row of the patient list."""

    id: int
    name: str
    birth_year: int | None
    conditions: tuple[str, ...]
    visits: int
    last_visit: Moment | None
    last_session: int | None


@dataclass(frozen=True)
class Patient:
    """A patient and their course (visits oldest first)."""

    id: int
    uid: str
    name: str
    birth_year: int | None
    notes: str
    created: Moment
    history: tuple[FindingsChange, ...]  # oldest first; never empty
    visits: tuple[VisitSummary, ...]
    version: int

    @property
    def current(self) -> FindingsChange:
        return self.history[-1]

    @property
    def conditions(self) -> tuple[str, ...]:
        return self.current.conditions

    @property
    def next_session(self) -> int:
        """The session the next visit is, by default: one after the last recorded."""
        return (self.visits[-1].session + 1) if self.visits else 1


#: what a visit keeps of the plan's JSON (``bodymap plan --json``): the session as planned,
#: in both languages' words, without the drawing's geometry and the long cited texts (a full
#: plan is ~60 kB; this ~3 kB, so 20,000 visits stay small)
SNAPSHOT_KEYS = ("condition", "conditions", "session", "course_sessions", "phase", "status",
                 "reasons", "total_minutes", "emphasis_zones", "max_intensity", "steps", "caps",
                 "no_touch")
_NO_TOUCH_KEYS = ("id", "zones", "techniques")


def plan_snapshot(plan: Mapping[str, Any]) -> dict[str, Any]:
    """The part of a plan's JSON a visit keeps (idempotent: a snapshot snapshots to itself)."""
    kept: dict[str, Any] = {k: plan[k] for k in SNAPSHOT_KEYS if k in plan}
    if isinstance(kept.get("no_touch"), list):
        kept["no_touch"] = [{k: n[k] for k in _NO_TOUCH_KEYS if k in n}
                            for n in kept["no_touch"] if isinstance(n, Mapping)]
    return kept
