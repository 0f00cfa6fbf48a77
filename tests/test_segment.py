"""Sentences: stable ids, offsets into the paragraph, never empty."""

import pytest

from briefgen.model import Document, Meta, Paragraph, Source
from briefgen.segment import segment


def _document(*texts):
    return Document(
        source=Source(path="x.txt", format="txt", sha256="0" * 64),
        meta=Meta(title="T"),
        paragraphs=tuple(Paragraph(id=f"p{i}", text=t) for i, t in enumerate(texts, start=1)),
    )


@pytest.fixture(scope="module")
def sentences():
    return segment(
        _document(
            "Talks resumed in Hanoi. Both sides “agreed to meet again.” Will they?",
            "The U.S. envoy, Mr. Smith, arrived on Monday. He left on Tuesday.",
        )
    )


def test_ids_number_sentences_within_their_paragraph(sentences):
    assert [s.id for s in sentences] == ["p1.s1", "p1.s2", "p1.s3", "p2.s1", "p2.s2"]


def test_sentences_name_their_paragraph(sentences):
    assert [s.paragraph for s in sentences] == ["p1", "p1", "p1", "p2", "p2"]


def test_offsets_point_into_the_paragraph_text(sentences):
    texts = {
        "p1": "Talks resumed in Hanoi. Both sides “agreed to meet again.” Will they?",
        "p2": "The U.S. envoy, Mr. Smith, arrived on Monday. He left on Tuesday.",
    }
    for sentence in sentences:
        assert texts[sentence.paragraph][sentence.start : sentence.end] == sentence.text


def test_abbreviations_do_not_end_a_sentence(sentences):
    assert sentences[3].text == "The U.S. envoy, Mr. Smith, arrived on Monday."


def test_closing_quote_stays_with_its_sentence(sentences):
    assert sentences[1].text == "Both sides “agreed to meet again.”"


def test_sentences_are_never_empty_or_padded():
    found = segment(_document("  Spaces around.   And between.  ", "…"))
    assert all(s.text and s.text == s.text.strip() for s in found)


def test_a_paragraph_longer_than_spacys_limit_is_segmented(monkeypatch):
    import briefgen.segment as module

    monkeypatch.setattr(module, "_CHUNK", 1000)  # exercise the chunking without a megabyte of text
    text = "The delegation met again. " * 200
    found = segment(_document(text.strip()))
    assert len(found) == 200
    assert all(text[s.start : s.end] == s.text for s in found)


def _sentences_of(*texts: str) -> list[str]:
    paragraphs = tuple(Paragraph(id=f"p{i + 1}", text=t) for i, t in enumerate(texts))
    document = Document(
        source=Source(path="x.txt", format="txt", sha256="0" * 64),
        meta=Meta(title="T"),
        paragraphs=paragraphs,
    )
    found = segment(document)
    for s in found:  # offsets still give the exact text
        assert document.paragraphs[int(s.paragraph[1:]) - 1].text[s.start : s.end] == s.text
    return [s.text for s in found]


def test_a_reference_abbreviation_before_a_number_does_not_end_the_sentence():
    assert _sentences_of(
        "The committee reported S.Res. 88 (2024) and cited Sec. 302 of the act.",
        "Costs rose sharply (see Fig. 2 and Vol. 3, ch. 4), the ministry said.",
    ) == [
        "The committee reported S.Res. 88 (2024) and cited Sec. 302 of the act.",
        "Costs rose sharply (see Fig. 2 and Vol. 3, ch. 4), the ministry said.",
    ]


def test_a_sentence_ending_on_a_word_before_a_number_still_ends():
    assert _sentences_of("The treaty lapsed in the end. 40 states had signed it.") == [
        "The treaty lapsed in the end.",
        "40 states had signed it.",
    ]
