"""Letter requests: the Requests table, the editor, status moves, events,
backups and choosing a writer.

Every rule comes from ``desktop.domain`` (status machine, ranking); this
module reads and writes rows, in one transaction per user action, and turns
refusals into exceptions that carry a sentence for the user.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, fields
from datetime import date, datetime

import peewee as pw

from desktop.domain.people import mentor_display_name
from desktop.domain.ranking import LetterNeed, RankedMentor, rank_candidates
from desktop.domain.status import (
    ASKED_OR_LATER,
    NOT_COMING_STATUSES,
    check_transition,
    dates_after_move,
    is_correction,
)
from desktop.domain.vocabulary import LetterType, RequestEventKind, RequestStatus, Service
from desktop.errors import UserError

from .models import (
    Assignment,
    Cycle,
    LetterRequest,
    Mentor,
    Program,
    RequestEvent,
    StatusChange,
    database_proxy,
    utc_now,
)
from .today import (
    WAIVERS,
    DayCache,
    collector_paused,
    fk_id,
    fk_id_or_none,
    load_mentor_records,
)


class RequestError(UserError):
    """A change the user asked for that cannot be made; ``user_message``
    says why and what to do instead."""


class DuplicateLetterIdError(RequestError):
    def __init__(self, letter_id: str, other_mentor: str) -> None:
        super().__init__(
            f"Letter ID {letter_id} is already used for the letter from {other_mentor} "
            "in this cycle. Each letter ID belongs to one author; check the ID in the "
            "letter service."
        )
        self.letter_id = letter_id


class TransitionRefused(RequestError):
    """The status machine refused the move (message from ``check_transition``)."""


# --- the Requests table -----------------------------------------------------------


@dataclass(slots=True)
class RequestRow:
    """One line of the Requests table (and one card of the board)."""

    id: int
    mentor_id: int
    mentor_name: str
    mentor_archived: bool
    cycle_id: int
    cycle_name: str
    letter_type: LetterType
    specialty: str
    status: RequestStatus
    planned_ask_on: date | None
    asked_on: date | None
    due_on: date | None
    submitted_on: date | None
    thanked_on: date | None
    letter_id: str | None
    waiver: bool | None
    program_count: int
    backup_for: int | None
    search_text: str  # lower-cased haystack for the filter box


# One pass over the requests; mentor and cycle by primary key, the number of
# programs by an index seek. The mentor's name parts come packed in one
# column (fewer values to fetch) and are unpacked once per mentor.
_ROWS_SQL = """
SELECT r.id, r.mentor_id,
       m.honorific || char(31) || m.first_name || char(31) || m.last_name || char(31)
           || m.credentials || char(31) || m.archived,
       r.cycle_id, c.name, r.letter_type, r.specialty, r.status, r.planned_ask_on,
       r.asked_on, r.due_on, r.submitted_on, r.thanked_on, r.letter_id, r.waiver,
       (SELECT count(*) FROM assignment a WHERE a.request_id = r.id), r.backup_for_id
