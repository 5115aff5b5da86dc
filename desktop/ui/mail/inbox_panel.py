"""The account dialog's "Inbox" part: noticing writers' replies and the
copy in the Sent folder, the incoming (IMAP) server, how often to look,
and, in plain words, exactly what LetterDesk reads and keeps.

The account dialog already fills a 720-pixel-high screen, so it carries
one line (``InboxRow``: the switch, what is read in one sentence, and
"Inbox settings…"); the rest is in ``InboxDialog``, which holds the panel.
"""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from desktop.domain.replies import POLL_CHOICES_MINUTES, ReplySettings
from desktop.services.mail.account import SmtpAccount
from desktop.services.mail.imap import IMAPS_PORT, imap_server_for
from desktop.ui.common import set_role

WHAT_IS_READ = (
    "What LetterDesk reads: in your inbox only, and only messages that arrive after it "
    "last looked (the first time, those of the last 30 days): their sender, subject, "
    "date, Message-ID and reply headers, and for a message from one of your writers or "
    "answering an email LetterDesk sent, the first 2 KB of its text. It keeps the "
    "sender, subject, date and first line of each reply, nothing else of your mailbox. "
    "Nothing is marked as read, moved or deleted. After sending, it puts a copy in your "
    "Sent folder unless your provider already keeps one."
)


WHAT_IS_READ_SHORT = (
    "Reads only new messages' headers and, for a possible reply, its first 2 KB; keeps "
    "each reply's sender, subject, date and first line. Nothing is marked as read."
)


class InboxPanel(QGroupBox):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(self.tr("Inbox"), parent)
        self.setObjectName("inboxPanel")
        self.watch = QCheckBox(self.tr("Notice writers' replies in my inbox"))
        self.watch.setObjectName("watchReplies")
        self.sent_copy = QCheckBox(self.tr("Put a copy of each sent email in my Sent folder"))
        self.sent_copy.setObjectName("sentCopy")
        self.notify = QCheckBox(self.tr("Show a desktop notification when a reply arrives"))
        self.notify.setObjectName("notifyReplies")
        self.imap_host = QLineEdit()
        self.imap_host.setObjectName("imapHost")
        self.imap_host.setAccessibleName(self.tr("Incoming (IMAP) server"))
        self.imap_port = QSpinBox()
        self.imap_port.setObjectName("imapPort")
        self.imap_port.setRange(1, 65535)
        self.imap_port.setValue(IMAPS_PORT)
        self.imap_port.setAccessibleName(self.tr("Incoming port"))
        self.poll = QComboBox()
        self.poll.setObjectName("pollMinutes")
        self.poll.setAccessibleName(self.tr("Look for replies every"))
        for minutes in POLL_CHOICES_MINUTES:
            label = self.tr("1 minute") if minutes == 1 else self.tr("{n} minutes")
            self.poll.addItem(label.format(n=minutes), minutes)
        self.poll.setToolTip(
            self.tr("Used when the server cannot tell LetterDesk about new mail at once (IDLE)")
        )
        self.what_is_read = QLabel(self.tr(WHAT_IS_READ))
        self.what_is_read.setObjectName("whatIsRead")
        self.what_is_read.setWordWrap(True)
        set_role(self.what_is_read, "hint")

        grid = QGridLayout(self)
        grid.addWidget(self.watch, 0, 0, 1, 2)
        grid.addWidget(self.notify, 0, 2, 1, 4)
        grid.addWidget(QLabel(self.tr("Incoming server")), 1, 0)
        grid.addWidget(self.imap_host, 1, 1, 1, 2)
        grid.addWidget(QLabel(self.tr("Port")), 1, 3)
        grid.addWidget(self.imap_port, 1, 4)
        grid.addWidget(QLabel(self.tr("Look every")), 2, 0)
        grid.addWidget(self.poll, 2, 1)
        grid.addWidget(self.sent_copy, 2, 2, 1, 3)
        grid.addWidget(self.what_is_read, 3, 0, 1, 5)
        grid.setColumnStretch(2, 1)
        self.watch.toggled.connect(self._update_enabled)
        self._update_enabled()

    def _update_enabled(self) -> None:
        on = self.watch.isChecked()
        self.poll.setEnabled(on)
        self.notify.setEnabled(on)

    def fill(self, account: SmtpAccount | None, settings: ReplySettings) -> None:
        self.fill_settings(settings)
        if account is not None and account.imap_host:
            self.imap_host.setText(account.imap_host)
        if account is not None and account.imap_port:
            self.imap_port.setValue(account.imap_port)

    def fill_settings(self, settings: ReplySettings) -> None:
        self.watch.setChecked(settings.enabled)
        self.notify.setChecked(settings.notify)
        self.sent_copy.setChecked(settings.sent_copy)
        index = self.poll.findData(settings.poll_minutes)
        self.poll.setCurrentIndex(index if index >= 0 else self.poll.findData(5))

    def suggest_for(self, smtp_account: SmtpAccount) -> None:
        """Show the server derived from the SMTP one as the placeholder."""
        derived = imap_server_for(replace(smtp_account, imap_host=None, imap_port=None))
        self.imap_host.setPlaceholderText(
            self.tr("{host} (from the outgoing server)").format(host=derived.host)
            if derived.host
            else self.tr("for example imap.example.org")
        )

    def apply_to(self, account: SmtpAccount) -> SmtpAccount:
        host = self.imap_host.text().strip() or None
        port = self.imap_port.value()
        return replace(
            account, imap_host=host, imap_port=None if port == IMAPS_PORT and not host else port
        )

    def settings(self) -> ReplySettings:
        return ReplySettings(
            enabled=self.watch.isChecked(),
            poll_minutes=int(self.poll.currentData()),
            notify=self.notify.isChecked(),
            sent_copy=self.sent_copy.isChecked(),
        )


