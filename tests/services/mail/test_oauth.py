"""Signing in with OAuth2 and sending with XOAUTH2, end to end on real
parts: the local authorization server over HTTPS (oauth_server.py), the
loopback listener of the app, an aiosmtpd server that takes only XOAUTH2
and introspects each token, a real SQLite file. The one stand-in is the
system browser: ``ScriptedBrowser`` does what a person's browser does after
they click Accept (or Deny, or close the window)."""

from __future__ import annotations

import logging
import socket
import threading
import time
import urllib.parse
import webbrowser
from dataclasses import replace

import pytest

from desktop.domain.vocabulary import EmailState
from desktop.services import secrets
from desktop.services.mail import oauth, oauth_clients
from desktop.services.mail.oauth import OAuthError, SignInAgain
from desktop.services.mail.oauth_flow import (
    ConsentRefused,
    SignInCancelled,
    SignInTimedOut,
    sign_in,
)
from desktop.services.mail.sender import SendResult, send_batch
from desktop.services.mail.smtp import FailureKind, SmtpFailure, close_quietly, open_connection
from desktop.store import outbox
from desktop.store.outbox import EmailFields

from .oauth_server import ScriptedBrowser
from .smtp_server import USER, Faults, SmtpTestServer

ADDRESS = USER


def _sign_in(server, key="microsoft", **kwargs):
    browser = kwargs.pop("browser", None) or ScriptedBrowser(server)
    client = oauth_clients.client_for(key)
    assert client is not None
    kwargs.setdefault("timeout", 10)
    result = sign_in(oauth_clients.provider(key), client, ADDRESS, open_browser=browser, **kwargs)
    return result, browser


def _oauth_account(smtp: SmtpTestServer, ca_file, key="microsoft"):
    return smtp.account(ca_file, oauth_provider=key)


def _queued_email() -> int:
    email_id = outbox.create_draft(
        EmailFields(to_addrs="okafor@h.org", subject="Letter request", body="Dear Dr. Okafor,\n")
    )
    outbox.queue(email_id, domain="example.org")
    return email_id


def _nothing_stored(server) -> None:
    assert not oauth.is_signed_in("microsoft", ADDRESS)
    assert oauth._cache == {}


# --- the flow -----------------------------------------------------------------------------


@pytest.mark.parametrize("key", ["microsoft", "google"])
def test_sign_in_runs_the_native_app_flow_and_keeps_the_grant_in_the_keyring(local_providers, key):
    result, browser = _sign_in(local_providers, key)

    query = dict(urllib.parse.parse_qsl(urllib.parse.urlsplit(browser.opened[0]).query))
    assert query["code_challenge_method"] == "S256"
    assert len(query["state"]) >= 32 and query["login_hint"] == ADDRESS
    assert query["scope"] == " ".join(oauth_clients.provider(key).scopes)
    host = oauth_clients.provider(key).redirect_host
    assert query["redirect_uri"].startswith(f"http://{host}:")
    assert int(query["redirect_uri"].rsplit(":", 1)[1].rstrip("/")) > 1024  # a random port
    assert browser.errors == [] and "close this window" in browser.loopback_pages[0]
    stored = secrets.get_password(oauth.refresh_key(key, ADDRESS))
    assert stored.ok and stored.password in local_providers.live_refresh_tokens()
    assert oauth.access_token(key, ADDRESS) == result.tokens.access_token


def test_scopes_are_one_list_per_provider():
    assert oauth_clients.MICROSOFT.scopes == (
        "https://outlook.office.com/SMTP.Send",
        "https://outlook.office.com/IMAP.AccessAsUser.All",  # replies and the Sent copy
        "offline_access",
    )
    assert oauth_clients.GOOGLE.scopes == ("https://mail.google.com/",)


def test_a_forged_state_is_refused_and_nothing_is_stored(local_providers):
    local_providers.state.forge_state = True
    with pytest.raises(OAuthError, match="did not belong to this sign-in"):
        _sign_in(local_providers)
    assert local_providers.state.token_requests == []  # the code was never used
    _nothing_stored(local_providers)


