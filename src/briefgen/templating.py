"""Brief + audience -> Markdown, through a sandboxed Jinja2 template.

Escaping works like HTML autoescape turned inside out: every string that comes from the source
(or from the command line) is escaped for Markdown once, on the way into the template, and
marked as `Md`. Whatever the template then writes around it - headings, `**bold**`, tables,
footnote references from the `cite` filter - is the template's own markup and formats;
`<Notes>`, `AT&T`, `*`, `_` or `[1]` in the source come out literally. Escaping at the boundary
(rather than at output time) keeps concatenation, `join` and macros safe without teaching
Jinja's HTML-minded `Markup` machinery a second language.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import re
from dataclasses import dataclass, fields, is_dataclass, replace
from pathlib import Path
from types import TracebackType
from typing import Any

import jinja2
from jinja2.exceptions import SecurityError
from jinja2.sandbox import SandboxedEnvironment

from .audiences import Audience
from .errors import BriefgenError, TemplateError
from .model import (
    Actor,
    Author,
    Brief,
    Cite,
    Event,
    Framework,
    KeyPoint,
    Meta,
    Paragraph,
    Position,
    Question,
    Sentence,
    Source,
)
from .options import BuildOptions

logger = logging.getLogger(__name__)

PARENT_PREFIX = "parent:"  # `{% extends "parent:memo.md.j2" %}`: the audience this one extends

# Characters that start Markdown inline syntax anywhere in a line (CommonMark + tables + footnotes).
_INLINE_SPECIAL = re.compile(r"([\\`*_\[\]<>&|~])")
# Block syntax only matters at the start of a line: headings, lists, quotes, setext underlines.
_BLOCK_START = re.compile(r"^([#>+=-]|\d{1,9}(?=[.)]))")
_WHITESPACE = re.compile(r"\s+")
_UNESCAPE = re.compile(r"\\([!-/:-@\[-`{-~])")
_PARAGRAPH_NUMBER = re.compile(r"^p(\d+)$")
_PARTIAL_DATE = re.compile(r"^(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?$")

# English month names by hand: strftime("%B") follows the locale, and memos must be reproducible.
_MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)


class Md(str):
    """Text already escaped for Markdown: safe to place anywhere in the template's markup."""

    __slots__ = ()

    def plain(self) -> str:
        return unescape(self)


def escape(value: Any) -> Md:
    """Source text -> Markdown that renders as exactly that text (whitespace collapsed)."""
    if isinstance(value, Md):
        return value
    text = _WHITESPACE.sub(" ", str(value)).strip()
    text = _INLINE_SPECIAL.sub(r"\\\1", text)
    match = _BLOCK_START.match(text)
    if match:
        if match.group(1)[0].isdigit():  # "1999. ..." would start an ordered list: escape the dot
            end = match.end()
            text = text[:end] + "\\" + text[end:]
        else:
            text = "\\" + text
    return Md(text)


def unescape(text: str) -> str:
    return _UNESCAPE.sub(r"\1", text)


def _escaped(obj: Any) -> Any:
    """A copy of a model object with every string escaped (ids survive: they hold no specials)."""
    if isinstance(obj, str):
        return escape(obj)
    if isinstance(obj, tuple):
        return tuple(_escaped(x) for x in obj)
    if is_dataclass(obj) and not isinstance(obj, type):
        return replace(
            obj, **{f.name: _escaped(getattr(obj, f.name)) for f in fields(obj) if f.name not in ("schema",)}
        )
    return obj


# ---------------------------------------------------------------- dates


def memo_date(options: BuildOptions) -> str:
    """The memo's date: --date, else SOURCE_DATE_EPOCH (reproducible builds), else today (UTC)."""
    if options.date:
        return options.date
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch:
        try:
            return dt.datetime.fromtimestamp(int(epoch), tz=dt.UTC).date().isoformat()
        except (ValueError, OverflowError, OSError):
            raise BriefgenError(f"SOURCE_DATE_EPOCH={epoch!r} is not a Unix timestamp") from None
    return dt.datetime.now(tz=dt.UTC).date().isoformat()


