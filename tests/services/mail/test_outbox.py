"""The outbox through a real SMTP server: every fault ends in the right state
with the right message, nothing is ever delivered twice by accident, the
Message-ID is fixed before the first attempt, and requests move only when
the server took the email."""

from __future__ import annotations

import threading
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from desktop.domain.vocabulary import EmailState, RequestEventKind, RequestStatus
from desktop.services.mail.account import save_account
from desktop.services.mail.sender import SendResult, send_batch
from desktop.store import outbox
from desktop.store.models import (
    Cycle,
    Document,
    LetterRequest,
    Mentor,
    OutgoingEmail,
    RequestEvent,
    SharedDocument,
    StatusChange,
)
from desktop.store.outbox import AttachmentRef, EmailFields, OutboxError
from desktop.store.requests import RequestFields, create_request, move_status

from .smtp_server import PASSWORD, closed_port

TODAY = date(2026, 4, 21)
S = EmailState


@pytest.fixture
def mentor(db) -> int:
    return Mentor.create(
        last_name="Okafor", first_name="Ada", category="clinical_supervisor", email="okafor@h.org"
    ).id


@pytest.fixture
def request_id(db, mentor) -> int:
    cycle = Cycle.create(service="eras_residency", name="ERAS 2027", max_letters_per_program=4)
    return create_request(RequestFields(mentor_id=mentor, cycle_id=cycle.id, waiver=True))


def _email(
    to: str = "okafor@h.org", *, request_id=None, mentor_id=None, purpose=None, **fields
) -> int:
    values = {"subject": "Letter of recommendation", "body": "Dear Dr. Okafor,\n"}
    values.update(fields)
    email_id = outbox.create_draft(
        EmailFields(to_addrs=to, **values),
        request_id=request_id,
        mentor_id=mentor_id,
        template_purpose=purpose,
    )
    outbox.queue(email_id, domain="example.org")
    return email_id


def _send(ids, account, password=PASSWORD, **kwargs):
    return send_batch(ids, account, password, timeout=10, today=lambda: TODAY, **kwargs)


def _state(email_id: int) -> outbox.OutboxEmail:
    return outbox.get_email(email_id)


def _status(request_id: int) -> str:
    return LetterRequest.get_by_id(request_id).status


# --- the happy path -------------------------------------------------------------------------


def test_a_batch_goes_out_over_one_connection_with_progress(db, account, smtp_server):
    ids = [_email(f"w{i}@h.org") for i in range(3)]
    seen = []
    result = _send(ids, account, progress=lambda *args: seen.append(args))
    assert result.count(SendResult.SENT) == 3 and not result.cancelled
    assert [(done, total, eid) for done, total, eid, _ in seen] == [
        (1, 3, ids[0]),
        (2, 3, ids[1]),
        (3, 3, ids[2]),
    ]
    assert smtp_server.handler.logins == [smtp_server.account(None).username], "one login"
    stored = [_state(i) for i in ids]
    assert [e.state for e in stored] == [S.SENT] * 3
    assert [e.attempts for e in stored] == [1, 1, 1]
    assert all(e.sent_at is not None and e.last_error == "" for e in stored)
    assert [d.message_id for d in smtp_server.delivered] == [e.message_id for e in stored]


def test_the_message_id_is_given_at_queue_time_and_never_changes(db):
    email_id = outbox.create_draft(EmailFields("a@h.org", "Subject", "Body"))
    assert _state(email_id).message_id is None
    first = outbox.queue(email_id, domain="example.org")
    assert first.endswith("@example.org>")
    outbox.update_email(email_id, EmailFields("a@h.org", "Subject, edited", "Body"))
    outbox.back_to_draft(email_id)
    assert (
        outbox.schedule(email_id, datetime.now(UTC) + timedelta(hours=1), domain="x.org") == first
    )
    assert outbox.queue(email_id, domain="other.org") == first
    assert _state(email_id).message_id == first


