"""Plan documents: a patient's profile and record, saved as versioned JSON.

:class:`PlanDocument` *is* the file format: a frozen pydantic model whose fields are the file's
(``format``, ``version``, ``patient``, ``profile``), so a plan file is read by one validator and
written by ``model_dump``. A malformed file gets an error naming the file and the field, and
nothing is half-loaded. Numbers are strict: a quoted number or a boolean is not a number.

Version 3 stores the patient's conditions as a list, the lead condition first
(``profile.conditions``), and the findings as lists: ``hernias`` (each with level, side and
stage) and the ``scoliosis`` curves (each with convex side, grade and region), and what a doctor
has ``cleared``. Every field a file may leave out defaults to the safe value: nothing answered
(the plan is blocked until the screening is done), nothing cleared, a stage or grade not given
(the plan waits). Version 1 and 2 files are migrated by the same validator when they are read
and are written back as version 3.

Saving never loses data: the new content goes to a temporary file in the same folder, is
flushed and fsync'ed, then atomically renamed over the old file (os.replace). A crash at any
moment leaves either the old file or the new one, never a half-written mix.

Autosave keeps a copy of unsaved work in the user's data folder; after a crash the app offers
to recover it (see :mod:`bodymap.autosave`).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, Final, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StrictFloat,
    StrictInt,
    StrictStr,
    ValidationError,
    field_validator,
    model_validator,
)

from bodymap.errors import DataFileError, FileWriteError, UsageError
from bodymap.findings import (
    MAX_CURVES,
    MAX_HERNIAS,
    Hernia,
    Scoliosis,
    canonical_curves,
    canonical_hernias,
    check_curves,
    check_hernias,
    disc_levels,
)
from bodymap.protocol_files import MAX_CONDITIONS
from bodymap.safeio import (
    atomic_write_text,
    check_replaceable,
    clean_stale_temps,
    parse_json,
    read_bytes_bounded,
)
from bodymap.schema_errors import expected_for

if TYPE_CHECKING:
    from bodymap.planner import Profile

FORMAT: Final = "bodymap-plan"
#: 3: findings as lists (``hernias``, ``scoliosis`` curves), ``cleared``; every missing field
#: reads as the safe value
VERSION = 3
SUFFIX = ".bodymap.json"
_MAX_BYTES = 5 * 1024 * 1024
#: the longest patient name and notes: the window stops typing there (with a visible count),
#: save refuses more, and load reads back anything up to it
NAME_MAX_CHARS = 200
NOTES_MAX_CHARS = 20_000


# ---------------------------------------------------------------------------------------------
# The document (the file format itself)


class _Model(BaseModel):
    # schemas built on first validation, not at import (start-up imports this module early)
    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)


# Strict types (issue 11): a quoted number or a boolean is not a number, numbers are finite.
Ident = Annotated[StrictStr, Field(min_length=1, max_length=64)]
_Coord = Annotated[StrictFloat, Field(allow_inf_nan=False, ge=-10_000, le=10_000)]


class HerniaModel(_Model):
    level: Annotated[StrictStr, Field(min_length=2, max_length=8)]
    side: Literal["left", "right", "central"] = "central"
    #: missing: not given yet (the plan waits for it)
    stage: Literal["initial", "advanced"] | None = None


class CurveModel(_Model):
    """One scoliosis curve; a missing grade is not given yet (the plan waits for it)."""

    convex: Literal["left", "right"]
    grade: Annotated[StrictInt, Field(ge=1, le=4)] | None = None
    region: Literal["whole", "thoracic", "lumbar"] = "whole"


class ProfileModel(_Model):
    """What the planner needs: conditions (lead first), session, findings, screening answers.

    Every field the file may leave out defaults to the safe value: no answers (every question
    unanswered blocks), nothing cleared by a doctor, a hernia's stage and a curve's grade not
    given (the plan waits), the first (most sparing) session."""

    #: empty in a draft: a patient whose condition is not chosen yet (name, notes, answers)
    conditions: Annotated[tuple[Ident, ...], Field(max_length=MAX_CONDITIONS)]
    session: Annotated[StrictInt, Field(ge=1, le=60)] = 1
    hernias: Annotated[tuple[HerniaModel, ...], Field(max_length=MAX_HERNIAS)] = ()
    scoliosis: Annotated[tuple[CurveModel, ...], Field(max_length=MAX_CURVES)] = ()
    lesions: Annotated[tuple[Ident, ...], Field(max_length=200)] = ()
    present: Annotated[tuple[Ident, ...], Field(max_length=200)] = ()
    #: ids answered at all (yes or no); missing: nothing answered yet
    answered: Annotated[tuple[Ident, ...], Field(max_length=200)] = ()
    #: what a doctor has cleared (gates.clearances_needed); missing: nothing
    cleared: Annotated[tuple[Ident, ...], Field(max_length=200)] = ()
    #: painful places marked on the map, in back coordinates (zones.svg user units)
    pain_points: Annotated[tuple[tuple[_Coord, _Coord], ...], Field(max_length=12)] = ()

    @field_validator("conditions")
    @classmethod
    def _distinct(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        if len(set(value)) != len(value):
            raise ValueError("a condition is listed twice")
        return value

    @field_validator("hernias")
    @classmethod
    def _hernias(cls, value: tuple[HerniaModel, ...]) -> tuple[HerniaModel, ...]:
        try:
            check_hernias([_hernia(h) for h in value], disc_levels())
        except UsageError as exc:
            raise ValueError(exc.message) from None
        return tuple(_hernia_model(h) for h in canonical_hernias(_hernia(h) for h in value))

    @field_validator("scoliosis")
    @classmethod
    def _curves(cls, value: tuple[CurveModel, ...]) -> tuple[CurveModel, ...]:
        try:
            check_curves([_curve(c) for c in value])
        except UsageError as exc:
            raise ValueError(exc.message) from None
        return tuple(_curve_model(c) for c in canonical_curves(_curve(c) for c in value))

    @field_validator("lesions", "present", "answered", "cleared")
    @classmethod
    def _canonical(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        return tuple(sorted(set(value)))

    @field_validator("pain_points")
    @classmethod
    def _rounded(cls, value: tuple[tuple[float, float], ...]) -> tuple[tuple[float, float], ...]:
        return tuple((round(x, 1), round(y, 1)) for x, y in value)


def _hernia(h: HerniaModel) -> Hernia:
    return Hernia(h.level, h.side, h.stage)


def _hernia_model(h: Hernia) -> HerniaModel:
    return HerniaModel.model_construct(level=h.level, side=h.side, stage=h.stage)


def _curve(c: CurveModel) -> Scoliosis:
    return Scoliosis(c.convex, c.grade, c.region)


def _curve_model(c: Scoliosis) -> CurveModel:
    return CurveModel.model_construct(convex=c.convex, grade=c.grade, region=c.region)


class PatientModel(_Model):
    """The patient's record: saved and autosaved, never planned from."""

    name: Annotated[StrictStr, Field(max_length=NAME_MAX_CHARS)] = ""
    notes: Annotated[StrictStr, Field(max_length=NOTES_MAX_CHARS)] = ""


