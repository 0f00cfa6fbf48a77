"""Markdown -> block model: what the renderers can rely on."""

from __future__ import annotations

from pathlib import Path

import pytest

from briefgen.render.blocks import (
    CodeBlock,
    Footnotes,
    Heading,
    ListBlock,
    PageBreak,
    Paragraph,
    Quote,
    Rule,
    Table,
    parse,
    plain_text,
)

FIXTURES = Path(__file__).parent / "fixtures" / "render"


def only(blocks, kind):
    found = [b for b in blocks if isinstance(b, kind)]
    assert len(found) == 1, found
    return found[0]


def test_heading_levels_and_text():
    blocks = parse("# Title\n\n## Section\n\n### Sub\n")
    assert [(b.level, plain_text(b.runs)) for b in blocks] == [(1, "Title"), (2, "Section"), (3, "Sub")]


@pytest.mark.parametrize(
    ("source", "literal"),
    [
        (r"\<Notes\>", "<Notes>"),
        ("AT&amp;T", "AT&T"),
        (r"5 \< 6", "5 < 6"),
        (r"a \* b", "a * b"),
        (r"snake\_case", "snake_case"),
        (r"see \[1\]", "see [1]"),
    ],
)
def test_markdown_escapes_come_out_literally(source, literal):
    paragraph = only(parse(source), Paragraph)
    assert plain_text(paragraph.runs) == literal


def test_raw_html_is_text_not_markup():
    paragraph = only(parse("before <b>bold?</b> after"), Paragraph)
    assert plain_text(paragraph.runs) == "before <b>bold?</b> after"
    assert not any(run.bold for run in paragraph.runs)


def test_html_block_is_text_not_markup():
    blocks = parse("<div>\nhello\n</div>\n")
    assert "<div>" in plain_text(only(blocks, Paragraph).runs)


def test_inline_flags():
    runs = only(parse("**b** *i* `c` ~~s~~ [l](https://example.org)"), Paragraph).runs
    by_text = {run.text: run for run in runs}
    assert by_text["b"].bold and not by_text["b"].italic
    assert by_text["i"].italic
    assert by_text["c"].code
    assert by_text["s"].strike
    assert by_text["l"].link == "https://example.org"


def test_hard_break_is_a_newline_soft_break_a_space():
    runs = only(parse("one\ntwo\\\nthree"), Paragraph).runs
    assert plain_text(runs) == "one two\nthree"


def test_lists_ordered_start_and_nesting():
    blocks = parse("3. a\n4. b\n   - inner\n")
    listing = only(blocks, ListBlock)
    assert listing.ordered and listing.start == 3
    assert len(listing.items) == 2
    nested = [b for b in listing.items[1] if isinstance(b, ListBlock)]
    assert nested and not nested[0].ordered


def test_table_header_rows_alignment_and_width_hint():
    table = only(parse("| Name | Note |\n|:--|--:|\n| a | a much longer cell of text here |\n"), Table)
    assert table.has_header
    assert [plain_text(c) for c in table.header] == ["Name", "Note"]
    assert [plain_text(c) for c in table.rows[0]] == ["a", "a much longer cell of text here"]
    assert table.aligns == ("left", "right")
    assert sum(table.widths) == pytest.approx(1.0, abs=1e-3)
    assert table.widths[1] > table.widths[0]


def test_table_with_empty_header_is_key_value():
    table = only(parse("| | |\n|---|---|\n| **TO:** | Desk |\n"), Table)
    assert not table.has_header
    assert plain_text(table.rows[0][1]) == "Desk"


def test_footnotes_become_superscript_refs_and_one_trailing_block():
    blocks = parse("Claim.[^a] Other.[^b]\n\n[^b]: Second.\n[^a]: First.\n")
    runs = blocks[0].runs
    refs = [run.text for run in runs if run.superscript]
    assert refs == ["1", "2"]
    notes = blocks[-1]
    assert isinstance(notes, Footnotes)
    assert [(n.number, plain_text(n.blocks[0].runs)) for n in notes.notes] == [(1, "First."), (2, "Second.")]


@pytest.mark.parametrize("marker", ["<!-- pagebreak -->", "\\pagebreak", "\\newpage"])
def test_page_break_markers(marker):
    blocks = parse(f"one\n\n{marker}\n\ntwo\n")
    assert [type(b) for b in blocks] == [Paragraph, PageBreak, Paragraph]


def test_quote_rule_and_code():
    blocks = parse("> quoted\n\n---\n\n```\nx < y\n```\n")
    assert isinstance(blocks[0], Quote) and plain_text(blocks[0].blocks[0].runs) == "quoted"
    assert isinstance(blocks[1], Rule)
    assert isinstance(blocks[2], CodeBlock) and blocks[2].text == "x < y"


def test_full_memo_fixture_has_every_block_kind():
    blocks = parse((FIXTURES / "full_memo.md").read_text(encoding="utf-8"))
    kinds = {type(b) for b in blocks}
    assert {Heading, Paragraph, ListBlock, Table, Quote, Rule, Footnotes} <= kinds


def test_blocks_are_frozen():
    heading = parse("# T")[0]
    with pytest.raises(AttributeError):
        heading.level = 2  # type: ignore[misc]
