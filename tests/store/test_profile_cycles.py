"""Cycle edits that would break letters already planned are refused."""

from __future__ import annotations

import pytest

from desktop.store.models import Assignment, Cycle, LetterRequest, Mentor, Program
from desktop.store.profile import CycleChangeRefused, CycleFields, update_cycle


def make_cycle_with_a_full_program(db, letters: int) -> Cycle:
    cycle = Cycle.create(service="other", name="Away rotations", max_letters_per_program=6)
    program = Program.create(cycle=cycle, name="Bayview")
    for number in range(letters):
        mentor = Mentor.create(last_name=f"Writer{number}", category="other")
        request = LetterRequest.create(mentor=mentor, cycle=cycle, letter_type="narrative")
        Assignment.create(request=request, program=program)
    return cycle


def test_the_cap_cannot_drop_below_a_programs_letters(db):
    cycle = make_cycle_with_a_full_program(db, 5)
    with pytest.raises(CycleChangeRefused, match="already has 5 letters assigned, more than 4"):
        update_cycle(cycle.id, CycleFields("other", "Away rotations", 4))
    assert Cycle.get_by_id(cycle.id).max_letters_per_program == 6
    update_cycle(cycle.id, CycleFields("other", "Away rotations (VSLO)", 5))
    saved = Cycle.get_by_id(cycle.id)
    assert (saved.name, saved.max_letters_per_program) == ("Away rotations (VSLO)", 5)


def test_the_service_cannot_change_once_there_are_requests(db):
    cycle = make_cycle_with_a_full_program(db, 1)
    with pytest.raises(CycleChangeRefused, match="service cannot change"):
        update_cycle(cycle.id, CycleFields("eras_residency", "Away rotations", 4))
    assert Cycle.get_by_id(cycle.id).service == "other"
    empty = Cycle.create(service="other", name="Spare", max_letters_per_program=4)
    update_cycle(empty.id, CycleFields("amcas", "AMCAS 2027", 10))
    assert Cycle.get_by_id(empty.id).service == "amcas"
