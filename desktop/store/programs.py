"""Programs, assigning letters to them under the cycle's cap, and coverage.

The cap and the coverage rules are ``desktop.domain.coverage``; here they
get their inputs from the database, and an assignment is checked and written
in one (immediate) transaction, so two windows cannot both add "the fourth"
letter.
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass, fields
from datetime import date

from desktop.domain.coverage import ProgramCoverage, can_assign, program_coverage
from desktop.domain.letter_services import (
    assigning_is_final,
    assignment_is_final,
    cap_sentence,
    service_rules,
)
from desktop.domain.people import mentor_display_name
from desktop.domain.records import RequestRecord
from desktop.domain.status import NOT_COMING_STATUSES
from desktop.domain.thresholds import AdviceThresholds
from desktop.domain.vocabulary import (
    AssignmentUndo,
    CapScope,
    LetterType,
    ProgramStatus,
    RequestStatus,
)
from desktop.errors import UserError

from .models import Assignment, LetterRequest, Mentor, Program, database_proxy
from .requests import RequestFields, create_request
from .today import (
    DayCache,
    as_day,
    collector_paused,
    fk_id,
    load_cycle_record,
    load_cycle_records,
    load_program_records,
    load_request_records,
)


class AssignmentRefused(UserError):
    """The letter cannot go to that program; ``user_message`` says why."""


class ProgramCycleChangeRefused(AssignmentRefused):
    pass


@dataclass(slots=True)
class ProgramRow:
    """One line of the Programs table, with what coverage needs."""

    id: int
    cycle_id: int
    cycle_name: str
    name: str
    specialty: str
    location: str
    deadline: date | None
    status: ProgramStatus
    letters_required: int
    specialty_letters_required: int
    chair_letter_required: bool
    standardized_letter_required: bool
    # Letters assigned that still count toward the cap (not declined or
    # withdrawn), all letters assigned, and the cap of the cycle.
    assigned_count: int
    assigned_total: int
    max_letters: int
    search_text: str
    # The cap in words, in its scope: "at most 10 letters per application".
    cap_text: str = ""
    cap_scope: str = CapScope.PER_PROGRAM.value


_NOT_COMING = tuple(s.value for s in NOT_COMING_STATUSES)
_ROWS_SQL = f"""
SELECT p.id, p.cycle_id, c.name, p.name, p.specialty, p.location, p.deadline, p.status,
       p.letters_required, p.specialty_letters_required, p.chair_letter_required,
       p.standardized_letter_required, coalesce(a.live, 0), coalesce(a.total, 0),
       c.max_letters_per_program, c.service, c.cap_scope
