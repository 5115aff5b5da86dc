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