FROM letter_request r
JOIN mentor m ON m.id = r.mentor_id
JOIN cycle c ON c.id = r.cycle_id
"""
_STATUS = {s.value: s for s in RequestStatus}
_TYPES = {t.value: t for t in LetterType}
_STATUS_WORDS = {s: s.label.casefold() for s in RequestStatus}
_TYPE_WORDS = {t: t.label.casefold() for t in LetterType}


def _rows(cursor: object) -> list[RequestRow]:
    d = DayCache()
    # Names and haystack parts are per mentor and cycle, not per request.
    names: dict[int, tuple[str, str, bool]] = {}
    cycles: dict[str, str] = {}
    rows = []
    for (rid, mid, packed, cid, cycle_name, letter_type, specialty, status, planned, asked,
         due, submitted, thanked, letter_id, waiver, programs,
         backup_for) in cursor:  # type: ignore[attr-defined]  # fmt: skip
        named = names.get(mid)
        if named is None:
            honorific, first, last, credentials, archived = packed.split("\x1f")
            name = mentor_display_name(honorific, first, last, credentials)
            named = names[mid] = (name, name.casefold(), archived == "1")
        cycle_word = cycles.get(cycle_name)
        if cycle_word is None:
            cycle_word = cycles[cycle_name] = cycle_name.casefold()
        status_e = _STATUS[status]
        type_e = _TYPES[letter_type]
        rows.append(
            RequestRow(
                rid,
                mid,
                named[0],
                named[2],
                cid,
                cycle_name,
                type_e,
                specialty,
                status_e,
                d[planned],
                d[asked],
                d[due],
                d[submitted],
                d[thanked],
                letter_id,
                WAIVERS[waiver],
                programs,
                backup_for,
                f"{named[1]} {specialty.casefold()} {_STATUS_WORDS[status_e]} "
                f"{_TYPE_WORDS[type_e]} {cycle_word} {(letter_id or '').casefold()}",
            )
        )
    return rows


def load_request_rows(
    *, cycle_id: int | None = None, mentor_id: int | None = None, first: int | None = None
) -> list[RequestRow]:
    """Every request (or one cycle's, or one writer's), in id order, with one
    query; or only the ``first`` few by due date, to fill a screen while the
    rest loads."""
    if mentor_id is not None:
        sql = _ROWS_SQL + " WHERE r.mentor_id = ? ORDER BY r.id"
        return _rows(database_proxy.execute_sql(sql, (mentor_id,)))
    with collector_paused():
        if first is not None:
            # Two queries so each can walk the due-date index instead of
            # sorting the whole table: dated requests first, then undated.
            dated = _ROWS_SQL + " WHERE r.due_on IS NOT NULL ORDER BY r.due_on, r.id LIMIT ?"
            rows = _rows(database_proxy.execute_sql(dated, (first,)))
            if len(rows) < first:
                undated = _ROWS_SQL + " WHERE r.due_on IS NULL ORDER BY r.id LIMIT ?"
                rows += _rows(database_proxy.execute_sql(undated, (first - len(rows),)))
            return rows
        if cycle_id is None:
            return _rows(database_proxy.execute_sql(_ROWS_SQL + " ORDER BY r.id"))
        sql = _ROWS_SQL + " WHERE r.cycle_id = ? ORDER BY r.id"
        return _rows(database_proxy.execute_sql(sql, (cycle_id,)))


def count_writers() -> int:
    """How many mentors have at least one request (an index walk)."""
    return int(
        database_proxy.execute_sql(
            "SELECT count(DISTINCT mentor_id) FROM letter_request"
        ).fetchone()[0]
    )


def count_requests() -> int:
    return int(database_proxy.execute_sql("SELECT count(*) FROM letter_request").fetchone()[0])


def load_request_row(request_id: int) -> RequestRow | None:
    rows = _rows(database_proxy.execute_sql(_ROWS_SQL + " WHERE r.id = ?", (request_id,)))
    return rows[0] if rows else None


# --- the editor -------------------------------------------------------------------


@dataclass
class RequestFields:
    """What the request editor edits. The status and the asked/submitted
    dates change only through ``move_status``; thanks through ``log_event``."""

    mentor_id: int
    cycle_id: int
    letter_type: str = LetterType.NARRATIVE.value
    specialty: str = "General"
    waiver: bool | None = None
    letter_id: str | None = None
    planned_ask_on: date | None = None
    due_on: date | None = None
    backup_for: int | None = None
    notes: str = ""

    @classmethod
    def of(cls, request: LetterRequest) -> RequestFields:
        return cls(
            mentor_id=fk_id(request, "mentor"),
            cycle_id=fk_id(request, "cycle"),
            letter_type=request.letter_type,
            specialty=request.specialty,
            waiver=request.waiver,
            letter_id=request.letter_id,
            planned_ask_on=request.planned_ask_on,
            due_on=request.due_on,
            backup_for=fk_id_or_none(request, "backup_for"),
            notes=request.notes,
        )


def get_request(request_id: int) -> LetterRequest:
    return LetterRequest.get_by_id(request_id)


def load_request_fields(request_id: int) -> RequestFields:
    """What the request editor edits, as stored."""
    return RequestFields.of(LetterRequest.get_by_id(request_id))


def _data(values: RequestFields) -> dict[str, object]:
    data = {f.name: getattr(values, f.name) for f in fields(RequestFields)}
    data["mentor"] = data.pop("mentor_id")
    data["cycle"] = data.pop("cycle_id")
    letter_id = (values.letter_id or "").strip()
    data["letter_id"] = letter_id or None  # "" would collide; NULLs do not
    data["specialty"] = values.specialty.strip() or "General"
    return data


def _check_letter_id(values: RequestFields, request_id: int | None) -> None:
    letter_id = (values.letter_id or "").strip()
    if not letter_id:
        return
    query = LetterRequest.select(LetterRequest.id, LetterRequest.mentor).where(
        (LetterRequest.cycle == values.cycle_id) & (LetterRequest.letter_id == letter_id)
    )
    if request_id is not None:
        query = query.where(LetterRequest.id != request_id)
    other = query.first()
    if other is not None:
        mentor = Mentor.get_by_id(fk_id(other, "mentor"))
        name = mentor_display_name(
            mentor.honorific, mentor.first_name, mentor.last_name, mentor.credentials
        )
        raise DuplicateLetterIdError(letter_id, name)


def _check_backup_for(values: RequestFields, request_id: int | None) -> None:
    if values.backup_for is None:
        return
    if values.backup_for == request_id:
        raise RequestError("A request cannot be the backup for itself.")
    original = LetterRequest.get_or_none(LetterRequest.id == values.backup_for)
    if original is None:
        raise RequestError("The request this one stands in for no longer exists.")
    if fk_id(original, "cycle") != values.cycle_id:
        raise RequestError("A backup must be in the same cycle as the letter it replaces.")


def create_request(values: RequestFields) -> int:
    """Create a planned request and record its creation in the history."""
    with database_proxy.atomic():
        _check_letter_id(values, None)
        _check_backup_for(values, None)
        now = utc_now()
        try:
            request = LetterRequest.create(
                **_data(values), status=RequestStatus.PLANNED.value, status_since=now.date()
            )
        except pw.IntegrityError as exc:  # a concurrent writer took the ID
            raise DuplicateLetterIdError(values.letter_id or "", "another writer") from exc
        StatusChange.create(
            request=request.id, changed_at=now, from_status=None, to_status=request.status
        )
    return request.id


def update_request(request_id: int, values: RequestFields) -> None:
    with database_proxy.atomic():
        current = LetterRequest.get_by_id(request_id)
        _check_letter_id(values, request_id)
        _check_backup_for(values, request_id)
        if values.cycle_id != fk_id(current, "cycle") and (
            Assignment.select().where(Assignment.request == request_id).exists()
        ):
            raise RequestError(
                "This letter is assigned to programs of its cycle. Unassign it from "
                "them before moving it to another cycle."
            )
        if values.waiver is None and RequestStatus(current.status) in ASKED_OR_LATER:
            service = Cycle.get_by_id(values.cycle_id).service
            if check_transition(
                RequestStatus.PLANNED, RequestStatus.ASKED, waiver=None, service=Service(service)
            ):
                raise RequestError(
                    "The writer has already been asked, and this letter service requires "
                    "the waiver question to be answered; choose yes or no."
                )
        try:
            LetterRequest.update(**_data(values), updated_at=utc_now()).where(
                LetterRequest.id == request_id
            ).execute()
        except pw.IntegrityError as exc:
            raise DuplicateLetterIdError(values.letter_id or "", "another writer") from exc


def delete_request(request_id: int) -> None:
    """Delete a request with its history, events and assignments. Backups
    that stood in for it stay, no longer linked."""
    LetterRequest.delete_by_id(request_id)


# --- the status machine -----------------------------------------------------------


def _moment(on: date) -> datetime:
    """``StatusChange.changed_at`` for a move the user dates ``on``: that
    day, at the current (UTC) time of day, so the date part is the one the
    advice counts from and changes on one day still sort as made."""
    return datetime.combine(on, utc_now().time())


@dataclass(frozen=True, slots=True)
class MoveReceipt:
    """A move just made, with what the request held before it: enough for
    ``undo_move`` to put it back exactly."""

    request_id: int
    change_id: int  # the StatusChange the move recorded
    from_status: RequestStatus
    to_status: RequestStatus
    asked_on: date | None
    submitted_on: date | None
    status_since: date | None


UNDO_NOTE = "Undone right after the move"


def move_status(
    request_id: int, to_status: RequestStatus | str, *, note: str = "", on: date, today: date
) -> MoveReceipt:
    """Move the request to ``to_status`` as of ``on`` (recorded, dated, with
    ``note``), or raise ``TransitionRefused`` with the status machine's reason.
    The receipt lets the move be undone."""
    to_status = RequestStatus(to_status)
    with database_proxy.atomic():
        request = LetterRequest.get_by_id(request_id)
        service = Service(Cycle.get_by_id(fk_id(request, "cycle")).service)
        from_status = RequestStatus(request.status)
        refusal = check_transition(
            from_status, to_status, waiver=request.waiver, service=service, on=on, today=today
        )
        if refusal is not None:
            raise TransitionRefused(refusal)
        dates = dates_after_move(
            from_status,
            to_status,
            on=on,
            asked_on=request.asked_on,
            submitted_on=request.submitted_on,
        )
        changed = (
            LetterRequest.update(
                status=to_status.value,
                asked_on=dates.asked_on,
                submitted_on=dates.submitted_on,
                # The date part of the change recorded below (see ``_moment``).
                status_since=on,
                updated_at=utc_now(),
            )
            .where((LetterRequest.id == request_id) & (LetterRequest.status == from_status.value))
            .execute()
        )
        if changed != 1:  # another window moved it meanwhile
            raise TransitionRefused("The request changed meanwhile; look at it again and retry.")
        change = StatusChange.create(
            request=request_id,
            changed_at=_moment(on),
            from_status=from_status.value,
            to_status=to_status.value,
            note=note.strip(),
        )
    return MoveReceipt(
        request_id,
        change.id,
        from_status,
        to_status,
        request.asked_on,
        request.submitted_on,
        request.status_since,
    )


def undo_move(receipt: MoveReceipt) -> None:
    """Put the request back as it was before the move ``receipt`` describes:
    its status and its asked, submitted and status dates. The history keeps
    the move and records the undo after it, so it still tells what happened.
    Refused (``TransitionRefused``) when the request has moved since."""
    with database_proxy.atomic():
        request = LetterRequest.get_or_none(LetterRequest.id == receipt.request_id)
        latest = (
            StatusChange.select(pw.fn.MAX(StatusChange.id))
            .where(StatusChange.request == receipt.request_id)
            .scalar()
        )
        if (
            request is None
            or RequestStatus(request.status) is not receipt.to_status
            or latest != receipt.change_id
        ):
            raise TransitionRefused(
                "This letter has changed since, so the move cannot be undone from here. "
                "Open the request and correct its status there."
            )
        LetterRequest.update(
            status=receipt.from_status.value,
            asked_on=receipt.asked_on,
            submitted_on=receipt.submitted_on,
            status_since=receipt.status_since,
            updated_at=utc_now(),
        ).where(LetterRequest.id == receipt.request_id).execute()
        StatusChange.create(
            request=receipt.request_id,
            changed_at=utc_now(),
            from_status=receipt.to_status.value,
            to_status=receipt.from_status.value,
            note=UNDO_NOTE,
        )


def move_refusal(
    request_id: int, to_status: RequestStatus | str, *, on: date, today: date
) -> str | None:
    """Why the status machine would refuse the move now, or None: asked
    before anything else (a note, say), so a refused move says why first.
    ``move_status`` checks again when it writes."""
    request = LetterRequest.get_by_id(request_id)
    service = Service(Cycle.get_by_id(fk_id(request, "cycle")).service)
    return check_transition(
        RequestStatus(request.status),
        RequestStatus(to_status),
        waiver=request.waiver,
        service=service,
        on=on,
        today=today,
    )


@dataclass(frozen=True, slots=True)
class HistoryEntry:
    id: int
    on: date  # the day the user gave for the move
    recorded_at: datetime  # UTC
    from_status: RequestStatus | None  # None: the request was created
    to_status: RequestStatus
    note: str
    is_correction: bool


def status_history(request_id: int) -> list[HistoryEntry]:
    """The request's moves in the order they were made."""
    entries = []
    query = (
        StatusChange.select().where(StatusChange.request == request_id).order_by(StatusChange.id)
    )
    for change in query:
        from_status = RequestStatus(change.from_status) if change.from_status else None
        to_status = RequestStatus(change.to_status)
        at = change.changed_at
        if isinstance(at, str):
            at = datetime.fromisoformat(at)
        entries.append(
            HistoryEntry(
                change.id,
                at.date(),
                at,
                from_status,
                to_status,
                change.note,
                from_status is not None and is_correction(from_status, to_status),
            )
        )
    return entries


