"""The loader under hostile input: files that are not files, huge or deep input, odd
YAML types, duplicate ids, file names with control characters, wrong arguments.

Bad input must give problems ("file:line: what to fix", all at once, in one
CorpusError; exit status 2 from the CLI), never a traceback, a hang or silently
dropped content (docs/security.md, "Limits of the loader")."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import healthinfo
from healthinfo import CorpusError
from healthinfo.loader import _files

from .conftest import CORPUS, ROOT

ARTICLE = "metastatic-breast-cancer-treatment"
FRONT = "---\ntitle: Deep\nupdated: 2024-01-23\n---\n\n"


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    """A copy of the shipped corpus."""
    root = tmp_path / "corpus"
    shutil.copytree(CORPUS, root)
    return root


def problems(root: Path | str) -> list[str]:
    """The problems the loader reports, one string each; fails when it loads."""
    with pytest.raises(CorpusError) as caught:
        healthinfo.load_corpus(root)
    return [str(p) for p in caught.value.problems]


def cli(*arguments: str) -> subprocess.CompletedProcess[str]:
    """The command line as a user runs it; a hang fails the test."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.run(
        [sys.executable, "-m", "healthinfo", *arguments], capture_output=True, text=True, timeout=120, env=env
    )


def assert_refused(result: subprocess.CompletedProcess[str], *expected: str) -> None:
    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr
    for text in expected:
        assert text in result.stderr


def broken_article(corpus: Path) -> str:
    """Add a second article with a known problem; its message, to check that other
    files' problems still come out."""
    (corpus / "articles" / "other.md").write_text("---\ntitle: Other\n---\n\nText.\n", encoding="utf-8")
    return "other.md:2: updated: is missing"


# ---------------------------------------------------------------- only regular files
@pytest.mark.parametrize("folder", ["articles", "blocks"])
def test_a_fifo_is_reported_not_read(corpus: Path, folder: str) -> None:
    fifo = corpus / folder / "x.md"
    os.mkfifo(fifo)
    other = broken_article(corpus)
    found = problems(corpus)
    assert f"{fifo}: is not a regular file (a FIFO); only regular files are read: replace it with a file or remove it" in found
    assert any(other in p for p in found)
    assert_refused(cli("validate", str(corpus)), f"{fifo}: is not a regular file (a FIFO)", other)


def test_a_fifo_does_not_hang_a_build(corpus: Path, tmp_path: Path) -> None:
    os.mkfifo(corpus / "articles" / "x.md")
    result = cli("build", str(corpus), "-o", str(tmp_path / "out"))
    assert "Traceback" not in result.stderr
    assert "x.md: is not a regular file (a FIFO)" in result.stderr


@pytest.mark.parametrize("name", ["articles/x.md", "blocks/x.md", "books/x.yaml", "glossary.yaml", "references.json"])
def test_a_folder_in_place_of_a_file(corpus: Path, name: str) -> None:
    if (corpus / name).exists():
        (corpus / name).unlink()
    (corpus / name).mkdir()
    other = broken_article(corpus)
    found = problems(corpus)
    assert f"{corpus / name}: is not a regular file (a folder); only regular files are read: replace it with a file or remove it" in found
    assert any(other in p for p in found)


def test_a_folder_named_like_an_article_at_the_cli(corpus: Path) -> None:
    (corpus / "articles" / "x.md").mkdir()
    assert_refused(cli("validate", str(corpus)), "x.md: is not a regular file (a folder)")


def test_a_non_utf8_article_beside_others(corpus: Path) -> None:
    (corpus / "articles" / "latin.md").write_bytes(b"---\ntitle: \xfc\nupdated: 2024-01-23\n---\n\nText.\n")
    other = broken_article(corpus)
    assert_refused(cli("validate", str(corpus)), "latin.md:2: is not UTF-8 text (byte 0xFC)", other)


def test_a_character_device(corpus: Path) -> None:
    device = corpus / "articles" / "x.md"
    try:
        os.mknod(device, 0o600 | 0o020000, os.makedev(1, 3))  # S_IFCHR: /dev/null's numbers
    except (PermissionError, AttributeError):
        pytest.skip("cannot make a device here")
    assert f"{device}: is not a regular file (a character device); only regular files are read: replace it with a file or remove it" in problems(corpus)


