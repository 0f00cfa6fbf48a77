"""Key points: a ranked extractive selection of the sentences that carry the piece's argument.

Each sentence is scored by centrality over the sentence similarity graph (TF-IDF cosine, continuous
LexRank), argument wording (the thesis markers of `bottomline`), actor and framework density, and
a mild preference for earlier paragraphs. The bottom
line comes first; then maximal marginal relevance (MMR) picks points that are neither repeats nor
from a paragraph already used, so the points spread over the piece instead of its first paragraphs.

Everything is linear in the text: the TF-IDF rows are a sparse matrix (`Rows`, CSR arrays in numpy)
and LexRank's power iteration multiplies by X and its transpose instead of forming the n x n
similarity matrix, so a 1 MB source costs what its sentences cost, not their square. The three
sparse products are written here on numpy (which spaCy already loads) rather than taken from
scipy.sparse: importing scipy.sparse costs 0.12 s of CPU (its array-API layer clones the whole numpy
namespace, numpy.f2py included), a sixth of what a cold memo adds to spaCy's own cost (issue 14),
for three one-line products. LexRank and MMR are a few lines here
because the summarisation libraries that implement them (sumy) would pull NLTK data and a second
tokenizer into the runtime, and we need them over our own sentence ids and parse.
"""

from __future__ import annotations

import functools
import logging
import math
import re
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from ..model import Actor, Framework, KeyPoint, Sentence
from ..textutil import squash
from .actors import Mention, actor_mentions
from .method import front_matter, method_sentences
from .parse import Parsed
from .text import cite, normalise_marks, opens_in_lower_case

logger = logging.getLogger(__name__)

DAMPING = 0.85
MMR_LAMBDA = 0.85
DUPLICATE = 0.9  # cosine above which two sentences say the same thing
SAME_PARAGRAPH = 0.35  # share of its score a second point from an already used paragraph loses
MIN_WORDS = 6  # shorter lines are datelines, captions and headings, not points
ITERATIONS = 100
# Chosen on the dev set as a whole (../shared/eval), the same for every source.
# Closeness to the title and paragraph openings were measured too (a weight sweep on the dev set)
# and only pulled the points towards the opening: they are left out.
WEIGHTS = {
    "centrality": 0.35,  # LexRank over TF-IDF cosine
    "thesis": 0.20,  # judgment, recommendation and outlook wording (bottomline.thesis_scores)
    "position": 0.15,  # earlier paragraphs, mildly
    "entities": 0.15,  # actor and framework mentions
}
_END_RE = re.compile(r"[.!?][\"'”’)\]]*$")
# The courtesies of testimony ("Thank you for the opportunity ...", "This concludes my
# statement") are not points.
_COURTESY_RE = re.compile(
    r"^(?:thank\s+you\b|this\s+concludes\s+(?:my|our)\b|(?:I|we)\s+(?:would\s+be|am|are|will\s+be)\s+"
    r"(?:happy|pleased|glad)\s+to\s+(?:answer|respond|take))",
    re.I,
)


@dataclass(frozen=True, eq=False)
class Rows:
    """A sparse matrix of sentence rows in CSR form: row i's entries are data[indptr[i]:indptr[i+1]]
    in columns cols[...]. Only the products the ranking needs."""

    data: np.ndarray  # float64
    cols: np.ndarray  # int64 column of each entry
    indptr: np.ndarray  # int64, n + 1 offsets
    width: int  # number of columns (the vocabulary)

    @property
    def n(self) -> int:
        return len(self.indptr) - 1

    @functools.cached_property
    def _row_of_entry(self) -> np.ndarray:
        return np.repeat(np.arange(self.n), np.diff(self.indptr))

    def times(self, v: np.ndarray) -> np.ndarray:
        """X v for a dense column vector v (length `width`)."""
        return np.bincount(self._row_of_entry, weights=self.data * v[self.cols], minlength=self.n)

    def transposed_times(self, u: np.ndarray) -> np.ndarray:
        """X^T u for a dense vector u (length n)."""
        return np.bincount(self.cols, weights=self.data * u[self._row_of_entry], minlength=self.width)

    def squared_norms(self) -> np.ndarray:
        return np.bincount(self._row_of_entry, weights=self.data * self.data, minlength=self.n)

    def row(self, i: int) -> np.ndarray:
        """Row i as a dense vector of length `width`."""
        dense = np.zeros(self.width)
        lo, hi = self.indptr[i], self.indptr[i + 1]
        dense[self.cols[lo:hi]] = self.data[lo:hi]
        return dense

    def lengths(self) -> np.ndarray:
        """Distinct terms per row."""
        return np.diff(self.indptr)


