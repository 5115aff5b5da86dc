"""How long the Today rules take on a generated snapshot. A script, not a
test (timings vary by machine); run it from the repository root:

    python -m tests.domain.time_today [--runs 7] [--scale 10000 100000]

The scale is the number of requests; mentors, programs and experiences grow
with it in the proportions of an advising office (10,000 requests: 2,000
mentors, 500 programs). Only ``next_actions`` is timed, not building the
snapshot; the median and the fastest of the runs are reported.
"""

from __future__ import annotations

import argparse
import statistics
import time
from datetime import date

from desktop.domain.today import next_actions

from .snapshot_generator import generated_snapshot

TODAY = date(2027, 9, 15)


def time_today(requests: int, runs: int) -> tuple[float, float, int]:
    snapshot = generated_snapshot(
        1,
        TODAY,
        mentors=requests // 5,
        requests=requests,
        programs=requests // 20,
        experiences=requests // 5,
    )
    next_actions(snapshot, TODAY)  # warm-up, unmeasured
    timings = []
    for _ in range(runs):
        started = time.perf_counter()
        actions = next_actions(snapshot, TODAY)
        timings.append(time.perf_counter() - started)
    return statistics.median(timings) * 1000, min(timings) * 1000, len(actions)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--scale", type=int, nargs="+", default=[10_000, 100_000])
    args = parser.parse_args()
    for requests in args.scale:
        median, fastest, count = time_today(requests, args.runs)
        print(
            f"{requests:>7,} requests: median {median:7.1f} ms, fastest {fastest:7.1f} ms "
            f"of {args.runs} runs ({count:,} actions)"
        )


if __name__ == "__main__":
    main()
