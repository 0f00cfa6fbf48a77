"""Shorten a source sentence to its main clause, by deleting words, never adding any.

Talking points and a principal's one-page brief need short lines, and cutting a long sentence
off with "…" mid-clause reads badly. Here whole constituents of the parsed sentence are removed,
gentlest first, until it fits (the analysis calls `compress_doc` with its own parse; `compress`
parses a loose text itself, for callers outside the analysis):

1. a leading discourse marker ("More importantly,", "However,", "Yet") and parentheticals;
2. asides between commas: appositives ("The Arctic Council, the main forum for ..., paused"),
   participles (", set up by ... in 1995,") and non-restrictive ", which/who ...," clauses;
3. everything after a top-level colon, semicolon or dash (the elaboration of a main clause);
4. trailing comma-separated tails: participle clauses, ", which ...", ", while ...",
   ", and <another clause>", ", most of it ...";
5. a leading adverbial set off by a comma ("As the top leader of the DPRK, Kim's visits ..."),
   and then tails again.

No library does this (sentence compression models need training data and a GPU), hence by
hand. The result only ever drops tokens, re-capitalises the first word and ends with a full
stop, so every word in it is the source's own.
"""

from __future__ import annotations

import logging
import re

logger = logging.getLogger(__name__)

# Words that open a sentence only to link it to the one before ("However, ...").
_MARKERS = frozenset(
    [
        "however",
        "moreover",
        "furthermore",
        "additionally",
        "also",
        "still",
        "yet",
        "but",
        "and",
        "so",
        "thus",
        "hence",
        "therefore",
        "meanwhile",
        "nevertheless",
        "nonetheless",
        "indeed",
        "instead",
        "besides",
        "importantly",
        "notably",
        "consequently",
        "accordingly",
        "similarly",
        "likewise",
        "finally",
        "first",
        "second",
        "third",
        "firstly",
        "secondly",
        "lastly",
        "overall",
        "then",
        "now",
        "again",
    ]
)
_MARKER_PHRASES = (
    "more importantly",
    "most importantly",
    "in addition",
    "in fact",
    "as a result",
    "on the other hand",
    "at the same time",
    "for example",
    "for instance",
    "in turn",
    "in short",
    "in other words",
    "by contrast",
    "in contrast",
    "of course",
    "above all",
    "after all",
    "even so",
    "to be sure",
)
# Subordinators, relative words and quantifiers that open a tail clause which can go.
_TAIL_OPENERS = frozenset(
    [
        "which",
        "who",
        "whom",
        "whose",
        "while",
        "whereas",
        "although",
        "though",
        "because",
        "since",
        "so",
        "as",
        "when",
        "where",
        "after",
        "before",
        "until",
        "unless",
        "whereby",
        "including",
        "especially",
        "particularly",
        "mostly",
        "most",
        "many",
        "mainly",
        "largely",
        "partly",
        "chiefly",
        "primarily",
        "notably",
        "some",
        "all",
        "both",
        "each",
        "none",
        "one",
        "a",
        "an",
        "according",
    ]
)
# Modals of a judgment or a call to act: a clause holding one is a point of its own.
_JUDGING = frozenset(["should", "must", "ought", "shall", "need", "needs"])
_SPACE_BEFORE_PUNCT = re.compile(r"\s+([,.;:!?)\]”’])")
_SPACE_AFTER_OPEN = re.compile(r"([(\[“‘])\s+")
_DOUBLE_COMMA = re.compile(r",\s*,")
_MULTISPACE = re.compile(r"\s{2,}")
_TRAILING_PUNCT = re.compile(r"[\s,;:—–-]+$")
_LEADING_PUNCT = re.compile(r"^[\s,;:—–-]+")
_END = ".?!…"


def strip_opener(text: str) -> str:
    """The sentence without a leading discourse marker ("However, this ..." -> "This ...")."""
    words = text.split(" ")
    lowered = text.lower()
    for phrase in _MARKER_PHRASES:
        if lowered.startswith((phrase + ",", phrase + " ")):
            rest = text[len(phrase) :].lstrip(" ,")
            return _capitalise(rest) if _is_clause_start(rest) else text
    first = words[0].rstrip(",").lower() if words else ""
    if first in _MARKERS and len(words) > 3:
        rest = text[len(words[0]) :].lstrip(" ,")
        # Without a comma only "Yet/But/And" ("Still waters ..." is no marker); the rest must
        # start a clause.
        if (words[0].endswith(",") or first in ("yet", "but", "and")) and _is_clause_start(rest):
            return _capitalise(rest)
    return text


