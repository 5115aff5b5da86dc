"""The compose window: a template filled for one letter request, edited,
with documents attached, then sent, scheduled, handed to the mail app,
saved as .eml or kept as a draft.

Everything the window writes goes through ``store.outbox``: the email is a
draft first, and Send queues it (fixing its Message-ID) and sends it on a
worker thread. A failed send leaves it in the Outbox with the reason and
the request untouched; the window stays open so the user can fix and retry.
"""

from __future__ import annotations

import logging
from datetime import date, datetime
from pathlib import Path

from PySide6.QtCore import QDateTime, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QComboBox,
    QDateTimeEdit,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QProgressBar,
    QPushButton,
    QSplitter,
    QTabWidget,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from desktop.domain.vocabulary import EmailState, TemplatePurpose
from desktop.errors import UserError
from desktop.paths import DataPaths
from desktop.services.mail.account import load_account, sender_domain
from desktop.services.mail.eml import eml_bytes, eml_file_name, save_eml
from desktop.services.mail.mailto import mailto_url
from desktop.services.mail.preview import preview_html, sender_line
from desktop.services.mail.recipients import compose_target, homograph_warnings, recipient_for
from desktop.services.mail.sender import BatchResult, SendResult, size_problem
from desktop.services.mail.templates import TemplateProblem, ensure_builtin_templates, render
from desktop.store import outbox
from desktop.store.errors import explain_database_error
from desktop.store.outbox import EmailFields, OutboxError
from desktop.store.template_context import context_for_request
from desktop.store.templates import get_template, list_templates
from desktop.ui.common import (
    FlowLayout,
    SpellLineEdit,
    confirm,
    enable_spell_check,
    label_for,
    set_role,
    spell_checker,
    user_sentence,
)
from desktop.ui.mail.compose_attachments import AttachmentList
from desktop.ui.mail.mail_sending import (
    BatchJob,
    account_or_setup,
    credentials,
    offer_sign_in_after,
)

log = logging.getLogger(__name__)

# Replaceable in tests: the desktop's URL handler and the file dialog would
# leave the test process (or block on a native window).
open_url = QDesktopServices.openUrl
save_file_name = QFileDialog.getSaveFileName


class SendLaterDialog(QDialog):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("sendLaterDialog")
        self.setWindowTitle(self.tr("Send later"))
        start = QDateTime.currentDateTime().addSecs(3600)
        start = start.addSecs(-(start.time().minute() % 15) * 60 - start.time().second())
        self.when = QDateTimeEdit(start)
        self.when.setObjectName("sendLaterWhen")
        self.when.setAccessibleName(self.tr("Send at"))
        self.when.setCalendarPopup(True)
        self.when.setDisplayFormat("yyyy-MM-dd HH:mm")
        note = QLabel(
            self.tr(
                "LetterDesk sends it at this time while it is running, or the next time "
                "you start it."
            )
        )
        note.setWordWrap(True)
        set_role(note, "hint")
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText(self.tr("Schedule"))
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QFormLayout(self)
        layout.addRow(self.tr("Send at"), self.when)
        layout.addRow(note)
        layout.addRow(buttons)
        self.setMinimumWidth(380)

    def moment(self) -> datetime:
        """The chosen time, timezone-aware."""
        return self.when.dateTime().toPython().astimezone()


