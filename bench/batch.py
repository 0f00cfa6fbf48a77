"""Batch benchmark: `briefgen batch` on N distinct policy sources beside a pandoc pipeline that makes
the same memos, in the same run.

Sources: the CRS and GAO texts of ../shared/corpora (111 texts, about 450,000 words), each cut at
paragraph boundaries into sources of at most --words words (default 2,000: a short CRS product is
one source, a long report several), shuffled with a fixed seed so every N mixes the collections.
That gives about 260 distinct sources; a larger N cycles through them again, and every later
cycle marks every sentence with its cycle and position ("(item 2.17)") so no two sources share a
sentence and no cache keyed on a document or a sentence can skip work. Each N builds
2 audiences (memo, principal) x 2 formats (docx, pdf).

Steps, each one measured as a whole process tree (wall, CPU, peak memory: see measure.py):
- briefgen cold:  `briefgen batch` into an empty output folder;
- briefgen warm:  the same command again, nothing changed (the cache check only);
- one edited:     one source edited, the same command again (its 4 memos rebuilt);
- pandoc:         the same memos from briefgen's own composed Markdown (so both sides print the
                  same words), one `pandoc` process per memo and format as a Makefile would run
                  it: `-t docx`, and PDF through `--pdf-engine=weasyprint`, --jobs at a time.
                  pandoc does no analysis and has no cache. With --pandoc-limit it runs on the
                  first M sources only and its time is scaled to N (the table says so).

    .venv/bin/python bench/batch.py                       # N = 100
    .venv/bin/python bench/batch.py --n 20 --jobs 2       # a quick look
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import measure

ROOT = measure.ROOT
BIN = Path(sys.executable).parent
BRIEFGEN = BIN / "briefgen"
WEASYPRINT = BIN / "weasyprint"
AUDIENCES = ("memo", "principal")
FORMATS = ("docx", "pdf")
MEMO_DATE = "2026-01-05"
# Seconds between memory samples of the process tree: reading every process's PSS costs CPU that
# the measured processes would otherwise get; a run of minutes needs no finer grain.
SAMPLE_EVERY = 0.5
# A sentence end: lower-case letter, digit or closing bracket/quote, then . ! or ?, then space and a
# capital. "U.S. Congress" does not match (an abbreviation, not an end).
_SENTENCE_END = re.compile(r"(?<=[a-z0-9)\]”\"’])([.!?])(?=\s+[“\"(A-Z])")


def pandoc_exe() -> str:
    """pandoc from PATH, else the binary that the bench extra's pypandoc-binary ships."""
    exe = shutil.which("pandoc")
    if exe is None:
        import pypandoc

        exe = pypandoc.get_pandoc_path()
    return exe


# ----------------------------------------------------------------------------- sources


@dataclass(frozen=True)
class Piece:
    title: str
    paragraphs: tuple[str, ...]


def pieces(words: int) -> list[Piece]:
    """Every CRS/GAO text cut at paragraph boundaries into pieces of at most `words` words (one
    paragraph longer than that is a piece by itself; a tail under a fifth of that joins the piece
    before it), in a fixed shuffled order."""
    out = []
    for text in measure.policy_texts():
        groups: list[list[str]] = [[]]
        count = 0
        for paragraph in text.paragraphs:
            n = len(paragraph.split())
            if groups[-1] and count + n > words:
                groups.append([])
                count = 0
            groups[-1].append(paragraph)
            count += n
        if len(groups) > 1 and count < words // 5:  # a short tail joins the piece before it
            groups[-2].extend(groups.pop())
        for k, group in enumerate(groups):
            title = text.title if len(groups) == 1 else f"{text.title} (part {k + 1} of {len(groups)})"
            out.append(Piece(title, tuple(group)))
    random.Random(0).shuffle(out)
    return out


def marked(paragraphs: tuple[str, ...], cycle: int) -> list[str]:
    """The paragraphs with every sentence marked '(item cycle.k)' before its final punctuation."""
    counter = 0

    def mark(match: re.Match) -> str:
        nonlocal counter
        counter += 1
        return f" (item {cycle}.{counter}){match.group(1)}"

    out = []
    for paragraph in paragraphs:
        body = _SENTENCE_END.sub(mark, paragraph)
        counter += 1
        if body[-1:] in ".!?":
            body = f"{body[:-1]} (item {cycle}.{counter}){body[-1]}"
        else:
            body = f"{body} (item {cycle}.{counter})"
        out.append(body)
    return out


def make_project(folder: Path, n: int, words: int) -> tuple[Path, int, int]:
    """N sources and a manifest; returns (manifest, distinct pieces, total words)."""
    sources = folder / "sources"
    sources.mkdir(parents=True)
    pool = pieces(words)
    total = 0
    for index in range(n):
        piece = pool[index % len(pool)]
        cycle = index // len(pool)
        paragraphs = marked(piece.paragraphs, cycle) if cycle else list(piece.paragraphs)
        text = measure.as_markdown(piece.title, paragraphs)
        total += len(text.split())
        (sources / f"source-{index:05d}.md").write_text(text, encoding="utf-8")
    manifest = folder / "briefgen.toml"
    manifest.write_text(
        "[defaults]\n"
        'out = "out"\n'
        f"date = {MEMO_DATE}\n"
        'classification = "UNCLASSIFIED"\n'
        f"audiences = {json.dumps(list(AUDIENCES))}\n"
        f"formats = {json.dumps(list(FORMATS))}\n\n"
        "[[job]]\n"
        'sources = ["sources/*.md"]\n'
    )
    return manifest, len(pool), total


