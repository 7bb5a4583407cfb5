"""Checking what goes into the records: one clear line naming the field, nothing saved.

Pain is a whole number from 0 to 10 (a quoted number or a boolean is not a number); a moment
is ISO 8601 and not in the future; text is plain and bounded; a profile (that day's conditions,
findings, answers, lesions and pain points) is the plan document's ``profile``, checked by the
same validator and, when the protocols and the drawing are at hand, against them (known
conditions, a session inside the course, pain points on the back).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from bodymap.errors import BodymapError, shown
from bodymap.records.errors import BadRecordError
from bodymap.records.model import NAME_MAX, PAIN_MAX, PAIN_MIN, TEXT_MAX, Moment

#: keys of the plan document's profile that belong to one visit, not to the patient
VISIT_KEYS = ("session", "lesions", "present", "answered", "pain_points")
#: a recorded moment may run this far ahead of this computer's clock (another's clock)
CLOCK_SKEW = timedelta(minutes=5)
DATE_FORMS = "an ISO 8601 date such as 2025-03-04 or 2025-03-04T10:30+03:00"
_DATE_ONLY = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def finding_keys() -> tuple[str, ...]:
    """The patient's findings: every key of the plan document's profile but the conditions
    and what belongs to one visit (so findings follow the document's shape as it grows)."""
    from bodymap.document import ProfileModel

    return tuple(k for k in ProfileModel.model_fields if k not in ("conditions", *VISIT_KEYS))


def pain(value: object, field: str, where: str | Path | None = None) -> int | None:
    if value is None:
        return None
    if type(value) is not int or not PAIN_MIN <= value <= PAIN_MAX:
        raise BadRecordError(f"pain {_quoted(value)} is not on the 0-10 scale", path=where,
                             field=field, expected="a whole number from 0 to 10")
    return value


def text(value: object, field: str, where: str | Path | None = None, *,
         limit: int = TEXT_MAX, one_line: bool = False) -> str:
    if not isinstance(value, str):
        raise BadRecordError(f"{_quoted(value)} is not text", path=where, field=field,
                             expected="a text")
    if len(value) > limit:
        raise BadRecordError(f"the text is longer than {limit} characters", path=where, field=field)
    if "\x00" in value or (one_line and any(not c.isprintable() for c in value)):
        raise BadRecordError("the text holds control characters", path=where, field=field,
                             expected="plain text" + (" on one line" if one_line else ""))
    return value


def name(value: object, field: str, where: str | Path | None = None) -> str:
    cleaned = " ".join(text(value, field, where, limit=NAME_MAX, one_line=True).split())
    if not cleaned:
        raise BadRecordError("the name is empty", path=where, field=field,
                             expected="the patient's name or initials")
    return cleaned


def name_key(value: str) -> str:
    """How two names compare: case-folded, spaces collapsed ("Anna  K" is "anna k")."""
    return " ".join(value.casefold().split())


def birth_year(value: object, field: str, where: str | Path | None = None) -> int | None:
    if value is None:
        return None
    this_year = date.today().year
    if type(value) is not int or not 1900 <= value <= this_year:
        raise BadRecordError(f"year of birth {_quoted(value)} is not a year", path=where,
                             field=field, expected=f"a year from 1900 to {this_year}")
    return value


def moment(value: object, field: str, where: str | Path | None = None,
           now: datetime | None = None) -> Moment:
    """An ISO 8601 date or date-time (a date alone is that day's start; no offset: this
    computer's local time), not in the future."""
    if not isinstance(value, str) or not value.strip():
        raise BadRecordError(f"{_quoted(value)} is not a date", path=where, field=field,
                             expected=DATE_FORMS)
    raw = value.strip()
    try:
        parsed = datetime.fromisoformat(raw.replace("z", "Z"))
    except ValueError:
        raise BadRecordError(f"'{shown(raw)}' is not a date", path=where, field=field,
                             expected=DATE_FORMS) from None
    if parsed.year < 1900:
        raise BadRecordError(f"'{shown(raw)}' is too long ago", path=where, field=field,
                             expected="a date from 1900 on")
    if _DATE_ONLY.match(raw):
        parsed = parsed.replace(hour=0, minute=0)
    result = Moment.of(parsed.replace(microsecond=0))
    if result.utc > (now or datetime.now(UTC)) + CLOCK_SKEW:
        raise BadRecordError(f"{result.iso()} is in the future", path=where, field=field,
                             expected="the date of a visit that took place")
    return result


def session(value: object, field: str, where: str | Path | None = None) -> int:
    if type(value) is not int or not 1 <= value <= 60:
        raise BadRecordError(f"session {_quoted(value)} is not a session number", path=where,
                             field=field, expected="a whole number from 1 to 60")
    return value


class Checker:
    """Profiles checked against the protocols and the drawing they will be planned with."""

    def __init__(self, library: Any = None, geometry: Any = None) -> None:
        self.library = library
        self.geometry = geometry

    def profile(self, data: Mapping[str, Any], field: str,
                where: str | Path | None = None) -> dict[str, Any]:
        """``data`` as a checked plan-document profile (JSON); BadRecordError naming the field."""
        from pydantic import ValidationError

        from bodymap.document import PlanDocument

        try:
            doc = PlanDocument.model_validate({"profile": dict(data)})
        except ValidationError as exc:
            first = exc.errors()[0]
            loc = ".".join(str(p) for p in first["loc"][1:])
            raise BadRecordError(first["msg"], path=where, field=_join(field, loc)) from None
        if self.library is not None and self.geometry is not None:
            try:
                doc = doc.checked(self.library, self.geometry, path=where or "<records>")
            except BodymapError as exc:
                inner = (exc.field or "").removeprefix("profile").lstrip(".")
                raise BadRecordError(exc.message, path=where, field=_join(field, inner),
                                     expected=exc.expected) from None
        return doc.profile.model_dump(mode="json")

    def conditions(self, conditions: object, findings: object, field: str,
                   where: str | Path | None = None) -> tuple[tuple[str, ...], dict[str, Any]]:
        """A patient's conditions (lead first) and findings, checked; findings keep only the
        keys they were given, in the document's shape."""
        if not isinstance(findings, Mapping):
            raise BadRecordError("the findings are not a table", path=where,
                                 field=_join(field, "findings"), expected="a JSON object")
        from bodymap.document import migrate_profile

        # findings in the shape of an older plan document (one ``hernia``, one ``scoliosis``
        # object) are read as today's lists, as an old plan file is
        findings = migrate_profile(dict(findings), 2)
        allowed = finding_keys()
        for key in findings:
            if key not in allowed:
                raise BadRecordError(f"unknown finding '{shown(str(key))}'", path=where,
                                     field=_join(field, "findings"),
                                     expected="one of " + ", ".join(allowed))
        if not isinstance(conditions, list | tuple):
            raise BadRecordError("the conditions are not a list", path=where,
                                 field=_join(field, "conditions"),
                                 expected="a list of condition ids")
        profile = self.profile({"conditions": list(conditions), **findings}, field, where)
        kept = {k: profile[k] for k in allowed if k in findings}
        return tuple(profile["conditions"]), kept


def _join(prefix: str, rest: str) -> str:
    return f"{prefix}.{rest}" if prefix and rest else prefix or rest


def _quoted(value: object) -> str:
    if isinstance(value, str):
        return f"'{shown(value)}'"
    return shown(repr(value) if not isinstance(value, bool) else str(value).lower())
