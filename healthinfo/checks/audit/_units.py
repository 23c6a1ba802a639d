"""An article as the audit reads it: its headings, paragraphs, figures and notes in
document order, each with the corpus file it was written in, its line there and the
sections it is in; paragraphs cut into sentences."""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from pydantic import BaseModel

from ...schema import (
    Article,
    Figure,
    Include,
    List,
    Note,
    Paragraph,
    Quote,
    RegionalPassage,
    Section,
    Span,
    Table,
    inline_text,
    walk,
)
from ._source import SourceFiles

__all__ = ["Unit", "article_file", "block_file", "sentences_of", "units"]

# A sentence ends at . ! ? (or …) followed by a space and what can open a sentence: a
# capital, a digit, an opening quote or bracket. "e.g. the" and "Fig. 2" are no ends.
_SENTENCE_END = re.compile(r"(?<=[.!?…])[\"”’»«)]?\s+(?=[\"“„‘»«(\[]?[A-ZÄÖÜÀ-ÞΑ-ΩА-Я0-9])")


def article_file(article_id: str) -> str:
    return f"articles/{article_id}.md"


def block_file(block_id: str) -> str:
    return f"blocks/{block_id}.md"


def sentences_of(text: str) -> list[str]:
    """The sentences of a paragraph's text."""
    return [s.strip() for s in _SENTENCE_END.split(" ".join(text.split())) if s.strip()]


@dataclass(frozen=True)
class Unit:
    """A heading (``node`` a Section), paragraph, figure or note of an article.
    ``sections``: the ids of the sections it is in, outermost first; ``back``: in the
    back matter (shared text after the references); ``sentences``: a paragraph's
    sentences with their lines."""

    node: BaseModel
    file: str
    line: int | None
    sections: tuple[str, ...]
    back: bool
    text: str = ""
    sentences: tuple[tuple[str, int | None], ...] = ()
    #: Words of passages in another language (``{lang:de}`…``), in lower case, with their language.
    foreign: tuple[tuple[str, str], ...] = ()
    #: The countries of the regional passage it is in (empty outside one).
    regions: tuple[str, ...] = ()


class _Walker:
    def __init__(self, sources: SourceFiles) -> None:
        self.sources = sources
        #: The countries of the regional passage being walked.
        self.regions: tuple[str, ...] = ()

    def blocks(self, blocks: Sequence[BaseModel], file: str, sections: tuple[str, ...], back: bool) -> Iterator[Unit]:
        for block in blocks:
            yield from self.block(block, file, sections, back)

    def block(self, block: BaseModel, file: str, sections: tuple[str, ...], back: bool) -> Iterator[Unit]:
        source = self.sources.get(file)
        if isinstance(block, Paragraph):
            text = inline_text(block.children)
            line = source.line_of_text(text)
            sentences = tuple((s, source.line_of_text(s) or line) for s in sentences_of(text))
            foreign = tuple((w.lower(), span.lang) for span in walk(block.children) if isinstance(span, Span)
                            for w in inline_text(span.children).split())
            yield Unit(block, file, line, sections, back, text, sentences, foreign, self.regions)
        elif isinstance(block, Figure):
            yield Unit(block, file, source.line_of_text(block.alt) or source.line_of_text(block.image.path), sections, back,
                       regions=self.regions)
        elif isinstance(block, Note):
            first = next((inline_text(b.children) for b in block.blocks if isinstance(b, Paragraph)), "")
            at = source.cursor
            yield Unit(block, file, source.line_of_text(first), sections, back, first, regions=self.regions)
            source.cursor = at  # the note's paragraphs are read next, from the same place
            yield from self.blocks(block.blocks, file, sections, back)
        elif isinstance(block, List):
            for item in block.items:
                yield from self.blocks(item.blocks, file, sections, back)
        elif isinstance(block, Quote):
            yield from self.blocks(block.blocks, file, sections, back)
        elif isinstance(block, Include):
            yield from self.blocks(block.blocks, block_file(block.ref), sections, back)
        elif isinstance(block, RegionalPassage):
            outer, self.regions = self.regions, block.regions
            yield from self.blocks(block.blocks, file, sections, back)
            self.regions = outer
        elif not isinstance(block, Table):  # a table's cells are not prose (no sentences, no readability)
            raise TypeError(f"the audit has no reading of a {type(block).__name__} block")

    def section(self, section: Section, file: str, outer: tuple[str, ...]) -> Iterator[Unit]:
        sections = (*outer, section.id)
        title = inline_text(section.title)
        yield Unit(section, file, self.sources.get(file).line_of_text(title), sections, False, title)
        yield from self.blocks(section.blocks, file, sections, False)
        for child in section.sections:
            yield from self.section(child, file, sections)


def units(article: Article, sources: SourceFiles) -> list[Unit]:
    """The article's units in document order: lead, sections, back matter."""
    sources.rewind()
    walker, file = _Walker(sources), article_file(article.id)
    found = list(walker.blocks(article.blocks, file, (), False))
    for section in article.sections:
        found.extend(walker.section(section, file, ()))
    found.extend(walker.blocks(article.back, file, (), True))
    return found
