"""How work grows with input: the time at 16 times the input over the time at 1x.

Linear work grows about 16 times, n log n a little more, quadratic work 256
times: a test asserts the ratio stays under ``LIMIT``, far from both, so a
noisy shared machine moves neither verdict (on this project's shared 2-core
machine the linear routines measured 10 to 45, the quadratic code they
replaced 170 to 300). Absolute times are never asserted.
"""

from __future__ import annotations

import gc
import time
from collections.abc import Callable

FACTOR = 16
# Between linear (16) and quadratic (256), with room for noise both ways.
LIMIT = 96.0


def best_time(work: Callable[[], object], repeats: int = 3) -> float:
    """The shortest of ``repeats`` runs of ``work``, in seconds (the garbage collector off)."""
    best = float("inf")
    enabled = gc.isenabled()
    gc.disable()
    try:
        for _ in range(repeats):
            start = time.perf_counter()
            work()
            best = min(best, time.perf_counter() - start)
    finally:
        if enabled:
            gc.enable()
    return best


def growth(make: Callable[[int], Callable[[], object]], base: int) -> float:
    """Time of ``make(base * FACTOR)()`` over time of ``make(base)()``: ~16 when linear, ~256 when quadratic.

    ``make(n)`` builds the input of size ``n`` (not timed) and returns the work to time.
    """
    small, large = make(base), make(base * FACTOR)
    small()  # warm caches (compiled patterns, imports) outside the timing
    return best_time(large) / max(best_time(small), 1e-6)
