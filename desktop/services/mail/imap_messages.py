"""Reading the little the reply watcher fetches of a message: the header
fields it names and the first 2 KiB of the text, never a whole message.

Everything here is outside input: headers in any charset (RFC 2047),
bodies in any charset and transfer encoding, multipart or HTML-only, and
cut off at 2 KiB (a base64 or multipart body cut in the middle still
yields its first lines). Nothing raises on bad bytes.
"""

from __future__ import annotations

import base64
import binascii
import html
import re
from datetime import UTC
from email import message_from_bytes, policy
from email.headerregistry import Address
from email.message import Message
from email.utils import parseaddr, parsedate_to_datetime

from desktop.domain.replies import IncomingMessage, message_ids_in

HEADER_FIELDS = (
    "FROM",
    "SUBJECT",
    "DATE",
    "MESSAGE-ID",
    "IN-REPLY-TO",
    "REFERENCES",
    "CONTENT-TYPE",
    "CONTENT-TRANSFER-ENCODING",
    "AUTO-SUBMITTED",
)
TEXT_BYTES = 2048
FETCH_HEADERS = f"(UID BODY.PEEK[HEADER.FIELDS ({' '.join(HEADER_FIELDS)})])"
FETCH_TEXT = f"(UID BODY.PEEK[TEXT]<0.{TEXT_BYTES}>)"


def _header(message: Message, name: str) -> str:
    try:
        value = message.get(name)
    except (ValueError, IndexError, TypeError):  # a malformed header the policy cannot parse
        value = None
    return " ".join(str(value or "").split())


def parse_headers(raw: bytes) -> Message:
    return message_from_bytes(raw, policy=policy.default)


def _sender(message: Message) -> tuple[str, str]:
    raw = _header(message, "From")
    try:
        addresses = getattr(message.get("From"), "addresses", ())
        if addresses:
            first: Address = addresses[0]
            return first.addr_spec.strip(), first.display_name.strip()
    except (ValueError, IndexError, TypeError, AttributeError):
        pass
    name, address = parseaddr(raw)
    return address.strip(), name.strip()


def _moment(message: Message):
    try:
        moment = parsedate_to_datetime(_header(message, "Date"))
    except (TypeError, ValueError, IndexError):
        return None
    if moment is None:
        return None
    if moment.tzinfo is None:
        return moment
    return moment.astimezone(UTC).replace(tzinfo=None)


def incoming(uid: int, header_bytes: bytes, text_bytes: bytes) -> IncomingMessage:
    headers = parse_headers(header_bytes)
    address, name = _sender(headers)
    ids = message_ids_in(_header(headers, "Message-ID"))
    auto = _header(headers, "Auto-Submitted").lower()
    return IncomingMessage(
        uid=uid,
        message_id=ids[0] if ids else "",
        from_address=address,
        from_name=name,
        subject=_header(headers, "Subject"),
        date=_moment(headers),
        in_reply_to=message_ids_in(_header(headers, "In-Reply-To")),
        references=message_ids_in(_header(headers, "References")),
        text=first_text(header_bytes, text_bytes),
        auto_submitted=bool(auto) and auto != "no",
    )


# --- the first text of a possibly cut-off body ---------------------------------------------


def first_text(header_bytes: bytes, text_bytes: bytes) -> str:
    """The start of the message's text as plain text: its text/plain part,
    else its text/html part turned to text, decoded from its charset."""
    whole = message_from_bytes(header_bytes.rstrip(b"\r\n") + b"\r\n\r\n" + text_bytes)
    plain = html_part = None
    for part in _leaves(whole):
        kind = part.get_content_type()
        if kind == "text/plain" and plain is None:
            plain = part
        elif kind == "text/html" and html_part is None:
            html_part = part
    if plain is not None:
        return _decoded(plain)
    if html_part is not None:
        return html_to_text(_decoded(html_part))
    return ""


def _leaves(message: Message) -> list[Message]:
    if not message.is_multipart():
        return [message]
    payload = message.get_payload()
    if not isinstance(payload, list):  # a multipart cut before its first boundary
        return []
    leaves: list[Message] = []
    for part in payload:
        if isinstance(part, Message):
            leaves.extend(_leaves(part))
    return leaves


def _decoded(part: Message) -> str:
    encoding = str(part.get("Content-Transfer-Encoding", "")).strip().lower()
    if encoding == "base64":
        # Cut off at 2 KiB: decode whole quanta only (the library would
        # give up on the whole part).
        raw = part.get_payload(decode=False)
        if not isinstance(raw, str):
            return ""
        compact = re.sub(r"[^A-Za-z0-9+/=]", "", raw).encode("ascii")
        compact = compact[: len(compact) - len(compact) % 4]
        try:
            data = base64.b64decode(compact)
        except (binascii.Error, ValueError):
            return ""
    else:
        decoded = part.get_payload(decode=True)  # quoted-printable, 8bit, 7bit: the bytes
        data = decoded if isinstance(decoded, bytes) else b""
    charset = part.get_content_charset() or "us-ascii"
    try:
        return data.decode(charset, errors="replace")
    except LookupError:  # a charset Python does not know
        return data.decode("utf-8", errors="replace")


_DROP = re.compile(r"<(script|style|head)\b.*?(</\1\s*>|$)", re.IGNORECASE | re.DOTALL)
_QUOTE_BLOCK = re.compile(
    r"<blockquote\b.*?(</blockquote\s*>|$)|<div[^>]*(gmail_quote|divRplyFwdMsg)[^>]*>.*$",
    re.IGNORECASE | re.DOTALL,
)
_BREAK = re.compile(r"<(br|/p|/div|/li|/tr|/h\d)\b[^>]*>", re.IGNORECASE)
_TAG = re.compile(r"<[^>]*>?")


def html_to_text(text: str) -> str:
    """Good enough for a snippet: the quoted history (blockquote, Gmail's
    and Outlook's quote blocks) dropped, line breaks kept, tags gone."""
    text = _DROP.sub(" ", text)
    text = _QUOTE_BLOCK.sub("\n", text)
    text = _BREAK.sub("\n", text)
    text = _TAG.sub("", text)
    return html.unescape(text)
