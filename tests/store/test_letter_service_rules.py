"""The store applies each cycle's service rules: caps the service allows,
caps counted in their scope, and assignments the service keeps."""

from __future__ import annotations

from datetime import date

import pytest

from desktop.errors import UserError
from desktop.store.mentors import MentorFields, save_mentor
from desktop.store.models import Assignment, Cycle
from desktop.store.profile import CycleFields, create_cycle, update_cycle
from desktop.store.programs import (
    AssignmentRefused,
    ProgramFields,
    assign,
    assignments_for_program,
    change_assignments,
    create_program,
    final_on_assigning,
    unassign,
)
from desktop.store.requests import RequestFields, create_request, move_status

TODAY = date(2031, 7, 15)


def _letter(cycle_id: int, last: str) -> int:
    mentor = save_mentor(MentorFields(last_name=last, category="other"))
    return create_request(RequestFields(mentor_id=mentor, cycle_id=cycle_id, waiver=True))


# --- failing before format 3 ---------------------------------------------------


def test_an_eras_cycle_with_a_cap_of_six_is_refused(db):
    with pytest.raises(UserError) as caught:
        create_cycle(CycleFields("eras_residency", "ERAS residency 2032", 6))
    assert "ERAS residency" in caught.value.user_message and "4" in caught.value.user_message
    assert Cycle.select().count() == 0


def test_amcas_refuses_an_eleventh_different_letter_across_two_schools(db):
    amcas = create_cycle(CycleFields("amcas", "AMCAS 2032", 10))
    north = create_program(ProgramFields(cycle_id=amcas, name="Northbridge SOM"))
    south = create_program(ProgramFields(cycle_id=amcas, name="Southport COM"))
    letters = [_letter(amcas, f"Writer {n}") for n in range(14)]
    for rid in letters[:7]:
        assign(rid, north)
    for rid in letters[7:10]:
        assign(rid, south)
    with pytest.raises(AssignmentRefused) as caught:
        assign(letters[10], south)  # the eleventh different letter
    assert "10" in caught.value.user_message and "per application" in caught.value.user_message
    # A letter already in the application can go to another school.
    assign(letters[0], south)
    assert Assignment.select().count() == 11


# --- format 3 ---------------------------------------------------------------------


def test_a_per_application_cap_cannot_drop_below_the_letters_in_use(db):
    other = create_cycle(CycleFields("other", "Interfolio", 5, cap_scope="per_application"))
    a = create_program(ProgramFields(cycle_id=other, name="A"))
    b = create_program(ProgramFields(cycle_id=other, name="B"))
    for n, program in enumerate((a, a, b, b)):
        assign(_letter(other, f"W{n}"), program)
    with pytest.raises(UserError) as caught:
        update_cycle(other, CycleFields("other", "Interfolio", 3, cap_scope="per_application"))
    assert "4 different letters" in caught.value.user_message
    update_cycle(other, CycleFields("other", "Interfolio", 4, cap_scope="per_application"))


def test_an_eras_assignment_is_sent_to_the_service_and_stays(db):
    eras = create_cycle(CycleFields("eras_residency", "ERAS residency 2032", 4))
    program = create_program(ProgramFields(cycle_id=eras, name="Lakeshore IM"))
    rid = _letter(eras, "Okafor")
    (final,) = final_on_assigning([(rid, program)])
    assert (final.request_id, final.service_name) == (rid, "ERAS residency")
    assign(rid, program)
    assert Assignment.get().sent_to_service
    assert assignments_for_program(program)[0].final
    with pytest.raises(UserError) as caught:
        unassign(rid, program)
    assert "cannot be unassigned" in caught.value.user_message
    assert "Lakeshore IM" in caught.value.user_message
    refused = change_assignments([(rid, program)], [])
    assert [pair for pair, _why in refused] == [(rid, program)]
    assert Assignment.select().count() == 1


def test_residencycas_lets_go_until_the_letter_is_submitted(db):
    cas = create_cycle(CycleFields("residencycas", "ResidencyCAS 2032", 4))
    program = create_program(ProgramFields(cycle_id=cas, name="St. Brigid EM"))
    rid = _letter(cas, "Haddad")
    assert final_on_assigning([(rid, program)]) == []
    assign(rid, program)
    assert not Assignment.get().sent_to_service
    assert unassign(rid, program) is True
    assign(rid, program)
    move_status(rid, "asked", on=TODAY, today=TODAY)
    move_status(rid, "submitted", on=TODAY, today=TODAY)
    assert assignments_for_program(program)[0].final
    with pytest.raises(UserError) as caught:
        unassign(rid, program)
    assert "submitted letter" in caught.value.user_message
    # A submitted letter assigned now is final at once: the UI asks first.
    second = create_program(ProgramFields(cycle_id=cas, name="Lakeshore EM"))
    assert [f.program_id for f in final_on_assigning([(rid, second)])] == [second]


def test_a_program_keeps_no_letters_an_obgyn_rule_rules_out(db):
    cas = create_cycle(CycleFields("residencycas", "ResidencyCAS 2032", 4))
    program = create_program(ProgramFields(cycle_id=cas, name="Lakeshore OB/GYN"))
    mentor = save_mentor(MentorFields(last_name="Reyes", category="other"))
    sloe = create_request(RequestFields(mentor, cas, letter_type="apgo_sloe", waiver=True))
    narrative = create_request(RequestFields(mentor, cas, waiver=True))
    assign(sloe, program)
    with pytest.raises(AssignmentRefused) as caught:
        assign(narrative, program)
    assert "APGO SLOE" in caught.value.user_message


def test_a_backup_can_be_made_without_taking_final_assignments(db):
    from desktop.store.programs import backup_assignments_final
    from desktop.store.requests import create_backup

    eras = create_cycle(CycleFields("eras_residency", "ERAS residency 2032", 4))
    program = create_program(ProgramFields(cycle_id=eras, name="Lakeshore IM"))
    rid = _letter(eras, "Nguyen")
    assign(rid, program)
    move_status(rid, "asked", on=TODAY, today=TODAY)
    move_status(rid, "declined", on=TODAY, today=TODAY)
    assert backup_assignments_final(rid) == ("ERAS residency", ["Lakeshore IM"])
    backup = save_mentor(MentorFields(last_name="Okafor", category="other"))
    result = create_backup(rid, backup, assign_programs=False)
    assert result.assigned_program_ids == () and Assignment.select().count() == 1
    # Where assignments can be undone, nothing needs asking.
    other = create_cycle(CycleFields("other", "Away", 2))
    away = create_program(ProgramFields(cycle_id=other, name="Bayview"))
    second = _letter(other, "Wang")
    assign(second, away)
    assert backup_assignments_final(second) == ("", [])
