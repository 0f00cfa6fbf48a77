"""The heavy work, off the event loop: analysis and builds in one worker thread, batches in a process.

One worker thread runs every analysis, build and preview, one after the other: the spaCy model it
loads at start-up stays warm for the server's life (the same `nlp.model()` a CLI run loads), and
spaCy is never asked to work from two threads at once (page images are drawn by pdfium in a
thread of their own, on request). The event loop only awaits
the thread's futures, so pages stay quick while a build runs. A batch runs as `briefgen batch`
in a child process, which takes the output folder's lock as the CLI does.
"""

from __future__ import annotations

import asyncio
import dataclasses
import datetime as dt
import json
import logging
import subprocess
import sys
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from ..analysis import DEFAULT_KEY_POINTS
from ..build import render_formats, resolve_audiences, with_key_points
from ..dates import memo_date
from ..errors import BriefgenError
from ..fsutil import write_atomic
from ..model import Brief
from ..options import BuildOptions
from ..render.pdf import page_count

logger = logging.getLogger(__name__)

T = TypeVar("T")
PREVIEW_SCALE = 1.5  # 108 dpi: sharp on a laptop screen, about 150 kB a page
BUILD_FILE = "build.json"


def make_options(values: dict[str, Any], out_dir: Path) -> BuildOptions:
    """BuildOptions from the form's values, exactly as `briefgen build` makes them from its flags."""
    return BuildOptions(
        audiences=tuple(values["audiences"]),
        formats=tuple(values["formats"]),
        out_dir=out_dir,
        templates_dir=values.get("templates_dir"),
        classification=values.get("classification") or None,
        to=values.get("to") or None,
        from_=values.get("from_") or None,
        perspective=values.get("perspective") or None,
        date=memo_date(values.get("date") or None),  # as `briefgen build`: resolved once, up front
        max_bytes=values["max_bytes"],
        max_chars=values["max_chars"],
    )


@dataclass
class BuildJob:
    """A build the page can show: its progress while it runs, its outputs once done."""

    id: str
    source_id: str
    audiences: tuple[str, ...]
    formats: tuple[str, ...]
    status: str = "queued"  # queued | running | done | failed
    step: str = "waiting for the worker"
    done: int = 0
    total: int = 1
    error: str | None = None
    pages: dict[str, int] = field(default_factory=dict)  # audience -> preview page count
    labels: dict[str, str] = field(default_factory=dict)  # audience -> its label ("Principal brief")
    settings: dict[str, str] = field(default_factory=dict)  # the options set on the form, to show

    def to_json(self) -> dict[str, Any]:
        return dataclasses.asdict(self)

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> BuildJob:
        data = {**data, "audiences": tuple(data["audiences"]), "formats": tuple(data["formats"])}
        return cls(**data)


def render_preview(pdf: Path, number: int, out: Path) -> Path:
    """Page `number` (from 1) of the PDF as a PNG, rendered by pdfium once and kept beside it."""
    import io

    import pypdfium2 as pdfium

    if out.is_file():
        return out
    document = pdfium.PdfDocument(pdf)
    try:
        page = document[number - 1]
        image = page.render(scale=PREVIEW_SCALE).to_pil()
        page.close()
    finally:
        document.close()
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    write_atomic(out, buffer.getvalue())
    return out


def preview_pdf(folder: Path, audience: str) -> Path:
    """The PDF the preview is drawn from: the memo's own, or a copy made only for the preview."""
    own = folder / f"{audience}.pdf"
    return own if own.is_file() else folder / f"preview-{audience}.pdf"


def build_memos(brief: Brief, options: BuildOptions, folder: Path, job: BuildJob) -> None:
    """Every audience x format of one stored brief into `folder`, as `briefgen build` writes them.

    The same steps as `build.build_sources` after its extraction: audiences resolved first, key
    points re-selected for an audience that wants another number than the analysis kept, each memo
    composed and fitted once for all its formats. A PDF is always rendered, for the preview; its
    pages become images only when the page asks for them, so the downloads are ready first.
    """
    audiences = resolve_audiences(options)
    job.total = len(audiences)
    job.labels = {a.name: a.label for a in audiences}
    formats = options.formats if "pdf" in options.formats else (*options.formats, "pdf")
    briefs = {DEFAULT_KEY_POINTS: brief}
    for number, audience in enumerate(audiences, start=1):
        job.step = f"building {audience.name} ({number} of {len(audiences)})"
        n = options.key_points or audience.key_points
        if n not in briefs:
            briefs[n] = with_key_points(brief, n)
        outputs = render_formats(briefs[n], audience, formats, options)
        for fmt in options.formats:
            write_atomic(folder / f"{audience.name}.{fmt}", outputs[fmt])
        if "pdf" not in options.formats:
            write_atomic(folder / f"preview-{audience.name}.pdf", outputs["pdf"])
        job.pages[audience.name] = page_count(outputs["pdf"])
        job.done = number


