"""Metadata by evidence and layouts nobody here wrote: one scenario per layout rule, each with
its own words (kicker lines, pipe bylines, bios at the end, a two-column PDF with a footnote, a
logo letter above a cover title, an agency as publisher, Japanese and Chinese sources)."""

from __future__ import annotations

from pathlib import Path

import pytest

from briefgen.model import Author
from briefgen.readers import read_source

LAYOUTS = Path(__file__).resolve().parent / "fixtures" / "readers" / "layouts"


def body(document) -> str:
    return " ".join(p.text for p in document.paragraphs)


# --- scraped text ------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def kicker():
    return read_source(LAYOUTS / "kicker_standfirst_pipe_byline.txt")


def test_a_kicker_line_is_not_the_title(kicker):
    assert kicker.meta.title == "Quiet Nets: Why the Gulf's Fishing Pact Keeps Failing Its Smallest Ports"


def test_a_pipe_byline_gives_the_author_and_the_date_but_not_the_reading_time(kicker):
    assert kicker.meta.authors == (
        Author(name="Tomas Ferreira", affiliation="Institute for Ocean Governance"),
    )
    assert kicker.meta.date == "2023-03-14"


def test_the_standfirst_and_byline_are_not_body_paragraphs(kicker):
    assert kicker.paragraphs[0].text.startswith("When the three coastal governments")
    assert "boats have stayed in harbour" not in body(kicker)
    assert "7 min read" not in body(kicker)


def test_share_bars_tags_and_the_closing_bio_are_left_out(kicker):
    text = body(kicker)
    assert "Facebook" not in text and "Tags:" not in text
    assert "is a senior researcher" not in text and "views expressed" not in text
    assert kicker.paragraphs[-1].text.startswith("Officials in the largest port")


def test_posted_on_a_date_by_a_name_is_a_byline():
    document = read_source(LAYOUTS / "posted_on_date_by_name.txt")
    assert document.meta.title == "The Grid Link Nobody Wanted to Pay For"
    assert document.meta.date == "2024-09-03"
    assert document.meta.authors == (Author(name="Leila Haddad", affiliation="Mediterranean Energy Forum"),)
    assert len(document.paragraphs) == 2
    assert "Comments" not in body(document) and "Previous post" not in body(document)


def test_bios_disclaimers_citation_advice_and_copyright_at_the_end_are_not_body():
    document = read_source(LAYOUTS / "bios_and_notices_at_the_end.md")
    assert [a.name for a in document.meta.authors] == ["Anya Petrova", "Kwame Mensah"]
    assert len(document.paragraphs) == 2
    assert document.paragraphs[-1].text.startswith("The commission meets again")


# --- any script --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "language"),
    [("japanese_article.txt", "ja"), ("japanese_page.html", "ja"), ("chinese_article.txt", "zh")],
)
def test_a_chinese_or_japanese_source_reads_with_its_paragraphs(name, language):
    document = read_source(LAYOUTS / name)
    assert len(document.paragraphs) >= 2
    assert all(len(p.text) > 30 for p in document.paragraphs)
    assert document.meta.language == language
    assert document.meta.title and "|" not in document.meta.title


def test_a_year_alone_in_japanese_text_is_not_taken_for_a_date():
    assert read_source(LAYOUTS / "japanese_page.html").meta.date is None


# --- PDF -----------------------------------------------------------------------------------------

NOTE = "A survey of harbour masters held in the spring, with answers from nine ports."
COLUMN_TEXT = [
    "The regional port authority has spent four years planning a shared customs system for the "
    "three harbours on the estuary, and the plan is still waiting for approval from two of the "
    "councils that own the land around the docks.",
    "Shipping firms say that the delay costs them money every week, because cargo that could be "
    "cleared once must now be checked at each harbour in turn, and the checks are not recognised "
    "from one harbour to the next across the estuary.",
    "Council members reply that the shared system would move jobs away from the smaller harbours, "
    "whose customs offices employ a large share of the local workforce and pay for the upkeep of "
    "the quays that the fishing fleet depends on.",
    "A compromise now under discussion would keep the offices open but give them new tasks, such "
    "as inspecting refrigerated cargo, which the largest harbour has never been equipped to handle.",
]


