"""Synthetic Briefs for the audience, templating and build tests (no reader or spaCy needed).

`tricky_brief()` is shaped like the analysis of a real think-tank article, with source text
that Markdown would mangle if it were not escaped: `<Notes>`, `AT&T`, `5 < 6`, `*`, `_`, `[1]`,
quotes and Chinese names.
"""

from __future__ import annotations

from dataclasses import replace

from briefgen.model import (
    Actor,
    Author,
    Brief,
    Cite,
    Event,
    Framework,
    KeyPoint,
    Meta,
    Paragraph,
    Position,
    Question,
    Sentence,
    Source,
)

TITLE = "Beijing, Pyongyang & the Summit: What <Notes> Say"
# Short enough to survive the tightest shortening a template applies (talking points: 90).
TRICKY = "AT&T's <Notes>: 5 < 6, *bold*, snake_case_names, footnote [1]."
CHINESE = "习近平 met 金正恩 in Pyongyang, the first such visit in 14 years."

PARAGRAPH_TEXTS = (
    # p1
    ("It has been 14 years since the last time a Chinese head of state visited the DPRK. " + CHINESE),
    # p2
    (
        "Kim Jong-un invited Xi Jinping to make a state visit from June 20 to 21, 2019. "
        "China has also delegated top officials including Li Zhanshu and Wang Yi."
    ),
    # p3
    (
        'The DPRK proposed a "phased and synchronized" approach to denuclearization. '
        "Pyongyang wants sanctions relief before dismantlement."
    ),
    # p4
    (
        "The United States insists on complete denuclearization first. "
        'Washington says "maximum pressure" remains its policy.'
    ),
    # p5
    (TRICKY + " " + "China wants stability on the peninsula above all."),
    # p6
    (
        "Will the sanctions regime hold? Most observers expect quieter enforcement at the border "
        "rather than an open break."
    ),
    # p7
    (
        "What are the DPRK's 'legitimate security concerns'? They mean ending the state of war "
        "and signing non-aggression treaties."
    ),
    # p8
    (
        "At the G20 Osaka Summit in June 2019, Xi will meet Trump to share information about "
        "his visit. A third meeting between the DPRK and the United States is expected."
    ),
)


def _sentences(paragraphs: tuple[Paragraph, ...]) -> tuple[Sentence, ...]:
    out = []
    for paragraph in paragraphs:
        start = 0
        parts = _split(paragraph.text)
        for index, text in enumerate(parts, start=1):
            begin = paragraph.text.index(text, start)
            out.append(
                Sentence(
                    id=f"{paragraph.id}.s{index}",
                    paragraph=paragraph.id,
                    text=text,
                    start=begin,
                    end=begin + len(text),
                )
            )
            start = begin + len(text)
    return tuple(out)


def _split(text: str) -> list[str]:
    # Good enough for the fixed texts above: each sentence ends with ". " or "? ".
    parts, current = [], ""
    for word in text.split(" "):
        current = f"{current} {word}".strip()
        if word.endswith((".", "?")) and not word.endswith("U.S."):
            parts.append(current)
            current = ""
    if current:
        parts.append(current)
    return parts


def cite(brief_sentences: tuple[Sentence, ...], sentence_id: str) -> Cite:
    sentence = next(s for s in brief_sentences if s.id == sentence_id)
    return Cite(paragraph=sentence.paragraph, sentence=sentence.id)


def _parts(texts):
    """Paragraphs and sentences for `texts`, plus helpers that cite (`c`) and quote (`kp`) a sentence."""
    paragraphs = tuple(Paragraph(id=f"p{i}", text=t) for i, t in enumerate(texts, start=1))
    sentences = _sentences(paragraphs)
    by_id = {s.id: s for s in sentences}

    def c(sentence_id: str) -> Cite:
        return cite(sentences, sentence_id)

    def kp(sentence_id: str, score: float) -> KeyPoint:
        return KeyPoint(text=by_id[sentence_id].text, score=score, cite=c(sentence_id))

    return paragraphs, sentences, by_id, c, kp


