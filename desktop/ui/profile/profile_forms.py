"""The applicant's profile fields and a cycle's service/name/cap fields,
shared by the first-run dialog and File → Profile and cycles."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QComboBox, QFormLayout, QHBoxLayout, QLabel, QSpinBox, QWidget

from desktop.domain import validation as rules
from desktop.domain.letter_services import (
    MAX_LETTERS_LIMIT,
    LetterServiceRules,
    cap_sentence,
    default_cycle_name,
    scopes_allowed,
    season_defaults,
    service_rules,
)
from desktop.domain.vocabulary import AssignmentUndo, Service
from desktop.store.profile import ProfileDetails, ProfileFields
from desktop.ui.common import (
    FormValidator,
    choices,
    combo,
    error_label,
    line_edit,
    set_role,
    with_error,
)

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


def tr(text: str) -> str:
    return QCoreApplication.translate("ProfileForms", text)


def reserve_lines(label: QLabel, lines: int) -> None:
    """Keep room for ``lines`` wrapped lines, so a hint that grows when the
    service changes is never cut off by a dialog already laid out."""
    label.setMinimumHeight(label.fontMetrics().lineSpacing() * lines + 4)


def select_data(box: QComboBox, data: object) -> None:
    index = box.findData(data)
    if index >= 0:
        box.setCurrentIndex(index)


def season_year(today: date) -> int:
    """ERAS seasons are named by the Match year: from June on, applicants are
    applying for the next spring's Match."""
    return today.year + 1 if today.month >= 6 else today.year


class ProfileForm:
    """Name, email, school, graduation year and target specialty, each
    checked as typed through ``validator``, laid out in ``form``."""

    def __init__(
        self,
        form: QFormLayout,
        validator: FormValidator,
        today: date,
        profile: ProfileDetails | None = None,
    ) -> None:
        self.full_name = line_edit("fullName", profile.full_name if profile else "")
        self.full_name.setAccessibleName(tr("Full name"))
        self.email = line_edit(
            "profileEmail", profile.email if profile else "", placeholder=tr("you@school.edu")
        )
        self.email.setAccessibleName(tr("Email"))
        self.school = line_edit("school", profile.school if profile else "")
        self.school.setAccessibleName(tr("School"))
        self.graduation_year = QSpinBox()
        self.graduation_year.setObjectName("graduationYear")
        self.graduation_year.setAccessibleName(tr("Graduation year"))
        self.graduation_year.setRange(today.year - 60, today.year + 10)
        year = profile.graduation_year if profile and profile.graduation_year else None
        self.graduation_year.setValue(year or season_year(today))
        self.specialty = QComboBox()
        self.specialty.setObjectName("targetSpecialty")
        self.specialty.setEditable(True)
        self.specialty.addItems(COMMON_SPECIALTIES)
        self.specialty.setCurrentText(profile.target_specialty if profile else "")
        self.specialty.lineEdit().setPlaceholderText(tr("Internal Medicine"))
        self.specialty.setAccessibleName(tr("Target specialty"))

        checks = (
            (self.full_name, "fullNameError", "Full name *",
             lambda: rules.person_name(self.full_name.text(), tr("Your name"))),
            (self.email, "profileEmailError", "Email",
             lambda: rules.email_address(self.email.text())),
            (self.school, "schoolError", "School",
             lambda: rules.single_line(self.school.text(), tr("School"))),
        )  # fmt: skip
        for widget, error_name, label, check in checks:
            error = error_label(error_name)
            validator.add(widget, error, check)
            form.addRow(tr(label), with_error(widget, error))
        form.addRow(tr("Graduation year"), self.graduation_year)
        specialty_error = error_label("targetSpecialtyError")
        validator.add(
            self.specialty,
            specialty_error,
            lambda: rules.single_line(self.specialty.currentText(), tr("Target specialty")),
        )
        form.addRow(tr("Target specialty"), with_error(self.specialty, specialty_error))

    def fields(self) -> ProfileFields:
        return ProfileFields(
            full_name=self.full_name.text().strip(),
            email=rules.normalized_email(self.email.text()),
            school=self.school.text().strip(),
            graduation_year=self.graduation_year.value(),
            target_specialty=self.specialty.currentText().strip(),
        )


