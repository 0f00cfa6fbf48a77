"""The dev-set figures of `../shared/eval/score.py` for briefgen beside two baselines, same run.

The baselines change only what a summariser can change, the bottom line and the key points; every
other finding is briefgen's, so the table compares like with like on the two figures where a
summariser competes:
- lead: the first sentence is the bottom line, the first ten sentences the key points;
- sumy TextRank: its top sentence is the bottom line, its ten picks (in source order) the key points.
Each baseline runs as a small `briefgen`-compatible command (this file with `--as METHOD`) that calls
the real `briefgen extract` and replaces those two fields, so the scorer itself is untouched.

    .venv/bin/python bench/eval_baselines.py [--eval ../shared/eval]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BRIEFGEN = ROOT / ".venv" / "bin" / "briefgen"
METHODS = ("lead", "sumy TextRank")


def _pick(method: str, sentences: list[dict], k: int) -> tuple[int, list[int]]:
    """(bottom-line index, key-point indices) into `sentences`."""
    if method == "lead":
        return 0, list(range(min(k, len(sentences))))
    sys.path.insert(0, str(Path(__file__).parent))
    from sumy.models.dom import ObjectDocumentModel, Paragraph, Sentence

    from common import PunktTokenizer, sumy_summarizers

    tokenizer = PunktTokenizer()
    doc = ObjectDocumentModel([Paragraph([Sentence(s["text"], tokenizer) for s in sentences])])
    summarizer = sumy_summarizers()["sumy TextRank"]
    ranked = [str(s) for s in summarizer(doc, k)]  # sumy returns its picks in document order
    index = {s["text"]: i for i, s in reversed(list(enumerate(sentences)))}
    picks = [index[t] for t in ranked if t in index]
    rating = summarizer.rate_sentences(doc) if hasattr(summarizer, "rate_sentences") else None
    best = picks[0] if picks else 0
    if rating:
        top = max(rating, key=rating.get)
        best = index.get(str(top), best)
    return best, picks


def shim(method: str, argv: list[str]) -> int:
    """Behave as `briefgen extract --key-points N SOURCE`, with the baseline's two fields."""
    done = subprocess.run([str(BRIEFGEN), *argv], check=False, capture_output=True, text=True)
    if done.returncode:
        sys.stderr.write(done.stderr)
        return done.returncode
    brief = json.loads(done.stdout)
    k = int(argv[argv.index("--key-points") + 1]) if "--key-points" in argv else 10
    sentences = brief["sentences"]
    if sentences:
        bl, points = _pick(method, sentences, k)
        cite = lambda s: {"paragraph": s["paragraph"], "sentence": s["id"]}  # noqa: E731
        brief["bottom_line"] = [{"text": sentences[bl]["text"], "cite": cite(sentences[bl])}]
        brief["key_points"] = [
            {"text": sentences[i]["text"], "score": 1.0, "cite": cite(sentences[i])} for i in points
        ]
    json.dump(brief, sys.stdout)
    return 0


def score(eval_dir: Path, cli: str, work: Path, name: str) -> dict:
    out = work / f"{name}.json"
    subprocess.run(
        [
            sys.executable,
            str(eval_dir / "score.py"),
            str(eval_dir / "dev"),
            "--briefgen",
            cli,
            "--python",
            str(ROOT / ".venv" / "bin" / "python"),
            "--json",
            str(out),
        ],
        check=True,
        capture_output=True,
        text=True,
    )
    return json.loads(out.read_text())["total"]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--eval", default=str(ROOT.parent / "shared" / "eval"))
    ap.add_argument("--as", dest="method", choices=METHODS, help=argparse.SUPPRESS)
    args, rest = ap.parse_known_args()
    if args.method:
        sys.exit(shim(args.method, rest))
    eval_dir = Path(args.eval)
    commit = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], check=False, cwd=ROOT, capture_output=True, text=True
    ).stdout.strip()
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        rows = {"briefgen": score(eval_dir, str(BRIEFGEN), work, "briefgen")}
        for method in METHODS:
            cli = work / f"{method.replace(' ', '_')}.sh"
            cli.write_text(
                f'#!/bin/sh\nexec "{sys.executable}" "{Path(__file__).resolve()}" --as "{method}" "$@"\n'
            )
            os.chmod(cli, 0o755)
            rows[method] = score(eval_dir, str(cli), work, method)
    print(f"**Dev set ({eval_dir / 'dev'}), `score.py`, at {commit}**\n")
    print("| system | bottom line | lede/background picked | key points (first 10) |")
    print("|---|---:|---:|---:|")
    for name, t in rows.items():
        bl, kp = t["bottom_line"], t["key_points"]
        picked = t["bl_background"]
        print(f"| {name} | {bl[2]:.2f} ({bl[0]}/{bl[1]}) | {picked} | {kp[2]:.2f} ({kp[0]}/{kp[1]}) |")


if __name__ == "__main__":
    main()
