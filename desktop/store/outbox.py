"""The outbox: every outgoing email and its life, draft to sent.

States (``EmailState``): draft → queued (or scheduled, with ``send_after``)
→ sending → sent or failed. The rules that keep a letter request from ever
getting two different emails, or the same one twice:

- The Message-ID is given when the email is first queued or scheduled,
  before any attempt, and never changes (not on edit, not on retry).
- Only a queued email, or a scheduled one whose time has come, can be
  claimed for sending; claiming is one conditional UPDATE, so two senders
  can never both take it. A sent email is never claimed again.
- "sending" means an attempt began and its outcome is not known: the
  sender is at it, LetterDesk stopped mid-way, or the connection dropped
  while the server was taking the message. Such an email is not sent again
  on its own; the user checks and chooses ``retry`` (the same message, same
  Message-ID, so a server can recognise a duplicate) or ``confirm_sent``.
- What a sent email means for its request (asked, materials sent, reminded,
  thanked) is recorded in the same transaction as the "sent" state.
- Every Message-ID a server took is also written to the sent ledger
  (``sent_ledger``, a file the restore does not replace) before the
  database says "sent". A restore or an import brings unsent emails back
  "held" (``restored.prepare_restored_file``); a held email waits for the
  user (``release_held``), and one whose Message-ID the ledger lists is
  never claimed again.
"""

from __future__ import annotations

import contextlib
import json
import re
from collections.abc import Collection, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime
from email.utils import make_msgid
from pathlib import Path

import peewee as pw

from desktop.domain.mail_domains import ascii_domain
from desktop.domain.people import mentor_display_name
from desktop.domain.status import ASKED_OR_LATER
from desktop.domain.validation import email_address, no_control_characters
from desktop.domain.vocabulary import EmailState, RequestEventKind, RequestStatus, TemplatePurpose
from desktop.errors import UserError

from . import sent_ledger
from .models import (
    Document,
    LetterRequest,
    Mentor,
    OutgoingEmail,
    SharedDocument,
    database_proxy,
)
from .models import utc_now as utc_now  # the outbox's clock, for its callers too
from .requests import RequestError, log_event, move_status
from .today import fk_id, fk_id_or_none

S = EmailState
EDITABLE_STATES = frozenset({S.DRAFT, S.SCHEDULED, S.QUEUED, S.FAILED, S.HELD})
INTERRUPTED_MESSAGE = (
    "LetterDesk stopped while sending this email, so it is not known whether it went out. "
    "Check with the recipient or in your mailbox's Sent folder, then choose Retry (the very "
    "same message) or Mark as sent."
)
ALREADY_SENT_MESSAGE = (
    "This email was already sent (its Message-ID is in LetterDesk's record of sent "
    "email), so it will not be sent again by itself. To send it once more, choose "
    "Copy as new draft."
)


class OutboxError(UserError):
    """A change the user asked for that cannot be made; ``user_message`` says why."""


@dataclass(frozen=True)
class AttachmentRef:
    """One attachment: a stored document version (``document_id``) or a
    generated file (``path``, e.g. the writer's summary PDF)."""

    name: str
    document_id: int | None = None
    path: str | None = None

    def to_data(self) -> dict[str, object]:
        data: dict[str, object] = {"name": self.name}
        if self.document_id is not None:
            data["document_id"] = self.document_id
        if self.path is not None:
            data["path"] = self.path
        return data


def attachments_to_json(refs: Collection[AttachmentRef]) -> str:
    return json.dumps([ref.to_data() for ref in refs], ensure_ascii=False)


