"""Columns of the Requests table, and how urgent a request looks (the
overdue / due-soon colours shared by the table and the board)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from enum import Enum

from PySide6.QtCore import QCoreApplication
from PySide6.QtGui import QColor

from desktop.domain.next_step import ask_by
from desktop.domain.thresholds import AdviceThresholds
from desktop.domain.timing import describe_due, is_due_soon, is_overdue
from desktop.domain.vocabulary import LetterType, RequestStatus
from desktop.store.requests import RequestRow
from desktop.ui.common import Column, label_of, short_date

# Soft tints that keep dark text readable; the model picks the text colour.
OVERDUE_COLOUR = QColor("#f6d5d2")
DUE_SOON_COLOUR = QColor("#fbeccb")
# Strong versions for the stripe on a board card.
OVERDUE_ACCENT = QColor("#b3261e")
DUE_SOON_ACCENT = QColor("#b26a00")

_STATUS_ORDER = {status: number for number, status in enumerate(RequestStatus)}
_TYPE_ORDER = {letter_type: number for number, letter_type in enumerate(LetterType)}


def _tr(text: str) -> str:
    return QCoreApplication.translate("RequestColumns", text)


class Urgency(Enum):
    NONE = 0
    DUE_SOON = 1
    OVERDUE = 2


def urgency_of(row: RequestRow, today: date, thresholds: AdviceThresholds) -> Urgency:
    if is_overdue(row.status, row.due_on, today):
        return Urgency.OVERDUE
    if is_due_soon(row.status, row.due_on, today, thresholds):
        return Urgency.DUE_SOON
    return Urgency.NONE


def urgency_background(
    today: date, thresholds: AdviceThresholds
) -> Callable[[RequestRow], QColor | None]:
    """For ``RowTableModel.set_background``."""

    def background(row: RequestRow) -> QColor | None:
        urgency = urgency_of(row, today, thresholds)
        if urgency is Urgency.OVERDUE:
            return OVERDUE_COLOUR
        if urgency is Urgency.DUE_SOON:
            return DUE_SOON_COLOUR
        return None

    return background


def waiver_text(waiver: bool | None) -> str:
    if waiver is None:
        return _tr("Not answered")
    return _tr("Waived") if waiver else _tr("Not waived")


def due_tooltip(row: RequestRow, today: date) -> str:
    if row.due_on is None:
        return _tr("No due date")
    text = describe_due(row.due_on, today)
    if row.status in (RequestStatus.SUBMITTED, RequestStatus.DECLINED, RequestStatus.WITHDRAWN):
        return short_date(row.due_on)
    return f"{short_date(row.due_on)} ({text})"


def row_ask_by(row: RequestRow, thresholds: AdviceThresholds) -> date | None:
    return ask_by(row.status, row.planned_ask_on, row.due_on, thresholds)


def ask_by_tooltip(row: RequestRow, today: date, thresholds: AdviceThresholds) -> str:
    day = row_ask_by(row, thresholds)
    if day is None:
        if row.status is RequestStatus.PLANNED:
            return _tr("No due date or planned ask date yet")
        return _tr("Already asked")
    if row.planned_ask_on is not None:
        text = _tr("Planned ask date {day}")
    else:
        text = _tr("Ask by {day}: the ideal lead time before the due date")
    text = text.format(day=short_date(day))
    if day < today:
        text += " " + _tr("(passed: ask as soon as you can)")
    return text


def request_columns(
    today: date, thresholds: Callable[[], AdviceThresholds] = AdviceThresholds
) -> list[Column[RequestRow]]:
    """``thresholds`` gives the advice settings in force (they can change
    while the page is open)."""
    # Sort keys are computed once per load (the model caches each column's
    # order), but at 100,000 rows they still matter: names repeat, so their
    # folded form is memoised, and a missing date sorts last as date.max.
    folded: dict[str, str] = {}

    def by_name(row: RequestRow) -> str:
        name = row.mentor_name
        key = folded.get(name)
        if key is None:
            key = folded[name] = name.casefold()
        return key

    return [
        Column(
            _tr("Mentor"),
            lambda r: r.mentor_name,
            lambda r: (by_name(r), r.id),
            tooltip=lambda r: f"{r.mentor_name} · {r.cycle_name}",
        ),
        Column(
            _tr("Letter type"),
            lambda r: label_of(r.letter_type),
            lambda r: (_TYPE_ORDER[r.letter_type], by_name(r)),
        ),
        Column(
            _tr("Specialty"),
            lambda r: r.specialty,
            lambda r: (r.specialty.casefold(), by_name(r)),
        ),
        Column(
            _tr("Status"),
            lambda r: label_of(r.status),
            lambda r: (_STATUS_ORDER[r.status], (r.due_on or date.max), by_name(r)),
        ),
        Column(
            _tr("Ask by"),
            lambda r: short_date(row_ask_by(r, thresholds())),
            lambda r: row_ask_by(r, thresholds()) or date.max,
            tooltip=lambda r: ask_by_tooltip(r, today, thresholds()),
        ),
        Column(_tr("Asked"), lambda r: short_date(r.asked_on), lambda r: r.asked_on or date.max),
        Column(
            _tr("Due"),
            lambda r: short_date(r.due_on),
            lambda r: r.due_on or date.max,
            tooltip=lambda r: due_tooltip(r, today),
        ),
        Column(
            _tr("Submitted"),
            lambda r: short_date(r.submitted_on),
            lambda r: r.submitted_on or date.max,
        ),
        Column(
            _tr("Thanked"), lambda r: short_date(r.thanked_on), lambda r: r.thanked_on or date.max
        ),
        Column(
            _tr("Letter ID"),
            lambda r: r.letter_id or "",
            lambda r: (r.letter_id is None, (r.letter_id or "").casefold()),
        ),
        Column(
            _tr("Waiver"),
            lambda r: waiver_text(r.waiver),
            lambda r: (r.waiver is None, not r.waiver),
        ),
        Column(
            _tr("Programs"),
            lambda r: str(r.program_count),
            lambda r: (r.program_count, by_name(r)),
            align_right=True,
            tooltip=lambda r: (
                _tr("Assigned to 1 program")
                if r.program_count == 1
                else _tr("Assigned to {n} programs")
            ).format(n=r.program_count),
        ),
    ]


# Starting widths (ResizeToContents would measure every row).
REQUEST_COLUMN_WIDTHS = (170, 140, 116, 100, 78, 78, 78, 78, 78, 86, 74, 66)


def cycle_order(today: date):
    """Sort key for cycles in pickers: current seasons first (not archived,
    results not yet out), the most recently opened first."""

    def key(cycle) -> tuple:
        finished = cycle.outcome_on is not None and cycle.outcome_on < today
        opened = cycle.opens_on.toordinal() if cycle.opens_on else 0
        return (bool(cycle.archived), finished, -opened, -cycle.id)

    return key
