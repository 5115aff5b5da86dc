"""Today rules for one letter request: thank the writer, find a backup,
chase an overdue letter, ask today when the lead time is short, ask by a
date, send the materials, remind the writer, and watch the due date come.

Dated advice takes its urgency from ``urgency_of_date``: a date gone by is
urgent, today's date is for today. A writer who is archived keeps the advice
for their letter, and the card says they are archived.

Each rule is a function of the request and the context that returns its
advice as an ``Action``, or ``None``. ``request_actions`` applies them in
the order of ``RULES``. The words are left to the ``_*_text`` functions,
which run only when an action is shown.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import date

from .actions import Action, ActionKind, Render, Urgency, urgency_of_date
from .records import RequestRecord
from .timing import (
    Nudge,
    NudgeKind,
    ask_by_date,
    below_minimum_lead,
    current_nudge,
    days,
    describe_due,
    format_day,
    is_overdue,
    latest_ask_date,
    lead_days,
    plural_days,
)
from .today_context import TodayContext
from .vocabulary import ReminderPreference, RequestStatus

Rule = Callable[[RequestRecord, TodayContext], Action | None]


def request_actions(requests: Iterable[RequestRecord], ctx: TodayContext) -> list[Action]:
    """The advice for every request, in the snapshot's order."""
    actions: list[Action] = []
    for request in requests:
        actions += advice_for(request, ctx)
    return actions


def advice_for(request: RequestRecord, ctx: TodayContext) -> list[Action]:
    """The rules' advice for one request: those ``RULES`` lists for its
    status, in that order."""
    flags = ctx.cycles.get(request.cycle_id)
    if flags is None:  # an archived (or unknown) cycle: no advice at all
        return []
    rules = AFTER_THE_OUTCOME if flags.season_over else RULES
    advice = []
    for rule in rules.get(request.status, ()):
        action = rule(request, ctx)
        if action is None:
            continue
        advice.append(action)
        if action.kind in OVERRIDING:
            break
    return advice


# --- the rules, in order of precedence --------------------------------------


def thank_writer(r: RequestRecord, ctx: TodayContext) -> Action | None:
    """A submitted letter not thanked for yet: the prompt comes at once
    (advisers say thank promptly), due by the end of the "thank within"
    window, and urgent, saying it is late, once that window has passed."""
    if r.thanked_on is not None:
        return None
    today, within = ctx.today, ctx.thresholds.thank_within
    submitted = r.submitted_on
    if submitted is None:  # no date to be late against
        thank_by, urgency = today, Urgency.NORMAL
    else:
        thank_by = submitted + days(within)
        urgency = urgency_of_date(thank_by, today)
    facts = (ctx.mentor_name(r.mentor_id), submitted, within, thank_by, today)
    return _action(r, ctx, ActionKind.THANK, urgency, thank_by, facts, _thank_text)


def find_backup(r: RequestRecord, ctx: TodayContext) -> Action | None:
    """The writer declined and nobody is lined up to replace them."""
    if r.id in ctx.backed_up:
        return None
    facts = (ctx.mentor_name(r.mentor_id),)
    return _action(
        r,
        ctx,
        ActionKind.FIND_BACKUP,
        Urgency.URGENT,
        r.due_on or ctx.today,
        facts,
        _backup_text,
        offers_backup=True,
    )


def overdue(r: RequestRecord, ctx: TodayContext) -> Action | None:
    """The due date has passed and the letter is not in: chase it, or
    activate a backup if none is on its way."""
    due = r.due_on
    if due is None or not is_overdue(r.status, due, ctx.today):
        return None
    has_backup = ctx.has_live_backup(r.id)
    never_asked = r.status == RequestStatus.PLANNED
    facts = (ctx.mentor_name(r.mentor_id), due, ctx.today, has_backup, never_asked)
    return _action(
        r,
        ctx,
        ActionKind.OVERDUE,
        Urgency.URGENT,
        due,
        facts,
        _overdue_text,
        offers_backup=not has_backup,
    )


def short_lead_time(r: RequestRecord, ctx: TodayContext) -> Action | None:
    """Not asked yet, and asking today already gives the writer less than
    the minimum lead time: ask today."""
    t, due = ctx.thresholds, r.due_on
    if not below_minimum_lead(due, ctx.today, t):
        return None
    latest = latest_ask_date(due, t)
    assert due is not None and latest is not None  # below_minimum_lead needs a due date
    facts = (ctx.mentor_name(r.mentor_id), due, ctx.today, t.minimum_lead)
    return _action(r, ctx, ActionKind.LEAD_TIME, Urgency.URGENT, latest, facts, _lead_text)


def ask_by(r: RequestRecord, ctx: TodayContext) -> Action | None:
    """Not asked yet: ask by the ideal date (or the user's earlier plan),
    shown a few days ahead, for today on the date and urgent once it has
    passed."""
    today = ctx.today
    # The user's plan may be earlier than the ideal date; never later.
    ideal = ask_by_date(r.due_on, ctx.thresholds)
    dates = [day for day in (r.planned_ask_on, ideal) if day is not None]
    if not dates:
        return None
    ask_on = min(dates)
    if today < ask_on - days(ctx.thresholds.ask_by_notice):
        return None
    facts = (ctx.mentor_name(r.mentor_id), ask_on, r.due_on, today)
    urgency = urgency_of_date(ask_on, today)
    return _action(r, ctx, ActionKind.ASK_BY, urgency, ask_on, facts, _ask_by_text)


