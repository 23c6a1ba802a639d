"""healthinfo audit: review governance and plain language (docs/governance.md).

A test corpus made from the shipped one (in tmp_path) gives a finding of every code,
each checked for its article, file and line."""

from __future__ import annotations

import datetime as dt
import json
import shutil
from pathlib import Path

import jsonschema  # type: ignore[import-untyped]
import pytest
from typer.testing import CliRunner

import healthinfo
from healthinfo.checks.audit import CODES, Severity, audit, due_date, scores
from healthinfo.cli import app
from healthinfo.schema import Section

from .conftest import CORPUS, ROOT

runner = CliRunner()
SHIPPED = "metastatic-breast-cancer-treatment"
AS_OF = dt.date(2026, 12, 1)
SCHEMA = json.loads((ROOT / "docs" / "audit.schema.json").read_text(encoding="utf-8"))

# Each test article with the lines its findings must point at (1-based, in its file).
OVERDUE = """\
---
title: Overdue review
updated: 2020-01-10
next_update: 2021
sources:
  - danesh2014
---

The {term}`diagnosis` is often a shock. Talk to your doctor.
"""

DUE_SOON = """\
---
title: Review due soon
updated: 2026-06-01
next_update: 2027-01-15
sources: [dkg2023]
---

The {term}`diagnosis` can come as a shock. Your doctor can help.
"""

UNSCHEDULED = """\
---
title: Unscheduled
updated: 2026-01-01
---

:::{figure} images/infusion.png
:alt: A drip in a hospital
A drip in a hospital
:::

Many people feel tired. This fatigue can last for weeks.

:::{note}
In Austria, the rules are different.
:::

## What helps? {#what-helps}

Characteristically, interdisciplinary multiprofessional rehabilitative
interventions, notwithstanding considerable organisational heterogeneity, demonstrably
ameliorate psychosocial functioning, physiological deconditioning and
multidimensional symptomatology in comparatively heterogeneous populations, which
was substantiated by numerous randomised investigations worldwide.
"""

GERMAN = """\
---
title: Behandlung
lang: de
translation_of: due-soon
updated: 2026-05-01
next_update: 2029
sources: [dkg2023]
---

Die {term}`Diagnose <diagnosis>` ist oft ein Schock. Sprechen Sie mit Ihrer Ärztin.
Sie können sich Zeit nehmen. Fragen Sie nach, wenn Sie etwas nicht verstehen.
"""


#: A German article that includes the shipped (English) back-matter block, which has a
#: German translation (older than it).
WITH_BLOCK = """\
---
title: Hinweise
lang: de
updated: 2026-05-01
next_update: 2029
sources: [dkg2023]
back: [about-our-health-information]
---

Fragen Sie Ihre Ärztin.
"""

BLOCK_DE = """\
---
title: Über unsere Gesundheitsinformationen
lang: de
translation_of: about-our-health-information
updated: 2025-01-01
---

Unsere Gesundheitsinformationen sollen helfen, Vor- und Nachteile zu verstehen.
"""


def make_corpus(tmp_path: Path) -> Path:
    """The shipped corpus with five more articles (a German translation among them),
    a glossary entry and a source that nothing uses, and a German translation of its
    reusable block, older than the block."""
    root = tmp_path / "corpus"
    shutil.copytree(CORPUS, root)
    for name, text in [("overdue", OVERDUE), ("due-soon", DUE_SOON), ("unscheduled", UNSCHEDULED), ("german", GERMAN),
                       ("hinweise", WITH_BLOCK)]:
        (root / "articles" / f"{name}.md").write_text(text, encoding="utf-8")
    block = root / "blocks" / "about-our-health-information.md"
    block.write_text(block.read_text(encoding="utf-8").replace("---\n", "---\nupdated: 2026-01-01\n", 1), encoding="utf-8")
    (root / "blocks" / "ueber-uns.md").write_text(BLOCK_DE, encoding="utf-8")
    with (root / "glossary.yaml").open("a", encoding="utf-8") as glossary:
        glossary.write("chemotherapy:\n  term: Chemotherapy\n  definition: Treatment with drugs that kill cancer cells.\n")
    with (root / "references.yaml").open("a", encoding="utf-8") as references:
        references.write("\n- id: unused2020\n  type: book\n  title: A book no article cites\n  issued: 2020\n")
    return root


