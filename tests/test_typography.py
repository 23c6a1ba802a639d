"""The typographer of the loader (healthinfo.loader._typography; docs/authoring.md,
Typography): cases as data (tests/data/typography.yaml), then what no case shows
alone: shown text outside the inline Markdown, code spans, reusable blocks in the
language of their corpus, the switch in healthinfo.yaml and its JSON Schema, and, for
the shipped corpus, that only quote and dash characters change."""

from __future__ import annotations

import difflib
import json
import shutil
from pathlib import Path
from typing import Any

import jsonschema  # type: ignore[import-untyped]  # no stubs shipped
import pytest
import yaml
from pydantic import TypeAdapter

from healthinfo import CorpusError, load_corpus
from healthinfo.exporters._i18n import quotes
from healthinfo.loader._markdown import make_parser
from healthinfo.loader._typography import Typography, finish
from healthinfo.schema import Block, CorpusSettings, Figure, Section, TypographySettings, inline_text, json_schema, text_units

from .conftest import CORPUS
from .model_fields import model_accepts
from .test_loader import DATA, corpus_with

CASES: list[dict[str, Any]] = yaml.safe_load((DATA / "typography.yaml").read_text(encoding="utf-8"))


def _front(lang: str = "en") -> str:
    return f"---\ntitle: T\nupdated: 2024-01-23\nlang: {lang}\n---\n"


def _settings(tmp: Path, typography: str | None) -> dict[str, str]:
    """healthinfo.yaml of the minimal corpus with ``typography:`` when given."""
    text = (DATA / "minimal" / "healthinfo.yaml").read_text(encoding="utf-8")
    return {"healthinfo.yaml": text + (f"typography: {typography}\n" if typography is not None else "")}


def _text(blocks: list[Any]) -> str:
    return " ".join(text_units(blocks))


@pytest.mark.parametrize("case", CASES, ids=[c["title"] for c in CASES])
def test_typography_case(case: dict[str, Any], tmp_path: Path) -> None:
    files = {**_settings(tmp_path, case.get("settings")), "articles/sample.md": _front(case.get("lang", "en")) + case["markdown"]}
    article = load_corpus(corpus_with(tmp_path, files)).articles["sample"]
    if "text" in case:
        assert _text([*article.blocks, *article.sections]) == case["text"]
        return
    tree = case["tree"]
    assert article.blocks == TypeAdapter(tuple[Block, ...]).validate_json(json.dumps(tree.get("blocks", [])))
    assert article.sections == TypeAdapter(tuple[Section, ...]).validate_json(json.dumps(tree.get("sections", [])))


def test_a_figures_alt_text_credit_and_caption(tmp_path: Path) -> None:
    body = (
        '![A "red" square](images/square.png "The square\'s caption")\n\n'
        ":::{figure} images/square.png\n:alt: A \"blue\" square\n:credit: Photo: Jane's -- studio\n:id: blue\n"
        "It's blue.\n:::\n"
    )
    files = {"articles/sample.md": _front() + body}
    figures = load_corpus(corpus_with(tmp_path, files)).articles["sample"].blocks
    assert all(isinstance(figure, Figure) for figure in figures)
    image, directive = figures
    assert isinstance(image, Figure) and isinstance(directive, Figure)
    assert (image.alt, inline_text(image.caption)) == ("A \u201cred\u201d square", "The square\u2019s caption")
    assert (directive.alt, directive.credit, inline_text(directive.caption), directive.id) == (
        "A \u201cblue\u201d square", "Photo: Jane\u2019s \u2013 studio", "It\u2019s blue.", "blue")


def test_code_spans_are_never_typeset() -> None:
    # The loader refuses code spans (with a message); the typographer leaves them be.
    tokens = make_parser().parse('A `"code" -- it\'s` and "text" -- it\'s.')
    finish(tokens, Typography(quotes=quotes("en"), dashes=True))
    children = tokens[1].children or []
    assert [(t.type, t.content) for t in children] == [
        ("text", "A "), ("code_inline", '"code" -- it\'s'), ("text", " and \u201ctext\u201d \u2013 it\u2019s.")]


def test_off_the_tokens_are_those_of_markdown_it() -> None:
    text = 'A \\"b\\" *c* "d" -- e\'s\n## F {#f}\n'
    tokens = make_parser().parse(text)
    finish(tokens, Typography())
    plain = make_parser()
    plain.core.ruler.enable("text_join")
    assert [t.as_dict() for t in tokens] == [t.as_dict() for t in plain.parse(text)]


# ------------------------------------------------------------ reusable blocks

BLOCK = '---\ntitle: "Über diesen Text"\n---\nDieser Text ersetzt nicht den "Rat" einer Ärztin.\n'


