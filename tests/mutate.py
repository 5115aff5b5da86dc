"""Mutation testing (``make mutate``, not part of ``make test``): mutmut 3
changes one thing at a time in the modules below and runs the tests named
for them; a mutant the tests do not notice ("survived") is a line no test
really pins.

Everything that decides what is mutated and which tests judge it is the
GROUPS table below; update it when a module or its tests move. Each group
runs in its own scratch copy of the checkout (under the system's temporary
folder, removed afterwards), so nothing is written into the checkout and
one group's mutants meet only that group's tests.

    python tests/mutate.py                 # every group
    python tests/mutate.py outbox backups  # some groups
    python tests/mutate.py --list          # the groups
    python tests/mutate.py --keep csv      # keep the scratch copy to inspect

Prints killed/total per group and the surviving mutants' names (``mutmut
show NAME`` in the kept scratch copy shows the change).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class Group:
    name: str
    mutate: tuple[str, ...]  # mutmut ``only_mutate`` globs, relative to the checkout
    tests: tuple[str, ...]  # pytest arguments: the tests that judge these mutants


# The one place to edit when modules or tests move.
GROUPS: tuple[Group, ...] = (
    Group("domain", ("desktop/domain/*",), ("tests/domain",)),
    Group("outbox", ("desktop/store/outbox.py",), ("tests/services/mail/test_outbox.py",)),
    Group(
        "backups", ("desktop/services/data/backups.py",), ("tests/services/data/test_backups.py",)
    ),
    Group(
        "csv",
        (
            "desktop/services/data/csv_io.py",
            "desktop/services/data/formula_guard.py",
            "desktop/services/data/import_preview.py",
        ),
        (
            "tests/services/data/test_csv_io.py",
            "tests/services/data/test_import_formats.py",
            "tests/property/test_importers.py",
        ),
    ),
    Group(
        "secrets",
        ("desktop/services/secrets.py",),
        (
            "tests/services/test_secrets.py",
            "tests/services/test_keyring_real.py",
            "tests/services/test_no_plaintext_password.py",
        ),
    ),
)

# What a scratch copy needs besides the mutated package: the tests, the
# resources the code loads, and pyproject.toml (pytest's settings).
COPY = ("desktop", "tests", "resources", "pyproject.toml")
IGNORE = shutil.ignore_patterns("__pycache__", "*.pyc", ".hypothesis", "mutants")


def _toml_list(items: tuple[str, ...] | list[str]) -> str:
    return "[" + ", ".join(json.dumps(item) for item in items) + "]"


def _scratch_copy(group: Group, root: Path) -> Path:
    work = root / group.name
    work.mkdir()
    for name in COPY:
        source = REPO / name
        if source.is_dir():
            shutil.copytree(source, work / name, ignore=IGNORE)
        else:
            shutil.copy2(source, work / name)
    with (work / "pyproject.toml").open("a", encoding="utf-8") as config:
        config.write(
            "\n[tool.mutmut]\n"
            'source_paths = ["desktop"]\n'
            f"only_mutate = {_toml_list(group.mutate)}\n"
            'also_copy = ["resources"]\n'
            f"pytest_add_cli_args_test_selection = {_toml_list(group.tests)}\n"
        )
    return work


def _mutmut(work: Path, *args: str, **kwargs) -> subprocess.CompletedProcess[str]:
    # TMPDIR inside the scratch folder: whatever the tests leave in the
    # temporary folder (a mutant may break their cleanup) goes with it.
    env = {
        **os.environ,
        "QT_QPA_PLATFORM": "offscreen",
        "PYTHONDONTWRITEBYTECODE": "1",
        "TMPDIR": str(work.parent / f"{work.name}-tmp"),
    }
    Path(env["TMPDIR"]).mkdir(exist_ok=True)
    return subprocess.run(
        [sys.executable, "-m", "mutmut", *args],
        cwd=work,
        env=env,
        text=True,
        check=False,
        **kwargs,
    )


def run_group(group: Group, root: Path, children: int) -> dict[str, object]:
    work = _scratch_copy(group, root)
    started = time.monotonic()
    log = (root / f"{group.name}.log").open("w", encoding="utf-8")
    with log:
        run = _mutmut(work, "run", "--max-children", str(children), stdout=log, stderr=log)
    if run.returncode != 0:
        tail = (root / f"{group.name}.log").read_text(encoding="utf-8")[-3000:]
        raise SystemExit(f"mutmut failed for {group.name} (exit {run.returncode}):\n{tail}")
    _mutmut(work, "export-cicd-stats", capture_output=True)
    stats = json.loads((work / "mutants" / "mutmut-cicd-stats.json").read_text("utf-8"))
    listing = _mutmut(work, "results", capture_output=True).stdout
    survivors = [
        line.split(":", 1)[0].strip() for line in listing.splitlines() if ": survived" in line
    ]
    stats["survivors"] = survivors
    stats["seconds"] = round(time.monotonic() - started)
    return stats


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("groups", nargs="*", help="group names (default: all)")
    parser.add_argument("--list", action="store_true", help="show the groups and exit")
    parser.add_argument("--keep", action="store_true", help="keep the scratch copies")
    parser.add_argument("--children", type=int, default=os.cpu_count() or 2)
    parser.add_argument("--json", type=Path, help="also write the results here")
    args = parser.parse_args(argv)

    by_name = {group.name: group for group in GROUPS}
    if args.list:
        for group in GROUPS:
            print(f"{group.name}: {' '.join(group.mutate)}  <-  {' '.join(group.tests)}")
        return 0
    unknown = [name for name in args.groups if name not in by_name]
    if unknown:
        parser.error(f"unknown group(s) {', '.join(unknown)}; known: {', '.join(by_name)}")
    chosen = [by_name[name] for name in args.groups] or list(GROUPS)

    root = Path(tempfile.mkdtemp(prefix="letterdesk-mutate-"))
    results: dict[str, dict[str, object]] = {}
    try:
        for group in chosen:
            print(f"== {group.name}: mutating {' '.join(group.mutate)}", flush=True)
            stats = run_group(group, root, args.children)
            results[group.name] = stats
            print(
                f"   killed {stats['killed']}/{stats['total']}, survived {stats['survived']}, "
                f"timeout {stats['timeout']}, suspicious {stats['suspicious']}, "
                f"no tests {stats['no_tests']}, in {stats['seconds']} s",
                flush=True,
            )
            for name in stats["survivors"]:  # type: ignore[union-attr]
                print(f"   survived: {name}")
    finally:
        if args.keep:
            print(f"Scratch copies kept in {root}")
        else:
            shutil.rmtree(root, ignore_errors=True)
    if args.json:
        args.json.write_text(json.dumps(results, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
