"""Which message is a reply, what of it is new, and how it is told."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from desktop.domain.replies import (
    IncomingMessage,
    SentRef,
    WaitingWriter,
    ago_text,
    match_reply,
    new_text,
    replied_text,
    snippet_of,
)

NOW = datetime(2026, 4, 21, 15, 0)


def _message(**changes) -> IncomingMessage:
    values = dict(
        uid=7,
        message_id="<r@h.example>",
        from_address="RLopez@H.example",
        from_name="Rosa Lopez",
        subject="Re: Letter",
        date=NOW - timedelta(hours=2),
        in_reply_to=(),
        references=(),
        text="Happy to.",
    )
    values.update(changes)
    return IncomingMessage(**values)


SENT = {"<sent@me.example>": SentRef(3, 11, 5)}
WRITERS = {"rlopez@h.example": WaitingWriter(5, 12)}


def test_a_message_naming_a_sent_id_is_a_thread_reply_for_that_request():
    reply = match_reply(
        _message(references=("<other@x>", "<sent@me.example>")), SENT, {}, fallback_time=NOW
    )
    assert reply is not None
    assert (reply.matched_by, reply.request_id, reply.email_id) == ("thread", 11, 3)
    assert reply.from_address == "rlopez@h.example"


def test_a_waiting_writers_message_is_a_reply_by_sender():
    reply = match_reply(_message(), {}, WRITERS, fallback_time=NOW)
    assert reply is not None and (reply.matched_by, reply.request_id) == ("sender", 12)


@pytest.mark.parametrize(
    "changes",
    [
        {"from_address": "someone@else.example"},
        {"auto_submitted": True},
        {"text": "> Happy to.\n> Maya wrote"},
        {"text": "On Mon, 20 Apr 2026, Maya <m@x> wrote:\n> Dear Dr. Lopez"},
        {"text": "\n-- \nRosa Lopez, MD"},
    ],
)
def test_not_a_reply(changes):
    assert match_reply(_message(**changes), SENT, WRITERS, fallback_time=NOW) is None


def test_own_address_is_never_a_reply():
    own = frozenset({"rlopez@h.example"})
    assert match_reply(_message(), SENT, WRITERS, own_addresses=own, fallback_time=NOW) is None


def test_new_text_stops_at_the_quoted_history():
    text = (
        "Yes — send me your CV.\n\nOn Mon, Apr 20, 2026 at 9:00 AM Maya Chen\n"
        "<maya@x.example> wrote:\n> Dear Dr. Lopez,\n"
    )
    assert new_text(text) == "Yes — send me your CV."
    assert new_text("Sure.\n\n-----Original Message-----\nFrom: Maya") == "Sure."
    assert new_text("Sure.\nFrom: Maya Chen\nSent: Monday\nTo: R") == "Sure."


def test_snippets_cut_at_a_word():
    assert snippet_of("Happy to, send me your CV and statement", 24) == "Happy to, send me your…"
    assert snippet_of("  short\n text ") == "short text"


@pytest.mark.parametrize(
    "delta, text",
    [
        (timedelta(seconds=20), "just now"),
        (timedelta(minutes=1), "1 minute ago"),
        (timedelta(minutes=59), "59 minutes ago"),
        (timedelta(hours=2), "2 hours ago"),
        (timedelta(hours=25), "yesterday"),
        (timedelta(days=13), "13 days ago"),
        (timedelta(days=30), "on 22 Mar 2026"),
    ],
)
def test_ago(delta, text):
    assert ago_text(NOW - delta, NOW) == text


def test_the_replied_sentence():
    assert (
        replied_text("Dr. Lopez", NOW - timedelta(hours=2), "Happy to, send me your CV", NOW, 24)
        == "Dr. Lopez replied 2 hours ago: “Happy to, send me your…”"
    )


def test_mail_app_links():
    from desktop.domain.replies import mail_app_link

    assert mail_app_link("<a+b/c@h.example>", "imap.gmail.com") == (
        "https://mail.google.com/mail/u/0/#search/rfc822msgid%3Aa%2Bb%2Fc@h.example"
    )
    assert mail_app_link("<x.1@h.example>", "imap.mail.me.com") == "mid:x.1@h.example"


def test_a_mail_app_link_encodes_a_non_ascii_message_id_as_utf8():
    """RFC 6532 allows UTF-8 in a Message-ID; a URL carries it as UTF-8
    octets. "é" went into the link raw and "€" as "%20AC"."""
    from desktop.domain.replies import mail_app_link

    assert mail_app_link("<é€@h.example>", "imap.mail.me.com") == "mid:%C3%A9%E2%82%AC@h.example"
