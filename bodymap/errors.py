"""Errors that reach the user as one clear line, never as a traceback."""

from __future__ import annotations

import os
from pathlib import Path


def shown(value: str, limit: int = 60) -> str:
    """A user's value as quoted in a message: long input cut (5,000 digits stay readable),
    control characters escaped (the message stays one line)."""
    cut = value if len(value) <= limit else value[:limit] + "…"
    return "".join(c if c.isprintable() else ascii(c)[1:-1] for c in cut)


def one_line(text: str, limit: int = 2000) -> str:
    """A message as printed: one line (newlines, tabs, terminal escapes and other control
    characters escaped, so a file name or value can neither split it nor drive the terminal),
    at most ``limit`` characters."""
    flat = "".join(c if c.isprintable() else ascii(c)[1:-1] for c in text)
    return flat if len(flat) <= limit else flat[:limit] + "…"


class BodymapError(Exception):
    """A problem the user can act on: names the file, the field and what was expected."""

    def __init__(
        self,
        message: str,
        *,
        path: str | os.PathLike[str] | None = None,
        field: str | None = None,
        expected: str | None = None,
    ) -> None:
        self.message = message
        self.path = Path(path) if path is not None else None
        self.field = field
        self.expected = expected
        super().__init__(self.render())

    def render(self) -> str:
        where = []
        if self.path is not None:
            where.append(str(self.path))
        if self.field:
            where.append(f"field '{self.field}'")
        text = ": ".join([", ".join(where), self.message]) if where else self.message
        if self.expected:
            text += f" (expected {self.expected})"
        return text


class DataFileError(BodymapError):
    """A shipped or user data file (SVG, protocol, plan, progress) is missing or malformed."""


class UsageError(BodymapError):
    """A command-line value is unknown or malformed (exit code 2)."""


class FileWriteError(DataFileError, OSError):
    """A file could not be written (full disk, no permission, a failed check).

    Also an ``OSError``, so that code written for the old ``OSError`` of a failed save keeps
    catching it; ``strerror`` is the one-line message naming the user's file.
    """

    def __init__(
        self,
        message: str,
        *,
        path: str | os.PathLike[str] | None = None,
        field: str | None = None,
        expected: str | None = None,
    ) -> None:
        super().__init__(message, path=path, field=field, expected=expected)
        self.strerror = self.render()
