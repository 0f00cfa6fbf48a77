"""The shipped examples: the manifest `make run` uses and the scheduling recipes in examples/."""

from __future__ import annotations

import configparser
import shlex
from pathlib import Path

import yaml

from briefgen.batch.manifest import load_manifest
from briefgen.cli import batch as batch_command

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples"


def batch_arguments(command_line: str) -> list[str]:
    """The arguments after `briefgen batch` in a shell command line."""
    words = shlex.split(command_line, comments=True)
    start = next(i for i, w in enumerate(words) if w.endswith("briefgen") and words[i + 1] == "batch")
    arguments = []
    for word in words[start + 2 :]:
        if word in ("&&", ";", "|") or word.startswith((">", "2>")):
            break
        arguments.append(word)
    return arguments


def accepted_by_the_cli(arguments: list[str]) -> dict:
    context = batch_command.make_context("batch", list(arguments))
    return context.params


def test_example_manifest_is_valid_and_builds_every_example_source():
    manifest = load_manifest(ROOT / "sources" / "briefgen.toml")
    wanted = {p for p in (ROOT / "sources").iterdir() if p.is_file() and p.suffix != ".toml"}
    assert {s for job in manifest.jobs for s in job.sources} == wanted
    assert {a for job in manifest.jobs for a in job.options.audiences} >= {"memo", "principal"}
    assert all(job.options.formats == ("docx", "pdf") for job in manifest.jobs)


def test_cron_line_is_a_schedule_and_a_valid_batch_command():
    lines = [
        ln
        for ln in (EXAMPLES / "cron" / "briefgen.cron").read_text().splitlines()
        if ln.strip() and not ln.startswith("#")
    ]
    assert len(lines) == 1
    fields = lines[0].split(None, 5)
    assert len(fields) == 6 and all(
        f.replace("*", "").replace(",", "").isdigit() or f == "*" for f in fields[:5]
    )
    params = accepted_by_the_cli(batch_arguments(fields[5]))
    assert params["wait_lock"] is False  # an overrunning night must not pile up runs


def test_systemd_timer_starts_a_oneshot_batch_service():
    service = configparser.ConfigParser(strict=False, interpolation=None)
    service.read(EXAMPLES / "systemd" / "briefgen-batch.service")
    timer = configparser.ConfigParser(strict=False, interpolation=None)
    timer.read(EXAMPLES / "systemd" / "briefgen-batch.timer")
    assert service["Service"]["Type"] == "oneshot"
    accepted_by_the_cli(batch_arguments(service["Service"]["ExecStart"]))
    assert timer["Timer"]["OnCalendar"] and timer["Install"]["WantedBy"] == "timers.target"


def test_ci_workflow_runs_the_batch_on_a_schedule_and_keeps_the_cache():
    workflow = yaml.safe_load((EXAMPLES / "ci" / "briefgen-batch.yml").read_text())
    triggers = workflow[True] if True in workflow else workflow["on"]  # YAML 1.1 reads `on` as true
    assert triggers["schedule"][0]["cron"]
    steps = workflow["jobs"]["memos"]["steps"]
    runs = [s["run"] for s in steps if "briefgen batch" in s.get("run", "")]
    assert len(runs) == 1
    accepted_by_the_cli(batch_arguments(runs[0]))
    assert any(s.get("uses", "").startswith("actions/cache") and s["with"]["path"] == "out" for s in steps)