FROM program p
JOIN cycle c ON c.id = p.cycle_id
LEFT JOIN (
    SELECT a.program_id,
           sum(r.status NOT IN {_NOT_COMING!r}) AS live, count(*) AS total
    FROM assignment a JOIN letter_request r ON r.id = a.request_id
    GROUP BY a.program_id
) a ON a.program_id = p.id
"""
_PROGRAM_STATUSES = {s.value: s for s in ProgramStatus}


def load_program_rows(*, cycle_id: int | None = None) -> list[ProgramRow]:
    sql = _ROWS_SQL
    params: tuple[int, ...] = ()
    if cycle_id is not None:
        sql += " WHERE p.cycle_id = ?"
        params = (cycle_id,)
    days = DayCache()
    rows = []
    for (pid, cid, cycle_name, name, specialty, location, deadline, status, letters,
         specialty_letters, chair, standardized, live, total, cap, service,
         scope) in database_proxy.execute_sql(sql + " ORDER BY p.id", params):  # fmt: skip
        rows.append(
            ProgramRow(
                pid,
                cid,
                cycle_name,
                name,
                specialty,
                location,
                days[deadline],
                _PROGRAM_STATUSES.get(status, ProgramStatus.CONSIDERING),
                letters,
                specialty_letters,
                bool(chair),
                bool(standardized),
                live,
                total,
                cap,
                " ".join((name, specialty, location, cycle_name)).casefold(),
                cap_sentence(cap, scope, service_rules(service)),
                scope,
            )
        )
    return rows


@dataclass
class ProgramFields:
    cycle_id: int
    name: str
    specialty: str = ""
    location: str = ""
    deadline: date | None = None
    status: str = ProgramStatus.CONSIDERING.value
    letters_required: int = 3
    specialty_letters_required: int = 0
    chair_letter_required: bool = False
    standardized_letter_required: bool = False
    notes: str = ""

    @classmethod
    def of(cls, program: Program) -> ProgramFields:
        values = {f.name: getattr(program, f.name) for f in fields(cls) if f.name != "cycle_id"}
        return cls(cycle_id=fk_id(program, "cycle"), **values)


def _data(values: ProgramFields) -> dict[str, object]:
    data = {f.name: getattr(values, f.name) for f in fields(ProgramFields)}
    data["cycle"] = data.pop("cycle_id")
    return data


def load_program_fields(program_id: int) -> ProgramFields | None:
    """What the program form edits, or None when the program no longer exists."""
    program = Program.get_or_none(Program.id == program_id)
    return None if program is None else ProgramFields.of(program)


def create_program(values: ProgramFields) -> int:
    return Program.create(**_data(values)).id


def update_program(program_id: int, values: ProgramFields) -> None:
    with database_proxy.atomic():
        current = Program.get_by_id(program_id)
        if (
            values.cycle_id != fk_id(current, "cycle")
            and Assignment.select().where(Assignment.program == program_id).exists()
        ):
            raise ProgramCycleChangeRefused(
                "Letters of this cycle are assigned to the program. Unassign them before "
                "moving the program to another cycle."
            )
        Program.update(**_data(values)).where(Program.id == program_id).execute()


def delete_program(program_id: int) -> None:
    """Delete the program and its assignments (the letters stay)."""
    Program.delete_by_id(program_id)


# --- assignment ------------------------------------------------------------------


def assign(request_id: int, program_id: int) -> int:
    """Assign the letter to the program, or raise ``AssignmentRefused``
    (another cycle, withdrawn program or request, declined writer, already
    assigned, a combination the service rules out, or the cycle's cap
    reached in its scope). Where the service makes the assignment final at
    once (ERAS), it is marked as sent to the service: ask the user first
    (``final_on_assigning``). Returns the assignment id."""
    db = database_proxy
    with db.atomic("IMMEDIATE"):  # a savepoint when nested
        programs = load_program_records(
            include_archived_cycles=True, where="p.id = ?", params=(program_id,)
        )
        if not programs:
            raise AssignmentRefused("That program no longer exists.")
        program = programs[0]
        requests = load_request_records(
            include_archived_cycles=True, where="r.id = ?", params=(request_id,)
        )
        if not requests:
            raise AssignmentRefused("That letter request no longer exists.")
        cycle = load_cycle_record(program.cycle_id)
        assert cycle is not None  # foreign key
        assigned = _records(program.request_ids)
        refusal = can_assign(
            requests[0],
            program,
            cycle=cycle,
            assigned=assigned,
            application=_application_letters(program.cycle_id),
        )
        if refusal is not None:
            raise AssignmentRefused(refusal)
        sent = assigning_is_final(cycle.service, requests[0].status)
        return Assignment.create(request=request_id, program=program_id, sent_to_service=sent).id


def _application_letters(cycle_id: int) -> list:
    """Every distinct letter assigned to any program of the cycle."""
    return load_request_records(
        include_archived_cycles=True,
        where="r.cycle_id = ? AND r.id IN (SELECT a.request_id FROM assignment a "
        "JOIN program p ON p.id = a.program_id WHERE p.cycle_id = ?)",
        params=(cycle_id, cycle_id),
    )


@dataclass(frozen=True, slots=True)
class FinalAssignment:
    """An assignment the service will not let go of once it is made."""

    request_id: int
    program_id: int
    service_name: str


def final_on_assigning(
    add: list[tuple[int, int]], remove: list[tuple[int, int]] | None = None
) -> list[FinalAssignment]:
    """Of the (request id, program id) pairs ``change_assignments(remove,
    add)`` would assign, those the service makes final at once, so the UI
    asks before saving. Tried in a transaction that is rolled back, so the
    answer is the store's own rules, and nothing changes."""
    found: list[FinalAssignment] = []
    with database_proxy.atomic("IMMEDIATE") as trial:
        for pair in remove or []:
            with contextlib.suppress(AssignmentFinal):  # kept, as the real save keeps it
                unassign(*pair)
        for request_id, program_id in add:
            try:
                assignment_id = assign(request_id, program_id)
            except AssignmentRefused:
                continue
            if Assignment.get_by_id(assignment_id).sent_to_service:
                service = database_proxy.execute_sql(
                    "SELECT c.service FROM letter_request r JOIN cycle c ON c.id = r.cycle_id "
                    "WHERE r.id = ?",
                    (request_id,),
                ).fetchone()[0]
                found.append(
                    FinalAssignment(request_id, program_id, service_rules(service).display_name)
                )
        trial.rollback()
    return found