@dataclass(frozen=True, eq=False)
class Ranking:
    """What the key points and the bottom line share: sentence vectors, centrality, eligibility."""

    vectors: Rows  # unit-length TF-IDF rows, one per sentence
    centrality: np.ndarray  # LexRank, scaled to [0, 1]
    eligible: tuple[bool, ...]  # a statement long enough to be a point


def rank(parsed: Parsed) -> Ranking:
    """Vectors and centrality of every sentence, linear in the text."""
    bags = [_bag(d) for d in parsed.docs]
    vectors = _tfidf(bags)
    # A report's method and scope ("we reviewed ...", "this report examines ...") is background:
    # its findings and recommendations are the points.
    method = method_sentences(parsed)
    eligible = tuple(
        _eligible(s, d) and not m for s, d, m in zip(parsed.sentences, parsed.docs, method, strict=True)
    )
    return Ranking(vectors=vectors, centrality=_scaled(_lexrank(vectors)), eligible=eligible)


def select_key_points(
    parsed: Parsed,
    n: int,
    *,
    actors: tuple[Actor, ...] = (),
    mentions: tuple[Mention, ...] = (),
    frameworks: tuple[Framework, ...] = (),
    ranking: Ranking | None = None,
    thesis: np.ndarray | None = None,
    first: Sequence[int] = (),
    stands_alone: Callable[[int], bool] | None = None,
) -> tuple[KeyPoint, ...]:
    """The `n` key points in rank order. `first` (the bottom line's sentences) lead when eligible;
    a sentence for which `stands_alone` is false (it opens on a reference nothing resolves) is
    never a point."""
    sentences = parsed.sentences
    if n <= 0 or not sentences:
        return ()
    ranking = ranking or rank(parsed)
    scores = _scores(parsed, ranking, actors, mentions, frameworks, thesis)
    eligible = [
        i for i, ok in enumerate(ranking.eligible) if ok and (stands_alone is None or stands_alone(i))
    ]
    if not eligible:
        eligible = list(range(len(sentences)))
    picked = _mmr(scores, ranking.vectors, eligible, n, [i for i in first if i in set(eligible)], sentences)
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
    scores = _scores(parsed, rank(parsed), actors, mentions, frameworks, None)
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
        and ends is not None
        and not ends.group().startswith("?")
        and not _COURTESY_RE.match(sentence.text.strip())
        and not front_matter(sentence.text)
        and not _fragment(sentence.text, doc)
        and not _points_at_a_figure(sentence.text, doc)
    )


_FIGURE_SUBJECT = re.compile(r"^(?:Table|Figure|Chart|Map|Box|Exhibit|Appendix|Graph)\s+(?:\d+|[IVXLC]+)\b")
_POINTING_VERBS = frozenset(
    {"present", "show", "list", "summarize", "summarise", "provide", "illustrate", "display"}
    | {"depict", "compare", "give", "contain", "detail", "describe", "outline"}
)


def _points_at_a_figure(text: str, doc) -> bool:
    """ "Table 1 presents the enacted levels for each account": a pointer to a table the memo does not
    carry, not a point. "Figure 2 shows that exports fell by half" states its finding and stays."""
    if not _FIGURE_SUBJECT.match(text.strip()):
        return False
    root = next((t for t in doc if t.dep_ == "ROOT"), None)
    return (
        root is not None
        and root.lemma_.lower() in _POINTING_VERBS
        and not any(c.dep_ == "ccomp" for c in root.children)
    )


def _fragment(text: str, doc) -> bool:
    """The tail of a sentence broken at a page or column end ("documentation that their partners
    had ...", "IRS operations because employees will ..."): it opens in lower case, or its main
    word is a noun with the only verbs inside a subordinate clause, or a gerund with no subject."""
    if opens_in_lower_case(text):
        return True
    root = next((t for t in doc if t.dep_ == "ROOT"), None)
    if root is None or any(
        c.dep_ in ("nsubj", "nsubjpass", "expl", "cop", "aux", "auxpass") for c in root.children
    ):
        return False
    if root.pos_ in ("NOUN", "PROPN"):
        return any(c.dep_ == "advcl" for c in root.children)
    # "Considering whether the limit should be expanded ...": an item of a list, no subject, no verb
    return root.tag_ == "VBG"


