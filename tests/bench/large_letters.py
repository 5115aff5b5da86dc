"""Cycles, programs, letter requests and their history for the large bench
folder (``large_data.py`` calls ``insert_letters`` inside its transaction).

Three cycles: the current ERAS residency season (most programs and
requests), an AMCAS cycle and an archived ERAS season from the year before.
Every date is relative to the ``today`` passed in, so the Today rules find
work on any day the benchmark runs:

- programs with realistic requirements (3–4 letters, some from the
  specialty, a chair or standardized letter for some), deadlines around
  today, every program status;
- letter requests in every status, spread over all mentors (archived ones
  included). Each request's status history is the path it took to its
  status (creation, then one change per move, with a few corrections and
  reopenings), and its asked / submitted / thanked dates agree with it;
- reminders, thank-yous and shared outcomes as request events (a request's
  ``thanked_on`` is its latest thank-you, as ``store.requests.log_event``
  keeps it);
- backups: about half the declined letters have a request standing in for
  them (same cycle, type, specialty and due date, created after the decline,
  from another mentor);
- assignments chosen from the program side, never more than the cycle's cap
  (4 per ERAS program, 10 for AMCAS) in total, declined letters included, and
  a backup joins the programs of the letter it replaces where there is room.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta

import peewee as pw

from desktop.domain import vocabulary as v
from desktop.domain.letter_services import default_cycle_name, service_rules
from desktop.store import models as m

S = v.RequestStatus
L = v.LetterType


@dataclass(frozen=True)
class CyclePlan:
    service: v.Service
    opens_on: date
    submissions_open_on: date
    review_starts_on: date
    outcome_on: date
    archived: bool
    program_share: float
    request_share: float
    # Requests are created and move between these days; deadlines and due
    # dates fall between due_from and due_to.
    active_from: date
    active_to: date
    due_from: date
    due_to: date

    @property
    def name(self) -> str:
        return default_cycle_name(self.service, self.outcome_on.year)

    @property
    def cap(self) -> int:
        return service_rules(self.service).cap


def cycle_plans(today: date) -> tuple[CyclePlan, ...]:
    """Current ERAS season first (so it is cycle 1), then AMCAS, then last
    year's ERAS season, archived."""
    d = timedelta
    past_opens = today - d(days=560)
    return (
        CyclePlan(
            v.Service.ERAS_RESIDENCY,
            today - d(days=150), today - d(days=40), today - d(days=14), today + d(days=170),
            False, 0.75, 0.70,
            today - d(days=150), today, today - d(days=30), today + d(days=110),
        ),
        CyclePlan(
            v.Service.AMCAS,
            today - d(days=100), today - d(days=70), today - d(days=30), today + d(days=230),
            False, 0.15, 0.15,
            today - d(days=100), today, today - d(days=20), today + d(days=150),
        ),
        CyclePlan(
            v.Service.ERAS_RESIDENCY,
            past_opens, past_opens + d(days=90), past_opens + d(days=115), today - d(days=195),
            True, 0.10, 0.15,
            past_opens, today - d(days=230), past_opens + d(days=80), past_opens + d(days=180),
        ),
    )  # fmt: skip


# fmt: off
CITIES = (
    "Boston, MA", "Baltimore, MD", "Rochester, MN", "Cleveland, OH", "San Francisco, CA",
    "New York, NY", "Ann Arbor, MI", "Chicago, IL", "Durham, NC", "Palo Alto, CA",
    "Seattle, WA", "Houston, TX", "Nashville, TN", "Denver, CO", "Pittsburgh, PA",
    "Salt Lake City, UT", "Atlanta, GA", "Portland, OR", "St. Louis, MO", "Albuquerque, NM",
    "Burlington, VT", "Madison, WI", "Birmingham, AL", "Honolulu, HI", "San Juan, PR",
)
HOSPITAL_PATTERNS = (
    "University of {city} Medical Center", "{city} General Hospital", "{city} Health",
    "St. Luke's {city}", "{city} Veterans Affairs", "Mercy {city}", "{city} Children's",
    "Presbyterian {city}", "{city} Community Hospital", "Hôpital Sainte-Anne {city}",
)
TRACKS = ("Categorical", "Categorical", "Preliminary", "Primary Care", "Research Track", "")
PROGRAM_SPECIALTIES = (
    "Internal Medicine", "Internal Medicine", "Internal Medicine", "Family Medicine",
    "Pediatrics", "General Surgery", "Emergency Medicine", "Psychiatry", "Neurology",
    "Obstetrics and Gynecology", "Radiology", "Anesthesiology", "Dermatology",
)
SCHOOL_PATTERNS = ("{city} School of Medicine", "{city} College of Osteopathic Medicine",
                   "University of {city} Medical School")
