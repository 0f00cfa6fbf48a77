"""Open questions: what the text asks, what it marks as unknown, and where it reports a dispute.

- explicit: every question sentence, headline included, with the text's own answer when the
  next sentence gives one;
- uncertainty: hedged statements ("it might contain ...", "it's very likely that ...",
  "the prospect ... is still open"), rephrased as the question a reader would ask by
  rearranging the hedged clause of the parse (subject-auxiliary inversion, do-support), so
  the words stay the source's own;
- contested: reported disagreement ("Some believe that ... However, ...", "critics argue").

A rephrased question stands alone in a memo, so a personal pronoun in it is replaced by what
it refers to when the parse makes that clear (the subject of a concessive clause before it,
the people named in the sentence, the plural subject of the sentence before), and the question
is dropped when it is not. Quotation marks and apostrophes stay as the source wrote them.
"""

from __future__ import annotations

import functools
import logging
import re

from ..model import Question
from ..textutil import squash
from . import lexicon
from .bottomline import thesis_scores
from .parse import Parsed
from .text import cite, normalise_marks

logger = logging.getLogger(__name__)

_CLOSERS = "\"'”’)]» "
ANSWER_CUES = "answer_cues.tsv"
OPEN_MARKERS = "open_markers.txt"
# A bullet then a wh-word opening the whole item ("Whether X is uncertain." without a bullet is
# a statement about doubt, handled as an uncertainty).
_LISTED_QUESTION_RE = re.compile(
    r"^\s*(?:[-•*–]\s+|\(?\d{1,2}[.)]\s+|\(?[a-z][.)]\s+)"
    r"(?P<q>(?:whether|what|how|which|who|when|why|where)\b[^?]*)$",
    re.I,
)
_MAX_LISTED_WORDS = 30
_COUNTER_RE = re.compile(
    r"^(?:however|but|yet|still|others|critics|opponents|on the other hand|in contrast|"
    r"by contrast|conversely|nevertheless)\b",
    re.I,
)
_CONTESTED_RE = re.compile("|".join(f"(?:{p})" for p in sorted(lexicon.words("contested_markers.txt"))), re.I)
_HEDGE_MODALS = {"might", "may"}
_HEDGE_ADVERBS = {"probably", "perhaps", "possibly", "maybe"}
# Adjectives that put a following clause in doubt ("it is likely that ...", "unclear whether ...").
# ("likely", "possible" are the author's hedges, not doubts the text leaves open.)
_HEDGE_ADJECTIVES = {
    "unclear",
    "uncertain",
    "doubtful",
    "unknown",
    "undecided",
    "unresolved",
    "open",
    "pending",
}
_OPEN_PHRASE_RE = re.compile(
    r"\b(?:is|are|remains?|was|were)\s+(?:still\s+|yet\s+|far\s+from\s+)?"
    r"(?:open|unclear|uncertain|unknown|undecided|unresolved|pending|in doubt|up in the air|"
    r"to be seen|an open question)\b(?!\s+(?:to|for)\s+(?!debate|question|interpretation|challenge|doubt)\w)",
    re.I,
)  # "open to anyone" is access, not doubt
_PROSPECT_HEADS = {
    "prospect",
    "possibility",
    "chance",
    "hope",
    "likelihood",
    "option",
    "deal",
    "agreement",
    "plan",
    "promise",
    "goal",
    "prospects",
    "outcome",
}
_DANGLING_RE = re.compile(r"(?:[\s,;:—–-]+(?:and|or|but|while|as well as))+[\s,;:.—–-]*$", re.I)
# A hedge addressed to the reader ("you might also like") is not an open question.
_READER_SUBJECTS = {"you", "i", "we"}
_DEFINITE = {"the", "this", "that", "these", "those", "its", "their", "his", "her", "our", "such"}
_RELATIVE = {"which", "who", "whom", "whose", "that"}
_WH = {"how", "when", "why", "where", "what", "who", "which", "whether", "if"}
# A list entry ending in the title-case question of a cited work.
_CITED_TITLE_RE = re.compile(
    r"^\s*[-•*–]\s+[^?]*:\s+(?:(?:[A-Z][\w'’\-]*|[a-z]{1,3})\s+)*[A-Z][\w'’\-]*\?\s*$"
)
_CONDITIONS = {"if", "when", "whenever", "unless", "once", "until", "where"}
# Clauses whose subject a following "it" refers to ("Though this content is kept away, it ...").
_CONCESSIVE = {"though", "although", "while", "whereas"}
_DEMONSTRATIVES = {"this", "that", "these", "those"}
_PERSONAL = {"it", "they", "them", "he", "she", "him", "her"}
# "It is likely / long / time before ...": an "it" that stands for no thing.
_EXPLETIVE_VERBS = {"be", "seem", "appear", "remain", "take", "become"}
_MAX_ANTECEDENT_WORDS = 8
_WORD_RE = re.compile(r"[\w'’‘\-]+|[“”\"]")
_SKIP_CONTENT = {"be", "have", "do", "say", "then", "what", "which", "who", "how", "why", "when"}


