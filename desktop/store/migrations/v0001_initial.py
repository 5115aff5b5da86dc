# ruff: noqa: E501
"""Format 1: the first LetterDesk schema.

Frozen SQL, not ``create_tables()``: a migration must create exactly what
that format was, whatever the models look like later.
"""

import peewee as pw

DESCRIPTION = "initial schema"

SQL = """
CREATE TABLE "action_state" ("key" VARCHAR(255) NOT NULL PRIMARY KEY, "snoozed_until" DATE, "dismissed" INTEGER NOT NULL, "updated_at" DATETIME NOT NULL);
CREATE TABLE "mentor" ("id" INTEGER NOT NULL PRIMARY KEY, "honorific" VARCHAR(255) NOT NULL, "first_name" VARCHAR(255) NOT NULL, "last_name" VARCHAR(255) NOT NULL, "credentials" VARCHAR(255) NOT NULL, "title" VARCHAR(255) NOT NULL, "department" VARCHAR(255) NOT NULL, "specialty" VARCHAR(255) NOT NULL, "institution" VARCHAR(255) NOT NULL, "email" VARCHAR(255) NOT NULL, "phone" VARCHAR(255) NOT NULL, "category" VARCHAR(255) NOT NULL, "is_department_chair" INTEGER NOT NULL, "can_write_standardized" INTEGER NOT NULL, "strength" INTEGER NOT NULL, "reminder_preference" VARCHAR(255) NOT NULL, "how_met" TEXT NOT NULL, "notes" TEXT NOT NULL, "archived" INTEGER NOT NULL, "created_at" DATETIME NOT NULL, "updated_at" DATETIME NOT NULL, CHECK (strength BETWEEN 1 AND 5));
CREATE INDEX "mentor_email" ON "mentor" ("email");
CREATE INDEX "mentor_category" ON "mentor" ("category");
CREATE INDEX "mentor_archived" ON "mentor" ("archived");
CREATE TABLE "cycle" ("id" INTEGER NOT NULL PRIMARY KEY, "service" VARCHAR(255) NOT NULL, "name" VARCHAR(255) NOT NULL, "max_letters_per_program" INTEGER NOT NULL, "opens_on" DATE, "submissions_open_on" DATE, "review_starts_on" DATE, "outcome_on" DATE, "archived" INTEGER NOT NULL, "created_at" DATETIME NOT NULL);
CREATE TABLE "letter_request" ("id" INTEGER NOT NULL PRIMARY KEY, "mentor_id" INTEGER NOT NULL, "cycle_id" INTEGER NOT NULL, "letter_type" VARCHAR(255) NOT NULL, "specialty" VARCHAR(255) NOT NULL, "waiver" INTEGER, "letter_id" VARCHAR(255), "status" VARCHAR(255) NOT NULL, "planned_ask_on" DATE, "asked_on" DATE, "due_on" DATE, "submitted_on" DATE, "thanked_on" DATE, "backup_for_id" INTEGER, "notes" TEXT NOT NULL, "created_at" DATETIME NOT NULL, "updated_at" DATETIME NOT NULL, FOREIGN KEY ("mentor_id") REFERENCES "mentor" ("id") ON DELETE RESTRICT, FOREIGN KEY ("cycle_id") REFERENCES "cycle" ("id") ON DELETE RESTRICT, FOREIGN KEY ("backup_for_id") REFERENCES "letter_request" ("id") ON DELETE SET NULL);
CREATE INDEX "letter_request_mentor_id" ON "letter_request" ("mentor_id");
CREATE INDEX "letter_request_cycle_id" ON "letter_request" ("cycle_id");
CREATE INDEX "letter_request_status" ON "letter_request" ("status");
CREATE INDEX "letter_request_due_on" ON "letter_request" ("due_on");
CREATE INDEX "letter_request_backup_for_id" ON "letter_request" ("backup_for_id");
CREATE UNIQUE INDEX "letter_request_cycle_id_letter_id" ON "letter_request" ("cycle_id", "letter_id");
CREATE TABLE "program" ("id" INTEGER NOT NULL PRIMARY KEY, "cycle_id" INTEGER NOT NULL, "name" VARCHAR(255) NOT NULL, "specialty" VARCHAR(255) NOT NULL, "location" VARCHAR(255) NOT NULL, "deadline" DATE, "status" VARCHAR(255) NOT NULL, "letters_required" INTEGER NOT NULL, "specialty_letters_required" INTEGER NOT NULL, "chair_letter_required" INTEGER NOT NULL, "standardized_letter_required" INTEGER NOT NULL, "notes" TEXT NOT NULL, "created_at" DATETIME NOT NULL, FOREIGN KEY ("cycle_id") REFERENCES "cycle" ("id") ON DELETE CASCADE);
CREATE INDEX "program_cycle_id" ON "program" ("cycle_id");
CREATE INDEX "program_deadline" ON "program" ("deadline");
CREATE TABLE "assignment" ("id" INTEGER NOT NULL PRIMARY KEY, "request_id" INTEGER NOT NULL, "program_id" INTEGER NOT NULL, "assigned_at" DATETIME NOT NULL, FOREIGN KEY ("request_id") REFERENCES "letter_request" ("id") ON DELETE CASCADE, FOREIGN KEY ("program_id") REFERENCES "program" ("id") ON DELETE CASCADE);
CREATE INDEX "assignment_request_id" ON "assignment" ("request_id");
CREATE INDEX "assignment_program_id" ON "assignment" ("program_id");
CREATE UNIQUE INDEX "assignment_request_id_program_id" ON "assignment" ("request_id", "program_id");
CREATE TABLE "document" ("id" INTEGER NOT NULL PRIMARY KEY, "kind" VARCHAR(255) NOT NULL, "title" VARCHAR(255) NOT NULL, "version_label" VARCHAR(255) NOT NULL, "stored_name" VARCHAR(255) NOT NULL, "original_name" VARCHAR(255) NOT NULL, "mime_type" VARCHAR(255) NOT NULL, "size_bytes" INTEGER NOT NULL, "sha256" VARCHAR(255) NOT NULL, "added_at" DATETIME NOT NULL, "notes" TEXT NOT NULL);
CREATE UNIQUE INDEX "document_stored_name" ON "document" ("stored_name");
CREATE TABLE "email_template" ("id" INTEGER NOT NULL PRIMARY KEY, "purpose" VARCHAR(255) NOT NULL, "name" VARCHAR(255) NOT NULL, "subject" TEXT NOT NULL, "body" TEXT NOT NULL, "is_builtin" INTEGER NOT NULL, "updated_at" DATETIME NOT NULL);
CREATE INDEX "email_template_purpose" ON "email_template" ("purpose");
CREATE TABLE "experience" ("id" INTEGER NOT NULL PRIMARY KEY, "kind" VARCHAR(255) NOT NULL, "title" VARCHAR(255) NOT NULL, "institution" VARCHAR(255) NOT NULL, "specialty" VARCHAR(255) NOT NULL, "start_date" DATE, "end_date" DATE, "notes" TEXT NOT NULL, "created_at" DATETIME NOT NULL, CHECK (end_date IS NULL OR start_date IS NULL OR end_date >= start_date));
CREATE INDEX "experience_end_date" ON "experience" ("end_date");
CREATE TABLE "experience_mentor" ("id" INTEGER NOT NULL PRIMARY KEY, "experience_id" INTEGER NOT NULL, "mentor_id" INTEGER NOT NULL, FOREIGN KEY ("experience_id") REFERENCES "experience" ("id") ON DELETE CASCADE, FOREIGN KEY ("mentor_id") REFERENCES "mentor" ("id") ON DELETE CASCADE);
CREATE INDEX "experience_mentor_experience_id" ON "experience_mentor" ("experience_id");
CREATE INDEX "experience_mentor_mentor_id" ON "experience_mentor" ("mentor_id");
CREATE UNIQUE INDEX "experience_mentor_experience_id_mentor_id" ON "experience_mentor" ("experience_id", "mentor_id");
CREATE TABLE "interaction" ("id" INTEGER NOT NULL PRIMARY KEY, "mentor_id" INTEGER NOT NULL, "occurred_on" DATE NOT NULL, "kind" VARCHAR(255) NOT NULL, "summary" TEXT NOT NULL, "mention_in_letter" INTEGER NOT NULL, "created_at" DATETIME NOT NULL, FOREIGN KEY ("mentor_id") REFERENCES "mentor" ("id") ON DELETE CASCADE);
CREATE INDEX "interaction_mentor_id" ON "interaction" ("mentor_id");
CREATE INDEX "interaction_mentor_id_occurred_on" ON "interaction" ("mentor_id", "occurred_on");
CREATE TABLE "outgoing_email" ("id" INTEGER NOT NULL PRIMARY KEY, "state" VARCHAR(255) NOT NULL, "to_addrs" TEXT NOT NULL, "cc_addrs" TEXT NOT NULL, "subject" TEXT NOT NULL, "body" TEXT NOT NULL, "attachments" TEXT NOT NULL, "message_id" VARCHAR(255), "send_after" DATETIME, "attempts" INTEGER NOT NULL, "last_error" TEXT NOT NULL, "template_purpose" VARCHAR(255), "request_id" INTEGER, "mentor_id" INTEGER, "created_at" DATETIME NOT NULL, "sent_at" DATETIME, FOREIGN KEY ("request_id") REFERENCES "letter_request" ("id") ON DELETE SET NULL, FOREIGN KEY ("mentor_id") REFERENCES "mentor" ("id") ON DELETE SET NULL);
CREATE INDEX "outgoing_email_state" ON "outgoing_email" ("state");
CREATE UNIQUE INDEX "outgoing_email_message_id" ON "outgoing_email" ("message_id");
CREATE INDEX "outgoing_email_send_after" ON "outgoing_email" ("send_after");
CREATE INDEX "outgoing_email_request_id" ON "outgoing_email" ("request_id");
CREATE INDEX "outgoing_email_mentor_id" ON "outgoing_email" ("mentor_id");
CREATE TABLE "profile" ("id" INTEGER NOT NULL PRIMARY KEY, "full_name" VARCHAR(255) NOT NULL, "email" VARCHAR(255) NOT NULL, "school" VARCHAR(255) NOT NULL, "graduation_year" INTEGER, "aamc_id" VARCHAR(255) NOT NULL, "target_specialty" VARCHAR(255) NOT NULL, "signature" TEXT NOT NULL, "created_at" DATETIME NOT NULL);
CREATE TABLE "request_event" ("id" INTEGER NOT NULL PRIMARY KEY, "request_id" INTEGER NOT NULL, "kind" VARCHAR(255) NOT NULL, "occurred_on" DATE NOT NULL, "note" TEXT NOT NULL, "created_at" DATETIME NOT NULL, FOREIGN KEY ("request_id") REFERENCES "letter_request" ("id") ON DELETE CASCADE);
CREATE INDEX "request_event_request_id" ON "request_event" ("request_id");
CREATE TABLE "setting" ("key" VARCHAR(255) NOT NULL PRIMARY KEY, "value" TEXT NOT NULL);
CREATE TABLE "shared_document" ("id" INTEGER NOT NULL PRIMARY KEY, "document_id" INTEGER NOT NULL, "mentor_id" INTEGER NOT NULL, "request_id" INTEGER, "email_id" INTEGER, "shared_at" DATETIME NOT NULL, FOREIGN KEY ("document_id") REFERENCES "document" ("id") ON DELETE RESTRICT, FOREIGN KEY ("mentor_id") REFERENCES "mentor" ("id") ON DELETE CASCADE, FOREIGN KEY ("request_id") REFERENCES "letter_request" ("id") ON DELETE SET NULL, FOREIGN KEY ("email_id") REFERENCES "outgoing_email" ("id") ON DELETE SET NULL);
CREATE INDEX "shared_document_document_id" ON "shared_document" ("document_id");
CREATE INDEX "shared_document_mentor_id" ON "shared_document" ("mentor_id");
CREATE INDEX "shared_document_request_id" ON "shared_document" ("request_id");
CREATE INDEX "shared_document_email_id" ON "shared_document" ("email_id");
CREATE TABLE "status_change" ("id" INTEGER NOT NULL PRIMARY KEY, "request_id" INTEGER NOT NULL, "changed_at" DATETIME NOT NULL, "from_status" VARCHAR(255), "to_status" VARCHAR(255) NOT NULL, "note" TEXT NOT NULL, FOREIGN KEY ("request_id") REFERENCES "letter_request" ("id") ON DELETE CASCADE);
CREATE INDEX "status_change_request_id" ON "status_change" ("request_id");
"""


def apply(db: pw.Database) -> None:
    for statement in SQL.split(";"):
        if statement.strip():
            db.execute_sql(statement)
