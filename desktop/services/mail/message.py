"""Building one outgoing email as a standard ``email.message.EmailMessage``.

Every header value the user typed (names, addresses, the subject, file
names) is checked here before it reaches the message: a line break or any
other control character is refused with a ``MessageError`` whose sentence the
UI shows. That is what makes header injection impossible, whatever the
input: the email package's own checks differ between Python versions, so
LetterDesk does not rely on them.

Non-ASCII display names, subjects and file names are encoded by the
``email`` package (RFC 2047 / RFC 2231) under ``policy.SMTP``; the body is
UTF-8. Internationalised domains go out as IDNA ("xn--"); a non-ASCII local
part would need SMTPUTF8, which not every server offers, so it is refused.
"""

from __future__ import annotations

import html
import mimetypes
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from email import policy
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid
from pathlib import Path

from desktop.domain.validation import email_address
from desktop.errors import UserError

# Header fields longer than this are a pasted document, not a subject.
SUBJECT_MAX = 500
NAME_MAX = 200
# C0 controls, DEL, C1 controls and the Unicode line/paragraph separators:
# anything a mail program might read as the end of a header line.
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")
_MESSAGE_ID = re.compile(r"<[!-;=?-~]+@[!-;=?-~]+>")  # printable ASCII, no < > or spaces


class MessageError(UserError, ValueError):
    """The message cannot be built; ``user_message`` says why and what to do."""


@dataclass(frozen=True)
class MailAttachment:
    """A file to attach; ``filename`` is the name the recipient sees."""

    path: Path
    filename: str = ""

    @property
    def shown_name(self) -> str:
        return self.filename or Path(self.path).name


def _single_line(value: str, what: str, limit: int) -> str:
    if _CONTROL.search(value):
        raise MessageError(f"{what} cannot contain line breaks or control characters.")
    if len(value) > limit:
        raise MessageError(f"{what} is too long ({len(value):,} characters; at most {limit:,}).")
    return value.strip()


def new_message_id(domain: str) -> str:
    """A fresh, globally unique Message-ID such as ``<1724…@example.org>``."""
    domain = _single_line(domain, "The Message-ID domain", 253).strip("[]") or "letterdesk.invalid"
    if not re.fullmatch(r"[A-Za-z0-9.-]+", domain):
        domain = _ascii_domain(domain, "The Message-ID domain")
    return make_msgid(domain=domain)


def _ascii_domain(domain: str, what: str) -> str:
    try:
        return domain.encode("idna").decode("ascii")
    except UnicodeError as exc:
        raise MessageError(f"{what} {domain!r} is not a valid domain name.") from exc


def mail_address(address: str, name: str = "", *, what: str = "Email address") -> Address:
    """A checked ``Address``: the address passes the form validation, the
    display name is one line, the domain is ASCII (IDNA) and so is the
    local part."""
    name = _single_line(name, f"The name for {address.strip() or 'an address'}", NAME_MAX)
    address = _single_line(address, what, 254)
    if error := email_address(address, optional=False):
        raise MessageError(error)
    local, _, domain = address.rpartition("@")
    if not local.isascii():
        raise MessageError(
            f"{address} has non-Latin letters before the @, which many mail servers "
            "cannot deliver. Ask the recipient for another address."
        )
    return Address(display_name=name, username=local, domain=_ascii_domain(domain, what))


_NAMED = re.compile(r"^\s*(?P<name>.*?)\s*<(?P<address>[^<>]*)>\s*$")


def parse_address_list(text: str, *, what: str = "To") -> list[Address]:
    """Addresses separated by commas or semicolons; each either plain
    (``a@b.org``) or with a name (``Dr. Ada Lovelace <ada@b.org>``; a name
    containing a comma must be quoted in the address book, not here)."""
    if _CONTROL.search(text):
        raise MessageError(f"{what} cannot contain line breaks or control characters.")
    result: list[Address] = []
    seen: set[str] = set()
    for item in re.split(r"[,;]", text):
        if not item.strip():
            continue
        match = _NAMED.match(item)
        if match:
            name = match["name"].strip().strip('"').strip()
            address = match["address"].strip()
        else:
            name, address = "", item.strip()
        error = email_address(address, optional=False)
        if error:
            raise MessageError(f"{what}: {address or item.strip()!r}: {error}")
        parsed = mail_address(address, name, what=what)
        if parsed.addr_spec.lower() not in seen:
            seen.add(parsed.addr_spec.lower())
            result.append(parsed)
    return result


