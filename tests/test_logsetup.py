from __future__ import annotations

import logging

from desktop.logsetup import KEEP, LOG_NAME, MAX_BYTES, configure_logging


def test_log_rotates_at_start_and_keeps_a_few(tmp_path):
    root = logging.getLogger()
    before = list(root.handlers)
    log = tmp_path / LOG_NAME
    for number in range(1, KEEP + 1):
        (tmp_path / f"{LOG_NAME}.{number}").write_text(f"old {number}")
    log.write_text("x" * MAX_BYTES)
    try:
        assert configure_logging(tmp_path) == log
        logging.getLogger("desktop.test").warning("started")
    finally:
        for handler in root.handlers[len(before) :]:
            handler.close()
        root.handlers[:] = before
    assert "started" in log.read_text()
    assert (tmp_path / f"{LOG_NAME}.1").read_text() == "x" * MAX_BYTES
    assert (tmp_path / f"{LOG_NAME}.2").read_text() == "old 1"
    assert not (tmp_path / f"{LOG_NAME}.{KEEP + 1}").exists()
