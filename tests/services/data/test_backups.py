"""Backups: real SQLite files and real zip archives in a temp data folder."""

from __future__ import annotations

import sqlite3
import threading
import zipfile
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest

from desktop.paths import DataPaths
from desktop.services.data import backups
from desktop.services.data.backups import BackupError, BackupInfo, backups_to_delete
from desktop.store import mentors as mentor_store
from desktop.store.database import open_database
from desktop.store.mentors import MentorFields

NOW = datetime(2025, 3, 20, 12, 0, 0)  # a Thursday


def _add(name: str) -> int:
    return mentor_store.save_mentor(MentorFields(last_name=name, category="other"))


def _names(path: Path) -> list[str]:
    conn = sqlite3.connect(f"{path.as_uri()}?immutable=1", uri=True)
    try:
        return [row[0] for row in conn.execute("SELECT last_name FROM mentor ORDER BY id")]
    finally:
        conn.close()


def _info(created: datetime, reason: str = "daily") -> BackupInfo:
    name = f"letterdesk-backup-{created:%Y%m%d-%H%M%S}-{reason}.zip"
    return BackupInfo(Path(name), created, 100, reason, True)


# --- retention (pure, fixed clock) ------------------------------------------


def test_retention_keeps_14_daily_and_8_weekly():
    # One automatic backup a day for 120 days, plus a second one on each day.
    made = []
    for days in range(120):
        day = NOW - timedelta(days=days)
        made += [_info(day.replace(hour=9)), _info(day.replace(hour=18), "manual")]
    made = [b for b in made if b.created <= NOW]
    doomed = {b.path for b in backups_to_delete(made, NOW)}
    kept = sorted((b for b in made if b.path not in doomed), key=lambda b: b.created)
    # 14 daily (the newest of each of the last 14 days) ...
    daily = [b for b in kept if NOW - b.created < timedelta(days=14)]
    assert len(daily) == 14 and len({b.created.date() for b in daily}) == 14
    # The newest of each day: 18:00, except today, whose 18:00 is still to come.
    assert all(b.created.hour == (9 if b.created.date() == NOW.date() else 18) for b in daily)
    # ... and 8 weekly: the newest of each of the last 8 ISO weeks, some of
    # which are already among the daily ones.
    weeks = {b.created.isocalendar()[:2] for b in kept}
    assert len(weeks) == 8
    assert len(kept) == len(daily) + (8 - len({b.created.isocalendar()[:2] for b in daily}))
    oldest_kept = kept[0].created
    assert NOW - oldest_kept < timedelta(weeks=8)


def test_retention_counts_days_that_have_backups_not_calendar_days():
    # Away for three months: the last backups before the gap are not lost.
    made = [_info(NOW - timedelta(days=100 + d)) for d in range(20)] + [_info(NOW)]
    doomed = {b.path for b in backups_to_delete(made, NOW)}
    # Today plus the 13 newest from before the gap are the 14 daily copies.
    assert all(b.path not in doomed for b in [*made[:13], made[-1]])
    # made[13..19] are 2024-11-27 back to 2024-11-21. Only five ISO weeks have
    # backups (2025-W12 and 2024-W50 to W47), so each week's newest stays:
    # 2024-11-24 (made[16], the Sunday of W47); W48's newest is 2024-12-01
    # (made[9]), already a daily copy, so 2024-11-25 to 27 go.
    assert doomed == {made[i].path for i in (13, 14, 15, 17, 18, 19)}