@pytest.fixture(scope="module")
def test_corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_corpus(tmp_path_factory.mktemp("audit"))


def _lines(root: Path, name: str) -> list[str]:
    return (root / name).read_text(encoding="utf-8").splitlines()


def test_shipped_article_readability_in_english() -> None:
    report = audit(CORPUS, as_of=AS_OF)
    whole = [r for r in report.readability if r.article == SHIPPED and r.section is None]
    assert len(whole) == 1 and whole[0].lang == "en" and set(whole[0].scores) == {"flesch_reading_ease"}
    # By hand: 1,734 words in 98 sentences, 1.65 syllables a word (cmudict): 206.835 - 1.015 * 17.7 - 84.6 * 1.65 ≈ 49.
    assert 40 < whole[0].scores["flesch_reading_ease"] < 60
    assert whole[0].words > 1500
    assert {r.section for r in report.readability if r.section} == {s.id for s in _shipped_sections()}
    assert report.ok  # the shipped corpus has nothing at error level today


def _shipped_sections() -> list[Section]:
    return healthinfo.load_corpus(CORPUS).articles[SHIPPED].iter_sections()


EXPECTED: dict[str, tuple[str | None, str, str]] = {
    # code: (article, file, the text on the expected line)
    "review-overdue": ("overdue", "articles/overdue.md", "next_update: 2021"),
    "update-too-old": ("overdue", "articles/overdue.md", "updated: 2020-01-10"),
    "source-too-old": ("overdue", "articles/overdue.md", "  - danesh2014"),
    "review-due-soon": ("due-soon", "articles/due-soon.md", "next_update: 2027-01-15"),
    "review-missing": ("unscheduled", "articles/unscheduled.md", "updated: 2026-01-01"),
    "sources-missing": ("unscheduled", "articles/unscheduled.md", "---"),
    "alt-missing": ("unscheduled", "articles/unscheduled.md", ":alt: A drip in a hospital"),
    "unmarked-term": ("unscheduled", "articles/unscheduled.md", "Many people feel tired. This fatigue can last for weeks."),
    "note-region-missing": ("unscheduled", "articles/unscheduled.md", "In Austria, the rules are different."),
    "sentence-too-long": ("unscheduled", "articles/unscheduled.md", "Characteristically, interdisciplinary multiprofessional rehabilitative"),
    "word-too-long": ("unscheduled", "articles/unscheduled.md", "Characteristically, interdisciplinary multiprofessional rehabilitative"),
    "readability-low": ("unscheduled", "articles/unscheduled.md", "## What helps? {#what-helps}"),
    "glossary-unused": (None, "glossary.yaml", "chemotherapy:"),
    "source-unused": (None, "references.yaml", "- id: unused2020"),
    "translation-outdated": ("german", "articles/german.md", "updated: 2026-05-01"),
    "translation-missing": ("overdue", "articles/overdue.md", "---"),
    "block-translation-outdated": (None, "blocks/ueber-uns.md", "updated: 2025-01-01"),
    "block-translation-missing": ("hinweise", "articles/hinweise.md", "back: [about-our-health-information]"),
}


def test_every_code_is_expected() -> None:
    assert set(EXPECTED) == set(CODES)


@pytest.mark.parametrize("code", sorted(EXPECTED))
def test_every_code_found_with_article_file_and_line(test_corpus: Path, code: str) -> None:
    article, file, text = EXPECTED[code]
    report = audit(test_corpus, as_of=AS_OF)
    found = [f for f in report.of_code(code) if f.article == article]
    if code == "readability-low":  # the section's finding (the article's is tested below)
        found = [f for f in found if "'what-helps'" in f.message]
    assert found, f"no {code} for {article}: {[f.where for f in report.of_code(code)]}"
    finding = found[0]
    assert finding.file == file and finding.line is not None
    assert _lines(test_corpus, file)[finding.line - 1] == text
    assert finding.severity is CODES[code][0] and finding.message.endswith(".")


def test_readability_low_of_the_whole_article_at_its_first_paragraph(test_corpus: Path) -> None:
    report = audit(test_corpus, as_of=AS_OF)
    whole = [f for f in report.of_code("readability-low") if f.article == "unscheduled" and "The article" in f.message]
    assert whole and whole[0].line == 11


