"""Load and validate the protocol library: techniques, contraindications, conditions.

Shipped protocols come from ``resource_path("protocols")``; the user's own condition files from
``<user data dir>/protocols`` (``platformdirs.user_data_dir("bodymap")``, or ``$BODYMAP_USER_DIR``
when set) are read afterwards and override a shipped condition with the same id.

Loading is all-or-nothing per file: a file either validates completely or contributes nothing.
A broken shipped file is an installation error (:class:`DataFileError` is raised); a broken
user file is recorded in :attr:`Library.problems` and skipped.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from bodymap.errors import BodymapError, DataFileError
from bodymap.library_cache import Shipped
from bodymap.overrides import loosenings, with_shipped_cautions
from bodymap.protocol_files import (  # noqa: F401  (re-exported: where the files are)
    CONDITIONS_DIR,
    CONTRA_FILE,
    REGISTRIES,
    SAFEGUARDS_FILE,
    TECHNIQUES_FILE,
    check_condition_id,
    readable_dir,
    shipped_dir,
    user_data_dir,
    user_files_and_problems,
    user_protocol_dir,
)
from bodymap.protocol_files import condition_files as _condition_files
from bodymap.safeguard_schema import Safeguard, SafeguardRegistry
from bodymap.safeio import kind_problem, parse_toml, read_text_bounded
from bodymap.schema import (
    Cited,
    Condition,
    Contraindication,
    ContraRegistry,
    Direction,
    NoTouchRule,
    Technique,
    TechniqueRegistry,
)
from bodymap.schema_errors import expected_for, field_path

_MAX_BYTES = 1024 * 1024


@dataclass
class Library:
    """All techniques, contraindications and conditions, validated."""

    techniques: Mapping[str, Technique]
    directions: Mapping[str, Direction]
    contraindications: Mapping[str, Contraindication]
    no_touch_rules: Mapping[str, NoTouchRule]
    cautions: tuple[Cited, ...]
    evidence: tuple[Cited, ...]
    conditions: Mapping[str, Condition]
    problems: list[BodymapError] = field(default_factory=list)
    #: the file each condition came from
    origins: Mapping[str, Path] = field(default_factory=dict)
    #: rules that protect a body area whatever the condition (safeguards.toml)
    safeguards: Mapping[str, Safeguard] = field(default_factory=dict)
    #: the shipped file of each shipped condition (a user's file with its id overrides it)
    shipped_origins: Mapping[str, Path] = field(default_factory=dict)

    def protocol_source(self, condition_id: str) -> str:
        """``"shipped"``, or the path of the user's file the condition comes from."""
        origin = self.origins.get(condition_id)
        if origin is None or origin == self.shipped_origins.get(condition_id):
            return "shipped"
        return str(origin)

    @property
    def overrides(self) -> dict[str, Path]:
        """Shipped conditions a user's own file overrides: id -> the user's file."""
        return {cid: path for cid, path in self.origins.items()
                if cid in self.shipped_origins and path != self.shipped_origins[cid]}

    def condition(self, condition_id: str) -> Condition:
        from bodymap.errors import UsageError, shown

        try:
            return self.conditions[condition_id]
        except KeyError:
            raise UsageError(
                f"unknown condition '{shown(condition_id)}'",
                expected="one of " + ", ".join(sorted(self.conditions)),
            ) from None


# ---------------------------------------------------------------------------------------------
# reading one file


def read_toml(path: Path) -> dict[str, Any]:
    """Read a TOML file; every failure becomes one :class:`DataFileError` naming the file.

    Only a regular file is read, and at most 1 MB of it (:mod:`bodymap.safeio`): a FIFO, a
    device or a link loop in the user folder is named and skipped, never waited on.
    """
    text = read_text_bounded(path, _MAX_BYTES, expected="a TOML text file in UTF-8",
                             content="a protocol in TOML")
    return parse_toml(text, path)


def _errors(path: Path, exc: ValidationError) -> list[DataFileError]:
    out = []
    for err in exc.errors(include_url=False):
        loc = tuple(p for p in err.get("loc", ()) if not _is_union_tag(p))
        out.append(
            DataFileError(
                err.get("msg", "invalid"),
                path=path,
                field=field_path(loc) or "(file)",
                expected=expected_for(err),
            )
        )
    return out


def _is_union_tag(part: Any) -> bool:
    return isinstance(part, str) and ("[" in part or part.startswith("function-"))


class FileProblemsError(DataFileError):
    """Several problems in one file; ``problems`` holds each as its own DataFileError."""

    def __init__(self, problems: list[DataFileError]) -> None:
        self.problems = problems
        first = problems[0]
        super().__init__(
            first.message, path=first.path, field=first.field, expected=first.expected
        )


_M = TypeVar("_M", bound=BaseModel)


