"""Key points: a ranked extractive selection of the sentences that carry the piece.

Score = centrality over the sentence similarity graph (TF-IDF cosine, continuous LexRank)
combined with what the analysis knows: closeness to the title, position in the text,
paragraph openings, actor and framework density, and figures. Redundancy is removed with
maximal marginal relevance (MMR), so the points are returned in rank order, each cited.

LexRank and MMR are a few lines of numpy here because the summarisation libraries that
implement them (sumy) would pull NLTK data and a second tokenizer into the runtime, and we
need them over our own sentence ids and parse, mixed with our own signals.
"""

from __future__ import annotations

import logging
import math
import re
from collections import Counter

import numpy as np

from ..model import Actor, Framework, KeyPoint, Sentence
from .actors import Mention, actor_mentions
from .parse import Parsed
from .text import cite, normalise_marks, squash

logger = logging.getLogger(__name__)

DAMPING = 0.85
MMR_LAMBDA = 0.85
DUPLICATE = 0.9  # cosine above which two sentences say the same thing
MIN_WORDS = 6  # shorter lines are datelines, captions and headings, not points
POSITION_HALF = 20  # the 20th sentence gets half the position weight of the first
# Chosen on the benchmarks as a whole (bench/keypoints.py, README), the same for every set.
# Paragraph openings, figures and sentence length were measured too and did not help.
WEIGHTS = {
    "centrality": 0.40,  # LexRank over TF-IDF cosine
    "overlap": 0.10,  # TextRank-style word overlap: favours sentences covering several topics
    "position": 0.40,
    "title": 0.05,
    "entities": 0.05,  # actor and framework mentions
}
_END_RE = re.compile(r"[.!?][\"'”’)\]]*$")
# The courtesies of testimony ("Thank you for the opportunity ...", "This concludes my
# statement") are not points. (Pointers to other reading, "For more detail, see CRS Report ...",
# were weighed down too, but the analysts' own summaries of short reports keep them: measured
# on bench/keypoints.py, crs-reports R-1 0.611 -> 0.603, so they are left to the ranking.)
_COURTESY_RE = re.compile(
    r"^(?:thank\s+you\b|this\s+concludes\s+(?:my|our)\b|(?:I|we)\s+(?:would\s+be|am|are|will\s+be)\s+"
    r"(?:happy|pleased|glad)\s+to\s+(?:answer|respond|take))",
    re.I,
)


def select_key_points(
    parsed: Parsed,
    n: int,
    *,
    actors: tuple[Actor, ...] = (),
    mentions: tuple[Mention, ...] = (),
    frameworks: tuple[Framework, ...] = (),
) -> tuple[KeyPoint, ...]:
    sentences, docs = parsed.sentences, parsed.docs
    if n <= 0 or not sentences:
        return ()
    bags = [_bag(d) for d in docs]
    eligible = [i for i, s in enumerate(sentences) if _eligible(s, docs[i])]
    if not eligible:
        eligible = list(range(len(sentences)))
    scores, sim = _scores(parsed, bags, actors, mentions, frameworks)
    picked = _mmr(scores, sim, eligible, n)
    return tuple(
        KeyPoint(text=squash(sentences[i].text), score=round(float(scores[i]), 4), cite=cite(sentences[i]))
        for i in picked
    )


def rank_sentences(
    parsed: Parsed,
    actors: tuple[Actor, ...] = (),
    mentions: tuple[Mention, ...] = (),
    frameworks: tuple[Framework, ...] = (),
) -> list[float]:
    """The combined score of every sentence before redundancy removal (for inspection and benches)."""
    scores, _ = _scores(parsed, [_bag(d) for d in parsed.docs], actors, mentions, frameworks)
    return [float(x) for x in scores]


def _bag(doc) -> Counter:
    return Counter(
        t.lemma_.lower() for t in doc if (t.is_alpha or t.like_num) and not t.is_stop and len(t.text) > 1
    )


def _eligible(sentence: Sentence, doc) -> bool:
    words = sum(1 for t in doc if t.is_alpha)
    has_verb = any(t.pos_ in ("VERB", "AUX") for t in doc)
    # A question is an open question, not a point the piece makes.
    ends = _END_RE.search(sentence.text.strip())
    return (
        words >= MIN_WORDS
        and has_verb
        and bool(ends)
        and not ends.group().startswith("?")
        and not _COURTESY_RE.match(sentence.text.strip())
    )


