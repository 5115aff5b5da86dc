"""Log (or edit) one entry of the rapport log with a mentor."""

from __future__ import annotations

from datetime import date

from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QFormLayout,
    QLabel,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from desktop.domain import validation as rules
from desktop.domain.vocabulary import InteractionKind
from desktop.store.mentors import InteractionFields
from desktop.ui.common import (
    FormValidator,
    choices,
    combo,
    date_edit,
    error_label,
    save_cancel_buttons,
    set_role,
    with_error,
)


class InteractionDialog(QDialog):
    def __init__(
        self,
        mentor_name: str,
        values: InteractionFields | None = None,
        parent: QWidget | None = None,
        today: date | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("interactionDialog")
        self._today = today or date.today()
        editing = values is not None
        values = values or InteractionFields(self._today, InteractionKind.MEETING.value, "")
        self.setWindowTitle(self.tr("Edit log entry") if editing else self.tr("Log an interaction"))
        self.validator = FormValidator(self)

        heading = QLabel(self.tr("With {name}").format(name=mentor_name))
        heading.setObjectName("interactionHeading")
        set_role(heading, "subheading")
        self.occurred_on = date_edit("occurredOn", values.occurred_on)
        self.kind = combo("kind", choices(InteractionKind), values.kind)
        self.summary = QPlainTextEdit(values.summary)
        self.summary.setObjectName("summary")
        self.summary.setAccessibleName(self.tr("Summary"))
        self.summary.setPlaceholderText(
            self.tr("What happened, what they saw you do, feedback in their words…")
        )
        self.summary.setTabChangesFocus(True)
        self.mention = QCheckBox(self.tr("Mention in my letter (a highlight for the writer)"))
        self.mention.setObjectName("mentionInLetter")
        self.mention.setChecked(values.mention_in_letter)

        date_error = error_label("occurredOnError")
        self.validator.add(self.occurred_on, date_error, self._check_date)
        summary_error = error_label("summaryError")
        self.validator.add(self.summary, summary_error, self._check_summary)

        form = QFormLayout()
        form.addRow(self.tr("Date"), with_error(self.occurred_on, date_error))
        form.addRow(self.tr("Kind"), self.kind)
        form.addRow(self.tr("Summary *"), with_error(self.summary, summary_error))
        form.addRow("", self.mention)

        buttons = save_cancel_buttons(self)
        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        layout.addLayout(form)
        layout.addWidget(buttons)
        self.summary.setFocus()
        self.resize(520, 360)

    def _check_date(self) -> str | None:
        if self.occurred_on.date().toPython() > self._today:
            return self.tr("This date is in the future; log an interaction once it has happened.")
        return None

    def _check_summary(self) -> str | None:
        text = self.summary.toPlainText()
        return rules.required(text, self.tr("A summary")) or rules.max_length(
            text, rules.SUMMARY_MAX, self.tr("The summary")
        )

    def accept(self) -> None:
        if self.validator.validate_all():
            super().accept()

    def values(self) -> InteractionFields:
        return InteractionFields(
            occurred_on=self.occurred_on.date().toPython(),
            kind=self.kind.currentData(),
            summary=self.summary.toPlainText().strip(),
            mention_in_letter=self.mention.isChecked(),
        )
