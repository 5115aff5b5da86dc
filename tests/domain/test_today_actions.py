"""Every Today rule of issue 3, with a fixed "today" (Sep 15, 2027, mid-season)."""

from __future__ import annotations

from datetime import date

import pytest

from desktop.domain.actions import ActionKind as K
from desktop.domain.actions import Urgency
from desktop.domain.thresholds import AdviceThresholds
from desktop.domain.today import next_actions
from desktop.domain.vocabulary import ExperienceKind, LetterType, ProgramStatus
from desktop.domain.vocabulary import ReminderPreference as Pref
from desktop.domain.vocabulary import RequestStatus as S

from .records_factory import (
    TODAY,
    cycle,
    day,
    experience,
    kinds,
    mentor,
    of_kind,
    program,
    request,
    snapshot,
)


def actions_for(today=TODAY, thresholds=None, **parts):
    snap = snapshot(**parts)
    if thresholds is None:
        return next_actions(snap, today)
    return next_actions(snap, today, thresholds)


def only(actions, kind):
    found = of_kind(actions, kind)
    assert len(found) == 1, [a.key for a in actions]
    return found[0]


# --- ask now / ask soon -----------------------------------------------------------


@pytest.mark.parametrize("ends_in", [14, 3, 0, -1, -7])
def test_ask_now_near_the_end_of_a_rotation(ends_in):
    action = only(actions_for(experiences=(experience(5, end_date=day(ends_in)),)), K.ASK_NOW)
    assert action.key == "ask_now:e5:m1"
    assert (action.mentor_id, action.experience_id) == (1, 5)
    assert action.title == "Ask Dr. Writer1 for a letter"
    assert action.urgency is Urgency.HIGH


@pytest.mark.parametrize("ends_in", [15, -8, -30])
def test_no_ask_now_outside_the_window(ends_in):
    assert not actions_for(experiences=(experience(end_date=day(ends_in)),))


def test_ask_now_wording_for_ends_today_and_ended():
    today = only(actions_for(experiences=(experience(end_date=TODAY),)), K.ASK_NOW)
    assert "Rotation 1 ends today." in today.detail
    ended = only(actions_for(experiences=(experience(end_date=day(-2)),)), K.ASK_NOW)
    assert "ended Sep 13, 2027" in ended.detail


def test_ask_now_only_after_clinical_experiences():
    research = experience(end_date=day(3), kind=ExperienceKind.RESEARCH)
    assert not actions_for(experiences=(research,))
    sub_i = experience(end_date=day(3), kind=ExperienceKind.SUB_INTERNSHIP)
    assert kinds(actions_for(experiences=(sub_i,))) == {K.ASK_NOW}


def test_no_ask_prompt_once_any_request_exists_for_the_mentor():
    existing = request(1, S.WITHDRAWN, mentor_id=1)
    assert not of_kind(actions_for(experiences=(experience(),), requests=(existing,)), K.ASK_NOW)


def test_archived_mentor_gets_no_ask_prompt():
    assert not actions_for(mentors=(mentor(1, archived=True),), experiences=(experience(),))


def test_unknown_mentor_or_missing_end_date_gives_nothing():
    assert not actions_for(experiences=(experience(mentor_ids=(99,)),))
    assert not actions_for(experiences=(experience(end_date=None),))


def test_one_ask_prompt_per_mentor_with_several_experiences():
    both = (experience(1, end_date=day(10)), experience(2, end_date=day(-3)))
    action = only(actions_for(experiences=both), K.ASK_NOW)
    assert action.experience_id == 2  # the rotation that ends first


def test_each_linked_mentor_gets_a_prompt():
    rotation = experience(1, mentor_ids=(1, 2))
    found = of_kind(actions_for(mentors=(mentor(1), mentor(2)), experiences=(rotation,)), K.ASK_NOW)
    assert sorted(a.mentor_id for a in found) == [1, 2]


def test_memories_fade_after_thirty_days():
    assert not actions_for(experiences=(experience(end_date=day(-30)),))
    action = only(actions_for(experiences=(experience(end_date=day(-31)),)), K.MEMORIES_FADE)
    assert action.key == "memories_fade:e1:m1"
    assert "ended 31 days ago" in action.detail
    assert action.sort_date == day(-1)


