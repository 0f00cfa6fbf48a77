"""Key points vs sumy LexRank, sumy TextRank and lead-k, side by side, as a Markdown table.

Sets (see each corpus README under ../shared/corpora):
- bbc-news-summary-aligned100: 100 BBC articles whose gold summary sentences appear verbatim in
  the article. Every system picks from the same one-sentence-per-line list, k = number of gold
  sentences; scored by sentence precision/recall/F1 (macro over articles) and ROUGE-1/2 F.
- crs-reports (reports_with_summary): 28 long CRS reports with the analysts' own summary.
  Sentences come from briefgen's segmenter (all systems share them); k = the number of sentences
  in the human summary (the only dataset-specific setting), scored by ROUGE-1/2/L F.

briefgen runs its full analysis (actors and frameworks feed the key-point score) when the actor
module is present, else key points alone.

    .venv/bin/python bench/keypoints.py [--limit N]
"""

from __future__ import annotations

import argparse
import functools
import statistics
import sys
import time

from common import (
    CORPORA,
    PunktTokenizer,
    document_from_lines,
    make_document,
    paragraphs_of,
    read_jsonl,
    split_sentences,
    sumy_select,
    sumy_summarizers,
)


def briefgen_select(document, sentences, k: int) -> list[int]:
    from briefgen.analysis import analyze

    points = analyze(document, sentences, key_points=k).key_points
    index = {s.id: i for i, s in enumerate(sentences)}
    return sorted(index[p.cite.sentence] for p in points)


def systems(tokenizer):
    out = {"briefgen": briefgen_select, "lead-k": lambda d, s, k: list(range(min(k, len(s))))}
    for name, summarizer in sumy_summarizers().items():
        out[name] = functools.partial(_sumy, summarizer, tokenizer)
    return out


def _sumy(summarizer, tokenizer, document, sentences, k):
    return sumy_select(summarizer, sentences, k, tokenizer)


def prf(picked: list[int], gold: list[int]) -> tuple[float, float, float]:
    hit = len(set(picked) & set(gold))
    p = hit / len(picked) if picked else 0.0
    r = hit / len(gold) if gold else 0.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def run_bbc(limit: int | None, tokenizer, scorer) -> dict[str, dict[str, float]]:
    records = read_jsonl(CORPORA / "bbc-news-summary-aligned100" / "bbc_aligned100.jsonl")[:limit]
    rows: dict[str, dict[str, list[float]]] = {}
    for rec in records:
        document, sentences = document_from_lines(rec["title"], rec["text"], name=rec["id"])
        gold = rec["summary_sentence_indices"]
        k = len(rec["summary_sentences"])
        for name, select in systems(tokenizer).items():
            picked = select(document, sentences, k)
            p, r, f = prf(picked, gold)
            summary = " ".join(sentences[i].text for i in picked)
            rouge = scorer.score(rec["summary"], summary)
            acc = rows.setdefault(name, {})
            for key, value in (
                ("P", p),
                ("R", r),
                ("F1", f),
                ("R-1", rouge["rouge1"].fmeasure),
                ("R-2", rouge["rouge2"].fmeasure),
                ("R-L", rouge["rougeL"].fmeasure),
            ):
                acc.setdefault(key, []).append(value)
    return {name: {k: statistics.mean(v) for k, v in acc.items()} for name, acc in rows.items()}


def iso_date(us: str | None) -> str | None:
    try:
        month, day, year = us.split("/")
        return f"{int(year):04d}-{int(month):02d}-{int(day):02d}"
    except (AttributeError, ValueError):
        return None


def run_crs(limit: int | None, tokenizer, scorer) -> dict[str, dict[str, float]]:
    records = read_jsonl(CORPORA / "crs-reports" / "reports_with_summary.jsonl")[:limit]
    rows: dict[str, dict[str, list[float]]] = {}
    for rec in records:
        document = make_document(
            rec["title"], paragraphs_of(rec["text"]), iso_date(rec.get("date")), name=rec["id"]
        )
        sentences = split_sentences(document)
        summary_doc = make_document(rec["title"], paragraphs_of(rec["summary"]), name=rec["id"] + "-summary")
        k = max(1, len(split_sentences(summary_doc)))
        for name, select in systems(tokenizer).items():
            picked = select(document, sentences, k)
            summary = " ".join(sentences[i].text for i in picked)
            rouge = scorer.score(rec["summary"], summary)
            acc = rows.setdefault(name, {})
            for key in ("rouge1", "rouge2", "rougeL"):
                acc.setdefault({"rouge1": "R-1", "rouge2": "R-2", "rougeL": "R-L"}[key], []).append(
                    rouge[key].fmeasure
                )
    return {name: {k: statistics.mean(v) for k, v in acc.items()} for name, acc in rows.items()}


def table(title: str, results: dict[str, dict[str, float]], columns: list[str]) -> str:
    lines = [f"### {title}", "", "| system | " + " | ".join(columns) + " |", "|---|" + "---:|" * len(columns)]
    best = {c: max(r[c] for r in results.values()) for c in columns}
    for name, r in results.items():
        cells = [f"**{r[c]:.3f}**" if r[c] == best[c] else f"{r[c]:.3f}" for c in columns]
        lines.append(f"| {name} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--limit", type=int, default=None, help="records per set (default: all)")
    parser.add_argument("--set", choices=["bbc", "crs", "all"], default="all")
    args = parser.parse_args()
    if not CORPORA.is_dir():
        print(f"corpora not found at {CORPORA}", file=sys.stderr)
        return 2
    from rouge_score import rouge_scorer

    scorer = rouge_scorer.RougeScorer(["rouge1", "rouge2", "rougeL"], use_stemmer=True)
    tokenizer = PunktTokenizer()
    started = time.perf_counter()
    if args.set in ("bbc", "all"):
        print(
            table(
                "bbc-news-summary-aligned100 (k = gold sentences)",
                run_bbc(args.limit, tokenizer, scorer),
                ["P", "R", "F1", "R-1", "R-2"],
            )
        )
        print()
    if args.set in ("crs", "all"):
        print(
            table(
                "crs-reports, 28 reports with summary (k = summary sentences)",
                run_crs(args.limit, tokenizer, scorer),
                ["R-1", "R-2", "R-L"],
            )
        )
        print()
    print(f"_{time.perf_counter() - started:.0f} s_")
    return 0


if __name__ == "__main__":
    sys.exit(main())
