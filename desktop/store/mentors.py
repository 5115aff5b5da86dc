"""Mentor queries and changes, including their rapport log."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass, fields
from datetime import date, datetime

import peewee as pw

from desktop.domain import validation as rules
from desktop.domain.greeting import clean_greeting
from desktop.domain.people import mentor_display_name

from .models import Interaction, LetterRequest, Mentor, database_proxy, utc_now


class MentorHasRequestsError(Exception):
    """Deleting would orphan letter requests; archive the mentor instead."""

    def __init__(self, count: int) -> None:
        super().__init__(f"mentor has {count} letter request(s)")
        self.count = count


@dataclass(slots=True)
class MentorRow:
    """One line of the mentors table; loaded in bulk, so kept flat."""

    id: int
    display_name: str
    sort_name: str
    category: str
    specialty: str
    institution: str
    email: str
    strength: int
    last_contact: date | None
    letter_count: int
    archived: bool
    search_text: str  # lower-cased haystack for the filter box


@dataclass
class MentorFields:
    """Everything the mentor form edits (validated by the caller)."""

    last_name: str
    category: str
    honorific: str = ""
    first_name: str = ""
    credentials: str = ""
    title: str = ""
    department: str = ""
    specialty: str = ""
    institution: str = ""
    email: str = ""
    phone: str = ""
    is_department_chair: bool = False
    can_write_standardized: bool = False
    strength: int = 3
    reminder_preference: str = "default"
    how_met: str = ""
    notes: str = ""
    greeting: str = ""  # "" = inferred (desktop.domain.greeting)

    @classmethod
    def of(cls, mentor: object) -> MentorFields:
        """The form's fields of a ``MentorDetails`` (or anything with them)."""
        return cls(**{f.name: getattr(mentor, f.name) for f in fields(cls)})


@dataclass(frozen=True)
class MentorDetails:
    """One mentor as stored: every field the detail panel and the form show."""

    id: int
    last_name: str
    category: str
    honorific: str
    first_name: str
    credentials: str
    title: str
    department: str
    specialty: str
    institution: str
    email: str
    phone: str
    is_department_chair: bool
    can_write_standardized: bool
    strength: int
    reminder_preference: str
    how_met: str
    notes: str
    archived: bool
    created_at: datetime
    updated_at: datetime
    greeting: str = ""  # the mentor's own; "" when it is inferred


# One pass over mentors; "last contact" and the letter count come from
# correlated subqueries that each use an index seek, which stays fast at
# 20,000 mentors and 200,000 interactions.
_ROWS_SQL = """
SELECT m.id, m.honorific, m.first_name, m.last_name, m.credentials, m.category,
       m.specialty, m.institution, m.email, m.strength, m.archived, m.title, m.department,
       (SELECT max(i.occurred_on) FROM interaction i WHERE i.mentor_id = m.id),
       (SELECT count(*) FROM letter_request r WHERE r.mentor_id = m.id)
FROM mentor m
"""


class _RowBuilder:
    """Turns query records into rows, sharing one string object (and one
    date) for values that repeat across mentors: categories, specialties,
    institutions and contact dates. At 20,000 mentors that saves several
    MiB over a fresh copy per row."""

    def __init__(self) -> None:
        self._shared: dict[object, object] = {}
        self._dates: dict[str, date] = {}

    def _one(self, value: str) -> str:
        return self._shared.setdefault(value, value)  # type: ignore[return-value]

    def row(self, record: tuple) -> MentorRow:
        (mid, honorific, first, last, credentials, category, specialty, institution, email,
         strength, archived, title, department, last_contact, letters) = record  # fmt: skip
        name = mentor_display_name(honorific, first, last, credentials)
        haystack = " ".join((name, specialty, institution, email, title, department)).casefold()
        contact = None
        if last_contact:
            contact = self._dates.get(last_contact)
            if contact is None:
                contact = self._dates[last_contact] = date.fromisoformat(last_contact)
        return MentorRow(
            id=mid,
            display_name=name,
            sort_name=f"{last} {first}".casefold(),
            category=self._one(category),
            specialty=self._one(specialty),
            institution=self._one(institution),
            email=email,
            strength=strength,
            last_contact=contact,
            letter_count=letters,
            archived=bool(archived),
            search_text=haystack,
        )


def load_mentor_rows(limit: int | None = None) -> list[MentorRow]:
    """All mentors, or the first ``limit`` by name (what fills the first
    screen while the rest loads in the background)."""
    build = _RowBuilder().row
    if limit is None:
        return [build(record) for record in database_proxy.execute_sql(_ROWS_SQL)]
    sql = _ROWS_SQL + " ORDER BY m.last_name, m.first_name LIMIT ?"
    return [build(record) for record in database_proxy.execute_sql(sql, (limit,))]


def load_mentor_row(mentor_id: int) -> MentorRow | None:
    record = database_proxy.execute_sql(_ROWS_SQL + " WHERE m.id = ?", (mentor_id,)).fetchone()
    return _RowBuilder().row(record) if record else None


def count_mentors() -> int:
    return int(database_proxy.execute_sql("SELECT count(*) FROM mentor").fetchone()[0])


def count_active_mentors() -> int:
    return int(
        database_proxy.execute_sql("SELECT count(*) FROM mentor WHERE NOT archived").fetchone()[0]
    )


def reminder_preferences() -> dict[int, str]:
    """Each mentor's reminder preference, by mentor id."""
    sql = "SELECT id, reminder_preference FROM mentor"
    return {mid: pref for mid, pref in database_proxy.execute_sql(sql)}


