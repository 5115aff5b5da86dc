"""Point 3 (issue point 2): backups and a wrong clock. A real clock offset:
the backup code runs in a child process under libfaketime (LD_PRELOAD),
400 days ahead, on the same real data folder."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from datetime import datetime
from pathlib import Path

import pytest

from desktop.services.data import backups
from desktop.store.mentors import MentorFields, save_mentor

ROOT = Path(__file__).resolve().parents[2]
_LIBRARIES = (
    "/usr/lib/x86_64-linux-gnu/faketime/libfaketime.so.1",
    "/usr/lib/aarch64-linux-gnu/faketime/libfaketime.so.1",
    "/usr/lib/faketime/libfaketime.so.1",
)
LIBFAKETIME = next((p for p in _LIBRARIES if os.path.exists(p)), None)
needs_faketime = pytest.mark.skipif(
    LIBFAKETIME is None,
    reason="libfaketime is not installed (Debian package faketime; packaging/system-deps.sh)",
)

_DAILY = textwrap.dedent(
    """
    import sys
    from datetime import datetime
    from pathlib import Path
    from desktop.paths import DataPaths
    from desktop.services.data import backups
    from desktop.store.database import open_database

    paths = DataPaths(Path(sys.argv[1]))
    db = open_database(paths.database, paths.backups)
    print("now", datetime.now().isoformat(), flush=True)
    if backups.daily_backup_due(paths):
        print("made", backups.backup_now(db, paths, "daily").path.name, flush=True)
    db.close()
    """
)


def _run_ahead(paths, days: int = 400) -> str:
    """One start of the backup code with the clock ``days`` ahead."""
    env = dict(
        os.environ,
        LD_PRELOAD=LIBFAKETIME or "",
        FAKETIME=f"+{days}d",
        FAKETIME_DONT_FAKE_MONOTONIC="1",
    )
    done = subprocess.run(
        [sys.executable, "-c", _DAILY, str(paths.root)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=env,
        timeout=120,
        check=True,
    )
    now = datetime.fromisoformat(done.stdout.split()[1])
    assert (now - datetime.now()).days >= days - 1, "the clock offset did not take"
    return done.stdout


def _mentors(n: int) -> None:
    for i in range(n):
        save_mentor(MentorFields(last_name=f"Writer {i}", category="clinical_supervisor"))


@needs_faketime
def test_a_future_dated_backup_is_reported_and_daily_backups_go_on(db, data_paths):
    _mentors(2)
    db.close()
    assert "made" in _run_ahead(data_paths)  # one start with the clock a year ahead
    (future,) = backups.list_backups(data_paths)
    assert future.created > datetime.now()
    # Back to the real clock: the future backup is seen, and does not count
    # as today's backup.
    assert backups.future_dated_backups(data_paths) == [future]
    assert backups.daily_backup_due(data_paths)


@needs_faketime
def test_the_newest_good_backup_is_newest_by_number_not_by_date(db, data_paths):
    _mentors(2)
    backups.backup_now(db, data_paths, "manual")  # an old one, real clock
    db.close()
    _run_ahead(data_paths)  # 2 mentors, dated next year
    from desktop.store.database import open_database

    db = open_database(data_paths.database, data_paths.backups)
    _mentors(30)
    real = backups.backup_now(db, data_paths, "daily")  # 32 mentors, today
    db.close()
    good = backups.newest_good_backup(data_paths)
    assert good is not None and good.path == real.path
    assert backups.backup_counts(good.path) == {"mentors": 32, "requests": 0}


@needs_faketime
def test_a_clock_jump_never_prunes_the_before_restore_copy(db, data_paths):
    _mentors(1)
    saved = backups.backup_now(db, data_paths, "manual")
    db.close()
    before = backups.restore(data_paths, saved.path)
    assert before.reason == "before-restore"
    from desktop.store.database import open_database

    db = open_database(data_paths.database, data_paths.backups)
    backups.backup_now(db, data_paths, "manual")  # the newest of its day and week
    db.close()
    _run_ahead(data_paths)  # a start a year ahead: a daily backup, then pruning
    assert before.path.exists(), "the only way to undo the restore was pruned"


@needs_faketime
def test_the_data_dialog_says_a_backup_is_dated_in_the_future(db, data_paths, qtbot, tmp_path):
    from desktop.ui.data.data_dialog import DataDialog

    db.close()
    _run_ahead(data_paths)
    dialog = DataDialog(data_paths)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    status = dialog.findChild(type(dialog.status), "dataStatus")
    assert "later than now" in status.text() and "Check the clock" in status.text()
    assert "(clock was wrong)" in dialog.model.item(0, 0).text()
    shot = Path(os.environ.get("LETTERDESK_SHOTS", tmp_path)) / "data-dialog-future-backup.png"
    dialog.grab().save(str(shot))
