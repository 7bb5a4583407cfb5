"""Plan documents: a patient's profile and notes, saved as versioned JSON.

Saving never loses data: the new content goes to a temporary file in the same folder, is
flushed and fsync'ed, then atomically renamed over the old file (os.replace). A crash at any
moment leaves either the old file or the new one, never a half-written mix.

Autosave keeps a copy of unsaved work in the user's data folder; after a crash the app offers
to recover it (see :class:`AutosaveStore`).

The format (``"format": "bodymap-plan"``, ``"version": 1``) is validated with pydantic, so a
malformed file gets an error naming the file and the field, and nothing is half-loaded.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, Strict, ValidationError

from bodymap.errors import DataFileError, FileWriteError
from bodymap.safeio import (
    atomic_write_text,
    clean_stale_temps,
    parse_json,
    read_bytes_bounded,
    read_text_bounded,
)
from bodymap.schema import expected_for

FORMAT = "bodymap-plan"
VERSION = 1
SUFFIX = ".bodymap.json"
_MAX_BYTES = 5 * 1024 * 1024
#: the longest patient name and notes: the window stops typing there (with a visible count),
#: save refuses more, and load reads back anything up to it
NAME_MAX_CHARS = 200
NOTES_MAX_CHARS = 20_000


# ---------------------------------------------------------------------------------------------
# The file format


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


# Strict types (issue 11): a quoted number or a boolean is not a number, numbers are finite.
_Str = Annotated[str, Strict()]
_Id = Annotated[str, Strict(), Field(min_length=1, max_length=64)]
_Ids = Annotated[list[_Id], Field(max_length=200)]
_Coord = Annotated[float, Strict(), Field(allow_inf_nan=False, ge=-10_000, le=10_000)]


class HerniaModel(_Model):
    level: Annotated[str, Strict(), Field(min_length=2, max_length=8)]
    side: Literal["left", "right", "central"] = "central"


class ScoliosisModel(_Model):
    convex: Literal["left", "right"]
    grade: Annotated[int, Strict(), Field(ge=1, le=4)]


class ProfileModel(_Model):
    condition: _Id
    session: Annotated[int, Strict(), Field(ge=1, le=60)] = 1
    hernia: HerniaModel | None = None
    scoliosis: ScoliosisModel | None = None
    lesions: _Ids = []
    present: _Ids = []
    answered: _Ids | None = None
    pain_points: Annotated[list[tuple[_Coord, _Coord]], Field(max_length=12)] = []


class PatientModel(_Model):
    name: Annotated[str, Strict(), Field(max_length=NAME_MAX_CHARS)] = ""
    notes: Annotated[str, Strict(), Field(max_length=NOTES_MAX_CHARS)] = ""


class DocumentModel(_Model):
    format: Literal["bodymap-plan"]
    version: Annotated[int, Strict(), Field(ge=1, le=VERSION)]
    patient: PatientModel = PatientModel()
    profile: ProfileModel
    saved_at: _Str | None = None


# ---------------------------------------------------------------------------------------------
# The in-memory document


@dataclass(frozen=True)
class PlanDocument:
    """What a plan file holds. Plain data: the planner turns ``profile`` into a plan."""

    condition: str
    session: int = 1
    hernia: tuple[str, str] | None = None  # (level, side)
    scoliosis: tuple[str, int] | None = None  # (convex side, grade)
    lesions: tuple[str, ...] = ()
    present: tuple[str, ...] = ()
    answered: tuple[str, ...] | None = None  # None: the whole checklist was answered
    pain_points: tuple[tuple[float, float], ...] = ()  # map coordinates (zones.svg units)
    patient_name: str = ""
    notes: str = ""

    def to_json(self) -> dict:
        profile: dict = {"condition": self.condition, "session": self.session}
        if self.hernia:
            profile["hernia"] = {"level": self.hernia[0], "side": self.hernia[1]}
        if self.scoliosis:
            profile["scoliosis"] = {"convex": self.scoliosis[0], "grade": self.scoliosis[1]}
        profile["lesions"] = sorted(self.lesions)
        profile["present"] = sorted(self.present)
        profile["answered"] = None if self.answered is None else sorted(self.answered)
        profile["pain_points"] = [[round(x, 1), round(y, 1)] for x, y in self.pain_points]
        return {
            "format": FORMAT,
            "version": VERSION,
            "patient": {"name": self.patient_name, "notes": self.notes},
            "profile": profile,
        }

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
            model = DocumentModel.model_validate(data)
        except ValidationError as exc:
            raise _validation_error(exc, path) from None
        p = model.profile
        return cls(
            condition=p.condition,
            session=p.session,
            hernia=(p.hernia.level, p.hernia.side) if p.hernia else None,
            scoliosis=(p.scoliosis.convex, p.scoliosis.grade) if p.scoliosis else None,
            lesions=tuple(p.lesions),
            present=tuple(p.present),
            answered=None if p.answered is None else tuple(p.answered),
            pain_points=tuple((float(x), float(y)) for x, y in p.pain_points),
            patient_name=model.patient.name,
            notes=model.patient.notes,
        )


def _validation_error(exc: ValidationError, path: Path | str) -> DataFileError:
    first = exc.errors()[0]
    where = ".".join(str(part) for part in first["loc"]) or "(document)"
    return DataFileError(first["msg"], path=path, field=where, expected=_expected(first))


def _expected(error: dict) -> str | None:
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
    """Save atomically: temporary file, flush, fsync, rename. Returns the path written."""
    payload = dict(doc.to_json(), saved_at=datetime.now(UTC).isoformat(timespec="seconds"))
    check_savable(payload, path)
    text = json.dumps(payload, ensure_ascii=False, indent=2) + "\n"
    return atomic_write_text(Path(path), text)


def check_savable(payload: dict, path: Path | str) -> None:
    """Refuse to write what :func:`load_document` would refuse to read back (a FileWriteError,
    so a window that handles failed saves as OSError shows it like a full disk)."""
    try:
        DocumentModel.model_validate(payload)
    except ValidationError as exc:
        err = _validation_error(exc, path)
        raise FileWriteError(f"was not saved: {err.message}", path=path, field=err.field,
                             expected=err.expected) from None


# ---------------------------------------------------------------------------------------------
# Autosave and recovery


@dataclass(frozen=True)
class Recoverable:
    """Unsaved work found after a crash."""

    autosave: Path
    original: Path | None  # the document it belongs to, or None for an untitled plan
    document: PlanDocument
    saved_at: str


@dataclass
class AutosaveStore:
    """Autosave copies in ``folder``: one per open document, removed on a clean save or close."""

    folder: Path
    problems: list[DataFileError] = field(default_factory=list)

    def key_for(self, original: Path | None) -> str:
        if original is None:
            return "untitled"
        digest = hashlib.sha1(str(Path(original).resolve()).encode("utf-8")).hexdigest()[:12]
        return f"doc-{digest}"

    def path_for(self, original: Path | None) -> Path:
        return self.folder / f"{self.key_for(original)}.autosave.json"

    def write(self, doc: PlanDocument, original: Path | None) -> Path:
        payload = {
            "original": str(original) if original else None,
            "saved_at": datetime.now(UTC).isoformat(timespec="seconds"),
            "document": doc.to_json(),
        }
        check_savable(payload["document"], self.path_for(original))
        text = json.dumps(payload, ensure_ascii=False, indent=2) + "\n"
        return atomic_write_text(self.path_for(original), text)

    def discard(self, original: Path | None) -> None:
        with contextlib.suppress(FileNotFoundError):
            self.path_for(original).unlink()

    def pending(self) -> list[Recoverable]:
        """Autosaves left behind (by a crash). Unreadable ones are moved aside and reported.

        Never raises: whatever is in the folder, start-up goes on and autosave starts. Stale
        temporary files of killed saves (holding patient text) are removed first.
        """
        clean_stale_temps([self.folder])
        found: list[Recoverable] = []
        for path in sorted(self._files()):
            try:
                found.append(self._read(path))
            except Exception as exc:  # any unreadable autosave: report it, move it aside
                self._set_aside(path, exc)
        return found

    def _read(self, path: Path) -> Recoverable:
        payload = parse_json(
            read_text_bounded(path, _MAX_BYTES, expected="a bodymap autosave (UTF-8 JSON)"),
            path, expected="a bodymap autosave (JSON)",
        )
        if not isinstance(payload, dict) or not isinstance(payload.get("document"), dict):
            raise DataFileError("is not a bodymap autosave", path=path, field="document",
                                expected="a table with the plan")
        doc = PlanDocument.from_json(payload["document"], path)
        original = payload.get("original")
        saved_at = payload.get("saved_at")
        if not isinstance(original, str | None) or not isinstance(saved_at, str | None):
            raise DataFileError("is not a bodymap autosave", path=path,
                                field="original" if not isinstance(original, str | None)
                                else "saved_at", expected="a text")
        return Recoverable(path, Path(original) if original else None, doc, saved_at or "")

    def _set_aside(self, path: Path, exc: Exception) -> None:
        if isinstance(exc, DataFileError):
            problem = exc
        else:
            detail = str(exc).splitlines()[0][:200] if str(exc) else type(exc).__name__
            problem = DataFileError(f"autosave is unreadable ({detail})", path=path)
        aside = path.with_suffix(".corrupt")
        try:
            path.replace(aside)
            message = f"{problem} -- moved aside to {aside.name}"
        except OSError as move_exc:
            message = f"{problem} -- could not be moved aside ({move_exc.strerror})"
        self.problems.append(DataFileError(message))

    def _files(self) -> Iterator[Path]:
        with contextlib.suppress(OSError):
            if self.folder.is_dir():
                yield from self.folder.glob("*.autosave.json")


def autosave_dir() -> Path:
    """Where autosaves live: ``<user data dir>/autosave`` (``$BODYMAP_USER_DIR`` wins, as for
    protocols and progress)."""
    from bodymap.library import user_data_dir

    return user_data_dir() / "autosave"


def clean_stale_saves(paths: Iterable[Path | str]) -> list[Path]:
    """At start: remove temporary files that killed saves left beside these files (the recent
    documents) and in the autosave folder. Returns what was removed."""
    folders = [Path(p).parent for p in paths] + [autosave_dir()]
    return clean_stale_temps(folders)
