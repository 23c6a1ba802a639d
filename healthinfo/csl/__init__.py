"""References formatted by CSL: a style (healthinfo.yaml's ``citation_style``, else
nlm-citation-sequence), the locale of the article's language, and citeproc-js, the
reference CSL processor (docs/references.md).

:func:`format_references` is the one place where references are formatted; every
format shows its result (segments it styles and links itself).
"""

from __future__ import annotations

import functools
import hashlib
import json
from collections.abc import Sequence
from pathlib import Path

from lxml import etree

from .._kept import keep_file
from ..schema import Citation, CitationStyle
from .engine import CiteprocMissing, citeproc_script, render_bibliography
from .items import Segment, csl_item, segments_from_html
from .styles import CSL_NS, DEFAULT_STYLE, StyleError, locale_id, named_style, style_from_file, style_names

__all__ = [
    "DEFAULT_STYLE",
    "CiteprocMissing",
    "Segment",
    "StyleError",
    "bibliography_order",
    "citeproc_script",
    "csl_item",
    "default_style",
    "format_references",
    "formatted_folder",
    "keep_formatted_in",
    "locale_id",
    "named_style",
    "sorts_bibliography",
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
    # references once for all its formats; with a folder (keep_formatted_in), across
    # processes too, so that a rebuild whose references did not change starts no V8.
    if not items:
        return ()
    path = _cached_path(style, locale, citations)
    if path is not None:
        kept = _read_kept(path)
        if kept is not None and len(kept) == len(citations):
            return kept
    rendered = render_bibliography(style, locale, [json.loads(item) for item in items])
    out = []
    for number, citation in enumerate(citations, start=1):
        html = rendered.entries.get(citation.id)
        out.append(segments_from_html(html, locale, citation, number) if html is not None else ())
    if path is not None:
        _keep(path, out)
    return tuple(out)


# ------------------------------------------------------------ the style's order


@functools.lru_cache(maxsize=64)
def sorts_bibliography(csl: str) -> bool:
    """Whether the style ``csl`` (its XML) orders its bibliography itself (a ``<sort>``
    with any key but ascending citation-number: an author–date style such as APA sorts
    by author, date and title) rather than in the order the sources are given."""
    try:
        root = etree.fromstring(csl.encode("utf-8"))
    except etree.XMLSyntaxError:
        return False  # not a style: the loader has said so
    keys = root.findall(f"{{{CSL_NS}}}bibliography/{{{CSL_NS}}}sort/{{{CSL_NS}}}key")
    return any(key.get("variable") != "citation-number" or key.get("sort") == "descending" for key in keys)


def bibliography_order(
    citations: Sequence[Citation],
    lang: str,
    style: CitationStyle | None = None,
    clusters: Sequence[Sequence[str]] = (),
) -> tuple[Citation, ...]:
    """``citations`` in the order ``style`` lists them in the locale of ``lang``. A
    style that sorts its bibliography (:func:`sorts_bibliography`) has citeproc-js's
    order; any other lists the sources in the order first cited by the in-text
    citations ``clusters`` (each the ids one citation names, in text order), then those
    not cited, as given: citeproc-js's citation numbers, the rule of Vancouver styles. A
    source's number (its place in an article's references) is then its place in the
    style's list. A style citeproc-js cannot use with these sources is a
    :class:`StyleError`."""
    chosen = style or default_style()
    if len(citations) < 2:
        return tuple(citations)
    by_id = {citation.id: citation for citation in citations}
    if not sorts_bibliography(chosen.csl):
        first = [key for key in dict.fromkeys(key for cluster in clusters for key in cluster) if key in by_id]
        return (*(by_id[key] for key in first), *(c for c in citations if c.id not in set(first)))
    rendered = render_bibliography(chosen.csl, locale_id(lang), [csl_item(c) for c in citations])
    listed = [by_id[item_id] for item_id in rendered.order if item_id in by_id]
    # A source the style lists as nothing keeps its place after the others.
    return (*listed, *(c for c in citations if c.id not in rendered.entries))


# ------------------------------------------------------------ across processes
# A build names a folder of its output's cache (keep_formatted_in); each formatted list
# is a JSON file named by the SHA-256 of what made it: the style, the locale, the
# citations, citeproc-js's file and this package's code. Nothing the outputs hold
# depends on the folder: a missing, unreadable or unwritable file is formatted again.

_FOLDER: list[Path | None] = [None]


def keep_formatted_in(folder: Path | None) -> None:
    """Keep formatted references in ``folder`` from now on (None: in memory only)."""
    _FOLDER[0] = folder


def formatted_folder() -> Path | None:
    """The folder named by :func:`keep_formatted_in`, if any."""
    return _FOLDER[0]


@functools.cache
def _code_hash() -> str:
    digest = hashlib.sha256()
    for file in sorted(Path(__file__).parent.glob("*.py")):
        digest.update(file.name.encode() + b"\0" + file.read_bytes())
    script = citeproc_script()
    digest.update(hashlib.sha256(script.read_bytes()).digest())
    return digest.hexdigest()


def _cached_path(style: str, locale: str, citations: tuple[Citation, ...]) -> Path | None:
    folder = _FOLDER[0]
    if folder is None:
        return None
    try:
        code = _code_hash()
    except (OSError, CiteprocMissing):
        return None  # formatting will say what is missing
    digest = hashlib.sha256("\0".join((code, style, locale, *(c.model_dump_json() for c in citations))).encode())
    return folder / f"{digest.hexdigest()}.json"


def _read_kept(path: Path) -> tuple[tuple[Segment, ...], ...] | None:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        return tuple(
            tuple(Segment(text, role, href, frozenset(marks)) for text, role, href, marks in entry) for entry in data
        )
    except (OSError, ValueError, TypeError):
        return None


def _keep(path: Path, entries: Sequence[tuple[Segment, ...]]) -> None:
    data = [[[s.text, s.role, s.href, sorted(s.marks)] for s in entry] for entry in entries]
    keep_file(path, json.dumps(data, ensure_ascii=False).encode("utf-8"))
