"""The reply watcher while the app runs: one thread of its own per account
(``services/mail/imap_replies.ReplyWatcher``), started after the first
paint and again when the account or the switch changes.

The thread touches no widget: what it finds and its status cross to the
GUI thread as queued signals of this object, which lives there. Its status
is quiet (the status bar and the tray's tooltip), never a dialog. When
signing in again would help (a grant that does not let LetterDesk read
mail), ``sign_in_needed`` names the provider and the status bar keeps a
"Sign in again" button (``ReplySignInNotice``) until the watcher restarts.
"""

from __future__ import annotations

import logging
import threading

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QWidget

from desktop.services import secrets
from desktop.services.mail.account import SmtpAccount, load_account
from desktop.services.mail.imap import ImapFailure, login_for
from desktop.services.mail.imap_replies import ReplyWatcher
from desktop.services.mail.oauth_clients import PROVIDERS
from desktop.store import replies as reply_store

log = logging.getLogger(__name__)


class ReplyWatch(QObject):
    replies_arrived = Signal(list)  # reply ids, newly kept
    status_changed = Signal(str)
    sign_in_needed = Signal(str)  # a provider key; "" when no longer

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("replyWatch")
        self._stop: threading.Event | None = None
        self._thread: threading.Thread | None = None
        self.status = ""
        self.status_changed.connect(self._remember)

    def _remember(self, text: str) -> None:
        self.status = text

    def is_running(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    def restart(self, account: SmtpAccount | None = None) -> None:
        """(Re)start for the saved account, or stay off and say why."""
        self.stop()
        self.sign_in_needed.emit("")
        settings = reply_store.load_settings()
        if not settings.enabled:
            self.status_changed.emit(self.tr("Replies: not watched (switched off)."))
            return
        account = account or load_account()
        if account is None:
            self.status_changed.emit(self.tr("Replies: no email account is set up."))
            return
        password = None
        if not account.uses_oauth:
            found = secrets.get_password(account.keyring_key)
            password = found.password if found.ok else None
        try:
            login = login_for(account, password)
        except ImapFailure as failure:
            self.status_changed.emit(failure.status)
            if failure.suggest_sign_in:
                self.sign_in_needed.emit(failure.suggest_sign_in)
            return
        stop = threading.Event()
        watcher = ReplyWatcher(
            account,
            login,
            settings,
            on_replies=self.replies_arrived.emit,
            on_status=self.status_changed.emit,
            on_sign_in=self.sign_in_needed.emit,
            stop=stop,
        )
        self._stop = stop
        self._thread = threading.Thread(target=watcher.run, name="reply-watcher", daemon=True)
        self._thread.start()

    def stop(self, wait_seconds: float = 0.0) -> None:
        """Tell the thread to end (IDLE notices within half a second). The
        GUI thread does not wait unless asked: a thread still connecting
        ends on its own, and a reply both threads see is kept once."""
        if self._stop is not None:
            self._stop.set()
        if self._thread is not None and wait_seconds:
            self._thread.join(wait_seconds)
            if self._thread.is_alive():
                log.info("The reply watcher is still closing its connection")
        self._stop = self._thread = None


class ReplySignInNotice(QWidget):
    """The status bar's lasting word that replies are not read, with the
    button that signs in again (the same path as a failed sending's
    "Sign in again"). Hidden while nothing needs doing."""

    sign_in_requested = Signal(str)  # provider key

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("replySignInNotice")
        self._provider = ""
        self.text = QLabel()
        self.text.setObjectName("replySignInText")
        self.button = QPushButton(self.tr("Sign in again"))
        self.button.setObjectName("replySignInAgain")
        self.button.clicked.connect(lambda: self.sign_in_requested.emit(self._provider))
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.text)
        layout.addWidget(self.button)
        self.hide()

    def show_for(self, provider_key: str, status: str) -> None:
        self._provider = provider_key
        prov = PROVIDERS.get(provider_key)
        if prov is None:
            self.hide()
            return
        self.text.setText(status)
        self.button.setToolTip(
            self.tr("Opens Settings → Email account and signs in with {label}").format(
                label=prov.label
            )
        )
        self.show()
