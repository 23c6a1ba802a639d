"""Shared pieces of the exporters: labels and dates (the references: test_references.py)."""

from __future__ import annotations

import datetime as dt

import healthinfo
from healthinfo.exporters._dates import format_date, format_next_update, updated_line

from .conftest import CORPUS


def test_dates_and_update_line() -> None:
    assert format_date(dt.date(2024, 1, 23), "en") == "January 23, 2024"
    assert format_date(dt.date(2024, 1, 23), "de-DE") == "23. Januar 2024"
    assert format_next_update(2027, "en") == "2027"
    corpus = healthinfo.load_corpus(CORPUS)
    assert updated_line(corpus.articles["metastatic-breast-cancer-treatment"]) == (
        "Updated on January 23, 2024 · Next planned update: 2027"
    )
