"""The audit's findings and report, and their JSON form (docs/audit.schema.json)."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field
from enum import Enum
from typing import Any

__all__ = ["CODES", "JSON_VERSION", "AuditReport", "Finding", "Readability", "Severity", "summary_lines"]

#: Version of the JSON form; the major number changes when a reader of the older one would break.
JSON_VERSION = "1.0"


class Severity(str, Enum):
    """How much a finding matters: an error fails the audit (exit status 1)."""

    error = "error"
    warning = "warning"
    info = "info"


#: Every finding code, its severity, and what it is about (docs/governance.md explains each).
CODES: dict[str, tuple[Severity, str]] = {
    "review-overdue": (Severity.error, "the next planned update has passed"),
    "review-due-soon": (Severity.warning, "the next planned update is near"),
    "review-missing": (Severity.warning, "no next update is planned"),
    "update-too-old": (Severity.error, "the last update is older than the policy allows"),
    "source-too-old": (Severity.info, "a source is older than the policy's limit"),
    "readability-low": (Severity.warning, "the text is harder to read than the threshold"),
    "sentence-too-long": (Severity.warning, "a sentence has more words than the limit"),
    "word-too-long": (Severity.info, "a word has more letters than the limit"),
    "unmarked-term": (Severity.info, "a glossary word is used but never marked as a term"),
    "alt-missing": (Severity.error, "a figure has no real alternative text"),
    "sources-missing": (Severity.error, "an article lists no sources"),
    "note-region-missing": (Severity.warning, "a note names a country but has no region"),
    "glossary-unused": (Severity.info, "a glossary entry is used by no article"),
    "source-unused": (Severity.info, "a source is listed or cited by no article"),
    "translation-outdated": (Severity.warning, "the original was updated after its translation"),
    "translation-missing": (Severity.info, "an article has no translation into an expected language"),
    "block-translation-outdated": (Severity.warning, "the original block was updated after its translation"),
    "block-translation-missing": (Severity.info, "an article includes a block in another language"),
}


@dataclass(frozen=True)
class Finding:
    """One finding: a stable code, its severity, where it is and a plain sentence.
    ``article`` is None for findings about the corpus's shared files."""

    code: str
    article: str | None
    file: str
    line: int | None
    message: str

    @property
    def severity(self) -> Severity:
        return CODES[self.code][0]

    @property
    def where(self) -> str:
        return f"{self.file}:{self.line}" if self.line is not None else self.file

    def as_json(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "severity": self.severity.value,
            "article": self.article,
            "file": self.file,
            "line": self.line,
            "message": self.message,
        }


@dataclass(frozen=True)
class Readability:
    """The readability of an article (``section`` None) or of one of its sections.
    ``scores`` by formula: ``flesch_reading_ease`` (English), ``amstad`` and
    ``wiener_sachtextformel`` (German)."""

    article: str
    section: str | None
    lang: str
    words: int
    sentences: int
    scores: dict[str, float]

    def as_json(self) -> dict[str, Any]:
        return {
            "article": self.article,
            "section": self.section,
            "lang": self.lang,
            "words": self.words,
            "sentences": self.sentences,
            "scores": dict(self.scores),
        }


@dataclass(frozen=True)
class AuditReport:
    """What ``audit`` found, in file order per article, corpus-wide findings last."""

    as_of: dt.date
    findings: tuple[Finding, ...]
    readability: tuple[Readability, ...] = field(default=())

    @property
    def ok(self) -> bool:
        """True when no finding is at error level."""
        return not any(f.severity is Severity.error for f in self.findings)

    def counts(self) -> dict[str, int]:
        """The number of findings per severity, every severity present."""
        counted = Counter(f.severity.value for f in self.findings)
        return {s.value: counted.get(s.value, 0) for s in Severity}

    def of_code(self, code: str) -> list[Finding]:
        return [f for f in self.findings if f.code == code]

    def as_json(self) -> dict[str, Any]:
        return {
            "version": JSON_VERSION,
            "as_of": self.as_of.isoformat(),
            "ok": self.ok,
            "counts": self.counts(),
            "findings": [f.as_json() for f in self.findings],
            "readability": [r.as_json() for r in self.readability],
        }


def _score_text(measured: Readability) -> str:
    names = {"flesch_reading_ease": "Flesch Reading Ease", "amstad": "German Flesch (Amstad)",
             "wiener_sachtextformel": "Wiener Sachtextformel"}
    return ", ".join(f"{names.get(k, k)} {v:g}" for k, v in measured.scores.items())


def summary_lines(report: AuditReport) -> list[str]:
    """The summary under the findings: counts per severity, then each article's readability."""
    counts = report.counts()
    lines = [
        f"{len(report.findings)} finding{'s' if len(report.findings) != 1 else ''} as of {report.as_of.isoformat()}: "
        + ", ".join(f"{n} {s}{'s' if n != 1 and s != 'info' else ''}" for s, n in counts.items())
    ]
    lines.extend(
        f"readability of {m.article} ({m.lang}, {m.words} words): {_score_text(m)}"
        for m in report.readability if m.section is None
    )
    return lines
