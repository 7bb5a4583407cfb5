"""The records: patients and their course, read and changed one transaction at a time.

:class:`Records` is the whole interface a view or a command needs. It returns frozen values
(bodymap.records.model) and takes drafts; every change is one transaction that commits whole
or not at all, checked before anything is written (a :class:`BadRecordError` leaves the database
as it was).

Row versions: every change to a patient's record (their details, findings, a visit, a
signature, an addendum) raises the patient's ``version``; an edit of the patient names the
version it was based on, an edit of a visit the visit's, and either is refused
(:class:`ConcurrentEditError`) when the row has moved on since: two computers never overwrite each
other's change silently. Adding (a visit, an addendum) overwrites nothing and needs no version.

A signed visit is locked; so is an unsigned one once its day is over. A correction is then a
dated addendum, and the original stays as it was.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from dataclasses import replace
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from bodymap.records import checks, rows
from bodymap.records.database import Database, open_database
from bodymap.records.errors import (
    BadRecordError,
    ConcurrentEditError,
    DuplicatePatientError,
    LockedError,
    NotFoundError,
)
from bodymap.records.model import (
    OUTCOMES,
    SOAP_SECTIONS,
    FindingsChange,
    Moment,
    Patient,
    PatientSummary,
    Visit,
    VisitDraft,
    plan_snapshot,
)
from bodymap.records.tables import addenda, findings, patients, visits

#: what an addendum may correct: a SOAP section, the notes, the reaction, the pain scores
ADDENDUM_SECTIONS = ("", *SOAP_SECTIONS, "notes", "reaction", "pain_before", "pain_after",
                     "steps", "screening")
_SUMMARY_COLUMNS = (visits.c.id, visits.c.at_utc, visits.c.at_offset, visits.c.session,
                    visits.c.pain_before, visits.c.pain_after, visits.c.signed_utc,
                    visits.c.shortened, visits.c.skipped)


class Records:
    """Patients and visits in one database (SQLite or PostgreSQL)."""

    def __init__(self, db: Database, checker: checks.Checker | None = None) -> None:
        self.db = db
        self.checker = checker or checks.Checker()

    @classmethod
    def open(cls, db: str | None = None, *, library: Any = None,
             geometry: Any = None) -> Records:
        """The records at ``db`` (a path, a URL, or None for the default file), checked
        against ``library`` and ``geometry`` when given."""
        return cls(open_database(db), checks.Checker(library, geometry))

    @property
    def read_only(self) -> bool:
        return self.db.read_only

    @property
    def notice(self) -> str | None:
        """One line to show when the records are not what was asked for (a backup shown)."""
        return self.db.notice

    @property
    def warnings(self) -> tuple[str, ...]:
        """What went wrong on the side at open (today's backup not taken), one line each."""
        return tuple(self.db.warnings)

    def close(self) -> None:
        self.db.close()

    # reading ------------------------------------------------------------------------------
    def patients(self, search: str = "") -> list[PatientSummary]:
        """Every patient (or those whose name contains ``search``), by name."""
        with self.db.reading() as con:
            return _patient_list(con, search)

    def patient(self, patient_id: int) -> Patient:
        with self.db.reading() as con:
            return _patient(con, patient_id)

    def visit(self, visit_id: int) -> Visit:
        with self.db.reading() as con:
            return _visit(con, visit_id)

    def visits(self, patient_id: int) -> list[Visit]:
        """Every visit of the patient in full, oldest first (export, report)."""
        with self.db.reading() as con:
            _patient_row(con, patient_id)
            found = con.execute(sa.select(visits).where(visits.c.patient_id == patient_id)
                                .order_by(visits.c.at_utc, visits.c.id)).all()
            extra = _addenda_by_visit(con, [r.id for r in found])
            return [rows.visit(r, extra.get(r.id, ())) for r in found]

    def last_visit(self, patient_id: int) -> Visit | None:
        with self.db.reading() as con:
            row = con.execute(sa.select(visits.c.id).where(visits.c.patient_id == patient_id)
                              .order_by(visits.c.at_utc.desc(), visits.c.id.desc())
                              .limit(1)).first()
            return _visit(con, row.id) if row else None

    # changing the patient -----------------------------------------------------------------
    def add_patient(self, name: str, conditions: Sequence[str], *,
                    findings: Mapping[str, Any] | None = None, birth_year: int | None = None,
                    notes: str = "", at: Moment | None = None) -> Patient:
        """A new patient with their conditions (lead first) and findings."""
        values = self.patient_values(name, birth_year, notes, field="patient")
        cond, found = self.checker.conditions(list(conditions), dict(findings or {}),
                                              "patient")
        when = at or Moment.now()
        with self.db.writing() as con:
            pid = insert_patient(con, values, when)
            insert_findings(con, pid, when, cond, found)
            return _patient(con, pid)

    def edit_patient(self, patient_id: int, version: int, *, name: str | None = None,
                     birth_year: int | object | None = ..., notes: str | None = None) -> Patient:
        """Change the name, year of birth or notes (only those given)."""
        with self.db.writing() as con:
            row = _patient_row(con, patient_id)
            values = self.patient_values(
                row.name if name is None else name,
                row.birth_year if birth_year is ... else birth_year,
                row.notes if notes is None else notes, field="patient")
            values.pop("uid")
            try:
                bump_patient(con, patient_id, version, **values)
            except sa.exc.IntegrityError:
                raise DuplicatePatientError(_duplicate_words(values)) from None
            return _patient(con, patient_id)

    def change_findings(self, patient_id: int, version: int, conditions: Sequence[str],
                        findings: Mapping[str, Any], at: Moment | None = None) -> Patient:
        """The patient's conditions and findings from now (or ``at``) on; the earlier ones
        stay in the history, dated."""
        cond, found = self.checker.conditions(list(conditions), dict(findings), "patient")
        when = at or Moment.now()
        with self.db.writing() as con:
            bump_patient(con, patient_id, version)
            insert_findings(con, patient_id, when, cond, found)
            return _patient(con, patient_id)

    # changing the course ------------------------------------------------------------------
    def record_visit(self, patient_id: int, draft: VisitDraft, *, sign: bool = False,
                     change: tuple[Sequence[str], Mapping[str, Any]] | None = None,
                     version: int | None = None) -> Visit:
        """Save a new visit (one transaction): signed at once with ``sign``; with ``change``
        (conditions, findings found that day) the patient's conditions and findings change
        from the visit on, in the same transaction. ``version``, the patient's row version the
        visit was based on, refuses the visit (ConcurrentEditError) when the patient's record
        was changed elsewhere since."""
        cond: tuple[str, ...] | None = None
        found: dict[str, Any] = {}
        if change is not None:
            cond, found = self.checker.conditions(list(change[0]), dict(change[1]), "patient")
        with self.db.writing() as con:
            bump_patient(con, patient_id, version)
            at = draft.at or Moment.now()
            if cond is not None:
                insert_findings(con, patient_id, at, cond, found)
            now = _current_findings(con, patient_id)
            values = self.visit_values(replace(draft, at=at), now.conditions, now.findings)
            if sign:
                values.update(rows.moment_columns("signed", Moment.now()))
            vid = insert_visit(con, patient_id, values)
            return _visit(con, vid)

    def edit_visit(self, visit_id: int, version: int, draft: VisitDraft,
                   now: Moment | None = None, *, sign: bool = False) -> Visit:
        """Replace an editable visit's content (unsigned, and its day not over); signed at
        once with ``sign`` (one transaction)."""
        with self.db.writing() as con:
            old = _visit(con, visit_id)
            _check_editable(old, now)
            then = _current_findings(con, old.patient_id)
            values = self.visit_values(replace(draft, at=draft.at or old.at),
                                       then.conditions, then.findings)
            values.pop("uid")
            if sign:
                values.update(rows.moment_columns("signed", Moment.now()))
            _bump_visit(con, old, version, values)
            bump_patient(con, old.patient_id, None)
            return _visit(con, visit_id)

    def sign_visit(self, visit_id: int, version: int, at: Moment | None = None) -> Visit:
        """Sign the visit: from now on it is locked, corrected only by addenda."""
        with self.db.writing() as con:
            old = _visit(con, visit_id)
            if old.signed:
                signed = old.signed_at.iso() if old.signed_at else ""
                raise LockedError(f"visit {visit_id} was already signed on {signed}")
            _bump_visit(con, old, version, rows.moment_columns("signed", at or Moment.now()))
            bump_patient(con, old.patient_id, None)
            return _visit(con, visit_id)

    def add_addendum(self, visit_id: int, text: str, section: str = "",
                     at: Moment | None = None) -> Visit:
        """A dated correction or addition; the visit's own text is kept as it was."""
        body = checks.text(text, "addendum.text").strip()
        if not body:
            raise BadRecordError("the addendum is empty", field="addendum.text")
        if section not in ADDENDUM_SECTIONS:
            raise BadRecordError(f"unknown section '{section}'", field="addendum.section",
                                 expected=", ".join(s for s in ADDENDUM_SECTIONS if s))
        with self.db.writing() as con:
            old = _visit(con, visit_id)
            insert_addendum(con, visit_id, at or Moment.now(), section, body)
            bump_patient(con, old.patient_id, None)
            return _visit(con, visit_id)

    # checking -----------------------------------------------------------------------------
    def patient_values(self, name: object, birth_year: object, notes: object, *,
                       field: str, where: Any = None) -> dict[str, Any]:
        clean = checks.name(name, f"{field}.name", where)
        return {"uid": str(uuid.uuid4()), "name": clean, "name_key": checks.name_key(clean),
                "birth_year": checks.birth_year(birth_year, f"{field}.birth_year", where),
                "notes": checks.text(notes, f"{field}.notes", where)}

    def visit_values(self, draft: VisitDraft, conditions: Sequence[str],
                     findings: Mapping[str, Any], *, field: str = "visit",
                     where: Any = None) -> dict[str, Any]:
        """A draft as the row it becomes, every part checked (BadRecordError naming the field)."""
        at = draft.at or Moment.now()
        checks.moment(at.iso(), f"{field}.date", where)  # not in the future
        session = checks.session(draft.session, f"{field}.session", where)
        day = {"conditions": list(conditions), **findings, **dict(draft.profile),
               "session": session}
        profile = self.checker.profile(day, f"{field}.profile", where)
        for i, step in enumerate(draft.steps):
            if step.outcome not in OUTCOMES:
                raise BadRecordError(f"unknown outcome '{step.outcome}'", path=where,
                                     field=f"{field}.steps[{i}].outcome",
                                     expected=", ".join(OUTCOMES))
            checks.text(step.reason, f"{field}.steps[{i}].reason", where)
        soap = {name: checks.text(value, f"{field}.soap.{name}", where)
                for name, value in draft.soap.sections()}
        return {
            "uid": str(uuid.uuid4()), **rows.moment_columns("at", at), "session": session,
            "pain_before": checks.pain(draft.pain_before, f"{field}.pain_before", where),
            "pain_after": checks.pain(draft.pain_after, f"{field}.pain_after", where),
            "profile": profile, "confirmed": rows.confirmed_json(draft.confirmed),
            "steps": rows.steps_json(draft.steps),
            "shortened": sum(s.outcome == "shortened" for s in draft.steps),
            "skipped": sum(s.outcome == "skipped" for s in draft.steps),
            "reaction": checks.text(draft.reaction, f"{field}.reaction", where),
            "notes": checks.text(draft.notes, f"{field}.notes", where),
            "subjective": soap["subjective"], "objective": soap["objective"],
            "assessment": soap["assessment"], "soap_plan": soap["plan"],
            "plan": plan_snapshot(draft.plan) if draft.plan is not None else None,
        }


# ---------------------------------------------------------------------------------------------
# inside one transaction (the import uses these too)


def insert_patient(con: Connection, values: Mapping[str, Any], created: Moment) -> int:
    try:
        result = con.execute(patients.insert().values(
            **values, **rows.moment_columns("created", created)))
    except sa.exc.IntegrityError:
        raise DuplicatePatientError(_duplicate_words(values)) from None
    key = result.inserted_primary_key
    assert key is not None
    return int(key[0])


def insert_findings(con: Connection, patient_id: int, at: Moment, conditions: Sequence[str],
                    found: Mapping[str, Any]) -> None:
    con.execute(findings.insert().values(patient_id=patient_id, **rows.moment_columns("at", at),
                                         conditions=list(conditions), findings=dict(found)))


def insert_visit(con: Connection, patient_id: int, values: Mapping[str, Any]) -> int:
    # the row as parameters (not .values()): one compiled statement, cached for every visit
    result = con.execute(visits.insert(), {**values, "patient_id": patient_id})
    key = result.inserted_primary_key
    assert key is not None
    return int(key[0])


def insert_addendum(con: Connection, visit_id: int, at: Moment, section: str,
                    text: str) -> None:
    con.execute(addenda.insert().values(visit_id=visit_id, **rows.moment_columns("at", at),
                                        section=section, text=text))


def bump_patient(con: Connection, patient_id: int, version: int | None,
                 **values: Any) -> None:
    """Raise the patient's row version (with ``values``); with ``version`` given, only if the
    row is still at it (else ConcurrentEditError)."""
    query = patients.update().where(patients.c.id == patient_id)
    if version is not None:
        query = query.where(patients.c.version == version)
    if con.execute(query.values(version=patients.c.version + 1, **values)).rowcount != 1:
        _patient_row(con, patient_id)  # NotFoundError if it is gone
        raise ConcurrentEditError(f"patient {patient_id} was changed elsewhere since it was "
                                  "opened; nothing was overwritten: open it again and redo "
                                  "the change")


def _bump_visit(con: Connection, old: Visit, version: int, values: Mapping[str, Any]) -> None:
    query = (visits.update().where(visits.c.id == old.id, visits.c.version == version)
             .values(version=visits.c.version + 1, **values))
    if con.execute(query).rowcount != 1:
        raise ConcurrentEditError(f"visit {old.id} was changed elsewhere since it was opened; "
                                  "nothing was overwritten: open it again and redo the change")


def _check_editable(visit: Visit, now: Moment | None) -> None:
    if visit.signed:
        raise LockedError(f"visit {visit.id} is signed: add an addendum to correct it")
    if not visit.editable(now):
        raise LockedError(f"visit {visit.id} of {visit.at.day()} is closed (its day is over): add "
                          "an addendum to correct it")


def _patient_row(con: Connection, patient_id: int) -> Any:
    row = con.execute(sa.select(patients).where(patients.c.id == patient_id)).first()
    if row is None:
        raise NotFoundError(f"there is no patient {patient_id}",
                            expected="an id from 'bodymap patients list'")
    return row


def _current_findings(con: Connection, patient_id: int) -> FindingsChange:
    """The patient's conditions and findings now (NotFoundError for no such patient)."""
    row = con.execute(sa.select(findings).where(findings.c.patient_id == patient_id)
                      .order_by(findings.c.at_utc.desc(), findings.c.id.desc()).limit(1)).first()
    if row is None:
        _patient_row(con, patient_id)
        raise NotFoundError(f"patient {patient_id} has no conditions recorded")
    return rows.findings_change(row)


def _patient(con: Connection, patient_id: int) -> Patient:
    row = _patient_row(con, patient_id)
    history = con.execute(sa.select(findings).where(findings.c.patient_id == patient_id)
                          .order_by(findings.c.at_utc, findings.c.id)).all()
    course = con.execute(sa.select(*_SUMMARY_COLUMNS).where(visits.c.patient_id == patient_id)
                         .order_by(visits.c.at_utc, visits.c.id)).all()
    return Patient(
        id=row.id, uid=row.uid, name=row.name, birth_year=row.birth_year, notes=row.notes,
        created=rows.moment(row.created_utc, row.created_offset),
        history=tuple(rows.findings_change(h) for h in history),
        visits=tuple(rows.summary(v) for v in course), version=row.version,
    )


def _visit(con: Connection, visit_id: int) -> Visit:
    row = con.execute(sa.select(visits).where(visits.c.id == visit_id)).first()
    if row is None:
        raise NotFoundError(f"there is no visit {visit_id}")
    extra = con.execute(sa.select(addenda).where(addenda.c.visit_id == visit_id)
                        .order_by(addenda.c.at_utc, addenda.c.id)).all()
    return rows.visit(row, extra)


def _addenda_by_visit(con: Connection, ids: Sequence[int]) -> dict[int, list[Any]]:
    found: dict[int, list[Any]] = {}
    for start in range(0, len(ids), 500):
        chunk = ids[start:start + 500]
        for r in con.execute(sa.select(addenda).where(addenda.c.visit_id.in_(chunk))
                             .order_by(addenda.c.at_utc, addenda.c.id)):
            found.setdefault(r.visit_id, []).append(r)
    return found


def _patient_list(con: Connection, search: str) -> list[PatientSummary]:
    counts = (sa.select(visits.c.patient_id, sa.func.count().label("n"),
                        sa.func.max(visits.c.at_utc).label("last"))
              .group_by(visits.c.patient_id).subquery())
    latest = (sa.select(sa.func.max(findings.c.id).label("fid"))
              .group_by(findings.c.patient_id).subquery())
    query = (sa.select(patients.c.id, patients.c.name, patients.c.birth_year,
                       findings.c.conditions, counts.c.n, counts.c.last)
             .join(findings, findings.c.patient_id == patients.c.id)
             .join(latest, latest.c.fid == findings.c.id)
             .outerjoin(counts, counts.c.patient_id == patients.c.id)
             .order_by(patients.c.name_key, patients.c.id))
    key = checks.name_key(search)
    if key:
        escaped = key.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        query = query.where(patients.c.name_key.like(f"%{escaped}%", escape="\\"))
    found = con.execute(query).all()
    last = _last_visits(con, [r.id for r in found if r.n])
    return [PatientSummary(r.id, r.name, r.birth_year, tuple(r.conditions), r.n or 0,
                           last[r.id][0] if r.id in last else None,
                           last[r.id][1] if r.id in last else None) for r in found]


def _last_visits(con: Connection, ids: Sequence[int]) -> dict[int, tuple[Moment, int]]:
    """Each patient's latest visit: its moment and session."""
    if not ids:
        return {}
    newest = (sa.select(visits.c.patient_id, sa.func.max(visits.c.at_utc).label("last"))
              .group_by(visits.c.patient_id).subquery())
    query = (sa.select(visits.c.patient_id, visits.c.at_utc, visits.c.at_offset,
                       visits.c.session, visits.c.id)
             .join(newest, sa.and_(newest.c.patient_id == visits.c.patient_id,
                                   newest.c.last == visits.c.at_utc))
             .order_by(visits.c.id))
    found: dict[int, tuple[Moment, int]] = {}
    for r in con.execute(query):
        found[r.patient_id] = (rows.moment(r.at_utc, r.at_offset), r.session)
    return found


def _duplicate_words(values: Mapping[str, Any]) -> str:
    born = f" born {values['birth_year']}" if values.get("birth_year") else ""
    return (f"a patient named '{values['name']}'{born} is already in the records "
            "(add a year of birth or initials to tell them apart)")
