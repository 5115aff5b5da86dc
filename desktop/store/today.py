"""Loading the plain records the Today rules read (``domain.records``).

Each record type comes from one query whose columns are in the record's
field order, so a row becomes a record with ``Record(*row)`` after its text
values are turned into dates and enums. Aggregates (last contact,
interaction counts, the last reminder) are computed by SQLite, never per
record in Python; when a request entered its status is stored on it.

Requests and programs of archived cycles are left out: nothing is suggested
for them.
"""

from __future__ import annotations

from datetime import date

import peewee as pw

from desktop.domain.bulk import collector_paused
from desktop.domain.people import mentor_salutation
from desktop.domain.records import (
    CycleRecord,
    ExperienceRecord,
    MentorRecord,
    ProgramRecord,
    RequestRecord,
    TodaySnapshot,
)
from desktop.domain.vocabulary import (
    CapScope,
    ExperienceKind,
    LetterType,
    ProgramStatus,
    ReminderPreference,
    RequestStatus,
    Service,
)

from .models import database_proxy


class DayCache(dict[str | None, date | None]):
    """ISO text → ``date``, each distinct day parsed once.

    A large data set has 100,000 requests but only a few hundred distinct
    days, so a dictionary hit is cheaper than ``date.fromisoformat`` for
    every value; ``None`` (and "") stays ``None``. DateTime text works too:
    its first ten characters are the day.
    """

    def __init__(self) -> None:
        super().__init__({None: None, "": None})

    def __missing__(self, text: str) -> date:
        day = self[text] = date.fromisoformat(text[:10])
        return day


def as_day(value: object) -> date | None:
    """One value from a raw query (ISO text, a date, or NULL) as a date."""
    if value is None or value == "":
        return None
    if isinstance(value, date):
        return value
    return date.fromisoformat(str(value)[:10])


def fk_id(row: pw.Model, field: str) -> int:
    """The id a foreign key holds, without loading the row it points to
    (peewee's ``<field>_id`` attributes, which the models do not declare
    for the type checker)."""
    return row.__data__[field]


def fk_id_or_none(row: pw.Model, field: str) -> int | None:
    return row.__data__.get(field)


# Enum members by stored value: a dictionary lookup is several times faster
# than calling the enum class, and a row loop does it 100,000 times.
STATUSES = {s.value: s for s in RequestStatus}
LETTER_TYPES = {t.value: t for t in LetterType}
_PREFERENCES = {p.value: p for p in ReminderPreference}
_KINDS = {k.value: k for k in ExperienceKind}
_PROGRAM_STATUSES = {s.value: s for s in ProgramStatus}
_SERVICES = {s.value: s for s in Service}
_SCOPES = {s.value: s for s in CapScope}
WAIVERS: dict[int | None, bool | None] = {None: None, 0: False, 1: True}


# --- mentors --------------------------------------------------------------------

# The interaction aggregates in one grouped pass over the log. Last contact
# and the count come from the (mentor, occurred_on) index alone; counting the
# "mention in letter" entries has to read every log row (no index covers
# it), which costs more than everything else here together, so only the
# ranking asks for it.
_MENTOR_SQL = """
SELECT m.id, m.honorific, m.first_name, m.last_name, m.credentials, m.specialty, m.strength,
       m.is_department_chair, m.can_write_standardized, m.reminder_preference,
       m.archived, agg.last_contact, coalesce(agg.n, 0), {mentions}
FROM mentor m
LEFT JOIN (
    SELECT mentor_id, max(occurred_on) AS last_contact, count(*) AS n{mentions_sum}
    FROM interaction GROUP BY mentor_id
) agg ON agg.mentor_id = m.id
"""
# Today reads only the last contact: one seek per mentor at the end of its
# (mentor, occurred_on) index range, about a third of the grouped pass over
# 200,000 log rows above, and no counts.
_TODAY_MENTOR_SQL = """
SELECT m.id, m.honorific, m.first_name, m.last_name, m.credentials, m.specialty, m.strength,
       m.is_department_chair, m.can_write_standardized, m.reminder_preference,
       m.archived,
       (SELECT max(i.occurred_on) FROM interaction i WHERE i.mentor_id = m.id), 0, 0
FROM mentor m
"""


