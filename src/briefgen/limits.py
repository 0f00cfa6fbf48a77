"""The per-source time limit: a source that takes too long ends with one line naming the limit.

Inside one process the limit is a SIGALRM timer (POSIX, main thread only) that interrupts Python
code; it cannot interrupt a C extension that never returns to Python, so a batch also has its
parent stop a worker that overruns (`batch.pool`). Where no timer can be set (another thread, no
SIGALRM) the body runs unbounded here and the caller's own bound applies.
"""

from __future__ import annotations

import contextlib
import signal
import threading
from collections.abc import Iterator

from .errors import LimitError


class _Expired(BaseException):
    """Raised by the timer. A BaseException, so no `except Exception` inside a reader or analyser
    can swallow it and report the source as damaged instead."""


def timeout_error(path: object, seconds: float) -> LimitError:
    return LimitError(
        path, f"took longer than the time limit of {seconds:g} s", limit="timeout", value=seconds
    )


@contextlib.contextmanager
def time_limit(seconds: float | None, path: object) -> Iterator[None]:
    """Run the body under a wall-clock limit; LimitError(limit="timeout") when it runs out."""
    if (
        not seconds
        or not hasattr(signal, "setitimer")
        or threading.current_thread() is not threading.main_thread()
    ):
        yield
        return

    def expire(_signum: int, _frame: object) -> None:
        raise _Expired

    previous = signal.signal(signal.SIGALRM, expire)
    try:
        signal.setitimer(signal.ITIMER_REAL, seconds)
        try:
            yield
        finally:
            signal.setitimer(signal.ITIMER_REAL, 0)
    except _Expired:  # also when it fires just as the body ends: the source was at its limit
        raise timeout_error(path, seconds) from None
    finally:
        signal.signal(signal.SIGALRM, previous)