DECLINE_NOTES = ("Too busy this season.", "Does not know me well enough to write a strong letter.",
                 "On sabbatical.", "Suggested asking my clerkship director instead.", "")
# fmt: on


@dataclass
class Ids:
    """Requests by cycle, for assignments and backups."""

    by_cycle: dict[int, list[int]]
    withdrawn: set[int]
    backup_of: dict[int, int]  # declined request id → its backup's id
    created: dict[int, int]  # day ordinal


def _weighted(rng: random.Random, table: dict) -> Callable[[], object]:
    keys, weights = list(table), list(table.values())
    return lambda: rng.choices(keys, weights)[0]


def program_rows(
    rng: random.Random, plans: tuple[CyclePlan, ...], total: int, iso: Days
) -> tuple[list[tuple], dict[int, list[tuple[int, int]]]]:
    """Program rows and, per cycle id, (program id, letters required)."""
    rows: list[tuple] = []
    by_cycle: dict[int, list[tuple[int, int]]] = {}
    pid = 0
    for cycle_id, plan in enumerate(plans, start=1):
        count = round(total * plan.program_share) if cycle_id < len(plans) else total - pid
        amcas = plan.service is v.Service.AMCAS
        if plan.archived:
            status = _weighted(rng, {"applied": 40, "interview": 20, "ranked": 25,
                                     "matched": 2, "withdrawn": 10})  # fmt: skip
        else:
            status = _weighted(rng, {"considering": 25, "applied": 45, "interview": 18,
                                     "ranked": 2, "withdrawn": 6})  # fmt: skip
        span = (plan.due_to - plan.due_from).days
        for _ in range(count):
            pid += 1
            city = rng.choice(CITIES)
            place = city.split(",")[0]
            if amcas:
                name = rng.choice(SCHOOL_PATTERNS).format(city=place)
                specialty, letters, from_specialty = "", rng.choice((3, 3, 4, 5, 6)), 0
                chair = standardized = 0
            else:
                specialty = rng.choice(PROGRAM_SPECIALTIES)
                track = rng.choice(TRACKS)
                hospital = rng.choice(HOSPITAL_PATTERNS).format(city=place)
                name = f"{hospital} {specialty}" + (f" ({track})" if track else "")
                letters = rng.choice((3, 3, 3, 4, 4, 2))
                from_specialty = rng.choice((0, 1, 1, 2)) if letters > 2 else 0
                chair = int(
                    specialty in ("Internal Medicine", "General Surgery") and rng.random() < 0.35
                )
                standardized = int(specialty == "Emergency Medicine" or rng.random() < 0.05)
            deadline = (
                None if rng.random() < 0.03 else plan.due_from + timedelta(rng.randrange(span))
            )
            rows.append(
                (
                    pid, cycle_id, name, specialty, city,
                    iso[deadline.toordinal()] if deadline else None, status(), letters,
                    from_specialty,
                    chair, standardized,
                    "Interview invite by email." if rng.random() < 0.05 else "",
                    f"{iso[plan.active_from.toordinal()]} 12:00:00",
                )
            )  # fmt: skip
            by_cycle.setdefault(cycle_id, []).append((pid, letters))
    return rows, by_cycle


PROGRAM_COLUMNS = (
    "id", "cycle", "name", "specialty", "location", "deadline", "status", "letters_required",
    "specialty_letters_required", "chair_letter_required", "standardized_letter_required",
    "notes", "created_at",
)  # fmt: skip
REQUEST_COLUMNS = (
    "id", "mentor", "cycle", "letter_type", "specialty", "waiver", "letter_id", "status",
    "planned_ask_on", "asked_on", "due_on", "submitted_on", "thanked_on", "backup_for",
    "notes", "created_at", "updated_at",
)  # fmt: skip
CHANGE_COLUMNS = ("request", "changed_at", "from_status", "to_status", "note")
EVENT_COLUMNS = ("request", "kind", "occurred_on", "note", "created_at")
ASSIGNMENT_COLUMNS = ("request", "program", "assigned_at")

