"""Render benchmark: briefgen's DOCX and PDF renderers beside pandoc (-t docx) and WeasyPrint, in
process and as whole processes, then pages and footnotes per memo, DOCX against PDF.

Inputs: real memos. The analyses of the example sources in `sources/` and of --crs CRS products
(../shared/corpora) are made first (untimed); every audience's memo is then built from them.

1. Speed. Every system gets the same Markdown, the `memo` audience's memo of each source (so the
   inputs are distinct documents), and writes the finished file:
   - briefgen DOCX: blocks.parse + render_docx         pandoc: `pandoc -f commonmark_x -t docx`
   - briefgen PDF:  blocks.parse + render_pdf          WeasyPrint: the Markdown as HTML (markdown-it,
                                                       untimed) with a stylesheet of briefgen's look
   In process: each renderer already loaded and warmed up on one memo, then --rounds rounds over
   the memos, the systems alternating, the median round kept. pandoc is a program, not a library,
   so its in-process figure is its process per memo. Whole process: one fresh process per memo
   and system (a Python that imports the one renderer it needs; `pandoc`; the `weasyprint`
   command), alternating, the median kept. CPU seconds (user + system, the process and its
   children) are the figure to read on a busy machine; wall time is shown beside them.
   WeasyPrint needs HarfBuzz's subsetting library (Debian `libharfbuzz-subset0`, which `make bench`
   installs): without it, it falls back to a much slower way of embedding fonts.
2. Pages and footnotes. Every audience's DOCX and PDF of every source, built as `briefgen build`
   builds them; the DOCX is converted by LibreOffice (`soffice --headless --convert-to pdf`) to
   count its pages. Footnotes: the entries of the DOCX's word/footnotes.xml (native Word
   footnotes), beside the number of notes the memo's Markdown defines.

    .venv/bin/python bench/render.py [--crs 6] [--rounds 3]
"""

from __future__ import annotations

import argparse
import io
import re
import shutil
import subprocess
import sys
import tempfile
import time
import zipfile
from collections.abc import Callable
from pathlib import Path

import measure

ROOT = measure.ROOT
sys.path.insert(0, str(ROOT / "src"))
SOURCES = ROOT / "sources"
ONE = Path(__file__).with_name("render_one.py")
MEMO_DATE = "2026-01-05"
BANNER = "UNCLASSIFIED"

# The same look as briefgen's PDF (letter, 1in margins, banner top and bottom, Page X of Y), so
# WeasyPrint does comparable work.
CSS = """
@page { size: letter; margin: 1in;
  @top-center { content: "UNCLASSIFIED"; color: #006400; font: bold 10pt 'DejaVu Sans'; }
  @bottom-center { content: "UNCLASSIFIED"; color: #006400; font: bold 10pt 'DejaVu Sans'; }
  @bottom-right { content: "Page " counter(page) " of " counter(pages);
                  font: 8.5pt 'DejaVu Sans'; color: #555; }
}
body { font: 11pt/1.2 'DejaVu Serif', serif; hyphens: auto; }
h1, h2, h3, h4 { font-family: 'DejaVu Sans', sans-serif; color: #1F3864; }
h1 { font-size: 18pt; border-bottom: 1.6pt solid #1F3864; }
table { border-collapse: collapse; width: 100%; font-size: 9.9pt; }
th { background: #DDE2EA; text-align: left; }
th, td { padding: 4pt 5pt; border-bottom: 0.4pt solid #9AA3AE; vertical-align: top; }
blockquote { border-left: 2.5pt solid #8FA0BA; margin-left: 6pt; padding-left: 12pt; font-style: italic; }
"""
_FOOTNOTE_DEF = re.compile(r"^\[\^[^\]]+\]:", re.MULTILINE)
_NATIVE_FOOTNOTE = re.compile(
    rb"<w:footnote\b(?![^>]*w:type=\"(?:separator|continuationSeparator|continuationNotice)\")"
)


# ----------------------------------------------------------------------------- inputs


def options(out: Path):
    from briefgen.options import BuildOptions

    return BuildOptions(out_dir=out, classification=BANNER, date=MEMO_DATE)


def briefs(crs: int, scratch: Path) -> list:
    """Analyses of the example sources and of the first `crs` CRS products (untimed)."""
    from briefgen.pipeline import extract

    paths = sorted(
        p for p in SOURCES.iterdir() if p.suffix.lower() in (".txt", ".md", ".html", ".docx", ".pdf")
    )
    products = [t for t in measure.policy_texts() if t.collection == "crs-products"][:crs]
    for text in products:
        path = scratch / f"{text.id}.md"
        path.write_text(measure.as_markdown(text.title, text.paragraphs), encoding="utf-8")
        paths.append(path)
    print(f"analysing {len(paths)} sources ...", file=sys.stderr, flush=True)
    return [extract(p) for p in paths]