def _validate(model: type[_M], path: Path, data: Any,
              context: dict[str, Any] | None = None) -> _M:
    try:
        return model.model_validate(data, context=context)
    except ValidationError as exc:
        raise FileProblemsError(_errors(path, exc)) from None


def load_techniques(path: Path) -> TechniqueRegistry:
    return _validate(TechniqueRegistry, path, read_toml(path))


def load_contraindications(path: Path, techniques: TechniqueRegistry) -> ContraRegistry:
    return _validate(ContraRegistry, path, read_toml(path), {"techniques": techniques})


def load_safeguards(path: Path, techniques: TechniqueRegistry) -> SafeguardRegistry:
    return _validate(SafeguardRegistry, path, read_toml(path), {"techniques": techniques})


def load_condition(path: Path, techniques: TechniqueRegistry) -> Condition:
    cond = _validate(Condition, path, read_toml(path), {"techniques": techniques})
    if cond.id != path.stem:
        raise FileProblemsError(
            [
                DataFileError(
                    f"'{cond.id}' does not match the file name",
                    path=path,
                    field="id",
                    expected=f"'{path.stem}' (the file is <id>.toml)",
                )
            ]
        )
    return cond


def load_user_condition(path: Path, techniques: TechniqueRegistry) -> Condition:
    """A user's condition file: any failure at all is one DataFileError naming the file.

    A user file is hostile input: whatever goes wrong in it (including what a parser or a
    validator was never meant to meet) must skip that file, never stop the program.
    """
    try:
        return load_condition(path, techniques)
    except DataFileError:
        raise
    except Exception as exc:  # one bad file must never break the rest
        raise unexpected_problem(path, exc) from None


def unexpected_problem(path: Path, exc: BaseException) -> DataFileError:
    """What a parser or validator raised that it should not have, as one line naming the file."""
    if isinstance(exc, RecursionError | MemoryError):
        return DataFileError("nests too deeply or is too large to read", path=path,
                             expected="a protocol in TOML")
    detail = str(exc).splitlines()[0][:200] if str(exc) else ""
    return DataFileError(f"cannot be read ({type(exc).__name__}: {detail})", path=path,
                         expected="a protocol in TOML")


def problems_of(exc: DataFileError) -> list[DataFileError]:
    return list(exc.problems) if isinstance(exc, FileProblemsError) else [exc]


# ---------------------------------------------------------------------------------------------
# the library

_DEFAULT: Any = object()


def read_shipped(base: Path) -> Shipped:
    """Read and validate a shipped protocol folder: its registries and condition files."""
    techniques = load_techniques(base / TECHNIQUES_FILE)
    contra = load_contraindications(base / CONTRA_FILE, techniques)
    guards = load_safeguards(base / SAFEGUARDS_FILE, techniques)
    conditions: dict[str, tuple[Condition, str]] = {}
    for path in _condition_files(base):
        cond = load_condition(path, techniques)
        if cond.id in conditions:
            raise DataFileError(
                f"condition '{cond.id}' is defined twice", path=path, field="id",
                expected="one file per condition",
            )
        conditions[cond.id] = (cond, path.relative_to(base).as_posix())
    return Shipped(techniques, contra, guards, conditions)


def load_library(user_dir: Path | None = _DEFAULT, shipped: Path | None = None,
                 use_cache: bool = True) -> Library:
    """Shipped protocols, then the user's condition files (``None``: no user folder).

    The shipped part comes from its validated cache (:mod:`bodymap.library_cache`) while that
    matches the files, else from the files themselves (``use_cache=False``: always the files).
    """
    base = shipped or shipped_dir()
    read = None
    if use_cache:
        from bodymap import library_cache

        read = library_cache.read(base)
    if read is None:
        read = read_shipped(base)
    techniques, contra, guards = read.techniques, read.contraindications, read.safeguards
    conditions: dict[str, Condition] = {cid: cond for cid, (cond, _) in read.conditions.items()}
    origins: dict[str, Path] = {cid: base / rel for cid, (_, rel) in read.conditions.items()}
    shipped_origins = dict(origins)

    problems: list[BodymapError] = []
    if user_dir is _DEFAULT:
        user_dir = user_protocol_dir()
    if user_dir is not None and readable_dir(user_dir, problems):
        users: dict[str, Path] = {}
        found, unreadable = user_files_and_problems(user_dir)
        problems.extend(unreadable)  # named, and the shipped protocols still load
        for path in found:
            try:
                cond = load_user_condition(path, techniques)
            except DataFileError as exc:
                problems.extend(problems_of(exc))
                continue
            if cond.id in users:
                problems.append(DataFileError(
                    f"condition '{cond.id}' is already defined by {users[cond.id]}, which is "
                    "used", path=path, field="id", expected="one user file per condition id"))
                continue
            shipped_cond = read.conditions.get(cond.id)
            if shipped_cond is not None:
                loose = loosenings(shipped_cond[0], cond, path, _registry_view(techniques))
                if loose:  # the file is skipped: the shipped condition stays in force
                    problems.extend(loose)
                    continue
                cond = with_shipped_cautions(shipped_cond[0], cond)
            users[cond.id] = path
            conditions[cond.id] = cond  # a user file overrides a shipped one (tighter only)
            origins[cond.id] = path

    return Library(
        techniques={t.id: t for t in techniques.technique},
        directions={d.id: d for d in techniques.direction},
        contraindications={c.id: c for c in contra.contraindication},
        no_touch_rules={r.id: r for r in contra.no_touch},
        cautions=tuple(contra.caution),
        evidence=tuple(contra.evidence),
        conditions=dict(sorted(conditions.items())),
        problems=problems,
        origins=origins,
        shipped_origins=shipped_origins,
        safeguards={g.id: g for g in guards.safeguard},
    )


