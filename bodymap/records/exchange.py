"""One patient and their course as a file: ``bodymap-patient`` JSON (docs/records.md).

:func:`export_patient` writes everything the records hold about one patient (their details,
dated findings, every visit with its screening, steps, notes, plan snapshot, signature and
addenda); :func:`import_patient` reads it back into any records database as one transaction:
all of it or nothing. A plan document (``*.bodymap.json``) imports as a patient with no visits.

The minimal file is ``{"format": "bodymap-patient", "version": 1, "patient": {"name",
"conditions", "findings"}, "visits": [{"date", "session", "pain_before", "pain_after",
"notes", "pain_points"}]}``. Unknown fields are refused (a typo never loses data silently).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, cast

from bodymap.errors import BodymapError, shown
from bodymap.records import checks, rows
from bodymap.records.errors import BadRecordError
from bodymap.records.model import (
    OUTCOMES,
    SOAP_SECTIONS,
    Confirmation,
    FindingsChange,
    Moment,
    Patient,
    Soap,
    StepOutcome,
    Visit,
    VisitDraft,
)
from bodymap.records.store import (
    ADDENDUM_SECTIONS,
    Records,
    insert_addendum,
    insert_findings,
    insert_patient,
    insert_visit,
)

FORMAT = "bodymap-patient"
VERSION = 1
MAX_BYTES = 64 * 1024 * 1024
MAX_VISITS = 10_000
_PATIENT_KEYS = {"uid", "name", "birth_year", "notes", "created", "conditions", "findings",
                 "history"}
_VISIT_KEYS = {"uid", "date", "session", "pain_before", "pain_after", "notes", "pain_points",
               "lesions", "conditions", "findings", "screening", "steps", "reaction", "soap",
               "plan", "signed", "addenda"}
_GROUPS = ("refer", "block", "postpone", "limit", "exclude-area")


@dataclass(frozen=True)
class Imported:
    """What an import made, and what of the file had no place in the records."""

    patient: Patient
    left_out: tuple[str, ...] = field(default=())


# ---------------------------------------------------------------------------------------------
# export


def export_patient(records: Records, patient_id: int) -> dict[str, Any]:
    """The patient and every visit, as the ``bodymap-patient`` format (round-trips)."""
    patient = records.patient(patient_id)
    return {
        "format": FORMAT,
        "version": VERSION,
        "exported": Moment.now().iso(),
        "patient": {
            "uid": patient.uid, "name": patient.name, "birth_year": patient.birth_year,
            "notes": patient.notes, "created": patient.created.iso(),
            "conditions": list(patient.conditions), "findings": dict(patient.current.findings),
            "history": [{"date": h.at.iso(), "conditions": list(h.conditions),
                         "findings": dict(h.findings)} for h in patient.history],
        },
        "visits": [_visit_json(v) for v in records.visits(patient_id)],
    }


def _visit_json(v: Visit) -> dict[str, Any]:
    p = v.profile
    day_findings = {k: p[k] for k in checks.finding_keys() if p.get(k) is not None}
    return {
        "uid": v.uid, "date": v.at.iso(), "session": v.session,
        "pain_before": v.pain_before, "pain_after": v.pain_after, "notes": v.notes,
        "pain_points": [list(pt) for pt in v.pain_points], "lesions": list(v.lesions),
        "conditions": list(p.get("conditions", ())), "findings": day_findings,
        "screening": {"present": list(p.get("present", ())), "answered": p.get("answered"),
                      "unchanged": rows.confirmed_json(v.confirmed)},
        "steps": rows.steps_json(v.steps), "reaction": v.reaction,
        "soap": dict(v.soap.sections()), "plan": v.plan,
        "signed": v.signed_at.iso() if v.signed_at else None,
        "addenda": [{"date": a.at.iso(), "section": a.section, "text": a.text}
                    for a in v.addenda],
    }


# ---------------------------------------------------------------------------------------------
# import


def read_file(path: Path) -> Any:
    """The JSON in ``path``; any problem (missing, not a file, not JSON) is a BadRecordError."""
    from bodymap.safeio import parse_json, read_bytes_bounded

    try:
        raw = read_bytes_bounded(path, MAX_BYTES)
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise BadRecordError("is not a text file", path=path,
                                 expected="a bodymap patient file (UTF-8 JSON)") from None
        if not text.strip():
            raise BadRecordError("the file is empty", path=path,
                                 expected="a bodymap patient file (JSON)")
        return parse_json(text, path, expected="a bodymap patient file (JSON)")
    except BadRecordError:
        raise
    except BodymapError as exc:
        raise BadRecordError(exc.message, path=path, field=exc.field, expected=exc.expected) \
            from None


def import_file(records: Records, path: Path) -> Imported:
    """Import a ``bodymap-patient`` file or a plan document: all of it, or nothing."""
    data = read_file(path)
    kind = data.get("format") if isinstance(data, dict) else None
    if kind == "bodymap-plan":
        return import_plan_document(records, data, path)
    return import_patient(records, data, path)


def import_patient(records: Records, data: object, where: Path | str = "<import>") -> Imported:
    parsed = _Parsed(records, where)
    patient = parsed.patient(data)
    assert isinstance(data, dict)  # parsed.patient refused anything else
    drafts = parsed.visits(_get(data, "visits", list, where, default=[]), patient)
    if patient.implicit and drafts:  # no dates given: the record starts with its first visit
        first = min((rows.moment(v["at_utc"], v["at_offset"]) for v, _ in drafts),
                    key=lambda m: m.utc)
        if first.utc < patient.created.utc:
            patient.created = first
            patient.history = [replace(patient.history[0], at=first)]
    with records.db.writing() as con:
        pid = insert_patient(con, patient.values, patient.created)
        for change in patient.history:
            insert_findings(con, pid, change.at, change.conditions, change.findings)
        for values, addenda in drafts:
            vid = insert_visit(con, pid, values)
            for at, section, text in addenda:
                insert_addendum(con, vid, at, section, text)
    return Imported(records.patient(pid))


def import_plan_document(records: Records, data: object, path: Path) -> Imported:
    """A plan document as a patient with no visits: name (or the file's name), notes,
    conditions and findings. That day's answers, lesions and pain points belong to a visit,
    and a plan document has no date: they are named in ``left_out``."""
    from bodymap.document import PlanDocument

    try:
        doc = PlanDocument.from_json(data, path)
    except BodymapError as exc:
        raise BadRecordError(exc.message, path=path, field=exc.field, expected=exc.expected) \
            from None
    profile = doc.profile.model_dump(mode="json")
    name = doc.patient_name.strip() or path.name.removesuffix(".json").removesuffix(".bodymap")
    findings = {k: profile[k] for k in checks.finding_keys() if profile.get(k) is not None}
    patient = records.add_patient(name, doc.conditions, findings=findings, notes=doc.notes)
    left = [label for key, label in (("pain_points", "pain points"), ("lesions", "lesions"),
                                     ("present", "screening answers"))
            if profile.get(key)]
    if profile.get("answered") and "screening answers" not in left:
        left.append("screening answers")
    return Imported(patient, tuple(left))


#: a visit's row and its addenda (moment, section, text), ready to insert
_Row = tuple[dict[str, Any], list[tuple[Moment, str, str]]]


@dataclass
class _Patient:
    values: dict[str, Any]
    created: Moment
    history: list[FindingsChange]
    #: neither ``created`` nor ``history`` in the file: dated by the import
    implicit: bool = False

    def findings_at(self, at: Moment) -> FindingsChange:
        """The conditions and findings in force at ``at`` (the first ones before them)."""
        found = self.history[0]
        for change in self.history:
            if change.at.utc <= at.utc:
                found = change
        return found


class _Parsed:
    """The file read field by field; the first problem is a BadRecordError naming it."""

    def __init__(self, records: Records, where: Path | str) -> None:
        self.records, self.where = records, where

    def patient(self, data: object) -> _Patient:
        w = self.where
        if not isinstance(data, dict):
            raise BadRecordError("is not a bodymap patient file", path=w,
                                 expected="a JSON object with format 'bodymap-patient'")
        if data.get("format") != FORMAT:
            raise BadRecordError(f"the format is {_shown(data.get('format'))}", path=w,
                                 field="format", expected=f"'{FORMAT}' (or a bodymap plan)")
        version = data.get("version")
        if type(version) is not int or version != VERSION:
            newer = type(version) is int and version > VERSION
            raise BadRecordError("was written by a newer bodymap" if newer
                                 else f"the version is {_shown(version)}", path=w, field="version",
                                 expected=f"version {VERSION}")
        _only(data, {"format", "version", "exported", "patient", "visits"}, "", w)
        p = _get(data, "patient", dict, w)
        _only(p, _PATIENT_KEYS, "patient", w)
        values = self.records.patient_values(p.get("name"), p.get("birth_year"),
                                             p.get("notes", ""), field="patient", where=w)
        if "uid" in p:
            values["uid"] = _uid(p["uid"], "patient.uid", w)
        created = (checks.moment(p["created"], "patient.created", w) if "created" in p
                   else Moment.now())
        cond, found = self.records.checker.conditions(
            _get(p, "conditions", list, w, "patient"), p.get("findings", {}), "patient", w)
        history = self._history(p.get("history"), cond, found, created)
        return _Patient(values, created, history,
                        implicit="created" not in p and p.get("history") is None)

    def _history(self, data: object, cond: tuple[str, ...], found: dict[str, Any],
                 created: Moment) -> list[FindingsChange]:
        if data is None:
            return [FindingsChange(created, cond, found)]
        w = self.where
        if not isinstance(data, list) or not data:
            raise BadRecordError("the history is not a list of dated changes", path=w,
                                 field="patient.history", expected="a non-empty list")
        changes = []
        for i, item in enumerate(data):
            f = f"patient.history[{i}]"
            if not isinstance(item, dict):
                raise BadRecordError("is not a table", path=w, field=f)
            _only(item, {"date", "conditions", "findings"}, f, w)
            at = checks.moment(item.get("date"), f"{f}.date", w)
            c, fd = self.records.checker.conditions(item.get("conditions"),
                                                    item.get("findings", {}), f, w)
            changes.append(FindingsChange(at, c, fd))
        if (changes[-1].conditions, dict(changes[-1].findings)) != (cond, found):
            raise BadRecordError("the last change differs from the patient's conditions and "
                                 "findings", path=w, field="patient.history",
                                 expected="the history to end with patient.conditions/findings")
        return sorted(changes, key=lambda c: c.at.utc)

    def visits(self, data: list[Any], patient: _Patient) -> list[_Row]:
        if len(data) > MAX_VISITS:
            raise BadRecordError(f"holds {len(data)} visits", path=self.where, field="visits",
                                 expected=f"at most {MAX_VISITS}")
        out = []
        seen: set[str] = set()
        for i, item in enumerate(data):
            values, addenda = self.visit(item, f"visits[{i}]", patient)
            if values["uid"] in seen:
                raise BadRecordError("the same visit is listed twice", path=self.where,
                                     field=f"visits[{i}].uid")
            seen.add(values["uid"])
            out.append((values, addenda))
        return out

    def visit(self, item: object, f: str, patient: _Patient) -> _Row:
        w = self.where
        if not isinstance(item, dict):
            raise BadRecordError("is not a table", path=w, field=f,
                                 expected="a visit (JSON object)")
        _only(item, _VISIT_KEYS, f, w)
        at = checks.moment(item.get("date"), f"{f}.date", w)
        then = patient.findings_at(at)
        conditions = item.get("conditions", list(then.conditions))
        cond, found = self.records.checker.conditions(
            conditions, item.get("findings", dict(then.findings)), f, w)
        screening = _get(item, "screening", dict, w, f, default={})
        _only(screening, {"present", "answered", "unchanged"}, f"{f}.screening", w)
        profile = {"pain_points": item.get("pain_points", []),
                   "lesions": item.get("lesions", []),
                   "present": screening.get("present", []),
                   "answered": screening.get("answered", [])}
        draft = VisitDraft(
            # any value from the file: visit_values checks it (checks.session) with the rest
            session=cast(int, item.get("session")),
            profile=profile, at=at,
            pain_before=item.get("pain_before"), pain_after=item.get("pain_after"),
            confirmed=self._confirmed(screening.get("unchanged", []), f"{f}.screening.unchanged"),
            steps=self._steps(item.get("steps", []), f"{f}.steps"),
            reaction=item.get("reaction", ""), notes=item.get("notes", ""),
            soap=self._soap(item.get("soap", {}), f"{f}.soap"),
            plan=_get(item, "plan", dict, w, f, default=None),
        )
        values = self.records.visit_values(draft, cond, found, field=f, where=w)
        if "uid" in item:
            values["uid"] = _uid(item["uid"], f"{f}.uid", w)
        if item.get("signed") is not None:
            values.update(rows.moment_columns("signed", checks.moment(item["signed"],
                                                                      f"{f}.signed", w)))
        return values, self._addenda(item.get("addenda", []), f"{f}.addenda")

    def _confirmed(self, data: object, f: str) -> tuple[Confirmation, ...]:
        items = []
        for i, c in enumerate(_list(data, f, self.where)):
            if not isinstance(c, dict) or set(c) != {"group", "since"}:
                raise BadRecordError("is not a confirmation", path=self.where, field=f"{f}[{i}]",
                                     expected='{"group": ..., "since": "YYYY-MM-DD"}')
            if c["group"] not in _GROUPS:
                raise BadRecordError(f"unknown screening group {_shown(c['group'])}",
                                     path=self.where, field=f"{f}[{i}].group",
                                     expected=", ".join(_GROUPS))
            since = checks.moment(c["since"], f"{f}[{i}].since", self.where)
            items.append(Confirmation(c["group"], since.day()))
        return tuple(items)

    def _steps(self, data: object, f: str) -> tuple[StepOutcome, ...]:
        out = []
        for i, s in enumerate(_list(data, f, self.where)):
            g = f"{f}[{i}]"
            if not isinstance(s, dict):
                raise BadRecordError("is not a step", path=self.where, field=g)
            _only(s, {"step", "technique", "outcome", "minutes", "reason"}, g, self.where)
            if type(s.get("step")) is not int or not 0 <= s["step"] < 100:
                raise BadRecordError("is not a step number", path=self.where, field=f"{g}.step",
                                     expected="a whole number from 0")
            if s.get("outcome") not in OUTCOMES:
                raise BadRecordError(f"unknown outcome {_shown(s.get('outcome'))}", path=self.where,
                                     field=f"{g}.outcome", expected=", ".join(OUTCOMES))
            minutes = s.get("minutes")
            if minutes is not None and (type(minutes) not in (int, float)
                                        or not 0 <= minutes <= 240):
                raise BadRecordError("is not a number of minutes", path=self.where,
                                     field=f"{g}.minutes", expected="0 to 240")
            out.append(StepOutcome(s["step"], checks.text(s.get("technique"), f"{g}.technique",
                                                          self.where, limit=64, one_line=True),
                                   s["outcome"], minutes, s.get("reason", "")))
        return tuple(out)

    def _soap(self, data: object, f: str) -> Soap:
        if not isinstance(data, dict):
            raise BadRecordError("is not a table of SOAP sections", path=self.where, field=f)
        _only(data, set(SOAP_SECTIONS), f, self.where)
        return Soap(**{k: data.get(k, "") for k in SOAP_SECTIONS})

    def _addenda(self, data: object, f: str) -> list[tuple[Moment, str, str]]:
        out = []
        for i, a in enumerate(_list(data, f, self.where)):
            g = f"{f}[{i}]"
            if not isinstance(a, dict):
                raise BadRecordError("is not an addendum", path=self.where, field=g)
            _only(a, {"date", "section", "text"}, g, self.where)
            section = a.get("section", "")
            if section not in ADDENDUM_SECTIONS:
                raise BadRecordError(f"unknown section {_shown(section)}", path=self.where,
                                     field=f"{g}.section")
            text = checks.text(a.get("text"), f"{g}.text", self.where)
            if not text.strip():
                raise BadRecordError("the addendum is empty", path=self.where, field=f"{g}.text")
            out.append((checks.moment(a.get("date"), f"{g}.date", self.where), section, text))
        return out


def _get(data: Mapping[str, Any], key: str, kind: type, where: Path | str, prefix: str = "",
         default: Any = ...) -> Any:
    f = f"{prefix}.{key}" if prefix else key
    if key not in data or (data[key] is None and default is None):
        if default is ...:
            raise BadRecordError("is missing", path=where, field=f, expected="this field")
        return default
    if not isinstance(data[key], kind):
        names: dict[type, str] = {list: "a list", dict: "a table (JSON object)"}
        raise BadRecordError(f"{_shown(data[key])} is the wrong kind of value", path=where,
                             field=f, expected=names.get(kind, kind.__name__))
    return data[key]


def _list(data: object, f: str, where: Path | str) -> Sequence[Any]:
    if not isinstance(data, list):
        raise BadRecordError("is not a list", path=where, field=f, expected="a list")
    return data


def _only(data: Mapping[str, Any], allowed: set[str], prefix: str, where: Path | str) -> None:
    for key in data:
        if key not in allowed:
            raise BadRecordError("no such field", path=where,
                                 field=f"{prefix}.{key}" if prefix else str(key),
                                 expected="one of " + ", ".join(sorted(allowed)))


def _uid(value: object, f: str, where: Path | str) -> str:
    import uuid

    try:
        return str(uuid.UUID(str(value))) if isinstance(value, str) else _bad_uid(f, where)
    except ValueError:
        return _bad_uid(f, where)


def _bad_uid(f: str, where: Path | str) -> str:
    raise BadRecordError("is not a UUID", path=where, field=f, expected="a UUID as text")


def _shown(value: object) -> str:
    return f"'{shown(value)}'" if isinstance(value, str) else shown(repr(value))

