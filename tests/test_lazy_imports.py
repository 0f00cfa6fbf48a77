"""Commands that need no analysis never import spaCy (issue 14): `--help` is instant, and a batch
with nothing to build stats files and exits."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

FIXTURES = Path(__file__).parent / "fixtures" / "batch"

PROBE = """
import sys
from briefgen.cli import main
try:
    main({args!r})
except SystemExit:
    pass
heavy = sorted(m for m in ("spacy", "reportlab", "docx", "thinc", "pydantic") if m in sys.modules)
print("heavy:" + ",".join(heavy))
"""


def heavy_modules(*args: str, cwd: Path | None = None) -> str:
    out = subprocess.run(
        [sys.executable, "-c", PROBE.format(args=list(args))],
        capture_output=True,
        text=True,
        cwd=cwd,
        check=True,
    )
    return out.stdout.strip().splitlines()[-1]


def test_help_imports_no_nlp_no_renderer_and_no_schema_library():
    assert heavy_modules("--help") == "heavy:"
    assert heavy_modules("batch", "--help") == "heavy:"
    assert heavy_modules("build", "--help") == "heavy:"


def test_listing_audiences_imports_no_nlp_or_renderer():
    assert heavy_modules("audiences") in ("heavy:", "heavy:pydantic")  # audience.toml is validated


def test_a_batch_with_nothing_to_build_imports_no_nlp(tmp_path):
    (tmp_path / "sources").mkdir()
    shutil.copy(FIXTURES / "alpha.txt", tmp_path / "sources" / "alpha.txt")
    manifest = tmp_path / "briefgen.toml"
    manifest.write_text('[[job]]\nsources = ["sources/*.txt"]\nformats = ["pdf"]\ndate = 2026-01-05\n')
    first = subprocess.run(
        [sys.executable, "-m", "briefgen.cli", "batch", str(manifest), "--jobs", "1"],
        capture_output=True,
        check=False,
    )
    assert first.returncode == 0, first.stderr
    assert heavy_modules("batch", str(manifest), "--jobs", "1") == "heavy:pydantic"  # the manifest schema


def test_building_a_memo_without_a_page_limit_imports_neither_pypdf_nor_scipy(tmp_path):
    # pypdf is only needed to count the pages of a page-limited audience, and the key points'
    # sparse products need no scipy: each import is a tenth of a cold memo's own cost (issue 14).
    source = tmp_path / "note.txt"
    source.write_text("Trade Note\n\nThe ministry said exports rose sharply in March after the deal.\n")
    probe = PROBE.replace(
        '("spacy", "reportlab", "docx", "thinc", "pydantic")', '("spacy", "reportlab", "pypdf", "scipy")'
    )
    args = ["build", str(source), "-a", "memo", "-f", "pdf", "-f", "docx", "-o", str(tmp_path / "out")]
    out = subprocess.run(
        [sys.executable, "-c", probe.format(args=args)], capture_output=True, text=True, check=True
    )
    assert out.stdout.strip().splitlines()[-1] == "heavy:reportlab,spacy"
