"""Letter requests against a real SQLite file: rows, editor, status moves,
events, backups and candidate ranking."""

from __future__ import annotations

from datetime import date

import pytest

from desktop.domain.ranking import LetterNeed
from desktop.domain.vocabulary import LetterType, RequestEventKind, RequestStatus, Service
from desktop.store.mentors import InteractionFields, MentorFields, save_interaction, save_mentor
from desktop.store.models import Assignment, Cycle, LetterRequest, StatusChange
from desktop.store.programs import ProgramFields, assign, assignments_for_request, create_program
from desktop.store.requests import (
    DuplicateLetterIdError,
    RequestError,
    RequestFields,
    TransitionRefused,
    backup_candidates,
    candidates_for,
    create_backup,
    create_request,
    delete_event,
    events_for,
    get_request,
    load_request_fields,
    load_request_row,
    load_request_rows,
    log_event,
    move_refusal,
    move_status,
    status_history,
    update_request,
)

TODAY = date(2031, 7, 15)
S = RequestStatus


def _cycle(service: Service = Service.ERAS_RESIDENCY, cap: int = 4, name: str = "ERAS 2032") -> int:
    return Cycle.create(service=service.value, name=name, max_letters_per_program=cap).id


def _mentor(last: str = "Okafor", **extra) -> int:
    values = {"first_name": "Amara", "honorific": "Dr.", "credentials": "MD", **extra}
    return save_mentor(MentorFields(last_name=last, category="clinical_supervisor", **values))


@pytest.fixture
def eras(db):
    return _cycle()


def _request(cycle_id: int, mentor_id: int, **changes) -> int:
    values = RequestFields(mentor_id=mentor_id, cycle_id=cycle_id, waiver=True)
    for key, value in changes.items():
        setattr(values, key, value)
    return create_request(values)


def test_create_request_is_planned_with_its_creation_recorded(db, eras):
    rid = _request(eras, _mentor(), letter_type="chair", specialty="Internal Medicine")
    request = get_request(rid)
    assert request.status == "planned"
    history = status_history(rid)
    assert [(h.from_status, h.to_status) for h in history] == [(None, S.PLANNED)]
    assert not history[0].is_correction


def test_rows_carry_names_counts_and_search_text(db, eras):
    okafor = _mentor(credentials="MD, FACP")
    rid = _request(eras, okafor, letter_id="L-1", specialty="Cardiology", due_on=date(2031, 9, 1))
    program = create_program(ProgramFields(cycle_id=eras, name="Lakeshore IM"))
    assign(rid, program)
    row = load_request_row(rid)
    assert row is not None
    assert row.mentor_name == "Dr. Amara Okafor, MD, FACP"
    assert row.cycle_name == "ERAS 2032"
    assert row.status is S.PLANNED and row.letter_type is LetterType.NARRATIVE
    assert row.due_on == date(2031, 9, 1) and row.asked_on is None
    assert row.letter_id == "L-1" and row.waiver is True
    assert row.program_count == 1
    assert "okafor" in row.search_text and "cardiology" in row.search_text
    assert "l-1" in row.search_text
    other = _request(eras, _mentor("Haddad"))
    rows = load_request_rows()
    assert [r.id for r in rows] == [rid, other]
    assert rows[1].program_count == 0 and rows[1].letter_id is None
    assert load_request_rows(cycle_id=_cycle(name="Other")) == []


def test_letter_id_unique_per_cycle_with_a_clear_message(db, eras):
    first = _request(eras, _mentor(), letter_id="L-7")
    second = _request(eras, _mentor("Haddad"))
    values = RequestFields.of(get_request(second))
    values.letter_id = " L-7 "
    with pytest.raises(DuplicateLetterIdError) as caught:
        update_request(second, values)
    assert "L-7" in caught.value.user_message and "Okafor" in caught.value.user_message
    with pytest.raises(DuplicateLetterIdError):
        _request(eras, _mentor("Wang"), letter_id="L-7")
    # The same ID in another cycle is fine; an empty ID never collides.
    _request(_cycle(name="AMCAS"), _mentor("Lee"), letter_id="L-7")
    _request(eras, _mentor("Ng"), letter_id="")
    _request(eras, _mentor("Ho"), letter_id="")
    assert get_request(first).letter_id == "L-7"
    assert get_request(second).letter_id is None


