"""HTML5: an article or a book as one standalone, accessible web page with print CSS.

References: the HTML Living Standard, WCAG 2.2, HTML-AAM, CSS Paged Media and
schema.org's MedicalWebPage (each module's docstring has the links);
docs/exporters/html.md describes the page. The modules: :mod:`.text` (characters HTML
cannot carry, escaping, href and data: URIs), :mod:`.templates` (the Jinja2
environment and the stylesheet), :mod:`.writer` (:class:`HtmlWriter`, one
``visit_<node>`` per node type), :mod:`.jsonld` (schema.org), :mod:`.pages` (the page
frame, the article and book pages, :func:`render`), :mod:`.options` and
:mod:`.outline` (the reader of the output).

The corpus as a static site is the ``site`` target (:mod:`healthinfo.exporters.site`),
made with this package; its functions are also reachable from here (``render_site``,
``topic_anchor`` …), imported on first use since the site package imports this one.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from .._base import Exporter
from .._i18n import direction
from .jsonld import article_jsonld, book_jsonld, citation_jsonld
from .options import Options
from .outline import read_readings, read_text
from .pages import clear_last_view, render
from .templates import STYLESHEET, TEMPLATE_DIR, TEMPLATE_NAMES
from .text import FORBIDDEN, href
from .writer import HtmlWriter, labels

if TYPE_CHECKING:
    from ..site.pages import render_site, site_article, site_pages, site_summary, topic_anchor

__all__ = [
    "EXPORTER",
    "STYLESHEET",
    "TEMPLATE_DIR",
    "TEMPLATE_NAMES",
    "HtmlWriter",
    "Options",
    "article_jsonld",
    "book_jsonld",
    "citation_jsonld",
    "clear_last_view",
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

#: The old name of :data:`.text.FORBIDDEN`, kept for the callers that used it.
_FORBIDDEN = FORBIDDEN

#: What this package re-exports from healthinfo.exporters.site.pages, on first use.
_SITE_NAMES = frozenset({"render_site", "site_article", "site_pages", "site_summary", "topic_anchor"})


def __getattr__(name: str) -> Any:
    # PEP 562: the site package imports this one, so its names are imported lazily.
    if name in _SITE_NAMES:
        return getattr(importlib.import_module("healthinfo.exporters.site.pages"), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


#: A book is one page: its articles one after the other, with a table of contents.
EXPORTER: Exporter[Options] = Exporter(
    name="html",
    extension=".html",
    media_type="text/html",
    accepts_books=True,
    options=Options,
    render=render,
    read_readings=read_readings,
    read_text=read_text,
    summary="HTML5 page with print CSS (A4, A5); checked by the Nu Html Checker and axe-core",
)
