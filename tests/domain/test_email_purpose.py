"""Which template a request's status calls for."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from desktop.domain.email_purpose import email_purpose, purpose_for_status
from desktop.domain.records import RequestRecord
from desktop.domain.thresholds import AdviceThresholds
from desktop.domain.timing import Nudge, NudgeKind
from desktop.domain.vocabulary import ReminderPreference, RequestStatus, TemplatePurpose

S, P = RequestStatus, TemplatePurpose
DAY = date(2026, 10, 1)
AFTER_ASK = Nudge(DAY, NudgeKind.AFTER_ASK)
BEFORE_DUE = Nudge(DAY, NudgeKind.BEFORE_DUE)


@pytest.mark.parametrize(
    ("status", "nudge", "thanked", "expected"),
    [
        (S.PLANNED, None, None, P.REQUEST),
        (S.ASKED, None, None, P.REQUEST),
        (S.ASKED, AFTER_ASK, None, P.NUDGE),
        (S.ASKED, BEFORE_DUE, None, P.REMINDER),
        (S.ACCEPTED, None, None, P.MATERIALS),
        (S.ACCEPTED, AFTER_ASK, None, P.MATERIALS),
        (S.MATERIALS_SENT, None, None, P.NUDGE),
        (S.MATERIALS_SENT, BEFORE_DUE, None, P.REMINDER),
        (S.SUBMITTED, None, None, P.THANK_YOU),
        (S.SUBMITTED, None, DAY, P.UPDATE),
        (S.DECLINED, None, None, P.THANK_YOU),
        (S.WITHDRAWN, None, None, None),
    ],
)
def test_purpose_for_status(status, nudge, thanked, expected):
    assert purpose_for_status(status, nudge, thanked) is expected


def _asked(days_ago: int, today: date) -> RequestRecord:
    return RequestRecord(
        1, 1, 1, S.ASKED, asked_on=today - timedelta(days=days_ago),
        due_on=today + timedelta(days=60),
    )  # fmt: skip


def test_the_nudge_comes_on_the_day_the_advice_suggests_it():
    thresholds = AdviceThresholds()
    first = thresholds.first_nudge
    today = date(2026, 11, 2)
    default = ReminderPreference.DEFAULT
    assert email_purpose(_asked(first - 1, today), default, today, thresholds) is P.REQUEST
    assert email_purpose(_asked(first, today), default, today, thresholds) is P.NUDGE
    assert email_purpose(_asked(first + 1, today), default, today, thresholds) is P.NUDGE
