"""Building a corpus: layout, incremental rebuilds, the executor hook, failures that
leave other outputs intact, reproducibility, exit statuses."""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import Executor, Future, ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

import healthinfo
from healthinfo._build import MANIFEST, build
from healthinfo._build.manifest import CACHE
from healthinfo.cli import app

from . import fake_exporter

ARTICLE = "metastatic-breast-cancer-treatment"


def outputs(folder: Path) -> list[Path]:
    """The output files of a build folder: not its manifest, nor its cache (compiled
    templates, which a process that has them in memory does not write again)."""
    return sorted(
        p.relative_to(folder) for p in folder.rglob("*")
        if p.is_file() and p.name != MANIFEST and CACHE not in p.relative_to(folder).parts
    )


def test_layout_and_manifest(corpus: Path, tmp_path: Path) -> None:
    report = build(corpus, tmp_path / "out", ["jats"], jobs=1)
    assert report.ok and report.written == [tmp_path / "out" / "jats" / f"{ARTICLE}.xml"]
    assert (tmp_path / "out" / "jats" / "images" / "infusion.png").is_file()
    assert (tmp_path / "out" / MANIFEST).is_file()


def test_books_go_to_books_folder(corpus: Path, tmp_path: Path, fake: None) -> None:
    report = build(corpus, tmp_path / "out", ["fake"], jobs=1)
    names = sorted(p.relative_to(tmp_path / "out").as_posix() for p in report.written)
    assert names == [
        "fake/books/metastatic-breast-cancer-brochure.txt",
        "fake/books/metastatic-breast-cancer.txt",
        f"fake/{ARTICLE}.txt",
    ]


def test_incremental_rebuild(corpus: Path, tmp_path: Path, fake: None) -> None:
    out = tmp_path / "out"
    first = build(corpus, out, ["fake", "jats"], jobs=1)
    assert len(first.written) == 4 and not first.skipped
    again = build(corpus, out, ["fake", "jats"], jobs=1)
    assert not again.written and len(again.skipped) == 4
    # Editing the glossary changes the article (it carries its entries) and the books.
    glossary = corpus / "glossary.yaml"
    glossary.write_text(glossary.read_text(encoding="utf-8").replace("Severe physical", "Strong physical"), encoding="utf-8")
    changed = build(corpus, out, ["fake", "jats"], jobs=1)
    assert len(changed.written) == 4
    # An output deleted by hand is rebuilt; the others are not.
    (out / "jats" / f"{ARTICLE}.xml").unlink()
    partial = build(corpus, out, ["fake", "jats"], jobs=1)
    assert [p.name for p in partial.written] == [f"{ARTICLE}.xml"]
    assert len(build(corpus, out, ["fake", "jats"], jobs=1, force=True).written) == 4


def test_only(corpus: Path, tmp_path: Path, fake: None) -> None:
    report = build(corpus, tmp_path / "out", ["fake"], jobs=1, only=["metastatic-breast-cancer"])
    assert [p.name for p in report.written] == ["metastatic-breast-cancer.txt"]


def test_any_executor_can_run_the_build(corpus: Path, tmp_path: Path, fake: None) -> None:
    submitted: list[Any] = []

    class Counting(Executor):
        def __init__(self) -> None:
            self.inner = ThreadPoolExecutor(2)

        def submit(self, fn: Callable[..., Any], /, *args: Any, **kwargs: Any) -> Future[Any]:
            submitted.extend(target for _, target in args[0].targets)
            return self.inner.submit(fn, *args, **kwargs)

    report = build(corpus, tmp_path / "out", ["fake", "jats"], executor=Counting())
    assert report.ok and len(submitted) == 4 and len(report.written) == 4
    assert sorted(submitted) == sorted(p.relative_to(tmp_path / "out").as_posix() for p in report.written)


def test_process_pool(corpus: Path, tmp_path: Path) -> None:
    report = build(corpus, tmp_path / "out", ["jats"], jobs=2, force=True)
    assert report.ok and len(report.written) == 1


def test_a_failing_document_leaves_other_outputs_intact(corpus: Path, tmp_path: Path, fake: None) -> None:
    out = tmp_path / "out"
    build(corpus, out, ["fake"], jobs=1)
    before = (out / "fake" / f"{ARTICLE}.txt").read_bytes()
    fake_exporter.FAIL_ON.add(ARTICLE)
    report = build(corpus, out, ["fake"], jobs=1, force=True)
    assert [str(f) for f in report.failed] == [f"{ARTICLE} (fake): cannot export {ARTICLE}"]
    assert (out / "fake" / f"{ARTICLE}.txt").read_bytes() == before
    assert len(report.written) == 2
    assert not list(out.rglob("*.tmp"))


