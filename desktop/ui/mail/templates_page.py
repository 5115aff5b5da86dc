"""Templates page: the email templates with an editor, the fields they can
use, and a live preview against one of the user's requests (or sample
data). A problem in a template is shown at its line, and a template with a
problem cannot be saved."""

from __future__ import annotations

from datetime import date
from typing import Any

from PySide6.QtCore import QCoreApplication, QEvent, QEventLoop, QObject, QSettings, Qt, QTimer
from PySide6.QtGui import QColor, QTextCursor, QTextFormat
from PySide6.QtWidgets import (
    QMessageBox,
    QTextEdit,
    QTreeWidgetItem,
    QWidget,
)

from desktop.domain.vocabulary import RequestStatus, TemplatePurpose
from desktop.services.mail import templates as template_service
from desktop.services.mail.templates import TemplateProblem
from desktop.store import templates as stored_templates
from desktop.store.requests import RequestRow, load_request_rows
from desktop.store.template_context import context_for_request, sample_context
from desktop.store.templates import TemplateRow
from desktop.ui.common import (
    Changes,
    PageContext,
    SaveFailed,
    confirm,
    guarded,
    label_for,
    mark_invalid,
    run_in_background,
    user_sentence,
)
from desktop.ui.mail.templates_view import TemplatesView

PREVIEW_DELAY_MS = 250
STATE_ROLE = Qt.ItemDataRole.UserRole + 1
PROBLEM_LINE = QColor("#fde2df")

# Which request makes the best preview for each purpose, in order of preference.
_PREVIEW_STATUSES = {
    TemplatePurpose.REQUEST: (RequestStatus.PLANNED,),
    TemplatePurpose.MATERIALS: (RequestStatus.ACCEPTED, RequestStatus.ASKED),
    TemplatePurpose.NUDGE: (RequestStatus.ASKED, RequestStatus.ACCEPTED),
    TemplatePurpose.REMINDER: (RequestStatus.MATERIALS_SENT, RequestStatus.ACCEPTED),
    TemplatePurpose.THANK_YOU: (RequestStatus.SUBMITTED,),
    TemplatePurpose.UPDATE: (RequestStatus.SUBMITTED,),
}
_ENDED = (RequestStatus.DECLINED, RequestStatus.WITHDRAWN)


def _purpose(value: str) -> TemplatePurpose | None:
    try:
        return TemplatePurpose(value)
    except ValueError:
        return None


