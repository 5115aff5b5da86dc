"""Fixes found sending through a real Postfix (issue 10), and the homograph
warning (issue 13, point 9). Each test failed before its fix."""

from __future__ import annotations

import email
import email.policy
from pathlib import Path

import pytest

from desktop.domain.mail_domains import ascii_domain, homograph_warning
from desktop.services.mail.account import SmtpAccount, sender_domain
from desktop.services.mail.message import (
    MailAttachment,
    MessageError,
    build_message,
    new_message_id,
    parse_address_list,
)
from desktop.services.mail.recipients import homograph_warnings, split_recipients
from desktop.store.outbox import EmailFields


def _build(**changes):
    values = dict(
        from_name="Maya Roth",
        from_address="maya@universität.example",
        to=["amara@hospital.org"],
        subject="Letter request",
        body="Dear Dr. Okafor,\n",
        message_id=new_message_id("example.org"),
    )
    values.update(changes)
    return build_message(**values)


def _account(address: str) -> SmtpAccount:
    return SmtpAccount("Maya", address, "smtp.example.org", 587, "starttls", address)


# --- one IDNA helper ------------------------------------------------------------------


def test_the_idna_helper_encodes_once_and_refuses_what_is_no_domain() -> None:
    assert ascii_domain("universität.example") == "xn--universitt-y5a.example"
    assert ascii_domain("Example.ORG") == "example.org"
    assert ascii_domain("xn--universitt-y5a.example") == "xn--universitt-y5a.example"
    # IDNA 2008, not the standard library's IDNA 2003 codec ("faß" stays a ß).
    assert ascii_domain("faß.de") == "xn--fa-hia.de"
    with pytest.raises(ValueError):
        ascii_domain("bad domain.org")
    with pytest.raises(ValueError):
        ascii_domain("")


def test_a_non_ascii_sender_domain_gives_an_ascii_message_id_at_queue_time() -> None:
    # The Outbox fixes the Message-ID from sender_domain() when queueing.
    domain = sender_domain(_account("maya@universität.example"))
    assert domain == "xn--universitt-y5a.example"


def test_the_outbox_message_id_is_ascii_whatever_domain_it_is_given(db) -> None:
    from desktop.store import outbox

    email_id = outbox.create_draft(EmailFields("amara@hospital.org", "Hello", "Hi"))
    message_id = outbox.queue(email_id, domain="universität.example")
    assert message_id.isascii()
    assert message_id.endswith("@xn--universitt-y5a.example>")
    _build(message_id=message_id)  # and it is a Message-ID the builder takes


def test_the_envelope_and_headers_carry_the_ascii_domain() -> None:
    message = _build(to=parse_address_list("Jürgen <j@klinik-münchen.de>"))
    raw = message.as_bytes()
    assert raw.isascii()
    assert b"maya@xn--universitt-y5a.example" in raw
    assert f"j@{ascii_domain('klinik-münchen.de')}".encode() in raw


# --- recipients pasted from Outlook ---------------------------------------------------


def test_a_quoted_name_with_a_comma_is_one_recipient() -> None:
    parsed = parse_address_list('"Okafor, Amara" <amara@hospital.org>, lee@c.org')
    assert [(a.display_name, a.addr_spec) for a in parsed] == [
        ("Okafor, Amara", "amara@hospital.org"),
        ("", "lee@c.org"),
    ]


def test_an_unquoted_last_first_name_is_joined_to_its_address() -> None:
    # Outlook's "Last, First <address>"; the piece before the comma has no @.
    parsed = parse_address_list("Okafor, Amara <amara@hospital.org>; Lee <lee@c.org>")
    assert [(a.display_name, a.addr_spec) for a in parsed] == [
        ("Okafor, Amara", "amara@hospital.org"),
        ("Lee", "lee@c.org"),
    ]


def test_splitting_keeps_quotes_escapes_and_angle_brackets_whole() -> None:
    assert split_recipients('"A \\"B, C\\"" <a@b.org>;<x,y@z.org>, , d@e.org') == [
        '"A \\"B, C\\"" <a@b.org>',
        "<x,y@z.org>",
        "d@e.org",
    ]


