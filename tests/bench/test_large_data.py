"""The benchmark's large data generator writes a valid LetterDesk folder
(checked at a small scale so the suite stays fast)."""

from __future__ import annotations

from datetime import date

import pytest
from large_data import Scale, generate_large_data

from desktop.domain.status import NOT_COMING_STATUSES
from desktop.domain.today import next_actions
from desktop.domain.vocabulary import RequestStatus
from desktop.paths import DataPaths
from desktop.store import mentors
from desktop.store.database import open_database
from desktop.store.requests import load_request_rows
from desktop.store.today import load_snapshot

SMALL = Scale(
    mentors=300,
    interactions=3_000,
    experiences=200,
    archived_share=0.1,
    programs=60,
    requests=3_000,
)
TODAY = date(2028, 2, 29)  # a fixed day (a leap day), not the clock


@pytest.fixture(scope="module")
def small_folder(tmp_path_factory):
    paths = DataPaths(tmp_path_factory.mktemp("large"))
    counts = generate_large_data(paths, seed=7, scale=SMALL, today=TODAY)
    db = open_database(paths.database, paths.backups)
    yield counts, db
    db.close()


def rows(db, sql: str) -> list[tuple]:
    return db.execute_sql(sql).fetchall()


def test_generates_a_valid_folder_the_store_can_read(small_folder):
    counts, db = small_folder
    assert counts["mentor"] == 300
    assert counts["interaction"] == 3_000
    assert counts["experience"] == 200
    assert counts["experience_mentor"] >= 200
    assert counts["cycle"] == 3
    assert counts["program"] == 60
    assert counts["letter_request"] == 3_000
    assert counts["status_change"] >= 2 * 3_000  # creation + at least one move, mostly
    assert counts["request_event"] > 0
    assert counts["assignment"] > 0

    assert rows(db, "PRAGMA foreign_key_check") == []
    assert rows(db, "PRAGMA integrity_check") == [("ok",)]
    mentor_rows = mentors.load_mentor_rows()
    assert len(mentor_rows) == 300
    assert any(row.archived for row in mentor_rows)
    assert any(not row.display_name.isascii() for row in mentor_rows)
    assert sum(row.last_contact is not None for row in mentor_rows) > 100


def test_cycles_and_programs(small_folder):
    _counts, db = small_folder
    cycles = rows(db, "SELECT service, max_letters_per_program, archived FROM cycle ORDER BY id")
    assert cycles == [("eras_residency", 4, 0), ("amcas", 10, 0), ("eras_residency", 4, 1)]
    per_cycle = dict(rows(db, "SELECT cycle_id, count(*) FROM program GROUP BY cycle_id"))
    assert per_cycle[1] > per_cycle[2] and per_cycle[1] > per_cycle[3]
    # Requirements fit the service: never more letters than the cap.
    assert rows(
        db,
        "SELECT count(*) FROM program p JOIN cycle c ON c.id = p.cycle_id "
        "WHERE p.letters_required > c.max_letters_per_program "
        "OR p.specialty_letters_required > p.letters_required",
    ) == [(0,)]
    assert rows(db, "SELECT count(*) FROM program WHERE chair_letter_required") != [(0,)]