def _is_clause_start(text: str) -> bool:
    return bool(text) and (text[0].isalpha() or text[0] in "“\"‘'") and len(text.split()) >= 3


def _capitalise(text: str) -> str:
    for index, char in enumerate(text):
        if char.isalpha():
            return text[:index] + char.upper() + text[index + 1 :]
    return text


def compress_doc(doc, text: str, width: int) -> str:
    """The sentence cut down to its main clause until it is at most `width` characters, on a sentence
    already parsed (`doc` is the parse of `text`, or of a same-length
    normalisation of it: every kept word is copied from `text`, so the source's marks stay)."""
    sentences = list(doc.sents)
    keep = [True] * len(doc)
    # Only the first sentence is a candidate once the whole text is too long.
    if len(sentences) > 1 and len(text) > width and len(sentences[0]) >= 4:
        for token in doc[sentences[0].end :]:
            keep[token.i] = False
    # The leading adverbial goes late: "When a cable is cut, banks stop clearing payments." says
    # more than "Banks stop clearing payments, hospitals lose ...".
    steps = (
        _drop_parentheticals,
        _drop_appositives,
        _cut_at_colon,
        _cut_tails,
        _drop_leading_adverbial,
        _cut_tails,
    )
    spans = _spans(doc)
    current = _finish(doc, keep, text, spans)
    current = strip_opener(current)
    for step in steps:
        if len(current) <= width:
            break
        step(doc, keep, width)
        current = strip_opener(_finish(doc, keep, text, spans))
    return current


def _spans(doc) -> tuple[tuple[int, int, bool], ...]:
    """(start, end, followed by a space) of every token: read once per sentence, since _finish
    runs after every cutting step and a spaCy token is costly to make."""
    return tuple((t.idx, t.idx + len(t.text), bool(t.whitespace_)) for t in doc)


def _finish(
    doc, keep: list[bool], original: str, spans: tuple[tuple[int, int, bool], ...] | None = None
) -> str:
    if all(keep):
        return original
    spans = spans if spans is not None else _spans(doc)
    pieces: list[str] = []
    previous = -1
    for i, (start, end, _) in enumerate(spans):
        if not keep[i]:
            continue
        if previous >= 0:
            # A gap of dropped tokens becomes one space (punctuation is re-attached below).
            gap = i - previous > 1
            pieces.append(" " if gap or spans[previous][2] else "")
        pieces.append(original[start:end])
        previous = i
    text = "".join(pieces)
    text = _SPACE_BEFORE_PUNCT.sub(r"\1", text)
    text = _SPACE_AFTER_OPEN.sub(r"\1", text)
    text = _DOUBLE_COMMA.sub(",", text)
    text = _MULTISPACE.sub(" ", text)
    text = _LEADING_PUNCT.sub("", text)
    start_dropped = not keep[0] or (not doc[0].is_alpha and not keep[min(1, len(doc) - 1)])
    text = _TRAILING_PUNCT.sub("", text.strip())
    if text and text[-1] not in _END and not (text[-1] in '”"’' and text[-2:-1] in tuple(_END)):
        text += "."
    # A new first word is capitalised; a fragment the source began in lower case stays so.
    return _capitalise(text) if start_dropped else text


def _balanced(doc, keep: list[bool]) -> bool:
    """Cutting must not leave a quotation or bracket open."""
    kept = [t.text for t in doc if keep[t.i]]
    opened = sum(x in ("“", "(", "[") for x in kept)
    closed = sum(x in ("”", ")", "]") for x in kept)
    straight = sum(x == '"' for x in kept)
    return opened == closed and straight % 2 == 0


def _try(doc, keep: list[bool], start: int, end: int) -> bool:
    """Drop tokens [start, end) if the result stays balanced; True when dropped."""
    trial = list(keep)
    for i in range(start, end):
        trial[i] = False
    if not any(trial) or not _balanced(doc, trial):
        return False
    keep[:] = trial
    return True


def _drop_parentheticals(doc, keep: list[bool], width: int) -> None:
    depth_start = None
    for token in doc:
        if token.text == "(" and depth_start is None:
            depth_start = token.i
        elif token.text == ")" and depth_start is not None:
            _try(doc, keep, depth_start, token.i + 1)
            depth_start = None


def _has_subject(tokens) -> bool:
    # npadvmod: the parser reads "This year celebrates ..." with "year" as an adverbial.
    return any(
        t.dep_ in ("nsubj", "nsubjpass", "expl", "csubj")
        or (t.dep_ == "npadvmod" and t.head.dep_ == "ROOT" and t.i < t.head.i)
        for t in tokens
    )