class Worker:
    """The single worker thread and the builds it has been given."""

    def __init__(self) -> None:
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="briefgen-worker")
        # Page images have a thread of their own: a preview is not held up by the next build, and
        # pdfium, which is not thread-safe, only ever runs in this one thread.
        self._previews = ThreadPoolExecutor(max_workers=1, thread_name_prefix="briefgen-preview")
        self._jobs: dict[str, BuildJob] = {}
        self._lock = threading.Lock()

    async def run(self, fn: Callable[..., T], *args: Any) -> T:
        return await asyncio.wrap_future(self._pool.submit(fn, *args))

    async def preview(self, pdf: Path, number: int, out: Path) -> Path:
        return await asyncio.wrap_future(self._previews.submit(render_preview, pdf, number, out))

    def warm(self) -> None:
        """Load the spaCy model and the renderers now, not on the first upload."""

        def load() -> None:
            from .. import nlp
            from ..render import docx, pdf  # noqa: F401 - imported for their start-up cost

            nlp.model()
            nlp.sentencizer()

        self._pool.submit(load)

    def start_build(self, brief: Brief, options: BuildOptions, folder: Path, job: BuildJob) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        with self._lock:
            self._jobs[str(folder)] = job
        write_atomic(folder / BUILD_FILE, json.dumps(job.to_json()).encode())

        def work() -> None:
            job.status = "running"
            try:
                build_memos(brief, options, folder, job)
            except BriefgenError as err:
                job.status, job.error = "failed", str(err).splitlines()[0]
            except Exception as err:  # a bug: one line on the page, the traceback in the server log
                logger.exception("build %s failed", job.id)
                job.status, job.error = "failed", f"internal error: {type(err).__name__}: {err}"
            else:
                job.status, job.step = "done", "built"
            write_atomic(folder / BUILD_FILE, json.dumps(job.to_json()).encode())
            with self._lock:
                self._jobs.pop(str(folder), None)

        self._pool.submit(work)

    def job(self, folder: Path) -> BuildJob | None:
        """A running build from memory, a finished one from its folder (it outlives a restart)."""
        with self._lock:
            running = self._jobs.get(str(folder))
        if running is not None:
            return running
        path = folder / BUILD_FILE
        if not path.is_file():
            return None
        job = BuildJob.from_json(json.loads(path.read_text(encoding="utf-8")))
        if job.status in ("queued", "running"):  # the server stopped mid-build
            job.status, job.error = "failed", "the server stopped before this build finished; build again"
        return job

    def shutdown(self) -> None:
        self._pool.shutdown(wait=False, cancel_futures=True)
        self._previews.shutdown(wait=False, cancel_futures=True)


@dataclass
class BatchRun:
    started: str
    lines: list[str] = field(default_factory=list)
    exit_code: int | None = None


class BatchRunner:
    """`briefgen batch MANIFEST` in a child process, one at a time, its progress lines kept."""

    def __init__(self, manifest: Path) -> None:
        self.manifest = Path(manifest)
        self.last: BatchRun | None = None
        self._lock = threading.Lock()

    @property
    def running(self) -> bool:
        return self.last is not None and self.last.exit_code is None

    def out_dirs(self) -> tuple[Path, ...]:
        from ..batch.manifest import load_manifest

        return load_manifest(self.manifest).out_dirs

    def report(self) -> dict[str, Any] | None:
        """The last report the batch wrote (by the CLI, a cron job or this page), or None."""
        from ..batch.report import REPORT_NAME

        try:
            path = self.out_dirs()[0] / REPORT_NAME
            return json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None

    def start(self) -> None:
        """Start a run, or say in one line why not (another run holds an output folder's lock)."""
        from ..batch.lock import output_locks

        with self._lock:
            if self.running:
                raise BriefgenError("a batch run started from this page is still running")
            # Ask the lock the CLI takes, so a run from a terminal is seen too; released at once,
            # the child takes it again (a run that slips in between makes the child fail, in one line).
            with output_locks(self.out_dirs(), wait=False):
                pass
            run = BatchRun(started=dt.datetime.now(dt.UTC).isoformat(timespec="seconds"))
            self.last = run
        threading.Thread(target=self._run, args=(run,), name="briefgen-batch", daemon=True).start()

    def _run(self, run: BatchRun) -> None:
        command = [sys.executable, "-m", "briefgen.cli", "batch", str(self.manifest)]
        try:
            with subprocess.Popen(
                command,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.PIPE,
                text=True,
                cwd=self.manifest.parent,
            ) as child:
                assert child.stderr is not None
                for line in child.stderr:
                    run.lines.append(line.rstrip("\n"))
            run.exit_code = child.returncode
        except OSError as err:
            run.lines.append(f"briefgen: error: cannot start the batch: {err}")
            run.exit_code = 2
