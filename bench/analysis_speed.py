"""Analysis speed and memory against input size, on real policy text (CRS and GAO bodies from
../shared/corpora concatenated paragraph by paragraph, no paragraph repeated).

For each size (default 10 KB to 2 MB) a child process of its own:
1. loads the spaCy model and warms the pipeline up on a few sentences of other text (not timed:
   every command pays that once, and bench/cold.py measures it);
2. reads the text with briefgen's reader, segments it, and runs `briefgen.analysis.analyze()`
   with every stage function it calls timed (the functions of `briefgen.analysis.*` that the
   module defining `analyze` calls by name are wrapped, so new or renamed stages show up as
   columns by themselves; what analyze does between them is "other");
3. times the bare spaCy parse of the same text (`nlp.pipe` over its paragraphs, every component
   on), the floor every stage is compared with. It runs last, with every word of the text already
   in the model's vocabulary: if anything, that favours the floor;
4. reports its own peak RSS (`ru_maxrss`: exact, not sampled) and its RSS before step 2.
A child is stopped at --cap CPU seconds or --memory-cap MB of RSS and its row says "over"; with
--parallel 2 two sizes run at once (each child's times are its own CPU seconds, so they do not
add up; only its wall time would).

Times are CPU seconds of the child (it is single-threaded), so other work on the machine does not
inflate them; each stage is given as a ratio to the bare parse of the same text.

    .venv/bin/python bench/analysis_speed.py [--sizes 0.01 0.1 0.3 1 2] [--cap 300] [--parallel 2]
"""

from __future__ import annotations

import argparse
import inspect
import json
import resource
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import measure

HERE = Path(__file__).resolve()


# ----------------------------------------------------------------------------- the child


def _rss_mb() -> float:
    with open("/proc/self/statm") as fh:
        return int(fh.read().split()[1]) * resource.getpagesize() / measure.MB


def _hook_stages(timings: dict[str, float]) -> None:
    """Wrap the analysis stage functions where `analyze` looks them up, timing each call."""
    import briefgen.analysis as analysis

    home = sys.modules[analysis.analyze.__module__]
    for name, fn in list(vars(home).items()):
        module = getattr(fn, "__module__", "") or ""
        if (
            inspect.isfunction(fn)
            and module.startswith("briefgen.analysis")
            and module != home.__name__
            and name != "analyze"
        ):

            def timed(*args, __fn=fn, __name=name, **kwargs):
                start = time.process_time()
                try:
                    return __fn(*args, **kwargs)
                finally:
                    timings[__name] = timings.get(__name, 0.0) + time.process_time() - start

            setattr(home, name, timed)


def child(path: Path) -> None:
    from briefgen import nlp
    from briefgen.analysis import analyze
    from briefgen.readers import read_source
    from briefgen.segment import segment

    model = nlp.model()
    # Warm-up on other text: the model's first call, and the first read/segment/analyze import
    # and set up what every later call reuses (bench/cold.py measures that cold path).
    warm = path.with_name("warm-up.md")
    warm.write_text(
        "# Warm-up\n\nThe Secretary met the Minister in Paris on 3 May 2024. They disagreed on tariffs.\n\n"
        "Will the talks resume? The Treaty on the Non-Proliferation of Nuclear Weapons was discussed.\n",
        encoding="utf-8",
    )
    warm_doc = read_source(warm)
    analyze(warm_doc, segment(warm_doc))
    text = path.read_text(encoding="utf-8")
    paragraphs = [p for p in text.split("\n\n") if p.strip()]
    baseline = _rss_mb()

    timings: dict[str, float] = {}
    start = time.process_time()
    document = read_source(path)
    timings["read"] = time.process_time() - start
    start = time.process_time()
    sentences = segment(document)
    timings["segment"] = time.process_time() - start
    _hook_stages(timings)
    start = time.process_time()
    analyze(document, sentences)
    total_analyze = time.process_time() - start
    inner = sum(v for k, v in timings.items() if k not in ("read", "segment"))
    timings["other"] = max(0.0, total_analyze - inner)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

    # The bare parse runs last, so it starts with every word of the text already in the model's
    # vocabulary: if anything that favours the floor, not briefgen.
    start = time.process_time()
    for _doc in model.pipe(paragraphs):
        pass
    bare = time.process_time() - start
    print(
        json.dumps(
            {
                "words": len(text.split()),
                "bare": bare,
                "stages": timings,
                "total": timings["read"] + timings["segment"] + total_analyze,
                "baseline_mb": baseline,
                "peak_mb": peak,
            }
        )
    )


# ----------------------------------------------------------------------------- the parent


