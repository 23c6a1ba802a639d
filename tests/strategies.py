"""Hypothesis strategies for valid healthinfo models, shared by every test module.

Bounded (3 levels of nesting at most, a handful of items per level) and weighted
towards awkward text: markup characters, quotes, entities, emoji, right-to-left
script, very long words, template syntax. Generated inline runs are normalised as
the loader makes them (no two neighbouring Text nodes), so that a format that
round-trips (JSON, JATS) can give back an equal model.

    from tests.strategies import articles, books
    @given(articles())
    def test_x(article): ...
"""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

from hypothesis import strategies as st
from PIL import Image as PILImage
from pydantic import BaseModel

from healthinfo.schema import (
    Article,
    Book,
    Citation,
    Cite,
    CslDate,
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
    NoteKind,
    Paragraph,
    Publisher,
    Quote,
    RegionalPassage,
    Section,
    Span,
    Strong,
    Table,
    TableCell,
    TableRow,
    Term,
    Text,
)
from healthinfo.schema.article import Audience, HealthAspect
from healthinfo.schema.book import Profile
from healthinfo.schema.publisher import Person

__all__ = [
    "AWKWARD",
    "articles",
    "books",
    "citations",
    "glossary_entries",
    "images",
    "text",
]

#: Strings that break naive exporters.
AWKWARD = [
    "<script>alert('x')</script>",
    '"><img src=x onerror=alert(1)>',
    "javascript:alert(1)",
    "]]>",
    "&amp; &lt; &#x41; &nbsp;",
    "{{ config }} {% if x %}",
    "Tom & Jerry's \"quote\" 'single'",
    "Übelkeit, Müdigkeit – Straße",
    "😷💊🩺",
    "مرحبا بالعالم",
    "שלום",
    "Donaudampfschifffahrtsgesellschaftskapitänsmützenabzeichenhersteller" * 3,
    "a\u00a0b\u2009c",
    "* _ ` # [x](y) <b>",
    "\\ backslash \\n",
]

_plain = st.text(
    alphabet=st.characters(
        blacklist_categories=("Cs", "Cc", "Cn"),
        blacklist_characters="\ufffe\uffff",
    ),
    min_size=1,
    max_size=40,
)

#: Non-empty text without control characters: mostly words, often awkward.
text = st.one_of(
    st.sampled_from(AWKWARD),
    _plain,
    st.from_regex(r"[A-Za-z][a-z]{0,12}( [a-z]{1,10}){0,6}", fullmatch=True),
).filter(lambda s: s.strip() != "")

_ids = st.from_regex(r"[a-z][a-z0-9]{0,8}(-[a-z0-9]{1,5}){0,2}", fullmatch=True)
_keys = st.from_regex(r"[A-Za-z][A-Za-z0-9]{0,10}(20[0-2][0-9])?", fullmatch=True)


def _png(width: int, height: int, colour: tuple[int, int, int]) -> bytes:
    buffer = io.BytesIO()
    PILImage.new("RGB", (width, height), colour).save(buffer, format="PNG")
    return buffer.getvalue()


_PNGS = [(w, h, c, _png(w, h, c)) for w, h, c in [(4, 3, (200, 30, 30)), (2, 5, (10, 120, 200))]]


@st.composite
def images(draw: st.DrawFn) -> Image:
    width, height, _, data = draw(st.sampled_from(_PNGS))
    name = draw(_ids)
    return Image(path=f"images/{name}.png", media_type="image/png", width=width, height=height, data=data)


@st.composite
def names(draw: st.DrawFn) -> Name:
    if draw(st.booleans()):
        return Name(literal=draw(text))
    return Name(family=draw(text), given=draw(st.none() | st.from_regex(r"[A-Z]{1,3}", fullmatch=True)))


