"""Server replies explained by their code and text, not by the SMTP step
(issue 10), and the size told before anything is sent. The replies come
from the real aiosmtpd server on 127.0.0.1 (smtp_server.py, Faults.replies),
worded as Postfix and Exchange Online word them."""

from __future__ import annotations

from pathlib import Path

import pytest
import trustme

from desktop.services.mail.account import SmtpAccount
from desktop.services.mail.message import MailAttachment, build_message, new_message_id
from desktop.services.mail.size_limits import estimated_size, known_limit, too_large
from desktop.services.mail.smtp import (
    CONNECTION_KINDS,
    FailureKind,
    SmtpFailure,
    close_quietly,
    open_connection,
    send_message,
)
from desktop.services.mail.smtp import (
    test_connection as try_connection,
)
from desktop.services.mail.smtp_replies import enhanced_code

from .smtp_server import PASSWORD, Faults, SmtpTestServer


def _message(attachments=()):
    return build_message(
        from_name="Maya",
        from_address="applicant@example.org",
        to=["amara@hospital.org"],
        subject="Letter request",
        body="Dear Dr. Okafor,\n",
        message_id=new_message_id("example.org"),
        attachments=attachments,
    )


def _send(server: SmtpTestServer, account: SmtpAccount, message=None) -> SmtpFailure:
    conn = open_connection(account, PASSWORD, timeout=10)
    try:
        with pytest.raises(SmtpFailure) as caught:
            send_message(conn, message or _message(), account, PASSWORD)
    finally:
        close_quietly(conn)
    return caught.value


@pytest.mark.parametrize(
    ("step", "reply"),
    [
        ("MAIL", "552 5.3.4 Message size exceeds fixed maximum message size"),
        ("DATA", "552 5.3.4 Message size exceeds fixed maximum message size"),
        ("DATA", "554 5.3.4 Message too big for system"),
    ],
)
def test_too_large_says_too_large_whatever_the_step(
    smtp_server: SmtpTestServer, account: SmtpAccount, faults: Faults, step: str, reply: str
) -> None:
    faults.replies[step] = reply
    failure = _send(smtp_server, account).failure
    assert failure.kind is FailureKind.PERMANENT
    assert "too large" in failure.message
    assert "sender" not in failure.message.lower() and "from " not in failure.message
    assert "5.3.4" in failure.message  # the server's own words are quoted
    assert smtp_server.delivered == []


@pytest.mark.parametrize(
    ("step", "reply"),
    [
        # Postfix's reject_sender_login_mismatch answers at RCPT time.
        ("RCPT", "553 5.7.1 <applicant@example.org>: Sender address rejected: not owned by user"),
        ("MAIL", "553 5.7.1 Sender address rejected"),
        (
            "DATA",
            "554 5.2.252 SendAsDenied; applicant@example.org not allowed to send as "
            "applicant@example.org",
        ),
    ],
)
def test_a_refused_sender_is_the_accounts_address_not_the_recipient(
    smtp_server: SmtpTestServer, account: SmtpAccount, faults: Faults, step: str, reply: str
) -> None:
    faults.replies[step] = reply
    failure = _send(smtp_server, account).failure
    assert failure.kind is FailureKind.PERMANENT
    assert "does not let this account send as applicant@example.org" in failure.message
    assert "recipient" not in failure.message
    assert "amara@hospital.org" not in failure.message


@pytest.mark.parametrize(
    "reply",
    [
        "535 5.7.139 Authentication unsuccessful, SmtpClientAuthentication is disabled for the "
        "Tenant.",
        "535 5.7.139 Authentication unsuccessful, basic authentication is disabled.",
        "535 5.7.3 Authentication unsuccessful",
    ],
)
def test_microsoft_password_off_points_to_sign_in_with_microsoft(
    smtp_server: SmtpTestServer, account: SmtpAccount, faults: Faults, reply: str
) -> None:
    faults.replies["AUTH"] = reply
    with pytest.raises(SmtpFailure) as caught:
        open_connection(account, PASSWORD, timeout=10)
    assert caught.value.suggest_sign_in == "microsoft"
    assert caught.value.failure.kind is FailureKind.AUTH
    assert "Sign in with Microsoft" in caught.value.user_message
    # The connection test says the same.
    result = try_connection(account, PASSWORD)
    assert not result.ok and result.failure is not None
    assert result.failure.suggest_sign_in == "microsoft"


