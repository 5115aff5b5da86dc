"""Advice that misled an applicant (issue 11, "Advice that misleads today"),
each found by trying the app and pinned here with literal dates: today is
Sep 15, 2027, mid-season."""

from __future__ import annotations

from desktop.domain.actions import ActionKind as K
from desktop.domain.actions import Urgency, urgency_of_date
from desktop.domain.coverage import CoverageState, program_coverage
from desktop.domain.ranking import LetterNeed, rank_candidates
from desktop.domain.thresholds import AdviceThresholds, threshold_settings
from desktop.domain.today import next_actions
from desktop.domain.vocabulary import LetterType
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

T = AdviceThresholds()


def actions_for(today=TODAY, **parts):
    return next_actions(snapshot(**parts), today)


def only(actions, kind):
    found = of_kind(actions, kind)
    assert len(found) == 1, [a.key for a in actions]
    return found[0]


# --- 1. a second decline brings back the first writer --------------------------


def test_writer_who_declined_is_ranked_last_and_says_so():
    first = mentor(1, strength=5, interaction_count=10, last_contact=day(-3))
    backup = mentor(2, strength=4)
    fresh = mentor(3, strength=2)
    ranked = rank_candidates(
        (first, backup, fresh),
        LetterNeed(LetterType.NARRATIVE),
        today=TODAY,
        exclude=(2,),  # the backup who has just declined too
        declined={1: day(-20)},
    )
    assert [c.mentor_id for c in ranked] == [3, 1]
    assert ranked[-1].reasons[0] == "declined a letter for this cycle on Aug 26, 2027"
    assert ranked[-1].declined


# --- 2. archived writers keep their courtesy advice, and it is said -------------


def test_archived_writer_still_hears_the_outcome_and_the_card_says_archived():
    writer = request(1, S.SUBMITTED, submitted_on=day(-200), thanked_on=day(-199))
    over = cycle(1, outcome_on=day(-1))
    action = only(
        actions_for(mentors=(mentor(1, archived=True),), requests=(writer,), cycles=(over,)),
        K.SHARE_OUTCOME,
    )
    assert "Dr. Writer1 is archived" in action.detail


def test_archived_writer_is_still_kept_posted():
    writer = request(1, S.SUBMITTED, asked_on=day(-90), submitted_on=day(-70), thanked_on=day(-61))
    action = only(
        actions_for(mentors=(mentor(1, archived=True),), requests=(writer,)), K.KEEP_IN_TOUCH
    )
    assert "Dr. Writer1 is archived" in action.detail


def test_request_advice_for_an_archived_writer_says_the_writer_is_archived():
    asked = request(1, S.ASKED, asked_on=day(-14), due_on=day(40))
    action = only(actions_for(mentors=(mentor(1, archived=True),), requests=(asked,)), K.NUDGE)
    assert "Dr. Writer1 is archived" in action.detail
    live = only(actions_for(requests=(asked,)), K.NUDGE)
    assert "archived" not in live.detail


# --- 3. the thank-you window -----------------------------------------------------


def test_thank_you_prompt_comes_at_once_within_the_window():
    done = request(1, S.SUBMITTED, submitted_on=TODAY)
    action = only(actions_for(requests=(done,)), K.THANK)
    assert action.urgency is Urgency.NORMAL
    assert action.sort_date == day(3)
    assert "Thank them by Sep 18, 2027" in action.detail


def test_last_day_of_the_thank_you_window_is_today():
    done = request(1, S.SUBMITTED, submitted_on=day(-3))
    assert only(actions_for(requests=(done,)), K.THANK).urgency is Urgency.HIGH


def test_thank_you_67_days_late_is_urgent_and_says_it_is_late():
    done = request(1, S.SUBMITTED, submitted_on=day(-67))
    action = only(actions_for(requests=(done,)), K.THANK)
    assert action.urgency is Urgency.URGENT
    assert "within 3 days" not in action.detail
    assert "67 days ago" in action.detail
    assert "late" in action.title.lower() or "late" in action.detail


def test_thank_setting_says_it_is_a_window():
    setting = next(s for s in threshold_settings() if s.name == "thank_within")
    assert "as soon as" in setting.description
    assert "within" in setting.description


# --- 4. a missed ask-by date is urgent ------------------------------------------


def test_missed_ask_by_date_is_urgent_not_today():
    # Ideal ask date Sep 10 (due − 42), 5 days ago; still above the minimum lead.
    late = request(1, S.PLANNED, due_on=day(37))
    action = only(actions_for(requests=(late,)), K.ASK_BY)
    assert action.urgency is Urgency.URGENT
    on_the_day = only(actions_for(requests=(request(1, S.PLANNED, due_on=day(42)),)), K.ASK_BY)
    assert on_the_day.urgency is Urgency.HIGH


def test_every_act_by_date_follows_the_same_urgency_rule():
    """No card whose date to act by has passed sits under "Today" or "Soon",
    and a card whose date is today is for today."""
    cases = {
        # materials: within 3 days of accepting (Sep 12): the last day is today
        (K.SEND_MATERIALS, Urgency.HIGH): request(
            1, S.ACCEPTED, asked_on=day(-10), status_since=day(-3), due_on=day(60)
        ),
        (K.SEND_MATERIALS, Urgency.URGENT): request(
            1, S.ACCEPTED, asked_on=day(-10), status_since=day(-4), due_on=day(60)
        ),
        # first reminder: from 14 days after the ask, ideally by 21
        (K.NUDGE, Urgency.NORMAL): request(1, S.ASKED, asked_on=day(-14), due_on=day(60)),
        (K.NUDGE, Urgency.HIGH): request(1, S.ASKED, asked_on=day(-21), due_on=day(60)),
        (K.NUDGE, Urgency.URGENT): request(1, S.ASKED, asked_on=day(-22), due_on=day(60)),
    }
    for (kind, urgency), req in cases.items():
        action = only(actions_for(requests=(req,)), kind)
        assert action.urgency is urgency, (kind, urgency, action.sort_date)
        assert action.urgency is urgency_of_date(action.sort_date, TODAY)
    # A reminder a week before the due date: for today on its day, urgent
    # once that day has gone by without one.
    week = request(1, S.ASKED, asked_on=day(-40), due_on=day(7), last_reminded_on=day(-25))
    assert only(actions_for(requests=(week,)), K.NUDGE).urgency is Urgency.HIGH
    missed = week._replace(due_on=day(5))
    assert only(actions_for(requests=(missed,)), K.NUDGE).urgency is Urgency.URGENT


