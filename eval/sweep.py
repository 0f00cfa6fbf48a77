"""Sweep: every audience built for every text of ../shared/corpora, then each memo read with the
gold-free checks of ../shared/eval/memo_check.py.

The dev set has 13 sources; the corpora hold about 700 that no rule was written for (BBC politics
news, CRS products and reports, GAO reports as text and as published PDFs, 181 web pages). This
builds the four audiences of each with `briefgen batch` (so a crash, a refused source or a
template limit shows up as a failed source) and counts, per audience, what a desk officer would
not send: a bullet opening on a bare pronoun, an unbalanced quotation, filler, missing TO/FROM,
the source's author as the file's author, a local path. There is no gold here, so nothing about
the bottom line or the key points is scored: the sweep finds failures and defects, not quality.

    .venv/bin/python eval/sweep.py [--limit N] [--keep DIR] [--jobs 2]
"""

from __future__ import annotations

import argparse
import gzip
import json
import shutil
import subprocess
import sys
import tempfile
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
CORPORA = SHARED / "corpora"
AUDIENCES = ("principal", "memo", "talking-points", "background")
CHECKS = ("dangling", "quotes", "placeholder", "addressing", "file_author", "local_path")

sys.path.insert(0, str(SHARED / "eval"))
from memo_check import FROM, TO, check_memo  # noqa: E402

JSONL = (
    ("bbc", "bbc-news-summary-politics/bbc_politics.jsonl"),
    ("crs", "crs-reports/products_without_summary.jsonl"),
    ("crsr", "crs-reports/reports_with_summary.jsonl"),
    ("gao", "gao-highlights/gao_reports.jsonl"),
)


def materialize(folder: Path, limit: int | None) -> int:
    """The corpora's texts as source files: JSONL records as Markdown (title as heading), the GAO
    PDFs and the benchmark's HTML pages as they are."""
    folder.mkdir(parents=True)
    count = 0
    for prefix, path in JSONL:
        for line in (CORPORA / path).read_text(encoding="utf-8").splitlines()[:limit]:
            record = json.loads(line)
            name = f"{prefix}-{record['id'].replace('/', '-')}.md"
            title = record.get("title") or ""
            (folder / name).write_text((f"# {title}\n\n" if title else "") + record["text"] + "\n")
            count += 1
    for pdf in sorted((CORPORA / "gao-pdfs").glob("*.pdf")):
        shutil.copy(pdf, folder / pdf.name)
        count += 1
    for page in sorted((CORPORA / "article-extraction-benchmark" / "html").glob("*.gz"))[:limit]:
        (folder / f"web-{page.name.removesuffix('.gz').removesuffix('.html')}.html").write_bytes(
            gzip.decompress(page.read_bytes())
        )
        count += 1
    return count


def read_docx(path: Path) -> dict:
    from docx import Document

    document = Document(str(path))
    paragraphs = [{"style": p.style.name, "text": p.text} for p in document.paragraphs if p.text.strip()]
    for table in document.tables:
        for row in table.rows:
            for cell in row.cells:
                paragraphs += [{"style": "Table", "text": p.text} for p in cell.paragraphs if p.text.strip()]
    return {"author": document.core_properties.author, "paragraphs": paragraphs}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--limit", type=int, help="at most N records of each collection")
    parser.add_argument("--keep", type=Path, help="build in this folder and keep it")
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("-v", action="store_true", help="print every defect found")
    args = parser.parse_args()
    work = args.keep or Path(tempfile.mkdtemp(prefix="briefgen-sweep-"))
    sources = work / "sources"
    if sources.exists():
        shutil.rmtree(sources)
    n = materialize(sources, args.limit)
    manifest = work / "briefgen.toml"
    manifest.write_text(
        '[defaults]\nout = "out"\nformats = ["docx"]\ndate = 2026-01-05\nclassification = "UNCLASSIFIED"\n'
        f'to = "{TO}"\nfrom = "{FROM}"\n\n[[job]]\nsources = ["sources/*"]\n'
        f"audiences = {json.dumps(list(AUDIENCES))}\n"
    )
    print(f"{n} sources x {len(AUDIENCES)} audiences ...", file=sys.stderr, flush=True)
    subprocess.run(
        [
            str(ROOT / ".venv" / "bin" / "briefgen"),
            "batch",
            str(manifest),
            "--jobs",
            str(args.jobs),
            "--force",
        ],
        check=False,
        stdout=subprocess.DEVNULL,
    )
    report = json.loads((work / "out" / "briefgen-report.json").read_text())
    failed = [o for o in report["outputs"] if o.get("status") == "failed"]
    counts: dict[str, Counter] = {a: Counter() for a in AUDIENCES}
    memos = Counter()
    examples: list[str] = []
    for folder in sorted((work / "out").iterdir()):
        for audience in AUDIENCES:
            path = folder / f"{audience}.docx"
            if not path.is_file():
                continue
            memos[audience] += 1
            result = check_memo(read_docx(path), audience, {}, {}, str(sources / folder.name))
            for check in CHECKS:
                value = result[check]
                hits = len(value) if isinstance(value, list) else int(value)
                counts[audience][check] += hits
                if hits and args.v:
                    examples.append(f"{folder.name} {audience} {check}: {value}")
    print(f"### Sweep: {n} corpus sources, {sum(memos.values())} memos (DOCX)\n")
    print("| audience | memos | " + " | ".join(CHECKS) + " |")
    print("|---|---:|" + "---:|" * len(CHECKS))
    for audience in AUDIENCES:
        cells = [str(counts[audience][c]) for c in CHECKS]
        print(f"| {audience} | {memos[audience]} | " + " | ".join(cells) + " |")
    sources_failed = sorted({o["source"] for o in failed})
    print(f"\nfailed: {len(failed)} memo file(s) of {len(sources_failed)} source(s)")
    for output in failed[:40]:
        print(f"- {output['source']} {output.get('audience', '')}: {output.get('error', '')[:160]}")
    for line in examples:
        print(line)
    print(f"\n`python eval/sweep.py{' ' + ' '.join(sys.argv[1:]) if sys.argv[1:] else ''}`")
    return 0


if __name__ == "__main__":
    sys.exit(main())
