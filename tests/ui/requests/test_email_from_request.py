""" "Email…" on a request opens compose with the template its status calls
for: the ask, the materials, a nudge, the thank-you. Driven through the
main window (the page asks the window to open compose), over a real file."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from PySide6.QtCore import Qt

from desktop.domain.vocabulary import RequestStatus
from desktop.store.requests import move_status
from desktop.ui.mail.compose_dialog import ComposeDialog

from .test_requests_page import make_cycle, make_request, make_writer

S = RequestStatus


def _walk(request_id: int, steps: list[tuple[RequestStatus, int]], today: date) -> None:
    for status, days_ago in steps:
        move_status(request_id, status, on=today - timedelta(days=days_ago), today=today)


@pytest.mark.parametrize(
    ("steps", "template", "subject"),
    [
        ([], "Asking for the letter", "Would you write a letter of recommendation for me?"),
        (
            [(S.ASKED, 5), (S.ACCEPTED, 2)],
            "Materials",
            "Materials for my letter of recommendation (Letter ID L-77)",
        ),
        # Asked 20 days ago and not answered: the first nudge is due.
        ([(S.ASKED, 20)], "Nudge after asking", "Following up on my letter of recommendation"),
        (
            [(S.ASKED, 30), (S.ACCEPTED, 28), (S.SUBMITTED, 1)],
            "Thank-you",
            "Thank you for your letter of recommendation",
        ),
    ],
    ids=["planned", "accepted", "waiting-past-nudge", "submitted"],
)
def test_email_picks_the_template_the_status_calls_for(
    window, qtbot, dialogs, today, steps, template, subject
):
    writer = make_writer("Lopez", first_name="Maria", honorific="", credentials="MD")
    request_id = make_request(
        make_cycle(), writer, letter_id="L-77", due_on=today + timedelta(days=60)
    )
    _walk(request_id, steps, today)
    window.show_page("requests")
    page = window.page("requests")
    page.reload()
    assert page.select_id(request_id)
    seen = {}

    def compose(dialog: ComposeDialog) -> None:
        seen["template"] = dialog.template.currentText()
        seen["subject"] = dialog.subject.text()
        seen["body"] = dialog.body.toPlainText()
        dialog.reject()

    dialogs.then(compose)
    qtbot.mouseClick(page.email_button, Qt.MouseButton.LeftButton)
    dialogs.check()
    assert seen["template"] == template
    assert seen["subject"] == subject
    assert seen["body"].startswith("Dear Dr. Lopez,\n")
