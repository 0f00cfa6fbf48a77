"""compose(): the memo view laid out by sandboxed templates; escaping, quotes, citations, addressing."""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path

import pytest

from briefgen.compose import compose, escape, load_audience, memo_date
from briefgen.compose.audiences import Audience
from briefgen.compose.view import memo_view
from briefgen.errors import BriefgenError, TemplateError
from briefgen.model import Paragraph
from briefgen.options import BuildOptions
from briefgen.render.blocks import Footnotes, Heading, Run, Table, parse
from briefs import CHINESE, bare_brief, tricky_brief, wordy_brief

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


def section(markdown: str, heading: str) -> str:
    """The Markdown of one `## heading` section (empty when it is absent)."""
    parts = markdown.split(f"## {heading}\n", 1)
    return parts[1].split("\n## ", 1)[0].split("\n[^", 1)[0] if len(parts) == 2 else ""


def bullets(markdown: str, heading: str) -> list[str]:
    return [line[2:] for line in section(markdown, heading).splitlines() if line.startswith("- ")]


def with_settings(audience: Audience, **changes) -> Audience:
    return dataclasses.replace(audience, settings=audience.settings.model_copy(update=changes))


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


@pytest.mark.parametrize("name", AUDIENCES)
def test_every_audience_shows_to_from_date_and_subject(name):
    blocks = parse(compose(tricky_brief(), load_audience(name), OPTIONS))
    header = next(b for b in blocks if isinstance(b, Table))
    cells = ["".join(r.text for r in cell) for row in header.rows for cell in row]
    labels = [r.text for r in runs(header) if r.bold]
    assert labels[:4] == ["TO:", "FROM:", "DATE:", "SUBJECT:"]
    assert "Director <Korea> & Japan" in cells and "Analyst_1" in cells and "1 July 2019" in cells


@pytest.mark.parametrize("name", AUDIENCES)
def test_audience_settings_give_to_and_from_when_the_command_line_does_not(name):
    audience = with_settings(load_audience(name), to="Deputy Secretary", from_="Planning staff")
    text = text_of(compose(tricky_brief(), audience, BuildOptions(date="2019-07-01")))
    assert "Deputy Secretary" in text and "Planning staff" in text
    overridden = text_of(compose(tricky_brief(), audience, OPTIONS))
    assert "Deputy Secretary" not in overridden and "Analyst_1" in overridden


@pytest.mark.parametrize("name", AUDIENCES)
def test_the_source_is_named_by_its_file_name_never_its_path(name):
    brief = dataclasses.replace(
        tricky_brief(), source=dataclasses.replace(tricky_brief().source, path="/home/me/secret/summit.txt")
    )
    text = text_of(compose(brief, load_audience(name), OPTIONS))
    assert "summit.txt" in text and "/home/me" not in text


@pytest.mark.parametrize("name", AUDIENCES)
def test_a_source_over_a_year_old_says_how_old_it_is(name):
    old = text_of(
        compose(tricky_brief(), load_audience(name), OPTIONS.model_copy(update={"date": "2026-12-01"}))
    )
    assert "The source is dated 28 June 2019, over 7 years before this memo." in old
    fresh = text_of(compose(tricky_brief(), load_audience(name), OPTIONS))
    assert "years before this memo" not in fresh


@pytest.mark.parametrize("name", AUDIENCES)
def test_straight_quotes_of_the_source_and_the_templates_print_curly(name):
    text = text_of(compose(tricky_brief(), load_audience(name), OPTIONS))
    assert '"' not in text and "'" not in text
    assert text.count("“") == text.count("”")


def test_curly_quotes_tell_opening_from_closing_and_apostrophes():
    assert escape("""He said "no" to 'phased' talks, the states' view, don't.""") == (
        "He said “no” to ‘phased’ talks, the states’ view, don’t."
    )


def test_memo_has_the_desk_officer_sections_in_order():
    found = headings(compose(tricky_brief(), load_audience("memo"), OPTIONS))
    wanted = [
        "Summary",
        "Key points",
        "Actors and positions",
        "Frameworks",
        "Open questions",
        "Timeline",
        "Sources",
    ]
    assert [h for h in found if h in wanted] == wanted


