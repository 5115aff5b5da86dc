"""A backup writer declines too (issue 11): the backup dialog must not offer
the writer who declined first as the best choice, as if nothing had
happened. Driven through the Requests page's Move menu on a real file."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QListWidget, QPlainTextEdit

from desktop.domain.timing import format_day
from desktop.domain.vocabulary import RequestStatus
from desktop.store.requests import create_backup, move_status

from ..dialogs import button
from .test_requests_page import (
    OFFSCREEN_POPUP,
    make_cycle,
    make_request,
    make_writer,
    open_page,
    pick_from_menu,
    status_of,
)

pytestmark = OFFSCREEN_POPUP
S = RequestStatus


def test_after_a_second_decline_the_first_writer_is_last_and_named_as_declined(
    qtbot, db, dialogs, today: date
):
    eras = make_cycle()
    first = make_writer("Okafor", strength=5)  # the strongest: top of any list
    backup = make_writer("Haddad", strength=4)
    make_writer("Lee", strength=2)
    original = make_request(eras, first)
    move_status(original, S.ASKED, on=today, today=today)
    move_status(original, S.DECLINED, on=today, today=today, note="Too busy")
    second = create_backup(original, backup).request_id
    move_status(second, S.ASKED, on=today, today=today)
    page = open_page(qtbot, db)
    page.select_id(second)
    seen: dict[str, list[str]] = {}

    def note(dialog):
        qtbot.keyClicks(dialog.findChild(QPlainTextEdit, "moveNote"), "On leave")
        qtbot.mouseClick(button(dialog, "OK"), Qt.MouseButton.LeftButton)

    def backups(dialog):
        candidates = dialog.findChild(QListWidget, "backupCandidates")
        seen["candidates"] = [candidates.item(r).text() for r in range(candidates.count())]
        qtbot.mouseClick(button(dialog, "Not now"), Qt.MouseButton.LeftButton)

    dialogs.then(note).then(backups)
    pick_from_menu(qtbot, page.move_button, page.move_menu, "Mark declined")
    dialogs.check()

    assert status_of(second) == "declined"
    lee, okafor = seen["candidates"]
    assert lee.startswith("1. Dr. Sam Lee")
    assert okafor.startswith("2. Dr. Sam Okafor")
    assert f"declined a letter for this cycle on {format_day(today)}" in okafor
