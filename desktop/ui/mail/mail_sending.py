"""What the compose window, the Outbox page and the scheduler share to send
email: getting the account and its password (asking when none is stored),
and running ``send_batch`` on a worker thread with progress and Cancel.

The worker gets no widgets: progress crosses back to the GUI thread as a
queued signal on a ``QObject`` that lives there, and Cancel is a
``threading.Event`` the batch checks between messages.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime

from PySide6.QtCore import QCoreApplication, QObject, Signal
from PySide6.QtWidgets import QMessageBox, QWidget

from desktop.paths import DataPaths
from desktop.services import secrets
from desktop.services.mail import oauth
from desktop.services.mail.account import (
    SmtpAccount,
    accept_pending_account,
    discard_pending_account,
    load_account,
    load_pending_account,
)
from desktop.services.mail.oauth_clients import PROVIDERS as SIGN_IN_PROVIDERS
from desktop.services.mail.sender import BatchResult, EmailOutcome, send_batch
from desktop.services.mail.smtp import SendFailure
from desktop.store import replies as reply_settings
from desktop.store.outbox import utc_now
from desktop.ui.common import run_in_background
from desktop.ui.mail import account_dialog


def tr(text: str) -> str:
    return QCoreApplication.translate("MailSending", text)


@dataclass(frozen=True)
class Credentials:
    account: SmtpAccount
    password: str | None  # None for a local relay without login


def account_or_setup(parent: QWidget | None) -> SmtpAccount | None:
    """The saved account; without one, offer Settings → Email account."""
    account = load_account()
    if account is not None:
        return account
    if (imported := load_pending_account()) is not None and confirm_imported_account(
        parent, imported
    ):
        return load_account()
    box = QMessageBox(parent)
    box.setObjectName("noAccountBox")
    box.setIcon(QMessageBox.Icon.Information)
    box.setWindowTitle(tr("Email account"))
    box.setText(
        tr(
            "LetterDesk sends from your own mailbox, and no email account is set up yet. "
            "Set it up now? Your email is kept in the Outbox meanwhile."
        )
    )
    setup = box.addButton(tr("Set up email account…"), QMessageBox.ButtonRole.AcceptRole)
    box.addButton(QMessageBox.StandardButton.Cancel)
    box.exec()
    if box.clickedButton() is not setup:
        return None
    if not account_dialog.open_account_settings(parent):
        return None
    return load_account()


def confirm_imported_account(parent: QWidget | None, account: SmtpAccount) -> bool:
    """An account that came with a restore or an import is shown before
    anything is sent with it. True when the user chose to use it."""
    box = QMessageBox(parent)
    box.setObjectName("importedAccountBox")
    box.setIcon(QMessageBox.Icon.Question)
    box.setWindowTitle(tr("Email account from the imported data"))
    box.setText(
        tr(
            "The restored or imported data names this email account. LetterDesk has not "
            "used it yet. Send from it?\n\nFrom: {name} <{address}>\nServer: {host}, "
            "port {port} ({security})\nLogin: {login}"
        ).format(
            name=account.display_name,
            address=account.address,
            host=account.host,
            port=account.port,
            security=account.security,
            login=account.username or tr("none"),
        )
    )
    use = box.addButton(tr("Use this account"), QMessageBox.ButtonRole.AcceptRole)
    forget = box.addButton(tr("Forget it"), QMessageBox.ButtonRole.DestructiveRole)
    box.addButton(QMessageBox.StandardButton.Cancel)
    box.exec()
    clicked = box.clickedButton()
    box.deleteLater()
    if clicked is use:
        accept_pending_account()
        return True
    if clicked is forget:
        discard_pending_account()
    return False


def credentials(parent: QWidget | None, *, ask: bool = True) -> Credentials | None:
    """Account and password for one sending, or ``None`` when the user
    cancelled (or, with ``ask=False``, when a question would be needed)."""
    account = load_account() if not ask else account_or_setup(parent)
    if account is None:
        return None
    if not account.uses_login:
        return Credentials(account, None)
    if account.oauth_provider is not None:
        return _signed_in_credentials(parent, account, ask=ask)
    found = secrets.get_password(account.keyring_key)
    if found.ok and found.password:
        return Credentials(account, found.password)
    if not ask:
        return None
    password = account_dialog.ask_for_password(parent, account)
    if password is None:
        return None
    return Credentials(account, password)


def _signed_in_credentials(
    parent: QWidget | None, account: SmtpAccount, *, ask: bool
) -> Credentials | None:
    """An account that signs in with a provider: the sender gets (and
    refreshes) the token on its worker, so only the grant is checked here.
    Without one, offer to sign in (the email stays in the Outbox)."""
    key = account.oauth_provider
    assert key is not None
    if oauth.is_signed_in(key, account.address):
        return Credentials(account, None)
    if not ask:
        return None
    label = SIGN_IN_PROVIDERS[key].label
    why = tr(
        "LetterDesk is not signed in with {label} for {address}. Sign in to send; your "
        "email is kept in the Outbox meanwhile."
    ).format(label=label, address=account.address)
    if not offer_sign_in(parent, key, why, again=True):
        return None
    account = load_account()
    if account is None or account.oauth_provider is None:
        return None
    if not oauth.is_signed_in(account.oauth_provider, account.address):
        return None
    return Credentials(account, None)


def offer_sign_in(parent: QWidget | None, provider_key: str, why: str, *, again: bool) -> bool:
    """Say why sending needs a sign-in, with a "Sign in (again) with …"
    button that opens the account settings and starts signing in. True
    when the user signed in and saved."""
    label = SIGN_IN_PROVIDERS[provider_key].label
    box = QMessageBox(parent)
    box.setObjectName("signInAgainBox")
    box.setIcon(QMessageBox.Icon.Warning)
    box.setWindowTitle(tr("Sign in again") if again else tr("Sign in"))
    box.setText(why)
    text = tr("Sign in again with {label}") if again else tr("Sign in with {label}")
    sign_in = box.addButton(text.format(label=label), QMessageBox.ButtonRole.AcceptRole)
    sign_in.setObjectName("signInAgainButton")
    box.addButton(QMessageBox.StandardButton.Close)
    box.exec()
    clicked = box.clickedButton() is sign_in
    box.deleteLater()
    if not clicked:
        return False
    return account_dialog.open_account_settings(parent, sign_in=provider_key)


def offer_sign_in_after(parent: QWidget | None, failure: SendFailure | None) -> bool:
    """After a sending that stopped because of the login: when signing in
    with a provider is the fix, offer it (the emails stay in the Outbox)."""
    if failure is None or failure.suggest_sign_in not in SIGN_IN_PROVIDERS:
        return False
    key = failure.suggest_sign_in
    assert key is not None
    account = load_account()
    again = account is not None and account.oauth_provider == key
    return offer_sign_in(parent, key, failure.message, again=again)


class _ProgressRelay(QObject):
    """Lives on the GUI thread; the worker emits, the GUI thread receives."""

    progressed = Signal(int, int, int, object)  # done, total, email id, EmailOutcome


class BatchJob(QObject):
    """One ``send_batch`` on the thread pool. Connect the signals, then
    ``start()``; ``cancel()`` stops it before the next message."""

    progressed = Signal(int, int, int, object)  # done, total, email id, EmailOutcome
    finished = Signal(object)  # BatchResult
    failed = Signal(object)  # Exception (a bug or a database problem)

    def __init__(
        self,
        paths: DataPaths,
        ids: Sequence[int],
        creds: Credentials,
        *,
        now: Callable[[], datetime] = utc_now,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._paths = paths
        self._ids = list(ids)
        self._creds = creds
        self._now = now
        self._cancel = threading.Event()
        self._relay = _ProgressRelay()
        self._relay.progressed.connect(self.progressed)
        self.running = False

    @property
    def total(self) -> int:
        return len(self._ids)

    def start(self) -> None:
        self.running = True
        relay, cancel, creds = self._relay, self._cancel, self._creds
        ids, documents, now = self._ids, self._paths.documents, self._now
        copies = reply_settings.load_settings().sent_copy  # Settings → Email account

        def progress(done: int, total: int, email_id: int, outcome: EmailOutcome) -> None:
            relay.progressed.emit(done, total, email_id, outcome)

        def operation() -> BatchResult:
            return send_batch(
                ids,
                creds.account,
                creds.password,
                progress=progress,
                cancelled=cancel.is_set,
                documents_dir=documents,
                now=now,
                keep_sent_copies=copies,
            )

        run_in_background(operation, self._done, self._error)

    def cancel(self) -> None:
        self._cancel.set()

    def _done(self, result: BatchResult) -> None:
        self.running = False
        self.finished.emit(result)

    def _error(self, error: Exception) -> None:
        self.running = False
        self.failed.emit(error)
