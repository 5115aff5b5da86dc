"""A data file LetterDesk cannot use gets a dialog that names it and offers
another folder, never a traceback."""

from __future__ import annotations

import hashlib

from PySide6.QtWidgets import QFileDialog

from desktop.paths import DataPaths
from desktop.ui.startup import open_data_folder

from .dialogs import click_message_button


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
    assert "damaged" in seen["text"] or "not a LetterDesk" in seen["text"]
    db.close()
