"""healthinfo: publish evidence-based patient health information.

Editors write articles once, as Markdown with YAML front matter, in a corpus folder;
healthinfo checks them against a strict content model and exports them.

    import healthinfo
    corpus = healthinfo.load_corpus("corpus/")
    article = corpus.articles["metastatic-breast-cancer-treatment"]
"""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version

from ._errors import CorpusError, HealthinfoError, Problem
from .exporters import ExportError, export, formats, render
from .loader import load_corpus
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

try:
    __version__ = version("healthinfo")
except PackageNotFoundError:  # pragma: no cover - running from a source tree
    __version__ = "0.0.0"

__all__ = [
    "SCHEMA_VERSION",
    "Article",
    "Block",
    "Book",
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
    "export",
    "formats",
    "json_schema",
    "load_corpus",
    "render",
]
