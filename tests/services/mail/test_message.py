"""Building messages: well-formed, encoded, attachments typed, and header
injection impossible whatever the input."""

from __future__ import annotations

import email
import email.policy
import random
import re
from email.utils import parsedate_to_datetime
from pathlib import Path

import pytest

from desktop.services.mail.message import (
    MailAttachment,
    MessageError,
    build_message,
    html_from_plain,
    new_message_id,
    parse_address_list,
)
from desktop.services.mail.smtp import close_quietly, open_connection, send_message

from .smtp_server import PASSWORD, SmtpTestServer

MID = "<1234.5678@example.org>"
EXPECTED_HEADERS = {
    "From",
    "To",
    "Subject",
    "Date",
    "Message-ID",
    "User-Agent",
    "MIME-Version",
    "Content-Type",
    "Content-Transfer-Encoding",
}


def _message(**changes):
    values = dict(
        from_name="Zoë Ångström",
        from_address="zoe@example.org",
        to=["okafor@hospital.org"],
        subject="Letter of recommendation",
        body="Dear Dr. Okafor,\n\nThank you.\n",
        message_id=MID,
    )
    values.update(changes)
    return build_message(**values)


def _text(message, kind: str = "plain") -> str:
    """A body part's text with the wire's CRLF line ends read as newlines."""
    return message.get_body((kind,)).get_content().replace("\r\n", "\n")


def _parse(raw: bytes):
    return email.message_from_bytes(raw, policy=email.policy.default)


def test_a_plain_message_has_every_header_and_round_trips():
    message = _message(cc=parse_address_list("Dr. Lee <lee@hospital.org>"))
    raw = message.as_bytes()
    assert raw.isascii(), "7-bit clean: no server needs SMTPUTF8 or 8BITMIME"
    assert b"\r\n" in raw and b"\n" not in raw.replace(b"\r\n", b"")
    parsed = _parse(raw)
    assert parsed["Message-ID"] == MID
    assert parsed["From"].addresses[0].display_name == "Zoë Ångström"
    assert parsed["From"].addresses[0].addr_spec == "zoe@example.org"
    assert [a.addr_spec for a in parsed["To"].addresses] == ["okafor@hospital.org"]
    assert parsed["Cc"].addresses[0].display_name == "Dr. Lee"
    assert parsedate_to_datetime(parsed["Date"]).tzinfo is not None
    assert _text(parsed, "plain") == "Dear Dr. Okafor,\n\nThank you.\n"


def test_non_ascii_names_and_subjects_use_rfc2047_and_the_body_utf8():
    subject = "Empfehlungsschreiben — merci beaucoup, Dr. Müller 🙏"
    body = "Liebe Frau Müller,\n\nça m'a beaucoup aidé. 谢谢!\n"
    message = _message(
        from_name="Zoë Ångström",
        to=parse_address_list('"Dr. Jürgen Müller" <mueller@klinik.de>'),
        subject=subject,
        body=body,
    )
    raw = message.as_bytes()
    headers = raw.split(b"\r\n\r\n", 1)[0].decode("ascii")
    assert re.search(r"^From: =\?utf-8\?[bq]\?", headers, re.M | re.I)
    assert re.search(r"^To: =\?utf-8\?[bq]\?", headers, re.M | re.I)
    assert re.search(r"^Subject: .*=\?utf-8\?[bq]\?", headers, re.M | re.I)
    parsed = _parse(raw)
    assert parsed["Subject"] == subject
    assert parsed["To"].addresses[0].display_name == "Dr. Jürgen Müller"
    assert parsed.get_body(("plain",)).get_content_charset() == "utf-8"
    assert _text(parsed) == body


def test_an_html_alternative_escapes_the_text():
    body = "Hello <Dr. Who> & co\n\nSecond paragraph"
    parsed = _parse(_message(body=body, html_body=html_from_plain(body)).as_bytes())
    html = _text(parsed, "html")
    assert "&lt;Dr. Who&gt; &amp; co" in html and "<p>Second paragraph</p>" in html
    assert _text(parsed, "plain").rstrip("\n") == body


