"""Errors meant for people: each carries a one-line message the CLI prints as is."""

from __future__ import annotations


class BriefgenError(Exception):
    """Base for every error a user can fix; the CLI maps it to exit code 2."""

    exit_code = 2

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
