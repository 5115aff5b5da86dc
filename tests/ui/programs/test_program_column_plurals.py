"""Counts in the Programs table's tooltips read as English for one of a
thing (issue 11: proper plurals wherever a count is shown)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from desktop.store.programs import ProgramRow
from desktop.ui.programs.program_columns import assigned_tooltip, deadline_tooltip

TODAY = date(2031, 9, 15)


def test_deadline_one_day_away_or_gone():
    assert deadline_tooltip(date(2031, 9, 16), TODAY) == "Deadline tomorrow"
    assert deadline_tooltip(date(2031, 9, 14), TODAY) == "Deadline passed yesterday"
    assert deadline_tooltip(date(2031, 9, 20), TODAY) == "Deadline in 5 days"


def test_one_assigned_letter_and_one_not_counted():
    fields = {f: None for f in ProgramRow.__dataclass_fields__}
    row = ProgramRow(**fields)
    row = replace(row, assigned_count=1, assigned_total=2, max_letters=4)
    assert assigned_tooltip(row) == (
        "1 letter assigned; this cycle allows 4 per program. "
        "1 declined or withdrawn letter also assigned, not counted."
    )
