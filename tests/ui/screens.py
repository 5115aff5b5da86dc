"""Every screen of the app, built the way a person reaches it, on the demo
data: the registered pages of the main window and one entry per dialog
class. The fit test, the accessibility test and ``make screenshots`` walk
this one list, and ``unlisted_dialog_classes()`` makes a new dialog class
fail the tests until it is listed here.

Dialogs the app opens with ``exec()`` are caught by ``opened_dialog``:
while the app's own code runs, ``QDialog.exec`` returns "cancelled" at once
and hands the dialog back, so the entry builds it exactly as the menu or
the button does, without a nested event loop.
"""

from __future__ import annotations

import importlib
import inspect
import pkgutil
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from PySide6.QtCore import QSize
from PySide6.QtWidgets import QApplication, QDialog, QWidget

import desktop.ui
from desktop.paths import DataPaths


@dataclass(frozen=True)
class DialogEntry:
    name: str  # stable, used for screenshot file names
    cls: str  # the dialog class's name
    open: Callable[[QWidget, DataPaths], QDialog]


@contextmanager
def catching_exec() -> Iterator[list[QDialog]]:
    """While inside, a dialog's exec() returns "cancelled" at once; the
    dialogs it was called on are listed."""
    caught: list[QDialog] = []
    original = QDialog.exec

    def fake_exec(self: QDialog) -> int:
        caught.append(self)
        return 0

    QDialog.exec = fake_exec  # type: ignore[method-assign]
    try:
        yield caught
    finally:
        QDialog.exec = original  # type: ignore[method-assign]


def opened_dialog(action: Callable[[], object], cls: str) -> QDialog:
    """The first dialog of class ``cls`` that ``action`` opens with exec()."""
    with catching_exec() as caught:
        action()
    for dialog in caught:
        if type(dialog).__name__ == cls:
            return dialog
    raise AssertionError(f"{cls} was not opened; saw {[type(d).__name__ for d in caught]}")


def settle(seconds: float = 20.0, busy: Callable[[], bool] | None = None) -> None:
    """Let background loads land (Today's advice, attachment sizes…)."""
    from PySide6.QtCore import QThreadPool

    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        QApplication.processEvents()
        if QThreadPool.globalInstance().activeThreadCount() == 0 and not (busy and busy()):
            break
        time.sleep(0.01)
    for _ in range(5):
        QApplication.processEvents()


# --- the entries -----------------------------------------------------------------------


def _first_request_id(status: str | None = None) -> int:
    from desktop.store.requests import load_request_rows

    rows = load_request_rows()
    for row in rows:
        if status is None or row.status == status:
            return row.id
    return rows[0].id


def _first_program_id() -> int:
    from desktop.store.programs import load_program_rows

    return load_program_rows()[0].id


def _mentors_page_with_selection(window):
    window.show_page("mentors")
    page = window.page("mentors")
    settle()
    page.table.selectRow(0)
    settle()
    return page


def _first_run(_parent, _paths):
    from desktop.ui.shell.first_run import FirstRunDialog

    return FirstRunDialog()


def _mentor(window, _paths):
    return opened_dialog(window.add_mentor_action.trigger, "MentorDialog")


def _interaction(window, _paths):
    _mentors_page_with_selection(window)
    return opened_dialog(window.log_action.trigger, "InteractionDialog")


def _experience(window, _paths):
    return opened_dialog(window.add_experience_action.trigger, "ExperienceDialog")


def _new_request(window, _paths):
    return opened_dialog(window.new_request_action.trigger, "NewRequestDialog")


def _request_editor(window, _paths):
    from desktop.ui.requests.request_editor import run_request_editor

    return opened_dialog(
        lambda: run_request_editor(window, _first_request_id("asked")), "RequestEditor"
    )


def _compose(window, _paths):
    return opened_dialog(
        lambda: window.compose(request_id=_first_request_id("asked"), purpose="materials"),
        "ComposeDialog",
    )


def _send_later(window, _paths):
    from desktop.ui.mail.compose_dialog import SendLaterDialog

    return SendLaterDialog(window)


def _account(window, _paths):
    return opened_dialog(window.account_action.trigger, "AccountDialog")


