"""``make bench``: the Requests page and Today on 100,000 letter requests.

Builds the large data folder (``large_data.py``: 20,000 mentors, 2,000
programs, 100,000 requests with their history) in a temporary folder, or
reuses the one given with ``--data-dir``, then measures in this one process,
offscreen, each as the median (and min / max) of ``--runs`` runs after one
unmeasured warm-up:

- opening the Requests page: ``RequestsPage(context)`` until its model has rows,
  until the table has painted, and until the whole list is in (the same
  moment unless the page loads the rest in the background); and
  ``reload()`` (showing the page again after a change), until it returns
  and until the whole list is in;
- a text filter as typed in the search box (a surname fragment, a status
  word, a first keystroke, clearing it): until the model has the new rows,
  and until the table has painted them;
- sorting by the due column and by mentor, both orders, through the view's
  header, as a click does;
- Today: ``store.today.load_snapshot`` and ``domain.today.next_actions``,
  separately and together;
- at the store level, for reference: ``load_request_rows`` alone.

Targets at office scale: 100 ms for each interaction, 150 ms for Today. It is a
report, not a test: it exits 0 when a target is missed, and non-zero only
when the data cannot be built or opened.

    python tests/bench/bench_requests.py [--runs 7] [--data-dir DIR] [--keep]
"""

from __future__ import annotations

import argparse
import gc
import importlib.metadata
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO_ROOT = HERE.parents[1]
if str(REPO_ROOT) not in sys.path:
    sys.path.insert(0, str(REPO_ROOT))

INTERACTION_MS = 100.0
TODAY_MS = 150.0
WAIT_S = 60.0  # longest wait for a model update or a paint before giving up

SURNAME = "okaf"  # "Okafor": about 1 in 54 mentors
STATUS_WORD = "declined"
FIRST_KEY = "o"  # the first keystroke of a search matches most rows


@dataclass
class Timing:
    label: str
    target_ms: float | None  # None: shown for reference, no target
    times_ms: list[float] = field(default_factory=list)
    note: str = ""
    error: str | None = None

    def add(self, seconds: float) -> None:
        self.times_ms.append(seconds * 1000)

    @property
    def median_ms(self) -> float:
        return statistics.median(self.times_ms)


class BenchError(Exception):
    pass


# --- the data folder ---------------------------------------------------------


def prepare_data(data_dir: Path | None, seed: int, workdir: Path, scale: str) -> Path:
    """The data folder to measure: ``data_dir`` as it is when it holds data,
    otherwise a new large folder (in ``data_dir`` or the temp folder). The
    generator runs in a child so this process starts the measurements
    without its garbage."""
    from desktop.paths import DataPaths

    folder = data_dir or workdir / "large"
    if DataPaths(folder).has_data():
        print(f"  reusing {folder}")
        return folder
    proc = subprocess.run(
        [
            sys.executable,
            str(HERE / "large_data.py"),
            str(folder),
            "--seed",
            str(seed),
            "--scale",
            scale,
        ],
        capture_output=True,
        text=True,
        cwd=REPO_ROOT,
        check=False,
    )
    if proc.returncode != 0:
        raise BenchError(f"large_data.py exit code {proc.returncode}\n{proc.stderr.strip()}")
    print(f"  {proc.stdout.strip()}")
    return folder


def versions() -> str:
    import PySide6
    from PySide6.QtCore import qVersion

    peewee = importlib.metadata.version("peewee")
    usable = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    load = f", load average {os.getloadavg()[0]:.2f}" if hasattr(os, "getloadavg") else ""
    import sqlite3

    return "\n".join(
        (
            f"Python   {platform.python_version()} ({sys.executable})",
            f"PySide6  {PySide6.__version__} (Qt {qVersion()}), peewee {peewee}, "
            f"SQLite {sqlite3.sqlite_version}",
            f"Machine  {platform.system()} {platform.release()} {platform.machine()}, "
            f"{os.cpu_count()} CPUs ({usable} usable){load}",
        )
    )


# --- waiting for Qt ------------------------------------------------------------


