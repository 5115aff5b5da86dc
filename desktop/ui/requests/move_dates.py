"""The day a status move happened, where that day matters (the writer was
asked in person last week; the letter was uploaded yesterday), and the
status bar's Undo for a move just made.

Today is the default; a day in the future cannot be chosen, and a letter
cannot be submitted before its writer was asked.
"""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QCoreApplication, QDate
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QFormLayout, QLabel, QVBoxLayout, QWidget

from desktop.domain.timing import format_day
from desktop.domain.vocabulary import RequestStatus
from desktop.store import requests as request_store
from desktop.store.requests import MoveReceipt
from desktop.ui.common import Changes, UndoStep, date_edit, label_of, set_role

S = RequestStatus
# Forward moves whose day the advice counts from.
DATED_MOVES = (S.ASKED, S.SUBMITTED)


def _tr(text: str) -> str:
    return QCoreApplication.translate("MoveDates", text)


class MoveDateDialog(QDialog):
    def __init__(
        self,
        to_status: RequestStatus,
        mentor: str,
        *,
        today: date,
        earliest: date | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("moveDateDialog")
        asked = RequestStatus(to_status) is S.ASKED
        self.setWindowTitle(_tr("Mark asked") if asked else _tr("Mark submitted"))
        question = QLabel(
            (
                _tr("When did you ask {name} for the letter?")
                if asked
                else _tr("When was the letter from {name} submitted?")
            ).format(name=mentor)
        )
        question.setObjectName("moveDateQuestion")
        question.setWordWrap(True)
        self.day = date_edit("moveDate", today)
        self.day.setMaximumDate(QDate(today))
        if earliest is not None and earliest <= today:
            self.day.setMinimumDate(QDate(earliest))
        field_label = _tr("Asked on") if asked else _tr("Submitted on")
        self.day.setAccessibleName(field_label)
        hint = QLabel(
            _tr("Reminders and thank-you advice count from this day. It cannot be in the future.")
        )
        hint.setWordWrap(True)
        set_role(hint, "hint")
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.setObjectName("buttons")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form = QFormLayout()
        form.addRow(field_label, self.day)
        layout = QVBoxLayout(self)
        layout.addWidget(question)
        layout.addLayout(form)
        layout.addWidget(hint)
        layout.addWidget(buttons)
        self.day.setFocus()

    def chosen(self) -> date:
        return self.day.date().toPython()


def ask_move_date(
    parent: QWidget | None,
    request_id: int,
    to_status: RequestStatus,
    *,
    today: date,
) -> date | None:
    """The day of the move: asked for where it matters, today otherwise;
    None when the user cancelled."""
    if RequestStatus(to_status) not in DATED_MOVES:
        return today
    row = request_store.load_request_row(request_id)
    if row is None:
        return None
    earliest = row.asked_on if RequestStatus(to_status) is S.SUBMITTED else None
    dialog = MoveDateDialog(
        to_status, row.mentor_name, today=today, earliest=earliest, parent=parent
    )
    return dialog.chosen() if dialog.exec() else None


def moved_text(receipt: MoveReceipt, mentor: str, on: date, today: date) -> str:
    """ "Dr. Okafor: marked asked (yesterday, Dec 1)." """
    when = _tr("today") if on == today else format_day(on)
    return _tr("{name}: marked {status} ({when}).").format(
        name=mentor, status=label_of(receipt.to_status).lower(), when=when
    )


def move_undo_step(receipt: MoveReceipt, mentor: str, done: str) -> UndoStep:
    """The status bar's Undo for the move ``receipt`` describes."""
    return UndoStep(
        done=done,
        undo=lambda: request_store.undo_move(receipt),
        undone=_tr("{name}: back to {status}; the history keeps both steps.").format(
            name=mentor, status=label_of(receipt.from_status).lower()
        ),
        changes=Changes.REQUESTS | Changes.ASSIGNMENTS,
    )
