"""The consistency check against real damage: each kind of tampering, made in each
format's output of the shipped corpus and of generated articles, is reported with
its code and place; an untouched build reports nothing.

Each tamper edits the bytes of one output (of the members of a zip) and first checks
that the edit really happened, so a tamper that no longer applies fails instead of
passing unnoticed."""

from __future__ import annotations

import io
import json
import re
import shutil
import sys
import zipfile
from collections.abc import Callable
from pathlib import Path

import pikepdf
import pytest
from typer.testing import CliRunner

import healthinfo
from healthinfo.checks.consistency import CODES, CheckReport, check_outputs
from healthinfo.checks.reading import Unit, expected_reading
from healthinfo.cli import app

from .conftest import CORPUS, ROOT

ARTICLE = "metastatic-breast-cancer-treatment"
BOOK = "metastatic-breast-cancer"
FORMATS = healthinfo.formats()
#: The formats that hold the articles' text (not a metadata record such as ONIX, whose
#: readings compare metadata only): the tampers of the text apply to them.
TEXT_FORMATS = [f for f in FORMATS if healthinfo.exporters.get(f).holds_text]
#: The formats whose text these tests change by editing bytes (a file or a zip's XML
#: members). A PDF's text is in compressed content streams, drawn glyph by glyph:
#: its tampers are test_pdf_tampers below, on its structure tree.
BYTE_FORMATS = [f for f in TEXT_FORMATS if f != "pdf"]
EXTENSION = {name: healthinfo.exporters.get(name).extension for name in FORMATS}
TEXT_MEMBERS = (".xml", ".xhtml", ".opf", ".html", ".ncx")


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("built")
    report = healthinfo.build(CORPUS, out, jobs=1)
    assert report.ok
    return out


@pytest.fixture(scope="module")
def model() -> healthinfo.Corpus:
    return healthinfo.load_corpus(CORPUS)


@pytest.fixture
def out(built: Path, tmp_path: Path) -> Path:
    copy = tmp_path / "out"
    shutil.copytree(built, copy)
    return copy


def output(out: Path, format_name: str, document: str = ARTICLE, book: bool = False) -> Path:
    return out / format_name / ("books/" if book else "") / f"{document}{EXTENSION[format_name]}"


def edit(path: Path, change: Callable[[bytes], bytes]) -> None:
    """Apply ``change`` to the file, or to each text member of a zip; fail when it
    changed nothing."""
    data = path.read_bytes()
    if not zipfile.is_zipfile(io.BytesIO(data)):
        changed = change(data)
        assert changed != data, f"the tamper did not apply to {path.name}"
        path.write_bytes(changed)
        return
    buffer, applied = io.BytesIO(), False
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(buffer, "w") as target:
        for info in source.infolist():
            member = source.read(info)
            if info.filename.endswith(TEXT_MEMBERS):
                new = change(member)
                applied = applied or new != member
                member = new
            target.writestr(info, member)
    assert applied, f"the tamper did not apply to {path.name}"
    path.write_bytes(buffer.getvalue())


def replace(old: str, new: str, count: int = 1) -> Callable[[bytes], bytes]:
    return lambda data: data.replace(old.encode(), new.encode(), count)


def drop_element(tags: tuple[str, ...], needle: str) -> Callable[[bytes], bytes]:
    """Remove the innermost element named one of ``tags`` (as written, with a prefix)
    around the first occurrence of ``needle``."""

    def change(data: bytes) -> bytes:
        text = data.decode("utf-8")
        at = text.find(needle)
        if at < 0:
            return data
        starts = [m for tag in tags for m in re.finditer(rf"<{re.escape(tag)}[\s>]", text[:at])]
        if not starts:
            return data
        start = max(starts, key=lambda m: m.start())
        tag = start.group(0)[1:-1]
        end = text.index(f"</{tag}>", at) + len(f"</{tag}>")
        return (text[: start.start()] + text[end:]).encode("utf-8")

    return change


#: The element that holds one paragraph of text, per format.
PARAGRAPH = {"html": ("p",), "epub": ("p",), "jats": ("p",), "docx": ("w:p",)}


