"""The Today snapshot: records built from the database with the derived
values (last contact, status since, last reminder…) the rules read."""

from __future__ import annotations

from datetime import date

from desktop.domain.actions import ActionKind
from desktop.domain.records import TodaySnapshot
from desktop.domain.today import next_actions
from desktop.domain.vocabulary import (
    ExperienceKind,
    LetterType,
    ProgramStatus,
    ReminderPreference,
    RequestEventKind,
    RequestStatus,
    Service,
)
from desktop.store.experiences import ExperienceFields, save_experience
from desktop.store.mentors import InteractionFields, MentorFields, save_interaction, save_mentor
from desktop.store.models import Cycle
from desktop.store.programs import ProgramFields, assign, create_program
from desktop.store.requests import RequestFields, create_request, log_event, move_status
from desktop.store.today import load_mentor_records, load_snapshot

TODAY = date(2031, 7, 15)
S = RequestStatus


def _cycle(archived: bool = False, name: str = "ERAS 2032") -> int:
    return Cycle.create(
        service=Service.ERAS_RESIDENCY.value, name=name, max_letters_per_program=4,
        opens_on=date(2031, 6, 4), outcome_on=date(2032, 3, 19), archived=archived,
    ).id  # fmt: skip


def test_empty_database_gives_an_empty_snapshot(db):
    assert load_snapshot() == TodaySnapshot()


def test_records_carry_aggregates_and_enums(db):
    eras = _cycle()
    okafor = save_mentor(
        MentorFields(
            last_name="Okafor", first_name="Amara", honorific="Dr.", category="other",
            strength=5, reminder_preference="gentle", is_department_chair=True,
        )
    )  # fmt: skip
    for day, mention in ((date(2031, 5, 1), True), (date(2031, 7, 1), False)):
        save_interaction(okafor, InteractionFields(day, "meeting", "x", mention))
    experience = save_experience(
        ExperienceFields(
            ExperienceKind.ROTATION.value, "IM sub-I", end_date=date(2031, 7, 20),
            mentor_ids=[okafor],
        )
    )  # fmt: skip
    rid = create_request(
        RequestFields(okafor, eras, "chair", "Internal Medicine", True, due_on=date(2031, 9, 1))
    )
    move_status(rid, S.ASKED, on=date(2031, 7, 1), today=TODAY)
    move_status(rid, S.ACCEPTED, on=date(2031, 7, 4), today=TODAY)
    log_event(rid, RequestEventKind.REMINDED, date(2031, 7, 2))
    log_event(rid, RequestEventKind.REMINDED, date(2031, 7, 8))
    log_event(rid, RequestEventKind.OUTCOME_SHARED, date(2031, 7, 9))
    program = create_program(
        ProgramFields(eras, "Lakeshore", deadline=date(2031, 9, 15), letters_required=2)
    )
    assign(rid, program)

    snapshot = load_snapshot()

    (mentor,) = snapshot.mentors
    assert mentor.name == "Dr. Okafor"
    assert mentor.last_contact == date(2031, 7, 1)
    assert mentor.interaction_count == 0  # Today reads no counts
    assert load_mentor_records()[0].interaction_count == 2
    assert mentor.reminder_preference is ReminderPreference.GENTLE
    assert mentor.is_department_chair and mentor.strength == 5
    assert load_mentor_records()[0].mention_count == 1
    (exp,) = snapshot.experiences
    assert (exp.id, exp.kind, exp.end_date, exp.mentor_ids) == (
        experience, ExperienceKind.ROTATION, date(2031, 7, 20), (okafor,),
    )  # fmt: skip
    (request,) = snapshot.requests
    assert request.status is S.ACCEPTED and request.letter_type is LetterType.CHAIR
    assert request.waiver is True and request.asked_on == date(2031, 7, 1)
    assert request.status_since == date(2031, 7, 4)
    assert request.last_reminded_on == date(2031, 7, 8)
    assert request.outcome_shared_on == date(2031, 7, 9)
    (record,) = snapshot.programs
    assert record.request_ids == (rid,) and record.status is ProgramStatus.CONSIDERING
    assert record.deadline == date(2031, 9, 15)
    (cycle,) = snapshot.cycles
    assert cycle.service is Service.ERAS_RESIDENCY and cycle.outcome_on == date(2032, 3, 19)

    kinds = {a.kind for a in next_actions(snapshot, TODAY)}
    assert ActionKind.SEND_MATERIALS in kinds  # accepted on Jul 4, nothing sent


def test_status_since_follows_the_latest_move_into_the_status(db):
    eras = _cycle()
    mentor = save_mentor(MentorFields(last_name="Lee", category="other"))
    rid = create_request(RequestFields(mentor, eras, waiver=False))
    move_status(rid, S.ASKED, on=date(2031, 7, 1), today=TODAY)
    move_status(rid, S.ACCEPTED, on=date(2031, 7, 2), today=TODAY)
    move_status(rid, S.ASKED, on=date(2031, 7, 3), today=TODAY, note="undo")
    move_status(rid, S.ACCEPTED, on=date(2031, 7, 10), today=TODAY)
    (request,) = load_snapshot().requests
    assert request.status_since == date(2031, 7, 10)


def test_archived_cycles_are_left_out(db):
    live, old = _cycle(), _cycle(archived=True, name="ERAS 2031")
    mentor = save_mentor(MentorFields(last_name="Lee", category="other"))
    keep = create_request(RequestFields(mentor, live))
    create_request(RequestFields(mentor, old))
    create_program(ProgramFields(old, "Old program"))
    snapshot = load_snapshot()
    assert [r.id for r in snapshot.requests] == [keep]
    assert snapshot.programs == ()
    assert {c.id for c in snapshot.cycles} == {live, old}  # the rules skip archived ones
