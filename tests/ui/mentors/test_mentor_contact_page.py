"""The mentor's panel is a contact page (issue 12): their letters with the
status and next step, the log in full (wrapped, not cut to a few words),
a header that says each fact once, and tables whose headers and cells are
not cut short. The real window over a real SQLite file, driven by clicks."""

from __future__ import annotations

from datetime import timedelta

from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QLabel, QTableView

from desktop.domain.vocabulary import RequestStatus
from desktop.store import mentors as mentor_store
from desktop.store.mentors import InteractionFields, MentorFields
from desktop.store.models import Cycle
from desktop.store.requests import RequestFields, create_request, move_status
from desktop.ui.common import Target

LONG_ENTRY = (
    "Presented the septic shock case at morning report; she said my differential was "
    "the most complete of the rotation and offered to write a SLOE before September."
)


def cells(table: QTableView, column: int) -> list[str]:
    model = table.model()
    return [model.index(row, column).data() for row in range(model.rowCount())]


def open_window(qtbot, data_paths):
    from desktop.ui.shell import MainWindow

    window = MainWindow(data_paths)
    qtbot.addWidget(window)
    window.resize(1280, 720)
    window.show()
    qtbot.waitExposed(window)
    return window


def test_contact_page_lists_letters_shows_the_log_in_full_and_says_things_once(
    qtbot, db, data_paths, today, dialogs
):
    # Emergency medicine applies through ResidencyCAS, where its SLOE is the EM SLOE.
    cycle = Cycle.create(service="residencycas", name="CAS 2031", max_letters_per_program=4)
    wang = mentor_store.save_mentor(
        MentorFields(
            last_name="Wang", first_name="Li", honorific="Dr.", category="clinical_supervisor",
            title="Emergency Medicine", department="Emergency Medicine",
            specialty="Emergency Medicine", institution="Mercy Hospital",
        )
    )  # fmt: skip
    mentor_store.save_interaction(
        wang, InteractionFields(today - timedelta(days=2), "feedback", LONG_ENTRY)
    )
    create_request(
        RequestFields(wang, cycle, "em_sloe", "Emergency Medicine", True,
                      due_on=today + timedelta(days=60))
    )  # fmt: skip
    accepted = create_request(
        RequestFields(wang, cycle, "narrative", "Emergency Medicine", True,
                      due_on=today + timedelta(days=10))
    )  # fmt: skip
    move_status(accepted, RequestStatus.ASKED, on=today - timedelta(days=9), today=today)
    move_status(accepted, RequestStatus.ACCEPTED, on=today - timedelta(days=8), today=today)
    window = open_window(qtbot, data_paths)
    window.show_page("mentors")
    page = window.page("mentors")
    assert page.select_id(wang)
    detail = page.detail

    role = detail.findChild(QLabel, "mentorRole").text()
    assert role == "Emergency Medicine, Mercy Hospital\nClinical supervisor"
    assert role.count("Emergency Medicine") == 1

    letters = detail.findChild(QTableView, "mentorLetters")
    assert letters.isVisible()
    ask_by = today + timedelta(days=60 - 42)
    assert cells(letters, 0) == [
        "EM SLOE · Emergency Medicine",
        "Narrative · Emergency Medicine",
    ]
    assert cells(letters, 1) == ["Planned", "Accepted"]
    assert cells(letters, 2) == [
        f"Ask · ask by {ask_by:%b} {ask_by.day}",
        "Send materials · due in 10 days",
    ]

    log = detail.findChild(QTableView, "interactionLog")
    assert cells(log, 1) == [f"Feedback received: {LONG_ENTRY}"]  # the whole entry
    line = log.fontMetrics().height()
    assert log.rowHeight(0) >= 2 * line  # wrapped over several lines, not cut
    summary_width = log.columnWidth(1)
    assert log.fontMetrics().horizontalAdvance(LONG_ENTRY) > summary_width  # it had to wrap

    # Headers and short cells are shown whole.
    for view in (page.table, letters, log, detail.findChild(QTableView, "mentorExperiences")):
        header = view.horizontalHeader()
        for column in range(view.model().columnCount()):
            title = view.model().headerData(column, Qt.Orientation.Horizontal)
            needed = header.fontMetrics().horizontalAdvance(title)
            assert header.sectionSize(column) >= needed, (view.objectName(), title)
    assert letters.columnWidth(1) >= letters.fontMetrics().horizontalAdvance("Accepted")
    step = "Send materials · due in 10 days"
    assert letters.columnWidth(2) >= letters.fontMetrics().horizontalAdvance(step)
    assert not letters.horizontalScrollBar().isVisible()  # nothing off to the side
    assert letters.viewport().height() >= letters.rowHeight(0) + letters.rowHeight(1)

    # A letter opens on the Requests page (click it, press Enter).
    opened = []
    page.navigate.connect(opened.append)
    second = letters.visualRect(letters.model().index(1, 0)).center()
    editors = []

    def editor(dialog):
        editors.append(dialog.request_id)
        dialog.reject()

    dialogs.then(editor)
    qtbot.mouseClick(letters.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(second))
    qtbot.keyClick(letters, Qt.Key.Key_Return)  # Enter opens the row
    dialogs.check()
    assert opened == [Target("requests", item_id=accepted)]
    assert editors == [accepted]  # the request editor, on the Requests page


