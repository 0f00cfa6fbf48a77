"""The plain-text reader: the seed article, encodings, chrome and control characters."""

from pathlib import Path

import pytest

from briefgen.errors import SourceError
from briefgen.model import Author
from briefgen.readers import read_source

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "tests" / "fixtures" / "readers"
SEED = ROOT / "sources" / "north-korean-security.txt"
CHROME = ("Language", "Foreign Policy", "You might also like", "Back to Top", "简体")


@pytest.fixture(scope="module")
def seed():
    return read_source(SEED)


def test_seed_title(seed):
    assert seed.meta.title == "North Korean Security: What Role for China?"


def test_seed_date(seed):
    assert seed.meta.date == "2019-06-28"


def test_seed_author_and_affiliation_without_role(seed):
    assert seed.meta.authors == (
        Author(
            name="An Gang", affiliation="Center for International Security and Strategy, Tsinghua University"
        ),
    )


def test_seed_has_no_chrome_in_any_paragraph(seed):
    for paragraph in seed.paragraphs:
        for chrome in CHROME:
            assert chrome not in paragraph.text, (chrome, paragraph.id)


def test_seed_body_starts_and_ends_with_the_article(seed):
    assert seed.paragraphs[0].text.startswith("It has been 14 years")
    assert seed.paragraphs[-1].text.startswith("At the upcoming G20 Osaka Summit")


def test_seed_keeps_curly_quotes(seed):
    assert any("“new strategic line”" in p.text for p in seed.paragraphs)


def test_seed_paragraph_ids_are_sequential(seed):
    assert [p.id for p in seed.paragraphs] == [f"p{i}" for i in range(1, len(seed.paragraphs) + 1)]


def test_source_records_format_and_hash(seed):
    import hashlib

    assert seed.source.format == "txt"
    assert seed.source.sha256 == hashlib.sha256(SEED.read_bytes()).hexdigest()


def test_windows_1252_file_reads_correctly():
    document = read_source(FIXTURES / "windows_1252.txt")
    assert document.meta.title == "The Ministère’s “naïve” plan"
    assert "façade of the Zürich talks — drafted in São Paulo" in document.paragraphs[0].text


def test_latin_1_file_reads_correctly():
    document = read_source(FIXTURES / "latin_1.txt")
    assert document.meta.title == "Café diplomacy in Zürich"
    assert "délégués agreed to meet again in Genève" in document.paragraphs[0].text
    assert document.meta.authors == (Author(name="Zoë Müller", affiliation="Institut für Sicherheit"),)


def test_control_characters_are_stripped():
    document = read_source(FIXTURES / "control_characters.txt")
    assert document.meta.title == "A title with a bell"
    text = document.paragraphs[0].text
    assert text.startswith("The body of this note")
    assert not any(ord(ch) < 32 for ch in text)


def test_whitespace_is_normalised(tmp_path):
    path = tmp_path / "spaces.txt"
    path.write_text(
        "A Title\n\nThe  talks\u00a0resumed   in Hanoi,\twith both sides\nwilling to meet "
        "again before the end of the year.\n",
        encoding="utf-8",
    )
    assert (
        read_source(path).paragraphs[0].text
        == "The talks resumed in Hanoi, with both sides willing to meet again before the end of the year."
    )


def test_short_line_above_a_paragraph_becomes_its_heading(tmp_path):
    path = tmp_path / "headed.txt"
    path.write_text(
        "A Title\n\nThe opening paragraph sets out the question that the rest of this note "
        "tries to answer.\n\nBackground\n\nThe second paragraph explains how the dispute began "
        "and who took part in it.\n",
        encoding="utf-8",
    )
    paragraphs = read_source(path).paragraphs
    assert [(p.heading, p.text[:10]) for p in paragraphs] == [
        (None, "The openin"),
        ("Background", "The second"),
    ]


def test_a_text_without_a_title_line_is_named_after_its_file(tmp_path):
    path = tmp_path / "talks-in-hanoi.txt"
    path.write_text(
        "The talks in Hanoi ended without an agreement, and both delegations left early.\n", encoding="utf-8"
    )
    assert read_source(path).meta.title == "Talks in hanoi"


def test_a_few_megabyte_file_reads(tmp_path):
    body = SEED.read_text(encoding="utf-8").split("\n\n\n", 1)[1]
    path = tmp_path / "big.txt"
    path.write_text("A Big File\n\n" + body * 250, encoding="utf-8")
    assert path.stat().st_size > 3_000_000
    document = read_source(path)
    assert len(document.paragraphs) > 3000
    assert document.meta.title == "A Big File"


@pytest.fixture(scope="module")
def wrapped():
    return read_source(FIXTURES / "subtitle_and_hard_wrapped_lines.txt")


def test_title_is_the_first_line_of_a_title_and_subtitle_block(wrapped):
    assert wrapped.meta.title == "THE ARCTIC AFTER THE ICE"


def test_two_authors_and_a_labelled_date(wrapped):
    assert [a.name for a in wrapped.meta.authors] == ["Ingrid Solberg", "Tom Berg"]
    assert wrapped.meta.date == "2024-11-05"


