"""The --demo sample: realistic, relative to today, and only into an empty folder."""

from __future__ import annotations

import hashlib
import os
import unicodedata
from datetime import date, timedelta

import pytest

from desktop.domain import validation
from desktop.domain.actions import ActionKind
from desktop.domain.coverage import CoverageState
from desktop.domain.thresholds import AdviceThresholds
from desktop.domain.today import next_actions
from desktop.domain.vocabulary import (
    InteractionKind,
    LetterType,
    MentorCategory,
    ProgramStatus,
    RequestStatus,
    Service,
)
from desktop.paths import DataPaths
from desktop.services import demo
from desktop.services.demo import DemoRefusedError, create_demo_folder, fill_demo_data
from desktop.store.database import open_database
from desktop.store.experiences import load_experience_rows
from desktop.store.mentors import MentorFields, load_mentor_rows, save_mentor
from desktop.store.models import Cycle, Experience, Interaction, Mentor, Profile
from desktop.store.programs import coverage_for_programs, load_program_rows
from desktop.store.requests import load_request_rows, status_history
from desktop.store.today import load_snapshot

TODAY = date(2031, 7, 15)


@pytest.fixture
def filled(db):
    fill_demo_data(TODAY)
    return db


def test_about_eight_mentors_covering_every_category(filled):
    mentors = list(Mentor.select())
    # Ten for the ERAS application, and the EM program director whose SLOE
    # serves the ResidencyCAS one.
    assert 7 <= len(mentors) <= 11
    assert {m.category for m in mentors} == {c.value for c in MentorCategory}
    assert any(m.is_department_chair for m in mentors)
    assert any(m.can_write_standardized for m in mentors)
    assert len({m.strength for m in mentors}) >= 3


def test_mentor_fields_pass_the_forms_validation(filled):
    for m in Mentor.select():
        assert validation.person_name(m.last_name, "Last name") is None, m.last_name
        assert validation.person_name(m.first_name, "First name", optional=True) is None
        assert validation.email_address(m.email) is None, m.email
        assert validation.strength(m.strength) is None
        assert m.how_met and m.title and m.institution


def test_international_text_is_present(filled):
    text = " ".join(f"{m.first_name} {m.last_name} {m.notes}" for m in Mentor.select())
    assert any(unicodedata.name(ch, "").startswith("CJK UNIFIED") for ch in text)
    assert any(unicodedata.bidirectional(ch) in ("R", "AL") for ch in text)  # right-to-left
    assert any(unicodedata.decomposition(ch) for ch in text if ch.isalpha() and ord(ch) > 127)


def test_several_dozen_interactions_of_every_kind(filled):
    interactions = list(Interaction.select())
    assert len(interactions) >= 30
    assert {i.kind for i in interactions} == {k.value for k in InteractionKind}
    assert 3 <= sum(i.mention_in_letter for i in interactions) < len(interactions)
    assert all(i.occurred_on <= TODAY for i in interactions)


def test_last_contact_varies_from_days_to_months(filled):
    ages = [(TODAY - row.last_contact).days for row in load_mentor_rows()]
    assert None not in ages
    assert min(ages) <= 7
    assert 60 <= max(ages) <= 120
    assert len(set(ages)) == len(ages)  # each mentor reads differently


def test_experiences_around_today_linked_to_mentors(filled):
    rows = load_experience_rows()
    ends = [r.end_date for r in rows if r.end_date]
    assert any(TODAY <= end <= TODAY + timedelta(days=14) for end in ends)  # ask now
    assert TODAY - timedelta(days=3) in ends  # just ended
    assert any(end < TODAY - timedelta(days=30) for end in ends)  # memories fading
    assert any(r.start_date and r.start_date > TODAY for r in rows)  # upcoming
    kinds = {r.kind for r in rows}
    assert {"rotation", "sub_internship", "research", "job"} <= kinds
    assert all(r.mentor_names for r in rows)
    assert any("; " in r.mentor_names for r in rows)  # one with several mentors


def test_profile_and_cycle_follow_the_season_of_today(filled):
    profile = Profile.get()
    assert profile.target_specialty == "Internal Medicine"
    assert profile.graduation_year == 2032
    cycle = Cycle.get()
    assert cycle.service == Service.ERAS_RESIDENCY.value
    assert cycle.max_letters_per_program == 4
    assert "2032" in cycle.name
    assert cycle.opens_on.year == 2031
    assert cycle.opens_on < cycle.submissions_open_on < cycle.review_starts_on < cycle.outcome_on
    assert cycle.outcome_on.year == 2032 and cycle.outcome_on.weekday() == 4  # a Friday


@pytest.mark.parametrize(
    ("today", "opens_year"),
    [(date(2040, 2, 1), 2039), (date(2040, 4, 1), 2040), (date(2040, 12, 31), 2040)],
)
def test_no_year_is_hard_coded(db, today, opens_year):
    fill_demo_data(today)
    cycle = Cycle.get()
    assert cycle.opens_on.year == opens_year
    assert cycle.opens_on <= today + timedelta(days=120) and today <= cycle.outcome_on
    assert max(e.end_date for e in Experience.select() if e.end_date) > today


def test_fill_refuses_a_database_with_data(db):
    save_mentor(MentorFields(last_name="Existing", category="other"))
    with pytest.raises(DemoRefusedError):
        fill_demo_data(TODAY)
    assert Mentor.select().count() == 1
    assert Profile.select().count() == 0