def _password(window, _paths):
    from desktop.services.mail.account import SmtpAccount
    from desktop.ui.mail.account_dialog import PasswordPrompt

    account = SmtpAccount(
        "Jordan Rivera", "jordan.rivera@lakeshore.edu", "smtp.lakeshore.edu", 587,
        "starttls", "jordan.rivera@lakeshore.edu",
    )  # fmt: skip
    return PasswordPrompt(account, window)


def _inbox_settings(window, _paths):
    from desktop.ui.mail.inbox_panel import InboxDialog

    account = opened_dialog(window.account_action.trigger, "AccountDialog")
    return InboxDialog(account.inbox_row.panel, account)


def _profile(window, _paths):
    return opened_dialog(window.profile_action.trigger, "ProfileDialog")


def _cycle(window, _paths):
    from desktop.ui.profile.profile_dialog import CycleDialog

    return CycleDialog(None, window, date.today())


def _program(window, _paths):
    window.show_page("programs")
    page = window.page("programs")
    settle()
    return opened_dialog(page.add_program, "ProgramDialog")


def _assign_letters(window, _paths):
    from desktop.ui.programs.assignment_dialog import assign_letters_to_program

    return opened_dialog(
        lambda: assign_letters_to_program(window, _first_program_id()), "AssignmentDialog"
    )


def _assign_programs(window, _paths):
    from desktop.ui.programs.assignment_dialog import assign_programs_to_request

    return opened_dialog(
        lambda: assign_programs_to_request(window, _first_request_id("asked")), "AssignmentDialog"
    )


def _advice(window, _paths):
    return opened_dialog(window.advice_settings_action.trigger, "AdviceSettingsDialog")


def _data(window, _paths):
    return opened_dialog(window.data_action.trigger, "DataDialog")


def _import(window, paths):
    from desktop.ui.data.import_dialog import ImportDialog

    return ImportDialog(paths, window, choose_file=lambda _parent: None)


def _note(window, _paths):
    from desktop.ui.requests.decline_flow import NoteDialog

    return NoteDialog("Declined", "Why did the writer decline? (optional)", window)


def _backup(window, _paths):
    from desktop.ui.requests.decline_flow import offer_backup

    request_id = _first_request_id("asked")
    return opened_dialog(
        lambda: offer_backup(window, request_id, "Dr. Okafor", today=date.today()),
        "BackupDialog",
    )


def _move_date(window, _paths):
    from desktop.ui.requests.move_dates import MoveDateDialog

    return MoveDateDialog(
        "submitted", "Dr. Amara Okafor, MD, FACP", today=date.today(), parent=window
    )


def _document(window, _paths):
    from desktop.ui.documents.documents_page import DocumentDialog

    return DocumentDialog("Personal statement v3.pdf", parent=window)


DIALOGS: list[DialogEntry] = [
    DialogEntry("first-run", "FirstRunDialog", _first_run),
    DialogEntry("mentor-form", "MentorDialog", _mentor),
    DialogEntry("log-interaction", "InteractionDialog", _interaction),
    DialogEntry("experience-form", "ExperienceDialog", _experience),
    DialogEntry("new-request", "NewRequestDialog", _new_request),
    DialogEntry("request-editor", "RequestEditor", _request_editor),
    DialogEntry("compose", "ComposeDialog", _compose),
    DialogEntry("send-later", "SendLaterDialog", _send_later),
    DialogEntry("account-settings", "AccountDialog", _account),
    DialogEntry("password-prompt", "PasswordPrompt", _password),
    DialogEntry("inbox-settings", "InboxDialog", _inbox_settings),
    DialogEntry("profile-and-cycles", "ProfileDialog", _profile),
    DialogEntry("cycle-form", "CycleDialog", _cycle),
    DialogEntry("program-form", "ProgramDialog", _program),
    DialogEntry("assign-letters", "AssignmentDialog", _assign_letters),
    DialogEntry("assign-programs", "AssignmentDialog", _assign_programs),
    DialogEntry("advice-settings", "AdviceSettingsDialog", _advice),
    DialogEntry("data-and-backups", "DataDialog", _data),
    DialogEntry("import-mentors", "ImportDialog", _import),
    DialogEntry("decline-note", "NoteDialog", _note),
    DialogEntry("backup-writer", "BackupDialog", _backup),
    DialogEntry("move-date", "MoveDateDialog", _move_date),
    DialogEntry("add-document", "DocumentDialog", _document),
]


