"""The memo text of the sentences: standing alone, dated, and shortened only faithfully.

The analysis computes (once, from its own parse; no template calls spaCy):

- `Sentence.memo_text`, for every sentence: the sentence with an opening referent bracketed in
  (`standalone`) and relative times resolved against the source date (`staletime`); None when it
  stands as it is;
  A sentence that opens on a connective ("Therefore,", "However,") or points back through a bare
  noun phrase ("... rejected the charge.") is joined to the sentence before it, which carries
  what it leans on; its cuts are kept only where the cut no longer leans back;
- `Sentence.shorter`, for every sentence a finding cites: shorter forms (`compress`, which only
  deletes whole constituents), longest first, each of which keeps every contrast ("but",
  "however", "although"), every negation, the list after a colon, and balanced quotation marks.
  A sentence with no safe cut has none, and composition quotes it whole.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterable

from ..model import Sentence
from . import lexicon, staletime
from .compress import compress_doc
from .parse import Parsed
from .standalone import Opening, antecedent, leans_back, opening, opens_on_connective

# The widths tried, as shares of the sentence's length: a gentle cut, a main clause, a core.
_SHARES = (0.8, 0.6, 0.45)
_MIN_CHARS = 40  # shorter than this, a cut form says too little to be worth offering
# Longer "sentences" are unsplit runs (a table, a text without full stops): no cut is offered, so
# the compression's passes stay bounded whatever the input.
_MAX_CHARS = 1_000
_POINTING = re.compile(r"^(?:it|they|he|she|its|their|his|her|this|these|those|them)\b", re.I)
_WORD = re.compile(r"[\w'’-]+")
_SUBORDINATE = re.compile(r"^(?:although|though|if|because|while|whereas|unless|since|when|even if)\b", re.I)
_JUDGING = frozenset(["should", "must", "ought", "shall"])  # a call to act or a judgment
CONTRAST = lexicon.words("contrast_words.txt")
NEGATION = lexicon.words("negation_words.txt")


def with_memo_text(parsed: Parsed, cited: Iterable[str]) -> tuple[Sentence, ...]:
    """The sentences with their memo text (every sentence: composition may print any), and those
    in `cited` (ids) with their shorter forms too (the cuts cost a pass over the parse each)."""
    wanted = set(cited)
    date = parsed.document.meta.date
    out = []
    for i, sentence in enumerate(parsed.sentences):
        opened = opening(parsed, i)
        memo = staletime.resolve(opened.apply(sentence.text) or sentence.text, date)
        back = leans_back(parsed, i) if opened.bracket is None else None
        before = antecedent(parsed, i) if back else None
        if before is not None:
            memo = staletime.resolve(parsed.sentences[before].text, date) + " " + memo
        shorter: tuple[str, ...] = ()
        if sentence.id in wanted:
            shorter = tuple(
                staletime.resolve(_with_referent(cut, sentence.text, opened), date)
                for cut in shortenings(parsed.docs[i], sentence.text)
            )
            if back == "noun":
                shorter = ()  # every cut keeps the noun phrase that points back
            elif back:
                # A cut that lost a connective other than a contrast stands alone (one dropping
                # "However" is no faithful cut, see is_faithful).
                shorter = tuple(c for c in shorter if not opens_on_connective(c))
        if memo == sentence.text and not shorter:
            out.append(sentence)
            continue
        out.append(
            dataclasses.replace(sentence, memo_text=None if memo == sentence.text else memo, shorter=shorter)
        )
    return tuple(out)


def shortenings(doc, text: str) -> tuple[str, ...]:
    """Faithful shorter forms of `text`, longest first, none equal to it."""
    found: list[str] = []
    if len(text) > _MAX_CHARS:
        return ()
    for share in _SHARES:
        cut = compress_doc(doc, text, int(len(text) * share))
        if len(cut) < len(text) and len(cut) >= _MIN_CHARS and cut not in found and is_faithful(cut, text):
            found.append(cut)
    return tuple(sorted(found, key=len, reverse=True))


def is_faithful(cut: str, sentence: str) -> bool:
    """A deletion-only cut keeps every contrast and negation word, the list after a colon, and
    its quotation marks balanced."""
    kept = _words(cut)
    dropped = _words(sentence)
    for w in kept:
        if w in dropped:
            dropped.remove(w)
    if any(w in CONTRAST or w in NEGATION or w.endswith("n't") for w in dropped):
        return False
    if ":" in sentence and ":" not in cut:
        head = sentence.split(":", 1)[0]
        if len(cut) <= len(head) + 5:
            return False  # stops at the colon: the list that was the content is gone
    if cut.count("“") != cut.count("”") or cut.count('"') % 2:
        return False
    if any(w in _JUDGING for w in dropped):
        return False  # ", and governments should say so": a second judgment, not a detail
    if _SUBORDINATE.match(cut) and _stops_at_comma(cut, sentence):
        return False  # "Although X," without the main clause it concedes to
    if _POINTING.match(cut) and not _POINTING.match(sentence):
        return False  # the cut made a pronoun its first word ("Judging from ..., it means" -> "It means")
    return "…" not in cut


def _stops_at_comma(cut: str, sentence: str) -> bool:
    """Does the cut end where the sentence goes on after a comma?"""
    body = cut.rstrip(".")
    return sentence.startswith(body) and sentence[len(body) :].lstrip().startswith(",")


def _words(text: str) -> list[str]:
    return [w.lower().replace("’", "'") for w in _WORD.findall(text)]


def _with_referent(cut: str, original: str, opened: Opening) -> str:
    """A cut that still opens on the original's first words gets the same bracketed referent."""
    if opened.bracket is None or cut[: opened.replaced] != original[: opened.replaced]:
        return cut
    return opened.apply(cut) or cut
