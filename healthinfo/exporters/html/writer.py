"""HTML5: an article or a book as one standalone, accessible web page with print CSS,
and a whole corpus as a small static site.

References: the HTML Living Standard (https://html.spec.whatwg.org/), WCAG 2.2
(https://www.w3.org/TR/WCAG22/), HTML-AAM for the landmark roles of ``header``,
``main``, ``footer`` and ``aside`` (https://www.w3.org/TR/html-aam-1.0/), CSS Paged
Media (https://www.w3.org/TR/css-page-3/) and schema.org's MedicalWebPage
(https://schema.org/MedicalWebPage). docs/exporters/html.md describes the page
structure, the ids and classes, the print stylesheet and the JSON-LD mapping.

How it is built (pandoc's split: a writer renders the body, a template wraps it):

- One ``visit_<node>`` method per node type, in schema order, turns the model into
  HTML by calling one Jinja2 macro per node type (``nodes.j2``) with the node's fields
  and its already rendered children. Python never writes a tag: all markup is in the
  templates, and autoescaping escapes every string that comes from the corpus.
- ``article.j2``, ``book.j2``, ``site-index.j2`` and ``glossary-page.j2`` arrange the
  rendered parts; ``page.j2`` is the HTML document around them (head, JSON-LD,
  header/main/footer landmarks). ``Options.template_dir`` puts a folder of templates
  before the built-in ones (a Jinja2 ChoiceLoader); the built-in ones stay reachable
  as ``default/<name>`` for ``{% extends %}``.
- The page is self-contained: the stylesheet is embedded and figures are data: URIs,
  so one file can be mailed, archived or printed as it is (``Rendered.resources`` is
  empty).
- Pure and deterministic: no clock, no environment; the same document gives the same
  bytes.
"""

from __future__ import annotations

import base64
import datetime as dt
import functools
import hashlib
import json
import re
import threading
import unicodedata
import urllib.parse
import warnings
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Literal

from jinja2 import ChoiceLoader, Environment, FileSystemLoader, PrefixLoader, StrictUndefined, Template
from markupsafe import Markup, escape
from pydantic import Field

from ...schema import (
    BLOCK_TYPES,
    INLINE_TYPES,
    Article,
    Book,
    Citation,
    Cite,
    Corpus,
    CorpusSettings,
    Emphasis,
    Figure,
    GlossaryEntry,
    Image,
    Include,
    LineBreak,
    Link,
    List,
    ListItem,
    Name,
    Note,
    Paragraph,
    Publisher,
    Quote,
    Section,
    Span,
    Strong,
    Table,
    TableCell,
    TableRow,
    Term,
    Text,
    inline_text,
    walk,
)
from ...schema.publisher import Person
from .._base import ExportError, ExportOptions, ExportWarning, Rendered
from .._dates import format_date, format_next_update
from .._dispatch import Dispatch
from .._i18n import direction, note_label, words
from .._references import reference_segments

__all__ = [
    "ACCEPTS_BOOKS",
    "EXTENSION",
    "MEDIA_TYPE",
    "NAME",
    "TEMPLATE_NAMES",
    "Options",
    "render",
    "render_site",
]

NAME = "html"
EXTENSION = ".html"
MEDIA_TYPE = "text/html"
#: A book is one page: its articles one after the other, with a table of contents.
ACCEPTS_BOOKS = True

PACKAGE_DIR = Path(__file__).resolve().parent
TEMPLATE_DIR = PACKAGE_DIR / "templates"
STYLESHEET = PACKAGE_DIR / "static" / "html.css"

#: The templates a ``template_dir`` can replace (docs/exporters/html.md).
TEMPLATE_NAMES = (
    "page.j2",
    "article.j2",
    "book.j2",
    "parts.j2",
    "nodes.j2",
    "site-index.j2",
    "glossary-page.j2",
)

#: Paper sizes of the print stylesheet and their page margins (top right bottom left).
PAGE_MARGINS = {"A4": "20mm 20mm 22mm 20mm", "A5": "14mm 13mm 16mm 13mm"}

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
            "glossary-page.j2); a nodes.j2 there may define only the macros it changes. "
            "The built-in templates stay reachable as 'default/<name>'."
        ),
    )


# ---------------------------------------------------------------------------
# Text that HTML cannot carry

# C1 controls and Unicode noncharacters are allowed by the model but are parse errors
# in HTML ("control-character-in-input-stream", "noncharacter-in-input-stream",
# https://html.spec.whatwg.org/multipage/parsing.html#parse-errors), and a character
# reference to them is an error too. They carry no meaning for a reader: each becomes
# U+FFFD REPLACEMENT CHARACTER, with a warning (code html:forbidden-code-point).
_FORBIDDEN = re.compile(
    "[\u007f-\u009f\ufdd0-\ufdef\ufffe\uffff"
    + "".join(f"{chr(plane * 0x10000 + 0xFFFE)}{chr(plane * 0x10000 + 0xFFFF)}" for plane in range(1, 17))
    + "]"
)


class ForbiddenCodePointWarning(ExportWarning):
    """html:forbidden-code-point — a character HTML cannot carry was replaced."""


def _may_hold_forbidden(text: str) -> bool:
    """False when ``text`` certainly holds no character of _FORBIDDEN. Nearly all text
    is ASCII (str.isascii() is O(1) in CPython) and then only DEL (U+007F) could be one,
    which a substring test finds far faster than the regex's character class, which is
    slow to match (its astral noncharacters are tested one by one at every position)."""
    if text.isascii():
        return "\x7f" in text
    return _FORBIDDEN.search(text) is not None


def _clean(text: str) -> str:
    if not _may_hold_forbidden(text):
        return text
    found = sorted({f"U+{ord(c):04X}" for c in _FORBIDDEN.findall(text)})
    warnings.warn(
        ForbiddenCodePointWarning(
            "html:forbidden-code-point", f"{', '.join(found)} cannot appear in HTML; written as U+FFFD"
        ),
        stacklevel=3,
    )
    return _FORBIDDEN.sub("\ufffd", text)


