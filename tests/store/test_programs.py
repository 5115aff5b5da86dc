"""Programs, assignment under the cycle's cap, and coverage from the database."""

from __future__ import annotations

from datetime import date

import pytest

from desktop.domain.coverage import CoverageState
from desktop.domain.thresholds import AdviceThresholds
from desktop.domain.vocabulary import ProgramStatus, RequestStatus, Service
from desktop.store.mentors import MentorFields, save_mentor
from desktop.store.models import Assignment, Cycle, LetterRequest
from desktop.store.programs import (
    AssignmentRefused,
    ProgramFields,
    assign,
    assignments_for_program,
    assignments_for_request,
    change_assignments,
    coverage_for_programs,
    create_program,
    delete_program,
    load_program_fields,
    load_program_rows,
    unassign,
    update_program,
)
from desktop.store.requests import RequestFields, create_request, move_status

TODAY = date(2031, 7, 15)


def _cycle(service: Service = Service.ERAS_RESIDENCY, cap: int = 4, name: str = "ERAS") -> int:
    return Cycle.create(service=service.value, name=name, max_letters_per_program=cap).id


def _letter(cycle_id: int, last: str, **changes) -> int:
    mentor = save_mentor(MentorFields(last_name=last, category="other", honorific="Dr."))
    values = RequestFields(mentor_id=mentor, cycle_id=cycle_id, waiver=True)
    for key, value in changes.items():
        setattr(values, key, value)
    return create_request(values)


@pytest.fixture
def eras(db):
    return _cycle()


def test_fifth_letter_to_an_eras_program_is_refused(db, eras):
    program = create_program(ProgramFields(cycle_id=eras, name="Lakeshore IM"))
    letters = [_letter(eras, f"W{i}") for i in range(5)]
    for rid in letters[:4]:
        assign(rid, program)
    with pytest.raises(AssignmentRefused) as caught:
        assign(letters[4], program)
    assert "4 letters" in caught.value.user_message and "ERAS" in caught.value.user_message
    assert Assignment.select().where(Assignment.program == program).count() == 4

    # A declined letter leaves room for another one.
    move_status(letters[0], RequestStatus.ASKED, on=TODAY, today=TODAY)
    move_status(letters[0], RequestStatus.DECLINED, on=TODAY, today=TODAY)
    assign(letters[4], program)
    row = load_program_rows()[0]
    assert (row.assigned_count, row.assigned_total, row.max_letters) == (4, 5, 4)


def test_amcas_cap_is_ten(db):
    amcas = _cycle(Service.AMCAS, 10, "AMCAS")
    program = create_program(ProgramFields(cycle_id=amcas, name="State SOM"))
    for i in range(10):
        assign(_letter(amcas, f"W{i}"), program)
    with pytest.raises(AssignmentRefused):
        assign(_letter(amcas, "Eleven"), program)


def test_other_refusals(db, eras):
    program = create_program(ProgramFields(cycle_id=eras, name="P"))
    rid = _letter(eras, "A")
    assign(rid, program)
    with pytest.raises(AssignmentRefused, match="already assigned"):
        assign(rid, program)
    other_cycle = _letter(_cycle(name="Other"), "B")
    with pytest.raises(AssignmentRefused, match="another cycle"):
        assign(other_cycle, program)
    values = load_program_fields(program)
    assert values is not None
    values.status = ProgramStatus.WITHDRAWN.value
    update_program(program, values)
    with pytest.raises(AssignmentRefused, match="withdrew"):
        assign(_letter(eras, "C"), program)


def test_change_assignments_removes_first_and_reports_each_refusal(db):
    # A service whose assignments can be undone (ERAS ones cannot: see
    # tests/store/test_letter_service_rules.py).
    other = _cycle(Service.OTHER, 4, "Away")
    program = create_program(ProgramFields(cycle_id=other, name="Lakeshore IM"))
    letters = [_letter(other, f"W{i}") for i in range(6)]
    for rid in letters[:4]:
        assign(rid, program)
    # Unticking one makes room for one more under the cap of 4; the sixth is refused.
    refused = change_assignments(
        [(letters[0], program)], [(letters[4], program), (letters[5], program)]
    )
    assert [pair for pair, _reason in refused] == [(letters[5], program)]
    assert "4 letters" in refused[0][1]
    assert [a.request_id for a in assignments_for_program(program)] == letters[1:5]


