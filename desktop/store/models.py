"""Peewee models for the whole LetterDesk data model (see ARCHITECTURE.md, "Layers").

Models bind to ``database_proxy``; ``desktop.store.database.open_database``
initialises it, so nothing here knows a path. Enumerated fields store the
string values from ``desktop.domain.vocabulary``. Dates are ``DateField``
(ISO text), moments are ``DateTimeField`` in UTC.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import TYPE_CHECKING

import peewee as pw

from desktop.domain import vocabulary as v

database_proxy = pw.DatabaseProxy()


def utc_now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


def _choices(enum: type[v.StrEnum]) -> list[tuple[str, str]]:
    return [(member.value, member.value) for member in enum]


class BaseModel(pw.Model):
    if TYPE_CHECKING:
        # Peewee adds the integer primary key "id" (unless a model names its
        # own) and "<field>_id" for foreign keys at runtime; declared here for
        # mypy only, so the schema is unchanged.
        id: pw.AutoField[int]

    class Meta:
        database = database_proxy
        legacy_table_names = False


class Profile(BaseModel):
    """The applicant. There is one row; it is created by the first-run dialog."""

    full_name = pw.CharField()
    email = pw.CharField(default="")
    school = pw.CharField(default="")
    graduation_year = pw.IntegerField(null=True)
    aamc_id = pw.CharField(default="")
    target_specialty = pw.CharField(default="")
    signature = pw.TextField(default="")
    created_at = pw.DateTimeField(default=utc_now)


class Cycle(BaseModel):
    """An application season; its service's declaration
    (``desktop.domain.letter_services``) sets the letter cap and its scope."""

    service = pw.CharField(choices=_choices(v.Service))
    name = pw.CharField()
    # The letter cap, whatever it counts: ``cap_scope`` says per program, per
    # application, exactly… (the name is format 1's, when it was per program).
    max_letters_per_program = pw.IntegerField()
    # Season dates move every year, so they are data, never constants.
    opens_on = pw.DateField(null=True)
    submissions_open_on = pw.DateField(null=True)
    review_starts_on = pw.DateField(null=True)
    outcome_on = pw.DateField(null=True)  # Match day / admission decisions
    archived = pw.BooleanField(default=False)
    created_at = pw.DateTimeField(default=utc_now)
    # Format 3 (appended by ALTER TABLE): what the cap counts.
    cap_scope = pw.CharField(
        choices=_choices(v.CapScope),
        default=v.CapScope.PER_PROGRAM.value,
        constraints=[pw.SQL("DEFAULT 'per_program'")],  # as format 3 added it
    )


class Mentor(BaseModel):
    honorific = pw.CharField(default="")
    first_name = pw.CharField(default="")
    last_name = pw.CharField()
    credentials = pw.CharField(default="")  # "MD, PhD"
    title = pw.CharField(default="")  # "Associate Professor of Medicine"
    department = pw.CharField(default="")
    specialty = pw.CharField(default="")
    institution = pw.CharField(default="")
    email = pw.CharField(default="", index=True)
    phone = pw.CharField(default="")
    category = pw.CharField(choices=_choices(v.MentorCategory), index=True)
    is_department_chair = pw.BooleanField(default=False)
    can_write_standardized = pw.BooleanField(default=False)
    strength = pw.SmallIntegerField(default=3)
    reminder_preference = pw.CharField(
        choices=_choices(v.ReminderPreference), default=v.ReminderPreference.DEFAULT.value
    )
    how_met = pw.TextField(default="")
    notes = pw.TextField(default="")
    archived = pw.BooleanField(default=False, index=True)
    created_at = pw.DateTimeField(default=utc_now)
    updated_at = pw.DateTimeField(default=utc_now)
    # Format 4, so last (ALTER TABLE appends). "Dear Maria"; NULL: inferred
    # from the name and credentials (desktop.domain.greeting).
    greeting = pw.CharField(null=True)

    class Meta:
        constraints = (pw.Check("strength BETWEEN 1 AND 5"),)


class Experience(BaseModel):
    """A rotation, sub-internship, research project, course or job."""

    kind = pw.CharField(choices=_choices(v.ExperienceKind))
    title = pw.CharField()
    institution = pw.CharField(default="")
    specialty = pw.CharField(default="")
    start_date = pw.DateField(null=True)
    end_date = pw.DateField(null=True, index=True)
    notes = pw.TextField(default="")
    created_at = pw.DateTimeField(default=utc_now)

    class Meta:
        constraints = (
            pw.Check("end_date IS NULL OR start_date IS NULL OR end_date >= start_date"),
        )


class ExperienceMentor(BaseModel):
    experience = pw.ForeignKeyField(Experience, backref="mentor_links", on_delete="CASCADE")
    mentor = pw.ForeignKeyField(Mentor, backref="experience_links", on_delete="CASCADE")

    if TYPE_CHECKING:
        experience_id: int
        mentor_id: int

    class Meta:
        indexes = ((("experience", "mentor"), True),)


class Interaction(BaseModel):
    """One entry of the rapport log with a mentor."""

    mentor = pw.ForeignKeyField(Mentor, backref="interactions", on_delete="CASCADE")
    occurred_on = pw.DateField()
    kind = pw.CharField(choices=_choices(v.InteractionKind))
    summary = pw.TextField()
    mention_in_letter = pw.BooleanField(default=False)
    created_at = pw.DateTimeField(default=utc_now)

    class Meta:
        # "Last contact" is MAX(occurred_on) per mentor: this index answers it
        # with one seek per mentor.
        indexes = ((("mentor", "occurred_on"), False),)


class Program(BaseModel):
    cycle = pw.ForeignKeyField(Cycle, backref="programs", on_delete="CASCADE")
    name = pw.CharField()
    specialty = pw.CharField(default="")
    location = pw.CharField(default="")
    deadline = pw.DateField(null=True, index=True)
    status = pw.CharField(
        choices=_choices(v.ProgramStatus), default=v.ProgramStatus.CONSIDERING.value
    )
    letters_required = pw.SmallIntegerField(default=3)
    specialty_letters_required = pw.SmallIntegerField(default=0)
    chair_letter_required = pw.BooleanField(default=False)
    standardized_letter_required = pw.BooleanField(default=False)
    notes = pw.TextField(default="")
    created_at = pw.DateTimeField(default=utc_now)


class LetterRequest(BaseModel):
    mentor = pw.ForeignKeyField(Mentor, backref="requests", on_delete="RESTRICT")
    cycle = pw.ForeignKeyField(Cycle, backref="requests", on_delete="RESTRICT")
    letter_type = pw.CharField(choices=_choices(v.LetterType))
    specialty = pw.CharField(default="General")
    # None until the applicant answers the waiver question (ERAS requires it).
    waiver = pw.BooleanField(null=True)
    letter_id = pw.CharField(null=True)
    status = pw.CharField(
        choices=_choices(v.RequestStatus), default=v.RequestStatus.PLANNED.value, index=True
    )
    planned_ask_on = pw.DateField(null=True)
    asked_on = pw.DateField(null=True)
    due_on = pw.DateField(null=True, index=True)
    submitted_on = pw.DateField(null=True)
    thanked_on = pw.DateField(null=True)
    backup_for = pw.ForeignKeyField("self", null=True, backref="backups", on_delete="SET NULL")
    notes = pw.TextField(default="")
    created_at = pw.DateTimeField(default=utc_now)
    updated_at = pw.DateTimeField(default=utc_now)
    # The day the request entered its current status: the date of the
    # latest StatusChange into it, written together with that change by
    # ``store.requests`` (Today reads it for every request). Declared last:
    # format 2 added it with ALTER TABLE, which appends the column.
    status_since = pw.DateField(null=True)

    class Meta:
        # A Letter ID is used once, for one author, within a cycle. NULLs
        # (no ID yet) do not collide in SQLite unique indexes.
        indexes = ((("cycle", "letter_id"), True),)


class StatusChange(BaseModel):
    request = pw.ForeignKeyField(LetterRequest, backref="status_changes", on_delete="CASCADE")
    changed_at = pw.DateTimeField(default=utc_now)
    from_status = pw.CharField(null=True)  # None for the creation of the request
    to_status = pw.CharField()
    note = pw.TextField(default="")


class RequestEvent(BaseModel):
    """Reminders sent, thanks given, outcome shared: dated, not statuses."""

    request = pw.ForeignKeyField(LetterRequest, backref="events", on_delete="CASCADE")
    kind = pw.CharField(choices=_choices(v.RequestEventKind))
    occurred_on = pw.DateField()
    note = pw.TextField(default="")
    created_at = pw.DateTimeField(default=utc_now)


class Assignment(BaseModel):
    """Which request's letter goes to which program (capped per cycle)."""

    request = pw.ForeignKeyField(LetterRequest, backref="assignments", on_delete="CASCADE")
    program = pw.ForeignKeyField(Program, backref="assignments", on_delete="CASCADE")
    assigned_at = pw.DateTimeField(default=utc_now)
    # Format 3: the user confirmed the assignment in a service where it
    # cannot be undone (ERAS), so LetterDesk refuses to unassign it.
    sent_to_service = pw.BooleanField(default=False, constraints=[pw.SQL("DEFAULT 0")])

    class Meta:
        indexes = ((("request", "program"), True),)


