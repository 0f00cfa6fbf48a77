"""Building memos: render_memo (synthetic briefs) and the CLI end to end (the seed source)."""

from __future__ import annotations

import io
import re
from dataclasses import replace
from pathlib import Path

import pytest
from click.testing import CliRunner
from docx import Document as WordDocument
from pypdf import PdfReader

from briefgen.build import render_memo
from briefgen.cli import main
from briefgen.compose import load_audience
from briefgen.errors import BriefgenError, RenderError
from briefgen.model import Cite, Statement
from briefgen.options import BuildOptions
from briefs import TITLE, long_brief, tricky_brief

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "sources" / "north-korean-security.txt"
FIXTURES = Path(__file__).parent / "fixtures" / "templates"
AUDIENCES = ("memo", "principal", "talking-points", "background")
FORMATS = ("pdf", "docx")
OPTIONS = BuildOptions(to="Director, Korea desk", from_="Policy analyst", date="2019-07-01")
SECTIONS = {
    "memo": ("Summary", "Key points", "Actors and positions", "Open questions", "Timeline", "Sources"),
    "principal": ("BLUF", "Key points", "The open question", "Evidence"),
    "talking-points": ("Points to make", "If asked", "Sources"),
    "background": ("The source", "Key points", "Actors", "Frameworks", "Sources"),
}


