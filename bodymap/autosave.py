"""Autosave and crash recovery: copies of unsaved work, and which of them a start offers.

Every running copy of bodymap writes its unsaved work to ``<user data>/autosave/`` (owner-only:
the folder ``0700``, each file ``0600``), one file per open document and process:
``untitled.<pid>.autosave.json`` or ``doc-<hash of the path>.<pid>.autosave.json``. A clean
save or close removes it; a crash leaves it.

**Whose is it?** While a copy runs it holds an exclusive lock (``filelock``: ``flock`` on POSIX,
``LockFileEx`` on Windows) on ``.bodymap-<pid>.lock`` in the same folder. The system releases
the lock when the process ends, however it ends. So an autosave is another running copy's
work exactly when its lock is held; a process number reused after a reboot holds no lock and
hides nothing. Autosaves of older bodymaps (no lock file) count as running only while their
process number is alive *and* the file was written in the last :data:`LEGACY_RUNNING_S`.

**What is offered** (:meth:`AutosaveStore.pending`): every autosave whose copy is not running,
newest first. The window asks about each in turn: *Recover* (it becomes this window's
document, still unsaved, and this copy's own autosave), *Discard* (that one file is deleted)
or *Later* (kept, and offered again at every start). Nothing is deleted that was not shown.

**How long it is kept**: until it is recovered or discarded. One the user chose to keep
(*Later*) is stamped with the time it was first offered (``offered_at``) and removed
:data:`KEEP_DAYS` days after that, at a start, with a line in the status bar naming it. An
autosave never shown is never removed. ``bodymap autosaves`` lists them all.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import time
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from bodymap.document import PlanDocument, check_savable
from bodymap.errors import DataFileError
from bodymap.safeio import (
    atomic_write_text,
    clean_stale_temps,
    parse_json,
    private_folder,
    process_alive,
    read_text_bounded,
)

SUFFIX = ".autosave.json"
#: a kept autosave is removed this many days after it was first offered
KEEP_DAYS = 30
#: an older bodymap's autosave (no lock file) is taken as its running copy's while its process
#: number is alive and it was written this recently (those copies wrote every minute)
LEGACY_RUNNING_S = 10 * 60
_MAX_BYTES = 5 * 1024 * 1024
_LOCK_PREFIX = ".bodymap-"
_LOCK_SUFFIX = ".lock"

#: this process's lock in each autosave folder it wrote to, held until it ends
_held: dict[Path, Any] = {}


@dataclass(frozen=True)
class Recoverable:
    """Unsaved work a copy of bodymap left behind."""

    autosave: Path
    original: Path | None  # the document it belongs to, or None for an untitled plan
    document: PlanDocument
    saved_at: str
    #: when it was first offered and kept ("Later"); None: never shown
    offered_at: str | None = None

    def kept_until(self, now: datetime | None = None) -> datetime:
        """When it will be removed if it is kept now (:data:`KEEP_DAYS` after the first offer)."""
        first = _parse_time(self.offered_at) or now or datetime.now(UTC)
        return first + timedelta(days=KEEP_DAYS)


@dataclass(frozen=True)
class AutosaveFile:
    """One file of the autosave folder, for the listing: whose it is, and what it holds."""

    path: Path
    running: bool  # another running copy's work (not offered)
    recoverable: Recoverable | None  # None: unreadable
    problem: str = ""


@dataclass
class AutosaveStore:
    """The autosave folder, as one copy of bodymap sees it."""

    folder: Path
    problems: list[DataFileError] = field(default_factory=list)
    #: kept autosaves removed at this start (first offered more than KEEP_DAYS ago)
    expired: list[Recoverable] = field(default_factory=list)

    def key_for(self, original: Path | None) -> str:
        if original is None:
            return f"untitled.{os.getpid()}"
        digest = hashlib.sha1(str(Path(original).resolve()).encode("utf-8")).hexdigest()[:12]
        return f"doc-{digest}.{os.getpid()}"

    def path_for(self, original: Path | None) -> Path:
        return self.folder / f"{self.key_for(original)}{SUFFIX}"

    # this copy's own autosaves --------------------------------------------------------------
    def write(self, doc: PlanDocument, original: Path | None) -> Path:
        """Write this copy's autosave of ``original`` (owner-only), holding the folder's lock."""
        document = doc.to_json()
        payload = {
            "original": str(original) if original else None,
            "saved_at": datetime.now(UTC).isoformat(timespec="seconds"),
            "document": document,
        }
        target = self.path_for(original)
        check_savable(document, target)
        with contextlib.suppress(OSError):  # the write below names the problem
            private_folder(self.folder, tighten=True)
        self._hold_lock()
        text = json.dumps(payload, ensure_ascii=False, indent=2) + "\n"
        return atomic_write_text(target, text, private=True)

    def adopt(self, autosave: Path, original: Path | None) -> None:
        """Make a recovered autosave (of a crashed copy) this copy's autosave of ``original``."""
        self._hold_lock()
        with contextlib.suppress(OSError):
            os.replace(autosave, self.path_for(original))

    def discard(self, original: Path | None) -> None:
        """This copy's autosave of ``original`` is no longer needed (saved, or closed)."""
        with contextlib.suppress(FileNotFoundError):
            self.path_for(original).unlink()

    def _hold_lock(self) -> None:
        import filelock

        folder = self.folder.resolve() if self.folder.is_dir() else self.folder
        if folder in _held:
            return
        lock = filelock.FileLock(str(self.folder / _lock_name(os.getpid())), timeout=0)
        try:
            lock.acquire()
        except (filelock.Timeout, OSError):
            return  # without it a crashed copy's work is still found (process number, age)
        _held[folder] = lock

    # what a crash left behind ---------------------------------------------------------------
    def remove(self, rec: Recoverable) -> None:
        """The user discarded this autosave, having been shown it."""
        with contextlib.suppress(FileNotFoundError):
            rec.autosave.unlink()

    def mark_offered(self, rec: Recoverable) -> Recoverable:
        """The user kept it for later: stamp the first offer (the age limit counts from it)."""
        if rec.offered_at is not None:
            return rec
        kept = replace(rec, offered_at=datetime.now(UTC).isoformat(timespec="seconds"))
        payload = {"original": str(rec.original) if rec.original else None,
                   "saved_at": rec.saved_at, "offered_at": kept.offered_at,
                   "document": rec.document.to_json()}
        with contextlib.suppress(OSError):
            atomic_write_text(rec.autosave, json.dumps(payload, ensure_ascii=False, indent=2)
                              + "\n", private=True)
        return kept

    def pending(self) -> list[Recoverable]:
        """Autosaves of copies that are not running, newest first. Unreadable ones are moved
        aside and reported (:attr:`problems`); kept ones past their time are removed and
        listed (:attr:`expired`).

        Never raises: whatever is in the folder, start-up goes on and autosave starts. Stale
        temporary files of killed saves (holding patient text) are removed first.
        """
        clean_stale_temps([self.folder])
        found: list[Recoverable] = []
        now = datetime.now(UTC)
        for path in sorted(self._files(include_running=False)):
            try:
                rec = self._read(path)
            except Exception as exc:  # any unreadable autosave: report it, move it aside
                self._set_aside(path, exc)
                continue
            if rec.offered_at is not None and rec.kept_until() < now:
                with contextlib.suppress(OSError):
                    path.unlink()
                    self.expired.append(rec)
                continue
            found.append(rec)
        self._clean_locks()
        return sorted(found, key=lambda r: r.saved_at, reverse=True)

    def listing(self) -> list[AutosaveFile]:
        """Every autosave in the folder (also running copies'), newest first, read only."""
        rows: list[AutosaveFile] = []
        for path in sorted(self._files(include_running=True)):
            running = self._running(path)
            try:
                rows.append(AutosaveFile(path, running, self._read(path)))
            except Exception as exc:
                rows.append(AutosaveFile(path, running, None, _problem_words(exc, path)))
        return sorted(rows, key=lambda r: r.recoverable.saved_at if r.recoverable else "",
                      reverse=True)

    def _read(self, path: Path) -> Recoverable:
        payload = parse_json(
            read_text_bounded(path, _MAX_BYTES, expected="a bodymap autosave (UTF-8 JSON)"),
            path, expected="a bodymap autosave (JSON)",
        )
        if not isinstance(payload, dict) or not isinstance(payload.get("document"), dict):
            raise DataFileError("is not a bodymap autosave", path=path, field="document",
                                expected="a table with the plan")
        doc = PlanDocument.from_json(payload["document"], path)
        texts = {key: payload.get(key) for key in ("original", "saved_at", "offered_at")}
        for key, value in texts.items():
            if not isinstance(value, str | None) or (value is not None and len(value) > 4096):
                raise DataFileError("is not a bodymap autosave", path=path, field=key,
                                    expected="a text")
        offered = texts["offered_at"] if _parse_time(texts["offered_at"]) else None
        original = texts["original"]
        return Recoverable(path, Path(original) if original else None, doc,
                           texts["saved_at"] or "", offered)

    def _set_aside(self, path: Path, exc: Exception) -> None:
        problem = DataFileError(_problem_words(exc, path)) if not isinstance(
            exc, DataFileError) else exc
        aside = path.with_suffix(".corrupt")
        try:
            path.replace(aside)
            message = f"{problem} -- moved aside to {aside.name}"
        except OSError as move_exc:
            message = f"{problem} -- could not be moved aside ({move_exc.strerror})"
        self.problems.append(DataFileError(message))

    def _files(self, *, include_running: bool) -> Iterator[Path]:
        with contextlib.suppress(OSError):
            if self.folder.is_dir():
                for path in self.folder.glob(f"*{SUFFIX}"):
                    if include_running or not self._running(path):
                        yield path

    def _running(self, path: Path) -> bool:
        """Whether the copy that wrote ``path`` runs now (this copy's own never counts)."""
        pid = _pid_of(path)
        if pid is None or pid == os.getpid():
            return False
        held = _lock_held(self.folder / _lock_name(pid))
        if held is not None:
            return held
        try:  # an older bodymap, without a lock: its process number, and a recent write
            recent = time.time() - path.stat().st_mtime < LEGACY_RUNNING_S
        except OSError:
            return False
        return recent and process_alive(pid)

    def _clean_locks(self) -> None:
        """Lock files of copies that ended and left no autosave behind."""
        with contextlib.suppress(OSError):
            pids = {_pid_of(p) for p in self.folder.glob(f"*{SUFFIX}")}
            for lock in self.folder.glob(f"{_LOCK_PREFIX}*{_LOCK_SUFFIX}"):
                pid = lock.name.removeprefix(_LOCK_PREFIX).removesuffix(_LOCK_SUFFIX)
                if pid.isascii() and pid.isdigit() and int(pid) != os.getpid() and \
                        int(pid) not in pids and _lock_held(lock) is False:
                    with contextlib.suppress(OSError):
                        lock.unlink()


