"""Batch benchmark: `briefgen batch` on N generated sources beside a pandoc-based pipeline.

For each N (default 100 and 1,000): N sources made from the example sources in `sources/` (text
ones reordered and stamped so every copy has its own bytes; PDF and DOCX copied), one manifest
with 2 audiences (memo, principal) x 2 formats (docx, pdf), then

- briefgen cold:   `briefgen batch` into an empty output folder;
- briefgen warm:   the same command again, nothing changed (the cache check only);
- briefgen touch:  one source edited, the same command again (its 4 memos rebuilt);
- pandoc:          the same memos from the same Markdown (briefgen's own composed Markdown, so
                   both sides print the same words), one `pandoc` process per memo: `-t docx`,
                   and PDF through `--pdf-engine=weasyprint`; run on --jobs threads like the batch.
                   pandoc does no analysis and has no cache, so it is timed once; with
                   --pandoc-limit it runs on the first M sources and its time is scaled to N.

Each timed step runs in a child process, so peak RSS is the child's own high-water mark
(`resource.getrusage(RUSAGE_CHILDREN).ru_maxrss`: the largest process of the tree, i.e. one
worker, not the sum over workers).

    .venv/bin/python bench/batch.py                       # N = 100 and 1,000
    .venv/bin/python bench/batch.py --n 20 --jobs 2       # a quick look
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SOURCES = ROOT / "sources"
BIN = Path(sys.executable).parent
BRIEFGEN = BIN / "briefgen"
WEASYPRINT = BIN / "weasyprint"


def _pandoc() -> str:
    """pandoc from PATH, else the binary that the bench extra's pypandoc-binary ships."""
    exe = shutil.which("pandoc")
    if exe is None:
        import pypandoc

        exe = pypandoc.get_pandoc_path()
    return exe


PANDOC = _pandoc()
AUDIENCES = ("memo", "principal")
FORMATS = ("docx", "pdf")
TEXT_SUFFIXES = (".txt", ".md", ".markdown")
HTML_SUFFIXES = (".html", ".htm")
_PARAGRAPHS = re.compile(r"\n\s*\n")
_BODY_END = re.compile(r"</body>", re.IGNORECASE)
HEADER_PARAGRAPHS = 4  # leave the title/byline block of a text source where readers expect it


# ----------------------------------------------------------------------------- sources


def examples() -> list[Path]:
    found = sorted(
        p
        for p in SOURCES.iterdir()
        if p.is_file() and p.suffix.lower() in TEXT_SUFFIXES + HTML_SUFFIXES + (".pdf", ".docx")
    )
    if not found:
        sys.exit(f"bench/batch.py: no example sources in {SOURCES}")
    return found


def vary(example: Path, index: int) -> bytes:
    """A copy of an example with its own bytes: body paragraphs rotated, a stamp appended."""
    data = example.read_bytes()
    suffix = example.suffix.lower()
    stamp = f"Copy {index} of {example.name}, generated for the batch benchmark."
    if suffix in TEXT_SUFFIXES:
        parts = _PARAGRAPHS.split(data.decode("utf-8"))
        head, body = parts[:HEADER_PARAGRAPHS], parts[HEADER_PARAGRAPHS:]
        if body:
            turn = random.Random(index).randrange(len(body))
            body = body[turn:] + body[:turn]
        return ("\n\n".join(head + body + [stamp]) + "\n").encode("utf-8")
    if suffix in HTML_SUFFIXES:
        text = data.decode("utf-8", errors="replace")
        if _BODY_END.search(text):
            return _BODY_END.sub(f"<p>{stamp}</p></body>", text, count=1).encode("utf-8")
        return (text + f"\n<p>{stamp}</p>\n").encode("utf-8")
    return data  # PDF and DOCX: the same bytes under another name


def make_project(folder: Path, n: int) -> Path:
    sources = folder / "sources"
    sources.mkdir(parents=True)
    pool = examples()
    for index in range(n):
        example = pool[index % len(pool)]
        (sources / f"{example.stem}-{index:05d}{example.suffix}").write_bytes(vary(example, index))
    manifest = folder / "briefgen.toml"
    manifest.write_text(
        "[defaults]\n"
        'out = "out"\n'
        "date = 2026-01-05\n"
        'classification = "UNCLASSIFIED"\n'
        f"audiences = {json.dumps(list(AUDIENCES))}\n"
        f"formats = {json.dumps(list(FORMATS))}\n\n"
        "[[job]]\n"
        'sources = ["sources/*"]\n'
    )
    return manifest


