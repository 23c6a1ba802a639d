"""Dates as people read them, in the language of the text, and the "Updated on …"
line every format writes under an article.

The words and the month names come from the one table of words (``_i18n``).
"""

from __future__ import annotations

import datetime as dt

from ..schema import Article
from ._i18n import MONTHS, table_language, word

__all__ = ["format_date", "format_next_update", "updated_line"]


def format_date(value: dt.date, lang: str) -> str:
    """A date as people read it: "January 23, 2024", "23. Januar 2024",
    "23 janvier 2024", "23 de enero de 2024"."""
    base = table_language(lang)
    month = MONTHS[base][value.month - 1]
    if base == "de":
        return f"{value.day}. {month} {value.year}"
    if base == "fr":
        return f"{'1er' if value.day == 1 else value.day} {month} {value.year}"
    if base == "es":
        return f"{value.day} de {month} de {value.year}"
    return f"{month} {value.day}, {value.year}"


def format_next_update(value: int | dt.date, lang: str) -> str:
    """The next planned update: a year as it is, a date in words."""
    return str(value) if isinstance(value, int) else format_date(value, lang)


def updated_line(article: Article) -> str:
    """ "Updated on January 23, 2024 · Next planned update: 2027" """
    text = f"{word('updated', article.lang)} {format_date(article.updated, article.lang)}"
    if article.next_update is not None:
        text += f" · {word('next_update', article.lang)}: {format_next_update(article.next_update, article.lang)}"
    return text
