"""Where batch work runs: inline, a local process pool (`pool`), or a Dask cluster (`cluster`)."""

from __future__ import annotations

import os
from typing import Any

from ..errors import BriefgenError, SettingError
from .pool import LocalExecutor

EXECUTORS = ("local", "dask")


def _cores() -> int:
    """The cores this process may use (a container or taskset may allow fewer than the machine has)."""
    try:
        return len(os.sched_getaffinity(0)) or 1
    except AttributeError:  # macOS, Windows
        return os.cpu_count() or 1


def make_executor(kind: str, *, jobs: int | None, scheduler: str | None) -> Any:
    jobs = jobs or _cores()
    if kind == "local":
        if scheduler:
            raise SettingError("scheduler", scheduler, "only applies to the dask executor")
        return LocalExecutor(jobs)
    if kind == "dask":
        try:
            import dask.distributed  # noqa: F401 - absent unless installed with the dask extra
        except ImportError:
            raise BriefgenError("the dask executor needs Dask: pip install 'briefgen[dask]'") from None
        from .cluster import DaskExecutor

        return DaskExecutor(scheduler, jobs)
    raise BriefgenError(f"unknown executor {kind!r} (expected one of: {', '.join(EXECUTORS)})")
