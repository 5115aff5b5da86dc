"""The compose window with real widgets, a real SQLite file and the mail
tests' real SMTP server on 127.0.0.1 (STARTTLS + AUTH, test CA): compose
from a Today action, preview, send, the request moves; a wrong password
keeps the draft with the reason; Send later and the scheduler; .eml and
mailto."""

from __future__ import annotations

import email
import email.policy
from datetime import timedelta
from urllib.parse import parse_qs, urlsplit

from PySide6.QtCore import QDateTime, Qt, QTimer, QUrl
from PySide6.QtWidgets import QDialog

from desktop.domain.actions import ActionKind
from desktop.domain.vocabulary import EmailState, RequestStatus, TemplatePurpose
from desktop.services import secrets
from desktop.store import outbox
from desktop.store.models import LetterRequest, utc_now
from desktop.ui.mail import compose_dialog
from desktop.ui.mail.compose_dialog import ComposeDialog, open_compose
from desktop.ui.mail.mail_scheduler import MailScheduler

from .mail_fixtures import *  # noqa: F403 - the shared fixtures
from .mail_fixtures import MENTOR_EMAIL

WAIT = 5000


def status_of(request_id: int) -> RequestStatus:
    return RequestStatus(LetterRequest.get_by_id(request_id).status)


def click(qtbot, widget) -> None:
    qtbot.mouseClick(widget, Qt.MouseButton.LeftButton)


def click_after_handler(qtbot, widget) -> None:
    """For a click that opens another modal dialog: the driver's timer does
    not fire again inside its own handler, so click once the handler returned."""
    QTimer.singleShot(0, lambda: click(qtbot, widget))


def test_compose_from_today_previews_sends_and_marks_the_request_asked(
    qtbot, window, dialogs, mail_account, planned_request, smtp_server
):
    today = window.page("today")
    qtbot.waitUntil(lambda: not today.is_refreshing(), timeout=WAIT)
    card = next(
        c
        for c in today.actions_list.cards
        if c.action.request_id == planned_request and "writeEmail" in c.buttons
    )
    assert card.action.kind in (ActionKind.LEAD_TIME, ActionKind.ASK_BY)
    seen = {}

    def compose(dialog: ComposeDialog) -> None:
        assert dialog.objectName() == "composeDialog"
        assert dialog.template.currentText() == "Asking for the letter"
        assert MENTOR_EMAIL in dialog.to.text()
        assert "Okafor" in dialog.body.toPlainText()
        assert dialog.subject.text()
        dialog.tabs.setCurrentWidget(dialog.preview)
        seen["preview"] = dialog.preview.toPlainText()
        seen["subject"] = dialog.subject.text()
        assert dialog.send_button.isEnabled()
        click(qtbot, dialog.send_button)
        # The window waits for the worker; it does not block.
        assert dialog.is_sending(), dialog.status.text()
        assert not dialog.close_button.isEnabled()

    dialogs.then(compose)
    click(qtbot, card.button("writeEmail"))  # returns when the window closes after sending

    assert seen["subject"] in seen["preview"] and MENTOR_EMAIL in seen["preview"]
    [sent] = outbox.list_outbox()
    assert sent.state is EmailState.SENT and sent.attempts == 1
    assert sent.template_purpose == TemplatePurpose.REQUEST.value
    [received] = smtp_server.delivered
    message = received.message
    assert message["Subject"] == seen["subject"]
    assert message["To"].addresses[0].addr_spec == MENTOR_EMAIL
    assert message["From"].addresses[0].display_name == "Zoë Ångström"
    assert message["Message-ID"] == sent.message_id
    assert message["Date"]
    assert received.rcpt_tos == (MENTOR_EMAIL,)
    assert status_of(planned_request) is RequestStatus.ASKED
    window.show_page("outbox")
    page = window.page("outbox")
    assert page.model.rowCount() == 1
    assert page.model.index(0, 0).data() == "Sent"


def test_a_wrong_password_shows_the_error_and_keeps_the_draft(
    qtbot, db, data_paths, dialogs, mail_account, planned_request, smtp_server
):
    secrets.set_password(mail_account.keyring_key, "not-the-password")
    seen = {}

    def compose(dialog: ComposeDialog) -> None:
        click(qtbot, dialog.send_button)

    def failure(box) -> None:
        seen["text"] = box.text()
        window = box.parentWidget()
        seen["status"] = window.status.text()
        box.accept()
        seen["window"] = window
        qtbot.waitUntil(lambda: not box.isVisible(), timeout=WAIT)

    dialogs.then(compose).then(failure)
    # The compose window stays open after the failure: close it once the
    # message box is gone.
    result = {}

    def run() -> None:
        result["id"] = open_compose(None, data_paths, request_id=planned_request, purpose="request")

    def close_when_done() -> None:
        window = seen.get("window")
        if window is not None and window.isVisible() and not window.is_sending():
            assert window.send_button.isEnabled()  # fix the password and send again
            window.reject()
        else:
            QTimer.singleShot(20, close_when_done)

    QTimer.singleShot(20, close_when_done)
    run()

    assert "password" in seen["text"].lower()
    assert "kept in the Outbox" in seen["text"]
    assert "password" in seen["status"].lower()
    [kept] = outbox.list_outbox()
    assert kept.id == result["id"]
    assert kept.state is EmailState.FAILED
    assert "password" in kept.last_error.lower()
    assert smtp_server.delivered == []
    assert status_of(planned_request) is RequestStatus.PLANNED