# --- events: reminded, thanked, outcome shared ------------------------------------


@dataclass(frozen=True, slots=True)
class EventEntry:
    id: int
    kind: RequestEventKind
    on: date
    note: str


def log_event(request_id: int, kind: RequestEventKind | str, on: date, note: str = "") -> int:
    """Record a reminder, a thank-you or the outcome shared. A thank-you
    also sets the request's ``thanked_on`` (the latest thank-you counts)."""
    kind = RequestEventKind(kind)
    with database_proxy.atomic():
        request = LetterRequest.get_by_id(request_id)
        event = RequestEvent.create(request=request_id, kind=kind.value, occurred_on=on, note=note)
        if kind is RequestEventKind.THANKED and (
            request.thanked_on is None or on > request.thanked_on
        ):
            LetterRequest.update(thanked_on=on, updated_at=utc_now()).where(
                LetterRequest.id == request_id
            ).execute()
    return event.id


def events_for(request_id: int) -> list[EventEntry]:
    """Newest first."""
    query = (
        RequestEvent.select()
        .where(RequestEvent.request == request_id)
        .order_by(RequestEvent.occurred_on.desc(), RequestEvent.id.desc())
    )
    return [EventEntry(e.id, RequestEventKind(e.kind), e.occurred_on, e.note) for e in query]


