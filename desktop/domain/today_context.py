"""What every Today rule looks things up in: the snapshot indexed by id.

Built once per computation so each rule is a dictionary lookup, never a scan
of another list (thousands of requests times anything is too slow).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from .records import CycleRecord, MentorRecord, RequestRecord, TodaySnapshot
from .status import ASKED_OR_LATER
from .thresholds import AdviceThresholds
from .vocabulary import RequestStatus

# Named in text when a request's mentor is missing from the snapshot.
UNKNOWN_MENTOR = "your writer"


@dataclass(frozen=True, slots=True)
class CycleFlags:
    """Per-cycle facts every request of the cycle would otherwise recompute."""

    cycle: CycleRecord
    season_over: bool  # after the outcome date: only thanks remain
    outcome_reached: bool  # on or after the outcome date
    in_season: bool

    @classmethod
    def of(cls, cycle: CycleRecord, today: date) -> CycleFlags:
        outcome_on = cycle.outcome_on
        return cls(
            cycle=cycle,
            season_over=outcome_on is not None and today > outcome_on,
            outcome_reached=outcome_on is not None and today >= outcome_on,
            in_season=cycle.in_season(today),
        )


@dataclass(frozen=True)
class TodayContext:
    today: date
    thresholds: AdviceThresholds
    mentors: dict[int, MentorRecord]
    # Archived cycles are left out: nothing is suggested for them.
    cycles: dict[int, CycleFlags]
    requests: dict[int, RequestRecord]
    mentors_with_request: set[int]
    # Requests with a backup still coming (directly, or behind backups that
    # declined in turn).
    with_live_backup: set[int]
    # Requests someone was lined up to replace (not withdrawn); when that
    # backup declines too, finding the next one is the backup's action.
    backed_up: set[int]
    # Writers in a cycle in season → (latest contact on their requests, the
    # cycle of their last request); the rule adds the mentor's interactions.
    writer_contact: dict[int, tuple[date | None, int]]
    # (cycle, writer) whose letter was submitted, for cycles whose outcome
    # is known → the outcome was shared with them.
    outcome_shared: dict[tuple[int, int], bool]

    @classmethod
    def build(
        cls, snapshot: TodaySnapshot, today: date, thresholds: AdviceThresholds
    ) -> TodayContext:
        cycles = {c.id: CycleFlags.of(c, today) for c in snapshot.cycles if not c.archived}
        requests = {r.id: r for r in snapshot.requests}
        # A withdrawn backup never stood in for anyone.
        backups = [
            r
            for r in snapshot.requests
            if r.backup_for is not None and r.status != RequestStatus.WITHDRAWN
        ]
        # Requests of archived cycles give no advice, so neither do their writers.
        asked = [
            r for r in snapshot.requests if r.status in ASKED_OR_LATER and r.cycle_id in cycles
        ]
        return cls(
            today=today,
            thresholds=thresholds,
            mentors={m.id: m for m in snapshot.mentors},
            cycles=cycles,
            requests=requests,
            mentors_with_request={r.mentor_id for r in snapshot.requests},
            with_live_backup=_with_live_backup(backups, requests),
            backed_up={r.backup_for for r in backups if r.backup_for is not None},
            writer_contact=_writer_contact(r for r in asked if cycles[r.cycle_id].in_season),
            outcome_shared=_outcome_shared(
                (
                    r
                    for r in asked
                    if r.status == RequestStatus.SUBMITTED and cycles[r.cycle_id].outcome_reached
                ),
                cycles,
            ),
        )

    def mentor_name(self, mentor_id: int) -> str:
        mentor = self.mentors.get(mentor_id)
        return mentor.name if mentor is not None else UNKNOWN_MENTOR

    def archived_writer(self, mentor_id: int) -> str | None:
        """The writer's name when they are archived, for ``Action.archived_writer``."""
        mentor = self.mentors.get(mentor_id)
        return mentor.name if mentor is not None and mentor.archived else None

    def has_live_backup(self, request_id: int) -> bool:
        return request_id in self.with_live_backup


def _with_live_backup(backups: list[RequestRecord], requests: dict[int, RequestRecord]) -> set[int]:
    """Walk up from every backup that is still coming: its original has a
    live backup, and so does the original's original while the one in
    between declined too. Each request is marked once, so this is linear."""
    marked: set[int] = set()
    for backup in backups:
        if backup.status == RequestStatus.DECLINED:
            continue
        parent_id: int | None = backup.backup_for
        while parent_id is not None and parent_id not in marked:
            marked.add(parent_id)
            parent = requests.get(parent_id)
            if parent is None or parent.status != RequestStatus.DECLINED:
                break
            parent_id = parent.backup_for
    return marked


def _writer_contact(requests: Iterable[RequestRecord]) -> dict[int, tuple[date | None, int]]:
    """Per writer, the latest contact their requests record (asking,
    reminding, thanking and sharing news are contact too), with the cycle
    of the writer's last request."""
    contact: dict[int, tuple[date | None, int]] = {}
    for r in requests:
        latest, _cycle = contact.get(r.mentor_id, (None, r.cycle_id))
        for day in (r.asked_on, r.last_reminded_on, r.thanked_on, r.outcome_shared_on):
            if day is not None and (latest is None or day > latest):
                latest = day
        contact[r.mentor_id] = (latest, r.cycle_id)
    return contact


def _outcome_shared(
    submitted: Iterable[RequestRecord], cycles: dict[int, CycleFlags]
) -> dict[tuple[int, int], bool]:
    """(cycle, writer) → whether the outcome was shared with the writer on
    any of their submitted letters for that cycle."""
    shared: dict[tuple[int, int], bool] = {}
    for r in submitted:
        outcome_on = cycles[r.cycle_id].cycle.outcome_on
        # An update sent before the results came out is not the outcome.
        told = r.outcome_shared_on is not None and (
            outcome_on is not None and r.outcome_shared_on >= outcome_on
        )
        key = (r.cycle_id, r.mentor_id)
        shared[key] = shared.get(key, False) or told
    return shared
