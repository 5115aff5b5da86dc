"""Crash safety: a writer process using the real store functions is killed
with SIGKILL at random moments; after every kill the file passes
``PRAGMA integrity_check`` and holds every write the writer had confirmed.

The writer prints an id only after its commit returned, so "confirmed"
means what the app would have told the user was saved. With
``synchronous=NORMAL`` in WAL mode a commit survives a process crash
(the WAL is in the OS's page cache); only a power cut may lose the last one.
"""

from __future__ import annotations

import os
import random
import signal
import sqlite3
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

KILLS = 24
ROOT = Path(__file__).resolve().parents[2]

_WRITER = textwrap.dedent(
    """
    import sys
    from datetime import date
    from pathlib import Path
    from desktop.store.database import open_database
    from desktop.store.mentors import (
        InteractionFields, MentorFields, save_interaction, save_mentor,
    )
    from desktop.store.models import database_proxy

    folder = Path(sys.argv[1])
    db = open_database(folder / "letterdesk.sqlite3", folder / "backups")
    print("ready", flush=True)
    n = 0
    while True:
        n += 1
        # One mentor with a few interactions in one transaction, then an
        # interaction on its own: both kinds of commit get interrupted.
        with database_proxy.atomic():
            mentor = save_mentor(MentorFields(last_name=f"M{n}", category="other",
                                              notes="x" * (n % 700)))
            for k in range(n % 4):
                save_interaction(mentor, InteractionFields(date(2025, 1, 1 + k % 28),
                                                           "meeting", f"talk {k}"))
        print(f"mentor {mentor}", flush=True)
        interaction = save_interaction(mentor, InteractionFields(date(2025, 2, 1),
                                                                 "email", "follow-up"))
        print(f"interaction {interaction}", flush=True)
    """
)


def _run_and_kill(folder: Path, rng: random.Random) -> tuple[dict[str, set[int]], bool]:
    """Start the writer, let it write for a random moment, SIGKILL it.
    Returns the ids it confirmed and whether it had started writing."""
    process = subprocess.Popen(
        [sys.executable, "-c", _WRITER, str(folder)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=ROOT,
    )
    assert process.stdout is not None
    started = process.stdout.readline().strip() == "ready"
    time.sleep(rng.uniform(0.0, 0.25))
    os.kill(process.pid, signal.SIGKILL)
    output, errors = process.communicate()
    assert process.returncode == -signal.SIGKILL, errors
    confirmed: dict[str, set[int]] = {"mentor": set(), "interaction": set()}
    # The last line may have been cut by the kill: only whole lines count.
    for line in output.split("\n")[:-1]:
        kind, _, number = line.partition(" ")
        if kind in confirmed and number.isdigit():
            confirmed[kind].add(int(number))
    return confirmed, started


@pytest.mark.slow
def test_sigkill_at_random_moments_never_loses_confirmed_writes(tmp_path):
    folder = tmp_path / "data"
    folder.mkdir()
    rng = random.Random(int(os.environ.get("CRASH_SEED", "20250320")))
    confirmed: dict[str, set[int]] = {"mentor": set(), "interaction": set()}
    kills_mid_run = 0
    for _ in range(KILLS):
        new, started = _run_and_kill(folder, rng)
        kills_mid_run += started and bool(new["mentor"])
        for kind in confirmed:
            confirmed[kind] |= new[kind]
        conn = sqlite3.connect(folder / "letterdesk.sqlite3")
        try:
            assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
            assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
            mentors = {row[0] for row in conn.execute("SELECT id FROM mentor")}
            interactions = {row[0] for row in conn.execute("SELECT id FROM interaction")}
        finally:
            conn.close()
        assert confirmed["mentor"] <= mentors
        assert confirmed["interaction"] <= interactions
    total = len(confirmed["mentor"]) + len(confirmed["interaction"])
    print(
        f"\ncrash test: {KILLS} SIGKILLs ({kills_mid_run} during writes), "
        f"{total} confirmed writes ({len(confirmed['mentor'])} mentor transactions, "
        f"{len(confirmed['interaction'])} interactions), all present, integrity ok"
    )
    assert kills_mid_run >= 20
    assert len(confirmed["mentor"]) >= KILLS
