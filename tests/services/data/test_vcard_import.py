"""vCard 2.1, 3.0 and 4.0 as address books write them."""

from __future__ import annotations

import pytest

from desktop.services.data.csv_io import ImportFileError, RowStatus, build_preview, guess_mapping
from desktop.services.data.vcard_import import parse_vcards, read_vcards

V21 = (
    "BEGIN:VCARD\r\n"
    "VERSION:2.1\r\n"
    "N;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:M=C3=BCller;J=C3=BCrgen;;Dr.;MD\r\n"
    "FN:Dr. J\u00fcrgen M\u00fcller\r\n"
    "TEL;WORK;VOICE:+49 30 1234\r\n"
    "EMAIL;PREF;INTERNET:jm@example.de\r\n"
    "ORG:Charit\u00e9;Cardiology\r\n"
    "NOTE;ENCODING=QUOTED-PRINTABLE:First line=0D=0A=\r\n"
    "second line\r\n"
    "END:VCARD\r\n"
)
V30 = (
    "BEGIN:VCARD\nVERSION:3.0\n"
    "N:O'Neil;Siobhan;;Prof.;PhD,FRCP\n"
    "FN:Prof. Siobhan O'Neil\n"
    "item1.EMAIL;TYPE=INTERNET:home@example.org\n"
    "EMAIL;TYPE=INTERNET,WORK:so\n"
    " neil@example.org\n"
    "TITLE:Chair\\, Department of Surgery\n"
    "ORG:Trinity College\\; Dublin\n"
    "NOTE:Met at grand rounds\\nLikes short emails\n"
    "END:VCARD\n"
)
V40 = (
    "BEGIN:VCARD\nVERSION:4.0\n"
    "FN:\u674e \u534e\n"
    'EMAIL;PREF=1;TYPE="work,voice":li@example.cn\n'
    "TEL;VALUE=uri:tel:+86-10-1234\n"
    "END:VCARD\n"
)


def test_vcard_21_quoted_printable_charset_and_bare_types():
    [card] = parse_vcards(V21)
    assert (card["last_name"], card["first_name"]) == ("Müller", "Jürgen")
    assert (card["honorific"], card["credentials"]) == ("Dr.", "MD")
    assert card["email"] == "jm@example.de" and card["phone"] == "+49 30 1234"
    assert (card["institution"], card["department"]) == ("Charité", "Cardiology")
    assert card["notes"] == "First line\nsecond line"


def test_vcard_30_folding_escapes_groups_and_preference():
    [card] = parse_vcards(V30)
    assert card["last_name"] == "O'Neil" and card["credentials"] == "PhD, FRCP"
    assert card["email"] == "soneil@example.org"  # WORK preferred, folded line joined
    assert card["title"] == "Chair, Department of Surgery"
    assert card["institution"] == "Trinity College; Dublin"
    assert card["notes"] == "Met at grand rounds\nLikes short emails"


def test_vcard_40_full_name_only_and_uri_values():
    [card] = parse_vcards(V40)
    assert (card["first_name"], card["last_name"]) == ("李", "华")
    assert card["email"] == "li@example.cn" and card["phone"] == "+86-10-1234"


def test_several_cards_and_a_truncated_last_one(tmp_path):
    path = tmp_path / "contacts.vcf"
    path.write_text(V21 + V30 + "BEGIN:VCARD\nVERSION:3.0\nN:Cut;Off\nEMAIL:cut@exa")
    table = read_vcards(path)
    assert len(table.rows) == 3 and "3 cards" in table.description
    preview = build_preview(table, guess_mapping(table.headers), {"jm@example.de"})
    assert [r.status for r in preview.rows] == [RowStatus.DUPLICATE, RowStatus.ADD, RowStatus.ERROR]


def test_control_characters_never_reach_single_line_fields():
    [card] = parse_vcards("BEGIN:VCARD\nN:Ev\x07il\\nName;A\x1bB\nEMAIL:x\x00@y.org\nEND:VCARD")
    assert card["last_name"] == "Ev il Name" and card["first_name"] == "A B"


@pytest.mark.parametrize(
    "content",
    [b"", b"hello, this is not a vcard", b"\xff\xfe\x00garbage", b"END:VCARD\nBEGIN:VCARD\n"],
)
def test_files_without_cards_are_refused_with_a_sentence(tmp_path, content):
    path = tmp_path / "x.vcf"
    path.write_bytes(content)
    with pytest.raises(ImportFileError) as caught:
        read_vcards(path)
    assert caught.value.user_message


def test_windows_1252_vcard(tmp_path):
    path = tmp_path / "w.vcf"
    path.write_bytes("BEGIN:VCARD\nN:Pe\u00f1a;Jos\u00e9\nEND:VCARD\n".encode("cp1252"))
    assert read_vcards(path).rows[0][1:3] == ["José", "Peña"]


def test_broken_base64_and_unknown_charset_do_not_crash():
    cards = parse_vcards(
        "BEGIN:VCARD\nN;ENCODING=B:!!!notbase64\n"
        "NOTE;ENCODING=QUOTED-PRINTABLE;CHARSET=klingon:=E2=82=AC\nEND:VCARD\n"
    )
    assert cards[0]["notes"] == "€"


