"""A new letter request: the request form beside the mentors ranked for
the letter, with the reasons, so the writer is chosen on what the user
logged rather than on a number; and the cycle's programs, ticked to assign
the letter to them as it is created (asked first where the service makes
an assignment final at once, as ERAS does).

It starts from what the app knows: the profile's specialty, the writer's
usual letter type, the programs' earliest deadline as the due date. The
dialog saves itself and stays open on a refusal, so nothing typed is lost.
"""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QVBoxLayout,
    QWidget,
)

from desktop.domain.letter_services import assigning_is_final, service_rules
from desktop.domain.records import GENERAL_SPECIALTY
from desktop.domain.vocabulary import ProgramStatus, RequestStatus
from desktop.store import programs as program_store
from desktop.store import requests as store
from desktop.store.profile import get_profile
from desktop.store.requests import RequestFields
from desktop.store.settings import load_thresholds
from desktop.ui.common import confirm, save_cancel_buttons, set_role, short_date
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
        self.refused: list[tuple[int, str]] = []  # programs that did not take the letter
        profile = get_profile()
        specialty = (profile.target_specialty.strip() if profile else "") or GENERAL_SPECIALTY
        self._deadlines: dict[int, date | None] = {}
        self.form = RequestForm(
            RequestFields(mentor_id=mentor_id or 0, cycle_id=0, specialty=specialty),
            today=self.today,
            thresholds=load_thresholds(),
            type_follows_writer=True,
            deadlines=self._chosen_deadlines,
        )
        programs_heading = QLabel(self.tr("Programs that get this letter"))
        programs_heading.setObjectName("programsHeading")
        set_role(programs_heading, "section")
        self.programs = QListWidget()
        self.programs.setObjectName("requestPrograms")
        self.programs.setAccessibleName(self.tr("Programs that get this letter"))
        self.programs.setMinimumHeight(90)
        self.programs.itemChanged.connect(lambda _item: self.form.programs_changed())
        self.no_programs = QLabel()
        self.no_programs.setObjectName("noProgramsHint")
        self.no_programs.setWordWrap(True)
        set_role(self.no_programs, "hint")
        self.form.cycle.currentIndexChanged.connect(lambda _i: self._fill_programs())
        self._fill_programs()

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
        left.addWidget(programs_heading)
        left.addWidget(self.programs, 1)
        left.addWidget(self.no_programs)
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

    # --- programs -----------------------------------------------------------------

    def _fill_programs(self) -> None:
        """The chosen cycle's programs still in play, soonest deadline first."""
        self.programs.blockSignals(True)
        self.programs.clear()
        self._deadlines.clear()
        cycle_id = self.form.chosen_cycle()
        rows = [] if cycle_id is None else program_store.load_program_rows(cycle_id=cycle_id)
        rows = [r for r in rows if r.status is not ProgramStatus.WITHDRAWN]
        rows.sort(key=lambda r: (r.deadline or date.max, r.name.casefold()))
        for row in rows:
            text = (
                self.tr("{name} — deadline {day}").format(
                    name=row.name, day=short_date(row.deadline)
                )
                if row.deadline
                else row.name
            )
            item = QListWidgetItem(text, self.programs)
            item.setData(Qt.ItemDataRole.UserRole, row.id)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Unchecked)
            self._deadlines[row.id] = row.deadline
        self.programs.blockSignals(False)
        self.programs.setVisible(bool(rows))
        self.no_programs.setText(
            self.tr("No programs in this cycle yet; add them on the Programs page.")
        )
        self.no_programs.setVisible(not rows)
        self.form.programs_changed()

    def chosen_programs(self) -> list[int]:
        return [
            self.programs.item(i).data(Qt.ItemDataRole.UserRole)
            for i in range(self.programs.count())
            if self.programs.item(i).checkState() == Qt.CheckState.Checked
        ]

    def choose_program(self, program_id: int, chosen: bool = True) -> None:
        for i in range(self.programs.count()):
            item = self.programs.item(i)
            if item.data(Qt.ItemDataRole.UserRole) == program_id:
                item.setCheckState(Qt.CheckState.Checked if chosen else Qt.CheckState.Unchecked)

    def _chosen_deadlines(self) -> list[date]:
        return [d for p in self.chosen_programs() if (d := self._deadlines.get(p)) is not None]

    def _confirm_final(self, programs: list[int]) -> bool:
        """Where the service makes an assignment final at once (ERAS), ask
        before the new letter goes to the programs ticked; True to go ahead."""
        service = self.form.chosen_service()
        if not programs or service is None:
            return True
        if not assigning_is_final(service, RequestStatus.PLANNED):
            return True
        if not self.form.validator.validate_all():
            return True  # the save shows what to fix; nothing is asked yet
        return confirm(
            self,
            self.tr("Assign for good?"),
            self.tr(
                "{service} does not let you unassign a letter once it is assigned. "
                "Assign this letter to the {n} programs ticked now?"
            ).format(service=service_rules(service).display_name, n=len(programs))
            if len(programs) > 1
            else self.tr(
                "{service} does not let you unassign a letter once it is assigned. "
                "Assign this letter to the program ticked now?"
            ).format(service=service_rules(service).display_name),
            self.tr("Assign"),
            informative=self.tr(
                "Cancel goes back to the request; untick the programs to save it unassigned "
                "and assign it later in Programs."
            ),
            object_name="confirmNewRequestAssignment",
        )

    def accept(self) -> None:
        programs = self.chosen_programs()
        if not self._confirm_final(programs):
            return  # nothing saved; the dialog keeps what was typed and ticked

        def create(values: RequestFields) -> None:
            self.request_id, self.refused = program_store.create_request_for_programs(
                values, programs
            )

        if not self.form.save(create):
            return
        if self.refused:
            QMessageBox.information(
                self,
                self.tr("Some programs did not take the letter"),
                self.tr("The request is saved. Not assigned:\n{reasons}").format(
                    reasons="\n".join(f"• {reason}" for _program, reason in self.refused)
                ),
            )
        super().accept()


def run_new_request_dialog(
    parent: QWidget, *, mentor_id: int | None = None, today: date | None = None
) -> int | None:
    """Ask for a new request (for ``mentor_id`` when given), modal; the new
    request's id, or None when the user cancelled."""
    dialog = NewRequestDialog(mentor_id=mentor_id, today=today, parent=parent)
    dialog.exec()
    return dialog.request_id
