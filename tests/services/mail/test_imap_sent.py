"""The copy in the Sent folder, against a real Dovecot after a real SMTP
send (smtp_server.py): found by its \\Sent flag, put there exactly once,
not at all when the provider keeps its own, and a failure leaves the
email sent with the reason in the Outbox. Also XOAUTH2 for IMAP, with
Dovecot checking the token at the test OAuth server."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from desktop.domain.vocabulary import EmailState
from desktop.services.mail.account import SmtpAccount
from desktop.services.mail.imap import FailureKind, ImapFailure, connect, login_for, xoauth2_login
from desktop.services.mail.imap_replies import check_now
from desktop.services.mail.imap_sent import CopyResult, keep_copies, sent_folder
from desktop.services.mail.sender import SendResult, message_for, send_batch
from desktop.store import outbox
from desktop.store.outbox import EmailFields

from .imap_server import PASSWORD, DovecotServer, plain_message
from .smtp_server import closed_port
from .test_oauth import _sign_in

TODAY = date(2026, 4, 21)


def _queued(subject: str = "Letter of recommendation") -> int:
    email_id = outbox.create_draft(
        EmailFields(to_addrs="okafor@h.org", subject=subject, body="Dear Dr. Okafor,\n")
    )
    outbox.queue(email_id, domain="example.org")
    return email_id


def _send(ids, account: SmtpAccount):
    return send_batch(
        ids, account, PASSWORD, timeout=10, today=lambda: TODAY, keep_sent_copies=True
    )


def test_a_sent_email_is_copied_to_sent_exactly_once(db, dovecot, account, smtp_server, ca_file):
    imap_account = dovecot.account(account)
    first, second = _queued("One"), _queued("Two")
    result = _send([first, second], imap_account)
    assert result.count(SendResult.SENT) == 2
    ids = [outbox.get_email(i).message_id for i in (first, second)]
    assert dovecot.message_ids(ca_file, "Sent") == ids
    assert dovecot.message_ids(ca_file, "INBOX") == []
    assert outbox.get_email(first).last_error == ""

    # Asked again (a retry of the copy, a second window): still once.
    messages = [(i, message_for(outbox.get_email(i), imap_account)) for i in (first, second)]
    again = keep_copies(messages, imap_account, PASSWORD)
    assert again == {first: CopyResult.ALREADY_THERE, second: CopyResult.ALREADY_THERE}
    assert dovecot.message_ids(ca_file, "Sent") == ids


def test_a_copy_the_provider_kept_is_not_added_again(db, dovecot, account, smtp_server, ca_file):
    """Gmail and Microsoft 365 put their own copy in Sent."""
    imap_account = dovecot.account(account)
    email_id = _queued()
    message_id = outbox.queue(email_id, domain="example.org")
    providers_copy = plain_message(sender=account.address, subject="x", body="y", to="okafor@h.org")
    del providers_copy["Message-ID"]
    providers_copy["Message-ID"] = message_id
    dovecot.deliver(ca_file, providers_copy, folder="Sent")

    assert _send([email_id], imap_account).count(SendResult.SENT) == 1
    assert dovecot.message_ids(ca_file, "Sent") == [message_id]
    assert outbox.get_email(email_id).last_error == ""


def test_the_sent_folder_is_found_by_its_flag_not_its_name(
    db, server_cert, account, smtp_server, ca_file
):
    server = DovecotServer(server_cert, sent_folder="Gesendete Elemente").start()
    try:
        imap_account = server.account(account)
        conn = connect(imap_account, login_for(imap_account, PASSWORD))
        try:
            assert sent_folder(conn) == "Gesendete Elemente"  # not the plain "Sent" beside it
        finally:
            conn.logout()
        email_id = _queued()
        _send([email_id], imap_account)
        assert server.message_ids(ca_file, "Gesendete Elemente") == [
            outbox.get_email(email_id).message_id
        ]
        assert server.message_ids(ca_file, "Sent") == []
    finally:
        server.stop()


def test_when_the_copy_fails_the_email_stays_sent_and_the_outbox_says_why(db, account, smtp_server):
    unreachable = replace(account, imap_host="127.0.0.1", imap_port=closed_port())
    email_id = _queued()
    result = _send([email_id], unreachable)
    assert result.count(SendResult.SENT) == 1
    email = outbox.get_email(email_id)
    assert EmailState(email.state) is EmailState.SENT
    assert email.last_error.startswith(
        "Sent, but no copy was put in your Sent folder: cannot reach"
    )
    assert len(smtp_server.delivered) == 1  # and never sent twice for it


# --- XOAUTH2 for IMAP --------------------------------------------------------------------


def test_a_signed_in_account_reads_mail_with_xoauth2_checked_by_the_oauth_server(
    db, local_providers, dovecot_oauth, account, ca_file
):
    _sign_in(local_providers)  # the grant the token provider refreshes from
    oauth_account = replace(dovecot_oauth.account(account), oauth_provider="microsoft")
    result = check_now(oauth_account, login_for(oauth_account, None))
    assert result.uid_validity > 0
    assert f"user=<{account.address}>, method=XOAUTH2" in dovecot_oauth.log()

    with pytest.raises(ImapFailure) as refused:
        connect(oauth_account, xoauth2_login(account.address, lambda: "at-not-a-token"))
    assert refused.value.kind is FailureKind.AUTH
    assert "at-not-a-token" not in refused.value.status


def test_a_signed_in_account_sends_and_keeps_the_sent_copy_with_xoauth2(
    db, local_providers, xoauth2_server, dovecot_oauth, ca_file
):
    _sign_in(local_providers)
    account = replace(
        dovecot_oauth.account(xoauth2_server.account(ca_file)), oauth_provider="microsoft"
    )
    email_id = _queued()
    result = send_batch(
        [email_id], account, None, timeout=10, today=lambda: TODAY, keep_sent_copies=True
    )
    assert result.count(SendResult.SENT) == 1
    assert dovecot_oauth.message_ids(ca_file, "Sent") == [outbox.get_email(email_id).message_id]
    assert outbox.get_email(email_id).last_error == ""
    assert "method=XOAUTH2" in dovecot_oauth.log()
