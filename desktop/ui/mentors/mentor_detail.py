"""The right-hand panel of the Mentors page, a contact page: one mentor's
contact data and relationship, their letters with what each needs next,
shared experiences and the interaction log in full."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QScrollArea,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from desktop.domain.contact import describe_last_contact
from desktop.domain.people import mentor_display_name
from desktop.domain.replies import replied_text
from desktop.domain.thresholds import AdviceThresholds
from desktop.domain.vocabulary import MentorCategory, ReminderPreference
from desktop.store import replies as reply_store
from desktop.store.experiences import ExperienceRow
from desktop.store.mentors import InteractionRow, MentorDetails
from desktop.store.outbox import utc_now
from desktop.store.requests import RequestRow
from desktop.ui.common import (
    DetailPanel,
    FlowLayout,
    RowTableModel,
    compact_experience_columns,
    compact_table,
    interaction_columns,
    label_for,
    set_role,
    stars,
    value_label,
)
from desktop.ui.mentors.mentor_letters import letter_columns


class MentorDetail(DetailPanel):
    """Shows a mentor; buttons emit what the user asked for, the page acts."""

    request_letter_requested = Signal()
    email_requested = Signal()
    edit_requested = Signal()
    log_requested = Signal()
    archive_requested = Signal()
    delete_requested = Signal()
    add_experience_requested = Signal()
    edit_experience_requested = Signal(int)
    edit_interaction_requested = Signal(int)
    delete_interaction_requested = Signal(int)
    open_letter_requested = Signal(int)  # a request id

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(
            "mentorDetail", self.tr("Select a mentor to see the relationship at a glance."), parent
        )

    def build_content(self) -> QWidget:
        self.name_label = value_label("mentorName")
        set_role(self.name_label, "heading")
        self.role_label = value_label("mentorRole")
        self.last_contact_label = value_label("lastContact")
        self.reply_label = value_label("mentorReply")
        self.reply_label.setWordWrap(True)
        self.reply_label.hide()
        set_role(self.last_contact_label, "emphasis")
        self.email_label = value_label("mentorEmail")
        self.email_label.setTextFormat(Qt.TextFormat.PlainText)
        self.phone_label = value_label("mentorPhone")
        self.relationship_label = value_label("mentorRelationship")
        self.how_met_label = value_label("mentorHowMet")
        self.notes_label = value_label("mentorNotes")

        self.edit_button = QPushButton(self.tr("Edit…"))
        self.edit_button.setObjectName("editMentor")
        self.log_button = QPushButton(self.tr("Log interaction…"))
        self.log_button.setObjectName("logInteraction")
        self.archive_button = QPushButton(self.tr("Archive"))
        self.archive_button.setObjectName("archiveMentor")
        self.delete_button = QPushButton(self.tr("Delete…"))
        self.delete_button.setObjectName("deleteMentor")
        self.edit_button.clicked.connect(self.edit_requested)
        self.log_button.clicked.connect(self.log_requested)
        self.archive_button.clicked.connect(self.archive_requested)
        self.delete_button.clicked.connect(self.delete_requested)
        self.request_button = QPushButton(self.tr("Request a letter…"))
        self.request_button.setObjectName("requestLetter")
        set_role(self.request_button, "primary")
        self.request_button.clicked.connect(self.request_letter_requested)
        self.email_button = QPushButton(self.tr("Email…"))
        self.email_button.setObjectName("emailMentor")
        self.email_button.clicked.connect(self.email_requested)
        # What one does most often comes first; edits and removal below.
        actions = QVBoxLayout()
        main_actions = FlowLayout()
        for button in (self.request_button, self.log_button, self.email_button):
            main_actions.addWidget(button)
        main_actions.addStretch(1)
        other_actions = FlowLayout()
        for button in (self.edit_button, self.archive_button, self.delete_button):
            other_actions.addWidget(button)
        other_actions.addStretch(1)
        actions.addLayout(main_actions)
        actions.addLayout(other_actions)

        facts = QFormLayout()
        facts.addRow(self.tr("Email"), self.email_label)
        facts.addRow(self.tr("Phone"), self.phone_label)
        facts.addRow(self.tr("Relationship"), self.relationship_label)
        facts.addRow(self.tr("How we met"), self.how_met_label)
        facts.addRow(self.tr("Notes"), self.notes_label)

        self.experience_model: RowTableModel[ExperienceRow] = RowTableModel(
            compact_experience_columns(), self
        )
        self.experience_table = compact_table("mentorExperiences", self.experience_model)
        _fit_columns(self.experience_table, stretch=0)

        self.experience_table.doubleClicked.connect(
            lambda index: self.edit_experience_requested.emit(
                self.experience_model.row_at(index).id
            )
        )
        self.add_experience_button = QPushButton(self.tr("Add experience…"))
        self.add_experience_button.setObjectName("addExperienceForMentor")
        self.add_experience_button.clicked.connect(self.add_experience_requested)

        self._step_context = (date.today(), AdviceThresholds())
        self.letters_model: RowTableModel[RequestRow] = RowTableModel(
            letter_columns(lambda: self._step_context), self
        )
        self.letters_table = compact_table("mentorLetters", self.letters_model)
        self.letters_table.setAccessibleName(self.tr("Letters from this mentor"))
        self.letters_table.setWordWrap(True)
        self.letters_table.verticalHeader().setSectionResizeMode(
            QHeaderView.ResizeMode.ResizeToContents
        )
        _fit_columns(self.letters_table, stretch=0)
        # Activated: a double-click, or Enter on the current row.
        self.letters_table.activated.connect(
            lambda index: self.open_letter_requested.emit(self.letters_model.row_at(index).id)
        )
        # Wrapped rows change height with the panel's width: keep the table
        # sized to them.
        self.letters_table.horizontalHeader().sectionResized.connect(
            lambda *_: self._fit_height(self.letters_table, self.letters_model.rowCount(), most=6)
        )
        self.no_letters = QLabel(self.tr("No letter requested yet."))
        self.no_letters.setObjectName("noLetters")
        set_role(self.no_letters, "hint")

        self.interaction_model: RowTableModel[InteractionRow] = RowTableModel(
            interaction_columns(), self
        )
        self.interaction_model.sort(0, Qt.SortOrder.DescendingOrder)
        self.interaction_table = compact_table("interactionLog", self.interaction_model)
        self.interaction_table.setMinimumHeight(180)
        # The whole entry, wrapped to the panel: a log cut to a few words
        # (and readable only in a tooltip) is no log.
        self.interaction_table.setWordWrap(True)
        self.interaction_table.verticalHeader().setSectionResizeMode(
            QHeaderView.ResizeMode.ResizeToContents
        )
        _fit_columns(self.interaction_table, stretch=1)
        self.interaction_table.doubleClicked.connect(
            lambda index: self.edit_interaction_requested.emit(
                self.interaction_model.row_at(index).id
            )
        )
        self.edit_entry_button = QPushButton(self.tr("Edit entry…"))
        self.edit_entry_button.setObjectName("editInteraction")
        self.delete_entry_button = QPushButton(self.tr("Delete entry"))
        self.delete_entry_button.setObjectName("deleteInteraction")
        self.edit_entry_button.clicked.connect(
            lambda: self._emit_selected_interaction(self.edit_interaction_requested)
        )
        self.delete_entry_button.clicked.connect(
            lambda: self._emit_selected_interaction(self.delete_interaction_requested)
        )

        experiences_head = QHBoxLayout()
        experiences_head.addWidget(self._section(self.tr("Experiences together")))
        experiences_head.addStretch(1)
        experiences_head.addWidget(self.add_experience_button)
        letters_head = QHBoxLayout()
        letters_head.addWidget(self._section(self.tr("Letters")))
        letters_head.addStretch(1)
        log_head = QHBoxLayout()
        log_head.addWidget(self._section(self.tr("Interaction log")))
        log_head.addStretch(1)
        log_head.addWidget(self.edit_entry_button)
        log_head.addWidget(self.delete_entry_button)

        content = QWidget()
        layout = QVBoxLayout(content)
        layout.addWidget(self.name_label)
        layout.addWidget(self.role_label)
        layout.addWidget(self.last_contact_label)
        layout.addWidget(self.reply_label)
        layout.addLayout(actions)
        layout.addLayout(facts)
        layout.addLayout(letters_head)
        layout.addWidget(self.letters_table)
        layout.addWidget(self.no_letters)
        layout.addLayout(experiences_head)
        layout.addWidget(self.experience_table)
        layout.addLayout(log_head)
        layout.addWidget(self.interaction_table, 1)
        scroll = QScrollArea()
        scroll.setObjectName("mentorDetailScroll")
        scroll.setWidgetResizable(True)
        # Wrap text to the panel's width rather than scrolling sideways.
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        scroll.setWidget(content)
        return scroll

    @staticmethod
    def _fit_height(table: QTableView, rows: int, most: int) -> None:
        """Size a short list to its rows (up to ``most``) instead of leaving
        a tall empty box; wrapped rows count at their height."""
        header = table.verticalHeader()
        shown = max(1, min(rows, most))
        if header.sectionResizeMode(0) == QHeaderView.ResizeMode.ResizeToContents and rows:
            table.resizeRowsToContents()
            height = sum(table.rowHeight(r) for r in range(shown))
        else:
            height = shown * header.defaultSectionSize()
        table.setFixedHeight(table.horizontalHeader().height() + height + 4)

    def _section(self, text: str) -> QLabel:
        label = QLabel(text)
        set_role(label, "section")
        return label

    def _emit_selected_interaction(self, signal: Signal) -> None:
        row = self.interaction_model.row_at(self.interaction_table.currentIndex())
        if row is not None:
            signal.emit(row.id)

    def show_mentor(
        self,
        mentor: MentorDetails,
        last_contact: date | None,
        experiences: list[ExperienceRow],
        interactions: list[InteractionRow],
        today: date,
        letters: list[RequestRow] | None = None,
        thresholds: AdviceThresholds | None = None,
    ) -> None:
        self.name_label.setText(
            mentor_display_name(
                mentor.honorific, mentor.first_name, mentor.last_name, mentor.credentials
            )
            + (self.tr("  (archived)") if mentor.archived else "")
        )
        # Each fact once: a department that is also the specialty (or a
        # title repeating the department) would read "Emergency Medicine,
        # Emergency Medicine".
        said: set[str] = set()
        role = ", ".join(_once((mentor.title, mentor.department, mentor.institution), said))
        kind = " · ".join(
            _once((label_for(MentorCategory, mentor.category), mentor.specialty), said)
        )
        self.role_label.setText("\n".join(p for p in (role, kind) if p))
        self.last_contact_label.setText(
            self.tr("Last contact: {when}").format(when=describe_last_contact(last_contact, today))
        )
        reply = reply_store.latest_for_mentor(mentor.id)
        self.reply_label.setVisible(reply is not None)
        if reply is not None:
            self.reply_label.setText(
                replied_text(reply.mentor_name, reply.received_at, reply.snippet, utc_now())
            )
            self.reply_label.setToolTip(reply.subject)
        self.email_label.setText(mentor.email or "—")
        self.phone_label.setText(mentor.phone or "—")
        badges = [stars(mentor.strength)]
        if mentor.is_department_chair:
            badges.append(self.tr("Department chair"))
        if mentor.can_write_standardized:
            badges.append(self.tr("Writes standardized letters"))
        badges.append(
            self.tr("Reminders: {pref}").format(
                pref=label_for(ReminderPreference, mentor.reminder_preference)
            )
        )
        self.relationship_label.setText(" · ".join(badges))
        self.how_met_label.setText(mentor.how_met or "—")
        self.notes_label.setText(mentor.notes or "—")
        self.archive_button.setText(self.tr("Restore") if mentor.archived else self.tr("Archive"))
        self.experience_model.set_rows(experiences)
        self.interaction_model.set_rows(interactions)
        self._fit_height(self.experience_table, len(experiences), most=5)
        letters = letters or []
        self._step_context = (today, thresholds or AdviceThresholds())
        self.letters_model.set_rows(letters)
        self.letters_table.setVisible(bool(letters))
        self.no_letters.setVisible(not letters)
        self._fit_height(self.letters_table, len(letters), most=6)
        self.show_content()


def _once(parts, said: set[str]) -> list[str]:
    """The non-empty ``parts`` not said already (ignoring case and spaces)."""
    kept = []
    for part in parts:
        key = " ".join(part.split()).casefold()
        if key and key not in said:
            said.add(key)
            kept.append(part.strip())
    return kept


def _fit_columns(table: QTableView, *, stretch: int) -> None:
    """Every column as wide as its header and cells, the ``stretch`` one
    taking the rest: nothing cut short in the narrow panel."""
    header = table.horizontalHeader()
    header.setStretchLastSection(False)
    for column in range(table.model().columnCount()):
        header.setSectionResizeMode(
            column,
            QHeaderView.ResizeMode.Stretch
            if column == stretch
            else QHeaderView.ResizeMode.ResizeToContents,
        )