def codes(report: CheckReport, format_name: str) -> list[tuple[str, str]]:
    return [(d.code, d.where) for d in report.differences if d.format == format_name]


def check(out: Path, model: healthinfo.Corpus) -> CheckReport:
    return check_outputs(out, model)


# ---------------------------------------------------------------- untouched


def test_an_untouched_build_reports_nothing(built: Path, model: healthinfo.Corpus) -> None:
    report = check(built, model)
    assert report.ok, "\n".join(map(str, report.differences))
    articles = len(model.articles) + sum(len(b.articles) for b in model.books.values())
    book_formats = [f for f in FORMATS if healthinfo.exporters.get(f).accepts_books]
    assert len(report.checked) == len(FORMATS) * len(model.articles) + len(book_formats) * (articles - len(model.articles))
    without = check_outputs(built)  # formats compared with each other
    assert without.ok, "\n".join(map(str, without.differences))


# ---------------------------------------------------------------- the tampers


@pytest.mark.parametrize("format_name", BYTE_FORMATS)
def test_a_reversed_sentence_is_found(out: Path, model: healthinfo.Corpus, format_name: str) -> None:
    edit(output(out, format_name), replace("the aim of treatment is usually to remove all of the tumor",
                                           "the aim of treatment is usually to remove none of the tumor"))
    report = check(out, model)
    assert codes(report, format_name) == [("text:changed", "lead / block 4")], report.differences
    difference = report.differences[0]
    assert difference.file == f"{format_name}/{ARTICLE}{EXTENSION[format_name]}"
    assert "remove all of the tumor" in difference.expected and "remove none of the tumor" in difference.found
    assert "none of the tumor" in str(difference) and "[text:changed]" in str(difference)


@pytest.mark.parametrize("format_name", BYTE_FORMATS)
def test_a_deleted_paragraph_is_found(out: Path, model: healthinfo.Corpus, format_name: str) -> None:
    edit(output(out, format_name), drop_element(PARAGRAPH[format_name], "Depending on where they are growing"))
    report = check(out, model)
    assert codes(report, format_name) == [
        ("block:missing", 'section 1 "What are the treatment options?" / block 4')
    ], report.differences


@pytest.mark.parametrize("format_name", BYTE_FORMATS)
def test_the_deleted_germany_note_is_found(out: Path, model: healthinfo.Corpus, format_name: str) -> None:
    edit(output(out, format_name), drop_element(PARAGRAPH[format_name], "describes the situation in Germany"))
    report = check(out, model)
    found = [d for d in report.differences if d.format == format_name]
    assert [d.code for d in found] == ["block:missing"], found
    assert "situation in Germany" in found[0].expected


@pytest.mark.parametrize("format_name", BYTE_FORMATS)
def test_a_changed_reference_year_is_found(out: Path, model: healthinfo.Corpus, format_name: str) -> None:
    # The formatted entry, as the corpus's style (iqwig.csl) writes it; in JATS its mixed-citation.
    edit(output(out, format_name), replace("2014; 29(1)", "2015; 29(1)"))
    report = check(out, model)
    assert codes(report, format_name) == [("reference:changed", "source 1")], report.differences


def test_a_changed_year_in_the_structured_source_is_found(out: Path, model: healthinfo.Corpus) -> None:
    # JATS's element-citation beside the unchanged mixed-citation: what a partner's pipeline reads.
    edit(output(out, "jats"), replace('<year iso-8601-date="2014">2014</year>', '<year iso-8601-date="2015">2015</year>'))
    report = check(out, model)
    assert codes(report, "jats") == [("reference:changed", "source 1")], report.differences
    assert '"2015"' not in report.differences[0].expected and "2015" in report.differences[0].found


@pytest.mark.parametrize("format_name", BYTE_FORMATS)
def test_a_swapped_list_order_is_found(out: Path, model: healthinfo.Corpus, format_name: str) -> None:
    a, b = "Practices specialized in oncology", "Practice-based psychotherapists"
    edit(output(out, format_name), lambda data: data.replace(a.encode(), b"\0").replace(b.encode(), a.encode())
         .replace(b"\0", b.encode()))
    report = check(out, model)
    found = codes(report, format_name)
    assert found and {code for code, _ in found} == {"block:moved"}, report.differences


