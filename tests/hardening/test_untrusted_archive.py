"""Point 2 (issue point 4): an archive's database is rebuilt from its rows
into a fresh file of LetterDesk's own schema; attachments may only be the
data folder's own files; an account that came with it waits for the user.
Each archive is real and crafted: made by the app, then changed with SQL."""

from __future__ import annotations

import json
import sqlite3
import zipfile
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from desktop.domain.vocabulary import EmailState
from desktop.paths import DataPaths
from desktop.services.data import archive
from desktop.services.mail.account import load_account, load_pending_account
from desktop.services.mail.sender import SendResult, send_batch
from desktop.store import outbox
from desktop.store.database import open_database
from desktop.store.models import Mentor, OutgoingEmail, Setting
from desktop.store.outbox import AttachmentRef, EmailFields, OutboxError
from desktop.ui.mail.mail_sending import account_or_setup
from tests.hardening.crafted import crafted_archive
from tests.services.mail.smtp_server import PASSWORD

EVIL_TRIGGER = """
CREATE TRIGGER add_stranger AFTER UPDATE OF state ON outgoing_email
BEGIN
  UPDATE outgoing_email SET cc_addrs = 'stranger@strangers.org',
    attachments = '[{"name": "passwd", "path": "/etc/passwd"}]'
  WHERE id = NEW.id;
END
"""


def _import(tmp_path, crafted) -> DataPaths:
    here = DataPaths(tmp_path / "this-computer")
    here.ensure()
    archive.import_archive(here, crafted)
    return here


def _schema_objects(paths: DataPaths) -> set[tuple[str, str]]:
    conn = sqlite3.connect(paths.database)
    try:
        return {
            (kind, name)
            for kind, name in conn.execute("SELECT type, name FROM sqlite_master")
            if kind in ("trigger", "view")
        }
    finally:
        conn.close()


def test_a_trigger_in_an_archive_does_not_survive_the_import(tmp_path):
    def tamper(db):
        db.execute_sql(EVIL_TRIGGER)
        db.execute_sql("CREATE VIEW everything AS SELECT * FROM mentor")

    crafted = crafted_archive(tmp_path / "other", tmp_path / "evil.zip", tamper)
    here = _import(tmp_path, crafted)
    assert _schema_objects(here) == set()
    db = open_database(here.database, here.backups)
    try:
        email_id = outbox.create_draft(EmailFields("o@h.org", "Letter", "Dear Dr. O,\n"))
        outbox.queue(email_id, domain="school.edu")
        email = outbox.get_email(email_id)
        assert email.cc_addrs == ""
        assert email.attachments == ()
    finally:
        db.close()


def test_a_scheduled_row_and_an_account_in_an_archive_send_nothing(
    tmp_path, qtbot, dialogs, smtp_server, ca_file
):
    account = smtp_server.account(ca_file)

    def tamper(db):
        OutgoingEmail.create(
            state="scheduled",
            to_addrs="stranger@strangers.org",
            subject="hello",
            body="x",
            attachments=json.dumps([{"name": "passwd", "path": "/etc/passwd"}]),
            message_id="<evil@strangers.org>",
            send_after=datetime.now(UTC).replace(tzinfo=None) - timedelta(days=1),
        )
        Setting.create(key="mail.account", value=account.to_json())

    crafted = crafted_archive(tmp_path / "other", tmp_path / "evil.zip", tamper)
    here = _import(tmp_path, crafted)
    db = open_database(here.database, here.backups)
    try:
        (email,) = outbox.list_outbox()
        assert email.state is EmailState.HELD
        assert outbox.due_for_sending(datetime.now(UTC)) == []
        # The account is not used until the user has seen it...
        assert load_account() is None
        assert load_pending_account() == account
        # ...and confirming the email does not let /etc/passwd out.
        with pytest.raises(OutboxError, match="not a file LetterDesk keeps"):
            outbox.release_held(email.id)
        # Even forced into the queue (as a row could be), the sender refuses.
        OutgoingEmail.update(state="queued").where(OutgoingEmail.id == email.id).execute()
        result = send_batch([email.id], account, PASSWORD, documents_dir=here.documents)
        assert result.count(SendResult.FAILED) == 1
        assert "not a file LetterDesk keeps" in outbox.get_email(email.id).last_error
        assert smtp_server.delivered == []

        # The user is shown the imported account and chooses it.
        seen: list[str] = []

        def use_it(box):
            assert box.objectName() == "importedAccountBox"
            seen.append(box.text())
            use = next(b for b in box.buttons() if b.text() == "Use this account")
            qtbot.mouseClick(use, Qt.MouseButton.LeftButton)

        dialogs.then(use_it)
        assert account_or_setup(None) == account
        assert account.host in seen[0] and account.address in seen[0]
        assert load_account() == account
    finally:
        db.close()


def test_an_attachment_outside_the_data_folder_is_refused_at_queue(db, data_paths, tmp_path):
    outside = tmp_path / "secret.txt"
    outside.write_text("private")
    email_id = outbox.create_draft(
        EmailFields(
            "o@h.org", "Letter", "Hi", attachments=(AttachmentRef("secret", path=str(outside)),)
        )
    )
    with pytest.raises(OutboxError, match="not a file LetterDesk keeps"):
        outbox.queue(email_id, domain="school.edu")
    inside = data_paths.root / "generated" / "summary.pdf"
    inside.parent.mkdir()
    inside.write_bytes(b"%PDF-1.4")
    fine = outbox.create_draft(
        EmailFields("o@h.org", "Letter", "Hi", attachments=(AttachmentRef("s", path=str(inside)),))
    )
    outbox.queue(fine, domain="school.edu")


