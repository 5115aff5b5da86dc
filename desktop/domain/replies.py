"""Which new inbox message is a writer's reply, and what of it is new.

Two kinds of message count (issue 15):

- one whose ``In-Reply-To`` or ``References`` names a Message-ID the
  outbox sent ("thread");
- one from a writer's address while one of their requests waits on them
  ("sender").

A message that only quotes the thread back (a forward, a client that
re-sends the conversation, an auto-reply carrying the original) has no new
text and is not a new reply; the snippet is the first lines of the new
text, never the quoted ones.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from urllib.parse import quote

SNIPPET_CHARS = 160
POLL_CHOICES_MINUTES = (1, 5, 10, 15, 30, 60)


@dataclass(frozen=True)
class ReplySettings:
    """The switch for noticing replies, the polling interval (used where
    the server has no IDLE), whether a reply raises a desktop notification,
    and whether sent emails are copied to the Sent folder."""

    enabled: bool = True
    poll_minutes: int = 5
    notify: bool = True
    sent_copy: bool = True

    @classmethod
    def from_values(cls, data: Mapping[str, object]) -> ReplySettings:
        minutes = data.get("poll_minutes", 5)
        if not isinstance(minutes, int) or isinstance(minutes, bool) or not 1 <= minutes <= 1440:
            minutes = 5
        return cls(
            enabled=data.get("enabled", True) is not False,
            poll_minutes=minutes,
            notify=data.get("notify", True) is not False,
            sent_copy=data.get("sent_copy", True) is not False,
        )

    def to_values(self) -> dict[str, object]:
        return {
            "enabled": self.enabled,
            "poll_minutes": self.poll_minutes,
            "notify": self.notify,
            "sent_copy": self.sent_copy,
        }


@dataclass(frozen=True)
class SentRef:
    email_id: int
    request_id: int | None
    mentor_id: int | None


@dataclass(frozen=True)
class WaitingWriter:
    mentor_id: int
    request_id: int


@dataclass(frozen=True)
class IncomingMessage:
    """The few things read of a new message: headers and its first text."""

    uid: int
    message_id: str
    from_address: str
    from_name: str
    subject: str
    date: datetime | None  # naive UTC
    in_reply_to: tuple[str, ...]
    references: tuple[str, ...]
    text: str  # the start of its text, plain (HTML already turned to text)
    auto_submitted: bool = False  # RFC 3834: an autoresponder's, not a person's


@dataclass(frozen=True)
class NewReply:
    message_id: str
    from_address: str
    from_name: str
    subject: str
    snippet: str
    received_at: datetime
    matched_by: str  # "thread" or "sender"
    request_id: int | None
    mentor_id: int | None
    email_id: int | None


_MESSAGE_ID = re.compile(r"<[^<>\s]+>")


def message_ids_in(header: str) -> tuple[str, ...]:
    """The ``<...>`` ids in an In-Reply-To or References header, in order."""
    return tuple(_MESSAGE_ID.findall(header or ""))


# Where quoted history starts in the common clients: "On <date>, X wrote:"
# (Gmail, Apple Mail, Thunderbird; also split over two lines), Outlook's
# "-----Original Message-----" and its "From: … Sent: …" block, and the
# forwarded-message markers.
_HISTORY = re.compile(
    r"^\s*(?:"
    r"On\b.{0,200}?\bwrote:\s*$"
    r"|-{2,}\s*Original Message\s*-{2,}"
    r"|-{2,}\s*Forwarded message\s*-{2,}"
    r"|Begin forwarded message:"
    r"|From:\s.+\n\s*(?:Sent|Date):\s"
    r"|_{10,}\s*$"
    r")",
    re.IGNORECASE | re.MULTILINE | re.DOTALL,
)
_SIGNATURE = re.compile(r"^-- ?$", re.MULTILINE)


def new_text(text: str) -> str:
    """The message's own words: without quoted lines (``>``), the history
    below a client's "On … wrote:" or "Original Message" line, and the
    signature."""
    cut = _HISTORY.search(text)
    if cut is not None:
        text = text[: cut.start()]
    signature = _SIGNATURE.search(text)
    if signature is not None:
        text = text[: signature.start()]
    lines = [line for line in text.splitlines() if not line.lstrip().startswith(">")]
    return "\n".join(lines).strip()


def snippet_of(text: str, limit: int = SNIPPET_CHARS) -> str:
    """The first words, on one line, cut at a word with "…"."""
    flat = " ".join(text.split())
    if len(flat) <= limit:
        return flat
    cut = flat[:limit].rsplit(" ", 1)[0].rstrip(",;:.-— ")
    return cut + "…"


def match_reply(
    message: IncomingMessage,
    sent: Mapping[str, SentRef],
    writers: Mapping[str, WaitingWriter],
    *,
    own_addresses: frozenset[str] = frozenset(),
    fallback_time: datetime,
) -> NewReply | None:
    """The reply this message is, or ``None``.

    ``sent`` maps the outbox's sent Message-IDs (at least those the message
    names) to their email; ``writers`` lower-cased addresses to a waiting
    request. A message from the applicant themselves (a copy, or an email
    sent from another client in the thread) is not a reply, nor one with
    no new text, nor an autoresponder's ("out of office")."""
    sender = message.from_address.strip().lower()
    if not sender or sender in own_addresses or message.auto_submitted:
        return None
    text = new_text(message.text)
    if not text:
        return None  # only the quoted thread: nothing new was said
    ref: SentRef | None = None
    for named in (*message.in_reply_to, *reversed(message.references)):
        if named in sent:
            ref = sent[named]
            break
    if ref is not None:
        writer = writers.get(sender)
        request_id = ref.request_id
        mentor_id = ref.mentor_id
        if request_id is None and writer is not None:
            request_id, mentor_id = writer.request_id, writer.mentor_id
        matched_by, email_id = "thread", ref.email_id
    elif (writer := writers.get(sender)) is not None:
        request_id, mentor_id, matched_by, email_id = (
            writer.request_id,
            writer.mentor_id,
            "sender",
            None,
        )
    else:
        return None
    return NewReply(
        message_id=message.message_id or f"<uid-{message.uid}@letterdesk.invalid>",
        from_address=sender,
        from_name=message.from_name,
        subject=message.subject,
        snippet=snippet_of(text),
        received_at=message.date or fallback_time,
        matched_by=matched_by,
        request_id=request_id,
        mentor_id=mentor_id,
        email_id=email_id,
    )


