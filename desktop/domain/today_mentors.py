"""Today rules about people rather than one letter: when to ask a mentor met
on a rotation, keeping writers posted during the season, and sharing the
outcome once it is known.

Asking starts something new with a mentor, so archived mentors get no ask
prompt. Keeping a writer posted and sharing the outcome are owed to someone
who wrote (or is writing) for you, so they stay when the writer is archived,
and the card says so.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from .actions import Action, ActionKind, Urgency
from .records import ExperienceRecord, MentorRecord
from .timing import days, format_day, plural_days
from .today_context import TodayContext
from .vocabulary import ExperienceKind

# --- when to ask -------------------------------------------------------------


def experience_actions(experiences: Iterable[ExperienceRecord], ctx: TodayContext) -> list[Action]:
    """Ask now (a rotation with the mentor ends within the window, or just
    ended) or ask soon (the experience ended a while ago and memories fade),
    for mentors with no request at all, once per mentor."""
    t, today = ctx.thresholds, ctx.today
    best: dict[int, Action] = {}
    for experience in experiences:
        end = experience.end_date
        if end is None or not experience.mentor_ids:
            continue
        since_end = (today - end).days
        if (
            ExperienceKind(experience.kind).is_clinical
            and -t.ask_now_before_end <= since_end <= t.ask_now_after_end
        ):
            kind = ActionKind.ASK_NOW
        elif t.memories_fade < since_end <= t.stop_suggesting_ask:
            kind = ActionKind.MEMORIES_FADE
        else:
            continue
        for mentor_id in experience.mentor_ids:
            mentor = ctx.mentors.get(mentor_id)
            if mentor is None or mentor.archived or mentor_id in ctx.mentors_with_request:
                continue
            action = _ask_action(kind, experience, end, mentor, since_end, ctx)
            current = best.get(mentor_id)
            if current is None or _ask_rank(action) < _ask_rank(current):
                best[mentor_id] = action
    return list(best.values())


def _ask_rank(action: Action) -> tuple[int, int]:
    # "Ask now" beats "ask soon"; then the rotation that ends first, or the
    # experience that ended most recently (the freshest memories).
    if action.kind is ActionKind.ASK_NOW:
        return (0, action.sort_date.toordinal())
    return (1, -action.sort_date.toordinal())


def _ask_action(
    kind: ActionKind,
    experience: ExperienceRecord,
    end: date,
    mentor: MentorRecord,
    since_end: int,
    ctx: TodayContext,
) -> Action:
    if kind is ActionKind.ASK_NOW:
        # Dated by the rotation's end while it runs; once it has ended, by
        # the last day of the ask-now window, so the date is never one gone by.
        after = ctx.thresholds.ask_now_after_end
        ask_by = end if since_end <= 0 else end + days(after)
        facts: tuple[object, ...] = (mentor.name, experience.title, end, since_end, ask_by)
        urgency, sort_date, render = Urgency.HIGH, ask_by, _ask_now_text
    else:
        facts = (mentor.name, experience.title, end, since_end)
        fade = days(ctx.thresholds.memories_fade)
        urgency, sort_date, render = Urgency.NORMAL, end + fade, _memories_text
    return Action(
        urgency,
        sort_date,
        f"{kind.value}:e{experience.id}:m{mentor.id}",
        kind,
        mentor_id=mentor.id,
        experience_id=experience.id,
        facts=facts,
        render=render,
    )


def _ask_now_text(a: Action) -> tuple[str, str]:
    name, title, end, since_end, ask_by = a.facts
    if since_end > 0:
        return (
            f"Ask {name} for a letter",
            f"{title} ended {format_day(end)}. Ask by {format_day(ask_by)}, "
            "while your work is fresh in their mind.",
        )
    when = "ends today" if since_end == 0 else f"ends {format_day(end)}"
    return (
        f"Ask {name} for a letter",
        f"{title} {when}. Ask toward the end of the rotation, "
        "while your work is fresh in their mind.",
    )


def _memories_text(a: Action) -> tuple[str, str]:
    name, title, _end, since_end = a.facts
    return (
        f"Ask {name} soon",
        f"{title} ended {plural_days(since_end)} ago and you have not asked {name} yet. "
        "Memories of your work fade; ask soon.",
    )


# --- after asking: keep in touch, share the outcome -------------------------


def writer_actions(ctx: TodayContext) -> list[Action]:
    """Keep in touch and share the outcome, from the per-writer facts the
    context gathered in its pass over the requests."""
    actions = _keep_in_touch(ctx.writer_contact, ctx)
    for (cycle_id, mentor_id), shared in ctx.outcome_shared.items():
        mentor = ctx.mentors.get(mentor_id)
        if not shared and mentor is not None:
            actions.append(_share_outcome(cycle_id, mentor, ctx))
    return actions


def _keep_in_touch(in_touch: dict[int, tuple[date | None, int]], ctx: TodayContext) -> list[Action]:
    today, every = ctx.today, days(ctx.thresholds.keep_in_touch)
    actions = []
    for mentor_id, (from_requests, cycle_id) in in_touch.items():
        mentor = ctx.mentors.get(mentor_id)
        if mentor is None:
            continue
        last = mentor.last_contact
        if from_requests is not None and (last is None or from_requests > last):
            last = from_requests
        if last is not None and today - last < every:
            continue
        actions.append(
            Action(
                Urgency.LOW,
                last + every if last else today,
                # Keyed by the last contact: once you write and the silence
                # grows again, it is a new reminder, not a dismissed one.
                f"keep_in_touch:m{mentor_id}:{last.isoformat() if last else 'never'}",
                ActionKind.KEEP_IN_TOUCH,
                mentor_id=mentor_id,
                cycle_id=cycle_id,
                facts=(mentor.name, last, today),
                render=_keep_in_touch_text,
                archived_writer=mentor.name if mentor.archived else None,
            )
        )
    return actions


def _keep_in_touch_text(a: Action) -> tuple[str, str]:
    name, last, today = a.facts
    since = (
        f"No contact logged for {plural_days((today - last).days)}" if last else "No contact logged"
    )
    return (
        f"Keep {name} posted",
        f"{since}. A short update on your applications keeps them in the loop.",
    )


def _share_outcome(cycle_id: int, mentor: MentorRecord, ctx: TodayContext) -> Action:
    cycle = ctx.cycles[cycle_id].cycle
    outcome_on = cycle.outcome_on
    assert outcome_on is not None
    return Action(
        Urgency.LOW,
        outcome_on,
        f"share_outcome:c{cycle_id}:m{mentor.id}",
        ActionKind.SHARE_OUTCOME,
        mentor_id=mentor.id,
        cycle_id=cycle_id,
        facts=(mentor.name, cycle.name, outcome_on),
        render=_share_outcome_text,
        archived_writer=mentor.name if mentor.archived else None,
    )


def _share_outcome_text(a: Action) -> tuple[str, str]:
    name, cycle_name, outcome_on = a.facts
    return (
        f"Tell {name} how {cycle_name} went",
        f"Results came out on {format_day(outcome_on)}. Writers like to hear the outcome, "
        "whatever it is; thank them again while you are at it.",
    )
