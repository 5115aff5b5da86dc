"""Point 8 (issue points 8 and 9's first item): what an interrupted run
leaves behind is removed at the next start, never carried into an export or
listed as a backup; a document name with a line break is refused when the
document is added. Real files made the way a SIGKILL leaves them."""

from __future__ import annotations

import zipfile

import pytest

from desktop.services.data import archive, backups
from desktop.services.documents import DocumentLibrary, DocumentRefused
from desktop.store.database import open_database


def test_leftovers_of_killed_runs_are_removed_at_start(db, data_paths, qtbot):
    from desktop.ui.shell.startup import open_data_folder

    db.close()
    snapshot = data_paths.backups / ".snapshot-k2j3"
    snapshot.mkdir()
    (snapshot / "letterdesk.sqlite3").write_bytes(b"a full database copy")
    (data_paths.backups / ".verify-abc").mkdir()
    (data_paths.root / ".export-xyz").mkdir()
    (data_paths.root / ".export-xyz" / "letterdesk.sqlite3").write_bytes(b"copy")
    (data_paths.root / ".restore-in-progress.json.q1w2.part").write_bytes(b'{"docu')
    (data_paths.root / "restore-in-progress.json.part").write_bytes(b'{"docu')
    (data_paths.documents / ".cv.pdf.a1b2.part").write_bytes(b"%PDF half")
    (data_paths.documents / "cv.pdf").write_bytes(b"%PDF whole")
    empty_copy = data_paths.backups / "before-format-2-20260101-120000.sqlite3"
    empty_copy.touch()
    assert backups.list_backups(data_paths) == []  # the empty copy is not a backup

    opened = open_data_folder(data_paths)  # the next start
    assert opened is not None
    opened[0].close()
    assert sorted(p.name for p in data_paths.backups.iterdir()) == []
    assert sorted(p.name for p in data_paths.documents.iterdir()) == ["cv.pdf"]
    assert not list(data_paths.root.glob(".export-*"))
    assert not list(data_paths.root.glob(".restore-in-progress*"))


def test_a_half_written_document_is_never_carried_into_an_export(db, data_paths, tmp_path):
    (data_paths.documents / "cv.pdf").write_bytes(b"%PDF whole")
    (data_paths.documents / ".statement.pdf.x9.part").write_bytes(b"%PDF half")
    target = tmp_path / "move.letterdesk.zip"
    archive.export_archive(db, data_paths, target)
    with zipfile.ZipFile(target) as made:
        names = made.namelist()
    assert "documents/cv.pdf" in names
    assert not any(name.endswith(".part") for name in names)


def test_an_export_killed_half_way_leaves_nothing_next_to_the_next_one(db, data_paths, tmp_path):
    target = tmp_path / "move.letterdesk.zip"
    (tmp_path / ".move.letterdesk.zip.abcd.part").write_bytes(b"PK half")
    (tmp_path / ".move.letterdesk.zip.export-1234").mkdir()
    archive.export_archive(db, data_paths, target)
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".")) == []


@pytest.mark.parametrize("name", ["cv\nBcc: x@y.org.pdf", "cv\r.pdf", "cv\u2028.pdf"])
def test_a_document_name_with_a_line_break_is_refused_when_added(data_paths, tmp_path, name):
    db = open_database(data_paths.database, data_paths.backups)
    try:
        source = tmp_path / name
        source.write_bytes(b"%PDF-1.7")
        with pytest.raises(DocumentRefused, match="line break"):
            DocumentLibrary(data_paths).add_version(source, kind="cv", title="CV")
        assert list(data_paths.documents.iterdir()) == []
    finally:
        db.close()