def test_memories_fade_applies_to_any_experience_and_stops_after_a_year():
    research = experience(end_date=day(-40), kind=ExperienceKind.RESEARCH)
    assert kinds(actions_for(experiences=(research,))) == {K.MEMORIES_FADE}
    assert not actions_for(experiences=(experience(end_date=day(-366)),))


def test_ask_now_beats_memories_fade_for_the_same_mentor():
    both = (experience(1, end_date=day(-60)), experience(2, end_date=day(5)))
    assert kinds(actions_for(experiences=both)) == {K.ASK_NOW}


def test_ask_now_window_follows_settings():
    wider = AdviceThresholds(ask_now_before_end=21)
    assert actions_for(experiences=(experience(end_date=day(20)),), thresholds=wider)


# --- ask by and lead time ------------------------------------------------------


def test_ask_by_appears_a_week_ahead_of_due_minus_six_weeks():
    assert not actions_for(requests=(request(1, due_on=day(50)),))
    action = only(actions_for(requests=(request(1, due_on=day(49)),)), K.ASK_BY)
    assert action.sort_date == day(7)
    assert action.urgency is Urgency.NORMAL
    assert action.title == "Ask Dr. Writer1 by Sep 22, 2027"
    assert action.key == "ask_by:r1"
    assert (action.request_id, action.mentor_id, action.cycle_id) == (1, 1, 1)


def test_ask_by_date_reached_is_high():
    action = only(actions_for(requests=(request(1, due_on=day(42)),)), K.ASK_BY)
    assert action.urgency is Urgency.HIGH
    assert "gives Dr. Writer1 42 days" in action.detail


def test_ask_by_across_a_leap_day():
    today = date(2028, 1, 12)
    leap_cycle = cycle(1, opens_on=date(2027, 6, 1), outcome_on=date(2028, 3, 17))
    req = request(1, due_on=date(2028, 3, 1))
    action = only(actions_for(today=today, cycles=(leap_cycle,), requests=(req,)), K.ASK_BY)
    assert action.sort_date == date(2028, 1, 19)
    assert not actions_for(today=date(2028, 1, 11), cycles=(leap_cycle,), requests=(req,))


def test_planned_ask_date_without_due_date():
    assert not actions_for(requests=(request(1),))
    assert not actions_for(requests=(request(1, planned_ask_on=day(8)),))
    action = only(actions_for(requests=(request(1, planned_ask_on=day(7)),)), K.ASK_BY)
    assert action.detail == "You planned to ask Dr. Writer1 by Sep 22, 2027."


def test_ask_by_date_already_passed_says_ask_now():
    action = only(actions_for(requests=(request(1, due_on=day(35)),)), K.ASK_BY)
    assert action.sort_date == day(-7)
    assert action.urgency is Urgency.URGENT  # a date gone by is urgent
    assert action.title == "Ask Dr. Writer1 now"
    assert action.detail == (
        "The letter is due Oct 20, 2027, 35 days from now; the ideal date to ask was Sep 8, 2027."
    )


def test_users_earlier_plan_wins_over_the_ideal_date():
    req = request(1, due_on=day(90), planned_ask_on=day(2))
    assert only(actions_for(requests=(req,)), K.ASK_BY).sort_date == day(2)


def test_lead_time_warning_under_four_weeks():
    action = only(actions_for(requests=(request(1, due_on=day(27)),)), K.LEAD_TIME)
    assert action.urgency is Urgency.URGENT
    assert action.title == "Ask Dr. Writer1 today"
    assert "only 27 days away" in action.detail
    assert kinds(actions_for(requests=(request(1, due_on=day(28)),))) == {K.ASK_BY}