def _details(mentor: Mentor) -> MentorDetails:
    values = {f.name: getattr(mentor, f.name) for f in fields(MentorDetails)}
    values["greeting"] = values["greeting"] or ""
    return MentorDetails(**values)


def known_specialties() -> list[str]:
    """The specialties typed for mentors so far, each once, trimmed."""
    query = Mentor.select(Mentor.specialty).where(Mentor.specialty != "").distinct()
    return sorted({m.specialty.strip() for m in query if m.specialty.strip()}, key=str.casefold)


def get_mentor(mentor_id: int) -> MentorDetails:
    """Raises ``Mentor.DoesNotExist`` for an id that is not there."""
    return _details(Mentor.get_by_id(mentor_id))


def save_mentor(values: MentorFields, mentor_id: int | None = None) -> int:
    data = {f.name: getattr(values, f.name) for f in fields(MentorFields)}
    data["greeting"] = clean_greeting(values.greeting) or None  # NULL: inferred
    if mentor_id is None:
        return Mentor.create(**data).id
    Mentor.update(**data, updated_at=utc_now()).where(Mentor.id == mentor_id).execute()
    return mentor_id


def set_archived(mentor_id: int, archived: bool) -> None:
    Mentor.update(archived=archived, updated_at=utc_now()).where(Mentor.id == mentor_id).execute()


def delete_mentor(mentor_id: int) -> None:
    """Delete a mentor with their log and experience links. Refused while
    letter requests point at them: those are the user's history."""
    db = Mentor._meta.database
    with db.atomic():
        count = LetterRequest.select().where(LetterRequest.mentor == mentor_id).count()
        if count:
            raise MentorHasRequestsError(count)
        Mentor.delete_by_id(mentor_id)


def last_contact(mentor_id: int) -> date | None:
    value = (
        Interaction.select(pw.fn.MAX(Interaction.occurred_on))
        .where(Interaction.mentor == mentor_id)
        .scalar()
    )
    if isinstance(value, str):
        return date.fromisoformat(value)
    return value


# --- the interaction log -------------------------------------------------


@dataclass
class InteractionFields:
    occurred_on: date
    kind: str
    summary: str
    mention_in_letter: bool = False

    @classmethod
    def of(cls, interaction: InteractionRow) -> InteractionFields:
        return cls(
            interaction.occurred_on,
            interaction.kind,
            interaction.summary,
            interaction.mention_in_letter,
        )


@dataclass(frozen=True, slots=True)
class InteractionRow:
    """One entry of a mentor's log."""

    id: int
    mentor_id: int
    occurred_on: date
    kind: str
    summary: str
    mention_in_letter: bool


def _interaction_row(interaction: Interaction) -> InteractionRow:
    return InteractionRow(
        int(interaction.id),
        interaction.__data__["mentor"],
        interaction.occurred_on,
        interaction.kind,
        interaction.summary,
        bool(interaction.mention_in_letter),
    )


def interactions_for(mentor_id: int) -> list[InteractionRow]:
    """Newest first, as the log is read."""
    query = (
        Interaction.select()
        .where(Interaction.mentor == mentor_id)
        .order_by(Interaction.occurred_on.desc(), Interaction.id.desc())
    )
    return [_interaction_row(interaction) for interaction in query]


def get_interaction(interaction_id: int) -> InteractionRow:
    """Raises ``Interaction.DoesNotExist`` for an id that is not there."""
    return _interaction_row(Interaction.get_by_id(interaction_id))


def save_interaction(
    mentor_id: int, values: InteractionFields, interaction_id: int | None = None
) -> int:
    data = {
        "occurred_on": values.occurred_on,
        "kind": values.kind,
        "summary": values.summary,
        "mention_in_letter": values.mention_in_letter,
    }
    if interaction_id is None:
        return Interaction.create(mentor=mentor_id, **data).id
    Interaction.update(**data).where(Interaction.id == interaction_id).execute()
    return interaction_id


def delete_interaction(interaction_id: int) -> None:
    Interaction.delete_by_id(interaction_id)


# --- importing many at once ---------------------------------------------------


def email_key(value: str) -> str:
    """An email as duplicates are recognised: normalised, case folded."""
    return rules.normalized_email(value).casefold()


def known_email_keys() -> set[str]:
    """``email_key`` of every mentor's email (those that have one)."""
    cursor = database_proxy.execute_sql("SELECT email FROM mentor WHERE email != ''")
    return {email_key(email) for (email,) in cursor}


def add_mentors_once(
    mentors: Sequence[MentorFields], archived: Collection[int] = ()
) -> tuple[int, int]:
    """Add ``mentors`` in one transaction (all or, on any error, none),
    skipping each whose email a mentor already has, or an earlier one of
    ``mentors``; the ones at the positions in ``archived`` are added
    archived. Returns (added, skipped)."""
    added = skipped = 0
    with database_proxy.atomic():
        known = known_email_keys()
        for index, values in enumerate(mentors):
            key = email_key(values.email) if values.email else ""
            if key and key in known:
                skipped += 1
                continue
            mentor_id = save_mentor(values)
            if index in archived:
                set_archived(mentor_id, True)
            known.add(key)
            added += 1
    return added, skipped


def mentors_for_export() -> list[MentorDetails]:
    """Every mentor, by last name, first name and id (the CSV export's order)."""
    query = Mentor.select().order_by(Mentor.last_name, Mentor.first_name, Mentor.id)
    return [_details(mentor) for mentor in query]