def run_size(size_mb: float, folder: Path, cap: float, memory_cap: float) -> dict:
    """One size in a child process, stopped at `cap` CPU seconds or `memory_cap` MB."""
    size = int(size_mb * 1_000_000)
    path = folder / f"sample-{size}.md"
    path.write_text(
        measure.as_markdown(f"Policy text sample of {size:,} bytes", []) + measure.text_of_size(size)
    )
    print(f"{size_mb:g} MB ...", file=sys.stderr, flush=True)
    result = measure.run(
        [sys.executable, str(HERE), "--child", str(path)],
        cpu_cap=cap,
        time_cap=cap * 10,  # a child starved of CPU by other work still ends
        memory_cap_mb=memory_cap,
        pss=False,
        interval=0.25,
    )
    row = {"size_mb": size_mb, "over": result.over, "wall": result.wall, "sampled_peak_mb": result.largest_mb}
    if result.over is None and result.returncode != 0:  # a crash is a row of the table, not the end
        last = (result.stderr.strip().splitlines() or ["no message"])[-1]
        print(f"the {size_mb:g} MB child failed:\n{result.stderr[-3000:]}", file=sys.stderr)
        row["over"] = "failed"
        row["error"] = last[:120]
    elif result.over is None:
        row.update(json.loads(result.stdout.strip().splitlines()[-1]))
    return row


def _over(row: dict, cap: float, memory_cap: float) -> str:
    if row["over"] == "failed":
        return f"failed: {row['error']}"
    if row["over"] == "memory":
        return f"over {memory_cap:,.0f} MB"
    return f"over {cap:.0f} CPU s" if row["over"] == "cpu" else f"over {cap * 10:.0f} s wall"


def tables(rows: list[dict], cap: float, memory_cap: float) -> str:
    done = [r for r in rows if r["over"] is None]
    stages: list[str] = []
    for r in done:
        for name in r["stages"]:
            if name not in stages:
                stages.append(name)
    lines = [
        "### Analysis time per stage, as a ratio to the bare spaCy parse of the same text (CPU)",
        "",
        "| size | words | bare parse s | " + " | ".join(stages) + " | all stages s | all / bare |",
        "|---:|---:|---:|" + "---:|" * len(stages) + "---:|---:|",
    ]
    for r in rows:
        if r["over"] is not None:
            lines.append(
                f"| {r['size_mb']:g} MB | | | " + " | " * len(stages) + f"{_over(r, cap, memory_cap)} | |"
            )
            continue
        cells = [f"{r['stages'].get(name, 0.0) / r['bare']:.2f}" for name in stages]
        lines.append(
            f"| {r['size_mb']:g} MB | {r['words']:,} | {r['bare']:.1f} | "
            + " | ".join(cells)
            + f" | {r['total']:.1f} | **{r['total'] / r['bare']:.2f}x** |"
        )
    lines += [
        "",
        "### Peak memory against input size (the child's own ru_maxrss)",
        "",
        "| size | peak RSS MB | before the analysis MB | added by the analysis MB | added MB per MB of text "
        "| CPU s per MB of text |",
        "|---:|---:|---:|---:|---:|---:|",
    ]
    for r in rows:
        if r["over"] is not None:
            seen = f"at least {r['sampled_peak_mb']:,.0f}"
            lines.append(f"| {r['size_mb']:g} MB | {seen} | | | | {_over(r, cap, memory_cap)} |")
            continue
        added = r["peak_mb"] - r["baseline_mb"]
        lines.append(
            f"| {r['size_mb']:g} MB | {r['peak_mb']:,.0f} | {r['baseline_mb']:,.0f} | {added:,.0f} "
            f"| {added / r['size_mb']:,.0f} | {r['total'] / r['size_mb']:.0f} |"
        )
    return "\n".join(lines)


def main() -> None:
    if len(sys.argv) == 3 and sys.argv[1] == "--child":
        sys.path.insert(0, str(measure.ROOT / "src"))
        child(Path(sys.argv[2]))
        return
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--sizes", type=float, nargs="+", default=[0.01, 0.1, 0.3, 1.0, 2.0], help="MB of text"
    )
    parser.add_argument("--cap", type=float, default=300, help="CPU seconds a size may take (default 300)")
    parser.add_argument("--parallel", type=int, default=1, help="sizes run at once (CPU times are per child)")
    parser.add_argument(
        "--memory-cap", type=float, default=4096, help="MB of RSS a size may take (default 4096)"
    )
    args = parser.parse_args()
    with (
        tempfile.TemporaryDirectory(prefix="briefgen-scaling-") as tmp,
        ThreadPoolExecutor(max_workers=args.parallel) as pool,
    ):
        rows = list(pool.map(lambda size: run_size(size, Path(tmp), args.cap, args.memory_cap), args.sizes))
    print(tables(rows, args.cap, args.memory_cap))
    print(f"\n`{' '.join(['python', 'bench/analysis_speed.py', *sys.argv[1:]])}`")


if __name__ == "__main__":
    main()