@pytest.mark.parametrize(
    ("req", "instead"),
    [
        (
            request(1, S.SUBMITTED, asked_on=day(-20), due_on=day(5), submitted_on=day(-1)),
            {K.THANK},
        ),
        (request(1, S.DECLINED, due_on=day(5)), {K.FIND_BACKUP}),
        (request(1, S.PLANNED), set()),  # no due date to count from
        (request(1, S.PLANNED, due_on=day(-1)), {K.OVERDUE}),
        # Only a letter not asked yet can still be asked in time.
        (request(1, S.ASKED, asked_on=day(-10), due_on=day(10)), set()),
        (request(1, S.ASKED, asked_on=day(-40), due_on=day(5)), {K.NUDGE}),
    ],
)
def test_no_lead_time_warning_when_asking_today_cannot_help(req, instead):
    assert kinds(actions_for(requests=(req,))) == instead


def test_due_today_and_never_asked_is_a_lead_time_warning_not_overdue():
    action = only(actions_for(requests=(request(1, due_on=TODAY),)), K.LEAD_TIME)
    assert "only today away" in action.detail


# --- send materials ---------------------------------------------------------------


def test_send_materials_after_three_days_accepted():
    accepted = request(1, S.ACCEPTED, asked_on=day(-10), status_since=day(-4), due_on=day(60))
    action = only(actions_for(requests=(accepted,)), K.SEND_MATERIALS)
    assert action.sort_date == day(-1)
    assert "accepted on Sep 11, 2027" in action.detail
    just = request(1, S.ACCEPTED, asked_on=day(-10), status_since=day(-2), due_on=day(60))
    assert not actions_for(requests=(just,))


def test_send_materials_falls_back_to_the_ask_date():
    accepted = request(1, S.ACCEPTED, asked_on=day(-5), due_on=day(60))
    assert kinds(actions_for(requests=(accepted,))) == {K.SEND_MATERIALS}


def test_materials_sent_needs_no_reminder_to_send_them():
    sent = request(1, S.MATERIALS_SENT, asked_on=day(-5), status_since=day(-5), due_on=day(60))
    assert not actions_for(requests=(sent,))


# --- reminders ----------------------------------------------------------------------


def test_first_reminder_two_weeks_after_the_ask():
    asked = request(1, S.ASKED, asked_on=day(-14), due_on=day(60))
    action = only(actions_for(requests=(asked,)), K.NUDGE)
    assert action.key == "nudge:r1:2027-09-15"
    assert action.urgency is Urgency.NORMAL
    assert "ideally by Sep 22, 2027" in action.detail
    assert not actions_for(requests=(request(1, S.ASKED, asked_on=day(-13), due_on=day(60)),))


def test_reminder_past_the_three_week_mark_becomes_urgent():
    asked = request(1, S.ASKED, asked_on=day(-22), due_on=day(60))
    assert only(actions_for(requests=(asked,)), K.NUDGE).urgency is Urgency.URGENT


def test_logged_reminder_clears_the_nudge():
    asked = request(1, S.ASKED, asked_on=day(-16), due_on=day(60), last_reminded_on=day(-1))
    assert not actions_for(requests=(asked,))


def test_reminders_before_the_due_date_have_their_own_keys():
    week = request(1, S.ASKED, asked_on=day(-40), due_on=day(7), last_reminded_on=day(-25))
    action = only(actions_for(requests=(week,)), K.NUDGE)
    assert action.urgency is Urgency.HIGH
    assert action.key == "nudge:r1:2027-09-15"
    assert "due in 7 days" in action.detail
    last = request(1, S.ASKED, asked_on=day(-40), due_on=day(1), last_reminded_on=day(-6))
    assert only(actions_for(requests=(last,)), K.NUDGE).key == "nudge:r1:2027-09-15"


def test_due_today_keeps_the_last_reminder_and_is_not_overdue():
    req = request(1, S.MATERIALS_SENT, asked_on=day(-40), due_on=TODAY, last_reminded_on=day(-7))
    action = only(actions_for(requests=(req,)), K.NUDGE)
    assert "due today" in action.detail
    assert not of_kind(actions_for(requests=(req,)), K.OVERDUE)


def test_writer_who_wants_no_reminders_gets_none():
    quiet = mentor(1, reminder_preference=Pref.NONE)
    for req in (
        request(1, S.ASKED, asked_on=day(-20), due_on=day(60)),
        request(1, S.ASKED, asked_on=day(-40), due_on=day(1)),
    ):
        # The applicant still sees the due date coming (issue 11), never a reminder.
        assert not of_kind(actions_for(mentors=(quiet,), requests=(req,)), K.NUDGE)


