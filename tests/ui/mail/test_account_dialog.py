"""Settings → Email account with real widgets: the form, presets, the
"none" security rule, Test connection against real sockets, saving the
account without its password and the password only in the keyring, and
the ask-each-time path when no keyring can be used."""

from __future__ import annotations

import json
import socket

import keyring
import keyring.backend
import keyring.backends.fail
import pytest
import trustme
from keyring.errors import KeyringLocked
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QCheckBox, QComboBox, QLabel, QLineEdit, QPushButton, QSpinBox

from desktop.services.mail import account as smtp_account
from desktop.services.mail.account import SmtpAccount
from desktop.store.models import Setting
from desktop.ui.mail.account_dialog import (
    AccountDialog,
    ask_for_password,
    open_account_settings,
)
from tests.services.mail.smtp_server import PASSWORD as SERVER_PASSWORD
from tests.services.mail.smtp_server import USER as SERVER_USER
from tests.services.mail.smtp_server import SmtpTestServer, issue_server_cert, write_ca

from ..dialogs import button, type_text

PASSWORD = "app-password-Ω-4471"


class LockedKeyring(keyring.backend.KeyringBackend):
    """A Secret Service whose collection stays locked (unlock prompt
    dismissed); the real one is in tests/services/test_keyring_real.py."""

    priority = 1  # type: ignore[assignment]

    def get_password(self, service: str, username: str) -> str | None:
        raise KeyringLocked("Failed to unlock the collection!")

    def set_password(self, service: str, username: str, password: str) -> None:
        raise KeyringLocked("Failed to unlock the collection!")

    def delete_password(self, service: str, username: str) -> None:
        raise KeyringLocked("Failed to unlock the collection!")


class LocksOnSave(keyring.backend.KeyringBackend):
    """Readable at first, then locked when the password is saved."""

    priority = 1  # type: ignore[assignment]

    def get_password(self, service: str, username: str) -> str | None:
        return None

    def set_password(self, service: str, username: str, password: str) -> None:
        raise KeyringLocked("Failed to unlock the collection!")

    def delete_password(self, service: str, username: str) -> None:
        return None


@pytest.fixture
def open_dialog(qtbot, db):
    def make(account: SmtpAccount | None = None) -> AccountDialog:
        dialog = AccountDialog(account)
        qtbot.addWidget(dialog)
        dialog.show()
        return dialog

    return make


def field(dialog, kind, name):
    widget = dialog.findChild(kind, name)
    assert widget is not None, name
    return widget


def error_of(dialog, name: str) -> str | None:
    label = field(dialog, QLabel, f"{name}Error")
    return label.text() if label.isVisible() else None


def fill(dialog, *, host="smtp.example.org", security="starttls", password=PASSWORD):
    field(dialog, QLineEdit, "displayName").setText("Maya Chen")
    type_text(field(dialog, QLineEdit, "address"), "maya.chen@example.org")
    field(dialog, QLineEdit, "host").setText(host)
    combo = field(dialog, QComboBox, "security")
    combo.setCurrentIndex(combo.findData(security))
    field(dialog, QLineEdit, "username").setText("maya.chen@example.org" if password else "")
    if password:
        type_text(field(dialog, QLineEdit, "password"), password)


def stored_json() -> dict:
    return json.loads(Setting.get(Setting.key == smtp_account.SETTING_KEY).value)


def save(qtbot, dialog) -> None:
    qtbot.mouseClick(button(dialog, "Save"), Qt.MouseButton.LeftButton)


def closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="module")
def test_ca() -> trustme.CA:
    return trustme.CA(organization_name="LetterDesk account dialog test CA")


@pytest.fixture
def smtp_server(test_ca):
    """The mail tests' real server: STARTTLS with AUTH, certificate from
    ``test_ca`` (which the account trusts through its CA file)."""
    server = SmtpTestServer(issue_server_cert(test_ca), security="starttls").start()
    yield server
    server.stop()


