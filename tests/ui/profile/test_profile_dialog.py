"""File → Profile and cycles with real widgets: editing the profile, a bad
email refused next to the field, adding an AMCAS cycle (cap 10), dates out
of order refused next to the field, and archiving a cycle."""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import QDate, Qt, QTimer
from PySide6.QtWidgets import QCheckBox, QDateEdit, QLabel, QLineEdit, QPushButton

from desktop.domain.letter_services import season_defaults, service_rules
from desktop.domain.vocabulary import Service
from desktop.store import profile as profile_store
from desktop.store.models import Cycle, Profile
from desktop.store.profile import CycleFields, ProfileFields
from desktop.ui.profile.profile_dialog import CycleDialog, ProfileDialog, open_profile_and_cycles

from ..dialogs import button, type_text

TODAY = date(2026, 11, 21)


@pytest.fixture
def setup(db):
    profile_store.save_profile_and_first_cycle(
        ProfileFields(full_name="Ada Park", email="ada@school.edu", school="State SOM"),
        CycleFields(Service.ERAS_RESIDENCY.value, "ERAS residency 2027", 4),
    )
    return Cycle.get().id


@pytest.fixture
def profile_dialog(qtbot, setup):
    dialog = ProfileDialog(today=TODAY)
    qtbot.addWidget(dialog)
    dialog.show()
    return dialog


def table_texts(dialog: ProfileDialog) -> list[list[str]]:
    table = dialog.table
    return [
        [table.item(row, column).text() for column in range(table.columnCount())]
        for row in range(table.rowCount())
    ]


def set_date(dialog, name: str, value: date) -> None:
    dialog.findChild(QCheckBox, name + "Unknown").setChecked(False)
    dialog.findChild(QDateEdit, name).setDate(QDate(value))


def test_editing_the_profile_name_is_saved(qtbot, setup, dialogs):
    def edit(dialog):
        assert dialog.full_name.text() == "Ada Park"
        dialog.full_name.clear()
        type_text(dialog.full_name, "Ada Park-Ñúñez")
        qtbot.mouseClick(button(dialog, "Save"), Qt.MouseButton.LeftButton)

    dialogs.then(edit)
    assert open_profile_and_cycles(None) is True
    dialogs.check()
    profile = Profile.get()
    assert profile.full_name == "Ada Park-Ñúñez"
    assert profile.email == "ada@school.edu" and profile.school == "State SOM"
    assert Profile.select().count() == 1


def test_cancel_saves_nothing(qtbot, setup, dialogs):
    def cancel(dialog):
        dialog.full_name.clear()
        qtbot.mouseClick(button(dialog, "Cancel"), Qt.MouseButton.LeftButton)

    dialogs.then(cancel)
    assert open_profile_and_cycles(None) is False
    dialogs.check()
    assert Profile.get().full_name == "Ada Park"


def test_a_bad_email_is_refused_next_to_the_field(qtbot, profile_dialog):
    profile_dialog.email.clear()
    qtbot.keyClicks(profile_dialog.email, "ada@school")
    error = profile_dialog.findChild(QLabel, "profileEmailError")
    qtbot.waitUntil(error.isVisible, timeout=3000)  # once the typing pauses
    assert "valid email" in error.text()
    qtbot.mouseClick(button(profile_dialog, "Save"), Qt.MouseButton.LeftButton)
    assert profile_dialog.isVisible() and profile_dialog.result() == 0
    assert Profile.get().email == "ada@school.edu"

    profile_dialog.full_name.clear()
    qtbot.mouseClick(button(profile_dialog, "Save"), Qt.MouseButton.LeftButton)
    assert profile_dialog.findChild(QLabel, "fullNameError").text() == "Your name is required."
    assert Profile.get().full_name == "Ada Park"


def through_cycle_form(qtbot, dialogs, open_button: str, fill) -> dict:
    """Open File → Profile and cycles, press ``open_button`` (Add cycle… or
    Edit… on the first row), let ``fill`` work the cycle form, then Save the
    outer dialog. Clicks are queued so the nested exec() never runs inside a
    driver handler."""
    seen: dict = {}

    def outer(dialog):
        seen["outer"] = dialog
        dialog.table.selectRow(0)
        QTimer.singleShot(0, dialog.findChild(QPushButton, open_button).click)

    def inner(dialog):
        assert isinstance(dialog, CycleDialog)
        fill(dialog, seen)
        QTimer.singleShot(0, save_outer)

    def save_outer():
        # Runs once the cycle form has closed and the list has reloaded.
        outer_dialog = seen["outer"]
        try:
            seen["rows"] = table_texts(outer_dialog)
            seen["changed"] = outer_dialog.cycles_changed
        finally:  # never leave the outer exec() running
            button(outer_dialog, "Save").click()

    dialogs.then(outer).then(inner)
    seen["result"] = open_profile_and_cycles(None)
    dialogs.check()
    return seen


