"""A batch that is cut short (Ctrl-C, SIGTERM, kill -9, a worker killed by the system).

What matters: the finished memos are kept, the output folder is never left locked, and one dead
worker costs at most its own source. Interruptions are made deterministic by fake builders that
interrupt, terminate or crash on a chosen source.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from briefgen.cache import CACHE_DIR
from briefgen.lock import output_lock

from test_batch import FakeBuilder, run, write_manifest

SOURCES = ("alpha", "beta", "gamma", "delta", "epsilon")


@pytest.fixture
def five_sources(tmp_path: Path) -> Path:
    """Five small sources (sizes differ, so the build order is fixed), memo + principal x docx + pdf."""
    (tmp_path / "sources").mkdir()
    for i, name in enumerate(SOURCES):
        (tmp_path / "sources" / f"{name}.txt").write_text(
            f"{name.title()} report\n\n" + f"The {name} paragraph says something. " * (len(SOURCES) - i) + "\n")
    return write_manifest(tmp_path, """
[defaults]
out = "out"
date = 2026-01-05
audiences = ["memo", "principal"]
formats = ["docx", "pdf"]

[[job]]
sources = ["sources/*.txt"]
""")


class InterruptingBuilder(FakeBuilder):
    """Ctrl-C arrives while the source number `after` + 1 is being analysed."""

    def __init__(self, after: int) -> None:
        super().__init__()
        self.after = after

    def extract(self, path, *, key_points, max_bytes):
        if len(self.extracted) == self.after:
            raise KeyboardInterrupt
        return super().extract(path, key_points=key_points, max_bytes=max_bytes)


def test_interrupted_run_keeps_finished_memos_and_rerun_builds_only_the_rest(five_sources):
    first = InterruptingBuilder(after=2)
    with pytest.raises(KeyboardInterrupt):
        run(five_sources, first)
    done = set(first.extracted)
    assert len(done) == 2

    again = FakeBuilder()
    result, _ = run(five_sources, again)
    assert result.exit_code == 0
    assert result.unchanged == 2 * 4 and result.built == 3 * 4
    assert set(again.extracted) == {f"{name}.txt" for name in SOURCES} - done


def test_state_lines_are_on_disk_before_the_run_ends(five_sources):
    """The journal grows as sources finish, not in one go at the end."""
    state = five_sources.parent / "out" / CACHE_DIR / "state.jsonl"
    seen: list[int] = []

    class Watching(FakeBuilder):
        def extract(self, path, *, key_points, max_bytes):
            seen.append(len(state.read_text().splitlines()) if state.exists() else 0)
            return super().extract(path, key_points=key_points, max_bytes=max_bytes)

    run(five_sources, Watching())
    assert seen == [0, 4, 8, 12, 16]


def _hold_until(conn) -> None:
    """A forked child that outlives its parent's lock, as a pool worker would."""
    conn.send("started")  # the fork hooks have run by now
    conn.recv()


def test_forked_child_does_not_keep_the_output_folder_locked(tmp_path):
    import multiprocessing

    context = multiprocessing.get_context("fork")
    parent_end, child_end = context.Pipe()
    with output_lock(tmp_path / "out", wait=False):
        child = context.Process(target=_hold_until, args=(child_end,))
        child.start()
        assert parent_end.recv() == "started"
    try:
        with output_lock(tmp_path / "out", wait=False):  # LockedError if the child kept the lock
            pass
        assert child.is_alive()
    finally:
        parent_end.send("done")
        child.join()
