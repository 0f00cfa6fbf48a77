"""Dated events, in date order, with partial dates resolved against the piece's own date.

"this February" in a June 2019 piece is 2019-02, "June 11" is 2019-06-11, "June 2018" is
2018-06, "in 2018" is 2018. A duration ("14 years since") is an inference, not a date, so
it is never an event. Scheduled future dates are kept; a question ("will X happen before
2035?") is not an event, nor is a period ("from 2008 through 2012"), a figure at a date
("debt was $15 billion at the end of 2025") or the author's own reporting frame ("As we
reported in May 2025, ...").

The text of an event is the clause around its date, taken from the parse (a relative clause
with the noun it describes: "the framework, which it launched in 2016"), not the whole
sentence, so that the date and the text agree when a sentence names several dates.
"""

from __future__ import annotations

import logging
import re
from datetime import date as Date

from ..dates import month_number
from ..model import Event
from ..textutil import squash
from . import lexicon
from .parse import Parsed
from .text import cite

logger = logging.getLogger(__name__)

_MONTH = (
    r"(?P<{}>Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|"
    r"Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?"
)
_DAY = r"(?P<{}>[0-3]?\d)(?:st|nd|rd|th)?"
_YEAR = r"(?P<{}>1[89]\d\d|20\d\d)"

# Most specific first; each pattern's matches hide the less specific ones inside them.
_PATTERNS = [
    ("iso", re.compile(r"(?<![\d-])(?P<y>(?:19|20)\d\d)-(?P<m>[01]\d)-(?P<d>[0-3]\d)(?![\d-])")),
    (
        "mdy",
        re.compile(
            rf"\b{_MONTH.format('m')}\s+{_DAY.format('d')}"
            rf"(?:\s*(?:-|–|to|and)\s*[0-3]?\d(?:st|nd|rd|th)?)?,?\s+{_YEAR.format('y')}\b"
        ),
    ),
    (
        "dmy",
        re.compile(
            rf"\b{_DAY.format('d')}(?:\s*(?:-|–|to|and)\s*[0-3]?\d)?\s+(?:of\s+)?"
            rf"{_MONTH.format('m')},?\s+{_YEAR.format('y')}\b"
        ),
    ),
    (
        "md",
        re.compile(
            rf"\b{_MONTH.format('m')}\s+{_DAY.format('d')}\b(?!\s*(?:%|percent|years?|"
            r"days?|people|million|billion))"
        ),
    ),
    ("dm", re.compile(rf"\b{_DAY.format('d')}\s+(?:of\s+)?{_MONTH.format('m')}\b")),
    ("my", re.compile(rf"\b{_MONTH.format('m')},?\s+(?:of\s+)?{_YEAR.format('y')}\b")),
    ("rel_month", re.compile(rf"\b(?P<rel>this|last|next|early|late|mid-?)\s*{_MONTH.format('m')}\b", re.I)),
    ("rel_year", re.compile(r"\b(?P<rel>this|last|next)\s+year\b", re.I)),
    (
        "year",
        re.compile(
            r"(?<![\w$£€.,/§¶#-])(?<!§ )(?<!U\.S\.C\. )(?P<y>1[89]\d\d|20\d\d)(?![\w%/-]|[.,]\d)"
            r"(?!\s+(?:people|persons|troops|soldiers|tons|tonnes|km|miles|words|units)\b)"
        ),
    ),
]
# Both ends of a period ("from 2008 through 2012", "between 2007 and 2025", "2014-2021").
_RANGE_AFTER_RE = re.compile(
    r"^\s*(?:through|thru|to|until|and|-|–)\s*(?:(?:fiscal|calendar)\s+years?\s+|"
    r"(?:FY|CY)\s?)?(?:\w+\s+)?(?:1[89]\d\d|20\d\d)\b",
    re.I,
)
_RANGE_END_RE = re.compile(
    r"\b(?:(?:1[89]\d\d|20\d\d)|[A-Z][a-z]+\s+(?:1[89]\d\d|20\d\d))\s*"
    r"(?:through|thru|to|until|-|–)\s*(?:(?:fiscal|calendar)\s+years?\s+)?(?:\w+\s+)?$",
    re.I,
)
_DASH_NUMBER_RE = re.compile(r"^\s*[-–]\s*\d")  # "2014-2021"
# "fiscal years 2020 through 2024": a span of years, wherever it stands.
_YEAR_SPAN_RE = re.compile(
    r"\b(?P<a>(?:1[89]|20)\d\d)\s*(?:through|thru|to|until|–|-)\s*"
    r"(?:(?:fiscal|calendar)\s+years?\s+)?(?P<b>(?:1[89]|20)\d\d)\b",
    re.I,
)
# A table's caption or header row: "Table 2: ... by Fiscal Year", "Award Information 2020 2021 2022".
_TABLE_RE = re.compile(
    r"^\s*(?:table|figure|exhibit)\s+\d+[.:]|(?:(?:1[89]|20)\d\d\s+){2,}(?:1[89]|20)\d\d", re.I
)
# A figure given in brackets at a date: "($19,000 in 2026", "(adjusted for inflation after 2027)".
_FIGURE_ASIDE_RE = re.compile(r"\([^()]*(?:[$€£%]|\bpercent\b|\badjusted\b|\binflation\b)[^()]*$", re.I)
_FROM_OR_BETWEEN_RE = re.compile(r"\b(?:from|between)\b[^.;]*$", re.I)
_YEARISH = r"(?:1[89]\d\d|20\d\d)"
# "from $14 billion in fiscal year 2020 to $15 billion by the end of fiscal year 2025": a change
# measured over a period, both dates its ends.
_PERIOD_RE = re.compile(
    rf"\b(?:from|between)\b[^;]{{0,80}}?\b(?P<a>{_YEARISH})\b[^;]{{0,80}}?"
    rf"\b(?:to|through|until|and)\b[^;]{{0,80}}?\b(?P<b>{_YEARISH})\b",
    re.I,
)
# "As we reported in December 2025, ...": the author citing its own earlier work.
_SELF = "|".join(sorted(lexicon.words("institutional_authors.txt")))
_OWN_REPORT_RE = re.compile(
    rf"\b(?:we|{_SELF})\s+(?:have\s+|had\s+)?(?:previously\s+|recently\s+|first\s+)?"
    r"(?:reported|noted|found|testified|stated|said|recommended|concluded|"
    r"estimated|wrote)\s+(?:in|on)\s+(?:early\s+|late\s+|mid-?)?$",
    re.I,
)
_REPORTING_LEMMAS = lexicon.words("own_report_verbs.txt")
_AUTHOR_SUBJECTS = {"we", "i"} | lexicon.words("institutional_authors.txt")
_CLAUSE_MARKERS = {
    "although",
    "though",
    "that",
    "because",
    "while",
    "whereas",
    "as",
    "since",
    "if",
    "even",
    "so",
}
_AFTERTHOUGHT_MARKS = {"so", "because", "although", "though", "whereas", "while"}
_QUANTITY_LABELS = {"MONEY", "PERCENT", "QUANTITY", "CARDINAL"}
# Bibliography and notes: "Sources: ..., August 2, 2023, https://...", "74 (2016), pp. 1-22".
_REFERENCE_RE = re.compile(
    r"^\s*(?:sources?|notes?)\s*:|https?://|\b\d+\s*\(\d{4}\),?\s*pp?\.|^\s*\d+\s*[-–]\s*\d+\s*[;,.]"
    # a pointer to other reading: "For a visual of ..., see CRS Infographic IG10053, ..."
    r"|^\s*(?:see\b|for\s+(?:a\s+|an\s+)?(?:more|additional|further|detailed|visual|fuller|other)\b[^.]{0,200}?,\s*see\b)",
    re.I,
)
# Nouns that name a happening: a year labelling one ("the 2020 presidential election", "a 2022
# test") dates an event; a year labelling anything else ("their 2017 sponsorship agreement",
# "a 1979 test site") is part of a name.
_EVENT_NOUNS = lexicon.words("event_nouns.txt")
_MIN_CLAUSE_WORDS = 4
_LONG_CLAUSE = 30  # tokens
# "May" is also a verb: only a capitalised month name counts, and "may" before a verb never.
_VERBAL_MAY_RE = re.compile(r"^May\s+(?:be|have|not|also|well|still)\b")


