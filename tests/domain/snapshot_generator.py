"""A random but reproducible ``TodaySnapshot`` for regression tests of the
Today rules: every status, preference, cycle phase and record shape the
rules branch on, in proportions that make every action kind appear.

Pure Python and seeded, so the same seed gives the same snapshot on every
machine (``random.Random`` is stable across Python versions for
``random()`` and ``randrange``).
"""

from __future__ import annotations

import random
from datetime import date, timedelta

from desktop.domain.records import (
    CycleRecord,
    ExperienceRecord,
    MentorRecord,
    ProgramRecord,
    RequestRecord,
    TodaySnapshot,
)
from desktop.domain.vocabulary import (
    ExperienceKind,
    LetterType,
    ProgramStatus,
    ReminderPreference,
    RequestStatus,
    Service,
)

SPECIALTIES = ("Internal Medicine", "Surgery", "Pediatrics", "General", "")


def generated_snapshot(
    seed: int,
    today: date,
    *,
    mentors: int = 300,
    requests: int = 3_000,
    programs: int = 120,
    experiences: int = 300,
) -> TodaySnapshot:
    rng = random.Random(seed)

    def maybe_day(share: float, low: int, high: int) -> date | None:
        if rng.random() >= share:
            return None
        return today + timedelta(days=rng.randrange(low, high))

    cycles = (
        # in season
        CycleRecord(1, Service.ERAS_RESIDENCY, "ERAS now", 4, today - timedelta(days=120),
                    today + timedelta(days=150)),
        # outcome passed (only thanks and sharing the outcome remain)
        CycleRecord(2, Service.AMCAS, "AMCAS done", 10, today - timedelta(days=400),
                    today - timedelta(days=20)),
        # archived: nothing is suggested
        CycleRecord(3, Service.ERAS_RESIDENCY, "ERAS old", 4, today - timedelta(days=800),
                    today - timedelta(days=430), archived=True),
        # not open yet, outcome unknown
        CycleRecord(4, Service.OTHER, "Other later", 6, today + timedelta(days=30), None),
        # outcome today
        CycleRecord(5, Service.ERAS_FELLOWSHIP, "Fellowship", 4, None, today),
    )  # fmt: skip
    preferences = list(ReminderPreference)
    mentor_list = tuple(
        MentorRecord(
            mid,
            f"Dr. W{mid}",
            rng.choice(SPECIALTIES),
            rng.randrange(1, 6),
            rng.random() < 0.1,
            rng.random() < 0.15,
            rng.choice(preferences),
            rng.random() < 0.05,
            maybe_day(0.7, -200, 1),
            rng.randrange(0, 12),
        )
        for mid in range(1, mentors + 1)
    )
    kinds = list(ExperienceKind)
    experience_list = tuple(
        ExperienceRecord(
            eid,
            f"Experience {eid}",
            rng.choice(kinds),
            maybe_day(0.9, -420, 30),
            tuple(sorted({rng.randrange(1, mentors + 1) for _ in range(rng.randrange(0, 3))})),
        )
        for eid in range(1, experiences + 1)
    )
    statuses = list(RequestStatus)
    # The four types the fingerprints were made with: a longer list would
    # change every draw after it.
    types = [LetterType.NARRATIVE, LetterType.STANDARDIZED, LetterType.CHAIR, LetterType.COMMITTEE]
    request_list: list[RequestRecord] = []
    writers = mentors * 3 // 4
    for rid in range(1, requests + 1):
        status = rng.choice(statuses)
        asked = None if status is RequestStatus.PLANNED else maybe_day(0.95, -120, 1)
        submitted = maybe_day(0.9, -100, 1) if status is RequestStatus.SUBMITTED else None
        backup_for = None
        if rid > 10 and rng.random() < 0.06:
            backup_for = rng.randrange(1, rid)
        request_list.append(
            RequestRecord(
                rid,
                # The last quarter of the mentors have no request (ask now / soon).
                rng.randrange(1, writers + 1) if rng.random() < 0.99 else mentors + 50,
                rng.choice((1, 1, 1, 1, 2, 3, 4, 5)),
                status,
                rng.choice(types),
                rng.choice(SPECIALTIES),
                rng.choice((None, True, False)),
                maybe_day(0.5, -60, 90),
                asked,
                maybe_day(0.9, -40, 120),
                submitted,
                maybe_day(0.5, -60, 1) if status is RequestStatus.SUBMITTED else None,
                backup_for,
                maybe_day(0.8, -30, 1),
                maybe_day(0.3, -60, 1),
                maybe_day(0.2, -60, 1),
            )
        )
    program_statuses = list(ProgramStatus)
    program_list = tuple(
        ProgramRecord(
            pid,
            cycle_id,
            f"Program {pid}",
            rng.choice(SPECIALTIES),
            maybe_day(0.9, -30, 120),
            rng.choice(program_statuses),
            rng.randrange(0, 5),
            rng.randrange(0, 3),
            rng.random() < 0.2,
            rng.random() < 0.2,
            tuple(
                sorted(
                    {
                        r.id
                        for r in rng.sample(request_list, rng.randrange(0, 6))
                        if r.cycle_id == cycle_id or rng.random() < 0.1
                    }
                )
            ),
        )
        for pid in range(1, programs + 1)
        for cycle_id in (rng.choice((1, 1, 1, 2, 3, 4, 5)),)
    )
    return TodaySnapshot(
        mentors=mentor_list,
        experiences=experience_list,
        requests=tuple(request_list),
        programs=program_list,
        cycles=cycles,
    )
