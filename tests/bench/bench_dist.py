"""``make bench`` (packaging part): the size of what a user downloads and
installs, and the frozen app's time to its first window next to a frozen
bare PySide6 window built the same way.

- Sizes: the one-folder bundle on disk (``du``), the .deb and .tar.gz
  files, and the .deb's Installed-Size.
- Start-up: ``dist/letterdesk/letterdesk`` on a demo data folder (made once
  by the frozen app's ``--demo``) against tests/bench/bare_window.py frozen
  by packaging/letterdesk.spec itself (``LETTERDESK_SPEC_ENTRY``), so both
  have the same excludes, plugins, stripping and bootloader. Each child
  prints ``first-paint <time.time()>`` at its first paint and exits; the
  time counted is from just before the spawn to that moment. One warm-up
  each, then ``--runs`` runs, alternating, offscreen; medians reported.
  For reference, the same two from source (the venv's Python) are timed
  too, which separates what freezing costs from what the app's own start-up
  costs.

Targets (issue 5): at most 150 MB installed; at most 1.5x the frozen bare
window. A report, not a test: it exits 0 when a target is missed and
non-zero only when something cannot be measured. The artefacts come from
packaging/build_linux.sh, run first when dist/ is missing or older than
the sources (``--rebuild`` forces it).
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
DIST = REPO / "dist"
VERSION = re.search(
    r'^__version__ = "([^"]+)"$',
    (REPO / "desktop" / "__init__.py").read_text(encoding="utf-8"),
    re.MULTILINE,
)[1]  # type: ignore[index]
APP = DIST / "letterdesk" / "letterdesk"
DEB = DIST / f"letterdesk_{VERSION}_amd64.deb"
TARBALL = DIST / f"letterdesk-{VERSION}-linux-x86_64.tar.gz"
BARE_DIST = REPO / "build" / "bench-dist"
BARE = BARE_DIST / "bare_window" / "bare_window"
EXIT_ENV = "LETTERDESK_EXIT_AFTER_FIRST_PAINT"
CHILD_TIMEOUT_S = 120.0

MAX_INSTALLED_MB = 150.0  # MB = 10^6 bytes, the stricter reading
MAX_RATIO = 1.5


def newest_source_mtime() -> float:
    return max(
        p.stat().st_mtime
        for top in ("desktop", "resources", "packaging")
        for p in (REPO / top).rglob("*")
        if p.is_file() and "__pycache__" not in p.parts
    )


def build_app(force: bool) -> float | None:
    """Runs build_linux.sh when needed; returns its duration in seconds."""
    artefacts = (APP, DEB, TARBALL)
    fresh = all(p.exists() for p in artefacts) and (
        min(p.stat().st_mtime for p in artefacts[1:]) > newest_source_mtime()
    )
    if fresh and not force:
        return None
    started = time.monotonic()
    subprocess.run(["sh", str(REPO / "packaging" / "build_linux.sh")], check=True)
    return time.monotonic() - started


def build_bare() -> float:
    started = time.monotonic()
    subprocess.run(
        [
            str(REPO / ".venv" / "bin" / "pyinstaller"),
            "--noconfirm",
            "--log-level",
            "ERROR",
            "--distpath",
            str(BARE_DIST),
            "--workpath",
            str(REPO / "build" / "bench-work"),
            str(REPO / "packaging" / "letterdesk.spec"),
        ],
        env={
            **os.environ,
            "LETTERDESK_SPEC_ENTRY": str(REPO / "tests" / "bench" / "bare_window.py"),
            "LETTERDESK_SPEC_NAME": "bare_window",
        },
        check=True,
        stdout=subprocess.DEVNULL,
    )
    return time.monotonic() - started


def du_bytes(path: Path) -> int:
    """Disk usage as ``du`` counts it (blocks, symlinks not followed)."""
    out = subprocess.run(["du", "-sk", str(path)], capture_output=True, text=True, check=True)
    return int(out.stdout.split()[0]) * 1024


def installed_size_bytes() -> int:
    out = subprocess.run(
        ["dpkg-deb", "-f", str(DEB), "Installed-Size"], capture_output=True, text=True, check=True
    )
    return int(out.stdout.strip()) * 1024


def child_env(home: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTHON", "VIRTUAL_ENV"))}
    env.update(QT_QPA_PLATFORM="offscreen", HOME=str(home))
    for var in ("XDG_DATA_HOME", "XDG_CONFIG_HOME", "XDG_CACHE_HOME", "XDG_STATE_HOME"):
        env[var] = str(home / var.lower())
    env[EXIT_ENV] = "1"
    env.pop("LETTERDESK_DATA_DIR", None)
    return env


def time_to_first_paint(argv: list[str], env: dict[str, str]) -> float:
    """Milliseconds from just before the spawn to the child's first paint."""
    started = time.time()
    result = subprocess.run(argv, env=env, capture_output=True, text=True, timeout=CHILD_TIMEOUT_S)
    match = re.search(r"^first-paint (\d+\.\d+)$", result.stdout, re.MULTILINE)
    if result.returncode != 0 or not match:
        raise RuntimeError(
            f"{argv[0]} exited {result.returncode} without a first paint:\n"
            f"{result.stdout}{result.stderr}"
        )
    return (float(match[1]) - started) * 1000