def _two_column_pdf(path: Path) -> None:
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet
    from reportlab.platypus import BaseDocTemplate, Frame, FrameBreak, PageTemplate, Paragraph

    sheet = getSampleStyleSheet()
    note_style = ParagraphStyle("note", parent=sheet["BodyText"], fontSize=7, leading=8.5)

    def furniture(canvas, doc):
        canvas.saveState()
        canvas.setFont("Helvetica", 8)
        canvas.drawString(72, A4[1] - 40, "Estuary Policy Review · Issue 3")
        canvas.drawString(A4[0] / 2, 30, f"Page {doc.page}")
        canvas.line(72, 118, 200, 118)
        note = Paragraph("1 " + NOTE, note_style)
        _, height = note.wrap(A4[0] - 144, 60)
        note.drawOn(canvas, 72, 108 - height + 8)
        canvas.restoreState()

    width = (A4[0] - 144 - 18) / 2
    frames = [
        Frame(72, A4[1] - 190, A4[0] - 144, 120, id="head"),
        Frame(72, 130, width, A4[1] - 320, id="left"),
        Frame(72 + width + 18, 130, width, A4[1] - 320, id="right"),
    ]
    doc = BaseDocTemplate(str(path), pagesize=A4, title="One Estuary, Three Harbours", author="Ines Varga")
    doc.addPageTemplates([PageTemplate(id="page", frames=frames, onPage=furniture)])
    flow = [
        Paragraph("One Estuary, Three Harbours", sheet["Title"]),
        Paragraph("Ines Varga", sheet["Italic"]),
        FrameBreak(),
    ]
    for index, text in enumerate(COLUMN_TEXT * 5):
        flow.append(Paragraph(text + ("¹" if index == 0 else ""), sheet["BodyText"]))
    doc.build(flow)


@pytest.fixture(scope="module")
def columns(tmp_path_factory):
    path = tmp_path_factory.mktemp("pdf") / "two_columns.pdf"
    _two_column_pdf(path)
    return read_source(path)


def test_a_two_column_page_reads_column_by_column(columns):
    texts = [p.text for p in columns.paragraphs]
    # Every paragraph comes out whole and in order, whichever column (or page) it started in.
    expected = COLUMN_TEXT * 5
    assert [t.rstrip("¹") for t in texts] == expected


def test_the_footnote_and_running_lines_stay_out_of_the_body(columns):
    text = body(columns)
    assert "harbour masters" not in text
    assert "Estuary Policy Review" not in text and "Page 1" not in text


def test_no_paragraph_starts_mid_sentence_after_a_column_break(columns):
    assert all(p.text[0].isupper() for p in columns.paragraphs)


def test_two_column_paragraphs_know_their_pages(columns):
    pages = [p.page for p in columns.paragraphs]
    assert pages[0] == 1 and pages == sorted(pages) and pages[-1] >= 2


def _cover_pdf(path: Path, *, info_title: str, info_author: str) -> None:
    from reportlab.pdfgen import canvas

    page = canvas.Canvas(str(path), invariant=1)
    page.setTitle(info_title)
    page.setAuthor(info_author)
    page.setFont("Helvetica-Bold", 90)
    page.drawString(200, 60, "q")  # a logo glyph drawn first, in the largest type on the page
    page.setFont("Helvetica", 12)
    page.drawString(200, 760, "Office of Coastal Oversight")
    page.drawString(40, 640, "October 2022")
    page.setFont("Helvetica-Bold", 30)
    page.drawString(200, 600, "HARBOUR DREDGING")
    page.drawString(200, 565, "Costs Rose Faster")
    page.drawString(200, 530, "Than Planned")
    page.showPage()
    page.setFont("Helvetica", 11)
    y = 740
    for line in (
        "The office reviewed the dredging programme of the harbour board between 2018 and 2022 and",
        "found that its costs rose by more than half, mostly because the channel silted up again",
        "faster than the engineers had assumed when the programme was approved.",
    ):
        page.drawString(72, y, line)
        y -= 14
    page.save()


@pytest.fixture(scope="module")
def cover(tmp_path_factory):
    path = tmp_path_factory.mktemp("pdf") / "cover.pdf"
    _cover_pdf(
        path,
        info_title="OCO-22-117, HARBOUR DREDGING: Costs Rose Faster Than Planned",
        info_author="Office of Coastal Oversight, http://www.oco.example.gov",
    )
    return read_source(path)


def test_a_logo_letter_in_the_largest_type_is_not_the_title(cover):
    assert cover.meta.title == "Harbour Dredging: Costs Rose Faster Than Planned"


def test_an_agency_named_as_author_is_the_publisher_and_no_author_is_invented(cover):
    assert cover.meta.publisher == "Office of Coastal Oversight"
    assert cover.meta.authors == ()


def test_a_month_and_year_on_the_cover_take_the_day_from_the_creation_date_only_in_that_month(cover):
    # reportlab's invariant mode stamps 2000-01-01 as the creation date: another month, so no day.
    assert cover.meta.date is None


def test_the_body_of_the_report_follows_its_cover(cover):
    assert cover.paragraphs[0].text.startswith("The office reviewed the dredging programme")
    assert cover.paragraphs[0].page == 2


