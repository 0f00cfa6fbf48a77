"""Readers benchmark: what briefgen's readers get right on documents nobody here wrote.

1. HTML body text on the 181 pages of the article-extraction benchmark, scored as that benchmark
   scores (multisets of 4-word shingles over lower-cased \\w+ tokens; precision and recall averaged
   over pages; F1 of the two means; an empty prediction scores 0), beside trafilatura's default and
   favor_precision extraction in the same run; plus metadata agreement with each page's own
   schema.org JSON-LD (headline, datePublished, author), briefgen beside trafilatura's metadata.
2. The GAO PDFs of ../shared/corpora/gao-pdfs against meta.jsonl (title, date to the precision
   given, publisher, authors), and the share of body paragraphs that start mid-sentence.
3. The same short article in five formats (tests/fixtures/readers): same metadata and paragraphs.

Run: .venv/bin/python bench/readers.py [--limit N] [--only html|pdf|formats]
"""

from __future__ import annotations

import argparse
import gzip
import json
import logging
import re
import sys
import time
from collections import Counter
from pathlib import Path

from briefgen.errors import BriefgenError
from briefgen.readers import read_source
from common import CORPORA, ROOT

BENCH = CORPORA / "article-extraction-benchmark"
GAO = CORPORA / "gao-pdfs"
FIXTURES = ROOT / "tests" / "fixtures" / "readers"
_TOKEN = re.compile(r"\w+")


def shingles(text: str, n: int = 4) -> Counter:
    tokens = [t.lower() for t in _TOKEN.findall(text or "")]
    return Counter(tuple(tokens[i : i + n]) for i in range(max(0, len(tokens) - n + 1)))


def page_scores(prediction: str, truth: str) -> tuple[float, float]:
    """Precision and recall of one page, as the benchmark computes them."""
    pred, gold = shingles(prediction), shingles(truth)
    if not pred or not gold:
        return (0.0, 0.0) if gold else (1.0, 1.0)
    tp = sum((pred & gold).values())
    fp = sum(pred.values()) - tp
    fn = sum(gold.values()) - tp
    return (tp / (tp + fp) if tp + fp else 0.0, tp / (tp + fn) if tp + fn else 0.0)


def summary(scores: list[tuple[float, float]]) -> tuple[float, float, float]:
    p = sum(s[0] for s in scores) / len(scores)
    r = sum(s[1] for s in scores) / len(scores)
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def document_text(document) -> str:
    """The body as a reader of the memo sees it: each heading once, then its paragraphs."""
    parts, heading = [], None
    for paragraph in document.paragraphs:
        if paragraph.heading and paragraph.heading != heading:
            parts.append(paragraph.heading)
            heading = paragraph.heading
        parts.append(paragraph.text)
    return "\n".join(parts)


def json_ld(html: str) -> dict:
    """headline, datePublished and author names from the page's own JSON-LD, where it has them."""
    found: dict = {}
    for block in re.findall(r"<script[^>]*application/ld\+json[^>]*>(.*?)</script>", html, re.S | re.I):
        try:
            data = json.loads(block.strip())
        except ValueError:
            continue
        stack = [data]
        while stack:
            item = stack.pop()
            if isinstance(item, list):
                stack.extend(item)
                continue
            if not isinstance(item, dict):
                continue
            stack.extend(v for k, v in item.items() if k == "@graph")
            if item.get("headline") and "title" not in found:
                found["title"] = str(item["headline"])
            if item.get("datePublished") and "date" not in found:
                found["date"] = str(item["datePublished"])[:10]
            authors = item.get("author")
            if authors and "authors" not in found:
                authors = authors if isinstance(authors, list) else [authors]
                names = [a.get("name") if isinstance(a, dict) else a for a in authors]
                found["authors"] = [str(n) for n in names if isinstance(n, str) and n.strip()]
    return found


