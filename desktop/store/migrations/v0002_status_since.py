"""Format 2: ``letter_request.status_since``, the day the request entered its
current status.

Today's "send materials" rule reads it for every accepted request. Format 1
derived it on each refresh from the whole status history (320,000 rows on a
large data set, a fifth of Today's time budget); now ``move_status`` and
``create_request`` write it with the change they record.

Frozen SQL, like every step: this must do what format 2 was, whatever the
store code looks like later.
"""

import peewee as pw

DESCRIPTION = "store the day each letter request entered its current status"

ADD_COLUMN = 'ALTER TABLE "letter_request" ADD COLUMN "status_since" DATE'

# The latest change (by id: the order the moves were recorded, which is what
# format 1 read) into the request's current status; its date part is the day
# the user gave for the move. A request with no such change (made before the
# history was kept, or written by another tool) counts from its creation.
BACKFILL = """
UPDATE letter_request SET status_since = coalesce(
    (SELECT substr(sc.changed_at, 1, 10) FROM status_change sc
     WHERE sc.request_id = letter_request.id AND sc.to_status = letter_request.status
     ORDER BY sc.id DESC LIMIT 1),
    substr(letter_request.created_at, 1, 10)
)
"""


def apply(db: pw.Database) -> None:
    db.execute_sql(ADD_COLUMN)
    db.execute_sql(BACKFILL)