def test_retention_keeps_recent_safety_copies_and_future_dates():
    same_day = [_info(NOW - timedelta(hours=h), "manual") for h in range(1, 5)]
    safety = _info(NOW - timedelta(hours=6), "before-restore")
    old_safety = _info(NOW - timedelta(days=40), "before-import")
    old_filler = [_info(NOW - timedelta(days=40 + d)) for d in range(1, 80)]
    future = _info(NOW + timedelta(days=3))
    doomed = {
        b.path for b in backups_to_delete([*same_day, safety, old_safety, *old_filler, future], NOW)
    }
    assert safety.path not in doomed and future.path not in doomed
    assert same_day[0].path not in doomed
    assert all(b.path in doomed for b in same_day[1:])
    # The expired safety copy (2025-02-08) is an ordinary backup now, and the
    # newest of its day: the second of the 14 daily copies (today, then
    # 2025-02-08 and the 12 days from 2025-02-07 back to 01-27) and the
    # newest of ISO week 2025-W06. The weekly copies then add the Sundays of
    # the five weeks before (01-26, 01-19, 01-12, 01-05, 2024-12-29).
    assert old_safety.path not in doomed
    kept_filler = sorted(b.created.date() for b in old_filler if b.path not in doomed)
    daily = [date(2025, 1, d) for d in range(27, 32)] + [date(2025, 2, d) for d in range(1, 8)]
    weekly = [date(2024, 12, 29), date(2025, 1, 5), date(2025, 1, 12), date(2025, 1, 19)]
    expected = [*weekly, date(2025, 1, 26), *daily]
    assert kept_filler == expected


def test_safety_copies_are_kept_exactly_14_days_by_themselves():
    # With no daily or weekly copies kept, only the safety rule keeps anything.
    young = _info(NOW - timedelta(days=14) + timedelta(seconds=1), "before-restore")
    expired = _info(NOW - timedelta(days=14), "before-import")
    upgrade = BackupInfo(
        Path("before-format-1-20250307-120001.sqlite3"),
        NOW - timedelta(days=13, hours=23, minutes=59, seconds=59),
        100,
        "before-format",
        False,
        format_version=1,
    )
    old_upgrade = BackupInfo(
        Path("before-format-1-20250306-115959.sqlite3"),
        NOW - timedelta(days=14, seconds=1),
        100,
        "before-format",
        False,
        format_version=1,
    )
    recent_manual = _info(NOW - timedelta(hours=1), "manual")
    doomed = backups_to_delete(
        [young, expired, upgrade, old_upgrade, recent_manual],
        NOW,
        keep_daily=0,
        keep_weekly=0,
        keep_safety_copies=0,
    )
    assert {b.path for b in doomed} == {expired.path, old_upgrade.path, recent_manual.path}


def test_safety_copies_older_than_14_days_go_with_the_default_rule():
    # One automatic backup every morning for 120 days; two safety copies
    # made at noon 14 days ago, a minute apart. Neither is the newest of its
    # day among the 14 daily copies (2025-03-07 to 03-20), nor of its week.
    daily = [_info((NOW - timedelta(days=d)).replace(hour=9)) for d in range(120)]
    expired = _info(NOW - timedelta(days=14), "before-restore")  # 2025-03-06 12:00
    young = _info(NOW - timedelta(days=14) + timedelta(minutes=1), "before-import")
    doomed = {
        b.path for b in backups_to_delete([*daily, expired, young], NOW, keep_safety_copies=0)
    }
    assert expired.path in doomed
    assert young.path not in doomed
    kept_days = sorted(b.created.date() for b in daily if b.path not in doomed)
    # 14 daily copies, then the newest (Sunday) of each earlier ISO week up
    # to 8 weeks in all: W12 and W11 and W10 are covered by the daily ones.
    weekly = [date(2025, 2, 2), date(2025, 2, 9), date(2025, 2, 16), date(2025, 2, 23)]
    weekly.append(date(2025, 3, 2))
    assert kept_days == [*weekly, *(date(2025, 3, d) for d in range(7, 21))]


def test_retention_with_nothing_or_few():
    assert backups_to_delete([], NOW) == []
    few = [_info(NOW - timedelta(days=d)) for d in range(5)]
    assert backups_to_delete(few, NOW) == []


def test_names_are_parsed_and_others_ignored(tmp_path):
    paths = DataPaths(tmp_path)
    paths.ensure()
    for name in (
        "letterdesk-backup-20250301-101010-manual.zip",
        "letterdesk-backup-20250301-101010-before-restore-2.zip",
        "before-format-3-20250228-090000.sqlite3",
        "letterdesk-backup-20250301-101011-manual.zip.part",
        "notes.txt",
        "letterdesk-backup-2025-manual.zip",
    ):
        (paths.backups / name).write_bytes(b"x" * 7)
    found = backups.list_backups(paths)
    assert [(b.reason, b.has_documents, b.format_version) for b in found] == [
        ("before-restore", True, None),  # same second, numbered -2: the newer
        ("manual", True, None),
        ("before-format", False, 3),
    ]
    assert all(b.size == 7 for b in found)


