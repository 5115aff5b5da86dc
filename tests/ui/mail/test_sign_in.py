"""Sign in with Microsoft from Settings → Email account, then send from the
Outbox: the token expires and is refreshed, the grant is revoked and the
user signs in again from the "Sign in again" box. Real parts throughout
(the local authorization server, the app's loopback listener, an SMTP
server that takes only XOAUTH2 and introspects each token, the SQLite
file); the system browser is the scripted one (tests/services/mail/oauth_server.py)."""

from __future__ import annotations

import json
import time
from dataclasses import replace
from datetime import timedelta

import pytest
from PySide6.QtCore import Qt, QTimer

from desktop.domain.vocabulary import EmailState
from desktop.services import secrets
from desktop.services.mail import oauth, oauth_clients
from desktop.services.mail.account import load_account, save_account
from desktop.store import outbox
from desktop.store.models import Profile, Setting
from desktop.ui.mail import sign_in_panel
from desktop.ui.mail.account_dialog import AccountDialog
from desktop.ui.mail.outbox_page import OutboxPage
from tests.services.mail.conftest import local_providers, oauth_server, xoauth2_server
from tests.services.mail.oauth_server import ScriptedBrowser

from ..dialogs import DialogDriver, button, type_text
from .mail_fixtures import *  # noqa: F403 - the shared fixtures
from .mail_fixtures import USER
from .test_outbox_page import queued_email

__all__ = ["local_providers", "oauth_server", "xoauth2_server"]
WAIT = 10_000


@pytest.fixture
def microsoft(local_providers, xoauth2_server, monkeypatch):
    """Microsoft's SMTP server is the local XOAUTH2 one; the browser is scripted."""
    prov = oauth_clients.PROVIDERS["microsoft"]
    monkeypatch.setitem(
        oauth_clients.PROVIDERS,
        "microsoft",
        replace(prov, smtp_host=xoauth2_server.host, smtp_port=xoauth2_server.port),
    )
    monkeypatch.setattr(sign_in_panel, "open_browser", ScriptedBrowser(local_providers))
    return local_providers


def click(qtbot, widget) -> None:
    qtbot.mouseClick(widget, Qt.MouseButton.LeftButton)


def sign_in_and_save(qtbot, dialog: AccountDialog, *, start: bool = True) -> None:
    if start:
        assert dialog.sign_in.buttons["microsoft"].isVisible()
        click(qtbot, dialog.sign_in.buttons["microsoft"])
        assert dialog.sign_in.cancel_button.isVisible()
    qtbot.waitUntil(lambda: "Signed in as" in dialog.sign_in.status.text(), timeout=WAIT)
    assert dialog.sign_in.status.text() == f"Signed in as {USER} with Microsoft."
    assert dialog.sign_in.sign_out_button.isVisible()
    # No password or username to type for a signed-in account: the rows go.
    assert not dialog.password.isVisible() and not dialog.username.isVisible()
    assert not dialog.ask_each_time.isVisible()
    # ...and the dialog closes up around them, leaving no empty band.
    qtbot.waitUntil(lambda: dialog.height() <= dialog.sizeHint().height(), timeout=WAIT)
    click(qtbot, button(dialog, "Save"))


