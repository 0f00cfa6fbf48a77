"""Audiences: folders of `memo.md.j2` + `audience.toml`, built in or from `--templates DIR`.

An audience folder may `extends` another audience: it inherits the other's settings (its own
keys win, `[style]` merges key by key) and every template file it does not have itself. A
`--templates` folder adds audiences and overrides built-ins by name; an override may extend the
very built-in it replaces (`extends = "memo"` inside a custom `memo/`).

Folders whose name starts with `_` (e.g. `_shared/`) hold templates to include or extend; they
are not audiences.
"""

from __future__ import annotations

import hashlib
import logging
import re
import shutil
import tomllib
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

from .errors import BriefgenError, TemplateError
from .render.style import Style

logger = logging.getLogger(__name__)

TEMPLATE_FILE = "memo.md.j2"
CONFIG_FILE = "audience.toml"
REFERENCE_DOCX = "reference.docx"
SHARED_DIR = "_shared"
DEFAULT_KEY_POINTS = 6

_NAME = re.compile(r"^[a-z0-9][a-z0-9_-]{0,63}$")
_COLOR = re.compile(r"^#[0-9A-Fa-f]{6}$")

# The built-ins: the repo's top-level templates/ in an editable install, briefgen/templates in
# the wheel (pyproject force-includes it there).
_PACKAGE_DIR = Path(__file__).resolve().parent
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


def _audience_names(layer: Path) -> list[str]:
    return sorted(p.name for p in layer.iterdir() if p.is_dir() and not p.name.startswith(("_", ".")))


def known_names(templates_dir: Path | None) -> list[str]:
    names: set[str] = set()
    for layer in _layers(templates_dir):
        names.update(_audience_names(layer))
    return sorted(names)


# ---------------------------------------------------------------- audience.toml schema

# Top-level keys and the check for each; `[style]` keys are the Style fields a user may set.
_TOP_KEYS = {"label", "description", "extends", "page_limit", "key_points", "classification", "style"}
# banner comes from `classification`, page_limit from the top level, reference_docx from the folder.
_STYLE_KEYS = {f.name for f in fields(Style)} - {"banner", "page_limit", "reference_docx"}


def _is_number(v: Any) -> bool:
    return isinstance(v, (int, float)) and not isinstance(v, bool)


def _check_style_value(key: str, value: Any) -> str | None:
    """A problem with one `[style]` value, or None."""
    if key == "page_size":
        return None if value in ("letter", "a4") else 'must be "letter" or "a4"'
    if key in ("body_font", "heading_font", "footer_text"):
        return None if isinstance(value, str) and value.strip() else "must be a non-empty string"
    if key.endswith("_color"):
        return None if isinstance(value, str) and _COLOR.match(value) else 'must be a colour like "#1F3864"'
    if key == "margins_in":
        if _is_number(value) and 0 <= value <= 3:
            return None
        if isinstance(value, list) and len(value) == 4 and all(_is_number(v) and 0 <= v <= 3 for v in value):
            return None
        return "must be inches (0-3): one number or [top, right, bottom, left]"
    if key == "heading_sizes":
        if isinstance(value, list) and len(value) == 3 and all(_is_number(v) and 4 <= v <= 72 for v in value):
            return None
        return "must be three sizes in points, e.g. [15, 12.5, 11]"
    if key in ("body_size", "title_size"):
        return None if _is_number(value) and 4 <= value <= 72 else "must be a size in points (4-72)"
    if key == "line_spacing":
        return None if _is_number(value) and 0.8 <= value <= 3 else "must be a number from 0.8 to 3"
    return "unknown key"  # pragma: no cover - every Style field is handled above


def _check_config(path: Path, data: dict[str, Any]) -> list[str]:
    """Every problem in one parsed audience.toml, each naming the file and key."""
    problems = []
    for key, value in data.items():
        where = f"{path}: {key}"
        if key not in _TOP_KEYS:
            problems.append(f"{where}: unknown key (expected one of {', '.join(sorted(_TOP_KEYS))})")
        elif key in ("label", "description", "extends", "classification"):
            if not isinstance(value, str) or not value.strip():
                problems.append(f"{where}: must be a non-empty string")
        elif key == "page_limit":
            if not isinstance(value, int) or isinstance(value, bool) or not 1 <= value <= 100:
                problems.append(f"{where}: must be a whole number of pages (1-100)")
        elif key == "key_points":
            if not isinstance(value, int) or isinstance(value, bool) or not 1 <= value <= 50:
                problems.append(f"{where}: must be a whole number from 1 to 50")
        elif key == "style":
            if not isinstance(value, dict):
                problems.append(f"{where}: must be a table ([style])")
                continue
            for skey, svalue in value.items():
                if skey not in _STYLE_KEYS:
                    problems.append(
                        f"{path}: style.{skey}: unknown key "
                        f"(expected one of {', '.join(sorted(_STYLE_KEYS))})"
                    )
                    continue
                problem = _check_style_value(skey, svalue)
                if problem:
                    problems.append(f"{path}: style.{skey}: {problem}")
    return problems


