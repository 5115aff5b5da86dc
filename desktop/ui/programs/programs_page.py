"""Programs page: the programs of a cycle with their letter requirements
and coverage (met, at risk, not met), the selected program's reasons and
assigned letters beside the table."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QItemSelection
from PySide6.QtWidgets import (
    QComboBox,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from desktop.domain.coverage import CoverageState
from desktop.domain.records import CycleRecord
from desktop.domain.vocabulary import ProgramStatus
from desktop.store import programs as program_store
from desktop.store.programs import ProgramFields
from desktop.store.settings import load_thresholds
from desktop.store.today import load_cycle_records
from desktop.ui.common import (
    Changes,
    FlowLayout,
    Intent,
    Page,
    PageContext,
    SaveFailed,
    Target,
    choices,
    confirm,
    empty_state,
    guarded,
    label_of,
    list_beside_detail,
    set_role,
    table_view,
)
from desktop.ui.programs.assignment_dialog import assign_letters_to_program
from desktop.ui.programs.program_detail import ProgramDetail
from desktop.ui.programs.program_dialog import ProgramDialog

from .program_columns import (
    DEADLINE_COLUMN,
    ProgramLine,
    ProgramTableModel,
    coverage_icon,
    program_columns,
)

ACTIVE = "active"  # status filter: every status but withdrawn


class ProgramsPage(Page):
    """Controller and layout of the Programs page."""

    # Coverage depends on the letters, their writers and the advice thresholds.
    WATCHES = (
        Changes.PROGRAMS | Changes.ASSIGNMENTS | Changes.REQUESTS | Changes.CYCLES
        | Changes.MENTORS | Changes.ADVICE_SETTINGS
    )  # fmt: skip

    def __init__(self, context: PageContext, parent: QWidget | None = None) -> None:
        super().__init__(context, parent)
        self.setObjectName("programsPage")
        self._today = date.today()
        self._search_terms: list[str] = []
        self._cycles: list[CycleRecord] = []

        self.model = ProgramTableModel(program_columns(self._today), self)
        self.model.set_muted(lambda line: line.row.status == "withdrawn")
        self.table = table_view(
            "programsTable", self.model, self.tr("Programs"), sort_column=DEADLINE_COLUMN
        )
        header = self.table.horizontalHeader()
        # What decides the next step comes first (deadline, status, coverage);
        # specialty and location give way to a horizontal scroll when space
        # is short, and the last column takes what is left when it is not.
        header.setStretchLastSection(True)
        header.setMinimumSectionSize(40)
        for column, width in enumerate((220, 84, 84, 64, 112, 160, 130)):
            header.resizeSection(column, width)
        self.table.selectionModel().selectionChanged.connect(self._selection_changed)
        self.table.doubleClicked.connect(lambda _index: self.edit_selected())

        self.cycle_filter = QComboBox()
        self.cycle_filter.setObjectName("programCycleFilter")
        self.cycle_filter.setAccessibleName(self.tr("Filter by cycle"))
        self.cycle_filter.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.cycle_filter.currentIndexChanged.connect(lambda _index: self._apply_filter())
        self.status_filter = QComboBox()
        self.status_filter.setObjectName("programStatusFilter")
        self.status_filter.setAccessibleName(self.tr("Filter by status"))
        self.status_filter.addItem(self.tr("All statuses"), None)
        self.status_filter.addItem(self.tr("Not withdrawn"), ACTIVE)
        for label, value in choices(ProgramStatus):
            self.status_filter.addItem(label, value)
        self.status_filter.currentIndexChanged.connect(lambda _index: self._apply_filter())
        self.coverage_filter = QComboBox()
        self.coverage_filter.setObjectName("programCoverageFilter")
        self.coverage_filter.setAccessibleName(self.tr("Filter by coverage"))
        self.coverage_filter.addItem(self.tr("Any coverage"), None)
        for state in CoverageState:
            self.coverage_filter.addItem(coverage_icon(state), label_of(state), state.value)
        self.coverage_filter.currentIndexChanged.connect(lambda _index: self._apply_filter())
        self.count_label = QLabel()
        self.count_label.setObjectName("programCount")
        self.add_button = QPushButton(self.tr("Add program…"))
        self.add_button.setObjectName("addProgram")
        set_role(self.add_button, "primary")
        self.add_button.clicked.connect(self.add_program)

        bar = FlowLayout()
        bar.addWidget(self.cycle_filter)
        bar.addWidget(self.status_filter)
        bar.addWidget(self.coverage_filter)
        bar.addStretch(1)
        bar.addWidget(self.count_label)
        bar.addWidget(self.add_button)

        self.detail = ProgramDetail()
        self.detail.assign_requested.connect(self.assign_letters)
        self.detail.unassign_requested.connect(self.unassign_letter)
        self.detail.edit_requested.connect(self.edit_selected)
        self.detail.delete_requested.connect(self.delete_selected)

        self.empty_state = empty_state(
            "programsEmptyState",
            self.tr(
                "No programs yet. Add the programs you are applying to, with the letters "
                "each one asks for; LetterDesk then shows which are covered and which "
                "still need a letter."
            ),
        )

        self.splitter = list_beside_detail(
            "programsSplitter", bar, self.table, self.empty_state, self.detail
        )
        # Wide enough for the writers' names in the letters list; the table
        # keeps its first five columns (through Coverage) in view.
        self.detail.setMinimumWidth(420)
        self.splitter.setSizes([680, 440])
        layout = QVBoxLayout(self)
        layout.addWidget(self.splitter)
        self.reload()

    # --- loading and filtering ---------------------------------------------

    def reload(self) -> None:
        """Load programs, cycles and coverage again (a few thousand programs
        at most: three queries and the coverage rules)."""
        selected = self.selected_id()
        self._today = date.today()
        coverage = program_store.coverage_for_programs(
            self._today, load_thresholds(), include_archived_cycles=True
        )
        lines = [
            ProgramLine(row.id, row, coverage.get(row.id))
            for row in program_store.load_program_rows()
        ]
        self.model.set_rows(lines)
        self._load_cycles()
        self._apply_filter(selected)

    def _load_cycles(self) -> None:
        """Fill the cycle filter, keeping the user's choice; the first time,
        pick the newest cycle that is in season (else all cycles)."""
        first_time = not self._cycles
        current = self.cycle_filter.currentData()
        self._cycles = load_cycle_records()
        self.cycle_filter.blockSignals(True)
        self.cycle_filter.clear()
        self.cycle_filter.addItem(self.tr("All cycles"), None)
        for cycle in reversed(self._cycles):  # newest first
            label = cycle.name + (self.tr(" (archived)") if cycle.archived else "")
            self.cycle_filter.addItem(label, cycle.id)
        if first_time:
            current = next((c.id for c in reversed(self._cycles) if c.in_season(self._today)), None)
        index = self.cycle_filter.findData(current)
        self.cycle_filter.setCurrentIndex(max(index, 0))
        self.cycle_filter.blockSignals(False)
        self.add_button.setEnabled(bool(self._cycles))
        self.add_button.setToolTip(
            "" if self._cycles else self.tr("Create an application cycle first.")
        )

    def set_search_text(self, text: str) -> None:
        self._search_terms = text.casefold().split()
        self._apply_filter()

    def _apply_filter(self, keep_selected: int | None = None) -> None:
        cycle = self.cycle_filter.currentData()
        status = self.status_filter.currentData()
        state = self.coverage_filter.currentData()
        terms = self._search_terms
        selected = keep_selected or self.selected_id()
        if cycle is None and status is None and state is None and not terms:
            self.model.set_filter(None)
        else:
            self.model.set_filter(
                lambda line: (
                    (cycle is None or line.row.cycle_id == cycle)
                    and (
                        status is None
                        or line.row.status == status
                        or (status == ACTIVE and line.row.status != "withdrawn")
                    )
                    and (state is None or line.state == state)
                    and all(term in line.row.search_text for term in terms)
                )
            )
        self._after_filter(selected)

    def _after_filter(self, keep_selected: int | None) -> None:
        shown, total = self.model.rowCount(), self.model.total_count()
        self.count_label.setText(
            self.tr("{shown:,} of {total:,} programs").format(shown=shown, total=total)
        )
        self.empty_state.setVisible(total == 0)
        self.table.setVisible(total > 0)
        if keep_selected is not None and self.select_id(keep_selected):
            return
        self.detail.show_placeholder(
            self.tr("No program matches the search and filters.")
            if total and not shown
            else self.tr("Select a program to see its letters and coverage.")
        )

    # --- selection ---------------------------------------------------------

    def selected_id(self) -> int | None:
        row = self.model.row_at(self.table.currentIndex())
        selected = self.table.selectionModel().hasSelection()
        return row.id if row is not None and selected else None

    def select_id(self, program_id: int) -> bool:
        number = self.model.row_of_id(program_id)
        if number < 0:
            return False
        self.table.selectRow(number)
        self.table.scrollTo(self.model.index(number, 0))
        self._show_detail(program_id)
        return True

    def go_to(self, target: Target) -> None:
        if target.intent is Intent.NEW:
            self.add_program()
        elif target.item_id is not None:
            self.open_program(target.item_id)

    def open_program(self, program_id: int) -> None:
        """Show and select a program, widening the filters if they hide it."""
        if self.select_id(program_id):
            return
        for combo in (self.cycle_filter, self.status_filter, self.coverage_filter):
            combo.setCurrentIndex(0)
        if not self.select_id(program_id) and self._search_terms:
            self.status_message.emit(self.tr("Clear the search to see that program."))

    def _selection_changed(self, _selected: QItemSelection, _deselected: QItemSelection) -> None:
        program_id = self.selected_id()
        if program_id is not None:
            self._show_detail(program_id)

    def _show_detail(self, program_id: int) -> None:
        line = self.model.row_at(self.model.index(self.model.row_of_id(program_id), 0))
        notes = program_store.program_notes(program_id)
        if line is None or notes is None:  # deleted meanwhile (another window)
            return
        self.detail.show_program(
            line, program_store.assignments_for_program(program_id), notes, self._today
        )

    def _changed(self, program_id: int | None) -> None:
        self.reload()
        if program_id is not None:
            self.select_id(program_id)
        self.data_changed.emit(Changes.PROGRAMS | Changes.ASSIGNMENTS)

    # --- actions -----------------------------------------------------------

    def _dialog(self, values: ProgramFields | None) -> ProgramDialog:
        return ProgramDialog(
            [c for c in self._cycles if not c.archived or (values and values.cycle_id == c.id)],
            values,
            parent=self,
            cycle_id=self.cycle_filter.currentData(),
        )

    def add_program(self) -> None:
        if not self._cycles:
            return
        dialog = self._dialog(None)
        while dialog.exec():
            try:
                values = dialog.values()
                program_id = guarded(self, lambda v=values: program_store.create_program(v))
            except SaveFailed:
                continue  # the dialog reopens with what the user typed
            self._changed(program_id)
            if self.selected_id() != program_id:
                self.status_message.emit(
                    self.tr("Added {name}; the current filter hides it.").format(name=values.name)
                )
            return

    def edit_selected(self) -> None:
        program_id = self.selected_id()
        if program_id is None:
            return
        values = program_store.load_program_fields(program_id)
        if values is None:  # deleted meanwhile (another window)
            return
        dialog = self._dialog(values)
        while dialog.exec():
            try:
                # A refusal (moving a program with letters to another cycle)
                # is shown, and the form reopens with the user's choices.
                guarded(self, lambda: program_store.update_program(program_id, dialog.values()))
            except SaveFailed:
                continue
            self._changed(program_id)
            return

    def delete_selected(self) -> None:
        program_id = self.selected_id()
        if program_id is None:
            return
        values = program_store.load_program_fields(program_id)
        if values is None:
            return
        if not confirm(
            self,
            self.tr("Delete program"),
            self.tr(
                "Delete {name}? Its letter assignments are removed; the letters themselves stay."
            ).format(name=values.name),
            self.tr("Delete program"),
            destructive=True,
            object_name="deleteProgramConfirm",
        ):
            return
        try:
            guarded(self, lambda: program_store.delete_program(program_id))
        except SaveFailed:
            return
        self._changed(None)

    def assign_letters(self) -> None:
        program_id = self.selected_id()
        if program_id is not None and assign_letters_to_program(self, program_id):
            self._changed(program_id)

    def unassign_letter(self, request_id: int) -> None:
        program_id = self.selected_id()
        if program_id is None:
            return
        try:
            guarded(self, lambda: program_store.unassign(request_id, program_id))
        except SaveFailed:
            return
        self._changed(program_id)