def test_line_in_an_included_block(test_corpus: Path) -> None:
    report = audit(test_corpus, as_of=AS_OF)
    in_block = [f for f in report.of_code("sentence-too-long") if f.file == "blocks/about-our-health-information.md"
                and f.article == SHIPPED]
    assert in_block
    assert _lines(test_corpus, in_block[0].file)[in_block[0].line - 1].startswith("Because IQWiG is a German institute")  # type: ignore[operator]


def test_german_article_gets_the_german_formulas(test_corpus: Path) -> None:
    report = audit(test_corpus, as_of=AS_OF)
    german = [r for r in report.readability if r.article == "german" and r.section is None]
    assert german and set(german[0].scores) == {"amstad", "wiener_sachtextformel"}
    # Short sentences of common words: easy on both scales.
    assert german[0].scores["amstad"] > 60 and german[0].scores["wiener_sachtextformel"] < 6
    assert not [f for f in report.findings if f.article == "german" and f.code == "readability-low"]


def test_german_formulas_on_known_text() -> None:
    easy = "Die Sonne scheint. Der Hund spielt im Garten. Wir gehen heute in die Stadt und kaufen Brot."
    hard = ("Die interdisziplinäre Versorgungsforschung untersucht die gesundheitsökonomischen Auswirkungen "
            "multiprofessioneller Behandlungskonzepte hinsichtlich ihrer Implementierbarkeit in bestehende Strukturen.")
    easy_scores, hard_scores = scores(easy, "de"), scores(hard, "de")
    assert easy_scores["amstad"] > 80 > 20 > hard_scores["amstad"]
    assert easy_scores["wiener_sachtextformel"] < 4 < 15 < hard_scores["wiener_sachtextformel"]
    assert scores(easy, "fr") == {}


def test_thresholds_from_healthinfo_yaml_change_the_result(tmp_path: Path) -> None:
    root = make_corpus(tmp_path)
    before = audit(root, as_of=AS_OF)
    settings = root / "healthinfo.yaml"
    settings.write_text(settings.read_text(encoding="utf-8")
                        + "audit:\n  max_sentence_words: 60\n  max_source_age_years: 30\n  min_reading_ease: 0\n",
                        encoding="utf-8")
    after = audit(root, as_of=AS_OF)
    assert before.of_code("sentence-too-long") and not after.of_code("sentence-too-long")
    assert before.of_code("source-too-old") and not after.of_code("source-too-old")
    assert before.of_code("readability-low") and not [f for f in after.of_code("readability-low") if f.article == SHIPPED]
    # The library call overrides the file.
    overridden = audit(root, as_of=AS_OF, settings={"max_sentence_words": 10})
    assert len(overridden.of_code("sentence-too-long")) > len(before.of_code("sentence-too-long"))


def test_unknown_audit_key_is_a_corpus_problem(tmp_path: Path) -> None:
    root = make_corpus(tmp_path)
    settings = root / "healthinfo.yaml"
    settings.write_text(settings.read_text(encoding="utf-8") + "audit:\n  max_sentence_wrds: 60\n", encoding="utf-8")
    result = runner.invoke(app, ["audit", str(root)])
    assert result.exit_code == 2 and "healthinfo.yaml" in result.stderr


def test_review_status_moves_with_as_of() -> None:
    # next_update 2027 is due at the end of 2027 and overdue from 2028-01-01.
    assert due_date(2027) == dt.date(2027, 12, 31)
    codes = {day: {f.code for f in audit(CORPUS, as_of=day).findings if f.article == SHIPPED}
             for day in (dt.date(2026, 12, 1), dt.date(2027, 11, 1), dt.date(2027, 12, 31), dt.date(2028, 1, 1))}
    assert not codes[dt.date(2026, 12, 1)] & {"review-due-soon", "review-overdue", "update-too-old"}
    assert "review-due-soon" in codes[dt.date(2027, 11, 1)] and "update-too-old" in codes[dt.date(2027, 11, 1)]
    assert "review-due-soon" in codes[dt.date(2027, 12, 31)] and "review-overdue" not in codes[dt.date(2027, 12, 31)]
    assert "review-overdue" in codes[dt.date(2028, 1, 1)]
    for day, expected in (("2026-12-01", 0), ("2028-01-01", 1)):
        result = runner.invoke(app, ["audit", str(CORPUS), "--as-of", day])
        assert result.exit_code == expected, result.output