def format_date(value: Any, style: str = "long") -> str:
    """YYYY-MM-DD / YYYY-MM / YYYY -> "28 June 2019" / "June 2019" / "2019" (other text unchanged)."""
    if value is None:
        return ""
    text = unescape(str(value)).strip()
    match = _PARTIAL_DATE.match(text)
    if not match:
        return escape(text)
    year, month, day = match.groups()
    if month and not 1 <= int(month) <= 12:
        return escape(text)
    if style == "iso":
        return Md(text)
    month_name = _MONTHS[int(month) - 1] if month else ""
    if style == "short" and month_name:
        month_name = month_name[:3]
    parts = [str(int(day))] if day else []
    parts += [month_name] if month else []
    parts.append(year)
    return Md(" ".join(parts))


# ---------------------------------------------------------------- citations


class Citations:
    """Numbered citations back to source paragraphs, collected as the template cites them.

    The number is the paragraph's own number (¶3 is `[^3]`), so a reader can find it in the
    source; the footnote quotes the first sentence cited from that paragraph.
    """

    def __init__(self, brief: Brief) -> None:
        self._brief = brief
        self._sentences = {s.id: s for s in brief.sentences}
        self._paragraphs = {p.id: (index, p) for index, p in enumerate(brief.paragraphs, start=1)}
        self.used: dict[str, str] = {}  # paragraph id -> quoted sentence id, in order of first use

    def number(self, paragraph_id: str) -> str:
        match = _PARAGRAPH_NUMBER.match(paragraph_id)
        if match:
            return match.group(1)
        index = self._paragraphs.get(paragraph_id, (None,))[0]
        return str(index) if index is not None else re.sub(r"[^A-Za-z0-9-]", "-", paragraph_id)

    def quote(self, cite: Cite) -> str:
        """The raw (unescaped) source sentence a cite points at, else its paragraph's text."""
        sentence = self._sentences.get(cite.sentence)
        if sentence is not None:
            return sentence.text
        entry = self._paragraphs.get(cite.paragraph)
        return entry[1].text if entry else ""

    def reference(self, cite: Cite) -> str:
        self.used.setdefault(cite.paragraph, cite.sentence)
        return f"[^{self.number(cite.paragraph)}]"

    def footnotes(self, quote_chars: int = 160) -> str:
        lines = []
        for paragraph_id, sentence_id in self.used.items():
            number = self.number(paragraph_id)
            quote = self.quote(Cite(paragraph=paragraph_id, sentence=sentence_id))
            if quote_chars > 0 and quote:
                lines.append(f"[^{number}]: Source ¶{number}: “{escape(_shorten_plain(quote, quote_chars))}”")
            else:
                lines.append(f"[^{number}]: Source ¶{number}.")
        return "\n".join(lines)


def _cite_of(item: Any) -> Cite:
    if isinstance(item, Cite):
        return item
    if isinstance(item, Paragraph):
        return Cite(paragraph=unescape(item.id), sentence="")
    cite = getattr(item, "cite", None)
    if isinstance(cite, Cite):
        return cite
    raise TypeError(f"cannot cite {type(item).__name__}: it has no source reference")


def _shorten_plain(text: str, width: int, placeholder: str = "…") -> str:
    """Cut at a word boundary to at most `width` characters (placeholder included)."""
    text = _WHITESPACE.sub(" ", text).strip()
    if len(text) <= width:
        return text
    cut = text[: max(width - len(placeholder), 1)]
    # Prefer ending at a clause boundary when one is not too far back, else at a word.
    clause = max(cut.rfind(mark) for mark in (", ", "; ", ": ", " — ", " – "))
    space = cut.rfind(" ")
    if clause > width * 0.55:
        cut = cut[:clause]
    elif space > width // 2:
        cut = cut[:space]
    return cut.rstrip(" ,;:—–-.") + placeholder


def shorten(value: Any, width: int = 200, placeholder: str = "…") -> str:
    """Like textwrap.shorten, but for escaped text: measures and cuts the visible characters."""
    if isinstance(value, Md):
        return escape(_shorten_plain(unescape(value), width, placeholder))
    return _shorten_plain(str(value), width, placeholder)


