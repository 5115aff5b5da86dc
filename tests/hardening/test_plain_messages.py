"""Point 6 (issue point 6): each failure the issue found reaching the crash
dialog or a wrong message, reproduced for real: a garbled schema, a missing
table, a full disk (a small tmpfs, root only), a file system remounted
read-only under the open database, the session D-Bus killed under the
keyring, crafted manifests and archives."""

from __future__ import annotations

import errno
import json
import os
import signal
import sqlite3
import subprocess
import zipfile
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from PySide6.QtWidgets import QMessageBox, QProgressDialog

from desktop.paths import DataPaths
from desktop.services import secrets
from desktop.services.data import archive, backups
from desktop.store.database import open_database
from desktop.store.errors import CorruptDatabaseError, explain_database_error
from desktop.store.mentors import MentorFields, save_mentor
from desktop.ui.shell.startup import open_data_folder
from tests.hardening.crafted import crafted_archive, rewrite_archive
from tests.keyring_service import SecretServiceDaemon, SecretServiceUnavailable

IS_ROOT = os.geteuid() == 0


# --- a small disk -------------------------------------------------------------


class SmallDisk:
    """A tmpfs of a few MB mounted for one test; ``fill()`` takes every free
    byte (kept until ``free()``)."""

    def __init__(self, mount: Path) -> None:
        self.mount = mount
        self.filler = mount / "filler.bin"

    def fill(self) -> None:
        with open(self.filler, "ab") as out:
            try:
                while True:
                    out.write(b"\0" * 65536)
                    out.flush()
            except OSError as exc:
                assert exc.errno == errno.ENOSPC
        # tmpfs may still take a partial block: write bytes until none fit
        with open(self.filler, "ab", buffering=0) as out:
            try:
                while out.write(b"\0" * 512):
                    pass
            except OSError:
                pass

    def free(self) -> None:
        self.filler.unlink(missing_ok=True)


@pytest.fixture
def small_disk(tmp_path):
    if not IS_ROOT:
        pytest.skip("mounting a small tmpfs for a full disk needs root")
    mount = tmp_path / "small-disk"
    mount.mkdir()
    subprocess.run(["mount", "-t", "tmpfs", "-o", "size=6m", "tmpfs", str(mount)], check=True)
    try:
        yield SmallDisk(mount)
    finally:
        subprocess.run(["umount", "-l", str(mount)], check=True)


def _folder_on(disk: SmallDisk) -> DataPaths:
    paths = DataPaths(disk.mount / "data")
    paths.ensure()
    db = open_database(paths.database, paths.backups)
    save_mentor(MentorFields(last_name="Okafor", category="clinical_supervisor"))
    db.close()
    return paths


def _past_progress(dialogs, handler):
    def handle(box):
        if isinstance(box, QProgressDialog):
            dialogs._handlers.insert(0, handle)
            return
        handler(box)

    return handle


# --- damaged files are offered the newest good backup ---------------------------------


def _good_backup(paths: DataPaths) -> None:
    db = open_database(paths.database, paths.backups)
    save_mentor(MentorFields(last_name="Okafor", category="clinical_supervisor"))
    backups.backup_now(db, paths, "manual")
    db.close()


def _garble_schema(paths: DataPaths) -> None:
    conn = sqlite3.connect(paths.database)
    conn.execute("PRAGMA writable_schema = ON")
    conn.execute(
        "UPDATE sqlite_master SET name = CAST(X'6D656E746FFF' AS TEXT), "
        "sql = CAST(X'435245415445205441424C4520FF' AS TEXT) WHERE name = 'mentor'"
    )
    conn.commit()
    conn.close()


def _drop_a_table(paths: DataPaths) -> None:
    conn = sqlite3.connect(paths.database)
    conn.execute("DROP TABLE interaction")
    conn.commit()
    conn.close()


@pytest.mark.parametrize(
    ("damage", "detail"),
    [(_garble_schema, "garbled"), (_drop_a_table, "lacks the table interaction")],
)
def test_a_damaged_or_incomplete_file_is_offered_the_newest_good_backup(
    data_paths, qtbot, dialogs, damage, detail
):
    _good_backup(data_paths)
    damage(data_paths)
    with pytest.raises(CorruptDatabaseError, match=detail):
        open_database(data_paths.database, data_paths.backups)
    seen = []

    def offered(box):
        seen.append((box.objectName(), box.text(), box.informativeText()))
        next(b for b in box.buttons() if b.text() == "Quit").click()

    dialogs.then(offered)
    assert open_data_folder(data_paths) is None
    dialogs.check()
    name, text, informative = seen[0]
    assert name == "restoreAtStartDialog"
    assert detail in text
    assert "newest good backup" in informative and "1 mentors" in informative


# --- full disk ---------------------------------------------------------------------


