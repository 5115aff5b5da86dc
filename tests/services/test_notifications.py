"""Desktop notifications against a real notification daemon (dunst) on a
private D-Bus session bus and its own Xvfb display."""

from __future__ import annotations

import pytest

from desktop.services import notifications


@pytest.fixture
def daemon(notification_daemon):
    return notification_daemon


def test_a_notification_reaches_the_daemon_as_written(daemon):
    sent = notifications.notify("Dr. Lopez replied", "“Happy to, send me your CV…” — ü 漢字")
    assert sent.notification_id is not None and sent.notification_id > 0
    assert daemon.shown() == ["LetterDesk|Dr. Lopez replied|“Happy to, send me your CV…” — ü 漢字"]


def test_replacing_keeps_one_notification(daemon):
    first = notifications.notify("2 urgent", "Ask Dr. Okafor")
    again = notifications.notify("3 urgent", "Ask Dr. Okafor", replaces_id=first.notification_id)
    assert again.notification_id == first.notification_id


def test_without_a_notification_service_nothing_breaks(tmp_path, monkeypatch):
    from ..keyring_service import SecretServiceDaemon

    bus = SecretServiceDaemon(tmp_path / "bus")
    bus.start_bus_only()  # a session bus with no daemon on it
    try:
        monkeypatch.setenv("DBUS_SESSION_BUS_ADDRESS", bus.address)
        sent = notifications.notify("x", "y")
        assert sent.notification_id is None and sent.reason
    finally:
        bus.stop()
    monkeypatch.setenv("DBUS_SESSION_BUS_ADDRESS", "unix:path=/nonexistent/bus")
    assert notifications.notify("x", "y").notification_id is None
