"""Program coverage (met / at risk / not met, with reasons) and the
per-program cap of each letter service."""

from __future__ import annotations

from desktop.domain.coverage import (
    CoverageState,
    LetterState,
    Risk,
    can_assign,
    counts_toward_cap,
    letter_standing,
    program_coverage,
)
from desktop.domain.thresholds import AdviceThresholds
from desktop.domain.vocabulary import LetterType, ProgramStatus, Service
from desktop.domain.vocabulary import RequestStatus as S

from .records_factory import TODAY, cycle, day, program, request

T = AdviceThresholds()


def coverage(prog, letters, cyc=None):
    return program_coverage(prog, letters, today=TODAY, thresholds=T, cycle=cyc)


def submitted(id, **kw):
    return request(id, S.SUBMITTED, submitted_on=day(-5), **kw)


def on_track(id, **kw):
    kw.setdefault("due_on", day(30))
    return request(id, S.ACCEPTED, asked_on=day(-20), **kw)


# --- one letter -------------------------------------------------------------


def standing(letter, deadline=None):
    return letter_standing(letter, deadline=deadline, today=TODAY, thresholds=T)


def test_letter_standings():
    assert standing(submitted(1)).state is LetterState.SUBMITTED
    assert standing(on_track(1)).state is LetterState.ON_TRACK
    assert standing(request(1, S.WITHDRAWN)).state is LetterState.NOT_COUNTED
    assert standing(request(1, S.DECLINED)).risk is Risk.DECLINED
    assert standing(request(1, S.ASKED, due_on=day(-1))).risk is Risk.OVERDUE
    assert standing(request(1, S.PLANNED, due_on=day(20))).risk is Risk.LATE_ASK


def test_letter_due_today_is_not_overdue():
    assert standing(request(1, S.ASKED, due_on=TODAY)).state is LetterState.ON_TRACK


def test_planned_letter_with_enough_lead_or_no_due_date_is_on_track():
    assert standing(request(1, S.PLANNED, due_on=day(28))).state is LetterState.ON_TRACK
    assert standing(request(1, S.PLANNED)).state is LetterState.ON_TRACK


def test_program_deadline_counts_as_the_letters_due_date():
    # No due date of its own, but the program's deadline has passed.
    assert standing(request(1, S.ASKED), deadline=day(-2)).risk is Risk.OVERDUE
    # Due after the program deadline: it will be late for this program.
    late = standing(request(1, S.ASKED, due_on=day(40)), deadline=day(30))
    assert late.risk is Risk.AFTER_DEADLINE


# --- coverage of a program -----------------------------------------------------


def test_met_when_submitted_and_on_track_letters_cover_everything():
    prog = program(letters_required=3)
    result = coverage(prog, [submitted(1), submitted(2), on_track(3)])
    assert result.state is CoverageState.MET
    assert result.reasons == ("2 of 3 letters submitted, 1 on the way",)
    assert (result.submitted, result.on_track, result.at_risk) == (2, 1, 0)


def test_overdue_letter_makes_the_program_at_risk_with_the_issue_3_wording():
    prog = program(letters_required=3)
    overdue = request(3, S.ASKED, due_on=day(-2))
    result = coverage(prog, [submitted(1), submitted(2), overdue])
    assert result.state is CoverageState.AT_RISK
    assert result.reasons[0] == "2 of 3 letters submitted, 1 overdue"


def test_declined_letter_never_comes_so_the_program_is_not_met():
    # Issue 11: it used to be "at risk", as if the letter might still arrive.
    prog = program(letters_required=2)
    result = coverage(prog, [submitted(1), request(2, S.DECLINED)])
    assert result.state is CoverageState.NOT_MET
    assert "1 declined" in result.reasons[0]
    assert "needs 1 more letter" in result.reasons


def test_planned_letter_with_too_little_lead_time_is_at_risk():
    prog = program(letters_required=1)
    result = coverage(prog, [request(1, S.PLANNED, due_on=day(10))])
    assert result.state is CoverageState.AT_RISK
    assert "1 not yet asked with too little lead time" in result.reasons[0]


