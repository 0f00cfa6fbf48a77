"""The quality gate: the dev-set figures of ../shared/eval may not fall below the floors pinned here.

In the style of trafilatura's evaluation in CI: run the scorers, compare the pooled figures with
`eval/floors.toml`, and refuse (exit 1) any figure that got worse, naming it. Raise a floor when a
figure improves (commit the new floors.toml with the change that earned it); never lower one
silently: a lower floor is a reviewed decision, written in the commit message.

usage: python eval/gate.py [--eval ../shared/eval] [--briefgen .venv/bin/briefgen] [--table-only]
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
FLOORS = ROOT / "eval" / "floors.toml"


def run_scorer(script: Path, dev: Path, briefgen: str, out: Path) -> dict:
    subprocess.run(
        [sys.executable, str(script), str(dev), "--briefgen", briefgen, "--json", str(out)],
        check=True,
        stdout=subprocess.DEVNULL,
    )
    return json.loads(out.read_text())


def figures(score: dict, memo: dict) -> dict[str, float]:
    """The pooled figures, flat: score.<name> for score.py, memo.<name> for memo_check.py."""
    found: dict[str, float] = {}
    for name, value in (score.get("total") or {}).items():
        if isinstance(value, list) and len(value) == 3:  # (hits, total, ratio)
            found[f"score.{name}"] = round(float(value[2]), 4)
        elif isinstance(value, list) and len(value) == 2:  # (hits, total)
            found[f"score.{name}"] = round(value[0] / value[1], 4) if value[1] else 0.0
        elif isinstance(value, (int, float)):
            found[f"score.{name}"] = value
    found["score.errors"] = len(score.get("errors", []))
    for name, value in (memo.get("total") or {}).items():
        found[f"memo.{name}"] = value
    memos = memo.get("memos", [])
    bottom = [m["bottom_line"] for m in memos if "bottom_line" in m]
    found["memo.bottom_line"] = round(sum(bottom) / len(bottom), 4) if bottom else 0.0
    found["memo.errors"] = len(memo.get("errors", []))
    return found


def check(found: dict[str, float], floors: dict) -> list[str]:
    """Every figure worse than its pin: a ratio below its floor, a count above its ceiling."""
    problems = []
    for name, floor in floors.get("floors", {}).items():
        value = found.get(name)
        if value is None:
            problems.append(f"{name}: not reported by the scorer any more (floor {floor})")
        elif value < floor:
            problems.append(f"{name}: {value} is below its floor {floor}")
    for name, ceiling in floors.get("ceilings", {}).items():
        value = found.get(name)
        if value is None:
            problems.append(f"{name}: not reported by the scorer any more (ceiling {ceiling})")
        elif value > ceiling:
            problems.append(f"{name}: {value} is above its ceiling {ceiling}")
    return problems


def table(found: dict[str, float], floors: dict) -> str:
    pins = {**floors.get("floors", {}), **floors.get("ceilings", {})}
    width = max(len(n) for n in found)
    lines = [f"{'figure'.ljust(width)}  {'now':>8}  pinned"]
    for name in sorted(found):
        pin = pins.get(name)
        kind = "" if pin is None else (">= " if name in floors.get("floors", {}) else "<= ") + str(pin)
        lines.append(f"{name.ljust(width)}  {found[name]:>8}  {kind}")
    return "\n".join(lines)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--eval", default=str(ROOT.parent / "shared" / "eval"), help="the shared eval folder")
    ap.add_argument("--briefgen", default=str(ROOT / ".venv" / "bin" / "briefgen"))
    ap.add_argument("--table-only", action="store_true", help="print the figures, check nothing")
    args = ap.parse_args()
    folder = Path(args.eval)
    with tempfile.TemporaryDirectory(prefix="briefgen-gate-") as work:
        score = run_scorer(folder / "score.py", folder / "dev", args.briefgen, Path(work) / "score.json")
        memo = run_scorer(folder / "memo_check.py", folder / "dev", args.briefgen, Path(work) / "memo.json")
    floors = tomllib.loads(FLOORS.read_text()) if FLOORS.exists() else {}
    found = figures(score, memo)
    print(table(found, floors))
    if args.table_only:
        return 0
    problems = check(found, floors)
    for problem in problems:
        print(f"quality gate: {problem}", file=sys.stderr)
    if problems:
        print(
            f"quality gate: {len(problems)} figure(s) got worse than {FLOORS.relative_to(ROOT)}",
            file=sys.stderr,
        )
        return 1
    print("quality gate: every figure at or above its floor")
    return 0


if __name__ == "__main__":
    sys.exit(main())
