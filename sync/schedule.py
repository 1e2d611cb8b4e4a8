"""What a process that does nothing but sync may do to itself (`helpt sync`; the periodic syncs of the
worker and of `helpt serve` are each such a process: helpt/periodic.py)."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def collector_paused() -> Iterator[None]:
    """No cycle collection while a sync builds its million long-lived objects.

    Each time the objects tracked grow by a quarter, CPython rescans them all;
    at 100,000 sign-ups that was a fifth of the sync. A sync makes next to no
    reference cycles, and refcounting still frees everything else. The switch
    is process-wide, so only processes that do nothing but sync use it (`helpt
    sync`, the worker, and `helpt serve`'s periodic sync, a child `helpt sync`);
    run_sync itself leaves the process as it found it.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
