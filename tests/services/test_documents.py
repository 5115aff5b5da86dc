"""Documents service: copies into the data folder with a checksum, versions
grouped by title, refusals that leave nothing behind, shares recorded."""

from __future__ import annotations

import errno
import hashlib
import os
import stat
import subprocess
from datetime import datetime
from pathlib import Path

import pytest

from desktop.services import documents as docs
from desktop.services.documents import DocumentLibrary, DocumentRefused, DocumentSharedError
from desktop.store.mentors import MentorFields, save_mentor
from desktop.store.models import Document, SharedDocument


@pytest.fixture
def library(db, data_paths) -> DocumentLibrary:
    return DocumentLibrary(data_paths)


def make_file(folder: Path, name: str, content: bytes) -> Path:
    path = folder / name
    path.write_bytes(content)
    return path


def stored_files(library: DocumentLibrary) -> list[str]:
    return sorted(p.name for p in library.folder.iterdir())


def test_adding_copies_the_file_with_size_checksum_type_and_private_mode(library, tmp_path):
    content = b"%PDF-1.7\n" + os.urandom(3 * docs.CHUNK_BYTES + 17)  # several chunks
    source = make_file(tmp_path, "Maya CV (final).PDF", content)
    seen: list[tuple[int, int]] = []

    document_id = library.add_version(
        source, kind="cv", title="  CV  ", progress=lambda done, total: seen.append((done, total))
    )

    row = Document.get_by_id(document_id)
    assert row.title == "CV" and row.kind == "cv" and row.version_label == "v1"
    assert row.original_name == "Maya CV (final).PDF"
    assert row.mime_type == "application/pdf"
    assert row.size_bytes == len(content)
    assert row.sha256 == hashlib.sha256(content).hexdigest()
    stored = library.path_of(document_id)
    assert stored.parent == library.folder and stored.suffix == ".pdf"
    assert stored.read_bytes() == content
    assert stat.S_IMODE(stored.stat().st_mode) == 0o600
    assert stored_files(library) == [row.stored_name]  # no temporary file left
    assert seen[-1] == (len(content), len(content)) and len(seen) == 4
    assert source.read_bytes() == content  # the original is untouched


def test_the_same_file_twice_gets_two_unique_names_and_numbered_labels(library, tmp_path):
    source = make_file(tmp_path, "statement.docx", b"My statement")
    first = library.add_version(source, kind="personal_statement", title="Personal statement")
    second = library.add_version(source, kind="personal_statement", title="Personal statement")
    third = library.add_version(
        source, kind="personal_statement", title="Personal statement", version_label="IM final"
    )
    names = {Document.get_by_id(i).stored_name for i in (first, second, third)}
    assert len(names) == 3 and stored_files(library) == sorted(names)
    labels = [Document.get_by_id(i).version_label for i in (first, second, third)]
    assert labels == ["v1", "v2", "IM final"]
    assert (
        Document.get_by_id(first).mime_type
        == "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    )


def test_versions_are_grouped_by_title_newest_first_in_kind_order(library, tmp_path):
    source = make_file(tmp_path, "a.pdf", b"one")
    times = iter(datetime(2026, 5, day, 9) for day in range(1, 10))
    ids = {}
    for key, kind, title in (
        ("ps1", "personal_statement", "Personal statement"),
        ("cv1", "cv", "CV"),
        ("form", "request_form", "ERAS Letter Request Form"),
        ("cv2", "cv", "CV"),
        ("ps2", "personal_statement", "Personal statement"),
    ):
        ids[key] = library.add_version(source, kind=kind, title=title)
        Document.update(added_at=next(times)).where(Document.id == ids[key]).execute()

    groups = docs.list_groups()
    assert [(g.kind.value, g.title) for g in groups] == [
        ("cv", "CV"),
        ("personal_statement", "Personal statement"),
        ("request_form", "ERAS Letter Request Form"),
    ]
    assert [v.id for v in groups[0].versions] == [ids["cv2"], ids["cv1"]]
    assert groups[0].latest.version_label == "v2"
    assert [v.id for v in docs.attachable_versions()] == [
        ids["cv2"],
        ids["ps2"],
        ids["form"],
        ids["cv1"],
        ids["ps1"],
    ]
    assert groups[0].latest.short_checksum == hashlib.sha256(b"one").hexdigest()[:12]


def test_a_title_keeps_its_kind(library, tmp_path):
    source = make_file(tmp_path, "x.pdf", b"x")
    library.add_version(source, kind="cv", title="CV")
    with pytest.raises(DocumentRefused, match="already exists as another kind"):
        library.add_version(source, kind="transcript", title="CV")
    with pytest.raises(DocumentRefused, match="Give the document a title"):
        library.add_version(source, kind="cv", title="   ")
    assert Document.select().count() == 1
    assert len(stored_files(library)) == 1  # the refused copies were removed


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda tmp: tmp / "gone.pdf", "“gone.pdf” was not found"),
        (lambda tmp: tmp, "is a folder"),
        (lambda tmp: make_file(tmp, "empty.pdf", b""), "“empty.pdf” is empty"),
    ],
    ids=["missing", "folder", "empty"],
)
def test_unusable_sources_are_refused_plainly(library, tmp_path, make, message):
    with pytest.raises(DocumentRefused, match=message):
        library.add_version(make(tmp_path), kind="cv", title="CV")
    assert stored_files(library) == [] and Document.select().count() == 0