def html_from_plain(text: str) -> str:
    """A simple HTML alternative of a plain-text body: paragraphs at blank
    lines, line breaks kept, everything escaped."""
    paragraphs = [p for p in re.split(r"\n\s*\n", text.replace("\r\n", "\n")) if p.strip()]
    body = "\n".join(
        "<p>" + "<br>\n".join(html.escape(line) for line in p.split("\n")) + "</p>"
        for p in paragraphs
    )
    return (
        '<!DOCTYPE html>\n<html><head><meta charset="utf-8"></head>\n'
        f'<body style="font-family: sans-serif; line-height: 1.4">\n{body}\n</body></html>\n'
    )


def _attach(message: EmailMessage, attachment: MailAttachment) -> None:
    name = _single_line(attachment.shown_name, "An attachment's file name", 255)
    if not name or name in (".", ".."):
        raise MessageError("An attachment has no file name.")
    path = Path(attachment.path)
    try:
        data = path.read_bytes()
    except FileNotFoundError as exc:
        raise MessageError(
            f"The attachment {name} is no longer at {path}. Remove it from the email "
            "or attach the file again."
        ) from exc
    except OSError as exc:
        raise MessageError(
            f"The attachment {name} could not be read ({exc.strerror or exc}). Check that "
            "the file is readable, then try again."
        ) from exc
    mime_type, encoding = mimetypes.guess_type(name)
    if mime_type is None or encoding is not None:  # unknown, or e.g. a .tar.gz
        mime_type = "application/octet-stream"
    maintype, _, subtype = mime_type.partition("/")
    message.add_attachment(data, maintype=maintype, subtype=subtype, filename=name)


def _cte(text: str) -> str:
    return (
        "7bit"
        if text.isascii() and all(len(x) <= 900 for x in text.split("\n"))
        else ("quoted-printable")
    )


def build_message(
    *,
    from_name: str,
    from_address: str,
    to: Sequence[Address | str],
    subject: str,
    body: str,
    message_id: str,
    cc: Sequence[Address | str] = (),
    attachments: Sequence[MailAttachment] = (),
    html_body: str | None = None,
    date: datetime | None = None,
) -> EmailMessage:
    """The complete message, ready for ``smtplib``. ``message_id`` is the
    caller's (fixed before the first attempt); ``date`` defaults to now in
    local time. Raises ``MessageError`` for anything a user could have typed
    wrong (never a traceback for bad input)."""
    sender = mail_address(from_address, from_name, what="Your email address")
    to_list = [a if isinstance(a, Address) else mail_address(a, what="To") for a in to]
    cc_list = [a if isinstance(a, Address) else mail_address(a, what="Cc") for a in cc]
    if not to_list:
        raise MessageError("Add at least one recipient in To.")
    subject = _single_line(subject, "The subject", SUBJECT_MAX)
    if not subject:
        raise MessageError("Add a subject: many mail servers treat an email without one as spam.")
    if not _MESSAGE_ID.fullmatch(message_id or ""):
        raise MessageError(f"The Message-ID {message_id!r} is malformed.")  # a bug, not input

    message = EmailMessage(policy=policy.SMTP)
    message["From"] = sender
    message["To"] = to_list
    if cc_list:
        message["Cc"] = cc_list
    message["Subject"] = subject
    message["Date"] = format_datetime(date or datetime.now().astimezone())
    message["Message-ID"] = message_id
    message["User-Agent"] = "LetterDesk"
    # Plain text always; "\r\n" normalised so the body has one kind of line end.
    # Quoted-printable for non-ASCII text: it needs no 8BITMIME from the server.
    text = body.replace("\r\n", "\n").replace("\r", "\n")
    message.set_content(text, charset="utf-8", cte=_cte(text))
    if html_body is not None:
        message.add_alternative(html_body, subtype="html", charset="utf-8", cte=_cte(html_body))
    for attachment in attachments:
        _attach(message, attachment)
    return message


def recipients_of(message: EmailMessage) -> list[str]:
    """Every envelope recipient (To and Cc), as bare addresses."""
    found: list[str] = []
    for field in ("To", "Cc"):
        header = message[field]
        if header is not None:
            found += [a.addr_spec for a in header.addresses]
    return found


def sender_of(message: EmailMessage) -> str:
    return message["From"].addresses[0].addr_spec
