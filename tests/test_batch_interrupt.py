"""A batch that is cut short (Ctrl-C, SIGTERM, kill -9, a worker killed by the system).

What matters: the finished memos are kept, the output folder is never left locked, and one dead
worker costs at most its own source. Interruptions are made deterministic by fake builders that
interrupt, terminate or crash on a chosen source.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from briefgen.batch.cache import CACHE_DIR
from briefgen.batch.lock import output_lock
from briefgen.batch.pool import WORKER_CRASHED
from test_batch import FakeBuilder, run, write_manifest

SOURCES = ("alpha", "beta", "gamma", "delta", "epsilon")
TESTS = Path(__file__).parent


@pytest.fixture
def five_sources(tmp_path: Path) -> Path:
    """Five small sources (sizes differ, so the build order is fixed), memo + principal x docx + pdf."""
    (tmp_path / "sources").mkdir()
    for i, name in enumerate(SOURCES):
        (tmp_path / "sources" / f"{name}.txt").write_text(
            f"{name.title()} report\n\n"
            + f"The {name} paragraph says something. " * (len(SOURCES) - i)
            + "\n"
        )
    return write_manifest(
        tmp_path,
        """
[defaults]
out = "out"
date = 2026-01-05
audiences = ["memo", "principal"]
formats = ["docx", "pdf"]

[[job]]
sources = ["sources/*.txt"]
""",
    )


class InterruptingBuilder(FakeBuilder):
    """Ctrl-C arrives while the source number `after` + 1 is being analysed."""

    def __init__(self, after: int) -> None:
        super().__init__()
        self.after = after

    def extract(self, path, *, key_points, max_bytes, max_chars):
        if len(self.extracted) == self.after:
            raise KeyboardInterrupt
        return super().extract(path, key_points=key_points, max_bytes=max_bytes, max_chars=max_chars)


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
        def extract(self, path, *, key_points, max_bytes, max_chars):
            seen.append(len(state.read_text().splitlines()) if state.exists() else 0)
            return super().extract(path, key_points=key_points, max_bytes=max_bytes, max_chars=max_chars)

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


class CrashingBuilder(FakeBuilder):
    """The worker analysing gamma.txt dies as the OOM killer would kill it (SIGKILL); with `once`,
    only the first time (a marker file remembers across worker processes)."""

    def __init__(self, marker: Path | None = None) -> None:
        super().__init__()
        self.marker = marker

    def extract(self, path, *, key_points, max_bytes, max_chars):
        if Path(path).name == "gamma.txt" and (self.marker is None or not self.marker.exists()):
            if self.marker is not None:
                self.marker.write_text("crashed once")
            os.kill(os.getpid(), signal.SIGKILL)
        return super().extract(path, key_points=key_points, max_bytes=max_bytes, max_chars=max_chars)


def test_source_that_kills_its_worker_fails_alone_after_a_retry(five_sources):
    result, lines = run(five_sources, CrashingBuilder(), jobs=2)
    failed = {o.source for o in result.outputs if o.status == "failed"}
    assert result.exit_code == 1
    assert result.built == 4 * 4 and result.failed == 4
    assert [Path(s).name for s in failed] == ["gamma.txt"]
    failure = [line for line in lines if line.startswith("failed:")]
    assert len(failure) == 1 and "gamma.txt" in failure[0] and WORKER_CRASHED in failure[0]


def test_worker_killed_once_is_retried_and_everything_builds(five_sources, tmp_path):
    marker = tmp_path / "crashed"
    result, _ = run(five_sources, CrashingBuilder(marker), jobs=2)
    assert marker.exists()  # the worker did die once
    assert result.exit_code == 0 and result.built == 5 * 4


class SleepingBuilder(FakeBuilder):
    """Notes the pid of the worker on each source, then hangs (a long analysis)."""

    def __init__(self, board: Path, hang: tuple[str, ...] = SOURCES) -> None:
        super().__init__()
        self.board = board
        self.hang = hang

    def extract(self, path, *, key_points, max_bytes, max_chars):
        if Path(path).stem in self.hang:
            (self.board / str(os.getpid())).write_text(Path(path).name)
            if Path(path).stem == "gamma" and "terminate-parent" in self.hang:
                os.kill(os.getppid(), signal.SIGTERM)  # systemd stopping the unit mid-run
            time.sleep(60)
        return super().extract(path, key_points=key_points, max_bytes=max_bytes, max_chars=max_chars)


def _alive(pid: int) -> bool:
    """Running (a zombie waiting for a reaper has already let go of its files)."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except (OSError, IndexError):
        return False