# ----------------------------------------------------------------------------- measuring


def measured(command: list[str], *, cwd: Path | None = None) -> dict:
    """Run `command` under a fresh child python, so its peak RSS is not mixed with earlier steps."""
    probe = [sys.executable, __file__, "--probe", "--", *command]
    done = subprocess.run(probe, cwd=cwd, capture_output=True, text=True)
    if done.returncode != 0:
        sys.exit(f"bench/batch.py: {' '.join(command)} failed:\n{done.stderr[-3000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def probe(command: list[str]) -> None:
    start = time.perf_counter()
    done = subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    seconds = time.perf_counter() - start
    if done.returncode not in (0, 1):  # 1: some memos failed; the table says how many
        sys.stderr.write(done.stderr)
        sys.exit(done.returncode)
    peak_kb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    print(
        json.dumps(
            {
                "seconds": seconds,
                "peak_mb": peak_kb / 1024,
                "returncode": done.returncode,
                "stderr": done.stderr[-2000:],
            }
        )
    )


# ----------------------------------------------------------------------------- pandoc peer


def compose_markdown(project: Path, folder: Path, limit: int | None) -> list[Path]:
    """briefgen's composed Markdown for every memo, from the analyses the batch cached."""
    sys.path.insert(0, str(ROOT / "src"))
    from briefgen.audiences import load_audience
    from briefgen.model import Brief
    from briefgen.options import BuildOptions
    from briefgen.templating import compose

    options = BuildOptions(
        audiences=AUDIENCES,
        formats=FORMATS,
        out_dir=project / "out",
        classification="UNCLASSIFIED",
        date="2026-01-05",
    )
    audiences = [load_audience(name) for name in AUDIENCES]
    briefs = sorted((project / "out" / ".briefgen-cache" / "briefs").rglob("*.json"))
    written = []
    for entry in briefs[:limit]:
        brief = Brief.from_json(json.loads(entry.read_text())["brief"])
        for audience in audiences:
            path = folder / f"{Path(brief.source.path).stem}-{audience.name}.md"
            path.write_text(compose(brief, audience, options), encoding="utf-8")
            written.append(path)
    return written


def pandoc_all(markdown: list[Path], jobs: int) -> None:
    """One pandoc process per memo and format, `jobs` at a time."""

    def one(args: tuple[Path, str]) -> None:
        source, fmt = args
        target = source.with_suffix(f".{fmt}")
        command = [
            PANDOC,
            "-f",
            "commonmark_x",
            str(source),
            "-o",
            str(target),
            "--metadata",
            f"title={source.stem}",
        ]
        if fmt == "pdf":
            command.append(f"--pdf-engine={WEASYPRINT}")
        subprocess.run(command, check=True, capture_output=True, cwd=source.parent)  # its temp files

    with ThreadPoolExecutor(max_workers=jobs) as pool:
        list(pool.map(one, [(m, fmt) for m in markdown for fmt in FORMATS]))


# ----------------------------------------------------------------------------- the table


def run_size(n: int, jobs: int, pandoc_limit: int | None, scratch: Path) -> dict:
    folder = scratch / f"n{n}"
    manifest = make_project(folder, n)
    command = [str(BRIEFGEN), "batch", str(manifest), "--jobs", str(jobs)]
    memos = n * len(AUDIENCES) * len(FORMATS)
    print(f"N={n}: {memos} memos, {jobs} jobs ...", file=sys.stderr, flush=True)
    cold = measured(command)
    cold_failed = json.loads((folder / "out" / "briefgen-report.json").read_text())["summary"]["failed"]
    warm = measured(command)
    touched = next(p for p in sorted((folder / "sources").iterdir()) if p.suffix in TEXT_SUFFIXES)
    touched.write_text(touched.read_text() + "\nOne more line.\n")
    touch = measured(command)
    report = json.loads((folder / "out" / "briefgen-report.json").read_text())
    limit = min(n, pandoc_limit) if pandoc_limit else n
    md_dir = folder / "pandoc"
    md_dir.mkdir()
    markdown = compose_markdown(folder, md_dir, limit)
    pandoc = measured([sys.executable, __file__, "--pandoc", str(md_dir), "--jobs", str(jobs)])
    if pandoc["returncode"]:
        sys.exit(f"bench/batch.py: the pandoc pipeline failed:\n{pandoc['stderr']}")
    scale = n / limit
    return {
        "n": n,
        "memos": memos,
        "cold": cold,
        "warm": warm,
        "touch": touch,
        "touch_built": report["summary"]["built"],
        "failed": cold_failed,
        "pandoc": pandoc,
        "pandoc_memos": len(markdown) * len(FORMATS),
        "pandoc_scaled": pandoc["seconds"] * scale,
        "pandoc_sampled": scale != 1,
    }


def table(rows: list[dict], jobs: int) -> str:
    lines = [
        f"briefgen batch vs pandoc, {jobs} jobs on {os.cpu_count()} cores, "
        f"{len(AUDIENCES)} audiences x {len(FORMATS)} formats per source",
        "",
        "| N | memos | briefgen cold s | memos/s | warm s | touch 1 s | peak RSS MB | pandoc s | pandoc memos/s "
        "| pandoc peak RSS MB | cold time pandoc/briefgen |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in rows:
        cold, pandoc = r["cold"]["seconds"], r["pandoc_scaled"]
        sampled = "*" if r["pandoc_sampled"] else ""
        lines.append(
            f"| {r['n']} | {r['memos']} | {cold:.1f} | {r['memos'] / cold:.1f} | {r['warm']['seconds']:.2f} "
            f"| {r['touch']['seconds']:.1f} | {r['cold']['peak_mb']:.0f} | {pandoc:.1f}{sampled} "
            f"| {r['memos'] / pandoc:.1f} | {r['pandoc']['peak_mb']:.0f} | {pandoc / cold:.2f} |"
        )
    if len(rows) >= 2:
        small, big = rows[0], rows[-1]
        factor = big["n"] / small["n"]
        lines += [
            "",
            f"Growth N={small['n']} -> {big['n']} (x{factor:g}): "
            f"cold time x{big['cold']['seconds'] / small['cold']['seconds']:.2f}, "
            f"warm time x{big['warm']['seconds'] / small['warm']['seconds']:.2f}, "
            f"peak RSS x{big['cold']['peak_mb'] / small['cold']['peak_mb']:.2f}, "
            f"pandoc time x{big['pandoc_scaled'] / small['pandoc_scaled']:.2f}",
        ]
    if any(r["pandoc_sampled"] for r in rows):
        lines.append("* pandoc timed on the first --pandoc-limit sources and scaled to N.")
    failed = sum(r["failed"] for r in rows)
    if failed:
        lines.append(f"Note: {failed} memo(s) failed in the cold briefgen builds (see the reports).")
    return "\n".join(lines)


def main() -> None:
    if len(sys.argv) > 1 and sys.argv[1] == "--probe":
        probe(sys.argv[3:])
        return
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, nargs="+", default=[100, 1000], help="source counts")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    parser.add_argument(
        "--pandoc-limit",
        type=int,
        default=None,
        help="run pandoc on at most this many sources per N and scale the time",
    )
    parser.add_argument("--pandoc", type=Path, help=argparse.SUPPRESS)  # internal: the timed pandoc step
    parser.add_argument("--keep", type=Path, help="build in this folder and keep it")
    args = parser.parse_args()
    if args.pandoc:
        pandoc_all(sorted(args.pandoc.glob("*.md")), args.jobs)
        return
    scratch = args.keep or Path(tempfile.mkdtemp(prefix="briefgen-bench-"))
    try:
        rows = [run_size(n, args.jobs, args.pandoc_limit, scratch) for n in args.n]
    finally:
        if not args.keep:
            shutil.rmtree(scratch, ignore_errors=True)
    print(table(rows, args.jobs))


if __name__ == "__main__":
    main()
