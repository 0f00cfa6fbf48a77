"""Manifest validation: defaults, relative paths, and every problem reported at once with its key."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest

from briefgen.batch.manifest import load_manifest
from briefgen.errors import ManifestError, TemplateError


@dataclass(frozen=True)
class Audience:
    name: str
    fingerprint: str = "f"
    key_points: int = 6


def known_audiences(name: str, templates_dir: Path | None) -> Audience:
    if name not in ("memo", "principal"):
        raise TemplateError(f"no audience named {name!r}")
    return Audience(name)


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A folder with sources/a.txt, sources/b.md and reports/a.txt (same stem as sources/a.txt)."""
    for rel in ("sources/a.txt", "sources/b.md", "reports/a.txt"):
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text("text\n")
    return tmp_path


def load(folder: Path, text: str):
    path = folder / "briefgen.toml"
    path.write_text(text)
    return load_manifest(path, audience_loader=known_audiences)


def problems(folder: Path, text: str) -> list[str]:
    with pytest.raises(ManifestError) as caught:
        load(folder, text)
    return caught.value.problems


def test_defaults_apply_to_every_job_and_a_job_overrides_them(project):
    manifest = load(
        project,
        """
[defaults]
audiences = ["principal"]
classification = "UNCLASSIFIED"
date = 2026-01-05

[[job]]
sources = ["sources/*.txt"]

[[job]]
sources = ["sources/*.md"]
classification = "SECRET"
out = "out-md"
""",
    )
    first, second = manifest.jobs
    assert first.options.audiences == second.options.audiences == ("principal",)
    assert (first.options.classification, second.options.classification) == ("UNCLASSIFIED", "SECRET")
    assert first.options.date == "2026-01-05" and first.options.formats == ("docx", "pdf")


def test_paths_are_relative_to_the_manifest_not_the_working_folder(project, monkeypatch, tmp_path_factory):
    monkeypatch.chdir(tmp_path_factory.mktemp("elsewhere"))
    (job,) = load(project, '[[job]]\nsources = ["sources/*"]\nout = "build/memos"\n').jobs
    assert job.sources == (project / "sources" / "a.txt", project / "sources" / "b.md")
    assert job.options.out_dir == project / "build" / "memos"


def test_outputs_follow_the_build_layout(project):
    (job,) = load(project, '[[job]]\nsources = ["sources/a.txt"]\n').jobs
    assert job.output(job.sources[0], "memo", "pdf") == project / "out" / "a" / "memo.pdf"


def test_a_source_matched_by_two_globs_is_built_once(project):
    (job,) = load(project, '[[job]]\nsources = ["sources/*.txt", "sources/a.*"]\n').jobs
    assert job.sources == (project / "sources" / "a.txt",)


def test_invalid_manifest_lists_every_problem_with_its_key(project):
    found = problems(
        project,
        """
colour = "blue"

[defaults]
formats = ["pdf", "odt"]

[[job]]
sources = ["sources/*.txt"]
audiences = ["memo", "x"]

[[job]]
sources = ["missing/*.pdf"]
key_points = "six"
date = "next tuesday"
shape = 3
""",
    )
    assert any(p.startswith("colour: unknown key") for p in found)
    assert any(p.startswith("defaults.formats: unknown format 'odt'") for p in found)
    assert "job[1].audiences: no audience named 'x'" in found
    assert any(p.startswith("job[2].sources: 'missing/*.pdf' matches no file") for p in found)
    assert any(p.startswith("job[2].key_points: must be a whole number") for p in found)
    assert any(p.startswith("job[2].date: must be a date") for p in found)
    assert any(p.startswith("job[2].shape: unknown key") for p in found)
    assert len(found) == 7


def test_two_jobs_writing_the_same_file_is_a_problem(project):
    found = problems(
        project, '[[job]]\nsources = ["sources/a.txt"]\n\n[[job]]\nsources = ["reports/*.txt"]\n'
    )
    assert found == [
        "job[2].sources: reports/a.txt would write out/a/memo.docx, which job[1] already "
        "writes from sources/a.txt (change `out` or rename a source)"
    ]


def test_same_stem_in_one_job_is_a_problem(project):
    found = problems(project, '[[job]]\nsources = ["sources/a.txt", "reports/a.txt"]\nformats = ["pdf"]\n')
    assert found == [
        "job[1].sources: reports/a.txt would write out/a/memo.pdf, which job[1] already "
        "writes from sources/a.txt (change `out` or rename a source)"
    ]


def test_wrong_types_are_named(project):
    found = problems(project, '[[job]]\nsources = "sources/a.txt"\naudiences = 3\nto = ["a"]\n')
    assert found == [
        "job[1].audiences: must be a list of strings, not a number",
        "job[1].to: must be a string, not a list",
    ]


def test_a_job_needs_sources(project):
    assert problems(project, '[[job]]\naudiences = ["memo"]\n') == [
        "job[1].sources: missing: a list of file globs, relative to the manifest"
    ]


def test_a_manifest_needs_a_job(project):
    assert problems(project, '[defaults]\nformats = ["pdf"]\n')[0].startswith("job: no [[job]] tables")


def test_broken_toml_is_one_problem_naming_the_file(project):
    with pytest.raises(ManifestError, match=r"briefgen\.toml: invalid manifest .*not valid TOML"):
        load(project, "[[job]\nsources = [")


def test_missing_manifest_is_a_manifest_error(project):
    with pytest.raises(ManifestError, match="cannot read the manifest"):
        load_manifest(project / "nope.toml", audience_loader=known_audiences)


def test_missing_templates_folder_is_named(project):
    found = problems(project, '[[job]]\nsources = ["sources/a.txt"]\ntemplates = "my-templates"\n')
    assert found == [f"job[1].templates: folder not found: {project / 'my-templates'}"]


def test_outputs_and_the_manifest_are_never_sources(project):
    (project / "out" / "a").mkdir(parents=True)
    (project / "out" / "a" / "old.md").write_text("x")
    (project / "notes.toml").write_text("x = 1\n")
    (job,) = load(project, '[[job]]\nsources = ["**/*.md", "*.toml"]\n').jobs
    assert project / "briefgen.toml" not in job.sources
    assert job.sources == (project / "sources" / "b.md", project / "notes.toml")