# --- names, phones and charsets as phones and old address books write them ----------


def _one(text: str | bytes) -> dict[str, str]:
    [card] = parse_vcards(text)
    return card


def test_a_given_name_only_card_is_not_doubled():
    card = _one("BEGIN:VCARD\nVERSION:3.0\nN:;Maria;;;\nFN:Maria\nEND:VCARD\n")
    assert (card["first_name"], card["last_name"]) == ("", "Maria")


@pytest.mark.parametrize(
    ("fn", "honorific", "first", "last", "credentials"),
    [
        ("Smith\\, Jane", "", "Jane", "Smith", ""),
        ("Dr. Jane Smith\\, MD", "Dr.", "Jane", "Smith", "MD"),
        ("Prof. Dr. Hans-Peter Vogel MD PhD", "Prof. Dr.", "Hans-Peter", "Vogel", "MD, PhD"),
        ("Ludwig van Beethoven", "", "Ludwig", "van Beethoven", ""),
    ],
)
def test_a_full_name_only_card_uses_the_csv_name_rules(fn, honorific, first, last, credentials):
    card = _one(f"BEGIN:VCARD\nVERSION:3.0\nFN:{fn}\nEND:VCARD\n")
    assert (card["honorific"], card["first_name"], card["last_name"], card["credentials"]) == (
        honorific,
        first,
        last,
        credentials,
    )


def test_a_full_name_adds_the_honorific_and_credentials_n_left_out():
    card = _one("BEGIN:VCARD\nN:Smith;Jane;;;\nFN:Dr. Jane Smith\\, MD\nEND:VCARD\n")
    assert (card["honorific"], card["credentials"]) == ("Dr.", "MD")
    other = _one("BEGIN:VCARD\nN:Smith;Jane;;;\nFN:Dr. John Doe\\, MD\nEND:VCARD\n")
    assert (other["honorific"], other["credentials"]) == ("", "")  # not the same person


def test_a_whatsapp_style_name_keeps_the_name_and_notes_the_card():
    card = _one("BEGIN:VCARD\nVERSION:3.0\nN:;zzMad Perla 45;;;\nFN:zzMad Perla 45\nEND:VCARD\n")
    assert (card["first_name"], card["last_name"]) == ("Mad", "Perla")
    assert "zzMad Perla 45" in card["notes"]  # nothing the card said is lost


@pytest.mark.parametrize(
    ("tels", "chosen"),
    [
        (["TEL;TYPE=WORK,FAX:1", "TEL;TYPE=CELL:2"], "2"),
        (["TEL;WORK;FAX:1", "TEL;HOME;VOICE:3", "TEL;WORK;VOICE:2"], "2"),
        (["TEL;TYPE=HOME:3", "TEL;TYPE=WORK:2", "TEL;TYPE=CELL:1"], "1"),
        (["TEL;TYPE=FAX,PREF:9", "TEL;TYPE=HOME:3"], "3"),
        (["TEL;TYPE=PAGER:8"], ""),
        (["TEL:5", "TEL;TYPE=HOME:3"], "3"),
        (["TEL;TYPE=WORK:2", "TEL;TYPE=WORK,PREF:4"], "4"),
    ],
)
def test_the_phone_is_a_voice_number_mobile_then_work_then_home(tels, chosen):
    card = _one("BEGIN:VCARD\nVERSION:3.0\nN:X;Y\n" + "\n".join(tels) + "\nEND:VCARD\n")
    assert card["phone"] == chosen


@pytest.mark.parametrize(
    "charset", ["utf-8\x00", "\x00", "windows-1252\x00junk", "base64", "rot13", "idna", "zlib"]
)
def test_any_charset_name_never_raises(charset):
    card = _one(
        f"BEGIN:VCARD\nN;CHARSET={charset};ENCODING=QUOTED-PRINTABLE:M=C3=BCller;Ana\n"
        f"NOTE;CHARSET={charset}:caf\u00e9\nEND:VCARD\n"
    )
    assert card["last_name"] == "Müller" and card["notes"] == "café"


def test_8bit_vcard_21_uses_the_charset_another_property_names():
    greek = "Παπαδοπούλου;Ελένη".encode("cp1253")
    russian = "Иванова".encode("cp1251")
    raw = (
        b"BEGIN:VCARD\r\nVERSION:2.1\r\nN;CHARSET=WINDOWS-1253:" + greek + b"\r\n"
        b"ORG:" + "ΕΚΠΑ".encode("cp1253") + b"\r\nEND:VCARD\r\n"
        b"BEGIN:VCARD\r\nVERSION:2.1\r\nN:" + russian + b";\r\n"
        b"ADR;HOME;CHARSET=windows-1251:;;" + "Тверская".encode("cp1251") + b"\r\n"
        b"END:VCARD\r\n"
    )
    first, second = parse_vcards(raw)
    assert (first["last_name"], first["first_name"]) == ("Παπαδοπούλου", "Ελένη")
    assert first["institution"] == "ΕΚΠΑ"
    assert second["last_name"] == "Иванова"


