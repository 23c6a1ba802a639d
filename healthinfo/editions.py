"""Regional editions: an article or a book as readers in one country get it.

A corpus holds one text for every country; what applies only to some of them stands in
regional passages (``:::{region} DE``) and in notes with a region (``:region: DE``).
:func:`edition` leaves out what is scoped to other countries and says what it left out:

- ``edition:passage-left-out``: a passage for other countries, with no alternative
  for the edition's (passages that follow one another directly are alternatives);
- ``edition:note-left-out``: a note for another country;
- ``edition:section-empty``: a section that held only such content, left out whole;
- ``edition:article-left-out`` / ``edition:book-left-out``: an article whose
  ``region`` is another country (a book left without articles).

The passages the edition keeps stay marked ("Applies to: Germany"); the document
records its edition (``Article.edition``), and every format says it (docs/editions.md).
The glossary keeps the entries the remaining text uses; the sources stay whole (they
are the article's sources, cited or not).
"""

from __future__ import annotations

import itertools
import warnings
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, overload

from .schema import (
    Article,
    Book,
    Corpus,
    Include,
    List,
    ListItem,
    Note,
    Quote,
    RegionalPassage,
    Section,
    Term,
    inline_text,
    plain_text,
    walk,
)
from .schema._base import Node

__all__ = [
    "CODES",
    "EditionNotice",
    "EditionWarning",
    "corpus_edition",
    "edition",
    "edition_of",
    "is_country",
    "regions_named",
]

#: Every code an edition reports, with what it means (docs/editions.md lists them).
CODES = {
    "edition:passage-left-out": "a passage for other countries, without an alternative for this edition",
    "edition:note-left-out": "a note for another country",
    "edition:section-empty": "a section that held only content for other countries",
    "edition:article-left-out": "an article for another country",
    "edition:book-left-out": "a book none of whose articles is in this edition",
}


@dataclass(frozen=True)
class EditionNotice:
    """What an edition left out: a stable code and a plain sentence naming the article,
    the section and the first words of what went."""

    code: str
    message: str

    def __str__(self) -> str:
        return f"{self.code}: {self.message}"


class EditionWarning(UserWarning):
    """An :class:`EditionNotice` issued with :func:`warnings.warn` by :func:`edition`."""

    def __init__(self, notice: EditionNotice) -> None:
        super().__init__(str(notice))
        self.code = notice.code
        self.notice = notice


def _like(before: Sequence[Any], after: Iterable[Any]) -> Any:
    """``after`` in the container type of the field it replaces (a tuple for a tuple)."""
    return tuple(after) if isinstance(before, tuple) else list(after)


def _first_words(node: object, limit: int = 60) -> str:
    text = " ".join(plain_text(node).split())
    return "“" + (text if len(text) <= limit else text[: limit].rsplit(" ", 1)[0] + " …") + "”"


@dataclass
class _Cutter:
    """Leaves the content of other countries out of one article."""

    region: str
    article: str
    notices: list[EditionNotice] = field(default_factory=list)
    where: str = "the lead"

    def tell(self, code: str, message: str) -> None:
        self.notices.append(EditionNotice(code, f"{self.article}, {self.where}: {message}"))

    def blocks(self, blocks: Sequence[Any]) -> tuple[Any, ...]:
        kept: list[Any] = []
        # Passages one after another are alternatives of one passage.
        for regional, run in itertools.groupby(blocks, key=lambda block: isinstance(block, RegionalPassage)):
            if regional:
                kept += self.passages(list(run))
            else:
                kept += [cut for block in run if (cut := self.block(block)) is not None]
        return tuple(kept)

    def passages(self, run: list[RegionalPassage]) -> list[Any]:
        """A run of alternatives: those for the edition's country, or none (told)."""
        mine = [passage for passage in run if self.region in passage.regions]
        if not mine:
            for passage in run:
                self.tell("edition:passage-left-out", f"the passage for {' '.join(passage.regions)} "
                          f"{_first_words(passage)} is left out; it has no alternative for {self.region}")
        return [cut for passage in mine if (cut := self.container(passage, "blocks")) is not None]

    def block(self, block: Any) -> Any:
        if isinstance(block, Note) and block.region is not None and block.region != self.region:
            self.tell("edition:note-left-out", f"the note for {block.region} {_first_words(block)} is left out")
            return None
        if isinstance(block, (Note, Quote, Include)):
            return self.container(block, "blocks")
        if isinstance(block, List):
            items = [cut for item in block.items if (cut := self.container(item, "blocks")) is not None]
            return block.model_copy(update={"items": _like(block.items, items)}) if items else None
        return block

    def container(self, node: Note | Quote | Include | ListItem | RegionalPassage, name: str) -> Any:
        """``node`` with its blocks cut; None when none is left."""
        before = getattr(node, name)
        after = self.blocks(before)
        if not after:
            return None
        return node if list(after) == list(before) else node.model_copy(update={name: _like(before, after)})

    def sections(self, sections: Sequence[Section]) -> tuple[Section, ...]:
        kept = []
        for section in sections:
            self.where = f"section “{inline_text(section.title)}”"
            blocks = self.blocks(section.blocks)
            subsections = self.sections(section.sections)
            if not blocks and not subsections and (section.blocks or section.sections):  # emptied by the edition
                self.where = f"section “{inline_text(section.title)}”"
                self.tell("edition:section-empty", f"the section is left out: in the {self.region} edition it "
                          "has no content")
                continue
            kept.append(section.model_copy(update={"blocks": _like(section.blocks, blocks),
                                                   "sections": _like(section.sections, subsections)}))
        return tuple(kept)


