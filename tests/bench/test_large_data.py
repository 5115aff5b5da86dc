"""The benchmark's large data generator writes a valid LetterDesk folder
(checked at a small scale so the suite stays fast)."""

from __future__ import annotations

import pytest
from large_data import Scale, generate_large_data

from desktop.paths import DataPaths
from desktop.store import mentors
from desktop.store.database import open_database

SMALL = Scale(mentors=300, interactions=3_000, experiences=200, archived_share=0.1)


def test_generates_a_valid_folder_the_store_can_read(tmp_path):
    paths = DataPaths(tmp_path / "large")
    counts = generate_large_data(paths, seed=7, scale=SMALL)
    assert counts["mentor"] == 300
    assert counts["interaction"] == 3_000
    assert counts["experience"] == 200
    assert counts["experience_mentor"] >= 200

    db = open_database(paths.database, paths.backups)
    try:
        assert db.execute_sql("PRAGMA foreign_key_check").fetchall() == []
        assert db.execute_sql("PRAGMA integrity_check").fetchone()[0] == "ok"
        rows = mentors.load_mentor_rows(db)
    finally:
        db.close()
    assert len(rows) == 300
    assert any(row.archived for row in rows)
    assert any(not row.display_name.isascii() for row in rows)
    assert sum(row.last_contact is not None for row in rows) > 100


def test_same_seed_same_data_and_refuses_a_folder_with_data(tmp_path):
    first = DataPaths(tmp_path / "a")
    second = DataPaths(tmp_path / "b")
    generate_large_data(first, seed=3, scale=SMALL)
    generate_large_data(second, seed=3, scale=SMALL)

    def names(paths: DataPaths) -> list[str]:
        db = open_database(paths.database, paths.backups)
        try:
            return [row.display_name for row in mentors.load_mentor_rows(db)]
        finally:
            db.close()

    assert names(first) == names(second)
    with pytest.raises(FileExistsError):
        generate_large_data(first, seed=3, scale=SMALL)
