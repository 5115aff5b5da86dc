"""Sending a batch of outbox emails over one SMTP connection.

``send_batch`` is what the Outbox page's worker runs (and the scheduler for
emails whose time has come). It has no Qt in it: progress and cancellation
are plain callables, and it opens this thread's own database connection, so
it runs in a ``QThreadPool`` worker or straight from a test.

Per email: claim it (state "sending", attempts + 1, Message-ID already
fixed), build it, hand it over, record the outcome, all committed before
the next email starts. So whatever stops the batch (cancel, a crash, a pulled
cable), every email reads true: sent, failed with the reason, still queued
(never tried), or "sending" (outcome unknown; never re-sent on its own).

The connection is opened for the first email and reused. If the server
drops it, LetterDesk reconnects once; an email lost before DATA is then
handed over again (it was certainly not taken), one lost during DATA is left
"sending" for the user to check. When no connection can be made (wrong
password, untrusted certificate, unreachable, or dropping again before any
email got through), the emails still waiting fail with that reason.
"""

from __future__ import annotations

import logging
import smtplib
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from email.message import EmailMessage
from enum import StrEnum
from pathlib import Path

from desktop.services.mail import imap_sent, oauth
from desktop.services.mail.account import SmtpAccount
from desktop.services.mail.oauth import OAuthError
from desktop.store import outbox
from desktop.store.outbox import AttachmentRef, EmailFields, OutboxEmail, utc_now

from .message import (
    MailAttachment,
    MessageError,
    build_message,
    html_from_plain,
    parse_address_list,
)
from .size_limits import estimated_size, too_large
from .smtp import (
    CONNECTION_KINDS,
    DEFAULT_TIMEOUT,
    FailureKind,
    SendFailure,
    SmtpFailure,
    close_quietly,
    open_connection,
    send_message,
)

log = logging.getLogger(__name__)


class SendResult(StrEnum):
    SENT = "sent"
    FAILED = "failed"
    UNCLEAR = "unclear"  # left "sending": the server may have taken it
    SKIPPED = "skipped"  # not due: sent already, a draft, deleted, another sender has it


@dataclass(frozen=True)
class EmailOutcome:
    email_id: int
    result: SendResult
    message: str = ""  # the reason (failed, unclear, skipped) or a note (sent)


@dataclass
class BatchResult:
    outcomes: list[EmailOutcome] = field(default_factory=list)
    cancelled: bool = False
    connection_failure: SendFailure | None = None  # why the batch stopped early

    def count(self, result: SendResult) -> int:
        return sum(1 for outcome in self.outcomes if outcome.result is result)


Progress = Callable[[int, int, int, EmailOutcome], None]


def _not_ours(name: str) -> MessageError:
    return MessageError(
        f"The attachment {name} is not a file LetterDesk keeps (only documents and the "
        "writer's summary can be attached), so this email was not sent. Edit it and "
        "remove the attachment."
    )


def _attachment(ref: AttachmentRef, documents_dir: Path | None) -> MailAttachment:
    # Checked again here, not only at queue time: the row may come from a
    # restored or imported file.
    if ref.path:
        if documents_dir is None or outbox.attachment_outside(ref.path, documents_dir.parent):
            raise _not_ours(ref.name or ref.path)
        return MailAttachment(Path(ref.path), ref.name)
    document = outbox.attached_document(ref.document_id)
    if document is None or documents_dir is None:
        raise MessageError(
            f"The attached document {ref.name or ref.document_id} is no longer stored. "
            "Edit the email and attach it again."
        )
    name = ref.name or document.original_name or document.stored_name
    path = documents_dir / document.stored_name
    if outbox.attachment_outside(path, documents_dir.parent):
        raise _not_ours(name)
    return MailAttachment(path, name)