def test_move_status_records_history_and_dates(db, eras):
    rid = _request(eras, _mentor())
    move_status(rid, S.ASKED, on=date(2031, 7, 1), today=TODAY, note="in person")
    move_status(rid, S.ACCEPTED, on=date(2031, 7, 3), today=TODAY)
    move_status(rid, "submitted", on=date(2031, 7, 10), today=TODAY)
    request = get_request(rid)
    assert request.status == "submitted"
    assert request.asked_on == date(2031, 7, 1)
    assert request.submitted_on == date(2031, 7, 10)
    history = status_history(rid)
    assert [h.to_status for h in history] == [S.PLANNED, S.ASKED, S.ACCEPTED, S.SUBMITTED]
    assert [h.on for h in history[1:]] == [date(2031, 7, 1), date(2031, 7, 3), date(2031, 7, 10)]
    assert history[1].note == "in person"

    # Undo is allowed, recorded as a correction, and clears the date.
    move_status(rid, S.ACCEPTED, on=TODAY, today=TODAY, note="marked by mistake")
    assert get_request(rid).submitted_on is None
    assert status_history(rid)[-1].is_correction


def test_refused_moves_change_nothing(db, eras):
    rid = _request(eras, _mentor(), waiver=None)
    with pytest.raises(TransitionRefused) as caught:
        move_status(rid, S.ASKED, on=TODAY, today=TODAY)
    assert "waiver" in caught.value.user_message
    with pytest.raises(TransitionRefused):
        move_status(rid, S.SUBMITTED, on=TODAY, today=TODAY)
    values = RequestFields.of(get_request(rid))
    values.waiver = False
    update_request(rid, values)
    with pytest.raises(TransitionRefused, match="future"):
        move_status(rid, S.ASKED, on=date(2031, 7, 16), today=TODAY)
    assert get_request(rid).status == "planned"
    assert StatusChange.select().where(StatusChange.request == rid).count() == 1
    # AMCAS does not require the waiver before the ask.
    amcas = _request(_cycle(Service.AMCAS, 10, "AMCAS"), _mentor("Lee"), waiver=None)
    move_status(amcas, S.ASKED, on=TODAY, today=TODAY)
    assert get_request(amcas).status == "asked"


def test_move_refusal_says_why_before_anything_is_written(db, eras):
    rid = _request(eras, _mentor(), waiver=None, notes="Met at rounds")
    assert "waiver" in (move_refusal(rid, S.ASKED, on=TODAY, today=TODAY) or "")
    assert StatusChange.select().where(StatusChange.request == rid).count() == 1
    values = load_request_fields(rid)
    assert (values.notes, values.waiver) == ("Met at rounds", None)
    values.waiver = True
    update_request(rid, values)
    assert move_refusal(rid, S.ASKED, on=TODAY, today=TODAY) is None
    assert "future" in (move_refusal(rid, S.ASKED, on=date(2031, 7, 16), today=TODAY) or "")


def test_waiver_cannot_be_unset_once_asked_for_eras(db, eras):
    rid = _request(eras, _mentor())
    move_status(rid, S.ASKED, on=TODAY, today=TODAY)
    values = RequestFields.of(get_request(rid))
    values.waiver = None
    with pytest.raises(RequestError, match="waiver"):
        update_request(rid, values)


def test_events_and_thanks(db, eras):
    rid = _request(eras, _mentor())
    log_event(rid, RequestEventKind.REMINDED, date(2031, 7, 2), "email")
    first = log_event(rid, "thanked", date(2031, 7, 12))
    assert get_request(rid).thanked_on == date(2031, 7, 12)
    log_event(rid, RequestEventKind.THANKED, date(2031, 7, 5))  # older: does not move it back
    assert get_request(rid).thanked_on == date(2031, 7, 12)
    assert [e.kind for e in events_for(rid)] == [
        RequestEventKind.THANKED, RequestEventKind.THANKED, RequestEventKind.REMINDED,
    ]  # fmt: skip
    delete_event(first)
    assert get_request(rid).thanked_on == date(2031, 7, 5)


