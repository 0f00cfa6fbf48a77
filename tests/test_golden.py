"""Golden snapshots: `briefgen extract` of every example source, compared field by field.

The snapshots in tests/golden/ were reviewed against their sources; a change in the analysis shows
here as a readable per-field diff. When the change is intended, rewrite them with
`pytest tests/test_golden.py --update-golden` and review the diff before committing. The per-rule
behaviour is specified by the scenario tests (tests/fixtures/analysis); these pin the whole.
"""

from __future__ import annotations

import difflib
import json
from pathlib import Path

import pytest

from briefgen.model import Brief
from briefgen.pipeline import extract

SOURCES = Path(__file__).parents[1] / "sources"
GOLDEN = Path(__file__).parent / "golden"
EXAMPLES = sorted(p for p in SOURCES.iterdir() if p.suffix in (".txt", ".md", ".html", ".docx", ".pdf"))


@pytest.fixture(scope="module", params=EXAMPLES, ids=lambda p: p.name)
def snapshot(request):
    path = request.param
    brief = extract(path)
    data = brief.to_json()
    data["source"]["path"] = path.name  # the checkout's location is not part of the analysis
    return path, brief, data


def _lines(value) -> list[str]:
    return json.dumps(value, indent=1, ensure_ascii=False, sort_keys=False).splitlines()


def test_extract_matches_its_reviewed_golden_snapshot(snapshot, update_golden):
    path, _, data = snapshot
    golden = GOLDEN / f"{path.stem}.json"
    if update_golden:
        GOLDEN.mkdir(exist_ok=True)
        golden.write_text(json.dumps(data, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
        return
    assert golden.exists(), f"no snapshot {golden.name}: run pytest --update-golden and review it"
    expected = json.loads(golden.read_text(encoding="utf-8"))
    problems = []
    for field in sorted(set(expected) | set(data)):
        if expected.get(field) != data.get(field):
            diff = difflib.unified_diff(
                _lines(expected.get(field)), _lines(data.get(field)), "golden", "now", lineterm="", n=1
            )
            problems.append(f"--- field {field!r} differs:\n" + "\n".join(list(diff)[:60]))
    assert not problems, f"{path.name}:\n" + "\n".join(problems)


def test_every_finding_cites_a_sentence_that_exists(snapshot):
    _, brief, _ = snapshot
    findings = [(k.text, k.cite) for k in brief.key_points]
    findings += [(b.text, b.cite) for b in brief.bottom_line]
    findings += [(p.text, p.cite) for a in brief.actors for p in a.positions]
    findings += [(f.term, f.cite) for f in brief.frameworks]
    findings += [(q.text, q.cite) for q in brief.open_questions]
    findings += [(e.text, e.cite) for e in brief.events]
    assert findings
    for text, cite in findings:
        sentence = brief.sentence(cite.sentence)
        assert sentence is not None and sentence.paragraph == cite.paragraph, text


def test_the_brief_survives_its_json_form(snapshot):
    _, brief, _ = snapshot
    assert Brief.from_json(json.loads(json.dumps(brief.to_json()))) == brief


def test_every_source_has_a_bottom_line_that_is_not_its_first_sentence(snapshot):
    _, brief, _ = snapshot
    assert brief.bottom_line
    assert brief.bottom_line[0].cite.sentence != brief.sentences[0].id