class Watch:
    """Counts paints of a widget and resets / layout changes of a model."""

    def __init__(self, model, viewport) -> None:
        from PySide6.QtCore import QEvent, QObject

        self.paints = 0
        self.updates = 0
        paint = QEvent.Type.Paint
        watch = self

        class _Filter(QObject):
            def eventFilter(self, _obj, event) -> bool:
                if event.type() == paint:
                    watch.paints += 1
                    _wake()
                return False

        self._filter = _Filter()
        viewport.installEventFilter(self._filter)
        self._viewport = viewport
        for signal in (model.modelReset, model.layoutChanged):
            signal.connect(self._updated)

    def _updated(self, *_args) -> None:
        self.updates += 1
        _wake()

    def detach(self) -> None:
        self._viewport.removeEventFilter(self._filter)


_checks: list[Callable[[], None]] = []


def _wake() -> None:
    """A watched model changed or a watched widget painted: check at once."""
    for check in _checks:
        check()


def wait_until(condition: Callable[[], bool], what: str) -> None:
    """Run an event loop until ``condition`` holds.

    The loop sleeps between events, as the app's does, so a worker thread
    is not slowed by this one polling for the interpreter lock. The
    condition is checked when a ``Watch`` sees a model change or a paint
    (the loop ends once that event is handled) and every 20 ms otherwise.
    """
    from PySide6.QtCore import QEventLoop, QTimer

    if condition():
        return
    deadline = time.perf_counter() + WAIT_S
    loop = QEventLoop()
    timed_out = False

    def check() -> None:
        nonlocal timed_out
        if condition():
            loop.quit()
        elif time.perf_counter() > deadline:
            timed_out = True
            loop.quit()

    timer = QTimer()
    timer.setInterval(20)
    timer.timeout.connect(check)
    timer.start()
    _checks.append(check)
    try:
        loop.exec()
    finally:
        _checks.remove(check)
        timer.stop()
    if timed_out:
        raise BenchError(f"gave up after {WAIT_S:.0f} s waiting for {what}")


def settle() -> None:
    """Let pending events run and collect garbage between measured runs, so a
    run does not pay for the previous one."""
    from PySide6.QtCore import QEvent
    from PySide6.QtWidgets import QApplication

    for _ in range(3):
        QApplication.processEvents()
        # deleteLater() outside a running event loop needs this to happen.
        QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    gc.collect()


# --- measurements --------------------------------------------------------------


def find_table(page):
    """The page's table view over a ``RowTableModel``."""
    from PySide6.QtWidgets import QTableView

    from desktop.ui.common import RowTableModel

    for view in page.findChildren(QTableView):
        if isinstance(view.model(), RowTableModel):
            return view, view.model()
    raise BenchError("the Requests page has no table over a RowTableModel")


def column_named(model, *names: str) -> int:
    from PySide6.QtCore import Qt

    for column in range(model.columnCount()):
        header = str(model.headerData(column, Qt.Orientation.Horizontal, 0) or "").casefold()
        if header in names:
            return column
    raise BenchError(f"no column called {' or '.join(names)}")


def is_loading(page) -> bool:
    loading = getattr(page, "is_loading", None)
    return bool(loading()) if callable(loading) else False


def measure_open(db, runs: int, results: dict[str, Timing]) -> None:
    """Construct the page (as the first visit to it does), show it and wait
    for the table's first paint and, if it loads in the background, for
    the rest of the rows."""
    from desktop.paths import DataPaths
    from desktop.ui.common import PageContext
    from desktop.ui.requests import RequestsPage

    rows_t, paint_t, full_t = (results[k] for k in ("open_rows", "open_paint", "open_full"))
    background = False
    for run in range(runs + 1):
        settle()
        started = time.perf_counter()
        page = RequestsPage(PageContext(DataPaths(Path(db.database).parent)))
        view, model = find_table(page)
        wait_until(lambda m=model: m.rowCount() > 0, "the first rows")
        have_rows = time.perf_counter()
        watch = Watch(model, view.viewport())
        page.resize(1280, 800)
        page.show()
        start_deferred = getattr(page, "start_deferred_work", None)
        wait_until(lambda w=watch: w.paints > 0, "the table's first paint")
        painted = time.perf_counter()
        if callable(start_deferred):
            start_deferred()
        background = background or is_loading(page)
        wait_until(lambda p=page: not is_loading(p), "the full list")
        loaded = time.perf_counter()
        watch.detach()
        if run:  # the first run warms caches (SQLite pages, imports)
            rows_t.add(have_rows - started)
            paint_t.add(painted - started)
            full_t.add(loaded - started)
        total = model.total_count()
        page.close()
        page.deleteLater()
        del page, view, model, watch
    rows_t.note = f"{total:,} rows"
    full_t.note = "background load" if background else "same as rows in model: no background load"


