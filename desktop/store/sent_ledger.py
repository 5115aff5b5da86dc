"""The Message-IDs the outbox ever handed to a server, kept outside the
database.

Why a file beside the database and not a table in it: a restore or an
archive import replaces the database with an older (or another computer's)
copy, in which an email that went out yesterday is still "scheduled". The
ledger is not part of what a restore replaces, so the outbox can still tell
that such an email was sent and never send it again by itself
(``outbox.claim`` asks here). One Message-ID a line, appended and flushed to
disk before the database records the email as sent.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Iterable
from pathlib import Path

from .models import database_proxy

log = logging.getLogger(__name__)

LEDGER_NAME = "sent-message-ids.txt"

# path -> ((mtime_ns, size), ids): the sender asks once per email.
_cache: dict[Path, tuple[tuple[int, int], frozenset[str]]] = {}


def ledger_for(folder: Path) -> Path:
    return Path(folder) / LEDGER_NAME


def _open_ledger() -> Path | None:
    """The ledger of the open data file (next to it), if one is open."""
    database = database_proxy.obj
    name = getattr(database, "database", None)
    if not name or name == ":memory:":
        return None
    return ledger_for(Path(name).parent)


def read_ids(path: Path) -> frozenset[str]:
    """Every Message-ID in the ledger at ``path`` (empty when there is none)."""
    try:
        status = os.stat(path)
    except FileNotFoundError:
        return frozenset()
    key = (status.st_mtime_ns, status.st_size)
    cached = _cache.get(path)
    if cached is not None and cached[0] == key:
        return cached[1]
    with open(path, encoding="utf-8", errors="replace") as handle:
        ids = frozenset(line.strip() for line in handle if line.strip())
    _cache[path] = (key, ids)
    return ids


def add_ids(path: Path, message_ids: Iterable[str]) -> None:
    """Append ``message_ids`` (those not there yet) and flush them to disk."""
    known = read_ids(path)
    new = [m for m in dict.fromkeys(message_ids) if m and m not in known and "\n" not in m]
    if not new:
        return
    fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
    try:
        os.write(fd, "".join(f"{m}\n" for m in new).encode("utf-8"))
        os.fsync(fd)
    finally:
        os.close(fd)


def was_sent(message_id: str | None) -> bool:
    """True when the open data folder's ledger lists ``message_id``."""
    path = _open_ledger()
    if path is None or not message_id:
        return False
    try:
        return message_id in read_ids(path)
    except OSError as exc:  # unreadable: the database's own "sent" still holds
        log.warning("Sent-email ledger not readable: %s", exc)
        return False


def record(message_id: str | None) -> None:
    """Remember that the server took ``message_id``. A failure to write is
    logged, not raised: the email did go out, and the database says so."""
    path = _open_ledger()
    if path is None or not message_id:
        return
    try:
        add_ids(path, [message_id])
    except OSError as exc:
        log.warning("Could not add %s to the sent-email ledger: %s", message_id, exc)