class Document(BaseModel):
    """One version of a document; versions of the same thing share ``title``."""

    kind = pw.CharField(choices=_choices(v.DocumentKind))
    title = pw.CharField()
    version_label = pw.CharField(default="")
    stored_name = pw.CharField(unique=True)  # file name inside documents/
    original_name = pw.CharField(default="")
    mime_type = pw.CharField(default="application/octet-stream")
    size_bytes = pw.IntegerField(default=0)
    sha256 = pw.CharField()
    added_at = pw.DateTimeField(default=utc_now)
    notes = pw.TextField(default="")


class EmailTemplate(BaseModel):
    purpose = pw.CharField(choices=_choices(v.TemplatePurpose), index=True)
    name = pw.CharField()
    subject = pw.TextField()
    body = pw.TextField()
    is_builtin = pw.BooleanField(default=False)
    updated_at = pw.DateTimeField(default=utc_now)


class OutgoingEmail(BaseModel):
    state = pw.CharField(
        choices=_choices(v.EmailState), default=v.EmailState.DRAFT.value, index=True
    )
    to_addrs = pw.TextField()  # comma-separated, validated on entry
    cc_addrs = pw.TextField(default="")
    subject = pw.TextField()
    body = pw.TextField()
    attachments = pw.TextField(default="[]")  # JSON list of document ids / generated files
    # Fixed before the first attempt so a retry can never become a second,
    # different message.
    message_id = pw.CharField(null=True, unique=True)
    send_after = pw.DateTimeField(null=True, index=True)
    attempts = pw.IntegerField(default=0)
    last_error = pw.TextField(default="")
    template_purpose = pw.CharField(null=True)
    request = pw.ForeignKeyField(LetterRequest, null=True, backref="emails", on_delete="SET NULL")
    mentor = pw.ForeignKeyField(Mentor, null=True, backref="emails", on_delete="SET NULL")
    created_at = pw.DateTimeField(default=utc_now)
    sent_at = pw.DateTimeField(null=True)


