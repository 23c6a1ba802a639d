"""HTML5: the options of the HTML exporter (and of the site, which is made with it).

The paper sizes are those of the print stylesheet (CSS Paged Media, ``@page``,
https://www.w3.org/TR/css-page-3/); docs/exporters/html.md describes both fields.
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import Field

from .._base import ExportOptions

__all__ = ["Options", "PageSize"]

PageSize = Literal["A4", "A5"]


class Options(ExportOptions):
    """Options of the HTML exporter."""

    page_size: PageSize | None = Field(
        default=None,
        description=(
            "Paper size of the print stylesheet (@page): 'A4' or 'A5'. Default: A5 for a "
            "book with the brochure profile, A4 for everything else."
        ),
    )
    template_dir: Path | None = Field(
        default=None,
        description=(
            "A folder of Jinja2 templates that take precedence over the built-in ones "
            "(page.j2, article.j2, book.j2, parts.j2, nodes.j2, site-index.j2, "
            "glossary-page.j2, not-found.j2, search-page.j2, preview-problems.j2); a nodes.j2 there may define only the macros it changes. "
            "The built-in templates stay reachable as 'default/<name>'."
        ),
    )
