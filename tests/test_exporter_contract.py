"""The contract every registered exporter keeps (STYLE.md habits 2, 4 and 10):

- it renders the shipped article and book, and hypothesis-generated articles that hold
  every node type, without an exception;
- every text of the model survives into the output (read back by an independent
  reader: the exporter's own ``read_text``, which reads the output with the format's
  structure and never imports the writer; a test checks that);
- exporting twice gives the same bytes;
- an unknown node type raises instead of being dropped.

Each format's own test module runs its real validator on the same inputs.
"""

from __future__ import annotations

import pytest
from hypothesis import given, settings

import healthinfo
from healthinfo.exporters import REGISTRY, get, render
from healthinfo.schema import BLOCK_TYPES, INLINE_TYPES, Article, Text, walk

from .conftest import CORPUS
from .strategies import articles

FORMATS = list(REGISTRY)


def collapse(text: str) -> str:
    return " ".join(text.split())


def texts_of(article: Article) -> list[str]:
    """Every Text node's text, plus the other strings a reader must be able to see."""
    found = [node.text for node in walk([article.blocks, article.sections, article.back]) if isinstance(node, Text)]
    found.append(article.title)
    found += [entry.definition for entry in article.glossary.values()]
    found += [c.title for c in article.references if c.title]
    return [t for t in (collapse(x) for x in found) if t]


def assert_text_survives(article: Article, format_name: str) -> None:
    output = collapse(get(format_name).read_text(render(article, format_name).data))
    missing = [t for t in texts_of(article) if t not in output]
    assert not missing, f"{format_name} lost text: {missing[:5]}"


def test_registry_is_consistent() -> None:
    assert healthinfo.formats() == FORMATS
    for name in FORMATS:
        exporter = get(name)
        assert isinstance(exporter, healthinfo.exporters.Exporter)
        assert exporter.name == name
        assert exporter.extension.startswith(".")
        assert exporter.media_type and exporter.summary
        assert issubclass(exporter.options, healthinfo.exporters.ExportOptions)
        assert exporter.options.model_config.get("frozen") is True
        for field_name, info in exporter.options.model_fields.items():
            assert info.description, f"{name} option {field_name} needs a description"


@pytest.mark.parametrize("format_name", FORMATS)
def test_shipped_article_keeps_every_text(format_name: str) -> None:
    corpus = healthinfo.load_corpus(CORPUS)
    assert_text_survives(corpus.articles["metastatic-breast-cancer-treatment"], format_name)


@pytest.mark.parametrize("format_name", FORMATS)
def test_deterministic(format_name: str) -> None:
    corpus = healthinfo.load_corpus(CORPUS)
    article = corpus.articles["metastatic-breast-cancer-treatment"]
    first, second = render(article, format_name), render(article, format_name)
    assert first.data == second.data and first.resources == second.resources


@pytest.mark.parametrize("format_name", FORMATS)
@settings(max_examples=25, deadline=None)
@given(article=articles())
def test_generated_articles_keep_every_text(format_name: str, article: Article) -> None:
    assert_text_survives(article, format_name)


def test_generated_articles_cover_every_node_type() -> None:
    """The strategy the contract relies on does produce every node type."""
    seen: set[type] = set()

    @settings(max_examples=60, deadline=None, derandomize=True)
    @given(article=articles())
    def collect(article: Article) -> None:
        seen.update(type(node) for node in walk(article))

    collect()
    assert set(BLOCK_TYPES) | set(INLINE_TYPES) <= seen


@pytest.mark.parametrize("format_name", FORMATS)
def test_unknown_node_type_raises(format_name: str) -> None:
    """A node type the exporter does not know must raise, not vanish."""
    from pydantic import BaseModel

    class Unknown(BaseModel):
        type: str = "unknown"

    corpus = healthinfo.load_corpus(CORPUS)
    article = corpus.articles["metastatic-breast-cancer-treatment"]
    section = article.sections[0]
    broken_section = section.model_construct(**{**dict(section), "blocks": [*section.blocks, Unknown()]})
    broken = article.model_construct(**{**dict(article), "sections": [broken_section, *article.sections[1:]]})
    with pytest.raises(Exception) as raised:
        render(broken, format_name)
    assert "unknown" in str(raised.value).lower() or "Unknown" in str(raised.value)


@pytest.mark.parametrize("format_name", FORMATS)
def test_injection_strings_come_out_as_text(format_name: str) -> None:
    """Markup, entities and template syntax in the content are text in every format."""
    from healthinfo.schema import Paragraph, Section

    from .strategies import AWKWARD

    corpus = healthinfo.load_corpus(CORPUS)
    article = corpus.articles["metastatic-breast-cancer-treatment"]
    hostile = Section(
        id="hostile",
        title=[Text(text="<h1>{{ title }}</h1>")],
        blocks=[Paragraph(children=[Text(text=s)]) for s in AWKWARD],
    )
    article = article.model_copy(update={"title": "<script>alert(1)</script> & {% raw %}", "sections": [*article.sections, hostile]})
    assert_text_survives(Article.model_validate(article.model_dump()), format_name)


@pytest.mark.parametrize("format_name", FORMATS)
def test_readers_do_not_use_the_writer(format_name: str) -> None:
    """The outline and text readers judge the output from outside: their module (and
    the reader modules it imports) import no writer code."""
    import ast
    import importlib

    exporter = get(format_name)
    module = importlib.import_module(exporter.read_outline.__module__)
    assert exporter.read_text.__module__ == module.__name__
    seen: set[str] = set()
    todo = [module.__name__]
    while todo:
        name = todo.pop()
        if name in seen:
            continue
        seen.add(name)
        source = importlib.import_module(name)
        tree = ast.parse(open(source.__file__ or "", encoding="utf-8").read())
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom):
                target = importlib.util.resolve_name("." * node.level + (node.module or ""), source.__package__ or "")
                assert not target.endswith(".writer"), f"{name} imports {target}"
                if target.startswith("healthinfo.exporters.") and target.endswith(".outline"):
                    todo.append(target)