@pytest.mark.parametrize("format_name", BYTE_FORMATS)
def test_a_changed_figure_alt_text_is_found(out: Path, model: healthinfo.Corpus, format_name: str) -> None:
    edit(output(out, format_name), replace("Photo of a woman receiving", "Photo of a man receiving", count=-1))
    report = check(out, model)
    assert codes(report, format_name) == [("text:changed", "lead / block 1")], report.differences


@pytest.mark.parametrize("format_name", BYTE_FORMATS)
def test_a_changed_heading_is_found(out: Path, model: healthinfo.Corpus, format_name: str) -> None:
    # Only the heading itself: a table of contents or navigation document keeps its title.
    path = output(out, format_name)
    heading = "What is palliative care?"
    edit(path, lambda data: data.replace(f">{heading}<".encode(), b">What is hospice care?<", 1))
    report = check(out, model)
    found = codes(report, format_name)
    assert found and found[0][0] == "text:changed" and "section" in found[0][1], report.differences


@pytest.mark.parametrize("format_name", BYTE_FORMATS)
def test_a_dropped_glossary_entry_is_found(out: Path, model: healthinfo.Corpus, format_name: str) -> None:
    path = output(out, format_name)
    if format_name == "docx":  # the term's paragraph and the definition's
        edit(path, drop_element(("w:p",), "Severe physical and mental exhaustion"))
        edit(path, drop_element(("w:p",), "Fatigue (also: cancer-related fatigue)"))
    else:
        edit(path, drop_element(("def-item",) if format_name == "jats" else ("div",), ' id="gloss-fatigue"'))
    found = codes(check(out, model), format_name)
    assert ("glossary:missing", 'glossary "Fatigue"') in found, found
    assert {code for code, _ in found} <= {"glossary:missing", "glossary:links"}, found


@pytest.mark.parametrize("format_name", [f for f in BYTE_FORMATS if f != "html"])  # a page holds its images
def test_a_missing_image_is_found(out: Path, model: healthinfo.Corpus, format_name: str) -> None:
    path = output(out, format_name)
    if format_name == "jats":
        (out / "jats" / "images" / "infusion.png").unlink()
        expected = [("file:missing", "")]
    else:
        data = path.read_bytes()
        buffer = io.BytesIO()
        with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(buffer, "w") as target:
            images = [info for info in source.infolist() if info.filename.endswith(".png")]
            assert images
            for info in source.infolist():
                if info is not images[0]:
                    target.writestr(info, source.read(info))
        path.write_bytes(buffer.getvalue())
        expected = [("file:unreadable", "")]
    report = check(out, model)
    assert codes(report, format_name) == expected, report.differences
    assert "png" in report.differences[0].message


@pytest.mark.parametrize("format_name", [f for f in FORMATS if f != "pdf"])  # see BYTE_FORMATS
def test_a_changed_update_date_is_found(out: Path, model: healthinfo.Corpus, format_name: str) -> None:
    # DOCX shows the date only as words (its core properties' times are the build's);
    # ONIX writes YYYYMMDD.
    changes = {"docx": ("January 23, 2024", "January 23, 2025"), "onix": ("<Date>20240123<", "<Date>20250123<")}
    change = changes.get(format_name, ("2024-01-23", "2025-01-23"))
    edit(output(out, format_name), replace(*change, count=1))
    report = check(out, model)
    assert ("metadata:changed", "metadata updated") in codes(report, format_name), report.differences


