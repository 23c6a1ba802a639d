"""Sources as reference managers export them: the whole of CSL-JSON 1.0.2 (issue 15,
"Input"). Real exports from outside the project (tests/data/csl/PROVENANCE.md):
Zotero's own fixture of its CSL-JSON export and the input items of the CSL processor
test suite, besides small items written here for one rule each."""

from __future__ import annotations

import json
import shutil
import warnings
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st
from lxml import etree
from pydantic import ValidationError

import healthinfo
from healthinfo import CorpusError
from healthinfo.csl import csl_item
from healthinfo.exporters.jats.vocab import decode_key, encode_key
from healthinfo.importers.jats import read_jats
from healthinfo.schema import Citation, Cite, CslDate, Name, Paragraph
from healthinfo.schema.citation import CSL_TYPES, CSL_VARIABLES, standard_language

from . import test_jats
from .conftest import CORPUS
from .test_jats import assert_valid

# The JATS DTD, as tests/test_jats.py finds it (its fixtures, used here too).
maybe_dtd = test_jats.maybe_dtd
dtd = test_jats.dtd

DATA = Path(__file__).parent / "data" / "csl"
ZOTERO: dict[str, dict[str, Any]] = json.loads((DATA / "zotero-citeProcJSExport.json").read_text(encoding="utf-8"))
SUITE: dict[str, list[Any]] = json.loads((DATA / "test-suite-inputs.json").read_text(encoding="utf-8"))

# The variables of CSL 1.0.2's csl-data.json (tag v1.0.2 of citation-style-language/
# schema), written out here so that a variable the model forgets fails this test.
CSL_102 = ["type", "id", "citation-key", "categories", "language", "journalAbbreviation", "shortTitle", "author", "chair", "collection-editor", "compiler", "composer", "container-author", "contributor", "curator", "director", "editor", "editorial-director", "executive-producer", "guest", "host", "interviewer", "illustrator", "narrator", "organizer", "original-author", "performer", "producer", "recipient", "reviewed-author", "script-writer", "series-creator", "translator", "accessed", "available-date", "event-date", "issued", "original-date", "submitted", "abstract", "annote", "archive", "archive_collection", "archive_location", "archive-place", "authority", "call-number", "chapter-number", "citation-number", "citation-label", "collection-number", "collection-title", "container-title", "container-title-short", "dimensions", "division", "DOI", "edition", "event", "event-title", "event-place", "first-reference-note-number", "genre", "ISBN", "ISSN", "issue", "jurisdiction", "keyword", "locator", "medium", "note", "number", "number-of-pages", "number-of-volumes", "original-publisher", "original-publisher-place", "original-title", "page", "page-first", "part", "part-title", "PMCID", "PMID", "printing", "publisher", "publisher-place", "references", "reviewed-genre", "reviewed-title", "scale", "section", "source", "status", "supplement", "title", "title-short", "URL", "version", "volume", "volume-title", "volume-title-short", "year-suffix", "custom"]

# Older names that citeproc-js reads as other variables (the model does the same).
OLDER = {"journalAbbreviation": "container-title-short", "shortTitle": "title-short", "event": "event-title"}


def test_every_csl_102_variable_is_a_field() -> None:
    missing = [name for name in CSL_102 if name not in CSL_VARIABLES and name not in OLDER]
    assert missing == []


@pytest.mark.parametrize("zotero_type", sorted(ZOTERO))
def test_zotero_export_is_read_as_exported(zotero_type: str) -> None:
    item = ZOTERO[zotero_type]
    citation = Citation.model_validate(item)
    assert citation.id == str(item["id"])  # Zotero's ids are numbers here
    dumped = citation.model_dump(by_alias=True, exclude_defaults=True)
    for key, value in item.items():
        if key in ("id", "language", "note") or key in OLDER:
            continue
        if isinstance(value, list) and value and isinstance(value[0], dict):  # names
            assert len(dumped[key]) == len(value), key
        elif isinstance(value, dict) and "date-parts" in value:  # a date: its parts, as numbers
            parts = [[int(p) for p in parts] for parts in value["date-parts"]]
            assert [list(p) for p in dumped[key]["date-parts"]] == parts, key
        elif isinstance(value, dict):  # a date as text
            assert dumped[key] == value, key
        else:
            assert dumped[key] == str(value), key
    for older, name in OLDER.items():
        if older in item:
            assert dumped[name] == item[older]
    if "language" in item:
        assert citation.language == "en-US"