def test_add_an_amcas_cycle_with_cap_10_and_a_match_day(qtbot, setup, dialogs, today):
    def add(dialog, seen):
        dialog.service.setCurrentIndex(dialog.service.findData(Service.AMCAS.value))
        seen["cap"] = (dialog.max_letters.value(), dialog.max_letters.isEnabled())
        seen["scope"] = (dialog.basics.cap_scope.currentText(), dialog.basics.cap_scope.isEnabled())
        seen["name"] = dialog.findChild(QLineEdit, "cycleName").text()
        seen["defaults"] = [d.value() for d in dialog.dates]
        seen["hint"] = dialog.service_hint.text()
        set_date(dialog, "opensOn", date(2027, 5, 1))
        set_date(dialog, "outcomeOn", date(2028, 3, 17))
        for name in ("submissionsOpenOn", "reviewStartsOn"):
            dialog.findChild(QCheckBox, name + "Unknown").setChecked(True)
        qtbot.mouseClick(button(dialog, "Save"), Qt.MouseButton.LeftButton)

    seen = through_cycle_form(qtbot, dialogs, "addCycle", add)
    assert seen["result"] is True and seen["changed"] is True
    assert seen["cap"] == (10, False) and seen["scope"] == ("per application", False)
    assert seen["name"] == "AMCAS (MD schools) 2027"
    # The service's usual season, for the season under way or next.
    assert seen["defaults"] == list(season_defaults(Service.AMCAS, today).values())
    assert "at most 10 letters per application" in seen["hint"]
    assert "AAMC Letter Writer Portal" in seen["hint"]
    amcas = Cycle.get(Cycle.service == Service.AMCAS.value)
    assert amcas.max_letters_per_program == 10 and amcas.name == "AMCAS (MD schools) 2027"
    assert amcas.cap_scope == "per_application"
    assert amcas.opens_on == date(2027, 5, 1) and amcas.outcome_on == date(2028, 3, 17)
    assert amcas.submissions_open_on is None and amcas.review_starts_on is None
    row = [
        "AMCAS (MD schools) 2027",
        "AMCAS (MD schools)",
        "at most 10 letters per application",
        "2028-03-17",
        "",
    ]
    assert row in seen["rows"]
    assert Cycle.select().count() == 2


@pytest.mark.parametrize("service", list(Service), ids=lambda s: s.value)
def test_every_service_is_offered_with_its_defaults(qtbot, db, service):
    dialog = CycleDialog(today=TODAY)
    qtbot.addWidget(dialog)
    dialog.service.setCurrentIndex(dialog.service.findData(service.value))
    rules = service_rules(service)
    assert dialog.max_letters.value() == rules.cap
    assert dialog.max_letters.isEnabled() == rules.cap_editable
    assert dialog.basics.scope_value() == rules.scope.value
    assert rules.display_name in dialog.service_hint.text()
    defaults = season_defaults(service, TODAY)
    values = [d.value() for d in dialog.dates]
    assert values == (list(defaults.values()) if defaults else [None] * 4)
    fields = dialog.fields()
    assert profile_store.create_cycle(fields)  # what the form offers, the store accepts


def test_dates_the_user_set_stay_when_the_service_changes(qtbot, db):
    dialog = CycleDialog(today=TODAY)
    qtbot.addWidget(dialog)
    set_date(dialog, "outcomeOn", date(2027, 3, 19))
    dialog.service.setCurrentIndex(dialog.service.findData(Service.TMDSAS.value))
    assert dialog.dates[3].value() == date(2027, 3, 19)


def test_a_cap_the_service_does_not_allow_is_explained(qtbot, setup, dialogs):
    """A cap kept from before format 3 (an ERAS cycle at 6): the store says why."""
    Cycle.update(max_letters_per_program=6).where(Cycle.id == setup).execute()
    seen = {}

    def save(dialog):
        seen["dialog"] = dialog
        # Queued: the refusal's own exec() must not run inside this handler.
        QTimer.singleShot(0, button(dialog, "Save").click)

    def refused(box):
        seen["text"] = box.text()
        seen["open"] = seen["dialog"].isVisible()
        box.accept()
        QTimer.singleShot(0, seen["dialog"].reject)

    dialogs.then(save).then(refused)
    dialog = CycleDialog(profile_store.get_cycle(setup), today=TODAY)
    qtbot.addWidget(dialog)
    dialog.exec()
    dialogs.check()
    assert seen["open"]
    assert "ERAS residency allows at most 4 letters per program" in seen["text"]
    assert Cycle.get_by_id(setup).max_letters_per_program == 6  # nothing half-saved