def _tfidf(bags: list[Counter]) -> Rows:
    """Unit-length sparse TF-IDF rows, one per sentence."""
    vocab: dict[str, int] = {}
    df: Counter = Counter()
    for bag in bags:
        df.update(bag.keys())
        for w in bag:
            vocab.setdefault(w, len(vocab))
    n = len(bags)
    idf = {w: math.log((1 + n) / (1 + df[w])) + 1.0 for w in vocab}

    def rows(items: list[Counter]) -> Rows:
        data: list[float] = []
        cols: list[int] = []
        indptr = [0]
        for bag in items:
            entries = [(vocab[w], (1.0 + math.log(c)) * idf[w]) for w, c in bag.items() if w in vocab]
            norm = math.sqrt(sum(v * v for _, v in entries)) or 1.0
            for j, v in entries:
                cols.append(j)
                data.append(v / norm)
            indptr.append(len(cols))
        return Rows(
            data=np.asarray(data, dtype=float),
            cols=np.asarray(cols, dtype=np.int64),
            indptr=np.asarray(indptr, dtype=np.int64),
            width=max(1, len(vocab)),
        )

    return rows(bags)


def _lexrank(x: Rows) -> np.ndarray:
    """Continuous LexRank (Erkan & Radev 2004): PageRank over the cosine-weighted graph G = X X^T
    without its diagonal, applied as X (X^T v) so the n x n matrix is never formed."""
    n = x.n
    if n == 0:
        return np.zeros(0)
    diag = x.squared_norms()

    def graph(v: np.ndarray) -> np.ndarray:
        return x.times(x.transposed_times(v)) - diag * v

    degree = graph(np.ones(n))
    has_edges = degree > 1e-12
    safe = np.where(has_edges, degree, 1.0)
    rank_ = np.full(n, 1.0 / n)
    for _ in range(ITERATIONS):
        spread = graph(np.where(has_edges, rank_ / safe, 0.0))
        nxt = (1 - DAMPING) / n + DAMPING * (spread + rank_[~has_edges].sum() / n)
        if np.abs(nxt - rank_).sum() < 1e-9:
            return nxt
        rank_ = nxt
    return rank_


def _scaled(values: np.ndarray) -> np.ndarray:
    top = values.max() if len(values) else 0.0
    return values / top if top > 0 else np.zeros_like(values)


def _scores(parsed, ranking: Ranking, actors, mentions, frameworks, thesis) -> np.ndarray:
    sentences = parsed.sentences
    n = len(sentences)
    paragraph_order = {p.id: k for k, p in enumerate(parsed.document.paragraphs)}
    count = max(1, len(paragraph_order) - 1)
    # Place counts only for sentences on the piece's topic: an aside early in the piece (a
    # caption, an anecdote) is not a point because it comes early.
    relevant = np.minimum(1.0, 2.0 * ranking.centrality)
    features = {
        "centrality": ranking.centrality,
        "thesis": thesis if thesis is not None else np.zeros(n),
        "position": relevant
        * np.array([1.0 - 0.5 * paragraph_order.get(s.paragraph, 0) / count for s in sentences]),
        "entities": _scaled(_entity_density(sentences, ranking.vectors, actors, mentions, frameworks)),
    }
    return sum(WEIGHTS[name] * values for name, values in features.items())


def _entity_density(sentences, vectors, actors, mentions, frameworks) -> np.ndarray:
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
    lengths = np.maximum(1, vectors.lengths()).astype(float)
    return counts / np.sqrt(lengths)


def _mmr(scores, vectors, eligible: list[int], n: int, first: list[int], sentences) -> list[int]:
    """Greedy MMR; each pick costs one sparse product with the picked row (linear)."""
    picked: list[int] = []
    redundancy = np.zeros(len(scores))
    used_paragraphs: set[str] = set()
    pool = set(eligible)
    while pool and len(picked) < n:
        lead = [i for i in first if i in pool]
        if lead:
            best = lead[0]
        else:
            best = max(
                pool,
                key=lambda i: (
                    MMR_LAMBDA
                    * scores[i]
                    * (1.0 - SAME_PARAGRAPH if sentences[i].paragraph in used_paragraphs else 1.0)
                    - (1 - MMR_LAMBDA) * redundancy[i],
                    -i,
                ),
            )
        picked.append(best)
        used_paragraphs.add(sentences[best].paragraph)
        similarity = vectors.times(vectors.row(best))
        redundancy = np.maximum(redundancy, similarity)
        # A near-copy of a chosen sentence (a repeated lede, a pull quote) is never a new point.
        pool = {i for i in pool if i != best and similarity[i] < DUPLICATE}
    return picked