def test_hard_wrapped_lines_join_into_one_paragraph(wrapped):
    assert wrapped.paragraphs[0].text.startswith(
        "Retreating summer sea ice has turned the Northern Sea Route along Russia's Arctic coast from a"
    )
    assert wrapped.paragraphs[2].heading == "Contested waters"


@pytest.fixture(scope="module")
def menus():
    return read_source(FIXTURES / "menus_and_name_over_affiliation.txt")


def test_name_line_over_an_affiliation_is_the_byline_not_the_title(menus):
    assert menus.meta.title == "Dams on the Mekong: A Reckoning"
    assert menus.meta.authors == (Author(name="Linh Pham", affiliation="Mekong Policy Institute"),)


def test_date_with_a_reading_time_aside(menus):
    assert menus.meta.date == "2024-03-14"


def test_menus_share_bars_and_trailing_lists_are_dropped(menus):
    assert [p.text[:20] for p in menus.paragraphs] == ["The Mekong River sup", "China has built elev"]


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-8-sig"])
def test_unicode_files_with_or_without_a_byte_order_mark(tmp_path, encoding):
    path = tmp_path / "unicode.txt"
    path.write_bytes(
        "Kim’s “new line”\n\nThe committee’s report said the “crisis” was over, "
        "and both sides agreed.\n".encode(encoding)
    )
    document = read_source(path)
    assert document.meta.title == "Kim’s “new line”"
    assert document.paragraphs[0].text.startswith("The committee’s report")


@pytest.mark.parametrize("name", ["latin_1_with_a_bell_and_an_escape.txt", "windows_1252_with_a_bell.txt"])
def test_a_stray_control_character_in_a_single_byte_file_is_stripped_not_binary(name):
    document = read_source(FIXTURES / name)
    text = " ".join(p.text for p in document.paragraphs)
    assert ("Zürich" in text or "Zürich" in document.meta.title) and "São Paulo" in text
    assert not any(ord(ch) < 32 or 0x7F <= ord(ch) <= 0x9F for ch in text)


def test_a_file_full_of_control_bytes_is_still_binary(tmp_path):
    path = tmp_path / "controls.txt"
    path.write_bytes(
        b"Some words\x07\x1b\x02\x03 here\x01\x04\x05\x06 and\x0e\x0f\x10\x11 more\x12\x13\x14" * 50
    )
    with pytest.raises(SourceError, match="binary"):
        read_source(path)


MID_CHROME = (
    "Read more",
    "You might also like",
    "Kenya's new seed policy",
    "Nile dam",
    "Subscribe",
    "Sign up",
    "Advertisement",
    "Share this",
    "Related",
    "regional drought fund",
)


@pytest.mark.parametrize("name", ["mid_article_chrome.txt", "mid_article_chrome.html"])
def test_chrome_in_the_middle_of_an_article_stays_out_of_the_body(name):
    document = read_source(FIXTURES / name)
    assert [p.text.split()[0] for p in document.paragraphs] == ["Five", "Governments", "Donors", "Critics"]
    for paragraph in document.paragraphs:
        assert paragraph.heading is None, paragraph
        assert not any(chrome in paragraph.text for chrome in MID_CHROME), paragraph


def test_a_section_heading_after_a_related_list_is_kept(tmp_path):
    path = tmp_path / "related_list_then_section.txt"
    path.write_text(
        "Grazing Rights in a Dry Decade\n\nBy Amina Farah\n\n"
        "Herders and farmers have shared the river valleys for centuries, but the dry years have turned "
        "an old arrangement into a source of daily conflict.\n\n"
        "You might also like\n\nKenya's new seed policy explained\nThe Nile dam dispute in five charts\n\n"
        "What courts can do\n\n"
        "Local courts have begun to hear grazing disputes, and their rulings are slowly building a body of "
        "customary law that both sides can appeal to.\n",
        encoding="utf-8",
    )
    paragraphs = read_source(path).paragraphs
    assert [(p.heading, p.text.split()[0]) for p in paragraphs] == [
        (None, "Herders"),
        ("What courts can do", "Local"),
    ]


@pytest.mark.parametrize(
    "name, author",
    [
        (
            "byline_name_comma_role_at_org.txt",
            Author(name="Jonas Petraitis", affiliation="Vilnius Energy Forum"),
        ),
        ("byline_name_comma_role_at_org.html", Author(name="Maria Lopez", affiliation="Atlantic Council")),
        ("byline_name_dot_date.txt", Author(name="Carlos Mendoza")),
        ("byline_name_pipe_org.txt", Author(name="Jonas Petraitis", affiliation="Vilnius Energy Forum")),
    ],
)
def test_common_byline_shapes_without_by(name, author):
    document = read_source(FIXTURES / name)
    assert document.meta.authors == (author,)
    assert document.meta.date == "2022-11-30"
    assert document.meta.title == "The Baltic Gas Bet"
    assert all(author.name not in p.text for p in document.paragraphs)