def test_zotero_export_loads_as_a_references_file(tmp_path: Path) -> None:
    root = tmp_path / "corpus"
    shutil.copytree(CORPUS, root)
    (root / "references.json").write_text(json.dumps(list(ZOTERO.values())), encoding="utf-8")
    corpus = healthinfo.load_corpus(root)
    assert {str(item["id"]) for item in ZOTERO.values()} <= set(corpus.references)


NAME_KEYS = {"family", "given", "dropping-particle", "non-dropping-particle", "suffix", "comma-suffix",
             "static-ordering", "literal", "parse-names"}
DATE_KEYS = {"date-parts", "season", "circa", "literal", "raw"}


def _is_csl(item: dict[str, Any]) -> bool:
    """Whether every key of ``item``, of its names and of its dates is CSL-JSON's."""
    for key, value in item.items():
        if key not in CSL_VARIABLES and key not in OLDER:
            return False
        if isinstance(value, list) and any(isinstance(n, dict) and not n.keys() <= NAME_KEYS for n in value):
            return False
        if isinstance(value, dict) and key != "custom" and not value.keys() <= DATE_KEYS:
            return False
    return True


# CSL's own JSON Schema of CSL-JSON (csl-data.json of CSL 1.0.2; PROVENANCE.md).
CSL_SCHEMA = jsonschema.Draft7Validator(json.loads((DATA / "csl-data-1.0.2.json").read_text(encoding="utf-8")))
GOLDEN: list[dict[str, Any]] = json.loads((DATA / "golden" / "items.json").read_text(encoding="utf-8"))
BETTER_BIBTEX: list[dict[str, Any]] = yaml.safe_load(
    (DATA / "golden" / "better-bibtex.yaml").read_text(encoding="utf-8"))["references"]
#: Variables the model holds beyond CSL 1.0.2: CSL 1.1's, which Zotero already writes.
CSL_11 = {"license", "part-number", "printing-number", "supplement-number", "editor-translator"}


def _csl_errors(item: dict[str, Any]) -> list[str]:
    return [f"{'/'.join(map(str, e.path))}: {e.message}" for e in CSL_SCHEMA.iter_errors([item])]


def test_a_better_bibtex_csl_yaml_export_loads_unchanged(tmp_path: Path) -> None:
    """Better BibTeX's CSL YAML (dates as lists of {year, month, day} mappings, the Extra
    field's PMID/PMCID as variables, "German" as the language) is a references file as
    it stands."""
    root = tmp_path / "corpus"
    shutil.copytree(CORPUS, root)
    shutil.copy(DATA / "golden" / "better-bibtex.yaml", root / "references.yml")  # beside references.yaml
    corpus = healthinfo.load_corpus(root)
    assert {item["id"] for item in BETTER_BIBTEX} <= set(corpus.references)
    danesh = corpus.references["daneshInformationalNeedsWomen2014"]
    source = next(item for item in BETTER_BIBTEX if item["id"] == danesh.id)
    assert [list(parts) for parts in danesh.issued.date_parts] == [
        [value for key in ("year", "month", "day") if (value := source["issued"][0].get(key)) is not None]]


@pytest.mark.parametrize("mapping", [
    [{"year": 2014, "month": 3}],
    [{"year": 2014, "month": 3}, {"year": 2015, "month": 1}],
    [{"year": 2014, "season": 1}],
    [{"year": 2014, "season": 1}, {"year": 2014, "season": 2}],
    [{"year": "2014", "month": "3", "day": 2, "circa": True}],
    [{"literal": "n.d."}],
])
def test_dates_as_better_bibtex_writes_them(mapping: list[dict[str, Any]]) -> None:
    date = cite(issued=mapping).issued
    assert date is not None
    if "literal" in mapping[0]:
        assert date.literal == "n.d." and date.date_parts == ()
        return
    # A season is CSL's month 21-24 (1 spring … 4 winter), so that a range of seasons holds too.
    months = [{**m, "month": 20 + m["season"]} if "season" in m else m for m in mapping]
    assert date.date_parts == tuple(tuple(int(v) for k in ("year", "month", "day") if (v := m.get(k)) is not None)
                                    for m in months)
    assert date.circa == bool(mapping[0].get("circa"))


