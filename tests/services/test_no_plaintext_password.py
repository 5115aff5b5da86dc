"""The SMTP password is never written anywhere but the keyring.

A known password goes through the real flows: the Email account dialog
(typed key by key, Test connection against the real test SMTP server with a
wrong and then the right password, Save), the real Secret Service
(gnome-keyring on a private bus), the real log file at DEBUG, the real
database (with its WAL) and a backup copy. Then every file in the data
folder and every settings file under the redirected XDG folders is read
and searched for the password's bytes, in UTF-8, UTF-16, UTF-32 and base64
(as AUTH PLAIN/LOGIN would carry it) forms.
"""

from __future__ import annotations

import base64
import logging
import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialogButtonBox,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
)

from desktop.logsetup import LOG_NAME, configure_logging
from desktop.services import secrets
from desktop.services.mail import account as smtp_account
from desktop.store.database import backup_copy
from tests.services.mail.smtp_server import (
    PASSWORD,
    USER,
    SmtpTestServer,
    issue_server_cert,
    write_ca,
)

WRONG_PASSWORD = "Wrong-Pw-51c0de-typed-by-mistake"


def leak_forms(secret: str) -> dict[str, bytes]:
    """The byte strings that would betray ``secret`` in a file."""
    raw = secret.encode()
    forms = {
        "utf-8": raw,
        "utf-16-le": secret.encode("utf-16-le"),
        "utf-16-be": secret.encode("utf-16-be"),
        "utf-32-le": secret.encode("utf-32-le"),
        "hex": raw.hex().encode(),
    }
    # In base64 the secret's characters depend on what precedes it (AUTH
    # PLAIN sends "\0user\0password"); for each of the three alignments the
    # middle of the encoding is the same whatever surrounds it.
    for shift in range(3):
        for name, encode in (("base64", base64.b64encode), ("base64url", base64.urlsafe_b64encode)):
            encoded = encode(b"\0" * shift + raw).rstrip(b"=")
            start = 4 if shift else 0
            forms[f"{name}+{shift}"] = encoded[start : len(encoded) - 4]
    return forms


def files_under(*folders: Path) -> Iterator[Path]:
    for folder in folders:
        if folder.is_dir():
            yield from (path for path in sorted(folder.rglob("*")) if path.is_file())


def leaks(secret: str, files: list[Path]) -> list[str]:
    found = []
    forms = leak_forms(secret)
    for path in files:
        data = path.read_bytes()
        found += [f"{path} ({form})" for form, needle in forms.items() if needle in data]
    return found


@pytest.fixture
def debug_log(data_paths):
    """The application's own log file, at DEBUG, for this test only."""
    root = logging.getLogger()
    before = (list(root.handlers), root.level)
    log_file = configure_logging(data_paths.logs, verbose=True)
    assert log_file == data_paths.logs / LOG_NAME
    yield log_file
    for handler in root.handlers:
        if handler not in before[0]:
            handler.close()
    root.handlers[:] = before[0]
    root.setLevel(before[1])


@pytest.fixture
def smtp_server(tmp_path: Path):
    import trustme

    ca = trustme.CA(organization_name="LetterDesk leak test CA")
    server = SmtpTestServer(issue_server_cert(ca), security="starttls").start()
    yield server, write_ca(ca, tmp_path / "school-ca.pem")
    server.stop()


def test_the_scanner_finds_every_form_it_looks_for(tmp_path):
    for form, needle in leak_forms(PASSWORD).items():
        planted = tmp_path / f"planted-{form}.bin"
        planted.write_bytes(b"prefix \x00" + needle + b" suffix")
        assert leaks(PASSWORD, [planted]), form
    auth_plain = tmp_path / "auth-plain.txt"
    auth_plain.write_bytes(base64.b64encode(f"\0{USER}\0{PASSWORD}".encode()))
    assert leaks(PASSWORD, [auth_plain])
    innocent = tmp_path / "innocent.txt"
    innocent.write_text(f"{USER} Test-Pw and not-a-real-one, apart", encoding="utf-16")
    assert leaks(PASSWORD, [innocent]) == []


def test_the_password_is_nowhere_but_the_keyring(
    qtbot, db, data_paths, secret_service, debug_log, smtp_server
):
    from desktop.ui.mail.account_dialog import AccountDialog

    server, ca_file = smtp_server
    dialog = AccountDialog(None)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.findChild(QLineEdit, "displayName").setText("Maya Chen")
    dialog.findChild(QLineEdit, "address").setText(USER)
    dialog.findChild(QLineEdit, "host").setText(server.host)
    security = dialog.findChild(QComboBox, "security")
    security.setCurrentIndex(security.findData("starttls"))
    dialog.findChild(QSpinBox, "port").setValue(server.port)
    dialog.findChild(QLineEdit, "username").setText(USER)
    dialog.findChild(QLineEdit, "caFile").setText(str(ca_file))
    password = dialog.findChild(QLineEdit, "password")
    test = dialog.findChild(QPushButton, "testConnection")
    status = dialog.findChild(QLabel, "testStatus")
    assert dialog.findChild(QLabel, "passwordCaption").text() == "Stored in Secret Service"

    # A mistyped password first (the failure path logs and explains), then
    # the right one, then Save.
    for typed, outcome in ((WRONG_PASSWORD, "✗"), (PASSWORD, "✓")):
        password.clear()
        qtbot.keyClicks(password, typed)
        qtbot.mouseClick(test, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(test.isEnabled, timeout=20_000)
        assert status.text().startswith(outcome), status.text()
    save = dialog.buttons.button(QDialogButtonBox.StandardButton.Save)
    qtbot.mouseClick(save, Qt.MouseButton.LeftButton)
    assert dialog.result() == dialog.DialogCode.Accepted

    # Where it must be: the real Secret Service, under the account's key.
    account = smtp_account.load_account()
    assert account is not None and account.username == USER
    assert secrets.get_password(account.keyring_key).password == PASSWORD
    assert [secret for _attrs, secret in secret_service.stored_items()] == [PASSWORD.encode()]

    # Everything the app writes exists, so the search below reads real files.
    backup_copy(db, data_paths.backups / "after-account.sqlite3")
    QSettings().sync()
    logging.getLogger("desktop").debug("leak test: account saved for %s", account.host)
    for handler in logging.getLogger().handlers:
        handler.flush()
    log_text = debug_log.read_text(encoding="utf-8")
    assert "Email account saved" in log_text and "DEBUG" in log_text
    wal = data_paths.database.with_name(data_paths.database.name + "-wal")
    assert wal.exists(), "the database should still be open in WAL mode"

    config_dirs = [
        Path(os.environ[var])
        for var in ("XDG_CONFIG_HOME", "XDG_STATE_HOME", "XDG_CACHE_HOME")
        if var in os.environ
    ]
    config_dirs.append(Path(QSettings().fileName()).parent)
    searched = list(files_under(data_paths.root, *config_dirs))
    names = {path.name for path in searched}
    assert {data_paths.database.name, wal.name, LOG_NAME, "after-account.sqlite3"} <= names

    for secret in (PASSWORD, WRONG_PASSWORD):
        assert leaks(secret, searched) == []

    # And once the database is closed and its WAL folded into the file.
    db.close()
    searched = list(files_under(data_paths.root, *config_dirs))
    for secret in (PASSWORD, WRONG_PASSWORD):
        assert leaks(secret, searched) == []