# --- backing up, verifying, restoring ------------------------------------------


def test_backup_holds_database_and_documents_and_verifies(db, data_paths):
    _add("Okafor")
    (data_paths.documents / "cv-v1.pdf").write_bytes(b"%PDF cv")
    (data_paths.documents / "half.pdf.part").write_bytes(b"half")
    info = backups.backup_now(db, data_paths, "manual")
    assert info.reason == "manual" and info.has_documents and info.size > 0
    assert backups.list_backups(data_paths)[0] == info
    with zipfile.ZipFile(info.path) as archive:
        names = set(archive.namelist())
    assert {"MANIFEST.json", "letterdesk.sqlite3", "documents/cv-v1.pdf"} <= names
    assert "documents/half.pdf.part" not in names
    assert backups.verify(info.path).ok
    assert not list(data_paths.backups.glob("*.part"))
    assert oct(info.path.stat().st_mode & 0o777) == "0o600"


def test_backup_while_another_thread_writes(db, data_paths):
    """The online backup API gives a consistent copy while writes go on."""
    stop = threading.Event()

    def writer():
        n = 0
        while not stop.is_set():
            _add(f"W{n}")  # this thread's own connection
            n += 1
        db.close()

    _add("Seed")
    thread = threading.Thread(target=writer)
    thread.start()
    try:
        # Verified one by one: the same day's older copies are pruned.
        checks = [
            backups.verify(backups.backup_now(db, data_paths, "manual").path) for _ in range(5)
        ]
    finally:
        stop.set()
        thread.join()
    assert all(check.ok for check in checks), checks
    assert len(backups.list_backups(data_paths)) == 1


def test_daily_backup_due(db, data_paths):
    assert backups.daily_backup_due(data_paths, NOW)
    backups.backup_now(db, data_paths, "daily", now=NOW - timedelta(hours=23))
    assert not backups.daily_backup_due(data_paths, NOW)
    assert backups.daily_backup_due(data_paths, NOW + timedelta(hours=1))


def test_backup_now_prunes(db, data_paths):
    for days in range(30, 0, -1):
        backups.backup_now(db, data_paths, "daily", now=NOW - timedelta(days=days * 7))
    kept = backups.list_backups(data_paths)
    # One per day, a week apart: the 14 newest days that have a backup.
    assert len(kept) == 14 and kept[-1].created == NOW - timedelta(days=14 * 7)


def test_unknown_reason_is_refused(db, data_paths):
    with pytest.raises(ValueError):
        backups.backup_now(db, data_paths, "../../etc")


def test_restore_replaces_database_and_documents(db, data_paths):
    _add("Before")
    (data_paths.documents / "cv-v1.pdf").write_bytes(b"old cv")
    saved = backups.backup_now(db, data_paths, "manual")
    _add("After")
    (data_paths.documents / "cv-v1.pdf").write_bytes(b"changed")
    (data_paths.documents / "new.pdf").write_bytes(b"new")
    db.close()

    before = backups.restore(data_paths, saved.path)

    assert _names(data_paths.database) == ["Before"]
    assert (data_paths.documents / "cv-v1.pdf").read_bytes() == b"old cv"
    assert not (data_paths.documents / "new.pdf").exists()
    assert before.reason == "before-restore" and backups.verify(before.path).ok
    # The state before the restore is itself restorable.
    backups.restore(data_paths, before.path)
    assert _names(data_paths.database) == ["Before", "After"]
    assert (data_paths.documents / "new.pdf").read_bytes() == b"new"
    assert not list(data_paths.root.glob("*.restoring")) and not list(
        data_paths.root.glob("restore-in-progress*")
    )
    reopened = open_database(data_paths.database, data_paths.backups)
    assert backups.quick_check(reopened) is None
    reopened.close()