def test_sign_in_send_refresh_revoke_and_sign_in_again(
    qtbot, db, page_context, microsoft, xoauth2_server, ca_file
):
    Profile.create(full_name="Zoë Ångström", email=USER)
    dialog = AccountDialog(None)
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.display_name.text() == "Zoë Ångström"  # from the profile
    assert dialog.address.text() == USER
    dialog.ca_file.setText(str(ca_file))  # the test server's CA, as a school's own
    sign_in_and_save(qtbot, dialog)

    saved = load_account()
    assert saved is not None and saved.oauth_provider == "microsoft"
    reopened = AccountDialog(saved)  # File → Email account again
    qtbot.addWidget(reopened)
    reopened.show()
    assert reopened.sign_in.status.text() == f"Signed in as {USER} with Microsoft."
    assert reopened.sign_in.sign_out_button.isVisible()
    assert not reopened.password.isVisible()
    reopened.reject()
    assert (saved.host, saved.port) == (xoauth2_server.host, xoauth2_server.port)
    refresh = secrets.get_password(oauth.refresh_key("microsoft", USER)).password
    assert refresh and refresh not in json.dumps([s.value for s in Setting.select()])

    page = OutboxPage(page_context)
    qtbot.addWidget(page)
    page.show()

    def send_all() -> None:
        page.reload()
        click(qtbot, page.send_all_button)
        qtbot.waitUntil(lambda: not page.is_sending(), timeout=WAIT)

    queued_email("First letter request")
    send_all()
    assert len(xoauth2_server.delivered) == 1

    # An hour later: the token has expired, at the server and by the app's clock.
    microsoft.expire_access_tokens()
    for key, tokens in list(oauth._cache.items()):
        oauth._cache[key] = replace(tokens, expires_at=time.time() - 1)
    queued_email("Second letter request")
    send_all()
    assert len(xoauth2_server.delivered) == 2
    assert microsoft.refresh_requests() == 1

    # The user revoked LetterDesk's access at Microsoft.
    microsoft.revoke_all()
    microsoft.expire_access_tokens()
    third = queued_email("Third letter request")
    seen: dict[str, str] = {}

    def sign_in_again_box(box) -> None:
        seen["text"] = box.text()
        box.findChild(type(box.buttons()[0]), "signInAgainButton").click()

    def account_dialog(shown) -> None:
        assert isinstance(shown, AccountDialog)
        sign_in_and_save(qtbot, shown, start=False)  # it starts signing in by itself

    driver = DialogDriver().then(sign_in_again_box).then(account_dialog)
    send_all()
    qtbot.waitUntil(lambda: not driver._handlers, timeout=WAIT)
    driver.check()
    assert "Sign in again" in seen["text"]
    assert len(xoauth2_server.delivered) == 2  # nothing went out, nothing lost
    page.reload()
    page.select_id(third)
    assert page.retry_button.isEnabled()
    click(qtbot, page.retry_button)
    qtbot.waitUntil(lambda: not page.is_sending(), timeout=WAIT)
    assert [r.message["Subject"] for r in xoauth2_server.delivered][-1] == "Third letter request"


def test_without_a_client_id_no_button_is_offered_and_the_dialog_says_why(
    qtbot, db, tmp_path, monkeypatch
):
    empty = tmp_path / "oauth-clients.json"
    empty.write_text('{"microsoft": {"client_id": ""}, "google": {"client_id": ""}}')
    monkeypatch.setattr(oauth_clients, "bundled_config_path", lambda: empty)
    dialog = AccountDialog(None)
    qtbot.addWidget(dialog)
    dialog.show()
    panel = dialog.sign_in
    assert not panel.buttons["microsoft"].isVisible()
    assert not panel.buttons["google"].isVisible()
    assert "without a Microsoft app registration" in panel.unavailable.text()
    assert panel.advanced.isVisible()  # where to put one is shown

    panel.client_ids["microsoft"].setText("my-own-client-id")
    assert panel.buttons["microsoft"].isVisible()
    assert "Microsoft" not in panel.unavailable.text()
    dialog.address.setText(USER)
    dialog.display_name.setText("Zoë")
    dialog.host.setText("smtp.example.org")
    click(qtbot, button(dialog, "Save"))
    assert oauth_clients.user_client_ids() == {"microsoft": "my-own-client-id"}


def test_consent_refused_in_the_dialog_is_a_plain_sentence(qtbot, db, microsoft):
    microsoft.state.consent = "deny"
    dialog = AccountDialog(None)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.address.setText(USER)
    click(qtbot, dialog.sign_in.buttons["microsoft"])
    qtbot.waitUntil(lambda: not dialog.sign_in.is_running(), timeout=WAIT)
    assert "Access was not granted" in dialog.sign_in.status.text()
    assert not oauth.is_signed_in("microsoft", USER)


