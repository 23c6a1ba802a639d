"""The loader: Markdown cases with their expected trees (tests/data/markdown.yaml),
properties of reference checking, and fuzzing with arbitrary input."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pydantic import TypeAdapter

import healthinfo
from healthinfo import CorpusError, load_corpus
from healthinfo.schema import Block, Section

from .conftest import CORPUS, ROOT
from .strategies import block_corpora

DATA = Path(__file__).parent / "data"
CASES: list[dict[str, Any]] = yaml.safe_load((DATA / "markdown.yaml").read_text(encoding="utf-8"))
FRONT = "---\ntitle: T\nupdated: 2024-01-23\n---\n"


def corpus_with(tmp: Path, files: dict[str, str]) -> Path:
    root = tmp / "corpus"
    if root.exists():
        shutil.rmtree(root)
    shutil.copytree(DATA / "minimal", root)
    for name, text in files.items():
        (root / name).write_text(text, encoding="utf-8")
    return root


@pytest.mark.parametrize("case", CASES, ids=[c["title"] for c in CASES])
def test_markdown_case(case: dict[str, Any], tmp_path: Path) -> None:
    root = corpus_with(tmp_path, {"articles/sample.md": FRONT + case["markdown"]})
    article = load_corpus(root).articles["sample"]
    expected = case["tree"]
    assert article.blocks == TypeAdapter(tuple[Block, ...]).validate_json(json.dumps(expected.get("blocks", [])))
    assert article.sections == TypeAdapter(tuple[Section, ...]).validate_json(json.dumps(expected.get("sections", [])))


def test_shipped_corpus_loads() -> None:
    corpus = load_corpus(CORPUS)
    assert len(corpus.articles) == 1 and len(corpus.blocks) == 1 and len(corpus.books) == 2
    assert len(corpus.references) == 12
    assert corpus.books["metastatic-breast-cancer"].profile.value == "ebook"
    assert corpus.books["metastatic-breast-cancer-brochure"].profile.value == "brochure"
    assert corpus.books["metastatic-breast-cancer"].cover is not None


def test_loading_never_writes_to_the_corpus(tmp_path: Path) -> None:
    root = tmp_path / "corpus"
    shutil.copytree(CORPUS, root)
    before = {p: (p.stat().st_mtime_ns, p.read_bytes()) for p in root.rglob("*") if p.is_file()}
    load_corpus(root)
    after = {p: (p.stat().st_mtime_ns, p.read_bytes()) for p in root.rglob("*") if p.is_file()}
    assert before == after


# ------------------------------------------------------------------ reference properties

_unknown = st.from_regex(r"zz[a-z0-9]{1,8}", fullmatch=True)

BAD_REFERENCES = {
    "term": ("Some {term}`word <%s>` here.\n", "the term '%s' is not in glossary.yaml"),
    "cite": ("Some claim {cite}`%s`.\n", "the source '%s' is not in the references"),
    "include": (":::{include} %s\n:::\n", "there is no reusable block '%s' in blocks/"),
    "image": ("![A picture](images/%s.png)\n", "image 'images/%s.png' does not exist"),
    "link": ("A [link](ftp://%s.example).\n", "link target 'ftp://%s.example' is not allowed"),
}


@pytest.mark.parametrize("kind", list(BAD_REFERENCES))
@settings(max_examples=15, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(name=_unknown, blank_lines=st.integers(0, 5))
def test_loader_rejects_each_kind_of_bad_reference(kind: str, name: str, blank_lines: int, tmp_path: Path) -> None:
    body, message = BAD_REFERENCES[kind]
    text = FRONT + "Intro.\n\n" + "\n" * blank_lines + body % name
    root = corpus_with(tmp_path, {"articles/sample.md": text})
    with pytest.raises(CorpusError) as raised:
        load_corpus(root)
    problems = raised.value.problems
    assert len(problems) == 1
    assert problems[0].path.endswith("articles/sample.md")
    assert problems[0].line == 7 + blank_lines
    assert message % name in problems[0].message


@settings(max_examples=15, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(name=_unknown)
def test_loader_rejects_unknown_publisher(name: str, tmp_path: Path) -> None:
    root = corpus_with(tmp_path, {"articles/sample.md": f"---\ntitle: T\npublisher: {name}\nupdated: 2024-01-23\n---\nText.\n"})
    with pytest.raises(CorpusError, match=f"sample.md:3: the publisher '{name}' is not in healthinfo.yaml"):
        load_corpus(root)


# ------------------------------------------------------------------ fuzzing

_any_text = st.text(max_size=400)
_markdownish = st.lists(
    st.sampled_from(
        ["# ", "## ", "### ", "- ", "1. ", "> ", ":::{note}\n", ":::\n", ":::{include} x\n", "{term}`a`",
         "{cite}`b`", "{lang:de}`c`", "![x](images/square.png)", "[l](https://e.org)", "*", "**", "`",
         "<b>", "&amp;", "|a|b|\n|-|-|\n|1|2|\n", "\n", "\n\n", "text ", "{#id aspect=Overview}", "\x00", "\u202e"]
    ),
    max_size=40,
).map("".join)


@settings(max_examples=60, suppress_health_check=[HealthCheck.function_scoped_fixture], deadline=None)
@given(body=st.one_of(_any_text, _markdownish))
def test_any_article_body_loads_or_raises_corpus_error(body: str, tmp_path: Path) -> None:
    root = corpus_with(tmp_path, {"articles/sample.md": FRONT + body})
    try:
        corpus = load_corpus(root)
    except CorpusError as error:
        assert error.problems and all(p.message for p in error.problems)
    else:
        assert "sample" in corpus.articles


@settings(max_examples=60, suppress_health_check=[HealthCheck.function_scoped_fixture], deadline=None)
@given(text=st.one_of(_any_text, st.sampled_from(["a: [", "- &x a\n- *x", "!!python/object:os.system ls", "? [a]\n: b", "a: 1\na: 2"])))
def test_any_yaml_loads_or_raises_corpus_error(text: str, tmp_path: Path) -> None:
    root = corpus_with(tmp_path, {"glossary.yaml": text, "articles/sample.md": FRONT + "Text.\n"})
    try:
        load_corpus(root)
    except CorpusError as error:
        assert error.problems


def test_public_api() -> None:
    assert callable(healthinfo.load_corpus) and callable(healthinfo.export)
    assert isinstance(healthinfo.formats(), list)
    for name in healthinfo.__all__:
        assert hasattr(healthinfo, name)


def test_document_reader_gives_what_load_corpus_gives(tmp_path: Path) -> None:
    """Builds load document by document (DocumentReader); the documents must be the
    same as a whole-corpus load, and a document's problems are its own."""
    from healthinfo.loader import DocumentReader

    whole = load_corpus(CORPUS)
    reader = DocumentReader(CORPUS)
    assert sorted(reader.articles) == sorted(whole.articles) and sorted(reader.books) == sorted(whole.books)
    for article_id, article in whole.articles.items():
        assert reader.article(article_id) == article
    for book_id, book in whole.books.items():
        assert reader.book(book_id) == book
    assert reader.load(articles=list(whole.articles)).articles == whole.articles

    root = tmp_path / "corpus"
    shutil.copytree(CORPUS, root)
    seed = next((root / "articles").glob("*.md"))
    (root / "articles" / "broken.md").write_text(seed.read_text(encoding="utf-8").replace("{term}`", "{term}`x"), encoding="utf-8")
    reader = DocumentReader(root)
    assert reader.article(seed.stem) == whole.articles[seed.stem]
    with pytest.raises(CorpusError, match=r"broken\.md:\d+: the term 'x"):
        reader.article("broken")
    (root / "glossary.yaml").write_text("fatigue: [\n", encoding="utf-8")
    with pytest.raises(CorpusError, match=r"glossary\.yaml"):
        DocumentReader(root)


