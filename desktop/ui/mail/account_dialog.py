"""Settings → Email account: the SMTP server LetterDesk sends through.

The account (name, address, server, port, security, username, CA file) is
saved with the data (``smtp_account.save_account``); the password only in
the system keyring (``services.secrets``), never in the database, settings
or logs. With no usable keyring the dialog says why and what to do, and the
password is asked for each time instead (``ask_for_password``).

Outlook.com, Microsoft 365 and Google accounts sign in with OAuth2 instead
(``sign_in_panel``): the account then keeps only which provider it signs in
with, and the refresh token lives in the keyring. A new account starts
with the name and address of the profile.
"""

from __future__ import annotations

import logging
import os

import shiboken6
from PySide6.QtCore import QSize, Qt, QTimer
from PySide6.QtGui import QStandardItemModel
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSizePolicy,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from desktop.domain.validation import email_address, single_line
from desktop.services import secrets
from desktop.services.mail.account import (
    DEFAULT_PORTS,
    OUTLOOK_COM_DOMAINS,
    PRESETS,
    AccountError,
    SmtpAccount,
    is_local_host,
    load_account,
    preset_for_address,
    save_account,
    validate_account,
)
from desktop.services.mail.oauth_clients import PROVIDERS as SIGN_IN_PROVIDERS
from desktop.services.secrets import SecretOutcome
from desktop.store import replies as reply_store
from desktop.store.profile import get_profile
from desktop.ui.common import (
    FormValidator,
    SaveFailed,
    combo,
    error_label,
    guarded,
    line_edit,
    room_for,
    run_in_background,
    scroll_when_too_tall,
    set_role,
    with_error,
)
from desktop.ui.mail.server_lookup import ServerLookup

from .inbox_panel import InboxRow
from .sign_in_panel import SignInPanel

log = logging.getLogger(__name__)

SECURITY_OPTIONS = ("ssl", "starttls", "none")


def _password_edit(name: str, accessible: str) -> QLineEdit:
    edit = QLineEdit()
    edit.setObjectName(name)
    edit.setEchoMode(QLineEdit.EchoMode.Password)
    edit.setAccessibleName(accessible)
    return edit


class _Note(QLabel):
    """A wrapped label that claims the height of all its lines. A form row
    sizes its field as one line, so a long note (the Outlook preset's) would
    otherwise lose its last lines whenever the dialog fits itself to its rows."""

    def setText(self, text: str) -> None:
        super().setText(text)
        self._claim_lines()

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        self._claim_lines()

    def _claim_lines(self) -> None:
        needed = self.heightForWidth(self.width()) if self.text() else 0
        if needed >= 0 and needed != self.minimumHeight():
            self.setMinimumHeight(needed)

    # The form's own height-for-width pass measures nested rows at a width
    # of its own and comes out short; the height claimed above, for the
    # width the label really has, is the one that counts.
    def hasHeightForWidth(self) -> bool:
        return False

    def sizeHint(self) -> QSize:
        hint = super().sizeHint()
        return QSize(hint.width(), self.minimumHeight()) if self.width() else hint


def _label(name: str, role: str) -> QLabel:
    label = _Note()
    label.setObjectName(name)
    label.setWordWrap(True)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    label.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
    set_role(label, role)
    return label


def _stacked(*widgets: QWidget) -> QWidget:
    """A field with its notes under it, as one form row (a hidden note then
    leaves no gap, as an extra form row would)."""
    box = QWidget()
    layout = QVBoxLayout(box)
    layout.setContentsMargins(0, 0, 0, 0)
    layout.setSpacing(2)
    for widget in widgets:
        layout.addWidget(widget)
    return box


