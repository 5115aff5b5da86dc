"""Add or edit a program: where it is, when letters are due, what it asks
for. Errors show next to the field as it is typed."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from PySide6.QtCore import QDate
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QPlainTextEdit,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from desktop.domain import validation as rules
from desktop.domain.letter_services import MAX_LETTERS_LIMIT
from desktop.domain.records import CycleRecord
from desktop.domain.vocabulary import ProgramStatus
from desktop.store.programs import ProgramFields
from desktop.ui.common import (
    FormValidator,
    choices,
    combo,
    date_edit,
    error_label,
    line_edit,
    save_cancel_buttons,
    with_error,
)


def _spin(name: str, value: int) -> QSpinBox:
    spin = QSpinBox()
    spin.setObjectName(name)
    spin.setRange(0, MAX_LETTERS_LIMIT)
    spin.setValue(value)
    spin.setMaximumWidth(90)
    return spin


class ProgramDialog(QDialog):
    def __init__(
        self,
        cycles: Sequence[CycleRecord],
        values: ProgramFields | None = None,
        parent: QWidget | None = None,
        *,
        cycle_id: int | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("programDialog")
        editing = values is not None
        if values is None:
            default_cycle = cycle_id if cycle_id is not None else (cycles[0].id if cycles else 0)
            values = ProgramFields(cycle_id=default_cycle, name="")
        self.setWindowTitle(self.tr("Edit program") if editing else self.tr("New program"))
        self._cycles = {c.id: c for c in cycles}
        self.validator = FormValidator(self)

        self.cycle = combo(
            "programCycle", [(c.name, str(c.id)) for c in cycles], str(values.cycle_id)
        )
        self.name = line_edit(
            "programName", values.name, self.tr("Lakeshore University Internal Medicine")
        )
        self.specialty = line_edit(
            "programSpecialty", values.specialty, self.tr("Internal Medicine")
        )
        self.location = line_edit("programLocation", values.location, self.tr("Chicago, IL"))
        self.status = combo("programStatus", choices(ProgramStatus), values.status)
        self.has_deadline = QCheckBox(self.tr("Letters due by"))
        self.has_deadline.setObjectName("hasDeadline")
        self.deadline = date_edit("programDeadline", values.deadline)
        self.deadline.setAccessibleName(self.tr("Deadline"))
        self.has_deadline.setChecked(values.deadline is not None)
        self.deadline.setEnabled(values.deadline is not None)
        self.has_deadline.toggled.connect(self.deadline.setEnabled)

        self.letters_required = _spin("lettersRequired", values.letters_required)
        self.specialty_letters = _spin(
            "specialtyLettersRequired", values.specialty_letters_required
        )
        self.chair_required = QCheckBox(self.tr("A department chair letter"))
        self.chair_required.setObjectName("chairLetterRequired")
        self.chair_required.setChecked(values.chair_letter_required)
        self.standardized_required = QCheckBox(self.tr("A standardized letter (SLOE/eSLOR)"))
        self.standardized_required.setObjectName("standardizedLetterRequired")
        self.standardized_required.setChecked(values.standardized_letter_required)
        self.notes = QPlainTextEdit(values.notes)
        self.notes.setObjectName("programNotes")
        self.notes.setAccessibleName(self.tr("Notes"))
        self.notes.setTabChangesFocus(True)
        self.notes.setFixedHeight(72)

        program_box = QGroupBox(self.tr("Program"))
        form = QFormLayout(program_box)
        form.addRow(self.tr("Cycle"), self.cycle)
        form.addRow(
            self.tr("Name *"),
            self._checked(
                self.name,
                "programNameError",
                lambda: (
                    rules.required(self.name.text(), self.tr("Name"))
                    or rules.single_line(self.name.text(), self.tr("Name"))
                ),
            ),
        )
        form.addRow(
            self.tr("Specialty"),
            self._checked(
                self.specialty,
                "programSpecialtyError",
                lambda: rules.single_line(
                    self.specialty.text(), self.tr("Specialty"), rules.NAME_MAX
                ),
            ),
        )
        form.addRow(
            self.tr("Location"),
            self._checked(
                self.location,
                "programLocationError",
                lambda: rules.single_line(self.location.text(), self.tr("Location")),
            ),
        )
        deadline_row = QHBoxLayout()
        deadline_row.setContentsMargins(0, 0, 0, 0)
        deadline_row.addWidget(self.has_deadline)
        deadline_row.addWidget(self.deadline)
        deadline_row.addStretch(1)
        form.addRow(self.tr("Deadline"), deadline_row)
        form.addRow(self.tr("Status"), self.status)

        needs_box = QGroupBox(self.tr("Letters it asks for"))
        needs = QFormLayout(needs_box)
        needs.addRow(
            self.tr("Letters in all"),
            self._checked(
                self.letters_required,
                "lettersRequiredError",
                self._check_letters_required,
                self.cycle,
                self.chair_required,
                self.standardized_required,
            ),
        )
        needs.addRow(
            self.tr("From the specialty"),
            self._checked(
                self.specialty_letters,
                "specialtyLettersError",
                self._check_specialty_letters,
                self.letters_required,
            ),
        )
        needs.addRow("", self.chair_required)
        needs.addRow("", self.standardized_required)
        needs.addRow(
            self.tr("Notes"),
            self._checked(
                self.notes,
                "programNotesError",
                lambda: rules.max_length(
                    self.notes.toPlainText(), rules.NOTES_MAX, self.tr("Notes")
                ),
            ),
        )

        buttons = save_cancel_buttons(self)

        layout = QVBoxLayout(self)
        layout.addWidget(program_box)
        layout.addWidget(needs_box)
        layout.addWidget(buttons)
        self.name.setFocus()
        # Room for a couple of error messages without squeezing the notes.
        self.resize(540, self.sizeHint().height() + 60)

    def _checked(self, field: QWidget, error_name: str, check, *also: QWidget) -> QWidget:
        label = error_label(error_name)
        self.validator.add(field, label, check, *also)
        return with_error(field, label)

    def _cap(self) -> tuple[int, str] | None:
        cycle = self._cycles.get(int(self.cycle.currentData() or 0))
        return (cycle.max_letters_per_program, cycle.name) if cycle else None

    def _check_letters_required(self) -> str | None:
        required = self.letters_required.value()
        cap = self._cap()
        if cap is not None and required > cap[0]:
            return self.tr(
                "{cycle} allows at most {cap} letters per program, so a program cannot require {n}."
            ).format(cycle=cap[1], cap=cap[0], n=required)
        kinds = int(self.chair_required.isChecked()) + int(self.standardized_required.isChecked())
        if required < kinds:
            return self.tr(
                "A chair letter and a standardized letter are two letters; require at least {n}."
            ).format(n=kinds)
        return None

    def _check_specialty_letters(self) -> str | None:
        if self.specialty_letters.value() > self.letters_required.value():
            return self.tr("Cannot be more than the letters in all ({n}).").format(
                n=self.letters_required.value()
            )
        return None

    def accept(self) -> None:
        if self.validator.validate_all():
            super().accept()

    def deadline_value(self) -> date | None:
        if not self.has_deadline.isChecked():
            return None
        value: QDate = self.deadline.date()
        return date(value.year(), value.month(), value.day())

    def values(self) -> ProgramFields:
        return ProgramFields(
            cycle_id=int(self.cycle.currentData()),
            name=self.name.text().strip(),
            specialty=self.specialty.text().strip(),
            location=self.location.text().strip(),
            deadline=self.deadline_value(),
            status=self.status.currentData() or ProgramStatus.CONSIDERING.value,
            letters_required=self.letters_required.value(),
            specialty_letters_required=self.specialty_letters.value(),
            chair_letter_required=self.chair_required.isChecked(),
            standardized_letter_required=self.standardized_required.isChecked(),
            notes=self.notes.toPlainText().strip(),
        )
