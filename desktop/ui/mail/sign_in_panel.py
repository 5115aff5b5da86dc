"""The "Sign in with Microsoft / Google" part of Settings → Email account.

The sign-in itself (``services.mail.oauth_flow.sign_in``) runs on a worker:
it opens the system browser and waits for the provider's answer on a
loopback port, which can take minutes, so the GUI thread never waits on it.
Cancel sets the event the wait checks; closing the dialog does the same.

A provider's button is offered only when a client ID is known (the build's
``packaging/oauth-clients.json`` or the user's own under Advanced);
otherwise the panel says why there is none and what to do.
"""

from __future__ import annotations

import threading

import shiboken6
from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from desktop.domain.validation import email_address
from desktop.errors import UserError
from desktop.services.mail import oauth, oauth_clients
from desktop.services.mail.oauth_clients import PROVIDERS, user_client
from desktop.ui.common import line_edit, run_in_background, set_role

# The system browser by default; the GUI tests put their scripted browser here.
open_browser = None


def _hint(name: str, role: str = "hint") -> QLabel:
    label = QLabel()
    label.setObjectName(name)
    label.setWordWrap(True)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    set_role(label, role)
    return label


class SignInPanel(QWidget):
    signed_in = Signal(str)  # provider key
    signed_out = Signal()

    def __init__(
        self, address: QLineEdit, provider: str | None, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("signInPanel")
        self._address = address
        self.provider = provider  # the provider the account signs in with, if any
        self._cancel: threading.Event | None = None
        # The address the status line speaks of: leaving the address field
        # unchanged must not replace a pointer to a provider with the default line.
        self._status_for: str | None = None

        self.buttons: dict[str, QPushButton] = {}
        row = QHBoxLayout()
        row.setContentsMargins(0, 0, 0, 0)
        for key, prov in PROVIDERS.items():
            button = QPushButton(self.tr("Sign in with {label}").format(label=prov.label))
            button.setObjectName(f"signIn{prov.label}")
            button.setAutoDefault(False)
            button.clicked.connect(lambda _checked=False, k=key: self.start(k))
            self.buttons[key] = button
            row.addWidget(button)
        self.cancel_button = QPushButton(self.tr("Cancel sign-in"))
        self.cancel_button.setObjectName("cancelSignIn")
        self.cancel_button.setAutoDefault(False)
        self.cancel_button.clicked.connect(self.cancel)
        self.cancel_button.hide()
        self.sign_out_button = QPushButton(self.tr("Sign out"))
        self.sign_out_button.setObjectName("signOut")
        self.sign_out_button.setAutoDefault(False)
        self.sign_out_button.clicked.connect(self.sign_out)
        row.addWidget(self.cancel_button)
        row.addWidget(self.sign_out_button)
        row.addStretch(1)
        self.status = _hint("signInStatus")
        self.unavailable = _hint("signInUnavailable")

        self.advanced_toggle = QToolButton()
        self.advanced_toggle.setObjectName("advancedToggle")
        self.advanced_toggle.setText(self.tr("Advanced: your own app registration"))
        self.advanced_toggle.setCheckable(True)
        self.advanced_toggle.setArrowType(Qt.ArrowType.RightArrow)
        self.advanced_toggle.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.advanced_toggle.setAutoRaise(True)
        self.advanced_toggle.toggled.connect(self._show_advanced)
        self.advanced = QWidget()
        self.advanced.setObjectName("advancedBox")
        stored = oauth_clients.user_client_ids()
        self.client_ids: dict[str, QLineEdit] = {}
        advanced_form = QFormLayout(self.advanced)
        advanced_form.setContentsMargins(16, 0, 0, 0)
        for key, prov in PROVIDERS.items():
            edit = line_edit(
                f"{key}ClientId",
                stored.get(key, ""),
                self.tr("empty: use this build's registration"),
            )
            edit.textChanged.connect(self.refresh_availability)
            self.client_ids[key] = edit
            advanced_form.addRow(self.tr("{label} client ID").format(label=prov.label), edit)
        self.google_secret = line_edit(
            "googleClientSecret", placeholder=self.tr("only if your Google client has one")
        )
        self.google_secret.setEchoMode(QLineEdit.EchoMode.Password)
        advanced_form.addRow(self.tr("Google client secret"), self.google_secret)
        note = _hint("advancedNote")
        note.setText(
            self.tr(
                "A client ID is not a secret and is kept with your data; a client secret "
                "goes to the system keyring. The README explains how to register one."
            )
        )
        advanced_form.addRow(note)
        self.advanced.hide()

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        layout.addLayout(row)
        layout.addWidget(self.status)
        layout.addWidget(self.unavailable)
        layout.addWidget(self.advanced_toggle, 0, Qt.AlignmentFlag.AlignLeft)
        layout.addWidget(self.advanced)
        self.refresh_availability()
        self.show_current()
        # The grant belongs to one address: another address is not signed in.
        address.editingFinished.connect(self._address_changed)

    def _address_changed(self) -> None:
        address = self._address.text().strip()
        if self.is_running() or address == self._status_for:
            return
        if self.provider is not None and not (
            address and oauth.is_signed_in(self.provider, address)
        ):
            # Another address is another account: this one logs in with a
            # password until it is signed in itself (the other grant is kept).
            self.provider = None
            self.signed_out.emit()
        self.show_current()

    # -- what is offered -------------------------------------------------

    def client(self, key: str) -> oauth_clients.ClientConfig | None:
        return user_client(key, self.client_ids[key].text())

    def refresh_availability(self) -> None:
        missing = []
        for key, button in self.buttons.items():
            available = self.client(key) is not None
            button.setVisible(available)
            if not available:
                missing.append(key)
        # One sentence for all: on a 720-line screen two paragraphs saying
        # the same thing squeezed the rest of the dialog.
        self.unavailable.setText(oauth_clients.missing_client_text(*missing) if missing else "")
        self.unavailable.setVisible(bool(missing))
        if missing and not any(edit.text() for edit in self.client_ids.values()):
            self.advanced_toggle.setChecked(True)

    def suggest(self, key: str | None) -> None:
        """Point at one provider's button (the address or the chosen preset
        belongs to that provider; the server lookup may call this too)."""
        if key is None or self.provider is not None or self.is_running():
            return
        label = PROVIDERS[key].label
        self._status_for = self._address.text().strip()
        if self.client(key) is None:
            # The line above the Advanced box already says why and what to do.
            self._say(
                self.tr("This is a {label} account (see below to sign in).").format(label=label),
                None,
            )
            return
        self._say(
            self.tr("This is a {label} account: press Sign in with {label}.").format(label=label),
            None,
        )

    def _show_advanced(self, shown: bool) -> None:
        self.advanced.setVisible(shown)
        self.advanced_toggle.setArrowType(
            Qt.ArrowType.DownArrow if shown else Qt.ArrowType.RightArrow
        )

    def show_current(self) -> None:
        """Say whether the account is signed in, for the address now typed."""
        key = self.provider
        address = self._address.text().strip()
        self._status_for = address
        signed = key is not None and bool(address) and oauth.is_signed_in(key, address)
        self.sign_out_button.setVisible(signed)
        if key is None:
            self._say(
                self.tr("Outlook, Microsoft 365, Gmail: sign in instead of a password."),
                None,
            )
        elif signed:
            self._say(self._signed_in_text(key, address), True)
        else:
            label = PROVIDERS[key].label
            self._say(
                self.tr("Not signed in: press Sign in with {label}.").format(label=label),
                False,
            )

    def _signed_in_text(self, key: str, address: str) -> str:
        return self.tr("Signed in as {address} with {label}.").format(
            address=address, label=PROVIDERS[key].label
        )

    def _say(self, text: str, ok: bool | None) -> None:
        self.status.setText(text)
        # A longer sentence needs more lines: let the dialog grow to show it.
        self.status.updateGeometry()
        window = self.window()
        # A dialog that scrolls (taller than its screen) keeps its height:
        # adjustSize would shrink it to its scroll area's hint.
        if window is not self and window.isVisible() and not window.property("scrollsContent"):
            window.adjustSize()
        set_role(self.status, "hint" if ok is None else "emphasis" if ok else "field-error")

    # -- signing in and out ------------------------------------------------

    def is_running(self) -> bool:
        return self._cancel is not None

    def start(self, key: str) -> None:
        address = self._address.text().strip()
        if self.is_running():
            return
        if email_address(address, optional=False):
            self._say(self.tr("Enter your email address above, then sign in."), False)
            self._address.setFocus()
            return
        client = self.client(key)
        if client is None:
            self._say(oauth_clients.missing_client_text(key), False)
            return
        prov = PROVIDERS[key]
        cancel = threading.Event()
        self._cancel = cancel
        self._running(True)
        self._say(
            self.tr(
                "Your web browser shows {label}'s sign-in page: sign in there and accept. "
                "Waiting for the answer…"
            ).format(label=prov.label),
            None,
        )
        opener = open_browser

        def operation():
            from desktop.services.mail.oauth_flow import sign_in

            return sign_in(prov, client, address, cancel=cancel, open_browser=opener)

        run_in_background(operation, self._finished, self._failed)

    def _running(self, running: bool) -> None:
        for button in self.buttons.values():
            button.setEnabled(not running)
        self.cancel_button.setVisible(running)
        self.cancel_button.setEnabled(running)
        if running:
            self.sign_out_button.hide()

    def _finished(self, result) -> None:
        if not shiboken6.isValid(self):
            return
        self._cancel = None
        self._running(False)
        self.provider = result.provider_key
        self.sign_out_button.show()
        self._say(self._signed_in_text(result.provider_key, result.address), True)
        self.signed_in.emit(result.provider_key)

    def _failed(self, error: Exception) -> None:
        if not shiboken6.isValid(self):
            return
        self._cancel = None
        self._running(False)
        if not isinstance(error, UserError):
            raise error  # a bug: the crash report has it
        self._say(error.user_message, False)
        self.sign_out_button.setVisible(
            self.provider is not None
            and oauth.is_signed_in(self.provider, self._address.text().strip())
        )

    def cancel(self) -> None:
        if self._cancel is not None:
            self._cancel.set()
            self.cancel_button.setEnabled(False)
            self._say(self.tr("Cancelling the sign-in…"), None)

    def sign_out(self) -> None:
        if self.provider is None:
            return
        label = PROVIDERS[self.provider].label
        oauth.sign_out(self.provider, self._address.text().strip())
        self.provider = None
        self.sign_out_button.hide()
        self._say(
            self.tr(
                "Signed out: LetterDesk forgot its {label} sign-in on this computer. To "
                "withdraw the permission at {label} too, remove LetterDesk from your "
                "account's app permissions there."
            ).format(label=label),
            None,
        )
        self.signed_out.emit()

    def save_advanced(self) -> None:
        """Keep the client IDs typed under Advanced (and a Google secret in
        the keyring); raises ``UserError`` from the store."""
        oauth_clients.save_user_client_ids(
            {key: edit.text() for key, edit in self.client_ids.items()}
        )
        if self.google_secret.text():
            kept = oauth_clients.save_user_client_secret("google", self.google_secret.text())
            if not kept.ok:
                raise UserError(kept.message)
