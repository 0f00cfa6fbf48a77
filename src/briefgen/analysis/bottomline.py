"""The bottom line: the one or two sentences that state the piece's main judgment.

Not the lede. A policy text marks its thesis in ways that do not depend on the topic, and each is
weighed here with the sentence's centrality:

- wording: evaluative and modal language, recommendations ("should", "must", "will need to"),
  conclusions ("the answer is", "it can be seen that", "the bottom line:"), a report's "found",
  "recommends", "concluded" (`data/thesis_markers.tsv`, which says where the markers come from);
- place: a section headed as judgments, conclusions, outlook or recommendations
  (`data/conclusion_headings.txt`), the closing paragraphs, and not a background section
  (`data/background_headings.txt`) or the opening narration;
- the headline: when the title asks a question, a sentence that takes it up.

A question, a quotation of someone else's words and a sentence of dates and figures are no
judgment of the author's.

A question-and-answer report (an FAQ or explainer: its sections are questions and the author takes
no stance) has no thesis to find: its bottom line is the summary's first claim, else the answer to
its first question. Modal wording there states rules ("the Speaker must ..."), not the author's
judgment, and a sentence opening on a contrast ("However, ...") qualifies the answer before it.
"""

from __future__ import annotations

import re

import numpy as np

from ..model import Statement
from ..textutil import squash
from . import lexicon
from .keypoints import Ranking
from .parse import Parsed
from .text import cite, quotes

MARKERS = "thesis_markers.tsv"
CONCLUSION_HEADINGS = "conclusion_headings.txt"
BACKGROUND_HEADINGS = "background_headings.txt"

WEIGHTS = {"markers": 0.40, "section": 0.20, "place": 0.20, "centrality": 0.25}
SECOND = 0.85  # a second sentence joins when it scores this share of the first
MARKED = 0.28  # and when its own wording marks a judgment (a recommendation's "should" or more)
_REPORTING = re.compile(
    r"\b(?:said|says|say|told|stated|announced|according to|argues?|argued|claims?|claimed|"
    r"contends?|insists?|insisted|added)\b",
    re.I,
)
_DIGITS = re.compile(r"\d")
_OPENING_REFERENCE = re.compile(r"^(?:it|they|this|these|those|he|she|its|their|his|her)\b", re.I)
# An item of an enumeration ("Second, NATO should ...", "- a rule on ...") is one step of a list,
# not the judgment the list serves.
_ITEM = re.compile(
    r"^(?:[-•*–]\s|\(?\d{1,2}[.)]\s|\(?[a-z][.)]\s|(?:first|second|third|fourth|fifth|sixth|finally|lastly)(?:ly)?,)",
    re.I,
)
# A contrast opener qualifies the sentence before: never a bottom line on its own in a neutral report.
_CONTRAST_OPENER = re.compile(
    r"^(?:however|but|yet|still|nevertheless|nonetheless|even so|on the other hand|in contrast|by contrast|"
    r"conversely|that said)\b",
    re.I,
)
# The author taking a stance in the first person: an argumentative piece, not an explainer.
_AUTHOR_STANCE = re.compile(
    r"\b(?:we|i)\s+(?:\w+\s+){0,2}?(?:recommend|believe|conclude|argue|propose|urge|judge|assess|contend)\b"
    r"|\bour (?:assessment|view|judge?ment|recommendation|conclusion)\b",
    re.I,
)
_FAQ_TITLE = re.compile(r"\b(?:frequently asked questions|faqs?|questions and answers|q ?& ?a)\b", re.I)
_SUMMARY_HEADING = re.compile(r"^\W*(?:executive )?summary\b|^\W*(?:key )?takeaways\b", re.I)
FAQ_QUESTIONS = 3  # question sections that make a report a question-and-answer report
_EXAMPLE = re.compile(r"^(?:for (?:example|instance)|e\.g\.|see\b|table\b|figure\b|source:)", re.I)


def thesis_scores(parsed: Parsed) -> np.ndarray:
    """Per sentence, how strongly it is marked as the writer's judgment (0-1): wording and section."""
    markers = lexicon.weighted_patterns(MARKERS)
    conclusion = lexicon.heading_pattern(CONCLUSION_HEADINGS)
    background = lexicon.heading_pattern(BACKGROUND_HEADINGS)
    headings = {p.id: (p.heading or "") for p in parsed.document.paragraphs}
    out = np.zeros(len(parsed.sentences))
    for i, sentence in enumerate(parsed.sentences):
        text = _unquoted(sentence.text)
        weights = sorted((w for w, pattern in markers if pattern.search(text)), reverse=True)
        # The strongest marker counts fully, a second one adds half of itself: two weak cues are
        # not a conclusion.
        marked = min(1.0, (weights[0] if weights else 0.0) + (weights[1] / 2 if len(weights) > 1 else 0.0))
        heading = headings.get(sentence.paragraph, "")
        section = 1.0 if conclusion.search(heading) else (-0.5 if background.search(heading) else 0.0)
        out[i] = WEIGHTS["markers"] * marked + WEIGHTS["section"] * section
    return out