def _finalize(value: Any) -> Any:
    """Jinja2 ``finalize``: every string a template writes passes through here first
    (then through autoescaping). Rendered fragments (Markup) were cleaned when made."""
    if type(value) is str and value.isascii() and "\x7f" not in value:
        return value  # the common case, as _may_hold_forbidden, without two calls
    if isinstance(value, str) and not isinstance(value, Markup):
        return _clean(value)
    return value


def _text(value: str) -> Markup:
    """Corpus text as escaped HTML character data (no markup)."""
    return escape(_clean(value))


def _join(parts: Iterable[Markup]) -> Markup:
    """Rendered fragments one after the other, as ``Markup("").join`` joins them, which
    passes every part through escape() and so copies each Markup part into a new
    Markup; here a Markup part is taken as it is, and anything else is escaped."""
    return Markup("".join(part if isinstance(part, Markup) else escape(part) for part in parts))


# ---------------------------------------------------------------------------
# Templates

#: What ``getattr`` finds on a dict: its methods and the other attributes of its type
#: (a dict instance has no attributes of its own).
_DICT_ATTRIBUTES = frozenset(dir(dict))


class _Environment(Environment):
    """Jinja2's environment, with a faster ``x.y`` for the dicts the writer passes to
    the templates (the views of articles, references, glossary entries, labels).

    Jinja2 looks ``x.y`` up as an attribute first and as an item second, so every
    ``a.title`` on a dict raises and catches an AttributeError first: a microsecond,
    hundreds of times per page. For a plain dict the attribute lookup can only succeed
    for a name of _DICT_ATTRIBUTES, so the item is looked up first for every other
    name: the same result, without the exception."""

    def getattr(self, obj: Any, attribute: str) -> Any:
        if type(obj) is dict and attribute not in _DICT_ATTRIBUTES:
            try:
                return obj[attribute]
            except KeyError:
                pass  # Jinja2 decides what a missing key is (StrictUndefined)
        return super().getattr(obj, attribute)


class _Templates:
    """The Jinja2 environment of one template folder, and the node macros.

    ``epub``: the templates write the XML serialisation of HTML (void elements closed
    with "/>") and the EPUB structural semantics (epub:type with the matching DPUB-ARIA
    role) for EPUB content documents; ``before``: built-in folders searched before the
    HTML templates (the EPUB exporter's own templates). Both are for
    healthinfo.exporters.epub, which renders blocks and inlines with this module's
    writer instead of a second copy."""

    def __init__(self, template_dir: str | None, *, epub: bool = False, before: tuple[str, ...] = ()) -> None:
        builtin = FileSystemLoader(str(TEMPLATE_DIR))
        loaders: list[Any] = [*(FileSystemLoader(folder) for folder in before), builtin]
        if template_dir is not None:
            loaders.insert(0, FileSystemLoader(template_dir))
        # The built-in templates stay reachable as default/<name>, so that a user's
        # page.j2 can {% extends "default/page.j2" %} and change one block.
        loaders.append(PrefixLoader({"default": builtin}))
        self.env = _Environment(
            loader=ChoiceLoader(loaders),
            # The templates do not change while a process runs: no stat() of the
            # template files each time one is used.
            auto_reload=False,
            autoescape=True,
            trim_blocks=True,
            lstrip_blocks=True,
            keep_trailing_newline=True,
            undefined=StrictUndefined,
            finalize=_finalize,
        )
        self.env.filters["isodate"] = lambda value: value.isoformat()
        self.env.globals["epub"] = epub
        builtin_nodes = self.env.get_template("default/nodes.j2").module
        nodes = self.env.get_template("nodes.j2").module
        # A user's nodes.j2 may define only some macros; the others are the built-in ones.
        self._macros: dict[str, Callable[..., Markup]] = {}
        for source in (builtin_nodes, nodes):
            for name in dir(source):
                if not name.startswith("_"):
                    value = getattr(source, name)
                    if callable(value):
                        self._macros[name] = value
        self.css = Markup(STYLESHEET.read_text(encoding="utf-8"))

    def macro(self, name: str, **kwargs: Any) -> Markup:
        try:
            macro = self._macros[name]
        except KeyError:
            raise ExportError(f"the HTML templates have no macro {name!r} (nodes.j2)") from None
        result = macro(**kwargs)
        # A macro of an autoescaping environment returns Markup already.
        return result if type(result) is Markup else Markup(result)

    def get(self, name: str) -> Template:
        return self.env.get_template(name)


@functools.lru_cache(maxsize=8)
def _templates(template_dir: str | None, epub: bool = False, before: tuple[str, ...] = ()) -> _Templates:
    return _Templates(template_dir, epub=epub, before=before)


def _load_templates(options: Options) -> _Templates:
    if options.template_dir is None:
        return _templates(None)
    folder = Path(options.template_dir)
    if not folder.is_dir():
        raise ExportError(f"template_dir {str(folder)!r} is not a folder")
    # Not cached: a user's templates may change between calls.
    return _Templates(str(folder.resolve()))


# ---------------------------------------------------------------------------
# Small helpers


def labels(lang: str) -> dict[str, str]:
    """Every fixed word of the page in ``lang`` (the one table of words)."""
    return dict(words(lang))


# What may stay as it is in a URL: the reserved and unreserved characters of RFC 3986
# and "%" (a "%" that starts no %XX escape is escaped itself, below).
_URL_SAFE = ":/?#[]@!$&'()*+,;=-._~%"


def href(url: str) -> str:
    """A URL as an href value that HTML's URL parser takes without error: characters
    that URLs cannot hold (< > " space { } | \\ ^ ` and non-ASCII) percent-encoded
    (UTF-8). The model allows them in links and identifiers (a DOI may hold "<").
    https://url.spec.whatwg.org/#url-code-points"""
    url = re.sub(r"%(?![0-9A-Fa-f]{2})", "%25", url)
    return urllib.parse.quote(url, safe=_URL_SAFE)