_SENTENCE_END = re.compile(r"[.?!][”\"’']?\s+(?=[A-Z“\"‘'])")


def _split_sentences(text: str) -> list[str]:
    """A fallback splitter for briefs without segmented sentences (". " before a capital)."""
    parts, start = [], 0
    for match in _SENTENCE_END.finditer(text):
        parts.append(text[start : match.end()].strip())
        start = match.end()
    parts.append(text[start:].strip())
    return [p for p in parts if p]


def _plain_of(value: Any) -> str:
    return unescape(value) if isinstance(value, Md) else str(value)


def _same_kind(value: Any, text: str) -> Any:
    """Text back in the form it came: escaped when the input was escaped source text."""
    return escape(text) if isinstance(value, Md) else text


def main_clause(value: Any, width: int = 100, slack: float = 1.2) -> Any:
    """A source sentence cut down to its main clause to fit `width` characters (see compress.py).

    A whole clause up to `slack` times the width beats a cut one; beyond that it is shortened
    with "…" like `shorten`.
    """
    from .compress import compress

    text = compress(_plain_of(value), width)
    if len(text) > width * max(slack, 1.0):
        text = _shorten_plain(text, width)
    return _same_kind(value, text)


def fits_as_clause(value: Any, width: int) -> bool:
    """Test: does the sentence's main clause fit in `width` characters without "…"?"""
    from .compress import compress

    return len(compress(_plain_of(value), width)) <= width


def strip_opener(value: Any) -> Any:
    """ "However, this stance ..." -> "This stance ..." (a leading discourse marker dropped)."""
    from .compress import strip_opener as strip

    return _same_kind(value, strip(_plain_of(value)))


def anaphoric(value: Any) -> bool:
    """Test: does the sentence open with a pronoun pointing back ("They played ...")?"""
    from .compress import anaphoric as points_back

    return points_back(_plain_of(value))


def period(value: Any) -> Any:
    """End a text with a full stop unless it already ends a sentence (or a quote of one)."""
    text = str(value).rstrip()
    if not text or text[-1] in ".?!…" or (text[-2:-1] in (".", "?", "!") and text[-1] in "”\"’')"):
        return value
    return Md(text + ".") if isinstance(value, Md) else text + "."


def possessive(value: Any) -> Any:
    """ "China" -> "China's", "United States" -> "United States'"."""
    text = str(value)
    suffix = "'" if text.endswith("s") else "'s"
    return Md(text + suffix) if isinstance(value, Md) else text + suffix


# ---------------------------------------------------------------- environment


class AudienceLoader(jinja2.BaseLoader):
    """Finds template files for one audience: its own folder, the ones it extends, then `_shared/`.

    Names are resolved by `join_path` into "@<level>/<file>" (a file of the audience chain) or
    "_shared/<file>", so `parent:` can mean "the next audience up" from wherever it is used.
    """

    def __init__(self, audience: Audience) -> None:
        self.chain = audience.chain or (Path(audience.template_name).parent,)
        self.shared = audience.shared
        self.filenames: set[str] = set()

    def resolve(self, name: str, parent: str | None) -> str:
        start = 0
        if name.startswith(PARENT_PREFIX):
            name = name[len(PARENT_PREFIX) :]
            level = int(parent[1:].split("/", 1)[0]) if parent and parent.startswith("@") else 0
            start = level + 1
        if name.startswith("_shared/"):
            return name
        for level in range(start, len(self.chain)):
            if self._safe(self.chain[level], name) is not None:
                return f"@{level}/{name}"
        return name  # get_source reports it as not found

    @staticmethod
    def _safe(folder: Path, name: str) -> Path | None:
        # Refuse names that climb out of the folder ("../../etc/passwd").
        parts = name.split("/")
        if any(part in ("", ".", "..") for part in parts) or "\\" in name:
            return None
        path = folder.joinpath(*parts)
        return path if path.is_file() else None

    def get_source(self, environment, template):
        path = None
        if template.startswith("@"):
            level_text, _, name = template[1:].partition("/")
            if level_text.isdigit() and int(level_text) < len(self.chain):
                path = self._safe(self.chain[int(level_text)], name)
        elif template.startswith("_shared/"):
            name = template[len("_shared/") :]
            path = next((p for p in (self._safe(d, name) for d in self.shared) if p), None)
        if path is None:
            raise jinja2.TemplateNotFound(template)
        try:
            source = path.read_text(encoding="utf-8")
        except UnicodeDecodeError:
            raise TemplateError(f"{path}: not UTF-8 text") from None
        filename = str(path)
        self.filenames.add(filename)
        mtime = path.stat().st_mtime
        return source, filename, lambda: path.is_file() and path.stat().st_mtime == mtime


