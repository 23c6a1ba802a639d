"""healthinfo: publish evidence-based patient health information.

Editors write articles once, as Markdown with YAML front matter, in a corpus folder;
healthinfo checks them against a strict content model and exports them.

    import healthinfo
    corpus = healthinfo.load_corpus("corpus/")
    article = corpus.articles["metastatic-breast-cancer-treatment"]
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ._errors import CorpusError, CorpusWarning, HealthinfoError, Problem
from ._version import __version__

if TYPE_CHECKING:  # the names below are imported on first use (PEP 562)
    from ._build import BuildReport, OptionError, build
    from .checks.audit import AuditReport, audit
    from .checks.consistency import check_outputs
    from .editions import EditionWarning, edition
    from .exporters import ExportError, ExportWarning, export, formats, render
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
        Translation,
        json_schema,
    )

# Where each public name lives. ``import healthinfo`` stays light: the content model,
# the Markdown parser and the exporters load when first used.
_LAZY = {
    "BuildReport": "_build",
    "OptionError": "_build",
    "build": "_build",
    "AuditReport": "checks.audit",
    "audit": "checks.audit",
    "check_outputs": "checks.consistency",
    "EditionWarning": "editions",
    "edition": "editions",
    "ExportError": "exporters",
    "ExportWarning": "exporters",
    "export": "exporters",
    "formats": "exporters",
    "render": "exporters",
    "load_corpus": "loader",
    **{
        name: "schema"
        for name in (
            "SCHEMA_VERSION", "Article", "Block", "Book", "Citation", "Corpus", "GlossaryEntry",
            "Inline", "Publisher", "ReusableBlock", "Section", "Translation", "json_schema",
        )
    },
}


def __getattr__(name: str) -> Any:
    module_name = _LAZY.get(name)
    if module_name is None:
        raise AttributeError(f"module 'healthinfo' has no attribute {name!r}")
    import importlib

    value = getattr(importlib.import_module(f".{module_name}", __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(__all__)


__all__ = [
    "SCHEMA_VERSION",
    "Article",
    "AuditReport",
    "Block",
    "Book",
    "BuildReport",
    "Citation",
    "Corpus",
    "CorpusError",
    "CorpusWarning",
    "EditionWarning",
    "ExportError",
    "ExportWarning",
    "GlossaryEntry",
    "HealthinfoError",
    "Inline",
    "OptionError",
    "Problem",
    "Publisher",
    "ReusableBlock",
    "Section",
    "Translation",
    "__version__",
    "audit",
    "build",
    "check_outputs",
    "edition",
    "export",
    "formats",
    "json_schema",
    "load_corpus",
    "render",
]