def test_send_later_is_scheduled_and_the_scheduler_sends_it_when_due(
    qtbot, db, data_paths, dialogs, mail_account, planned_request, smtp_server
):
    def compose(dialog: ComposeDialog) -> None:
        click_after_handler(qtbot, dialog.later_button)

    def choose_time(dialog) -> None:
        assert dialog.objectName() == "sendLaterDialog"
        dialog.when.setDateTime(QDateTime.currentDateTime().addSecs(600))
        dialog.accept()

    dialogs.then(compose).then(choose_time)
    email_id = open_compose(None, data_paths, request_id=planned_request, purpose="request")

    scheduled = outbox.get_email(email_id)
    assert scheduled.state is EmailState.SCHEDULED and scheduled.message_id
    assert timedelta(minutes=8) < scheduled.send_after - utc_now() < timedelta(minutes=11)

    clock = {"now": utc_now()}
    scheduler = MailScheduler(data_paths, None, interval_ms=20, now=lambda: clock["now"])
    scheduler.tick()  # not due yet
    assert not scheduler.is_busy()
    assert outbox.get_email(email_id).state is EmailState.SCHEDULED

    clock["now"] = utc_now() + timedelta(minutes=11)
    with qtbot.waitSignal(scheduler.batch_finished, timeout=WAIT):
        scheduler.start()  # the timer (and the first look at start-up) sends it
    scheduler.stop()
    assert outbox.get_email(email_id).state is EmailState.SENT
    [received] = smtp_server.delivered
    assert received.message_id == scheduled.message_id
    assert status_of(planned_request) is RequestStatus.ASKED


def test_save_as_eml_writes_a_parseable_message(
    qtbot, db, data_paths, dialogs, mail_account, planned_request, tmp_path, monkeypatch
):
    target = tmp_path / "ask.eml"
    # The native file dialog would block the test; answer it with a path.
    monkeypatch.setattr(compose_dialog, "save_file_name", lambda *a: (str(target), ""))
    seen = {}

    def compose(dialog: ComposeDialog) -> None:
        dialog.cc.setText("Chief Resident <chief@lakeshore-hospital.org>")
        click(qtbot, dialog.eml_button)
        seen["subject"] = dialog.subject.text()
        seen["status"] = dialog.status.text()
        dialog.reject()

    dialogs.then(compose)
    open_compose(None, data_paths, request_id=planned_request, purpose="request")

    assert str(target) in seen["status"]
    message = email.message_from_bytes(target.read_bytes(), policy=email.policy.default)
    assert message["Subject"] == seen["subject"]
    assert message["To"].addresses[0].addr_spec == MENTOR_EMAIL
    assert message["Cc"].addresses[0].addr_spec == "chief@lakeshore-hospital.org"
    assert message["Message-ID"]
    assert "Okafor" in message.get_body(("plain",)).get_content()
    assert outbox.list_outbox()[0].state is EmailState.DRAFT  # nothing was sent


def test_open_in_mail_app_hands_over_the_url_and_lists_attachments(
    qtbot, db, data_paths, dialogs, planned_request, monkeypatch
):
    opened: list[QUrl] = []
    # Replaced because the real QDesktopServices.openUrl would start the
    # desktop's mail program outside the test (or fail without one).
    monkeypatch.setattr(compose_dialog, "open_url", lambda url: opened.append(url) or True)
    seen = {}

    def compose(dialog: ComposeDialog) -> None:
        summary = dialog.attachments.summary_item()
        assert summary is not None
        dialog.attachments._summary_path = str(data_paths.root / "summary.pdf")  # no PDF needed
        summary.setCheckState(Qt.CheckState.Checked)
        seen["subject"] = dialog.subject.text()
        click_after_handler(qtbot, dialog.mailto_button)
        QTimer.singleShot(0, dialog.reject)

    def attachments_box(box) -> None:
        seen["box"] = box.text()
        box.accept()

    dialogs.then(compose).then(attachments_box)
    open_compose(None, data_paths, request_id=planned_request, purpose="request")

    [url] = opened
    assert url.scheme() == "mailto"
    assert parse_qs(urlsplit(url.toString(QUrl.ComponentFormattingOption.FullyEncoded)).query)[
        "subject"
    ] == [seen["subject"]]
    assert "Writer summary - Okafor.pdf" in seen["box"]


def test_a_template_problem_is_shown_with_its_line_and_blocks_send(
    qtbot, db, data_paths, planned_request
):
    from desktop.services.mail.templates import ensure_builtin_templates
    from desktop.store.models import EmailTemplate

    ensure_builtin_templates()
    EmailTemplate.update(body="Dear {{ mentor.salutation }},\n\n{{ mentor.nmae }}\n").where(
        EmailTemplate.purpose == "request"
    ).execute()
    dialog = ComposeDialog(data_paths, request_id=planned_request, purpose="request")
    qtbot.addWidget(dialog)
    assert dialog.problem.isVisibleTo(dialog)
    assert "line 3" in dialog.problem.text()
    assert not dialog.send_button.isEnabled()
    dialog.template.setCurrentIndex(0)  # write it yourself
    dialog.template.activated.emit(0)
    assert dialog.send_button.isEnabled()
    assert dialog.result() == QDialog.DialogCode.Rejected