def test_gentle_writer_is_reminded_later_and_less():
    gentle = mentor(1, reminder_preference=Pref.GENTLE)
    day_14 = request(1, S.ASKED, asked_on=day(-14), due_on=day(60))
    assert not actions_for(mentors=(gentle,), requests=(day_14,))
    day_21 = request(1, S.ASKED, asked_on=day(-21), due_on=day(60))
    assert kinds(actions_for(mentors=(gentle,), requests=(day_21,))) == {K.NUDGE}
    day_before = request(1, S.ASKED, asked_on=day(-40), due_on=day(1), last_reminded_on=day(-6))
    assert not actions_for(mentors=(gentle,), requests=(day_before,))


def test_archived_mentor_with_a_letter_on_its_way_is_still_reminded():
    archived = mentor(1, archived=True)
    asked = request(1, S.ASKED, asked_on=day(-15), due_on=day(60))
    assert kinds(actions_for(mentors=(archived,), requests=(asked,))) == {K.NUDGE}


# --- overdue and backups ---------------------------------------------------------


def test_overdue_offers_a_backup():
    late = request(1, S.ACCEPTED, asked_on=day(-40), due_on=day(-1), status_since=day(-30))
    actions = actions_for(requests=(late,))
    action = only(actions, K.OVERDUE)
    assert kinds(actions) == {K.OVERDUE}  # replaces the nudge and the materials prompt
    assert action.offers_backup
    assert action.urgency is Urgency.URGENT
    assert action.detail == (
        "It was due Sep 14, 2027 (1 day overdue). "
        "Check in with the writer, or activate a backup writer."
    )


def test_overdue_with_a_backup_already_lined_up():
    late = request(1, S.ASKED, asked_on=day(-40), due_on=day(-3))
    backup = request(2, S.PLANNED, mentor_id=2, backup_for=1, due_on=day(60))
    action = only(actions_for(mentors=(mentor(1), mentor(2)), requests=(late, backup)), K.OVERDUE)
    assert not action.offers_backup
    assert "backup already lined up" in action.detail


def test_overdue_planned_request_says_it_was_never_asked():
    action = only(actions_for(requests=(request(1, due_on=day(-2)),)), K.OVERDUE)
    assert "You have not asked yet." in action.detail


def test_no_due_date_is_never_overdue():
    asked = request(1, S.ASKED, asked_on=day(-5))
    assert not actions_for(requests=(asked,))


def test_declined_request_without_backup_asks_for_one():
    declined = request(1, S.DECLINED, asked_on=day(-5), due_on=day(30))
    action = only(actions_for(requests=(declined,)), K.FIND_BACKUP)
    assert action.offers_backup and action.urgency is Urgency.URGENT
    assert action.title == "Line up a backup for Dr. Writer1's letter"


def test_declined_request_with_a_backup_is_quiet():
    declined = request(1, S.DECLINED, due_on=day(60))
    backup = request(2, S.PLANNED, mentor_id=2, backup_for=1)
    assert not of_kind(
        actions_for(mentors=(mentor(1), mentor(2)), requests=(declined, backup)), K.FIND_BACKUP
    )


def test_declined_backup_passes_the_search_on_to_itself():
    declined = request(1, S.DECLINED)
    backup_declined = request(2, S.DECLINED, mentor_id=2, backup_for=1)
    found = of_kind(
        actions_for(mentors=(mentor(1), mentor(2)), requests=(declined, backup_declined)),
        K.FIND_BACKUP,
    )
    assert [a.request_id for a in found] == [2]


def test_withdrawn_backup_does_not_count_as_a_backup():
    declined = request(1, S.DECLINED)
    gave_up = request(2, S.WITHDRAWN, mentor_id=2, backup_for=1)
    found = of_kind(
        actions_for(mentors=(mentor(1), mentor(2)), requests=(declined, gave_up)), K.FIND_BACKUP
    )
    assert [a.request_id for a in found] == [1]