@pytest.mark.parametrize(
    ("sql", "what"),
    [
        ("UPDATE mentor SET created_at = 'yesterday'", "its table mentor holds a value"),
        ("UPDATE outgoing_email SET state = 'launched'", "its table outgoing_email holds a"),
    ],
)
def test_a_value_the_app_never_writes_refuses_the_archive(tmp_path, sql, what):
    def tamper(db):
        mentor = Mentor.create(last_name="Okafor", category="clinical_supervisor")
        outbox.create_draft(EmailFields("o@h.org", "s", "b"), mentor_id=mentor.id)
        db.execute_sql(
            "INSERT INTO document (kind, title, version_label, stored_name, original_name, "
            "mime_type, size_bytes, sha256, added_at, notes) VALUES ('cv', 'CV', '', 'cv.pdf', "
            "'cv.pdf', 'application/pdf', 4, 'x', '2026-01-01 00:00:00', '')"
        )
        (Path(db.database).parent / "documents" / "cv.pdf").write_bytes(b"%PDF")
        db.execute_sql(sql)

    crafted = crafted_archive(tmp_path / "other", tmp_path / "bad.zip", tamper)
    here = DataPaths(tmp_path / "this-computer")
    here.ensure()
    with pytest.raises(archive.ArchiveError) as caught:
        archive.import_archive(here, crafted)
    assert what in caught.value.user_message
    assert not here.database.exists()  # nothing changed


def test_a_backup_whose_document_names_a_file_elsewhere_is_refused(db, data_paths):
    """A backup zip holds no checksums to lie about: the rebuild itself
    refuses a stored document name that leaves the documents folder."""
    from desktop.services.data import backups

    db.execute_sql(
        "INSERT INTO document (kind, title, version_label, stored_name, original_name, "
        "mime_type, size_bytes, sha256, added_at, notes) VALUES ('cv', 'CV', '', "
        "'../../etc/passwd', 'cv.pdf', 'application/pdf', 4, 'x', '2026-01-01 00:00:00', '')"
    )
    backup = backups.backup_now(db, data_paths, "manual")
    db.close()
    with pytest.raises(backups.BackupError, match="column stored_name"):
        backups.restore(data_paths, backup.path)


def test_a_document_name_that_is_not_text_refuses_the_archive_plainly(tmp_path):
    """Names of two types (a blob and a text) cannot be sorted: the check
    for missing files once raised TypeError into the crash dialog. The
    export checks its own archive, so the database is changed afterwards."""
    from tests.hardening.crafted import rewrite_archive

    def with_odd_names(name: str, data: bytes):
        if name != "letterdesk.sqlite3":
            return None
        copy = tmp_path / "copy.sqlite3"
        copy.write_bytes(data)
        conn = sqlite3.connect(copy)
        for stored in ("x'63762e706466'", "'letter.pdf'"):
            conn.execute(
                "INSERT INTO document (kind, title, version_label, stored_name, original_name, "
                "mime_type, size_bytes, sha256, added_at, notes) VALUES ('cv', 'CV', '', "
                f"{stored}, 'cv.pdf', 'application/pdf', 4, 'x', '2026-01-01 00:00:00', '')"
            )
        conn.commit()
        conn.close()
        return copy.read_bytes(), zipfile.ZIP_DEFLATED

    clean = crafted_archive(tmp_path / "other", tmp_path / "clean.zip", lambda db: None)
    crafted = rewrite_archive(clean, tmp_path / "bad.zip", with_odd_names)
    with pytest.raises(archive.ArchiveError) as caught:
        archive.inspect_archive(crafted)
    assert "bad.zip is damaged" in caught.value.user_message
    assert "not text" in caught.value.user_message


def test_a_manifest_nested_past_the_parser_is_refused_plainly(tmp_path):
    """json.loads raises RecursionError (not ValueError) for deep nesting:
    an archive's or a backup's list of contents went to the crash dialog."""
    import zipfile

    from desktop.services.data import backups

    for name in ("deep.letterdesk.zip", "letterdesk-manual-0001.zip"):
        crafted = tmp_path / name
        with zipfile.ZipFile(crafted, "w") as out:
            out.writestr("MANIFEST.json", "[" * 100_000)
        with pytest.raises(archive.ArchiveError) as caught:
            archive.inspect_archive(crafted)
        assert "its list of contents cannot be read" in caught.value.user_message
        checked = backups.verify(crafted)
        assert not checked.ok
        assert "no readable list of contents" in checked.problem
        assert not archive.is_move_archive(crafted)
        assert backups.backup_counts(crafted) == {}


@pytest.mark.parametrize(
    "stored",
    [
        '[{"name": "cv", "document_id": "abc"}]',
        '[{"name": "cv", "document_id": 1e999}]',
        '[{"name": "cv", "document_id": [1]}]',
        "[" * 100_000,
    ],
    ids=["id-not-a-number", "id-infinite", "id-a-list", "nested-past-json"],
)
def test_an_attachment_list_the_app_never_wrote_reads_as_no_attachment(db, stored):
    """A rebuilt archive keeps any text in ``attachments``: reading the
    email (the Outbox lists it) raised ValueError, OverflowError, TypeError
    or RecursionError into the crash dialog."""
    email_id = outbox.create_draft(EmailFields("o@h.org", "Letter", "Dear Dr. O,\n"))
    db.execute_sql("UPDATE outgoing_email SET attachments = ? WHERE id = ?", (stored, email_id))
    assert outbox.get_email(email_id).attachments == ()
