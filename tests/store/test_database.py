"""Opening the data file: pragmas, permissions, and refusing files we must
not touch (newer, foreign, not SQLite, corrupt) without changing them."""

from __future__ import annotations

import hashlib
import os
import sqlite3
import threading
from pathlib import Path

import peewee as pw
import pytest

from desktop.store import database, migrations
from desktop.store.database import open_database, schema_version
from desktop.store.errors import (
    CorruptDatabaseError,
    DatabaseOpenError,
    NewerDatabaseError,
    NotLetterDeskDatabaseError,
    explain_database_error,
)
from desktop.store.mentors import MentorFields, save_mentor
from desktop.store.models import Mentor


def _pragma(db: pw.SqliteDatabase, name: str):
    return db.execute_sql(f"PRAGMA {name}").fetchone()[0]


def _folder_state(folder: Path) -> dict[str, str]:
    """Every file in the folder with its hash: 'unchanged' means this is equal."""
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def _make_letterdesk_file(path: Path) -> None:
    db = open_database(path, path.parent / "backups")
    save_mentor(MentorFields(last_name="Okafor", first_name="Amara", category="other"))
    db.close()


def test_pragmas(db):
    assert _pragma(db, "journal_mode") == "wal"
    assert _pragma(db, "foreign_keys") == 1
    assert _pragma(db, "synchronous") == 1  # NORMAL
    assert _pragma(db, "busy_timeout") > 0
    assert _pragma(db, "application_id") == migrations.APPLICATION_ID
    assert schema_version(db) == migrations.LATEST_VERSION


def test_pragmas_apply_to_worker_thread_connections(db):
    """Workers get their own connection; it must enforce foreign keys too."""
    seen: dict[str, object] = {}

    def work() -> None:
        seen["foreign_keys"] = _pragma(db, "foreign_keys")
        seen["busy_timeout"] = _pragma(db, "busy_timeout")
        db.close()

    thread = threading.Thread(target=work)
    thread.start()
    thread.join()
    assert seen == {"foreign_keys": 1, "busy_timeout": _pragma(db, "busy_timeout")}


def test_new_file_is_private(data_paths):
    db = open_database(data_paths.database, data_paths.backups)
    db.close()
    assert data_paths.database.stat().st_mode & 0o777 == 0o600


def test_existing_file_is_made_private(data_paths):
    _make_letterdesk_file(data_paths.database)
    os.chmod(data_paths.database, 0o644)
    open_database(data_paths.database, data_paths.backups).close()
    assert data_paths.database.stat().st_mode & 0o777 == 0o600


def test_empty_file_is_accepted_as_new(data_paths):
    data_paths.database.touch()
    db = open_database(data_paths.database, data_paths.backups)
    try:
        assert schema_version(db) == migrations.LATEST_VERSION
        assert Mentor.select().count() == 0
    finally:
        db.close()
    assert not list(data_paths.backups.iterdir())  # nothing to back up in an empty file


def test_reopening_keeps_data(data_paths):
    _make_letterdesk_file(data_paths.database)
    db = open_database(data_paths.database, data_paths.backups)
    try:
        assert [m.last_name for m in Mentor.select()] == ["Okafor"]
    finally:
        db.close()


def test_newer_file_is_refused_and_untouched(data_paths):
    _make_letterdesk_file(data_paths.database)
    conn = sqlite3.connect(data_paths.database)
    conn.execute(f"PRAGMA user_version = {migrations.LATEST_VERSION + 1}")
    conn.commit()
    conn.close()
    before = _folder_state(data_paths.root)

    with pytest.raises(NewerDatabaseError) as caught:
        open_database(data_paths.database, data_paths.backups)

    assert caught.value.found == migrations.LATEST_VERSION + 1
    assert "newer version of LetterDesk" in caught.value.user_message
    assert str(data_paths.database) in caught.value.user_message
    assert _folder_state(data_paths.root) == before
    assert not Path(f"{data_paths.database}-wal").exists()
    assert not Path(f"{data_paths.database}-shm").exists()


def test_foreign_sqlite_file_is_refused_and_untouched(data_paths):
    conn = sqlite3.connect(data_paths.database)
    conn.execute("CREATE TABLE photos (id INTEGER PRIMARY KEY, path TEXT)")
    conn.execute("INSERT INTO photos (path) VALUES ('/home/me/cat.jpg')")
    conn.commit()
    conn.close()
    before = _folder_state(data_paths.root)

    with pytest.raises(NotLetterDeskDatabaseError) as caught:
        open_database(data_paths.database, data_paths.backups)

    assert "not a LetterDesk data file" in caught.value.user_message
    assert _folder_state(data_paths.root) == before


