"""A new request starts from what the app knows (issue 12): the profile's
specialty, the standardized letter for a writer who writes one, programs
chosen in the dialog itself and the due date from their earliest deadline,
and never an ask date in the past without saying so. Driven with clicks and
keys; checked on screen and in the real SQLite file."""

from __future__ import annotations

from datetime import timedelta

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QCheckBox, QComboBox, QDateEdit, QLabel, QListWidget, QPushButton

from desktop.domain.vocabulary import Service
from desktop.store.models import Assignment, LetterRequest
from desktop.store.profile import CycleFields, ProfileFields, first_cycle_id
from desktop.store.profile import save_profile_and_first_cycle as save_profile
from desktop.store.programs import ProgramFields, create_program

from ..dialogs import button, click_message_button
from .test_requests_page import OFFSCREEN_POPUP, make_writer, open_page

pytestmark = OFFSCREEN_POPUP
ERAS = CycleFields(
    service=Service.ERAS_RESIDENCY.value, name="ERAS 2031", max_letters_per_program=4
)
# Emergency medicine applies through ResidencyCAS, where the SLOE is the EM SLOE.
RESIDENCYCAS = CycleFields(
    service=Service.RESIDENCYCAS.value, name="ResidencyCAS EM 2031", max_letters_per_program=4
)


def tick(qtbot, programs: QListWidget, text_start: str) -> None:
    """Move to the program's line and press Space, as a keyboard user does."""
    row = next(r for r in range(programs.count()) if programs.item(r).text().startswith(text_start))
    programs.setFocus()
    programs.setCurrentRow(row)
    qtbot.keyClick(programs, Qt.Key.Key_Space)


def test_new_request_defaults_from_profile_writer_and_programs(qtbot, db, dialogs, today):
    save_profile(
        ProfileFields(full_name="Ana Diaz", target_specialty="Emergency Medicine"),
        RESIDENCYCAS,
    )
    cas = first_cycle_id()
    sloe_writer = make_writer("Okafor", specialty="Emergency Medicine", can_write_standardized=True)
    make_writer("Lee", specialty="Internal Medicine")
    far = create_program(
        ProgramFields(cycle_id=cas, name="Lakeshore EM", deadline=today + timedelta(days=90))
    )
    near = create_program(
        ProgramFields(cycle_id=cas, name="Mercy EM", deadline=today + timedelta(days=60))
    )
    create_program(ProgramFields(cycle_id=cas, name="Undated EM"))
    page = open_page(qtbot, db)
    seen: dict = {}

    def fill(dialog):
        writer = dialog.findChild(QComboBox, "mentor")
        kind = dialog.findChild(QComboBox, "letterType")
        seen["specialty"] = dialog.findChild(QComboBox, "specialty").currentText()
        writer.setCurrentIndex(writer.findText("Dr. Sam Okafor"))
        seen["sloe writer"] = kind.currentText()
        writer.setCurrentIndex(writer.findText("Dr. Sam Lee"))
        seen["other writer"] = kind.currentText()
        writer.setCurrentIndex(writer.findText("Dr. Sam Okafor"))
        programs = dialog.findChild(QListWidget, "requestPrograms")
        seen["programs"] = [programs.item(r).text() for r in range(programs.count())]
        tick(qtbot, programs, "Lakeshore")
        tick(qtbot, programs, "Mercy")
        has_due = dialog.findChild(QCheckBox, "hasDueDate")
        seen["due"] = (has_due.isChecked(), dialog.findChild(QDateEdit, "dueOn").date().toPython())
        seen["ask"] = dialog.findChild(QDateEdit, "plannedAskOn").date().toPython()
        seen["hint"] = dialog.findChild(QLabel, "askHint").text()
        dialog.findChild(QComboBox, "waiver").setCurrentIndex(1)
        qtbot.mouseClick(button(dialog, "Save"), Qt.MouseButton.LeftButton)

    dialogs.then(fill)
    qtbot.mouseClick(page.findChild(QPushButton, "newRequest"), Qt.MouseButton.LeftButton)
    dialogs.check()

    assert seen["specialty"] == "Emergency Medicine"  # the profile's, not "General"
    assert seen["sloe writer"] == "EM SLOE"  # the service's own standardized form
    assert seen["other writer"] == "Narrative"
    near_day, far_day = today + timedelta(days=60), today + timedelta(days=90)
    assert seen["programs"] == [  # soonest deadline first
        f"Mercy EM — deadline {near_day.isoformat()}",
        f"Lakeshore EM — deadline {far_day.isoformat()}",
        "Undated EM",
    ]
    assert seen["due"] == (True, near_day)  # the earliest deadline of those chosen
    assert seen["ask"] == near_day - timedelta(days=42)
    assert seen["hint"].startswith(f"Ask by {(near_day - timedelta(days=42)).isoformat()}")
    request = LetterRequest.get()
    assert (request.specialty, request.letter_type, request.due_on) == (
        "Emergency Medicine", "em_sloe", near_day
    )  # fmt: skip
    assert request.mentor_id == sloe_writer
    assigned = {a.program_id for a in Assignment.select().where(Assignment.request == request.id)}
    assert assigned == {near, far}
    # ResidencyCAS lets a planned letter's assignment go: nothing was asked,
    # nothing is marked as sent to the service.
    assert not any(a.sent_to_service for a in Assignment.select())
    assert page.model.index(page.model.row_of_id(request.id), 0).data() == "Dr. Sam Okafor"