def pdf_text(data: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def pdf_pages(data: bytes) -> int:
    return len(PdfReader(io.BytesIO(data)).pages)


def docx_text(data: bytes) -> str:
    document = WordDocument(io.BytesIO(data))
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        parts += [cell.text for row in table.rows for cell in row.cells]
    return "\n".join(parts)


def text_of(data: bytes, fmt: str) -> str:
    return pdf_text(data) if fmt == "pdf" else docx_text(data)


def flat(text: str) -> str:
    """Extracted PDF text breaks lines and hyphenates; compare with whitespace and soft hyphens gone."""
    return re.sub(r"[\s\u00ad-]+", "", text)


# ------------------------------------------------------------------ synthetic briefs


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("name", AUDIENCES)
def test_each_audience_renders_title_and_sections(name, fmt):
    text = text_of(render_memo(tricky_brief(), load_audience(name), fmt, OPTIONS), fmt)
    assert flat(TITLE) in flat(text)
    for section in SECTIONS[name]:
        assert section in text, section


@pytest.mark.parametrize("fmt", FORMATS)
def test_tricky_text_is_literal_in_the_output(fmt):
    text = flat(text_of(render_memo(tricky_brief(), load_audience("background"), fmt, OPTIONS), fmt))
    for literal in ("AT&T’s<Notes>", "5<6", "*bold*", "snake_case_names", "footnote[1]", "习近平"):
        assert flat(literal) in text, literal


def brief_pages(pdf: bytes) -> int:
    """Pages of a principal brief before its evidence annex (which starts a page of its own)."""
    pages = [page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages]
    annex = next((i for i, text in enumerate(pages) if "\nEvidence\n" in f"\n{text}\n"), len(pages))
    return annex


def test_principal_stays_on_one_page_for_a_long_brief():
    pdf = render_memo(long_brief(), load_audience("principal"), "pdf", OPTIONS)
    assert brief_pages(pdf) == 1


def test_principal_evidence_annex_starts_on_the_page_after_the_brief():
    pdf = render_memo(tricky_brief(), load_audience("principal"), "pdf", OPTIONS)
    pages = [page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages]
    assert brief_pages(pdf) == 1 and len(pages) == 2
    assert "¶ counts the paragraphs of the article" in pages[1] and "1." in pages[1]


def test_the_long_brief_really_overflows_without_trimming():
    # Guards the test above: the memo audience (no page limit) needs more than one page.
    assert pdf_pages(render_memo(long_brief(), load_audience("memo"), "pdf", OPTIONS)) > 1


def test_principal_docx_gets_the_same_trimmed_content_as_the_pdf():
    audience = load_audience("principal")
    pdf = pdf_text(render_memo(long_brief(), audience, "pdf", OPTIONS))
    docx = docx_text(render_memo(long_brief(), audience, "docx", OPTIONS))
    bluf = next(line for line in docx.splitlines() if line.startswith("BLUF:"))
    assert flat(bluf.rstrip("0123456789")) in flat(pdf)
    assert docx.count("…") == pdf.count("…")


def test_an_audience_that_cannot_fit_is_a_render_error():
    with pytest.raises(RenderError, match="cannot fit"):
        render_memo(tricky_brief(), load_audience("cramped", FIXTURES / "tiny"), "pdf", OPTIONS)


@pytest.mark.parametrize("fmt", FORMATS)
def test_two_renders_are_byte_identical(fmt):
    audience = load_audience("memo")
    assert render_memo(tricky_brief(), audience, fmt, OPTIONS) == render_memo(
        tricky_brief(), audience, fmt, OPTIONS
    )


@pytest.mark.parametrize("fmt", FORMATS)
def test_source_date_epoch_is_the_memo_date(monkeypatch, fmt):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1561939200")
    text = text_of(render_memo(tricky_brief(), load_audience("memo"), fmt, BuildOptions()), fmt)
    assert "1 July 2019" in text


def test_classification_option_sets_the_banner():
    options = BuildOptions(date="2019-07-01", classification="OFFICIAL-SENSITIVE")
    assert "OFFICIAL-SENSITIVE" in pdf_text(
        render_memo(tricky_brief(), load_audience("memo"), "pdf", options)
    )


def test_audience_classification_is_the_default_banner():
    audience = load_audience("brief-note", FIXTURES / "custom")
    assert "CUI" in pdf_text(render_memo(tricky_brief(), audience, "pdf", OPTIONS))


def test_banner_is_at_the_top_and_bottom_of_every_page():
    options = BuildOptions(date="2019-07-01", classification="OFFICIAL-SENSITIVE")
    pdf = render_memo(long_brief(), load_audience("background"), "pdf", options)
    pages = PdfReader(io.BytesIO(pdf)).pages
    assert len(pages) > 1
    for number, page in enumerate(pages, start=1):
        placed: list[tuple[float, str]] = []  # (height on the page, text) of every text run

        def visit(text, cm, tm, font, size, placed=placed):
            if text.strip():
                placed.append((cm[5] + tm[5] * cm[3], text.strip()))

        page.extract_text(visitor_text=visit)
        placed.sort()
        assert placed[0][1] == "OFFICIAL-SENSITIVE" and placed[-1][1] == "OFFICIAL-SENSITIVE"
        assert f"Page {number} of {len(pages)}" in page.extract_text()


def test_docx_banner_is_in_the_header_and_footer():
    options = BuildOptions(date="2019-07-01", classification="SECRET")
    document = WordDocument(io.BytesIO(render_memo(tricky_brief(), load_audience("memo"), "docx", options)))
    section = document.sections[0]
    assert "SECRET" in [p.text for p in section.header.paragraphs]
    assert "SECRET" in [p.text for p in section.footer.paragraphs]


def test_a_cui_memo_without_a_designation_block_is_refused_in_one_line():
    options = BuildOptions(date="2019-07-01", classification="CUI")
    with pytest.raises(BriefgenError, match=r"CUI memo needs a designation block; set controlled_by") as err:
        render_memo(tricky_brief(), load_audience("memo"), "pdf", options)
    assert "\n" not in str(err.value)


def test_memo_header_has_to_from_date_and_subject():
    options = BuildOptions(to="Director, Korea desk", from_="Policy analyst", date="2019-07-01")
    document = WordDocument(io.BytesIO(render_memo(tricky_brief(), load_audience("memo"), "docx", options)))
    header = {row.cells[0].text: row.cells[1].text for row in document.tables[0].rows}
    assert header == {
        "TO:": "Director, Korea desk",
        "FROM:": "Policy analyst",
        "DATE:": "1 July 2019",
        "SUBJECT:": TITLE,
        "SOURCE:": "An Gang and 李 明 (Li Ming) · Foreign Policy · 28 June 2019",
    }


@pytest.mark.parametrize("name", AUDIENCES)
def test_pdf_metadata_names_the_title_and_the_from_line_never_the_sources_author(name):
    reader = PdfReader(io.BytesIO(render_memo(tricky_brief(), load_audience(name), "pdf", OPTIONS)))
    assert reader.metadata.title == TITLE
    assert reader.metadata.author == "Policy analyst"
    assert reader.outline  # headings become bookmarks


@pytest.mark.parametrize("name", AUDIENCES)
def test_docx_author_is_the_from_line_never_the_sources_author(name):
    document = WordDocument(io.BytesIO(render_memo(tricky_brief(), load_audience(name), "docx", OPTIONS)))
    assert document.core_properties.author == "Policy analyst"
    bare = WordDocument(io.BytesIO(render_memo(tricky_brief(), load_audience(name), "docx", BuildOptions())))
    assert "An Gang" not in (bare.core_properties.author or "")


def test_reference_docx_in_the_audience_folder_supplies_word_styles(tmp_path):
    from docx.shared import Pt

    folder = tmp_path / "memo"
    folder.mkdir()
    (folder / "audience.toml").write_text('extends = "memo"\n', encoding="utf-8")
    reference = WordDocument()
    reference.styles["Heading 1"].font.name = "Impact"
    reference.styles["Heading 1"].font.size = Pt(21)
    reference.save(folder / "reference.docx")
    audience = load_audience("memo", tmp_path)
    document = WordDocument(io.BytesIO(render_memo(tricky_brief(), audience, "docx", OPTIONS)))
    assert document.styles["Heading 1"].font.name == "Impact"
    assert document.styles["Heading 1"].font.size == Pt(21)
    assert any(p.style.name == "Heading 1" for p in document.paragraphs)


# ------------------------------------------------------------------ CLI, from the seed


@pytest.fixture(scope="session")
def seed_build(tmp_path_factory):
    """Every audience in both formats from the seed, built once through the CLI."""
    out = tmp_path_factory.mktemp("out")
    args = ["build", str(SEED), "-o", str(out), "--date", "2019-07-01", "--to", "Director, Korea desk"]
    for name in AUDIENCES:
        args += ["-a", name]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output
    return out / SEED.stem, result


def test_build_prints_every_path_written(seed_build):
    folder, result = seed_build
    written = result.stdout.split()
    assert sorted(written) == sorted(str(folder / f"{a}.{f}") for a in AUDIENCES for f in FORMATS)


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("name", AUDIENCES)
def test_every_memo_the_cli_builds_holds_its_audiences_sections(seed_build, name, fmt):
    # The seed's title and the page chrome its extraction drops are pinned by tests/golden/.
    text = text_of((seed_build[0] / f"{name}.{fmt}").read_bytes(), fmt)
    for section in SECTIONS[name]:
        assert section in text, section


def test_seed_principal_brief_is_one_page(seed_build):
    assert brief_pages((seed_build[0] / "principal.pdf").read_bytes()) == 1


def bluf_lines(pdf: bytes) -> int:
    lines = pdf_text(pdf).splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("BLUF:"))
    end = next(
        i
        for i, line in enumerate(lines)
        if i > start and line.strip() in ("Key points", "Why it matters", "The open question", "Sources")
    )
    return end - start


