"""What a letter request needs next, and by when, in a few words: the
board's cards, the Requests table's Ask-by column and a mentor's letters
all say it the same way."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from .thresholds import AdviceThresholds
from .timing import ask_by_date, describe_due
from .vocabulary import RequestStatus

S = RequestStatus


@dataclass(frozen=True)
class NextStep:
    what: str  # "Ask", "Send materials", … ("" when nothing is left to do)
    on: date | None  # the date that goes with it (ask by, due, submitted)
    label: str  # what the date means: "ask by", "due", "submitted"; "" for none


def ask_by(
    status: RequestStatus,
    planned_ask_on: date | None,
    due_on: date | None,
    thresholds: AdviceThresholds,
) -> date | None:
    """The day to ask by while the writer has not been asked: the planned
    ask date the user set, else the ideal lead time before the due date."""
    if RequestStatus(status) is not S.PLANNED:
        return None
    return planned_ask_on or ask_by_date(due_on, thresholds)


def next_step(
    status: RequestStatus,
    *,
    planned_ask_on: date | None,
    due_on: date | None,
    submitted_on: date | None,
    thanked_on: date | None,
    thresholds: AdviceThresholds,
) -> NextStep:
    status = RequestStatus(status)
    if status is S.PLANNED:
        return NextStep("Ask", ask_by(status, planned_ask_on, due_on, thresholds), "ask by")
    if status is S.ASKED:
        return NextStep("Wait for an answer", due_on, "due")
    if status is S.ACCEPTED:
        return NextStep("Send materials", due_on, "due")
    if status is S.MATERIALS_SENT:
        return NextStep("Wait for the upload", due_on, "due")
    if status is S.SUBMITTED:
        return NextStep("" if thanked_on else "Say thank you", submitted_on, "submitted")
    # Declined or withdrawn: this writer has nothing left to do, and the
    # due date no longer concerns them (the status says what happened).
    return NextStep("", None, "")


def describe_step_date(step: NextStep, today: date) -> str:
    """The step's date in a few words: "ask by Oct 3", "due in 5 days",
    "submitted Sep 30"; an ask-by day gone says it is late."""
    day = step.on
    if step.label == "due":
        return describe_due(day, today)
    if day is None:
        return "no date to ask by yet" if step.label == "ask by" else ""
    short = f"{_MONTHS[day.month - 1]} {day.day}"
    if step.label == "ask by":
        return f"ask by {short} (late)" if day < today else f"ask by {short}"
    if step.label == "submitted":
        return f"submitted {short}"
    return ""


# English on purpose (``%b`` follows the C locale, not the app's language).
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
