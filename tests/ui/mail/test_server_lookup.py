"""The account dialog fills the server from the typed address (issue 10),
driven with real typing, against a real DNS server and real HTTP(S) servers
on 127.0.0.1 (tests/services/mail/dns_server.py, http_server.py). The
providers' real hosts are not exercised."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
import trustme
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QLabel, QLineEdit, QSpinBox

from desktop.services.mail import oauth_clients
from desktop.services.mail.discovery import Where
from desktop.ui.mail import server_lookup
from desktop.ui.mail.account_dialog import AccountDialog
from tests.services.mail.dns_server import DnsTestServer
from tests.services.mail.http_server import WebTestServer, urls_for
from tests.services.mail.smtp_server import issue_server_cert, write_ca

from ..dialogs import type_text

SOA = {"SOA": ["ns.example.edu. admin.example.edu. 1 3600 600 86400 60"]}
CONFIG = b"""<?xml version="1.0"?>
<clientConfig version="1.1"><emailProvider id="example.edu">
  <outgoingServer type="smtp"><hostname>smtp.example.edu</hostname><port>587</port>
  <socketType>STARTTLS</socketType><username>%EMAILLOCALPART%</username></outgoingServer>
</emailProvider></clientConfig>"""


@pytest.fixture
def local_net(tmp_path: Path):
    ca = trustme.CA(organization_name="LetterDesk GUI autoconfig CA")
    https = WebTestServer(issue_server_cert(ca)).start()
    http = WebTestServer().start()
    https.files["/autoconfig.example.edu/mail/config-v1.1.xml"] = CONFIG
    dns_server = DnsTestServer(
        {
            "example.edu": SOA,
            "med.example.org": {**SOA, "MX": ["0 med-example-org.mail.protection.outlook.com."]},
        }
    ).start()
    where = Where(
        nameservers=("127.0.0.1",),
        dns_port=dns_server.port,
        autoconfig_urls=urls_for(https, http, {"autoconfig.example.edu"}),
        timeout=1.0,
        ca_file=str(write_ca(ca, tmp_path / "ca.pem")),
    )
    yield where, https
    dns_server.stop()
    https.stop()
    http.stop()


@pytest.fixture
def dialog(qtbot, db, local_net, monkeypatch):
    monkeypatch.setattr(server_lookup, "DEBOUNCE_MS", 150)
    shown = AccountDialog(None)
    shown.lookup.where, shown.web = local_net
    qtbot.addWidget(shown)
    shown.show()
    qtbot.waitExposed(shown)
    return shown


def _field(dialog, kind, name):
    widget = dialog.findChild(kind, name)
    assert widget is not None, name
    return widget


def _type_address(dialog, text: str) -> None:
    address = _field(dialog, QLineEdit, "address")
    address.setFocus()
    type_text(address, text)


def _wait_for_note(qtbot, dialog, words: str) -> QLabel:
    note = _field(dialog, QLabel, "serverLookupNote")
    qtbot.waitUntil(lambda: words in note.text(), timeout=5000)
    return note


def test_typing_an_address_fills_the_server_from_autoconfig(qtbot, dialog):
    _type_address(dialog, "maya.roth@example.edu")
    note = _wait_for_note(qtbot, dialog, "Found by autoconfig for example.edu")
    assert note.isVisible()
    assert _field(dialog, QLineEdit, "host").text() == "smtp.example.edu"
    assert _field(dialog, QSpinBox, "port").value() == 587
    assert _field(dialog, QComboBox, "security").currentData() == "starttls"
    assert _field(dialog, QLineEdit, "username").text() == "maya.roth"
    if os.environ.get("LETTERDESK_SCREENSHOTS"):
        dialog.resize(1280 // 2, 720)
        dialog.grab().save(os.environ["LETTERDESK_SCREENSHOTS"] + "/account-autoconfig.png")


def test_a_microsoft_mx_fills_microsofts_server_and_names_the_provider(qtbot, dialog):
    with qtbot.waitSignal(dialog.lookup.provider_found, timeout=5000) as provider:
        _type_address(dialog, "maya@med.example.org")
    assert provider.args == ["microsoft"]
    _wait_for_note(qtbot, dialog, "handled by Microsoft")
    assert _field(dialog, QLineEdit, "host").text() == "smtp.office365.com"
    assert dialog.lookup.provider == "microsoft"


def test_a_microsoft_mx_points_at_sign_in_with_microsoft(qtbot, dialog, tmp_path, monkeypatch):
    # The copy under test is built without client IDs (packaging/oauth-clients.json
    # ships none); the user enters their own under Advanced.
    empty = tmp_path / "oauth-clients.json"
    empty.write_text('{"microsoft": {"client_id": ""}, "google": {"client_id": ""}}')
    monkeypatch.setattr(oauth_clients, "bundled_config_path", lambda: empty)
    status = _field(dialog, QLabel, "signInStatus")
    _type_address(dialog, "maya@med.example.org")
    qtbot.waitUntil(lambda: "This is a Microsoft account" in status.text(), timeout=5000)
    assert "Sign in with Microsoft and Google is not available" in dialog.sign_in.unavailable.text()

    client_id = dialog.sign_in.client_ids["microsoft"]  # under Advanced, opened for it
    assert client_id.isVisible()
    client_id.setFocus()
    type_text(client_id, "my-own-client-id")
    address = _field(dialog, QLineEdit, "address")
    address.selectAll()
    qtbot.keyClick(address, Qt.Key.Key_Delete)
    _type_address(dialog, "maya.roth@med.example.org")
    qtbot.waitUntil(lambda: "press Sign in with Microsoft" in status.text(), timeout=5000)


def test_new_typing_cancels_the_old_lookup_and_only_the_newest_counts(qtbot, dialog):
    dialog.web.delays["/autoconfig.example.edu/mail/config-v1.1.xml"] = 0.8  # a slow host
    answers = []
    dialog.lookup.found.connect(answers.append)
    _type_address(dialog, "maya.roth@example.edu")
    qtbot.waitUntil(lambda: bool(dialog.web.requests), timeout=3000)  # the first is under way
    address = _field(dialog, QLineEdit, "address")
    address.selectAll()
    type_text(address, "maya@med.example.org")  # typed over while the first runs
    _wait_for_note(qtbot, dialog, "handled by Microsoft")
    qtbot.wait(1000)  # past the slow answer: had it been used, it would be here
    assert [a.source for a in answers] == ["mx"]
    assert _field(dialog, QLineEdit, "host").text() == "smtp.office365.com"


def test_a_server_the_user_typed_is_kept(qtbot, dialog):
    host = _field(dialog, QLineEdit, "host")
    host.setText("relay.example.edu")
    _type_address(dialog, "maya.roth@example.edu")
    _wait_for_note(qtbot, dialog, "Found by autoconfig")
    assert host.text() == "relay.example.edu"


def test_offline_the_dialog_says_presets_only(qtbot, dialog):
    dialog.lookup.where = None  # the tests' default: a closed loopback port
    _type_address(dialog, "maya@example.edu")
    note = _wait_for_note(qtbot, dialog, "Offline: using the built-in presets only")
    assert note.isVisible()
    # The wrapped note is given room: the server field starts below its last line.
    host = _field(dialog, QLineEdit, "host")

    def note_fits() -> bool:
        note_bottom = note.mapTo(dialog, note.rect().bottomLeft()).y()
        return note.height() >= note.heightForWidth(note.width()) and (
            note_bottom < host.mapTo(dialog, host.rect().topLeft()).y()
        )

    qtbot.waitUntil(note_fits, timeout=2000)
    layout = dialog.layout()
    qtbot.waitUntil(
        lambda: dialog.height() >= layout.totalHeightForWidth(dialog.width()), timeout=2000
    )
    if os.environ.get("LETTERDESK_SCREENSHOTS"):
        dialog.grab().save(os.environ["LETTERDESK_SCREENSHOTS"] + "/account-offline.png")
    assert _field(dialog, QLineEdit, "host").text() == ""


def test_a_preset_address_selects_the_preset_with_its_note(qtbot, dialog):
    _type_address(dialog, "maya@gmail.com")
    _wait_for_note(qtbot, dialog, "built into LetterDesk")
    assert _field(dialog, QComboBox, "preset").currentData() == "Gmail (SSL/TLS)"
    assert _field(dialog, QLineEdit, "host").text() == "smtp.gmail.com"


def test_a_school_address_after_a_gmail_one_leaves_no_gmail_preset_behind(
    qtbot, dialog, tmp_path, monkeypatch
):
    empty = tmp_path / "oauth-clients.json"
    empty.write_text('{"microsoft": {"client_id": "a-client-id"}, "google": {"client_id": ""}}')
    monkeypatch.setattr(oauth_clients, "bundled_config_path", lambda: empty)
    dialog.sign_in.refresh_availability()
    _type_address(dialog, "maya@gmail.com")
    _wait_for_note(qtbot, dialog, "built into LetterDesk")
    address = _field(dialog, QLineEdit, "address")
    address.selectAll()
    type_text(address, "maya@med.example.org")
    _wait_for_note(qtbot, dialog, "handled by Microsoft")
    preset = _field(dialog, QComboBox, "preset")
    assert preset.currentData() == ""  # not Gmail's settings and note any more
    assert not dialog.preset_note.isVisible()
    status = _field(dialog, QLabel, "signInStatus")
    assert status.text() == "This is a Microsoft account: press Sign in with Microsoft."
    qtbot.keyClick(address, Qt.Key.Key_Tab)  # leaving the field keeps the pointer
    assert status.text() == "This is a Microsoft account: press Sign in with Microsoft."


def test_closing_the_dialog_cancels_the_lookup_under_way(qtbot, dialog):
    dialog.web.delays["/autoconfig.example.edu/mail/config-v1.1.xml"] = 0.8  # a slow host
    _type_address(dialog, "maya.roth@example.edu")
    qtbot.waitUntil(lambda: bool(dialog.web.requests), timeout=3000)
    assert dialog.lookup.is_running()
    answers = []
    dialog.lookup.found.connect(answers.append)
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)  # the user closes the dialog
    assert not dialog.isVisible() and not dialog.lookup.is_running()
    qtbot.wait(1200)  # past the slow answer
    assert answers == [] and _field(dialog, QLineEdit, "host").text() == ""