def test_program_fields_of_a_deleted_program_are_none(db, eras):
    program = create_program(ProgramFields(cycle_id=eras, name="Lakeshore IM", location="Chicago"))
    values = load_program_fields(program)
    assert values is not None and (values.name, values.location) == ("Lakeshore IM", "Chicago")
    delete_program(program)
    assert load_program_fields(program) is None


def test_unassign_and_listings(db):
    other = _cycle(Service.OTHER, 4, "Away")
    first = create_program(ProgramFields(cycle_id=other, name="B", deadline=date(2031, 9, 20)))
    second = create_program(ProgramFields(cycle_id=other, name="A", deadline=date(2031, 9, 1)))
    rid = _letter(other, "Okafor", due_on=date(2031, 8, 20))
    assign(rid, first)
    assign(rid, second)
    assert [p.name for p in assignments_for_request(rid)] == ["A", "B"]
    letters = assignments_for_program(first)
    assert [(x.request_id, x.mentor_name, x.due_on) for x in letters] == [
        (rid, "Dr. Okafor", date(2031, 8, 20))
    ]
    assert letters[0].counts_toward_cap
    assert unassign(rid, first) is True
    assert unassign(rid, first) is False
    assert [p.program_id for p in assignments_for_request(rid)] == [second]
    delete_program(second)
    assert assignments_for_request(rid) == []
    assert LetterRequest.get_by_id(rid).status == "planned"


def test_program_rows_and_search_text(db, eras):
    create_program(
        ProgramFields(
            cycle_id=eras, name="Lakeshore Internal Medicine", specialty="Internal Medicine",
            location="Chicago, IL", letters_required=4, chair_letter_required=True,
        )
    )  # fmt: skip
    (row,) = load_program_rows()
    assert row.status is ProgramStatus.CONSIDERING
    assert row.letters_required == 4 and row.chair_letter_required
    assert "chicago" in row.search_text and row.cycle_name == "ERAS"
    assert load_program_rows(cycle_id=_cycle(name="X")) == []


def test_coverage_states_from_the_database(db, eras):
    t = AdviceThresholds()
    deadline = date(2031, 10, 1)
    met = create_program(
        ProgramFields(cycle_id=eras, name="Met", letters_required=1, deadline=deadline)
    )
    chair = create_program(
        ProgramFields(cycle_id=eras, name="Chair", letters_required=1, chair_letter_required=True)
    )
    risky = create_program(ProgramFields(cycle_id=eras, name="Risky", letters_required=1))
    gone = create_program(
        ProgramFields(cycle_id=eras, name="Gone", status=ProgramStatus.WITHDRAWN.value)
    )
    done = _letter(eras, "Done", due_on=date(2031, 9, 1))
    move_status(done, RequestStatus.ASKED, on=TODAY, today=TODAY)
    move_status(done, RequestStatus.SUBMITTED, on=TODAY, today=TODAY)
    late = _letter(eras, "Late", due_on=date(2031, 7, 1))
    assign(done, met)
    assign(done, chair)
    assign(late, risky)

    coverage = coverage_for_programs(TODAY, t)
    assert coverage[met].state is CoverageState.MET
    assert coverage[chair].state is CoverageState.NOT_MET
    assert "needs a chair letter" in coverage[chair].reasons
    assert coverage[risky].state is CoverageState.AT_RISK
    assert "1 overdue" in coverage[risky].reasons[0]
    assert coverage[gone].state is CoverageState.NOT_EVALUATED
    assert set(coverage_for_programs(TODAY, t, cycle_id=_cycle(name="X"))) == set()
