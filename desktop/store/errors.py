"""Database problems the user can act on, each with a plain explanation.

Anything not recognised here is a bug and goes to the crash dialog instead.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

import peewee as pw

from desktop.errors import UserError


class DatabaseOpenError(UserError):
    """The data file cannot be used; ``user_message`` says why and what to do."""

    def __init__(self, path: Path, user_message: str) -> None:
        super().__init__(user_message)
        self.path = path


class NewerDatabaseError(DatabaseOpenError):
    def __init__(self, path: Path, found: int, supported: int) -> None:
        super().__init__(
            path,
            f"The data file {path} was written by a newer version of LetterDesk "
            f"(data format {found}; this version understands up to {supported}). "
            "It has not been changed. Install the newer LetterDesk to open it, "
            "or choose another data folder.",
        )
        self.found = found
        self.supported = supported


class NotLetterDeskDatabaseError(DatabaseOpenError):
    def __init__(self, path: Path, detail: str) -> None:
        super().__init__(
            path,
            f"The file {path} is not a LetterDesk data file ({detail}). "
            "It has not been changed. Choose another data folder, or move the file "
            "away and start again.",
        )


class CorruptDatabaseError(DatabaseOpenError):
    def __init__(self, path: Path, detail: str) -> None:
        super().__init__(
            path,
            f"The data file {path} is damaged and cannot be read ({detail}). "
            "It has not been changed. Restore a backup from the backups folder next to it, "
            "or choose another data folder.",
        )


class MigrationError(DatabaseOpenError):
    def __init__(self, path: Path, version: int, detail: str, backup: Path | None) -> None:
        where = f" A copy made before the upgrade is at {backup}." if backup else ""
        super().__init__(
            path,
            f"Upgrading the data file {path} to format {version} failed ({detail}); "
            f"the file was left as it was.{where}",
        )


# What a database operation can raise that ``explain_database_error`` may
# recognise (disk full, read-only, locked, damaged); the UI catches these
# without importing peewee.
DATABASE_ERRORS: tuple[type[Exception], ...] = (pw.PeeweeException, sqlite3.Error)


def explain_database_error(exc: BaseException) -> str | None:
    """A sentence for the known runtime failures (disk full, read-only,
    locked, corrupt), or ``None`` when the error is a bug.

    The chain of causes is searched too: after SQLITE_FULL, SQLite has already
    rolled the transaction back, so leaving ``atomic()`` raises "cannot
    rollback - no transaction is active" with the real reason as its context.
    """
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        if (sentence := _explain_one(current)) is not None:
            return sentence
        current = current.__cause__ or current.__context__
    return None


def _explain_one(exc: BaseException) -> str | None:
    text = str(exc).lower()
    if not isinstance(exc, sqlite3.Error | pw.DatabaseError | pw.OperationalError):
        return None
    if "disk is full" in text or "database or disk is full" in text:
        return (
            "The disk is full, so your change could not be saved. Free some space "
            "and try again; nothing already saved was lost."
        )
    if "disk i/o error" in text:
        return (
            "LetterDesk could not write to its data file: the disk reported an error "
            "(it may have become read-only, been unplugged, or be full). Your last change "
            "was not saved. Check the disk, then close and start LetterDesk again."
        )
    if "readonly" in text or "read-only" in text:
        return (
            "The data file is read-only, so your change could not be saved. Check the "
            "file's permissions or choose another data folder."
        )
    if "locked" in text or "busy" in text:
        return (
            "The data file is busy (another program is using it). Wait a moment and "
            "try again; close other copies of LetterDesk if one is open."
        )
    if "malformed" in text or "not a database" in text or "corrupt" in text:
        return (
            "The data file is damaged. Close LetterDesk and restore a backup from "
            "the backups folder in your data folder."
        )
    return None