def test_an_email_with_a_bad_recipient_cannot_be_queued(db):
    email_id = outbox.create_draft(EmailFields("not an address", "Subject", "Body"))
    with pytest.raises(OutboxError, match="To: not an address"):
        outbox.queue(email_id, domain="example.org")
    bad_subject = outbox.create_draft(EmailFields("a@h.org", "x\nBcc: y@z.org", "Body"))
    with pytest.raises(OutboxError, match="line breaks"):
        outbox.queue(bad_subject, domain="example.org")
    assert _state(email_id).state is S.DRAFT and _state(email_id).message_id is None


def test_a_sent_email_is_never_sent_again(db, account, smtp_server):
    email_id = _email()
    _send([email_id], account)
    again = _send([email_id, email_id], account)
    assert [o.result for o in again.outcomes] == [SendResult.SKIPPED, SendResult.SKIPPED]
    assert len(smtp_server.delivered) == 1
    for action in (outbox.retry, outbox.back_to_draft):
        with pytest.raises(OutboxError, match="already sent"):
            action(email_id)
    with pytest.raises(OutboxError, match="already sent"):
        outbox.update_email(email_id, EmailFields("a@h.org", "New", "Body"))
    with pytest.raises(OutboxError, match="already sent"):
        outbox.queue(email_id, domain="example.org")
    copy = outbox.copy_as_draft(email_id)
    assert _state(copy).state is S.DRAFT and _state(copy).message_id is None


def test_drafts_are_not_sent(db, account, smtp_server):
    draft = outbox.create_draft(EmailFields("a@h.org", "Subject", "Body"))
    assert _send([draft], account).outcomes[0].result is SendResult.SKIPPED
    assert smtp_server.delivered == [] and _state(draft).attempts == 0


# --- the request moves only after the server took the email -----------------------------


def test_a_request_email_marks_the_request_asked(db, account, smtp_server, request_id, mentor):
    email_id = _email(request_id=request_id, mentor_id=mentor, purpose="request")
    _send([email_id], account)
    request = LetterRequest.get_by_id(request_id)
    assert request.status == "asked" and request.asked_on == TODAY
    change = StatusChange.select().order_by(StatusChange.id.desc()).first()
    assert (change.from_status, change.to_status) == ("planned", "asked")
    assert "Letter of recommendation" in change.note
    assert _state(email_id).last_error == ""


def test_a_failed_request_email_leaves_the_request_untouched(
    db, account, smtp_server, faults, request_id, mentor
):
    faults.permanent_data = True
    email_id = _email(request_id=request_id, mentor_id=mentor, purpose="request")
    result = _send([email_id], account)
    assert result.outcomes[0].result is SendResult.FAILED
    email = _state(email_id)
    assert email.state is S.FAILED and email.attempts == 1
    assert "refused the email" in email.last_error and "554" in email.last_error
    assert _status(request_id) == "planned"
    assert StatusChange.select().where(StatusChange.to_status == "asked").count() == 0


def test_a_refused_status_move_is_noted_but_the_email_stays_sent(
    db, account, smtp_server, request_id, mentor
):
    LetterRequest.update(waiver=None).where(LetterRequest.id == request_id).execute()
    email_id = _email(request_id=request_id, mentor_id=mentor, purpose="request")
    _send([email_id], account)
    email = _state(email_id)
    assert email.state is S.SENT
    assert "not marked asked" in email.last_error and "waiver" in email.last_error
    assert _status(request_id) == "planned"


def test_a_request_already_asked_is_left_as_it_is(db, account, smtp_server, request_id):
    move_status(request_id, RequestStatus.ASKED, on=TODAY, today=TODAY)
    email_id = _email(request_id=request_id, purpose="request")
    _send([email_id], account)
    assert _state(email_id).last_error == "" and _status(request_id) == "asked"