def test_not_met_when_letters_are_missing():
    prog = program(letters_required=3)
    result = coverage(prog, [submitted(1)])
    assert result.state is CoverageState.NOT_MET
    assert result.reasons == ("1 of 3 letters submitted", "needs 2 more letters")


def test_no_letters_at_all():
    result = coverage(program(letters_required=1), [])
    assert result.state is CoverageState.NOT_MET
    assert result.reasons == ("0 of 1 letter submitted", "needs 1 more letter")


def test_chair_letter_requirement():
    prog = program(letters_required=2, chair_letter_required=True)
    result = coverage(prog, [submitted(1), submitted(2)])
    assert result.state is CoverageState.NOT_MET
    assert "needs a chair letter" in result.reasons

    chair = submitted(2, letter_type=LetterType.CHAIR)
    assert coverage(prog, [submitted(1), chair]).state is CoverageState.MET


def test_overdue_chair_letter_puts_the_requirement_at_risk():
    prog = program(letters_required=1, chair_letter_required=True)
    late_chair = request(1, S.ASKED, letter_type=LetterType.CHAIR, due_on=day(-1))
    result = coverage(prog, [late_chair])
    assert result.state is CoverageState.AT_RISK
    assert "the chair letter is at risk" in result.reasons


def test_standardized_letter_requirement():
    prog = program(letters_required=1, standardized_letter_required=True)
    result = coverage(prog, [submitted(1)])
    assert result.state is CoverageState.NOT_MET
    assert "needs a standardized letter (SLOE/eSLOR)" in result.reasons
    sloe = submitted(1, letter_type=LetterType.STANDARDIZED)
    assert coverage(prog, [sloe]).state is CoverageState.MET


def test_specialty_letters_are_counted_by_matching_specialty():
    prog = program(letters_required=3, specialty="Internal Medicine", specialty_letters_required=2)
    letters = [
        submitted(1, specialty="internal medicine "),  # typed by hand
        submitted(2, specialty="General"),
        submitted(3, specialty="Surgery"),
    ]
    result = coverage(prog, letters)
    assert result.state is CoverageState.NOT_MET
    assert "needs 1 more specialty letter (1 of 2 so far)" in result.reasons


def test_program_without_a_specialty_accepts_any_specialty_letter():
    prog = program(letters_required=1, specialty="", specialty_letters_required=1)
    assert coverage(prog, [submitted(1, specialty="Surgery")]).state is CoverageState.MET
    assert coverage(prog, [submitted(1, specialty="General")]).state is CoverageState.NOT_MET


def test_one_letter_can_fill_several_requirements():
    prog = program(
        letters_required=1,
        specialty="Surgery",
        specialty_letters_required=1,
        chair_letter_required=True,
    )
    chair = submitted(1, letter_type=LetterType.CHAIR, specialty="Surgery")
    assert coverage(prog, [chair]).state is CoverageState.MET


def test_withdrawn_letter_does_not_count():
    prog = program(letters_required=2)
    result = coverage(prog, [submitted(1), request(2, S.WITHDRAWN)])
    assert result.state is CoverageState.NOT_MET


def test_withdrawn_program_is_not_evaluated():
    prog = program(letters_required=3, status=ProgramStatus.WITHDRAWN)
    result = coverage(prog, [])
    assert result.state is CoverageState.NOT_EVALUATED


def test_declined_letter_replaced_by_an_assigned_backup_is_not_a_risk():
    prog = program(letters_required=2)
    declined = request(2, S.DECLINED)
    backup = on_track(3, backup_for=2)
    result = coverage(prog, [submitted(1), declined, backup])
    assert result.state is CoverageState.MET
    assert result.at_risk == 0


def test_declined_backup_does_not_replace_the_original():
    prog = program(letters_required=2)
    letters = [submitted(1), request(2, S.DECLINED), request(3, S.DECLINED, backup_for=2)]
    result = coverage(prog, letters)
    assert result.state is CoverageState.NOT_MET
    assert "2 declined" in result.reasons[0]


