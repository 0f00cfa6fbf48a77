"""Positions: the sentences in which an actor states or enacts its own stance, each cited.

A stance belongs to whoever speaks or acts in the sentence, found on the dependency parse:
- the speaker of a reporting frame ("X said / argued / insists / rejects / calls for / warns ..."),
  with everything X says: "Xi said that China supports ..." is Xi's, not China's;
- the holder of a stance ("X supports / wants / refuses ...", "X is willing to ...", "X confirmed
  its support for ...") or the agent of a policy act ("X launched / adopted / banned / funded ...",
  "a resolution backed by X");
- the speaker of a quotation that runs on into the next sentence.
The parties named inside what someone else says, finds or infers get nothing from it ("Critics say X
ignores ...", "researchers found that X ...", "the answer is obvious: X ignores ..."), nor do the
subjects of recommendations, options and conditions ("X should ...", "X might consider ...", "if X
agrees"), of relative clauses (background about a participant) or of questions.
An organ speaks for its actor ("the Chinese foreign ministry", "officials in Beijing", "researchers at
the Stimson Center", "a study published by X"). The verb lists are data (`lexicon`), each file saying
where its entries come from. Hand-written because no maintained library does stance attribution.
"""

from __future__ import annotations

import dataclasses
import functools
import logging
import re
from collections.abc import Sequence

from ..dates import MONTH_NAMES
from ..model import Actor, Cite, Position, Sentence
from . import gazetteer, lexicon
from .actors import Mention
from .parse import Parsed

logger = logging.getLogger(__name__)

# Modal auxiliaries: a stance under one is a recommendation, an option or a forecast ("X should
# propose", "X might wish", "X will not agree"), not one the actor has taken.
_MODALS = {"should", "could", "might", "may", "must", "can", "would", "will", "shall", "ought", "'d", "'ll"}
_HYPOTHETICAL_MARKS = {"if", "whether", "unless", "whenever", "once", "until", "lest"}
# Clause relations that make a predicate background rather than the sentence's report: a relative
# clause ("the ships it calls ..."), a clause modifying a noun, a subordinate clause of purpose or time.
_SUBORDINATE_DEPS = {
    "relcl",
    "acl",
    "advcl",
    "csubj",
    "csubjpass",
    "pcomp",
    "amod",
    "prep",
    "pobj",
    "npadvmod",
}
# Relations through which a predicate hangs on the speaker's frame: the content of what is said.
_CONTENT_DEPS = {"ccomp", "parataxis", "xcomp", "conj", "dobj", "advcl"}
_PERSON_PRONOUNS = {"he", "she", "him", "her"}
_PRONOUN_GENDER = {"he": "male", "him": "male", "she": "female", "her": "female"}
_FEMALE_TITLES = {"Mrs", "Ms", "Miss", "Madam", "Madame", "Lady", "Dame", "Queen", "Princess", "Baroness"}
_MALE_TITLES = {"Mr", "Sir", "Lord", "King", "Prince", "Baron"}
_THING_PRONOUNS = {"it", "they"}
_PRINCIPALS = {"secretary", "minister"}
_QUOTE_MARKS = set('"\u201c\u201d')
_CALL_PARTICLES = {"for", "on", "upon"}
# Verbs that state a stance only in one construction: "push/press for X" (not "pushed the deadline"),
# "treat / regard / view / count X as / among Y", "point to / out", "maintain that", "add X to".
_NEEDS_PREP = {
    "push": {"for"},
    "press": {"for"},
    "treat": {"as"},
    "regard": {"as"},
    "view": {"as"},
    "count": {"among", "as"},
    "point": {"to", "out"},
    "answer": {"with"},
    "pay": {"for"},
}
_NEEDS_CLAUSE = {
    "maintain",
    "note",
    "observe",
    "write",
    "find",
    "report",
    "rule",
    "conclude",
    "explain",
    "estimate",
    "respond",
    "reply",
}
# "offer / try / agree to do": the stance is the infinitive ("offered its best welcome" is courtesy).
_NEEDS_INFINITIVE = {"offer", "try", "strive"}
# Quantifiers that make a speaker noun a subset speaking for itself, not the body's voice: "several
# officials, speaking anonymously", "some members of Congress".
_SUBSET_WORDS = {"some", "several", "many", "few", "certain", "other", "two", "three"}
_NEEDS_OBJECT = {"add", "share", "pass", "file", "issue", "order", "close", "open", "create", "extend"}
# "confirm" states a stance only with a stance noun or a clause: "confirmed that he has received a
# letter" reports a fact the speaker stands behind, which is the speaker's claim.
_AVOWAL_VERBS = {
    "confirm",
    "reaffirm",
    "express",
    "reiterate",
    "voice",
    "declare",
    "announce",
    "pledge",
    "signal",
}


