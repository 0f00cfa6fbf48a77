"""One sandboxed Jinja environment for every memo of a process, with bounded rendering.

Templates are compiled once and reused: the environment keys each audience's templates by the
fingerprint of its files, so an edited template is a new name (compiled afresh) and an unchanged one
is never parsed twice. Names resolve into "<key>/@<level>/<file>" (a file of the audience chain) or
"<key>/_shared/<file>", so `parent:` can mean "the next audience up" from wherever it is used.

Rendering is bounded (limits.py): every loop, concatenation, call, attribute access and binary
operator checks the clock, and whatever would build a string or list past the output limit is
refused before it is built. A template can therefore neither hang a build nor exhaust its memory.
"""

from __future__ import annotations

import functools
import hashlib
import time
from collections.abc import Callable, Iterable, Iterator
from contextvars import ContextVar
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jinja2
from jinja2 import nodes
from jinja2.sandbox import SandboxedEnvironment
from jinja2.visitor import NodeTransformer

from ..errors import TemplateError
from . import limits
from .audiences import Audience
from .files import inside
from .filters import FILTERS
from .limits import MAX_OUTPUT_CHARS

PARENT_PREFIX = "parent:"  # `{% extends "parent:memo.md.j2" %}`: the audience this one extends
_BOUNDED_ITER = "briefgen_bounded_iter"
_BOUNDED_JOIN = "briefgen_bounded_join"


class LimitExceeded(Exception):
    """A template went past a limit; compose turns it into a TemplateError naming the template."""

    def __init__(self, what: str, limit: float) -> None:
        super().__init__(f"{what} exceeds the limit of {limit:g}")
        self.what = what
        self.limit = limit


@dataclass
class _Budget:
    deadline: float
    max_chars: int
    seconds: float

    def tick(self) -> None:
        if time.monotonic() > self.deadline:
            raise LimitExceeded("render time (seconds)", self.seconds)

    def size(self, n: int) -> None:
        if n > self.max_chars:
            raise LimitExceeded("output size (characters)", self.max_chars)


_BUDGET: ContextVar[_Budget | None] = ContextVar("briefgen_template_budget", default=None)


def _tick() -> None:
    budget = _BUDGET.get()
    if budget is not None:
        budget.tick()


def _size(n: int) -> None:
    budget = _BUDGET.get()
    if budget is not None:
        budget.size(n)


class budget:
    """Bound the rendering inside this block by time and size."""

    def __init__(self, seconds: float | None = None, chars: int | None = None) -> None:
        seconds = limits.MAX_RENDER_SECONDS if seconds is None else seconds
        chars = limits.MAX_OUTPUT_CHARS if chars is None else chars
        self._budget = _Budget(deadline=time.monotonic() + seconds, max_chars=chars, seconds=seconds)
        self._token: Any = None

    def __enter__(self) -> _Budget:
        self._token = _BUDGET.set(self._budget)
        return self._budget

    def __exit__(self, *exc: object) -> None:
        _BUDGET.reset(self._token)


def _bounded_iter(iterable: Iterable[Any]) -> Iterator[Any]:
    for index, item in enumerate(iterable):
        if not index & 255:
            _tick()
        yield item


def _bounded_join(parts: Iterable[Any]) -> str:
    """`a ~ b` with the size checked before the string is built."""
    texts = [str(p) for p in parts]
    _size(sum(len(t) for t in texts))
    _tick()
    return "".join(texts)


def _sized(value: Any) -> int | None:
    return len(value) if isinstance(value, (str, list, tuple)) else None


class _Bounding(NodeTransformer):
    """Rewrites a parsed template so loops and `~` go through the bounded helpers above."""

    def visit_For(self, node: nodes.For) -> nodes.Node:
        self.generic_visit(node)
        node.iter = nodes.Filter(node.iter, _BOUNDED_ITER, [], [], None, None, lineno=node.lineno)
        return node

    def visit_Concat(self, node: nodes.Concat) -> nodes.Node:
        self.generic_visit(node)
        items = nodes.List(node.nodes, lineno=node.lineno)
        return nodes.Filter(items, _BOUNDED_JOIN, [], [], None, None, lineno=node.lineno)


def _bounded_filter(func: Callable[..., Any]) -> Callable[..., Any]:
    """A filter with its clock checked first, a huge width refused, and its result's size checked."""

    @functools.wraps(func)  # keeps Jinja's pass_context / pass_environment marks
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        _tick()
        for value in (*args, *kwargs.values()):
            if isinstance(value, int) and not isinstance(value, bool) and value > MAX_OUTPUT_CHARS:
                raise LimitExceeded("a filter argument", MAX_OUTPUT_CHARS)
        result = func(*args, **kwargs)
        size = _sized(result)
        if size is not None:
            _size(size)
        return result

    return wrapper


