"""Plain, frozen records the rules read: what the store hands to the domain.

They mirror the models in ``desktop/store/models.py`` but hold only what the
rules need, plus a few values the store derives with one aggregate query each
(last contact, interaction count, last reminder, when the status last
changed), so the rules never touch a database and tests build them by hand.

The records are NamedTuples rather than frozen dataclasses: equally
immutable and typed, but the store builds 100,000 of them for each Today
computation, straight from query rows (``RequestRecord(*row)``), and a
frozen dataclass costs about six times as much to construct (2 µs against
0.3 µs here), which alone would take most of the 300 ms budget. Fields are
listed in the order a query should select them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import NamedTuple

from .letter_services import service_rules
from .vocabulary import (
    CapScope,
    ExperienceKind,
    LetterType,
    ProgramStatus,
    ReminderPreference,
    RequestStatus,
    Service,
)

GENERAL_SPECIALTY = "General"


class MentorRecord(NamedTuple):
    id: int
    name: str  # as shown in titles, e.g. "Dr. Okafor"
    specialty: str = ""
    strength: int = 3
    is_department_chair: bool = False
    can_write_standardized: bool = False
    reminder_preference: ReminderPreference = ReminderPreference.DEFAULT
    archived: bool = False
    # MAX(Interaction.occurred_on) and COUNT(*) for this mentor.
    last_contact: date | None = None
    interaction_count: int = 0
    # Interactions flagged "mention in letter": concrete examples to offer.
    mention_count: int = 0


class ExperienceRecord(NamedTuple):
    id: int
    title: str
    kind: ExperienceKind
    end_date: date | None
    mentor_ids: tuple[int, ...] = ()


class RequestRecord(NamedTuple):
    id: int
    mentor_id: int
    cycle_id: int
    status: RequestStatus
    letter_type: LetterType = LetterType.NARRATIVE
    specialty: str = GENERAL_SPECIALTY
    waiver: bool | None = None
    planned_ask_on: date | None = None
    asked_on: date | None = None
    due_on: date | None = None
    submitted_on: date | None = None
    thanked_on: date | None = None
    backup_for: int | None = None
    # Date of the latest StatusChange into ``status`` (e.g. when it was
    # accepted); None for requests created before history was kept.
    status_since: date | None = None
    # MAX(RequestEvent.occurred_on) of kind "reminded" / "outcome_shared".
    last_reminded_on: date | None = None
    outcome_shared_on: date | None = None


class ProgramRecord(NamedTuple):
    id: int
    cycle_id: int
    name: str
    specialty: str = ""
    deadline: date | None = None
    status: ProgramStatus = ProgramStatus.CONSIDERING
    letters_required: int = 3
    specialty_letters_required: int = 0
    chair_letter_required: bool = False
    standardized_letter_required: bool = False
    # Requests assigned to this program (Assignment rows).
    request_ids: tuple[int, ...] = ()


class CycleRecord(NamedTuple):
    id: int
    service: Service
    name: str
    max_letters_per_program: int
    opens_on: date | None = None
    outcome_on: date | None = None  # Match day / admission decisions
    archived: bool = False
    # What ``max_letters_per_program`` counts; None: the service's own scope.
    # (The field keeps its first name: it is the cap whatever it counts.)
    cap_scope: CapScope | None = None

    @property
    def scope(self) -> CapScope:
        if self.cap_scope is not None:
            return self.cap_scope
        return service_rules(self.service).scope

    def in_season(self, today: date) -> bool:
        """From the cycle's opening to its outcome; open-ended when a date is
        unknown, because a missing date must not silence the advice."""
        if self.archived:
            return False
        if self.opens_on is not None and today < self.opens_on:
            return False
        return self.outcome_on is None or today <= self.outcome_on


@dataclass(frozen=True, slots=True)
class TodaySnapshot:
    """Everything ``today.next_actions`` reads, loaded in a handful of queries."""

    mentors: tuple[MentorRecord, ...] = ()
    experiences: tuple[ExperienceRecord, ...] = ()
    requests: tuple[RequestRecord, ...] = ()
    programs: tuple[ProgramRecord, ...] = ()
    cycles: tuple[CycleRecord, ...] = ()


def same_specialty(a: str, b: str) -> bool:
    """Specialties are typed by hand: compare without case or stray spaces."""
    return a.strip().casefold() == b.strip().casefold() != ""


def is_general(specialty: str) -> bool:
    return specialty.strip().casefold() in ("", GENERAL_SPECIALTY.casefold())
