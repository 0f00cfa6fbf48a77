"""Positions: the sentences that state what an actor supports, opposes, wants, insists on, rejects,
proposes, is willing to do or hopes for, each cited.

The dependency parse finds stance verbs ("supports", "rejects", "calls for"), stance adjectives
("is willing to", "is eager to") and stance nouns with a possessor ("China's resolute support"); their
subject (or possessor) is resolved to an actor through the actor mentions, a simple "he"/"it" through
the previous sentence's subject. Hand-written because no maintained library does stance attribution.
"""

from __future__ import annotations

import dataclasses
import logging

from ..model import Actor, Cite, Position
from .actors import Mention
from .parse import Parsed

logger = logging.getLogger(__name__)

STANCE_VERBS = frozenset(
    {
        "support",
        "oppose",
        "want",
        "insist",
        "reject",
        "propose",
        "hope",
        "stress",
        "confirm",
        "urge",
        "demand",
        "seek",
        "favor",
        "favour",
        "welcome",
        "condemn",
        "aim",
        "strive",
        "pledge",
        "vow",
        "intend",
        "agree",
        "refuse",
        "wish",
        "adhere",
        "advocate",
        "back",
        "endorse",
        "denounce",
        "criticize",
        "criticise",
        "warn",
        "choose",
        "promise",
        "prefer",
        "emphasize",
        "emphasise",
        "reaffirm",
        "reiterate",
        "request",
        "recommend",
        "suggest",
        "resist",
        "veto",
        "approve",
        "commit",
        "decline",
        "deny",
        "accept",
        "push",
        "press",
        "argue",
        "maintain",
        "underline",
        "underscore",
        "call",
    }
)
STANCE_ADJECTIVES = frozenset(
    {
        "willing",
        "unwilling",
        "ready",
        "prepared",
        "determined",
        "eager",
        "committed",
        "opposed",
        "keen",
        "reluctant",
        "resolved",
        "against",
        "supportive",
        "open",
    }
)
# Nouns that state a stance when an actor possesses them ("China's resolute support for the DPRK").
STANCE_NOUNS = frozenset(
    {
        "support",
        "opposition",
        "commitment",
        "proposal",
        "demand",
        "insistence",
        "stance",
        "position",
        "call",
        "offer",
        "pledge",
        "rejection",
        "objection",
        "plan",
        "wish",
        "hope",
    }
)


def _inflections(verbs) -> frozenset[str]:
    """Regular inflected forms, because the lemmatizer misreads some ("hopes" -> "hop")."""
    forms = set()
    for v in verbs:
        stem = v[:-1] if v.endswith("e") else v
        forms |= {v, v + "s", v + "es", v + "d", v + "ed", stem + "ed", stem + "ing"}
        if v.endswith("y"):
            forms |= {v[:-1] + "ies", v[:-1] + "ied"}
    return frozenset(forms)


_STANCE_FORMS = _inflections(STANCE_VERBS)
_CALL_PARTICLES = {"for", "on", "upon"}
# Verbs that state a stance only in one construction: "push/press for X" (not "pushed the deadline
# to 2025"), "maintain that X" (not "maintained cash reserves").
_NEEDS_FOR = {"push", "press"}
_NEEDS_CLAUSE = {"maintain"}
# A stance inside a condition or an open alternative is hypothetical: "Should Congress choose not to
# legislate, ...", "regardless of whether Congress chooses to regulate".
_HYPOTHETICAL_MARKS = {"if", "whether", "unless"}
# A stance noun counts when the actor is reported holding it ("confirmed China's support"), not when
# someone else seeks it ("a chance to win China's support"). "confirm" itself states a stance only
# with such a noun: "Trump confirmed that he has received a letter" reports a fact.
_AVOWAL_VERBS = {
    "confirm",
    "reaffirm",
    "express",
    "reiterate",
    "voice",
    "declare",
    "announce",
    "pledge",
    "stress",
    "show",
    "signal",
    "state",
    "restate",
    "repeat",
    "make",
}
_PERSON_PRONOUNS = {"he", "she", "him", "her"}
_PRONOUN_GENDER = {"he": "male", "him": "male", "she": "female", "her": "female"}
_FEMALE_TITLES = {"Mrs", "Ms", "Miss", "Madam", "Madame", "Lady", "Dame", "Queen", "Princess", "Baroness"}
_MALE_TITLES = {"Mr", "Sir", "Lord", "King", "Prince", "Baron"}
_THING_PRONOUNS = {"it", "they"}
# Heads through which an actor speaks: "the Trump administration is eager to..." is Trump's position.
_ORGAN_HEADS = {
    "administration",
    "government",
    "side",
    "leadership",
    "ministry",
    "spokesman",
    "spokesperson",
    "spokeswoman",
    "delegation",
    "officials",
    "authorities",
    "regime",
}