def delete_event(event_id: int) -> None:
    """Remove a logged event; ``thanked_on`` follows the remaining thanks."""
    with database_proxy.atomic():
        event = RequestEvent.get_or_none(RequestEvent.id == event_id)
        if event is None:
            return
        event.delete_instance()
        if event.kind == RequestEventKind.THANKED.value:
            latest = (
                RequestEvent.select(pw.fn.MAX(RequestEvent.occurred_on))
                .where(
                    (RequestEvent.request == fk_id(event, "request"))
                    & (RequestEvent.kind == RequestEventKind.THANKED.value)
                )
                .scalar()
            )
            LetterRequest.update(thanked_on=latest, updated_at=utc_now()).where(
                LetterRequest.id == fk_id(event, "request")
            ).execute()


# --- backups and choosing a writer --------------------------------------------------


@dataclass(frozen=True)
class BackupResult:
    request_id: int
    assigned_program_ids: tuple[int, ...]
    # Programs the backup could not join, with the reason (e.g. the cap).
    not_assigned: tuple[tuple[int, str], ...] = ()


def create_backup(
    declined_request_id: int, mentor_id: int, *, note: str = "", assign_programs: bool = True
) -> BackupResult:
    """A planned request from ``mentor_id`` standing in for the declined (or
    overdue) one: same cycle, letter type, specialty, due date and waiver
    choice, assigned to the same programs unless ``assign_programs`` is
    False (where assigning is final, the user may rather do it later). The
    original keeps its assignments (a declined letter leaves room under the
    cap)."""
    from .programs import AssignmentRefused, assign  # programs imports this module

    with database_proxy.atomic():
        original = LetterRequest.get_by_id(declined_request_id)
        if RequestStatus(original.status) in (RequestStatus.SUBMITTED, RequestStatus.WITHDRAWN):
            raise RequestError(
                f"This letter is {RequestStatus(original.status).label.lower()}; "
                "it does not need a backup."
            )
        if fk_id(original, "mentor") == mentor_id:
            raise RequestError("Choose another writer: the backup must come from someone else.")
        request_id = create_request(
            RequestFields(
                mentor_id=mentor_id,
                cycle_id=fk_id(original, "cycle"),
                letter_type=original.letter_type,
                specialty=original.specialty,
                waiver=original.waiver,
                due_on=original.due_on,
                backup_for=original.id,
                notes=note,
            )
        )
        assigned, refused = [], []
        programs = (
            Assignment.select(Assignment.program)
            .where(Assignment.request == original.id)
            .order_by(Assignment.id)
        )
        for assignment in programs if assign_programs else ():
            try:
                assign(request_id, fk_id(assignment, "program"))
            except AssignmentRefused as exc:
                refused.append((fk_id(assignment, "program"), exc.user_message))
            else:
                assigned.append(fk_id(assignment, "program"))
    return BackupResult(request_id, tuple(assigned), tuple(refused))