def test_a_mentor_without_letters_says_so(qtbot, db, data_paths, make_mentor):
    make_mentor("Okafor", honorific="Dr.")
    window = open_window(qtbot, data_paths)
    window.show_page("mentors")
    page = window.page("mentors")
    page.select_id(page.model.row_at(page.model.index(0, 0)).id)
    assert page.detail.findChild(QLabel, "noLetters").isVisible()
    assert not page.detail.findChild(QTableView, "mentorLetters").isVisible()


def test_a_declined_or_withdrawn_letter_has_no_next_step(qtbot, db, data_paths, today):
    """Not "was due Dec 22": the writer has nothing left to do for them, and
    the board's cards agree with the mentor's Letters table."""
    cycle = Cycle.create(service="eras_residency", name="ERAS 2031", max_letters_per_program=4)
    lopez = mentor_store.save_mentor(
        MentorFields(last_name="Lopez", first_name="Maria", credentials="MD",
                     category="clinical_supervisor")
    )  # fmt: skip
    declined = create_request(
        RequestFields(lopez, cycle, "narrative", "Internal Medicine", True,
                      due_on=today + timedelta(days=20))
    )  # fmt: skip
    withdrawn = create_request(
        RequestFields(lopez, cycle, "narrative", "Surgery", True,
                      due_on=today - timedelta(days=3))
    )  # fmt: skip
    move_status(declined, RequestStatus.ASKED, on=today - timedelta(days=9), today=today)
    move_status(declined, RequestStatus.DECLINED, on=today - timedelta(days=8), today=today)
    move_status(withdrawn, RequestStatus.WITHDRAWN, on=today - timedelta(days=5), today=today)
    window = open_window(qtbot, data_paths)
    window.show_page("mentors")
    page = window.page("mentors")
    assert page.select_id(lopez)

    letters = page.detail.findChild(QTableView, "mentorLetters")
    assert cells(letters, 1) == ["Declined", "Withdrawn"]
    assert cells(letters, 2) == ["—", "—"]

    window.show_page("requests")
    requests = window.page("requests")
    qtbot.mouseClick(requests.board_button, Qt.MouseButton.LeftButton)
    for request_id in (declined, withdrawn):
        _view, index = requests.board.card_index(request_id)
        text = index.data(Qt.ItemDataRole.AccessibleTextRole)
        assert text == "Maria Lopez, MD, Narrative · " + (
            "Internal Medicine" if request_id == declined else "Surgery"
        )