def tricky_brief() -> Brief:
    paragraphs, sentences, by_id, c, kp = _parts(PARAGRAPH_TEXTS)

    return Brief(
        source=Source(path="sources/summit_<notes>.txt", format="txt", sha256="ab" * 32),
        meta=Meta(
            title=TITLE,
            authors=(
                Author(name="An Gang", affiliation="Tsinghua University"),
                Author(name="李 明 (Li Ming)"),
            ),
            date="2019-06-28",
            publisher="Foreign Policy",
        ),
        paragraphs=paragraphs,
        sentences=sentences,
        key_points=(
            kp("p1.s2", 0.95),
            kp("p2.s1", 0.70),
            kp("p3.s1", 0.90),
            kp("p4.s1", 0.80),
            kp("p5.s1", 0.85),
            kp("p8.s2", 0.60),
            kp("p5.s2", 0.50),
        ),
        actors=(
            Actor(
                id="china",
                name="China",
                kind="state",
                aliases=("Beijing", "PRC"),
                mentions=9,
                positions=(Position(text=by_id["p5.s2"].text, cite=c("p5.s2")),),
            ),
            Actor(
                id="dprk",
                name="DPRK",
                kind="state",
                aliases=("North Korea", "Pyongyang"),
                mentions=8,
                positions=(Position(text="Wants sanctions relief before dismantlement.", cite=c("p3.s2")),),
            ),
            Actor(
                id="united-states",
                name="United States",
                kind="state",
                aliases=("Washington",),
                mentions=4,
                positions=(Position(text=by_id["p4.s1"].text, cite=c("p4.s1")),),
            ),
            Actor(id="xi-jinping", name="习近平 (Xi Jinping)", kind="person", mentions=5),
        ),
        frameworks=(
            Framework(
                term="phased and synchronized",
                mentions=2,
                cite=c("p3.s1"),
                attributed_to="dprk",
                definition="Step-by-step, reciprocal measures instead of one grand bargain.",
            ),
            Framework(term="maximum pressure", mentions=1, cite=c("p4.s2"), attributed_to="united-states"),
            Framework(
                term="denuclearization",
                mentions=4,
                cite=c("p3.s1"),
                definition="Verifiable dismantlement of nuclear weapons & programmes.",
            ),
        ),
        open_questions=(
            Question(
                text="Will the sanctions regime hold?",
                kind="explicit",
                cite=c("p6.s1"),
                answer=by_id["p6.s2"].text,
            ),
            Question(
                text="What are the DPRK's 'legitimate security concerns'?",
                kind="explicit",
                cite=c("p7.s1"),
                answer=by_id["p7.s2"].text,
            ),
            Question(text="Is a third DPRK-US meeting realistic?", kind="uncertainty", cite=c("p8.s2")),
        ),
        events=(
            Event(date="2019-06-28", text="G20 Osaka Summit: Xi meets Trump.", cite=c("p8.s1")),
            Event(date="2019-06-20", text="Xi begins a two-day state visit to the DPRK.", cite=c("p2.s1")),
            Event(date="2005", text="Last visit by a Chinese head of state.", cite=c("p1.s1")),
        ),
    )


def long_brief() -> Brief:
    """A brief whose every finding is long: enough to overflow one page untrimmed."""
    brief = tricky_brief()
    filler = " ".join([TRICKY] * 3)
    return replace(
        brief,
        key_points=tuple(
            replace(k, text=f"{k.text} ({n}) {filler}", score=k.score - n / 100)
            for n in (1, 2)
            for k in brief.key_points
        ),
        actors=tuple(
            replace(a, positions=tuple(replace(p, text=f"{p.text} {filler}") for p in a.positions))
            for a in brief.actors
        )
        * 2,
        open_questions=tuple(replace(q, answer=f"{q.answer or ''} {filler}") for q in brief.open_questions),
    )


def bare_brief() -> Brief:
    """Only a title and paragraphs: no authors, no findings (templates must omit empty sections)."""
    brief = tricky_brief()
    return Brief(
        source=brief.source,
        meta=Meta(title="A bare source"),
        paragraphs=brief.paragraphs[:2],
        sentences=tuple(s for s in brief.sentences if s.paragraph in ("p1", "p2")),
    )


WORDY_TITLE = "River Dams: Who Decides How Much Water Flows?"
# Long, real-looking sentences: appositives, parentheticals, discourse markers, long tails, and
# pronouns that point back to a sentence the memo does not show.
WORDY_TEXTS = (
    # p1
    "The River Commission, set up by the four lower basin states in 1995, has no power to stop a dam.",
    # p2
    (
        "More importantly, they played a key role in preparing the upstream state for talks with its "
        "neighbours in June 2018 and February 2019, calling for the suspension of new construction."
    ),
    # p3
    (
        "However, as the dry season draws near and relations are ever changing, the upstream state "
        "(the largest dam builder in the basin) is eager to close a water-sharing deal."
    ),
    # p4
    (
        "Transit flows remain low, but the volume held in reservoirs reached a record in 2023, "
        "most of it stored behind the six largest dams on the main stem."
    ),
    # p5
    (
        "Farmers in the delta, who depend on the seasonal flood pulse for sediment, say the river "
        "has changed more in ten years than in the previous century."
    ),
    # p6
    (
        "The upstream state shares year-round hydrological data through a cooperation framework, "
        "which it launched in 2016, and publishes daily reservoir levels."
    ),
    # p7
    "Will data sharing be enough without rules on how reservoirs are operated in a drought?",
    # p8
    (
        "Can the lower basin states agree among themselves? They have so far failed to agree on a "
        "common notification rule."
    ),
)


def wordy_brief() -> Brief:
    """Key points and positions as long as a real article's, with a headline question."""
    paragraphs, sentences, by_id, c, kp = _parts(WORDY_TEXTS)

    return Brief(
        source=Source(path="sources/river.md", format="md", sha256="cd" * 32),
        meta=Meta(title=WORDY_TITLE, authors=(Author(name="A. Hydrologist"),), date="2024-03-01"),
        paragraphs=paragraphs,
        sentences=sentences,
        key_points=tuple(kp(f"p{i}.s1", 1.0 - i / 10) for i in range(1, 7)),
        actors=(
            Actor(
                id="upstream",
                name="Upstream state",
                kind="state",
                mentions=6,
                positions=(
                    Position(text=by_id["p2.s1"].text, cite=c("p2.s1")),
                    Position(text=by_id["p3.s1"].text, cite=c("p3.s1")),
                ),
            ),
            Actor(
                id="farmers",
                name="Delta farmers",
                kind="group",
                mentions=2,
                positions=(Position(text=by_id["p5.s1"].text, cite=c("p5.s1")),),
            ),
        ),
        open_questions=(
            Question(text="Who Decides How Much Water Flows?", kind="explicit", cite=c("p1.s1")),
            Question(text=by_id["p7.s1"].text, kind="uncertainty", cite=c("p7.s1")),
            Question(text=by_id["p8.s1"].text, kind="explicit", cite=c("p8.s1"), answer=by_id["p8.s2"].text),
        ),
    )