def memo_markdown(brief, audience, opts) -> str:
    from briefgen.build import with_key_points
    from briefgen.compose import compose

    return compose(with_key_points(brief, audience.key_points), audience, opts)


def to_html(markdown: str, title: str) -> str:
    from markdown_it import MarkdownIt
    from mdit_py_plugins.footnote import footnote_plugin

    md = MarkdownIt("commonmark", {"html": False}).enable("table").use(footnote_plugin)
    head = f"<head><meta charset='utf-8'><title>{title}</title></head>"
    return f"<html>{head}<body>{md.render(markdown)}</body></html>"


# ----------------------------------------------------------------------------- the renderers


def _style_info(i: int):
    from briefgen.render.style import DocInfo, Style

    return Style(banner=BANNER), DocInfo(
        title=f"Memo {i}", author="bench", subject="render benchmark", date=MEMO_DATE
    )


def briefgen_docx(md: str, i: int) -> bytes:
    from briefgen.render.blocks import parse
    from briefgen.render.docx import render_docx

    style, info = _style_info(i)
    return render_docx(parse(md), style, info)


def briefgen_pdf(md: str, i: int) -> bytes:
    from briefgen.render.blocks import parse
    from briefgen.render.pdf import render_pdf

    style, info = _style_info(i)
    return render_pdf(parse(md), style, info)


def pandoc_exe() -> str | None:
    exe = shutil.which("pandoc")
    if exe is None:
        try:
            import pypandoc

            exe = pypandoc.get_pandoc_path()
        except (ImportError, OSError):
            return None
    return exe


def pandoc_version() -> str:
    if not PANDOC:
        return "not available"
    out = subprocess.run([PANDOC, "--version"], capture_output=True, text=True, check=False).stdout
    return out.split("\n", 1)[0].removeprefix("pandoc ").strip()


def pandoc_docx(md: str, i: int) -> bytes:
    command = [PANDOC or "pandoc", "-f", "commonmark_x", "-t", "docx", "-o", "-"]
    return subprocess.run(command, input=md.encode(), capture_output=True, check=True).stdout


def weasyprint_pdf() -> Callable[[str, int], bytes]:
    from weasyprint import CSS as WCSS
    from weasyprint import HTML

    sheet = WCSS(string=CSS)

    def run(md: str, i: int) -> bytes:
        return HTML(string=to_html(md, f"Memo {i}")).write_pdf(stylesheets=[sheet])

    return run


PANDOC = pandoc_exe()


def weasyprint_subsetting() -> str:
    """How this WeasyPrint embeds fonts: with HarfBuzz's subsetter, or its slow fallback."""
    try:
        from weasyprint.text.ffi import harfbuzz_subset
    except (ImportError, OSError):
        return "WeasyPrint not available"
    if harfbuzz_subset is None:
        return "WeasyPrint WITHOUT libharfbuzz-subset (its slow font-subsetting fallback)"
    return "WeasyPrint with libharfbuzz-subset"


def _cpu() -> float:
    """CPU seconds of this process (all threads) plus its finished children (pandoc)."""
    return time.process_time() + measure.children_cpu()


def in_process(systems: dict[str, Callable[[str, int], bytes]], inputs: list[str], rounds: int) -> dict:
    """{system: (wall ms, CPU ms) per memo}, the median of `rounds` alternating rounds."""
    for fn in systems.values():
        assert fn(inputs[0], 0), "empty output"  # warm-up: imports, fonts, first-call setup
    samples: dict[str, list[tuple[float, float]]] = {name: [] for name in systems}
    for _ in range(rounds):
        for name, fn in systems.items():
            start, start_cpu = time.perf_counter(), _cpu()
            for i, md in enumerate(inputs):
                fn(md, i)
            n = len(inputs)
            samples[name].append(((time.perf_counter() - start) * 1000 / n, (_cpu() - start_cpu) * 1000 / n))
    return {
        name: (measure.median([s[0] for s in runs]), measure.median([s[1] for s in runs]))
        for name, runs in samples.items()
    }