def message_for(
    email: OutboxEmail, account: SmtpAccount, documents_dir: Path | None = None
) -> EmailMessage:
    """The message exactly as it goes out (also for "Save as .eml").
    Raises ``MessageError``."""
    if not email.message_id:
        raise MessageError("Queue the email first: it has no Message-ID yet.")
    return build_message(
        from_name=account.display_name,
        from_address=account.address,
        to=parse_address_list(email.to_addrs, what="To"),
        cc=parse_address_list(email.cc_addrs, what="Cc"),
        subject=email.subject,
        body=email.body,
        html_body=html_from_plain(email.body),
        message_id=email.message_id,
        attachments=[_attachment(ref, documents_dir) for ref in email.attachments],
    )


def size_problem(
    fields: EmailFields, account: SmtpAccount, documents_dir: Path | None = None
) -> str | None:
    """Before queueing: the sentence to show when the email is over the
    provider's published limit (size_limits); the server's own SIZE is
    checked again when sending."""
    paths = []
    for ref in fields.attachments:
        try:
            paths.append(Path(_attachment(ref, documents_dir).path))
        except MessageError:
            continue  # told when the message is built
    return too_large(estimated_size(fields.body, paths), account)


class _BatchStopped(Exception):
    def __init__(self, outcome: EmailOutcome, failure: SendFailure) -> None:
        super().__init__(failure.message)
        self.outcome = outcome
        self.failure = failure


class _Batch:
    def __init__(
        self,
        account: SmtpAccount,
        password: str | None,
        documents_dir: Path | None,
        timeout: float,
        today: Callable[[], date],
    ) -> None:
        self.account = account
        self.password = password
        self.documents_dir = documents_dir
        self.timeout = timeout
        self.today = today
        self.conn: smtplib.SMTP | None = None
        self.reconnects_left = 1  # restored by each email the server takes
        self.sent: list[tuple[int, EmailMessage]] = []  # for the Sent folder copies

    def connection(self) -> smtplib.SMTP:
        if self.conn is None:
            if self.account.uses_oauth:
                self.conn = self._signed_in_connection()
            else:
                self.conn = open_connection(self.account, self.password, self.timeout)
        return self.conn

    def _signed_in_connection(self) -> smtplib.SMTP:
        """Log in with a fresh access token. When the server refuses one the
        cache thought valid (revoked, or expired early), refresh once and try
        again; a refused refresh is ``SignInAgain``, with the sign-in hint."""
        provider, address = self.account.oauth_provider, self.account.username
        assert provider is not None
        for attempt in (1, 2):
            try:
                token = oauth.access_token(provider, address or self.account.address)
            except OAuthError as exc:
                raise SmtpFailure(
                    SendFailure(FailureKind.AUTH, exc.user_message, suggest_sign_in=provider)
                ) from None
            try:
                return open_connection(self.account, token, self.timeout)
            except SmtpFailure as exc:
                if exc.failure.kind is not FailureKind.AUTH or attempt == 2:
                    raise
                oauth.forget_access_token(provider, address or self.account.address)
        raise AssertionError("unreachable")

    def drop_connection(self) -> None:
        close_quietly(self.conn)
        self.conn = None

    def send(self, email: OutboxEmail) -> EmailOutcome:
        """One claimed email to its recorded outcome. Raises ``_BatchStopped``
        (with this email's outcome recorded) when no connection can be made."""
        try:
            message = message_for(email, self.account, self.documents_dir)
        except MessageError as exc:
            outbox.record_failed(email.id, exc.user_message)
            return EmailOutcome(email.id, SendResult.FAILED, exc.user_message)
        while True:
            try:
                refused = send_message(self.connection(), message, self.account, self.password)
                break
            except SmtpFailure as exc:
                failure = exc.failure
            stop = failure.kind in CONNECTION_KINDS
            if failure.connection_lost:
                self.drop_connection()
                if self.reconnects_left == 0:
                    stop = True  # dropped again before any email got through
                else:
                    self.reconnects_left -= 1
                    if failure.kind is FailureKind.DISCONNECTED:
                        continue  # certainly not taken: hand it over on a new connection
            if failure.unclear:
                outbox.record_unclear(email.id, failure.message)
                outcome = EmailOutcome(email.id, SendResult.UNCLEAR, failure.message)
            else:
                outbox.record_failed(email.id, failure.message)
                outcome = EmailOutcome(email.id, SendResult.FAILED, failure.message)
            if stop:
                raise _BatchStopped(outcome, failure)
            return outcome
        self.reconnects_left = 1
        note = ""
        if refused:
            listed = "; ".join(f"{address} ({reply})" for address, reply in refused.items())
            note = f"Not delivered to: {listed}."
        note = outbox.record_sent(email.id, today=self.today(), note=note, claimed=email)
        self.sent.append((email.id, message))
        log.info("Sent outbox email %d", email.id)
        return EmailOutcome(email.id, SendResult.SENT, note)