def test_backup_of_a_declined_backup_replaces_both():
    prog = program(letters_required=2)
    letters = [
        submitted(1),
        request(2, S.DECLINED),
        request(3, S.DECLINED, backup_for=2),
        on_track(4, backup_for=3),
    ]
    assert coverage(prog, letters).state is CoverageState.MET


def test_backup_cycle_in_hand_made_data_terminates():
    letters = [request(1, S.DECLINED, backup_for=2), request(2, S.DECLINED, backup_for=1)]
    assert coverage(program(letters_required=1), letters).state is CoverageState.NOT_MET


def test_spare_at_risk_letter_does_not_spoil_a_met_program():
    prog = program(letters_required=2)
    result = coverage(prog, [submitted(1), submitted(2), request(3, S.DECLINED)])
    assert result.state is CoverageState.MET


def test_more_letters_than_the_cap_is_flagged():
    eras = cycle(1, Service.ERAS_RESIDENCY)
    letters = [submitted(i) for i in range(1, 6)]
    result = coverage(program(letters_required=3), letters, eras)
    assert result.state is CoverageState.AT_RISK
    assert "5 letters assigned; ERAS residency allows 4 per program" in result.reasons


def test_program_needing_no_letters_is_met():
    assert coverage(program(letters_required=0), []).state is CoverageState.MET


# --- the per-program cap ----------------------------------------------------------


def test_eras_refuses_a_fifth_letter():
    eras = cycle(1, Service.ERAS_RESIDENCY)
    prog = program(name="Mass General IM")
    assigned = [on_track(i) for i in range(1, 5)]
    assert can_assign(on_track(4), prog, cycle=eras, assigned=assigned[:3]) is None
    reason = can_assign(on_track(5), prog, cycle=eras, assigned=assigned)
    assert reason == (
        "Mass General IM already has 4 letters assigned, the most ERAS residency allows "
        "per program. Unassign one first."
    )


def test_amcas_allows_ten():
    amcas = cycle(1, Service.AMCAS)
    prog = program()
    nine = [on_track(i) for i in range(1, 10)]
    assert can_assign(on_track(10), prog, cycle=amcas, assigned=nine) is None
    ten = [*nine, on_track(10)]
    reason = can_assign(on_track(11), prog, cycle=amcas, assigned=ten)
    assert reason is not None and "10 letters" in reason and "AMCAS" in reason


def test_other_service_uses_the_users_cap():
    other = cycle(1, Service.OTHER, max_letters_per_program=2)
    prog = program()
    reason = can_assign(on_track(3), prog, cycle=other, assigned=[on_track(1), on_track(2)])
    assert reason is not None and "the most this cycle allows" in reason


def test_declined_and_withdrawn_letters_leave_room_for_a_backup():
    eras = cycle(1, Service.ERAS_RESIDENCY)
    assigned = [on_track(1), on_track(2), on_track(3), request(4, S.DECLINED)]
    assert can_assign(on_track(5, backup_for=4), program(), cycle=eras, assigned=assigned) is None
    assert not counts_toward_cap(S.DECLINED) and not counts_toward_cap(S.WITHDRAWN)
    assert counts_toward_cap(S.PLANNED)


def test_refusals_for_other_reasons():
    eras = cycle(1, Service.ERAS_RESIDENCY)
    prog = program(name="Yale EM")
    assert "another cycle" in (
        can_assign(on_track(1, cycle_id=2), prog, cycle=eras, assigned=[]) or ""
    )
    assert "declined" in (can_assign(request(1, S.DECLINED), prog, cycle=eras, assigned=[]) or "")
    assert "withdrawn" in (can_assign(request(1, S.WITHDRAWN), prog, cycle=eras, assigned=[]) or "")
    assert "already assigned" in (
        can_assign(on_track(1), prog, cycle=eras, assigned=[on_track(1)]) or ""
    )
    gone = program(status=ProgramStatus.WITHDRAWN, name="Yale EM")
    assert "withdrew from Yale EM" in (can_assign(on_track(1), gone, cycle=eras, assigned=[]) or "")