def test_microsofts_5_7_30_after_login_also_points_to_sign_in(
    smtp_server: SmtpTestServer, account: SmtpAccount, faults: Faults
) -> None:
    faults.replies["MAIL"] = (
        "550 5.7.30 Basic authentication is not supported for Client Submission."
    )
    failure = _send(smtp_server, account)
    assert failure.suggest_sign_in == "microsoft"
    assert failure.failure.kind in CONNECTION_KINDS  # the batch stops: every email would fail


def test_a_plain_wrong_password_does_not_suggest_a_sign_in(
    smtp_server: SmtpTestServer, account: SmtpAccount, faults: Faults
) -> None:
    faults.replies["AUTH"] = "535 5.7.8 Error: authentication failed"
    with pytest.raises(SmtpFailure) as caught:
        open_connection(account, PASSWORD, timeout=10)
    assert caught.value.suggest_sign_in is None
    assert "refused the username or password" in caught.value.user_message


@pytest.mark.parametrize(
    ("step", "reply"),
    [
        ("MAIL", "451 4.3.0 Temporary lookup failure"),
        ("RCPT", "450 4.2.0 <amara@hospital.org>: Recipient address rejected: Greylisted"),
        ("DATA", "421 4.7.0 Try again later, closing connection"),
    ],
)
def test_4xx_is_temporary_at_every_step(
    smtp_server: SmtpTestServer, account: SmtpAccount, faults: Faults, step: str, reply: str
) -> None:
    faults.replies[step] = reply
    failure = _send(smtp_server, account).failure
    if failure.kind is FailureKind.DISCONNECTED:
        pytest.fail("421 closes the connection, but it was read as a reply first")
    assert failure.kind is FailureKind.TEMPORARY
    assert "temporary" in failure.message


def test_an_unknown_recipient_is_still_the_recipient(
    smtp_server: SmtpTestServer, account: SmtpAccount, faults: Faults
) -> None:
    faults.reject_recipients.add("amara@hospital.org")
    failure = _send(smtp_server, account).failure
    assert "refused the recipient amara@hospital.org" in failure.message


def test_enhanced_codes_are_read_from_the_text() -> None:
    assert enhanced_code("553 5.7.1 <a@b>: Sender address rejected") == "5.7.1"
    assert enhanced_code("no code here 1.2") is None


# --- size, before anything is sent --------------------------------------------------


def test_over_the_servers_size_nothing_is_sent(
    server_cert: trustme.LeafCert, ca_file: Path, tmp_path: Path
) -> None:
    server = SmtpTestServer(server_cert, size_limit=200_000).start()
    try:
        account = server.account(ca_file)
        big = tmp_path / "cv.pdf"
        big.write_bytes(b"%PDF" + bytes(300_000))
        failure = _send(server, account, _message([MailAttachment(big)])).failure
        assert failure.kind is FailureKind.PERMANENT
        assert "Nothing was sent" in failure.message
        assert "0.2 MB" in failure.message  # the server's SIZE, in words
        assert server.attempts == []  # refused before MAIL FROM: DATA never started
        # A message under the limit still goes.
        conn = open_connection(account, PASSWORD, timeout=10)
        send_message(conn, _message(), account, PASSWORD)
        close_quietly(conn)
        assert len(server.delivered) == 1
    finally:
        server.stop()


@pytest.mark.parametrize(
    ("host", "address", "provider", "limit_mb"),
    [
        ("smtp.gmail.com", "maya@gmail.com", "Gmail", 33.3),
        ("smtp.office365.com", "maya@outlook.com", "Outlook.com", 26.6),
        ("smtp.office365.com", "maya@med.example.edu", "Microsoft 365", 35.0),
    ],
)
def test_provider_limits_are_known_with_base64s_third(
    host: str, address: str, provider: str, limit_mb: float
) -> None:
    account = SmtpAccount("Maya", address, host, 465, "ssl", address)
    limit = known_limit(account)
    assert limit is not None and limit.provider == provider
    assert abs(limit.wire_bytes / 1e6 - limit_mb) < 0.1
    # A 22 MB attachment (about 29 MB sent) fits Gmail and Microsoft 365, not Outlook.com.
    size = int(22e6 * 4 / 3)
    problem = too_large(size, account)
    if provider == "Outlook.com":
        assert problem is not None and "Outlook.com accepts at most" in problem
    else:
        assert problem is None


def test_the_estimate_before_queueing_counts_attachments_encoded(tmp_path: Path) -> None:
    path = tmp_path / "letter.pdf"
    path.write_bytes(bytes(3_000_000))
    estimate = estimated_size("Dear Dr. Okafor", [path])
    actual = len(_message([MailAttachment(path)]).as_bytes())
    assert actual <= estimate <= actual * 1.1
