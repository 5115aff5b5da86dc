"""The account dialog's Inbox line and its settings dialog: the switch,
what is read said in the dialog, the incoming server derived from the
outgoing one, and what Save keeps (Cancel in the settings keeps nothing)."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QCheckBox, QComboBox, QLabel, QLineEdit, QSpinBox

from desktop.services.mail import account as smtp_account
from desktop.store import replies as reply_store
from desktop.ui.mail.account_dialog import AccountDialog

from ..dialogs import button
from .test_account_dialog import field, fill, save, stored_json


@pytest.fixture
def dialog(qtbot, db):
    made = AccountDialog(None)
    qtbot.addWidget(made)
    made.show()
    return made


def test_the_dialog_says_what_is_read_and_the_settings_are_saved(qtbot, dialog, dialogs):
    note = field(dialog, QLabel, "whatIsReadShort").text()
    assert "first 2 KB" in note and "Nothing is marked as read" in note
    assert field(dialog, QCheckBox, "watchRepliesRow").isChecked()  # on by default
    fill(dialog, host="smtp.mail.me.com")

    def settings(box):
        host = field(box, QLineEdit, "imapHost")
        assert host.placeholderText() == "imap.mail.me.com (from the outgoing server)"
        assert (
            "only messages that arrive after it last looked"
            in field(box, QLabel, "whatIsRead").text()
        )
        host.setText("mail.school.example")
        field(box, QSpinBox, "imapPort").setValue(143)
        poll = field(box, QComboBox, "pollMinutes")
        poll.setCurrentIndex(poll.findData(15))
        field(box, QCheckBox, "sentCopy").setChecked(False)
        qtbot.mouseClick(button(box, "OK"), Qt.MouseButton.LeftButton)

    dialogs.then(settings)
    qtbot.mouseClick(field(dialog, type(button(dialog, "Save")), "inboxSettings"),
                     Qt.MouseButton.LeftButton)  # fmt: skip
    dialogs.check()
    save(qtbot, dialog)

    assert stored_json()["imap_host"] == "mail.school.example"
    assert stored_json()["imap_port"] == 143
    assert smtp_account.load_account().imap_port == 143
    kept = reply_store.load_settings()
    assert (kept.enabled, kept.poll_minutes, kept.sent_copy) == (True, 15, False)


def test_cancel_in_the_settings_keeps_nothing_and_the_switch_turns_it_off(qtbot, dialog, dialogs):
    fill(dialog)

    def change_then_cancel(box):
        field(box, QLineEdit, "imapHost").setText("elsewhere.example")
        field(box, QCheckBox, "notifyReplies").setChecked(False)
        qtbot.mouseClick(button(box, "Cancel"), Qt.MouseButton.LeftButton)

    dialogs.then(change_then_cancel)
    field(dialog, type(button(dialog, "Save")), "inboxSettings").click()
    dialogs.check()
    field(dialog, QCheckBox, "watchRepliesRow").setChecked(False)
    save(qtbot, dialog)

    assert "imap_host" not in stored_json()  # derived from the outgoing server
    kept = reply_store.load_settings()
    assert (kept.enabled, kept.notify) == (False, True)