def data_uri(image: Image) -> str:
    """An image as a data: URI (RFC 2397), so that the page needs no other file."""
    return f"data:{image.media_type};base64,{base64.b64encode(image.data).decode('ascii')}"


def _publisher_view(publisher: Publisher) -> dict[str, Any]:
    return {
        "name": publisher.name,
        "short_name": publisher.short_name,
        "url": href(publisher.url) if publisher.url else None,
        "url_text": publisher.url,
        "email": publisher.email,
        "address": publisher.address,
    }


@dataclass(frozen=True)
class _Ctx:
    """Where an inline or block is written."""

    #: inside an <a>: no other <a> may start (HTML forbids nested links).
    in_link: bool = False
    #: inside an <aside>: a callout is a role="note" div, not another complementary
    #: landmark (axe: landmark-complementary-is-top-level).
    in_aside: bool = False
    #: the direction of the surrounding text.
    dir: str = "ltr"


@dataclass
class _Site:
    """Links of an article page that is part of a rendered site."""

    name: str
    home_href: str
    glossary_href: str
    topic_href: str | None = None


@dataclass
class _GlossarySlot:
    entry: GlossaryEntry
    anchor: str
    #: links to each place the term is used, in order (hrefs, see _Writer.href_to).
    uses: list[str] = field(default_factory=list)


# ---------------------------------------------------------------------------
# The writer


