"""What the speed benchmarks share: running a command as a measured process tree, and the policy
texts of ../shared/corpora (CRS and GAO) they are fed.

A measured run reports
- wall seconds;
- CPU seconds (user + system) of the whole tree: `getrusage(RUSAGE_CHILDREN)` before and after,
  which counts every descendant once it has been waited for (batch workers, pandoc, WeasyPrint).
  On a machine shared with other work, CPU seconds are the fairer figure: waiting for a core adds
  wall time but no CPU time;
- peak memory of the whole tree: psutil samples every process of the tree every `interval`
  seconds and keeps the largest sum of RSS (an upper bound: pages a forked worker shares with its
  parent are counted twice), the largest sum of PSS (shared pages split between the processes
  that share them: the honest "how much RAM did the run take"), and the largest single process.
  Sampling can miss a peak shorter than the interval; the scripts that need an exact peak of one
  process read its own `ru_maxrss` instead.
A run can be capped in wall time, in CPU time and in tree RSS; it is then killed and reported as
over the cap ("time", "cpu" or "memory"),
so a slow or huge case is a row in the table, not a hang or an out-of-memory machine.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import resource
import subprocess
import threading
import time
from dataclasses import dataclass
from pathlib import Path

import psutil

ROOT = Path(__file__).resolve().parents[1]
CORPORA = ROOT.parent / "shared" / "corpora"
if not CORPORA.is_dir():
    CORPORA = Path("/work/shared/corpora")

MB = 1024 * 1024


@dataclass(frozen=True)
class Run:
    wall: float
    cpu: float
    peak_rss_mb: float  # sum over the tree, at its highest sample
    peak_pss_mb: float  # the same with shared pages divided among their sharers
    largest_mb: float  # the largest single process seen
    returncode: int | None
    over: str | None  # "time", "cpu" or "memory" when the run was killed at a cap
    stdout: str
    stderr: str

    @property
    def ok(self) -> bool:
        return self.over is None and self.returncode == 0


def children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _tree(root: psutil.Process) -> list[psutil.Process]:
    try:
        return [root, *root.children(recursive=True)]
    except psutil.Error:
        return []


def _tree_cpu(root: psutil.Process) -> float:
    """CPU seconds the tree has used so far (its live processes and the children they reaped)."""
    total = 0.0
    for proc in _tree(root):
        try:
            t = proc.cpu_times()
        except psutil.Error:
            continue
        total += t.user + t.system + t.children_user + t.children_system
    return total


def _sample(tree: list[psutil.Process], pss: bool) -> tuple[float, float, float]:
    rss_sum = pss_sum = largest = 0.0
    for proc in tree:
        try:
            if pss:
                info = proc.memory_full_info()
                rss, share = info.rss, getattr(info, "pss", info.rss)
            else:
                rss = share = proc.memory_info().rss
        except psutil.Error:  # exited between listing and reading
            continue
        rss_sum += rss
        pss_sum += share
        largest = max(largest, rss)
    return rss_sum / MB, pss_sum / MB, largest / MB


def run(
    command: list[str],
    *,
    cwd: Path | None = None,
    env: dict[str, str] | None = None,
    stdin: bytes | None = None,
    time_cap: float | None = None,
    cpu_cap: float | None = None,
    memory_cap_mb: float | None = None,
    interval: float = 0.1,
    pss: bool = True,
) -> Run:
    """Run `command` to completion (or to a cap) and measure its whole process tree."""
    cpu_before = children_cpu()
    start = time.perf_counter()
    proc = subprocess.Popen(
        command,
        cwd=cwd,
        env=env,
        stdin=subprocess.PIPE if stdin is not None else subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        start_new_session=True,  # its own process group, so a cap can stop the whole tree
    )
    peaks = [0.0, 0.0, 0.0]
    over: list[str] = []
    done = threading.Event()

    def watch() -> None:
        try:
            root = psutil.Process(proc.pid)
        except psutil.Error:
            return
        while not done.is_set():
            rss, share, largest = _sample(_tree(root), pss)
            peaks[0], peaks[1], peaks[2] = max(peaks[0], rss), max(peaks[1], share), max(peaks[2], largest)
            if memory_cap_mb and rss > memory_cap_mb and not over:
                over.append("memory")
                _kill(proc)
            if time_cap and time.perf_counter() - start > time_cap and not over:
                over.append("time")
                _kill(proc)
            if cpu_cap and _tree_cpu(root) > cpu_cap and not over:
                over.append("cpu")
                _kill(proc)
            done.wait(interval)

    watcher = threading.Thread(target=watch, daemon=True)
    watcher.start()
    out, err = proc.communicate(stdin)
    wall = time.perf_counter() - start
    done.set()
    watcher.join()
    return Run(
        wall=wall,
        cpu=children_cpu() - cpu_before,
        peak_rss_mb=peaks[0],
        peak_pss_mb=peaks[1],
        largest_mb=peaks[2],
        returncode=proc.returncode,
        over=over[0] if over else None,
        stdout=out.decode("utf-8", "replace"),
        stderr=err.decode("utf-8", "replace"),
    )


def _kill(proc: subprocess.Popen) -> None:
    """Stop the process group this benchmark started (never anything else)."""
    with contextlib.suppress(ProcessLookupError):
        os.killpg(proc.pid, 9)


def median(values: list[float]) -> float:
    ordered = sorted(values)
    mid = len(ordered) // 2
    return ordered[mid] if len(ordered) % 2 else (ordered[mid - 1] + ordered[mid]) / 2


# ----------------------------------------------------------------------------- corpus texts


@dataclass(frozen=True)
class Text:
    id: str
    title: str
    paragraphs: tuple[str, ...]
    collection: str

    @property
    def words(self) -> int:
        return sum(len(p.split()) for p in self.paragraphs)


_PARAGRAPHS = re.compile(r"\n\s*\n")

COLLECTIONS = (
    ("crs-products", CORPORA / "crs-reports" / "products_without_summary.jsonl"),
    ("crs-reports", CORPORA / "crs-reports" / "reports_with_summary.jsonl"),
    ("gao-reports", CORPORA / "gao-highlights" / "gao_reports.jsonl"),
)


def policy_texts() -> list[Text]:
    """Every CRS and GAO text of ../shared/corpora, in file order (111 texts, about 450,000 words)."""
    texts = []
    for collection, path in COLLECTIONS:
        if not path.is_file():
            raise SystemExit(f"bench: {path} is missing (the benchmarks read ../shared/corpora)")
        with open(path, encoding="utf-8") as fh:
            for line in fh:
                if line.strip():
                    record = json.loads(line)
                    paragraphs = tuple(p.strip() for p in _PARAGRAPHS.split(record["text"]) if p.strip())
                    texts.append(Text(record["id"], record["title"].strip(), paragraphs, collection))
    return texts


def as_markdown(title: str, paragraphs: list[str] | tuple[str, ...]) -> str:
    """A Markdown source: the title as its heading, then the paragraphs (the corpora's text has no
    Markdown markup left, so it reads back as the same words)."""
    return "# " + title + "\n\n" + "\n\n".join(paragraphs) + "\n"


def text_of_size(size_bytes: int, texts: list[Text] | None = None) -> str:
    """Real policy text of about `size_bytes` UTF-8 bytes: the CRS and GAO bodies concatenated
    paragraph by paragraph, cut at the last paragraph that fits. No paragraph repeats, so no cache
    of any kind can skip work; the corpora hold about 3.0 MB, which bounds the size."""
    out: list[str] = []
    total = 0
    for text in texts or policy_texts():
        for paragraph in text.paragraphs:
            size = len(paragraph.encode("utf-8")) + 2
            if total + size > size_bytes:
                return "\n\n".join(out) + "\n"
            out.append(paragraph)
            total += size
    raise SystemExit(f"bench: the corpora hold only {total:,} bytes of text, not {size_bytes:,}")