def _reporting() -> frozenset[str]:
    return lexicon.words("reporting_verbs")


@functools.cache
def _speaker_nouns() -> frozenset[str]:
    """Organs of state and members of a body: the nouns through which a named actor speaks."""
    return lexicon.words("state_organs") | lexicon.words("member_nouns")


@functools.cache  # asked for every verb of every sentence: the union is made once
def _frame_verbs() -> frozenset[str]:
    return (
        lexicon.words("reporting_verbs") | lexicon.words("stance_verbs") | lexicon.words("policy_act_verbs")
    )


def find_positions(
    parsed: Parsed, actors: tuple[Actor, ...], mentions: tuple[Mention, ...]
) -> tuple[Actor, ...]:
    """The same actors, in the same order, with `positions` filled (one per actor and sentence)."""
    publisher = _publisher_actor(parsed.document.meta.publisher, actors)
    principal = _principal_state(parsed.document.meta.publisher, actors)
    return attribute_positions(
        parsed.sentences, parsed.docs, mentions, actors, publisher=publisher, principal=principal
    )


def _principal_state(publisher: str | None, actors: tuple[Actor, ...]) -> str | None:
    """The state a ministry's readout speaks for ("U.S. Department of State" -> the United States):
    its principal, "the Secretary" or "the Minister", speaks for that state."""
    if not publisher:
        return None
    gaz = gazetteer.load()
    ids = {a.id for a in actors if a.kind == "state"}
    for m in gaz.names_re.finditer(gazetteer.normalize(publisher)):
        sid = gaz.names[m.group()]
        if sid in ids:
            return sid
    return None


def _publisher_actor(publisher: str | None, actors: tuple[Actor, ...]) -> str | None:
    """The actor a report's "we" stands for: the publisher named in the metadata when it is an actor
    of the text, else an institution that writes its reports as "we" and is named in them (GAO, CRS)."""
    wanted = (publisher or "").strip().lower()
    institutions = lexicon.words("institutional_authors.txt")
    for test in (lambda f: bool(wanted) and f == wanted, lambda f: f in institutions):
        for actor in actors:
            if actor.kind != "person" and any(test(f.lower()) for f in (actor.name, *actor.aliases)):
                return actor.id
    return None