def test_a_wrong_pkce_verifier_is_refused_by_the_server_and_nothing_is_stored(local_providers):
    # The browser carries a challenge that is not the app's (as an attacker
    # who injected their own authorization request would): the app's
    # verifier then does not match and the server refuses the code.
    browser = ScriptedBrowser(local_providers, tamper={"code_challenge": "A" * 43})
    with pytest.raises(OAuthError, match="did not accept this sign-in's code"):
        _sign_in(local_providers, browser=browser)
    assert local_providers.state.refused == ["PKCE verifier does not match the challenge"]
    _nothing_stored(local_providers)


def test_consent_refused_is_a_plain_sentence_and_nothing_is_stored(local_providers):
    local_providers.state.consent = "deny"
    with pytest.raises(ConsentRefused) as refused:
        _sign_in(local_providers)
    assert "Access was not granted" in refused.value.user_message
    assert "Nothing was stored" in refused.value.user_message
    _nothing_stored(local_providers)


def test_a_closed_browser_times_out_with_a_plain_sentence(local_providers):
    local_providers.state.consent = "close"
    started = time.monotonic()
    with pytest.raises(SignInTimedOut, match="browser window closed"):
        _sign_in(local_providers, timeout=1.0)
    assert time.monotonic() - started < 5
    _nothing_stored(local_providers)


def test_a_browser_that_fails_to_start_gives_a_plain_sentence(local_providers):
    # webbrowser.open raises webbrowser.Error (or OSError) when no browser can
    # be run; the test's opener raises the same, as this machine has none.
    def broken_browser(_url: str) -> bool:
        raise webbrowser.Error("could not locate runnable browser")

    with pytest.raises(OAuthError, match="could not open a web browser"):
        _sign_in(local_providers, browser=broken_browser)
    _nothing_stored(local_providers)


def test_the_wait_for_the_browser_can_be_cancelled(local_providers):
    local_providers.state.consent = "close"
    cancel = threading.Event()
    outcome: list[BaseException] = []
    browser = ScriptedBrowser(local_providers)

    def run() -> None:
        try:
            _sign_in(local_providers, browser=browser, cancel=cancel, timeout=60)
        except OAuthError as exc:
            outcome.append(exc)

    worker = threading.Thread(target=run)
    worker.start()
    assert browser.done.wait(10)  # the page is open, nobody answers
    cancel.set()
    worker.join(3)
    assert not worker.is_alive()
    assert isinstance(outcome[0], SignInCancelled)
    _nothing_stored(local_providers)


# --- tokens -------------------------------------------------------------------------------


def test_an_expired_access_token_is_refreshed(local_providers):
    first, _browser = _sign_in(local_providers)
    local_providers.expire_access_tokens()
    later = time.time() + 3600  # the app's clock says the hour is over too
    fresh = oauth.access_token("microsoft", ADDRESS, now=later)
    assert fresh != first.tokens.access_token
    assert local_providers.refresh_requests() == 1
    assert local_providers.introspect(fresh)["active"] is True
    assert oauth.access_token("microsoft", ADDRESS) == fresh  # cached, no new request
    assert local_providers.refresh_requests() == 1


def test_a_revoked_grant_means_sign_in_again_and_the_dead_grant_is_forgotten(local_providers):
    _sign_in(local_providers)
    local_providers.revoke_all()
    oauth.forget_access_token("microsoft", ADDRESS)
    with pytest.raises(SignInAgain) as again:
        oauth.access_token("microsoft", ADDRESS)
    assert again.value.suggest_sign_in == "microsoft"
    assert "Sign in again" in again.value.user_message
    assert not oauth.is_signed_in("microsoft", ADDRESS)


