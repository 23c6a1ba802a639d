"""The content model is immutable: its containers are tuples, not lists (issue 14).

A frozen model refuses ``article.blocks = ...``, but a list inside it could still be
appended to; tuples cannot. The maps (``Article.glossary`` and those of ``Corpus``)
stay dicts, a limitation docs/model.md states.
"""

from __future__ import annotations

import inspect
import types
import typing
from typing import Any

import pytest
from pydantic import BaseModel, ValidationError

import healthinfo
from healthinfo import schema
from healthinfo.schema import Article, Cite, CslDate, Paragraph, Section, Text
from healthinfo.schema._base import Node
from healthinfo.schema._errors import model_errors

from .conftest import CORPUS

ARTICLE = "metastatic-breast-cancer-treatment"

#: The fields that are maps, the one kind of container that stays mutable.
MAPS = {
    "Article.glossary",
    "Corpus.articles",
    "Corpus.blocks",
    "Corpus.glossary",
    "Corpus.references",
    "Corpus.books",
}


def _model_classes() -> list[type[BaseModel]]:
    """Every model class of healthinfo.schema (its public classes and the ones they use)."""
    found: dict[str, type[BaseModel]] = {}
    pending: list[type[Any]] = [Node]
    while pending:
        cls = pending.pop()
        pending.extend(cls.__subclasses__())
        if cls.__module__.startswith("healthinfo.schema.") and cls is not Node:
            found[cls.__name__] = cls
    return sorted(found.values(), key=lambda cls: cls.__name__)


MODEL_CLASSES = _model_classes()


def _containers(annotation: object) -> set[type]:
    """The container types (list, tuple, set, dict, …) anywhere in ``annotation``,
    without looking into other model classes (each is tested on its own)."""
    if inspect.isclass(annotation) and annotation in (list, tuple, set, frozenset, dict):
        return {annotation}  # a bare ``list``
    origin, arguments = typing.get_origin(annotation), typing.get_args(annotation)
    found: set[type] = set()
    if inspect.isclass(origin) and origin not in (types.UnionType,):
        found.add(origin)
    for argument in arguments:
        if argument is not Ellipsis and not isinstance(argument, (str, int, bool)):
            found |= _containers(argument)
    return found


def test_every_model_class_is_found() -> None:
    names = {cls.__name__ for cls in MODEL_CLASSES}
    exported = {name for name in schema.__all__ if isinstance(getattr(schema, name), type)}
    assert {name for name in exported if issubclass(getattr(schema, name), BaseModel)} <= names
    assert len(MODEL_CLASSES) >= 30


@pytest.mark.parametrize("cls", MODEL_CLASSES, ids=lambda cls: cls.__name__)
def test_no_field_is_a_list(cls: type[BaseModel]) -> None:
    for name, info in cls.model_fields.items():
        found = _containers(info.annotation)
        assert not found & {list, set}, f"{cls.__name__}.{name} is {info.annotation}: use tuple[X, ...]"
        if dict in found:
            assert f"{cls.__name__}.{name}" in MAPS, f"{cls.__name__}.{name} is a new map: say so in docs/model.md"


@pytest.fixture(scope="module")
def article() -> Article:
    return healthinfo.load_corpus(CORPUS).articles[ARTICLE]


def test_a_loaded_article_holds_tuples(article: Article) -> None:
    assert isinstance(article.blocks, tuple) and isinstance(article.sections, tuple)
    assert isinstance(article.references, tuple) and isinstance(article.back, tuple)
    section = article.sections[0]
    assert isinstance(section.title, tuple) and isinstance(section.blocks, tuple)
    citation = article.references[0]
    assert isinstance(citation.author, tuple)
    assert citation.issued is not None and isinstance(citation.issued.date_parts[0], tuple)


def test_a_loaded_article_cannot_be_appended_to(article: Article) -> None:
    before = article.model_dump_json()
    paragraph = Paragraph(children=[Text(text="Added later.")])
    with pytest.raises(AttributeError):
        article.blocks.append(paragraph)  # type: ignore[attr-defined]
    with pytest.raises(AttributeError):
        article.references.append(article.references[0])  # type: ignore[attr-defined]
    with pytest.raises(AttributeError):
        article.sections[0].blocks.append(paragraph)  # type: ignore[attr-defined]
    with pytest.raises(AttributeError):
        article.sections[0].title.clear()  # type: ignore[attr-defined]
    with pytest.raises(TypeError):
        article.sections[0].blocks[0] = paragraph  # type: ignore[index]
    # ``+=`` makes a new tuple and assigns it: the frozen model refuses the assignment.
    with pytest.raises(ValidationError, match="frozen"):
        article.blocks += (paragraph,)  # type: ignore[misc]
    with pytest.raises(ValidationError, match="frozen"):
        article.sections[0].sections += (article.sections[0],)  # type: ignore[misc]
    assert article.model_dump_json() == before


def test_a_book_and_a_citation_cannot_be_appended_to() -> None:
    corpus = healthinfo.load_corpus(CORPUS)
    book = corpus.books["metastatic-breast-cancer"]
    with pytest.raises(AttributeError):
        book.articles.append(book.articles[0])  # type: ignore[attr-defined]
    with pytest.raises(AttributeError):
        corpus.settings.publishers.append(corpus.settings.publishers[0])  # type: ignore[attr-defined]
    date = CslDate.model_validate({"date-parts": [[2014, 5]]})
    assert date.date_parts == ((2014, 5),)
    with pytest.raises(AttributeError):
        date.date_parts[0].append(2)  # type: ignore[attr-defined]


def test_lists_in_are_tuples_out() -> None:
    # Lax mode reads a list (YAML, JSON, Python) as a tuple; the JSON form is an array.
    paragraph = Paragraph(children=[Text(text="a "), Cite(refs=["x"])])
    assert isinstance(paragraph.children, tuple) and paragraph.children[1] == Cite(refs=("x",))
    assert paragraph.model_dump(mode="json")["children"][1] == {"type": "cite", "refs": ["x"]}
    assert Paragraph.model_validate_json(paragraph.model_dump_json()) == paragraph
    assert Section(id="s", title=[Text(text="T")]).blocks == ()


def test_a_changed_copy_is_made_with_tuples(article: Article) -> None:
    paragraph = Paragraph(children=[Text(text="Added later.")])
    changed = Article.model_validate({**dict(article), "blocks": [*article.blocks, paragraph]})
    assert changed.blocks == (*article.blocks, paragraph) and article.blocks[-1] != paragraph


@pytest.mark.parametrize(
    ("children", "expected"),
    [
        # One bad item of one: its own error only, not "too short" as well.
        ([{"type": "text", "text": ""}], ["children.0.text.text: String should have at least 1 character"]),
        # Really empty: reported in the words of the list the author wrote.
        ([], ["children: List should have at least 1 item after validation, not 0"]),
    ],
)
def test_errors_of_a_tuple_read_as_those_of_a_list(children: list[Any], expected: list[str]) -> None:
    with pytest.raises(ValidationError) as caught:
        Paragraph.model_validate({"children": children})
    assert [f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in model_errors(caught.value)] == expected
