"""Opening the one LetterDesk SQLite file: checks, pragmas, migrations."""

from __future__ import annotations

import logging
import os
import re
import shutil
import sqlite3
from datetime import datetime
from pathlib import Path

import peewee as pw

from desktop.files import atomic_path

from . import migrations
from .errors import (
    CorruptDatabaseError,
    DatabaseOpenError,
    MigrationError,
    NewerDatabaseError,
    NotLetterDeskDatabaseError,
    explain_database_error,
)
from .models import ALL_MODELS, database_proxy

log = logging.getLogger(__name__)

# The open data file's type, for code above the store that must not import peewee.
Database = pw.SqliteDatabase

SQLITE_HEADER = b"SQLite format 3\x00"
# Less free space than this next to the file counts as a full disk.
DISK_FULL_BYTES = 256 * 1024
BUSY_TIMEOUT_MS = 5_000

# Applied in this order on every new connection; the busy timeout comes
# first so that switching to WAL already waits that long for a lock.
PRAGMAS = {
    "busy_timeout": BUSY_TIMEOUT_MS,
    "journal_mode": "wal",
    "foreign_keys": 1,
    # Safe with WAL: a power cut can lose the last commit, never corrupt.
    "synchronous": "normal",
}


def _inspect(path: Path) -> tuple[int, int, int]:
    """(application_id, user_version, number of tables), read-only, so a file
    we refuse is never modified (not even switched to WAL)."""
    with path.open("rb") as handle:
        header = handle.read(len(SQLITE_HEADER))
    if header != SQLITE_HEADER:
        raise NotLetterDeskDatabaseError(path, "it is not an SQLite database")
    # Even a read-only connection to a WAL-mode file creates "-wal" and "-shm"
    # files next to it; "immutable" reads the main file alone and creates
    # nothing. Only when a "-wal" with content is already there (LetterDesk was
    # not closed cleanly) must SQLite read through it to see the real header.
    wal = path.with_name(path.name + "-wal")
    mode = "mode=ro" if wal.exists() and wal.stat().st_size > 0 else "immutable=1"
    try:
        conn = sqlite3.connect(f"{path.resolve().as_uri()}?{mode}", uri=True)
        try:
            app_id = conn.execute("PRAGMA application_id").fetchone()[0]
            version = conn.execute("PRAGMA user_version").fetchone()[0]
            tables = conn.execute(
                "SELECT count(*) FROM sqlite_master WHERE type = 'table'"
            ).fetchone()[0]
        finally:
            conn.close()
    except sqlite3.DatabaseError as exc:
        raise CorruptDatabaseError(path, str(exc)) from exc
    except UnicodeDecodeError as exc:  # SQLite's message quotes a damaged schema
        raise CorruptDatabaseError(path, "its list of tables is garbled") from exc
    return app_id, version, tables


