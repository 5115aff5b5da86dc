"""Connecting, logging in and handing over messages to a real SMTP server on
127.0.0.1 (STARTTLS and SSL, AUTH), and every fault explained in words that
say what happened and what to do, never with the password in them."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pytest

from desktop.services.mail import account as smtp_account
from desktop.services.mail.account import (
    PRESETS,
    AccountError,
    SmtpAccount,
    load_account,
    preset_for_address,
    save_account,
    validate_account,
)
from desktop.services.mail.message import build_message, new_message_id
from desktop.services.mail.smtp import (
    FailureKind,
    SmtpFailure,
    close_quietly,
    open_connection,
    send_message,
)
from desktop.services.mail.smtp import (
    test_connection as check_connection,
)
from desktop.store.models import Setting

from .smtp_server import PASSWORD, USER, Faults, SmtpTestServer, closed_port


def _message(account: SmtpAccount, to: tuple[str, ...] = ("okafor@hospital.org",)):
    return build_message(
        from_name=account.display_name,
        from_address=account.address,
        to=list(to),
        subject="Letter of recommendation",
        body="Dear Dr. Okafor,\n",
        message_id=new_message_id("example.org"),
    )


def _send(account: SmtpAccount, to: tuple[str, ...] = ("okafor@hospital.org",)):
    conn = open_connection(account, PASSWORD, timeout=10)
    try:
        return send_message(conn, _message(account, to), account, PASSWORD)
    finally:
        close_quietly(conn)


def _no_secret(text: str) -> None:
    assert PASSWORD not in text


# --- test connection --------------------------------------------------------------------


def test_connection_over_starttls_logs_in_and_says_so(account, smtp_server):
    result = check_connection(account, PASSWORD)
    assert result.ok, result.message
    assert "STARTTLS" in result.message and f"logged in as {USER}" in result.message
    assert smtp_server.handler.logins == [USER]


def test_connection_over_implicit_tls(ssl_server: SmtpTestServer, ca_file: Path):
    result = check_connection(ssl_server.account(ca_file), PASSWORD)
    assert result.ok, result.message
    assert "SSL/TLS" in result.message


def test_a_wrong_password_is_named_with_what_to_do(account):
    result = check_connection(account, "not-the-password")
    assert not result.ok and result.failure is not None
    assert result.failure.kind is FailureKind.AUTH and result.failure.code == 535
    assert "refused the username or password" in result.message
    assert "app password" in result.message
    assert "not-the-password" not in result.message


def test_a_server_refusing_every_login_gives_the_same_answer(account, faults: Faults):
    faults.reject_auth = True
    result = check_connection(account, PASSWORD)
    assert result.failure is not None and result.failure.kind is FailureKind.AUTH
    _no_secret(result.message)


def test_an_untrusted_certificate_is_reported_never_bypassed(untrusted_server, ca_file):
    result = check_connection(untrusted_server.account(ca_file), PASSWORD)
    assert result.failure is not None and result.failure.kind is FailureKind.CERTIFICATE
    assert "not trusted" in result.message and "CA file" in result.message
    assert untrusted_server.handler.logins == [], "no password went to that server"
    _no_secret(result.message)


def test_without_the_schools_ca_file_the_certificate_is_not_trusted(smtp_server):
    result = check_connection(smtp_server.account(None), PASSWORD)
    assert result.failure is not None and result.failure.kind is FailureKind.CERTIFICATE
    assert smtp_server.handler.logins == []


def test_an_unreachable_server_is_named(smtp_server, ca_file):
    result = check_connection(smtp_server.account(ca_file, port=closed_port()), PASSWORD)
    assert result.failure is not None and result.failure.kind is FailureKind.UNREACHABLE
    assert "refused the connection" in result.message and "port" in result.message


def test_an_unknown_server_name_is_named(smtp_server, ca_file):
    account = smtp_server.account(ca_file, host="no-such-host.invalid")
    result = check_connection(account, PASSWORD, timeout=5)
    assert result.failure is not None and result.failure.kind is FailureKind.UNREACHABLE
    assert "no-such-host.invalid" in result.message


def test_starttls_against_an_ssl_port_and_back_say_to_check_the_security_setting(
    smtp_server, ssl_server, ca_file
):
    wrong_ways = [
        ssl_server.account(ca_file, security="starttls"),
        smtp_server.account(ca_file, security="ssl"),
    ]
    for account in wrong_ways:
        result = check_connection(account, PASSWORD, timeout=5)
        assert not result.ok
        assert result.failure is not None
        assert result.failure.kind in (FailureKind.TLS, FailureKind.UNREACHABLE)
        assert "security setting" in result.message or "answer" in result.message


def test_a_missing_ca_file_is_refused_before_connecting(account, tmp_path):
    missing = replace(account, ca_file=str(tmp_path / "nope.pem"))
    result = check_connection(missing, PASSWORD)
    assert not result.ok and "was not found" in result.message
    with pytest.raises(SmtpFailure) as caught:
        open_connection(missing, PASSWORD)
    assert caught.value.failure.kind is FailureKind.CERTIFICATE


def test_a_login_without_a_password_asks_for_it(account):
    with pytest.raises(SmtpFailure, match="Enter the password"):
        open_connection(account, None)


# --- handing over messages ---------------------------------------------------------------


def test_a_message_is_delivered_to_every_recipient(account, smtp_server):
    assert _send(account, ("a@hospital.org", "b@hospital.org")) == {}
    (got,) = smtp_server.delivered
    assert got.rcpt_tos == ("a@hospital.org", "b@hospital.org")
    assert got.mail_from == account.address


def test_a_refused_recipient_is_reported_while_the_others_get_it(account, smtp_server, faults):
    faults.reject_recipients = {"gone@hospital.org"}
    refused = _send(account, ("a@hospital.org", "gone@hospital.org"))
    assert list(refused) == ["gone@hospital.org"] and refused["gone@hospital.org"].startswith("550")
    assert smtp_server.delivered[0].rcpt_tos == ("a@hospital.org",)


def test_every_recipient_refused_is_permanent(account, smtp_server, faults):
    faults.reject_recipients = {"gone@hospital.org"}
    with pytest.raises(SmtpFailure) as caught:
        _send(account, ("gone@hospital.org",))
    assert caught.value.failure.kind is FailureKind.PERMANENT
    assert "gone@hospital.org" in caught.value.failure.message
    assert smtp_server.delivered == []


@pytest.mark.parametrize(
    ("fault", "kind", "words"),
    [
        ({"temporary_data": 1}, FailureKind.TEMPORARY, "retry later"),
        ({"permanent_data": True}, FailureKind.PERMANENT, "will not be accepted"),
        ({"drop_data": 1}, FailureKind.DROPPED, "not known whether it was accepted"),
    ],
)
def test_data_faults_are_classified(account, smtp_server, faults, fault, kind, words):
    for name, value in fault.items():
        setattr(faults, name, value)
    with pytest.raises(SmtpFailure) as caught:
        _send(account)
    failure = caught.value.failure
    assert failure.kind is kind and words in failure.message
    assert failure.unclear is (kind is FailureKind.DROPPED)
    _no_secret(failure.message)
    assert smtp_server.delivered == []
    assert len(smtp_server.attempts) == 1


def test_after_a_temporary_refusal_the_connection_is_still_usable(account, smtp_server, faults):
    faults.temporary_data = 1
    conn = open_connection(account, PASSWORD, timeout=10)
    try:
        with pytest.raises(SmtpFailure):
            send_message(conn, _message(account), account, PASSWORD)
        send_message(conn, _message(account), account, PASSWORD)
    finally:
        close_quietly(conn)
    assert len(smtp_server.delivered) == 1


# --- the account ------------------------------------------------------------------------


def test_presets_cover_the_common_providers_with_a_note():
    hosts = {(p.host, p.port, p.security) for p in PRESETS}
    assert {
        ("smtp.gmail.com", 465, "ssl"),
        ("smtp.gmail.com", 587, "starttls"),
        ("smtp.office365.com", 587, "starttls"),
        ("smtp.mail.me.com", 587, "starttls"),
        ("smtp.mail.yahoo.com", 465, "ssl"),
    } <= hosts
    assert all(p.note for p in PRESETS)
    assert "app password" in preset_for_address("me@gmail.com").note  # type: ignore[union-attr]
    assert preset_for_address("me@icloud.com").host == "smtp.mail.me.com"  # type: ignore[union-attr]
    assert preset_for_address("me@school.edu") is None


def _plain(host: str, **changes) -> SmtpAccount:
    values = dict(
        display_name="Zoë",
        address="zoe@example.org",
        host=host,
        port=25,
        security="none",
        username="",
    )
    values.update(changes)
    return SmtpAccount(**values)


def test_no_encryption_only_for_a_local_relay_and_never_with_a_password():
    assert validate_account(_plain("localhost")) == []
    assert validate_account(_plain("127.0.0.1")) == []
    assert validate_account(_plain("::1")) == []
    assert any("only for a relay" in p for p in validate_account(_plain("smtp.gmail.com")))
    assert any(
        "never sent without" in p for p in validate_account(_plain("localhost"), password="x")
    )
    assert any(
        "never sent without" in p for p in validate_account(_plain("localhost", username="zoe"))
    )


def test_account_fields_are_checked():
    problems = validate_account(
        _plain("smtp.example.org\nX: y", security="ssl", port=70000, address="nope")
    )
    assert len(problems) >= 3


def test_the_account_is_saved_without_a_password_and_loads_back(db, account):
    save_account(account)
    assert load_account() == account
    stored = json.loads(Setting.get_by_id(smtp_account.SETTING_KEY).value)
    assert set(stored) == {
        "display_name",
        "address",
        "host",
        "port",
        "security",
        "username",
        "ca_file",
    }
    assert PASSWORD not in Setting.get_by_id(smtp_account.SETTING_KEY).value


def test_an_invalid_account_is_not_saved(db):
    with pytest.raises(AccountError, match="only for a relay"):
        save_account(_plain("smtp.gmail.com"))
    assert load_account() is None


def test_a_damaged_stored_account_reads_as_none(db):
    Setting.create(key=smtp_account.SETTING_KEY, value='{"security": "rot13"}')
    assert load_account() is None


def test_a_local_relay_without_encryption_sends_without_login(tmp_path):
    """A relay on localhost ("none") is the one plain-text case: checked by
    validation above; connecting to a TLS-only server with it fails clearly."""
    account = _plain("127.0.0.1", port=closed_port())
    result = check_connection(account, None)
    assert result.failure is not None and result.failure.kind is FailureKind.UNREACHABLE


def test_a_password_smtplib_cannot_carry_is_explained(account):
    result = check_connection(account, "pässwörd")
    assert result.failure is not None and result.failure.kind is FailureKind.AUTH
    assert "accented" in result.message and "pässwörd" not in result.message


# --- a server that quotes the password back ---------------------------------------------


def _secret_forms(password: str) -> tuple[str, ...]:
    """The password as a server may quote it: in clear, as the base64 of AUTH
    LOGIN, and inside the base64 blob of AUTH PLAIN."""
    import base64

    def b64(raw: str) -> str:
        return base64.b64encode(raw.encode()).decode()

    return (password, b64(password), b64(f"\0{USER}\0{password}"))


def _echoing_server(cert, faults: Faults, mechanisms: tuple[str, ...]) -> SmtpTestServer:
    faults.echo_credentials = True
    return SmtpTestServer(cert, faults=faults, auth_mechanisms=mechanisms)


@pytest.mark.parametrize("mechanisms", [("PLAIN",), ("LOGIN",), ("PLAIN", "LOGIN")])
@pytest.mark.parametrize("password", [PASSWORD, "Wrong-Pw-91c2e4-also-unique"])
def test_a_password_the_server_echoes_is_masked_in_the_message_and_the_log(
    server_cert, ca_file, faults: Faults, caplog, mechanisms, password
):
    import logging

    caplog.set_level(logging.DEBUG)
    faults.reject_auth = True  # refuse even the right password
    server = _echoing_server(server_cert, faults, mechanisms).start()
    try:
        result = check_connection(server.account(ca_file), password)
    finally:
        server.stop()
    assert result.failure is not None and result.failure.kind is FailureKind.AUTH
    assert result.failure.code == 535
    for secret in _secret_forms(password):
        assert secret not in result.message
    # The server's reply did reach the message (so the check above means
    # something): quoted, with every form of the password masked out.
    assert f"Authentication failed for {USER} with password ••• (received" in result.message
    ours = [r for r in caplog.records if r.name != "mail.log"]  # not the test server's own
    logged = "\n".join(r.getMessage() for r in ours) + caplog.text
    for secret in _secret_forms(password):
        assert secret not in logged


def test_server_text_masks_the_password_in_clear_and_in_base64():
    from desktop.services.mail.smtp import _server_text

    plain, login_b64, plain_b64 = _secret_forms(PASSWORD)
    text = _server_text(f"no {plain} / {login_b64} / {plain_b64} / ok".encode(), PASSWORD)
    assert text == "no ••• / ••• / ••• / ok"
    # Base64 that does not hide the password, and text without it, stay.
    assert _server_text("id aGVsbG8gd29ybGQ= done", PASSWORD) == "id aGVsbG8gd29ybGQ= done"
    assert _server_text("5.7.8   bad\r\n  credentials", PASSWORD) == "5.7.8 bad credentials"
    assert _server_text(f"pw {plain}", None) == f"pw {plain}"