def test_reproducible_across_folders(corpus: Path, tmp_path: Path) -> None:
    one = build(corpus, tmp_path / "one", jobs=1, source_date_epoch=1700000000)
    two = build(corpus, tmp_path / "two", jobs=1, source_date_epoch=1700000000)
    files_one, files_two = outputs(tmp_path / "one"), outputs(tmp_path / "two")
    assert files_one == files_two and files_one
    for relative in files_one:
        assert (tmp_path / "one" / relative).read_bytes() == (tmp_path / "two" / relative).read_bytes(), relative
    assert one.ok and two.ok


def test_cli_build_exit_statuses(corpus: Path, tmp_path: Path, fake: None) -> None:
    runner = CliRunner()
    ok = runner.invoke(app, ["build", str(corpus), "-o", str(tmp_path / "out"), "-f", "fake", "-j", "1"])
    assert ok.exit_code == 0, ok.output
    assert "3 written, 0 unchanged, 0 failed" in ok.stdout
    fake_exporter.FAIL_ON.add(ARTICLE)
    failed = runner.invoke(app, ["build", str(corpus), "-o", str(tmp_path / "out"), "-f", "fake", "-j", "1", "--force"])
    assert failed.exit_code == 1 and f"failed: {ARTICLE} (fake)" in failed.stderr
    (corpus / "glossary.yaml").write_text("fatigue: [\n", encoding="utf-8")
    bad = runner.invoke(app, ["build", str(corpus), "-o", str(tmp_path / "out"), "-f", "fake"])
    assert bad.exit_code == 2 and "glossary.yaml:2: invalid YAML" in bad.stderr
    unknown = runner.invoke(app, ["build", str(corpus), "-o", str(tmp_path / "out"), "-f", "rtf"])
    assert unknown.exit_code == 2


def test_public_build() -> None:
    assert healthinfo.build is build


def test_rebuild_renders_only_what_a_change_touches(corpus: Path, tmp_path: Path, fake: None) -> None:
    out = tmp_path / "out"
    seed = (corpus / "articles" / f"{ARTICLE}.md").read_text(encoding="utf-8")
    (corpus / "articles" / "other.md").write_text(seed, encoding="utf-8")
    assert len(build(corpus, out, ["fake"], jobs=1).written) == 4

    def rebuilt() -> list[str]:
        return sorted(p.relative_to(out).as_posix() for p in build(corpus, out, ["fake"], jobs=1).written)

    (corpus / "articles" / "other.md").write_text(seed.replace("charlatans", "quacks"), encoding="utf-8")
    assert rebuilt() == ["fake/other.txt"]
    (corpus / "articles" / "third.md").write_text(seed, encoding="utf-8")
    assert rebuilt() == ["fake/third.txt"]
    block = corpus / "blocks" / "about-our-health-information.md"
    block.write_text(block.read_text(encoding="utf-8") + "\nOne more sentence.\n", encoding="utf-8")
    assert rebuilt() == [
        "fake/books/metastatic-breast-cancer-brochure.txt",
        "fake/books/metastatic-breast-cancer.txt",
        f"fake/{ARTICLE}.txt",
        "fake/other.txt",
        "fake/third.txt",
    ]
    (corpus / "images" / "cover.png").write_bytes((corpus / "images" / "infusion.png").read_bytes())
    assert rebuilt() == ["fake/books/metastatic-breast-cancer.txt"]
    assert rebuilt() == []


def test_a_problem_in_a_changed_article_is_reported(corpus: Path, tmp_path: Path, fake: None) -> None:
    """A document with a content problem is not built: the problem is reported with its
    file and line, the document's earlier outputs stay, the other documents build."""
    out = tmp_path / "out"
    seed = (corpus / "articles" / f"{ARTICLE}.md").read_text(encoding="utf-8")
    (corpus / "articles" / "other.md").write_text(seed, encoding="utf-8")
    build(corpus, out, ["fake"], jobs=1)
    before = (out / "fake" / f"{ARTICLE}.txt").read_bytes()
    article = corpus / "articles" / f"{ARTICLE}.md"
    article.write_text(seed.replace("{term}`diagnosis`", "{term}`diagnoses`"), encoding="utf-8")
    line = seed.split("{term}`diagnosis`")[0].count("\n") + 1
    for jobs in (1, 2):
        report = build(corpus, out, ["fake"], jobs=jobs, force=True)
        # The two books hold the article: they are not built either.
        assert sorted(f.document for f in report.failed) == [
            "metastatic-breast-cancer", "metastatic-breast-cancer-brochure", ARTICLE,
        ]
        assert {f.format for f in report.failed} == {"fake"}
        for failure in report.failed:
            (problem,) = failure.problems
            assert problem.path.endswith(f"articles/{ARTICLE}.md") and problem.line == line
            assert "the term 'diagnoses' is not in glossary.yaml" in problem.message
        assert (out / "fake" / f"{ARTICLE}.txt").read_bytes() == before
        assert [p.name for p in report.written] == ["other.txt"]
    runner = CliRunner()
    result = runner.invoke(app, ["build", str(corpus), "-o", str(out), "-f", "fake", "-j", "1"])
    assert result.exit_code == 2, result.output
    assert f"articles/{ARTICLE}.md:{line}: the term 'diagnoses' is not in glossary.yaml" in result.stderr


