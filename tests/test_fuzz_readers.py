"""Fuzzing the readers: the example sources of every format, mutated (bytes flipped, cut short,
spliced with another file), must read or fail with one line naming the problem, never crash
and never hang.

`make test` runs a short, fixed set of cases (derandomized, a few hundred in all); `make fuzz
N=1000` runs N random cases per format. A case that raises anything but a one-line
BriefgenError, or runs past the time limit, fails with the mutated bytes' description.
"""

from __future__ import annotations

import os
import signal
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from briefgen.errors import BriefgenError
from briefgen.readers import read_source

SOURCES = Path(__file__).resolve().parents[1] / "sources"
FIXTURES = Path(__file__).resolve().parent / "fixtures" / "readers"
EXAMPLES = {
    path.suffix.lstrip("."): path.read_bytes()
    for path in sorted(SOURCES.iterdir())
    if path.suffix in (".txt", ".md", ".html", ".pdf", ".docx")
}
FORMATS = sorted(EXAMPLES)
# Per case: a reader that takes longer than this on a file of this size has hung.
CASE_SECONDS = 60
RANDOM_RUN = "FUZZ_N" in os.environ
CASES = int(os.environ.get("FUZZ_N", "30"))


class Hang(Exception):
    pass


def _alarm(_signum, _frame):
    raise Hang(f"a reader ran past {CASE_SECONDS} s")


@st.composite
def mutations(draw, fmt: str):
    """The example of `fmt`, mutated one to three times."""
    data = bytearray(EXAMPLES[fmt])
    steps = []
    for _ in range(draw(st.integers(1, 3))):
        kind = draw(st.sampled_from(["flip", "truncate", "splice", "repeat"]))
        if kind == "flip" and data:
            for _ in range(draw(st.integers(1, 16))):
                at = draw(st.integers(0, len(data) - 1))
                data[at] = draw(st.integers(0, 255))
            steps.append("flipped bytes")
        elif kind == "truncate" and len(data) > 1:
            at = draw(st.integers(1, len(data) - 1))
            del data[at:]
            steps.append(f"cut at {at}")
        elif kind == "splice":
            other = EXAMPLES[draw(st.sampled_from(FORMATS))]
            at = draw(st.integers(0, len(data)))
            start = draw(st.integers(0, max(0, len(other) - 1)))
            piece = other[start : start + draw(st.integers(1, 4096))]
            data[at:at] = piece
            steps.append(f"spliced {len(piece)} bytes at {at}")
        elif kind == "repeat" and data:
            start = draw(st.integers(0, len(data) - 1))
            piece = bytes(data[start : start + draw(st.integers(1, 512))])
            data[start:start] = piece * draw(st.integers(2, 50))
            steps.append(f"repeated {len(piece)} bytes")
    return bytes(data), ", ".join(steps)


def _read(tmp_path: Path, fmt: str, data: bytes, describe: str) -> None:
    path = tmp_path / f"mutated.{fmt}"
    path.write_bytes(data)
    previous = signal.signal(signal.SIGALRM, _alarm)
    signal.alarm(CASE_SECONDS)
    try:
        read_source(path)
    except BriefgenError as err:
        assert "\n" not in str(err), f"{fmt} ({describe}): a two-line error: {err!r}"
    except Hang:
        pytest.fail(f"{fmt} ({describe}): hung")
    except Exception as err:  # the point of the harness: nothing else may escape
        pytest.fail(f"{fmt} ({describe}): crashed with {type(err).__name__}: {err}")
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_mutated_example_reads_or_fails_with_one_line(fmt, tmp_path_factory):
    @settings(
        max_examples=CASES,
        deadline=None,
        derandomize=not RANDOM_RUN,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(case=mutations(fmt))
    def run(case):
        data, describe = case
        _read(tmp_path_factory.mktemp(fmt), fmt, data, describe)

    run()


@pytest.mark.parametrize("fmt", ["txt", "html"])
def test_a_mutated_example_goes_through_extract_or_fails_with_one_line(fmt, tmp_path):
    from briefgen.pipeline import extract

    @settings(
        max_examples=3 if not RANDOM_RUN else max(3, CASES // 50),
        deadline=None,
        derandomize=not RANDOM_RUN,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(case=mutations(fmt))
    def run(case):
        data, describe = case
        path = tmp_path / f"mutated.{fmt}"
        path.write_bytes(data)
        try:
            extract(path)
        except BriefgenError as err:
            assert "\n" not in str(err), f"{fmt} ({describe}): a two-line error: {err!r}"

    run()