def test_a_reusable_block_in_a_german_corpus(tmp_path: Path) -> None:
    """A block without a language of its own is in the corpus's language, German here:
    German quotes, in an English article too; a block that says ``lang: en`` English
    ones."""
    settings = _settings(tmp_path, None)["healthinfo.yaml"].replace("lang: en", "lang: de")
    files = {
        "healthinfo.yaml": settings,
        "blocks/disclaimer.md": BLOCK,
        "blocks/english.md": '---\nlang: en\n---\nIt is "advice".\n',
        "articles/sample.md": "---\ntitle: T\nupdated: 2024-01-23\nlang: en\nback: [disclaimer]\n---\n"
        'An "English" article.\n\n:::{include} english\n:::\n',
    }
    corpus = load_corpus(corpus_with(tmp_path, files))
    assert _text(list(corpus.blocks["disclaimer"].blocks)) == "Dieser Text ersetzt nicht den \u201eRat\u201c einer Ärztin."
    assert _text(list(corpus.blocks["english"].blocks)) == "It is \u201cadvice\u201d."
    article = corpus.articles["sample"]
    assert _text(article.blocks) == "An \u201cEnglish\u201d article. It is \u201cadvice\u201d."
    assert _text(list(article.back[0].blocks)) == "Dieser Text ersetzt nicht den \u201eRat\u201c einer Ärztin."


# ------------------------------------------------------------ the switch

SWITCH_VALUES: list[Any] = [
    True, False, {}, {"quotes": False}, {"dashes": False}, {"quotes": True, "dashes": False},
    None, "off", "false", 0, 1, [], {"quotes": "no"}, {"quotes": 0}, {"smart": True},
]


@pytest.mark.parametrize("value", SWITCH_VALUES, ids=[repr(v) for v in SWITCH_VALUES])
def test_json_schema_and_loader_agree_on_the_switch(value: Any) -> None:
    schema = json_schema("corpus")
    field = schema["$defs"]["CorpusSettings"]["properties"]["typography"]
    by_schema = jsonschema.Draft202012Validator({"$defs": schema["$defs"], **field}).is_valid(value)
    assert by_schema == model_accepts(CorpusSettings, "typography", value)


def test_the_shorthand() -> None:
    assert TypographySettings.model_validate(False) == TypographySettings(quotes=False, dashes=False)
    assert TypographySettings.model_validate(True) == TypographySettings() == TypographySettings(quotes=True, dashes=True)


def test_a_wrong_switch_is_reported_at_its_line(tmp_path: Path) -> None:
    files = _settings(tmp_path, "off")
    with pytest.raises(CorpusError) as raised:
        load_corpus(corpus_with(tmp_path, files))
    (problem,) = [p for p in raised.value.problems if p.path.endswith("healthinfo.yaml")]
    assert problem.line == files["healthinfo.yaml"].count("\n") and "typography" in problem.message and "true or false" in problem.message


# ------------------------------------------------------------ the shipped corpus

_STRAIGHT = str.maketrans({"\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201c": '"', "\u201d": '"', "\u201e": '"'})
_CHANGED = set("'\"\u2018\u2019\u201a\u201c\u201d\u201e-\u2013\u2014")


def _straight(text: str) -> str:
    return text.translate(_STRAIGHT).replace("\u2014", "---").replace("\u2013", "--")


@pytest.fixture(scope="module")
def shipped(tmp_path_factory: pytest.TempPathFactory) -> tuple[Any, Any]:
    """The shipped corpus with its typography, and as typed."""
    folder = tmp_path_factory.mktemp("as-typed") / "corpus"
    shutil.copytree(CORPUS, folder)
    settings = folder / "healthinfo.yaml"
    settings.write_text(settings.read_text(encoding="utf-8") + "typography: false\n", encoding="utf-8")
    return load_corpus(CORPUS), load_corpus(folder)


def test_the_words_stay_the_same(shipped: tuple[Any, Any]) -> None:
    """Only quote, apostrophe and dash characters differ; mapped back to straight
    ones, the text is the text as typed."""
    typeset, as_typed = shipped
    assert set(typeset.articles) == set(as_typed.articles) and typeset.articles
    for article_id, article in typeset.articles.items():
        on, off = list(text_units(article)), list(text_units(as_typed.articles[article_id]))
        assert len(on) == len(off)
        for new, old in zip(on, off, strict=True):
            assert _straight(new) == _straight(old)
            matcher = difflib.SequenceMatcher(None, old, new, autojunk=False)
            for tag, i1, i2, j1, j2 in matcher.get_opcodes():
                if tag != "equal":
                    assert set(old[i1:i2]) | set(new[j1:j2]) <= _CHANGED, (old[i1:i2], new[j1:j2])


def test_the_shipped_article_has_one_style_of_quotes(shipped: tuple[Any, Any]) -> None:
    typeset, as_typed = shipped
    on = " ".join(text_units(typeset.articles["metastatic-breast-cancer-treatment"]))
    off = " ".join(text_units(as_typed.articles["metastatic-breast-cancer-treatment"]))
    assert "\u201cpalliative care.\u201d" in on and "\u201cpalliative care.\"" in off
    assert '"' not in on and "'" not in on
    assert "'" in off
