"""Brief + audience -> Markdown: the memo view laid out by the audience's template.

After the template has run, the notes are appended in the order the text cites them (footnotes),
or gathered into an evidence annex (citations = "annex"), portion marks are added when the audience
asks for them, and the Markdown is checked against the renderers' limits before anything renders.
"""

from __future__ import annotations

import re
from types import TracebackType

import jinja2
from jinja2.exceptions import SecurityError

from ..errors import TemplateError
from ..model import Brief
from ..options import BuildOptions
from ..textutil import squash
from .audiences import Audience
from .citations import ANNEX_CLOSE, ANNEX_OPEN, Note
from .limits import MAX_NESTING, MAX_OUTPUT_CHARS, MAX_OUTPUT_LINES, MAX_PARAGRAPH_CHARS
from .loader import LimitExceeded, budget, filenames, template_for
from .markings import FOOTNOTE_DEFINITION, add_portion_marks, portion_mark
from .view import FULL, Fit, addressing, memo_view

_BLANK_RUNS = re.compile(r"\n{3,}")
_HEADING_AFTER_TEXT = re.compile(r"(?<=[^\n])\n(?=#{1,6} )")
_FOOTNOTE_REF = re.compile(r"\[\^([A-Za-z0-9-]+)\](?!:)")
_ANNEX_REF = re.compile(f"{ANNEX_OPEN}([A-Za-z0-9-]+){ANNEX_CLOSE}")
_NESTING = re.compile(r"^(?:\s*(?:>|[-*+](?=\s)|\d{1,9}[.)](?=\s)))+")
_MARKERS = re.compile(r">|[-*+](?=\s)|\d{1,9}[.)](?=\s)")

ANNEX_HEADING = "Evidence"


def compose(
    brief: Brief, audience: Audience, options: BuildOptions, *, fit: Fit = FULL, annex: bool = True
) -> str:
    """Render the audience's template for this brief to Markdown.

    `annex=False` leaves the evidence annex out (a page-limited brief is fitted without it: the
    limit is the brief's, the annex follows it).
    """
    view = memo_view(brief, audience, options, fit)
    try:
        with budget():
            template = template_for(audience)
            text = _render(template, view)
    except TemplateError:
        raise
    except LimitExceeded as err:
        raise TemplateError(f"{audience.template_name}: {err}") from None
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
        MemoryError,
    ) as err:
        raise _template_error(err, filenames(), audience.template_name) from err
    text = _tidy(text)
    notes = {n.label: n for n in view.notes}
    mode = audience.settings.citations
    if mode == "footnotes":
        cited = [notes[label] for label in dict.fromkeys(_FOOTNOTE_REF.findall(text)) if label in notes]
        if cited:
            text += "\n\n" + "\n".join(f"[^{n.label}]: {n.where}: “{n.quote}”" for n in cited)
    elif mode == "annex":
        cited = [notes[label] for label in dict.fromkeys(_ANNEX_REF.findall(text)) if label in notes]
        text = _ANNEX_REF.sub("", text)
        if annex and cited:
            text += _annex(cited, view.citation_note, f"{view.source.reference} File: {view.source.file}.")
    address = addressing(audience, options)
    if audience.settings.portion_marks and address.classification:
        text = add_portion_marks(text, portion_mark(address.classification))
    check_markdown(text, audience.template_name)
    return text + "\n"


def _annex(cited: list[Note], note: str, source: str) -> str:
    """The evidence annex after the memo: the source, then the sentences behind the memo, numbered
    in page order."""
    lines = [f"{i}. {n.where}: “{n.quote}”" for i, n in enumerate(cited, start=1)]
    return f"\n\n\\pagebreak\n\n## {ANNEX_HEADING}\n\n{source}\n\n{note}\n\n" + "\n".join(lines)


def _render(template: jinja2.Template, view: object) -> str:
    """The template's output, refused as soon as it grows past the output limit."""
    parts, size = [], 0
    for part in template.generate(memo=view):
        size += len(part)
        if size > MAX_OUTPUT_CHARS:
            raise LimitExceeded("output size (characters)", MAX_OUTPUT_CHARS)
        parts.append(part)
    return "".join(parts)


def _tidy(text: str) -> str:
    """Collapse the blank lines that skipped sections leave behind."""
    text = "\n".join(line.rstrip(" \t") for line in text.split("\n"))  # line by line: linear time
    text = _HEADING_AFTER_TEXT.sub("\n\n", text)
    return _BLANK_RUNS.sub("\n\n", text).strip()


def check_markdown(text: str, template: str) -> None:
    """Refuse Markdown the renderers cannot lay out in bounded time: too many lines, a paragraph too
    long, lists or quotes nested too deep. Checked before any rendering, with the template named."""
    lines = text.split("\n")
    if len(lines) > MAX_OUTPUT_LINES:
        raise TemplateError(
            f"{template}: {len(lines)} lines of output exceed the limit of {MAX_OUTPUT_LINES}"
        )
    paragraph = 0
    for line in lines:
        lead = _NESTING.match(line)
        depth = len(_MARKERS.findall(line[: lead.end() + 1])) if lead else 0
        indent = (len(line) - len(line.lstrip(" "))) // 2
        if depth + (indent if depth else 0) > MAX_NESTING:
            raise TemplateError(f"{template}: lists or quotes nested deeper than {MAX_NESTING} levels")
        # A list item, table row or footnote definition starts a block of its own; other lines
        # continue the paragraph. (A long report's notes follow one another line by line: counted
        # as one paragraph they refused the background paper of a 120-page GAO report.)
        starts_block = (
            lead is not None
            or line.lstrip().startswith("|")
            or FOOTNOTE_DEFINITION.match(line) is not None
            or not line.strip()
        )
        paragraph = len(line) if starts_block else paragraph + len(line)
        if paragraph > MAX_PARAGRAPH_CHARS:
            raise TemplateError(
                f"{template}: a paragraph of over {MAX_PARAGRAPH_CHARS} characters exceeds the limit"
            )


# ---------------------------------------------------------------- errors


def _locate(err: BaseException, names: set[str]) -> tuple[str, int | None]:
    """The innermost template file and line in a traceback Jinja has rewritten to template lines."""
    filename = getattr(err, "filename", None)
    lineno = getattr(err, "lineno", None)
    if filename and lineno:
        return filename, lineno
    tb: TracebackType | None = err.__traceback__
    found: tuple[str, int | None] = (filename or "?", None)
    while tb is not None:
        name = tb.tb_frame.f_code.co_filename
        if name in names:
            found = (name, tb.tb_lineno)
        tb = tb.tb_next
    return found


def _template_error(err: BaseException, names: set[str], default: str) -> TemplateError:
    filename, lineno = _locate(err, names)
    if filename == "?":
        filename = default
    where = f"{filename}:{lineno}" if lineno else filename
    message = squash(str(getattr(err, "message", None) or str(err)))
    if isinstance(err, SecurityError) or "unsafe" in message:
        kind = "refused by the sandbox"
    elif isinstance(err, jinja2.UndefinedError):
        kind = "undefined"
    elif isinstance(err, jinja2.TemplateSyntaxError):
        kind = "syntax error"
    elif isinstance(err, jinja2.TemplateNotFound):
        kind = "template not found"
        message = str(err.name or message)
    elif isinstance(err, RecursionError):
        kind = "a template includes or extends itself"
        message = ""
    elif isinstance(err, MemoryError):
        kind = "out of memory"
        message = ""
    else:
        kind = "error"
    return TemplateError(f"{where}: {kind}: {message}" if message else f"{where}: {kind}")