def measure_page(db, runs: int, results: dict[str, Timing]) -> None:
    """Reload, filter and sort on one page shown offscreen."""
    from PySide6.QtCore import Qt

    from desktop.paths import DataPaths
    from desktop.ui.common import PageContext
    from desktop.ui.requests import RequestsPage

    settle()
    page = RequestsPage(PageContext(DataPaths(Path(db.database).parent)))
    view, model = find_table(page)
    page.resize(1280, 800)
    page.show()
    if callable(getattr(page, "start_deferred_work", None)):
        page.start_deferred_work()
    wait_until(lambda: not is_loading(page) and model.rowCount() > 0, "the full list")
    watch = Watch(model, view.viewport())
    settle()

    def timed(action: Callable[[], None], model_timing: Timing, paint_timing: Timing) -> None:
        """``action``, then the time until the model changed and until the
        table painted the change."""
        settle()
        updates, paints = watch.updates, watch.paints
        started = time.perf_counter()
        action()
        wait_until(lambda: watch.updates > updates, "the model to change")
        changed = time.perf_counter()
        wait_until(lambda: watch.paints > paints, "the table to paint")
        painted = time.perf_counter()
        model_timing.add(changed - started)
        paint_timing.add(painted - started)

    def untimed(action: Callable[[], None]) -> None:
        """``action`` and its paint, if it changed anything."""
        updates, paints = watch.updates, watch.paints
        action()
        if watch.updates > updates:
            wait_until(lambda: watch.paints > paints, "the table to paint")

    # Reload: showing the page again after data changed elsewhere.
    reload_t, reload_full_t = results["reload"], results["reload_full"]
    for run in range(runs + 1):
        settle()
        started = time.perf_counter()
        page.reload()
        returned = time.perf_counter()
        wait_until(lambda: not is_loading(page), "the reload")
        if run:
            reload_t.add(returned - started)
            reload_full_t.add(time.perf_counter() - started)

    for key, term in (
        ("filter_surname", SURNAME),
        ("filter_status", STATUS_WORD),
        ("filter_first_key", FIRST_KEY),
    ):
        for run in range(runs + 1):
            untimed(lambda: page.set_search_text(""))
            scratch = Timing("", None)
            target = (results[key], results[key + "_paint"]) if run else (scratch, scratch)
            timed(lambda t=term: page.set_search_text(t), *target)
        results[key].note = f"{term!r}: {model.rowCount():,} rows"
    for run in range(runs + 1):
        untimed(lambda: page.set_search_text(SURNAME))
        scratch = Timing("", None)
        target = (results["filter_clear"], results["filter_clear_paint"]) if run else (scratch,) * 2
        timed(lambda: page.set_search_text(""), *target)
    results["filter_clear"].note = f"back to {model.rowCount():,} rows"

    due = column_named(model, "due")
    mentor = column_named(model, "mentor", "writer")
    asc, desc = Qt.SortOrder.AscendingOrder, Qt.SortOrder.DescendingOrder
    for key, column, order in (
        ("sort_due_asc", due, asc),
        ("sort_due_desc", due, desc),
        ("sort_mentor_asc", mentor, asc),
        ("sort_mentor_desc", mentor, desc),
    ):
        # From another column each time, so every run really sorts.
        other = mentor if column == due else due
        for run in range(runs + 1):
            untimed(lambda o=other: view.sortByColumn(o, asc))
            scratch = Timing("", None)
            target = (results[key], results[key + "_paint"]) if run else (scratch, scratch)
            timed(lambda c=column, o=order: view.sortByColumn(c, o), *target)
        results[key].note = f"{model.rowCount():,} rows"
    watch.detach()
    page.close()
    page.deleteLater()
    settle()


