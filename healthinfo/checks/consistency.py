"""The cross-format consistency check: every format of an article must show the same
sections (ids, titles, nesting) in the same order, the same figures with their alt
text, and the same number of sources, glossary entries and list items.

No publishing tool checks this; healthinfo reads each of its outputs back with that
format's own outline reader (the ``read_outline`` of its registered exporter: lxml for
HTML and JATS, the zip and its WordprocessingML for DOCX, the XHTML inside an EPUB)
into an :class:`Outline`, and compares them with each other and with the model. A
format added to the registry is checked with no change here.

    healthinfo check-outputs build/
"""

from __future__ import annotations

import zipfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from lxml import etree

from ..exporters._base import ExportError
from ..schema import Article, Figure, ListItem, Section, inline_text, walk
from .outline import MAX_BYTES, Outline, collapse

__all__ = ["CheckReport", "Inconsistency", "Outline", "check_outputs", "compare", "expected_outline", "read_outline"]


@dataclass(frozen=True)
class Inconsistency:
    article: str
    format: str
    what: str
    expected: object
    found: object

    def __str__(self) -> str:
        if self.what == "file":
            return f"{self.article} ({self.format}): the file cannot be read: {self.found}"
        return f"{self.article} ({self.format}): {self.what} differ: expected {self.expected!r}, found {self.found!r}"


def expected_outline(article: Article) -> Outline:
    """The outline the model says every format must show."""
    sections: list[tuple[int, str]] = []
    ids: list[str] = []

    def visit(items: Iterable[Section], depth: int) -> None:
        for section in items:
            sections.append((depth, collapse(inline_text(section.title))))
            ids.append(section.id)
            visit(section.sections, depth + 1)

    visit(article.sections, 1)
    everything = [article.blocks, article.sections, article.back]
    return Outline(
        sections=tuple(sections),
        section_ids=tuple(ids),
        figures=tuple(collapse(n.alt) for n in walk(everything) if isinstance(n, Figure)),
        references=len(article.references),
        glossary=len(article.glossary),
        list_items=sum(1 for n in walk(everything) if isinstance(n, ListItem)),
    )


def read_outline(format_name: str, data: bytes) -> Outline:
    """The outline of an exported article, read by its format's outline reader."""
    from ..exporters import get

    try:
        exporter = get(format_name)
    except ExportError:
        raise ValueError(f"no outline reader for the format {format_name!r}") from None
    return exporter.read_outline(data)


def compare(article_id: str, format_name: str, expected: Outline, found: Outline) -> list[Inconsistency]:
    problems: list[Inconsistency] = []
    for what in ("sections", "figures", "references", "glossary", "list_items"):
        if getattr(expected, what) != getattr(found, what):
            problems.append(Inconsistency(article_id, format_name, what.replace("_", " "), getattr(expected, what), getattr(found, what)))
    if found.section_ids is not None and expected.section_ids is not None and found.section_ids != expected.section_ids:
        problems.append(Inconsistency(article_id, format_name, "section ids", expected.section_ids, found.section_ids))
    return problems


@dataclass
class CheckReport:
    checked: list[tuple[str, str]] = field(default_factory=list)  # (article id, format)
    problems: list[Inconsistency] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def check_outputs(out: str | Path, corpus: object | None = None) -> CheckReport:
    """Compare the outputs of every article in a build folder (``OUT/<format>/<id>.*``).

    With a loaded ``corpus`` (a :class:`~healthinfo.Corpus`), each format is compared
    with the model; without it, each format is compared with the first format that
    has the article (and the model's ids where a format keeps them)."""
    from ..exporters import REGISTRY, get

    root = Path(out)
    report = CheckReport()
    found: dict[str, dict[str, Outline]] = {}
    for format_name in REGISTRY:
        folder = root / format_name
        if not folder.is_dir():
            continue
        extension = get(format_name).extension
        for path in sorted(folder.glob(f"*{extension}")):
            if path.stat().st_size > MAX_BYTES:
                continue
            article_id = path.name[: -len(extension)]
            try:
                outline = read_outline(format_name, path.read_bytes())
            except (etree.XMLSyntaxError, zipfile.BadZipFile, KeyError, ValueError, StopIteration) as error:
                # A damaged output is a finding, not a crash of the check.
                report.checked.append((article_id, format_name))
                report.problems.append(Inconsistency(article_id, format_name, "file", "a readable file", str(error)))
                continue
            found.setdefault(article_id, {})[format_name] = outline
    articles = getattr(corpus, "articles", None)
    for article_id, outlines in sorted(found.items()):
        if articles is not None and article_id in articles:
            reference = expected_outline(articles[article_id])
        else:
            reference = next(iter(outlines.values()))
        for format_name, outline in outlines.items():
            report.checked.append((article_id, format_name))
            report.problems += compare(article_id, format_name, reference, outline)
    return report


