"""Add or edit a mentor: every field with its error shown where it is typed."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QLabel,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from desktop.domain import validation as rules
from desktop.domain.greeting import clean_greeting, inferred_greeting
from desktop.domain.vocabulary import MentorCategory, ReminderPreference
from desktop.store.mentors import MentorFields
from desktop.ui.common import (
    FormValidator,
    choices,
    combo,
    error_label,
    line_edit,
    save_cancel_buttons,
    set_role,
    with_error,
)

HONORIFICS = ["", "Dr.", "Prof.", "Mr.", "Ms.", "Mrs.", "Mx."]


def strength_choices() -> list[tuple[str, str]]:
    def tr(text: str) -> str:
        return QCoreApplication.translate("MentorDialog", text)

    return [
        (tr("5 — knows my work very well"), "5"),
        (tr("4 — knows my work well"), "4"),
        (tr("3 — has seen my work"), "3"),
        (tr("2 — knows me a little"), "2"),
        (tr("1 — barely knows me"), "1"),
    ]


class MentorDialog(QDialog):
    def __init__(self, values: MentorFields | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("mentorDialog")
        editing = values is not None
        values = values or MentorFields(last_name="", category=MentorCategory.CLINICAL_SUPERVISOR)
        self.setWindowTitle(self.tr("Edit mentor") if editing else self.tr("New mentor"))
        self.validator = FormValidator(self)

        self.honorific = QComboBox()
        self.honorific.setObjectName("honorific")
        self.honorific.setEditable(True)
        self.honorific.addItems(HONORIFICS)
        self.honorific.setCurrentText(values.honorific)
        self.honorific.setAccessibleName(self.tr("Honorific"))
        self.honorific.lineEdit().setMaxLength(40)
        self.first_name = line_edit("firstName", values.first_name)
        self.last_name = line_edit("lastName", values.last_name)
        self.credentials = line_edit("credentials", values.credentials, self.tr("MD, PhD"))
        # Empty: the emails use the greeting inferred from the fields above,
        # which the placeholder and the line under it show as they are typed.
        self.greeting = line_edit("greeting", values.greeting)
        self.greeting.setAccessibleName(self.tr("Greeting"))
        self.greeting.setToolTip(
            self.tr(
                "How your emails open, e.g. “Dear Dr. Lopez” or “Dear Maria”. "
                "Leave it empty to use the suggestion."
            )
        )
        self.greeting_preview = QLabel()
        self.greeting_preview.setObjectName("greetingPreview")
        self.greeting_preview.setWordWrap(True)
        set_role(self.greeting_preview, "hint")
        self.title = line_edit("title", values.title, self.tr("Associate Professor of Medicine"))
        self.department = line_edit("department", values.department)
        self.specialty = line_edit("specialty", values.specialty, self.tr("Internal Medicine"))
        self.institution = line_edit("institution", values.institution)
        self.email = line_edit("email", values.email, self.tr("name@hospital.org"))
        self.phone = line_edit("phone", values.phone)
        self.category = combo("category", choices(MentorCategory), values.category)
        self.strength = combo("strength", strength_choices(), str(values.strength))
        self.is_chair = QCheckBox(self.tr("Department chair"))
        self.is_chair.setObjectName("isDepartmentChair")
        self.is_chair.setChecked(values.is_department_chair)
        self.can_standardized = QCheckBox(self.tr("Can write a standardized letter (SLOE/eSLOR)"))
        self.can_standardized.setObjectName("canWriteStandardized")
        self.can_standardized.setChecked(values.can_write_standardized)
        self.reminders = combo(
            "reminderPreference", choices(ReminderPreference), values.reminder_preference
        )
        self.how_met = line_edit("howMet", values.how_met, self.tr("Medicine clerkship, ward team"))
        self.notes = QPlainTextEdit(values.notes)
        self.notes.setObjectName("notes")
        self.notes.setAccessibleName(self.tr("Notes"))
        self.notes.setTabChangesFocus(True)

        name_box = QGroupBox(self.tr("Name"))
        name_form = QFormLayout(name_box)
        name_form.addRow(self.tr("Honorific"), self.honorific)
        name_form.addRow(
            self.tr("First name"),
            self._checked(
                self.first_name,
                "firstNameError",
                lambda: rules.person_name(
                    self.first_name.text(), self.tr("First name"), optional=True
                ),
            ),
        )
        name_form.addRow(
            self.tr("Last name *"),
            self._checked(
                self.last_name,
                "lastNameError",
                lambda: rules.person_name(self.last_name.text(), self.tr("Last name")),
            ),
        )
        name_form.addRow(
            self.tr("Credentials"),
            self._checked(
                self.credentials,
                "credentialsError",
                lambda: rules.single_line(self.credentials.text(), self.tr("Credentials")),
            ),
        )

        name_form.addRow(
            self.tr("Greeting"),
            self._checked(
                self.greeting,
                "greetingError",
                lambda: rules.single_line(self.greeting.text(), self.tr("Greeting")),
            ),
        )
        name_form.addRow("", self.greeting_preview)
        for edit in (self.first_name, self.last_name, self.credentials, self.greeting):
            edit.textChanged.connect(self._show_greeting)
        self.honorific.currentTextChanged.connect(self._show_greeting)
        self._show_greeting()

        role_box = QGroupBox(self.tr("Role"))
        role_form = QFormLayout(role_box)
        for label, edit, what in (
            (self.tr("Title"), self.title, "title"),
            (self.tr("Department"), self.department, "department"),
            (self.tr("Specialty"), self.specialty, "specialty"),
            (self.tr("Institution"), self.institution, "institution"),
        ):
            role_form.addRow(
                label,
                self._checked(
                    edit, f"{what}Error", lambda e=edit, lab=label: rules.single_line(e.text(), lab)
                ),
            )

        contact_box = QGroupBox(self.tr("Contact"))
        contact_form = QFormLayout(contact_box)
        contact_form.addRow(
            self.tr("Email"),
            self._checked(self.email, "emailError", lambda: rules.email_address(self.email.text())),
        )
        contact_form.addRow(
            self.tr("Phone"),
            self._checked(
                self.phone,
                "phoneError",
                lambda: rules.single_line(self.phone.text(), self.tr("Phone"), rules.PHONE_MAX),
            ),
        )

        relation_box = QGroupBox(self.tr("Relationship"))
        relation_form = QFormLayout(relation_box)
        relation_form.addRow(self.tr("Category"), self.category)
        relation_form.addRow(self.tr("Strength"), self.strength)
        relation_form.addRow("", self.is_chair)
        relation_form.addRow("", self.can_standardized)
        relation_form.addRow(self.tr("Reminders"), self.reminders)
        relation_form.addRow(
            self.tr("How we met"),
            self._checked(
                self.how_met,
                "howMetError",
                lambda: rules.single_line(
                    self.how_met.text(), self.tr("How we met"), rules.SUMMARY_MAX
                ),
            ),
        )
        relation_form.addRow(
            self.tr("Notes"),
            self._checked(
                self.notes,
                "notesError",
                lambda: rules.max_length(
                    self.notes.toPlainText(), rules.NOTES_MAX, self.tr("Notes")
                ),
            ),
        )

        grid = QGridLayout()
        grid.addWidget(name_box, 0, 0)
        grid.addWidget(role_box, 1, 0)
        grid.addWidget(contact_box, 2, 0)
        grid.addWidget(relation_box, 0, 1, 3, 1)
        grid.setColumnStretch(0, 1)
        grid.setColumnStretch(1, 1)

        buttons = save_cancel_buttons(self)

        layout = QVBoxLayout(self)
        layout.addLayout(grid)
        layout.addWidget(buttons)
        self.last_name.setFocus() if editing else self.first_name.setFocus()
        self.resize(860, 560)

    def inferred_greeting(self) -> str:
        return inferred_greeting(
            self.honorific.currentText(),
            self.first_name.text(),
            self.last_name.text(),
            self.credentials.text(),
        )

    def _show_greeting(self, *_args) -> None:
        suggested = self.inferred_greeting()
        self.greeting.setPlaceholderText(suggested)
        used = clean_greeting(self.greeting.text()) or suggested
        self.greeting_preview.setText(
            self.tr("Emails open with “{greeting},”").format(greeting=used)
        )

    def _checked(self, field: QWidget, error_name: str, check) -> QWidget:
        label = error_label(error_name)
        self.validator.add(field, label, check)
        return with_error(field, label)

    def accept(self) -> None:
        if self.validator.validate_all():
            super().accept()

    def values(self) -> MentorFields:
        return MentorFields(
            honorific=self.honorific.currentText().strip(),
            first_name=self.first_name.text().strip(),
            last_name=self.last_name.text().strip(),
            credentials=self.credentials.text().strip(),
            title=self.title.text().strip(),
            department=self.department.text().strip(),
            specialty=self.specialty.text().strip(),
            institution=self.institution.text().strip(),
            email=rules.normalized_email(self.email.text()),
            phone=self.phone.text().strip(),
            category=self.category.currentData(),
            is_department_chair=self.is_chair.isChecked(),
            can_write_standardized=self.can_standardized.isChecked(),
            strength=int(self.strength.currentData()),
            reminder_preference=self.reminders.currentData(),
            how_met=self.how_met.text().strip(),
            notes=self.notes.toPlainText().strip(),
            greeting=clean_greeting(self.greeting.text()),
        )
