"""The Outbox page with real widgets and the real SMTP server: a retry
after a failure delivers once, Cancel stops a batch between messages,
delete is refused for sent email, and the list shows state and error."""

from __future__ import annotations

import threading

import pytest
from PySide6.QtCore import Qt

from desktop.domain.vocabulary import EmailState
from desktop.store import outbox
from desktop.store.outbox import EmailFields
from desktop.ui.mail.outbox_page import OutboxPage

from ..dialogs import click_message_button
from .mail_fixtures import *  # noqa: F403 - the shared fixtures
from .mail_fixtures import MENTOR_EMAIL

WAIT = 5000


def queued_email(subject: str, request_id: int | None = None) -> int:
    email_id = outbox.create_draft(
        EmailFields(MENTOR_EMAIL, subject, f"Body of {subject}."),
        request_id=request_id,
        template_purpose="request" if request_id else None,
    )
    outbox.queue(email_id, domain="example.org")
    return email_id


@pytest.fixture
def page(qtbot, db, data_paths, page_context):
    def make() -> OutboxPage:
        widget = OutboxPage(page_context)
        qtbot.addWidget(widget)
        widget.resize(1200, 700)
        widget.show()
        return widget

    return make


def click(qtbot, widget) -> None:
    qtbot.mouseClick(widget, Qt.MouseButton.LeftButton)


def row_text(page: OutboxPage, email_id: int, column: int) -> str:
    return page.model.index(page.model.row_of_id(email_id), column).data()


def test_retry_after_a_failure_delivers_once(
    qtbot, page, mail_account, planned_request, smtp_server, faults
):
    email_id = queued_email("Letter of recommendation", planned_request)
    faults.temporary_data = 1  # the server says "451, try later" once
    outbox_page = page()
    assert outbox_page.send_all_button.isEnabled()

    click(qtbot, outbox_page.send_all_button)
    assert outbox_page.is_sending() and outbox_page.cancel_button.isVisible()
    qtbot.waitUntil(lambda: not outbox_page.is_sending(), timeout=WAIT)
    assert row_text(outbox_page, email_id, 0) == "Failed"
    failed = outbox.get_email(email_id)
    assert failed.last_error and row_text(outbox_page, email_id, 5) == failed.last_error
    assert smtp_server.delivered == []

    outbox_page.select_id(email_id)
    assert outbox_page.detail.error.text() == failed.last_error
    assert outbox_page.retry_button.isEnabled()
    assert outbox_page.edit_button.isEnabled()
    click(qtbot, outbox_page.retry_button)
    qtbot.waitUntil(lambda: not outbox_page.is_sending(), timeout=WAIT)

    sent = outbox.get_email(email_id)
    assert sent.state is EmailState.SENT and sent.attempts == 2
    assert len(smtp_server.attempts) == 2
    [delivered] = smtp_server.delivered  # once, with the Message-ID fixed at queueing
    assert delivered.message_id == failed.message_id == sent.message_id
    assert row_text(outbox_page, email_id, 0) == "Sent"
    outbox_page.select_id(email_id)
    assert not outbox_page.delete_button.isEnabled()  # a sent email is the record
    assert not outbox_page.retry_button.isEnabled()


def test_cancel_stops_the_batch_between_messages(qtbot, page, mail_account, smtp_server):
    ids = [queued_email(f"Email {n}") for n in range(3)]
    handler = smtp_server.handler
    original = handler.handle_DATA
    gate = threading.Event()

    async def held(*args):
        # Hold the server's reply to the first message until the test has
        # pressed Cancel, so the cancel lands between messages every time.
        reply = await original(*args)
        gate.wait(WAIT / 1000)
        return reply

    handler.handle_DATA = held
    outbox_page = page()
    click(qtbot, outbox_page.send_all_button)
    qtbot.waitUntil(lambda: len(smtp_server.attempts) == 1, timeout=WAIT)
    assert outbox_page.cancel_button.isEnabled()
    click(qtbot, outbox_page.cancel_button)
    gate.set()
    qtbot.waitUntil(lambda: not outbox_page.is_sending(), timeout=WAIT)

    states = [outbox.get_email(i).state for i in ids]
    assert states == [EmailState.SENT, EmailState.QUEUED, EmailState.QUEUED]
    assert len(smtp_server.delivered) == 1
    assert not outbox_page.cancel_button.isVisible()
    assert outbox_page.send_all_button.isEnabled()  # the rest can be sent later


def test_delete_a_draft_and_search(qtbot, page, dialogs):
    keep = outbox.create_draft(EmailFields(MENTOR_EMAIL, "Thank you", "Thanks."))
    drop = outbox.create_draft(EmailFields(MENTOR_EMAIL, "Materials", "Attached."))
    outbox_page = page()
    assert outbox_page.model.rowCount() == 2
    assert "2 draft" in outbox_page.summary.text()

    outbox_page.set_search_text("materials")
    assert outbox_page.model.rowCount() == 1
    outbox_page.set_search_text("")

    outbox_page.select_id(drop)
    # Cancel keeps the email; the named button deletes it.
    dialogs.then(lambda box: click_message_button(box, "Cancel"))
    click(qtbot, outbox_page.delete_button)
    dialogs.check()
    assert sorted(e.id for e in outbox.list_outbox()) == sorted([keep, drop])
    dialogs.then(lambda box: click_message_button(box, "Delete email"))
    click(qtbot, outbox_page.delete_button)
    dialogs.check()
    assert [e.id for e in outbox.list_outbox()] == [keep]
    assert outbox_page.model.rowCount() == 1


def test_empty_outbox_says_where_emails_come_from(page):
    outbox_page = page()
    assert outbox_page.empty.isVisible()
    assert "Write email" in outbox_page.empty.text()
    assert not outbox_page.send_all_button.isEnabled()