def find_events(parsed: Parsed) -> tuple[Event, ...]:
    sentences = parsed.sentences
    anchor = _anchor(parsed.document.meta.date)
    found: list[tuple[str, int, Event]] = []
    seen: set[tuple[str, str]] = set()
    for index, sentence in enumerate(sentences):
        if _is_bare_date(sentence.text):
            continue  # a dateline ("Jun 28, 2019") is the piece's date, not an event
        if sentence.text.rstrip("\"'”’)] ").endswith("?"):
            continue  # a question about a date ("will it grow fast enough before 2035?") asks, not tells
        if (
            sentence.text[:1].islower()
            or _REFERENCE_RE.search(sentence.text)
            or _TABLE_RE.search(sentence.text)
        ):
            continue  # a broken sentence's tail, a reference list or a table: no event to read
        dated = [
            (start, end, value)
            for start, end, value in _dates(sentence.text, anchor)
            if not _in_period(sentence.text, start, end)
        ]
        if not dated:
            continue
        for start, end, value in dated:
            others = [(a, b) for a, b, _ in dated if (a, b) != (start, end)]
            text = _event_text(parsed.docs[index], sentence.text, start, end, others)
            if text is None or (value, text) in seen:
                continue
            seen.add((value, text))
            found.append((value, index, Event(date=value, text=text, cite=cite(sentence))))
    found.sort(key=lambda item: (item[0], item[1]))
    return tuple(event for _, _, event in found)