@pytest.mark.parametrize("folder", ["articles", "blocks"])
def test_a_symlink_loop(corpus: Path, folder: str) -> None:
    loop = corpus / folder / "x.md"
    loop.symlink_to("x.md")
    other = broken_article(corpus)
    found = problems(corpus)
    assert f"{loop}: is a symbolic link that leads back to itself (a loop); replace it with the file it should name" in found
    assert any(other in p for p in found)
    assert_refused(cli("validate", str(corpus)), "x.md: is a symbolic link that leads back to itself")


def test_an_unreadable_file(corpus: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    article = corpus / "articles" / f"{ARTICLE}.md"
    if os.geteuid() != 0:
        article.chmod(0)
    else:  # root reads any file: make the read fail as it would for anyone else
        real = _files.read_regular_file

        def refuse(path: Path, limit: int) -> bytes:
            if Path(path) == article:
                raise PermissionError(13, "Permission denied")
            return real(path, limit)

        monkeypatch.setattr(_files, "read_regular_file", refuse)
    other = broken_article(corpus)
    try:
        found = problems(corpus)
    finally:
        article.chmod(0o644)
    assert f"{article}: cannot be read: Permission denied" in found
    assert any(other in p for p in found)


# ---------------------------------------------------------------- size before reading
@pytest.mark.parametrize("name", [f"articles/{ARTICLE}.md", "blocks/about-our-health-information.md",
                                  "glossary.yaml", "books/metastatic-breast-cancer.yaml"])
def test_a_huge_sparse_text_file_is_not_read(corpus: Path, name: str, monkeypatch: pytest.MonkeyPatch) -> None:
    with open(corpus / name, "wb") as file:
        file.truncate(10**9)
    read: list[int] = []
    real = os.read

    def counting_read(fd: int, size: int) -> bytes:
        read.append(size)
        return real(fd, size)

    monkeypatch.setattr(os, "read", counting_read)
    found = problems(corpus)
    assert f"{corpus / name}: the file is 1,000,000,000 bytes; files over 2,000,000 bytes are not read" in found
    assert all(size <= 10**8 for size in read)


def test_a_huge_sparse_image_is_not_read(corpus: Path) -> None:
    with open(corpus / "images" / "infusion.png", "wb") as file:
        file.truncate(10**9)
    found = problems(corpus)
    assert any("image 'images/infusion.png' is 1,000,000,000 bytes; the limit is 20,000,000" in p for p in found)


def test_a_fifo_image(corpus: Path) -> None:
    (corpus / "images" / "infusion.png").unlink()
    os.mkfifo(corpus / "images" / "infusion.png")
    found = problems(corpus)
    assert any("image 'images/infusion.png' is not a regular file (a FIFO); use a PNG or JPEG file" in p for p in found)


def test_read_regular_file_reads_at_most_the_limit(tmp_path: Path) -> None:
    small = tmp_path / "small.txt"
    small.write_bytes(b"12345")
    assert _files.read_regular_file(small, 5) == b"12345"
    with pytest.raises(_files.FileTooLarge):
        _files.read_regular_file(small, 4)


# ---------------------------------------------------------------- one id, one file
def test_a_book_with_two_files(corpus: Path) -> None:
    book = corpus / "books" / "metastatic-breast-cancer.yaml"
    shutil.copy(book, book.with_suffix(".yml"))
    names = f"{book} and {book.with_suffix('.yml')}"
    found = problems(corpus)
    message = f"the book id 'metastatic-breast-cancer' has two files, {names}; keep one"
    assert f"{book}: {message}" in found
    assert f"{book.with_suffix('.yml')}: {message}" in found
    assert_refused(cli("validate", str(corpus)), message)


def test_a_book_with_two_files_is_not_built(corpus: Path, tmp_path: Path) -> None:
    book = corpus / "books" / "metastatic-breast-cancer.yaml"
    shutil.copy(book, book.with_suffix(".yml"))
    with pytest.raises(CorpusError, match="has two files"):
        healthinfo.loader.DocumentReader(corpus)


# ---------------------------------------------------------------- file names that forge lines
def test_a_file_name_cannot_forge_problem_lines(corpus: Path) -> None:
    forged = corpus / "articles" / "forged.md\nforged.md:1: all good\x1b[2J\r.md"
    forged.write_text("Text.\n", encoding="utf-8")
    result = cli("validate", str(corpus))
    assert_refused(result)
    assert "\x1b" not in result.stderr and "\r" not in result.stderr
    lines = result.stderr.splitlines()
    assert not any(line.startswith("forged.md:1: all good") for line in lines)
    assert any("forged.md\\n" in line and "\\x1b[2J\\r.md" in line for line in lines)


def test_problem_escapes_controls() -> None:
    problem = healthinfo.Problem("a\nb\x1b\x9b\u202e.md", 3, "bad\rname")
    assert str(problem) == "a\\nb\\x1b\\x9b\\u202e.md:3: bad\\rname"


# ---------------------------------------------------------------- the library's arguments
@pytest.mark.parametrize("argument", [None, b"corpus", 3, 2.5, ["corpus"]])
def test_load_corpus_wrong_type(argument: object) -> None:
    with pytest.raises(TypeError, match="takes the corpus folder as a str or a path"):
        healthinfo.load_corpus(argument)  # type: ignore[arg-type]


def test_load_corpus_empty_path() -> None:
    assert problems("") == ["'': no corpus folder given (the path is empty)"]


def test_load_corpus_file_and_missing_folder(tmp_path: Path) -> None:
    file = tmp_path / "file.md"
    file.write_text("x", encoding="utf-8")
    assert problems(file) == [f"{file}: is not a folder; give the corpus folder (the one holding healthinfo.yaml)"]
    assert problems(tmp_path / "nothing") == [f"{tmp_path / 'nothing'}: the corpus folder does not exist"]
    with pytest.raises(CorpusError, match="is not a folder"):
        healthinfo.loader.DocumentReader(file)


# ---------------------------------------------------------------- YAML types and depth
@pytest.mark.parametrize(("value", "message"), [
    ("!!set {fatigue, pain}", "YAML sets (!!set) are not supported; write a list"),
    ("!!omap [{a: 1}]", "YAML ordered mappings (!!omap) are not supported; write a mapping"),
    ("!!pairs [{a: 1}]", "YAML pairs (!!pairs) are not supported; write a mapping"),
    ("!!binary aGVsbG8=", "binary data (!!binary) is not supported; write text"),
])
def test_yaml_types_that_are_not_plain_data(corpus: Path, value: str, message: str) -> None:
    article = corpus / "articles" / f"{ARTICLE}.md"
    text = article.read_text(encoding="utf-8")
    article.write_text(text.replace("keywords:\n", f"keywords: {value}\nx:\n", 1), encoding="utf-8")
    glossary = corpus / "glossary.yaml"
    glossary.write_text(glossary.read_text(encoding="utf-8") + f"extra: {value}\n", encoding="utf-8")
    found = problems(corpus)
    line = text.splitlines().index("keywords:") + 1
    assert f"{article}:{line}: {message}" in found
    assert any(p.startswith(f"{glossary}:") and p.endswith(message) for p in found)


def _nested_yaml(depth: int) -> str:
    return "".join("  " * level + "k:\n" for level in range(depth - 1)) + "  " * (depth - 1) + "k: 1\n"


def test_yaml_nested_too_deeply(corpus: Path) -> None:
    glossary = corpus / "glossary.yaml"
    glossary.write_text(glossary.read_text(encoding="utf-8") + "deep:\n" + _nested_yaml(900).replace("\n", "\n  ").rstrip() + "\n",
                        encoding="utf-8")
    found = problems(corpus)
    limit = healthinfo.loader._yaml.MAX_DATA_DEPTH
    assert any(p.startswith(f"{glossary}:") and p.endswith(
        f"the data is nested more than {limit} levels deep (mappings and lists inside each other); the limit is {limit}"
    ) for p in found), found


def test_yaml_at_the_depth_limit_loads() -> None:
    from healthinfo.loader._yaml import MAX_DATA_DEPTH, YamlProblem, load_yaml

    load_yaml(_nested_yaml(MAX_DATA_DEPTH))
    with pytest.raises(YamlProblem):
        load_yaml(_nested_yaml(MAX_DATA_DEPTH + 1))


@pytest.mark.parametrize("depth", [40, 100_000])
def test_json_nested_too_deeply(corpus: Path, depth: int) -> None:
    (corpus / "references.json").write_text("[\n" + "[" * depth + "]" * depth + "\n]\n", encoding="utf-8")
    found = problems(corpus)
    assert any(p.startswith(f"{corpus / 'references.json'}:2: the data is nested more than") for p in found), found
    assert_refused(cli("validate", str(corpus)), "references.json:2: the data is nested more than")


# ---------------------------------------------------------------- depth of the body
from healthinfo.loader._depth import BLOCK_TOO_DEEP, INLINE_TOO_DEEP, MAX_BLOCK_DEPTH, MAX_INLINE_DEPTH  # noqa: E402


def _inline(depth: int) -> str:
    """Emphasis and strong text inside a link, ``depth`` inside each other (links
    cannot hold links)."""
    opening, closing = "[e ", " f](https://example.org)"
    for level in range(depth - 1):
        if level % 2:
            opening, closing = opening + "**c ", " d**" + closing
        else:
            opening, closing = opening + "*a ", " b*" + closing
    return opening + "x" + closing


def _quotes(depth: int, text: str) -> str:
    return ">" * depth + " " + text + "\n"


def _list(depth: int, text: str) -> str:
    return "".join("  " * level + f"- item {level}\n" for level in range(depth - 1)) + "  " * (depth - 1) + f"- {text}\n"


def _notes(depth: int, text: str) -> str:
    # A blank line after each opening: lines starting with ':' there are options.
    opening = "".join(":" * (3 + depth - level) + "{note}\n\n" for level in range(depth))
    closing = "".join(":" * (3 + level + 1) + "\n" for level in range(depth))
    return opening + text + "\n" + closing


def _article(corpus: Path, body: str, name: str = "deep") -> Path:
    path = corpus / "articles" / f"{name}.md"
    path.write_text(FRONT + body, encoding="utf-8")
    return path


def test_an_article_at_every_depth_limit_renders_everywhere(corpus: Path) -> None:
    from healthinfo.exporters import REGISTRY, get_target, render

    deep_text = _inline(MAX_INLINE_DEPTH)
    (corpus / "blocks" / "deep-block.md").write_text(_quotes(MAX_BLOCK_DEPTH - 1, deep_text), encoding="utf-8")
    body = "\n".join([
        _quotes(MAX_BLOCK_DEPTH, deep_text),
        _list(MAX_BLOCK_DEPTH, deep_text),
        _notes(MAX_BLOCK_DEPTH, deep_text),
        "- " + "> " * (MAX_BLOCK_DEPTH - 1) + deep_text + "\n",
        ":::{include} deep-block\n:::\n",
        "| a |\n| --- |\n| " + deep_text + " |\n",
        "## Heading " + deep_text + "\n",
    ])
    _article(corpus, body)
    loaded = healthinfo.load_corpus(corpus)
    article = loaded.articles["deep"]
    from healthinfo.loader._depth import blocks_depth

    assert blocks_depth([*article.blocks, *(b for s in article.sections for b in s.blocks)]) == MAX_BLOCK_DEPTH
    for fmt in REGISTRY:
        assert render(article, fmt).data
    site = get_target("site")
    assert site.article(article, loaded.settings, site.make_options())


@pytest.mark.parametrize(("body", "line", "message"), [
    (_quotes(MAX_BLOCK_DEPTH + 1, "text"), 6, BLOCK_TOO_DEEP),
    (_quotes(25, "text"), 6, BLOCK_TOO_DEEP),
    (_quotes(5000, "text"), 6, BLOCK_TOO_DEEP),
    (_list(MAX_BLOCK_DEPTH + 1, "text"), 6 + MAX_BLOCK_DEPTH, BLOCK_TOO_DEEP),
    (_list(500, "text"), 6 + MAX_BLOCK_DEPTH, BLOCK_TOO_DEEP),
    (_notes(MAX_BLOCK_DEPTH + 1, "text"), 6 + 2 * MAX_BLOCK_DEPTH, BLOCK_TOO_DEEP),
    ("Text.\n\n" + _inline(MAX_INLINE_DEPTH + 1) + "\n", 8, INLINE_TOO_DEEP),
    ("Text.\n\n" + "*a " * 150 + "x" + " b*" * 150 + "\n", 8, INLINE_TOO_DEEP),
    ("Text.\n\nfirst line\n" + "*a " * 2000 + "x" + " b*" * 2000 + "\n", 9, INLINE_TOO_DEEP),
    ("| a |\n| --- |\n| " + _inline(MAX_INLINE_DEPTH + 1) + " |\n", 8, INLINE_TOO_DEEP),
])
def test_a_body_nested_too_deeply(corpus: Path, body: str, line: int, message: str) -> None:
    path = _article(corpus, body + "\nAfter.\n\n<b>raw</b>\n")
    found = problems(corpus)
    assert next(p for p in found if p.startswith(f"{path}:")) == f"{path}:{line}: {message}"
    # The rest of the file is read too, unless the input nests past markdown-it's own
    # limit, where markdown-it skips to the end of the list: the depth is reported.
    rest_read = body.count("\n") < 100
    assert rest_read == any(p.startswith(f"{path}:") and "raw HTML is not supported" in p for p in found)


def test_a_body_nested_too_deeply_at_the_cli(corpus: Path) -> None:
    _article(corpus, _quotes(25, "text") + "\n" + "*a " * 2000 + "x" + " b*" * 2000 + "\n")
    assert_refused(cli("validate", str(corpus)), f"deep.md:6: {BLOCK_TOO_DEEP}", f"deep.md:8: {INLINE_TOO_DEEP}")


def test_an_included_block_too_deep_for_where_it_is(corpus: Path) -> None:
    (corpus / "blocks" / "deep-block.md").write_text(_quotes(MAX_BLOCK_DEPTH - 1, "text"), encoding="utf-8")
    path = _article(corpus, "> :::{include} deep-block\n> :::\n")
    assert f"{path}:6: the block 'deep-block' included here: {BLOCK_TOO_DEEP}" in problems(corpus)


def test_blocks_included_in_a_long_chain(corpus: Path) -> None:
    for index in range(200):
        (corpus / "blocks" / f"chain-{index}.md").write_text(f"Text {index}.\n\n:::{{include}} chain-{index + 1}\n:::\n", encoding="utf-8")
    (corpus / "blocks" / "chain-200.md").write_text("End.\n", encoding="utf-8")
    found = problems(corpus)
    assert any(BLOCK_TOO_DEEP in p for p in found), found[:5]


# ---------------------------------------------------------------- image paths in the model
BAD_IMAGE_PATHS = [
    ("../../x.png", "leaves the corpus folder"),
    ("images/../../x.png", "leaves the corpus folder"),
    ("/etc/cron.d/evil", "must be relative to the corpus folder"),
    ("C:/images/x.png", "must be relative to the corpus folder"),
    ("images\\\\x.png", "contains a backslash"),
    ("images//x.png", "has an empty or '.' part"),
    ("images/x.png/", "has an empty or '.' part"),
    ("./x.png", "has an empty or '.' part"),
    ("images/x\\n.png", "contains a control character"),
    ("images/x\\u001b.png", "contains a control character"),
    ("images/x.jpg", "must end in .png for its image/png data"),
    ("images/x", "must end in .png for its image/png data"),
]


@pytest.mark.parametrize(("path", "message"), BAD_IMAGE_PATHS)
def test_the_model_refuses_image_paths_outside_the_corpus(path: str, message: str) -> None:
    import json

    from pydantic import ValidationError

    from healthinfo.schema import Article

    corpus = healthinfo.load_corpus(CORPUS)
    data = json.loads(corpus.articles[ARTICLE].model_dump_json())
    text = json.dumps(data).replace('"path": "images/infusion.png"', f'"path": "{path}"')
    assert text != json.dumps(data)
    with pytest.raises(ValidationError, match=message.replace(".", r"\.")):
        Article.model_validate_json(text)


def test_the_model_takes_image_paths_of_the_corpus() -> None:
    from healthinfo.schema import Image

    for path, media_type in [("images/x.png", "image/png"), ("x.PNG", "image/png"), ("a/b/c.jpeg", "image/jpeg"),
                             ("images/photo.JPG", "image/jpeg")]:
        assert Image(path=path, media_type=media_type, width=1, height=1, data=b"").path == path


@pytest.mark.parametrize("href", ["../../x.png", "/etc/cron.d/evil.png"])
def test_imported_jats_cannot_name_images_outside(href: str) -> None:
    from healthinfo.exporters import render
    from healthinfo.importers import JatsImportError, read_jats

    result = render(healthinfo.load_corpus(CORPUS).articles[ARTICLE], "jats")
    data = result.data.replace(b'xlink:href="images/infusion.png"', f'xlink:href="{href}"'.encode())
    resources = {href: result.resources["images/infusion.png"]}
    with pytest.raises(JatsImportError, match=r"leaves the corpus folder|must be relative to the corpus folder|an image path must be relative"):
        read_jats(data, resources)


def test_an_image_whose_name_does_not_fit_its_data(corpus: Path) -> None:
    shutil.copy(corpus / "images" / "infusion.png", corpus / "images" / "infusion.jpg")
    article = corpus / "articles" / f"{ARTICLE}.md"
    article.write_text(article.read_text(encoding="utf-8").replace("images/infusion.png", "images/infusion.jpg"),
                       encoding="utf-8")
    found = problems(corpus)
    assert any(p.endswith("image path 'images/infusion.jpg' must end in .png for its image/png data; rename the file")
               for p in found), found


# ---------------------------------------------------------------- time linear in size
def test_many_headings_of_the_same_text_get_numbered_ids(corpus: Path) -> None:
    """Ids are numbered as before, without trying every number again for each heading."""
    _article(corpus, "## Same\n\nA.\n\n## Same\n\nB.\n\n## Other {#same-3}\n\nC.\n\n## Same\n\nD.\n\n## Same\n\nE.\n")
    article = healthinfo.load_corpus(corpus).articles["deep"]
    assert [s.id for s in article.sections] == ["same", "same-2", "same-3", "same-4", "same-5"]


def test_a_paragraph_of_many_lines_and_terms_is_one_text_run(corpus: Path) -> None:
    _article(corpus, "word\n" * 5 + "{term}`fatigue` " * 3 + "\n")
    from healthinfo.schema import Paragraph, Text

    paragraph = healthinfo.load_corpus(corpus).articles["deep"].blocks[0]
    assert isinstance(paragraph, Paragraph) and isinstance(paragraph.children[0], Text)
    assert paragraph.children[0].text == "word word word word word "
    assert [child.type for child in paragraph.children] == ["text", "term", "text", "term", "text", "term"]


def test_an_empty_book_file_is_a_problem_not_a_silent_gap(tmp_path: Path) -> None:
    """An empty books/x.yaml was skipped without a word by validate, and made a build
    fail with a KeyError."""
    import healthinfo

    corpus = tmp_path / "corpus"
    shutil.copytree(CORPUS, corpus)
    (corpus / "books" / "metastatic-breast-cancer.yaml").write_text("", encoding="utf-8")
    with pytest.raises(CorpusError, match="the book file is empty"):
        healthinfo.load_corpus(corpus)
    report = healthinfo.build(corpus, tmp_path / "out", ["jats", "html"], jobs=1)
    assert [f.document for f in report.failed] == ["metastatic-breast-cancer"]
    assert "the book file is empty" in report.failed[0].message


def test_regional_passages_count_as_containers() -> None:
    """A passage is one container deeper, like a note: an included block cannot
    carry more nesting than the limit inside passages."""
    from healthinfo.loader._depth import blocks_depth
    from healthinfo.schema import Paragraph, RegionalPassage, Text

    block: object = Paragraph(children=(Text(text="x"),))
    for _ in range(3):
        block = RegionalPassage(regions=("DE",), blocks=(block,))
    assert blocks_depth([block]) == 3