def attribute_positions(
    sentences: Sequence[Sentence],
    docs: Sequence,
    mentions: Sequence[Mention],
    actors: tuple[Actor, ...],
    publisher: str | None = None,
    principal: str | None = None,
) -> tuple[Actor, ...]:
    """Positions from the parse and the actor mentions (one spaCy Doc per sentence, in order)."""
    wanted = {a.id for a in actors}
    kinds = {a.id: a.kind for a in actors}
    armies = _armed_forces(actors)
    genders = {a.id: _gender(a) for a in actors if a.kind == "person"}
    index_of = {s.id: i for i, s in enumerate(sentences)}
    by_sentence: dict[int, list[Mention]] = {}
    for m in mentions:
        if m.actor in wanted and m.sentence in index_of:
            by_sentence.setdefault(index_of[m.sentence], []).append(m)
    found: dict[str, list[Position]] = {a.id: [] for a in actors}
    previous_subject: str | None = None
    previous_mentions: list[Mention] = []
    previous_clause_subjects: list[str] = []
    previous_paragraph = None
    open_quote_speakers: list[str] = []  # who speaks in a quotation still open at the sentence's start
    for i, (sentence, doc) in enumerate(zip(sentences, docs, strict=True)):
        if sentence.paragraph != previous_paragraph:
            # Pronouns and open quotations are followed only within a paragraph.
            previous_subject, previous_mentions, open_quote_speakers = None, [], []
            previous_clause_subjects = []
        ctx = _Context(
            mentions=by_sentence.get(i, []),
            kinds=kinds,
            genders=genders,
            previous_subject=previous_subject,
            previous_mentions=previous_mentions,
            previous_clause_subjects=previous_clause_subjects,
            # A report's own "we" is its publisher's voice; inside a quotation "we" is the speaker's.
            publisher=None if _QUOTE_MARKS & set(sentence.text) else publisher,
            principal=principal,
            armies=armies,
        )
        text = sentence.text
        holders = [] if _is_question(text) else _holders(doc, ctx)
        if open_quote_speakers and _starts_inside_quote(text):
            holders = list(open_quote_speakers)  # the quotation goes on: its speaker goes on speaking
        cite = Cite(paragraph=sentence.paragraph, sentence=sentence.id)
        for actor_id in holders:
            found[actor_id].append(Position(text=text.strip(), cite=cite))
        if _leaves_quote_open(text):
            open_quote_speakers = holders or open_quote_speakers
        elif not _starts_inside_quote(text):
            open_quote_speakers = []
        previous_clause_subjects = [
            a for t in doc if t.dep_ == "nsubj" and (a := _covering(t.idx, t.idx + len(t.text), ctx.mentions))
        ]
        subject, other = _main_subject(doc, ctx)
        if other:
            # "The rule ... It also prohibits ...": a pronoun next goes back to that non-actor subject.
            previous_subject, previous_mentions = None, []
        else:
            previous_subject = subject or previous_subject
            previous_mentions = ctx.mentions or previous_mentions
        previous_paragraph = sentence.paragraph
    logger.debug("%d positions", sum(len(v) for v in found.values()))
    return tuple(dataclasses.replace(a, positions=tuple(found[a.id])) for a in actors)


@dataclasses.dataclass(frozen=True, kw_only=True)
class _Context:
    mentions: list[Mention]
    kinds: dict[str, str]
    genders: dict[str, str | None]
    previous_subject: str | None
    previous_mentions: list[Mention]
    previous_clause_subjects: list[str] = dataclasses.field(default_factory=list)
    publisher: str | None = None
    principal: str | None = None
    armies: dict[str, str] = dataclasses.field(default_factory=dict)  # state id -> its armed forces


def _holders(doc, ctx: _Context) -> list[str]:
    """The actors who speak or act in this sentence, in order."""
    holders: list[str] = []

    def add(ids) -> None:
        for actor_id in ids:
            if actor_id and actor_id not in holders:
                holders.append(actor_id)

    after_lead = _after_evaluative_lead(doc, ctx)
    for token in doc:
        if _is_frame(token) and _own_clause(token):
            if token.i >= after_lead and _lemma(token) not in _reporting():
                continue  # "The answer is obvious: X seeks ...": the author's characterisation
            if _lemma(token) in lexicon.words("policy_act_verbs") and not _specific_act(token):
                continue
            add(a for s in _agents(token) for a in _actors_of(s, ctx))
        elif _is_stance_word(token) and _own_clause(
            token.head if token.dep_ in ("dobj", "acomp", "prep") else token
        ):
            add(a for s in _stance_word_holders(token) for a in _actors_of(s, ctx))
        elif token.lower_ == "according" and token.dep_ == "prep" and _states_a_fact(token.head):
            # "According to NPS, the term is ..." is what NPS says (but "according to a report, a
            # promoter raised concern" is the promoter's, whom the report only relays).
            for to in token.children:
                add(a for o in to.children if o.dep_ == "pobj" for a in _actors_of(o, ctx))
    return holders


def _after_evaluative_lead(doc, ctx: _Context) -> int:
    """The token index after a colon that follows the author's own evaluative lead ("The answer is
    obvious:", "The bottom line:"): a lead with no actor in it and no verb but a copula. Stances
    after it are the author's characterisation; reports of speech after it still count."""
    colon = next((t for t in doc if t.text == ":"), None)
    if colon is None or colon.i < 2:
        return len(doc) + 1
    lead = doc[: colon.i]
    if any(m.start < colon.idx for m in ctx.mentions):
        return len(doc) + 1
    verbs = [t for t in lead if t.pos_ in ("VERB", "AUX")]
    if all(t.lemma_ == "be" for t in verbs):
        return colon.i + 1
    return len(doc) + 1


