"""Assign letters to programs, from either side: the letters one program
gets, or the programs one letter goes to.

Each ticked pair goes through ``store.programs.assign``, which checks the
cycle's cap (4 per program for ERAS, 10 for AMCAS) in one transaction. A
refused pair is reported with the store's sentence and left unticked; the
other choices are saved, and the dialog stays open so the user can make
room (untick another letter) and try again.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date
from typing import Any, Generic

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QVBoxLayout,
    QWidget,
)

from desktop.domain.status import NOT_COMING_STATUSES
from desktop.domain.vocabulary import CapScope, LetterType, RequestStatus
from desktop.store import programs as program_store
from desktop.store.requests import RequestRow, load_request_row, load_request_rows
from desktop.store.settings import load_thresholds
from desktop.ui.common import (
    AnyIndex,
    Column,
    Row,
    RowTableModel,
    SaveFailed,
    confirm,
    guarded,
    label_for,
    label_of,
    line_edit,
    nulls_last,
    save_cancel_buttons,
    set_role,
    short_date,
    table_view,
)

from .program_columns import (
    ProgramLine,
    assigned_text,
    assigned_tooltip,
    coverage_label,
    coverage_tooltip,
)


class CheckableRowModel(RowTableModel[Row], Generic[Row]):
    """Rows with a check box in the first column. Checked ids are kept in
    the order they were ticked, so "the fifth letter" is the fifth ticked."""

    check_changed = Signal()

    def __init__(self, columns: Sequence[Column[Row]], parent=None) -> None:
        super().__init__(columns, parent)
        self._checked: dict[int, None] = {}

    def set_checked_ids(self, ids: Sequence[int]) -> None:
        self._checked = dict.fromkeys(ids)
        self._changed_all()

    def checked_ids(self) -> list[int]:
        return list(self._checked)

    def is_checked(self, row_id: int) -> bool:
        return row_id in self._checked

    def _changed_all(self) -> None:
        if self.rowCount():
            self.dataChanged.emit(
                self.index(0, 0),
                self.index(self.rowCount() - 1, 0),
                [Qt.ItemDataRole.CheckStateRole],
            )
        self.check_changed.emit()

    def flags(self, index: AnyIndex) -> Qt.ItemFlag:
        flags = super().flags(index)
        if index.isValid() and index.column() == 0:
            flags |= Qt.ItemFlag.ItemIsUserCheckable
        return flags

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role == Qt.ItemDataRole.CheckStateRole and index.column() == 0:
            row = self.row_at(index)
            if row is None:
                return None
            checked = row.id in self._checked  # type: ignore[attr-defined]
            return Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked
        return super().data(index, role)

    def setData(self, index: AnyIndex, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        row = self.row_at(index)
        if row is None or role != Qt.ItemDataRole.CheckStateRole or index.column() != 0:
            return False
        row_id = row.id  # type: ignore[attr-defined]
        if Qt.CheckState(value) == Qt.CheckState.Checked:
            self._checked.setdefault(row_id, None)
        else:
            self._checked.pop(row_id, None)
        self.dataChanged.emit(index, index, [Qt.ItemDataRole.CheckStateRole])
        self.check_changed.emit()
        return True


def _tr(text: str) -> str:
    from PySide6.QtCore import QCoreApplication

    return QCoreApplication.translate("AssignmentDialog", text)


def letter_choice_columns() -> list[Column[RequestRow]]:
    return [
        Column(_tr("Writer"), lambda r: r.mentor_name, lambda r: r.mentor_name.casefold()),
        Column(
            _tr("Type"),
            lambda r: label_for(LetterType, r.letter_type),
            lambda r: (r.letter_type, r.mentor_name.casefold()),
        ),
        Column(
            _tr("Specialty"),
            lambda r: r.specialty,
            lambda r: (r.specialty.casefold(), r.mentor_name.casefold()),
        ),
        Column(
            _tr("Status"),
            lambda r: label_for(RequestStatus, r.status),
            lambda r: (list(RequestStatus).index(r.status), r.mentor_name.casefold()),
        ),
        Column(_tr("Due"), lambda r: short_date(r.due_on), lambda r: nulls_last(r.due_on)),
        Column(
            _tr("Programs"),
            lambda r: str(r.program_count),
            lambda r: r.program_count,
            align_right=True,
        ),
    ]


def program_choice_columns() -> list[Column[ProgramLine]]:
    return [
        Column(_tr("Program"), lambda p: p.row.name, lambda p: p.row.name.casefold()),
        Column(
            _tr("Deadline"),
            lambda p: short_date(p.row.deadline),
            lambda p: (nulls_last(p.row.deadline), p.row.name.casefold()),
        ),
        Column(
            _tr("Status"),
            lambda p: label_of(p.row.status),
            lambda p: p.row.status,
        ),
        Column(
            _tr("Assigned"),
            lambda p: assigned_text(p.row),
            lambda p: p.row.assigned_count,
            align_right=True,
            tooltip=lambda p: assigned_tooltip(p.row),
        ),
        Column(
            _tr("Coverage"),
            lambda p: coverage_label(p.coverage),
            lambda p: coverage_label(p.coverage),
            tooltip=coverage_tooltip,
        ),
    ]


class AssignmentDialog(QDialog):
    """A checkable table of choices; Save assigns and unassigns."""

    def __init__(
        self,
        *,
        object_name: str,
        title: str,
        heading: str,
        columns: list[Column],
        load_rows: Callable[[], list],
        load_assigned: Callable[[], list[int]],
        pair: Callable[[int], tuple[int, int]],
        describe: Callable[[Any], str],
        counts: Callable[[Any], bool] | None = None,
        cap: int | None = None,
        muted: Callable[[Any], bool] | None = None,
        sort_column: int = 0,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName(object_name)
        self.setWindowTitle(title)
        self._load_rows = load_rows
        self._load_assigned = load_assigned
        self._pair = pair  # choice id -> (request id, program id)
        self._describe = describe
        self._counts = counts
        self._cap = cap
        self.changed = False

        self.heading = QLabel(heading)
        self.heading.setObjectName("assignmentHeading")
        self.heading.setWordWrap(True)
        set_role(self.heading, "section")
        self.filter = line_edit("assignmentFilter", placeholder=self.tr("Filter"))
        self.filter.setAccessibleName(self.tr("Filter the list"))
        self.filter.textChanged.connect(self._apply_filter)
        self.count_label = QLabel()
        self.count_label.setObjectName("assignmentCount")

        self.model: CheckableRowModel = CheckableRowModel(columns, self)
        if muted is not None:
            self.model.set_muted(muted)
        self.model.check_changed.connect(self._update_count)
        self.table = table_view(
            "assignmentChoices", self.model, self.tr("Choices"), sort_column=sort_column
        )
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for column in range(1, len(columns)):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)

        buttons = save_cancel_buttons(self)

        bar = QHBoxLayout()
        bar.addWidget(self.filter, 1)
        bar.addWidget(self.count_label)
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addLayout(bar)
        layout.addWidget(self.table, 1)
        layout.addWidget(buttons)
        self.resize(760, 460)
        self._saved: list[int] = []
        self._reload()

    # --- state -----------------------------------------------------------------

    def _reload(self) -> None:
        self.model.set_rows(self._load_rows())
        self._saved = self._load_assigned()
        self.model.set_checked_ids(self._saved)

    def _apply_filter(self, text: str) -> None:
        terms = text.casefold().split()
        self.model.set_filter(
            (lambda row: all(t in row.search_text for t in terms)) if terms else None
        )

    def _update_count(self) -> None:
        checked = self.model.checked_ids()
        if self._counts is None or self._cap is None:
            self.count_label.setText(self.tr("{n} ticked").format(n=len(checked)))
            return
        rows = {row.id: row for row in self.model.all_rows()}
        live = sum(1 for i in checked if i in rows and self._counts(rows[i]))
        self.count_label.setText(
            self.tr("{n} of {cap} letters").format(n=live, cap=self._cap)
            + (self.tr(" — over the cap") if live > self._cap else "")
        )
        set_role(self.count_label, "field-error" if live > self._cap else "hint")

    # --- saving ----------------------------------------------------------------

    def accept(self) -> None:
        checked = self.model.checked_ids()
        saved = set(self._saved)
        removed = [i for i in self._saved if i not in set(checked)]
        added = [i for i in checked if i not in saved]
        if not self._confirm_final(
            [self._pair(choice) for choice in added], [self._pair(choice) for choice in removed]
        ):
            return  # the ticks stay; nothing is saved
        choice_of = {self._pair(choice): choice for choice in (*added, *removed)}
        try:
            refused = guarded(
                self,
                lambda: program_store.change_assignments(
                    [self._pair(choice) for choice in removed],
                    [self._pair(choice) for choice in added],
                ),
            )
        except SaveFailed:
            return  # nothing saved; the ticks stay as the user left them
        refusals = [(choice_of[pair], message) for pair, message in refused]
        if removed or len(added) > len(refusals):
            self.changed = True
        if not refusals:
            super().accept()
            return
        rows = {row.id: row for row in self.model.all_rows()}
        self._reload()  # the saved state, with the refused choices unticked
        self._report(refusals, rows)

    def _confirm_final(self, add: list[tuple[int, int]], remove: list[tuple[int, int]]) -> bool:
        """Ask before an assignment the service will not let go of (ERAS, or
        a submitted letter at ResidencyCAS or AACOMAS); True to go ahead."""
        try:
            final = guarded(self, lambda: program_store.final_on_assigning(add, remove))
        except SaveFailed:
            return False
        if not final:
            return True
        services = sorted({f.service_name for f in final})
        return confirm(
            self,
            self.tr("Assign for good?"),
            self.tr(
                "{service} does not let you unassign a letter once it is assigned. "
                "{n} of your choices will be final."
            ).format(service=", ".join(services), n=len(final)),
            self.tr("Assign"),
            informative=self.tr(
                "LetterDesk marks them as sent to the service and keeps them assigned."
            ),
            object_name="confirmFinalAssignment",
        )

    def _report(self, refusals: list[tuple[int, str]], rows: dict[int, Any]) -> None:
        lines = [
            f"{self._describe(rows[choice])}: {message}" if choice in rows else message
            for choice, message in refusals
        ]
        box = QMessageBox(self)
        box.setObjectName("assignmentRefused")
        box.setIcon(QMessageBox.Icon.Warning)
        box.setWindowTitle(self.tr("Not assigned"))
        box.setText("\n\n".join(lines))
        box.setInformativeText(
            self.tr("Your other choices were saved. The refused ones are unticked.")
        )
        box.exec()


# --- the two sides ---------------------------------------------------------------------


def assign_letters_to_program(parent: QWidget | None, program_id: int) -> bool:
    """Choose the letters ``program_id`` gets, among its cycle's requests.
    True when an assignment was added or removed."""
    program = next((p for p in program_store.load_program_rows() if p.id == program_id), None)
    if program is None:
        return False
    dialog = AssignmentDialog(
        object_name="assignLettersDialog",
        title=_tr("Assign letters"),
        heading=_tr(
            "Letters for {program} ({cycle}; {cap}). "
            "Declined and withdrawn letters do not count toward the cap."
        ).format(program=program.name, cycle=program.cycle_name, cap=program.cap_text),
        columns=letter_choice_columns(),
        load_rows=lambda: load_request_rows(cycle_id=program.cycle_id),
        load_assigned=lambda: [
            a.request_id for a in program_store.assignments_for_program(program_id)
        ],
        pair=lambda request_id: (request_id, program_id),
        describe=lambda row: f"{row.mentor_name} ({label_for(LetterType, row.letter_type)})",
        counts=lambda row: row.status not in NOT_COMING_STATUSES,
        # The running count is this program's: it means the cap only when the
        # cap is per program (the store checks the others when saving).
        cap=program.max_letters if program.cap_scope == CapScope.PER_PROGRAM.value else None,
        muted=lambda row: row.status in NOT_COMING_STATUSES,
        sort_column=4,  # by due date: writer names start with their honorific
        parent=parent,
    )
    dialog.exec()
    return dialog.changed


def assign_programs_to_request(
    parent: QWidget | None,
    request_id: int,
    *,
    today: date | None = None,
) -> bool:
    """Choose the programs that get the letter ``request_id``, among its
    cycle's programs. True when an assignment was added or removed."""
    request = load_request_row(request_id)
    if request is None:
        return False
    day = today or date.today()

    def load_rows() -> list[ProgramLine]:
        coverage = program_store.coverage_for_programs(
            day, load_thresholds(), cycle_id=request.cycle_id, include_archived_cycles=True
        )
        return [
            ProgramLine(row.id, row, coverage.get(row.id))
            for row in program_store.load_program_rows(cycle_id=request.cycle_id)
        ]

    dialog = AssignmentDialog(
        object_name="assignProgramsDialog",
        title=_tr("Assign to programs"),
        heading=_tr("Programs that get the letter from {writer} ({type}, {specialty})").format(
            writer=request.mentor_name,
            type=label_for(LetterType, request.letter_type),
            specialty=request.specialty,
        ),
        columns=program_choice_columns(),
        load_rows=load_rows,
        load_assigned=lambda: [
            p.program_id for p in program_store.assignments_for_request(request_id)
        ],
        pair=lambda program_id: (request_id, program_id),
        describe=lambda line: line.row.name,
        muted=lambda line: line.row.status == "withdrawn",
        sort_column=1,  # by deadline
        parent=parent,
    )
    dialog.exec()
    return dialog.changed