# The path each final status took from "planned" (after creation), with
# weights: writers skip steps, some decline after accepting.
PATHS: dict[str, tuple[tuple[tuple[str, ...], int], ...]] = {
    "planned": (((), 1),),
    "asked": ((("asked",), 1),),
    "accepted": ((("asked", "accepted"), 1),),
    "materials_sent": ((("asked", "accepted", "materials_sent"), 7),
                       (("asked", "materials_sent"), 3)),
    "submitted": ((("asked", "accepted", "materials_sent", "submitted"), 7),
                  (("asked", "accepted", "submitted"), 2), (("asked", "submitted"), 1)),
    "declined": ((("asked", "declined"), 7), (("asked", "accepted", "declined"), 3)),
    "withdrawn": ((("withdrawn",), 5), (("asked", "withdrawn"), 3),
                  (("asked", "accepted", "withdrawn"), 2)),
}  # fmt: skip
# Days from the previous step to this one: (least, number of choices).
STEP_DAYS = {
    "asked": (0, 26), "accepted": (0, 8), "materials_sent": (0, 7), "submitted": (4, 42),
    "declined": (1, 10), "withdrawn": (1, 30),
}  # fmt: skip
CURRENT_STATUSES = {"planned": 20, "asked": 14, "accepted": 14, "materials_sent": 12,
                    "submitted": 28, "declined": 7, "withdrawn": 5}  # fmt: skip
ARCHIVED_STATUSES = {"submitted": 80, "declined": 11, "withdrawn": 9}
GENERAL_OR = {v.Service.ERAS_RESIDENCY: 0.45, v.Service.AMCAS: 0.9}
LETTER_TYPE_WEIGHTS = {
    v.Service.ERAS_RESIDENCY: {"narrative": 75, "standardized": 12, "chair": 13},
    v.Service.AMCAS: {"narrative": 85, "committee": 15},
}
LABELS = {s.value: s.label.lower() for s in S}


def _flat(table: dict) -> list:
    """Weighted choices as one list to index: ``flat[int(random() * len)]``
    is several times faster than ``Random.choices`` in a 100,000-row loop."""
    return [key for key, weight in table.items() for _ in range(weight)]


class Days(dict[int, str | None]):
    """Day ordinal → ISO text, each day formatted once; 0 is "no date"
    (None). The generator counts days as ordinals: integer arithmetic
    instead of ``timedelta``."""

    def __init__(self) -> None:
        super().__init__({0: None})

    def __missing__(self, ordinal: int) -> str:
        text = self[ordinal] = date.fromordinal(ordinal).isoformat()
        return text


class Moments(dict[tuple[int, int], str]):
    """(day ordinal, step) → a moment on that day; later steps of one
    request get later hours, so the history sorts as it was made."""

    def __init__(self, days: Days) -> None:
        super().__init__()
        self.days = days

    def __missing__(self, key: tuple[int, int]) -> str:
        text = self[key] = f"{self.days[key[0]]} {8 + key[1]:02d}:{5 * key[1]:02d}:00"
        return text