def _registry_view(techniques: TechniqueRegistry) -> Any:
    """What the override check reads of a library: the techniques by id."""
    class _View:
        def __init__(self) -> None:
            self.techniques = {t.id: t for t in techniques.technique}

    return _View()


# ---------------------------------------------------------------------------------------------
# bodymap validate


def validate_paths(paths: Iterable[Path],
                   notes: list[str] | None = None) -> tuple[int, list[DataFileError]]:
    """Validate protocol files and folders; returns (files checked, problems).

    A folder may hold ``techniques.toml``, ``contraindications.toml``, ``conditions/*.toml`` and
    loose condition files. Registries a folder lacks are taken from the shipped protocols. A
    condition file with a shipped condition's id is an override: it may tighten the shipped
    condition, never loosen it (each loosening is a problem naming the field), and ``notes``
    gets a line naming it ("<file>: overrides the shipped hernia").
    """
    checked = 0
    problems: list[DataFileError] = []
    shipped_library: Library | None = None
    shipped_techniques: TechniqueRegistry | None = None

    def base_techniques() -> TechniqueRegistry:
        nonlocal shipped_techniques
        if shipped_techniques is None:
            shipped_techniques = load_techniques(shipped_dir() / TECHNIQUES_FILE)
        return shipped_techniques

    for root in paths:
        why = kind_problem(root)
        if why is not None and why != "is a folder, not a file":
            problems.append(DataFileError(why, path=root, expected="a file or folder"))
            continue
        folder = root if root.is_dir() else root.parent
        found, unreadable = user_files_and_problems(root) if root.is_dir() else ([root], [])
        problems.extend(unreadable)
        top_unreadable = any(p.path == root for p in unreadable)
        files = (
            [f for f in (root / TECHNIQUES_FILE, root / CONTRA_FILE, root / SAFEGUARDS_FILE)
             if f.is_file()] + found
            if root.is_dir() and not top_unreadable
            else found
        )
        techniques: TechniqueRegistry | None = None
        local = folder / TECHNIQUES_FILE
        for path in files:
            checked += 1
            try:
                if path.name == TECHNIQUES_FILE:
                    techniques = load_techniques(path)
                    continue
                if techniques is None:
                    try:
                        techniques = (
                            load_techniques(local) if local.is_file() else base_techniques()
                        )
                    except DataFileError:
                        techniques = base_techniques()
                if path.name == CONTRA_FILE:
                    load_contraindications(path, techniques)
                elif path.name == SAFEGUARDS_FILE:
                    load_safeguards(path, techniques)
                else:
                    cond = load_user_condition(path, techniques)
                    if shipped_library is None:
                        shipped_library = load_library(None)
                    problems += _override_check(cond, path, shipped_library, notes)
            except DataFileError as exc:
                problems.extend(problems_of(exc))
            except Exception as exc:  # a registry in a user folder: the same rule
                problems.append(unexpected_problem(path, exc))
    return checked, problems


def _override_check(cond: Condition, path: Path, shipped: Library,
                    notes: list[str] | None) -> list[DataFileError]:
    """A user file with a shipped id: its loosenings, and a note that it overrides."""
    origin = shipped.shipped_origins.get(cond.id)
    if origin is None or _same_file(origin, path):
        return []
    if notes is not None:
        notes.append(f"{path}: overrides the shipped {cond.id} (it may tighten it, never "
                     "loosen it)")
    return loosenings(shipped.conditions[cond.id], cond, path, shipped)


def _same_file(a: Path, b: Path) -> bool:
    try:
        return a.resolve() == b.resolve()
    except OSError:
        return False


def default_validate_paths() -> list[Path]:
    paths = [shipped_dir()]
    user = user_protocol_dir()
    unreadable: list[BodymapError] = []
    if readable_dir(user, unreadable) or unreadable:
        paths.append(user)  # an unreadable one too: validate names it
    return paths


# ---------------------------------------------------------------------------------------------
# bodymap --condition ID (before any window opens)