def find_questions(parsed: Parsed) -> tuple[Question, ...]:
    document, sentences, docs = parsed.document, parsed.sentences, parsed.docs
    if not sentences:
        return ()
    headings = {p.id: p.heading for p in document.paragraphs}
    found: list[Question] = []
    title = squash(document.meta.title or "")
    if _is_question(title):
        # A headline is not a sentence of the body; it is cited at the body's first sentence,
        # where the piece starts answering it.
        answer = _headline_answer(parsed, parsed.title) if parsed.title is not None else None
        found.append(Question(text=title, kind="explicit", cite=cite(sentences[0]), answer=answer))
    last_heading = None
    for i, sentence in enumerate(sentences):
        heading = headings.get(sentence.paragraph)
        if heading != last_heading and heading and _is_question(heading):
            # A section heading asking a question: cited at the section's first sentence.
            answer = (
                None
                if _is_question(sentence.text)
                else _answer_text(parsed.headings[heading.strip()], docs[i], sentence.text)
            )
            found.append(Question(text=squash(heading), kind="explicit", cite=cite(sentence), answer=answer))
        last_heading = heading
        if _is_question(sentence.text):
            if _CITED_TITLE_RE.match(sentence.text):
                continue  # "- CRS Report R47299, ...: Who Is a Veteran?": a reading list entry
            if squash(sentence.text) == title:
                continue  # the headline repeated as the first line of the body
            found.append(
                Question(
                    text=squash(sentence.text),
                    kind="explicit",
                    cite=cite(sentence),
                    answer=_answer(sentences, docs, i),
                )
            )
            continue
        asked = _listed_question(sentence.text)
        if asked:
            found.append(
                Question(text=asked, kind="explicit", cite=cite(sentence), answer=_answer(sentences, docs, i))
            )
            continue
        if sentence.text[:1].islower():
            continue  # the tail of a sentence broken by a page break: its subject is on the other page
        if _CONTESTED_RE.search(sentence.text):
            text = _contested_question(docs[i])
            if text:
                found.append(
                    Question(
                        text=_restore_marks(text, sentence.text),
                        kind="contested",
                        cite=cite(sentence),
                        answer=_counter(sentences, i),
                    )
                )
                continue
        text = _uncertainty_question(docs[i], docs[i - 1] if i else None)
        if text:
            found.append(
                Question(text=_restore_marks(text, sentence.text), kind="uncertainty", cite=cite(sentence))
            )
    return tuple(found)


def _restore_marks(text: str, original: str) -> str:
    """The question as the source wrote its words: the parse reads typographic apostrophes as
    straight ones ("DPRK's"), the source has "DPRK’s"."""
    written = {normalise_marks(w): w for w in _WORD_RE.findall(original) if normalise_marks(w) != w}
    if not written:
        return text
    return _WORD_RE.sub(lambda m: written.get(m.group(), m.group()), text)


