"""Every benchmark `make bench` runs, each as its own process, its table written to
bench/results/<name>.md and all of them printed at the end in this order.

    .venv/bin/python bench/run_all.py                 # one after the other
    .venv/bin/python bench/run_all.py --parallel 3    # three at a time (see below)
    .venv/bin/python bench/run_all.py --only cold render

With --parallel N, N scripts run at once. On a machine other work keeps busy this gets the run a
larger share of the cores; the speed tables stay comparable because every figure that matters is
a CPU-time ratio between peers measured alternately in the same script. Wall-time columns are
then only what that run saw. The header says how the run was made.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from pathlib import Path

HERE = Path(__file__).resolve().parent
RESULTS = HERE / "results"

# (name, arguments): the order the tables are printed in. The slowest start first.
BENCHMARKS = (
    ("keypoints", ["keypoints.py"]),
    ("actors", ["actors.py"]),
    ("analysis_speed", ["analysis_speed.py", "--cap", "150", "--parallel", "3"]),
    ("render", ["render.py"]),
    ("cold", ["cold.py"]),
    ("batch", ["batch.py", "--n", "60"]),
    ("eval-baselines", ["eval_baselines.py"]),  # dev-set figures beside lead and TextRank (README, Quality)
    ("readers", ["readers.py"]),  # the readers' own benchmark (README, Readers)
    ("serve", ["serve.py"]),  # the web page's (README, The web page)
)
START_ORDER = (
    "analysis_speed",
    "batch",
    "keypoints",
    "cold",
    "render",
    "actors",
    "eval-baselines",
    "readers",
    "serve",
)


def run(name: str, args: list[str]) -> tuple[str, int, float]:
    start = time.perf_counter()
    print(f"[{datetime.now(UTC):%H:%M:%S}] {name} ...", file=sys.stderr, flush=True)
    with open(RESULTS / f"{name}.md", "w", encoding="utf-8") as out:
        command = [sys.executable, str(HERE / args[0]), *args[1:]]
        done = subprocess.run(command, stdout=out, cwd=HERE.parent, check=False)
    seconds = time.perf_counter() - start
    print(f"[{datetime.now(UTC):%H:%M:%S}] {name} done in {seconds:.0f} s", file=sys.stderr, flush=True)
    return name, done.returncode, seconds


def header(parallel: int) -> str:
    commit = subprocess.run(
        ["git", "log", "-1", "--format=%h %cd", "--date=format:%Y-%m-%d %H:%M"],
        capture_output=True,
        text=True,
        cwd=HERE,
        check=False,
    ).stdout.strip()
    load = " ".join(f"{x:.1f}" for x in os.getloadavg())
    return (
        f"briefgen benchmarks at {commit or 'an unknown commit'}, run {datetime.now(UTC):%Y-%m-%d %H:%M} UTC "
        f"on {os.cpu_count()} cores (load average {load}), {parallel} at a time"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--parallel", type=int, default=1)
    parser.add_argument("--only", nargs="+", choices=[name for name, _ in BENCHMARKS])
    args = parser.parse_args()
    RESULTS.mkdir(exist_ok=True)
    chosen = dict(BENCHMARKS)
    names = [n for n in START_ORDER if not args.only or n in args.only]
    first = header(args.parallel)
    with ThreadPoolExecutor(max_workers=args.parallel) as pool:
        outcomes = list(pool.map(lambda name: run(name, chosen[name]), names))
    print(f"{first}; finished {datetime.now(UTC):%H:%M} UTC\n")
    failed = []
    by_name = {name: (code, seconds) for name, code, seconds in outcomes}
    for name, _ in BENCHMARKS:
        if name not in by_name:
            continue
        code, seconds = by_name[name]
        print((RESULTS / f"{name}.md").read_text(encoding="utf-8").rstrip())
        print(f"\n({name}: {seconds:.0f} s{'' if code == 0 else f', FAILED with exit code {code}'})\n")
        if code:
            failed.append(name)
    if failed:
        print(f"failed: {', '.join(failed)}", file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