def test_a_problem_in_a_shared_file_stops_the_build_before_writing(corpus: Path, tmp_path: Path, fake: None) -> None:
    (corpus / "references.yaml").write_text("- id: [\n", encoding="utf-8")
    with pytest.raises(healthinfo.CorpusError, match=r"references\.yaml"):
        build(corpus, tmp_path / "out", ["fake"], jobs=1)
    assert not (tmp_path / "out").exists()


def test_withdrawn_documents_lose_their_outputs(corpus: Path, tmp_path: Path, fake: None) -> None:
    out = tmp_path / "out"
    seed = (corpus / "articles" / f"{ARTICLE}.md").read_text(encoding="utf-8")
    (corpus / "articles" / "other.md").write_text(seed, encoding="utf-8")
    build(corpus, out, ["fake"], jobs=1)
    (corpus / "articles" / "other.md").unlink()
    report = build(corpus, out, ["fake"], jobs=1)
    assert report.removed == [out / "fake" / "other.txt"] and not report.written
    assert not (out / "fake" / "other.txt").exists() and (out / "fake" / f"{ARTICLE}.txt").exists()


def test_outputs_are_readable_by_others(corpus: Path, tmp_path: Path) -> None:
    """Temporary files are private (0o600); outputs get the usual permissions."""
    import os
    import stat

    from healthinfo._build import write_atomic

    old = os.umask(0o022)
    try:
        target = tmp_path / "page.html"
        write_atomic(target, b"x")
        assert stat.S_IMODE(target.stat().st_mode) == 0o644
        target.chmod(0o640)
        write_atomic(target, b"y")
        assert stat.S_IMODE(target.stat().st_mode) == 0o640
    finally:
        os.umask(old)


def test_site_in_the_build(corpus: Path, tmp_path: Path) -> None:
    """The site is built piece by piece (a page per article in the workers, the index
    and glossary from the manifest's summaries), incrementally, and comes out the same
    as the site rendered from the whole corpus at once."""
    from healthinfo.exporters.html import Options as HtmlOptions
    from healthinfo.exporters.html import render_site

    out = tmp_path / "out"
    seed = (corpus / "articles" / f"{ARTICLE}.md").read_text(encoding="utf-8")
    (corpus / "articles" / "other.md").write_text(seed.replace("title: ", "title: Other ", 1), encoding="utf-8")

    def site_files() -> dict[str, bytes]:
        return {p.relative_to(out / "site").as_posix(): p.read_bytes() for p in sorted((out / "site").rglob("*")) if p.is_file()}

    report = build(corpus, out, ["jats"], jobs=2, site=True, source_date_epoch=1700000000)
    assert out / "site" / "articles" / f"{ARTICLE}.html" in report.written
    assert site_files() == render_site(healthinfo.load_corpus(corpus), HtmlOptions(source_date_epoch=1700000000))
    again = build(corpus, out, ["jats"], jobs=1, site=True, source_date_epoch=1700000000)
    assert not again.written  # nothing changed: the site is not rewritten

    # A change of the text: that article's page only (the index shows titles, not
    # text), and the search index, which holds the text.
    article = corpus / "articles" / f"{ARTICLE}.md"
    article.write_text(seed.replace("charlatans", "quacks"), encoding="utf-8")
    changed = build(corpus, out, ["jats"], jobs=1, site=True, source_date_epoch=1700000000)
    written = sorted(p.relative_to(out).as_posix() for p in changed.written)
    assert [name for name in written if not name.startswith("site/pagefind/")] == [
        f"jats/{ARTICLE}.xml", f"site/articles/{ARTICLE}.html",
    ]
    assert any(name.startswith("site/pagefind/fragment/") for name in written)
    assert b"quacks" in (out / "site" / "articles" / f"{ARTICLE}.html").read_bytes()

    # A new title is on the index; a withdrawn article leaves the site and the index.
    article.write_text(seed.replace("title: ", "title: Renamed ", 1), encoding="utf-8")
    renamed = build(corpus, out, ["jats"], jobs=1, site=True, source_date_epoch=1700000000)
    assert out / "site" / "index.html" in renamed.written and b"Renamed" in (out / "site" / "index.html").read_bytes()
    (corpus / "articles" / "other.md").unlink()
    withdrawn = build(corpus, out, ["jats"], jobs=1, site=True, source_date_epoch=1700000000)
    assert out / "site" / "articles" / "other.html" in withdrawn.removed
    assert site_files() == render_site(healthinfo.load_corpus(corpus), HtmlOptions(source_date_epoch=1700000000))


