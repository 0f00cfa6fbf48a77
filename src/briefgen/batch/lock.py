"""One batch at a time per output folder: an advisory fcntl lock on OUT/.briefgen.lock.

flock locks belong to the open file, so the kernel drops them when a run dies, even on kill -9:
a stale lock file left behind never blocks the next run. The catch is that fork() shares the open
file with the child: a pool worker that kept its copy would hold the lock for as long as it lives,
even after its parent was killed. So every forked child closes its copies at once (see
`_drop_in_child`), and exec'd children never get them (O_CLOEXEC).
"""

from __future__ import annotations

import contextlib
import fcntl
import logging
import os
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path

from ..errors import BriefgenError

logger = logging.getLogger(__name__)

LOCK_NAME = ".briefgen.lock"

_held: set[int] = set()  # the lock descriptors this process holds


def _drop_in_child() -> None:
    """Runs in every fork()ed child: close the inherited copies of our lock descriptors.

    Closing a copy does not unlock (the parent still has the open file; only LOCK_UN or the last
    close would), so the parent keeps its lock and the child can no longer prolong it.
    """
    for fd in _held:
        with contextlib.suppress(OSError):
            os.close(fd)
    _held.clear()


if hasattr(os, "register_at_fork"):  # POSIX; covers every fork, the pool's and any library's
    os.register_at_fork(after_in_child=_drop_in_child)


class LockedError(BriefgenError):
    """Another batch holds the output folder; waiting for it (`wait_lock`) would let this one run."""

    remedies = ("wait_lock",)


def lock_path(out_dir: Path) -> Path:
    return Path(out_dir) / LOCK_NAME


@contextlib.contextmanager
def output_lock(out_dir: Path, *, wait: bool, echo: Callable[[str], None] | None = None) -> Iterator[Path]:
    """Hold the folder's lock for the body; wait for it, or raise LockedError at once."""
    path = lock_path(out_dir)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_RDWR | os.O_CREAT | getattr(os, "O_CLOEXEC", 0), 0o644)
    _held.add(fd)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = _holder(fd)
            if not wait:
                raise LockedError(
                    f"{out_dir}: another briefgen batch{holder} is writing here; run again later "
                    f"(lock file: {path})"
                ) from None
            if echo:
                echo(f"waiting for another briefgen batch to finish with {out_dir}{holder}")
            fcntl.flock(fd, fcntl.LOCK_EX)
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"{os.getpid()}\n".encode(), 0)
        yield path
    finally:
        _held.discard(fd)
        os.close(fd)  # releases the lock


@contextlib.contextmanager
def output_locks(
    out_dirs: Sequence[Path], *, wait: bool, echo: Callable[[str], None] | None = None
) -> Iterator[None]:
    """Lock several folders, always in sorted order so two runs can never deadlock."""
    with contextlib.ExitStack() as stack:
        for out_dir in sorted(set(out_dirs)):
            stack.enter_context(output_lock(out_dir, wait=wait, echo=echo))
        yield


def _holder(fd: int) -> str:
    try:
        pid = os.pread(fd, 32, 0).decode().strip()
    except (OSError, UnicodeDecodeError):
        return ""
    return f" (pid {pid})" if pid.isdigit() else ""