@pytest.mark.parametrize("mapping", [[{"year": 2014, "mnth": 3}], [{"month": 3}], [{"year": 0}], [{}], []])
def test_better_bibtex_dates_that_say_nothing_or_something_else_are_refused(mapping: list[Any]) -> None:
    with pytest.raises(ValidationError):
        cite(issued=mapping)


def test_what_the_model_holds_is_csl_json() -> None:
    """Judged by CSL's own JSON Schema: every source of the real exports and of the
    golden set, as the model holds it (its JSON) and as the CSL processor gets it, is
    CSL-JSON; the only keys beyond CSL 1.0.2 are CSL 1.1's variables Zotero writes and
    healthinfo's two et-al flags (docs/authoring.md)."""
    extensions = CSL_11 | {"author-et-al", "editor-et-al"}
    items = [*ZOTERO.values(), *GOLDEN, *BETTER_BIBTEX, *(item for items in SUITE.values() for item in items)]
    held = 0
    for item in items:
        try:
            citation = Citation.model_validate(item)
        except ValidationError:
            continue  # refused, for its stated reason (test_the_csl_test_suite_inputs)
        held += 1
        dumped = citation.model_dump(mode="json", by_alias=True, exclude_defaults=True)
        assert dumped.keys() - extensions <= set(CSL_VARIABLES), item["id"]
        assert _csl_errors({k: v for k, v in dumped.items() if k not in extensions}) == [], item["id"]
        given_to_citeproc = csl_item(citation)
        assert _csl_errors({k: v for k, v in given_to_citeproc.items() if k not in CSL_11}) == [], item["id"]
    assert held > 1000


def test_every_item_csl_accepts_is_read() -> None:
    """An item CSL's schema accepts is read, unless it breaks one of healthinfo's stated
    rules (a title or container-title, a language tag, an http(s) URL); each such
    refusal names the field."""
    stated = {"title", "container-title", "language", "URL"}
    for fixture, items in SUITE.items():
        for item in items:
            if _csl_errors(item):
                continue
            try:
                Citation.model_validate(item)
            except ValidationError as error:
                fields = {str(p["loc"][0]) if p["loc"] else "" for p in error.errors()}
                untitled = not (item.get("title") or item.get("container-title"))
                assert fields <= stated or untitled, (fixture, item.get("id"), error)


def test_the_csl_test_suite_inputs() -> None:
    """Every item of the suite that is CSL-JSON 1.0.2 (its keys CSL variables, an id
    and a type as the schema requires) is read, unless it has no title at all (healthinfo's
    rule: a source needs a title or a container-title); each other item is refused
    for exactly that reason."""
    read: list[str] = []
    refused: dict[str, list[str]] = {
        "not CSL": [], "no type or id": [], "no language": [], "URL without its scheme": [], "no title": []}
    for fixture, items in SUITE.items():
        for item in items:
            where = f"{fixture}:{item.get('id')}"
            try:
                Citation.model_validate(item)
            except ValidationError as error:
                kinds = {p["type"] for p in error.errors()}
                if not _is_csl(item):
                    assert "extra_forbidden" in kinds, where
                    refused["not CSL"].append(where)
                elif item.get("type") not in CSL_TYPES or "id" not in item:  # both required
                    assert kinds <= {"missing", "literal_error"}, where
                    refused["no type or id"].append(where)
                elif {p["loc"][:1] for p in error.errors()} == {("language",)}:  # not a language anyone knows
                    assert standard_language(item["language"]) == item["language"], where
                    refused["no language"].append(where)
                elif {p["loc"][:1] for p in error.errors()} == {("URL",)}:  # links are http(s) in every output
                    assert not item["URL"].startswith(("http://", "https://")), where
                    refused["URL without its scheme"].append(where)
                else:
                    assert not (item.get("title") or item.get("container-title")), (where, error)
                    refused["no title"].append(where)
            else:
                assert _is_csl(item) and item["type"] in CSL_TYPES and "id" in item, where
                read.append(where)
    assert len(read) > 900, {k: len(v) for k, v in refused.items()}


