"""The Mentors page driven as a user drives it: typing, clicking, filtering."""

from __future__ import annotations

from datetime import date, timedelta

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QCheckBox, QComboBox, QLabel, QLineEdit, QPushButton

from desktop.store.models import Cycle, Interaction, LetterRequest, Mentor

from ..dialogs import button, click_message_button, type_text


def visible_names(page) -> list[str]:
    model = page.model
    return [model.index(row, 0).data() for row in range(model.rowCount())]


def test_add_mentor_refuses_bad_input_next_to_the_field_then_saves(window, qtbot, dialogs):
    page = window.page("mentors")
    seen = {}

    def fill(dialog):
        email = dialog.findChild(QLineEdit, "email")
        qtbot.keyClicks(email, "amara.okafor@")
        email_error = dialog.findChild(QLabel, "emailError")
        seen["while_typing"] = email_error.isVisible()  # not wrong yet: still typing
        qtbot.waitUntil(email_error.isVisible, timeout=3000)  # the typing paused
        seen["email_error"] = (email_error.isVisible(), email_error.text())
        save = button(dialog, "Save")
        qtbot.mouseClick(save, Qt.MouseButton.LeftButton)
        last_error = dialog.findChild(QLabel, "lastNameError")
        seen["still_open"] = dialog.isVisible()
        seen["last_error"] = (last_error.isVisible(), last_error.text())
        email.clear()
        qtbot.keyClicks(email, "Amara.Okafor@Lakeshore.EDU")
        seen["email_error_after_fix"] = email_error.isVisible()
        dialog.findChild(QComboBox, "honorific").setCurrentText("Dr.")
        qtbot.keyClicks(dialog.findChild(QLineEdit, "firstName"), "Amara")
        qtbot.keyClicks(dialog.findChild(QLineEdit, "lastName"), "Okafor")
        qtbot.keyClicks(dialog.findChild(QLineEdit, "credentials"), "MD")
        category = dialog.findChild(QComboBox, "category")
        category.setCurrentIndex(category.findData("academic_advisor"))
        dialog.findChild(QCheckBox, "isDepartmentChair").setChecked(True)
        qtbot.mouseClick(save, Qt.MouseButton.LeftButton)

    dialogs.then(fill)
    qtbot.mouseClick(page.findChild(QPushButton, "addMentor"), Qt.MouseButton.LeftButton)
    dialogs.check()

    assert seen["while_typing"] is False
    assert seen["email_error"][0] and "valid email" in seen["email_error"][1]
    assert seen["still_open"]
    assert seen["last_error"] == (True, "Last name is required.")
    assert seen["email_error_after_fix"] is False
    mentor = Mentor.get()
    assert (mentor.honorific, mentor.first_name, mentor.last_name) == ("Dr.", "Amara", "Okafor")
    assert mentor.email == "Amara.Okafor@lakeshore.edu"  # domain lower-cased, local part kept
    assert mentor.category == "academic_advisor" and mentor.is_department_chair
    assert visible_names(page) == ["Dr. Amara Okafor, MD"]
    assert page.detail.name_label.text() == "Dr. Amara Okafor, MD"
    assert page.detail.last_contact_label.text() == "Last contact: never"


def test_search_filters_as_you_type_and_category_and_archive_filters_combine(
    window, qtbot, make_mentor
):
    make_mentor("Okafor", first_name="Amara", specialty="Internal Medicine")
    make_mentor("Lefèvre", first_name="Renée", category="academic_advisor")
    make_mentor("Haddad", first_name="Layla", specialty="Emergency Medicine")
    archived = make_mentor("Stone", first_name="Old", specialty="Internal Medicine")
    Mentor.update(archived=True).where(Mentor.id == archived).execute()
    page = window.page("mentors")
    page.reload()
    assert sorted(visible_names(page)) == ["Amara Okafor", "Layla Haddad", "Renée Lefèvre"]

    qtbot.keySequence(window, QKeySequence(QKeySequence.StandardKey.Find))
    assert window.search.hasFocus()
    qtbot.keyClicks(window.search, "internal")
    assert visible_names(page) == ["Amara Okafor"]
    assert page.count_label.text() == "1 of 4 mentors"

    page.show_archived.click()
    assert sorted(visible_names(page)) == ["Amara Okafor", "Old Stone"]

    window.search.clear()
    page.category_filter.setCurrentIndex(page.category_filter.findData("academic_advisor"))
    assert visible_names(page) == ["Renée Lefèvre"]

    # Accents are matched as typed; nothing matching shows the reason.
    type_text(window.search, "renée")
    assert visible_names(page) == ["Renée Lefèvre"]
    qtbot.keyClicks(window.search, "zzz")
    assert visible_names(page) == []
    assert page.detail.placeholder.text() == "No mentor matches the search and filters."


