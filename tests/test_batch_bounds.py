"""Bounded by design (issue 13): hostile state, odd names, bad environments, slow sources.

Each test is named after the case it guards against; the fake builder of test_batch keeps them
fast, and the real pipeline is used where the reader itself is the point.
"""

from __future__ import annotations

import errno
import io
import json
import os
import signal
import time
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from briefgen.batch.cache import CACHE_DIR, BuildState
from briefgen.cli import main
from briefgen.errors import BriefgenError, ManifestError
from test_batch import FakeBuilder, memo_bytes, run, three_sources_one_broken, two_good_sources  # noqa: F401


def test_a_dotdot_record_in_the_state_is_dropped_and_prune_deletes_nothing_outside(
    two_good_sources, tmp_path
):
    victim = tmp_path / "victim.txt"
    victim.write_text("precious")
    run(two_good_sources)
    state = two_good_sources.parent / "out" / CACHE_DIR / "state.jsonl"
    record = json.loads(state.read_text().splitlines()[0])
    for hostile in ("../victim.txt", str(victim)):  # relative escape and absolute path
        state.write_text(state.read_text() + json.dumps({**record, "output": hostile}) + "\n")
    result, _ = run(two_good_sources, prune=True)
    assert victim.read_text() == "precious"
    assert result.exit_code == 0 and result.pruned == 0


def test_an_output_folder_that_is_the_source_folder_is_refused_clearly(tmp_path):
    (tmp_path / "a.txt").write_text("Alpha\n")
    manifest = tmp_path / "briefgen.toml"
    manifest.write_text('[[job]]\nsources = ["*.txt"]\nout = "."\n')
    with pytest.raises(ManifestError, match=r"job\[1\]\.out: .* is the folder the manifest and its sources"):
        run(manifest)


@pytest.mark.parametrize("folder", ["/", "/etc", "/usr"])
def test_a_system_folder_as_output_is_refused_by_batch_and_build(tmp_path, folder):
    (tmp_path / "a.txt").write_text("Alpha\n")
    manifest = tmp_path / "briefgen.toml"
    manifest.write_text(f'[[job]]\nsources = ["*.txt"]\nout = "{folder}"\n')
    with pytest.raises(ManifestError, match="system or home folder"):
        run(manifest)
    result = CliRunner().invoke(main, ["build", str(tmp_path / "a.txt"), "-o", folder])
    assert result.exit_code == 2 and "system or home folder" in result.stderr


def test_a_non_utf8_file_name_builds_and_is_shown_escaped(two_good_sources):
    sources = two_good_sources.parent / "sources"
    odd = os.fsdecode(b"caf\xe9.txt")
    (sources / odd).write_text("Cafe\n\nA third source.\n")
    result, _ = run(two_good_sources)
    assert result.exit_code == 0 and result.built == 12
    run(two_good_sources)  # the state with that name reads back: nothing to rebuild
    again, _ = run(two_good_sources)
    assert again.built == 0 and again.unchanged == 12
    report = (two_good_sources.parent / "out" / "briefgen-report.json").read_text("utf-8")
    assert json.loads(report)["summary"]["built"] == 0


def test_a_newline_in_a_file_name_stays_on_one_summary_line(two_good_sources):
    sources = two_good_sources.parent / "sources"
    (sources / "two\nlines.txt").write_text("BROKEN on purpose\n")
    result, lines = run(two_good_sources)
    failed = [line for line in lines if line.startswith("failed:")]
    assert result.exit_code == 1 and len(failed) == 1
    assert "two\\nlines.txt" in failed[0]


@pytest.mark.parametrize(
    "fault", [(errno.EROFS, "Read-only file system"), (errno.ENOSPC, "No space left on device")]
)
def test_a_read_only_or_full_output_folder_is_one_line_exit_2_before_any_analysis(
    two_good_sources, monkeypatch, fault
):
    import tempfile

    def refuse(*_args, **_kwargs):
        raise OSError(*fault)

    monkeypatch.setattr(tempfile, "mkstemp", refuse)
    builder = FakeBuilder()
    with pytest.raises(BriefgenError, match=rf"cannot write to the output folder .*{fault[1]}") as caught:
        run(two_good_sources, builder)
    assert caught.value.exit_code == 2 and builder.extracted == []


def test_an_analysis_that_cannot_be_cached_still_gives_its_memos(two_good_sources):
    cache = two_good_sources.parent / "out" / CACHE_DIR
    cache.mkdir(parents=True)
    (cache / "briefs").write_text("a file where the analyses' folder should be")
    result, _ = run(two_good_sources)
    assert result.exit_code == 0 and result.built == 8


@pytest.mark.parametrize("name", ["state.jsonl", "sources.json"])
def test_a_folder_where_a_cache_file_should_be_is_a_user_error(two_good_sources, name):
    (two_good_sources.parent / "out" / CACHE_DIR / name).mkdir(parents=True)
    builder = FakeBuilder()
    with pytest.raises(BriefgenError, match=f"{name} is not a file") as caught:
        run(two_good_sources, builder)
    assert caught.value.exit_code == 2 and builder.extracted == []


def test_a_200_kb_manifest_of_nested_arrays_is_a_manifest_error(tmp_path):
    manifest = tmp_path / "briefgen.toml"
    manifest.write_text("x = " + "[" * 100_000 + "]" * 100_000 + "\n")
    result = CliRunner().invoke(main, ["batch", str(manifest)])
    assert result.exit_code == 2
    assert "nested too deeply" in result.stderr and len(result.stderr.strip().splitlines()) == 1


