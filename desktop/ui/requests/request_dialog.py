"""The request editor: one letter from one writer for one cycle.

A new request shows the mentors ranked for the letter, with the reasons,
so the writer is chosen on what the user logged rather than on a number.
An existing one shows its full status history and events, and offers the
legal status moves; a move first saves what was typed (a waiver answered a
moment ago counts when the writer is marked asked).

The dialog saves itself and stays open on a refusal (a duplicate letter ID
appears under that field), so nothing typed is lost.
"""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QMenu,
    QPlainTextEdit,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop.domain import validation as rules
from desktop.domain.cycles import rules_for
from desktop.domain.ranking import LetterNeed
from desktop.domain.records import GENERAL_SPECIALTY
from desktop.domain.status import OPEN_STATUSES
from desktop.domain.timing import ask_by_date, describe_due
from desktop.domain.vocabulary import LetterType, RequestEventKind, RequestStatus, Service
from desktop.store import mentors as mentor_store
from desktop.store import requests as store
from desktop.store.experiences import mentor_choices
from desktop.store.profile import cycles, get_cycle
from desktop.store.requests import DuplicateLetterIdError, RequestError, RequestFields
from desktop.store.settings import load_thresholds
from desktop.ui.common import (
    FormValidator,
    SaveFailed,
    date_edit,
    error_label,
    guarded,
    label_for,
    label_of,
    line_edit,
    save_cancel_buttons,
    set_role,
    short_date,
    with_error,
)
from desktop.ui.requests.decline_flow import CandidateList, fill_move_menu, perform_move
from desktop.ui.requests.request_columns import cycle_order


def _optional_date(check: QCheckBox, edit) -> date | None:
    return edit.date().toPython() if check.isChecked() else None


