"""Add or edit an experience (rotation, research project, job…) and the
mentors who shared it."""

from __future__ import annotations

from datetime import date, timedelta

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from desktop.domain import validation as rules
from desktop.domain.vocabulary import ExperienceKind
from desktop.store.experiences import ExperienceFields
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


class ExperienceDialog(QDialog):
    def __init__(
        self,
        mentors: list[tuple[int, str]],
        values: ExperienceFields | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("experienceDialog")
        editing = values is not None
        if values is None:
            today = date.today()
            values = ExperienceFields(
                kind=ExperienceKind.ROTATION.value,
                title="",
                start_date=today - timedelta(days=21),
                end_date=today + timedelta(days=7),
            )
        self.setWindowTitle(self.tr("Edit experience") if editing else self.tr("New experience"))
        self.validator = FormValidator(self)

        self.kind = combo("kind", choices(ExperienceKind), values.kind)
        self.title_edit = line_edit(
            "experienceTitle", values.title, self.tr("Internal Medicine clerkship")
        )
        self.institution = line_edit("institution", values.institution)
        self.specialty = line_edit("specialty", values.specialty)
        self.start = date_edit("startDate", values.start_date)
        self.end = date_edit("endDate", values.end_date or values.start_date)
        self.ongoing = QCheckBox(self.tr("Ongoing (no end date yet)"))
        self.ongoing.setObjectName("ongoing")
        self.ongoing.setChecked(values.end_date is None and editing)
        self.ongoing.toggled.connect(lambda on: self.end.setEnabled(not on))
        self.end.setEnabled(not self.ongoing.isChecked())

        self.mentor_list = QListWidget()
        self.mentor_list.setObjectName("linkedMentors")
        self.mentor_list.setAccessibleName(self.tr("Mentors who shared this experience"))
        linked = set(values.mentor_ids)
        for mentor_id, name in mentors:
            item = QListWidgetItem(name)
            item.setData(Qt.ItemDataRole.UserRole, mentor_id)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(
                Qt.CheckState.Checked if mentor_id in linked else Qt.CheckState.Unchecked
            )
            self.mentor_list.addItem(item)
        self.notes = QPlainTextEdit(values.notes)
        self.notes.setObjectName("notes")
        self.notes.setAccessibleName(self.tr("Notes"))
        self.notes.setTabChangesFocus(True)
        self.notes.setMaximumHeight(90)

        title_error = error_label("experienceTitleError")
        self.validator.add(
            self.title_edit,
            title_error,
            lambda: (
                rules.required(self.title_edit.text(), self.tr("A title"))
                or rules.single_line(self.title_edit.text(), self.tr("The title"))
            ),
        )
        institution_error = error_label("institutionError")
        self.validator.add(
            self.institution,
            institution_error,
            lambda: rules.single_line(self.institution.text(), self.tr("Institution")),
        )
        specialty_error = error_label("specialtyError")
        self.validator.add(
            self.specialty,
            specialty_error,
            lambda: rules.single_line(self.specialty.text(), self.tr("Specialty")),
        )
        dates_error = error_label("datesError")
        self.validator.add(self.end, dates_error, self._check_dates, self.start, self.ongoing)
        notes_error = error_label("notesError")
        self.validator.add(
            self.notes,
            notes_error,
            lambda: rules.max_length(self.notes.toPlainText(), rules.NOTES_MAX, self.tr("Notes")),
        )

        dates = QHBoxLayout()
        dates.addWidget(self.start)
        dates.addWidget(self.end)
        dates.addWidget(self.ongoing)
        dates_box = QWidget()
        dates_box.setLayout(dates)
        dates.setContentsMargins(0, 0, 0, 0)

        form = QFormLayout()
        form.addRow(self.tr("Kind"), self.kind)
        form.addRow(self.tr("Title *"), with_error(self.title_edit, title_error))
        form.addRow(self.tr("Institution"), with_error(self.institution, institution_error))
        form.addRow(self.tr("Specialty"), with_error(self.specialty, specialty_error))
        form.addRow(self.tr("From – to"), with_error(dates_box, dates_error))
        form.addRow(self.tr("Mentors"), self.mentor_list)
        form.addRow(self.tr("Notes"), with_error(self.notes, notes_error))

        buttons = save_cancel_buttons(self)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(buttons)
        self.title_edit.setFocus()
        self.resize(620, 560)

    def link_mentor(self, mentor_id: int) -> None:
        for row in range(self.mentor_list.count()):
            item = self.mentor_list.item(row)
            if item.data(Qt.ItemDataRole.UserRole) == mentor_id:
                item.setCheckState(Qt.CheckState.Checked)

    def _end_date(self) -> date | None:
        return None if self.ongoing.isChecked() else self.end.date().toPython()

    def _check_dates(self) -> str | None:
        return rules.date_range(self.start.date().toPython(), self._end_date())

    def accept(self) -> None:
        if self.validator.validate_all():
            super().accept()

    def values(self) -> ExperienceFields:
        linked = []
        for row in range(self.mentor_list.count()):
            item = self.mentor_list.item(row)
            if item.checkState() == Qt.CheckState.Checked:
                linked.append(item.data(Qt.ItemDataRole.UserRole))
        return ExperienceFields(
            kind=self.kind.currentData(),
            title=self.title_edit.text().strip(),
            institution=self.institution.text().strip(),
            specialty=self.specialty.text().strip(),
            start_date=self.start.date().toPython(),
            end_date=self._end_date(),
            notes=self.notes.toPlainText().strip(),
            mentor_ids=linked,
        )


def run_experience_dialog(
    parent: QWidget, experience_id: int | None = None, link_mentor: int | None = None
) -> int | None:
    """Open the dialog for a new (or existing) experience and save it; the
    dialog stays open with the user's input when saving fails. Returns the
    saved experience's id, or None when cancelled."""
    from desktop.store import experiences as store
    from desktop.ui.common import SaveFailed, guarded

    values = store.get_experience(experience_id) if experience_id is not None else None
    dialog = ExperienceDialog(
        store.mentor_choices(include_archived=experience_id is not None), values, parent
    )
    if link_mentor is not None:
        dialog.link_mentor(link_mentor)
    while dialog.exec():
        try:
            return guarded(parent, lambda: store.save_experience(dialog.values(), experience_id))
        except SaveFailed:
            continue
    return None
