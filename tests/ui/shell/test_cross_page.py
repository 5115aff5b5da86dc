"""Flows that cross pages in the main window, as a user follows them."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QComboBox, QMenu

from desktop.store.models import Cycle, LetterRequest
from desktop.ui.common import Changes

from ..dialogs import button


def test_request_a_letter_from_the_mentor_page_opens_the_editor_for_that_writer(
    window, qtbot, make_mentor, dialogs
):
    Cycle.create(service="eras_residency", name="ERAS 2027", max_letters_per_program=4)
    okafor = make_mentor("Okafor", first_name="Amara", honorific="Dr.")
    make_mentor("Lee", first_name="Jun")
    window.page("mentors").reload()
    window.page("mentors").select_id(okafor)
    seen = {}

    def fill(dialog):
        seen["writer"] = dialog.findChild(QComboBox, "mentor").currentText()
        dialog.findChild(QComboBox, "waiver").setCurrentIndex(1)
        qtbot.mouseClick(button(dialog, "Save"), Qt.MouseButton.LeftButton)

    dialogs.then(fill)
    qtbot.mouseClick(window.page("mentors").detail.request_button, Qt.MouseButton.LeftButton)
    dialogs.check()

    assert seen["writer"] == "Dr. Amara Okafor"
    request = LetterRequest.get()
    assert request.mentor_id == okafor and request.status == "planned"
    assert window.stack.currentWidget() is window.page("requests")
    assert window.page("requests").selected_id() == request.id
    # The mentor's letter count follows when the Mentors page is shown again.
    window.show_page("mentors")
    row = window.page("mentors").model.row_of_id(okafor)
    assert window.page("mentors").model.index(row, 6).data() == "1"


def test_email_from_the_mentor_page_opens_compose_addressed_to_them(
    window, qtbot, make_mentor, dialogs
):
    from PySide6.QtWidgets import QLineEdit

    okafor = make_mentor(
        "Okafor", first_name="Amara", honorific="Dr.", email="amara.okafor@lakeshore.edu"
    )
    window.page("mentors").reload()
    window.page("mentors").select_id(okafor)
    seen = {}

    def look(dialog):
        seen["to"] = dialog.findChild(QLineEdit, "composeTo").text()
        dialog.reject()

    dialogs.then(look)
    qtbot.mouseClick(window.page("mentors").detail.email_button, Qt.MouseButton.LeftButton)
    dialogs.check()
    assert seen["to"] == "Dr. Amara Okafor <amara.okafor@lakeshore.edu>"


def test_file_menu_exports_mentors_as_csv(window, qtbot, make_mentor, tmp_path, monkeypatch):
    import csv

    from desktop.ui.data import export_actions

    make_mentor("Okafor", first_name="Amara", email="amara@lakeshore.edu")
    target = tmp_path / "mentors.csv"
    # The save dialog is the platform's native one, which a test cannot
    # drive; the chosen path is the one stand-in.
    monkeypatch.setattr(export_actions, "choose_save_path", lambda *a, **k: target)
    monkeypatch.setattr(export_actions, "_tell", lambda *a, **k: None)
    menu = window.findChild(QMenu, "exportMenu")
    action = next(a for a in menu.actions() if a.text().replace("&", "") == "Mentors (CSV)…")
    action.trigger()
    qtbot.waitUntil(target.exists, timeout=5000)  # written on a worker thread
    rows = list(csv.DictReader(target.read_text(encoding="utf-8-sig").splitlines()))
    assert [(r["Last name"], r["First name"], r["Email"]) for r in rows] == [
        ("Okafor", "Amara", "amara@lakeshore.edu")
    ]


def test_import_everything_checks_the_archive_then_reopens_on_it(
    window, db, qtbot, data_paths, tmp_path, monkeypatch, dialogs
):
    import datetime

    from desktop.paths import DataPaths
    from desktop.services.data import archive
    from desktop.services.demo import create_demo_folder
    from desktop.store.database import open_database
    from desktop.store.models import Mentor, database_proxy
    from desktop.ui.data import export_actions
    from desktop.ui.data.restore_flow import pending_restore

    from ..dialogs import click_message_button

    # An archive made on "the other computer" (another data folder).
    other = DataPaths(tmp_path / "other")
    other_db = create_demo_folder(other, datetime.date.today())
    moved = tmp_path / "move.zip"
    archive.export_archive(other_db, other, moved)
    other_db.close()
    database_proxy.initialize(db)  # the demo re-bound the models
    assert Mentor.select().count() == 0
    # The open dialog is the platform's native one; the chosen path stands in.
    monkeypatch.setattr(export_actions, "choose_open_path", lambda *a, **k: moved)
    seen = {}

    def confirm(box):
        seen["text"] = box.text()
        click_message_button(box, "Yes")

    dialogs.then(confirm)
    window.findChild(QAction, "importArchiveAction").trigger()
    qtbot.waitUntil(lambda: pending_restore(window) is not None, timeout=10_000)
    dialogs.check()
    assert "11 mentors" in seen["text"]
    assert pending_restore(window) == moved and not window.isVisible()
    # What run_gui does next, with every connection closed: the swap.
    db.close()
    from desktop.services.data import backups

    backups.restore(data_paths, moved)
    reopened = open_database(data_paths.database, data_paths.backups)
    assert Mentor.select().count() == 11
    reopened.close()


def test_calendar_file_is_kept_up_to_date_once_switched_on(window, qtbot, data_paths, make_mentor):
    from desktop.services.data.calendar_export import feed_path
    from desktop.store.models import Cycle, LetterRequest

    feed = feed_path(data_paths)
    window.findChild(QAction, "calendarFeedAction").setChecked(True)
    qtbot.waitUntil(feed.exists, timeout=5000)
    assert "BEGIN:VCALENDAR" in feed.read_text(encoding="utf-8")
    # A change anywhere rewrites it with the new deadline.
    cycle = Cycle.create(service="eras_residency", name="ERAS 2027", max_letters_per_program=4)
    import datetime

    LetterRequest.create(
        mentor=make_mentor("Okafor"), cycle=cycle, letter_type="narrative",
        due_on=datetime.date(2027, 1, 15),
    )  # fmt: skip
    window._data_changed(Changes.REQUESTS)
    qtbot.waitUntil(lambda: "20270115" in feed.read_text(encoding="utf-8"), timeout=5000)
    window.findChild(QAction, "calendarFeedAction").setChecked(False)
    qtbot.waitUntil(lambda: not feed.exists(), timeout=5000)


def test_file_menu_opens_profile_and_cycles(window, dialogs):
    seen = {}

    def look(dialog):
        seen["name"] = dialog.objectName()
        dialog.reject()

    dialogs.then(look)
    window.findChild(QAction, "profileAndCyclesAction").trigger()
    dialogs.check()
    assert seen["name"] == "profileDialog"
