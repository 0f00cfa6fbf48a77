"""compose(): sandboxed templates, Markdown escaping of source text, citations, filters, dates."""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path

import pytest

from briefgen.audiences import load_audience
from briefgen.errors import BriefgenError, TemplateError
from briefgen.options import BuildOptions
from briefgen.render.blocks import Footnotes, Heading, Run, Table, parse
from briefgen.templating import Fit, compose, escape, memo_date, shorten
from briefs import CHINESE, TITLE, bare_brief, tricky_brief, wordy_brief

FIXTURES = Path(__file__).parent / "fixtures" / "templates"
AUDIENCES = ("memo", "principal", "talking-points", "background")
OPTIONS = BuildOptions(to="Director <Korea> & Japan", from_="Analyst_1", date="2019-07-01")


def runs(blocks) -> list[Run]:
    """Every text run in a block tree, in reading order."""
    found: list[Run] = []

    def walk(node) -> None:
        if isinstance(node, Run):
            found.append(node)
        elif isinstance(node, (tuple, list)):
            for child in node:
                walk(child)
        elif dataclasses.is_dataclass(node):
            for field in dataclasses.fields(node):
                walk(getattr(node, field.name))

    walk(blocks)
    return found


def text_of(markdown: str) -> str:
    return "".join(run.text for run in runs(parse(markdown)))


def headings(markdown: str) -> list[str]:
    return ["".join(r.text for r in block.runs) for block in parse(markdown) if isinstance(block, Heading)]


@pytest.mark.parametrize("name", AUDIENCES)
def test_tricky_source_text_comes_out_literally(name):
    text = text_of(compose(tricky_brief(), load_audience(name), OPTIONS))
    for literal in ("<Notes>", "AT&T", "5 < 6", "*bold*", "snake_case_names", "footnote [1]", "习近平"):
        assert literal in text, literal


@pytest.mark.parametrize("name", AUDIENCES)
def test_source_text_never_becomes_formatting(name):
    formatted = [
        r.text
        for r in runs(parse(compose(tricky_brief(), load_audience(name), OPTIONS)))
        if r.italic or r.code or r.strike or r.link
    ]
    assert not any("bold" in t or "case" in t for t in formatted)


def test_options_text_is_escaped_too():
    text = text_of(compose(tricky_brief(), load_audience("memo"), OPTIONS))
    assert "Director <Korea> & Japan" in text and "Analyst_1" in text


def test_template_markup_still_formats():
    blocks = parse(compose(tricky_brief(), load_audience("memo"), OPTIONS))
    header = next(b for b in blocks if isinstance(b, Table))
    labels = [r.text for r in runs(header) if r.bold]
    assert "TO:" in labels and "SUBJECT:" in labels


@pytest.mark.parametrize("name", AUDIENCES)
def test_every_memo_names_the_source_and_has_sources(name):
    markdown = compose(tricky_brief(), load_audience(name), OPTIONS)
    text = text_of(markdown)
    assert TITLE in text and "An Gang" in text and "28 June 2019" in text
    assert "Sources" in headings(markdown)


def test_memo_has_the_desk_officer_sections_in_order():
    found = headings(compose(tricky_brief(), load_audience("memo"), OPTIONS))
    wanted = [
        "Summary",
        "Background",
        "Key points",
        "Actors and positions",
        "Frameworks",
        "Open questions",
        "Timeline",
        "Sources",
    ]
    assert [h for h in found if h in wanted] == wanted


def test_citations_are_numbered_footnotes_quoting_the_paragraph():
    markdown = compose(tricky_brief(), load_audience("memo"), OPTIONS)
    assert "[^5]" in markdown  # the tricky sentence is in paragraph 5
    notes = next(b for b in parse(markdown) if isinstance(b, Footnotes))
    quoted = "".join(r.text for r in runs(notes))
    assert "Source ¶5" in quoted and "Source ¶1" in quoted


def test_empty_sections_are_left_out():
    found = headings(compose(bare_brief(), load_audience("memo"), OPTIONS))
    for absent in ("Key points", "Actors and positions", "Frameworks", "Open questions", "Timeline"):
        assert absent not in found
    assert "Sources" in found


@pytest.mark.parametrize("name", AUDIENCES)
def test_templates_cope_with_a_bare_brief(name):
    assert "A bare source" in text_of(compose(bare_brief(), load_audience(name), OPTIONS))