class PlanDocument(_Model):
    """A plan file: ``{"format", "version", "patient": {...}, "profile": {...}}``."""

    format: Literal["bodymap-plan"] = FORMAT
    version: Annotated[StrictInt, Field(ge=VERSION, le=VERSION)] = VERSION  # true is not 1
    patient: PatientModel = PatientModel()
    profile: ProfileModel

    @model_validator(mode="before")
    @classmethod
    def _migrate(cls, data: Any) -> Any:
        """Older versions, read as version 3. Version 1 kept one ``condition`` (it becomes
        ``conditions``, lead only); versions 1 and 2 kept one ``hernia`` and one ``scoliosis``
        (each becomes a list of one, the hernia's stage not given, the curve over the whole
        back) and read a missing or null ``answered`` as "every question answered": it now
        reads as nothing answered (fail closed). The save stamp (``saved_at``) is the
        file's, not the document's: it is dropped."""
        if not isinstance(data, dict):
            return data
        data = {k: v for k, v in data.items() if k != "saved_at"}
        version = data.get("version")
        if type(version) is not int or version not in (1, 2):  # strict: true is not 1
            return data
        profile = data.get("profile")
        if isinstance(profile, dict):
            data["profile"] = migrate_profile(profile, version)
        data["version"] = VERSION
        return data

    # building -----------------------------------------------------------------------------
    @classmethod
    def new(cls, conditions: str | Iterable[str], *, session: int = 1,
            hernias: Iterable[FindingValue] = (), scoliosis: Iterable[FindingValue] = (),
            lesions: Iterable[str] = (), present: Iterable[str] = (),
            answered: Iterable[str] = (), cleared: Iterable[str] = (),
            pain_points: Iterable[tuple[float, float]] = (),
            name: str = "", notes: str = "") -> PlanDocument:
        """A document from plain values, validated like a file: ``hernias`` as
        :class:`~bodymap.findings.Hernia` or ``(level, side[, stage])``, ``scoliosis`` curves
        as :class:`~bodymap.findings.Scoliosis` or ``(convex, grade[, region])``. A new
        patient has answered nothing yet (fail-closed)."""
        lead_first = (conditions,) if isinstance(conditions, str) else tuple(conditions)
        return cls.model_validate({
            "patient": {"name": name, "notes": notes},
            "profile": {
                "conditions": lead_first, "session": session,
                "hernias": [_finding_dict(h, _HERNIA_KEYS) for h in hernias],
                "scoliosis": [_finding_dict(c, _CURVE_KEYS) for c in scoliosis],
                "lesions": tuple(lesions), "present": tuple(present),
                "answered": tuple(answered), "cleared": tuple(cleared),
                "pain_points": tuple((float(x), float(y)) for x, y in pain_points),
            },
        })

    @classmethod
    def draft(cls) -> PlanDocument:
        """A new patient with nothing chosen, given or answered yet."""
        return cls.new(())

    def with_profile(self, **changes: Any) -> PlanDocument:
        """A copy with profile fields replaced (plain values, as :meth:`new` takes them)."""
        profile = self.profile.model_dump()
        if "hernias" in changes:
            changes["hernias"] = [_finding_dict(h, _HERNIA_KEYS) for h in changes["hernias"]]
        if "scoliosis" in changes:
            changes["scoliosis"] = [_finding_dict(c, _CURVE_KEYS) for c in changes["scoliosis"]]
        return type(self).model_validate({**self.model_dump(), "profile": {**profile,
                                                                          **changes}})

    def with_record(self, name: str, notes: str) -> PlanDocument:
        """A copy with the patient's name and notes replaced (the profile is untouched)."""
        return type(self).model_validate({**self.model_dump(),
                                          "patient": {"name": name, "notes": notes}})

    # reading ------------------------------------------------------------------------------
    @property
    def conditions(self) -> tuple[str, ...]:
        return self.profile.conditions

    @property
    def condition(self) -> str:
        """The lead condition: it gives the session's structure and course ("" in a draft)."""
        return self.profile.conditions[0] if self.profile.conditions else ""

    @property
    def is_draft(self) -> bool:
        """No condition is chosen yet: there is nothing to plan."""
        return not self.profile.conditions

    @property
    def patient_name(self) -> str:
        return self.patient.name

    @property
    def notes(self) -> str:
        return self.patient.notes

    @property
    def pain_points(self) -> tuple[tuple[float, float], ...]:
        return self.profile.pain_points

    def to_profile(self) -> Profile:
        """The planner's :class:`~bodymap.planner.Profile` for this document."""
        from bodymap.planner import Profile

        p = self.profile
        if not p.conditions:
            raise UsageError("no condition is chosen yet", field="profile.conditions",
                             expected="at least one condition")
        return Profile(
            condition=p.conditions[0],
            further=p.conditions[1:],
            session=p.session,
            hernias=tuple(_hernia(h) for h in p.hernias),
            curves=tuple(_curve(c) for c in p.scoliosis),
            lesions=frozenset(p.lesions),
            present=frozenset(p.present),
            answered=frozenset(p.answered),
            cleared=frozenset(p.cleared),
            pain_points=p.pain_points,
        )

    def to_json(self) -> dict[str, Any]:
        return self.model_dump(mode="json")

    @classmethod
    def from_json(cls, data: object, path: Path | str = "<plan>") -> PlanDocument:
        if isinstance(data, dict) and data.get("format") == FORMAT:
            version = data.get("version")
            if isinstance(version, int) and version > VERSION:
                raise DataFileError(
                    f"was written by a newer bodymap (format version {version})",
                    path=path,
                    field="version",
                    expected=f"version {VERSION} or older; update bodymap to open it",
                )
        try:
            return cls.model_validate(data)
        except ValidationError as exc:
            raise _validation_error(exc, path) from None

    def checked(self, library: Any, geometry: Any, path: Path | str = "<plan>") -> PlanDocument:
        """This document against the protocols and the drawing it will be planned with: every
        id known, the session inside the lead condition's course, pain points on the back.
        Zone lesions become their halves. Problems raise DataFileError naming the field."""
        from bodymap.gates import clearance_ids

        p = self.profile
        for i, cid in enumerate(p.conditions):
            if cid not in library.conditions:
                raise DataFileError(f"unknown condition '{cid}'", path=path,
                                    field=f"profile.conditions[{i}]",
                                    expected="one of " + ", ".join(sorted(library.conditions)))
        sessions = library.conditions[p.conditions[0]].course.sessions if p.conditions else 1
        if not 1 <= p.session <= sessions:
            raise DataFileError(f"session {p.session} is outside the course", path=path,
                                field="profile.session", expected=f"1..{sessions}")
        for name in ("present", "answered"):
            for cid in getattr(p, name):
                if cid not in library.contraindications:
                    raise DataFileError(f"unknown contraindication '{cid}'", path=path,
                                        field=f"profile.{name}",
                                        expected="an id from 'bodymap contraindications'")
        known = clearance_ids(library)
        for cid in p.cleared:
            if cid not in known:
                raise DataFileError(f"'{cid}' is not something a doctor clears here", path=path,
                                    field="profile.cleared",
                                    expected="one of " + ", ".join(sorted(known)))
        minx, miny, maxx, maxy = geometry.bounds
        for x, y in p.pain_points:
            if not (minx <= x <= maxx and miny <= y <= maxy):
                raise DataFileError(f"painful place ({x:g}, {y:g}) lies outside the back",
                                    path=path, field="profile.pain_points",
                                    expected="points inside the drawing of the back")
        for i, h in enumerate(p.hernias):
            if h.level not in geometry.disc_levels:
                raise DataFileError(f"unknown disc level '{h.level}'", path=path,
                                    field=f"profile.hernias.{i}.level",
                                    expected="a level such as L4-L5")
        return self.with_profile(lesions=_halves_of(p.lesions, geometry, path))