class TemplatesPage(TemplatesView):
    """Behaviour of the Templates page; the layout is ``TemplatesView``."""

    WATCHES = Changes.TEMPLATES

    def __init__(self, context: PageContext, parent: QWidget | None = None) -> None:
        super().__init__(context, parent)
        self._today = date.today()
        self._rows: dict[int, TemplateRow] = {}
        self._current: int | None = None
        self._problem: TemplateProblem | None = None
        self._contexts: dict[int | None, dict[str, Any]] = {}
        self._request_rows: list[RequestRow] = []
        self._request_chosen = False  # the user picked a preview request
        self._rendering = False  # a preview render is on a worker
        self._render_again = False
        self._search_terms: list[str] = []
        self._last_editor: QWidget | None = None  # where a field is inserted
        self._syncing = False  # copying between the simple view and the code
        self._defaults = template_service.builtin_templates()

        self._preview_timer = QTimer(self)
        self._preview_timer.setObjectName("previewTimer")
        self._preview_timer.setSingleShot(True)
        self._preview_timer.setInterval(PREVIEW_DELAY_MS)
        self._preview_timer.timeout.connect(self.update_preview)

        self._connect()
        self.reload()

    def _connect(self) -> None:
        self.template_list.currentItemChanged.connect(self._current_item_changed)
        self.subject.textChanged.connect(self._edited)
        self.body.textChanged.connect(self._edited)
        self.subject.textChanged.connect(self._code_edited)
        self.body.textChanged.connect(self._code_edited)
        self.simple_subject.textChanged.connect(self._simple_edited)
        self.simple_body.textChanged.connect(self._simple_edited)
        for editor in self._editors():
            editor.installEventFilter(self)
        self.chips.chosen.connect(self._insert_text)
        self.code_toggle.toggled.connect(self.show_code)
        self.save_button.clicked.connect(self.save)
        self.revert_button.clicked.connect(self.revert)
        self.reset_button.clicked.connect(self.reset_to_default)
        self.request_combo.activated.connect(self._request_picked)
        self.field_list.itemDoubleClicked.connect(self._insert_field)
        self.field_list.currentItemChanged.connect(self._describe_field)
        self._describe_field(None)

    # --- loading ---------------------------------------------------------------

    def reload(self) -> None:
        """Read templates and requests again; an edit in progress is kept."""
        self._today = date.today()
        try:
            template_service.ensure_builtin_templates()
        except Exception as error:
            # A read-only or locked file: show the templates there are.
            if user_sentence(error) is None:
                raise
        self._rows = {row.id: row for row in stored_templates.list_templates()}
        self._contexts.clear()
        self._request_rows = load_request_rows()
        self._fill_request_combo()
        keep = self._current if self._current in self._rows else None
        self._fill_list(keep)
        if keep is None:
            first = self.template_list.topLevelItem(0)
            if first is not None:
                self.template_list.setCurrentItem(first)
            else:
                self._show_template(None)
        else:
            self._refresh_buttons()
            self.update_preview()

    def _fill_list(self, selected: int | None) -> None:
        self.template_list.blockSignals(True)
        self.template_list.clear()
        for row in self._rows.values():
            item = QTreeWidgetItem()
            item.setData(0, Qt.ItemDataRole.UserRole, row.id)
            self._set_state(item, row)
            self.template_list.addTopLevelItem(item)
            if row.id == selected:
                self.template_list.setCurrentItem(item)
        self.template_list.blockSignals(False)
        self._apply_search()

    def _set_state(self, item: QTreeWidgetItem, row: TemplateRow) -> None:
        """Two lines: the name, then "Purpose · built-in / edited / your own"."""
        if not row.is_builtin:
            state = self.tr("your own")
        elif template_service.is_edited(row, self._defaults):
            state = self.tr("edited")
        else:
            state = self.tr("built-in")
        label = label_for(TemplatePurpose, row.purpose)
        item.setText(0, f"{row.name}\n{label} · {state}")
        item.setData(0, STATE_ROLE, state)
        item.setToolTip(0, f"{row.name} ({label}, {state})")

    def _fill_request_combo(self) -> None:
        current = self.request_combo.currentData()
        self.request_combo.clear()
        self.request_combo.addItem(self.tr("Sample data (no request)"), None)
        rows = sorted(
            self._request_rows,
            key=lambda r: (r.status in _ENDED, r.due_on or date.max, r.mentor_name),
        )
        for row in rows:
            label = self.tr("{name} — {type}, {specialty} ({status})").format(
                name=row.mentor_name,
                type=self.tr(row.letter_type.label),
                specialty=row.specialty,
                status=self.tr(row.status.label),
            )
            self.request_combo.addItem(label, row.id)
        index = self.request_combo.findData(current)
        self.request_combo.setCurrentIndex(max(index, 0))

    def set_search_text(self, text: str) -> None:
        self._search_terms = text.casefold().split()
        self._apply_search()

    def _apply_search(self) -> None:
        for number in range(self.template_list.topLevelItemCount()):
            item = self.template_list.topLevelItem(number)
            row = self._rows.get(item.data(0, Qt.ItemDataRole.UserRole))
            haystack = " ".join((item.text(0), row.subject, row.body) if row else ()).casefold()
            item.setHidden(not all(term in haystack for term in self._search_terms))

    # --- selection and editing ---------------------------------------------------

    def selected_id(self) -> int | None:
        return self._current

    def select_purpose(self, purpose: TemplatePurpose | str) -> bool:
        for number in range(self.template_list.topLevelItemCount()):
            item = self.template_list.topLevelItem(number)
            row = self._rows.get(item.data(0, Qt.ItemDataRole.UserRole))
            if row is not None and row.purpose == TemplatePurpose(purpose).value:
                self.template_list.setCurrentItem(item)
                return self._current == row.id
        return False

    def is_dirty(self) -> bool:
        row = self._rows.get(self._current) if self._current is not None else None
        if row is None:
            return False
        return (self.subject.text(), self.body.toPlainText()) != (row.subject, row.body)

    def _current_item_changed(
        self, current: QTreeWidgetItem | None, previous: QTreeWidgetItem | None
    ) -> None:
        new_id = current.data(0, Qt.ItemDataRole.UserRole) if current else None
        if new_id == self._current:
            return
        if self.is_dirty() and not self._settle_unsaved():
            self.template_list.blockSignals(True)
            self.template_list.setCurrentItem(previous)
            self.template_list.blockSignals(False)
            return
        self._show_template(new_id)

    def _settle_unsaved(self) -> bool:
        """Ask what to do with unsaved changes; False keeps the user here."""
        answer = QMessageBox.question(
            self,
            self.tr("Unsaved changes"),
            self.tr("Save the changes to this template before switching?"),
            QMessageBox.StandardButton.Save
            | QMessageBox.StandardButton.Discard
            | QMessageBox.StandardButton.Cancel,
            QMessageBox.StandardButton.Save,
        )
        if answer == QMessageBox.StandardButton.Cancel:
            return False
        if answer == QMessageBox.StandardButton.Save:
            return self.save()
        return True

    def _show_template(self, template_id: int | None) -> None:
        self._current = template_id
        row = self._rows.get(template_id) if template_id is not None else None
        for widget in (self.subject, self.body):
            widget.blockSignals(True)
        self.subject.setText(row.subject if row else "")
        self.subject.setCursorPosition(0)  # show the start of a long subject
        self.body.setPlainText(row.body if row else "")
        for widget in (self.subject, self.body):
            widget.blockSignals(False)
        for widget in (*self._editors(), self.chips):
            widget.setEnabled(row is not None)
        self._sync_simple()
        if row is None:
            self.editor_heading.setText(self.tr("No template selected"))
        else:
            purpose = _purpose(row.purpose)
            self.editor_heading.setText(row.name)
            self.editor_heading.setToolTip(label_for(TemplatePurpose, row.purpose))
            if purpose is not None and not self._request_chosen:
                self._suggest_request(purpose)
        self.update_preview()

    def _suggest_request(self, purpose: TemplatePurpose) -> None:
        """Preview each template with a request it would be sent for."""
        wanted = _PREVIEW_STATUSES[purpose]
        candidates = [r for r in self._request_rows if r.status in wanted]
        candidates.sort(key=lambda r: (wanted.index(r.status), r.due_on or date.max))
        if not candidates:
            candidates = [r for r in self._request_rows if r.status not in _ENDED]
        index = self.request_combo.findData(candidates[0].id) if candidates else 0
        self.request_combo.setCurrentIndex(max(index, 0))

    def _request_picked(self, _index: int) -> None:
        self._request_chosen = True
        self.update_preview()

    def _edited(self) -> None:
        self._refresh_buttons()
        self._preview_timer.start()

    def _describe_field(self, item: QTreeWidgetItem | None, _previous: object = None) -> None:
        """The whole description (the column may cut it short) under the list."""
        double_click = self.tr("Double-click a field to insert it at the cursor.")
        if item is None:
            self.field_hint.setText(double_click)
            return
        self.field_hint.setText(f"{item.text(0)}: {item.text(1)}. {double_click}")

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.FocusIn and watched in self._editors():
            self._last_editor = watched  # type: ignore[assignment]
        return super().eventFilter(watched, event)

    def _editors(self) -> tuple[QWidget, ...]:
        return (self.subject, self.body, self.simple_subject, self.simple_body)

    def _insert_field(self, item: QTreeWidgetItem, _column: int) -> None:
        self._insert_text(item.data(0, Qt.ItemDataRole.UserRole))

    def _insert_text(self, text: str) -> None:
        """Put a field (its template text) at the cursor of the subject or
        the body, whichever was last edited, in the view on screen."""
        if self._current is None:
            return
        in_subject = self._last_editor in (self.subject, self.simple_subject)
        one_line = text.replace("\n", " ").strip()
        if self.showing_code():
            if in_subject:
                self.subject.insert(one_line)
                self.subject.setFocus()
            else:
                self.body.insertPlainText(text)
                self.body.setFocus()
        elif in_subject:
            self.simple_subject_text.insert_source(one_line)
            self.simple_subject.setFocus()
        else:
            self.simple_body_text.insert_source(text)
            self.simple_body.setFocus()

    # --- the simple view and the code ---------------------------------------------

    def showing_code(self) -> bool:
        return self.code_toggle.isChecked()

    def show_code(self, show: bool) -> None:
        """Switch between the simple view and the template code."""
        if self.code_toggle.isChecked() != show:
            self.code_toggle.setChecked(show)  # comes back here through toggled
            return
        self.editor_stack.setCurrentIndex(1 if show else 0)
        if not show:
            self._sync_simple()
        if self._last_editor in (self.subject, self.simple_subject):
            target = self.subject if show else self.simple_subject
        else:
            target = self.body if show else self.simple_body
        self._last_editor = target

    def _sync_simple(self) -> None:
        """Show the code's text in the simple view (when it is on screen)."""
        if self.showing_code():
            return
        self._syncing = True
        try:
            self.simple_subject_text.set_source(self.subject.text())
            self.simple_body_text.set_source(self.body.toPlainText())
        finally:
            self._syncing = False

    def _code_edited(self) -> None:
        if not self._syncing:
            self._sync_simple()

    def _simple_edited(self) -> None:
        """An edit in the simple view goes into the code (which is what is
        previewed, checked and saved)."""
        if self._syncing:
            return
        editor = self.sender()
        simple = (
            self.simple_subject_text if editor is self.simple_subject else self.simple_body_text
        )
        source, cut = simple.source()
        self._syncing = True
        try:
            if editor is self.simple_subject:
                self.subject.setText(source)
            else:
                self.body.setPlainText(source)
            if cut:  # a Backspace into a field removes the whole field
                simple.drop_cut_tokens(source, cut)
        finally:
            self._syncing = False

    def save_view_state(self, settings: QSettings) -> None:
        settings.setValue("showTemplateCode", self.showing_code())

    def restore_view_state(self, settings: QSettings) -> None:
        self.show_code(settings.value("showTemplateCode", False, type=bool))

    # --- preview and problems ------------------------------------------------------

    def _context(self) -> dict[str, Any]:
        request_id = self.request_combo.currentData()
        if request_id not in self._contexts:
            self._contexts[request_id] = (
                sample_context(self._today)
                if request_id is None
                else context_for_request(request_id, self._today)
            )
        return self._contexts[request_id]

    def update_preview(self) -> None:
        self._preview_timer.stop()
        if self._current is None:
            self._problem = None
            self.preview_subject.setText("")
            self.preview_body.setPlainText("")
            self.preview_note.setText(self.tr("Choose a template on the left to edit it."))
            self._show_problem()
            return
        if self._rendering:  # typed while a render runs: render again after it
            self._render_again = True
            return
        try:
            rendered = self._render_on_worker(
                self.subject.text(), self.body.toPlainText(), self._context()
            )
        except TemplateProblem as problem:
            self._problem = problem
            self.preview_note.setText(
                self.tr("The preview shows the last version without a problem.")
            )
        else:
            self._problem = None
            self.preview_subject.setText(rendered.subject)
            self.preview_body.setPlainText(rendered.body)
            self.preview_note.setText(
                self.tr("Sample data: add a request to preview with your own.")
                if self.request_combo.currentData() is None
                else ""
            )
        self._show_problem()
        self._refresh_buttons()

    def _render_on_worker(self, subject: str, body: str, context: dict[str, Any]):
        """Render off the GUI thread (the template is the user's text, with
        template_limits' time and size limits); the window keeps painting
        and taking keys meanwhile. Raises ``TemplateProblem``."""
        outcome: dict[str, Any] = {}
        self._rendering = True
        try:
            run_in_background(
                lambda: template_service.render(subject, body, context),
                lambda rendered: outcome.setdefault("rendered", rendered),
                lambda error: outcome.setdefault("error", error),
            )
            while not outcome:
                QCoreApplication.processEvents(QEventLoop.ProcessEventsFlag.WaitForMoreEvents, 50)
        finally:
            self._rendering = False
            if self._render_again:
                self._render_again = False
                self._preview_timer.start()
        if "error" in outcome:
            raise outcome["error"]  # a TemplateProblem, or a bug for the crash dialog
        return outcome["rendered"]

    def problem(self) -> TemplateProblem | None:
        return self._problem

    def _show_problem(self) -> None:
        problem = self._problem
        self.problem_label.setVisible(problem is not None)
        self.problem_label.setText(problem.message if problem else "")
        for subject in (self.subject, self.simple_subject):
            mark_invalid(subject, problem is not None and problem.field == "subject")
        selections = []
        if problem is not None and problem.field == "body" and problem.line:
            block = self.body.document().findBlockByNumber(problem.line - 1)
            if block.isValid():
                selection = QTextEdit.ExtraSelection()
                selection.format.setBackground(PROBLEM_LINE)
                selection.format.setProperty(QTextFormat.Property.FullWidthSelection, True)
                selection.cursor = QTextCursor(block)
                selections.append(selection)
        self.body.setExtraSelections(selections)
        self._mark_simple_line(problem.line if problem and problem.field == "body" else None)

    def _mark_simple_line(self, line: int | None) -> None:
        """The same line in the simple view (tags keep their lines there)."""
        selections = []
        block = self.simple_body.document().findBlockByNumber(line - 1) if line else None
        if block is not None and block.isValid():
            selection = QTextEdit.ExtraSelection()
            selection.format.setBackground(PROBLEM_LINE)
            selection.format.setProperty(QTextFormat.Property.FullWidthSelection, True)
            selection.cursor = QTextCursor(block)
            selections.append(selection)
        self.simple_body.setExtraSelections(selections)

    def problem_line(self) -> int | None:
        """The body line (1-based) highlighted as the problem, if any."""
        selections = self.body.extraSelections()
        return selections[0].cursor.blockNumber() + 1 if selections else None

    def _refresh_buttons(self) -> None:
        row = self._rows.get(self._current) if self._current is not None else None
        dirty = self.is_dirty()
        self.save_button.setEnabled(dirty and self._problem is None)
        self.save_button.setToolTip(
            self.tr("Fix the problem shown under the body first.")
            if self._problem is not None
            else ""
        )
        self.revert_button.setEnabled(dirty)
        self.reset_button.setEnabled(row is not None and row.is_builtin)

    # --- actions ---------------------------------------------------------------------

    def save(self) -> bool:
        template_id = self._current
        if template_id is None:
            return False
        self.update_preview()  # never save text the preview has not checked
        if self._problem is not None or self._rendering:
            return False
        subject, body = self.subject.text(), self.body.toPlainText()
        try:
            guarded(self, lambda: stored_templates.save_template(template_id, subject, body))
        except SaveFailed:
            return False
        self._after_change(template_id)
        self.status_message.emit(self.tr("Template saved."))
        return True

    def revert(self) -> None:
        self._show_template(self._current)
        self._refresh_buttons()

    def reset_to_default(self) -> None:
        row = self._rows.get(self._current) if self._current is not None else None
        if row is None or not row.is_builtin:
            return
        if not confirm(
            self,
            self.tr("Reset to default"),
            self.tr(
                "Replace “{name}” with the text LetterDesk ships? Your changes to it will be lost."
            ).format(name=row.name),
            self.tr("Reset to default"),
            destructive=True,
            object_name="resetTemplateDialog",
        ):
            return
        try:
            template_id = guarded(self, lambda: template_service.reset_to_default(row.purpose))
        except SaveFailed:
            return
        self._after_change(template_id)
        self._show_template(template_id)
        self.status_message.emit(self.tr("Template reset to the default text."))

    def _after_change(self, template_id: int) -> None:
        self._rows = {row.id: row for row in stored_templates.list_templates()}
        self._current = template_id
        self._fill_list(template_id)
        self._refresh_buttons()
        self.data_changed.emit(Changes.TEMPLATES)