def test_principal_bluf_is_shortened_to_the_fit():
    brief = tricky_brief()
    long_lead = dataclasses.replace(brief.key_points[0], text="word " * 200, score=2.0)
    brief = dataclasses.replace(brief, key_points=(long_lead,))
    markdown = compose(brief, load_audience("principal"), OPTIONS, fit=Fit(bluf_chars=120))
    bluf = next(line for line in markdown.splitlines() if line.startswith("**BLUF:**"))
    assert len(bluf) < 170 and "…" in bluf


def test_fit_reduces_the_key_points():
    full = compose(tricky_brief(), load_audience("principal"), OPTIONS)
    trimmed = compose(tricky_brief(), load_audience("principal"), OPTIONS, fit=Fit(level=3, key_points=4))

    def count(md: str) -> int:
        return md.split("## Key points", 1)[1].split("##", 1)[0].count("\n- ")

    assert count(full) == 5 and count(trimmed) == 3


def test_talking_points_have_if_asked_and_terms():
    found = headings(compose(tricky_brief(), load_audience("talking-points"), OPTIONS))
    assert "If asked" in found and "Terms to use" in found and "Terms to avoid (or attribute)" in found


def section(markdown: str, heading: str) -> str:
    """The Markdown of one `## heading` section (empty when it is absent)."""
    parts = markdown.split(f"## {heading}\n", 1)
    return parts[1].split("\n## ", 1)[0].split("\n[^", 1)[0] if len(parts) == 2 else ""


def bullets(markdown: str, heading: str) -> list[str]:
    return [line[2:] for line in section(markdown, heading).splitlines() if line.startswith("- ")]


def test_talking_points_are_four_to_six_short_whole_clauses():
    points = bullets(compose(wordy_brief(), load_audience("talking-points"), OPTIONS), "Points to make")
    assert 4 <= len(points) <= 6
    for point in points:
        visible = point.split(" (¶", 1)[0]
        assert len(visible) <= 125 and "…" not in visible and visible.endswith(".")


def test_talking_points_drop_discourse_markers_and_pointing_pronouns():
    points = bullets(compose(wordy_brief(), load_audience("talking-points"), OPTIONS), "Points to make")
    for point in points:
        assert not point.startswith(("However", "More importantly", "They ", "It "))


def test_if_asked_uses_answers_and_never_the_headline():
    markdown = compose(wordy_brief(), load_audience("talking-points"), OPTIONS)
    asked = bullets(markdown, "If asked")
    assert 1 <= len(asked) <= 4
    assert not any("Who Decides How Much Water Flows" in line for line in asked)
    assert "notification rule" in asked[0]  # the answered question comes first, with its answer
    assert "do not speculate" not in markdown
    assert any(line.endswith("The source leaves this open.") for line in asked)


def test_principal_why_it_matters_skips_positions_opening_with_a_pronoun():
    brief = wordy_brief()
    # Keep p2/p3 out of the key points so the upstream state's positions are fresh.
    brief = dataclasses.replace(
        brief, key_points=tuple(k for k in brief.key_points if k.cite.paragraph not in ("p2", "p3"))
    )
    why = bullets(compose(brief, load_audience("principal"), OPTIONS), "Why it matters")
    assert why and not any("they played" in line.lower() for line in why)
    assert any(line.startswith("**Upstream state:**") and "eager to close" in line for line in why)


def test_principal_open_question_is_not_the_headline():
    markdown = compose(wordy_brief(), load_audience("principal"), OPTIONS)
    assert "Can the lower basin states agree" in section(markdown, "The open question")


def test_memo_open_questions_answered_first_then_left_open():
    markdown = compose(wordy_brief(), load_audience("memo"), OPTIONS)
    questions = section(markdown, "Open questions")
    assert "Who Decides How Much Water Flows" not in questions
    answered, _, left_open = questions.partition("The source leaves open:")
    assert "*The source's answer:* They have so far failed" in answered
    assert "Will data sharing be enough" in left_open


