"""The healthinfo content model (pydantic v2).

One module per concern: inline and block nodes, articles and sections, sources
(CSL), glossary, publishers, books, the corpus. No I/O and no output format lives
here. :func:`json_schema` gives the JSON Schema of the JSON form of a model.
"""

from __future__ import annotations

from typing import Any, Literal

from ._base import SCHEMA_VERSION
from ._tree import inline_text, plain_text, text_units, walk
from .article import Article, Audience, HealthAspect, NextUpdate, Section, Translation
from .audit import AuditSettings
from .blocks import (
    BLOCK_TYPES,
    Block,
    Figure,
    Image,
    Include,
    List,
    ListItem,
    Note,
    NoteKind,
    Paragraph,
    Quote,
    RegionalPassage,
    Table,
    TableCell,
    TableRow,
)
from .book import Book, Profile, Series
from .citation import Citation, CitationStyle, CslDate, Name
from .corpus import Corpus, CorpusSettings, ReusableBlock, TypographySettings
from .glossary import GlossaryEntry
from .inline import INLINE_TYPES, Cite, Emphasis, Inline, LineBreak, Link, Span, Strong, Term, Text
from .publisher import Certification, Person, Publisher

__all__ = [
    "BLOCK_TYPES",
    "INLINE_TYPES",
    "MODELS",
    "SCHEMA_VERSION",
    "Article",
    "Audience",
    "AuditSettings",
    "Block",
    "Book",
    "Certification",
    "Citation",
    "CitationStyle",
    "Cite",
    "Corpus",
    "CorpusSettings",
    "CslDate",
    "Emphasis",
    "Figure",
    "GlossaryEntry",
    "HealthAspect",
    "Image",
    "Include",
    "Inline",
    "LineBreak",
    "Link",
    "List",
    "ListItem",
    "Name",
    "NextUpdate",
    "Note",
    "NoteKind",
    "Paragraph",
    "Person",
    "Profile",
    "Publisher",
    "Quote",
    "RegionalPassage",
    "ReusableBlock",
    "Section",
    "Series",
    "Span",
    "Strong",
    "Table",
    "TableCell",
    "TableRow",
    "Term",
    "Text",
    "Translation",
    "TypographySettings",
    "inline_text",
    "json_schema",
    "plain_text",
    "text_units",
    "walk",
]

#: The top-level models whose JSON form partners exchange.
MODELS: dict[str, type[Article] | type[Book] | type[Corpus]] = {
    "article": Article,
    "book": Book,
    "corpus": Corpus,
}


def json_schema(model: Literal["article", "book", "corpus"] = "article") -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of the JSON form of ``model``."""
    try:
        cls = MODELS[model]
    except KeyError:
        raise ValueError(f"unknown model {model!r}; choose one of {', '.join(MODELS)}") from None
    schema = cls.model_json_schema(by_alias=True, mode="serialization")
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["$id"] = f"urn:healthinfo:schema:{SCHEMA_VERSION}:{model}"
    return schema
