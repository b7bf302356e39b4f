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
# At 4 times the input, linear work takes ~4 times as long and quadratic ~16: past this,
# the answer is known without waiting for 16 times (quadratic code took minutes there).
EARLY = 14.0


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
    A run that already grows as a square at 4 times the input returns that square's
    extrapolation; a measurement over ``LIMIT`` is taken again before it counts.
    """
    small = make(base)
    small()  # warm caches (compiled patterns, imports) outside the timing
    unit = max(best_time(small), 1e-6)
    middle = make(base * 4)
    early = best_time(middle, 1) / unit
    if early > EARLY:
        early = best_time(middle) / unit  # once more, in case the machine was busy
        if early > EARLY:
            return early**2
    large = make(base * FACTOR)
    ratio = best_time(large, 1) / unit
    return ratio if ratio < LIMIT else best_time(large, 2) / unit
