"""The request status machine: legal moves, corrections, refusals, dates."""

from __future__ import annotations

from datetime import date

import pytest

from desktop.domain.status import (
    available_moves,
    check_transition,
    correction_moves,
    dates_after_move,
    is_allowed,
    is_correction,
    legal_moves,
)
from desktop.domain.vocabulary import RequestStatus as S
from desktop.domain.vocabulary import Service

ERAS = Service.ERAS_RESIDENCY
AMCAS = Service.AMCAS
D = date(2027, 9, 15)


# The whole machine written out by hand, in the order the UI offers the
# moves: adding, removing or reordering any move must change these tables,
# so it is a decision and never a side effect.
FORWARD = {
    S.PLANNED: (S.ASKED, S.WITHDRAWN),
    S.ASKED: (S.ACCEPTED, S.MATERIALS_SENT, S.SUBMITTED, S.DECLINED, S.WITHDRAWN),
    S.ACCEPTED: (S.MATERIALS_SENT, S.SUBMITTED, S.DECLINED, S.WITHDRAWN),
    S.MATERIALS_SENT: (S.SUBMITTED, S.DECLINED, S.WITHDRAWN),
    S.SUBMITTED: (),
    S.DECLINED: (),
    S.WITHDRAWN: (),
}
CORRECTIONS = {
    S.PLANNED: (),
    S.ASKED: (S.PLANNED,),
    S.ACCEPTED: (S.ASKED,),
    S.MATERIALS_SENT: (S.ACCEPTED, S.ASKED),
    S.SUBMITTED: (S.MATERIALS_SENT, S.ACCEPTED, S.ASKED),
    S.DECLINED: (S.ASKED, S.ACCEPTED, S.MATERIALS_SENT),
    S.WITHDRAWN: (S.PLANNED, S.ASKED, S.ACCEPTED, S.MATERIALS_SENT),
}
ALLOWED = {
    (a, b) for table in (FORWARD, CORRECTIONS) for a, targets in table.items() for b in targets
}


def test_forward_moves_are_exactly_the_table():
    assert {status: legal_moves(status) for status in S} == FORWARD


def test_corrections_are_exactly_the_table():
    assert {status: correction_moves(status) for status in S} == CORRECTIONS


def test_every_pair_of_statuses_is_allowed_exactly_when_the_tables_say_so():
    assert len(ALLOWED) == 28  # 14 forward moves and 14 corrections, none both
    for a in S:
        for b in S:
            assert is_allowed(a, b) is ((a, b) in ALLOWED), (a, b)
            assert is_correction(a, b) is (b in CORRECTIONS[a]), (a, b)
            refusal = check_transition(a, b, waiver=True, service=ERAS)
            assert (refusal is None) is ((a, b) in ALLOWED), (a, b, refusal)


def test_main_line_moves_forward_one_step_at_a_time_or_skips_writer_steps():
    assert legal_moves(S.PLANNED) == (S.ASKED, S.WITHDRAWN)
    assert S.ACCEPTED in legal_moves(S.ASKED)
    assert S.MATERIALS_SENT in legal_moves(S.ACCEPTED)
    assert S.SUBMITTED in legal_moves(S.MATERIALS_SENT)
    # A writer may upload without replying: asked → submitted is real.
    assert S.SUBMITTED in legal_moves(S.ASKED)


@pytest.mark.parametrize("end", [S.SUBMITTED, S.DECLINED, S.WITHDRAWN])
def test_end_statuses_have_no_forward_moves(end):
    assert legal_moves(end) == ()


def test_planned_cannot_jump_to_submitted_or_declined():
    assert not is_allowed(S.PLANNED, S.SUBMITTED)
    assert not is_allowed(S.PLANNED, S.DECLINED)
    assert not is_allowed(S.PLANNED, S.ACCEPTED)


def test_accepts_plain_string_statuses_from_the_database():
    assert legal_moves("planned") == (S.ASKED, S.WITHDRAWN)  # type: ignore[arg-type]
    assert is_correction("submitted", "materials_sent")  # type: ignore[arg-type]


def test_going_back_is_a_correction_nearest_first():
    assert correction_moves(S.SUBMITTED)[0] is S.MATERIALS_SENT
    assert is_correction(S.SUBMITTED, S.MATERIALS_SENT)
    assert is_correction(S.ASKED, S.PLANNED)
    assert not is_correction(S.ASKED, S.ACCEPTED)
    assert correction_moves(S.PLANNED) == ()


def test_declined_and_withdrawn_can_be_reopened_as_corrections():
    assert S.ASKED in correction_moves(S.DECLINED)
    assert S.PLANNED not in correction_moves(S.DECLINED)  # they were asked
    assert S.PLANNED in correction_moves(S.WITHDRAWN)
    assert S.SUBMITTED not in correction_moves(S.WITHDRAWN)