def test_a_long_bottom_line_prints_its_faithful_shortening_that_fits_three_lines():
    brief = tricky_brief()
    first = next(s for s in brief.sentences if s.id == "p2.s1")
    long_text = (
        first.text.rstrip(".") + ", " + "a long wait the whole region noticed every day, " * 8 + "at last."
    )
    shorter = first.text
    sentence = replace(first, text=long_text, shorter=(shorter,))
    brief = replace(
        brief,
        sentences=tuple(sentence if s.id == first.id else s for s in brief.sentences),
        bottom_line=(Statement(text=long_text, cite=Cite(paragraph="p2", sentence=first.id)),),
    )
    pdf = render_memo(brief, load_audience("principal"), "pdf", OPTIONS)
    assert 1 <= bluf_lines(pdf) <= 3
    assert flat(shorter) in flat(pdf_text(pdf).split("Key points")[0])


@pytest.mark.parametrize("make", (tricky_brief, long_brief))
def test_principal_has_three_to_five_key_points(make):
    text = pdf_text(
        render_memo(make(), load_audience("principal"), "pdf", BuildOptions(date="2019-07-01", key_points=12))
    )
    section = (
        text.split("Key points", 1)[1].split("\nWhy it matters", 1)[0].split("\nThe open question", 1)[0]
    )
    assert 3 <= section.count("•") <= 5