def test_unreadable_article_is_a_problem_even_without_blocks(tmp_path: Path) -> None:
    """An article that cannot be read, in a corpus where no other Markdown file was read
    before it, is reported as a problem (it once raised AttributeError)."""
    corpus = tmp_path / "corpus"
    shutil.copytree(ROOT / "tests" / "data" / "minimal", corpus)
    shutil.rmtree(corpus / "blocks")
    shutil.rmtree(corpus / "books")
    (corpus / "articles" / "sample.md").write_bytes(b"---\ntitle: \xff\n---\n")
    with pytest.raises(CorpusError) as raised:
        load_corpus(corpus)
    assert [p.message for p in raised.value.problems] == [
        "is not UTF-8 text (byte 0xFF); save the file with UTF-8 encoding"
    ]


def test_document_reader_reports_a_missing_article(tmp_path: Path) -> None:
    from healthinfo.loader import DocumentReader

    reader = DocumentReader(ROOT / "tests" / "data" / "minimal")
    with pytest.raises(CorpusError) as raised:
        reader.article("no-such-article")
    assert "cannot be read" in str(raised.value)


# ------------------------------------------------------------------ blocks carry their terms and sources

def _included(block_id: str, corpus: healthinfo.Corpus) -> set[str]:
    """The block and the blocks it includes, at any depth."""
    found = {block_id}
    for node in healthinfo.schema.walk(corpus.blocks[block_id].blocks):
        if isinstance(node, healthinfo.schema.Include):
            found |= _included(node.ref, corpus)
    return found


@settings(max_examples=30, suppress_health_check=[HealthCheck.function_scoped_fixture], deadline=None)
@given(case=block_corpora())
def test_terms_and_sources_of_included_blocks_belong_to_the_article(
    case: tuple[dict[str, str], dict[str, list[str]]], tmp_path: Path
) -> None:
    files, uses = case
    corpus = load_corpus(corpus_with(tmp_path, files))
    article = corpus.articles["sample"]
    included: set[str] = set()
    for node in healthinfo.schema.walk([article.blocks, article.back]):
        if isinstance(node, healthinfo.schema.Include):
            included |= _included(node.ref, corpus)
    used = [use for block in sorted(included) for use in uses[block]]
    terms = {use.split(":")[1] for use in used if use.startswith("term:")}
    cites = {use.split(":")[1] for use in used if use.startswith("cite:")}
    assert set(article.glossary) == terms
    assert {c.id for c in article.references} == cites