# -- one rule each ---------------------------------------------------------------------

BASE = {"id": "x", "type": "article-journal", "title": "A trial"}


def cite(**fields: Any) -> Citation:
    return Citation.model_validate({**BASE, **fields})


def test_identifiers_in_the_note_become_fields_once() -> None:
    c = cite(note="PMID: 25431158\nPMCID: PMC4405410\nSome remark")
    assert (c.PMID, c.PMCID, c.note) == ("25431158", "PMC4405410", "Some remark")
    c = cite(PMID="25431158", note="PMID: 25431158")
    assert (c.PMID, c.note) == ("25431158", None)
    c = cite(note="DOI: 10.1000/182")
    assert c.DOI == "10.1000/182"
    with pytest.raises(ValidationError, match="the note says PMID: 2, but PMID is '1'"):
        cite(PMID="1", note="PMID: 2")
    assert cite(note="see PMID: 5 in the text").PMID is None  # not a line of its own


@pytest.mark.parametrize(("given_", "tag"), [
    ("eng", "en"), ("en_US", "en-US"), ("English", "en"), ("ger", "de"), ("deu", "de"), ("German", "de"),
    ("de-DE", "de-DE"), ("pt-BR", "pt-BR"), ("EN", "en"),
])
def test_languages_become_bcp_47(given_: str, tag: str) -> None:
    assert cite(language=given_).language == tag


def test_a_language_no_one_knows_is_refused() -> None:
    with pytest.raises(ValidationError, match="is not a language tag"):
        cite(language="Klingonish dialect of nowhere")


@pytest.mark.parametrize(("value", "parts", "extra"), [
    ({"date-parts": [["1997", 6, 13]]}, ((1997, 6, 13),), {}),
    ({"date-parts": [[2014, ""]]}, ((2014,),), {}),
    ({"date-parts": [[2014, 5], [2015, 1]]}, ((2014, 5), (2015, 1)), {}),
    ({"date-parts": [[2014, 22]]}, ((2014, 22),), {}),
    ({"date-parts": [[2014, 13]]}, ((2014, 21),), {}),  # citeproc-js's spring, as EDTF writes it
    ({"date-parts": [[2000, 21], [2000, 22]]}, ((2000, 21), (2000, 22)), {}),
    ({"date-parts": [[2014]], "season": "Winter"}, ((2014,),), {"season": 4}),
    ({"date-parts": [[2014]], "circa": "true"}, ((2014,),), {"circa": True}),
    ({"raw": "2014-05-02"}, ((2014, 5, 2),), {}),
    ({"raw": "May 2014"}, (), {"raw": "May 2014"}),
    ({"literal": "n.d."}, (), {"literal": "n.d."}),
    ("2014-05-02/2015", (), {"raw": "2014-05-02/2015"}),  # ends of two precisions: citeproc-js reads it
    ("2014-05/2015-03", ((2014, 5), (2015, 3)), {}),
    ("2014~", ((2014,),), {"circa": True}),
    ("2014-23", ((2014, 23),), {}),
    ("Spring 2014", (), {"literal": "Spring 2014"}),
    (2014, ((2014,),), {}),
])
def test_every_form_of_a_csl_date(value: Any, parts: tuple[tuple[int, ...], ...], extra: dict[str, Any]) -> None:
    date = cite(issued=value).issued
    assert date is not None and date.date_parts == parts
    for name, expected in extra.items():
        assert getattr(date, name) == expected


@pytest.mark.parametrize("value", [{"date-parts": [[2014, 17]]}, {"date-parts": [[2014, 2, 30, 1]]}, {}, {"season": 1},
                                   {"date-parts": [[2014, 21, 3]]}, {"date-parts": [[2014], [2015, 3]]}])