def dialog_classes() -> set[str]:
    """The names of every QDialog subclass defined under desktop.ui."""
    names: set[str] = set()
    for module_info in pkgutil.walk_packages(desktop.ui.__path__, "desktop.ui."):
        module = importlib.import_module(module_info.name)
        for _name, value in inspect.getmembers(module, inspect.isclass):
            if issubclass(value, QDialog) and value.__module__ == module.__name__:
                names.add(value.__name__)
    return names


def unlisted_dialog_classes() -> set[str]:
    return dialog_classes() - {entry.cls for entry in DIALOGS}


def problems_in_every_dialog(
    window, paths, check: Callable[[QWidget], list[str]]
) -> dict[str, list[str]]:
    """Open each dialog of ``DIALOGS`` over ``window``, shown and settled,
    and gather what ``check`` finds in it, by the dialog's name."""
    problems = {}
    for entry in DIALOGS:
        dialog = entry.open(window, paths)
        dialog.show()
        settle()
        found = check(dialog)
        if found:
            problems[entry.name] = found
        dialog.close()
        dialog.deleteLater()
    return problems


def demo_folder(root: Path):
    """A data folder with the demo data, open as the current database, and
    a few emails in each outbox state: (paths, the open database)."""
    from desktop.services.demo import create_demo_folder

    paths = DataPaths(root)
    db = create_demo_folder(paths, date.today())
    _outbox_examples()
    return paths, db


# --- what "fits" means ------------------------------------------------------------------


# The room a window manager's title bar and borders take, which the offscreen
# platform does not draw but a real desktop does.
TITLE_BAR = QSize(8, 40)


def fit_problems(window: QWidget) -> list[str]:
    """Why ``window`` (shown) does not fit its screen: its size or minimum
    size with a title bar's room, or a control outside the window."""
    available = (window.screen() or QApplication.primaryScreen()).availableGeometry().size()
    problems = []
    for what, size in (
        ("opens at", window.size()),
        ("cannot shrink below", window.minimumSizeHint().expandedTo(window.minimumSize())),
    ):
        framed = size + TITLE_BAR
        if framed.width() > available.width() or framed.height() > available.height():
            problems.append(
                f"{what} {size.width()}×{size.height()} (+ title bar), "
                f"screen has {available.width()}×{available.height()}"
            )
    problems += [f"{name} is cut off" for name in _clipped_controls(window)]
    problems += [f"{name} is cut short" for name in _squeezed_texts(window)]
    return problems


def _squeezed_texts(window: QWidget) -> list[str]:
    """Visible wrapped labels given less height than their lines need
    (their last line drawn half or not at all)."""
    from PySide6.QtWidgets import QAbstractScrollArea, QLabel

    squeezed = []
    for label in window.findChildren(QLabel):
        if not (label.isVisible() and label.wordWrap() and label.text()):
            continue
        if _in_scroll_area(label, window, QAbstractScrollArea):
            continue
        needed = label.heightForWidth(label.width())
        if needed > label.height() + 2:
            squeezed.append(f"{describe(label)[:70]} ({label.height()} of {needed} px)")
    return squeezed


def _clipped_controls(window: QWidget) -> list[str]:
    """Visible buttons, fields and lists that stick out of the window (a
    control scrolled out of a scroll area's view is not clipped)."""
    from PySide6.QtCore import QRect
    from PySide6.QtWidgets import (
        QAbstractButton,
        QAbstractItemView,
        QAbstractScrollArea,
        QAbstractSpinBox,
        QComboBox,
        QLineEdit,
    )

    clipped = []
    inside = window.rect()
    kinds = (QAbstractButton, QLineEdit, QComboBox, QAbstractSpinBox, QAbstractItemView)
    for widget in window.findChildren(QWidget):
        if not isinstance(widget, kinds) or not widget.isVisible():
            continue
        if _in_scroll_area(widget, window, QAbstractScrollArea):
            continue
        top_left = widget.mapTo(window, widget.rect().topLeft())
        if not inside.contains(QRect(top_left, widget.size())):
            clipped.append(describe(widget))
    return clipped