def _listed_question(text: str) -> str | None:
    """An indirect question set out as a list item ("- Whether legislation is needed."), as
    reports list the questions before a legislature; the item is the question, as written."""
    m = _LISTED_QUESTION_RE.match(text)
    if not m or len(text.split()) > _MAX_LISTED_WORDS:
        return None
    return squash(m.group("q")).rstrip(".;:")


def _is_question(text: str) -> bool:
    return text.rstrip(_CLOSERS).endswith("?")


def _content(doc) -> set[str]:
    return {
        t.lemma_.lower()
        for t in doc
        if t.is_alpha and not t.is_stop and t.lemma_.lower() not in _SKIP_CONTENT
    }


def _answer(sentences, docs, i: int) -> str | None:
    """The next sentence (which may open the next paragraph), when it is a statement that takes
    up the question: an elliptical reply ("Not formally: ...", "It can, in principle"), an answer
    cue ("the answer is"), or shared content words; never a sentence saying that nobody knows."""
    j = i + 1
    if j >= len(sentences) or _is_question(sentences[j].text):
        return None
    return _answer_text(docs[i], docs[j], sentences[j].text)


def _answer_text(question_doc, answer_doc, text: str) -> str | None:
    cues = lexicon.table(ANSWER_CUES)
    if any(kind == "open" and re.search(pattern, text, re.I) for kind, pattern in cues):
        return None
    replies = any(kind == "answer" and re.search(pattern, text, re.I) for kind, pattern in cues)
    if replies or _content(question_doc) & _content(answer_doc):
        return squash(text)
    return None


def _headline_answer(parsed: Parsed, question_doc) -> str | None:
    """The body sentence that answers a headline question: one marked as a judgment that takes
    up the question's own words (after the colon of "Topic: Question?")."""
    wanted = _content(question_doc[_after_colon(question_doc) :])
    if not wanted:
        return None
    thesis = thesis_scores(parsed)
    best, best_score = None, 0.0
    for i, doc in enumerate(parsed.docs):
        if thesis[i] <= 0 or _is_question(parsed.sentences[i].text):
            continue
        shared = len(wanted & _content(doc)) / len(wanted)
        score = shared + 2 * thesis[i] if shared else 0.0
        if score > best_score:
            best, best_score = i, score
    return squash(parsed.sentences[best].text) if best is not None else None


def _after_colon(doc) -> int:
    colon = next((t.i for t in doc if t.text == ":"), None)
    return colon + 1 if colon is not None else 0


def _counter(sentences, i: int) -> str | None:
    """The sentence, shortly after a reported view in the same paragraph, that answers it."""
    for j in range(i + 1, min(i + 4, len(sentences))):
        if sentences[j].paragraph != sentences[i].paragraph:
            break
        if _COUNTER_RE.match(sentences[j].text.strip()):
            return squash(sentences[j].text)
    return None


# -- rephrasing a hedged clause as a question --------------------------------------------------


def _uncertainty_question(doc, previous=None) -> str | None:
    text = _hedge_question(doc)
    if text is None:
        return None
    return _resolve_pronouns(text, doc, previous)


def _marked_open(text: str) -> bool:
    """Does the sentence say that what it hedges is not known (`data/open_markers.txt`)?"""
    return any(p.search(text) for p in _open_markers())


@functools.cache
def _open_markers() -> tuple[re.Pattern[str], ...]:
    return tuple(re.compile(p, re.I) for p in sorted(lexicon.words(OPEN_MARKERS)))