class MemoEnvironment(SandboxedEnvironment):
    def join_path(self, template: str, parent: str) -> str:
        return self.loader.resolve(template, parent)


def _environment(audience: Audience) -> MemoEnvironment:
    env = MemoEnvironment(
        loader=AudienceLoader(audience),
        undefined=jinja2.StrictUndefined,
        autoescape=False,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        auto_reload=False,
    )
    env.filters.update(
        shorten=shorten,
        date=format_date,
        period=period,
        possessive=possessive,
        md=escape,
        main_clause=main_clause,
        strip_opener=strip_opener,
    )
    env.tests.update(anaphoric=anaphoric, fits_as_clause=fits_as_clause)
    return env


# ---------------------------------------------------------------- errors


def _locate(err: BaseException, filenames: set[str]) -> tuple[str, int | None]:
    """The innermost template file and line in a traceback Jinja has rewritten to template lines."""
    filename = getattr(err, "filename", None)
    lineno = getattr(err, "lineno", None)
    if filename and lineno:
        return filename, lineno
    tb: TracebackType | None = err.__traceback__
    found: tuple[str, int | None] = (filename or "?", None)
    while tb is not None:
        name = tb.tb_frame.f_code.co_filename
        if name in filenames:
            found = (name, tb.tb_lineno)
        tb = tb.tb_next
    return found


def _template_error(err: BaseException, filenames: set[str], default: str) -> TemplateError:
    filename, lineno = _locate(err, filenames)
    if filename == "?":
        filename = default
    where = f"{filename}:{lineno}" if lineno else filename
    message = getattr(err, "message", None) or str(err)
    message = _WHITESPACE.sub(" ", str(message)).strip()
    if isinstance(err, SecurityError) or "unsafe" in message:
        kind = "refused by the sandbox"
    elif isinstance(err, jinja2.UndefinedError):
        kind = "undefined"
    elif isinstance(err, jinja2.TemplateSyntaxError):
        kind = "syntax error"
    elif isinstance(err, jinja2.TemplateNotFound):
        kind = "template not found"
        message = str(err.name or message).removeprefix("@0/")
    elif isinstance(err, RecursionError):
        kind = "a template includes or extends itself"
        message = ""
    else:
        kind = "error"
    return TemplateError(f"{where}: {kind}: {message}" if message else f"{where}: {kind}")


# ---------------------------------------------------------------- composing


@dataclass(frozen=True, kw_only=True)
class Fit:
    """How hard to trim content so a page limit holds (level 0 = everything)."""

    level: int = 0
    key_points: int | None = None  # at most this many (None -> the audience's / options' number)
    bluf_chars: int = 220  # about three lines of 11pt body text on a letter page
    item_chars: int = 240  # each key point, position, question
    note_chars: int = 90  # the quote in each footnote (0: just the paragraph number)


def select_key_points(points: tuple[KeyPoint, ...], n: int) -> tuple[KeyPoint, ...]:
    """The `n` highest-scoring key points, kept in the source's order."""
    ranked = sorted(range(len(points)), key=lambda i: (-points[i].score, i))[: max(n, 0)]
    return tuple(points[i] for i in sorted(ranked))


_NOT_WORD = re.compile(r"[\W_]+")


