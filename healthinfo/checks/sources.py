"""The model's side of the structured sources a format holds beside their formatted
text (JATS's element-citation): what :attr:`Reading.sources` must be.

The expectation is the citation as element-citation can hold it, so it is made with
the JATS writer's element-citation and the importer's reader: what the check then finds
is an output that differs from what was written (an edit, a damaged file). That the
writer and the importer keep every field they have a place for is the JATS round-trip
tests' guarantee (tests/test_jats.py), not this check's.

Apart from :mod:`healthinfo.checks.reading`, which every format's reader imports: this
module writes and reads JATS, and no other format's output depends on it (the build's
fingerprint of a format covers what its package imports).
"""

from __future__ import annotations

from dataclasses import replace

from lxml import etree

from ..exporters.jats.references import element_citation
from ..exporters.jats.vocab import encode_key
from ..importers.jats.references import read_ref
from ..schema import Article, Citation
from .reading import CARRIES_SOURCES, Reading

__all__ = ["source_fields", "with_sources"]


def source_fields(citation: Citation) -> str:
    """The fields of a source as a format with structured sources holds them: the
    citation written as JATS's element-citation and read back by the JATS importer
    (what element-citation has no place for left out, as in the JATS itself), as
    JSON."""
    ref = etree.Element("ref", id=encode_key(citation.id))
    element_citation(ref, citation)
    return read_ref(ref).model_dump_json(by_alias=True, exclude_defaults=True)


def with_sources(reading: Reading, article: Article) -> Reading:
    """``reading`` (the model's, :func:`~healthinfo.checks.reading.expected_reading`)
    with the structured fields of ``article``'s sources: what a format carrying
    "sources" must show."""
    return replace(reading, sources=tuple(source_fields(c) for c in article.references),
                   carries=reading.carries | CARRIES_SOURCES)
