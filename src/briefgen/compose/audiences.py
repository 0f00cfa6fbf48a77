"""Audiences: folders of `memo.md.j2` + `audience.toml`, built in or from `--templates DIR`.

An audience folder may `extends` another audience: it inherits the other's settings (its own
keys win, `[style]` and the other tables merge key by key) and every template file it does not
have itself. A `--templates` folder adds audiences and overrides built-ins by name; an override may
extend the very built-in it replaces (`extends = "memo"` inside a custom `memo/`).

Folders whose name starts with `_` (e.g. `_shared/`) hold templates to include or extend; they
are not audiences.
"""

from __future__ import annotations

import hashlib
import logging
import re
import shutil
import tomllib
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from ..errors import BriefgenError, TemplateError
from ..render.style import Style
from .files import inside, read_inside
from .settings import DEFAULT_KEY_POINTS, AudienceSettings, merged, problems_of

logger = logging.getLogger(__name__)

TEMPLATE_FILE = "memo.md.j2"
CONFIG_FILE = "audience.toml"
REFERENCE_DOCX = "reference.docx"
SHARED_DIR = "_shared"

_NAME = re.compile(r"^[a-z0-9][a-z0-9_-]{0,63}$")

# The built-ins: the repo's top-level templates/ in an editable install, briefgen/templates in
# the wheel (pyproject force-includes it there).
_PACKAGE_DIR = Path(__file__).resolve().parents[1]
BUILTIN_CANDIDATES = (_PACKAGE_DIR / "templates", _PACKAGE_DIR.parents[1] / "templates")


@dataclass(frozen=True, kw_only=True)
class Audience:
    name: str
    label: str
    description: str
    folder: Path
    template_text: str
    template_name: str  # path of the memo.md.j2 actually used (own or inherited)
    style: Style
    settings: AudienceSettings = field(default_factory=AudienceSettings)
    key_points: int = DEFAULT_KEY_POINTS
    page_limit: int | None = None
    classification: str | None = None
    fingerprint: str = ""
    reference_docx: Path | None = None
    # Folders searched for template files, this audience first, then the ones it extends.
    chain: tuple[Path, ...] = ()
    # `_shared/` folders searched after the chain (custom first, then built-in).
    shared: tuple[Path, ...] = field(default=())


def builtin_dir() -> Path:
    for candidate in BUILTIN_CANDIDATES:
        if candidate.is_dir():
            return candidate
    raise BriefgenError(
        "built-in templates not found (looked in " + ", ".join(str(c) for c in BUILTIN_CANDIDATES) + ")"
    )


def _layers(templates_dir: Path | None) -> list[Path]:
    """Folders of audiences, highest priority first."""
    layers = []
    if templates_dir is not None:
        templates_dir = Path(templates_dir)
        if not templates_dir.is_dir():
            raise BriefgenError(f"{templates_dir}: templates folder not found")
        layers.append(templates_dir)
    layers.append(builtin_dir())
    return layers


def audience_names(layer: Path) -> list[str]:
    return sorted(p.name for p in layer.iterdir() if p.is_dir() and not p.name.startswith(("_", ".")))


def _all_names(layers: list[Path]) -> list[str]:
    names: set[str] = set()
    for layer in layers:
        names.update(audience_names(layer))
    return sorted(names)


def known_names(templates_dir: Path | None) -> list[str]:
    return _all_names(_layers(templates_dir))


def _read_config(folder: Path) -> tuple[dict[str, Any], list[str]]:
    path = folder / CONFIG_FILE
    try:
        text = read_inside(folder, CONFIG_FILE)
    except TemplateError as err:
        return {}, [str(err)]
    if text is None:
        return {}, []
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as err:
        return {}, [f"{path}: invalid TOML: {err}"]
    return data, problems_of(path, data)


# ---------------------------------------------------------------- resolution


@dataclass(frozen=True)
class _Node:
    name: str
    layer: int
    folder: Path
    config: dict[str, Any]


def _find(name: str, layers: list[Path], start: int) -> tuple[int, Path] | None:
    for index in range(start, len(layers)):
        folder = layers[index] / name
        if folder.is_dir():
            return index, folder
    return None