def request_rows(
    rng: random.Random, plans: tuple[CyclePlan, ...], total: int, mentors: int
) -> tuple[list[tuple], list[tuple], list[tuple], Ids]:
    """Requests, their status changes and their events."""
    requests: list[tuple] = []
    changes: list[tuple] = []
    events: list[tuple] = []
    ids = Ids({}, set(), {}, {})
    add_change, add_event = changes.append, events.append
    rnd = rng.random
    iso = Days()
    moment = Moments(iso)
    paths = {status: _flat(dict(options)) for status, options in PATHS.items()}
    rid = 0
    for cycle_id, plan in enumerate(plans, start=1):
        count = round(total * plan.request_share) if cycle_id < len(plans) else total - rid
        statuses = _flat(ARCHIVED_STATUSES if plan.archived else CURRENT_STATUSES)
        types = _flat(LETTER_TYPE_WEIGHTS[plan.service])
        general_share = GENERAL_OR[plan.service]
        eras = plan.service is v.Service.ERAS_RESIDENCY
        thank_share = 0.9 if plan.archived else 0.65
        start, end = plan.active_from.toordinal(), plan.active_to.toordinal()
        window = max(1, end - start - 3)
        due_from, due_span = plan.due_from.toordinal(), (plan.due_to - plan.due_from).days
        outcome = plan.outcome_on.toordinal()
        # Declined letters still waiting for a backup: (id, mentor, type,
        # specialty, due, waiver, declined on).
        waiting_backup: list[tuple] = []
        in_cycle = ids.by_cycle[cycle_id] = []
        for _ in range(count):
            rid += 1
            in_cycle.append(rid)
            status = statuses[int(rnd() * len(statuses))]
            mentor = 1 + int(rnd() * mentors)
            backup_for = None
            created = start + int(rnd() * window)
            if waiting_backup and status != "withdrawn" and rnd() < 0.5:
                backup_for, o_mentor, letter_type, specialty, due, waiver, declined_on = (
                    waiting_backup.pop()
                )
                ids.backup_of[backup_for] = rid
                if mentor == o_mentor:
                    mentor = mentor % mentors + 1
                created = max(created, declined_on)
            else:
                letter_type = types[int(rnd() * len(types))]
                r = rnd()
                specialty = (
                    "General"
                    if r < general_share
                    else "Internal Medicine"
                    if r < general_share + (1 - general_share) * 0.6
                    else PROGRAM_SPECIALTIES[int(rnd() * len(PROGRAM_SPECIALTIES))]
                )
                due = due_from + int(rnd() * due_span)
                if due < created + 14:  # asked for after its due date: no
                    due = created + 14 + int(rnd() * 60)
                if rnd() < 0.04:
                    due = 0
                waiver = None
            path = paths[status]
            path = path[int(rnd() * len(path))]
            ids.created[rid] = created

            # The history: creation, then each move, dated forward from creation.
            day = created
            add_change((rid, moment[day, 0], None, "planned", ""))
            step = 0
            previous = "planned"
            asked_on = submitted_on = 0
            for to in path:
                least, spread = STEP_DAYS[to]
                day = min(end, day + least + int(rnd() * spread))
                step += 1
                note = DECLINE_NOTES[int(rnd() * len(DECLINE_NOTES))] if to == "declined" else ""
                add_change((rid, moment[day, step], previous, to, note))
                previous = to
                if to == "asked":
                    asked_on = day
                elif to == "submitted":
                    submitted_on = day
            # A few corrections, recorded like any move: a step marked by
            # mistake and undone the same day, or a decline reopened.
            r = rnd()
            if r < 0.02 and status in ("accepted", "materials_sent"):
                wrong = "submitted" if status == "materials_sent" else "materials_sent"
                add_change((rid, moment[day, step + 1], status, wrong, ""))
                add_change(
                    (rid, moment[day, step + 2], wrong, status,
                     f"Marked {LABELS[wrong]} by mistake.")
                )  # fmt: skip
                step += 2
            elif r < 0.01 and status == "asked":
                add_change((rid, moment[day, step + 1], "asked", "declined", "Too busy."))
                add_change(
                    (rid, moment[day, step + 2], "declined", "asked",
                     "Changed her mind after we talked.")
                )  # fmt: skip
                step += 2
            updated = moment[day, step]

            if waiver is None and (status != "planned" or rnd() < 0.5):
                # ERAS requires the waiver before "asked"; most applicants waive.
                waiver = int(rnd() < 0.93) if eras or rnd() < 0.7 else None
            if status == "declined" and not backup_for and rnd() < 0.55:
                waiting_backup.append((rid, mentor, letter_type, specialty, due, waiver, day))
            planned_ask = 0
            if status == "planned" and rnd() < 0.8:
                planned_ask = due - 42 if due else created + 21
            letter_id = None
            if (submitted_on or status == "materials_sent") and rnd() < (0.5 if eras else 0.3):
                letter_id = f"L{cycle_id}{rid:07d}"

            # Events: reminders while waiting, thanks after submission,
            # the outcome shared after an archived season.
            thanked_on = 0
            if asked_on and rnd() < 0.3:
                span = (submitted_on or end) - asked_on - 10
                for _ in range((1, 1, 2, 3)[int(rnd() * 4)] if span > 0 else 0):
                    on = iso[asked_on + 10 + int(rnd() * span)]
                    add_event((rid, "reminded", on, "", f"{on} 18:00:00"))
            if submitted_on and rnd() < thank_share:
                thanked_on = min(end, submitted_on + int(rnd() * 13))
                on = iso[thanked_on]
                add_event((rid, "thanked", on, "Card", f"{on} 19:00:00"))
            if plan.archived and submitted_on and rnd() < 0.4:
                on = iso[outcome + 1 + int(rnd() * 30)]
                add_event((rid, "outcome_shared", on, "Matched!", f"{on} 20:00:00"))
            if status == "withdrawn":
                ids.withdrawn.add(rid)

            requests.append(
                (
                    rid, mentor, cycle_id, letter_type, specialty, waiver, letter_id, status,
                    iso[planned_ask], iso[asked_on], iso[due], iso[submitted_on],
                    iso[thanked_on], backup_for,
                    "Asked in person after clinic." if rnd() < 0.05 else "",
                    moment[created, 0], updated,
                )
            )  # fmt: skip
    return requests, changes, events, ids


