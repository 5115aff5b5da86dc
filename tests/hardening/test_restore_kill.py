"""SIGKILL during a restore while emails are scheduled (issue 13, point 1):
a process restores, over and over, a backup in which an email is still
scheduled and one in which it was sent, and is killed at random moments.
After every kill, the next start's recovery leaves a sound file in which
the email is sent or held, never scheduled (which would send it again)."""

from __future__ import annotations

import os
import random
import signal
import sqlite3
import subprocess
import sys
import textwrap
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from desktop.paths import DataPaths
from desktop.services.data import backups
from desktop.store import outbox, sent_ledger
from desktop.store.database import open_database
from desktop.store.outbox import EmailFields

KILLS = 16
ROOT = Path(__file__).resolve().parents[2]

_RESTORER = textwrap.dedent(
    """
    import sys
    from pathlib import Path
    from desktop.paths import DataPaths
    from desktop.services.data import backups

    paths = DataPaths(Path(sys.argv[1]))
    print("ready", flush=True)
    while True:
        for backup in sys.argv[2:]:
            backups.restore(paths, Path(backup))
            print("restored", backup, flush=True)
    """
)


def _state(paths: DataPaths, email_id: int) -> str:
    conn = sqlite3.connect(paths.database)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        return conn.execute(
            "SELECT state FROM outgoing_email WHERE id = ?", (email_id,)
        ).fetchone()[0]
    finally:
        conn.close()


@pytest.mark.slow
def test_sigkill_during_restores_never_brings_back_a_scheduled_email(data_paths):
    db = open_database(data_paths.database, data_paths.backups)
    email_id = outbox.create_draft(EmailFields("o@h.org", "Letter request", "Dear Dr. O,\n"))
    outbox.schedule(email_id, datetime.now(UTC) - timedelta(minutes=1), domain="school.edu")
    keep = data_paths.root.parent / "kept"
    keep.mkdir()
    scheduled = backups.backup_now(db, data_paths, "manual").path.replace(keep / "scheduled.zip")
    claimed = outbox.claim(email_id, datetime.now(UTC))
    assert claimed is not None
    outbox.record_sent(email_id, today=date.today(), claimed=claimed)
    sent = backups.backup_now(db, data_paths, "manual").path.replace(keep / "sent.zip")
    db.close()
    sources = [str(scheduled), str(sent)]

    rng = random.Random(int(os.environ.get("CRASH_SEED", "20261202")))
    restores = 0
    seen: set[str] = set()
    for _ in range(KILLS):
        process = subprocess.Popen(
            [sys.executable, "-c", _RESTORER, str(data_paths.root), *sources],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            cwd=ROOT,
        )
        assert process.stdout is not None
        assert process.stdout.readline().strip() == "ready"
        time.sleep(rng.uniform(0.05, 0.6))
        os.kill(process.pid, signal.SIGKILL)
        output, errors = process.communicate()
        assert process.returncode == -signal.SIGKILL, errors
        restores += output.count("restored")
        backups.recover_interrupted_restore(data_paths)  # what the next start does
        state = _state(data_paths, email_id)
        seen.add(state)
        assert state in ("sent", "held"), f"after a kill the email is {state!r}"
        assert claimed.message_id in sent_ledger.read_ids(sent_ledger.ledger_for(data_paths.root))
    print(f"\nrestore kill test: {KILLS} SIGKILLs, {restores} restores finished, states {seen}")
    assert restores >= KILLS