def _hedge_question(doc) -> str | None:
    # A modal or adverb hedge asks a question only where the text marks the matter as unknown.
    hedges_count = _marked_open(doc.text)
    for tok in doc:
        if not hedges_count:
            break
        if tok.tag_ == "MD" and tok.lower_ in _HEDGE_MODALS and _hedged_clause(tok):
            text = _invert(tok.head, drop={tok.i}, aux_word="will")
            if text:
                return text
        if tok.lower_ in _HEDGE_ADVERBS and tok.head.pos_ in ("VERB", "AUX") and tok.head.dep_ != "relcl":
            text = _invert(tok.head, drop={tok.i})
            if text:
                return text
    for tok in doc:
        if tok.lower_ in _HEDGE_ADJECTIVES and tok.pos_ == "ADJ":
            clause = _complement_clause(tok)
            if clause is not None:
                return _invert(clause, drop=set())
    m = _OPEN_PHRASE_RE.search(doc.text)
    if m:
        return _open_subject_question(doc, m.start())
    return None


def _resolve_pronouns(text: str, doc, previous) -> str | None:
    """The question with its personal pronouns named, or None when one cannot be. The pronouns
    are those of the parse that reappear in the question, in order."""
    for tok in doc:
        if (
            tok.lower_ in _DEMONSTRATIVES
            and tok.tag_ == "DT"
            and tok.dep_ in ("nsubj", "nsubjpass")
            and not list(tok.children)
            and _starts_with(text, tok.text)
        ):
            return None  # "Will this inhibit parties ...?": "this" is a whole earlier finding
        if tok.lower_ not in _PERSONAL or tok.tag_ != "PRP":
            continue
        pattern = re.compile(rf"(?<![\w'’]){re.escape(tok.text)}(?![\w'’])", re.I)
        if not pattern.search(text):
            continue
        if tok.lower_ == "it" and _expletive(tok):
            continue
        name = _antecedent(tok, previous)
        if name is None:
            return None
        capitalised = name[:1].upper() + name[1:]
        match = pattern.search(text)
        if match is not None:  # the first mention, capitalised when it opens the question
            text = text[: match.start()] + (name if match.start() else capitalised) + text[match.end() :]
    return text


def _starts_with(question: str, word: str) -> bool:
    """Whether the word is the subject right after the question's auxiliary ("Will this ...")."""
    words = question.split()
    return len(words) > 1 and words[1].lower() == word.lower()


def _expletive(tok) -> bool:
    verb = tok.head
    if verb.lemma_ not in _EXPLETIVE_VERBS or tok.dep_ not in ("nsubj", "expl"):
        return False
    return any(
        c.dep_ in ("acomp", "ccomp", "xcomp", "csubj")
        or (c.dep_ == "advmod" and c.lower_ in ("long", "soon", "early", "late", "too"))
        or (c.dep_ == "advcl" and any(m.lower_ in ("before", "until", "that") for m in c.children))
        for c in verb.children
    )


def _antecedent(tok, previous) -> str | None:
    """What the pronoun refers to, when the parse makes it clear:
    - "it": the subject of a concessive or adverbial clause before it in the sentence ("Though
      this 'content' is kept away, it might contain ..."), else the singular subject of the
      sentence before;
    - "they"/"them": the people the sentence names (two or more), else the plural subject of
      the sentence before;
    - "he"/"she"/"him"/"her": the one person the sentence names."""
    doc = tok.doc
    lower = tok.lower_
    if lower == "it":
        for clause in tok.head.children:
            if (
                clause.dep_ == "advcl"
                and clause.i < tok.i
                and any(m.lower_ in _CONCESSIVE for m in clause.children if m.dep_ == "mark")
            ):
                subject = next((c for c in clause.children if c.dep_ in ("nsubj", "nsubjpass")), None)
                if subject is not None and subject.tag_ in ("NN", "NNP"):
                    return _phrase(subject)
        # a subject "it" continues the subject before it; an object "it" could be anything
        return _previous_subject(previous, plural=False) if tok.dep_ == "nsubj" else None
    people = [e for e in doc.ents if e.label_ == "PERSON" and e.end <= tok.i]
    if lower in ("they", "them"):
        names = list(dict.fromkeys(e.text for e in people))
        if len(names) >= 2:
            return ", ".join(names[:-1]) + " and " + names[-1]
        return _previous_subject(previous, plural=True) if tok.dep_ == "nsubj" else None
    names = list(dict.fromkeys(e.text for e in people))
    return names[0] if len(names) == 1 else None