def test_exit_statuses(tmp_path: Path, test_corpus: Path) -> None:
    ok = runner.invoke(app, ["audit", str(CORPUS), "--as-of", "2026-12-01"])
    assert ok.exit_code == 0, ok.output
    assert "readability of metastatic-breast-cancer-treatment (en, " in ok.stdout
    assert "Flesch Reading Ease" in ok.stdout.splitlines()[-1] and "0 errors" in ok.stdout
    failing = runner.invoke(app, ["audit", str(test_corpus), "--as-of", "2026-12-01"])
    assert failing.exit_code == 1
    assert "articles/overdue.md:4: error: review-overdue:" in failing.stdout
    (tmp_path / "broken").mkdir()
    assert runner.invoke(app, ["audit", str(tmp_path / "broken")]).exit_code == 2
    assert runner.invoke(app, ["audit", str(CORPUS), "--as-of", "next week"]).exit_code == 2


def test_json_validates_against_its_schema(test_corpus: Path) -> None:
    jsonschema.Draft202012Validator.check_schema(SCHEMA)
    result = runner.invoke(app, ["audit", str(test_corpus), "--json", "--as-of", "2026-12-01"])
    assert result.exit_code == 1
    data = json.loads(result.stdout)
    jsonschema.validate(data, SCHEMA, format_checker=jsonschema.FormatChecker())
    assert data["ok"] is False and data["as_of"] == "2026-12-01"
    assert {f["code"] for f in data["findings"]} == set(CODES)
    assert data["counts"]["error"] == sum(1 for f in data["findings"] if f["severity"] == Severity.error.value)
    assert SCHEMA["$defs"]["finding"]["properties"]["code"]["enum"] == list(CODES)


def test_terminal_table(monkeypatch: pytest.MonkeyPatch) -> None:
    from rich.console import Console

    from healthinfo import cli

    monkeypatch.setattr(cli.out, "_rich", Console(force_terminal=True, width=200))
    monkeypatch.setattr(type(cli.out), "is_terminal", property(lambda self: True))
    result = runner.invoke(app, ["audit", str(CORPUS), "--as-of", "2026-12-01"])
    assert result.exit_code == 0
    assert "healthinfo audit" in result.stdout and "file:line" in result.stdout and "sentence-too-long" in result.stdout


def test_library_call_on_a_loaded_corpus() -> None:
    loaded = healthinfo.load_corpus(CORPUS)
    without_root = audit(loaded, as_of=AS_OF)
    with_root = audit(loaded, as_of=AS_OF, root=CORPUS)
    assert [f.code for f in without_root.findings] == [f.code for f in with_root.findings]
    assert all(f.line is None for f in without_root.findings if f.code != "review-missing")
    assert all(f.line is not None for f in with_root.findings)


def test_a_regional_passage_is_audited_and_its_notes_have_their_region(tmp_path: Path) -> None:
    """The text of a regional passage counts like any text; a note inside a passage
    for a country needs no region of its own."""
    folder = tmp_path / "corpus"
    shutil.copytree(CORPUS, folder)
    article = folder / "articles" / "metastatic-breast-cancer-treatment.md"
    text = article.read_text(encoding="utf-8").replace(":region: DE\n", "", 1)
    text = text.replace("- Practice-based psychotherapists\n::::", "- Practice-based psychotherapists\n\n" + " ".join(
        ["The", "programme", "in", "Germany"] * 8) + ".\n::::", 1)
    article.write_text(text, encoding="utf-8")
    report = healthinfo.audit(folder, as_of=dt.date(2026, 12, 1))
    codes = [(f.code, f.line) for f in report.findings if f.article == "metastatic-breast-cancer-treatment"]
    assert not any(code == "note-region-missing" for code, _ in codes)
    long = [line for code, line in codes if code == "sentence-too-long"]
    assert any(text.splitlines()[line - 1].startswith("The programme in Germany") for line in long if line), long
