"""Where a finding is: the file and line of a text of the model in the corpus files.

The content model carries no line numbers, so the audit re-reads the Markdown file a
text came from (the article, or the reusable block it includes) and finds the text by
its words: the file's words, with the markup of roles (``{term}`…``, ``{lang:de}`…``),
citations, link targets and heading attributes left out, are searched for the first
words of the text, from where the last text was found on. A text not found gets no
line (the file is still named). Front matter fields, glossary entries and sources are
found by their key on a line.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

__all__ = ["SourceFile", "SourceFiles"]

# Markup whose words the model's text does not have.
_CITE = re.compile(r"\{cite\}`[^`]*`")
_ROLE = re.compile(r"\{[a-z]+(?::[^}`]*)?\}`")
_ROLE_TARGET = re.compile(r"\s*<[^<>`]*>`")
_LINK_TARGET = re.compile(r"\]\([^)\n]*\)")
_ATTRIBUTES = re.compile(r"\{#[^}\n]*\}")
_WORD = re.compile(r"\w+")

#: How many first words of a text are looked for.
_PROBE_WORDS = 8


def words_of(text: str) -> list[str]:
    """The words of a text as the search compares them (lower case)."""
    return [w.lower() for w in _WORD.findall(text)]


@dataclass
class SourceFile:
    """One corpus file, its lines and its body's words, each with its line."""

    name: str
    lines: list[str]
    body_start: int = 0
    words: list[str] = field(default_factory=list)
    word_lines: list[int] = field(default_factory=list)
    cursor: int = 0

    @classmethod
    def read(cls, name: str, path: Path | None) -> SourceFile:
        try:
            text = path.read_text(encoding="utf-8") if path is not None else ""
        except (OSError, UnicodeDecodeError):
            text = ""
        lines = text.splitlines()
        source = cls(name, lines, _front_matter_end(lines))
        for number in range(source.body_start, len(lines)):
            clean = _clean(lines[number])
            for word in words_of(clean):
                source.words.append(word)
                source.word_lines.append(number + 1)
        return source

    def line_of_text(self, text: str) -> int | None:
        """The line where ``text`` (the model's plain text) begins, searched from the
        last text found on, then from the start; None when it is not found."""
        probe = words_of(text)[:_PROBE_WORDS]
        if not probe:
            return None
        for start in (self.cursor, 0):
            index = self._find(probe, start)
            if index is not None:
                self.cursor = index + 1
                return self.word_lines[index]
        return None

    def _find(self, probe: list[str], start: int) -> int | None:
        first, size, words = probe[0], len(probe), self.words
        for index in range(start, len(words) - size + 1):
            if words[index] == first and words[index : index + size] == probe:
                return index
        return None

    def line_of_key(self, key: str) -> int | None:
        """The line of the front matter's (or a YAML file's top-level) ``key:``."""
        pattern = re.compile(rf"^{re.escape(key)}\s*:")
        end = self.body_start or len(self.lines)
        return next((n + 1 for n in range(end) if pattern.match(self.lines[n])), None)

    def line_of_item(self, key: str, item: str) -> int | None:
        """The line of ``- item`` under front matter ``key`` (the key's line when the
        list is written inline)."""
        start = self.line_of_key(key)
        if start is None:
            return None
        pattern = re.compile(rf"^\s*-\s*['\"]?{re.escape(item)}['\"]?\s*(#.*)?$")
        for number in range(start, self.body_start or len(self.lines)):
            line = self.lines[number]
            if pattern.match(line):
                return number + 1
            if line and not line[0].isspace() and not line.startswith("-"):
                break
        return start

    def line_of_id(self, key: str) -> int | None:
        """The line of a CSL item's ``id: key`` (YAML) or ``"id": "key"`` (JSON)."""
        pattern = re.compile(rf"""(^|[\s{{,-])["']?id["']?\s*:\s*["']?{re.escape(key)}["']?\s*(,|}}|#|$)""")
        return next((n + 1 for n, line in enumerate(self.lines) if pattern.search(line)), None)


def _front_matter_end(lines: list[str]) -> int:
    """The index of the first line after a ``---`` front matter (0 when there is none)."""
    if not lines or lines[0].strip() != "---":
        return 0
    for number in range(1, len(lines)):
        if lines[number].strip() in ("---", "..."):
            return number + 1
    return 0


def _clean(line: str) -> str:
    line = _CITE.sub(" ", line)
    line = _ROLE_TARGET.sub("`", line)
    line = _ROLE.sub(" ", line)
    line = _LINK_TARGET.sub("] ", line)
    return _ATTRIBUTES.sub(" ", line)


class SourceFiles:
    """The corpus files read so far, by their corpus-relative POSIX name; without a
    corpus folder every file is empty (findings name the file, with no line)."""

    def __init__(self, root: Path | None) -> None:
        self.root = root
        self._files: dict[str, SourceFile] = {}

    def get(self, name: str) -> SourceFile:
        found = self._files.get(name)
        if found is None:
            found = SourceFile.read(name, self.root / name if self.root is not None else None)
            self._files[name] = found
        return found

    def rewind(self) -> None:
        """Start every search from the top again (a new article)."""
        for source in self._files.values():
            source.cursor = 0

    def first_existing(self, *names: str) -> str:
        """The first of ``names`` that exists in the corpus folder (the first when none does)."""
        if self.root is not None:
            for name in names:
                if (self.root / name).is_file():
                    return name
        return names[0]
