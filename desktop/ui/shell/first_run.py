"""First start: who is applying, and to which application cycle."""

from __future__ import annotations

from datetime import date

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QLabel,
    QVBoxLayout,
    QWidget,
)

from desktop.store.profile import CycleFields, ProfileFields
from desktop.ui.common import FormValidator
from desktop.ui.profile import CycleBasics, ProfileForm, season_year

__all__ = ["FirstRunDialog", "season_year"]


class FirstRunDialog(QDialog):
    def __init__(self, parent: QWidget | None = None, today: date | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("firstRunDialog")
        self.setWindowTitle(self.tr("Welcome to LetterDesk"))
        today = today or date.today()
        self.validator = FormValidator(self)

        intro = QLabel(
            self.tr(
                "<b>Let’s set up your letters.</b><br>Tell LetterDesk who you are and which "
                "application season you are preparing: the season sets how many letters "
                "each program accepts."
            )
        )
        intro.setWordWrap(True)

        you = QGroupBox(self.tr("You"))
        self.you = ProfileForm(QFormLayout(you), self.validator, today)
        cycle = QGroupBox(self.tr("Your first application cycle"))
        self.basics = CycleBasics(
            QFormLayout(cycle), self.validator, today, service_object_name="service"
        )
        # The widgets tests and callers reach for directly.
        self.full_name, self.email = self.you.full_name, self.you.email
        self.school, self.specialty = self.you.school, self.you.specialty
        self.graduation_year = self.you.graduation_year
        self.service, self.cycle_name = self.basics.service, self.basics.cycle_name
        self.max_letters, self.service_hint = self.basics.max_letters, self.basics.service_hint

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

    def accept(self) -> None:
        if self.validator.validate_all():
            super().accept()

    def profile(self) -> ProfileFields:
        return self.you.fields()

    def cycle(self) -> CycleFields:
        return CycleFields(
            service=self.service.currentData(),
            name=self.cycle_name.text().strip(),
            max_letters_per_program=self.max_letters.value(),
        )