def backup_assignments_final(request_id: int) -> tuple[str, list[str]]:
    """The service's name and the programs of ``request_id`` where a backup
    letter, assigned in its place, would be final at once (ERAS); no
    programs where the service lets assignments go."""
    rows = database_proxy.execute_sql(
        "SELECT c.service, p.name FROM assignment a JOIN program p ON p.id = a.program_id "
        "JOIN cycle c ON c.id = p.cycle_id WHERE a.request_id = ? ORDER BY a.id",
        (request_id,),
    ).fetchall()
    if not rows or not assigning_is_final(rows[0][0], RequestStatus.PLANNED):
        return ("", [])
    return (service_rules(rows[0][0]).display_name, [name for _service, name in rows])


def create_request_for_programs(
    values: RequestFields, program_ids: list[int]
) -> tuple[int, list[tuple[int, str]]]:
    """A new request (``RequestFields``) assigned to ``program_ids`` in one
    transaction: the request and every assignment the rules allow are saved;
    returns its id and the programs refused, each with the reason."""
    refused: list[tuple[int, str]] = []
    with database_proxy.atomic("IMMEDIATE"):
        request_id = create_request(values)
        for program_id in program_ids:
            try:
                assign(request_id, program_id)
            except AssignmentRefused as refusal:
                refused.append((program_id, refusal.user_message))
    return request_id, refused


def _records(request_ids: tuple[int, ...]) -> list:
    if not request_ids:
        return []
    marks = ", ".join("?" * len(request_ids))
    return load_request_records(
        include_archived_cycles=True,
        where=f"r.id IN ({marks})",
        params=tuple(request_ids),
    )


def change_assignments(
    remove: list[tuple[int, int]], add: list[tuple[int, int]]
) -> list[tuple[tuple[int, int], str]]:
    """Unassign then assign (request id, program id) pairs in one
    transaction; removals go first because they make room under the cap.
    Returns the pairs the rules refused (an assignment that is final at the
    service, or one over the cap…), each with the reason; the rest are saved."""
    refused: list[tuple[tuple[int, int], str]] = []
    with database_proxy.atomic("IMMEDIATE"):
        for pair in remove:
            try:
                unassign(*pair)
            except AssignmentFinal as final:
                refused.append((pair, final.user_message))
        for pair in add:
            try:
                assign(*pair)
            except AssignmentRefused as refusal:
                refused.append((pair, refusal.user_message))
    return refused


def program_notes(program_id: int) -> str | None:
    """The program's notes, or None when it no longer exists."""
    program = Program.get_or_none(Program.id == program_id)
    return None if program is None else program.notes


class AssignmentFinal(UserError):
    """The service does not let this letter be unassigned any more."""


def unassign(request_id: int, program_id: int) -> bool:
    """Remove the assignment; False when there was none. Raises
    ``AssignmentFinal`` when the service keeps it (ERAS once assigned,
    ResidencyCAS and AACOMAS once the letter is in)."""
    with database_proxy.atomic():
        row = database_proxy.execute_sql(
            "SELECT c.service, c.name, r.status, a.sent_to_service, p.name "
            "FROM assignment a JOIN letter_request r ON r.id = a.request_id "
            "JOIN program p ON p.id = a.program_id JOIN cycle c ON c.id = p.cycle_id "
            "WHERE a.request_id = ? AND a.program_id = ?",
            (request_id, program_id),
        ).fetchone()
        if row is None:
            return False
        service, cycle_name, status, sent, program_name = row
        if assignment_is_final(service, status, sent_to_service=bool(sent)):
            rules = service_rules(service)
            why = (
                "an assigned letter cannot be unassigned"
                if rules.undo is AssignmentUndo.NEVER
                else "a submitted letter stays with the programs it was assigned to"
            )
            raise AssignmentFinal(
                f"This letter stays assigned to {program_name}: in {rules.display_name} "
                f"({cycle_name}), {why}. LetterDesk keeps it as the service does; for a "
                "change, contact the service's support."
            )
        deleted = (
            Assignment.delete()
            .where((Assignment.request == request_id) & (Assignment.program == program_id))
            .execute()
        )
        return bool(deleted)