def _specific_act(token) -> bool:
    """Whether a policy act is a particular one the text reports, dated or named ("On 24 February the
    EU added 74 vessels", "NATO launched Baltic Sentry"), not a general description of what a body
    does ("Congress has designated certain memorials", "the FTC also prohibits unfair methods")."""
    scope = [token]
    while scope[-1].dep_ == "conj" and len(scope) < 6:
        scope.append(scope[-1].head)  # "On 1 February it closed X and banned Y": the first verb's date
    for verb in scope:
        for child in verb.children:
            words = [child] if child.dep_ == "advmod" else [g for g in child.children if g.dep_ == "pobj"]
            if child.dep_ in ("advmod", "prep", "npadvmod") and any(
                w.lower_ in _GENERAL_ADVERBS for w in words
            ):
                # "On numerous occasions, Congress has designated ...", "Congress regularly enacts"
                return False
    for verb in scope[:2]:
        for child in verb.children:
            if child.pos_ in ("VERB", "AUX") or child.dep_ in ("ccomp", "conj", "relcl", "advcl"):
                continue
            named = child.dep_ in ("dobj", "dative") or (
                child.dep_ == "prep" and child.lower_ in ("with", "through")
            )
            for t in _phrase(child):
                if t.ent_type_ == "DATE" and (any(ch.isdigit() for ch in t.text) or t.lower_ in _MONTHS):
                    return True
                if named and t.pos_ == "PROPN":
                    return True
            if (
                child.dep_ == "dobj"
                and child.tag_ == "NN"
                and verb.tag_ not in ("VBZ", "VBP")
                and (
                    any(
                        c.dep_ in ("det", "poss") and c.lower_ in _SINGULAR_DETERMINERS | {"'s"}
                        for c in child.children
                    )
                    or any(c.dep_ == "poss" for c in child.children)
                )
            ):
                return True  # one particular thing: "passed a law", "expelled Ethiopia's ambassador"
    return False


_GENERAL_ADVERBS = {
    "occasions",
    "instances",
    "often",
    "regularly",
    "sometimes",
    "usually",
    "typically",
    "generally",
    "routinely",
    "frequently",
}
_SINGULAR_DETERMINERS = {"a", "an", "the", "its", "their", "his", "her"}


_MAX_PHRASE_TOKENS = 60  # an object phrase longer than this is examined only in part (bounded cost)


def _phrase(token) -> list:
    """The tokens of a phrase without the clauses inside it ("memorials that are units of the
    National Park System" gives "memorials")."""
    out: list = []
    stack = [token]
    while stack and len(out) < _MAX_PHRASE_TOKENS:
        t = stack.pop()
        out.append(t)
        stack.extend(c for c in t.children if c.dep_ not in ("relcl", "acl", "ccomp", "advcl", "appos"))
    return out


_MONTHS = {name.lower() for name in MONTH_NAMES}  # the one month table


def _states_a_fact(root) -> bool:
    return root.lemma_ == "be" or any(c.dep_ in ("nsubjpass", "auxpass") for c in root.children)


def _lemma(token) -> str:
    lemma = token.lemma_.lower()
    # The lemmatizer misreads some inflections ("hopes" -> "hop"): fall back on the stem.
    return lemma if lemma in _frame_verbs() else _stem(token.lower_)


def _stem(form: str) -> str:
    verbs = _frame_verbs()
    for suffix, repl in (
        ("ies", "y"),
        ("ied", "y"),
        ("es", ""),
        ("s", ""),
        ("ed", ""),
        ("ed", "e"),
        ("d", ""),
    ):
        if form.endswith(suffix) and form[: -len(suffix)] + repl in verbs:
            return form[: -len(suffix)] + repl
    if form.endswith("ing"):
        for cand in (form[:-3], form[:-3] + "e"):
            if cand in verbs:
                return cand
    return form