# An ONIX record's language is a list 74 code, which cannot say a BCP 47 tag: its
# reading gives none, so it is not among these.
@pytest.mark.parametrize("format_name", [name for name in FORMATS if name not in ("onix", "pdf")])
def test_a_wrong_language_is_found(out: Path, model: healthinfo.Corpus, format_name: str) -> None:
    marks = {"html": ('<html lang="en"', '<html lang="fr"'), "epub": ("<dc:language>en<", "<dc:language>fr<"),
             "jats": ('xml:lang="en"', 'xml:lang="fr"'), "docx": ("<dc:language>en<", "<dc:language>fr<")}
    edit(output(out, format_name), replace(*marks[format_name]))
    report = check(out, model)
    assert ("metadata:changed", "metadata lang") in codes(report, format_name), report.differences


@pytest.mark.parametrize("format_name", FORMATS)
def test_a_deleted_output_is_found(out: Path, model: healthinfo.Corpus, format_name: str) -> None:
    output(out, format_name).unlink()
    report = check(out, model)
    assert codes(report, format_name) == [("file:missing", "")]
    assert report.differences[0].file == f"{format_name}/{ARTICLE}{EXTENSION[format_name]}"
    assert codes(check_outputs(out), format_name) == [("file:missing", "")]  # without the corpus too


@pytest.mark.parametrize("format_name", FORMATS)
def test_a_truncated_output_is_found(out: Path, model: healthinfo.Corpus, format_name: str) -> None:
    path = output(out, format_name)
    path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])
    found = codes(check(out, model), format_name)
    assert found, "a truncated file must not pass"
    if format_name != "html":  # an HTML parser reads what is there: the missing half is reported instead
        assert found == [("file:unreadable", "")]


@pytest.mark.parametrize("format_name", [f for f in FORMATS if healthinfo.exporters.get(f).accepts_books])
def test_deleted_and_garbled_books_are_found(out: Path, model: healthinfo.Corpus, format_name: str) -> None:
    output(out, format_name, BOOK, book=True).unlink()
    output(out, format_name, "metastatic-breast-cancer-brochure", book=True).write_bytes(b"PK\x03\x04garbled")
    report = check(out, model)
    assert sorted(codes(report, format_name)) == [("file:missing", ""), ("file:unreadable", "")]
    assert codes(check_outputs(out), format_name), "without the corpus, the book is still expected"


@pytest.mark.parametrize("format_name", [f for f in BYTE_FORMATS if healthinfo.exporters.get(f).accepts_books])
def test_a_changed_word_in_a_book_is_found(out: Path, model: healthinfo.Corpus, format_name: str) -> None:
    edit(output(out, format_name, BOOK, book=True), replace("the aim of treatment is usually to remove all",
                                                            "the aim of treatment is usually to remove some"))
    report = check(out, model)
    found = [d for d in report.differences if d.format == format_name]
    assert [(d.code, d.document) for d in found] == [("text:changed", f"{BOOK}/{ARTICLE}")], found
    assert found[0].file == f"{format_name}/books/{BOOK}{EXTENSION[format_name]}"


def test_without_the_corpus_formats_are_compared_with_each_other(out: Path) -> None:
    edit(output(out, "docx"), replace("remove all of the tumor", "remove none of the tumor"))
    report = check_outputs(out)
    assert [(d.format, d.code) for d in report.differences] == [("docx", "text:changed")], report.differences


# ---------------------------------------------------------------- generated articles


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, healthinfo.Corpus]:
    sys.path.insert(0, str(ROOT / "benchmarks"))
    try:
        from generate import generate  # type: ignore[import-not-found]
    finally:
        sys.path.pop(0)
    folder = tmp_path_factory.mktemp("generated")
    corpus = generate(folder / "input", 4)
    out = folder / "out"
    assert healthinfo.build(corpus, out, jobs=1).ok
    return out, healthinfo.load_corpus(corpus)


@pytest.mark.parametrize("format_name", BYTE_FORMATS)
def test_generated_articles_untouched_and_with_a_changed_word(
    generated: tuple[Path, healthinfo.Corpus], tmp_path: Path, format_name: str
) -> None:
    built_out, corpus = generated
    assert check_outputs(built_out, corpus).ok
    out = tmp_path / "out"
    shutil.copytree(built_out, out)
    for article_id, article in corpus.articles.items():
        path = output(out, format_name, article_id)
        _, unit, phrase = unique_phrase(expected_reading(article).units, texts(path))
        edit(path, replace(phrase, phrase.replace(" ", " not ", 1)))
        found = [d for d in check_outputs(out, corpus).differences if d.document == article_id and d.format == format_name]
        assert [d.code for d in found] == ["text:changed"], found
        assert found[0].expected == unit.text


