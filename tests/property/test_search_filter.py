"""The search box with arbitrary text: the filter never raises."""

from __future__ import annotations

from datetime import date

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from desktop.store.mentors import MentorRow
from desktop.ui.common import RowTableModel, mentor_columns
from desktop.ui.mentors.mentors_page import matches_search

FAST = settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


def _row(i: int, name: str) -> MentorRow:
    return MentorRow(
        i, name, name.casefold(), "other", "", "", "", 3, None, 0, False, name.casefold()
    )


@FAST
@given(text=st.text(max_size=80), names=st.lists(st.text(max_size=20), max_size=8))
def test_search_text_never_raises(qapp, text, names):
    model: RowTableModel[MentorRow] = RowTableModel(mentor_columns(date(2026, 1, 1)))
    model.set_rows([_row(i, n) for i, n in enumerate(names)])
    terms = text.casefold().split()
    model.set_filter(lambda row: matches_search(row.search_text, terms))
    for number in range(model.rowCount()):
        for column in range(model.columnCount()):
            model.data(model.index(number, column))
    assert model.rowCount() == sum(1 for n in names if all(t in n.casefold() for t in terms))
