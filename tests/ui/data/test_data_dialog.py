"""Data and backups: the dialog, Back up now on a worker, Restore with
the app reopening on the restored data, and the damaged-file flow at start."""

from __future__ import annotations

import sqlite3

from PySide6.QtCore import QTimer
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QApplication, QProgressDialog

from desktop.paths import DataPaths
from desktop.services.data import backups
from desktop.store import mentors as mentor_store
from desktop.store.database import open_database
from desktop.store.mentors import MentorFields
from desktop.ui.data import restore_flow
from desktop.ui.data.data_dialog import DataDialog, human_size, open_data_dialog
from desktop.ui.shell.startup import open_data_folder

from ..dialogs import click_message_button


def _past_progress(dialogs, handler):
    """``handler`` for the next message box; a restore's progress dialog,
    when it is up long enough to be seen, is let through."""

    def handle(dialog):
        if isinstance(dialog, QProgressDialog):
            dialogs._handlers.insert(0, handle)
            return
        handler(dialog)

    return handle


def _add(name: str) -> int:
    return mentor_store.save_mentor(MentorFields(last_name=name, category="other"))


def _names(path) -> list[str]:
    conn = sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True)
    try:
        return [row[0] for row in conn.execute("SELECT last_name FROM mentor ORDER BY id")]
    finally:
        conn.close()


def test_dialog_shows_folder_and_backups_and_backs_up_on_a_worker(
    qtbot, db, data_paths, monkeypatch
):
    _add("Okafor")
    backups.backup_now(db, data_paths, "daily")
    dialog = DataDialog(data_paths)
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.folder_label.text() == str(data_paths.root)
    assert dialog.model.rowCount() == 1
    assert dialog.model.item(0, 1).text() == "automatic"
    assert dialog.model.item(0, 2).text() == "Data and documents"
    assert not dialog.restore_button.isEnabled()

    opened = []
    monkeypatch.setattr(QDesktopServices, "openUrl", lambda url: opened.append(url.toLocalFile()))
    dialog.open_folder_button.click()
    assert opened == [str(data_paths.root)]

    dialog.backup_button.click()
    assert not dialog.backup_button.isEnabled()  # busy while the worker runs
    qtbot.waitUntil(lambda: dialog.backup_button.isEnabled(), timeout=10_000)
    assert "Backed up" in dialog.status.text()
    # A manual backup the same day replaces the day's automatic one.
    assert [b.reason for b in backups.list_backups(data_paths)] == ["manual"]
    assert dialog.model.rowCount() == 1 and dialog.restore_button.isEnabled()


def test_backup_failure_is_a_plain_message(qtbot, db, data_paths, dialogs, monkeypatch):
    dialog = DataDialog(data_paths)
    qtbot.addWidget(dialog)

    def full(*_a, **_k):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(backups, "backup_now", full)
    seen = {}

    def read(box):
        seen["text"] = box.text()
        click_message_button(box, "OK")

    dialogs.then(read)
    dialog.back_up_now()
    qtbot.waitUntil(lambda: "text" in seen, timeout=10_000)
    dialogs.check()
    assert "No space left on device" in seen["text"] and "Free some space" in seen["text"]
    assert dialog.backup_button.isEnabled()


def test_restore_closes_the_window_and_run_gui_reopens_on_the_restored_data(
    qtbot, db, data_paths, window, dialogs
):
    _add("In the backup")
    saved = backups.backup_now(db, data_paths, "manual")
    _add("Added later")

    opened = {}

    def pick_and_restore(dialog):
        opened["dialog"] = dialog
        dialog.table.selectRow(0)
        # Later, not inside this handler: the confirmation is modal too.
        QTimer.singleShot(0, dialog.restore_button.click)

    def cancel_first(box):
        click_message_button(box, "Cancel")
        QTimer.singleShot(0, opened["dialog"].restore_button.click)  # and ask again

    def confirm(box):
        assert "first backs up your data" in box.informativeText()
        click_message_button(box, "Restore")

    # Cancel once (nothing happens), then restore.
    dialogs.then(pick_and_restore).then(cancel_first).then(confirm)
    open_data_dialog(window, data_paths)
    dialogs.check()
    assert not window.isVisible()
    assert restore_flow.pending_restore(window) == saved.path

    # What run_gui does next: close, restore, reopen.
    db.close()
    dialogs.then(_past_progress(dialogs, lambda box: click_message_button(box, "OK")))
    assert restore_flow.run_restore(data_paths, saved.path)
    dialogs.check()
    assert _names(data_paths.database) == ["In the backup"]
    reopened = open_database(data_paths.database, data_paths.backups)
    assert mentor_store.count_mentors() == 1
    reopened.close()
    before = [b for b in backups.list_backups(data_paths) if b.reason == "before-restore"]
    assert len(before) == 1 and backups.verify(before[0].path).ok