@pytest.mark.skipif(os.geteuid() == 0, reason="root can read a file without permission")
def test_an_unreadable_file_is_refused(library, tmp_path):
    source = make_file(tmp_path, "secret.pdf", b"x")
    source.chmod(0)
    with pytest.raises(DocumentRefused, match="cannot be read"):
        library.add_version(source, kind="cv", title="CV")
    assert stored_files(library) == []


def test_an_absurdly_large_file_is_refused_before_copying(library, tmp_path):
    source = tmp_path / "scan.pdf"
    with source.open("wb") as handle:  # sparse: no 50 MB written to the test disk
        handle.truncate(docs.MAX_DOCUMENT_BYTES + 1)
    with pytest.raises(DocumentRefused, match=r"“scan.pdf” is 50.0 MB; documents over 50 MB"):
        library.add_version(source, kind="transcript", title="Transcript")
    assert stored_files(library) == []


def test_disk_full_while_copying_leaves_nothing_behind(library, tmp_path, monkeypatch):
    """Simulated: filling a real disk is not something a test may do, so the
    copy's write fails with ENOSPC after the first chunk (the same error a
    full disk gives). ``test_disk_full_on_a_real_tiny_tmpfs`` runs the real
    thing where mounting is allowed."""
    source = make_file(tmp_path, "cv.pdf", os.urandom(2 * docs.CHUNK_BYTES))
    real_write = os.fdopen

    class FullDisk:
        def __init__(self, handle):
            self._handle = handle
            self._writes = 0

        def __enter__(self):
            return self

        def __exit__(self, *exc):
            self._handle.close()

        def write(self, data):
            self._writes += 1
            if self._writes > 1:
                raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
            return self._handle.write(data)

        def __getattr__(self, name):
            return getattr(self._handle, name)

    monkeypatch.setattr(docs.os, "fdopen", lambda fd, mode: FullDisk(real_write(fd, mode)))
    with pytest.raises(DocumentRefused) as refused:
        library.add_version(source, kind="cv", title="CV")
    assert "disk holding your LetterDesk data is full" in refused.value.user_message
    assert "nothing was kept" in refused.value.user_message
    assert stored_files(library) == [] and Document.select().count() == 0


