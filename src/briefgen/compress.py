"""Moved to `briefgen.analysis.compress` (sentence shortening is part of the analysis now).

A thin re-export for composition code that still imports it from here; the analysis computes
`Sentence.shorter` itself, so templates need not call spaCy at all.
"""

from .analysis.compress import anaphoric, compress, strip_opener

__all__ = ["anaphoric", "compress", "strip_opener"]