def whole_process(inputs: list[str], folder: Path) -> dict:
    """{system: (wall ms, CPU ms) per memo}: one fresh process per memo, systems alternating."""
    weasyprint = Path(sys.executable).parent / "weasyprint"
    css = folder / "memo.css"
    css.write_text(CSS, encoding="utf-8")
    commands: dict[str, Callable[[Path, int], list[str]]] = {
        "briefgen docx": lambda md, i: [
            sys.executable,
            str(ONE),
            "docx",
            str(md),
            str(md.with_suffix(".docx")),
        ],
        "briefgen pdf": lambda md, i: [sys.executable, str(ONE), "pdf", str(md), str(md.with_suffix(".pdf"))],
    }
    if PANDOC:
        commands["pandoc docx"] = lambda md, i: [
            PANDOC,
            "-f",
            "commonmark_x",
            str(md),
            "-o",
            str(md.with_suffix(".p.docx")),
        ]
    if weasyprint.exists():
        commands["weasyprint pdf"] = lambda md, i: [
            str(weasyprint),
            str(md.with_suffix(".html")),
            str(md.with_suffix(".w.pdf")),
            "-s",
            str(css),
        ]
    files = []
    for i, text in enumerate(inputs):
        md = folder / f"memo-{i:03d}.md"
        md.write_text(text, encoding="utf-8")
        md.with_suffix(".html").write_text(to_html(text, f"Memo {i}"), encoding="utf-8")
        files.append(md)
    samples: dict[str, list[tuple[float, float]]] = {name: [] for name in commands}
    for i, md in enumerate(files):
        for name, command in commands.items():
            result = measure.run(command(md, i), pss=False, interval=0.5)
            if not result.ok:
                raise SystemExit(f"bench/render.py: {name} failed: {result.stderr[-2000:]}")
            samples[name].append((result.wall * 1000, result.cpu * 1000))
    return {
        name: (measure.median([s[0] for s in runs]), measure.median([s[1] for s in runs]))
        for name, runs in samples.items()
    }


# ----------------------------------------------------------------------------- pages and footnotes


def pdf_pages(data: bytes) -> int:
    from pypdf import PdfReader

    return len(PdfReader(io.BytesIO(data)).pages)


def native_footnotes(docx: bytes) -> int:
    with zipfile.ZipFile(io.BytesIO(docx)) as z:
        if "word/footnotes.xml" not in z.namelist():
            return 0
        return len(_NATIVE_FOOTNOTE.findall(z.read("word/footnotes.xml")))


def soffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def pages_and_notes(all_briefs: list, folder: Path) -> list[dict]:
    from briefgen.build import render_formats
    from briefgen.compose import known_names, load_audience

    opts = options(folder)
    rows = []
    docx_dir = folder / "docx"
    docx_dir.mkdir()
    for name in known_names(None):
        audience = load_audience(name)
        for k, brief in enumerate(all_briefs):
            out = render_formats(brief, audience, ("docx", "pdf"), opts)
            path = docx_dir / f"{name}-{k:03d}.docx"
            path.write_bytes(out["docx"])
            rows.append(
                {
                    "audience": name,
                    "docx": path,
                    "pdf_pages": pdf_pages(out["pdf"]),
                    "native": native_footnotes(out["docx"]),
                    "defined": len(_FOOTNOTE_DEF.findall(memo_markdown(brief, audience, opts))),
                }
            )
    exe = soffice()
    if exe is None:
        print("LibreOffice not installed: DOCX pages not counted", file=sys.stderr)
        return rows
    converted = folder / "lo"
    profile = folder / "lo-profile"
    subprocess.run(
        [
            exe,
            f"-env:UserInstallation=file://{profile}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(converted),
        ]
        + [str(r["docx"]) for r in rows],
        capture_output=True,
        check=False,
        timeout=1800,
    )
    for r in rows:
        pdf = converted / (r["docx"].stem + ".pdf")
        r["docx_pages"] = pdf_pages(pdf.read_bytes()) if pdf.exists() else None
    return rows


# ----------------------------------------------------------------------------- the tables


