"""An article's references and in-text citations as every format shows them: formatted
once by CSL (healthinfo.csl: the article's style, the locale of its language,
citeproc-js) into *segments* — text with the style's marks (italic, bold, small caps …)
and, for DOI, PubMed, PubMed Central and web addresses, a link — and citations into
*pieces*, each piece that stands for a source naming it, that each format sets and
links in its own way.
"""

from __future__ import annotations

from ..csl import DEFAULT_STYLE, Segment, StyleError, format_references
from ..csl.citations import CitationPiece, format_citations
from ..schema import Article, Cite
from ._base import ExportError, warn

__all__ = ["CitationPiece", "Citations", "Segment", "article_references", "reference_text", "segments_text"]


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


class Citations:
    """The in-text citations of one article as its style writes them, formatted
    together in text order (disambiguation and numbers need all of them): the pieces of
    each ``{cite}`` (:meth:`of`). A source's number is its place in the article's list.
    A style citeproc-js cannot use is an ExportError."""

    def __init__(self, article: Article) -> None:
        self.article = article
        cites = article.cites()
        try:
            formatted = format_citations(article.references, [c.refs for c in cites], article.lang,
                                         article.citation_style)
        except StyleError as error:
            raise ExportError(f"the citations of {article.id!r} cannot be formatted: {error}") from None
        # By the node itself, as the writers meet it; by its sources, for a copy.
        self._by_node = {id(cite): pieces for cite, pieces in zip(cites, formatted, strict=True)}
        self._by_refs: dict[tuple[str, ...], tuple[CitationPiece, ...]] = {}
        for cite, pieces in zip(cites, formatted, strict=True):
            self._by_refs.setdefault(cite.refs, pieces)
        self._keep = cites  # the nodes stay alive, so that their ids stay theirs

    def of(self, cite: Cite) -> tuple[CitationPiece, ...]:
        """The pieces of the citation ``cite``: its text, each source's piece naming it."""
        found = self._by_node.get(id(cite)) or self._by_refs.get(cite.refs)
        if found is None:  # not one of the article's own citations: formatted alone
            found = format_citations(self.article.references, [cite.refs], self.article.lang,
                                     self.article.citation_style)[0]
        return found