@pytest.mark.parametrize(
    "reply", [b"garbage\r\n\r\n", b"HTTP/1.1 200 OK\r\nContent-Length: 99\r\n\r\n{"]
)
def test_a_token_endpoint_that_does_not_speak_http_is_a_sentence_not_a_crash(
    local_providers, monkeypatch, reply
):
    """A captive portal or a broken proxy answers the refresh with something
    that is not HTTP (or cuts it short): a plain sentence, the grant kept,
    and the refresh token in no message."""
    signed, _browser = _sign_in(local_providers)
    listener = socket.create_server(("127.0.0.1", 0))

    def answer_once() -> None:
        conn, _addr = listener.accept()
        with conn:
            conn.recv(65536)
            conn.sendall(reply)

    threading.Thread(target=answer_once, daemon=True).start()
    prov = oauth_clients.PROVIDERS["microsoft"]
    broken = f"http://127.0.0.1:{listener.getsockname()[1]}/token"
    monkeypatch.setitem(oauth_clients.PROVIDERS, "microsoft", replace(prov, token_url=broken))
    oauth.forget_access_token("microsoft", ADDRESS)
    try:
        with pytest.raises(OAuthError) as failed:
            oauth.access_token("microsoft", ADDRESS)
    finally:
        listener.close()
    assert not isinstance(failed.value, SignInAgain)
    assert "Microsoft's sign-in service" in failed.value.user_message
    assert signed.tokens.refresh_token not in str(failed.value)
    assert oauth.is_signed_in("microsoft", ADDRESS)  # a network problem is not a dead grant


def test_without_a_client_id_there_is_no_sign_in_and_the_reason_says_what_to_do(
    db, tmp_path, monkeypatch
):
    empty = tmp_path / "oauth-clients.json"
    empty.write_text('{"microsoft": {"client_id": ""}, "google": {"client_id": ""}}')
    monkeypatch.setattr(oauth_clients, "bundled_config_path", lambda: empty)
    assert oauth_clients.client_for("microsoft") is None
    assert "Advanced" in oauth_clients.missing_client_text("microsoft")
    oauth_clients.save_user_client_ids({"microsoft": " my-own-id "})
    assert oauth_clients.client_for("microsoft") == oauth_clients.ClientConfig(
        "my-own-id", None, "user"
    )
    assert oauth_clients.client_for("google") is None


def test_the_shipped_configuration_holds_no_client_id():
    shipped = oauth_clients._bundled()
    assert shipped, "packaging/oauth-clients.json is missing or unreadable"
    assert all(not entry.get("client_id") for entry in shipped.values())


# --- SMTP with XOAUTH2 --------------------------------------------------------------------


def test_xoauth2_login_is_checked_by_the_authorization_server(
    local_providers, xoauth2_server, ca_file
):
    signed, _browser = _sign_in(local_providers)
    account = _oauth_account(xoauth2_server, ca_file)
    conn = open_connection(account, signed.tokens.access_token, timeout=10)
    close_quietly(conn)
    assert xoauth2_server.handler.logins == [ADDRESS]

    with pytest.raises(SmtpFailure) as refused:
        open_connection(account, "at-not-a-token", timeout=10)
    assert refused.value.failure.kind is FailureKind.AUTH
    assert refused.value.failure.suggest_sign_in == "microsoft"
    assert "at-not-a-token" not in refused.value.user_message


def test_sending_refreshes_an_expired_token_and_a_revoked_grant_keeps_the_email(
    db, local_providers, xoauth2_server, ca_file
):
    _sign_in(local_providers)
    account = _oauth_account(xoauth2_server, ca_file)
    first = _queued_email()
    assert send_batch([first], account, None, timeout=10).count(SendResult.SENT) == 1

    # Expired at the server while the app still thinks it valid: the SMTP
    # server refuses it, the sender refreshes once and logs in.
    local_providers.expire_access_tokens()
    second = _queued_email()
    assert send_batch([second], account, None, timeout=10).count(SendResult.SENT) == 1
    assert local_providers.refresh_requests() == 1
    assert xoauth2_server.auth_attempts == ["XOAUTH2"] * 3

    local_providers.revoke_all()
    oauth.forget_access_token("microsoft", ADDRESS)
    third = _queued_email()
    result = send_batch([third], account, None, timeout=10)
    assert result.count(SendResult.FAILED) == 1
    assert result.connection_failure is not None
    assert result.connection_failure.suggest_sign_in == "microsoft"
    kept = outbox.get_email(third)
    assert kept.state is EmailState.FAILED and "Sign in again" in (kept.last_error or "")
    assert len(xoauth2_server.delivered) == 2