def _is_frame(token) -> bool:
    """A reporting, stance or policy-act verb in a construction where it states a stance."""
    if token.pos_ not in ("VERB", "AUX"):
        return False
    if token.tag_ == "VBG" and not any(c.dep_ == "aux" and c.lemma_ == "be" for c in token.children):
        return False  # a gerund or participle ("signing treaties", "noting that"), not a finite report
    lemma = _lemma(token)
    if lemma not in _frame_verbs():
        return False
    children = list(token.children)
    # "treats the route as internal waters": the small model often hangs the preposition on the object.
    objects = [c for c in children if c.dep_ == "dobj"]
    preps = {
        c.lower_
        for c in (*children, *(g for o in objects for g in o.children))
        if c.dep_ in ("prep", "prt", "agent")
    }
    if lemma in _NEEDS_PREP and not preps & _NEEDS_PREP[lemma]:
        return False
    if lemma in _NEEDS_CLAUSE and not any(c.dep_ == "ccomp" for c in children):
        return False
    if lemma in _NEEDS_INFINITIVE and not any(c.dep_ == "xcomp" for c in children):
        return False
    if lemma in _NEEDS_OBJECT and not any(c.dep_ in ("dobj", "ccomp") for c in children):
        return False
    if lemma == "call" and not (
        preps & (_CALL_PARTICLES | {"attention"})
        or any(c.dep_ in ("oprd", "dobj", "ccomp") for c in children)
    ):
        return False
    if lemma == "confirm" and not any(c.dep_ in ("ccomp", "dobj") for c in children):
        return False
    return not _modal_or_conditional(token)


def _is_stance_word(token) -> bool:
    if token.pos_ == "ADJ" or (
        token.pos_ == "ADP" and token.lower_ == "against" and token.head.lemma_ == "be"
    ):
        return token.lower_ in lexicon.words("stance_adjectives") and token.dep_ in (
            "acomp",
            "ROOT",
            "conj",
            "xcomp",
            "oprd",
            "prep",
        )
    return (
        token.pos_ == "NOUN"
        and token.lemma_.lower() in lexicon.words("stance_nouns")
        and token.dep_ == "dobj"
        and _lemma(token.head) in _AVOWAL_VERBS
    )


def _stance_word_holders(token) -> list:
    if token.pos_ == "NOUN":
        # "X confirmed its support": the one who avows it, else the possessor.
        return _subjects(token.head) or [c for c in token.children if c.dep_ == "poss"]
    head = token.head if token.dep_ in ("acomp", "prep") else token
    if _modal_or_conditional(head):
        return []
    return _subjects(token) or _subjects(head)


def _modal_or_conditional(token) -> bool:
    """Whether the predicate is a recommendation, an option, a forecast or a condition: a modal on it
    (or on the verb it is conjoined to), or "if / whether / unless" over it, or "Should X ...?"."""
    clause = token
    for _ in range(6):
        children = list(clause.children)
        if any(c.dep_ == "aux" and c.lower_ in _MODALS for c in children):
            return True
        if any(c.dep_ == "mark" and c.lower_ in _HYPOTHETICAL_MARKS for c in children):
            return True
        if clause.dep_ not in ("conj", "xcomp") or clause.head is clause:
            return False
        clause = clause.head
    return False


def _own_clause(token) -> bool:
    """Whether the predicate is the sentence's own report: the main clause, or conjoined to it, not
    the content of someone else's saying, finding or inference, and not a subordinate clause."""
    clause = token
    for _ in range(12):
        if clause.dep_ == "ROOT" or clause.head is clause:
            return True
        dep = clause.dep_
        if dep in ("conj", "xcomp") or _coordinate_clause(clause) or _misparsed_main_verb(clause):
            clause = clause.head
            continue
        # A participle of manner after the frame ("..., noting that", "..., calling the move") and
        # any content clause belong to the governing frame, which is attributed by itself; only a
        # participle with its own agent ("a text, backed by X") reports an act of its own.
        return _backed_by(clause) and clause is token
    return False


