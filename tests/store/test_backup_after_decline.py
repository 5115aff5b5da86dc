"""A backup writer declines too (issue 11): the writer who declined first
must not come back as the best backup as if nothing had happened. Against a
real SQLite file, through the store's own moves."""

from __future__ import annotations

from datetime import date

from desktop.domain.ranking import LetterNeed
from desktop.domain.vocabulary import LetterType, RequestStatus, Service
from desktop.store.mentors import MentorFields, save_mentor
from desktop.store.models import Cycle
from desktop.store.requests import (
    RequestFields,
    backup_candidates,
    candidates_for,
    create_backup,
    create_request,
    move_status,
)

TODAY = date(2031, 7, 15)
S = RequestStatus


def _mentor(last: str, strength: int) -> int:
    return save_mentor(
        MentorFields(
            last_name=last, first_name="A", honorific="Dr.", category="clinical_supervisor",
            strength=strength,
        )
    )  # fmt: skip


def test_second_decline_ranks_the_first_decliner_last_and_says_so(db):
    cycle = Cycle.create(
        service=Service.ERAS_RESIDENCY.value, name="ERAS 2032", max_letters_per_program=4
    ).id
    first = _mentor("First", strength=5)  # the strongest: top of any list
    backup = _mentor("Backup", strength=4)
    other = _mentor("Other", strength=2)
    original = create_request(RequestFields(mentor_id=first, cycle_id=cycle, waiver=True))
    move_status(original, S.ASKED, on=date(2031, 7, 1), today=TODAY)
    move_status(original, S.DECLINED, on=date(2031, 7, 3), today=TODAY, note="too busy")
    second = create_backup(original, backup).request_id
    move_status(second, S.ASKED, on=date(2031, 7, 5), today=TODAY)
    move_status(second, S.DECLINED, on=date(2031, 7, 9), today=TODAY, note="on leave")

    ranked = backup_candidates(second, today=TODAY)
    assert [c.mentor_id for c in ranked] == [other, first]
    assert ranked[-1].declined
    assert ranked[-1].reasons[0] == "declined a letter for this cycle on Jul 3, 2031"
    # A new request in the same cycle hears the same.
    fresh = candidates_for(LetterNeed(LetterType.NARRATIVE), today=TODAY, cycle_id=cycle)
    assert [c.mentor_id for c in fresh] == [other, first, backup]
    assert all(c.declined for c in fresh[1:])
