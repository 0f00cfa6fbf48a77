"""Hostile and huge inputs: every reader stays bounded and fails with one line (issue 13's cases,
each named after it)."""

from __future__ import annotations

import io
import logging
import zipfile
from pathlib import Path

import pytest

from briefgen.errors import SourceError
from briefgen.readers import read_source
from briefgen.readers.limits import MAX_HTML_BYTES, MAX_PARAGRAPHS

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "readers"
SENTENCE = "The delegations met again and agreed to keep talking about the border question next month."


def _alias_bomb() -> str:
    lines = ["---", 'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    previous = "a"
    for name in "bcdefghi":
        lines.append(f"{name}: &{name} [{','.join(['*' + previous] * 9)}]")
        previous = name
    lines += [f"title: *{previous}", "---", "", "# Border Talks", "", SENTENCE, ""]
    return "\n".join(lines)


def test_an_alias_bomb_in_front_matter_is_ignored_with_a_warning(tmp_path, caplog):
    path = tmp_path / "bomb.md"
    path.write_text(_alias_bomb(), encoding="utf-8")
    assert len(path.read_bytes()) < 1000
    with caplog.at_level(logging.WARNING, logger="briefgen"):
        document = read_source(path)
    assert document.meta.title == "Border Talks"
    assert any("aliases" in r.getMessage() and "\n" not in r.getMessage() for r in caplog.records)


def test_front_matter_over_the_size_cap_is_ignored(tmp_path, caplog):
    path = tmp_path / "oversized.md"
    path.write_text(
        "---\ntitle: Big\nnotes: " + "x" * 70_000 + "\n---\n\n" + SENTENCE + "\n", encoding="utf-8"
    )
    with caplog.at_level(logging.WARNING, logger="briefgen"):
        document = read_source(path)
    assert document.meta.title == "Oversized"  # the file name: the front matter was not read
    assert any("front matter" in r.getMessage() for r in caplog.records)


def _damaged_deflate(tmp_path: Path) -> Path:
    """A real DOCX whose document.xml deflate stream is corrupted (zlib.error when inflated)."""
    data = bytearray((FIXTURES / "same_article.docx").read_bytes())
    with zipfile.ZipFile(io.BytesIO(bytes(data))) as archive:
        info = archive.getinfo("word/document.xml")
    start = info.header_offset + 30 + len(info.filename.encode()) + len(info.extra)
    for offset in range(start + 10, start + 40):
        data[offset] ^= 0xFF
    path = tmp_path / "damaged.docx"
    path.write_bytes(bytes(data))
    return path


def test_a_damaged_deflate_stream_before_a_good_source_is_that_sources_one_line_error(tmp_path):
    with pytest.raises(SourceError) as raised:
        read_source(_damaged_deflate(tmp_path))
    assert "damaged" in str(raised.value) and "\n" not in str(raised.value)
    # The next source is untouched by the failure of the first.
    assert read_source(FIXTURES / "same_article.txt").paragraphs


def test_a_pdf_with_an_unsupported_filter_is_a_one_line_error(tmp_path):
    content = b"BT /F1 12 Tf 72 720 Td (Hello) Tj ET"
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        b"/Resources << /Font << /F1 << /Type /Font /Subtype /Type1 /BaseFont /Helvetica >> >> >> >>",
        b"<< /Length %d /Filter /NoSuchDecode >>\nstream\n" % len(content) + content + b"\nendstream",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    path = tmp_path / "filter.pdf"
    path.write_bytes(bytes(out))
    with pytest.raises(SourceError) as raised:
        read_source(path)
    assert "\n" not in str(raised.value)


@pytest.mark.parametrize("control", ["\u202e", "\u202d", "\u2066", "\u2067", "\u2068", "\u2069", "\u202a"])
def test_rtl_override_characters_are_removed_from_text_and_title(tmp_path, control):
    path = tmp_path / "bidi.txt"
    path.write_text(
        f"Border {control}Talks{control} Resume\n\n{SENTENCE.replace('border', control + 'border')}\n"
    )
    document = read_source(path)
    assert control not in document.meta.title and document.meta.title == "Border Talks Resume"
    assert all(control not in p.text for p in document.paragraphs)


def test_rtl_override_characters_are_removed_from_html_metadata(tmp_path):
    path = tmp_path / "bidi.html"
    path.write_text(
        '<html><head><title>Border \u202etalks\u202c</title><meta name="author" content="Ana \u202eLima">'
        f"</head><body><article><p>{SENTENCE} {SENTENCE}</p><p>{SENTENCE}</p></article></body></html>",
        encoding="utf-8",
    )
    document = read_source(path)
    assert "\u202e" not in document.meta.title and "\u202c" not in document.meta.title
    assert all("\u202e" not in a.name for a in document.meta.authors)


def test_a_file_mixing_utf8_and_cp1252_is_decoded_per_line_with_a_warning(tmp_path, caplog):
    path = tmp_path / "mixed.txt"
    path.write_bytes(
        "Caf\u00e9 Politics\n\n"
        "The caf\u00e9 owners met the mayor on Monday to discuss the new rules.\n\n".encode()
        + "The mayor said \u201cwe will act\u201d on the plan for the caf\u00e9 district next year.\n".encode(
            "cp1252"
        )
    )
    with caplog.at_level(logging.WARNING, logger="briefgen"):
        document = read_source(path)
    text = " ".join(p.text for p in document.paragraphs)
    assert (
        "The caf\u00e9 owners" in text and "\u201cwe will act\u201d" in text and "caf\u00e9 district" in text
    )
    assert any("line by line" in r.getMessage() for r in caplog.records)


def test_a_huge_html_page_is_refused_before_it_is_parsed(tmp_path):
    path = tmp_path / "huge.html"
    paragraph = f"<p>{SENTENCE}</p>\n".encode()
    path.write_bytes(
        b"<html><body>" + paragraph * (MAX_HTML_BYTES // len(paragraph) + 10) + b"</body></html>"
    )
    with pytest.raises(SourceError, match="over the reader's limit"):
        read_source(path)


def test_50000_paragraphs_are_refused_with_one_line_naming_the_limit(tmp_path):
    path = tmp_path / "many.txt"
    path.write_text("\n\n".join(f"Paragraph {i} says the talks will go on." for i in range(50_000)))
    with pytest.raises(SourceError) as raised:
        read_source(path)
    assert f"{MAX_PARAGRAPHS:,} paragraphs" in str(raised.value) or "blocks" in str(raised.value)


def test_50000_docx_paragraphs_are_refused_with_one_line(tmp_path):
    w = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
    paragraph = "<w:p><w:r><w:t>Paragraph says the talks will go on until the spring.</w:t></w:r></w:p>"
    xml = f'<w:document xmlns:w="{w}"><w:body>{paragraph * 50_000}</w:body></w:document>'
    path = tmp_path / "many.docx"
    with (
        zipfile.ZipFile(FIXTURES / "same_article.docx") as source,
        zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for item in source.infolist():
            data = xml.encode() if item.filename == "word/document.xml" else source.read(item)
            target.writestr(item.filename, data)
    with pytest.raises(SourceError) as raised:
        read_source(path)
    assert "paragraphs" in str(raised.value) and "\n" not in str(raised.value)
