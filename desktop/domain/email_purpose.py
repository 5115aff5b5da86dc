"""Which email a letter request calls for now: the ask while it is planned,
the materials once the writer has accepted, a nudge when one is due, the
thank-you once the letter is in. "Email…" on a request opens compose with
that template chosen, so the applicant starts from the right text.
"""

from __future__ import annotations

from datetime import date

from .records import RequestRecord
from .thresholds import AdviceThresholds
from .timing import Nudge, NudgeKind, current_nudge
from .vocabulary import ReminderPreference, RequestStatus, TemplatePurpose

S, P = RequestStatus, TemplatePurpose


def _reminder(nudge: Nudge) -> TemplatePurpose:
    """The nudge a few weeks after the ask, or the reminder before the due date."""
    return P.NUDGE if nudge.kind is NudgeKind.AFTER_ASK else P.REMINDER


def purpose_for_status(
    status: RequestStatus, nudge: Nudge | None = None, thanked_on: date | None = None
) -> TemplatePurpose | None:
    """The template for a request in ``status``; ``nudge`` is the reminder
    due today, if any (``timing.current_nudge``). ``None``: no email is
    called for (a withdrawn request)."""
    if status is S.PLANNED:
        return P.REQUEST
    if status is S.ASKED:
        # No answer yet: a nudge once one is due, until then the ask itself
        # (it may not have gone out, or gone out another way).
        return _reminder(nudge) if nudge is not None else P.REQUEST
    if status is S.ACCEPTED:
        return P.MATERIALS  # the writer needs them before anything else
    if status is S.MATERIALS_SENT:
        return _reminder(nudge) if nudge is not None else P.NUDGE
    if status is S.SUBMITTED:
        return P.UPDATE if thanked_on is not None else P.THANK_YOU
    if status is S.DECLINED:
        return P.THANK_YOU  # thank them whatever the answer
    return None


def email_purpose(
    request: RequestRecord,
    preference: ReminderPreference,
    today: date,
    thresholds: AdviceThresholds,
) -> TemplatePurpose | None:
    """``purpose_for_status`` for one request, with the nudge the Today
    advice would suggest for it today."""
    nudge = current_nudge(
        status=request.status,
        asked_on=request.asked_on,
        due_on=request.due_on,
        preference=preference,
        last_reminded_on=request.last_reminded_on,
        today=today,
        thresholds=thresholds,
    )
    return purpose_for_status(request.status, nudge, request.thanked_on)
