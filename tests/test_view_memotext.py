"""What a memo prints: one statement once, one term once, and no point that leans on the one before."""

from __future__ import annotations

import dataclasses

from briefgen.compose import load_audience
from briefgen.compose.view import memo_view
from briefgen.model import Brief, Cite, Framework, KeyPoint, Meta, Paragraph, Sentence, Source, Statement
from briefgen.options import BuildOptions

TEXTS = ("The water board should publish its reservoir rules before the dry season.",)


def brief(texts=TEXTS, frameworks=(), sentences_patch=None) -> Brief:
    paragraphs = tuple(Paragraph(id=f"p{i}", text=t) for i, t in enumerate(texts, start=1))
    sentences = []
    for p in paragraphs:
        start = 0
        for j, part in enumerate(p.text.replace(". ", ".\n").split("\n"), start=1):
            begin = p.text.index(part, start)
            sentences.append(
                Sentence(id=f"{p.id}.s{j}", paragraph=p.id, text=part, start=begin, end=begin + len(part))
            )
            start = begin + len(part)
    if sentences_patch:
        sentences = [sentences_patch.get(s.id, lambda x: x)(s) for s in sentences]
    return Brief(
        source=Source(path="river.txt", format="txt", sha256="0" * 64),
        meta=Meta(title="Reservoir rules"),
        paragraphs=paragraphs,
        sentences=tuple(sentences),
        frameworks=tuple(frameworks),
    )


def cite(sentence_id: str) -> Cite:
    return Cite(paragraph=sentence_id.split(".", maxsplit=1)[0], sentence=sentence_id)


def view(b: Brief):
    return memo_view(b, load_audience("memo"), BuildOptions())


def test_the_same_sentence_twice_in_the_bottom_line_is_printed_once():
    text = TEXTS[0]
    b = dataclasses.replace(
        brief((*TEXTS, "Recommendation. " + text)),
        bottom_line=(Statement(text=text, cite=cite("p1.s1")), Statement(text=text, cite=cite("p2.s2"))),
    )
    printed = [str(line.text) for line in view(b).bottom_line]
    assert len(printed) == 1


def test_a_key_point_repeating_the_bottom_line_word_for_word_is_left_out():
    text = TEXTS[0]
    b = dataclasses.replace(
        brief((*TEXTS, "Recommendation. " + text)),
        bottom_line=(Statement(text=text, cite=cite("p1.s1")),),
        key_points=(KeyPoint(text=text, score=0.9, cite=cite("p2.s2")),),
    )
    assert all(str(line.text) != text for line in view(b).points)


def test_a_term_that_is_the_tail_of_a_longer_term_is_merged_into_it():
    frameworks = (
        Framework(term="Lisbon Charter on Shared Rivers", mentions=2, cite=cite("p1.s1")),
        Framework(term="Charter on Shared Rivers", mentions=1, cite=cite("p1.s1")),
        Framework(term="Rivers", mentions=1, cite=cite("p1.s1")),
    )
    names = [str(n) for term in view(brief(frameworks=frameworks)).terms for n in term.names]
    assert "Lisbon Charter on Shared Rivers" in names
    assert "Charter on Shared Rivers" not in names
    assert "Rivers" in names  # one word is too common to call a tail


def test_a_point_opening_on_a_connective_is_printed_by_a_cut_without_it_or_not_at_all():
    text = "Therefore, the board should publish its reservoir rules before the dry season starts."
    cut = "The board should publish its reservoir rules."
    b = brief(
        (text, "Moreover, the cities use most of the stored water in every summer month."),
        sentences_patch={"p1.s1": lambda s: dataclasses.replace(s, shorter=(cut,))},
    )
    b = dataclasses.replace(
        b,
        key_points=(
            KeyPoint(text=text, score=0.9, cite=cite("p1.s1")),
            KeyPoint(text=b.sentences[1].text, score=0.8, cite=cite("p2.s1")),
        ),
    )
    memo = view(b)
    printed = [str(line.text) for line in (*memo.bottom_line, *memo.points)]
    assert printed == [cut]  # the second point has no cut without its "Moreover,"