@dataclass(frozen=True, slots=True)
class AssignedProgram:
    program_id: int
    name: str
    deadline: date | None
    status: ProgramStatus


@dataclass(frozen=True, slots=True)
class AssignedLetter:
    request_id: int
    mentor_name: str
    letter_type: LetterType
    specialty: str
    status: RequestStatus
    due_on: date | None
    counts_toward_cap: bool
    # The service keeps this assignment (sent to ERAS, or submitted at a
    # Liaison CAS): it cannot be unassigned.
    final: bool = False


def assignments_for_request(request_id: int) -> list[AssignedProgram]:
    query = (
        Program.select(Program.id, Program.name, Program.deadline, Program.status)
        .join(Assignment)
        .where(Assignment.request == request_id)
        .order_by(Program.deadline.asc(nulls="LAST"), Program.name)
    )
    return [AssignedProgram(p.id, p.name, p.deadline, ProgramStatus(p.status)) for p in query]


def assignments_for_program(program_id: int) -> list[AssignedLetter]:
    query = (
        LetterRequest.select(LetterRequest, Mentor)
        .join(Assignment, on=(Assignment.request == LetterRequest.id))
        .switch(LetterRequest)
        .join(Mentor)
        .where(Assignment.program == program_id)
        .order_by(Assignment.id)
    )
    sent = dict(
        database_proxy.execute_sql(
            "SELECT a.request_id, a.sent_to_service FROM assignment a WHERE a.program_id = ?",
            (program_id,),
        )
    )
    service_row = database_proxy.execute_sql(
        "SELECT c.service FROM program p JOIN cycle c ON c.id = p.cycle_id WHERE p.id = ?",
        (program_id,),
    ).fetchone()
    letters = []
    for r in query:
        m = r.mentor
        status = RequestStatus(r.status)
        final = service_row is not None and assignment_is_final(
            service_row[0], status, sent_to_service=bool(sent.get(r.id))
        )
        letters.append(
            AssignedLetter(
                r.id,
                mentor_display_name(m.honorific, m.first_name, m.last_name, m.credentials),
                LetterType(r.letter_type),
                r.specialty,
                status,
                as_day(r.due_on),
                status not in NOT_COMING_STATUSES,
                final,
            )
        )
    return letters


# --- coverage --------------------------------------------------------------------


def coverage_for_programs(
    today: date,
    thresholds: AdviceThresholds,
    *,
    cycle_id: int | None = None,
    include_archived_cycles: bool = False,
) -> dict[int, ProgramCoverage]:
    """Program id → its coverage (met, at risk, not met, not evaluated), for
    every program (or one cycle's). Three queries: programs, the assigned
    requests, cycles."""
    with collector_paused():
        return _coverage(today, thresholds, cycle_id, include_archived_cycles)


def _coverage(
    today: date, thresholds: AdviceThresholds, cycle_id: int | None, include_archived_cycles: bool
) -> dict[int, ProgramCoverage]:
    where, params = ("p.cycle_id = ?", (cycle_id,)) if cycle_id is not None else ("", ())
    programs = load_program_records(
        include_archived_cycles=include_archived_cycles, where=where, params=params
    )
    request_where = "r.id IN (SELECT request_id FROM assignment)"
    if cycle_id is not None:
        request_where += " AND r.cycle_id = ?"
    requests = {
        r.id: r
        for r in load_request_records(
            include_archived_cycles=True, where=request_where, params=params
        )
    }
    cycles = {c.id: c for c in load_cycle_records()}
    # Per cycle, every distinct letter assigned to any of its programs (all
    # of a cycle's programs are loaded together, archived or not, so this
    # counts the whole application).
    application: dict[int, dict[int, RequestRecord]] = {}
    for p in programs:
        letters = application.setdefault(p.cycle_id, {})
        letters.update((i, requests[i]) for i in p.request_ids if i in requests)
    return {
        p.id: program_coverage(
            p,
            [requests[i] for i in p.request_ids if i in requests],
            today=today,
            thresholds=thresholds,
            cycle=cycles.get(p.cycle_id),
            application=list(application[p.cycle_id].values()),
        )
        for p in programs
    }
