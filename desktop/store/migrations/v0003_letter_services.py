"""Format 3: letter services as data.

- ``cycle.cap_scope``: what the cycle's cap counts. Format 2 applied every cap
  per program, which let AMCAS cycles take 10 letters per *school*; AMCAS
  allows 10 per application, so existing AMCAS cycles become per-application.
- Fixed caps are the service's: an ERAS cycle saved with another cap (the
  form kept it, the store never checked) gets ERAS's 4, AMCAS's 10. Coverage
  then shows any program holding more than the service allows.
- ``assignment.sent_to_service``: an assignment confirmed in a service where
  it cannot be undone. Format 2 never asked, so no existing row is marked.

New services need no change here: ``cycle.service`` stores the value
without a CHECK. Frozen SQL, like every step.
"""

import peewee as pw

DESCRIPTION = "letter caps get a scope; assignments can be marked sent to the service"

STATEMENTS = (
    'ALTER TABLE "cycle" ADD COLUMN "cap_scope" VARCHAR(255) NOT NULL DEFAULT \'per_program\'',
    "UPDATE \"cycle\" SET cap_scope = 'per_application' WHERE service = 'amcas'",
    'UPDATE "cycle" SET max_letters_per_program = 4'
    " WHERE service IN ('eras_residency', 'eras_fellowship')",
    "UPDATE \"cycle\" SET max_letters_per_program = 10 WHERE service = 'amcas'",
    'ALTER TABLE "assignment" ADD COLUMN "sent_to_service" INTEGER NOT NULL DEFAULT 0',
)


def apply(db: pw.Database) -> None:
    for statement in STATEMENTS:
        db.execute_sql(statement)
