"""Property-based tests (hypothesis) for the importers, templates, email
headers and the search filter. Examples are capped so the suite stays fast."""

from __future__ import annotations

import re
import tempfile
import unicodedata
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from desktop.services.data import csv_io
from desktop.services.data.vcard_import import VCARD_COLUMNS, parse_vcards

FAST = settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
# Any printable text without control characters, as the mentor form allows
# for names (RTL, CJK, emoji, commas, quotes, apostrophes, formula starts).
_NAME_CHARS = st.characters(blacklist_categories=("Cc", "Cs", "Zl", "Zp"))
names = (
    st.text(_NAME_CHARS, min_size=1, max_size=40)
    .map(str.strip)
    .filter(lambda s: s and s == s.strip() and "\x85" not in s)
)
notes = st.text(
    st.characters(blacklist_categories=("Cs",), blacklist_characters="\r\x00"), max_size=200
).map(str.strip)
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")


@FAST
@given(rows=st.lists(st.tuples(names, names, notes), min_size=1, max_size=5))
def test_csv_export_then_import_round_trips(rows):
    header = [label for _, label in csv_io.MENTOR_COLUMNS]
    with tempfile.TemporaryDirectory() as folder:
        target = Path(folder) / "m.csv"
        data = []
        for first, last, note in rows:
            record = dict.fromkeys(header, "")
            record.update(
                {
                    "First name": first,
                    "Last name": last,
                    "Notes": note,
                    "Category": "Other",
                    "Strength": 3,
                }
            )
            data.append([record[h] for h in header])
        csv_io.write_csv(target, header, data)
        table = csv_io.read_csv(target)
    preview = csv_io.build_preview(table, csv_io.guess_mapping(table.headers), set())
    assert [(r.values.first_name, r.values.last_name, r.values.notes) for r in preview.rows] == [
        (first, last, note) for first, last, note in rows
    ]


@FAST
@given(text=st.text(max_size=400))
def test_csv_reader_never_crashes(text):
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "x.csv"
        path.write_text(text, encoding="utf-8", errors="surrogatepass")
        try:
            table = csv_io.read_csv(path)
        except csv_io.ImportFileError as exc:
            assert exc.user_message
            return
    preview = csv_io.build_preview(table, csv_io.guess_mapping(table.headers), set())
    assert len(preview.rows) == len(table.rows)


_VCARD_LINES = st.sampled_from(
    [
        "BEGIN:VCARD",
        "END:VCARD",
        "VERSION:2.1",
        "N:",
        "FN:",
        "EMAIL;TYPE=work:",
        "TEL:",
        "NOTE;ENCODING=QUOTED-PRINTABLE:",
        "ORG:",
        "N;CHARSET=utf-8;ENCODING=QUOTED-PRINTABLE:",
        "TITLE;ENCODING=B:",
        " ",
        "\t",
        "item1.EMAIL:",
        'X;P="a:b":',
    ]
)


@FAST
@given(
    parts=st.lists(st.one_of(_VCARD_LINES, st.text(max_size=30)), max_size=30),
    joiner=st.sampled_from(["\n", "\r\n", "\r", ""]),
)
def test_vcard_parser_never_crashes_or_returns_control_characters(parts, joiner):
    for card in parse_vcards(joiner.join(parts)):
        assert set(card) == {key for key, _ in VCARD_COLUMNS}
        for key, value in card.items():
            text = value.replace("\n", "") if key == "notes" else value
            assert not _CONTROL.search(text), (key, value)


def _is_control(ch: str) -> bool:
    """What may not appear in a header line, by Unicode category (C0 and C1
    controls, DEL) and the two Unicode line/paragraph separators."""
    return unicodedata.category(ch) == "Cc" or ch in "\u2028\u2029"


@FAST
@given(values=st.dictionaries(st.sampled_from(["name", "school", "note"]), st.text(max_size=60)))
def test_template_rendering_with_arbitrary_values(values):
    from desktop.services.mail.templates import TemplateProblem, render

    name, school, note = (values.get(key, "") for key in ("name", "school", "note"))
    context = {"mentor": {"name": name}, "school": school, "note": note}
    subject = f"Letter for {school}".strip()
    # Invalid exactly when the filled-in subject would span several lines.
    if len(subject.splitlines()) > 1:
        with pytest.raises(TemplateProblem) as caught:
            render("Letter for {{ school }}", "Dear {{ mentor.name }},\n{{ note }}\n", context)
        assert caught.value.field == "subject"
        return
    rendered = render("Letter for {{ school }}", "Dear {{ mentor.name }},\n{{ note }}\n", context)
    assert rendered.subject == subject
    assert rendered.body == f"Dear {name},\n{note}\n"


