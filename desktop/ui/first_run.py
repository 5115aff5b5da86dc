"""First start: who is applying, and to which application cycle."""

from __future__ import annotations

from datetime import date

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QLabel,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from desktop.domain import validation as rules
from desktop.domain.cycles import MAX_LETTERS_LIMIT, default_cycle_name, rules_for
from desktop.domain.vocabulary import Service
from desktop.store.profile import CycleFields, ProfileFields

from .forms import FormValidator, combo, error_label, line_edit, with_error
from .labels import choices
from .style import set_role

COMMON_SPECIALTIES = [
    "Internal Medicine",
    "Family Medicine",
    "Pediatrics",
    "Emergency Medicine",
    "General Surgery",
    "Obstetrics and Gynecology",
    "Psychiatry",
    "Neurology",
    "Anesthesiology",
    "Radiology",
    "Orthopaedic Surgery",
    "Dermatology",
    "Pathology",
    "Ophthalmology",
    "Otolaryngology",
    "Urology",
    "Physical Medicine and Rehabilitation",
    "Medicine (AMCAS applicant)",
]


def season_year(today: date) -> int:
    """ERAS seasons are named by the Match year: from June on, applicants are
    applying for the next spring's Match."""
    return today.year + 1 if today.month >= 6 else today.year


class FirstRunDialog(QDialog):
    def __init__(self, parent: QWidget | None = None, today: date | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("firstRunDialog")
        self.setWindowTitle(self.tr("Welcome to LetterDesk"))
        self._today = today or date.today()
        self._name_edited = False
        self.validator = FormValidator(self)

        intro = QLabel(
            self.tr(
                "<b>Let’s set up your letters.</b><br>Tell LetterDesk who you are and which "
                "application season you are preparing: the season sets how many letters "
                "each program accepts."
            )
        )
        intro.setWordWrap(True)

        self.full_name = line_edit("fullName")
        self.email = line_edit("profileEmail", placeholder=self.tr("you@school.edu"))
        self.school = line_edit("school")
        self.graduation_year = QSpinBox()
        self.graduation_year.setObjectName("graduationYear")
        self.graduation_year.setRange(self._today.year - 60, self._today.year + 10)
        self.graduation_year.setValue(season_year(self._today))
        self.specialty = QComboBox()
        self.specialty.setObjectName("targetSpecialty")
        self.specialty.setEditable(True)
        self.specialty.addItems(COMMON_SPECIALTIES)
        self.specialty.setCurrentText("")
        self.specialty.lineEdit().setPlaceholderText(self.tr("Internal Medicine"))
        self.specialty.setAccessibleName(self.tr("Target specialty"))

        self.service = combo("service", choices(Service), Service.ERAS_RESIDENCY.value)
        self.cycle_name = line_edit("cycleName")
        self.cycle_name.textEdited.connect(self._cycle_name_edited)
        self.max_letters = QSpinBox()
        self.max_letters.setObjectName("maxLetters")
        self.max_letters.setRange(1, MAX_LETTERS_LIMIT)
        self.max_letters.setAccessibleName(self.tr("Letters per program"))
        self.service_hint = QLabel()
        self.service_hint.setObjectName("serviceHint")
        self.service_hint.setWordWrap(True)
        set_role(self.service_hint, "hint")
        self.service.currentIndexChanged.connect(self._service_changed)
        self._service_changed()

        name_error = error_label("fullNameError")
        self.validator.add(
            self.full_name,
            name_error,
            lambda: rules.person_name(self.full_name.text(), self.tr("Your name")),
        )
        email_error = error_label("profileEmailError")
        self.validator.add(self.email, email_error, lambda: rules.email_address(self.email.text()))
        school_error = error_label("schoolError")
        self.validator.add(
            self.school,
            school_error,
            lambda: rules.single_line(self.school.text(), self.tr("School")),
        )
        specialty_error = error_label("targetSpecialtyError")
        self.validator.add(
            self.specialty,
            specialty_error,
            lambda: rules.single_line(self.specialty.currentText(), self.tr("Target specialty")),
        )
        cycle_error = error_label("cycleNameError")
        self.validator.add(
            self.cycle_name,
            cycle_error,
            lambda: (
                rules.required(self.cycle_name.text(), self.tr("A name for the cycle"))
                or rules.single_line(self.cycle_name.text(), self.tr("The cycle name"))
            ),
        )

        you = QGroupBox(self.tr("You"))
        you_form = QFormLayout(you)
        you_form.addRow(self.tr("Full name *"), with_error(self.full_name, name_error))
        you_form.addRow(self.tr("Email"), with_error(self.email, email_error))
        you_form.addRow(self.tr("School"), with_error(self.school, school_error))
        you_form.addRow(self.tr("Graduation year"), self.graduation_year)
        you_form.addRow(self.tr("Target specialty"), with_error(self.specialty, specialty_error))

        cycle = QGroupBox(self.tr("Your first application cycle"))
        cycle_form = QFormLayout(cycle)
        cycle_form.addRow(self.tr("Service"), self.service)
        cycle_form.addRow(self.tr("Name *"), with_error(self.cycle_name, cycle_error))
        cycle_form.addRow(self.tr("Letters per program"), self.max_letters)
        cycle_form.addRow("", self.service_hint)

        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.start_button = buttons.addButton(
            self.tr("Start"), QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.start_button.setObjectName("startButton")
        self.start_button.setDefault(True)
        # Enter means Start, never Cancel, whichever button has been focused.
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setAutoDefault(False)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(you)
        layout.addWidget(cycle)
        layout.addWidget(buttons)
        self.full_name.setFocus()
        self.setMinimumWidth(560)

    def _cycle_name_edited(self, _text: str) -> None:
        self._name_edited = True

    def _service_changed(self) -> None:
        service = Service(self.service.currentData())
        service_rules = rules_for(service)
        self.max_letters.setValue(service_rules.default_max_letters)
        self.max_letters.setEnabled(service_rules.max_letters_editable)
        if not self._name_edited:
            self.cycle_name.setText(default_cycle_name(service, season_year(self._today)))
        hints = {
            Service.ERAS_RESIDENCY: self.tr(
                "ERAS: upload as many letters as you like, but at "
                "most 4 can be assigned to one program."
            ),
            Service.ERAS_FELLOWSHIP: self.tr("ERAS fellowship: at most 4 letters per program."),
            Service.AMCAS: self.tr(
                "AMCAS: up to 10 letters per application; some schools accept fewer."
            ),
            Service.OTHER: self.tr("Set how many letters each program accepts."),
        }
        self.service_hint.setText(hints[service])

    def accept(self) -> None:
        if self.validator.validate_all():
            super().accept()

    def profile(self) -> ProfileFields:
        return ProfileFields(
            full_name=self.full_name.text().strip(),
            email=rules.normalized_email(self.email.text()),
            school=self.school.text().strip(),
            graduation_year=self.graduation_year.value(),
            target_specialty=self.specialty.currentText().strip(),
        )

    def cycle(self) -> CycleFields:
        return CycleFields(
            service=self.service.currentData(),
            name=self.cycle_name.text().strip(),
            max_letters_per_program=self.max_letters.value(),
        )
