"""The reply watcher against a real Dovecot (imap_server.py) on a real
SQLite file: replies put in by APPEND, found by their thread headers or
their sender, only new messages read, nothing marked as read."""

from __future__ import annotations

import threading
import time
from dataclasses import replace
from datetime import date
from email.message import EmailMessage

import pytest

from desktop.domain.replies import ReplySettings
from desktop.domain.vocabulary import RequestStatus
from desktop.services.mail.imap import FailureKind, ImapFailure, connect, login_for
from desktop.services.mail.imap_replies import ReplyWatcher, account_key, check_now
from desktop.store import outbox
from desktop.store import replies as store
from desktop.store.models import Cycle, Mentor, Reply
from desktop.store.outbox import EmailFields
from desktop.store.requests import RequestFields, create_request, move_status

from .imap_server import OTHER_PASSWORD, OTHER_USER, PASSWORD, USER, plain_message
from .smtp_server import closed_port

WRITER = "rlopez@hospital.example"
TODAY = date(2026, 4, 21)


@pytest.fixture
def writer(db) -> int:
    return Mentor.create(
        honorific="Dr.",
        first_name="Rosa",
        last_name="Lopez",
        category="clinical_supervisor",
        email=WRITER,
    ).id


@pytest.fixture
def request_id(db, writer) -> int:
    cycle = Cycle.create(service="eras_residency", name="ERAS 2027", max_letters_per_program=4)
    return create_request(RequestFields(mentor_id=writer, cycle_id=cycle.id, waiver=True))


def _sent_email(request_id: int, writer: int) -> str:
    """An email the outbox sent to the writer; its Message-ID."""
    email_id = outbox.create_draft(
        EmailFields(to_addrs=WRITER, subject="Letter of recommendation", body="Dear Dr. Lopez"),
        request_id=request_id,
        mentor_id=writer,
        template_purpose="request",
    )
    message_id = outbox.queue(email_id, domain="example.org")
    claimed = outbox.claim(email_id, outbox.utc_now())
    assert claimed is not None
    outbox.record_sent(email_id, today=TODAY, claimed=claimed)
    return message_id


@pytest.fixture
def imap_account(dovecot, account):
    return dovecot.account(account)


def _check(imap_account):
    return check_now(imap_account, login_for(imap_account, PASSWORD))


def _replies() -> list[store.ReplyRow]:
    return store.waiting_replies()


def test_a_reply_in_the_thread_is_found_with_its_first_words(
    db, dovecot, imap_account, ca_file, request_id, writer
):
    message_id = _sent_email(request_id, writer)
    _check(imap_account)  # the first look: nothing yet
    dovecot.deliver(
        ca_file,
        plain_message(
            sender=f"Rosa Lopez <{WRITER}>",
            subject="Re: Letter of recommendation",
            body="Happy to, send me your CV and personal statement.\n\n"
            "On Mon, Apr 20, 2026 at 9:00 AM Maya wrote:\n> Dear Dr. Lopez,\n> would you...\n",
            in_reply_to=message_id,
            references=message_id,
        ),
    )
    result = _check(imap_account)
    assert len(result.reply_ids) == 1 and result.headers_read == 1 and result.texts_read == 1
    (reply,) = _replies()
    assert reply.matched_by == "thread"
    assert reply.request_id == request_id and reply.mentor_id == writer
    assert reply.mentor_name == "Dr. Lopez"
    assert reply.snippet == "Happy to, send me your CV and personal statement."
    assert "would you" not in reply.snippet  # the quoted thread is not kept


def test_a_message_from_a_waiting_writer_counts_without_thread_headers(
    db, dovecot, imap_account, ca_file, request_id, writer
):
    _check(imap_account)
    move_status(request_id, RequestStatus.ASKED, on=TODAY, today=TODAY)
    dovecot.deliver(
        ca_file,
        plain_message(sender=WRITER.upper(), subject="Your letter", body="Yes, I will write it."),
    )
    dovecot.deliver(
        ca_file, plain_message(sender="news@school.example", subject="Newsletter", body="Hi all")
    )
    result = _check(imap_account)
    assert result.headers_read == 2 and result.texts_read == 1  # the newsletter's text unread
    (reply,) = _replies()
    assert (reply.matched_by, reply.request_id, reply.from_address) == (
        "sender",
        request_id,
        WRITER,
    )


