"""The Dask executor on a loopback LocalCluster gives the same outputs as the local one."""

from __future__ import annotations

import shutil

import pytest

from briefgen.errors import BriefgenError
from test_batch import memo_bytes, run, three_sources_one_broken, two_good_sources  # noqa: F401

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