def test_materials_record_the_shared_versions_and_move_the_request(
    db, data_paths, account, smtp_server, request_id, mentor
):
    move_status(request_id, RequestStatus.ASKED, on=TODAY, today=TODAY)
    move_status(request_id, RequestStatus.ACCEPTED, on=TODAY, today=TODAY)
    (data_paths.documents / "cv-3.pdf").write_bytes(b"%PDF-1.7 cv")
    cv = Document.create(
        kind="cv", title="CV", version_label="v3", stored_name="cv-3.pdf", sha256="x"
    )
    summary = data_paths.root / "generated" / "summary.pdf"
    summary.parent.mkdir()
    summary.write_bytes(b"%PDF-1.7 summary")
    email_id = _email(
        request_id=request_id,
        purpose="materials",
        attachments=(
            AttachmentRef("CV Zoë.pdf", document_id=cv.id),
            AttachmentRef("Writer summary.pdf", path=str(summary)),
        ),
    )
    _send([email_id], account, documents_dir=data_paths.documents)
    assert _status(request_id) == "materials_sent"
    (share,) = SharedDocument.select()
    assert (share.document_id, share.mentor_id, share.request_id, share.email_id) == (
        cv.id,
        mentor,
        request_id,
        email_id,
    )
    names = [p.get_filename() for p in smtp_server.delivered[0].message.iter_attachments()]
    assert names == ["CV Zoë.pdf", "Writer summary.pdf"]


@pytest.mark.parametrize(
    ("purpose", "kind"),
    [
        ("nudge", "reminded"),
        ("reminder", "reminded"),
        ("thank_you", "thanked"),
        ("update", "outcome_shared"),
    ],
)
def test_reminders_and_thanks_are_logged_as_events(
    db, account, smtp_server, request_id, purpose, kind
):
    move_status(request_id, RequestStatus.ASKED, on=TODAY, today=TODAY)
    _send([_email(request_id=request_id, purpose=purpose)], account)
    (event,) = RequestEvent.select()
    assert (event.kind, event.occurred_on) == (kind, TODAY)
    assert _status(request_id) == "asked"
    if kind == RequestEventKind.THANKED:
        assert LetterRequest.get_by_id(request_id).thanked_on == TODAY


# --- faults: the right state, the right message, nothing duplicated --------------------


def _all_failed(ids, words):
    for email_id in ids:
        email = _state(email_id)
        assert email.state is S.FAILED and email.attempts == 1
        assert words in email.last_error and PASSWORD not in email.last_error


def test_a_wrong_password_fails_the_batch_with_that_reason(db, account, smtp_server, request_id):
    ids = [_email(request_id=request_id, purpose="request"), _email("b@h.org")]
    result = _send(ids, account, password="wrong-one")
    assert result.connection_failure is not None
    _all_failed(ids, "refused the username or password")
    assert smtp_server.delivered == [] and _status(request_id) == "planned"


def test_an_untrusted_certificate_fails_the_batch(db, untrusted_server, ca_file):
    ids = [_email(), _email("b@h.org")]
    _send(ids, untrusted_server.account(ca_file))
    _all_failed(ids, "not trusted")
    assert untrusted_server.attempts == [] and untrusted_server.handler.logins == []


def test_an_unreachable_server_fails_the_batch(db, smtp_server, ca_file):
    ids = [_email(), _email("b@h.org")]
    _send(ids, smtp_server.account(ca_file, port=closed_port()))
    _all_failed(ids, "refused the connection")