def mb(size: int) -> str:
    return f"{size / 1e6:.1f} MB ({size / 2**20:.1f} MiB)"


def verdict(ok: bool) -> str:
    return "met" if ok else "NOT met"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=7, help="timed runs each (default 7)")
    parser.add_argument("--rebuild", action="store_true", help="rebuild dist/ even if fresh")
    args = parser.parse_args()
    if args.runs < 5:
        parser.error("--runs must be at least 5")

    app_build_s = build_app(args.rebuild)
    bare_build_s = build_bare()
    print(f"LetterDesk {VERSION} frozen (PyInstaller one-folder), Linux x86_64")
    if app_build_s is not None:
        print(f"  build (make dist: bundle, .deb, .tar.gz): {app_build_s:.0f} s")
    print(f"  build (bare window bundle):                 {bare_build_s:.0f} s")

    bundle = du_bytes(APP.parent)
    bare_bundle = du_bytes(BARE.parent)
    installed = installed_size_bytes()
    print("\nSize")
    print(f"  bundle dist/letterdesk on disk:  {mb(bundle)}")
    print(f"  frozen bare window on disk:      {mb(bare_bundle)}")
    print(f"  .deb file:                       {mb(DEB.stat().st_size)}")
    print(f"  .tar.gz file:                    {mb(TARBALL.stat().st_size)}")
    print(f"  .deb installed (Installed-Size): {mb(installed)}")
    size_ok = installed <= MAX_INSTALLED_MB * 1e6
    print(f"  target installed <= {MAX_INSTALLED_MB:.0f} MB: {verdict(size_ok)}")

    with tempfile.TemporaryDirectory(prefix="letterdesk-bench-dist-") as tmp:
        home = Path(tmp)
        env = child_env(home)
        data = home / "demo"
        python = str(REPO / ".venv" / "bin" / "python")
        argvs = {
            "frozen bare window": [str(BARE)],
            "frozen LetterDesk (demo)": [str(APP), "--data-dir", str(data)],
            "source bare window": [python, str(REPO / "tests" / "bench" / "bare_window.py")],
            "source LetterDesk (demo)": [python, "-m", "desktop", "--data-dir", str(data)],
        }
        times: dict[str, list[float]] = {label: [] for label in argvs}
        try:
            # Warm-ups: the first app run creates the demo data folder.
            time_to_first_paint([*argvs["frozen LetterDesk (demo)"], "--demo"], env)
            for argv in argvs.values():
                time_to_first_paint(argv, env)
            for _ in range(args.runs):
                for label, argv in argvs.items():
                    times[label].append(time_to_first_paint(argv, env))
        except (RuntimeError, subprocess.TimeoutExpired) as exc:
            print(f"\nbench_dist: cannot measure start-up: {exc}", file=sys.stderr)
            return 1
        finally:
            shutil.rmtree(home, ignore_errors=True)

    median = {label: statistics.median(values) for label, values in times.items()}
    print(f"\nTime to first paint, offscreen, median of {args.runs} (min-max)")
    for label, values in times.items():
        spread = f"{min(values):.0f}-{max(values):.0f}"
        print(f"  {label + ':':26} {median[label]:6.0f} ms ({spread})")
    ratio = median["frozen LetterDesk (demo)"] / median["frozen bare window"]
    print(f"  frozen ratio {ratio:.2f}x; target <= {MAX_RATIO}x: {verdict(ratio <= MAX_RATIO)}")
    source_ratio = median["source LetterDesk (demo)"] / median["source bare window"]
    freezing = median["frozen LetterDesk (demo)"] / median["source LetterDesk (demo)"]
    print(f"  (from source the ratio is {source_ratio:.2f}x; frozen / source app {freezing:.2f}x)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
