"""What a batch run tells people: a summary for the terminal and a JSON report for machines."""

from __future__ import annotations

import datetime as dt
import json
import os
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

from .. import __version__
from ..errors import LimitError
from ..fsutil import write_atomic
from ..textutil import printable

REPORT_NAME = "briefgen-report.json"
REPORT_SCHEMA = "briefgen.batch-report/1"
SHOW_STALE = 10  # list this many stale outputs in the summary, then count the rest

BUILT, UNCHANGED, FAILED, PRUNED, STALE = "built", "unchanged", "failed", "pruned", "stale"
PENDING = "pending"  # a dry run: would be built


@dataclass(frozen=True, kw_only=True)
class OutputReport:
    output: str
    source: str | None
    audience: str | None
    format: str | None
    status: str  # built | unchanged | failed | pruned | stale | pending
    error: str | None = None
    seconds: float = 0.0
    sha256: str | None = None
    reason: str | None = None  # why it was (or would be) rebuilt: new, source changed, ...


@dataclass(frozen=True, kw_only=True)
class BatchResult:
    exit_code: int
    outputs: tuple[OutputReport, ...]
    seconds: float
    report_path: Path | None = None
    dry_run: bool = False

    def count(self, status: str) -> int:
        return sum(1 for o in self.outputs if o.status == status)

    @property
    def built(self) -> int:
        return self.count(BUILT)

    @property
    def unchanged(self) -> int:
        return self.count(UNCHANGED)

    @property
    def failed(self) -> int:
        return self.count(FAILED)

    @property
    def pruned(self) -> int:
        return self.count(PRUNED)

    @property
    def stale(self) -> tuple[str, ...]:
        return tuple(o.output for o in self.outputs if o.status == STALE)

    def by_status(self, status: str) -> tuple[OutputReport, ...]:
        return tuple(o for o in self.outputs if o.status == status)


def display(path: str | Path) -> str:
    """A path as short as it can be said (relative to the working folder when inside it), on one
    line and printable: bytes that are not UTF-8 show as \\xNN, a newline as \\n."""
    try:
        text = os.path.relpath(path) if Path(path).is_relative_to(Path.cwd()) else str(path)
    except (ValueError, OSError):
        text = str(path)
    return printable(text)


# What raises each limit in a manifest: the batch summary's hint (the library's messages name none).
_MANIFEST_KEYS = {"max_bytes": "max_bytes", "max_chars": "max_chars", "timeout": "timeout"}


def batch_message(err: BaseException) -> str:
    """One line for the summary and the report. The source is named next to it, so a SourceError
    gives only its problem; a limit says which manifest key raises it."""
    from ..errors import BriefgenError, SourceError

    if isinstance(err, SourceError):
        text = err.problem
        if isinstance(err, LimitError) and err.limit in _MANIFEST_KEYS:
            text += f" (raise it with the manifest key {_MANIFEST_KEYS[err.limit]})"
    elif isinstance(err, BriefgenError):
        text = str(err)
    else:
        text = f"internal error: {type(err).__name__}: {err}"
    return printable(" ".join(text.split()))  # one line in the summary and the report, whatever it said


def summary_lines(result: BatchResult) -> list[str]:
    """The closing lines: one count line, one line per failing source, then stale outputs."""
    if result.dry_run:
        head = (
            f"briefgen batch (dry run): {result.count(PENDING)} to build, {result.unchanged} unchanged, "
            f"{len(result.stale) + result.pruned} stale"
        )
    else:
        head = (
            f"briefgen batch: {result.built} built, {result.unchanged} unchanged, "
            f"{result.failed} failed, {result.pruned} pruned in {result.seconds:.1f} s"
        )
    lines = [head]
    lines += failure_lines(result.by_status(FAILED))
    stale = result.stale
    if stale:
        lines.append(f"{len(stale)} output(s) no job produces any more (remove them with --prune):")
        lines += [f"  stale: {display(o)}" for o in stale[:SHOW_STALE]]
        if len(stale) > SHOW_STALE:
            lines.append(f"  ... and {len(stale) - SHOW_STALE} more (see the report)")
    return lines


def failure_lines(failed: tuple[OutputReport, ...]) -> list[str]:
    """One line per source and error, naming the file (and the memos, when not all failed)."""
    groups: dict[tuple[str, str], list[str]] = defaultdict(list)
    for o in failed:
        groups[(o.source or o.output, o.error or "failed")].append(f"{o.audience}.{o.format}")
    lines = []
    for (source, error), memos in groups.items():
        lines.append(f"failed: {display(source)} ({', '.join(memos)}): {error}")
    return lines


def write_report(path: Path, result: BatchResult, *, manifest: Path, started: dt.datetime) -> None:
    head = {
        "schema": REPORT_SCHEMA,
        "briefgen": __version__,
        "manifest": str(manifest),
        "started": started.isoformat(timespec="seconds"),
        "seconds": round(result.seconds, 3),
        "summary": {
            "built": result.built,
            "unchanged": result.unchanged,
            "failed": result.failed,
            "pruned": result.pruned,
            "stale": len(result.stale),
        },
    }
    # One output per line: readable, greppable, and json's fast C encoder (indent= is pure Python,
    # which a no-change run of thousands of outputs would notice).
    rows = ",\n".join(
        "    "
        + json.dumps(
            {k: (round(v, 3) if k == "seconds" else v) for k, v in vars(o).items()}, ensure_ascii=False
        )
        for o in result.outputs
    )
    text = json.dumps(head, indent=2, ensure_ascii=False)[:-2] + ',\n  "outputs": [\n' + rows + "\n  ]\n}\n"
    # backslashreplace: a file name that is not UTF-8 (surrogates in Python) becomes a \\udcxx
    # escape, which is exactly how JSON writes that character inside a string.
    write_atomic(path, text.encode("utf-8", "backslashreplace"))
