"""The writer's summary PDF for a demo request: a real PDF with pages, and
(where poppler's pdftotext is installed) the letter ID, a program, a
highlight and names in several scripts in its text."""

from __future__ import annotations

import re
import shutil
import subprocess
from datetime import date

import pytest

from desktop.services.demo import fill_demo_data
from desktop.store.models import LetterRequest, Profile
from desktop.ui.mail.writer_summary import (
    summary_file_name,
    write_writer_summary,
    writer_summary_html,
)

TODAY = date(2026, 8, 3)


@pytest.fixture
def demo_request(qapp, db) -> int:
    fill_demo_data(TODAY)
    # Accents, CJK and Arabic in the applicant's name: all must print.
    Profile.update(full_name="Maya Chen-Álvarez 陈美雅 مايا").execute()
    request = LetterRequest.select().where(LetterRequest.letter_id == "ERAS-40125").get()
    return int(request.id)


def test_the_summary_is_a_pdf_with_the_letter_id_programs_and_highlights(demo_request, tmp_path):
    target = tmp_path / "out" / summary_file_name(demo_request)
    written = write_writer_summary(demo_request, target, goals="Cardiology fellowship later.")

    assert written == target and target.name == "Writer summary - 王.pdf"
    data = target.read_bytes()
    assert data.startswith(b"%PDF-")
    assert b"%%EOF" in data[-64:]
    pages = re.findall(rb"/Type\s*/Page[^s]", data)
    assert len(pages) >= 1
    assert [p.name for p in target.parent.iterdir()] == [target.name]  # no temp file left

    if shutil.which("pdftotext") is None:
        pytest.skip(
            "pdftotext (Debian package poppler-utils) is not installed: the PDF is "
            "valid, but its text cannot be read back here"
        )
    text = subprocess.run(
        ["pdftotext", "-layout", str(target), "-"], capture_output=True, check=True, text=True
    ).stdout
    assert "ERAS-40125" in text
    assert "Riverside Community Internal Medicine" in text
    assert "Abstract accepted as a poster" in text  # marked "mention in my letter"
    assert "AAMC Letter Writer Portal" in text
    assert "Waived" in text and "Cardiology fellowship later." in text
    assert "Chen-Álvarez" in text and "陈美雅" in text
    # pdftotext writes Arabic in presentation forms; compare its letters.
    import unicodedata

    assert "مايا" in unicodedata.normalize("NFKC", text)


def test_user_text_is_escaped_and_empty_parts_are_explained(demo_request):
    request = LetterRequest.get_by_id(demo_request)
    LetterRequest.update(letter_id=None, waiver=None).where(
        LetterRequest.id == request.id
    ).execute()
    Profile.update(full_name="<b>Maya</b> & co").execute()
    html = writer_summary_html(demo_request, goals="<script>x</script>", today=TODAY)
    assert "&lt;b&gt;Maya&lt;/b&gt; &amp; co" in html and "<b>Maya</b>" not in html
    assert "&lt;script&gt;" in html and "<script>" not in html
    assert "I will send the ERAS Letter ID as soon as I have it." in html
    assert "Not answered yet." in html
    assert "Prepared by" in html and "August 3, 2026" in html


def test_where_we_worked_together_lists_only_past_and_current_work(qapp, db):
    # 1 December: the demo's medical ICU sub-internship with Dr. Martínez-Núñez
    # starts on 13 December, the internal medicine one is under way.
    today = date(2026, 12, 1)
    fill_demo_data(today)
    chair = LetterRequest.get(LetterRequest.letter_id == "ERAS-40117")
    html = writer_summary_html(int(chair.id), today=today)
    worked = html.split("Where we worked together", 1)[1]
    assert "Internal medicine sub-internship" in worked
    assert "Medical ICU sub-internship" not in html


def test_the_summary_names_the_services_portal_and_the_letter_type(qapp, db):
    fill_demo_data(TODAY)
    eras = LetterRequest.get(LetterRequest.letter_id == "ERAS-40125")
    html = writer_summary_html(int(eras.id), today=TODAY)
    assert "AAMC Letter Writer Portal" in html and "LoRP" not in html
    assert "secure link" in html  # how an ERAS writer gets the request
    sloe = LetterRequest.get(LetterRequest.letter_type == "em_sloe")
    html = writer_summary_html(int(sloe.id), today=TODAY)
    assert "Liaison Letters" in html and "esloe.cordem.org" in html
    assert "EM SLOE" in html and "ResidencyCAS Letter ID" in html