def _norm(text: str | None) -> str:
    return " ".join(_TOKEN.findall((text or "").lower()))


def html_benchmark(limit: int | None) -> None:
    import trafilatura

    logging.getLogger("trafilatura").setLevel(logging.CRITICAL)
    truth = json.loads((BENCH / "ground-truth.json").read_text(encoding="utf-8"))
    ids = sorted(truth)[:limit] if limit else sorted(truth)
    systems: dict[str, list[tuple[float, float]]] = {"briefgen": [], "trafilatura": [], "favor_precision": []}
    seconds = Counter()
    refused, refused_but_extracted = [], []
    meta = Counter()
    bad_authors: list[str] = []
    work = Path("/tmp") / "briefgen-bench-readers"
    work.mkdir(exist_ok=True)
    for page_id in ids:
        raw = gzip.decompress((BENCH / "html" / f"{page_id}.html.gz").read_bytes())
        html = raw.decode("utf-8", errors="replace")
        gold = truth[page_id]["articleBody"]
        path = work / f"{page_id[:16]}.html"
        path.write_bytes(raw)
        start = time.perf_counter()
        try:
            document = read_source(path)
            ours = document_text(document)
        except BriefgenError:
            document, ours = None, ""
            refused.append(page_id)
        seconds["briefgen"] += time.perf_counter() - start
        systems["briefgen"].append(page_scores(ours, gold))
        for name, precision in (("trafilatura", False), ("favor_precision", True)):
            start = time.perf_counter()
            text = trafilatura.extract(raw, favor_precision=precision) or ""
            seconds[name] += time.perf_counter() - start
            systems[name].append(page_scores(text, gold))
            if name == "trafilatura" and text and document is None:
                refused_but_extracted.append(page_id)
        ld = json_ld(html)
        theirs = trafilatura.bare_extraction(raw, with_metadata=True)
        for field in ("title", "date", "authors"):
            if field not in ld or not ld[field]:
                continue
            meta[f"{field}_n"] += 1
            if document is not None:
                meta[f"{field}_briefgen"] += _agrees(field, _ours(document, field), ld[field])
            meta[f"{field}_trafilatura"] += _agrees(field, _theirs(theirs, field), ld[field])
        if document is not None:
            bad_authors.extend(a.name for a in document.meta.authors if _junk_author(a.name))
    n = len(ids)
    print(f"\n## HTML: {n} pages of the article-extraction benchmark")
    print("| system | precision | recall | F1 | seconds |")
    print("|---|---|---|---|---|")
    for name, scores in systems.items():
        p, r, f = summary(scores)
        print(f"| {name} | {p:.3f} | {r:.3f} | {f:.3f} | {seconds[name]:.0f} |")
    print(
        f"\nrefused by briefgen: {len(refused)}; of those, pages trafilatura extracts: "
        f"{len(refused_but_extracted)}"
    )
    for page_id in refused_but_extracted:
        print(f"  {page_id[:16]} {truth[page_id]['url'][:80]}")
    print("\n| metadata vs JSON-LD | pages | briefgen | trafilatura |")
    print("|---|---|---|---|")
    for field in ("title", "date", "authors"):
        print(
            f"| {field} | {meta[field + '_n']} | {meta[field + '_briefgen']} "
            f"| {meta[field + '_trafilatura']} |"
        )
    print(
        f"\njunk-shaped authors (URLs, glued or doubled names, dates): {len(bad_authors)} {bad_authors[:8]}"
    )


def _ours(document, field: str):
    if field == "title":
        return document.meta.title
    if field == "date":
        return document.meta.date
    return [a.name for a in document.meta.authors]


def _theirs(doc, field: str):
    if doc is None:
        return None
    if field == "title":
        return doc.title
    if field == "date":
        return (doc.date or "")[:10] or None
    return [a for a in re.split(r"\s*;\s*", doc.author or "") if a]