@st.composite
def citations(draw: st.DrawFn, key: str | None = None) -> Citation:
    kind = draw(st.sampled_from(["article-journal", "book", "chapter", "report", "webpage"]))
    values: dict[str, Any] = {
        "id": key or draw(_keys),
        "type": kind,
        "title": draw(text),
        "author": draw(st.lists(names(), max_size=3)),
        "issued": CslDate(date_parts=[[draw(st.integers(1950, 2030))]]),
    }
    if draw(st.booleans()):
        values["author_et_al"] = True
    if kind in ("article-journal", "chapter"):
        values["container_title"] = draw(text)
    if kind == "article-journal":
        values["volume"] = str(draw(st.integers(1, 500)))
        values["issue"] = draw(st.none() | st.integers(1, 12).map(str))
        first = draw(st.integers(1, 2000))
        values["page"] = draw(st.sampled_from([f"{first}-{first + 7}", f"e{first}", str(first)]))
        values["DOI"] = draw(st.none() | st.just(f"10.1000/{first}"))
        values["PMID"] = draw(st.none() | st.integers(1, 40_000_000).map(str))
    if kind in ("book", "chapter", "report"):
        values["publisher"] = draw(st.none() | text)
        values["publisher_place"] = draw(st.none() | text)
    if kind == "chapter":
        values["editor"] = draw(st.lists(names(), min_size=1, max_size=2))
    if kind in ("report", "webpage"):
        values["URL"] = draw(st.none() | st.just("https://example.org/report?id=1&x=2"))
        values["note"] = draw(st.none() | text)
    values["language"] = draw(st.none() | st.sampled_from(["en", "de", "pt-BR"]))
    return Citation(**values)


@st.composite
def glossary_entries(draw: st.DrawFn, key: str | None = None) -> GlossaryEntry:
    return GlossaryEntry(
        id=key or draw(_ids),
        term=draw(text),
        definition=draw(text),
        synonyms=draw(st.lists(text, max_size=2)),
    )


# Fixed glossary ids and source keys: every generated article carries all of them,
# so that the node strategies can be built once, at import time, and stay fast.
GLOSSARY_IDS = ["fatigue", "diagnosis", "nausea"]
SOURCE_KEYS = ["smith2020", "jones2019", "who2021"]


def _normalise(inlines: list[Any]) -> list[Any]:
    merged: list[Any] = []
    for node in inlines:
        if isinstance(node, Text) and merged and isinstance(merged[-1], Text):
            merged[-1] = Text(text=merged[-1].text + node.text)
        else:
            merged.append(node)
    return merged


def _make_inlines(depth: int) -> st.SearchStrategy[list[Any]]:
    options: list[st.SearchStrategy[Any]] = [
        text.map(lambda t: Text(text=t)),
        text.map(lambda t: Text(text=t)),
        st.just(LineBreak()),
        st.lists(st.sampled_from(SOURCE_KEYS), min_size=1, max_size=2, unique=True).map(lambda r: Cite(refs=r)),
    ]
    if depth < 3:
        children = _make_inlines(depth + 1)
        options += [
            children.map(lambda c: Emphasis(children=c)),
            children.map(lambda c: Strong(children=c)),
            st.builds(
                lambda c, href, title: Link(href=href, title=title, children=c),
                children,
                st.sampled_from(["https://example.org/a?b=1&c=2", "http://example.com/", "mailto:info@example.org"]),
                st.none() | text,
            ),
            st.builds(lambda c, lang: Span(lang=lang, children=c), children, st.sampled_from(["de", "ar", "he", "fr-CA"])),
            st.builds(lambda c, ref: Term(ref=ref, children=c), children, st.sampled_from(GLOSSARY_IDS)),
        ]
    return (
        st.lists(st.one_of(*options), min_size=1, max_size=4 if depth == 1 else 2)
        .map(_normalise)
        .filter(lambda xs: any(not isinstance(x, (Cite, LineBreak)) for x in xs))
    )


_INLINES = {depth: _make_inlines(depth) for depth in (1, 2, 3)}
_paragraphs = _INLINES[1].map(lambda c: Paragraph(children=c))
_captions = st.just([]) | _INLINES[2]


@st.composite
def _tables(draw: st.DrawFn) -> Table:
    width = draw(st.integers(1, 3))
    cell = st.builds(
        lambda c, align: TableCell(children=c, align=align),
        _captions,
        st.none() | st.sampled_from(["left", "center", "right"]),
    )
    row = st.lists(cell, min_size=width, max_size=width).map(lambda cs: TableRow(cells=cs))
    return Table(
        id="table",
        caption=draw(_captions),
        head=draw(st.lists(row, max_size=1)),
        body=draw(st.lists(row, min_size=1, max_size=3)),
    )