def test_foreign_file_with_high_user_version_is_not_called_newer(data_paths):
    conn = sqlite3.connect(data_paths.database)
    conn.execute("CREATE TABLE things (id INTEGER PRIMARY KEY)")
    conn.execute("PRAGMA user_version = 999")
    conn.commit()
    conn.close()
    with pytest.raises(NotLetterDeskDatabaseError):
        open_database(data_paths.database, data_paths.backups)


@pytest.mark.parametrize(
    "content",
    [
        b"name,email\nAmara Okafor,a.okafor@example.org\n",
        os.urandom(8192),
        b"SQLite",  # shorter than the header
    ],
    ids=["text", "random-bytes", "truncated-header"],
)
def test_non_sqlite_file_is_refused_and_untouched(data_paths, content):
    data_paths.database.write_bytes(content)
    before = _folder_state(data_paths.root)
    with pytest.raises(NotLetterDeskDatabaseError):
        open_database(data_paths.database, data_paths.backups)
    assert _folder_state(data_paths.root) == before


def test_corrupt_file_gives_a_clear_error(data_paths):
    _make_letterdesk_file(data_paths.database)
    good = data_paths.database.read_bytes()
    # Keep the 100-byte header (so it looks like SQLite), garble the rest.
    data_paths.database.write_bytes(good[:100] + os.urandom(len(good) - 100))
    before = _folder_state(data_paths.root)

    with pytest.raises(CorruptDatabaseError) as caught:
        open_database(data_paths.database, data_paths.backups)

    assert "damaged" in caught.value.user_message
    assert "backup" in caught.value.user_message
    assert _folder_state(data_paths.root) == before


def test_locked_file_gives_a_message_not_a_traceback(data_paths, monkeypatch):
    """Another program holds an exclusive lock on a new file while we set it up."""
    data_paths.database.touch()
    monkeypatch.setitem(database.PRAGMAS, "busy_timeout", 50)  # fail fast
    holder = sqlite3.connect(data_paths.database, isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")
    try:
        with pytest.raises(DatabaseOpenError) as caught:
            open_database(data_paths.database, data_paths.backups)
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert str(data_paths.database) in caught.value.user_message
    assert "busy" in caught.value.user_message
    assert not isinstance(caught.value, CorruptDatabaseError)


# --- explaining runtime errors -------------------------------------------


def test_disk_full_is_explained(db):
    """A real SQLITE_FULL: the file may not grow past its current pages."""
    pages = _pragma(db, "page_count")
    db.execute_sql(f"PRAGMA max_page_count = {pages}")
    with pytest.raises(pw.DatabaseError) as caught, db.atomic():
        for n in range(2000):
            save_mentor(MentorFields(last_name="X" * 200 + str(n), category="other"))
    message = explain_database_error(caught.value)
    assert message is not None and "disk is full" in message


def test_read_only_is_explained(data_paths):
    _make_letterdesk_file(data_paths.database)
    conn = sqlite3.connect(f"{data_paths.database.as_uri()}?mode=ro", uri=True)
    try:
        with pytest.raises(sqlite3.OperationalError) as caught:
            conn.execute("DELETE FROM mentor")
    finally:
        conn.close()
    message = explain_database_error(caught.value)
    assert message is not None and "read-only" in message


def test_locked_is_explained(data_paths):
    _make_letterdesk_file(data_paths.database)
    holder = sqlite3.connect(data_paths.database, isolation_level=None)
    other = sqlite3.connect(data_paths.database, timeout=0.05, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    try:
        with pytest.raises(sqlite3.OperationalError) as caught:
            other.execute("BEGIN IMMEDIATE")
    finally:
        holder.execute("ROLLBACK")
        holder.close()
        other.close()
    message = explain_database_error(caught.value)
    assert message is not None and "busy" in message


def test_peewee_wrapped_errors_are_explained():
    assert "busy" in (explain_database_error(pw.OperationalError("database is locked")) or "")


def test_bugs_are_not_explained():
    assert explain_database_error(ValueError("database is locked")) is None
    assert explain_database_error(sqlite3.OperationalError("no such column: nmae")) is None
    assert explain_database_error(pw.IntegrityError("UNIQUE constraint failed")) is None
