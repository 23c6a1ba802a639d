"""The shipped corpus holds the seed article faithfully: every content sentence of
the seed, in order, and its 12 sources as structured CSL data that reproduces each
reference string of the seed."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from pydantic import BaseModel

import healthinfo
from healthinfo.schema import Citation, Name, Term, text_units, walk

from .conftest import CORPUS, shared_file

SEED = "seeds/000_ceb14af0c4808567.txt"
ARTICLE = "metastatic-breast-cancer-treatment"
CHROME_STARTS = "Comment on this page"


#: Typographic quotes as straight ones. The seed was typed with both kinds
#: ("“palliative care."") and the loader's typographer (docs/authoring.md, Typography)
#: writes the quotes of the article's language: the words must survive, the quote
#: characters may differ. (Its dashes are typed as en dashes already, as the seed has them.)
_STRAIGHT = str.maketrans({"\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"'})


def collapse(text: str) -> str:
    return " ".join(text.translate(_STRAIGHT).split())


def seed_parts() -> tuple[list[str], list[str], list[str]]:
    """The seed's content lines, reference lines and disclaimer lines (chrome dropped)."""
    lines = [collapse(line) for line in shared_file(SEED).read_text(encoding="utf-8").splitlines()]
    lines = [line for line in lines if line]
    lines = lines[: lines.index(CHROME_STARTS)]
    first_reference = next(i for i, line in enumerate(lines) if line.startswith("Danesh M,"))
    disclaimer = next(i for i, line in enumerate(lines) if line.startswith("IQWiG health information is written"))
    return lines[:first_reference], lines[first_reference:disclaimer], lines[disclaimer:]


@pytest.fixture(scope="module")
def corpus() -> healthinfo.Corpus:
    return healthinfo.load_corpus(CORPUS)


class _WithoutTerms:
    """Text units of a tree with the restored glossary terms taken out, as the seed
    lost them."""

    @staticmethod
    def units(node: object) -> list[str]:
        stripped = _strip_terms(node)
        return [collapse(unit) for unit in text_units(stripped)]


def _strip_terms(node: object) -> object:
    if isinstance(node, (list, tuple)):
        return type(node)(_strip_terms(child) for child in node if not isinstance(child, Term))
    if isinstance(node, BaseModel):
        updates = {name: _strip_terms(getattr(node, name)) for name in type(node).model_fields
                   if isinstance(getattr(node, name), (tuple, BaseModel))}
        return node.model_copy(update=updates)
    return node


def in_order(needles: list[str], haystack: list[str]) -> Iterator[str]:
    """Yield each needle that is not found in order in the haystack."""
    position = 0
    for needle in needles:
        try:
            position = haystack.index(needle, position) + 1
        except ValueError:
            yield needle


def test_every_content_sentence_in_order(corpus: healthinfo.Corpus) -> None:
    content, _, _ = seed_parts()
    article = corpus.articles[ARTICLE]
    units = _WithoutTerms.units(article)
    expected = [line.removeprefix("Note: ").removeprefix("• ") for line in content]
    missing = list(in_order(expected, units))
    assert not missing, "not found in order:\n" + "\n".join(missing)


def test_disclaimer_is_a_reusable_block_shown_after_the_article(corpus: healthinfo.Corpus) -> None:
    _, _, disclaimer = seed_parts()
    article = corpus.articles[ARTICLE]
    assert [include.ref for include in article.back] == ["about-our-health-information"]
    assert [collapse(u) for u in text_units(article.back[0].blocks)] == disclaimer
    assert corpus.blocks["about-our-health-information"].blocks == article.back[0].blocks


def test_restored_terms(corpus: healthinfo.Corpus) -> None:
    article = corpus.articles[ARTICLE]
    refs = [node.ref for node in walk(article.sections) if isinstance(node, Term)]
    assert sorted(refs) == ["diagnosis", "fatigue", "fatigue", "fatigue", "fatigue"]
    assert set(article.glossary) == {"fatigue", "diagnosis"}
    for entry in article.glossary.values():
        assert len(entry.definition.split()) >= 8


