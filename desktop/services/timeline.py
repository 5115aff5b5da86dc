"""The season's timeline as data: each letter request as a span of days
and the programs' deadlines, worked out from the Today snapshot. The Today
page paints it (``desktop.ui.today.timeline``); nothing here needs Qt."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import NamedTuple

from desktop.domain.bulk import collector_paused
from desktop.domain.records import TodaySnapshot
from desktop.domain.thresholds import AdviceThresholds
from desktop.domain.timing import format_day
from desktop.domain.vocabulary import LetterType, ProgramStatus, RequestStatus


class TimelineRow(NamedTuple):
    request_id: int
    label: str  # the writer's name, with the letter when they write several
    status: RequestStatus
    letter_type: LetterType
    start: date | None  # asked, else planned ask, else the ideal ask date
    end: date | None  # submitted, else due
    due: date | None
    submitted: date | None
    planned: bool  # the start is a plan, not a fact


@dataclass(frozen=True)
class TimelineData:
    today: date
    rows: tuple[TimelineRow, ...] = ()
    # Deadline day → program names (several programs often share a day).
    deadlines: dict[date, tuple[str, ...]] = field(default_factory=dict)
    # The dates drawn: every bar, deadline and today, with a week either side.
    first: date | None = None
    last: date | None = None

    @property
    def is_empty(self) -> bool:
        return not self.rows and not self.deadlines


def timeline_from_snapshot(
    snapshot: TodaySnapshot, today: date, thresholds: AdviceThresholds
) -> TimelineData:
    """One row per request of the active cycles, ordered by when the letter
    ends (submitted or due; undated last), and the deadlines of programs
    still in play. Plain Python, run on the worker thread with the rules;
    written as a tight loop because it meets every request (100,000 in the
    benchmark)."""
    with collector_paused():
        return _timeline(snapshot, today, thresholds)


def _timeline(snapshot: TodaySnapshot, today: date, thresholds: AdviceThresholds) -> TimelineData:
    names = {m.id: m.name for m in snapshot.mentors}
    lead = timedelta(days=thresholds.ideal_lead)
    rows: list[TimelineRow] = []
    add = rows.append
    first = last = today
    for r in snapshot.requests:
        asked, due = r.asked_on, r.due_on
        start = asked or r.planned_ask_on or (due - lead if due else None)
        end = r.submitted_on or due
        if start is not None:
            if end is not None and end < start:
                start, end = end, start
            if start < first:
                first = start
        if end is not None and end > last:
            last = end
        if due is not None and due > last:
            last = due
        add(
            TimelineRow(
                r.id,
                names.get(r.mentor_id, "?"),
                r.status,
                r.letter_type,
                start,
                end,
                due,
                r.submitted_on,
                asked is None,
            )
        )
    rows = _told_apart(rows, snapshot)
    undated = date.max
    rows.sort(key=lambda row: row[5] or undated)  # stable: ties stay in id order
    deadlines: dict[date, list[str]] = defaultdict(list)
    for p in snapshot.programs:
        if p.deadline is not None and p.status != ProgramStatus.WITHDRAWN:
            deadlines[p.deadline].append(p.name)
    if deadlines:
        first, last = min(first, *deadlines), max(last, *deadlines)
    return TimelineData(
        today,
        tuple(rows),
        {d: tuple(n) for d, n in deadlines.items()},
        first - timedelta(days=7),
        last + timedelta(days=7),
    )


def _told_apart(rows: list[TimelineRow], snapshot: TodaySnapshot) -> list[TimelineRow]:
    """A writer with several letters would show the same name on each row.
    Add what tells that writer's letters apart, and no more: the type where
    their types differ, then the specialty, then the cycle, and the due date
    when even those are the same."""
    by_name = Counter(row.label for row in rows)
    if all(count == 1 for count in by_name.values()):
        return rows
    requests = {r.id: r for r in snapshot.requests}
    cycles = {c.id: c.name for c in snapshot.cycles}
    keys: dict[int, tuple[str, ...]] = {}  # request id -> (type, specialty, cycle, due)
    for row in rows:
        if by_name[row.label] > 1:
            r = requests[row.request_id]
            keys[row.request_id] = (
                row.letter_type.short_label,
                r.specialty,
                cycles.get(r.cycle_id, ""),
                f"due {format_day(row.due)}" if row.due else "no due date",
            )
    by_writer: dict[str, list[tuple[str, ...]]] = defaultdict(list)
    for row in rows:
        if row.request_id in keys:
            by_writer[row.label].append(keys[row.request_id])
    told = []
    for row in rows:
        key = keys.get(row.request_id)
        if key is None:
            told.append(row)
            continue
        same_writer = by_writer[row.label]
        parts = []
        for depth in range(len(key)):
            # This part tells the letters apart if, among the writer's letters
            # that agree on every part before it, it is not always the same.
            alike = [k for k in same_writer if k[:depth] == key[:depth]]
            if len({k[depth] for k in alike}) > 1:
                parts.append(key[depth])
            if sum(1 for k in same_writer if k[: depth + 1] == key[: depth + 1]) == 1:
                break
        told.append(row._replace(label=f"{row.label} · {', '.join(parts)}" if parts else row.label))
    return told