def send_materials(r: RequestRecord, ctx: TodayContext) -> Action | None:
    """The writer accepted and still has no materials: shown on the last day
    of the "send materials within" window, urgent once it has passed."""
    # Requests from before status history was kept count from the ask.
    accepted = r.status_since or r.asked_on
    if accepted is None:
        return None
    send_by = accepted + days(ctx.thresholds.materials_after)
    if ctx.today < send_by:
        return None
    facts = (ctx.mentor_name(r.mentor_id), accepted)
    urgency = urgency_of_date(send_by, ctx.today)
    return _action(r, ctx, ActionKind.SEND_MATERIALS, urgency, send_by, facts, _materials_text)


def nudge(r: RequestRecord, ctx: TodayContext) -> Action | None:
    """The reminder due today for a letter still awaited (see
    ``timing.current_nudge``), as often as the writer wants them."""
    today = ctx.today
    reminder = _current_reminder(r, ctx)
    if reminder is None:
        return None
    # The day to act by: the end of the first reminder's window, or a
    # reminder before the due date's own day (the due date is close).
    act_by = reminder.send_by or reminder.on
    urgency = urgency_of_date(act_by, today)
    facts = (ctx.mentor_name(r.mentor_id), reminder, r.asked_on, r.due_on, today)
    # The date makes each reminder its own action: dismissing the first one
    # does not silence the one a week before the due date.
    key = f"nudge:r{r.id}:{reminder.on.isoformat()}"
    return _action(r, ctx, ActionKind.NUDGE, urgency, act_by, facts, _nudge_text, key=key)


def watch_due_date(r: RequestRecord, ctx: TodayContext) -> Action | None:
    """The due date coming, for a letter still awaited when no reminder card
    says so: on the due day once the last reminder is logged, and through
    the "due soon" window when the writer wants no reminders (only the
    emails to the writer stop; the applicant still watches the date)."""
    due, today = r.due_on, ctx.today
    if due is None or today > due:  # after the due date the overdue rule speaks
        return None
    quiet = _preference(r, ctx) == ReminderPreference.NONE
    due_today = today == due
    if not due_today and not (quiet and (due - today).days <= ctx.thresholds.due_soon):
        return None
    if not quiet and _current_reminder(r, ctx) is not None:
        return None  # the reminder card already says the letter is due
    facts = (ctx.mentor_name(r.mentor_id), due, today, quiet, r.last_reminded_on)
    # The day itself is its own card: dismissing "due in 5 days" does not
    # hide "due today".
    key = f"due:r{r.id}:{'today' if due_today else 'soon'}"
    urgency = urgency_of_date(due, today)
    return _action(r, ctx, ActionKind.DUE, urgency, due, facts, _due_text, key=key)


def _preference(r: RequestRecord, ctx: TodayContext) -> ReminderPreference:
    mentor = ctx.mentors.get(r.mentor_id)
    return ReminderPreference.DEFAULT if mentor is None else mentor.reminder_preference


def _current_reminder(r: RequestRecord, ctx: TodayContext) -> Nudge | None:
    return current_nudge(
        status=r.status,
        asked_on=r.asked_on,
        due_on=r.due_on,
        preference=_preference(r, ctx),
        last_reminded_on=r.last_reminded_on,
        today=ctx.today,
        thresholds=ctx.thresholds,
    )


# The rules that apply to a letter in each status, in order of precedence;
# each rule trusts this table for the status it is given.
RULES: dict[RequestStatus, tuple[Rule, ...]] = {
    RequestStatus.PLANNED: (overdue, short_lead_time, ask_by),
    RequestStatus.ASKED: (overdue, nudge, watch_due_date),
    # Sending the materials and a reminder can both be due.
    RequestStatus.ACCEPTED: (overdue, send_materials, nudge, watch_due_date),
    RequestStatus.MATERIALS_SENT: (overdue, nudge, watch_due_date),
    RequestStatus.SUBMITTED: (thank_writer,),
    RequestStatus.DECLINED: (find_backup,),
    RequestStatus.WITHDRAWN: (),
}
# Once a cycle's outcome is known, only gratitude remains.
AFTER_THE_OUTCOME: dict[RequestStatus, tuple[Rule, ...]] = {
    RequestStatus.SUBMITTED: (thank_writer,)
}
# Advice that makes the later rules moot: an overdue letter needs chasing,
# not materials or a reminder, and a lead time already too short means
# "ask today", not "ask by".
OVERRIDING = frozenset({ActionKind.OVERDUE, ActionKind.LEAD_TIME})