def test_restore_from_an_upgrade_copy_keeps_documents(db, data_paths):
    _add("Old")
    copy = data_paths.backups / "before-format-9-20250101-000000.sqlite3"
    from desktop.store.database import backup_copy

    backup_copy(db, copy)
    _add("New")
    (data_paths.documents / "keep.pdf").write_bytes(b"keep")
    db.close()
    backups.restore(data_paths, copy)
    assert _names(data_paths.database) == ["Old"]
    assert (data_paths.documents / "keep.pdf").read_bytes() == b"keep"


@pytest.mark.parametrize(
    "damage",
    ["truncated", "not-a-zip", "no-manifest", "bad-crc", "corrupt-db", "traversal", "empty"],
)
def test_a_bad_backup_is_refused_and_nothing_changes(db, data_paths, damage):
    _add("Current")
    (data_paths.documents / "mine.pdf").write_bytes(b"mine")
    good = backups.backup_now(db, data_paths, "manual", now=NOW)
    db.close()
    bad = data_paths.backups / "letterdesk-backup-20250320-130000-manual.zip"
    data = good.path.read_bytes()
    if damage == "truncated":
        bad.write_bytes(data[: len(data) // 2])
    elif damage == "not-a-zip":
        bad.write_bytes(b"hello")
    elif damage == "empty":
        bad.write_bytes(b"")
    else:
        with zipfile.ZipFile(good.path) as src, zipfile.ZipFile(bad, "w") as out:
            for info in src.infolist():
                body = src.read(info)
                if damage == "no-manifest" and info.filename == "MANIFEST.json":
                    continue
                if damage == "corrupt-db" and info.filename == "letterdesk.sqlite3":
                    body = body[:4096] + b"\xff" * 8192 + body[4096 + 8192 :]
                out.writestr(info, body)
            if damage == "traversal":
                out.writestr("documents/../../evil.txt", b"evil")
        if damage == "bad-crc":
            raw = bytearray(bad.read_bytes())
            at = raw.find(b"CREATE TABLE")
            at = at if at > 0 else len(raw) // 3
            raw[at] ^= 0xFF
            bad.write_bytes(bytes(raw))
    before = data_paths.database.read_bytes()
    # verify() checks the archive and its database; a document path leading
    # outside the folder is refused by restore() itself, before it writes.
    assert backups.verify(bad).ok is (damage == "traversal")
    with pytest.raises(BackupError) as caught:
        backups.restore(data_paths, bad)
    assert caught.value.user_message
    assert data_paths.database.read_bytes() == before
    assert (data_paths.documents / "mine.pdf").read_bytes() == b"mine"
    assert not (data_paths.root.parent / "evil.txt").exists()
    assert not list(data_paths.root.glob("*.restoring")) and not list(
        data_paths.root.glob("documents.*")
    )


def test_interrupted_restore_is_finished_on_next_start(db, data_paths, monkeypatch):
    _add("Saved")
    (data_paths.documents / "a.pdf").write_bytes(b"a")
    saved = backups.backup_now(db, data_paths, "manual")
    _add("Later")
    (data_paths.documents / "a.pdf").write_bytes(b"later")
    db.close()

    real_replace = backups.os.replace
    calls = []

    def crash_on_documents(src, dst):
        calls.append(Path(src).name)
        if Path(src).name == "documents.restoring":
            raise KeyboardInterrupt("power cut")
        return real_replace(src, dst)

    monkeypatch.setattr(backups.os, "replace", crash_on_documents)
    with pytest.raises(KeyboardInterrupt):
        backups.restore(data_paths, saved.path)
    monkeypatch.setattr(backups.os, "replace", real_replace)
    assert (data_paths.root / "restore-in-progress.json").exists()

    assert backups.recover_interrupted_restore(data_paths) is True
    assert _names(data_paths.database) == ["Saved"]
    assert (data_paths.documents / "a.pdf").read_bytes() == b"a"
    assert not (data_paths.root / "restore-in-progress.json").exists()
    assert not (data_paths.root / "documents.replaced").exists()


def test_restore_interrupted_before_the_point_of_no_return_changes_nothing(db, data_paths):
    _add("Current")
    db.close()
    (data_paths.root / "letterdesk.sqlite3.restoring").write_bytes(b"half")
    (data_paths.root / "documents.restoring").mkdir()
    (data_paths.backups / "letterdesk-backup-20250101-000000-daily.zip.part").write_bytes(b"x")
    assert backups.recover_interrupted_restore(data_paths) is False
    assert _names(data_paths.database) == ["Current"]
    assert not list(data_paths.root.glob("*.restoring"))
    assert not list(data_paths.backups.glob("*.part"))


def test_damaged_current_file_is_kept_byte_for_byte(db, data_paths):
    _add("Good")
    good = backups.backup_now(db, data_paths, "manual")
    db.close()
    raw = bytearray(data_paths.database.read_bytes())
    raw[4096 : 4096 * 3] = b"\xee" * 8192
    data_paths.database.write_bytes(bytes(raw))
    before = backups.restore(data_paths, good.path, current_damaged=True)
    with zipfile.ZipFile(before.path) as archive:
        assert archive.read("letterdesk.sqlite3") == bytes(raw)
    assert not backups.verify(before.path).ok  # listed, but never offered as good
    assert backups.newest_good_backup(data_paths) == good
    assert _names(data_paths.database) == ["Good"]


def test_check_database_file(tmp_path, db, data_paths):
    db.close()  # the check reads the main file alone, as in a backup copy
    assert backups.check_database_file(data_paths.database) is None
    other = tmp_path / "other.sqlite3"
    conn = sqlite3.connect(other)
    conn.execute("CREATE TABLE t (x)")
    conn.close()
    assert backups.check_database_file(other) == "not a LetterDesk database"
    text = tmp_path / "text.sqlite3"
    text.write_text("hello")
    assert backups.check_database_file(text) == "not an SQLite database"
    assert backups.check_database_file(tmp_path / "missing") is not None


def test_prune_deletes_what_the_rule_lets_go_returns_it_and_logs_each(data_paths, caplog):
    import logging

    caplog.set_level(logging.INFO, logger="desktop.services.data.backups")
    files = []
    for days in range(20):
        info = _info(NOW - timedelta(days=days))
        path = data_paths.backups / info.path.name
        path.write_bytes(b"zip")
        files.append(path)
    other = data_paths.backups / "notes.txt"  # not a backup: never touched
    other.write_text("mine")
    deleted = backups.prune(data_paths, now=NOW)
    gone = sorted(p.name for p in files if not p.exists())
    assert sorted(b.path.name for b in deleted) == gone
    # 2025-03-20 back to 03-01: kept are the 14 daily copies (03-07 to 03-20)
    # and 03-02, the newest of ISO week 9; 03-01 and 03-03 to 03-06 go.
    day_of = {p.name: int(p.name[24:26]) for p in files}  # letterdesk-backup-YYYYMMDD-...
    assert sorted(day_of[name] for name in gone) == [1, 3, 4, 5, 6]
    assert other.read_text() == "mine"
    messages = [r.getMessage() for r in caplog.records if r.levelno == logging.INFO]
    assert sorted(messages) == sorted(f"Deleted old backup {name}" for name in gone)


def test_prune_goes_on_when_one_file_cannot_be_deleted(data_paths, caplog, monkeypatch):
    import logging

    caplog.set_level(logging.WARNING, logger="desktop.services.data.backups")
    paths = []
    for days in range(20):
        path = data_paths.backups / _info(NOW - timedelta(days=days)).path.name
        path.write_bytes(b"zip")
        paths.append(path)
    doomed = {b.path for b in backups_to_delete(backups.list_backups(data_paths), NOW)}
    assert len(doomed) == 5
    stuck = sorted(doomed)[0]
    real_unlink = Path.unlink

    def unlink(self, *args, **kwargs):
        # A read-only or busy file (root ignores permissions, so a stand-in).
        if self == stuck:
            raise PermissionError(13, "Permission denied")
        return real_unlink(self, *args, **kwargs)

    monkeypatch.setattr(Path, "unlink", unlink)
    deleted = backups.prune(data_paths, now=NOW)
    assert {b.path for b in deleted} == doomed  # what the rule let go, tried
    assert stuck.exists()
    assert all(not p.exists() for p in doomed - {stuck})
    warnings = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
    assert warnings == [f"Could not delete old backup {stuck}: [Errno 13] Permission denied"]
