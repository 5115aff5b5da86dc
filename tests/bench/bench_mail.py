"""``make bench``: sending 200 queued emails to a local SMTP server.

The server (``tests/services/mail/smtp_server.py``: aiosmtpd with STARTTLS and AUTH,
certificate from a fresh ``trustme`` CA) runs in a child process, as a real
server would, so its work does not compete with the sender for this
process's interpreter lock. In this one process, alternating, ``--runs``
times each:

- a bare ``smtplib`` loop: one STARTTLS connection and login, then
  ``send_message`` for the 200 prebuilt messages (the ceiling: no database,
  no building);
- ``send_batch`` on the same 200 emails queued in the outbox (claim, build,
  send, record, one connection).

Then the GUI check: ``send_batch`` on 200 more in a ``QThreadPool`` worker
while a ``QTimer`` ticks every 10 ms in a ``QCoreApplication`` (offscreen);
the longest gap between ticks is the longest the event loop was blocked.

Targets (issue 4): send_batch at least 80% of the bare loop's rate; the
event loop never blocked more than 50 ms. A report, not a test: exits 0
when a target is missed.

    python tests/bench/bench_mail.py [--runs 3] [--count 200]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from datetime import date
from email.message import EmailMessage
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO_ROOT = HERE.parents[1]
if str(REPO_ROOT) not in sys.path:
    sys.path.insert(0, str(REPO_ROOT))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from desktop.services.mail.account import SmtpAccount  # noqa: E402
from desktop.services.mail.message import (  # noqa: E402
    build_message,
    html_from_plain,
    new_message_id,
)
from desktop.services.mail.sender import SendResult, send_batch  # noqa: E402
from desktop.services.mail.smtp import close_quietly, open_connection  # noqa: E402
from desktop.store import outbox  # noqa: E402
from desktop.store.database import open_database  # noqa: E402
from desktop.store.outbox import EmailFields  # noqa: E402

RATIO_TARGET = 0.80
STALL_TARGET_MS = 50.0
TICK_MS = 10

USER = "applicant@example.org"
PASSWORD = "Test-Pw-7f3a9c-not-a-real-one"
BODY = (
    "Dear Dr. Okafor,\n\nThank you again for agreeing to write a letter of recommendation "
    "for my residency applications. Attached are my CV and personal statement; the letter "
    "is due on 15 September and goes through the AAMC Letter Writer Portal "
    "with letter ID {i:07d}.\n\nWith gratitude,\nZoë Ångström\n"
)


def start_server(folder: Path) -> tuple[subprocess.Popen[str], int, Path]:
    ca_file = folder / "bench-ca.pem"
    server = subprocess.Popen(
        [sys.executable, "-m", "tests.services.mail.smtp_server", str(ca_file), "starttls"],
        cwd=REPO_ROOT,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert server.stdout is not None
    line = server.stdout.readline().split()
    if len(line) != 2 or line[0] != "PORT":
        server.kill()
        raise SystemExit(f"the SMTP server did not start: {line}")
    return server, int(line[1]), ca_file


def stop_server(server: subprocess.Popen[str]) -> int:
    out, _ = server.communicate("", timeout=30)
    for line in out.splitlines():
        if line.startswith("DELIVERED"):
            return int(line.split()[1])
    return -1


def queue_emails(count: int, tag: str) -> list[int]:
    ids = []
    for i in range(count):
        email_id = outbox.create_draft(
            EmailFields(
                f"writer{i}@hospital.org", f"Letter of recommendation ({tag} {i})", BODY.format(i=i)
            )
        )
        outbox.queue(email_id, domain="example.org")
        ids.append(email_id)
    return ids


def bare_loop(account: SmtpAccount, count: int, *, prebuilt: bool = False) -> float:
    """A script's plain loop: connect and log in once, then for each email
    build the message (``build_message``, as the outbox does: the same bytes
    go out) and ``send_message``. ``prebuilt``: messages built before the
    clock starts (the ceiling; no program sends without building)."""

    def message(i: int) -> EmailMessage:
        return build_message(
            from_name=account.display_name,
            from_address=account.address,
            to=[f"writer{i}@hospital.org"],
            subject=f"Letter of recommendation (bare {i})",
            body=BODY.format(i=i),
            html_body=html_from_plain(BODY.format(i=i)),
            message_id=new_message_id("example.org"),
        )

    ready = [message(i) for i in range(count)] if prebuilt else []
    start = time.perf_counter()
    conn = open_connection(account, PASSWORD, timeout=30)
    for i in range(count):
        conn.send_message(ready[i] if prebuilt else message(i))
    close_quietly(conn)
    return count / (time.perf_counter() - start)


def batch(account: SmtpAccount, count: int, tag: str) -> float:
    ids = queue_emails(count, tag)
    start = time.perf_counter()
    result = send_batch(ids, account, PASSWORD, timeout=30, today=date.today)
    elapsed = time.perf_counter() - start
    if result.count(SendResult.SENT) != count:
        raise SystemExit(f"send_batch sent {result.count(SendResult.SENT)} of {count}")
    return count / elapsed


def gui_stall(account: SmtpAccount, count: int) -> tuple[float, float, float]:
    """(longest gap with the worker sending, longest gap idle, seconds)."""
    from PySide6.QtCore import QCoreApplication, QElapsedTimer, QRunnable, QThreadPool, QTimer

    app = QCoreApplication.instance() or QCoreApplication(sys.argv[:1])
    ids = queue_emails(count, "gui")
    finished = threading.Event()
    outcome: list[object] = []

    class Worker(QRunnable):
        def run(self) -> None:
            try:
                outcome.append(send_batch(ids, account, PASSWORD, timeout=30))
            finally:
                finished.set()

    def measure(start_work: bool, idle_ms: int = 1000) -> tuple[float, float]:
        clock = QElapsedTimer()
        gaps: list[float] = []
        last = [0.0]

        def tick() -> None:
            now = clock.nsecsElapsed() / 1e6
            gaps.append(now - last[0])
            last[0] = now
            if (start_work and finished.is_set()) or (not start_work and now > idle_ms):
                app.quit()

        timer = QTimer()
        timer.setInterval(TICK_MS)
        timer.timeout.connect(tick)
        clock.start()
        timer.start()
        if start_work:
            QThreadPool.globalInstance().start(Worker())
        app.exec()
        timer.stop()
        return max(gaps[1:] or [0.0]), clock.nsecsElapsed() / 1e9

    idle, _ = measure(False)
    busy, seconds = measure(True)
    QThreadPool.globalInstance().waitForDone()
    sent = outcome[0].count(SendResult.SENT) if outcome else 0  # type: ignore[attr-defined]
    if sent != count:
        raise SystemExit(f"the worker sent {sent} of {count}")
    return busy, idle, seconds


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--count", type=int, default=200)
    args = parser.parse_args()

    folder = Path(tempfile.mkdtemp(prefix="letterdesk-bench-mail-"))
    db = open_database(folder / "letterdesk.sqlite3", folder / "backups")
    server, port, ca_file = start_server(folder)
    account = SmtpAccount("Zoë Ångström", USER, "127.0.0.1", port, "starttls", USER, str(ca_file))
    try:
        bare_loop(account, 20)  # warm-up: imports, TLS, the server's first connection
        batch(account, 20, "warm-up")
        bare_rates, batch_rates, ceiling_rates = [], [], []
        for run in range(args.runs):
            bare_rates.append(bare_loop(account, args.count))
            batch_rates.append(batch(account, args.count, f"run {run}"))
            ceiling_rates.append(bare_loop(account, args.count, prebuilt=True))
        busy, idle, seconds = gui_stall(account, args.count)
    finally:
        delivered = stop_server(server)
        db.close()

    expected = 40 + 3 * args.runs * args.count + args.count
    bare, sent = statistics.median(bare_rates), statistics.median(batch_rates)
    ratio = sent / bare
    ceiling = statistics.median(ceiling_rates)
    rows = [
        ("bare smtplib loop, prebuilt messages", f"{ceiling:,.0f} msg/s", "", ""),
        ("bare smtplib loop (median)", f"{bare:,.0f} msg/s", "", ""),
        ("send_batch (median)", f"{sent:,.0f} msg/s", "", ""),
        ("send_batch / bare loop", f"{ratio:.0%}", f">= {RATIO_TARGET:.0%}", ratio >= RATIO_TARGET),
        (
            "GUI loop longest stall, worker sending",
            f"{busy:.1f} ms",
            f"<= {STALL_TARGET_MS:.0f} ms",
            busy <= STALL_TARGET_MS,
        ),
        ("GUI loop longest stall, idle (reference)", f"{idle:.1f} ms", "", ""),
        ("send_batch / bare loop with prebuilt messages", f"{sent / ceiling:.0%}", "", ""),
    ]
    print(
        f"\nbench_mail: {args.count} messages, STARTTLS + AUTH on 127.0.0.1, "
        f"{args.runs} runs each (Python {sys.version.split()[0]})"
    )
    print(f"  bare runs: {', '.join(f'{r:,.0f}' for r in bare_rates)} msg/s")
    print(f"  bare runs, prebuilt: {', '.join(f'{r:,.0f}' for r in ceiling_rates)} msg/s")
    print(f"  batch runs: {', '.join(f'{r:,.0f}' for r in batch_rates)} msg/s")
    print(f"  GUI run: {args.count} messages in {seconds:.2f} s in a QThreadPool worker")
    print(f"  server delivered {delivered} of {expected} messages handed over\n")
    print(f"{'measure':<42}{'value':>14}  {'target':<10}  result")
    print("-" * 78)
    for name, value, target, met in rows:
        verdict = "" if met == "" else ("met" if met else "NOT met")
        print(f"{name:<42}{value:>14}  {target:<10}  {verdict}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