class RequestDialog(QDialog):
    def __init__(
        self,
        request_id: int | None = None,
        *,
        mentor_id: int | None = None,
        today: date | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("requestDialog")
        self.request_id = request_id
        self.today = today or date.today()
        self.thresholds = load_thresholds()
        self.changed = False  # saved, moved or logged something
        self.backup_request_id: int | None = None
        self._refused_letter_id: tuple[str, str] | None = None
        self._ask_touched = request_id is not None
        self._status: RequestStatus | None = None
        values = (
            RequestFields.of(store.get_request(request_id))
            if request_id is not None
            else RequestFields(mentor_id=mentor_id or 0, cycle_id=0)
        )
        self.setWindowTitle(
            self.tr("Letter request") if request_id else self.tr("New letter request")
        )
        self.validator = FormValidator(self)

        self.mentor = QComboBox()
        self.mentor.setObjectName("mentor")
        self.mentor.setAccessibleName(self.tr("Writer"))
        self.mentor.addItem(self.tr("Choose a writer…"), None)
        for mid, name in mentor_choices(include_archived=request_id is not None):
            self.mentor.addItem(name, mid)
        self._select(self.mentor, values.mentor_id or None)
        self.cycle = QComboBox()
        self.cycle.setObjectName("cycle")
        self.cycle.setAccessibleName(self.tr("Application cycle"))
        for cycle in sorted(cycles(), key=cycle_order(self.today)):
            self.cycle.addItem(cycle.name, cycle.id)
        self._select(self.cycle, values.cycle_id or None)
        self.letter_type = QComboBox()
        self.letter_type.setObjectName("letterType")
        self.letter_type.setAccessibleName(self.tr("Letter type"))
        self.specialty = QComboBox()
        self.specialty.setObjectName("specialty")
        self.specialty.setAccessibleName(self.tr("Specialty"))
        self.specialty.setEditable(True)
        self.specialty.addItems([GENERAL_SPECIALTY, *self._known_specialties()])
        self.specialty.setCurrentText(values.specialty)
        self.has_due = QCheckBox(self.tr("Due"))
        self.has_due.setObjectName("hasDueDate")
        self.due = date_edit("dueOn", values.due_on or self.today)
        self.has_ask = QCheckBox(self.tr("Ask on"))
        self.has_ask.setObjectName("hasPlannedAsk")
        self.planned_ask = date_edit("plannedAskOn", values.planned_ask_on or self.today)
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
        self.letter_id_error = error_label("letterIdError")
        self.validator.add(self.letter_id, self.letter_id_error, self._check_letter_id)
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
        self.has_due.toggled.connect(self._due_changed)
        self.due.dateChanged.connect(self._due_changed)
        self.has_ask.toggled.connect(self._ask_edited)
        self.planned_ask.dateChanged.connect(self._ask_edited)
        self.cycle.currentIndexChanged.connect(lambda _i: self._refresh_cycle(None, None))

        form = QFormLayout()
        form.addRow(self.tr("Writer *"), with_error(self.mentor, mentor_error))
        form.addRow(self.tr("Cycle *"), with_error(self.cycle, cycle_error))
        form.addRow(self.tr("Letter type"), self.letter_type)
        form.addRow(self.tr("Specialty"), with_error(self.specialty, specialty_error))
        form.addRow(self.tr("Dates"), with_error(self._dates_row(), dates_error))
        form.addRow("", self.ask_hint)
        form.addRow(self.tr("Waiver"), self.waiver)
        form.addRow("", self.waiver_hint)
        form.addRow(self.tr("Letter ID"), with_error(self.letter_id, self.letter_id_error))
        form.addRow(self.tr("Backup for"), self.backup_for)
        form.addRow(self.tr("Notes"), with_error(self.notes, notes_error))
        form.addRow("", self.form_error)
        left = QVBoxLayout()
        if request_id is not None:
            self.summary = QLabel()
            self.summary.setObjectName("requestSummary")
            set_role(self.summary, "subheading")
            self.summary.setWordWrap(True)
            left.addWidget(self.summary)
        left.addLayout(form)
        left.addStretch(1)

        body = QHBoxLayout()
        body.addLayout(left, 3)
        body.addWidget(self._side_panel(), 2)
        buttons = save_cancel_buttons(self)
        layout = QVBoxLayout(self)
        layout.addLayout(body, 1)
        layout.addWidget(buttons)
        self._saved = self.values() if request_id is not None else None
        if request_id is not None:
            self._status = RequestStatus(store.get_request(request_id).status)
        if request_id is not None:
            self._refresh_record()
        self.resize(1000, 640)

    # --- construction helpers -----------------------------------------------

    @staticmethod
    def _select(box: QComboBox, data) -> None:
        index = box.findData(data) if data is not None else -1
        if index >= 0:
            box.setCurrentIndex(index)

    @staticmethod
    def _known_specialties() -> list[str]:
        return [s for s in mentor_store.known_specialties() if s != GENERAL_SPECIALTY]

    def _dates_row(self) -> QWidget:
        row = QWidget()
        layout = QHBoxLayout(row)
        layout.setContentsMargins(0, 0, 0, 0)
        for widget in (self.has_due, self.due, self.has_ask, self.planned_ask):
            layout.addWidget(widget)
        layout.addStretch(1)
        return row

    def _side_panel(self) -> QWidget:
        panel = QWidget()
        layout = QVBoxLayout(panel)
        layout.setContentsMargins(8, 0, 0, 0)
        if self.request_id is None:
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
            self.candidates.itemClicked.connect(self._candidate_chosen)
            self.letter_type.currentIndexChanged.connect(lambda _i: self._refresh_candidates())
            self.specialty.currentTextChanged.connect(lambda _t: self._refresh_candidates())
            layout.addWidget(heading)
            layout.addWidget(hint)
            layout.addWidget(self.candidates, 1)
            self._refresh_candidates()
            return panel
        moves = QHBoxLayout()
        self.move_button = QPushButton(self.tr("Move to…"))
        self.move_button.setObjectName("dialogMoveButton")
        self.move_menu = QMenu(self.move_button)
        self.move_menu.setObjectName("dialogMoveMenu")
        self.move_button.setMenu(self.move_menu)
        remind = QPushButton(self.tr("Log reminder"))
        remind.setObjectName("logReminder")
        remind.clicked.connect(lambda: self._log(RequestEventKind.REMINDED))
        thank = QPushButton(self.tr("Log thank-you"))
        thank.setObjectName("logThanks")
        thank.clicked.connect(lambda: self._log(RequestEventKind.THANKED))
        for button in (self.move_button, remind, thank):
            moves.addWidget(button)
        moves.addStretch(1)
        self.history = QTreeWidget()
        self.history.setObjectName("statusHistory")
        self.history.setAccessibleName(self.tr("Status history"))
        self.history.setHeaderLabels([self.tr("When"), self.tr("Change"), self.tr("Note")])
        self.history.setRootIsDecorated(False)
        self.events = QTreeWidget()
        self.events.setObjectName("requestEvents")
        self.events.setAccessibleName(self.tr("Reminders and thanks"))
        self.events.setHeaderLabels([self.tr("Date"), self.tr("Event"), self.tr("Note")])
        self.events.setRootIsDecorated(False)
        self.programs = QLabel()
        self.programs.setObjectName("requestPrograms")
        self.programs.setWordWrap(True)
        for tree, widths in ((self.history, (86, 170)), (self.events, (86, 110))):
            for column, width in enumerate(widths):
                tree.setColumnWidth(column, width)
            tree.header().setStretchLastSection(True)
            tree.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
            tree.setTextElideMode(Qt.TextElideMode.ElideRight)
        history_label = QLabel(self.tr("Status history"))
        set_role(history_label, "section")
        events_label = QLabel(self.tr("Reminders and thanks"))
        set_role(events_label, "section")
        layout.addLayout(moves)
        layout.addWidget(self.programs)
        layout.addWidget(history_label)
        layout.addWidget(self.history, 2)
        layout.addWidget(events_label)
        layout.addWidget(self.events, 1)
        return panel

    # --- field logic ---------------------------------------------------------

    def _service(self) -> Service | None:
        cycle_id = self.cycle.currentData()
        return None if cycle_id is None else Service(get_cycle(cycle_id).service)

    def _refresh_cycle(self, letter_type: str | None, backup_for: int | None) -> None:
        service = self._service()
        keep = letter_type or self.letter_type.currentData()
        self.letter_type.blockSignals(True)
        self.letter_type.clear()
        for member in rules_for(service).letter_types if service else tuple(LetterType):
            self.letter_type.addItem(label_of(member), member.value)
        self.letter_type.blockSignals(False)
        self._select(self.letter_type, keep)
        required = service is not None and rules_for(service).waiver_required
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
                if row.id != self.request_id:
                    self.backup_for.addItem(
                        f"{row.mentor_name} — {label_of(row.letter_type)} ({label_of(row.status)})",
                        row.id,
                    )
        self._select(self.backup_for, keep_backup)
        if self.request_id is None:
            self._refresh_candidates()

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
        self.ask_hint.setText(
            self.tr("Ask by {day} ({days} days before it is due); {due}.").format(
                day=short_date(ask_by),
                days=self.thresholds.ideal_lead,
                due=describe_due(due, self.today),
            )
            if ask_by
            else self.tr("No due date: set one to get an “ask by” date and reminders.")
        )

    def _due_changed(self, *_args) -> None:
        due = _optional_date(self.has_due, self.due)
        if due is not None and not self._ask_touched:
            ask_by = ask_by_date(due, self.thresholds)
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
        if due and ask and ask > due:
            return self.tr("The planned ask date is after the due date.")
        return None

    # --- candidates ----------------------------------------------------------

    def _refresh_candidates(self) -> None:
        if self.request_id is not None or not hasattr(self, "candidates"):
            return
        kind = self.letter_type.currentData()
        if kind is None:
            return
        need = LetterNeed(
            LetterType(kind), self.specialty.currentText().strip() or GENERAL_SPECIALTY
        )
        ranked = store.candidates_for(need, today=self.today, cycle_id=self.cycle.currentData())
        names = {
            self.mentor.itemData(i): self.mentor.itemText(i) for i in range(1, self.mentor.count())
        }
        self.candidates.show_candidates(ranked, names)
        if self.mentor.currentData():
            self.candidates.select_mentor(self.mentor.currentData())

    def _candidate_chosen(self, _item) -> None:
        self._select(self.mentor, self.candidates.selected_mentor())

    # --- values and saving -----------------------------------------------------

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

    def save(self) -> bool:
        """Validate and write the fields; show any refusal where it belongs."""
        self.form_error.hide()
        if not self.validator.validate_all():
            return False
        values = self.values()
        if self.request_id is not None and values == self._saved:
            return True
        try:
            if self.request_id is None:
                self.request_id = guarded(
                    self, lambda: store.create_request(values), handled_here=(RequestError,)
                )
            else:
                request_id = self.request_id
                guarded(
                    self,
                    lambda: store.update_request(request_id, values),
                    handled_here=(RequestError,),
                )
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
        self._saved, self.changed = values, True
        return True

    def accept(self) -> None:
        if self.save():
            super().accept()

    # --- status, history and events (existing requests) --------------------------

    def _refresh_record(self) -> None:
        assert self.request_id is not None
        request = store.get_request(self.request_id)
        status = self._status = RequestStatus(request.status)
        self._dates_enabled()
        parts = [self.tr("Status: {status}").format(status=label_of(status))]
        if request.asked_on:
            parts.append(self.tr("asked {day}").format(day=short_date(request.asked_on)))
        if request.submitted_on:
            parts.append(self.tr("submitted {day}").format(day=short_date(request.submitted_on)))
        if request.thanked_on:
            parts.append(self.tr("thanked {day}").format(day=short_date(request.thanked_on)))
        self.summary.setText(" · ".join(parts))
        fill_move_menu(self.move_menu, status, self._move)
        names = store.program_names_for(self.request_id)
        self.programs.setText(
            self.tr("Programs: {names}").format(names=", ".join(names))
            if names
            else self.tr("Not assigned to any program yet.")
        )
        self.history.clear()
        for entry in store.status_history(self.request_id):
            change = (
                self.tr("Created as {status}").format(status=label_of(entry.to_status))
                if entry.from_status is None
                else f"{label_of(entry.from_status)} → {label_of(entry.to_status)}"
            )
            if entry.is_correction:
                change += " " + self.tr("(correction)")
            item = QTreeWidgetItem([short_date(entry.on), change, entry.note])
            item.setToolTip(2, entry.note)
            self.history.addTopLevelItem(item)
        self.events.clear()
        for event in store.events_for(self.request_id):
            kind = label_for(RequestEventKind, str(event.kind))
            self.events.addTopLevelItem(QTreeWidgetItem([short_date(event.on), kind, event.note]))

    def _move(self, to_status: RequestStatus) -> None:
        if not self.save():  # the move counts what was just typed (the waiver)
            return
        assert self.request_id is not None
        result = perform_move(self, self.request_id, to_status, today=self.today)
        if result.moved:
            self.changed = True
            self._refresh_record()
        if result.backup_request_id is not None:
            self.backup_request_id = result.backup_request_id
            self.done(QDialog.DialogCode.Accepted)  # the page selects the backup

    def _log(self, kind: RequestEventKind) -> None:
        assert self.request_id is not None
        request_id = self.request_id
        try:
            guarded(self, lambda: store.log_event(request_id, kind, self.today))
        except SaveFailed:
            return
        self.changed = True
        self._refresh_record()


def run_request_dialog(
    parent: QWidget,
    request_id: int | None = None,
    *,
    mentor_id: int | None = None,
    today: date | None = None,
) -> RequestDialog:
    """Open the editor (modal) and return it once closed: ``request_id``,
    ``changed`` and ``backup_request_id`` say what happened."""
    dialog = RequestDialog(request_id, mentor_id=mentor_id, today=today, parent=parent)
    dialog.exec()
    return dialog
