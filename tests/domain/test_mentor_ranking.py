"""Ranking candidate writers for a letter, with reasons."""

from __future__ import annotations

from desktop.domain.ranking import LetterNeed, rank_candidates, score_mentor
from desktop.domain.vocabulary import LetterType

from .records_factory import TODAY, day, mentor

NARRATIVE_IM = LetterNeed(LetterType.NARRATIVE, "Internal Medicine")


def ids(ranked):
    return [c.mentor_id for c in ranked]


def test_reasons_explain_the_score():
    m = mentor(
        1,
        strength=5,
        interaction_count=12,
        last_contact=day(-9),
        specialty="Internal Medicine",
    )
    ranked = score_mentor(m, NARRATIVE_IM, today=TODAY)
    assert ranked.reasons == (
        "strength 5/5",
        "12 interactions, last 9 days ago",
        "specialty matches Internal Medicine",
    )
    assert ranked.fits_letter_type
    # 40 strength + 20 interactions + 15 recent + 20 specialty
    assert ranked.score == 95


def test_stronger_and_better_known_mentor_ranks_first():
    weak = mentor(1, strength=2, interaction_count=1, last_contact=day(-200))
    strong = mentor(2, strength=5, interaction_count=8, last_contact=day(-3))
    assert ids(rank_candidates([weak, strong], NARRATIVE_IM, today=TODAY)) == [2, 1]


def test_amount_and_recency_break_equal_strength():
    often = mentor(1, strength=4, interaction_count=10, last_contact=day(-5))
    rarely = mentor(2, strength=4, interaction_count=2, last_contact=day(-5))
    long_ago = mentor(3, strength=4, interaction_count=10, last_contact=day(-300))
    assert ids(rank_candidates([rarely, long_ago, often], NARRATIVE_IM, today=TODAY)) == [1, 3, 2]


def test_specialty_match_counts_and_mismatch_is_explained():
    match = mentor(1, specialty="internal medicine")
    other = mentor(2, specialty="Surgery")
    blank = mentor(3)
    ranked = rank_candidates([other, blank, match], NARRATIVE_IM, today=TODAY)
    assert ranked[0].mentor_id == 1
    reasons = {c.mentor_id: c.reasons for c in ranked}
    assert "specialty is Surgery, not Internal Medicine" in reasons[2]
    assert "no specialty recorded" in reasons[3]


def test_general_letter_ignores_specialty():
    ranked = score_mentor(
        mentor(1, specialty="Surgery"), LetterNeed(LetterType.NARRATIVE), today=TODAY
    )
    assert not any("specialty" in r for r in ranked.reasons)


def test_chair_letter_puts_chairs_first_even_if_weaker():
    strong = mentor(1, strength=5, interaction_count=10, last_contact=day(-1))
    chair = mentor(2, strength=2, is_department_chair=True)
    ranked = rank_candidates([strong, chair], LetterNeed(LetterType.CHAIR), today=TODAY)
    assert ids(ranked) == [2, 1]
    assert "department chair" in ranked[0].reasons
    assert not ranked[1].fits_letter_type
    assert "not a department chair" in ranked[1].reasons


def test_standardized_letter_needs_a_writer_who_can_complete_one():
    can = mentor(1, can_write_standardized=True, strength=3)
    cannot = mentor(2, strength=5)
    ranked = rank_candidates(
        [cannot, can], LetterNeed(LetterType.STANDARDIZED, "Emergency Medicine"), today=TODAY
    )
    assert ids(ranked) == [1, 2]
    assert "cannot write a standardized letter" in ranked[1].reasons


def test_archived_and_excluded_mentors_are_left_out():
    archived = mentor(1, strength=5, archived=True)
    declined = mentor(2, strength=5)
    ok = mentor(3, strength=1)
    ranked = rank_candidates([archived, declined, ok], NARRATIVE_IM, today=TODAY, exclude={2})
    assert ids(ranked) == [3]


def test_mentor_already_writing_is_marked_down():
    busy = mentor(1, strength=4)
    free = mentor(2, strength=4)
    ranked = rank_candidates([busy, free], NARRATIVE_IM, today=TODAY, already_writing={1})
    assert ids(ranked) == [2, 1]
    assert "already writing a letter for this cycle" in ranked[1].reasons


def test_nothing_logged_and_examples_to_mention():
    quiet = score_mentor(mentor(1), NARRATIVE_IM, today=TODAY)
    assert "no interactions logged" in quiet.reasons
    rich = score_mentor(
        mentor(2, interaction_count=1, last_contact=TODAY, mention_count=3),
        NARRATIVE_IM,
        today=TODAY,
    )
    assert "1 interaction, last today" in rich.reasons
    assert "3 examples to mention in the letter" in rich.reasons
    assert rich.score > quiet.score


def test_ties_are_ordered_stably_by_id():
    a, b = mentor(7), mentor(3)
    assert ids(rank_candidates([a, b], NARRATIVE_IM, today=TODAY)) == [3, 7]
