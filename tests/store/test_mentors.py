"""Mentors and their rapport log, against a real SQLite file."""

from __future__ import annotations

from datetime import date

import peewee as pw
import pytest

from desktop.store.experiences import ExperienceFields, save_experience
from desktop.store.mentors import (
    InteractionFields,
    MentorFields,
    MentorHasRequestsError,
    delete_interaction,
    delete_mentor,
    get_mentor,
    interactions_for,
    last_contact,
    load_mentor_row,
    load_mentor_rows,
    save_interaction,
    save_mentor,
    set_archived,
)
from desktop.store.models import (
    Cycle,
    ExperienceMentor,
    Interaction,
    LetterRequest,
    Mentor,
    OutgoingEmail,
)


def _okafor(**changes) -> MentorFields:
    values = MentorFields(
        honorific="Dr.",
        first_name="Amara",
        last_name="Okafor",
        credentials="MD, FACP",
        title="Associate Professor of Medicine",
        department="Medicine",
        specialty="Internal Medicine",
        institution="Lakeshore University Hospital",
        email="a.okafor@lakeshore-med.example",
        phone="+1 555 010 0142",
        category="clinical_supervisor",
        is_department_chair=True,
        can_write_standardized=False,
        strength=5,
        reminder_preference="gentle",
        how_met="Sub-internship attending.",
        notes="Prefers email.",
    )
    for key, value in changes.items():
        setattr(values, key, value)
    return values


def _log(mentor_id: int, day: date, kind: str = "meeting", mention: bool = False) -> int:
    return save_interaction(mentor_id, InteractionFields(day, kind, f"{kind} on {day}", mention))


def _request(mentor_id: int, **fields) -> LetterRequest:
    cycle = Cycle.select().first() or Cycle.create(
        service="eras_residency", name="ERAS residency 2027", max_letters_per_program=4
    )
    return LetterRequest.create(mentor=mentor_id, cycle=cycle, letter_type="narrative", **fields)


def test_save_and_load_every_field(db):
    values = _okafor()
    mentor_id = save_mentor(values)
    assert MentorFields.of(get_mentor(mentor_id)) == values


def test_update_changes_fields_and_touches_updated_at(db):
    mentor_id = save_mentor(_okafor())
    created = get_mentor(mentor_id).updated_at
    changed = _okafor(title="Professor of Medicine", strength=4, notes="Now a professor.")
    assert save_mentor(changed, mentor_id) == mentor_id
    assert MentorFields.of(get_mentor(mentor_id)) == changed
    assert get_mentor(mentor_id).updated_at >= created
    assert Mentor.select().count() == 1


def test_display_name_and_row_fields(db):
    mentor_id = save_mentor(_okafor())
    save_mentor(MentorFields(last_name="Sørensen", first_name="Ingrid", category="other"))
    rows = {row.id: row for row in load_mentor_rows()}
    row = rows[mentor_id]
    assert row.display_name == "Dr. Amara Okafor, MD, FACP"
    assert row.category == "clinical_supervisor"
    assert row.strength == 5
    assert row.last_contact is None and row.letter_count == 0 and not row.archived
    assert "lakeshore university hospital" in row.search_text
    assert "a.okafor@lakeshore-med.example" in row.search_text
    other = next(r for r in rows.values() if r.id != mentor_id)
    assert other.display_name == "Ingrid Sørensen"
    assert (row.sort_name, other.sort_name) == ("okafor amara", "sørensen ingrid")


def test_strength_out_of_range_is_refused_by_the_database(db):
    with pytest.raises(pw.IntegrityError):
        save_mentor(_okafor(strength=6))
    assert Mentor.select().count() == 0


def test_last_contact_is_the_latest_logged_date(db):
    mentor_id = save_mentor(_okafor())
    assert last_contact(mentor_id) is None
    _log(mentor_id, date(2026, 3, 2))
    newest = _log(mentor_id, date(2026, 5, 20), "feedback")
    _log(mentor_id, date(2026, 4, 9))  # logged later, happened earlier
    assert last_contact(mentor_id) == date(2026, 5, 20)
    assert load_mentor_row(mentor_id).last_contact == date(2026, 5, 20)

    _log(mentor_id, date(2026, 6, 1), "email")
    assert load_mentor_row(mentor_id).last_contact == date(2026, 6, 1)

    latest = Interaction.get(Interaction.occurred_on == date(2026, 6, 1)).id
    delete_interaction(latest)
    delete_interaction(newest)
    assert last_contact(mentor_id) == date(2026, 4, 9)
    assert load_mentor_row(mentor_id).last_contact == date(2026, 4, 9)


def test_editing_an_interaction_date_moves_last_contact(db):
    mentor_id = save_mentor(_okafor())
    entry = _log(mentor_id, date(2026, 5, 1))
    save_interaction(mentor_id, InteractionFields(date(2026, 5, 30), "meeting", "moved"), entry)
    assert last_contact(mentor_id) == date(2026, 5, 30)
    assert Interaction.select().count() == 1


