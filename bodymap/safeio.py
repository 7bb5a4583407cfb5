"""Safe file I/O for every file bodymap reads or writes (protocols, plans, autosaves, progress,
handouts): bounded reads of regular files only, atomic writes, and cleanup of our own stale
temporary files.

Reading (:func:`read_bytes_bounded`, :func:`read_text_bounded`):

* only a regular file is read. A FIFO, a device, a socket or a link to one (``/dev/zero``) is
  refused before a single byte is read, so nothing can hang or grow memory; the file is opened
  with ``O_NONBLOCK`` so that opening a FIFO does not wait for a writer;
* at most ``limit + 1`` bytes are read, whatever the file claims its size is;
* a UTF-8 byte-order mark (as Windows editors write it) is accepted and dropped;
* every failure is one :class:`DataFileError` naming the file ("is a symbolic link loop",
  "does not exist", "is a FIFO (named pipe), not a file", "is larger than 1 MB", ...).

Writing (:func:`atomic_write_bytes`, :func:`atomic_write_text`): the data goes to a temporary
file beside the target (same folder, so the rename is atomic), is fsync'ed, read back and
compared, and only then renamed over the target. A full disk, a killed process or a failed
check leaves the previous file as it was. Errors name the user's file, never the temporary one.

Temporary files are named ``.<name>.<pid>.<random>.bodymap-tmp`` (the name cut short so the
whole stays within the system's 255-byte limit). :func:`clean_stale_temps` removes the ones a
killed bodymap left behind: their process is gone, or they are older than a day.

Parsing (:func:`parse_json`, :func:`parse_toml`): syntax errors, numbers too long to convert,
nesting deeper than :data:`MAX_DEPTH` (which would raise ``RecursionError`` deeper down) all
become one :class:`DataFileError`.
"""

from __future__ import annotations

import contextlib
import errno
import json
import os
import re
import secrets
import stat
import time
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any, TypeVar

from bodymap.errors import DataFileError, FileWriteError

_T = TypeVar("_T")

__all__ = [
    "MAX_DEPTH",
    "TEMP_SUFFIX",
    "atomic_write_bytes",
    "atomic_write_text",
    "check_replaceable",
    "clean_stale_temps",
    "describe_os_error",
    "incomplete",
    "owner_name",
    "parse_json",
    "parse_toml",
    "private_folder",
    "process_alive",
    "read_bytes_bounded",
    "read_text_bounded",
    "readable_by_others",
]

#: deepest nesting of lists and tables any bodymap file needs (protocol files use 4)
MAX_DEPTH = 32
TEMP_SUFFIX = ".bodymap-tmp"
#: a temporary file this old is stale even if a process with its pid is running
STALE_AFTER_S = 24 * 3600
_NAME_MAX = 255
_TEMP_RE = re.compile(r"^\..*\.(\d+)\.[0-9a-f]{8}" + re.escape(TEMP_SUFFIX) + "$")

_KINDS = (
    (stat.S_ISDIR, "is a folder, not a file"),
    (stat.S_ISFIFO, "is a FIFO (named pipe), not a file"),
    (stat.S_ISCHR, "is a device, not a file"),
    (stat.S_ISBLK, "is a device, not a file"),
    (stat.S_ISSOCK, "is a socket, not a file"),
)


def _size_words(limit: int) -> str:
    if limit >= 1024 * 1024 and limit % (1024 * 1024) == 0:
        return f"{limit // (1024 * 1024)} MB"
    if limit >= 1024 and limit % 1024 == 0:
        return f"{limit // 1024} kB"
    return f"{limit} bytes"


def describe_os_error(exc: OSError) -> str:
    """An OSError in a few plain words (no file name: the caller names the user's file)."""
    words = {
        errno.ENOENT: "does not exist",
        errno.ELOOP: "is a symbolic link loop",
        errno.ENAMETOOLONG: "has a name that is too long for the system",
        errno.EACCES: "cannot be opened (permission denied)",
        errno.EPERM: "cannot be opened (operation not permitted)",
        errno.EISDIR: "is a folder, not a file",
        errno.ENOTDIR: "has a part of its path that is not a folder",
        errno.ENOSPC: "cannot be written: the disk is full",
        errno.EDQUOT: "cannot be written: the disk quota is exceeded",
        errno.EROFS: "cannot be written: the disk is read-only",
        errno.EIO: "cannot be read or written (input/output error)",
    }
    if exc.errno in words:
        return words[exc.errno]
    return f"cannot be used ({exc.strerror or exc})"


