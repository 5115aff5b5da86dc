"""The writers' replies noticed in the inbox, where the watcher stopped in
each account's inbox, and the watcher's settings.

What the watcher needs to decide (the Message-IDs the outbox sent, the
addresses of writers whose requests wait on them) and what Today, the
request and the mentor page show are plain values; no model object leaves
this module.
"""

from __future__ import annotations

import contextlib
import json
from collections.abc import Collection, Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime

import peewee as pw

from desktop.domain.people import mentor_salutation
from desktop.domain.replies import NewReply, ReplySettings, SentRef, WaitingWriter
from desktop.domain.vocabulary import EmailState, InteractionKind, RequestStatus

from .json_values import decoded
from .mentors import InteractionFields, save_interaction
from .models import (
    ImapState,
    LetterRequest,
    Mentor,
    OutgoingEmail,
    Reply,
    Setting,
    database_proxy,
    utc_now,
)
from .requests import move_status
from .today import fk_id

SETTINGS_KEY = "replies.settings"
# A writer is "on" a request while it waits on them: asked (an answer),
# accepted or materials sent (the letter itself).
WAITING_STATUSES = (RequestStatus.ASKED, RequestStatus.ACCEPTED, RequestStatus.MATERIALS_SENT)
HANDLED_CHOICES = frozenset({"accepted", "declined", "logged", "dismissed"})


@dataclass(frozen=True)
class ReplyRow:
    id: int
    message_id: str
    from_address: str
    from_name: str
    subject: str
    snippet: str
    received_at: datetime  # naive UTC
    matched_by: str
    request_id: int | None
    mentor_id: int | None
    mentor_name: str  # "Dr. Lopez", or the From name when no mentor is known
    request_status: str | None
    handled: str


@contextlib.contextmanager
def thread_connection() -> Iterator[None]:
    """The calling thread's own connection (the watcher's thread), closed
    again when it ends if it was opened here."""
    database = database_proxy.obj
    opened_here = database.connect(reuse_if_open=True)
    try:
        yield
    finally:
        if opened_here:
            database.close()


# --- the watcher's settings ------------------------------------------------------------


def load_settings() -> ReplySettings:
    setting = Setting.get_or_none(Setting.key == SETTINGS_KEY)
    if setting is None:
        return ReplySettings()
    data = decoded(setting.value)
    return ReplySettings.from_values(data if isinstance(data, dict) else {})


def save_settings(settings: ReplySettings) -> None:
    with database_proxy.atomic():
        Setting.insert(
            key=SETTINGS_KEY, value=json.dumps(settings.to_values(), sort_keys=True)
        ).on_conflict_replace().execute()


# --- what the watcher matches against ----------------------------------------------------


def sent_refs(message_ids: Collection[str]) -> dict[str, SentRef]:
    """Message-ID → the sent outbox email it names (only those the outbox
    sent; asked for by the ids a batch of new messages refers to)."""
    if not message_ids:
        return {}
    found: dict[str, SentRef] = {}
    ids = list(message_ids)
    for start in range(0, len(ids), 500):  # SQLite's variable limit
        query = OutgoingEmail.select(
            OutgoingEmail.id,
            OutgoingEmail.message_id,
            OutgoingEmail.request,
            OutgoingEmail.mentor,
        ).where(
            OutgoingEmail.message_id.in_(ids[start : start + 500])
            & (OutgoingEmail.state == EmailState.SENT.value)
        )
        rows: list[tuple[int, str, int | None, int | None]] = list(query.tuples())  # type: ignore[arg-type]
        for email_id, message_id, request_id, mentor_id in rows:
            if mentor_id is None and request_id is not None:
                mentor_id = fk_id(LetterRequest.get_by_id(request_id), "mentor")
            found[message_id] = SentRef(email_id, request_id, mentor_id)
    return found


def waiting_writers() -> dict[str, WaitingWriter]:
    """Lower-cased address → the writer and their most recent request that
    waits on them (asked, accepted, materials sent)."""
    query = (
        LetterRequest.select(LetterRequest.id, Mentor.id, Mentor.email)
        .join(Mentor)
        .where(
            LetterRequest.status.in_([s.value for s in WAITING_STATUSES])
            & (Mentor.email != "")
            & (Mentor.archived == False)  # noqa: E712 - peewee expression
        )
        .order_by(LetterRequest.updated_at)
    )
    writers: dict[str, WaitingWriter] = {}
    rows: list[tuple[int, int, str]] = list(query.tuples())  # type: ignore[arg-type]
    for request_id, mentor_id, address in rows:
        writers[address.strip().lower()] = WaitingWriter(mentor_id, request_id)
    return writers


def known_message_ids(message_ids: Collection[str]) -> set[str]:
    if not message_ids:
        return set()
    query = Reply.select(Reply.message_id).where(Reply.message_id.in_(list(message_ids)))
    rows: list[tuple[str]] = list(query.tuples())  # type: ignore[arg-type]
    return {row[0] for row in rows}


def save_replies(replies: Iterable[NewReply]) -> list[int]:
    """Keep the new replies (one per Message-ID); the ids of those kept."""
    kept: list[int] = []
    with database_proxy.atomic():
        for reply in replies:
            cursor = (
                Reply.insert(
                    message_id=reply.message_id,
                    from_address=reply.from_address,
                    from_name=reply.from_name,
                    subject=reply.subject,
                    snippet=reply.snippet,
                    received_at=reply.received_at,
                    matched_by=reply.matched_by,
                    request=reply.request_id,
                    mentor=reply.mentor_id,
                    email=reply.email_id,
                )
                .on_conflict_ignore()
                .execute()
            )
            if cursor:
                kept.append(int(cursor))
    return kept