class _Writer:
    """Renders the body of one page (an article, or the articles of a book). One
    ``visit_<node>`` per node type of the schema, in schema order; an unknown node type
    raises ExportError."""

    def __init__(self, templates: _Templates, lang: str) -> None:
        self.t = templates
        self.lang = lang
        #: id prefix of the current article: "" on an article page, "<id>--" in a book
        #: (article ids hold no "--", so ids of different articles cannot meet).
        self.prefix = ""
        #: heading level of the current article's top sections.
        self.section_level = 2
        self.ref_numbers: dict[str, int] = {}
        #: glossary: entry id -> slots (one per different entry of that id, in a book).
        self.glossary: dict[str, list[_GlossarySlot]] = {}
        self.glossary_order: list[_GlossarySlot] = []
        #: the current article's term refs -> glossary slot.
        self.terms: dict[str, _GlossarySlot] = {}
        self.counters: dict[str, int] = {}
        #: accessible names of the complementary landmarks so far (they must differ).
        self.landmark_names: dict[str, int] = {}
        #: a book's reusable back blocks, rendered once each.
        self.back_seen: list[Include] = []
        self.back_parts: list[Markup] = []
        #: the file each part is written to, for a format that splits a document into
        #: several files (EPUB: "text" is the current chapter, "glossary", "references").
        #: Empty for an HTML page, where every link stays in the page.
        self.files: dict[str, str] = {}

    # -- state ---------------------------------------------------------------

    def begin_article(self, article: Article, prefix: str, section_level: int) -> None:
        self.prefix = prefix
        self.section_level = section_level
        # Callout labels in the article's language (a book may mix languages).
        self.lang = article.lang
        self.ref_numbers = {c.id: n for n, c in enumerate(article.references, start=1)}
        self.terms = {key: self.glossary_slot(entry) for key, entry in article.glossary.items()}

    def glossary_slot(self, entry: GlossaryEntry) -> _GlossarySlot:
        """The glossary entry's place on the page. A book shows one glossary: the same
        entry used by two articles is listed once; two different entries with the same
        id (possible in hand-made books) are both listed, the second as gloss-<id>_2."""
        slots = self.glossary.setdefault(entry.id, [])
        for slot in slots:
            if slot.entry == entry:
                return slot
        anchor = f"gloss-{entry.id}" + (f"_{len(slots) + 1}" if slots else "")
        slot = _GlossarySlot(entry, anchor)
        slots.append(slot)
        self.glossary_order.append(slot)
        return slot

    def href_to(self, part: str, anchor: str) -> str:
        """A link to ``anchor`` in ``part`` (see ``files``): "#anchor" on one page."""
        return f"{self.files.get(part, '')}#{anchor}"

    def image_src(self, image: Image) -> str:
        """Where a figure's image comes from: a data: URI, so that the page needs no
        other file (EPUB overrides this with a file of the package)."""
        return data_uri(image)

    def next(self, kind: str) -> int:
        self.counters[kind] = self.counters.get(kind, 0) + 1
        return self.counters[kind]

    def local(self, local_id: str) -> str:
        """An id of the current article (its prefix + ``local_id``)."""
        return self.prefix + local_id

    def landmark_ordinal(self, name: str) -> int | None:
        """None for the first landmark with this accessible name; 2, 3 … for the next
        ones, written as hidden text so that the names differ (axe: landmark-unique)."""
        key = " ".join(name.split()).casefold()
        seen = self.landmark_names.get(key, 0) + 1
        self.landmark_names[key] = seen
        return None if seen == 1 else seen

    # -- dispatch --------------------------------------------------------------

    def inline(self, node: Any, ctx: _Ctx) -> Markup:
        return _INLINE(self, node, ctx)

    def inlines(self, nodes: Sequence[Any], ctx: _Ctx) -> Markup:
        return _join(self.inline(node, ctx) for node in nodes)

    def block(self, node: Any, ctx: _Ctx) -> Markup:
        return _BLOCK(self, node, ctx)

    def blocks(self, nodes: Sequence[Any], ctx: _Ctx) -> Markup:
        return _join(self.block(node, ctx) for node in nodes)

    # -- inline nodes ------------------------------------------------------------

    def visit_text(self, node: Text, ctx: _Ctx) -> Markup:
        return _text(node.text)

    def visit_emphasis(self, node: Emphasis, ctx: _Ctx) -> Markup:
        return self.t.macro("emphasis", content=self.inlines(node.children, ctx))

    def visit_strong(self, node: Strong, ctx: _Ctx) -> Markup:
        return self.t.macro("strong", content=self.inlines(node.children, ctx))

    def visit_link(self, node: Link, ctx: _Ctx) -> Markup:
        # https://html.spec.whatwg.org/multipage/text-level-semantics.html#the-a-element:
        # an <a> may not contain another <a>. A link inside a link (or inside a glossary
        # term, which is a link) keeps its words, and its address is written after them.
        inner = self.inlines(node.children, replace(ctx, in_link=True))
        if ctx.in_link:
            return self.t.macro("nested_link", href=node.href, content=inner)
        # The text equals the address: print CSS need not repeat it after the link.
        bare = inline_text(node.children).strip() == node.href
        return self.t.macro("link", href=href(node.href), title=node.title, content=inner, bare=bare)

    def visit_term(self, node: Term, ctx: _Ctx) -> Markup:
        slot = self.terms[node.ref]
        inner = self.inlines(node.children, replace(ctx, in_link=True))
        if ctx.in_link:
            # Inside a link a term cannot be a link too; it is marked, and the glossary
            # still lists the entry.
            return self.t.macro("term_text", content=inner)
        use_id = f"use-{slot.anchor[len('gloss-'):]}-{len(slot.uses) + 1}"
        slot.uses.append(self.href_to("text", use_id))
        return self.t.macro("term", href=self.href_to("glossary", slot.anchor), id=use_id, content=inner)

    def visit_cite(self, node: Cite, ctx: _Ctx) -> Markup:
        refs = [
            {
                "number": self.ref_numbers[key],
                "href": None if ctx.in_link else self.href_to("references", self.local("ref-%d" % self.ref_numbers[key])),
            }
            for key in node.refs
        ]
        return self.t.macro("cite", refs=refs)

    def visit_span(self, node: Span, ctx: _Ctx) -> Markup:
        # WCAG 3.1.2 Language of Parts; dir only where the direction changes.
        span_dir = direction(node.lang)
        inner = self.inlines(node.children, replace(ctx, dir=span_dir))
        return self.t.macro("span", lang=node.lang, dir=span_dir if span_dir != ctx.dir else None, content=inner)

    def visit_break(self, node: LineBreak, ctx: _Ctx) -> Markup:
        return self.t.macro("line_break")

    # -- block nodes -------------------------------------------------------------

    def visit_paragraph(self, node: Paragraph, ctx: _Ctx) -> Markup:
        return self.t.macro("paragraph", content=self.inlines(node.children, ctx))

    def visit_list(self, node: List, ctx: _Ctx) -> Markup:
        items = [self.visit_list_item(item, ctx) for item in node.items]
        return self.t.macro("list", ordered=node.ordered, start=node.start, items=items)

    def visit_list_item(self, node: ListItem, ctx: _Ctx) -> Markup:
        # A simple item (one paragraph) holds its text directly, as Markdown's tight
        # lists do; a complex one holds its blocks.
        if len(node.blocks) == 1 and isinstance(node.blocks[0], Paragraph):
            return self.inlines(node.blocks[0].children, ctx)
        return self.blocks(node.blocks, ctx)

    def visit_note(self, node: Note, ctx: _Ctx) -> Markup:
        # An <aside> (complementary landmark) named by its visible label
        # (aria-labelledby, WCAG 1.3.1). Inside another aside it is a role="note" div:
        # a complementary landmark must not nest in another one.
        note_id = f"note-{self.next('note')}"
        kind_label = note_label(node.kind, self.lang)
        title = node.title if node.title else None
        landmark = not ctx.in_aside
        name = kind_label + (f": {title}" if title else "")
        ordinal = self.landmark_ordinal(name) if landmark else None
        content = self.blocks(node.blocks, replace(ctx, in_aside=True))
        return self.t.macro(
            "note",
            id=note_id,
            kind=node.kind.value,
            label=kind_label,
            title=title,
            region=node.region,
            landmark=landmark,
            ordinal=ordinal,
            content=content,
        )

    def visit_figure(self, node: Figure, ctx: _Ctx) -> Markup:
        return self.t.macro(
            "figure",
            id=self.local(f"fig-{node.id}") if node.id else None,
            src=self.image_src(node.image),
            alt=node.alt,
            width=node.image.width,
            height=node.image.height,
            caption=self.inlines(node.caption, ctx) if node.caption else None,
            credit=node.credit if node.credit else None,
        )

    def visit_table(self, node: Table, ctx: _Ctx) -> Markup:
        head = [self.visit_table_row(row, ctx, header=True) for row in node.head]
        body = [self.visit_table_row(row, ctx, header=False) for row in node.body]
        return self.t.macro(
            "table",
            id=self.local(f"tbl-{node.id}") if node.id else None,
            caption=self.inlines(node.caption, ctx) if node.caption else None,
            head=head,
            body=body,
        )

    def visit_table_row(self, node: TableRow, ctx: _Ctx, header: bool) -> list[dict[str, Any]]:
        return [self.visit_table_cell(cell, ctx, header) for cell in node.cells]

    def visit_table_cell(self, node: TableCell, ctx: _Ctx, header: bool) -> dict[str, Any]:
        # An empty header cell is a <td>: a <th> without text names nothing
        # (axe: empty-table-header).
        return {
            "content": self.inlines(node.children, ctx),
            "align": node.align,
            "header": header and bool(inline_text(node.children).strip()),
        }

    def visit_quote(self, node: Quote, ctx: _Ctx) -> Markup:
        return self.t.macro(
            "quote",
            content=self.blocks(node.blocks, ctx),
            attribution=node.attribution if node.attribution else None,
        )

    def visit_include(self, node: Include, ctx: _Ctx, level: int | None = None) -> Markup:
        # A reusable block, marked as such (class and data-block). With a title it is
        # an aside named by its title; ``level`` makes the title a heading (the
        # reusable blocks after the sources are parts of the page).
        block_id = f"block-{self.next('block')}"
        title = node.title if node.title else None
        landmark = title is not None and not ctx.in_aside
        ordinal = self.landmark_ordinal(title) if landmark and title else None
        content = self.blocks(node.blocks, replace(ctx, in_aside=ctx.in_aside or landmark))
        return self.t.macro(
            "include",
            id=block_id,
            ref=node.ref,
            title=title,
            level=level,
            landmark=landmark,
            ordinal=ordinal,
            content=content,
        )

    def visit_section(self, node: Section, ctx: _Ctx, depth: int) -> Markup:
        # Heading levels follow nesting; HTML has six (deeper sections stay h6).
        level = min(self.section_level + depth, 6)
        title = self.inlines(node.title, ctx)
        content = self.blocks(node.blocks, ctx)
        subsections = _join(self.visit_section(child, ctx, depth + 1) for child in node.sections)
        return self.t.macro(
            "section",
            id=self.local(f"sec-{node.id}"),
            level=level,
            title=title,
            aspect=node.aspect.value if node.aspect else None,
            content=content + subsections,
        )

    # -- the parts of an article ---------------------------------------------------

    def references(self, article: Article) -> list[dict[str, Any]]:
        out = []
        for number, citation in enumerate(article.references, start=1):
            segments = [
                {
                    "text": segment.text,
                    "role": segment.role,
                    "href": href(segment.href) if segment.href else None,
                    "bare": segment.href is not None and segment.text == segment.href,
                }
                for segment in reference_segments(citation, article.lang)
            ]
            out.append(
                {
                    "id": self.local(f"ref-{number}"),
                    "number": number,
                    "key": citation.id,
                    "lang": citation.language,
                    "segments": segments,
                }
            )
        return out

    def glossary_view(self, slots: Sequence[_GlossarySlot]) -> list[dict[str, Any]]:
        return [
            {
                "anchor": slot.anchor,
                "term": slot.entry.term,
                "definition": slot.entry.definition,
                "synonyms": list(slot.entry.synonyms),
                "uses": list(slot.uses),
                "used_in": [],
            }
            for slot in slots
        ]

    def toc(self, article: Article) -> list[dict[str, Any]]:
        def entry(section: Section) -> dict[str, Any]:
            return {
                "href": self.href_to("text", self.local("sec-" + section.id)),
                "title": " ".join(inline_text(section.title).split()),
                "children": [entry(child) for child in section.sections],
            }

        return [entry(section) for section in article.sections]

    def article_view(
        self,
        article: Article,
        level: int,
        standalone: bool,
        back_level: int | None = None,
        prefix: str | None = None,
    ) -> dict[str, Any]:
        """Everything article.j2 shows. ``standalone``: the article is the page (its
        glossary and reusable blocks are its own); in a book they are the book's.
        ``back_level``: heading level of the titles of a book's reusable back blocks
        (default: ``level``; EPUB puts them under a heading of their own). ``prefix``:
        of the article's ids (default: none on its own page, "<id>--" in a book; an
        article's e-book keeps the ids of its page)."""
        ctx = _Ctx(dir=direction(article.lang))
        if prefix is None:
            prefix = "" if standalone else f"{article.id}--"
        self.begin_article(article, prefix, level + 1)
        lead = self.blocks(article.blocks, ctx)
        sections = _join(self.visit_section(section, ctx, 0) for section in article.sections)
        view: dict[str, Any] = {
            "id": article.id,
            "heading_id": "title" if standalone else self.local("title"),
            "level": level,
            "title": article.title,
            "topic": article.topic,
            "lang": article.lang,
            "dir": direction(article.lang),
            "updated": article.updated,
            "updated_text": format_date(article.updated, article.lang),
            "published": article.published,
            "published_text": format_date(article.published, article.lang) if article.published else None,
            "next_update": format_next_update(article.next_update, article.lang) if article.next_update is not None else None,
            "next_update_iso": (
                str(article.next_update) if isinstance(article.next_update, int) else article.next_update.isoformat()
            )
            if article.next_update is not None
            else None,
            "publisher": _publisher_view(article.publisher),
            "authors": [p.name for p in article.authors],
            "reviewers": [p.name for p in article.reviewers],
            "region": article.region,
            "lead": lead,
            "sections": sections,
            "references": self.references(article),
            "references_id": self.local("sources"),
            "labels": labels(article.lang),
            "glossary": None,
            "back": None,
        }
        if standalone:
            view["back"] = self.back(article.back, ctx, level + 1)
            view["glossary"] = self.glossary_view(self.glossary_order)
        else:
            # In a book the reusable blocks shown after each article's sources (a
            # disclaimer, "about us") are shown once, at the end of the book, with the
            # links of the article that brought them first.
            fresh = [node for node in article.back if node not in self.back_seen]
            self.back_seen.extend(fresh)
            self.back_parts.append(self.back(fresh, ctx, level if back_level is None else back_level))
        return view

    def back(self, includes: Sequence[Include], ctx: _Ctx, level: int) -> Markup:
        return _join(self.visit_include(node, ctx, level=level) for node in includes)


