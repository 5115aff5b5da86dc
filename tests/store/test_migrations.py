"""Schema formats: real old files upgrade with their data, the migrations
produce exactly the models' schema, and upgrades back up first and roll back
on failure."""

from __future__ import annotations

import hashlib
import re
import shutil
import sqlite3
from datetime import date, datetime
from pathlib import Path

import peewee as pw
import pytest

from desktop.domain.coverage import CoverageState
from desktop.domain.thresholds import AdviceThresholds
from desktop.store import migrations
from desktop.store.database import open_database, schema_version
from desktop.store.errors import MigrationError
from desktop.store.experiences import load_experience_rows
from desktop.store.mentors import MentorFields, get_mentor, load_mentor_rows, save_mentor
from desktop.store.models import (
    ALL_MODELS,
    Cycle,
    Interaction,
    LetterRequest,
    Mentor,
    Profile,
    Program,
)
from desktop.store.programs import coverage_for_programs
from desktop.store.template_context import context_for_request

DATA = Path(__file__).parent.parent / "data"
FIXTURES = sorted(DATA.glob("letterdesk-format-*.sqlite3"))


def _format_of(fixture: Path) -> int:
    match = re.fullmatch(r"letterdesk-format-(\d+)\.sqlite3", fixture.name)
    assert match, fixture
    return int(match.group(1))


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _read_only(path: Path) -> sqlite3.Connection:
    return sqlite3.connect(f"{path.resolve().as_uri()}?immutable=1", uri=True)