def fill_for(dialog, server: SmtpTestServer, ca_file, password: str) -> None:
    field(dialog, QLineEdit, "displayName").setText("Maya Chen")
    field(dialog, QLineEdit, "address").setText(SERVER_USER)
    field(dialog, QLineEdit, "host").setText(server.host)
    security = field(dialog, QComboBox, "security")
    security.setCurrentIndex(security.findData(server.security))
    field(dialog, QSpinBox, "port").setValue(server.port)
    field(dialog, QLineEdit, "username").setText(SERVER_USER)
    field(dialog, QLineEdit, "caFile").setText(str(ca_file))
    type_text(field(dialog, QLineEdit, "password"), password)


def run_test_connection(dialog, qtbot) -> str:
    test = field(dialog, QPushButton, "testConnection")
    qtbot.mouseClick(test, Qt.MouseButton.LeftButton)
    assert not test.isEnabled()  # running in the background
    qtbot.waitUntil(test.isEnabled, timeout=20_000)
    return field(dialog, QLabel, "testStatus").text()


# --- the form ------------------------------------------------------------------


def test_save_stores_the_account_without_password_and_the_password_in_the_keyring(
    open_dialog, qtbot, memory_keyring
):
    dialog = open_dialog()
    assert field(dialog, QLabel, "passwordCaption").text() == "Stored in conftest MemoryKeyring"
    fill(dialog)
    assert field(dialog, QSpinBox, "port").value() == 587  # STARTTLS's port

    save(qtbot, dialog)

    assert dialog.result() == AccountDialog.DialogCode.Accepted
    row = Setting.get(Setting.key == smtp_account.SETTING_KEY).value
    assert PASSWORD not in row
    assert stored_json() == {
        "display_name": "Maya Chen",
        "address": "maya.chen@example.org",
        "host": "smtp.example.org",
        "port": 587,
        "security": "starttls",
        "username": "maya.chen@example.org",
        "ca_file": None,
    }
    key = smtp_account.load_account().keyring_key
    assert memory_keyring.secrets == {("LetterDesk", key): PASSWORD}


def test_errors_appear_next_to_the_fields_and_nothing_is_saved(open_dialog, qtbot):
    dialog = open_dialog()
    assert error_of(dialog, "address") is None  # a new form is not red
    field(dialog, QLineEdit, "address").setText("maya@")
    assert "Not a valid email address" in error_of(dialog, "address")
    field(dialog, QLineEdit, "caFile").setText("/nowhere/school-ca.pem")
    assert "was not found" in error_of(dialog, "caFile")

    save(qtbot, dialog)

    assert dialog.isVisible()
    assert "Enter the outgoing mail server" in error_of(dialog, "host")
    assert Setting.get_or_none(Setting.key == smtp_account.SETTING_KEY) is None


def test_a_saved_account_is_shown_and_its_stored_password_is_not_put_in_the_field(
    open_dialog, memory_keyring, tmp_path
):
    ca = tmp_path / "school-ca.pem"
    ca.write_text("-----BEGIN CERTIFICATE-----\n")
    account = SmtpAccount(
        "Maya Chen", "maya@uni.edu", "smtp.uni.edu", 2525, "starttls", "mchen", str(ca)
    )
    memory_keyring.secrets[("LetterDesk", account.keyring_key)] = PASSWORD
    dialog = open_dialog(account)
    assert dialog.account() == account
    assert field(dialog, QSpinBox, "port").value() == 2525  # not reset to 587
    password = field(dialog, QLineEdit, "password")
    assert password.text() == ""
    assert "saved" in password.placeholderText()