def test_the_refresh_token_is_only_in_the_keyring(
    db, data_paths, local_providers, xoauth2_server, ca_file, secret_service, caplog, tmp_path
):
    caplog.set_level(logging.DEBUG)
    signed, _browser = _sign_in(local_providers)
    refresh = signed.tokens.refresh_token
    assert refresh
    account = _oauth_account(xoauth2_server, ca_file)
    from desktop.services.mail.account import save_account

    save_account(account)
    oauth_clients.save_user_client_ids({"google": "user-typed-id"})
    local_providers.expire_access_tokens()
    oauth.forget_access_token("microsoft", ADDRESS)
    assert send_batch([_queued_email()], account, None, timeout=10).count(SendResult.SENT) == 1

    assert secrets.backend_name() != "none available"
    assert secrets.get_password(oauth.refresh_key("microsoft", ADDRESS)).password == refresh
    db.execute_sql("PRAGMA wal_checkpoint(FULL)")
    needles = [refresh.encode()] + [t.encode() for t in local_providers.state.access]
    files = [p for p in data_paths.root.rglob("*") if p.is_file()]
    import os

    settings_root = os.environ["XDG_CONFIG_HOME"]
    files += [p for p in __import__("pathlib").Path(settings_root).rglob("*") if p.is_file()]
    assert any(p.name.endswith(".sqlite3") or "db" in p.name for p in files)
    for path in files:
        content = path.read_bytes()
        assert not any(needle in content for needle in needles), path
    log_text = caplog.text
    assert refresh not in log_text
    assert not any(token in log_text for token in local_providers.state.access)


# --- passwords: one AUTH attempt; Microsoft's "no passwords" replies -------------------


def test_a_wrong_password_costs_exactly_one_auth_attempt(account, smtp_server):
    with pytest.raises(SmtpFailure) as refused:
        open_connection(account, "wrong-password", timeout=10)
    assert refused.value.failure.kind is FailureKind.AUTH
    assert smtp_server.auth_attempts == ["PLAIN"]


def test_login_falls_back_to_login_only_when_plain_is_not_offered(server_cert, ca_file):
    server = SmtpTestServer(server_cert, auth_mechanisms=("LOGIN",)).start()
    try:
        account = server.account(ca_file)
        with pytest.raises(SmtpFailure):
            open_connection(account, "wrong-password", timeout=10)
        assert server.auth_attempts == ["LOGIN"]
    finally:
        server.stop()


@pytest.mark.parametrize(
    "reply",
    [
        "535 5.7.3 Authentication unsuccessful",
        "535 5.7.139 Authentication unsuccessful, basic authentication is disabled.",
        "550 5.7.30 Basic authentication is not supported for Client Submission.",
    ],
)
def test_microsofts_no_password_replies_suggest_signing_in_with_microsoft(
    server_cert, ca_file, reply
):
    server = SmtpTestServer(server_cert, faults=Faults(auth_reply=reply)).start()
    try:
        with pytest.raises(SmtpFailure) as refused:
            open_connection(server.account(ca_file), "some-password", timeout=10)
    finally:
        server.stop()
    assert refused.value.failure.suggest_sign_in == "microsoft"


def test_an_ordinary_wrong_password_suggests_no_sign_in(account, smtp_server):
    with pytest.raises(SmtpFailure) as refused:
        open_connection(replace(account), "wrong-password", timeout=10)
    assert refused.value.failure.suggest_sign_in is None


def test_without_a_keyring_the_sign_in_is_not_kept_anywhere(local_providers):
    import keyring
    from keyring.backends import fail

    keyring.set_keyring(fail.Keyring())
    with pytest.raises(OAuthError, match="could not be kept") as refused:
        _sign_in(local_providers)
    assert "No system keyring is available" in refused.value.user_message
    assert oauth._cache == {}