class AccountDialog(QDialog):
    def __init__(self, account: SmtpAccount | None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("accountDialog")
        self.setWindowTitle(self.tr("Email account"))
        self._loaded = account
        self._stored = SecretOutcome.NOT_FOUND  # the loaded account's password
        self._testing = False
        self._oauth_provider = account.oauth_provider if account is not None else None

        intro = QLabel(
            self.tr(
                "LetterDesk sends your emails through your own mailbox's outgoing server "
                "(SMTP). Choose your provider to fill in the server settings."
            )
        )
        intro.setWordWrap(True)
        set_role(intro, "hint")

        self.preset = combo(
            "preset",
            [(self.tr("Other provider (enter the details)"), "")]
            + [(p.name, p.name) for p in PRESETS],
        )
        self.preset.setAccessibleName(self.tr("Provider"))
        self.preset_note = _label("presetNote", "hint")
        self.preset_note.hide()
        self.display_name = line_edit("displayName", placeholder=self.tr("Your name"))
        self.address = line_edit("address", placeholder=self.tr("you@example.org"))
        self.host = line_edit("host", placeholder=self.tr("smtp.example.org"))
        self.port = QSpinBox()
        self.port.setObjectName("port")
        self.port.setRange(1, 65535)
        self.port.setValue(DEFAULT_PORTS["ssl"])
        self.port.setAccessibleName(self.tr("Port"))
        self.port.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
        self.port.setMinimumWidth(100)
        self.security = combo(
            "security",
            [
                (self.tr("SSL/TLS"), "ssl"),
                (self.tr("STARTTLS"), "starttls"),
                (self.tr("None — only for a relay on this computer"), "none"),
            ],
        )
        self.security.setAccessibleName(self.tr("Security"))
        self.security_note = _label("securityNote", "hint")
        self.username = line_edit("username", placeholder=self.tr("usually your address"))
        self.ca_file = line_edit(
            "caFile", placeholder=self.tr("optional: your school's certificate authority")
        )
        choose_ca = QPushButton(self.tr("Choose…"))
        choose_ca.setObjectName("chooseCaFile")
        choose_ca.setAutoDefault(False)
        choose_ca.clicked.connect(self.choose_ca_file)
        ca_row = QWidget()
        ca_layout = QHBoxLayout(ca_row)
        ca_layout.setContentsMargins(0, 0, 0, 0)
        ca_layout.addWidget(self.ca_file, 1)
        ca_layout.addWidget(choose_ca)

        self.password = _password_edit("password", self.tr("Password"))
        self.password_caption = _label("passwordCaption", "hint")
        self.keyring_problem = _label("keyringProblem", "field-error")
        self.keyring_problem.hide()
        self.ask_each_time = QCheckBox(
            self.tr("Ask for the password each time (nothing is stored)")
        )
        self.ask_each_time.setObjectName("askEachTime")

        self.test_button = QPushButton(self.tr("Test connection"))
        self.test_button.setObjectName("testConnection")
        self.test_button.setAutoDefault(False)
        self.test_button.clicked.connect(self.test_connection)
        self.test_status = _label("testStatus", "hint")
        self.form_problems = _label("formProblems", "field-error")
        self.form_problems.hide()

        self.validator = FormValidator(self)
        errors = {name: error_label(f"{name}Error") for name in _FIELDS_WITH_ERRORS}
        self.validator.add(self.display_name, errors["displayName"], self._check_name)
        self.validator.add(self.address, errors["address"], self._check_address)
        self.validator.add(self.host, errors["host"], self._check_host)
        self.validator.add(self.security, errors["security"], self._check_security, self.host)
        self.validator.add(self.username, errors["username"], self._check_username, self.security)
        self.validator.add(self.ca_file, errors["caFile"], self._check_ca_file)

        self.inbox_row = InboxRow(self)
        self.inbox = self.inbox_row.panel
        self.sign_in = SignInPanel(self.address, self._oauth_provider, self)
        self.sign_in.signed_in.connect(self._signed_in)
        self.sign_in.signed_out.connect(self._signed_out)
        # What a password can still do for a Microsoft address not signed in.
        self.password_advice = _label("passwordAdvice", "hint")
        self._mx_provider: str | None = None  # whose MX the lookup found

        self.form = form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.addRow(self.tr("Provider"), _stacked(self.preset, self.preset_note))
        form.addRow(self.tr("Your name"), with_error(self.display_name, errors["displayName"]))
        form.addRow(self.tr("Email address"), with_error(self.address, errors["address"]))
        form.addRow(self.tr("Sign in"), self.sign_in)
        form.addRow("", self.password_advice)
        form.addRow(self.tr("Server"), with_error(self.host, errors["host"]))
        form.addRow(self.tr("Port"), self.port)
        security_box = with_error(self.security, errors["security"])
        security_box.layout().addWidget(self.security_note)
        form.addRow(self.tr("Security"), security_box)
        self._username_row = with_error(self.username, errors["username"])
        form.addRow(self.tr("Username"), self._username_row)
        self._password_row = _stacked(
            self.password, self.password_caption, self.keyring_problem, self.ask_each_time
        )
        form.addRow(self.tr("Password"), self._password_row)
        form.addRow(self.tr("Certificate authority"), with_error(ca_row, errors["caFile"]))

        test_row = QHBoxLayout()
        test_row.addWidget(self.test_button, 0, Qt.AlignmentFlag.AlignTop)
        test_row.addWidget(self.test_status, 1)

        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.setObjectName("accountButtons")
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addLayout(test_row)
        layout.addWidget(self.inbox_row)
        layout.addWidget(self.form_problems)
        layout.addWidget(self.buttons)
        self.setMinimumWidth(600)

        if account is not None:
            self._fill(account)
        else:
            self._fill_from_profile()
        self.sign_in.show_current()  # for the address just filled in
        self.inbox.fill(account, reply_store.load_settings())
        self.inbox.suggest_for(self.account())
        self.host.textChanged.connect(lambda _text: self.inbox.suggest_for(self.account()))
        self.preset.currentIndexChanged.connect(self._preset_chosen)
        self.security.currentIndexChanged.connect(self._security_changed)
        self.host.textChanged.connect(self._update_security_choices)
        self.address.editingFinished.connect(self._suggest_preset)
        self.address.textChanged.connect(self._show_login_rows)
        for edit in self.sign_in.client_ids.values():
            edit.textChanged.connect(self._show_login_rows)
        self._last_security = self.security.currentData()
        self._apply_security()
        self._show_keyring_state()
        # The server found from the typed address (server_lookup.py); its note
        # goes under the address field.
        self.lookup = ServerLookup(self)
        errors["address"].parentWidget().layout().addWidget(self.lookup.note)
        self.address.textEdited.connect(self._forget_mx)
        self.address.textEdited.connect(self.lookup.address_typed)
        self.lookup.found.connect(lambda found: self.lookup.fill(self, found))
        # A Google or Microsoft MX points at that provider's sign-in.
        self.lookup.provider_found.connect(self.sign_in.suggest)
        self.lookup.provider_found.connect(self._mx_found)
        self.finished.connect(self.lookup.cancel)
        if account is None:
            # The address came from the profile, not from typing: look it up
            # all the same, or the dialog would open on an empty server.
            self.lookup.address_typed(self.address.text())

    # -- the account in the fields -------------------------------------

    def _fill(self, account: SmtpAccount) -> None:
        self.display_name.setText(account.display_name)
        self.address.setText(account.address)
        self.host.setText(account.host)
        self.port.setValue(account.port)
        self.security.setCurrentIndex(max(0, self.security.findData(account.security)))
        self.username.setText(account.username)
        self.ca_file.setText(account.ca_file or "")
        # The provider it was set up with, by its server (before the Provider
        # choice is connected, so this changes no field).
        server = (account.host.lower(), account.port, account.security)
        preset = next((p for p in PRESETS if (p.host, p.port, p.security) == server), None)
        if preset is not None:
            self.preset.setCurrentIndex(self.preset.findData(preset.name))
            self.preset_note.setText(self.tr(preset.note))
            self.preset_note.show()

    def _fill_from_profile(self) -> None:
        profile = get_profile()
        if profile is not None:
            self.display_name.setText(profile.full_name)
            self.address.setText(profile.email)

    def account(self) -> SmtpAccount:
        """The account as the fields describe it."""
        oauth = self._oauth_provider
        address = self.address.text().strip()
        account = SmtpAccount(
            display_name=self.display_name.text().strip(),
            address=address,
            host=self.host.text().strip(),
            port=self.port.value(),
            security=self.security.currentData(),
            username=address
            if oauth
            else (self.username.text().strip() if self._needs_login() else ""),
            ca_file=self.ca_file.text().strip() or None,
            oauth_provider=oauth,
        )
        return self.inbox.apply_to(account)

    # -- signed in with a provider -----------------------------------------

    def _signed_in(self, key: str) -> None:
        """The provider's own server, the address as the login, no password."""
        prov = SIGN_IN_PROVIDERS[key]
        self._oauth_provider = key
        self.host.setText(prov.smtp_host)
        self.security.setCurrentIndex(self.security.findData(prov.smtp_security))
        self.port.setValue(prov.smtp_port)
        self.username.setText(self.address.text().strip())
        self._apply_security()

    def _signed_out(self) -> None:
        self._oauth_provider = None
        self._apply_security()

    def _needs_login(self) -> bool:
        return self.security.currentData() != "none"

    def _preset_chosen(self) -> None:
        preset = next((p for p in PRESETS if p.name == self.preset.currentData()), None)
        if preset is None:
            self.preset_note.hide()
            return
        filled = preset.apply_to(self.account())
        self.host.setText(filled.host)
        self.security.setCurrentIndex(self.security.findData(filled.security))
        self.port.setValue(filled.port)
        self.username.setText(filled.username)
        self.preset_note.setText(self.tr(preset.note))
        self.preset_note.show()
        self._show_login_rows()
        self.sign_in.suggest(preset.sign_in)

    def _suggest_preset(self) -> None:
        if self.host.text().strip() or self.preset.currentIndex() > 0:
            return
        preset = preset_for_address(self.address.text())
        if preset is not None:
            self.preset.setCurrentIndex(self.preset.findData(preset.name))

    def _update_security_choices(self) -> None:
        """Offer "None" only for a relay on this computer, and say why."""
        local = is_local_host(self.host.text())
        index = self.security.findData("none")
        model = self.security.model()
        assert isinstance(model, QStandardItemModel)
        model.item(index).setEnabled(local)
        why_not = self.tr(
            "“None” is offered only for a mail relay on this computer (localhost): "
            "anywhere else your password and letters would cross the network unencrypted."
        )
        self.security.setItemData(index, None if local else why_not, Qt.ItemDataRole.ToolTipRole)
        if not local:
            note = self.tr("“None” is only for a relay on this computer (localhost).")
            self.security_note.setToolTip(why_not)
        elif self.security.currentData() == "none":
            note = self.tr("No encryption and no password: only for a relay on this computer.")
        else:
            note = ""
        self.security_note.setText(note)
        self.security_note.setVisible(bool(note))

    def _security_changed(self) -> None:
        # Follow the security's usual port unless the user chose another.
        security = self.security.currentData()
        if self.port.value() == DEFAULT_PORTS[self._last_security]:
            self.port.setValue(DEFAULT_PORTS[security])
        self._last_security = security
        self._apply_security()

    def _apply_security(self) -> None:
        login = self._needs_login() and self._oauth_provider is None
        for widget in (self.username, self.password, self.ask_each_time):
            widget.setEnabled(login)
        if not login:
            self.password.clear()  # never a password without encryption
        self._update_security_choices()
        self._show_login_rows()

    # -- Microsoft addresses and passwords -------------------------------

    def _forget_mx(self) -> None:
        self._mx_provider = None  # another address: its own lookup answers

    def _mx_found(self, key: str) -> None:
        self._mx_provider = key
        self._show_login_rows()

    def _microsoft_kind(self) -> str | None:
        """ "consumer" for Outlook.com / Hotmail (no passwords at all),
        "school" for a Microsoft 365 domain (the preset or its MX), else None."""
        domain = self.address.text().rpartition("@")[2].strip().lower()
        if domain in OUTLOOK_COM_DOMAINS:
            return "consumer"
        preset = next((p for p in PRESETS if p.name == self.preset.currentData()), None)
        if (preset is not None and preset.sign_in == "microsoft") or (
            self._mx_provider == "microsoft"
        ):
            return "school"
        return None

    def _show_login_rows(self) -> None:
        """The username and password rows only where a password can work.
        A signed-in account logs in as its address with a token, and
        Outlook.com takes no passwords: a row there would only invite typing
        something that is not used. Without a Microsoft client ID the rows
        stay, so the user is never left with no way in."""
        kind = self._microsoft_kind() if self._oauth_provider is None else None
        can_sign_in = self.sign_in.client("microsoft") is not None
        typed_login = self._oauth_provider is None and not (kind == "consumer" and can_sign_in)
        self.form.setRowVisible(self._username_row, typed_login)
        self.form.setRowVisible(self._password_row, typed_login)
        advice = self._password_advice(kind, can_sign_in)
        self.password_advice.setText(advice)
        self.form.setRowVisible(self.password_advice, bool(advice))
        if self.isVisible():  # rows came or went: no gaps, nothing squeezed
            QTimer.singleShot(0, self._fit_height)

    def _password_advice(self, kind: str | None, can_sign_in: bool) -> str:
        if kind == "consumer" and can_sign_in:
            return self.tr(
                "Outlook.com and Hotmail addresses no longer take passwords, so there is "
                "none to type here: press Sign in with Microsoft."
            )
        if kind == "consumer":
            return self.tr(
                "Outlook.com and Hotmail no longer take passwords, and this copy has no "
                "Microsoft client ID: enter one under Advanced, then press Sign in with "
                "Microsoft."
            )
        if kind == "school":
            text = self.tr(
                "Microsoft 365 school or work address: some schools still accept your "
                "password below until the end of December 2026, others already refuse it. "
                "Sign in with Microsoft keeps working after that."
            )
            if not can_sign_in:
                text += " " + self.tr(
                    "To sign in, enter a Microsoft client ID under Advanced first."
                )
            return text
        return ""

    def _fit_height(self) -> None:
        """Exactly the height the rows need. The minimum width set above
        stops Qt from growing the dialog by itself, and the form's own
        height-for-width comes out short for its wrapped notes, so the
        larger of the two measures counts."""
        layout = self.layout()
        if not shiboken6.isValid(self) or layout is None or self.property("scrollsContent"):
            return  # a dialog taller than its screen scrolls instead (screen_fit)
        layout.activate()
        needed = max(layout.totalMinimumSize().height(), layout.totalHeightForWidth(self.width()))
        room = room_for(self)
        # Rows that came later (Advanced, notes) may make it taller than the
        # screen: then it scrolls, as screen_fit does at opening, rather
        # than squeezing every row.
        scroll_when_too_tall(self, room, needed)
        self.resize(self.width(), min(needed, room.height()))

    # -- checks next to the fields -------------------------------------

    def _check_name(self) -> str | None:
        return single_line(self.display_name.text().strip(), self.tr("Your name"), 100)

    def _check_address(self) -> str | None:
        return email_address(self.address.text(), optional=False)

    def _check_host(self) -> str | None:
        host = self.host.text().strip()
        if not host:
            return self.tr("Enter the outgoing mail server (for example smtp.gmail.com).")
        if any(c.isspace() or not c.isprintable() for c in host):
            return self.tr("The server name cannot contain spaces or line breaks.")
        return None

    def _check_security(self) -> str | None:
        if self.security.currentData() == "none" and not is_local_host(self.host.text()):
            return self.tr(
                "Without encryption your password and letters would cross the network "
                "readable by anyone: choose SSL/TLS or STARTTLS. “None” is only for a "
                "relay on this computer (localhost)."
            )
        return None

    def _check_username(self) -> str | None:
        if not self._needs_login():
            return None
        return single_line(self.username.text().strip(), self.tr("Username"), 254)

    def _check_ca_file(self) -> str | None:
        path = self.ca_file.text().strip()
        if not path:
            return None
        if not os.path.isfile(path):
            return self.tr(
                "{path} was not found. Choose the PEM file your school's IT gave you, "
                "or clear the field."
            ).format(path=path)
        if not os.access(path, os.R_OK):
            return self.tr("{path} cannot be read.").format(path=path)
        return None

    def choose_ca_file(self) -> None:
        path, _filter = QFileDialog.getOpenFileName(
            self,
            self.tr("Certificate authority file"),
            self.ca_file.text(),
            self.tr("Certificates (*.pem *.crt *.cer);;All files (*)"),
        )
        if path:
            self.ca_file.setText(path)

    # -- the keyring -----------------------------------------------------

    def _show_keyring_state(self) -> None:
        """Whether the keyring can be used, and whether it holds the
        password already (asking also reveals a locked keyring)."""
        loaded = self._loaded
        key = loaded.keyring_key if loaded is not None and loaded.uses_login else None
        found = secrets.get_password(key or "smtp:probe")
        self._stored = found.outcome if key else SecretOutcome.NOT_FOUND
        if found.outcome not in (SecretOutcome.OK, SecretOutcome.NOT_FOUND):
            self._keyring_unusable(found.message)
            return
        self.password_caption.setText(
            self.tr("Stored in {backend}").format(backend=secrets.backend_name())
        )
        if self._stored is SecretOutcome.OK:
            self.password.setPlaceholderText(self.tr("saved — type a new one to replace it"))

    def _keyring_unusable(self, message: str) -> None:
        self.password_caption.setText(self.tr("Not stored: no usable keyring"))
        self.keyring_problem.setText(message)
        self.keyring_problem.show()
        self.ask_each_time.setChecked(True)
        # With no keyring at all there is nothing to choose; a locked one
        # may be unlocked, and then saving can try again.
        self.ask_each_time.setEnabled(secrets.is_available())

    def _store_password(self, account: SmtpAccount) -> bool:
        """Put the password where it belongs; False (with the reason shown)
        when the keyring refused, so the user can decide."""
        if account.uses_oauth:
            return True  # the sign-in is in the keyring already; no password
        typed = self.password.text()
        old_key = self._loaded.keyring_key if self._loaded else None
        if self.ask_each_time.isChecked() or not account.uses_login:
            for key in {old_key, account.keyring_key} - {None}:
                secrets.delete_password(key)  # "nothing stored" means nothing
            return True
        if (
            not typed
            and old_key not in (None, account.keyring_key)
            and self._stored is SecretOutcome.OK
        ):
            typed = secrets.get_password(old_key).password or ""  # the login moved
        if not typed:
            return True  # keep what is stored (or ask when sending)
        result = secrets.set_password(account.keyring_key, typed)
        if not result.ok:
            self._keyring_unusable(result.message)
            return False
        if old_key and old_key != account.keyring_key:
            secrets.delete_password(old_key)
        return True

    # -- test and save ---------------------------------------------------

    def _valid_account(self) -> SmtpAccount | None:
        if not self.validator.validate_all():
            return None
        account = self.account()
        password = self.password.text() if account.uses_login else None
        problems = validate_account(account, password=password)
        self.form_problems.setText(" ".join(problems))
        self.form_problems.setVisible(bool(problems))
        return None if problems else account

    def test_connection(self) -> None:
        account = self._valid_account()
        if account is None or self._testing:
            return
        password: str | None = None
        if account.uses_oauth:
            self._test_signed_in(account)
            return
        if account.uses_login:
            password = self.password.text()
            if not password and self._loaded and self._loaded.keyring_key == account.keyring_key:
                password = secrets.get_password(account.keyring_key).password
            if not password:
                self._show_test(self.tr("Type the password above to test logging in."), False)
                return

        def operation():
            from desktop.services.mail import smtp as smtp_send

            return smtp_send.test_connection(account, password)

        self._run_test(account, operation)

    def _run_test(self, account: SmtpAccount, operation) -> None:
        self._testing = True
        self.test_button.setEnabled(False)
        self._show_test(
            self.tr("Connecting to {host}:{port}…").format(host=account.host, port=account.port),
            None,
        )
        run_in_background(operation, self._test_finished, self._test_failed)

    def _test_signed_in(self, account: SmtpAccount) -> None:
        def operation():
            from desktop.services.mail import oauth
            from desktop.services.mail import smtp as smtp_send

            key = account.oauth_provider
            assert key is not None
            try:
                token = oauth.access_token(key, account.address)
            except oauth.OAuthError as exc:
                return smtp_send.ConnectionResult(False, exc.user_message)
            return smtp_send.test_connection(account, token)

        self._run_test(account, operation)

    def _test_finished(self, result) -> None:
        if shiboken6.isValid(self):
            self._testing = False
            self.test_button.setEnabled(True)
            self._show_test(result.message, bool(result.ok))

    def _test_failed(self, error: Exception) -> None:
        if shiboken6.isValid(self):
            self._testing = False
            self.test_button.setEnabled(True)
            self._show_test(self.tr("The test could not run: {error}").format(error=error), False)

    def _show_test(self, message: str, ok: bool | None) -> None:
        prefix = {True: "✓ ", False: "✗ ", None: ""}[ok]
        self.test_status.setText(prefix + message)
        self.test_status.setProperty("ok", ok)
        set_role(self.test_status, "hint" if ok is None else "emphasis" if ok else "field-error")

    def start_sign_in(self, key: str) -> None:
        """Begin signing in with ``key`` as soon as the dialog is up (the
        "Sign in again" button of a failed sending)."""
        QTimer.singleShot(0, lambda: self.sign_in.start(key))

    def reject(self) -> None:
        self.sign_in.cancel()
        super().reject()

    def accept(self) -> None:
        if self.sign_in.is_running():
            self.form_problems.setText(
                self.tr("Finish signing in in your browser, or press Cancel sign-in first.")
            )
            self.form_problems.show()
            return
        account = self._valid_account()
        if account is None or not self._store_password(account):
            return
        try:
            guarded(self, self.sign_in.save_advanced)
            guarded(self, lambda: save_account(account), handled_here=(AccountError,))
            guarded(self, lambda: reply_store.save_settings(self.inbox.settings()))
        except SaveFailed:
            return
        except AccountError as exc:  # checked above; the store has the last word
            self.form_problems.setText(exc.user_message)
            self.form_problems.show()
            return
        log.info("Email account saved (server %s:%s)", account.host, account.port)
        super().accept()


_FIELDS_WITH_ERRORS = ("displayName", "address", "host", "security", "username", "caFile")


class PasswordPrompt(QDialog):
    """Asks for the SMTP password when none is stored; keeps nothing."""

    def __init__(self, account: SmtpAccount, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("passwordPrompt")
        self.setWindowTitle(self.tr("Email password"))
        text = QLabel(
            self.tr("Password for {user} on {host}. It is used for this sending only.").format(
                user=account.username or account.address, host=account.host
            )
        )
        text.setWordWrap(True)
        self.password = _password_edit("promptPassword", self.tr("Password"))
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.setObjectName("promptButtons")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        ok = buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setEnabled(False)
        self.password.textChanged.connect(lambda value: ok.setEnabled(bool(value)))
        layout = QVBoxLayout(self)
        layout.addWidget(text)
        layout.addWidget(self.password)
        layout.addWidget(buttons)
        self.setMinimumWidth(380)


def ask_for_password(parent: QWidget | None, account: SmtpAccount) -> str | None:
    """The password typed for this once, or ``None`` when cancelled."""
    prompt = PasswordPrompt(account, parent)
    try:
        if prompt.exec() == QDialog.DialogCode.Accepted and prompt.password.text():
            return prompt.password.text()
        return None
    finally:
        prompt.password.clear()
        prompt.deleteLater()


def open_account_settings(parent: QWidget | None, *, sign_in: str | None = None) -> bool:
    """Show Settings → Email account; True when the user saved. With
    ``sign_in`` (a provider key), signing in with it starts at once."""
    dialog = AccountDialog(load_account(), parent)
    if sign_in is not None:
        dialog.start_sign_in(sign_in)
    try:
        return dialog.exec() == QDialog.DialogCode.Accepted
    finally:
        dialog.password.clear()
        dialog.deleteLater()