def test_structure(corpus: healthinfo.Corpus) -> None:
    article = corpus.articles[ARTICLE]
    content, _, _ = seed_parts()
    questions = [line for line in content if line.endswith("?") and len(line) < 60]
    assert [healthinfo.schema.inline_text(s.title) for s in article.sections] == questions
    assert len(article.sections) == 8
    assert article.title == "Treatment options and supportive care"
    assert article.topic == "Metastatic breast cancer"
    assert str(article.updated) == "2024-01-23" and article.next_update == 2027
    assert article.publisher.short_name == "IQWiG"
    notes = [n for n in walk(article) if getattr(n, "type", None) == "note"]
    assert len(notes) == 1 and notes[0].region == "DE"
    lists = [n for n in walk(article) if getattr(n, "type", None) == "list"]
    assert len(lists) == 1 and len(lists[0].items) == 4 and not lists[0].ordered
    figures = [n for n in walk(article) if getattr(n, "type", None) == "figure"]
    assert len(figures) == 1 and figures[0].alt == "Photo of a woman receiving an infusion (IV drip)"
    assert figures[0].image.media_type == "image/png"


def test_chrome_is_left_out(corpus: healthinfo.Corpus) -> None:
    text = collapse(" ".join(text_units(corpus.articles[ARTICLE])))
    for chrome in ("Comment on this page", "Über diese Seite", "Twitter", "newsletter", "Fields marked"):
        assert chrome not in text


# ------------------------------------------------------------------ the 12 sources


def _names(names: list[Name], et_al: bool) -> str:
    text = ", ".join(n.literal or f"{n.family} {n.given}" for n in names)
    return text + (" et al." if et_al else "")


def seed_style(c: Citation) -> str:
    """The seed's own reference style, rebuilt from the structured fields."""
    authors = _names(c.author, c.author_et_al)
    authors = authors if authors.endswith(".") else authors + "."
    year = c.issued.year if c.issued else ""
    title = c.title or ""
    title_end = "" if title.endswith(("?", ".")) else "."
    if c.type == "article-journal":
        issue = f"({c.issue})" if c.issue else ""
        return f"{authors} {title}{title_end} {c.container_title} {year}; {c.volume}{issue}: {c.page}."
    if c.type == "report":
        return f"{authors} {title}. {c.note}. {year}."
    if c.type == "chapter":
        editors = _names(c.editor, c.editor_et_al)
        pages = f" S. {c.page}." if c.page else ""
        return (
            f"{authors} {title}. In: {editors} (Ed). {c.container_title}. "
            f"{c.publisher_place}: {c.publisher}; {year}.{pages}"
        )
    raise AssertionError(f"unexpected type {c.type}")


def test_twelve_sources_match_the_seed_field_by_field(corpus: healthinfo.Corpus) -> None:
    _, references, _ = seed_parts()
    article = corpus.articles[ARTICLE]
    assert len(article.references) == 12
    assert [seed_style(c) for c in article.references] == references


def test_sources_are_structured(corpus: healthinfo.Corpus) -> None:
    refs = {c.id: c for c in corpus.articles[ARTICLE].references}
    danesh = refs["danesh2014"]
    assert [(n.family, n.given) for n in danesh.author] == [("Danesh", "M"), ("Belkora", "J"), ("Volz", "S")]
    assert danesh.author_et_al and (danesh.volume, danesh.issue, danesh.page) == ("29", "1", "175-180")
    chapters = [c for c in refs.values() if c.type == "chapter"]
    assert len(chapters) == 3 and all(c.editor and c.publisher and c.publisher_place for c in chapters)
    guidelines = [c for c in refs.values() if c.type == "report"]
    assert len(guidelines) == 3
    assert all(c.note and c.note.startswith("AWMF-Registernr.: ") for c in guidelines)
    assert all(n.literal for c in guidelines for n in c.author)
    for citation in refs.values():
        for name in [*citation.author, *citation.editor]:
            assert name.literal or (name.family and name.given and " " not in name.given)


