"""Shared pieces of the exporters: the Vancouver/NLM reference style, labels, dates."""

from __future__ import annotations

import datetime as dt

import pytest

import healthinfo
from healthinfo.exporters._dates import format_date, format_next_update, updated_line
from healthinfo.exporters._references import reference_segments, reference_text
from healthinfo.schema import Citation

from .conftest import CORPUS

EXPECTED = {
    "danesh2014": "Danesh M, Belkora J, Volz S, et al. Informational needs of patients with metastatic breast cancer: "
    "what questions do they ask, and are physicians answering them? J Cancer Educ. 2014;29(1):175-180.",
    "dggg2021": "Deutsche Gesellschaft für Gynäkologie und Geburtshilfe (DGGG), Deutsche Krebsgesellschaft (DKG). "
    "Interdisziplinäre S3-Leitlinie für die Früherkennung, Diagnostik, Therapie und Nachsorge des Mammakarzinoms. "
    "2021. AWMF-Registernr.: 032-045OL.",
    "lueck2010": "Lück HJ. Systemische Therapie des metastasierten Mammakarzinoms. In: Kreienberg R, Möbus V, Jonat W, "
    "et al, editors. Mammakarzinom: interdisziplinär. Berlin: Springer; 2010. p. 228-246.",
    "turner2008": "Turner NC, Jones AL. Management of breast cancer – Part II. BMJ. 2008;337:a540.",
}


@pytest.mark.parametrize("key", list(EXPECTED))
def test_vancouver_style(key: str) -> None:
    corpus = healthinfo.load_corpus(CORPUS)
    assert reference_text(corpus.references[key]) == EXPECTED[key]


def test_links_are_segments() -> None:
    citation = Citation(id="x", type="article-journal", title="T", container_title="J", DOI="10.1/2", PMID="123",
                        URL="https://example.org/x")
    links = [(s.role, s.href) for s in reference_segments(citation) if s.href]
    assert links == [("doi", "https://doi.org/10.1/2"), ("pmid", "https://pubmed.ncbi.nlm.nih.gov/123/"),
                     ("url", "https://example.org/x")]


def test_dates_and_update_line() -> None:
    assert format_date(dt.date(2024, 1, 23), "en") == "January 23, 2024"
    assert format_date(dt.date(2024, 1, 23), "de-DE") == "23. Januar 2024"
    assert format_next_update(2027, "en") == "2027"
    corpus = healthinfo.load_corpus(CORPUS)
    assert updated_line(corpus.articles["metastatic-breast-cancer-treatment"]) == (
        "Updated on January 23, 2024 · Next planned update: 2027"
    )