def test_dates_that_say_nothing_or_too_much_are_refused(value: Any) -> None:
    with pytest.raises(ValidationError):
        cite(issued=value)


def test_names_with_particles_and_flags() -> None:
    parsed = Name.model_validate({"family": "van der Berg", "given": "Jean de", "parse-names": True})
    assert (parsed.non_dropping_particle, parsed.family, parsed.dropping_particle, parsed.given) == (
        "van der", "Berg", "de", "Jean")
    kept = Name.model_validate({"family": "van der Berg", "given": "Jean", "parse-names": False})
    assert (kept.family, kept.non_dropping_particle) == ("van der Berg", None)
    assert Name.model_validate({"family": "Doe", "suffix": "Jr.", "comma-suffix": 1}).comma_suffix is True
    assert Name.model_validate({"family": "Mao", "given": "Zedong", "static-ordering": "true"}).static_ordering


def test_older_names_that_disagree_are_refused() -> None:
    with pytest.raises(ValidationError, match=r"journalAbbreviation .* and container-title-short .* differ"):
        cite(**{"journalAbbreviation": "J A", "container-title-short": "J B"})


def test_a_near_miss_of_a_variable_names_the_variable(tmp_path: Path) -> None:
    root = tmp_path / "corpus"
    shutil.copytree(CORPUS, root)
    (root / "references.json").write_text(json.dumps([{**BASE, "url": "https://example.org"}]), encoding="utf-8")
    with pytest.raises(CorpusError) as caught:
        healthinfo.load_corpus(root)
    assert any("url: is not a known field; did you mean 'URL'?" in str(p) for p in caught.value.problems)


def test_custom_data_is_kept_and_cannot_change() -> None:
    c = cite(custom={"short_id": "xyz", "other-ids": ["alternative-id"]})
    assert c.model_dump(by_alias=True)["custom"] == {"other-ids": ["alternative-id"], "short_id": "xyz"}
    assert isinstance(c.custom, str)  # held as JSON text: nothing in the model to append to
    with pytest.raises(ValidationError, match="custom is a mapping"):
        cite(custom=["a"])


def test_json_round_trip_of_every_variable() -> None:
    item = ZOTERO["book"]
    citation = Citation.model_validate(item)
    again = Citation.model_validate_json(citation.model_dump_json(by_alias=True))
    assert again == citation
    assert CslDate.model_validate({"raw": "May 2014"}).year is None


# -- keys as reference managers write them ------------------------------------------

ZOTERO_URI = "http://zotero.org/users/1234567/items/ABCD2345"


@given(st.text(st.characters(min_codepoint=33, max_codepoint=0x2FFF, exclude_characters="{}`"), min_size=1))
def test_jats_ref_ids_hold_any_key(key: str) -> None:
    ref_id = encode_key(key)
    assert decode_key(ref_id) == key
    assert all(ch.isascii() and (ch.isalnum() or ch in "_.-") for ch in ref_id)


def test_a_source_keyed_by_a_zotero_uri_is_cited_by_its_key_or_by_its_citation_key(tmp_path: Path) -> None:
    root = tmp_path / "corpus"
    shutil.copytree(CORPUS, root)
    items = [
        {**BASE, "id": ZOTERO_URI, "citation-key": "smith2020", "title": "By URI"},
        {**BASE, "id": "http://example.org/a,b", "title": "With a comma"},
    ]
    (root / "references.json").write_text(json.dumps(items), encoding="utf-8")
    article = root / "articles" / "keys.md"
    article.write_text(
        "---\ntitle: Keys\nupdated: 2024-01-23\n---\n\n"
        f"By its id {{cite}}`{ZOTERO_URI}`, by its short key {{cite}}`smith2020`, "
        "and one with a comma {cite}`{http://example.org/a,b}, smith2020`.\n",
        encoding="utf-8",
    )
    corpus = healthinfo.load_corpus(root)
    loaded = corpus.articles["keys"]
    assert [c.id for c in loaded.references] == [ZOTERO_URI, "http://example.org/a,b"]
    for name in healthinfo.formats():
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            healthinfo.render(loaded, name)  # every format takes such keys
        codes = [getattr(w.message, "code", None) for w in caught]
        # JATS has no place for the short key (yet), and says so; no other format warns.
        assert codes == (["jats:citation-variables"] if name == "jats" else []), (name, codes)