def test_a_writer_with_nothing_waiting_is_not_a_reply(db, dovecot, imap_account, ca_file, writer):
    _check(imap_account)
    dovecot.deliver(ca_file, plain_message(sender=WRITER, subject="Lunch?", body="Lunch Friday?"))
    assert _check(imap_account).reply_ids == []


def test_a_message_quoting_the_whole_thread_is_not_a_new_reply(
    db, dovecot, imap_account, ca_file, request_id, writer
):
    message_id = _sent_email(request_id, writer)
    _check(imap_account)
    quoted_only = (
        "On Mon, Apr 20, 2026 at 9:00 AM Rosa Lopez <rlopez@hospital.example> wrote:\n"
        "> Happy to, send me your CV.\n>\n> On Sun, Maya wrote:\n>> Dear Dr. Lopez,\n"
    )
    dovecot.deliver(
        ca_file,
        plain_message(
            sender=WRITER, subject="Fwd: Re: Letter", body=quoted_only, references=message_id
        ),
    )
    outlook_quote = (
        "-----Original Message-----\nFrom: Maya\nSent: Monday\nSubject: Letter\n\nDear Dr. Lopez"
    )
    dovecot.deliver(
        ca_file,
        plain_message(
            sender=WRITER, subject="RE: Letter", body=outlook_quote, in_reply_to=message_id
        ),
    )
    assert _check(imap_account).reply_ids == []
    assert Reply.select().count() == 0


def test_the_applicants_own_copy_is_not_a_reply(
    db, dovecot, imap_account, ca_file, request_id, writer
):
    message_id = _sent_email(request_id, writer)
    _check(imap_account)
    dovecot.deliver(
        ca_file,
        plain_message(
            sender=USER, subject="Re: Letter", body="Following up.", references=message_id
        ),
    )
    assert _check(imap_account).reply_ids == []


def test_other_charsets_and_html_only_bodies_are_recognised(
    db, dovecot, imap_account, ca_file, request_id, writer
):
    message_id = _sent_email(request_id, writer)
    _check(imap_account)
    latin = plain_message(
        sender="=?iso-8859-1?q?Jos=E9_L=F3pez?= <" + WRITER + ">",
        subject="Re: Carta de recomendación",
        body="Con mucho gusto, envíeme su currículum.",
        in_reply_to=message_id,
        charset="iso-8859-1",
    )
    del latin["Message-ID"]
    latin["Message-ID"] = "<latin-1@hospital.example>"
    dovecot.deliver(ca_file, latin)

    html_only = EmailMessage()
    html_only["From"] = WRITER
    html_only["To"] = USER
    html_only["Subject"] = "=?shift_jis?b?grGC8YLJgr+CzQ==?="  # こんにちは
    html_only["Message-ID"] = "<html-only@hospital.example>"
    html_only["In-Reply-To"] = message_id
    html_only.set_content(
        "<html><head><style>p{}</style></head><body><p>推薦状を書きます。</p>"
        '<div class="gmail_quote">On Mon, Maya wrote:<blockquote>Dear Dr. Lopez'
        "</blockquote></div></body></html>",
        subtype="html",
        charset="shift_jis",
        cte="base64",
    )
    dovecot.deliver(ca_file, html_only)

    assert len(_check(imap_account).reply_ids) == 2
    snippets = {r.message_id: (r.snippet, r.from_name, r.subject) for r in _replies()}
    assert snippets["<latin-1@hospital.example>"] == (
        "Con mucho gusto, envíeme su currículum.",
        "José López",
        "Re: Carta de recomendación",
    )
    assert snippets["<html-only@hospital.example>"] == ("推薦状を書きます。", "", "こんにちは")


def test_only_new_messages_are_read_and_none_is_marked_as_read(
    db, dovecot, imap_account, ca_file, request_id, writer
):
    for n in range(5):
        dovecot.deliver(ca_file, plain_message(sender="a@b.example", subject=f"{n}", body="x"))
    first = _check(imap_account)
    assert first.headers_read == 5  # the first look: the last 30 days
    assert _check(imap_account).headers_read == 0
    dovecot.deliver(ca_file, plain_message(sender="a@b.example", subject="new", body="x"))
    again = _check(imap_account)
    assert again.headers_read == 1 and again.next_uid == first.next_uid + 1
    conn = dovecot.connect(ca_file)
    try:
        conn.select("INBOX", readonly=True)
        typ, data = conn.search(None, "SEEN")
        assert typ == "OK" and data == [b""]  # not one message marked as read
    finally:
        conn.logout()