def test_export_works_with_the_data_disk_full_and_says_so_when_the_target_is_full(
    small_disk, tmp_path
):
    paths = _folder_on(small_disk)
    db = open_database(paths.database, paths.backups)
    try:
        small_disk.fill()
        # Target on another disk: the snapshot goes there, not to the data folder.
        summary = archive.export_archive(db, paths, tmp_path / "move.letterdesk.zip")
        assert summary.mentors == 1
        # Target on the full disk: a sentence, and nothing left behind.
        with pytest.raises(archive.ArchiveError, match="is full"):
            archive.export_archive(db, paths, small_disk.mount / "move.letterdesk.zip")
        assert sorted(p.name for p in small_disk.mount.iterdir()) == ["data", "filler.bin"]
        assert not any(p.name.startswith(".export-") for p in paths.root.iterdir())
    finally:
        db.close()


def test_back_up_now_on_a_full_disk_says_the_backup_was_not_made(small_disk):
    paths = _folder_on(small_disk)
    db = open_database(paths.database, paths.backups)
    try:
        small_disk.fill()
        with pytest.raises(backups.BackupError) as caught:
            backups.backup_now(db, paths, "manual")
        message = caught.value.user_message
        assert "is full, so no backup was made" in message
        assert "your change could not be saved" not in message
        assert backups.list_backups(paths) == []
    finally:
        db.close()


def test_a_full_disk_at_start_up_is_called_a_full_disk(small_disk, qtbot, dialogs):
    paths = _folder_on(small_disk)
    (paths.root / "letterdesk.sqlite3-wal").unlink(missing_ok=True)
    small_disk.fill()
    seen = []

    def read(box):
        seen.append(box.text())
        next(b for b in box.buttons() if b.text() == "Quit").click()

    dialogs.then(read)
    assert open_data_folder(paths) is None
    dialogs.check()
    text = seen[0]
    assert "full" in text and "start LetterDesk again" in text
    assert "disk I/O error" not in text and "your change could not be saved" not in text


@pytest.fixture
def ext4_disk(tmp_path):
    """A real ext4 file system in a loop device, mounted errors=remount-ro:
    ``fail()`` makes the kernel report a file-system error (its sysfs
    trigger), and ext4 turns read-only under whoever has files open."""
    if not IS_ROOT:
        pytest.skip("a loop-mounted ext4 needs root")
    image, mount = tmp_path / "disk.img", tmp_path / "ext4"
    mount.mkdir()
    with open(image, "wb") as out:
        out.truncate(16 * 1024 * 1024)
    subprocess.run(["mkfs.ext4", "-q", str(image)], check=True)
    loop = subprocess.run(
        ["losetup", "-f", "--show", str(image)], check=True, capture_output=True, text=True
    ).stdout.strip()
    try:
        subprocess.run(["mount", "-o", "errors=remount-ro", loop, str(mount)], check=True)
        trigger = Path("/sys/fs/ext4") / Path(loop).name / "trigger_fs_error"
        if not trigger.exists():
            pytest.skip("this kernel has no ext4 trigger_fs_error to turn a disk read-only")
        yield mount, lambda: trigger.write_text("1")
    finally:
        subprocess.run(["umount", "-l", str(mount)], check=False)
        subprocess.run(["losetup", "-d", loop], check=False)


def test_a_file_system_turning_read_only_under_the_app_is_explained(ext4_disk):
    mount, fail = ext4_disk
    paths = DataPaths(mount / "data")
    paths.ensure()
    db = open_database(paths.database, paths.backups)
    try:
        save_mentor(MentorFields(last_name="Okafor", category="clinical_supervisor"))
        fail()
        with pytest.raises(Exception) as caught:
            for n in range(300):
                save_mentor(MentorFields(last_name=f"W{n}" * 200, category="other"))
            db.execute_sql("PRAGMA wal_checkpoint(TRUNCATE)")  # what SQLite does as the WAL grows
        assert "disk I/O error" in str(caught.value)
        sentence = explain_database_error(caught.value)
        assert sentence is not None, f"would reach the crash dialog: {caught.value!r}"
        assert "was not saved" in sentence and "read-only" in sentence
    finally:
        db.close()


# --- the keyring's D-Bus dies --------------------------------------------------------


def test_the_session_bus_dying_under_the_keyring_is_a_sentence(tmp_path, monkeypatch):
    service = SecretServiceDaemon(tmp_path / "keyring")
    try:
        service.start()
    except SecretServiceUnavailable as exc:
        service.stop()
        pytest.fail(f"A real Secret Service could not be started for this test: {exc}")
    try:
        service.use_in(monkeypatch)
        assert secrets.set_password("maya@example.org", "pw").ok
        for process in service._processes:  # the session's D-Bus and keyring go away
            os.kill(process.pid, signal.SIGKILL)
            process.wait()
        found = secrets.get_password("maya@example.org")
        assert found.outcome in (secrets.SecretOutcome.FAILED, secrets.SecretOutcome.UNAVAILABLE)
        assert "keyring" in found.message
        assert not secrets.set_password("maya@example.org", "pw2").ok
    finally:
        service.stop()


