"""Between database rows and the records' values (bodymap.records.model)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from typing import Any

from bodymap.records.model import (
    Addendum,
    Confirmation,
    FindingsChange,
    Moment,
    Soap,
    StepOutcome,
    Visit,
    VisitSummary,
)


def moment_of(utc: str | None, offset: int | None) -> Moment | None:
    if utc is None or offset is None:
        return None
    parsed = datetime.strptime(utc, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC)
    return Moment(parsed, int(offset))


def moment(utc: str, offset: int) -> Moment:
    found = moment_of(utc, offset)
    assert found is not None
    return found


def moment_columns(prefix: str, at: Moment | None) -> dict[str, Any]:
    return {f"{prefix}_utc": at.utc_text() if at else None,
            f"{prefix}_offset": at.offset_min if at else None}


def steps_json(steps: Sequence[StepOutcome]) -> list[dict[str, Any]]:
    out = []
    for s in steps:
        item: dict[str, Any] = {"step": s.step, "technique": s.technique, "outcome": s.outcome}
        if s.minutes is not None:
            item["minutes"] = s.minutes
        if s.reason:
            item["reason"] = s.reason
        out.append(item)
    return out


def steps_of(data: Sequence[Mapping[str, Any]]) -> tuple[StepOutcome, ...]:
    return tuple(StepOutcome(int(s["step"]), str(s["technique"]), s["outcome"],
                             s.get("minutes"), str(s.get("reason", ""))) for s in data)


def confirmed_json(items: Sequence[Confirmation]) -> list[dict[str, str]]:
    return [{"group": c.group, "since": c.since} for c in items]


def confirmed_of(data: Sequence[Mapping[str, Any]]) -> tuple[Confirmation, ...]:
    return tuple(Confirmation(str(c["group"]), str(c["since"])) for c in data)


def findings_change(row: Any) -> FindingsChange:
    return FindingsChange(moment(row.at_utc, row.at_offset), tuple(row.conditions),
                          dict(row.findings))


def summary(row: Any) -> VisitSummary:
    return VisitSummary(row.id, moment(row.at_utc, row.at_offset), row.session,
                        row.pain_before, row.pain_after, row.signed_utc is not None,
                        shortened=row.shortened, skipped=row.skipped)


def addendum(row: Any) -> Addendum:
    return Addendum(row.id, moment(row.at_utc, row.at_offset), row.text, row.section)


def visit(row: Any, addenda: Sequence[Any]) -> Visit:
    return Visit(
        id=row.id, uid=row.uid, patient_id=row.patient_id,
        at=moment(row.at_utc, row.at_offset), session=row.session,
        profile=dict(row.profile), pain_before=row.pain_before, pain_after=row.pain_after,
        confirmed=confirmed_of(row.confirmed), steps=steps_of(row.steps),
        reaction=row.reaction, notes=row.notes,
        soap=Soap(row.subjective, row.objective, row.assessment, row.soap_plan),
        plan=row.plan, signed_at=moment_of(row.signed_utc, row.signed_offset),
        addenda=tuple(addendum(a) for a in addenda), version=row.version,
    )