def kind_problem(path: Path) -> str | None:
    """Why ``path`` is not a readable regular file (following links), or None if it is one."""
    try:
        st = os.stat(path)
    except OSError as exc:
        return describe_os_error(exc)
    except ValueError:  # an embedded NUL byte
        return "has an invalid name"
    for test, words in _KINDS:
        if test(st.st_mode):
            return words
    return None if stat.S_ISREG(st.st_mode) else "is not a regular file"


# ---------------------------------------------------------------------------------------------
# reading


def read_bytes_bounded(path: str | os.PathLike[str], limit: int) -> bytes:
    """The bytes of the regular file ``path``, at most ``limit`` of them; else DataFileError."""
    path = Path(path)
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0)
    flags |= getattr(os, "O_BINARY", 0)
    try:
        fd = os.open(path, flags)
    except OSError as exc:
        kind = kind_problem(path)  # a socket cannot be opened at all: say what it is
        words = kind if kind and kind.startswith("is a ") else describe_os_error(exc)
        raise DataFileError(words, path=path, expected="a readable file") from None
    except ValueError:
        raise DataFileError("has an invalid name", path=path) from None
    try:
        mode = os.fstat(fd).st_mode
        if not stat.S_ISREG(mode):
            words = next((w for test, w in _KINDS if test(mode)), "is not a regular file")
            raise DataFileError(words, path=path, expected="a regular file")
        chunks: list[bytes] = []
        size = 0
        while size <= limit:
            chunk = os.read(fd, min(1 << 20, limit + 1 - size))
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
    except OSError as exc:
        raise DataFileError(describe_os_error(exc), path=path, expected="a readable file") from None
    finally:
        os.close(fd)
    if size > limit:
        raise DataFileError(
            f"is larger than {_size_words(limit)}", path=path,
            expected=f"a file under {_size_words(limit)}",
        )
    return b"".join(chunks)


def read_text_bounded(
    path: str | os.PathLike[str],
    limit: int,
    *,
    expected: str = "UTF-8 text",
    content: str | None = None,
) -> str:
    """The text of a regular UTF-8 file (a byte-order mark is accepted), at most ``limit``
    bytes. Empty files, binary files (NUL bytes) and other encodings are refused; ``content``
    is what an empty file should have held (default: ``expected``)."""
    raw = read_bytes_bounded(path, limit)
    if b"\x00" in raw:
        raise DataFileError("is a binary file", path=path, expected=expected)
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise DataFileError(
            f"is not UTF-8 text (byte {exc.start + 1})", path=path, expected=expected
        ) from None
    if not text.strip():
        raise DataFileError("is empty", path=path, expected=content or expected)
    return text


# ---------------------------------------------------------------------------------------------
# parsing


def depth_of(data: Any) -> int:
    """How deeply lists and tables nest in ``data`` (iterative: never recurses)."""
    deepest = 0
    stack: list[tuple[Any, int]] = [(data, 0)]
    while stack:
        item, level = stack.pop()
        if isinstance(item, dict):
            children: Iterable[Any] = item.values()
        elif isinstance(item, list | tuple):
            children = item
        else:
            continue
        level += 1
        deepest = max(deepest, level)
        if deepest > MAX_DEPTH:
            return deepest
        stack.extend((c, level) for c in children)
    return deepest


def _check_depth(data: _T, path: Path | str, expected: str) -> _T:
    if depth_of(data) > MAX_DEPTH:
        raise DataFileError(
            f"nests lists or tables more than {MAX_DEPTH} levels deep", path=path,
            expected=expected,
        )
    return data


def _no_constant(name: str) -> Any:
    raise ValueError(f"'{name}' is not a finite number")


def parse_json(text: str, path: Path | str, *, expected: str = "valid JSON") -> Any:
    """JSON -> Python; NaN and Infinity, huge numbers and deep nesting are refused."""
    try:
        data = json.loads(text, parse_constant=_no_constant)
    except json.JSONDecodeError as exc:
        raise DataFileError(
            f"is not valid JSON (line {exc.lineno}, column {exc.colno}: {exc.msg})",
            path=path, expected=expected,
        ) from None
    except RecursionError:
        raise DataFileError(
            f"nests lists or tables more than {MAX_DEPTH} levels deep", path=path,
            expected=expected,
        ) from None
    except ValueError as exc:  # a number too long to convert, NaN, Infinity
        raise DataFileError(_number_words(exc), path=path, expected=expected) from None
    return _check_depth(data, path, expected)


def parse_toml(text: str, path: Path | str, *, expected: str = "valid TOML") -> dict[str, Any]:
    """TOML -> dict; huge numbers and deep nesting are refused like syntax errors."""
    import tomllib

    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise DataFileError(f"TOML syntax error: {exc}", path=path, expected=expected) from None
    except RecursionError:
        raise DataFileError(
            f"nests lists or tables more than {MAX_DEPTH} levels deep", path=path,
            expected=expected,
        ) from None
    except ValueError as exc:
        raise DataFileError(_number_words(exc), path=path, expected=expected) from None
    return _check_depth(data, path, expected)


