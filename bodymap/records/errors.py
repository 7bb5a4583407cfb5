"""What can go wrong with the records, each as one line the user can act on.

Bad input (a pain score outside 0-10, a future date, an unknown condition, a duplicate
patient, a file of the wrong format) is a :class:`BadRecordError`: a usage error, exit code 2, and
the database is unchanged. Everything else is a :class:`RecordsError` (exit code 1).
"""

from __future__ import annotations

from bodymap.errors import BodymapError, UsageError


class RecordsError(BodymapError):
    """The records could not be read or changed (named, never a traceback)."""


class BadRecordError(UsageError):
    """Input that the records refuse: nothing was changed."""


class DuplicatePatientError(BadRecordError):
    """The patient is already in the records."""


class NotFoundError(BadRecordError):
    """No such patient or visit."""


class ConcurrentEditError(RecordsError):
    """The record changed (on another computer, or in another window) since it was read:
    the edit was refused rather than overwrite that change."""


class LockedError(RecordsError):
    """A signed visit (or one from an earlier day) is not edited: add an addendum instead."""


class ReadOnlyError(RecordsError):
    """The records are open read-only (a damaged database shown from its backup)."""


class DatabaseDamagedError(RecordsError):
    """The database failed its integrity check and no good backup could be opened."""


class MissingDriverError(RecordsError):
    """The records' database needs a package that is not installed (psycopg for PostgreSQL)."""
