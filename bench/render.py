"""Render benchmark: briefgen's DOCX and PDF renderers beside pandoc (-t docx) and WeasyPrint.

Every system gets the same intermediate Markdown (tests/fixtures/render/full_memo.md, with the memo
number put in the title so no two inputs are identical) and produces the finished file's bytes:
- briefgen DOCX: blocks.parse + render_docx            vs  pandoc -f commonmark_x -t docx (one process per memo,
  as a build would run it)
- briefgen PDF:  blocks.parse + render_pdf             vs  markdown-it HTML + a memo stylesheet -> WeasyPrint
One warm-up memo per system is excluded (font loading, imports); then one timed run of N memos.
With --latin the Chinese names are replaced by Latin ones, to show how much of WeasyPrint's time is
subsetting the CJK font (it runs fontTools on every font of every document).

    .venv/bin/python bench/render.py [-n 50] [--latin]
"""

from __future__ import annotations

import argparse
import re
import resource
import shutil
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from briefgen.render.blocks import _MD, parse  # noqa: E402
from briefgen.render.docx import render_docx  # noqa: E402
from briefgen.render.pdf import render_pdf  # noqa: E402
from briefgen.render.style import DocInfo, Style  # noqa: E402

FIXTURE = ROOT / "tests" / "fixtures" / "render" / "full_memo.md"
STYLE = Style(banner="UNCLASSIFIED")

# The same look as briefgen's PDF (letter, 1in margins, banner top and bottom, Page X of Y) so
# WeasyPrint does comparable work.
CSS = """
@page { size: letter; margin: 1in;
  @top-center { content: "UNCLASSIFIED"; color: #006400; font: bold 10pt 'DejaVu Sans'; }
  @bottom-center { content: "UNCLASSIFIED"; color: #006400; font: bold 10pt 'DejaVu Sans'; }
  @bottom-right { content: "Page " counter(page) " of " counter(pages); font: 8.5pt 'DejaVu Sans'; color: #555; }
}
body { font: 11pt/1.2 'DejaVu Serif', serif; hyphens: auto; }
h1, h2, h3, h4 { font-family: 'DejaVu Sans', sans-serif; color: #1F3864; }
h1 { font-size: 18pt; border-bottom: 1.6pt solid #1F3864; }
table { border-collapse: collapse; width: 100%; font-size: 9.9pt; }
th { background: #DDE2EA; text-align: left; }
th, td { padding: 4pt 5pt; border-bottom: 0.4pt solid #9AA3AE; vertical-align: top; }
blockquote { border-left: 2.5pt solid #8FA0BA; margin-left: 6pt; padding-left: 12pt; font-style: italic; }
"""


_HAN = re.compile(r"[\u4e00-\u9fff]+")


def memos(n: int, *, latin: bool = False) -> list[str]:
    text = FIXTURE.read_text(encoding="utf-8")
    if latin:
        text = _HAN.sub("Xi", text)
    return [text.replace("# Information Memo:", f"# Information Memo {i}:", 1) for i in range(n)]


def info(i: int) -> DocInfo:
    return DocInfo(title=f"Memo {i}", author="bench", subject="render benchmark", date="2024-05-14")


def briefgen_docx(md: str, i: int) -> bytes:
    return render_docx(parse(md), STYLE, info(i))


def briefgen_pdf(md: str, i: int) -> bytes:
    return render_pdf(parse(md), STYLE, info(i))


def pandoc_command() -> list[str] | None:
    exe = shutil.which("pandoc")
    if exe is None:
        try:
            import pypandoc

            exe = pypandoc.get_pandoc_path()
        except Exception:
            return None
    return [exe, "-f", "commonmark_x", "-t", "docx", "-o", "-"]


def pandoc_docx(cmd: list[str]):
    def run(md: str, i: int) -> bytes:
        return subprocess.run(cmd, input=md.encode(), capture_output=True, check=True).stdout

    return run


def weasyprint_pdf():
    from weasyprint import CSS as WCSS
    from weasyprint import HTML

    sheet = WCSS(string=CSS)

    def run(md: str, i: int) -> bytes:
        html = f"<html><head><title>Memo {i}</title></head><body>{_MD.render(md)}</body></html>"
        return HTML(string=html).write_pdf(stylesheets=[sheet])

    return run


def _cpu() -> float:
    """CPU seconds of this process plus its finished children (pandoc runs as a child)."""
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return time.process_time() + children.ru_utime + children.ru_stime


def timed(fn, inputs: list[str]) -> tuple[float, float]:
    """(wall ms, CPU ms) per memo. CPU time is the fairer figure on a shared, busy machine."""
    fn(inputs[0], 0)  # warm-up: imports, font loading
    start, start_cpu = time.perf_counter(), _cpu()
    for i, md in enumerate(inputs):
        out = fn(md, i)
        assert out, "empty output"
    n = len(inputs)
    return (time.perf_counter() - start) * 1000 / n, (_cpu() - start_cpu) * 1000 / n


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", type=int, default=50, help="memos per system (default 50)")
    parser.add_argument("--latin", action="store_true", help="replace the Chinese names (no CJK font)")
    args = parser.parse_args()
    inputs = memos(args.n, latin=args.latin)
    variant = ", Latin only" if args.latin else ", with Chinese names"
    print(f"{args.n} memos of {len(inputs[0]):,} characters of Markdown each ({FIXTURE.name}{variant})")

    results: dict[str, tuple[float, float] | None] = {
        "briefgen docx": timed(briefgen_docx, inputs),
        "briefgen pdf": timed(briefgen_pdf, inputs),
    }
    cmd = pandoc_command()
    results["pandoc docx"] = timed(pandoc_docx(cmd), inputs) if cmd else None
    try:
        results["weasyprint pdf"] = timed(weasyprint_pdf(), inputs)
    except (ImportError, OSError) as exc:  # WeasyPrint missing or no pango on this machine
        print(f"weasyprint unavailable: {exc}")
        results["weasyprint pdf"] = None

    print(f"{'':16s} {'wall ms/memo':>13s} {'CPU ms/memo':>12s}")
    for name, ms in results.items():
        print(f"{name:16s} " + ("n/a" if ms is None else f"{ms[0]:13.1f} {ms[1]:12.1f}"))
    for ours, peer in (("briefgen docx", "pandoc docx"), ("briefgen pdf", "weasyprint pdf")):
        if results[peer]:
            wall = results[peer][0] / results[ours][0]
            cpu = results[peer][1] / results[ours][1]
            print(f"{peer} / {ours}: {wall:.1f}x wall, {cpu:.1f}x CPU (above 1 = briefgen faster)")


if __name__ == "__main__":
    main()