def test_cancel_stops_waiting_for_the_browser(qtbot, db, microsoft):
    microsoft.state.consent = "close"  # the page never answers
    dialog = AccountDialog(None)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.address.setText(USER)
    click(qtbot, dialog.sign_in.buttons["microsoft"])
    assert dialog.sign_in.is_running()
    click(qtbot, dialog.sign_in.cancel_button)
    qtbot.waitUntil(lambda: not dialog.sign_in.is_running(), timeout=WAIT)
    assert dialog.sign_in.status.text() == "Sign-in cancelled. Nothing was stored."
    assert dialog.sign_in.buttons["microsoft"].isEnabled()


def test_test_connection_and_sign_out_for_a_signed_in_account(
    qtbot, db, microsoft, xoauth2_server, ca_file
):
    dialog = AccountDialog(None)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.display_name.setText("Zoë")
    dialog.address.setText(USER)
    dialog.ca_file.setText(str(ca_file))
    click(qtbot, dialog.sign_in.buttons["microsoft"])
    qtbot.waitUntil(lambda: "Signed in as" in dialog.sign_in.status.text(), timeout=WAIT)

    click(qtbot, dialog.test_button)
    qtbot.waitUntil(lambda: dialog.test_button.isEnabled(), timeout=WAIT)
    assert dialog.test_status.text().startswith("✓ Connected to 127.0.0.1")
    assert xoauth2_server.handler.logins == [USER]

    click(qtbot, dialog.sign_in.sign_out_button)
    assert dialog.sign_in.status.text().startswith("Signed out")
    assert not oauth.is_signed_in("microsoft", USER)
    assert dialog.password.isEnabled() and dialog.password.isVisible()  # a password account
    assert dialog.username.isVisible()
    assert dialog.account().oauth_provider is None


def test_a_password_refused_as_microsoft_does_offers_sign_in_and_keeps_the_email(
    qtbot, db, page_context, smtp_server, faults, mail_account
):
    faults.auth_reply = "535 5.7.139 Authentication unsuccessful, basic authentication is disabled."
    email_id = queued_email("Letter request")
    page = OutboxPage(page_context)
    qtbot.addWidget(page)
    page.show()
    seen: dict[str, list[str]] = {}

    def box(shown) -> None:
        seen["buttons"] = [b.text() for b in shown.buttons()]
        shown.reject()  # "Close": not now

    driver = DialogDriver().then(box)
    click(qtbot, page.send_all_button)
    qtbot.waitUntil(lambda: not page.is_sending() and not driver._handlers, timeout=WAIT)
    driver.check()
    assert "Sign in with Microsoft" in seen["buttons"]
    assert smtp_server.auth_attempts == ["PLAIN"]
    assert outbox.get_email(email_id).state is EmailState.FAILED


def test_the_outlook_preset_points_to_sign_in_not_to_an_app_password(qtbot, db, microsoft):
    dialog = AccountDialog(None)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.preset.setCurrentIndex(dialog.preset.findData("Outlook / Office 365"))
    note = dialog.preset_note.text()
    assert "Sign in with Microsoft" in note and "app password" not in note.replace(
        "not even app passwords", ""
    )
    assert dialog.sign_in.status.text() == (
        "This is a Microsoft account: press Sign in with Microsoft."
    )


