"""Rank candidate writers for one letter, with the reasons behind each score.

Advisers say: choose someone who knows your work well and can give specific
examples. The score (0–100) weighs the user's own strength rating most, then
how much was logged with the mentor and how recently, concrete examples
flagged "mention in letter", and a specialty match. A chair letter needs a
department chair and a standardized letter a writer who can complete one;
mentors who cannot are still listed (the user may know better) but below
every mentor who can, and the reason says why. A mentor who already
declined a letter for the cycle is listed last of all, the decline named
first among the reasons: after a backup declines too, the first writer must
not come back as the best choice as if nothing had happened.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass
from datetime import date

from .contact import describe_last_contact
from .records import GENERAL_SPECIALTY, MentorRecord, is_general, same_specialty
from .timing import format_day
from .vocabulary import LetterType

STRENGTH_POINTS = 40  # at strength 5/5
INTERACTION_POINTS = 20  # reached at INTERACTIONS_FOR_FULL logged interactions
INTERACTIONS_FOR_FULL = 10
RECENCY_POINTS = 15  # contact within RECENT_DAYS; none after STALE_DAYS
RECENT_DAYS = 30
STALE_DAYS = 365
EXAMPLE_POINTS = 5  # one per "mention in letter" entry, up to this many
SPECIALTY_POINTS = 20
ALREADY_WRITING_PENALTY = 10


@dataclass(frozen=True)
class LetterNeed:
    letter_type: LetterType
    specialty: str = GENERAL_SPECIALTY


@dataclass(frozen=True)
class RankedMentor:
    mentor_id: int
    score: int
    fits_letter_type: bool
    reasons: tuple[str, ...]
    declined: bool = False  # declined a letter for this cycle already


def rank_candidates(
    mentors: Iterable[MentorRecord],
    need: LetterNeed,
    *,
    today: date,
    exclude: Collection[int] = (),
    already_writing: Collection[int] = (),
    declined: Mapping[int, date | None] | None = None,
) -> list[RankedMentor]:
    """Best candidate first. Archived mentors and ``exclude`` (e.g. the writer
    who just declined) are left out; ``already_writing`` (mentors with a live
    request in the same cycle) are kept but marked down; ``declined``
    (mentor → the day they declined a letter for the cycle) come last, the
    decline the first reason given."""
    declined = declined or {}
    ranked: list[tuple[RankedMentor, MentorRecord]] = []
    for mentor in mentors:
        if mentor.archived or mentor.id in exclude:
            continue
        candidate = score_mentor(
            mentor, need, today=today, already_writing=mentor.id in already_writing
        )
        declined_on = declined.get(mentor.id)
        if mentor.id in declined:
            said = f" on {format_day(declined_on)}" if declined_on is not None else ""
            candidate = RankedMentor(
                candidate.mentor_id,
                candidate.score,
                candidate.fits_letter_type,
                (f"declined a letter for this cycle{said}", *candidate.reasons),
                declined=True,
            )
        ranked.append((candidate, mentor))
    ranked.sort(
        key=lambda pair: (
            pair[0].declined,
            not pair[0].fits_letter_type,
            -pair[0].score,
            -pair[1].strength,
            # Ties go to the more recent contact, then to a stable order.
            -(pair[1].last_contact.toordinal() if pair[1].last_contact else 0),
            pair[1].id,
        )
    )
    return [candidate for candidate, _mentor in ranked]


def score_mentor(
    mentor: MentorRecord, need: LetterNeed, *, today: date, already_writing: bool = False
) -> RankedMentor:
    strength = min(max(mentor.strength, 1), 5)
    score = STRENGTH_POINTS * strength / 5
    reasons = [f"strength {strength}/5"]

    count = max(mentor.interaction_count, 0)
    score += INTERACTION_POINTS * min(count, INTERACTIONS_FOR_FULL) / INTERACTIONS_FOR_FULL
    score += RECENCY_POINTS * _recency(mentor.last_contact, today)
    if count == 0 and mentor.last_contact is None:
        reasons.append("no interactions logged")
    else:
        noun = "interaction" if count == 1 else "interactions"
        reasons.append(f"{count} {noun}, last {describe_last_contact(mentor.last_contact, today)}")

    examples = min(max(mentor.mention_count, 0), EXAMPLE_POINTS)
    if examples:
        score += examples
        noun = "example" if mentor.mention_count == 1 else "examples"
        reasons.append(f"{mentor.mention_count} {noun} to mention in the letter")

    if not is_general(need.specialty):
        wanted = need.specialty.strip()
        if same_specialty(mentor.specialty, wanted):
            score += SPECIALTY_POINTS
            reasons.append(f"specialty matches {wanted}")
        elif mentor.specialty.strip():
            reasons.append(f"specialty is {mentor.specialty.strip()}, not {wanted}")
        else:
            reasons.append("no specialty recorded")

    fits = True
    letter_type = LetterType(need.letter_type)
    if letter_type is LetterType.CHAIR:
        fits = mentor.is_department_chair
        reasons.append("department chair" if fits else "not a department chair")
    elif letter_type.is_standardized:  # any SLOE, eSLOR, SEL…
        fits = mentor.can_write_standardized
        reasons.append(
            "can write a standardized letter" if fits else "cannot write a standardized letter"
        )

    if already_writing:
        score -= ALREADY_WRITING_PENALTY
        reasons.append("already writing a letter for this cycle")
    return RankedMentor(mentor.id, max(0, round(score)), fits, tuple(reasons))


def _recency(last_contact: date | None, today: date) -> float:
    """1.0 for contact within RECENT_DAYS, falling to 0.0 at STALE_DAYS."""
    if last_contact is None:
        return 0.0
    days = max((today - last_contact).days, 0)  # a planned meeting counts as now
    if days <= RECENT_DAYS:
        return 1.0
    if days >= STALE_DAYS:
        return 0.0
    return (STALE_DAYS - days) / (STALE_DAYS - RECENT_DAYS)
