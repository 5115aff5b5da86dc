"""Experiences (rotations, research, jobs…) and the mentors linked to them."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from desktop.domain.people import mentor_display_name

from .models import Experience, ExperienceMentor, LetterRequest, Mentor, database_proxy


@dataclass
class ExperienceFields:
    kind: str
    title: str
    institution: str = ""
    specialty: str = ""
    start_date: date | None = None
    end_date: date | None = None
    notes: str = ""
    mentor_ids: list[int] = field(default_factory=list)


@dataclass(slots=True)
class ExperienceRow:
    id: int
    kind: str
    title: str
    institution: str
    specialty: str
    start_date: date | None
    end_date: date | None
    mentor_names: str
    search_text: str


def _as_date(value: object) -> date | None:
    if value is None or value == "":
        return None
    return value if isinstance(value, date) else date.fromisoformat(str(value))


def load_experience_rows(mentor_id: int | None = None) -> list[ExperienceRow]:
    """All experiences (or one mentor's), newest end date first."""
    sql = """
        SELECT e.id, e.kind, e.title, e.institution, e.specialty, e.start_date, e.end_date,
               group_concat(m.honorific || char(31) || m.first_name || char(31)
                            || m.last_name || char(31) || m.credentials, char(30))
        FROM experience e
        LEFT JOIN experience_mentor em ON em.experience_id = e.id
        LEFT JOIN mentor m ON m.id = em.mentor_id
    """
    params: tuple = ()
    if mentor_id is not None:
        sql += " WHERE e.id IN (SELECT experience_id FROM experience_mentor WHERE mentor_id = ?)"
        params = (mentor_id,)
    sql += " GROUP BY e.id ORDER BY coalesce(e.end_date, '9999') DESC, e.id DESC"
    rows = []
    for eid, kind, title, institution, specialty, start, end, packed in database_proxy.execute_sql(
        sql, params
    ):
        names = []
        for person in (packed or "").split("\x1e"):
            if person:
                names.append(mentor_display_name(*person.split("\x1f")))
        mentor_names = "; ".join(sorted(names))
        rows.append(
            ExperienceRow(
                eid,
                kind,
                title,
                institution,
                specialty,
                _as_date(start),
                _as_date(end),
                mentor_names,
                " ".join((title, institution, specialty, mentor_names)).casefold(),
            )
        )
    return rows


def count_experiences() -> int:
    return int(database_proxy.execute_sql("SELECT count(*) FROM experience").fetchone()[0])


def get_experience(experience_id: int) -> ExperienceFields:
    """The stored experience with its mentors' ids, as the form edits it."""
    experience = Experience.get_by_id(experience_id)
    mentor_ids = [
        link.mentor_id
        for link in ExperienceMentor.select().where(ExperienceMentor.experience == experience_id)
    ]
    return ExperienceFields(
        kind=experience.kind,
        title=experience.title,
        institution=experience.institution,
        specialty=experience.specialty,
        start_date=experience.start_date,
        end_date=experience.end_date,
        notes=experience.notes,
        mentor_ids=mentor_ids,
    )


def save_experience(values: ExperienceFields, experience_id: int | None = None) -> int:
    data = {
        "kind": values.kind,
        "title": values.title,
        "institution": values.institution,
        "specialty": values.specialty,
        "start_date": values.start_date,
        "end_date": values.end_date,
        "notes": values.notes,
    }
    db = Experience._meta.database
    with db.atomic():
        if experience_id is None:
            experience_id = Experience.create(**data).id
        else:
            Experience.update(**data).where(Experience.id == experience_id).execute()
            ExperienceMentor.delete().where(ExperienceMentor.experience == experience_id).execute()
        if values.mentor_ids:
            ExperienceMentor.insert_many(
                [{"experience": experience_id, "mentor": m} for m in set(values.mentor_ids)]
            ).execute()
    return experience_id


def delete_experience(experience_id: int) -> None:
    Experience.delete_by_id(experience_id)


def mentor_choices(
    include_archived: bool = False, *, with_requests_only: bool = False
) -> list[tuple[int, str]]:
    """(id, display name) for pickers, sorted by last name; optionally only
    mentors who have letter requests (the Requests page's writer filter)."""
    query = Mentor.select(
        Mentor.id, Mentor.honorific, Mentor.first_name, Mentor.last_name, Mentor.credentials
    ).order_by(Mentor.last_name, Mentor.first_name)
    if not include_archived:
        query = query.where(Mentor.archived == False)  # noqa: E712 - peewee expression
    if with_requests_only:
        query = query.where(Mentor.id.in_(LetterRequest.select(LetterRequest.mentor)))
    # Plain tuples: model instances cost ten times more at 20,000 mentors.
    records: list[tuple[int, str, str, str, str]] = list(query.tuples())  # type: ignore[arg-type]
    return [
        (mid, mentor_display_name(honorific, first, last, credentials))
        for mid, honorific, first, last, credentials in records
    ]
