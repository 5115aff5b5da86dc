"""The Outbox page: every email LetterDesk wrote, with its state, attempts
and last error; retry, edit, delete, mark as sent, and send everything
queued on a worker thread with progress and Cancel between messages."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QFormLayout,
    QLabel,
    QMessageBox,
    QPlainTextEdit,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from desktop.domain.vocabulary import EmailState
from desktop.services.mail.sender import BatchResult, EmailOutcome, SendResult
from desktop.store import outbox
from desktop.store.errors import explain_database_error
from desktop.store.outbox import OutboxError, OutboxRow
from desktop.ui.common import (
    Changes,
    Column,
    DetailPanel,
    FlowLayout,
    Page,
    PageContext,
    RowTableModel,
    SaveFailed,
    confirm,
    empty_state,
    guarded,
    label_of,
    list_beside_detail,
    local_time_text,
    nulls_last,
    set_role,
    table_view,
    user_sentence,
    value_label,
)
from desktop.ui.mail.compose_dialog import open_compose
from desktop.ui.mail.mail_sending import BatchJob, credentials, offer_sign_in_after

S = EmailState
STATE_COLOURS = {S.FAILED: "#f6d5d1", S.SENDING: "#fbe7c6", S.HELD: "#fbe7c6"}


def _columns() -> list[Column[OutboxRow]]:
    return [
        Column("State", lambda r: label_of(r.email.state), lambda r: r.email.state.value),
        Column("To", lambda r: r.email.to_addrs, lambda r: r.email.to_addrs.casefold()),
        Column("Subject", lambda r: r.email.subject, lambda r: r.email.subject.casefold()),
        Column(
            "Send after / sent",
            lambda r: local_time_text(r.when),
            lambda r: nulls_last(r.when),
        ),
        Column("Attempts", lambda r: str(r.email.attempts), lambda r: r.email.attempts, True),
        Column("Last error", lambda r: r.email.last_error, lambda r: r.email.last_error),
        Column("Request", lambda r: r.about, lambda r: r.about.casefold()),
    ]


class OutboxDetail(DetailPanel):
    def build_content(self) -> QWidget:
        content = QWidget()
        form = QFormLayout(content)
        form.setContentsMargins(8, 0, 0, 0)
        self.state = value_label("outboxDetailState")
        self.to = value_label("outboxDetailTo")
        self.subject = value_label("outboxDetailSubject")
        self.when = value_label("outboxDetailWhen")
        self.attachments = value_label("outboxDetailAttachments")
        self.error = value_label("outboxDetailError")
        set_role(self.error, "field-error")
        self.body = QPlainTextEdit()
        self.body.setObjectName("outboxDetailBody")
        self.body.setAccessibleName(self.tr("Message"))
        self.body.setReadOnly(True)
        form.addRow(self.tr("State"), self.state)
        form.addRow(self.tr("To"), self.to)
        form.addRow(self.tr("Subject"), self.subject)
        form.addRow(self.tr("When"), self.when)
        form.addRow(self.tr("Attachments"), self.attachments)
        form.addRow(self.tr("Last error"), self.error)
        form.addRow(self.body)
        return content

    def show_row(self, row: OutboxRow) -> None:
        e = row.email
        self.state.setText(
            (
                self.tr("{state}, 1 attempt")
                if e.attempts == 1
                else self.tr("{state}, {n} attempts")
            ).format(state=label_of(e.state), n=e.attempts)
        )
        self.to.setText(e.to_addrs + (f"\nCc: {e.cc_addrs}" if e.cc_addrs else ""))
        self.subject.setText(e.subject)
        if e.sent_at:
            when = self.tr("Sent {at}").format(at=local_time_text(e.sent_at))
        elif e.send_after:
            when = self.tr("Goes out at {at}").format(at=local_time_text(e.send_after))
        else:
            when = self.tr("Written {at}").format(at=local_time_text(e.created_at))
        self.when.setText(when)
        self.attachments.setText(", ".join(a.name for a in e.attachments) or self.tr("None"))
        self.error.setText(e.last_error or "—")
        self.body.setPlainText(e.body)
        self.show_content()


class OutboxPage(Page):
    WATCHES = Changes.EMAILS | Changes.MENTORS | Changes.REQUESTS

    def __init__(self, context: PageContext, parent: QWidget | None = None) -> None:
        super().__init__(context, parent)
        self.setObjectName("outboxPage")
        self._paths = context.paths
        self._terms: list[str] = []
        self._job: BatchJob | None = None

        heading = QLabel(self.tr("Outbox"))
        set_role(heading, "heading")
        self.summary = QLabel()
        self.summary.setObjectName("outboxSummary")
        set_role(self.summary, "hint")
        self.send_all_button = self._button("outboxSendAll", self.tr("Send all queued"))
        set_role(self.send_all_button, "primary")
        self.send_all_button.clicked.connect(self.send_all_queued)
        self.cancel_button = self._button("outboxCancel", self.tr("Cancel sending"))
        self.cancel_button.clicked.connect(self.cancel_sending)
        self.cancel_button.hide()
        self.progress = QProgressBar()
        self.progress.setObjectName("outboxProgress")
        self.progress.setMaximumWidth(220)
        self.progress.setFormat(self.tr("%v of %m sent"))
        self.progress.hide()
        header = FlowLayout()
        header.addWidget(heading)
        header.addSpacing(12)
        header.addWidget(self.summary, 0, Qt.AlignmentFlag.AlignBottom)
        header.addStretch(1)
        header.addWidget(self.progress)
        header.addWidget(self.cancel_button)
        header.addWidget(self.send_all_button)

        self.retry_button = self._button("outboxRetry", self.tr("Retry"))
        self.retry_button.setToolTip(self.tr("Send the very same message again now"))
        self.retry_button.clicked.connect(self.retry_selected)
        self.edit_button = self._button("outboxEdit", self.tr("Edit…"))
        self.edit_button.clicked.connect(self.edit_selected)
        self.mark_sent_button = self._button("outboxMarkSent", self.tr("Mark as sent"))
        self.mark_sent_button.setToolTip(self.tr("You checked your Sent folder and it did go out"))
        self.mark_sent_button.clicked.connect(self.mark_selected_sent)
        self.delete_button = self._button("outboxDelete", self.tr("Delete"))
        self.delete_button.clicked.connect(self.delete_selected)
        bar = FlowLayout()
        for button in (
            self.retry_button,
            self.edit_button,
            self.mark_sent_button,
            self.delete_button,
        ):
            bar.addWidget(button)
        bar.addStretch(1)

        self.model: RowTableModel[OutboxRow] = RowTableModel(_columns(), self)
        self.model.set_background(
            lambda r: (
                QColor(STATE_COLOURS[r.email.state]) if r.email.state in STATE_COLOURS else None
            )
        )
        self.model.set_muted(lambda r: r.email.state is S.SENT)
        self.table = table_view("outboxTable", self.model, self.tr("Emails"))
        header_view = self.table.horizontalHeader()
        for column, width in enumerate((80, 170, 220, 115, 65, 220)):
            self.table.setColumnWidth(column, width)
        header_view.setStretchLastSection(True)
        self.table.selectionModel().selectionChanged.connect(lambda *_a: self._selected())
        self.table.doubleClicked.connect(lambda _i: self.edit_selected())
        self.empty = empty_state(
            "outboxEmptyState",
            self.tr(
                "No emails yet. Drafts, scheduled and sent emails all appear here.\n\n"
                "To write one, use “Write email…” on Today, “Email…” on a request or "
                "a mentor, or File → Compose email (Ctrl+Shift+M)."
            ),
        )
        self.detail = OutboxDetail("outboxDetail", self.tr("Select an email to see it."))
        self.splitter = list_beside_detail(
            "outboxSplitter", bar, self.table, self.empty, self.detail
        )
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setSizes([860, 340])
        layout = QVBoxLayout(self)
        layout.addLayout(header)
        layout.addWidget(self.splitter, 1)
        self.reload()

    def _button(self, name: str, text: str) -> QPushButton:
        button = QPushButton(text)
        button.setObjectName(name)
        button.setAutoDefault(False)
        return button

    # --- contents --------------------------------------------------------------

    def reload(self) -> None:
        selected = self.selected_id()
        try:
            rows = outbox.load_outbox_rows()
        except Exception as exc:
            message = user_sentence(exc)
            if message is None:
                raise
            self.status_message.emit(message)
            return
        self.model.set_rows(rows)
        self._apply_filter()
        counts: dict[EmailState, int] = {}
        for row in rows:
            counts[row.email.state] = counts.get(row.email.state, 0) + 1
        parts = [
            self.tr("{n} {state}").format(n=counts[s], state=label_of(s).lower())
            for s in (S.HELD, S.FAILED, S.SENDING, S.QUEUED, S.SCHEDULED, S.DRAFT, S.SENT)
            if counts.get(s)
        ]
        self.summary.setText(" · ".join(parts))
        if selected is not None:
            self.select_id(selected)
        self._selected()

    def set_search_text(self, text: str) -> None:
        self._terms = text.casefold().split()
        self._apply_filter()

    def _apply_filter(self) -> None:
        terms = self._terms
        self.model.set_filter((lambda r: all(t in r.search_text for t in terms)) if terms else None)
        has_rows = self.model.total_count() > 0
        self.table.setVisible(has_rows)
        self.empty.setVisible(not has_rows)

    def select_id(self, email_id: int) -> bool:
        row = self.model.row_of_id(email_id)
        if row < 0:
            return False
        self.table.selectRow(row)
        return True

    def selected_row(self) -> OutboxRow | None:
        indexes = self.table.selectionModel().selectedRows()
        return self.model.row_at(indexes[0]) if indexes else None

    def selected_id(self) -> int | None:
        row = self.selected_row()
        return row.id if row else None

    def _selected(self) -> None:
        row = self.selected_row()
        if row is None:
            self.detail.show_placeholder(self.tr("Select an email to see it."))
        else:
            self.detail.show_row(row)
        self._update_buttons()

    def _update_buttons(self) -> None:
        row = self.selected_row()
        state = row.email.state if row else None
        sending = self._job is not None
        self.retry_button.setEnabled(
            not sending and state in (S.FAILED, S.SENDING, S.QUEUED, S.HELD)
        )
        self.edit_button.setEnabled(not sending and row is not None and row.email.editable)
        self.mark_sent_button.setEnabled(not sending and state in (S.SENDING, S.FAILED))
        self.delete_button.setEnabled(not sending and state not in (None, S.SENT, S.SENDING))
        queued = any(r.email.state is S.QUEUED for r in self.model.all_rows())
        self.send_all_button.setEnabled(not sending and queued)

    # --- actions -----------------------------------------------------------------

    def _changed(self, message: str) -> None:
        self.reload()
        self.status_message.emit(message)
        self.data_changed.emit(Changes.EMAILS)

    def edit_selected(self) -> None:
        row = self.selected_row()
        if row is None or not row.email.editable or self._job is not None:
            return
        email_id = open_compose(self, self._paths, email_id=row.id)
        self.reload()
        if email_id is not None:
            self.select_id(email_id)
        self.data_changed.emit(Changes.EMAILS)

    def delete_selected(self) -> None:
        row = self.selected_row()
        if row is None:
            return
        if not confirm(
            self,
            self.tr("Delete email"),
            self.tr("Delete “{subject}” from the Outbox? It has not been sent.").format(
                subject=row.email.subject or self.tr("(no subject)")
            ),
            self.tr("Delete email"),
            destructive=True,
            object_name="deleteEmailDialog",
        ):
            return
        if self._try(lambda: outbox.delete_email(row.id)):
            self._changed(self.tr("Email deleted."))

    def mark_selected_sent(self) -> None:
        row = self.selected_row()
        if row is None:
            return
        if self._try(lambda: outbox.confirm_sent(row.id, today=date.today())):
            self._changed(self.tr("Marked as sent."))

    def _try(self, change: Callable[[], object]) -> bool:
        try:
            guarded(self, change, handled_here=(OutboxError,))
        except SaveFailed:
            return False
        except OutboxError as exc:
            QMessageBox.information(self, self.tr("Not changed"), exc.user_message)
            self.reload()
            return False
        return True

    def retry_selected(self) -> None:
        row = self.selected_row()
        if row is None:
            return
        if row.email.state is S.HELD:
            # Confirmed after a restore: back to its line (a scheduled email
            # keeps its time; the batch below skips it until then).
            if not self._try(lambda: outbox.release_held(row.id)):
                return
        elif row.email.state is not S.QUEUED and not self._try(lambda: outbox.retry(row.id)):
            return
        self.reload()
        self._send([row.id])

    def send_all_queued(self) -> None:
        queued = [r.email for r in self.model.all_rows() if r.email.state is S.QUEUED]
        queued.sort(key=lambda e: (e.created_at, e.id))  # oldest first, as written
        self._send([e.id for e in queued])

    def _send(self, ids: list[int]) -> None:
        if not ids or self._job is not None:
            return
        creds = credentials(self)
        if creds is None:
            self.status_message.emit(self.tr("Not sent: the emails stay queued."))
            return
        self._job = BatchJob(self._paths, ids, creds, parent=self)
        self._job.progressed.connect(self._progressed)
        self._job.finished.connect(self._finished)
        self._job.failed.connect(self._failed)
        self.progress.setRange(0, len(ids))
        self.progress.setValue(0)
        self.progress.show()
        self.cancel_button.setEnabled(True)
        self.cancel_button.show()
        self.status_message.emit(
            (
                self.tr("Sending 1 email to {host}…")
                if len(ids) == 1
                else self.tr("Sending {n} emails to {host}…")
            ).format(n=len(ids), host=creds.account.host)
        )
        self._update_buttons()
        self._job.start()

    def is_sending(self) -> bool:
        return self._job is not None

    def cancel_sending(self) -> None:
        if self._job is not None:
            self._job.cancel()
            self.cancel_button.setEnabled(False)
            self.status_message.emit(self.tr("Stopping after the email being sent…"))

    def _progressed(self, done: int, total: int, email_id: int, outcome: EmailOutcome) -> None:
        self.progress.setValue(done)
        self.reload()

    def _end_job(self) -> None:
        self._job = None
        self.progress.hide()
        self.cancel_button.hide()
        self.reload()
        self.data_changed.emit(
            Changes.EMAILS | Changes.REQUESTS | Changes.INTERACTIONS | Changes.DOCUMENTS
        )

    def _finished(self, result: BatchResult) -> None:
        self._end_job()
        sent = result.count(SendResult.SENT)
        failed = result.count(SendResult.FAILED) + result.count(SendResult.UNCLEAR)
        text = self.tr("{sent} sent").format(sent=sent)
        if failed:
            text += self.tr(", {failed} not sent (the reason is on each row)").format(failed=failed)
        if result.cancelled:
            text += self.tr("; cancelled, the rest stay queued")
        if result.connection_failure is not None:
            text += ". " + result.connection_failure.message
        self.status_message.emit(text + ".")
        offer_sign_in_after(self, result.connection_failure)

    def _failed(self, error: Exception) -> None:
        self._end_job()
        message = explain_database_error(error)
        if message is None:
            raise error
        self.status_message.emit(message)