def _coordinate_clause(clause) -> bool:
    """A clause before a colon or semicolon that the small model hangs on the clause after it ("Xi
    confirmed China's support in three aspects: China will ..."): a main clause of its own. So is the
    second half of a contrast ("Belgrade says ..., while Pristina says ...")."""
    head = clause.head
    if clause.dep_ == "ccomp" and clause.i < head.i:
        # "Russia has circulated a draft resolution ... that would extend ...": the relative clause
        # taken for the main one.
        if any(c.dep_ == "nsubj" and c.lower_ in ("that", "which", "who") for c in head.children):
            return True
        return any(
            c.dep_ == "punct" and c.text in (":", ";") and clause.right_edge.i < c.i < head.i
            for c in head.children
        )
    return clause.dep_ == "advcl" and any(
        c.dep_ == "mark" and c.lower_ in ("while", "whereas") for c in clause.children
    )


def _misparsed_main_verb(clause) -> bool:
    """A finite verb the small model attached to the sentence's first noun as a modifier ("Turkey,
    which trains ..., offered to mediate" parsed with "Turkey" as the root): that noun's predicate."""
    has_agent = any(c.dep_ == "agent" for c in clause.children)
    return (
        clause.dep_ == "acl"
        and (clause.tag_ in ("VBD", "VBZ", "VBP") or (clause.tag_ == "VBN" and not has_agent))
        and clause.head.dep_ == "ROOT"
        and clause.head.pos_ in ("NOUN", "PROPN")
    )


def _backed_by(clause) -> bool:
    """A participle with its agent after an object ("a resolution, backed by China"): the agent's
    own act, reported in passing."""
    return clause.dep_ == "acl" and clause.tag_ == "VBN" and any(c.dep_ == "agent" for c in clause.children)


def _agents(token) -> list:
    """Who does or says it: the subject of an active verb (inherited through "and" and "to"), or
    the "by" phrase of a passive or participle ("a resolution backed by China")."""
    by = [g for c in token.children if c.dep_ == "agent" for g in c.children if g.dep_ == "pobj"]
    if by:
        return by + [c for g in by for c in g.children if c.dep_ == "conj"]
    if _misparsed_main_verb(token):
        return [token.head]
    return [s for s in _subjects(token) if s.dep_ != "nsubjpass"]


def _subjects(token, depth: int = 0) -> list:
    """The subject tokens of a predicate, inherited through "and" (conj) and "to" (xcomp) chains, with
    conjoined subjects ("Russia and China reject ...")."""
    direct = [c for c in token.children if c.dep_ in ("nsubj", "nsubjpass")]
    if direct:
        out = []
        for s in direct:
            out.append(s)
            out.extend(c for c in s.children if c.dep_ == "conj")
        return out
    if token.dep_ == "xcomp" and any(c.dep_ == "dobj" for c in token.head.children):
        return []  # "It requires foreign ships to seek permission": the ships seek, not "it"
    if token.dep_ == "conj" and _noun_before(token):
        # "Hassan Sheikh visited Addis Ababa and the two governments agreed ...": the small model
        # took the second subject for a second object; the first subject did not agree.
        return []
    if depth < 4 and token.dep_ in ("conj", "xcomp", "acomp") and token.head is not token:
        return _subjects(token.head, depth + 1)
    return []


def _noun_before(verb) -> bool:
    """Whether a conjoined verb follows right after a noun conjoined to an object ("visited X and
    the two governments agreed"): that noun is the verb's own subject, misparsed."""
    j = verb.i - 1
    while j > 0 and verb.doc[j].pos_ in ("ADV", "AUX", "PART"):
        j -= 1
    prev = verb.doc[j]
    return prev.pos_ in ("NOUN", "PROPN") and prev.dep_ == "conj" and prev.head.dep_ in ("dobj", "pobj")


def _actors_of(subject, ctx: _Context) -> list[str]:
    """The actors a subject stands for (several for "the presidents of Egypt, Eritrea and Somalia")."""
    for child in subject.children:
        if child.dep_ == "appos":
            found = _covering(child.idx, child.idx + len(child.text), ctx.mentions)
            if found and ctx.kinds.get(found) == "person":
                return [found]  # "Estonia's foreign minister, Margus Tsahkna, has accused ..."
    if subject.lower_ in _PRINCIPALS and ctx.principal and _bare_title(subject, ctx):
        return [ctx.principal]  # "The Secretary underscored ..." in the ministry's own readout
    speaks_for = subject.lower_ in _speaker_nouns() or subject.lower_ in lexicon.words("document_nouns")
    if speaks_for and _covering(subject.idx, subject.idx + len(subject.text), ctx.mentions) is None:
        if any(c.dep_ in ("det", "nummod", "amod") and c.lower_ in _SUBSET_WORDS for c in subject.children):
            return []
        return _speaking_for(subject, ctx)
    found = _actor_of(subject, ctx)
    return [found] if found else []