def test_the_scheduler_refreshes_the_token_and_offers_sign_in_again_when_revoked(
    qtbot, db, data_paths, microsoft, xoauth2_server, ca_file
):
    """Scheduled emails go through the same sign-in as Send now: an expired
    token is refreshed on the worker; a revoked grant brings up the "Sign in
    again" box, and the email waits in the Outbox with the reason."""
    from desktop.store.outbox import EmailFields, utc_now
    from desktop.ui.mail.mail_scheduler import MailScheduler
    from tests.services.mail.test_oauth import _sign_in

    _sign_in(microsoft)
    save_account(xoauth2_server.account(ca_file, oauth_provider="microsoft"))
    clock = {"now": utc_now()}

    def scheduled(subject: str) -> int:
        email_id = outbox.create_draft(EmailFields(USER, subject, "Dear Dr. Okafor,"))
        outbox.schedule(email_id, clock["now"] + timedelta(minutes=5), domain="example.org")
        clock["now"] += timedelta(minutes=6)
        return email_id

    scheduler = MailScheduler(data_paths, None, interval_ms=60_000, now=lambda: clock["now"])
    microsoft.expire_access_tokens()
    for key, tokens in list(oauth._cache.items()):
        oauth._cache[key] = replace(tokens, expires_at=time.time() - 1)
    first = scheduled("First letter request")
    with qtbot.waitSignal(scheduler.batch_finished, timeout=WAIT):
        scheduler.tick()
    assert outbox.get_email(first).state is EmailState.SENT
    assert microsoft.refresh_requests() == 1

    microsoft.revoke_all()
    microsoft.expire_access_tokens()
    for key, tokens in list(oauth._cache.items()):
        oauth._cache[key] = replace(tokens, expires_at=time.time() - 1)
    second = scheduled("Second letter request")
    seen: dict[str, str] = {}

    def sign_in_again_box(box) -> None:
        seen["text"] = box.text()
        box.reject()  # "Close": later

    driver = DialogDriver().then(sign_in_again_box)
    messages: list[str] = []
    scheduler.status_message.connect(messages.append)
    with qtbot.waitSignal(scheduler.batch_finished, timeout=WAIT):
        scheduler.tick()
    qtbot.waitUntil(lambda: not driver._handlers, timeout=WAIT)
    driver.check()
    assert "Sign in again" in seen["text"]
    assert outbox.get_email(second).state is EmailState.FAILED  # kept, with the reason
    assert len(xoauth2_server.delivered) == 1
    assert "Sign in again" in messages[-1]


def test_send_now_with_a_revoked_sign_in_signs_in_again_and_keeps_the_email(
    qtbot, db, data_paths, dialogs, planned_request, microsoft, xoauth2_server, ca_file
):
    """Compose → Send now after the user revoked LetterDesk at Microsoft:
    the "Sign in again" box, the account dialog signing in by itself, and
    back in the compose window the same email goes out on the second Send."""
    from desktop.ui.mail.compose_dialog import open_compose
    from tests.services.mail.test_oauth import _sign_in

    from .mail_fixtures import MENTOR_EMAIL

    _sign_in(microsoft)
    save_account(xoauth2_server.account(ca_file, oauth_provider="microsoft"))
    microsoft.revoke_all()
    microsoft.expire_access_tokens()
    for key, tokens in list(oauth._cache.items()):
        oauth._cache[key] = replace(tokens, expires_at=time.time() - 1)
    seen: dict[str, object] = {}

    def compose(window) -> None:
        seen["window"] = window
        click(qtbot, window.send_button)

    def sign_in_again_box(box) -> None:
        seen["text"] = box.text()
        box.findChild(type(box.buttons()[0]), "signInAgainButton").click()

    def account_dialog(shown) -> None:
        assert isinstance(shown, AccountDialog)
        sign_in_and_save(qtbot, shown, start=False)

    dialogs.then(compose).then(sign_in_again_box).then(account_dialog)

    def send_again_when_signed_in() -> None:
        window = seen.get("window")
        if window is None or not window.status.text().startswith("Signed in"):
            QTimer.singleShot(20, send_again_when_signed_in)
            return
        [kept] = outbox.list_outbox()
        seen["kept"] = kept.state
        click(qtbot, window.send_button)

    QTimer.singleShot(20, send_again_when_signed_in)
    email_id = open_compose(None, data_paths, request_id=planned_request, purpose="request")

    assert "Sign in again" in str(seen["text"])
    assert seen["kept"] is EmailState.FAILED  # kept in the Outbox meanwhile
    assert outbox.get_email(email_id).state is EmailState.SENT
    [received] = xoauth2_server.delivered
    assert (
        received.message["To"].endswith(f"<{MENTOR_EMAIL}>")
        or MENTOR_EMAIL in received.message["To"]
    )