def find_bottom_line(parsed: Parsed, ranking: Ranking, thesis: np.ndarray) -> tuple[int, ...]:
    """Indexes of the bottom-line sentences, best first (one or two; none for an empty text)."""
    sentences = parsed.sentences
    if not sentences:
        return ()
    answered = _answer_report(parsed, ranking)
    if answered is not None:
        return (answered,)
    paragraphs = [p.id for p in parsed.document.paragraphs]
    order = {pid: k for k, pid in enumerate(paragraphs)}
    last = max(1, len(paragraphs) - 1)
    conclusion = lexicon.heading_pattern(CONCLUSION_HEADINGS)
    headings = {p.id: (p.heading or "") for p in parsed.document.paragraphs}
    # A text with no sentence marked as a judgment (a short explainer) is summed up by its most
    # central sentence outside the opening, not by whatever its last paragraph says.
    marked = bool((thesis >= MARKED).any())
    w_place, w_centre = (WEIGHTS["place"], WEIGHTS["centrality"]) if marked else (0.1, 0.5)
    scores = np.full(len(sentences), -np.inf)
    for i, sentence in enumerate(sentences):
        if (
            not ranking.eligible[i]
            or _EXAMPLE.match(sentence.text)
            or _OPENING_REFERENCE.match(sentence.text)
            or _closes_a_quotation(sentence.text)  # its speaker is in another sentence
        ):
            continue
        k = order.get(sentence.paragraph, 0)
        # The closing paragraphs conclude, and a summary headed as judgments states the bottom
        # line up front; otherwise the first sentences of a piece narrate (the lede).
        closing = k >= last - max(1, round(0.15 * last))
        summary = k <= 0.25 * last and conclusion.search(headings.get(sentence.paragraph, ""))
        place = 1.0 if closing or summary else 0.4 * k / last
        score = thesis[i] + w_place * place + w_centre * ranking.centrality[i]
        if _REPORTING.search(_unquoted(sentence.text)) or _mostly_quoted(sentence.text):
            score -= 0.2  # someone else's words, not the writer's judgment
        if _ITEM.match(sentence.text):
            score -= 0.25
        if len(_DIGITS.findall(sentence.text)) >= 6:
            score -= 0.1  # a line of dates and figures is evidence, not the judgment
        scores[i] = score
    best = int(np.argmax(scores))
    if not np.isfinite(scores[best]):
        return ()
    picked = [best]
    rest = [i for i in np.argsort(-scores, kind="stable") if i != best and np.isfinite(scores[i])]
    # A second sentence only when it is nearly as strong and marked as a judgment itself.
    if rest and scores[rest[0]] >= SECOND * scores[best] and thesis[rest[0]] >= MARKED:
        picked.append(int(rest[0]))
    return tuple(picked)


def _answer_report(parsed: Parsed, ranking: Ranking) -> int | None:
    """In a question-and-answer report, the summary's first claim or the first question's answer;
    None for any other piece (or when neither is found)."""
    starts = _answer_starts(parsed)
    title = parsed.document.meta.title or ""
    faq = len(starts) >= FAQ_QUESTIONS or (bool(starts) and _FAQ_TITLE.search(title) is not None)
    if not faq or any(_AUTHOR_STANCE.search(_unquoted(s.text)) for s in parsed.sentences):
        return None
    by_paragraph: dict[str, list[int]] = {}
    for i, sentence in enumerate(parsed.sentences):
        by_paragraph.setdefault(sentence.paragraph, []).append(i)

    def claim(indexes) -> int | None:
        return next((i for i in indexes if _claim(parsed, ranking, i)), None)

    summary = [p.id for p in parsed.document.paragraphs if p.heading and _SUMMARY_HEADING.search(p.heading)]
    for pid in summary:
        found = claim(by_paragraph.get(pid, ()))
        if found is not None:
            return found
    for start in starts:
        found = claim(i for i in by_paragraph.get(parsed.sentences[start].paragraph, ()) if i >= start)
        if found is not None:
            return found
    return None


def _claim(parsed: Parsed, ranking: Ranking, i: int) -> bool:
    text = parsed.sentences[i].text
    return (
        ranking.eligible[i]
        and not _CONTRAST_OPENER.match(text)
        and not _EXAMPLE.match(text)
        and not _OPENING_REFERENCE.match(text)
    )


def _answer_starts(parsed: Parsed) -> list[int]:
    """The first sentence after each question: a section headed by a question, or a paragraph that
    is one short question standing alone (a heading the reader did not mark)."""
    first: dict[str, int] = {}
    for i, sentence in enumerate(parsed.sentences):
        first.setdefault(sentence.paragraph, i)
    starts: list[int] = []
    seen: set[str] = set()
    after_question = False
    for paragraph in parsed.document.paragraphs:
        if paragraph.id not in first:
            continue
        heading = (paragraph.heading or "").strip()
        text = paragraph.text.strip()
        if text.endswith("?") and len(text.split()) <= 25 and "?" not in text[:-1]:
            after_question = True
            continue
        if after_question or (heading.endswith("?") and heading not in seen):
            starts.append(first[paragraph.id])
        seen.add(heading)
        after_question = False
    return starts


def statements(parsed: Parsed, picked: tuple[int, ...]) -> tuple[Statement, ...]:
    return tuple(
        Statement(text=squash(parsed.sentences[i].text), cite=cite(parsed.sentences[i])) for i in picked
    )


def _unquoted(text: str) -> str:
    """The sentence without its quotations: a marker inside someone's quoted words is theirs."""
    spans = quotes(text)
    for q in reversed(spans):
        text = text[: q.start] + " " * (q.end - q.start) + text[q.end :]
    return text


def _closes_a_quotation(text: str) -> bool:
    """A sentence inside a quotation opened in an earlier one ('... as well."', '... the party,"
    he said.'): a speaker's words with the speaker, or the start of the words, left behind."""
    close = text.find("”")
    if close != -1:
        open_ = text.find("“")
        return open_ == -1 or close < open_
    first = text.find('"')
    # An odd straight quote right after punctuation closes: '... over the head," he said.'
    return text.count('"') % 2 == 1 and first > 0 and text[first - 1] in ".,!?;:"


def _mostly_quoted(text: str) -> bool:
    return sum(q.end - q.start for q in quotes(text)) > 0.5 * len(text)
