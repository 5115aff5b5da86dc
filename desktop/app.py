"""Command line and start-up: ``letterdesk [--data-dir PATH] [--demo]
[--minimized] [--self-test] [--version]``.

Imports are kept to what the first window needs; keyring, email and the
like load on first use so start-up stays close to a bare Qt window.
"""

from __future__ import annotations

import argparse
import os
import platform
import sys
import time
from collections.abc import Sequence
from datetime import date

from desktop import APP_NAME, __version__
from desktop.paths import DataPaths, resolve_data_paths

# Benchmarks set this to time start-up: the app prints when the main window
# first paints and quits (see tests/bench/bench_startup.py).
EXIT_AFTER_FIRST_PAINT_ENV = "LETTERDESK_EXIT_AFTER_FIRST_PAINT"

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="letterdesk",
        description="Plan, request and track letters of recommendation.",
    )
    parser.add_argument(
        "--data-dir",
        metavar="PATH",
        help="keep every file LetterDesk writes in PATH "
        "(default: $LETTERDESK_DATA_DIR or your user data folder)",
    )
    parser.add_argument(
        "--demo",
        action="store_true",
        help="fill a new, empty data folder with sample data and open it",
    )
    parser.add_argument(
        "--self-test",
        action="store_true",
        help="open the data, build the main window, print a report and exit",
    )
    parser.add_argument(
        "--minimized",
        action="store_true",
        help="start in the tray, without the window (how starting at login runs it)",
    )
    parser.add_argument("--version", action="version", version=f"{APP_NAME} {__version__}")
    # Qt's own options (-platform, -style…) pass through to QApplication.
    args, qt_args = parser.parse_known_args(argv)
    args.qt_args = qt_args
    return args


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(sys.argv[1:] if argv is None else argv)
    paths = resolve_data_paths(args.data_dir)

    from desktop.logsetup import configure_logging

    log_file = configure_logging(paths.logs)

    from PySide6.QtWidgets import QApplication

    app = QApplication.instance() or QApplication([sys.argv[0], *args.qt_args])
    app.setApplicationName(APP_NAME)
    app.setOrganizationName(APP_NAME)
    app.setApplicationVersion(__version__)
    # Matches the installed .desktop file, so Wayland shells show our icon.
    app.setDesktopFileName("org.letterdesk.LetterDesk")
    from desktop.ui.common import app_icon

    app.setWindowIcon(app_icon())

    if args.self_test:
        return self_test(paths)

    from desktop.ui.shell import install_crash_handler

    install_crash_handler(str(log_file) if log_file else None)

    if args.demo:
        from desktop.services.demo import DemoRefusedError, create_demo_folder

        try:
            create_demo_folder(paths, date.today()).close()
        except DemoRefusedError as exc:
            print(f"letterdesk: {exc}", file=sys.stderr)
            return EXIT_USAGE
    return run_gui(app, paths, minimized=args.minimized)


def run_gui(app, paths: DataPaths, *, minimized: bool = False) -> int:
    """Open the data and show the main window. Goes round again when the
    window was closed to restore a backup (see desktop/ui/data/restore_flow.py)."""
    from PySide6.QtCore import QThreadPool, QTimer

    from desktop.store.profile import needs_first_run, save_profile_and_first_cycle
    from desktop.ui.shell import MainWindow, open_data_folder

    while True:
        opened = open_data_folder(paths)
        if opened is None:
            return EXIT_FAILED
        db, paths = opened
        if needs_first_run():
            from desktop.ui.common import install_ui_habits
            from desktop.ui.shell import FirstRunDialog

            install_ui_habits(app)  # it fits the screen, names its fields…

            dialog = FirstRunDialog()
            if not dialog.exec():
                db.close()
                return EXIT_OK
            save_profile_and_first_cycle(dialog.profile(), dialog.cycle())
        window = MainWindow(paths)
        if os.environ.get(EXIT_AFTER_FIRST_PAINT_ENV):
            _exit_after_first_paint(app, window)
        from desktop.ui.shell import tray_available

        if minimized and tray_available():
            window.start_in_tray()  # started at login: the tray only
        else:
            window.show()
        minimized = False  # a restore's reopening shows the window
        QTimer.singleShot(0, window, lambda w=window, p=paths: _after_start(w, p))
        code = app.exec()
        # Let background work finish with the database before it closes.
        QThreadPool.globalInstance().waitForDone()
        db.close()
        from desktop.ui.data import pending_restore, run_restore

        backup = pending_restore(window)
        window.deleteLater()
        if backup is None:
            return code
        run_restore(paths, backup)  # says how it went; either way, reopen


