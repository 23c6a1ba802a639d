"""An article body's flat list of headings and blocks made into its lead and nested
sections, with the checks on heading levels and ids."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from pydantic import ValidationError

from ..schema import Section, inline_text, walk
from ._markdown import Heading, slugify

__all__ = ["sectionize"]

#: Reports a problem at a line of the file being read.
Report = Callable[[int | None, str], None]


def sectionize(items: list[Any], report: Report) -> tuple[list[Any], list[Section]]:
    """Turn the flat list of blocks and headings into the lead and nested sections."""
    return _Sectionizer(items, report).run()


class _OpenSection:
    """A section whose heading has been read and whose end has not."""

    __slots__ = ("blocks", "heading", "level", "subsections")

    def __init__(self, heading: Heading) -> None:
        self.level = heading.level
        self.heading = heading
        self.blocks: list[Any] = []
        self.subsections: list[Section] = []


class _Sectionizer:
    def __init__(self, items: list[Any], report: Report) -> None:
        self.items = items
        self.report = report
        self.lead: list[Any] = []
        self.stack: list[_OpenSection] = []
        self.top: list[Section] = []
        # Each id used so far, with the line of its heading (0 for figures and tables).
        self.used_ids: dict[str, int] = {}
        self.explicit = {item.id for item in items if isinstance(item, Heading) and item.id}
        # The number to try next for each generated id's base: ids once taken stay
        # taken, so many headings of the same text cost one step each.
        self.next_number: dict[str, int] = {}

    def run(self) -> tuple[list[Any], list[Section]]:
        for item in self.items:
            if isinstance(item, Heading):
                self.open(item)
            elif self.stack:
                self.stack[-1].blocks.append(item)
            else:
                self.lead.append(item)
        while self.stack:
            self.close()
        self.check_figure_and_table_ids()
        return self.lead, self.top

    def open(self, heading: Heading) -> None:
        if heading.level == 1:
            self.report(heading.line, "a level-1 heading (#) is not allowed; the title comes from the front matter, sections start with ##")
            return
        parent_level = self.stack[-1].level if self.stack else 1
        if heading.level > parent_level + 1:
            self.report(
                heading.line,
                f"the heading jumps from level {parent_level} to level {heading.level}; use {'#' * (parent_level + 1)}",
            )
            heading.level = parent_level + 1
        while self.stack and self.stack[-1].level >= heading.level:
            self.close()
        self.stack.append(_OpenSection(heading))

    def close(self) -> None:
        open_section = self.stack.pop()
        heading = open_section.heading
        if heading.id and heading.id in self.used_ids:
            self.report(heading.line, f"the section id {heading.id!r} is already used on line {self.used_ids[heading.id]}")
            return
        section_id = heading.id or self.generated_id(heading)
        self.used_ids[section_id] = heading.line
        try:
            section = Section(id=section_id, title=heading.title, aspect=heading.aspect,
                              blocks=open_section.blocks, sections=open_section.subsections)
        except ValidationError as error:
            for item in error.errors(include_url=False):
                where = ".".join(str(p) for p in item["loc"] if isinstance(p, str))
                self.report(heading.line, f"section {where}: {item['msg'].removeprefix('Value error, ')}")
            return
        (self.stack[-1].subsections if self.stack else self.top).append(section)

    def generated_id(self, heading: Heading) -> str:
        """An id from the heading's text, numbered when it is taken."""
        base = slugify(inline_text(heading.title)) or "section"
        n = self.next_number.get(base, 2)
        section_id = base if n == 2 else f"{base}-{n - 1}"
        while section_id in self.used_ids or section_id in self.explicit:
            section_id, n = f"{base}-{n}", n + 1
        self.next_number[base] = n
        return section_id

    def check_figure_and_table_ids(self) -> None:
        # Ids of figures and tables share the namespace of section ids.
        for node in walk([self.lead, self.top]):
            node_id = getattr(node, "id", None) if getattr(node, "type", None) in ("figure", "table") else None
            if node_id and node_id in self.used_ids:
                self.report(None, f"the id {node_id!r} is used by a section and a {node.type}")  # type: ignore[attr-defined]
            elif node_id:
                self.used_ids[node_id] = 0
