"""The first-run dialog: profile and first cycle with per-service defaults."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel

from desktop.store.models import Cycle, Profile
from desktop.store.profile import needs_first_run, save_profile_and_first_cycle
from desktop.ui.shell.first_run import FirstRunDialog, season_year

from ..dialogs import type_text


def choose_service(dialog: FirstRunDialog, value: str) -> None:
    dialog.service.setCurrentIndex(dialog.service.findData(value))


def test_service_defaults_follow_the_choice(qtbot):
    dialog = FirstRunDialog(today=date(2026, 11, 21))
    qtbot.addWidget(dialog)
    assert dialog.cycle_name.text() == "ERAS residency 2027"
    assert dialog.max_letters.value() == 4 and not dialog.max_letters.isEnabled()
    choose_service(dialog, "amcas")
    assert dialog.max_letters.value() == 10 and not dialog.max_letters.isEnabled()
    assert dialog.cycle_name.text() == "AMCAS (MD schools) 2027"
    assert dialog.cycle().cap_scope == "per_application"
    choose_service(dialog, "eras_fellowship")
    assert dialog.max_letters.value() == 4
    choose_service(dialog, "other")
    assert dialog.max_letters.isEnabled()
    dialog.max_letters.setValue(6)
    assert dialog.cycle().max_letters_per_program == 6


def test_a_typed_cycle_name_is_kept_when_the_service_changes(qtbot):
    dialog = FirstRunDialog(today=date(2026, 3, 1))
    qtbot.addWidget(dialog)
    assert dialog.cycle_name.text() == "ERAS residency 2026"
    dialog.cycle_name.clear()
    qtbot.keyClicks(dialog.cycle_name, "Match 2026")
    choose_service(dialog, "amcas")
    assert dialog.cycle_name.text() == "Match 2026"


def test_start_requires_a_name_and_saves_profile_and_cycle(qtbot, db):
    dialog = FirstRunDialog(today=date(2026, 11, 21))
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.keyClicks(dialog.email, "me@school")
    qtbot.mouseClick(dialog.start_button, Qt.MouseButton.LeftButton)
    assert dialog.result() == 0 and dialog.isVisible()
    assert dialog.findChild(QLabel, "fullNameError").text() == "Your name is required."
    assert "valid email" in dialog.findChild(QLabel, "profileEmailError").text()

    type_text(dialog.full_name, "Zoë Ñúñez")
    dialog.email.clear()
    qtbot.keyClicks(dialog.email, "zoe@school.edu")
    dialog.specialty.setCurrentText("Internal Medicine")
    with qtbot.waitSignal(dialog.accepted, timeout=1000):
        qtbot.mouseClick(dialog.start_button, Qt.MouseButton.LeftButton)
    assert needs_first_run()
    save_profile_and_first_cycle(dialog.profile(), dialog.cycle())
    assert not needs_first_run()
    profile = Profile.get()
    assert (profile.full_name, profile.email, profile.target_specialty) == (
        "Zoë Ñúñez",
        "zoe@school.edu",
        "Internal Medicine",
    )
    assert profile.graduation_year == season_year(date(2026, 11, 21)) == 2027
    cycle = Cycle.get()
    assert (cycle.service, cycle.max_letters_per_program) == ("eras_residency", 4)


def test_every_service_is_offered_with_its_cap_scope_and_season(qtbot, db):
    from desktop.domain.letter_services import season_defaults, service_rules
    from desktop.domain.vocabulary import Service

    today = date(2026, 12, 2)
    dialog = FirstRunDialog(today=today)
    qtbot.addWidget(dialog)
    offered = [dialog.service.itemData(i) for i in range(dialog.service.count())]
    assert offered == [s.value for s in Service]
    choose_service(dialog, "residencycas")
    cycle = dialog.cycle()
    assert (cycle.max_letters_per_program, cycle.cap_scope) == (4, "per_program")
    # The season under way: opened in June 2026, the Match in March 2027.
    assert (cycle.opens_on, cycle.outcome_on) == (date(2026, 6, 4), date(2027, 3, 20))
    assert "Opens 4 June 2026" in dialog.season_hint.text()
    assert "Liaison Letters" in dialog.service_hint.text()
    choose_service(dialog, "tmdsas")
    assert "one committee packet or 3 individual letters" in dialog.service_hint.text()
    assert dialog.cycle().outcome_on == season_defaults("tmdsas", today)["outcome_on"]
    choose_service(dialog, "military_match")
    assert "dated within 6 months" in dialog.service_hint.toolTip()  # not checked, shown
    choose_service(dialog, "other")
    assert dialog.cycle().opens_on is None and "No usual dates" in dialog.season_hint.text()
    for service in Service:  # each one's defaults can be saved as offered
        choose_service(dialog, service.value)
        assert dialog.max_letters.value() == service_rules(service).cap
