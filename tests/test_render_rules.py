"""Typesetting and safety rules both renderers keep: hyphenation, markings, limits, text hygiene."""

from __future__ import annotations

import io
import itertools
import logging
import re
import zipfile
from dataclasses import replace

import pytest
from pypdf import PdfReader

from briefgen.errors import RenderError
from briefgen.render import hyphenation
from briefgen.render.blocks import MAX_NESTING, MAX_TABLE_ROWS, parse
from briefgen.render.docx import render_docx
from briefgen.render.pdf import render_pdf
from briefgen.render.style import DocInfo, Style
from office import needs_libreoffice, to_pdf

INFO = DocInfo(title="Rules memo", author="Policy Unit", date="2025-02-03")


def pdf_text(data: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def words(text: str) -> set[str]:
    return set(re.findall(r"[\w’']+(?:-[\w’']+)*", text))


def wrong_breaks(pdf_lines: str, source: str) -> list[str]:
    """Line-end hyphens whose joined word (with or without the hyphen) is not a source word."""
    known = words(source)
    bad = []
    lines = pdf_lines.split("\n")
    for line, following in itertools.pairwise(lines):
        end = re.search(r"([\w’'-]*\w)-$", line.rstrip())
        start = re.match(r"\s*([\w’'-]+)", following)
        if not end or not start:
            continue
        head, tail = end.group(1), start.group(1)
        if f"{head}-{tail}" in known or f"{head}{tail}" in known:
            continue
        bad.append(f"{head}-|{tail}")
    return bad


# --- hyphenation ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("word", "allowed"),
    [
        ("Six-Party", [("Six-", "Party")]),
        ("non-aggression", [("non-", "aggression")]),
        ("China-DPRK", [("China-", "DPRK")]),
        ("state-owned-enterprise", [("state-owned-", "enterprise"), ("state-", "owned-enterprise")]),
    ],
)
def test_a_compound_breaks_only_at_its_own_hyphens(word, allowed):
    assert hyphenation.splits(word) == allowed


@pytest.mark.parametrize("word", ["DPRK", "UNCLOS", "Pyongyang", "G20", "2019", "COVID-19"[:5], "iPhone"])
def test_acronyms_names_and_numbers_are_never_hyphenated(word):
    assert hyphenation.splits(word) == []


def test_plain_words_break_at_dictionary_points_longest_head_first():
    pairs = hyphenation.splits("negotiations")
    assert pairs and all(head + tail == "negotiations" for head, tail in pairs)
    assert [len(h) for h, _ in pairs] == sorted((len(h) for h, _ in pairs), reverse=True)
    assert all(len(head) >= 3 and len(tail) >= 3 for head, tail in pairs)


COMPOUNDS = (
    "The Six-Party framework and the non-aggression pledge shaped China-DPRK and China-US "
    "consultations on cross-border verification, state-owned shipping and post-conflict reconstruction. "
)


@pytest.mark.parametrize("width_in", [2.2, 2.9, 3.6, 4.4])
def test_text_copied_out_of_the_pdf_gives_the_source_words_back(width_in):
    source = (COMPOUNDS * 6) + "Administrative internationalization notwithstanding, extraordinary " * 8
    side = (8.5 - width_in) / 2
    style = Style(margins_in=(1.0, side, 1.0, side))
    text = pdf_text(render_pdf(parse(source), style, INFO))
    assert wrong_breaks(text, source) == []
    joined = re.sub(r"-\n", "-", text)
    for word in ("Six-Party", "non-aggression", "China-DPRK", "China-US"):
        assert word in joined


def test_a_compound_keeps_its_hyphen_when_its_paragraph_is_broken_again():
    # reportlab rejoins a word split at a line end with rstrip("-") when it breaks the paragraph again
    # (a part split off at a page end, another wrap): "non-" + "proliferation" became "nonproliferation".
    from briefgen.render import pdf as pdf_module

    sheet = pdf_module._sheet(Style())
    sheet.body_family.use(sheet.body_family.regular, sheet.body_family.bold)
    text = "<b>Seen</b> in the nuclear non-proliferation regime and the China-DPRK treaty talks. " * 6
    broken = []
    for width in range(150, 400, 9):
        para = pdf_module._Para(text, sheet.body)
        for again in (width, width + 37, width):
            para.wrap(again, 10_000)
        for part in para.split(width, para.height / 2):
            part.wrap(width + 11, 10_000)
            part.wrap(width, 10_000)
            broken.append(" ".join(hyphenation._line_texts(part.blPara)))
    joined = " ".join(broken)
    assert "non- proliferation" in joined or "China- DPRK" in joined  # the compounds did break
    assert "nonprolif" not in joined and "ChinaD" not in joined


LONG_WORDS = [
    "international",
    "extraordinarily",
    "administration",
    "considerations",
    "unquestionably",
    "accountability",
    "responsibilities",
    "notwithstanding",
    "telecommunications",
]


