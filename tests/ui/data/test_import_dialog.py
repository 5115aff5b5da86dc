"""The import dialog: preview with errors and duplicates, Cancel writes
nothing, Import writes exactly the good rows."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from desktop.store.mentors import MentorFields, count_mentors, save_mentor
from desktop.store.models import Mentor
from desktop.ui.data.import_dialog import ImportDialog

CSV = (
    "First Name,Last Name,Email Address,Institution,Specialty,Category,Notes\n"
    "Ada,Lovelace,ada@example.org,Analytical U,Math,Research advisor,good\n"
    "Bad,Mail,not-an-email,X,Y,Other,\n"
    "Dupe,Known,known@example.org,X,Y,,\n"
    "Grace,Hopper,grace@example.org,Navy,CS,clinical,\n"
)


@pytest.fixture
def csv_file(tmp_path):
    path = tmp_path / "mentors.csv"
    path.write_text(CSV, encoding="utf-8")
    return path


@pytest.fixture
def dialog(qtbot, db, data_paths, csv_file):
    save_mentor(MentorFields(last_name="Known", category="other", email="known@example.org"))
    dlg = ImportDialog(data_paths, choose_file=lambda parent: csv_file)
    qtbot.addWidget(dlg)
    dlg.show()
    qtbot.mouseClick(
        dlg.findChild(type(dlg.import_button), "chooseFileButton"), Qt.MouseButton.LeftButton
    )
    return dlg


def test_preview_shows_mapping_errors_and_duplicates(dialog):
    assert dialog.mapping() == [
        "first_name",
        "last_name",
        "email",
        "institution",
        "specialty",
        "category",
        "notes",
    ]
    assert [dialog.row_status(i) for i in range(4)] == ["add", "error", "duplicate", "add"]
    assert dialog.summary.text() == "2 to add, 1 duplicate skipped, 1 with errors"
    assert "Not a valid email address" in dialog.grid.item(2, 0).toolTip()
    assert dialog.import_button.isEnabled()


def test_changing_the_mapping_rechecks_the_rows(dialog):
    dialog.mapping_combo(2).setCurrentIndex(dialog.mapping_combo(2).findData(""))
    assert dialog.summary.text() == "4 to add"


def test_cancel_writes_nothing(dialog, db, qtbot):
    qtbot.mouseClick(
        dialog.findChild(type(dialog.import_button), "cancelButton"), Qt.MouseButton.LeftButton
    )
    assert dialog.result() == 0
    assert count_mentors() == 1


def test_import_writes_exactly_the_good_rows(dialog, db, data_paths, qtbot):
    with qtbot.waitSignal(dialog.accepted, timeout=10_000):
        qtbot.mouseClick(dialog.import_button, Qt.MouseButton.LeftButton)
    assert dialog.result_value.added == 2
    names = sorted(m.last_name for m in Mentor.select())
    assert names == ["Hopper", "Known", "Lovelace"]
    ada = Mentor.get(Mentor.last_name == "Lovelace")
    assert (ada.category, ada.institution, ada.notes) == (
        "research_advisor",
        "Analytical U",
        "good",
    )
    assert any(data_paths.backups.iterdir())  # backed up before writing


def test_unreadable_file_shows_the_reason(qtbot, db, tmp_path):
    empty = tmp_path / "empty.csv"
    empty.write_bytes(b"")
    dlg = ImportDialog(None, choose_file=lambda parent: empty)
    qtbot.addWidget(dlg)
    dlg.choose()
    assert "is empty" in dlg.error_label.text()
    assert not dlg.import_button.isEnabled()


def test_vcard_file_goes_through_the_same_preview(qtbot, db, tmp_path):
    path = tmp_path / "c.vcf"
    path.write_text("BEGIN:VCARD\nVERSION:3.0\nN:Curie;Marie\nEMAIL:mc@example.fr\nEND:VCARD\n")
    dlg = ImportDialog(None)
    qtbot.addWidget(dlg)
    assert dlg.load(path)
    assert dlg.summary.text() == "1 to add"


# --- files as programs export them (tests/data/imports/) -----------------------------

IMPORTS = Path(__file__).parents[2] / "data" / "imports"


def _open(qtbot, data_paths, path: Path) -> ImportDialog:
    dlg = ImportDialog(data_paths, choose_file=lambda parent: path)
    qtbot.addWidget(dlg)
    dlg.show()
    qtbot.mouseClick(
        dlg.findChild(type(dlg.import_button), "chooseFileButton"), Qt.MouseButton.LeftButton
    )
    return dlg


def test_a_google_contacts_export_previews_every_row(qtbot, db, data_paths, tmp_path):
    dlg = _open(qtbot, data_paths, IMPORTS / "google_contacts.csv")
    assert dlg.summary.text() == "5 to add"
    assert dlg.mapping_combo(18).currentData() == "email"  # "E-mail 1 - Value"
    assert dlg.mapping_combo(17).currentData() == ""  # "E-mail 1 - Label"
    assert not dlg.warnings_label.isVisible()
    with qtbot.waitSignal(dlg.accepted, timeout=10_000):
        qtbot.mouseClick(dlg.import_button, Qt.MouseButton.LeftButton)
    oneil = Mentor.get(Mentor.last_name == "O'Neil")
    assert (oneil.honorific, oneil.institution, oneil.email) == (
        "Prof.",
        "Trinity College Dublin",
        "s.oneil@tcd.example",
    )


def test_lines_that_could_not_be_decoded_are_named_before_import(qtbot, db, data_paths, tmp_path):
    dlg = _open(qtbot, data_paths, IMPORTS / "utf8_one_cp1252_row.csv")
    assert dlg.warnings_label.isVisible()
    assert "line 5" in dlg.warnings_label.text()
    assert "Windows-1252" in dlg.warnings_label.text()
    dlg.resize(900, 420)
    shot = Path(os.environ.get("LETTERDESK_SCREENSHOTS", tmp_path)) / "import-warnings.png"
    assert dlg.grab().save(str(shot))
    # Another file without such lines clears the warning.
    dlg._choose_file = lambda parent: IMPORTS / "google_contacts.csv"
    dlg.choose()
    assert not dlg.warnings_label.isVisible()


def test_an_archived_mentor_in_an_export_comes_back_archived(qtbot, db, data_paths):
    dlg = _open(qtbot, data_paths, IMPORTS / "letterdesk_export.csv")
    assert dlg.summary.text() == "1 to add"
    with qtbot.waitSignal(dlg.accepted, timeout=10_000):
        qtbot.mouseClick(dlg.import_button, Qt.MouseButton.LeftButton)
    mentor = Mentor.get()
    assert mentor.archived and mentor.is_department_chair and mentor.can_write_standardized
    assert mentor.reminder_preference == "gentle"