def test_outcome_before_opens_is_refused_next_to_the_field(qtbot, setup, dialogs):
    def edit(dialog, seen):
        seen["name"] = dialog.findChild(QLineEdit, "cycleName").text()
        set_date(dialog, "opensOn", date(2026, 6, 1))
        set_date(dialog, "outcomeOn", date(2026, 3, 20))
        qtbot.mouseClick(button(dialog, "Save"), Qt.MouseButton.LeftButton)
        error = dialog.findChild(QLabel, "outcomeOnError")
        seen["refused"] = (dialog.isVisible(), error.isVisible(), error.text())
        # Marking the outcome date unknown clears the error and saves.
        dialog.findChild(QCheckBox, "outcomeOnUnknown").setChecked(True)
        seen["cleared"] = error.isVisible()
        qtbot.mouseClick(button(dialog, "Save"), Qt.MouseButton.LeftButton)

    seen = through_cycle_form(qtbot, dialogs, "editCycle", edit)
    assert seen["name"] == "ERAS residency 2027"
    visible, error_visible, text = seen["refused"]
    assert visible and error_visible
    assert "Outcome (Match day) cannot be before Opens (2026-06-01)" in text
    assert seen["cleared"] is False
    cycle = Cycle.get_by_id(setup)
    assert cycle.opens_on == date(2026, 6, 1) and cycle.outcome_on is None


def test_archive_and_restore_a_cycle(qtbot, profile_dialog, setup):
    profile_dialog.table.selectRow(0)
    archive = profile_dialog.findChild(QPushButton, "archiveCycle")
    assert archive.text() == "Archive"
    qtbot.mouseClick(archive, Qt.MouseButton.LeftButton)
    assert Cycle.get_by_id(setup).archived is True
    assert table_texts(profile_dialog)[0][4] == "Yes"
    assert archive.text() == "Restore" and profile_dialog.cycles_changed
    qtbot.mouseClick(archive, Qt.MouseButton.LeftButton)
    assert Cycle.get_by_id(setup).archived is False


def test_store_updates_keep_other_profile_fields(setup):
    Profile.update(aamc_id="12345678", signature="Ada").execute()
    profile_store.update_profile(ProfileFields(full_name="Ada P.", graduation_year=2027))
    profile = Profile.get()
    assert (profile.full_name, profile.aamc_id, profile.signature) == ("Ada P.", "12345678", "Ada")
    other = profile_store.create_cycle(CycleFields(Service.OTHER.value, "Away rotations", 2))
    profile_store.update_cycle(
        other, CycleFields(Service.OTHER.value, "VSLO", 3, outcome_on=date(2027, 3, 19))
    )
    cycle = Cycle.get_by_id(other)
    assert (cycle.name, cycle.max_letters_per_program, cycle.outcome_on) == (
        "VSLO",
        3,
        date(2027, 3, 19),
    )
    profile_store.set_cycle_archived(other, True)
    assert Cycle.get_by_id(other).archived is True


def test_a_refused_cycle_change_is_explained_and_the_form_stays_open(qtbot, setup, dialogs):
    from desktop.store.models import LetterRequest, Mentor

    mentor = Mentor.create(last_name="Okafor", category="other")
    LetterRequest.create(mentor=mentor, cycle=setup, letter_type="narrative")
    seen = {}

    def edit(dialog):
        seen["cycle_dialog"] = dialog
        dialog.service.setCurrentIndex(dialog.service.findData(Service.AMCAS.value))
        # Queued: the refusal's own exec() must not run inside this handler.
        QTimer.singleShot(0, button(dialog, "Save").click)

    def refused(box):
        seen["text"] = box.text()
        seen["open"] = seen["cycle_dialog"].isVisible()
        box.accept()
        QTimer.singleShot(0, seen["cycle_dialog"].reject)  # then Cancel the form

    cycle_id = setup
    dialogs.then(edit).then(refused)
    dialog = CycleDialog(profile_store.get_cycle(cycle_id), today=TODAY)
    qtbot.addWidget(dialog)
    dialog.exec()
    dialogs.check()
    assert "already has letter requests, so its service cannot change" in seen["text"]
    assert seen["open"] and dialog.saved_id is None
    assert Cycle.get_by_id(cycle_id).service == Service.ERAS_RESIDENCY.value
