"""The one error type of the library for bad content, and its problems."""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["CorpusError", "HealthinfoError", "Problem"]


class HealthinfoError(Exception):
    """Base of the errors healthinfo raises on purpose."""


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with the corpus: where it is and what to do about it."""

    path: str
    line: int | None
    message: str

    def __str__(self) -> str:
        where = self.path if self.line is None else f"{self.path}:{self.line}"
        return f"{where}: {self.message}"


class CorpusError(HealthinfoError):
    """The corpus cannot be loaded. ``problems`` lists every problem found, each with
    its file, line and a plain sentence; ``str()`` gives them one per line."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = sorted(set(problems), key=lambda p: (p.path, p.line or 0, p.message))
        count = len(self.problems)
        head = f"{count} problem{'s' if count != 1 else ''} in the corpus"
        super().__init__(head + ":\n" + "\n".join(str(p) for p in self.problems))
