"""Point 4 (issue point 3): restore whatever documents/ is (a plain folder, a
link to a folder elsewhere, a mount point), and never "not changed" once
the swap has begun. Real file system: real links, a real tmpfs mount (root
only), a real immutable folder (chattr +i) for a failure after the swap."""

from __future__ import annotations

import os
import shutil
import subprocess

import pytest
from PySide6.QtWidgets import QMessageBox, QProgressDialog

from desktop.services.data import backups
from desktop.store.database import open_database
from desktop.store.mentors import MentorFields, save_mentor

IS_ROOT = os.geteuid() == 0


def _write(folder, name, text):
    (folder / name).write_text(text)


def _names(folder):
    return sorted(p.name for p in folder.iterdir())


def _round_trip(db, data_paths):
    """A backup with cv.pdf, then a change, then two restores of it."""
    _write(data_paths.documents, "cv.pdf", "cv v1")
    save_mentor(MentorFields(last_name="Okafor", category="clinical_supervisor"))
    saved = backups.backup_now(db, data_paths, "manual")
    _write(data_paths.documents, "statement.pdf", "added after the backup")
    db.close()
    for _ in range(2):  # the second restore used to fail with "Not a directory"
        backups.restore(data_paths, saved.path)
        assert _names(data_paths.documents) == ["cv.pdf"]
        assert (data_paths.documents / "cv.pdf").read_text() == "cv v1"
    leftovers = [p.name for p in data_paths.root.iterdir() if "replaced" in p.name]
    assert leftovers == []
    open_database(data_paths.database, data_paths.backups).close()  # the next start


def test_restore_through_a_linked_documents_folder_keeps_the_link(db, data_paths, tmp_path):
    elsewhere = tmp_path / "other-disk" / "letter-documents"
    elsewhere.mkdir(parents=True)
    shutil.rmtree(data_paths.documents)
    data_paths.documents.symlink_to(elsewhere, target_is_directory=True)
    _round_trip(db, data_paths)
    assert data_paths.documents.is_symlink()
    assert data_paths.documents.resolve() == elsewhere.resolve()
    assert _names(elsewhere) == ["cv.pdf"]
    assert [p.name for p in elsewhere.parent.iterdir()] == ["letter-documents"]


@pytest.fixture
def mounted_documents(data_paths):
    if not IS_ROOT:
        pytest.skip("mounting a tmpfs on documents/ needs root")
    subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=8m", "tmpfs", str(data_paths.documents)], check=True
    )
    try:
        yield data_paths.documents
    finally:
        subprocess.run(["umount", str(data_paths.documents)], check=True)


def test_restore_into_a_documents_folder_that_is_a_mount_point(db, data_paths, mounted_documents):
    import zipfile

    assert os.path.ismount(mounted_documents)
    _round_trip(db, data_paths)
    assert os.path.ismount(mounted_documents)
    # The copy made before each restore holds what was there, not what was
    # being prepared inside the mount.
    for made in backups.list_backups(data_paths):
        with zipfile.ZipFile(made.path) as copy:
            assert not any(".letterdesk-" in n for n in copy.namelist()), made.path.name


@pytest.fixture
def immutable():
    """chattr +i on a folder; undone after the test."""
    if not IS_ROOT or shutil.which("chattr") is None:
        pytest.skip("making a folder immutable needs root and chattr")
    made: list = []

    def make(path):
        subprocess.run(["chattr", "+i", str(path)], check=True)
        made.append(path)

    yield make
    for path in made:
        subprocess.run(["chattr", "-i", str(path)], check=False)


def test_a_failure_after_the_swap_never_says_nothing_changed(
    db, data_paths, immutable, qtbot, dialogs
):
    from desktop.ui.data.restore_flow import run_restore

    _write(data_paths.documents, "cv.pdf", "cv v1")
    saved = backups.backup_now(db, data_paths, "manual")
    db.close()
    immutable(data_paths.documents)  # the database swaps, the documents cannot
    seen = []

    def read_and_close(box):
        if isinstance(box, QProgressDialog):  # the restore's own progress: let it be
            dialogs._handlers.insert(0, read_and_close)
            return
        seen.append((box.windowTitle(), box.text()))
        box.button(QMessageBox.StandardButton.Ok).click()

    dialogs.then(read_and_close)
    assert run_restore(data_paths, saved.path) is False
    dialogs.check()
    title, text = seen[0]
    assert title == "Restore not finished"
    assert "not changed" not in text and "finishes the restore the next time it starts" in text
    # Once the cause is gone, the next start finishes the restore.
    subprocess.run(["chattr", "-i", str(data_paths.documents)], check=True)
    assert backups.recover_interrupted_restore(data_paths)
    assert _names(data_paths.documents) == ["cv.pdf"]
    open_database(data_paths.database, data_paths.backups).close()