# ----------------------------------------------------------------------------- the pandoc peer


def briefs_of(project: Path):
    """The analyses the cold batch made (its cache), in source order; a source the batch failed on
    has none and is left out. Without a cache (another layout) they are made afresh, untimed."""
    sys.path.insert(0, str(ROOT / "src"))
    from briefgen.model import Brief

    cached = sorted((project / "out" / ".briefgen-cache" / "briefs").rglob("*.json"))
    by_source = {}
    for entry in cached:
        try:
            brief = Brief.from_json(json.loads(entry.read_text(encoding="utf-8"))["brief"])
        except (KeyError, TypeError, ValueError):
            continue
        by_source[Path(brief.source.path).name] = brief
    sources = sorted((project / "sources").glob("*.md"))
    if by_source:
        return [by_source[s.name] for s in sources if s.name in by_source]
    from briefgen.pipeline import extract

    briefs = []
    for source in sources:
        try:
            briefs.append(extract(source))
        except Exception as err:  # the batch failed on it too; the table counts its memos as failed
            print(f"{source.name}: {type(err).__name__}: {err}", file=sys.stderr)
    return briefs


def compose_markdown(project: Path, folder: Path, limit: int) -> list[Path]:
    """briefgen's composed Markdown of every memo of the first `limit` sources."""
    from briefgen.build import with_key_points
    from briefgen.compose import compose, load_audience
    from briefgen.options import BuildOptions

    options = BuildOptions(
        audiences=AUDIENCES,
        formats=FORMATS,
        out_dir=project / "out",
        classification="UNCLASSIFIED",
        date=MEMO_DATE,
    )
    audiences = [load_audience(name) for name in AUDIENCES]
    written = []
    for index, brief in enumerate(briefs_of(project)[:limit]):
        for audience in audiences:
            path = folder / f"{index:05d}-{audience.name}.md"
            memo = with_key_points(brief, audience.key_points)
            path.write_text(compose(memo, audience, options), encoding="utf-8")
            written.append(path)
    return written


def pandoc_all(markdown: list[Path], jobs: int) -> None:
    """One pandoc process per memo and format, `jobs` at a time (the timed step, run as a child)."""
    pandoc = pandoc_exe()

    def one(args: tuple[Path, str]) -> None:
        source, fmt = args
        command = [pandoc, "-f", "commonmark_x", str(source), "-o", str(source.with_suffix(f".{fmt}"))]
        command += ["--metadata", f"title={source.stem}"]
        if fmt == "pdf":
            command.append(f"--pdf-engine={WEASYPRINT}")
        subprocess.run(command, check=True, capture_output=True, cwd=source.parent)

    with ThreadPoolExecutor(max_workers=jobs) as pool:
        list(pool.map(one, [(m, fmt) for m in markdown for fmt in FORMATS]))


# ----------------------------------------------------------------------------- the table


def checked(step: str, result: measure.Run, allowed=(0,)) -> measure.Run:
    if result.over or result.returncode not in allowed:
        sys.exit(
            f"bench/batch.py: {step} failed ({result.over or result.returncode}):\n{result.stderr[-3000:]}"
        )
    return result


def run_size(n: int, jobs: int, words: int, pandoc_limit: int | None, scratch: Path) -> dict:
    folder = scratch / f"n{n}"
    manifest, distinct, total_words = make_project(folder, n, words)
    command = [str(BRIEFGEN), "batch", str(manifest), "--jobs", str(jobs)]
    memos = n * len(AUDIENCES) * len(FORMATS)
    print(f"N={n}: {memos} memos, {total_words:,} words, {jobs} jobs ...", file=sys.stderr, flush=True)
    # 1: some sources failed; the table says how many
    cold = checked("briefgen cold", measure.run(command, interval=SAMPLE_EVERY), allowed=(0, 1))
    summary = json.loads((folder / "out" / "briefgen-report.json").read_text())["summary"]
    warm = checked("briefgen warm", measure.run(command, interval=SAMPLE_EVERY), allowed=(0, 1))
    edited = sorted((folder / "sources").glob("*.md"))[0]
    edited.write_text(edited.read_text(encoding="utf-8") + "\nOne more paragraph.\n", encoding="utf-8")
    touch = checked("briefgen one edited", measure.run(command, interval=SAMPLE_EVERY), allowed=(0, 1))
    touched = json.loads((folder / "out" / "briefgen-report.json").read_text())["summary"]["built"]
    limit = min(n, pandoc_limit or n)
    md_dir = folder / "pandoc"
    md_dir.mkdir()
    markdown = compose_markdown(folder, md_dir, limit)
    print(f"N={n}: pandoc on {len(markdown) * len(FORMATS)} memos ...", file=sys.stderr, flush=True)
    pandoc = checked(
        "the pandoc pipeline",
        measure.run(
            [sys.executable, __file__, "--pandoc", str(md_dir), "--jobs", str(jobs)], interval=SAMPLE_EVERY
        ),
    )
    return {
        "n": n,
        "distinct": min(n, distinct),
        "words": total_words,
        "memos": summary.get("built", memos),  # the memos briefgen made; failed ones are counted below
        "failed": summary.get("failed", 0),
        "cold": cold,
        "warm": warm,
        "touch": touch,
        "touch_built": touched,
        "pandoc": pandoc,
        "pandoc_memos": len(markdown) * len(FORMATS),
    }


