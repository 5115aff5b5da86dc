"""File → Profile and cycles: edit who is applying, and add, edit or archive
application cycles (their letter cap and key dates, such as Match day).

The profile is saved with the dialog's Save button; each cycle change is
saved as soon as its own form is saved, so the list always shows the store.
"""

from __future__ import annotations

from datetime import date
from functools import partial

from PySide6.QtCore import QDate
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QDateEdit,
    QDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop.domain.letter_services import cap_sentence, service_rules
from desktop.domain.vocabulary import Service
from desktop.store import profile as profile_store
from desktop.store.profile import CycleFields, CycleRow, ProfileFields
from desktop.ui.common import (
    FormValidator,
    SaveFailed,
    date_edit,
    error_label,
    guarded,
    label_for,
    save_cancel_buttons,
    set_role,
    with_error,
)
from desktop.ui.profile.profile_forms import CycleBasics, ProfileForm

# (field name, object name, label) in the order the dates must fall.
DATE_FIELDS = (
    ("opens_on", "opensOn", "Opens"),
    ("submissions_open_on", "submissionsOpenOn", "Submissions open"),
    ("review_starts_on", "reviewStartsOn", "Programs review from"),
    ("outcome_on", "outcomeOn", "Outcome (Match day)"),
)


class _DateField:
    """A date with an "unknown" checkbox; unknown means no date stored."""

    def __init__(self, object_name: str, label: str, value: date | None, today: date) -> None:
        self.label = label
        self.edit: QDateEdit = date_edit(object_name, value or today)
        self.edit.setAccessibleName(label)
        self.unknown = QCheckBox("unknown")
        self.unknown.setObjectName(object_name + "Unknown")
        self.unknown.setAccessibleName(f"{label} unknown")
        self.unknown.toggled.connect(lambda checked: self.edit.setEnabled(not checked))
        self.unknown.setChecked(value is None)
        self.edit.setEnabled(value is not None)
        self.error = error_label(object_name + "Error")

    def value(self) -> date | None:
        if self.unknown.isChecked():
            return None
        return self.edit.date().toPython()  # type: ignore[return-value]

    def set_value(self, value: date | None) -> None:
        if value is not None:
            self.edit.setDate(QDate(value.year, value.month, value.day))
        self.unknown.setChecked(value is None)

    def widget(self) -> QWidget:
        row = QWidget()
        layout = QHBoxLayout(row)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.edit, 1)
        layout.addWidget(self.unknown)
        return with_error(row, self.error)


