"""Format 4: ``mentor.greeting``, how the applicant's emails greet this
mentor ("Dear Maria"). NULL (every mentor before this format) means the
greeting is inferred from the name, honorific and credentials
(``desktop.domain.greeting``), so nothing needs to be filled in.

Frozen SQL, like every step: this must do what format 4 was, whatever the
store code looks like later.
"""

import peewee as pw

DESCRIPTION = "let each mentor have a greeting of their own"

ADD_COLUMN = 'ALTER TABLE "mentor" ADD COLUMN "greeting" VARCHAR(255)'


def apply(db: pw.Database) -> None:
    db.execute_sql(ADD_COLUMN)