def _agrees(field: str, value, expected) -> int:
    if field == "authors":
        return int({_norm(a) for a in value or []} == {_norm(a) for a in expected})
    if field == "date":
        return int((value or "")[:10] == expected)
    return int(_norm(value) == _norm(expected))


_GLUED = re.compile(r"[a-z][A-Z]{2,}")


def _junk_author(name: str) -> bool:
    words = name.split()
    doubled = len(words) % 2 == 0 and words and words[: len(words) // 2] == words[len(words) // 2 :]
    return bool(
        "://" in name or "www." in name or _GLUED.search(name) or doubled or any(c.isdigit() for c in name)
    )


_MID_SENTENCE = re.compile(r"^[a-z,;:)\]]")


def gao_benchmark() -> None:
    rows = [json.loads(line) for line in (GAO / "meta.jsonl").read_text().splitlines() if line.strip()]
    print(f"\n## GAO PDFs: {len(rows)} reports as published")
    print("| file | title | date | publisher | authors | paragraphs | mid-sentence starts | seconds |")
    print("|---|---|---|---|---|---|---|---|")
    totals = Counter()
    for row in rows:
        start = time.perf_counter()
        document = read_source(GAO / row["file"])
        seconds = time.perf_counter() - start
        meta = document.meta
        title = _norm(meta.title) == _norm(row["title"])
        date = (meta.date or "").startswith(row["date"])
        publisher = _norm(meta.publisher) == _norm(row["publisher"])
        authors = [_norm(a.name) for a in meta.authors] == [_norm(a) for a in row["authors"]]
        mid = sum(1 for p in document.paragraphs if _MID_SENTENCE.match(p.text))
        totals.update(title=title, date=date, publisher=publisher, authors=authors)
        totals["paragraphs"] += len(document.paragraphs)
        totals["mid"] += mid
        marks = ["yes" if ok else "no" for ok in (title, date, publisher, authors)]
        share = mid / max(1, len(document.paragraphs))
        print(
            f"| {row['file']} | {marks[0]} | {marks[1]} ({meta.date}) | {marks[2]} | {marks[3]} "
            f"({', '.join(a.name for a in meta.authors) or 'none'}) | {len(document.paragraphs)} | "
            f"{mid} ({share:.1%}) | {seconds:.1f} |"
        )
    share = totals["mid"] / max(1, totals["paragraphs"])
    print(
        f"\ntotal: title {totals['title']}/{len(rows)}, date {totals['date']}/{len(rows)}, publisher "
        f"{totals['publisher']}/{len(rows)}, authors {totals['authors']}/{len(rows)}; "
        f"paragraphs starting mid-sentence {totals['mid']}/{totals['paragraphs']} ({share:.1%})"
    )


def formats_benchmark() -> None:
    print("\n## The same article in five formats")
    documents = {
        fmt: read_source(FIXTURES / f"same_article.{fmt}") for fmt in ("txt", "md", "html", "docx", "pdf")
    }
    base = documents["txt"]
    print("| format | title | date | authors | paragraphs same as .txt |")
    print("|---|---|---|---|---|")
    for fmt, document in documents.items():
        same = [p.text for p in document.paragraphs] == [p.text for p in base.paragraphs]
        print(
            f"| {fmt} | {document.meta.title == base.meta.title} | {document.meta.date == base.meta.date} | "
            f"{document.meta.authors == base.meta.authors} | {same} ({len(document.paragraphs)}) |"
        )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--limit", type=int, help="only the first N benchmark pages")
    parser.add_argument("--only", choices=("html", "pdf", "formats"))
    args = parser.parse_args()
    logging.basicConfig(level=logging.ERROR)
    if args.only in (None, "formats"):
        formats_benchmark()
    if args.only in (None, "pdf"):
        gao_benchmark()
    if args.only in (None, "html"):
        html_benchmark(args.limit)
    return 0


if __name__ == "__main__":
    sys.exit(main())