def _in_scroll_area(widget: QWidget, window: QWidget, area_type) -> bool:
    parent = widget.parentWidget()
    while parent is not None and parent is not window:
        if isinstance(parent, area_type) and parent.viewport().isAncestorOf(widget):
            return True
        parent = parent.parentWidget()
    return False


def describe(widget: QWidget) -> str:
    text = widget.text() if hasattr(widget, "text") and callable(widget.text) else ""
    name = widget.objectName() or "(no objectName)"
    return f"{type(widget).__name__} {name}" + (f" {text!r}" if text else "")


def _outbox_examples() -> None:
    from datetime import datetime, timedelta

    from desktop.services.mail.account import SmtpAccount, save_account
    from desktop.store import outbox
    from desktop.store.models import utc_now
    from desktop.store.outbox import EmailFields
    from desktop.store.requests import load_request_rows

    save_account(
        SmtpAccount(
            "Jordan Rivera", "jordan.rivera@lakeshore.edu", "smtp.lakeshore.edu", 587,
            "starttls", "jordan.rivera@lakeshore.edu",
        )
    )  # fmt: skip
    examples = [
        ("Thank you for my letter", "thank_you", "sent"),
        ("Materials for my letter of recommendation", "materials", "failed"),
        ("A gentle reminder about my letter", "nudge", "scheduled"),
        ("Letter of recommendation request", "request", "draft"),
    ]
    for row, (subject, purpose, state) in zip(load_request_rows(), examples, strict=False):
        writer = row.mentor_name.split(",")[0]  # "Dr. Amara Okafor", without the credentials
        email_id = outbox.create_draft(
            EmailFields(f"{writer} <writer@lakeshore.edu>", subject, f"Dear {writer},\n\n…"),
            request_id=row.id,
            mentor_id=row.mentor_id,
            template_purpose=purpose,
        )
        if state == "scheduled":
            when = datetime.now().astimezone() + timedelta(days=1)
            outbox.schedule(email_id, when, domain="lakeshore.edu")
        elif state in ("sent", "failed"):
            outbox.queue(email_id, domain="lakeshore.edu")
            outbox.claim(email_id, utc_now())
            if state == "sent":
                outbox.record_sent(email_id, today=date.today())
            else:
                outbox.record_failed(
                    email_id,
                    "The server refused the password for jordan.rivera@lakeshore.edu. "
                    "Check it in File → Email account, then choose Retry.",
                )


# --- what "named" means -----------------------------------------------------------------


def unnamed_controls(window: QWidget) -> list[str]:
    """Visible controls a screen reader would announce without a name: the
    accessible name Qt reports (its own, a buddy label's, a button's text)
    is empty. Qt's own parts of a control (a spin box's line edit, a line
    edit's clear button, a table's header) are announced with the control."""
    from PySide6.QtGui import QAccessible
    from PySide6.QtWidgets import (
        QAbstractButton,
        QAbstractItemView,
        QAbstractSpinBox,
        QComboBox,
        QHeaderView,
        QLineEdit,
        QPlainTextEdit,
        QSlider,
        QTabBar,
        QTextEdit,
    )

    controls = (
        QAbstractButton, QLineEdit, QComboBox, QAbstractSpinBox, QAbstractItemView,
        QPlainTextEdit, QTextEdit, QSlider,
    )  # fmt: skip
    composite = (QAbstractSpinBox, QComboBox, QLineEdit, QTabBar, QAbstractItemView)
    unnamed = []
    for widget in window.findChildren(QWidget):
        if not isinstance(widget, controls) or isinstance(widget, QHeaderView):
            continue
        if not widget.isVisible() or isinstance(widget.parentWidget(), composite):
            continue
        if not _accessible_name(widget, QAccessible, QComboBox):
            unnamed.append(describe(widget))
    return unnamed


def _accessible_name(widget: QWidget, accessible, combo_type) -> str:
    """A combo's "name" on Linux is its current value, so what names it is
    its own accessible name or the label that points at it."""
    if widget.accessibleName().strip():
        return widget.accessibleName()
    interface = accessible.queryAccessibleInterface(widget)
    if interface is None:
        return ""
    labels = interface.relations(accessible.Relation.Label)
    if labels:
        return labels[0][0].text(accessible.Text.Name)
    if isinstance(widget, combo_type):
        return ""
    return interface.text(accessible.Text.Name).strip()