def _resolve_chain(name: str, layers: list[Path]) -> tuple[list[_Node], list[str]]:
    """The audience and every audience it extends, nearest first, plus any problems."""
    found = _find(name, layers, 0)
    if found is None:
        return [], [f"unknown audience {name!r} (known: {', '.join(_all_names(layers))})"]
    chain: list[_Node] = []
    seen: set[tuple[int, str]] = set()
    problems: list[str] = []
    layer, folder = found
    while True:
        if (layer, name) in seen:
            cycle = " -> ".join(n.name for n in chain) + f" -> {name}"
            problems.append(f"{chain[0].folder / CONFIG_FILE}: extends: cycle ({cycle})")
            break
        seen.add((layer, name))
        config, config_problems = _read_config(folder)
        problems += config_problems
        chain.append(_Node(name, layer, folder, config))
        parent = config.get("extends")
        if not isinstance(parent, str) or not parent:
            break
        # Extending your own name means the next layer down (an override of a built-in).
        found = _find(parent, layers, layer + 1 if parent == name else 0)
        if found is None:
            problems.append(
                f"{folder / CONFIG_FILE}: extends: unknown audience {parent!r} "
                f"(known: {', '.join(_all_names(layers))})"
            )
            break
        name = parent
        layer, folder = found
    return chain, problems


def _fingerprint(folders: list[Path]) -> str:
    """sha256 over every file of the folders (the audience, those it extends, shared ones)."""
    digest = hashlib.sha256()
    for index, folder in enumerate(folders):
        if not folder.is_dir():
            continue
        for path in sorted(p for p in folder.rglob("*") if p.is_file()):
            rel = path.relative_to(folder).as_posix()
            if "__pycache__" in rel or inside(folder, rel) is None:
                continue
            digest.update(f"{index}:{rel}\0".encode())
            digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


def _shared_dirs(layers: list[Path]) -> tuple[Path, ...]:
    return tuple(layer / SHARED_DIR for layer in layers if (layer / SHARED_DIR).is_dir())


def build_audience(name: str, layers: list[Path]) -> tuple[Audience | None, list[str]]:
    """The audience `name` resolved over `layers`, or None and every problem found."""
    chain, problems = _resolve_chain(name, layers)
    if problems or not chain:
        return None, problems
    text, template = None, None
    try:
        for node in chain:
            text = read_inside(node.folder, TEMPLATE_FILE)
            if text is not None:
                template = node.folder / TEMPLATE_FILE
                break
    except TemplateError as err:
        return None, [str(err)]
    if text is None or template is None:
        return None, [f"{chain[0].folder}: missing {TEMPLATE_FILE} (and no audience it extends has one)"]
    settings = merged([n.config for n in reversed(chain)])
    reference = next((n.folder / REFERENCE_DOCX for n in chain if inside(n.folder, REFERENCE_DOCX)), None)
    shared = _shared_dirs(layers)
    style = replace(Style(**settings.style.style_values()), page_limit=settings.page_limit)
    audience = Audience(
        name=name,
        label=settings.label or name.replace("-", " ").capitalize(),
        description=settings.description,
        folder=chain[0].folder,
        template_text=text,
        template_name=str(template),
        style=style,
        settings=settings,
        key_points=settings.key_points,
        page_limit=settings.page_limit,
        classification=settings.classification,
        fingerprint=_fingerprint([n.folder for n in chain] + list(shared)),
        reference_docx=reference,
        chain=tuple(n.folder for n in chain),
        shared=shared,
    )
    return audience, []


# ---------------------------------------------------------------- public API


def load_audience(name: str, templates_dir: Path | None = None) -> Audience:
    """One audience by name; `templates_dir` audiences override built-ins."""
    layers = _layers(templates_dir)
    audience, problems = build_audience(name, layers)
    if audience is None:
        if len(problems) == 1 and problems[0].startswith("unknown audience"):
            raise BriefgenError(problems[0])
        raise TemplateError("; ".join(problems))
    return audience


def list_audiences(templates_dir: Path | None = None) -> list[Audience]:
    """Every audience (built-in and custom), sorted by name."""
    layers = _layers(templates_dir)
    return [load_audience(name, templates_dir) for name in _all_names(layers)]


def init_audience(name: str, *, from_audience: str = "memo", directory: Path = Path("templates")) -> Path:
    """Copy an audience into `directory/name` as the starting point for a custom one."""
    if not _NAME.match(name):
        raise BriefgenError(
            f"{name!r} is not a valid audience name "
            "(lowercase letters, digits, '-' and '_', starting with a letter or digit)"
        )
    directory = Path(directory)
    target = directory / name
    if target.exists():
        raise BriefgenError(f"{target}: already exists; choose another name or remove it")
    source = load_audience(from_audience, directory if directory.is_dir() else None)
    if source.folder.resolve() == target.resolve():  # pragma: no cover - guarded by exists() above
        raise BriefgenError(f"{target}: cannot copy an audience onto itself")
    target.mkdir(parents=True)
    for path in sorted(source.folder.iterdir()):
        if path.is_file() and inside(source.folder, path.name):
            shutil.copyfile(path, target / path.name)
    if not (target / TEMPLATE_FILE).exists():  # the source inherits its template: write it out
        (target / TEMPLATE_FILE).write_text(source.template_text, encoding="utf-8")
    logger.info("copied audience %s (%s) to %s", from_audience, source.folder, target)
    return target