class MemoEnvironment(SandboxedEnvironment):
    """The sandbox, plus a clock and a size check on what templates compute."""

    intercepted_binops = frozenset({"*", "**", "+"})

    def call_binop(self, context: jinja2.runtime.Context, op: str, left: Any, right: Any) -> Any:
        _tick()
        if op == "*":
            for seq, times in ((left, right), (right, left)):
                size = _sized(seq)
                if size is not None and isinstance(times, int):
                    _size(size * times)
        elif (
            op == "**"
            and isinstance(right, int)
            and abs(right) > 64
            and isinstance(left, int)
            and abs(left) > 1
        ):
            raise LimitExceeded("an exponent", 64)
        elif op == "+":
            left_size, right_size = _sized(left), _sized(right)
            if left_size is not None and right_size is not None:
                _size(left_size + right_size)
        return super().call_binop(context, op, left, right)

    def call(self, __context: jinja2.runtime.Context, __obj: Any, *args: Any, **kwargs: Any) -> Any:
        _tick()
        for value in (*args, *kwargs.values()):
            if isinstance(value, int) and not isinstance(value, bool) and value > MAX_OUTPUT_CHARS:
                raise LimitExceeded("a call argument", MAX_OUTPUT_CHARS)
        result = super().call(__context, __obj, *args, **kwargs)
        size = _sized(result)
        if size is not None:
            _size(size)
        return result

    def getattr(self, obj: Any, attribute: str) -> Any:
        _tick()
        return super().getattr(obj, attribute)

    def getitem(self, obj: Any, argument: Any) -> Any:
        _tick()
        return super().getitem(obj, argument)

    def _parse(self, source: str, name: str | None, filename: str | None) -> nodes.Template:
        tree = super()._parse(source, name, filename)
        return _Bounding().visit(tree)

    def join_path(self, template: str, parent: str) -> str:
        loader: AudienceLoader = self.loader  # type: ignore[assignment]
        return loader.resolve(template, parent)


@dataclass(frozen=True)
class _Chain:
    folders: tuple[Path, ...]
    shared: tuple[Path, ...]


class AudienceLoader(jinja2.BaseLoader):
    """Finds template files for every registered audience: its own folder, the ones it extends,
    then `_shared/`, reading only files whose real path lies inside those folders."""

    def __init__(self) -> None:
        self.chains: dict[str, _Chain] = {}

    def register(self, audience: Audience) -> str:
        chain = audience.chain or (Path(audience.template_name).parent,)
        seed = audience.fingerprint + "\0" + "\0".join(str(p) for p in (*chain, *audience.shared))
        key = hashlib.sha256(seed.encode()).hexdigest()[:16]
        self.chains.setdefault(key, _Chain(tuple(chain), tuple(audience.shared)))
        return key

    def resolve(self, name: str, parent: str | None) -> str:
        key, _, rest = (parent or "").partition("/")
        start = 0
        if name.startswith(PARENT_PREFIX):
            name = name[len(PARENT_PREFIX) :]
            level = int(rest[1:].split("/", 1)[0]) if rest.startswith("@") else 0
            start = level + 1
        chain = self.chains.get(key)
        if chain is None:
            return name
        if name.startswith("_shared/"):
            return f"{key}/{name}"
        for level in range(start, len(chain.folders)):
            if inside(chain.folders[level], name) is not None:
                return f"{key}/@{level}/{name}"
        return name  # get_source reports it as not found

    def top(self, key: str) -> str:
        return self.resolve("memo.md.j2", f"{key}/")

    def get_source(
        self, environment: jinja2.Environment, template: str
    ) -> tuple[str, str, Callable[[], bool]]:
        key, _, rest = template.partition("/")
        chain = self.chains.get(key)
        path = None
        if chain is not None and rest.startswith("@"):
            level_text, _, name = rest[1:].partition("/")
            if level_text.isdigit() and int(level_text) < len(chain.folders):
                path = inside(chain.folders[int(level_text)], name)
        elif chain is not None and rest.startswith("_shared/"):
            name = rest[len("_shared/") :]
            path = next((p for p in (inside(d, name) for d in chain.shared) if p), None)
        if path is None:
            raise jinja2.TemplateNotFound(rest.split("/", 1)[-1] if "/" in rest else template)
        try:
            source = path.read_text(encoding="utf-8")
        except UnicodeDecodeError:
            raise TemplateError(f"{path}: not UTF-8 text") from None
        return source, str(path), lambda: True  # the key changes when a file does


@functools.cache  # one environment per process: compiled templates are reused across memos
def environment() -> MemoEnvironment:
    env = MemoEnvironment(
        loader=AudienceLoader(),
        undefined=jinja2.StrictUndefined,
        autoescape=False,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        auto_reload=False,
        cache_size=1000,
    )
    env.filters.update(FILTERS)
    env.filters = {name: _bounded_filter(f) for name, f in env.filters.items()}
    env.filters[_BOUNDED_ITER] = _bounded_iter
    env.filters[_BOUNDED_JOIN] = _bounded_join
    return env


def template_for(audience: Audience) -> jinja2.Template:
    """The audience's compiled memo.md.j2 (compiled on first use, then reused)."""
    env = environment()
    loader: AudienceLoader = env.loader  # type: ignore[assignment]
    return env.get_template(loader.top(loader.register(audience)))


def filenames() -> set[str]:
    """Every template file name loaded so far (to find the template line in a traceback)."""
    loader: AudienceLoader = environment().loader  # type: ignore[assignment]
    names: set[str] = set()
    for chain in loader.chains.values():
        for folder in (*chain.folders, *chain.shared):
            names.update(str(p) for p in folder.glob("*.j2"))
    return names