def _anchor(value: str | None) -> Date | None:
    if not value:
        return None
    try:
        parts = [int(x) for x in value.split("-")]
        return Date(parts[0], parts[1] if len(parts) > 1 else 1, parts[2] if len(parts) > 2 else 1)
    except (ValueError, IndexError):
        logger.debug("unusable document date %r", value)
        return None


def _is_bare_date(text: str) -> bool:
    rest = text
    for _, pattern in _PATTERNS[:3]:
        rest = pattern.sub("", rest)
    return len(re.findall(r"[A-Za-z]{3,}", rest)) == 0 and rest != text


def _in_period(text: str, start: int, end: int) -> bool:
    """Whether the date is an end of a stated period ("from fiscal years 2008 through 2012",
    "between 2007 and 2025", "2014-2021"): a span of time measured, not a thing that happened."""
    before, after = text[:start], text[end:]
    if _OWN_REPORT_RE.search(before):
        return True  # not a period, but no event either: the date of the author's own report
    if _FIGURE_ASIDE_RE.search(before):
        return True  # nor a figure in brackets: "(adjusted for inflation after 2027)"
    for m in _YEAR_SPAN_RE.finditer(text):
        if m.start("a") <= start < m.end("b"):
            return True
    for m in _PERIOD_RE.finditer(text):
        if m.start("a") <= start < m.end("a") or m.start("b") <= start < m.end("b"):
            return True
    if _RANGE_AFTER_RE.match(after) and (
        _FROM_OR_BETWEEN_RE.search(before[-40:]) or _DASH_NUMBER_RE.match(after)
    ):
        return True
    return bool(_RANGE_END_RE.search(before[-40:]) and _FROM_OR_BETWEEN_RE.search(before[-60:]))