@pytest.mark.parametrize("name", AUDIENCES)
@pytest.mark.parametrize("make", (tricky_brief, wordy_brief, bare_brief))
def test_every_heading_stands_on_its_own_line(name, make):
    # A template comment that eats whitespace once glued "## Terms to use- **new era**".
    lines = compose(make(), load_audience(name), OPTIONS).splitlines()
    for index, line in enumerate(lines):
        if line.startswith("#"):
            assert re.fullmatch(r"#{1,6} \S.*", line) and "- **" not in line and "| " not in line
            assert index + 1 == len(lines) or lines[index + 1] == ""


def test_talking_points_group_bare_terms_to_avoid_by_whose_they_are():
    lines = bullets(
        compose(tricky_brief(), load_audience("talking-points"), OPTIONS), "Terms to avoid (or attribute)"
    )
    assert any(line.startswith("**phased and synchronized** (DPRK's term): Step-by-step") for line in lines)
    assert any(line.startswith("United States' term: **maximum pressure**") for line in lines)


def test_memo_sections_start_with_their_heading_line():
    # A template comment that eats whitespace once glued "## Actors and positions| Actor |".
    markdown = compose(tricky_brief(), load_audience("memo"), OPTIONS)
    blocks = parse(markdown)
    index = next(
        i
        for i, b in enumerate(blocks)
        if isinstance(b, Heading) and "".join(r.text for r in b.runs) == "Actors and positions"
    )
    assert isinstance(blocks[index + 1], Table)


def test_memo_position_cells_are_main_clauses_without_markers():
    markdown = compose(wordy_brief(), load_audience("memo"), OPTIONS)
    table = section(markdown, "Actors and positions")
    assert "More importantly" not in table and "However" not in table
    assert "| Upstream state | As the dry season draws near" in table


def test_background_quotes_the_source_sentence_under_items():
    text = text_of(compose(tricky_brief(), load_audience("background"), OPTIONS))
    assert "“Pyongyang wants sanctions relief before dismantlement.”" in text


def test_custom_override_replaces_one_block_of_the_built_in():
    found = headings(compose(tricky_brief(), load_audience("memo", FIXTURES / "custom"), OPTIONS))
    assert "House summary" in found and "Summary" not in found
    assert "Actors and positions" in found  # inherited from the built-in memo


def test_sandbox_escape_is_refused_with_template_and_line():
    with pytest.raises(TemplateError) as err:
        compose(tricky_brief(), load_audience("escape", FIXTURES / "hostile"), OPTIONS)
    message = str(err.value)
    assert "escape/memo.md.j2:4:" in message and "sandbox" in message and "\n" not in message


def test_undefined_variable_is_refused_with_template_and_line():
    with pytest.raises(TemplateError, match=r"undefined/memo\.md\.j2:5: undefined: 'no_such_variable'"):
        compose(tricky_brief(), load_audience("undefined", FIXTURES / "hostile"), OPTIONS)


def test_escape_neutralises_line_starts():
    assert text_of(escape("# not a heading")) == "# not a heading"
    assert text_of(escape("1999. A year")) == "1999. A year"
    assert text_of(escape("- not a list")) == "- not a list"
    assert text_of(escape("> not a quote")) == "> not a quote"


def test_escape_collapses_whitespace_so_text_stays_inline():
    assert escape("a\n\n# b") == "a # b"


def test_shorten_measures_visible_characters_of_escaped_text():
    escaped = escape("a*b*c " * 10)
    short = shorten(escaped, 20)
    assert text_of(short).endswith("…") and len(text_of(short)) <= 20


def test_date_option_wins(monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "0")
    assert memo_date(BuildOptions(date="2020-02-02")) == "2020-02-02"


def test_source_date_epoch_sets_the_memo_date(monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1561939200")
    assert memo_date(BuildOptions()) == "2019-07-01"
    assert "1 July 2019" in text_of(compose(tricky_brief(), load_audience("memo"), BuildOptions()))


def test_bad_source_date_epoch_is_a_user_error(monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "yesterday")
    with pytest.raises(BriefgenError, match="SOURCE_DATE_EPOCH"):
        memo_date(BuildOptions())


def test_chinese_names_survive():
    assert CHINESE.split(" ")[0] in text_of(compose(tricky_brief(), load_audience("background"), OPTIONS))


def test_includes_cannot_climb_out_of_the_templates_folder():
    with pytest.raises(TemplateError, match=r"traversal/memo\.md\.j2:3: template not found"):
        compose(tricky_brief(), load_audience("traversal", FIXTURES / "hostile"), OPTIONS)