def _words(text: str) -> str:
    return _NOT_WORD.sub(" ", text.lower()).strip()


def without_headline(questions: tuple[Question, ...], title: str) -> tuple[Question, ...]:
    """The open questions minus the source's own title ("North Korea: What Role for China?").

    A headline phrased as a question is the subject of the whole memo, not one of its open
    questions; listing it as unanswered reads as if the source had not been read.
    """
    whole = _words(title)
    parts = {whole} | {_words(part) for part in re.split(r"[:—–]", title) if len(_words(part)) > 8}
    return tuple(q for q in questions if _words(q.text) not in parts)


@dataclass(frozen=True, kw_only=True)
class _OptionsView:
    to: str | None
    from_: str | None
    classification: str | None
    date: str


@dataclass(frozen=True, kw_only=True)
class _AudienceView:
    name: str
    label: str
    description: str
    key_points: int
    page_limit: int | None


def compose(brief: Brief, audience: Audience, options: BuildOptions, *, fit: Fit | None = None) -> str:
    """Render the audience's template for this brief to Markdown."""
    fit = fit or Fit()
    wanted = options.key_points or audience.key_points
    if fit.key_points:
        wanted = min(wanted, fit.key_points)
    chosen = replace(
        brief,
        key_points=select_key_points(brief.key_points, wanted),
        open_questions=without_headline(brief.open_questions, brief.meta.title),
    )
    citations = Citations(brief)
    env = _environment(audience)
    env.filters["cite"] = lambda item: citations.reference(_cite_of(item))
    env.filters["quote"] = lambda item: escape(citations.quote(_cite_of(item)))
    env.filters["para"] = lambda item: f"¶{citations.number(_cite_of(item).paragraph)}"
    # An inline citation, " (¶3)", for pages too tight for footnotes.
    env.filters["ref"] = lambda item: f" (¶{citations.number(_cite_of(item).paragraph)})"
    env.tests["shorter_than"] = lambda value, width: len(unescape(str(value))) <= width
    env.filters["sentences"] = lambda paragraph: _paragraph_sentences(brief, paragraph)
    date = memo_date(options)
    context = {
        "brief": _escaped(chosen),
        "options": _OptionsView(
            to=_maybe_escaped(options.to),
            from_=_maybe_escaped(options.from_),
            classification=_maybe_escaped(options.classification or audience.classification),
            date=Md(date),
        ),
        "audience": _escaped(
            _AudienceView(
                name=audience.name,
                label=audience.label,
                description=audience.description,
                key_points=wanted,
                page_limit=audience.page_limit,
            )
        ),
        "memo_date": format_date(date),
        "fit": fit,
    }
    loader: AudienceLoader = env.loader  # type: ignore[assignment]
    try:
        template = env.get_template(env.join_path(Path(audience.template_name).name, None))
        text = template.render(context)
    except TemplateError:
        raise
    except (
        jinja2.TemplateError,
        SecurityError,
        RecursionError,
        TypeError,
        ValueError,
        AttributeError,
        KeyError,
        IndexError,
        ZeroDivisionError,
        OverflowError,
    ) as err:
        raise _template_error(err, loader.filenames, audience.template_name) from err
    notes = citations.footnotes(fit.note_chars)
    text = _tidy(text)
    return f"{text}\n\n{notes}\n" if notes else f"{text}\n"


def _paragraph_sentences(brief: Brief, paragraph: Any) -> list[Md]:
    """The escaped sentences of a paragraph (or paragraph id), in order."""
    paragraph_id = unescape(paragraph.id if isinstance(paragraph, Paragraph) else str(paragraph))
    found = [s.text for s in brief.sentences if s.paragraph == paragraph_id]
    if not found:
        text = next((p.text for p in brief.paragraphs if p.id == paragraph_id), "")
        found = _split_sentences(text)
    return [escape(text) for text in found]


def _maybe_escaped(value: str | None) -> Md | None:
    return None if value is None else escape(value)