def test_changing_the_server_moves_the_stored_password_to_the_new_login(
    open_dialog, qtbot, memory_keyring
):
    account = SmtpAccount("Maya", "maya@uni.edu", "smtp.uni.edu", 587, "starttls", "mchen")
    memory_keyring.secrets[("LetterDesk", account.keyring_key)] = PASSWORD
    dialog = open_dialog(account)
    field(dialog, QLineEdit, "host").setText("mail.uni.edu")
    save(qtbot, dialog)
    moved = smtp_account.load_account()
    assert moved.host == "mail.uni.edu"
    assert memory_keyring.secrets == {("LetterDesk", moved.keyring_key): PASSWORD}


def test_choose_ca_file_uses_the_file_picker(open_dialog, monkeypatch, tmp_path):
    from PySide6.QtWidgets import QFileDialog

    ca = tmp_path / "ca.pem"
    ca.write_text("pem")
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(ca), ""))
    dialog = open_dialog()
    field(dialog, QPushButton, "chooseCaFile").click()
    assert field(dialog, QLineEdit, "caFile").text() == str(ca)
    assert error_of(dialog, "caFile") is None


# --- presets -------------------------------------------------------------------


def test_a_preset_fills_the_server_fields_and_shows_the_app_password_note(open_dialog):
    dialog = open_dialog()
    field(dialog, QLineEdit, "address").setText("maya.chen@example.org")
    preset = field(dialog, QComboBox, "preset")
    preset.setCurrentIndex(preset.findData("Outlook / Office 365"))

    account = dialog.account()
    assert (account.host, account.port, account.security) == ("smtp.office365.com", 587, "starttls")
    assert account.username == "maya.chen@example.org"
    note = field(dialog, QLabel, "presetNote")
    assert note.isVisible() and "app password" in note.text()

    preset.setCurrentIndex(preset.findData("Gmail (SSL/TLS)"))
    account = dialog.account()
    assert (account.host, account.port, account.security) == ("smtp.gmail.com", 465, "ssl")
    assert "App passwords" in note.text()


def test_a_known_address_suggests_its_provider(open_dialog, qtbot):
    dialog = open_dialog()
    address = field(dialog, QLineEdit, "address")
    address.setFocus()
    type_text(address, "maya@icloud.com")
    address.editingFinished.emit()
    assert field(dialog, QComboBox, "preset").currentData() == "iCloud Mail"
    assert dialog.account().host == "smtp.mail.me.com"


# --- security "none" -------------------------------------------------------------


def test_none_is_refused_for_a_remote_server_with_the_reason(open_dialog, qtbot):
    dialog = open_dialog()
    fill(dialog, password="")
    security = field(dialog, QComboBox, "security")
    none = security.findData("none")
    assert not security.model().item(none).isEnabled()
    assert "localhost" in security.itemData(none, Qt.ItemDataRole.ToolTipRole)
    assert "localhost" in field(dialog, QLabel, "securityNote").text()

    # A saved account or a later change of server can still end up there:
    # the field says why, and Save refuses.
    security.setCurrentIndex(none)
    assert "choose SSL/TLS or STARTTLS" in error_of(dialog, "security")
    save(qtbot, dialog)
    assert dialog.isVisible()
    assert Setting.get_or_none(Setting.key == smtp_account.SETTING_KEY) is None


def test_none_for_a_relay_on_this_computer_never_takes_a_password(
    open_dialog, qtbot, memory_keyring
):
    dialog = open_dialog()
    fill(dialog, host="localhost")
    security = field(dialog, QComboBox, "security")
    none = security.findData("none")
    assert security.model().item(none).isEnabled()
    security.setCurrentIndex(none)

    password = field(dialog, QLineEdit, "password")
    assert password.text() == "" and not password.isEnabled()
    assert not field(dialog, QLineEdit, "username").isEnabled()
    assert field(dialog, QSpinBox, "port").value() == 25
    assert error_of(dialog, "security") is None

    save(qtbot, dialog)
    assert stored_json()["security"] == "none" and stored_json()["username"] == ""
    assert memory_keyring.secrets == {}


# --- test connection -------------------------------------------------------------