def _after_start(window, paths: DataPaths) -> None:
    """What can wait until the window is on screen: answering a second
    launch, the daily backup, and the integrity check of a large file."""
    from desktop.ui.data import schedule_integrity_check, schedule_start_backup
    from desktop.ui.shell import listen_for_second_launch

    window._second_launch_server = listen_for_second_launch(paths, window)
    schedule_start_backup(window, paths)
    schedule_integrity_check(window, paths)


def _exit_after_first_paint(app, window) -> None:
    from PySide6.QtCore import QEvent, QObject, QTimer

    class FirstPaint(QObject):
        def eventFilter(self, watched, event) -> bool:
            if event.type() == QEvent.Type.Paint:
                print(f"first-paint {time.time():.6f}", flush=True)
                watched.removeEventFilter(self)
                # Leave right after this paint, before work deferred until
                # the first paint starts: the figure is time (and peak
                # memory) to the first window, nothing later. Nothing has
                # been written at this point, so skipping cleanup is safe,
                # but for the second-launch socket file in the temporary
                # folder, which only closing its server removes.
                QTimer.singleShot(0, lambda: _exit_now(window))
            return False

    window._first_paint_filter = FirstPaint(window)
    window.installEventFilter(window._first_paint_filter)


def _exit_now(window) -> None:
    server = getattr(window, "_second_launch_server", None)
    if server is not None:
        server.close()
    os._exit(0)


def self_test(paths: DataPaths) -> int:
    """Smoke test for a build: every step prints a line; exit 1 with the
    reason at the first failure."""
    from PySide6 import __version__ as pyside_version
    from PySide6.QtCore import qVersion
    from PySide6.QtWidgets import QApplication

    print(f"{APP_NAME} {__version__} self-test")
    print(
        f"  Python {platform.python_version()}, Qt {qVersion()}, PySide6 {pyside_version}, "
        f"platform {QApplication.platformName()}"
    )
    print(f"  data folder: {paths.root}")
    try:
        from desktop.resources import resources_root

        print(f"  resources: {resources_root()}")
        from desktop.store.database import open_database, schema_version
        from desktop.store.errors import DatabaseOpenError

        existed = paths.has_data()
        paths.ensure()
        try:
            db = open_database(paths.database, paths.backups)
        except DatabaseOpenError as exc:
            print(f"FAILED: {exc.user_message}")
            return EXIT_FAILED
        print(
            f"  database: {paths.database}, format {schema_version(db)}"
            f" ({'opened' if existed else 'created'})"
        )
        from desktop.services.secrets import backend_name

        print(f"  keyring: {backend_name()}")
        from desktop.services.spelling import SpellChecker

        checker = SpellChecker(paths.user_dictionary).load()
        suggestion = (checker.suggestions("recomendation") or ["nothing"])[0]
        print(
            f"  spelling: 'recomendation' → '{suggestion}', SLOE known: {checker.is_known('SLOE')}"
        )
        from desktop.services.mail.bundle_check import mail_parts

        print(f"  {mail_parts()}")
        from desktop.ui.shell import MainWindow

        window = MainWindow(paths)
        window.show()
        QApplication.processEvents()
        if not window.isVisible():
            print("FAILED: the main window did not show")
            return EXIT_FAILED
        print(
            f"  main window: shown, {window.width()}x{window.height()}, "
            f"{window.stack.count()} pages, {window.page('mentors').model.total_count()} mentors"
        )
        window.hide()  # not close(): a self-test must not save window state
        db.close()
    except Exception as exc:  # the report must say what broke, whatever it was
        print(f"FAILED: {type(exc).__name__}: {exc}")
        return EXIT_FAILED
    print("OK")
    return EXIT_OK


if __name__ == "__main__":
    sys.exit(main())
