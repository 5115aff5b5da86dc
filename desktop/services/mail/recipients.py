"""Who an email goes to: the writer of its letter request, or the mentor it
was written from (whose latest request it is then about)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from desktop.store import outbox
from desktop.store.outbox import WriterContact

# Characters that would split or end an address in a To line.
_UNSAFE_IN_NAME = re.compile(r"[,;<>\"\r\n]")


@dataclass(frozen=True)
class ComposeTarget:
    request_id: int | None
    mentor_id: int | None


def compose_target(request_id: int | None, mentor_id: int | None) -> ComposeTarget:
    """Fill in what is missing: a mentor's latest request, a request's writer."""
    if request_id is None and mentor_id is not None:
        request_id = outbox.latest_request_of(mentor_id)
    if mentor_id is None and request_id is not None:
        mentor_id = outbox.writer_of_request(request_id)
    return ComposeTarget(request_id, mentor_id)


def recipient_line(contact: WriterContact) -> str:
    """``Dr. Amara Okafor <amara@…>``; the bare address when there is no name,
    "" when there is no address."""
    if not contact.email:
        return ""
    name = " ".join(
        part.strip() for part in (contact.honorific, contact.first_name, contact.last_name) if part
    )
    name = _UNSAFE_IN_NAME.sub(" ", name).strip()
    return f"{name} <{contact.email}>" if name else contact.email


def recipient_for(mentor_id: int | None) -> str:
    """The To line for writing to this mentor ("" for none, or no address)."""
    contact = outbox.writer_contact(mentor_id) if mentor_id is not None else None
    return recipient_line(contact) if contact is not None else ""