#: a finding as :meth:`PlanDocument.new` takes it: the dataclass, a tuple or a mapping
FindingValue = Hernia | Scoliosis | tuple[Any, ...] | dict[str, Any]
_HERNIA_KEYS = ("level", "side", "stage")
_CURVE_KEYS = ("convex", "grade", "region")


def _finding_dict(value: FindingValue, keys: tuple[str, ...]) -> Any:
    """A finding as the file's mapping (anything else is left for the validator to name)."""
    if isinstance(value, Hernia | Scoliosis):
        return {k: getattr(value, k) for k in keys}
    if isinstance(value, tuple):
        return dict(zip(keys, value, strict=False))
    return value


def migrate_profile(profile: dict[str, Any], version: int) -> dict[str, Any]:
    """A version 1 or 2 profile as version 3 (see :meth:`PlanDocument._migrate`)."""
    profile = dict(profile)
    if version == 1 and "condition" in profile and "conditions" not in profile:
        profile["conditions"] = [profile.pop("condition")]
    # one ``hernia`` and one ``scoliosis`` become lists of one (the stage not given, the curve
    # over the whole back); a null ``answered`` ("every question answered") reads as nothing
    # answered. A profile already in version 3's shape comes back unchanged (the course
    # records read findings through this too).
    if "hernia" in profile and "hernias" not in profile:
        hernia = profile.pop("hernia")
        profile["hernias"] = [] if hernia is None else [hernia]
    if "scoliosis" in profile and isinstance(profile["scoliosis"], dict | None):
        curve = profile["scoliosis"]
        profile["scoliosis"] = [] if curve is None else [curve]
    if profile.get("answered", ()) is None:
        profile["answered"] = []
    return profile


