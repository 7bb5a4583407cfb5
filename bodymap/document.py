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
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from bodymap.errors import DataFileError
from bodymap.safeio import atomic_write_text

FORMAT = "bodymap-plan"
VERSION = 1
SUFFIX = ".bodymap.json"
_MAX_BYTES = 5 * 1024 * 1024


# ---------------------------------------------------------------------------------------------
# The file format


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class HerniaModel(_Model):
    level: Annotated[str, Field(min_length=2, max_length=8)]
    side: Literal["left", "right", "central"] = "central"


class ScoliosisModel(_Model):
    convex: Literal["left", "right"]
    grade: Annotated[int, Field(ge=1, le=4)]


class ProfileModel(_Model):
    condition: Annotated[str, Field(min_length=1, max_length=64)]
    session: Annotated[int, Field(ge=1, le=60)] = 1
    hernia: HerniaModel | None = None
    scoliosis: ScoliosisModel | None = None
    lesions: list[str] = []
    present: list[str] = []
    answered: list[str] | None = None
    pain_points: Annotated[list[tuple[float, float]], Field(max_length=12)] = []


class PatientModel(_Model):
    name: Annotated[str, Field(max_length=200)] = ""
    notes: Annotated[str, Field(max_length=20_000)] = ""


class DocumentModel(_Model):
    format: Literal["bodymap-plan"]
    version: Literal[1]
    patient: PatientModel = PatientModel()
    profile: ProfileModel
    saved_at: str | None = None


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
    return None


# ---------------------------------------------------------------------------------------------
# Reading and writing


def load_document(path: Path | str) -> PlanDocument:
    """Read a plan file; any problem raises DataFileError naming the file and the field."""
    path = Path(path)
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise DataFileError("the file does not exist", path=path) from None
    except OSError as exc:
        raise DataFileError(f"cannot be read ({exc.strerror})", path=path) from None
    if len(raw) > _MAX_BYTES:
        raise DataFileError("is too large for a plan file", path=path, expected="under 5 MB")
    if not raw.strip():
        raise DataFileError("the file is empty", path=path, expected="a bodymap plan (JSON)")
    try:
        data = json.loads(raw.decode("utf-8"))
    except UnicodeDecodeError:
        raise DataFileError(
            "is not a text file", path=path, expected="a bodymap plan (UTF-8 JSON)"
        ) from None
    except json.JSONDecodeError as exc:
        raise DataFileError(
            f"is not valid JSON (line {exc.lineno}, column {exc.colno}: {exc.msg})",
            path=path,
            expected="a bodymap plan (JSON)",
        ) from None
    return PlanDocument.from_json(data, path)


def save_document(doc: PlanDocument, path: Path | str) -> Path:
    """Save atomically: temporary file, flush, fsync, rename. Returns the path written."""
    payload = dict(doc.to_json(), saved_at=datetime.now(UTC).isoformat(timespec="seconds"))
    text = json.dumps(payload, ensure_ascii=False, indent=2) + "\n"
    return atomic_write_text(Path(path), text)


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
        text = json.dumps(payload, ensure_ascii=False, indent=2) + "\n"
        return atomic_write_text(self.path_for(original), text)

    def discard(self, original: Path | None) -> None:
        with contextlib.suppress(FileNotFoundError):
            self.path_for(original).unlink()

    def pending(self) -> list[Recoverable]:
        """Autosaves left behind (by a crash). Unreadable ones are moved aside and reported."""
        found: list[Recoverable] = []
        for path in sorted(self._files()):
            try:
                payload = json.loads(path.read_text(encoding="utf-8"))
                doc = PlanDocument.from_json(payload["document"], path)
                original = Path(payload["original"]) if payload.get("original") else None
                found.append(Recoverable(path, original, doc, str(payload.get("saved_at", ""))))
            except (OSError, ValueError, KeyError, TypeError, DataFileError) as exc:
                self.problems.append(
                    exc
                    if isinstance(exc, DataFileError)
                    else DataFileError(f"autosave is unreadable ({exc})", path=path)
                )
                with contextlib.suppress(OSError):
                    path.replace(path.with_suffix(".corrupt"))
        return found

    def _files(self) -> Iterator[Path]:
        if self.folder.is_dir():
            yield from self.folder.glob("*.autosave.json")
