"""pydantic's validation errors as a settings file's reader needs them: one (key, message) per key.

Both declared schemas (audience.toml: `compose.settings`; a batch manifest: `batch.manifest`) phrase
their problems here, so a reader gets the same kind of sentence from both; each caller adds its own
prefix (the file, or `job[2].`). A field's `description` says what a value must be; a field without
one is phrased by the kind of problem pydantic found, and with the value it was given.
"""

from __future__ import annotations

from typing import Any, get_args, get_origin

from pydantic import BaseModel, ValidationError
from pydantic.fields import FieldInfo

_RANGE = ("greater_than_equal", "less_than_equal", "greater_than", "less_than")
_LISTS = ("tuple_type", "list_type")


def describe(err: ValidationError, model: type[BaseModel]) -> list[tuple[str, str]]:
    """Every problem in `err` (raised validating `model`), the first one per key, in pydantic's order.

    A key is dotted through nested tables (`style.body_size`) and one level into a table of values
    (`banner_colors.SECRET`); a list item's problem is its list's (`audiences`).
    """
    found: dict[str, str] = {}
    for error in err.errors():
        key, owner, field = _locate(tuple(error["loc"]), model)
        found.setdefault(key, _message(error, key, owner, field))
    return list(found.items())


def _locate(loc: tuple[Any, ...], model: type[BaseModel]) -> tuple[str, type[BaseModel], Any]:
    """The key a location points at, the model that owns it, and its field (a FieldInfo, the
    description of a table's entry as a str, or None for a key the model does not have)."""
    parts: list[str] = []
    owner: type[BaseModel] = model
    field: Any = None
    for part in loc:
        if not isinstance(part, str):
            break
        parts.append(part)
        name = next((n for n, f in owner.model_fields.items() if part in (n, f.alias)), None)
        field = owner.model_fields.get(name) if name else None
        if field is None:
            break
        annotation = field.annotation
        if isinstance(annotation, type) and issubclass(annotation, BaseModel):
            if len(parts) < len(loc):
                owner = annotation
            continue
        if get_origin(annotation) is dict and len(parts) < len(loc):
            parts.append(str(loc[len(parts)]))
            field = _entry_description(annotation)
        break
    return ".".join(parts) or "(top)", owner, field


def _entry_description(annotation: Any) -> str | None:
    """What each value of a `dict[K, Annotated[V, Field(description=...)]]` field must be."""
    args = get_args(annotation)
    for meta in getattr(args[1], "__metadata__", ()) if len(args) == 2 else ():
        if isinstance(meta, FieldInfo) and meta.description:
            return meta.description
    return None


def _message(error: Any, key: str, owner: type[BaseModel], field: Any) -> str:
    kind, value = error["type"], error.get("input")
    if kind == "extra_forbidden":
        names = sorted(f.alias or n for n, f in owner.model_fields.items())
        return f"unknown key (expected one of: {', '.join(names)})"
    description = field if isinstance(field, str) else getattr(field, "description", None)
    if description:
        return f"must be {description}"
    if kind in ("int_type", "int_parsing", "int_from_float"):
        return f"must be a whole number, not {_kind(value)}"
    if kind == "string_type":
        return f"must be {'a list of strings' if _is_list(field) else 'a string'}, not {_kind(value)}"
    if kind in _LISTS:
        return f"must be a list of strings, not {_kind(value)}"
    if kind == "literal_error":
        expected = error.get("ctx", {}).get("expected", "one of the documented values")
        noun = key.rsplit(".", 1)[-1].removesuffix("s")  # `formats` lists formats: "unknown format"
        return f"unknown {noun} {value!r} (expected {expected})"
    if kind == "too_short":
        return "must not be empty"
    if kind in _RANGE:
        bounds = {type(m).__name__: m for m in (field.metadata if field else ())}
        low = getattr(bounds.get("Ge"), "ge", None)
        high = getattr(bounds.get("Le"), "le", None)
        limits = f"{low}..{high}" if low is not None and high is not None else error["msg"].lower()
        return f"{value} is out of range ({limits})"
    if kind in ("path_type", "path_parsing"):
        return f"must be a path string, not {_kind(value)}"
    return str(error["msg"]).removeprefix("Value error, ")


def _is_list(field: Any) -> bool:
    """A field that holds a list (or tuple) of values, perhaps optional."""
    todo = [getattr(field, "annotation", None)]
    while todo:  # through Optional and Annotated to the container
        annotation = todo.pop()
        origin = get_origin(annotation)
        if origin in (list, tuple):
            return True
        if origin is not None:
            todo.extend(get_args(annotation))
    return False


def _kind(value: Any) -> str:
    return {
        str: "a string",
        int: "a number",
        float: "a number",
        bool: "true/false",
        list: "a list",
        dict: "a table",
    }.get(type(value), type(value).__name__)