def test_a_renumbered_mailbox_is_looked_at_afresh(db, dovecot, imap_account, ca_file):
    dovecot.deliver(ca_file, plain_message(sender="a@b.example", subject="1", body="x"))
    first = _check(imap_account)
    key = account_key(imap_account, _server(imap_account))
    store.save_state(key, first.uid_validity + 1, first.next_uid)  # as if renumbered
    assert _check(imap_account).headers_read == 1
    assert store.load_state(key) == (first.uid_validity, first.next_uid)


def _server(account):
    from desktop.services.mail.imap import imap_server_for

    return imap_server_for(account)


def test_a_non_ascii_password_logs_in(dovecot, account, ca_file):
    other = replace(dovecot.account(account), username=OTHER_USER, address=OTHER_USER)
    conn = connect(other, login_for(other, OTHER_PASSWORD))
    assert conn.state == "AUTH"
    conn.logout()


# --- the watcher ------------------------------------------------------------------------------


def _watch(account, password, **kwargs):
    statuses: list[str] = []
    found: list[int] = []
    stop = threading.Event()
    watcher = ReplyWatcher(
        account,
        login_for(account, password),
        ReplySettings(),
        on_replies=found.extend,
        on_status=statuses.append,
        stop=stop,
        retry_seconds=0.2,
        **kwargs,
    )
    thread = threading.Thread(target=watcher.run, daemon=True)
    thread.start()
    return watcher, thread, stop, statuses, found


def _wait_for(condition, seconds=10.0):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.05)
    return False


@pytest.mark.parametrize("server", ["dovecot", "dovecot_no_idle"])
def test_the_watcher_sees_a_reply_arrive(db, request, server, account, ca_file, request_id, writer):
    imap = request.getfixturevalue(server)
    imap_account = imap.account(account)
    message_id = _sent_email(request_id, writer)
    _watcher, thread, stop, statuses, found = _watch(imap_account, PASSWORD, poll_seconds=0.3)
    try:
        assert _wait_for(lambda: any("watching" in s for s in statuses))
        expected = "as mail arrives" if server == "dovecot" else "every 5 min"
        assert expected in statuses[0]
        time.sleep(0.3)  # the first look has been made
        imap.deliver(
            ca_file,
            plain_message(sender=WRITER, subject="Re", body="Yes!", in_reply_to=message_id),
        )
        assert _wait_for(lambda: len(found) == 1)
        assert Reply.get_by_id(found[0]).snippet == "Yes!"
    finally:
        stop.set()
        thread.join(10)
    assert not thread.is_alive()


def test_an_unreachable_server_is_a_quiet_status_and_retried(db, account):
    unreachable = replace(account, imap_host="127.0.0.1", imap_port=closed_port())
    _watcher, thread, stop, statuses, _found = _watch(unreachable, PASSWORD)
    try:
        assert _wait_for(lambda: len(statuses) >= 2)  # tried again, quietly
    finally:
        stop.set()
        thread.join(10)
    assert statuses[0].startswith("Replies: cannot reach 127.0.0.1")
    assert "trying again later" in statuses[0]


def test_a_refused_login_stops_the_watcher_until_the_account_changes(db, dovecot, account):
    imap_account = dovecot.account(account)
    watcher, thread, _stop, statuses, _found = _watch(imap_account, "wrong password")
    thread.join(15)
    assert not thread.is_alive()  # no retry every minute: that would lock the account
    assert watcher.stopped_by is not None and watcher.stopped_by.kind is FailureKind.AUTH
    assert statuses == [watcher.stopped_by.status]
    assert "refused the login" in statuses[0] and "wrong password" not in statuses[0]
    assert dovecot.log().count("auth failed") + dovecot.log().count("Authentication failed") <= 1


def test_no_saved_password_is_a_quiet_status(db, account):
    with pytest.raises(ImapFailure) as failure:
        login_for(account, None)
    assert failure.value.kind is FailureKind.AUTH
    assert "password is not saved" in failure.value.status
