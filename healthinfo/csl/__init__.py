"""References formatted by CSL: a style (healthinfo.yaml's ``citation_style``, else
nlm-citation-sequence), the locale of the article's language, and citeproc-js, the
reference CSL processor (docs/references.md).

:func:`format_references` is the one place where references are formatted; every
format shows its result (segments it styles and links itself).
"""

from __future__ import annotations

import functools
import json
from collections.abc import Sequence

from ..schema import Citation, CitationStyle
from .engine import CiteprocMissing, citeproc_script, render_bibliography
from .items import Segment, csl_item, segments_from_html
from .styles import DEFAULT_STYLE, StyleError, locale_id, named_style, style_from_file, style_names

__all__ = [
    "DEFAULT_STYLE",
    "CiteprocMissing",
    "Segment",
    "StyleError",
    "citeproc_script",
    "csl_item",
    "default_style",
    "format_references",
    "locale_id",
    "named_style",
    "style_from_file",
    "style_names",
]


def default_style() -> CitationStyle:
    """The style of a corpus that names none: nlm-citation-sequence."""
    return named_style(DEFAULT_STYLE)


def format_references(
    citations: Sequence[Citation], lang: str, style: CitationStyle | None = None
) -> tuple[tuple[Segment, ...], ...]:
    """The references ``citations``, in their order, formatted by ``style`` (default:
    nlm-citation-sequence) in the locale of ``lang``: one tuple of segments each."""
    chosen = style or default_style()
    items = tuple(json.dumps(csl_item(c), ensure_ascii=False, sort_keys=True) for c in citations)
    return _format(chosen.csl, locale_id(lang), items, tuple(citations))


@functools.lru_cache(maxsize=512)
def _format(
    style: str, locale: str, items: tuple[str, ...], citations: tuple[Citation, ...]
) -> tuple[tuple[Segment, ...], ...]:
    # Cached by the style, the locale and the items: a build formats an article's
    # references once for all its formats.
    if not items:
        return ()
    rendered = render_bibliography(style, locale, [json.loads(item) for item in items])
    out = []
    for number, citation in enumerate(citations, start=1):
        html = rendered.entries.get(citation.id)
        out.append(segments_from_html(html, locale, citation, number) if html is not None else ())
    return tuple(out)