def test_connection_failure_is_reported_in_plain_words(open_dialog, qtbot):
    dialog = open_dialog()
    fill(dialog, host="127.0.0.1")
    field(dialog, QSpinBox, "port").setValue(closed_port())
    test = field(dialog, QPushButton, "testConnection")
    status = field(dialog, QLabel, "testStatus")

    qtbot.mouseClick(test, Qt.MouseButton.LeftButton)
    assert "Connecting to 127.0.0.1" in status.text() and not test.isEnabled()
    qtbot.waitUntil(lambda: test.isEnabled(), timeout=20_000)

    assert status.text().startswith("✗ ")
    assert "refused the connection" in status.text()
    assert "port" in status.text()  # what to check
    assert status.property("role") == "field-error"
    assert PASSWORD not in status.text()


def test_connection_logs_in_over_starttls_with_the_school_ca(
    open_dialog, qtbot, smtp_server, test_ca, tmp_path
):
    dialog = open_dialog()
    fill_for(dialog, smtp_server, write_ca(test_ca, tmp_path / "ca.pem"), SERVER_PASSWORD)

    status = run_test_connection(dialog, qtbot)

    assert status.startswith("✓ ")
    assert f"logged in as {SERVER_USER}" in status and "can send" in status
    assert field(dialog, QLabel, "testStatus").property("role") == "emphasis"
    assert smtp_server.handler.logins == [SERVER_USER]
    assert smtp_server.attempts == []  # a test sends nothing


def test_connection_with_a_wrong_password_says_so(
    open_dialog, qtbot, smtp_server, test_ca, tmp_path
):
    dialog = open_dialog()
    fill_for(dialog, smtp_server, write_ca(test_ca, tmp_path / "ca.pem"), "not-the-password")

    status = run_test_connection(dialog, qtbot)

    assert status.startswith("✗ ")
    assert "refused the username or password" in status
    assert "not-the-password" not in status
    assert smtp_server.handler.logins == []


def test_connection_without_the_school_ca_reports_the_certificate(
    open_dialog, qtbot, smtp_server, test_ca, tmp_path
):
    dialog = open_dialog()
    fill_for(dialog, smtp_server, write_ca(test_ca, tmp_path / "ca.pem"), SERVER_PASSWORD)
    field(dialog, QLineEdit, "caFile").clear()

    status = run_test_connection(dialog, qtbot)

    assert status.startswith("✗ ") and "certificate" in status.lower()
    assert smtp_server.handler.logins == []


def test_connection_success_through_a_local_relay(open_dialog, qtbot):
    from aiosmtpd.controller import Controller

    class Accept:
        async def handle_DATA(self, server, session, envelope):
            return "250 OK"

    port = closed_port()
    relay = Controller(Accept(), hostname="127.0.0.1", port=port)
    relay.start()
    try:
        dialog = open_dialog()
        fill(dialog, host="127.0.0.1", security="none", password="")
        field(dialog, QSpinBox, "port").setValue(port)
        test = field(dialog, QPushButton, "testConnection")
        qtbot.mouseClick(test, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: test.isEnabled(), timeout=20_000)
    finally:
        relay.stop()
    status = field(dialog, QLabel, "testStatus").text()
    assert status.startswith("✓ ")
    assert "Connected to 127.0.0.1" in status and "no login was needed" in status


def test_testing_a_login_needs_a_password(open_dialog, qtbot):
    dialog = open_dialog()
    fill(dialog, password="")
    field(dialog, QLineEdit, "username").setText("maya")
    qtbot.mouseClick(field(dialog, QPushButton, "testConnection"), Qt.MouseButton.LeftButton)
    assert "Type the password" in field(dialog, QLabel, "testStatus").text()


# --- no usable keyring -------------------------------------------------------------