def _has_verb(tokens) -> bool:
    return any(t.pos_ in ("VERB", "AUX") and t.tag_ not in ("VBG", "VBN") for t in tokens)


def _drop_appositives(doc, keep: list[bool], width: int) -> None:
    """ ", the main forum for the eight Arctic states," and the like, with both commas."""
    for token in doc:
        if token.dep_ not in ("appos", "acl", "relcl") or not keep[token.i]:
            continue
        subtree = list(token.subtree)
        first, last = subtree[0].i, subtree[-1].i
        if token.dep_ == "acl" and token.tag_ not in ("VBN", "VBG"):
            continue  # only participial modifiers (", set up by ... in 1995,") are asides
        if token.dep_ == "relcl" and subtree[0].tag_ not in ("WDT", "WP", "WP$"):
            continue  # only ", which/who ...," clauses; "the dams that hold water" is restrictive
        if first == 0 or doc[first - 1].text != ",":
            continue
        # Extend to the closing comma when the appositive runs on ("..., General Secretary of
        # the CPC and Chinese President, to make ...") without starting a new clause.
        end = last + 1
        for i in range(last + 1, min(len(doc), last + 10)):
            if doc[i].text == ",":
                if not _has_verb(doc[last + 1 : i]):
                    end = i
                break
            if doc[i].is_sent_end:
                break
        # Only an aside closed by a comma: one running to the end of the sentence is a tail,
        # and the tail step cuts it more gently (", which sets targets for 2030: ..." keeps
        # its clause before the colon).
        if end < len(doc) and doc[end].text == ",":
            _try(doc, keep, first - 1, end + 1) or _try(doc, keep, first - 1, end)


def _first_kept(keep: list[bool]) -> int:
    return next((i for i, k in enumerate(keep) if k), len(keep))


def _drop_leading_adverbial(doc, keep: list[bool], width: int) -> None:
    """ "As the top leader of the DPRK, Kim's visits ..." -> "Kim's visits ..."."""
    # Twice: "However, as the election draws near, the administration ..." has two.
    for _ in range(2):
        if not _drop_one_leading_adverbial(doc, keep):
            return


def _drop_one_leading_adverbial(doc, keep: list[bool]) -> bool:
    start = _first_kept(keep)
    if start >= len(doc) or (doc[start].pos_ not in ("ADP", "SCONJ", "ADV") and doc[start].tag_ != "VBG"):
        return False
    for i in range(start + 1, min(len(doc), start + 30)):
        if not keep[i]:
            continue
        if doc[i].text == ",":
            rest = [t for t in doc[i + 1 :] if keep[t.i]]
            # The rest must be the main clause: it holds the root, a subject and a finite verb.
            if (
                len(rest) >= 4
                and any(t.dep_ in ("nsubj", "nsubjpass") for t in rest)
                and _has_verb(rest)
                and any(t.dep_ == "ROOT" for t in rest)
                and rest[0].tag_ not in ("WDT", "WP", "WP$")
            ):
                return _try(doc, keep, start, i + 1)
            return False
        if doc[i].text in (";", ":", "—"):
            return False
    return False


def _cut_at_colon(doc, keep: list[bool], width: int) -> None:
    """Keep the clause before a colon, semicolon or dash when it says something on its own."""
    for token in doc:
        if not keep[token.i] or token.text not in (":", ";", "—", "–"):
            continue
        head = [t for t in doc[: token.i] if keep[t.i]]
        tail = [t for t in doc[token.i + 1 : _last_token(doc)] if keep[t.i]]
        if not (_has_verb(head) and _has_subject(head)):
            return
        # "The answer is obvious: the DPRK ignores ..." -> the clause after the colon.
        if (
            len(head) <= 6
            and len(tail) >= 5
            and _has_verb(tail)
            and _has_subject(tail)
            and _try(doc, keep, head[0].i, token.i + 1)
        ):
            return
        if len(head) >= 5 and _try(doc, keep, token.i, _last_token(doc)):
            return
        return


def _last_token(doc) -> int:
    """Index of the sentence-final punctuation (kept so the cut reads as a sentence), else len."""
    last = len(doc)
    while last > 0 and doc[last - 1].is_punct and doc[last - 1].text in ".?!":
        last -= 1
    return last


