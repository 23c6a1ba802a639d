"""Each broken corpus gives exit status 2, exactly its expected problem lines, and no
traceback (cases: tests/data/broken.yaml)."""

from __future__ import annotations

import datetime as dt
import shutil
import struct
import warnings
import zlib
from pathlib import Path
from typing import Any

import jsonschema  # type: ignore[import-untyped]  # no stubs shipped
import pytest
import yaml
from pydantic import TypeAdapter, ValidationError
from typer.testing import CliRunner

from healthinfo import CorpusError, CorpusWarning, load_corpus
from healthinfo.cli import app
from healthinfo.schema import Article, json_schema

from .model_fields import model_accepts

DATA = Path(__file__).parent / "data"
ALL_CASES: list[dict[str, Any]] = yaml.safe_load((DATA / "broken.yaml").read_text(encoding="utf-8"))
#: The corpora that must not load, and those that must (``loads``: what they hold).
CASES = [case for case in ALL_CASES if "loads" not in case]
LOADING = [case for case in ALL_CASES if "loads" in case]


def make_corpus(tmp_path: Path, case: dict[str, Any]) -> Path:
    corpus = tmp_path / "corpus"
    shutil.copytree(DATA / "minimal", corpus)
    for name, content in (case.get("files") or {}).items():
        target = corpus / name
        if content is None:
            target.unlink()
        else:
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(content, encoding="utf-8")
    for name, hexdata in (case.get("bytes") or {}).items():
        (corpus / name).write_bytes(bytes.fromhex(hexdata))
    for name, (width, height) in (case.get("png") or {}).items():
        (corpus / name).write_bytes(png_header(width, height))
    for name, content in (case.get("outside") or {}).items():
        (tmp_path / name).write_text(content, encoding="utf-8")
    for name, target in (case.get("symlinks") or {}).items():
        (corpus / name).symlink_to(target)
    return corpus


def png_header(width: int, height: int) -> bytes:
    """A PNG whose header claims ``width`` x ``height`` pixels, with no real image data
    (enough for any reader that looks at the size first)."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(b"\0")) + chunk(b"IEND", b"")


def test_there_are_enough_cases() -> None:
    assert len(CASES) >= 40


@pytest.mark.parametrize("case", CASES, ids=[c["title"] for c in CASES])
def test_broken_corpus_reports_every_problem(case: dict[str, Any], tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    corpus = make_corpus(tmp_path, case)
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(app, ["validate", "corpus"])
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output
    lines = result.stderr.strip().splitlines()
    assert lines[-1].endswith("nothing was written.")
    assert lines[:-1] == case["expected"]
    with pytest.raises(CorpusError) as raised:
        load_corpus("corpus")
    assert [str(p) for p in raised.value.problems] == case["expected"]
    del corpus


@pytest.mark.parametrize("case", LOADING, ids=[c["title"] for c in LOADING])
def test_corpus_case_loads(case: dict[str, Any], tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    make_corpus(tmp_path, case)
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(app, ["validate", "corpus", *case.get("options", [])])
    assert result.exit_code == 0, result.output
    assert [line.removeprefix("warning: ") for line in result.stderr.splitlines()] == case.get("warnings", [])
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        corpus = load_corpus("corpus", **case.get("library", {}))
    assert [str(w.message) for w in caught if issubclass(w.category, CorpusWarning)] == case.get("warnings", [])
    for article_id, expected in case["loads"].items():
        article = corpus.articles[article_id]
        assert list(article.glossary) == expected["glossary"]
        assert [c.id for c in article.references] == expected["references"]


#: Front matter fields that the Article's JSON Schema describes as the front matter has them.
SCHEMA_FIELDS = ("title", "topic", "description", "lang", "audience", "published", "updated", "next_update",
                 "region", "keywords", "url")


def _front_matter(case: dict[str, Any]) -> dict[str, Any] | None:
    text = (case.get("files") or {}).get("articles/sample.md")
    if not isinstance(text, str) or not text.startswith("---\n") or "\n---\n" not in text[3:]:
        return None
    try:
        data = yaml.safe_load(text[4:text.index("\n---\n", 3)])
    except (yaml.YAMLError, ValueError):
        return None
    return data if isinstance(data, dict) else None


FRONT_MATTERS = [(case["title"], data) for case in ALL_CASES if (data := _front_matter(case))]


@pytest.mark.parametrize(("title", "front_matter"), FRONT_MATTERS, ids=[t for t, _ in FRONT_MATTERS])
def test_json_schema_and_loader_agree(title: str, front_matter: dict[str, Any]) -> None:
    """Each field of the front matter is valid for the JSON Schema of the Article (its
    JSON form: a YAML date is an ISO text there) exactly when the model takes it."""
    schema = json_schema("article")
    for name in SCHEMA_FIELDS:
        if name not in front_matter:
            continue
        value = front_matter[name]
        as_json = value.isoformat() if isinstance(value, dt.date) else value
        validator = jsonschema.Draft202012Validator(
            {"$defs": schema.get("$defs", {}), **schema["properties"][name]}, format_checker=jsonschema.FormatChecker()
        )
        by_schema = validator.is_valid(as_json)
        assert by_schema == model_accepts(Article, name, value), (name, value)


@pytest.mark.parametrize("value", ["2027", "2027-03-01x", 1706000000, True])
def test_next_update_refused_by_both(value: object) -> None:
    schema = json_schema("article")
    validator = jsonschema.Draft202012Validator(schema["properties"]["next_update"], format_checker=jsonschema.FormatChecker())
    assert not validator.is_valid(value)
    with pytest.raises(ValidationError):
        annotation: Any = Article.model_fields["next_update"].annotation
        TypeAdapter(annotation).validate_python(value)


def test_minimal_corpus_is_valid() -> None:
    corpus = load_corpus(DATA / "minimal")
    assert list(corpus.articles) == ["sample"]
    assert corpus.articles["sample"].back[0].ref == "disclaimer"


def test_missing_folder(tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["validate", str(tmp_path / "nowhere")])
    assert result.exit_code == 2
    assert result.stderr.startswith(f"{tmp_path / 'nowhere'}: the corpus folder does not exist")
