"""The Today page's rules: from a snapshot of the data to a sorted list of
actions, most urgent first.

Where each rule lives:
- ``today_mentors``: ask now / ask soon after a rotation, keep in touch,
  share the outcome;
- ``today_requests``: ask by, lead time, send materials, reminders, overdue,
  declined without a backup, thank;
- here: programs whose letter requirements are not met.

The thresholds come from ``AdviceThresholds``. The work is two passes over
the requests and one over programs, with dictionaries keyed by id (nothing
quadratic), and the text of an action is only written when it is shown, so
the time grows with the data and not with its square. Records should carry the
vocabulary enums; statuses are compared with ``==`` so plain strings from a
query work too.

Rules tied to a request stay even when its mentor is archived (the letter is
still on its way). Nothing is suggested for archived cycles, and once a
cycle's outcome date has passed only thanks and sharing the outcome remain.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date

from .actions import Action, ActionKind, ActionState, Urgency, apply_action_states, sort_actions
from .bulk import collector_paused
from .coverage import CoverageState, program_coverage
from .records import ProgramRecord, RequestRecord, TodaySnapshot
from .thresholds import AdviceThresholds
from .today_context import TodayContext
from .today_mentors import experience_actions, writer_actions
from .today_requests import request_actions
from .vocabulary import ProgramStatus

DEFAULT_THRESHOLDS = AdviceThresholds()


def next_actions(
    snapshot: TodaySnapshot,
    today: date,
    thresholds: AdviceThresholds = DEFAULT_THRESHOLDS,
) -> list[Action]:
    """Every action the data calls for today, most urgent first."""
    with collector_paused():
        ctx = TodayContext.build(snapshot, today, thresholds)
        actions = request_actions(snapshot.requests, ctx)
        actions += experience_actions(snapshot.experiences, ctx)
        actions += writer_actions(ctx)
        actions += coverage_actions(snapshot.programs, ctx)
        return sort_actions(actions)


def visible_actions(
    snapshot: TodaySnapshot,
    today: date,
    states: Mapping[str, ActionState],
    thresholds: AdviceThresholds = DEFAULT_THRESHOLDS,
) -> list[Action]:
    """``next_actions`` without what the user snoozed or dismissed."""
    return apply_action_states(next_actions(snapshot, today, thresholds), states, today)


def coverage_actions(programs: Iterable[ProgramRecord], ctx: TodayContext) -> list[Action]:
    """One action per program whose requirements are not met. Programs only
    at risk are left to the letters' own actions (overdue, backup, ask
    today), which say what to do."""
    today, t = ctx.today, ctx.thresholds
    programs = list(programs)
    # Caps that count the whole application (SF Match's exactly 3, TMDSAS's
    # packet or three letters) read every letter of the program's cycle.
    application: dict[int, dict[int, RequestRecord]] = {}
    for program in programs:
        mine = application.setdefault(program.cycle_id, {})
        mine.update((i, ctx.requests[i]) for i in program.request_ids if i in ctx.requests)
    actions = []
    for program in programs:
        if program.status == ProgramStatus.WITHDRAWN:
            continue
        flags = ctx.cycles.get(program.cycle_id)
        if flags is None or flags.season_over:
            continue
        letters = [ctx.requests[i] for i in program.request_ids if i in ctx.requests]
        coverage = program_coverage(
            program,
            letters,
            today=today,
            thresholds=t,
            cycle=flags.cycle,
            application=list(application[program.cycle_id].values()),
        )
        if coverage.state is not CoverageState.NOT_MET:
            continue
        deadline = program.deadline
        if deadline is None:
            urgency = Urgency.NORMAL
        elif today > deadline:
            urgency = Urgency.URGENT
        elif (deadline - today).days <= t.ideal_lead:
            urgency = Urgency.HIGH
        else:
            urgency = Urgency.NORMAL
        actions.append(
            Action(
                urgency,
                deadline or today,
                f"coverage:p{program.id}",
                ActionKind.COVERAGE,
                program_id=program.id,
                cycle_id=program.cycle_id,
                facts=(program.name, coverage.reasons),
                render=_coverage_text,
            )
        )
    return actions


def _coverage_text(a: Action) -> tuple[str, str]:
    name, reasons = a.facts
    return (f"Letters for {name} are not covered", _sentence("; ".join(reasons)))


def _sentence(text: str) -> str:
    # Not str.capitalize(): it would lower-case "Internal Medicine".
    return text[:1].upper() + text[1:] + "."
