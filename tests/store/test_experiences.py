"""Experiences (rotations, research, jobs) and the mentors linked to them."""

from __future__ import annotations

from datetime import date

import peewee as pw
import pytest

from desktop.store.experiences import (
    ExperienceFields,
    delete_experience,
    get_experience,
    load_experience_rows,
    mentor_choices,
    save_experience,
)
from desktop.store.mentors import MentorFields, delete_mentor, save_mentor, set_archived
from desktop.store.models import Experience, ExperienceMentor, Mentor


@pytest.fixture
def mentors(db) -> dict[str, int]:
    return {
        "okafor": save_mentor(
            MentorFields(
                honorific="Dr.",
                first_name="Amara",
                last_name="Okafor",
                credentials="MD",
                category="clinical_supervisor",
            )
        ),
        "wang": save_mentor(
            MentorFields(
                honorific="Dr.", first_name="秀英", last_name="王", category="research_advisor"
            )
        ),
        "haddad": save_mentor(
            MentorFields(first_name="Layla", last_name="Haddad", category="other")
        ),
    }


def _sub_i(mentor_ids: list[int], **changes) -> ExperienceFields:
    values = ExperienceFields(
        kind="sub_internship",
        title="Internal medicine sub-internship",
        institution="Lakeshore University Hospital",
        specialty="Internal Medicine",
        start_date=date(2026, 7, 1),
        end_date=date(2026, 7, 28),
        notes="Team B — ward months",
        mentor_ids=mentor_ids,
    )
    for key, value in changes.items():
        setattr(values, key, value)
    return values


def test_save_and_load_with_several_mentors(db, mentors):
    experience_id = save_experience(_sub_i([mentors["okafor"], mentors["wang"]]))
    experience = get_experience(experience_id)
    assert sorted(experience.mentor_ids) == sorted([mentors["okafor"], mentors["wang"]])
    assert (experience.kind, experience.title, experience.notes) == (
        "sub_internship",
        "Internal medicine sub-internship",
        "Team B — ward months",
    )
    assert (experience.start_date, experience.end_date) == (date(2026, 7, 1), date(2026, 7, 28))

    [row] = load_experience_rows()
    assert row.mentor_names == "Dr. Amara Okafor, MD; Dr. 秀英 王"
    assert "lakeshore" in row.search_text and "王" in row.search_text


def test_duplicate_mentor_ids_are_linked_once(db, mentors):
    experience_id = save_experience(_sub_i([mentors["okafor"], mentors["okafor"]]))
    assert get_experience(experience_id).mentor_ids == [mentors["okafor"]]


def test_update_replaces_fields_and_links(db, mentors):
    experience_id = save_experience(_sub_i([mentors["okafor"], mentors["wang"]]))
    save_experience(
        _sub_i([mentors["haddad"]], title="Emergency medicine rotation", end_date=None),
        experience_id,
    )
    experience = get_experience(experience_id)
    assert experience.title == "Emergency medicine rotation"
    assert experience.end_date is None
    assert experience.mentor_ids == [mentors["haddad"]]
    assert Experience.select().count() == 1


def test_rows_for_one_mentor_newest_end_first(db, mentors):
    okafor = mentors["okafor"]
    save_experience(_sub_i([okafor], title="Old", end_date=date(2026, 7, 10)))
    save_experience(_sub_i([okafor], title="Ongoing", end_date=None))
    save_experience(_sub_i([okafor], title="Recent", end_date=date(2026, 8, 20)))
    save_experience(_sub_i([mentors["wang"]], title="Not hers"))
    save_experience(_sub_i([], title="Nobody's"))
    assert [r.title for r in load_experience_rows(okafor)] == ["Ongoing", "Recent", "Old"]
    rows = {r.title: r for r in load_experience_rows()}
    assert len(rows) == 5
    assert rows["Nobody's"].mentor_names == ""
    # The one-mentor view still names every mentor of a shared experience.
    save_experience(_sub_i([okafor, mentors["haddad"]], title="Shared"))
    shared = next(r for r in load_experience_rows(okafor) if r.title == "Shared")
    assert shared.mentor_names == "Dr. Amara Okafor, MD; Layla Haddad"


def test_end_before_start_is_refused_by_the_check_constraint(db, mentors):
    with pytest.raises(pw.IntegrityError, match="CHECK"):
        save_experience(_sub_i([mentors["okafor"]], end_date=date(2026, 6, 30)))
    assert Experience.select().count() == 0
    assert ExperienceMentor.select().count() == 0


def test_same_day_and_open_ended_ranges_are_allowed(db, mentors):
    save_experience(_sub_i([], start_date=date(2026, 7, 1), end_date=date(2026, 7, 1)))
    save_experience(_sub_i([], start_date=None))
    save_experience(_sub_i([], end_date=None))
    assert Experience.select().count() == 3


def test_update_to_a_bad_range_keeps_the_old_links(db, mentors):
    experience_id = save_experience(_sub_i([mentors["okafor"]]))
    with pytest.raises(pw.IntegrityError):
        save_experience(_sub_i([mentors["wang"]], end_date=date(2026, 1, 1)), experience_id)
    experience = get_experience(experience_id)
    assert experience.end_date == date(2026, 7, 28)
    assert experience.mentor_ids == [mentors["okafor"]]


def test_linking_an_unknown_mentor_is_refused(db, mentors):
    with pytest.raises(pw.IntegrityError):
        save_experience(_sub_i([9999]))
    assert Experience.select().count() == 0


def test_delete_experience_removes_links_not_mentors(db, mentors):
    experience_id = save_experience(_sub_i(list(mentors.values())))
    delete_experience(experience_id)
    assert ExperienceMentor.select().count() == 0
    assert Mentor.select().count() == 3


def test_deleting_a_mentor_unlinks_them(db, mentors):
    experience_id = save_experience(_sub_i([mentors["okafor"], mentors["wang"]]))
    delete_mentor(mentors["okafor"])
    assert get_experience(experience_id).mentor_ids == [mentors["wang"]]


def test_mentor_choices_sorted_and_archived_hidden(db, mentors):
    set_archived(mentors["haddad"], True)
    assert mentor_choices() == [
        (mentors["okafor"], "Dr. Amara Okafor, MD"),
        (mentors["wang"], "Dr. 秀英 王"),
    ]
    assert [name for _, name in mentor_choices(include_archived=True)] == [
        "Layla Haddad",
        "Dr. Amara Okafor, MD",
        "Dr. 秀英 王",
    ]
