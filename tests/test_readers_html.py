"""The HTML reader: trafilatura's main text, no site chrome, metadata fallbacks."""

import logging
from pathlib import Path

import pytest

from briefgen.errors import SourceError
from briefgen.model import Author
from briefgen.readers import read_source

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "readers"
BODY = (
    "<p>The commission met twice this year and agreed on nothing, although both delegations said "
    "the talks had been useful and that they would meet again in the spring.</p>"
)


@pytest.fixture(scope="module")
def page():
    return read_source(FIXTURES / "same_article.html")


@pytest.mark.parametrize(
    "chrome",
    [
        "cookies",
        "Home",
        "About us",
        "Français",
        "Share",
        "Tweet",
        "You might also like",
        "Ports and power",
        "newsletter",
        "All rights reserved",
        "Back to Top",
        "Briefings",
    ],
)
def test_site_chrome_stays_out_of_the_body(page, chrome):
    assert not any(chrome in p.text for p in page.paragraphs)


def test_publisher_comes_from_the_site_name(page):
    assert page.meta.publisher == "Harbour Policy Forum"


def test_meta_author_is_used_when_there_is_no_byline(tmp_path):
    path = tmp_path / "page.html"
    path.write_text(
        '<html><head><title>Quiet Talks</title><meta name="author" content="Jane Doe"></head>'
        f"<body><article><h1>Quiet Talks</h1>{BODY}{BODY}</article></body></html>",
        encoding="utf-8",
    )
    document = read_source(path)
    assert document.meta.authors == (Author(name="Jane Doe"),)
    assert document.meta.title == "Quiet Talks"


def test_time_element_gives_the_date(tmp_path):
    path = tmp_path / "page.html"
    path.write_text(
        "<html><head><title>Quiet Talks</title></head><body><article><h1>Quiet Talks</h1>"
        f'<time datetime="2021-04-05">5 April</time>{BODY}{BODY}</article></body></html>',
        encoding="utf-8",
    )
    assert read_source(path).meta.date == "2021-04-05"


def test_page_without_article_text_is_refused():
    with pytest.raises(SourceError, match="no article text"):
        read_source(FIXTURES / "no_article_text.html")


@pytest.mark.parametrize(
    "name", ["byline_and_date_in_one_element.html", "byline_link_then_date_paragraph.html"]
)
def test_byline_variants_give_one_author_and_the_date(name):
    meta = read_source(FIXTURES / name).meta
    assert meta.authors == (Author(name="Jane Doe"),)
    assert meta.date == "2024-03-03"


def test_trafilatura_logs_nothing_when_a_page_has_no_text(tmp_path, caplog):
    # "<p>" keeps it HTML; trafilatura then finds an empty tree and would log ERROR lines.
    path = tmp_path / "empty_page.html"
    path.write_text("<p></p>", encoding="utf-8")
    with caplog.at_level(logging.DEBUG), pytest.raises(SourceError):
        read_source(path)
    assert [r.getMessage() for r in caplog.records if r.name.startswith("trafilatura")] == []
