"""Numbered schema migrations, tracked in ``PRAGMA user_version``.

To change the schema: add ``vNNNN_<what>.py`` with ``DESCRIPTION`` and
``apply(db)``, append it to ``STEPS``, change the models to match, and add a
real database file of the previous format under ``tests/data/`` (see
tests/store/test_migrations.py). Each step runs in its own transaction
together with the version bump, so a failed step leaves the file as it was.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from types import ModuleType

import peewee as pw

from . import (
    v0001_initial,
    v0002_status_since,
    v0003_letter_services,
    v0004_mentor_greeting,
    v0007_replies,
)

# "LDSK": marks the file as LetterDesk's, so a foreign SQLite file is refused.
APPLICATION_ID = 0x4C44534B


@dataclass(frozen=True)
class Step:
    version: int
    description: str
    apply: Callable[[pw.Database], None]


def _step(version: int, module: ModuleType) -> Step:
    return Step(version, module.DESCRIPTION, module.apply)


STEPS: tuple[Step, ...] = (
    _step(1, v0001_initial),
    _step(2, v0002_status_since),
    _step(3, v0003_letter_services),
    _step(4, v0004_mentor_greeting),
    _step(7, v0007_replies),
)

LATEST_VERSION = STEPS[-1].version


def pending_steps(current: int) -> list[Step]:
    return [step for step in STEPS if step.version > current]


def run_step(db: pw.SqliteDatabase, step: Step) -> None:
    with db.atomic():
        step.apply(db)
        # Both pragmas are part of the database header and roll back with
        # the transaction.
        db.execute_sql(f"PRAGMA application_id = {APPLICATION_ID}")
        db.execute_sql(f"PRAGMA user_version = {step.version}")