def _action(
    r: RequestRecord,
    ctx: TodayContext,
    kind: ActionKind,
    urgency: Urgency,
    sort_date: date,
    facts: tuple[object, ...],
    render: Render,
    *,
    offers_backup: bool = False,
    key: str | None = None,
) -> Action:
    return Action(
        urgency,
        sort_date,
        key or f"{kind.value}:r{r.id}",
        kind,
        request_id=r.id,
        mentor_id=r.mentor_id,
        cycle_id=r.cycle_id,
        offers_backup=offers_backup,
        facts=facts,
        render=render,
        archived_writer=ctx.archived_writer(r.mentor_id),
    )


# --- the words, written when an action is shown ------------------------------


def _thank_text(a: Action) -> tuple[str, str]:
    name, submitted, within, thank_by, today = a.facts
    if submitted is None:
        return (f"Thank {name}", f"{name} submitted the letter. Thank them, whatever the outcome.")
    if today > thank_by:
        ago = (today - submitted).days
        allowed = "the same day" if within == 0 else plural_days(within)
        return (
            f"Thank {name}: the thank-you is late",
            f"{name} submitted the letter on {format_day(submitted)}, {plural_days(ago)} ago; "
            f"your setting allows {allowed} for a thank-you. A late thank-you is still "
            "welcome: send it today, whatever the outcome.",
        )
    by = "today" if today == thank_by else f"by {format_day(thank_by)}"
    window = "the same day" if within == 0 else f"within {plural_days(within)}"
    return (
        f"Thank {name}",
        f"{name} submitted the letter on {format_day(submitted)}. Thank them {by} "
        f"({window} of the letter coming in), whatever the outcome.",
    )


def _backup_text(a: Action) -> tuple[str, str]:
    (name,) = a.facts
    return (
        f"Line up a backup for {name}'s letter",
        f"{name} declined. Choose a backup writer so your programs stay covered.",
    )


def _overdue_text(a: Action) -> tuple[str, str]:
    name, due, today, has_backup, never_asked = a.facts
    advice = (
        "Check in with the writer, or follow up on the backup already lined up."
        if has_backup
        else "Check in with the writer, or activate a backup writer."
    )
    if never_asked:
        advice = "You have not asked yet. " + advice
    return (
        f"Letter from {name} is overdue",
        f"It was due {format_day(due)} ({describe_due(due, today)}). {advice}",
    )


def _lead_text(a: Action) -> tuple[str, str]:
    name, due, today, minimum = a.facts
    left = lead_days(due, today)
    days = "today" if left == 0 else "1 day" if left == 1 else f"{left} days"
    return (
        f"Ask {name} today",
        f"The letter is due {format_day(due)}, only {days} away; advisers recommend "
        f"giving a writer at least {minimum} days. Ask today and offer your materials.",
    )


def _ask_by_text(a: Action) -> tuple[str, str]:
    name, ask_on, due, today = a.facts
    if today > ask_on:
        # "Ask by" a date already gone reads like a mistake; say what to do.
        title = f"Ask {name} now"
        if due is None:
            return (title, f"You planned to ask by {format_day(ask_on)}.")
        return (
            title,
            f"The letter is due {format_day(due)}, {plural_days(lead_days(due, today) or 0)} "
            f"from now; the ideal date to ask was {format_day(ask_on)}.",
        )
    title = f"Ask {name} by {format_day(ask_on)}"
    if due is None:
        return (title, f"You planned to ask {name} by {format_day(ask_on)}.")
    return (
        title,
        f"The letter is due {format_day(due)}; asking by {format_day(ask_on)} gives "
        f"{name} {plural_days(lead_days(due, ask_on) or 0)} to write it.",
    )


def _materials_text(a: Action) -> tuple[str, str]:
    name, accepted = a.facts
    return (
        f"Send your materials to {name}",
        f"{name} accepted on {format_day(accepted)}. Send your CV, personal statement, "
        "programs and deadlines so the letter can be specific.",
    )


def _nudge_text(a: Action) -> tuple[str, str]:
    name, reminder, asked, due, today = a.facts
    if reminder.kind is NudgeKind.AFTER_ASK:
        when = format_day(asked) if asked else "a while ago"
        by = f", ideally by {format_day(reminder.send_by)}" if reminder.send_by else ""
        detail = f"You asked on {when} and no letter has arrived yet. Send a polite reminder{by}."
    else:
        detail = (
            f"The letter is {describe_due(due, today)} ({format_day(due)}). A short reminder helps."
        )
    return (f"Remind {name} about the letter", detail)


def _due_text(a: Action) -> tuple[str, str]:
    name, due, today, quiet, reminded = a.facts
    title = f"Letter from {name} is {describe_due(due, today)}"
    if quiet:
        detail = (
            f"{name} asked for no reminders, so none is suggested. Check that the letter "
            f"is in by {format_day(due)} and mark it submitted when it is."
        )
    else:
        when = f"You reminded {name} on {format_day(reminded)}. " if reminded else ""
        detail = (
            f"{when}The letter is due today ({format_day(due)}); check that it is in, "
            "and mark it submitted when it is. From tomorrow it is overdue."
        )
    return (title, detail)
