"""The background-work helper: results and errors come back on the GUI thread."""

from __future__ import annotations

import threading

from desktop.store.models import Mentor
from desktop.ui.common import run_in_background


def test_result_arrives_on_the_gui_thread_and_the_worker_uses_its_own_connection(qtbot, db):
    Mentor.create(last_name="Okafor", category="other")
    seen = {}

    def operation():
        seen["worker_thread"] = threading.get_ident()
        return db.execute_sql("SELECT last_name FROM mentor").fetchall()

    def done(rows):
        seen["rows"] = rows
        seen["callback_thread"] = threading.get_ident()

    run_in_background(operation, done)
    qtbot.waitUntil(lambda: "rows" in seen, timeout=5000)
    assert seen["rows"] == [("Okafor",)]
    assert seen["worker_thread"] != threading.get_ident()
    assert seen["callback_thread"] == threading.get_ident()
    assert not db.is_closed()  # the GUI thread's connection is untouched


def test_failure_goes_to_the_failure_callback(qtbot):
    errors = []

    def operation():
        raise OSError(28, "No space left on device")

    run_in_background(operation, lambda _: None, errors.append)
    qtbot.waitUntil(lambda: bool(errors), timeout=5000)
    assert isinstance(errors[0], OSError) and errors[0].errno == 28
