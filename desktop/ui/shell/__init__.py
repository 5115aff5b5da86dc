"""The application shell: start-up, the first-run dialog, the main window that lists
the registered pages, and the crash dialog."""

from __future__ import annotations

from desktop.ui.common import lazy_exports

_PUBLIC = {
    "MainWindow": "main_window",
    "FirstRunDialog": "first_run",
    "install_crash_handler": "crash",
    "open_data_folder": "startup",
    "listen_for_second_launch": "startup",
    "CHECK_BEFORE_WINDOW_BYTES": "startup",
    "tray_available": "tray",
}
__all__ = sorted(_PUBLIC)
__getattr__ = lazy_exports(__name__, _PUBLIC)
