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

from desktop.domain.mail_domains import ascii_domain
from desktop.domain.validation import email_address
from desktop.errors import UserError
from desktop.services.mail.recipients import split_recipients

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
    return make_msgid(domain=_ascii_domain(domain, "The Message-ID domain"))


def _ascii_domain(domain: str, what: str) -> str:
    try:
        return ascii_domain(domain)
    except ValueError as exc:
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


def _unquoted(name: str) -> str:
    name = name.strip()
    if len(name) >= 2 and name[0] == name[-1] == '"':
        name = re.sub(r"\\(.)", r"\1", name[1:-1])
    return name.strip()


def parse_address_list(text: str, *, what: str = "To") -> list[Address]:
    """Addresses separated by commas or semicolons; each either plain
    (``a@b.org``) or with a name (``Dr. Ada Lovelace <ada@b.org>``,
    ``"Okafor, Amara" <amara@b.org>``: commas inside quotes or angle
    brackets do not separate, see ``recipients.split_recipients``)."""
    if _CONTROL.search(text):
        raise MessageError(f"{what} cannot contain line breaks or control characters.")
    result: list[Address] = []
    seen: set[str] = set()
    for item in split_recipients(text):
        match = _NAMED.match(item)
        if match:
            name = _unquoted(match["name"])
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
    # Text goes as the file's own bytes (base64), with the charset they are
    # in, so the recipient's mail program does not guess (and garble) it.
    params = {"charset": text_charset(data)} if maintype == "text" else None
    message.add_attachment(data, maintype=maintype, subtype=subtype, filename=name, params=params)


# Bytes that windows-1252 leaves undefined: text with them is ISO-8859-1.
_CP1252_UNDEFINED = frozenset(b"\x81\x8d\x8f\x90\x9d")


def text_charset(data: bytes) -> str:
    """The charset a text file is most likely in: UTF-16 or UTF-8 by their
    byte-order mark or a clean decode, plain ASCII, else the Windows Latin
    code page most such files come from (ISO-8859-1 when it cannot be)."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "utf-16"
    if data.isascii():
        return "us-ascii"
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return "iso-8859-1" if _CP1252_UNDEFINED & set(data) else "windows-1252"
    return "utf-8"


HEADER_WIDTH = 78  # RFC 5322's recommended line length
# SMTP line ends; headers set as values are folded by the email package as
# usual, the one set raw (the ASCII subject) is kept as folded here.
_POLICY = policy.SMTP.clone(refold_source="none")


def _set_subject(message: EmailMessage, subject: str) -> None:
    """The email package folds a long ASCII subject right after "Subject:",
    leaving that line empty (and some servers and filters read an empty
    subject). An ASCII subject is folded here instead, at spaces, the first
    words on the Subject line; anything else (non-ASCII, text that looks
    like an encoded word) is left to the email package, which encodes it."""
    if not subject.isascii() or "=?" in subject:
        message["Subject"] = subject
        return
    lines = [f"Subject: {subject.split(' ')[0]}"]
    for word in subject.split(" ")[1:]:
        if len(lines[-1]) + 1 + len(word) > HEADER_WIDTH and lines[-1].strip():
            lines.append(f" {word}")
        else:
            lines[-1] += f" {word}"
    # set_raw keeps this folding: the message's policy never refolds a raw
    # value (_POLICY), so a single word longer than a line stays whole on
    # the Subject line, which RFC 5322 allows up to 998 characters.
    message.set_raw("Subject", "\n".join(lines)[len("Subject: ") :])


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

    message = EmailMessage(policy=_POLICY)
    message["From"] = sender
    message["To"] = to_list
    if cc_list:
        message["Cc"] = cc_list
    _set_subject(message, subject)
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