def send_batch(
    email_ids: Sequence[int],
    account: SmtpAccount,
    password: str | None,
    *,
    progress: Progress | None = None,
    cancelled: Callable[[], bool] | None = None,
    documents_dir: Path | None = None,
    timeout: float = DEFAULT_TIMEOUT,
    now: Callable[[], datetime] = utc_now,
    today: Callable[[], date] = date.today,
    keep_sent_copies: bool = False,
) -> BatchResult:
    """Send the emails (in order) that are due, over one connection.

    ``progress(done, total, email_id, outcome)`` is called after each email's
    outcome is committed; ``cancelled()`` is checked before each email (the
    rest stay queued). ``now`` is UTC (for scheduled emails), ``today`` the
    local date recorded on the requests. With ``keep_sent_copies`` the
    emails sent are then copied to the account's Sent folder over IMAP
    (``imap_sent``): a failure there leaves them sent, with the reason in
    their note."""
    batch = _Batch(account, password, documents_dir, timeout, today)
    result = BatchResult()
    total = len(email_ids)

    def report(outcome: EmailOutcome) -> None:
        result.outcomes.append(outcome)
        if progress is not None:
            progress(len(result.outcomes), total, outcome.email_id, outcome)

    with outbox.sending_connection():
        try:
            for index, email_id in enumerate(email_ids):
                if cancelled is not None and cancelled():
                    result.cancelled = True
                    break
                email = outbox.claim(email_id, now())
                if email is None:
                    report(EmailOutcome(email_id, SendResult.SKIPPED, "Not due for sending."))
                    continue
                try:
                    report(batch.send(email))
                except _BatchStopped as stop:
                    result.connection_failure = stop.failure
                    report(stop.outcome)
                    _fail_rest(
                        email_ids[index + 1 :], _rest_failure(stop.failure, account), now, report
                    )
                    break
        finally:
            batch.drop_connection()
        if keep_sent_copies and batch.sent:
            imap_sent.keep_copies(batch.sent, account, password)
    return result


def _rest_failure(failure: SendFailure, account: SmtpAccount) -> SendFailure:
    if not failure.connection_lost:
        return failure  # wrong password, certificate, unreachable: the same for all
    return SendFailure(
        FailureKind.DISCONNECTED,
        f"The connection to {account.host} kept dropping, so this email was not sent. "
        "Retry later from the Outbox.",
    )


def _fail_rest(
    email_ids: Sequence[int],
    failure: SendFailure,
    now: Callable[[], datetime],
    report: Callable[[EmailOutcome], None],
) -> None:
    """The batch cannot reach the server: each email still waiting fails
    with that reason (shown on its Outbox row), nothing is handed over."""
    for email_id in email_ids:
        if outbox.claim(email_id, now()) is None:
            report(EmailOutcome(email_id, SendResult.SKIPPED, "Not due for sending."))
            continue
        outbox.record_failed(email_id, failure.message)
        report(EmailOutcome(email_id, SendResult.FAILED, failure.message))