def table(rows: list[dict], jobs: int, words: int) -> str:
    lines = [
        f"### Batch: briefgen vs a pandoc pipeline ({jobs} jobs, {os.cpu_count()} cores; "
        f"{len(AUDIENCES)} audiences x {len(FORMATS)} formats per source; sources of at most "
        f"{words:,} words)",
        "",
        "| N sources (distinct) | words | memos | briefgen cold wall s | CPU s | CPU ms/memo | memos/s "
        "| peak PSS MB (RSS sum) | largest process MB | warm s | one edited s | pandoc wall s | pandoc CPU s "
        "| pandoc CPU ms/memo | pandoc peak PSS MB | CPU pandoc/briefgen | wall pandoc/briefgen |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    notes = []
    for r in rows:
        cold, pandoc = r["cold"], r["pandoc"]
        # pandoc made the memos of the (first --pandoc-limit) sources briefgen built: its time per
        # memo, times the memos briefgen made, is its time for the same work.
        share = r["memos"] / max(1, r["pandoc_memos"])
        star = "*" if r["pandoc_memos"] != r["memos"] else ""
        p_wall, p_cpu = pandoc.wall * share, pandoc.cpu * share
        cells = [
            f"{r['n']:,} ({r['distinct']:,})",
            f"{r['words']:,}",
            f"{r['memos']:,}",
            f"{cold.wall:.1f}",
            f"{cold.cpu:.1f}",
            f"{cold.cpu * 1000 / r['memos']:.0f}",
            f"{r['memos'] / cold.wall:.1f}",
            f"{cold.peak_pss_mb:.0f} ({cold.peak_rss_mb:.0f})",
            f"{cold.largest_mb:.0f}",
            f"{r['warm'].wall:.2f}",
            f"{r['touch'].wall:.1f}",
            f"{p_wall:.1f}{star}",
            f"{p_cpu:.1f}{star}",
            f"{p_cpu * 1000 / r['memos']:.0f}",
            f"{pandoc.peak_pss_mb:.0f}",
            f"**{p_cpu / cold.cpu:.1f}x**",
            f"{p_wall / cold.wall:.1f}x",
        ]
        lines.append("| " + " | ".join(cells) + " |")
        if r["failed"]:
            notes.append(
                f"N={r['n']}: {r['failed']} memo(s) failed in the cold build (the batch report names them); "
                f"the table counts the {r['memos']} memos made."
            )
        if r["touch_built"] != len(AUDIENCES) * len(FORMATS):
            notes.append(f"N={r['n']}: editing one source rebuilt {r['touch_built']} memos.")
    if any(r["pandoc_memos"] != r["memos"] for r in rows):
        notes.append(
            "* pandoc ran on the memos of fewer sources (--pandoc-limit); its time per memo is scaled to "
            "the memos briefgen made."
        )
    lines += ["", *notes] if notes else []
    lines += [
        "",
        "CPU = user + system seconds of the whole process tree (parent and workers). Peak PSS = the most "
        "memory the whole tree held at once, shared pages split among sharers (RSS sum in brackets "
        "counts them twice). Ratios above 1: briefgen faster.",
    ]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, nargs="+", default=[100], help="source counts (default 100)")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--words", type=int, default=2000, help="most words per source (default 2,000)")
    parser.add_argument("--pandoc-limit", type=int, help="run pandoc on at most this many sources and scale")
    parser.add_argument("--pandoc", type=Path, help=argparse.SUPPRESS)  # internal: the timed pandoc step
    parser.add_argument("--keep", type=Path, help="build in this folder and keep it")
    args = parser.parse_args()
    if args.pandoc:
        pandoc_all(sorted(args.pandoc.glob("*.md")), args.jobs)
        return
    scratch = args.keep or Path(tempfile.mkdtemp(prefix="briefgen-bench-"))
    try:
        rows = [run_size(n, args.jobs, args.words, args.pandoc_limit, scratch) for n in args.n]
    finally:
        if not args.keep:
            shutil.rmtree(scratch, ignore_errors=True)
    print(table(rows, args.jobs, args.words))
    print(f"\n`{' '.join(['python', 'bench/batch.py', *sys.argv[1:]])}`")


if __name__ == "__main__":
    main()