def _actor_of(subject, ctx: _Context) -> str | None:
    lower = subject.lower_
    if lower == "we":
        return ctx.publisher
    if lower in _PRINCIPALS and ctx.principal and _bare_title(subject, ctx):
        return ctx.principal  # "The Secretary underscored ..." in the ministry's own readout
    if lower in _PERSON_PRONOUNS:
        return _antecedent(subject, ctx, ("person",), _PRONOUN_GENDER[lower])
    if lower in _THING_PRONOUNS:
        return _antecedent(subject, ctx, ("state", "organization", "group"), None)
    # "Estonia's foreign minister, Margus Tsahkna, has accused ...": the person named in apposition.
    for child in subject.children:
        if child.dep_ == "appos":
            found = _covering(child.idx, child.idx + len(child.text), ctx.mentions)
            if found and ctx.kinds.get(found) == "person":
                return found
    found = _covering(subject.idx, subject.idx + len(subject.text), ctx.mentions)
    if found:
        return found
    return None


_MILITARY_WORDS = {"army", "military"}
_ARMED_FORCES_NAME = (
    r"^(?:the\s+)?(\w+)\s+(?:Armed\s+Forces|Army|Military|Defen[cs]e\s+Forces|Defence\s+Force)$"
)


def _armed_forces(actors: tuple[Actor, ...]) -> dict[str, str]:
    """State id -> the actor that is its armed forces ("Sudanese Armed Forces" for Sudan), so that
    "Sudanese army officials" speak for the armed forces, not for the state as a whole."""
    gaz = gazetteer.load()
    out: dict[str, str] = {}
    for actor in actors:
        m = re.match(_ARMED_FORCES_NAME, actor.name)
        if m and actor.kind in ("organization", "group") and m.group(1) in gaz.demonyms:
            out.setdefault(gaz.demonyms[m.group(1)], actor.id)
    return out


def _military_voice(noun, found: list[str], ctx: _Context) -> list[str]:
    """ "Sudanese army officials", "the Sudanese military": the state's armed forces when they act
    in the text as an actor of their own."""
    words = {noun.lower_} | {c.lower_ for c in noun.children if c.dep_ in ("compound", "amod", "nmod")}
    if not (words & _MILITARY_WORDS) or not ctx.armies:
        return found
    return [ctx.armies.get(a, a) for a in found]


def _bare_title(noun, ctx: _Context) -> bool:
    """ "The Secretary", not "the Kenyan minister" or "Secretary Rubio": no modifier names another."""
    if _covering(noun.idx, noun.idx + len(noun.text), ctx.mentions):
        return False
    return all(c.dep_ == "det" and c.lower_ == "the" for c in noun.children if c.i < noun.i)


def _speaking_for(noun, ctx: _Context) -> list[str]:
    """The actors an organ, a group of members or a document speaks for: its possessor or modifier
    ("China's foreign ministry", "Finnish and Estonian officials", "its government"), the object of
    "of / at / from / in / by" ("researchers at the Stimson Center", "the presidents of Egypt and
    Eritrea"), or the agent of a participle ("a study published by X")."""
    for child in noun.children:
        if child.dep_ in ("poss", "compound", "amod", "nmod"):
            if child.lower_ in ("its", "their"):
                found = _antecedent(child, ctx, ("state", "organization", "group"), None)
                return [found] if found else []
            found_all = _covered_with_conjuncts(child, ctx)
            if (
                found_all
                and ctx.kinds.get(found_all[0]) == "person"
                and noun.lower_ in ("government", "administration")
            ):
                return []  # "the Marcos government" speaks for the state, which the name does not say
            if found_all:
                return _military_voice(noun, found_all, ctx)
        if child.dep_ == "prep" and child.lower_ in ("at", "from", "of", "in", "by"):
            for obj in child.children:
                if obj.dep_ == "pobj" and (found_all := _covered_with_conjuncts(obj, ctx)):
                    return found_all
        if child.dep_ == "acl":
            for agent in child.children:
                if agent.dep_ in ("agent", "prep") and agent.lower_ == "by":
                    for obj in agent.children:
                        if found_all := _covered_with_conjuncts(obj, ctx):
                            return found_all
    return []


