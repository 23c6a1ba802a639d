"""The plan of a build, a pure step: from the manifest, the producers' keys and the
corpus files' hashes, what is due, what is skipped, what is removed. Nothing is
exported or read here."""

from __future__ import annotations

from typing import Any

import pytest

from healthinfo._build.plan import Due, Producer, make_plan
from healthinfo._build.sources import DocumentRef

A, B, BOOK = DocumentRef("a"), DocumentRef("b"), DocumentRef("brochure", book=True)
JATS = Producer("jats", "jats-key", books=False, extension=".xml")
EPUB = Producer("epub", "epub-key", books=True, extension=".epub")
SITE = Producer("site", "site-key", books=False)  # a corpus-level target: names its files itself
PRODUCERS = [JATS, EPUB, SITE]
HASHES = {"articles/a.md": "ha", "articles/b.md": "hb", "books/brochure.yaml": "hbook", "glossary.yaml": "hg"}


def entry(producer: Producer, ref: DocumentRef, files: list[str], **changes: Any) -> dict[str, Any]:
    inputs = {ref.file: HASHES[ref.file], "glossary.yaml": "hg"}
    return {"producer": producer.name, "document": ref.id, "book": ref.book, "key": producer.key,
            "inputs": inputs, "files": files, **changes}


def built() -> dict[str, Any]:
    """The manifest of a complete build of A, B and BOOK."""
    return {
        "jats/a.xml": entry(JATS, A, ["jats/a.xml"]),
        "jats/b.xml": entry(JATS, B, ["jats/b.xml"]),
        "epub/a.epub": entry(EPUB, A, ["epub/a.epub"]),
        "epub/b.epub": entry(EPUB, B, ["epub/b.epub"]),
        "epub/books/brochure.epub": entry(EPUB, BOOK, ["epub/books/brochure.epub"]),
        "site/a": entry(SITE, A, ["site/articles/a.html"], summary={"title": "A"}),
        "site/b": entry(SITE, B, ["site/articles/b.html"], summary={"title": "B"}),
        "site/index.html": {"producer": "site", "page": True},
    }


def on_disk(manifest: dict[str, Any]) -> set[str]:
    return {file for name, value in manifest.items() for file in value.get("files", [name])}


def plan(manifest: dict[str, Any], files: set[str] | None = None, hashes: dict[str, str] | None = None, **options: Any) -> Any:
    known = {**HASHES, **(hashes or {})}
    existing = on_disk(manifest) if files is None else files
    return make_plan([A, B, BOOK], PRODUCERS, manifest, lambda f: known.get(f, "missing"), existing.__contains__, **options)


def due(result: Any) -> dict[str, list[str]]:
    return {item.document.id: [name for _, name in item.outputs] for item in result.due}


def test_a_first_build_makes_everything_in_order() -> None:
    result = plan({})
    assert result.due == (
        Due(A, (("jats", "jats/a.xml"), ("epub", "epub/a.epub"), ("site", "site/a"))),
        Due(B, (("jats", "jats/b.xml"), ("epub", "epub/b.epub"), ("site", "site/b"))),
        Due(BOOK, (("epub", "epub/books/brochure.epub"),)),  # jats and the site take no books
    )
    assert result.skipped == () and result.removed == () and result.documents == 3


def test_nothing_changed_nothing_is_due() -> None:
    result = plan(built())
    assert result.due == ()
    assert sorted(result.skipped) == sorted(on_disk(built()) - {"site/index.html"})


def test_a_changed_file_makes_its_outputs_due() -> None:
    assert due(plan(built(), hashes={"articles/b.md": "changed"})) == {"b": ["jats/b.xml", "epub/b.epub", "site/b"]}
    # A shared file: every output that recorded it.
    assert len(plan(built(), hashes={"glossary.yaml": "changed"}).due) == 3


def test_a_changed_key_makes_that_producers_outputs_due() -> None:
    manifest = built()
    for name in ("epub/a.epub", "epub/b.epub", "epub/books/brochure.epub"):
        manifest[name]["key"] = "an older epub exporter"
    assert due(plan(manifest)) == {"a": ["epub/a.epub"], "b": ["epub/b.epub"], "brochure": ["epub/books/brochure.epub"]}