# People who speak for the body they belong to when the text names it: "researchers at X".
_MEMBER_HEADS = {
    "researchers",
    "analysts",
    "experts",
    "scholars",
    "economists",
    "scientists",
    "staff",
    "representatives",
    "members",
    "leaders",
    "diplomats",
    "negotiators",
    "lawyers",
}
_SPEAKER_HEADS = _ORGAN_HEADS | _MEMBER_HEADS


def find_positions(
    parsed: Parsed, actors: tuple[Actor, ...], mentions: tuple[Mention, ...]
) -> tuple[Actor, ...]:
    """The same actors, in the same order, with `positions` filled (one per actor and sentence)."""
    sentences = parsed.sentences
    wanted = {a.id: a for a in actors}
    kinds = {a.id: a.kind for a in actors}
    genders = {a.id: _gender(a) for a in actors if a.kind == "person"}
    by_sentence: dict[int, list[Mention]] = {}
    index_of = {s.id: i for i, s in enumerate(sentences)}
    for m in mentions:
        if m.actor in wanted:
            by_sentence.setdefault(index_of[m.sentence], []).append(m)
    found: dict[str, list[Position]] = {a.id: [] for a in actors}
    previous_subject: str | None = None
    previous_mentions: list[Mention] = []
    previous_paragraph = None
    for i, (sentence, doc) in enumerate(zip(sentences, parsed.docs, strict=True)):
        if sentence.paragraph != previous_paragraph:
            # Pronouns are resolved only within a paragraph: across one the guess is too loose.
            previous_subject, previous_mentions = None, []
        mentions = by_sentence.get(i, [])
        context = _Context(
            mentions=mentions,
            kinds=kinds,
            genders=genders,
            previous_subject=previous_subject,
            previous_mentions=previous_mentions,
        )
        holders: list[str] = []
        for token in doc:
            for actor_id in _stance_holders(token, context):
                if actor_id not in holders:
                    holders.append(actor_id)
        cite = Cite(paragraph=sentence.paragraph, sentence=sentence.id)
        for actor_id in holders:
            found[actor_id].append(Position(text=sentence.text.strip(), cite=cite))
        previous_subject = _main_subject(doc, context) or previous_subject
        previous_mentions = mentions or previous_mentions
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


