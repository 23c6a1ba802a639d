"""The thresholds of ``healthinfo audit``: the ``audit:`` key of ``healthinfo.yaml``.

Every key has a default; docs/governance.md says where each default comes from.
"""

from __future__ import annotations

from typing import Annotated

from pydantic import Field

from ._base import LanguageTag, Node

__all__ = ["AuditSettings"]

PositiveInt = Annotated[int, Field(gt=0)]


class AuditSettings(Node):
    """What the audit calls overdue, too old, too long or too hard to read."""

    due_soon_days: Annotated[int, Field(ge=0)] = Field(
        default=90, description="review-due-soon: the next planned update is within this many days."
    )
    max_update_age_months: PositiveInt = Field(
        default=36, description="update-too-old: the last update is more than this many months ago."
    )
    max_source_age_years: PositiveInt = Field(
        default=10, description="source-too-old: a source was issued more than this many years ago."
    )
    min_reading_ease: float = Field(
        default=60,
        description="readability-low: an article or section scores below this Flesch Reading Ease "
        "(English) or Amstad's German Flesch (German); 60 is the lower end of Flesch's 'standard' band.",
    )
    max_wiener_sachtextformel: Annotated[float, Field(gt=0)] = Field(
        default=10,
        description="readability-low (German): a German article or section scores above this on the "
        "first Wiener Sachtextformel (about a school year, 4 = very easy, 15 = very hard).",
    )
    max_sentence_words: PositiveInt = Field(
        default=25, description="sentence-too-long: a sentence has more words than this."
    )
    max_word_letters: PositiveInt = Field(
        default=20,
        description="word-too-long: a word (letters between hyphens, spaces or punctuation) has more "
        "letters than this, in languages without a limit of their own.",
    )
    max_word_letters_en: PositiveInt = Field(
        default=15, description="word-too-long in English articles."
    )
    max_word_letters_de: PositiveInt = Field(
        default=20, description="word-too-long in German articles, whose compounds are long by nature."
    )

    languages: tuple[LanguageTag, ...] | None = Field(
        default=None,
        description="translation-missing: the languages every original article should be in; "
        "none: the languages the corpus's translations are in (a corpus without translations expects none).",
    )

    def word_limit(self, language: str) -> int:
        """The word-too-long limit for a language tag ("de-AT" uses the German one)."""
        base = language.split("-", 1)[0].lower()
        return {"en": self.max_word_letters_en, "de": self.max_word_letters_de}.get(base, self.max_word_letters)
