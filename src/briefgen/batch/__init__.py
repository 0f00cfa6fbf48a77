"""`briefgen batch`: a manifest in, every memo it asks for built incrementally.

Modules, in the order a run uses them: `manifest` (the TOML, validated against
`options.BuildOptions`), `cache` (source hashes, the build state, cached analyses, the code
fingerprint), `plan` (keys and what to rebuild), `lock` (one run per output folder), `executors`
(`pool` for the local process pool, `cluster` for Dask), `task` (one source: analyse once, render
every memo), `report` (the summary and the JSON report), and `run`, which ties them together.
"""

from .report import BatchResult
from .run import BatchOptions, Terminated, run_batch

__all__ = ["BatchOptions", "BatchResult", "Terminated", "run_batch"]
