"""The Dask executor on a loopback LocalCluster gives the same outputs as the local one."""

from __future__ import annotations

import os
import shutil
import signal
import time
from pathlib import Path

import pytest

from briefgen.errors import BriefgenError
from test_batch import FakeBuilder, memo_bytes, run, three_sources_one_broken, two_good_sources  # noqa: F401

distributed = pytest.importorskip("dask.distributed")  # the optional extra; installed by `.[test]`


@pytest.fixture(scope="module")
def scheduler():
    """A one-worker cluster in this process, on loopback only."""
    with distributed.LocalCluster(
        n_workers=1,
        threads_per_worker=2,
        processes=False,
        protocol="tcp://",
        host="127.0.0.1",
        dashboard_address="127.0.0.1:0",
    ) as cluster:
        yield cluster.scheduler_address


def test_dask_writes_the_same_bytes_as_local(two_good_sources, scheduler):
    run(two_good_sources)
    out = two_good_sources.parent / "out"
    local = memo_bytes(out)
    shutil.rmtree(out)
    result, _ = run(two_good_sources, executor="dask", scheduler=scheduler)
    assert result.exit_code == 0 and result.built == 8
    assert memo_bytes(out) == local


def test_dask_run_reports_a_broken_source_and_exits_1(three_sources_one_broken, scheduler):
    result, lines = run(three_sources_one_broken, executor="dask", scheduler=scheduler)
    assert result.exit_code == 1 and result.built == 8
    assert any(line.startswith("failed:") and "broken.txt" in line for line in lines)


def test_dask_without_a_scheduler_starts_a_loopback_cluster(two_good_sources):
    result, _ = run(two_good_sources, executor="dask", jobs=1)
    assert result.exit_code == 0 and result.built == 8


def test_unreachable_scheduler_is_a_clear_error(two_good_sources, monkeypatch):
    monkeypatch.setattr("briefgen.batch.cluster.CONNECT_TIMEOUT", "1s")
    with pytest.raises(BriefgenError, match=r"cannot reach the Dask scheduler at tcp://127\.0\.0\.1:9"):
        run(two_good_sources, executor="dask", scheduler="tcp://127.0.0.1:9")


class PidBuilder(FakeBuilder):
    """Notes, in a shared folder, which worker process warmed up and which ran each source."""

    def __init__(self, board: Path) -> None:
        super().__init__()
        self.board = board

    def warm(self) -> None:
        (self.board / f"warm-{os.getpid()}-{time.monotonic_ns()}").touch()

    def extract(self, path, *, key_points, max_bytes, max_chars):
        (self.board / f"task-{os.getpid()}-{Path(path).name}").touch()
        return super().extract(path, key_points=key_points, max_bytes=max_bytes, max_chars=max_chars)


def test_dask_workers_load_the_model_once_per_process_not_per_task(two_good_sources, tmp_path):
    board = tmp_path / "board"
    board.mkdir()
    for i in range(4):
        (two_good_sources.parent / "sources" / f"extra{i}.txt").write_text(f"Extra {i}\n")
    result, _ = run(two_good_sources, PidBuilder(board), executor="dask", jobs=2)
    assert result.exit_code == 0 and result.built == 24
    warmed = [name.split("-")[1] for name in os.listdir(board) if name.startswith("warm-")]
    ran = {name.split("-")[1] for name in os.listdir(board) if name.startswith("task-")}
    assert len(warmed) == len(set(warmed))  # once per worker process
    assert ran <= set(warmed)  # every process that ran a task had loaded the model first


class KillingBuilder(FakeBuilder):
    """Kills the worker process running a source named 'doomed' (as a repeating OOM killer would)."""

    def extract(self, path, *, key_points, max_bytes, max_chars):
        if Path(path).name.startswith("doomed"):
            os._exit(1)
        return super().extract(path, key_points=key_points, max_bytes=max_bytes, max_chars=max_chars)


def test_a_source_whose_dask_worker_keeps_dying_fails_alone_in_bounded_time(two_good_sources):
    (two_good_sources.parent / "sources" / "doomed.txt").write_text("Doomed\n")
    start = time.monotonic()
    result, lines = run(two_good_sources, KillingBuilder(), executor="dask", jobs=2)
    assert time.monotonic() - start < 120
    assert result.exit_code == 1 and result.built == 8 and result.failed == 4
    failed = [line for line in lines if line.startswith("failed:")]
    assert len(failed) == 1 and "doomed.txt" in failed[0] and "worker crashed" in failed[0]


class SchedulerKiller(FakeBuilder):
    """Kills the scheduler while a source named 'doomed' runs: the cluster is lost mid-run."""

    def __init__(self, pid: int) -> None:
        super().__init__()
        self.pid = pid

    def extract(self, path, *, key_points, max_bytes, max_chars):
        if Path(path).name.startswith("doomed"):
            os.kill(self.pid, signal.SIGKILL)
            time.sleep(2)
        return super().extract(path, key_points=key_points, max_bytes=max_bytes, max_chars=max_chars)


def test_a_lost_cluster_fails_the_sources_left_with_one_line_each_in_bounded_time(two_good_sources, capfd):
    import socket
    import subprocess
    import sys

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    address = f"tcp://127.0.0.1:{port}"
    here = str(Path(__file__).parent)
    env = {**os.environ, "PYTHONPATH": here + os.pathsep + os.environ.get("PYTHONPATH", "")}
    dask = str(Path(sys.executable).parent / "dask")
    quiet = {"stdout": subprocess.DEVNULL, "stderr": subprocess.DEVNULL, "env": env}
    scheduler = subprocess.Popen([dask, "scheduler", "--host", "127.0.0.1", "--port", str(port)], **quiet)
    worker = subprocess.Popen([dask, "worker", address, "--nthreads", "1", "--no-dashboard"], **quiet)
    try:
        sources = two_good_sources.parent / "sources"
        (sources / "doomed.txt").write_text("Doomed\n")
        for i in range(3):
            (sources / f"later{i}.txt").write_text(f"Later {i}\n")
        capfd.readouterr()
        start = time.monotonic()
        result, lines = run(
            two_good_sources, SchedulerKiller(scheduler.pid), executor="dask", scheduler=address
        )
        assert time.monotonic() - start < 120
    finally:
        worker.kill()
        scheduler.kill()
    assert result.exit_code == 1 and result.failed >= 8
    failed = [line for line in lines if line.startswith("failed:")]
    assert any("doomed.txt" in line for line in failed)
    assert all("lost the connection to the Dask cluster" in line for line in failed if "later" in line), (
        failed
    )
    assert "Traceback" not in capfd.readouterr().err
