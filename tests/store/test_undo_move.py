"""Undoing a status move just made (issue 12: every change can be undone):
the request gets back its status and dates exactly, the history keeps the
move and records the undo, and a request moved since is left alone."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from desktop.domain.vocabulary import RequestStatus
from desktop.store.models import LetterRequest
from desktop.store.requests import (
    UNDO_NOTE,
    TransitionRefused,
    move_status,
    status_history,
    undo_move,
)

from .test_requests import _mentor, _request, eras  # noqa: F401  (eras is a fixture)

TODAY = date(2031, 7, 15)
S = RequestStatus


def test_undo_puts_status_and_dates_back_and_the_history_says_so(db, eras):  # noqa: F811
    rid = _request(eras, _mentor())
    move_status(rid, S.ASKED, on=TODAY - timedelta(days=20), today=TODAY)
    before = LetterRequest.get_by_id(rid)

    receipt = move_status(rid, S.SUBMITTED, on=TODAY - timedelta(days=2), today=TODAY)
    assert LetterRequest.get_by_id(rid).submitted_on == TODAY - timedelta(days=2)
    undo_move(receipt)

    after = LetterRequest.get_by_id(rid)
    assert (after.status, after.asked_on, after.submitted_on, after.status_since) == (
        "asked", before.asked_on, None, before.status_since
    )  # fmt: skip
    moves = [(e.from_status, e.to_status, e.note) for e in status_history(rid)]
    assert moves == [
        (None, S.PLANNED, ""),
        (S.PLANNED, S.ASKED, ""),
        (S.ASKED, S.SUBMITTED, ""),
        (S.SUBMITTED, S.ASKED, UNDO_NOTE),
    ]
    assert status_history(rid)[-1].is_correction


def test_undoing_the_first_ask_leaves_the_request_unasked(db, eras):  # noqa: F811
    rid = _request(eras, _mentor())
    undo_move(move_status(rid, S.ASKED, on=TODAY, today=TODAY))
    request = LetterRequest.get_by_id(rid)
    assert (request.status, request.asked_on) == ("planned", None)


def test_a_request_moved_since_is_not_undone(db, eras):  # noqa: F811
    rid = _request(eras, _mentor())
    first = move_status(rid, S.ASKED, on=TODAY, today=TODAY)
    move_status(rid, S.ACCEPTED, on=TODAY, today=TODAY)
    with pytest.raises(TransitionRefused, match="changed since"):
        undo_move(first)
    assert LetterRequest.get_by_id(rid).status == "accepted"
    # Moved away and back again: still not the move the receipt names.
    second = move_status(rid, S.MATERIALS_SENT, on=TODAY, today=TODAY)
    undo_move(second)
    with pytest.raises(TransitionRefused):
        undo_move(second)
    assert LetterRequest.get_by_id(rid).status == "accepted"