def _tfidf(bags: list[Counter], extra: list[Counter]) -> tuple[np.ndarray, np.ndarray]:
    """Unit-length TF-IDF rows for the sentences (and extra texts such as the title),
    with document frequencies counted over the sentences only."""
    vocab: dict[str, int] = {}
    df: Counter = Counter()
    for bag in bags:
        df.update(bag.keys())
        for w in bag:
            vocab.setdefault(w, len(vocab))
    n = len(bags)
    idf = np.zeros(len(vocab))
    for w, j in vocab.items():
        idf[j] = math.log((1 + n) / (1 + df[w])) + 1.0

    def rows(items: list[Counter]) -> np.ndarray:
        m = np.zeros((len(items), len(vocab)))
        for i, bag in enumerate(items):
            for w, c in bag.items():
                j = vocab.get(w)
                if j is not None:
                    m[i, j] = (1.0 + math.log(c)) * idf[j]
        norms = np.linalg.norm(m, axis=1, keepdims=True)
        return m / np.where(norms == 0, 1.0, norms)

    return rows(bags), rows(extra)


def _lexrank(sim: np.ndarray) -> np.ndarray:
    """Continuous LexRank (Erkan & Radev 2004): PageRank over the cosine-weighted graph."""
    n = sim.shape[0]
    graph = sim.copy()
    np.fill_diagonal(graph, 0.0)
    sums = graph.sum(axis=1, keepdims=True)
    trans = np.where(sums > 0, graph / np.where(sums == 0, 1.0, sums), 1.0 / n)
    rank = np.full(n, 1.0 / n)
    for _ in range(100):
        nxt = (1 - DAMPING) / n + DAMPING * trans.T @ rank
        if np.abs(nxt - rank).sum() < 1e-9:
            rank = nxt
            break
        rank = nxt
    return rank


def _overlap(bags: list[Counter]) -> np.ndarray:
    """TextRank's sentence similarity (Mihalcea & Tarau 2004): shared words over summed log
    lengths. Unlike cosine it lets a long sentence that covers many topics gather weight."""
    n = len(bags)
    sets = [set(b) for b in bags]
    logs = [math.log(len(x)) if len(x) > 1 else 0.0 for x in sets]
    m = np.zeros((n, n))
    for i in range(n):
        for j in range(i + 1, n):
            denom = logs[i] + logs[j]
            if denom > 0:
                m[i, j] = m[j, i] = len(sets[i] & sets[j]) / denom
    return m


def _scaled(values: np.ndarray) -> np.ndarray:
    top = values.max() if len(values) else 0.0
    return values / top if top > 0 else np.zeros_like(values)


def _scores(parsed, bags, actors, mentions, frameworks) -> tuple[np.ndarray, np.ndarray]:
    features, sim = _features(parsed, bags, actors, mentions, frameworks)
    score = sum(WEIGHTS[name] * values for name, values in features.items())
    return score, sim


def _features(parsed, bags, actors, mentions, frameworks) -> tuple[dict[str, np.ndarray], np.ndarray]:
    """Each signal per sentence, scaled to [0, 1], and the sentence similarity matrix."""
    sentences = parsed.sentences
    n = len(sentences)
    title_bag = _bag(parsed.title) if parsed.title is not None else Counter()
    vectors, title_vec = _tfidf(bags, [title_bag])
    sim = vectors @ vectors.T
    features = {
        "centrality": _scaled(_lexrank(sim)),
        "overlap": _scaled(_lexrank(_overlap(bags))),
        "title": _scaled(vectors @ title_vec[0]) if title_bag else np.zeros(n),
        # Harmonic decay by absolute index: the opening carries the piece in news and reports
        # alike, whatever the length of what follows.
        "position": np.array([1.0 / (1.0 + i / POSITION_HALF) for i in range(n)]),
        "entities": _scaled(_entity_density(sentences, bags, actors, mentions, frameworks)),
    }
    return features, sim


def _entity_density(sentences, bags, actors, mentions, frameworks) -> np.ndarray:
    """Actor and framework mentions per sentence, damped by sentence length."""
    counts = np.zeros(len(sentences))
    if actors:
        by_sentence = actor_mentions(mentions, actors)
        for i, s in enumerate(sentences):
            counts[i] += len(by_sentence.get(s.id, ()))
    terms = [normalise_marks(f.term).lower() for f in frameworks]
    if terms:
        for i, s in enumerate(sentences):
            text = normalise_marks(s.text).lower()
            counts[i] += sum(1 for t in terms if t in text)
    lengths = np.array([max(1, sum(bag.values())) for bag in bags], dtype=float)
    return counts / np.sqrt(lengths)


def _mmr(scores: np.ndarray, sim: np.ndarray, eligible: list[int], n: int) -> list[int]:
    picked: list[int] = []
    pool = list(eligible)
    while pool and len(picked) < n:

        def gain(i: int) -> float:
            overlap = max((sim[i, j] for j in picked), default=0.0)
            return MMR_LAMBDA * scores[i] - (1 - MMR_LAMBDA) * overlap

        best = max(pool, key=lambda i: (gain(i), -i))
        picked.append(best)
        # A near-copy of a chosen sentence (a repeated lede, a pull quote) is never a new point.
        pool = [i for i in pool if i != best and sim[i, best] < DUPLICATE]
    return picked
