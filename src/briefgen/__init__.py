"""briefgen: turn source documents into cited policy memos.

The public API, for use from Python (the CLI is a thin layer over the same calls)::

    import briefgen

    brief = briefgen.extract("report.pdf")                  # read + analyse -> Brief
    paths = briefgen.build(["report.pdf"], briefgen.BuildOptions(out_dir="out", to="Director"))
    result = briefgen.run_batch("briefgen.toml", briefgen.BatchOptions(jobs=2))

`analyze(document, sentences)` runs the analysis on a `Document` you read yourself
(`read_source` and `segment` give both). Names are imported on first use, so `import briefgen`
(and `briefgen --help`) never loads spaCy or the renderers.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

__version__ = "0.2.0"  # the one place the version is written (pyproject reads it through hatch)

# public name -> (module, attribute)
_EXPORTS = {
    "extract": ("briefgen.pipeline", "extract"),
    "analyze": ("briefgen.analysis", "analyze"),
    "build": ("briefgen.build", "build_sources"),
    "read_source": ("briefgen.readers", "read_source"),
    "segment": ("briefgen.segment", "segment"),
    "run_batch": ("briefgen.batch", "run_batch"),
    "Brief": ("briefgen.model", "Brief"),
    "Document": ("briefgen.model", "Document"),
    "BuildOptions": ("briefgen.options", "BuildOptions"),
    "BatchOptions": ("briefgen.batch", "BatchOptions"),
    "BatchResult": ("briefgen.batch", "BatchResult"),
    "BriefgenError": ("briefgen.errors", "BriefgenError"),
    "SourceError": ("briefgen.errors", "SourceError"),
    "LimitError": ("briefgen.errors", "LimitError"),
}

__all__ = [
    "BatchOptions",
    "BatchResult",
    "Brief",
    "BriefgenError",
    "BuildOptions",
    "Document",
    "LimitError",
    "SourceError",
    "__version__",
    "analyze",
    "build",
    "extract",
    "read_source",
    "run_batch",
    "segment",
]

if TYPE_CHECKING:  # what a type checker and an IDE see; at run time __getattr__ imports on use
    from .analysis import analyze as analyze
    from .batch import BatchOptions as BatchOptions
    from .batch import BatchResult as BatchResult
    from .batch import run_batch as run_batch
    from .build import build_sources as build
    from .errors import BriefgenError as BriefgenError
    from .errors import LimitError as LimitError
    from .errors import SourceError as SourceError
    from .model import Brief as Brief
    from .model import Document as Document
    from .options import BuildOptions as BuildOptions
    from .pipeline import extract as extract
    from .readers import read_source as read_source
    from .segment import segment as segment


def __getattr__(name: str) -> Any:
    try:
        module, attribute = _EXPORTS[name]
    except KeyError:
        raise AttributeError(f"module 'briefgen' has no attribute {name!r}") from None
    value = getattr(importlib.import_module(module), attribute)
    globals()[name] = value  # next time without the detour
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_EXPORTS))