def test_last_contact_is_per_mentor(db):
    first = save_mentor(_okafor())
    second = save_mentor(_okafor(last_name="Haddad", first_name="Layla"))
    _log(first, date(2026, 1, 10))
    _log(second, date(2026, 2, 20))
    rows = {row.id: row.last_contact for row in load_mentor_rows()}
    assert rows == {first: date(2026, 1, 10), second: date(2026, 2, 20)}


def test_interactions_newest_first_with_fields(db):
    mentor_id = save_mentor(_okafor())
    _log(mentor_id, date(2026, 1, 1), "meeting")
    _log(mentor_id, date(2026, 3, 1), "accomplishment", mention=True)
    _log(mentor_id, date(2026, 2, 1), "thank_you")
    log = interactions_for(mentor_id)
    assert [i.occurred_on for i in log] == [date(2026, 3, 1), date(2026, 2, 1), date(2026, 1, 1)]
    assert InteractionFields.of(log[0]) == InteractionFields(
        date(2026, 3, 1), "accomplishment", "accomplishment on 2026-03-01", True
    )


def test_letter_count(db):
    mentor_id = save_mentor(_okafor())
    other = save_mentor(_okafor(last_name="Haddad"))
    _request(mentor_id, letter_id="A1")
    _request(mentor_id, letter_id="A2", status="declined")
    _request(other)
    assert load_mentor_row(mentor_id).letter_count == 2
    assert load_mentor_row(other).letter_count == 1


def test_delete_is_refused_while_letter_requests_exist(db):
    mentor_id = save_mentor(_okafor())
    _log(mentor_id, date(2026, 5, 1))
    _request(mentor_id)
    with pytest.raises(MentorHasRequestsError) as caught:
        delete_mentor(mentor_id)
    assert caught.value.count == 1
    assert Mentor.select().count() == 1
    assert Interaction.select().count() == 1
    assert LetterRequest.select().count() == 1


def test_the_database_itself_refuses_orphaning_requests(db):
    """Foreign keys are enforced: even a bypassing delete cannot orphan a request."""
    mentor_id = save_mentor(_okafor())
    _request(mentor_id)
    with pytest.raises(pw.IntegrityError):
        Mentor.delete_by_id(mentor_id)


def test_delete_removes_the_log_and_links_but_keeps_experiences(db):
    mentor_id = save_mentor(_okafor())
    keep = save_mentor(_okafor(last_name="Haddad"))
    _log(mentor_id, date(2026, 5, 1))
    _log(mentor_id, date(2026, 5, 2))
    _log(keep, date(2026, 5, 3))
    experience = save_experience(
        ExperienceFields("rotation", "Medicine", mentor_ids=[mentor_id, keep])
    )
    email = OutgoingEmail.create(to_addrs="a@b.example", subject="s", body="b", mentor=mentor_id)

    delete_mentor(mentor_id)

    assert [m.id for m in Mentor.select()] == [keep]
    assert [i.mentor_id for i in Interaction.select()] == [keep]
    assert [link.mentor_id for link in ExperienceMentor.select()] == [keep]
    assert ExperienceMentor.get().experience_id == experience
    assert OutgoingEmail.get_by_id(email.id).mentor_id is None  # the sent mail stays


def test_archive_flag(db):
    mentor_id = save_mentor(_okafor())
    set_archived(mentor_id, True)
    assert get_mentor(mentor_id).archived
    assert load_mentor_row(mentor_id).archived
    set_archived(mentor_id, False)
    assert not load_mentor_row(mentor_id).archived


@pytest.mark.parametrize(
    ("first", "last", "notes"),
    [
        ("José", "Martínez-Núñez", "Chair — «très bien», naïve café"),
        ("秀英", "王", "王秀英 prefers “Dr. Wang”; 推荐信"),
        ("ليلى", "حداد", "عمل ممتاز مع المرضى وعائلاتهم"),
        ("יעל", "בן-דוד", "מכתב המלצה — שבועיים לפני"),
        ("Zoë", "Nguyễn", "e\u0301 (combining accent) stays decomposed; emoji 🩺"),
    ],
    ids=["accents", "cjk", "arabic", "hebrew", "combining-and-emoji"],
)
def test_names_and_notes_in_any_script_round_trip_exactly(db, first, last, notes):
    mentor_id = save_mentor(
        _okafor(first_name=first, last_name=last, notes=notes, how_met=notes, honorific="")
    )
    _log(mentor_id, date(2026, 5, 1))
    save_interaction(mentor_id, InteractionFields(date(2026, 5, 2), "other", notes))
    db.close()  # read back through a fresh connection, from the file
    mentor = get_mentor(mentor_id)
    assert (mentor.first_name, mentor.last_name, mentor.notes, mentor.how_met) == (
        first,
        last,
        notes,
        notes,
    )
    assert interactions_for(mentor_id)[0].summary == notes
    row = load_mentor_row(mentor_id)
    assert row.display_name == f"{first} {last}, MD, FACP"
    assert last.casefold() in row.search_text
