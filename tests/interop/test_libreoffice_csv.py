"""The CSV export opened in a real LibreOffice Calc (headless): the
formula guard must stop every formula and show nothing where there was
nothing to stop (a phone number keeps no visible apostrophe).

LibreOffice is asked to evaluate formulas while importing, as Excel always
does, so a cell that could run is seen running; a control file without the
guard shows that this reading does find formulas when there are some.
"""

from __future__ import annotations

import shutil
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from desktop.services.data import csv_io
from desktop.store.mentors import MentorFields, save_mentor

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
NS = {
    "table": "urn:oasis:names:tc:opendocument:xmlns:table:1.0",
    "text": "urn:oasis:names:tc:opendocument:xmlns:text:1.0",
    "office": "urn:oasis:names:tc:opendocument:xmlns:office:1.0",
}
# Comma, double quote, UTF-8 (76), from line 1, …, token 13: evaluate formulas.
CSV_IMPORT = "CSV:44,34,76,1,,0,false,true,false,false,false,-1,true"


def _open_in_calc(csv_path: Path, tmp_path: Path) -> list[list[tuple[str, str | None]]]:
    """Each row's cells as (shown text, formula or None), as Calc reads them."""
    assert SOFFICE, "make test-interop installs libreoffice-calc-nogui"
    out = tmp_path / "calc"
    subprocess.run(
        [
            SOFFICE,
            "--headless",
            f"-env:UserInstallation=file://{tmp_path / 'lo-profile'}",
            f"--infilter={CSV_IMPORT}",
            "--convert-to",
            "fods",
            "--outdir",
            str(out),
            str(csv_path),
        ],
        check=True,
        capture_output=True,
        timeout=120,
    )
    root = ET.parse(out / f"{csv_path.stem}.fods").getroot()
    rows = []
    for row in root.iter(f"{{{NS['table']}}}table-row"):
        cells = []
        for cell in row.findall("table:table-cell", NS):
            repeat = int(cell.get(f"{{{NS['table']}}}number-columns-repeated", "1"))
            text = "\n".join("".join(p.itertext()) for p in cell.findall("text:p", NS))
            formula = cell.get(f"{{{NS['table']}}}formula")
            cells += [(text, formula)] * min(repeat, 50)
        rows.append(cells)
    return rows


def test_the_reader_sees_formulas_in_an_unguarded_file(tmp_path):
    control = tmp_path / "control.csv"
    control.write_bytes(b"\xef\xbb\xbfName\r\n=1+2\r\n")
    rows = _open_in_calc(control, tmp_path)
    assert rows[1][0] == ("3", "of:=1+2")


def test_the_export_runs_nothing_and_shows_phone_numbers_as_typed(db, tmp_path):
    hostile = ["=cmd|' /C calc'!A0", '=HYPERLINK("http://x.example")', "@SUM(1+1)", "-2+3"]
    phones = ["+1 555 0100", "+44 (0)20 7946 0958", "-1 555 0100", "+1-555-0100"]
    for name, phone in zip(hostile, phones, strict=True):
        save_mentor(MentorFields(last_name=name, first_name="Eve", category="other", phone=phone))
    save_mentor(MentorFields(last_name="Müller-Lüdenscheidt", category="other"))
    target = tmp_path / "mentors.csv"
    csv_io.export_mentors(target)

    rows = _open_in_calc(target, tmp_path)
    header = [text for text, _ in rows[0]]
    last, phone = header.index("Last name"), header.index("Phone")
    data = [row for row in rows[1:] if any(text for text, _ in row)]
    assert all(formula is None for row in rows for _, formula in row), "a cell was evaluated"
    shown_phones = sorted(row[phone][0] for row in data if row[phone][0])
    assert shown_phones == sorted(phones)  # no apostrophe in front of any
    shown_names = {row[last][0] for row in data}
    # The guarded cells are text; their apostrophe is the price of safety.
    assert {f"'{name}" for name in hostile} <= shown_names
    assert "Müller-Lüdenscheidt" in shown_names  # read as UTF-8 (the BOM)


@pytest.mark.parametrize("value", ["+1 555 0100", "+49 30 450 5000", "-1 555 0100"])
def test_a_phone_number_cell_is_text_or_the_number_never_a_formula(tmp_path, value):
    path = tmp_path / "one.csv"
    csv_io.write_csv(path, ["Phone"], [[value]])
    rows = _open_in_calc(path, tmp_path)
    assert rows[1][0] == (value, None)
