"""A Microsoft sign-in made before LetterDesk asked for IMAP cannot read
the inbox. The token reply's ``scope`` says so: the watcher then stops once
with a plain sentence and names the provider to sign in with again (never a
retry every minute). Real parts: the test OAuth server issuing a grant
without the IMAP scope, the token provider refreshing it, Dovecot checking
each token; the browser is the scripted one."""

from __future__ import annotations

import threading
from dataclasses import replace

import pytest

from desktop.domain.replies import ReplySettings
from desktop.services.mail import oauth, oauth_clients
from desktop.services.mail.imap import FailureKind, ImapFailure, connect, login_for, xoauth2_login
from desktop.services.mail.imap_replies import ReplyWatcher, check_now

from .oauth_server import ScriptedBrowser
from .test_oauth import _sign_in

NOT_READ = "Replies are not checked: sign in with Microsoft again to let LetterDesk read replies."
# What the app asked for before reading replies was added.
SEND_ONLY = "https://outlook.office.com/SMTP.Send offline_access"


def _sign_in_send_only(server) -> None:
    _sign_in(server, browser=ScriptedBrowser(server, tamper={"scope": SEND_ONLY}))


def _watch_once(account) -> tuple[ReplyWatcher, list[str], list[str]]:
    statuses: list[str] = []
    sign_in: list[str] = []
    watcher = ReplyWatcher(
        account,
        login_for(account, None),
        ReplySettings(),
        on_replies=lambda _ids: None,
        on_status=statuses.append,
        on_sign_in=sign_in.append,
        stop=threading.Event(),
        retry_seconds=0.2,
    )
    thread = threading.Thread(target=watcher.run, daemon=True)
    thread.start()
    thread.join(15)
    assert not thread.is_alive()  # stopped, not retrying every minute
    return watcher, statuses, sign_in


def test_a_grant_without_the_imap_scope_says_to_sign_in_again(
    db, local_providers, dovecot_oauth, account
):
    _sign_in_send_only(local_providers)
    local_providers.expire_access_tokens()
    oauth_account = replace(dovecot_oauth.account(account), oauth_provider="microsoft")
    oauth.forget_access_token("microsoft", oauth_account.address)  # a new run: refresh first

    watcher, statuses, sign_in = _watch_once(oauth_account)

    assert local_providers.refresh_requests() == 1  # the refresh's reply is what told
    assert statuses == [NOT_READ]
    assert sign_in == ["microsoft"]
    assert watcher.stopped_by is not None
    assert watcher.stopped_by.kind is FailureKind.AUTH
    assert watcher.stopped_by.suggest_sign_in == "microsoft"
    assert "method=XOAUTH2" not in dovecot_oauth.log()  # no login made in vain
    # Sending keeps its grant: nothing was signed out.
    assert oauth.is_signed_in("microsoft", oauth_account.address)

    # Signing in again asks for every scope, and replies are read.
    _sign_in(local_providers)
    assert check_now(oauth_account, login_for(oauth_account, None)).uid_validity > 0


def test_the_scope_of_a_fresh_sign_in_is_checked_too(db, local_providers, dovecot_oauth, account):
    _sign_in_send_only(local_providers)  # its access token is still in memory
    oauth_account = replace(dovecot_oauth.account(account), oauth_provider="microsoft")
    _watcher, statuses, sign_in = _watch_once(oauth_account)
    assert statuses == [NOT_READ] and sign_in == ["microsoft"]


def test_an_imap_refusal_of_a_signed_in_account_says_to_sign_in_again(
    db, local_providers, dovecot_oauth, account
):
    oauth_account = replace(dovecot_oauth.account(account), oauth_provider="microsoft")
    with pytest.raises(ImapFailure) as refused:
        connect(oauth_account, xoauth2_login(account.address, lambda: "at-not-a-token"))
    failure = refused.value
    assert failure.kind is FailureKind.AUTH
    assert failure.status == NOT_READ
    assert failure.suggest_sign_in == "microsoft"
    # The Sent copy's note speaks of the mailbox, not of replies.
    assert failure.reason == "sign in with Microsoft again to let LetterDesk use your mailbox"


def test_which_granted_scopes_read_mail():
    microsoft = oauth_clients.provider("microsoft")
    google = oauth_clients.provider("google")
    reads = oauth_clients.grant_reads_mail
    assert reads(microsoft, ["https://outlook.office.com/IMAP.AccessAsUser.All"])
    assert reads(microsoft, ["https://outlook.office.com/SMTP.Send", "IMAP.AccessAsUser.All"])
    assert not reads(microsoft, ["https://outlook.office.com/SMTP.Send"])
    assert not reads(microsoft, [])
    assert reads(microsoft, None)  # a reply naming no scopes: nothing to go by
    assert reads(google, ["https://mail.google.com/"])
    assert not reads(google, ["openid", "email"])