def _without_spaces(text: str) -> str:
    """A display name's characters, spacing aside: how runs of spaces come
    back depends on whether the name went as a quoted string or an encoded
    word, but every other character must arrive, in order."""
    return re.sub(r"\s+", "", text)


@FAST
@given(name=st.text(max_size=60), subject=st.text(max_size=120), to_name=st.text(max_size=40))
def test_email_headers_are_never_injected(name, subject, to_name):
    from email import message_from_bytes
    from email import policy as email_policy

    from desktop.services.mail.message import MessageError, build_message, mail_address

    def build():
        to = mail_address("writer@example.org", to_name)
        return build_message(
            from_name=name,
            from_address="me@example.org",
            to=[to],
            subject=subject,
            body="Hello",
            message_id="<1@example.org>",
        )

    # Invalid exactly when a typed value has a control character or line
    # separator, or the subject is empty once trimmed (lengths stay under
    # the limits here).
    invalid = any(_is_control(ch) for ch in name + subject + to_name) or not subject.strip()
    if invalid:
        with pytest.raises(MessageError) as caught:
            build()
        assert caught.value.user_message
        return
    message = build()
    expected = {
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
    assert set(message.keys()) == expected and len(message.keys()) == len(expected)
    wire = message.as_bytes()
    head = wire.split(b"\r\n\r\n", 1)[0]
    # Folded continuation lines start with whitespace; every other line is a
    # known header: nothing the user typed started a header of its own.
    for line in head.split(b"\r\n"):
        assert line[:1] in (b" ", b"\t") or line.split(b":", 1)[0].decode() in expected
    # What was typed arrives as typed (trimmed), read back from the wire;
    # display names compare without their spacing (see _without_spaces).
    parsed = message_from_bytes(wire, policy=email_policy.default)
    assert parsed["Subject"] == subject.strip()
    assert _without_spaces(parsed["From"].addresses[0].display_name) == _without_spaces(name)
    assert parsed["From"].addresses[0].addr_spec == "me@example.org"
    assert _without_spaces(parsed["To"].addresses[0].display_name) == _without_spaces(to_name)
    assert parsed["To"].addresses[0].addr_spec == "writer@example.org"


@FAST
@given(raw=st.binary(max_size=600))
def test_decoding_any_bytes_never_fails_and_keeps_valid_utf8(raw):
    from desktop.services.data.text_decoding import decode_lines

    decoded = decode_lines(raw)
    decoded.text.encode("utf-8")  # no lone surrogates: every character is real
    if not raw.startswith((b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")):
        try:
            assert decoded.text == raw.decode("utf-8")
        except UnicodeDecodeError:
            assert decoded.encoding in ("UTF-8", "Windows-1252", "Mac Roman")


@FAST
@given(
    parts=st.lists(
        st.one_of(_VCARD_LINES, st.binary(max_size=30).map(bytes.hex), st.binary(max_size=20)),
        max_size=30,
    ),
)
def test_vcard_bytes_never_crash_the_reader(parts):
    raw = b"\r\n".join(p.encode("latin-1") if isinstance(p, str) else p for p in parts)
    for card in parse_vcards(raw):
        for key, value in card.items():
            text = value.replace("\n", "") if key == "notes" else value
            assert not _CONTROL.search(text), (key, value)


@FAST
@given(value=st.text(max_size=40))
def test_the_formula_guard_round_trips_and_leaves_no_formula(value):
    safe = csv_io.spreadsheet_safe(value)
    assert csv_io.undo_spreadsheet_safe(safe) == value
    assert not safe.startswith(("=", "@", "\t", "\r"))
    if safe.startswith(("+", "-")):
        assert re.fullmatch(r"[+-][\d ().\-/]*", safe), safe  # a number, never a formula


@FAST
@given(text=st.text(_NAME_CHARS, max_size=60))
def test_splitting_a_name_loses_no_letter_word(text):
    from desktop.domain.person_names import split_full_name

    name = split_full_name(text)
    kept = " ".join((name.honorific, name.first, name.last, name.credentials)).replace(",", " ")
    for word in kept.split():
        assert word in text
    if any(ch.isalpha() for ch in text) and not name.changed:
        assert name.last  # a name with letters always gives a last name
