"""The import dialog: preview with errors and duplicates, Cancel writes
nothing, Import writes exactly the good rows."""

from __future__ import annotations

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