def _halves_of(lesions: Iterable[str], geometry: Any, path: Path | str) -> tuple[str, ...]:
    halves: list[str] = []
    for z in lesions:
        if z in geometry.ZONES:
            halves += list(geometry.halves(z))
        elif z in geometry.regions and geometry.regions[z].kind == "half":
            halves.append(z)
        else:
            raise DataFileError(f"unknown zone '{z}'", path=path, field="profile.lesions",
                                expected="zone or zone-half ids such as collar-left")
    return tuple(dict.fromkeys(halves))


def _validation_error(exc: ValidationError, path: Path | str) -> DataFileError:
    first = exc.errors()[0]
    where = ".".join(str(part) for part in first["loc"]) or "(document)"
    return DataFileError(first["msg"], path=path, field=where, expected=_expected(first))


def _expected(error: Any) -> str | None:
    ctx = error.get("ctx") or {}
    if "expected" in ctx:
        return str(ctx["expected"])
    if error["type"] == "missing":
        return "this field to be present"
    if error["type"] == "extra_forbidden":
        return "no such field"
    return expected_for(error)


# ---------------------------------------------------------------------------------------------
# Reading and writing


def load_document(path: Path | str) -> PlanDocument:
    """Read a plan file; any problem raises DataFileError naming the file and the field."""
    path = Path(path)
    raw = read_bytes_bounded(path, _MAX_BYTES)  # a regular file, at most 5 MB
    if not raw.strip():
        raise DataFileError("the file is empty", path=path, expected="a bodymap plan (JSON)")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise DataFileError(
            "is not a text file", path=path, expected="a bodymap plan (UTF-8 JSON)"
        ) from None
    data = parse_json(text, path, expected="a bodymap plan (JSON)")
    return PlanDocument.from_json(data, path)