class ComposeDialog(QDialog):
    def __init__(
        self,
        paths: DataPaths,
        *,
        request_id: int | None = None,
        mentor_id: int | None = None,
        purpose: TemplatePurpose | str | None = None,
        email_id: int | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("composeDialog")
        self.setWindowTitle(self.tr("Compose email"))
        self._paths = paths
        self.email_id = email_id
        existing = outbox.get_email(email_id) if email_id is not None else None
        if existing is not None:
            request_id = existing.request_id
            mentor_id = existing.mentor_id
            purpose = existing.template_purpose
        target = compose_target(request_id, mentor_id)
        self.request_id = target.request_id
        self.mentor_id = target.mentor_id
        self.purpose = TemplatePurpose(purpose) if purpose else None
        self._context: dict | None = None
        self._problem: TemplateProblem | None = None
        self._job: BatchJob | None = None

        self._build()
        if existing is not None:
            self._load(existing)
        else:
            self.to.setText(recipient_for(self.mentor_id))
            self._choose_template(self.purpose)
            self.attachments.tick_for(self.purpose)
        self._update_buttons()
        self.resize(1040, 720)

    # --- layout ---------------------------------------------------------------

    def _line(self, name: str, accessible: str) -> QLineEdit:
        edit = QLineEdit()
        edit.setObjectName(name)
        edit.setAccessibleName(accessible)
        edit.textChanged.connect(self._edited)
        return edit

    def _build(self) -> None:
        self.template = QComboBox()
        self.template.setObjectName("composeTemplate")
        self.template.setAccessibleName(self.tr("Template"))
        self.template.addItem(self.tr("No template (write it yourself)"), None)
        ensure_builtin_templates()  # the built-in texts, if this data folder lacks them
        for row in list_templates():
            label = label_for(TemplatePurpose, row.purpose)
            if not row.is_builtin:
                label = f"{label}: {row.name}"
            self.template.addItem(label, row.id)
        self.template.setEnabled(self.request_id is not None)
        if self.request_id is None:
            self.template.setToolTip(
                self.tr("Templates are filled from a letter request; this email has none.")
            )
        self.template.activated.connect(lambda _i: self._apply_template())
        self.problem = QLabel()
        self.problem.setObjectName("composeTemplateProblem")
        self.problem.setWordWrap(True)
        set_role(self.problem, "field-error")
        self.problem.hide()
        self.to = self._line("composeTo", self.tr("To"))
        self.to.setPlaceholderText(self.tr("name@hospital.org"))
        self.cc = self._line("composeCc", self.tr("Cc"))
        self.cc.setPlaceholderText(self.tr("Optional; separate addresses with commas"))
        # Both spell-checked; the subject is a one-line text edit because a
        # QLineEdit cannot underline single words.
        checker = spell_checker(self._paths)
        self.subject = SpellLineEdit()
        self.subject.setObjectName("composeSubject")
        self.subject.setAccessibleName(self.tr("Subject"))
        self.subject.textChanged.connect(self._edited)
        enable_spell_check(self.subject, checker)
        self.body = QPlainTextEdit()
        self.body.setObjectName("composeBody")
        self.body.setAccessibleName(self.tr("Message"))
        self.body.textChanged.connect(self._edited)
        enable_spell_check(self.body, checker)
        self.preview = QTextBrowser()
        self.preview.setObjectName("composePreview")
        self.preview.setAccessibleName(self.tr("Preview"))
        self.tabs = QTabWidget()
        self.tabs.setObjectName("composeTabs")
        self.tabs.addTab(self.body, self.tr("Message"))
        self.tabs.addTab(self.preview, self.tr("Preview"))
        self.tabs.currentChanged.connect(lambda _i: self.update_preview())

        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.addRow(self.tr("Template"), self.template)
        form.addRow("", self.problem)
        form.addRow(self.tr("To"), self.to)
        form.addRow(self.tr("Cc"), self.cc)
        form.addRow(self.tr("Subject"), self.subject)
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addLayout(form)
        left_layout.addWidget(self.tabs, 1)

        self.attachments = AttachmentList(self._paths, self.request_id)
        self.attachments.busy_changed.connect(lambda _b: self._update_buttons())
        self.attachments.changed.connect(self._edited)
        splitter = QSplitter()
        splitter.addWidget(left)
        splitter.addWidget(self.attachments)
        splitter.setChildrenCollapsible(False)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([680, 340])

        self.status = QLabel()
        self.status.setObjectName("composeStatus")
        self.status.setWordWrap(True)
        self.progress = QProgressBar()
        self.progress.setObjectName("composeProgress")
        self.progress.setRange(0, 0)
        self.progress.setMaximumWidth(160)
        self.progress.hide()

        self.save_draft_button = self._button("composeSaveDraft", self.tr("Save draft"))
        self.save_draft_button.clicked.connect(self.save_draft)
        self.eml_button = self._button("composeSaveEml", self.tr("Save as .eml…"))
        self.eml_button.clicked.connect(self.save_eml)
        self.mailto_button = self._button("composeMailApp", self.tr("Open in my mail app"))
        self.mailto_button.clicked.connect(self.open_in_mail_app)
        self.close_button = self._button("composeClose", self.tr("Close"))
        self.close_button.clicked.connect(self.reject)
        self.later_button = self._button("composeSendLater", self.tr("Send later…"))
        self.later_button.clicked.connect(self.send_later)
        self.send_button = self._button("composeSend", self.tr("Send"))
        set_role(self.send_button, "primary")
        self.send_button.clicked.connect(self.send)
        buttons = FlowLayout()
        for button in (self.save_draft_button, self.eml_button, self.mailto_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        for button in (self.close_button, self.later_button, self.send_button):
            buttons.addWidget(button)
        status_row = QHBoxLayout()
        status_row.addWidget(self.status, 1)
        status_row.addWidget(self.progress)

        layout = QVBoxLayout(self)
        layout.addWidget(splitter, 1)
        layout.addLayout(status_row)
        layout.addLayout(buttons)

    def _button(self, name: str, text: str) -> QPushButton:
        button = QPushButton(text)
        button.setObjectName(name)
        button.setAutoDefault(False)
        return button

    # --- content ---------------------------------------------------------------

    def _load(self, email: outbox.OutboxEmail) -> None:
        self.template.setCurrentIndex(0)
        self.to.setText(email.to_addrs)
        self.cc.setText(email.cc_addrs)
        self.subject.setText(email.subject)
        self.body.setPlainText(email.body)
        self.attachments.set_refs(email.attachments)
        if email.state is EmailState.FAILED and email.last_error:
            self._show_status(self.tr("Last attempt failed: {why}").format(why=email.last_error))

    def _choose_template(self, purpose: TemplatePurpose | None) -> None:
        if self.request_id is None or purpose is None:
            return
        for row in list_templates():
            if row.purpose == purpose.value:
                self.template.setCurrentIndex(self.template.findData(row.id))
                self._apply_template()
                return

    def _apply_template(self) -> None:
        template_id = self.template.currentData()
        self._problem = None
        self.problem.hide()
        if template_id is None or self.request_id is None:
            self._update_buttons()
            return
        row = get_template(template_id)
        if row is None:
            return
        self.purpose = TemplatePurpose(row.purpose)
        try:
            if self._context is None:
                self._context = context_for_request(self.request_id, date.today())
                self._allow_known_names(self._context)
            rendered = render(row.subject, row.body, self._context)
        except TemplateProblem as problem:
            self._problem = problem
            where = self.tr("the subject") if problem.field == "subject" else self.tr("the body")
            self.problem.setText(
                self.tr(
                    "This template has a problem on line {line} of {where}: {message} "
                    "Fix it on the Templates page, or choose another template."
                ).format(line=problem.line or "?", where=where, message=problem.message)
            )
            self.problem.show()
            self._update_buttons()
            return
        self.subject.setText(rendered.subject)
        self.body.setPlainText(rendered.body)
        self._update_buttons()

    def _allow_known_names(self, context: dict) -> None:
        """Names from the request are not misspellings ("Okafor", "Lakeshore")."""
        mentor, applicant = context["mentor"], context["applicant"]
        names = [
            *(mentor[key] for key in ("first_name", "last_name", "institution", "department")),
            *(applicant[key] for key in ("full_name", "school", "signature")),
            *(program["name"] for program in context["programs"]),
            *(program["location"] for program in context["programs"]),
            (context["rotation"] or {}).get("institution", ""),
        ]
        spell_checker(self._paths).allow(str(name) for name in names)
        for editor in (self.subject, self.body):
            editor.spell_highlighter.rehighlight()

    def fields(self) -> EmailFields:
        return EmailFields(
            to_addrs=self.to.text().strip(),
            subject=self.subject.text().strip(),
            body=self.body.toPlainText(),
            cc_addrs=self.cc.text().strip(),
            attachments=self.attachments.refs(),
        )

    def _edited(self, *_args) -> None:
        if self.tabs.currentWidget() is self.preview:
            self.update_preview()
        self._update_buttons()

    def update_preview(self) -> None:
        fields = self.fields()
        sender = sender_line(load_account()) or self.tr("(your email account, not set up yet)")
        rows = [
            (self.tr("From"), sender),
            (self.tr("To"), fields.to_addrs),
            (self.tr("Cc"), fields.cc_addrs),
            (self.tr("Subject"), fields.subject),
            (self.tr("Attachments"), ", ".join(self.attachments.names())),
        ]
        self.preview.setHtml(preview_html(rows, fields.body))

    def problems(self) -> list[str]:
        return outbox.check_sendable(self.fields())

    def _update_buttons(self) -> None:
        sending = self._job is not None
        busy = sending or self.attachments.is_busy()
        ready = not busy and self._problem is None
        self.send_button.setEnabled(ready)
        self.later_button.setEnabled(ready)
        self.eml_button.setEnabled(ready)
        self.mailto_button.setEnabled(not sending and self._problem is None)
        self.save_draft_button.setEnabled(not sending)
        self.close_button.setEnabled(not sending)
        self.template.setEnabled(not sending and self.request_id is not None)
        if self.attachments.is_busy():
            self.send_button.setToolTip(self.tr("Waiting for the writer's summary…"))
        elif self._problem is not None:
            self.send_button.setToolTip(self.tr("Fix the template problem first."))
        else:
            self.send_button.setToolTip("")

    def _show_status(self, text: str, error: bool = False) -> None:
        self.status.setText(text)
        set_role(self.status, "field-error" if error else "hint")

    def _check(self) -> bool:
        problems = self.problems()
        if problems:
            self._show_status(" ".join(problems), error=True)
            return False
        return True

    # --- the ways out -------------------------------------------------------------

    def _save(self) -> int | None:
        """Create or update the email; its id, or None when it failed."""
        fields = self.fields()
        try:
            if self.email_id is None:
                self.email_id = outbox.create_draft(
                    fields,
                    request_id=self.request_id,
                    mentor_id=self.mentor_id,
                    template_purpose=self.purpose,
                )
            else:
                email = outbox.get_email(self.email_id)
                if email.state is EmailState.SENT:
                    self.email_id = outbox.copy_as_draft(self.email_id)
                outbox.update_email(self.email_id, fields)
        except OutboxError as exc:
            self._show_status(exc.user_message, error=True)
            return None
        except Exception as exc:
            message = user_sentence(exc)
            if message is None:
                raise
            self._show_status(message, error=True)
            return None
        return self.email_id

    def save_draft(self) -> None:
        if self._save() is not None:
            self._show_status(self.tr("Saved in the Outbox as a draft."))

    def send(self) -> None:
        if not self._check() or self._save() is None:
            return
        creds = credentials(self)
        if creds is None:
            self._show_status(self.tr("Not sent. The email is kept in the Outbox as a draft."))
            return
        assert self.email_id is not None
        if not self._checked_before_sending(creds.account):
            return
        try:
            outbox.queue(self.email_id, domain=sender_domain(creds.account))
        except OutboxError as exc:
            self._show_status(exc.user_message, error=True)
            return
        self._job = BatchJob(self._paths, [self.email_id], creds, parent=self)
        self._job.finished.connect(self._sent)
        self._job.failed.connect(self._send_crashed)
        self.progress.show()
        self._show_status(self.tr("Sending to {host}…").format(host=creds.account.host))
        self._update_buttons()
        self._job.start()

    def _checked_before_sending(self, account) -> bool:
        """Told before anything is queued: an email over the provider's size
        limit, and a recipient domain that imitates another (homograph)."""
        fields = self.fields()
        if (problem := size_problem(fields, account, self._paths.documents)) is not None:
            self._show_status(problem, error=True)
            return False
        warnings = homograph_warnings(fields.to_addrs, fields.cc_addrs)
        if warnings and not confirm(
            self,
            self.tr("Check the address"),
            "\n\n".join(warnings),
            self.tr("Send anyway"),
            object_name="homographConfirm",
        ):
            self._show_status(self.tr("Not sent: the email is kept in the Outbox as a draft."))
            return False
        return True

    def is_sending(self) -> bool:
        return self._job is not None

    def _sent(self, result: BatchResult) -> None:
        self._job = None
        self.progress.hide()
        self._update_buttons()
        outcome = result.outcomes[-1] if result.outcomes else None
        if outcome is not None and outcome.result is SendResult.SENT:
            self._show_status(self.tr("Sent."))
            self.accept()
            return
        why = outcome.message if outcome else self.tr("The email was not sent.")
        if outcome is not None and outcome.result is SendResult.UNCLEAR:
            text = self.tr(
                "It is not known whether this email went out: {why}\n\nIt stays in the "
                "Outbox; check your Sent folder, then choose Retry or Mark as sent there."
            ).format(why=why)
        else:
            text = self.tr(
                "The email was not sent: {why}\n\nIt is kept in the Outbox with this reason; "
                "the letter request was not changed. Fix the problem and press Send again, "
                "or retry later from the Outbox."
            ).format(why=why)
        self._show_status(why, error=True)
        if offer_sign_in_after(self, result.connection_failure):
            self._show_status(self.tr("Signed in. The email is in the Outbox: press Send again."))
            return
        if result.connection_failure is not None and result.connection_failure.suggest_sign_in:
            return  # the user closed the "Sign in again" box: the email is kept
        box = QMessageBox(QMessageBox.Icon.Warning, self.tr("Not sent"), text, parent=self)
        box.setObjectName("sendFailedBox")
        box.exec()

    def _send_crashed(self, error: Exception) -> None:
        self._job = None
        self.progress.hide()
        self._update_buttons()
        message = explain_database_error(error)
        if message is None:
            raise error
        self._show_status(message, error=True)

    def send_later(self) -> None:
        if not self._check():
            return
        chooser = SendLaterDialog(self)
        try:
            if chooser.exec() != QDialog.DialogCode.Accepted:
                return
            when = chooser.moment()
        finally:
            chooser.deleteLater()
        if self._save() is None:
            return
        account = account_or_setup(self)
        if account is None:
            self._show_status(self.tr("Not scheduled. The email is kept as a draft."))
            return
        assert self.email_id is not None
        if not self._checked_before_sending(account):
            return
        try:
            outbox.schedule(self.email_id, when, domain=sender_domain(account))
        except OutboxError as exc:
            self._show_status(exc.user_message, error=True)
            return
        self.accept()

    def open_in_mail_app(self) -> None:
        fields = self.fields()
        if not open_url(QUrl.fromEncoded(mailto_url(fields).encode("ascii"))):
            self._show_status(
                self.tr("No mail app answered. Use Save as .eml… and open that file."),
                error=True,
            )
            return
        names = self.attachments.names()
        if names:
            QMessageBox.information(
                self,
                self.tr("Add the attachments"),
                self.tr(
                    "Your mail app cannot be handed attachments this way. Add these "
                    "yourself:\n\n{names}\n\nThey are on the Documents page (Open shows "
                    "the file)."
                ).format(names="\n".join(f"• {n}" for n in names)),
            )
        self._show_status(
            self.tr(
                "Opened in your mail app. Sending it there does not update the request: "
                "mark it on the request when it has gone."
            )
        )

    def save_eml(self) -> None:
        if not self._check():
            return
        account = account_or_setup(self)
        if account is None or self._save() is None:
            return
        assert self.email_id is not None
        email = outbox.get_email(self.email_id)
        try:
            data = eml_bytes(email, account, self._paths.documents)
        except UserError as exc:
            self._show_status(exc.user_message, error=True)
            return
        suggested = str(Path.home() / eml_file_name(email.subject))
        path, _filter = save_file_name(
            self, self.tr("Save email as"), suggested, self.tr("Email message (*.eml)")
        )
        if not path:
            return
        try:
            save_eml(data, Path(path))
        except UserError as exc:
            self._show_status(exc.user_message, error=True)
            return
        self._show_status(self.tr("Saved as {path}.").format(path=path))

    def reject(self) -> None:
        if self._job is not None:
            return  # the send finishes first; the window reports it
        super().reject()


def open_compose(
    parent: QWidget | None,
    paths: DataPaths,
    *,
    request_id: int | None = None,
    mentor_id: int | None = None,
    purpose: TemplatePurpose | str | None = None,
    email_id: int | None = None,
) -> int | None:
    """Show the compose window; the outbox id of the email it saved, sent or
    scheduled (``None`` when nothing was kept)."""
    dialog = ComposeDialog(
        paths,
        request_id=request_id,
        mentor_id=mentor_id,
        purpose=purpose,
        email_id=email_id,
        parent=parent,
    )
    try:
        dialog.exec()
        return dialog.email_id
    finally:
        dialog.deleteLater()
