"""The fields of one letter request, with their rules, shared by the
new-request dialog and the request editor.

The letter types and the waiver hint follow the cycle's service; a new
request's type follows its writer and specialty (the service's own
standardized form, such as the EM SLOE, when they write one) until the user
picks one; the due date follows the earliest deadline
of the programs chosen, and the ask date the due date, until the user sets
them (an ask-by day already passed becomes today, and the hint says so); a refusal from the store
is shown where it belongs (a duplicate letter ID under that field), so the
dialog can stay open with everything typed.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from PySide6.QtCore import QDate, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QWidget,
)

from desktop.domain import validation as rules
from desktop.domain.letter_services import default_letter_type, service_rules
from desktop.domain.ranking import LetterNeed
from desktop.domain.records import GENERAL_SPECIALTY
from desktop.domain.status import OPEN_STATUSES
from desktop.domain.thresholds import AdviceThresholds
from desktop.domain.timing import ask_by_date, describe_due
from desktop.domain.vocabulary import LetterType, RequestStatus, Service
from desktop.store import mentors as mentor_store
from desktop.store import requests as store
from desktop.store.experiences import mentor_choices
from desktop.store.profile import cycles
from desktop.store.requests import DuplicateLetterIdError, RequestError, RequestFields
from desktop.ui.common import (
    FormValidator,
    SaveFailed,
    date_edit,
    error_label,
    guarded,
    label_of,
    line_edit,
    set_role,
    short_date,
    with_error,
)
from desktop.ui.requests.request_columns import cycle_order

# A due date the user has not chosen yet shows as blank: the date edit's
# minimum stands for "no date" (a QDateEdit cannot be empty).
NO_DAY = date(2000, 1, 1)


def _optional_date(check: QCheckBox, edit) -> date | None:
    if not check.isChecked():
        return None
    day = edit.date().toPython()
    return None if day == NO_DAY else day


def select_data(box: QComboBox, data) -> None:
    """Choose the item holding ``data``; leave the choice as it is when none does."""
    index = box.findData(data) if data is not None else -1
    if index >= 0:
        box.setCurrentIndex(index)


class RequestForm(QWidget):
    """Writer, cycle, letter type, specialty, dates, waiver, letter ID,
    backup link and notes, each checked as it is typed."""

    need_changed = Signal()  # the cycle, letter type or specialty changed

    def __init__(
        self,
        values: RequestFields,
        *,
        today: date,
        thresholds: AdviceThresholds,
        own_id: int | None = None,
        include_archived_writers: bool = False,
        ask_follows_due: bool = True,
        type_follows_writer: bool = False,
        deadlines: Callable[[], list[date]] = list,
        parent: QWidget | None = None,
    ) -> None:
        """``own_id``: the request being edited, left out of its own backup
        choices. ``ask_follows_due``: the ask date moves with the due date
        until the user sets it (a stored request keeps the date it has).
        ``type_follows_writer``: a new request's type follows the writer
        chosen. ``deadlines``: those of the programs that get the letter, for
        the due date."""
        super().__init__(parent)
        self.setObjectName("requestForm")
        self.today = today
        self.thresholds = thresholds
        self._own_id = own_id
        self._ask_touched = not ask_follows_due
        self._due_touched = values.due_on is not None
        self._type_touched = not type_follows_writer
        self._deadlines = deadlines
        self._refused_letter_id: tuple[str, str] | None = None
        self._status: RequestStatus | None = None
        self.validator = FormValidator(self)

        self.mentor = QComboBox()
        self.mentor.setObjectName("mentor")
        self.mentor.setAccessibleName(self.tr("Writer"))
        self.mentor.addItem(self.tr("Choose a writer…"), None)
        for mid, name in mentor_choices(include_archived=include_archived_writers):
            self.mentor.addItem(name, mid)
        select_data(self.mentor, values.mentor_id or None)
        self.cycle = QComboBox()
        self.cycle.setObjectName("cycle")
        self.cycle.setAccessibleName(self.tr("Application cycle"))
        self._services: dict[int, Service] = {}
        for cycle in sorted(cycles(), key=cycle_order(today)):
            self.cycle.addItem(cycle.name, cycle.id)
            self._services[cycle.id] = Service(cycle.service)
        select_data(self.cycle, values.cycle_id or None)
        self.letter_type = QComboBox()
        self.letter_type.setObjectName("letterType")
        self.letter_type.setAccessibleName(self.tr("Letter type"))
        self.specialty = QComboBox()
        self.specialty.setObjectName("specialty")
        self.specialty.setAccessibleName(self.tr("Specialty"))
        self.specialty.setEditable(True)
        self.specialty.addItems(
            [GENERAL_SPECIALTY]
            + [s for s in mentor_store.known_specialties() if s != GENERAL_SPECIALTY]
        )
        self.specialty.setCurrentText(values.specialty)
        self.has_due = QCheckBox(self.tr("Due"))
        self.has_due.setObjectName("hasDueDate")
        self.due = date_edit("dueOn", values.due_on or NO_DAY)
        self.due.setMinimumDate(QDate(NO_DAY))
        self.due.setSpecialValueText(self.tr("choose a day"))
        self.has_ask = QCheckBox(self.tr("Ask on"))
        self.has_ask.setObjectName("hasPlannedAsk")
        self.planned_ask = date_edit("plannedAskOn", values.planned_ask_on or today)
        self.ask_hint = QLabel()
        self.ask_hint.setObjectName("askHint")
        set_role(self.ask_hint, "hint")
        self.ask_hint.setWordWrap(True)
        self.waiver = QComboBox()
        self.waiver.setObjectName("waiver")
        self.waiver.setAccessibleName(self.tr("Waiver"))
        self.waiver.addItem(self.tr("Not answered yet"), None)
        self.waiver.addItem(self.tr("Yes, I waive my right to see the letter"), True)
        self.waiver.addItem(self.tr("No, I keep my right to see it"), False)
        self.waiver.setCurrentIndex({None: 0, True: 1, False: 2}[values.waiver])
        self.waiver_hint = QLabel()
        self.waiver_hint.setObjectName("waiverHint")
        set_role(self.waiver_hint, "hint")
        self.waiver_hint.setWordWrap(True)
        self.letter_id = line_edit(
            "letterId", values.letter_id or "", self.tr("From the letter service")
        )
        self.backup_for = QComboBox()
        self.backup_for.setObjectName("backupFor")
        self.backup_for.setAccessibleName(self.tr("Backup for"))
        self.notes = QPlainTextEdit(values.notes)
        self.notes.setObjectName("notes")
        self.notes.setAccessibleName(self.tr("Notes"))
        self.notes.setTabChangesFocus(True)
        self.notes.setMaximumHeight(80)
        self.form_error = error_label("requestFormError")

        mentor_error = error_label("mentorError")
        self.validator.add(self.mentor, mentor_error, self._check_mentor)
        cycle_error = error_label("cycleError")
        self.validator.add(self.cycle, cycle_error, self._check_cycle)
        specialty_error = error_label("specialtyError")
        self.validator.add(
            self.specialty,
            specialty_error,
            lambda: rules.single_line(self.specialty.currentText(), self.tr("Specialty")),
        )
        letter_id_error = error_label("letterIdError")
        self.validator.add(self.letter_id, letter_id_error, self._check_letter_id)
        dates_error = error_label("datesError")
        self.validator.add(
            self.planned_ask, dates_error, self._check_dates, self.due, self.has_due, self.has_ask
        )
        notes_error = error_label("notesError")
        self.validator.add(
            self.notes,
            notes_error,
            lambda: rules.max_length(self.notes.toPlainText(), rules.NOTES_MAX, self.tr("Notes")),
        )

        self.has_due.setChecked(values.due_on is not None)
        self.has_ask.setChecked(values.planned_ask_on is not None)
        self._refresh_cycle(values.letter_type, values.backup_for)
        self._dates_enabled()
        self.has_due.toggled.connect(self._due_ticked)
        self.due.dateChanged.connect(self._due_edited)
        self.has_ask.toggled.connect(self._ask_edited)
        self.planned_ask.dateChanged.connect(self._ask_edited)
        self.cycle.currentIndexChanged.connect(lambda _i: self._refresh_cycle(None, None))
        self.letter_type.currentIndexChanged.connect(self._type_chosen)
        self.mentor.currentIndexChanged.connect(lambda _i: self._writer_defaults())
        # The standardized form follows the specialty (EM SLOE, APGO SLOE…).
        self.specialty.currentTextChanged.connect(lambda _t: self._writer_defaults())
        self.specialty.currentTextChanged.connect(lambda _t: self.need_changed.emit())

        form = QFormLayout(self)
        form.setContentsMargins(0, 0, 0, 0)
        form.addRow(self.tr("Writer *"), with_error(self.mentor, mentor_error))
        form.addRow(self.tr("Cycle *"), with_error(self.cycle, cycle_error))
        form.addRow(self.tr("Letter type"), self.letter_type)
        form.addRow(self.tr("Specialty"), with_error(self.specialty, specialty_error))
        form.addRow(self.tr("Dates"), with_error(self._dates_row(), dates_error))
        form.addRow("", self.ask_hint)
        form.addRow(self.tr("Waiver"), self.waiver)
        form.addRow("", self.waiver_hint)
        form.addRow(self.tr("Letter ID"), with_error(self.letter_id, letter_id_error))
        form.addRow(self.tr("Backup for"), self.backup_for)
        form.addRow(self.tr("Notes"), with_error(self.notes, notes_error))
        form.addRow("", self.form_error)
        self._writer_defaults()

    def _dates_row(self) -> QWidget:
        row = QWidget()
        layout = QHBoxLayout(row)
        layout.setContentsMargins(0, 0, 0, 0)
        for widget in (self.has_due, self.due, self.has_ask, self.planned_ask):
            layout.addWidget(widget)
        layout.addStretch(1)
        return row

    # --- what the editor and the new-request dialog ask of the form ----------

    def writer_names(self) -> dict[int, str]:
        """Writer id → the name the writer list shows."""
        return {
            self.mentor.itemData(i): self.mentor.itemText(i) for i in range(1, self.mentor.count())
        }

    def chosen_writer(self) -> int | None:
        return self.mentor.currentData()

    def choose_writer(self, mentor_id: int | None) -> None:
        select_data(self.mentor, mentor_id)

    def chosen_cycle(self) -> int | None:
        return self.cycle.currentData()

    def chosen_service(self) -> Service | None:
        return self._service()

    def letter_need(self) -> LetterNeed | None:
        """The kind of letter described so far, to rank writers for it."""
        kind = self.letter_type.currentData()
        if kind is None:
            return None
        return LetterNeed(
            LetterType(kind), self.specialty.currentText().strip() or GENERAL_SPECIALTY
        )

    def programs_changed(self) -> None:
        """The programs that get the letter changed: a due date the user has
        not set follows their earliest deadline."""
        if self._due_touched:
            return
        earliest = min(self._deadlines(), default=None)
        if earliest is not None:
            self._set_due(earliest)
            self.has_due.setChecked(True)

    def set_status(self, status: RequestStatus) -> None:
        """Once the writer is asked, the ask hint tells how the letter stands."""
        self._status = status
        self._dates_enabled()

    def values(self) -> RequestFields:
        return RequestFields(
            mentor_id=self.mentor.currentData() or 0,
            cycle_id=self.cycle.currentData() or 0,
            letter_type=self.letter_type.currentData() or LetterType.NARRATIVE.value,
            specialty=self.specialty.currentText().strip() or GENERAL_SPECIALTY,
            waiver=self.waiver.currentData(),
            letter_id=self.letter_id.text().strip() or None,
            planned_ask_on=_optional_date(self.has_ask, self.planned_ask),
            due_on=_optional_date(self.has_due, self.due),
            backup_for=self.backup_for.currentData(),
            notes=self.notes.toPlainText().strip(),
        )

    def save(self, write: Callable[[RequestFields], object]) -> bool:
        """Check the fields, then ``write`` them (guarded); True when written.
        A refusal is shown where it belongs and the input stays."""
        self.form_error.hide()
        if not self.validator.validate_all():
            return False
        values = self.values()
        try:
            guarded(self, lambda: write(values), handled_here=(RequestError,))
        except SaveFailed:
            return False
        except DuplicateLetterIdError as refused:
            self._refused_letter_id = (refused.letter_id, refused.user_message)
            self.validator.validate_all()
            return False
        except RequestError as refused:
            self.form_error.setText(refused.user_message)
            self.form_error.show()
            return False
        return True

    # --- field logic ---------------------------------------------------------

    def _service(self) -> Service | None:
        cycle_id = self.cycle.currentData()
        return None if cycle_id is None else self._services[cycle_id]

    def _refresh_cycle(self, letter_type: str | None, backup_for: int | None) -> None:
        service = self._service()
        keep = letter_type or self.letter_type.currentData()
        self.letter_type.blockSignals(True)
        self.letter_type.clear()
        offered = list(service_rules(service).letter_types if service else tuple(LetterType))
        if keep in tuple(LetterType) and LetterType(keep) not in offered:
            # A type the service does not list (made before its rules
            # changed) stays as it was rather than changing on save.
            offered.append(LetterType(keep))
        for member in offered:
            self.letter_type.addItem(label_of(member), member.value)
        self.letter_type.blockSignals(False)
        select_data(self.letter_type, keep)
        required = service is not None and service_rules(service).waiver_required
        self.waiver_hint.setText(
            self.tr("{service} needs this answered before the writer is asked.").format(
                service=label_of(service)
            )
            if required and service
            else ""
        )
        self.waiver_hint.setVisible(required)
        keep_backup = backup_for if backup_for is not None else self.backup_for.currentData()
        self.backup_for.clear()
        self.backup_for.addItem(self.tr("Not a backup"), None)
        if self.cycle.currentData() is not None:
            for row in store.load_request_rows(cycle_id=self.cycle.currentData()):
                if row.id != self._own_id:
                    self.backup_for.addItem(
                        f"{row.mentor_name} — {label_of(row.letter_type)} ({label_of(row.status)})",
                        row.id,
                    )
        select_data(self.backup_for, keep_backup)
        self._writer_defaults()  # the service may not take the writer's usual type
        self.need_changed.emit()

    def _dates_enabled(self) -> None:
        self.due.setEnabled(self.has_due.isChecked())
        self.planned_ask.setEnabled(self.has_ask.isChecked())
        due = _optional_date(self.has_due, self.due)
        ask_by = ask_by_date(due, self.thresholds)
        if self._status is not None and self._status is not RequestStatus.PLANNED:
            # Already asked: the "ask by" advice is over; say how the letter stands.
            open_ = self._status in OPEN_STATUSES and due is not None
            self.ask_hint.setText(describe_due(due, self.today).capitalize() + "." if open_ else "")
            self.ask_hint.setVisible(open_)
            return
        if ask_by is None:
            self.ask_hint.setText(
                self.tr("No due date: set one to get an “ask by” date and reminders.")
            )
        elif ask_by < self.today:
            self.ask_hint.setText(
                self.tr(
                    "The ideal day to ask ({day}, {days} days before it is due) has "
                    "passed: ask as soon as you can; {due}."
                ).format(
                    day=short_date(ask_by),
                    days=self.thresholds.ideal_lead,
                    due=describe_due(due, self.today),
                )
            )
        else:
            self.ask_hint.setText(
                self.tr("Ask by {day} ({days} days before it is due); {due}.").format(
                    day=short_date(ask_by),
                    days=self.thresholds.ideal_lead,
                    due=describe_due(due, self.today),
                )
            )

    def _writer_defaults(self) -> None:
        """A new request's type: the service's standardized form for the
        specialty when the writer writes one (an EM mentor's SLOE on
        ResidencyCAS), until the user picks a type."""
        mentor_id, service = self.mentor.currentData(), self._service()
        if self._type_touched or not mentor_id or service is None:
            return
        writer = mentor_store.get_mentor(mentor_id)
        kind = default_letter_type(
            service,
            writes_standardized=writer.can_write_standardized,
            specialty=self.specialty.currentText(),
            writer_specialty=writer.specialty,
        )
        self.letter_type.blockSignals(True)
        select_data(self.letter_type, kind.value)
        self.letter_type.blockSignals(False)
        self.need_changed.emit()

    def _type_chosen(self, _index: int) -> None:
        self._type_touched = True
        self.need_changed.emit()

    def _set_due(self, day: date) -> None:
        self.due.blockSignals(True)
        self.due.setDate(QDate(day))
        self.due.blockSignals(False)
        self._due_changed()

    def _due_ticked(self, ticked: bool) -> None:
        if ticked and not self._due_touched:
            # The earliest deadline among the programs chosen, or blank.
            self._set_due(min(self._deadlines(), default=NO_DAY))
        self._due_changed()

    def _due_edited(self, *_args) -> None:
        self._due_touched = True
        self._due_changed()

    def _due_changed(self, *_args) -> None:
        due = _optional_date(self.has_due, self.due)
        if due is not None and not self._ask_touched:
            # Never a day already gone: an ask-by day that has passed is today.
            ask_by = max(ask_by_date(due, self.thresholds) or self.today, self.today)
            self.planned_ask.blockSignals(True)
            self.has_ask.blockSignals(True)
            self.planned_ask.setDate(QDate(ask_by))
            self.has_ask.setChecked(True)
            self.planned_ask.blockSignals(False)
            self.has_ask.blockSignals(False)
        self._dates_enabled()

    def _ask_edited(self, *_args) -> None:
        self._ask_touched = True
        self._dates_enabled()

    def _check_mentor(self) -> str | None:
        return None if self.mentor.currentData() else self.tr("Choose who writes this letter.")

    def _check_cycle(self) -> str | None:
        if self.cycle.currentData() is None:
            return self.tr("Add an application cycle first (Settings).")
        return None

    def _check_letter_id(self) -> str | None:
        text = self.letter_id.text().strip()
        if self._refused_letter_id and text == self._refused_letter_id[0]:
            return self._refused_letter_id[1]
        return rules.single_line(text, self.tr("Letter ID"), 60)

    def _check_dates(self) -> str | None:
        due, ask = (
            _optional_date(self.has_due, self.due),
            _optional_date(self.has_ask, self.planned_ask),
        )
        if self.has_due.isChecked() and due is None:
            return self.tr("Choose the day the letter is due, or untick “Due”.")
        if due and ask and ask > due:
            return self.tr("The planned ask date is after the due date.")
        return None
