"""Experiences: managed on their own page, linked to several mentors."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import QLabel, QPushButton

from desktop.store.models import Experience, ExperienceMentor

from ..dialogs import button, click_message_button


def test_rotation_with_two_mentors_refuses_end_before_start(window, qtbot, make_mentor, dialogs):
    okafor = make_mentor("Okafor", first_name="Amara")
    martinez = make_mentor("Martínez", first_name="José")
    make_mentor("Haddad", first_name="Layla")
    window.show_page("experiences")
    page = window.page("experiences")
    assert page.empty_state.isVisible() and not page.table.isVisible()
    seen = {}

    def fill(dialog):
        qtbot.keyClicks(dialog.title_edit, "Internal medicine sub-internship")
        qtbot.keyClicks(dialog.institution, "Lakeshore University Hospital")
        dialog.start.setDate(QDate(2026, 11, 2))
        dialog.end.setDate(QDate(2026, 10, 30))
        seen["error"] = dialog.findChild(QLabel, "datesError").text()
        qtbot.mouseClick(button(dialog, "Save"), Qt.MouseButton.LeftButton)
        seen["still_open"] = dialog.isVisible()
        dialog.end.setDate(QDate(2026, 11, 29))
        seen["error_after"] = dialog.findChild(QLabel, "datesError").isVisible()
        for row in range(dialog.mentor_list.count()):
            item = dialog.mentor_list.item(row)
            if item.text() in ("Amara Okafor", "José Martínez"):
                item.setCheckState(Qt.CheckState.Checked)
        qtbot.mouseClick(button(dialog, "Save"), Qt.MouseButton.LeftButton)

    dialogs.then(fill)
    qtbot.mouseClick(page.findChild(QPushButton, "addExperience"), Qt.MouseButton.LeftButton)
    dialogs.check()

    assert seen["error"] == "The end date is before the start date."
    assert seen["still_open"] and seen["error_after"] is False
    experience = Experience.get()
    assert (experience.start_date, experience.end_date) == (date(2026, 11, 2), date(2026, 11, 29))
    linked = {link.mentor_id for link in ExperienceMentor.select()}
    assert linked == {okafor, martinez}
    assert page.model.rowCount() == 1
    assert page.model.index(0, 5).data() == "Amara Okafor; José Martínez"

    # The mentor page shows the shared experience for each linked mentor.
    window.show_page("mentors")
    window.page("mentors").select_id(martinez)
    detail_rows = window.page("mentors").detail.experience_model
    assert detail_rows.rowCount() == 1
    assert "Internal medicine sub-internship" in detail_rows.index(0, 0).data()


def test_experience_search_and_ongoing(window, qtbot, make_mentor, dialogs):
    page = window.page("experiences")
    window.show_page("experiences")

    def fill(dialog):
        qtbot.keyClicks(dialog.title_edit, "Heart failure research")
        kind = dialog.kind
        kind.setCurrentIndex(kind.findData("research"))
        dialog.ongoing.setChecked(True)
        qtbot.mouseClick(button(dialog, "Save"), Qt.MouseButton.LeftButton)

    dialogs.then(fill)
    window.add_experience_action.trigger()
    dialogs.check()
    assert Experience.get().end_date is None
    assert page.model.index(0, 4).data() == "ongoing"
    qtbot.keyClicks(window.search, "cardiology")
    assert page.model.rowCount() == 0
    window.search.clear()
    qtbot.keyClicks(window.search, "heart")
    assert page.model.rowCount() == 1


def test_many_experiences_load_in_a_worker_without_freezing_the_page(window, qtbot, db):
    from desktop.ui.experiences.experiences_page import SYNC_LOAD_LIMIT

    total = SYNC_LOAD_LIMIT + 10
    Experience.insert_many(
        [
            {"kind": "course", "title": f"Course {n}", "start_date": date(2025, 1, 1)}
            for n in range(total)
        ]
    ).execute()
    page = window.page("experiences")
    with qtbot.waitSignal(page.loaded, timeout=10_000):
        window.show_page("experiences")
        assert page.count_label.text() == "Loading experiences…"
    assert page.model.rowCount() == total


def test_deleting_an_experience_asks_first_and_keeps_its_mentors(
    window, qtbot, make_mentor, dialogs
):
    from desktop.store.experiences import ExperienceFields, save_experience
    from desktop.store.models import Mentor

    okafor = make_mentor("Okafor")
    save_experience(ExperienceFields("rotation", "Medicine", mentor_ids=[okafor]))
    window.show_page("experiences")
    page = window.page("experiences")
    page.table.selectRow(0)
    seen = {}

    def cancel(box):
        seen["default"] = box.defaultButton().objectName()
        seen["text"] = box.text()
        click_message_button(box, "Cancel")

    dialogs.then(cancel)
    qtbot.mouseClick(page.delete_button, Qt.MouseButton.LeftButton)
    dialogs.check()
    assert seen["default"] == "cancelButton"
    assert "Delete “Medicine”?" in seen["text"]
    assert Experience.select().count() == 1

    dialogs.then(lambda box: click_message_button(box, "Delete experience"))
    qtbot.mouseClick(page.delete_button, Qt.MouseButton.LeftButton)
    dialogs.check()
    assert Experience.select().count() == 0 and ExperienceMentor.select().count() == 0
    assert [m.id for m in Mentor.select()] == [okafor]
    assert page.model.rowCount() == 0 and page.empty_state.isVisible()