def test_the_summary_and_bluf_are_the_bottom_line_when_the_analysis_gives_one():
    brief = tricky_brief()
    from briefgen.model import Statement

    chosen = next(s for s in brief.sentences if s.id == "p5.s2")
    brief = dataclasses.replace(
        brief, bottom_line=(Statement(text=chosen.text, cite=brief.key_points[-1].cite),)
    )
    memo = compose(brief, load_audience("memo"), OPTIONS)
    assert section(memo, "Summary").strip().startswith("China wants stability on the peninsula above all.")
    principal = compose(brief, load_audience("principal"), OPTIONS)
    assert "**BLUF:** China wants stability on the peninsula above all." in principal


def test_without_a_bottom_line_the_best_standalone_key_point_leads():
    # p1.s2 scores highest but p1.s1 ("It has been ...") would not stand alone; p1.s2 does.
    memo = compose(tricky_brief(), load_audience("memo"), OPTIONS)
    assert section(memo, "Summary").strip().startswith("习近平 met 金正恩")


def test_footnotes_quote_the_exact_sentence_each_point_came_from():
    markdown = compose(tricky_brief(), load_audience("memo"), OPTIONS)
    notes = next(b for b in parse(markdown) if isinstance(b, Footnotes))
    quoted = "".join(r.text for r in runs(notes))
    assert "¶3: “The DPRK proposed a “phased and synchronized” approach to denuclearization.”" in quoted
    assert "¶5: “China wants stability on the peninsula above all.”" in quoted
    assert "…" not in quoted


def test_two_sentences_of_one_paragraph_get_two_notes():
    markdown = compose(tricky_brief(), load_audience("background"), OPTIONS)
    assert "[^p5-s1]:" in markdown and "[^p5-s2]:" in markdown


def test_footnotes_are_defined_in_the_order_the_text_cites_them():
    markdown = compose(tricky_brief(), load_audience("memo"), OPTIONS)
    body, _, notes = markdown.partition("\n[^")
    cited = list(dict.fromkeys(re.findall(r"\[\^([\w-]+)\](?!:)", body)))
    defined = re.findall(r"^\[\^([\w-]+)\]:", "[^" + notes, re.M)
    assert cited == defined


