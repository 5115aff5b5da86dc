"""The tray: its counts and menu, keeping the app running when emails are
scheduled, and its notifications reaching a real notification daemon
(dunst on a private D-Bus, ``tests/notification_daemon.py``).

The offscreen platform has no system tray, so ``tray_available`` is made
to say yes where a test is about the tray's behaviour; the icon, its menu
and the notifications are real. Set LETTERDESK_SCREENSHOT_DIR to keep the
screenshot of the menu.
"""

from __future__ import annotations

import os
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint
from PySide6.QtGui import QPainter

from desktop.domain.replies import NewReply
from desktop.store import outbox
from desktop.store import replies as reply_store
from desktop.store.models import Cycle, Mentor
from desktop.store.outbox import EmailFields
from desktop.store.requests import RequestFields, create_request
from desktop.ui.shell import main_window as main_window_module

from ..dialogs import click_message_button


@pytest.fixture
def a_reply(db):
    mentor = Mentor.create(
        honorific="Dr.", last_name="Lopez", first_name="Rosa", category="clinical_supervisor",
        email="rlopez@hospital.example",
    ).id  # fmt: skip
    cycle = Cycle.create(service="eras_residency", name="ERAS 2027", max_letters_per_program=4)
    request_id = create_request(RequestFields(mentor_id=mentor, cycle_id=cycle.id, waiver=True))
    (reply_id,) = reply_store.save_replies(
        [
            NewReply(
                "<r1@hospital.example>", "rlopez@hospital.example", "Rosa Lopez",
                "Re: Letter", "Happy to, send me your CV.", datetime.utcnow() - timedelta(hours=2),
                "sender", request_id, mentor, None,
            )
        ]
    )  # fmt: skip
    return reply_id


def _started_tray(qtbot, window):
    qtbot.waitUntil(lambda: window.tray is not None, timeout=5000)
    tray = window.tray
    qtbot.waitUntil(lambda: not tray._counting, timeout=10000)
    return tray


# A popup menu on the offscreen platform: it cannot raise or grab the keyboard.
@pytest.mark.qt_log_ignore("does not support raise", "does not support grabbing the keyboard")
def test_the_tray_menu_counts_replies_and_opens_today(qtbot, a_reply, window, tmp_path):
    window.resize(1280, 720)
    window.show_page("mentors")
    tray = _started_tray(qtbot, window)
    tray.recount()
    qtbot.waitUntil(lambda: tray.replies == 1, timeout=10000)
    names = [a.objectName() for a in tray.menu.actions() if a.objectName()]
    assert names == ["trayOpen", "trayUrgent", "trayReplies", "trayAutostart", "trayQuit"]
    assert tray.replies_action.text() == "1 reply to look at"
    assert "1 reply to look at" in tray.icon.toolTip()
    assert not tray.icon.icon().isNull()

    # The menu over the window, as a person sees it after clicking the icon.
    tray.menu.popup(window.mapToGlobal(QPoint(900, 40)))
    qtbot.waitUntil(tray.menu.isVisible, timeout=3000)
    shot = window.grab()
    painter = QPainter(shot)
    painter.drawPixmap(window.mapFromGlobal(tray.menu.pos()), tray.menu.grab())
    painter.end()
    folder = Path(os.environ.get("LETTERDESK_SCREENSHOT_DIR") or tmp_path)
    assert shot.save(str(folder / "tray-menu-1280x720.png"))
    tray.menu.hide()

    tray.replies_action.trigger()
    assert window.stack.currentWidget() is window.page("today")


@pytest.mark.qt_log_ignore("does not support raise")  # bring_back() raises the window
def test_closing_with_scheduled_emails_offers_to_keep_running(
    qtbot, window, db, dialogs, monkeypatch
):
    monkeypatch.setattr(main_window_module, "tray_available", lambda: True)
    email_id = outbox.create_draft(
        EmailFields(to_addrs="okafor@h.org", subject="Reminder", body="Dear Dr. Okafor")
    )
    outbox.schedule(email_id, datetime.utcnow() + timedelta(days=1), domain="example.org")
    _started_tray(qtbot, window)

    dialogs.then(lambda box: click_message_button(box, "Keep running in the tray"))
    window.close()
    dialogs.check()
    assert not window.isVisible()  # hidden, still running: the scheduler goes on
    assert window._scheduler is not None and window._scheduler.timer.isActive()

    window.bring_back()
    assert window.isVisible()
    dialogs.then(lambda box: click_message_button(box, "Cancel"))
    window.close()
    dialogs.check()
    assert window.isVisible()

    dialogs.then(lambda box: click_message_button(box, "Quit"))
    window.close()
    dialogs.check()
    assert not window.isVisible() and not window._scheduler.timer.isActive()


def test_closing_with_nothing_scheduled_just_closes(qtbot, window, db, monkeypatch):
    monkeypatch.setattr(main_window_module, "tray_available", lambda: True)
    _started_tray(qtbot, window)
    window.close()  # no question asked (a dialog would block here)
    assert not window.isVisible()


def test_a_reply_and_the_days_urgent_items_reach_the_notification_daemon(
    qtbot, window, a_reply, notification_daemon, monkeypatch
):
    tray = _started_tray(qtbot, window)
    tray.notify_replies([a_reply])
    assert notification_daemon.shown() == [
        "LetterDesk|Dr. Lopez replied|Happy to, send me your CV."
    ]

    # Once a day for what is urgent, never twice the same day.
    from datetime import date

    from PySide6.QtCore import QSettings

    QSettings().remove("tray/lastDailyNotice")
    tray._daily_notice(date.today(), ["Ask Dr. Okafor by Friday", "Nudge Dr. Wang"])
    tray._daily_notice(date.today(), ["Ask Dr. Okafor by Friday", "Nudge Dr. Wang"])
    lines = notification_daemon.shown(count=3)  # the body's two lines
    assert lines[1:] == [
        "LetterDesk|2 urgent things today|• Ask Dr. Okafor by Friday",
        "• Nudge Dr. Wang",
    ]
    qtbot.wait(300)
    assert len(notification_daemon.shown(count=4, timeout=0.5)) == 3  # not twice a day


@pytest.fixture(autouse=True)
def _quit_on_last_window_closed():
    """Keeping the app in the tray switches this off for the application;
    every test starts and ends with Qt's default."""
    from PySide6.QtWidgets import QApplication

    yield
    QApplication.setQuitOnLastWindowClosed(True)


@pytest.mark.qt_log_ignore("does not support raise")  # opening from the tray raises it
def test_started_at_login_the_window_stays_hidden_and_the_work_runs(qtbot, db, data_paths):
    from PySide6.QtWidgets import QApplication

    from desktop.ui.shell import MainWindow

    window = MainWindow(data_paths)
    qtbot.addWidget(window)
    window.start_in_tray()
    qtbot.waitUntil(lambda: window.tray is not None and window.reply_watch is not None)
    assert not window.isVisible()
    assert window._scheduler is not None and window._scheduler.timer.isActive()
    assert not QApplication.quitOnLastWindowClosed()  # a closed dialog must not quit it
    window.tray.open_action.trigger()
    assert window.isVisible() and QApplication.quitOnLastWindowClosed()


def test_minimized_is_a_command_line_option():
    from desktop.app import parse_args

    assert parse_args(["--minimized"]).minimized is True
    assert parse_args([]).minimized is False