def _previous_subject(previous, *, plural: bool) -> str | None:
    if previous is None:
        return None
    root = next((t for t in previous if t.dep_ == "ROOT"), None)
    subject = next((c for c in root.children if c.dep_ in ("nsubj", "nsubjpass")), None) if root else None
    if subject is None or subject.pos_ == "PRON":
        return None
    if (subject.tag_ in ("NNS", "NNPS")) != plural:
        return None
    return _phrase(subject)


def _phrase(head) -> str | None:
    """A noun phrase short enough to stand in for a pronoun, without a clause of its own."""
    tokens = list(head.subtree)
    if len(tokens) > _MAX_ANTECEDENT_WORDS or any(t.pos_ in ("VERB", "AUX") for t in tokens):
        return None
    text = _join(tokens)
    return text if _keeps_case(tokens[0]) else text[0].lower() + text[1:]


def _hedged_clause(modal) -> bool:
    """Whether a modal marks doubt rather than permission or a general rule. "might" always
    does; "may" does when its clause is about something definite ("the prospect ... may be",
    "Congress may consider", "it may contain"), not about a class ("hearings may be held",
    "a committee may also hold"), and is not passive ("may be classified": a rule)."""
    verb = modal.head
    if verb.pos_ not in ("VERB", "AUX") or verb.dep_ == "relcl":
        return False
    if modal.lower_ == "might":
        return True
    if any(c.dep_ == "auxpass" for c in verb.children):
        return False
    if any(c.dep_ == "neg" for c in verb.children):
        return False  # "the Secretary may not impose": a prohibition
    if any(
        c.dep_ == "advcl" and any(m.lower_ in _CONDITIONS for m in c.children if m.dep_ == "mark")
        for c in verb.children
    ):
        return False  # "If a claimant disagrees, the claimant may appeal": a conditional permission
    subject = _subject(verb)
    if subject is None:
        return False
    if subject.pos_ in ("PROPN", "PRON") or subject.dep_ == "expl":
        return subject.lower_ not in _READER_SUBJECTS
    return any(c.dep_ in ("det", "poss") and c.lower_ in _DEFINITE for c in subject.children)


def _contested_question(doc) -> str | None:
    for tok in doc:
        if tok.lemma_ in (
            "believe",
            "argue",
            "contend",
            "claim",
            "suggest",
            "maintain",
            "insist",
            "fear",
            "worry",
            "assert",
            "hold",
            "say",
        ):
            clause = next((c for c in tok.children if c.dep_ == "ccomp"), None)
            if clause is None:
                continue
            last = len(doc) - 1
            while last > 0 and doc[last].is_punct:
                last -= 1
            if clause.right_edge.i < last:
                return None  # the view runs on past the clause the parse found: misparsed
            modal = next((c for c in clause.children if c.tag_ == "MD" and c.lower_ in _HEDGE_MODALS), None)
            if modal is not None:
                return _invert(clause, drop={modal.i}, aux_word="will")
            if _subject(clause) is None or clause.pos_ not in ("VERB", "AUX"):
                return None  # "... that by the time X becomes operational": a fragment
            words = [t for t in clause.subtree if t.dep_ != "mark" or t.head != clause]
            return _finish("Is it true that " + _join(words))
    return None


def _complement_clause(tok):
    """The clause a hedge governs: "likely that X", "unclear whether X", "whether X is uncertain",
    "it remains to be seen whether X"."""
    for holder in (tok, tok.head):
        for child in holder.children:
            if (child.dep_ == "ccomp" and child.i > tok.i) or child.dep_ == "csubj":
                return child
    for t in tok.head.subtree:
        if t.dep_ == "ccomp" and t.i > tok.i and t.left_edge.lower_ in _WH:
            return t
    return None


