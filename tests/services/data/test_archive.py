"""Move to another computer: export, check, import; refusals before any change."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import pytest

from desktop.paths import DataPaths
from desktop.services.data import archive
from desktop.services.data.archive import (
    ArchiveError,
    export_archive,
    import_archive,
    inspect_archive,
)
from desktop.store.database import open_database
from desktop.store.mentors import MentorFields, count_mentors, save_mentor
from desktop.store.models import Document


@pytest.fixture
def exported(db, data_paths, tmp_path) -> Path:
    save_mentor(MentorFields(last_name="Moved", category="other"))
    (data_paths.documents / "cv-1.pdf").write_bytes(b"%PDF-1.4 cv")
    Document.create(kind="cv", title="CV", stored_name="cv-1.pdf", sha256="x")
    target = tmp_path / "out" / "move.letterdesk.zip"
    summary = export_archive(db, data_paths, target)
    assert (summary.mentors, summary.documents) == (1, 1)
    return target


def _other_folder(tmp_path: Path) -> DataPaths:
    paths = DataPaths(tmp_path / "other")
    paths.ensure()
    db = open_database(paths.database, paths.backups)
    save_mentor(MentorFields(last_name="Local", category="other"))
    (paths.documents / "local.txt").write_text("mine")
    db.close()
    return paths


def test_round_trip_to_another_folder(db, exported, tmp_path):
    db.close()
    other = _other_folder(tmp_path)
    summary = import_archive(other, exported)
    assert summary.mentors == 1
    reopened = open_database(other.database, other.backups)
    try:
        assert count_mentors() == 1
        assert (other.documents / "cv-1.pdf").read_bytes() == b"%PDF-1.4 cv"
        assert not (other.documents / "local.txt").exists()
        # The previous state was backed up first.
        assert any("before-restore" in p.name for p in other.backups.iterdir())
    finally:
        reopened.close()


def test_manifest_lists_checksums_and_versions(exported):
    with zipfile.ZipFile(exported) as z:
        manifest = json.loads(z.read("MANIFEST.json"))
    assert manifest["kind"] == "letterdesk-move" and manifest["archive_format"] == 1
    paths = {f["path"]: f for f in manifest["files"]}
    assert set(paths) == {"letterdesk.sqlite3", "documents/cv-1.pdf"}
    assert all(len(f["sha256"]) == 64 for f in paths.values())


def _rewrite(source: Path, target: Path, change) -> Path:
    with zipfile.ZipFile(source) as z:
        members = {i.filename: z.read(i) for i in z.infolist()}
    change(members)
    with zipfile.ZipFile(target, "w") as z:
        for name, data in members.items():
            z.writestr(name, data)
    return target


def _manifest_edit(edit):
    def change(members):
        manifest = json.loads(members["MANIFEST.json"])
        edit(manifest, members)
        members["MANIFEST.json"] = json.dumps(manifest).encode()

    return change


def _tamper_document(members):
    members["documents/cv-1.pdf"] = b"%PDF-1.4 CV"  # same size, other bytes


def _extra(members):
    members["documents/../../evil.sh"] = b"rm -rf ~"


def _slip_in_manifest(manifest, members):
    manifest["files"].append({"path": "../evil", "size": 1, "sha256": "0" * 64})
    members["../evil"] = b"x"


def _absolute(manifest, members):
    manifest["files"].append({"path": "/etc/evil", "size": 1, "sha256": "0" * 64})
    members["/etc/evil"] = b"x"


def _missing_doc(members):
    del members["documents/cv-1.pdf"]


def _foreign_db(manifest, members):
    import sqlite3
    import tempfile

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "f.sqlite3"
        conn = sqlite3.connect(path)
        conn.execute("CREATE TABLE t (x)")
        conn.commit()
        conn.close()
        data = path.read_bytes()
    members["letterdesk.sqlite3"] = data
    import hashlib

    for f in manifest["files"]:
        if f["path"] == "letterdesk.sqlite3":
            f["size"], f["sha256"] = len(data), hashlib.sha256(data).hexdigest()


def _newer_archive(manifest, members):
    manifest["archive_format"] = 99


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (_tamper_document, "does not match its checksum"),
        (_extra, "outside its folder"),
        (_manifest_edit(_slip_in_manifest), "outside its folder"),
        (_manifest_edit(_absolute), "outside its folder"),
        (_missing_doc, "incomplete"),
        (_manifest_edit(_foreign_db), "another program"),
        (_manifest_edit(_newer_archive), "newer LetterDesk"),
        (lambda m: m.pop("MANIFEST.json"), "not a LetterDesk archive"),
        (lambda m: m.update({"MANIFEST.json": b"{not json"}), "damaged"),
    ],
    ids=[
        "checksum",
        "zip-slip",
        "slip-manifest",
        "absolute",
        "missing",
        "foreign",
        "newer",
        "no-manifest",
        "bad-manifest",
    ],
)
def test_bad_archives_are_refused_before_anything_changes(db, exported, tmp_path, change, message):
    db.close()
    bad = _rewrite(exported, tmp_path / "bad.zip", change)
    other = _other_folder(tmp_path)
    before = other.database.read_bytes()
    with pytest.raises(ArchiveError) as caught:
        import_archive(other, bad)
    assert message in caught.value.user_message
    assert other.database.read_bytes() == before
    assert (other.documents / "local.txt").read_text() == "mine"
    assert not (tmp_path / "evil.sh").exists()


@pytest.mark.parametrize("cut", [0.1, 0.5, 0.99])
def test_truncated_archives(exported, tmp_path, cut):
    data = exported.read_bytes()
    bad = tmp_path / "cut.zip"
    bad.write_bytes(data[: int(len(data) * cut)])
    with pytest.raises(ArchiveError):
        inspect_archive(bad)


def test_foreign_and_missing_files(tmp_path):
    (tmp_path / "x.zip").write_bytes(b"just text")
    with pytest.raises(ArchiveError, match="not a LetterDesk archive"):
        inspect_archive(tmp_path / "x.zip")
    with pytest.raises(ArchiveError, match="not found"):
        inspect_archive(tmp_path / "none.zip")
    with zipfile.ZipFile(tmp_path / "other.zip", "w") as z:
        z.writestr("readme.txt", "hello")
    with pytest.raises(ArchiveError, match="not a LetterDesk archive"):
        inspect_archive(tmp_path / "other.zip")


def test_checking_leaves_the_models_bound_to_the_open_database(db, exported, tmp_path):
    from desktop.store.models import database_proxy

    scratch = tmp_path / "scratch"
    scratch.mkdir()
    with zipfile.ZipFile(exported) as z:
        (scratch / "letterdesk.sqlite3").write_bytes(z.read("letterdesk.sqlite3"))
    archive._opens_as_letterdesk(scratch / "letterdesk.sqlite3", "x")
    assert database_proxy.obj is db
    assert count_mentors() == 1


def test_export_failure_leaves_no_partial_file(db, data_paths, tmp_path, monkeypatch):
    def broken(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(archive, "_manifest", broken)
    with pytest.raises(archive.ArchiveError, match="is full"):
        export_archive(db, data_paths, tmp_path / "a.zip")
    assert list(tmp_path.glob("*a.zip*")) == []