def test_a_type_chosen_by_hand_stays_when_the_writer_changes(qtbot, db, dialogs):
    save_profile(
        ProfileFields(full_name="Ana Diaz"),
        ERAS,
    )
    make_writer("Okafor", can_write_standardized=True)
    make_writer("Lee")
    page = open_page(qtbot, db)
    seen: dict = {}

    def fill(dialog):
        writer = dialog.findChild(QComboBox, "mentor")
        kind = dialog.findChild(QComboBox, "letterType")
        seen["specialty"] = dialog.findChild(QComboBox, "specialty").currentText()
        writer.setCurrentIndex(writer.findText("Dr. Sam Lee"))
        kind.setFocus()
        qtbot.keyClick(kind, Qt.Key.Key_End)  # the last type: the chair letter
        writer.setCurrentIndex(writer.findText("Dr. Sam Okafor"))
        seen["kind"] = kind.currentText()
        seen["empty"] = dialog.findChild(QLabel, "noProgramsHint").text()
        qtbot.mouseClick(button(dialog, "Cancel"), Qt.MouseButton.LeftButton)

    dialogs.then(fill)
    qtbot.mouseClick(page.findChild(QPushButton, "newRequest"), Qt.MouseButton.LeftButton)
    dialogs.check()
    assert seen["specialty"] == "General"  # no specialty in the profile
    assert seen["kind"] == "Department chair letter"
    assert seen["empty"] == "No programs in this cycle yet; add them on the Programs page."
    assert LetterRequest.select().count() == 0


def test_programs_ticked_on_eras_are_assigned_only_after_asking(qtbot, db, dialogs, today):
    """ERAS never lets an assigned letter go: ticking programs in the new
    request asks first; Cancel keeps the dialog with everything typed, Assign
    saves the letter assigned and marked as sent to the service."""
    save_profile(ProfileFields(full_name="Ana Diaz", target_specialty="Internal Medicine"), ERAS)
    program = create_program(ProgramFields(cycle_id=first_cycle_id(), name="Mercy IM"))
    make_writer("Lee", specialty="Internal Medicine")
    page = open_page(qtbot, db)
    seen: dict = {}

    def fill(dialog):
        writer = dialog.findChild(QComboBox, "mentor")
        writer.setCurrentIndex(writer.findText("Dr. Sam Lee"))
        dialog.findChild(QComboBox, "waiver").setCurrentIndex(1)
        tick(qtbot, dialog.findChild(QListWidget, "requestPrograms"), "Mercy")
        save = button(dialog, "Save")
        # Clicked from a timer: the question opens from inside the click, and
        # the dialog driver's own timer does not fire again while this runs.
        QTimer.singleShot(0, lambda: qtbot.mouseClick(save, Qt.MouseButton.LeftButton))

        def after_cancel():
            seen["after cancel"] = (dialog.isVisible(), LetterRequest.select().count())
            qtbot.mouseClick(save, Qt.MouseButton.LeftButton)

        seen["after_cancel"] = after_cancel

    def cancel(box):
        assert box.objectName() == "confirmNewRequestAssignment"
        seen["question"] = box.text()
        click_message_button(box, "Cancel")
        QTimer.singleShot(0, seen["after_cancel"])

    def assign(box):
        assert box.objectName() == "confirmNewRequestAssignment"
        click_message_button(box, "Assign")

    dialogs.then(fill).then(cancel).then(assign)
    qtbot.mouseClick(page.findChild(QPushButton, "newRequest"), Qt.MouseButton.LeftButton)
    dialogs.check()

    assert seen["question"] == (
        "ERAS residency does not let you unassign a letter once it is assigned. "
        "Assign this letter to the program ticked now?"
    )
    assert seen["after cancel"] == (True, 0)  # nothing saved, the dialog still open
    request = LetterRequest.get()
    assignment = Assignment.get(Assignment.request == request.id)
    assert (assignment.program_id, assignment.sent_to_service) == (program, True)