def _copy(fixture: Path, folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / "letterdesk.sqlite3"
    shutil.copyfile(fixture, target)
    return target


# --- real files of released formats ------------------------------------------


def test_there_is_a_fixture_for_every_earlier_format():
    formats = {_format_of(f) for f in FIXTURES}
    assert 1 in formats
    # Numbers may have gaps (each branch of work takes its own number).
    assert {step.version for step in migrations.STEPS[:-1]} <= formats


@pytest.mark.parametrize("fixture", FIXTURES, ids=lambda p: p.name)
def test_fixture_is_what_its_name_says(fixture):
    conn = _read_only(fixture)
    try:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == _format_of(fixture)
        assert conn.execute("PRAGMA application_id").fetchone()[0] == migrations.APPLICATION_ID
    finally:
        conn.close()
    assert not Path(f"{fixture}-wal").exists(), "check the fixture in as one file"


@pytest.mark.parametrize("fixture", FIXTURES, ids=lambda p: p.name)
def test_a_copy_of_each_fixture_upgrades_to_the_latest_format(fixture, tmp_path):
    before = _sha256(fixture)
    path = _copy(fixture, tmp_path)
    db = open_database(path, tmp_path / "backups")
    try:
        assert schema_version(db) == migrations.LATEST_VERSION
        assert db.execute_sql("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert db.execute_sql("PRAGMA foreign_key_check").fetchall() == []
        assert Mentor.select().count() > 0
    finally:
        db.close()
    assert _sha256(fixture) == before
    if _format_of(fixture) < migrations.LATEST_VERSION:
        assert list((tmp_path / "backups").iterdir()), "upgrading must back up first"


def test_format_1_data_survives_the_upgrade(tmp_path):
    path = _copy(DATA / "letterdesk-format-1.sqlite3", tmp_path)
    db = open_database(path, tmp_path / "backups")
    try:
        rows = {row.display_name: row for row in load_mentor_rows()}
        assert set(rows) == {
            "Dr. Amara Okafor, MD",
            "Dr. 秀英 王, MD, PhD",
            "Layla Haddad",
            "Renée Lefèvre-Dubois",
            "Sørensen",
        }
        okafor = rows["Dr. Amara Okafor, MD"]
        assert okafor.last_contact == date(2025, 7, 20)
        assert okafor.letter_count == 1
        assert rows["Sørensen"].archived
        assert Mentor.get(Mentor.last_name == "王").notes == "Prefers “Dr. Wang”."
        assert Mentor.get(Mentor.last_name == "Haddad").notes == "«عمل ممتاز مع المرضى»"
        assert Mentor.get(Mentor.last_name == "Okafor").is_department_chair
        assert Interaction.select().count() == 4
        assert Interaction.get(Interaction.kind == "accomplishment").summary == (
            "Abstract accepted (摘要)."
        )
        experiences = {row.title: row for row in load_experience_rows()}
        sub_i = experiences["Internal medicine sub-internship"]
        assert (sub_i.start_date, sub_i.end_date) == (date(2025, 7, 1), date(2025, 7, 28))
        assert sub_i.mentor_names == "Dr. Amara Okafor, MD; Dr. 秀英 王, MD, PhD"
        assert experiences["Heart failure outcomes"].end_date is None
        request = LetterRequest.get()
        assert (request.letter_id, request.waiver, request.due_on) == (
            "L-0001",
            True,
            date(2025, 9, 1),
        )
        assert Profile.get().full_name == "Maya Chen-Álvarez"
    finally:
        db.close()


# --- format 2: status_since on the request -------------------------------------


def _add_requests_with_history(path: Path) -> dict[str, int]:
    """Format-1 rows written as format-1 code wrote them (raw SQL on the copy:
    the committed fixture holds one request and no history)."""
    conn = sqlite3.connect(path)
    ids = {}
    try:
        with conn:

            def request(name: str, status: str, created_at: str) -> int:
                cursor = conn.execute(
                    "INSERT INTO letter_request (mentor_id, cycle_id, letter_type, specialty, "
                    "status, notes, created_at, updated_at) "
                    "VALUES (2, 1, 'narrative', 'Général', ?, ?, ?, ?)",
                    (status, f"note «{name}»", created_at, created_at),
                )
                ids[name] = int(cursor.lastrowid or 0)
                return ids[name]

            def change(rid: int, at: str, from_status: str | None, to_status: str) -> None:
                conn.execute(
                    "INSERT INTO status_change (request_id, changed_at, from_status, to_status, "
                    "note) VALUES (?, ?, ?, ?, '')",
                    (rid, at, from_status, to_status),
                )

            planned = request("planned", "planned", "2025-06-10 09:00:00.123456")
            change(planned, "2025-06-10 09:00:00.123456", None, "planned")
            # Accepted, moved back to asked by mistake, accepted again (dated
            # earlier than the first acceptance): the latest change recorded
            # counts, as format 1 read it.
            reopened = request("reopened", "accepted", "2025-06-11 10:00:00")
            change(reopened, "2025-06-11 10:00:00", None, "planned")
            change(reopened, "2025-07-01 12:00:00", "planned", "asked")
            change(reopened, "2025-07-09 12:00:00", "asked", "accepted")
            change(reopened, "2025-07-10 12:00:00", "accepted", "asked")
            change(reopened, "2025-07-08 12:30:00", "asked", "accepted")
            # History that never reaches the current status: counts from creation.
            partial = request("partial", "submitted", "2025-06-12 23:59:59.999999")
            change(partial, "2025-06-12 23:59:59.999999", None, "planned")
    finally:
        conn.close()
    return ids


def test_format_2_stores_when_each_request_entered_its_status(tmp_path):
    fixture = DATA / "letterdesk-format-1.sqlite3"
    before = _sha256(fixture)
    path = _copy(fixture, tmp_path)
    ids = _add_requests_with_history(path)
    old_version, old_dump = _contents(path)
    assert old_version == 1
    old_requests = _read_only(path).execute("SELECT * FROM letter_request ORDER BY id").fetchall()

    db = open_database(path, tmp_path / "backups")
    try:
        assert schema_version(db) == migrations.LATEST_VERSION
        assert db.execute_sql("PRAGMA integrity_check").fetchone()[0] == "ok"
        since = dict(db.execute_sql("SELECT id, status_since FROM letter_request"))
        # The fixture's own request has no history: it counts from creation.
        fixture_request = LetterRequest.get(LetterRequest.letter_id == "L-0001")
        assert fixture_request.status_since == fixture_request.created_at.date()
        assert since[ids["planned"]] == "2025-06-10"
        assert since[ids["reopened"]] == "2025-07-08"
        assert since[ids["partial"]] == "2025-06-12"
        assert LetterRequest.get_by_id(ids["reopened"]).status_since == date(2025, 7, 8)
        # Every other column of every request is as it was, in the same order.
        rows = db.execute_sql("SELECT * FROM letter_request ORDER BY id").fetchall()
        assert [row[:-1] for row in rows] == old_requests
        assert db.execute_sql("SELECT count(*) FROM status_change").fetchone()[0] == 7
    finally:
        db.close()

    (backup,) = (tmp_path / "backups").iterdir()
    assert f"before-format-{migrations.LATEST_VERSION}" in backup.name
    assert _contents(backup) == (old_version, old_dump)
    assert _sha256(fixture) == before


def test_format_3_gives_caps_their_service_scope(tmp_path):
    """A real format-2 file made for this step (tests/data/README.md): AMCAS
    had 14 different letters across two schools under a per-school cap, ERAS
    a cap of 6 the store accepted."""
    fixture = DATA / "services-format-2.sqlite3"
    before = _sha256(fixture)
    path = _copy(fixture, tmp_path)
    old_version, old_dump = _contents(path)
    assert old_version == 2
    old_assignments = _read_only(path).execute("SELECT * FROM assignment ORDER BY id").fetchall()

    db = open_database(path, tmp_path / "backups")
    try:
        assert schema_version(db) == migrations.LATEST_VERSION
        cycles = {c.service: (c.cap_scope, c.max_letters_per_program) for c in Cycle.select()}
        assert cycles == {
            "eras_residency": ("per_program", 4),
            "amcas": ("per_application", 10),
            "other": ("per_program", 2),
        }
        # Every assignment is kept, none marked as sent: format 2 never asked.
        rows = db.execute_sql("SELECT * FROM assignment ORDER BY id").fetchall()
        assert [row[:-1] for row in rows] == old_assignments
        assert {row[-1] for row in rows} == {0}
        # What the upgrade uncovers, coverage now says.
        coverage = coverage_for_programs(date(2026, 8, 1), AdviceThresholds())
        programs = {p.name: p.id for p in Program.select()}
        north = coverage[programs["Northbridge School of Medicine"]]
        assert north.state is CoverageState.AT_RISK
        assert any("14 different letters" in reason for reason in north.reasons)
        wards = coverage[programs["Lakeshore Internal Medicine"]]
        assert any("5 letters assigned" in reason for reason in wards.reasons)
    finally:
        db.close()
    (backup,) = (tmp_path / "backups").iterdir()
    assert _contents(backup) == (old_version, old_dump)
    assert _sha256(fixture) == before


def test_format_4_adds_an_empty_greeting_and_keeps_every_mentor(tmp_path):
    fixture = DATA / "letterdesk-format-2.sqlite3"
    path = _copy(fixture, tmp_path)
    old = _read_only(path)
    assert old.execute("PRAGMA user_version").fetchone()[0] == 2
    old_mentors = old.execute("SELECT * FROM mentor ORDER BY id").fetchall()
    old.close()

    db = open_database(path, tmp_path / "backups")
    try:
        assert schema_version(db) == migrations.LATEST_VERSION
        columns = [c[1] for c in db.execute_sql("PRAGMA table_info(mentor)").fetchall()]
        assert columns[-1] == "greeting"
        rows = db.execute_sql("SELECT * FROM mentor ORDER BY id").fetchall()
        # Every mentor is there with every old value; the greeting is NULL (inferred).
        assert [row[:-1] for row in rows] == old_mentors
        assert {row[-1] for row in rows} == {None}
        okafor = Mentor.get(Mentor.last_name == "Okafor")
        assert get_mentor(okafor.id).greeting == ""
        request = LetterRequest.get(LetterRequest.letter_id == "L-0001")
        context = context_for_request(request.id, date(2025, 8, 1))
        assert context["greeting"] == "Dear Dr. Okafor"
        wang = Mentor.get(Mentor.last_name == "王")
        save_mentor(MentorFields(**{**MentorFields.of(get_mentor(wang.id)).__dict__,
                                    "greeting": "Dear Dr. Wang,"}), wang.id)  # fmt: skip
        assert Mentor.get_by_id(wang.id).greeting == "Dear Dr. Wang"  # stored without comma
    finally:
        db.close()
    (backup,) = (tmp_path / "backups").iterdir()
    assert f"before-format-{migrations.LATEST_VERSION}" in backup.name


def test_moves_keep_status_since_with_the_history(db):
    from desktop.store.profile import CycleFields, ProfileFields, save_profile_and_first_cycle
    from desktop.store.requests import RequestFields, create_request, move_status

    save_profile_and_first_cycle(
        ProfileFields("Ana Núñez", "ana@example.org", "Lakeshore", 2027, "Surgery"),
        CycleFields("eras_residency", "ERAS 2027", 4, None, None, None, None),
    )
    mentor = save_mentor(MentorFields(last_name="Okafor", category="other"))
    today = date(2026, 9, 1)
    rid = create_request(RequestFields(mentor, 1, waiver=True))
    created = LetterRequest.get_by_id(rid)
    assert created.status_since == created.created_at.date()
    move_status(rid, "asked", on=date(2026, 8, 1), today=today)
    move_status(rid, "accepted", on=date(2026, 8, 20), today=today)
    move_status(rid, "asked", on=date(2026, 8, 21), today=today, note="not yet")
    move_status(rid, "accepted", on=date(2026, 8, 19), today=today)
    assert LetterRequest.get_by_id(rid).status_since == date(2026, 8, 19)
    # What format 1 derived from the history, the request now holds.
    derived = db.execute_sql(
        "SELECT substr(changed_at, 1, 10) FROM status_change WHERE request_id = ? "
        "AND to_status = 'accepted' ORDER BY id DESC LIMIT 1",
        (rid,),
    ).fetchone()[0]
    assert derived == "2026-08-19"


# --- the migrations build exactly the models' schema -------------------------


def _checks(create_sql: str) -> list[str]:
    """The CHECK (...) clauses of a CREATE TABLE, parentheses balanced."""
    found = []
    for match in re.finditer(r"CHECK\s*\(", create_sql, re.IGNORECASE):
        depth, start = 1, match.end()
        for pos in range(start, len(create_sql)):
            depth += {"(": 1, ")": -1}.get(create_sql[pos], 0)
            if depth == 0:
                found.append(" ".join(create_sql[start:pos].split()))
                break
    return sorted(found)


def _schema(db: pw.Database) -> dict[str, dict[str, object]]:
    schema: dict[str, dict[str, object]] = {}
    tables = db.execute_sql(
        "SELECT name, sql FROM sqlite_master WHERE type = 'table' "
        "AND name NOT LIKE 'sqlite_%' ORDER BY name"
    ).fetchall()
    for table, create_sql in tables:
        columns = [
            # name, declared type, NOT NULL, default, primary key position
            (r[1], r[2].upper(), r[3], r[4], r[5])
            for r in db.execute_sql(f'PRAGMA table_info("{table}")')
        ]
        indexes = sorted(
            (
                r[1],
                r[2],  # unique
                tuple(c[2] for c in db.execute_sql(f'PRAGMA index_info("{r[1]}")')),
            )
            for r in db.execute_sql(f'PRAGMA index_list("{table}")')
        )
        foreign_keys = sorted(
            (r[2], r[3], r[4], r[5], r[6])  # table, from, to, on update, on delete
            for r in db.execute_sql(f'PRAGMA foreign_key_list("{table}")')
        )
        schema[table] = {
            "columns": columns,
            "indexes": indexes,
            "foreign_keys": foreign_keys,
            "checks": _checks(create_sql),
        }
    return schema


def test_migrations_build_the_schema_the_models_describe(db):
    """Fails when a model changes without a migration (or the reverse)."""
    reference = pw.SqliteDatabase(":memory:")
    with reference.bind_ctx(ALL_MODELS):
        reference.create_tables(ALL_MODELS)
    expected = _schema(reference)
    actual = _schema(db)
    assert sorted(actual) == sorted(expected), "tables differ"
    for table in expected:
        assert actual[table] == expected[table], f"table {table!r} differs"


def test_the_drift_check_sees_a_model_change(db):
    """The comparison above must be able to fail: an extra column is seen."""
    before = _schema(db)
    db.execute_sql("ALTER TABLE mentor ADD COLUMN pronouns VARCHAR(255) NOT NULL DEFAULT ''")
    db.execute_sql('CREATE INDEX "mentor_pronouns" ON "mentor" ("pronouns")')
    after = _schema(db)
    assert after["mentor"]["columns"] != before["mentor"]["columns"]
    assert after["mentor"]["indexes"] != before["mentor"]["indexes"]


# --- upgrading: backup first, all or nothing -----------------------------------


def _make_current_file(folder: Path) -> Path:
    path = folder / "letterdesk.sqlite3"
    db = open_database(path, folder / "backups")
    save_mentor(MentorFields(last_name="Okafor", first_name="Amara", category="other"))
    save_mentor(MentorFields(last_name="王", first_name="秀英", category="research_advisor"))
    db.close()
    return path


def _contents(path: Path) -> tuple[int, list[str]]:
    conn = _read_only(path)
    try:
        return conn.execute("PRAGMA user_version").fetchone()[0], list(conn.iterdump())
    finally:
        conn.close()


def _add_step(monkeypatch, apply) -> int:
    version = migrations.LATEST_VERSION + 1
    step = migrations.Step(version, "test step", apply)
    monkeypatch.setattr(migrations, "STEPS", (*migrations.STEPS, step))
    monkeypatch.setattr(migrations, "LATEST_VERSION", version)
    return version


def test_a_pending_migration_backs_up_the_file_first(tmp_path, monkeypatch):
    path = _make_current_file(tmp_path)
    old_version, old_dump = _contents(path)
    backups = tmp_path / "backups"
    backups_seen_by_step: list[Path] = []

    def apply(db: pw.Database) -> None:
        backups_seen_by_step.extend(backups.iterdir())
        db.execute_sql("ALTER TABLE mentor ADD COLUMN pronouns TEXT NOT NULL DEFAULT ''")

    new_version = _add_step(monkeypatch, apply)
    db = open_database(path, backups)
    try:
        assert schema_version(db) == new_version
        assert [m.last_name for m in Mentor.select().order_by(Mentor.id)] == ["Okafor", "王"]
    finally:
        db.close()

    assert len(backups_seen_by_step) == 1, "the backup must exist before the step runs"
    backup = backups_seen_by_step[0]
    assert f"before-format-{new_version}" in backup.name
    assert backup.stat().st_mode & 0o777 == 0o600
    assert _contents(backup) == (old_version, old_dump)


def test_a_new_file_needs_no_backup(tmp_path):
    open_database(tmp_path / "letterdesk.sqlite3", tmp_path / "backups").close()
    assert not (tmp_path / "backups").exists() or not list((tmp_path / "backups").iterdir())


def test_a_failing_migration_leaves_the_file_as_it_was(tmp_path, monkeypatch):
    path = _make_current_file(tmp_path)
    before = _contents(path)

    def apply(db: pw.Database) -> None:
        db.execute_sql("ALTER TABLE mentor ADD COLUMN pronouns TEXT NOT NULL DEFAULT ''")
        db.execute_sql("UPDATE mentor SET last_name = 'changed'")
        db.execute_sql("INSERT INTO no_such_table VALUES (1)")  # fails half-way

    new_version = _add_step(monkeypatch, apply)
    with pytest.raises(MigrationError) as caught:
        open_database(path, tmp_path / "backups")

    assert _contents(path) == before  # version, schema and rows
    message = caught.value.user_message
    assert f"format {new_version} failed" in message
    assert "no_such_table" in message
    backup = next((tmp_path / "backups").iterdir())
    assert str(backup) in message
    # And the untouched file still opens with the code that understands it.
    monkeypatch.undo()
    db = open_database(path, tmp_path / "backups")
    try:
        assert [m.last_name for m in Mentor.select().order_by(Mentor.id)] == ["Okafor", "王"]
    finally:
        db.close()


# --- format 7: the replies noticed in the inbox ---------------------------------------


@pytest.mark.parametrize("name", ["letterdesk-format-2.sqlite3", "letterdesk-format-4.sqlite3"])
def test_format_7_adds_empty_reply_tables_and_keeps_the_data(tmp_path, name):
    from desktop.domain.replies import NewReply
    from desktop.store import replies

    path = _copy(DATA / name, tmp_path)
    old = _read_only(path)
    old_requests = old.execute("SELECT * FROM letter_request ORDER BY id").fetchall()
    old_mentors = old.execute("SELECT id, last_name, email FROM mentor ORDER BY id").fetchall()
    old.close()

    db = open_database(path, tmp_path / "backups")
    try:
        assert schema_version(db) == migrations.LATEST_VERSION
        assert db.execute_sql("SELECT count(*) FROM reply").fetchone()[0] == 0
        assert db.execute_sql("SELECT count(*) FROM imap_state").fetchone()[0] == 0
        requests = db.execute_sql("SELECT * FROM letter_request ORDER BY id").fetchall()
        assert [row[: len(old_requests[0])] for row in requests] == old_requests
        mentors = db.execute_sql("SELECT id, last_name, email FROM mentor ORDER BY id").fetchall()
        assert mentors == old_mentors
        # The upgraded file takes a reply on its old request and mentor.
        request = LetterRequest.get(LetterRequest.letter_id == "L-0001")
        okafor = Mentor.get(Mentor.last_name == "Okafor")
        kept = replies.save_replies(
            [
                NewReply(
                    "<r1@lakeshore-med.example>",
                    okafor.email,
                    "Amara Okafor",
                    "Re: Letter",
                    "Gern — schicken Sie mir Ihren Lebenslauf.",
                    datetime(2025, 8, 1, 9, 30),
                    "sender",
                    request.id,
                    okafor.id,
                    None,
                )
            ]
        )
        assert len(kept) == 1
        assert replies.latest_for_request(request.id).snippet.startswith("Gern")
        replies.save_state("imap:x@y:993", 1700000000, 42)
        assert replies.load_state("imap:x@y:993") == (1700000000, 42)
    finally:
        db.close()
