"""run_batch with a fake pipeline: caching, failures, pruning, locking, reports.

The fake builder stands in for spaCy and the renderers so these tests are quick and can count
exactly which sources were analysed and which memos rendered. `tests/test_batch_pipeline.py`
runs the same flow through the real pipeline.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import threading
from dataclasses import dataclass
from pathlib import Path

import pytest

from briefgen.batch import BatchOptions, run_batch
from briefgen.batch.cache import CACHE_DIR
from briefgen.batch.lock import output_lock
from briefgen.cli import message
from briefgen.errors import BriefgenError, SettingError, SourceError, TemplateError
from briefgen.model import Brief, Meta, Paragraph, Source

FIXTURES = Path(__file__).parent / "fixtures" / "batch"
BUILT_IN = ("memo", "principal")


@dataclass(frozen=True)
class FakeAudience:
    name: str
    fingerprint: str
    key_points: int = 3


class FakeBuilder:
    """Sources are text; a file starting with BROKEN fails like an unreadable source."""

    def __init__(self) -> None:
        self.extracted: list[str] = []
        self.rendered: list[tuple[str, str, str]] = []

    def warm(self) -> None:
        pass

    def audience(self, name, templates_dir):
        folder = templates_dir / name if templates_dir else None
        if folder is not None and folder.is_dir():
            fingerprint = hashlib.sha256(
                b"".join(p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file())
            ).hexdigest()
            return FakeAudience(name, fingerprint)
        if name in BUILT_IN:
            return FakeAudience(name, f"built-in {name}")
        raise TemplateError(f"unknown audience {name!r}")

    def extract(self, path, *, key_points, max_bytes, max_chars):
        data = Path(path).read_bytes()
        if data.startswith(b"BROKEN"):
            raise SourceError(path, "not a readable document")
        text = data.decode()
        self.extracted.append(Path(path).name)
        return Brief(
            source=Source(path=str(path), format="txt", sha256=hashlib.sha256(data).hexdigest()),
            meta=Meta(title=text.splitlines()[0]),
            paragraphs=(Paragraph(id="p1", text=text),),
        )

    def render(self, brief, audience, formats, options):
        name = Path(brief.source.path).name
        self.rendered += [(name, audience.name, fmt) for fmt in formats]
        return {
            fmt: json.dumps(
                [
                    brief.meta.title,
                    brief.paragraphs[0].text,
                    audience.name,
                    audience.fingerprint,
                    fmt,
                    options.date,
                    options.classification,
                ]
            ).encode()
            for fmt in formats
        }


def write_manifest(folder: Path, text: str) -> Path:
    path = folder / "briefgen.toml"
    path.write_text(text)
    return path


@pytest.fixture
def three_sources_one_broken(tmp_path: Path) -> Path:
    """sources/alpha.txt, beta.txt good, broken.txt unreadable; memo + principal in docx + pdf."""
    (tmp_path / "sources").mkdir()
    for name in ("alpha.txt", "beta.txt", "broken.txt"):
        shutil.copy(FIXTURES / name, tmp_path / "sources" / name)
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


@pytest.fixture
def two_good_sources(three_sources_one_broken: Path) -> Path:
    (three_sources_one_broken.parent / "sources" / "broken.txt").unlink()
    return three_sources_one_broken


def run(manifest: Path, builder: FakeBuilder | None = None, **kwargs):
    lines: list[str] = []
    kwargs.setdefault("jobs", 1)
    result = run_batch(
        manifest, BatchOptions(**kwargs), builder=builder or FakeBuilder(), echo=lines.append, progress=False
    )
    return result, lines


def memo_bytes(out: Path) -> dict[Path, bytes]:
    """Every memo under OUT by relative path (not the cache or the report)."""
    return {p.relative_to(out): p.read_bytes() for p in out.glob("[!.]*/*.*")}


def statuses(result) -> dict[str, str]:
    return {Path(o.output).parent.name + "/" + Path(o.output).name: o.status for o in result.outputs}


def test_broken_source_fails_alone_and_exits_1(three_sources_one_broken):
    result, lines = run(three_sources_one_broken)
    out = three_sources_one_broken.parent / "out"
    assert result.exit_code == 1
    assert result.built == 8 and result.failed == 4
    assert all(
        (out / stem / f"{a}.{f}").is_file()
        for stem in ("alpha", "beta")
        for a in BUILT_IN
        for f in ("docx", "pdf")
    )
    assert not (out / "broken").exists()
    failure = [line for line in lines if line.startswith("failed:")]
    assert len(failure) == 1 and "broken.txt" in failure[0] and "not a readable document" in failure[0]


def test_second_run_rebuilds_nothing(two_good_sources):
    run(two_good_sources)
    builder = FakeBuilder()
    result, _ = run(two_good_sources, builder)
    assert result.exit_code == 0
    assert result.built == 0 and result.unchanged == 8
    assert builder.extracted == [] and builder.rendered == []


def test_changed_source_rebuilds_only_its_memos(two_good_sources):
    run(two_good_sources)
    source = two_good_sources.parent / "sources" / "alpha.txt"
    source.write_text(source.read_text() + "\nA new closing paragraph.\n")
    builder = FakeBuilder()
    result, _ = run(two_good_sources, builder)
    assert {k for k, v in statuses(result).items() if v == "built"} == {
        "alpha/memo.docx",
        "alpha/memo.pdf",
        "alpha/principal.docx",
        "alpha/principal.pdf",
    }
    assert builder.extracted == ["alpha.txt"]


def test_changed_template_rebuilds_only_that_audience_without_reanalysing(two_good_sources):
    templates = two_good_sources.parent / "templates"
    shutil.copytree(FIXTURES / "templates", templates)
    manifest = two_good_sources.read_text().replace("[[job]]", '[[job]]\ntemplates = "templates"')
    two_good_sources.write_text(manifest.replace('["memo", "principal"]', '["memo", "desk"]'))
    run(two_good_sources)
    (templates / "desk" / "memo.md.j2").write_text("# {{ brief.meta.title }} (desk, edited)\n")
    builder = FakeBuilder()
    result, _ = run(two_good_sources, builder)
    built = {k for k, v in statuses(result).items() if v == "built"}
    assert built == {"alpha/desk.docx", "alpha/desk.pdf", "beta/desk.docx", "beta/desk.pdf"}
    assert builder.extracted == []  # the cached analysis served the rebuilt audience


def test_analysis_runs_once_per_source_for_all_audiences_and_formats(two_good_sources):
    builder = FakeBuilder()
    run(two_good_sources, builder)
    assert sorted(builder.extracted) == ["alpha.txt", "beta.txt"]
    assert len(builder.rendered) == 8


def test_force_rebuilds_everything_from_cached_analysis(two_good_sources):
    run(two_good_sources)
    builder = FakeBuilder()
    result, _ = run(two_good_sources, builder, force=True)
    assert result.built == 8
    assert builder.extracted == []


def test_deleted_output_is_rebuilt(two_good_sources):
    run(two_good_sources)
    (two_good_sources.parent / "out" / "beta" / "memo.pdf").unlink()
    result, _ = run(two_good_sources)
    assert {k for k, v in statuses(result).items() if v == "built"} == {"beta/memo.pdf"}


def test_edited_output_is_rebuilt(two_good_sources):
    run(two_good_sources)
    (two_good_sources.parent / "out" / "beta" / "memo.pdf").write_text("edited by hand")
    result, _ = run(two_good_sources)
    assert {k for k, v in statuses(result).items() if v == "built"} == {"beta/memo.pdf"}


def test_outputs_copied_with_new_mtimes_are_not_rebuilt(two_good_sources):
    run(two_good_sources)
    for memo in (two_good_sources.parent / "out").glob("[!.]*/*.*"):
        os.utime(memo, ns=(1, 1))  # as a restore that does not keep mtimes
    builder = FakeBuilder()
    result, _ = run(two_good_sources, builder)
    assert result.unchanged == 8 and builder.rendered == []


def test_corrupt_cached_analysis_is_rebuilt_not_fatal(two_good_sources):
    run(two_good_sources)
    for entry in (two_good_sources.parent / "out" / CACHE_DIR / "briefs").rglob("*.json"):
        entry.write_text("{ not json")
    builder = FakeBuilder()
    result, _ = run(two_good_sources, builder, force=True)
    assert result.exit_code == 0 and result.built == 8
    assert sorted(builder.extracted) == ["alpha.txt", "beta.txt"]


def test_corrupt_state_line_rebuilds_only_that_output(two_good_sources):
    run(two_good_sources)
    state = two_good_sources.parent / "out" / CACHE_DIR / "state.jsonl"
    lines = state.read_text().splitlines()
    lines[0] = lines[0][: len(lines[0]) // 2]  # a torn write
    state.write_text("\n".join(lines) + "\n")
    result, _ = run(two_good_sources)
    assert result.exit_code == 0
    assert result.built == 1 and result.unchanged == 7


def test_outputs_no_job_produces_are_reported_then_pruned(two_good_sources):
    run(two_good_sources)
    two_good_sources.write_text(two_good_sources.read_text().replace('"principal"', '"memo"'))
    result, lines = run(two_good_sources)
    out = two_good_sources.parent / "out"
    assert len(result.stale) == 4 and (out / "alpha" / "principal.pdf").exists()
    assert any("--prune" in line for line in lines)
    result, _ = run(two_good_sources, prune=True)
    assert result.pruned == 4 and not (out / "alpha" / "principal.pdf").exists()
    assert (out / "alpha" / "memo.pdf").exists()
    result, _ = run(two_good_sources)
    assert result.stale == () and result.pruned == 0


def test_outputs_of_another_manifest_in_the_same_folder_are_left_alone(two_good_sources):
    run(two_good_sources)
    other = two_good_sources.parent / "other.toml"
    other.write_text(two_good_sources.read_text().replace("sources/*.txt", "sources/alpha.txt"))
    result, _ = run(other, prune=True)
    assert result.stale == () and result.pruned == 0
    assert (two_good_sources.parent / "out" / "beta" / "memo.pdf").exists()


def test_dry_run_builds_and_writes_nothing(two_good_sources):
    builder = FakeBuilder()
    result, lines = run(two_good_sources, builder, dry_run=True)
    assert result.exit_code == 0 and result.count("pending") == 8
    assert builder.rendered == [] and not (two_good_sources.parent / "out").exists()
    assert sum(line.startswith("would build") for line in lines) == 8


def test_report_lists_every_output_with_status_and_hash(three_sources_one_broken):
    _result, _ = run(three_sources_one_broken)
    report = json.loads((three_sources_one_broken.parent / "out" / "briefgen-report.json").read_text())
    assert report["summary"] == {"built": 8, "unchanged": 0, "failed": 4, "pruned": 0, "stale": 0}
    by_output = {
        Path(o["output"]).relative_to(three_sources_one_broken.parent / "out").as_posix(): o
        for o in report["outputs"]
    }
    alpha = by_output["alpha/memo.pdf"]
    assert alpha["status"] == "built" and alpha["audience"] == "memo" and alpha["format"] == "pdf"
    assert (
        alpha["sha256"]
        == hashlib.sha256(
            (three_sources_one_broken.parent / "out" / "alpha" / "memo.pdf").read_bytes()
        ).hexdigest()
    )
    broken = by_output["broken/memo.docx"]
    assert broken["status"] == "failed" and "not a readable document" in broken["error"]
    assert broken["source"].endswith("broken.txt")


def test_report_path_can_be_chosen(two_good_sources, tmp_path):
    _result, _ = run(two_good_sources, report_path=tmp_path / "reports" / "night.json")
    assert json.loads((tmp_path / "reports" / "night.json").read_text())["summary"]["built"] == 8


def test_report_path_naming_an_existing_folder_writes_the_report_inside_it(two_good_sources, tmp_path):
    (tmp_path / "reports").mkdir()
    result, _lines = run(two_good_sources, report_path=tmp_path / "reports")
    assert result.report_path == tmp_path / "reports" / "briefgen-report.json"
    assert json.loads(result.report_path.read_text())["summary"]["built"] == 8


def test_report_path_under_a_file_is_refused_before_building(two_good_sources, tmp_path):
    (tmp_path / "notes.txt").write_text("a file, not a folder")
    builder = FakeBuilder()
    with pytest.raises(BriefgenError, match=r"notes\.txt is not a folder") as caught:
        run(two_good_sources, builder, report_path=tmp_path / "notes.txt" / "report.json")
    assert caught.value.exit_code == 2 and builder.rendered == []


def test_process_pool_writes_the_same_bytes_as_inline(two_good_sources, tmp_path):
    run(two_good_sources, jobs=1)
    out = two_good_sources.parent / "out"
    inline = memo_bytes(out)
    shutil.rmtree(out)
    result, _ = run(two_good_sources, jobs=2)
    assert result.built == 8
    assert memo_bytes(out) == inline


def test_second_batch_on_a_locked_folder_exits_with_a_clear_message(two_good_sources):
    out = two_good_sources.parent / "out"
    with output_lock(out, wait=False), pytest.raises(BriefgenError, match="another briefgen batch") as caught:
        run(two_good_sources)
    assert caught.value.exit_code == 2


def test_second_batch_with_wait_runs_after_the_first_releases(two_good_sources):
    out = two_good_sources.parent / "out"
    held = threading.Event()
    release = threading.Event()

    def hold() -> None:
        with output_lock(out, wait=False):
            held.set()
            release.wait(10)

    holder = threading.Thread(target=hold)
    holder.start()
    held.wait(10)
    threading.Timer(0.3, release.set).start()
    result, lines = run(two_good_sources, wait_lock=True)
    holder.join()
    assert result.built == 8
    assert any(line.startswith("waiting for another briefgen batch") for line in lines)


class WarmCountingBuilder(FakeBuilder):
    """Notes the pid of every warm-up in a file (workers are other processes)."""

    def __init__(self, log: Path) -> None:
        super().__init__()
        self.log = log

    def warm(self) -> None:
        with open(self.log, "a") as fh:
            fh.write(f"{os.getpid()}\n")


def test_pool_warms_each_process_once_not_once_per_memo(three_sources_one_broken, tmp_path):
    (three_sources_one_broken.parent / "sources" / "broken.txt").write_text("Gamma\n\nThird source.\n")
    log = tmp_path / "warm.log"
    result, _ = run(three_sources_one_broken, WarmCountingBuilder(log), jobs=2)
    pids = log.read_text().split()
    assert result.built == 12
    assert len(pids) == len(set(pids)) == 3  # this process, then each of the two workers


def test_progress_bar_run_builds_the_same(two_good_sources, capsys):
    result = run_batch(two_good_sources, BatchOptions(jobs=1), builder=FakeBuilder(), progress=True)
    assert result.built == 8
    assert "building memos" in capsys.readouterr().err


def test_dask_executor_without_dask_installed_says_how_to_get_it(two_good_sources, monkeypatch):
    monkeypatch.setitem(__import__("sys").modules, "dask.distributed", None)  # import now fails
    with pytest.raises(BriefgenError, match=r"pip install 'briefgen\[dask\]'"):
        run(two_good_sources, executor="dask")


def test_scheduler_without_dask_executor_is_a_usage_error(two_good_sources):
    with pytest.raises(SettingError, match="only applies to the dask executor") as caught:
        run(two_good_sources, scheduler="tcp://127.0.0.1:8786")
    assert caught.value.name == "scheduler" and "--scheduler" not in str(caught.value)
    assert message(caught.value).startswith("--scheduler tcp://127.0.0.1:8786 only applies")


class SizeLimitedBuilder(FakeBuilder):
    """Goes through the pipeline's real size check, so the test sees its real error."""

    def extract(self, path, *, key_points, max_bytes, max_chars):
        from briefgen.pipeline import check_size

        check_size(Path(path), max_bytes)
        return super().extract(path, key_points=key_points, max_bytes=max_bytes, max_chars=max_chars)


def test_size_limit_failure_names_the_manifest_key_not_a_cli_option(two_good_sources):
    two_good_sources.write_text(
        two_good_sources.read_text().replace("[defaults]", "[defaults]\nmax_bytes = 5")
    )
    result, _lines = run(two_good_sources, SizeLimitedBuilder())
    errors = [o.error for o in result.outputs if o.status == "failed"]
    assert result.exit_code == 1 and len(errors) == 8
    assert all("size limit" in e and "manifest key max_bytes" in e and "--max-bytes" not in e for e in errors)
