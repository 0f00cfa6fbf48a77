"""The per-source time limit: one LimitError naming the limit, which no `except Exception` swallows."""

from __future__ import annotations

import signal
import time

import pytest

from briefgen.errors import LimitError
from briefgen.limits import time_limit


def test_work_past_the_limit_ends_with_a_limit_error_naming_it():
    start = time.monotonic()
    with pytest.raises(LimitError) as caught, time_limit(0.2, "slow.txt"):
        while True:
            time.sleep(0.01)
    assert time.monotonic() - start < 5
    assert (caught.value.limit, caught.value.value) == ("timeout", 0.2)
    assert str(caught.value) == "slow.txt: took longer than the time limit of 0.2 s"


def test_a_reader_catching_every_exception_cannot_swallow_the_limit():
    def careless_reader():
        try:
            time.sleep(5)
        except Exception:  # what a reader does to turn any failure into "damaged file"
            return "damaged"
        return "read"

    with pytest.raises(LimitError), time_limit(0.2, "x"):
        careless_reader()


def test_work_within_the_limit_leaves_no_timer_behind():
    previous = signal.getsignal(signal.SIGALRM)
    with time_limit(5, "fast.txt"):
        pass
    assert signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0)
    assert signal.getsignal(signal.SIGALRM) is previous


def test_no_limit_means_no_timer_and_no_alarm_handler_inside_the_block():
    previous = signal.getsignal(signal.SIGALRM)
    for no_limit in (None, 0):
        with time_limit(no_limit, "x"):
            assert signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0)
            assert signal.getsignal(signal.SIGALRM) is previous