def _lock_name(pid: int) -> str:
    return f"{_LOCK_PREFIX}{pid}{_LOCK_SUFFIX}"


def _lock_held(path: Path) -> bool | None:
    """Whether a live process holds the lock file; None when there is none (or it cannot be
    tried)."""
    import filelock

    if not path.is_file():
        return None
    probe = filelock.FileLock(str(path), timeout=0)
    try:
        probe.acquire()
    except filelock.Timeout:
        return True
    except OSError:
        return None
    probe.release()
    return False


def _pid_of(path: Path) -> int | None:
    pid = path.name.removesuffix(SUFFIX).rpartition(".")[2]
    return int(pid) if pid.isascii() and pid.isdigit() and len(pid) < 10 else None


def _parse_time(text: str | None) -> datetime | None:
    if not text:
        return None
    try:
        when = datetime.fromisoformat(text)
    except ValueError:
        return None
    return when if when.tzinfo is not None else when.replace(tzinfo=UTC)


def _problem_words(exc: Exception, path: Path) -> str:
    if isinstance(exc, DataFileError):
        return str(exc)
    detail = str(exc).splitlines()[0][:200] if str(exc) else type(exc).__name__
    return str(DataFileError(f"autosave is unreadable ({detail})", path=path))


def autosave_dir() -> Path:
    """Where autosaves live: ``<user data dir>/autosave`` (``$BODYMAP_USER_DIR`` wins, as for
    protocols and progress)."""
    from bodymap.library import user_data_dir

    return user_data_dir() / "autosave"


__all__ = ["KEEP_DAYS", "AutosaveFile", "AutosaveStore", "Recoverable", "autosave_dir"]
