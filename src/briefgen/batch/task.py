"""The unit of batch work: one source, its analysis loaded from the cache or computed once, then
every audience x format memo of that source rendered from it.

Workers read sources and write outputs themselves (through paths every worker shares) and send
back only small results. The heavy steps sit behind a `Builder` so tests can swap in a fake one;
the real `PipelineBuilder` imports spaCy and the renderers lazily, once per worker process.
"""

from __future__ import annotations

import functools
import logging
import os
import time
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, Protocol

from ..fsutil import write_atomic
from ..limits import time_limit
from ..options import BuildOptions
from .cache import load_brief, sha256_bytes, store_brief
from .report import batch_message

logger = logging.getLogger(__name__)


@dataclass(frozen=True, kw_only=True)
class MemoTask:
    output: Path
    audience: str
    templates_dir: Path | None
    format: str
    options: BuildOptions
    key_points: int  # the number the analysis is run with (job setting, else the audience's)
    analysis_key: str
    brief_paths: tuple[Path, ...]  # where that analysis is cached (one per output folder)


@dataclass(frozen=True, kw_only=True)
class SourceTask:
    source: Path  # absolute: what a worker opens
    name: str  # the path memos print: relative to the manifest, the same on every machine
    sha256: str
    max_bytes: int
    max_chars: int
    timeout: float  # seconds for the whole task (read, analyse, render every memo)
    memos: tuple[MemoTask, ...]


@dataclass(frozen=True, kw_only=True)
class MemoResult:
    output: Path
    ok: bool
    seconds: float
    error: str | None = None
    sha256: str | None = None
    size: int = 0
    mtime_ns: int = 0


@dataclass(frozen=True, kw_only=True)
class SourceResult:
    source: Path
    memos: tuple[MemoResult, ...]
    analysed: int = 0  # analyses computed here rather than read from the cache


class Builder(Protocol):
    """The heavy steps a worker needs; picklable so it can travel to any worker."""

    def warm(self) -> None: ...
    def audience(self, name: str, templates_dir: Path | None) -> Any: ...
    def extract(self, path: Path, *, key_points: int, max_bytes: int, max_chars: int) -> Any: ...
    def render(
        self, brief: Any, audience: Any, formats: tuple[str, ...], options: BuildOptions
    ) -> dict[str, bytes]: ...


class PipelineBuilder:
    """The real pipeline: `pipeline.extract` and `build.render_formats` (render_memo for several formats)."""

    def warm(self) -> None:
        """Load spaCy, the templates' machinery and the renderers' fonts once per process."""
        from .. import build, nlp  # noqa: F401 - the modules every memo needs
        from ..render.blocks import parse
        from ..render.docx import render_docx
        from ..render.pdf import render_pdf
        from ..render.style import DocInfo, Style

        if hasattr(nlp, "sentencizer"):
            nlp.sentencizer()
        nlp.model()
        # A throw-away memo registers the fonts and fills the renderers' caches, so the first real
        # memo of a worker costs what every later one does.
        blocks = parse("# Warm-up\n\nLoads the fonts once per worker.")
        info = DocInfo(title="warm-up", author="briefgen")
        render_pdf(blocks, Style(), info)
        render_docx(blocks, Style(), info)

    def audience(self, name: str, templates_dir: Path | None) -> Any:
        return _load_audience(name, templates_dir)

    def extract(self, path: Path, *, key_points: int, max_bytes: int, max_chars: int) -> Any:
        from ..pipeline import extract

        return extract(path, key_points=key_points, max_bytes=max_bytes, max_chars=max_chars)

    def render(
        self, brief: Any, audience: Any, formats: tuple[str, ...], options: BuildOptions
    ) -> dict[str, bytes]:
        from ..build import render_formats

        return render_formats(brief, audience, formats, options)


@functools.lru_cache(maxsize=64)
def _audience_cached(name: str, templates_dir: Path | None, _stamp: tuple) -> Any:
    from ..compose import load_audience

    return load_audience(name, templates_dir)


def _load_audience(name: str, templates_dir: Path | None) -> Any:
    # A Dask worker lives across runs: key the per-process cache on the folder's mtimes so an
    # edited template is picked up, while a run still parses each audience once per worker.
    return _audience_cached(name, templates_dir, _folder_stamp(templates_dir))


def _folder_stamp(folder: Path | None) -> tuple:
    if folder is None:
        return ()
    stamp = []
    for root, _dirs, files in os.walk(folder):
        for name in files:
            st = os.stat(os.path.join(root, name))
            stamp.append((root, name, st.st_size, st.st_mtime_ns))
    return tuple(sorted(stamp))