def speed_table(inproc: dict, whole: dict, n: int, rounds: int) -> str:
    lines = [
        f"### Rendering: {n} memos (the `memo` audience of each source), CPU ms per memo (wall ms)",
        "",
        f"{weasyprint_subsetting()}; pandoc {pandoc_version()}.",
        "",
        "| system | in process (loaded, warm) | whole process |",
        "|---|---:|---:|",
    ]
    for name in ("briefgen docx", "pandoc docx", "briefgen pdf", "weasyprint pdf"):
        a, b = inproc.get(name), whole.get(name)
        cell_a = f"{a[1]:.0f} ({a[0]:.0f})" if a else "n/a"
        cell_b = f"{b[1]:.0f} ({b[0]:.0f})" if b else "n/a"
        if name == "pandoc docx":
            cell_a += " (a process: pandoc has no library)"
        lines.append(f"| {name} | {cell_a} | {cell_b} |")
    lines += ["", "| peer / briefgen, CPU (wall) | in process | whole process |", "|---|---:|---:|"]
    for ours, peer in (("briefgen docx", "pandoc docx"), ("briefgen pdf", "weasyprint pdf")):
        cells = []
        for table in (inproc, whole):
            if table.get(peer) and table.get(ours):
                cells.append(
                    f"{table[peer][1] / table[ours][1]:.1f}x ({table[peer][0] / table[ours][0]:.1f}x)"
                )
            else:
                cells.append("n/a")
        lines.append(f"| {peer} / {ours} | {cells[0]} | {cells[1]} |")
    lines.append("")
    lines.append(
        f"Above 1: briefgen faster. In process: median of {rounds} alternating rounds; "
        "whole process: median over the memos."
    )
    return "\n".join(lines)


def pages_table(rows: list[dict]) -> str:
    lines = [
        "### Pages and footnotes per memo, DOCX (pages counted by LibreOffice) vs PDF",
        "",
        "| audience | memos | PDF pages (mean) | DOCX pages (mean) | most apart "
        "| DOCX and PDF within one page | native DOCX footnotes (mean) | notes in the Markdown (mean) |",
        "|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for name in dict.fromkeys(r["audience"] for r in rows):
        group = [r for r in rows if r["audience"] == name]
        counted = [r for r in group if r.get("docx_pages") is not None]
        n = len(group)
        pdf_mean = sum(r["pdf_pages"] for r in group) / n
        if counted:
            docx_mean = f"{sum(r['docx_pages'] for r in counted) / len(counted):.1f}"
            apart = max(abs(r["docx_pages"] - r["pdf_pages"]) for r in counted)
            within = sum(abs(r["docx_pages"] - r["pdf_pages"]) <= 1 for r in counted)
            apart_cell, within_cell = str(apart), f"{within}/{len(counted)}"
        else:
            docx_mean = apart_cell = within_cell = "n/a"
        lines.append(
            f"| {name} | {n} | {pdf_mean:.1f} | {docx_mean} | {apart_cell} | {within_cell} "
            f"| {sum(r['native'] for r in group) / n:.1f} | {sum(r['defined'] for r in group) / n:.1f} |"
        )
    if not any(r["native"] for r in rows):
        lines += ["", "No DOCX has a word/footnotes.xml part: the notes are written as endnote paragraphs."]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--crs", type=int, default=5, help="CRS products added to the example sources (default 5)"
    )
    parser.add_argument("--rounds", type=int, default=3, help="in-process rounds (default 3)")
    parser.add_argument("--skip-pages", action="store_true", help="speed only")
    args = parser.parse_args()
    from briefgen.compose import load_audience

    with tempfile.TemporaryDirectory(prefix="briefgen-render-") as tmp:
        scratch = Path(tmp)
        all_briefs = briefs(args.crs, scratch)
        memo = load_audience("memo")
        opts = options(scratch / "out")
        inputs = [memo_markdown(b, memo, opts) for b in all_briefs]
        systems: dict[str, Callable[[str, int], bytes]] = {
            "briefgen docx": briefgen_docx,
            "briefgen pdf": briefgen_pdf,
        }
        if PANDOC:
            systems["pandoc docx"] = pandoc_docx
        try:
            systems["weasyprint pdf"] = weasyprint_pdf()
        except (ImportError, OSError) as exc:  # WeasyPrint missing, or no Pango on this machine
            print(f"weasyprint unavailable: {exc}", file=sys.stderr)
        print("timing in process ...", file=sys.stderr, flush=True)
        inproc = in_process(systems, inputs, args.rounds)
        print("timing whole processes ...", file=sys.stderr, flush=True)
        folder = scratch / "whole"
        folder.mkdir()
        whole = whole_process(inputs, folder)
        print(speed_table(inproc, whole, len(inputs), args.rounds))
        if not args.skip_pages:
            print("building every audience and converting the DOCX ...", file=sys.stderr, flush=True)
            pages = scratch / "pages"
            pages.mkdir()
            print()
            print(pages_table(pages_and_notes(all_briefs, pages)))
    print(f"\n`{' '.join(['python', 'bench/render.py', *sys.argv[1:]])}`")


if __name__ == "__main__":
    main()
