"""The content model: JSON round trips, JSON Schema, strictness."""

from __future__ import annotations

import json

import pytest
from hypothesis import given, settings
from pydantic import ValidationError

import healthinfo
from healthinfo.schema import Article, Book, Corpus, Paragraph, Text, json_schema

from .conftest import CORPUS
from .strategies import articles, books


@given(articles())
def test_article_json_round_trip(article: Article) -> None:
    data = article.model_dump_json()
    assert Article.model_validate_json(data) == article
    assert json.loads(data)["schema_version"] == healthinfo.SCHEMA_VERSION


@settings(max_examples=15)
@given(books())
def test_book_json_round_trip(book: Book) -> None:
    assert Book.model_validate_json(book.model_dump_json()) == book


def test_corpus_json_round_trip() -> None:
    corpus = healthinfo.load_corpus(CORPUS)
    data = corpus.model_dump_json()
    again = Corpus.model_validate_json(data)
    assert again == corpus
    assert again.model_dump_json() == data


def test_json_uses_csl_names() -> None:
    corpus = healthinfo.load_corpus(CORPUS)
    item = json.loads(corpus.references["lueck2010"].model_dump_json(exclude_defaults=True))
    assert {"container-title", "publisher-place", "editor-et-al", "issued"} <= set(item)
    assert item["issued"] == {"date-parts": [[2010]]}


@pytest.mark.parametrize("model", ["article", "book", "corpus"])
def test_json_schema(model: str) -> None:
    schema = json_schema(model)  # type: ignore[arg-type]
    assert schema["$schema"].endswith("2020-12/schema")
    assert "schema_version" in schema["properties"]
    text = json.dumps(schema)
    assert '"container-title"' in text and '"date-parts"' in text


def test_unknown_schema_model() -> None:
    with pytest.raises(ValueError, match="unknown model"):
        json_schema("chapter")  # type: ignore[arg-type]


def test_newer_major_schema_version_is_refused() -> None:
    corpus = healthinfo.load_corpus(CORPUS)
    data = json.loads(corpus.articles["metastatic-breast-cancer-treatment"].model_dump_json())
    data["schema_version"] = "2.0"
    with pytest.raises(ValidationError, match=r"schema version 2\.0"):
        Article.model_validate(data)


def test_models_are_strict_and_frozen() -> None:
    with pytest.raises(ValidationError, match="Extra inputs"):
        Paragraph(children=[Text(text="x")], colour="red")  # type: ignore[call-arg]
    paragraph = Paragraph(children=[Text(text="x")])
    with pytest.raises(ValidationError):
        paragraph.children = []  # type: ignore[misc]
    with pytest.raises(ValidationError, match="control character"):
        Text(text="a\x00b")


def test_article_checks_its_references() -> None:
    corpus = healthinfo.load_corpus(CORPUS)
    article = corpus.articles["metastatic-breast-cancer-treatment"]
    data = json.loads(article.model_dump_json())
    data["glossary"].pop("fatigue")
    with pytest.raises(ValidationError, match="term 'fatigue' has no glossary entry"):
        Article.model_validate(data)


@pytest.mark.parametrize(
    ("tag", "ok"),
    [("en", True), ("de-DE", True), ("pt-BR", True), ("zh-Hant-TW", True), ("sr-Latn", True),
     ("english", False), ("en_US", False), ("e", False), ("", False), ("de-", False)],
)
def test_language_tags(tag: str, ok: bool) -> None:
    data = {"type": "span", "lang": tag, "children": [{"type": "text", "text": "x"}]}
    if ok:
        healthinfo.schema.Span.model_validate(data)
    else:
        with pytest.raises(ValidationError):
            healthinfo.schema.Span.model_validate(data)


@pytest.mark.parametrize(
    ("identifier", "ok"),
    [("urn:uuid:7a972f8a-56fa-5d1c-9d16-efbbcf856198", True), ("urn:isbn:9783161484100", True),
     ("978-3-16-148410-0", True), ("978-3-16-148410-1", False), ("urn:uuid:1234", False), ("my book", False)],
)
def test_book_identifiers(identifier: str, ok: bool) -> None:
    corpus = healthinfo.load_corpus(CORPUS)
    book = corpus.books["metastatic-breast-cancer"]
    data = json.loads(book.model_dump_json())
    data["identifier"] = identifier
    if ok:
        Book.model_validate(data)
    else:
        with pytest.raises(ValidationError):
            Book.model_validate(data)


def test_next_update_is_a_year_or_a_date() -> None:
    corpus = healthinfo.load_corpus(CORPUS)
    article = corpus.articles["metastatic-breast-cancer-treatment"]
    assert article.next_update == 2027
    data = json.loads(article.model_dump_json())
    data["next_update"] = "2027-03-01"
    assert str(Article.model_validate(data).next_update) == "2027-03-01"
    data["next_update"] = "soon"
    with pytest.raises(ValidationError):
        Article.model_validate(data)


def test_model_reference_is_up_to_date() -> None:
    import subprocess
    import sys

    from .conftest import ROOT

    result = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "gen-model-doc.py"), "--check"], capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
