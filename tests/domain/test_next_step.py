"""The next step of a letter, as the board's cards and a mentor's Letters
table say it: a declined or withdrawn letter has none for this writer, so it
does not read "was due Dec 22"."""

from __future__ import annotations

from datetime import date

import pytest

from desktop.domain.next_step import describe_step_date, next_step
from desktop.domain.thresholds import AdviceThresholds
from desktop.domain.vocabulary import RequestStatus

TODAY = date(2026, 12, 2)


def _step(status: RequestStatus, **dates: date | None):
    fields: dict[str, date | None] = {
        "planned_ask_on": None, "due_on": date(2026, 12, 22), "submitted_on": None,
        "thanked_on": None,
    }  # fmt: skip
    fields.update(dates)
    return next_step(status, thresholds=AdviceThresholds(), **fields)


@pytest.mark.parametrize("status", [RequestStatus.DECLINED, RequestStatus.WITHDRAWN])
@pytest.mark.parametrize("due", [date(2026, 12, 22), date(2026, 11, 1), None])
def test_a_closed_letter_has_no_step_and_no_due_date(status, due):
    step = _step(status, due_on=due)
    assert step.what == ""
    assert describe_step_date(step, TODAY) == ""


def test_open_letters_still_say_what_and_when():
    asked = _step(RequestStatus.ASKED)
    assert (asked.what, describe_step_date(asked, TODAY)) == (
        "Wait for an answer",
        "due in 20 days",
    )
    done = _step(RequestStatus.SUBMITTED, submitted_on=date(2026, 11, 30), thanked_on=TODAY)
    assert (done.what, describe_step_date(done, TODAY)) == ("", "submitted Nov 30")