class CycleDialog(QDialog):
    """Add or edit one application cycle; saves on Save."""

    def __init__(
        self,
        cycle: CycleRow | None = None,
        parent: QWidget | None = None,
        today: date | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("cycleDialog")
        self._cycle_id: int | None = cycle.id if cycle is not None else None
        self.setWindowTitle(self.tr("Edit cycle") if cycle else self.tr("Add cycle"))
        self._today = today or date.today()
        self.saved_id: int | None = None
        self.validator = FormValidator(self)

        form = QFormLayout()
        self.basics = CycleBasics(
            form,
            self.validator,
            self._today,
            service_object_name="cycleService",
            service=cycle.service if cycle is not None else Service.ERAS_RESIDENCY.value,
            name=cycle.name if cycle is not None else None,
            max_letters=cycle.max_letters_per_program if cycle is not None else None,
            cap_scope=cycle.cap_scope if cycle is not None else None,
        )
        self.service, self.cycle_name = self.basics.service, self.basics.cycle_name
        self.max_letters, self.service_hint = self.basics.max_letters, self.basics.service_hint

        # A new cycle starts from its service's usual season dates, and
        # follows the service until a date is touched; a stored cycle keeps
        # its own dates.
        start = self.basics.season_dates() if cycle is None else vars(cycle)
        self.dates = [
            _DateField(object_name, self.tr(label), start[field], self._today)
            for field, object_name, label in DATE_FIELDS
        ]
        self._dates_touched = cycle is not None
        for field in self.dates:
            field.edit.dateChanged.connect(self._date_touched)
            field.unknown.clicked.connect(self._date_touched)
        self.service.currentIndexChanged.connect(self._service_changed)
        watched: list[QWidget] = [w for d in self.dates for w in (d.edit, d.unknown)]
        for index, field in enumerate(self.dates):
            self.validator.add(
                field.edit,
                field.error,
                partial(self._check_order, index),
                *[w for w in watched if w is not field.edit],
            )

        dates_box = QGroupBox(self.tr("Key dates (optional)"))
        dates_form = QFormLayout(dates_box)
        for field in self.dates:
            dates_form.addRow(field.label, field.widget())

        buttons = save_cancel_buttons(self)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(dates_box)
        layout.addWidget(buttons)
        self.cycle_name.setFocus()
        self.setMinimumWidth(480)

    def _date_touched(self, *_args: object) -> None:
        if not self._filling:
            self._dates_touched = True

    _filling = False

    def _service_changed(self) -> None:
        if self._dates_touched:
            return
        self._filling = True
        try:
            defaults = self.basics.season_dates()
            for (name, _o, _l), field in zip(DATE_FIELDS, self.dates, strict=True):
                field.set_value(defaults[name])
        finally:
            self._filling = False

    def _check_order(self, index: int) -> str | None:
        """A date must not fall before any earlier known date."""
        value = self.dates[index].value()
        if value is None:
            return None
        for earlier in reversed(self.dates[:index]):
            before = earlier.value()
            if before is not None and value < before:
                return self.tr("{this} cannot be before {that} ({when}).").format(
                    this=self.dates[index].label, that=earlier.label, when=before.isoformat()
                )
        return None

    def fields(self) -> CycleFields:
        values = {
            name: d.value() for (name, _o, _l), d in zip(DATE_FIELDS, self.dates, strict=True)
        }
        return CycleFields(
            service=self.service.currentData(),
            name=self.cycle_name.text().strip(),
            max_letters_per_program=self.max_letters.value(),
            cap_scope=self.basics.scope_value(),
            **values,
        )

    def accept(self) -> None:
        if not self.validator.validate_all():
            return
        fields = self.fields()
        try:
            if self._cycle_id is None:
                self.saved_id = guarded(
                    self,
                    lambda: profile_store.create_cycle(fields),
                    handled_here=(profile_store.CycleChangeRefused, profile_store.CycleCapRefused),
                )
            else:
                cycle_id = self._cycle_id
                guarded(
                    self,
                    lambda: profile_store.update_cycle(cycle_id, fields),
                    handled_here=(profile_store.CycleChangeRefused, profile_store.CycleCapRefused),
                )
                self.saved_id = cycle_id
        except SaveFailed:
            return  # the user was told; the form keeps their input
        except (profile_store.CycleChangeRefused, profile_store.CycleCapRefused) as refused:
            QMessageBox.warning(self, self.tr("Cycle not changed"), refused.user_message)
            return  # the form keeps the user's input
        super().accept()


CYCLE_COLUMNS = ("Name", "Service", "Letter cap", "Outcome date", "Archived")


class ProfileDialog(QDialog):
    """The profile form above the list of application cycles."""

    def __init__(self, parent: QWidget | None = None, today: date | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("profileDialog")
        self.setWindowTitle(self.tr("Profile and cycles"))
        self._today = today or date.today()
        self.cycles_changed = False
        self.validator = FormValidator(self)
        profile = profile_store.get_profile()

        you = QGroupBox(self.tr("You"))
        self.you = ProfileForm(QFormLayout(you), self.validator, self._today, profile)
        self.full_name, self.email = self.you.full_name, self.you.email
        self.school, self.specialty = self.you.school, self.you.specialty
        self.graduation_year = self.you.graduation_year

        self.table = QTableWidget(0, len(CYCLE_COLUMNS))
        self.table.setObjectName("cyclesTable")
        self.table.setAccessibleName(self.tr("Application cycles"))
        self.table.setHorizontalHeaderLabels([self.tr(c) for c in CYCLE_COLUMNS])
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.table.setMinimumHeight(140)
        self.table.itemSelectionChanged.connect(self._selection_changed)
        self.table.itemDoubleClicked.connect(lambda _item: self.edit_cycle())

        self.add_button = QPushButton(self.tr("Add cycle…"))
        self.add_button.setObjectName("addCycle")
        self.add_button.setAutoDefault(False)
        self.add_button.clicked.connect(self.add_cycle)
        self.edit_button = QPushButton(self.tr("Edit…"))
        self.edit_button.setObjectName("editCycle")
        self.edit_button.setAutoDefault(False)
        self.edit_button.clicked.connect(self.edit_cycle)
        self.archive_button = QPushButton(self.tr("Archive"))
        self.archive_button.setObjectName("archiveCycle")
        self.archive_button.setAutoDefault(False)
        self.archive_button.clicked.connect(self.toggle_archived)
        bar = QHBoxLayout()
        bar.addWidget(self.add_button)
        bar.addWidget(self.edit_button)
        bar.addWidget(self.archive_button)
        bar.addStretch(1)

        cycles_box = QGroupBox(self.tr("Application cycles"))
        cycles_layout = QVBoxLayout(cycles_box)
        note = QLabel(
            self.tr(
                "Cycle changes are saved as you make them. The outcome date "
                "(Match day) is when Today reminds you to share the outcome."
            )
        )
        note.setWordWrap(True)
        set_role(note, "hint")
        cycles_layout.addWidget(note)
        cycles_layout.addWidget(self.table)
        cycles_layout.addLayout(bar)

        buttons = save_cancel_buttons(self)
        layout = QVBoxLayout(self)
        layout.addWidget(you)
        layout.addWidget(cycles_box, 1)
        layout.addWidget(buttons)
        self._cycle_ids: list[int] = []
        self.reload_cycles()
        self.full_name.setFocus()
        self.setMinimumWidth(640)

    # -- cycles ---------------------------------------------------------

    def reload_cycles(self, select_id: int | None = None) -> None:
        rows = profile_store.cycles()
        self._cycle_ids = [c.id for c in rows]
        self.table.setRowCount(len(rows))
        for row, cycle in enumerate(rows):
            cells = (
                cycle.name,
                label_for(Service, cycle.service),
                cap_sentence(
                    cycle.max_letters_per_program, cycle.cap_scope, service_rules(cycle.service)
                ),
                cycle.outcome_on.isoformat() if cycle.outcome_on else self.tr("unknown"),
                self.tr("Yes") if cycle.archived else "",
            )
            for column, text in enumerate(cells):
                self.table.setItem(row, column, QTableWidgetItem(text))
        self.table.resizeColumnsToContents()
        if select_id is not None and select_id in self._cycle_ids:
            self.table.selectRow(self._cycle_ids.index(select_id))
        self._selection_changed()

    def selected_cycle_id(self) -> int | None:
        rows = self.table.selectionModel().selectedRows()
        return self._cycle_ids[rows[0].row()] if rows else None

    def _selection_changed(self) -> None:
        cycle_id = self.selected_cycle_id()
        self.edit_button.setEnabled(cycle_id is not None)
        self.archive_button.setEnabled(cycle_id is not None)
        archived = cycle_id is not None and profile_store.get_cycle(cycle_id).archived
        self.archive_button.setText(self.tr("Restore") if archived else self.tr("Archive"))

    def _open_cycle(self, cycle: CycleRow | None) -> None:
        dialog = CycleDialog(cycle, self, self._today)
        try:
            if dialog.exec() == QDialog.DialogCode.Accepted:
                self.cycles_changed = True
                self.reload_cycles(dialog.saved_id)
        finally:
            dialog.deleteLater()

    def add_cycle(self) -> None:
        self._open_cycle(None)

    def edit_cycle(self) -> None:
        cycle_id = self.selected_cycle_id()
        if cycle_id is not None:
            self._open_cycle(profile_store.get_cycle(cycle_id))

    def toggle_archived(self) -> None:
        cycle_id = self.selected_cycle_id()
        if cycle_id is None:
            return
        archived = not profile_store.get_cycle(cycle_id).archived
        try:
            guarded(self, lambda: profile_store.set_cycle_archived(cycle_id, archived))
        except SaveFailed:
            return
        self.cycles_changed = True
        self.reload_cycles(cycle_id)

    # -- profile --------------------------------------------------------

    def profile(self) -> ProfileFields:
        return self.you.fields()

    def accept(self) -> None:
        if not self.validator.validate_all():
            return
        fields = self.profile()
        try:
            guarded(self, lambda: profile_store.update_profile(fields))
        except SaveFailed:
            return
        super().accept()


def open_profile_and_cycles(parent: QWidget | None) -> bool:
    """Show File → Profile and cycles; True when anything was saved (the
    profile, or any cycle added, edited or archived), so pages reload."""
    dialog = ProfileDialog(parent)
    try:
        saved = dialog.exec() == QDialog.DialogCode.Accepted
        return saved or dialog.cycles_changed
    finally:
        dialog.deleteLater()