class SharedDocument(BaseModel):
    """Which document version went to which writer, and when."""

    document = pw.ForeignKeyField(Document, backref="shares", on_delete="RESTRICT")
    mentor = pw.ForeignKeyField(Mentor, backref="shared_documents", on_delete="CASCADE")
    request = pw.ForeignKeyField(
        LetterRequest, null=True, backref="shared_documents", on_delete="SET NULL"
    )
    email = pw.ForeignKeyField(
        OutgoingEmail, null=True, backref="shared_documents", on_delete="SET NULL"
    )
    shared_at = pw.DateTimeField(default=utc_now)


class Setting(BaseModel):
    """User settings that belong with the data (advice thresholds, SMTP
    account without its password). Window state lives in QSettings."""

    key = pw.CharField(primary_key=True)
    value = pw.TextField()  # JSON


class ActionState(BaseModel):
    """A Today action the user snoozed or dismissed, keyed by its identity."""

    key = pw.CharField(primary_key=True)
    snoozed_until = pw.DateField(null=True)
    dismissed = pw.BooleanField(default=False)
    updated_at = pw.DateTimeField(default=utc_now)


class Reply(BaseModel):
    """A writer's answer noticed in the inbox (format 7): only what the
    Today card and the request show. Nothing else of the mailbox is kept."""

    message_id = pw.CharField(unique=True)  # the reply's own, so it is kept once
    from_address = pw.CharField()
    from_name = pw.CharField(default="")
    subject = pw.TextField(default="")
    snippet = pw.TextField(default="")  # the first lines of its new text
    received_at = pw.DateTimeField(index=True)  # UTC, from its Date header
    matched_by = pw.CharField()  # "thread" (In-Reply-To/References) or "sender"
    request = pw.ForeignKeyField(LetterRequest, null=True, backref="replies", on_delete="SET NULL")
    mentor = pw.ForeignKeyField(Mentor, null=True, backref="replies", on_delete="SET NULL")
    email = pw.ForeignKeyField(OutgoingEmail, null=True, backref="replies", on_delete="SET NULL")
    # "" while it waits on the user; "accepted", "declined", "logged", "dismissed"
    handled = pw.CharField(default="", index=True)
    created_at = pw.DateTimeField(default=utc_now)


class ImapState(BaseModel):
    """Where the reply watcher stopped in one account's inbox (format 7):
    the mailbox's UIDVALIDITY and the next UID to look at."""

    account_key = pw.CharField(primary_key=True)
    uid_validity = pw.BigIntegerField()
    next_uid = pw.BigIntegerField()
    updated_at = pw.DateTimeField(default=utc_now)


ALL_MODELS: tuple[type[BaseModel], ...] = (
    Profile,
    Cycle,
    Mentor,
    Experience,
    ExperienceMentor,
    Interaction,
    Program,
    LetterRequest,
    StatusChange,
    RequestEvent,
    Assignment,
    Document,
    EmailTemplate,
    OutgoingEmail,
    SharedDocument,
    Setting,
    ActionState,
    Reply,
    ImapState,
)