def _covered_with_conjuncts(token, ctx: _Context) -> list[str]:
    out = []
    for t in (token, *(c for c in token.children if c.dep_ == "conj")):
        found = _covering(t.idx, t.idx + len(t.text), ctx.mentions)
        if found and found not in out:
            out.append(found)
    return out


def _covering(start: int, end: int, mentions: list[Mention]) -> str | None:
    for m in mentions:
        if m.start <= start and end <= m.end:
            return m.actor
    return None


def _antecedent(pronoun, ctx: _Context, kinds: tuple[str, ...], gender: str | None) -> str | None:
    """What a pronoun subject stands for: the subject of a clause that governs it in the same sentence
    ("Blair said he is intending to..."), else the previous sentence's subject, else that sentence's
    last mention, each of the right kind and not of the other gender where titles tell it."""

    def fits(actor_id: str | None) -> bool:
        return (
            actor_id is not None
            and ctx.kinds.get(actor_id) in kinds
            and (gender is None or ctx.genders.get(actor_id) in (None, gender))
        )

    head = pronoun.head
    for _ in range(4):
        for child in head.children:
            if child.dep_ in ("nsubj", "nsubjpass") and child is not pronoun:
                actor_id = _covering(child.idx, child.idx + len(child.text), ctx.mentions)
                if fits(actor_id):
                    return actor_id
        if head.head is head:
            break
        head = head.head
    if fits(ctx.previous_subject):
        return ctx.previous_subject
    # "KCNA announced that Kim received Trump's reply. He also expressed ...": a subject of the
    # previous sentence's clauses before its other mentions.
    for actor_id in reversed(ctx.previous_clause_subjects):
        if fits(actor_id):
            return actor_id
    for m in reversed(ctx.previous_mentions):
        if fits(m.actor):
            return m.actor
    return None


def _gender(actor: Actor) -> str | None:
    """ "Mrs Howard" is a woman, "Mr Straw" a man; without such a title the gender is unknown."""
    for form in (actor.name, *actor.aliases):
        first = form.split()[0].rstrip(".") if form.split() else ""
        if first in _FEMALE_TITLES:
            return "female"
        if first in _MALE_TITLES:
            return "male"
    return None


def _main_subject(doc, ctx: _Context) -> tuple[str | None, bool]:
    """The actor that is the main clause's subject, and whether that subject is instead a noun
    phrase naming no actor (which a pronoun in the next sentence more likely stands for)."""
    other = False
    for token in doc:
        if token.dep_ == "ROOT":
            for s in _subjects(token):
                actor_id = _actor_of(s, ctx)
                if actor_id:
                    return actor_id, False
                other = other or (s.pos_ in ("NOUN", "PROPN") and s.lower_ not in _THING_PRONOUNS)
    return None, other


def _is_question(text: str) -> bool:
    return text.rstrip(" \"'\u201d\u2019)").endswith("?")


_OPENING = "\u201c"
_CLOSING = "\u201d"


def _quote_balance(text: str) -> int:
    """Open minus closed quotation marks (curly marks counted as such; straight ones by parity)."""
    curly = text.count(_OPENING) - text.count(_CLOSING)
    return curly if (_OPENING in text or _CLOSING in text) else text.count('"') % 2


def _leaves_quote_open(text: str) -> bool:
    return _quote_balance(text) > 0


def _starts_inside_quote(text: str) -> bool:
    """A sentence inside a quotation opened earlier: it closes one it never opened."""
    if _OPENING in text or _CLOSING in text:
        first_close, first_open = text.find(_CLOSING), text.find(_OPENING)
        return first_close >= 0 and (first_open < 0 or first_close < first_open)
    return text.count('"') % 2 == 1 and not text.lstrip().startswith('"')
