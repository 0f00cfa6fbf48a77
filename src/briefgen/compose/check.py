"""`briefgen templates check`: every problem in a folder of audiences, at once."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import jinja2

from ..errors import TemplateError
from ..model import (
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
    Statement,
)
from ..options import BuildOptions
from .audiences import SHARED_DIR, TEMPLATE_FILE, Audience, audience_names, build_audience, builtin_dir
from .compose import compose
from .files import inside
from .loader import environment


def sample_brief(*, empty: bool = False) -> Brief:
    """A small Brief with every kind of finding (or none), to try templates against.

    Its wording is invented (two made-up states sharing a river), so it favours no source or topic.
    """

    def cite(p: int, s: int = 1) -> Cite:
        return Cite(paragraph=f"p{p}", sentence=f"p{p}.s{s}")

    texts = [
        "The council opened talks on the shared river.",
        "Officials from Ardenia and Belmora met in June 2019.",
        "Analysts asked whether the water quota would hold; most thought it would not.",
        "The “managed flow” approach remains contested.",
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
        bottom_line=(Statement(text=texts[0], cite=cite(1)),),
        key_points=tuple(KeyPoint(text=t, score=1.0 - i / 10, cite=cite(i + 1)) for i, t in enumerate(texts)),
        actors=(
            Actor(
                id="ardenia",
                name="Ardenia",
                kind="state",
                mentions=3,
                positions=(Position(text="Ardenia backs seasonal talks.", cite=cite(2)),),
            ),
            Actor(id="belmora", name="Belmora", kind="state", mentions=2),
        ),
        frameworks=(
            Framework(
                term="managed flow",
                mentions=2,
                cite=cite(4),
                attributed_to="belmora",
                definition="Releases of water agreed season by season.",
            ),
        ),
        open_questions=(
            Question(text="Will the quota hold?", kind="explicit", cite=cite(3), answer=texts[2]),
        ),
        events=(Event(date="2019-06", text="Officials met.", cite=cite(2)),),
    )


def check_syntax(folders: tuple[Path, ...]) -> list[str]:
    """Syntax errors in every template file of `folders`, with file and line.

    Parsing needs no audience settings, so this also runs for an audience whose audience.toml is
    broken: `templates check` then reports both kinds of problem at once.
    """
    env = environment()
    problems: list[str] = []
    for folder in folders:
        if not folder.is_dir():
            continue
        for path in sorted(folder.glob("*.j2")):
            if inside(folder, path.name) is None:
                problems.append(f"{path}: a link to a file outside its audience folder is refused")
                continue
            try:
                env.parse(path.read_text(encoding="utf-8"), name=path.name, filename=str(path))
            except UnicodeDecodeError:
                problems.append(f"{path}: not UTF-8 text")
            except jinja2.TemplateSyntaxError as err:
                problems.append(f"{path}:{err.lineno}: syntax error: {err.message}")
    return problems


def check_rendering(audience: Audience, *, own_folders: tuple[Path, ...] = ()) -> list[str]:
    """Problems found by parsing every template file and rendering against sample briefs."""
    problems = check_syntax(own_folders)
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


def check_templates(directory: Path) -> list[str]:
    """Every problem in a folder of audiences, at once (empty list when all is well)."""
    directory = Path(directory)
    if not directory.is_dir():
        return [f"{directory}: templates folder not found"]
    layers = [directory, builtin_dir()]
    problems: list[str] = []
    names = audience_names(directory)
    if not names:
        problems.append(
            f"{directory}: no audience folders (each needs {TEMPLATE_FILE} or an audience.toml "
            "that extends one)"
        )
    for name in names:
        folder = directory / name
        for path in sorted(folder.iterdir()):
            if path.is_file() and path.suffix not in (".j2", ".toml", ".docx", ".md", ".txt"):
                problems.append(f"{path}: unexpected file in an audience folder")
        audience, found = build_audience(name, layers)
        problems += found
        own = (folder, directory / SHARED_DIR)
        problems += check_rendering(audience, own_folders=own) if audience else check_syntax(own)
    return list(dict.fromkeys(problems))
