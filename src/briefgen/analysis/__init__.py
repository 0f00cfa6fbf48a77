"""Analysis: Document + sentences -> Brief, every finding cited.

`analyze()` parses once (`parse.Parsed`) and hands that value explicitly to every analyser. They
run in order, each seeing what the earlier ones found: actors (with their mentions), then their
positions, then frameworks (attributed to actors), questions, events, and last the key points,
which weigh actor and framework density.
"""

from __future__ import annotations

import dataclasses
import logging

from ..model import Brief, Document, KeyPoint, Sentence
from .actors import analyse as analyse_actors
from .bottomline import find_bottom_line, statements, thesis_scores
from .events import find_events
from .faithful import with_memo_text
from .frameworks import find_frameworks
from .keypoints import rank, select_key_points
from .parse import Parsed, parse
from .positions import find_positions
from .questions import find_questions
from .standalone import opening

logger = logging.getLogger(__name__)

DEFAULT_KEY_POINTS = 6

__all__ = ["DEFAULT_KEY_POINTS", "Parsed", "analyze", "parse", "with_key_points"]


def analyze(
    document: Document, sentences: tuple[Sentence, ...], *, key_points: int = DEFAULT_KEY_POINTS
) -> Brief:
    parsed = parse(document, tuple(sentences))
    cast = analyse_actors(parsed)
    actors = find_positions(parsed, cast.actors, cast.mentions)
    frameworks = find_frameworks(parsed, actors)
    questions = find_questions(parsed)
    events = find_events(parsed)
    bottom, points = _argument(parsed, key_points, actors, cast.mentions, frameworks)
    bottom_line = statements(parsed, bottom)
    bottom_ids = [b.cite.sentence for b in bottom_line]
    logger.debug(
        "%s: %d actors, %d frameworks, %d questions, %d events, %d key points",
        document.source.path,
        len(actors),
        len(frameworks),
        len(questions),
        len(events),
        len(points),
    )
    return Brief(
        source=document.source,
        meta=document.meta,
        paragraphs=document.paragraphs,
        sentences=with_memo_text(parsed, _cited(bottom_ids, points, actors, frameworks, questions, events)),
        bottom_line=bottom_line,
        key_points=points,
        actors=actors,
        frameworks=frameworks,
        open_questions=questions,
        events=events,
    )


def with_key_points(brief: Brief, n: int) -> Brief:
    """The brief with its key points selected for `n`, exactly as `analyze(key_points=n)` would."""
    document = Document(source=brief.source, meta=brief.meta, paragraphs=brief.paragraphs)
    parsed = parse(document, brief.sentences)
    mentions = analyse_actors(parsed).mentions
    _, points = _argument(parsed, n, brief.actors, mentions, brief.frameworks)
    # Newly chosen points need their shorter forms too.
    cited = _cited(
        [b.cite.sentence for b in brief.bottom_line],
        points,
        brief.actors,
        brief.frameworks,
        brief.open_questions,
        brief.events,
    )
    sentences = with_memo_text(parsed, cited)
    return dataclasses.replace(brief, key_points=points, sentences=sentences)


def _argument(parsed, n, actors, mentions, frameworks) -> tuple[tuple[int, ...], tuple[KeyPoint, ...]]:
    """The bottom line's sentence indexes and the key points, which it leads."""
    ranking = rank(parsed)
    thesis = thesis_scores(parsed)
    bottom = find_bottom_line(parsed, ranking, thesis)
    points = select_key_points(
        parsed,
        n,
        actors=actors,
        mentions=mentions,
        frameworks=frameworks,
        ranking=ranking,
        thesis=thesis,
        first=bottom,
        stands_alone=lambda i: opening(parsed, i).stands,
    )
    return bottom, points


def _cited(bottom_ids, points, actors, frameworks, questions, events) -> set[str]:
    """Ids of every sentence a finding cites (the ones a memo may print)."""
    ids = set(bottom_ids) | {p.cite.sentence for p in points}
    ids |= {p.cite.sentence for a in actors for p in a.positions}
    ids |= {f.cite.sentence for f in frameworks}
    ids |= {q.cite.sentence for q in questions}
    ids |= {e.cite.sentence for e in events}
    return ids