def test_a_fold_through_a_utf8_character_spoils_nothing(tmp_path):
    note = "Très généreuse — a relu ma lettre.".encode()
    cut = note.index("è".encode()) + 1  # between the two bytes of "è"
    raw = (
        b"BEGIN:VCARD\r\nVERSION:3.0\r\nN:M\xc3\xbcller;J\xc3\xbcrgen\r\n"
        b"NOTE:" + note[:cut] + b"\r\n " + note[cut:] + b"\r\nEND:VCARD\r\n"
        b"BEGIN:VCARD\r\nVERSION:3.0\r\nN:Pe\xc3\xb1a;Jos\xc3\xa9\r\nEND:VCARD\r\n"
    )
    path = tmp_path / "cut.vcf"
    path.write_bytes(raw)
    table = read_vcards(path)
    assert table.rows[0][2] == "Müller" and table.rows[0][-1] == note.decode()
    assert table.rows[1][1:3] == ["José", "Peña"]
    assert not table.warnings


def test_one_card_in_another_encoding_spoils_only_itself(tmp_path):
    raw = (
        "BEGIN:VCARD\nN:Müller;Jürgen\nEND:VCARD\n".encode()
        + "BEGIN:VCARD\nN:Peña;José\nEND:VCARD\n".encode("cp1252")
    )
    path = tmp_path / "mixed.vcf"
    path.write_bytes(raw)
    rows = read_vcards(path).rows
    assert rows[0][1:3] == ["Jürgen", "Müller"] and rows[1][1:3] == ["José", "Peña"]


def test_unreadable_values_are_reported_by_card(tmp_path):
    # A Windows-1252 file (its words say so) with bytes Windows-1252 leaves
    # undefined in one card: that card is named, the others read normally.
    path = tmp_path / "bad.vcf"
    path.write_bytes(
        "BEGIN:VCARD\nN:Müller;Jürgen\nNOTE:Grüße aus München\nEND:VCARD\n".encode("cp1252")
        + b"BEGIN:VCARD\nN:Ok\nNOTE:A\x81\x8d b\nEND:VCARD\n"
    )
    table = read_vcards(path)
    assert table.rows[0][1:3] == ["Jürgen", "Müller"]
    assert table.rows[1][-1] == "A\ufffd\ufffd b"
    [warning] = table.warnings
    assert "line 5" in warning


def _big_vcard(megabytes: float) -> bytes:
    """A card with a photo of ``megabytes`` folded at 75 bytes (as phones
    write them), and a small card after it."""
    photo = b"QUJD" * int(megabytes * 1_000_000 / 4)
    folded = b"\r\n ".join(photo[i : i + 74] for i in range(0, len(photo), 74))
    note = b"x" * int(megabytes * 250_000)
    folded_note = b"\r\n ".join(note[i : i + 74] for i in range(0, len(note), 74))
    return (
        b"BEGIN:VCARD\r\nVERSION:3.0\r\nN:Big;Photo\r\nPHOTO;ENCODING=b;TYPE=JPEG:"
        + folded
        + b"\r\nNOTE:"
        + folded_note
        + b"\r\nEND:VCARD\r\nBEGIN:VCARD\r\nVERSION:3.0\r\nN:After;Card\r\nEND:VCARD\r\n"
    )


def test_large_vcards_are_read_in_linear_time(tmp_path):
    import time

    timings = {}
    for megabytes in (1, 4):
        path = tmp_path / f"{megabytes}.vcf"
        path.write_bytes(_big_vcard(megabytes))
        start = time.perf_counter()
        table = read_vcards(path)
        timings[megabytes] = time.perf_counter() - start
        assert [row[2] for row in table.rows] == ["Big", "After"]
        assert len(table.rows[0][-1]) == int(megabytes * 250_000)
    # Four times the bytes, about four times the time (quadratic would be 16):
    # generous for two shared cores, and an absolute bound besides.
    assert timings[4] < 8 * max(timings[1], 0.05), timings
    assert timings[4] < 10, timings


def test_more_cards_than_an_import_takes_are_refused_like_csv_rows(tmp_path):
    """The CSV reader stops at MAX_IMPORT_ROWS; a vCard of as many cards
    went on into a preview of every one of them."""
    from desktop.services.data.import_table import MAX_IMPORT_ROWS

    path = tmp_path / "everyone.vcf"
    path.write_bytes(b"BEGIN:VCARD\r\nFN:Jane Doe\r\nEND:VCARD\r\n" * (MAX_IMPORT_ROWS + 1))
    with pytest.raises(ImportFileError) as caught:
        read_vcards(path)
    assert f"more than {MAX_IMPORT_ROWS:,} contacts" in caught.value.user_message
    path.write_bytes(b"BEGIN:VCARD\r\nFN:Jane Doe\r\nEND:VCARD\r\n" * MAX_IMPORT_ROWS)
    assert len(read_vcards(path).rows) == MAX_IMPORT_ROWS
