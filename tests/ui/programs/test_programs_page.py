"""The Programs page driven as a user drives it: the program form, assigning
letters from either side under the cycle's cap, coverage, filters, sorting."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from PySide6.QtCore import QDate, QPoint, Qt, QTimer
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QSpinBox,
    QTableView,
)

from desktop.domain.vocabulary import LetterType, RequestStatus, Service
from desktop.store.mentors import MentorFields, save_mentor
from desktop.store.models import Assignment, LetterRequest, Program
from desktop.store.profile import CycleFields, create_cycle
from desktop.store.programs import ProgramFields, assign, create_program
from desktop.store.requests import RequestFields, create_request, move_status
from desktop.ui.programs.assignment_dialog import assign_programs_to_request
from desktop.ui.programs.programs_page import ProgramsPage

from ..dialogs import button, click_message_button

# The pages read the real clock, so the tests use the same day: set for each
# test by _today below (from the per-test ``today`` fixture), not at import.
TODAY = date.min  # a placeholder until _today runs


@pytest.fixture(autouse=True)
def _today(today: date, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(globals(), "TODAY", today)


COLUMNS = ["Program", "Deadline", "Status", "Assigned", "Coverage", "Requires"]


def days(n: int) -> date:
    return TODAY + timedelta(days=n)


def make_cycle(service: Service = Service.ERAS_RESIDENCY, cap: int = 4, name: str = "") -> int:
    # Through the store, so the cycle gets its service's cap scope.
    return create_cycle(CycleFields(service.value, name or service.label, cap))


def confirm_final(seen: dict):
    """Answer "Assign" to the question an ERAS assignment asks first."""

    def answer(box):
        assert box.objectName() == "confirmFinalAssignment"
        seen["final"] = box.text()
        click_message_button(box, "Assign")

    return answer


def make_letter(cycle_id: int, last: str, *steps: RequestStatus, **fields) -> int:
    """A request from a new mentor, moved through ``steps`` a week ago."""
    mentor = save_mentor(MentorFields(last_name=last, category="other", honorific="Dr."))
    values = RequestFields(mentor_id=mentor, cycle_id=cycle_id, waiver=True, **fields)
    request_id = create_request(values)
    for status in steps:
        move_status(request_id, status, on=days(-7), today=TODAY)
    return request_id


def make_program(cycle_id: int, name: str, **fields) -> int:
    return create_program(ProgramFields(cycle_id=cycle_id, name=name, **fields))


@pytest.fixture
def page(qtbot, db, page_context):
    def build() -> ProgramsPage:
        widget = ProgramsPage(page_context)
        qtbot.addWidget(widget)
        widget.resize(1110, 740)
        widget.show()
        qtbot.waitExposed(widget)
        return widget

    return build


def cell(page: ProgramsPage, name: str, column: str):
    """The text of ``column`` in the row of program ``name``."""
    model = page.model
    for row in range(model.rowCount()):
        if model.index(row, 0).data() == name:
            return model.index(row, COLUMNS.index(column)).data()
    raise AssertionError(f"{name!r} not shown; rows: {names(page)}")


def names(page: ProgramsPage) -> list[str]:
    return [page.model.index(row, 0).data() for row in range(page.model.rowCount())]


def select(qtbot, page: ProgramsPage, name: str) -> None:
    row = names(page).index(name)
    rect = page.table.visualRect(page.model.index(row, 0))
    qtbot.mouseClick(page.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert page.detail.name_label.text() == name


def tick(qtbot, dialog, text: str) -> None:
    """Tick the choice whose first column reads ``text``: select it and press
    Space, as a keyboard user does."""
    table = dialog.findChild(QTableView, "assignmentChoices")
    model = table.model()
    for row in range(model.rowCount()):
        index = model.index(row, 0)
        if index.data() == text:
            table.setCurrentIndex(index)
            before = index.data(Qt.ItemDataRole.CheckStateRole)
            qtbot.keyClick(table, Qt.Key.Key_Space)
            assert index.data(Qt.ItemDataRole.CheckStateRole) != before
            return
    raise AssertionError(f"no choice {text!r}")


def ticked(dialog) -> list[str]:
    model = dialog.findChild(QTableView, "assignmentChoices").model()
    return [
        model.index(row, 0).data()
        for row in range(model.rowCount())
        if model.index(row, 0).data(Qt.ItemDataRole.CheckStateRole) == Qt.CheckState.Checked
    ]


def save_then(qtbot, dialog, after) -> None:
    """Click Save once the handler has returned, then run ``after(dialog)``
    and cancel the dialog. The save opens a message box from inside the
    dialog; the DialogDriver's timer does not fire again while its own
    handler is still running, so the click must come from outside it."""

    def finish() -> None:
        try:
            after(dialog)
        finally:
            qtbot.mouseClick(button(dialog, "Cancel"), Qt.MouseButton.LeftButton)

    def click() -> None:
        qtbot.mouseClick(button(dialog, "Save"), Qt.MouseButton.LeftButton)
        # Back from the message box; the dialog stays open.
        QTimer.singleShot(0, finish)

    QTimer.singleShot(0, click)


# --- the program form -------------------------------------------------------------


def test_add_program_refuses_bad_input_next_to_the_fields_then_saves(page, qtbot, dialogs, db):
    eras = make_cycle()
    programs = page()
    assert programs.empty_state.isVisible() and not programs.table.isVisible()
    seen: dict[str, object] = {}

    def fill(dialog):
        def error(name: str) -> tuple[bool, str]:
            label = dialog.findChild(QLabel, name)
            return label.isVisible(), label.text()

        save = button(dialog, "Save")
        qtbot.mouseClick(save, Qt.MouseButton.LeftButton)
        seen["name"] = error("programNameError")
        letters = dialog.findChild(QSpinBox, "lettersRequired")
        letters.setValue(5)
        seen["cap"] = error("lettersRequiredError")
        letters.setValue(1)
        dialog.findChild(QCheckBox, "chairLetterRequired").setChecked(True)
        dialog.findChild(QCheckBox, "standardizedLetterRequired").setChecked(True)
        seen["two_kinds"] = error("lettersRequiredError")
        dialog.findChild(QCheckBox, "standardizedLetterRequired").setChecked(False)
        dialog.findChild(QSpinBox, "specialtyLettersRequired").setValue(2)
        seen["specialty"] = error("specialtyLettersError")
        # A pasted line break: not something a key press types.
        dialog.findChild(QLineEdit, "programLocation").insert("Chicago,\nIL")
        # A text field's new error waits for a pause in typing.
        qtbot.waitUntil(lambda: error("programLocationError")[0], timeout=3000)
        seen["location"] = error("programLocationError")
        qtbot.mouseClick(save, Qt.MouseButton.LeftButton)
        seen["still_open"] = dialog.isVisible()

        location = dialog.findChild(QLineEdit, "programLocation")
        location.clear()
        qtbot.keyClicks(location, "Chicago, IL")
        letters.setValue(3)
        dialog.findChild(QSpinBox, "specialtyLettersRequired").setValue(1)
        seen["fixed"] = [
            error(n)[0]
            for n in ("lettersRequiredError", "specialtyLettersError", "programLocationError")
        ]
        qtbot.keyClicks(dialog.findChild(QLineEdit, "programName"), "Lakeshore Internal Medicine")
        qtbot.keyClicks(dialog.findChild(QLineEdit, "programSpecialty"), "Internal Medicine")
        dialog.findChild(QCheckBox, "hasDeadline").setChecked(True)
        dialog.findChild(QDateEdit, "programDeadline").setDate(QDate(days(60)))
        status = dialog.findChild(QComboBox, "programStatus")
        status.setCurrentIndex(status.findData("applied"))
        qtbot.mouseClick(save, Qt.MouseButton.LeftButton)

    dialogs.then(fill)
    qtbot.mouseClick(programs.findChild(QPushButton, "addProgram"), Qt.MouseButton.LeftButton)
    dialogs.check()

    assert seen["name"] == (True, "Name is required.")
    assert seen["cap"][0] and "at most 4 letters per program" in seen["cap"][1]
    assert seen["two_kinds"][0] and "require at least 2" in seen["two_kinds"][1]
    assert seen["specialty"] == (True, "Cannot be more than the letters in all (1).")
    assert seen["location"][0] and "control characters" in seen["location"][1]
    assert seen["still_open"] is True
    assert seen["fixed"] == [False, False, False]

    program = Program.get()
    assert (program.cycle_id, program.name, program.specialty, program.location) == (
        eras,
        "Lakeshore Internal Medicine",
        "Internal Medicine",
        "Chicago, IL",
    )
    assert (program.deadline, program.status, program.letters_required) == (
        days(60),
        "applied",
        3,
    )
    assert program.specialty_letters_required == 1 and program.chair_letter_required
    assert not program.standardized_letter_required
    # On screen: the new program, selected, with what it still needs.
    assert names(programs) == ["Lakeshore Internal Medicine"]
    assert cell(programs, "Lakeshore Internal Medicine", "Requires") == (
        "3 letters · 1 specialty · chair"
    )
    assert cell(programs, "Lakeshore Internal Medicine", "Assigned") == "0 of 4"
    assert cell(programs, "Lakeshore Internal Medicine", "Coverage") == "Not met"
    assert programs.detail.name_label.text() == "Lakeshore Internal Medicine"
    assert programs.detail.reasons() == [
        "0 of 3 letters submitted",
        "needs 3 more letters",
        "needs 1 specialty letter",
        "needs a chair letter",
    ]
    assert programs.detail.no_letters.isVisible()


def test_deadline_is_optional_and_editing_keeps_the_rest(page, qtbot, dialogs):
    eras = make_cycle()
    pid = make_program(eras, "Riverside IM", deadline=days(30), location="Milwaukee, WI")
    programs = page()
    select(qtbot, programs, "Riverside IM")

    def edit(dialog):
        assert dialog.findChild(QCheckBox, "hasDeadline").isChecked()
        dialog.findChild(QCheckBox, "hasDeadline").setChecked(False)
        assert not dialog.findChild(QDateEdit, "programDeadline").isEnabled()
        qtbot.mouseClick(button(dialog, "Save"), Qt.MouseButton.LeftButton)

    dialogs.then(edit)
    qtbot.mouseClick(programs.detail.edit_button, Qt.MouseButton.LeftButton)
    dialogs.check()
    program = Program.get_by_id(pid)
    assert program.deadline is None and program.location == "Milwaukee, WI"
    assert cell(programs, "Riverside IM", "Deadline") == ""
    assert programs.detail.deadline_label.text() == "No deadline set"


def test_moving_a_program_with_letters_to_another_cycle_is_refused_and_the_form_reopens(
    page, qtbot, dialogs
):
    eras = make_cycle(name="ERAS 2031")
    other = make_cycle(Service.OTHER, 4, name="Away rotations")
    pid = make_program(eras, "Lakeshore IM")
    assign(make_letter(eras, "Okafor"), pid)
    programs = page()
    programs.cycle_filter.setCurrentIndex(programs.cycle_filter.findData(None))
    select(qtbot, programs, "Lakeshore IM")
    seen = {}

    def move_cycle(dialog):
        seen["dialog"] = dialog
        cycle = dialog.findChild(QComboBox, "programCycle")
        cycle.setCurrentIndex(cycle.findData(str(other)))
        qtbot.mouseClick(button(dialog, "Save"), Qt.MouseButton.LeftButton)

    def reopened():
        # The same form opens again (the driver only sees new dialogs).
        dialog = seen["dialog"]
        seen["reopened"] = dialog.isVisible()
        seen["cycle"] = dialog.findChild(QComboBox, "programCycle").currentText()
        qtbot.mouseClick(button(dialog, "Cancel"), Qt.MouseButton.LeftButton)

    def refused(box):
        seen["text"] = box.text()
        click_message_button(box, "OK")
        QTimer.singleShot(50, reopened)

    dialogs.then(move_cycle).then(refused)
    qtbot.mouseClick(programs.detail.edit_button, Qt.MouseButton.LeftButton)
    dialogs.check()
    assert "Unassign them before moving the program" in seen["text"]
    assert seen["reopened"] is True
    assert seen["cycle"] == "Away rotations"  # the user's choice, kept
    assert Program.get_by_id(pid).cycle_id == eras


def test_delete_program_keeps_the_letters(page, qtbot, dialogs):
    eras = make_cycle()
    pid = make_program(eras, "Northbridge TY")
    rid = make_letter(eras, "Herrera")
    assign(rid, pid)
    programs = page()
    select(qtbot, programs, "Northbridge TY")
    dialogs.then(lambda box: click_message_button(box, "Delete program"))
    qtbot.mouseClick(programs.detail.delete_button, Qt.MouseButton.LeftButton)
    dialogs.check()
    assert not Program.select().exists() and not Assignment.select().exists()
    assert LetterRequest.get_by_id(rid)
    assert programs.empty_state.isVisible()


def test_delete_program_cancelled_keeps_it(page, qtbot, dialogs):
    eras = make_cycle()
    pid = make_program(eras, "Northbridge TY")
    programs = page()
    select(qtbot, programs, "Northbridge TY")
    seen = {}

    def cancel(box):
        seen["default"] = box.defaultButton().objectName()
        click_message_button(box, "Cancel")

    dialogs.then(cancel)
    qtbot.mouseClick(programs.detail.delete_button, Qt.MouseButton.LeftButton)
    dialogs.check()
    assert seen["default"] == "cancelButton"
    assert Program.get_by_id(pid).name == "Northbridge TY"
    assert programs.selected_id() == pid


# --- assignment under the cap ---------------------------------------------------------


def test_one_letter_goes_to_five_eras_programs_from_the_request_side(page, qtbot, dialogs):
    eras = make_cycle()
    program_names = [f"Program {n}" for n in "ABCDE"]
    for n, name in enumerate(program_names):
        make_program(eras, name, deadline=days(40 + n))
    make_program(make_cycle(Service.AMCAS, 10), "Other cycle's school")
    rid = make_letter(eras, "Okafor", RequestStatus.ASKED)
    programs = page()
    programs.cycle_filter.setCurrentIndex(programs.cycle_filter.findData(eras))
    seen = {}

    def choose(dialog):
        assert dialog.objectName() == "assignProgramsDialog"
        assert "Dr. Okafor" in dialog.findChild(QLabel, "assignmentHeading").text()
        seen["offered"] = [
            dialog.findChild(QTableView).model().index(r, 0).data() for r in range(5)
        ]
        seen["rows"] = dialog.findChild(QTableView).model().rowCount()
        for name in program_names:
            tick(qtbot, dialog, name)
        # Queued: the question's own exec() must not run inside this handler.
        QTimer.singleShot(0, button(dialog, "Save").click)

    dialogs.then(choose).then(confirm_final(seen))
    assert assign_programs_to_request(programs, rid) is True
    dialogs.check()
    assert seen["final"] == (
        "ERAS residency does not let you unassign a letter once it is assigned. "
        "5 of your choices will be final."
    )
    assert all(a.sent_to_service for a in Assignment.select())
    assert seen["rows"] == 5  # only this cycle's programs
    assert seen["offered"] == program_names  # by deadline
    assert Assignment.select().where(Assignment.request == rid).count() == 5
    programs.reload()
    assert [cell(programs, name, "Assigned") for name in program_names] == ["1 of 4"] * 5


def test_fifth_letter_to_one_eras_program_is_refused_with_the_reason(page, qtbot, dialogs):
    eras = make_cycle(name="ERAS 2031")
    pid = make_program(eras, "Lakeshore IM", letters_required=3)
    writers = ["Adams", "Baker", "Chen", "Diaz", "Evans"]
    letters = {w: make_letter(eras, w, due_on=days(30 + n)) for n, w in enumerate(writers)}
    programs = page()
    select(qtbot, programs, "Lakeshore IM")
    seen = {}

    def choose(dialog):
        for writer in ["Evans", "Adams", "Chen", "Baker", "Diaz"]:  # Diaz ticked fifth
            tick(qtbot, dialog, f"Dr. {writer}")
        seen["count"] = dialog.findChild(QLabel, "assignmentCount").text()
        save_then(qtbot, dialog, after_refusal)

    def after_refusal(dialog):
        seen["open"] = dialog.isVisible()
        seen["ticked"] = ticked(dialog)
        seen["count_after"] = dialog.findChild(QLabel, "assignmentCount").text()

    def refused(box):
        assert isinstance(box, QMessageBox) and box.objectName() == "assignmentRefused"
        seen["message"] = box.text()
        seen["more"] = box.informativeText()
        click_message_button(box, "OK")

    dialogs.then(choose).then(confirm_final(seen)).then(refused)
    qtbot.mouseClick(programs.detail.assign_button, Qt.MouseButton.LeftButton)
    dialogs.check()

    # The question counts the four that will be saved, not the refused fifth.
    assert "4 of your choices will be final" in seen["final"]
    assert seen["count"] == "5 of 4 letters — over the cap"
    assert seen["message"] == (
        "Dr. Diaz (Narrative): Lakeshore IM already has 4 letters assigned, the most "
        "ERAS residency allows per program. Unassign one first."
    )
    assert "other choices were saved" in seen["more"]
    assert seen["open"] is True
    assert sorted(seen["ticked"]) == ["Dr. Adams", "Dr. Baker", "Dr. Chen", "Dr. Evans"]
    assert seen["count_after"] == "4 of 4 letters"
    assigned = {a.request_id for a in Assignment.select().where(Assignment.program == pid)}
    assert assigned == {letters[w] for w in ("Adams", "Baker", "Chen", "Evans")}
    # The page shows the saved assignments although the dialog was cancelled.
    assert cell(programs, "Lakeshore IM", "Assigned") == "4 of 4"
    assert programs.detail.letters_heading.text() == "Assigned letters (4 of 4)"
    assert programs.detail.letters_model.rowCount() == 4

    # Making room is not possible in ERAS: an assigned letter stays.
    def swap(dialog):
        tick(qtbot, dialog, "Dr. Adams")
        tick(qtbot, dialog, "Dr. Diaz")
        save_then(qtbot, dialog, lambda box: None)

    def both_refused(box):
        seen["swap"] = box.text()
        click_message_button(box, "OK")

    dialogs.then(swap).then(both_refused)
    qtbot.mouseClick(programs.detail.assign_button, Qt.MouseButton.LeftButton)
    dialogs.check()
    assert "Dr. Adams (Narrative): This letter stays assigned to Lakeshore IM" in seen["swap"]
    assert "an assigned letter cannot be unassigned" in seen["swap"]
    assert "Dr. Diaz (Narrative): Lakeshore IM already has 4 letters" in seen["swap"]
    assigned = {a.request_id for a in Assignment.select().where(Assignment.program == pid)}
    assert assigned == {letters[w] for w in ("Adams", "Baker", "Chen", "Evans")}


def test_making_room_where_the_service_allows_it(page, qtbot, dialogs):
    away = make_cycle(Service.OTHER, 2, name="Away rotations")
    pid = make_program(away, "Bayview Cardiology")
    letters = {w: make_letter(away, w) for w in ("Adams", "Baker", "Chen")}
    assign(letters["Adams"], pid)
    assign(letters["Baker"], pid)
    programs = page()
    select(qtbot, programs, "Bayview Cardiology")

    def swap(dialog):
        tick(qtbot, dialog, "Dr. Adams")
        tick(qtbot, dialog, "Dr. Chen")
        qtbot.mouseClick(button(dialog, "Save"), Qt.MouseButton.LeftButton)

    dialogs.then(swap)  # no question: nothing here is final
    qtbot.mouseClick(programs.detail.assign_button, Qt.MouseButton.LeftButton)
    dialogs.check()
    assigned = {a.request_id for a in Assignment.select().where(Assignment.program == pid)}
    assert assigned == {letters["Baker"], letters["Chen"]}


def test_declining_the_question_saves_nothing(page, qtbot, dialogs):
    eras = make_cycle(name="ERAS 2031")
    make_program(eras, "Lakeshore IM")
    make_letter(eras, "Adams")
    programs = page()
    select(qtbot, programs, "Lakeshore IM")
    seen = {}

    def choose(dialog):
        seen["dialog"] = dialog
        tick(qtbot, dialog, "Dr. Adams")
        QTimer.singleShot(0, button(dialog, "Save").click)

    def decline(box):
        click_message_button(box, "Cancel")
        seen["open"] = seen["dialog"].isVisible()
        seen["ticked"] = ticked(seen["dialog"])
        QTimer.singleShot(0, seen["dialog"].reject)

    dialogs.then(choose).then(decline)
    qtbot.mouseClick(programs.detail.assign_button, Qt.MouseButton.LeftButton)
    dialogs.check()
    assert seen["open"] and seen["ticked"] == ["Dr. Adams"]
    assert Assignment.select().count() == 0


def test_amcas_allows_ten_letters_and_refuses_the_eleventh(page, qtbot, dialogs):
    amcas = make_cycle(Service.AMCAS, 10, name="AMCAS 2031")
    pid = make_program(amcas, "State School of Medicine")
    writers = [f"Writer{n:02d}" for n in range(11)]
    for n, writer in enumerate(writers):
        make_letter(amcas, writer, due_on=days(20 + n))
    programs = page()
    select(qtbot, programs, "State School of Medicine")
    seen = {}

    def choose(dialog):
        for writer in writers:
            tick(qtbot, dialog, f"Dr. {writer}")
        save_then(qtbot, dialog, lambda _dialog: None)

    def refused(box):
        seen["message"] = box.text()
        click_message_button(box, "OK")

    dialogs.then(choose).then(refused)
    qtbot.mouseClick(programs.detail.assign_button, Qt.MouseButton.LeftButton)
    dialogs.check()
    assert seen["message"].startswith("Dr. Writer10 (Narrative): AMCAS (MD schools) allows")
    assert "at most 10 letters per application" in seen["message"]
    assert "10 different letters are already assigned" in seen["message"]
    assert Assignment.select().where(Assignment.program == pid).count() == 10
    # AMCAS counts the application, so the column shows the school's letters only.
    assert cell(programs, "State School of Medicine", "Assigned") == "10"


def test_a_declined_letter_is_refused_and_does_not_count_toward_the_cap(page, qtbot, dialogs):
    eras = make_cycle()
    pid = make_program(eras, "Lakeshore IM")
    declined = make_letter(eras, "Nguyen", RequestStatus.ASKED, RequestStatus.DECLINED)
    programs = page()
    select(qtbot, programs, "Lakeshore IM")
    seen = {}

    def choose(dialog):
        tick(qtbot, dialog, "Dr. Nguyen")
        seen["count"] = dialog.findChild(QLabel, "assignmentCount").text()
        save_then(qtbot, dialog, lambda _dialog: None)

    def refused(box):
        seen["message"] = box.text()
        click_message_button(box, "OK")

    dialogs.then(choose).then(refused)
    qtbot.mouseClick(programs.detail.assign_button, Qt.MouseButton.LeftButton)
    dialogs.check()
    assert seen["count"] == "0 of 4 letters"
    assert "This writer declined; activate a backup writer" in seen["message"]
    assert not Assignment.select().where(Assignment.request == declined).exists()
    assert not Assignment.select().where(Assignment.program == pid).exists()


def test_unassign_from_the_detail_panel(page, qtbot):
    eras = make_cycle(Service.OTHER, 4)  # a service that lets letters go
    pid = make_program(eras, "Lakeshore IM")
    keep, drop = make_letter(eras, "Keep"), make_letter(eras, "Drop")
    assign(keep, pid)
    assign(drop, pid)
    programs = page()
    select(qtbot, programs, "Lakeshore IM")
    letters = programs.detail.letters_table
    row = [letters.model().index(r, 0).data() for r in range(2)].index("Dr. Drop")
    letters.selectRow(row)
    with qtbot.waitSignal(programs.data_changed):
        qtbot.mouseClick(programs.detail.unassign_button, Qt.MouseButton.LeftButton)
    assert [a.request_id for a in Assignment.select()] == [keep]
    assert cell(programs, "Lakeshore IM", "Assigned") == "1 of 4"
    assert programs.detail.letters_model.rowCount() == 1


def test_an_eras_letter_cannot_be_unassigned_and_says_why(page, qtbot, dialogs):
    eras = make_cycle(name="ERAS 2031")
    pid = make_program(eras, "Lakeshore IM")
    rid = make_letter(eras, "Okafor")
    assign(rid, pid)
    programs = page()
    select(qtbot, programs, "Lakeshore IM")
    tooltip = programs.detail.letters_model.index(0, 0).data(Qt.ItemDataRole.ToolTipRole)
    assert "Sent to the service: it stays assigned." in tooltip
    programs.detail.letters_table.selectRow(0)
    seen = {}

    def refused(box):
        seen["text"] = box.text()
        click_message_button(box, "OK")

    dialogs.then(refused)
    qtbot.mouseClick(programs.detail.unassign_button, Qt.MouseButton.LeftButton)
    dialogs.check()
    assert "This letter stays assigned to Lakeshore IM" in seen["text"]
    assert "ERAS residency (ERAS 2031), an assigned letter cannot be unassigned" in seen["text"]
    assert Assignment.select().count() == 1


# --- coverage -----------------------------------------------------------------------


def test_coverage_states_colours_and_reasons(page, qtbot):
    eras = make_cycle()
    S = RequestStatus
    submitted = [make_letter(eras, f"Sub{n}", S.ASKED, S.SUBMITTED) for n in range(3)]
    overdue = make_letter(eras, "Late", S.ASKED, due_on=days(-2))
    declined = make_letter(eras, "No", S.ASKED)  # declines once assigned
    chair_less = make_letter(eras, "Ward", S.ASKED, S.SUBMITTED, specialty="Internal Medicine")

    met = make_program(eras, "Met program", letters_required=2, deadline=days(60))
    for rid in submitted[:2]:
        assign(rid, met)
    late = make_program(eras, "Overdue program", letters_required=3, deadline=days(60))
    for rid in [*submitted[:2], overdue]:
        assign(rid, late)
    said_no = make_program(eras, "Declined program", letters_required=1, deadline=days(60))
    assign(declined, said_no)
    move_status(declined, S.DECLINED, on=days(-1), today=TODAY)
    no_chair = make_program(
        eras,
        "Chair program",
        letters_required=1,
        specialty="Internal Medicine",
        specialty_letters_required=1,
        chair_letter_required=True,
    )
    assign(chair_less, no_chair)
    few = make_program(
        eras,
        "Specialty program",
        letters_required=2,
        specialty="Internal Medicine",
        specialty_letters_required=2,
    )
    for rid in (chair_less, submitted[2]):
        assign(rid, few)
    withdrawn = make_program(eras, "Withdrawn program")
    assign(submitted[0], withdrawn)
    Program.update(status="withdrawn").where(Program.id == withdrawn).execute()
    programs = page()

    expected = {
        "Met program": ("Met", "#2e7d32", ["2 of 2 letters submitted"]),
        "Overdue program": ("At risk", "#b26a00", ["2 of 3 letters submitted, 1 overdue"]),
        # A declined letter never comes (issue 11): not met, not "at risk".
        "Declined program": (
            "Not met",
            "#c62828",
            ["0 of 1 letter submitted, 1 declined", "needs 1 more letter"],
        ),
        "Chair program": (
            "Not met",
            "#c62828",
            ["1 of 1 letter submitted", "needs a chair letter"],
        ),
        "Specialty program": (
            "Not met",
            "#c62828",
            ["2 of 2 letters submitted", "needs 1 more specialty letter (1 of 2 so far)"],
        ),
        "Withdrawn program": (
            "Not evaluated",
            "#8a8a8a",
            ["You withdrew from this program; its letters are not checked."],
        ),
    }
    for name, (label, colour, reasons) in expected.items():
        assert cell(programs, name, "Coverage") == label, name
        row = names(programs).index(name)
        index = programs.model.index(row, COLUMNS.index("Coverage"))
        assert index.data(Qt.ItemDataRole.ForegroundRole).color().name() == colour
        assert index.data(Qt.ItemDataRole.DecorationRole) is not None
        assert index.data(Qt.ItemDataRole.ToolTipRole).splitlines()[0] == label
        select(qtbot, programs, name)
        assert programs.detail.coverage_label.text() == f"Coverage: {label}"
        assert programs.detail.reasons() == reasons, name

    # Each letter's standing for the selected program, in the letters table.
    select(qtbot, programs, "Overdue program")
    model = programs.detail.letters_model
    standings = {model.index(r, 0).data(): model.index(r, 3).data() for r in range(3)}
    assert standings == {
        "Dr. Sub0": "Submitted",
        "Dr. Sub1": "Submitted",
        "Dr. Late": "At risk: overdue",
    }
    # The withdrawn program's row is drawn muted.
    row = names(programs).index("Withdrawn program")
    assert programs.model.index(row, 0).data(Qt.ItemDataRole.ForegroundRole) is not None


# --- filters and sorting ------------------------------------------------------------


def test_cycle_status_coverage_and_text_filters_combine_and_columns_sort(page, qtbot):
    eras = make_cycle(name="ERAS 2031")
    amcas = make_cycle(Service.AMCAS, 10, name="AMCAS 2031")
    chair = make_letter(eras, "Chair", RequestStatus.ASKED, letter_type=LetterType.CHAIR.value)
    make_program(eras, "Bayview Surgery", deadline=days(50), location="San Francisco, CA")
    make_program(eras, "Albany Medicine", deadline=days(20), status="applied")
    covered = make_program(eras, "Cedar Pediatrics", letters_required=1, status="interview")
    assign(chair, covered)
    make_program(eras, "Dover Family", deadline=days(10), status="withdrawn")
    make_program(amcas, "State School of Medicine", deadline=days(5))
    programs = page()

    # The newest cycle in season is shown first; all cycles on request.
    assert programs.cycle_filter.currentText() == "AMCAS 2031"
    assert names(programs) == ["State School of Medicine"]
    programs.cycle_filter.setCurrentIndex(programs.cycle_filter.findData(eras))
    # Sorted by deadline, programs without one last.
    assert names(programs) == [
        "Dover Family",
        "Albany Medicine",
        "Bayview Surgery",
        "Cedar Pediatrics",
    ]
    assert programs.count_label.text() == "4 of 5 programs"

    status = programs.status_filter
    status.setCurrentIndex(status.findData("active"))
    assert "Dover Family" not in names(programs) and len(names(programs)) == 3
    status.setCurrentIndex(status.findData("interview"))
    assert names(programs) == ["Cedar Pediatrics"]
    status.setCurrentIndex(0)
    coverage = programs.coverage_filter
    coverage.setCurrentIndex(coverage.findData("met"))
    assert names(programs) == ["Cedar Pediatrics"]
    coverage.setCurrentIndex(coverage.findData("not_evaluated"))
    assert names(programs) == ["Dover Family"]
    coverage.setCurrentIndex(0)

    programs.set_search_text("san FRANCISCO")
    assert names(programs) == ["Bayview Surgery"]
    programs.set_search_text("nothing like this")
    assert names(programs) == [] and programs.count_label.text() == "0 of 5 programs"
    assert programs.detail.placeholder.text() == "No program matches the search and filters."
    programs.set_search_text("")

    # Clicking the Program header sorts by name; clicking again reverses.
    header = programs.table.horizontalHeader()
    where = QPoint(header.sectionViewportPosition(0) + 20, header.height() // 2)
    by_name = ["Albany Medicine", "Bayview Surgery", "Cedar Pediatrics", "Dover Family"]
    qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, pos=where)
    first = names(programs)
    qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, pos=where)
    assert sorted([first, names(programs)]) == [by_name, by_name[::-1]]
    assert first == list(reversed(names(programs)))
    # Coverage ascending: not met first, then met, withdrawn (not evaluated) last.
    programs.table.sortByColumn(COLUMNS.index("Coverage"), Qt.SortOrder.AscendingOrder)
    assert names(programs)[-2:] == ["Cedar Pediatrics", "Dover Family"]
    assert cell(programs, "Albany Medicine", "Coverage") == "Not met"
    programs.table.sortByColumn(COLUMNS.index("Status"), Qt.SortOrder.AscendingOrder)
    assert [cell(programs, n, "Status") for n in names(programs)] == [
        "Considering",
        "Applied",
        "Interview",
        "Withdrawn",
    ]


def test_open_program_widens_the_filters_that_hide_it(page):
    eras = make_cycle(name="ERAS 2031")
    amcas = make_cycle(Service.AMCAS, 10, name="AMCAS 2031")
    make_program(amcas, "State School of Medicine")
    hidden = make_program(eras, "Lakeshore IM", status="withdrawn")
    programs = page()
    programs.status_filter.setCurrentIndex(programs.status_filter.findData("active"))
    assert "Lakeshore IM" not in names(programs)
    programs.open_program(hidden)
    assert programs.selected_id() == hidden
    assert programs.detail.name_label.text() == "Lakeshore IM"
    assert programs.cycle_filter.currentData() is None