def longest_hyphenated_run(text: str) -> int:
    run = longest = 0
    for line in text.split("\n"):
        run = run + 1 if line.rstrip().endswith("-") else 0
        longest = max(longest, run)
    return longest


def test_no_more_than_two_hyphenated_lines_in_a_row(monkeypatch):
    source = " ".join(LONG_WORDS[(i * 7 + i // 3) % len(LONG_WORDS)] for i in range(300))
    narrow = Style(margins_in=(1.0, 2.9, 1.0, 2.9))
    assert longest_hyphenated_run(pdf_text(render_pdf(parse(source), narrow, INFO))) <= hyphenation.MAX_RUN
    # The same text does hyphenate longer runs when the rule is lifted: the limit is what holds it.
    monkeypatch.setattr(hyphenation, "MAX_RUN", 99)
    assert longest_hyphenated_run(pdf_text(render_pdf(parse(source), narrow, INFO))) > 2


# --- markings ---------------------------------------------------------------------------------------


def banner_colors_in_pdf(data: bytes, banner: str) -> set[tuple[float, ...]]:
    found = set()
    for page in PdfReader(io.BytesIO(data)).pages:
        content = page.get_contents().get_data().decode("latin-1")
        # reportlab sets the fill colour ("r g b rg") just before the text it colours.
        for match in re.finditer(r"([\d.]+) ([\d.]+) ([\d.]+) rg[^\n]*\n(?:[^\n]*\n){0,6}?[^\n]*Tj", content):
            found.add(tuple(round(float(v), 2) for v in match.groups()))
    return found


def test_a_secret_banner_is_drawn_red_top_and_bottom_in_both_formats():
    style = Style(banner="SECRET//NOFORN", banner_color="#C8102E")
    blocks = parse("# Memo\n\nText.\n")
    pdf = render_pdf(blocks, style, INFO)
    assert pdf_text(pdf).count("SECRET//NOFORN") == 2
    assert (0.78, 0.06, 0.18) in banner_colors_in_pdf(pdf, "SECRET//NOFORN")
    with zipfile.ZipFile(io.BytesIO(render_docx(blocks, style, INFO))) as package:
        for part in ("word/header1.xml", "word/footer1.xml"):
            xml = package.read(part).decode()
            assert "SECRET//NOFORN" in xml and 'w:color w:val="C8102E"' in xml


DESIGNATION = ("Controlled by: Policy Planning", "CUI Category: PRVCY", "POC: A. Person, 555-0100")


def test_the_designation_block_is_on_page_one_only_in_both_formats():
    style = Style(banner="CUI", banner_color="#5B2C83", designation=DESIGNATION)
    blocks = parse("# Memo\n\n" + "\n\n".join(f"Paragraph {i} of filler text." * 12 for i in range(30)))
    pages = [p.extract_text() for p in PdfReader(io.BytesIO(render_pdf(blocks, style, INFO))).pages]
    assert len(pages) > 1
    assert all(line in pages[0] for line in DESIGNATION)
    assert not any("CUI Category" in page for page in pages[1:])
    data = render_docx(blocks, style, INFO)
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        footers = {n: package.read(n).decode() for n in package.namelist() if n.startswith("word/footer")}
        settings = package.read("word/settings.xml").decode() + package.read("word/document.xml").decode()
    assert sum("CUI Category: PRVCY" in xml for xml in footers.values()) == 1
    assert "w:titlePg" in settings  # a first-page footer of its own


# --- limits and hygiene -------------------------------------------------------------------------------


def test_a_3000_level_nested_list_is_refused_with_one_line():
    markdown = "".join("  " * i + "- level\n" for i in range(3000))
    with pytest.raises(RenderError, match=f"limit is {MAX_NESTING}") as err:
        parse(markdown)
    assert "\n" not in str(err.value)


def test_5000_quote_levels_are_refused_with_one_line():
    with pytest.raises(RenderError, match="nests lists or quotes"):
        parse(">" * 5000 + " deep\n")


def test_nesting_up_to_the_limit_renders_in_both_formats():
    lists = "".join("  " * i + f"- level {i}\n" for i in range(MAX_NESTING))
    quotes = ">" * MAX_NESTING + " deepest quote\n"
    blocks = parse(lists + "\n" + quotes)
    assert f"level {MAX_NESTING - 1}" in pdf_text(render_pdf(blocks, Style(), INFO))
    assert render_docx(blocks, Style(), INFO)


def test_a_very_long_paragraph_is_laid_out_in_pieces_keeping_every_word():
    sentence = "Sentence number {} of a very long paragraph ends here. "
    source = "".join(sentence.format(i) for i in range(900))  # ~50,000 characters
    text = pdf_text(render_pdf(parse(source), Style(), INFO))
    flat = " ".join(text.split())
    for i in (0, 450, 899):
        assert f"Sentence number {i} of" in flat


def test_a_table_longer_than_the_limit_is_refused_with_one_line():
    rows = "\n".join(f"| {i} | row {i} |" for i in range(MAX_TABLE_ROWS + 1))
    with pytest.raises(RenderError, match=f"limit is {MAX_TABLE_ROWS:,}") as err:
        parse(f"| N | Text |\n|---|---|\n{rows}\n")
    assert "\n" not in str(err.value)


def test_a_table_cell_of_many_pages_is_laid_out_keeping_every_sentence():
    cell = "".join(f"Cell sentence {i} goes on here. " for i in range(1500))
    text = " ".join(
        pdf_text(render_pdf(parse(f"| A | B |\n|---|---|\n| key | {cell} |\n"), Style(), INFO)).split()
    )
    for i in (0, 750, 1499):
        assert f"Cell sentence {i} goes" in text


BIDI = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"


def test_bidirectional_controls_are_removed_everywhere_they_are_rendered():
    info = replace(INFO, title=f"Title{BIDI[4]}txet", author=f"A{BIDI[0]}uthor")
    style = Style(banner=f"UNCLASS{BIDI[7]}IFIED", footer_text=f"Foot{BIDI[2]}er")
    blocks = parse(f"# Head{BIDI[3]}ing\n\nBody {BIDI} text.\n")
    pdf = render_pdf(blocks, style, info)
    reader = PdfReader(io.BytesIO(pdf))
    assert not any(c in pdf_text(pdf) + str(reader.metadata.title) for c in BIDI)
    with zipfile.ZipFile(io.BytesIO(render_docx(blocks, style, info))) as package:
        xml = "".join(package.read(n).decode() for n in package.namelist() if n.endswith(".xml"))
    assert not any(c in xml for c in BIDI)
    assert "UNCLASSIFIED" in xml and "Footer" in xml


def test_image_alt_text_is_kept_as_text():
    blocks = parse("See ![the harbour map](map.png) here.\n")
    assert "the harbour map" in pdf_text(render_pdf(blocks, Style(), INFO))


def test_a_character_no_font_has_is_shown_by_name_with_a_warning(caplog):
    blocks = parse("Tally \U0001fae0 done.\n")  # U+1FAE0 MELTING FACE: in no installed text font
    with caplog.at_level(logging.WARNING):
        text = pdf_text(render_pdf(blocks, Style(), INFO))
    assert "[melting face]" in text
    assert any("U+1FAE0" in record.getMessage() for record in caplog.records)


def test_a_symbol_the_body_font_lacks_comes_from_the_fallback_font():
    data = render_pdf(parse("Ratings: \u2605\u2605\u2606 and \u263a.\n"), Style(), INFO)
    text = pdf_text(data)
    assert "\u2605\u2605\u2606" in text and "\u263a" in text


def test_bold_and_italic_runs_are_set_in_their_own_faces():
    data = render_pdf(parse("Plain **Strongword** and *Slantword* text.\n"), Style(), INFO)
    faces: dict[str, str] = {}

    def visit(text, cm, tm, font, size):
        if font and text.strip():
            faces[text.strip()] = str(font["/BaseFont"])

    PdfReader(io.BytesIO(data)).pages[0].extract_text(visitor_text=visit)
    assert any("Strongword" in t and "Bold" in f for t, f in faces.items())
    assert any("Slantword" in t and ("Italic" in f or "Oblique" in f) for t, f in faces.items())


# --- balanced pages -----------------------------------------------------------------------------------


def long_table_memo(filler_paragraphs: int) -> str:
    filler = "\n\n".join(
        f"Filler paragraph {i} about the negotiations at some length." * 3 for i in range(filler_paragraphs)
    )
    rows = "\n".join(f"| 20{i:02d} | Event number {i} in the sequence of talks |" for i in range(60))
    return f"# Memo\n\n{filler}\n\n## Timeline\n\n| Year | Milestone |\n|---|---|\n{rows}\n"


def test_a_long_table_after_a_heading_starts_on_the_same_page_and_repeats_its_header():
    data = render_pdf(parse(long_table_memo(14)), Style(), INFO)
    pages = [page.extract_text() for page in PdfReader(io.BytesIO(data)).pages]
    start = next(i for i, text in enumerate(pages) if "Timeline" in text)
    assert "Event number 0 " in pages[start]  # not pushed whole to the next page
    following = [text for text in pages[start + 1 :] if "Event number" in text]
    assert following and all("Year" in text and "Milestone" in text for text in following)


@needs_libreoffice
def test_a_long_docx_table_repeats_its_header_row_on_every_page(tmp_path):
    source = tmp_path / "table.docx"
    source.write_bytes(render_docx(parse(long_table_memo(14)), Style(), INFO))
    (converted,) = to_pdf([source], tmp_path)
    pages = [page.extract_text() for page in PdfReader(converted).pages]
    with_rows = [text for text in pages if "Event number" in text]
    assert len(with_rows) >= 2
    assert all("Milestone" in text for text in with_rows)