def edition_of(document: Article | Book, region: str) -> tuple[Article | Book | None, list[EditionNotice]]:
    """``document`` as the ``region`` edition (ISO 3166-1 alpha-2) and what it left out;
    None when the document is not in that edition at all. Pure: nothing is warned."""
    if isinstance(document, Book):
        notices: list[EditionNotice] = []
        articles = []
        for article in document.articles:
            cut, told = _article_edition(article, region)
            notices += told
            if cut is not None:
                articles.append(cut)
        if not articles:
            notices.append(EditionNotice("edition:book-left-out", f"{document.id}: none of its articles is in the "
                                         f"{region} edition"))
            return None, notices
        return document.model_copy(update={"articles": _like(document.articles, articles), "edition": region}), notices
    return _article_edition(document, region)


def _article_edition(article: Article, region: str) -> tuple[Article | None, list[EditionNotice]]:
    if article.region is not None and article.region != region:
        return None, [EditionNotice("edition:article-left-out", f"{article.id}: the article is for "
                                    f"{article.region}, not {region}")]
    cutter = _Cutter(region, article.id)
    blocks = cutter.blocks(article.blocks)
    sections = cutter.sections(article.sections)
    cutter.where = "the back matter"
    back = cutter.blocks(article.back)
    used = {node.ref for node in walk([list(blocks), list(sections), list(back)]) if isinstance(node, Term)}
    glossary = {key: entry for key, entry in article.glossary.items() if key in used}
    cut = article.model_copy(update={
        "blocks": _like(article.blocks, blocks), "sections": _like(article.sections, sections),
        "back": _like(article.back, back), "glossary": glossary, "edition": region,
    })
    return cut, cutter.notices


def corpus_edition(corpus: Corpus, region: str) -> tuple[Corpus, list[EditionNotice]]:
    """Every article and book of ``corpus`` as the ``region`` edition (those not in it
    left out), and what was left out. Pure: nothing is warned."""
    notices: list[EditionNotice] = []
    articles: dict[str, Article] = {}
    books: dict[str, Book] = {}
    for key, article in corpus.articles.items():
        cut, told = _article_edition(article, region)
        notices += told
        if cut is not None:
            articles[key] = cut
    for key, book in corpus.books.items():
        made, told = edition_of(book, region)
        notices += told
        if isinstance(made, Book):
            books[key] = made
    # A book's articles are the corpus's: what they lose is said once.
    return corpus.model_copy(update={"articles": articles, "books": books}), list(dict.fromkeys(notices))


@overload
def edition(document: Article, region: str) -> Article | None: ...
@overload
def edition(document: Book, region: str) -> Book | None: ...
@overload
def edition(document: Corpus, region: str) -> Corpus: ...
def edition(document: Article | Book | Corpus, region: str) -> Article | Book | Corpus | None:
    """The ``region`` edition (ISO 3166-1 alpha-2, e.g. ``"AT"``) of an article, a book
    or a whole corpus (see the module's docs), each thing left out issued as an
    :class:`EditionWarning`; None when an article or book is not in that edition (a
    corpus's edition leaves such documents out). ValueError for a code ISO does not
    assign."""
    _check_region(region)
    cut: Article | Book | Corpus | None
    if isinstance(document, Corpus):
        cut, notices = corpus_edition(document, region)
    else:
        cut, notices = edition_of(document, region)
    for notice in notices:
        warnings.warn(EditionWarning(notice), stacklevel=2)
    return cut


def is_country(region: object) -> bool:
    """Whether ``region`` is an ISO 3166-1 alpha-2 code that ISO assigns ("AT", not "at" or "XX")."""
    import pycountry

    return isinstance(region, str) and len(region) == 2 and region.isupper() and pycountry.countries.get(alpha_2=region) is not None


def _check_region(region: str) -> None:
    if not is_country(region):
        raise ValueError(f"{region!r} is not a country code; use the two capital letters of ISO 3166-1, e.g. AT")


def regions_named(documents: Iterable[Node]) -> set[str]:
    """Every country a regional passage, a note or an article of ``documents`` names."""
    found: set[str] = set()
    for node in walk(list(documents)):
        if isinstance(node, RegionalPassage):
            found.update(node.regions)
        elif isinstance(node, (Note, Article)) and node.region is not None:
            found.add(node.region)
    return found