# --- HTML metadata ------------------------------------------------------------------------------


def _page(tmp_path: Path, head: str, body_html: str) -> Path:
    path = tmp_path / "page.html"
    path.write_text(
        f"<!doctype html><html><head>{head}</head><body>{body_html}</body></html>", encoding="utf-8"
    )
    return path


ARTICLE = "".join(
    f"<p>{sentence} The council will meet again next month to decide on the final plan for the harbour.</p>"
    for sentence in (
        "The harbour council approved a plan to widen the northern channel on Tuesday.",
        "Fishing crews said the works would close the channel for most of the spring season.",
        "Engineers promised to keep one lane open at all times during the dredging works.",
    )
)


def test_a_site_name_after_the_title_is_stripped(tmp_path):
    head = (
        "<title>Harbour council widens the northern channel – Coastal Courier</title>"
        '<meta property="og:site_name" content="Coastal Courier">'
    )
    document = read_source(_page(tmp_path, head, f"<article>{ARTICLE}</article>"))
    assert document.meta.title == "Harbour council widens the northern channel"
    assert document.meta.publisher == "Coastal Courier"


@pytest.mark.parametrize(
    "author",
    ["https://www.facebook.com/coastalcourier", "Mira JensenCOASTALNews", "COURIER STAFF NOVEMBER"],
)
def test_junk_metadata_authors_are_dropped(tmp_path, author):
    head = f'<title>Harbour plan</title><meta name="author" content="{author}">'
    document = read_source(_page(tmp_path, head, f"<article>{ARTICLE}</article>"))
    assert document.meta.authors == ()


def test_a_name_said_twice_is_one_author(tmp_path):
    head = '<title>Harbour plan</title><meta name="author" content="Mira Jensen Mira Jensen">'
    document = read_source(_page(tmp_path, head, f"<article>{ARTICLE}</article>"))
    assert [a.name for a in document.meta.authors] == ["Mira Jensen"]


def test_text_in_element_tails_and_nested_divs_is_kept(tmp_path):
    nested = (
        "<article><div><div><p>The harbour council approved a plan to widen the northern channel on "
        "Tuesday after a long debate.</p>Loose text after the paragraph says the vote was close, with "
        "five members for and four against.<div><p>Fishing crews said the works would close the channel "
        "for most of the spring season.</p></div></div></div></article>"
    )
    document = read_source(_page(tmp_path, "<title>Harbour vote</title>", nested))
    assert "the vote was close" in body(document)
    assert "Fishing crews said" in body(document)


def test_a_short_headline_with_a_colon_is_a_title_not_a_kicker(tmp_path):
    path = tmp_path / "colon.txt"
    path.write_text(
        "Budget Talks: Round Two\n\nBy Noor Rahman\n\n"
        "The finance committee reopened negotiations on the regional budget on Monday, a week after the "
        "first round ended without agreement on the transport fund.\n",
        encoding="utf-8",
    )
    assert read_source(path).meta.title == "Budget Talks: Round Two"


def test_table_and_figure_captions_sources_notes_and_rows_are_not_body():
    document = read_source(LAYOUTS / "report_with_tables_and_figures.txt")
    text = body(document)
    for furniture in ("Table 3.", "Source:", "Notes:", "$38", "Two towns changed", "is interactive"):
        assert furniture not in text
    # Prose that merely names a figure stays.
    assert "Figure 2 compares the rates" in text
    assert document.paragraphs[-1].text.startswith("Towns without a grant")


def test_a_site_name_leading_the_title_is_stripped(tmp_path):
    head = (
        "<title>Harbour Herald | Island news daily: Ferry fares rise for the third year</title>"
        '<meta property="og:site_name" content="Harbour Herald | Island news daily">'
    )
    document = read_source(_page(tmp_path, head, f"<article>{ARTICLE}</article>"))
    assert document.meta.title == "Ferry fares rise for the third year"


def test_a_section_label_before_the_headline_gives_way_to_the_h1(tmp_path):
    head = "<title>Commentary | Should the Harbour Be Dredged?</title>"
    page = f"<h1>Should the Harbour Be Dredged?</h1><article>{ARTICLE}</article>"
    document = read_source(_page(tmp_path, head, page))
    assert document.meta.title == "Should the Harbour Be Dredged?"


def test_the_url_slug_is_not_taken_for_a_site_name(tmp_path):
    head = (
        "<title>Opinion | Should the Harbour Be Dredged</title>"
        '<link rel="canonical" href="https://news.example.org/should-the-harbour-be-dredged">'
    )
    document = read_source(_page(tmp_path, head, f"<article>{ARTICLE}</article>"))
    assert document.meta.title != "Opinion"