def _event_text(doc, original: str, start: int, end: int, others=()) -> str | None:
    """The clause of the parse that holds the date, in the source's own characters; None when
    that clause is not an event (the author's reporting frame, a figure at a date)."""
    span = doc.char_span(start, end, alignment_mode="expand")
    if span is None or len(span) == 0:
        return squash(original)
    if _label_year(span):
        return None
    head = span.root
    participle = None  # "the plan released in 2021": the nearest participle modifying a noun
    while not _is_clause_head(head) and head.dep_ != "ROOT" and head.head is not head:
        head = head.head
        if participle is None and head.dep_ == "acl" and head.pos_ == "VERB" and head.tag_ == "VBN":
            participle = head
    if not _is_clause_head(head):
        return squash(original)
    if _reporting_frame(head):
        return None
    path = {span.root.i, *(t.i for t in span.root.ancestors)}
    date_tokens = {t.i for t in span}
    keep = {t.i for t in head.subtree}
    for child in head.children:
        if child.i in path:
            continue
        if (child.dep_ == "conj" and _has_subject(child)) or child.dep_ == "parataxis":
            drop = {t.i for t in child.subtree}
            # the "and" and commas that joined the dropped clause
            drop |= {
                c.i
                for c in head.children
                if c.dep_ in ("cc", "punct") and (child.left_edge.i - 3 <= c.i < child.left_edge.i)
            }
            keep -= drop
        elif child.dep_ == "advcl" and child.i < head.i:
            keep -= {t.i for t in child.subtree}
            keep -= {c.i for c in head.children if c.dep_ == "punct" and child.right_edge.i < c.i < head.i}
        elif (
            child.dep_ == "advcl"
            and child.i > head.i
            and _has_subject(child)
            and any(m.lower_ in _AFTERTHOUGHT_MARKS for m in child.subtree if m.dep_ == "mark")
        ):
            # "..., so that North Korea could put forward proposals": a purpose or reason added
            # to the event, with a subject of its own
            keep -= {t.i for t in child.subtree}
            keep -= {child.left_edge.i - 1} if doc[child.left_edge.i - 1].text == "," else set()
        elif (
            child.dep_ == "advmod"
            and child.i < head.i
            and child.right_edge.i + 1 < len(doc)
            and doc[child.right_edge.i + 1].text == ","
        ):
            # a discourse adverb opening the sentence ("More importantly, ...")
            keep -= {t.i for t in child.subtree} | {child.right_edge.i + 1}
    # A clause inside this one that holds another of the sentence's dates is that date's event
    # ("Since 2020 China has shared data through the framework, which it launched in 2016").
    for tok in list(doc):
        if (
            tok.i in keep
            and tok.i not in path
            and tok.dep_ in ("relcl", "advcl", "acl", "conj")
            and tok.pos_ in ("VERB", "AUX")
            and _holds(tok, others)
        ):
            keep -= {t.i for t in tok.subtree}
            keep -= {t.i for t in doc if t.is_punct and t.i == tok.left_edge.i - 1}
    # Appositions describe a participant, not the event: "The Arctic Council, the main forum for
    # the eight Arctic states, paused ..." -> "The Arctic Council paused ...".
    for tok in list(doc):
        if tok.i in keep and tok.dep_ == "appos" and tok.i not in path:
            inner = {t.i for t in tok.subtree}
            left, right = tok.left_edge.i - 1, tok.right_edge.i + 1
            # Only a clean ", <apposition>," is cut: the small model's appositions inside names
            # and brackets ("Chairman of the ... (CPC)") are not reliable enough to cut.
            closed = right < len(doc) and doc[right].text == ","
            if (
                inner & date_tokens
                or left < 0
                or doc[left].text != ","
                or not closed
                or any(doc[i].text in '()[]"“”' for i in inner)
            ):
                continue
            keep -= inner | {left, right}
    if head.dep_ == "relcl":  # "the framework, which it launched in 2016": with its noun
        noun = head.head
        keep |= {t.i for t in noun.subtree if t.i < head.left_edge.i}
    if head.lemma_ == "be" and any(
        doc[i].ent_type_ in _QUANTITY_LABELS or doc[i].like_num for i in keep - date_tokens
    ):
        return None  # "liabilities were $166 billion at the end of fiscal year 2025": a figure
    if participle is not None and len(keep) > _LONG_CLAUSE and participle.head.i > head.i:
        # In a long clause the event is the noun and its participle ("its strategic plan released
        # in 2021"), which say what happened at the date; the rest is about something else. Only
        # after the verb: "In its opinion issued in January, the board stated ..." is the stating.
        noun = participle.head
        keep = {t.i for t in noun.subtree if t.i < participle.left_edge.i and t.i >= noun.left_edge.i}
        keep |= {t.i for t in participle.subtree}
    tokens = sorted(keep)
    # No leading marker ("although", "that"), no edge punctuation.
    while tokens and (
        doc[tokens[0]].is_punct
        or (
            doc[tokens[0]].dep_ in ("mark", "cc")
            and doc[tokens[0]].lower_ in _CLAUSE_MARKERS | {"and", "but"}
        )
    ):
        tokens = tokens[1:]
    while tokens and (
        doc[tokens[-1]].dep_ == "cc"
        or (
            doc[tokens[-1]].is_punct
            and (doc[tokens[-1]].text not in (")", "”", '"') or not _closes(doc, tokens))
        )
    ):
        tokens = tokens[:-1]  # no dangling "and", no mark closing what the clause does not open
    if sum(1 for i in tokens if doc[i].is_alpha) < _MIN_CLAUSE_WORDS:
        return squash(original)
    replace = _pronoun_antecedent(head, set(tokens))
    parts = []
    for k, i in enumerate(tokens):
        tok = doc[i]
        word = original[tok.idx : tok.idx + len(tok.text)]
        parts.append(replace[1] if replace and replace[0] == i else word)
        if k + 1 < len(tokens):
            parts.append(tok.whitespace_ if tokens[k + 1] == i + 1 else " ")
    text = squash("".join(parts))
    return text[0].upper() + text[1:]


