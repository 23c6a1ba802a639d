"""EPUB 3: the accessibility metadata of an e-book, derived from its content.

References: EPUB Accessibility 1.1 (https://www.w3.org/TR/epub-a11y-11/), section 2
(discovery metadata) and 4 (conformance), its techniques
(https://www.w3.org/TR/epub-a11y-tech-11/) and the schema.org accessibility
vocabulary (https://www.w3.org/2021/a11y-discov-vocab/latest/). DAISY Ace checks the
claims (tests/test_epub.py); docs/exporters/epub.md says how each is derived.
"""

from __future__ import annotations

from dataclasses import dataclass

from ...schema import Article, Book, Certification, Cite, Figure, Section, Term, walk
from .._i18n import words
from .publication import Publication, publication

__all__ = ["CONFORMS_TO", "Accessibility", "accessibility", "facts_accessibility"]

#: The conformance the e-books claim (EPUB Accessibility 1.1, section 4.1); the
#: tests prove it with EPUBCheck and DAISY Ace.
CONFORMS_TO = "EPUB Accessibility 1.1 - WCAG 2.2 Level AA"


@dataclass(frozen=True)
class Accessibility:
    """The EPUB Accessibility 1.1 metadata of an e-book (section 2 of the spec; the
    values are those of the schema.org accessibility vocabulary). The ONIX record of
    the same e-book states the same (healthinfo.exporters.onix)."""

    access_modes: tuple[str, ...]
    #: each a comma-separated set of access modes that is enough to read everything
    access_mode_sufficient: tuple[str, ...]
    features: tuple[str, ...]
    hazards: tuple[str, ...]
    summary: str
    conforms_to: str
    #: the independent certifier, from the publisher's settings (None: the
    #: conformance is the publisher's own statement)
    certification: Certification | None = None


def _features(facts: Publication) -> tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...], str]:
    """The access modes, the sufficient sets and the features the content has, and
    the sentences of the summary that say so (in the e-book's language)."""
    nodes = list(walk(list(facts.articles)))
    figures = [n for n in nodes if isinstance(n, Figure)]
    with_alt = all(f.alt.strip() for f in figures)
    w = words(facts.lang)
    features = ["tableOfContents", "readingOrder"]
    sentences = []
    if any(isinstance(n, Section) for n in nodes):
        features.insert(0, "structuralNavigation")
        sentences.append(w["a11y_headings"])
    if any(isinstance(n, Term) for n in nodes):
        sentences.append(w["a11y_glossary"])
    if any(isinstance(n, Cite) for n in nodes):
        sentences.append(w["a11y_sources"])
    elif any(a.references for a in facts.articles):
        sentences.append(w["a11y_sources_list"])
    if figures and with_alt:
        features.append("alternativeText")
        sentences.append(w["a11y_image"] if len(figures) == 1 else w["a11y_images"].format(n=len(figures)))
    elif figures:
        sentences.append(w["a11y_images_no_alt"].format(n=len(figures)))
    # Reflowable text in relative units, no image of text, no fixed sizes: a reader
    # may change fonts, sizes, spacing and colours (the stylesheet, epub.css).
    features.append("displayTransformability")
    modes: tuple[str, ...] = ("textual", "visual") if figures else ("textual",)
    if not figures:
        sufficient: tuple[str, ...] = ("textual",)
    elif with_alt:
        sufficient = ("textual", "textual,visual")
    else:
        sufficient = ("textual,visual",)
    return modes, sufficient, tuple(features), "".join(sentences)


def facts_accessibility(facts: Publication) -> Accessibility:
    """The accessibility claims of the e-book of ``facts``; see :func:`accessibility`."""
    modes, sufficient, features, sentences = _features(facts)
    w = words(facts.lang)
    certification = facts.publisher.accessibility_certification
    claim = (
        w["a11y_certified"].format(certifier=certification.certified_by) if certification else w["a11y_self"]
    )
    return Accessibility(
        access_modes=modes,
        access_mode_sufficient=sufficient,
        features=features,
        hazards=("none",),
        summary=w["a11y_summary"].format(conformance=CONFORMS_TO, claim=claim, extras=sentences),
        conforms_to=CONFORMS_TO,
        certification=certification,
    )


def accessibility(document: Article | Book) -> Accessibility:
    """What the e-book of ``document`` can claim, from what it contains, each claim
    only when it is true:

    - ``structuralNavigation`` and the sentence on headings only with sections;
    - the glossary sentence only when terms link to it, the citation sentence only
      when citations link to the sources (else "sources are listed" when there are
      sources);
    - ``visual`` and ``alternativeText`` only with figures (all with alt text), and
      ``textual`` alone suffices only then;
    - ``a11y:certifiedBy`` only when the publisher's settings name a certifier;
      otherwise the summary says the conformance is the publisher's own statement.

    There is no page list, so no ``pageNavigation``. The cover image is not content
    (EPUB Accessibility Techniques 1.1, section 2.1) and claims nothing."""
    return facts_accessibility(publication(document))
