"""What every Today rule looks things up in: the snapshot indexed by id.

Built once per computation so each rule is a dictionary lookup, never a scan
of another list (100,000 requests times anything is too slow).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from .records import CycleRecord, MentorRecord, RequestRecord, TodaySnapshot
from .status import ASKED_OR_LATER
from .thresholds import AdviceThresholds
from .vocabulary import RequestStatus

_SUBMITTED, _DECLINED, _WITHDRAWN = (
    RequestStatus.SUBMITTED,
    RequestStatus.DECLINED,
    RequestStatus.WITHDRAWN,
)

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
    # Writers in a cycle in season → (latest contact on their requests, that
    # cycle); the mentor's logged interactions are added by the rule.
    writer_contact: dict[int, tuple[date | None, int]] = field(default_factory=dict)
    # (cycle, writer) whose letter was submitted, for cycles whose outcome
    # is known → the outcome was shared with them.
    outcome_shared: dict[tuple[int, int], bool] = field(default_factory=dict)

    @classmethod
    def build(
        cls, snapshot: TodaySnapshot, today: date, thresholds: AdviceThresholds
    ) -> TodayContext:
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
        ctx = cls(
            today=today,
            thresholds=thresholds,
            mentors={m.id: m for m in snapshot.mentors},
            cycles=cycles,
            requests={},
            mentors_with_request=set(),
            with_live_backup=set(),
            backed_up=set(),
        )
        ctx._index_requests(snapshot.requests)
        return ctx

    def _index_requests(self, all_requests: tuple[RequestRecord, ...]) -> None:
        """Everything the rules look up across requests, gathered up front.
        Comprehensions first (they run at C speed), then loops only over
        the few requests each fact needs."""
        requests = self.requests = {r.id: r for r in all_requests}
        self.mentors_with_request = {r.mentor_id for r in all_requests}
        backups = [r for r in all_requests if r.backup_for is not None and r.status != _WITHDRAWN]
        self.backed_up = {r.backup_for for r in backups if r.backup_for is not None}
        live = [r for r in backups if r.status != _DECLINED]
        self.with_live_backup = _with_live_backup(live, requests)

        contact, outcome, cycles = self.writer_contact, self.outcome_shared, self.cycles
        for r in [r for r in all_requests if r.status in ASKED_OR_LATER]:
            flags = cycles.get(r.cycle_id)
            if flags is None:
                continue
            if flags.in_season:
                # Asking, reminding, thanking and sharing news are contact too.
                # Spelled out rather than looped: this runs for most requests.
                last = r.asked_on
                day = r.last_reminded_on
                if day is not None and (last is None or day > last):
                    last = day
                day = r.thanked_on
                if day is not None and (last is None or day > last):
                    last = day
                day = r.outcome_shared_on
                if day is not None and (last is None or day > last):
                    last = day
                known = contact.get(r.mentor_id)
                if known is not None and known[0] is not None and (last is None or known[0] > last):
                    last = known[0]
                contact[r.mentor_id] = (last, r.cycle_id)
            if flags.outcome_reached and r.status == _SUBMITTED:
                outcome_on = flags.cycle.outcome_on
                assert outcome_on is not None
                # An update sent before the results came out is not the outcome.
                shared = r.outcome_shared_on is not None and r.outcome_shared_on >= outcome_on
                key = (r.cycle_id, r.mentor_id)
                outcome[key] = outcome.get(key, False) or shared

    def days(self, name: str) -> timedelta:
        """A threshold as a timedelta, e.g. ``days("ideal_lead")``."""
        return timedelta(days=getattr(self.thresholds, name))

    def mentor_names(self) -> dict[int, str]:
        """Mentor id → name, for rules that name thousands of mentors."""
        return {mentor_id: m.name for mentor_id, m in self.mentors.items()}

    def mentor_name(self, mentor_id: int) -> str:
        mentor = self.mentors.get(mentor_id)
        return mentor.name if mentor is not None else UNKNOWN_MENTOR

    def has_live_backup(self, request_id: int) -> bool:
        return request_id in self.with_live_backup


def _with_live_backup(
    live_backups: list[RequestRecord], requests: dict[int, RequestRecord]
) -> set[int]:
    """Walk up from every backup that is still coming: its original has a
    live backup, and so does the original's original while the one in
    between declined too. Each request is marked once, so this is linear."""
    marked: set[int] = set()
    for backup in live_backups:
        parent_id: int | None = backup.backup_for
        while parent_id is not None and parent_id not in marked:
            marked.add(parent_id)
            parent = requests.get(parent_id)
            if parent is None or parent.status != _DECLINED:
                break
            parent_id = parent.backup_for
    return marked