class InboxDialog(QDialog):
    """Inbox settings…: the whole panel, kept or dropped with OK/Cancel."""

    def __init__(self, panel: InboxPanel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("inboxDialog")
        self.setWindowTitle(self.tr("Inbox settings"))
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(panel)
        layout.addWidget(buttons)
        self.setMinimumWidth(620)


class InboxRow(QWidget):
    """The account dialog's line: the switch, the sentence, the button. The
    panel (in its dialog) holds the values; the switch is the panel's own."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("inboxRow")
        self.panel = InboxPanel()
        self.watch = QCheckBox(self.tr("Notice writers' replies in my inbox"))
        self.watch.setObjectName("watchRepliesRow")
        self.watch.setToolTip(self.tr(WHAT_IS_READ))
        self.watch.toggled.connect(self.panel.watch.setChecked)
        self.panel.watch.toggled.connect(self.watch.setChecked)
        self.more = QPushButton(self.tr("Inbox settings…"))
        self.more.setObjectName("inboxSettings")
        self.more.setAutoDefault(False)
        self.more.clicked.connect(self.open_settings)
        self.note = QLabel(self.tr(WHAT_IS_READ_SHORT))
        self.note.setObjectName("whatIsReadShort")
        self.note.setWordWrap(True)
        self.note.setToolTip(self.tr(WHAT_IS_READ))
        set_role(self.note, "hint")
        top = QHBoxLayout()
        top.setContentsMargins(0, 0, 0, 0)
        top.addWidget(self.watch)
        top.addStretch(1)
        top.addWidget(self.more)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addLayout(top)
        layout.addWidget(self.note)

    def open_settings(self) -> bool:
        before = (self.panel.settings(), self.panel.imap_host.text(), self.panel.imap_port.value())
        dialog = InboxDialog(self.panel, self)
        accepted = dialog.exec() == QDialog.DialogCode.Accepted
        self.panel.setParent(None)  # kept for the account dialog's Save
        if not accepted:
            settings, host, port = before
            self.panel.fill_settings(settings)
            self.panel.imap_host.setText(host)
            self.panel.imap_port.setValue(port)
        dialog.deleteLater()
        return accepted