_INLINE: Dispatch[Markup] = Dispatch("HTML", "inline", _Writer, INLINE_TYPES)
_BLOCK: Dispatch[Markup] = Dispatch("HTML", "block", _Writer, BLOCK_TYPES)


# ---------------------------------------------------------------------------
# schema.org JSON-LD


#: CSL item type -> schema.org type of a cited work.
CSL_TO_SCHEMA_ORG = {
    "article": "Article",
    "article-journal": "ScholarlyArticle",
    "article-magazine": "Article",
    "article-newspaper": "NewsArticle",
    "book": "Book",
    "chapter": "Chapter",
    "report": "Report",
    "webpage": "WebPage",
    "post-weblog": "BlogPosting",
    "thesis": "Thesis",
    "dataset": "Dataset",
    "software": "SoftwareApplication",
    "legislation": "Legislation",
}


def _prune(value: Any) -> Any:
    """Drop None, empty lists and empty dicts, recursively."""
    if isinstance(value, dict):
        pruned = {k: _prune(v) for k, v in value.items()}
        return {k: v for k, v in pruned.items() if v is not None and v != [] and v != {}}
    if isinstance(value, list):
        return [_prune(v) for v in value]
    return value


def _organisation(publisher: Publisher) -> dict[str, Any]:
    return {
        "@type": "Organization",
        "name": publisher.name,
        "alternateName": publisher.short_name,
        "url": publisher.url,
        "email": publisher.email,
    }