def test_stale_tmp_files_of_a_killed_run_are_removed(two_good_sources):
    run(two_good_sources)
    out = two_good_sources.parent / "out"
    left = [out / "alpha" / ".memo.pdf.a1b2c3d4.tmp", out / CACHE_DIR / ".state.jsonl.zz99yy88.tmp"]
    for path in left:
        path.write_bytes(b"half")
    run(two_good_sources)
    assert not any(path.exists() for path in left)
    assert (out / "alpha" / "memo.pdf").exists()


def test_a_torn_last_line_of_the_state_does_not_damage_the_next_record(tmp_path):
    out = tmp_path / "out"
    state_file = out / CACHE_DIR / "state.jsonl"
    state_file.parent.mkdir(parents=True)
    state_file.write_bytes(b'{"output": "a/memo.pdf", "key": "tor')  # a full disk cut it here
    state = BuildState(out)
    from test_cache import record

    state.add(record("b/memo.pdf"))
    again = BuildState(out)
    assert set(again.records) == {"b/memo.pdf"}


class SlowBuilder(FakeBuilder):
    """A source whose name starts with 'slow' takes far longer than any limit."""

    def extract(self, path, *, key_points, max_bytes, max_chars):
        if Path(path).name.startswith("slow"):
            time.sleep(300)
        return super().extract(path, key_points=key_points, max_bytes=max_bytes, max_chars=max_chars)


class StuckBuilder(FakeBuilder):
    """Stuck where the worker's own timer cannot reach it (as in a C extension): only the parent
    stopping the worker ends it."""

    def extract(self, path, *, key_points, max_bytes, max_chars):
        if Path(path).name.startswith("slow"):
            signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGALRM})
            time.sleep(300)
        return super().extract(path, key_points=key_points, max_bytes=max_bytes, max_chars=max_chars)


@pytest.mark.parametrize(
    "builder, jobs, executor",
    [
        (SlowBuilder, 1, "local"),
        (SlowBuilder, 2, "local"),
        (StuckBuilder, 2, "local"),
        (SlowBuilder, 2, "dask"),
    ],
)
def test_a_source_over_the_time_limit_fails_naming_it_and_the_others_go_on(
    two_good_sources, monkeypatch, builder, jobs, executor
):
    monkeypatch.setattr("briefgen.batch.pool.GRACE_SECONDS", 0.5)
    (two_good_sources.parent / "sources" / "slow.txt").write_text("Slow\n")
    start = time.monotonic()
    result, lines = run(two_good_sources, builder(), jobs=jobs, timeout=1.0, executor=executor)
    assert time.monotonic() - start < 90  # far below the 300 s the slow source would take
    assert result.exit_code == 1 and result.built == 8 and result.failed == 4
    failed = [line for line in lines if line.startswith("failed:")]
    assert len(failed) == 1 and "slow.txt" in failed[0]
    assert "time limit of 1 s" in failed[0] and "manifest key timeout" in failed[0]


def test_extract_over_its_time_limit_is_one_line_naming_the_flag(tmp_path, monkeypatch):
    def slow_extract(*_args, **_kwargs):
        time.sleep(30)

    monkeypatch.setattr("briefgen.pipeline.extract", slow_extract)
    source = tmp_path / "a.txt"
    source.write_text("Alpha.\n")
    result = CliRunner().invoke(main, ["extract", str(source), "--timeout", "0.3"])
    assert result.exit_code == 2
    assert result.stderr.strip().splitlines() == [
        f"briefgen: error: {source}: took longer than the time limit of 0.3 s (raise it with --timeout)"
    ]


def damaged_docx() -> bytes:
    """A DOCX whose document.xml deflate stream is cut and overwritten mid-way."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types/>')
        archive.writestr("word/document.xml", "<w:document>" + "<w:p>text</w:p>" * 2000 + "</w:document>")
    data = bytearray(buffer.getvalue())
    start = data.index(b"word/document.xml") + len("word/document.xml") + 40
    data[start : start + 200] = b"\xff" * 200
    return bytes(data)


def test_a_damaged_deflate_stream_before_a_good_source_fails_only_itself(tmp_path):
    bad = tmp_path / "a-damaged.docx"
    bad.write_bytes(damaged_docx())
    good = tmp_path / "b-good.txt"
    good.write_text(
        "Council Approves the Water Budget\n\n"
        + "The city council approved the water budget on Monday after a long debate about rates. " * 3
        + "\n\nThe new rates take effect in March 2027, the finance office said in a statement.\n"
    )
    result = CliRunner().invoke(main, ["extract", str(bad), str(good)])
    assert result.exit_code == 2
    errors = result.stderr.strip().splitlines()
    assert len(errors) == 1 and "a-damaged.docx" in errors[0] and "internal error" not in errors[0]
    assert json.loads(result.stdout.strip().splitlines()[-1])["source"]["path"].endswith("b-good.txt")


def test_memo_bytes_helper_still_ignores_the_cache(two_good_sources):
    run(two_good_sources)
    assert all(not str(p).startswith(".") for p in memo_bytes(two_good_sources.parent / "out"))


def test_editing_a_rule_or_data_file_rebuilds_what_it_could_change(two_good_sources, tmp_path, monkeypatch):
    import shutil

    import briefgen.batch.cache as cache

    copy = tmp_path / "briefgen-copy"
    shutil.copytree(cache._PACKAGE, copy, ignore=shutil.ignore_patterns("__pycache__"))
    monkeypatch.setattr(cache, "_PACKAGE", copy)
    first, _ = run(two_good_sources)
    assert first.built == 8 and run(two_good_sources)[0].built == 0
    rule = copy / "analysis" / "keypoints.py"
    rule.write_text(rule.read_text() + "\n# MIN_WORDS edited\n")
    result, _ = run(two_good_sources)
    assert result.built == 8
    assert {o.reason for o in result.outputs} == {"briefgen code or data changed"}
