"""Render every page of LetterDesk on demo data to PNG files, for the README
and the app-store metadata (AppStream screenshots).

usage: QT_QPA_PLATFORM=offscreen python packaging/screenshots.py [OUT_DIR]
"""

from __future__ import annotations

import sys
import time
import tempfile
from datetime import date
from pathlib import Path

from PySide6.QtCore import QSize
from PySide6.QtWidgets import QApplication

from desktop import APP_NAME
from desktop.paths import DataPaths
from desktop.services.demo import create_demo_folder
from desktop.ui.shell.main_window import MainWindow

SIZE = QSize(1280, 780)


def main() -> int:
    out = Path(sys.argv[1] if len(sys.argv) > 1 else "resources/screenshots")
    out.mkdir(parents=True, exist_ok=True)
    app = QApplication([sys.argv[0]])
    app.setApplicationName(f"{APP_NAME}-screenshots")  # keep the user's window state apart
    paths = DataPaths(Path(tempfile.mkdtemp(prefix="letterdesk-shots-")))
    db = create_demo_folder(paths, date.today())
    _outbox_examples()
    window = MainWindow(paths)
    window.resize(SIZE)
    window.show()
    shots = []
    for row in range(window.navigation.count()):
        window.navigation.setCurrentRow(row)
        page = window.stack.currentWidget()
        _settle(app, page)
        table = getattr(page, "table", None)
        if table is not None and table.model().rowCount():
            table.selectRow(0)  # shows the detail panel where the page has one
        _settle(app, page)
        name = window.navigation.item(row).text().lower().replace(" ", "-")
        target = out / f"{name}.png"
        window.grab().save(str(target))
        shots.append(target)
    shots += _dialogs(out, window)
    shots.append(_compose_shot(out, window, db, paths))
    print("\n".join(str(s) for s in shots))
    db.close()
    return 0


def _settle(app: QApplication, page) -> None:  # noqa: ANN001 - any page
    """Let background loads (Today's advice, long lists) land before the shot."""
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        app.processEvents()
        busy = getattr(page, "is_refreshing", None) or getattr(page, "is_loading", None)
        if not (busy and busy()):
            break
        time.sleep(0.02)
    for _ in range(5):
        app.processEvents()


def _outbox_examples() -> None:
    """A few emails in each state, so the Outbox shot shows what it tracks."""
    from datetime import datetime, timedelta

    from desktop.services.mail.account import SmtpAccount, save_account
    from desktop.store import outbox
    from desktop.store.models import LetterRequest, utc_now
    from desktop.store.outbox import EmailFields

    save_account(
        SmtpAccount(
            "Jordan Rivera", "jordan.rivera@lakeshore.edu", "smtp.lakeshore.edu", 587,
            "starttls", "jordan.rivera@lakeshore.edu",
        )
    )  # fmt: skip
    requests = list(LetterRequest.select().limit(4))
    examples = [
        ("Thank you for my letter", "thank_you", "sent"),
        ("Materials for my letter of recommendation", "materials", "failed"),
        ("A gentle reminder about my letter", "nudge", "scheduled"),
        ("Letter of recommendation request", "request", "draft"),
    ]
    for request, (subject, purpose, state) in zip(requests, examples, strict=False):
        mentor = request.mentor
        to = f"{mentor.honorific} {mentor.last_name} <{mentor.email or 'writer@lakeshore.edu'}>"
        email_id = outbox.create_draft(
            EmailFields(to, subject, f"Dear {mentor.honorific} {mentor.last_name},\n\n…"),
            request_id=request.id,
            mentor_id=mentor.id,
            template_purpose=purpose,
        )
        if state == "scheduled":
            outbox.schedule(
                email_id, datetime.now().astimezone() + timedelta(days=1), domain="lakeshore.edu"
            )
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


def _compose_shot(out: Path, window: MainWindow, db, paths) -> Path:
    from desktop.store.models import LetterRequest
    from desktop.ui.mail.compose_dialog import ComposeDialog

    request = LetterRequest.select().where(LetterRequest.status == "asked").first()
    request = request or LetterRequest.select().first()
    dialog = ComposeDialog(paths, request_id=request.id, purpose="materials", parent=window)
    dialog.show()
    deadline = time.monotonic() + 20
    while dialog.attachments.is_busy() and time.monotonic() < deadline:
        QApplication.processEvents()
        time.sleep(0.02)
    QApplication.processEvents()
    target = out / "compose.png"
    dialog.grab().save(str(target))
    dialog.tabs.setCurrentWidget(dialog.preview)
    QApplication.processEvents()
    dialog.grab().save(str(out / "compose-preview.png"))
    dialog.close()
    return target


def _dialogs(out: Path, window: MainWindow) -> list[Path]:
    """The first-run dialog, and the mentor form refusing a bad address."""
    from desktop.ui.shell.first_run import FirstRunDialog
    from desktop.ui.mentors.mentor_dialog import MentorDialog

    first_run = FirstRunDialog()
    first_run.full_name.setText("Jordan Rivera")
    first_run.email.setText("jordan.rivera@lakeshore.edu")
    first_run.school.setText("Lakeshore University School of Medicine")
    first_run.specialty.setCurrentText("Internal Medicine")
    first_run.show()
    mentor = MentorDialog(parent=window)
    mentor.first_name.setText("Amara")
    mentor.email.setText("amara.okafor@")
    mentor.validator.validate_all()
    mentor.show()
    QApplication.processEvents()
    shots = []
    for name, dialog in (("first-run", first_run), ("mentor-form", mentor)):
        target = out / f"{name}.png"
        dialog.grab().save(str(target))
        shots.append(target)
        dialog.close()
    return shots


if __name__ == "__main__":
    sys.exit(main())