def test_a_drop_during_data_is_unclear_and_a_retry_reuses_the_message_id(
    db, account, smtp_server, faults, request_id
):
    faults.drop_data = 1
    email_id = _email(request_id=request_id, purpose="request")
    message_id = _state(email_id).message_id
    result = _send([email_id], account)
    assert result.outcomes[0].result is SendResult.UNCLEAR
    email = _state(email_id)
    assert email.state is S.SENDING and email.outcome_unclear and email.attempts == 1
    assert "not known whether it was accepted" in email.last_error
    assert outbox.interrupted() == [email_id]
    assert smtp_server.delivered == [] and _status(request_id) == "planned"

    # Not re-sent on its own, by a batch or by the schedule.
    assert _send([email_id], account).outcomes[0].result is SendResult.SKIPPED
    assert email_id not in outbox.due_for_sending(datetime.now(UTC))
    with pytest.raises(OutboxError, match="unknown outcome"):
        outbox.update_email(email_id, EmailFields("x@h.org", "Other", "Other"))

    outbox.retry(email_id)  # the user chose to send it again: the same message
    assert _send([email_id], account).outcomes[0].result is SendResult.SENT
    assert [a.message_id for a in smtp_server.attempts] == [message_id, message_id]
    assert [d.message_id for d in smtp_server.delivered] == [message_id]
    assert _state(email_id).attempts == 2 and _status(request_id) == "asked"


def test_when_the_server_kept_a_dropped_message_the_retry_carries_the_same_id(
    db, account, smtp_server, faults
):
    faults.drop_data, faults.keep_dropped = 1, True
    email_id = _email()
    _send([email_id], account)
    outbox.retry(email_id)
    _send([email_id], account)
    # Two hand-overs, one message: a receiving system can drop the duplicate.
    assert len(smtp_server.delivered) == 2
    assert len({d.message_id for d in smtp_server.delivered}) == 1


def test_an_unclear_email_the_user_confirms_is_sent_without_sending(
    db, account, smtp_server, faults, request_id
):
    faults.drop_data, faults.keep_dropped = 1, True
    email_id = _email(request_id=request_id, purpose="request")
    _send([email_id], account)
    outbox.confirm_sent(email_id, today=TODAY)
    assert _state(email_id).state is S.SENT and _status(request_id) == "asked"
    assert len(smtp_server.attempts) == 1


def test_after_a_drop_the_batch_reconnects_and_goes_on(db, account, smtp_server, faults):
    faults.drop_data = 1
    ids = [_email(f"w{i}@h.org") for i in range(3)]
    result = _send(ids, account)
    assert [o.result for o in result.outcomes] == [
        SendResult.UNCLEAR,
        SendResult.SENT,
        SendResult.SENT,
    ]
    assert len(smtp_server.handler.logins) == 2
    assert [d.message_id for d in smtp_server.delivered] == [_state(i).message_id for i in ids[1:]]


def test_a_server_that_keeps_dropping_stops_the_batch(db, account, smtp_server, faults):
    faults.drop_data = 10
    ids = [_email(f"w{i}@h.org") for i in range(4)]
    result = _send(ids, account)
    assert [o.result for o in result.outcomes] == [
        SendResult.UNCLEAR,
        SendResult.UNCLEAR,
        SendResult.FAILED,
        SendResult.FAILED,
    ]
    assert "kept dropping" in _state(ids[2]).last_error
    assert len(smtp_server.attempts) == 2 and smtp_server.delivered == []


def test_a_temporary_refusal_fails_then_a_retry_delivers_once(db, account, smtp_server, faults):
    faults.temporary_data = 1
    email_id = _email()
    message_id = _state(email_id).message_id
    _send([email_id], account)
    email = _state(email_id)
    assert (
        email.state is S.FAILED and "451" in email.last_error and "retry later" in email.last_error
    )
    outbox.retry(email_id)
    _send([email_id], account)
    assert _state(email_id).state is S.SENT and _state(email_id).attempts == 2
    assert [d.message_id for d in smtp_server.delivered] == [message_id]


def test_one_refused_email_does_not_stop_the_others(db, account, smtp_server, faults):
    faults.temporary_data = 1
    ids = [_email(f"w{i}@h.org") for i in range(3)]
    result = _send(ids, account)
    assert [o.result for o in result.outcomes] == [
        SendResult.FAILED,
        SendResult.SENT,
        SendResult.SENT,
    ]
    assert len(smtp_server.delivered) == 2