def texts(path: Path) -> bytes:
    """The file's bytes, or its zip's text members' together."""
    data = path.read_bytes()
    if not zipfile.is_zipfile(io.BytesIO(data)):
        return data
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return b"\n".join(archive.read(n) for n in archive.namelist() if n.endswith(TEXT_MEMBERS))


def unique_phrase(units: tuple[Unit, ...], data: bytes) -> tuple[int, Unit, str]:
    """A paragraph from the second half of the article and eight of its words that
    occur once in the output."""
    for index, unit in list(enumerate(units))[len(units) // 2:]:
        words = unit.text.split()
        if unit.kind != "paragraph":
            continue
        for start in range(len(words) - 8):
            phrase = " ".join(words[start:start + 8])
            if data.count(phrase.encode()) == 1:
                return index, unit, phrase
    raise AssertionError("no phrase of a paragraph occurs once in the output")


# ---------------------------------------------------------------- the command


def test_cli_reports_and_exits_1(out: Path) -> None:
    edit(output(out, "jats"), replace("remove all of the tumor", "remove none of the tumor"))
    runner = CliRunner()
    result = runner.invoke(app, ["check-outputs", str(out), "--corpus", str(CORPUS)])
    assert result.exit_code == 1, result.output
    assert f"jats/{ARTICLE}.xml: lead / block 4: the paragraph's text differs [text:changed]" in result.stdout
    assert "difference" in result.stdout.splitlines()[-1]
    as_json = runner.invoke(app, ["check-outputs", str(out), "--corpus", str(CORPUS), "--json"])
    assert as_json.exit_code == 1
    data = json.loads(as_json.stdout)
    assert data["consistent"] is False and data["differences"][0]["code"] == "text:changed"
    assert all(d["code"] in CODES for d in data["differences"])


def test_cli_untouched_is_consistent(built: Path) -> None:
    result = CliRunner().invoke(app, ["check-outputs", str(built), "--corpus", str(CORPUS)])
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[-1].endswith(": consistent")


# ---------------------------------------------------------------- the PDF's structure tree


def _pdf_elements(pdf: pikepdf.Pdf, kind: str) -> list[pikepdf.Dictionary]:
    found: list[pikepdf.Dictionary] = []

    def visit(node: pikepdf.Object) -> None:
        if isinstance(node, pikepdf.Dictionary) and "/S" in node:
            if str(node.S) == kind:
                found.append(node)
            kids = node.get("/K")
            for kid in (list(kids) if isinstance(kids, pikepdf.Array) else [kids] if kids is not None else []):
                visit(kid)

    kids = pdf.Root.StructTreeRoot.K
    for kid in (list(kids) if isinstance(kids, pikepdf.Array) else [kids]):
        visit(kid)
    return found


def test_pdf_tampers(out: Path, model: healthinfo.Corpus) -> None:
    """A paragraph taken out of the PDF's structure tree, a changed language: both found."""
    path = output(out, "pdf")
    with pikepdf.open(path, allow_overwriting_input=True) as pdf:
        paragraph = _pdf_elements(pdf, "/P")[3]
        parent = paragraph.P
        parent.K = pikepdf.Array([kid for kid in parent.K if not (isinstance(kid, pikepdf.Dictionary) and kid.objgen == paragraph.objgen)])
        pdf.Root.Lang = pikepdf.String("fr")
        art = _pdf_elements(pdf, "/Art")[0]
        art.Lang = pikepdf.String("fr")
        pdf.save(path)
    found = codes(check(out, model), "pdf")
    assert ("block:missing", "") in [(code, "") for code, _ in found] or any(code.startswith("block:") for code, _ in found), found
    assert any(code == "metadata:changed" for code, _ in found), found