def test_overdue_with_only_a_declined_backup_offers_another():
    late = request(1, S.ASKED, asked_on=day(-40), due_on=day(-3))
    declined_backup = request(2, S.DECLINED, mentor_id=2, backup_for=1)
    actions = actions_for(mentors=(mentor(1), mentor(2)), requests=(late, declined_backup))
    assert only(actions, K.OVERDUE).offers_backup


def test_withdrawn_request_gives_nothing():
    assert not actions_for(requests=(request(1, S.WITHDRAWN, due_on=day(-3)),))


# --- thanks, keeping in touch, outcome -----------------------------------------------


def test_thank_after_submission():
    done = request(1, S.SUBMITTED, asked_on=day(-40), submitted_on=day(-1))
    action = only(actions_for(requests=(done,)), K.THANK)
    assert action.sort_date == day(2)
    assert action.urgency is Urgency.NORMAL
    assert "Thank them by Sep 17, 2027 (within 3 days" in action.detail
    late = request(1, S.SUBMITTED, asked_on=day(-40), submitted_on=day(-4))
    assert only(actions_for(requests=(late,)), K.THANK).urgency is Urgency.URGENT


def test_thanked_writer_is_not_prompted():
    done = request(1, S.SUBMITTED, asked_on=day(-40), submitted_on=day(-4), thanked_on=day(-3))
    assert not actions_for(requests=(done,))


def test_thank_even_without_a_submission_date_or_for_an_archived_mentor():
    done = request(1, S.SUBMITTED, asked_on=day(-40))
    action = only(actions_for(mentors=(mentor(1, archived=True),), requests=(done,)), K.THANK)
    assert action.sort_date == TODAY


def test_keep_in_touch_after_sixty_days_without_contact():
    writer = request(1, S.SUBMITTED, asked_on=day(-90), submitted_on=day(-70), thanked_on=day(-60))
    action = only(actions_for(requests=(writer,)), K.KEEP_IN_TOUCH)
    assert action.key == f"keep_in_touch:m1:{day(-60).isoformat()}"
    assert action.urgency is Urgency.LOW
    assert "No contact logged for 60 days" in action.detail
    recent = request(1, S.SUBMITTED, asked_on=day(-90), submitted_on=day(-70), thanked_on=day(-59))
    assert not actions_for(requests=(recent,))


def test_logged_interaction_counts_as_contact():
    writer = request(1, S.ACCEPTED, asked_on=day(-90), status_since=day(-89), due_on=day(60))
    in_touch = mentor(1, last_contact=day(-10))
    assert not of_kind(actions_for(mentors=(in_touch,), requests=(writer,)), K.KEEP_IN_TOUCH)
    assert of_kind(actions_for(mentors=(mentor(1),), requests=(writer,)), K.KEEP_IN_TOUCH)


def test_reminder_counts_as_contact():
    writer = request(1, S.ASKED, asked_on=day(-90), due_on=day(90), last_reminded_on=day(-5))
    assert not of_kind(actions_for(requests=(writer,)), K.KEEP_IN_TOUCH)


def test_keep_in_touch_only_during_the_season():
    writer = request(
        1, S.SUBMITTED, asked_on=day(-200), submitted_on=day(-150), thanked_on=day(-149)
    )
    before = cycle(1, opens_on=day(1), outcome_on=day(200))
    assert not actions_for(cycles=(before,), requests=(writer,))
    after = cycle(1, opens_on=day(-300), outcome_on=day(-1))
    assert not of_kind(actions_for(cycles=(after,), requests=(writer,)), K.KEEP_IN_TOUCH)
    open_ended = cycle(1, opens_on=None, outcome_on=None)
    assert of_kind(actions_for(cycles=(open_ended,), requests=(writer,)), K.KEEP_IN_TOUCH)


def test_keep_in_touch_skips_non_writers():
    # Archived writers are kept posted (issue 11): see test_today_advice_fixes.
    declined = request(1, S.DECLINED, asked_on=day(-200))
    backup = request(2, S.ASKED, mentor_id=2, asked_on=day(-1), backup_for=1, due_on=day(90))
    assert not of_kind(
        actions_for(mentors=(mentor(1), mentor(2)), requests=(declined, backup)), K.KEEP_IN_TOUCH
    )