def assignment_rows(
    rng: random.Random,
    plans: tuple[CyclePlan, ...],
    programs: dict[int, list[tuple[int, int]]],
    ids: Ids,
    iso: Days,
) -> list[tuple]:
    """Letters per program, never more than the cycle's cap in total. Each
    cycle's letters come from a core of requests (the letters that actually
    go out, each to several programs), as a real letter list works."""
    rows: list[tuple] = []
    for cycle_id, plan in enumerate(plans, start=1):
        cap = plan.cap
        eligible = [r for r in ids.by_cycle.get(cycle_id, ()) if r not in ids.withdrawn]
        program_list = programs.get(cycle_id, [])
        if not eligible or not program_list:
            continue
        core = rng.sample(eligible, min(len(eligible), max(cap * 3, 2 * len(program_list))))
        for program_id, letters in program_list:
            # Mostly what the program asks for, sometimes fewer (not met
            # yet), sometimes one more (up to the cap).
            wanted = min(cap, max(0, letters + rng.choice((-2, -1, 0, 0, 0, 1))))
            if rng.random() < 0.03:
                wanted = 0
            chosen = rng.sample(core, min(wanted, len(core)))
            for request in chosen[:]:
                backup = ids.backup_of.get(request)
                if backup is not None and len(chosen) < cap and backup not in chosen:
                    chosen.append(backup)
            for request in chosen:
                on = max(ids.created[request], plan.active_from.toordinal())
                rows.append((request, program_id, f"{iso[on]} 21:00:00"))
    return rows


def insert_letters(
    db: pw.SqliteDatabase,
    rng: random.Random,
    *,
    today: date,
    mentors: int,
    programs: int,
    requests: int,
    inserter: Callable[[pw.SqliteDatabase, type[m.BaseModel], tuple[str, ...]], object],
) -> dict[str, int]:
    """Insert cycles, programs, requests, history, events and assignments
    (in the caller's transaction); returns the number of rows per table.
    ``inserter`` is ``large_data.BulkInserter``."""
    plans = cycle_plans(today)
    iso = Days()
    for plan in plans:
        m.Cycle.create(
            service=plan.service.value,
            name=plan.name,
            max_letters_per_program=plan.cap,
            opens_on=plan.opens_on,
            submissions_open_on=plan.submissions_open_on,
            review_starts_on=plan.review_starts_on,
            outcome_on=plan.outcome_on,
            archived=plan.archived,
        )
    counts = {"cycle": len(plans)}

    def insert(model: type[m.BaseModel], columns: tuple[str, ...], rows: list[tuple]) -> None:
        bulk = inserter(db, model, columns)
        bulk.insert(rows)  # type: ignore[attr-defined]
        counts[model._meta.table_name] = bulk.count  # type: ignore[attr-defined]

    program_list, programs_by_cycle = program_rows(rng, plans, programs, iso)
    insert(m.Program, PROGRAM_COLUMNS, program_list)
    request_list, changes, events, ids = request_rows(rng, plans, requests, mentors)
    insert(m.LetterRequest, REQUEST_COLUMNS, request_list)
    insert(m.StatusChange, CHANGE_COLUMNS, changes)
    # The day each request entered its status, as move_status writes it: the
    # same rule the format-2 migration uses to fill it from the history.
    from desktop.store.migrations.v0002_status_since import BACKFILL

    db.execute_sql(BACKFILL)
    insert(m.RequestEvent, EVENT_COLUMNS, events)
    insert(
        m.Assignment, ASSIGNMENT_COLUMNS, assignment_rows(rng, plans, programs_by_cycle, ids, iso)
    )
    return counts