def test_a_missing_output_file_is_due() -> None:
    files = on_disk(built()) - {"site/articles/b.html"}
    assert due(plan(built(), files=files)) == {"b": ["site/b"]}


@pytest.mark.parametrize("broken", [{"inputs": {}}, {"inputs": None}, {"files": []}, {"key": None}])
def test_an_entry_that_proves_nothing_is_due(broken: dict[str, Any]) -> None:
    manifest = built()
    manifest["jats/a.xml"].update(broken)
    assert due(plan(manifest)) == {"a": ["jats/a.xml"]}


def test_force_and_only() -> None:
    assert len(plan(built(), force=True).due) == 3
    result = plan(built(), only={"brochure"}, force=True)
    assert due(result) == {"brochure": ["epub/books/brochure.epub"]} and result.documents == 1


def test_withdrawn_documents_outputs_are_removed() -> None:
    manifest = built()
    manifest["jats/gone.xml"] = entry(JATS, A, ["jats/gone.xml"], document="gone")
    manifest["site/gone"] = entry(SITE, A, ["site/articles/gone.html"], document="gone")
    manifest["docx/gone.docx"] = {**entry(JATS, A, ["docx/gone.docx"], document="gone"), "producer": "docx"}
    # A book and an article may share an id: only the book is gone here.
    manifest["epub/books/a.epub"] = entry(EPUB, A, ["epub/books/a.epub"], book=True)
    result = plan(manifest)
    # docx is not built now: its outputs stay until a build of docx removes them.
    assert result.removed == ("epub/books/a.epub", "jats/gone.xml", "site/gone")
    assert result.due == ()


def test_the_manifest_writes_each_input_set_once_and_reads_it_back_shared(tmp_path: Any) -> None:
    """Layout 3: the outputs of one document made together share one input set, written
    once; read back, their entries share one dict again, and the plan is the same."""
    import json

    from healthinfo._build.manifest import read_manifest, write_manifest

    manifest = built()
    for ref in (A, B):  # as the build records a job: one dict for all its outputs
        shared = {ref.file: HASHES[ref.file], "glossary.yaml": "hg"}
        for value in manifest.values():
            if value.get("document") == ref.id and not value.get("book"):
                value["inputs"] = shared
    path = tmp_path / "manifest.json"
    write_manifest(path, manifest)
    data = json.loads(path.read_text())
    assert data["layout"] == 3
    assert len(data["inputs"]) == 3  # A's, B's and the book's (its own dict, equal to none other)
    assert all(isinstance(value.get("inputs", ""), str) for value in data["outputs"].values())
    back = read_manifest(path)
    assert back == manifest
    assert back["jats/a.xml"]["inputs"] is back["epub/a.epub"]["inputs"] is back["site/a"]["inputs"]
    assert due(plan(back)) == {} and due(plan(back, hashes={"articles/a.md": "new"})) == {
        "a": ["jats/a.xml", "epub/a.epub", "site/a"]}


@pytest.mark.parametrize("named", ["no-such-set", 7, None])
def test_an_output_naming_an_unknown_input_set_is_due(tmp_path: Any, named: Any) -> None:
    import json

    from healthinfo._build.manifest import read_manifest, write_manifest

    path = tmp_path / "manifest.json"
    write_manifest(path, built())
    data = json.loads(path.read_text())
    data["outputs"]["jats/a.xml"]["inputs"] = named
    path.write_text(json.dumps(data))
    assert due(plan(read_manifest(path))) == {"a": ["jats/a.xml"]}


def test_a_manifest_of_the_last_layout_is_not_read(tmp_path: Any) -> None:
    import json

    from healthinfo._build.manifest import read_manifest

    path = tmp_path / "manifest.json"
    path.write_text(json.dumps({"healthinfo": "0", "layout": 2, "outputs": built()}))
    assert read_manifest(path) == {}
