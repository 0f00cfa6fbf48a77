"""Analysis speed: ms per 1,000 words for briefgen's segmentation + full analysis, beside the
bare spaCy `en_core_web_sm` pipeline run over the same texts, printed as a ratio.

Texts: the CRS products without a summary (../shared/corpora/crs-reports, median ~1,400 words).
Each system runs every text once per round after a warm-up (best of 3 rounds); caches are
cleared between texts so no parse is reused. Single process, wall clock.

    .venv/bin/python bench/analysis_speed.py [--limit N]
"""

from __future__ import annotations

import argparse
import sys
import time

from briefgen import nlp
from briefgen.analysis import actors as actors_module
from briefgen.analysis import analyze
from briefgen.segment import segment
from common import CORPORA, make_document, paragraphs_of, read_jsonl


def clear_caches() -> None:
    for fn in (getattr(actors_module, "_parse", None), getattr(actors_module, "analyse", None)):
        if fn is not None and hasattr(fn, "cache_clear"):
            fn.cache_clear()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--limit", type=int, default=30)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    records = read_jsonl(CORPORA / "crs-reports" / "products_without_summary.jsonl")[: args.limit]
    documents = [make_document(r["title"], paragraphs_of(r["text"]), name=r["id"]) for r in records]
    texts = ["\n\n".join(p.text for p in d.paragraphs) for d in documents]
    words = sum(len(t.split()) for t in texts)

    model = nlp.model()
    model(texts[0])  # warm-up: load and first call
    analyze(documents[0], segment(documents[0]))
    clear_caches()

    # Interleaved rounds, best round per system (as timeit does): other work on the machine
    # only ever adds time, so the minimum is the fairest figure for both.
    spacy_runs, briefgen_runs = [], []
    for _ in range(args.rounds):
        started = time.perf_counter()
        for text in texts:
            model(text)
        spacy_runs.append(time.perf_counter() - started)
        started = time.perf_counter()
        for document in documents:
            analyze(document, segment(document))
            clear_caches()
        briefgen_runs.append(time.perf_counter() - started)
    spacy_s, briefgen_s = min(spacy_runs), min(briefgen_runs)

    spacy_ms = spacy_s * 1000 / (words / 1000)
    briefgen_ms = briefgen_s * 1000 / (words / 1000)
    print(f"### Analysis speed ({len(texts)} CRS products, {words:,} words)\n")
    print("| system | ms per 1,000 words |")
    print("|---|---:|")
    print(f"| spaCy en_core_web_sm alone | {spacy_ms:.0f} |")
    print(f"| briefgen segment + analyze | {briefgen_ms:.0f} |")
    print(f"\nratio briefgen / spaCy: **{briefgen_ms / spacy_ms:.2f}x**")
    return 0


if __name__ == "__main__":
    sys.exit(main())