def _subject(verb):
    return next((c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass", "expl")), None)


def _invert(verb, *, drop: set[int], aux_word: str | None = None) -> str | None:
    """Subject-auxiliary inversion of the clause headed by `verb`: "there might be X" ->
    "Will there be X?", "the talks resumed" -> "Did the talks resume?". Conjoined clauses
    with their own subject are left out, as are words before the subject (markers, adverbials)."""
    subject = _subject(verb)
    if subject is None or subject.lower_ in _READER_SUBJECTS or verb.dep_ == "relcl":
        return None
    if any(t.lower_ in _RELATIVE and t.tag_ in ("WDT", "WP", "WP$") for t in subject.subtree):
        return None  # "..., which may then be used": the clause has no subject of its own
    cut = set(drop)
    for child in verb.children:
        if child.dep_ == "conj" and _subject(child) is not None:
            cut.update(t.i for t in child.subtree)
            cut.update(c.i for c in verb.children if c.dep_ == "cc" and c.i < child.i)
        if child.dep_ in ("mark", "advcl") and child.i < subject.i:
            cut.update(t.i for t in child.subtree)
    subj_tokens = list(subject.subtree)
    wh = None
    if subj_tokens[0].i > verb.left_edge.i:
        lead = [t for t in verb.subtree if t.i < subj_tokens[0].i and t.i not in cut]
        # only a wh-word of this clause ("how ... may perceive"), not one inside a phrase before
        # it ("In cases where X, Y may ...")
        fronted = [
            t
            for t in lead
            if t.lower_ in _WH and t.lower_ not in ("whether", "if") and verb.i in (t.head.i, t.head.head.i)
        ]  # of this clause, not of a phrase before it
        wh = next((t for t in fronted if t.head.i == verb.i), None)
        if fronted and wh is None:
            return None  # "what steps the claimant may take": the wh-phrase cannot be rebuilt
    if subject.lower_ in _WH:  # "what will happen": no inversion needed
        rest = [t for t in verb.subtree if t.i >= subject.i and t.i not in cut]
        return _finish(_join(rest))
    auxes = [c for c in verb.children if c.dep_ in ("aux", "auxpass") and c.i < verb.i and c.i not in cut]
    after = [
        t
        for t in verb.subtree
        if t.i > subj_tokens[-1].i and t.i not in cut and t.lower_ not in _HEDGE_ADVERBS
    ]
    if aux_word is None and auxes:
        aux_word = auxes[0].text
        after = [t for t in after if t.i != auxes[0].i]
    elif aux_word is None and verb.pos_ == "AUX":
        aux_word = verb.text
        after = [t for t in after if t.i != verb.i]
    elif aux_word is None:
        aux_word = {"VBD": "did", "VBZ": "does"}.get(verb.tag_, "do")
        after = [(verb.lemma_ if t.i == verb.i else t) for t in after]
    if aux_word in ("'s", "’s"):
        aux_word = "is"
    if aux_word == "will" and not _base_form_first(after):
        return None  # the modal's clause was misparsed ("Will the ISA has stated ...?")
    text = _compose(aux_word, subject, after)
    if wh is not None and text:
        text = wh.text.capitalize() + " " + text[0].lower() + text[1:]
    return text


def _base_form_first(after) -> bool:
    """Whether what follows the subject after "Will" starts with a bare verb ("contain",
    "not need", "also be"), as English requires."""
    for item in after:
        if isinstance(item, str):
            return True  # a lemma put there by do-support
        if item.dep_ in ("advmod", "neg") or item.is_punct:
            continue
        return item.tag_ == "VB"
    return False


def _compose(aux_word: str, subject, after) -> str | None:
    subj = list(subject.subtree)
    first = subj[0]
    head = first.text if _keeps_case(first) else first.text.lower()
    subj_text = head + first.whitespace_ + _join(subj[1:]) if len(subj) > 1 else head
    rest = _join(after)
    if not rest:
        return None
    return _finish(f"{aux_word.capitalize()} {subj_text.strip()} {rest}")


def _keeps_case(token) -> bool:
    if (token.text.isupper() and len(token.text) > 1) or token.text == "I":
        return True
    # A capital at the start of the sentence is the sentence's, not the word's ("Dependence on
    # foreign sources ...", "Quantum computers"), unless the word is a name.
    if token.is_sent_start and not token.ent_type_:
        return False
    return token.pos_ == "PROPN"


def _join(items) -> str:
    """Tokens (or plain words) back to text, keeping the source's own spacing."""
    out = []
    items = list(items)
    for k, item in enumerate(items):
        if isinstance(item, str):
            out.append(item + " ")
        else:
            out.append(item.text_with_ws if k + 1 < len(items) else item.text)
    return "".join(out).strip()


def _finish(text: str) -> str | None:
    text = _DANGLING_RE.sub("", squash(text)).rstrip(" .,;:!—–-")
    # A quotation closing at the end of the sentence ('... a permit."') loses its full stop, and
    # its mark when the opening one was left out with the words before it.
    while text[-1:] in ('"', "”") and (text.count('"') % 2 == 1 or text.count("“") < text.count("”")):
        text = text[:-1].rstrip(" .,;:!—–-")
    if text[-1:] in ('"', "”"):
        inner = text[:-1].rstrip(" .,;:!—–-")
        text = inner + text[-1]
    if text.count('"') % 2 == 1:  # a quotation cut by the clause: no dangling mark
        text = text.replace('"', "", 1) if text.rfind('"') < len(text) // 2 else "".join(text.rsplit('"', 1))
    if text.count("“") != text.count("”"):
        text = text.replace("“", "").replace("”", "")
    if len(text.split()) < 3:
        return None
    return text[0].upper() + text[1:] + "?"


def _open_subject_question(doc, char: int) -> str | None:
    """ "The prospect of X is still open." -> "Will the prospect of X materialize?";
    "The timing of X remains unclear." -> "What is the timing of X?" """
    verb = next((t for t in doc if t.idx >= char), None)
    if verb is None:
        return None
    clause = next(
        (
            c
            for c in verb.children
            if c.dep_ == "csubj"
            or (
                c.dep_ == "advcl"
                and c.i < verb.i
                and any(m.lower_ == "whether" for m in c.children if m.dep_ == "mark")
            )
        ),
        None,
    )  # the small model often reads a sentence-initial "Whether X" as an adverbial clause
    if clause is not None:  # "Whether X will fund Y remains an open question" -> "Will X fund Y?"
        return _invert(clause, drop=set())
    subject = _subject(verb)
    if subject is None:
        return None
    clause = _complement_clause(verb) if subject.lower_ == "it" else None
    if clause is None and subject.lower_ == "it":
        # "It remains unclear if X": the "if"/"whether" clause may hang from the adjective
        clause = next(
            (
                t
                for t in verb.subtree
                if t.dep_ in ("advcl", "ccomp")
                and t.i > verb.i
                and any(m.lower_ in ("if", "whether") for m in t.children if m.dep_ == "mark")
            ),
            None,
        )
    if clause is not None:  # "It remains to be seen whether X" -> the X clause
        return _invert(clause, drop=set())
    if subject.lower_ in _PERSONAL:
        return None  # "What is it?" asks nothing a reader can use
    tokens = [t for t in subject.subtree if t.dep_ != "punct" or t.i < subject.right_edge.i]
    phrase = _join(tokens)
    if any(t.lower_ in _RELATIVE and t.tag_ in ("WDT", "WP", "WP$") for t in tokens):
        return None
    if not _keeps_case(tokens[0]):
        phrase = phrase[0].lower() + phrase[1:]
    state = doc.text[char:].lower()
    if any(w in state for w in ("unclear", "unknown", "uncertain", "in doubt")):
        return _finish(f"What {'are' if subject.tag_ in ('NNS', 'NNPS') else 'is'} {phrase}")
    if subject.lemma_.lower() in _PROSPECT_HEADS:
        return _finish(f"Will {phrase} materialize")
    return _finish(f"How will {phrase} be resolved")
