"""The right-hand panel of the Programs page: one program's requirements,
its coverage with the reasons, and the letters assigned to it."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import (
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from desktop.domain.coverage import CoverageState, LetterState, ProgramCoverage, Risk
from desktop.domain.vocabulary import LetterType, RequestStatus
from desktop.store.programs import AssignedLetter
from desktop.ui.common import (
    Column,
    DetailPanel,
    FlowLayout,
    RowTableModel,
    compact_table,
    label_for,
    label_of,
    set_role,
    short_date,
    value_label,
)

from .program_columns import (
    COVERAGE_COLOURS,
    ProgramLine,
    assigned_text,
    assigned_tooltip,
    coverage_label,
    deadline_tooltip,
    requirements_sentence,
)


def _tr(text: str) -> str:
    return QCoreApplication.translate("ProgramDetail", text)


_STANDING_LABELS = {
    LetterState.SUBMITTED: "Submitted",
    LetterState.ON_TRACK: "On track",
    LetterState.AT_RISK: "At risk",
    LetterState.NOT_COUNTED: "Not counted",
}


# The full phrase is in the coverage reasons above the table.
_SHORT_RISKS = {
    Risk.DECLINED: "declined",
    Risk.OVERDUE: "overdue",
    Risk.LATE_ASK: "ask now",
    Risk.AFTER_DEADLINE: "due too late",
}


class LetterLine:
    """An assigned letter with how it stands for this program."""

    __slots__ = ("id", "letter", "standing")

    def __init__(self, letter: AssignedLetter, standing: str) -> None:
        self.id = letter.request_id
        self.letter = letter
        self.standing = standing


def _standing_text(coverage: ProgramCoverage | None, request_id: int) -> str:
    if coverage is None:
        return ""
    for standing in coverage.letters:
        if standing.request_id == request_id:
            text = _tr(_STANDING_LABELS[standing.state])
            if standing.risk is not None:
                text += ": " + _tr(_SHORT_RISKS[standing.risk])
            return text
    return "—"  # withdrawn programs are not evaluated letter by letter


def _letter_tooltip(line: LetterLine) -> str:
    letter = line.letter
    due = short_date(letter.due_on) or _tr("no due date")
    return "\n".join(
        (
            letter.mentor_name,
            f"{label_for(LetterType, letter.letter_type)} · {letter.specialty}",
            _tr("Due {date}").format(date=due),
            line.standing,
            # The service keeps it: Unassign will be refused, and says why.
            _tr("Sent to the service: it stays assigned.") if letter.final else "",
        )
    ).strip()


def letter_columns() -> list[Column[LetterLine]]:
    """Four narrow columns for the side panel; the rest is in the tooltip."""
    return [
        Column(
            _tr("Writer"),
            lambda r: r.letter.mentor_name,
            lambda r: r.letter.mentor_name,
            tooltip=_letter_tooltip,
        ),
        Column(
            _tr("Type"),
            lambda r: label_of(r.letter.letter_type),
            lambda r: r.letter.letter_type,
            tooltip=_letter_tooltip,
        ),
        Column(
            _tr("Status"),
            lambda r: label_for(RequestStatus, r.letter.status),
            lambda r: list(RequestStatus).index(r.letter.status),
            tooltip=_letter_tooltip,
        ),
        Column(
            _tr("For this program"),
            lambda r: r.standing,
            lambda r: r.standing,
            tooltip=_letter_tooltip,
        ),
    ]


class ProgramDetail(DetailPanel):
    """Shows a program; buttons emit what the user asked for, the page acts."""

    assign_requested = Signal()
    unassign_requested = Signal(int)  # request id
    edit_requested = Signal()
    delete_requested = Signal()
    open_request_requested = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(
            "programDetail", self.tr("Select a program to see its letters and coverage."), parent
        )

    def build_content(self) -> QWidget:
        self.name_label = value_label("programTitle")
        set_role(self.name_label, "heading")
        self.where_label = value_label("programWhere")
        self.coverage_label = value_label("coverageState")
        set_role(self.coverage_label, "subheading")
        self.reasons_label = value_label("coverageReasons")
        self.deadline_label = value_label("programDeadlineText")
        self.status_label = value_label("programStatusText")
        self.requires_label = value_label("programRequires")
        self.notes_label = value_label("programNotesText")

        self.assign_button = QPushButton(self.tr("Assign letters…"))
        self.assign_button.setObjectName("assignLetters")
        set_role(self.assign_button, "primary")
        self.edit_button = QPushButton(self.tr("Edit…"))
        self.edit_button.setObjectName("editProgram")
        self.delete_button = QPushButton(self.tr("Delete…"))
        self.delete_button.setObjectName("deleteProgram")
        self.assign_button.clicked.connect(self.assign_requested)
        self.edit_button.clicked.connect(self.edit_requested)
        self.delete_button.clicked.connect(self.delete_requested)
        actions = FlowLayout()
        for button in (self.assign_button, self.edit_button, self.delete_button):
            actions.addWidget(button)
        actions.addStretch(1)

        facts = QFormLayout()
        facts.addRow(self.tr("Deadline"), self.deadline_label)
        facts.addRow(self.tr("Status"), self.status_label)
        facts.addRow(self.tr("Requires"), self.requires_label)
        facts.addRow(self.tr("Notes"), self.notes_label)

        self.letters_model: RowTableModel[LetterLine] = RowTableModel(letter_columns(), self)
        self.letters_table = compact_table("assignedLetters", self.letters_model)
        self.letters_table.setAccessibleName(self.tr("Assigned letters"))
        header = self.letters_table.horizontalHeader()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for column in range(1, 4):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        self.letters_table.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.letters_table.doubleClicked.connect(
            lambda index: self.open_request_requested.emit(self.letters_model.row_at(index).id)
        )
        self.letters_heading = QLabel()
        self.letters_heading.setObjectName("assignedHeading")
        set_role(self.letters_heading, "section")
        self.unassign_button = QPushButton(self.tr("Unassign"))
        self.unassign_button.setObjectName("unassignLetter")
        self.unassign_button.clicked.connect(self._unassign_selected)
        self.no_letters = QLabel(self.tr("No letters assigned yet."))
        self.no_letters.setObjectName("noLettersAssigned")
        set_role(self.no_letters, "hint")
        letters_head = QHBoxLayout()
        letters_head.addWidget(self.letters_heading)
        letters_head.addStretch(1)
        letters_head.addWidget(self.unassign_button)

        content = QWidget()
        layout = QVBoxLayout(content)
        layout.addWidget(self.name_label)
        layout.addWidget(self.where_label)
        layout.addLayout(actions)
        layout.addWidget(self.coverage_label)
        layout.addWidget(self.reasons_label)
        layout.addLayout(facts)
        layout.addLayout(letters_head)
        layout.addWidget(self.no_letters)
        layout.addWidget(self.letters_table)
        layout.addStretch(1)
        scroll = QScrollArea()
        scroll.setObjectName("programDetailScroll")
        scroll.setWidgetResizable(True)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        scroll.setWidget(content)
        return scroll

    def _unassign_selected(self) -> None:
        row = self.letters_model.row_at(self.letters_table.currentIndex())
        if row is not None:
            self.unassign_requested.emit(row.id)

    def reasons(self) -> list[str]:
        """The coverage reasons as shown, one per line."""
        return [line.removeprefix("• ") for line in self.reasons_label.text().splitlines()]

    def show_program(
        self, line: ProgramLine, letters: list[AssignedLetter], notes: str, today: date
    ) -> None:
        row, coverage = line.row, line.coverage
        self.name_label.setText(row.name)
        self.where_label.setText(
            " · ".join(p for p in (row.specialty, row.location, row.cycle_name) if p)
        )
        if coverage is not None:
            self.coverage_label.setText(
                self.tr("Coverage: {state}").format(state=coverage_label(coverage))
            )
            palette = self.coverage_label.palette()
            palette.setColor(
                QPalette.ColorRole.WindowText, QColor(COVERAGE_COLOURS[coverage.state])
            )
            self.coverage_label.setPalette(palette)
            reasons = list(coverage.reasons)
            if coverage.state is CoverageState.NOT_EVALUATED:
                reasons = [self.tr("You withdrew from this program; its letters are not checked.")]
            self.reasons_label.setText("\n".join(f"• {r}" for r in reasons))
        else:
            self.coverage_label.setText("")
            self.reasons_label.setText("")
        self.deadline_label.setText(
            f"{short_date(row.deadline)} ({deadline_tooltip(row.deadline, today).lower()})"
            if row.deadline
            else deadline_tooltip(None, today)
        )
        self.status_label.setText(label_of(row.status))
        self.requires_label.setText(requirements_sentence(row))
        self.notes_label.setText(notes or "—")
        self.letters_heading.setText(self.tr("Assigned letters ({n})").format(n=assigned_text(row)))
        self.letters_heading.setToolTip(assigned_tooltip(row))
        self.letters_model.set_rows(
            [LetterLine(letter, _standing_text(coverage, letter.request_id)) for letter in letters]
        )
        self.no_letters.setVisible(not letters)
        self.letters_table.setVisible(bool(letters))
        self.unassign_button.setEnabled(bool(letters))
        # Size the list to its rows: a short list without a tall empty box.
        table = self.letters_table
        row_height = table.rowHeight(0) if letters else table.verticalHeader().defaultSectionSize()
        shown = max(1, min(len(letters), 10))
        frame = 2 * table.frameWidth()
        table.setFixedHeight(
            table.horizontalHeader().sizeHint().height() + shown * row_height + frame
        )
        self.show_content()