def _wait_for(condition, limit: float = 30.0) -> bool:
    """Poll for a condition that another process brings about; a deadline, not a timing assertion."""
    deadline = time.monotonic() + limit
    while not condition():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.05)
    return True


def _batch_process(manifest: Path, board: Path, hang: tuple[str, ...], cli: bool) -> subprocess.Popen:
    """A batch in its own process, using SleepingBuilder in place of the real pipeline."""
    script = f"""
import sys
sys.path.insert(0, {str(TESTS)!r})
from pathlib import Path
import briefgen.batch.run
from test_batch_interrupt import SleepingBuilder
builder = SleepingBuilder(Path({str(board)!r}), {hang!r})
if {cli!r}:
    briefgen.batch.run.PipelineBuilder = lambda: builder
    from briefgen.cli import main
    main(["batch", {str(manifest)!r}, "--jobs", "2"])
else:
    options = briefgen.batch.BatchOptions(jobs=2)
    briefgen.batch.run_batch(Path({str(manifest)!r}), options, builder=builder, progress=False)
"""
    return subprocess.Popen(
        [sys.executable, "-c", script], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc to see the workers")
def test_killed_batch_takes_its_workers_with_it_and_leaves_the_folder_unlocked(five_sources, tmp_path):
    board = tmp_path / "board"
    board.mkdir()
    batch = _batch_process(five_sources, board, SOURCES, cli=False)
    workers: list[int] = []
    try:
        assert _wait_for(lambda: len(list(board.iterdir())) == 2), batch.communicate(timeout=5)
        workers = [int(p.name) for p in board.iterdir()]
        batch.kill()  # kill -9: no cleanup of any kind in the parent
        batch.wait(timeout=30)
        assert _wait_for(lambda: not any(_alive(pid) for pid in workers), limit=10)
        with output_lock(five_sources.parent / "out", wait=False):
            pass
    finally:
        for pid in workers:
            if _alive(pid):
                os.kill(pid, signal.SIGKILL)


def test_sigterm_stops_workers_keeps_progress_and_exits_143(five_sources, tmp_path):
    board = tmp_path / "board"
    board.mkdir()
    batch = _batch_process(five_sources, board, ("gamma", "terminate-parent"), cli=True)
    try:
        _, err = batch.communicate(timeout=60)
    finally:
        batch.kill()
    assert batch.returncode == 143, err
    assert err.strip().splitlines()[-1].startswith("briefgen: terminated;")
    [worker] = [int(p.name) for p in board.iterdir()]
    assert not _alive(worker)  # ended and reaped by the batch, not left sleeping
    state = five_sources.parent / "out" / CACHE_DIR / "state.jsonl"
    # Which sources finished before gamma's worker sent SIGTERM depends on the scheduler: maybe none.
    lines = state.read_text().splitlines() if state.exists() else []
    kept = {Path(json.loads(line)["source"]).name for line in lines}
    assert "gamma.txt" not in kept

    result, _ = run(five_sources)  # the folder is not locked: no --wait needed
    assert result.exit_code == 0 and result.built + result.unchanged == 5 * 4
    rebuilt = {Path(o.source).name for o in result.outputs if o.status == "built"}
    assert rebuilt == {f"{name}.txt" for name in SOURCES} - kept