def test_one_keep_in_touch_per_writer_using_the_latest_contact():
    old = request(1, S.SUBMITTED, asked_on=day(-200), submitted_on=day(-150), thanked_on=day(-149))
    newer = request(2, S.ASKED, asked_on=day(-61), due_on=day(90), last_reminded_on=day(-61))
    action = only(actions_for(requests=(old, newer)), K.KEEP_IN_TOUCH)
    assert action.key == f"keep_in_touch:m1:{day(-61).isoformat()}"


def test_share_outcome_after_the_outcome_date():
    decided = cycle(1, opens_on=day(-300), outcome_on=TODAY)
    writer = request(1, S.SUBMITTED, submitted_on=day(-200), thanked_on=day(-199))
    action = only(actions_for(cycles=(decided,), requests=(writer,)), K.SHARE_OUTCOME)
    assert action.key == "share_outcome:c1:m1"
    assert action.title == "Tell Dr. Writer1 how ERAS residency 2028 went"
    not_yet = cycle(1, opens_on=day(-300), outcome_on=day(1))
    assert not of_kind(actions_for(cycles=(not_yet,), requests=(writer,)), K.SHARE_OUTCOME)


def test_outcome_shared_after_the_results_clears_it_but_an_earlier_update_does_not():
    decided = cycle(1, opens_on=day(-300), outcome_on=day(-10))
    shared = request(
        1, S.SUBMITTED, submitted_on=day(-200), thanked_on=day(-199), outcome_shared_on=day(-9)
    )
    assert not actions_for(cycles=(decided,), requests=(shared,))
    early = request(
        1, S.SUBMITTED, submitted_on=day(-200), thanked_on=day(-199), outcome_shared_on=day(-11)
    )
    assert kinds(actions_for(cycles=(decided,), requests=(early,))) == {K.SHARE_OUTCOME}


def test_share_outcome_once_per_writer_and_cycle():
    decided = cycle(1, opens_on=day(-300), outcome_on=day(-10))
    two = (
        request(1, S.SUBMITTED, submitted_on=day(-200), thanked_on=day(-199)),
        request(
            2,
            S.SUBMITTED,
            submitted_on=day(-200),
            thanked_on=day(-199),
            letter_type=LetterType.CHAIR,
        ),
    )
    assert len(of_kind(actions_for(cycles=(decided,), requests=two), K.SHARE_OUTCOME)) == 1


def test_share_outcome_skips_writers_who_did_not_submit():
    # Archived writers still hear the outcome (issue 11): see test_today_advice_fixes.
    decided = cycle(1, opens_on=day(-300), outcome_on=day(-10))
    declined = request(1, S.DECLINED, asked_on=day(-200))
    assert not actions_for(cycles=(decided,), requests=(declined,))


def test_after_the_outcome_only_gratitude_remains():
    decided = cycle(1, opens_on=day(-300), outcome_on=day(-10))
    reqs = (
        request(1, S.ASKED, asked_on=day(-100), due_on=day(-50)),  # would be overdue
        request(2, S.DECLINED),  # would need a backup
        request(3, S.SUBMITTED, submitted_on=day(-60)),  # not thanked yet
    )
    progs = (program(1, letters_required=3, request_ids=(1,)),)
    found = kinds(actions_for(cycles=(decided,), requests=reqs, programs=progs))
    assert found == {K.THANK, K.SHARE_OUTCOME}


def test_archived_cycle_gets_no_advice_at_all():
    archived = cycle(1, archived=True)
    reqs = (request(1, S.ASKED, asked_on=day(-20), due_on=day(-1)), request(2, S.SUBMITTED))
    progs = (program(1, letters_required=3),)
    assert not actions_for(cycles=(archived,), requests=reqs, programs=progs)


# --- coverage --------------------------------------------------------------------