def _create_private_file(path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
    os.close(fd)


def backup_copy(db: pw.SqliteDatabase, destination: Path) -> Path:
    """A consistent copy through SQLite's online backup API (safe with WAL
    and with the app running)."""
    destination.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    fd = os.open(destination, os.O_CREAT | os.O_TRUNC | os.O_WRONLY, 0o600)
    os.close(fd)
    target = sqlite3.connect(destination)
    try:
        db.connection().backup(target)
    finally:
        target.close()
    return destination


# Backups are numbered in the order they were made, whatever the clock says
# (it can be wrong by a year): the highest number is the newest. The number
# is in each backup's name; pruning always keeps the newest, so the count
# only restarts when someone empties the folder (and then nothing is older).
_NUMBER_IN_NAME = re.compile(r"-n(\d+)\.(?:zip|sqlite3)$")


def next_backup_number(folder: Path) -> int:
    """The number for the next backup in ``folder``."""
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    highest = 0
    for name in os.listdir(folder):
        if match := _NUMBER_IN_NAME.search(name):
            highest = max(highest, int(match.group(1)))
    return highest + 1


def open_database(path: Path, backup_dir: Path | None = None) -> pw.SqliteDatabase:
    """Open (creating or upgrading if needed) the LetterDesk file at ``path``
    and bind the models to it.

    Raises a ``DatabaseOpenError`` subclass, with a message for the user,
    for a file from a newer LetterDesk, a foreign or a damaged file, or a
    failed upgrade; such files are left untouched.
    """
    path = Path(path)
    backup_dir = backup_dir or path.parent / "backups"
    if not path.exists():
        _create_private_file(path)
        current = 0
    elif path.stat().st_size == 0:
        current = 0
    else:
        app_id, current, tables = _inspect(path)
        # Foreign first: another program's file with a high user_version is
        # not "from a newer LetterDesk".
        if app_id != migrations.APPLICATION_ID and (current or tables):
            raise NotLetterDeskDatabaseError(path, "it holds another program's tables")
        if current > migrations.LATEST_VERSION:
            raise NewerDatabaseError(path, current, migrations.LATEST_VERSION)
    os.chmod(path, 0o600)

    # Peewee keeps one connection per thread, which is what workers need.
    db = pw.SqliteDatabase(str(path), pragmas=PRAGMAS)
    try:
        db.connect()
        _migrate(db, path, current, backup_dir)
        _check_tables(db, path)
    except UnicodeDecodeError as exc:
        db.close()
        raise CorruptDatabaseError(path, "its list of tables is garbled") from exc
    except (sqlite3.DatabaseError, pw.DatabaseError) as exc:
        # Peewee re-raises sqlite3 errors as its own classes, so both are
        # caught here; neither may reach the user as a traceback.
        db.close()
        raise _open_error(path, exc) from exc
    except BaseException:
        db.close()
        raise
    database_proxy.initialize(db)
    return db


def _check_tables(db: pw.SqliteDatabase, path: Path) -> None:
    """A file of a known format that lacks a table was damaged (or cut
    short): treated like any other damage, so the newest good backup is
    offered."""
    have = set(db.get_tables())
    missing = [m._meta.table_name for m in ALL_MODELS if m._meta.table_name not in have]
    if missing:
        db.close()
        raise CorruptDatabaseError(path, f"it lacks the table {missing[0]}")


def _open_error(path: Path, exc: BaseException) -> DatabaseOpenError:
    text = str(exc).lower()
    if "malformed" in text or "not a database" in text or "corrupt" in text:
        return CorruptDatabaseError(path, str(exc))
    # Busy, read-only, disk full: the file is fine, the circumstances are not.
    if _disk_full(path):  # SQLite often says only "disk I/O error" then
        return DatabaseOpenError(
            path,
            f"The disk holding {path.parent} is full, so LetterDesk cannot open its data. "
            "Free some space on it (empty the trash, move large files away), then start "
            "LetterDesk again. Nothing was changed.",
        )
    explanation = explain_database_error(exc) or f"The database reported: {exc}."
    return DatabaseOpenError(path, f"The data file {path} could not be opened. {explanation}")


def _disk_full(path: Path) -> bool:
    try:
        return shutil.disk_usage(path.parent).free < DISK_FULL_BYTES
    except OSError:
        return False


def _migrate(db: pw.SqliteDatabase, path: Path, current: int, backup_dir: Path) -> None:
    steps = migrations.pending_steps(current)
    if not steps:
        return
    backup = None
    if current > 0:
        stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
        number = next_backup_number(backup_dir)
        backup = backup_dir / f"before-format-{steps[-1].version}-{stamp}-n{number}.sqlite3"
        # Under a temporary name: a crash or a full disk must not leave an
        # empty or half copy that looks like a backup.
        with atomic_path(backup) as partial:
            backup_copy(db, partial)
        log.info("Backed up %s to %s before upgrading", path, backup)
    for step in steps:
        log.info("Upgrading %s to format %d (%s)", path, step.version, step.description)
        try:
            migrations.run_step(db, step)
        except (pw.DatabaseError, sqlite3.DatabaseError) as exc:
            raise MigrationError(path, step.version, str(exc), backup) from exc


def schema_version(db: pw.SqliteDatabase) -> int:
    return int(db.execute_sql("PRAGMA user_version").fetchone()[0])


def close_thread_connection() -> None:
    """Close the calling thread's connection to the open data file, if it
    has one. Peewee keeps a connection per thread; a worker thread calls
    this when its work ends, and the GUI thread's connection stays open."""
    database = database_proxy.obj
    if database is not None and not database.is_closed():
        database.close()


def current_database() -> pw.SqliteDatabase:
    """The open data file's database, for whole-file operations (backup,
    integrity check, archive) that work on the database object itself."""
    database = database_proxy.obj
    if database is None:
        raise RuntimeError("No data file is open")
    return database
