"""Saving an email as a ``.eml`` file: the very message Send would hand
over, for the user to open in any mail program."""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path

from desktop.errors import UserError
from desktop.files import atomic_write
from desktop.services.mail.account import SmtpAccount, sender_domain
from desktop.services.mail.message import new_message_id
from desktop.services.mail.sender import message_for
from desktop.store.outbox import OutboxEmail


class EmlNotSaved(UserError):
    """The file could not be written; ``user_message`` says why."""


def eml_file_name(subject: str) -> str:
    """A file name from the subject: ``Letter of recommendation.eml``."""
    safe = re.sub(r"[^\w\- ]+", "", subject).strip()[:60] or "email"
    return f"{safe}.eml"


def eml_bytes(email: OutboxEmail, account: SmtpAccount, documents_dir: Path | None) -> bytes:
    """The message as it would go out. A draft has no Message-ID yet; the
    file gets a fresh one, and the outbox keeps none (saving is not sending).
    Raises ``MessageError``."""
    if not email.message_id:
        email = replace(email, message_id=new_message_id(sender_domain(account)))
    return message_for(email, account, documents_dir).as_bytes()


def save_eml(data: bytes, path: Path) -> None:
    """Write the file whole or not at all; raises ``EmlNotSaved``."""
    try:
        with atomic_write(path) as handle:
            handle.write(data)
    except OSError as exc:
        raise EmlNotSaved(f"Could not save {path}: {exc.strerror or exc}") from exc