def _writing_in_cycle(cycle_id: int) -> set[int]:
    not_coming = [s.value for s in NOT_COMING_STATUSES]
    query = LetterRequest.select(LetterRequest.mentor).where(
        (LetterRequest.cycle == cycle_id) & LetterRequest.status.not_in(not_coming)
    )
    return {fk_id(r, "mentor") for r in query}


def _declined_in_cycle(cycle_id: int) -> dict[int, date | None]:
    """Mentor → the day they (last) declined a letter for the cycle."""
    query = LetterRequest.select(LetterRequest.mentor, LetterRequest.status_since).where(
        (LetterRequest.cycle == cycle_id) & (LetterRequest.status == RequestStatus.DECLINED.value)
    )
    declined: dict[int, date | None] = {}
    for r in query:
        mentor_id, since = fk_id(r, "mentor"), r.status_since
        known = declined.get(mentor_id)
        declined[mentor_id] = since if known is None or (since and since > known) else known
    return declined


def candidates_for(
    need: LetterNeed,
    *,
    today: date,
    cycle_id: int | None = None,
    exclude: Collection[int] = (),
) -> list[RankedMentor]:
    """Mentors ranked for a letter, best first, with the reasons. With a
    ``cycle_id``, mentors already writing in that cycle are marked down and
    those who declined a letter for it come last, saying so."""
    mentors = load_mentor_records(include_archived=False)
    writing = _writing_in_cycle(cycle_id) if cycle_id is not None else set()
    declined = _declined_in_cycle(cycle_id) if cycle_id is not None else {}
    return rank_candidates(
        mentors, need, today=today, exclude=exclude, already_writing=writing, declined=declined
    )


def backup_candidates(request_id: int, *, today: date) -> list[RankedMentor]:
    """Candidates to replace the writer of ``request_id`` (who is left out),
    for the same kind of letter."""
    request = LetterRequest.get_by_id(request_id)
    need = LetterNeed(LetterType(request.letter_type), request.specialty)
    return candidates_for(
        need, today=today, cycle_id=fk_id(request, "cycle"), exclude=(fk_id(request, "mentor"),)
    )


def program_names_for(request_id: int) -> list[str]:
    query = (
        Program.select(Program.name)
        .join(Assignment)
        .where(Assignment.request == request_id)
        .order_by(Program.name)
    )
    return [p.name for p in query]