def test_the_scheduler_does_not_raise_when_the_keyring_fails(
    db, data_paths, qtbot, dialogs, monkeypatch
):
    """The keyring answering with a non-keyring error (as jeepney does when
    the bus dies, reproduced above for real) while an email is due: one
    status message, no exception, on the first tick and on the next."""
    import keyring
    import keyring.backend

    from desktop.services.mail.account import SmtpAccount, save_account
    from desktop.store import outbox
    from desktop.store.outbox import EmailFields
    from desktop.ui.mail.mail_scheduler import MailScheduler

    class DeadBus(keyring.backend.KeyringBackend):
        priority = 1  # type: ignore[assignment]

        def get_password(self, service, username):
            raise ConnectionResetError("D-Bus connection closed")

        def set_password(self, service, username, password):
            raise ConnectionResetError("D-Bus connection closed")

        def delete_password(self, service, username):
            raise ConnectionResetError("D-Bus connection closed")

    keyring.set_keyring(DeadBus())
    save_account(SmtpAccount("Maya", "maya@school.edu", "smtp.school.edu", 587, "starttls", "maya"))
    email_id = outbox.create_draft(EmailFields("o@h.org", "Letter", "Hi"))
    outbox.schedule(email_id, datetime.now(UTC) - timedelta(minutes=1), domain="school.edu")
    scheduler = MailScheduler(data_paths, None)
    messages = []
    scheduler.status_message.connect(messages.append)
    dialogs.then(lambda box: box.reject())  # the password question: cancelled
    scheduler.tick()
    scheduler.tick()
    dialogs.check()
    assert messages and all("not sent" in m or "password" in m for m in messages)


# --- crafted manifests and archives ---------------------------------------------------


def test_a_backup_whose_manifest_lists_documents_wrongly_is_refused_plainly(
    db, data_paths, tmp_path
):
    saved = backups.backup_now(db, data_paths, "manual")
    db.close()
    bad = tmp_path / "letterdesk-backup-20260101-000000-manual.zip"
    with zipfile.ZipFile(saved.path) as old, zipfile.ZipFile(bad, "w") as new:
        for info in old.infolist():
            data = old.read(info)
            if info.filename == "MANIFEST.json":
                manifest = json.loads(data)
                manifest["documents"] = [1]
                data = json.dumps(manifest).encode()
            new.writestr(info, data)
    assert not backups.verify(bad).ok
    with pytest.raises(backups.BackupError, match="documents are not listed right"):
        backups.restore(data_paths, bad)


def test_a_duplicate_archive_member_is_called_a_duplicate(tmp_path):
    real = crafted_archive(tmp_path / "other", tmp_path / "real.zip", lambda db: None)
    twice = tmp_path / "twice.zip"
    with zipfile.ZipFile(real) as old, zipfile.ZipFile(twice, "w") as new:
        for info in old.infolist():
            data = old.read(info)
            if info.filename == "MANIFEST.json":
                manifest = json.loads(data)
                manifest["files"].append(dict(manifest["files"][0]))
                data = json.dumps(manifest).encode()
            new.writestr(info, data)
    with pytest.raises(archive.ArchiveError) as caught:
        archive.inspect_archive(twice)
    assert "twice" in caught.value.user_message
    assert "outside its folder" not in caught.value.user_message
    assert rewrite_archive  # (the other crafting helper, used by the limits tests)


def test_the_gui_archive_import_says_archive_imported(tmp_path, qtbot, dialogs):
    from desktop.ui.data.restore_flow import run_restore

    def two_mentors(db):
        for name in ("Okafor", "Lee"):
            save_mentor(MentorFields(last_name=name, category="clinical_supervisor"))

    moved = crafted_archive(tmp_path / "other", tmp_path / "move.letterdesk.zip", two_mentors)
    here = DataPaths(tmp_path / "here")
    here.ensure()
    open_database(here.database, here.backups).close()
    seen = []

    def read(box):
        seen.append((box.windowTitle(), box.text()))
        box.button(QMessageBox.StandardButton.Ok).click()

    dialogs.then(_past_progress(dialogs, read))
    assert run_restore(here, moved) is True
    dialogs.check()
    title, text = seen[0]
    assert title == "Archive imported" and "move.letterdesk.zip" in text
    db = open_database(here.database, here.backups)
    try:
        from desktop.store.models import Mentor

        assert Mentor.select().count() == 2
    finally:
        db.close()