def _read_config(folder: Path) -> tuple[dict[str, Any], list[str]]:
    path = folder / CONFIG_FILE
    if not path.is_file():
        return {}, []
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except UnicodeDecodeError:
        return {}, [f"{path}: not UTF-8 text"]
    except tomllib.TOMLDecodeError as err:
        return {}, [f"{path}: invalid TOML: {err}"]
    return data, _check_config(path, data)


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


def _all_names(layers: list[Path]) -> list[str]:
    names: set[str] = set()
    for layer in layers:
        names.update(_audience_names(layer))
    return sorted(names)


def _merged(chain: list[_Node]) -> dict[str, Any]:
    """Settings along the chain: the nearest audience wins, [style] merges key by key."""
    merged: dict[str, Any] = {}
    style: dict[str, Any] = {}
    for node in reversed(chain):
        for key, value in node.config.items():
            if key == "style" and isinstance(value, dict):
                style.update(value)
            elif key != "extends":
                merged[key] = value
    merged["style"] = style
    return merged


def _style(settings: dict[str, Any]) -> Style:
    values = dict(settings)
    margins = values.get("margins_in")
    if _is_number(margins):
        values["margins_in"] = (float(margins),) * 4
    elif isinstance(margins, list):
        values["margins_in"] = tuple(float(m) for m in margins)
    if isinstance(values.get("heading_sizes"), list):
        values["heading_sizes"] = tuple(float(s) for s in values["heading_sizes"])
    for key in ("body_size", "title_size", "line_spacing"):
        if key in values:
            values[key] = float(values[key])
    return Style(**values)


def _fingerprint(folders: list[Path]) -> str:
    """sha256 over every file of the folders (the audience, those it extends, shared ones)."""
    digest = hashlib.sha256()
    for index, folder in enumerate(folders):
        if not folder.is_dir():
            continue
        for path in sorted(p for p in folder.rglob("*") if p.is_file()):
            rel = path.relative_to(folder).as_posix()
            if "__pycache__" in rel:
                continue
            digest.update(f"{index}:{rel}\0".encode())
            digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


def _shared_dirs(layers: list[Path]) -> tuple[Path, ...]:
    return tuple(layer / SHARED_DIR for layer in layers if (layer / SHARED_DIR).is_dir())


def _build(name: str, layers: list[Path]) -> tuple[Audience | None, list[str]]:
    chain, problems = _resolve_chain(name, layers)
    if problems or not chain:
        return None, problems
    template = next((n.folder / TEMPLATE_FILE for n in chain if (n.folder / TEMPLATE_FILE).is_file()), None)
    if template is None:
        return None, [f"{chain[0].folder}: missing {TEMPLATE_FILE} (and no audience it extends has one)"]
    settings = _merged(chain)
    try:
        text = template.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        return None, [f"{template}: not UTF-8 text"]
    reference = next(
        (n.folder / REFERENCE_DOCX for n in chain if (n.folder / REFERENCE_DOCX).is_file()), None
    )
    page_limit = settings.get("page_limit")
    shared = _shared_dirs(layers)
    audience = Audience(
        name=name,
        label=settings.get("label", name.replace("-", " ").capitalize()),
        description=settings.get("description", ""),
        folder=chain[0].folder,
        template_text=text,
        template_name=str(template),
        style=_style({**settings["style"], "page_limit": page_limit}),
        key_points=settings.get("key_points", DEFAULT_KEY_POINTS),
        page_limit=page_limit,
        classification=settings.get("classification"),
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
    audience, problems = _build(name, layers)
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
        if path.is_file():
            shutil.copyfile(path, target / path.name)
    if not (target / TEMPLATE_FILE).exists():  # the source inherits its template: write it out
        (target / TEMPLATE_FILE).write_text(source.template_text, encoding="utf-8")
    logger.info("copied audience %s (%s) to %s", from_audience, source.folder, target)
    return target


def check_templates(directory: Path) -> list[str]:
    """Every problem in a folder of audiences, at once (empty list when all is well)."""
    # Imported here: templating imports this module.
    from .templating import check_rendering, check_syntax

    directory = Path(directory)
    if not directory.is_dir():
        return [f"{directory}: templates folder not found"]
    layers = [directory, builtin_dir()]
    problems: list[str] = []
    names = _audience_names(directory)
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
        audience, found = _build(name, layers)
        problems += found
        own = (folder, directory / SHARED_DIR)
        problems += check_rendering(audience, own_folders=own) if audience else check_syntax(own)
    return list(dict.fromkeys(problems))