# --- where the watcher stopped -------------------------------------------------------------


def load_state(account_key: str) -> tuple[int, int] | None:
    """(UIDVALIDITY, next UID) of the account's inbox, or ``None`` at first."""
    row = ImapState.get_or_none(ImapState.account_key == account_key)
    return None if row is None else (int(row.uid_validity), int(row.next_uid))


def save_state(account_key: str, uid_validity: int, next_uid: int) -> None:
    with database_proxy.atomic():
        ImapState.insert(
            account_key=account_key,
            uid_validity=uid_validity,
            next_uid=next_uid,
            updated_at=utc_now(),
        ).on_conflict_replace().execute()


# --- what the pages show --------------------------------------------------------------------


def _rows(query: pw.ModelSelect[Reply]) -> list[ReplyRow]:
    rows = []
    for reply in query:
        mentor = reply.mentor
        request = reply.request
        rows.append(
            ReplyRow(
                id=reply.id,
                message_id=reply.message_id,
                from_address=reply.from_address,
                from_name=reply.from_name,
                subject=reply.subject,
                snippet=reply.snippet,
                received_at=reply.received_at,
                matched_by=reply.matched_by,
                request_id=None if request is None else request.id,
                mentor_id=None if mentor is None else mentor.id,
                mentor_name=_short_name(mentor) if mentor is not None else reply.from_name,
                request_status=None if request is None else request.status,
                handled=reply.handled,
            )
        )
    return rows


def _short_name(mentor: Mentor) -> str:
    # The way the email greets them: "Dr." inferred from an MD when no
    # honorific is set (issue 12).
    name = mentor_salutation(
        mentor.honorific, mentor.first_name, mentor.last_name, mentor.credentials
    )
    return name or mentor.email


def _select() -> pw.ModelSelect[Reply]:
    return (
        Reply.select(Reply, Mentor, LetterRequest)
        .join(Mentor, on=(Reply.mentor == Mentor.id), join_type=pw.JOIN.LEFT_OUTER)
        .switch(Reply)
        .join(LetterRequest, on=(Reply.request == LetterRequest.id), join_type=pw.JOIN.LEFT_OUTER)
    )


def waiting_replies() -> list[ReplyRow]:
    """Replies the user has not acted on yet, newest first (Today's cards)."""
    return _rows(_select().where(Reply.handled == "").order_by(Reply.received_at.desc()))


def latest_for_request(request_id: int) -> ReplyRow | None:
    rows = _rows(
        _select().where(Reply.request == request_id).order_by(Reply.received_at.desc()).limit(1)
    )
    return rows[0] if rows else None


def latest_for_mentor(mentor_id: int) -> ReplyRow | None:
    rows = _rows(
        _select().where(Reply.mentor == mentor_id).order_by(Reply.received_at.desc()).limit(1)
    )
    return rows[0] if rows else None


def get_reply(reply_id: int) -> ReplyRow:
    rows = _rows(_select().where(Reply.id == reply_id))
    if not rows:
        raise LookupError(f"reply {reply_id} is gone")
    return rows[0]


# --- acting on a reply ------------------------------------------------------------------------


def _mark(reply_id: int, how: str) -> None:
    assert how in HANDLED_CHOICES, how
    Reply.update(handled=how).where(Reply.id == reply_id).execute()


def mark_accepted(reply_id: int, *, today: date) -> None:
    """The writer said yes: the request moves to accepted (recorded in its
    history with the reply's first words), and the card goes."""
    reply = get_reply(reply_id)
    with database_proxy.atomic():
        if reply.request_id is not None:
            note = f"Reply from {reply.mentor_name}: {reply.snippet}".strip()
            move_status(reply.request_id, RequestStatus.ACCEPTED, note=note, on=today, today=today)
        _mark(reply_id, "accepted")


def mark_declined(reply_id: int) -> None:
    """The card goes; the decline itself is the request's decline flow
    (its note and the backup writers), which the UI runs."""
    _mark(reply_id, "declined")


def mark_dismissed(reply_id: int) -> None:
    _mark(reply_id, "dismissed")


def log_as_interaction(reply_id: int, *, today: date) -> int | None:
    """Keep the reply in the writer's rapport log; the new interaction's id
    (``None`` without a known writer)."""
    reply = get_reply(reply_id)
    with database_proxy.atomic():
        interaction = None
        if reply.mentor_id is not None:
            summary = f"Replied: {reply.snippet}" if reply.snippet else f"Replied: {reply.subject}"
            interaction = save_interaction(
                reply.mentor_id,
                InteractionFields(reply.received_at.date(), InteractionKind.EMAIL.value, summary),
            )
        _mark(reply_id, "logged")
    del today  # the interaction is dated by the reply itself
    return interaction


def note_sent_copy_problem(email_id: int, text: str) -> None:
    """Add why no copy reached the Sent folder to a sent email's note (the
    Outbox shows it; the email stays sent)."""
    with database_proxy.atomic():
        email = OutgoingEmail.get_or_none(OutgoingEmail.id == email_id)
        if email is None:
            return
        note = " ".join(part for part in (email.last_error, text) if part)
        OutgoingEmail.update(last_error=note).where(OutgoingEmail.id == email_id).execute()
