"""What the ``--demo`` sample (``desktop.services.demo``) needs from the
store and nothing else does: writing the whole sample in one transaction,
and dating its requests' creation back so their histories read in order."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from datetime import date, timedelta

from .models import database_proxy


@contextlib.contextmanager
def sample_transaction() -> Iterator[None]:
    """Everything written inside is kept together or not at all."""
    with database_proxy.atomic():
        yield


_FIRST_MOVE = """(SELECT datetime(min(m.changed_at), '-7 days') FROM status_change m
                  WHERE m.request_id = {table}.{column} AND m.from_status IS NOT NULL)"""


def backdate_request_creation(today: date) -> None:
    """The sample's requests are created "now" but were asked weeks ago:
    put each creation a week before its first move (or two weeks before
    ``today`` when it never moved)."""
    fallback = f"'{today - timedelta(days=14)} 09:00:00'"
    database_proxy.execute_sql(
        "UPDATE status_change SET changed_at = coalesce("
        + _FIRST_MOVE.format(table="status_change", column="request_id")
        + f", {fallback}) WHERE from_status IS NULL"
    )
    database_proxy.execute_sql(
        "UPDATE letter_request SET created_at = coalesce("
        + _FIRST_MOVE.format(table="letter_request", column="id")
        + f", {fallback})"
    )
