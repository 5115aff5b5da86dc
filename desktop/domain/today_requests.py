"""Today rules for letter requests: ask by, lead time, materials, reminders,
overdue, declined without a backup, and thank-you.

One pass over the requests. It is the hot loop of Today (100,000 requests
in the benchmark), so each request is classified with a few comparisons,
the reminder schedule is worked out only when a reminder could be due, and
the words are left to the ``_*_text`` functions, which run when an action
is shown.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import date, timedelta
from typing import cast

from .actions import Action, ActionKind, Render, Urgency
from .records import RequestRecord
from .timing import NudgeKind, NudgePlanner, describe_due, format_day, nudge_planner
from .today_context import UNKNOWN_MENTOR as _UNKNOWN
from .today_context import TodayContext
from .vocabulary import ReminderPreference, RequestStatus

S = RequestStatus
_DEFAULT, _GENTLE, _NONE = (
    ReminderPreference.DEFAULT,
    ReminderPreference.GENTLE,
    ReminderPreference.NONE,
)
_ONE_DAY = timedelta(days=1)
# Looked up once: reading ``.value`` on an enum member goes through a Python
# descriptor, which shows in a loop of 100,000.
_KEY_PREFIX = {kind: f"{kind.value}:r" for kind in ActionKind}
# Enum members read from the class cost a lookup on the metaclass each time;
# the loop uses these module-level names instead.
_SUBMITTED, _DECLINED, _WITHDRAWN, _PLANNED, _ACCEPTED = (
    S.SUBMITTED,
    S.DECLINED,
    S.WITHDRAWN,
    S.PLANNED,
    S.ACCEPTED,
)
_URGENT, _HIGH, _NORMAL = Urgency.URGENT, Urgency.HIGH, Urgency.NORMAL
_new_action = cast(Callable[[type[Action], tuple[object, ...]], Action], tuple.__new__)
_THANK, _BACKUP, _OVERDUE, _LEAD_TIME, _ASK_BY, _MATERIALS, _NUDGE = (
    ActionKind.THANK,
    ActionKind.FIND_BACKUP,
    ActionKind.OVERDUE,
    ActionKind.LEAD_TIME,
    ActionKind.ASK_BY,
    ActionKind.SEND_MATERIALS,
    ActionKind.NUDGE,
)


def request_actions(requests: Iterable[RequestRecord], ctx: TodayContext) -> list[Action]:
    today, t = ctx.today, ctx.thresholds
    minimum_lead = ctx.days("minimum_lead")
    ideal_lead = ctx.days("ideal_lead")
    notice = ctx.days("ask_by_notice")
    materials_after = ctx.days("materials_after")
    thank_within = ctx.days("thank_within")
    first_nudge = {_DEFAULT: ctx.days("first_nudge"), _GENTLE: ctx.days("first_nudge_latest")}
    # The earliest any pre-due reminder can come, whichever setting is larger.
    before_due = timedelta(days=max(t.nudge_before_due, t.last_nudge_before_due))
    planner = nudge_planner(t)
    mentors, cycles = ctx.mentors, ctx.cycles
    # A name per mentor, looked up with ``dict.get`` (a C call) rather than
    # through a method for each of tens of thousands of actions.
    name = ctx.mentor_names().get
    live_backup, backed_up = ctx.with_live_backup, ctx.backed_up

    actions: list[Action] = []
    add = actions.append
    facts: tuple[object, ...]  # what each action's text is made of
    for r in requests:
        flags = cycles.get(r.cycle_id)
        if flags is None:  # archived (or unknown) cycle
            continue
        status = r.status
        if status == _SUBMITTED:
            if r.thanked_on is None:
                submitted = r.submitted_on
                thank_by = today if submitted is None else submitted + thank_within
                urgency = _HIGH if today > thank_by else _NORMAL
                facts = (name(r.mentor_id, _UNKNOWN), submitted, t.thank_within)
                add(_action(r, _THANK, urgency, thank_by, facts, _thank_text))
            continue
        if flags.season_over or status == _WITHDRAWN:
            continue
        if status == _DECLINED:
            if r.id not in backed_up:
                facts = (name(r.mentor_id, _UNKNOWN),)
                add(_action(r, _BACKUP, _URGENT, r.due_on or today, facts, _backup_text, True))
            continue
        due = r.due_on
        if due is not None and today > due:
            # An overdue letter needs chasing; it replaces any other advice.
            has_backup = r.id in live_backup
            facts = (name(r.mentor_id, _UNKNOWN), due, today, has_backup, status == _PLANNED)
            add(_action(r, _OVERDUE, _URGENT, due, facts, _overdue_text, not has_backup))
            continue
        if status == _PLANNED:
            if due is not None and due - today < minimum_lead:
                facts = (name(r.mentor_id, _UNKNOWN), due, today, t.minimum_lead)
                add(_action(r, _LEAD_TIME, _URGENT, due - minimum_lead, facts, _lead_text))
                continue
            ask_by = r.planned_ask_on
            if due is not None and (ask_by is None or due - ideal_lead < ask_by):
                ask_by = due - ideal_lead  # the user's plan may be earlier than the ideal
            if ask_by is not None and today >= ask_by - notice:
                urgency = _HIGH if today >= ask_by else _NORMAL
                facts = (name(r.mentor_id, _UNKNOWN), ask_by, due, today)
                add(_action(r, _ASK_BY, urgency, ask_by, facts, _ask_by_text))
            continue
        # Asked, accepted or materials sent: waiting for the letter.
        if status == _ACCEPTED:
            accepted = r.status_since or r.asked_on
            if accepted is not None and today - accepted > materials_after:
                facts = (name(r.mentor_id, _UNKNOWN), accepted)
                send_by = accepted + materials_after
                add(_action(r, _MATERIALS, _HIGH, send_by, facts, _materials_text))
        mentor = mentors.get(r.mentor_id)
        preference = mentor.reminder_preference if mentor is not None else _DEFAULT
        if preference == _NONE:
            continue
        # Work out the schedule only if some reminder could already be due.
        asked = r.asked_on
        soonest = None if asked is None else asked + first_nudge.get(preference, _ONE_DAY)
        if due is not None and (soonest is None or due - before_due < soonest):
            soonest = due - before_due
        if soonest is not None and soonest <= today:
            nudge = _nudge(r, preference, planner, today, mentor.name if mentor else _UNKNOWN)
            if nudge is not None:
                add(nudge)
    return actions


def _action(
    r: RequestRecord,
    kind: ActionKind,
    urgency: Urgency,
    sort_date: date,
    facts: tuple[object, ...],
    render: Render,
    offers_backup: bool = False,
    key: str | None = None,
) -> Action:
    # Straight to ``tuple.__new__`` with every field in order: the same
    # Action, without the NamedTuple's Python-level ``__new__`` (this runs for
    # every action of the hot loop).
    return _new_action(
        Action,
        (
            urgency,
            sort_date,
            key or f"{_KEY_PREFIX[kind]}{r.id}",
            kind,
            r.id,
            r.mentor_id,
            None,  # program
            None,  # experience
            r.cycle_id,
            offers_backup,
            facts,
            render,
        ),
    )


def _nudge(
    r: RequestRecord, preference: ReminderPreference, planner: NudgePlanner, today: date, name: str
) -> Action | None:
    due = r.due_on
    nudge = planner.current(r.status, r.asked_on, due, preference, r.last_reminded_on, today)
    if nudge is None:
        return None
    if nudge.kind is NudgeKind.AFTER_ASK:
        late = nudge.send_by is not None and today >= nudge.send_by
        urgency = Urgency.HIGH if late else Urgency.NORMAL
    else:
        urgency = Urgency.HIGH
    facts = (name, nudge, r.asked_on, due, today)
    # The date makes each reminder its own action: dismissing the first one
    # does not silence the one a week before the due date.
    key = f"nudge:r{r.id}:{nudge.on.isoformat()}"
    return _action(r, _NUDGE, urgency, nudge.on, facts, _nudge_text, key=key)


# --- the words, written when an action is shown ------------------------------


def _thank_text(a: Action) -> tuple[str, str]:
    name, submitted, within = a.facts
    when = f" on {format_day(submitted)}" if submitted else ""
    return (
        f"Thank {name}",
        f"{name} submitted the letter{when}. Thank them within {within} days, "
        "whatever the outcome.",
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
    left = (due - today).days
    days = "today" if left == 0 else "1 day" if left == 1 else f"{left} days"
    return (
        f"Ask {name} today",
        f"The letter is due {format_day(due)}, only {days} away; advisers recommend "
        f"giving a writer at least {minimum} days. Ask today and offer your materials.",
    )


def _ask_by_text(a: Action) -> tuple[str, str]:
    name, ask_by, due, today = a.facts
    if today > ask_by:
        # "Ask by" a date already gone reads like a mistake; say what to do.
        title = f"Ask {name} now"
        if due is None:
            return (title, f"You planned to ask by {format_day(ask_by)}.")
        return (
            title,
            f"The letter is due {format_day(due)}, {(due - today).days} days from now; "
            f"the ideal date to ask was {format_day(ask_by)}.",
        )
    title = f"Ask {name} by {format_day(ask_by)}"
    if due is None:
        return (title, f"You planned to ask {name} by {format_day(ask_by)}.")
    return (
        title,
        f"The letter is due {format_day(due)}; asking by {format_day(ask_by)} gives "
        f"{name} {(due - ask_by).days} days to write it.",
    )


def _materials_text(a: Action) -> tuple[str, str]:
    name, accepted = a.facts
    return (
        f"Send your materials to {name}",
        f"{name} accepted on {format_day(accepted)}. Send your CV, personal statement, "
        "programs and deadlines so the letter can be specific.",
    )


def _nudge_text(a: Action) -> tuple[str, str]:
    name, nudge, asked, due, today = a.facts
    if nudge.kind is NudgeKind.AFTER_ASK:
        when = format_day(asked) if asked else "a while ago"
        by = f", ideally by {format_day(nudge.send_by)}" if nudge.send_by else ""
        detail = f"You asked on {when} and no letter has arrived yet. Send a polite reminder{by}."
    else:
        detail = (
            f"The letter is {describe_due(due, today)} ({format_day(due)}). A short reminder helps."
        )
    return (f"Remind {name} about the letter", detail)