@pytest.mark.parametrize(
    ("filename", "mime_type"),
    [
        ("CV.pdf", "application/pdf"),
        ("photo.png", "image/png"),
        ("photo.JPG", "image/jpeg"),
        (
            "statement.docx",
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ),
        ("notes.txt", "text/plain"),
        ("archive.tar.gz", "application/octet-stream"),
        ("no-extension", "application/octet-stream"),
        ("Lebenslauf Jürgen – 2026.pdf", "application/pdf"),
    ],
)
def test_attachments_carry_their_mime_type_name_and_bytes(tmp_path, filename, mime_type):
    data = bytes(range(256)) * 4
    path = tmp_path / "stored-file"
    path.write_bytes(data)
    parsed = _parse(_message(attachments=[MailAttachment(path, filename)]).as_bytes())
    (part,) = list(parsed.iter_attachments())
    assert part.get_content_type() == mime_type
    assert part.get_filename() == filename
    assert part.get_payload(decode=True) == data


def test_a_missing_attachment_is_refused_with_its_name(tmp_path):
    with pytest.raises(MessageError, match=r"CV\.pdf is no longer at"):
        _message(attachments=[MailAttachment(tmp_path / "gone.pdf", "CV.pdf")])


def test_addresses_are_parsed_validated_and_deduplicated():
    found = parse_address_list("a@b.org; Dr. Lee <lee@c.org>, A@b.org,, ")
    assert [(a.display_name, a.addr_spec) for a in found] == [
        ("", "a@b.org"),
        ("Dr. Lee", "lee@c.org"),
    ]
    with pytest.raises(MessageError, match="To: 'not an address'"):
        parse_address_list("not an address")
    assert parse_address_list("x@bücher.de")[0].domain == "xn--bcher-kva.de"
    with pytest.raises(MessageError, match="non-Latin letters"):
        parse_address_list("jürgen@klinik.de")


def test_message_ids_are_unique_and_well_formed():
    ids = {new_message_id("example.org") for _ in range(200)}
    assert len(ids) == 200
    assert all(re.fullmatch(r"<[^<>@\s]+@example\.org>", i) for i in ids)
    assert new_message_id("bücher.de").endswith("@xn--bcher-kva.de>")
    with pytest.raises(MessageError):
        new_message_id("example.org\r\nBcc: x@evil.org")


# --- header injection ---------------------------------------------------------------

BREAKS = ["\n", "\r", "\r\n", "\x00", "\x0b", "\x0c", "\x1b", "\x7f", "\x85", "\u2028", "\u2029"]
INJECTED = "Bcc: spy@evil.example"


@pytest.mark.parametrize("brk", BREAKS, ids=[repr(b) for b in BREAKS])
@pytest.mark.parametrize("where", ["from_name", "from_address", "subject", "to", "to_name", "cc"])
def test_a_line_break_or_control_character_in_any_header_value_is_refused(where, brk):
    evil = f"x{brk}{INJECTED}"
    build = {
        "from_name": lambda: _message(from_name=evil),
        "from_address": lambda: _message(from_address=f"zoe@example.org{brk}{INJECTED}"),
        "subject": lambda: _message(subject=evil),
        "to": lambda: _message(to=[f"okafor@hospital.org{brk}{INJECTED}"]),
        "to_name": lambda: parse_address_list(f"Dr. Okafor{brk}{INJECTED} <okafor@hospital.org>"),
        "cc": lambda: _message(cc=[f"lee@hospital.org{brk}{INJECTED}"]),
    }[where]
    with pytest.raises(MessageError, match="line breaks or control characters"):
        build()


