"""The request editor: one stored letter request, its fields beside its
full status history and events, with the legal status moves at hand.

A move first saves what was typed (a waiver answered a moment ago counts
when the writer is marked asked). The editor saves itself and stays open on
a refusal, so nothing typed is lost.
"""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QLabel,
    QMenu,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop.domain.replies import replied_text
from desktop.domain.vocabulary import RequestEventKind, RequestStatus
from desktop.store import programs as program_store
from desktop.store import replies as reply_store
from desktop.store import requests as store
from desktop.store.outbox import utc_now
from desktop.store.requests import RequestFields
from desktop.store.settings import load_thresholds
from desktop.ui.common import (
    SaveFailed,
    guarded,
    label_of,
    save_cancel_buttons,
    set_role,
    short_date,
)
from desktop.ui.requests.decline_flow import fill_move_menu, perform_move
from desktop.ui.requests.request_form import RequestForm


class RequestEditor(QDialog):
    """``changed``: something was saved, moved or logged; ``backup_request_id``:
    a backup was created after a decline (the page selects it)."""

    def __init__(
        self, request_id: int, *, today: date | None = None, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("requestDialog")
        self.setWindowTitle(self.tr("Letter request"))
        self.request_id = request_id
        self.today = today or date.today()
        self.changed = False
        self.backup_request_id: int | None = None
        self.form = RequestForm(
            store.load_request_fields(request_id),
            today=self.today,
            thresholds=load_thresholds(),
            own_id=request_id,
            include_archived_writers=True,  # the request may be from an archived writer
            ask_follows_due=False,
            # Ticking "Due" proposes the earliest deadline of its programs.
            deadlines=lambda: [
                p.deadline
                for p in program_store.assignments_for_request(request_id)
                if p.deadline is not None
            ],
        )
        self._saved = self.form.values()

        self.summary = QLabel()
        self.summary.setObjectName("requestSummary")
        set_role(self.summary, "subheading")
        self.summary.setWordWrap(True)
        self.reply_label = QLabel()
        self.reply_label.setObjectName("requestReply")
        self.reply_label.setWordWrap(True)
        self.reply_label.hide()
        left = QVBoxLayout()
        left.addWidget(self.summary)
        left.addWidget(self.reply_label)
        left.addWidget(self.form)
        left.addStretch(1)
        body = QHBoxLayout()
        body.addLayout(left, 3)
        body.addWidget(self._record_panel(), 2)
        layout = QVBoxLayout(self)
        layout.addLayout(body, 1)
        layout.addWidget(save_cancel_buttons(self))
        self._refresh_record()
        self.resize(1000, 640)

    def _record_panel(self) -> QWidget:
        panel = QWidget()
        layout = QVBoxLayout(panel)
        layout.setContentsMargins(8, 0, 0, 0)
        moves = QHBoxLayout()
        self.move_button = QPushButton(self.tr("Move to…"))
        self.move_button.setObjectName("dialogMoveButton")
        self.move_menu = QMenu(self.move_button)
        self.move_menu.setObjectName("dialogMoveMenu")
        self.move_button.setMenu(self.move_menu)
        remind = QPushButton(self.tr("Log reminder"))
        remind.setObjectName("logReminder")
        remind.clicked.connect(lambda: self._log(RequestEventKind.REMINDED))
        thank = QPushButton(self.tr("Log thank-you"))
        thank.setObjectName("logThanks")
        thank.clicked.connect(lambda: self._log(RequestEventKind.THANKED))
        for button in (self.move_button, remind, thank):
            moves.addWidget(button)
        moves.addStretch(1)
        self.history = QTreeWidget()
        self.history.setObjectName("statusHistory")
        self.history.setAccessibleName(self.tr("Status history"))
        self.history.setHeaderLabels([self.tr("When"), self.tr("Change"), self.tr("Note")])
        self.history.setRootIsDecorated(False)
        self.events = QTreeWidget()
        self.events.setObjectName("requestEvents")
        self.events.setAccessibleName(self.tr("Reminders and thanks"))
        self.events.setHeaderLabels([self.tr("Date"), self.tr("Event"), self.tr("Note")])
        self.events.setRootIsDecorated(False)
        self.programs = QLabel()
        self.programs.setObjectName("requestPrograms")
        self.programs.setWordWrap(True)
        for tree, widths in ((self.history, (86, 170)), (self.events, (86, 110))):
            for column, width in enumerate(widths):
                tree.setColumnWidth(column, width)
            tree.header().setStretchLastSection(True)
            tree.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
            tree.setTextElideMode(Qt.TextElideMode.ElideRight)
        history_label = QLabel(self.tr("Status history"))
        set_role(history_label, "section")
        events_label = QLabel(self.tr("Reminders and thanks"))
        set_role(events_label, "section")
        layout.addLayout(moves)
        layout.addWidget(self.programs)
        layout.addWidget(history_label)
        layout.addWidget(self.history, 2)
        layout.addWidget(events_label)
        layout.addWidget(self.events, 1)
        return panel

    # --- saving ----------------------------------------------------------------

    def save(self) -> bool:
        """Write the fields when they changed; True when they are stored."""
        return self.form.save(self._write)

    def _write(self, values: RequestFields) -> None:
        if values == self._saved:
            return
        store.update_request(self.request_id, values)
        self._saved, self.changed = values, True

    def accept(self) -> None:
        if self.save():
            super().accept()

    # --- status, history and events ----------------------------------------------

    def _refresh_record(self) -> None:
        request = store.load_request_row(self.request_id)
        if request is None:  # deleted meanwhile (another window)
            return
        status = request.status
        self.form.set_status(status)
        parts = [self.tr("Status: {status}").format(status=label_of(status))]
        if request.asked_on:
            parts.append(self.tr("asked {day}").format(day=short_date(request.asked_on)))
        if request.submitted_on:
            parts.append(self.tr("submitted {day}").format(day=short_date(request.submitted_on)))
        if request.thanked_on:
            parts.append(self.tr("thanked {day}").format(day=short_date(request.thanked_on)))
        self.summary.setText(" · ".join(parts))
        reply = reply_store.latest_for_request(self.request_id)
        self.reply_label.setVisible(reply is not None)
        if reply is not None:
            self.reply_label.setText(
                replied_text(reply.mentor_name, reply.received_at, reply.snippet, utc_now())
            )
            self.reply_label.setToolTip(reply.subject)
        fill_move_menu(self.move_menu, status, self._move)
        names = store.program_names_for(self.request_id)
        self.programs.setText(
            self.tr("Programs: {names}").format(names=", ".join(names))
            if names
            else self.tr("Not assigned to any program yet.")
        )
        self.history.clear()
        for entry in store.status_history(self.request_id):
            change = (
                self.tr("Created as {status}").format(status=label_of(entry.to_status))
                if entry.from_status is None
                else f"{label_of(entry.from_status)} → {label_of(entry.to_status)}"
            )
            if entry.is_correction:
                change += " " + self.tr("(correction)")
            item = QTreeWidgetItem([short_date(entry.on), change, entry.note])
            item.setToolTip(2, entry.note)
            self.history.addTopLevelItem(item)
        self.events.clear()
        for event in store.events_for(self.request_id):
            self.events.addTopLevelItem(
                QTreeWidgetItem([short_date(event.on), label_of(event.kind), event.note])
            )

    def _move(self, to_status: RequestStatus) -> None:
        if not self.save():  # the move counts what was just typed (the waiver)
            return
        result = perform_move(self, self.request_id, to_status, today=self.today)
        if result.moved:
            self.changed = True
            self._refresh_record()
        if result.backup_request_id is not None:
            self.backup_request_id = result.backup_request_id
            self.done(QDialog.DialogCode.Accepted)  # the page selects the backup

    def _log(self, kind: RequestEventKind) -> None:
        try:
            guarded(self, lambda: store.log_event(self.request_id, kind, self.today))
        except SaveFailed:
            return
        self.changed = True
        self._refresh_record()


def run_request_editor(
    parent: QWidget, request_id: int, *, today: date | None = None
) -> RequestEditor:
    """Open the editor (modal) and return it once closed: ``changed`` and
    ``backup_request_id`` say what happened."""
    editor = RequestEditor(request_id, today=today, parent=parent)
    editor.exec()
    return editor
