"""A writer's reply, end to end in the real window: the reply arrives in a
real Dovecot inbox, the window's reply watcher (its own thread, IDLE)
notices it, Today shows its card, and "Mark accepted" moves the request
and records it in its history. The other choices are checked too.

Set LETTERDESK_SCREENSHOT_DIR to keep the screenshots."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
import trustme
from PySide6.QtCore import Qt

from desktop.domain.vocabulary import RequestStatus
from desktop.services import secrets
from desktop.services.mail.account import SmtpAccount, save_account
from desktop.store import outbox
from desktop.store import replies as reply_store
from desktop.store.models import Cycle, Interaction, LetterRequest, Mentor, Reply, StatusChange
from desktop.store.outbox import EmailFields
from desktop.store.requests import RequestFields, create_request

from ...services.mail.imap_server import PASSWORD, USER, DovecotServer, plain_message
from ...services.mail.smtp_server import issue_server_cert, write_ca

WRITER = "rlopez@hospital.example"


@pytest.fixture(scope="module")
def ca() -> trustme.CA:
    return trustme.CA(organization_name="LetterDesk UI test CA")


@pytest.fixture
def dovecot(ca) -> Iterator[DovecotServer]:
    server = DovecotServer(issue_server_cert(ca)).start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def ca_file(ca, tmp_path) -> Path:
    return write_ca(ca, tmp_path / "ca.pem")


@pytest.fixture
def asked(db, dovecot, ca_file):
    """Dr. Lopez was asked by an email the outbox sent; the account reads
    its mail from the Dovecot, password in the keyring."""
    mentor = Mentor.create(
        honorific="Dr.", first_name="Rosa", last_name="Lopez", category="clinical_supervisor",
        email=WRITER,
    ).id  # fmt: skip
    cycle = Cycle.create(service="eras_residency", name="ERAS 2027", max_letters_per_program=4)
    request_id = create_request(RequestFields(mentor_id=mentor, cycle_id=cycle.id, waiver=True))
    email_id = outbox.create_draft(
        EmailFields(to_addrs=WRITER, subject="Letter of recommendation", body="Dear Dr. Lopez"),
        request_id=request_id,
        mentor_id=mentor,
        template_purpose="request",
    )
    message_id = outbox.queue(email_id, domain="example.org")
    claimed = outbox.claim(email_id, outbox.utc_now())
    outbox.record_sent(email_id, today=LetterRequest.get_by_id(request_id).created_at.date(),
                       claimed=claimed)  # fmt: skip
    assert LetterRequest.get_by_id(request_id).status == RequestStatus.ASKED.value
    account = SmtpAccount(
        display_name="Maya Chen", address=USER, host="127.0.0.1", port=2525,
        security="starttls", username=USER, ca_file=str(ca_file),
        imap_host=dovecot.host, imap_port=dovecot.port,
    )  # fmt: skip
    save_account(account)
    assert secrets.set_password(account.keyring_key, PASSWORD).ok
    return request_id, mentor, message_id


def _shot(widget, name: str, tmp_path: Path) -> Path:
    folder = Path(os.environ.get("LETTERDESK_SCREENSHOT_DIR") or tmp_path)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    assert widget.grab().save(str(path))
    return path


def _reply_arrives(qtbot, window, dovecot, ca_file, message_id, body):
    def watching() -> bool:
        watch = window.reply_watch  # made after the window's first paint
        return watch is not None and "watching" in watch.status

    qtbot.waitUntil(watching, timeout=15000)
    qtbot.wait(300)  # the first look is done; IDLE is waiting
    dovecot.deliver(
        ca_file,
        plain_message(
            sender=f"Rosa Lopez <{WRITER}>",
            subject="Re: Letter of recommendation",
            body=body,
            in_reply_to=message_id,
            references=message_id,
        ),
    )
    today = window.page("today")
    qtbot.waitUntil(lambda: len(today.reply_cards.cards) == 1, timeout=15000)
    return today, today.reply_cards.cards[0]


def test_a_reply_arrives_and_mark_accepted_moves_the_request(
    qtbot, window, dovecot, ca_file, asked, tmp_path
):
    request_id, _mentor, message_id = asked
    window.resize(1280, 720)
    window.show_page("today")
    today, card = _reply_arrives(
        qtbot, window, dovecot, ca_file, message_id,
        "Happy to, send me your CV and personal statement by Friday.\n\n"
        "On Mon, Maya wrote:\n> Dear Dr. Lopez,\n",
    )  # fmt: skip
    assert card.isVisible()
    assert card.title_label.text() == (
        "Dr. Lopez replied just now: “Happy to, send me your CV and personal statement by Friday.”"
    )
    assert list(card.buttons) == [
        "markAccepted", "markDeclined", "logInteraction", "openInMail", "dismissReply",
    ]  # fmt: skip
    qtbot.wait(100)
    _shot(window, "reply-card-1280x720.png", tmp_path)

    qtbot.mouseClick(card.button("markAccepted"), Qt.MouseButton.LeftButton)

    assert LetterRequest.get_by_id(request_id).status == RequestStatus.ACCEPTED.value
    change = (
        StatusChange.select()
        .where((StatusChange.request == request_id) & (StatusChange.to_status == "accepted"))
        .get()
    )
    assert change.from_status == "asked"
    assert "Happy to, send me your CV" in change.note
    assert Reply.get().handled == "accepted"
    qtbot.waitUntil(lambda: not today.reply_cards.cards, timeout=5000)
    assert not today.reply_cards.isVisible()
    assert "marked accepted" in window.statusBar().currentMessage()

    # The request's own page says who replied and what.
    from desktop.ui.requests.request_editor import RequestEditor

    editor = RequestEditor(request_id)
    qtbot.addWidget(editor)
    assert editor.reply_label.text().startswith("Dr. Lopez replied just now: “Happy to, send")


def test_log_as_interaction_keeps_the_reply_in_the_rapport_log(
    qtbot, window, dovecot, ca_file, asked
):
    request_id, mentor, message_id = asked
    window.show_page("today")
    _today, card = _reply_arrives(
        qtbot, window, dovecot, ca_file, message_id, "Let's talk Tuesday."
    )
    qtbot.mouseClick(card.button("logInteraction"), Qt.MouseButton.LeftButton)
    (logged,) = Interaction.select().where(Interaction.mentor == mentor)
    assert (logged.kind, logged.summary) == ("email", "Replied: Let's talk Tuesday.")
    assert LetterRequest.get_by_id(request_id).status == RequestStatus.ASKED.value
    assert reply_store.waiting_replies() == []


def test_with_the_switch_off_nothing_is_watched(qtbot, window, db):
    from desktop.domain.replies import ReplySettings

    reply_store.save_settings(ReplySettings(enabled=False))
    qtbot.waitUntil(lambda: window.reply_watch is not None, timeout=5000)
    window.reply_watch.restart()
    assert not window.reply_watch.is_running()
    assert "switched off" in window.reply_watch.status


def test_mark_declined_runs_the_decline_flow_and_offers_backups(
    qtbot, window, dovecot, ca_file, asked, dialogs
):
    from PySide6.QtWidgets import QPlainTextEdit

    from ..dialogs import button

    request_id, mentor, message_id = asked
    Mentor.create(last_name="Haddad", category="clinical_supervisor", strength=5)  # a backup
    window.show_page("today")
    today, card = _reply_arrives(
        qtbot, window, dovecot, ca_file, message_id, "I'm sorry, I can't this year."
    )
    seen = {}

    def note(dialog):
        assert dialog.objectName() == "moveNoteDialog"
        qtbot.keyClicks(dialog.findChild(QPlainTextEdit, "moveNote"), "Replied: can't this year")
        qtbot.mouseClick(button(dialog, "OK"), Qt.MouseButton.LeftButton)

    def offer(dialog):
        seen["title"] = dialog.objectName()
        qtbot.mouseClick(button(dialog, "Not now"), Qt.MouseButton.LeftButton)

    dialogs.then(note).then(offer)
    qtbot.mouseClick(card.button("markDeclined"), Qt.MouseButton.LeftButton)
    dialogs.check()
    assert LetterRequest.get_by_id(request_id).status == RequestStatus.DECLINED.value
    assert seen["title"] == "backupDialog"
    assert Reply.get().handled == "declined"
    qtbot.waitUntil(lambda: not today.reply_cards.cards, timeout=5000)

    # The mentor page says the writer replied, and what.
    from desktop.ui.common import Target

    window.go_to(Target("mentors", item_id=mentor))
    detail = window.page("mentors").detail
    qtbot.waitUntil(lambda: detail.reply_label.isVisible(), timeout=5000)
    assert (
        detail.reply_label.text() == "Dr. Lopez replied just now: “I'm sorry, I can't this year.”"
    )