def run_source_task(task: SourceTask, builder: Builder) -> SourceResult:
    """Analyse one source (or reuse its cached analysis) and write all of its memos, within the
    source's time limit; any failure (a damaged file, a bug in a reader) fails only this source."""
    start = time.perf_counter()
    try:
        with time_limit(task.timeout, task.name):
            return _run(task, builder)
    except Exception as err:  # the time limit, or anything _run did not expect
        return failed_result(task, batch_message(err), seconds=time.perf_counter() - start)


def _run(task: SourceTask, builder: Builder) -> SourceResult:
    """The formats of one audience are rendered together: the memo is composed (and, for a page
    limit, fitted) once and both renderers get the same blocks, as in `briefgen build`."""
    briefs: dict[str, Any] = {}  # analysis key -> Brief, or the error message it failed with
    analysed = 0
    groups: dict[tuple, list[MemoTask]] = {}
    for memo in task.memos:
        groups.setdefault((memo.analysis_key, memo.audience, memo.templates_dir, memo.options), []).append(
            memo
        )
    results = []
    for (analysis_key, name, templates_dir, options), memos in groups.items():
        start = time.perf_counter()
        try:
            if analysis_key not in briefs:
                briefs[analysis_key], computed = _analysis(task, memos[0], builder)
                analysed += computed
            brief = briefs[analysis_key]
            if isinstance(brief, str):
                raise _Failed(brief)
            audience = builder.audience(name, templates_dir)
            rendered = builder.render(brief, audience, tuple(m.format for m in memos), options)
        except Exception as err:
            if _is_time_limit(err):
                raise
            seconds = (time.perf_counter() - start) / len(memos)
            message = str(err) if isinstance(err, _Failed) else batch_message(err)
            results += [MemoResult(output=m.output, ok=False, seconds=seconds, error=message) for m in memos]
            continue
        seconds = (time.perf_counter() - start) / len(memos)  # shared work, shared evenly
        for memo in memos:
            results.append(_write(memo, rendered[memo.format], seconds))
    return SourceResult(source=task.source, memos=tuple(results), analysed=analysed)


def _is_time_limit(err: Exception) -> bool:
    from ..errors import LimitError

    return isinstance(err, LimitError) and err.limit == "timeout"


def _write(memo: MemoTask, data: bytes, seconds: float) -> MemoResult:
    try:
        write_atomic(memo.output, data)
        st = os.stat(memo.output)
    except OSError as err:
        return MemoResult(
            output=memo.output,
            ok=False,
            seconds=seconds,
            error=f"cannot write {memo.output}: {err.strerror or err}",
        )
    return MemoResult(
        output=memo.output,
        ok=True,
        seconds=seconds,
        sha256=sha256_bytes(data),
        size=st.st_size,
        mtime_ns=st.st_mtime_ns,
    )


class _Failed(Exception):
    """The analysis this memo needs already failed; carries that message."""


def _analysis(task: SourceTask, memo: MemoTask, builder: Builder) -> tuple[Any, int]:
    """The Brief from the cache, else computed and cached; a failure becomes its message."""
    for path in memo.brief_paths:
        brief = load_brief(path, task.sha256)
        if brief is not None:
            for other in memo.brief_paths:
                if other != path and not other.exists():
                    _store(other, brief, task.sha256)
            return brief, 0
    try:
        brief = builder.extract(
            task.source, key_points=memo.key_points, max_bytes=task.max_bytes, max_chars=task.max_chars
        )
    except Exception as err:
        if _is_time_limit(err):
            raise
        return batch_message(err), 1
    # Memos cite the source file: name it as the manifest does, not by this machine's absolute
    # path, so every worker (and every checkout) writes the same bytes.
    brief = replace(brief, source=replace(brief.source, path=task.name))
    for path in memo.brief_paths:
        _store(path, brief, task.sha256)
    return brief, 1


def _store(path: Path, brief: Any, sha256: str) -> None:
    """Cache an analysis; a cache entry that cannot be written costs a re-analysis next time, not
    this source's memos."""
    try:
        store_brief(path, brief, sha256)
    except OSError as err:
        logger.warning("cannot cache the analysis at %s: %s", path, err.strerror or err)


def failed_result(task: SourceTask, message: str, *, seconds: float = 0.0) -> SourceResult:
    """Every memo of the task failed with one message (a crash, a time limit, a lost cluster)."""
    share = seconds / max(1, len(task.memos))
    return SourceResult(
        source=task.source,
        memos=tuple(MemoResult(output=m.output, ok=False, seconds=share, error=message) for m in task.memos),
    )


def warm(builder: Builder) -> None:
    try:
        builder.warm()
    except Exception as err:
        logger.warning("worker warm-up failed: %s", err)