def test_a_missing_attachment_fails_that_email_only(db, account, smtp_server, data_paths):
    gone = data_paths.root / "generated" / "gone.pdf"
    broken = _email(attachments=(AttachmentRef("gone.pdf", path=str(gone)),))
    fine = _email("b@h.org")
    result = _send([broken, fine], account, documents_dir=data_paths.documents)
    assert [o.result for o in result.outcomes] == [SendResult.FAILED, SendResult.SENT]
    assert "gone.pdf is no longer at" in _state(broken).last_error


# --- cancel, schedule, crash, threads -----------------------------------------------------


def test_a_batch_is_cancelled_between_messages(db, account, smtp_server):
    ids = [_email(f"w{i}@h.org") for i in range(4)]
    done: list[int] = []
    result = _send(
        ids,
        account,
        progress=lambda d, t, e, o: done.append(e),
        cancelled=lambda: len(done) >= 2,
    )
    assert result.cancelled and done == ids[:2]
    assert [_state(i).state for i in ids] == [S.SENT, S.SENT, S.QUEUED, S.QUEUED]
    assert [_state(i).attempts for i in ids] == [1, 1, 0, 0]
    assert len(smtp_server.delivered) == 2


def test_scheduled_emails_are_due_only_when_their_time_comes(db, account, smtp_server):
    now = datetime(2026, 4, 21, 9, 0, tzinfo=UTC)
    email_id = outbox.create_draft(EmailFields("a@h.org", "Subject", "Body"))
    outbox.schedule(email_id, now + timedelta(hours=2), domain="example.org")
    queued = _email("b@h.org")
    assert outbox.due_for_sending(now) == [queued]
    early = _send([email_id], account, now=lambda: now.replace(tzinfo=None))
    assert early.outcomes[0].result is SendResult.SKIPPED and _state(email_id).state is S.SCHEDULED
    later = now + timedelta(hours=3)
    assert outbox.due_for_sending(later) == [email_id, queued]
    _send(outbox.due_for_sending(later), account, now=lambda: later.replace(tzinfo=None))
    assert _state(email_id).state is S.SENT and len(smtp_server.delivered) == 2


def test_an_email_interrupted_by_a_crash_reads_as_unclear_and_is_not_resent(
    db, account, smtp_server
):
    email_id = _email()
    assert outbox.claim(email_id, datetime.now(UTC)) is not None  # ... then the app died
    assert outbox.claim(email_id, datetime.now(UTC)) is None, "never claimed twice"
    email = _state(email_id)
    assert email.state is S.SENDING and email.last_error == outbox.INTERRUPTED_MESSAGE
    assert _send([email_id], account).outcomes[0].result is SendResult.SKIPPED
    assert smtp_server.attempts == []
    with pytest.raises(OutboxError, match="being sent"):
        outbox.delete_email(email_id)


def test_send_batch_runs_in_a_worker_thread_with_its_own_connection(
    db, account, smtp_server, request_id
):
    ids = [_email(request_id=request_id, purpose="request"), _email("b@h.org")]
    results = []
    worker = threading.Thread(target=lambda: results.append(_send(ids, account)))
    worker.start()
    worker.join(30)
    assert results and results[0].count(SendResult.SENT) == 2
    assert [_state(i).state for i in ids] == [S.SENT, S.SENT]
    assert _status(request_id) == "asked"
    assert not db.is_closed(), "the caller's connection is left open"


def test_editing_and_deleting(db):
    email_id = _email()
    outbox.update_email(email_id, EmailFields("a@h.org", "New subject", "New body", "c@h.org"))
    email = _state(email_id)
    assert (email.subject, email.cc_addrs, email.state) == ("New subject", "c@h.org", S.QUEUED)
    assert [e.id for e in outbox.list_outbox([S.QUEUED])] == [email_id]
    outbox.delete_email(email_id)
    assert OutgoingEmail.select().count() == 0 and outbox.list_outbox() == []