def test_no_keyring_says_so_and_saves_with_ask_each_time(open_dialog, qtbot):
    keyring.set_keyring(keyring.backends.fail.Keyring())
    dialog = open_dialog()
    problem = field(dialog, QLabel, "keyringProblem")
    assert problem.isVisible()
    assert "No system keyring is available" in problem.text()
    assert "Install or start a keyring" in problem.text()  # what to do
    assert field(dialog, QLabel, "passwordCaption").text() == "Not stored: no usable keyring"
    ask = field(dialog, QCheckBox, "askEachTime")
    assert ask.isChecked() and not ask.isEnabled()

    fill(dialog)  # the password may be typed to test the connection
    save(qtbot, dialog)

    assert dialog.result() == AccountDialog.DialogCode.Accepted
    assert stored_json()["username"] == "maya.chen@example.org"
    assert PASSWORD not in Setting.get(Setting.key == smtp_account.SETTING_KEY).value


def test_a_locked_keyring_says_to_unlock_it_and_offers_ask_each_time(open_dialog):
    keyring.set_keyring(LockedKeyring())
    account = SmtpAccount("Maya", "maya@uni.edu", "smtp.uni.edu", 587, "starttls", "mchen")
    dialog = open_dialog(account)
    problem = field(dialog, QLabel, "keyringProblem")
    assert problem.isVisible() and "locked" in problem.text() and "Unlock" in problem.text()
    ask = field(dialog, QCheckBox, "askEachTime")
    assert ask.isChecked() and ask.isEnabled()  # unlocking first is the other way


def test_a_keyring_that_refuses_on_save_keeps_the_dialog_open(open_dialog, qtbot):
    keyring.set_keyring(LocksOnSave())
    dialog = open_dialog()
    fill(dialog)
    ask = field(dialog, QCheckBox, "askEachTime")
    assert not ask.isChecked()

    save(qtbot, dialog)
    assert dialog.isVisible()
    assert "locked" in field(dialog, QLabel, "keyringProblem").text()
    assert ask.isChecked()
    assert Setting.get_or_none(Setting.key == smtp_account.SETTING_KEY) is None

    save(qtbot, dialog)  # now with "ask each time": saved, password kept nowhere
    assert dialog.result() == AccountDialog.DialogCode.Accepted
    assert stored_json()["host"] == "smtp.example.org"


def test_ask_each_time_removes_a_stored_password(open_dialog, qtbot, memory_keyring):
    account = SmtpAccount("Maya", "maya@uni.edu", "smtp.uni.edu", 587, "starttls", "mchen")
    memory_keyring.secrets[("LetterDesk", account.keyring_key)] = PASSWORD
    dialog = open_dialog(account)
    field(dialog, QCheckBox, "askEachTime").setChecked(True)
    save(qtbot, dialog)
    assert memory_keyring.secrets == {}


# --- the entry points -------------------------------------------------------------


def test_open_account_settings_returns_true_when_saved(qapp, qtbot, db, dialogs):
    def fill_and_save(dialog):
        fill(dialog)
        save(qtbot, dialog)

    dialogs.then(fill_and_save)
    assert open_account_settings(None) is True
    assert stored_json()["address"] == "maya.chen@example.org"

    dialogs.then(lambda dialog: button(dialog, "Cancel").click())
    assert open_account_settings(None) is False


def test_ask_for_password_returns_what_was_typed_or_none(qapp, dialogs):
    account = SmtpAccount("Maya", "maya@uni.edu", "smtp.uni.edu", 587, "starttls", "mchen")

    def answer(prompt):
        assert "mchen" in prompt.findChildren(QLabel)[0].text()
        ok = button(prompt, "OK")
        assert not ok.isEnabled()
        type_text(prompt.findChild(QLineEdit, "promptPassword"), PASSWORD)
        ok.click()

    dialogs.then(answer)
    assert ask_for_password(None, account) == PASSWORD

    dialogs.then(lambda prompt: button(prompt, "Cancel").click())
    assert ask_for_password(None, account) is None
