"""Point 1 of issue 13: a restore or an archive import never sends an email
again. Real SQLite files, real backups and archives, a real SMTP server on
127.0.0.1."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from desktop.domain.vocabulary import EmailState
from desktop.paths import DataPaths
from desktop.services.data import archive, backups
from desktop.services.mail.sender import SendResult, send_batch
from desktop.store import outbox
from desktop.store.database import open_database
from desktop.store.models import Mentor
from desktop.store.outbox import EmailFields, OutboxError
from tests.services.mail.smtp_server import PASSWORD

S = EmailState
NOW = datetime.now(UTC).replace(tzinfo=None)


def _scheduled(subject: str, when: datetime = NOW - timedelta(minutes=1)) -> int:
    mentor = Mentor.create(last_name="Okafor", category="clinical_supervisor", email="o@h.org")
    email_id = outbox.create_draft(
        EmailFields(to_addrs="o@h.org", subject=subject, body="Dear Dr. Okafor,\n"),
        mentor_id=mentor.id,
    )
    outbox.schedule(email_id, when, domain="school.edu")
    return email_id


def _due() -> list[int]:
    return [i for i in outbox.due_for_sending(NOW) if outbox.get_email(i).state is S.SCHEDULED]


def _reopen(paths: DataPaths):
    return open_database(paths.database, paths.backups)


def test_a_restored_backup_does_not_send_a_scheduled_email_again(
    db, data_paths, account, smtp_server
):
    sent_one = _scheduled("Letter request")
    waiting = _scheduled("Thank you", NOW + timedelta(days=2))
    backup = backups.backup_now(db, data_paths, "manual")
    result = send_batch([sent_one], account, PASSWORD)
    assert result.count(SendResult.SENT) == 1
    db.close()

    backups.restore(data_paths, backup.path)
    db = _reopen(data_paths)
    try:
        # Both come back held: nothing is due, the scheduler sends nothing.
        assert outbox.get_email(sent_one).state is S.HELD
        assert outbox.get_email(waiting).state is S.HELD
        assert _due() == []
        assert "already sent" in outbox.get_email(sent_one).last_error
        # Even a batch that names it does not hand it over again.
        again = send_batch([sent_one], account, PASSWORD)
        assert again.count(SendResult.SENT) == 0
        assert len(smtp_server.delivered) == 1
        # The user confirms: the one that went out is refused, the other
        # goes back to its time.
        try:
            outbox.release_held(sent_one)
            raise AssertionError("a sent Message-ID was released")
        except OutboxError as exc:
            assert "already sent" in exc.user_message
        # Nor from the compose window (Send queues it again).
        try:
            outbox.queue(sent_one, domain="school.edu")
            raise AssertionError("a sent Message-ID was queued again")
        except OutboxError as exc:
            assert "already sent" in exc.user_message
        assert outbox.release_held(waiting) is S.SCHEDULED
        assert outbox.get_email(waiting).send_after is not None
    finally:
        db.close()


def test_the_ledger_survives_a_second_restore_of_an_older_copy(
    db, data_paths, account, smtp_server
):
    """The sent ID must not come from the restored file alone: restoring
    the before-restore copy, then the old backup again, still knows."""
    email_id = _scheduled("Letter request")
    old = backups.backup_now(db, data_paths, "manual")
    send_batch([email_id], account, PASSWORD)
    db.close()
    before = backups.restore(data_paths, old.path)
    backups.restore(data_paths, before.path)
    backups.restore(data_paths, old.path)
    db = _reopen(data_paths)
    try:
        try:
            outbox.retry(email_id)
            raise AssertionError("retry of a sent Message-ID was allowed")
        except OutboxError:
            pass
        assert send_batch([email_id], account, PASSWORD).count(SendResult.SENT) == 0
        assert len(smtp_server.delivered) == 1
    finally:
        db.close()


def test_an_imported_archive_brings_scheduled_emails_back_held(db, data_paths, tmp_path):
    email_id = _scheduled("Letter request")
    exported = tmp_path / "move.letterdesk.zip"
    archive.export_archive(db, data_paths, exported)
    db.close()
    other = DataPaths(tmp_path / "second-computer")
    other.ensure()
    archive.import_archive(other, exported)
    db = _reopen(other)
    try:
        email = outbox.get_email(email_id)
        assert email.state is S.HELD
        assert "came back with a restore or an import" in email.last_error
        assert _due() == []
        assert outbox.release_held(email_id) is S.SCHEDULED
    finally:
        db.close()


def test_the_outbox_page_shows_held_emails_and_retry_confirms_them(
    qtbot, db, data_paths, page_context, mail_account, smtp_server, dialogs
):
    """Driven as a user: after the restore both emails read "Held"; Retry
    on the one that went out is refused with the reason, Retry on the other
    sends it once."""
    from PySide6.QtCore import Qt

    from desktop.ui.mail.outbox_page import OutboxPage
    from tests.ui.dialogs import click_message_button

    went_out = _scheduled("Letter request")
    waiting = outbox.create_draft(EmailFields("o@h.org", "Materials", "Dear Dr. Okafor,\n"))
    outbox.queue(waiting, domain="school.edu")
    backup = backups.backup_now(db, data_paths, "manual")
    send_batch([went_out], mail_account, PASSWORD)
    db.close()
    backups.restore(data_paths, backup.path)
    reopened = _reopen(data_paths)
    try:
        page = OutboxPage(page_context)
        qtbot.addWidget(page)
        page.resize(1100, 500)
        page.show()
        page.reload()
        for email_id in (went_out, waiting):
            index = page.model.index(page.model.row_of_id(email_id), 0)
            assert index.data() == "Held"
        page.select_id(went_out)
        assert page.retry_button.isEnabled()
        refused = []

        def read(box):
            refused.append(box.text())
            click_message_button(box, "OK")

        dialogs.then(read)
        qtbot.mouseClick(page.retry_button, Qt.MouseButton.LeftButton)
        dialogs.check()
        assert "already sent" in refused[0]
        page.select_id(waiting)
        # The account came back with the restore too: shown before use.
        dialogs.then(lambda box: click_message_button(box, "Use this account"))
        qtbot.mouseClick(page.retry_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: not page.is_sending(), timeout=5000)
        assert outbox.get_email(waiting).state is S.SENT
        assert outbox.get_email(went_out).state is S.HELD
        assert sorted(m.message_id for m in smtp_server.delivered) == sorted(
            [outbox.get_email(went_out).message_id, outbox.get_email(waiting).message_id]
        )
    finally:
        reopened.close()


def test_releasing_an_email_twice_says_what_was_refused(db):
    """The second release (a double click, a row already changed) once read
    "A scheduled email cannot be sent.", which says the wrong thing."""
    email_id = _scheduled("Letter request", NOW + timedelta(days=2))
    db.execute_sql("UPDATE outgoing_email SET state = 'held' WHERE id = ?", (email_id,))
    assert outbox.release_held(email_id) is S.SCHEDULED
    with pytest.raises(OutboxError) as caught:
        outbox.release_held(email_id)
    assert caught.value.user_message == "A scheduled email cannot be released from hold."