def test_requests_in_every_status_with_a_consistent_history(small_folder):
    _counts, db = small_folder
    statuses = {status for (status,) in rows(db, "SELECT DISTINCT status FROM letter_request")}
    assert statuses == {s.value for s in RequestStatus}
    # The history starts with the creation and ends in the current status.
    assert rows(
        db,
        "SELECT count(*) FROM letter_request r "
        "WHERE (SELECT from_status IS NULL AND to_status = 'planned' FROM status_change "
        "       WHERE request_id = r.id ORDER BY id LIMIT 1) IS NOT 1 "
        "   OR (SELECT to_status FROM status_change "
        "       WHERE request_id = r.id ORDER BY id DESC LIMIT 1) IS NOT r.status",
    ) == [(0,)]
    # Each change starts where the previous one ended.
    assert rows(
        db,
        "SELECT count(*) FROM status_change a JOIN status_change b "
        "ON b.request_id = a.request_id AND b.id = (SELECT min(id) FROM status_change "
        "WHERE request_id = a.request_id AND id > a.id) WHERE b.from_status != a.to_status",
    ) == [(0,)]
    # Dates agree with the status and nothing happened after "today".
    today = TODAY.isoformat()
    assert rows(
        db,
        "SELECT count(*) FROM letter_request WHERE "
        "(status IN ('asked', 'accepted', 'materials_sent', 'submitted', 'declined') "
        " AND asked_on IS NULL) "
        "OR (status = 'submitted') != (submitted_on IS NOT NULL) "
        "OR (thanked_on IS NOT NULL AND status != 'submitted') "
        f"OR asked_on > '{today}' OR submitted_on > '{today}' OR thanked_on > '{today}'",
    ) == [(0,)]
    assert rows(
        db, f"SELECT count(*) FROM status_change WHERE changed_at > '{today} 23:59:59'"
    ) == [(0,)]
    # ERAS needs the waiver answered before a letter is asked for.
    assert rows(
        db,
        "SELECT count(*) FROM letter_request r JOIN cycle c ON c.id = r.cycle_id "
        "WHERE c.service = 'eras_residency' AND r.status != 'planned' AND r.waiver IS NULL",
    ) == [(0,)]
    # thanked_on is the latest thank-you, as log_event keeps it.
    assert rows(
        db,
        "SELECT count(*) FROM letter_request r WHERE thanked_on IS NOT (SELECT "
        "max(occurred_on) FROM request_event e WHERE e.request_id = r.id AND kind = 'thanked')",
    ) == [(0,)]
    kinds = {kind for (kind,) in rows(db, "SELECT DISTINCT kind FROM request_event")}
    assert kinds == {"reminded", "thanked", "outcome_shared"}


def test_backups_stand_in_for_declined_letters(small_folder):
    _counts, db = small_folder
    backups = rows(
        db,
        "SELECT o.status, o.cycle_id = b.cycle_id, o.mentor_id != b.mentor_id, "
        "o.letter_type = b.letter_type, o.due_on IS b.due_on "
        "FROM letter_request b JOIN letter_request o ON o.id = b.backup_for_id",
    )
    assert backups
    assert all(row == ("declined", 1, 1, 1, 1) for row in backups)
    declined = rows(db, "SELECT count(*) FROM letter_request WHERE status = 'declined'")[0][0]
    assert len(backups) < declined  # some declined letters still need one


def test_assignments_respect_the_cycle_caps(small_folder):
    _counts, db = small_folder
    not_coming = ", ".join(f"'{s.value}'" for s in NOT_COMING_STATUSES)
    per_program = rows(
        db,
        "SELECT c.max_letters_per_program, count(*), "
        f"sum(r.status NOT IN ({not_coming})), sum(p.cycle_id != r.cycle_id) "
        "FROM assignment a JOIN program p ON p.id = a.program_id "
        "JOIN cycle c ON c.id = p.cycle_id JOIN letter_request r ON r.id = a.request_id "
        "GROUP BY p.id",
    )
    assert per_program
    assert all(total <= cap and live <= cap for cap, total, live, _ in per_program)
    assert all(cross == 0 for *_, cross in per_program)
    assert any(total == cap for cap, total, _, _ in per_program)  # some are full


def test_the_store_and_the_today_rules_read_it(small_folder):
    _counts, _db = small_folder
    request_rows = load_request_rows()
    assert len(request_rows) == 3_000
    assert any(row.program_count > 0 for row in request_rows)
    assert any(row.backup_for is not None for row in request_rows)
    snapshot = load_snapshot()
    assert len(snapshot.requests) < 3_000  # the archived cycle is left out
    kinds = {action.kind for action in next_actions(snapshot, TODAY)}
    assert len(kinds) >= 6, kinds


def test_same_seed_same_data_and_refuses_a_folder_with_data(tmp_path):
    first = DataPaths(tmp_path / "a")
    second = DataPaths(tmp_path / "b")
    tiny = Scale(mentors=50, interactions=200, experiences=20, programs=10, requests=200)
    generate_large_data(first, seed=3, scale=tiny, today=TODAY)
    generate_large_data(second, seed=3, scale=tiny, today=TODAY)

    def contents(paths: DataPaths) -> tuple[list[str], list[tuple]]:
        db = open_database(paths.database, paths.backups)
        try:
            names = [row.display_name for row in mentors.load_mentor_rows()]
            return names, rows(db, "SELECT * FROM letter_request ORDER BY id")
        finally:
            db.close()

    assert contents(first) == contents(second)
    with pytest.raises(FileExistsError):
        generate_large_data(first, seed=3, scale=tiny, today=TODAY)
