"""``healthinfo audit``: review governance and plain language over a corpus.

One call, :func:`audit`, gives an :class:`AuditReport`: findings (a stable code, a
severity, the article, the file and line, a plain sentence) and the readability of
every article and section. The criteria and every threshold are explained for
editors in docs/governance.md; the JSON form is docs/audit.schema.json.
"""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path
from typing import Any

from ...schema import AuditSettings, Corpus
from ._language import language_findings, readability, scores
from ._report import CODES, JSON_VERSION, AuditReport, Finding, Readability, Severity, summary_lines
from ._review import due_date, review_findings
from ._source import SourceFiles
from ._structure import corpus_findings, structure_findings
from ._translation import translation_findings
from ._units import article_file, units

__all__ = [
    "CODES",
    "JSON_VERSION",
    "AuditReport",
    "Finding",
    "Readability",
    "Severity",
    "audit",
    "due_date",
    "scores",
    "summary_lines",
]


def _settings(corpus: Corpus, settings: AuditSettings | dict[str, Any] | None) -> AuditSettings:
    """The corpus's ``audit:`` settings, with the keys of ``settings`` overriding them."""
    if settings is None:
        return corpus.settings.audit
    if isinstance(settings, AuditSettings):
        return settings
    return AuditSettings.model_validate({**corpus.settings.audit.model_dump(), **settings})


def audit(
    corpus: Corpus | str | os.PathLike[str],
    *,
    as_of: dt.date | None = None,
    settings: AuditSettings | dict[str, Any] | None = None,
    root: str | os.PathLike[str] | None = None,
) -> AuditReport:
    """Audit a corpus: a loaded :class:`~healthinfo.Corpus`, or the path of a corpus
    folder (loaded here; :class:`~healthinfo.CorpusError` when it has problems).

    ``as_of``: the day the review status is judged on (default: today).
    ``settings``: thresholds — an AuditSettings, or a dict of the keys to change from
    the corpus's ``audit:`` settings. ``root``: the corpus folder of a loaded corpus,
    read again to give findings their lines (without it, findings name the file only;
    a path given as ``corpus`` is its own root)."""
    if not isinstance(corpus, Corpus):
        from ...loader import load_corpus

        root = corpus
        corpus = load_corpus(corpus)
    chosen = _settings(corpus, settings)
    day = as_of or dt.date.today()
    sources = SourceFiles(Path(root) if root is not None else None)
    findings: list[Finding] = []
    measured: list[Readability] = []
    for article in corpus.articles.values():
        read = units(article, sources)
        article_readability = readability(article, read)
        measured.extend(article_readability)
        source = sources.get(article_file(article.id))
        findings.extend(review_findings(article, source, day, chosen))
        findings.extend(language_findings(article, read, article_readability, dict(corpus.glossary), chosen))
        findings.extend(structure_findings(article, read, source))
    findings.extend(corpus_findings(corpus, sources))
    findings.extend(translation_findings(corpus, sources, chosen))
    return AuditReport(as_of=day, findings=tuple(findings), readability=tuple(measured))
