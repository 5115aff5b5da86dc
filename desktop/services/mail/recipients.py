"""Who an email goes to: the writer of its letter request, or the mentor it
was written from (whose latest request it is then about)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from desktop.domain.mail_domains import homograph_warning
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


def split_recipients(text: str) -> list[str]:
    """The items of a To or Cc line, split at commas and semicolons that are
    outside quotes and angle brackets (so ``"Okafor, Amara" <a@b.org>`` is
    one item). An unquoted ``Last, First <address>`` as Outlook pastes it is
    joined back: a piece with no @ belongs to the named address after it."""
    pieces: list[str] = []
    current: list[str] = []
    quoted = escaped = False
    depth = 0
    for char in text:
        if escaped:
            escaped = False
        elif quoted and char == "\\":
            escaped = True
        elif char == '"':
            quoted = not quoted
        elif not quoted and char == "<":
            depth += 1
        elif not quoted and char == ">":
            depth = max(0, depth - 1)
        elif not quoted and depth == 0 and char in ",;":
            pieces.append("".join(current).strip())
            current = []
            continue
        current.append(char)
    pieces.append("".join(current).strip())
    items: list[str] = []
    pending = ""
    for piece in filter(None, pieces):
        if pending:
            if "<" in piece and "@" not in piece.partition("<")[0]:
                piece = f"{pending}, {piece}"
            else:
                items.append(pending)
            pending = ""
        if "@" not in piece and "<" not in piece and '"' not in piece:
            pending = piece  # perhaps the last name of "Last, First <address>"
        else:
            items.append(piece)
    if pending:
        items.append(pending)
    return items


def homograph_warnings(*lines: str) -> list[str]:
    """A warning per look-alike domain among the addresses of these To/Cc
    lines (each domain once), for the user to confirm before sending."""
    warnings: list[str] = []
    seen: set[str] = set()
    for line in lines:
        for item in split_recipients(line):
            address = item.rpartition("<")[2].rstrip(">").strip()
            domain = address.rpartition("@")[2].strip().lower()
            if domain and domain not in seen:
                seen.add(domain)
                if (warning := homograph_warning(domain)) is not None:
                    warnings.append(warning)
    return warnings