def test_sorting_by_last_contact_puts_never_contacted_first_ascending(window, qtbot, make_mentor):
    make_mentor("Recent", days_ago=2)
    make_mentor("Never")
    make_mentor("Longago", days_ago=90)
    page = window.page("mentors")
    page.reload()
    header = page.table.horizontalHeader()
    header.setSortIndicator(5, Qt.SortOrder.AscendingOrder)
    assert visible_names(page) == ["Never", "Longago", "Recent"]
    assert [page.model.index(r, 5).data() for r in range(3)] == [
        "never",
        "90 days ago",
        "2 days ago",
    ]
    header.setSortIndicator(5, Qt.SortOrder.DescendingOrder)
    assert visible_names(page) == ["Recent", "Longago", "Never"]


def test_logging_an_interaction_updates_last_contact_everywhere(
    window, qtbot, make_mentor, dialogs
):
    mentor_id = make_mentor("Okafor", first_name="Amara", honorific="Dr.", days_ago=23)
    page = window.page("mentors")
    page.reload()
    page.select_id(mentor_id)
    assert page.detail.last_contact_label.text() == "Last contact: 23 days ago"
    assert page.model.index(0, 5).data() == "23 days ago"

    def log(dialog):
        assert dialog.findChild(QLabel, "interactionHeading").text() == "With Dr. Amara Okafor"
        kind = dialog.findChild(QComboBox, "kind")
        kind.setCurrentIndex(kind.findData("feedback"))
        qtbot.keyClicks(dialog.summary, "Said my presentation on DKA was the best of the block")
        dialog.mention.setChecked(True)
        save = button(dialog, "Save")
        qtbot.mouseClick(save, Qt.MouseButton.LeftButton)

    dialogs.then(log)
    qtbot.mouseClick(page.detail.log_button, Qt.MouseButton.LeftButton)
    dialogs.check()

    entry = Interaction.select().where(Interaction.kind == "feedback").get()
    assert entry.mention_in_letter and entry.occurred_on == date.today()
    assert page.detail.last_contact_label.text() == "Last contact: today"
    assert page.model.index(0, 5).data() == "today"
    log_model = page.detail.interaction_model
    assert log_model.rowCount() == 2
    assert (
        log_model.index(0, 1).data().startswith("Feedback received: Said my presentation")
    )  # newest first
    assert log_model.index(0, 2).data() == "★"


def test_interaction_in_the_future_or_empty_is_refused(window, qtbot, make_mentor, dialogs):
    mentor_id = make_mentor("Okafor")
    page = window.page("mentors")
    page.reload()
    page.select_id(mentor_id)
    seen = {}

    def log(dialog):
        dialog.occurred_on.setDate(date.today() + timedelta(days=3))
        save = button(dialog, "Save")
        qtbot.mouseClick(save, Qt.MouseButton.LeftButton)
        seen["date"] = dialog.findChild(QLabel, "occurredOnError").text()
        seen["summary"] = dialog.findChild(QLabel, "summaryError").text()
        seen["open"] = dialog.isVisible()
        dialog.reject()

    dialogs.then(log)
    page.log_interaction()
    dialogs.check()
    assert "future" in seen["date"]
    assert seen["summary"] == "A summary is required."
    assert seen["open"]
    assert Interaction.select().count() == 0


def test_delete_of_a_mentor_with_requests_is_refused_and_offers_archive(
    window, qtbot, make_mentor, dialogs
):
    mentor_id = make_mentor("Okafor", first_name="Amara")
    cycle = Cycle.create(service="eras_residency", name="ERAS 2027", max_letters_per_program=4)
    LetterRequest.create(mentor=mentor_id, cycle=cycle, letter_type="narrative")
    page = window.page("mentors")
    page.reload()
    page.select_id(mentor_id)
    texts = {}

    def confirm(box):
        click_message_button(box, "Delete mentor")

    def refused(box):
        texts["refusal"] = box.text()
        click_message_button(box, "Archive")

    dialogs.then(confirm).then(refused)
    qtbot.mouseClick(page.detail.delete_button, Qt.MouseButton.LeftButton)
    dialogs.check()

    assert "1 letter request" in texts["refusal"]
    assert Mentor.get_by_id(mentor_id).archived
    assert visible_names(page) == []  # archived mentors are hidden by default
    assert LetterRequest.select().count() == 1


def test_delete_without_requests_removes_mentor_and_log(window, qtbot, make_mentor, dialogs):
    mentor_id = make_mentor("Okafor", days_ago=3)
    keep = make_mentor("Haddad")
    page = window.page("mentors")
    page.reload()
    page.select_id(mentor_id)
    dialogs.then(lambda box: click_message_button(box, "Delete mentor"))
    qtbot.mouseClick(page.detail.delete_button, Qt.MouseButton.LeftButton)
    dialogs.check()
    assert [m.id for m in Mentor.select()] == [keep]
    assert Interaction.select().count() == 0
    assert visible_names(page) == ["Haddad"]


