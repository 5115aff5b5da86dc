"""What every Today rule looks things up in: the snapshot indexed by id.

Built once per computation so each rule is a dictionary lookup, never a scan
of another list (100,000 requests times anything is too slow).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from .records import CycleRecord, MentorRecord, RequestRecord, TodaySnapshot
from .status import NOT_COMING_STATUSES
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


@dataclass
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

    @classmethod
    def build(
        cls, snapshot: TodaySnapshot, today: date, thresholds: AdviceThresholds
    ) -> TodayContext:
        requests: dict[int, RequestRecord] = {r.id: r for r in snapshot.requests}
        mentors_with_request = {r.mentor_id for r in snapshot.requests}
        cycles = {
            c.id: CycleFlags(
                cycle=c,
                season_over=c.outcome_on is not None and today > c.outcome_on,
                outcome_reached=c.outcome_on is not None and today >= c.outcome_on,
                in_season=c.in_season(today),
            )
            for c in snapshot.cycles
            if not c.archived
        }
        return cls(
            today=today,
            thresholds=thresholds,
            mentors={m.id: m for m in snapshot.mentors},
            cycles=cycles,
            requests=requests,
            mentors_with_request=mentors_with_request,
            with_live_backup=_with_live_backup(requests),
            backed_up={
                r.backup_for
                for r in snapshot.requests
                if r.backup_for is not None and r.status != RequestStatus.WITHDRAWN
            },
        )

    def days(self, name: str) -> timedelta:
        """A threshold as a timedelta, e.g. ``days("ideal_lead")``."""
        return timedelta(days=getattr(self.thresholds, name))

    def mentor_name(self, mentor_id: int) -> str:
        mentor = self.mentors.get(mentor_id)
        return mentor.name if mentor is not None else UNKNOWN_MENTOR

    def has_live_backup(self, request_id: int) -> bool:
        return request_id in self.with_live_backup


def _with_live_backup(requests: dict[int, RequestRecord]) -> set[int]:
    """Walk up from every backup that is still coming: its original has a
    live backup, and so does the original's original while the one in
    between declined too. Each request is marked once, so this is linear."""
    marked: set[int] = set()
    for backup in requests.values():
        if backup.backup_for is None or backup.status in NOT_COMING_STATUSES:
            continue
        parent_id: int | None = backup.backup_for
        while parent_id is not None and parent_id not in marked:
            marked.add(parent_id)
            parent = requests.get(parent_id)
            if parent is None or parent.status != RequestStatus.DECLINED:
                break
            parent_id = parent.backup_for
    return marked