def test_ask_now_after_the_rotation_is_dated_by_the_end_of_the_window():
    action = only(actions_for(experiences=(experience(5, end_date=day(-3)),)), K.ASK_NOW)
    assert action.sort_date == day(4)  # 7 days after the end
    assert "Ask by Sep 19, 2027" in action.detail
    assert action.urgency is Urgency.HIGH


# --- 5. a declined letter will never come ----------------------------------------


def test_program_that_needs_a_declined_letter_is_not_met():
    letters = (
        request(1, S.SUBMITTED),
        request(2, S.SUBMITTED),
        request(3, S.DECLINED, mentor_id=2),
    )
    p = program(1, letters_required=3, request_ids=(1, 2, 3))
    coverage = program_coverage(p, letters, today=TODAY, thresholds=T)
    assert coverage.state is CoverageState.NOT_MET
    assert "needs 1 more letter" in coverage.reasons
    assert "1 declined" in coverage.reasons[0]


def test_program_whose_declined_letter_is_the_only_specialty_letter_is_not_met():
    letters = (
        request(1, S.SUBMITTED),
        request(2, S.DECLINED, specialty="Internal Medicine"),
    )
    p = program(
        1,
        specialty="Internal Medicine",
        letters_required=1,
        specialty_letters_required=1,
        request_ids=(1, 2),
    )
    coverage = program_coverage(p, letters, today=TODAY, thresholds=T)
    assert coverage.state is CoverageState.NOT_MET


# --- 6. due today, reminder logged yesterday --------------------------------------


def test_letter_due_today_stays_after_yesterdays_reminder():
    asked = request(1, S.ASKED, asked_on=day(-40), due_on=TODAY, last_reminded_on=day(-1))
    action = only(actions_for(requests=(asked,)), K.DUE)
    assert action.urgency is Urgency.HIGH
    assert action.title == "Letter from Dr. Writer1 is due today"


def test_due_today_with_a_reminder_still_to_send_is_one_card():
    asked = request(1, S.ASKED, asked_on=day(-40), due_on=TODAY)
    assert kinds(actions_for(requests=(asked,))) == {K.NUDGE}


# --- 7. no reminders for the writer, but the applicant still sees the date --------


def test_writer_who_wants_no_reminders_still_shows_the_due_date_coming():
    quiet = mentor(1, reminder_preference=Pref.NONE)
    asked = request(1, S.ASKED, asked_on=day(-30), due_on=day(7))
    action = only(actions_for(mentors=(quiet,), requests=(asked,)), K.DUE)
    assert action.urgency is Urgency.NORMAL
    assert action.title == "Letter from Dr. Writer1 is due in 7 days"
    assert "no reminders" in action.detail
    assert not of_kind(actions_for(mentors=(quiet,), requests=(asked,)), K.NUDGE)
    # Not before the "due soon" window, and on the day itself it is for today.
    early = request(1, S.ASKED, asked_on=day(-30), due_on=day(8))
    assert not actions_for(mentors=(quiet,), requests=(early,))
    due = request(1, S.ASKED, asked_on=day(-30), due_on=TODAY)
    assert only(actions_for(mentors=(quiet,), requests=(due,)), K.DUE).urgency is Urgency.HIGH


# --- 8. wording and plurals --------------------------------------------------------


def test_no_specialty_letter_reads_as_a_need_not_only_zero():
    p = program(1, specialty="Internal Medicine", letters_required=0, specialty_letters_required=1)
    coverage = program_coverage(p, (), today=TODAY, thresholds=T)
    assert "needs 1 specialty letter" in coverage.reasons
    assert not any("only 0" in reason for reason in coverage.reasons)
    two = program(
        1, specialty="Internal Medicine", letters_required=0, specialty_letters_required=2
    )
    one_in = (request(1, S.SUBMITTED, specialty="Internal Medicine"),)
    reasons = program_coverage(
        two._replace(request_ids=(1,)), one_in, today=TODAY, thresholds=T
    ).reasons
    assert "needs 1 more specialty letter (1 of 2 so far)" in reasons


def test_one_day_counts_are_singular():
    one_day = AdviceThresholds(thank_within=1, keep_in_touch=1, ideal_lead=1, minimum_lead=1)
    done = request(1, S.SUBMITTED, submitted_on=TODAY)
    thank = only(next_actions(snapshot(requests=(done,)), TODAY, one_day), K.THANK)
    assert "1 days" not in thank.detail
    writer = request(1, S.SUBMITTED, asked_on=day(-3), submitted_on=day(-2), thanked_on=day(-1))
    touch = only(next_actions(snapshot(requests=(writer,)), TODAY, one_day), K.KEEP_IN_TOUCH)
    assert "for 1 day." in touch.detail
    plan = request(1, S.PLANNED, due_on=day(1))
    ask = only(next_actions(snapshot(requests=(plan,)), TODAY, one_day), K.ASK_BY)
    assert "1 days" not in ask.detail