def attachments_from_json(text: str) -> tuple[AttachmentRef, ...]:
    """Tolerant of the first format (a bare list of document ids). The text
    may come from an archive: an item this module never writes is left out."""
    try:
        items = json.loads(text or "[]")
    except (ValueError, RecursionError):  # RecursionError: "[[[[…" past json's depth
        return ()
    refs = []
    for item in items if isinstance(items, list) else []:
        if _is_id(item):
            refs.append(AttachmentRef(name="", document_id=item))
        elif isinstance(item, dict):
            did = item.get("document_id")
            if did is not None and not _is_id(did):
                continue
            refs.append(
                AttachmentRef(
                    name=str(item.get("name", "")),
                    document_id=did,
                    path=str(item["path"]) if item.get("path") else None,
                )
            )
    return tuple(refs)


def _is_id(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


@dataclass(frozen=True)
class EmailFields:
    """What the compose window edits."""

    to_addrs: str
    subject: str
    body: str
    cc_addrs: str = ""
    attachments: tuple[AttachmentRef, ...] = ()


@dataclass(frozen=True)
class OutboxEmail:
    """One email as the Outbox table and the sender see it."""

    id: int
    state: EmailState
    to_addrs: str
    cc_addrs: str
    subject: str
    body: str
    attachments: tuple[AttachmentRef, ...]
    message_id: str | None
    send_after: datetime | None  # UTC
    attempts: int
    last_error: str
    template_purpose: str | None
    request_id: int | None
    mentor_id: int | None
    created_at: datetime  # UTC
    sent_at: datetime | None  # UTC

    @property
    def fields(self) -> EmailFields:
        return EmailFields(self.to_addrs, self.subject, self.body, self.cc_addrs, self.attachments)

    @property
    def outcome_unclear(self) -> bool:
        """An attempt began and its outcome is unknown (unless the caller's
        own batch is sending it right now)."""
        return self.state is S.SENDING

    @property
    def editable(self) -> bool:
        return self.state in EDITABLE_STATES


def _moment(value: object) -> datetime | None:
    if value is None:
        return None
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    assert isinstance(value, datetime)
    return value


def _utc(moment: datetime) -> datetime:
    """Naive UTC, as the database stores moments."""
    return moment.astimezone(UTC).replace(tzinfo=None) if moment.tzinfo else moment


def _email(row: OutgoingEmail) -> OutboxEmail:
    return OutboxEmail(
        id=row.id,
        state=S(row.state),
        to_addrs=row.to_addrs,
        cc_addrs=row.cc_addrs,
        subject=row.subject,
        body=row.body,
        attachments=attachments_from_json(row.attachments),
        message_id=row.message_id,
        send_after=_moment(row.send_after),
        attempts=row.attempts,
        last_error=row.last_error,
        template_purpose=row.template_purpose,
        request_id=fk_id_or_none(row, "request"),
        mentor_id=fk_id_or_none(row, "mentor"),
        created_at=_moment(row.created_at) or utc_now(),
        sent_at=_moment(row.sent_at),
    )


def get_email(email_id: int) -> OutboxEmail:
    row = OutgoingEmail.get_or_none(OutgoingEmail.id == email_id)
    if row is None:
        raise OutboxError("This email no longer exists; it may have been deleted.")
    return _email(row)


def list_outbox(states: Collection[EmailState | str] | None = None) -> list[OutboxEmail]:
    """Newest first; all states unless ``states`` is given."""
    query = OutgoingEmail.select().order_by(
        OutgoingEmail.created_at.desc(), OutgoingEmail.id.desc()
    )
    if states is not None:
        query = query.where(OutgoingEmail.state.in_([S(s).value for s in states]))
    return [_email(row) for row in query]


@dataclass(frozen=True)
class OutboxRow:
    """One Outbox table row: the email and the request it is about."""

    email: OutboxEmail
    about: str  # the linked request, e.g. "Dr. Okafor · Internal Medicine"

    @property
    def id(self) -> int:
        return self.email.id

    @property
    def when(self) -> datetime | None:
        return self.email.sent_at or self.email.send_after

    @property
    def search_text(self) -> str:
        e = self.email
        return f"{e.to_addrs} {e.cc_addrs} {e.subject} {e.last_error} {self.about}".casefold()


def load_outbox_rows() -> list[OutboxRow]:
    """Every email, newest first, each with the writer and specialty of its request."""
    emails = list_outbox()
    request_ids = {e.request_id for e in emails if e.request_id is not None}
    about: dict[int, str] = {}
    if request_ids:
        query = (
            LetterRequest.select(LetterRequest.id, LetterRequest.specialty, Mentor)
            .join(Mentor)
            .where(LetterRequest.id.in_(list(request_ids)))
        )
        for row in query:
            m = row.mentor
            name = mentor_display_name(m.honorific, m.first_name, m.last_name, "")
            about[row.id] = f"{name} · {row.specialty}"
    return [OutboxRow(e, about.get(e.request_id or 0, "")) for e in emails]


def emails_for_request(request_id: int) -> list[OutboxEmail]:
    query = (
        OutgoingEmail.select()
        .where(OutgoingEmail.request == request_id)
        .order_by(OutgoingEmail.created_at.desc(), OutgoingEmail.id.desc())
    )
    return [_email(row) for row in query]


def due_for_sending(now: datetime) -> list[int]:
    """Queued emails, and scheduled ones whose time has come, oldest first."""
    query = (
        OutgoingEmail.select(OutgoingEmail.id)
        .where(
            (OutgoingEmail.state == S.QUEUED.value)
            | ((OutgoingEmail.state == S.SCHEDULED.value) & (OutgoingEmail.send_after <= _utc(now)))
        )
        .order_by(OutgoingEmail.created_at, OutgoingEmail.id)
    )
    return [row.id for row in query]


def interrupted() -> list[int]:
    """Emails whose last attempt has an unknown outcome (state "sending")."""
    query = OutgoingEmail.select(OutgoingEmail.id).where(OutgoingEmail.state == S.SENDING.value)
    return [row.id for row in query]


# --- who an email is for ------------------------------------------------------------


@dataclass(frozen=True)
class WriterContact:
    """What addressing an email to a letter writer needs."""

    honorific: str
    first_name: str
    last_name: str
    email: str


def writer_contact(mentor_id: int) -> WriterContact | None:
    mentor = Mentor.get_or_none(Mentor.id == mentor_id)
    if mentor is None:
        return None
    return WriterContact(mentor.honorific, mentor.first_name, mentor.last_name, mentor.email)


def latest_request_of(mentor_id: int) -> int | None:
    """The writer's most recently created letter request, if any."""
    latest = (
        LetterRequest.select(LetterRequest.id)
        .where(LetterRequest.mentor == mentor_id)
        .order_by(LetterRequest.id.desc())
        .first()
    )
    return int(latest.id) if latest else None


def writer_of_request(request_id: int) -> int:
    return fk_id(LetterRequest.get_by_id(request_id), "mentor")


@dataclass(frozen=True)
class StoredDocument:
    """Where an attached document version's file is, and its own name."""

    stored_name: str  # the file inside the documents folder
    original_name: str


def attached_document(document_id: int | None) -> StoredDocument | None:
    """The stored document an attachment points to; ``None`` when it was deleted."""
    document = Document.get_or_none(Document.id == document_id)
    if document is None:
        return None
    return StoredDocument(document.stored_name, document.original_name)


@contextlib.contextmanager
def sending_connection() -> Iterator[None]:
    """This thread's own connection for a batch: opened if it has none,
    and then closed again when the batch ends."""
    database = database_proxy.obj
    opened_here = database.connect(reuse_if_open=True)
    try:
        yield
    finally:
        if opened_here:
            database.close()


# --- the user's actions --------------------------------------------------------------


def _data(fields: EmailFields) -> dict[str, object]:
    return {
        "to_addrs": fields.to_addrs.strip(),
        "cc_addrs": fields.cc_addrs.strip(),
        "subject": fields.subject.strip(),
        "body": fields.body,
        "attachments": attachments_to_json(fields.attachments),
    }


def create_draft(
    fields: EmailFields,
    *,
    request_id: int | None = None,
    mentor_id: int | None = None,
    template_purpose: TemplatePurpose | str | None = None,
) -> int:
    purpose = TemplatePurpose(template_purpose).value if template_purpose else None
    row = OutgoingEmail.create(
        state=S.DRAFT.value,
        request=request_id,
        mentor=mentor_id,
        template_purpose=purpose,
        **_data(fields),
    )
    return row.id


def _change(email_id: int, allowed: Collection[EmailState], doing: str, **values: object) -> None:
    """Update the email if it is (still) in one of ``allowed`` states."""
    changed = (
        OutgoingEmail.update(**values)
        .where(
            (OutgoingEmail.id == email_id)
            & OutgoingEmail.state.in_([state.value for state in allowed])
        )
        .execute()
    )
    if changed != 1:
        current = get_email(email_id).state  # raises when deleted
        raise OutboxError(_refusal(current, doing))


def _refusal(state: EmailState, doing: str) -> str:
    if state is S.SENT:
        return f"This email was already sent, so it cannot be {doing}. Copy it as a new draft."
    if state is S.SENDING:
        return (
            f"This email is being sent, or its last attempt has an unknown outcome, so it "
            f"cannot be {doing}. Wait for the send to finish, or choose Retry or Mark as sent."
        )
    return f"A {state.value} email cannot be {doing}."


def update_email(email_id: int, fields: EmailFields) -> None:
    """Save an edit. The Message-ID, if any, stays: nothing with it was delivered."""
    _change(email_id, EDITABLE_STATES, "changed", **_data(fields))


_NAMED = re.compile(r"<([^<>]*)>\s*$")


def check_sendable(fields: EmailFields) -> list[str]:
    """Why this email cannot go out yet (empty when it can)."""
    problems = []
    for what, text, required in (("To", fields.to_addrs, True), ("Cc", fields.cc_addrs, False)):
        items = [item.strip() for item in re.split(r"[,;]", text) if item.strip()]
        if required and not items:
            problems.append("Add at least one recipient in To.")
        for item in items:
            match = _NAMED.search(item)
            error = email_address(match[1] if match else item, optional=False)
            if error:
                problems.append(f"{what}: {item}: {error}")
    if error := no_control_characters(fields.subject, "The subject"):
        problems.append(error)
    elif not fields.subject.strip():
        problems.append("Add a subject.")
    return problems


# The only folders (inside the data folder) an attachment's file may be in:
# the stored documents and the files LetterDesk generates (the writer's
# summary). Anything else, such as a path a foreign archive put in a row, is
# refused when the email is queued and again when it is sent.
ATTACHMENT_FOLDERS = ("documents", "generated")


def attachment_outside(path: str | Path, data_folder: Path) -> bool:
    """True when ``path`` does not name a file inside the data folder's own
    attachment folders (links are followed first)."""
    try:
        real = Path(path).resolve()
    except (OSError, RuntimeError):
        return True
    for name in ATTACHMENT_FOLDERS:
        folder = (data_folder / name).resolve()
        if real != folder and real.is_relative_to(folder):
            return False
    return True


def _data_folder() -> Path | None:
    name = getattr(database_proxy.obj, "database", None)
    return Path(name).parent if name and name != ":memory:" else None


def attachment_problems(refs: Collection[AttachmentRef]) -> list[str]:
    folder = _data_folder()
    if folder is None:
        return []
    return [
        f"The attachment {ref.name or ref.path} is not a file LetterDesk keeps "
        "(only documents and the writer's summary can be attached). Remove it."
        for ref in refs
        if ref.path and attachment_outside(ref.path, folder)
    ]


def _prepare(email_id: int, domain: str) -> str:
    email = get_email(email_id)
    if problems := check_sendable(email.fields) + attachment_problems(email.attachments):
        raise OutboxError(" ".join(problems))
    if sent_ledger.was_sent(email.message_id):
        raise OutboxError(ALREADY_SENT_MESSAGE)
    if email.message_id:
        return email.message_id
    try:  # a Message-ID is ASCII: a domain such as universität.example goes as IDNA
        domain = ascii_domain(domain)
    except ValueError:
        domain = "letterdesk.invalid"
    return make_msgid(domain=domain)


def queue(email_id: int, *, domain: str) -> str:
    """Queue for the next send; returns the Message-ID (given now if the
    email has none; ``domain`` is the sender's, e.g. "gmail.com")."""
    with database_proxy.atomic():
        message_id = _prepare(email_id, domain)
        _change(
            email_id,
            {S.DRAFT, S.SCHEDULED, S.QUEUED, S.FAILED, S.HELD},
            "queued",
            state=S.QUEUED.value,
            send_after=None,
            message_id=message_id,
        )
    return message_id


def schedule(email_id: int, send_after: datetime, *, domain: str) -> str:
    """Send at ``send_after`` (aware, or naive UTC); returns the Message-ID."""
    with database_proxy.atomic():
        message_id = _prepare(email_id, domain)
        _change(
            email_id,
            {S.DRAFT, S.SCHEDULED, S.QUEUED, S.FAILED, S.HELD},
            "scheduled",
            state=S.SCHEDULED.value,
            send_after=_utc(send_after),
            message_id=message_id,
        )
    return message_id


def back_to_draft(email_id: int) -> None:
    """Take a queued, scheduled or failed email out of the sending line."""
    _change(email_id, EDITABLE_STATES, "made a draft again", state=S.DRAFT.value, send_after=None)


def _refuse_if_sent_before(email_id: int) -> OutboxEmail:
    email = get_email(email_id)
    if email.state is not S.SENT and sent_ledger.was_sent(email.message_id):
        raise OutboxError(ALREADY_SENT_MESSAGE)
    return email


def retry(email_id: int) -> None:
    """Queue a failed or held email, or one with an unknown outcome, again:
    the same message with the same Message-ID."""
    _refuse_if_sent_before(email_id)
    _change(email_id, {S.FAILED, S.SENDING, S.QUEUED, S.HELD}, "retried", state=S.QUEUED.value)


def release_held(email_id: int) -> EmailState:
    """The user checked an email that came back held with a restore: it
    goes back to the line it was in (scheduled when it has a time, else
    queued). Refused when the ledger says it went out already."""
    email = _refuse_if_sent_before(email_id)
    if problems := attachment_problems(email.attachments):
        raise OutboxError(" ".join(problems))
    state = S.SCHEDULED if email.send_after is not None else S.QUEUED
    _change(email_id, {S.HELD}, "released from hold", state=state.value, last_error="")
    return state


def held() -> list[int]:
    """Emails waiting for the user after a restore or an import."""
    query = OutgoingEmail.select(OutgoingEmail.id).where(OutgoingEmail.state == S.HELD.value)
    return [row.id for row in query]


def delete_email(email_id: int) -> None:
    with database_proxy.atomic():
        row = OutgoingEmail.get_or_none(OutgoingEmail.id == email_id)
        if row is None:
            return
        if row.state == S.SENDING.value:
            raise OutboxError(_refusal(S.SENDING, "deleted"))
        row.delete_instance()


def copy_as_draft(email_id: int) -> int:
    """A new draft with the same content (and no Message-ID): how a sent
    email is sent again, on purpose, as a new message."""
    email = get_email(email_id)
    return create_draft(
        email.fields,
        request_id=email.request_id,
        mentor_id=email.mentor_id,
        template_purpose=email.template_purpose,
    )


def confirm_sent(email_id: int, *, today: date) -> str:
    """The user checked that an email with an unknown outcome did arrive:
    record it as sent (with what that means for its request)."""
    with database_proxy.atomic():
        _change(email_id, {S.SENDING, S.FAILED}, "marked as sent", state=S.SENDING.value)
        return record_sent(email_id, today=today)


# --- the sender's transitions -------------------------------------------------------------


# The sender's hot path (claim, record_sent) is fixed SQL: building each
# statement through peewee cost about as much as handing the message to a
# local server, and the bench holds the outbox to 80% of a bare smtplib loop.
_COLUMNS = (
    "id, state, to_addrs, cc_addrs, subject, body, attachments, message_id, send_after, "
    "attempts, last_error, template_purpose, request_id, mentor_id, created_at, sent_at"
)
_CLAIM_SQL = (
    "UPDATE outgoing_email SET state = 'sending', attempts = attempts + 1, last_error = ? "
    "WHERE id = ? AND message_id IS NOT NULL "
    "AND (state = 'queued' OR (state = 'scheduled' AND send_after <= ?)) "
    f"RETURNING {_COLUMNS}"
)
_SENT_SQL = (
    "UPDATE outgoing_email SET state = 'sent', sent_at = ?, last_error = ? "
    "WHERE id = ? AND state = 'sending'"
)


def _from_tuple(row: tuple[object, ...]) -> OutboxEmail:
    (id_, state, to, cc, subject, body, attachments, message_id, send_after) = row[:9]
    (attempts, last_error, purpose, request_id, mentor_id, created_at, sent_at) = row[9:]
    return OutboxEmail(
        id=int(id_),  # type: ignore[call-overload]
        state=S(str(state)),
        to_addrs=str(to),
        cc_addrs=str(cc),
        subject=str(subject),
        body=str(body),
        attachments=attachments_from_json(str(attachments)),
        message_id=str(message_id) if message_id is not None else None,
        send_after=_moment(send_after),
        attempts=int(attempts),  # type: ignore[call-overload]
        last_error=str(last_error),
        template_purpose=str(purpose) if purpose is not None else None,
        request_id=int(request_id) if request_id is not None else None,  # type: ignore[call-overload]
        mentor_id=int(mentor_id) if mentor_id is not None else None,  # type: ignore[call-overload]
        created_at=_moment(created_at) or utc_now(),
        sent_at=_moment(sent_at),
    )


def _stamp(moment: datetime) -> str:
    """A moment as peewee stores a ``DateTimeField`` (naive UTC, ISO with a space)."""
    return str(_utc(moment))


def claim(email_id: int, now: datetime) -> OutboxEmail | None:
    """Take the email for one attempt (state "sending", attempts + 1), or
    ``None`` when it is not due (sent, draft, deleted, claimed by another
    sender…). Until the attempt's outcome is recorded, the email reads as
    interrupted. ``now`` is aware, or naive UTC."""
    cursor = database_proxy.execute_sql(_CLAIM_SQL, (INTERRUPTED_MESSAGE, email_id, _stamp(now)))
    row = cursor.fetchone()
    if row is None:
        return None
    email = _from_tuple(row)
    if sent_ledger.was_sent(email.message_id):
        # A restored copy of an email that went out before the restore.
        OutgoingEmail.update(
            state=S.HELD.value, attempts=email.attempts - 1, last_error=ALREADY_SENT_MESSAGE
        ).where(OutgoingEmail.id == email_id).execute()
        return None
    return email


def record_failed(email_id: int, message: str) -> None:
    """Nothing was accepted: failed, with the reason; the request is untouched."""
    OutgoingEmail.update(state=S.FAILED.value, last_error=message).where(
        (OutgoingEmail.id == email_id) & (OutgoingEmail.state == S.SENDING.value)
    ).execute()


def record_unclear(email_id: int, message: str) -> None:
    """The server may have taken it: it stays "sending", with the reason,
    until the user retries or confirms it."""
    OutgoingEmail.update(last_error=message).where(
        (OutgoingEmail.id == email_id) & (OutgoingEmail.state == S.SENDING.value)
    ).execute()


def record_sent(
    email_id: int, *, today: date, note: str = "", claimed: OutboxEmail | None = None
) -> str:
    """The server accepted the email: state sent, and what that means for
    the linked request, in one transaction. ``claimed`` is the email as
    ``claim`` returned it (saves reading it again). Returns the note kept in
    ``last_error`` (empty when all went as expected)."""
    email = claimed if claimed is not None and claimed.id == email_id else None
    if email is None:
        row = OutgoingEmail.get_or_none(OutgoingEmail.id == email_id)
        if row is None:
            return ""
        email = _email(row)
    # First the ledger, then the database: a crash in between leaves the
    # email "sending" (never re-sent by itself) and listed as sent.
    sent_ledger.record(email.message_id)
    with database_proxy.atomic():
        cursor = database_proxy.execute_sql(_SENT_SQL, (_stamp(utc_now()), note, email_id))
        if cursor.rowcount != 1:
            return ""
        notes = [note] if note else []
        notes += _after_sent(email, today)
        text = " ".join(notes)
        if text != note:
            OutgoingEmail.update(last_error=text).where(OutgoingEmail.id == email_id).execute()
    return text


def _after_sent(email: OutboxEmail, today: date) -> list[str]:
    notes: list[str] = []
    request = (
        LetterRequest.get_or_none(LetterRequest.id == email.request_id)
        if email.request_id
        else None
    )
    mentor_id = email.mentor_id or (fk_id_or_none(request, "mentor") if request else None)
    notes += _record_shares(email, mentor_id, request)
    if request is None or not email.template_purpose:
        return notes
    purpose = TemplatePurpose(email.template_purpose)
    status = RequestStatus(request.status)
    note = f"Email sent: {email.subject}"
    # Already asked (or further): nothing to move. Declined or withdrawn:
    # the status machine refuses, and the note says so.
    if purpose is TemplatePurpose.REQUEST and status not in ASKED_OR_LATER:
        notes += _move(request.id, RequestStatus.ASKED, note, today)
    elif purpose is TemplatePurpose.MATERIALS and status not in (
        RequestStatus.MATERIALS_SENT,
        RequestStatus.SUBMITTED,
    ):
        notes += _move(request.id, RequestStatus.MATERIALS_SENT, note, today)
    elif purpose in (TemplatePurpose.NUDGE, TemplatePurpose.REMINDER):
        log_event(request.id, RequestEventKind.REMINDED, today, note)
    elif purpose is TemplatePurpose.THANK_YOU:
        log_event(request.id, RequestEventKind.THANKED, today, note)
    elif purpose is TemplatePurpose.UPDATE:
        log_event(request.id, RequestEventKind.OUTCOME_SHARED, today, note)
    return notes


def _move(request_id: int, to_status: RequestStatus, note: str, today: date) -> list[str]:
    try:
        move_status(request_id, to_status, note=note, on=today, today=today)
    except RequestError as exc:
        return [f"Sent, but the request was not marked {to_status.label.lower()}: {exc}"]
    return []


def _record_shares(
    email: OutboxEmail, mentor_id: int | None, request: LetterRequest | None
) -> list[str]:
    """Which document versions went to this writer, with this email."""
    documents = [ref for ref in email.attachments if ref.document_id is not None]
    if not documents or mentor_id is None:  # the common case: no query at all
        return []
    missing = []
    for ref in documents:
        if Document.get_or_none(Document.id == ref.document_id) is None:
            missing.append(ref.name or f"document {ref.document_id}")
            continue
        try:
            SharedDocument.create(
                document=ref.document_id,
                mentor=mentor_id,
                request=request.id if request else None,
                email=email.id,
            )
        except pw.IntegrityError:
            missing.append(ref.name or f"document {ref.document_id}")
    if missing:
        return [f"Sent; not recorded as shared (no longer stored): {', '.join(missing)}."]
    return []