def test_backup_carries_the_letter_over_and_keeps_the_original(db, eras):
    nguyen, okafor = _mentor("Nguyen"), _mentor("Okafor")
    declined = _request(
        eras, nguyen, letter_type="chair", specialty="Internal Medicine",
        due_on=date(2031, 9, 1), letter_id="L-9",
    )  # fmt: skip
    programs = [create_program(ProgramFields(cycle_id=eras, name=f"P{i}")) for i in range(2)]
    for program in programs:
        assign(declined, program)
    move_status(declined, S.ASKED, on=date(2031, 7, 1), today=TODAY)
    move_status(declined, S.DECLINED, on=date(2031, 7, 5), today=TODAY, note="sabbatical")

    result = create_backup(declined, okafor)

    backup = get_request(result.request_id)
    assert backup.status == "planned" and backup.backup_for_id == declined
    assert (backup.mentor_id, backup.cycle_id) == (okafor, eras)
    assert (backup.letter_type, backup.specialty) == ("chair", "Internal Medicine")
    assert backup.due_on == date(2031, 9, 1) and backup.letter_id is None
    assert set(result.assigned_program_ids) == set(programs)
    assert {p.program_id for p in assignments_for_request(declined)} == set(programs)
    assert load_request_row(result.request_id).backup_for == declined
    with pytest.raises(RequestError):
        create_backup(declined, nguyen)  # the writer who declined


def test_backup_reports_programs_at_the_cap(db, eras):
    late = _request(eras, _mentor("Late"), due_on=date(2031, 7, 1))
    program = create_program(ProgramFields(cycle_id=eras, name="Full"))
    assign(late, program)
    for i in range(3):
        assign(_request(eras, _mentor(f"W{i}")), program)
    # The overdue letter still counts toward the cap, so its backup cannot join.
    result = create_backup(late, _mentor("Backup"))
    assert result.assigned_program_ids == ()
    assert result.not_assigned[0][0] == program
    assert "4 letters" in result.not_assigned[0][1]
    assert Assignment.select().where(Assignment.program == program).count() == 4


def test_candidates_ranked_with_log_and_cycle(db, eras):
    chair = _mentor("Chair", is_department_chair=True, strength=3)
    strong = _mentor("Strong", strength=5, specialty="Internal Medicine")
    archived = _mentor("Gone", strength=5)
    from desktop.store.mentors import set_archived

    set_archived(archived, True)
    for days in (1, 2, 3):
        save_interaction(
            strong,
            InteractionFields(date(2031, 7, days), "feedback", "Good", mention_in_letter=True),
        )
    ranked = candidates_for(LetterNeed(LetterType.NARRATIVE, "Internal Medicine"), today=TODAY)
    assert [c.mentor_id for c in ranked][:2] == [strong, chair]
    assert archived not in [c.mentor_id for c in ranked]
    assert any("3 interactions" in reason for reason in ranked[0].reasons)
    assert any("3 examples" in reason for reason in ranked[0].reasons)
    chair_ranked = candidates_for(LetterNeed(LetterType.CHAIR), today=TODAY)
    assert chair_ranked[0].mentor_id == chair
    # Already writing in this cycle: marked down.
    _request(eras, strong)
    again = candidates_for(LetterNeed(LetterType.NARRATIVE), today=TODAY, cycle_id=eras)
    strong_entry = next(c for c in again if c.mentor_id == strong)
    assert "already writing a letter for this cycle" in strong_entry.reasons


def test_backup_candidates_leave_out_the_writer(db, eras):
    first = _mentor("First")
    other = _mentor("Other")
    rid = _request(eras, first)
    assert [c.mentor_id for c in backup_candidates(rid, today=TODAY)] == [other]


def test_changing_cycle_with_assignments_is_refused(db, eras):
    rid = _request(eras, _mentor())
    assign(rid, create_program(ProgramFields(cycle_id=eras, name="P")))
    values = RequestFields.of(get_request(rid))
    values.cycle_id = _cycle(name="Other")
    with pytest.raises(RequestError, match="Unassign"):
        update_request(rid, values)
    assert LetterRequest.get_by_id(rid).cycle_id == eras
