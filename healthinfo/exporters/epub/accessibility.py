"""EPUB 3: the accessibility metadata of an e-book, derived from its content.

References: EPUB Accessibility 1.1 (https://www.w3.org/TR/epub-a11y-11/), section 2
(discovery metadata) and 4 (conformance), its techniques
(https://www.w3.org/TR/epub-a11y-tech-11/) and the schema.org accessibility
vocabulary (https://www.w3.org/2021/a11y-discov-vocab/latest/). DAISY Ace checks the
claims (tests/test_epub.py); docs/exporters/epub.md says how each is derived.
"""

from __future__ import annotations

from dataclasses import dataclass

from ...schema import Article, Book, Figure, walk
from .._i18n import words
from .publication import publication

__all__ = ["CONFORMS_TO", "Accessibility", "accessibility"]

#: The conformance the e-books claim (EPUB Accessibility 1.1, section 4.1); the
#: tests prove it with EPUBCheck and DAISY Ace.
CONFORMS_TO = "EPUB Accessibility 1.1 - WCAG 2.2 Level AA"


@dataclass(frozen=True)
class Accessibility:
    """The EPUB Accessibility 1.1 metadata of an e-book (section 2 of the spec; the
    values are those of the schema.org accessibility vocabulary)."""

    access_modes: tuple[str, ...]
    #: each a comma-separated set of access modes that is enough to read everything
    access_mode_sufficient: tuple[str, ...]
    features: tuple[str, ...]
    hazards: tuple[str, ...]
    summary: str
    conforms_to: str
    certified_by: str


def accessibility(document: Article | Book) -> Accessibility:
    """What the e-book of ``document`` can claim, from what it contains: ``visual``
    and ``alternativeText`` only when it has figures (and all of them have alt text);
    ``textual`` alone suffices when every figure has alt text. The cover image is not
    content (EPUB Accessibility Techniques 1.1, section 2.1) and claims nothing."""
    facts = publication(document)
    figures = [node for node in walk(facts.articles) if isinstance(node, Figure)]
    with_alt = all(f.alt.strip() for f in figures)
    modes = ("textual", "visual") if figures else ("textual",)
    if not figures:
        sufficient: tuple[str, ...] = ("textual",)
    elif with_alt:
        sufficient = ("textual", "textual,visual")
    else:
        sufficient = ("textual,visual",)
    features = ["structuralNavigation", "tableOfContents", "readingOrder"]
    if figures and with_alt:
        features.append("alternativeText")
    w = words(facts.lang)
    extras = ""
    if any(a.glossary for a in facts.articles):
        extras += w["a11y_glossary"]
    if any(a.references for a in facts.articles):
        extras += w["a11y_sources"]
    images = ""
    if figures and with_alt:
        images = w["a11y_image"] if len(figures) == 1 else w["a11y_images"].format(n=len(figures))
    elif figures:
        images = w["a11y_images_no_alt"].format(n=len(figures))
    summary = w["a11y_summary"].format(conformance=CONFORMS_TO, extras=extras, images=images)
    return Accessibility(
        access_modes=modes,
        access_mode_sufficient=sufficient,
        features=tuple(features),
        hazards=("none",),
        summary=summary,
        conforms_to=CONFORMS_TO,
        certified_by=facts.publisher.name,
    )
