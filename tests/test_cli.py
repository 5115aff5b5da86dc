"""The command line, run as a user runs it: a separate process."""

from __future__ import annotations

import hashlib
import os
import sqlite3
import subprocess
import sys

from desktop import __version__
from desktop.store.migrations import APPLICATION_ID, LATEST_VERSION


def run_app(*args: str, env_extra: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", **(env_extra or {})}
    return subprocess.run(
        [sys.executable, "-m", "desktop", *args],
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
        check=False,
    )


def test_version():
    result = run_app("--version")
    assert result.returncode == 0
    assert result.stdout.strip() == f"LetterDesk {__version__}"


def test_self_test_on_a_fresh_folder_reports_and_exits_zero(tmp_path):
    result = run_app("--self-test", "--data-dir", str(tmp_path / "fresh"))
    assert result.returncode == 0, result.stdout + result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == f"LetterDesk {__version__} self-test"
    assert f"format {LATEST_VERSION} (created)" in result.stdout
    assert any(line.strip().startswith("keyring: ") for line in lines)
    assert "main window: shown" in result.stdout
    assert "  mail: xn--universitt-y5a.example, SRV and MX records, PKCE, " in result.stdout
    assert lines[-1] == "OK"
    assert (tmp_path / "fresh" / "letterdesk.sqlite3").stat().st_mode & 0o777 == 0o600


def test_self_test_refuses_a_database_from_a_newer_version_untouched(tmp_path):
    folder = tmp_path / "newer"
    folder.mkdir()
    database = folder / "letterdesk.sqlite3"
    conn = sqlite3.connect(database)
    conn.execute("CREATE TABLE mentor (id INTEGER PRIMARY KEY)")
    conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
    conn.execute(f"PRAGMA user_version = {LATEST_VERSION + 1}")
    conn.commit()
    conn.close()
    before = hashlib.sha256(database.read_bytes()).hexdigest()

    result = run_app("--self-test", "--data-dir", str(folder))

    assert result.returncode == 1
    assert "newer version of LetterDesk" in result.stdout
    assert result.stdout.splitlines()[-1].startswith("FAILED")
    assert hashlib.sha256(database.read_bytes()).hexdigest() == before
    assert not (folder / "letterdesk.sqlite3-wal").exists()


def test_demo_fills_an_empty_folder_and_opens_it(tmp_path):
    folder = tmp_path / "demo"
    result = run_app(
        "--demo", "--data-dir", str(folder), env_extra={"LETTERDESK_EXIT_AFTER_FIRST_PAINT": "1"}
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("first-paint ")  # the main window was shown
    conn = sqlite3.connect(folder / "letterdesk.sqlite3")
    mentors = conn.execute("SELECT count(*) FROM mentor").fetchone()[0]
    categories = conn.execute("SELECT count(DISTINCT category) FROM mentor").fetchone()[0]
    interactions = conn.execute("SELECT count(*) FROM interaction").fetchone()[0]
    conn.close()
    assert 6 <= mentors <= 12 and categories == 5 and interactions >= 24


def test_demo_refuses_a_folder_that_has_data(tmp_path):
    folder = tmp_path / "used"
    assert run_app("--self-test", "--data-dir", str(folder)).returncode == 0
    before = hashlib.sha256((folder / "letterdesk.sqlite3").read_bytes()).hexdigest()
    result = run_app(
        "--demo", "--data-dir", str(folder), env_extra={"LETTERDESK_EXIT_AFTER_FIRST_PAINT": "1"}
    )
    assert result.returncode == 2
    assert "already" in result.stderr and str(folder) in result.stderr
    assert hashlib.sha256((folder / "letterdesk.sqlite3").read_bytes()).hexdigest() == before


def test_data_dir_comes_from_the_environment(tmp_path):
    folder = tmp_path / "from-env"
    result = run_app("--self-test", env_extra={"LETTERDESK_DATA_DIR": str(folder)})
    assert result.returncode == 0
    assert f"data folder: {folder}" in result.stdout
    assert (folder / "letterdesk.sqlite3").exists()
    assert (folder / "logs").is_dir()


def test_app_module_does_not_import_slow_libraries_at_start():
    code = (
        "import sys, desktop.app, desktop.ui.shell.main_window;"
        "slow = ('keyring', 'email_validator', 'smtplib', 'jinja2');"
        "bad = [m for m in slow if m in sys.modules];"
        "print(bad)"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
        check=True,
    )
    assert result.stdout.strip() == "[]"


def test_package_runs_from_an_unrelated_working_directory(tmp_path):
    result = subprocess.run(
        [sys.executable, "-m", "desktop", "--version"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