_BLANK_RUNS = re.compile(r"\n{3,}")
_TRAILING_SPACE = re.compile(r"[ \t]+\n")
_HEADING_AFTER_TEXT = re.compile(r"(?<=[^\n])\n(?=#{1,6} )")


def _tidy(text: str) -> str:
    """Collapse the blank lines that skipped sections leave behind."""
    text = _TRAILING_SPACE.sub("\n", text)
    text = _HEADING_AFTER_TEXT.sub("\n\n", text)
    return _BLANK_RUNS.sub("\n\n", text).strip()


# ---------------------------------------------------------------- checking


def sample_brief(*, empty: bool = False) -> Brief:
    """A small Brief with every kind of finding (or none), to try templates against."""

    def cite(p: int, s: int = 1) -> Cite:
        return Cite(paragraph=f"p{p}", sentence=f"p{p}.s{s}")

    texts = [
        "The summit opened talks on the peninsula.",
        "Officials from China and the DPRK met in June 2019.",
        "Analysts asked whether sanctions would hold; most thought they would not.",
        "The “phased and synchronized” approach remains contested.",
    ]
    paragraphs = tuple(Paragraph(id=f"p{i}", text=t) for i, t in enumerate(texts, start=1))
    sentences = tuple(
        Sentence(id=f"p{i}.s1", paragraph=f"p{i}", text=t, start=0, end=len(t))
        for i, t in enumerate(texts, start=1)
    )
    brief = Brief(
        source=Source(path="sample.txt", format="txt", sha256="0" * 64),
        meta=Meta(
            title="Sample source",
            authors=(Author(name="A. Writer", affiliation="Institute"),),
            date="2019-06-28",
            publisher="Sample Press",
        ),
        paragraphs=paragraphs,
        sentences=sentences,
    )
    if empty:
        return replace(brief, meta=Meta(title="Sample source"))
    return replace(
        brief,
        key_points=tuple(KeyPoint(text=t, score=1.0 - i / 10, cite=cite(i + 1)) for i, t in enumerate(texts)),
        actors=(
            Actor(
                id="china",
                name="China",
                kind="state",
                mentions=3,
                positions=(Position(text="China backs phased talks.", cite=cite(2)),),
            ),
            Actor(id="dprk", name="DPRK", kind="state", mentions=2),
        ),
        frameworks=(
            Framework(
                term="phased and synchronized",
                mentions=2,
                cite=cite(4),
                attributed_to="dprk",
                definition="Step-by-step reciprocal measures.",
            ),
        ),
        open_questions=(
            Question(
                text="Will sanctions hold?",
                kind="explicit",
                cite=cite(3),
                answer="Most thought they would not.",
            ),
        ),
        events=(Event(date="2019-06", text="Officials met.", cite=cite(2)),),
    )


def check_syntax(folders: tuple[Path, ...], env: jinja2.Environment | None = None) -> list[str]:
    """Syntax errors in every template file of `folders`, with file and line.

    Parsing needs no audience settings, so this also runs for an audience whose audience.toml is
    broken: `templates check` then reports both kinds of problem at once.
    """
    env = env or SandboxedEnvironment()
    problems: list[str] = []
    for folder in folders:
        if not folder.is_dir():
            continue
        for path in sorted(folder.glob("*.j2")):
            try:
                env.parse(path.read_text(encoding="utf-8"), name=path.name, filename=str(path))
            except UnicodeDecodeError:
                problems.append(f"{path}: not UTF-8 text")
            except jinja2.TemplateSyntaxError as err:
                problems.append(f"{path}:{err.lineno}: syntax error: {err.message}")
    return problems


def check_rendering(audience: Audience, *, own_folders: tuple[Path, ...] = ()) -> list[str]:
    """Problems found by parsing every template file and rendering against sample briefs."""
    problems = check_syntax(own_folders, _environment(audience))
    if problems:
        return problems
    options = BuildOptions(to="Desk officer", from_="Analyst", date="2019-07-01")
    for brief in (sample_brief(), sample_brief(empty=True)):
        try:
            compose(brief, audience, options)
        except TemplateError as err:
            problems.append(str(err))
            break
    return problems