def load_mentor_records(
    *,
    include_archived: bool = True,
    with_mentions: bool = True,
    with_counts: bool = True,
) -> list[MentorRecord]:
    """Mentor records in id order. Without ``with_mentions``,
    ``mention_count`` is 0; without ``with_counts`` (Today's snapshot: those
    rules read neither), ``interaction_count`` and ``mention_count`` are 0."""
    if not with_counts:
        sql = _TODAY_MENTOR_SQL
    elif with_mentions:
        sql = _MENTOR_SQL.format(
            mentions="coalesce(agg.mentions, 0)",
            mentions_sum=", sum(mention_in_letter) AS mentions",
        )
    else:
        sql = _MENTOR_SQL.format(mentions="0", mentions_sum="")
    if not include_archived:
        sql += " WHERE m.archived = 0"
    sql += " ORDER BY m.id"
    days = DayCache()
    prefs = _PREFERENCES
    return [
        MentorRecord(
            mid,
            mentor_salutation(honorific, first, last, credentials),
            specialty,
            strength,
            bool(chair),
            bool(standardized),
            prefs.get(pref, ReminderPreference.DEFAULT),
            bool(archived),
            days[last_contact],
            count,
            mentions,
        )
        for (
            mid,
            honorific,
            first,
            last,
            credentials,
            specialty,
            strength,
            chair,
            standardized,
            pref,
            archived,
            last_contact,
            count,
            mentions,
        ) in database_proxy.execute_sql(sql)
    ]


# --- experiences ----------------------------------------------------------------

_EXPERIENCE_SQL = """
SELECT e.id, e.title, e.kind, e.end_date, group_concat(em.mentor_id)
FROM experience e
LEFT JOIN experience_mentor em ON em.experience_id = e.id
GROUP BY e.id ORDER BY e.id
"""


def load_experience_records() -> list[ExperienceRecord]:
    days = DayCache()
    return [
        ExperienceRecord(
            eid,
            title,
            _KINDS.get(kind, ExperienceKind.OTHER),
            days[end],
            tuple(map(int, mentors.split(","))) if mentors else (),
        )
        for eid, title, kind, end, mentors in database_proxy.execute_sql(_EXPERIENCE_SQL)
    ]


# --- requests -------------------------------------------------------------------

# The request's own columns, in RequestRecord's field order (``status_since``
# is kept on the request by ``store.requests``); the two event dates are
# looked up from the grouped query below, which is cheaper than a correlated
# subquery or a join per request.
_REQUEST_SQL = """
SELECT r.id, r.mentor_id, r.cycle_id, r.status, r.letter_type, r.specialty, r.waiver,
       r.planned_ask_on, r.asked_on, r.due_on, r.submitted_on, r.thanked_on, r.backup_for_id,
       r.status_since
FROM letter_request r
JOIN cycle c ON c.id = r.cycle_id
"""
# Thank-yous are on the request itself (``thanked_on``); only these two kinds
# are read here.
_EVENTS_SQL = """
SELECT e.request_id,
       max(CASE WHEN e.kind = 'reminded' THEN e.occurred_on END),
       max(CASE WHEN e.kind = 'outcome_shared' THEN e.occurred_on END)
FROM request_event e
JOIN letter_request r ON r.id = e.request_id
JOIN cycle c ON c.id = r.cycle_id
"""
_EVENT_KINDS = "e.kind IN ('reminded', 'outcome_shared')"


def _where(conditions: list[str]) -> str:
    return " WHERE " + " AND ".join(conditions) if conditions else ""


