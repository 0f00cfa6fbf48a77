"""Analysis: Document + sentences -> Brief, every finding cited.

The analysers run in order, each seeing what the earlier ones found: actors, then their
positions, then frameworks (attributed to actors), questions, events, and last the key
points, which weigh actor and framework density.
"""

from __future__ import annotations

import logging

from ..model import Brief, Document, Sentence
from .actors import find_actors
from .events import find_events
from .frameworks import find_frameworks
from .keypoints import select_key_points
from .positions import find_positions
from .questions import find_questions

logger = logging.getLogger(__name__)

DEFAULT_KEY_POINTS = 6


def analyze(
    document: Document, sentences: tuple[Sentence, ...], *, key_points: int = DEFAULT_KEY_POINTS
) -> Brief:
    sentences = tuple(sentences)
    actors = find_positions(document, sentences, find_actors(document, sentences))
    frameworks = find_frameworks(document, sentences, actors)
    questions = find_questions(document, sentences)
    events = find_events(document, sentences)
    points = select_key_points(document, sentences, actors, frameworks, key_points)
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
        sentences=sentences,
        key_points=points,
        actors=actors,
        frameworks=frameworks,
        open_questions=questions,
        events=events,
    )