def test_fill_is_one_transaction(db, monkeypatch):
    def broken(values, experience_id=None):
        raise RuntimeError("simulated failure half-way")

    monkeypatch.setattr(demo, "save_experience", broken)
    with pytest.raises(RuntimeError):
        fill_demo_data(TODAY)
    assert Mentor.select().count() == 0
    assert Interaction.select().count() == 0
    assert Profile.select().count() == 0


def test_create_demo_folder_fills_a_new_folder(tmp_path):
    paths = DataPaths(tmp_path / "demo")
    database = create_demo_folder(paths, TODAY)
    try:
        assert paths.has_data()
        assert Mentor.select().count() >= 7
        assert os.stat(paths.database).st_mode & 0o777 == 0o600
    finally:
        database.close()


def _snapshot(root):
    return {
        p.relative_to(root): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


def test_create_demo_folder_refuses_a_folder_with_data(data_paths):
    database = open_database(data_paths.database, data_paths.backups)
    save_mentor(MentorFields(last_name="Mine", first_name="Only", category="other"))
    database.close()
    before = _snapshot(data_paths.root)

    with pytest.raises(DemoRefusedError) as caught:
        create_demo_folder(data_paths, TODAY)

    assert str(data_paths.root) in caught.value.user_message
    assert "nothing was changed" in caught.value.user_message
    assert _snapshot(data_paths.root) == before
    database = open_database(data_paths.database, data_paths.backups)
    try:
        assert [m.last_name for m in Mentor.select()] == ["Mine"]
    finally:
        database.close()


def test_a_failed_demo_leaves_no_half_made_file(tmp_path, monkeypatch):
    paths = DataPaths(tmp_path / "demo")
    monkeypatch.setattr(demo, "save_experience", _raise)
    with pytest.raises(RuntimeError):
        create_demo_folder(paths, TODAY)
    assert not paths.has_data()
    monkeypatch.undo()
    create_demo_folder(paths, TODAY).close()  # a second try is not refused


def _raise(*args, **kwargs):
    raise RuntimeError("simulated failure")


# --- issue 3: requests, programs and the Today page --------------------------------


@pytest.mark.parametrize(
    "today", [TODAY, date(2031, 9, 30), date(2032, 1, 12), date(2040, 4, 1), date(2040, 12, 31)]
)
def test_every_today_rule_and_coverage_state_appears(db, today):
    fill_demo_data(today)
    snapshot = load_snapshot()

    actions = next_actions(snapshot, today)

    assert {a.kind for a in actions} == set(ActionKind)
    for action in actions:  # every text renders
        assert action.title and action.detail
    coverage = coverage_for_programs(today, AdviceThresholds())
    assert {c.state for c in coverage.values()} == set(CoverageState)


def test_requests_in_every_status_with_a_declined_one_backed_up(filled):
    rows = load_request_rows()
    assert {r.status for r in rows} == set(RequestStatus)
    declined = {r.id for r in rows if r.status is RequestStatus.DECLINED}
    backups = [r for r in rows if r.backup_for in declined]
    assert len(backups) == 1 and backups[0].status is RequestStatus.PLANNED
    assert backups[0].program_count >= 1  # carried over from the declined letter
    assert any(r.letter_type is LetterType.CHAIR for r in rows)
    for r in rows:
        assert status_history(r.id)[0].from_status is None


def test_demo_programs_respect_the_cap(filled):
    for row in load_program_rows():
        assert row.assigned_count <= row.max_letters
    assert {r.status for r in load_program_rows()} >= {ProgramStatus.WITHDRAWN}


def test_the_applicant_dual_applies_with_writers_shared(filled):
    from desktop.store.programs import assignments_for_program

    eras, cas = (
        Cycle.get(Cycle.service == s.value) for s in (Service.ERAS_RESIDENCY, Service.RESIDENCYCAS)
    )
    assert eras.name.startswith("ERAS residency") and cas.name.startswith("ResidencyCAS")
    assert (eras.max_letters_per_program, cas.max_letters_per_program) == (4, 4)
    for cycle in (eras, cas):
        assert cycle.opens_on <= TODAY <= cycle.outcome_on  # both under way
    rows = load_request_rows()
    writers = {c.id: {r.mentor_id for r in rows if r.cycle_id == c.id} for c in (eras, cas)}
    assert len(writers[eras.id] & writers[cas.id]) >= 2  # shared between the cycles
    em_types = {r.letter_type for r in rows if r.cycle_id == cas.id}
    assert {LetterType.EM_SLOE, LetterType.OFF_SERVICE_SLOE} <= em_types
    assert all(r.specialty != "Internal Medicine" for r in rows if r.cycle_id == cas.id)
    # The submitted SLOE stays where it was assigned; ERAS assignments were
    # made final when assigned.
    em_programs = [p for p in load_program_rows(cycle_id=cas.id)]
    assert len(em_programs) == 2
    assert all(
        letter.final
        for p in em_programs
        for letter in assignments_for_program(p.id)
        if letter.letter_type is LetterType.EM_SLOE
    )
    eras_program = next(p for p in load_program_rows(cycle_id=eras.id))
    assert all(letter.final for letter in assignments_for_program(eras_program.id))