class CycleBasics:
    """Service, name, letter cap and what the cap counts. The cap and its
    scope follow the service's declaration (editable only where the service
    lets the user set them, e.g. Other) and the name follows the service
    until typed. ``season_dates`` gives the service's default dates for the
    season that opens in the current application year."""

    def __init__(
        self,
        form: QFormLayout,
        validator: FormValidator,
        today: date,
        *,
        service_object_name: str,
        service: str = Service.ERAS_RESIDENCY.value,
        name: str | None = None,
        max_letters: int | None = None,
        cap_scope: str | None = None,
    ) -> None:
        self._today = today
        self._name_edited = name is not None
        self.service = combo(service_object_name, choices(Service), service)
        self.service.setAccessibleName(tr("Service"))
        self.cycle_name = line_edit("cycleName", name or "")
        self.cycle_name.setAccessibleName(tr("Cycle name"))
        self.cycle_name.textEdited.connect(self._name_typed)
        self.max_letters = QSpinBox()
        self.max_letters.setObjectName("maxLetters")
        self.max_letters.setRange(1, MAX_LETTERS_LIMIT)
        self.max_letters.setAccessibleName(tr("Letter cap"))
        self.cap_scope = QComboBox()
        self.cap_scope.setObjectName("capScope")
        self.cap_scope.setAccessibleName(tr("What the cap counts"))
        self.service_hint = QLabel()
        self.service_hint.setObjectName("serviceHint")
        self.service_hint.setWordWrap(True)
        set_role(self.service_hint, "hint")
        reserve_lines(self.service_hint, 3)
        self.service.currentIndexChanged.connect(self._service_changed)
        self.max_letters.valueChanged.connect(self._update_hint)
        self.cap_scope.currentIndexChanged.connect(self._update_hint)
        self._service_changed()
        if max_letters is not None:
            # The stored cap, not the service default (Other cycles set their own).
            self.max_letters.setValue(max_letters)
        if cap_scope is not None:
            select_data(self.cap_scope, cap_scope)

        name_error = error_label("cycleNameError")
        validator.add(
            self.cycle_name,
            name_error,
            lambda: (
                rules.required(self.cycle_name.text(), tr("A name for the cycle"))
                or rules.single_line(self.cycle_name.text(), tr("The cycle name"))
            ),
        )
        cap_row = QWidget()
        cap_layout = QHBoxLayout(cap_row)
        cap_layout.setContentsMargins(0, 0, 0, 0)
        cap_layout.addWidget(self.max_letters)
        cap_layout.addWidget(self.cap_scope, 1)
        form.addRow(tr("Service"), self.service)
        form.addRow(tr("Name *"), with_error(self.cycle_name, name_error))
        form.addRow(tr("Letter cap"), cap_row)
        form.addRow("", self.service_hint)

    def rules(self) -> LetterServiceRules:
        return service_rules(self.service.currentData())

    def scope_value(self) -> str:
        return str(self.cap_scope.currentData())

    def season_dates(self) -> dict[str, date | None]:
        """The service's default dates for the season under way or next
        (all None for a service without defaults, such as Other)."""
        dates = season_defaults(self.service.currentData(), self._today)
        return dict(dates) if dates else dict.fromkeys(SEASON_FIELDS)

    def _name_typed(self, _text: str) -> None:
        self._name_edited = True

    def _service_changed(self) -> None:
        service = Service(self.service.currentData())
        service_rules_ = service_rules(service)
        self.cap_scope.blockSignals(True)
        self.cap_scope.clear()
        for scope in scopes_allowed(service):
            self.cap_scope.addItem(tr(scope.label), scope.value)
        select_data(self.cap_scope, service_rules_.scope.value)
        self.cap_scope.setEnabled(self.cap_scope.count() > 1)
        self.cap_scope.blockSignals(False)
        self.max_letters.setValue(service_rules_.cap)
        self.max_letters.setEnabled(service_rules_.cap_editable)
        if not self._name_edited:
            self.cycle_name.setText(default_cycle_name(service, season_year(self._today)))
        self._update_hint()

    def _update_hint(self) -> None:
        service_rules_ = self.rules()
        cap = cap_sentence(self.max_letters.value(), self.scope_value(), service_rules_)
        portal = service_rules_.portal
        parts = [
            tr("{service}: {cap}.").format(service=service_rules_.display_name, cap=cap),
            tr("Writers submit through {portal}.").format(portal=portal) if portal else "",
            tr("Assigned letters cannot be unassigned.")
            if service_rules_.undo is AssignmentUndo.NEVER
            else tr("A submitted letter stays assigned.")
            if service_rules_.undo is AssignmentUndo.UNTIL_SUBMITTED
            else "",
            tr("Set the cap the programs accept.") if service_rules_.cap_editable else "",
        ]
        self.service_hint.setText(" ".join(part for part in parts if part))
        # Rules the app does not check (letters dated within 6 months…).
        self.service_hint.setToolTip("\n".join(service_rules_.notes))


# The cycle fields a service's season defaults fill, in date order.
SEASON_FIELDS = ("opens_on", "submissions_open_on", "review_starts_on", "outcome_on")
