"""Builders for the plain records the domain rules read, with sensible
defaults so each test spells out only what it is about."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from desktop.domain.actions import Action, ActionKind
from desktop.domain.letter_services import service_rules
from desktop.domain.records import (
    CycleRecord,
    ExperienceRecord,
    MentorRecord,
    ProgramRecord,
    RequestRecord,
    TodaySnapshot,
)
from desktop.domain.vocabulary import ExperienceKind, RequestStatus, Service

# A fixed "today" in the middle of an ERAS season; never the clock.
TODAY = date(2027, 9, 15)


def day(offset: int, base: date = TODAY) -> date:
    return base + timedelta(days=offset)


def mentor(id: int = 1, **fields: Any) -> MentorRecord:
    fields.setdefault("name", f"Dr. Writer{id}")
    return MentorRecord(id=id, **fields)


def cycle(id: int = 1, service: Service = Service.ERAS_RESIDENCY, **fields: Any) -> CycleRecord:
    fields.setdefault("name", f"{service.label} 2028")
    fields.setdefault("max_letters_per_program", service_rules(service).cap)
    fields.setdefault("opens_on", date(2027, 6, 1))
    fields.setdefault("outcome_on", date(2028, 3, 17))
    return CycleRecord(id=id, service=service, **fields)


def request(
    id: int = 1, status: RequestStatus = RequestStatus.PLANNED, **fields: Any
) -> RequestRecord:
    fields.setdefault("mentor_id", 1)
    fields.setdefault("cycle_id", 1)
    return RequestRecord(id=id, status=status, **fields)


def program(id: int = 1, **fields: Any) -> ProgramRecord:
    fields.setdefault("cycle_id", 1)
    fields.setdefault("name", f"Program {id}")
    return ProgramRecord(id=id, **fields)


def experience(
    id: int = 1,
    end_date: date | None = TODAY,
    mentor_ids: tuple[int, ...] = (1,),
    kind: ExperienceKind = ExperienceKind.ROTATION,
    **fields: Any,
) -> ExperienceRecord:
    fields.setdefault("title", f"Rotation {id}")
    return ExperienceRecord(id=id, kind=kind, end_date=end_date, mentor_ids=mentor_ids, **fields)


def snapshot(
    *,
    mentors: tuple[MentorRecord, ...] | None = None,
    experiences: tuple[ExperienceRecord, ...] = (),
    requests: tuple[RequestRecord, ...] = (),
    programs: tuple[ProgramRecord, ...] = (),
    cycles: tuple[CycleRecord, ...] | None = None,
) -> TodaySnapshot:
    """Mentor 1 and an ERAS cycle 1 (in season) unless given."""
    return TodaySnapshot(
        mentors=(mentor(1),) if mentors is None else mentors,
        experiences=experiences,
        requests=requests,
        programs=programs,
        cycles=(cycle(1),) if cycles is None else cycles,
    )


def of_kind(actions: list[Action], kind: ActionKind) -> list[Action]:
    return [a for a in actions if a.kind is kind]


def kinds(actions: list[Action]) -> set[ActionKind]:
    return {a.kind for a in actions}
