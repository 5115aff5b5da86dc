"""A mentor's letters on their contact page: which cycle, which letter, how
it stands and what it needs next, by when. Double-clicking one opens it on
the Requests page."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from PySide6.QtCore import QCoreApplication

from desktop.domain.next_step import describe_step_date, next_step
from desktop.domain.thresholds import AdviceThresholds
from desktop.store.requests import RequestRow
from desktop.ui.common import Column, label_of


def _tr(text: str) -> str:
    return QCoreApplication.translate("MentorLetters", text)


def step_text(row: RequestRow, today: date, thresholds: AdviceThresholds) -> str:
    """ "Send materials · due in 10 days"; the date alone when nothing is left
    to do; a dash for a declined or withdrawn letter."""
    step = next_step(
        row.status,
        planned_ask_on=row.planned_ask_on,
        due_on=row.due_on,
        submitted_on=row.submitted_on,
        thanked_on=row.thanked_on,
        thresholds=thresholds,
    )
    parts = [_tr(step.what)] if step.what else []
    when = describe_step_date(step, today)
    if when:
        parts.append(_tr(when))
    return " · ".join(parts) or "—"


def _first_up(text: str) -> str:
    return text[:1].upper() + text[1:]


def letter_columns(
    context: Callable[[], tuple[date, AdviceThresholds]],
) -> list[Column[RequestRow]]:
    """``context`` gives the day and the advice settings the steps count with."""

    def step(row: RequestRow) -> str:
        return step_text(row, *context())

    return [
        # The cycle is in the tooltip: the panel is narrow, and most people
        # apply in one cycle at a time.
        Column(
            _tr("Letter"),
            lambda r: f"{_first_up(_tr(r.letter_type.short_label))} · {r.specialty}",
            lambda r: r.id,
            tooltip=lambda r: f"{label_of(r.letter_type)} · {r.specialty} · {r.cycle_name}",
        ),
        Column(_tr("Status"), lambda r: label_of(r.status), lambda r: r.status.value),
        Column(
            _tr("Next step"),
            step,
            lambda r: r.id,
            tooltip=step,
        ),
    ]
