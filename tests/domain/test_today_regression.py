"""The Today rules produce exactly the same actions, in the same order and
with the same words, as they did before they were made faster.

The expected fingerprints were computed with the rules as they stood before
the optimisation (commit 6478c4f) on generated snapshots; a change here
means the advice changed, which must be a deliberate rule change (then
recompute them with ``fingerprint`` and say why in the commit), never a
side effect of making Today faster.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from datetime import date

import pytest

from desktop.domain.actions import Action, ActionKind
from desktop.domain.thresholds import AdviceThresholds
from desktop.domain.today import next_actions

from .snapshot_generator import generated_snapshot

# Settings other than the defaults: a "last" reminder before the
# "week before" one, and shorter windows everywhere.
ODD = AdviceThresholds(
    nudge_before_due=3,
    last_nudge_before_due=10,
    first_nudge=10,
    first_nudge_latest=12,
    materials_after=1,
    thank_within=0,
    keep_in_touch=20,
    ask_by_notice=3,
)


def fingerprint(actions: list[Action]) -> str:
    """Every field of every action, its text included, in list order."""
    digest = hashlib.sha256()
    for a in actions:
        title, detail = a.text
        fields = (
            int(a.urgency),
            a.sort_date.isoformat(),
            a.key,
            a.kind.value,
            a.request_id,
            a.mentor_id,
            a.program_id,
            a.experience_id,
            a.cycle_id,
            a.offers_backup,
            title,
            detail,
        )
        digest.update(repr(fields).encode())
    return digest.hexdigest()[:20]


CASES = [
    # (seed, today, thresholds, expected action count, expected fingerprint);
    # recomputed for issue 11: missed act-by dates urgent (ask by, thanks,
    # materials, reminders; materials shown on the window's last day), due
    # dates watched without reminders, archived writers keep their courtesies,
    # declined letters make a program "not met", and the new wording.
    (1, date(2027, 9, 15), None, 1715, "bcff918dea9d5daef2da"),
    (2, date(2028, 2, 29), None, 1698, "47b459a65b9aa7831a2c"),
    (3, date(2027, 12, 31), ODD, 1698, "f1748ce7e1825a18eccd"),
    (4, date(2028, 1, 1), ODD, 1739, "d27bb6d61b029cc1d38b"),
]


@pytest.mark.parametrize(("seed", "today", "thresholds", "count", "expected"), CASES)
def test_next_actions_are_unchanged(seed, today, thresholds, count, expected):
    snapshot = generated_snapshot(seed, today)
    actions = next_actions(snapshot, today, thresholds or AdviceThresholds())
    assert (len(actions), fingerprint(actions)) == (count, expected)


def test_the_generated_snapshots_reach_every_rule():
    kinds: Counter[ActionKind] = Counter()
    for seed, today, thresholds, _count, _expected in CASES:
        snapshot = generated_snapshot(seed, today)
        kinds.update(
            a.kind for a in next_actions(snapshot, today, thresholds or AdviceThresholds())
        )
    assert set(kinds) == set(ActionKind), set(ActionKind) - set(kinds)
