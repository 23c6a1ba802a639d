"""An article's references as every format shows them: formatted once by CSL
(healthinfo.csl: the article's style, the locale of its language, citeproc-js) into
*segments* — text with the style's marks (italic, bold, small caps …) and, for DOI,
PubMed, PubMed Central and web addresses, a link — that each format sets in its own way.
"""

from __future__ import annotations

from ..csl import DEFAULT_STYLE, Segment, StyleError, format_references
from ..schema import Article
from ._base import ExportError, warn

__all__ = ["Segment", "article_references", "reference_text", "segments_text"]


def article_references(article: Article) -> tuple[tuple[Segment, ...], ...]:
    """The references of ``article``, in its order (the numbers of its citations), each
    as the segments of its formatted entry. A style citeproc-js cannot use is an
    ExportError; an entry the style formats as nothing keeps its title, with the
    warning ``references:empty-entry``."""
    try:
        entries = format_references(article.references, article.lang, article.citation_style)
    except StyleError as error:
        raise ExportError(f"the references of {article.id!r} cannot be formatted: {error}") from None
    out = []
    for citation, entry in zip(article.references, entries, strict=True):
        if not entry:
            fallback = citation.title or citation.container_title or citation.id
            warn("references:empty-entry", f"the style {style_name(article)!r} formats the source {citation.id!r} "
                 f"as nothing; its title is shown instead")
            entry = (Segment(fallback),)
        out.append(entry)
    return tuple(out)


def style_name(article: Article) -> str:
    """The name of the article's CSL style."""
    return article.citation_style.name if article.citation_style else DEFAULT_STYLE


def segments_text(segments: tuple[Segment, ...]) -> str:
    """A formatted reference as plain text."""
    return "".join(segment.text for segment in segments).strip()


def reference_text(article: Article) -> tuple[str, ...]:
    """The references of ``article`` as plain text, in its order."""
    return tuple(segments_text(entry) for entry in article_references(article))
