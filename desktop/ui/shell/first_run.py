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
from desktop.ui.common import FormValidator, set_role
from desktop.ui.profile import CycleBasics, ProfileForm, reserve_lines, season_year

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
                "application season you are preparing: its service (ERAS, ResidencyCAS, "
                "AMCAS…) sets how many letters you can send and where writers submit them."
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
        self.cap_scope = self.basics.cap_scope
        # The service's usual season dates go in with the cycle; they are
        # shown here and edited in Profile and cycles.
        self.season_hint = QLabel()
        self.season_hint.setObjectName("seasonHint")
        self.season_hint.setWordWrap(True)
        set_role(self.season_hint, "hint")
        reserve_lines(self.season_hint, 3)
        cycle_form = cycle.layout()
        assert isinstance(cycle_form, QFormLayout)
        cycle_form.addRow(self.tr("Season"), self.season_hint)
        self.service.currentIndexChanged.connect(self._show_season)
        self._show_season()

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

    def _show_season(self) -> None:
        dates = self.basics.season_dates()
        if dates["opens_on"] is None:
            self.season_hint.setText(
                self.tr("No usual dates for this service: add yours in Profile and cycles.")
            )
            return
        self.season_hint.setText(
            self.tr(
                "Opens {opens}, applications from {submit}, programs review from {review}, "
                "outcome {outcome}. Change them later in Profile and cycles."
            ).format(
                opens=_day(dates["opens_on"]),
                submit=_day(dates["submissions_open_on"]),
                review=_day(dates["review_starts_on"]),
                outcome=_day(dates["outcome_on"]),
            )
        )

    def accept(self) -> None:
        if self.validator.validate_all():
            super().accept()

    def profile(self) -> ProfileFields:
        return self.you.fields()

    def cycle(self) -> CycleFields:
        dates = self.basics.season_dates()
        return CycleFields(
            service=self.service.currentData(),
            name=self.cycle_name.text().strip(),
            max_letters_per_program=self.max_letters.value(),
            cap_scope=self.basics.scope_value(),
            opens_on=dates["opens_on"],
            submissions_open_on=dates["submissions_open_on"],
            review_starts_on=dates["review_starts_on"],
            outcome_on=dates["outcome_on"],
        )


def _day(value: date | None) -> str:
    return "" if value is None else f"{value:%-d %B %Y}"