def test_seed_build_is_reproducible(seed_build, tmp_path):
    result = CliRunner().invoke(
        main,
        [
            "build",
            str(SEED),
            "-o",
            str(tmp_path),
            "--date",
            "2019-07-01",
            "--to",
            "Director, Korea desk",
            "-a",
            "memo",
            "-a",
            "principal",
        ],
    )
    assert result.exit_code == 0, result.output
    for name in ("memo", "principal"):
        for fmt in FORMATS:
            again = (tmp_path / SEED.stem / f"{name}.{fmt}").read_bytes()
            assert again == (seed_build[0] / f"{name}.{fmt}").read_bytes(), f"{name}.{fmt}"


def test_cli_custom_audience_extending_the_built_in(tmp_path):
    result = CliRunner().invoke(
        main,
        [
            "build",
            str(SEED),
            "-o",
            str(tmp_path),
            "-f",
            "pdf",
            "--templates",
            str(FIXTURES / "custom"),
            "--date",
            "2019-07-01",
        ],
    )
    assert result.exit_code == 0, result.output
    text = pdf_text((tmp_path / SEED.stem / "memo.pdf").read_bytes())
    assert "House summary" in text and "Actors and positions" in text


@pytest.mark.parametrize(("name", "line"), [("escape", 4), ("undefined", 5), ("attr", 3)])
def test_cli_refuses_a_hostile_template_in_one_line(tmp_path, name, line):
    result = CliRunner().invoke(
        main, ["build", str(SEED), "-o", str(tmp_path), "-a", name, "--templates", str(FIXTURES / "hostile")]
    )
    assert result.exit_code == 2
    assert result.stderr.count("\n") == 1
    assert f"{name}/memo.md.j2:{line}:" in result.stderr
    assert not (tmp_path / SEED.stem).exists()


def test_cli_unknown_audience_lists_the_known_ones(tmp_path):
    result = CliRunner().invoke(main, ["build", str(SEED), "-o", str(tmp_path), "-a", "nope"])
    assert result.exit_code == 2
    assert "unknown audience 'nope'" in result.stderr and "talking-points" in result.stderr


def test_cli_lists_audiences_name_first():
    result = CliRunner().invoke(main, ["audiences"])
    assert result.exit_code == 0
    names = [line.split()[0] for line in result.stdout.splitlines()]
    assert set(AUDIENCES) <= set(names)


def test_cli_templates_init_then_check(tmp_path):
    runner = CliRunner()
    made = runner.invoke(main, ["templates", "init", "mine", "--from", "principal", "--dir", str(tmp_path)])
    assert made.exit_code == 0, made.output
    checked = runner.invoke(main, ["templates", "check", str(tmp_path)])
    assert checked.exit_code == 0 and "ok" in checked.stdout


def test_cli_templates_check_reports_several_problems(tmp_path):
    result = CliRunner().invoke(main, ["templates", "check", str(FIXTURES / "broken")])
    assert result.exit_code == 2
    assert len(result.stderr.splitlines()) >= 9