def _label_year(span) -> bool:
    """A bare year labelling a thing in passing ("NORI updated their 2017 sponsorship agreement",
    "compared conditions of a 1979 test site"): no event of this sentence. Kept when the noun
    names a happening, is the subject, or opens the clause ("According to a 2017 notice, ...")."""
    if len(span) != 1 or not span[0].like_num or span[0].dep_ not in ("nummod", "compound", "amod", "nmod"):
        return False
    before = span[0].doc[span[0].i - 1] if span[0].i else None
    if before is None or not (before.dep_ in ("det", "poss") or before.tag_ == "POS"):
        return False  # only "a/the/their 2017 <noun>" is sure to be a label
    noun = span[0].head
    while noun.dep_ == "compound" and noun.head.i > noun.i:
        noun = noun.head
    if noun.i < span[0].i or noun.pos_ not in ("NOUN", "PROPN") or noun.lemma_.lower() in _EVENT_NOUNS:
        return False
    if noun.dep_ in ("nsubj", "nsubjpass"):
        return False
    prep = noun.head if noun.dep_ == "pobj" else None
    if prep is not None and prep.dep_ == "pcomp":
        prep = prep.head
    # not a phrase before its verb: "In a 2019 report, ..."
    return not (prep is not None and prep.i < prep.head.i)


def _closes(doc, tokens: list[int]) -> bool:
    """Whether the last token closes a bracket or quotation opened among the kept tokens."""
    last = doc[tokens[-1]].text
    text = "".join(doc[i].text for i in tokens[:-1])
    if last == ")":
        return text.count("(") > text.count(")")
    if last == "”":
        return text.count("“") > text.count("”")
    return text.count('"') % 2 == 1


def _holds(clause, spans) -> bool:
    first, last = clause.left_edge.idx, clause.right_edge.idx + len(clause.right_edge.text)
    return any(first <= a and b <= last for a, b in spans)


def _pronoun_antecedent(head, kept: set[int]):
    """(token index, name) when the clause's subject is "it"/"they" and the clause it hangs from,
    now left out, has a proper-name subject of the same number ("China processes ..., and in
    2023 it began ..." -> "China began ..."); None otherwise."""
    subject = next((c for c in head.children if c.dep_ == "nsubj"), None)
    if subject is None or subject.lower_ not in ("it", "they") or subject.i not in kept:
        return None
    governor = head.head if head.dep_ in ("conj", "relcl", "advcl", "ccomp") else None
    if head.dep_ == "relcl" and governor is not None:
        governor = governor.head
        while governor.pos_ not in ("VERB", "AUX") and governor.head is not governor:
            governor = governor.head
    if governor is None or governor.i in kept:
        return None
    other = next((c for c in governor.children if c.dep_ == "nsubj"), None)
    if other is None or other.pos_ != "PROPN":
        return None
    plural = other.tag_ == "NNPS"
    if (subject.lower_ == "they") != plural:
        return None
    name = other.doc[other.left_edge.i : other.i + 1]
    if any(t.pos_ in ("VERB", "AUX") or t.is_punct for t in name):
        return None
    return subject.i, name.text