def test_citations_say_what_the_paragraph_number_counts_and_give_pdf_pages():
    brief = tricky_brief()
    paged = tuple(dataclasses.replace(p, page=i // 3 + 1) for i, p in enumerate(brief.paragraphs))
    markdown = compose(dataclasses.replace(brief, paragraphs=paged), load_audience("memo"), OPTIONS)
    assert "¶ counts the paragraphs of the article, from its first body paragraph." in markdown
    assert "[^p5-s2]: ¶5, p. 2:" in markdown


def test_inline_citations_name_the_paragraph():
    points = bullets(compose(tricky_brief(), load_audience("talking-points"), OPTIONS), "Points to make")
    assert points and all(re.search(r" \(¶\d+\)$", p) for p in points)


def test_principal_has_no_citations_in_its_text_and_an_evidence_annex_after_it():
    markdown = compose(tricky_brief(), load_audience("principal"), OPTIONS)
    page, _, annex = markdown.partition("\\pagebreak")
    assert "¶" not in page and "[^" not in page
    assert "## Evidence" in annex and "¶ counts the paragraphs" in annex
    entries = re.findall(r"^(\d+)\. ¶\d+: “", annex, re.M)
    assert entries == [str(i) for i in range(1, len(entries) + 1)] and len(entries) >= 4


def test_the_annex_can_be_left_out_for_fitting_the_page():
    markdown = compose(tricky_brief(), load_audience("principal"), OPTIONS, annex=False)
    assert "Evidence" not in markdown and "\ue000" not in markdown


def test_citations_none_prints_no_references_or_notes():
    audience = with_settings(load_audience("memo"), citations="none")
    markdown = compose(tricky_brief(), audience, OPTIONS)
    assert "[^" not in markdown and "¶" not in markdown


def test_empty_sections_are_left_out():
    found = headings(compose(bare_brief(), load_audience("memo"), OPTIONS))
    for absent in ("Key points", "Actors and positions", "Frameworks", "Open questions", "Timeline"):
        assert absent not in found
    assert "Sources" in found


@pytest.mark.parametrize("name", AUDIENCES)
def test_templates_cope_with_a_bare_brief(name):
    assert "A bare source" in text_of(compose(bare_brief(), load_audience(name), OPTIONS))


@pytest.mark.parametrize("name", AUDIENCES)
@pytest.mark.parametrize("make", (tricky_brief, wordy_brief, bare_brief))
def test_no_printed_point_opens_on_a_pronoun(name, make):
    markdown = compose(make(), load_audience(name), OPTIONS)
    for line in markdown.splitlines():
        text = re.sub(r"^(?:- |\s+- |\| [^|]+ \| )", "", line)
        text = re.sub(r"^\*\*[^*]+:\*\* ", "", text)
        assert not re.match(r"(?:[A-Z]\w*(?: \w+){0,2}, )?(It|They|These|This|Their|He|She)\b", text), line


def test_a_pronoun_point_prints_the_analysis_memo_text_with_its_referent():
    brief = tricky_brief()
    sentences = tuple(
        dataclasses.replace(
            s, memo_text="[Fourteen years] have passed since a Chinese head of state visited."
        )
        if s.id == "p1.s1"
        else s
        for s in brief.sentences
    )
    point = dataclasses.replace(
        brief.key_points[0], text=brief.sentences[0].text, cite=brief.key_points[0].cite
    )
    point = dataclasses.replace(point, cite=dataclasses.replace(point.cite, sentence="p1.s1"))
    brief = dataclasses.replace(brief, sentences=sentences, key_points=(point, *brief.key_points[1:]))
    memo = compose(brief, load_audience("memo"), OPTIONS)
    assert "[Fourteen years] have passed" in text_of(memo)
    assert memo.split("\n[^p1-s1]: ", 1)[1].startswith("¶1: “\\[Fourteen years\\]")  # quoted as printed


def test_talking_points_name_who_says_each_point():
    points = bullets(compose(tricky_brief(), load_audience("talking-points"), OPTIONS), "Points to make")
    assert 4 <= len(points) <= 6
    for point in points:
        speaker = re.match(r"\*\*([^*]+):\*\* ", point)
        names = ("China", "Beijing", "DPRK", "Pyongyang", "United States", "Washington")
        assert speaker or any(n in point for n in names), point


def test_talking_points_prefer_the_longest_faithful_form_that_fits_a_line():
    brief = wordy_brief()
    long_one = brief.sentences[3]
    short = "Transit flows remain low, but the volume held in reservoirs reached a record in 2023."
    sentences = tuple(
        dataclasses.replace(s, shorter=(short,)) if s is long_one else s for s in brief.sentences
    )
    markdown = compose(
        dataclasses.replace(brief, sentences=sentences), load_audience("talking-points"), OPTIONS
    )
    assert short in markdown and "most of it stored behind" not in section(markdown, "Points to make")


def test_if_asked_uses_answers_and_open_questions_are_listed_as_open_without_filler():
    markdown = compose(wordy_brief(), load_audience("talking-points"), OPTIONS)
    asked = bullets(markdown, "If asked")
    assert asked and "notification rule" in asked[0]
    assert not any("Who Decides How Much Water Flows" in line for line in asked)
    assert any("Will data sharing be enough" in line for line in bullets(markdown, "Still open"))
    assert "leaves this open" not in markdown


def test_principal_open_question_is_not_the_headline():
    markdown = compose(wordy_brief(), load_audience("principal"), OPTIONS)
    assert "Can the lower basin states agree" in section(markdown, "The open question")


def test_memo_open_questions_answered_first_then_left_open():
    markdown = compose(wordy_brief(), load_audience("memo"), OPTIONS)
    questions = section(markdown, "Open questions")
    assert "Who Decides How Much Water Flows" not in questions
    answered, _, left_open = questions.partition("Left open by the source:")
    assert "*The source’s answer:* They have so far failed" in answered
    assert "Will data sharing be enough" in left_open


def test_terms_owned_by_another_party_are_to_attribute_never_to_use():
    markdown = compose(tricky_brief(), load_audience("talking-points"), OPTIONS)
    use, attribute = section(markdown, "Terms to use"), section(markdown, "Terms to attribute or avoid")
    assert "denuclearization" in use and "phased and synchronized" not in use
    assert "**phased and synchronized** (DPRK’s term)" in attribute and "maximum pressure" in attribute


def test_perspective_makes_our_own_partys_terms_ours_to_use():
    options = OPTIONS.model_copy(update={"perspective": "United States"})
    markdown = compose(tricky_brief(), load_audience("talking-points"), options)
    assert "maximum pressure" in section(markdown, "Terms to use")
    assert "maximum pressure" not in section(markdown, "Terms to attribute or avoid")
    assert "phased and synchronized" in section(markdown, "Terms to attribute or avoid")


def test_perspective_also_matches_an_alias_and_comes_from_the_audience():
    audience = with_settings(load_audience("talking-points"), perspective="Washington")
    markdown = compose(tricky_brief(), audience, OPTIONS)
    assert "maximum pressure" in section(markdown, "Terms to use")


@pytest.mark.parametrize("name", AUDIENCES)
@pytest.mark.parametrize("make", (tricky_brief, wordy_brief, bare_brief))
def test_every_heading_stands_on_its_own_line(name, make):
    lines = compose(make(), load_audience(name), OPTIONS).splitlines()
    for index, line in enumerate(lines):
        if line.startswith("#"):
            assert re.fullmatch(r"#{1,6} \S.*", line) and "- **" not in line and "| " not in line
            assert index + 1 == len(lines) or lines[index + 1] == ""


def test_background_quotes_the_source_sentence_under_an_item_printed_in_another_form():
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


def test_includes_cannot_climb_out_of_the_templates_folder():
    with pytest.raises(TemplateError, match=r"traversal/memo\.md\.j2:3: template not found"):
        compose(tricky_brief(), load_audience("traversal", FIXTURES / "hostile"), OPTIONS)


def test_escape_neutralises_line_starts():
    assert text_of(escape("# not a heading")) == "# not a heading"
    assert text_of(escape("1999. A year")) == "1999. A year"
    assert text_of(escape("- not a list")) == "- not a list"
    assert text_of(escape("> not a quote")) == "> not a quote"


def test_escape_collapses_whitespace_so_text_stays_inline():
    assert escape("a\n\n# b") == "a # b"


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


def test_a_paragraph_without_sentences_is_still_cited_by_its_number():
    brief = dataclasses.replace(
        bare_brief(), paragraphs=(Paragraph(id="p1", text="Only text."),), sentences=()
    )
    assert "A bare source" in text_of(compose(brief, load_audience("memo"), OPTIONS))


def test_a_findings_own_clause_is_never_printed_in_place_of_its_faithful_sentence():
    # The event finder cut "Transit flows remain low, but ..." down to a clause without its "but".
    brief = wordy_brief()
    sentence = next(s for s in brief.sentences if s.id == "p4.s1")
    clause = "the volume held in reservoirs reached a record in 2023"
    from briefgen.model import Cite, Event

    event = Event(date="2023", text=clause, cite=Cite(paragraph="p4", sentence="p4.s1"))
    markdown = compose(dataclasses.replace(brief, events=(event,)), load_audience("memo"), OPTIONS)
    timeline = section(markdown, "Timeline")
    assert sentence.text in timeline and f"| {clause}" not in timeline


def test_a_note_quotes_the_sentence_with_its_relative_time_resolved_in_brackets():
    brief = tricky_brief()
    sentences = tuple(
        dataclasses.replace(s, memo_text="China wants stability on the peninsula above all this year [2019].")
        if s.id == "p5.s2"
        else s
        for s in brief.sentences
    )
    markdown = compose(dataclasses.replace(brief, sentences=sentences), load_audience("memo"), OPTIONS)
    assert (
        "[^p5-s2]: ¶5: “China wants stability on the peninsula above all this year \\[2019\\].”" in markdown
    )


def test_a_sentence_out_of_a_longer_quotation_has_its_missing_mark_inserted_in_brackets():
    assert text_of(escape("The agency says the term is “most often used for areas.")) == (
        "The agency says the term is “most often used for areas. [”]"
    )
    assert text_of(escape("It ends here,” she said.")) == "[“] It ends here,” she said."
    assert escape("A “whole” quote.") == "A “whole” quote."


def test_the_audience_settings_cap_how_many_answered_and_open_questions_the_view_lists():
    brief = dataclasses.replace(
        wordy_brief(),
        open_questions=wordy_brief().open_questions + tricky_brief().open_questions,
    )
    audience = load_audience("memo")
    every = memo_view(brief, audience, OPTIONS)
    assert len(every.answered) > 1 or len(every.unanswered) > 1
    capped = memo_view(brief, with_settings(audience, answered_questions=1, open_questions=1), OPTIONS)
    assert capped.answered == every.answered[:1] and capped.unanswered == every.unanswered[:1]
    assert capped.question == every.question  # the leading question is chosen before the cut


def test_the_view_partitions_terms_into_defined_and_bare_in_the_order_of_terms():
    view = memo_view(tricky_brief(), load_audience("memo"), OPTIONS)
    assert view.defined_terms and view.bare_terms
    assert view.defined_terms + view.bare_terms == view.terms
    assert all(t.definition for t in view.defined_terms)
    assert not any(t.definition for t in view.bare_terms)