def test_jats_names_what_it_leaves_out() -> None:
    """The CSL variables and flags the element-citation has no place for are named in
    one warning per source, never dropped silently."""
    from healthinfo.exporters.jats.references import unwritten_variables

    c = cite(ISSN="1234-5678", abstract="A summary.", issued={"date-parts": [[2014]], "circa": True},
             author=[{"family": "Doe", "suffix": "Jr.", "comma-suffix": True}, {"family": "Mao", "given": "Zedong",
                                                                             "static-ordering": True}])
    assert unwritten_variables(c) == ["abstract", "ISSN", "issued.circa", "author.comma-suffix",
                                      "author.static-ordering"]
    assert unwritten_variables(cite(author=[{"family": "Doe", "given": "J"}])) == []


def test_the_new_forms_come_back_from_jats(dtd: etree.DTD) -> None:
    """A URI key, a person known by one name, a season, a range of seasons and a date
    given only as text survive healthinfo's JATS (the importer reads them back)."""
    article = healthinfo.load_corpus(CORPUS).articles["metastatic-breast-cancer-treatment"]
    sources = (
        cite(id=ZOTERO_URI, author=[{"given": "Banksy"}], issued={"date-parts": [[2014, 22]]}),
        cite(id="b", issued={"date-parts": [[2000, 21], [2000, 22]]}, author=[{"given": "Jean de", "family": "la Fontaine",
                                                                                "parse-names": True}]),
        cite(id="c", issued={"literal": "forthcoming"}),
    )
    index = next(i for i, block in enumerate(article.blocks) if isinstance(block, Paragraph))
    paragraph = article.blocks[index]
    assert isinstance(paragraph, Paragraph)
    cited = paragraph.model_copy(update={"children": (*paragraph.children, Cite(refs=[c.id for c in sources]))})
    changed = type(article).model_validate({
        **article.model_dump(), "references": [c.model_dump() for c in sources],
        "blocks": [b.model_dump() for b in (*article.blocks[:index], cited, *article.blocks[index + 1:])],
    })
    result = healthinfo.render(changed, "jats")
    assert read_jats(result.data, result.resources).references == sources
    assert_valid(dtd, result.data)  # the URI as an XML id, <name> with given-names alone, <season>


def test_a_short_key_of_several_sources_is_reported_where_it_is_cited(tmp_path: Path) -> None:
    root = tmp_path / "corpus"
    shutil.copytree(CORPUS, root)
    items = [{**BASE, "id": "a", "citation-key": "b"}, {**BASE, "id": "b"}, {**BASE, "id": "c", "citation-key": "d"},
             {**BASE, "id": "e", "citation-key": "d"}]
    (root / "references.json").write_text(json.dumps(items), encoding="utf-8")
    article = root / "articles" / "keys.md"
    article.write_text("---\ntitle: Keys\nupdated: 2024-01-23\n---\n\nAn id wins {cite}`b`.\n\nTwo {cite}`d`.\n",
                       encoding="utf-8")
    with pytest.raises(CorpusError) as caught:
        healthinfo.load_corpus(root)
    assert [str(p) for p in caught.value.problems] == [
        f"{article}:8: the key 'd' is the citation-key of 2 sources ('c', 'e'); cite the one you mean by its id"]


def test_an_unclosed_brace_in_a_cite_is_reported(tmp_path: Path) -> None:
    root = tmp_path / "corpus"
    shutil.copytree(CORPUS, root)
    (root / "articles" / "keys.md").write_text(
        "---\ntitle: Keys\nupdated: 2024-01-23\n---\n\nText {cite}`{danesh2014`.\n", encoding="utf-8")
    with pytest.raises(CorpusError) as caught:
        healthinfo.load_corpus(root)
    assert any("keys.md:6:" in str(p) and "closing }" in str(p) for p in caught.value.problems)