def _stance_holders(token, ctx: _Context) -> list[str]:
    """The actors whose stance this token states (empty when it is not a stance word)."""
    lemma = token.lemma_.lower()
    if token.pos_ in ("VERB", "AUX") and (lemma in STANCE_VERBS or token.lower_ in _STANCE_FORMS):
        if token.lower_.startswith("call") and not any(c.lower_ in _CALL_PARTICLES for c in token.children):
            return []
        if token.lower_.startswith("confirm") and not any(
            c.dep_ == "dobj" and c.lemma_.lower() in STANCE_NOUNS for c in token.children
        ):
            return []
        if lemma in _NEEDS_FOR and not any(c.lower_ == "for" for c in token.children):
            return []
        if lemma in _NEEDS_CLAUSE and not any(c.dep_ == "ccomp" for c in token.children):
            return []
        if _hypothetical(token):
            return []
        # The subject of a passive stance verb is what is supported, not who supports it
        # ("Bitcoin was originally intended to serve ...").
        subjects = [s for s in _subjects(token) if s.dep_ != "nsubjpass"]
    elif (
        token.pos_ == "ADJ"
        and token.lemma_.lower() in STANCE_ADJECTIVES
        and token.dep_ in ("acomp", "ROOT", "conj", "xcomp", "oprd")
    ):
        subjects = _subjects(token) or _subjects(token.head)
    elif (
        token.pos_ == "ADP"
        and token.lower_ == "against"
        and token.dep_ == "prep"
        and token.head.lemma_ == "be"
    ):
        subjects = _subjects(token.head)
    elif (
        token.pos_ == "NOUN"
        and token.lemma_.lower() in STANCE_NOUNS
        and token.dep_ == "dobj"
        and token.head.lemma_.lower() in _AVOWAL_VERBS
    ):
        subjects = [c for c in token.children if c.dep_ == "poss"]
    else:
        return []
    holders = []
    for subject in subjects:
        actor_id = _actor_of(subject, ctx)
        if actor_id and actor_id not in holders:
            holders.append(actor_id)
    return holders


def _hypothetical(token) -> bool:
    """Whether the stance verb sits in a condition ("if X supports", "Should X choose ...") or an
    open alternative ("whether X chooses to ...", "whether to codify what it seeks")."""
    clause = token
    for _ in range(6):
        if any(c.dep_ == "mark" and c.lower_ in _HYPOTHETICAL_MARKS for c in clause.children):
            return True
        subject = next((c for c in clause.children if c.dep_ in ("nsubj", "nsubjpass")), None)
        if subject is not None and any(
            c.dep_ == "aux" and c.lower_ in ("should", "were", "had") and c.i < subject.i
            for c in clause.children
        ):
            return True  # "Should Congress choose ...": an inverted condition
        if clause.dep_ == "ROOT" or clause.head is clause:
            return False
        clause = clause.head
    return False


def _subjects(token, depth: int = 0) -> list:
    """The subject tokens of a predicate, inherited through "and" (conj) and "to" (xcomp) chains, with
    conjoined subjects ("Kim Jong-un and his comrades")."""
    direct = [c for c in token.children if c.dep_ in ("nsubj", "nsubjpass")]
    if direct:
        out = []
        for s in direct:
            out.append(s)
            out.extend(c for c in s.children if c.dep_ == "conj")
        return out
    if token.dep_ == "xcomp" and any(c.dep_ == "dobj" for c in token.head.children):
        return []  # "It requires foreign ships to seek permission": the ships seek, not "it"
    if depth < 4 and token.dep_ in ("conj", "xcomp", "acomp", "advcl") and token.head is not token:
        return _subjects(token.head, depth + 1)
    return []


def _actor_of(subject, ctx: _Context) -> str | None:
    lower = subject.lower_
    if lower in _PERSON_PRONOUNS:
        return _antecedent(subject, ctx, ("person",), _PRONOUN_GENDER[lower])
    if lower in _THING_PRONOUNS:
        return _antecedent(subject, ctx, ("state", "organization", "group"), None)
    found = _covering(subject.idx, subject.idx + len(subject.text), ctx.mentions)
    if found:
        return found
    if subject.lower_ in _SPEAKER_HEADS:
        for child in subject.children:
            if child.dep_ in ("poss", "compound", "amod"):
                found = _covering(child.idx, child.idx + len(child.text), ctx.mentions)
                if found:
                    return found
            # "Researchers at the Stimson Center argued ...", "officials from the ministry said ..."
            if child.dep_ == "prep" and child.lower_ in ("at", "from", "of", "in"):
                for obj in child.children:
                    if obj.dep_ == "pobj":
                        found = _covering(obj.idx, obj.idx + len(obj.text), ctx.mentions)
                        if found:
                            return found
    return None


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


def _main_subject(doc, ctx: _Context) -> str | None:
    for token in doc:
        if token.dep_ == "ROOT":
            for s in _subjects(token):
                actor_id = _actor_of(s, ctx)
                if actor_id:
                    return actor_id
    return None