def _number_words(exc: ValueError) -> str:
    text = str(exc)
    if "digits" in text:
        return "has a number with too many digits"
    return text.splitlines()[0][:120] if text else "has a value that cannot be read"


# ---------------------------------------------------------------------------------------------
# writing


def temp_name_for(target: Path) -> str:
    """``.<name>.<pid>.<random>.bodymap-tmp``, the name cut so the whole fits in 255 bytes."""
    tail = f".{os.getpid()}.{secrets.token_hex(4)}{TEMP_SUFFIX}"
    room = _NAME_MAX - len(tail.encode()) - 1
    name = target.name.encode("utf-8", "surrogateescape")[:room].decode("utf-8", "ignore")
    return f".{name}{tail}"


def atomic_write_bytes(
    path: str | os.PathLike[str],
    data: bytes,
    *,
    check: Callable[[bytes], str | None] | None = None,
    private: bool = False,
) -> Path:
    """Write ``data`` to ``path`` atomically; returns ``path``.

    A file that exists keeps its permission bits. A new one gets the usual umask-based ones,
    or, when ``private`` (patient records, autosaves, study progress), owner-only ``0600``.

    ``check(data)`` may return a reason the content is not complete (e.g. a PDF without its
    end marker): then nothing is written. Any failure raises :class:`FileWriteError` (a
    DataFileError and an OSError) naming ``path``; the previous file at ``path`` is left as it
    was.
    """
    target = Path(path)
    if check is not None:
        reason = check(data)
        if reason:
            raise FileWriteError(f"was not written: {reason}", path=target)
    real = _real_target(target)
    folder = _target_folder(target, real)
    clean_stale_temps([folder])  # what a killed earlier save (or export) left here
    tmp = folder / temp_name_for(real)
    try:
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0),
                     0o600)
    except OSError as exc:
        raise FileWriteError(_write_words(exc), path=target, expected="a writable folder") \
            from None
    try:
        try:
            view = memoryview(data)
            while view:
                view = view[os.write(fd, view):]
            os.fsync(fd)
        finally:
            os.close(fd)
        if read_bytes_bounded(tmp, len(data)) != data:
            raise FileWriteError("was not written: the copy read back differs", path=target)
        _keep_mode(real, tmp, private)
        os.replace(tmp, real)
    except DataFileError as exc:  # the check read: never name the temporary file
        raise FileWriteError(exc.message, path=target) from None
    except OSError as exc:
        raise FileWriteError(_write_words(exc), path=target) from None
    finally:
        with contextlib.suppress(OSError):
            tmp.unlink()
    _fsync_dir(folder)
    return target


def incomplete(kind: str) -> Callable[[bytes], str | None]:
    """A ``check`` for :func:`atomic_write_bytes`: why the bytes are not a whole ``.pdf`` or
    ``.png`` (its end marker, its end chunk), or None when they are."""

    def check(data: bytes) -> str | None:
        if kind == ".pdf":
            whole = data.startswith(b"%PDF-") and b"%%EOF" in data[-1024:]
        else:
            whole = data.startswith(b"\x89PNG\r\n\x1a\n") and data.endswith(b"IEND\xaeB`\x82")
        return None if whole else f"the {kind[1:].upper()} came out incomplete"

    return check


def _write_words(exc: OSError) -> str:
    words = describe_os_error(exc)
    if words.startswith("cannot be written") or exc.errno == errno.ENAMETOOLONG:
        return words
    return f"cannot be written ({exc.strerror or exc})"


def atomic_write_text(path: str | os.PathLike[str], text: str, *, private: bool = False) -> Path:
    """Write UTF-8 ``text`` (newlines as given) to ``path`` atomically (``private``: a new file
    is owner-only, as in :func:`atomic_write_bytes`)."""
    try:
        data = text.encode("utf-8")
    except UnicodeEncodeError:
        raise FileWriteError("was not written: the text has characters UTF-8 cannot hold",
                            path=path) from None
    return atomic_write_bytes(path, data, private=private)


def _real_target(target: Path) -> Path:
    """A link to a file is followed, so that the link keeps pointing at the new file."""
    try:
        return target.resolve() if target.is_symlink() else target
    except (OSError, RuntimeError):  # a link loop: _target_folder names it
        return target


