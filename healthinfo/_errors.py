"""The one error type of the library for bad content, and its problems."""

from __future__ import annotations

import re
from dataclasses import dataclass

__all__ = ["CorpusError", "CorpusWarning", "HealthinfoError", "Problem", "printable"]


class HealthinfoError(Exception):
    """Base of the errors healthinfo raises on purpose."""


# Characters that would let a file name (or text quoted in a message) forge problem
# lines or reach a terminal as commands: the C0 and C1 controls and DEL (newline,
# carriage return, ESC, ...), the Unicode line and paragraph separators and the
# bidirectional controls that reorder what is shown.
_UNPRINTABLE = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\u200e\u200f\u202a-\u202e\u2066-\u2069]")
_SHORT = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def printable(text: str) -> str:
    """``text`` with each control character written as an escape (``\\n``, ``\\x1b``,
    ``\\u202e``), so that it shows as one line of plain characters."""
    return _UNPRINTABLE.sub(lambda m: _SHORT.get(m.group()) or _escape(m.group()), text)


def _escape(char: str) -> str:
    code = ord(char)
    return f"\\x{code:02x}" if code <= 0xFF else f"\\u{code:04x}"


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with the corpus: where it is and what to do about it."""

    path: str
    line: int | None
    message: str

    def __str__(self) -> str:
        # Escaped here, where every printed problem is made: a file may be named
        # "x.md\nother.md:1: all good" or hold terminal escapes.
        path = printable(self.path)
        where = path if self.line is None else f"{path}:{self.line}"
        return f"{where}: {printable(self.message)}"


class CorpusError(HealthinfoError):
    """The corpus cannot be loaded. ``problems`` lists every problem found, each with
    its file, line and a plain sentence; ``str()`` gives them one per line."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = sorted(set(problems), key=lambda p: (p.path, p.line or 0, p.message))
        count = len(self.problems)
        head = f"{count} problem{'s' if count != 1 else ''} in the corpus"
        super().__init__(head + ":\n" + "\n".join(str(p) for p in self.problems))


class CorpusWarning(UserWarning):
    """Something in the corpus that loads but looks wrong (an ``updated`` date after
    the build date). Issued with :func:`warnings.warn` when the corpus loads, like
    the exporters' ExportWarning. ``code`` is stable (``<area>:<what>``, e.g.
    ``dates:updated-in-future``) so that callers can filter or count warnings;
    ``problem`` says where, as a problem does. docs/authoring.md lists the codes."""

    def __init__(self, code: str, problem: Problem) -> None:
        where = str(Problem(problem.path, problem.line, ""))[:-2]
        super().__init__(f"{where}: {code}: {printable(problem.message)}")
        self.code = code
        self.problem = problem