def test_the_password_is_nowhere_in_the_data_file(db, data_paths: Path, account, smtp_server):
    save_account(account)
    ids = [_email(), _email("b@h.org")]
    _send(ids[:1], account)
    _send(ids[1:], account, password=PASSWORD + "-wrong")
    db.execute_sql("PRAGMA wal_checkpoint(FULL)")
    for path in data_paths.root.rglob("*"):
        if path.is_file():
            assert PASSWORD.encode() not in path.read_bytes(), path


def test_a_password_the_server_echoes_never_reaches_the_stored_error(
    db, account, smtp_server, faults, caplog
):
    import base64
    import logging

    caplog.set_level(logging.DEBUG)
    faults.reject_auth = True
    faults.echo_credentials = True  # the 535 reply quotes the password
    ids = [_email(), _email("b@h.org")]
    result = _send(ids, account)
    assert result.connection_failure is not None
    secrets = (
        PASSWORD,
        base64.b64encode(PASSWORD.encode()).decode(),
        base64.b64encode(f"\0{account.username}\0{PASSWORD}".encode()).decode(),
    )
    shown = [result.connection_failure.message, *(_state(i).last_error for i in ids)]
    for text in shown:
        assert not any(secret in text for secret in secrets), text
        assert "Authentication failed for" in text and "with password •••" in text
    logged = caplog.text + "\n".join(r.getMessage() for r in caplog.records if r.name != "mail.log")
    assert not any(secret in logged for secret in secrets)
    assert smtp_server.delivered == []


# --- what may be queued: check_sendable, word for word -----------------------------------

_NO_AT = "Not a valid email address: An email address must have an @-sign."


@pytest.mark.parametrize(
    ("to", "cc", "subject", "problems"),
    [
        ("a@h.org", "", "Letter", []),
        ("a@h.org; Dr. Ada Okafor <b@h.org>", "c@h.org, d@h.org", "Letter", []),
        ("", "", "Letter", ["Add at least one recipient in To."]),
        (" ,; ", "", "Letter", ["Add at least one recipient in To."]),
        ("", "c@h.org", "Letter", ["Add at least one recipient in To."]),
        ("nobody", "", "Letter", [f"To: nobody: {_NO_AT}"]),
        ("Dr. Ada <nobody>", "", "Letter", [f"To: Dr. Ada <nobody>: {_NO_AT}"]),
        ("a@h.org", "x@h.org, nope", "Letter", [f"Cc: nope: {_NO_AT}"]),
        ("bad1, a@h.org; bad2", "", "Letter", [f"To: bad1: {_NO_AT}", f"To: bad2: {_NO_AT}"]),
        ("a@h.org", "", "", ["Add a subject."]),
        ("a@h.org", "", "   ", ["Add a subject."]),
        (
            "a@h.org",
            "",
            "Line\nbreak",
            ["The subject cannot contain line breaks or control characters."],
        ),
        ("", "", "", ["Add at least one recipient in To.", "Add a subject."]),
    ],
)
def test_check_sendable_names_every_problem(to, cc, subject, problems):
    fields = EmailFields(to_addrs=to, cc_addrs=cc, subject=subject, body="Dear Dr. Okafor,\n")
    assert outbox.check_sendable(fields) == problems


def test_queueing_an_unsendable_email_says_why_and_leaves_it_a_draft(db):
    email_id = outbox.create_draft(EmailFields(to_addrs="nobody", subject="", body="x"))
    with pytest.raises(OutboxError) as caught:
        outbox.queue(email_id, domain="example.org")
    assert str(caught.value) == f"To: nobody: {_NO_AT} Add a subject."
    email = _state(email_id)
    assert email.state is S.DRAFT and email.message_id in (None, "")