def test_site_by_default_with_html(corpus: Path, tmp_path: Path) -> None:
    build(corpus, tmp_path / "with", ["html"], jobs=1)
    assert (tmp_path / "with" / "site" / "index.html").is_file()
    build(corpus, tmp_path / "without", ["jats"], jobs=1)
    assert not (tmp_path / "without" / "site").exists()
    build(corpus, tmp_path / "no", ["html"], jobs=1, site=False)
    assert not (tmp_path / "no" / "site").exists()


def test_export_warnings_are_reported(corpus: Path, tmp_path: Path, fake: None) -> None:
    """A lossy mapping (ExportWarning) in a worker reaches the report and the CLI."""
    fake_exporter.WARN_ON.add(ARTICLE)
    report = build(corpus, tmp_path / "out", ["fake"], jobs=1)
    assert report.ok and [str(w) for w in report.warnings] == [f"{ARTICLE} (fake): fake:lossy: {ARTICLE} lost something"]
    result = CliRunner().invoke(app, ["build", str(corpus), "-o", str(tmp_path / "out"), "-f", "fake", "-j", "1", "--force"])
    assert result.exit_code == 0, result.output
    assert f"warning: {ARTICLE} (fake): fake:lossy: {ARTICLE} lost something" in result.stderr
    assert "1 warning in" in result.stdout


def test_a_loaded_corpus_builds_incrementally_too(corpus: Path, tmp_path: Path) -> None:
    """From a Corpus model (no folder to hash) the model's JSON decides; the site pages
    keep their summaries in the manifest and are skipped like the rest."""
    loaded = healthinfo.load_corpus(corpus)
    first = build(loaded, tmp_path / "out", ["html", "jats"], jobs=2)
    assert first.ok and (tmp_path / "out" / "site" / "index.html") in first.written
    again = build(loaded, tmp_path / "out", ["html", "jats"], jobs=1)
    assert again.ok and not again.written


def test_cli_export_prints_warnings_plainly(corpus: Path, tmp_path: Path, fake: None) -> None:
    fake_exporter.WARN_ON.add(ARTICLE)
    result = CliRunner().invoke(app, ["export", ARTICLE, "-f", "fake", "-o", str(tmp_path / "a.txt"), "--corpus", str(corpus)])
    assert result.exit_code == 0, result.output
    assert f"warning: fake:lossy: {ARTICLE} lost something" in result.stderr and "ExportWarning" not in result.stderr


def test_site_index_pages_are_made_again_only_when_what_they_show_changed(
    corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The site's index and glossary page show the articles' titles, topics, dates and
    terms: a change to an article's text alone does not make them again; a change to a
    title does."""
    from healthinfo.exporters import get_target
    from healthinfo.exporters.site import render_site

    out = tmp_path / "out"
    build(corpus, out, ["jats"], jobs=1, site=True)
    article = corpus / "articles" / f"{ARTICLE}.md"
    article.write_text(article.read_text(encoding="utf-8") + "\nOne more sentence.\n", encoding="utf-8")
    target = get_target("site")
    made: list[int] = []
    original = target.pages

    def counting(*arguments: Any) -> dict[str, bytes]:
        made.append(1)
        return original(*arguments)

    monkeypatch.setattr(type(target), "pages", property(lambda self: counting), raising=False)
    report = build(corpus, out, ["jats"], jobs=1, site=True)
    assert made == [] and out / "site" / "index.html" in report.skipped
    article.write_text(article.read_text(encoding="utf-8").replace("title: Treatment options", "title: Treatments", 1), encoding="utf-8")
    report = build(corpus, out, ["jats"], jobs=1, site=True)
    assert made == [1] and out / "site" / "index.html" in report.written
    expected = render_site(healthinfo.load_corpus(corpus), target.make_options())
    assert (out / "site" / "index.html").read_bytes() == expected["index.html"]
    report = build(corpus, out, ["jats"], jobs=1, site=True, force=True)  # --force: made and written again
    assert made == [1, 1] and {out / "site" / "index.html", out / "site" / "glossary.html"} <= set(report.written)
