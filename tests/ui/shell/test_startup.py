"""A data file LetterDesk cannot use gets a dialog that names it and offers
another folder, never a traceback."""

from __future__ import annotations

import hashlib

from PySide6.QtWidgets import QFileDialog

from desktop.paths import DataPaths
from desktop.ui.shell.startup import open_data_folder

from ..dialogs import click_message_button


def test_foreign_file_is_named_and_quit_leaves_it_untouched(tmp_path, dialogs):
    paths = DataPaths(tmp_path / "data")
    paths.root.mkdir()
    paths.database.write_text("name,email\nOkafor,a@b.org\n")
    before = hashlib.sha256(paths.database.read_bytes()).hexdigest()
    seen = {}

    def quit_(box):
        seen["text"] = box.text()
        click_message_button(box, "Quit")

    dialogs.then(quit_)
    assert open_data_folder(paths) is None
    dialogs.check()
    assert str(paths.database) in seen["text"] and "not a LetterDesk data file" in seen["text"]
    assert hashlib.sha256(paths.database.read_bytes()).hexdigest() == before


def test_choosing_another_folder_opens_it(tmp_path, dialogs, monkeypatch):
    broken = DataPaths(tmp_path / "broken")
    broken.root.mkdir()
    broken.database.write_bytes(b"SQLite format 3\x00" + b"\xff" * 4000)
    other = tmp_path / "other"
    other.mkdir()
    # The folder picker is the platform's native dialog, which a test cannot
    # drive; it is the one stand-in here.
    monkeypatch.setattr(QFileDialog, "getExistingDirectory", lambda *a, **k: str(other))
    seen = {}

    def choose(box):
        seen["text"] = box.text()
        click_message_button(box, "Open another data folder…")

    dialogs.then(choose)
    opened = open_data_folder(broken)
    dialogs.check()
    assert opened is not None
    db, paths = opened
    assert paths.root == other and paths.database.exists()
    assert "damaged" in seen["text"], seen["text"]
    db.close()


def test_a_large_file_is_checked_after_the_window_shows_and_damage_offers_a_backup(
    tmp_path, qtbot, dialogs, monkeypatch
):
    import datetime

    from PySide6.QtWidgets import QMainWindow

    from desktop.services.data import backups
    from desktop.services.demo import create_demo_folder
    from desktop.store.database import open_database
    from desktop.ui.data import restore_flow
    from desktop.ui.data.restore_flow import pending_restore, schedule_integrity_check
    from desktop.ui.shell import startup

    paths = DataPaths(tmp_path / "data")
    db = create_demo_folder(paths, datetime.date.today())
    good = backups.backup_now(db, paths, "daily")
    db.execute_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    db.close()
    # Break the page-type byte of the last pages, leaving the header and the
    # schema readable: the file opens, but SQLite's quick_check fails.
    raw = bytearray(paths.database.read_bytes())
    pages = len(raw) // 4096
    for page in range(pages - 6, pages):
        raw[page * 4096] = 0xFF
    paths.database.write_bytes(bytes(raw))
    db = open_database(paths.database, paths.backups)
    # Treat this small file as a large one, whose check runs after start-up.
    monkeypatch.setattr(startup, "CHECK_BEFORE_WINDOW_BYTES", 0)
    monkeypatch.setattr(restore_flow, "START_BACKUP_DELAY_MS", 0)
    window = QMainWindow()
    qtbot.addWidget(window)
    window.show()
    seen = {}
    # Finding the newest good backup unpacks and checks every backup: it must
    # run on the worker, not the GUI thread (the real function, only watched).
    import threading

    real_search = backups.newest_good_backup
    searched_on = []

    def watched_search(paths_):
        searched_on.append(threading.current_thread() is threading.main_thread())
        return real_search(paths_)

    monkeypatch.setattr(backups, "newest_good_backup", watched_search)

    def answer(box):
        seen["text"] = box.text() + " " + box.informativeText()
        click_message_button(box, "Restore the backup")

    dialogs.then(answer)
    schedule_integrity_check(window, paths)
    qtbot.waitUntil(lambda: pending_restore(window) is not None, timeout=10_000)
    dialogs.check()
    db.close()
    assert "failed SQLite's check" in seen["text"] and "newest good backup" in seen["text"]
    assert pending_restore(window) == good.path
    assert searched_on == [False]
