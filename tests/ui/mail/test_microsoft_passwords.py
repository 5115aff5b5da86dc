"""Settings → Email account for a Microsoft address not signed in: where a
password can still work, the rows stay with a plain note; for Outlook.com
and Hotmail (no passwords at all) they go and the dialog points at Sign in
with Microsoft, unless no client ID is configured (then the password path
stays, with what to do). Typed with qtbot into the real dialog."""

from __future__ import annotations

import json
import os

import pytest
from PySide6.QtWidgets import QComboBox

from desktop.services.mail import oauth_clients
from desktop.ui.mail.account_dialog import AccountDialog

from ..dialogs import type_text

SHOTS = os.environ.get("LETTERDESK_SHOTS")  # a folder: save screenshots there


@pytest.fixture
def client_config(tmp_path, monkeypatch):
    """This build's registrations: Google's is there, as in a release (else
    the Advanced box opens and fills the dialog); Microsoft's as given."""

    def configure(microsoft_id: str) -> None:
        path = tmp_path / "oauth-clients.json"
        clients = {"microsoft": {"client_id": microsoft_id}, "google": {"client_id": "g-id"}}
        path.write_text(json.dumps(clients))
        monkeypatch.setattr(oauth_clients, "bundled_config_path", lambda: path)

    return configure


@pytest.fixture
def dialog(qtbot, db):
    made: list[AccountDialog] = []

    def make() -> AccountDialog:
        dialog = AccountDialog(None)
        qtbot.addWidget(dialog)
        dialog.resize(760, dialog.height())
        dialog.show()
        dialog.address.clear()
        made.append(dialog)
        return dialog

    yield make
    for shown in made:
        shown.lookup.cancel()


def type_address(qtbot, dialog: AccountDialog, address: str) -> None:
    dialog.address.setFocus()
    type_text(dialog.address, address)
    dialog.address.editingFinished.emit()


def shoot(qtbot, dialog: AccountDialog, name: str) -> None:
    qtbot.wait(300)  # the height fits itself after the rows change
    if SHOTS:
        dialog.grab().save(os.path.join(SHOTS, name))


def test_an_outlook_com_address_hides_the_password_and_points_at_sign_in(
    qtbot, dialog, client_config
):
    client_config("letterdesk-test-client")
    shown = dialog()
    assert shown.password.isVisible()  # an address of no known provider
    type_address(qtbot, shown, "maya.chen@hotmail.com")
    assert shown.preset.currentData() == "Outlook / Office 365"
    assert not shown.password.isVisible() and not shown.username.isVisible()
    assert not shown.ask_each_time.isVisible()
    advice = shown.password_advice
    assert advice.isVisible()
    assert "no longer take passwords" in advice.text()
    assert "press Sign in with Microsoft" in advice.text()
    assert shown.sign_in.buttons["microsoft"].isVisible()
    shoot(qtbot, shown, "outlook-com-no-password.png")

    # Another address of no known provider: the rows come back, the note goes.
    shown.preset.setCurrentIndex(0)
    shown.address.clear()
    type_address(qtbot, shown, "maya.chen@example.org")
    assert shown.password.isVisible() and shown.username.isVisible()
    assert not shown.password_advice.isVisible()


def test_a_microsoft_365_school_address_keeps_the_password_and_says_until_when(
    qtbot, dialog, client_config
):
    client_config("letterdesk-test-client")
    shown = dialog()
    type_address(qtbot, shown, "maya.chen@med.example.edu")
    preset = shown.findChild(QComboBox, "preset")
    preset.setCurrentIndex(preset.findData("Outlook / Office 365"))
    assert shown.password.isVisible() and shown.username.isVisible()
    advice = shown.password_advice
    assert advice.isVisible()
    assert "until the end of December 2026" in advice.text()
    assert "Sign in with Microsoft" in advice.text()
    shoot(qtbot, shown, "microsoft-365-school-password.png")


def test_a_microsoft_mx_found_by_the_lookup_counts_as_microsoft_365(qtbot, dialog, client_config):
    client_config("letterdesk-test-client")
    shown = dialog()
    type_address(qtbot, shown, "maya.chen@med.example.edu")
    assert not shown.password_advice.isVisible()
    # What the lookup says when the domain's MX is Microsoft's (its DNS
    # round trip is tested in test_server_lookup.py).
    shown.lookup.provider_found.emit("microsoft")
    assert shown.password.isVisible()
    assert "until the end of December 2026" in shown.password_advice.text()
    # Typing another address forgets that answer.
    shown.address.clear()
    type_address(qtbot, shown, "maya.chen@example.org")
    assert not shown.password_advice.isVisible()


def test_without_a_microsoft_client_id_an_outlook_address_keeps_the_password_path(
    qtbot, dialog, client_config
):
    client_config("")
    shown = dialog()
    type_address(qtbot, shown, "maya.chen@outlook.com")
    assert not shown.sign_in.buttons["microsoft"].isVisible()
    assert shown.password.isVisible() and shown.username.isVisible()
    advice = shown.password_advice.text()
    assert "no Microsoft client ID" in advice and "enter one under Advanced" in advice
    shoot(qtbot, shown, "outlook-com-no-client-id.png")
    # A client ID typed under Advanced makes signing in the way: rows go.
    shown.sign_in.client_ids["microsoft"].setText("my-own-client-id")
    assert not shown.password.isVisible()
    assert "press Sign in with Microsoft" in shown.password_advice.text()


def test_without_any_client_id_an_outlook_address_still_fits_the_screen(
    qtbot, db, tmp_path, monkeypatch
):
    # The build as shipped from this repository: no registration at all, so
    # both "not available" texts, the opened Advanced box and the password
    # advice all show. On a 1280×720 screen nothing may be squeezed or cut.
    from ..screens import fit_problems

    path = tmp_path / "oauth-clients.json"
    path.write_text(json.dumps({"microsoft": {"client_id": ""}, "google": {"client_id": ""}}))
    monkeypatch.setattr(oauth_clients, "bundled_config_path", lambda: path)
    shown = AccountDialog(None)
    qtbot.addWidget(shown)
    shown.show()
    qtbot.waitExposed(shown)
    type_address(qtbot, shown, "maya.chen@outlook.com")
    qtbot.wait(300)
    shoot(qtbot, shown, "outlook-com-no-client-id-fit.png")
    assert fit_problems(shown) == []
    assert shown.height() >= 600  # scrolls at the screen's height, not shrunk to a strip
    said = " ".join(
        label.text()
        for label in (shown.sign_in.status, shown.sign_in.unavailable)
        if label.isVisible()
    )
    assert said.count("is not available") == 1  # said once, not once per provider and again