def test_a_stray_word_is_still_refused() -> None:
    with pytest.raises(MessageError):
        parse_address_list("Okafor")


def test_the_quoted_name_goes_out_quoted() -> None:
    message = _build(to=parse_address_list('"Okafor, Amara" <amara@hospital.org>'))
    assert b'To: "Okafor, Amara" <amara@hospital.org>' in message.as_bytes()


# --- text attachments declare their charset -------------------------------------------


@pytest.mark.parametrize(
    ("data", "charset"),
    [
        ("Grüße aus Köln\n".encode(), "utf-8"),
        (b"plain ASCII notes\n", "us-ascii"),
        ("Grüße aus Köln – “quoted”\n".encode("cp1252"), "windows-1252"),
        ("\ufeffGrüße\n".encode("utf-16"), "utf-16"),
    ],
)
def test_a_text_attachment_declares_the_charset_it_is_in(
    tmp_path: Path, data: bytes, charset: str
) -> None:
    path = tmp_path / "notes.txt"
    path.write_bytes(data)
    message = _build(attachments=[MailAttachment(path)])
    parsed = email.message_from_bytes(message.as_bytes(), policy=email.policy.default)
    part = next(p for p in parsed.iter_attachments())
    assert part.get_content_type() == "text/plain"
    assert part.get_param("charset") == charset
    assert part.get_payload(decode=True) == data  # the bytes exactly as the file has them


def test_a_pdf_attachment_gets_no_charset(tmp_path: Path) -> None:
    path = tmp_path / "cv.pdf"
    path.write_bytes(b"%PDF-1.4\n")
    part = next(_build(attachments=[MailAttachment(path)]).iter_attachments())
    assert part.get_param("charset") is None


# --- long ASCII subjects --------------------------------------------------------------


@pytest.mark.parametrize(
    "subject",
    [
        "Request for a letter of recommendation: Internal Medicine residency 2027 ERAS",
        "Letter of recommendation for the 2027 cycle " * 4,
        "Letter-of-recommendation-request-for-the-2027-ERAS-cycle-Internal-Medicine",
    ],
)
def test_a_long_ascii_subject_starts_on_the_subject_line(subject: str) -> None:
    raw = _build(subject=subject).as_bytes()
    header = raw.split(b"\r\nSubject:", 1)[1].split(b"\r\nDate:", 1)[0]
    first_line = header.split(b"\r\n", 1)[0]
    assert first_line.strip(), f"empty first line: {header!r}"
    assert all(len(line) <= 998 for line in raw.split(b"\r\n"))
    parsed = email.message_from_bytes(raw, policy=email.policy.default)
    assert parsed["Subject"] == subject.strip()


def test_folded_subject_lines_stay_within_78_where_there_are_spaces() -> None:
    subject = "Letter of recommendation for the 2027 cycle " * 4
    raw = _build(subject=subject).as_bytes()
    header = b"Subject:" + raw.split(b"\r\nSubject:", 1)[1].split(b"\r\nDate:", 1)[0]
    assert all(len(line) <= 78 for line in header.split(b"\r\n"))


# --- IDN homographs -------------------------------------------------------------------


def test_a_mixed_script_domain_is_named_as_it_reads_and_as_sent() -> None:
    fake = "hospitаl.org"  # the "а" is Cyrillic
    warning = homograph_warning(fake)
    assert warning is not None
    assert fake in warning
    assert ascii_domain(fake) in warning and ascii_domain(fake).startswith("xn--")
    assert "Cyrillic" in warning


def test_an_all_lookalike_cyrillic_label_is_flagged_too() -> None:
    assert homograph_warning("аррӏе.com") is not None  # every letter Cyrillic


@pytest.mark.parametrize(
    "domain", ["hospital.org", "universität.example", "bücher.de", "пример.рф", "例え.jp"]
)
def test_honest_international_domains_are_not_flagged(domain: str) -> None:
    assert homograph_warning(domain) is None


def test_the_warnings_name_each_recipient_domain_once() -> None:
    warnings = homograph_warnings("a@hospitаl.org, b@hospitаl.org", "c@clean.org")
    assert len(warnings) == 1
    assert "xn--" in warnings[0]