@pytest.mark.skipif(os.geteuid() != 0, reason="mounting a tmpfs needs root")
def test_disk_full_on_a_real_tiny_tmpfs(db, tmp_path):
    tiny = tmp_path / "tiny"
    tiny.mkdir()
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=256k", "tmpfs", str(tiny)], capture_output=True
    )
    if mounted.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {mounted.stderr.decode().strip()}")
    try:
        from desktop.paths import DataPaths

        library = DocumentLibrary(DataPaths(tiny))
        source = make_file(tmp_path, "cv.pdf", os.urandom(1024 * 1024))
        with pytest.raises(DocumentRefused, match="disk holding your LetterDesk data is full"):
            library.add_version(source, kind="cv", title="CV")
        assert stored_files(library) == [] and Document.select().count() == 0
    finally:
        subprocess.run(["umount", str(tiny)], check=True)


def test_a_failed_record_removes_the_copied_file(library, tmp_path, monkeypatch):
    source = make_file(tmp_path, "cv.pdf", b"cv")

    def broken(**_fields):
        raise RuntimeError("database went away")

    monkeypatch.setattr(Document, "create", broken)
    with pytest.raises(RuntimeError):
        library.add_version(source, kind="cv", title="CV")
    assert stored_files(library) == []


def test_shares_are_recorded_listed_and_block_deleting(library, tmp_path):
    mentor = save_mentor(
        MentorFields(honorific="Dr.", first_name="Lucía", last_name="Peña", category="other")
    )
    source = make_file(tmp_path, "cv.pdf", b"cv")
    old = library.add_version(source, kind="cv", title="CV")
    new = library.add_version(source, kind="cv", title="CV")
    when = datetime(2026, 9, 1, 14, 30)
    ids = docs.record_shared([new, new], mentor, shared_at=when)
    assert len(ids) == 1  # the same version twice in one email is one share

    shares = docs.shares_for_document(new)
    assert [(s.mentor_name, s.version_label, s.shared_at) for s in shares] == [
        ("Dr. Lucía Peña", "v2", when)
    ]
    assert docs.shares_for_document(old) == []
    assert docs.get_version(new).share_count == 1

    with pytest.raises(DocumentSharedError) as refused:
        library.delete_version(new)
    assert "sent to Dr. Lucía Peña" in refused.value.user_message
    assert "Keep it" in refused.value.user_message
    assert library.path_of(new).exists() and SharedDocument.select().count() == 1

    old_path = library.path_of(old)
    library.delete_version(old)
    assert not old_path.exists() and Document.get_or_none(id=old) is None


def test_shares_for_a_request(db, library, tmp_path):
    from desktop.services.demo import fill_demo_data
    from desktop.store.models import LetterRequest

    fill_demo_data(datetime(2026, 8, 1).date())
    request = LetterRequest.select().where(LetterRequest.letter_id == "ERAS-40117").get()
    source = make_file(tmp_path, "cv.pdf", b"cv")
    cv = library.add_version(source, kind="cv", title="CV")
    docs.record_shared([cv], request.mentor_id, request.id)
    assert [s.document_id for s in docs.shares_for_request(request.id)] == [cv]
    assert docs.shares_for_request(request.id)[0].request_id == request.id


def test_checking_reports_intact_changed_and_missing_files(library, tmp_path):
    source = make_file(tmp_path, "cv.pdf", b"original")
    document_id = library.add_version(source, kind="cv", title="CV", version_label="June")
    assert library.check(document_id).ok
    stored = library.path_of(document_id)
    stored.write_bytes(b"edited by hand")
    changed = library.check(document_id)
    assert not changed.ok and "“CV June” has changed since it was added" in changed.message
    stored.unlink()
    missing = library.check(document_id)
    assert not missing.ok and "is missing from the documents folder" in missing.message


def test_human_sizes():
    assert docs.human_size(512) == "512 bytes"
    assert docs.human_size(2048) == "2 KB"
    assert docs.human_size(5 * 1024 * 1024 + 1) == "5.0 MB"