def ago_text(moment: datetime, now: datetime) -> str:
    """ "just now", "5 minutes ago", "2 hours ago", "yesterday", "3 days ago"
    (both naive UTC)."""
    seconds = max(0, int((now - moment).total_seconds()))
    if seconds < 60:
        return "just now"
    minutes = seconds // 60
    if minutes < 60:
        return "1 minute ago" if minutes == 1 else f"{minutes} minutes ago"
    hours = minutes // 60
    if hours < 24:
        return "1 hour ago" if hours == 1 else f"{hours} hours ago"
    days = hours // 24
    if days == 1:
        return "yesterday"
    if days < 14:
        return f"{days} days ago"
    return f"on {moment:%d %b %Y}".replace(" 0", " ")


def replied_text(name: str, moment: datetime, snippet: str, now: datetime, limit: int = 40) -> str:
    """What the request and the mentor page say:
    "Dr. Lopez replied 2 hours ago: “Happy to, send me your…”"."""
    words = snippet_of(snippet, limit)
    said = f": “{words}”" if words else ""
    return f"{name or 'The writer'} replied {ago_text(moment, now)}{said}"


def mail_app_link(message_id: str, imap_host: str) -> str:
    """Where "Open in mail app" goes: Gmail's web search for the message
    (``rfc822msgid:``) for a Gmail account; elsewhere a ``mid:`` URL
    (RFC 2392), which desktop mail apps that register it open."""
    bare = message_id.strip().removeprefix("<").removesuffix(">")
    quoted = quote(bare, safe="@")  # letters, digits and -._~ stay as they are
    if imap_host.strip().lower() in ("imap.gmail.com", "smtp.gmail.com"):
        return f"https://mail.google.com/mail/u/0/#search/rfc822msgid%3A{quoted}"
    return f"mid:{quoted}"
