"""Build memos: Brief + audience -> Markdown -> blocks -> DOCX / PDF, written atomically.

The Markdown is parsed once per memo and both renderers get the same blocks, so the DOCX and
the PDF say the same thing. An audience with a page limit (the one-page `principal` brief) is
fitted by rendering the PDF, counting pages and composing again with tighter trimming until it
fits; the DOCX gets that same trimmed content.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, replace
from pathlib import Path

from .compose import FIT_STEPS, Audience, addressing, compose, known_names, load_audience, memo_date
from .compose.markings import banner_color, designation_lines
from .errors import BriefgenError, RenderError
from .fsutil import write_atomic
from .model import Brief
from .options import FORMATS, BuildOptions
from .render.style import DocInfo, Style

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class _Prepared:
    """What both formats of one memo share: the blocks, the look, the metadata."""

    blocks: tuple
    style: Style
    info: DocInfo
    pdf: bytes | None = None  # already rendered while fitting a page limit


def _style_and_info(brief: Brief, audience: Audience, options: BuildOptions) -> tuple[Style, DocInfo]:
    address = addressing(audience, options)
    banner = address.classification
    style = replace(
        audience.style,
        banner=banner,
        banner_color=banner_color(banner, audience.settings.banner_colors, audience.style.banner_color),
        designation=designation_lines(banner, audience.settings.designation.model_dump(), audience.name),
        page_limit=audience.page_limit,
    )
    if audience.reference_docx is not None:  # its Word styles replace the built-in ones, as in pandoc
        style = replace(style, reference_docx=str(audience.reference_docx))
    info = DocInfo(
        title=brief.meta.title,
        author=address.author,  # the FROM line (or the audience's author), never the source's
        subject=f"{audience.label}: {brief.meta.title}",
        date=memo_date(options),
    )
    return style, info


def _prepare(brief: Brief, audience: Audience, options: BuildOptions) -> _Prepared:
    from .render.blocks import parse

    style, info = _style_and_info(brief, audience, options)
    if not audience.page_limit:
        return _Prepared(parse(compose(brief, audience, options)), style, info)

    from reportlab.platypus.doctemplate import LayoutError

    from .render.pdf import page_count, render_pdf

    pages = 0
    for fit in FIT_STEPS:
        # The page limit is the memo's own: an evidence annex follows it on pages of its own.
        text = compose(brief, audience, options, fit=fit, annex=False)
        blocks = parse(text)
        try:
            pdf = render_pdf(blocks, style, info)
        except (RenderError, LayoutError) as err:
            # Content too big to lay out at all (e.g. a cell taller than the page) does not fit
            # either: trim further.
            logger.info(
                "%s: step %r does not lay out: %s",
                audience.name,
                fit.name,
                str(err).splitlines()[0] if str(err) else type(err).__name__,
            )
            pages = 0
            continue
        pages = page_count(pdf)
        if pages <= audience.page_limit:
            if fit is not FIT_STEPS[0]:
                logger.info("%s: trimmed to fit %d page(s): %s", audience.name, audience.page_limit, fit.name)
            full = compose(brief, audience, options, fit=fit)
            if full == text:
                return _Prepared(blocks, style, info, pdf)
            return _Prepared(parse(full), style, info)
    raise RenderError(
        f"{audience.folder}: audience {audience.name!r} cannot fit "
        f"{brief.meta.title!r} on {audience.page_limit} page(s) even fully trimmed "
        + (
            f"({pages} pages at the tightest setting)"
            if pages
            else "(it cannot be laid out at the tightest setting)"
        )
    )


def _render(prepared: _Prepared, fmt: str) -> bytes:
    if fmt == "pdf":
        if prepared.pdf is not None:
            return prepared.pdf
        from .render.pdf import render_pdf

        return render_pdf(prepared.blocks, prepared.style, prepared.info)
    from .render.docx import render_docx

    return render_docx(prepared.blocks, prepared.style, prepared.info)


def _check_formats(formats) -> None:
    for fmt in formats:
        if fmt not in FORMATS:
            raise BriefgenError(f"unknown format {fmt!r} (known: {', '.join(FORMATS)})")


def render_memo(brief: Brief, audience: Audience, fmt: str, options: BuildOptions) -> bytes:
    """One memo in one format."""
    _check_formats((fmt,))
    return _render(_prepare(brief, audience, options), fmt)


def render_formats(
    brief: Brief, audience: Audience, formats: tuple[str, ...], options: BuildOptions
) -> dict[str, bytes]:
    """One memo in several formats, composed (and fitted) once."""
    _check_formats(formats)
    prepared = _prepare(brief, audience, options)
    return {fmt: _render(prepared, fmt) for fmt in formats}


def resolve_audiences(options: BuildOptions) -> list[Audience]:
    """The audiences asked for, checked before any source is read."""
    known = known_names(options.templates_dir)
    unknown = [name for name in options.audiences if name not in known]
    if unknown:
        raise BriefgenError(
            f"unknown audience {', '.join(repr(n) for n in unknown)} (known: {', '.join(known)})"
        )
    return [load_audience(name, options.templates_dir) for name in options.audiences]


def with_key_points(brief: Brief, n: int) -> Brief:
    """The brief with its key points selected for `n`, exactly as `extract(key_points=n)` would."""
    from .analysis import with_key_points as reselect

    return reselect(brief, n)


def build_sources(sources, options: BuildOptions) -> list[Path]:
    """Extract each source once, then write every audience x format to OUT/<stem>/<audience>.<fmt>."""
    from .pipeline import extract

    audiences = resolve_audiences(options)
    _check_formats(options.formats)
    sources = [Path(s) for s in sources]
    stems: dict[str, Path] = {}
    for source in sources:
        if source.stem in stems and stems[source.stem] != source:
            raise BriefgenError(
                f"{source}: same name as {stems[source.stem]}; both would write "
                f"{Path(options.out_dir) / source.stem}/"
            )
        stems[source.stem] = source
    # Extract once, with the most key points any audience wants; an audience that wants fewer gets
    # them selected afresh (not a prefix), so its memo is the same whatever else is being built.
    wanted = {a.name: options.key_points or a.key_points for a in audiences}
    most = max(wanted.values())
    written: list[Path] = []
    for source in sources:
        brief = extract(source, key_points=most, max_bytes=options.max_bytes)
        briefs = {most: brief}
        folder = Path(options.out_dir) / source.stem
        for audience in audiences:
            n = wanted[audience.name]
            if n not in briefs:
                briefs[n] = with_key_points(brief, n)
            outputs = render_formats(briefs[n], audience, options.formats, options)
            for fmt in options.formats:
                path = folder / f"{audience.name}.{fmt}"
                write_atomic(path, outputs[fmt])
                written.append(path)
                logger.info("wrote %s", path)
    return written