def _csl_name(name: Name) -> dict[str, Any]:
    if name.literal is not None:
        return {"@type": "Organization", "name": name.literal}
    family = " ".join(p for p in (name.non_dropping_particle, name.family) if p)
    return {"@type": "Person", "familyName": family, "givenName": name.given}


def _csl_date(citation: Citation) -> str | None:
    if citation.issued is None:
        return None
    parts = citation.issued.date_parts[0]
    return "-".join([f"{parts[0]:04d}", *(f"{p:02d}" for p in parts[1:])])


def citation_jsonld(citation: Citation) -> dict[str, Any]:
    """A source as a schema.org CreativeWork (for MedicalWebPage.citation)."""
    identifiers = [
        {"@type": "PropertyValue", "propertyID": kind, "value": value}
        for kind, value in (("DOI", citation.DOI), ("PMID", citation.PMID), ("PMCID", citation.PMCID))
        if value
    ]
    same_as = [f"https://doi.org/{citation.DOI}"] if citation.DOI else []
    if citation.PMID:
        same_as.append(f"https://pubmed.ncbi.nlm.nih.gov/{citation.PMID}/")
    return {
        "@type": CSL_TO_SCHEMA_ORG.get(citation.type, "CreativeWork"),
        "name": citation.title or citation.container_title,
        "author": [_csl_name(n) for n in citation.author],
        "editor": [_csl_name(n) for n in citation.editor],
        "isPartOf": {"@type": "CreativeWork", "name": citation.container_title}
        if citation.title and citation.container_title
        else None,
        "datePublished": _csl_date(citation),
        "volumeNumber": citation.volume,
        "issueNumber": citation.issue,
        "pagination": citation.page,
        "publisher": {"@type": "Organization", "name": citation.publisher} if citation.publisher else None,
        "locationCreated": {"@type": "Place", "name": citation.publisher_place} if citation.publisher_place else None,
        "isbn": citation.ISBN,
        "identifier": identifiers,
        "sameAs": same_as,
        "url": citation.URL,
        "inLanguage": citation.language,
        "comment": citation.note,
    }


def _people(people: Sequence[Person]) -> list[dict[str, Any]]:
    return [{"@type": "Person", "name": p.name, "affiliation": p.affiliation} for p in people]


def article_jsonld(article: Article) -> dict[str, Any]:
    """The schema.org MedicalWebPage of an article (docs/exporters/html.md has the
    mapping). ``lastReviewed`` is the date of the last update: each update of an
    article is a review of the evidence."""
    return _prune(
        {
            "@type": "MedicalWebPage",
            "name": article.title,
            "headline": article.title,
            "description": article.description,
            "inLanguage": article.lang,
            "url": article.url,
            "keywords": list(article.keywords),
            "audience": {"@type": "Audience", "audienceType": article.audience.value},
            "publisher": _organisation(article.publisher),
            "author": _people(article.authors),
            "reviewedBy": _people(article.reviewers),
            "datePublished": article.published.isoformat() if article.published else None,
            "dateModified": article.updated.isoformat(),
            "lastReviewed": article.updated.isoformat(),
            "about": {"@type": "Thing", "name": article.topic} if article.topic else None,
            "isPartOf": {"@type": "CollectionPage", "name": article.topic} if article.topic else None,
            "spatialCoverage": {"@type": "Country", "identifier": article.region} if article.region else None,
            "copyrightNotice": article.rights,
            "license": article.license,
            "citation": [citation_jsonld(c) for c in article.references],
        }
    )


def book_jsonld(book: Book) -> dict[str, Any]:
    isbn = book.identifier.split(":")[-1] if book.identifier.lower().startswith(("urn:isbn:", "isbn:")) else None
    return _prune(
        {
            "@type": "Book",
            "name": book.title,
            "alternativeHeadline": book.subtitle,
            "description": book.description,
            "inLanguage": book.lang,
            "identifier": book.identifier,
            "isbn": isbn,
            "publisher": _organisation(book.publisher),
            "datePublished": book.effective_date.isoformat(),
            "copyrightNotice": book.rights,
            "license": book.license,
            "hasPart": [article_jsonld(a) for a in book.articles],
        }
    )


def jsonld_script(data: dict[str, Any]) -> Markup:
    """JSON-LD for a <script type="application/ld+json">. The content of a script
    element ends at the first "</script" and "<!--" changes how it is parsed
    (https://html.spec.whatwg.org/multipage/scripting.html#restrictions-for-contents-of-script-elements):
    <, > and & are written as JSON escapes (\\u003c …), as are U+2028/U+2029 and the
    characters HTML cannot carry, so no corpus text can end or bend the script."""
    text = json.dumps({"@context": "https://schema.org", **data}, ensure_ascii=False, indent=1)
    for char in "<>&\u2028\u2029":
        text = text.replace(char, f"\\u{ord(char):04x}")
    if _may_hold_forbidden(text):
        text = _FORBIDDEN.sub(
            lambda m: f"\\u{ord(m.group()):04x}" if ord(m.group()) < 0x10000 else _surrogates(m.group()), text
        )
    return Markup(text)