def test_names_in_any_script_are_shown_intact(window, make_mentor):
    names = [("李", "小龍"), ("حداد", "ليلى"), ("Ñúñez-Øster", "Zoë")]
    for last, first in names:
        make_mentor(last, first_name=first, notes="ملاحظة — 备注 — note")
    page = window.page("mentors")
    page.reload()
    shown = set(visible_names(page))
    assert shown == {"小龍 李", "ليلى حداد", "Zoë Ñúñez-Øster"}
    page.select_id(Mentor.get(Mentor.last_name == "حداد").id)
    assert page.detail.notes_label.text() == "ملاحظة — 备注 — note"


def test_a_long_list_shows_its_first_screen_then_loads_the_rest_in_a_worker(
    window, qtbot, make_mentor
):
    from desktop.ui.mentors.mentors_page import FIRST_SCREEN_ROWS

    total = FIRST_SCREEN_ROWS + 50
    for number in range(total):
        make_mentor(f"Mentor{number:04d}", specialty="Cardiology" if number % 2 else "Surgery")
    page = window.page("mentors")
    with qtbot.waitSignal(page.loaded, timeout=10_000):
        page.reload()
        assert page.is_loading()
        assert page.model.rowCount() == FIRST_SCREEN_ROWS  # the first screen, at once
        assert page.count_label.text() == f"Loading {total} mentors…"
    assert not page.is_loading()
    assert page.model.rowCount() == total
    assert page.count_label.text() == f"{total} of {total} mentors"
    qtbot.keyClicks(window.search, "cardiology")
    assert page.model.rowCount() == total // 2


def test_deleting_a_log_entry_asks_first(window, qtbot, make_mentor, dialogs):
    mentor_id = make_mentor("Okafor", days_ago=3)
    page = window.page("mentors")
    page.reload()
    page.select_id(mentor_id)
    page.detail.interaction_table.selectRow(0)
    seen = {}

    def cancel(box):
        seen["default"] = box.defaultButton().objectName()
        click_message_button(box, "Cancel")

    dialogs.then(cancel)
    qtbot.mouseClick(page.detail.delete_entry_button, Qt.MouseButton.LeftButton)
    dialogs.check()
    assert seen["default"] == "cancelButton" and Interaction.select().count() == 1

    dialogs.then(lambda box: click_message_button(box, "Delete entry"))
    qtbot.mouseClick(page.detail.delete_entry_button, Qt.MouseButton.LeftButton)
    dialogs.check()
    assert Interaction.select().count() == 0
    assert page.detail.interaction_model.rowCount() == 0


def test_the_mentor_form_shows_the_greeting_it_infers_and_keeps_the_one_typed(
    window, qtbot, dialogs
):
    page = window.page("mentors")
    seen = {}

    def fill(dialog):
        greeting = dialog.findChild(QLineEdit, "greeting")
        preview = dialog.findChild(QLabel, "greetingPreview")
        qtbot.keyClicks(dialog.findChild(QLineEdit, "firstName"), "Maria")
        qtbot.keyClicks(dialog.findChild(QLineEdit, "lastName"), "Lopez")
        seen["before"] = (greeting.placeholderText(), preview.text())
        qtbot.keyClicks(dialog.findChild(QLineEdit, "credentials"), "MD")
        seen["md"] = (greeting.placeholderText(), preview.text())
        qtbot.keyClicks(greeting, "Dear Maria,")
        seen["typed"] = preview.text()
        qtbot.mouseClick(button(dialog, "Save"), Qt.MouseButton.LeftButton)

    dialogs.then(fill)
    qtbot.mouseClick(page.findChild(QPushButton, "addMentor"), Qt.MouseButton.LeftButton)
    dialogs.check()

    assert seen["before"] == ("Dear Maria Lopez", "Emails open with “Dear Maria Lopez,”")
    assert seen["md"] == ("Dear Dr. Lopez", "Emails open with “Dear Dr. Lopez,”")
    assert seen["typed"] == "Emails open with “Dear Maria,”"
    mentor = Mentor.get()
    assert mentor.greeting == "Dear Maria"

    def clear(dialog):
        greeting = dialog.findChild(QLineEdit, "greeting")
        seen["shown"] = greeting.text()
        greeting.selectAll()
        qtbot.keyClick(greeting, Qt.Key.Key_Delete)
        qtbot.mouseClick(button(dialog, "Save"), Qt.MouseButton.LeftButton)

    dialogs.then(clear)
    qtbot.mouseClick(page.detail.edit_button, Qt.MouseButton.LeftButton)
    dialogs.check()
    assert seen["shown"] == "Dear Maria"
    assert Mentor.get().greeting is None  # empty again: inferred
