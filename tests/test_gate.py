"""The quality gate refuses a figure worse than its pin and says which (without running the scorers)."""

from __future__ import annotations

import importlib.util
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
spec = importlib.util.spec_from_file_location("gate", ROOT / "eval" / "gate.py")
assert spec and spec.loader
gate = importlib.util.module_from_spec(spec)
spec.loader.exec_module(gate)


def pinned_figures() -> dict[str, float]:
    floors = tomllib.loads((ROOT / "eval" / "floors.toml").read_text())
    return {**floors["floors"], **floors["ceilings"]}


def test_figures_at_their_pins_pass():
    floors = tomllib.loads((ROOT / "eval" / "floors.toml").read_text())
    assert gate.check(pinned_figures(), floors) == []


def test_a_ratio_below_its_floor_and_a_count_above_its_ceiling_are_each_named():
    floors = tomllib.loads((ROOT / "eval" / "floors.toml").read_text())
    found = pinned_figures()
    found["score.key_points"] -= 0.01
    found["score.leaks"] += 1  # one leak more than the pinned count
    problems = gate.check(found, floors)
    assert len(problems) == 2
    assert any(p.startswith("score.key_points:") and "below its floor" in p for p in problems)
    assert any(p.startswith("score.leaks:") and "above its ceiling" in p for p in problems)


def test_a_figure_the_scorer_stops_reporting_is_a_problem_not_a_pass():
    floors = tomllib.loads((ROOT / "eval" / "floors.toml").read_text())
    found = pinned_figures()
    del found["score.questions"]
    floor = floors["floors"]["score.questions"]
    assert gate.check(found, floors) == [
        f"score.questions: not reported by the scorer any more (floor {floor})"
    ]


def test_pooled_scorer_output_becomes_flat_figures():
    score = {"total": {"key_points": [52, 99, 0.5252525], "meta": [44, 52], "leaks": 36}, "errors": []}
    memo = {"total": {"cut": 39}, "memos": [{"bottom_line": 1}, {"bottom_line": 0}, {}], "errors": []}
    found = gate.figures(score, memo)
    assert found["score.key_points"] == 0.5253 and found["score.meta"] == 0.8462
    assert found["score.leaks"] == 36 and found["memo.cut"] == 39 and found["memo.bottom_line"] == 0.5