def _surrogates(char: str) -> str:
    code = ord(char) - 0x10000
    return f"\\u{0xD800 + (code >> 10):04x}\\u{0xDC00 + (code & 0x3FF):04x}"


# ---------------------------------------------------------------------------
# Pages


def _page_size(document: Article | Book, options: Options) -> str:
    if options.page_size is not None:
        return options.page_size
    if isinstance(document, Book) and document.profile.value == "brochure":
        return "A5"
    return "A4"


def _page(
    t: _Templates,
    *,
    lang: str,
    title: str,
    description: str | None,
    canonical: str | None,
    jsonld: dict[str, Any],
    content: Markup,
    page_size: str,
    site: _Site | None,
    publisher: Publisher | None,
    rights: str | None,
    license: str | None,
    kind: str,
    topic: str | None = None,
    extra_footer: Sequence[tuple[str, str]] = (),
) -> bytes:
    html = t.get("page.j2").render(
        lang=lang,
        dir=direction(lang),
        title=title,
        description=description,
        canonical=href(canonical) if canonical else None,
        jsonld=jsonld_script(jsonld),
        css=t.css,
        page_size=page_size,
        page_margins=PAGE_MARGINS[page_size],
        site=site,
        publisher=_publisher_view(publisher) if publisher else None,
        rights=rights,
        license=license,
        license_href=href(license) if license else None,
        labels=labels(lang),
        content=content,
        kind=kind,
        topic=topic,
        extra_footer=list(extra_footer),
    )
    return html.encode("utf-8")


#: The last article rendered and its view, per thread: a build renders an article's
#: page for the html format and for the site one after the other, and the view (every
#: node rendered) is most of the work. Keyed by identity, and holding the article, so
#: the key cannot be reused; one entry, so nothing piles up.
_LAST_VIEW = threading.local()


def _article_view(t: _Templates, article: Article) -> tuple[dict[str, Any], Any]:
    last = getattr(_LAST_VIEW, "entry", None)
    if last is not None and last[0] is article and last[1] is t:
        return last[2], last[3]
    view = _Writer(t, article.lang).article_view(article, level=1, standalone=True)
    jsonld = article_jsonld(article)
    _LAST_VIEW.entry = (article, t, view, jsonld)
    return view, jsonld


def _render_article(t: _Templates, article: Article, options: Options, site: _Site | None = None) -> bytes:
    view, jsonld = _article_view(t, article)
    content = Markup(
        t.get("article.j2").render(a=view, site=site, page_lang=article.lang, page_dir=direction(article.lang))
    )
    publisher = article.publisher
    return _page(
        t,
        lang=article.lang,
        title=f"{article.title} | {publisher.short_name or publisher.name}",
        description=article.description,
        canonical=article.url,
        jsonld=jsonld,
        content=content,
        page_size=_page_size(article, options),
        site=site,
        publisher=publisher,
        rights=article.rights,
        license=article.license,
        kind="article",
        topic=article.topic,
    )


def _render_book(t: _Templates, book: Book, options: Options) -> bytes:
    writer = _Writer(t, book.lang)
    article_t = t.get("article.j2")
    chapters: list[Markup] = []
    toc: list[dict[str, Any]] = []
    for article in book.articles:
        view = writer.article_view(article, level=2, standalone=False)
        chapters.append(
            Markup(article_t.render(a=view, site=None, page_lang=book.lang, page_dir=direction(book.lang)))
        )
        toc.append({"href": f"#{view['heading_id']}", "title": article.title, "children": writer.toc(article)})
    back_html = Markup("").join(writer.back_parts)
    content = Markup(
        t.get("book.j2").render(
            book={
                "title": book.title,
                "subtitle": book.subtitle,
                "description": book.description,
                "cover": data_uri(book.cover) if book.cover else None,
                "cover_width": book.cover.width if book.cover else None,
                "cover_height": book.cover.height if book.cover else None,
                "date": book.effective_date,
                "date_text": format_date(book.effective_date, book.lang),
                "identifier": book.identifier,
                "publisher": _publisher_view(book.publisher),
                "profile": book.profile.value,
            },
            toc=toc,
            chapters=chapters,
            glossary=writer.glossary_view(writer.glossary_order),
            back=back_html,
            labels=labels(book.lang),
        )
    )
    return _page(
        t,
        lang=book.lang,
        title=book.title + (f": {book.subtitle}" if book.subtitle else ""),
        description=book.description,
        canonical=None,
        jsonld=book_jsonld(book),
        content=content,
        page_size=_page_size(book, options),
        site=None,
        publisher=book.publisher,
        rights=book.rights,
        license=book.license,
        kind=f"book {book.profile.value}",
        extra_footer=[(labels(book.lang)["identifier"], book.identifier)],
    )


def render(document: Article | Book, options: Options) -> Rendered:
    """``document`` as one standalone HTML5 page (UTF-8): stylesheet embedded, figures
    as data: URIs, so ``resources`` is empty."""
    t = _load_templates(options)
    if isinstance(document, Article):
        return Rendered(data=_render_article(t, document, options))
    if isinstance(document, Book):
        return Rendered(data=_render_book(t, document, options))
    raise ExportError(f"the HTML exporter takes an Article or a Book, not a {type(document).__name__}")


# ---------------------------------------------------------------------------
# The site


def render_site(corpus: Corpus, options: Options | None = None) -> dict[str, bytes]:
    """A whole corpus as a small static site: relative path -> bytes.

    - ``index.html``: the articles, grouped by topic (topics in alphabetical order,
      articles without a topic last);
    - ``articles/<id>.html``: one page per article, as :func:`render` writes it, with a
      breadcrumb back to the index;
    - ``glossary.html``: every glossary entry, with links to the articles that use it.

    A build makes the same files piece by piece (:func:`site_article` for each
    article in the workers, :func:`site_pages` from the articles' :func:`site_summary`),
    so that one changed article does not need the whole corpus.
    """
    options = options or Options()
    files = {f"articles/{a.id}.html": site_article(a, corpus.settings.name, options) for a in corpus.articles.values()}
    files.update(site_pages(corpus.settings, corpus.glossary, [site_summary(a) for a in corpus.articles.values()], options))
    return dict(sorted(files.items()))