def measure_today(db, runs: int, results: dict[str, Timing]) -> None:
    from desktop.domain.today import next_actions
    from desktop.store.today import load_snapshot

    today = date.today()
    load_t, rules_t, total_t = (results[k] for k in ("today_load", "today_rules", "today_total"))
    for run in range(runs + 1):
        settle()
        started = time.perf_counter()
        snapshot = load_snapshot()
        loaded = time.perf_counter()
        actions = next_actions(snapshot, today)
        done = time.perf_counter()
        if run:
            load_t.add(loaded - started)
            rules_t.add(done - loaded)
            total_t.add(done - started)
    load_t.note = (
        f"{len(snapshot.requests):,} requests, {len(snapshot.mentors):,} mentors, "
        f"{len(snapshot.programs):,} programs"
    )
    rules_t.note = f"{len(actions):,} actions"


def measure_store(db, runs: int, results: dict[str, Timing]) -> None:
    from desktop.store.requests import load_request_rows

    timing = results["store_rows"]
    for run in range(runs + 1):
        settle()
        started = time.perf_counter()
        rows = load_request_rows()
        if run:
            timing.add(time.perf_counter() - started)
    timing.note = f"{len(rows):,} rows"


# --- the report ----------------------------------------------------------------

I = INTERACTION_MS  # noqa: E741 (keeps the table below readable)
ROWS: tuple[tuple[str, str, float | None], ...] = (
    ("store_rows", "store: load_request_rows", None),
    ("open_rows", "open page: rows in model", I),
    ("open_paint", "open page: table painted", I),
    ("open_full", "open page: fully loaded", I),
    ("reload", "reload(): first screen", I),
    ("reload_full", "reload(): fully loaded", I),
    ("filter_surname", "filter: surname fragment", I),
    ("filter_surname_paint", "  … and painted", None),
    ("filter_status", "filter: status word", I),
    ("filter_status_paint", "  … and painted", None),
    ("filter_first_key", "filter: first keystroke", I),
    ("filter_first_key_paint", "  … and painted", None),
    ("filter_clear", "filter: cleared", I),
    ("filter_clear_paint", "  … and painted", None),
    ("sort_due_asc", "sort: due ↑", I),
    ("sort_due_asc_paint", "  … and painted", None),
    ("sort_due_desc", "sort: due ↓", I),
    ("sort_due_desc_paint", "  … and painted", None),
    ("sort_mentor_asc", "sort: mentor ↑", I),
    ("sort_mentor_asc_paint", "  … and painted", None),
    ("sort_mentor_desc", "sort: mentor ↓", I),
    ("sort_mentor_desc_paint", "  … and painted", None),
    ("today_load", "Today: load_snapshot", None),
    ("today_rules", "Today: next_actions", None),
    ("today_total", "Today: total", TODAY_MS),
)


PAGE_KEYS = tuple(k for k, *_ in ROWS if k.startswith(("reload", "filter", "sort")))


def report(results: dict[str, Timing], runs: int) -> None:
    print()
    print(f"Median of {runs} runs after a warm-up (min–max); targets at office scale only")
    header = f"{'':<28} {'median':>9} {'min':>8} {'max':>8}  {'target':>8}  {'':<8} notes"
    print(header)
    print("-" * (len(header) + 20))
    missed = []
    for key, label, _target in ROWS:
        timing = results[key]
        if timing.error:
            print(f"{label:<28} {'not measured':>27}  {timing.error.splitlines()[0]}")
            continue
        if not timing.times_ms:
            continue
        target = timing.target_ms
        verdict = ""
        if target is not None:
            met = timing.median_ms <= target
            verdict = "met" if met else "NOT met"
            if not met:
                missed.append(label)
        print(
            f"{label:<28} {timing.median_ms:>7.0f}ms {min(timing.times_ms):>6.0f}ms "
            f"{max(timing.times_ms):>6.0f}ms  "
            f"{f'≤ {target:.0f}ms' if target else '':>8}  {verdict:<8} {timing.note}"
        )
    print()
    if missed:
        print(f"Targets NOT met ({len(missed)}): " + "; ".join(missed))
    else:
        print("All targets met.")


