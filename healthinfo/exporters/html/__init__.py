"""HTML5: an article or a book as one standalone, accessible web page with print CSS.

References: the HTML Living Standard, WCAG 2.2, HTML-AAM, CSS Paged Media and
schema.org's MedicalWebPage (the writer's module docstring has the links);
docs/exporters/html.md describes the page. The corpus as a static site is the
``site`` target (:mod:`healthinfo.exporters.site`), made with this writer.
"""

from __future__ import annotations

from .._base import Exporter
from .outline import read_outline, read_text
from .writer import _FORBIDDEN as _FORBIDDEN
from .writer import (
    STYLESHEET,
    TEMPLATE_DIR,
    TEMPLATE_NAMES,
    Options,
    article_jsonld,
    book_jsonld,
    citation_jsonld,
    direction,
    href,
    labels,
    render,
    render_site,
    site_article,
    site_pages,
    site_summary,
    topic_anchor,
)

__all__ = [
    "EXPORTER",
    "STYLESHEET",
    "TEMPLATE_DIR",
    "TEMPLATE_NAMES",
    "Options",
    "article_jsonld",
    "book_jsonld",
    "citation_jsonld",
    "direction",
    "href",
    "labels",
    "render",
    "render_site",
    "site_article",
    "site_pages",
    "site_summary",
    "topic_anchor",
]

#: A book is one page: its articles one after the other, with a table of contents.
EXPORTER: Exporter[Options] = Exporter(
    name="html",
    extension=".html",
    media_type="text/html",
    accepts_books=True,
    options=Options,
    render=render,
    read_outline=read_outline,
    read_text=read_text,
    summary="HTML5 page with print CSS (A4, A5); checked by the Nu Html Checker and axe-core",
)
