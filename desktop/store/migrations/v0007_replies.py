# ruff: noqa: E501
"""Format 7: the replies LetterDesk noticed in the inbox (``reply``: the
headers and first lines only) and where the watcher stopped in each
account's inbox (``imap_state``: UIDVALIDITY and the next UID), so a start
looks only at messages that arrived since.

Frozen SQL, like every step: this must do what format 7 was, whatever the
store code looks like later.
"""

import peewee as pw

DESCRIPTION = "keep the writers' replies noticed in the inbox"

SQL = """
CREATE TABLE "reply" ("id" INTEGER NOT NULL PRIMARY KEY, "message_id" VARCHAR(255) NOT NULL, "from_address" VARCHAR(255) NOT NULL, "from_name" VARCHAR(255) NOT NULL, "subject" TEXT NOT NULL, "snippet" TEXT NOT NULL, "received_at" DATETIME NOT NULL, "matched_by" VARCHAR(255) NOT NULL, "request_id" INTEGER, "mentor_id" INTEGER, "email_id" INTEGER, "handled" VARCHAR(255) NOT NULL, "created_at" DATETIME NOT NULL, FOREIGN KEY ("request_id") REFERENCES "letter_request" ("id") ON DELETE SET NULL, FOREIGN KEY ("mentor_id") REFERENCES "mentor" ("id") ON DELETE SET NULL, FOREIGN KEY ("email_id") REFERENCES "outgoing_email" ("id") ON DELETE SET NULL);
CREATE UNIQUE INDEX "reply_message_id" ON "reply" ("message_id");
CREATE INDEX "reply_received_at" ON "reply" ("received_at");
CREATE INDEX "reply_request_id" ON "reply" ("request_id");
CREATE INDEX "reply_mentor_id" ON "reply" ("mentor_id");
CREATE INDEX "reply_email_id" ON "reply" ("email_id");
CREATE INDEX "reply_handled" ON "reply" ("handled");
CREATE TABLE "imap_state" ("account_key" VARCHAR(255) NOT NULL PRIMARY KEY, "uid_validity" INTEGER NOT NULL, "next_uid" INTEGER NOT NULL, "updated_at" DATETIME NOT NULL);
"""


def apply(db: pw.Database) -> None:
    for statement in SQL.strip().split(";\n"):
        db.execute_sql(statement.rstrip(";"))