def test_a_damaged_backup_is_refused_before_anything_closes(qtbot, db, data_paths, window, dialogs):
    _add("Current")
    bad = data_paths.backups / "letterdesk-backup-20250101-000000-manual.zip"
    bad.write_bytes(b"PK\x03\x04 not really")
    seen = {}

    def pick(dialog):
        seen["dialog"] = dialog
        dialog.table.selectRow(0)
        # Later, not inside this handler: the confirmation is modal too.
        QTimer.singleShot(0, dialog.restore_button.click)

    def warned(box):
        seen["text"] = box.text()
        click_message_button(box, "OK")
        QTimer.singleShot(0, seen["dialog"].reject)

    dialogs.then(pick).then(lambda box: click_message_button(box, "Restore")).then(warned)
    open_data_dialog(window, data_paths)
    dialogs.check()
    assert "cannot be restored" in seen["text"]
    assert window.isVisible() and restore_flow.pending_restore(window) is None
    assert _names(data_paths.database) == ["Current"]


def _corrupt(path) -> None:
    raw = bytearray(path.read_bytes())
    page = 4096
    raw[page * 2 : page * 5] = b"\xa5" * (page * 3)
    path.write_bytes(bytes(raw))


def test_damaged_file_at_start_offers_the_newest_good_backup(tmp_path, dialogs):
    paths = DataPaths(tmp_path / "data")
    paths.ensure()
    database = open_database(paths.database, paths.backups)
    for n in range(300):
        _add(f"Mentor {n}")
    good = backups.backup_now(database, paths, "daily")
    database.close()
    # A newer backup that is itself damaged must be skipped.
    newer = paths.backups / "letterdesk-backup-29990101-000000-manual.zip"
    newer.write_bytes(good.path.read_bytes()[:200])
    _corrupt(paths.database)
    damaged = paths.database.read_bytes()
    seen = {}

    def offer(box):
        seen["text"] = box.text()
        seen["info"] = box.informativeText()
        assert box.objectName() == "restoreAtStartDialog"
        click_message_button(box, "Restore the backup")

    dialogs.then(offer).then(_past_progress(dialogs, lambda box: click_message_button(box, "OK")))
    opened = open_data_folder(paths)
    dialogs.check()
    assert opened is not None
    db, _paths = opened
    assert "damaged" in seen["text"]
    assert good.created.strftime("%d %B %Y") in seen["info"]
    assert mentor_store.count_mentors() == 300
    db.close()
    kept = [b for b in backups.list_backups(paths) if b.reason == "before-restore"]
    assert len(kept) == 1
    import zipfile

    with zipfile.ZipFile(kept[0].path) as archive:
        assert archive.read("letterdesk.sqlite3") == damaged


def test_damaged_file_without_a_good_backup_gets_the_old_dialog(tmp_path, dialogs):
    paths = DataPaths(tmp_path / "data")
    paths.ensure()
    database = open_database(paths.database, paths.backups)
    for n in range(300):
        _add(f"Mentor {n}")
    database.close()
    _corrupt(paths.database)
    before = paths.database.read_bytes()
    dialogs.then(lambda box: click_message_button(box, "Quit"))
    assert open_data_folder(paths) is None
    dialogs.check()
    assert paths.database.read_bytes() == before


def test_second_launch_is_told_and_the_first_window_is_raised(tmp_path, qtbot, dialogs):
    import subprocess
    import sys
    import textwrap

    from desktop.ui.shell.startup import listen_for_second_launch

    paths = DataPaths(tmp_path / "data")
    paths.ensure()
    server = None
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            textwrap.dedent(
                """
                import sys, time
                from pathlib import Path
                from desktop.services.instance_lock import InstanceLock
                InstanceLock(Path(sys.argv[1])).acquire()
                print("locked", flush=True)
                time.sleep(60)
                """
            ),
            str(paths.root),
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout.readline().strip() == "locked"
        from PySide6.QtWidgets import QWidget

        # The first instance's window, listening (in this process for the test).
        first = QWidget()
        qtbot.addWidget(first)
        server = listen_for_second_launch(paths, first)
        assert server is not None
        raised = []
        server.newConnection.connect(lambda: raised.append(True))
        seen = {}

        def told(box):
            seen["text"] = box.text()
            seen["info"] = box.informativeText()
            click_message_button(box, "OK")

        dialogs.then(told)
        assert open_data_folder(paths) is None
        dialogs.check()
        assert "already open" in seen["text"] and str(holder.pid) in seen["text"]
        qtbot.waitUntil(lambda: bool(raised), timeout=5_000)
        assert "brought to the front" in seen["info"]
    finally:
        if server is not None:
            server.close()  # removes its socket file from the temporary folder
        holder.kill()
        holder.wait()
        holder.stdout.close()


def test_human_size():
    assert human_size(512) == "512 bytes"
    assert human_size(2048) == "2.0 KB"
    assert human_size(5 * 1024 * 1024) == "5.0 MB"
    QApplication.processEvents()
