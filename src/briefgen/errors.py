"""Errors meant for people: each carries a one-line message the CLI prints as is.

Library errors say what is wrong and carry the facts as fields (which limit, its value); they never
name a command-line flag or a manifest key, because the library does not know which front end
called it. The CLI and the batch summary each add their own hint (`cli.hint`, `batch.report`).
"""

from __future__ import annotations


class BriefgenError(Exception):
    """Base for every error a user can fix; the CLI maps it to exit code 2."""

    exit_code = 2
    # Settings (as the options spell them) that would let the run go on; a front end names them in
    # its own terms (`cli.message`: flags).
    remedies: tuple[str, ...] = ()

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message


class SourceError(BriefgenError):
    """A source file that cannot be read: names the file and the problem."""

    def __init__(self, path: object, problem: str) -> None:
        super().__init__(f"{path}: {problem}")
        self.path = str(path)
        self.problem = problem


class LimitError(SourceError):
    """A source over one of the documented limits.

    `limit` is the setting's name as the options spell it (`max_bytes`, `max_chars`, `timeout`) and
    `value` the limit in force; the message says what the source needed. Front ends add how to
    raise the limit in their own terms.
    """

    def __init__(self, path: object, problem: str, *, limit: str, value: float) -> None:
        super().__init__(path, problem)
        self.limit = limit
        self.value = value


class SettingError(BriefgenError):
    """A setting from the environment or the command line with a value that cannot be used.

    `name` is the setting as the options spell it (`host`, `SOURCE_DATE_EPOCH`); `value` is None for
    a secret, which a message never repeats. `remedies` names the settings that would fix it.
    """

    def __init__(self, name: str, value: str | None, problem: str, *, remedies: tuple[str, ...] = ()) -> None:
        self.name = name
        self.value = value
        self.problem = problem
        self.remedies = remedies
        shown = name if value is None else f"{name}={value!r}"
        super().__init__(f"{shown} {problem}")


class TemplateError(BriefgenError):
    """A template or audience definition that is wrong (names template and line)."""


class ManifestError(BriefgenError):
    """An invalid batch manifest; lists every problem at once."""

    def __init__(self, path: object, problems: list[str]) -> None:
        self.problems = list(problems)
        lines = "; ".join(self.problems)
        super().__init__(f"{path}: invalid manifest ({len(self.problems)} problem(s)): {lines}")


class RenderError(BriefgenError):
    """A memo that cannot be rendered (e.g. a page limit that cannot be met)."""
