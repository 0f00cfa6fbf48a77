"""The batch cache: source hashes from stat, the build-state journal, cached analyses."""

from __future__ import annotations

import json
import os
import time
from pathlib import Path

import pytest

from briefgen.batch.cache import (
    RACY_NS,
    BuildState,
    OutputRecord,
    SourceHashes,
    brief_path,
    cache_dir,
    digest,
    load_brief,
    sha256_file,
    store_brief,
)
from briefgen.model import Brief, Meta, Paragraph, Source


def settle(path: Path) -> None:
    """Backdate a file so its stat entry is trusted (not "racy") by the next run."""
    old = time.time_ns() - 10 * RACY_NS
    os.utime(path, ns=(old, old))


@pytest.fixture
def settled_source(tmp_path: Path) -> Path:
    source = tmp_path / "a.txt"
    source.write_text("first version\n")
    settle(source)
    return source


def test_unchanged_settled_source_is_not_reread(tmp_path, settled_source):
    first = SourceHashes([tmp_path / "out"])
    sha = first.sha256(settled_source)
    first.save([settled_source])
    second = SourceHashes([tmp_path / "out"])
    assert second.sha256(settled_source) == sha and second.hashed == 0


def test_source_with_new_bytes_is_rehashed(tmp_path, settled_source):
    first = SourceHashes([tmp_path / "out"])
    first.sha256(settled_source)
    first.save([settled_source])
    settled_source.write_text("second version, longer\n")
    settle(settled_source)
    second = SourceHashes([tmp_path / "out"])
    assert second.sha256(settled_source) == sha256_file(settled_source) and second.hashed == 1


def test_source_modified_just_before_the_save_is_rehashed(tmp_path):
    source = tmp_path / "a.txt"
    source.write_text("fresh\n")  # mtime is "now": the same tick could hide a later edit
    first = SourceHashes([tmp_path / "out"])
    first.sha256(source)
    first.save([source])
    second = SourceHashes([tmp_path / "out"])
    second.sha256(source)
    assert second.hashed == 1


def test_unreadable_source_hash_cache_means_rehash(tmp_path, settled_source):
    (cache_dir(tmp_path / "out")).mkdir(parents=True)
    (cache_dir(tmp_path / "out") / SourceHashes.FILE).write_text("{{{")
    hashes = SourceHashes([tmp_path / "out"])
    assert hashes.sha256(settled_source) == sha256_file(settled_source)


def record(output: str, key: str = "k") -> OutputRecord:
    return OutputRecord(
        output=output,
        key=key,
        source="a.txt",
        source_sha256="s",
        audience="memo",
        fingerprint="f",
        format="pdf",
        options="o",
        code="0",
        sha256="h",
        size=1,
        mtime_ns=2,
        manifest="m.toml",
    )


def test_state_journal_survives_reload_and_forgets(tmp_path):
    state = BuildState(tmp_path)
    state.add(record("a/memo.pdf"))
    state.add(record("b/memo.pdf"))
    state.add(record("a/memo.pdf", key="k2"))
    state.forget(tmp_path / "b" / "memo.pdf")
    again = BuildState(tmp_path)
    assert list(again.records) == ["a/memo.pdf"] and again.records["a/memo.pdf"].key == "k2"


def test_compacted_journal_has_one_line_per_output(tmp_path):
    state = BuildState(tmp_path)
    for key in ("1", "2", "3"):
        state.add(record("a/memo.pdf", key=key))
    state.compact()
    assert len(state.path.read_text().splitlines()) == 1
    assert BuildState(tmp_path).records["a/memo.pdf"].key == "3"


def test_torn_journal_line_loses_only_that_output(tmp_path):
    state = BuildState(tmp_path)
    state.add(record("a/memo.pdf"))
    with open(state.path, "a") as fh:
        fh.write('{"output": "b/memo.pdf", "key"')
    assert list(BuildState(tmp_path).records) == ["a/memo.pdf"]


def test_record_matches_only_the_file_it_describes(tmp_path):
    path = tmp_path / "memo.pdf"
    path.write_bytes(b"pdf")
    st = path.stat()
    rec = OutputRecord(**{**record("memo.pdf").__dict__, "size": st.st_size, "mtime_ns": st.st_mtime_ns})
    assert rec.matches_file(path)
    path.write_bytes(b"edited by hand")
    assert not rec.matches_file(path)


def brief(sha: str = "s") -> Brief:
    return Brief(
        source=Source(path="a.txt", format="txt", sha256=sha),
        meta=Meta(title="T"),
        paragraphs=(Paragraph(id="p1", text="Text."),),
    )


def test_cached_brief_round_trips(tmp_path):
    path = brief_path(tmp_path, digest("analysis", "a.txt", "sha", 6, "0"))
    store_brief(path, brief(), "sha")
    assert load_brief(path, "sha") == brief()


def test_cached_brief_for_other_bytes_is_not_used(tmp_path):
    path = tmp_path / "b.json"
    store_brief(path, brief(), "sha")
    assert load_brief(path, "other sha") is None


def test_corrupt_cached_brief_reads_as_missing(tmp_path):
    path = tmp_path / "b.json"
    store_brief(path, brief(), "sha")
    data = json.loads(path.read_text())
    del data["brief"]["paragraphs"]
    path.write_text(json.dumps(data))
    assert load_brief(path, "sha") is None


def test_digest_ignores_dict_order_but_not_values():
    assert digest({"a": 1, "b": 2}) == digest({"b": 2, "a": 1})
    assert digest("memo", "x", None) != digest("memo", "x", "")