def _is_clause_head(tok) -> bool:
    return tok.pos_ in ("VERB", "AUX") and (_has_subject(tok) or tok.dep_ in ("ROOT", "relcl"))


def _has_subject(tok) -> bool:
    return any(c.dep_ in ("nsubj", "nsubjpass", "expl", "csubj") for c in tok.children)


def _reporting_frame(head) -> bool:
    """ "As we reported in December 2025, ..." / "We reported in 2018 that ...": the author citing
    its own earlier work frames a finding; the date is of the report, not of an event."""
    subject = next((c for c in head.children if c.dep_ in ("nsubj", "nsubjpass")), None)
    return head.lemma_ in _REPORTING_LEMMAS and subject is not None and subject.lower_ in _AUTHOR_SUBJECTS


def _dates(text: str, anchor: Date | None) -> list[tuple[int, int, str]]:
    """Every date the sentence names, resolved, in text order (overlaps: the most specific wins)."""
    taken: list[tuple[int, int]] = []
    values: list[tuple[int, int, str]] = []
    for kind, pattern in _PATTERNS:
        for m in pattern.finditer(text):
            span = (m.start(), m.end())
            if any(a < span[1] and span[0] < b for a, b in taken):
                continue
            if (
                "m" in m.groupdict()
                and m.group("m")
                and m.group("m").lower().startswith("may")
                and (m.group("m")[0].islower() or _VERBAL_MAY_RE.match(text[m.start("m") :]))
            ):
                continue
            value = _resolve(kind, m, anchor)
            if value:
                taken.append(span)
                values.append((m.start(), m.end(), value))
    return sorted(values)


def _month(m: re.Match) -> int:
    return month_number(m.group("m"))  # the pattern leaves an abbreviation's "." outside the group


def _valid(y: int, mo: int, d: int) -> bool:
    try:
        Date(y, mo, d)
        return True
    except ValueError:
        return False


def _resolve(kind: str, m: re.Match, anchor: Date | None) -> str | None:
    if kind == "iso":
        y, mo, d = int(m.group("y")), int(m.group("m")), int(m.group("d"))
        return f"{y:04d}-{mo:02d}-{d:02d}" if _valid(y, mo, d) else None
    if kind in ("mdy", "dmy"):
        y, mo, d = int(m.group("y")), _month(m), int(m.group("d"))
        return f"{y:04d}-{mo:02d}-{d:02d}" if _valid(y, mo, d) else None
    if kind in ("md", "dm"):
        if anchor is None:
            return None
        mo, d = _month(m), int(m.group("d"))
        return f"{anchor.year:04d}-{mo:02d}-{d:02d}" if _valid(anchor.year, mo, d) else None
    if kind == "my":
        return f"{int(m.group('y')):04d}-{_month(m):02d}"
    if kind == "rel_month":
        if anchor is None or m.group("m")[0].islower():
            return None
        mo, rel = _month(m), m.group("rel").lower()
        year = anchor.year
        if rel == "last":
            year = anchor.year if mo < anchor.month else anchor.year - 1
        elif rel == "next":
            year = anchor.year if mo > anchor.month else anchor.year + 1
        return f"{year:04d}-{mo:02d}"
    if kind == "rel_year":
        if anchor is None:
            return None
        shift = {"this": 0, "last": -1, "next": 1}[m.group("rel").lower()]
        return f"{anchor.year + shift:04d}"
    if kind == "year":
        return f"{int(m.group('y')):04d}"
    return None
