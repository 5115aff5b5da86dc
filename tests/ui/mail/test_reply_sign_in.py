"""A Microsoft sign-in from before LetterDesk asked for IMAP, in the real
window: the reply watcher's thread refreshes the token, the reply says the
grant cannot read mail, and the status bar keeps the plain sentence with a
"Sign in again" button (no dialog). The button opens Settings → Email
account signing in; afterwards the watcher reads the inbox. Real parts: the
test OAuth server, Dovecot checking each token, the SQLite file; the
browser is the scripted one (tests/services/mail/oauth_server.py).

Set LETTERDESK_SCREENSHOT_DIR to keep the screenshot."""

from __future__ import annotations

import os
from dataclasses import replace
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from desktop.services.mail import oauth
from desktop.services.mail.account import save_account
from desktop.ui.mail import sign_in_panel
from desktop.ui.mail.account_dialog import AccountDialog
from tests.services.mail.conftest import account, dovecot_oauth, local_providers, oauth_server
from tests.services.mail.oauth_server import ScriptedBrowser

from ..dialogs import DialogDriver, button
from .mail_fixtures import *  # noqa: F403 - the shared fixtures

__all__ = ["account", "dovecot_oauth", "local_providers", "oauth_server"]
WAIT = 15_000
NOT_READ = "Replies are not checked: sign in with Microsoft again to let LetterDesk read replies."
SEND_ONLY = "https://outlook.office.com/SMTP.Send offline_access"


def test_a_send_only_grant_keeps_a_sign_in_again_button_in_the_status_bar(
    qtbot, window, local_providers, dovecot_oauth, account, monkeypatch, tmp_path
):
    from tests.services.mail.test_oauth import _sign_in

    _sign_in(local_providers, browser=ScriptedBrowser(local_providers, tamper={"scope": SEND_ONLY}))
    oauth_account = replace(dovecot_oauth.account(account), oauth_provider="microsoft")
    save_account(oauth_account)
    oauth.forget_access_token("microsoft", oauth_account.address)  # the next start refreshes
    window.resize(1280, 720)
    qtbot.waitUntil(lambda: window.reply_watch is not None, timeout=WAIT)
    window.reply_watch.restart()

    notice = window.reply_sign_in
    qtbot.waitUntil(notice.isVisible, timeout=WAIT)
    assert notice.text.text() == NOT_READ
    assert notice.button.text() == "Sign in again"
    assert window.reply_watch.status == NOT_READ
    # Stopped: no retry and no dialog every minute (the thread ends just after it said so).
    qtbot.waitUntil(lambda: not window.reply_watch.is_running(), timeout=WAIT)
    assert QApplication.activeModalWidget() is None
    folder = Path(os.environ.get("LETTERDESK_SCREENSHOT_DIR") or tmp_path)
    folder.mkdir(parents=True, exist_ok=True)
    assert window.grab().save(str(folder / "reply-sign-in-again.png"))

    # "Sign in again": the account dialog opens and signs in by itself.
    monkeypatch.setattr(sign_in_panel, "open_browser", ScriptedBrowser(local_providers))

    def account_dialog(shown) -> None:
        assert isinstance(shown, AccountDialog)
        qtbot.waitUntil(lambda: "Signed in as" in shown.sign_in.status.text(), timeout=WAIT)
        qtbot.mouseClick(button(shown, "Save"), Qt.MouseButton.LeftButton)

    driver = DialogDriver().then(account_dialog)
    qtbot.mouseClick(notice.button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not driver._handlers, timeout=WAIT)
    driver.check()
    try:
        qtbot.waitUntil(lambda: "watching" in window.reply_watch.status, timeout=WAIT)
        assert not notice.isVisible()
    finally:
        # Its thread must not outlive the window (it would speak to a deleted object).
        window.reply_watch.stop(wait_seconds=10)
