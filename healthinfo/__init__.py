"""healthinfo: publish evidence-based patient health information.

Editors write articles once, as Markdown with YAML front matter, in a corpus folder;
healthinfo checks them against a strict content model and exports them.

    import healthinfo
    corpus = healthinfo.load_corpus("corpus/")
    article = corpus.articles["metastatic-breast-cancer-treatment"]
"""

from __future__ import annotations

from ._errors import CorpusError, HealthinfoError, Problem
from ._version import __version__
from .exporters import ExportError, export, formats, render
from .loader import load_corpus
from .build import BuildReport, build
from .schema import (
    SCHEMA_VERSION,
    Article,
    Block,
    Book,
    Citation,
    Corpus,
    GlossaryEntry,
    Inline,
    Publisher,
    ReusableBlock,
    Section,
    json_schema,
)


__all__ = [
    "SCHEMA_VERSION",
    "Article",
    "Block",
    "Book",
    "BuildReport",
    "Citation",
    "Corpus",
    "CorpusError",
    "ExportError",
    "GlossaryEntry",
    "HealthinfoError",
    "Inline",
    "Problem",
    "Publisher",
    "ReusableBlock",
    "Section",
    "__version__",
    "build",
    "export",
    "formats",
    "json_schema",
    "load_corpus",
    "render",
]
