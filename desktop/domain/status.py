"""The request status machine.

Main line: planned → asked → accepted → materials sent → submitted, with
declined and withdrawn as ends. "Reminded" and "thanked" are dated events,
not statuses.

Forward moves may skip steps a writer really skips (materials often go out
with the ask; some writers upload without replying). Moving backwards, or
reopening a declined or withdrawn request, is allowed as a *correction*: the
UI offers it separately, asks for a note and records it like any other move,
so a mistake is fixed in the open rather than silently.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from .letter_services import service_rules
from .vocabulary import RequestStatus, Service

S = RequestStatus

MAIN_LINE: tuple[RequestStatus, ...] = (
    S.PLANNED,
    S.ASKED,
    S.ACCEPTED,
    S.MATERIALS_SENT,
    S.SUBMITTED,
)
END_STATUSES: frozenset[RequestStatus] = frozenset({S.SUBMITTED, S.DECLINED, S.WITHDRAWN})
# Still needs something from the applicant or the writer.
OPEN_STATUSES: frozenset[RequestStatus] = frozenset(
    {S.PLANNED, S.ASKED, S.ACCEPTED, S.MATERIALS_SENT}
)
# The writer has been asked and has not said no: reminders make sense.
WAITING_STATUSES: frozenset[RequestStatus] = frozenset({S.ASKED, S.ACCEPTED, S.MATERIALS_SENT})
# A letter that will not arrive: it neither counts toward a program's cap nor
# covers its requirements.
NOT_COMING_STATUSES: frozenset[RequestStatus] = frozenset({S.DECLINED, S.WITHDRAWN})
# Statuses that mean "the writer has been asked" (the waiver must be settled).
ASKED_OR_LATER: frozenset[RequestStatus] = frozenset(
    {S.ASKED, S.ACCEPTED, S.MATERIALS_SENT, S.SUBMITTED}
)

_FORWARD: dict[RequestStatus, tuple[RequestStatus, ...]] = {
    S.PLANNED: (S.ASKED, S.WITHDRAWN),
    S.ASKED: (S.ACCEPTED, S.MATERIALS_SENT, S.SUBMITTED, S.DECLINED, S.WITHDRAWN),
    S.ACCEPTED: (S.MATERIALS_SENT, S.SUBMITTED, S.DECLINED, S.WITHDRAWN),
    S.MATERIALS_SENT: (S.SUBMITTED, S.DECLINED, S.WITHDRAWN),
    S.SUBMITTED: (),
    S.DECLINED: (),
    S.WITHDRAWN: (),
}

# Nearest first, so the first entry is the natural "undo".
_CORRECTIONS: dict[RequestStatus, tuple[RequestStatus, ...]] = {
    S.PLANNED: (),
    S.ASKED: (S.PLANNED,),
    S.ACCEPTED: (S.ASKED,),
    S.MATERIALS_SENT: (S.ACCEPTED, S.ASKED),
    S.SUBMITTED: (S.MATERIALS_SENT, S.ACCEPTED, S.ASKED),
    # The writer changed their mind, or the decline was logged on the wrong
    # request: reopen where the letter stood.
    S.DECLINED: (S.ASKED, S.ACCEPTED, S.MATERIALS_SENT),
    # The applicant changed their mind.
    S.WITHDRAWN: (S.PLANNED, S.ASKED, S.ACCEPTED, S.MATERIALS_SENT),
}

_FORWARD_LABELS: dict[RequestStatus, str] = {
    S.ASKED: "Mark asked",
    S.ACCEPTED: "Mark accepted",
    S.MATERIALS_SENT: "Mark materials sent",
    S.SUBMITTED: "Mark submitted",
    S.DECLINED: "Mark declined",
    S.WITHDRAWN: "Withdraw request",
}


@dataclass(frozen=True)
class StatusMove:
    from_status: RequestStatus
    to_status: RequestStatus
    is_correction: bool
    label: str
    # Declines ask for a short reason; corrections should say what was wrong.
    asks_for_note: bool


def legal_moves(status: RequestStatus) -> tuple[RequestStatus, ...]:
    """Forward moves offered from ``status`` (the board's drop targets)."""
    return _FORWARD[RequestStatus(status)]


def correction_moves(status: RequestStatus) -> tuple[RequestStatus, ...]:
    """Backward moves and reopenings, nearest first."""
    return _CORRECTIONS[RequestStatus(status)]


def is_correction(from_status: RequestStatus, to_status: RequestStatus) -> bool:
    return RequestStatus(to_status) in _CORRECTIONS[RequestStatus(from_status)]


def is_allowed(from_status: RequestStatus, to_status: RequestStatus) -> bool:
    return to_status in legal_moves(from_status) or is_correction(from_status, to_status)


def available_moves(status: RequestStatus) -> list[StatusMove]:
    """Every move the UI may offer, forward moves first."""
    status = RequestStatus(status)
    moves = [
        StatusMove(status, to, False, _FORWARD_LABELS[to], asks_for_note=to is S.DECLINED)
        for to in _FORWARD[status]
    ]
    for to in _CORRECTIONS[status]:
        verb = "Reopen as" if status in (S.DECLINED, S.WITHDRAWN) else "Undo: back to"
        moves.append(StatusMove(status, to, True, f"{verb} {to.label}", asks_for_note=True))
    return moves


def check_transition(
    from_status: RequestStatus,
    to_status: RequestStatus,
    *,
    waiver: bool | None,
    service: Service,
    on: date | None = None,
    today: date | None = None,
) -> str | None:
    """Why the move is refused, in words for the user, or ``None`` if allowed.

    ``on`` is the date the user gives for the move (an ask made in person
    yesterday); it may not lie in the future.
    """
    from_status, to_status = RequestStatus(from_status), RequestStatus(to_status)
    if from_status is to_status:
        return f"The request is already {to_status.label.lower()}."
    if not is_allowed(from_status, to_status):
        if from_status is S.PLANNED and to_status in ASKED_OR_LATER:
            return f"Mark the request asked before marking it {to_status.label.lower()}."
        return f"A {from_status.label.lower()} request cannot be marked {to_status.label.lower()}."
    if to_status in ASKED_OR_LATER and waiver is None and service_rules(service).waiver_required:
        return (
            f"Answer the waiver question first: {Service(service).label} requires it "
            "before a writer is asked."
        )
    if on is not None and today is not None and on > today:
        return "The date of a status change cannot be in the future."
    return None


@dataclass(frozen=True)
class RequestDates:
    asked_on: date | None
    submitted_on: date | None


def dates_after_move(
    from_status: RequestStatus,
    to_status: RequestStatus,
    *,
    on: date,
    asked_on: date | None,
    submitted_on: date | None,
) -> RequestDates:
    """The request's asked/submitted dates once the move is made.

    Moving forward fills in a missing ask date (a request cannot be accepted
    or declined without having been asked) and stamps the submission;
    withdrawing a request that was never asked leaves it unasked. Undoing clears the
    date of every step that is undone, so the timing advice does not keep
    counting from a date that never happened.
    """
    to_status = RequestStatus(to_status)
    if to_status is S.PLANNED:
        return RequestDates(asked_on=None, submitted_on=None)
    if asked_on is None and (to_status in ASKED_OR_LATER or to_status is S.DECLINED):
        asked_on = on
    if to_status is S.SUBMITTED:
        submitted_on = on
    elif RequestStatus(from_status) is S.SUBMITTED:
        submitted_on = None
    return RequestDates(asked_on=asked_on, submitted_on=submitted_on)
