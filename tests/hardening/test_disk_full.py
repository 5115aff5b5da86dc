"""Disk full and read-only: the user gets a plain message, the dialog comes
back with what they typed, and the file stays intact.

Disk full is a real SQLITE_FULL: ``PRAGMA max_page_count`` stops the file
growing on the app's own connection. Read-only: the tests run as root
here, and root ignores file permissions (``chmod 0400`` would not stop a
write), so the app's connection is switched to ``PRAGMA query_only``, which
makes SQLite refuse writes with the same "readonly database" error; the
chmod variant runs where the user is not root.
"""

from __future__ import annotations

import os
import sqlite3

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QDialog

from desktop.store import mentors as mentor_store
from tests.ui.dialogs import click_message_button

LONG_NOTES = (
    "Met on the wards; wrote about the case conference. " * 300
)  # ~15 kB, under the 20,000 limit


def _integrity(path) -> list[tuple[str]]:
    conn = sqlite3.connect(path)
    try:
        return conn.execute("PRAGMA integrity_check").fetchall()
    finally:
        conn.close()


def _fill(dialog: QDialog) -> None:
    dialog.last_name.setText("Okafor")
    dialog.first_name.setText("Adaeze")
    dialog.email.setText("a.okafor@hospital.org")
    dialog.notes.setPlainText(LONG_NOTES)


def _add_mentor_failing_then(window, dialogs, expect: str, after_failure) -> dict:
    """Open Add mentor, type, save into the failure; check the message and
    that the dialog reopens with the typed values; then ``after_failure``."""
    seen: dict = {}

    def type_and_save(dialog):
        seen["dialog"] = dialog
        _fill(dialog)
        dialog.accept()

    def message(box):
        seen["title"] = box.windowTitle()
        seen["text"] = box.text()
        click_message_button(box, "OK")
        # The same dialog object comes back, which the driver (rightly)
        # does not hand out twice: look at it once it is up again.
        QTimer.singleShot(0, wait_for_reopen)

    def wait_for_reopen():
        dialog = seen["dialog"]
        if not dialog.isVisible():
            QTimer.singleShot(20, wait_for_reopen)
            return
        reopened(dialog)

    def reopened(dialog):
        seen["reopened"] = (
            dialog.last_name.text(),
            dialog.first_name.text(),
            dialog.email.text(),
            dialog.notes.toPlainText(),
        )
        after_failure(dialog)

    dialogs.then(type_and_save).then(message)
    window.page("mentors").add_mentor()
    dialogs.check()
    assert seen["title"] == "Not saved"
    assert expect in seen["text"]
    assert "Traceback" not in seen["text"]
    assert seen["reopened"] == ("Okafor", "Adaeze", "a.okafor@hospital.org", LONG_NOTES)
    return seen


def test_disk_full_keeps_the_typed_mentor_and_the_file(window, db, data_paths, dialogs):
    pages = db.execute_sql("PRAGMA page_count").fetchone()[0]
    db.execute_sql(f"PRAGMA max_page_count = {pages}")
    before = mentor_store.count_mentors()

    def free_space_and_save(dialog):
        db.execute_sql("PRAGMA max_page_count = 1073741823")  # the user freed space
        dialog.accept()

    _add_mentor_failing_then(window, dialogs, "disk is full", free_space_and_save)
    assert mentor_store.count_mentors() == before + 1  # saved once, on the retry
    saved = [r for r in mentor_store.load_mentor_rows() if "Okafor" in r.display_name]
    assert len(saved) == 1
    assert _integrity(data_paths.database) == [("ok",)]


def test_disk_full_then_cancel_saves_nothing(window, db, data_paths, dialogs):
    pages = db.execute_sql("PRAGMA page_count").fetchone()[0]
    db.execute_sql(f"PRAGMA max_page_count = {pages}")
    _add_mentor_failing_then(window, dialogs, "disk is full", lambda d: d.reject())
    db.execute_sql("PRAGMA max_page_count = 1073741823")
    assert mentor_store.count_mentors() == 0
    assert _integrity(data_paths.database) == [("ok",)]


def test_read_only_query_only_keeps_the_typed_mentor(window, db, data_paths, dialogs):
    db.execute_sql("PRAGMA query_only = ON")

    def cancel(dialog):
        dialog.reject()

    _add_mentor_failing_then(window, dialogs, "read-only", cancel)
    db.execute_sql("PRAGMA query_only = OFF")
    assert mentor_store.count_mentors() == 0
    assert _integrity(data_paths.database) == [("ok",)]


@pytest.mark.skipif(
    not hasattr(os, "geteuid") or os.geteuid() == 0,
    reason="root ignores file permissions; covered by the query_only test",
)
def test_read_only_file_keeps_the_typed_mentor(window, db, data_paths, dialogs):
    db.close()
    os.chmod(data_paths.database, 0o400)
    try:
        db.connect()  # a fresh open of the now read-only file
        _add_mentor_failing_then(window, dialogs, "read-only", lambda d: d.reject())
    finally:
        os.chmod(data_paths.database, 0o600)
    assert _integrity(data_paths.database) == [("ok",)]