def _tail_can_go(doc, keep: list[bool], comma: int) -> bool:
    tail = [t for t in doc[comma + 1 :] if keep[t.i] and not t.is_punct]
    if not tail:
        return False
    first = tail[0]
    word = first.text.lower()
    if first.like_num and (len(tail) == 1 or first.shape_ == "dddd"):
        return False  # "June 20 to 21, 2019": a date, not a tail
    if first.like_num:
        return True  # ", three in 2018 and one in 2019"
    if word == "as" and len(tail) > 2 and tail[1].lower_ == "well" and tail[2].lower_ == "as":
        return True  # ", as well as ...": an addition, not the last item of a list
    if first.pos_ == "CCONJ":
        # ", and <a clause>" can go; ", and <the last item of a list>" cannot, nor ", and
        # governments should ...": a second judgment, not an elaboration.
        rest = tail[1:]
        if any(t.lower_ in _JUDGING for t in rest):
            return False
        return any(t.dep_ in ("nsubj", "nsubjpass") for t in rest) and _has_verb(rest)
    if first.tag_ in ("VBG", "VBN") and _says_for_whom(first):
        return False  # ", reserved for poorer countries": whom it is for is the point
    if first.tag_ in ("VBG", "VBN") or word in _TAIL_OPENERS:
        return True
    if (
        _has_subject(tail)
        and _has_verb(tail)
        and first.dep_ in ("nsubj", "nsubjpass", "det", "amod", "compound", "poss")
    ):
        return True  # a comma splice in a list of clauses: "banks stop ..., hospitals lose ..."
    return first.dep_ in ("advcl", "npadvmod", "appos", "relcl") or first.head.dep_ in ("npadvmod",)


def _says_for_whom(participle) -> bool:
    """Does a participle say for whom or for what ("reserved for ...", "designed to ...")?"""
    return any(
        (c.dep_ == "prep" and c.lower_ in ("for", "to")) or (c.dep_ in ("xcomp", "advcl") and c.tag_ == "VB")
        for c in participle.children
    )


def _whole(head) -> bool:
    """Does the head hold the main verb, and no subordinator whose verb was cut away?"""
    kept = {t.i for t in head}
    if not any(t.dep_ == "ROOT" for t in head):
        return False
    return all(t.head.i in kept for t in head if t.dep_ in ("mark", "aux", "auxpass", "nsubj", "nsubjpass"))


def _dangling_list(doc, head) -> bool:
    """Would the head end in a list of clauses cut short ("A, B." from "A, B, and C")?"""
    for token in head:
        if token.text == "," and token.i + 1 < len(doc):
            nxt = doc[token.i + 1]
            if nxt.pos_ != "CCONJ" and _starts_clause(nxt) and nxt.i in {t.i for t in head}:
                verb = (nxt if nxt.dep_ in ("nsubj", "nsubjpass") else nxt.head).head
                if verb.dep_ == "conj":  # a coordinated clause, not "over the year, the DPRK has ..."
                    return True
                # The parser often makes the middle clause of "A, B, and C" the root: a list
                # when a main (not subordinate) clause comes before the comma.
                before = [t for t in head if t.i < token.i]
                if verb.dep_ == "ROOT" and any(
                    t.dep_ in ("nsubj", "nsubjpass") and t.head.dep_ not in ("advcl", "relcl", "acl")
                    for t in before
                ):
                    return True
    return False


def _starts_clause(token) -> bool:
    """Is this token the first word of a subject whose verb comes after it?"""
    subject = token if token.dep_ in ("nsubj", "nsubjpass") else None
    if subject is None and token.head.dep_ in ("nsubj", "nsubjpass") and token.head.left_edge.i == token.i:
        subject = token.head
    return subject is not None and subject.left_edge.i == token.i and subject.head.i > subject.i


def _cut_tails(doc, keep: list[bool], width: int) -> None:
    """Cut at the rightmost comma that leaves a whole clause, repeatedly, until it fits."""
    end = _last_token(doc)
    spans = _spans(doc)
    while True:
        commas = [t.i for t in doc[:end] if keep[t.i] and t.text == ","]
        candidates = []
        for comma in commas:
            head = [t for t in doc[:comma] if keep[t.i]]
            if (
                len(head) >= 5
                and _has_verb(head)
                and _has_subject(head)
                and _whole(head)
                and _tail_can_go(doc, keep, comma)
                and not _dangling_list(doc, head)
            ):
                candidates.append(comma)
        if not candidates:
            return
        # The longest head that fits; else the shortest available, and go on from there.
        fitting = [
            c
            for c in candidates
            if len(_finish(doc, keep[:c] + [False] * (len(doc) - c), "", spans)) <= width
        ]
        cut = max(fitting) if fitting else min(candidates)
        if not _try(doc, keep, cut, end):
            return
        if fitting or len(_finish(doc, keep, "", spans)) <= width:
            return