def _make_blocks(depth: int) -> st.SearchStrategy[Any]:
    figures = st.builds(
        lambda image, alt, caption, credit: Figure(id="figure", image=image, alt=alt, caption=caption, credit=credit),
        images(),
        text,
        _captions,
        st.none() | text,
    )
    choices: list[st.SearchStrategy[Any]] = [_paragraphs, _paragraphs, _paragraphs, figures, _tables()]
    if depth < 3:
        inner = _make_blocks(depth + 1)
        sub_blocks = st.lists(inner, min_size=1, max_size=2)
        choices += [
            st.builds(
                lambda items, ordered, start: List(ordered=ordered, start=start if ordered else None, items=items),
                st.lists(sub_blocks.map(lambda b: ListItem(blocks=b)), min_size=1, max_size=3),
                st.booleans(),
                st.none() | st.integers(0, 20),
            ),
            st.builds(
                lambda blocks, kind, region, title: Note(kind=kind, region=region, title=title, blocks=blocks),
                sub_blocks,
                st.sampled_from(list(NoteKind)),
                st.none() | st.sampled_from(["DE", "AT", "GB"]),
                st.none() | text,
            ),
            st.builds(
                lambda blocks, attribution: Quote(blocks=blocks, attribution=attribution),
                st.lists(_paragraphs, min_size=1, max_size=2),
                st.none() | text,
            ),
            st.builds(
                lambda blocks, title, ref: Include(ref=ref, title=title, blocks=blocks),
                st.lists(_paragraphs, min_size=1, max_size=2),
                st.none() | text,
                st.sampled_from(["about-us", "disclaimer"]),
            ),
            st.builds(_regional, sub_blocks, st.lists(st.sampled_from(["DE", "AT", "GB"]), min_size=1, max_size=2)),
        ]
    return st.one_of(*choices)


def _regional(blocks: list[Any], chosen: list[str]) -> RegionalPassage:
    """A regional passage for ``chosen`` and every country its notes and passages name
    (a passage cannot hold content for other countries)."""
    from healthinfo.editions import regions_named

    regions = list(dict.fromkeys([*chosen, *sorted(regions_named(blocks))]))
    return RegionalPassage(regions=tuple(regions), blocks=tuple(blocks))


_BLOCK = _make_blocks(1)
_block_lists = st.lists(_BLOCK, max_size=3)


def _make_sections(depth: int) -> st.SearchStrategy[list[Section]]:
    sub = _make_sections(depth + 1) if depth < 3 else st.just([])
    section = st.builds(
        lambda title, aspect, blocks, sections: Section(
            id="section", title=title, aspect=aspect, blocks=blocks, sections=sections
        ),
        _INLINES[2],
        st.none() | st.sampled_from(list(HealthAspect)),
        _block_lists,
        sub,
    )
    return st.lists(section, max_size=3 if depth == 1 else 2)


_SECTIONS = _make_sections(1)


def _renumber(node: Any, counter: list[int]) -> Any:
    """Give every section, figure and table a unique id, in document order."""
    if isinstance(node, (list, tuple)):
        # The models hold tuples (model_copy does not validate, so keep the type).
        return type(node)(_renumber(child, counter) for child in node)
    if isinstance(node, (Section, Figure, Table)):
        counter[0] += 1
        updates = {"id": f"{type(node).__name__.lower()}-{counter[0]}"}
    elif isinstance(node, BaseModel):
        updates = {}
    else:
        return node
    for name in ("blocks", "sections", "items"):
        value = getattr(node, name, None)
        if isinstance(value, tuple):
            updates[name] = _renumber(value, counter)
    return node.model_copy(update=updates) if updates else node


_publishers = st.builds(
    Publisher,
    id=_ids,
    name=text,
    short_name=st.none() | text,
    country=st.none() | st.sampled_from(["DE", "GB"]),
    url=st.none() | st.just("https://www.example.org"),
    email=st.none() | st.just("info@example.org"),
)

_dates = st.dates(min_value=dt.date(2000, 1, 1), max_value=dt.date(2030, 12, 31))