# The offscreen platform cannot size native windows; harmless and expected
# (the test suite ignores the same message).
EXPECTED_QT_MESSAGES = ("This plugin does not support propagateSizeHints",)


def quiet_expected_warnings(_mode, _context, message: str) -> None:
    if not message.startswith(EXPECTED_QT_MESSAGES):
        print(f"Qt: {message}", file=sys.stderr)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Requests page and Today on large data.")
    parser.add_argument("--runs", type=int, default=7, help="measured runs each (≥ 5)")
    parser.add_argument("--seed", type=int, default=20_250_101, help="large data seed")
    parser.add_argument(
        "--data-dir",
        type=Path,
        help="measure this folder (built there first if it holds no data)",
    )
    parser.add_argument(
        "--scale",
        choices=("office", "stress"),
        default="office",
        help="office: 2,000 mentors, 500 programs, 10,000 requests (the targets); "
        "stress: 20,000 / 2,000 / 100,000 (a figure, no target)",
    )
    parser.add_argument(
        "--keep", action="store_true", help="keep the temporary data folder and print where"
    )
    args = parser.parse_args(argv)
    if args.runs < 1:
        parser.error("--runs must be at least 1")

    workdir = Path(tempfile.mkdtemp(prefix="letterdesk-bench-requests-"))
    # Offscreen and with every standard folder in the temp folder: nothing
    # under the user's home is read or written.
    os.environ["QT_QPA_PLATFORM"] = "offscreen"
    for var in ("XDG_DATA_HOME", "XDG_CONFIG_HOME", "XDG_CACHE_HOME", "XDG_STATE_HOME"):
        os.environ[var] = str(workdir / var.lower())

    from PySide6.QtCore import qInstallMessageHandler
    from PySide6.QtWidgets import QApplication

    qInstallMessageHandler(quiet_expected_warnings)
    app = QApplication([sys.argv[0]])
    app.setApplicationName("LetterDesk-bench")

    print("LetterDesk Requests page and Today benchmark")
    print(versions())
    print(f"QT_QPA_PLATFORM=offscreen, one process, {args.runs} runs + 1 warm-up each")
    if args.runs < 5:
        print(f"note: fewer than 5 runs ({args.runs}); medians are rough")

    # The targets hold at an advising office's scale; the stress run is a figure.
    results = {
        key: Timing(label, target if args.scale == "office" else None)
        for key, label, target in ROWS
    }
    print(f"scale: {args.scale}")
    try:
        print("\nPreparing data")
        started = time.perf_counter()
        try:
            folder = prepare_data(args.data_dir, args.seed, workdir, args.scale)
        except BenchError as exc:
            print(f"  FAILED: {exc}")
            return 1
        print(f"  ready in {time.perf_counter() - started:.1f} s")

        from desktop.paths import DataPaths
        from desktop.store.database import open_database

        paths = DataPaths(folder)
        db = open_database(paths.database, paths.backups)
        try:
            print("\nMeasuring")
            steps: tuple[tuple[str, Callable, tuple[str, ...]], ...] = (
                ("store", measure_store, ("store_rows",)),
                ("open page", measure_open, ("open_rows", "open_paint", "open_full")),
                ("reload, filter, sort", measure_page, PAGE_KEYS),
                ("Today", measure_today, ("today_load", "today_rules", "today_total")),
            )
            for name, step, keys in steps:
                print(f"  {name:<22}", end="", flush=True)
                step_started = time.perf_counter()
                try:
                    step(db, args.runs, results)
                except Exception as exc:  # report the rest; one failure is one row
                    detail = "".join(traceback.format_exception_only(exc)).strip()
                    for key in keys:
                        if not results[key].times_ms:
                            results[key].error = detail
                    print(f" FAILED: {detail}")
                    continue
                print(f" done ({time.perf_counter() - step_started:.1f} s)")
        finally:
            db.close()
        report(results, args.runs)
    finally:
        if args.keep and not args.data_dir:
            print(f"\nData folder kept in {workdir / 'large'} (reuse it with --data-dir)")
        else:  # a --data-dir folder is never in here
            shutil.rmtree(workdir, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