@pytest.mark.parametrize("brk", BREAKS, ids=[repr(b) for b in BREAKS])
def test_a_control_character_in_an_attachment_name_is_refused(tmp_path, brk):
    path = tmp_path / "f"
    path.write_bytes(b"x")
    with pytest.raises(MessageError, match="line breaks or control characters"):
        _message(attachments=[MailAttachment(path, f"cv.pdf{brk}{INJECTED}")])


def _headers(raw: bytes) -> list[str]:
    return [name.lower() for name in _parse(raw)]


def test_no_input_whatever_adds_a_header_or_a_recipient():
    """Random text, with and without control characters, in every field:
    either refused, or the message has exactly the expected headers and
    recipients (a header-looking text stays inside its own header)."""
    rng = random.Random(20260421)
    alphabet = [*"abcXYZ <>@,;:\"'\\=?.-_ ", "Bcc:", "To:", "é", "😀", "=?utf-8?q?"]

    def text(n: int) -> str:
        return "".join(
            rng.choice(BREAKS) if rng.random() < 0.01 else rng.choice(alphabet)
            for _ in range(rng.randint(0, n))
        )

    built = refused = 0
    for _ in range(1000):
        try:
            message = _message(
                from_name=text(20),
                subject="S " + text(40),
                to=parse_address_list(f"{text(10)} <okafor@hospital.org>"),
                cc=parse_address_list(rng.choice(["", "lee@hospital.org", text(10)])),
            )
        except MessageError:
            refused += 1
            continue
        built += 1
        raw = message.as_bytes()
        names = set(_headers(raw))
        assert names <= {n.lower() for n in EXPECTED_HEADERS} | {"cc"}
        assert "bcc" not in names
        parsed = _parse(raw)
        recipients = {a.addr_spec for f in ("To", "Cc") if parsed[f] for a in parsed[f].addresses}
        assert recipients <= {"okafor@hospital.org", "lee@hospital.org"}
    assert built > 100 and refused > 100


def test_a_header_looking_subject_stays_the_subject():
    subject = "Re: hi Bcc: spy@evil.example To: x@y.z"
    parsed = _parse(_message(subject=subject).as_bytes())
    assert parsed["Subject"] == subject
    assert parsed["Bcc"] is None


# --- through a real server ------------------------------------------------------------


def test_a_delivered_message_parses_with_headers_encoding_and_attachments(
    smtp_server: SmtpTestServer, account, tmp_path: Path
):
    pdf = tmp_path / "cv-v3.pdf"
    pdf.write_bytes(b"%PDF-1.7\n" + bytes(range(256)))
    message = _message(
        from_name="Zoë Ångström",
        from_address=account.address,
        to=parse_address_list("Dr. Jürgen Müller <mueller@klinik.de>"),
        cc=parse_address_list("lee@hospital.org"),
        subject="Empfehlungsschreiben — danke",
        body="Grüße aus München\n",
        html_body=html_from_plain("Grüße aus München"),
        attachments=[MailAttachment(pdf, "Lebenslauf Zoë.pdf")],
        message_id=new_message_id("example.org"),
    )
    conn = open_connection(account, PASSWORD, timeout=10)
    try:
        assert send_message(conn, message, account, PASSWORD) == {}
    finally:
        close_quietly(conn)
    (got,) = smtp_server.delivered
    assert got.mail_from == account.address
    assert set(got.rcpt_tos) == {"mueller@klinik.de", "lee@hospital.org"}
    parsed = got.message
    assert parsed["Message-ID"] == message["Message-ID"]
    assert parsed["Subject"] == "Empfehlungsschreiben — danke"
    assert parsed["From"].addresses[0].display_name == "Zoë Ångström"
    assert _text(parsed, "plain") == "Grüße aus München\n"
    assert "München" in _text(parsed, "html")
    (part,) = list(parsed.iter_attachments())
    assert part.get_content_type() == "application/pdf"
    assert part.get_filename() == "Lebenslauf Zoë.pdf"
    assert part.get_payload(decode=True) == pdf.read_bytes()