def save_document(doc: PlanDocument, path: Path | str) -> Path:
    """Save atomically: temporary file, flush, fsync, rename. Returns the path written.

    A new file is owner-only (0600: it holds a patient's record); a read-only file or another
    account's is refused (FileWriteError saying why), never replaced."""
    payload = dict(doc.to_json(), saved_at=datetime.now(UTC).isoformat(timespec="seconds"))
    check_savable(payload, path)
    check_replaceable(path)
    text = json.dumps(payload, ensure_ascii=False, indent=2) + "\n"
    return atomic_write_text(Path(path), text, private=True)


def check_savable(payload: Mapping[str, Any], path: Path | str) -> None:
    """Refuse to write what :func:`load_document` would refuse to read back (a FileWriteError,
    so a window that handles failed saves as OSError shows it like a full disk)."""
    try:
        PlanDocument.model_validate(payload)
    except ValidationError as exc:
        err = _validation_error(exc, path)
        raise FileWriteError(f"was not saved: {err.message}", path=path, field=err.field,
                             expected=err.expected) from None


def clean_stale_saves(paths: Iterable[Path | str]) -> list[Path]:
    """At start: remove temporary files that killed saves left beside these files (the recent
    documents) and in the autosave folder. Returns what was removed."""
    from bodymap.autosave import autosave_dir

    folders = [Path(p).parent for p in paths] + [autosave_dir()]
    return clean_stale_temps(folders)

