"""Making a restored or imported database file safe to open: what it holds
is a copy from another time (or another computer), so nothing in it may go
out by itself.

These functions work on a closed file with SQLite directly, before it is
swapped in (``services.data.backups.restore``): no connection of the app is
open then, and the models stay bound to nothing.
"""

from __future__ import annotations

import contextlib
import sqlite3
from pathlib import Path

from desktop.domain.vocabulary import EmailState as S

from .outbox import ALREADY_SENT_MESSAGE

HELD_MESSAGE = (
    "This email came back with a restore or an import, so LetterDesk holds it: it may "
    "have been sent from the copy in use before. Check your mailbox's Sent folder, then "
    "choose Retry to send it (a scheduled email keeps its time) or Delete."
)
_WAITING = (S.QUEUED.value, S.SCHEDULED.value)


def sent_message_ids(database: Path) -> set[str]:
    """The Message-IDs a database file records as sent; empty when it cannot
    be read (a damaged file is exactly when a restore is wanted)."""
    if not database.exists():
        return set()
    try:
        conn = sqlite3.connect(f"{database.resolve().as_uri()}?mode=ro", uri=True)
        try:
            rows = conn.execute(
                "SELECT message_id FROM outgoing_email WHERE state = ? AND message_id IS NOT NULL",
                (S.SENT.value,),
            ).fetchall()
        finally:
            conn.close()
    except (sqlite3.Error, UnicodeDecodeError):
        return set()
    return {str(m) for (m,) in rows if isinstance(m, str)}


def hold_unsent_emails(database: Path, sent_ids: set[str]) -> int:
    """In the file about to be restored: every queued or scheduled email
    becomes held, and so does any unsent email whose Message-ID went out
    already (with a note saying so). Returns how many are held."""
    conn = sqlite3.connect(database)
    try:
        with conn:
            rows = conn.execute(
                "SELECT id, state, message_id FROM outgoing_email WHERE state != ?",
                (S.SENT.value,),
            ).fetchall()
            held = 0
            for email_id, state, message_id in rows:
                if message_id is not None and message_id in sent_ids:
                    note = ALREADY_SENT_MESSAGE
                elif state in _WAITING:
                    note = HELD_MESSAGE
                else:
                    continue
                conn.execute(
                    "UPDATE outgoing_email SET state = ?, last_error = ? WHERE id = ?",
                    (S.HELD.value, note, email_id),
                )
                held += 1
    finally:
        with contextlib.suppress(sqlite3.Error):
            conn.close()
    return held


def held_count(database: Path) -> int:
    """How many emails in a (just restored) file wait for the user."""
    try:
        conn = sqlite3.connect(f"{database.resolve().as_uri()}?mode=ro", uri=True)
        try:
            (count,) = conn.execute(
                "SELECT count(*) FROM outgoing_email WHERE state = ?", (S.HELD.value,)
            ).fetchone()
        finally:
            conn.close()
    except sqlite3.Error:
        return 0
    return int(count)