@st.composite
def articles(draw: st.DrawFn, article_id: str | None = None) -> Article:
    """A valid Article with every kind of node likely to appear."""
    glossary = {key: draw(glossary_entries(key)) for key in GLOSSARY_IDS}
    references = [draw(citations(key)) for key in SOURCE_KEYS]
    counter = [0]
    lead = _renumber(draw(_block_lists), counter)
    sections = _renumber(draw(_SECTIONS), counter)
    back = draw(
        st.lists(
            st.builds(
                lambda blocks, title, ref: Include(ref=ref, title=title, blocks=blocks),
                st.lists(_paragraphs, min_size=1, max_size=2),
                st.none() | text,
                st.sampled_from(["about-us", "disclaimer"]),
            ),
            max_size=1,
        )
    )
    return Article(
        id=article_id or draw(_ids),
        title=draw(text),
        topic=draw(st.none() | text),
        description=draw(st.none() | text),
        lang=draw(st.sampled_from(["en", "de", "en-GB", "ar"])),
        audience=draw(st.sampled_from(list(Audience))),
        authors=draw(st.lists(st.builds(Person, name=text, affiliation=st.none() | text), max_size=2)),
        reviewers=draw(st.lists(st.builds(Person, name=text), max_size=1)),
        publisher=draw(_publishers),
        published=draw(st.none() | _dates),
        updated=draw(_dates),
        next_update=draw(st.none() | st.integers(2024, 2035) | _dates),
        region=draw(st.none() | st.sampled_from(["DE", "GB"])),
        keywords=draw(st.lists(text, max_size=3)),
        url=draw(st.none() | st.just("https://www.example.org/article")),
        rights=draw(st.none() | text),
        license=draw(st.none() | st.just("https://creativecommons.org/licenses/by/4.0/")),
        blocks=lead,
        sections=sections,
        back=back,
        references=references,
        glossary=glossary,
    )


@st.composite
def books(draw: st.DrawFn) -> Book:
    """A valid Book of one to three generated articles."""
    count = draw(st.integers(1, 3))
    members = [draw(articles(article_id=f"article-{n}")) for n in range(1, count + 1)]
    return Book(
        id=draw(_ids),
        title=draw(text),
        subtitle=draw(st.none() | text),
        identifier=draw(
            st.sampled_from(
                ["urn:uuid:7a972f8a-56fa-5d1c-9d16-efbbcf856198", "urn:isbn:9783161484100", "978-3-16-148410-0"]
            )
        ),
        lang=draw(st.sampled_from(["en", "de"])),
        publisher=draw(_publishers),
        profile=draw(st.sampled_from(list(Profile))),
        description=draw(st.none() | text),
        date=draw(st.none() | _dates),
        rights=draw(st.none() | text),
        cover=draw(st.none() | images()),
        articles=members,
    )


# ------------------------------------------------------------------ corpora with reusable blocks

@st.composite
def block_corpora(draw: st.DrawFn) -> tuple[dict[str, str], dict[str, list[str]]]:
    """The files of a corpus (over tests/data/minimal) whose reusable blocks use terms
    and cite sources, and include one another (nested, never in a cycle: a block
    includes only blocks after it), and an article that includes some of them in its
    body and its back matter. Also, for each block, the terms and source keys it uses
    itself (``term:`` / ``cite:`` prefixed), in order."""
    count = draw(st.integers(1, 4))
    files: dict[str, str] = {
        "glossary.yaml": "".join(f"{key}:\n  term: {key.title()}\n  definition: About {key}.\n" for key in GLOSSARY_IDS),
        "references.yaml": "".join(f"- {{id: {key}, type: book, title: Book {key}}}\n" for key in SOURCE_KEYS),
    }
    uses: dict[str, list[str]] = {}
    for index in range(count):
        own = draw(st.lists(st.one_of(st.sampled_from([f"term:{k}" for k in GLOSSARY_IDS]),
                                      st.sampled_from([f"cite:{k}" for k in SOURCE_KEYS])), max_size=4))
        uses[f"b{index}"] = own
        text = "Block " + " ".join(f"{{{use.split(':')[0]}}}`{use.split(':')[1]}`" for use in own) + ".\n"
        later = draw(st.lists(st.integers(index + 1, count - 1), max_size=2, unique=True)) if index + 1 < count else []
        text += "".join(f"\n:::{{include}} b{other}\n:::\n" for other in later)
        files[f"blocks/b{index}.md"] = text
    body = draw(st.lists(st.integers(0, count - 1), max_size=3))
    back = draw(st.lists(st.integers(0, count - 1), max_size=2, unique=True))
    files["articles/sample.md"] = (
        "---\ntitle: T\nupdated: 2024-01-23\n" + (f"back: [{', '.join(f'b{i}' for i in back)}]\n" if back else "")
        + "---\nText.\n" + "".join(f"\n:::{{include}} b{i}\n:::\n" for i in body)
    )
    return files, uses