def test_a_new_account_from_the_profiles_outlook_address_is_set_up_for_sign_in(
    qtbot, db, microsoft
):
    """The address comes from the profile, untyped: the dialog still picks
    the Outlook preset and points at Sign in with Microsoft, instead of
    showing "Other provider" with an empty server."""
    Profile.create(full_name="Maya Lindqvist", email="maya.lindqvist@outlook.com")
    dialog = AccountDialog(None)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitUntil(lambda: dialog.host.text() == "smtp.office365.com", timeout=WAIT)
    assert dialog.preset.currentData() == "Outlook / Office 365"
    assert dialog.sign_in.status.text() == (
        "This is a Microsoft account: press Sign in with Microsoft."
    )


def test_the_preset_note_is_never_clipped(qtbot, db, microsoft):
    """The Outlook note wraps onto three lines: it gets them, whether the
    preset was chosen by hand or found from the profile's address."""
    Profile.create(full_name="Maya Lindqvist", email="maya.lindqvist@outlook.com")
    dialog = AccountDialog(None)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    note = dialog.preset_note
    qtbot.waitUntil(lambda: note.isVisible(), timeout=WAIT)

    def fits() -> bool:  # all its lines on screen, none cut by the row below
        shown = note.visibleRegion().boundingRect().height()
        return shown >= note.heightForWidth(note.width())

    qtbot.waitUntil(fits, timeout=WAIT)
    dialog._fit_height()  # as the dialog does when rows come and go
    qtbot.wait(50)
    assert fits()
    dialog.preset.setFocus()
    qtbot.keyClick(dialog.preset, Qt.Key.Key_Up)  # Gmail (STARTTLS), another long note
    assert dialog.preset.currentData() == "Gmail (STARTTLS)"
    qtbot.waitUntil(fits, timeout=WAIT)


def test_another_address_after_signing_in_is_not_taken_as_signed_in(qtbot, db, microsoft):
    """The grant belongs to the address it was given for: typing another
    one brings the password rows back and saves no sign-in for it (the
    first address's grant stays in the keyring)."""
    dialog = AccountDialog(None)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.address.setText(USER)
    click(qtbot, dialog.sign_in.buttons["microsoft"])
    qtbot.waitUntil(lambda: "Signed in as" in dialog.sign_in.status.text(), timeout=WAIT)
    assert not dialog.password.isVisible()
    dialog.address.setFocus()
    dialog.address.selectAll()
    type_text(dialog.address, "maya.roth@example.org")
    qtbot.keyClick(dialog.address, Qt.Key.Key_Tab)
    assert dialog.account().oauth_provider is None
    assert dialog.password.isVisible() and dialog.password.isEnabled()
    assert "Signed in" not in dialog.sign_in.status.text()
    assert not dialog.sign_in.sign_out_button.isVisible()
    assert oauth.is_signed_in("microsoft", USER)


def test_a_saved_outlook_account_reopens_with_its_provider_chosen(qtbot, db):
    from desktop.services.mail.account import SmtpAccount

    address = "maya.lindqvist@outlook.com"
    save_account(
        SmtpAccount(
            "Maya", address, "smtp.office365.com", 587, "starttls", address, None, "microsoft"
        )
    )
    dialog = AccountDialog(load_account())
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.preset.currentData() == "Outlook / Office 365"  # not "Other provider"
    assert dialog.preset_note.isVisible()
    assert dialog.host.text() == "smtp.office365.com"  # choosing it changed nothing