def test_program_not_met_is_listed_with_its_reasons():
    prog = program(
        7,
        name="Mass General IM",
        letters_required=3,
        chair_letter_required=True,
        deadline=day(30),
        request_ids=(1,),
    )
    done = request(1, S.SUBMITTED, submitted_on=day(-5), thanked_on=day(-4))
    action = only(actions_for(requests=(done,), programs=(prog,)), K.COVERAGE)
    assert action.key == "coverage:p7"
    assert (action.program_id, action.cycle_id) == (7, 1)
    assert action.title == "Letters for Mass General IM are not covered"
    assert action.detail == "1 of 3 letters submitted; needs 2 more letters; needs a chair letter."
    assert action.urgency is Urgency.HIGH
    assert action.sort_date == day(30)


def test_coverage_urgency_follows_the_deadline():
    far = program(1, letters_required=1, deadline=day(60))
    assert only(actions_for(programs=(far,)), K.COVERAGE).urgency is Urgency.NORMAL
    passed = program(1, letters_required=1, deadline=day(-1))
    assert only(actions_for(programs=(passed,)), K.COVERAGE).urgency is Urgency.URGENT
    undated = program(1, letters_required=1)
    assert only(actions_for(programs=(undated,)), K.COVERAGE).sort_date == TODAY


def test_met_and_at_risk_programs_are_not_listed_as_coverage():
    done = request(1, S.SUBMITTED, submitted_on=day(-5), thanked_on=day(-4))
    met = program(1, letters_required=1, request_ids=(1,))
    assert not actions_for(requests=(done,), programs=(met,))
    late = request(2, S.ASKED, asked_on=day(-40), due_on=day(-1))
    at_risk = program(2, letters_required=1, request_ids=(2,))
    assert kinds(actions_for(requests=(late,), programs=(at_risk,))) == {K.OVERDUE}


def test_withdrawn_program_is_not_evaluated():
    gone = program(1, letters_required=3, status=ProgramStatus.WITHDRAWN)
    assert not actions_for(programs=(gone,))


def test_assignment_to_an_unknown_request_is_ignored():
    prog = program(1, letters_required=1, request_ids=(404,))
    assert kinds(actions_for(programs=(prog,))) == {K.COVERAGE}


# --- the list as a whole -------------------------------------------------------------


def busy_snapshot():
    return dict(
        mentors=(mentor(1), mentor(2), mentor(3), mentor(4)),
        experiences=(experience(1, end_date=day(5), mentor_ids=(4,)),),
        requests=(
            request(1, S.SUBMITTED, asked_on=day(-20), submitted_on=day(-1)),  # thank
            request(2, S.ASKED, mentor_id=2, asked_on=day(-40), due_on=day(-2)),  # overdue
            request(3, S.ASKED, mentor_id=3, asked_on=day(-30), due_on=day(-9)),  # overdue, older
            request(4, S.PLANNED, mentor_id=1, due_on=day(45)),  # ask by (normal)
        ),
        programs=(program(1, letters_required=4, deadline=day(90), request_ids=(1,)),),
    )


def test_most_urgent_first_then_earliest():
    actions = actions_for(**busy_snapshot())
    assert [a.key for a in actions] == [
        "overdue:r3",
        "overdue:r2",
        "ask_now:e1:m4",
        "thank:r1",
        "ask_by:r4",
        "coverage:p1",
    ]
    ranks = [(a.urgency, a.sort_date) for a in actions]
    assert ranks == sorted(ranks)


def test_same_data_gives_the_same_keys_and_order_every_run():
    first = actions_for(**busy_snapshot())
    second = actions_for(**busy_snapshot())
    assert first == second
    assert [a.text for a in first] == [a.text for a in second]


def test_plain_string_statuses_from_a_query_work():
    late = request(1, "asked", asked_on=day(-40), due_on=day(-2))  # type: ignore[arg-type]
    assert kinds(actions_for(requests=(late,))) == {K.OVERDUE}


def test_missing_mentor_is_named_generically():
    late = request(1, S.ASKED, mentor_id=42, asked_on=day(-40), due_on=day(-2))
    assert (
        only(actions_for(requests=(late,)), K.OVERDUE).title == "Letter from your writer is overdue"
    )


def test_empty_snapshot_gives_no_actions():
    assert next_actions(snapshot(mentors=(), cycles=()), TODAY) == []
