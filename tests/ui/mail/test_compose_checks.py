"""Before anything is queued, compose tells the user about a recipient
domain that imitates another (issue 13, point 9) and about an email over
the provider's size limit (issue 10), with real widgets, a real SQLite file
and the real SMTP server on 127.0.0.1."""

from __future__ import annotations

import os
from dataclasses import replace

from PySide6.QtCore import Qt, QTimer

from desktop.domain.mail_domains import ascii_domain
from desktop.domain.vocabulary import EmailState
from desktop.services import secrets
from desktop.services.mail.account import save_account
from desktop.store import outbox
from desktop.ui.mail.compose_attachments import summary_folder
from desktop.ui.mail.compose_dialog import ComposeDialog, open_compose

from ..dialogs import click_message_button
from .mail_fixtures import *  # noqa: F403 - the shared fixtures
from .mail_fixtures import PASSWORD

FAKE = "lakeshore-hоspital.org"  # the first "о" of hospital is Cyrillic
WAIT = 5000


def _press_send(qtbot, dialog: ComposeDialog, to: str) -> None:
    dialog.to.setText(to)
    # Send opens the confirmation, a modal box: press it after this handler.
    QTimer.singleShot(0, lambda: qtbot.mouseClick(dialog.send_button, Qt.MouseButton.LeftButton))


def test_a_homograph_domain_is_named_before_sending_and_cancel_keeps_the_draft(
    qtbot, db, data_paths, dialogs, mail_account, planned_request, smtp_server
):
    seen = {}

    def compose(dialog: ComposeDialog) -> None:
        seen["dialog"] = dialog
        _press_send(qtbot, dialog, f"Dr. Amara Okafor <amara@{FAKE}>")

    def warning(box) -> None:
        assert box.objectName() == "homographConfirm"
        seen["text"] = box.text()
        if os.environ.get("LETTERDESK_SCREENSHOTS"):
            box.grab().save(os.environ["LETTERDESK_SCREENSHOTS"] + "/compose-homograph.png")
        click_message_button(box, "Cancel")
        QTimer.singleShot(50, seen["dialog"].reject)

    dialogs.then(compose).then(warning)
    open_compose(None, data_paths, request_id=planned_request, purpose="request")

    assert FAKE in seen["text"]
    assert ascii_domain(FAKE) in seen["text"] and "xn--" in seen["text"]
    [kept] = outbox.list_outbox()
    assert kept.state is EmailState.DRAFT and kept.message_id is None
    assert smtp_server.attempts == []


def test_send_anyway_sends_to_the_domain_as_typed(
    qtbot, db, data_paths, dialogs, mail_account, planned_request, smtp_server
):
    def compose(dialog: ComposeDialog) -> None:
        _press_send(qtbot, dialog, f"amara@{FAKE}")

    def warning(box) -> None:
        click_message_button(box, "Send anyway")

    dialogs.then(compose).then(warning)
    open_compose(None, data_paths, request_id=planned_request, purpose="request")
    qtbot.waitUntil(lambda: len(smtp_server.delivered) == 1, timeout=WAIT)
    assert smtp_server.delivered[0].rcpt_tos == (f"amara@{ascii_domain(FAKE)}",)


def test_too_large_for_gmail_is_told_before_queueing(
    qtbot, db, data_paths, dialogs, mail_account, planned_request
):
    # The account says Gmail (its limit is known without connecting); the
    # send never reaches a server because it is refused first.
    gmail = replace(mail_account, host="smtp.gmail.com")
    save_account(gmail)
    assert secrets.set_password(gmail.keyring_key, PASSWORD).ok
    folder = summary_folder(data_paths)
    folder.mkdir(parents=True, exist_ok=True)
    big = folder / "summary.pdf"
    with big.open("wb") as out:
        out.truncate(26_000_000)  # a sparse 26 MB file: over Gmail's 25 MB
    seen = {}

    def compose(dialog: ComposeDialog) -> None:
        # The writer's summary stands in for a large attachment (no PDF is made).
        dialog.attachments._summary_path = str(big)
        summary = dialog.attachments.summary_item()
        assert summary is not None
        summary.setCheckState(Qt.CheckState.Checked)
        qtbot.mouseClick(dialog.send_button, Qt.MouseButton.LeftButton)
        seen["status"] = dialog.status.text()
        dialog.reject()

    dialogs.then(compose)
    open_compose(None, data_paths, request_id=planned_request, purpose="request")

    assert "Gmail accepts at most" in seen["status"] and "Nothing was sent" in seen["status"]
    [kept] = outbox.list_outbox()
    assert kept.state is EmailState.DRAFT