def _target_folder(target: Path, real: Path) -> Path:
    """The folder to write in; refuses targets that are not (or would not be) regular files."""
    folder = real.parent
    try:
        st = os.stat(real)
    except FileNotFoundError:
        st = None
    except OSError as exc:
        raise FileWriteError(_write_words(exc), path=target) from None
    except ValueError:
        raise FileWriteError("has an invalid name", path=target) from None
    if st is not None and not stat.S_ISREG(st.st_mode):
        words = next((w for test, w in _KINDS if test(st.st_mode)), "is not a regular file")
        raise FileWriteError(f"cannot be replaced: it {words}", path=target,
                            expected="a file name")
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise FileWriteError(
            f"cannot be written: its folder {describe_os_error(exc)}", path=target
        ) from None
    return folder


def _keep_mode(target: Path, tmp: Path, private: bool = False) -> None:
    """Keep the target's permission bits; a new file gets the usual umask-based ones, or
    owner-only ones when ``private``."""
    try:
        mode = stat.S_IMODE(os.stat(target).st_mode)
    except OSError:
        if private:
            mode = 0o600
        else:
            umask = os.umask(0)
            os.umask(umask)
            mode = 0o666 & ~umask
    with contextlib.suppress(OSError):
        os.chmod(tmp, mode)


def _fsync_dir(folder: Path) -> None:
    """Make the rename itself durable where the platform allows it (POSIX)."""
    if os.name != "posix":
        return
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    with contextlib.suppress(OSError):
        os.fsync(fd)
    os.close(fd)


def check_replaceable(path: str | os.PathLike[str]) -> None:
    """Refuse to replace a file that is read-only or belongs to another account.

    An atomic save renames a new file over the old one: that needs only the folder's write
    permission, so without this check a shared folder would let a save replace another user's
    file (and make it the saver's), or a file its owner made read-only. POSIX only.
    """
    target = Path(path)
    if os.name != "posix":
        return
    try:
        st = os.stat(_real_target(target))
    except (OSError, ValueError):
        return  # a new file, or one the write itself will name
    if not stat.S_ISREG(st.st_mode):
        return
    if st.st_uid != os.geteuid():
        raise FileWriteError(
            f"belongs to another account ({owner_name(st.st_uid)}): it was not replaced",
            path=target, expected="a file of your own; save under another name")
    if not st.st_mode & stat.S_IWUSR:
        raise FileWriteError("is read-only: it was not replaced", path=target,
                             expected="a writable file; save under another name, or make it "
                                      "writable first")


def owner_name(uid: int) -> str:
    try:
        import pwd

        return pwd.getpwuid(uid).pw_name
    except (ImportError, KeyError):
        return f"user id {uid}"


def readable_by_others(path: str | os.PathLike[str]) -> bool:
    """Whether accounts other than the owner (and its group) may read the file (POSIX)."""
    if os.name != "posix":
        return False
    try:
        return bool(os.stat(path).st_mode & stat.S_IROTH)
    except (OSError, ValueError):
        return False


def private_folder(folder: str | os.PathLike[str], *, tighten: bool = False) -> Path:
    """Create ``folder`` (and its parents) if needed, owner-only (``0700``): bodymap's own
    folders hold patient and student records (autosaves, study progress). ``tighten``: an
    existing folder is made owner-only too (one that only bodymap uses, such as autosave/)."""
    folder = Path(folder)
    if not folder.is_dir():
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        tighten = True  # mkdir's mode passes through the umask
    if tighten and os.name == "posix":
        with contextlib.suppress(OSError):
            if stat.S_IMODE(os.stat(folder).st_mode) & 0o077:
                os.chmod(folder, 0o700)
    return folder


# ---------------------------------------------------------------------------------------------
# stale temporary files


def process_alive(pid: int) -> bool:
    """Whether a process with this id runs (POSIX; elsewhere assumed so)."""
    if pid == os.getpid():
        return True
    if os.name != "posix":
        return True  # no cheap check: rely on the age limit
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True  # exists, owned by someone else
    return True


def clean_stale_temps(folders: Iterable[str | os.PathLike[str]]) -> list[Path]:
    """Remove bodymap's own temporary files left by a killed process; returns what went.

    Only files named like :func:`temp_name_for` are touched, and only when the process that
    wrote them is gone or they are older than :data:`STALE_AFTER_S`.
    """
    removed: list[Path] = []
    now = time.time()
    seen: set[Path] = set()
    for folder in folders:
        folder = Path(folder)
        if folder in seen:
            continue
        seen.add(folder)
        try:
            entries = list(os.scandir(folder))
        except (OSError, ValueError):
            continue
        for entry in entries:
            m = _TEMP_RE.match(entry.name)
            if m is None:
                continue
            try:
                st = entry.stat(follow_symlinks=False)
                if not stat.S_ISREG(st.st_mode):
                    continue
                if process_alive(int(m.group(1))) and now - st.st_mtime < STALE_AFTER_S:
                    continue
                os.unlink(entry.path)
                removed.append(Path(entry.path))
            except OSError:
                continue
    return removed
