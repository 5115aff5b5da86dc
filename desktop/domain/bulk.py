"""Help for code that builds tens of thousands of small objects at once
(loading records, computing Today on a large data set)."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def collector_paused() -> Iterator[None]:
    """Hold off Python's cycle collector for the duration.

    Each burst of allocations makes the collector walk every live object,
    the whole data set included; on 100,000 requests that measured as long
    as the work itself. Records and actions form no reference cycles, so
    pausing it loses nothing; it resumes afterwards if it was on.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