def test_available_moves_flag_corrections_and_ask_for_notes():
    moves = available_moves(S.SUBMITTED)
    assert moves and all(m.is_correction for m in moves)
    assert moves[0].label == "Undo: back to Materials sent"
    assert all(m.asks_for_note for m in moves)

    asked = {m.to_status: m for m in available_moves(S.ASKED)}
    assert not asked[S.ACCEPTED].is_correction
    assert asked[S.DECLINED].asks_for_note  # a decline asks for a short note
    assert not asked[S.ACCEPTED].asks_for_note
    assert asked[S.PLANNED].is_correction

    reopen = available_moves(S.DECLINED)
    assert reopen[0].label.startswith("Reopen as")


def test_eras_requires_the_waiver_answered_before_asking():
    reason = check_transition(S.PLANNED, S.ASKED, waiver=None, service=ERAS)
    assert reason is not None and "waiver" in reason and "ERAS residency" in reason
    assert check_transition(S.PLANNED, S.ASKED, waiver=False, service=ERAS) is None
    assert check_transition(S.PLANNED, S.ASKED, waiver=True, service=ERAS) is None


def test_eras_fellowship_also_requires_the_waiver():
    assert check_transition(S.PLANNED, S.ASKED, waiver=None, service=Service.ERAS_FELLOWSHIP)


def test_amcas_and_other_do_not_require_the_waiver():
    assert check_transition(S.PLANNED, S.ASKED, waiver=None, service=AMCAS) is None
    assert check_transition(S.PLANNED, S.ASKED, waiver=None, service=Service.OTHER) is None


def test_withdrawing_or_declining_needs_no_waiver():
    assert check_transition(S.PLANNED, S.WITHDRAWN, waiver=None, service=ERAS) is None
    assert check_transition(S.ASKED, S.DECLINED, waiver=None, service=ERAS) is None


def test_illegal_move_is_refused_with_a_reason():
    reason = check_transition(S.PLANNED, S.SUBMITTED, waiver=True, service=ERAS)
    assert reason == "Mark the request asked before marking it submitted."
    reason = check_transition(S.SUBMITTED, S.DECLINED, waiver=True, service=ERAS)
    assert reason == "A submitted request cannot be marked declined."
    assert check_transition(S.ASKED, S.ASKED, waiver=True, service=ERAS)


def test_corrections_pass_the_check():
    assert check_transition(S.SUBMITTED, S.MATERIALS_SENT, waiver=True, service=ERAS) is None
    assert check_transition(S.DECLINED, S.ASKED, waiver=True, service=ERAS) is None


def test_move_dated_in_the_future_is_refused():
    tomorrow = date(2027, 9, 16)
    reason = check_transition(S.PLANNED, S.ASKED, waiver=True, service=ERAS, on=tomorrow, today=D)
    assert reason is not None and "future" in reason
    assert check_transition(S.PLANNED, S.ASKED, waiver=True, service=ERAS, on=D, today=D) is None


def test_asking_stamps_the_ask_date():
    dates = dates_after_move(S.PLANNED, S.ASKED, on=D, asked_on=None, submitted_on=None)
    assert dates.asked_on == D and dates.submitted_on is None


def test_existing_ask_date_is_kept_when_moving_on():
    asked = date(2027, 8, 1)
    dates = dates_after_move(S.ASKED, S.ACCEPTED, on=D, asked_on=asked, submitted_on=None)
    assert dates.asked_on == asked


def test_submitting_stamps_the_submission_and_fills_a_missing_ask():
    dates = dates_after_move(S.ASKED, S.SUBMITTED, on=D, asked_on=None, submitted_on=None)
    assert dates.submitted_on == D and dates.asked_on == D


def test_undoing_a_submission_clears_its_date():
    asked = date(2027, 8, 1)
    dates = dates_after_move(S.SUBMITTED, S.MATERIALS_SENT, on=D, asked_on=asked, submitted_on=D)
    assert dates.submitted_on is None and dates.asked_on == asked


def test_undoing_the_ask_clears_both_dates():
    dates = dates_after_move(S.ASKED, S.PLANNED, on=D, asked_on=D, submitted_on=None)
    assert dates.asked_on is None and dates.submitted_on is None


def test_withdrawing_a_planned_request_does_not_invent_an_ask():
    dates = dates_after_move(S.PLANNED, S.WITHDRAWN, on=D, asked_on=None, submitted_on=None)
    assert dates.asked_on is None


def test_leap_day_dates_are_kept_as_given():
    leap = date(2028, 2, 29)
    dates = dates_after_move(S.PLANNED, S.ASKED, on=leap, asked_on=None, submitted_on=None)
    assert dates.asked_on == leap