def load_request_records(
    *,
    include_archived_cycles: bool = False,
    where: str = "",
    params: tuple = (),
) -> list[RequestRecord]:
    """Request records in id order. ``where`` is an extra SQL condition on
    ``r`` (the request) for callers that need only some, e.g. one cycle."""
    conditions = [] if include_archived_cycles else ["c.archived = 0"]
    if where:
        conditions.append(f"({where})")
    d = DayCache()
    no_events = (None, None)
    events = {
        rid: (d[reminded], d[outcome])
        for rid, reminded, outcome in database_proxy.execute_sql(
            _EVENTS_SQL + _where([_EVENT_KINDS, *conditions]) + " GROUP BY e.request_id", params
        )
    }
    statuses, types, waivers = STATUSES, LETTER_TYPES, WAIVERS
    records: list[RequestRecord] = []
    add = records.append
    for (rid, mentor_id, cycle_id, status, letter_type, specialty, waiver, planned, asked, due,
         submitted, thanked, backup_for, since) in database_proxy.execute_sql(
        _REQUEST_SQL + _where(conditions) + " ORDER BY r.id", params
    ):  # fmt: skip
        reminded, outcome = events.get(rid, no_events)
        add(
            RequestRecord(
                rid,
                mentor_id,
                cycle_id,
                statuses[status],
                types[letter_type],
                specialty,
                waivers[waiver],
                d[planned],
                d[asked],
                d[due],
                d[submitted],
                d[thanked],
                backup_for,
                d[since],
                reminded,
                outcome,
            )
        )
    return records


# --- programs and cycles --------------------------------------------------------

_PROGRAM_SQL = """
SELECT p.id, p.cycle_id, p.name, p.specialty, p.deadline, p.status, p.letters_required,
       p.specialty_letters_required, p.chair_letter_required,
       p.standardized_letter_required,
       (SELECT group_concat(a.request_id) FROM assignment a WHERE a.program_id = p.id)
FROM program p
JOIN cycle c ON c.id = p.cycle_id
"""


def load_program_records(
    *,
    include_archived_cycles: bool = False,
    where: str = "",
    params: tuple = (),
) -> list[ProgramRecord]:
    conditions = [] if include_archived_cycles else ["c.archived = 0"]
    if where:
        conditions.append(f"({where})")
    sql = _PROGRAM_SQL
    if conditions:
        sql += " WHERE " + " AND ".join(conditions)
    sql += " ORDER BY p.id"
    days = DayCache()
    return [
        ProgramRecord(
            pid,
            cycle_id,
            name,
            specialty,
            days[deadline],
            _PROGRAM_STATUSES.get(status, ProgramStatus.CONSIDERING),
            letters,
            specialty_letters,
            bool(chair),
            bool(standardized),
            tuple(sorted(map(int, assigned.split(",")))) if assigned else (),
        )
        for (
            pid,
            cycle_id,
            name,
            specialty,
            deadline,
            status,
            letters,
            specialty_letters,
            chair,
            standardized,
            assigned,
        ) in database_proxy.execute_sql(sql, params)
    ]


_CYCLE_SQL = """
SELECT id, service, name, max_letters_per_program, opens_on, outcome_on, archived, cap_scope
FROM cycle ORDER BY id
"""


def load_cycle_records() -> list[CycleRecord]:
    days = DayCache()
    return [
        CycleRecord(
            cid,
            _SERVICES.get(service, Service.OTHER),
            name,
            cap,
            days[opens],
            days[outcome],
            bool(archived),
            _SCOPES.get(scope),
        )
        for cid, service, name, cap, opens, outcome, archived, scope in database_proxy.execute_sql(
            _CYCLE_SQL
        )
    ]


def load_cycle_record(cycle_id: int) -> CycleRecord | None:
    for record in load_cycle_records():
        if record.id == cycle_id:
            return record
    return None


# --- the snapshot ---------------------------------------------------------------


def load_snapshot() -> TodaySnapshot:
    """Everything ``domain.today.next_actions`` reads, in six queries, read
    in one transaction so the parts agree with each other. Mentors come
    without ``interaction_count`` and ``mention_count`` (see
    ``load_mentor_records``)."""
    with database_proxy.atomic(), collector_paused():
        return TodaySnapshot(
            mentors=tuple(load_mentor_records(with_counts=False)),
            experiences=tuple(load_experience_records()),
            requests=tuple(load_request_records()),
            programs=tuple(load_program_records()),
            cycles=tuple(load_cycle_records()),
        )
