"""Prints, for every file here, how many rows the importer reads and adds
with its guessed column mapping, and how many expected fields arrive right:

    source | rows in | rows imported | fields right

Run from a checkout root, so that checkout's code is measured:

    .venv/bin/python tests/data/imports/measure.py
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path.cwd()))

from desktop.services.data import csv_io, vcard_import

HERE = Path(__file__).parent


def measure(name: str, spec: dict) -> tuple[int, int, int, int]:
    """(rows in, rows imported, fields right, fields expected)."""
    path = HERE / name
    expected = spec["rows"]
    wanted = sum(len(row) for row in expected)
    try:
        read = vcard_import.read_vcards if path.suffix == ".vcf" else csv_io.read_csv
        table = read(path)
        preview = csv_io.build_preview(table, csv_io.guess_mapping(table.headers), set())
    except Exception as exc:  # the old code may raise; that is a measurement
        print(f"  {name}: {type(exc).__name__}: {exc}", file=sys.stderr)
        return len(expected), 0, 0, wanted
    added = right = 0
    for index, row in enumerate(preview.rows):
        if row.status != csv_io.RowStatus.ADD or row.values is None:
            continue
        added += 1
        if index >= len(expected):
            continue
        for field, value in expected[index].items():
            got = (
                getattr(row, "archived", False)
                if field == "archived"
                else getattr(row.values, field)
            )
            right += got == value
    return len(expected), added, right, wanted


def main() -> None:
    specs = json.loads((HERE / "expected.json").read_text("utf-8"))
    print("| source | file | rows in | rows imported | fields right |")
    print("|---|---|---|---|---|")
    totals = [0, 0, 0, 0]
    for name, spec in specs.items():
        rows_in, added, right, wanted = measure(name, spec)
        for i, v in enumerate((rows_in, added, right, wanted)):
            totals[i] += v
        print(f"| {spec['source']} | {name} | {rows_in} | {added} | {right}/{wanted} |")
    print(f"| **all** | | {totals[0]} | {totals[1]} | {totals[2]}/{totals[3]} |")


if __name__ == "__main__":
    main()
