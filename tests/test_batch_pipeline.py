"""`briefgen batch` through the real pipeline (readers, spaCy, templates, DOCX/PDF renderers)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from briefgen.batch import BatchOptions, run_batch
from briefgen.batch.lock import output_lock
from briefgen.build import build_sources
from briefgen.cli import main
from briefgen.compose import builtin_dir
from briefgen.options import BuildOptions

FIXTURES = Path(__file__).parent / "fixtures" / "batch"


def memo_bytes(out: Path) -> dict[Path, bytes]:
    return {p.relative_to(out): p.read_bytes() for p in out.glob("[!.]*/*.*")}


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """alpha.txt and beta.txt under sources/, a manifest for memo + talking-points in both formats."""
    (tmp_path / "sources").mkdir()
    for name in ("alpha.txt", "beta.txt"):
        shutil.copy(FIXTURES / name, tmp_path / "sources" / name)
    (tmp_path / "briefgen.toml").write_text("""
[defaults]
date = 2026-01-05
classification = "UNCLASSIFIED"
audiences = ["memo", "talking-points"]

[[job]]
sources = ["sources/*.txt"]
""")
    return tmp_path


def batch(project: Path, *args: str):
    return CliRunner().invoke(main, ["batch", str(project / "briefgen.toml"), "--jobs", "1", *args])


def run(project: Path, **kwargs):
    kwargs.setdefault("jobs", 1)
    return run_batch(project / "briefgen.toml", BatchOptions(**kwargs), progress=False)


def docx_text(path: Path) -> str:
    import docx

    return "\n".join(p.text for p in docx.Document(str(path)).paragraphs)


def built(result) -> set[str]:
    return {
        Path(o.output).parent.name + "/" + Path(o.output).name for o in result.outputs if o.status == "built"
    }


def test_batch_writes_the_same_bytes_as_briefgen_build_run_beside_the_manifest(project, monkeypatch):
    assert run(project).exit_code == 0
    monkeypatch.chdir(project)
    options = BuildOptions(
        audiences=("memo", "talking-points"),
        out_dir=Path("by-build"),
        classification="UNCLASSIFIED",
        date="2026-01-05",
    )
    build_sources([Path("sources/alpha.txt"), Path("sources/beta.txt")], options)
    assert memo_bytes(project / "out") == memo_bytes(project / "by-build")
    assert len(memo_bytes(project / "out")) == 8


def test_broken_source_is_named_and_exits_1_then_nothing_rebuilds(project):
    shutil.copy(FIXTURES / "broken.txt", project / "sources" / "broken.txt")
    first = batch(project)
    assert first.exit_code == 1
    failed = [line for line in first.stderr.splitlines() if line.startswith("failed:")]
    assert len(failed) == 1 and "broken.txt" in failed[0]
    assert (project / "out" / "alpha" / "memo.pdf").is_file()
    (project / "sources" / "broken.txt").unlink()
    second = batch(project)
    assert second.exit_code == 0
    assert "briefgen batch: 0 built, 8 unchanged, 0 failed" in second.stderr


def test_edited_override_template_rebuilds_only_that_audience(project):
    templates = project / "templates"
    shutil.copytree(builtin_dir() / "talking-points", templates / "talking-points")
    text = (project / "briefgen.toml").read_text()
    (project / "briefgen.toml").write_text(text.replace("[[job]]", '[[job]]\ntemplates = "templates"'))
    run(project)
    template = templates / "talking-points" / "memo.md.j2"
    template.write_text(template.read_text() + "\nPrepared by the night batch.\n")
    result = run(project)
    assert built(result) == {
        "alpha/talking-points.docx",
        "alpha/talking-points.pdf",
        "beta/talking-points.docx",
        "beta/talking-points.pdf",
    }
    assert "Prepared by the night batch." in docx_text(project / "out" / "alpha" / "talking-points.docx")


def test_moved_project_writes_the_same_bytes(project, tmp_path_factory):
    run(project)
    moved = tmp_path_factory.mktemp("elsewhere") / "project"
    shutil.copytree(project, moved, ignore=shutil.ignore_patterns("out"))
    run(moved)
    assert memo_bytes(moved / "out") == memo_bytes(project / "out")


def test_dask_executor_writes_the_same_bytes_as_local(project):
    distributed = pytest.importorskip("dask.distributed")
    run(project)
    local = memo_bytes(project / "out")
    shutil.rmtree(project / "out")
    with distributed.LocalCluster(
        n_workers=1,
        threads_per_worker=1,
        processes=False,
        protocol="tcp://",
        host="127.0.0.1",
        dashboard_address="127.0.0.1:0",
    ) as cluster:
        result = run(project, executor="dask", scheduler=cluster.scheduler_address)
    assert result.exit_code == 0
    assert memo_bytes(project / "out") == local


def test_invalid_manifest_exits_2_listing_every_problem(project):
    (project / "briefgen.toml").write_text(
        '[[job]]\nsources = ["nothing/*.md"]\naudiences = ["memo", "nobody"]\nformats = ["odt"]\n'
    )
    result = batch(project)
    assert result.exit_code == 2
    message = result.stderr.strip()
    assert message.startswith("briefgen: error:") and "3 problem(s)" in message
    for key in ("job[1].sources", "job[1].audiences", "job[1].formats"):
        assert key in message


def test_second_run_on_a_locked_folder_exits_2_with_a_clear_message(project):
    with output_lock(project / "out", wait=False):
        result = batch(project, "--no-wait")
    assert result.exit_code == 2
    assert "another briefgen batch" in result.stderr and "is writing here" in result.stderr
    assert "--wait" in result.stderr
