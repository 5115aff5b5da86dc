"""A new letter request: the request form beside the mentors ranked for
the letter, with the reasons, so the writer is chosen on what the user
logged rather than on a number.

The dialog saves itself and stays open on a refusal, so nothing typed is
lost.
"""

from __future__ import annotations

from datetime import date

from PySide6.QtWidgets import QDialog, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from desktop.store import requests as store
from desktop.store.requests import RequestFields
from desktop.store.settings import load_thresholds
from desktop.ui.common import save_cancel_buttons, set_role
from desktop.ui.requests.decline_flow import CandidateList
from desktop.ui.requests.request_form import RequestForm


class NewRequestDialog(QDialog):
    """``request_id`` is the new request's id once it is saved."""

    def __init__(
        self,
        *,
        mentor_id: int | None = None,
        today: date | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("requestDialog")
        self.setWindowTitle(self.tr("New letter request"))
        self.today = today or date.today()
        self.request_id: int | None = None
        self.form = RequestForm(
            RequestFields(mentor_id=mentor_id or 0, cycle_id=0),
            today=self.today,
            thresholds=load_thresholds(),
        )

        heading = QLabel(self.tr("Who could write it"))
        heading.setObjectName("candidatesHeading")
        set_role(heading, "section")
        hint = QLabel(
            self.tr(
                "Ranked for this letter type and specialty by strength, what you "
                "logged with them and how recently. Click one to choose them."
            )
        )
        hint.setWordWrap(True)
        set_role(hint, "hint")
        self.candidates = CandidateList("candidates")
        self.candidates.itemClicked.connect(
            lambda _item: self.form.choose_writer(self.candidates.selected_mentor())
        )
        self.form.need_changed.connect(self._refresh_candidates)
        side = QWidget()
        side_layout = QVBoxLayout(side)
        side_layout.setContentsMargins(8, 0, 0, 0)
        side_layout.addWidget(heading)
        side_layout.addWidget(hint)
        side_layout.addWidget(self.candidates, 1)

        left = QVBoxLayout()
        left.addWidget(self.form)
        left.addStretch(1)
        body = QHBoxLayout()
        body.addLayout(left, 3)
        body.addWidget(side, 2)
        layout = QVBoxLayout(self)
        layout.addLayout(body, 1)
        layout.addWidget(save_cancel_buttons(self))
        self._refresh_candidates()
        self.resize(1000, 640)

    def _refresh_candidates(self) -> None:
        need = self.form.letter_need()
        if need is None:
            return
        ranked = store.candidates_for(need, today=self.today, cycle_id=self.form.chosen_cycle())
        self.candidates.show_candidates(ranked, self.form.writer_names())
        writer = self.form.chosen_writer()
        if writer:
            self.candidates.select_mentor(writer)

    def accept(self) -> None:
        def create(values: RequestFields) -> None:
            self.request_id = store.create_request(values)

        if self.form.save(create):
            super().accept()


def run_new_request_dialog(
    parent: QWidget, *, mentor_id: int | None = None, today: date | None = None
) -> int | None:
    """Ask for a new request (for ``mentor_id`` when given), modal; the new
    request's id, or None when the user cancelled."""
    dialog = NewRequestDialog(mentor_id=mentor_id, today=today, parent=parent)
    dialog.exec()
    return dialog.request_id