def topic_anchor(topic: str) -> str:
    """The id of a topic's group on the site's index: made from the topic's text alone
    (a readable part and a short hash of the exact text, since a topic is free text and
    two spellings may share the readable part), so an article's page links to its
    topic without knowing the other articles."""
    readable = re.sub(r"[^a-z0-9]+", "-", unicodedata.normalize("NFKD", topic).encode("ascii", "ignore").decode().lower())
    readable = readable.strip("-")[:40].strip("-")
    digest = hashlib.sha256(topic.encode("utf-8")).hexdigest()[:6]
    return f"topic-{readable}-{digest}" if readable else f"topic-{digest}"


def site_article(article: Article, site_name: str, options: Options | None = None) -> bytes:
    """The site's page of one article (``articles/<id>.html``)."""
    options = options or Options()
    site = _Site(
        name=site_name,
        home_href="../index.html",
        glossary_href="../glossary.html",
        topic_href=f"../index.html#{topic_anchor(article.topic)}" if article.topic else None,
    )
    return _render_article(_load_templates(options), article, options, site)


def site_summary(article: Article) -> dict[str, Any]:
    """What the site's index and glossary page show of an article, as JSON data (a
    build keeps it in its manifest)."""
    terms = {node.ref for node in walk([article.blocks, article.sections, article.back]) if isinstance(node, Term)}
    return {
        "id": article.id,
        "title": article.title,
        "lang": article.lang,
        "description": article.description,
        "updated": article.updated.isoformat(),
        "url": article.url,
        "topic": article.topic,
        "terms": sorted(terms),
    }


def site_pages(
    settings: CorpusSettings,
    glossary: dict[str, GlossaryEntry],
    summaries: Sequence[dict[str, Any]],
    options: Options | None = None,
) -> dict[str, bytes]:
    """The site's ``index.html`` and ``glossary.html``, from the :func:`site_summary`
    of every article."""
    options = options or Options()
    t = _load_templates(options)
    lang = settings.lang
    words = labels(lang)
    articles = sorted(summaries, key=lambda a: (a["title"].casefold(), a["id"]))
    topics = sorted({a["topic"] for a in articles if a["topic"]}, key=lambda s: (s.casefold(), s))
    groups = [
        {"id": topic_anchor(topic), "title": topic, "articles": [a for a in articles if a["topic"] == topic]}
        for topic in topics
    ]
    untopical = [a for a in articles if not a["topic"]]
    if untopical:
        groups.append({"id": "topic-other", "title": words["other_topics"], "articles": untopical})
    site_name = settings.name
    files: dict[str, bytes] = {}

    index_site = _Site(name=site_name, home_href="index.html", glossary_href="glossary.html")
    index = Markup(
        t.get("site-index.j2").render(
            name=site_name,
            groups=[
                {
                    "id": g["id"],
                    "title": g["title"],
                    "articles": [
                        {
                            "href": f"articles/{a['id']}.html",
                            "title": a["title"],
                            "lang": a["lang"],
                            "description": a["description"],
                            "updated": dt.date.fromisoformat(a["updated"]),
                            "updated_text": format_date(dt.date.fromisoformat(a["updated"]), lang),
                        }
                        for a in g["articles"]
                    ],
                }
                for g in groups
            ],
            site=index_site,
            labels=words,
            page_lang=lang,
        )
    )
    publishers = settings.publishers
    # What the index and the glossary page share: the site's frame and its publisher.
    site_page = functools.partial(
        _page,
        t,
        lang=lang,
        page_size=options.page_size or "A4",
        site=index_site,
        publisher=publishers[0] if len(publishers) == 1 else None,
        rights=settings.rights,
        license=settings.license,
    )
    files["index.html"] = site_page(
        title=site_name,
        description=None,
        canonical=settings.url,
        jsonld=_prune(
            {
                "@type": "CollectionPage",
                "name": site_name,
                "inLanguage": lang,
                "url": settings.url,
                "publisher": [_organisation(p) for p in publishers],
                "hasPart": [
                    {"@type": "MedicalWebPage", "name": a["title"], "inLanguage": a["lang"], "url": a["url"] or f"articles/{a['id']}.html"}
                    for a in articles
                ],
            }
        ),
        content=index,
        kind="site-index",
    )

    used_in: dict[str, list[dict[str, str]]] = {}
    for article in articles:
        for ref in article["terms"]:
            used_in.setdefault(ref, []).append({"href": f"articles/{article['id']}.html", "title": article["title"]})
    entries = sorted(glossary.values(), key=lambda e: (e.term.casefold(), e.id))
    glossary = [
        {
            "anchor": f"gloss-{entry.id}",
            "term": entry.term,
            "definition": entry.definition,
            "synonyms": list(entry.synonyms),
            "uses": [],
            "used_in": used_in.get(entry.id, []),
        }
        for entry in entries
    ]
    glossary_page = Markup(t.get("glossary-page.j2").render(entries=glossary, site=index_site, labels=words))
    files["glossary.html"] = site_page(
        title=f"{words['glossary']} | {site_name}",
        description=None,
        canonical=None,
        jsonld=_prune(
            {
                "@type": "DefinedTermSet",
                "name": f"{words['glossary']}: {site_name}",
                "inLanguage": lang,
                "hasDefinedTerm": [
                    {"@type": "DefinedTerm", "name": e.term, "description": e.definition, "alternateName": list(e.synonyms)}
                    for e in entries
                ],
            }
        ),
        content=glossary_page,
        kind="site-glossary",
    )
    return dict(sorted(files.items()))
